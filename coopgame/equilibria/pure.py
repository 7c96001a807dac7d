"""Pure Nash equilibria with the exact conditions under which they hold.

A pure profile :math:`s` is a Nash equilibrium when no player gains by deviating alone; with
symbolic payoffs each deviation inequality is a condition on the parameters and
:func:`pure_equilibria` returns their conjunction, exactly.
"""

from __future__ import annotations

import sympy

from ..core.exact import conjunction, relation
from .result import Equilibria, Equilibrium


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


def pure_condition(game, profile, strict: bool = False) -> sympy.Basic:
    """The exact condition under which the pure ``profile`` is a (strict) Nash equilibrium.

    The conjunction of its deviation inequalities (:func:`deviation_gains`), the condition
    :func:`pure_equilibria` reports for the profile; ``sympy.false`` when it can never hold.

    Examples
    --------
    >>> from coopgame import Game
    >>> g = Game(["A", "B"], [["x", "y"], ["x", "y"]],
    ...          {("x", "x"): ["a", "a"], ("x", "y"): [0, 0], ("y", "x"): [0, 0], ("y", "y"): [1, 1]})
    >>> pure_condition(g, ("x", "x"), strict=True)
    a > 0
    """
    return conjunction([relation(d, strict) for _, _, d in deviation_gains(game, profile)])


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
    Equilibria
        A list of :class:`Equilibrium` that displays as one table, in profile order; profiles whose condition is identically false (numerically, from the
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
    from ..dynamics.state import require_static

    require_static(game, "pure Nash equilibria")  # a state-dependent game has no normal form
    out = Equilibria()
    for profile in game.profiles():
        cond = pure_condition(game, profile, strict)
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
