"""Comparative statics: how a threshold moves when the other parameters change.

For a threshold :math:`x^*(\\theta)` (the smallest subsidy, say, as a function of costs and
gains), :func:`comparative_statics` gives :math:`\\partial x^* / \\partial \\theta_j` exactly for
every other parameter :math:`\\theta_j`, with its sign decided from the parameters' domains, or,
when ``values`` are given, at that point.

Examples
--------
>>> import sympy
>>> from coopgame.analysis import threshold
>>> R, C = sympy.symbols("R C", positive=True)
>>> s = sympy.Symbol("s", nonnegative=True)
>>> table = comparative_statics(threshold(s + R > 2 * C, s), values={"R": 1, "C": 3})
>>> for row in table.rows:
...     print(row.parameter, row.derivative, row.sign.value)
C 2 positive
R -1 negative
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sympy

from ..core.errors import SolverError
from ..core.parameters import to_exact
from .thresholds import Threshold

__all__ = ["Sign", "StaticsRow", "StaticsTable", "comparative_statics"]


class Sign(enum.Enum):
    """The sign of a derivative."""

    POSITIVE = "positive"
    NEGATIVE = "negative"
    ZERO = "zero"
    NONNEGATIVE = "nonnegative"
    NONPOSITIVE = "nonpositive"
    UNDETERMINED = "undetermined"


def _sign(expr) -> Sign:
    # The derivative of Max/Min brings in Heaviside steps, which are never negative.
    steps = expr.atoms(sympy.Heaviside)
    if steps:
        expr = expr.xreplace({h: sympy.Dummy("H", nonnegative=True) for h in steps})
    if expr.is_zero:
        return Sign.ZERO
    if expr.is_positive:
        return Sign.POSITIVE
    if expr.is_negative:
        return Sign.NEGATIVE
    if expr.is_nonnegative:
        return Sign.NONNEGATIVE
    if expr.is_nonpositive:
        return Sign.NONPOSITIVE
    return Sign.UNDETERMINED


@dataclass(frozen=True)
class StaticsRow:
    """One parameter's effect on the threshold."""

    parameter: Any
    derivative: Any
    sign: Sign


@dataclass(frozen=True)
class StaticsTable:
    """The derivative of a threshold with respect to each other parameter."""

    quantity: Any
    with_respect_to: Any
    rows: tuple
    values: tuple = ()

    def row(self, name) -> StaticsRow:
        """The row of the named parameter."""
        for r in self.rows:
            if r.parameter.name == name:
                return r
        raise SolverError(f"no row for parameter {name!r}")

    def to_markdown(self) -> str:
        """The table in Markdown."""
        from ..core.formatting import markdown_table

        return markdown_table(["parameter", f"d{self.with_respect_to}*/d(parameter)", "sign"],
                              [[r.parameter, r.derivative, r.sign.value] for r in self.rows])

    def to_latex(self) -> str:
        """The table as a LaTeX ``tabular``."""
        from ..core.formatting import latex_table

        return latex_table(["parameter", "derivative", "sign"],
                           [[r.parameter, r.derivative, r.sign.value] for r in self.rows])


def comparative_statics(quantity, values: Mapping | None = None, *, bound: str = "infimum") -> StaticsTable:
    """Derivatives of a threshold (or any expression) with respect to each of its parameters.

    Parameters
    ----------
    quantity : Threshold or sympy.Expr
        A :class:`~coopgame.analysis.thresholds.Threshold` (its ``infimum``, or its ``supremum``
        with ``bound="supremum"``) or an expression.
    values : mapping, optional
        A point at which to evaluate the derivatives (exactly); without it they stay symbolic
        and their signs come from the parameters' assumptions.

    Returns
    -------
    StaticsTable
        One row per parameter (sorted by name) with the exact derivative and its :class:`Sign`.
    """
    if isinstance(quantity, Threshold):
        expr = quantity.infimum if bound == "infimum" else quantity.supremum
        x = quantity.parameter
    elif isinstance(quantity, sympy.Expr):
        expr, x = quantity, None
    else:
        raise SolverError(f"expected a Threshold or an expression, got {quantity!r}")
    if bound not in ("infimum", "supremum"):
        raise SolverError(f"bound must be 'infimum' or 'supremum', got {bound!r}")
    if expr.has(sympy.oo, -sympy.oo, sympy.nan):
        raise SolverError(f"the threshold's {bound} {expr} is not finite in every case")
    symbols = sorted(expr.free_symbols - ({x} if x is not None else set()), key=lambda s: s.name)
    subs = {}
    for key, value in (values or {}).items():
        name = key if isinstance(key, str) else key.name
        for s in symbols:
            if s.name == name:
                subs[s] = to_exact(value, name=f"parameter {name!r}")
    rows = []
    for s in symbols:
        d = sympy.diff(expr, s)
        if subs:
            d = d.xreplace(subs)
        d = sympy.simplify(d)
        rows.append(StaticsRow(s, d, _sign(d)))
    return StaticsTable(expr, x if x is not None else "quantity", tuple(rows),
                        tuple(sorted((k.name, v) for k, v in subs.items())))
