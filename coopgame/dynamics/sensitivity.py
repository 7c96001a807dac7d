"""Sensitivity analysis: trajectories of the replicator dynamics at several levels of a parameter.

Papers in the field show, for three to five values of one policy parameter, the time path of
each population's share from the same initial state. :func:`sensitivity` computes all of them in
**one** integration: the varied parameters become extra components of the state with derivative
zero, so the field (assembled from the one the dynamics compiles once with every parameter as an
argument, see :func:`parameter_field`) takes them as inputs, one column per level and start, and
every level and start is integrated in the same batch of the vectorised
Dormand–Prince integrator (:func:`coopgame.dynamics.simulate.dormand_prince`). The error test
counts only the shares: the parameter components never change and have zero error, and the
tolerances are scaled by :math:`\\sqrt{d/(d+p)}` (``d`` shares, ``p`` parameters) so that the
RMS norm over the shares is held to the tolerances asked for, as in
:func:`~coopgame.dynamics.simulate.simulate`.

By default every trajectory has its own step size (``step_control="trajectory"``): with one
step size for the whole batch, the hardest level at each moment would set the step of every
level, and the batch would take more steps than the hardest level alone (311 against 288 and,
for the middle level, 163 on the catalogue's three-population model with five subsidy levels;
``benchmarks/bench_sensitivity.py``). With a step each, every trajectory takes the steps its own
error test allows, as it would in a run of its own, and the batch costs about as much as with
the shared step; ``step_control="shared"`` remains available.

Besides the trajectories, the result holds the exact values of each varied parameter at which
the set of asymptotically stable vertices changes (:class:`Switch`), from the exact stability
conditions of the vertices (a vertex is asymptotically stable iff it is a strict Nash
equilibrium, Selten 1980), not from the simulations. This exact work is done once, not per
level: the vertex rows are derived once with every parameter symbolic, their deviation gains
evaluated exactly at each level give its stable vertices, and the real roots of their
conditions in a varied parameter are found once for the values of the others.

Examples
--------
>>> from coopgame import Game, Parameter
>>> from coopgame.parameters import POSITIVE, NONNEGATIVE
>>> g = Game(["school", "enterprise"],
...          {"school": ["deep", "shallow"], "enterprise": ["join", "refuse"]},
...          {("deep", "join"): ["R - C", "V - K + s"], ("deep", "refuse"): ["-C", 0],
...           ("shallow", "join"): [0, "s - K"], ("shallow", "refuse"): [0, 0]},
...          parameters=[Parameter(n, domain=POSITIVE) for n in "CKRV"]
...                     + [Parameter("s", domain=NONNEGATIVE)])
>>> res = g.replicator().sensitivity("s", [0, "1/2", 2], {"C": 1, "K": 2, "R": 3, "V": 1},
...                                  [[0.5, 0.5]], t_max=50)
>>> [[lim.profile for lim in row] for row in res.limits]
[[('shallow', 'refuse')], [('shallow', 'refuse')], [('deep', 'join')]]
>>> for sw in res.switches:  # at s = K = 2 itself (shallow, refuse) is non-hyperbolic
...     print(sw.value, sw.before, "->", sw.after)
1 (('shallow', 'refuse'),) -> (('deep', 'join'), ('shallow', 'refuse'))
2 (('deep', 'join'), ('shallow', 'refuse')) -> (('deep', 'join'),)
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy

from ..core.errors import ParameterError, ResourceLimitError, UnknownNameError
from ..core.parameters import to_exact
from .simulate import (
    DEFAULT_MAX_MEMORY,
    METHODS,
    STEP_CONTROLS,
    Trajectories,
    check_initial,
    check_t_max,
    dormand_prince,
    label_limits,
    projector,
    warn_timeout,
)
from .stability import DEFAULT_TOLERANCE

__all__ = ["Sensitivity", "Switch", "sensitivity", "parameter_field", "resolve_parameters",
           "substituted_dynamics"]


@dataclass(frozen=True)
class Switch:
    """An exact value of a varied parameter at which the set of stable vertices changes.

    Attributes
    ----------
    parameter : sympy.Symbol
    value : sympy number
        The exact switching value (a boundary point of some vertex's stability set).
    fixed : tuple of (sympy.Symbol, value) pairs
        The other varied parameters' levels (empty when one parameter is varied).
    before, after : tuple of profiles
        The asymptotically stable vertices just below and just above ``value``.
    """

    parameter: Any
    value: Any
    fixed: tuple
    before: tuple
    after: tuple

    def to_dict(self) -> dict:
        return {"parameter": self.parameter.name, "value": str(self.value),
                "fixed": {s.name: str(v) for s, v in self.fixed},
                "before": [list(p) for p in self.before], "after": [list(p) for p in self.after]}


@dataclass(frozen=True, eq=False)
class Sensitivity:
    """Trajectories from the same starts at several levels of one or two parameters.

    Attributes
    ----------
    parameters : tuple of sympy.Symbol
        The varied parameters.
    levels : tuple of tuple
        One tuple of exact values (one per varied parameter) per level.
    trajectories : tuple of Trajectories
        One per level, in the order of ``levels``; each holds every start.
    limits : tuple of tuple
        ``limits[l][j]``: the rest point start ``j`` approaches at level ``l`` (or None).
    stable : tuple of tuple
        The asymptotically stable vertices (profiles) at each level, from the exact analysis.
    switches : tuple of Switch
        The exact values, from the smallest to the largest level of each parameter, at which the
        set of stable vertices changes (with the other varied parameters at each of their
        levels). At a switch equal to the smallest (largest) level, ``before`` (``after``) is the
        set at that level itself.
    values : dict
        The values of the other parameters (exact).
    initial : array, shape (k, dim)
    state : tuple of sympy.Symbol
    """

    parameters: tuple
    levels: tuple
    trajectories: tuple
    limits: tuple
    stable: tuple
    switches: tuple
    values: Mapping
    initial: np.ndarray
    state: tuple

    def __len__(self):
        return len(self.levels)

    def level_label(self, index: int) -> str:
        """``"s = 1/2"`` (or ``"s = 1/2, P = 1"``) for level ``index``."""
        return ", ".join(f"{p.name} = {v}" for p, v in zip(self.parameters, self.levels[index]))

    def thresholds(self, parameter=None) -> tuple:
        """The exact switching values of ``parameter`` (default: the first varied one), sorted."""
        p = self.parameters[0] if parameter is None else _pick(self.parameters, parameter)
        return tuple(sorted({sw.value for sw in self.switches if sw.parameter == p}, key=float))

    def to_dicts(self) -> list[dict]:
        """One row per level and start: the levels, the start, the final state and its limit."""
        rows = []
        for lev, traj, lims in zip(self.levels, self.trajectories, self.limits):
            for j, (y0, y1, lim) in enumerate(zip(self.initial, traj.final, lims)):
                row = {p.name: v for p, v in zip(self.parameters, lev)}
                row["start"] = j
                row.update({f"{s.name}(0)": float(a) for s, a in zip(self.state, y0)})
                row.update({f"{s.name}(t_max)": float(b) for s, b in zip(self.state, y1)})
                row["limit"] = None if lim is None else lim.label()
                rows.append(row)
        return rows

    def to_markdown(self) -> str:
        """The levels with their stable vertices and the limits of the starts; the switches."""
        from ..core.formatting import markdown_table

        rows = []
        for i, lims in enumerate(self.limits):
            reached = sorted({"-" if lim is None else lim.label() for lim in lims})
            rows.append([self.level_label(i), ", ".join("(" + ", ".join(p) + ")" for p in self.stable[i]) or "none",
                         ", ".join(reached)])
        text = markdown_table(["level", "stable vertices", "limits reached"], rows)
        if self.switches:
            sw = [[s.parameter.name, s.value, ", ".join(f"{a.name} = {b}" for a, b in s.fixed) or "-",
                   _profiles(s.before), _profiles(s.after)] for s in self.switches]
            text += "\n\n" + markdown_table(["parameter", "switching value", "other levels", "stable below",
                                             "stable above"], sw)
        return text

    def _repr_markdown_(self):
        return self.to_markdown()


def _profiles(ps) -> str:
    return ", ".join("(" + ", ".join(p) + ")" for p in ps) or "none"


def _pick(symbols, parameter):
    name = parameter if isinstance(parameter, str) else getattr(parameter, "name", None)
    for s in symbols:
        if s.name == name:
            return s
    raise UnknownNameError(f"{parameter!r} is not a varied parameter (varied: {', '.join(s.name for s in symbols)})")


# ---------------------------------------------------------------------- the compiled field
def parameter_field(dynamics, parameters, values=None):
    """The replicator field with ``parameters`` as extra state rows whose derivative is zero.

    Built from the field the dynamics compiles once with every parameter as an argument
    (:meth:`~coopgame.dynamics.replicator.ReplicatorDynamics.field_function`, shared with
    :func:`~coopgame.dynamics.simulate.simulate`): each coefficient of a monomial of the state is
    an expression in the parameters; the ``values`` are substituted into these coefficients only,
    and what remains, a polynomial in the varied parameters, is split into monomials of the
    state and the parameters together. The system is neither derived nor expanded again.

    Parameters
    ----------
    dynamics : ReplicatorDynamics
    parameters : sequence of sympy.Symbol
    values : mapping, optional
        Exact values of every other parameter.

    Returns
    -------
    callable
        ``field(Y, out=None)`` on arrays of shape ``(dim + p, m)``: rows ``0..dim-1`` are the
        state, the last ``p`` rows the parameter values of each column; the last ``p`` rows of
        the result are zero. Assembled once per varied parameters and values and cached on
        ``dynamics``.

    Examples
    --------
    >>> import numpy as np
    >>> from coopgame import Game
    >>> g = Game.bimatrix([["a", 0], [0, 1]], [["a", 0], [0, 1]])
    >>> f = parameter_field(g.replicator(), [g.symbol("a")])
    >>> f(np.array([[0.5, 0.5], [0.5, 0.5], [1.0, 3.0]]))  # x(1 - x)((a + 1) y - 1) at x = y = 1/2
    array([[0.  , 0.25],
           [0.  , 0.25],
           [0.  , 0.  ]])
    """
    parameters = tuple(parameters)
    vals = dict(values or {})
    key = ("_parameter_field", parameters, tuple(sorted((s.name, v) for s, v in vals.items())))
    if key in dynamics._numeric_cache:
        return dynamics._numeric_cache[key]
    extra = dynamics.game.free_symbols - set(parameters) - set(vals)
    if extra:
        raise ParameterError(f"give values for {', '.join(sorted(s.name for s in extra))}: only the varied "
                             f"parameters may stay symbolic")
    field = dynamics.field_function().with_parameter_rows(parameters, vals)
    if field is None:  # a coefficient is not a polynomial with rational coefficients in the varied parameters
        from .codegen import compile_replicator_field

        complement = [c for c, _ in dynamics._field_parts] + [False] * len(parameters)
        parts = ([sympy.expand(b.xreplace(vals)) for _, b in dynamics._field_parts]
                 + [sympy.Integer(0)] * len(parameters))
        exprs = [e.xreplace(vals) for e in dynamics.equations] + [sympy.Integer(0)] * len(parameters)
        field = compile_replicator_field(tuple(dynamics.state) + parameters, complement, parts, exprs)
    dynamics._numeric_cache[key] = field
    return field


# ---------------------------------------------------------------------- the analysis
def resolve_parameters(dynamics, parameter):
    """The symbols of the one to three parameters named by ``parameter`` (a name, a symbol, or a
    sequence of them), in the order given.

    Raises UnknownNameError naming a parameter the game does not have, and ParameterError when
    none or more than three are named or one is named twice.
    """
    names = [parameter] if isinstance(parameter, (str, sympy.Symbol)) else list(parameter)
    if not 1 <= len(names) <= 3 or not names:
        raise ParameterError(f"vary one, two or three parameters, got {len(names)}")
    by_name = {s.name: s for s in dynamics.game.free_symbols}
    out = []
    for n in names:
        name = n if isinstance(n, str) else getattr(n, "name", None)
        if name not in by_name:
            known = ", ".join(sorted(by_name)) or "none"
            raise UnknownNameError(f"the game has no parameter {n!r} to vary (parameters: {known})")
        if by_name[name] in out:
            raise ParameterError(f"parameter {name!r} is varied twice")
        out.append(by_name[name])
    return tuple(out)


def _grid(params, levels):
    """Levels as tuples of exact values: one list for one parameter, one list per parameter else."""
    if len(params) == 1:
        if isinstance(levels, (str, bytes)) or not isinstance(levels, Sequence) and not hasattr(levels, "__iter__"):
            raise ParameterError(f"levels of {params[0].name!r} must be a sequence of numbers")
        grid = [(to_exact(v, name=f"level of {params[0].name!r}"),) for v in levels]
    else:
        levels = list(levels)
        if len(levels) != len(params):
            raise ParameterError(f"give one sequence of levels per varied parameter ({len(params)}), got {len(levels)}")
        axes = [[to_exact(v, name=f"level of {p.name!r}") for v in lv] for p, lv in zip(params, levels)]
        grid = list(itertools.product(*axes))
    if not grid:
        raise ParameterError("give at least one level")
    if len(set(grid)) != len(grid):
        raise ParameterError("levels repeat a value")
    return grid


def sensitivity(dynamics, parameter, levels, values, initial, t_max, *, n_points: int = 101, rtol: float = 1e-8,
                atol: float = 1e-10, limit_tol: float = 1e-3, max_steps: int = 100_000,
                timeout: float | None = None, step_control: str = "trajectory", settle: bool = True,
                max_memory: int = DEFAULT_MAX_MEMORY, backend: str = "numpy", scheduler=None,
                levels_per_task: int = 1, speed_tol: float = 1e-6, stretch: float = 0.1) -> Sensitivity:
    """Integrate the same starts at several levels of one or two parameters, in one batch.

    The exact work is done once, symbolically in the varied parameters, and evaluated at each
    level: the vertex rows (their eigenvalues are the deviation gains, read off the payoffs) give
    the stable vertices of every level by substitution, and the switching values come from the
    real roots of their stability conditions, found once for the varied parameter. The field is
    the one compiled once with the parameters as arguments (:func:`parameter_field`).

    Parameters
    ----------
    dynamics : ReplicatorDynamics
    parameter : str or sequence of str
        The varied parameter, or two (three) varied together.
    levels : sequence
        For one parameter its values; for several, one sequence of values per parameter (every
        combination is a level, the first parameter varying slowest).
    values : mapping or None
        Values of every other parameter.
    initial : array, shape (k, dim) or (dim,)
        The starts, the same at every level.
    t_max, n_points, rtol, atol, limit_tol, max_steps, settle, max_memory, speed_tol, stretch
        As for :func:`~coopgame.dynamics.simulate.simulate`; the memory bound applies to the
        whole batch (levels times starts).
    step_control : {"trajectory", "shared"}
        A step size per trajectory (default), or one for the whole batch (see
        :func:`~coopgame.dynamics.simulate.dormand_prince`); the error test is the same.
    timeout : None
        Deprecated and ignored (a :class:`DeprecationWarning` when given).
    backend : {"numpy", "dask"}
        ``"numpy"`` integrates every level and start in one batch. ``"dask"`` integrates groups
        of ``levels_per_task`` levels as separate Dask tasks (each one batch), for runs that
        outgrow one machine; ``scheduler`` is passed to ``dask.compute``.

    Returns
    -------
    Sensitivity

    Raises
    ------
    UnknownNameError
        A varied parameter is not a parameter of the game.
    ParameterError
        A level is outside the parameter's domain, another parameter has no value, the starts
        are outside the state space, or an option is invalid.
    """
    _check_options(backend, step_control, t_max, rtol, atol, n_points, speed_tol, stretch)
    params, grid, others = _checked_levels(dynamics, parameter, levels, values)
    Y0 = check_initial(dynamics, initial)
    times = np.linspace(0.0, float(t_max), int(n_points))
    if backend == "numpy":
        _check_memory(len(grid), Y0.shape, len(params), len(times), max_memory)
    warn_timeout(timeout)
    # the vertex rows once, with every parameter symbolic; at each level their eigenvalues (the
    # deviation gains) are evaluated exactly
    rows = _symbolic_vertex_rows(dynamics)
    gains = _gains(dynamics, rows, others)
    stable_at = [_stable_vertices(gains, dict(zip(params, lev))) for lev in grid]
    settings = {"t_eval": times, "rtol": rtol, "atol": atol, "max_steps": max_steps, "step_control": step_control}
    groups = _level_groups(len(grid), levels_per_task, backend)
    tasks = [(dynamics, params, others, [grid[i] for i in g], Y0,
              [stable_at[i] for i in g] if settle else None, settings) for g in groups]
    results = _run_tasks(tasks, backend, scheduler)
    labels = {"t_max": float(t_max), "rtol": rtol, "atol": atol, "limit_tol": limit_tol, "speed_tol": speed_tol,
              "stretch": stretch, "settle": bool(settle), "method": METHODS[step_control] + ", levels as extra components"}
    trajs = _level_trajectories(dynamics, params, others, grid, Y0, times, groups, results, rows, labels)
    times.setflags(write=False)
    Y0.setflags(write=False)
    return Sensitivity(parameters=params, levels=tuple(grid), trajectories=trajs,
                       limits=tuple(t.limits for t in trajs),
                       stable=tuple(tuple(rows[n].point.profile for n in s) for s in stable_at),
                       switches=_switches(dynamics, params, others, grid), values=others, initial=Y0,
                       state=dynamics.state)


def _check_options(backend, step_control, t_max, rtol, atol, n_points, speed_tol, stretch):
    """Refuse an invalid option of :func:`sensitivity`, naming it."""
    if backend not in ("numpy", "dask"):
        raise ParameterError(f"unknown backend {backend!r} (known: 'numpy', 'dask')")
    if step_control not in STEP_CONTROLS:
        raise ParameterError(f"step_control must be one of {', '.join(STEP_CONTROLS)}, got {step_control!r}")
    check_t_max(t_max)
    if not (rtol > 0 and atol > 0):
        raise ParameterError(f"rtol and atol must be positive, got rtol={rtol!r}, atol={atol!r}")
    if int(n_points) < 2:
        raise ParameterError(f"n_points must be at least 2, got {n_points!r}")
    if not (speed_tol > 0 and 0 < stretch <= 1):
        raise ParameterError(f"speed_tol must be > 0 and stretch in (0, 1], got {speed_tol!r}, {stretch!r}")


def _checked_levels(dynamics, parameter, levels, values):
    """The varied parameters, the grid of levels (each value checked against its parameter's
    domain once) and the exact values of every other parameter."""
    game = dynamics.game
    params = resolve_parameters(dynamics, parameter)
    grid = _grid(params, levels)
    given = game.check_values(values or {}, require_all=False)
    others = {s: v for s, v in given.items() if s not in params}
    missing = sorted(s.name for s in game.free_symbols - set(params) - set(others))
    if missing:
        raise ParameterError(f"missing value for parameter(s) {', '.join(map(repr, missing))}")
    declared = {q.symbol: q for q in game.parameters}
    for j, p in enumerate(params):
        for v in sorted({g[j] for g in grid}, key=str):
            declared[p].check(v)
    return params, grid, others


def _check_memory(n_levels, shape, p, n_times, max_memory):
    """Refuse a one-batch run whose states, stages and output would need more than ``max_memory``."""
    k, dim = shape
    need = 8 * k * n_levels * (dim + p) * (n_times + 13)
    if need > max_memory:
        raise ResourceLimitError(f"{n_levels} levels x {k} starts with {n_times} output times need about {need} "
                                 f"bytes, more than max_memory={max_memory}; use fewer levels, starts or output "
                                 f"times, or raise max_memory")


def _level_groups(n, levels_per_task, backend):
    """The level indices of each batch: all of them in one (numpy), ``levels_per_task`` per task (dask)."""
    indices = list(range(n))
    if backend == "numpy":
        return [indices]
    size = max(1, int(levels_per_task))
    return [indices[i:i + size] for i in range(0, n, size)]


def _run_tasks(tasks, backend, scheduler):
    """Integrate each batch: in turn (numpy) or as Dask tasks; returns their (states, steps)."""
    if backend == "numpy":
        return [_integrate(*task) for task in tasks]
    try:
        import dask
    except ImportError:
        raise ImportError("backend='dask' needs dask: pip install 'coopgame-vet[dask]'") from None
    delayed = [dask.delayed(_integrate)(*task) for task in tasks]
    kwargs = {} if scheduler is None else {"scheduler": scheduler}
    return list(dask.compute(*delayed, **kwargs))


_RUN_LABELS = ("t_max", "rtol", "atol", "limit_tol", "method", "settle", "speed_tol")


def _level_trajectories(dynamics, params, others, grid, Y0, times, groups, results, rows, labels) -> tuple:
    """One read-only :class:`Trajectories` per level from the augmented states of the batches,
    with the limit of each start labelled from the vertices and any rest point already known at
    that level, as in :func:`~coopgame.dynamics.simulate.simulate`."""
    k, dim = Y0.shape
    f = parameter_field(dynamics, params, others)
    trajs = []
    for g, (states, steps) in zip(groups, results):
        # a start's limit is a rest point it has converged to (speed at most speed_tol over the
        # last stretch of the run), as in simulate(); the speeds of the whole group at once
        converged = _converged_levels(f, states, times, dim, labels["speed_tol"], labels["stretch"])
        for j, i in enumerate(g):
            values = {**others, **dict(zip(params, grid[i]))}
            st = np.ascontiguousarray(states[j * k:(j + 1) * k, :, :dim])
            final = st[:, -1, :].copy()
            sp = np.array(steps[j * k:(j + 1) * k])
            for a in (st, final, sp):
                a.setflags(write=False)
            pts, arr = _known_points(dynamics, rows, values)
            limits = label_limits(final, pts, arr, labels["limit_tol"], converged[j * k:(j + 1) * k])
            trajs.append(Trajectories(times=times, states=st, final=final, limits=limits, state=dynamics.state,
                                      values=values, steps=sp, **{n: labels[n] for n in _RUN_LABELS}))
    return tuple(trajs)


def _symbolic_vertex_rows(dynamics):
    """The exact vertex rows with every parameter symbolic, derived once per dynamics."""
    cache = dynamics._numeric_cache
    if "_symbolic_vertex_rows" not in cache:
        cache["_symbolic_vertex_rows"] = tuple(dynamics._vertex_rows(False, DEFAULT_TOLERANCE))
    return cache["_symbolic_vertex_rows"]


def _gains(dynamics, rows, others) -> tuple:
    """The eigenvalues (deviation gains) of every vertex row with ``others`` substituted, once."""
    key = ("_vertex_gains", tuple(sorted((s.name, v) for s, v in others.items())))
    cache = dynamics._numeric_cache
    if key not in cache:
        cache[key] = tuple(tuple(e.xreplace(others) if e.free_symbols else e for e in r.eigenvalues)
                           for r in rows)
    return cache[key]


def _stable_vertices(gains, level) -> tuple:
    """Indices of the vertex rows that are asymptotically stable at ``level``: every eigenvalue (a
    deviation gain) negative, decided exactly (a vertex is stable iff it is a strict Nash
    equilibrium, Selten 1980)."""
    out = []
    for n, eig in enumerate(gains):
        for e in eig:
            v = e.xreplace(level) if e.free_symbols else e
            neg = v.is_negative
            if neg is None and v.is_number and v.is_real:
                neg = bool(sympy.N(v, 50) < 0)
            if not neg:
                break
        else:
            out.append(n)
    return tuple(out)


def _known_points(dynamics, rows, vals):
    """The vertices and the rest points of a full table already computed at ``vals``."""
    pts = [r.point for r in rows]
    numeric = dynamics._numeric_cache.get(tuple(sorted((s.name, v) for s, v in vals.items())))
    table = None if numeric is None else numeric._numeric_cache.get("_full_table")
    if table is not None:
        pts += [r.point for r in table.rows if r.point.kind != "vertex"]
    arr = np.array([q.as_array() for q in pts]) if pts else np.empty((0, len(dynamics.state)))
    return pts, arr


def _converged_levels(f, states, times, dim, speed_tol, stretch):
    """As :func:`~coopgame.dynamics.simulate._converged`, on the augmented states of a batch."""
    n, _, width = states.shape
    if dim == 0 or n == 0:
        return np.ones(n, dtype=bool)
    last = np.flatnonzero(times >= times[-1] * (1.0 - stretch))
    Y = states[:, last, :].reshape(-1, width).T.copy()
    speed = np.max(np.abs(f(Y)[:dim]), axis=0).reshape(n, len(last))
    return np.all(speed <= speed_tol, axis=1)


def substituted_dynamics(dynamics, others):
    """The replicator dynamics of the game with the exact values ``others`` substituted (a mapping
    of symbols to values; ``dynamics`` itself when it is empty), derived once and cached on
    ``dynamics``."""
    if not others:
        return dynamics
    key = ("substituted_dynamics", tuple(sorted((s.name, v) for s, v in others.items())))
    if key not in dynamics._numeric_cache:
        dynamics._numeric_cache[key] = dynamics.game.subs(others).replicator()
    return dynamics._numeric_cache[key]


def _integrate(dynamics, params, others, grid, Y0, stable_at, settings):
    """One batch: every level of ``grid`` times every start; returns (augmented states, steps)."""
    k, dim = Y0.shape
    p = len(params)
    f = parameter_field(dynamics, params, others)
    lev = np.array([[float(v) for v in g] for g in grid]).reshape(len(grid), p)
    Y = np.hstack([np.tile(Y0, (len(grid), 1)), np.repeat(lev, k, axis=0)])
    base = projector(dynamics, "components")

    def project(Z):
        return base(Z[:dim])

    held = None
    if stable_at is not None:
        vertices = [r.point.as_array() for r in _symbolic_vertex_rows(dynamics)]
        held = [np.r_[vertices[n], lv] for s, lv in zip(stable_at, lev) for n in s] or None
    scale = np.sqrt(dim / (dim + p)) if dim else 1.0
    s = dict(settings)
    s["rtol"] *= scale
    s["atol"] *= scale
    t_eval = s.pop("t_eval")
    states, steps, _ = dormand_prince(f, Y, t_eval, project=project, layout="components", settle=held, **s)
    return states, steps


def _switches(dynamics, params, others, grid) -> tuple:
    """Exact values of each varied parameter where the set of stable vertices changes.

    The stability condition of a vertex is a conjunction of strict inequalities in the
    parameters; its boundary in one parameter lies among the real roots of the differences of
    its sides. These roots are found once for each varied parameter and levels of the others
    (cached on ``dynamics``); between consecutive roots the stable set is constant, so it is
    read at one exact rational point on each side of a root inside the levels' range; roots
    where it does not change are dropped.
    """
    rows = [r for r in _symbolic_vertex_rows(dynamics) if r.condition is not sympy.false]
    out = []
    for j, p in enumerate(params):
        lo = min(g[j] for g in grid)
        hi = max(g[j] for g in grid)
        fixed_sets = sorted({tuple((q, g[i]) for i, q in enumerate(params) if i != j) for g in grid}, key=str)
        for fixed in fixed_sets:
            conds, roots = _roots(dynamics, rows, p, {**others, **dict(fixed)})
            ordered = [b for b in roots if lo <= b <= hi]
            for n, b in enumerate(ordered):
                # the stable set just below and just above b; at an end of the levels, at the end
                below = b if b == lo else _between(ordered[n - 1] if n else lo, b)
                above = b if b == hi else _between(b, ordered[n + 1] if n + 1 < len(ordered) else hi)
                before = tuple(pr for pr, cond in conds if _holds(cond, p, below))
                after = tuple(pr for pr, cond in conds if _holds(cond, p, above))
                if before != after:
                    out.append(Switch(parameter=p, value=b, fixed=fixed, before=before, after=after))
    return tuple(out)


def _roots(dynamics, rows, p, sub):
    """The vertices' conditions with ``sub`` substituted and the sorted real candidate roots in
    ``p`` (every real number), computed once per parameter and substitution."""
    key = ("_switch_roots", p, tuple(sorted((s.name, v) for s, v in sub.items())))
    cache = dynamics._numeric_cache
    if key not in cache:
        conds = [(r.point.profile, sympy.sympify(r.condition, strict=True).xreplace(sub)) for r in rows]
        points = set()
        for _, c in conds:
            points |= _candidates(c, p)
        cache[key] = (conds, sorted(points, key=lambda b: sympy.N(b, 30)))
    return cache[key]


def _candidates(cond, p) -> set:
    """Real roots of the sides' differences of the relations in ``cond``."""
    if cond in (sympy.true, sympy.false) or p not in cond.free_symbols:
        return set()
    rels = list(cond.atoms(sympy.core.relational.Relational))
    found = set()
    for rel in rels:
        d = sympy.together(rel.lhs - rel.rhs)
        num, den = sympy.fraction(d)
        roots = []
        for part in (num, den):
            if p not in part.free_symbols:
                continue
            if part.free_symbols != {p} or not part.is_polynomial(p):
                # not a polynomial in p alone: the exact set of the whole condition instead
                boundary = cond.as_set().boundary  # the exact set of p where cond holds
                return {b for b in boundary if b.is_finite and b.is_real}
            roots += sympy.Poly(part, p).real_roots()
        found |= set(roots)
    return found


def _between(a, b):
    """An exact rational strictly between two real numbers ``a < b`` (their mean when rational)."""
    if a.is_Rational and b.is_Rational:
        return (a + b) / 2
    for digits in (15, 30, 60):
        mid = sympy.Rational(str(sympy.N((a + b) / 2, digits)))
        if a < mid < b:
            return mid
    raise ParameterError(f"no rational found between {a} and {b}")


def _holds(cond, p, value) -> bool:
    r = cond.xreplace({p: value}) if isinstance(cond, sympy.Basic) else cond
    if r not in (sympy.true, sympy.false):
        r = sympy.simplify(r)
    if r not in (sympy.true, sympy.false):
        raise ParameterError(f"the stability condition {cond} cannot be decided at {p} = {value}")
    return bool(r)
