"""The feasibility decisions behind the case tables: memo keys, witness points, pruned eliminations.

:class:`coopgame.dynamics.cases._Context` answers "do these linear relations hold together?"
with a memo keyed by the set of normalised constraints, points of earlier feasible systems
(found by Fourier–Motzkin back-substitution), the tightest row per coefficient vector and a
search for two opposed rows. Each of them must leave every answer, and so every case table,
exactly as plain Fourier–Motzkin elimination gives it: the reference below is that elimination
(every pair combined, duplicates merged, nothing else), written out here.
"""

from __future__ import annotations

import importlib
import itertools
import math
from fractions import Fraction

import pytest
import sympy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from coopgame import Game, Parameter, models
from coopgame.parameters import POSITIVE

cases_module = importlib.import_module("coopgame.dynamics.cases")


def reference_fm(constraints) -> bool:
    """Plain Fourier–Motzkin over the rationals: is ``{a.x + c > 0 (strict) or >= 0}`` feasible?

    The elimination order is the first unknown in sorted order; each pair of rows with opposite
    signs of it is combined with positive weights; a row without unknowns decides itself.
    """
    system = [({x: Fraction(v) for x, v in coeffs.items() if v}, Fraction(const), strict)
              for coeffs, const, strict in constraints]
    while True:
        rows = []
        for coeffs, const, strict in system:
            if not coeffs:
                if const < 0 or (strict and const == 0):
                    return False
                continue
            rows.append((coeffs, const, strict))
        if not rows:
            return True
        v = min(x for coeffs, _, _ in rows for x in coeffs)
        pos = [r for r in rows if r[0].get(v, 0) > 0]
        neg = [r for r in rows if r[0].get(v, 0) < 0]
        new = [r for r in rows if v not in r[0]]
        for (cp, kp, sp), (cn, kn, sn) in itertools.product(pos, neg):
            a, b = cp[v], -cn[v]
            coeffs = {x: b * cp.get(x, 0) + a * cn.get(x, 0) for x in (cp.keys() | cn.keys()) - {v}}
            new.append(({x: c for x, c in coeffs.items() if c}, b * kp + a * kn, sp or sn))
        system = new


def holds_at(point, constraints) -> bool:
    """Every constraint at ``point`` (absent unknowns 0), in exact rationals."""
    for coeffs, const, strict in constraints:
        total = Fraction(const) + sum(Fraction(c) * point.get(x, 0) for x, c in coeffs.items())
        if total < 0 or (strict and total == 0):
            return False
    return True


# small systems over three unknowns: coefficients in -2..2, constants in -3..3, strict or not
rows = st.tuples(st.dictionaries(st.integers(0, 2), st.integers(-2, 2), max_size=3),
                 st.integers(-3, 3), st.booleans())


@settings(max_examples=120, deadline=None)
@given(st.lists(rows, min_size=1, max_size=7))
def test_elimination_decides_as_plain_fourier_motzkin_and_its_point_satisfies_the_system(system):
    system = [({x: c for x, c in coeffs.items() if c}, const, strict) for coeffs, const, strict in system]
    result, point = cases_module._fm_solve(system, cases_module.DEFAULT_BUDGET)
    assert result is reference_fm(system)
    if result:
        assert holds_at(point, system)  # the witness is a proof: every constraint holds there
    else:
        assert point is None


def test_opposed_rows_and_weaker_duplicates():
    # x > 1 and x < 1 (strictly opposed): infeasible before any elimination
    assert cases_module._fm_solve([({0: 1}, -1, True), ({0: -1}, 1, False)], 100) == (False, None)
    # x >= 1 and x <= 1 meet in x = 1: feasible, with the point x = 1
    result, point = cases_module._fm_solve([({0: 1}, -1, False), ({0: -1}, 1, False)], 100)
    assert result is True and point == {0: 1}
    # of 2x - 3 >= 0, 2x - 1 > 0, 2x - 3 > 0 and 4x - 6 >= 0 (one coefficient vector after
    # normalisation) only 2x - 3 > 0 remains: it implies the others; x - 1 >= 0 has another vector
    best = cases_module._tightest(cases_module._normalise(c, k, s) for c, k, s in
                                  [({0: Fraction(2)}, Fraction(-3), False), ({0: Fraction(2)}, Fraction(-1), True),
                                   ({0: Fraction(2)}, Fraction(-3), True), ({0: Fraction(4)}, Fraction(-6), False),
                                   ({0: Fraction(1)}, Fraction(-1), False)])
    assert best == {((0, 2),): (-3, True), ((0, 1),): (-1, False)}
    assert cases_module._fm_solve([({0: 2}, -3, False), ({0: -1}, 1, False)], 100)[0] is False


class _Forgetful(dict):
    """A memo that remembers nothing."""

    def __setitem__(self, key, value):
        pass


class _PlainContext(cases_module._Context):
    """The context without memo, witness points or pruning: plain Fourier–Motzkin every time."""

    def __init__(self, symbols, base, budget, witnesses=True):
        super().__init__(symbols, base, budget, witnesses=False)
        self._memo = _Forgetful()


def _plain(monkeypatch):
    monkeypatch.setattr(cases_module, "_Context", _PlainContext)
    monkeypatch.setattr(cases_module, "_fm_solve", lambda cons, budget, normalised=False:
                        (reference_fm([(dict(c), k, s) for c, k, s in cons]), None))


X = sympy.symbols("x y z", positive=True)
relations = st.builds(
    lambda coeffs, const, op: op(sum(c * s for c, s in zip(coeffs, X)) + const, 0),
    st.lists(st.integers(-2, 2), min_size=3, max_size=3), st.integers(-3, 3),
    st.sampled_from([sympy.StrictGreaterThan, sympy.GreaterThan, sympy.StrictLessThan, sympy.LessThan]))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(relations, min_size=1, max_size=4), st.lists(st.lists(relations, max_size=3), min_size=1, max_size=6),
       st.randoms(use_true_random=False))
def test_memo_keys_and_witnesses_give_the_answers_of_plain_elimination(monkeypatch, base, queries, rnd):
    base = [r for r in base if r not in (sympy.true, sympy.false)]
    queries = [[r for r in q if r not in (sympy.true, sympy.false)] for q in queries]
    ctx = cases_module._Context(X, base, cases_module.DEFAULT_BUDGET)
    answers = []
    for q in queries:  # every query, then the same relations reordered and repeated
        answers.append(ctx.feasible(tuple(q)))
        shuffled = list(q) * 2
        rnd.shuffle(shuffled)
        assert ctx.feasible(tuple(shuffled)) is answers[-1]
    _plain(monkeypatch)
    plain = cases_module._Context(X, base, cases_module.DEFAULT_BUDGET)
    assert [plain.feasible(tuple(q)) for q in queries] == answers


NAMES = ("a", "b", "c")


@st.composite
def symbolic_games(draw):
    """A 2x2 game whose payoffs are small integer combinations of three positive parameters."""
    payoffs = {}
    for idx in itertools.product(("s0", "s1"), repeat=2):
        row = []
        for _ in range(2):
            coeffs = draw(st.lists(st.integers(-2, 2), min_size=4, max_size=4))
            row.append(" + ".join(f"({k})*{n}" for k, n in zip(coeffs[:3], NAMES)) + f" + ({coeffs[3]})")
        payoffs[idx] = row
    g = Game(["p0", "p1"], {"p0": ["s0", "s1"], "p1": ["s0", "s1"]}, payoffs,
             parameters=[Parameter(n, domain=POSITIVE) for n in NAMES])
    assume(not g.is_numeric)  # cases need parameters
    return g


def _table(g, assumptions):
    return g.replicator().stability(include="vertices").cases(assumptions=assumptions).to_dicts()


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(symbolic_games(), st.sampled_from([(), ("a > b",), ("b > c", "c > a - 1")]))
def test_case_tables_are_those_of_plain_elimination(monkeypatch, g, assumptions):
    assumptions = tuple(a for a in assumptions if all(n in {s.name for s in g.free_symbols} for n in "abc"))
    fast = _table(g, assumptions)
    with monkeypatch.context() as m:
        _plain(m)
        assert _table(g, assumptions) == fast


def test_school_enterprise_case_table_is_that_of_plain_elimination(monkeypatch):
    model = models.get("school_enterprise")
    table = model.game.replicator().stability(include="vertices")
    fast = table.cases(assumptions=tuple(model.assumptions)).to_dicts()
    _plain(monkeypatch)
    assert table.cases(assumptions=tuple(model.assumptions)).to_dicts() == fast


def test_normalised_constraints_are_coprime_integers():
    # 3/2 x - 3/4 y + 1/2 >= 0 is 6x - 3y + 2 >= 0 (times 4): coprime integers, same half-space
    pairs, const, strict = cases_module._normalise({0: Fraction(3, 2), 1: Fraction(-3, 4)}, Fraction(1, 2), False)
    assert pairs == ((0, 6), (1, -3)) and const == 2 and strict is False
    assert math.gcd(*(c for _, c in pairs), const) == 1


def test_a_nonlinear_eigenvalue_splits_once():
    # coordination with (A, A) paying a/b - 1: its eigenvalues are 1 - a/b (twice), which no
    # linear elimination decides. The tree splits on a/b - 1 < 0 once; before, each branch split
    # on it again without end (RecursionError). Derivation: (A, A) is a strict equilibrium iff
    # a/b - 1 > 0 (deviating to B pays 0); (B, B) always is (1 > 0).
    g = Game(["r", "c"], {"r": ["A", "B"], "c": ["A", "B"]},
             {("A", "A"): ["a/b - 1", "a/b - 1"], ("A", "B"): [0, 0], ("B", "A"): [0, 0], ("B", "B"): [1, 1]},
             parameters=[Parameter(n, domain=POSITIVE) for n in "ab"])
    table = g.replicator().stability(include="vertices").cases()
    assert [(c.ess, c.boundary) for c in table.cases] == [((("A", "A"), ("B", "B")), False), ((("B", "B"),), False)]
    assert table.case_at({"a": 3, "b": 1}).index == 1
    assert table.case_at({"a": 1, "b": 2}).index == 2
    assert table.case_at({"a": 2, "b": 2}).index == 2  # a/b = 1: (A, A) is not strict


# ---------------------------------------------------------------------- thresholds' linear sets
threshold_variable = sympy.Symbol("t", real=True)
linear_relations = st.builds(
    lambda a, b, op: op(a * threshold_variable + b, 0),
    st.fractions(-3, 3, max_denominator=4).map(sympy.Rational), st.fractions(-3, 3, max_denominator=4).map(sympy.Rational),
    st.sampled_from([sympy.StrictGreaterThan, sympy.GreaterThan, sympy.StrictLessThan, sympy.LessThan]))


def _same_set_as_sympy(rels):
    # the reference: sympy's univariate solver (Boolean.as_set), which the direct path replaces;
    # also for a nonnegative parameter (as instrument levels are), where sympy may decide parts
    thresholds = importlib.import_module("coopgame.analysis.thresholds")
    level = sympy.Symbol("t", nonnegative=True)
    for x in (threshold_variable, level):
        cond = sympy.And(*rels).xreplace({threshold_variable: x})
        if cond not in (sympy.true, sympy.false):
            assert thresholds._linear_set(cond, x) == cond.as_set()


@settings(max_examples=6, deadline=None)
@given(st.lists(linear_relations, min_size=1, max_size=4))
def test_linear_sets_are_sympys_solutions(rels):
    _same_set_as_sympy(rels)


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(st.lists(linear_relations, min_size=1, max_size=4))
def test_linear_sets_are_sympys_solutions_many(rels):
    _same_set_as_sympy(rels)


def test_linear_sets_leave_other_conditions_to_sympy():
    thresholds = importlib.import_module("coopgame.analysis.thresholds")
    t, u = threshold_variable, sympy.Symbol("u", real=True)
    assert thresholds._linear_set((t ** 2 < 2) & (t > 0), t) is None  # not linear
    assert thresholds._linear_set(t * u > 1, t) is None  # another symbol
    assert thresholds._linear_set((t > 1) | (t < 0), t) is None  # not a conjunction
    assert thresholds._linear_set(sympy.sqrt(2) * t > 1, t) is None  # irrational coefficient
    # 6t + 8 > 9 and 12 > 6t + 8 (the tax relief of government_school_enterprise): t in (1/6, 2/3)
    assert thresholds._linear_set((12 > 6 * t + 8) & (6 * t + 8 > 9), t) == sympy.Interval.open(sympy.Rational(1, 6),
                                                                                                sympy.Rational(2, 3))
