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

One algorithm per module, as nashpy's ``algorithms/``:

==========================  ==============================================================
:mod:`.result`              :class:`Equilibrium`, the result type
:mod:`.pure`                :func:`pure_equilibria`, :func:`pure_condition`,
                            :func:`deviation_gains` (exact conditions)
:mod:`.certificate`         :func:`is_nash`, :func:`regret` (the best-response certificate)
:mod:`.vertex`              two-player exact vertex enumeration
:mod:`.pivoting`            two-player vertex search by batched pivoting (tried first)
:mod:`.lemke_howson`        Lemke-Howson with a bounded number of pivots
:mod:`.supports`            exact equilibria recomputed from floating-point supports
:mod:`.polynomial`          N players with two strategies: indifference polynomials
:mod:`.nash`                :func:`nash_equilibria`, choosing among the above and verifying
:mod:`.two_by_two`          :func:`mixed_equilibrium_2x2`, the closed form
==========================  ==============================================================

:func:`relation` (a condition written as papers write it) lives in :mod:`coopgame.core.exact`
and is re-exported here, where it has always been importable.

Examples
--------
>>> from coopgame import Game, pure_equilibria
>>> pd = Game.from_arrays([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], players=["A", "B"],
...                       strategies=[["C", "D"], ["C", "D"]])
>>> [e.profile for e in pure_equilibria(pd)]
[('D', 'D')]
"""

from __future__ import annotations

from ..core.exact import relation
from .certificate import DEFAULT_RTOL, is_nash, regret
from .nash import DEFAULT_MAX_SUPPORTS, nash_equilibria
from .pure import deviation_gains, pure_condition, pure_equilibria
from .result import Equilibria, Equilibrium
from .two_by_two import mixed_equilibrium_2x2

__all__ = [
    "Equilibria",
    "Equilibrium",
    "pure_equilibria",
    "pure_condition",
    "deviation_gains",
    "relation",
    "is_nash",
    "regret",
    "nash_equilibria",
    "mixed_equilibrium_2x2",
    "DEFAULT_RTOL",
    "DEFAULT_MAX_SUPPORTS",
]
