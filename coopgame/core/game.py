"""Normal-form games with named players, named strategies and symbolic payoffs.

A :class:`Game` has :math:`N` players, player :math:`i` has strategies
:math:`S_i = \\{s_{i,1}, \\dots, s_{i,n_i}\\}`, and every pure profile
:math:`s \\in S_1 \\times \\dots \\times S_N` carries a payoff :math:`u_i(s)` for each player.
Payoffs are sympy expressions in named parameters; numbers enter only by substitution.

Index conventions: players are kept in the order given; profiles are tuples of strategy names in
player order and are enumerated in lexicographic order of strategy indices (the order of
``itertools.product``); :meth:`Game.payoff_arrays` returns one array per player of shape
``(n_1, ..., n_N)``, so ``arrays[i][j_1, ..., j_N]`` is :math:`u_i(s_{1,j_1}, \\dots, s_{N,j_N})`.

Examples
--------
>>> from coopgame import Game
>>> g = Game(
...     ["school", "enterprise"],
...     {"school": ["deep", "shallow"], "enterprise": ["participate", "nominal"]},
...     {
...         ("deep", "participate"): ["R_s - C_s", "R_e - C_e"],
...         ("deep", "nominal"): ["-C_s", "a*R_e"],
...         ("shallow", "participate"): ["a*R_s", "-C_e"],
...         ("shallow", "nominal"): [0, 0],
...     },
... )
>>> g.payoff("enterprise", ("deep", "participate"))
-C_e + R_e
>>> [p.name for p in g.parameters]
['C_e', 'C_s', 'R_e', 'R_s', 'a']
>>> g.subs({"a": "1/2"}).payoff("enterprise", ("deep", "nominal"))
R_e/2
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import sympy

from .errors import GameDefinitionError, ParameterError, UnknownNameError
from .expressions import parse
from .numeric import numpy_function
from .parameters import Parameter, resolve_values, to_exact

__all__ = ["Game"]


def _as_name(value, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise GameDefinitionError(f"{what} must be a non-empty string, got {value!r}")
    return value


class Game:
    """An N-player normal-form game with symbolic payoffs.

    Parameters
    ----------
    players : sequence of str
        Player names, in order.
    strategies : mapping of player to sequence of str, or sequence of sequences
        Each player's strategy names, in order.
    payoffs : mapping of profile to payoffs
        Every pure profile (a tuple of strategy names in player order) mapped to one payoff per
        player, as a sequence in player order or a mapping from player name to payoff. A payoff
        is a number, a sympy expression or a string, which goes through the safe parser
        :func:`coopgame.expressions.parse`.
    parameters : iterable of Parameter, optional
        Declared parameters (meaning, unit, domain, default). Names used in payoffs that are not
        declared become real parameters with no further information. Symbols are matched by
        name: every occurrence of a declared name uses the declared parameter's symbol.
    name : str, optional
        A title, shown in tables.

    Notes
    -----
    Games are immutable and hashable; equality is structural (players, strategies, payoffs,
    parameters, applied policy and name). Operations such as :meth:`subs` and
    :meth:`with_policy` return new games.
    """

    __slots__ = ("_players", "_strategies", "_payoffs", "_parameters", "_policies", "_effects", "_name", "_hash",
                 "_replicator")

    def __init__(
        self,
        players: Sequence[str],
        strategies,
        payoffs: Mapping,
        parameters: Iterable[Parameter] = (),
        *,
        name: str | None = None,
    ):
        if name is not None and not isinstance(name, str):
            raise GameDefinitionError(f"a game's name must be a string, got {name!r}")
        players_t = self._check_players(players)
        strategies_t = self._check_strategies(players_t, strategies)
        declared = self._check_parameters(parameters)
        table = {p.name: p.symbol for p in declared.values()}
        payoff_rows = self._check_payoffs(players_t, strategies_t, payoffs, table)
        self._init(players_t, strategies_t, payoff_rows, declared, (), (), name)

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_parts(cls, players, strategies, payoffs, parameters, policies=(), effects=(), name=None) -> Game:
        """Build a game from parts already validated (for operations that return a new game).

        Parameters
        ----------
        players : tuple of str
        strategies : tuple of tuple of str
            Each player's strategy names, in player order.
        payoffs : tuple of tuple of sympy expressions
            One payoff tuple per pure profile, in the order of :attr:`payoff_rows`.
        parameters : mapping
            Parameter name -> :class:`~coopgame.core.parameters.Parameter`.
        policies, effects, name : optional
            The policies applied so far, their recorded effects and the game's name.

        No check is made: the parts must come from a valid game (as :meth:`subs`, policies and
        perceptions build theirs); text and user data go through the constructor.
        """
        game = object.__new__(cls)
        game._init(players, strategies, payoffs, parameters, policies, effects, name)
        return game


    def _init(self, players, strategies, payoffs, declared, policies, effects, name):
        # Unify symbols by name, add undeclared names as real parameters, drop unused ones only
        # if they were never declared.
        declared = dict(declared)
        free = set()
        for row in payoffs:
            for value in row:
                free |= value.free_symbols
        replace = {}
        for sym in free:
            if sym.name in declared:
                if declared[sym.name].symbol != sym:
                    replace[sym] = declared[sym.name].symbol
            else:
                try:
                    declared[sym.name] = Parameter(sym.name)
                except ParameterError as exc:
                    raise GameDefinitionError(f"the payoffs use the symbol {sym.name!r}, which cannot be a parameter: {exc}") from None
                if declared[sym.name].symbol != sym:
                    replace[sym] = declared[sym.name].symbol
        if replace:
            payoffs = tuple(tuple(v.xreplace(replace) for v in row) for row in payoffs)
        object.__setattr__(self, "_players", tuple(players))
        object.__setattr__(self, "_strategies", tuple(tuple(s) for s in strategies))
        object.__setattr__(self, "_payoffs", tuple(tuple(row) for row in payoffs))
        object.__setattr__(self, "_parameters", tuple(declared[k] for k in sorted(declared)))
        object.__setattr__(self, "_policies", tuple(policies))
        object.__setattr__(self, "_effects", tuple(effects))
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_hash", None)
        object.__setattr__(self, "_replicator", None)  # derived once, on first use (games are immutable)

    @staticmethod
    def _check_players(players) -> tuple[str, ...]:
        if isinstance(players, str) or not isinstance(players, Iterable):
            raise GameDefinitionError(f"players must be a sequence of names, got {players!r}")
        players_t = tuple(_as_name(p, "a player name") for p in players)
        if not players_t:
            raise GameDefinitionError("a game needs at least one player")
        seen = set()
        for p in players_t:
            if p in seen:
                raise GameDefinitionError(f"duplicate player name {p!r}")
            seen.add(p)
        return players_t

    @staticmethod
    def _check_strategies(players, strategies) -> tuple[tuple[str, ...], ...]:
        if isinstance(strategies, Mapping):
            unknown = [k for k in strategies if k not in players]
            if unknown:
                raise GameDefinitionError(f"strategies given for unknown player(s) {', '.join(map(repr, unknown))}")
            missing = [p for p in players if p not in strategies]
            if missing:
                raise GameDefinitionError(f"no strategies given for player(s) {', '.join(map(repr, missing))}")
            lists = [strategies[p] for p in players]
        else:
            if isinstance(strategies, str) or not isinstance(strategies, Iterable):
                raise GameDefinitionError("strategies must be a mapping from player to names, or a sequence of sequences")
            lists = list(strategies)
            if len(lists) != len(players):
                raise GameDefinitionError(
                    f"strategies given for {len(lists)} players, but the game has {len(players)} players"
                )
        out = []
        for player, names in zip(players, lists):
            if isinstance(names, str) or not isinstance(names, Iterable):
                raise GameDefinitionError(f"strategies of player {player!r} must be a sequence of names")
            names_t = tuple(_as_name(s, f"a strategy name of player {player!r}") for s in names)
            if not names_t:
                raise GameDefinitionError(f"player {player!r} has no strategies")
            if len(set(names_t)) != len(names_t):
                dup = next(s for s in names_t if names_t.count(s) > 1)
                raise GameDefinitionError(f"duplicate strategy name {dup!r} of player {player!r}")
            out.append(names_t)
        return tuple(out)

    @staticmethod
    def _check_parameters(parameters) -> dict[str, Parameter]:
        declared: dict[str, Parameter] = {}
        if isinstance(parameters, Parameter):
            parameters = (parameters,)
        if isinstance(parameters, (str, bytes)) or not isinstance(parameters or (), Iterable):
            raise GameDefinitionError(f"parameters must be a sequence of Parameter objects, got {parameters!r}")
        for p in parameters or ():
            if not isinstance(p, Parameter):
                raise GameDefinitionError(f"parameters must be Parameter objects, got {p!r}")
            if p.name in declared and declared[p.name] != p:
                raise GameDefinitionError(f"parameter {p.name!r} is declared twice with different details")
            declared[p.name] = p
        return declared

    @staticmethod
    def _check_payoffs(players, strategies, payoffs, table):
        if not isinstance(payoffs, Mapping):
            raise GameDefinitionError("payoffs must be a mapping from profiles to payoffs")
        n = len(players)
        index = {}
        for key in payoffs:
            profile = (key,) if isinstance(key, str) and n == 1 else key
            if isinstance(profile, str) or not isinstance(profile, tuple):
                raise GameDefinitionError(f"payoff key {key!r} must be a tuple of strategy names in player order")
            if len(profile) != n:
                raise GameDefinitionError(f"profile {key!r} names {len(profile)} strategies; the game has {n} players")
            for player, names, s in zip(players, strategies, profile):
                if s not in names:
                    raise GameDefinitionError(
                        f"profile {key!r}: unknown strategy {s!r} of player {player!r} (known: {', '.join(names)})"
                    )
            if profile in index:
                raise GameDefinitionError(f"payoffs for profile {profile!r} are given twice ({index[profile]!r} and {key!r})")
            index[profile] = key
        rows = []
        for profile in itertools.product(*strategies):
            if profile not in index:
                raise GameDefinitionError(f"missing payoffs for profile {profile!r}")
            spec = payoffs[index[profile]]
            if isinstance(spec, Mapping):
                unknown = [k for k in spec if k not in players]
                if unknown:
                    raise GameDefinitionError(f"profile {profile!r}: payoff given for unknown player(s) {unknown!r}")
                missing = [p for p in players if p not in spec]
                if missing:
                    raise GameDefinitionError(f"profile {profile!r}: no payoff for player(s) {missing!r}")
                values = [spec[p] for p in players]
            else:
                if isinstance(spec, (str, bytes)) or not isinstance(spec, Iterable):
                    if n == 1:
                        spec = [spec]
                    else:
                        raise GameDefinitionError(f"profile {profile!r}: expected {n} payoffs, got {spec!r}")
                values = list(spec)
                if len(values) != n:
                    raise GameDefinitionError(f"profile {profile!r}: expected {n} payoffs (one per player), got {len(values)}")
            rows.append(tuple(_payoff_value(v, table, f"payoff of player {p!r} at {profile!r}") for p, v in zip(players, values)))
        return tuple(rows)

    @classmethod
    def from_arrays(cls, arrays, players=None, strategies=None, parameters=(), *, name=None) -> Game:
        """Build a game from one payoff array per player, each of shape ``(n_1, ..., n_N)``.

        Entries may be numbers (floats are read by their decimal text: ``0.1`` is ``1/10``),
        sympy expressions or strings. Default names are ``player_1, ...`` and ``s1, s2, ...``.

        Examples
        --------
        >>> g = Game.from_arrays([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], players=["row", "col"],
        ...                      strategies=[["C", "D"], ["C", "D"]])
        >>> g.payoff("col", ("C", "D"))
        5
        """
        arrs = [np.asarray(a, dtype=object) for a in arrays]
        if not arrs:
            raise GameDefinitionError("from_arrays needs one payoff array per player")
        shape = arrs[0].shape
        n = len(arrs)
        if len(shape) != n:
            raise GameDefinitionError(f"{n} payoff arrays need {n} dimensions each; got shape {shape}")
        for i, a in enumerate(arrs):
            if a.shape != shape:
                raise GameDefinitionError(f"payoff array {i} has shape {a.shape}, expected {shape}")
        if players is None:
            players = [f"player_{i + 1}" for i in range(n)]
        if strategies is None:
            strategies = [[f"s{j + 1}" for j in range(k)] for k in shape]
        players = list(players)
        if len(players) != n:
            raise GameDefinitionError(f"{len(players)} player names given for {n} payoff arrays")
        strat_lists = [strategies[p] for p in players] if isinstance(strategies, Mapping) else list(strategies)
        for p, names, k in zip(players, strat_lists, shape):
            if len(names) != k:
                raise GameDefinitionError(f"player {p!r} has {len(names)} strategy names but {k} rows of payoffs")
        payoffs = {}
        for idx in itertools.product(*(range(k) for k in shape)):
            profile = tuple(names[j] for names, j in zip(strat_lists, idx))
            payoffs[profile] = [a[idx] for a in arrs]
        return cls(players, strat_lists, payoffs, parameters, name=name)

    @classmethod
    def bimatrix(cls, A, B, players=("row", "column"), strategies=None, parameters=(), *, name=None) -> Game:
        """A two-player game from the row player's matrix ``A`` and the column player's ``B``.

        Examples
        --------
        >>> g = Game.bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]], strategies=[["C", "D"], ["C", "D"]])
        >>> g.payoffs(("D", "C"))
        (5, 0)
        """
        return cls.from_arrays([A, B], players=players, strategies=strategies, parameters=parameters, name=name)

    # ------------------------------------------------------------------ structure
    @property
    def players(self) -> tuple[str, ...]:
        """Player names, in order."""
        return self._players

    @property
    def strategies(self) -> dict[str, tuple[str, ...]]:
        """Each player's strategy names (a new dict, in player order)."""
        return dict(zip(self._players, self._strategies))

    @property
    def strategy_lists(self) -> tuple[tuple[str, ...], ...]:
        """Strategy names per player, in player order."""
        return self._strategies

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of strategies of each player."""
        return tuple(len(s) for s in self._strategies)

    @property
    def name(self) -> str | None:
        """The game's title, if any."""
        return self._name

    @property
    def parameters(self) -> tuple[Parameter, ...]:
        """The game's parameters (declared or used in payoffs), sorted by name."""
        return self._parameters

    @property
    def symbols(self) -> tuple[sympy.Symbol, ...]:
        """The parameters' sympy symbols, sorted by name."""
        return tuple(p.symbol for p in self._parameters)

    @property
    def free_symbols(self) -> frozenset:
        """The symbols that occur in the payoffs."""
        out = set()
        for row in self._payoffs:
            for v in row:
                out |= v.free_symbols
        return frozenset(out)

    @property
    def is_numeric(self) -> bool:
        """True when no payoff contains a parameter."""
        return not self.free_symbols

    @property
    def policies(self) -> tuple:
        """The policy instruments applied to this game, in the order applied."""
        return self._policies

    @property
    def policy_effects(self) -> tuple:
        """Records of which instrument changed which payoff (see :mod:`coopgame.policy`)."""
        return self._effects

    def parameter(self, name) -> Parameter:
        """The parameter with the given name (or symbol)."""
        key = name.name if isinstance(name, (sympy.Symbol, Parameter)) else name
        for p in self._parameters:
            if p.name == key:
                return p
        known = ", ".join(p.name for p in self._parameters) or "none"
        raise UnknownNameError(f"unknown parameter {key!r} (known parameters: {known})")

    def symbol(self, name) -> sympy.Symbol:
        """The sympy symbol of the named parameter."""
        return self.parameter(name).symbol

    def player_index(self, player) -> int:
        """Position of a player, by name or index."""
        if isinstance(player, (int, np.integer)) and not isinstance(player, bool):
            if 0 <= int(player) < len(self._players):
                return int(player)
            raise UnknownNameError(f"player index {player} out of range (the game has {len(self._players)} players)")
        try:
            return self._players.index(player)
        except ValueError:
            raise UnknownNameError(f"unknown player {player!r} (players: {', '.join(self._players)})") from None

    def strategy_index(self, player, strategy) -> int:
        """Position of a strategy in a player's list, by name or index."""
        i = self.player_index(player)
        names = self._strategies[i]
        if isinstance(strategy, (int, np.integer)) and not isinstance(strategy, bool):
            if 0 <= int(strategy) < len(names):
                return int(strategy)
            raise UnknownNameError(f"strategy index {strategy} out of range for player {self._players[i]!r}")
        try:
            return names.index(strategy)
        except ValueError:
            raise UnknownNameError(
                f"unknown strategy {strategy!r} of player {self._players[i]!r} (strategies: {', '.join(names)})"
            ) from None

    def profile_index(self, profile) -> tuple[int, ...]:
        """Strategy indices of a profile given as names, indices, or a mapping player -> strategy."""
        n = len(self._players)
        if isinstance(profile, Mapping):
            for k in profile:
                self.player_index(k)
            missing = [p for p in self._players if p not in profile]
            if missing:
                raise UnknownNameError(f"profile {dict(profile)!r} gives no strategy for player(s) {missing!r}")
            profile = tuple(profile[p] for p in self._players)
        elif isinstance(profile, str) and n == 1:
            profile = (profile,)
        if isinstance(profile, str) or not isinstance(profile, Iterable):
            raise UnknownNameError(f"a profile must be a tuple of strategies in player order, got {profile!r}")
        profile = tuple(profile)
        if len(profile) != n:
            raise UnknownNameError(f"profile {profile!r} has {len(profile)} entries; the game has {n} players")
        return tuple(self.strategy_index(i, s) for i, s in enumerate(profile))

    def profile_names(self, profile) -> tuple[str, ...]:
        """A profile as a tuple of strategy names."""
        idx = self.profile_index(profile)
        return tuple(names[j] for names, j in zip(self._strategies, idx))

    def profiles(self) -> list[tuple[str, ...]]:
        """All pure profiles, as tuples of strategy names, in lexicographic index order."""
        return list(itertools.product(*self._strategies))

    def flat_index(self, idx: Sequence[int]) -> int:
        """The position in :attr:`payoff_rows` of the profile with strategy indices ``idx``.

        Profiles are numbered in lexicographic index order (the order of :meth:`profiles`).

        Examples
        --------
        >>> g = Game.from_arrays([[[1, 2], [3, 4]], [[5, 6], [7, 8]]])
        >>> g.flat_index((1, 0)), g.payoff_rows[g.flat_index((1, 0))]
        (2, (3, 7))
        """
        flat = 0
        for j, k in zip(idx, self.shape):
            flat = flat * k + j
        return flat


    @property
    def payoff_rows(self) -> tuple[tuple[sympy.Expr, ...], ...]:
        """Every profile's payoff tuple (one entry per player), profiles in :meth:`profiles` order.

        The exact payoffs as stored, for algorithms that run over all profiles; index them with
        :meth:`flat_index`.
        """
        return self._payoffs

    # ------------------------------------------------------------------ payoffs
    def payoff(self, player, profile) -> sympy.Expr:
        """The payoff of ``player`` at the pure ``profile``."""
        return self._payoffs[self.flat_index(self.profile_index(profile))][self.player_index(player)]

    def payoffs(self, profile) -> tuple[sympy.Expr, ...]:
        """All players' payoffs at the pure ``profile``, in player order."""
        return self._payoffs[self.flat_index(self.profile_index(profile))]

    def payoff_table(self) -> dict[tuple[str, ...], tuple[sympy.Expr, ...]]:
        """Every profile mapped to its payoff tuple."""
        return dict(zip(self.profiles(), self._payoffs))

    def expected_payoff(self, player, mixed) -> sympy.Expr:
        """Expected payoff of ``player`` when each player ``k`` mixes with ``mixed[k]``.

        .. math:: U_i(\\sigma) = \\sum_{s} \\Big(\\prod_k \\sigma_k(s_k)\\Big)\\, u_i(s)

        ``mixed`` is a sequence of probability vectors, one per player, in player order. Entries
        are numbers (floats by their decimal text), sympy expressions, or text read by the safe
        parser, in which the game's parameter names denote its symbols. The probabilities are
        not required to sum to one (so that symbolic mixes can be used).

        Examples
        --------
        >>> g = Game.bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> g.expected_payoff("row", [["p", "1 - p"], [1, 0]])
        5 - 2*p

        Raises
        ------
        GameDefinitionError
            ``mixed`` does not give one vector of the right length per player, or an entry is
            not a number or an expression.
        """
        i = self.player_index(player)
        if isinstance(mixed, (str, bytes)) or not isinstance(mixed, Iterable):
            raise GameDefinitionError(f"mixed must give one probability vector per player, got {mixed!r}")
        mixed = [list(m) if isinstance(m, Iterable) and not isinstance(m, (str, bytes)) else m for m in mixed]
        if len(mixed) != len(self._players):
            raise GameDefinitionError(
                f"mixed gives {len(mixed)} probability vectors; the game has {len(self._players)} players"
            )
        table = {p.name: p.symbol for p in self._parameters}
        weights = []
        for player_k, names, vector in zip(self._players, self._strategies, mixed):
            if not isinstance(vector, list) or len(vector) != len(names):
                raise GameDefinitionError(
                    f"the mixed strategy of player {player_k!r} must give {len(names)} probabilities, got {vector!r}"
                )
            weights.append([_mix_value(v, table, f"probability of {s!r} of player {player_k!r}")
                            for v, s in zip(vector, names)])
        total = sympy.Integer(0)
        for idx in itertools.product(*(range(k) for k in self.shape)):
            weight = sympy.Integer(1)
            for k, j in enumerate(idx):
                weight *= weights[k][j]
                if weight == 0:
                    break
            if weight != 0:
                total += weight * self._payoffs[self.flat_index(idx)][i]
        return sympy.expand(total)

    def check_values(self, values, *, require_all: bool = True, defaults: bool = False) -> dict:
        """Validate parameter values for this game; returns them keyed by symbol, exact."""
        return resolve_values(values, self._parameters, require_all=require_all, defaults=defaults)

    def defaults(self) -> dict:
        """Default values of the parameters that have one, keyed by symbol."""
        return {p.symbol: p.default for p in self._parameters if p.default is not None}

    def subs(self, values) -> Game:
        """A new game with some or all parameters replaced by values.

        ``values`` is keyed by parameter name, symbol or :class:`Parameter`; numbers are checked
        against each parameter's domain. Substituted parameters leave the game.

        Examples
        --------
        >>> g = Game.bimatrix([["a", 0], [0, 1]], [[1, 0], [0, "a"]])
        >>> g.subs({"a": 0.5}).payoffs(("s1", "s1"))
        (1/2, 1)

        Raises
        ------
        UnknownNameError
            A key names no parameter of the game.
        ParameterError
            A value is not a finite number, or is outside the parameter's domain; the message
            names the parameter and the domain.
        """
        vals = self.check_values(values, require_all=False)
        if not vals:
            return self
        payoffs = tuple(tuple(v.xreplace(vals) for v in row) for row in self._payoffs)
        params = {p.name: p for p in self._parameters if p.symbol not in vals}
        effects = tuple(e.subs(vals) if hasattr(e, "subs") else e for e in self._effects)
        return Game.from_parts(self._players, self._strategies, payoffs, params, self._policies, effects, self._name)

    def _numeric_rows(self, values, defaults=False):
        if values is None and not defaults and not self.is_numeric:
            missing = sorted(s.name for s in self.free_symbols)
            raise ParameterError(f"the game has parameters; give values for {', '.join(map(repr, missing))}")
        vals = self.check_values(values or {}, require_all=False, defaults=defaults)
        rows = []
        for profile, row in zip(self.profiles(), self._payoffs):
            out = []
            for player, v in zip(self._players, row):
                x = v.xreplace(vals) if vals else v
                if x.free_symbols:
                    missing = sorted(s.name for s in x.free_symbols)
                    raise ParameterError(f"missing value for parameter(s) {', '.join(map(repr, missing))}")
                if x.has(sympy.zoo, sympy.nan, sympy.oo, sympy.S.NegativeInfinity) or x.is_extended_real is False:
                    shown = ", ".join(f"{k} = {val}" for k, val in sorted((str(k), val) for k, val in vals.items()
                                                                         if k in v.free_symbols))
                    raise ParameterError(
                        f"the payoff {v} of player {player!r} at {profile!r} is {x}, not a finite real number, "
                        f"at {shown or 'the given values'}"
                    )
                out.append(x)
            rows.append(out)
        return rows

    def payoff_arrays(self, values=None, *, exact: bool = False, defaults: bool = False) -> list[np.ndarray]:
        """One numeric payoff array per player, each of shape ``(n_1, ..., n_N)``.

        Parameters
        ----------
        values : mapping, optional
            Values of every parameter that occurs in the payoffs.
        exact : bool
            Return object arrays of exact sympy numbers instead of floats.
        defaults : bool
            Use parameters' default values for those not in ``values``.

        Returns
        -------
        list of numpy.ndarray
            ``arrays[i][j_1, ..., j_N]`` is player ``i``'s payoff when player ``k`` plays
            strategy ``j_k``; floats, or exact sympy numbers in object arrays with ``exact=True``.

        Raises
        ------
        ParameterError
            A value is missing, invalid, or makes a payoff non-finite (the message names the
            payoff, the player, the profile and the values).

        Examples
        --------
        >>> g = Game.bimatrix([["a", 0], [0, 1]], [[1, 0], [0, "a"]])
        >>> g.payoff_arrays({"a": 2})[1]
        array([[1., 0.],
               [0., 2.]])
        """
        rows = self._numeric_rows(values, defaults)
        n = len(self._players)
        arrays = []
        for i in range(n):
            if exact:
                flat = np.empty(len(rows), dtype=object)
                for r, row in enumerate(rows):
                    flat[r] = sympy.nsimplify(row[i]) if isinstance(row[i], sympy.Float) else row[i]
            else:
                try:
                    flat = np.array([float(row[i]) for row in rows], dtype=float)
                except TypeError as exc:  # a number sympy could not prove complex, e.g. (-1)**(1/3)
                    raise ParameterError(f"payoffs of player {self._players[i]!r} are not real numbers ({exc})") from None
                if not np.all(np.isfinite(flat)):
                    bad = self.profiles()[int(np.flatnonzero(~np.isfinite(flat))[0])]
                    raise ParameterError(
                        f"the payoff of player {self._players[i]!r} at {bad!r} is {rows[self.profiles().index(bad)][i]}, "
                        "too large for a float; use exact=True"
                    )
            arrays.append(flat.reshape(self.shape))
        return arrays

    def to_nashpy(self, values=None, *, defaults: bool = False):
        """The game as a ``nashpy.Game`` (two players only), at the given values."""
        import nashpy

        if len(self._players) != 2:
            raise GameDefinitionError(f"nashpy handles two-player games; this game has {len(self._players)} players")
        A, B = self.payoff_arrays(values, defaults=defaults)
        return nashpy.Game(A, B)

    def lambdify(self, symbols=None):
        """Compile all payoffs once into a numpy function of the parameters.

        Returns ``(f, symbols)`` where ``f(*arrays)`` returns an array of shape
        ``(N, n_1, ..., n_N) + broadcast shape`` of the arguments, and ``symbols`` is the argument
        order (by default the game's symbols sorted by name). ``symbols`` may name the parameters
        by name, symbol or :class:`Parameter`, and must cover every symbol in the payoffs.

        Examples
        --------
        >>> import numpy as np
        >>> g = Game.bimatrix([["a", 0], [0, 1]], [[1, 0], [0, "a"]])
        >>> f, syms = g.lambdify()
        >>> f(np.array([2.0, 3.0]))[0, 0, 0]
        array([2., 3.])

        Raises
        ------
        UnknownNameError
            A name in ``symbols`` is not a parameter of the game.
        ParameterError
            ``symbols`` leaves out a symbol that occurs in the payoffs.
        """
        syms = self.symbols if symbols is None else tuple(self.symbol(s) for s in symbols)
        if len(set(syms)) != len(syms):
            raise ParameterError(f"symbols {[s.name for s in syms]} name a parameter twice")
        left_out = sorted(s.name for s in self.free_symbols - set(syms))
        if left_out:
            raise ParameterError(f"lambdify needs every parameter in the payoffs; missing {', '.join(map(repr, left_out))}")
        flat = [v for row in self._payoffs for v in row]
        # dummify: a parameter named like a numpy function or constant (exp, pi, sqrt) would
        # otherwise shadow it in the generated code, silently or not
        f = numpy_function(syms, flat)
        n = len(self._players)
        shape = self.shape

        def evaluate(*args):
            arrays = np.broadcast_arrays(*[np.asarray(a, dtype=float) for a in args]) if args else []
            bshape = arrays[0].shape if arrays else ()
            out = f(*arrays)
            stacked = np.stack([np.broadcast_to(np.asarray(o, dtype=float), bshape) for o in out])
            stacked = stacked.reshape((math.prod(shape), n) + bshape)
            return np.moveaxis(stacked, 1, 0).reshape((n,) + shape + bshape)

        return evaluate, syms

    # ------------------------------------------------------------------ operations
    def with_policy(self, *instruments) -> Game:
        """A new game with the policy instruments applied in turn (see :mod:`coopgame.policy`)."""
        game = self
        for inst in instruments:
            if not hasattr(inst, "apply"):
                raise GameDefinitionError(f"{inst!r} is not a policy instrument")
            game = inst.apply(game)
        return game

    def with_perception(self, *perceptions) -> Game:
        """A new game with perceived payoffs (see :mod:`coopgame.perception`), applied in turn."""
        game = self
        for p in perceptions:
            game = p.apply(game)
        return game

    def with_name(self, name: str | None) -> Game:
        """A copy with another title."""
        return Game.from_parts(self._players, self._strategies, self._payoffs,
                                {p.name: p for p in self._parameters}, self._policies, self._effects, name)

    def with_parameters(self, *parameters: Parameter) -> Game:
        """A copy with parameter information added or replaced (matched by name)."""
        params = {p.name: p for p in self._parameters}
        for p in parameters:
            if not isinstance(p, Parameter):
                raise GameDefinitionError(f"expected Parameter objects, got {p!r}")
            params[p.name] = p
        payoffs = tuple(tuple(v.xreplace({s: params[s.name].symbol for s in v.free_symbols}) for v in row)
                        for row in self._payoffs)
        return Game.from_parts(self._players, self._strategies, payoffs, params, self._policies, self._effects, self._name)

    def pure_equilibria(self, strict: bool = False):
        """Pure Nash equilibria with their conditions; see :func:`coopgame.equilibria.pure_equilibria`."""
        from ..equilibria import pure_equilibria

        return pure_equilibria(self, strict=strict)

    def nash_equilibria(self, values=None, **kwargs):
        """All Nash equilibria of the numeric game; see :func:`coopgame.equilibria.nash_equilibria`."""
        from ..equilibria import nash_equilibria

        return nash_equilibria(self, values, **kwargs)

    def replicator(self, symmetric: bool = False):
        """The multi-population replicator dynamics of this game, derived once and kept.

        Games are immutable, so the system (equations, compiled field, numeric systems at values
        already asked for) is built on the first call and the same object is returned after.
        With ``symmetric=True``: the one-population dynamics of a symmetric two-player game
        (:class:`~coopgame.dynamics.symmetric.SymmetricReplicatorDynamics`), built anew.

        Examples
        --------
        >>> g = Game.bimatrix([[1, 0], [0, 2]], [[2, 0], [0, 1]])
        >>> g.replicator() is g.replicator()
        True
        """
        if symmetric:
            from ..dynamics.symmetric import SymmetricReplicatorDynamics

            return SymmetricReplicatorDynamics(self)
        if self._replicator is None:
            from ..dynamics import ReplicatorDynamics

            object.__setattr__(self, "_replicator", ReplicatorDynamics(self))
        return self._replicator

    # ------------------------------------------------------------------ identity
    def _key(self):
        return (
            self._players,
            self._strategies,
            self._payoffs,
            self._parameters,
            tuple(sorted(self._policies, key=repr)),
            tuple(sorted(self._effects, key=repr)),
            self._name,
        )

    def __eq__(self, other):
        if not isinstance(other, Game):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self):
        if self._hash is None:
            object.__setattr__(self, "_hash", hash(self._key()))
        return self._hash

    def __setattr__(self, name, value):
        raise AttributeError("Game objects are immutable; use subs(), with_policy() or with_name()")

    def __delattr__(self, name):
        raise AttributeError("Game objects are immutable")

    def __reduce__(self):
        return (_rebuild, (self._players, self._strategies, self._payoffs, self._parameters,
                           self._policies, self._effects, self._name))

    def __repr__(self):
        strategies = ", ".join(f"{p}: {list(s)}" for p, s in zip(self._players, self._strategies))
        params = ", ".join(p.name for p in self._parameters) or "none"
        title = f"{self._name!r}, " if self._name else ""
        return f"Game({title}players={list(self._players)}, strategies={{{strategies}}}, parameters: {params})"

    # ------------------------------------------------------------------ tables
    def to_markdown(self, values=None) -> str:
        """The payoff table as Markdown: a bimatrix for two players, one row per profile otherwise."""
        from .formatting import game_markdown

        return game_markdown(self if values is None else self.subs(values))

    def to_latex(self, values=None) -> str:
        """The payoff table as a LaTeX ``tabular``."""
        from .formatting import game_latex

        return game_latex(self if values is None else self.subs(values))

    def to_dicts(self) -> list[dict]:
        """The payoff table as rows: one per profile, each player's strategy, then ``u(player)`` (exact)."""
        return [{**dict(zip(self._players, profile)), **{f"u({p})": v for p, v in zip(self._players, values)}}
                for profile, values in self.payoff_table().items()]

    def to_dataframe(self, numeric: bool = False, values=None):
        """The payoff table as a pandas DataFrame, indexed by the players' strategies.

        Payoffs stay exact sympy expressions unless ``numeric`` (see :func:`coopgame.core.frames.frame`);
        ``values`` substitutes parameter values first.

        Examples
        --------
        >>> g = Game.bimatrix([["a", 0], [0, 1]], [[1, 0], [0, "a"]])
        >>> g.to_dataframe().loc[("s1", "s1"), "u(row)"]
        a
        >>> float(g.to_dataframe(numeric=True, values={"a": "1/2"}).loc[("s2", "s2"), "u(column)"])
        0.5
        """
        from .frames import frame

        game = self if values is None else self.subs(values)
        return frame(game.to_dicts(), numeric=numeric, index=list(self._players))

    def _repr_markdown_(self):
        return self.to_markdown()

    def _repr_html_(self):
        from .notebook import html_table

        rows = self.to_dicts()
        return html_table(list(rows[0]) if rows else [], [list(r.values()) for r in rows], caption=self._name)

    def _repr_latex_(self):
        from .formatting import game_latex_array

        return "$$" + game_latex_array(self) + "$$"


def _rebuild(players, strategies, payoffs, parameters, policies, effects, name):
    return Game.from_parts(players, strategies, payoffs, {p.name: p for p in parameters}, policies, effects, name)


def _coerce(value, table, where):
    """Text (safe parser), a sympy object, or a number (exact) -> sympy; errors name ``where``."""
    if isinstance(value, str):
        try:
            return parse(value, table)
        except Exception as exc:  # ExpressionError: re-raise naming the entry
            raise GameDefinitionError(f"{where}: {exc}") from None
    if isinstance(value, sympy.Basic):
        return value
    try:
        return to_exact(value, name=where)
    except ParameterError as exc:
        raise GameDefinitionError(str(exc)) from None


def _payoff_value(value, table, where) -> sympy.Expr:
    expr = _coerce(value, table, where)
    if not isinstance(expr, sympy.Expr):
        raise GameDefinitionError(f"{where}: expected an expression, got {expr!r}")
    if expr.has(sympy.nan, sympy.zoo, sympy.oo, sympy.S.NegativeInfinity, sympy.I):
        raise GameDefinitionError(f"{where}: {expr} is not a finite real payoff")
    if expr.is_number and expr.is_extended_real is False:  # e.g. (-8)**(1/3), which has no I in it
        raise GameDefinitionError(f"{where}: {expr} is not a finite real payoff")
    if expr.has(sympy.Float):  # floats by their decimal text, as everywhere else
        expr = expr.xreplace({f: to_exact(f, name=where) for f in expr.atoms(sympy.Float)})
    return expr


def _mix_value(value, table, where) -> sympy.Expr:
    expr = _coerce(value, table, where)
    if not isinstance(expr, sympy.Expr):
        raise GameDefinitionError(f"{where}: expected a number or an expression, got {value!r}")
    return expr
