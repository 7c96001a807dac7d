"""The generated findings: current, deterministic, and right where they can be derived by hand."""

from __future__ import annotations

from pathlib import Path

import pytest
import sympy
from lp_check import cheapest_mix

from coopgame import findings
from coopgame.findings import findings_markdown, model_findings, public_cost
from coopgame.models import get

COMMITTED = Path(__file__).resolve().parent.parent / "docs" / "findings.md"


@pytest.fixture(scope="module")
def generated() -> str:
    return findings_markdown()


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


def test_check_mode_detects_a_stale_file(tmp_path, monkeypatch):
    # The command's logic, with a small document standing in for the full one.
    monkeypatch.setattr(findings, "findings_markdown", lambda: findings_markdown(["internship"]))
    path = tmp_path / "findings.md"
    path.write_text("# stale\n", encoding="utf-8")
    assert findings.main([str(path), "--check"]) == 1
    assert findings.main([str(path)]) == 0
    assert findings.main([str(path), "--check"]) == 0


def test_school_enterprise_thresholds_match_the_hand_derivation():
    # Enterprise at (deep, participate): R_e - C_e - K + s + tau*C_e + P + T > F_e
    # defaults R_e = 8, C_e = 6, K = 1, F_e = 2: each instrument alone needs level > 1,
    # except tau: 6*tau > 1, tau > 1/6. Outside spending: s, tau*C_e; P and T cost nothing.
    f = model_findings(get("school_enterprise"))
    got = {t.parameter: (t.minimum, t.attained, t.cost) for t in f.thresholds}
    assert got == {"s": (1, False, 1), "tau": (sympy.Rational(1, 6), False, 1), "P": (1, False, 0),
                   "T": (1, False, 0)}
    # Benefit sharing is bounded by the school's own incentive: R_s - C_s - K - T > F_s, T < 4.
    sharing = next(t for t in f.thresholds if t.parameter == "T")
    assert sharing.maximum == 4
    assert f.cheapest.cost == 0 and set(f.cheapest.free) == {"P", "T"}


def test_flagship_government_is_self_sustaining_only_below_its_budget():
    # Government at (active, deep, participate): W - C_g - tau*C_e - s > theta*W.
    # Defaults W = 12, theta = 1/2, C_g = 2: s < 4 (with tau = 0), so the subsidy window is (1, 4).
    f = model_findings(get("government_school_enterprise"))
    s = next(t for t in f.thresholds if t.parameter == "s")
    assert (s.minimum, s.maximum) == (1, 4)
    assert any("W > C_e*tau + C_g + W*theta + s" in line for line in f.government)
    # From the status quo (passive, deep, nominal) the government turns active iff L_g + P > C_g.
    assert any("L_g + P > C_g" in line for line in f.government)


def test_public_cost_counts_government_and_outside_payments():
    m = get("government_school_enterprise")
    g = m.with_policy()
    C_e, tau, s, P = (g.symbol(n) for n in ("C_e", "tau", "s", "P"))
    assert public_cost(g, ("active", "deep", "participate")) == sympy.expand(C_e * tau + s)
    # Rectification collected from both a shallow school and a nominal enterprise.
    assert public_cost(g, ("active", "shallow", "nominal")) == -2 * P


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
                                  "internship_bargaining"])
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
