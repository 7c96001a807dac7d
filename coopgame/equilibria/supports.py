"""Exact equilibria recomputed from the supports of floating-point ones (nashpy, Lemke-Howson).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from ..core.exact import solve_rational


def _normalise_float(x):
    x = np.clip(np.asarray(x, dtype=float), 0, None)
    total = x.sum()
    return x / total if total > 0 else None


def _exact_from_supports(Ax, Bx, x, y):
    """Recompute a float equilibrium exactly from its supports (square, nonsingular systems only)."""
    rows = [i for i, p in enumerate(x) if p > 1e-9]
    cols = [j for j, p in enumerate(y) if p > 1e-9]
    if len(rows) != len(cols):
        return None
    k = len(rows)
    one, zero = Fraction(1), Fraction(0)
    # unknowns (y_J, v): A[I, J] y - v = 0, sum y = 1; likewise (x_I, w) from B[I, J]^T.
    My = [[Ax[i][j] for j in cols] + [-one] for i in rows] + [[one] * k + [zero]]
    Mx = [[Bx[i][j] for i in rows] + [-one] for j in cols] + [[one] * k + [zero]]
    rhs = [zero] * k + [one]
    ys, xs = solve_rational(My, rhs), solve_rational(Mx, rhs)
    if ys is None or xs is None:
        return None
    xv, yv = [zero] * len(x), [zero] * len(y)
    for i, p in zip(rows, xs[:k]):
        xv[i] = p
    for j, p in zip(cols, ys[:k]):
        yv[j] = p
    return tuple(xv), tuple(yv)


def from_float_pairs(pairs, Ax, Bx):
    """Candidate profiles from float strategy pairs (nashpy, Lemke-Howson): each recomputed
    exactly from its supports when the payoffs ``Ax``, ``Bx`` are exact (and the supports give a
    unique solution), else kept as normalised floats; pairs that are not finite are dropped.
    Returns ``((x, y), kind)`` pairs, kind ``"fraction"`` or ``"float"``."""
    out = []
    for x, y in pairs:
        x, y = _normalise_float(x), _normalise_float(y)
        if x is None or y is None or not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
            continue
        exact = _exact_from_supports(Ax, Bx, x, y) if Ax is not None else None
        out.append((exact, "fraction") if exact is not None else ((tuple(x.tolist()), tuple(y.tolist())), "float"))
    return out
