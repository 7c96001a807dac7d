"""The best-response certificate: :func:`is_nash` and :func:`regret`.

A mixed profile :math:`\\sigma` is a Nash equilibrium when no pure deviation gains,
:math:`u_i(s_i, \\sigma_{-i}) \\le u_i(\\sigma)` for every player and pure strategy. The check is
exact for exact numbers and uses a stated relative tolerance for floats; every equilibrium
the package returns passes it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction

import numpy as np
import sympy

from ..core.errors import (
    ParameterError,
    UnknownNameError,
)
from ..core.parameters import to_exact

#: Relative tolerance of floating-point best-response checks: a deviation may gain at most
#: ``DEFAULT_RTOL * max(1, max |payoff|)``; probabilities may miss the simplex by ``DEFAULT_RTOL``.
DEFAULT_RTOL = 1e-9


def to_fraction(x) -> Fraction:
    """A sympy rational as a ``fractions.Fraction`` (the exact arithmetic of the two-player search)."""
    return Fraction(int(x.p), int(x.q))


def _rational_arrays(rows, shape, players):
    """Per player the Fraction and the float array of payoff rows whose entries are sympy rationals.

    Each distinct payoff is converted once (payoff tables repeat values); raises OverflowError
    when a payoff is too large for a float.
    """
    converted = {}
    exact, floats = [], []
    for i in range(players):
        column = []
        for row in rows:
            x = row[i]
            key = (x.p, x.q)
            if key not in converted:
                p, q = int(x.p), int(x.q)
                converted[key] = (Fraction(p) if q == 1 else Fraction(p, q), p / q)
            column.append(converted[key])
        exact.append(_object_array([f for f, _ in column], shape))
        floats.append(np.array([v for _, v in column], dtype=float).reshape(shape))
    return exact, floats


def _is_float(x) -> bool:
    return isinstance(x, (float, np.floating, sympy.Float))


def _exact_number(x, where: str):
    """An exact sympy number from an int, Fraction, sympy number or numeric string."""
    if isinstance(x, bool):
        raise ParameterError(f"{where}: expected a probability, got the boolean {x!r}")
    if isinstance(x, sympy.Basic):
        if not x.is_number or x.has(sympy.nan, sympy.zoo, sympy.oo, sympy.S.NegativeInfinity):
            raise ParameterError(f"{where}: {x} is not a finite number")
        return x
    return to_exact(x, name=where)


def exact_sign(e) -> int:
    """The exact sign of a real sympy number (rational, algebraic or a polynomial root)."""
    if isinstance(e, Fraction):
        return (e > 0) - (e < 0)
    e = sympy.expand(e)
    if e.is_Rational:
        return int(e.p > 0) - int(e.p < 0)
    if e.is_zero is True:
        return 0
    if e.is_positive is True:
        return 1
    if e.is_negative is True:
        return -1
    # sympy could not separate the number from zero numerically: decide with its minimal polynomial
    x = sympy.Dummy("x")
    try:
        if sympy.minimal_polynomial(e, x) == x:
            return 0
    except sympy.polys.polyerrors.NotAlgebraic:
        # transcendental numbers (pi, exp(1)) have no exact zero test: 100 significant digits decide
        value = sympy.N(e, 100)
        return 0 if abs(value) < sympy.Float(10) ** -90 else (1 if value > 0 else -1)
    value = sympy.N(e, 100)
    return 1 if value > 0 else -1


def _object_array(items, shape):
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out.reshape(shape)


def payoff_data(game, values, defaults):
    """Exact payoff arrays (Fractions when every payoff is rational, else sympy numbers) and floats."""
    if not values and not defaults:
        rows = game.payoff_rows
        if all(isinstance(x, sympy.Rational) for row in rows for x in row):
            # rational payoffs as stored: nothing to substitute or validate (what payoff_arrays
            # would check, finiteness and reality, holds for every rational)
            try:
                exact, floats = _rational_arrays(rows, game.shape, len(game.players))
            except OverflowError:  # too large for a float: payoff_arrays says so
                pass
            else:
                return exact, floats, True
    exact = game.payoff_arrays(values, exact=True, defaults=defaults)
    rational = all(x.is_Rational for a in exact for x in a.flat)
    if rational:
        exact = [_object_array([to_fraction(x) for x in a.flat], a.shape) for a in exact]
    floats = [np.array([float(x) for x in a.flat], dtype=float).reshape(a.shape) for a in exact]
    return exact, floats, rational


def _profile_vectors(game, profile):
    """Parse a profile into one list of probabilities per player, and its arithmetic kind."""
    n = len(game.players)
    if isinstance(profile, Mapping):
        for key in profile:
            game.player_index(key)
        missing = [p for p in game.players if p not in profile]
        if missing:
            raise UnknownNameError(f"the profile gives no strategy for player(s) {', '.join(map(repr, missing))}")
        profile = [profile[p] for p in game.players]
    elif isinstance(profile, str) or not isinstance(profile, (list, tuple, np.ndarray)):
        raise ParameterError(f"a profile is one strategy or probability vector per player, got {profile!r}")
    profile = list(profile)
    if len(profile) != n:
        raise ParameterError(f"the profile has {len(profile)} entries; the game has {n} players")
    vectors, has_float = [], False
    for i, (player, names, entry) in enumerate(zip(game.players, game.strategy_lists, profile)):
        if isinstance(entry, str):
            j = game.strategy_index(i, entry)
            vectors.append([sympy.Integer(int(k == j)) for k in range(len(names))])
            continue
        if isinstance(entry, Mapping):
            vec = [sympy.Integer(0)] * len(names)
            for name, prob in entry.items():
                vec[game.strategy_index(i, name)] = prob
            entry = vec
        entry = list(np.asarray(entry, dtype=object).ravel()) if isinstance(entry, np.ndarray) else list(entry)
        if len(entry) != len(names):
            raise ParameterError(
                f"the mixed strategy of player {player!r} has {len(entry)} probabilities; "
                f"the player has {len(names)} strategies"
            )
        vec = []
        for name, p in zip(names, entry):
            where = f"probability of strategy {name!r} of player {player!r}"
            if _is_float(p):
                if not math.isfinite(float(p)):
                    raise ParameterError(f"{where}: {p!r} is not a finite number")
                has_float = True
                vec.append(float(p))
            else:
                vec.append(_exact_number(p, where))
        vectors.append(vec)
    if has_float:
        return [[float(p) for p in v] for v in vectors], "float"
    if all(p.is_Rational for v in vectors for p in v):
        return [[to_fraction(p) for p in v] for v in vectors], "fraction"
    return vectors, "sympy"


def pure_payoffs(U, vectors, i):
    """The payoffs of player i's pure strategies against the others' mixed strategies.

    Strategies played with probability zero are left out of the sums (exactly: they add zero),
    which saves most of the exact arithmetic at equilibria with small supports.
    """
    T = U
    for k in reversed(range(len(vectors))):
        if k != i:
            vec = vectors[k]
            support = [j for j, p in enumerate(vec) if p != 0]
            if len(support) < len(vec):
                T = np.take(T, support, axis=k)
                vec = [vec[j] for j in support]
            T = np.tensordot(T, np.asarray(vec, dtype=T.dtype), axes=([k], [0]))
    return T


def _prepare(game, profile, values, defaults=False):
    vectors, kind = _profile_vectors(game, profile)
    exact, floats, rational = payoff_data(game, values, defaults)
    if kind == "float":
        arrays = floats
    elif kind == "fraction" and rational:
        arrays = exact
    else:
        kind = "sympy"
        arrays = [np.vectorize(lambda x: sympy.Rational(x.numerator, x.denominator) if isinstance(x, Fraction) else x,
                               otypes=[object])(a) for a in exact]
        vectors = [[sympy.Rational(p.numerator, p.denominator) if isinstance(p, Fraction) else p for p in v]
                   for v in vectors]
    return vectors, kind, arrays, floats


def _gains(arrays, vectors):
    """Per player: the payoff of each pure strategy minus the expected payoff (a deviation's gain)."""
    out = []
    for i, U in enumerate(arrays):
        pure = pure_payoffs(U, vectors, i)
        here = sum((p * v for p, v in zip(vectors[i], pure)), start=pure[0] * 0)
        out.append([v - here for v in pure])
    return out


def regret(game, profile, values=None, *, defaults: bool = False) -> dict:
    """Each player's largest gain from a unilateral deviation to a pure strategy.

    .. math:: \\operatorname{regret}_i(\\sigma) = \\max_{s_i \\in S_i} u_i(s_i, \\sigma_{-i}) - u_i(\\sigma),

    which is non-negative, and zero for every player exactly when :math:`\\sigma` is a Nash
    equilibrium. The arithmetic is exact (``fractions.Fraction`` or sympy numbers) when the
    payoffs and the profile are exact, and floating point when the profile contains floats.

    Parameters
    ----------
    game : Game
    profile : sequence or mapping
        One entry per player (or a mapping from player to entry): a strategy name (a pure
        strategy), a sequence of probabilities in strategy order, or a mapping from strategy
        name to probability.
    values : mapping, optional
        Parameter values for a game with parameters.
    defaults : bool
        Use parameters' default values for those not given.

    Returns
    -------
    dict
        Player name to regret (a ``Fraction``, a sympy number or a float).

    Examples
    --------
    >>> from coopgame import Game
    >>> pennies = Game.bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> regret(pennies, [["1/2", "1/2"], ["1/2", "1/2"]])
    {'row': Fraction(0, 1), 'column': Fraction(0, 1)}
    >>> regret(pennies, ["s1", "s1"])["column"]
    Fraction(2, 1)
    """
    from ..dynamics.state import require_static

    require_static(game, "regrets")  # a state-dependent game has no normal form
    vectors, kind, arrays, _ = _prepare(game, profile, values, defaults)
    _check_simplex(game, vectors, kind, DEFAULT_RTOL)
    out = {}
    for player, gains in zip(game.players, _gains(arrays, vectors)):
        if kind == "sympy":
            best = gains[0]
            for g in gains[1:]:
                if exact_sign(g - best) > 0:
                    best = g
            out[player] = sympy.nsimplify(best) if best.is_Rational else sympy.radsimp(best)
        else:
            out[player] = max(gains)
    return out


def _check_simplex(game, vectors, kind, tol):
    for player, vec in zip(game.players, vectors):
        if kind == "float":
            bad = [p for p in vec if p < -tol]
            total = math.fsum(vec)
            off = abs(total - 1) > tol
        else:
            sign = exact_sign if kind == "sympy" else (lambda e: (e > 0) - (e < 0))
            bad = [p for p in vec if sign(p) < 0]
            total = sum(vec[1:], start=vec[0])
            off = sign(total - 1) != 0
        if bad:
            raise ParameterError(f"the mixed strategy of player {player!r} has a negative probability {bad[0]}")
        if off:
            raise ParameterError(f"the probabilities of player {player!r} sum to {total}, not 1")


def float_tolerance(floats, tol):
    """The tolerance of floating-point best-response checks: ``tol``, or by default
    :data:`DEFAULT_RTOL` times the largest absolute payoff (at least 1) of the float arrays."""
    if tol is not None:
        return float(tol)
    scale = max([1.0] + [float(np.max(np.abs(a))) for a in floats])
    return DEFAULT_RTOL * scale


def is_nash(game, profile, values=None, tol=None, *, defaults: bool = False) -> bool:
    """Whether a (mixed) profile is a Nash equilibrium: the independent best-response check.

    Every player's expected payoff is compared with the payoff of each of her pure strategies
    against the others' mixed strategies (a mixed deviation never gains more than the best pure
    one). With exact payoffs and an exact profile (integers, fractions, numeric strings, sympy
    numbers) the check is exact: ``tol`` defaults to 0. When the profile contains floats, a
    deviation may gain at most ``tol``, by default ``1e-9 * max(1, max |payoff|)``
    (:data:`DEFAULT_RTOL`), and probabilities may leave the simplex by ``1e-9``.

    Parameters
    ----------
    game : Game
    profile : sequence or mapping
        As in :func:`regret`: per player a strategy name, a probability vector or a mapping
        from strategy name to probability.
    values : mapping, optional
        Parameter values for a game with parameters.
    tol : number, optional
        The largest gain from deviating that is still accepted.
    defaults : bool
        Use parameters' default values for those not given.

    Returns
    -------
    bool

    Raises
    ------
    ParameterError
        A probability vector of the wrong length, with a negative entry or not summing to one;
        a game with parameters and no values for them.
    UnknownNameError
        An unknown player or strategy name.

    Examples
    --------
    Matching pennies has the unique equilibrium in which both players mix (1/2, 1/2)
    (Osborne and Rubinstein, *A Course in Game Theory*, Example 32.2).

    >>> from coopgame import Game
    >>> pennies = Game.bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> is_nash(pennies, [["1/2", "1/2"], ["1/2", "1/2"]])
    True
    >>> is_nash(pennies, [[0.5, 0.5], [0.5000001, 0.4999999]])
    False
    >>> is_nash(pennies, ["s1", "s2"])
    False
    """
    from ..dynamics.state import require_static

    require_static(game, "Nash tests")  # a state-dependent game has no normal form
    vectors, kind, arrays, floats = _prepare(game, profile, values, defaults)
    if kind == "float":
        tolerance = float_tolerance(floats, tol)
        _check_simplex(game, vectors, kind, DEFAULT_RTOL if tol is None else max(float(tol), DEFAULT_RTOL))
        return all(max(g) <= tolerance for g in _gains(arrays, vectors))
    _check_simplex(game, vectors, kind, 0)
    if kind == "fraction":
        limit = Fraction(0) if tol is None else Fraction(tol)
        return all(max(g) <= limit for g in _gains(arrays, vectors))
    limit = sympy.Integer(0) if tol is None else _exact_number(tol, "tol")
    return all(exact_sign(x - limit) <= 0 for g in _gains(arrays, vectors) for x in g)
