"""All Nash equilibria of a game at numeric values: :func:`nash_equilibria`.

Chooses the algorithm (exact vertex enumeration for two players, nashpy's vertex enumeration or
Lemke-Howson for large two-player games, indifference polynomials for N players with two
strategies each) and verifies every candidate with the best-response certificate.

Two players (von Stengel 2007, Algorithm 3.5; Avis et al. 2010): payoffs are shifted to be
positive, and the completely labelled vertex pairs of the best-response polytopes
:math:`P = \\{x \\ge 0 : B^\\top x \\le 1\\}` and :math:`Q = \\{y \\ge 0 : A y \\le 1\\}` are the
extreme equilibria. With rational payoffs the vertices are searched by pivoting along the
polytopes' edges, a layer of vertices at a time in floating point (:mod:`.pivoting`): every
visited vertex is checked with a margin that bounds the rounding error, degenerate vertices are
recomputed exactly and their edges read off their exact tight sets, and each equilibrium is
recomputed exactly from its basis. When a check fails (a tie within the tolerance, a nearly
singular system, a pivot that leaves the polytope) or degenerate vertices exceed the work
budget, every square system of tight constraints is solved instead (:mod:`.vertex`), at once in
floating point, completely labelled pairs by lenient labels are recomputed exactly, and nearly
singular systems are decided exactly. Floating point is only a filter: labels, feasibility and
the final best-response check are exact.

Three or more players: every pure equilibrium; with two strategies per player and rational
payoffs also every isolated partially or totally mixed equilibrium, from the players'
indifference polynomials solved exactly with sympy (for each choice of which players mix).
"""

from __future__ import annotations

import functools
import itertools
import math
import warnings
from fractions import Fraction

import numpy as np
import sympy

from ..core.errors import (
    DegenerateGameWarning,
    IncompleteSearchWarning,
    ResourceLimitError,
    SolverError,
    UnknownNameError,
)
from .certificate import exact_sign, float_tolerance, payoff_data, pure_payoffs, to_fraction
from .lemke_howson import lemke_howson_capped
from .pivoting import pivoting_equilibria
from .polynomial import n_player_mixed_candidates
from .result import Equilibrium
from .supports import from_float_pairs
from .vertex import shifted_payoffs, tidy_algebraic, vertex_enumeration

#: Default bound on the number of constraint subsets per best-response polytope that the exact
#: two-player vertex enumeration may examine (``C(m + n, m)``; 924 for a 6x6 game).
DEFAULT_MAX_SUPPORTS = 200_000


_METHODS = ("auto", "vertex", "nashpy_vertex", "lemke_howson")


_ALGEBRAIC_LIMIT = 6


def _two_player_candidates(exact, floats, rational, method, max_supports, integer_game=None):
    A, B = floats
    Ax, Bx = (exact[0], exact[1]) if rational else (None, None)
    m, n = A.shape
    complete = True
    if method in ("auto", "vertex"):
        if math.comb(m + n, m) <= max_supports:
            if rational:
                # the pivoting search first; it returns None (and the exact enumeration of every
                # support system decides) unless both polytopes were certified simple
                found = pivoting_equilibria(A, B, Ax, Bx, math.comb(m + n, m), integer_game)
                if found is None:
                    found = vertex_enumeration(A, B, Ax, Bx)
                return found, complete, False
            # exact algebraic arithmetic (minimal polynomials, simplification) grows quickly with the
            # game: beyond 6 profiles it can take minutes, so larger games use floating point
            if m * n <= _ALGEBRAIC_LIMIT and all(x.is_algebraic for a in exact for x in a.flat):
                return vertex_enumeration(A, B, exact[0], exact[1], field="sympy"), complete, False
            return vertex_enumeration(A, B, None, None, field=None), complete, False
        if method == "vertex":
            raise ResourceLimitError(
                f"exact vertex enumeration of a {m}x{n} game examines {math.comb(m + n, m)} constraint subsets "
                f"per polytope, more than max_supports={max_supports}"
            )
    if method in ("auto", "nashpy_vertex"):
        import nashpy

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                pairs = list(nashpy.Game(A, B).vertex_enumeration())
        except Exception as exc:  # scipy's Qhull fails on some degenerate polytopes
            if method == "nashpy_vertex":
                raise SolverError(f"nashpy's vertex enumeration failed: {exc}") from exc
        else:
            return from_float_pairs(pairs, Ax, Bx), complete, True
    Af, Bf = shifted_payoffs(A, False), shifted_payoffs(B, False)
    pairs = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for label in range(m + n):
            try:
                res = lemke_howson_capped(Af, Bf, label)
            except Exception:  # a failed pivot run: other starting labels may still succeed
                res = None
            if res is not None:
                pairs.append(res)
    return from_float_pairs(pairs, Ax, Bx), False, True


def _sympy_number(p):
    """A Fraction as a sympy number (other numbers unchanged)."""
    return _sympy_rational(p.numerator, p.denominator) if isinstance(p, Fraction) else p


@functools.lru_cache(maxsize=4096)
def _sympy_rational(numerator, denominator):
    # sympy numbers are immutable: cached by the (int) numerator and denominator
    return sympy.Integer(numerator) if denominator == 1 else sympy.Rational(numerator, denominator)


def _equilibrium(game, vectors, kind, payoffs, tolerance):
    if kind == "float":
        profile = tuple(tuple(float(p) for p in v) for v in vectors)
        pay = tuple(float(u) for u in payoffs)
        cert = f"floating-point best-response check: no pure deviation gains more than {tolerance:.3g}"
    else:
        profile = tuple(tuple(_sympy_number(p) for p in v) for v in vectors)
        pay = tuple(_sympy_number(u) for u in payoffs)
        cert = "exact best-response check: no pure deviation gains"
    return Equilibrium(profile=profile, condition=sympy.true, players=game.players, strategies=game.strategy_lists,
                       kind="mixed", strict=False, certificate=cert, payoffs=pay)


def _integer_bimatrix(exact):
    """The payoff matrices of a two-player game with Fraction payoffs as Python integers.

    Returns ``(L, rows)``: ``L`` the payoffs' common denominator and, per player, the matrix
    ``L * U`` as lists of ints (rows indexed by player 1's strategies).
    """
    L = math.lcm(*(x.denominator for a in exact for x in a.flat))
    return L, [[[x.numerator * (L // x.denominator) for x in row] for row in a.tolist()] for a in exact]


def _integer_vector(vec):
    """A vector of Fractions as integers ``(V, D)`` with ``vec = V / D`` and ``D > 0``."""
    pairs = [(p.numerator, p.denominator) for p in vec]
    D = math.lcm(*(q for _, q in pairs))
    return [a * (D // q) for a, q in pairs], D


def _check_bimatrix_integer(integer_game, vectors):
    """The exact best-response check of a two-player profile in Python integers.

    ``integer_game`` is :func:`_integer_bimatrix`'s ``(L, [LA, LB])``, ``vectors`` the players'
    probability vectors (Fractions). With ``x = X / Dx``, ``y = Y / Dy``, row ``i``'s payoff is
    ``(LA Y)_i / (L Dy)`` and the expected payoff ``X . (LA Y) / (Dx L Dy)``: no pure deviation
    gains exactly when ``(LA Y)_i Dx <= X . (LA Y)`` for every ``i``, and likewise for the column
    player. The same check as :func:`.certificate.is_nash` with the denominators cleared once. Returns the
    expected payoffs (Fractions), or None when some deviation gains.
    """
    L, (LA, LB) = integer_game
    (X, Dx), (Y, Dy) = _integer_vector(vectors[0]), _integer_vector(vectors[1])
    xs = [j for j, v in enumerate(X) if v]
    ys = [k for k, v in enumerate(Y) if v]
    # player 1: each row's payoff against y, times L Dy
    pure = [sum(row[k] * Y[k] for k in ys) for row in LA]
    here = sum(X[j] * pure[j] for j in xs)
    if max(pure) * Dx > here:
        return None
    # player 2: each column's payoff against x, times L Dx
    pure2 = [sum(LB[j][k] * X[j] for j in xs) for k in range(len(Y))]
    here2 = sum(Y[k] * pure2[k] for k in ys)
    if max(pure2) * Dy > here2:
        return None
    scale = Dx * L * Dy
    return [Fraction(here, scale), Fraction(here2, scale)]


def _check(arrays, vectors, kind, tolerance):
    """Verify a profile; returns the expected payoffs, or None when some deviation gains."""
    payoffs = []
    for i, U in enumerate(arrays):
        pure = pure_payoffs(U, vectors, i)
        here = sum((p * v for p, v in zip(vectors[i], pure)), start=pure[0] * 0)
        if kind == "float":
            if max(pure) - here > tolerance:
                return None
        elif kind == "fraction":
            if max(pure) > here:
                return None
        elif any(exact_sign(v - here) > 0 for v in pure):
            return None
        payoffs.append(tidy_algebraic(here) if kind == "sympy" else here)
    return payoffs


def nash_equilibria(game, values=None, *, method: str = "auto", tol=None, max_supports: int = DEFAULT_MAX_SUPPORTS,
                    defaults: bool = False) -> list[Equilibrium]:
    """All Nash equilibria of a game at numeric parameter values, mixed ones included, verified.

    Two players: the extreme equilibria, the completely labelled vertex pairs of the
    best-response polytopes, complete also for degenerate games (found by pivoting, or by the
    exact enumeration of every support system when the pivoting search cannot certify itself;
    see the module). Three or more players: every pure equilibrium, and with two strategies per
    player and rational payoffs every isolated mixed one (indifference polynomials, exact).

    Every profile returned passes :func:`is_nash` (exactly for rational payoffs).

    Parameters
    ----------
    game : Game
    values : mapping, optional
        Values of the game's parameters (by name or symbol).
    method : {"auto", "vertex", "nashpy_vertex", "lemke_howson"}
        Two players only. ``"vertex"``: the exact vertex enumeration above (raises
        :class:`~coopgame.errors.ResourceLimitError` above ``max_supports``); ``"nashpy_vertex"``:
        nashpy's vertex enumeration, each result recomputed exactly from its supports where
        possible and verified; ``"lemke_howson"``: nashpy's Lemke-Howson pivoting from every
        starting label, capped at 10 000 pivots per run (finds some equilibria, not all).
        ``"auto"`` uses them in this order as the game grows or a method fails.
    tol : float, optional
        Tolerance of the check for results in floating point (transcendental payoffs such as
        ``pi``, or nashpy results that cannot be made exact); by default
        ``1e-9 * max(1, max |payoff|)``. Algebraic irrational payoffs (``sqrt(2)``) of games with
        at most 6 pure profiles (2x2, 2x3) are handled exactly with sympy numbers; larger games
        with irrational payoffs are solved in floating point.
    max_supports : int
        Bound on the constraint subsets per polytope, :math:`\\binom{m+n}{m}`, for the exact method.
    defaults : bool
        Use parameters' default values for those not in ``values``.

    Returns
    -------
    list of Equilibrium
        ``kind="mixed"``, ``profile`` one probability tuple per player (exact sympy numbers,
        or floats when exactness was impossible), ``condition`` true, ``payoffs`` the expected
        payoffs. Pure equilibria appear as degenerate mixtures (see ``Equilibrium.is_pure``).

    Warns
    -----
    DegenerateGameWarning
        When the equilibria form a continuum: two players, some extreme equilibrium strategy is
        paired with two others (so their convex combinations are equilibria too); three or more
        players, the indifference equations have non-isolated solutions (not returned).
    IncompleteSearchWarning
        When the search cannot guarantee that every equilibrium was found (Lemke-Howson, or
        more than two strategies for some player of a game with three or more players).

    Raises
    ------
    ParameterError
        A game with parameters and no value for one of them (the message names it).

    Examples
    --------
    The battle of the sexes has two pure equilibria and a mixed one in which each player puts
    2/3 on her favourite event (Osborne and Rubinstein, *A Course in Game Theory*, Example 15.3).

    >>> from coopgame import Game
    >>> bos = Game.bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]], strategies=[["B", "S"], ["B", "S"]])
    >>> for e in nash_equilibria(bos):
    ...     print(e.profile, e.payoffs)
    ((1, 0), (1, 0)) (2, 1)
    ((0, 1), (0, 1)) (1, 2)
    ((2/3, 1/3), (1/3, 2/3)) (2/3, 2/3)

    References
    ----------
    B. von Stengel, "Equilibrium computation for two-player games in strategic and extensive
    form", in *Algorithmic Game Theory* (Nisan et al., eds.), 2007, ch. 3.
    D. Avis, G. D. Rosenberg, R. Savani and B. von Stengel, "Enumeration of Nash equilibria for
    two-player games", *Economic Theory* 42 (2010) 9-37.
    """
    from ..dynamics.state import require_static

    if values or defaults or not all(isinstance(x, sympy.Rational) for row in game.payoff_rows for x in row):
        # a state-dependent game has no normal form (rational payoffs use no state symbol)
        require_static(game, "Nash equilibria")
    if method not in _METHODS:
        raise UnknownNameError(f"unknown method {method!r} (methods: {', '.join(_METHODS)})")
    exact, floats, rational = payoff_data(game, values, defaults)
    tolerance = float_tolerance(floats, tol)
    # two players with rational payoffs: the payoffs in Python integers, shared by the pivoting
    # search and the exact check
    integer_game = _integer_bimatrix(exact) if rational and len(game.players) == 2 else None
    if len(game.players) == 2:
        pairs, complete, from_nashpy = _two_player_candidates(exact, floats, rational, method, max_supports,
                                                              integer_game)
        candidates = [([list(x), list(y)], kind) for (x, y), kind in pairs]
    else:
        candidates, complete = _n_player_candidates(game, exact, rational)
        from_nashpy = False
    results, dropped = _verified(game, candidates, exact, floats, rational, tolerance, integer_game)
    _warn_search(game, results, dropped, from_nashpy, complete)
    results.sort(key=_order)
    return results


def _n_player_candidates(game, exact, rational):
    """Candidate profiles of a game with one or three or more players, and whether they are all."""
    candidates = []
    for idx in itertools.product(*(range(k) for k in game.shape)):
        vectors = [[Fraction(int(j == k)) for j in range(size)] for k, size in zip(idx, game.shape)]
        candidates.append((vectors, "fraction" if rational else "sympy"))
    n = len(game.players)
    if n >= 3 and all(k == 2 for k in game.shape) and rational:
        mixed, continuum = n_player_mixed_candidates(game, exact)
        for vectors in mixed:
            if all(p.is_Rational for v in vectors for p in v):
                candidates.append(([[to_fraction(p) for p in v] for v in vectors], "fraction"))
            else:
                candidates.append((vectors, "sympy"))
        if continuum:
            who = sorted({"{" + ", ".join(repr(game.players[k]) for k in ms) + "}" for ms in continuum})
            warnings.warn(
                "the game is degenerate: the indifference equations of the mixing players "
                f"{' or '.join(who)} have non-isolated solutions, so equilibria may form a continuum; "
                "only isolated equilibria are returned",
                DegenerateGameWarning, stacklevel=3,
            )
        return candidates, True
    return candidates, n < 3


def _verified(game, candidates, exact, floats, rational, tolerance, integer_game=None):
    """The candidates that pass the best-response check, without repeats, and how many failed."""
    sym_arrays = None if rational else exact
    # two players with rational payoffs: the exact check in Python integers (denominators cleared once)
    if integer_game is None and rational and len(game.players) == 2:
        integer_game = _integer_bimatrix(exact)
    results, seen, dropped = [], set(), 0
    for vectors, kind in candidates:
        if kind == "fraction" and not rational:
            vectors = [[sympy.Rational(p.numerator, p.denominator) for p in v] for v in vectors]
            kind = "sympy"
        arrays = {"fraction": exact, "float": floats}.get(kind)
        if kind == "sympy":
            if sym_arrays is None:
                sym_arrays = [np.vectorize(lambda x: sympy.Rational(x.numerator, x.denominator),
                                           otypes=[object])(a) for a in exact]
            arrays = sym_arrays
        if kind == "fraction" and integer_game is not None:
            payoffs = _check_bimatrix_integer(integer_game, vectors)
        else:
            payoffs = _check(arrays, vectors, kind, tolerance)
        if payoffs is None:
            dropped += 1
            continue
        eq = _equilibrium(game, vectors, kind, payoffs, tolerance)
        if kind == "fraction":
            key = eq.profile
        else:  # floats, or algebraic numbers that may be written in several ways
            key = tuple(tuple(round(float(p), 8 if kind == "float" else 12) for p in v) for v in eq.profile)
        if key in seen:
            continue
        seen.add(key)
        results.append(eq)
    return results, dropped


def _warn_search(game, results, dropped, from_nashpy, complete):
    """The warnings of an incomplete search, of dropped nashpy results and of a continuum."""
    n = len(game.players)
    if dropped and from_nashpy:
        warnings.warn(f"{dropped} candidate profile(s) from nashpy failed the best-response check and were dropped",
                      IncompleteSearchWarning, stacklevel=3)
    if not complete:
        reason = ("Lemke-Howson finds some equilibria, not necessarily all" if n == 2 else
                  "with three or more players, mixed equilibria are searched only when every player has two "
                  "strategies and the payoffs are rational")
        warnings.warn(f"the search may be incomplete: {reason}; {len(results)} equilibria found",
                      IncompleteSearchWarning, stacklevel=3)
    if n <= 2:
        _warn_continuum(game, results)


def _float(p) -> float:
    """``float(p)``; for a rational the correctly rounded quotient of integers, without sympy's evalf."""
    return p.p / p.q if isinstance(p, sympy.Rational) else float(p)


def _order(eq):
    floats = [_float(p) for v in eq.profile for p in v]
    # a rational is zero exactly when its numerator is (no sympy comparison needed)
    support = sum(1 for v in eq.profile for p in v if (p.p != 0 if isinstance(p, sympy.Rational) else p != 0))
    return (support, tuple(-f for f in floats))


def _warn_continuum(game, results):
    """Warn when extreme equilibria share a strategy: their Nash subset is then a continuum."""
    def key(v):
        return tuple(round(_float(p), 9) for p in v)

    for i in range(len(game.players)):
        strategies = [key(e.profile[i]) for e in results]
        if len(set(strategies)) < len(strategies):
            warnings.warn(
                f"the game is degenerate and its equilibria form a continuum: the strategy of player "
                f"{game.players[i]!r} in an extreme equilibrium is paired with several strategies of the other "
                "player, and every convex combination of these is an equilibrium; the extreme equilibria are returned",
                DegenerateGameWarning, stacklevel=4,
            )
            return
    if len(game.players) == 1 and len(results) > 1:
        warnings.warn(
            "the game is degenerate: the player has several best strategies, and every mixture of them is "
            "an equilibrium; the pure ones are returned", DegenerateGameWarning, stacklevel=4,
        )
