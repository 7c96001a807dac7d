"""Replicator dynamics with a time delay: policy and payoffs that act ``tau`` later.

When a population responds to payoffs observed :math:`\\tau` earlier (policies take time to act,
information arrives late), the replicator equation becomes a delay differential equation

.. math:: \\dot x_r(t) = x_r(t)\\,\\bigl(1 - x_r(t)\\bigr)\\,D_r\\bigl(x(t - \\tau)\\bigr)

for a role with two strategies (for more strategies,
:math:`\\dot x_k = x_k(t)\\,(D_k(x(t-\\tau)) - \\sum_j x_j(t) D_j(x(t-\\tau)))`), the "social"
delay of Alboszta & Miękisz (2004): the shares that reproduce are current, the payoff
differences :math:`D` are those of the delayed state.

**Linearisation.** At a rest point :math:`x^*`, with :math:`\\xi = x - x^*`,
:math:`\\dot\\xi(t) = A\\,\\xi(t) + B\\,\\xi(t - \\tau)`, :math:`A = \\partial F/\\partial x`,
:math:`B = \\partial F/\\partial y` (``y`` the delayed state). Rows of coordinates on the
boundary (:math:`x_r \\in \\{0, 1\\}`, or :math:`x_k = 0`) have a single diagonal entry in
:math:`A` and none in :math:`B`; rows of interior coordinates have :math:`A = 0` because the
payoff differences vanish there. The characteristic equation
:math:`\\det(\\lambda I - A - B e^{-\\lambda\\tau}) = 0` therefore factors into
:math:`\\lambda = a_{rr}` (delay-independent) and :math:`\\lambda e^{\\lambda\\tau} = \\mu` for each
eigenvalue :math:`\\mu = r e^{i\\varphi}` of the interior block of :math:`B` (which is the
undelayed Jacobian there). A root :math:`\\lambda = i\\omega` needs :math:`|\\omega| = r` and
:math:`\\omega\\tau \\equiv \\varphi - \\pi/2 \\pmod{2\\pi}`, so the smallest crossing delay is

.. math:: \\tau^* = \\min_\\mu \\frac{(\\varphi_\\mu - \\pi/2) \\bmod 2\\pi}{|\\mu|},
          \\qquad 0 \\le \\varphi_\\mu < 2\\pi,

(Hayes 1950; Hale & Verduyn Lunel 1993, Section 5.2), exact when the eigenvalues are. For the
scalar equation :math:`\\dot x = -a\\,x(t - \\tau)` this is :math:`\\pi/(2a)`. A real eigenvalue
:math:`\\mu > 0` gives a real positive root for every :math:`\\tau`; :math:`\\mu = 0` a zero root.
Where the linearisation does not split this way (a face of a role with three or more strategies
whose reference strategy is not played), :func:`matrix_critical_delay` splits off scalar factors,
uses closed forms for what remains where one exists, and otherwise computes the crossings
numerically; the result's ``case`` and ``exact`` say which.

**Simulation** uses the method of steps (Bellen & Zennaro 2003): the classical Runge-Kutta
method with a step :math:`h` that divides :math:`\\tau` (so no step straddles a breakpoint
:math:`t = k\\tau`), delayed values at half steps from the cubic Hermite interpolant of the
computed solution (the dense output), all starts advanced together.

Examples
--------
>>> import sympy
>>> res = linear_critical_delay(0, -3)
>>> res.tau, res.omega
(pi/6, 3)

References
----------
Alboszta, J. & Miękisz, J. (2004). Stability of evolutionarily stable strategies in discrete
replicator dynamics with time delay. *Journal of Theoretical Biology* 231, 175-179.

Hayes, N. D. (1950). Roots of the transcendental equation associated with a certain
difference-differential equation. *Journal of the London Mathematical Society* 25, 226-232.

Hale, J. K. & Verduyn Lunel, S. M. (1993). *Introduction to Functional Differential Equations*.
Springer.

Cooke, K. L. & Grossman, Z. (1982). Discrete delay, distributed delay and stability switches.
*Journal of Mathematical Analysis and Applications* 86, 592-627.

Louisell, J. (2001). A matrix method for determining the imaginary axis eigenvalues of a delay
system. *IEEE Transactions on Automatic Control* 46, 2008-2012.

Bellen, A. & Zennaro, M. (2003). *Numerical Methods for Delay Differential Equations*. Oxford
University Press.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import sympy

from ..core.errors import ParameterError
from ..core.parameters import to_exact

__all__ = ["CriticalDelay", "DelayTrajectories", "critical_delay", "linear_critical_delay", "matrix_critical_delay",
           "integrate_dde",
           "simulate_delay", "delayed_system"]


@dataclass(frozen=True)
class CriticalDelay:
    """The smallest delay at which roots of the characteristic equation reach the imaginary axis.

    Attributes
    ----------
    tau : sympy expression
        The critical delay (``sympy.oo`` when no root ever crosses; ``0`` when one is on the
        axis already).
    omega : sympy expression or None
        The crossing frequency :math:`|\\omega|` (the period of the emerging oscillation is
        :math:`2\\pi/\\omega`).
    eigenvalue : sympy expression or None
        The eigenvalue :math:`\\mu` of the delayed block that crosses first.
    delay_independent : tuple
        The eigenvalues that do not depend on the delay.
    unstable_for_all : bool
        A root with positive real part exists for every delay.
    certificate : str
    exact : bool
        ``tau`` and ``omega`` are exact (a closed form applied); ``False`` when a block of the
        characteristic matrix had no closed form and its crossings were computed numerically
        (then ``tau`` and ``omega`` are floats, verified by the residual of the determinant).
    case : str
        Which closed form (or the numeric method) applied; see :func:`matrix_critical_delay`.
    """

    tau: sympy.Expr
    omega: sympy.Expr | None
    eigenvalue: sympy.Expr | None
    delay_independent: tuple = ()
    unstable_for_all: bool = False
    certificate: str = ""
    exact: bool = True
    case: str = ""

    def to_dicts(self) -> list:
        """One row with the result as plain values (floats beside the exact text)."""
        return [{"tau": str(self.tau), "tau_float": float(self.tau) if self.tau.is_finite else math.inf,
                 "omega": None if self.omega is None else str(self.omega),
                 "eigenvalue": None if self.eigenvalue is None else str(self.eigenvalue),
                 "delay_independent": [str(e) for e in self.delay_independent],
                 "unstable_for_all": self.unstable_for_all, "certificate": self.certificate,
                 "exact": self.exact, "case": self.case}]


_SCALAR = "scalar: lambda = a + b exp(-lambda tau) (Hayes 1950)"
_HAYES = "delayed block only: lambda exp(lambda tau) = mu for each eigenvalue mu of B (Hayes 1950)"
_COOKE = ("2x2 block with a rank-one delayed part: lambda^2 + p lambda + q + (r lambda + s) exp(-lambda tau) "
          "(Cooke & Grossman 1982)")
_NUMERIC = "numeric: unit-circle roots of the Kronecker-sum quadratic eigenproblem (Louisell 2001)"


def _crossing(mu):
    """Smallest tau >= 0 with a root i*omega of lambda*exp(lambda*tau) = mu; (tau, omega)."""
    mu = sympy.nsimplify(mu) if isinstance(mu, sympy.Float) else sympy.sympify(mu, strict=True)  # no text: eigenvalues
    r = sympy.sqrt(sympy.expand(mu * sympy.conjugate(mu)))
    r = sympy.nsimplify(sympy.simplify(r)) if r.is_number else r
    if r == 0:
        return sympy.Integer(0), sympy.Integer(0)
    phi = sympy.arg(mu)
    if phi.is_negative:
        phi = phi + 2 * sympy.pi
    shift = phi - sympy.pi / 2
    if shift.is_negative:
        shift = shift + 2 * sympy.pi
    return sympy.simplify(shift / r), r


def _minimum(pairs):
    best = None
    for tau, omega, mu in pairs:
        if best is None or bool(sympy.N(tau, 30) < sympy.N(best[0], 30)):
            best = (tau, omega, mu)
    return best


def linear_critical_delay(a, b) -> CriticalDelay:
    """Critical delay of the scalar equation :math:`\\dot x = a\\,x(t) + b\\,x(t - \\tau)`.

    Roots :math:`\\lambda = i\\omega` of :math:`\\lambda = a + b e^{-\\lambda\\tau}` need
    :math:`\\omega^2 = b^2 - a^2` and :math:`\\cos\\omega\\tau = -a/b`,
    :math:`\\sin\\omega\\tau = -\\omega/b` (Hale & Verduyn Lunel 1993, Section 5.2). For
    :math:`|b| \\le |a|` no root crosses (stable for all delays when :math:`a + b < 0`).

    Parameters
    ----------
    a, b : numbers (exact or float)

    Examples
    --------
    >>> linear_critical_delay(0, -2).tau
    pi/4
    >>> linear_critical_delay(-2, 1).tau
    oo
    """
    a = sympy.nsimplify(a)
    b = sympy.nsimplify(b)
    if not (a.is_real and b.is_real):
        raise ParameterError(f"a and b must be real numbers, got {a}, {b}")
    if a + b > 0:
        return CriticalDelay(sympy.Integer(0), None, None, unstable_for_all=True,
                             certificate="a + b > 0: a real positive root for every delay", case=_SCALAR)
    if a == 0:
        tau, omega = _crossing(b)
        return CriticalDelay(tau, omega, b, certificate="lambda exp(lambda tau) = b (Hayes 1950)", case=_SCALAR)
    if b ** 2 <= a ** 2:
        return CriticalDelay(sympy.oo, None, None,
                             certificate="|b| <= |a|: no purely imaginary root for any delay (Hayes 1950)",
                             case=_SCALAR)
    omega = sympy.sqrt(b ** 2 - a ** 2)
    theta = sympy.acos(-a / b)  # in [0, pi]; sin(omega tau) = -omega/b has the sign of -b
    if (-b).is_negative:
        theta = 2 * sympy.pi - theta
    return CriticalDelay(sympy.simplify(theta / omega), omega, None,
                         certificate="omega^2 = b^2 - a^2, cos(omega tau) = -a/b (Hayes 1950)", case=_SCALAR)


def _exact_matrix(M):
    return sympy.Matrix(M).applyfunc(lambda e: sympy.nsimplify(e) if isinstance(e, sympy.Float) else e)


def delayed_system(dynamics):
    """The delayed field ``F(x, y)`` of the dynamics: ``(state, delayed, expressions)``.

    ``y`` are copies of the state symbols named ``<x>_delayed``; the payoff differences are
    evaluated at ``y``, the shares in front at ``x``.
    """
    key = "_delayed_system"
    cache = dynamics._numeric_cache
    if key in cache:
        return cache[key]
    state = dynamics.state
    delayed = tuple(sympy.Symbol(f"{x.name}_delayed", real=True) for x in state)
    to_delayed = dict(zip(state, delayed))
    exprs = []
    for i, c in enumerate(dynamics.coordinates):
        if not c:
            continue
        D = [d.xreplace(to_delayed) for d in dynamics._differences(i)]
        if len(c) == 1:
            x = c[0]
            exprs.append(x * (1 - x) * D[0])
        else:
            mean = sympy.Add(*(xj * dj for xj, dj in zip(c, D)))
            exprs.extend(xk * (dk - mean) for xk, dk in zip(c, D))
    cache[key] = (state, delayed, tuple(exprs))
    return cache[key]


def critical_delay(dynamics, point, values=None) -> CriticalDelay:
    """The smallest delay at which the rest point's linearisation has roots on the imaginary axis.

    Parameters
    ----------
    dynamics : ReplicatorDynamics
    point : RestPoint, StabilityRow, mapping state symbol/name -> value, or a profile
        The rest point (exact coordinates).
    values : mapping, optional
        Parameter values; without them the game must have none.

    Returns
    -------
    CriticalDelay
        Exact when the eigenvalues of the delayed block are (see the module docstring).

    Examples
    --------
    Matching pennies with a dynamic penalty (stable spiral): the delay at which it starts to
    oscillate.

    >>> from coopgame import Game
    >>> g = Game.bimatrix([[1, -1], [-1, 1]], [["-1 + (1 - x_column)", 1], [1, -1]])
    >>> rd = g.replicator()
    >>> row = rd.stability().rows[-1]
    >>> row.point.point, row.stability.name
    ((4/7, 1/2), 'ASYMPTOTICALLY_STABLE')
    >>> rd.critical_delay(row.point).tau
    sqrt(42)*(pi - 2*atan(sqrt(167)))/12
    """
    numeric = dynamics._numeric(values)
    coords = _point_coordinates(numeric, point)
    state, delayed, exprs = delayed_system(numeric)
    at = {**coords, **{y: coords[x] for x, y in zip(state, delayed)}}
    F = sympy.Matrix(exprs)
    A = _exact_matrix(F.jacobian(state).xreplace(at)).applyfunc(sympy.cancel)
    B = _exact_matrix(F.jacobian(delayed).xreplace(at)).applyfunc(sympy.cancel)
    if any(v != 0 for v in F.xreplace(at)):
        raise ParameterError(f"{_show(coords)} is not a rest point of the dynamics")
    return matrix_critical_delay(A, B)


def matrix_critical_delay(A, B) -> CriticalDelay:
    """Critical delay of the linear system :math:`\\dot\\xi = A\\xi(t) + B\\xi(t - \\tau)`.

    The characteristic matrix :math:`M(\\lambda) = \\lambda I - A - B e^{-\\lambda\\tau}` is first
    split: a coordinate whose row (or column) of both ``A`` and ``B`` has only its diagonal entry
    contributes the scalar factor :math:`\\lambda - a - b e^{-\\lambda\\tau}` (expanding the
    determinant along it), and is removed; this repeats, so diagonal and triangular systems, and
    the boundary coordinates of a replicator rest point, split completely. Each factor has a
    closed form:

    * ``b = 0``: a delay-independent eigenvalue ``a``;
    * the scalar equation (:func:`linear_critical_delay`): :math:`\\omega^2 = b^2 - a^2`,
      :math:`\\tau^* = \\arccos(-a/b)/\\omega` (on the branch fixed by the sign of ``b``);
    * a remaining block with ``A = 0`` (an interior replicator rest point):
      :math:`\\lambda e^{\\lambda\\tau} = \\mu` for each eigenvalue of ``B`` (Hayes 1950);
    * a remaining 2x2 block with :math:`\\det B = 0`: the equation
      :math:`\\lambda^2 + p\\lambda + q + (r\\lambda + s)e^{-\\lambda\\tau} = 0` with
      :math:`p = -\\operatorname{tr}A`, :math:`q = \\det A`, :math:`r = -\\operatorname{tr}B`,
      :math:`s = \\operatorname{tr}(\\operatorname{adj}(A)B)`. A root :math:`i\\omega` needs
      :math:`\\omega^4 + (p^2 - 2q - r^2)\\omega^2 + q^2 - s^2 = 0` and
      :math:`\\cos\\omega\\tau = \\frac{(\\omega^2 - q)s - pr\\omega^2}{s^2 + r^2\\omega^2}`,
      :math:`\\sin\\omega\\tau = \\omega\\frac{ps + (\\omega^2 - q)r}{s^2 + r^2\\omega^2}`
      (Cooke & Grossman 1982).

    Any other block is solved numerically: a root :math:`i\\omega` with
    :math:`z = e^{-i\\omega\\tau}` makes :math:`A + Bz` and :math:`A + B\\bar z` have eigenvalues
    :math:`i\\omega` and :math:`-i\\omega`, so :math:`z` is a unit-modulus eigenvalue of the
    quadratic problem :math:`(z^2 B \\otimes I + z(A \\otimes I + I \\otimes A) + I \\otimes B)w = 0`
    (Louisell 2001), solved with a fixed amount of work; the result is then marked
    ``exact=False``. A block with :math:`(-1)^n \\det(A + B) < 0` has a real positive root for
    every delay; :math:`\\det(A + B) = 0` puts a root at 0; a block with ``B = 0`` has ``A``'s
    eigenvalues for every delay. ``tau`` is the smallest delay with a root on the imaginary axis:
    the system is stable below it when it is stable at :math:`\\tau = 0` (eigenvalues of
    :math:`A + B`, the undelayed stability table).

    Parameters
    ----------
    A, B : square matrices of the same size (exact numbers; floats are converted)

    Examples
    --------
    :math:`\\ddot x + \\dot x + x + 2x(t - \\tau) = 0`, as a first-order system:

    >>> res = matrix_critical_delay([[0, 1], [-1, -1]], [[0, 0], [-2, 0]])
    >>> res.case.split(":")[0], res.exact
    ('2x2 block with a rank-one delayed part', True)
    >>> round(float(res.tau), 6), round(float(res.omega), 6)
    (0.567638, 1.51749)
    """
    A = _exact_matrix(A)
    B = _exact_matrix(B)
    if A.shape != B.shape or A.rows != A.cols:
        raise ParameterError(f"A and B must be square matrices of one size, got {A.shape} and {B.shape}")
    for name, M in (("A", A), ("B", B)):
        for e in M:
            if not (e.is_number and e.is_real):
                raise ParameterError(f"{name} has the entry {e}, not a real number (substitute the parameters)")
    rows = list(range(A.rows))
    scalars = []
    changed = True
    while changed and rows:
        changed = False
        for r in list(rows):
            others = [c for c in rows if c != r]
            if all(A[r, c] == 0 and B[r, c] == 0 for c in others) or \
                    all(A[c, r] == 0 and B[c, r] == 0 for c in others):
                scalars.append((sympy.simplify(A[r, r]), sympy.simplify(B[r, r])))
                rows.remove(r)
                changed = True
    independent = tuple(a for a, b in scalars if b == 0)
    if any(bool(e > 0) for e in independent):
        return CriticalDelay(sympy.Integer(0), None, None, independent, True,
                             "a delay-independent eigenvalue is positive: unstable for every delay",
                             case="delay-independent diagonal entry")
    results = [linear_critical_delay(a, b) for a, b in scalars if b != 0]
    if rows:
        results.append(_block(A.extract(rows, rows), B.extract(rows, rows)))
    for res in results:
        if res.unstable_for_all:
            return CriticalDelay(res.tau, res.omega, res.eigenvalue, independent, True, res.certificate,
                                 res.exact, res.case)
    finite = [res for res in results if res.tau != sympy.oo]
    cases = "; ".join(dict.fromkeys(res.case for res in results))
    exact = all(res.exact for res in results)
    if not finite:
        why = "; ".join(dict.fromkeys(res.certificate for res in results)) or \
            "B = 0: the delay does not enter the linearisation"
        return CriticalDelay(sympy.oo, None, None, independent, certificate=why, exact=exact,
                             case=cases or "no delayed term")
    best = finite[0]
    for res in finite[1:]:
        if bool(sympy.N(res.tau, 30) < sympy.N(best.tau, 30)):
            best = res
    return CriticalDelay(best.tau, best.omega, best.eigenvalue, independent, certificate=best.certificate,
                         exact=exact, case=cases)


def _block(A, B) -> CriticalDelay:
    """Critical delay of one block that did not split into scalar factors."""
    n = A.rows
    if all(e == 0 for e in B):  # no delayed term: the roots are A's eigenvalues, for every delay
        eig = [complex(sympy.N(mu, 30)) for mu in A.eigenvals()] if n <= 4 else \
            list(np.linalg.eigvals(np.array(A.evalf(30).tolist(), dtype=float)))
        unstable = any(mu.real > 0 for mu in eig)
        return CriticalDelay(sympy.Integer(0) if unstable else sympy.oo, None, None, (), unstable,
                             "B = 0 on the block: its roots are A's eigenvalues for every delay"
                             + (", one with positive real part" if unstable else ""),
                             case="delay-free block")
    if all(e == 0 for e in A):
        eig = []
        for mu, mult in B.eigenvals().items():
            eig.extend([sympy.simplify(mu)] * mult)
        if any(bool(sympy.re(mu) > 0) and sympy.im(mu) == 0 for mu in eig):
            return CriticalDelay(sympy.Integer(0), None, None, (), True,
                                 "a real positive eigenvalue of the delayed block: a real positive root for "
                                 "every delay", case=_HAYES)
        best = _minimum([(*_crossing(mu), mu) for mu in eig])
        return CriticalDelay(best[0], best[1], best[2],
                             certificate="characteristic equation lambda exp(lambda tau) = mu for each "
                                         "eigenvalue mu of the delayed block (Hayes 1950)", case=_HAYES)
    d0 = sympy.simplify((A + B).det())
    if bool((-1) ** n * d0 < 0):
        return CriticalDelay(sympy.Integer(0), None, None, (), True,
                             "(-1)^n det(A + B) < 0: a real positive root for every delay",
                             case=_COOKE if n == 2 and B.det() == 0 else _NUMERIC, exact=True)
    if d0 == 0:
        return CriticalDelay(sympy.Integer(0), sympy.Integer(0), None,
                             certificate="det(A + B) = 0: a root at 0 for every delay",
                             case=_COOKE if n == 2 and B.det() == 0 else _NUMERIC)
    if n == 2 and sympy.simplify(B.det()) == 0:
        return _cooke_grossman(A, B)
    return _numeric_block(A, B)


def _cooke_grossman(A, B) -> CriticalDelay:
    p = -A.trace()
    q = A.det()
    r = -B.trace()
    s = sympy.expand((A.adjugate() * B).trace())
    if r == 0 and s == 0:
        return CriticalDelay(sympy.oo, None, None, certificate="the delayed terms cancel in the determinant",
                             case=_COOKE)
    u = sympy.Symbol("u")
    best = None
    for root in sympy.Poly(u ** 2 + (p ** 2 - 2 * q - r ** 2) * u + q ** 2 - s ** 2, u).all_roots():
        root = sympy.simplify(root)
        if not (root.is_real and bool(root > 0)):
            continue
        omega = sympy.sqrt(root)
        den = s ** 2 + r ** 2 * root
        cos = sympy.simplify(((root - q) * s - p * r * root) / den)
        sin = sympy.simplify(omega * (p * s + (root - q) * r) / den)
        theta = sympy.acos(cos)
        if bool(sin < 0):
            theta = 2 * sympy.pi - theta
        tau = sympy.simplify(theta / omega)
        if best is None or bool(sympy.N(tau, 30) < sympy.N(best[0], 30)):
            best = (tau, omega)
    if best is None:
        return CriticalDelay(sympy.oo, None, None,
                             certificate="omega^4 + (p^2 - 2q - r^2) omega^2 + q^2 - s^2 has no positive root "
                                         "omega^2: no purely imaginary root for any delay (Cooke & Grossman 1982)",
                             case=_COOKE)
    return CriticalDelay(best[0], best[1], None,
                         certificate=f"p = {p}, q = {q}, r = {r}, s = {s}: omega^2 a positive root of "
                                     "omega^4 + (p^2 - 2q - r^2) omega^2 + q^2 - s^2 (Cooke & Grossman 1982)",
                         case=_COOKE)


def _numeric_block(A, B, tol: float = 1e-7) -> CriticalDelay:
    """Crossings of a block without a closed form, from the Kronecker-sum eigenproblem."""
    import scipy.linalg

    a = np.array(A.evalf(30).tolist(), dtype=float)
    b = np.array(B.evalf(30).tolist(), dtype=float)
    n = a.shape[0]
    eye = np.eye(n)
    m2, m1, m0 = np.kron(b, eye), np.kron(a, eye) + np.kron(eye, a), np.kron(eye, b)
    N = n * n
    zero, one = np.zeros((N, N)), np.eye(N)
    left = np.block([[zero, one], [-m0, -m1]])
    right = np.block([[one, zero], [zero, m2]])
    z_all = scipy.linalg.eigvals(left, right)
    scale = max(1.0, float(np.abs(a).max()), float(np.abs(b).max()))
    best = None
    for z in z_all:
        if not np.isfinite(z) or abs(abs(z) - 1) > 1e-6:
            continue
        z = z / abs(z)
        for lam in np.linalg.eigvals(a + b * z):
            omega = lam.imag
            if abs(lam.real) > tol * scale or omega <= tol * scale:
                continue
            theta = (-np.angle(z)) % (2 * math.pi)
            tau = theta / omega
            residual = abs(np.linalg.det(1j * omega * eye - a - b * np.exp(-1j * omega * tau)))
            if residual > 1e-6 * scale ** n:
                continue
            if best is None or tau < best[0]:
                best = (tau, omega, residual)
    if best is None:
        return CriticalDelay(sympy.oo, None, None, exact=False, case=_NUMERIC,
                             certificate="no unit-modulus eigenvalue z gives a purely imaginary root: no "
                                         "crossing for any delay (numeric)")
    return CriticalDelay(sympy.Float(best[0], 15), sympy.Float(best[1], 15), None, exact=False, case=_NUMERIC,
                         certificate=f"numeric crossing, |det(i omega I - A - B exp(-i omega tau))| = "
                                     f"{best[2]:.1e}")


def _show(coords):
    return "(" + ", ".join(f"{k} = {v}" for k, v in coords.items()) + ")"


def _point_coordinates(dynamics, point):
    from .stability import RestPoint, StabilityRow

    if isinstance(point, StabilityRow):
        point = point.point
    if isinstance(point, RestPoint):
        raw = point.coordinates
    elif isinstance(point, (tuple, list)) and all(isinstance(s, str) for s in point):
        for p in dynamics.vertices():
            if tuple(p.profile) == tuple(point):
                return dict(p.coordinates)
        raise ParameterError(f"{tuple(point)!r} is not a profile of the game")
    elif isinstance(point, dict):
        raw = point
    else:
        raise ParameterError(f"point must be a RestPoint, a profile or a mapping of the state, got {point!r}")
    names = {x.name: x for x in dynamics.state}
    out = {}
    for k, v in raw.items():
        name = getattr(k, "name", k)
        if name not in names:
            raise ParameterError(f"{name!r} is not a state coordinate ({', '.join(names)})")
        out[names[name]] = sympy.nsimplify(v) if isinstance(v, float) else to_exact(v, name=f"the point's {name}")
    missing = [n for n in names if names[n] not in out]
    if missing:
        raise ParameterError(f"the point gives no value for {', '.join(missing)}")
    return out


def integrate_dde(f, history, t_max: float, tau: float, steps_per_delay: int, *, n_points: int = 101,
                  project=None):
    """Integrate ``y'(t) = f(y(t), y(t - tau))`` on many columns at once (method of steps).

    Parameters
    ----------
    f : callable
        ``f(Y, Z)`` with ``Y``, ``Z`` of shape ``(dim, k)`` (current and delayed), returning that shape.
    history : callable
        ``history(t)`` for ``t <= 0``, returning ``(dim, k)``; ``history(0)`` is the start.
    t_max, tau : float
        ``tau > 0``.
    steps_per_delay : int
        Runge-Kutta steps per delay interval (``h = tau / steps_per_delay``).
    n_points : int
        Output times, equally spaced on ``[0, t_max]`` (read from the dense output).
    project : callable, optional
        Applied in place to each new state.

    Returns
    -------
    times : array, shape (n_points,)
    states : array, shape (n_points, dim, k)

    Examples
    --------
    :math:`y' = -y(t - 1)` with :math:`y = 1` on :math:`[-1, 0]` is :math:`1 - t` on :math:`[0, 1]`:

    >>> import numpy as np
    >>> t, Y = integrate_dde(lambda y, z: -z, lambda t: np.ones((1, 1)), 1.0, 1.0, 20, n_points=3)
    >>> (np.round(Y[:, 0, 0], 12) + 0.0).tolist()
    [1.0, 0.5, 0.0]
    """
    if not (tau > 0 and math.isfinite(tau)):
        raise ParameterError(f"tau must be finite and > 0 here, got {tau}")
    m = int(steps_per_delay)
    h = tau / m
    n_steps = max(1, math.ceil(t_max / h - 1e-12))
    y0 = np.array(history(0.0), dtype=float)
    Ys = np.empty((n_steps + 1,) + y0.shape)
    Fs = np.empty_like(Ys)
    Ys[0] = y0

    def delayed(n, c):
        """The solution at t_n + c h - tau."""
        j = n - m
        t = (n + c) * h - tau
        if j < 0:
            return np.asarray(history(t), dtype=float)
        if c == 0:
            return Ys[j]
        if c == 1:
            return Ys[j + 1]
        # cubic Hermite interpolation on [t_j, t_j+1] at theta = c (dense output)
        th = c
        h00 = 2 * th ** 3 - 3 * th ** 2 + 1
        h10 = th ** 3 - 2 * th ** 2 + th
        h01 = -2 * th ** 3 + 3 * th ** 2
        h11 = th ** 3 - th ** 2
        return h00 * Ys[j] + h10 * h * Fs[j] + h01 * Ys[j + 1] + h11 * h * Fs[j + 1]

    Y = y0
    for n in range(n_steps):
        zmid = delayed(n, 0.5)
        k1 = f(Y, delayed(n, 0))
        Fs[n] = k1
        k2 = f(Y + 0.5 * h * k1, zmid)
        k3 = f(Y + 0.5 * h * k2, zmid)
        k4 = f(Y + h * k3, delayed(n, 1))
        Y = Y + h / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)
        if project is not None:
            project(Y)
        Ys[n + 1] = Y
    Fs[n_steps] = f(Ys[n_steps], delayed(n_steps, 0))
    times = np.linspace(0.0, float(t_max), n_points)
    out = np.empty((n_points,) + y0.shape)
    for i, t in enumerate(times):
        j = min(int(t / h), n_steps - 1)
        th = t / h - j
        h00 = 2 * th ** 3 - 3 * th ** 2 + 1
        h10 = th ** 3 - 2 * th ** 2 + th
        h01 = -2 * th ** 3 + 3 * th ** 2
        h11 = th ** 3 - th ** 2
        out[i] = h00 * Ys[j] + h10 * h * Fs[j] + h01 * Ys[j + 1] + h11 * h * Fs[j + 1]
    return times, out


@dataclass(frozen=True, eq=False)
class DelayTrajectories:
    """Trajectories of the delayed replicator dynamics.

    Attributes
    ----------
    times : array, shape (T,)
    states : array, shape (k, T, dim)
    state : tuple of sympy.Symbol
    values : mapping
    tau : float
    step : float
        The Runge-Kutta step (``tau / steps_per_delay``).
    """

    times: np.ndarray
    states: np.ndarray
    state: tuple
    values: MappingProxyType
    tau: float
    step: float

    @property
    def final(self) -> np.ndarray:
        return self.states[:, -1, :]

    def to_dicts(self) -> list:
        """One row per trajectory and output time (plain values)."""
        rows = []
        for k in range(self.states.shape[0]):
            for t, y in zip(self.times, self.states[k]):
                rows.append({"trajectory": k, "t": float(t), "tau": self.tau,
                             **{x.name: float(v) for x, v in zip(self.state, y)}})
        return rows


def simulate_delay(dynamics, values, initial, t_max: float, tau: float, *, history=None, dt: float = 0.01,
                   n_points: int = 101) -> DelayTrajectories:
    """Simulate the delayed replicator dynamics from several starts at once.

    Parameters
    ----------
    dynamics : ReplicatorDynamics
    values : mapping or None
    initial : array, shape (k, dim) or (dim,)
        The states at ``t = 0``.
    t_max : float
    tau : float
        The delay, ``>= 0``; ``tau = 0`` is the ordinary replicator dynamics.
    history : callable, optional
        ``history(t)`` for ``t < 0``, returning ``(k, dim)`` or ``(dim,)``; default: constant,
        equal to ``initial``.
    dt : float
        Largest Runge-Kutta step; the step used divides ``tau``.
    n_points : int

    Returns
    -------
    DelayTrajectories
    """
    from .simulate import check_initial

    if not (math.isfinite(tau) and tau >= 0):
        raise ParameterError(f"tau must be a finite number >= 0, got {tau}")
    if not (math.isfinite(t_max) and t_max > 0 and math.isfinite(dt) and dt > 0):
        raise ParameterError(f"t_max and dt must be finite and positive, got t_max={t_max}, dt={dt}")
    numeric = dynamics._numeric(values)
    Y0 = check_initial(numeric, initial)
    k, dim = Y0.shape
    state, delayed, exprs = delayed_system(numeric)
    from .codegen import compile_field

    key = "_delayed_field"
    if key not in numeric._numeric_cache:
        numeric._numeric_cache[key] = compile_field(state + delayed, exprs)
    field_fn = numeric._numeric_cache[key]

    def f(Y, Z):
        return field_fn(np.vstack([Y, Z]))

    start = Y0.T.copy()
    if history is None:
        def hist(t):
            return start
    else:
        def hist(t):
            if t >= 0.0:
                return start
            v = np.asarray(history(t), dtype=float)
            v = np.broadcast_to(v, (k, dim)) if v.ndim == 1 else v
            if v.shape != (k, dim):
                raise ParameterError(f"history(t) must have shape ({k}, {dim}) or ({dim},), got {v.shape}")
            return v.T

    if tau == 0:
        m = max(1, math.ceil(t_max / dt))
        h = t_max / m
        times, out = integrate_dde(lambda Y, Z: f(Y, Y), hist, t_max, h, 1, n_points=n_points)
    else:
        m = max(1, math.ceil(tau / dt))
        h = tau / m
        times, out = integrate_dde(f, hist, t_max, tau, m, n_points=n_points)
    vals = {} if values is None else {s.name: v for s, v in
                                       dynamics.game.check_values(values, require_all=False).items()}
    return DelayTrajectories(times=times, states=out.transpose(2, 0, 1), state=state,
                             values=MappingProxyType(vals), tau=float(tau), step=float(h))
