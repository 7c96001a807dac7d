"""Policy analysis: thresholds, cheapest policy mixes, comparative statics and grid sweeps.

Symbolic questions (:func:`threshold`, :func:`minimum_instrument`, :func:`cheapest_policy`,
:func:`comparative_statics`) are answered exactly with sympy; numeric questions over many parameter
values (:func:`sweep`, :class:`RegimeClassifier`) compile the expressions once with ``lambdify``
and evaluate whole arrays with numpy.
"""

from .cheapest import CheapestPolicy, cheapest_policy
from .regimes import Regime, RegimeClassifier, RegimeLegend, VertexStability, vertex_stability
from .statics import Sign, StaticsRow, StaticsTable, comparative_statics
from .sweep import Axis, SweepKind, SweepResult, exact_linspace, sweep
from .thresholds import Threshold, ThresholdCase, minimum_instrument, strict_nash_condition, threshold

__all__ = [
    "Threshold",
    "ThresholdCase",
    "threshold",
    "minimum_instrument",
    "strict_nash_condition",
    "cheapest_policy",
    "CheapestPolicy",
    "comparative_statics",
    "StaticsTable",
    "StaticsRow",
    "Sign",
    "sweep",
    "SweepResult",
    "SweepKind",
    "Axis",
    "exact_linspace",
    "Regime",
    "RegimeLegend",
    "RegimeClassifier",
    "VertexStability",
    "vertex_stability",
]
