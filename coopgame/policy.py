"""Policy instruments: payoff transfers applied to a game, with a record of what they changed.

Every instrument is a :class:`Transfer` of an amount :math:`a` from a payer to a payee at the
profiles where a condition ``when`` holds:

.. math:: u_{\\text{payee}}(s) \\mapsto u_{\\text{payee}}(s) + a, \\qquad
          u_{\\text{payer}}(s) \\mapsto u_{\\text{payer}}(s) - a \\qquad \\text{if } s \\in W,

where the payer or the payee may be ``None``, the *outside budget* (a government that is not a
player of the game). The mechanisms of the seed papers (Du and Zeng, "Construction of
High-quality Talents Training Community in Secondary Vocational Education", section 4.2: tax and
fee reduction, fund guarantee, positive publicity, rectification of organisations that do not
act) are special cases:

* :class:`Subsidy` ``(to, amount)``: the payer (by default the outside budget) pays ``amount``;
* :class:`TaxRelief` ``(to, rate, base)``: relief of ``rate * base`` (the base usually the
  recipient's training cost), paid by the payer (by default the outside budget);
* :class:`Penalty` ``(on, amount)``: the player pays ``amount`` to the payee (by default the
  outside budget);
* :class:`Reputation` ``(to, gain, visibility=1)``: a gain of ``visibility * gain`` that nobody
  pays for (publicity), ``visibility`` being the probability that the behaviour becomes known;
* :class:`Expense` ``(on, amount)``: a resource cost that the player ``on`` (by default the
  outside budget) pays and nobody receives: the inspections behind a penalty, a publicity
  campaign. Penalties are never paid at full cooperation and reputation is free, so an
  enforcement or publicity instrument costs something there only with its expense (the
  catalogue models pair each penalty with an inspection cost and each publicity gain with a
  campaign cost).

Instruments are frozen and hashable; ``game.with_policy(a, b)`` applies them in turn and gives
the same game in either order. The new game records the instruments in
:attr:`~coopgame.game.Game.policies` and every payoff change as a :class:`PolicyEffect` in
:attr:`~coopgame.game.Game.policy_effects`; entries whose ``player`` is ``None`` record the
outside budget, so that :func:`outside_spending` shows what a policy costs when the government
is not a player. When it is a player, pass it as ``payer``/``payee`` and the spending is part of
its payoff.

Amounts are numbers, sympy expressions, :class:`~coopgame.parameters.Parameter` objects or text
read by the safe parser :func:`coopgame.expressions.parse` with the game's symbols, so that names
match the game's parameters. Names new to the game become parameters with a nonnegative domain
(a visibility becomes a probability).

Examples
--------
>>> from coopgame import Game
>>> from coopgame.policy import Subsidy, Penalty, outside_spending
>>> g = Game(["school", "enterprise"],
...          {"school": ["deep", "shallow"], "enterprise": ["participate", "nominal"]},
...          {("deep", "participate"): ["R_s - C_s", "R_e - C_e"],
...           ("deep", "nominal"): ["-C_s", 0],
...           ("shallow", "participate"): [0, "-C_e"],
...           ("shallow", "nominal"): [0, 0]})
>>> h = g.with_policy(Subsidy("enterprise", "s", when={"enterprise": "participate"}),
...                   Penalty("enterprise", "f", when={"enterprise": "nominal"}))
>>> h.payoff("enterprise", ("deep", "participate"))
-C_e + R_e + s
>>> h.payoff("enterprise", ("deep", "nominal"))
-f
>>> h.parameter("s").domain.name
'nonnegative'
>>> outside_spending(h, ("deep", "participate")), outside_spending(h, ("deep", "nominal"))
(s, -f)
>>> h == g.with_policy(Penalty("enterprise", "f", when={"enterprise": "nominal"}),
...                    Subsidy("enterprise", "s", when={"enterprise": "participate"}))
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import sympy

from .core.errors import GameDefinitionError, ParameterError, UnknownNameError
from .core.expressions import parse
from .core.parameters import NONNEGATIVE, PROBABILITY, Domain, Parameter, to_exact

__all__ = [
    "PolicyEffect",
    "Expense",
    "Transfer",
    "Subsidy",
    "TaxRelief",
    "Penalty",
    "Reputation",
    "outside_spending",
    "policy_table",
    "policy_effects_at",
    "exact_amount",
    "amount_expression",
]


@dataclass(frozen=True)
class PolicyEffect:
    """One payoff change made by one instrument at one profile.

    Attributes
    ----------
    instrument : Transfer
        The instrument (a :class:`Transfer` or one of its special cases).
    player : str or None
        The player whose payoff changed, or ``None`` for the outside budget.
    profile : tuple of str
        The pure profile, strategy names in player order.
    delta : sympy.Expr
        The change: added to the player's payoff (or to the outside budget's balance, so a
        budget that pays has a negative ``delta``).
    """

    instrument: Any
    player: str | None
    profile: tuple
    delta: sympy.Expr

    def subs(self, values) -> PolicyEffect:
        """The same record with parameter values substituted into ``delta`` (keyed by symbol)."""
        return replace(self, delta=self.delta.xreplace(dict(values)))

    def __str__(self):
        who = self.player if self.player is not None else "outside budget"
        return f"{self.instrument.describe()}: {who} at ({', '.join(self.profile)}) {_signed(self.delta)}"


def _signed(delta) -> str:
    text = str(delta)
    return text if text.startswith("-") else "+" + text


def _normalise_when(when):
    """``when`` as a hashable value: None, a callable, or a sorted tuple of (player, names)."""
    if when is None or callable(when) and not isinstance(when, Mapping):
        return when
    if isinstance(when, tuple) and all(isinstance(item, tuple) and len(item) == 2 for item in when):
        when = dict(when)  # the normalised form itself (from dataclasses.replace or a copy)
    if not isinstance(when, Mapping):
        raise GameDefinitionError(
            f"'when' must be a mapping player -> strategy name(s), a callable on the profile or None; got {when!r}"
        )
    items = []
    for player, names in when.items():
        if not isinstance(player, str):
            raise GameDefinitionError(f"'when' keys must be player names, got {player!r}")
        if isinstance(names, str):
            names_t = (names,)
        elif isinstance(names, Iterable):
            names_t = tuple(names)
            if not names_t or not all(isinstance(n, str) for n in names_t):
                raise GameDefinitionError(f"'when' for player {player!r} must name one or more strategies, got {names!r}")
        else:
            raise GameDefinitionError(f"'when' for player {player!r} must name one or more strategies, got {names!r}")
        items.append((player, tuple(sorted(set(names_t)))))
    return tuple(sorted(items))


def exact_amount(value, what: str):
    """An instrument's amount as given, with numbers made exact; checked when it is made.

    Numbers become exact sympy numbers (floats by their decimal text, as
    :func:`~coopgame.parameters.to_exact` reads them); text, sympy expressions and
    :class:`~coopgame.parameters.Parameter` objects are kept, to be read against a game's
    symbols by :func:`amount_expression` when the instrument is applied. The perceptions of
    :mod:`coopgame.perception` read their curvatures and weights the same way.

    Raises
    ------
    ParameterError
        ``value`` is a sympy object that is not an expression (a condition, a set), or not a
        finite number; the message names ``what``.

    Examples
    --------
    >>> exact_amount(0.1, "subsidy amount"), exact_amount("s + 1", "subsidy amount")
    (1/10, 's + 1')
    """
    if isinstance(value, (str, Parameter, sympy.Basic)):
        if isinstance(value, sympy.Basic) and not isinstance(value, sympy.Expr):
            raise ParameterError(f"{what}: expected an expression, got {value!r}")
        return value
    return to_exact(value, name=what)


@dataclass(frozen=True, repr=False)
class Transfer:
    """Move ``amount`` from ``payer`` to ``payee`` at every profile where ``when`` holds.

    Parameters
    ----------
    payer, payee : str or None
        Player names; ``None`` is the outside budget. At least one must be a player.
    amount : number, str, sympy.Expr or Parameter
        The amount moved (any sign for a general transfer). Text is parsed with the game's
        symbols when the instrument is applied.
    when : mapping, callable or None
        The profiles where the transfer happens: a mapping player -> strategy name (or a
        collection of names), all of which must match; a callable taking the profile as a dict
        player -> strategy and returning a bool; or ``None`` for every profile.
    label : str, optional
        A name shown in tables (default: the kind of instrument).

    Examples
    --------
    >>> from coopgame import Game
    >>> g = Game(["A", "B"], [["x", "y"], ["x", "y"]],
    ...          {("x", "x"): [1, 1], ("x", "y"): [0, 2], ("y", "x"): [2, 0], ("y", "y"): [0, 0]})
    >>> h = Transfer("B", "A", "t", when={"B": "y"}).apply(g)
    >>> h.payoffs(("x", "y"))
    (t, 2 - t)
    """

    payer: str | None
    payee: str | None
    amount: Any
    when: Any = None
    label: str | None = None

    #: Domain given to names in amounts that the game does not know yet.
    _new_domain = NONNEGATIVE
    _sign_checked = ()  # names of amount fields that may not be negative
    _kind = "transfer"
    _outside_alone = False  # whether the outside budget may be the only party (Expense)

    def __post_init__(self):
        self._check_fields()

    def _check_fields(self):
        for attr in ("payer", "payee"):
            value = getattr(self, attr)
            if value is not None and (not isinstance(value, str) or not value):
                raise GameDefinitionError(f"{self._kind}: {attr} must be a player name or None, got {value!r}")
        if self.payer is None and self.payee is None and not self._outside_alone:
            raise GameDefinitionError(f"{self._kind}: payer and payee cannot both be the outside budget")
        if self.payer is not None and self.payer == self.payee:
            raise GameDefinitionError(f"{self._kind}: payer and payee are the same player {self.payer!r}")
        for attr in self._amount_fields():
            object.__setattr__(self, attr, exact_amount(getattr(self, attr), f"{self._kind} {attr}"))
            value = getattr(self, attr)
            if attr in self._sign_checked and isinstance(value, sympy.Expr) and value.is_negative:
                raise ParameterError(f"{self._kind} {attr} = {value} is negative; it must be nonnegative")
        object.__setattr__(self, "when", _normalise_when(self.when))
        if self.label is not None and not isinstance(self.label, str):
            raise GameDefinitionError(f"{self._kind}: label must be text, got {self.label!r}")

    def _amount_fields(self) -> tuple[str, ...]:
        return ("amount",)

    #: Constructor arguments, in order, shown by ``repr``.
    _init_fields = ("payer", "payee", "amount", "when", "label")

    def __repr__(self):
        shown = []
        for name in self._init_fields:
            value = getattr(self, name)
            if name in ("when", "label") and value is None:
                continue
            if isinstance(value, Parameter):
                value = f"Parameter({value.name!r}, domain={value.domain.name!r})"
                shown.append(f"{name}={value}")
                continue
            if name == "when" and isinstance(value, tuple):
                value = {p: (n[0] if len(n) == 1 else list(n)) for p, n in value}
            shown.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(shown)})"

    def describe(self) -> str:
        """A short name for tables: the label, or the kind and recipient."""
        if self.label:
            return self.label
        return f"{self._kind} {self._who()}"

    def _who(self) -> str:
        payer = self.payer if self.payer is not None else "outside"
        payee = self.payee if self.payee is not None else "outside"
        return f"{payer}->{payee}"

    # ------------------------------------------------------------------ application
    def _parties(self) -> tuple[str | None, str | None, bool]:
        """(payer, payee, whether the outside budget takes part)."""
        return self.payer, self.payee, True

    def _amount_expr(self, game, table, new) -> sympy.Expr:
        return amount_expression(self.amount, game, table, new, self._new_domain, f"{self._kind} amount")

    def matches(self, game, profile) -> bool:
        """Whether the instrument acts at ``profile`` (names validated against ``game``)."""
        names = game.profile_names(profile)
        return _matcher(self.when, game)(names)

    def apply(self, game):
        """A new game with this instrument applied.

        Raises
        ------
        UnknownNameError
            A payer, payee, or a player or strategy in ``when`` is not in the game.
        ParameterError
            An amount is provably outside the instrument's domain.
        GameDefinitionError
            ``when`` is malformed, a callable ``when`` does not return a truth value, or a
            :class:`~coopgame.parameters.Parameter` conflicts with the game's parameter of that name.
        """
        payer, payee, budget = self._parties()
        for who in (payer, payee):
            if who is not None and who not in game.players:
                raise UnknownNameError(
                    f"{self.describe()}: unknown player {who!r} (players: {', '.join(game.players)})")
        try:
            match = _matcher(self.when, game)
        except UnknownNameError as exc:
            raise UnknownNameError(f"{self.describe()}: 'when' names {exc}") from None
        params = {p.name: p for p in game.parameters}
        table = {name: p.symbol for name, p in params.items()}
        new: dict[str, Parameter] = {}
        amount = self._amount_expr(game, table, new)
        self._check_amount(amount)
        params.update(new)
        players = game.players
        rows = []
        effects = list(game.policy_effects)
        for profile, row in zip(game.profiles(), _rows(game)):
            if not match(profile):
                rows.append(row)
                continue
            row = list(row)
            if payee is not None:
                row[players.index(payee)] += amount
                effects.append(PolicyEffect(self, payee, profile, amount))
            if payer is not None:
                row[players.index(payer)] -= amount
                effects.append(PolicyEffect(self, payer, profile, -amount))
            if budget and (payer is None or payee is None):
                effects.append(PolicyEffect(self, None, profile, -amount if payer is None else amount))
            rows.append(tuple(row))
        return type(game).from_parts(players, game.strategy_lists, tuple(rows), params,
                                      tuple(game.policies) + (self,), tuple(effects), game.name)

    def _check_amount(self, amount):
        if self._kind != "transfer" and amount.is_negative:
            raise ParameterError(f"{self.describe()}: amount {amount} is negative for every admissible parameter value")


def _rows(game):
    return [game.payoffs(p) for p in game.profiles()]


def amount_expression(value, game, table: dict, new: dict, domain: Domain, what: str) -> sympy.Expr:
    """An amount as a sympy expression in ``game``'s symbols, new names declared as parameters.

    Parameters
    ----------
    value : number, str, sympy.Expr or Parameter
        The amount (as :func:`exact_amount` keeps it). Text is read by the safe parser with
        the symbols of ``table``.
    game : Game
        The game the amount is applied to.
    table : dict
        Parameter name -> symbol, starting from ``game``'s parameters; names new to the game
        are added to it, so that later amounts of the same instrument share their symbols.
    new : dict
        Receives a :class:`~coopgame.parameters.Parameter` for every name new to the game
        (with ``domain``), or the ``Parameter`` passed as ``value``.
    domain : Domain
        The domain of names new to the game.
    what : str
        The amount's name in error messages.

    Raises
    ------
    GameDefinitionError
        A ``Parameter`` passed as ``value`` conflicts with the game's parameter of that name.
    ParameterError
        ``value`` is not an expression.

    Examples
    --------
    >>> from coopgame import Game
    >>> from coopgame.parameters import NONNEGATIVE
    >>> g = Game.bimatrix([["c", 0], [0, 0]], [[1, 0], [0, 0]])
    >>> table, new = {p.name: p.symbol for p in g.parameters}, {}
    >>> amount_expression("c + s", g, table, new, NONNEGATIVE, "subsidy amount")
    c + s
    >>> {name: p.domain.name for name, p in new.items()}
    {'s': 'nonnegative'}
    """
    if isinstance(value, Parameter):
        existing = table.get(value.name)
        if existing is not None:
            current = game.parameter(value.name)
            if current != value and current != Parameter(value.name):
                raise GameDefinitionError(
                    f"{what}: parameter {value.name!r} is already declared in the game with other details"
                )
        new[value.name] = value
        table[value.name] = value.symbol
        return value.symbol
    if isinstance(value, str):
        expr = parse(value, table)
    else:
        expr = value
    if not isinstance(expr, sympy.Expr):
        raise ParameterError(f"{what}: expected an expression, got {expr!r}")
    replace_map = {}
    for sym in expr.free_symbols:
        if sym.name in table:
            if table[sym.name] != sym:
                replace_map[sym] = table[sym.name]
        else:
            param = Parameter(sym.name, domain=domain)
            new[sym.name] = param
            table[sym.name] = param.symbol
            replace_map[sym] = param.symbol
    return expr.xreplace(replace_map) if replace_map else expr


def _matcher(when, game) -> Callable[[tuple], bool]:
    """A predicate on profiles (tuples of names), with ``when`` validated against ``game``."""
    players = game.players
    if when is None:
        return lambda profile: True
    if isinstance(when, tuple):
        checks = []
        for player, names in when:
            i = game.player_index(player)
            for name in names:
                game.strategy_index(i, name)
            checks.append((i, frozenset(names)))

        def match(profile):
            return all(profile[i] in names for i, names in checks)

        return match

    def call(profile):
        result = when(dict(zip(players, profile)))
        if not isinstance(result, bool) and type(result).__name__ != "bool_":
            raise GameDefinitionError(
                f"'when' callable {when!r} returned {result!r} at profile {profile!r}; expected True or False"
            )
        return bool(result)

    return call


@dataclass(frozen=True, repr=False)
class Subsidy(Transfer):
    """A subsidy of ``amount`` to player ``to`` (the seeds' "fund guarantee").

    Parameters
    ----------
    to : str
        The recipient.
    amount : number, str, sympy.Expr or Parameter
        The subsidy; numbers must be nonnegative, new names get a nonnegative domain.
    when : mapping, callable or None
        Where it is paid (see :class:`Transfer`).
    payer : str or None
        Who pays: a player (for example ``"government"``) or ``None``, the outside budget.

    Examples
    --------
    >>> from coopgame import Game
    >>> g = Game(["firm"], [["train", "idle"]], {("train",): ["-c"], ("idle",): [0]})
    >>> Subsidy("firm", "s", when={"firm": "train"}).apply(g).payoff("firm", ("train",))
    -c + s
    >>> Subsidy("firm", -1)
    Traceback (most recent call last):
    ...
    coopgame.errors.ParameterError: subsidy amount = -1 is negative; it must be nonnegative
    """

    to: str = field(default=None)
    amount: Any = None
    when: Any = None
    payer: str | None = None
    label: str | None = None
    payee: str | None = field(default=None, init=False, repr=False)

    _sign_checked = ("amount",)
    _kind = "subsidy"
    _init_fields = ("to", "amount", "when", "payer", "label")

    def __init__(self, to, amount, when=None, payer=None, label=None):
        for name, value in (("to", to), ("payee", to), ("payer", payer), ("amount", amount), ("when", when),
                            ("label", label)):
            object.__setattr__(self, name, value)
        self._check_recipient("to")
        self._check_fields()

    def _check_recipient(self, attr):
        if not isinstance(getattr(self, attr), str) or not getattr(self, attr):
            raise GameDefinitionError(f"{self._kind}: {attr!r} must be a player name, got {getattr(self, attr)!r}")

    def _who(self):
        return self.to


@dataclass(frozen=True, repr=False)
class TaxRelief(Transfer):
    """Tax and fee relief of ``rate * base`` for player ``to``.

    Parameters
    ----------
    to : str
        The recipient, usually the enterprise.
    rate : number, str, sympy.Expr or Parameter
        The relief rate (nonnegative; a new name gets a nonnegative domain; pass a
        :class:`~coopgame.parameters.Parameter` with another domain, for example a probability,
        to bound it).
    base : number, str, sympy.Expr or Parameter
        What the rate applies to, usually the recipient's training cost.
    when, payer
        As for :class:`Subsidy`.

    Examples
    --------
    >>> from coopgame import Game
    >>> g = Game(["firm"], [["train", "idle"]], {("train",): ["R - C"], ("idle",): [0]})
    >>> TaxRelief("firm", "r", "C", when={"firm": "train"}).apply(g).payoff("firm", ("train",))
    C*r - C + R
    """

    to: str = field(default=None)
    rate: Any = None
    base: Any = None
    when: Any = None
    payer: str | None = None
    label: str | None = None
    payee: str | None = field(default=None, init=False, repr=False)
    amount: Any = field(default=None, init=False, repr=False, compare=False)

    _sign_checked = ("rate", "base")
    _kind = "tax relief"
    _init_fields = ("to", "rate", "base", "when", "payer", "label")

    def __init__(self, to, rate, base, when=None, payer=None, label=None):
        for name, value in (("to", to), ("payee", to), ("payer", payer), ("rate", rate), ("base", base),
                            ("amount", None), ("when", when), ("label", label)):
            object.__setattr__(self, name, value)
        Subsidy._check_recipient(self, "to")
        self._check_fields()

    def _amount_fields(self):
        return ("rate", "base")

    def _amount_expr(self, game, table, new):
        rate = amount_expression(self.rate, game, table, new, self._new_domain, "tax relief rate")
        base = amount_expression(self.base, game, table, new, self._new_domain, "tax relief base")
        for what, value in (("rate", rate), ("base", base)):
            if value.is_negative:
                raise ParameterError(f"tax relief {what} {value} is negative for every admissible parameter value")
        return rate * base

    def _who(self):
        return self.to


@dataclass(frozen=True, repr=False)
class Penalty(Transfer):
    """A penalty of ``amount`` on player ``on`` (the seeds' rectification), paid to ``payee``.

    Parameters
    ----------
    on : str
        The player who pays.
    amount : number, str, sympy.Expr or Parameter
        The penalty (nonnegative).
    when : mapping, callable or None
        Where it is levied, typically ``{on: "<the strategy to deter>"}``.
    payee : str or None
        Who collects: a player or ``None``, the outside budget.

    Examples
    --------
    >>> from coopgame import Game
    >>> g = Game(["firm"], [["train", "idle"]], {("train",): ["-c"], ("idle",): [0]})
    >>> Penalty("firm", "f", when={"firm": "idle"}).apply(g).payoff("firm", ("idle",))
    -f
    """

    on: str = field(default=None)
    amount: Any = None
    when: Any = None
    payee: str | None = None
    label: str | None = None
    payer: str | None = field(default=None, init=False, repr=False)

    _sign_checked = ("amount",)
    _kind = "penalty"
    _init_fields = ("on", "amount", "when", "payee", "label")

    def __init__(self, on, amount, when=None, payee=None, label=None):
        for name, value in (("on", on), ("payer", on), ("payee", payee), ("amount", amount), ("when", when),
                            ("label", label)):
            object.__setattr__(self, name, value)
        Subsidy._check_recipient(self, "on")
        self._check_fields()

    def _who(self):
        return self.on


@dataclass(frozen=True, repr=False)
class Reputation(Transfer):
    """A reputation gain of ``visibility * gain`` for player ``to`` that nobody pays for.

    Models positive publicity: the gain is worth ``gain`` when the behaviour becomes known,
    which happens with probability ``visibility`` (1 by default). It changes no one else's
    payoff and costs the outside budget nothing.

    Examples
    --------
    >>> from coopgame import Game
    >>> g = Game(["firm"], [["train", "idle"]], {("train",): ["-c"], ("idle",): [0]})
    >>> h = Reputation("firm", "g", when={"firm": "train"}, visibility="q").apply(g)
    >>> h.payoff("firm", ("train",)), h.parameter("q").domain.name
    (-c + g*q, 'probability')
    """

    to: str = field(default=None)
    gain: Any = None
    when: Any = None
    visibility: Any = 1
    label: str | None = None
    payer: str | None = field(default=None, init=False, repr=False)
    payee: str | None = field(default=None, init=False, repr=False)
    amount: Any = field(default=None, init=False, repr=False, compare=False)

    _sign_checked = ("gain", "visibility")
    _kind = "reputation"
    _init_fields = ("to", "gain", "when", "visibility", "label")

    def __init__(self, to, gain, when=None, visibility=1, label=None):
        for name, value in (("to", to), ("payee", to), ("payer", None), ("gain", gain), ("visibility", visibility),
                            ("amount", None), ("when", when), ("label", label)):
            object.__setattr__(self, name, value)
        Subsidy._check_recipient(self, "to")
        self._check_fields()
        vis = self.visibility
        if isinstance(vis, sympy.Expr) and vis.is_number and not (0 <= vis <= 1):
            raise ParameterError(f"reputation visibility = {vis} is outside its domain probability [0, 1]")

    def _amount_fields(self):
        return ("gain", "visibility")

    def _parties(self):
        return None, self.to, False

    def _amount_expr(self, game, table, new):
        gain = amount_expression(self.gain, game, table, new, self._new_domain, "reputation gain")
        vis = amount_expression(self.visibility, game, table, new, PROBABILITY, "reputation visibility")
        if gain.is_negative:
            raise ParameterError(f"reputation gain {gain} is negative for every admissible parameter value")
        return vis * gain

    def _who(self):
        return self.to


@dataclass(frozen=True, repr=False)
class Expense(Transfer):
    """A resource cost of ``amount`` that ``on`` pays and nobody receives: enforcement, publicity.

    Inspection, monitoring and publicity campaigns use up resources: unlike a
    :class:`Penalty` (a transfer to the collector) or a :class:`Reputation` gain (free), an expense
    lowers the payer's payoff, or is spent by the outside budget when ``on`` is ``None``, and
    is received by no player. It is what makes an enforcement or publicity instrument cost
    something at full cooperation, where penalties are never paid.

    Parameters
    ----------
    on : str or None
        The player who pays, or ``None`` for the outside budget.
    amount : number, str, sympy.Expr or Parameter
        The cost (nonnegative).
    when : mapping, callable or None
        Where it is spent (for an inspection: wherever the inspecting government is active).

    Examples
    --------
    >>> from coopgame import Game
    >>> from coopgame.policy import outside_spending
    >>> g = Game(["firm"], [["train", "idle"]], {("train",): ["-c"], ("idle",): [0]})
    >>> h = g.with_policy(Penalty("firm", "p*F", when={"firm": "idle"}), Expense(None, "kappa*p"))
    >>> h.payoff("firm", ("idle",)), outside_spending(h, ("train",))
    (-F*p, kappa*p)
    """

    on: str | None = field(default=None)
    amount: Any = None
    when: Any = None
    label: str | None = None
    payer: str | None = field(default=None, init=False, repr=False)
    payee: str | None = field(default=None, init=False, repr=False)

    _sign_checked = ("amount",)
    _kind = "expense"
    _outside_alone = True
    _init_fields = ("on", "amount", "when", "label")

    def __init__(self, on=None, amount=None, when=None, label=None):
        if amount is None:
            raise GameDefinitionError("expense: amount is required")
        for name, value in (("on", on), ("payer", on), ("payee", None), ("amount", amount), ("when", when),
                            ("label", label)):
            object.__setattr__(self, name, value)
        if on is not None:
            Subsidy._check_recipient(self, "on")
        self._check_fields()

    def _parties(self):
        # Spent by ``on`` (or by the outside budget), received by nobody.
        return self.on, None, self.on is None

    def _who(self):
        return self.on if self.on is not None else "outside"


def policy_effects_at(game, profile) -> tuple[PolicyEffect, ...]:
    """The recorded policy effects at one profile (player ``None`` = outside budget)."""
    names = game.profile_names(profile)
    return tuple(e for e in game.policy_effects if e.profile == names)


def outside_spending(game, profile) -> sympy.Expr:
    """Net spending of the outside budget at a profile: what it pays minus what it collects.

    Zero when every instrument is paid and collected by players of the game (for example when
    the government is a player): then spending is part of that player's payoff.

    Examples
    --------
    >>> from coopgame import Game
    >>> g = Game(["firm", "government"], [["train", "idle"], ["active", "passive"]],
    ...          {("train", "active"): [1, 0], ("train", "passive"): [1, 0],
    ...           ("idle", "active"): [0, 0], ("idle", "passive"): [0, 0]})
    >>> h = g.with_policy(Subsidy("firm", 2, when={"firm": "train", "government": "active"},
    ...                           payer="government"))
    >>> outside_spending(h, ("train", "active")), h.payoff("government", ("train", "active"))
    (0, -2)
    """
    total = sympy.Integer(0)
    for e in policy_effects_at(game, profile):
        if e.player is None:
            total -= e.delta
    return sympy.expand(total)


def policy_table(game, *, fmt: str = "markdown") -> str:
    """A table of every payoff change made by the game's policy instruments.

    One row per (profile, player or outside budget, instrument) with the change; then the
    payoff after all instruments. ``fmt`` is ``"markdown"`` or ``"latex"``.

    Examples
    --------
    >>> from coopgame import Game
    >>> g = Game(["firm"], [["train", "idle"]], {("train",): ["-c"], ("idle",): [0]})
    >>> print(policy_table(g.with_policy(Subsidy("firm", "s", when={"firm": "train"}))))
    | profile | party | instrument | change | payoff with policy |
    |---|---|---|---|---|
    | (train) | firm | subsidy firm | +s | -c + s |
    | (train) | outside budget | subsidy firm | -s |  |
    """
    from .core.formatting import latex_table, markdown_table

    header = ["profile", "party", "instrument", "change", "payoff with policy"]
    rows = []
    for profile in game.profiles():
        for e in policy_effects_at(game, profile):
            after = game.payoff(e.player, profile) if e.player is not None else ""
            rows.append(["(" + ", ".join(profile) + ")", e.player if e.player is not None else "outside budget",
                         e.instrument.describe(), _signed(e.delta), after])
    if fmt == "markdown":
        return markdown_table(header, rows)
    if fmt == "latex":
        return latex_table(header, rows)
    raise UnknownNameError(f"unknown table format {fmt!r} (known: markdown, latex)")
