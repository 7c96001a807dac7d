"""Roots on a bargaining frontier, exact where possible (shared by the frontier solutions).
"""

from __future__ import annotations

import numpy as np
import sympy

from ..core.errors import SolverError
from ..core.parameters import to_exact


def frontier_root(expr, var, low, what, upper=None):
    """The root of ``expr`` in ``var`` above ``low`` (and at most ``upper``); unique for monotone F.

    Exact when possible: a polynomial with rational coefficients gives an exact real root (a
    radical or a ``CRootOf``); otherwise ``sympy.solve``. A numeric expression whose root sympy
    cannot single out gets a bracketed numerical root (a 30-digit sympy ``Float``).
    """
    numeric = not (expr.free_symbols - {var})
    if numeric:
        exact = _rational_polynomial_root(expr, var, low, upper)
        if exact is not None:
            return exact
    try:
        roots = sympy.solve(expr, var)
    except (NotImplementedError, sympy.PolynomialError):
        roots = []
    good = []
    for r in roots:
        if r.is_real is False:
            continue
        above = simplified(r - low)
        if above.is_number and not above > 0:
            continue
        if upper is not None:
            below = simplified(upper - r)
            if below.is_number and below < 0:
                continue
        good.append(simplified(r))
    if len(good) == 1:
        return good[0]
    if not good and numeric:
        return _bracketed_root(expr, var, low, upper, what)
    raise SolverError(f"{what}: could not single out the frontier point (candidates: {good or roots}); "
                      "give parameter values")


def simplified(expr):
    """``sympy.simplify``, or the expression itself when simplification fails (algebraic roots)."""
    try:
        return sympy.simplify(expr)
    except (sympy.PolynomialError, NotImplementedError):
        return expr


def _rational_polynomial_root(expr, var, low, upper):
    """The single exact real root in ``(low, upper]`` of a polynomial over the rationals, or None."""
    try:
        poly = sympy.Poly(sympy.expand(expr), var)
    except (sympy.PolynomialError, sympy.GeneratorsNeeded):
        return None
    if poly.degree() < 1 or not poly.domain.is_QQ and not poly.domain.is_ZZ:
        return None
    # bounds are numbers or sympy values computed by the caller, never text
    low, upper = (v if v is None or isinstance(v, sympy.Basic) else to_exact(v, name="frontier bound")
                  for v in (low, upper))
    if not low.is_Rational or (upper is not None and not upper.is_Rational):
        return None
    roots = [r for r in set(poly.real_roots()) if r > low and (upper is None or r <= upper)]
    return roots[0] if len(roots) == 1 else None


def _bracketed_root(expr, var, low, upper, what):
    """A root above ``low`` by bisection (Brent's method) on a bracket grown by doubling."""
    from scipy.optimize import brentq

    numbers = {a: a.evalf(30) for a in expr.atoms(sympy.CRootOf)}
    f = sympy.lambdify(var, expr.xreplace(numbers), "math", dummify=True)
    lo = float(low)
    hi = float(upper) if upper is not None else lo + 1.0
    try:
        while upper is None and f(hi) < 0 and hi < 1e12:
            hi = lo + 2 * (hi - lo)
        if f(lo) * f(hi) > 0:
            raise SolverError(f"{what}: no frontier point above the disagreement point")
        root = brentq(f, lo, hi, xtol=1e-15, rtol=4 * np.finfo(float).eps)
    except (ValueError, OverflowError, ZeroDivisionError) as exc:
        raise SolverError(f"{what}: the frontier cannot be evaluated between {lo:g} and {hi:g} ({exc})") from None
    return sympy.Float(root, 30)
