"""Vertex rows read off the payoff differences (coopgame.dynamics.vertices), verdicts with zero
eigenvalues, and parameters that cancel from the dynamics."""

from __future__ import annotations

import itertools

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from coopgame import Game, Parameter
from coopgame.core.exact import conjunction as _conjunction
from coopgame.core.exact import relation
from coopgame.dynamics import Stability
from coopgame.dynamics.stability import classify, rational_eigen_stability
from coopgame.dynamics.vertices import relevant_parameters, vertex_rows
from coopgame.errors import ParameterError
from coopgame.parameters import NONNEGATIVE, POSITIVE

NAMES = ("a", "b", "c", "d")


def _reference_rows(game, coords):
    """The vertex rows as computed before the read-off (previous implementation, kept verbatim
    in substance): the block Jacobian built entry by entry with sympy and the condition through
    ``relation`` and ``_conjunction``."""
    dim = sum(len(c) for c in coords)
    out = []
    for idx in itertools.product(*(range(n) for n in game.shape)):
        J = sympy.zeros(dim, dim)
        eigen = []
        offset = 0
        for i, (c, j) in enumerate(zip(coords, idx)):
            n = game.shape[i]
            u = []
            for k in range(n):
                dev = list(idx)
                dev[i] = k
                u.append(game.payoff_rows[game.flat_index(dev)][i])
            for k in range(n):
                if k != j:
                    eigen.append(sympy.expand(u[k] - u[j]))
            for k in range(n - 1):
                if k != j:
                    J[offset + k, offset + k] = sympy.expand(u[k] - u[j])
                else:
                    for m in range(n - 1):
                        J[offset + k, offset + m] = sympy.expand(u[n - 1] - u[m])
            offset += len(c)
        cond = _conjunction([relation(-e, True) for e in eigen])
        out.append((sympy.ImmutableMatrix(J), tuple(eigen), cond))
    return out


@st.composite
def games(draw, populations=(2, 3)):
    """Random games, 2 to 6 populations with 2 or 3 strategies each (at most 96 profiles), with
    payoffs linear or bilinear in parameters of mixed sign domains."""
    n = draw(st.integers(*populations))
    shape = tuple(draw(st.lists(st.sampled_from((2, 3)), min_size=n, max_size=n)))
    if n >= 5:
        shape = (3,) + (2,) * (n - 1) if 3 in shape else (2,) * n
    players = [f"P{i}" for i in range(n)]
    strategies = [[f"s{i}{k}" for k in range(m)] for i, m in enumerate(shape)]
    params = [Parameter("a", domain=POSITIVE), Parameter("b", domain=NONNEGATIVE), Parameter("c"), Parameter("d")]
    payoffs = {}
    for profile in itertools.product(*strategies):
        row = []
        for _ in range(n):
            terms = [str(draw(st.integers(-3, 3)))]
            for s in NAMES:
                k = draw(st.integers(-2, 2))
                if k:
                    terms.append(f"{k}*{s}")
            if draw(st.booleans()):
                terms.append(f"{draw(st.integers(-1, 1))}*a*c")
            row.append(" + ".join(terms))
        payoffs[profile] = row
    return Game(players, strategies, payoffs, parameters=params)


def _assert_equal_to_reference(game):
    rd = game.replicator()
    rows = vertex_rows(game, numeric=False, coords=rd.coordinates)
    ref = _reference_rows(game, rd.coordinates)
    assert len(rows) == len(ref)
    for row, (J, eig, cond) in zip(rows, ref):
        assert row.jacobian == J
        assert row.eigenvalues == eig
        assert row.condition == cond


@settings(max_examples=10, deadline=None)
@given(games())
def test_vertex_rows_equal_the_previous_implementation(game):
    _assert_equal_to_reference(game)


@pytest.mark.slow
@settings(max_examples=10, deadline=None)
@given(games(populations=(4, 6)))
def test_vertex_rows_equal_the_previous_implementation_four_to_six_populations(game):
    _assert_equal_to_reference(game)


@settings(max_examples=10, deadline=None)
@given(games(), st.lists(st.integers(0, 4), min_size=4, max_size=4))
def test_numeric_vertex_verdicts_follow_the_eigenvalues(game, ints):
    values = {"a": ints[0] + 1, "b": ints[1], "c": ints[2] - 2, "d": ints[3] - 2}
    rd = game.replicator()
    num = game.subs(values)
    rows = vertex_rows(num, numeric=True, coords=rd.coordinates)
    for row, (J, eig, cond) in zip(rows, _reference_rows(num, rd.coordinates)):
        assert row.eigenvalues == eig and row.jacobian == J and row.condition == cond
        assert row.stability is classify(eig)
        # Selten (1980): stable iff every deviation loses strictly
        assert (row.stability is Stability.ASYMPTOTICALLY_STABLE) == all(e < 0 for e in eig)


# ---------------------------------------------------------------------- verdicts with zero eigenvalues
def test_positive_eigenvalue_proves_instability_beside_a_zero_one():
    # Linearised instability theorem: Re(lambda) > 0 for one eigenvalue suffices.
    assert classify([1, 0]) is Stability.UNSTABLE
    assert classify([1, 0, -1]) is Stability.SADDLE
    assert classify([0, -1]) is Stability.NON_HYPERBOLIC
    assert classify([sympy.I, -sympy.I, 2]) is Stability.UNSTABLE
    eig, verdict, cert = rational_eigen_stability(sympy.Matrix([[1, 0], [0, 0]]))
    assert verdict is Stability.UNSTABLE and "eigenvalue 1 has positive real part" in cert
    # x^2 + 1 has roots +-i on the axis; the factor (l - 3) proves instability
    eig, verdict, cert = rational_eigen_stability(sympy.Matrix([[0, -1, 0], [1, 0, 0], [0, 0, 3]]))
    assert verdict is Stability.UNSTABLE and "eigenvalue 3" in cert
    # l^4 - 2: roots +-2^(1/4) (one positive) and +-i 2^(1/4) on the axis
    companion = sympy.Matrix([[0, 0, 0, 2], [1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]])
    assert rational_eigen_stability(companion)[1] is Stability.SADDLE


def test_vertex_with_zero_and_positive_gain_is_unstable():
    # At (s1, s1) player A gains 1 by deviating, player B gains 0: eigenvalues (1, 0).
    g = Game.bimatrix([[0, 0], [1, 0]], [[0, 0], [0, 0]])
    with pytest.warns(Warning):
        table = g.replicator().stability()
    row = table.row(("s1", "s1"))
    assert sorted(row.eigenvalues) == [0, 1]
    assert row.stability is Stability.UNSTABLE
    assert "eigenvalue 1 has positive real part" in row.certificate


# ---------------------------------------------------------------------- cancelling parameters
def test_parameter_added_to_all_payoffs_of_a_player_needs_no_value():
    # P is added to every payoff of the school: it cancels from u(deep) - u(shallow).
    g = Game(["school", "enterprise"], [["deep", "shallow"], ["join", "refuse"]],
             {("deep", "join"): ["a + P", 1], ("deep", "refuse"): ["P - 1", 0],
              ("shallow", "join"): ["P", 0], ("shallow", "refuse"): ["P", 2]})
    rd = g.replicator()
    assert relevant_parameters(g) == {sympy.Symbol("a", real=True)}
    assert rd.unused_parameters() == ("P",)
    table = rd.stability({"a": 3})
    assert any("'P'" in n and "do not affect" in n for n in table.notes)
    # the same table as with any value of P
    other = rd.stability({"a": 3, "P": 7})
    assert [(r.point, r.eigenvalues, r.stability) for r in table] == \
        [(r.point, r.eigenvalues, r.stability) for r in other]
    with pytest.raises(ParameterError, match="'a'"):
        rd.stability({"P": 1})
