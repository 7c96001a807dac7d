"""Policy analysis: thresholds, cheapest policy mixes, comparative statics and grid sweeps.

Symbolic questions (:func:`threshold`, :func:`minimum_instrument`, :func:`cheapest_policy`,
:func:`comparative_statics`) are answered exactly with sympy; numeric questions over many parameter
values (:func:`sweep`, :func:`classify_regimes`) compile the expressions once with ``lambdify`` and
evaluate whole arrays with numpy.
"""

from .thresholds import Threshold, ThresholdCase, minimum_instrument, strict_nash_condition, threshold

__all__ = [
    "Threshold",
    "ThresholdCase",
    "threshold",
    "minimum_instrument",
    "strict_nash_condition",
]
