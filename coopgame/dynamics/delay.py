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

Bellen, A. & Zennaro, M. (2003). *Numerical Methods for Delay Differential Equations*. Oxford
University Press.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import sympy

from ..core.errors import ParameterError, SolverError
from ..core.parameters import to_exact

__all__ = ["CriticalDelay", "DelayTrajectories", "critical_delay", "linear_critical_delay", "integrate_dde",
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
    """

    tau: sympy.Expr
    omega: sympy.Expr | None
    eigenvalue: sympy.Expr | None
    delay_independent: tuple = ()
    unstable_for_all: bool = False
    certificate: str = ""

    def to_dicts(self) -> list:
        """One row with the result as plain values (floats beside the exact text)."""
        return [{"tau": str(self.tau), "tau_float": float(self.tau) if self.tau.is_finite else math.inf,
                 "omega": None if self.omega is None else str(self.omega),
                 "eigenvalue": None if self.eigenvalue is None else str(self.eigenvalue),
                 "delay_independent": [str(e) for e in self.delay_independent],
                 "unstable_for_all": self.unstable_for_all, "certificate": self.certificate}]


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
                             certificate="a + b > 0: a real positive root for every delay")
    if a == 0:
        tau, omega = _crossing(b)
        return CriticalDelay(tau, omega, b, certificate="lambda exp(lambda tau) = b (Hayes 1950)")
    if b ** 2 <= a ** 2:
        return CriticalDelay(sympy.oo, None, None,
                             certificate="|b| <= |a|: no purely imaginary root for any delay (Hayes 1950)")
    omega = sympy.sqrt(b ** 2 - a ** 2)
    theta = sympy.acos(-a / b)  # in [0, pi]; sin(omega tau) = -omega/b has the sign of -b
    if (-b).is_negative:
        theta = 2 * sympy.pi - theta
    return CriticalDelay(sympy.simplify(theta / omega), omega, None,
                         certificate="omega^2 = b^2 - a^2, cos(omega tau) = -a/b (Hayes 1950)")


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
    dim = len(state)
    boundary = [r for r in range(dim) if all(B[r, c] == 0 for c in range(dim))]
    core = [r for r in range(dim) if r not in boundary]
    if any(A[r, c] != 0 for r in range(dim) for c in range(dim) if r != c and r in boundary) or \
            any(A[r, c] != 0 for r in core for c in range(dim)):
        raise SolverError("the linearisation does not split into delay-free and delayed blocks; "
                          "no closed form for its critical delay")
    independent = tuple(sympy.simplify(A[r, r]) for r in boundary)
    if any(bool(e > 0) for e in independent):
        return CriticalDelay(sympy.Integer(0), None, None, independent, True,
                             "a delay-independent eigenvalue is positive: unstable for every delay")
    if not core:
        return CriticalDelay(sympy.oo, None, None, independent,
                             certificate="B = 0 at the point: the delay does not enter the linearisation")
    C = B.extract(core, core)
    eig = []
    for mu, mult in C.eigenvals().items():
        eig.extend([sympy.simplify(mu)] * mult)
    if any(bool(sympy.re(mu) > 0) and sympy.im(mu) == 0 for mu in eig):
        return CriticalDelay(sympy.Integer(0), None, None, independent, True,
                             "a real positive eigenvalue of the delayed block: a real positive root for "
                             "every delay")
    best = _minimum([(*_crossing(mu), mu) for mu in eig])
    return CriticalDelay(best[0], best[1], best[2], independent,
                         certificate="characteristic equation lambda exp(lambda tau) = mu for each eigenvalue "
                                     "mu of the delayed block (Hayes 1950)")


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
    from .simulate import _check_initial

    if not (math.isfinite(tau) and tau >= 0):
        raise ParameterError(f"tau must be a finite number >= 0, got {tau}")
    if not (math.isfinite(t_max) and t_max > 0 and math.isfinite(dt) and dt > 0):
        raise ParameterError(f"t_max and dt must be finite and positive, got t_max={t_max}, dt={dt}")
    numeric = dynamics._numeric(values)
    Y0 = _check_initial(numeric, initial)
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
