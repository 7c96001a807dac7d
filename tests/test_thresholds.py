"""Tests of coopgame.analysis.thresholds and .statics: exact thresholds, case splits, agreement with sweeps."""

import functools
from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from coopgame import Game, Parameter
from coopgame.analysis import (
    Sign,
    comparative_statics,
    exact_linspace,
    minimum_instrument,
    strict_nash_condition,
    sweep,
    threshold,
)
from coopgame.errors import ParameterError, SolverError, UnknownNameError
from coopgame.parameters import PROBABILITY
from coopgame.policy import Subsidy, TaxRelief

rationals = st.fractions(min_value=-10, max_value=10, max_denominator=8)


def school_enterprise():
    """School (deep/shallow) and enterprise (participate/nominal) with partial free-riding gains.

    Derivation of the target condition, used below: at (deep, participate) with a subsidy s and
    tax relief t*C_e for participating, the school loses R_s - C_s - a*R_s by shallowing and the
    enterprise loses R_e - C_e + s + t*C_e - a*R_e by going nominal. So (deep, participate) is a
    strict equilibrium iff (1 - a) R_s > C_s and s > C_e (1 - t) - (1 - a) R_e.
    """
    g = Game(["school", "enterprise"],
             {"school": ["deep", "shallow"], "enterprise": ["participate", "nominal"]},
             {("deep", "participate"): ["R_s - C_s", "R_e - C_e"],
              ("deep", "nominal"): ["-C_s", "a*R_e"],
              ("shallow", "participate"): ["a*R_s", "-C_e"],
              ("shallow", "nominal"): [0, 0]},
             [Parameter("a", domain=PROBABILITY)] + [Parameter(n, domain="positive") for n in ("R_s", "R_e", "C_s", "C_e")])
    return g.with_policy(Subsidy("enterprise", "s", when={"enterprise": "participate"}),
                         TaxRelief("enterprise", Parameter("t", domain=PROBABILITY), "C_e",
                                   when={"enterprise": "participate"}))


# With these values the boundary is s + 3 t = 1: C_e (1 - t) - (1 - a) R_e = 3 - 3t - 2.
VALUES = {"a": Fraction(1, 2), "R_s": 4, "C_s": 1, "R_e": 4, "C_e": 3}


def test_minimum_subsidy_matches_derivation():
    g = school_enterprise()
    t = minimum_instrument(g, ("deep", "participate"), "s", values={**VALUES, "t": Fraction(1, 6)})
    # s > 1 - 3/6 = 1/2 (derivation in school_enterprise's docstring); strict, so not attained.
    assert t.infimum == sympy.Rational(1, 2)
    assert t.infimum_attained is sympy.false
    assert t.feasible is sympy.true
    assert t.set == sympy.Interval.open(sympy.Rational(1, 2), sympy.oo)
    assert t.outside_spending == g.symbol("s") + sympy.Rational(1, 2)  # s + t*C_e = s + 3/6
    # A large tax relief makes the subsidy unnecessary: the infimum is the domain's end, attained.
    t = minimum_instrument(g, ("deep", "participate"), "s", values={**VALUES, "t": Fraction(1, 2)})
    assert t.infimum == 0 and t.infimum_attained is sympy.true


def test_symbolic_minimum_subsidy_agrees_with_numeric():
    g = school_enterprise()
    t = minimum_instrument(g, ("deep", "participate"), "s")
    rng = np.random.default_rng(20240601)
    sym = {p.name: p.symbol for p in g.parameters}
    for _ in range(8):
        point = {"a": Fraction(int(rng.integers(0, 9)), 8), "R_s": int(rng.integers(1, 9)),
                 "C_s": int(rng.integers(1, 9)), "R_e": int(rng.integers(1, 9)), "C_e": int(rng.integers(1, 9)),
                 "t": Fraction(int(rng.integers(0, 5)), 4)}
        numeric = minimum_instrument(g, ("deep", "participate"), "s", values=point)
        subs = {sym[k]: sympy.Rational(v.numerator, v.denominator) if isinstance(v, Fraction) else sympy.Integer(v)
                for k, v in point.items()}
        feasible = bool(t.feasible.xreplace(subs))
        assert feasible == bool(numeric.feasible)
        if feasible:
            assert sympy.simplify(t.infimum.xreplace(subs) - numeric.infimum) == 0
            assert bool(t.infimum_attained.xreplace(subs)) == bool(numeric.infimum_attained)


def test_thresholds_agree_with_regime_sweep_away_from_band():
    g = school_enterprise()
    target = ("deep", "participate")
    s_axis = np.linspace(0.0, 2.0, 201)
    t_axis = np.linspace(0.0, 1.0, 101)
    result = sweep(g, {"s": s_axis, "t": t_axis}, values=VALUES, progress=False)
    code = result.legend.code([target])
    stable = (result.data & code) == code
    # Exact threshold in s, symbolic in t.
    th = threshold(strict_nash_condition(g, target), "s", values=VALUES, game=g)
    f = sympy.lambdify(g.symbol("t"), th.infimum, "numpy")
    s_star = np.broadcast_to(np.asarray(f(t_axis), dtype=float), t_axis.shape)
    band = 1e-6
    above = s_axis[:, None] > s_star[None, :] + band
    below = s_axis[:, None] < s_star[None, :] - band
    assert np.all(stable[above])
    assert not np.any(stable[below])
    assert above.sum() > 1000 and below.sum() > 1000


def test_thresholds_agree_with_exact_sweep_on_ties():
    g = school_enterprise()
    grid = {"s": exact_linspace(0, 1, 13), "t": exact_linspace(0, 1, 13)}
    result = sweep(strict_nash_condition(g, ("deep", "participate")), grid, values=VALUES, progress=False)
    for i, s in enumerate(grid["s"]):
        for j, t in enumerate(grid["t"]):
            # s + 3 t > 1 exactly (derivation above); ties are exactly the boundary points.
            assert bool(result.data[i, j]) == (s + 3 * t > 1)
            assert bool(result.boundary[i, j]) == (s + 3 * t == 1)


@pytest.mark.slow  # a long property test / end-to-end run: `pytest -m slow`, CI
@settings(max_examples=15, deadline=None)
@given(a=rationals, b=rationals, c=rationals, strict=st.booleans())
def test_case_split_matches_numeric_solution(a, b, c, strict):
    x = sympy.Symbol("x", nonnegative=True)
    A, B = sympy.symbols("A B", real=True)
    rel = (sympy.StrictGreaterThan if strict else sympy.GreaterThan)(A * x + B, 0)
    symbolic = threshold(rel, x)
    point = {A: sympy.Rational(a.numerator, a.denominator), B: sympy.Rational(b.numerator, b.denominator)}
    numeric = threshold(rel.xreplace(point), x)
    matching = [case for case in symbolic.cases if case.when.xreplace(point) is sympy.true]
    if numeric.feasible is sympy.false:
        assert all(case.feasible.xreplace(point) is sympy.false for case in matching)
    else:
        assert len(matching) == 1
        case = matching[0]
        assert case.set.xreplace(point) == numeric.set
        assert sympy.simplify(case.infimum.xreplace(point) - numeric.infimum) == 0
        assert case.infimum_attained.xreplace(point) == numeric.infimum_attained
    # holds() agrees with direct evaluation at a further point.
    value = sympy.Rational(abs(c.numerator), c.denominator)
    direct = bool(rel.xreplace({**point, x: value}))
    assert numeric.holds(value) == direct


def test_infeasible_within_domain_and_finite_sets():
    s = sympy.Symbol("s", nonnegative=True)
    t = threshold(s < -1, s)
    assert t.feasible is sympy.false and t.set is sympy.S.EmptySet
    t = threshold("(s > 1) | (s < 1/2)", s)
    assert t.set == sympy.Union(sympy.Interval.Ropen(0, sympy.Rational(1, 2)), sympy.Interval.open(1, sympy.oo))
    assert t.infimum == 0 and t.infimum_attained is sympy.true


def test_symbolic_conjunction_bounds():
    s = sympy.Symbol("s", nonnegative=True)
    R, C = sympy.symbols("R C", real=True)
    t = threshold((s > C - R) & (2 * s <= R), s)
    # Largest lower bound: max(0, C - R) (domain and first condition); upper bound R/2.
    assert t.infimum == sympy.Max(0, C - R)
    assert t.supremum == R / 2
    for r, c in [(4, 1), (4, 5), (4, 7), (-1, 0)]:
        # Non-empty iff 0 <= R/2 and C - R < R/2.
        expected = r >= 0 and c - r < r / 2
        assert bool(t.feasible.xreplace({R: r, C: c})) == expected


def test_bad_input():
    s = sympy.Symbol("s", nonnegative=True)
    a = sympy.Symbol("a", real=True)
    with pytest.raises(SolverError, match="not linear"):
        threshold(a * s**2 > 1, s)
    with pytest.raises(SolverError, match="conjunctions"):
        threshold((a * s > 1) | (s > a), s)
    with pytest.raises(ParameterError, match="'t' = -1/10"):
        minimum_instrument(school_enterprise(), ("deep", "participate"), "s", values={**VALUES, "t": -0.1})
    with pytest.raises(UnknownNameError, match="zz"):
        threshold(s > 1, "zz")


def test_reports():
    s = sympy.Symbol("s", nonnegative=True)
    a = sympy.Symbol("a", real=True)
    t = threshold(a * s >= 1, s, description="minimum subsidy")
    md = t.to_markdown()
    assert md.startswith("**minimum subsidy**") and "a > 0" in md
    assert "cases" in t._repr_latex_()
    assert r"\toprule" in t.to_latex()
    assert isinstance(t.set, sympy.ConditionSet)


def test_comparative_statics_of_minimum_subsidy():
    g = school_enterprise()
    t = minimum_instrument(g, ("deep", "participate"), "s", values={"a": Fraction(1, 2), "R_s": 4, "C_s": 1})
    table = comparative_statics(t, values={"R_e": 4, "C_e": 3, "t": Fraction(1, 6)})
    # s* = C_e (1 - t) - R_e / 2 where positive: ds*/dC_e = 1 - t = 5/6, ds*/dR_e = -1/2, ds*/dt = -C_e.
    assert table.row("C_e").derivative == sympy.Rational(5, 6) and table.row("C_e").sign is Sign.POSITIVE
    assert table.row("R_e").derivative == sympy.Rational(-1, 2) and table.row("R_e").sign is Sign.NEGATIVE
    assert table.row("t").derivative == -3 and table.row("t").sign is Sign.NEGATIVE
    assert "| C_e | 5/6 | positive |" in table.to_markdown()


@functools.lru_cache(maxsize=1)
def _shared_threshold():
    s = sympy.Symbol("s", nonnegative=True)
    A, B, C, D = sympy.symbols("A B C D", real=True)
    cond = (A * s + B > 0) & (A * C * s >= D)
    return s, (A, B, C, D), cond, threshold(cond, s)  # solved once, checked at many points


@pytest.mark.slow  # a long property test / end-to-end run: `pytest -m slow`, CI
@settings(max_examples=30, deadline=None)
@given(a=rationals, b=rationals, c=st.sampled_from([-2, 0, 1, 3]), d=rationals, x=st.fractions(0, 10, max_denominator=6))
def test_case_split_with_shared_coefficients(a, b, c, d, x):
    """Cases are exhaustive and exact: x is in the matching case's set iff the condition holds."""
    s, (A, B, C, D), cond, t = _shared_threshold()
    point = {A: sympy.Rational(a.numerator, a.denominator), B: sympy.Rational(b.numerator, b.denominator),
             C: sympy.Integer(c), D: sympy.Rational(d.numerator, d.denominator)}
    xv = sympy.Rational(x.numerator, x.denominator)
    holds = bool(cond.xreplace({**point, s: xv}))
    matching = [case for case in t.cases if case.when.xreplace(point) is sympy.true]
    assert len(matching) <= 1
    inside = bool(matching) and matching[0].set.xreplace(point).contains(xv) is sympy.true
    assert inside == holds


def test_the_condition_may_be_text_a_sympy_relation_or_an_equilibrium():
    # The target condition of school_enterprise's docstring, at VALUES with t = 1/6: s > 1/2.
    # Written with plain symbols (no assumptions), the relation must be read in the game's own
    # symbols, else s would not be the game's nonnegative s and the set would not be cut at 0.
    g = school_enterprise()
    values = {**VALUES, "t": Fraction(1, 6)}
    s, C_e, t, a, R_e = sympy.symbols("s C_e t a R_e")
    eq = [e for e in g.pure_equilibria(strict=True) if e.profile == ("deep", "participate")][0]
    expected = sympy.Interval.open(sympy.Rational(1, 2), sympy.oo)
    for condition in ("s > C_e*(1 - t) - (1 - a)*R_e", s > C_e * (1 - t) - (1 - a) * R_e, eq):
        assert threshold(condition, "s", values=values, game=g).set == expected
    # s < 1/2 + 1 within the game's domain s >= 0: [0, 3/2)
    assert threshold(s < 1 + C_e * (1 - t) - (1 - a) * R_e, "s", values=values, game=g).set == \
        sympy.Interval.Ropen(0, sympy.Rational(3, 2))


def test_a_condition_of_another_type_is_refused_by_name():
    from coopgame.errors import ExpressionError

    with pytest.raises(ExpressionError, match="the threshold's condition: expected a condition"):
        threshold(sympy.Symbol("s") + 1, "s", game=school_enterprise())


_linear = st.tuples(*[st.integers(-3, 3)] * 3).map(lambda c: f"{c[0]} + {c[1]}*a + {c[2]}*b")


@settings(max_examples=40, deadline=None)
@given(st.lists(_linear, min_size=16, max_size=16))
def test_strict_nash_condition_is_the_profiles_row_of_pure_equilibria(cells):
    """The target's own deviations give exactly the condition ``pure_equilibria(strict=True)``
    lists for it, and ``false`` for a profile it leaves out (2x2x2 games, payoffs linear in a, b)."""
    from coopgame.equilibria import pure_equilibria

    profiles = [(x, y, z) for x in ("u", "d") for y in ("l", "r") for z in ("e", "w")]
    payoffs = {p: [cells[k], cells[(k + 5) % 16], cells[(k + 11) % 16]] for k, p in enumerate(profiles)}
    g = Game(["A", "B", "C"], [["u", "d"], ["l", "r"], ["e", "w"]], payoffs,
             [Parameter("a", domain="positive"), Parameter("b", domain="real")])
    listed = {tuple(e.profile): e.condition for e in pure_equilibria(g, strict=True)}
    for p in profiles:
        assert strict_nash_condition(g, p) == listed.get(p, sympy.false)
