"""Mathematics of the models added for issue 17: teachers, integration, partner choice, risk
sharing, central and local government. Each expected number is derived in the test."""

from __future__ import annotations

from fractions import Fraction

import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from coopgame.findings import public_cost
from coopgame.models import get
from coopgame.models.integration_partnership import critical_discount_by_integration, stage_integration_thresholds
from coopgame.models.partner_choice import pairings
from coopgame.models.risk_sharing import certainty_equivalents, commitment_interval, risk_premia
from coopgame.policy import Expense
from coopgame.repeated import critical_discount_factor

R = sympy.Rational


def _stable(game, values):
    named = {s.name: v for s, v in values.items()}
    return [tuple(e.profile) for e in game.pure_equilibria(strict=True) if e.holds(named)]


# ------------------------------------------------------------------------------ teachers
def test_teacher_salary_reform_alone_never_works_at_the_defaults():
    # The teacher needs w > c_t - g = 1, the school (1 - phi) Q_t - K - w = 1 - w > 0: empty.
    m = get("teacher_practice")
    game = m.with_policy("salary_reform")
    for w in (R(1, 2), 1, R(3, 2), 3):
        assert m.target not in _stable(game, m.values({"w": w}))
    # With the evaluation credit the teacher moves and the school keeps seconding: E = 1, w = 1/2.
    assert m.target in _stable(m.with_policy(), m.values({"E": 1, "w": R(1, 2), "S_h": 2}))


def test_teacher_status_quo_survives_every_reform():
    # At (keep, refuse, classroom): seconding costs K, hosting D, practising c_t + o; no instrument
    # acts there (every instrument needs practice to take place).
    m = get("teacher_practice")
    for levels in ({"E": 2, "w": 5, "S_h": 5}, {"E": 0, "w": 0, "S_h": 10}):
        assert ("keep", "refuse", "classroom") in _stable(m.with_policy(), m.values(levels))


# ------------------------------------------------------------------------------ integration
@settings(max_examples=15, deadline=None)
@given(st.fractions(min_value=0, max_value=Fraction(19, 20), max_denominator=20))
def test_integration_threshold_equals_the_closed_form(level):
    # delta_i* = (D_i - C_i)/(D_i - P_i) with C_s = beta V - c_s + iota((1 - beta)V - c_e),
    # D_s = h_s - iota c_e, P = 0 (module docstring); defaults V = 10, beta = 1/2, c_s = 2, c_e = 4,
    # h_s = 4, h_e = 6.
    i = R(level.numerator, level.denominator)
    C = {"school": 3 + i * 1, "enterprise": 1 + i * 3}
    D = {"school": 4 - 4 * i, "enterprise": 6 - 2 * i}
    per = [max(0, (D[k] - C[k]) / D[k]) if D[k] > C[k] else 0 for k in C]
    (_, delta), = critical_discount_by_integration(get("integration_partnership"), [i])
    assert delta == max(per)


def test_integration_lowers_the_threshold_and_ownership_alone_does_not_move_the_enterprise():
    m = get("integration_partnership")
    values = [d for _, d in critical_discount_by_integration(m, [0, R(1, 4), R(1, 2), R(3, 4)])]
    assert values == sorted(values, reverse=True) and values[0] == R(5, 6)
    assert stage_integration_thresholds(m, m.defaults) == {"school": R(1, 5), "enterprise": 1}
    # At arm's length the grim-trigger threshold is the generic one of coopgame.repeated.
    base = {s: v for s, v in m.defaults.items() if s in m.game.free_symbols}
    assert critical_discount_factor(m.game.subs(base), m.target, "nash").delta == R(5, 6)


# ------------------------------------------------------------------------------ partner choice
def test_partner_choice_pairings_are_stable_iff_the_deviation_inequalities_hold():
    m = get("partner_choice")
    # f_s = q_s (r_s + u_s) = 7/2 > v_s = 3: only mutual pursuit of fame is stable.
    rows = {row[0]: row for row in pairings(m)}
    assert [p for p, row in rows.items() if row[-1]] == [("famous", "famous")]
    assert rows[("compatible", "compatible")][3] == 7 and rows[("famous", "famous")][3] == R(11, 2)
    # With v_s = 4 > 7/2 and v_e = 4 > f_e = 2 both pairings are stable (stag hunt).
    stable = [row[0] for row in pairings(m, m.values({"v_s": 4})) if row[-1]]
    assert stable == [("compatible", "compatible"), ("famous", "famous")]


# ------------------------------------------------------------------------------ risk sharing
@settings(max_examples=20, deadline=None)
@given(st.fractions(min_value=0, max_value=1, max_denominator=12),
       st.fractions(min_value=Fraction(1, 20), max_value=Fraction(19, 20), max_denominator=20))
def test_certainty_equivalent_is_mean_minus_half_risk_aversion_times_variance(lam, pi):
    # Direct computation from the two-point lottery of each side.
    m = get("risk_sharing")
    lam, pi = R(lam.numerator, lam.denominator), R(pi.numerator, pi.denominator)
    vals = m.values({"lam": lam, "pi": pi})
    d = {s.name: v for s, v in vals.items()}
    ce = certainty_equivalents(m, vals)
    for who, share in (("school", lam), ("enterprise", 1 - lam)):
        R_i, c_i, a_i = (d[f"R_{who[0]}"], d[f"c_{who[0]}"], d[f"a_{who[0]}"])
        good, bad = R_i - c_i, -c_i - share * d["L"]
        mean = (1 - pi) * good + pi * bad
        var = (1 - pi) * (good - mean) ** 2 + pi * (bad - mean) ** 2
        assert ce[who] == mean - a_i / 2 * var
        assert risk_premia(m, vals)[who] == a_i / 2 * var


def test_risk_sharing_interval_is_where_both_commit():
    m = get("risk_sharing")
    interval = commitment_interval(m, m.defaults)
    for lam in (R(1, 4), R(1, 2), R(2, 3), R(7, 10)):
        inside = bool(interval.contains(lam))
        assert inside == (m.target in _stable(m.game, m.values({"lam": lam}))), lam


# ------------------------------------------------------------------------------ central and local
def test_central_local_public_cost_counts_both_governments_and_the_priced_enforcement():
    m = get("central_local_government")
    game = m.with_policy()
    # At full cooperation: local pays s + kappa_r r - m, central pays m + kappa p.
    s, mm, p, r, kappa, kappa_r = sympy.symbols("s m p r kappa kappa_r", nonnegative=True)
    cost = public_cost(game, m.target)
    names = {sym.name: sym for sym in cost.free_symbols}
    assert sympy.expand(cost - (names["s"] + names["kappa_r"] * names["r"] + names["kappa"] * names["p"])) == 0
    assert any(isinstance(i, Expense) for i in game.policies)


def test_central_local_inspection_starts_the_policy_above_one_fifth():
    # Status quo strict iff c_c + kappa p > p F + L_c: 2 + p > 6 p + 1 iff p < 1/5.
    m = get("central_local_government")
    game = m.with_policy("inspection")
    sq = ("lax", "neglect", "deep", "nominal")
    assert sq in _stable(game, m.values({"p": R(1, 6)}))
    assert sq not in _stable(game, m.values({"p": R(1, 4)}))
