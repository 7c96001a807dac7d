"""Tests of the replicator equations, vertex stability and ESS (coopgame.dynamics.replicator)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from coopgame import Game, Parameter
from coopgame.dynamics import ReplicatorDynamics, Stability
from coopgame.equilibria import pure_equilibria
from coopgame.errors import GameDefinitionError, ParameterError
from coopgame.parameters import POSITIVE

SYMS = ("a", "b", "c")


@st.composite
def symbolic_games(draw, shapes=((2, 2), (2, 2, 2), (3, 3))):
    """Games whose payoffs are small integer combinations of the parameters a, b, c."""
    shape = draw(st.sampled_from(shapes))
    n = len(shape)
    players = [f"P{i}" for i in range(n)]
    strategies = [[f"s{i}{k}" for k in range(m)] for i, m in enumerate(shape)]
    coef = st.integers(-2, 2)
    payoffs = {}
    for profile in itertools.product(*strategies):
        row = []
        for _ in range(n):
            terms = [str(draw(st.integers(-3, 3)))]
            for s in SYMS:
                k = draw(coef)
                if k:
                    terms.append(f"{k}*{s}")
            row.append(" + ".join(terms))
        payoffs[profile] = row
    return Game(players, strategies, payoffs)


def parameter_points():
    small = st.fractions(min_value=-4, max_value=4, max_denominator=3)
    return st.fixed_dictionaries(dict.fromkeys(SYMS, small))


def _values_for(game, point):
    return {s.name: point[s.name] for s in game.free_symbols}


def _holds(cond, values):
    if cond in (sympy.true, sympy.false):
        return bool(cond)
    subs = {s: sympy.Rational(values[s.name].numerator, values[s.name].denominator) for s in cond.free_symbols}
    return bool(cond.xreplace(subs))


# ---------------------------------------------------------------------- equations
def test_two_strategy_equation_is_factored_replicator_form():
    # Taylor (1979): x' = x (U_1 - U_bar) = x (1 - x)(U_1 - U_2) for two strategies.
    g = Game(["school", "enterprise"], [["deep", "shallow"], ["join", "refuse"]],
             {("deep", "join"): ["R - C", "V - K"], ("deep", "refuse"): ["-C", 0],
              ("shallow", "join"): [0, "-K"], ("shallow", "refuse"): [0, 0]})
    rd = ReplicatorDynamics(g)
    x, y = rd.state
    assert (x.name, y.name) == ("x_school", "x_enterprise")
    U1 = g.expected_payoff("school", [[1, 0], [y, 1 - y]])
    U2 = g.expected_payoff("school", [[0, 1], [y, 1 - y]])
    eq = rd.equations[0]
    assert sympy.expand(eq - x * (1 - x) * (U1 - U2)) == 0
    factors = sympy.Mul.make_args(eq)
    assert x in factors and 1 - x in factors


@settings(max_examples=15, deadline=None)
@given(symbolic_games(shapes=((3, 3), (3, 2), (2, 2, 2))))
def test_equations_equal_full_share_replicator(game):
    # x_k' = x_k (U_k - sum_l x_l U_l), with the last share 1 - sum of the others.
    rd = ReplicatorDynamics(game)
    shares = [list(rd.shares(p)) for p in game.players]
    eqs = iter(rd.equations)
    for i, player in enumerate(game.players):
        U = []
        for k in range(game.shape[i]):
            mixed = [list(v) for v in shares]
            mixed[i] = [1 if j == k else 0 for j in range(game.shape[i])]
            U.append(game.expected_payoff(player, mixed))
        mean = sum(s * u for s, u in zip(shares[i], U))
        for k in range(game.shape[i] - 1):
            assert sympy.expand(next(eqs) - shares[i][k] * (U[k] - mean)) == 0


def test_state_names_for_more_strategies():
    g = Game.from_arrays([np.eye(3), np.eye(3)], players=["A", "B"],
                         strategies=[["r", "p", "s"], ["r", "p", "s"]])
    assert [s.name for s in ReplicatorDynamics(g).state] == ["x_A_r", "x_A_p", "x_B_r", "x_B_p"]


def test_bad_input_raises_named_errors():
    with pytest.raises(GameDefinitionError, match="Game"):
        ReplicatorDynamics([[1, 2], [3, 4]])
    g = Game(["A", "B"], [["u", "v"], ["u", "v"]],
             {("u", "u"): ["1/x_B", 0], ("u", "v"): [0, 0], ("v", "u"): [0, 0], ("v", "v"): [1, 1]})
    with pytest.raises(GameDefinitionError, match="x_B"):  # state-dependent payoffs must be polynomial
        ReplicatorDynamics(g)
    g = Game(["A", "B"], [["u", "v"], ["u", "v"]],
             {("u", "u"): ["a", 0], ("u", "v"): [0, 0], ("v", "u"): [0, 0], ("v", "v"): [1, 1]})
    with pytest.raises(ParameterError, match="'a'"):
        g.replicator().stability({})


# ---------------------------------------------------------------------- vertices
@pytest.mark.slow  # a long property test / end-to-end run: `pytest -m slow`, CI
@settings(max_examples=25, deadline=None)
@given(symbolic_games())
def test_vertex_jacobian_is_the_substituted_jacobian(game):
    # The closed form used at vertices must agree with differentiating the equations.
    rd = ReplicatorDynamics(game)
    J = rd.jacobian()
    for row in rd._vertex_rows(False, 1e-9):
        point, Jv, eig = row.point, row.jacobian, row.eigenvalues
        assert (J.xreplace(point.coordinates) - Jv).applyfunc(sympy.expand) == sympy.zeros(*J.shape)
        # eigenvalues: the characteristic polynomial factors over the listed deviation gains
        lam = sympy.Symbol("lam")
        char = sympy.expand(Jv.charpoly(lam).as_expr() - sympy.Mul(*[lam - e for e in eig]))
        assert char == 0


@pytest.mark.slow  # a long property test / end-to-end run: `pytest -m slow`, CI
@settings(max_examples=30, deadline=None)
@given(symbolic_games(), parameter_points())
def test_selten_stable_vertices_are_strict_equilibria(game, point):
    # Selten (1980): a vertex is asymptotically stable iff the profile is a strict Nash equilibrium.
    rd = ReplicatorDynamics(game)
    table = rd.stability(include="vertices")
    strict = {e.profile: e.condition for e in pure_equilibria(game, strict=True)}
    values = _values_for(game, point)
    numeric = rd.stability(values, include="vertices") if values else rd.stability(include="vertices")
    Jsym = rd.jacobian()
    for row, nrow in zip(table.rows, numeric.rows):
        profile = row.point.profile
        assert row.condition == strict.get(profile, sympy.false)
        stable = _holds(row.condition, values)
        assert stable == (nrow.stability is Stability.ASYMPTOTICALLY_STABLE)
        # independent check: eigenvalues of the numerically evaluated analytic Jacobian
        subs = {s: sympy.Rational(values[s.name].numerator, values[s.name].denominator) for s in game.free_symbols}
        Jn = np.array(Jsym.xreplace(row.point.coordinates).xreplace(subs).tolist(), dtype=float)
        re = np.linalg.eigvals(Jn).real
        if np.all(np.abs(re) > 1e-9):
            assert stable == bool(np.all(re < 0))
        elif np.any(re > 1e-9):  # a positive real part proves instability, zero ones beside it
            assert nrow.stability in (Stability.UNSTABLE, Stability.SADDLE)
        else:
            assert nrow.stability is Stability.NON_HYPERBOLIC


def test_ess_matches_strict_equilibria_and_filters_by_values():
    g = Game(["school", "enterprise"], [["deep", "shallow"], ["join", "refuse"]],
             {("deep", "join"): ["R - C", "V - K"], ("deep", "refuse"): ["-C", 0],
              ("shallow", "join"): [0, "-K"], ("shallow", "refuse"): [0, 0]},
             parameters=[Parameter(n, domain=POSITIVE) for n in "CKRV"])
    rd = g.replicator()
    ess = rd.ess()
    assert [(e.profile, e.condition) for e in ess] == [(e.profile, e.condition) for e in g.pure_equilibria(strict=True)]
    assert all(e.kind == "pure" and e.strict for e in ess)
    # R = 3 > C = 1 and V = 2 > K = 1: both (deep, join) and (shallow, refuse) are strict.
    assert [e.profile for e in rd.ess({"C": 1, "K": 1, "R": 3, "V": 2})] == [("deep", "join"), ("shallow", "refuse")]
    # R = 1/2 < C = 1: full cooperation is not stable.
    assert [e.profile for e in rd.ess({"C": 1, "K": 1, "R": "1/2", "V": 2})] == [("shallow", "refuse")]


def test_prisoners_dilemma_only_defection_is_stable():
    # Textbook PD (T=5, R=3, P=1, S=0): (D, D) is the unique strict equilibrium.
    pd = Game.from_arrays([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], players=["A", "B"],
                          strategies=[["C", "D"], ["C", "D"]])
    table = pd.replicator().stability()
    assert [p.profile for p in table.stable_points()] == [("D", "D")]
    assert [e.profile for e in pd.replicator().ess()] == [("D", "D")]


def test_zero_eigenvalue_is_non_hyperbolic_never_stable():
    # (u, u) with a payoff tie for player A: eigenvalue 0, not a strict equilibrium.
    g = Game.from_arrays([[[1, 0], [1, 0]], [[2, 0], [0, 1]]], players=["A", "B"],
                         strategies=[["u", "v"], ["u", "v"]])
    row = g.replicator().stability(include="vertices").row(("u", "u"))
    assert row.stability is Stability.NON_HYPERBOLIC
    assert ("u", "u") not in [e.profile for e in g.replicator().ess()]


# ---------------------------------------------------------------------- 2x2 interior point
@st.composite
def two_by_two_with_interior(draw):
    ints = st.integers(-5, 5)
    A = [[draw(ints) for _ in range(2)] for _ in range(2)]
    B = [[draw(ints) for _ in range(2)] for _ in range(2)]
    # interior rest point: y* = (A22 - A12)/(A11 - A12 - A21 + A22) in (0, 1), likewise x*.
    da, db = A[0][0] - A[0][1] - A[1][0] + A[1][1], B[0][0] - B[0][1] - B[1][0] + B[1][1]
    from hypothesis import assume

    assume(da != 0 and db != 0)
    y = sympy.Rational(A[1][1] - A[0][1], da)
    x = sympy.Rational(B[1][1] - B[1][0], db)
    assume(0 < x < 1 and 0 < y < 1)
    return Game.bimatrix(A, B), (x, y)


@settings(max_examples=40, deadline=None)
@given(two_by_two_with_interior())
def test_interior_point_of_2x2_has_zero_trace_and_is_never_stable(case):
    game, (x, y) = case
    table = game.replicator().stability()
    interior = [r for r in table.rows if r.point.kind == "interior"]
    assert len(interior) == 1
    row = interior[0]
    assert row.point.point == (x, y)
    assert row.trace == 0
    assert row.stability is not Stability.ASYMPTOTICALLY_STABLE
    # det < 0: saddle; det > 0: a centre of the linearisation (eigenvalues +- i w).
    expected = Stability.SADDLE if row.det < 0 else Stability.NON_HYPERBOLIC
    assert row.stability is expected


def test_symbolic_2x2_interior_condition_is_false():
    a, b, c, d = sympy.symbols("a b c d", real=True)
    g = Game.bimatrix([[a, 0], [0, b]], [[c, 0], [0, d]])
    rows = [r for r in g.replicator().stability().rows if r.point.kind == "interior"]
    assert len(rows) == 1
    assert rows[0].trace == 0 and rows[0].condition is sympy.false
