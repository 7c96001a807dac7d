"""Bifurcation verdicts read from the symbolic rows: equal to the numeric stability table's.

The shortcut (:func:`coopgame.dynamics.bifurcation._row_verdict`) classifies a symbolic row at
``p = m`` from its own exact data; the reference is the verdict of the numeric table at ``m``
(a full rest-point search, :func:`~coopgame.dynamics.bifurcation._numeric_verdicts`), which is
what the bifurcation computed for every row before.
"""

from __future__ import annotations

import importlib
import warnings

import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coopgame import Game
from coopgame.dynamics import Stability
from coopgame.dynamics.bifurcation import _UNDECIDED, _at, _numeric_verdicts, _quantities, _real_roots, _row_verdict
from coopgame.errors import DegenerateGameWarning, IncompleteSearchWarning
from coopgame.testing import games

replicator = importlib.import_module("coopgame.dynamics.replicator")

a = sympy.Symbol("a", real=True)


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        warnings.simplefilter("ignore", IncompleteSearchWarning)
        yield


def _parametric(base, direction):
    """The game whose payoffs are ``base + a * direction`` (two numeric games of one shape)."""
    tb, td = base.payoff_table(), direction.payoff_table()
    arrays = []
    for i in range(len(base.players)):
        arr = np.empty(base.shape, dtype=object)
        for idx in np.ndindex(*base.shape):
            profile = tuple(base.strategy_lists[j][k] for j, k in enumerate(idx))
            arr[idx] = sympy.sympify(tb[profile][i]) + a * sympy.sympify(td[profile][i])
        arrays.append(arr)
    return Game.from_arrays(arrays, players=base.players, strategies=base.strategy_lists)


@st.composite
def parametric_games(draw, shapes):
    shape = draw(st.sampled_from(shapes))
    # small payoffs: ties, continua and colliding rest points are frequent, so the fallbacks run
    base = draw(games(players=len(shape), strategies=list(shape), payoffs=st.integers(-3, 3)))
    direction = draw(games(players=len(shape), strategies=list(shape), payoffs=st.integers(-2, 2)))
    return _parametric(base, direction)


def _layout(rd):
    return list(zip(rd.coordinates, rd.game.strategy_lists))


def _values_to_try(rows, draw_value):
    """A random rational and the rational roots of the rows' deciding quantities (where the
    rows are degenerate: zero eigenvalues, points entering the state space, poles)."""
    values = {draw_value}
    for row in rows:
        for q in _quantities(row, a):
            values |= {r for r in _real_roots(q, a, sympy.Integer(-4), sympy.Integer(4)) if r.is_Rational}
    return sorted(values)


def _check_shortcut(g, m):
    rd = g.replicator()
    if a not in rd.relevant_parameters():
        return 0
    rows = list(rd.stability().rows)
    decided = 0
    for value in _values_to_try(rows, m):
        points = [_at(row, a, value) for row in rows]
        shortcut = [None if c is None else _row_verdict(row, c, a, value, _layout(rd)) for row, c in zip(rows, points)]
        reference = _numeric_verdicts(rd, {}, points, a, value, None)
        for row, mine, ref in zip(rows, shortcut, reference):
            if mine is _UNDECIDED:
                continue
            decided += 1
            assert mine == ref, (g.payoff_table(), value, row.point.label())
    return decided


rationals = st.fractions(min_value=-3, max_value=3, max_denominator=4).map(lambda f: sympy.Rational(f.numerator,
                                                                                                   f.denominator))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(parametric_games([(2, 2), (2, 3), (3, 3)]), rationals)
def test_shortcut_verdicts_are_the_numeric_tables(g, m):
    _check_shortcut(g, m)


def _count_numeric_searches(monkeypatch):
    calls = []
    original = replicator.ReplicatorDynamics.stability

    def counted(self, values=None, **kwargs):
        calls.append(self.game.free_symbols)
        return original(self, values, **kwargs)

    monkeypatch.setattr(replicator.ReplicatorDynamics, "stability", counted)
    return calls


def test_coordination_game_needs_no_numeric_search(monkeypatch):
    # the module docstring's example: every verdict (two intervals, the critical value 0) comes
    # from the rows themselves; the only stability() call is the symbolic table
    calls = _count_numeric_searches(monkeypatch)
    g = Game.bimatrix([["a", 0], [0, 1]], [["a", 0], [0, 1]], strategies=[["A", "B"]] * 2)
    bif = g.replicator().bifurcation("a", lo=-2, hi=2)
    assert len(calls) == 1 and calls[0]  # the symbolic table (the game still has a)
    mixed = next(b for b in bif.branches if b.point.kind == "interior")
    # (1/(1+a), 1/(1+a)) is in the open square iff a > 0, a saddle there (det J < 0)
    assert [i.verdict for i in mixed.intervals] == [None, Stability.SADDLE]
    # at a = 0 the vertex (A, A) has the eigenvalues a = 0 twice: non-hyperbolic
    aa = next(b for b in bif.branches if b.label == "(A, A)")
    assert aa.at_critical == ((0, Stability.NON_HYPERBOLIC),)


def test_a_point_not_isolated_at_the_critical_value_is_left_to_the_numeric_table(monkeypatch):
    # player 1's payoff difference is a * (2y - 1): the interior point (1/2, 1/2) exists for
    # every a, but at a = 0 player 1 is indifferent everywhere, a continuum of rest points x * (1/2)
    # the numeric search does not list; the Jacobian's face block is singular there, so the
    # shortcut defers to the table, which has no row there (None), as before
    calls = _count_numeric_searches(monkeypatch)
    g = Game.bimatrix([["a", 0], [0, "a"]], [[1, 0], [0, 1]], strategies=[["A", "B"]] * 2)
    rd = g.replicator()
    bif = rd.bifurcation("a", lo=-1, hi=1)
    assert bif.critical == (0,)
    mixed = next(b for b in bif.branches if b.point.kind == "interior")
    assert mixed.point.point == (sympy.Rational(1, 2), sympy.Rational(1, 2))
    assert mixed.at_critical == ((0, None),)
    # det J = -a/4, tr J = 0: a centre for a < 0 (eigenvalues on the imaginary axis), a saddle for a > 0
    assert [i.verdict for i in mixed.intervals] == [Stability.NON_HYPERBOLIC, Stability.SADDLE]
    assert len(calls) == 2  # the symbolic table and the numeric one at a = 0 only
    assert calls[1] == set()
