"""The replicator field compiled once with the parameters as arguments (``FieldFunction``).

Invariants: binding exact values gives bit for bit the field compiled from the game with the
values substituted (the same floating-point operations); the float path with one parameter
vector per state column agrees with binding each column's values; the system is derived once
per game.
"""

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from coopgame import Game, models
from coopgame.dynamics import codegen
from coopgame.dynamics.codegen import FieldFunction, compile_replicator_field
from coopgame.errors import ParameterError


def _substituted_field(game, values):
    """The field of the substituted game, compiled as before parameters became arguments."""
    from coopgame.dynamics import ReplicatorDynamics

    dyn = ReplicatorDynamics(game.subs(values))
    return compile_replicator_field(dyn._state, [c for c, _ in dyn._field_parts], [b for _, b in dyn._field_parts],
                                    dyn._equations)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.fractions(min_value=0, max_value=5, max_denominator=12), min_size=1, max_size=1),
       st.integers(0, 2**32 - 1))
def test_bound_field_is_the_substituted_field_bit_for_bit(levels, seed):
    model = models.get("government_school_enterprise")
    game = model.with_policy()
    values = dict(game.check_values(model.defaults, require_all=False))
    # an unbounded parameter moved away from its default (default + level stays in its domain)
    first = next(p.symbol for p in game.parameters if p.symbol in values and p.domain.interval.sup == sympy.oo)
    values[first] = values[first] + sympy.Rational(levels[0].numerator, levels[0].denominator)
    values = {s: v for s, v in values.items() if s in game.free_symbols}
    Y = np.random.default_rng(seed).uniform(0, 1, (len(game.replicator().state), 50))
    bound = game.replicator().vector_field(values, layout="components")
    assert np.array_equal(bound(Y), _substituted_field(game, values)(Y))


def test_per_column_parameters_agree_with_binding_each_column():
    model = models.get("school_enterprise")
    game = model.with_policy()
    dyn = game.replicator()
    f = dyn.field_function()
    base = dict(game.check_values(model.defaults, require_all=False))
    rng = np.random.default_rng(7)
    m = 6
    Y = rng.uniform(0, 1, (len(dyn.state), m))
    unbounded = {p.symbol for p in game.parameters if p.domain.interval.sup == sympy.oo}
    # each column its own parameter vector: unbounded parameters scaled, the others at their defaults
    P = np.array([[float(base[s]) * (1 + 0.5 * k if s in unbounded else 1) for k in range(m)] for s in dyn.parameters])
    batch = f(Y, P)
    for k in range(m):
        vals = {s: sympy.nsimplify(P[i, k]) for i, s in enumerate(dyn.parameters)}
        expected = dyn.vector_field(vals, layout="components")(Y[:, k:k + 1])[:, 0]
        np.testing.assert_allclose(batch[:, k], expected, rtol=1e-12, atol=1e-14)
    shared = f(Y, P[:, 0])
    np.testing.assert_allclose(shared[:, 0], batch[:, 0], rtol=1e-12, atol=1e-14)


def test_field_is_zero_on_the_faces_for_every_parameter_column():
    # The factors x_r and 1 - x_r are applied last: faces of the state space stay invariant.
    x, y, a = sympy.symbols("x y a")
    f = FieldFunction((x, y), (a,), [True, True], [a * y - 1, 1 - 3 * x * a])
    Y = np.array([[0.0, 1.0, 0.3], [0.2, 0.7, 0.0]])
    out = f(Y, np.array([[0.5, 2.0, 7.0]]))
    assert out[0, 0] == 0 and out[0, 1] == 0 and out[1, 2] == 0


def test_parameter_shapes_are_checked():
    x, a, b = sympy.symbols("x a b")
    f = FieldFunction((x,), (a, b), [True], [a - b * x])
    with pytest.raises(ParameterError, match=r"shape \(2,\) or \(2, m\)"):
        f(np.zeros((1, 3)), np.zeros(3))
    with pytest.raises(ParameterError, match="NaN"):
        f(np.zeros((1, 3)), np.array([np.nan, 1.0]))
    with pytest.raises(ParameterError, match="not among its parameters"):
        FieldFunction((x,), (a,), [True], [a - b * x])


def test_replicator_is_derived_once_per_game(monkeypatch):
    game = Game.bimatrix([["a", 0], [0, 1]], [[1, 0], [0, 1]])
    assert game.replicator() is game.replicator()
    compiled = []
    real = codegen.FieldFunction.__init__

    def spy(self, *args, **kwargs):
        compiled.append(1)
        real(self, *args, **kwargs)

    monkeypatch.setattr(codegen.FieldFunction, "__init__", spy)
    dyn = game.replicator()
    for a in (1, 2, 3, 4):
        dyn.vector_field({"a": a}, layout="components")(np.full((2, 1), 0.5))
    assert len(compiled) == 1
