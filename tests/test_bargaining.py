"""Tests of coopgame.bargaining: closed forms, invariants, symbolic/numeric agreement, bad input."""

import math

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from coopgame.bargaining import (
    BargainingSolution,
    FrozenMap,
    kalai_smorodinsky,
    nash_bargaining,
    nash_bargaining_ntu,
    rubinstein,
    rubinstein_power,
)
from coopgame.errors import CoopgameError, ExpressionError, ParameterError, UnknownNameError

R = sympy.Rational


# ---------------------------------------------------------------- TU Nash bargaining: issue's numbers
def test_nash_bargaining_equal_powers_issue_example():
    # Closed form x_i = d_i + w_i (S - d_1 - d_2) (Roth 1979, ch. 1): net surplus 100 - 30 = 70,
    # equal powers give 20 + 35 = 55 and 10 + 35 = 45.
    sol = nash_bargaining(100, {"enterprise": 20, "student": 10})
    assert sol.payoffs == {"enterprise": 55, "student": 45}
    assert sol.agreement_condition is sympy.true
    assert sol.shares == {"enterprise": R(1, 2), "student": R(1, 2)}


def test_nash_bargaining_power_seven_tenths_issue_example():
    # Same formula with w = (7/10, 3/10): 20 + 0.7*70 = 69 and 10 + 0.3*70 = 31.
    sol = nash_bargaining(100, [20, 10], [0.7, 0.3], parties=["enterprise", "student"])
    assert sol.payoffs == {"enterprise": 69, "student": 31}
    # powers need not be normalised: 7 and 3 give the same split
    assert nash_bargaining(100, [20, 10], [7, 3], parties=["enterprise", "student"]).payoffs == sol.payoffs


def test_three_parties_school_enterprise_student():
    # Net surplus 120 - (10 + 20 + 30) = 60, powers 1:2:3 -> shares 10, 20, 30 on top of d.
    sol = nash_bargaining(120, {"school": 10, "enterprise": 20, "student": 30},
                          {"school": 1, "enterprise": 2, "student": 3})
    assert sol.payoffs == {"school": 20, "enterprise": 40, "student": 60}


def test_symbolic_surplus_and_subs_agree_with_numeric():
    # Internship bargaining: labour value L, training cost c, outside options o_e, o_s, power b.
    sym = nash_bargaining("L - c", {"enterprise": "o_e", "student": "o_s"}, {"enterprise": "b", "student": "1 - b"})
    vals = {"L": 130, "c": 30, "o_e": 20, "o_s": 10, "b": R(7, 10)}
    assert sym.subs(vals).payoffs == {"enterprise": 69, "student": 31}
    direct = nash_bargaining(100, {"enterprise": 20, "student": 10}, {"enterprise": R(7, 10), "student": R(3, 10)})
    assert sym.subs(vals).payoffs == direct.payoffs
    assert nash_bargaining("L - c", {"enterprise": "o_e", "student": "o_s"}, {"enterprise": "b", "student": "1 - b"},
                           values=vals).payoffs == direct.payoffs
    # efficiency holds identically
    assert sympy.simplify(sum(sym.payoffs.values()) - sym.surplus) == 0
    L, c, oe, os_ = (sympy.Symbol(n, real=True) for n in ("L", "c", "o_e", "o_s"))
    assert sympy.simplify(sym.agreement_condition.lhs - sym.agreement_condition.rhs - (L - c - oe - os_)) == 0


def test_sympy_expressions_are_accepted_and_unified_with_strings():
    L = sympy.Symbol("L", positive=True)
    sol = nash_bargaining(L, {"a": "L/4", "b": 0})
    # the string 'L' must become the same symbol as the sympy L
    assert sol.payoffs["a"] == 5 * L / 8
    assert sol.agreement_condition is sympy.true  # L - L/4 > 0 follows from L > 0


def test_no_agreement_condition():
    sol = nash_bargaining(20, [15, 10])
    assert sol.agreement_condition is sympy.false
    assert not sol.agrees()


def test_result_is_frozen_and_reports():
    sol = nash_bargaining(100, [20, 10])
    assert isinstance(sol, BargainingSolution)
    with pytest.raises(AttributeError):
        sol.surplus = 3
    hash(sol)
    assert "| party_1 | 20 | 1 | 1/2 | 55 |" in sol.to_markdown()
    assert isinstance(sol.payoffs, FrozenMap)


@settings(max_examples=60)
@given(
    d=st.lists(st.fractions(min_value=-50, max_value=50, max_denominator=20), min_size=2, max_size=4),
    net=st.fractions(min_value=R(1, 20), max_value=200, max_denominator=20),
    powers=st.lists(st.integers(min_value=0, max_value=9), min_size=4, max_size=4).filter(lambda p: sum(p) > 0),
)
def test_nash_bargaining_is_rational_efficient_and_maximises_the_nash_product(d, net, powers):
    n = len(d)
    powers = powers[:n]
    if sum(powers) == 0:
        powers[0] = 1
    S = sum(d) + net  # a valid regime: agreement exists
    sol = nash_bargaining(S, d, powers)
    x = [sol.payoffs[p] for p in sol.parties]
    # Pareto efficiency with transferable utility: the whole surplus is shared
    assert sum(x) == S
    # individual rationality
    assert all(xi >= di for xi, di in zip(x, d))
    assert sol.agreement_condition is sympy.true
    # the weighted Nash product sum_i w_i log(x_i - d_i) over parties with w_i > 0 is maximal:
    # moving eps from any party to another does not increase it
    w = [sympy.Rational(b, sum(powers)) for b in powers]
    pos = [i for i in range(n) if w[i] > 0]

    def nash_log(y):
        return sum(float(w[i]) * math.log(float(y[i] - d[i])) for i in pos)

    base = nash_log(x)
    eps = R(1, 1000) * net
    for i in pos:
        for j in range(n):
            if i != j and x[i] - eps > d[i]:
                y = list(x)
                y[i] -= eps
                y[j] += eps
                assert nash_log(y) <= base + 1e-12


def test_bad_input_names_the_item():
    with pytest.raises(ParameterError, match="bargaining power of 'student'"):
        nash_bargaining(100, {"enterprise": 20, "student": 10}, {"enterprise": 1, "student": -1})
    with pytest.raises(UnknownNameError, match="'teacher'"):
        nash_bargaining(100, {"enterprise": 20, "student": 10}, {"enterprise": 1, "teacher": 1})
    with pytest.raises(UnknownNameError, match="'teacher'"):
        nash_bargaining(100, {"enterprise": 20, "teacher": 10}, parties=["enterprise", "student"])
    with pytest.raises(ParameterError, match="sum to zero"):
        nash_bargaining(100, [1, 2], [0, 0])
    with pytest.raises(ParameterError, match="provably negative"):
        nash_bargaining(100, [1, 2], [sympy.Symbol("b", positive=True), -sympy.Symbol("c", positive=True)])
    with pytest.raises(ParameterError, match="surplus"):
        nash_bargaining(float("nan"), [1, 2])
    with pytest.raises(ExpressionError, match="surplus"):
        nash_bargaining("__import__('os')", [1, 2])
    with pytest.raises(ParameterError, match="3 values for 2 parties"):
        nash_bargaining(10, [1, 2, 3], parties=["a", "b"])
    assert issubclass(ParameterError, CoopgameError)


# ---------------------------------------------------------------- NTU
def test_ntu_transferable_case_matches_closed_form():
    # Utilities x_1, x_2 with x_1 + x_2 <= 100 is the TU problem: (69, 31) at powers (7, 3).
    sol = nash_bargaining_ntu({"e": "x1", "s": "x2"}, ["x1 + x2 <= 100"], {"e": 20, "s": 10}, {"e": 7, "s": 3},
                              rng=1)
    assert sol.payoffs["e"] == pytest.approx(69, abs=1e-6)
    assert sol.payoffs["s"] == pytest.approx(31, abs=1e-6)
    assert dict(sol.symbolic_outcome) == {sympy.Symbol("x1", real=True): 69, sympy.Symbol("x2", real=True): 31}
    assert sol.pareto_gap <= 1e-6


@pytest.mark.parametrize("a", [R(1, 5), R(1, 2), R(4, 5)])
def test_ntu_wage_bargaining_against_derivation(a):
    # Enterprise utility L - w, student utility 2 sqrt(w), d = (0, 0), powers (a, 1 - a).
    # FOC of a log(L - w) + (1 - a) log(2 sqrt w): -a/(L - w) + (1 - a)/(2 w) = 0
    # => w = (1 - a) L / (1 + a).
    L = 12
    sol = nash_bargaining_ntu({"enterprise": "L - w", "student": "2*sqrt(w)"}, ["w <= L"],
                              {"enterprise": 0, "student": 0}, {"enterprise": a, "student": 1 - a},
                              values={"L": L}, variables=["w"], bounds={"w": (0, L)}, rng=3)
    expected = (1 - a) * L / (1 + a)
    w = sympy.Symbol("w", real=True)
    assert sol.outcome[w] == pytest.approx(float(expected), rel=1e-6)
    Ls = sympy.Symbol("L", real=True)
    assert sympy.simplify(sol.symbolic_outcome[w] - (1 - a) * Ls / (1 + a)) == 0
    # individually rational, and no other wage is better for both (one variable: the frontier)
    assert all(u > 0 for u in sol.payoffs.values())
    assert sol.pareto_gap <= 1e-6


def test_ntu_concave_frontier_random_starts_agree():
    rng = np.random.default_rng(5)
    for _ in range(3):
        s = rng.uniform(5, 20)
        sol = nash_bargaining_ntu({"a": "u", "b": "v"}, [f"u + v**2 <= {s:.6f}"], [0, 0],
                                  bounds={"u": (0, s), "v": (0, math.sqrt(s))}, rng=rng, symbolic=False)
        # max log u + log v s.t. u + v^2 = s (equal powers, d = 0). Lagrange: 1/u = lam and
        # 1/v = 2 lam v, so u = 2 v^2; with u + v^2 = s: v = sqrt(s/3), u = 2 s/3.
        assert sol.payoffs["a"] == pytest.approx(2 * s / 3, rel=1e-5)
        assert sol.payoffs["b"] == pytest.approx(math.sqrt(s / 3), rel=1e-5)


def test_ntu_errors():
    from coopgame.errors import SolverError

    with pytest.raises(SolverError, match="disagreement"):
        nash_bargaining_ntu({"a": "x", "b": "y"}, ["x + y <= 1"], [1, 1], bounds={"x": (-5, 5), "y": (-5, 5)}, rng=0)
    with pytest.raises(ParameterError, match="'L'"):
        nash_bargaining_ntu({"a": "L - w", "b": "w"}, ["w <= L"], [0, 0], variables=["w"])
    with pytest.raises(UnknownNameError, match="'z'"):
        nash_bargaining_ntu({"a": "1 - w", "b": "w"}, ["w <= 1"], [0, 0], variables=["z"])


# ---------------------------------------------------------------- Kalai-Smorodinsky
def test_kalai_smorodinsky_tu_is_equal_split():
    # Ideal point a = (S - d_2, S - d_1) = (90, 80); equal gain fractions give (55, 45).
    ks = kalai_smorodinsky("u_1 + u_2 - 100", {"e": 20, "s": 10})
    assert ks.ideal == {"e": 90, "s": 80}
    assert ks.payoffs == {"e": 55, "s": 45}


def test_kalai_smorodinsky_curved_frontier_properties():
    ks = kalai_smorodinsky("u_1 + u_2**2 - S", [1, 0], values={"S": 10})
    x1, x2 = ks.payoffs.values()
    a1, a2 = ks.ideal.values()
    assert sympy.simplify(x1 + x2**2 - 10) == 0  # on the frontier
    assert sympy.simplify((x1 - 1) / (a1 - 1) - x2 / a2) == 0  # equal fractions of the ideal gains
    assert a1 == 10 and a2 == 3


def test_kalai_smorodinsky_symbolic():
    ks = kalai_smorodinsky("u_1 + u_2 - S", ["d_1", "d_2"])
    S, d1, d2 = (sympy.Symbol(n, real=True) for n in ("S", "d_1", "d_2"))
    assert sympy.simplify(ks.payoffs["party_1"] - (d1 + (S - d1 - d2) / 2)) == 0


# ---------------------------------------------------------------- Rubinstein
def test_rubinstein_issue_examples():
    # Rubinstein (1982): first mover's share (1 - d2)/(1 - d1 d2).
    # d = 9/10 both: (1/10)/(1 - 81/100) = 10/19.
    assert rubinstein(0.9, 0.9).first_mover_share == R(10, 19)
    # (9/10, 4/5): (1/5)/(1 - 72/100) = (1/5)/(7/25) = 5/7.
    sol = rubinstein("9/10", "4/5")
    assert sol.first_mover_share == R(5, 7)
    assert sol.second_mover_share == R(2, 7)


def test_rubinstein_symbolic_stationarity_and_limit():
    d1, d2 = sympy.symbols("delta_1 delta_2", positive=True)
    sol = rubinstein(d1, d2)
    x = sol.first_mover_share
    # stationary SPE: x = 1 - d2 * y and y = 1 - d1 * x (y: party 2's share when it proposes)
    y = 1 - d1 * x
    assert sympy.simplify(x - (1 - d2 * y)) == 0
    assert sympy.simplify(x + sol.second_mover_share - 1) == 0
    # continuous-time limit with delta_i = exp(-r_i h), h -> 0 (Binmore, Rubinstein, Wolinsky 1986)
    r1, r2, h = sympy.symbols("r_1 r_2 h", positive=True)
    share = rubinstein(sympy.exp(-r1 * h), sympy.exp(-r2 * h)).first_mover_share
    assert sympy.simplify(sympy.limit(share, h, 0) - rubinstein_power(r1, r2)) == 0
    assert rubinstein_power(0.05, 0.15) == R(3, 4)


@pytest.mark.parametrize("bad", [0, 1, 1.5, -0.1, "2"])
def test_rubinstein_rejects_deltas_outside_unit_interval(bad):
    with pytest.raises(ParameterError, match="delta_2"):
        rubinstein("1/2", bad)
    with pytest.raises(ParameterError, match="delta_1"):
        rubinstein(bad, "1/2")


def test_rubinstein_power_rejects_nonpositive_rates():
    with pytest.raises(ParameterError, match="r_1"):
        rubinstein_power(0, 1)


def test_unknown_parameter_names_in_values_are_rejected():
    with pytest.raises(UnknownNameError, match="'Lx'"):
        nash_bargaining("L - c", {"enterprise": "o_e", "student": "o_s"}, values={"Lx": 100})
    # a result's subs ignores names it does not contain (a model passes all its values)
    sol = nash_bargaining("L - c", {"enterprise": "o_e", "student": "o_s"})
    assert sol.subs({"L": 100, "c": 0, "o_e": 20, "o_s": 10, "other": 1}).payoffs == {"enterprise": 55, "student": 45}
    with pytest.raises(UnknownNameError, match="'q'"):
        kalai_smorodinsky("u_1 + u_2 - S", [0, 0], values={"q": 1})


@settings(max_examples=8)
@given(
    st.floats(min_value=0.5, max_value=3), st.floats(min_value=0.5, max_value=3),
    st.floats(min_value=4, max_value=10), st.floats(min_value=0.2, max_value=0.8),
)
def test_ntu_solution_is_rational_efficient_and_beats_a_grid(a, b, S, w):
    # A budget S split into a wage x and training resources y for the student, x + y <= S; the
    # enterprise values what it keeps, u_e = a sqrt(S - x - y) + 1 (disagreement 1), the student
    # u_s = log(1 + x) + b sqrt(y) (disagreement 0). All concave, the set convex.
    utilities = {"e": f"{a:.6f}*sqrt({S:.6f} - x - y) + 1", "s": f"log(1 + x) + {b:.6f}*sqrt(y)"}
    sol = nash_bargaining_ntu(utilities, [f"x + y <= {S:.6f}"], {"e": 1, "s": 0}, {"e": w, "s": 1 - w},
                              bounds={"x": (0, S), "y": (0, S)}, rng=0, symbolic=False)
    ue, us = sol.payoffs["e"], sol.payoffs["s"]
    assert ue > 1 and us > 0  # individually rational (strictly: the Nash product is finite)
    # brute force over a grid of the feasible triangle: no point is better for both by more than
    # the grid's resolution, and none has a larger Nash product
    n = 120
    xs = np.linspace(0, S, n)
    X, Y = np.meshgrid(xs, xs)
    ok = X + Y <= S
    UE = a * np.sqrt(np.clip(S - X - Y, 0, None)) + 1
    US = np.log1p(X) + b * np.sqrt(Y)
    assert not np.any(ok & (UE > ue + 1e-3) & (US > us + 1e-3))
    with np.errstate(divide="ignore", invalid="ignore"):
        product = w * np.log(UE - 1) + (1 - w) * np.log(US)
    assert np.nanmax(np.where(ok, product, -np.inf)) <= sol.nash_product + 1e-9


def test_kalai_smorodinsky_exact_algebraic_roots_beyond_radicals():
    # F = u_1 + u_2 + u_1**3 u_2**2 - 2 from (0, 0): ideal point (2, 2) (F(a, 0) = a - 2), and the
    # segment u = (2t, 2t) meets the frontier where 4t + 32 t**5 - 2 = 0, a quintic with rational
    # coefficients: the ratio is its single real root in (0, 1], an exact CRootOf, not a float.
    ks = kalai_smorodinsky("u_1 + u_2 + u_1**3*u_2**2 - 2", [0, 0])
    assert ks.ideal == {"party_1": 2, "party_2": 2}
    t = ks.ratio
    assert isinstance(t, sympy.CRootOf)
    assert abs(sympy.N(32 * t**5 + 4 * t - 2, 50)) < 1e-45
    assert 0 < t <= 1
    assert ks.payoffs["party_1"] == ks.payoffs["party_2"]


def test_kalai_smorodinsky_with_an_algebraic_ideal_point():
    # F = u_1 + u_2**5 + u_2 - 10 from (0, 0): a_1 = 10 and a_2 is the real root r of
    # r**5 + r = 10 (exact CRootOf). The segment (10t, r t) meets the frontier where
    # 10t + r**5 t**5 + r t = 10; its coefficients are algebraic, so the ratio is a 30-digit
    # float root. Both payoffs get the same fraction t of their ideal gain and lie on F = 0.
    ks = kalai_smorodinsky("u_1 + u_2**5 + u_2 - 10", [0, 0])
    a2 = ks.ideal["party_2"]
    assert ks.ideal["party_1"] == 10 and isinstance(a2, sympy.CRootOf)
    assert abs(sympy.N(a2**5 + a2 - 10, 50)) < 1e-45
    u1, u2 = (ks.payoffs[p] for p in ("party_1", "party_2"))
    assert abs(sympy.N(u1 + u2**5 + u2 - 10, 30)) < 1e-12
    assert abs(sympy.N(u1 / 10 - u2 / a2, 30)) < 1e-14


def test_kalai_smorodinsky_transcendental_frontier_gives_a_float_on_the_frontier():
    # F = u_1 + log(1 + u_2) - 3 from (0, 0): a_1 = 3, a_2 = e**3 - 1; sympy cannot solve
    # 3t + log(1 + (e**3 - 1) t) = 3, so the ratio is a bracketed numerical root (documented).
    ks = kalai_smorodinsky("u_1 + log(1 + u_2) - 3", [0, 0])
    assert ks.ideal["party_1"] == 3 and sympy.simplify(ks.ideal["party_2"] - (sympy.exp(3) - 1)) == 0
    assert isinstance(ks.ratio, sympy.Float)
    u1, u2 = ks.payoffs["party_1"], ks.payoffs["party_2"]
    assert abs(sympy.N(u1 + sympy.log(1 + u2) - 3, 30)) < 1e-12
