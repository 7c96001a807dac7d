"""Integration of many replicator trajectories at once, and basins of attraction.

:func:`dormand_prince` integrates ``k`` initial states together with the Dormand–Prince 5(4)
pair (the method of ``scipy.integrate.solve_ivp(method="RK45")``), with the error of every
trajectory controlled, all in numpy arrays: by default one step size for the batch, accepted when
every trajectory passes the error test, or a step size per trajectory. Output at common times
comes from the method's fourth-order dense output. After every accepted step each state is put back on the
product of simplices (negative shares clipped, shares renormalised), so trajectories stay in the
state space.

Why an integrator of our own rather than ``solve_ivp``: many starts are the common case (phase
portraits, basins, reports), and ``solve_ivp`` integrates one state vector. Looping over the
starts is, in ``benchmarks/bench_dynamics.py``, more than a thousand times slower for 10,000
trajectories; one ``solve_ivp`` call on the stacked state controls only the RMS error over all
trajectories together, so at the same tolerance its worst trajectory is ten times less accurate,
and at equal accuracy (maximum error 1e-6) this batch integrator was about 1.25 to 1.3 times as
fast (see ``docs/explanation/replicator-dynamics.md``). It also holds trajectories that have
reached a stable vertex and keeps every state in the simplex, which ``solve_ivp`` cannot.

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

import hashlib
import json
import time
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import sympy

from ..core.errors import ParameterError, ResourceLimitError, SolverError
from ..core.formatting import markdown_table
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


_B6 = np.ascontiguousarray(_B[:6])
_PT = np.ascontiguousarray(_P.T)


STEP_CONTROLS = ("shared", "trajectory")
#: Starts integrated together by :func:`basins`.
BASIN_CHUNK = 2**16
#: Starts integrated together by :func:`simulate` with a checkpoint folder and no ``chunk_size``.
SIMULATE_CHUNK = 1024
#: Upper bound on the starts of one :func:`basins` call.
MAX_SAMPLES = 10**8
#: Memory bound (bytes) of one :func:`simulate` call: states, stages and output.
DEFAULT_MAX_MEMORY = 2**30
#: Largest accepted time horizon of :func:`simulate` and :func:`basins`. Replicator trajectories
#: settle on the time scale of the payoff differences; a horizon beyond this is a typing error,
#: and would cost ``max_steps`` steps. Raise it (a module attribute) for slow dynamics.
MAX_T_MAX = 1e6
#: The ``method`` recorded in :class:`Trajectories` for each ``step_control``.
METHODS = {"shared": "Dormand-Prince 5(4), one step size for the batch",
            "trajectory": "Dormand-Prince 5(4), a step size per trajectory"}


def dormand_prince(f: Callable, y0, t_eval, *, rtol: float = 1e-8, atol: float = 1e-10,
                   project: Callable | None = None, max_steps: int = 100_000, layout: str = "states",
                   step_control: str = "shared", settle=None, progress: Callable | None = None):
    """Integrate ``y' = f(y)`` (autonomous) from many initial states at once.

    All trajectories are advanced together, in arrays with one row per state coordinate and one
    column per trajectory. The error of every trajectory is controlled: a step is accepted for a
    trajectory when the RMS over its components of
    ``err / (atol + rtol * max(|y_old|, |y_new|))`` is at most one. Two ways to choose the steps:

    ``step_control="shared"`` (default)
        One step size for the whole batch, accepted when the test passes for *every* trajectory
        (the largest per-trajectory error norm is at most one). The trajectory that is hardest at
        each moment sets the step, so the others are integrated more accurately than asked.
        Output at ``t_eval`` comes from the dense output of the steps, for all trajectories at
        once.
    ``step_control="trajectory"``
        Every trajectory has its own step size, and leaves the arrays once it reaches the last
        output time. Fewer evaluations of ``f`` when the trajectories differ greatly in
        difficulty, but more bookkeeping per step; for the same tolerance each trajectory's
        error is larger than with a shared step (each takes the largest step its own test
        allows).

    Parameters
    ----------
    f : callable
        The vector field. With ``layout="states"`` it maps states of shape ``(m, dim)`` to
        derivatives of the same shape; with ``layout="components"`` it maps ``(dim, m)`` to
        ``(dim, m)`` and accepts ``out=``, an array of that shape to write into (as returned by
        ``ReplicatorDynamics.vector_field(values, layout="components")``).
    y0 : array, shape (k, dim)
    t_eval : array, shape (T,)
        Increasing output times, starting at 0.
    rtol, atol : float
        Tolerances of the error test above.
    project : callable, optional
        Puts accepted states back into the state space, for example onto a simplex. With
        ``layout="states"`` it maps ``(m, dim)`` to ``(m, dim)``. With ``layout="components"`` it
        changes a ``(dim, m)`` array in place and returns a boolean mask of the columns it moved
        (or None when it moved none).
    max_steps : int
        Limit on accepted plus rejected steps (of the batch, or of any one trajectory).
    layout : {"states", "components"}
        The array layout ``f`` and ``project`` work in (see above).
    step_control : {"shared", "trajectory"}
        See above.
    settle : array, shape (p, dim), optional
        Asymptotically stable rest points. A trajectory whose state, after an accepted step, is
        within ``atol`` (max-norm) of one of them is *held*: it leaves the arrays and keeps that
        state at every later output time. Near a hyperbolic stable rest point the true solution
        stays within a few ``atol`` of it, so a held trajectory's outputs change by no more
        than the error the test allows there, while trajectories that have arrived cost nothing
        more. With a shared step the trajectories left then take the steps their own error tests
        allow. Points that are not asymptotically stable must not be given.

    Returns
    -------
    states : array, shape (k, T, dim)
    steps : array of int, shape (k,)
        Accepted steps per trajectory (until it was held, for a held one).
    evaluations : int
        Number of state evaluations of ``f`` (a call on ``m`` states counts ``m``).

    Raises
    ------
    SolverError
        When more than ``max_steps`` steps are needed, or the step size underflows; the message
        names the trajectory that limits the step.
    """
    y = np.array(y0, dtype=float)
    if y.ndim != 2:
        raise ParameterError(f"initial states must have shape (k, dim), got {y.shape}")
    if step_control not in STEP_CONTROLS:
        raise ParameterError(f"step_control must be one of {', '.join(STEP_CONTROLS)}, got {step_control!r}")
    if layout == "states":
        f, project = _in_components(f, project)
    elif layout != "components":
        raise ParameterError(f"layout must be 'states' or 'components', got {layout!r}")
    t_eval = np.asarray(t_eval, dtype=float)
    k, dim = y.shape
    T = len(t_eval)
    # output buffer in time-major, component-major order (written step by step); returned as a
    # (k, T, dim) view
    buffer = np.empty((T, dim, k))
    buffer[0] = y.T
    out = buffer.transpose(2, 0, 1)
    if T == 1 or k == 0:
        return out, np.zeros(k, dtype=int), 0
    Y = np.ascontiguousarray(y.T)  # (dim, k): row d holds coordinate d of every trajectory
    run = _shared_steps if step_control == "shared" else _trajectory_steps
    steps, nfev = run(f, Y, t_eval, buffer, rtol, atol, project, max_steps, _settle_points(settle, dim), progress)
    return out, steps, nfev


def _in_components(f_states, project_states):
    """A vector field and projector on states ``(m, dim)`` as the ``(dim, m)`` ones of
    ``layout="components"`` (``out=`` for the field, in place with a mask of moved columns for
    the projector)."""

    def f(Y, out=None):
        r = np.asarray(f_states(Y.T), dtype=float).T
        if out is None:
            return np.array(r)
        out[...] = r
        return out

    if project_states is None:
        return f, None

    def project(Y):
        P = np.asarray(project_states(Y.T), dtype=float).T
        moved = np.any(P != Y, axis=0)
        if not moved.any():
            return None
        Y[...] = P
        return moved

    return f, project


def _settle_points(settle, dim):
    """The points to hold trajectories at as an array ``(p, dim)``, or None for none (no points,
    or a zero-dimensional state)."""
    if settle is None or not dim:
        return None
    settle = np.array(settle, dtype=float).reshape(-1, dim)
    return settle if len(settle) else None


def _near(Y, points, tol):
    """Boolean mask of the columns of ``Y`` (dim, m) within ``tol`` (max-norm) of one of ``points``.

    All points at once (one broadcast over points, rows and columns) while that array is small;
    point by point beyond (the same mask, bounded memory).
    """
    if len(points) * Y.size <= 1 << 18:
        return np.any(np.max(np.abs(Y[None, :, :] - points[:, :, None]), axis=1) <= tol, axis=0)
    near = np.zeros(Y.shape[1], dtype=bool)
    for p in points:
        near |= np.max(np.abs(Y - p[:, None]), axis=0) <= tol
    return near


def _hold(buffer, start, cols, states):
    """Write ``states[:, n]`` into column ``cols[n]`` of ``buffer`` (T, dim, k) from output index
    ``start[n]`` on (a number, or one per column)."""
    start = np.broadcast_to(np.asarray(start), cols.shape)
    for s in np.unique(start):
        sel = start == s
        buffer[s:, :, cols[sel]] = states[:, sel][None]


def _interpolate(Q, theta, h, y, out):
    """Shampine's dense output ``y + h theta (Q_0 + theta (Q_1 + theta (Q_2 + theta Q_3)))``,
    written into ``out``; ``theta`` is the fraction of the step (a number or one per column)."""
    np.multiply(Q[3], theta, out=out)
    out += Q[2]
    out *= theta
    out += Q[1]
    out *= theta
    out += Q[0]
    out *= theta * h
    out += y
    return out


def _column_norms(x):
    """RMS over the rows of each column of a ``(dim, m)`` array."""
    dim = x.shape[0]
    return np.sqrt(np.einsum("ij,ij->j", x, x) / dim) if dim else np.zeros(x.shape[1])


# Row coefficients of the stage arguments over the logical rows [y, K_0, ..., K_{s-1}] (the ones
# multiplying K are scaled by h at each step), of y_new over [y, K_0, ..., K_5], and of the error
# estimate and dense output over [K_0, ..., K_6].
_STAGE_ROWS = [None] + [np.r_[1.0, _A[s]] for s in range(1, 6)]
_NEW_ROWS = np.r_[1.0, _B6]


def _shared_steps(f, Y0, t_eval, buffer, rtol, atol, project, max_steps, settle=None, progress=None):
    """Dormand–Prince 5(4) with one step size for the batch; see :func:`dormand_prince`.

    The state, the seven stages and the proposed state live in one array ``R`` of nine rows
    (each ``(dim, m)``), in the logical order ``[y, K_0, ..., K_6, y_new]``, so every linear
    combination of stages is one matrix-vector product over a block of rows. After an accepted
    step ``y_new`` and ``K_6`` become the next ``y`` and ``K_0`` (first same as last) by reading
    ``R`` in the reverse order, without copying: logical row ``i`` is physical row ``i`` or
    ``8 - i``, alternately (see :class:`_SharedBatch`). Held trajectories (see ``settle``) leave
    the arrays; ``ids`` maps the ``m`` columns left to the ``k`` trajectories.
    """
    dim, k = Y0.shape
    T = len(t_eval)
    t_end = float(t_eval[-1])
    ids = None  # columns are the trajectories themselves until some are held
    held_steps = np.full(k, -1)
    batch = _SharedBatch(dim, k)
    batch.R[0] = Y0
    f(batch.R[0], out=batch.R[1])
    h = _shared_initial_step(f, batch.R[0], batch.R[1], rtol, atol, t_end)
    nfev = 2 * k
    t, j, steps, attempts, rejected, worst = 0.0, 1, 0, 0, False, None
    while t < t_end:
        if attempts >= max_steps or h < 1e-14 * max(1.0, abs(t)):
            raise _batch_failure(max_steps, attempts, h, t, worst if ids is None or worst is None else ids[worst])
        last = h >= t_end - t
        if last:
            h = t_end - t
        en, worst = batch.attempt(f, h, rtol, atol)
        nfev += 6 * batch.m
        attempts += 1
        if not en <= 1:  # also when the error is NaN
            h *= max(_MIN_FACTOR, _SAFETY * en ** -0.2) if np.isfinite(en) else _MIN_FACTOR
            rejected = True
            continue
        t_new = t_end if last else t + h
        if j < T and t_eval[j] <= t_new:
            j = _shared_outputs(batch, buffer, t_eval, j, t, t_new, h, project, ids)
        if project is not None:
            nfev += _reproject(batch.row(8), batch.row(7), f, project)
        batch.parity ^= 1
        h *= _growth(en, rejected)
        t = t_new
        steps += 1
        rejected = False
        if progress is not None:
            progress(t)
        if settle is not None and t < t_end:
            batch, ids = _hold_arrived(batch, buffer, j, ids, settle, atol, steps, held_steps)
            if batch is None:
                return held_steps, nfev
    held_steps[held_steps < 0] = steps
    return held_steps, nfev


class _SharedBatch:
    """The arrays of a batch with one step size: the nine rows ``R`` (each ``(dim, m)``, logical
    order ``[y, K_0, ..., K_6, y_new]``, stored reversed when ``parity`` is 1) and three work
    arrays ``(dim, m)``; see :func:`_shared_steps`."""

    def __init__(self, dim, m):
        self.dim, self.m, self.parity = dim, m, 0
        self.R = np.empty((9, dim, m))
        self.buf, self.s1, self.s2 = (np.empty((dim, m)) for _ in range(3))

    def row(self, i):
        """Logical row ``i``."""
        return self.R[8 - i if self.parity else i]

    def combine(self, coefs, lo, out):
        """``out = sum_j coefs[j] * row[lo + j]`` over logical rows, flattened."""
        hi = lo + len(coefs)
        R2 = self.R.reshape(9, self.dim * self.m)
        if self.parity:
            np.dot(coefs[::-1], R2[9 - hi:9 - lo], out=out)
        else:
            np.dot(coefs, R2[lo:hi], out=out)

    def attempt(self, f, h, rtol, atol):
        """The stages and ``y_new`` of a step of size ``h``; returns the largest error norm over
        the trajectories and the column that has it."""
        dim, n = self.dim, self.dim * self.m
        buf, s1, s2 = self.buf, self.s1, self.s2
        flat = buf.reshape(n)
        for st in range(1, 6):
            coefs = _STAGE_ROWS[st] * h
            coefs[0] = 1.0
            self.combine(coefs, 0, flat)
            f(buf, out=self.row(st + 1))
        coefs = _NEW_ROWS * h
        coefs[0] = 1.0
        Y, Y_new = self.row(0), self.row(8)
        self.combine(coefs, 0, Y_new.reshape(n))
        f(Y_new, out=self.row(7))
        # error estimate, scaled per component; RMS per trajectory; the largest decides
        self.combine(_E * h, 1, flat)
        np.abs(Y, out=s1)
        np.abs(Y_new, out=s2)
        np.maximum(s1, s2, out=s1)
        s1 *= rtol
        s1 += atol
        buf /= s1
        buf *= buf
        sums = buf.sum(axis=0)
        worst = int(np.argmax(sums))
        return (float(np.sqrt(sums[worst] / dim)) if dim else 0.0), worst

    def dense(self):
        """The coefficients ``Q`` (4, dim, m) of the dense output of the step just taken."""
        n = self.dim * self.m
        Q = np.empty((4, self.dim, self.m))
        # the stages K_0..K_6 are physical rows 1..7 in either order
        np.dot(_PT[:, ::-1] if self.parity else _PT, self.R.reshape(9, n)[1:8], out=Q.reshape(4, n))
        return Q

    def kept(self, keep):
        """A batch of the columns ``keep`` of the current ``y`` and ``K_0``."""
        y_keep, k_keep = self.row(0)[:, keep], self.row(1)[:, keep]
        batch = _SharedBatch(self.dim, keep.size)
        batch.R[0], batch.R[1] = y_keep, k_keep
        return batch


def _shared_initial_step(f, Y, F, rtol, atol, t_end):
    """The first step size (Hairer, Norsett & Wanner, Sec. II.4, as in scipy), the smallest over
    the batch; ``F = f(Y)``."""
    scale = atol + np.abs(Y) * rtol
    d0, d1 = np.max(_column_norms(Y / scale)), np.max(_column_norms(F / scale))
    h0 = 1e-6 if (d0 < 1e-5 or d1 < 1e-5) else 0.01 * d0 / d1
    d2 = np.max(_column_norms((f(Y + h0 * F) - F) / scale)) / h0
    h1 = max(1e-6, h0 * 1e-3) if max(d1, d2) <= 1e-15 else (0.01 / max(d1, d2)) ** 0.2
    return min(100 * h0, h1, t_end)


def _batch_failure(max_steps, attempts, h, t, worst):
    """The SolverError of a batch that needs too many steps or too small a step."""
    limit = f"more than {max_steps} steps" if attempts >= max_steps else f"a step size of {h:.3g}"
    by = "" if worst is None else f", the step being set by trajectory {worst}"
    return SolverError(f"the batch needed {limit} at t = {t:.6g}{by}; loosen rtol, shorten t_max or raise max_steps")


def _shared_outputs(batch, buffer, t_eval, j, t, t_new, h, project, ids):
    """Write the dense output at the output times ``t_eval[j] <= t_new`` of the step from ``t``;
    returns the index of the next output time."""
    Q = batch.dense()
    Y = batch.row(0)
    T = len(t_eval)
    while j < T and t_eval[j] <= t_new:
        v = _interpolate(Q, (t_eval[j] - t) / h, h, Y, buffer[j] if ids is None else np.empty((batch.dim, batch.m)))
        if project is not None:
            project(v)
        if ids is not None:
            buffer[j][:, ids] = v
        j += 1
    return j


def _reproject(Y, K, f, project) -> int:
    """Put the accepted states ``Y`` back into the state space (in place) and evaluate the stage
    ``K`` of the columns moved again; returns the number of evaluations."""
    moved = project(Y)
    if moved is None:
        return 0
    cols = np.flatnonzero(moved)
    K[:, cols] = f(np.ascontiguousarray(Y[:, cols]))
    return cols.size


def _growth(en, rejected):
    """The factor of the next step size after an accepted step with error norm ``en``."""
    factor = _MAX_FACTOR if en == 0 else min(_MAX_FACTOR, _SAFETY * en ** -0.2)
    return min(1.0, factor) if rejected else factor


def _hold_arrived(batch, buffer, j, ids, settle, atol, steps, held_steps):
    """Hold the trajectories within ``atol`` of a ``settle`` point once enough have arrived: write
    their state from output ``j`` on and drop them. Returns the batch left (None when none is)
    and its ``ids``."""
    Y = batch.row(0)
    near = _near(Y, settle, atol)
    n_near = int(np.count_nonzero(near))
    if not n_near or (n_near != batch.m and 16 * n_near < batch.m):
        return batch, ids
    cols = np.flatnonzero(near)
    orig = cols if ids is None else ids[cols]
    _hold(buffer, j, orig, Y[:, cols])
    held_steps[orig] = steps
    keep = np.flatnonzero(~near)
    if not keep.size:
        return None, ids
    return batch.kept(keep), (keep if ids is None else ids[keep])


def _trajectory_steps(f, Y, t_eval, buffer, rtol, atol, project, max_steps, settle=None, progress=None):
    """Dormand–Prince 5(4) with a step size per trajectory; see :func:`dormand_prince`.

    The trajectories not finished are the columns of an :class:`_OwnSteps`; a step is tried for
    all of them at once, and each accepts or rejects its own. Finished (and held) ones leave the
    arrays once they are a sixteenth of the columns.
    """
    dim, k = Y.shape
    T = len(t_eval)
    t_end = float(t_eval[-1])
    flat_out = buffer.reshape(-1)
    total_steps = np.zeros(k, dtype=int)
    f0 = f(Y)
    h = _trajectory_initial_steps(f, Y, f0, rtol, atol)
    nfev = 2 * k
    run = _OwnSteps(Y, f0, np.arange(k), np.zeros(k), h, np.ones(k, dtype=np.intp), np.full(k, t_eval[1]),
                    np.zeros(k, dtype=int), np.zeros(k, dtype=int))
    while run.m:
        if run.attempts.max() >= max_steps:
            bad = int(np.argmax(run.attempts))
            raise SolverError(f"trajectory {int(run.ids[bad])} needed more than {max_steps} steps "
                              f"(t = {run.t[bad]:.6g}); loosen rtol or shorten t_max")
        hs, last, en = run.attempt(f, t_end, rtol, atol)
        live = hs > 0  # finished trajectories not yet removed take steps of length 0
        nfev += 6 * run.m
        ok = en <= 1
        # the step factor SAFETY en^(-1/5), clipped; an error norm of 0 (or below 1e-300) gives
        # the largest factor, as en^(-1/5) = inf would, without a division by zero
        factor = np.minimum(np.maximum(_SAFETY * np.maximum(en, 1e-300) ** -0.2, _MIN_FACTOR), _MAX_FACTOR)
        run.attempts += 1
        t_new = np.where(last, t_end, run.t + hs)
        # dense output at the output times passed by the accepted steps (before y is overwritten)
        sel = np.flatnonzero(ok & (run.t_next <= t_new))
        if sel.size:
            run.write_outputs(sel, hs, t_new, t_eval, flat_out, k, project)
        run.accept(ok, t_new, live)
        if project is not None:
            nfev += _reproject(run.Y, run.K[0], f, project)
        run.h = hs * factor
        if progress is not None:  # the slowest live trajectory's time (never decreases)
            progress(float(np.min(np.where(run.nxt < T, run.t, t_eval[-1]))))
        if settle is not None:
            run.hold(settle, atol, buffer, T)
        run = run.without_done(total_steps, T)
    return total_steps, nfev


def _trajectory_initial_steps(f, Y, f0, rtol, atol):
    """The first step size of each trajectory (Hairer, Norsett & Wanner, Sec. II.4, as in scipy)."""
    scale = atol + np.abs(Y) * rtol
    d0, d1 = _column_norms(Y / scale), _column_norms(f0 / scale)
    with np.errstate(divide="ignore", invalid="ignore"):
        h0 = np.where((d0 < 1e-5) | (d1 < 1e-5), 1e-6, 0.01 * d0 / d1)
        f1 = f(Y + h0 * f0)
        d2 = _column_norms((f1 - f0) / scale) / h0
        big = np.maximum(d1, d2)
        h1 = np.where(big <= 1e-15, np.maximum(1e-6, h0 * 1e-3), (0.01 / big) ** 0.2)
    return np.minimum(100 * h0, h1)


class _OwnSteps:
    """The live trajectories of a run with a step size each (see :func:`_trajectory_steps`).

    Per column: the trajectory (``ids``), its time ``t``, step size ``h``, index ``nxt`` and time
    ``t_next`` of its next output, accepted ``steps`` and ``attempts``; the states ``Y``
    ``(dim, m)``, the stages ``K`` ``(7, dim, m)`` and work arrays.
    """

    def __init__(self, Y, K0, ids, t, h, nxt, t_next, steps, attempts):
        dim, m = Y.shape
        self.m, self.Y, self.ids, self.t, self.h = m, Y, ids, t, h
        self.nxt, self.t_next, self.steps, self.attempts = nxt, t_next, steps, attempts
        self.K = np.empty((7, dim, m))
        self.K[0] = K0
        self.Y_new = np.empty((dim, m))
        self.buf = np.empty((dim, m))

    def attempt(self, f, t_end, rtol, atol):
        """Stages and ``Y_new`` of one step of every trajectory (the last one ends at ``t_end``);
        returns the step sizes, which steps are last, and the error norm of each."""
        K, Y, Y_new, buf = self.K, self.Y, self.Y_new, self.buf
        dim, m = Y.shape
        K2 = K.reshape(7, dim * m)
        flat = buf.reshape(dim * m)
        rest = t_end - self.t
        last = self.h >= rest
        hs = np.where(last, rest, self.h)
        for s in range(1, 6):
            np.dot(_A[s], K2[:s], out=flat)
            buf *= hs
            buf += Y
            f(buf, out=K[s])
        np.dot(_B6, K2[:6], out=Y_new.reshape(dim * m))
        Y_new *= hs
        Y_new += Y
        f(Y_new, out=K[6])
        # error estimate, scaled per component, RMS per trajectory
        np.dot(_E, K2, out=flat)
        buf *= hs
        scale = np.maximum(np.abs(Y), np.abs(Y_new))
        scale *= rtol
        scale += atol
        buf /= scale
        inv_dim = 1.0 / dim if dim else 0.0
        return hs, last, np.sqrt(np.einsum("ij,ij->j", buf, buf) * inv_dim)

    def write_outputs(self, i, hs, t_new, t_eval, flat_out, k, project):
        """Dense output of the steps of columns ``i`` at every output time they pass, written into
        the flat output buffer (``T, dim, k``).

        Every (column, output time) pair of the steps is interpolated in one pass: column ``i[n]``
        passes the output times from its next one, ``nxt``, up to the last one at or before the
        end of its step.
        """
        K, Y, ids = self.K, self.Y, self.ids
        dim, T = Y.shape[0], len(t_eval)
        first = self.nxt[i]
        end = np.searchsorted(t_eval, t_new[i], side="right")  # outputs at or before the step's end
        counts = end - first  # at least one: the caller selects the columns that pass an output
        if counts.sum() == i.size:  # one output each (the common case)
            cols, out_index = i, first
        else:
            rep = np.repeat(np.arange(i.size), counts)
            cols = i[rep]
            out_index = np.arange(rep.size) - (np.cumsum(counts) - counts)[rep] + first[rep]
        N = cols.size
        Q = (_PT @ np.take(K, cols, axis=2).reshape(7, dim * N)).reshape(4, dim, N)
        h = hs[cols]
        vals = _interpolate(Q, (t_eval[out_index] - self.t[cols]) / h, h, np.take(Y, cols, axis=1), np.empty((dim, N)))
        if project is not None:
            project(vals)
        pos = out_index * (dim * k) + ids[cols]
        flat_out[pos[None, :] + (np.arange(dim) * k)[:, None]] = vals
        self.nxt[i] = end
        self.t_next[i] = np.where(end < T, t_eval[np.minimum(end, T - 1)], np.inf)

    def accept(self, ok, t_new, live):
        """Take the accepted steps (``ok``); the rejected trajectories keep their state."""
        K = self.K
        if ok.all():
            self.Y, self.Y_new = self.Y_new, self.Y
            K[0] = K[6]
            self.t = t_new
            self.steps += live
            return
        # accept all, then put the rejected trajectories back (rejections are few)
        j = np.flatnonzero(~ok)
        k0 = K[0][:, j]
        self.Y_new[:, j] = self.Y[:, j]
        self.Y, self.Y_new = self.Y_new, self.Y
        K[0] = K[6]
        K[0][:, j] = k0
        self.t = np.where(ok, t_new, self.t)
        self.steps += ok & live

    def hold(self, settle, atol, buffer, T):
        """Trajectories within ``atol`` of a ``settle`` point keep their state at every later
        output time and are finished (removed by :meth:`without_done`)."""
        near = _near(self.Y, settle, atol) & (self.nxt < T)
        if near.any():
            i = np.flatnonzero(near)
            _hold(buffer, self.nxt[i], self.ids[i], self.Y[:, i])
            self.nxt[i] = T
            self.t_next[i] = np.inf

    def without_done(self, total_steps, T):
        """The run without its finished trajectories, once they are a sixteenth of the columns
        (their steps go to ``total_steps``); else this run."""
        done = self.nxt >= T
        n_done = int(np.count_nonzero(done))
        if not n_done or (n_done != self.m and 16 * n_done < self.m):
            return self
        total_steps[self.ids[done]] = self.steps[done]
        keep = np.flatnonzero(~done)
        ids, t, h, nxt, t_next, steps, attempts = (
            a[keep] for a in (self.ids, self.t, self.h, self.nxt, self.t_next, self.steps, self.attempts))
        return _OwnSteps(np.ascontiguousarray(self.Y[:, keep]), self.K[0][:, keep], ids, t, h, nxt, t_next, steps,
                         attempts)


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
        For each trajectory the rest point it has converged to, or None: its final state is
        within ``limit_tol`` of the point (max-norm) and its speed stayed at most ``speed_tol``
        over the last stretch of the run (see :func:`simulate`).
    state : tuple of sympy.Symbol
    values : dict
        The parameter values (exact).
    t_max, rtol, atol, limit_tol : float
    method : str
        The integrator and its step control (see :func:`dormand_prince`).
    steps : array of int, shape (k,)
        Accepted steps per trajectory (until it was held, for a held one).
    settle : bool
        Whether trajectories were held once within ``atol`` of a stable vertex (see
        :func:`simulate`).
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
    method: str = "Dormand-Prince 5(4), one step size for the batch"
    steps: np.ndarray = field(default=None, repr=False)
    settle: bool = False
    speed_tol: float = 1e-6

    def __len__(self):
        return self.states.shape[0]

    def to_dataframe(self, numeric: bool = False, *, limits: bool = False):
        """The trajectories as a pandas DataFrame.

        By default one row per trajectory and output time (``trajectory``, ``time``, one column
        per state coordinate, ``limit``); with ``limits=True`` one row per trajectory: its
        initial and final state, the rest point it approaches (``limit``, ``None`` if none) and
        its accepted steps. States are floats; ``numeric`` is accepted for a uniform interface.
        """
        from ..core.frames import frame

        names = [str(s) for s in self.state]
        labels = [None if lim is None else lim.label() for lim in self.limits]
        states = np.asarray(self.states, dtype=float)
        if limits:
            rows = [{"trajectory": i, **{f"{n} (start)": float(states[i, 0, d]) for d, n in enumerate(names)},
                     **{f"{n} (end)": float(states[i, -1, d]) for d, n in enumerate(names)},
                     "limit": labels[i], "steps": None if self.steps is None else int(self.steps[i])}
                    for i in range(states.shape[0])]
            return frame(rows, numeric=numeric, index="trajectory")
        rows = [{"trajectory": i, "time": float(t), **{n: float(states[i, j, d]) for d, n in enumerate(names)},
                 "limit": labels[i]}
                for i in range(states.shape[0]) for j, t in enumerate(self.times)]
        return frame(rows, numeric=numeric, index=["trajectory", "time"])

    def _summary(self):
        counts: dict = {}
        for lim in self.limits:
            label = "(no rest point reached)" if lim is None else lim.label()
            counts[label] = counts.get(label, 0) + 1
        return ["rest point approached", "trajectories"], sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    def _caption(self) -> str:
        return f"{len(self)} trajectories to t = {self.t_max:g} ({self.method}, rtol {self.rtol:g})"

    def to_markdown(self) -> str:
        """Where the trajectories end: one row per rest point approached, with the count."""
        return f"**{self._caption()}**\n\n" + markdown_table(*self._summary())

    def _repr_markdown_(self):
        return self.to_markdown()

    def _repr_latex_(self):
        from ..core.formatting import latex_table

        return latex_table(*self._summary())

    def _repr_html_(self):
        from ..core.notebook import html_table

        return html_table(*self._summary(), caption=self._caption())

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

    def to_dataframe(self, numeric: bool = False):
        """One row per stable rest point (its label, exact coordinates, starts, share, standard
        error) and a last row for the starts that reached none."""
        from ..core.frames import frame

        rows = [{"rest point": p.label(), "coordinates": sympy.Tuple(*p.coordinates.values()), "starts": c,
                 "share": s, "std. error": e}
                for p, c, s, e in zip(self.points, self.counts, self.shares, self.standard_errors)]
        rows.append({"rest point": "(no stable point reached)", "coordinates": None, "starts": self.unresolved,
                     "share": self.unresolved / self.samples, "std. error": None})
        return frame(rows, numeric=numeric)

    def as_dict(self) -> dict:
        """Point label -> share."""
        return {p.label(): s for p, s in zip(self.points, self.shares)}

    _HEADER = ("stable rest point", "starts", "share", "std. error")

    def _rows(self):
        rows = [[p.label(), c, f"{s:.4f}", f"{e:.4f}"]
                for p, c, s, e in zip(self.points, self.counts, self.shares, self.standard_errors)]
        rows.append(["(no stable point reached)", self.unresolved, f"{self.unresolved / self.samples:.4f}", ""])
        return rows

    def to_markdown(self) -> str:
        """One row per stable rest point: starts, share and its standard error."""
        return markdown_table(self._HEADER, self._rows())

    def _repr_markdown_(self):
        return self.to_markdown()

    def _repr_latex_(self):
        from ..core.formatting import latex_table

        return latex_table(list(self._HEADER), self._rows())

    def _repr_html_(self):
        from ..core.notebook import html_table

        return html_table(self._HEADER, self._rows(), caption=f"basins from {self.samples} uniform starts, "
                                                            f"t = {self.t_max:g}")


# ---------------------------------------------------------------------- helpers
def _matcher(point):
    if isinstance(point, RestPoint):
        return lambda p: p is not None and p == point
    profile = tuple(point)
    return lambda p: p is not None and p.profile == profile


def projector(dynamics, layout: str = "states"):
    """Clip negative shares and renormalise each role's share vector, in reduced coordinates.

    With ``layout="states"`` the projector maps states ``(m, dim)`` to a projected copy. With
    ``layout="components"`` it changes a ``(dim, m)`` array in place and returns the boolean mask
    of the columns it moved, or None when every state was already in the state space (the form
    :func:`dormand_prince` takes).
    """
    blocks = []
    start = 0
    for c in dynamics.coordinates:
        if len(c):
            blocks.append((start, start + len(c)))
        start += len(c)

    singletons = all(b - a == 1 for a, b in blocks)

    def project_components(Y):
        if Y.size == 0:
            return None
        if singletons:
            if Y.min() >= 0.0 and Y.max() <= 1.0:
                return None
        elif Y.min() >= 0.0 and all(Y[a:b].sum(axis=0).max() <= 1.0 for a, b in blocks):
            return None
        if singletons:
            moved = np.any((Y < 0.0) | (Y > 1.0), axis=0)
            np.clip(Y, 0.0, 1.0, out=Y)
            return moved
        moved = None
        for a, b in blocks:
            block = Y[a:b]
            if b - a == 1:
                bad = (block[0] < 0) | (block[0] > 1)
            else:
                bad = np.any(block < 0, axis=0) | (block.sum(axis=0) > 1)
            if not bad.any():
                continue
            j = np.flatnonzero(bad)
            sub = np.maximum(block[:, j], 0.0)
            if b - a == 1:
                np.minimum(sub, 1.0, out=sub)
            else:
                total = sub.sum(axis=0)
                over = total > 1
                sub[:, over] /= total[over]
            block[:, j] = sub
            moved = bad if moved is None else (moved | bad)
        return moved

    def project_states(Y):
        Z = np.array(np.asarray(Y, dtype=float).T)
        project_components(Z)
        return Z.T

    return project_components if layout == "components" else project_states


def check_initial(dynamics, initial) -> np.ndarray:
    """The starts ``initial`` as a float array ``(k, dim)`` (one start ``(dim,)`` becomes ``(1, dim)``).

    Raises ParameterError naming the first start outside the state space of ``dynamics`` (a share
    below 0 or above 1, or a role's shares summing to more than 1), or when the shape does not
    match the state or a value is not finite.
    """
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


def rest_point_table(dynamics, values, timeout=None):
    """The rest points and their stability at checked or unchecked ``values``, computed once.

    The table is that of the numeric system at the values (``values`` of the table: ``{}``) and
    is kept on it, so that :func:`simulate`, :func:`basins` and the analysis pipeline share one
    rest-point search per value set; the warnings of the search are repeated whenever the kept
    table is used. ``timeout`` is deprecated and ignored.
    """
    warn_timeout(timeout)
    return _full_table(dynamics._numeric_at(dynamics._checked_values(values)))


def _full_table(numeric):
    """The full stability table of a numeric system, computed once and kept on it."""
    cache = numeric._numeric_cache
    if "_full_table" not in cache:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            numeric.stability()
        cache["_full_table_said"] = tuple((w.message, w.category) for w in caught)
    for message, category in cache.get("_full_table_said", ()):
        warnings.warn(message, category, stacklevel=3)
    return cache["_full_table"]


def _known_rest_points(dynamics, search: bool = False):
    """The rest points used to label limits, with the exact vertex rows.

    The vertices (read off the payoff table) and every rest point of a full table already
    computed for these values (:meth:`ReplicatorDynamics.stability` and :func:`rest_point_table`
    keep it); with ``search=True`` the full table is computed if it is not known yet. Returns
    ``(vertex rows, points, array of points)``.
    """
    cache = dynamics._numeric_cache
    if "_vertex_rows" not in cache:
        cache["_vertex_rows"] = dynamics._vertex_rows(True, 1e-9)
    rows = cache["_vertex_rows"]
    if search:
        _full_table(dynamics)
    pts = [r.point for r in rows]
    table = cache.get("_full_table")
    if table is not None:
        pts += [r.point for r in table.rows if r.point.kind != "vertex"]
    arr = np.array([p.as_array() for p in pts]) if pts else np.empty((0, len(dynamics.state)))
    return rows, pts, arr


def label_limits(final, pts, arr, tol, converged=None):
    """The rest point each final state is within ``tol`` (max-norm) of, where ``converged`` allows it.

    ``final`` is ``(k, dim)``, ``pts`` the candidate rest points and ``arr`` their coordinates
    ``(len(pts), dim)``; ``converged`` (optional, boolean ``(k,)``) marks the trajectories that
    have come to rest. Returns one point (or None) per final state, as ``Trajectories.limits``.
    """
    if not len(pts):
        return (None,) * len(final)
    d = np.max(np.abs(final[:, None, :] - arr[None, :, :]), axis=2, initial=0.0)
    j = np.argmin(d, axis=1)
    near = d[np.arange(len(final)), j] <= tol
    if converged is not None:
        near &= converged
    return tuple(pts[jj] if ok else None for jj, ok in zip(j, near))


def check_t_max(t_max):
    """Refuse a time horizon that is not a positive finite number (ParameterError) or is beyond
    :data:`MAX_T_MAX` (ResourceLimitError)."""
    if isinstance(t_max, bool) or not isinstance(t_max, (int, float, np.integer, np.floating)):
        raise ParameterError(f"t_max must be a positive finite number, got {t_max!r}")
    if not (np.isfinite(t_max) and t_max > 0):
        raise ParameterError(f"t_max must be a positive finite number, got {t_max!r}")
    if t_max > MAX_T_MAX:
        raise ResourceLimitError(f"t_max = {t_max:g} is more than MAX_T_MAX = {MAX_T_MAX:g} (raise "
                                 "coopgame.dynamics.simulate.MAX_T_MAX for slower dynamics)")


def _converged(f, states, times, dim, speed_tol, stretch):
    """Trajectories whose speed (max-norm of the field) is <= ``speed_tol`` at every output time
    of the last ``stretch`` fraction of the run (at least the final one)."""
    k = states.shape[0]
    if dim == 0 or k == 0:
        return np.ones(k, dtype=bool)
    last = np.flatnonzero(times >= times[-1] * (1.0 - stretch))  # never empty: holds the final time
    Y = states[:, last, :].reshape(-1, dim).T.copy()
    speed = np.max(np.abs(f(Y)), axis=0).reshape(k, len(last))
    return np.all(speed <= speed_tol, axis=1)


def simulate(dynamics, values, initial, t_max, *, n_points: int = 101, t_eval=None, rtol: float = 1e-8,
             atol: float = 1e-10, limit_tol: float = 1e-3, max_steps: int = 100_000,
             timeout: float | None = None, step_control: str = "shared",
             max_memory: int = DEFAULT_MAX_MEMORY, settle: bool = True, progress: bool = False,
             speed_tol: float = 1e-6, stretch: float = 0.1, search: bool = False,
             chunk_size: int | None = None, out=None, identity: Mapping | None = None) -> Trajectories:
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
        Tolerances of the Dormand–Prince error test, applied to every trajectory.
    limit_tol : float
        A trajectory's limit is a rest point when its final state is within this max-norm
        distance of it *and* it has converged (see ``speed_tol``).
    max_steps : int
        Step limit per trajectory (:class:`~coopgame.errors.SolverError` beyond it).
    timeout : None
        Deprecated and ignored (nothing here is bounded by seconds).
    speed_tol, stretch : float
        A trajectory has converged when the max-norm of the vector field is at most
        ``speed_tol`` at every output time in the last ``stretch`` fraction of ``[0, t_max]``
        (at least the final one); one that has not, a cycling one passing near a
        saddle say, gets the limit None.
    search : bool
        Limits are labelled with the vertices and the rest points of a table already computed
        at these values (by :meth:`ReplicatorDynamics.stability`); ``True`` computes the full
        table first if it is not known.
    step_control : {"shared", "trajectory"}
        One step size for the batch, accepted when every trajectory passes the error test
        (default), or a step size per trajectory; see :func:`dormand_prince`.
    max_memory : int
        Bound on the bytes of the states, stages and output of the run
        (:class:`~coopgame.errors.ResourceLimitError` beyond it, before any work).
    settle : bool
        Hold a trajectory once it is within ``atol`` (max-norm) of a vertex that is
        asymptotically stable by the exact analysis: it keeps that state at every later output
        time and costs nothing more (see :func:`dormand_prince`). Its outputs change by at most
        the error the test allows at the vertex (``atol + rtol``); its limit is the stable vertex,
        where an unheld run may still be closing in faster than ``speed_tol`` and leave it None;
        ``False`` integrates every trajectory to ``t_max``.
    progress : bool
        Show a progress bar (see :mod:`coopgame.core.progress`): over the integration time (the
        slowest trajectory's, with ``step_control="trajectory"``) for one chunk, over the starts
        for several.
    chunk_size : int or None
        Starts integrated together, the unit of the checkpoints. ``None``: all at once, or
        :data:`SIMULATE_CHUNK` (1024) with ``out``. With the shared step the batch's step sizes
        depend on the trajectories in it, so for more starts than a chunk the states differ
        from those of one batch within the tolerances; they never depend on an interruption.
        One batch is the fastest (fewer turns of the step loop): in
        ``benchmarks/bench_simulate_chunks.py`` 10,000 starts of the three-population flagship
        model took 1.1 times as long in chunks of 4096 and 1.3 to 2 times in chunks of 1024.
    out : path, optional
        A checkpoint folder (see :mod:`coopgame.dynamics.runfolder`): ``manifest.json``
        identifying the run, and one file per chunk, written atomically as soon as the chunk
        is done. If the folder already holds this run, its finished chunks are read instead of
        integrated, and the result is identical to that of an uninterrupted run; a folder holding
        another run is refused (:class:`~coopgame.errors.ParameterError` naming what differs).
    identity : mapping, optional
        Further entries of the manifest that identify the run (JSON data; the command line
        records the model, policy and seed).

    Returns
    -------
    Trajectories
    """
    Y0, times = _checked_run(dynamics, initial, t_max, n_points, t_eval, rtol, atol, step_control, max_memory,
                             speed_tol, stretch)
    warn_timeout(timeout)
    if chunk_size is None:
        chunk = None if out is None else SIMULATE_CHUNK
    else:
        chunk = _positive_int(chunk_size, "chunk_size")
    vals = dynamics._checked_values(values)  # checked once; the field and the rest points reuse them
    f = dynamics._field_at(vals)["components"]
    vertex_rows, pts, arr = _known_rest_points(dynamics._numeric_at(vals), search)
    held = None
    if settle:
        held = [r.point.as_array() for r in vertex_rows if r.is_stable] or None
    given = {} if values is None else dict(dynamics.game.check_values(values, require_all=False))
    project = projector(dynamics, "components")

    def integrate(Y, tick):
        states, steps, _ = dormand_prince(f, Y, times, rtol=rtol, atol=atol, project=project, max_steps=max_steps,
                                          layout="components", step_control=step_control, settle=held,
                                          progress=tick)
        return states, steps

    bounds = _chunk_bounds(Y0.shape[0], chunk)
    folder = None
    if out is not None:
        from .runfolder import RunFolder

        run = _run_manifest(dynamics, given, Y0, times, rtol, atol, step_control, bool(settle), chunk, identity)
        folder = RunFolder.open(out, run, chunks=len(bounds), extra_files=("trajectories.csv",))
    states, steps = _integrate_chunks(integrate, Y0, times, bounds, folder, progress)
    final = states[:, -1, :].copy()
    for a in (times, states, final, steps):
        a.setflags(write=False)
    converged = _converged(f, states, times, len(dynamics.state), speed_tol, stretch)
    return Trajectories(times=times, states=states, final=final,
                        limits=label_limits(final, pts, arr, limit_tol, converged), speed_tol=speed_tol,
                        state=dynamics.state, values=given, t_max=float(t_max), rtol=rtol, atol=atol,
                        limit_tol=limit_tol, steps=steps, method=METHODS[step_control], settle=bool(settle))


def _checked_run(dynamics, initial, t_max, n_points, t_eval, rtol, atol, step_control, max_memory, speed_tol,
                 stretch):
    """The checked initial states and output times of :func:`simulate`; bad settings raise, before any work."""
    check_t_max(t_max)
    if not (rtol > 0 and atol > 0):
        raise ParameterError(f"rtol and atol must be positive, got rtol={rtol!r}, atol={atol!r}")
    if step_control not in STEP_CONTROLS:
        raise ParameterError(f"step_control must be one of {', '.join(STEP_CONTROLS)}, got {step_control!r}")
    Y0 = check_initial(dynamics, initial)
    if t_eval is None:
        if int(n_points) < 2:
            raise ParameterError(f"n_points must be at least 2, got {n_points!r}")
        times = np.linspace(0.0, float(t_max), int(n_points))
    else:
        times = np.asarray(t_eval, dtype=float)
        if times.ndim != 1 or times[0] != 0 or np.any(np.diff(times) <= 0) or abs(times[-1] - t_max) > 1e-12 * t_max:
            raise ParameterError("t_eval must increase strictly from 0 to t_max")
    need = 8 * Y0.shape[0] * max(1, Y0.shape[1]) * (len(times) + 13)
    if need > max_memory:
        raise ResourceLimitError(f"{Y0.shape[0]} trajectories with {len(times)} output times need about {need} bytes, "
                                 f"more than max_memory={max_memory}; use fewer starts or output times, or raise "
                                 f"max_memory")
    if not (speed_tol > 0 and 0 < stretch <= 1):
        raise ParameterError(f"speed_tol must be > 0 and stretch in (0, 1], got {speed_tol!r}, {stretch!r}")
    return Y0, times


def _chunk_bounds(k: int, chunk: int | None) -> list[tuple[int, int]]:
    """``(start, stop)`` of each chunk of ``k`` starts (one chunk when ``chunk`` is None or >= k)."""
    if chunk is None or k <= chunk:
        return [(0, k)]
    return [(a, min(a + chunk, k)) for a in range(0, k, chunk)]


def _run_manifest(dynamics, given, Y0, times, rtol, atol, step_control, settle, chunk, identity) -> dict:
    """What the states of a :func:`simulate` run depend on, as JSON data (see :mod:`.runfolder`)."""
    import sys

    # the running package's version (always imported before its modules); no import of the package
    # root from a module of a lower layer (tests/test_architecture.py)
    version = sys.modules[__name__.split(".")[0]].__version__
    game = dynamics.game
    content = [list(game.players), [list(st) for st in game.strategy_lists],
               [[sympy.srepr(v) for v in row] for row in game.payoff_table().values()]]
    run = {"coopgame": version, **dict(identity or {}),
           "players": list(game.players),
           "game": hashlib.sha256(json.dumps(content).encode()).hexdigest()[:16],
           "values": {str(k): str(v) for k, v in sorted(given.items(), key=lambda kv: str(kv[0]))},
           "state": [str(s) for s in dynamics.state],
           "starts": int(Y0.shape[0]),
           "initial": hashlib.sha256(np.ascontiguousarray(Y0).tobytes()).hexdigest()[:16],
           "t_max": float(times[-1]), "output_times": len(times),
           "times": hashlib.sha256(np.ascontiguousarray(times).tobytes()).hexdigest()[:16],
           "rtol": float(rtol), "atol": float(atol), "step_control": step_control, "settle": settle,
           "chunk_size": chunk}
    return run


def _integrate_chunks(integrate, Y0, times, bounds, folder, progress):
    """States ``(k, T, dim)`` and steps of all starts, chunk by chunk; with ``folder`` every chunk
    is read from it when saved there and saved as soon as it is integrated."""
    from ..core.progress import bar as progress_bar

    k, dim = Y0.shape
    T, t_end = len(times), float(times[-1])
    done = set(folder.done()) if folder is not None else set()
    single = len(bounds) == 1
    total, unit = (t_end, "t") if single else (k, "starts")
    states = steps = None
    if not single:  # each chunk is copied in as it is done
        states, steps = np.empty((k, T, dim)), np.empty(k, dtype=int)
    with progress_bar(total, unit, f"simulate {k} starts", enabled=progress, continuous=True) as bar:
        for i, (a, b) in enumerate(bounds):
            base, scale = (0.0, 1.0) if single else (float(a), (b - a) / t_end)

            def tick(t, base=base, scale=scale):
                bar.update(base + t * scale - bar.n)

            if i in done:
                part = folder.load(i, (b - a, T, dim))
            else:
                part = integrate(Y0[a:b], tick if progress else None)
                if folder is not None:
                    folder.save(i, *part)
            tick(t_end)  # held trajectories end a chunk before t_max
            if single:
                return part
            states[a:b], steps[a:b] = part
    return states, steps


def warn_timeout(timeout):
    """A DeprecationWarning when the deprecated, ignored ``timeout=`` is given (not None)."""
    if timeout is not None:
        import warnings

        warnings.warn("timeout= is deprecated and ignored: simulate and basins label limits from the rest points "
                      "already known, bounded by work", DeprecationWarning, stacklevel=3)


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
           atol: float = 1e-10, limit_tol: float = 1e-3, timeout: float | None = None,
           step_control: str = "shared", chunk_size: int = BASIN_CHUNK, max_samples: int = MAX_SAMPLES,
           out=None, checkpoint_seconds: float = 10.0, settle: bool = True, progress: bool = True,
           backend: str = "numpy", scheduler=None) -> Basins:
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
    step_control : {"shared", "trajectory"}
        See :func:`simulate`.
    chunk_size : int
        Starts drawn and integrated together; memory is bounded by the chunk, not by
        ``samples``. The starts are drawn chunk by chunk from ``rng``, so for a given seed the
        result depends on ``chunk_size`` once ``samples`` exceeds it.
    max_samples : int
        Upper bound on ``samples`` (:class:`~coopgame.errors.ResourceLimitError` beyond it).
    out : path, optional
        A ``.json`` checkpoint, written atomically (temporary file, then rename) at most every
        ``checkpoint_seconds`` and at the end: the counts so far and the state of ``rng``. If
        the file already holds this run (same game, values, seed state and settings), the run
        resumes after the chunks it records and gives the same result as an uninterrupted one.
    checkpoint_seconds : float
        Least time between two checkpoints.
    settle : bool
        Stop integrating a start once it is within ``atol`` of a stable vertex (see
        :func:`simulate`); the counts are the same, and most of a long ``t_max`` costs nothing.
    progress : bool
        Show a progress bar over the starts (see :mod:`coopgame.core.progress`).
    backend : {"numpy", "dask"}
        ``"dask"`` integrates the chunks as Dask tasks (``scheduler`` is passed to
        ``dask.compute``); the starts are drawn from ``rng`` in the same order, so the counts are
        those of ``"numpy"``. No checkpoint (``out``) with ``"dask"``.

    Returns
    -------
    Basins

    Examples
    --------
    >>> import numpy as np
    >>> from coopgame import Game
    >>> g = Game.bimatrix([[2, 0], [0, 1]], [[2, 0], [0, 1]], strategies=[["A", "B"], ["A", "B"]])
    >>> g.replicator().basins(None, 400, np.random.default_rng(5)).counts  # (A, A), (B, B)
    (282, 118)

    The basin of ``(B, B)`` has area 0.2636 (from the first integral of this game, see the tests),
    so 105 +/- 9 of 400 uniform starts are expected there.
    """
    n = _positive_int(samples, "samples")
    chunk = _positive_int(chunk_size, "chunk_size")
    if n > max_samples:
        raise ResourceLimitError(f"samples={n} is more than max_samples={max_samples}; draw fewer starts or raise "
                                 f"max_samples")
    if rng is None:
        raise ParameterError("rng is required: pass a numpy.random.Generator or an integer seed")
    rng = np.random.default_rng(rng)
    warn_timeout(timeout)
    vals = dynamics._checked_values(values)  # checked once; each chunk's simulation gets them checked
    # asymptotically stable rest points of multi-population replicator dynamics are vertices
    # (strict equilibria, Selten 1980), so the exact vertex rows suffice
    vertex_rows, _, _ = _known_rest_points(dynamics._numeric_at(vals))
    stable = [r.point for r in vertex_rows if r.is_stable]
    settings = {"t_max": t_max, "rtol": rtol, "atol": atol, "limit_tol": limit_tol, "step_control": step_control,
                "settle": settle}
    counts, done = [0] * len(stable), 0
    checkpoint = None
    if out is not None:
        checkpoint = _BasinsCheckpoint(out)
        counts, done = checkpoint.start(_basins_signature(dynamics.game, vals, n, chunk, rng, stable,
                                                          list(settings.values())), rng, counts, done)
    if backend not in ("numpy", "dask"):
        raise ParameterError(f"unknown backend {backend!r} (known: 'numpy', 'dask')")
    if backend == "dask":
        if out is not None:
            raise ParameterError("basins with backend='dask' writes no checkpoint: leave out 'out'")
        counts, done = _basins_dask(dynamics, values, stable, n, chunk, rng, counts, done, scheduler,
                                    {**settings, "timeout": timeout})
    counts = _count_chunks(dynamics, values, stable, n, chunk, rng, counts, done, checkpoint, checkpoint_seconds,
                           progress, settings)
    shares = [c / n for c in counts]
    ses = [float(np.sqrt(s * (1 - s) / n)) for s in shares]
    return Basins(points=tuple(stable), counts=tuple(counts), shares=tuple(shares), unresolved=n - sum(counts),
                  samples=n, t_max=float(t_max), standard_errors=tuple(ses),
                  values={} if values is None else dict(dynamics.game.check_values(values, require_all=False)))


def _count_chunks(dynamics, values, stable, n, chunk, rng, counts, done, checkpoint, checkpoint_seconds, progress,
                  settings):
    """The counts of :func:`basins` after drawing and integrating the starts from ``done`` to ``n``,
    chunk by chunk, saving ``checkpoint`` at most every ``checkpoint_seconds`` and at the end."""
    from ..core.progress import bar as progress_bar

    bar = progress_bar(n, "starts", "basins", enabled=progress)
    bar.update(done)
    try:
        while done < n:
            m = min(chunk, n - done)
            Y0 = sample_states(dynamics, m, rng)
            traj = simulate(dynamics, values, Y0, n_points=5, stretch=0.25, **settings)
            for j, p in enumerate(stable):
                counts[j] += sum(1 for lim in traj.limits if lim == p)
            done += m
            bar.update(m)
            if checkpoint is not None:
                checkpoint.chunk_done(done, counts, checkpoint_seconds)
    finally:
        bar.close()
        if checkpoint is not None:
            checkpoint.save(done, counts)
    return counts


def _basins_dask(dynamics, values, stable, n, chunk, rng, counts, done, scheduler, settings):
    """Counts and starts done after integrating the remaining chunks as Dask tasks (the starts
    drawn from ``rng`` in the order of the numpy backend)."""
    try:
        import dask
    except ImportError:
        raise ImportError("backend='dask' needs dask: pip install 'coopgame-vet[dask]'") from None

    def run(Y0):
        traj = simulate(dynamics, values, Y0, n_points=2, **settings)
        return [sum(1 for lim in traj.limits if lim == p) for p in stable]

    chunks = []
    while done < n:
        m = min(chunk, n - done)
        chunks.append(sample_states(dynamics, m, rng))
        done += m
    kwargs = {} if scheduler is None else {"scheduler": scheduler}
    for part in dask.compute(*[dask.delayed(run)(Y0) for Y0 in chunks], **kwargs):
        counts = [c + d for c, d in zip(counts, part)]
    return counts, done


class _BasinsCheckpoint:
    """The ``.json`` checkpoint of a :func:`basins` run: the counts so far, the starts done and
    the state of ``rng`` after the last finished chunk, under a signature of the run."""

    def __init__(self, path):
        self.path = Path(path)
        if self.path.suffix.lower() != ".json":
            raise ParameterError(f"out {self.path}: a basins checkpoint is a .json file")

    def start(self, signature, rng, counts, done):
        """Counts and starts done, read from the file if it holds this run (``rng`` then
        continues where it stopped)."""
        self.signature, self.rng = signature, rng
        if self.path.exists():
            counts, done = _resume_basins(self.path, signature, rng, len(counts))
        self.last_save = time.perf_counter()
        self.rng_done = rng.bit_generator.state  # the generator's state after the last finished chunk
        return counts, done

    def chunk_done(self, done, counts, seconds):
        self.rng_done = self.rng.bit_generator.state
        if time.perf_counter() - self.last_save >= seconds:
            self.save(done, counts)
            self.last_save = time.perf_counter()

    def save(self, done, counts):
        from ..core.io import write_text_atomically

        write_text_atomically(self.path, json.dumps({"format": "coopgame-basins-1", "signature": self.signature,
                                                     "done": done, "counts": counts, "rng": self.rng_done},
                                                    default=_plain))


def _basins_signature(game, values, samples, chunk, rng, stable, settings) -> str:
    """A digest of everything a basins run depends on, the seed state included."""
    content = [list(game.players), [list(st) for st in game.strategy_lists],
               [[sympy.srepr(v) for v in row] for row in game.payoff_table().values()],
               sorted((str(k), sympy.srepr(v)) for k, v in values.items()),
               samples, chunk, rng.bit_generator.state, [p.label() for p in stable], [repr(x) for x in settings]]
    return hashlib.sha256(json.dumps(content, default=_plain).encode()).hexdigest()


def _plain(obj):
    """JSON form of the numpy arrays and numbers in a bit generator's state (MT19937, Philox, SFC64)."""
    if isinstance(obj, (np.ndarray, np.generic)):
        return obj.tolist()
    raise TypeError(f"{type(obj).__name__} is not JSON serializable")


def _resume_basins(path, signature, rng, n_points):
    """Counts and progress from a checkpoint of the same run; ``rng`` continues where it stopped."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        ok = (data["format"] == "coopgame-basins-1" and isinstance(data["done"], int)
              and len(data["counts"]) == n_points)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ParameterError(f"{path}: not a readable basins checkpoint ({exc}); remove it or choose another "
                             f"file") from None
    if not ok:
        raise ParameterError(f"{path}: not a basins checkpoint; remove it or choose another file")
    if data["signature"] != signature:
        raise ParameterError(f"{path} holds a different basins run; remove it or choose another file")
    rng.bit_generator.state = data["rng"]
    return [int(c) for c in data["counts"]], int(data["done"])


def _positive_int(value, name) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ParameterError(f"{name} must be a positive integer, got {value!r}")
    return int(value)
