"""Tests of the in-place compiled vector field (coopgame.dynamics.codegen)."""

from __future__ import annotations

import threading

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from coopgame.dynamics.codegen import compile_field, compile_replicator_field
from coopgame.errors import ExpressionError
from coopgame.testing import games


def _lambdified(symbols, exprs, Y):
    f = sympy.lambdify(symbols, list(exprs), modules="numpy")
    return np.array([np.broadcast_to(np.asarray(row, dtype=float), Y.shape[1:]) for row in f(*Y)])


@pytest.mark.slow  # a long property test / end-to-end run: `pytest -m slow`, CI
@settings(max_examples=40, deadline=None)
@given(games(players=3, strategies=[2, 3, 2], payoffs="rationals"), st.integers(0, 2**32 - 1))
def test_compiled_replicator_field_equals_lambdify(game, seed):
    # The compiled field must give the values sympy's own printer gives, at random states
    # (reference: sympy.lambdify of the same equations, which allocates a new array per step).
    rd = game.replicator()
    Y = np.random.default_rng(seed).random((len(rd.state), 257))
    f = compile_field(rd.state, rd.equations)
    assert f.source is not None  # polynomial field: compiled in place, no fallback
    expected = _lambdified(rd.state, rd.equations, Y)
    assert np.allclose(f(Y), expected, rtol=1e-12, atol=1e-12)
    out = np.empty_like(Y)
    assert f(Y, out=out) is out and np.allclose(out, expected, rtol=1e-12, atol=1e-12)


def test_every_node_kind_is_compiled_correctly():
    # sums with subtracted terms and constants, products with coefficients, powers 1..6,
    # a constant expression and zero; expected values from lambdify.
    x, y, z = sympy.symbols("x y z")
    exprs = [1 - x, -x - 2 * y - 3, x**2 * y**3 - z**5 + x**6 / 7, sympy.Rational(5, 2), sympy.S.Zero,
             -(x * y * z), (x - y) * (y - z) * (1 - x - y - z), x]
    Y = np.random.default_rng(3).uniform(-2, 2, (3, 50))
    f = compile_field((x, y, z), exprs)
    assert f.source is not None
    assert np.allclose(f(Y), _lambdified((x, y, z), exprs, Y), rtol=1e-12, atol=1e-12)


def test_non_polynomial_or_parametric_expressions_fall_back_to_lambdify():
    x, y, a = sympy.symbols("x y a")
    for exprs in ([x / (1 + y), y], [a * x, y], [sympy.sin(x), y]):
        f = compile_field((x, y), exprs)
        assert f.source is None
    f = compile_field((x, y), [x / (1 + y), y * (1 - y)])
    Y = np.array([[0.5, 1.0], [1.0, 0.25]])
    assert np.allclose(f(Y), [[0.25, 0.8], [0.0, 0.1875]])  # x/(1+y), y(1-y) by hand


def test_symbol_names_never_reach_the_generated_source(capfd):
    # Names come from users' files; the generated code refers to rows by position only, and the
    # lambdify fallback replaces every symbol by a dummy.
    evil = sympy.Symbol("__import__('os').system('echo pwned')")
    other = sympy.Symbol("x")
    f = compile_field((evil, other), [evil * (1 - evil) * (other - sympy.Rational(1, 2)), other])
    assert "import" not in f.source and "pwned" not in f.source
    assert np.allclose(f(np.array([[0.5], [1.0]])), [[0.125], [1.0]])  # 0.5 * 0.5 * 0.5 by hand
    g = compile_field((evil, other), [sympy.sin(evil) + other, other])
    assert g.source is None
    assert np.allclose(g(np.array([[0.0], [1.0]])), [[1.0], [1.0]])  # sin(0) + 1
    assert "pwned" not in capfd.readouterr().out


def test_field_is_safe_across_threads_and_shapes():
    # Buffers are per thread and per row shape: concurrent calls with different shapes must not
    # overwrite each other's intermediate results.
    x, y = sympy.symbols("x y")
    exprs = [x * (1 - x) * (3 * y - 1), y * (1 - y) * (2 - 5 * x)]
    f = compile_field((x, y), exprs)
    rng = np.random.default_rng(0)
    inputs = [rng.random((2, n)) for n in (10, 1000, 10_000, 7)]
    expected = [_lambdified((x, y), exprs, Y) for Y in inputs]
    errors = []

    def work(i):
        for _ in range(200):
            if not np.allclose(f(inputs[i]), expected[i], rtol=1e-12, atol=1e-14):
                errors.append(i)
                return

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(inputs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


def test_numbers_beyond_floating_point_are_not_compiled_in_and_raise_clearly():
    # 10**400 overflows a float: it must not appear as a literal (it would read as "inf"); exact
    # cancellation is kept by sympy, and an uncancelled one gives a ParameterError naming the field.
    import pytest

    from coopgame.errors import ParameterError

    x = sympy.Symbol("x")
    big = sympy.Integer(10) ** 400
    f = compile_field((x,), [x * big - big * x + 1])  # sympy cancels to 1
    assert np.array_equal(f(np.array([[0.5]])), [[1.0]])
    g = compile_field((x,), [x * big])
    assert g.source is None
    with pytest.raises(ParameterError, match="too large"):
        g(np.array([[0.5]]))


@settings(max_examples=40, deadline=None)
@given(st.sampled_from([[2, 2], [3, 2], [2, 2, 2], [3, 3], [2, 3, 2]]).flatmap(
    lambda shape: games(players=len(shape), strategies=shape, payoffs="rationals")), st.integers(0, 2**32 - 1))
def test_replicator_vector_field_equals_lambdify_in_both_layouts(game, seed):
    # ReplicatorDynamics.vector_field evaluates all payoff parts as one matrix product over the
    # monomials of the state (compile_replicator_field); reference: lambdify of the equations.
    rd = game.replicator()
    dim = len(rd.state)
    rng = np.random.default_rng(seed)
    Y = rng.random((dim, 301))
    expected = _lambdified(rd.state, rd.equations, Y)
    fc = rd.vector_field(layout="components")
    assert fc.plan is not None  # compiled as a matrix product, no fallback
    assert np.allclose(fc(Y), expected, rtol=1e-12, atol=1e-12)
    out = np.empty((dim, 301))
    assert fc(Y, out=out) is out and np.allclose(out, expected, rtol=1e-12, atol=1e-12)
    strided = np.empty((301, dim)).T  # a non-contiguous out is filled too
    fc(Y, out=strided)
    assert np.allclose(strided, expected, rtol=1e-12, atol=1e-12)
    fs = rd.vector_field()
    assert np.allclose(fs(Y.T), expected.T, rtol=1e-12, atol=1e-12)
    assert np.allclose(fs(Y[:, 0]), expected[:, 0], rtol=1e-12, atol=1e-12)  # one state, shape (dim,)


@settings(max_examples=30, deadline=None)
@given(games(players=3, strategies=2, payoffs="rationals"), st.integers(0, 2**32 - 1))
def test_faces_of_the_state_space_are_exactly_invariant(game, seed):
    # On a face x_r = 0 or x_r = 1 of a two-strategy role the derivative of x_r is exactly 0
    # (the factors x_r and 1 - x_r are applied last), whatever the rounding in the payoff part.
    rd = game.replicator()
    Y = np.random.default_rng(seed).random((3, 200))
    Y[0, :100] = 0.0
    Y[0, 100:] = 1.0
    F = rd.vector_field(layout="components")(Y)
    assert np.all(F[0] == 0.0)


def test_replicator_field_with_non_numeric_parts_falls_back():
    x, y, a = sympy.symbols("x y a")
    exprs = [x * (1 - x) * (a * y - 1), y * (1 - y) * (1 - x)]
    f = compile_replicator_field((x, y), [True, True], [a * y - 1, 1 - x], exprs)
    assert getattr(f, "plan", None) is None  # a parameter left symbolic: not a numeric polynomial
    g = compile_replicator_field((x, y), [True, True], [2 * y - 1, 1 - x],
                                 [x * (1 - x) * (2 * y - 1), y * (1 - y) * (1 - x)])
    assert g.plan is not None
    assert np.allclose(g(np.array([[0.5], [0.5]])), [[0.0], [0.125]])  # 0.25 * 0, 0.25 * 0.5


def test_text_is_refused_not_parsed():
    # compile_field takes sympy expressions or numbers; a string (here an injection attempt) is
    # an ExpressionError naming it, and is never handed to sympy's parser (which calls eval).
    x = sympy.Symbol("x")
    for text in ['__import__("os").system("echo hacked")', "x + 1"]:
        with pytest.raises(ExpressionError, match="not a sympy expression"):
            compile_field((x,), [text])
    assert compile_field((x,), [2])(np.array([[1.0, 2.0]])).tolist() == [[2.0, 2.0]]


def test_parameter_rows_field_equals_the_field_at_each_columns_parameters():
    # FieldFunction.with_parameter_rows: the parameter a as a state row (derivative 0), b bound
    # to 1/2; column j must equal the field at (a_j, b = 1/2) from FieldFunction.at, which
    # evaluates the same coefficients per column. Part of x: a y - b, of y: a b x - 1 + b^2.
    from coopgame.dynamics.codegen import FieldFunction

    x, y, a, b = sympy.symbols("x y a b")
    ff = FieldFunction((x, y), (a, b), [True, True], [a * y - b, a * b * x - 1 + b**2])
    f = ff.with_parameter_rows([a], {b: sympy.Rational(1, 2)})
    rng = np.random.default_rng(5)
    Y = np.vstack([rng.uniform(0, 1, (2, 9)), rng.uniform(-3, 3, (1, 9))])
    out = f(Y)
    assert np.all(out[2] == 0.0)
    ref = ff.at(np.vstack([Y[2], np.full(9, 0.5)]))(np.ascontiguousarray(Y[:2]))
    np.testing.assert_allclose(out[:2], ref, rtol=1e-13, atol=1e-15)
    # x(1 - x)(a y - 1/2) at x = y = 1/2, a = 3: 1/4 (3/2 - 1/2) = 1/4, exactly
    assert f(np.array([[0.5], [0.5], [3.0]]))[0, 0] == 0.25
    # a coefficient that is not a polynomial in a (1/a) cannot be split into monomials: None
    assert FieldFunction((x,), (a,), [True], [x / a]).with_parameter_rows([a], {}) is None
