"""The symbolic interior (mixed) equilibrium of a 2x2 game in closed form.
"""

from __future__ import annotations

import sympy

from ..core.errors import (
    GameDefinitionError,
)
from ..core.exact import relation
from .result import Equilibrium


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
