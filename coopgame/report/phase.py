"""Figures of replicator trajectories: time paths, phase portraits and 3-D trajectories.

One figure per simulation: the time paths of every state coordinate, and beside them the
trajectories in the state space when it can be drawn: a phase portrait for two populations with
two strategies each (two coordinates), a 3-D plot for three (three coordinates). Rest points
found by the simulation's limit labelling are marked.

Matplotlib (the ``plot`` extra) is imported only when a figure is drawn, and figures are drawn on
their own Agg canvas, never through ``pyplot``, so that no global state changes. Files are
reproducible: no creation dates are written into PDF or SVG metadata.

Examples
--------
>>> import tempfile, pathlib
>>> from coopgame import Game
>>> pd = Game.from_arrays([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], players=["A", "B"],
...                       strategies=[["C", "D"], ["C", "D"]])
>>> traj = pd.replicator().simulate(None, [[0.9, 0.9], [0.5, 0.2]], t_max=10)
>>> with tempfile.TemporaryDirectory() as d:
...     fig = plot_trajectories(traj, pathlib.Path(d) / "pd.png", title="Prisoner's dilemma")
...     (pathlib.Path(d) / "pd.png").read_bytes()[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
True
>>> [ax.get_title() for ax in fig.axes]
['Time paths', 'Phase portrait']
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

from ..core.errors import CoopgameError, OutputError
from ..core.io import write_bytes_atomically, write_text_atomically

__all__ = ["plot_trajectories", "plot_regime_map", "trajectories_csv", "write_text_atomically", "PLOT_FORMATS",
           "drawing_unavailable", "figure_classes", "write_figure"]

#: File suffixes a figure can be written as.
PLOT_FORMATS = (".png", ".pdf", ".svg")
#: zlib level of PNG files (1: fastest; the pixels do not depend on it).
PNG_COMPRESSION = 1


def figure_classes():
    """matplotlib's ``Figure`` and Agg ``FigureCanvasAgg`` (imported on first use; no ``pyplot``).

    Raises
    ------
    CoopgameError
        matplotlib cannot be imported (the message says how to install it).
    """
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise CoopgameError(f"figures need matplotlib, which cannot be imported ({exc}): "
                            "pip install matplotlib") from None
    return Figure, FigureCanvasAgg




def drawing_unavailable() -> str | None:
    """Why figures cannot be drawn here (matplotlib missing or broken), or ``None`` if they can.

    matplotlib is a dependency of coopgame, so this is ``None`` on a normal installation; a report
    uses it to write everything but its figures, with a warning, where matplotlib cannot be imported.
    """
    try:
        figure_classes()
    except CoopgameError as exc:
        return str(exc)
    return None


def _labels(traj) -> list[str]:
    return [str(s) for s in traj.state]


def tight_layout(fig):
    """The layout of ``fig.tight_layout()``, leaving the figure without a layout engine.

    ``Figure.tight_layout`` leaves a placeholder engine behind, and a figure with any engine is
    drawn twice by ``savefig`` (once to lay it out, once to render it); the layout is already
    done, so the figure is laid out once here and saved with a single draw.
    """
    from matplotlib.layout_engine import TightLayoutEngine

    TightLayoutEngine(pad=1.08, h_pad=None, w_pad=None, rect=None).execute(fig)


def plot_trajectories(traj, path=None, *, title: str | None = None, dpi: int = 120, format: str | None = None):
    """Draw trajectories (:class:`~coopgame.dynamics.Trajectories`); write the figure when asked.

    Parameters
    ----------
    traj : Trajectories
        The result of :meth:`ReplicatorDynamics.simulate`.
    path : path, optional
        A file to write; the suffix (``.png``, ``.pdf`` or ``.svg``) chooses the format unless
        ``format`` is given.
    title : str, optional
        The figure's title.
    dpi : int
        Resolution of PNG files.
    format : {"png", "pdf", "svg"}, optional

    Returns
    -------
    matplotlib.figure.Figure
        The figure (restyle it and write it with
        :func:`coopgame.report.analysis_figures.save_figure`).

    Raises
    ------
    OutputError
        The suffix is not a figure format, or the file cannot be written.
    """
    if path is not None:
        path = Path(path)
        suffix = ("." + format.lower().lstrip(".")) if format else path.suffix.lower()
        if suffix not in PLOT_FORMATS:
            raise OutputError(f"figure {path}: unknown format {suffix or '(none)'!r} (use {', '.join(PLOT_FORMATS)})")
    Figure, FigureCanvasAgg = figure_classes()
    states = np.asarray(traj.states, dtype=float)
    times = np.asarray(traj.times, dtype=float)
    dim = states.shape[2]
    labels = _labels(traj)
    space = dim in (2, 3)
    fig = Figure(figsize=(11 if space else 6.5, 4.6))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 2 if space else 1, 1)
    _time_paths(ax, times, states, labels)
    limits = [p for p in traj.limits if p is not None]
    if dim == 2:
        _phase_portrait(fig.add_subplot(1, 2, 2), states, limits, labels)
    elif dim == 3:
        _state_space_3d(fig.add_subplot(1, 2, 2, projection="3d"), states, limits, labels)
    if title:
        fig.suptitle(title)
    tight_layout(fig)
    if path is not None:
        write_figure(fig, path, suffix, dpi)
    return fig


def _time_paths(ax, times, states, labels):
    """Every state coordinate's time path, one colour per coordinate."""
    k, _, dim = states.shape
    colors = [f"C{j % 10}" for j in range(dim)]
    for i in range(k):
        for j in range(dim):
            ax.plot(times, states[i, :, j], color=colors[j], lw=0.8, alpha=0.6,
                    label=labels[j] if i == 0 else None)
    ax.set_xlabel("time t")
    ax.set_ylabel("population share")
    ax.set_ylim(-0.02, 1.02)
    ax.set_title("Time paths")
    if dim:
        ax.legend(loc="best", fontsize="small")


def _phase_portrait(ax2, states, limits, labels):
    """Two coordinates: the trajectories in the unit square, their starts and limits."""
    for i in range(states.shape[0]):
        ax2.plot(states[i, :, 0], states[i, :, 1], color="C0", lw=0.8, alpha=0.7)
        ax2.plot(states[i, 0, 0], states[i, 0, 1], "o", color="C7", ms=3)
    _mark_limits(ax2, limits, 2)
    ax2.set_xlim(-0.02, 1.02)
    ax2.set_ylim(-0.02, 1.02)
    ax2.set_xlabel(labels[0])
    ax2.set_ylabel(labels[1])
    ax2.set_aspect("equal")
    ax2.set_title("Phase portrait")


def _state_space_3d(ax3, states, limits, labels):
    """Three coordinates: the trajectories in the unit cube, their starts and limits."""
    for i in range(states.shape[0]):
        ax3.plot(states[i, :, 0], states[i, :, 1], states[i, :, 2], color="C0", lw=0.8, alpha=0.7)
        ax3.scatter([states[i, 0, 0]], [states[i, 0, 1]], [states[i, 0, 2]], color="C7", s=6)
    _mark_limits(ax3, limits, 3)
    for setter in (ax3.set_xlim, ax3.set_ylim, ax3.set_zlim):
        setter(0, 1)
    ax3.set_xlabel(labels[0])
    ax3.set_ylabel(labels[1])
    ax3.set_zlabel(labels[2])
    ax3.set_title("Trajectories in the state space")


def plot_regime_map(result, path, *, title: str | None = None, curves=(), values=None, dpi: int = 120) -> Path:
    """Write the regime map of a two-axis sweep (:func:`coopgame.report.figures.regime_map`) to a file.

    Raises
    ------
    OutputError
        The suffix is not a figure format, or the file cannot be written.
    ParameterError
        The sweep does not have exactly two axes with several values.
    """
    from .figures import regime_map

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in PLOT_FORMATS:
        raise OutputError(f"figure {path}: unknown format {suffix or '(none)'!r} (use {', '.join(PLOT_FORMATS)})")
    Figure, FigureCanvasAgg = figure_classes()
    fig = Figure(figsize=(7.5, 5.2))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    regime_map(result, ax=ax, title=title, curves=curves, values=values)
    tight_layout(fig)
    write_figure(fig, path, suffix, dpi)
    return path


def write_figure(fig, path, suffix: str, dpi: int) -> None:
    """Write ``fig`` to ``path`` atomically in the format of ``suffix`` (``.png``, ``.pdf``, ``.svg``).

    Reproducible files: no creation date or producer in the metadata, fixed SVG element ids.
    A PNG holds the pixels Agg draws, without the alpha channel where every pixel is opaque
    (as on the default white background), compressed at zlib level :data:`PNG_COMPRESSION`:
    the same image as ``savefig`` writes, encoded in about half the time.
    """
    buffer = io.BytesIO()
    if suffix == ".png":
        _write_png(fig, buffer, dpi)
    else:
        metadata = {"pdf": {"CreationDate": None, "Producer": None}, "svg": {"Date": None}}[suffix[1:]]
        import matplotlib

        with matplotlib.rc_context({"svg.hashsalt": "coopgame"}):  # fixed SVG element ids: reproducible files
            fig.savefig(buffer, format=suffix[1:], dpi=dpi, metadata=metadata)
    write_bytes_atomically(path, buffer.getvalue())


def _write_png(fig, buffer, dpi: int) -> None:
    """The PNG of ``fig`` at ``dpi`` into ``buffer``: one Agg draw, RGB when fully opaque."""
    from PIL import Image

    raw = io.BytesIO()
    fig.savefig(raw, format="rgba", dpi=dpi)  # the pixels of savefig's PNG, unencoded
    renderer = getattr(fig.canvas, "renderer", None)  # the one the draw used (Agg keeps it)
    width, height = int(getattr(renderer, "width", 0)), int(getattr(renderer, "height", 0))
    data = raw.getvalue()
    if width * height * 4 != len(data):  # not Agg's buffer as expected: let matplotlib encode it
        fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None},
                    pil_kwargs={"compress_level": PNG_COMPRESSION})
        return
    pixels = np.frombuffer(data, dtype=np.uint8).reshape(height, width, 4)
    image = Image.fromarray(pixels[..., :3] if (pixels[..., 3] == 255).all() else pixels)
    image.save(buffer, format="png", dpi=(dpi, dpi), compress_level=PNG_COMPRESSION)


def _mark_limits(ax, limits, dim):
    seen = set()
    for p in limits:
        coords = tuple(float(v) for v in p.coordinates.values())
        if coords in seen or len(coords) != dim:
            continue
        seen.add(coords)
        if dim == 2:
            ax.plot(*coords, "*", color="C3", ms=12, zorder=5)
        else:
            ax.scatter(*[[c] for c in coords], marker="*", color="C3", s=120)


def trajectories_csv(traj) -> str:
    """Trajectories as CSV text: one row per trajectory and output time, one column per state
    coordinate, then the profile (or kind) of the rest point the trajectory approaches."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["trajectory", "time", *_labels(traj), "limit"])
    states = np.asarray(traj.states, dtype=float)
    for i in range(states.shape[0]):
        limit = traj.limits[i]
        label = "" if limit is None else ("(" + ", ".join(limit.profile) + ")" if limit.profile else limit.kind)
        for t, row in zip(traj.times, states[i]):
            writer.writerow([i, repr(float(t)), *(repr(float(v)) for v in row), label])
    return out.getvalue()
