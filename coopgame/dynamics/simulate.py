"""Integration of many replicator trajectories at once, and basins of attraction.

:func:`dormand_prince` integrates ``k`` initial states together with the Dormand–Prince 5(4)
pair (the method of ``scipy.integrate.solve_ivp(method="RK45")``), each trajectory with its own
adaptive step and error control, all in numpy arrays; output at common times comes from the
method's fourth-order dense output. After every accepted step each state is put back on the
product of simplices (negative shares clipped, shares renormalised), so trajectories stay in the
state space.

Examples
--------
>>> import numpy as np
>>> from coopgame import Game
>>> pd = Game.from_arrays([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], players=["A", "B"],
...                       strategies=[["C", "D"], ["C", "D"]])
>>> traj = pd.replicator().simulate(None, [[0.9, 0.9], [0.5, 0.2]], t_max=40)
>>> traj.states.shape
(2, 101, 2)
>>> [p.profile for p in traj.limits]
[('D', 'D'), ('D', 'D')]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from ..errors import ParameterError, SolverError
from ..report.tables import markdown_table
from .stability import RestPoint

__all__ = ["Trajectories", "Basins", "dormand_prince", "simulate", "basins"]

# Dormand & Prince (1980) 5(4) tableau, with Shampine's (1986) dense output (as in scipy's RK45).
_C = np.array([0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1])
_A = [
    np.array([]),
    np.array([1 / 5]),
    np.array([3 / 40, 9 / 40]),
    np.array([44 / 45, -56 / 15, 32 / 9]),
    np.array([19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729]),
    np.array([9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656]),
]
_B = np.array([35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84])
_E = np.array([-71 / 57600, 0, 71 / 16695, -71 / 1920, 17253 / 339200, -22 / 525, 1 / 40])
_P = np.array([
    [1, -8048581381 / 2820520608, 8663915743 / 2820520608, -12715105075 / 11282082432],
    [0, 0, 0, 0],
    [0, 131558114200 / 32700410799, -68118460800 / 10900136933, 87487479700 / 32700410799],
    [0, -1754552775 / 470086768, 14199869525 / 1410260304, -10690763975 / 1880347072],
    [0, 127303824393 / 49829197408, -318862633887 / 49829197408, 701980252875 / 199316789632],
    [0, -282668133 / 205662961, 2019193451 / 616988883, -1453857185 / 822651844],
    [0, 40617522 / 29380423, -110615467 / 29380423, 69997945 / 29380423],
])
_SAFETY, _MIN_FACTOR, _MAX_FACTOR = 0.9, 0.2, 10.0


def _rms(x):
    return np.sqrt(np.mean(x * x, axis=-1))


def dormand_prince(f: Callable, y0, t_eval, *, rtol: float = 1e-8, atol: float = 1e-10,
                   project: Callable | None = None, max_steps: int = 100_000):
    """Integrate ``y' = f(y)`` (autonomous) from many initial states at once.

    Parameters
    ----------
    f : callable
        Maps states of shape ``(m, dim)`` to derivatives of the same shape.
    y0 : array, shape (k, dim)
    t_eval : array, shape (T,)
        Increasing output times, starting at 0.
    rtol, atol : float
        Per-trajectory error control: a step is accepted when the RMS over components of
        ``err / (atol + rtol * max(|y_old|, |y_new|))`` is at most one.
    project : callable, optional
        Applied to the accepted states (shape ``(m, dim)``), for example to stay in a simplex.
    max_steps : int
        Limit on accepted plus rejected steps of any trajectory.

    Returns
    -------
    states : array, shape (k, T, dim)
    steps : array of int, shape (k,)
        Accepted steps per trajectory.
    evaluations : int
        Number of (vectorised) state evaluations of ``f``, counted per trajectory.
    """
    y = np.array(y0, dtype=float)
    if y.ndim != 2:
        raise ParameterError(f"initial states must have shape (k, dim), got {y.shape}")
    t_eval = np.asarray(t_eval, dtype=float)
    k, dim = y.shape
    T = len(t_eval)
    t_end = t_eval[-1]
    out = np.empty((k, T, dim))
    out[:, 0] = y
    total_steps = np.zeros(k, dtype=int)
    if T == 1 or k == 0:
        return out, total_steps, 0
    # Working arrays hold the unfinished trajectories only (compacted when some finish).
    ids = np.arange(k)
    t = np.zeros(k)
    nxt = np.ones(k, dtype=int)  # next output index
    steps = np.zeros(k, dtype=int)
    attempts = np.zeros(k, dtype=int)
    f0 = f(y)
    nfev = k
    # initial step size (Hairer, Norsett & Wanner, Sec. II.4), vectorised
    scale = atol + np.abs(y) * rtol
    d0, d1 = _rms(y / scale), _rms(f0 / scale)
    h0 = np.where((d0 < 1e-5) | (d1 < 1e-5), 1e-6, 0.01 * d0 / np.where(d1 == 0, 1, d1))
    f1 = f(y + h0[:, None] * f0)
    nfev += k
    d2 = _rms((f1 - f0) / scale) / h0
    big = np.maximum(d1, d2)
    h1 = np.where(big <= 1e-15, np.maximum(1e-6, h0 * 1e-3), (0.01 / np.where(big == 0, 1, big)) ** 0.2)
    h = np.minimum(100 * h0, h1)
    K1 = f0
    while ids.size:
        m = ids.size
        if attempts.max() >= max_steps:
            bad = int(np.argmax(attempts))
            raise SolverError(f"trajectory {int(ids[bad])} needed more than {max_steps} steps "
                              f"(t = {t[bad]:.6g}); loosen rtol or shorten t_max")
        last = h >= t_end - t
        hs = np.where(last, t_end - t, h)
        hc = hs[:, None]
        K = np.empty((7, m, dim))
        K2 = K.reshape(7, m * dim)
        K[0] = K1
        for s in range(1, 6):
            K[s] = f(y + hc * (_A[s] @ K2[:s]).reshape(m, dim))
        y_new = y + hc * (_B @ K2[:6]).reshape(m, dim)
        K[6] = f(y_new)
        nfev += 6 * m
        err = hc * (_E @ K2).reshape(m, dim)
        scale = atol + np.maximum(np.abs(y), np.abs(y_new)) * rtol
        en = _rms(err / scale)
        ok = en <= 1
        with np.errstate(divide="ignore"):
            factor = np.where(en == 0, _MAX_FACTOR, _SAFETY * en ** -0.2)
        factor = np.where(ok, np.minimum(_MAX_FACTOR, factor), np.maximum(_MIN_FACTOR, np.minimum(1, factor)))
        attempts += 1
        if ok.any():
            t_new = np.where(last, t_end, t + hs)
            Q = (_P.T @ K2).reshape(4, m, dim)
            sel = ok & (t_eval[np.minimum(nxt, T - 1)] <= t_new) & (nxt < T)
            while sel.any():
                i = np.flatnonzero(sel)
                theta = ((t_eval[nxt[i]] - t[i]) / hs[i])[:, None]
                incr = theta * (Q[0, i] + theta * (Q[1, i] + theta * (Q[2, i] + theta * Q[3, i])))
                vals = y[i] + hs[i, None] * incr
                out[ids[i], nxt[i]] = project(vals) if project is not None else vals
                nxt[i] += 1
                sel[i] = (nxt[i] < T) & (t_eval[np.minimum(nxt[i], T - 1)] <= t_new[i])
            acc = np.flatnonzero(ok)
            yn = y_new[acc]
            kn = K[6][acc]
            if project is not None:
                yp = project(yn)
                moved = np.any(yp != yn, axis=1)
                if moved.any():
                    kn[moved] = f(yp[moved])
                    nfev += int(moved.sum())
                yn = yp
            y[acc] = yn
            K1[acc] = kn
            t[acc] = t_new[acc]
            steps[acc] += 1
        h = hs * factor
        done = nxt >= T
        if done.any():
            total_steps[ids[done]] = steps[done]
            keep = ~done
            ids, y, t, h, K1, nxt, steps, attempts = (a[keep] for a in (ids, y, t, h, K1, nxt, steps, attempts))
    return out, total_steps, nfev


@dataclass(frozen=True, eq=False)
class Trajectories:
    """Trajectories of the replicator dynamics from many initial states.

    Attributes
    ----------
    times : array, shape (T,)
    states : array, shape (k, T, dim)
        Reduced coordinates (see :attr:`ReplicatorDynamics.state`) at each output time.
    final : array, shape (k, dim)
    limits : tuple
        For each trajectory the rest point it ends within ``limit_tol`` of (max-norm), or None.
    state : tuple of sympy.Symbol
    values : dict
        The parameter values (exact).
    t_max, rtol, atol, limit_tol : float
    method : str
    steps : array of int, shape (k,)
        Accepted steps per trajectory.
    """

    times: np.ndarray
    states: np.ndarray
    final: np.ndarray
    limits: tuple
    state: tuple
    values: Mapping
    t_max: float
    rtol: float
    atol: float
    limit_tol: float
    method: str = "Dormand-Prince 5(4), per-trajectory step control"
    steps: np.ndarray = field(default=None, repr=False)

    def __len__(self):
        return self.states.shape[0]

    def converged_to(self, point) -> np.ndarray:
        """Boolean mask of the trajectories whose limit is ``point`` (a RestPoint or a profile)."""
        match = _matcher(point)
        return np.array([match(lim) for lim in self.limits], dtype=bool)


@dataclass(frozen=True, eq=False)
class Basins:
    """Shares of random initial states that converge to each asymptotically stable rest point.

    Attributes
    ----------
    points : tuple of RestPoint
        The asymptotically stable rest points at the given values.
    counts : tuple of int
        How many sampled starts converged to each point.
    shares : tuple of float
        ``counts / samples``.
    unresolved : int
        Starts that ended near no stable rest point within ``t_max``.
    samples : int
    t_max : float
    standard_errors : tuple of float
        Binomial standard error of each share, ``sqrt(p (1 - p) / samples)``.
    """

    points: tuple
    counts: tuple
    shares: tuple
    unresolved: int
    samples: int
    t_max: float
    standard_errors: tuple
    values: Mapping = field(default=None, repr=False)

    def share(self, point) -> float:
        """The share of one point, given as a RestPoint or a vertex profile."""
        match = _matcher(point)
        for p, s in zip(self.points, self.shares):
            if match(p):
                return s
        return 0.0

    def as_dict(self) -> dict:
        """Point label -> share."""
        return {p.label(): s for p, s in zip(self.points, self.shares)}

    def to_markdown(self) -> str:
        rows = [[p.label(), c, f"{s:.4f}", f"{e:.4f}"]
                for p, c, s, e in zip(self.points, self.counts, self.shares, self.standard_errors)]
        rows.append(["(no stable point reached)", self.unresolved, f"{self.unresolved / self.samples:.4f}", ""])
        return markdown_table(["stable rest point", "starts", "share", "std. error"], rows)

    def _repr_markdown_(self):
        return self.to_markdown()


# ---------------------------------------------------------------------- helpers
def _matcher(point):
    if isinstance(point, RestPoint):
        return lambda p: p is not None and p == point
    profile = tuple(point)
    return lambda p: p is not None and p.profile == profile


def _projector(dynamics):
    """Clip negative shares and renormalise each role's share vector; reduced coordinates."""
    sizes = [len(c) for c in dynamics.coordinates]

    def project(Y):
        Y = np.array(Y, dtype=float)
        start = 0
        for m in sizes:
            if m == 0:
                continue
            block = Y[:, start:start + m]
            if m == 1:
                np.clip(block, 0.0, 1.0, out=block)
            else:
                np.maximum(block, 0.0, out=block)
                last = 1.0 - block.sum(axis=1)
                neg = last < 0
                if np.any(neg):
                    block[neg] /= block[neg].sum(axis=1, keepdims=True)
            Y[:, start:start + m] = block
            start += m
        return Y

    return project


def _check_initial(dynamics, initial) -> np.ndarray:
    dim = len(dynamics.state)
    Y = np.array(initial, dtype=float)
    if Y.ndim == 1:
        Y = Y[None, :]
    if Y.ndim != 2 or Y.shape[1] != dim:
        raise ParameterError(f"initial states must have shape (k, {dim}) for state {dynamics.state}, got {Y.shape}")
    if not np.all(np.isfinite(Y)):
        raise ParameterError("initial states contain NaN or infinite values")
    start = 0
    for c in dynamics.coordinates:
        m = len(c)
        if m:
            block = Y[:, start:start + m]
            bad = np.flatnonzero(np.any(block < 0, axis=1) | np.any(block > 1, axis=1) | (block.sum(axis=1) > 1))
            if bad.size:
                raise ParameterError(f"initial state {int(bad[0])} is outside the state space: shares "
                                     f"{', '.join(s.name for s in c)} must be >= 0 with sum <= 1")
        start += m
    return Y


def _numeric_rest_points(dynamics, values, timeout):
    """Rest points and their stability at the values (cached on the numeric dynamics)."""
    key = ("_table", values is None, timeout)
    if key not in dynamics._numeric_cache:
        dynamics._numeric_cache[key] = dynamics.stability(values, timeout=timeout)
    table = dynamics._numeric_cache[key]
    pts = [r.point for r in table.rows]
    arr = np.array([p.as_array() for p in pts]) if pts else np.empty((0, len(dynamics.state)))
    return table, pts, arr


def _limits(final, pts, arr, tol):
    if not len(pts):
        return (None,) * len(final)
    d = np.max(np.abs(final[:, None, :] - arr[None, :, :]), axis=2)
    j = np.argmin(d, axis=1)
    near = d[np.arange(len(final)), j] <= tol
    return tuple(pts[jj] if ok else None for jj, ok in zip(j, near))


def simulate(dynamics, values, initial, t_max, *, n_points: int = 101, t_eval=None, rtol: float = 1e-8,
             atol: float = 1e-10, limit_tol: float = 1e-3, max_steps: int = 100_000,
             timeout: float | None = 10.0) -> Trajectories:
    """Integrate the replicator dynamics from many initial states at once.

    Parameters
    ----------
    dynamics : ReplicatorDynamics
    values : mapping or None
        Parameter values (None for a numeric game).
    initial : array, shape (k, dim) or (dim,)
        Initial states in reduced coordinates; each role's shares must be >= 0 with sum <= 1.
    t_max : float
        Final time.
    n_points : int
        Number of equally spaced output times in ``[0, t_max]`` (ignored with ``t_eval``).
    t_eval : array, optional
        Increasing output times from 0 to ``t_max``.
    rtol, atol : float
        Per-trajectory tolerances of the Dormand–Prince step control.
    limit_tol : float
        A trajectory "approaches" a rest point when its final state is within this max-norm
        distance of it.
    max_steps : int
        Step limit per trajectory (:class:`~coopgame.errors.SolverError` beyond it).
    timeout : float or None
        Time budget for finding the rest points used to label limits.

    Returns
    -------
    Trajectories
    """
    if not (np.isfinite(t_max) and t_max > 0):
        raise ParameterError(f"t_max must be a positive finite number, got {t_max!r}")
    if not (rtol > 0 and atol > 0):
        raise ParameterError(f"rtol and atol must be positive, got rtol={rtol!r}, atol={atol!r}")
    Y0 = _check_initial(dynamics, initial)
    if t_eval is None:
        if int(n_points) < 2:
            raise ParameterError(f"n_points must be at least 2, got {n_points!r}")
        times = np.linspace(0.0, float(t_max), int(n_points))
    else:
        times = np.asarray(t_eval, dtype=float)
        if times.ndim != 1 or times[0] != 0 or np.any(np.diff(times) <= 0) or abs(times[-1] - t_max) > 1e-12 * t_max:
            raise ParameterError("t_eval must increase strictly from 0 to t_max")
    f = dynamics.vector_field(values)
    states, steps, _ = dormand_prince(f, Y0, times, rtol=rtol, atol=atol, project=_projector(dynamics),
                                      max_steps=max_steps)
    numeric = dynamics._numeric(values) if (values is not None or not dynamics.game.is_numeric) else dynamics
    _, pts, arr = _numeric_rest_points(numeric, None, timeout)
    final = states[:, -1, :].copy()
    for a in (times, states, final, steps):
        a.setflags(write=False)
    vals = {} if values is None else dict(dynamics.game.check_values(values, require_all=False))
    return Trajectories(times=times, states=states, final=final, limits=_limits(final, pts, arr, limit_tol),
                        state=dynamics.state, values=vals, t_max=float(t_max), rtol=rtol, atol=atol,
                        limit_tol=limit_tol, steps=steps)


def sample_states(dynamics, samples: int, rng) -> np.ndarray:
    """Uniform random states on the product of simplices (Dirichlet(1, ..., 1) per role)."""
    rng = np.random.default_rng(rng)
    cols = []
    for c in dynamics.coordinates:
        m = len(c)
        if m:
            cols.append(rng.dirichlet(np.ones(m + 1), size=samples)[:, :m])
    return np.hstack(cols) if cols else np.empty((samples, 0))


def basins(dynamics, values, samples: int, rng, *, t_max: float = 200.0, rtol: float = 1e-8,
           atol: float = 1e-10, limit_tol: float = 1e-3, timeout: float | None = 10.0) -> Basins:
    """Share of uniformly random initial states converging to each stable rest point.

    Parameters
    ----------
    dynamics : ReplicatorDynamics
    values : mapping or None
    samples : int
        Number of initial states, drawn uniformly on the product of simplices.
    rng : numpy.random.Generator or int
        Source of randomness (required, for reproducibility).
    t_max : float
        Integration time; a start counts for a point when its state at ``t_max`` is within
        ``limit_tol`` of it.

    Returns
    -------
    Basins
    """
    if int(samples) < 1:
        raise ParameterError(f"samples must be a positive integer, got {samples!r}")
    if rng is None:
        raise ParameterError("rng is required: pass a numpy.random.Generator or an integer seed")
    numeric = dynamics._numeric(values) if (values is not None or not dynamics.game.is_numeric) else dynamics
    table, _, _ = _numeric_rest_points(numeric, None, timeout)
    stable = table.stable_points()
    Y0 = sample_states(dynamics, int(samples), rng)
    traj = simulate(dynamics, values, Y0, t_max, n_points=2, rtol=rtol, atol=atol, limit_tol=limit_tol,
                    timeout=timeout)
    counts = [sum(1 for lim in traj.limits if lim == p) for p in stable]
    n = int(samples)
    shares = [c / n for c in counts]
    ses = [float(np.sqrt(s * (1 - s) / n)) for s in shares]
    return Basins(points=tuple(stable), counts=tuple(counts), shares=tuple(shares), unresolved=n - sum(counts),
                  samples=n, t_max=float(t_max), standard_errors=tuple(ses), values=traj.values)
