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
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy

from .core.errors import ParameterError, UnknownNameError
from .core.parameters import POSITIVE, REAL, Parameter, to_exact

__all__ = ["ProspectTheory", "TverskyKahneman", "Prelec", "value_function"]


def _exact(value, what):
    from .policy import _exact_amount

    return _exact_amount(value, what)


def _expr(value, game, table, new, domain, what):
    from .policy import _to_expr

    return _to_expr(value, game, table, new, domain, what)


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
            object.__setattr__(self, "gamma", _exact(self.gamma, "Tversky-Kahneman gamma"))

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
                object.__setattr__(self, attr, _exact(getattr(self, attr), f"Prelec {attr}"))

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
                value = _exact(value, f"prospect theory {attr}")
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
            players = (self.players,) if isinstance(self.players, str) else tuple(self.players)
            object.__setattr__(self, "players", players)

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
        from .policy import PolicyEffect

        players = game.players if self.players is None else self.players
        for p in players:
            if p not in game.players:
                raise UnknownNameError(f"{self.describe()}: unknown player {p!r} (players: {', '.join(game.players)})")
        params = {p.name: p for p in game.parameters}
        table = {name: p.symbol for name, p in params.items()}
        new: dict = {}
        alpha = _expr(self.alpha, game, table, new, POSITIVE, "prospect theory alpha")
        beta = _expr(self.beta, game, table, new, POSITIVE, "prospect theory beta")
        lam = _expr(self.loss_aversion, game, table, new, POSITIVE, "prospect theory loss_aversion")
        ref = _expr(self.reference, game, table, new, REAL, "prospect theory reference")
        weights = {}
        if self.weighting is not None:
            for name in self.probabilities:
                if name not in table:
                    raise UnknownNameError(f"{self.describe()}: the probability {name!r} is not a parameter of the game")
                dom = params[name].domain if name in params else None
                if dom is not None and not _within_unit(dom):
                    raise ParameterError(f"{self.describe()}: {name!r} has domain {dom.name}, not a probability's")
                fields = {k: _expr(v, game, table, new, POSITIVE, f"weighting {k}")
                          for k, v in self.weighting._fields()}
                weights[table[name]] = self.weighting.weight(table[name], **fields)
        params.update(new)
        positive_weights = {p: sympy.Dummy(p.name, nonnegative=True) for p in weights}
        index = [game.players.index(p) for p in players]
        rows, effects = [], list(game.policy_effects)
        for profile in game.profiles():
            row = list(game.payoffs(profile))
            for i in index:
                objective = row[i].xreplace(weights) if weights else row[i]
                # a weight lies in [0, 1] like the probability: decide the sign with it as a number >= 0
                hint = row[i].xreplace(positive_weights) - ref if weights else None
                perceived = value_function(objective, alpha, beta, lam, ref, sign_of=hint)
                perceived = sympy.nsimplify(perceived) if perceived.is_number and perceived.has(sympy.Float) \
                    else perceived
                if perceived != row[i]:
                    effects.append(PolicyEffect(self, game.players[i], tuple(profile), perceived - row[i]))
                row[i] = perceived
            rows.append(tuple(row))
        return type(game)._from_parts(game.players, game.strategy_lists, tuple(rows), params,
                                      tuple(game.policies) + (self,), tuple(effects), game.name)


def _within_unit(domain) -> bool:
    return bool(domain.interval.is_subset(sympy.Interval(0, 1)))
