"""Coalitional games with transferable utility: Shapley value, Banzhaf value, core, nucleolus.

A TU game is a set of players :math:`N` and a characteristic function :math:`v` giving every
coalition :math:`S \\subseteq N` the total :math:`v(S)` its members can secure together, with
:math:`v(\\emptyset) = 0`. An allocation :math:`x \\in \\mathbb{R}^N` is *efficient* when
:math:`x(N) = v(N)`, where :math:`x(S) = \\sum_{i \\in S} x_i`.

* Shapley value: :math:`\\phi_i = \\sum_{S \\subseteq N \\setminus \\{i\\}}
  \\frac{|S|!\\,(n - |S| - 1)!}{n!} \\big(v(S \\cup \\{i\\}) - v(S)\\big)` [Shapley1953]_;
  exact, and symbolic when the values are.
* Banzhaf value: :math:`\\beta_i = 2^{-(n-1)} \\sum_{S \\subseteq N \\setminus \\{i\\}}
  \\big(v(S \\cup \\{i\\}) - v(S)\\big)` [Banzhaf1965]_.
* Core: efficient :math:`x` with :math:`x(S) \\ge v(S)` for all :math:`S` [Gillies1959]_. It is
  non-empty iff :math:`\\min\\{x(N) : x(S) \\ge v(S)\\ \\forall S\\} \\le v(N)` (the
  Bondareva–Shapley theorem in linear-programming form).
* Nucleolus: the imputation that lexicographically maximises the vector of coalition
  surpluses :math:`x(S) - v(S)` sorted increasingly [Schmeidler1969]_; computed by the
  sequence of linear programmes of [MPS1979]_.

Linear programmes are solved by scipy (HiGHS) and every returned point is then made exact:
the binding constraints are solved in rational arithmetic and the exact point is checked
against every constraint, so core points and nucleoli are exact rationals.

Examples
--------
The glove game: players 1 and 2 own a right glove, player 3 a left one; a pair is worth 1.

>>> from coopgame.cooperative import TUGame
>>> glove = TUGame([1, 2, 3], lambda S: 1 if 3 in S and len(S) >= 2 else 0)
>>> dict(glove.shapley())
{1: 1/6, 2: 1/6, 3: 2/3}
>>> dict(glove.nucleolus())
{1: 0, 2: 0, 3: 1}

References
----------
.. [Shapley1953] L. S. Shapley, "A value for n-person games", in *Contributions to the Theory
   of Games II*, Annals of Mathematics Studies 28 (1953) 307-317.
.. [Banzhaf1965] J. F. Banzhaf, "Weighted voting doesn't work", Rutgers Law Review 19 (1965).
.. [Gillies1959] D. B. Gillies, "Solutions to general non-zero-sum games", *Contributions to
   the Theory of Games IV* (1959).
.. [Schmeidler1969] D. Schmeidler, "The nucleolus of a characteristic function game", SIAM
   Journal on Applied Mathematics 17 (1969) 1163-1170.
.. [MPS1979] M. Maschler, B. Peleg and L. S. Shapley, "Geometric properties of the kernel,
   nucleolus and related solution concepts", Mathematics of Operations Research 4 (1979) 303-338.
.. [PS2007] B. Peleg and P. Sudhölter, *Introduction to the Theory of Cooperative Games*,
   2nd ed., Springer (2007).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from typing import Any

import numpy as np
import sympy

from .core.errors import GameDefinitionError, ParameterError, ResourceLimitError, SolverError, UnknownNameError
from .core.exact import FrozenMap, as_expr, free_names, relation, substitute, value_map

__all__ = ["TUGame", "Allocation", "MAX_PLAYERS"]

#: The most players a TUGame may have (the characteristic function has 2**n entries).
MAX_PLAYERS = 16

_TOL = 1e-9


class Allocation(FrozenMap):
    """An allocation: player -> payoff, exact; compares equal to any mapping with the same items.

    Attributes
    ----------
    method : str
        How it was obtained (``"Shapley value"``, ``"nucleolus"``, ...).
    certificate : str
        How it was verified (empty for closed forms).
    """

    __slots__ = ("method", "certificate")

    def __init__(self, items=(), method: str = "", certificate: str = ""):
        super().__init__(items)
        object.__setattr__(self, "method", method)
        object.__setattr__(self, "certificate", certificate)

    def __reduce__(self):
        return (Allocation, (self._items, self.method, self.certificate))

    def to_markdown(self) -> str:
        """A two-column table: player, payoff."""
        from .core.formatting import markdown_table

        return markdown_table(["player", self.method or "payoff"], [[k, v] for k, v in self.items()])


class TUGame:
    """A transferable-utility coalitional game.

    Parameters
    ----------
    players : sequence of hashable
        Player names (strings or integers), distinct.
    value : mapping or callable
        The characteristic function. A mapping from coalitions (frozensets, sets, tuples or
        lists of players; the empty coalition may be omitted) to values; every non-empty
        coalition must be present. Or a callable taking a ``frozenset`` of players. Values are
        numbers (floats are read by their decimal text), sympy expressions or strings (safe
        parser).

    Notes
    -----
    Games are immutable; equality is structural (players and values).

    Examples
    --------
    >>> g = TUGame(["school", "enterprise"], {("school",): 1, ("enterprise",): 2,
    ...                                      ("school", "enterprise"): "V"})
    >>> g.shapley()["school"]
    V/2 - 1/2
    >>> g.core_contains({"school": 2, "enterprise": "V - 2"})
    V >= 4
    """

    __slots__ = ("_players", "_values", "_index")

    def __init__(self, players: Iterable, value: Mapping | Callable):
        if isinstance(players, str) or not isinstance(players, Iterable):
            raise GameDefinitionError(f"players must be a sequence of names, got {players!r}")
        players = tuple(players)
        if not players:
            raise GameDefinitionError("a TU game needs at least one player")
        if len(set(players)) != len(players):
            dup = next(p for p in players if players.count(p) > 1)
            raise GameDefinitionError(f"duplicate player {dup!r}")
        for p in players:
            if isinstance(p, bool) or not isinstance(p, (str, int)):
                raise GameDefinitionError(f"player names must be strings or integers, got {p!r}")
        n = len(players)
        if n > MAX_PLAYERS:
            raise ResourceLimitError(f"a TU game with {n} players has 2**{n} coalitions; at most {MAX_PLAYERS} players")
        index = {p: k for k, p in enumerate(players)}
        symbols: dict = {}
        values = [sympy.Integer(0)] * (1 << n)
        if isinstance(value, Mapping):
            given = {}
            for key, v in value.items():
                mask = _mask_of(key, index)
                if mask in given:
                    raise GameDefinitionError(f"coalition {_show(players, mask)} is given twice")
                given[mask] = v
            for mask in range(1, 1 << n):
                if mask not in given:
                    raise GameDefinitionError(f"no value given for coalition {_show(players, mask)}")
                values[mask] = as_expr(given[mask], f"value of coalition {_show(players, mask)}", symbols)
            if 0 in given:
                v0 = as_expr(given[0], "value of the empty coalition", symbols)
                if v0 != 0:
                    raise GameDefinitionError(f"the empty coalition must have value 0, got {v0}")
        elif callable(value):
            for mask in range(1, 1 << n):
                members = frozenset(p for k, p in enumerate(players) if mask >> k & 1)
                values[mask] = as_expr(value(members), f"value of coalition {_show(players, mask)}", symbols)
        else:
            raise GameDefinitionError("value must be a mapping from coalitions to values, or a callable")
        self._init(players, tuple(values))

    def _init(self, players, values):
        object.__setattr__(self, "_players", players)
        object.__setattr__(self, "_values", values)
        object.__setattr__(self, "_index", {p: k for k, p in enumerate(players)})

    @classmethod
    def _from_values(cls, players, values) -> TUGame:
        game = object.__new__(cls)
        game._init(tuple(players), tuple(values))
        return game

    def __setattr__(self, name, value):
        raise AttributeError("TUGame objects are immutable")

    def __eq__(self, other):
        if not isinstance(other, TUGame):
            return NotImplemented
        return self._players == other._players and self._values == other._values

    def __hash__(self):
        return hash((self._players, self._values))

    def __repr__(self):
        return f"TUGame(players={list(self._players)}, v(N)={self._values[-1]})"

    def __reduce__(self):
        return (TUGame._from_values, (self._players, self._values))

    # ------------------------------------------------------------------ structure
    @property
    def players(self) -> tuple:
        """The players, in order."""
        return self._players

    @property
    def n(self) -> int:
        """The number of players."""
        return len(self._players)

    @property
    def free_symbols(self) -> frozenset:
        """Parameters that occur in the values."""
        return frozenset().union(*(v.free_symbols for v in self._values))

    @property
    def is_numeric(self) -> bool:
        """True when no value contains a parameter."""
        return not self.free_symbols

    def coalitions(self) -> list[frozenset]:
        """All coalitions, the empty one first, in binary order of membership."""
        return [self._members(m) for m in range(1 << self.n)]

    def value(self, coalition) -> sympy.Expr:
        """:math:`v(S)` of a coalition given as any iterable of players."""
        return self._values[_mask_of(coalition, self._index)]

    def characteristic_function(self) -> dict:
        """Every coalition (frozenset) mapped to its value."""
        return {self._members(m): v for m, v in enumerate(self._values)}

    def _members(self, mask: int) -> frozenset:
        return frozenset(p for k, p in enumerate(self._players) if mask >> k & 1)

    def subs(self, values) -> TUGame:
        """The game with parameter values substituted (keys: names or symbols)."""
        vmap = value_map(values, {s.name for s in self.free_symbols}, "this TU game")
        return TUGame._from_values(self._players, tuple(substitute(v, vmap) for v in self._values))

    def _numeric(self, values, what: str) -> TUGame:
        game = self.subs(values) if values else self
        if not game.is_numeric:
            missing = ", ".join(sorted(repr(s.name) for s in game.free_symbols))
            raise ParameterError(f"{what} needs numeric values; give values for {missing}")
        return game

    # ------------------------------------------------------------------ values
    def shapley(self, values=None) -> Allocation:
        """The Shapley value, exact (symbolic when the game is).

        Examples
        --------
        The unanimity game of coalition {1, 3} in {1, 2, 3} splits 1 equally between 1 and 3:

        >>> u13 = TUGame([1, 2, 3], lambda S: 1 if {1, 3} <= S else 0)
        >>> dict(u13.shapley())
        {1: 1/2, 2: 0, 3: 1/2}
        """
        game = self.subs(values) if values else self
        n = game.n
        weight = [sympy.Rational(math.factorial(s) * math.factorial(n - s - 1), math.factorial(n)) for s in range(n)]
        out = []
        for i in range(n):
            bit = 1 << i
            terms = {}
            for mask in range(1 << n):
                if mask & bit:
                    continue
                s = mask.bit_count() if hasattr(int, "bit_count") else bin(mask).count("1")
                terms.setdefault(s, []).append(game._values[mask | bit] - game._values[mask])
            phi = sympy.Add(*(weight[s] * sympy.Add(*t) for s, t in terms.items()))
            out.append(sympy.expand(phi))
        return Allocation(zip(game._players, out), method="Shapley value")

    def banzhaf(self, values=None, *, normalized: bool = False) -> Allocation:
        """The Banzhaf value: average marginal contribution over all coalitions of the others.

        With ``normalized`` the values are rescaled to add up to :math:`v(N)` (the normalised
        Banzhaf value; requires the raw values not to sum to zero).

        Examples
        --------
        >>> glove = TUGame([1, 2, 3], lambda S: 1 if 3 in S and len(S) >= 2 else 0)
        >>> dict(glove.banzhaf())
        {1: 1/4, 2: 1/4, 3: 3/4}
        """
        game = self.subs(values) if values else self
        n = game.n
        raw = []
        for i in range(n):
            bit = 1 << i
            total = sympy.Add(*(game._values[m | bit] - game._values[m] for m in range(1 << n) if not m & bit))
            raw.append(sympy.expand(total / 2 ** (n - 1)))
        if normalized:
            s = sympy.expand(sympy.Add(*raw))
            if s.is_zero:
                raise ParameterError("the Banzhaf values sum to zero; they cannot be normalised")
            raw = [sympy.cancel(b * game._values[-1] / s) for b in raw]
        return Allocation(zip(game._players, raw), method="normalised Banzhaf value" if normalized else "Banzhaf value")

    # ------------------------------------------------------------------ properties
    def _condition(self, differences) -> Any:
        rels = []
        for d in differences:
            r = relation(d, strict=False)
            if r is sympy.false:
                return False
            if r is not sympy.true and r not in rels:
                rels.append(r)
        return True if not rels else sympy.And(*rels)

    def is_superadditive(self, values=None):
        """:math:`v(S \\cup T) \\ge v(S) + v(T)` for all disjoint :math:`S, T`.

        Returns a bool when decided, else the sympy condition on the parameters.
        """
        game = self.subs(values) if values else self
        full = (1 << game.n) - 1
        diffs = []
        for s in range(1, full + 1):
            rest = full & ~s
            t = rest
            while t:
                if s < t:
                    diffs.append(game._values[s | t] - game._values[s] - game._values[t])
                t = (t - 1) & rest
        return game._condition(diffs)

    def is_convex(self, values=None):
        """Supermodularity: :math:`v(S \\cup T) + v(S \\cap T) \\ge v(S) + v(T)` for all :math:`S, T`.

        Checked in the equivalent local form :math:`v(S \\cup \\{i, j\\}) - v(S \\cup \\{j\\}) \\ge
        v(S \\cup \\{i\\}) - v(S)` for :math:`i \\ne j \\notin S`. Convex games have a non-empty
        core containing the Shapley value (Shapley 1971). Returns a bool or a sympy condition.
        """
        game = self.subs(values) if values else self
        n = game.n
        diffs = []
        for s in range(1 << n):
            for i, j in itertools.combinations(range(n), 2):
                bi, bj = 1 << i, 1 << j
                if s & bi or s & bj:
                    continue
                v = game._values
                diffs.append(v[s | bi | bj] - v[s | bj] - v[s | bi] + v[s])
        return game._condition(diffs)

    def is_essential(self, values=None):
        """:math:`v(N) > \\sum_i v(\\{i\\})`: cooperation creates something to share.

        Returns a bool or a sympy condition.
        """
        game = self.subs(values) if values else self
        d = game._values[-1] - sympy.Add(*(game._values[1 << i] for i in range(game.n)))
        r = relation(d, strict=True)
        return bool(r) if r in (sympy.true, sympy.false) else r

    # ------------------------------------------------------------------ core
    def _allocation_vector(self, x, symbols=None) -> list:
        if isinstance(x, Mapping):
            unknown = [k for k in x if k not in self._index]
            if unknown:
                raise UnknownNameError(f"allocation names unknown player(s) {', '.join(map(repr, unknown))} "
                                       f"(players: {', '.join(map(str, self._players))})")
            missing = [p for p in self._players if p not in x]
            if missing:
                raise ParameterError(f"allocation gives no payoff to player(s) {', '.join(map(repr, missing))}")
            items = [x[p] for p in self._players]
        else:
            if isinstance(x, (str, bytes)) or not isinstance(x, Iterable):
                raise ParameterError(f"an allocation must be a mapping player -> payoff or a sequence, got {x!r}")
            items = list(x)
            if len(items) != self.n:
                raise ParameterError(f"allocation has {len(items)} entries; the game has {self.n} players")
        syms = {s.name: s for s in self.free_symbols} if symbols is None else symbols
        return [as_expr(v, f"payoff of player {p!r}", syms) for p, v in zip(self._players, items)]

    def excesses(self, x) -> dict:
        """:math:`e(S, x) = v(S) - x(S)` for every non-empty coalition."""
        xs = self._allocation_vector(x)
        return {self._members(m): sympy.expand(self._values[m] - _sum_mask(xs, m)) for m in range(1, 1 << self.n)}

    def core_contains(self, x, values=None):
        """Whether ``x`` is in the core: efficient, and no coalition can do better alone.

        Returns a bool when decided, else the exact condition on the parameters (the
        conjunction of :math:`x(N) = v(N)` and :math:`x(S) \\ge v(S)`).

        Examples
        --------
        >>> glove = TUGame([1, 2, 3], lambda S: 1 if 3 in S and len(S) >= 2 else 0)
        >>> glove.core_contains([0, 0, 1]), glove.core_contains(["1/10", 0, "9/10"])
        (True, False)
        """
        xs = self._allocation_vector(x)
        own = {s.name for s in self.free_symbols}
        vmap = value_map(values, own | free_names(xs), "this TU game and allocation")
        game = self.subs({k: v for k, v in vmap.items() if k in own}) if vmap else self
        xs = [substitute(v, vmap) for v in xs]
        full = (1 << game.n) - 1
        eff = sympy.expand(_sum_mask(xs, full) - game._values[full])
        if eff.is_number:
            if eff != 0:
                return False
            eff_cond = sympy.true
        else:
            eff_cond = sympy.Eq(_sum_mask(xs, full), game._values[full])
        cond = game._condition(_sum_mask(xs, m) - game._values[m] for m in range(1, full))
        if cond is False:
            return False
        if cond is True and eff_cond is sympy.true:
            return True
        parts = [c for c in (eff_cond, cond) if c is not True and c is not sympy.true]
        return sympy.And(*parts)

    def _core_lp(self):
        """min x(N) s.t. x(S) >= v(S) for all proper S; exact optimum and point."""
        from scipy.optimize import linprog

        n = self.n
        full = (1 << n) - 1
        masks = list(range(1, full))
        v = [float(self._values[m]) for m in range(full + 1)]
        if not masks:  # one player
            return [self._values[full]], self._values[full]
        A = -np.array([[1.0 if m >> k & 1 else 0.0 for k in range(n)] for m in masks])
        b = -np.array([v[m] for m in masks])
        res = linprog(np.ones(n), A_ub=A, b_ub=b, bounds=[(None, None)] * n, method="highs")
        if res.status != 0:
            raise SolverError(f"core linear programme failed: {res.message}")
        slack = A @ res.x - b
        x = _exact_vertex(n, [(m, self._values[m]) for m, s in zip(masks, slack) if abs(s) <= 1e-7 * (1 + abs(b).max())],
                          res.x)
        if x is None or any(_sum_mask(x, m) < self._values[m] for m in masks):
            raise SolverError("core linear programme: could not recover an exact optimal vertex")
        # exact optimality: a dual certificate (balanced weights y >= 0, sum_{S ni i} y_S = 1)
        y = -np.asarray(res.ineqlin.marginals)
        support = [(m, yy) for m, yy in zip(masks, y) if yy > 1e-9]
        total = sympy.Add(*x)
        yex = _exact_dual(n, [m for m, _ in support], [yy for _, yy in support], self._values, total)
        if yex is None:
            raise SolverError("core linear programme: could not certify the exact optimum")
        return x, total

    def core_is_empty(self, values=None) -> bool:
        """Whether the core is empty (linear programming, certified exactly).

        The core is non-empty iff the minimum of :math:`x(N)` subject to :math:`x(S) \\ge v(S)`
        for every proper coalition is at most :math:`v(N)`. The minimum is certified by an exact
        primal vertex and an exact dual solution (a balanced collection) of equal value.

        Examples
        --------
        >>> majority = TUGame([1, 2, 3], lambda S: 1 if len(S) >= 2 else 0)
        >>> majority.core_is_empty()
        True
        """
        game = self._numeric(values, "core_is_empty")
        _, total = game._core_lp()
        return bool(total > game._values[-1])

    def core_point(self, values=None) -> Allocation | None:
        """An exact point of the core, or ``None`` when the core is empty.

        The minimal-cost vertex of the core constraints is raised on player order to efficiency
        (the remaining :math:`v(N) - \\min x(N)` goes to the first player), which stays in the core.

        Examples
        --------
        >>> glove = TUGame([1, 2, 3], lambda S: 1 if 3 in S and len(S) >= 2 else 0)
        >>> dict(glove.core_point())
        {1: 0, 2: 0, 3: 1}
        """
        game = self._numeric(values, "core_point")
        x, total = game._core_lp()
        if total > game._values[-1]:
            return None
        x = list(x)
        x[0] += game._values[-1] - total
        if game.core_contains(x) is not True:
            raise SolverError("core point failed the exact core check")
        return Allocation(zip(game._players, x), method="core point", certificate="exact core inequalities")

    # ------------------------------------------------------------------ nucleolus
    def nucleolus(self, values=None) -> Allocation:
        """The nucleolus, exact, by the sequence of linear programmes of [MPS1979]_.

        Defined on the imputations :math:`\\{x : x(N) = v(N),\\ x_i \\ge v(\\{i\\})\\}` (so the
        game must satisfy :math:`v(N) \\ge \\sum_i v(\\{i\\})`). Round :math:`k` maximises the
        smallest surplus :math:`t` of the coalitions not yet fixed, with earlier coalitions held
        at their levels; the coalitions with a positive dual multiplier are tight in every
        optimum and are fixed at :math:`t_k`, together with every coalition whose indicator is a
        linear combination of fixed ones. This stops after at most :math:`n` rounds. The exact
        point and levels then solve the fixed equalities in rational arithmetic, and are checked
        to be an imputation reproducing every round's optimum; whenever the core is non-empty
        the nucleolus lies in it.

        Raises
        ------
        ParameterError
            The game is symbolic (give ``values``) or has no imputations.
        SolverError
            A linear programme failed or the exact point could not be recovered.

        Examples
        --------
        The bankruptcy game of an estate of 200 with claims 100, 200, 300: the nucleolus is the
        Talmud division (50, 75, 75) (Aumann and Maschler 1985).

        >>> claims = {1: 100, 2: 200, 3: 300}
        >>> estate = TUGame(claims, lambda S: max(0, 200 - sum(c for p, c in claims.items() if p not in S)))
        >>> dict(estate.nucleolus())
        {1: 50, 2: 75, 3: 75}
        """
        game = self._numeric(values, "nucleolus")
        return _nucleolus(game)

    # ------------------------------------------------------------------ from a normal-form game
    @classmethod
    def from_game(cls, game, method: str = "minmax", default_profile=None, *, values=None,
                  mixed: bool = False) -> TUGame:
        """A coalitional game from a normal-form game, summing the members' payoffs.

        Two definitions of what a coalition :math:`S` can secure:

        * ``"minmax"`` (the :math:`\\alpha`-characteristic function in pure strategies): the
          most :math:`S` can guarantee whatever the complement does,
          :math:`v(S) = \\max_{s_S} \\min_{s_{N \\setminus S}} \\sum_{i \\in S} u_i(s_S, s_{N\\setminus S})`,
          where both sides choose *pure* joint strategies (the coalition moves first and the
          complement replies to hurt it most). This is a lower bound on what the coalition could
          guarantee by randomising. With ``mixed=True`` (numeric games) the coalition and the
          complement are instead treated as the two players of a zero-sum game over their
          joint pure strategies, each allowed to randomise (correlated within the coalition):
          :math:`v(S) = \\max_{\\sigma_S} \\min_{\\sigma_{N \\setminus S}} E \\sum_{i \\in S} u_i`,
          the game's value by linear programming, made exact by solving the optimal strategies'
          equalising conditions in rationals and certified by checking that each strategy
          guarantees the value against every pure reply.
        * ``"default"``: the others keep playing a stated profile,
          :math:`v(S) = \\max_{s_S} \\sum_{i \\in S} u_i(s_S, d_{N \\setminus S})`, with
          ``default_profile`` :math:`d` (e.g. the status quo "shallow cooperation").

        In both, :math:`v(N)` is the largest total payoff of any profile. Symbolic payoffs give
        sympy ``Max``/``Min`` expressions.

        Parameters
        ----------
        game : coopgame.Game
        method : {"minmax", "default"}
        default_profile : tuple or mapping player -> strategy
            Required for ``"default"``.
        values : mapping, optional
            Parameter values to substitute first.

        Examples
        --------
        >>> from coopgame import Game
        >>> pd = Game.from_arrays([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], players=["A", "B"],
        ...                       strategies=[["C", "D"], ["C", "D"]])
        >>> TUGame.from_game(pd).characteristic_function()[frozenset({"A"})]
        1
        >>> TUGame.from_game(pd, "default", ("C", "C")).value({"A"})
        5

        Matching pennies: in pure strategies a player can guarantee only -1, mixing gives 0.

        >>> mp = Game.from_arrays([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], players=["A", "B"])
        >>> TUGame.from_game(mp).value({"A"}), TUGame.from_game(mp, mixed=True).value({"A"})
        (-1, 0)
        """
        if values:
            game = game.subs(values)
        if method not in ("minmax", "default"):
            raise ParameterError(f"method must be 'minmax' or 'default', got {method!r}")
        players = game.players
        n = len(players)
        if n > MAX_PLAYERS:
            raise ResourceLimitError(f"{n} players exceed the limit of {MAX_PLAYERS}")
        default = None
        if method == "default":
            if default_profile is None:
                raise ParameterError("method='default' needs default_profile, the strategies the others keep playing")
            default = game.profile_names(default_profile)
        elif default_profile is not None:
            raise ParameterError("default_profile is used only with method='default'")
        if mixed and method != "minmax":
            raise ParameterError("mixed=True applies to method='minmax' only")
        if mixed and not game.is_numeric:
            missing = ", ".join(sorted(repr(s.name) for s in game.free_symbols))
            raise ParameterError(f"mixed minmax values need numeric payoffs; give values for {missing}")
        table = game.payoff_table()
        vals = [sympy.Integer(0)] + [_coalition_value(game, table, mask, default, mixed) for mask in range(1, 1 << n)]
        return cls._from_values(players, tuple(vals))

    # ------------------------------------------------------------------ reports
    def to_markdown(self) -> str:
        """The characteristic function as a table."""
        from .core.formatting import markdown_table

        rows = [["{" + ", ".join(map(str, sorted(self._members(m), key=self._index.get))) + "}", self._values[m]]
                for m in sorted(range(1, 1 << self.n), key=lambda m: (bin(m).count("1"), m))]
        return markdown_table(["coalition S", "v(S)"], rows)


# ---------------------------------------------------------------------------- helpers
def _mask_of(coalition, index) -> int:
    if isinstance(coalition, (str, int)) and not isinstance(coalition, bool):
        coalition = (coalition,)
    if not isinstance(coalition, Iterable):
        raise GameDefinitionError(f"a coalition must be a set of players, got {coalition!r}")
    mask = 0
    for p in coalition:
        if p not in index:
            raise UnknownNameError(f"coalition {set(coalition)!r} names unknown player {p!r} "
                                   f"(players: {', '.join(map(str, index))})")
        mask |= 1 << index[p]
    return mask


def _show(players, mask) -> str:
    return "{" + ", ".join(str(p) for k, p in enumerate(players) if mask >> k & 1) + "}"


def _sum_mask(xs, mask):
    return sympy.Add(*(x for k, x in enumerate(xs) if mask >> k & 1))


def _row(n, mask):
    return [1 if mask >> k & 1 else 0 for k in range(n)]


def _exact_vertex(n, tight, approx):
    """Solve x(S) = rhs exactly over the tight constraints; None if not uniquely determined."""
    if not tight:
        return None
    M = sympy.Matrix([_row(n, m) for m, _ in tight])
    rhs = sympy.Matrix([r for _, r in tight])
    _, pivots = M.T.rref()
    if len(pivots) < n:
        return None
    Msq = M.extract(list(pivots), list(range(n)))
    x = Msq.LUsolve(rhs.extract(list(pivots), [0]))
    if (M * x - rhs).applyfunc(sympy.expand) != sympy.zeros(len(tight), 1):
        return None
    xs = list(x)
    if not np.allclose([float(v) for v in xs], approx, atol=1e-6 * (1 + np.abs(approx).max())):
        return None
    return xs


def _exact_dual(n, support, y_lp, values, total):
    """Exact balanced weights: y_S >= 0 on ``support``, sum_{S ni i} y_S = 1, sum y_S v(S) = total."""
    if not support:
        return None
    ys = sympy.symbols(f"y0:{len(support)}")
    eqs = [sympy.Add(*(ys[j] for j, m in enumerate(support) if m >> k & 1)) - 1 for k in range(n)]
    eqs.append(sympy.Add(*(ys[j] * values[m] for j, m in enumerate(support))) - total)
    sol = sympy.linsolve(eqs, ys)
    if not sol:
        return None
    (cand,) = sol
    free = set().union(*(c.free_symbols for c in cand))
    if free:  # several exact duals: fix the free weights at the LP's values, as fractions
        fix = {s: sympy.nsimplify(y, rational=True, tolerance=1e-10) for s, y in zip(ys, y_lp) if s in free}
        cand = [c.xreplace(fix) for c in cand]
    if any(c.free_symbols or c < 0 for c in cand):
        return None
    return dict(zip(support, cand))


def _zero_sum_value(M) -> sympy.Expr:
    """Exact value of the zero-sum game with payoff matrix ``M`` (rows maximise), certified."""
    from scipy.optimize import linprog

    A = np.array([[float(x) for x in row] for row in M])
    r, c = A.shape
    # row player: max v s.t. p^T A >= v, sum p = 1, p >= 0
    res_p = linprog(np.r_[np.zeros(r), -1.0], A_ub=np.c_[-A.T, np.ones(c)], b_ub=np.zeros(c),
                    A_eq=[np.r_[np.ones(r), 0.0]], b_eq=[1.0], bounds=[(0, None)] * r + [(None, None)], method="highs")
    res_q = linprog(np.r_[np.zeros(c), 1.0], A_ub=np.c_[A, -np.ones(r)], b_ub=np.zeros(r),
                    A_eq=[np.r_[np.ones(c), 0.0]], b_eq=[1.0], bounds=[(0, None)] * c + [(None, None)], method="highs")
    if res_p.status != 0 or res_q.status != 0:
        raise SolverError("zero-sum linear programme failed")
    rows = [i for i in range(r) if res_p.x[i] > 1e-9]
    cols = [j for j in range(c) if res_q.x[j] > 1e-9]
    Mx = sympy.Matrix(M)
    ps, qs, v = sympy.symbols(f"p0:{len(rows)}"), sympy.symbols(f"q0:{len(cols)}"), sympy.Symbol("v")
    eqs = [sympy.Add(*ps) - 1, sympy.Add(*qs) - 1]
    eqs += [sympy.Add(*(p * Mx[i, j] for p, i in zip(ps, rows))) - v for j in cols]
    eqs += [sympy.Add(*(q * Mx[i, j] for q, j in zip(qs, cols))) - v for i in rows]
    sol = sympy.linsolve(eqs, [*ps, *qs, v])
    if sol:
        (cand,) = sol
        approx = [*res_p.x[rows], *res_q.x[cols], -res_p.fun]
        fix = {s: sympy.nsimplify(a, rational=True, tolerance=1e-10)
               for s, a in zip([*ps, *qs, v], approx) if any(s in e.free_symbols for e in cand)}
        cand = [e.xreplace(fix) for e in cand]
        p_ex = dict(zip(rows, cand[:len(rows)]))
        q_ex = dict(zip(cols, cand[len(rows):-1]))
        value = cand[-1]
        ok = all(x >= 0 for x in [*p_ex.values(), *q_ex.values()])
        ok = ok and all(sympy.Add(*(p_ex[i] * Mx[i, j] for i in rows)) >= value for j in range(c))
        ok = ok and all(sympy.Add(*(q_ex[j] * Mx[i, j] for j in cols)) <= value for i in range(r))
        if ok:
            return value
    raise SolverError("could not certify the exact value of a coalition's zero-sum game")


class _Span:
    """An exact, incrementally built row space of 0/1 vectors (Fractions, reduced echelon form)."""

    def __init__(self, n):
        self.n = n
        self.rows: dict[int, list] = {}  # pivot column -> row with 1 at the pivot

    def _reduce(self, vec):
        v = [Fraction(x) for x in vec]
        for col, row in self.rows.items():
            if v[col]:
                f = v[col]
                v = [a - f * b for a, b in zip(v, row)]
        return v

    def contains(self, vec) -> bool:
        return not any(self._reduce(vec))

    def add(self, vec) -> bool:
        v = self._reduce(vec)
        col = next((k for k, x in enumerate(v) if x), None)
        if col is None:
            return False
        v = [x / v[col] for x in v]
        for c, row in self.rows.items():
            if row[col]:
                f = row[col]
                self.rows[c] = [a - f * b for a, b in zip(row, v)]
        self.rows[col] = v
        return True

    @property
    def rank(self) -> int:
        return len(self.rows)


def _coalition_value(game, table, mask, default, mixed):
    """v(S) of the coalition ``mask``: the best its members can guarantee together.

    Against every reply of the others (minmax; with ``mixed``, the value of the zero-sum game
    of their joint pure strategies, except for the grand coalition), or against the others'
    ``default`` strategies when given.
    """
    n = len(game.players)
    strategies = game.strategy_lists
    inside = [k for k in range(n) if mask >> k & 1]
    outside = [k for k in range(n) if not mask >> k & 1]
    best = []
    for own in itertools.product(*(strategies[k] for k in inside)):
        worst = []
        for other in itertools.product(*(strategies[k] for k in outside)) if default is None else [None]:
            profile = [None] * n
            for k, s in zip(inside, own):
                profile[k] = s
            for j, k in enumerate(outside):
                profile[k] = other[j] if other is not None else default[k]
            pay = table[tuple(profile)]
            worst.append(sympy.Add(*(pay[k] for k in inside)))
        best.append(worst if mixed else sympy.Min(*worst) if len(worst) > 1 else worst[0])
    if mixed and mask != (1 << n) - 1:
        return _zero_sum_value(best)
    if mixed:
        return sympy.Max(*(w[0] for w in best))
    return sympy.Max(*best) if len(best) > 1 else best[0]


def _nucleolus(game: TUGame) -> Allocation:
    """The nucleolus: sequential linear programmes fix coalitions, then the point is solved exactly."""
    n = game.n
    full = (1 << n) - 1
    vex = game._values
    singles = sympy.Add(*(vex[1 << i] for i in range(n)))
    if vex[full] < singles:
        raise ParameterError(f"the game has no imputations: v(N) = {vex[full]} < sum of v({{i}}) = {singles}")
    if n == 1:
        return Allocation([(game.players[0], vex[full])], method="nucleolus", certificate="one player")
    vf = [float(v) for v in vex]
    scale = max(1.0, max(abs(v) for v in vf))
    fixed, bounds_fixed, levels, approx = _nucleolus_rounds(n, vf)
    point = _nucleolus_point(n, vex, fixed, bounds_fixed, len(levels))
    _check_nucleolus(n, vex, point, approx, fixed, bounds_fixed, levels, scale)
    return Allocation(zip(game.players, point), method="nucleolus",
                      certificate=f"{len(levels)} linear programme(s); exact solution of the {len(fixed)} fixed "
                                  "coalition equalities")


def _nucleolus_rounds(n, vf):
    """The linear programmes of the nucleolus (floats): ``(fixed, bounds_fixed, levels, x)``.

    Each round maximises the smallest surplus ``t`` of the free proper coalitions ``S``
    (``x(S) - v(S) >= t``) with the imputation bounds ``x_i >= v(i)`` kept separately, then fixes
    the coalitions (``(mask, round)``) and bounds whose duals are positive; it stops when the
    fixed rows span the allocation space. ``x`` is the last programme's point.
    """
    from scipy.optimize import linprog

    full = (1 << n) - 1
    free = list(range(1, full))
    fixed: list[tuple[int, int]] = []  # (mask, round)
    bounds_fixed: list[int] = []
    levels: list[float] = []
    span = _Span(n)
    span.add(_row(n, full))
    rounds = 0
    while free:
        rounds += 1
        if rounds > n + 1:
            raise SolverError("nucleolus: too many rounds; the linear programmes did not fix new coalitions")
        # variables: x_1..x_n, t ; maximise t
        c = np.zeros(n + 1)
        c[-1] = -1.0
        A_ub = [[-(m >> k & 1) for k in range(n)] + [1.0] for m in free]  # t - x(S) <= -v(S)
        b_ub = [-vf[m] for m in free]
        A_eq = [[1.0] * n + [0.0]]
        b_eq = [vf[full]]
        for m, r in fixed:
            A_eq.append([float(m >> k & 1) for k in range(n)] + [0.0])
            b_eq.append(vf[m] + levels[r])
        bnds = [(None, None) if i in bounds_fixed else (vf[1 << i], None) for i in range(n)] + [(None, None)]
        for i in bounds_fixed:
            bnds[i] = (vf[1 << i], vf[1 << i])
        res = linprog(c, A_ub=np.array(A_ub, float), b_ub=np.array(b_ub), A_eq=np.array(A_eq), b_eq=np.array(b_eq),
                      bounds=bnds, method="highs")
        if res.status != 0:
            raise SolverError(f"nucleolus round {rounds}: linear programme failed ({res.message})")
        levels.append(-res.fun)
        duals = -np.asarray(res.ineqlin.marginals)
        new = [m for m, yy in zip(free, duals) if yy > 1e-9]
        # imputation bounds with positive reduced cost are tight in every optimum as well
        lower = np.asarray(res.lower.marginals)[:n]
        new_bounds = [i for i in range(n) if i not in bounds_fixed and lower[i] > 1e-9]
        if not new and not new_bounds:
            raise SolverError(f"nucleolus round {rounds}: no coalition could be fixed")
        r = len(levels) - 1
        for m in new:
            fixed.append((m, r))
            span.add(_row(n, m))
        for i in new_bounds:
            bounds_fixed.append(i)
            span.add(_row(n, 1 << i))
        free = [m for m in free if m not in new and not span.contains(_row(n, m))]
        if span.rank == n:
            break
    return fixed, bounds_fixed, levels, np.asarray(res.x[:n])


def _nucleolus_point(n, vex, fixed, bounds_fixed, rounds) -> list:
    """The exact point: the fixed coalitions' equalities solved for ``x`` and the levels ``t_r``."""
    full = (1 << n) - 1
    xs = sympy.symbols(f"x0:{n}")
    ts = sympy.symbols(f"t0:{rounds}")
    eqs = [sympy.Add(*xs) - vex[full]]
    eqs += [_sum_mask(xs, m) - vex[m] - ts[r] for m, r in fixed]
    eqs += [xs[i] - vex[1 << i] for i in bounds_fixed]
    sol = sympy.linsolve(eqs, [*xs, *ts])
    if sol:
        (cand,) = sol
        if not any(c.free_symbols for c in cand[:n]):
            return list(cand[:n])
    raise SolverError("nucleolus: the fixed coalitions do not determine the point exactly")


def _check_nucleolus(n, vex, point, approx, fixed, bounds_fixed, levels, scale) -> None:
    """The exact point agrees with the programmes, is an imputation, and every round's level is
    the smallest surplus among the coalitions fixed then or later."""
    full = (1 << n) - 1
    if not np.allclose([float(p) for p in point], approx, atol=1e-6 * scale):
        raise SolverError("nucleolus: exact point disagrees with the linear programmes")
    if sympy.Add(*point) != vex[full] or any(point[i] < vex[1 << i] for i in range(n)):
        raise SolverError("nucleolus: the exact point is not an imputation")
    surplus = {m: _sum_mask(point, m) - vex[m] for m in range(1, full)}
    for m, r in fixed:
        if abs(float(surplus[m]) - levels[r]) > 1e-6 * scale:
            raise SolverError("nucleolus: exact surpluses disagree with the round levels")
    lowest = min(surplus.values())
    if abs(float(lowest) - levels[0]) > 1e-6 * scale and not bounds_fixed:
        raise SolverError("nucleolus: the smallest exact surplus disagrees with the first round")

