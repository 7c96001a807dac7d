"""The generated findings: current, deterministic, and right where they can be derived by hand."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from lp_check import cheapest_mix

from coopgame import findings
from coopgame.findings import findings_markdown, model_findings, public_cost
from coopgame.models import get

COMMITTED = Path(__file__).resolve().parent.parent / "docs" / "findings.md"


@pytest.fixture(scope="module")
def generated() -> str:
    return findings_markdown()


@pytest.mark.slow  # a long property test / end-to-end run: `pytest -m slow`, CI
def test_committed_findings_are_current(generated):
    # Regenerate in memory and compare with the committed file; if this fails, run
    # ``python -m coopgame.findings docs/findings.md`` and commit the result.
    assert COMMITTED.read_text(encoding="utf-8") == generated


def test_findings_are_deterministic(generated):
    assert findings_markdown(["school_enterprise"]) in generated
    assert findings_markdown(["school_enterprise"]) == findings_markdown(["school_enterprise"])


def test_every_model_has_a_section(generated):
    from coopgame.models import available

    for info in available():
        assert f"Model `{info.name}`" in generated


@pytest.mark.slow  # a long property test / end-to-end run: `pytest -m slow`, CI
@pytest.mark.filterwarnings("error::coopgame.errors.CoopgameWarning")  # every model's curves cross its map
def test_check_mode_detects_a_stale_file(tmp_path, monkeypatch):
    # The command's logic, with a small document standing in for the full one; writing it also
    # draws every model's regime map, where no boundary handed to the drawing misses the map.
    monkeypatch.setattr(findings, "findings_markdown", lambda: findings_markdown(["internship"]))
    path = tmp_path / "findings.md"
    path.write_text("# stale\n", encoding="utf-8")
    assert findings.main([str(path), "--check"]) == 1
    assert findings.main([str(path)]) == 0
    assert findings.main([str(path), "--check"]) == 0


def test_only_boundaries_that_meet_the_map_are_drawn():
    # On the box F, rho in [0, 2]: F + rho + 3 >= 3 never vanishes (an atom of the target's
    # condition that bounds nothing there); s - 1 vanishes on the line s = 1 inside s in [0, 2]
    # whatever rho is; s - rho*t - 3 with t = 1/2 vanishes only where s = 3 + rho/2 >= 3, off the box.
    F, rho, s, t = sympy.symbols("F rho s t")
    box = ("F", 0, 2), ("rho", 0, 2)
    assert not findings._crosses(F + rho + 3 > 0, *box, {})
    assert findings._crosses(s - 1 > 0, ("s", 0, 2), ("rho", 0, 2), {})
    assert not findings._crosses(s - rho * t - 3 > 0, ("s", 0, 2), ("rho", 0, 2), {"t": sympy.Rational(1, 2)})
    assert findings._crosses(s - rho * t - 3 > 0, ("s", 0, 2), ("rho", 0, 2), {"t": -2})  # s = 3 - 2 rho


def test_school_enterprise_thresholds_match_the_hand_derivation():
    # Enterprise at (deep, participate): R_e - C_e - K + s + tau*C_e + P + T > F_e
    # defaults R_e = 8, C_e = 6, K = 1, F_e = 2: each instrument alone needs level > 1,
    # except tau: 6*tau > 1, tau > 1/6. Outside spending: s, tau*C_e, and the inspections behind
    # the penalty, kappa*P = 1/2 at P = 1 (kappa = 1/2, paid whether or not anyone is caught);
    # the transfer T costs the public budget nothing.
    f = model_findings(get("school_enterprise"))
    got = {t.parameter: (t.minimum, t.attained, t.cost) for t in f.thresholds}
    assert got == {"s": (1, False, 1), "tau": (sympy.Rational(1, 6), False, 1), "P": (1, False, sympy.Rational(1, 2)),
                   "T": (1, False, 0)}
    # Benefit sharing is bounded by the school's own incentive: R_s - C_s - K - T > F_s, T < 4.
    sharing = next(t for t in f.thresholds if t.parameter == "T")
    assert sharing.maximum == 4
    assert f.cheapest.cost == 0 and set(f.cheapest.free) == {"T"}
    # By public instruments alone: min s + 6 tau + P/2 subject to s + 6 tau + P > 1, cheapest per
    # unit of the enterprise's gap is P (1/2 per unit), so the infimum is 1/2 (P -> 1).
    assert f.cheapest_paid.cost == sympy.Rational(1, 2) and dict(f.cheapest_paid.levels)["P"] == 1


def test_flagship_government_is_self_sustaining_only_below_its_budget():
    # Government at (active, deep, participate): W - C_g - tau*C_e - s - kappa*P - kappa_r*r > theta*W
    # (it pays relief, subsidy, its inspections and the publicity campaign).
    # Defaults W = 12, theta = 1/2, C_g = 2: s < 4 (with tau = P = r = 0), so the subsidy window is (1, 4);
    # the penalty alone: P > 1 for the enterprise and 12 - 2 - P/2 > 6, P < 8; publicity likewise 1 < r < 8.
    f = model_findings(get("government_school_enterprise"))
    s = next(t for t in f.thresholds if t.parameter == "s")
    assert (s.minimum, s.maximum) == (1, 4)
    for name in ("P", "r"):
        t = next(t for t in f.thresholds if t.parameter == name)
        assert (t.minimum, t.maximum, t.cost) == (1, 8, sympy.Rational(1, 2))
    assert any("W > C_e*tau + C_g + P*kappa + W*theta + kappa_r*r + s" in line for line in f.government)
    # From the status quo (passive, deep, nominal) the government turns active iff what it collects from
    # the nominal enterprise outweighs governing, inspecting and publicising: L_g + P > C_g + kappa P + kappa_r r.
    assert any("L_g + P > C_g + P*kappa + kappa_r*r" in line for line in f.government)


def test_public_cost_counts_government_and_outside_payments():
    m = get("government_school_enterprise")
    g = m.with_policy()
    C_e, tau, s, P, r, kappa, kappa_r = (g.symbol(n) for n in ("C_e", "tau", "s", "P", "r", "kappa", "kappa_r"))
    # Relief, subsidy, and the inspections and the campaign an active government pays at every profile.
    assert public_cost(g, ("active", "deep", "participate")) == sympy.expand(C_e * tau + s + kappa * P + kappa_r * r)
    # Rectification collected from both a shallow school and a nominal enterprise, net of the same costs.
    assert public_cost(g, ("active", "shallow", "nominal")) == sympy.expand(-2 * P + kappa * P + kappa_r * r)
    # A passive government inspects nobody and pays nothing.
    assert public_cost(g, ("passive", "deep", "participate")) == 0


def test_cheapest_mix_with_paid_instruments_only():
    mix, note = cheapest_mix(get("school_enterprise"), ["fund_guarantee", "tax_relief"])
    # min s + 6*tau subject to s + 6*tau > 1: infimum 1, at either vertex; fewer instruments first.
    assert note == "" and mix.cost == 1
    levels = dict(mix.levels)
    assert levels["s"] + 6 * levels["tau"] == 1


def test_cheapest_mix_reports_infeasibility():
    # Benefit sharing alone cannot work when the joint surplus condition fails:
    # R_s + R_e - C_s - C_e - 2K > F_s + F_e. Raise F_e to 10: 18 - 10 - 2 = 6 < 11.
    m = get("school_enterprise")
    from dataclasses import replace

    from coopgame.models.school_enterprise import school_enterprise_parameters

    params = {p.name: p for p in school_enterprise_parameters()}
    game = m.game.with_parameters(params["F_e"].with_default(10))
    worse = replace(m, game=game, policy_levels=())
    mix, note = cheapest_mix(worse, ["benefit_sharing"])
    assert mix is None and "no mix" in note


@pytest.mark.parametrize("name", ["school_enterprise", "internship", "government_school_enterprise",
                                  "internship_bargaining", "dual_teachers", "education_group",
                                  "integration_city", "teacher_practice", "integration_partnership",
                                  "partner_choice", "risk_sharing", "central_local_government"])
def test_cheapest_policy_agrees_with_the_independent_vertex_enumeration(name):
    # Two implementations of the same exact linear programme: coopgame.analysis.cheapest_policy
    # and findings.cheapest_mix (own Gaussian elimination over the rationals).
    m = get(name)
    groups = [()] + [(n,) for n in m.instrument_names]
    for group in groups:
        a, note_a = findings.policy_mix(m, group)
        b, note_b = cheapest_mix(m, group)
        assert (a is None) == (b is None), (group, note_a, note_b)
        if a is not None:
            assert a.cost == b.cost, group
            assert a.free == b.free, group


def test_repetition_alone_matches_grim_trigger_by_hand():
    # Internship defaults: cooperation (train, engage) gives the enterprise C = 6 - 3 - 2 = 1,
    # exploiting an engaged intern D = 4 - 1 - 1 = 2, the stage equilibrium (exploit, shirk)
    # P = 2 - 1 - 1 = 0: delta* = (D - C)/(D - P) = 1/2 (Friedman 1971).
    assert "at least 1/2 (per player: enterprise 1/2, student 0" in findings._repetition(get("internship"))
    # School-enterprise: the stage equilibrium (deep, nominal) gives the enterprise F_e = 2 > 1 =
    # R_e - C_e - K, so reverting to it is no punishment.
    assert "threat is empty" in findings._repetition(get("school_enterprise"))


def test_a_zero_public_cost_is_explained_and_a_priced_model_has_none():
    # Regression (issue 17): "costs the public budget 0" was printed without saying that
    # penalties are never paid at full cooperation and that monitoring and publicity were free.
    # school_enterprise prices its inspections now; the zero that remains is the benefit-sharing
    # transfer, which the school pays the enterprise out of its own gain, and the note says so.
    se = findings.model_findings(get("school_enterprise"))
    assert se.cheapest.cost == 0 and se.cheapest.free == ("T",)
    assert "transfer from school to enterprise" in se.zero_note and "true by construction" not in se.zero_note
    assert "What the zero means" in se.to_markdown()
    # A model still without any priced instrument says that its zero is true by construction.
    ip = findings.model_findings(get("integration_partnership"))
    assert ip.cheapest.cost == 0 and "true by construction" in ip.zero_note
    # Priced enforcement and publicity: the cheapest mix of central_local_government costs 1/2
    # (publicity r just above 1 at campaign cost kappa_r r = r/2; derivation in the model's page).
    cl = findings.model_findings(get("central_local_government"))
    assert cl.cheapest.cost == sympy.Rational(1, 2) and cl.zero_note == ""


@pytest.mark.parametrize("name, cost, levels", [
    # Enterprise's gap at (train, engage): (V_x - w_c - pL) - (V - w_f - C_t) = 2 - 1 = 1, closed by
    # s (1 per unit), P (inspection kappa = 1/2 per unit) or r (campaign kappa_r = 1/2 per unit).
    ("internship", sympy.Rational(1, 2), None),
    # The enterprise's gap 3/5 closed by P at kappa = 1/2: 3/10 (s and tau cost 1 per unit of gap).
    ("internship_bargaining", sympy.Rational(3, 10), {"P": sympy.Rational(3, 5)}),
    # An enterprise's gain from contributing is -1 at the defaults; the audited penalty costs kappa F
    # once, publicity kappa_r rho for each of the 3 members: F -> 1 at 1/2 is cheapest.
    ("education_group", sympy.Rational(1, 2), {"F": 1, "rho": 0}),
    # The school needs E > K - Q_t = 1 (title salary kappa_E E = 1/2 per unit; W cancels from its
    # choice); the enterprise W + S_h > D - G - H = 2 is met by the school's pay W, free for the budget.
    ("dual_teachers", sympy.Rational(1, 2), {"E": 1, "S_h": 0}),
    # T - R = 4 must be covered by s + q (1 - p) F = s + 4q; the platform costs kappa_q q = 2q, the
    # incentive 2s (both sides): q -> 1 at cost 2.
    ("integration_city", 2, {"q": 1, "s": 0}),
    # The government's gap: r > 1 or P > 1, each at 1/2 per unit (inspection or campaign).
    ("government_school_enterprise", sympy.Rational(1, 2), None),
])
def test_priced_enforcement_gives_the_real_cost_of_cooperation(name, cost, levels):
    # Regression (issue 17): these models printed "costs the public budget 0" because penalties and
    # publicity were free; with inspection, audit, title-salary, platform and campaign costs priced
    # the cheapest mix has a positive cost, an infimum (the conditions are strict), and no zero note.
    f = findings.model_findings(get(name))
    assert f.cheapest.cost == cost and not f.cheapest.attained and f.zero_note == ""
    if levels is not None:
        got = dict(f.cheapest.levels)
        assert {k: got[k] for k in levels} == levels


def test_cheapest_mix_refuses_a_closure_whose_open_region_is_empty():
    # central_local_government, local subsidy alone: the enterprise needs s > 1 and the local
    # government 1 - s > 0, so no s works, although the closure {s = 1} is not empty. The vertex
    # enumeration used to report cost 1 there; cheapest_policy reported infeasible.
    m = get("central_local_government")
    mix, note = cheapest_mix(m, ["local_subsidy"])
    assert mix is None and "no mix" in note
    a, _ = findings.policy_mix(m, ["local_subsidy"])
    assert a is None


def test_two_critical_discount_factors_each_name_their_monitoring_assumption():
    # Regression (issue 17): each model printed two critical discount factors without saying which
    # monitoring assumption each rests on.
    import coopgame.models.integration_city as ic
    import coopgame.models.internship_bargaining as ib

    # integration_city at the defaults: T = G - pF = 8 - 1 = 7, R = V - k(1 - tau) = 6 - 3 = 3,
    # P = -pF = -1. Perfect monitoring (Friedman): (T - R)/(T - P) = 4/8 = 1/2. Detection with
    # probability p = 1/5 only: (T - R)/(T - R + p (R - P)) = 4/(4 + 4/5) = 5/6.
    city = get("integration_city")
    alone = findings._repetition(city)
    assert "at least 1/2" in alone and "perfect monitoring" in alone
    extra = ic.findings_extra(city)
    assert "the threshold is 5/6" in extra and "two monitoring assumptions" in extra
    assert "information asymmetry" in extra and "detected (and fined F) only with probability p" in extra
    assert "imperfect monitoring" in ic.__doc__ and "perfect monitoring" in ic.__doc__

    # internship_bargaining at the defaults: honouring gives the enterprise R = 27/10, exploiting an
    # engaged intern under a delegating school T = 33/10 (derivation in critical_discount_factor).
    # Cohort threshold, exploitation found out with q = p = 1/5, fall-back o_e = 3/2:
    # (3/5)/(3/5 + (1/5)(6/5)) = 5/7. Perfect monitoring with minmax punishment (Friedman):
    # (T - R)/(T - m) with m the enterprise's pure minmax payoff, computed here from the table.
    bargaining = get("internship_bargaining")
    game = bargaining.game.subs(bargaining.game.defaults())
    i = game.players.index("enterprise")
    others = [game.strategy_lists[j] for j in range(len(game.players)) if j != i]
    import itertools

    def profile(own, rest):
        rest = list(rest)
        return tuple(own if j == i else rest.pop(0) for j in range(len(game.players)))

    m = min(max(game.payoff("enterprise", profile(a, rest)) for a in game.strategy_lists[i])
            for rest in itertools.product(*others))
    R, T = sympy.Rational(27, 10), sympy.Rational(33, 10)
    assert game.payoff("enterprise", ("honour", "engage", "delegate")) == R
    assert (T - R) / (T - m) == sympy.Rational(3, 23)
    alone = findings._repetition(bargaining)
    assert "at least 3/23" in alone and "perfect monitoring" in alone
    assert ib.critical_discount_factor({}) == sympy.Rational(5, 7)
    extra = ib.findings_extra(bargaining)
    assert "delta* = 5/7" in extra and "two monitoring assumptions" in extra
    assert "found out only with probability q per cohort" in extra
    assert "imperfect monitoring" in ib.__doc__ and "perfect" in ib.__doc__


def test_findings_read_from_the_one_analysis_pipeline(monkeypatch):
    # Issue 12: the findings use coopgame.analysis.pipeline.analyze (as `coopgame report` does), with
    # its InstrumentThreshold, instead of a second pipeline of their own.
    import ast

    from coopgame.analysis import pipeline

    calls = []
    real = findings.analyze

    def spy(obj, *args, **kwargs):
        calls.append(kwargs.get("policy", ()))
        return real(obj, *args, **kwargs)

    monkeypatch.setattr(findings, "analyze", spy)
    f = model_findings(get("school_enterprise"))
    assert calls == [(), "all"]  # the status quo and the game with every instrument, once each
    status, policy = f.analyses
    assert isinstance(status, pipeline.Analysis) and isinstance(policy, pipeline.Analysis)
    assert findings.InstrumentThreshold is pipeline.InstrumentThreshold
    assert all(type(t) is pipeline.InstrumentThreshold for t in f.thresholds)
    assert [(t.instrument, t.parameter, t.minimum) for t in f.thresholds] == \
        [(t.instrument, t.parameter, t.minimum) for t in status.thresholds]
    assert f.status_quo_stable == tuple(e.profile for e in status.strict_equilibria if status.holds(e))
    # No second path in the module: it imports neither the threshold solver nor the equilibrium
    # search, and no linear-programme check (that lives in tests/lp_check.py).
    tree = ast.parse(Path(findings.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) for alias in node.names}
    assert not imported & {"minimum_instrument", "pure_equilibria", "solve_rational", "threshold"}


@pytest.mark.slow  # a property test over the exact linear programme: `pytest -m slow`, CI
@settings(max_examples=12, deadline=None)
@given(st.fractions(min_value=Fraction(1, 8), max_value=2, max_denominator=8),
       st.fractions(min_value=Fraction(1, 8), max_value=2, max_denominator=8))
def test_internship_cheapest_cost_is_the_cheapest_unit_of_the_gap(kappa, kappa_r):
    # Internship at the defaults: (train, engage) is stable iff s + P + r > 1 (the enterprise's gap
    # (V_x - w_c - pL) - (V - w_f - C_t) = 2 - 1; the student engages since (1 - sigma) G = 3 > e = 2).
    # At the target the public budget pays s + kappa P + kappa_r r, so the infimum of the programme
    # is the cheapest unit price times the gap: min(1, kappa, kappa_r), never attained.
    from dataclasses import replace

    m = get("internship")
    k, kr = sympy.Rational(kappa.numerator, kappa.denominator), sympy.Rational(kappa_r.numerator, kappa_r.denominator)
    game = m.game.with_parameters(m.game.parameter("kappa").with_default(k),
                                  m.game.parameter("kappa_r").with_default(kr))
    mix, note = findings.policy_mix(replace(m, game=game))
    assert note == "" and mix.cost == min(sympy.Integer(1), k, kr) and not mix.attained
