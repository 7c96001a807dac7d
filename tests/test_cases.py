"""Cases under assumptions: exact signs, and a partition of the admissible region checked numerically."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coopgame import Game, Parameter, models
from coopgame.dynamics.cases import Sign, check_assumptions, decide_signs, feasible, implies
from coopgame.errors import ParameterError
from coopgame.parameters import POSITIVE

NAMES = ("a", "b", "c")


@st.composite
def symbolic_games(draw, players):
    """A 2x...x2 game whose payoffs are small integer combinations of three positive parameters."""
    shape = [2] * players
    payoffs = {}
    for idx in itertools.product(range(2), repeat=players):
        row = []
        for _ in range(players):
            coeffs = draw(st.lists(st.integers(-2, 2), min_size=4, max_size=4))
            row.append(" + ".join(f"({k})*{n}" for k, n in zip(coeffs[:3], NAMES)) + f" + ({coeffs[3]})")
        payoffs[tuple(f"s{i}" for i in idx)] = row
    players_ = [f"p{i}" for i in range(players)]
    g = Game(players_, {p: ["s0", "s1"] for p in players_}, payoffs,
             parameters=[Parameter(n, domain=POSITIVE) for n in NAMES])
    assert g.shape == tuple(shape)
    return g


def _assumption(draw, g):
    """Either none or one random linear order between two parameters (a > b)."""
    pick = draw(st.sampled_from([None, ("a", "b"), ("b", "c"), ("c", "a")]))
    if pick is None:
        return []
    syms = {s.name: s for s in g.free_symbols}
    if pick[0] not in syms or pick[1] not in syms:
        return []
    return [syms[pick[0]] > syms[pick[1]]]


def _points(g, assumptions, rng, n):
    """Random admissible rational points: positive parameters (denominator 7) satisfying the assumptions."""
    syms = sorted(g.free_symbols, key=lambda s: s.name)
    out = []
    while len(out) < n:
        p = {s: sympy.Rational(int(rng.integers(1, 36)), 7) for s in syms}
        if all(bool(a.xreplace(p)) for a in assumptions):
            out.append(p)
    return out


def _strict_nash(g, values):
    """Strict pure Nash equilibria from the payoff arrays (exact numbers): the asymptotically
    stable vertices of the replicator dynamics (Selten 1980), computed without the dynamics."""
    arrays = g.payoff_arrays(values, exact=True)
    out = []
    for idx in itertools.product(*(range(n) for n in g.shape)):
        strict = True
        for i, arr in enumerate(arrays):
            for k in range(g.shape[i]):
                dev = list(idx)
                dev[i] = k
                if k != idx[i] and not arr[tuple(dev)] < arr[idx]:
                    strict = False
        if strict:
            out.append(tuple(g.strategy_lists[i][j] for i, j in enumerate(idx)))
    return tuple(out)


def _check_partition(g, assumptions, rng):
    rd = g.replicator()
    table = rd.stability(include="vertices")
    ct = table.cases(assumptions=assumptions)
    for p in _points(g, assumptions, rng, 12):
        inside = [c for c in ct.cases if c.holds(p)]
        assert len(inside) == 1, (p, [c.condition for c in ct.cases])  # disjoint and covering
        assert inside[0].ess == _strict_nash(g, p)
    return ct


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_cases_partition_two_population_games(data):
    g = data.draw(symbolic_games(2))
    if g.is_numeric:
        return
    _check_partition(g, _assumption(data.draw, g), np.random.default_rng(data.draw(st.integers(0, 1000))))


@pytest.mark.slow
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_cases_partition_three_population_games(data):
    g = data.draw(symbolic_games(3))
    if g.is_numeric:
        return
    _check_partition(g, _assumption(data.draw, g), np.random.default_rng(data.draw(st.integers(0, 1000))))


def test_signs_under_model_assumptions():
    # the catalogue's school-enterprise model assumes R_e - C_e - K > 0; the enterprise's
    # eigenvalue at (deep, participate) in the status quo is -(R_e - C_e - K) + ...: read below
    m = models.get("school_enterprise")
    table = m.game.replicator().stability(include="vertices")
    signs = decide_signs(table, m.assumptions)
    plain = decide_signs(table)
    for row, with_a, without in zip(table.rows, signs, plain):
        for e, sa, sp in zip(row.eigenvalues, with_a, without):
            # assumptions only ever decide more; a sign decided without them stays
            if sp.sign is not Sign.DEPENDS:
                assert sa.sign is sp.sign
            # a decided sign is right at the defaults (which satisfy the assumptions)
            v = e.xreplace(m.defaults)
            if sa.sign is Sign.NEGATIVE:
                assert v < 0
            elif sa.sign is Sign.POSITIVE:
                assert v > 0
    assert sum(s.sign is not Sign.DEPENDS for r in signs for s in r) > sum(
        s.sign is not Sign.DEPENDS for r in plain for s in r)


def test_fourier_motzkin_on_strict_and_non_strict_systems():
    x, y, z = sympy.symbols("x y z", real=True)
    assert feasible([x > y, y > z, z > x]) is False  # a strict cycle
    assert feasible([x >= y, y >= z, z >= x]) is True  # x = y = z
    assert feasible([x + y >= 2, x - y >= 0, x <= 1]) is True  # only x = y = 1
    assert feasible([x + y > 2, x - y >= 0, x <= 1]) is False
    a, b = sympy.symbols("a b", positive=True)
    assert implies([], a * b > 0)  # a product of positive parameters
    assert not implies([a > b], a > 2 * b)


def test_check_assumptions_names_the_violated_one():
    m = models.get("school_enterprise")
    check_assumptions(m.defaults, m.assumptions)
    bad = dict(m.defaults)
    K = next(s for s in bad if s.name == "K")
    bad[K] = 100
    with pytest.raises(ParameterError, match="assumption .*K.* is violated at .*K = 100"):
        check_assumptions(bad, m.assumptions)


def test_case_table_renders_as_papers_tabulate_it():
    g = Game(["school", "enterprise"], {"school": ["deep", "shallow"], "enterprise": ["join", "refuse"]},
             {("deep", "join"): ["R - C", "V - K"], ("deep", "refuse"): ["-C", 0],
              ("shallow", "join"): [0, "-K"], ("shallow", "refuse"): [0, 0]},
             parameters=[Parameter(n, domain=POSITIVE) for n in "CKRV"])
    ct = g.replicator().stability(include="vertices").cases()
    # (deep, join) stable iff R > C and V > K (strict Nash); (shallow, refuse) always (eigenvalues -C, -K)
    assert {c.ess for c in ct} == {(("deep", "join"), ("shallow", "refuse")), (("shallow", "refuse"),)}
    assert len(ct) == 3
    latex = ct.to_latex()
    assert r"\begin{tabularx}{\linewidth}" in latex and r"\toprule" in latex
    assert "Case 1" in ct.to_markdown()
    assert ct.to_dicts()[0]["case"] == 1
