"""Stochastic replicator dynamics: the replicator system driven by Gaussian white noise.

The evolutionary-game literature on cooperation models random shocks to the populations by an
Itô stochastic differential equation

.. math:: \\mathrm{d}x_r = f_r(x)\\,\\mathrm{d}t + \\sigma_r\\,g_r(x)\\,\\mathrm{d}W_r,
          \\qquad g_r(x) = x_r\\,x_{\\mathrm{last}(r)},

with :math:`f` the replicator field, :math:`W_r` independent standard Brownian motions, one per
state coordinate, and :math:`x_{\\mathrm{last}(r)}` the share of the last strategy of the role
of coordinate :math:`r`. For a role with two strategies :math:`g = x(1 - x)`, the form used by
the stochastic evolutionary-game papers on school-enterprise cooperation. The diffusion vanishes
on every face of the simplex, so the faces (and the vertices) stay invariant.

Two schemes, with :math:`\\Delta W \\sim N(0, \\Delta t)` (Kloeden & Platen 1992):

* Euler-Maruyama, :math:`x_{n+1} = x_n + f(x_n)\\Delta t + \\sigma g(x_n)\\Delta W_n`, strong
  order 1/2;
* Milstein, adding :math:`\\tfrac12\\sigma_r^2 g_r\\,\\partial_{x_r} g_r\\,(\\Delta W_{r,n}^2 - \\Delta t)`
  with :math:`\\partial_{x_r} g_r = x_{\\mathrm{last}(r)} - x_r`, strong order 1 when the noise
  is commutative. The noise of a role with two strategies is (:math:`g_r` depends on :math:`x_r`
  only). In a role with more strategies :math:`g_k` also depends on the role's other shares:
  :math:`\\sigma_j g_j\\,\\partial_{x_j}(\\sigma_k g_k) = -\\sigma_j\\sigma_k x_j x_k x_{\\mathrm{last}}`
  is not zero, the commutativity condition fails, and an order-1 scheme would need the Lévy
  areas of the pairs of Brownian motions. Milstein is therefore refused for a role with noise on
  two or more coordinates; with noise on at most one coordinate per role (``sigma`` given per
  coordinate) the noise is commutative and the scheme above has strong order 1.

A step can leave the simplex by round-off or by a large increment; each state is then put back
(negative shares set to zero and a role's shares rescaled to sum at most one), so every recorded
state lies in the state space. All paths from all starts are advanced together as one array.

Examples
--------
>>> import numpy as np
>>> from coopgame import Game
>>> g = Game.bimatrix([[3, 0], [0, 1]], [[3, 0], [0, 1]], strategies=[["a", "b"]] * 2)
>>> res = g.replicator().simulate_sde(None, [[0.6, 0.6]], 20.0, 0.3, np.random.default_rng(1), paths=200)
>>> res.states.shape
(1, 200, 101, 2)
>>> shares = res.vertex_shares()
>>> round(shares[("a", "a")] + shares[("b", "b")] + shares[None], 12)
1.0

References
----------
Kloeden, P. E. & Platen, E. (1992). *Numerical Solution of Stochastic Differential Equations*.
Springer (Sections 10.2-10.3: strong orders of Euler-Maruyama and Milstein).

Higham, D. J. (2001). An algorithmic introduction to numerical simulation of stochastic
differential equations. *SIAM Review* 43, 525-546.

Foster, D. & Young, P. (1990). Stochastic evolutionary game dynamics. *Theoretical Population
Biology* 38, 219-232.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from ..core.errors import ParameterError

__all__ = ["SDEPaths", "integrate_sde", "simulate_sde", "METHODS"]

METHODS = ("euler-maruyama", "milstein")


def _check_method(method):
    if method not in METHODS:
        raise ParameterError(f"method must be one of {', '.join(map(repr, METHODS))}, got {method!r}")


def integrate_sde(drift, diffusion, y0, t_max, steps: int, rng=None, *, method: str = "euler-maruyama",
                  diffusion_derivative=None, record_every: int = 1, increments=None, project=None):
    """Integrate a diagonal-noise Itô SDE ``dY = a(Y) dt + b(Y) dW`` on many paths at once.

    Parameters
    ----------
    drift, diffusion : callable
        ``a(Y)`` and ``b(Y)`` on arrays of shape ``(dim, m)`` (one column per path), returning the
        same shape; ``b`` acts component-wise (diagonal noise).
    y0 : array, shape (dim, m)
    t_max : float
    steps : int
        Number of equal steps ``dt = t_max / steps``.
    rng : numpy.random.Generator, optional
        Source of the Brownian increments (required unless ``increments`` are given).
    method : {"euler-maruyama", "milstein"}
    diffusion_derivative : callable, optional
        ``d b_r / d y_r`` (needed by Milstein).
    record_every : int
        Keep the state after every ``record_every`` steps (``steps`` must be a multiple).
    increments : array, shape (steps, dim, m), optional
        Brownian increments to use instead of drawing them (for convergence studies).
    project : callable, optional
        Applied in place to the state after each step.

    Returns
    -------
    array, shape (steps // record_every + 1, dim, m)

    Examples
    --------
    Geometric Brownian motion with :math:`\\sigma = 0` is the exponential:

    >>> import numpy as np
    >>> Y = integrate_sde(lambda y: y, lambda y: 0 * y, np.ones((1, 1)), 1.0, 1000, np.random.default_rng(0))
    >>> bool(abs(Y[-1, 0, 0] - np.e) < 2e-3)
    True
    """
    _check_method(method)
    if method == "milstein" and diffusion_derivative is None:
        raise ParameterError("the Milstein scheme needs diffusion_derivative")
    steps = int(steps)
    if steps < 1 or steps % record_every:
        raise ParameterError(f"steps must be a positive multiple of record_every={record_every}, got {steps}")
    Y = np.array(y0, dtype=float)
    dt = float(t_max) / steps
    sq = math.sqrt(dt)
    out = np.empty((steps // record_every + 1,) + Y.shape)
    out[0] = Y
    if increments is None and rng is None:
        raise ParameterError("integrate_sde needs rng (a numpy Generator) or increments")
    dW = np.empty_like(Y)
    for n in range(steps):
        if increments is None:
            rng.standard_normal(out=dW)
            dW *= sq
        else:
            dW = increments[n]
        b = diffusion(Y)
        step = drift(Y) * dt + b * dW
        if method == "milstein":
            step += 0.5 * b * diffusion_derivative(Y) * (dW * dW - dt)
        Y = Y + step
        if project is not None:
            project(Y)
        if (n + 1) % record_every == 0:
            out[(n + 1) // record_every] = Y
    return out


@dataclass(frozen=True, eq=False)
class SDEPaths:
    """Paths of the stochastic replicator dynamics from several starts.

    Attributes
    ----------
    times : array, shape (T,)
    states : array, shape (starts, paths, T, dim)
    state : tuple of sympy.Symbol
    values : mapping
        The parameter values (exact).
    sigma : array, shape (dim,)
        Noise intensity per state coordinate.
    dt : float
    method : str
    vertices : tuple
        The pure profiles and their coordinates, ``((profile, coords), ...)``.
    limit_tol : float
        A path ends at a vertex when its final state is within this max-norm distance.
    """

    times: np.ndarray
    states: np.ndarray
    state: tuple
    values: MappingProxyType
    sigma: np.ndarray
    dt: float
    method: str
    vertices: tuple = field(repr=False)
    limit_tol: float = 1e-3

    @property
    def final(self) -> np.ndarray:
        """Final states, shape ``(starts, paths, dim)``."""
        return self.states[:, :, -1, :]

    @property
    def limits(self) -> np.ndarray:
        """Per path, the profile of the vertex it ends at (None when at none), shape (starts, paths)."""
        out = np.full(self.final.shape[:2], None, dtype=object)
        for profile, coords in self.vertices:
            near = np.max(np.abs(self.final - coords), axis=-1) <= self.limit_tol
            for idx in zip(*np.nonzero(near)):
                out[idx] = profile
        return out

    def vertex_shares(self, start: int | None = None) -> dict:
        """Share of paths ending at each vertex (key None: at no vertex), over all starts or one."""
        lim = self.limits if start is None else self.limits[start:start + 1]
        total = lim.size
        flat = list(lim.flat)
        shares = {profile: sum(x == profile for x in flat) / total for profile, _ in self.vertices}
        shares[None] = float(sum(x is None for x in lim.flat)) / total
        return shares

    def mean(self) -> np.ndarray:
        """Mean over paths, shape ``(starts, T, dim)``."""
        return self.states.mean(axis=1)

    def quantiles(self, q) -> np.ndarray:
        """Quantiles over paths, shape ``(len(q), starts, T, dim)``."""
        return np.quantile(self.states, np.asarray(q, dtype=float), axis=1)

    def to_dicts(self) -> list:
        """One row per start and vertex: the share of paths ending there (plain Python values)."""
        rows = []
        for s in range(self.states.shape[0]):
            shares = self.vertex_shares(s)
            start = {x.name: float(v) for x, v in zip(self.state, self.states[s, 0, 0])}
            for profile, share in shares.items():
                rows.append({"start": s, **{f"start_{k}": v for k, v in start.items()},
                             "vertex": None if profile is None else list(profile), "share": share,
                             "paths": int(self.states.shape[1]), "t_max": float(self.times[-1]),
                             "dt": self.dt, "method": self.method,
                             "sigma": [float(v) for v in self.sigma]})
        return rows


def _sigma_vector(dynamics, sigma) -> np.ndarray:
    dim = len(dynamics.state)
    if isinstance(sigma, dict):
        out = np.zeros(dim)
        roles = dynamics.game.players
        offset = 0
        offsets = {}
        for role, c in zip(roles, dynamics.coordinates):
            offsets[role] = (offset, len(c))
            offset += len(c)
        for role, v in sigma.items():
            if role not in offsets:
                raise ParameterError(f"sigma names {role!r}, which is not a role of the game "
                                     f"({', '.join(roles)})")
            a, n = offsets[role]
            out[a:a + n] = float(v)
    else:
        out = np.broadcast_to(np.asarray(sigma, dtype=float), (dim,)).copy() if np.ndim(sigma) == 0 \
            else np.asarray(sigma, dtype=float)
        if out.shape != (dim,):
            raise ParameterError(f"sigma must be a number, one per state coordinate ({dim}) or a mapping "
                                 f"role -> number, got shape {out.shape}")
    if not np.all(np.isfinite(out)) or np.any(out < 0):
        raise ParameterError(f"sigma must be finite and >= 0, got {out.tolist()}")
    return out


def _blocks(numeric):
    """(role, slice of its coordinates) for every role with coordinates."""
    out, offset = [], 0
    for role, c in zip(numeric.game.players, numeric.coordinates):
        if c:
            out.append((role, slice(offset, offset + len(c))))
        offset += len(c)
    return out


def _check_commutative(numeric, sig):
    """Refuse Milstein when the noise is not commutative (two noisy coordinates in one role).

    With :math:`b^{k}(x) = \\sigma_k x_k x_{\\mathrm{last}}` driven by :math:`W_k`, the
    commutativity condition :math:`L^j b^k = L^k b^j` (:math:`L^j = b^j\\partial_j`; Kloeden &
    Platen 1992, Section 10.3) reads, for two coordinates :math:`j \\ne k` of one role,
    :math:`\\sigma_j x_j x_{\\mathrm{last}} \\cdot (-\\sigma_k x_k) = 0`: it holds only when
    one of :math:`\\sigma_j, \\sigma_k` is zero.
    """
    for role, sl in _blocks(numeric):
        noisy = [numeric.state[i].name for i in range(sl.start, sl.stop) if sig[i] > 0]
        if len(noisy) > 1:
            raise ParameterError(
                f"the Milstein scheme needs commutative noise, and role {role!r} has noise on "
                f"{', '.join(noisy)}: for coordinates j != k of one role the commutativity condition "
                f"L^j b^(k,k) = L^k b^(k,j) fails (b_j d(b_k)/dx_j = -sigma_j sigma_k x_j x_k x_last != 0, "
                f"b^(k,j) = 0), so an order-1 scheme needs the Levy areas of the pair of Brownian motions "
                f"(Kloeden & Platen 1992, Section 10.3); use method='euler-maruyama', or noise on at most "
                f"one coordinate of {role!r} (sigma per coordinate)")


def _sde_functions(numeric, sig):
    """Drift, diffusion, its own-coordinate derivative and the projection, on ``(dim, m)`` arrays."""
    field_fn = numeric.vector_field(layout="components")
    sig_col = sig[:, None]
    blocks = [sl for _, sl in _blocks(numeric)]

    def last_shares(Y):
        L = np.empty_like(Y)
        for sl in blocks:
            L[sl] = 1.0 - Y[sl].sum(axis=0, keepdims=True)
        return L

    def diffusion(Y):
        return sig_col * Y * last_shares(Y)

    def diffusion_derivative(Y):
        # d/dx_k [sigma_k x_k x_last] = sigma_k (x_last - x_k); for two strategies sigma (1 - 2x)
        return sig_col * (last_shares(Y) - Y)

    def drift(Y):
        return field_fn(Y)

    def project(Y):
        np.clip(Y, 0.0, 1.0, out=Y)
        for sl in blocks:
            if sl.stop - sl.start > 1:
                total = Y[sl].sum(axis=0)
                over = total > 1.0
                if np.any(over):
                    Y[sl, over] /= total[over]

    return drift, diffusion, diffusion_derivative, project


def simulate_sde(dynamics, values, initial, t_max: float, sigma, rng, *, dt: float = 0.01,
                 method: str = "euler-maruyama", paths: int = 1, n_points: int = 101,
                 limit_tol: float = 1e-3) -> SDEPaths:
    """Simulate the stochastic replicator dynamics on many paths from many starts at once.

    Parameters
    ----------
    dynamics : ReplicatorDynamics
    values : mapping or None
        Parameter values (None for a game without parameters).
    initial : array, shape (starts, dim) or (dim,)
    t_max : float
    sigma : float, sequence of float (one per state coordinate) or mapping role -> float
        Noise intensity; ``sigma = 0`` gives the deterministic Euler scheme.
    rng : numpy.random.Generator or int
        The only source of randomness; the same seed gives the same paths.
    dt : float
        Largest step; the step used is ``t_max / steps`` with ``steps`` a multiple of
        ``n_points - 1``.
    method : {"euler-maruyama", "milstein"}
    paths : int
        Paths per start.
    n_points : int
        Recorded times, equally spaced from 0 to ``t_max``.
    limit_tol : float
        Distance (max norm) within which a final state counts as at a vertex.

    Returns
    -------
    SDEPaths
    """
    from .simulate import check_initial

    _check_method(method)
    if not (math.isfinite(t_max) and t_max > 0) or not (math.isfinite(dt) and dt > 0):
        raise ParameterError(f"t_max and dt must be finite and positive, got t_max={t_max}, dt={dt}")
    for name, v in (("paths", paths), ("n_points", n_points)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < (1 if name == "paths" else 2):
            raise ParameterError(f"{name} must be an integer >= {1 if name == 'paths' else 2}, got {v!r}")
    rng = np.random.default_rng(rng)
    numeric = dynamics._numeric(values)
    Y0 = check_initial(numeric, initial)
    starts, dim = Y0.shape
    sig = _sigma_vector(numeric, sigma)
    if method == "milstein":
        _check_commutative(numeric, sig)
    drift, diffusion, diffusion_derivative, project = _sde_functions(numeric, sig)

    intervals = n_points - 1
    steps = intervals * max(1, math.ceil(t_max / dt / intervals))
    y0 = np.repeat(Y0, paths, axis=0).T.copy()  # (dim, starts * paths), start-major
    out = integrate_sde(drift, diffusion, y0, t_max, steps, rng, method=method,
                        diffusion_derivative=diffusion_derivative, record_every=steps // intervals,
                        project=project)
    states = out.reshape(n_points, dim, starts, paths).transpose(2, 3, 0, 1)
    vertices = tuple((p.profile, np.array([float(p.coordinates[x]) for x in numeric.state]))
                     for p in numeric.vertices())
    vals = {} if values is None else {s.name: v for s, v in
                                       dynamics.game.check_values(values, require_all=False).items()}
    return SDEPaths(times=np.linspace(0.0, float(t_max), n_points), states=states, state=numeric.state,
                    values=MappingProxyType(vals), sigma=sig, dt=float(t_max) / steps, method=method,
                    vertices=vertices, limit_tol=float(limit_tol))
