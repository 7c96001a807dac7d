"""Catalogue models 1-4: the mathematics each model claims, derived by hand and checked.

Each test names its derivation in a comment; hypothesis draws only valid regimes (values that
satisfy the model's assumptions and the regime the test is about).
"""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from coopgame.bargaining import nash_bargaining
from coopgame.models import get
from coopgame.models.internship_bargaining import (
    agreement,
    bargaining_problem,
    cheap_labour_condition,
    critical_discount_factor,
)

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                           HealthCheck.filter_too_much])


def _q(lo, hi, denominator=8):
    return st.fractions(min_value=Fraction(lo), max_value=Fraction(hi), max_denominator=denominator).map(
        lambda f: sympy.Rational(f.numerator, f.denominator))


def _stable(game, values):
    return [e.profile for e in game.pure_equilibria(strict=True) if e.holds(values)]


class _Table:
    """The strict-equilibrium conditions of a game, computed once, evaluated by substitution."""

    def __init__(self, game):
        self.game = game
        self.eqs = game.pure_equilibria(strict=True)

    def stable(self, values):
        vals = {self.game.symbol(n): v for n, v in values.items() if n in {p.name for p in self.game.parameters}}
        return [e.profile for e in self.eqs if bool(e.condition.xreplace(vals))]


_TABLES = {}


def _table(name, *instruments):
    key = (name, instruments)
    if key not in _TABLES:
        m = get(name)
        _TABLES[key] = _Table(m.with_policy(*instruments) if instruments else m.game)
    return _TABLES[key]


# ---------------------------------------------------------------------------------- model 1
@st.composite
def hot_school_cold_enterprise(draw):
    """Valid regimes built directly: alpha R_s > C_s (the school commits even alone),
    R_s - C_s - K > F_s, 0 < R_e - C_e - K < F_e < R_e (the enterprise gains from cooperation but
    more from free-riding), and the joint-surplus assumption."""
    alpha, C_s, C_e, K = draw(_q("1/4", 1)), draw(_q(1, 10)), draw(_q(1, 10)), draw(_q(0, 3))
    R_s = C_s / alpha + K + draw(_q("1/8", 5))
    F_s = (R_s - C_s - K) * draw(_q(0, "7/8"))
    d2 = draw(_q("1/8", 5))
    R_e = C_e + K + d2
    F_e = d2 + (R_e - d2) * draw(_q("1/8", "7/8"))
    assume(R_s + R_e - C_s - C_e - 2 * K > F_s + F_e)
    return {"alpha": alpha, "C_s": C_s, "C_e": C_e, "K": K, "R_s": R_s, "F_s": F_s, "R_e": R_e, "F_e": F_e}


@SETTINGS
@given(hot_school_cold_enterprise())
def test_hot_schools_cold_enterprises_is_the_unique_stable_state(values):
    # Deep is dominant for the school (alpha R_s - C_s > 0 and R_s - C_s - K > F_s), nominal is
    # the enterprise's best reply to deep (F_e > R_e - C_e - K), so (deep, nominal) is strict;
    # no profile with a shallow school is an equilibrium, nor is (deep, participate).
    assert _table("school_enterprise").stable(values) == [("deep", "nominal")]


@SETTINGS
@given(hot_school_cold_enterprise(), _q(0, 10))
def test_benefit_sharing_works_iff_the_transfer_fits_both_sides(values, T):
    # With transfer T: school needs R_s - C_s - K - T > F_s, enterprise R_e - C_e - K + T > F_e.
    expected = (values["R_s"] - values["C_s"] - values["K"] - values["F_s"] > T
                > values["F_e"] + values["K"] + values["C_e"] - values["R_e"])
    stable = _table("school_enterprise", "benefit_sharing").stable({**values, "T": T})
    assert (("deep", "participate") in stable) == expected


def test_school_enterprise_policy_levels_from_the_paper_mechanisms():
    # At the defaults the enterprise's gap is F_e + K + C_e - R_e = 2 + 1 + 6 - 8 = 1.
    m = get("school_enterprise")
    for name, level, works in (("fund_guarantee", {"s": 1}, False), ("fund_guarantee", {"s": "11/10"}, True),
                               ("tax_relief", {"tau": "1/6"}, False), ("tax_relief", {"tau": "1/5"}, True),
                               ("rectification", {"P": 2}, True)):
        g = m.with_policy(name)
        stable = _stable(g, {**{s.name: v for s, v in m.defaults.items()}, **level})
        assert (("deep", "participate") in stable) == works, (name, level)


# ---------------------------------------------------------------------------------- model 3
def test_flagship_payoffs_follow_the_derivation():
    m = get("government_school_enterprise")
    g = m.with_policy()
    x = {p.name: p.symbol for p in m.parameters}
    # Government, active at full cooperation: W - C_g - tau*C_e - s - kappa*P - kappa_r*r (it pays the
    # relief and subsidy, the inspections behind the penalty and the publicity campaign).
    assert sympy.expand(g.payoff("government", ("active", "deep", "participate"))
                        - (x["W"] - x["C_g"] - x["tau"] * x["C_e"] - x["s"] - x["kappa"] * x["P"]
                           - x["kappa_r"] * x["r"])) == 0
    # Active facing a shallow school and a nominal enterprise: it collects P twice, still pays its
    # inspections and campaign: -C_g + 2P - kappa*P - kappa_r*r.
    assert sympy.expand(g.payoff("government", ("active", "shallow", "nominal"))
                        - (-x["C_g"] + 2 * x["P"] - x["kappa"] * x["P"] - x["kappa_r"] * x["r"])) == 0
    # Passive: theta*W at full cooperation, -L_g when the enterprise is nominal.
    assert g.payoff("government", ("passive", "deep", "participate")) == x["theta"] * x["W"]
    assert g.payoff("government", ("passive", "shallow", "nominal")) == -x["L_g"]
    # Enterprise, active government: R_e - C_e - K + tau*C_e + s + r; nominal: F_e - P.
    assert sympy.expand(g.payoff("enterprise", ("active", "deep", "participate"))
                        - (x["R_e"] - x["C_e"] - x["K"] + x["tau"] * x["C_e"] + x["s"] + x["r"])) == 0
    assert g.payoff("enterprise", ("active", "deep", "nominal")) == x["F_e"] - x["P"]
    # Instruments act only when the government is active.
    for profile in g.profiles():
        if profile[0] == "passive":
            assert g.payoffs(profile) == m.game.payoffs(profile)


@SETTINGS
@given(_q(0, 1), _q(0, 6), _q(0, 3), _q(0, 3), _q(1, 30), _q(0, 1), _q(1, 5))
def test_active_government_is_self_sustaining_iff_its_gain_covers_its_payments(tau, s, r, P, W, theta, C_g):
    # At (active, deep, participate) the government loses W - C_g - tau*C_e - s - kappa P - kappa_r r
    # - theta*W by turning passive; its strategy is a strict best reply iff
    # (1 - theta) W > C_g + tau C_e + s + kappa P + kappa_r r, with C_e = 6 and kappa = kappa_r = 1/2.
    m = get("government_school_enterprise")
    g = m.with_policy()
    values = {**{k.name: v for k, v in m.defaults.items()},
              "tau": tau, "s": s, "r": r, "P": P, "W": W, "theta": theta, "C_g": C_g}
    gains = [d for player, _a, d in __import__("coopgame").equilibria.deviation_gains(g, m.target)
             if player == "government"]
    value = gains[0].xreplace({g.symbol(n): v for n, v in values.items() if n in {p.name for p in g.parameters}})
    assert (value > 0) == ((1 - theta) * W > C_g + tau * 6 + s + P / 2 + r / 2)


# ---------------------------------------------------------------------------------- model 2
@SETTINGS
@given(_q(0, 6), _q(0, 6), _q(0, 6))
def test_internship_training_is_stable_iff_the_instruments_close_the_gap(s, P, r):
    # Defaults: training pays V - w_f - C_t = 1, exploiting an engaged intern V_x - w_c - pL = 2;
    # (train, engage) is stable iff s + P + r > 1 (the student engages since (1-sigma)G = 3 > e = 2).
    m = get("internship")
    g = m.with_policy()
    values = {**{k.name: v for k, v in m.defaults.items()}, "s": s, "P": P, "r": r}
    assert (("train", "engage") in _stable(g, values)) == (s + P + r > 1)
    # The cheap-labour state (exploit, shirk) survives while exploiting still pays against a
    # shirking intern: -3 + s + P + r < 0.
    assert (("exploit", "shirk") in _stable(g, values)) == (s + P + r < 3)


# ---------------------------------------------------------------------------------- model 4
@st.composite
def bargaining_values(draw):
    v = {n: draw(_q(1, 10)) for n in ("V", "G", "C_t", "e", "beta_e", "beta_c", "beta_t")}
    v.update(c_o=draw(_q(0, 2)), o_e=draw(_q(0, 4)), o_c=draw(_q(0, 2)), o_t=draw(_q(0, 4)), phi=draw(_q(0, 1)),
             s=draw(_q(0, 3)), tau=draw(_q(0, 1)))
    surplus = v["V"] + v["G"] - (1 - v["tau"]) * v["C_t"] - v["c_o"] - v["e"] + v["s"]
    assume(surplus > v["o_e"] + v["o_c"] + v["o_t"])
    return v


_SOLUTION = bargaining_problem()


@SETTINGS
@given(bargaining_values())
def test_bargaining_split_is_efficient_rational_and_matches_the_closed_form(values):
    # Nash (1950), generalised: x_i = o_i + omega_i (S - sum o); sum x_i = S; x_i > o_i.
    x = {s.name: s for s in _SOLUTION.surplus.free_symbols | {sym for v in _SOLUTION.disagreement.values()
                                                                  for sym in v.free_symbols}}
    sol_payoffs = {k: v.xreplace({x[n]: values[n] for n in x}).xreplace(
        {s: values[s.name] for s in v.free_symbols}) for k, v in _SOLUTION.payoffs.items()}
    S = values["V"] + values["G"] - (1 - values["tau"]) * values["C_t"] - values["c_o"] - values["e"] + values["s"]
    assert sum(sol_payoffs.values()) == S
    total = values["beta_e"] + values["beta_c"] + values["beta_t"]
    for party, o, beta in (("enterprise", "o_e", "beta_e"), ("school", "o_c", "beta_c"), ("student", "o_t", "beta_t")):
        expected = values[o] + values[beta] / total * (S - values["o_e"] - values["o_c"] - values["o_t"])
        assert sol_payoffs[party] == expected
        assert sol_payoffs[party] > values[o]
    # Independent check against the library's numeric entry point.
    direct = nash_bargaining(S, {"enterprise": values["o_e"], "school": values["o_c"], "student": values["o_t"]},
                             {"enterprise": values["beta_e"], "school": values["beta_c"],
                              "student": values["beta_t"]})
    assert dict(direct.payoffs) == sol_payoffs
    # Wage and cheap labour: w* = x_t - G + e, floored at w_min = 0 (no negative wages); cheap
    # iff the wage is below phi V.
    a = agreement(values)
    bargained = sol_payoffs["student"] - values["G"] + values["e"]
    assert a.wage == max(bargained, 0) and a.floor_binds == (bargained < 0)
    assert a.cheap_labour == bool(a.wage < values["phi"] * values["V"])
    if not a.floor_binds:
        cond = _CHEAP.xreplace({s: values[s.name] for s in _CHEAP.free_symbols})
        assert bool(cond) == a.cheap_labour


_CHEAP = cheap_labour_condition()


@SETTINGS
@given(_q(0, 4))
def test_wage_floor_window(w_min):
    # Defaults: S = 11/2, o = (3/2, 0, 2), G = 2, e = 1/2, fair wage phi V = 2, bargained wage 9/10.
    # A floor binds above 9/10; the agreement survives iff S - w_min - G + e > o_e + o_c, i.e.
    # w_min < 5/2; cheap labour ends iff the wage reaches 2.
    a = agreement({"w_min": w_min})
    assert a.floor_binds == (w_min > sympy.Rational(9, 10))
    assert a.wage == max(w_min, sympy.Rational(9, 10))
    assert a.exists == (w_min < sympy.Rational(5, 2))
    assert a.cheap_labour == (max(w_min, sympy.Rational(9, 10)) < 2)
    if a.floor_binds:
        assert sympy.simplify(sum(a.payoffs.values()) - sympy.Rational(11, 2)) == 0


@pytest.mark.parametrize("q", ["1/5", "1/2", "1"])
def test_critical_discount_factor_separates_honouring_from_exploiting(q):
    # Honouring forever: R/(1-d). Exploiting once, then with probability q the outside option
    # forever, else the agreement continues (one-shot deviation): T + d q o_e/(1-d) + d (1-q) R/(1-d).
    q = sympy.Rational(q)
    d_star = critical_discount_factor({}, visibility=q)
    R, T, o_e = sympy.Rational(27, 10), sympy.Rational(33, 10), sympy.Rational(3, 2)
    for d, honours in ((d_star + sympy.Rational(1, 100), True), (d_star - sympy.Rational(1, 100), False)):
        honour = R / (1 - d)
        exploit = T + d * q * o_e / (1 - d) + d * (1 - q) * R / (1 - d)
        assert (honour > exploit) == honours
    if q == 1:  # textbook grim trigger (T - R)/(T - P) with P = o_e (Friedman 1971)
        assert d_star == (T - R) / (T - o_e)


def test_bargaining_status_quo_cycles_and_the_subsidy_settles_it():
    # Inspection-game structure without policy: no pure profile is stable at the defaults
    # (exploit pays against a delegating school; the school then supervises; then honouring pays).
    m = get("internship_bargaining")
    assert _stable(m.game, {k.name: v for k, v in m.defaults.items()}) == []
    # Subsidy s > T - R = 3/5 makes honouring dominant against a delegating school.
    g = m.with_policy("training_subsidy")
    base = {k.name: v for k, v in m.defaults.items()}
    assert _stable(g, {**base, "s": sympy.Rational(3, 5)}) == []
    assert _stable(g, {**base, "s": sympy.Rational(7, 10)}) == [("honour", "engage", "delegate")]
