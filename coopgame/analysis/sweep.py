"""Grid sweeps: a condition, an expression or the stability regime over a grid of parameter values.

:func:`sweep` compiles its target once with ``lambdify`` and evaluates it over the Cartesian
product of the grid's axes in chunks that bound memory: each chunk is a block of the grid whose
axes are passed as broadcastable arrays, so an expression that depends on one parameter is
computed along that axis only. Results carry their axes and fixed values, save to and load from
``.npz`` files atomically (a temporary file in the same directory, then :func:`os.replace`), and
a sweep given an ``out`` file resumes from the blocks already stored there.

Ties: a policy boundary often passes exactly through grid points (for example
:math:`s + 3t = 1` on a grid of thirds), where floating-point rounding would decide the answer at
random. Every point where a compared quantity is within ``tolerance`` of zero is marked in
``boundary``. When every axis is given by exact numbers (integers, fractions, numeric text or
sympy rationals), those points are then re-evaluated exactly with sympy: their values are exact
and ``boundary`` marks exactly the points on a boundary.

Examples
--------
>>> from fractions import Fraction
>>> import sympy
>>> s, t = sympy.symbols("s t", nonnegative=True)
>>> thirds = [Fraction(k, 3) for k in range(4)]
>>> r = sweep(s + 3 * t > 1, {"s": thirds, "t": thirds}, progress=False)
>>> r.data.astype(int).tolist()
[[0, 0, 1, 1], [0, 1, 1, 1], [0, 1, 1, 1], [0, 1, 1, 1]]
>>> r.boundary.astype(int).tolist()
[[0, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [1, 0, 0, 0]]
>>> r.exact
True
"""

from __future__ import annotations

import enum
import hashlib
import json
import math
import os
import time
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import sympy

from ..core.errors import OutputError, ParameterError, ResourceLimitError, SolverError, UnknownNameError
from ..core.expressions import parse
from ..core.io import open_atomically, remove_stale_temporaries
from ..core.numeric import numpy_function
from ..core.parameters import to_exact
from .regimes import DEFAULT_TOLERANCE, RegimeClassifier, RegimeLegend

__all__ = ["SweepKind", "Axis", "SweepResult", "sweep", "exact_linspace", "DEFAULT_MAX_POINTS",
           "DEFAULT_MAX_MEMORY"]

#: Largest grid :func:`sweep` accepts unless told otherwise.
DEFAULT_MAX_POINTS = 2 * 10**8
#: Bound on the temporary memory of one chunk, in bytes.
DEFAULT_MAX_MEMORY = 2**30
#: Default number of grid points per chunk.
DEFAULT_CHUNK_SIZE = 2**18

_FORMAT = 1


class SweepKind(enum.Enum):
    """What a sweep evaluated."""

    CONDITION = "condition"
    EXPRESSION = "expression"
    REGIME = "regime"


@dataclass(frozen=True, eq=False)
class Axis:
    """One grid axis: a parameter name, its float values and, for exact axes, exact values."""

    name: str
    values: np.ndarray
    exact: tuple | None = None

    def __len__(self):
        return len(self.values)

    def __eq__(self, other):
        return (isinstance(other, Axis) and self.name == other.name and self.exact == other.exact
                and np.array_equal(self.values, other.values))

    __hash__ = None


def exact_linspace(start, stop, num: int) -> list[Fraction]:
    """``num`` evenly spaced exact fractions from ``start`` to ``stop`` (both included).

    Examples
    --------
    >>> [str(x) for x in exact_linspace(0, 1, 4)]
    ['0', '1/3', '2/3', '1']
    """
    a = Fraction(str(to_exact(start, name="start")))
    b = Fraction(str(to_exact(stop, name="stop")))
    if num < 2:
        raise ParameterError(f"exact_linspace needs at least two points, got num={num}")
    return [a + (b - a) * k / (num - 1) for k in range(num)]


def _make_axis(name, values) -> Axis:
    if isinstance(values, np.ndarray) and values.dtype.kind == "f":
        arr = np.asarray(values, dtype=float)
        exact = None
    else:
        items = list(values.tolist() if isinstance(values, np.ndarray) else values)
        exact_items = []
        exact_ok = True
        for v in items:
            if isinstance(v, float) or isinstance(v, sympy.Float):
                exact_ok = False
                break
            exact_items.append(to_exact(v, name=f"grid value of {name!r}"))
        if exact_ok:
            exact = tuple(sympy.Rational(x) if x.is_Rational else x for x in exact_items)
            arr = np.array([float(x) for x in exact], dtype=float)
        else:
            arr = np.asarray(items, dtype=float)
            exact = None
    if arr.ndim != 1 or arr.size == 0:
        raise ParameterError(f"grid axis {name!r} must be a non-empty one-dimensional sequence of numbers")
    if not np.all(np.isfinite(arr)):
        raise ParameterError(f"grid axis {name!r} contains values that are not finite")
    return Axis(name, arr, exact)


@dataclass(frozen=True, eq=False)
class SweepResult:
    """The values of a sweep over a grid, with its axes.

    Attributes
    ----------
    kind : SweepKind
        Condition (``data`` is bool), expression (float) or regime (unsigned regime codes).
    target : str
        The target as text.
    axes : tuple of Axis
        The grid axes, in the order of ``data``'s dimensions.
    values : dict
        Fixed values of the other parameters (name -> exact number as text).
    data : ndarray
        The result per grid point.
    boundary : ndarray of bool
        Points within ``tolerance`` of a boundary (exactly on one, for exact grids).
    legend : RegimeLegend or None
        For regime sweeps: code -> set of asymptotically stable profiles.
    exact : bool
        Whether boundary points were classified exactly.
    tolerance : float
        The tolerance used to flag boundary points.
    """

    kind: SweepKind
    target: str
    axes: tuple
    values: dict
    data: np.ndarray
    boundary: np.ndarray
    legend: RegimeLegend | None = None
    exact: bool = False
    tolerance: float = DEFAULT_TOLERANCE
    done: np.ndarray | None = field(default=None, repr=False)

    @property
    def shape(self) -> tuple[int, ...]:
        """The grid's shape."""
        return tuple(len(a) for a in self.axes)

    @property
    def complete(self) -> bool:
        """Whether every block of the grid has been evaluated."""
        return self.done is None or bool(np.all(self.done))

    def axis(self, name) -> Axis:
        """The axis of the named parameter."""
        for a in self.axes:
            if a.name == name:
                return a
        raise UnknownNameError(f"no axis {name!r} (axes: {', '.join(a.name for a in self.axes)})")

    def counts(self) -> dict:
        """How many points have each value (each regime, for regime sweeps; True/False otherwise)."""
        if self.kind is SweepKind.EXPRESSION:
            raise SolverError("counts() is for condition and regime sweeps")
        vals, counts = np.unique(self.data, return_counts=True)
        if self.kind is SweepKind.REGIME:
            return {self.legend[v]: int(c) for v, c in zip(vals, counts)}
        return {bool(v): int(c) for v, c in zip(vals, counts)}

    def _summary(self):
        """(header, rows) of the summary table."""
        if self.kind is SweepKind.EXPRESSION:
            return ["statistic", self.target], [["min", float(np.min(self.data))], ["max", float(np.max(self.data))]]
        rows = []
        for v in np.unique(self.data):
            mask = self.data == v
            label = str(self.legend[v]) if self.kind is SweepKind.REGIME else str(bool(v))
            rows.append([label, int(mask.sum()), int((mask & self.boundary).sum())])
        head = "stable vertices" if self.kind is SweepKind.REGIME else self.target
        return [head, "points", "boundary points"], rows

    def _caption(self) -> str:
        return f"{self.target} over " + " x ".join(f"{a.name} ({len(a)} values)" for a in self.axes)

    def to_markdown(self) -> str:
        """A summary table: each value (or regime) with its number of points and of boundary points."""
        from ..core.formatting import markdown_table

        return markdown_table(*self._summary())

    def to_latex(self) -> str:
        """The summary table as a LaTeX ``tabular``."""
        from ..core.formatting import latex_table

        return latex_table(*self._summary())

    def _repr_markdown_(self):
        return f"**{self._caption()}**\n\n" + self.to_markdown()

    def _repr_latex_(self):
        return self.to_latex()

    def _repr_html_(self):
        from ..core.notebook import html_table

        return html_table(*self._summary(), caption=self._caption())

    # ------------------------------------------------------------------ frames and arrays
    def _value_name(self) -> str:
        return {SweepKind.REGIME: "regime", SweepKind.CONDITION: "holds", SweepKind.EXPRESSION: "value"}[self.kind]

    def to_dataframe(self, numeric: bool = False):
        """One row per grid point: the axes' values (exact for exact axes unless ``numeric``), the
        value (``regime`` code and ``stable profiles``, ``holds`` or ``value``) and ``boundary``.

        Examples
        --------
        >>> r = sweep("s > 1", {"s": [0, 1, 2]}, progress=False)
        >>> r.to_dataframe()[["s", "holds", "boundary"]].values.tolist()
        [[0, False, False], [1, False, True], [2, True, False]]
        """
        import itertools

        from ..core.frames import frame

        columns = [a.exact if a.exact is not None else a.values for a in self.axes]
        rows = []
        for idx in itertools.product(*(range(len(a)) for a in self.axes)):
            row = {a.name: (col[i] if a.exact is not None else float(col[i])) for a, col, i in zip(self.axes, columns, idx)}
            v = self.data[idx]
            if self.kind is SweepKind.REGIME:
                row["regime"] = int(v)
                row["stable profiles"] = str(self.legend[v])
            elif self.kind is SweepKind.CONDITION:
                row["holds"] = bool(v)
            else:
                row["value"] = float(v)
            row["boundary"] = bool(self.boundary[idx])
            rows.append(row)
        return frame(rows, numeric=numeric)

    def to_xarray(self, dataset: bool = True):
        """The sweep as an ``xarray.Dataset`` (the value and ``boundary``) or, with ``dataset=False``,
        an ``xarray.DataArray`` of the value, with one dimension per axis named after its parameter
        and the axis values (floats) as coordinates; exact axis values are in the ``exact``
        attribute of each coordinate, a regime sweep's legend in ``attrs["legend"]``.

        Examples
        --------
        >>> r = sweep("s * t", {"s": [1, 2], "t": [0, 1, 3]}, progress=False)
        >>> r.to_xarray(dataset=False).sel(s=2, t=3).item()
        6.0
        """
        from ..core.frames import require_xarray

        xr = require_xarray()
        dims = [a.name for a in self.axes]
        coords = {a.name: (a.name, np.asarray(a.values, dtype=float),
                           {} if a.exact is None else {"exact": [str(x) for x in a.exact]}) for a in self.axes}
        attrs = {"target": self.target, "kind": self.kind.value, "fixed values": dict(self.values),
                 "tolerance": self.tolerance}
        if self.legend is not None:
            attrs["legend"] = {int(c): str(self.legend[c]) for c in np.unique(self.data)}
        value = xr.DataArray(np.asarray(self.data), dims=dims, coords=coords, name=self._value_name(), attrs=attrs)
        if not dataset:
            return value
        return xr.Dataset({value.name: value, "boundary": (dims, np.asarray(self.boundary, dtype=bool))}, attrs=attrs)

    # ------------------------------------------------------------------ files
    def _meta(self) -> dict:
        return {
            "format": _FORMAT,
            "kind": self.kind.value,
            "target": self.target,
            "axes": [{"name": a.name, "exact": None if a.exact is None else [str(x) for x in a.exact]}
                     for a in self.axes],
            "values": self.values,
            "legend": None if self.legend is None else [list(p) for p in self.legend.profiles],
            "exact": self.exact,
            "tolerance": self.tolerance,
        }

    def save(self, path, *, extra: Mapping | None = None) -> None:
        """Write the result to a ``.npz`` file atomically (temporary file, then ``os.replace``)."""
        meta = self._meta()
        if extra:
            meta.update(extra)
        arrays = {"data": self.data, "boundary": self.boundary,
                  "meta": np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)}
        if self.done is not None:
            arrays["done"] = self.done
        for k, a in enumerate(self.axes):
            arrays[f"axis_{k}"] = a.values
        _atomic_savez(os.fspath(path), arrays)

    @classmethod
    def load(cls, path) -> SweepResult:
        """Read a result written by :meth:`save`."""
        result, _ = _load(path)
        return result


def _atomic_savez(path: str, arrays: dict) -> None:
    with open_atomically(path, fsync=True) as fh:
        np.savez(fh, **arrays)


#: The first bytes of every ``.npz`` file (a zip archive's local file header).
_NPZ_MAGIC = b"PK\x03\x04"


def _load(path):
    shown = os.fspath(path)
    try:
        with open(shown, "rb") as fh:
            head = fh.read(len(_NPZ_MAGIC))
    except OSError as exc:
        raise ParameterError(f"cannot read sweep file {shown!r}: {exc.strerror or exc}") from None
    if head != _NPZ_MAGIC:
        what = "it is empty" if not head else "it is not an .npz archive"
        raise ParameterError(f"{shown!r} is not a coopgame sweep file ({what}); remove it or choose another file")
    try:
        with np.load(shown, allow_pickle=False) as f:
            meta = json.loads(bytes(f["meta"]).decode())
            if not isinstance(meta, dict) or meta.get("format") != _FORMAT:
                raise ParameterError(f"{shown!r} is not a coopgame sweep file of format {_FORMAT}")
            axes = []
            for k, a in enumerate(meta["axes"]):
                exact = None if a["exact"] is None else tuple(to_exact(x, name=a["name"]) for x in a["exact"])
                axes.append(Axis(a["name"], np.array(f[f"axis_{k}"]), exact))
            legend = None if meta["legend"] is None else RegimeLegend(tuple(tuple(p) for p in meta["legend"]))
            done = np.array(f["done"]) if "done" in f.files else None
            result = SweepResult(SweepKind(meta["kind"]), meta["target"], tuple(axes), meta["values"],
                                 np.array(f["data"]), np.array(f["boundary"]), legend, meta["exact"],
                                 meta["tolerance"], done)
    except ParameterError:
        raise
    except (OSError, KeyError, ValueError, TypeError, IndexError, EOFError, zipfile.BadZipFile,
            UnicodeDecodeError) as exc:
        # Never numpy's own text: for an archive member holding objects it suggests loading with
        # allow_pickle, which would run code from the file.
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "damaged or not written by coopgame"
        raise ParameterError(f"cannot read sweep file {shown!r}: {reason} ({type(exc).__name__}); "
                             "remove it or choose another file") from None
    return result, meta


# ---------------------------------------------------------------------- compiled targets
#: Compiled targets in this process, by content (used when chunks arrive pickled, on Dask workers).
_WORKER_CACHE: dict = {}


class _Compiled:
    """A target compiled for numpy; picklable (recompiles after unpickling)."""

    def __init__(self, kind, symbols, target, game=None, values=None):
        self.kind = kind
        self.symbols = tuple(symbols)
        self.target = target
        self.game = game
        self.values = values
        if game is not None:
            content = [[sympy.srepr(v) for v in row] for row in game.payoff_table().values()]
        else:
            content = sympy.srepr(target)
        self.key = hashlib.sha256(json.dumps([kind.value, [sympy.srepr(s) for s in self.symbols], content,
                                              sorted((str(k), str(v)) for k, v in dict(values or {}).items())]
                                             ).encode()).hexdigest()
        self._build()

    def _build(self):
        if self.kind is SweepKind.REGIME:
            self.classifier = RegimeClassifier(self.game, self.symbols, self.values)
            self.legend = self.classifier.legend
            return
        self.legend = None
        if self.kind is SweepKind.EXPRESSION:
            self._f = numpy_function(self.symbols, self.target)
            return
        # Conditions: each relational's difference, and the Boolean structure over them.
        rels = sorted(self.target.atoms(sympy.core.relational.Relational), key=sympy.default_sort_key)
        self.rels = rels
        self.diffs = [sympy.expand(r.lhs - r.rhs) for r in rels]
        flags = sympy.symbols(f"_b0:{len(rels)}") if rels else ()
        self._flags = flags
        structure = self.target.xreplace(dict(zip(rels, flags)))
        self._diff_f = numpy_function(self.symbols, self.diffs) if rels else None
        self._bool_f = numpy_function(flags, structure) if rels else None

    def __getstate__(self):
        return {k: v for k, v in self.__dict__.items() if k in ("kind", "symbols", "target", "game", "values", "key")}

    def __setstate__(self, state):
        # A worker process compiles each target once, however many chunks it receives.
        cached = _WORKER_CACHE.get(state["key"])
        if cached is not None:
            self.__dict__.update(cached.__dict__)
            return
        self.__dict__.update(state)
        self._build()
        if len(_WORKER_CACHE) >= 8:
            _WORKER_CACHE.pop(next(iter(_WORKER_CACHE)))
        _WORKER_CACHE[state["key"]] = self

    def evaluate(self, arrays, shape, tolerance):
        if self.kind is SweepKind.REGIME:
            codes, boundary = self.classifier.evaluate(arrays, tolerance)
            return np.broadcast_to(codes, shape), np.broadcast_to(boundary, shape)
        if self.kind is SweepKind.EXPRESSION:
            out = np.broadcast_to(np.asarray(self._f(*arrays), dtype=float), shape)
            return out, np.zeros(shape, dtype=bool)
        if not self.rels:
            return np.full(shape, bool(self.target)), np.zeros(shape, dtype=bool)
        diffs = [np.asarray(d, dtype=float) for d in self._diff_f(*arrays)]
        flags = [_compare(r, d) for r, d in zip(self.rels, diffs)]
        value = np.broadcast_to(np.asarray(self._bool_f(*flags), dtype=bool), shape)
        boundary = np.zeros(shape, dtype=bool)
        for d in diffs:
            close = np.abs(d) <= tolerance
            if close.any():
                boundary |= close
        return value, boundary

    def exact(self, point):
        """Exact (value, on-boundary) at one point of exact numbers."""
        subs = dict(zip(self.symbols, point))
        if self.kind is SweepKind.REGIME:
            return self.classifier.exact(point)
        if self.kind is SweepKind.EXPRESSION:
            return self.target.xreplace(subs), False
        value = self.target.xreplace(subs)
        if value not in (sympy.true, sympy.false):
            value = sympy.simplify(value)
        if value not in (sympy.true, sympy.false):
            raise SolverError(f"condition {self.target} could not be decided exactly at {point}")
        on = any(sympy.simplify(d.xreplace(subs)) == 0 for d in self.diffs)
        return bool(value), on


def _compare(rel, d):
    if isinstance(rel, sympy.StrictGreaterThan):
        return d > 0
    if isinstance(rel, sympy.GreaterThan):
        return d >= 0
    if isinstance(rel, sympy.StrictLessThan):
        return d < 0
    if isinstance(rel, sympy.LessThan):
        return d <= 0
    if isinstance(rel, sympy.Eq):
        return d == 0
    if isinstance(rel, sympy.Ne):
        return d != 0
    raise SolverError(f"unsupported relation {rel}")


def _blocks(shape, chunk):
    """Blocks (tuples of slices) covering the grid, each with at most ``chunk`` points."""
    if not shape:
        return [()]
    inner = math.prod(shape[1:])
    if inner <= chunk:
        step = max(1, chunk // max(inner, 1))
        return [(slice(i, min(i + step, shape[0])),) + tuple(slice(None) for _ in shape[1:])
                for i in range(0, shape[0], step)]
    sub = _blocks(shape[1:], chunk)
    return [(slice(i, i + 1),) + s for i in range(shape[0]) for s in sub]


def _block_arrays(axes, block):
    n = len(axes)
    out = []
    for k, (a, sl) in enumerate(zip(axes, block)):
        shape = [1] * n
        vals = a.values[sl]
        shape[k] = len(vals)
        out.append(vals.reshape(shape))
    return out


def _evaluate_block(compiled, axes, block, tolerance):
    arrays = _block_arrays(axes, block)
    shape = tuple(len(a.values[sl]) for a, sl in zip(axes, block))
    value, boundary = compiled.evaluate(arrays, shape, tolerance)
    return np.ascontiguousarray(value), np.ascontiguousarray(boundary)


# ---------------------------------------------------------------------- API
def _bundle_target(target, grid_names, values):
    """A Model or Scenario target as (its status-quo game, values with its defaults filled in)."""
    # a Model or Scenario (a PolicyBundle of coopgame.models.base, a layer above: duck-typed)
    if not (hasattr(target, "owners") and hasattr(target, "game") and hasattr(target, "defaults")):
        return target, values
    bundle = target
    for name in grid_names:
        owners = bundle.owners(name)
        if owners:
            raise UnknownNameError(
                f"grid axis {name!r} is the level of the instrument {owners[0]!r}, which the model's game "
                f"does not apply: sweep model.with_policy({owners[0]!r}) with the defaults of its other parameters")
    present = {p.name for p in bundle.game.parameters}
    base = bundle.values() if hasattr(bundle, "values") else bundle.defaults  # a Scenario adds its analysis values
    merged = {k.name: v for k, v in base.items() if k.name in present and k.name not in grid_names}
    merged.update({getattr(k, "name", k): v for k, v in (values or {}).items()})  # checked like any values
    return bundle.game, merged


def _prepare_target(target, grid_names, values):
    """(kind, symbols, compiled target, game, fixed values text, target text)."""
    from ..core.game import Game

    if isinstance(target, Game):
        game = target
        known = {p.name for p in game.parameters}
        for name in grid_names:
            if name not in known:
                raise UnknownNameError(f"grid axis {name!r} is not a parameter of the game (known: {', '.join(sorted(known))})")
        fixed = game.check_values(values or {}, require_all=False)
        fixed_names = {s.name for s in fixed}
        overlap = fixed_names & set(grid_names)
        if overlap:
            raise ParameterError(f"parameter(s) {sorted(overlap)} are both grid axes and fixed values")
        missing = sorted(p.name for p in game.parameters
                         if p.symbol not in fixed and p.name not in grid_names and p.symbol in game.free_symbols)
        if missing:
            hint = ""
            if all(game.parameter(n).default is not None for n in missing):
                hint = ("; they have defaults: sweep the Model or Scenario itself, sweep(model, grid), which "
                        "uses them as the command line does, or pass values=model.defaults without the grid axes")
            raise ParameterError(f"give values (or grid axes) for parameter(s) {', '.join(map(repr, missing))}{hint}")
        symbols = [game.symbol(n) for n in grid_names]
        text = f"regime of {game.name or 'game'}"
        return SweepKind.REGIME, symbols, None, game, {s.name: str(v) for s, v in fixed.items()}, text
    if isinstance(target, str):
        expr = parse(target, relational=True)
    elif isinstance(target, sympy.Basic):
        expr = target
    elif hasattr(target, "condition"):  # an Equilibrium
        expr = target.condition
    else:
        raise SolverError(f"sweep target must be a condition, an expression or a Game; got {target!r}")
    fixed = {}
    by_name = {}
    for s in expr.free_symbols:
        by_name[s.name] = s
    for key, value in (values or {}).items():
        name = key if isinstance(key, str) else getattr(key, "name", None)
        if name is None:
            raise UnknownNameError(f"parameter key {key!r} must be a name, a sympy Symbol or a Parameter")
        if name in grid_names:
            raise ParameterError(f"parameter {name!r} is both a grid axis and a fixed value")
        if name in by_name:
            fixed[by_name[name]] = to_exact(value, name=f"parameter {name!r}")
    expr = expr.xreplace(fixed)
    symbols = [by_name.get(n, sympy.Symbol(n, real=True)) for n in grid_names]
    missing = sorted(s.name for s in expr.free_symbols if s not in symbols)
    if missing:
        raise ParameterError(f"give values (or grid axes) for parameter(s) {', '.join(map(repr, missing))}")
    if isinstance(expr, sympy.Expr):
        kind = SweepKind.EXPRESSION
    elif isinstance(expr, sympy.logic.boolalg.Boolean):
        kind = SweepKind.CONDITION
    else:
        raise SolverError(f"sweep target must be a condition or an expression, got {expr!r}")
    return kind, symbols, expr, None, {s.name: str(v) for s, v in fixed.items()}, str(expr)


def sweep(
    target,
    grid: Mapping,
    values: Mapping | None = None,
    *,
    chunk_size: int | None = DEFAULT_CHUNK_SIZE,
    progress: bool = True,
    out=None,
    backend: str = "numpy",
    max_points: int = DEFAULT_MAX_POINTS,
    max_memory: int = DEFAULT_MAX_MEMORY,
    tolerance: float = DEFAULT_TOLERANCE,
    checkpoint_seconds: float = 10.0,
    scheduler=None,
) -> SweepResult:
    """Evaluate a condition, an expression or the stability regime of a game over a grid.

    Parameters
    ----------
    target : sympy Boolean, sympy.Expr, str, Equilibrium, Game, Model or Scenario
        A condition (result: bool per point), an expression (float per point), or a game
        (result: the regime, i.e. which vertices are asymptotically stable, as codes explained
        by ``result.legend``). A catalogue :class:`~coopgame.models.Model` or a
        :class:`~coopgame.scenario.Scenario` stands for its status-quo game, with its defaults
        (and a scenario's analysis values) for the parameters not in ``grid`` or ``values``, as
        on the command line.
    grid : mapping of parameter name to 1-D sequence
        The axes, in order. Float arrays are float axes; sequences of integers, fractions,
        numeric text or sympy rationals are exact axes (see :func:`exact_linspace`).
    values : mapping, optional
        Exact values of every other parameter (of a game; a model's defaults fill the gaps).
    chunk_size : int or None
        Grid points per chunk (``None``: the whole grid at once).
    progress : bool
        Show a progress bar (a widget in notebooks, on standard error on terminals; see
        :mod:`coopgame.core.progress`).
    out : path, optional
        A ``.npz`` file: saved atomically during and after the run; if it already holds this
        sweep, finished blocks are not evaluated again (resume).
    backend : {"numpy", "dask"}
        ``"dask"`` evaluates the chunks as Dask tasks (the ``dask`` extra), on the active
        distributed client if there is one, else with ``scheduler``.
    max_points : int
        Largest accepted grid.
    max_memory : int
        Bound in bytes on the temporary memory of one chunk.
    tolerance : float
        Points where a compared quantity is within this distance of zero are boundary points.
    checkpoint_seconds : float
        With ``out``, save progress after the first finished chunk, then at most this often, and
        on interruption. It decides only how often the file is written, never the result.
    scheduler : optional
        Passed to ``dask.compute`` with ``backend="dask"`` (for example ``"synchronous"``).

    Returns
    -------
    SweepResult

    Raises
    ------
    ResourceLimitError
        The grid has more than ``max_points`` points, or one chunk would need more than
        ``max_memory`` bytes (choose a smaller ``chunk_size``).
    ParameterError, UnknownNameError
        Missing values, unknown parameters, bad axes, or an ``out`` file holding another sweep
        (or damaged, or not a sweep file).
    OutputError
        The finished result could not be written to ``out`` (a full disk, a read-only folder);
        the result is in the error's ``result``.

    Examples
    --------
    >>> from coopgame import Game
    >>> g = Game(["A", "B"], [["x", "y"], ["x", "y"]],
    ...          {("x", "x"): ["a", "a"], ("x", "y"): [0, 0], ("y", "x"): [0, 0], ("y", "y"): [1, 1]})
    >>> r = sweep(g, {"a": [-1, 0, 2]}, progress=False)
    >>> [str(r.legend[c]) for c in r.data], r.boundary.tolist()
    (['{(y, y)}', '{(y, y)}', '{(x, x), (y, y)}'], [False, True, False])
    """
    names = _grid_names(grid, backend, tolerance)
    target, values = _bundle_target(target, names, values)
    kind, symbols, expr, game, fixed_text, text = _prepare_target(target, names, values)
    total = _grid_size(names, grid, max_points)
    axes = tuple(_make_axis(n, v) for n, v in zip(names, grid.values()))
    shape = tuple(len(a) for a in axes)
    _check_domains(axes, symbols, game)
    compiled, dtype, per_point = _compile(kind, symbols, expr, game, values)
    chunk = _chunk_points(chunk_size, total, per_point, max_memory)
    blocks = _blocks(shape, chunk)
    exact_grid = all(a.exact is not None for a in axes)
    signature = _signature(kind, text, expr, game, fixed_text, names, chunk, tolerance)
    data, boundary, done = _start_or_resume(out, signature, axes, shape, dtype, len(blocks))

    def snapshot():
        return SweepResult(kind, text, axes, fixed_text, data, boundary, compiled.legend, exact_grid,
                           float(tolerance), done)

    def save():
        snapshot().save(out, extra={"signature": signature})

    todo = [i for i in range(len(blocks)) if not done[i]]
    from ..core.progress import bar as progress_bar

    bar = progress_bar(sum(math.prod(len(a.values[sl]) for a, sl in zip(axes, blocks[i])) for i in todo),
                       "points", "sweep", enabled=progress)
    evaluate = _evaluator(compiled, axes, blocks, tolerance, backend, scheduler)
    finished = False
    unsaved = [False]
    try:
        _run_blocks(evaluate, todo, backend, blocks, exact_grid, compiled, axes, data, boundary, done, bar,
                    save if out is not None else None, checkpoint_seconds, unsaved)
        finished = True
    finally:
        bar.close()
        if out is not None and unsaved[0] and not finished:  # interrupted: keep what is done, report the interruption
            try:
                save()
            except OSError:
                pass
    if out is not None and unsaved[0]:
        try:
            save()
        except OSError as exc:  # open_atomically names the file; a bare OSError does not
            said = str(exc) if isinstance(exc, OutputError) else f"sweep file {os.fspath(out)}: {exc.strerror or exc}"
            raise OutputError(f"{said} (the result was computed, not saved)", result=snapshot()) from None
    return snapshot()


def _grid_names(grid, backend, tolerance) -> list[str]:
    """The axis names of ``grid``, after checking the grid, the backend and the tolerance."""
    if not isinstance(grid, Mapping) or not grid:
        raise ParameterError("grid must be a non-empty mapping from parameter names to values")
    names = [k if isinstance(k, str) else getattr(k, "name", None) for k in grid]
    if any(n is None for n in names):
        raise UnknownNameError("grid keys must be parameter names, sympy Symbols or Parameters")
    if len(set(names)) != len(names):
        raise ParameterError(f"grid repeats a parameter: {names}")
    if backend not in ("numpy", "dask"):
        raise ParameterError(f"unknown backend {backend!r} (known: 'numpy', 'dask')")
    if not (isinstance(tolerance, (int, float)) and tolerance >= 0 and math.isfinite(tolerance)):
        raise ParameterError(f"tolerance must be a finite number >= 0, got {tolerance!r}")
    return names


def _grid_size(names, grid, max_points) -> int:
    """The number of grid points (a :class:`ResourceLimitError` beyond ``max_points``)."""
    total = 1
    for name, vals in zip(names, grid.values()):
        try:
            n = len(vals)
        except TypeError:
            raise ParameterError(f"grid axis {name!r} must be a sequence of numbers") from None
        total *= n
    if total > max_points:
        raise ResourceLimitError(
            f"the grid has {total} points, more than max_points={max_points}; use a coarser grid or raise the bound"
        )
    return total


def _compile(kind, symbols, expr, game, values):
    """``(compiled target, result dtype, temporary bytes per grid point)``."""
    if kind is SweepKind.REGIME:
        compiled = _Compiled(kind, symbols, None, game, values)
        n_quantities = sum(len(g) for g in compiled.classifier.gains)
        itemsize = compiled.classifier.dtype().itemsize
    else:
        compiled = _Compiled(kind, symbols, expr)
        n_quantities = 1 if kind is SweepKind.EXPRESSION else max(1, len(compiled.rels))
        itemsize = 8 if kind is SweepKind.EXPRESSION else 1
    dtype = bool if kind is SweepKind.CONDITION else (float if kind is SweepKind.EXPRESSION
                                                       else compiled.classifier.dtype)
    return compiled, dtype, 8 * (n_quantities + 2) + itemsize + 1


def _chunk_points(chunk_size, total, per_point, max_memory) -> int:
    """Grid points per chunk, checked against the memory bound."""
    chunk = total if chunk_size is None else int(chunk_size)
    if chunk < 1:
        raise ParameterError(f"chunk_size must be a positive integer, got {chunk_size!r}")
    if min(chunk, total) * per_point > max_memory:
        raise ResourceLimitError(
            f"a chunk of {min(chunk, total)} points needs about {min(chunk, total) * per_point} bytes of temporary "
            f"memory, more than max_memory={max_memory}; pass a smaller chunk_size"
        )
    return chunk


def _signature(kind, text, expr, game, fixed_text, names, chunk, tolerance) -> str:
    """A hash of everything the sweep's result depends on (a resumed file must match it)."""
    if game is not None:  # the game's full content, not only its names
        content = [list(game.players), [list(s) for s in game.strategy_lists],
                   [[sympy.srepr(v) for v in row] for row in game.payoff_table().values()],
                   [[p.name, p.domain.name] for p in game.parameters]]
    else:
        content = sympy.srepr(expr)
    return hashlib.sha256(json.dumps([kind.value, text, content, fixed_text, names, chunk,
                                      tolerance]).encode()).hexdigest()


def _start_or_resume(out, signature, axes, shape, dtype, n_blocks):
    """``(data, boundary, done)``: empty arrays, or those of the same sweep saved in ``out``."""
    data = np.zeros(shape, dtype=dtype)
    boundary = np.zeros(shape, dtype=bool)
    done = np.zeros(n_blocks, dtype=bool)
    if out is not None:
        remove_stale_temporaries(out)
    if out is not None and os.path.exists(os.fspath(out)):
        previous, meta = _load(out)
        if meta.get("signature") != signature or previous.axes != axes:
            raise ParameterError(f"{os.fspath(out)!r} holds a different sweep; remove it or choose another file")
        data, boundary = previous.data.copy(), previous.boundary.copy()
        done = previous.done.copy() if previous.done is not None else np.ones(n_blocks, dtype=bool)
    return data, boundary, done


def _evaluator(compiled, axes, blocks, tolerance, backend, scheduler):
    """A function from a batch of block numbers to their ``(values, boundary)`` pairs."""
    if backend == "numpy":
        return lambda batch: [_evaluate_block(compiled, axes, blocks[i], tolerance) for i in batch]
    return lambda batch: _dask_batch(compiled, axes, [blocks[i] for i in batch], tolerance, scheduler)


def _run_blocks(evaluate, todo, backend, blocks, exact_grid, compiled, axes, data, boundary, done, bar, save,
                checkpoint_seconds, unsaved):
    """Evaluate the blocks ``todo`` into ``data``/``boundary`` (one per batch, 16 with dask).

    With ``save`` (an ``out`` file), the first finished batch is saved at once, later ones at
    most every ``checkpoint_seconds``; ``unsaved[0]`` says whether finished work is not yet saved.
    """
    batches = [[i] for i in todo] if backend == "numpy" else [todo[j:j + 16] for j in range(0, len(todo), 16)]
    last_save = None
    for batch in batches:
        for i, (value, bnd) in zip(batch, evaluate(batch)):
            block = blocks[i]
            if exact_grid and bnd.any():
                value, bnd = _exact_fix(compiled, axes, block, value, bnd)
            data[block] = value
            boundary[block] = bnd
            done[i] = True
            bar.update(value.size)
        unsaved[0] = True
        if save is not None and (last_save is None or time.perf_counter() - last_save >= checkpoint_seconds):
            last_save = time.perf_counter()
            try:
                save()
                unsaved[0] = False
            except OSError:  # a full disk: keep computing, the final save reports it
                pass


def _check_domains(axes, symbols, game):
    """Every axis must lie in its parameter's domain (intervals are convex: the ends suffice)."""
    from ..core.exact import domain_of_symbol

    for axis, sym in zip(axes, symbols):
        if game is not None:
            domain = game.parameter(axis.name).domain
            interval, shown = domain.interval, domain.describe()
        else:
            interval = domain_of_symbol(sym)
            shown = str(interval)
        if axis.exact is not None:
            ends = (min(axis.exact), max(axis.exact))
        else:
            ends = (to_exact(float(axis.values.min())), to_exact(float(axis.values.max())))
        for end in ends:
            if interval.contains(end) is sympy.false:
                raise ParameterError(f"grid axis {axis.name!r} has the value {end}, outside the domain {shown}")


def _exact_fix(compiled, axes, block, value, bnd):
    """Re-evaluate flagged points of an exact grid exactly."""
    value = value.copy()
    bnd = bnd.copy()
    offsets = [sl.start or 0 for sl in block]
    for idx in zip(*np.nonzero(bnd)):
        point = [a.exact[o + j] for a, o, j in zip(axes, offsets, idx)]
        v, on = compiled.exact(point)
        value[idx] = v
        bnd[idx] = on
    return value, bnd


def _dask_batch(compiled, axes, blocks, tolerance, scheduler):
    try:
        import dask
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("backend='dask' needs dask: pip install 'coopgame-vet[dask]'") from None
    tasks = [dask.delayed(_evaluate_block, pure=False)(compiled, axes, b, tolerance) for b in blocks]
    kwargs = {} if scheduler is None else {"scheduler": scheduler}
    return list(dask.compute(*tasks, **kwargs))
