"""Figures of the analysis section: sensitivity panels, bifurcation diagrams, phase portraits.

Every function returns a matplotlib :class:`~matplotlib.figure.Figure` (drawn on its own Agg
canvas, never through ``pyplot``, so no global state changes); the caller may restyle it, and
:func:`save_figure` writes it as PNG, PDF or SVG (reproducibly: no dates in the metadata).

Labels and titles may be in any language. Matplotlib's default font has no Chinese, Japanese or
Korean glyphs; give ``font=cjk_font()`` (the name of an installed CJK font, or None when there
is none) to any figure function, or set ``matplotlib.rcParams["font.sans-serif"]`` yourself.

Examples
--------
>>> import tempfile, pathlib
>>> from coopgame import Game
>>> g = Game.bimatrix([["a", 0], [0, 1]], [["a", 0], [0, 1]], strategies=[["A", "B"]] * 2)
>>> res = g.replicator().sensitivity("a", [-1, 1, 2], None, [[0.4, 0.6]], t_max=10)
>>> fig = sensitivity_figure(res, title="sensitivity to a")
>>> [ax.get_title() for ax in fig.axes]
['x_row', 'x_column']
>>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
['a = -1', 'a = 1', 'a = 2']
>>> with tempfile.TemporaryDirectory() as d:
...     save_figure(fig, pathlib.Path(d) / "s.svg").read_bytes()[:5]
b'<?xml'
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..core.errors import OutputError, ParameterError
from ..core.numeric import numpy_function
from .phase import CJK_FONTS, PLOT_FORMATS, cjk_font, figure_classes, lay_out, write_figure

__all__ = ["sensitivity_figure", "bifurcation_diagram", "phase_portrait", "save_figure", "cjk_font", "CJK_FONTS"]

def _figure(width, height, font):
    Figure, FigureCanvasAgg = figure_classes()
    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)
    if font is not None:
        fig._coopgame_font = font
    return fig


def _apply_font(fig, font):
    """Set ``font`` on every text of the figure (titles, labels, ticks, legends)."""
    if font is None:
        return
    for text in fig.findobj(lambda a: hasattr(a, "set_fontfamily") and hasattr(a, "get_text")):
        text.set_fontfamily([font, "DejaVu Sans"])


def save_figure(fig, path, format: str | None = None, *, dpi: int = 150) -> Path:
    """Write a figure as PNG, PDF or SVG (``format``, or the suffix of ``path``), atomically.

    Raises
    ------
    OutputError
        The format is not one of PNG, PDF, SVG, or the file cannot be written.
    """
    path = Path(path)
    suffix = ("." + format.lower().lstrip(".")) if format else path.suffix.lower()
    if suffix not in PLOT_FORMATS:
        raise OutputError(f"figure {path}: unknown format {suffix or '(none)'!r} (use {', '.join(PLOT_FORMATS)})")
    if not path.suffix:
        path = path.with_suffix(suffix)
    write_figure(fig, path, suffix, dpi)
    return path


def _finish(fig, title, font, path, format, dpi, *, best_legends=True):
    """Title, font, layout and legends (:func:`~coopgame.report.phase.lay_out`: margins fitted to
    the labels, no layout engine left, so a saved figure is drawn once; the axes' legends, made
    with ``loc="best"`` when ``best_legends``, fixed where that puts them); the file when asked."""
    suptitle = fig.suptitle(title) if title else None
    _apply_font(fig, font)
    lay_out(fig, suptitle=suptitle, best_legends=best_legends)
    if path is not None:
        save_figure(fig, path, format, dpi=dpi)
    return fig


# ---------------------------------------------------------------------- sensitivity
def sensitivity_figure(result, *, start: int | None = None, labels=None, title: str | None = None,
                       xlabel: str = "time t", ylabel: str = "share", font: str | None = None,
                       path=None, format: str | None = None, dpi: int = 150):
    """Time paths at every level: one panel per population share, one line per level.

    Parameters
    ----------
    result : Sensitivity
    start : int, optional
        Draw only this start (default: every start, in the level's colour).
    labels : sequence of str, optional
        Panel titles, one per state coordinate (default: the coordinate names).
    title, xlabel, ylabel : str
        Text in any language (see ``font``).
    font : str, optional
        A font family for every text, e.g. :func:`cjk_font` for Chinese labels.
    path, format, dpi
        Also write the figure (see :func:`save_figure`).

    With two varied parameters the panels form a grid: one row per level of the second
    parameter, one line per level of the first.

    Returns
    -------
    matplotlib.figure.Figure
    """
    dim = len(result.state)
    if dim == 0:
        raise ParameterError("the state has no coordinates to draw (every role has one strategy)")
    names = list(labels) if labels is not None else [s.name for s in result.state]
    if len(names) != dim:
        raise ParameterError(f"give one label per state coordinate ({dim}), got {len(names)}")
    params = result.parameters
    if len(params) > 2:
        raise ParameterError("a sensitivity figure draws one or two varied parameters")
    rows_of = [lev[1] for lev in result.levels] if len(params) == 2 else [None] * len(result.levels)
    row_keys = list(dict.fromkeys(rows_of))
    nrows = len(row_keys)
    fig = _figure(3.6 * dim, 3.0 * nrows + 0.6, font)
    axes = [[fig.add_subplot(nrows, dim, r * dim + j + 1) for j in range(dim)] for r in range(nrows)]
    firsts = sorted({lev[0] for lev in result.levels}, key=float)
    colour = {v: f"C{k % 10}" for k, v in enumerate(firsts)}
    picks = range(len(result.initial)) if start is None else [start]
    for lev, traj, rk in zip(result.levels, result.trajectories, rows_of):
        r = row_keys.index(rk)
        label = f"{params[0].name} = {lev[0]}"
        for j in range(dim):
            ax = axes[r][j]
            for n, i in enumerate(picks):
                ax.plot(traj.times, traj.states[i, :, j], color=colour[lev[0]], lw=1.2,
                        label=label if n == 0 else None)
    for r, rk in enumerate(row_keys):
        for j in range(dim):
            ax = axes[r][j]
            ax.set_ylim(-0.02, 1.02)
            ax.set_xlabel(xlabel)
            if j == 0:
                ax.set_ylabel(ylabel if rk is None else f"{ylabel} ({params[1].name} = {rk})")
            ax.set_title(names[j], y=1.0)  # at the top: not re-placed (tick boxes) at every draw
            ax.legend(fontsize="small", loc="best")
    return _finish(fig, title, font, path, format, dpi)


# ---------------------------------------------------------------------- bifurcation
def bifurcation_diagram(bif, *, samples: int = 200, labels=None, title: str | None = None,
                        font: str | None = None, path=None, format: str | None = None, dpi: int = 150):
    """The rest points' coordinates against the parameter: solid where asymptotically stable.

    One panel per state coordinate; each branch is drawn on every interval where it lies in the
    state space, solid where it is asymptotically stable and dashed where it is not; the
    critical values are marked by thin vertical lines.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from coopgame import Game
    >>> g = Game.bimatrix([["a", 0], [0, 1]], [["a", 0], [0, 1]], strategies=[["A", "B"]] * 2)
    >>> fig = bifurcation_diagram(g.replicator().bifurcation("a", lo=-1, hi=2))
    >>> sorted({line.get_linestyle() for line in fig.axes[0].lines})
    ['-', '--', ':']
    """
    from ..dynamics import Stability

    state = list(bif.branches[0].point.coordinates) if bif.branches else []
    dim = len(state)
    if dim == 0:
        raise ParameterError("no rest point coordinates to draw")
    names = list(labels) if labels is not None else [s.name for s in state]
    fig = _figure(3.8 * dim, 3.4, font)
    axes = [fig.add_subplot(1, dim, j + 1) for j in range(dim)]
    from matplotlib.lines import Line2D

    p = bif.parameter
    handles = []
    for k, branch in enumerate(bif.branches):
        colour = f"C{k % 10}"
        first = True
        coordinates = None  # the branch's coordinates as one compiled function of p, made once
        for iv in branch.intervals:
            if iv.verdict is None:
                continue
            lo, hi = float(iv.lo), float(iv.hi)
            xs = np.linspace(lo, hi, samples)[1:-1] if samples > 2 else np.array([(lo + hi) / 2])
            stable = iv.verdict is Stability.ASYMPTOTICALLY_STABLE
            if coordinates is None:
                coordinates = numpy_function(p, [branch.point.coordinates[s] for s in state])
            for j, y in enumerate(coordinates(xs)):
                ys = np.broadcast_to(np.asarray(y, dtype=float), xs.shape)
                axes[j].plot(xs, ys, color=colour, lw=2.0 if stable else 1.2, ls="-" if stable else "--")
            if first:
                handles.append(Line2D([], [], color=colour, lw=1.5, label=branch.label))
            first = False
    for ax, name in zip(axes, names):
        for c in bif.critical:
            ax.axvline(float(c), color="0.6", lw=0.8, ls=":")
        ax.set_xlim(float(bif.lo), float(bif.hi))
        ax.set_ylim(-0.05, 1.05)
        ax.set_xlabel(p.name)
        ax.set_title(name, y=1.0)
    axes[0].set_ylabel("rest point coordinate")
    axes[0].legend(handles=handles, fontsize="x-small", loc="best", title="solid: asymptotically stable",
                   title_fontsize="x-small")
    return _finish(fig, title, font, path, format, dpi)


# ---------------------------------------------------------------------- phase portrait
_MARKERS = {"ASYMPTOTICALLY_STABLE": ("o", "k", "asymptotically stable"),
            "SADDLE": ("s", "white", "saddle"),
            "UNSTABLE": ("o", "white", "unstable"),
            "NON_HYPERBOLIC": ("D", "0.6", "non-hyperbolic")}


def phase_portrait(dynamics, values=None, *, density: float = 1.2, grid: int = 41, labels=None,
                   title: str | None = None, font: str | None = None, path=None, format: str | None = None,
                   dpi: int = 150, limits=None, timeout: float | None = None):
    """Streamlines of a two-coordinate field on the unit square, nullclines, rest points by verdict.

    Parameters
    ----------
    dynamics : ReplicatorDynamics
        Two populations with two strategies each (a two-dimensional state).
    values : mapping, optional
        Parameter values.
    density : float
        Density of the streamlines.
    grid : int
        Points per side of the grid the field and the nullclines are evaluated on.
    limits : SearchLimits, optional
        Work limits of the rest-point search (see
        :meth:`~coopgame.dynamics.replicator.ReplicatorDynamics.stability`).
    timeout : None
        Deprecated and ignored (a :class:`DeprecationWarning` when given).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from coopgame import Game
    >>> g = Game.bimatrix([[2, 0], [0, 1]], [[2, 0], [0, 1]], strategies=[["A", "B"]] * 2)
    >>> fig = phase_portrait(g.replicator())
    >>> sorted(t.get_text() for t in fig.axes[0].get_legend().get_texts())
    ['asymptotically stable', 'saddle', 'unstable', "x_column' = 0", "x_row' = 0"]
    """
    if len(dynamics.state) != 2:
        raise ParameterError(f"a phase portrait needs a two-dimensional state, got {len(dynamics.state)} coordinates "
                             f"({', '.join(s.name for s in dynamics.state)})")
    f = dynamics.vector_field(values)
    xs = np.linspace(0.0, 1.0, grid)
    X, Y = np.meshgrid(xs, xs)
    D = f(np.stack([X, Y], axis=-1))
    U, V = D[..., 0], D[..., 1]
    fig = _figure(5.4, 5.0, font)
    ax = fig.add_subplot(1, 1, 1)
    speed = np.hypot(U, V)
    ax.streamplot(xs, xs, U, V, density=density, color=speed, cmap="Blues", linewidth=0.8, arrowsize=0.9)
    # nullclines: where the payoff part of each equation vanishes (the faces x = 0, 1 are trivial)
    numeric = dynamics._numeric(values) if (values is not None or not dynamics.game.is_numeric) else dynamics
    colours = ("C3", "C2")
    names = list(labels) if labels is not None else [s.name for s in dynamics.state]
    for r, (_, part) in enumerate(numeric._field_parts):
        g = numpy_function(numeric.state, part)
        Z = np.broadcast_to(np.asarray(g(X, Y), dtype=float), X.shape)
        if np.nanmin(Z) < 0 < np.nanmax(Z):
            ax.contour(X, Y, Z, levels=[0.0], colors=[colours[r]], linewidths=1.2, linestyles="--")
            ax.plot([], [], color=colours[r], ls="--", label=f"{names[r]}' = 0")
    if timeout is not None:
        import warnings

        warnings.warn("timeout= is deprecated and ignored: the rest-point search is bounded by work "
                      "(limits=SearchLimits(...)), not by seconds", DeprecationWarning, stacklevel=2)
    table = numeric.stability(limits=limits)
    seen = set()
    for row in table.rows:
        if row.stability is None:
            continue
        marker, face, text = _MARKERS[row.stability.name]
        x0, y0 = row.point.as_array()
        ax.plot([x0], [y0], marker=marker, ms=8, mfc=face, mec="k", ls="none", zorder=5, clip_on=False,
                label=text if text not in seen else None)
        seen.add(text)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    ax.set_xlabel(names[0])
    ax.set_ylabel(names[1])
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.02, 1.0))
    return _finish(fig, title, font, path, format, dpi, best_legends=False)
