"""Bifurcation in one parameter: exact switching values, verdicts checked with numeric eigenvalues."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sympy

from coopgame import Game, models
from coopgame.analysis import minimum_instrument
from coopgame.dynamics import Stability
from coopgame.errors import DegenerateGameWarning, ParameterError


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        yield


def _numeric_verdict(rd, point, p, value):
    """Stability from numpy eigenvalues of the symbolic Jacobian evaluated in floats at ``p = value``."""
    J = rd.jacobian().xreplace({p: value}).xreplace({s: v.xreplace({p: value}) for s, v in point.coordinates.items()})
    ev = np.linalg.eigvals(np.array(J.evalf(), dtype=float))
    re = ev.real
    if np.all(re < -1e-9):
        return Stability.ASYMPTOTICALLY_STABLE
    if np.any(re > 1e-9):
        return Stability.UNSTABLE if np.all(re > 1e-9) else Stability.SADDLE
    return Stability.NON_HYPERBOLIC


def _check_interiors(rd, bif, rng):
    """At random interior points of each interval the verdict matches numeric eigenvalues."""
    p = bif.parameter
    for branch in bif.branches:
        for iv in branch.intervals:
            if iv.verdict is None:
                continue
            lo, hi = float(iv.lo), float(iv.hi)
            for u in rng.uniform(0.05, 0.95, size=3):
                value = sympy.Rational(lo + u * (hi - lo)).limit_denominator(10**6)
                assert _numeric_verdict(rd, branch.point, p, value) is iv.verdict, (branch.label, value)


def test_coordination_game_switches_where_the_minimum_instrument_threshold_is():
    g = Game.bimatrix([["a", 0], [0, 1]], [["a", 0], [0, 1]], strategies=[["A", "B"]] * 2)
    rd = g.replicator()
    bif = rd.bifurcation("a", lo=-3, hi=3)
    t = minimum_instrument(g, ("A", "A"), "a")  # (A, A) is a strict equilibrium iff a > 0
    assert bif.critical == (t.infimum,) == (0,)
    aa = next(b for b in bif.branches if b.label == "(A, A)")
    assert [i.verdict for i in aa.intervals] == [Stability.UNSTABLE, Stability.ASYMPTOTICALLY_STABLE]
    mixed = next(b for b in bif.branches if b.point.kind == "interior")
    # the mixed point (1/(1+a), 1/(1+a)) lies in the open square iff a > 0; always a saddle there
    assert [i.verdict for i in mixed.intervals] == [None, Stability.SADDLE]
    assert {(e.branch, e.kind) for e in bif.events} >= {("(A, A)", "changes verdict"), (mixed.label, "appears")}
    assert -1 in bif.candidates and -1 not in bif.critical  # the pole of the mixed point changes nothing
    _check_interiors(rd.game.replicator(), bif, np.random.default_rng(0))


@pytest.mark.slow
def test_three_population_model_switches_at_the_exact_stability_conditions():
    m = models.get("government_school_enterprise")
    g = m.with_policy()
    vals = {k: v for k, v in m.values().items() if k.name != "s"}
    rd = g.replicator()
    bif = rd.bifurcation("s", vals, lo=0, hi=6)
    t = minimum_instrument(g, m.target, "s", vals)  # target stable iff 1 < s < 4
    assert {t.infimum, t.supremum} <= set(bif.critical)
    target = next(b for b in bif.branches if b.point.profile == m.target)
    for iv in target.intervals:
        mid = (iv.lo + iv.hi) / 2
        assert (iv.verdict is Stability.ASYMPTOTICALLY_STABLE) == bool(t.set.contains(mid))
    # every critical value is a root of a vertex eigenvalue or of the boundary point's existence conditions
    assert set(bif.critical) <= {1, 2, 4}
    reduced = g.subs(vals).replicator()
    _check_interiors(reduced, bif, np.random.default_rng(1))


def test_bad_range_is_refused():
    g = Game.bimatrix([["a", 0], [0, 1]], [["a", 0], [0, 1]])
    with pytest.raises(ParameterError, match="finite range"):
        g.replicator().bifurcation("a")
    with pytest.raises(ParameterError, match="empty"):
        g.replicator().bifurcation("a", lo=1, hi=0)
    g2 = Game.bimatrix([["a", 0], [0, "b"]], [["a", 0], [0, 1]])
    with pytest.raises(ParameterError, match="one parameter, got a, b"):
        g2.replicator().bifurcation(("a", "b"), lo=0, hi=1)


def test_to_dicts_and_markdown():
    g = Game.bimatrix([["a", 0], [0, 1]], [["a", 0], [0, 1]], strategies=[["A", "B"]] * 2)
    bif = g.replicator().bifurcation("a", lo=-1, hi=1)
    rows = bif.to_dicts()
    assert {"branch": "(A, A)", "lo": "0", "hi": "1", "verdict": "ASYMPTOTICALLY_STABLE"} in rows
    assert "appears" in bif.to_markdown()


def test_the_hurwitz_quantity_is_that_of_the_characteristic_polynomial():
    # Routh-Hurwitz for l^3 + a1 l^2 + a2 l + a3: the determinant Delta_2 = a1 a2 - a3 changes sign
    # where a pair of eigenvalues crosses the imaginary axis (Hopf), so it is one of the quantities
    # whose roots are candidates. (It was computed from [1, a1, a2, a3], the polynomial's list with
    # its leading 1, i.e. the Hurwitz matrix of another polynomial.)
    from coopgame.dynamics.bifurcation import _quantities

    a, b = sympy.symbols("a b", positive=True)
    cube = list(np.ndindex(2, 2, 2))  # 0 = C, 1 = D for players x, y, z
    u = [lambda i, j, k: (a if j == 0 else 1) * int(i == 0) + int(k == 1),
         lambda i, j, k: (b if k == 0 else 2) * int(j == 0) + int(i == 0),
         lambda i, j, k: a * int(i == k) + int(j == 1)]
    arrays = []
    for f in u:
        arr = np.empty((2, 2, 2), dtype=object)
        for i, j, k in cube:
            arr[i, j, k] = sympy.sympify(f(i, j, k))
        arrays.append(arr)
    g = Game.from_arrays(arrays, players=["x", "y", "z"], strategies=[["C", "D"]] * 3)
    rows = [r for r in g.replicator().stability().rows if r.point.kind != "vertex" and r.jacobian.rows == 3]
    assert rows, "the game has a rest point off the vertices with a 3 x 3 Jacobian"
    lam = sympy.Dummy("lam")
    for row in rows:
        _, a1, a2, a3 = row.jacobian.charpoly(lam).all_coeffs()
        delta2 = sympy.cancel(a1 * a2 - a3)
        assert any(sympy.cancel(q - delta2) == 0 for q in _quantities(row, a))
