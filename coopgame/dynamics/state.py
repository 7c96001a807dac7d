"""State-dependent payoffs: the replicator state symbols used inside a game's payoffs.

A *dynamic* reward or penalty depends on the population state, e.g. the penalty
:math:`P(1 - x_e)` on a nominally participating enterprise grows as fewer enterprises take part
(the standard remedy for oscillating cooperation in the evolutionary-game literature on
school-enterprise cooperation). Such a game is written with the replicator state symbols of
:class:`~coopgame.dynamics.replicator.ReplicatorDynamics`: ``x_<role>`` for the share of a
two-strategy role's first strategy, ``x_<role>_<strategy>`` for the first :math:`n - 1`
strategies of a role with :math:`n > 2` (characters outside letters, digits and ``_`` become
``_``). Every payoff must stay a polynomial in these symbols.

The replicator system, its rest points, exact Jacobians and stability handle them (the payoff
of a strategy becomes a function of the whole state, including the role's own share); analyses
that need a normal-form game raise :class:`~coopgame.errors.StateDependentGameError`.

Examples
--------
>>> from coopgame import Game
>>> from coopgame.dynamics.state import state_dependent_terms
>>> g = Game.bimatrix([["1 - x_column", 0], [0, 1]], [[1, 0], [0, 1]], players=("row", "column"))
>>> [(t.player, t.profile, str(t.term)) for t in state_dependent_terms(g)]
[('row', ('s1', 's1'), '1 - x_column')]
>>> g.pure_equilibria()
Traceback (most recent call last):
...
coopgame.errors.StateDependentGameError: pure Nash equilibria need a normal-form game, but the payoff of 'row' at ('s1', 's1') is 1 - x_column, which uses the replicator state x_column; analyse it with game.replicator()
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sympy

from ..core.errors import GameDefinitionError, StateDependentGameError

__all__ = ["StateTerm", "state_names", "state_symbols", "state_dependent_terms", "is_state_dependent", "require_static",
           "check_polynomial", "at_profile"]


def _clean(name: str) -> str:
    return re.sub(r"\W", "_", name)


def state_names(game) -> dict:
    """The replicator state names of a game's roles: ``{name: (player, strategy)}``.

    Examples
    --------
    >>> from coopgame import Game
    >>> state_names(Game.bimatrix([[1, 0], [0, 1]], [[1, 0], [0, 1]]))
    {'x_row': ('row', 's1'), 'x_column': ('column', 's1')}
    """
    out = {}
    for player, strategies in zip(game.players, game.strategy_lists):
        if len(strategies) == 2:
            out[f"x_{_clean(player)}"] = (player, strategies[0])
        elif len(strategies) > 2:
            for s in strategies[:-1]:
                out[f"x_{_clean(player)}_{_clean(s)}"] = (player, s)
    return out


@dataclass(frozen=True)
class StateTerm:
    """A payoff that uses the replicator state: who receives it, at which profile, the term."""

    player: str
    profile: tuple
    term: sympy.Expr
    symbols: tuple


def state_symbols(game) -> tuple:
    """The game's symbols that are replicator state symbols, sorted by name."""
    names = state_names(game)
    return tuple(sorted((s for s in game.free_symbols if s.name in names), key=lambda s: s.name))


def state_dependent_terms(game) -> tuple:
    """Every payoff of the game that uses a replicator state symbol, in profile order."""
    syms = set(state_symbols(game))
    if not syms:
        return ()
    out = []
    for profile in game.profiles():
        for player, value in zip(game.players, game.payoffs(profile)):
            used = value.free_symbols & syms
            if used:
                out.append(StateTerm(player, tuple(profile), value,
                                     tuple(sorted(s.name for s in used))))
    return tuple(out)


def is_state_dependent(game) -> bool:
    """Whether any payoff of the game uses a replicator state symbol."""
    return bool(state_symbols(game))


def require_static(game, analysis: str) -> None:
    """Raise :class:`StateDependentGameError` if the game's payoffs use the state.

    Parameters
    ----------
    game : Game
    analysis : str
        What needs the normal-form game (named in the message).
    """
    terms = state_dependent_terms(game)
    if terms:
        t = terms[0]
        raise StateDependentGameError(
            f"{analysis} need a normal-form game, but the payoff of {t.player!r} at {t.profile!r} is {t.term}, "
            f"which uses the replicator state {', '.join(t.symbols)}; analyse it with game.replicator()"
        )


def check_polynomial(game) -> None:
    """Raise :class:`GameDefinitionError` unless every payoff is polynomial in the state symbols."""
    syms = state_symbols(game)
    for t in state_dependent_terms(game):
        if not t.term.is_polynomial(*syms):
            raise GameDefinitionError(
                f"the payoff of {t.player!r} at {t.profile!r} is {t.term}, which is not a polynomial in the "
                f"replicator state {', '.join(t.symbols)}; state-dependent payoffs must be polynomials in the state"
            )


def at_profile(game, expr, profile):
    """``expr`` with the state symbols set to the vertex of the pure ``profile`` (exact).

    Examples
    --------
    >>> from coopgame import Game
    >>> g = Game.bimatrix([["1 - x_column", 0], [0, 1]], [[1, 0], [0, 1]], players=("row", "column"))
    >>> at_profile(g, g.payoff("row", ("s1", "s1")), ("s1", "s2"))
    1
    """
    names = state_names(game)
    profile = game.profile_names(profile)
    chosen = dict(zip(game.players, profile))
    sub = {}
    for s in expr.free_symbols:
        if s.name in names:
            player, strategy = names[s.name]
            sub[s] = sympy.Integer(1 if chosen[player] == strategy else 0)
    return expr.xreplace(sub) if sub else expr
