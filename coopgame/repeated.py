"""Repeated games: when does cooperation last?

*Grim trigger, infinite horizon.* A stage game is played in every period and payoffs are
discounted by :math:`\\delta \\in (0, 1)`. Under grim trigger the players play the cooperative
profile :math:`c` until someone deviates, then a punishment profile :math:`p` forever. Player
:math:`i` earns :math:`C_i = u_i(c)` per period by cooperating; its best one-shot deviation
earns :math:`D_i = \\max_{s_i \\ne c_i} u_i(s_i, c_{-i})` once and then the punishment payoff
:math:`P_i` forever. Cooperation is a best reply iff

.. math:: \\frac{C_i}{1-\\delta} \\ge D_i + \\frac{\\delta P_i}{1-\\delta}
    \\iff \\delta \\ge \\delta_i^* = \\frac{D_i - C_i}{D_i - P_i}
    \\quad (\\text{when } D_i > C_i > P_i),

with :math:`\\delta_i^* = 0` when nobody gains from deviating (:math:`D_i \\le C_i`); the
critical discount factor is :math:`\\delta^* = \\max_i \\delta_i^*` [Friedman1971]_. When the
punishment is a Nash equilibrium of the stage game the threat is credible (the strategy
profile is subgame perfect for :math:`\\delta \\ge \\delta^*`); with minmax punishment
:math:`P_i = \\min_{s_{-i}} \\max_{s_i} u_i` (pure strategies) the threshold is the lowest
any grim-trigger punishment can give, the folk-theorem benchmark [FM1986]_.

*Finite horizon.* If the stage game has a unique Nash equilibrium, the finitely repeated game
has a unique subgame-perfect equilibrium: the stage equilibrium in every period
(backward induction; [BK1985]_ for the converse with several stage equilibria).

*Reputation.* See :func:`reputation_condition`.

Examples
--------
The prisoner's dilemma with T, R, P, S = 5, 3, 1, 0: :math:`\\delta^* = (T-R)/(T-P) = 1/2`.

>>> from coopgame import Game
>>> from coopgame.repeated import critical_discount_factor
>>> pd = Game.from_arrays([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], players=["A", "B"],
...                       strategies=[["C", "D"], ["C", "D"]])
>>> critical_discount_factor(pd, ("C", "C")).delta
1/2

References
----------
.. [Friedman1971] J. W. Friedman, "A non-cooperative equilibrium for supergames", Review of
   Economic Studies 38 (1971) 1-12.
.. [FM1986] D. Fudenberg and E. Maskin, "The folk theorem in repeated games with discounting or
   with incomplete information", Econometrica 54 (1986) 533-554.
.. [BK1985] J.-P. Benoit and V. Krishna, "Finitely repeated games", Econometrica 53 (1985)
   905-922.
.. [MR1982] P. Milgrom and J. Roberts, "Predation, reputation, and entry deterrence", Journal of
   Economic Theory 27 (1982) 280-312.
.. [Mailath2006] G. J. Mailath and L. Samuelson, *Repeated Games and Reputations*, Oxford
   University Press (2006), ch. 2.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import sympy

from .core.errors import GameDefinitionError, ParameterError
from .core.exact import FrozenMap, as_expr, decide, relation, substitute, value_map
from .core.parameters import NONNEGATIVE, POSITIVE, PROBABILITY, UNIT_OPEN, Parameter
from .equilibria import deviation_gains, pure_equilibria

__all__ = [
    "DiscountThreshold",
    "critical_discount_factor",
    "FiniteHorizonResult",
    "finite_horizon_unravels",
    "ReputationCondition",
    "reputation_condition",
    "minimum_detection_probability",
]


def _check_delta(delta, name="delta"):
    d = as_expr(delta, name)
    if d.is_number:
        if not (0 < d < 1):
            raise ParameterError(f"discount factor {name} = {d} must lie in the open interval (0, 1)")
    elif sympy.Interval.open(0, 1).contains(d) is sympy.false:
        raise ParameterError(f"discount factor {name} = {d} is provably outside (0, 1)")
    return d


# ---------------------------------------------------------------------------- grim trigger
@dataclass(frozen=True)
class DiscountThreshold:
    """The critical discount factor of grim-trigger cooperation.

    Attributes
    ----------
    players : tuple of str
    cooperative_profile : tuple of str
    punishment : str
        ``"nash"``, ``"minmax"`` or ``"profile"``.
    punishment_profile : tuple of str or None
        The stage profile played after a deviation (``None`` for minmax punishment, which is
        player-specific).
    cooperation : FrozenMap
        Player -> :math:`C_i`, the per-period payoff of cooperating.
    deviation : FrozenMap
        Player -> :math:`D_i`, the best one-shot deviation payoff (sympy ``Max`` when it
        depends on parameters).
    punishment_payoffs : FrozenMap
        Player -> :math:`P_i`.
    per_player : FrozenMap
        Player -> :math:`\\delta_i^*` (a ``Piecewise`` that is 0 where :math:`D_i \\le C_i`, when
        that is not decided); ``None`` for a player whom no discount factor keeps cooperating
        (it gains from deviating and the punishment does not hurt it).
    delta : sympy.Expr or None
        :math:`\\delta^* = \\max_i \\delta_i^*`; ``None`` when the condition is false, i.e. no
        discount factor below 1 sustains cooperation (printed "none"). When the condition is
        symbolic, the expression is meaningful only where the condition holds.
    condition : sympy Boolean
        Cooperation is sustainable for some :math:`\\delta < 1`: for every player,
        :math:`D_i \\le C_i` or :math:`C_i > P_i`.
    punishment_condition : sympy Boolean
        For Nash reversion, the condition under which the punishment profile is a stage Nash
        equilibrium (``sympy.true`` for minmax punishment).
    """

    players: tuple
    cooperative_profile: tuple
    punishment: str
    punishment_profile: tuple | None
    cooperation: FrozenMap
    deviation: FrozenMap
    punishment_payoffs: FrozenMap
    per_player: FrozenMap
    delta: Any
    condition: Any
    punishment_condition: Any

    def holds(self, delta, values=None) -> bool:
        """Whether grim trigger sustains cooperation at discount factor ``delta``.

        True iff the sustainability condition holds and :math:`\\delta \\ge \\delta^*` (the
        punishment condition is checked too for Nash reversion). Values of names that do not
        occur are ignored; a name that occurs without a value raises ParameterError.

        Examples
        --------
        >>> from coopgame import Game
        >>> pd = Game.from_arrays([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], players=["A", "B"],
        ...                       strategies=[["C", "D"], ["C", "D"]])
        >>> th = critical_discount_factor(pd, ("C", "C"))
        >>> th.holds("1/2"), th.holds(0.49)
        (True, False)
        """
        d = _check_delta(delta)
        vmap = value_map(values)
        if not d.is_number:
            d = substitute(d, vmap)
        cond = substitute(self.condition, vmap)
        pcond = substitute(self.punishment_condition, vmap)
        if not decide(cond, "sustainability condition") or not decide(pcond, "punishment condition"):
            return False
        if self.delta is None:
            return False
        threshold = substitute(self.delta, vmap)
        return decide(sympy.Ge(d, threshold), "delta >= delta*")

    def subs(self, values) -> DiscountThreshold:
        """The threshold with parameter values substituted."""
        vmap = value_map(values)

        def m(fm):
            return FrozenMap((k, None if v is None else substitute(v, vmap)) for k, v in fm.items())

        C, D, P = m(self.cooperation), m(self.deviation), m(self.punishment_payoffs)
        per = FrozenMap((k, _none_if_blocked(v, C[k], D[k], P[k])) for k, v in m(self.per_player).items())
        condition = _bool(substitute(self.condition, vmap))
        return DiscountThreshold(
            self.players, self.cooperative_profile, self.punishment, self.punishment_profile,
            C, D, P, per, _overall(per.values(), condition), condition,
            _bool(substitute(self.punishment_condition, vmap)))

    def to_markdown(self) -> str:
        """A table: player, C_i, D_i, P_i, delta_i*."""
        from .core.formatting import markdown_table

        def shown(v):
            return "none" if v is None else v

        rows = [[p, self.cooperation[p], self.deviation[p], self.punishment_payoffs[p], shown(self.per_player[p])]
                for p in self.players]
        table = markdown_table(["player", "cooperation C", "best deviation D", "punishment P", "critical delta"], rows)
        return f"{table}\n\ndelta* = {shown(self.delta)}; sustainable if {self.condition}."


def _bool(c):
    if isinstance(c, sympy.Basic) and not isinstance(c, sympy.Expr) and c not in (sympy.true, sympy.false) \
            and not c.free_symbols:
        return sympy.true if decide(c, "condition") else sympy.false
    return c


def _player_condition(C, D, P):
    """Player i keeps cooperating for some delta < 1: D_i <= C_i or C_i > P_i."""
    return sympy.Or(relation(C - D, strict=False), relation(C - P, strict=True))


def _none_if_blocked(threshold, C, D, P):
    """``None`` where the player's condition is decided false (no discount factor works)."""
    if threshold is None or _bool(_player_condition(C, D, P)) is sympy.false:
        return None
    return threshold


def _overall(per_values, condition):
    """:math:`\\delta^* = \\max_i \\delta_i^*`, or ``None`` when the condition is false."""
    if _bool(condition) is sympy.false:
        return None
    return _max([v for v in per_values if v is not None])


def _max(exprs):
    exprs = list(exprs)
    return exprs[0] if len(exprs) == 1 else sympy.Max(*exprs)


def _player_threshold(C, D, P):
    gain = sympy.expand(D - C)
    no_gain = relation(-gain, strict=False)  # D <= C
    if no_gain is sympy.true:
        return sympy.Integer(0)
    frac = sympy.cancel((D - C) / (D - P)) if sympy.expand(D - P) != 0 else sympy.Integer(1)
    if no_gain is sympy.false:
        return frac
    return sympy.Piecewise((sympy.Integer(0), no_gain), (frac, True))


def critical_discount_factor(game, cooperative_profile, punishment="nash", *, values=None) -> DiscountThreshold:
    """The exact critical discount factor of grim-trigger cooperation, for N players.

    For each player :math:`i`: :math:`\\delta_i^* = (D_i - C_i)/(D_i - P_i)` when it gains from
    deviating (else 0), and :math:`\\delta^* = \\max_i \\delta_i^*`; cooperation is sustained
    for every :math:`\\delta \\in [\\delta^*, 1)` when the condition (:math:`D_i \\le C_i` or
    :math:`C_i > P_i` for all :math:`i`) holds.

    Parameters
    ----------
    game : coopgame.Game
        The stage game, with numeric or symbolic payoffs.
    cooperative_profile : tuple or mapping player -> strategy
    punishment : "nash", "minmax", or a profile
        ``"nash"``: revert to the stage game's pure Nash equilibrium (it must be unique or, for a
        symbolic game, the only profile whose equilibrium condition is not false; otherwise
        name the profile). ``"minmax"``: each deviator is held to its pure-strategy minmax
        payoff. A profile: revert to that profile; its stage-equilibrium condition is
        reported as ``punishment_condition``.
    values : mapping, optional
        Parameter values; the result is then numeric and exact.

    Returns
    -------
    DiscountThreshold

    Raises
    ------
    UnknownNameError
        An unknown strategy or player in a profile.
    GameDefinitionError
        ``"nash"`` when the stage game has no pure equilibrium or several.

    Examples
    --------
    >>> from coopgame import Game
    >>> pd = Game(["A", "B"], [["C", "D"], ["C", "D"]],
    ...           {("C", "C"): ["R", "R"], ("C", "D"): ["S", "T"], ("D", "C"): ["T", "S"], ("D", "D"): ["P", "P"]})
    >>> th = critical_discount_factor(pd, ("C", "C"), punishment=("D", "D"))
    >>> th.per_player["A"]
    Piecewise((0, R >= T), ((R - T)/(P - T), True))
    >>> th.subs({"T": 5, "R": 3, "P": 1, "S": 0}).delta
    1/2
    >>> th.condition
    (R >= T) | (R > P)
    """
    if values:
        game = game.subs(values)
    coop = game.profile_names(cooperative_profile)
    players = game.players
    C = [game.payoff(p, coop) for p in players]
    D = _best_deviation_payoffs(game, coop)
    kind, pun_profile, P, pcond = _punishment(game, punishment)
    per = [_none_if_blocked(_player_threshold(c, d, pp), c, d, pp) for c, d, pp in zip(C, D, P)]
    condition = _bool(sympy.And(*[_player_condition(c, d, pp) for c, d, pp in zip(C, D, P)]))
    return DiscountThreshold(
        players, coop, kind, pun_profile, FrozenMap(zip(players, C)), FrozenMap(zip(players, D)),
        FrozenMap(zip(players, P)), FrozenMap(zip(players, per)), _overall(per, condition), condition, pcond)


def _best_deviation_payoffs(game, coop) -> list:
    """Each player's best payoff from deviating alone from ``coop`` (its payoff there if it has
    no other strategy)."""
    D = []
    for i, p in enumerate(game.players):
        alts = []
        for s in game.strategy_lists[i]:
            if s == coop[i]:
                continue
            dev = list(coop)
            dev[i] = s
            alts.append(game.payoff(p, tuple(dev)))
        D.append(_max(alts) if alts else game.payoff(p, coop))
    return D


def _punishment(game, punishment):
    """``(kind, profile or None, payoffs, condition)`` of the punishment phase: the unique pure
    Nash equilibrium (``"nash"``), each player's minmax payoff (``"minmax"``) or a named profile
    (its condition: no player gains by deviating from it)."""
    if isinstance(punishment, str) and punishment == "nash":
        eqs = pure_equilibria(game)
        if not eqs:
            raise GameDefinitionError("punishment='nash': the stage game has no pure Nash equilibrium; "
                                      "give the punishment profile or use 'minmax'")
        if len(eqs) > 1:
            shown = ", ".join(str(e.profile) for e in eqs)
            raise GameDefinitionError(f"punishment='nash': the stage game has several pure equilibria ({shown}); "
                                      "name the one to revert to")
        return "nash", eqs[0].profile, list(game.payoffs(eqs[0].profile)), eqs[0].condition
    if isinstance(punishment, str) and punishment == "minmax":
        return "minmax", None, _minmax_payoffs(game), sympy.true
    if isinstance(punishment, str):
        raise ParameterError(f"punishment must be 'nash', 'minmax' or a profile, got {punishment!r}")
    pun_profile = game.profile_names(punishment)
    rels = [relation(d, strict=False) for _, _, d in deviation_gains(game, pun_profile)]
    return "profile", pun_profile, list(game.payoffs(pun_profile)), sympy.And(*rels) if rels else sympy.true


def _minmax_payoffs(game) -> list:
    """Each player's minmax payoff in pure strategies: the others minimise its best reply."""
    n = len(game.players)
    P = []
    for i, p in enumerate(game.players):
        others = [game.strategy_lists[k] for k in range(n) if k != i]
        worst = []
        for other in itertools.product(*others):
            best = []
            for s in game.strategy_lists[i]:
                prof = list(other)
                prof.insert(i, s)
                best.append(game.payoff(p, tuple(prof)))
            worst.append(_max(best))
        P.append(sympy.Min(*worst) if len(worst) > 1 else worst[0])
    return P


# ---------------------------------------------------------------------------- finite horizon
@dataclass(frozen=True)
class FiniteHorizonResult:
    """Backward induction in a finitely repeated game.

    Attributes
    ----------
    horizon : int
        Number of periods :math:`T`.
    unravels : bool
        True when the stage game has a unique Nash equilibrium, so that the only
        subgame-perfect equilibrium plays it in every period; False when every player has two
        stage equilibria with different payoffs to it (then, for long enough horizons, other
        play can be sustained before the last periods, [BK1985]_).
    stage_equilibrium : tuple or None
        The unique stage equilibrium when ``unravels``: strategy names, or (when it is mixed)
        one probability vector per player.
    path : tuple of tuple
        The equilibrium path (the stage equilibrium ``horizon`` times) when ``unravels``, else ().
    reason : str
    """

    horizon: int
    unravels: bool
    stage_equilibrium: tuple | None
    path: tuple
    reason: str


def _iterated_strict_dominance(game) -> tuple[tuple[str, ...], ...]:
    """Surviving pure strategies after iterated elimination of strictly dominated pure strategies."""
    alive = [list(s) for s in game.strategy_lists]
    changed = True
    while changed:
        changed = False
        for i, p in enumerate(game.players):
            others = [alive[k] for k in range(len(alive)) if k != i]
            for s in list(alive[i]):
                for t in alive[i]:
                    if t == s:
                        continue
                    dominated = True
                    for other in itertools.product(*others):
                        ps, pt = list(other), list(other)
                        ps.insert(i, s)
                        pt.insert(i, t)
                        if not game.payoff(p, tuple(pt)) > game.payoff(p, tuple(ps)):
                            dominated = False
                            break
                    if dominated:
                        alive[i].remove(s)
                        changed = True
                        break
    return tuple(tuple(a) for a in alive)


def finite_horizon_unravels(game, horizon: int, *, values=None) -> FiniteHorizonResult:
    """Whether cooperation unravels in the ``horizon``-fold repetition of ``game``.

    Theorem (backward induction): if the stage game has a unique Nash equilibrium :math:`e`,
    the finitely repeated game has a unique subgame-perfect equilibrium, and it plays :math:`e`
    in every period. In the last period any subgame-perfect play is a stage equilibrium, hence
    :math:`e` whatever happened before; so period :math:`T-1` is the stage game plus a constant
    and again must play :math:`e`; and so on back to period 1.

    Uniqueness is certified exactly by iterated elimination of strictly dominated pure
    strategies leaving one profile (which then is the unique equilibrium, mixed ones included)
    or, for two players, by the exact and complete enumeration of
    :func:`coopgame.equilibria.nash_equilibria` (the unique equilibrium may then be mixed and
    is given as probability vectors). When every player has two stage equilibria with
    different payoffs to it, the conclusion fails: threats to switch to a worse equilibrium can
    sustain other play early on [BK1985]_, and ``unravels`` is False. Stage games for which
    neither can be established are reported as errors rather than guessed.

    Parameters
    ----------
    game : coopgame.Game
        The stage game; numeric, or made numeric by ``values``.
    horizon : int
        Number of periods, at least 1.

    Examples
    --------
    >>> from coopgame import Game
    >>> pd = Game.from_arrays([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], players=["A", "B"],
    ...                       strategies=[["C", "D"], ["C", "D"]])
    >>> r = finite_horizon_unravels(pd, 3)
    >>> r.unravels, r.path
    (True, (('D', 'D'), ('D', 'D'), ('D', 'D')))
    """
    if isinstance(horizon, bool) or not isinstance(horizon, int) or horizon < 1:
        raise ParameterError(f"horizon must be a positive integer, got {horizon!r}")
    if values:
        game = game.subs(values)
    if not game.is_numeric:
        missing = ", ".join(sorted(repr(s.name) for s in game.free_symbols))
        raise ParameterError(f"finite_horizon_unravels needs numeric payoffs; give values for {missing}")
    alive = _iterated_strict_dominance(game)
    if all(len(a) == 1 for a in alive):
        e = tuple(a[0] for a in alive)
        return FiniteHorizonResult(horizon, True, e, tuple(e for _ in range(horizon)),
                                   "the stage game is dominance-solvable: its unique Nash equilibrium is played in "
                                   "every period (backward induction)")
    eqs = pure_equilibria(game)
    if len(eqs) >= 2 and _separated(game, [game.payoffs(e.profile) for e in eqs]):
        shown = ", ".join(str(e.profile) for e in eqs)
        return FiniteHorizonResult(horizon, False, None, (),
                                   f"the stage game has {len(eqs)} pure equilibria ({shown}) that every player "
                                   "ranks differently; threats to switch between them can sustain other play "
                                   "before the last periods")
    if len(game.players) == 2:
        found = _two_player_verdict(game, horizon)
        if found is not None:
            return found
    raise GameDefinitionError("finite_horizon_unravels: neither a unique stage equilibrium nor, for every player, "
                              "two stage equilibria with different payoffs could be established")


def _separated(game, payoff_list) -> bool:
    """Benoit–Krishna: every player has two equilibria (of ``payoff_list``) it ranks differently."""
    return all(len({pay[i] for pay in payoff_list}) >= 2 for i in range(len(game.players)))


def _two_player_verdict(game, horizon):
    """For two players, the complete exact enumeration of the extreme equilibria (mixed ones
    included): a unique one unravels, two ranked differently by each player do not; else None."""
    import warnings

    from .core.errors import CoopgameWarning
    from .equilibria import nash_equilibria

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        all_eqs = nash_equilibria(game, method="vertex")
    degenerate = any(issubclass(w.category, CoopgameWarning) for w in caught)
    if len(all_eqs) == 1 and not degenerate and all(not isinstance(x, float) for v in all_eqs[0].profile
                                                     for x in v):
        e = all_eqs[0].profile
        return FiniteHorizonResult(horizon, True, e, tuple(e for _ in range(horizon)),
                                   "exact enumeration finds a unique stage equilibrium (mixed strategies as "
                                   "probability vectors); it is played in every period (backward induction)")
    if len(all_eqs) >= 2 and _separated(game, [tuple(e.payoffs) for e in all_eqs]):
        return FiniteHorizonResult(horizon, False, None, (),
                                   f"the stage game has {len(all_eqs)} equilibria that every player ranks "
                                   "differently; threats to switch between them can sustain other play before "
                                   "the last periods")
    return None


# ---------------------------------------------------------------------------- reputation
_G = Parameter("g", "one-period gain from exploiting the partner", domain=NONNEGATIVE)
_V = Parameter("V", "per-period value of being trusted (cooperation rent lost when caught)", domain=POSITIVE)
_P = Parameter("p", "probability that exploitation is observed by future partners", domain=PROBABILITY)
_D = Parameter("delta", "discount factor", domain=UNIT_OPEN)


@dataclass(frozen=True)
class ReputationCondition:
    """The condition for honest behaviour under reputation, with its thresholds.

    Attributes
    ----------
    gain, reputation_value, detection_probability, delta : sympy.Expr
        :math:`g`, :math:`V`, :math:`p`, :math:`\\delta` (symbols unless given values).
    condition : sympy Boolean
        :math:`p \\delta V \\ge (1 - \\delta) g`.
    minimum_detection_probability : sympy.Expr
        :math:`p^* = (1-\\delta) g / (\\delta V)` (honesty needs :math:`p \\ge p^*`; impossible
        when :math:`p^* > 1`).
    critical_discount_factor : sympy.Expr
        :math:`\\delta^* = g / (g + p V)`.
    minimum_reputation_value : sympy.Expr
        :math:`V^* = (1-\\delta) g / (p \\delta)`.
    """

    gain: sympy.Expr
    reputation_value: sympy.Expr
    detection_probability: sympy.Expr
    delta: sympy.Expr
    condition: Any
    minimum_detection_probability: sympy.Expr
    critical_discount_factor: sympy.Expr
    minimum_reputation_value: sympy.Expr

    def holds(self, values=None) -> bool:
        """Whether honesty is optimal at the given values (exact)."""
        return decide(substitute(self.condition, value_map(values)), "reputation condition")

    def subs(self, values) -> ReputationCondition:
        """The condition with values substituted."""
        vmap = value_map(values)
        return ReputationCondition(*(substitute(getattr(self, f), vmap) for f in (
            "gain", "reputation_value", "detection_probability", "delta")),
            _bool(substitute(self.condition, vmap)),
            *(substitute(getattr(self, f), vmap) for f in (
                "minimum_detection_probability", "critical_discount_factor", "minimum_reputation_value")))


def _param_expr(value, param: Parameter, what: str):
    if value is None:
        return param.symbol
    if isinstance(value, str) and value.isidentifier():
        return Parameter(value, param.meaning, domain=param.domain).symbol
    expr = as_expr(value, what)
    if expr.is_number:
        return param.check(expr) if param.name != "delta" else _check_delta(expr)
    return expr


def reputation_condition(gain=None, reputation_value=None, detection_probability=None, delta=None, *,
                         values=None) -> ReputationCondition:
    """The condition under which an enterprise stays honest because of its reputation.

    Model. In every period an enterprise cooperating with schools and students earns, while
    trusted, a rent :math:`V > 0` per period over what it gets without partners (the
    *reputation value*). It may instead exploit its partners (interns as cheap labour, nominal
    participation) for an extra one-period gain :math:`g \\ge 0`. Each act of exploitation is
    observed by future partners with probability :math:`p`; once observed the enterprise is no
    longer trusted and loses the rent forever. Payoffs are discounted by :math:`\\delta`.

    Honesty is optimal iff no one-period deviation pays (the one-shot deviation principle for
    this stationary problem): exploiting now gains :math:`g` and loses, with probability
    :math:`p`, the discounted rent stream :math:`\\delta V / (1-\\delta)` from the next period:

    .. math:: p\\, \\frac{\\delta V}{1 - \\delta} \\ge g \\iff p \\delta V \\ge (1-\\delta) g.

    It gives the smallest detection probability :math:`p^* = (1-\\delta)g/(\\delta V)`, the
    critical discount factor :math:`\\delta^* = g/(g + pV)` and the smallest reputation value
    :math:`V^* = (1-\\delta)g/(p\\delta)`. It is the same condition as comparing honesty forever,
    :math:`V/(1-\\delta)`, with exploiting in every period until caught,
    :math:`(V + g)/(1 - \\delta(1-p))` (rents measured over the no-partner payoff).

    Parameters
    ----------
    gain, reputation_value, detection_probability, delta : number, expression or str, optional
        :math:`g`, :math:`V`, :math:`p`, :math:`\\delta`; an identifier names the symbol to use;
        default symbols ``g``, ``V``, ``p``, ``delta`` with domains nonnegative, positive,
        [0, 1] and (0, 1).
    values : mapping, optional
        Values to substitute.

    Examples
    --------
    >>> r = reputation_condition()
    >>> r.condition
    V*delta*p >= g*(1 - delta)
    >>> r.minimum_detection_probability
    g*(1 - delta)/(V*delta)
    >>> reputation_condition(gain=10, reputation_value=4, delta="9/10").minimum_detection_probability
    5/18
    """
    g = _param_expr(gain, _G, "gain")
    V = _param_expr(reputation_value, _V, "reputation value")
    p = _param_expr(detection_probability, _P, "detection probability")
    d = _param_expr(delta, _D, "delta")
    if V.is_number and V <= 0:
        raise ParameterError(f"reputation value V = {V} must be positive")
    lhs, rhs = p * d * V, (1 - d) * g
    if (lhs - rhs).is_number:
        cond = sympy.true if lhs - rhs >= 0 else sympy.false
    else:
        cond = sympy.GreaterThan(lhs, rhs, evaluate=False)
    p_min = (1 - d) * g / (d * V)
    d_min = sympy.Integer(0) if g == 0 else g / (g + p * V)
    if p == 0:  # nothing is ever observed: no reputation value is enough unless there is no gain
        v_min = sympy.Integer(0) if g == 0 else sympy.oo
    else:
        v_min = (1 - d) * g / (p * d)
    r = ReputationCondition(g, V, p, d, cond, p_min, d_min, v_min)
    return r.subs(values) if values else r


def minimum_detection_probability(gain=None, reputation_value=None, delta=None) -> sympy.Expr:
    """:math:`p^* = (1-\\delta) g / (\\delta V)`, the smallest detection probability for honesty.

    See :func:`reputation_condition` for the model.

    Examples
    --------
    >>> minimum_detection_probability(10, 4, "9/10")
    5/18
    """
    return reputation_condition(gain, reputation_value, None, delta).minimum_detection_probability

