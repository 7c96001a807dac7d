"""Evolutionary dynamics: multi-population replicator systems with exact stability analysis.

:class:`ReplicatorDynamics` builds the replicator equations of a game (one population per player
role), finds its rest points, tabulates their stability exactly (:class:`StabilityTable`) and
integrates many trajectories at once (:class:`Trajectories`, :class:`Basins`).

Examples
--------
>>> from coopgame import Game
>>> from coopgame.dynamics import ReplicatorDynamics, Stability
>>> pd = Game.from_arrays([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], players=["A", "B"],
...                       strategies=[["C", "D"], ["C", "D"]])
>>> table = ReplicatorDynamics(pd).stability()
>>> [(r.point.profile, r.stability.name) for r in table]
[(('C', 'C'), 'UNSTABLE'), (('C', 'D'), 'SADDLE'), (('D', 'C'), 'SADDLE'), (('D', 'D'), 'ASYMPTOTICALLY_STABLE')]
"""

from .bifurcation import Bifurcation, bifurcation
from .cases import CaseTable, cases, check_assumptions, decide_signs
from .replicator import ReplicatorDynamics
from .sensitivity import Sensitivity, Switch, sensitivity
from .simulate import Basins, Trajectories, basins, simulate
from .stability import RestPoint, Stability, StabilityRow, StabilityTable, classify, hurwitz_condition

__all__ = [
    "ReplicatorDynamics",
    "RestPoint",
    "Stability",
    "StabilityRow",
    "StabilityTable",
    "Trajectories",
    "Basins",
    "simulate",
    "basins",
    "classify",
    "hurwitz_condition",
    "Sensitivity",
    "Switch",
    "sensitivity",
    "Bifurcation",
    "bifurcation",
    "CaseTable",
    "cases",
    "check_assumptions",
    "decide_signs",
]
