"""Nash equilibria: exact conditions for pure profiles, verified mixed equilibria.

A pure profile :math:`s` is a Nash equilibrium when no player gains by deviating alone,

.. math:: u_i(s) \\ge u_i(s_i', s_{-i}) \\quad \\text{for every player } i \\text{ and } s_i' \\in S_i,

and a *strict* one when every inequality is strict. With symbolic payoffs each inequality is a
condition on the parameters; :func:`pure_equilibria` returns their conjunction, exactly.

A mixed profile :math:`\\sigma` is a Nash equilibrium when no pure deviation gains,
:math:`u_i(s_i, \\sigma_{-i}) \\le u_i(\\sigma)` for every player and pure strategy; :func:`is_nash`
checks this (exactly for exact numbers) and :func:`regret` measures the largest gain.
:func:`nash_equilibria` finds every equilibrium of a game at numeric values (exact vertex
enumeration for two players, indifference polynomials for three or more players with two
strategies each) and verifies each with the same check; :func:`mixed_equilibrium_2x2` gives the
symbolic interior equilibrium of a 2x2 game with its condition.

Examples
--------
>>> from coopgame import Game, pure_equilibria
>>> pd = Game.from_arrays([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], players=["A", "B"],
...                       strategies=[["C", "D"], ["C", "D"]])
>>> [e.profile for e in pure_equilibria(pd)]
[('D', 'D')]
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import sympy

from .errors import (
    DegenerateGameWarning,
    GameDefinitionError,
    IncompleteSearchWarning,
    ParameterError,
    ResourceLimitError,
    SolverError,
    UnknownNameError,
)
from .parameters import to_exact

__all__ = [
    "Equilibrium",
    "pure_equilibria",
    "deviation_gains",
    "relation",
    "is_nash",
    "regret",
    "nash_equilibria",
    "mixed_equilibrium_2x2",
    "DEFAULT_RTOL",
    "DEFAULT_MAX_SUPPORTS",
]


@dataclass(frozen=True)
class Equilibrium:
    """An equilibrium profile with the condition under which it is one.

    Attributes
    ----------
    profile : tuple
        For a pure equilibrium, the strategy names in player order. For a mixed equilibrium,
        one probability vector (a tuple of exact numbers or floats) per player.
    condition : sympy Boolean
        The condition on the parameters under which the profile is an equilibrium
        (``sympy.true`` for a numeric game).
    players : tuple of str
        The players, in order.
    strategies : tuple of tuple of str
        Strategy names per player, so that a mixed profile can be read.
    kind : str
        ``"pure"`` or ``"mixed"``.
    strict : bool
        Whether the condition is that of a strict equilibrium.
    certificate : str
        How the profile was verified (for example ``"exact best-response check"``).
    """

    profile: tuple
    condition: Any = sympy.true
    players: tuple = ()
    strategies: tuple = ()
    kind: str = "pure"
    strict: bool = False
    certificate: str = ""
    payoffs: tuple | None = field(default=None, compare=False)

    @property
    def is_pure(self) -> bool:
        """True when every player plays one strategy with probability one."""
        if self.kind == "pure":
            return True
        return all(sum(1 for p in vec if p != 0) == 1 for vec in self.profile)

    def as_mixed(self) -> tuple[tuple, ...]:
        """The profile as one probability vector per player."""
        if self.kind != "pure":
            return self.profile
        return tuple(
            tuple(sympy.Integer(1 if s == chosen else 0) for s in names)
            for names, chosen in zip(self.strategies, self.profile)
        )

    def strategy(self, player):
        """The strategy (name, or probability vector) of one player."""
        return self.profile[list(self.players).index(player)]

    def holds(self, values: Mapping | None = None) -> bool:
        """Whether the condition holds at the given parameter values (exact evaluation).

        Raises :class:`~coopgame.errors.ParameterError` when a parameter in the condition has
        no value.
        """
        cond = self.condition
        if cond in (sympy.true, sympy.false):
            return bool(cond)
        vals = {}
        for key, value in (values or {}).items():
            name = key if isinstance(key, str) else getattr(key, "name", None)
            vals[name] = to_exact(value, name=f"parameter {name!r}")
        subs = {}
        for sym in cond.free_symbols:
            if sym.name not in vals:
                raise ParameterError(f"missing value for parameter {sym.name!r} in condition {cond}")
            subs[sym] = vals[sym.name]
        result = cond.xreplace(subs)
        if result not in (sympy.true, sympy.false):
            result = sympy.simplify(result)
        if result not in (sympy.true, sympy.false):
            raise ParameterError(f"condition {cond} could not be decided at the given values")
        return bool(result)

    def __str__(self):
        if self.kind == "pure":
            shown = "(" + ", ".join(self.profile) + ")"
        else:
            shown = "(" + ", ".join("(" + ", ".join(str(p) for p in v) + ")" for v in self.profile) + ")"
        cond = "" if self.condition is sympy.true else f" if {self.condition}"
        return f"{'strict ' if self.strict else ''}{self.kind} equilibrium {shown}{cond}"


def _require_static(game, analysis):
    from .dynamics.state import require_static

    require_static(game, analysis)


def relation(difference: sympy.Expr, strict: bool) -> sympy.Basic:
    """The condition ``difference > 0`` (strict) or ``>= 0``, written as papers write it.

    Terms with negative coefficients move to the right-hand side, so ``R - C + s >= 0`` reads
    ``R + s >= C``. Conditions that sympy can decide from the symbols' assumptions come back as
    ``sympy.true`` or ``sympy.false``.

    Examples
    --------
    >>> R, C, s = sympy.symbols("R C s", real=True)
    >>> relation(R - C + s, strict=True)
    R + s > C
    >>> relation(sympy.Symbol("b", positive=True), strict=True)
    True
    """
    d = sympy.expand(difference)
    if d.is_number:
        return sympy.true if (d > 0 if strict else d >= 0) else sympy.false
    decided = d.is_positive if strict else d.is_nonnegative
    if decided is True:
        return sympy.true
    decided = d.is_nonpositive if strict else d.is_negative
    if decided is True:
        return sympy.false
    left, right = [], []
    for term in sympy.Add.make_args(d):
        coeff, _ = term.as_coeff_Mul()
        (right if coeff.is_negative else left).append(-term if coeff.is_negative else term)
    lhs, rhs = sympy.Add(*left), sympy.Add(*right)
    rel = sympy.StrictGreaterThan if strict else sympy.GreaterThan
    if lhs == 0:  # all terms negative: 0 >= rhs reads better as rhs <= 0
        return (sympy.StrictLessThan if strict else sympy.LessThan)(rhs, 0)
    return rel(lhs, rhs, evaluate=False)


def deviation_gains(game, profile) -> list[tuple[str, str, sympy.Expr]]:
    """For a pure profile, every unilateral deviation and its payoff loss to the deviator.

    Returns triples ``(player, alternative strategy, u_i(profile) - u_i(deviation))``; the
    profile is a Nash equilibrium iff every difference is non-negative.
    """
    idx = list(game.profile_index(profile))
    names = game.profile_names(profile)
    out = []
    for i, player in enumerate(game.players):
        here = game.payoff(player, names)
        for j, alt in enumerate(game.strategy_lists[i]):
            if j == idx[i]:
                continue
            dev = list(names)
            dev[i] = alt
            out.append((player, alt, sympy.expand(here - game.payoff(player, tuple(dev)))))
    return out


def _conjunction(relations: list) -> sympy.Basic:
    unique = []
    flat = []
    for r in relations:  # nested conjunctions (from ``positive`` on a fraction) are flattened
        flat.extend(r.args if isinstance(r, sympy.And) else [r])
    for r in flat:
        if r is sympy.true:
            continue
        if r is sympy.false:
            return sympy.false
        if r not in unique:
            unique.append(r)
    # d > 0 together with -d >= 0 (or d >= 0 with -d > 0) can never hold.
    diffs = [(sympy.expand(r.lhs - r.rhs) if r.rel_op in (">", ">=") else sympy.expand(r.rhs - r.lhs), r.rel_op in (">", "<"))
             for r in unique if isinstance(r, sympy.core.relational.Relational)]
    for a, (da, sa) in enumerate(diffs):
        for db, sb in diffs[a + 1:]:
            if sympy.expand(da + db) == 0 and (sa or sb):
                return sympy.false
    return sympy.And(*unique) if unique else sympy.true


def pure_equilibria(game, strict: bool = False) -> list[Equilibrium]:
    """Every pure profile with the exact condition under which it is a (strict) Nash equilibrium.

    Parameters
    ----------
    game : Game
        A game with numeric or symbolic payoffs.
    strict : bool
        Require every deviation to lose strictly (a strict Nash equilibrium).

    Returns
    -------
    list of Equilibrium
        In profile order; profiles whose condition is identically false (numerically, from the
        parameters' domains, or because it contains a pair of contradictory inequalities) are
        left out. The condition is the conjunction of the deviation inequalities, neither
        weakened nor strengthened.

    Examples
    --------
    >>> from coopgame import Game
    >>> g = Game(["A", "B"], [["x", "y"], ["x", "y"]],
    ...          {("x", "x"): ["a", "a"], ("x", "y"): [0, 0], ("y", "x"): [0, 0], ("y", "y"): [1, 1]})
    >>> for e in pure_equilibria(g, strict=True):
    ...     print(e.profile, e.condition)
    ('x', 'x') a > 0
    ('y', 'y') True
    """
    _require_static(game, "pure Nash equilibria")
    out = []
    for profile in game.profiles():
        rels = [relation(d, strict) for _, _, d in deviation_gains(game, profile)]
        cond = _conjunction(rels)
        if cond is sympy.false:
            continue
        out.append(
            Equilibrium(
                profile=tuple(profile),
                condition=cond,
                players=game.players,
                strategies=game.strategy_lists,
                kind="pure",
                strict=strict,
                certificate="exact deviation inequalities",
                payoffs=game.payoffs(profile),
            )
        )
    return out


# ====================================================================== verified mixed equilibria
#: Relative tolerance of floating-point best-response checks: a deviation may gain at most
#: ``DEFAULT_RTOL * max(1, max |payoff|)``; probabilities may miss the simplex by ``DEFAULT_RTOL``.
DEFAULT_RTOL = 1e-9

#: Default bound on the number of constraint subsets per best-response polytope that the exact
#: two-player vertex enumeration may examine (``C(m + n, m)``; 924 for a 6x6 game).
DEFAULT_MAX_SUPPORTS = 200_000

_METHODS = ("auto", "vertex", "nashpy_vertex", "lemke_howson")
_LH_MAX_PIVOTS = 10_000
_ALGEBRAIC_LIMIT = 6
_CHUNK = 20_000


def _to_fraction(x) -> Fraction:
    return Fraction(int(x.p), int(x.q))


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


def _sign(e) -> int:
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


def _payoff_data(game, values, defaults):
    """Exact payoff arrays (Fractions when every payoff is rational, else sympy numbers) and floats."""
    exact = game.payoff_arrays(values, exact=True, defaults=defaults)
    rational = all(x.is_Rational for a in exact for x in a.flat)
    if rational:
        exact = [np.vectorize(_to_fraction, otypes=[object])(a) for a in exact]
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
        return [[_to_fraction(p) for p in v] for v in vectors], "fraction"
    return vectors, "sympy"


def _contract(U, vectors, i):
    """The payoffs of player i's pure strategies against the others' mixed strategies."""
    T = U
    for k in reversed(range(len(vectors))):
        if k != i:
            T = np.tensordot(T, np.asarray(vectors[k], dtype=T.dtype), axes=([k], [0]))
    return T


def _prepare(game, profile, values, defaults=False):
    vectors, kind = _profile_vectors(game, profile)
    exact, floats, rational = _payoff_data(game, values, defaults)
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
        pure = _contract(U, vectors, i)
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
    _require_static(game, "regrets")
    vectors, kind, arrays, _ = _prepare(game, profile, values, defaults)
    _check_simplex(game, vectors, kind, DEFAULT_RTOL)
    out = {}
    for player, gains in zip(game.players, _gains(arrays, vectors)):
        if kind == "sympy":
            best = gains[0]
            for g in gains[1:]:
                if _sign(g - best) > 0:
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
            sign = _sign if kind == "sympy" else (lambda e: (e > 0) - (e < 0))
            bad = [p for p in vec if sign(p) < 0]
            total = sum(vec[1:], start=vec[0])
            off = sign(total - 1) != 0
        if bad:
            raise ParameterError(f"the mixed strategy of player {player!r} has a negative probability {bad[0]}")
        if off:
            raise ParameterError(f"the probabilities of player {player!r} sum to {total}, not 1")


def _float_tolerance(floats, tol):
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
    _require_static(game, "Nash tests")
    vectors, kind, arrays, floats = _prepare(game, profile, values, defaults)
    if kind == "float":
        tolerance = _float_tolerance(floats, tol)
        _check_simplex(game, vectors, kind, DEFAULT_RTOL if tol is None else max(float(tol), DEFAULT_RTOL))
        return all(max(g) <= tolerance for g in _gains(arrays, vectors))
    _check_simplex(game, vectors, kind, 0)
    if kind == "fraction":
        limit = Fraction(0) if tol is None else Fraction(tol)
        return all(max(g) <= limit for g in _gains(arrays, vectors))
    limit = sympy.Integer(0) if tol is None else _exact_number(tol, "tol")
    return all(_sign(x - limit) <= 0 for g in _gains(arrays, vectors) for x in g)


# ---------------------------------------------------------------------- exact linear algebra
def _solve_fraction(M, r):
    """Solve ``M z = r`` exactly by Gaussian elimination over the rationals; None if singular."""
    d = len(r)
    rows = [list(M[i]) + [r[i]] for i in range(d)]
    for c in range(d):
        piv = next((k for k in range(c, d) if rows[k][c] != 0), None)
        if piv is None:
            return None
        rows[c], rows[piv] = rows[piv], rows[c]
        pr = rows[c]
        inv = 1 / pr[c]
        for k in range(d):
            if k != c and rows[k][c] != 0:
                f = rows[k][c] * inv
                rk = rows[k]
                for t in range(c, d + 1):
                    rk[t] -= f * pr[t]
    return [rows[i][d] / rows[i][i] for i in range(d)]


# ---------------------------------------------------------------------- two players: polytopes
def _float_vertices(G, id_labels, pay_labels):
    """All vertices but 0 of ``{z >= 0 : G z <= 1}`` (``G`` positive, shape rows x d).

    A vertex has d linearly independent tight constraints: ``z_i = 0`` off a support ``S`` and
    ``(G z)_j = 1`` for ``|S|`` rows ``J``, so it solves the square system ``G[J, S] z_S = 1``.
    All systems of one size are solved at once. Returns the vertices of well-conditioned systems
    as (tight labels, z, lenient label mask), and the label sets of nearly singular systems, to be
    decided exactly. The lenient mask holds every label within a tolerance that grows with the
    system's condition number, so that it contains the exact labels.
    """
    rows, d = G.shape
    nlabels = rows + d
    dtype = np.int64 if nlabels < 63 else object
    id_w = np.array([1 << int(v) for v in id_labels], dtype=dtype)
    pay_w = np.array([1 << int(v) for v in pay_labels], dtype=dtype)
    big = float(np.abs(G).max())
    found, doubtful = [], []
    for k in range(1, min(rows, d) + 1):
        supports = np.array(list(itertools.combinations(range(d), k)), dtype=np.int64)
        tights = np.array(list(itertools.combinations(range(rows), k)), dtype=np.int64)
        step = max(1, _CHUNK // len(tights))
        for start in range(0, len(supports), step):
            S = np.repeat(supports[start:start + step], len(tights), axis=0)
            J = np.tile(tights, (min(step, len(supports) - start), 1))
            mats = G[J[:, :, None], S[:, None, :]]
            # 1/cond_2 >= |det| / (2 (|M|_F / sqrt(k))^k) (Guggenheimer, Edelman and Johnson 1995):
            # a cheap, safe lower bound on the inverse condition number
            fro = np.sqrt(np.einsum("...ij,...ij->...", mats, mats)) / math.sqrt(k)
            ratio = np.abs(np.linalg.det(mats)) / (2 * fro**k)
            good = ratio > 1e-12
            for s_, j_ in zip(S[~good].tolist(), J[~good].tolist()):
                doubtful.append(tuple(id_labels[i] for i in range(d) if i not in s_) + tuple(pay_labels[j] for j in j_))
            S, J, mats, ratio = S[good], J[good], mats[good], ratio[good]
            if S.size == 0:
                continue
            try:
                zs = np.linalg.solve(mats, np.ones(mats.shape[:2] + (1,)))[..., 0]
            except np.linalg.LinAlgError:  # an exactly singular LU after all: decide all exactly
                for s_, j_ in zip(S.tolist(), J.tolist()):
                    doubtful.append(tuple(id_labels[i] for i in range(d) if i not in s_)
                                    + tuple(pay_labels[j] for j in j_))
                continue
            Z = np.zeros((len(S), d))
            np.put_along_axis(Z, S, zs, axis=1)
            # float64 solution error is about eps * cond relative to |z| <= 1 (as G >= 1)
            tol = np.maximum(1e-9, 1e-14 * big * math.sqrt(k) / ratio)[:, None]
            slack = 1.0 - Z @ G.T
            ok = np.all(slack >= -tol, axis=1) & np.all(Z >= -tol, axis=1)
            S, J, Z, slack, tol = S[ok], J[ok], Z[ok], slack[ok], tol[ok]
            masks = (np.abs(Z) <= tol).astype(dtype) @ id_w + (np.abs(slack) <= tol).astype(dtype) @ pay_w
            for s_, j_, z, mask in zip(S.tolist(), J.tolist(), Z, masks.tolist()):
                labels = tuple(id_labels[i] for i in range(d) if i not in s_) + tuple(pay_labels[j] for j in j_)
                found.append((labels, z, mask))
    return found, doubtful


def _solve_integer(M, r):
    """Solve the integer system ``M z = r`` exactly (Bareiss fraction-free elimination).

    Returns ``(y, D)`` with ``z = y / D``, ``y`` integers and ``D > 0`` (the absolute value of the
    determinant), or None when ``M`` is singular.
    """
    d = len(r)
    a = [list(row) + [ri] for row, ri in zip(M, r)]
    prev = 1
    for k in range(d):
        piv = next((i for i in range(k, d) if a[i][k] != 0), None)
        if piv is None:
            return None
        if piv != k:
            a[k], a[piv] = a[piv], a[k]
        rk = a[k]
        akk = rk[k]
        for i in range(k + 1, d):
            ri = a[i]
            aik = ri[k]
            for j in range(k + 1, d + 1):
                ri[j] = (ri[j] * akk - aik * rk[j]) // prev
            ri[k] = 0
        prev = akk
    D = a[d - 1][d - 1]
    y = [0] * d
    for i in range(d - 1, -1, -1):
        row = a[i]
        total = row[d] * D - sum(row[j] * y[j] for j in range(i + 1, d))
        y[i] = total // row[i]  # exact: y_i = z_i * D is an integer by Cramer's rule
    if D < 0:
        y, D = [-v for v in y], -D
    return y, D


def _exact_vertex(Cx, bx, subset):
    """The vertex of the integer system ``Cx z <= bx`` where ``subset`` is tight, and its labels."""
    res = _solve_integer([Cx[i] for i in subset], [bx[i] for i in subset])
    if res is None:
        return None
    y, D = res
    mask = 0
    for label, (row, rhs) in enumerate(zip(Cx, bx)):
        value = sum(c * v for c, v in zip(row, y))
        bound = rhs * D
        if value > bound:
            return None
        if value == bound:
            mask |= 1 << label
    return tuple(Fraction(v, D) for v in y), mask


def _exact_polytope(G, first_is_identity):
    """Integer constraints of a best-response polytope, scaled by the payoffs' common denominator."""
    k, d = len(G), len(G[0])
    L = 1
    for row in G:
        for x in row:
            L = L * x.denominator // math.gcd(L, x.denominator)
    rows = [[int(x * L) for x in row] for row in G]
    ident = [[-1 if i == j else 0 for j in range(d)] for i in range(d)]
    if first_is_identity:
        return ident + rows, [0] * d + [L] * k
    return rows + ident, [L] * k + [0] * d


def _shifted(a, exact):
    low = a.min()
    return a - low + (Fraction(1) if exact else 1.0)


def _sympy_vertex(Cx, bx, subset):
    """As :func:`_exact_vertex`, for constraints with irrational (sympy) coefficients."""
    M = sympy.Matrix([Cx[i] for i in subset])
    if _sign(M.det()) == 0:
        return None
    z = [sympy.radsimp(v) for v in M.LUsolve(sympy.Matrix([bx[i] for i in subset]))]
    mask = 0
    for label, (row, rhs) in enumerate(zip(Cx, bx)):
        sign = _sign(sum((c * v for c, v in zip(row, z)), start=sympy.Integer(0)) - rhs)
        if sign > 0:
            return None
        if sign == 0:
            mask |= 1 << label
    return tuple(z), mask


def _tidy(v):
    """A short form of an algebraic number (radicals rationalised and denested)."""
    v = sympy.radsimp(sympy.expand(v))
    if v.is_Rational:
        return v
    short = sympy.simplify(v)
    return short if sympy.count_ops(short) <= sympy.count_ops(v) else v


def _sympy_polytope(G, first_is_identity):
    k, d = len(G), len(G[0])
    one, zero = sympy.Integer(1), sympy.Integer(0)
    ident = [[-one if i == j else zero for j in range(d)] for i in range(d)]
    if first_is_identity:
        return ident + [list(r) for r in G], [zero] * d + [one] * k
    return [list(r) for r in G] + ident, [one] * k + [zero] * d


def _vertex_enumeration(A, B, Ax, Bx, field="fraction"):
    """All extreme equilibria of the bimatrix game (A, B) as exact or float profile pairs.

    ``A``, ``B`` are float arrays; ``Ax``, ``Bx`` the exact arrays (``fractions.Fraction`` when
    ``field="fraction"``, sympy numbers when ``field="sympy"``) or None (floating point only).
    Returns a list of ((x, y), kind) pairs of normalised strategies, kind "fraction", "sympy" or
    "float".
    """
    m, n = A.shape
    exact = Ax is not None
    Af, Bf = _shifted(A, False), _shifted(B, False)
    # labels: row strategies 0..m-1, column strategies m..m+n-1
    vp, dp = _float_vertices(Bf.T, list(range(m)), list(range(m, m + n)))
    vq, dq = _float_vertices(Af, list(range(m, m + n)), list(range(m)))
    full = (1 << (m + n)) - 1
    cache_p, cache_q = {}, {}
    if exact and field == "sympy":
        # shift by the exact entry that is smallest in floating point: entries stay near or above 1
        Ae = Ax - Ax[np.unravel_index(np.argmin(A), A.shape)] + 1
        Be = Bx - Bx[np.unravel_index(np.argmin(B), B.shape)] + 1
        CPx, bPx = _sympy_polytope(Be.T.tolist(), True)
        CQx, bQx = _sympy_polytope(Ae.tolist(), False)
        vertex = _sympy_vertex
    elif exact:
        Ae, Be = _shifted(Ax, True), _shifted(Bx, True)
        CPx, bPx = _exact_polytope(Be.T.tolist(), True)
        CQx, bQx = _exact_polytope(Ae.tolist(), False)
        vertex = _exact_vertex
    if exact:
        # nearly singular systems are decided exactly and join the candidates with exact labels
        for doubt, Cx, bx, verts, cache in ((dp, CPx, bPx, vp, cache_p), (dq, CQx, bQx, vq, cache_q)):
            for subset in doubt:
                res = vertex(Cx, bx, subset)
                if res is not None:
                    cache[len(verts)] = res
                    verts.append((subset, np.array([float(v) for v in res[0]]), res[1]))
    elif dp or dq:
        warnings.warn(
            "some constraint systems of the best-response polytopes are nearly singular and the payoffs "
            "are not rational, so they cannot be decided exactly; equilibria may be missing",
            IncompleteSearchWarning, stacklevel=3,
        )
    # Candidate pairs by lenient labels (a superset of the exact labels), then exact recomputation.
    if vp and vq:
        dtype = np.int64 if m + n < 63 else object
        mp = np.array([v[2] for v in vp], dtype=dtype)
        mq = np.array([v[2] for v in vq], dtype=dtype)
        ii, jj = np.nonzero((mp[:, None] | mq[None, :]) == full)
    else:
        ii = jj = np.array([], dtype=np.int64)
    results = []
    out_p, out_q = {}, {}
    if exact:
        def exact_of(idx, verts, Cx, bx, cache):
            if idx not in cache:
                cache[idx] = vertex(Cx, bx, verts[idx][0])
            return cache[idx]

        for i, j in zip(ii.tolist(), jj.tolist()):
            rp = exact_of(i, vp, CPx, bPx, cache_p)
            rq = exact_of(j, vq, CQx, bQx, cache_q)
            if rp is not None:
                out_p.setdefault(rp[0], rp[1])
            if rq is not None:
                out_q.setdefault(rq[0], rq[1])
        pairs = [(x, y) for x, lx in out_p.items() for y, ly in out_q.items() if lx | ly == full]
        for x, y in pairs:
            sx, sy = sum(x), sum(y)
            if field == "sympy":
                results.append(((tuple(_tidy(v / sx) for v in x), tuple(_tidy(v / sy) for v in y)), "sympy"))
            else:
                results.append(((tuple(v / sx for v in x), tuple(v / sy for v in y)), "fraction"))
    else:
        seen = set()
        for i, j in zip(ii.tolist(), jj.tolist()):
            x, y = vp[i][1], vq[j][1]
            x = np.clip(x, 0, None)
            y = np.clip(y, 0, None)
            x, y = x / x.sum(), y / y.sum()
            key = (tuple(np.round(x, 8)), tuple(np.round(y, 8)))
            if key not in seen:
                seen.add(key)
                results.append(((tuple(x.tolist()), tuple(y.tolist())), "float"))
    return results


def _normalise_float(x):
    x = np.clip(np.asarray(x, dtype=float), 0, None)
    total = x.sum()
    return x / total if total > 0 else None


def _exact_from_supports(Ax, Bx, x, y):
    """Recompute a float equilibrium exactly from its supports (square, nonsingular systems only)."""
    rows = [i for i, p in enumerate(x) if p > 1e-9]
    cols = [j for j, p in enumerate(y) if p > 1e-9]
    if len(rows) != len(cols):
        return None
    k = len(rows)
    one, zero = Fraction(1), Fraction(0)
    # unknowns (y_J, v): A[I, J] y - v = 0, sum y = 1; likewise (x_I, w) from B[I, J]^T.
    My = [[Ax[i][j] for j in cols] + [-one] for i in rows] + [[one] * k + [zero]]
    Mx = [[Bx[i][j] for i in rows] + [-one] for j in cols] + [[one] * k + [zero]]
    rhs = [zero] * k + [one]
    ys, xs = _solve_fraction(My, rhs), _solve_fraction(Mx, rhs)
    if ys is None or xs is None:
        return None
    xv, yv = [zero] * len(x), [zero] * len(y)
    for i, p in zip(rows, xs[:k]):
        xv[i] = p
    for j, p in zip(cols, ys[:k]):
        yv[j] = p
    return tuple(xv), tuple(yv)


def _lemke_howson_capped(A, B, label, max_pivots=_LH_MAX_PIVOTS):
    """nashpy's Lemke-Howson pivoting (lexicographic), stopped after ``max_pivots`` pivots."""
    from nashpy.linalg import create_col_tableau, create_row_tableau

    col = create_col_tableau(A, True)
    row = create_row_tableau(B, True)
    order = itertools.cycle((row, col) if label in row.non_basic_variables else (col, row))
    full = col.labels
    entering = label
    for _ in range(max_pivots):
        entering = next(order).pivot_and_drop_label(entering)
        if col.non_basic_variables | row.non_basic_variables == full:
            return row.to_strategy(col.non_basic_variables), col.to_strategy(row.non_basic_variables)
    return None


def _from_float_pairs(pairs, Ax, Bx):
    out = []
    for x, y in pairs:
        x, y = _normalise_float(x), _normalise_float(y)
        if x is None or y is None or not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
            continue
        exact = _exact_from_supports(Ax, Bx, x, y) if Ax is not None else None
        out.append((exact, "fraction") if exact is not None else ((tuple(x.tolist()), tuple(y.tolist())), "float"))
    return out


def _two_player_candidates(exact, floats, rational, method, max_supports):
    A, B = floats
    Ax, Bx = (exact[0], exact[1]) if rational else (None, None)
    m, n = A.shape
    complete = True
    if method in ("auto", "vertex"):
        if math.comb(m + n, m) <= max_supports:
            if rational:
                return _vertex_enumeration(A, B, Ax, Bx), complete, False
            # exact algebraic arithmetic (minimal polynomials, simplification) grows quickly with the
            # game: beyond 6 profiles it can take minutes, so larger games use floating point
            if m * n <= _ALGEBRAIC_LIMIT and all(x.is_algebraic for a in exact for x in a.flat):
                return _vertex_enumeration(A, B, exact[0], exact[1], field="sympy"), complete, False
            return _vertex_enumeration(A, B, None, None, field=None), complete, False
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
            return _from_float_pairs(pairs, Ax, Bx), complete, True
    Af, Bf = _shifted(A, False), _shifted(B, False)
    pairs = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for label in range(m + n):
            try:
                res = _lemke_howson_capped(Af, Bf, label)
            except Exception:  # a failed pivot run: other starting labels may still succeed
                res = None
            if res is not None:
                pairs.append(res)
    return _from_float_pairs(pairs, Ax, Bx), False, True


def _solve_polynomial_system(eqs, syms):
    """Real solutions of a polynomial system with rational coefficients, exactly.

    Zero-dimensional systems in shape position (the generic case) are solved from their
    lexicographic Groebner basis ``x_i - f_i(x_k), g(x_k)``: the real roots of ``g`` (rational,
    radicals or ``CRootOf``) substituted into the ``f_i``. Other systems go to ``sympy.solve``,
    whose answer shows non-isolated solutions as free symbols.
    """
    basis = sympy.groebner(eqs, *syms, order="lex")
    polys = list(basis.exprs)
    if polys == [1]:
        return []
    last = syms[-1]
    shape = len(polys) == len(syms)
    if shape:
        for x, g in zip(syms[:-1], polys[:-1]):
            lead = sympy.Poly(g, *syms).coeff_monomial(x)
            if not lead.is_Rational or lead == 0 or sympy.expand(g - lead * x).free_symbols - {last}:
                shape = False
                break
        shape = shape and polys[-1].free_symbols == {last}
    if not shape:
        return sympy.solve(eqs, syms, dict=True)
    out = []
    for root in sympy.Poly(polys[-1], last).real_roots():
        sol = {last: root}
        for x, g in zip(syms[:-1], polys[:-1]):
            lead = sympy.Poly(g, *syms).coeff_monomial(x)
            sol[x] = sympy.expand(-(g - lead * x).xreplace({last: root}) / lead)
        out.append(sol)
    return out


def _n_player_mixed_candidates(game, exact_arrays):
    """Equilibria of N-player games with two strategies each, from the indifference polynomials.

    For each choice of which players play their first strategy, their second, or mix, the
    mixers' indifference conditions ``u_i(first, p_-i) = u_i(second, p_-i)`` are polynomials
    (multilinear) in the mixers' probabilities ``p_k`` of their first strategies, built in exact
    rational arithmetic (``exact_arrays`` hold ``fractions.Fraction`` payoffs) and solved exactly.
    """
    from sympy.polys.domains import QQ
    from sympy.polys.rings import ring

    n = len(game.players)
    ring_, *gens = ring(",".join(f"p_{k}" for k in range(n)), QQ)
    ps = [sympy.Symbol(f"p_{k}") for k in range(n)]

    def const(x):
        return ring_(QQ(x.numerator, x.denominator))

    diffs = [np.vectorize(const, otypes=[object])(np.take(U, 0, axis=i) - np.take(U, 1, axis=i))
             for i, U in enumerate(exact_arrays)]
    out, continuum = [], []
    one, zero = sympy.Integer(1), sympy.Integer(0)
    for assignment in itertools.product((0, 1, None), repeat=n):
        mixers = [k for k, a in enumerate(assignment) if a is None]
        if not mixers:
            continue
        vectors = [[ps[k], 1 - ps[k]] if a is None else ([one, zero] if a == 0 else [zero, one])
                   for k, a in enumerate(assignment)]
        eqs = []
        for i in mixers:
            T = diffs[i]
            for k in reversed([k for k in range(n) if k != i]):
                T = T[..., assignment[k]] if assignment[k] is not None else T[..., 0] * gens[k] + T[..., 1] * (1 - gens[k])
            if isinstance(T, np.ndarray):
                T = T[()]
            expr = T.as_expr()
            eqs.append(sympy.Integer(expr) if isinstance(expr, int) else expr)
        if any(e.is_number and e != 0 for e in eqs):
            continue
        syms = [ps[k] for k in mixers]
        live = [e for e in eqs if e != 0]
        if len(live) < len(eqs) and len(mixers) == 1:
            continuum.append(mixers)
            continue
        solutions = _solve_polynomial_system(live, syms) if live else [{}]
        for sol in solutions:
            if len(sol) < len(syms) or any(v.free_symbols for v in sol.values()):
                continuum.append(mixers)
                continue
            point = {}
            for s, v in sol.items():
                if v.has(sympy.I):
                    im = sympy.im(sympy.expand_complex(v))
                    if _sign(im) != 0:
                        break
                    v = sympy.re(sympy.expand_complex(v))
                if not (_sign(v) > 0 and _sign(1 - v) > 0):
                    break
                point[s] = v
            else:
                out.append([[sympy.radsimp(x.xreplace(point)) for x in vec] for vec in vectors])
    return out, continuum


def _equilibrium(game, vectors, kind, payoffs, tolerance):
    if kind == "float":
        profile = tuple(tuple(float(p) for p in v) for v in vectors)
        pay = tuple(float(u) for u in payoffs)
        cert = f"floating-point best-response check: no pure deviation gains more than {tolerance:.3g}"
    else:
        def ex(p):
            return sympy.Rational(p.numerator, p.denominator) if isinstance(p, Fraction) else p

        profile = tuple(tuple(ex(p) for p in v) for v in vectors)
        pay = tuple(ex(u) for u in payoffs)
        cert = "exact best-response check: no pure deviation gains"
    return Equilibrium(profile=profile, condition=sympy.true, players=game.players, strategies=game.strategy_lists,
                       kind="mixed", strict=False, certificate=cert, payoffs=pay)


def _check(arrays, vectors, kind, tolerance):
    """Verify a profile; returns the expected payoffs, or None when some deviation gains."""
    payoffs = []
    for i, U in enumerate(arrays):
        pure = _contract(U, vectors, i)
        here = sum((p * v for p, v in zip(vectors[i], pure)), start=pure[0] * 0)
        if kind == "float":
            if max(pure) - here > tolerance:
                return None
        elif kind == "fraction":
            if max(pure) > here:
                return None
        elif any(_sign(v - here) > 0 for v in pure):
            return None
        payoffs.append(_tidy(here) if kind == "sympy" else here)
    return payoffs


def nash_equilibria(game, values=None, *, method: str = "auto", tol=None, max_supports: int = DEFAULT_MAX_SUPPORTS,
                    defaults: bool = False) -> list[Equilibrium]:
    """All Nash equilibria of a game at numeric parameter values, mixed ones included, verified.

    Two players (von Stengel 2007, Algorithm 3.5; Avis et al. 2010): payoffs are shifted to be
    positive, every vertex of the best-response polytopes
    :math:`P = \\{x \\ge 0 : B^\\top x \\le 1\\}` and :math:`Q = \\{y \\ge 0 : A y \\le 1\\}` is found
    by solving all square systems of tight constraints at once in floating point, completely
    labelled vertex pairs are kept, and each is recomputed exactly in rational arithmetic from
    its tight constraints. Floating point is only a filter: labels, feasibility and the final
    best-response check are exact, and nearly singular systems are decided exactly. The result
    is the set of extreme equilibria, complete also for degenerate games.

    Three or more players: every pure equilibrium; with two strategies per player and rational
    payoffs also every isolated partially or totally mixed equilibrium, from the players'
    indifference polynomials solved exactly with sympy (for each choice of which players mix).

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
    _require_static(game, "Nash equilibria")
    if method not in _METHODS:
        raise UnknownNameError(f"unknown method {method!r} (methods: {', '.join(_METHODS)})")
    exact, floats, rational = _payoff_data(game, values, defaults)
    tolerance = _float_tolerance(floats, tol)
    n = len(game.players)
    if rational:
        sym_arrays = None
    else:
        sym_arrays = exact
    candidates = []  # (vectors, kind)
    complete, from_nashpy = True, False
    if n == 2:
        pairs, complete, from_nashpy = _two_player_candidates(exact, floats, rational, method, max_supports)
        for (x, y), kind in pairs:
            candidates.append(([list(x), list(y)], kind))
    else:
        for idx in itertools.product(*(range(k) for k in game.shape)):
            vectors = [[Fraction(int(j == k)) for j in range(size)] for k, size in zip(idx, game.shape)]
            candidates.append((vectors, "fraction" if rational else "sympy"))
        if n >= 3 and all(k == 2 for k in game.shape) and rational:
            mixed, continuum = _n_player_mixed_candidates(game, exact)
            for vectors in mixed:
                if rational and all(p.is_Rational for v in vectors for p in v):
                    candidates.append(([[_to_fraction(p) for p in v] for v in vectors], "fraction"))
                else:
                    candidates.append((vectors, "sympy"))
            if continuum:
                who = sorted({"{" + ", ".join(repr(game.players[k]) for k in ms) + "}" for ms in continuum})
                warnings.warn(
                    "the game is degenerate: the indifference equations of the mixing players "
                    f"{' or '.join(who)} have non-isolated solutions, so equilibria may form a continuum; "
                    "only isolated equilibria are returned",
                    DegenerateGameWarning, stacklevel=2,
                )
        elif n >= 3:
            complete = False
    results, seen = [], set()
    dropped = 0
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
    if dropped and from_nashpy:
        warnings.warn(f"{dropped} candidate profile(s) from nashpy failed the best-response check and were dropped",
                      IncompleteSearchWarning, stacklevel=2)
    if not complete:
        reason = ("Lemke-Howson finds some equilibria, not necessarily all" if n == 2 else
                  "with three or more players, mixed equilibria are searched only when every player has two "
                  "strategies and the payoffs are rational")
        warnings.warn(f"the search may be incomplete: {reason}; {len(results)} equilibria found",
                      IncompleteSearchWarning, stacklevel=2)
    if n <= 2:
        _warn_continuum(game, results)
    results.sort(key=_order)
    return results


def _order(eq):
    support = sum(1 for v in eq.profile for p in v if p != 0)
    return (support, tuple(-float(p) for v in eq.profile for p in v))


def _warn_continuum(game, results):
    """Warn when extreme equilibria share a strategy: their Nash subset is then a continuum."""
    def key(v):
        return tuple(round(float(p), 9) for p in v)

    for i in range(len(game.players)):
        strategies = [key(e.profile[i]) for e in results]
        if len(set(strategies)) < len(strategies):
            warnings.warn(
                f"the game is degenerate and its equilibria form a continuum: the strategy of player "
                f"{game.players[i]!r} in an extreme equilibrium is paired with several strategies of the other "
                "player, and every convex combination of these is an equilibrium; the extreme equilibria are returned",
                DegenerateGameWarning, stacklevel=3,
            )
            return
    if len(game.players) == 1 and len(results) > 1:
        warnings.warn(
            "the game is degenerate: the player has several best strategies, and every mixture of them is "
            "an equilibrium; the pure ones are returned", DegenerateGameWarning, stacklevel=3,
        )


def mixed_equilibrium_2x2(game) -> Equilibrium | None:
    """The closed-form interior mixed equilibrium of a 2x2 game, with its exact condition.

    With row payoffs :math:`a_{jk}` and column payoffs :math:`b_{jk}`, the column player's
    probability :math:`q` of her first strategy makes the row player indifferent, and the row
    player's probability :math:`p` of his first strategy makes the column player indifferent:

    .. math::

        q = \\frac{a_{22} - a_{12}}{a_{11} - a_{12} - a_{21} + a_{22}}, \\qquad
        p = \\frac{b_{22} - b_{21}}{b_{11} - b_{12} - b_{21} + b_{22}}.

    The profile is an equilibrium with full supports exactly when both lie in the open interval
    (0, 1) (which implies non-zero denominators), that is when :math:`a_{22} - a_{12}` and
    :math:`a_{11} - a_{21}` have the same strict sign and so do :math:`b_{22} - b_{21}` and
    :math:`b_{11} - b_{12}` (neither player has a weakly dominant strategy).

    Returns
    -------
    Equilibrium or None
        ``kind="mixed"``, profile ``((p, 1 - p), (q, 1 - q))`` in the parameters, the condition as
        a sympy Boolean and the expected payoffs; None when the condition can never hold.

    Examples
    --------
    >>> from coopgame import Game
    >>> g = Game.bimatrix([["a", 0], [0, 1]], [[1, 0], [0, 2]])
    >>> e = mixed_equilibrium_2x2(g)
    >>> e.profile
    ((2/3, 1/3), (1/(a + 1), a/(a + 1)))
    >>> e.condition
    a > 0
    """
    _require_static(game, "mixed Nash equilibria")
    if game.shape != (2, 2):
        raise GameDefinitionError(f"mixed_equilibrium_2x2 needs a 2x2 game; this game has shape {game.shape}")
    (r1, r2), (c1, c2) = game.strategy_lists
    row, col = game.players

    def a(r, c):
        return game.payoff(row, (r, c))

    def b(r, c):
        return game.payoff(col, (r, c))

    nq, mq = sympy.expand(a(r2, c2) - a(r1, c2)), sympy.expand(a(r1, c1) - a(r2, c1))
    np_, mp = sympy.expand(b(r2, c2) - b(r2, c1)), sympy.expand(b(r1, c1) - b(r1, c2))
    if sympy.expand(nq + mq) == 0 or sympy.expand(np_ + mp) == 0:
        return None

    def inside(num, rest):
        return sympy.Or(sympy.And(relation(num, True), relation(rest, True)),
                        sympy.And(relation(-num, True), relation(-rest, True)))

    condition = sympy.And(inside(np_, mp), inside(nq, mq))
    if condition is sympy.false:
        return None
    p = sympy.factor(np_ / (np_ + mp))
    q = sympy.factor(nq / (nq + mq))
    profile = ((p, sympy.factor(1 - p)), (q, sympy.factor(1 - q)))
    payoffs = tuple(sympy.factor(game.expected_payoff(i, profile)) for i in range(2))
    return Equilibrium(profile=profile, condition=condition, players=game.players, strategies=game.strategy_lists,
                       kind="mixed", strict=False, certificate="closed form: each player makes the other indifferent",
                       payoffs=payoffs)
