"""Perceived payoffs: prospect theory's value function and probability weighting.

Players often respond to payoffs as they perceive them rather than as they are. Prospect theory
(Kahneman & Tversky 1979; Tversky & Kahneman 1992) evaluates an outcome :math:`u` relative to a
reference point :math:`r` through the value function

.. math:: v(u) = \\begin{cases} (u - r)^{\\alpha} & u \\ge r, \\\\
                                -\\lambda\\,(r - u)^{\\beta} & u < r, \\end{cases}

with curvature :math:`0 < \\alpha \\le 1` for gains, :math:`0 < \\beta \\le 1` for losses and loss
aversion :math:`\\lambda \\ge 1` (Tversky & Kahneman 1992 estimate
:math:`\\alpha = \\beta = 0.88`, :math:`\\lambda = 2.25`), and replaces a probability :math:`p` by a
decision weight :math:`w(p)`:

* Tversky & Kahneman (1992): :math:`w(p) = p^\\gamma / (p^\\gamma + (1 - p)^\\gamma)^{1/\\gamma}`;
* Prelec (1998): :math:`w(p) = \\exp(-\\delta(-\\ln p)^\\gamma)`.

:class:`ProspectTheory` is applied to a game like a policy instrument: the probabilities it is
told about (parameters such as a detection probability) are replaced by their weights, then each
payoff of the chosen players is replaced by its value. The game records the transformation in
:attr:`~coopgame.game.Game.policies`, and every change in :attr:`~coopgame.game.Game.policy_effects`
(so :func:`coopgame.policy.policy_table` shows objective change and perceived payoff). Apply it
after the instruments whose amounts players perceive.

**Mental accounting.** :class:`MentalAccounting` (Thaler 1985, 1999) books the components of a
payoff in separate accounts (the cost of training, the labour an intern provides, a subsidy),
evaluates each account's balance with the value function and sums the values (*segregation*);
components in one account are netted first (*integration*). With concave gains two gains are
worth more segregated than integrated, with convex losses two losses hurt less integrated.

**What stays exact.** With numeric payoffs and rational curvatures the perceived payoffs are
algebraic numbers (``3**(1/2)``): every exact analysis still runs (pure equilibria, replicator
stability by exact algebraic arithmetic). A payoff whose sign relative to the reference point is
not decided by the parameters' domains becomes a ``Piecewise``; symbolic curvatures give powers
with symbolic exponents. Those games are analysed at values (``values=...``): substitution turns
every payoff into a number, and the numeric analyses (stability verdicts, simulation, Nash
equilibria of the numeric game) apply. Symbolic conditions over a Piecewise or a symbolic power
are not derived.

Examples
--------
>>> from coopgame import Game
>>> from coopgame.perception import ProspectTheory
>>> g = Game.bimatrix([[4, -1], [0, 0]], [[4, 0], [-1, 0]])
>>> h = g.with_perception(ProspectTheory("1/2", 1, 2))
>>> h.payoffs(("s1", "s1")), h.payoffs(("s1", "s2"))
((2, 2), (-2, 0))
>>> h.policies
(ProspectTheory(alpha=1/2, beta=1, loss_aversion=2),)

References
----------
Kahneman, D. & Tversky, A. (1979). Prospect theory: an analysis of decision under risk.
*Econometrica* 47, 263-291.

Tversky, A. & Kahneman, D. (1992). Advances in prospect theory: cumulative representation of
uncertainty. *Journal of Risk and Uncertainty* 5, 297-323.

Prelec, D. (1998). The probability weighting function. *Econometrica* 66, 497-527.

Thaler, R. H. (1985). Mental accounting and consumer choice. *Marketing Science* 4, 199-214.

Thaler, R. H. (1999). Mental accounting matters. *Journal of Behavioral Decision Making* 12,
183-206.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy

from .core.errors import ParameterError, UnknownNameError
from .core.parameters import POSITIVE, REAL, Parameter, to_exact
from .policy import PolicyEffect, amount_expression, exact_amount

__all__ = ["ProspectTheory", "MentalAccounting", "TverskyKahneman", "Prelec", "value_function"]


@dataclass(frozen=True)
class TverskyKahneman:
    """Tversky-Kahneman (1992) weighting :math:`p^\\gamma/(p^\\gamma + (1-p)^\\gamma)^{1/\\gamma}`.

    Examples
    --------
    >>> import sympy
    >>> TverskyKahneman(1).weight(sympy.Rational(1, 3))
    1/3
    """

    gamma: Any = sympy.Rational(61, 100)  # Tversky & Kahneman (1992), gains

    def __post_init__(self):
        if not isinstance(self.gamma, (str, Parameter)):
            object.__setattr__(self, "gamma", exact_amount(self.gamma, "Tversky-Kahneman gamma"))

    def weight(self, p, gamma=None):
        g = self.gamma if gamma is None else gamma
        return sympy.simplify(p ** g / (p ** g + (1 - p) ** g) ** (1 / g)) if g != 1 else p

    def _fields(self):
        return (("gamma", self.gamma),)


@dataclass(frozen=True)
class Prelec:
    """Prelec (1998) weighting :math:`\\exp(-\\delta(-\\ln p)^\\gamma)`.

    Examples
    --------
    >>> import sympy
    >>> Prelec(1, 1).weight(sympy.Rational(1, 3))
    1/3
    """

    gamma: Any = sympy.Rational(65, 100)
    delta: Any = 1

    def __post_init__(self):
        for attr in ("gamma", "delta"):
            if not isinstance(getattr(self, attr), (str, Parameter)):
                object.__setattr__(self, attr, exact_amount(getattr(self, attr), f"Prelec {attr}"))

    def weight(self, p, gamma=None, delta=None):
        g = self.gamma if gamma is None else gamma
        d = self.delta if delta is None else delta
        if g == 1 and d == 1:
            return p
        return sympy.exp(-d * (-sympy.log(p)) ** g)

    def _fields(self):
        return (("gamma", self.gamma), ("delta", self.delta))


def value_function(u, alpha, beta, loss_aversion, reference=0, *, sign_of=None):
    """Prospect theory's value of outcome ``u`` relative to ``reference`` (exact, sympy).

    The branch is chosen when the sign of ``u - reference`` is decided (by the numbers or the
    parameters' domains, or from ``sign_of``, an expression with the sign of ``u - reference``);
    otherwise the result is a ``Piecewise``.

    Examples
    --------
    >>> import sympy
    >>> value_function(9, sympy.Rational(1, 2), 1, 2), value_function(-9, 1, sympy.Rational(1, 2), 2)
    (3, -6)
    """
    z = sympy.expand(to_exact(u, name="u") - reference)
    gain = z ** alpha
    loss = -loss_aversion * (-z) ** beta
    for decided in (z, None if sign_of is None else sympy.expand(sign_of)):
        if decided is None:
            continue
        if decided.is_nonnegative:
            return gain
        if decided.is_nonpositive:  # at zero both branches are 0
            return loss
    return sympy.Piecewise((gain, z >= 0), (loss, True))


@dataclass(frozen=True)
class ProspectTheory:
    """Perceived payoffs: prospect theory's value function and probability weights.

    Parameters
    ----------
    alpha, beta : number, str or Parameter
        Curvature for gains and for losses (positive). Text is parsed with the game's symbols.
    loss_aversion : number, str or Parameter
        :math:`\\lambda` (positive; loss aversion when above 1).
    reference : number, str or Parameter
        The reference point (default 0).
    weighting : TverskyKahneman, Prelec or None
        Probability weighting applied to ``probabilities``.
    probabilities : sequence of str
        Names of the parameters that are probabilities (e.g. a detection probability); each is
        replaced by its weight. Required when ``weighting`` is given.
    players : sequence of str, optional
        Whose payoffs are perceived (default: every player).
    label : str, optional

    Examples
    --------
    Loss aversion 1 and curvatures 1 give back the game:

    >>> from coopgame import Game
    >>> g = Game.bimatrix([["a", "-b"], [0, 0]], [[1, 0], [0, 1]])
    >>> ProspectTheory(1, 1, 1).apply(g).payoff_table() == g.payoff_table()
    True
    """

    alpha: Any
    beta: Any
    loss_aversion: Any
    reference: Any = 0
    weighting: Any = None
    probabilities: tuple = ()
    players: tuple | None = None
    label: str | None = None

    def __post_init__(self):
        for attr in ("alpha", "beta", "loss_aversion", "reference"):
            value = getattr(self, attr)
            if not isinstance(value, (str, Parameter)):
                value = exact_amount(value, f"prospect theory {attr}")
                if attr != "reference" and value.is_nonpositive:
                    raise ParameterError(f"prospect theory {attr} = {value} must be positive")
                object.__setattr__(self, attr, value)
        if self.weighting is not None and not isinstance(self.weighting, (TverskyKahneman, Prelec)):
            raise ParameterError(f"weighting must be TverskyKahneman(...) or Prelec(...), got {self.weighting!r}")
        probs = (self.probabilities,) if isinstance(self.probabilities, str) else tuple(self.probabilities)
        object.__setattr__(self, "probabilities", probs)
        if self.weighting is not None and not probs:
            raise ParameterError("a probability weighting needs the names of the probabilities it weights "
                                 "(probabilities=...)")
        if self.players is not None:
            object.__setattr__(self, "players", _as_players(self.players))

    def __repr__(self):
        shown = [f"alpha={self.alpha}", f"beta={self.beta}", f"loss_aversion={self.loss_aversion}"]
        if self.reference != 0:
            shown.append(f"reference={self.reference}")
        if self.weighting is not None:
            shown.append(f"weighting={self.weighting!r}, probabilities={list(self.probabilities)!r}")
        if self.players is not None:
            shown.append(f"players={list(self.players)!r}")
        return f"ProspectTheory({', '.join(shown)})"

    def describe(self) -> str:
        return self.label or "prospect theory"

    def apply(self, game):
        """A new game with the chosen players' payoffs replaced by their perceived values.

        Raises
        ------
        UnknownNameError
            A player or probability name is not in the game.
        """

        players = _chosen_players(self, game)
        params = {p.name: p for p in game.parameters}
        table = {name: p.symbol for name, p in params.items()}
        new: dict = {}
        alpha = amount_expression(self.alpha, game, table, new, POSITIVE, "prospect theory alpha")
        beta = amount_expression(self.beta, game, table, new, POSITIVE, "prospect theory beta")
        lam = amount_expression(self.loss_aversion, game, table, new, POSITIVE, "prospect theory loss_aversion")
        ref = amount_expression(self.reference, game, table, new, REAL, "prospect theory reference")
        weights = {}
        if self.weighting is not None:
            for name in self.probabilities:
                if name not in table:
                    raise UnknownNameError(f"{self.describe()}: the probability {name!r} is not a parameter of the game")
                dom = params[name].domain if name in params else None
                if dom is not None and not _within_unit(dom):
                    raise ParameterError(f"{self.describe()}: {name!r} has domain {dom.name}, not a probability's")
                fields = {k: amount_expression(v, game, table, new, POSITIVE, f"weighting {k}")
                          for k, v in self.weighting._fields()}
                weights[table[name]] = self.weighting.weight(table[name], **fields)
        params.update(new)
        positive_weights = {p: sympy.Dummy(p.name, nonnegative=True) for p in weights}

        def perceive(player, profile, u):
            objective = u.xreplace(weights) if weights else u
            # a weight lies in [0, 1] like the probability: decide the sign with it as a number >= 0
            hint = u.xreplace(positive_weights) - ref if weights else None
            return value_function(objective, alpha, beta, lam, ref, sign_of=hint)

        return _perceived_game(self, game, players, params, perceive)


def _perceived_game(perception, game, players, params, perceive):
    """``game`` with each chosen player's payoff ``u`` at each profile replaced by
    ``perceive(player, profile, u)``; the changes recorded as ``perception``'s effects."""
    index = [game.players.index(p) for p in players]
    rows, effects = [], list(game.policy_effects)
    for profile in game.profiles():
        profile = tuple(profile)
        row = list(game.payoffs(profile))
        for i in index:
            perceived = perceive(game.players[i], profile, row[i])
            if perceived.is_number and perceived.has(sympy.Float):
                perceived = sympy.nsimplify(perceived)
            if perceived != row[i]:
                effects.append(PolicyEffect(perception, game.players[i], profile, perceived - row[i]))
            row[i] = perceived
        rows.append(tuple(row))
    return type(game).from_parts(game.players, game.strategy_lists, tuple(rows), params,
                                 tuple(game.policies) + (perception,), tuple(effects), game.name)


def _as_players(players) -> tuple:
    """A perception's ``players`` argument (one name or several) as a tuple."""
    return (players,) if isinstance(players, str) else tuple(players)


def _chosen_players(perception, game) -> tuple:
    """The players whose payoffs ``perception`` transforms (all by default), each checked."""
    players = game.players if perception.players is None else perception.players
    for p in players:
        if p not in game.players:
            raise UnknownNameError(f"{perception.describe()}: unknown player {p!r} (players: {', '.join(game.players)})")
    return tuple(players)


def _within_unit(domain) -> bool:
    return bool(domain.interval.is_subset(sympy.Interval(0, 1)))


OTHER_ACCOUNT = "other"


@dataclass(frozen=True)
class MentalAccounting:
    """Perceived payoffs by mental accounts (Thaler 1985): each account valued on its own, summed.

    A payoff is split into components: the expanded payoff's terms are booked in the account that
    names one of their parameters, and the change an instrument made is booked in the account that
    names the instrument's label. Terms no account claims form the account ``"other"``. Each
    account's balance :math:`b_k` is valued with prospect theory's value function relative to the
    account's reference point :math:`r_k`, and the perceived payoff is
    :math:`\\sum_k v(b_k - r_k)`. With no accounts named this is :class:`ProspectTheory` on the
    total (full integration); with curvatures 1, loss aversion 1 and references 0 it is the
    original payoff.

    Parameters
    ----------
    accounts : mapping of str to sequence of str
        Account name -> the parameter names and instrument labels whose components it holds.
    alpha, beta, loss_aversion : number, str or Parameter
        The value function's curvatures and loss aversion (positive), as in :class:`ProspectTheory`.
    reference : number, str, Parameter, or mapping of account name to one of these
        Each account's reference point (default 0); a single value is every account's.
    players : sequence of str, optional
        Whose payoffs are perceived (default: every player).
    label : str, optional

    Raises
    ------
    ParameterError
        A term involves parameters of two accounts (its account is ambiguous), an item is named
        by two accounts, or a curvature is not positive.
    UnknownNameError
        An item is neither a parameter nor an instrument label of the game, or a player is unknown.

    Examples
    --------
    Two gains of 4 and 9 are worth :math:`2 + 3 = 5` segregated and :math:`\\sqrt{13}` integrated:

    >>> from coopgame import Game
    >>> g = Game.bimatrix([["a + b", 0], [0, 0]], [[0, 0], [0, 0]])
    >>> seg = MentalAccounting({"first": ["a"], "second": ["b"]}, "1/2", 1, 1, players=["row"])
    >>> seg.apply(g).subs({"a": 4, "b": 9}).payoff("row", ("s1", "s1"))
    5
    >>> MentalAccounting({}, "1/2", 1, 1).apply(g).subs({"a": 4, "b": 9}).payoff("row", ("s1", "s1"))
    sqrt(13)
    """

    accounts: Any
    alpha: Any
    beta: Any
    loss_aversion: Any
    reference: Any = 0
    players: tuple | None = None
    label: str | None = None

    def __post_init__(self):
        try:
            items = dict(self.accounts)
        except (TypeError, ValueError):
            raise ParameterError(f"mental accounting: accounts must map account names to item names, "
                                 f"got {self.accounts!r}") from None
        accounts, owner = {}, {}
        for name, members in items.items():
            if not isinstance(name, str) or not name:
                raise ParameterError(f"mental accounting: account name {name!r} must be a non-empty string")
            if name == OTHER_ACCOUNT:
                raise ParameterError(f"mental accounting: the account name {OTHER_ACCOUNT!r} is reserved for "
                                     "the components no account names")
            members = (members,) if isinstance(members, str) else tuple(members)
            for m in members:
                if not isinstance(m, str):
                    raise ParameterError(f"mental accounting: account {name!r} item {m!r} must be a name")
                if m in owner:
                    raise ParameterError(f"mental accounting: {m!r} is named by accounts {owner[m]!r} and {name!r}")
                owner[m] = name
            accounts[name] = members
        object.__setattr__(self, "accounts", tuple(accounts.items()))
        for attr in ("alpha", "beta", "loss_aversion"):
            value = getattr(self, attr)
            if not isinstance(value, (str, Parameter)):
                value = exact_amount(value, f"mental accounting {attr}")
                if value.is_nonpositive:
                    raise ParameterError(f"mental accounting {attr} = {value} must be positive")
                object.__setattr__(self, attr, value)
        names = [a for a, _ in self.accounts] + [OTHER_ACCOUNT]
        if hasattr(self.reference, "items"):
            refs = dict(self.reference)
            for k in refs:
                if k not in names:
                    raise UnknownNameError(f"mental accounting: reference given for unknown account {k!r} "
                                           f"(accounts: {', '.join(names)})")
        else:
            refs = dict.fromkeys(names, self.reference)
        refs = {k: (v if isinstance(v, (str, Parameter)) else exact_amount(v, f"reference of account {k!r}"))
                for k, v in refs.items()}
        object.__setattr__(self, "reference", tuple((k, refs.get(k, sympy.Integer(0))) for k in names))
        if self.players is not None:
            object.__setattr__(self, "players", _as_players(self.players))

    def __repr__(self):
        shown = [f"accounts={dict(self.accounts)!r}", f"alpha={self.alpha}", f"beta={self.beta}",
                 f"loss_aversion={self.loss_aversion}"]
        refs = {k: v for k, v in self.reference if v != 0}
        if refs:
            shown.append(f"reference={ {k: str(v) for k, v in refs.items()} !r}")
        if self.players is not None:
            shown.append(f"players={list(self.players)!r}")
        return f"MentalAccounting({', '.join(shown)})"

    def describe(self) -> str:
        return self.label or "mental accounting"

    def _check(self, game):
        params = {p.name for p in game.parameters}
        labels = {e.instrument.describe() for e in game.policy_effects}
        for account, members in self.accounts:
            for m in members:
                if m not in params and m not in labels:
                    raise UnknownNameError(f"{self.describe()}: account {account!r} names {m!r}, which is neither "
                                           "a parameter nor an instrument label of the game")
        return _chosen_players(self, game)

    def split(self, game, player: str, profile) -> dict:
        """The objective balance of each account in ``player``'s payoff at ``profile`` (sums to it).

        Examples
        --------
        >>> from coopgame import Game
        >>> g = Game.bimatrix([["V - C - w", 0], [0, 0]], [[0, 0], [0, 0]])
        >>> MentalAccounting({"training": ["C", "w"]}, 1, 1, 1).split(g, "row", ("s1", "s1"))
        {'training': -C - w, 'other': V}
        """
        self._check(game)
        return self._split(game, player, tuple(profile))

    def _split(self, game, player, profile):
        if player not in game.players:
            raise UnknownNameError(f"{self.describe()}: unknown player {player!r}")
        names = {p.name for p in game.parameters}
        by_param, by_label = {}, {}
        for account, members in self.accounts:
            for m in members:
                (by_param if m in names else by_label)[m] = account
        balances = {a: sympy.Integer(0) for a, _ in self.accounts}
        balances[OTHER_ACCOUNT] = sympy.Integer(0)
        rest = game.payoff(player, profile)
        for effect in game.policy_effects:
            account = by_label.get(effect.instrument.describe())
            if account is not None and effect.player == player and tuple(effect.profile) == profile:
                balances[account] += effect.delta
                rest -= effect.delta
        for term in sympy.Add.make_args(sympy.expand(rest)):
            owners = sorted({by_param[s.name] for s in term.free_symbols if s.name in by_param})
            if len(owners) > 1:
                raise ParameterError(f"{self.describe()}: the term {term} of {player}'s payoff at "
                                     f"{profile} involves accounts {', '.join(map(repr, owners))}")
            balances[owners[0] if owners else OTHER_ACCOUNT] += term
        return {k: sympy.expand(v) for k, v in balances.items()}

    def apply(self, game):
        """A new game with the chosen players' payoffs replaced by the sum of their accounts' values."""

        players = self._check(game)
        params = {p.name: p for p in game.parameters}
        table = {name: p.symbol for name, p in params.items()}
        new: dict = {}
        alpha = amount_expression(self.alpha, game, table, new, POSITIVE, "mental accounting alpha")
        beta = amount_expression(self.beta, game, table, new, POSITIVE, "mental accounting beta")
        lam = amount_expression(self.loss_aversion, game, table, new, POSITIVE, "mental accounting loss_aversion")
        refs = {k: amount_expression(v, game, table, new, REAL, f"reference of account {k!r}") for k, v in self.reference}
        params.update(new)

        def perceive(player, profile, u):
            perceived = sympy.Integer(0)
            for account, balance in self._split(game, player, profile).items():
                if balance == 0 and refs[account] == 0:
                    continue  # an empty account is not evaluated (v(0) = 0 anyway)
                perceived += value_function(balance, alpha, beta, lam, refs[account])
            return perceived

        return _perceived_game(self, game, players, params, perceive)
