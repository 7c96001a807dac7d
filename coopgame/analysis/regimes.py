"""Vectorised stability classification of the vertices (pure profiles) of a game.

In the multi-population replicator dynamics of a normal-form game, a vertex (a pure profile
:math:`s`) is asymptotically stable iff it is a strict Nash equilibrium (Selten, "A note on
evolutionarily stable strategies in asymmetric animal conflicts", 1980): at a vertex the
Jacobian's eigenvalues are the payoff differences :math:`u_i(s_i', s_{-i}) - u_i(s)` of the unused
strategies, so with the deviation gains :math:`g = u_i(s) - u_i(s_i', s_{-i})` of
:func:`coopgame.equilibria.deviation_gains` the vertex is

* asymptotically stable if every gain is :math:`> 0`,
* unstable (a source or a saddle) if some gain is :math:`< 0`,
* non-hyperbolic if no gain is negative and some gain is :math:`0` (linearisation decides
  nothing; reported as undetermined, never as stable).

The *regime* at a parameter point is the set of asymptotically stable vertices. It is encoded as
an integer with bit :math:`k` set when vertex :math:`k` (in ``game.profiles()`` order) is stable;
:class:`RegimeLegend` maps codes back to sets of profiles.

All gains are compiled once with ``lambdify``. Evaluated on a grid given as broadcastable axes,
each gain is computed only over the axes it depends on and compared with zero there; the
full-size work is a few boolean operations per vertex.

Examples
--------
>>> import numpy as np
>>> from coopgame import Game
>>> g = Game(["A", "B"], [["x", "y"], ["x", "y"]],
...          {("x", "x"): ["a", "a"], ("x", "y"): [0, 0], ("y", "x"): [0, 0], ("y", "y"): [1, 1]})
>>> clf = RegimeClassifier(g, ["a"])
>>> codes, boundary = clf.evaluate([np.array([-1.0, 0.0, 2.0])])
>>> [str(clf.legend[c]) for c in codes]
['{(y, y)}', '{(y, y)}', '{(x, x), (y, y)}']
>>> boundary.tolist()
[False, True, False]
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import sympy

from ..core.errors import ParameterError, ResourceLimitError
from ..core.numeric import numpy_function

__all__ = ["VertexStability", "Regime", "RegimeLegend", "RegimeClassifier", "regime_curves", "vertex_stability"]

_TRUE = np.bool_(True)
_FALSE = np.bool_(False)

#: Default absolute tolerance: a gain within this distance of zero marks a boundary point.
DEFAULT_TOLERANCE = 1e-9


class VertexStability(enum.Enum):
    """Stability of a vertex of the multi-population replicator dynamics."""

    ASYMPTOTICALLY_STABLE = "asymptotically stable"
    UNSTABLE = "unstable"
    NON_HYPERBOLIC = "non-hyperbolic"


def vertex_stability(gains: Sequence) -> VertexStability:
    """Exact stability of a vertex from its deviation gains (exact numbers).

    Examples
    --------
    >>> vertex_stability([1, 2]), vertex_stability([1, 0]), vertex_stability([-1, 0])
    (<VertexStability.ASYMPTOTICALLY_STABLE: 'asymptotically stable'>, <VertexStability.NON_HYPERBOLIC: 'non-hyperbolic'>, <VertexStability.UNSTABLE: 'unstable'>)
    """
    if any(g < 0 for g in gains):
        return VertexStability.UNSTABLE
    if any(g == 0 for g in gains):
        return VertexStability.NON_HYPERBOLIC
    return VertexStability.ASYMPTOTICALLY_STABLE


@dataclass(frozen=True)
class Regime:
    """A regime: the set of asymptotically stable vertices, with its integer code."""

    code: int
    stable: frozenset

    def __str__(self):
        if not self.stable:
            return "{} (no stable vertex)"
        return "{" + ", ".join("(" + ", ".join(p) + ")" for p in sorted(self.stable)) + "}"


@dataclass(frozen=True)
class RegimeLegend:
    """Maps regime codes to sets of stable profiles; bit ``k`` stands for ``profiles[k]``."""

    profiles: tuple

    def __getitem__(self, code) -> Regime:
        code = int(code)
        if code < 0 or code >= 1 << len(self.profiles):
            raise ParameterError(f"regime code {code} out of range for {len(self.profiles)} vertices")
        return Regime(code, frozenset(p for k, p in enumerate(self.profiles) if code >> k & 1))

    def code(self, stable) -> int:
        """The code of a set of stable profiles."""
        index = {p: k for k, p in enumerate(self.profiles)}
        out = 0
        for p in stable:
            p = tuple(p)
            if p not in index:
                raise ParameterError(f"{p!r} is not a vertex of the game")
            out |= 1 << index[p]
        return out

    def describe(self, codes) -> list[Regime]:
        """The regimes that occur in an array of codes, in code order."""
        return [self[c] for c in np.unique(np.asarray(codes))]


def _code_dtype(n_vertices: int):
    for dtype in (np.uint8, np.uint16, np.uint32, np.uint64):
        if n_vertices <= np.iinfo(dtype).bits:
            return dtype
    raise ResourceLimitError(f"regime codes hold at most 64 vertices; the game has {n_vertices}")


class RegimeClassifier:
    """Compiled classifier of vertex stability over arrays of parameter values.

    Parameters
    ----------
    game : Game
        The game.
    parameters : sequence of str or Symbol
        The parameters that vary, in the order of the arrays passed to :meth:`evaluate`.
    values : mapping, optional
        Exact values of every other parameter of the game.

    Attributes
    ----------
    legend : RegimeLegend
        Maps codes to sets of stable profiles.
    gains : tuple of tuple of sympy.Expr
        Per vertex, its deviation gains after substituting ``values``.
    """

    def __init__(self, game, parameters, values=None):
        from ..equilibria import deviation_gains

        if values:
            game = game.subs(values)
        names = [p if isinstance(p, str) else p.name for p in parameters]
        by_name = {p.name: p.symbol for p in game.parameters}
        self.symbols = tuple(by_name.get(n, sympy.Symbol(n, real=True)) for n in names)
        missing = sorted(s.name for s in game.free_symbols if s not in self.symbols)
        if missing:
            raise ParameterError(f"give values (or grid axes) for parameter(s) {', '.join(map(repr, missing))}")
        profiles = tuple(tuple(p) for p in game.profiles())
        self.legend = RegimeLegend(profiles)
        self.dtype = _code_dtype(len(profiles))
        self.gains = tuple(tuple(d for _, _, d in deviation_gains(game, p)) for p in profiles)
        self._compile()

    def _compile(self):
        """Compile every distinct gain once.

        A gain that is a sum of a part in one varying parameter and a part in another,
        ``a(x) + b(y)``, is compared as ``a(x) > tol - b(y)``: two small arrays and a single
        full-size comparison, instead of evaluating the sum over the whole grid.
        """
        index = {}
        plans = []
        self._vertex_plans = []
        for gains in self.gains:
            ids = []
            for g in gains:
                if g not in index:
                    index[g] = len(plans)
                    plans.append(self._plan(g))
                ids.append(index[g])
            # cheapest comparisons first, so that a vertex ruled out early costs little
            ids.sort(key=lambda i: plans[i][0])
            self._vertex_plans.append(ids)
        self._plans = plans

    def _plan(self, g):
        axes = [k for k, s in enumerate(self.symbols) if s in g.free_symbols]
        if len(axes) == 2:
            parts = {axes[0]: [], axes[1]: []}
            const = []
            separable = True
            for term in sympy.Add.make_args(g):
                used = [k for k in axes if self.symbols[k] in term.free_symbols]
                if len(used) > 1:
                    separable = False
                    break
                (parts[used[0]] if used else const).append(term)
            if separable:
                left = sympy.Add(*parts[axes[0]], *const)
                right = sympy.Add(*parts[axes[1]])
                f_left = numpy_function(self.symbols, left)
                f_right = numpy_function(self.symbols, right)
                return (1, "separable", f_left, f_right)
        return (len(axes) if len(axes) < 2 else 2 + len(axes), "direct",
                numpy_function(self.symbols, g), None)

    def __getstate__(self):  # compiled functions are rebuilt after unpickling (Dask workers)
        state = dict(self.__dict__)
        state.pop("_plans", None)
        state.pop("_vertex_plans", None)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._compile()

    def _compare(self, plan, arrays, tolerance):
        """``(pos, near)`` for one gain: ``pos = gain > tol`` on the smallest shape the gain allows,
        and ``near`` a function giving ``|gain| <= tol``, or None when no point of the block is
        that close to zero (decided from the small arrays, without a full-size pass)."""
        _, kind, f, f_right = plan
        if kind == "separable":
            left = np.asarray(f(*arrays), dtype=float)
            right = np.asarray(f_right(*arrays), dtype=float)
            pos = left > tolerance - right
            # Is some left_i + right_j within tol of 0?  Search -left_i among the sorted right_j.
            r = np.sort(right, axis=None)
            lo = np.searchsorted(r, -left.ravel() - tolerance, side="left")
            hi = np.searchsorted(r, -left.ravel() + tolerance, side="right")
            if not np.any(hi > lo):
                return pos, None
            return pos, lambda: (left >= -tolerance - right) & ~pos
        g = np.asarray(f(*arrays), dtype=float)
        pos = g > tolerance
        near = np.abs(g) <= tolerance
        return pos, ((lambda: near) if near.any() else None)

    def evaluate(self, arrays, tolerance: float = DEFAULT_TOLERANCE):
        """Regime codes and boundary mask over broadcastable arrays of the varying parameters.

        A point is a boundary point when some vertex has no gain below ``-tolerance`` and some
        gain within ``tolerance`` of zero: there the vertex is non-hyperbolic or so close to it
        that floating point cannot decide.

        Returns
        -------
        codes : ndarray of unsigned int
            Regime code per point (the broadcast shape of ``arrays``).
        boundary : ndarray of bool
        """
        arrays = [np.asarray(a, dtype=float) for a in arrays]
        shape = np.broadcast_shapes(*[a.shape for a in arrays]) if arrays else ()
        codes = np.zeros(shape, dtype=self.dtype)
        boundary = np.zeros(shape, dtype=bool)
        shifted = np.empty(shape, dtype=self.dtype)
        cache = {}
        for v, ids in enumerate(self._vertex_plans):
            stable = _TRUE
            ruled_out = False
            close = []
            for i in ids:
                if i not in cache:
                    cache[i] = self._compare(self._plans[i], arrays, tolerance)
                pos, near = cache[i]
                if near is None and not pos.any():  # below -tol everywhere: unstable, no boundary
                    ruled_out = True
                    break
                stable = stable & pos
                if near is not None:
                    close.append(i)
            if ruled_out:
                continue
            if stable.any():
                stable = np.broadcast_to(stable, shape)
                if self.dtype == np.uint8:
                    np.left_shift(stable.view(np.uint8), v, out=shifted)
                else:
                    np.left_shift(stable.astype(self.dtype), self.dtype(v), out=shifted)
                np.bitwise_or(codes, shifted, out=codes)
            if close:
                # Boundary: some gain within tol of 0 and none below -tol (gain >= -tol is
                # pos | near; for gains never near zero it is pos).
                near_v = _FALSE
                not_neg = _TRUE
                for i in ids:
                    pos, near = cache[i]
                    if near is None:
                        not_neg = not_neg & pos
                    else:
                        n = near()
                        near_v = near_v | n
                        not_neg = not_neg & (pos | n)
                boundary |= near_v & not_neg
        return codes, boundary

    def exact(self, point: Sequence):
        """Exact regime code and non-hyperbolicity at one point (exact numbers, axis order).

        Returns ``(code, boundary)``, ``boundary`` being true when some vertex is non-hyperbolic.
        """
        subs = dict(zip(self.symbols, point))
        code = 0
        boundary = False
        for v, gains in enumerate(self.gains):
            values = [sympy.nsimplify(g.xreplace(subs)) if g.xreplace(subs).is_Float else g.xreplace(subs)
                      for g in gains]
            status = vertex_stability(values)
            if status is VertexStability.ASYMPTOTICALLY_STABLE:
                code |= 1 << v
            elif status is VertexStability.NON_HYPERBOLIC:
                boundary = True
        return code, boundary


def regime_curves(game, grid, fixed=None) -> list:
    """The exact boundaries of a regime map: the deviation gains whose sign decides it there.

    On a map over two parameters the set of asymptotically stable vertices (strict Nash
    equilibria, Selten 1980) changes only where a vertex's eigenvalue, a deviation gain
    :math:`u_i(s'_i, s_{-i}) - u_i(s)`, changes sign while the vertex's other gains are
    negative. Each distinct gain that depends on the swept parameters alone once ``fixed`` is
    substituted, and crosses zero on the map's box where the other gains of its vertex are
    negative (found on an 81-point sample of each axis), is returned as an expression whose zero
    set is a boundary; polynomial gains are made monic (the zero set is the same).

    Parameters
    ----------
    game : Game
    grid : mapping
        The sweep's axes: parameter name -> values (two of them with several values).
    fixed : mapping, optional
        Values of the other parameters.

    Examples
    --------
    >>> from coopgame import Game
    >>> g = Game.bimatrix([["a", 0], [0, "b"]], [["a", 0], [0, 1]], strategies=[["A", "B"]] * 2)
    >>> regime_curves(g, {"a": [-1, 0, 1, 2], "b": [-1, 1, 2]})
    [a, b]
    """
    fixed = dict(fixed or {})
    swept = [k for k, v in grid.items() if len(v) > 1]
    by_name = {s.name: s for s in game.free_symbols}
    sub = {by_name[k]: sympy.Rational(str(v)) if not isinstance(v, sympy.Basic) else v
           for k, v in fixed.items() if k in by_name}
    axes = [by_name[k] for k in swept if k in by_name]
    box = [(float(min(grid[a.name])), float(max(grid[a.name]))) for a in axes]
    rd = game.replicator()
    pts = np.meshgrid(*[np.linspace(lo, hi, 81) for lo, hi in box], indexing="ij")

    sampled = {}  # gain -> its values on the sample; a gain shared by vertices is evaluated once

    def values(exprs):
        new = list(dict.fromkeys(e for e in exprs if e not in sampled))
        if new:  # one compiled function per vertex for the gains not yet sampled
            f = numpy_function(axes, new)
            with np.errstate(all="ignore"):
                for e, v in zip(new, f(*pts)):
                    sampled[e] = np.broadcast_to(np.asarray(v, dtype=float), pts[0].shape)
        return [sampled[e] for e in exprs]

    out, seen = [], set()
    for row in rd._vertex_rows(False, 1e-9):
        gains = [sympy.expand(e.xreplace(sub)) for e in row.eigenvalues]
        if any(not e.free_symbols <= set(axes) for e in gains):
            continue
        vals = values(gains)
        for k, e in enumerate(gains):
            if not e.free_symbols:
                continue
            key = sympy.Poly(e, *sorted(e.free_symbols, key=lambda t: t.name)).monic().as_expr() \
                if e.is_polynomial(*e.free_symbols) else e
            if key in seen:
                continue
            # the vertex's stability changes across e = 0 where its other gains are negative:
            # look for a sign change of e between neighbouring sample points of that region
            others = np.ones(pts[0].shape, dtype=bool)
            for j, v in enumerate(vals):
                if j != k:
                    others &= v < 0
            crosses = False
            for axis in range(len(axes)):
                a = [slice(None)] * len(axes)
                b = [slice(None)] * len(axes)
                a[axis], b[axis] = slice(None, -1), slice(1, None)
                a, b = tuple(a), tuple(b)
                crosses |= bool(np.any((vals[k][a] * vals[k][b] <= 0) & others[a] & others[b]))
            if crosses:
                seen.add(key)
                out.append(key)
    return sorted(out, key=sympy.default_sort_key)
