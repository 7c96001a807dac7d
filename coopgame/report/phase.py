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

import contextlib
import csv
import functools
import io
import re
import warnings
from pathlib import Path

import numpy as np

from ..core.errors import CoopgameError, CoopgameWarning, OutputError
from ..core.io import write_bytes_atomically, write_text_atomically

__all__ = ["plot_trajectories", "plot_regime_map", "trajectories_csv", "write_text_atomically", "PLOT_FORMATS",
           "drawing_unavailable", "figure_classes", "write_figure", "fit_layout", "lay_out", "place_legend", "tight_layout",
           "fit_fonts", "cjk_font", "CJK_FONTS"]

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


# ---------------------------------------------------------------------- fonts
#: Font families with CJK glyphs that :func:`cjk_font` looks for, in order; :func:`fit_fonts`
#: falls back on them for characters a text's own font lacks.
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans SC", "Noto Serif CJK SC", "Source Han Sans SC",
             "Source Han Sans CN", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei",
             "PingFang SC", "Heiti SC", "AR PL UMing CN", "AR PL UKai CN", "Droid Sans Fallback")

#: matplotlib's warning for each character a font lacks (silenced once :func:`fit_fonts` has warned).
_GLYPH_WARNING = r"Glyph \d+ .* missing from font"
#: Mathtext spans (``$...$``, not ``\$``): drawn with the math fonts, not the text's own.
_MATH = re.compile(r"(?<!\\)\$.*?(?<!\\)\$")


def cjk_font() -> str | None:
    """The name of an installed font with Chinese glyphs (see :data:`CJK_FONTS`), or None.

    Examples
    --------
    >>> name = cjk_font()
    >>> name is None or isinstance(name, str)
    True
    """
    return next(iter(_installed_fallbacks()), None)


def _installed_fallbacks() -> list[str]:
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return [name for name in CJK_FONTS if name in installed]


@functools.lru_cache(maxsize=64)
def _characters(path: str) -> frozenset:
    """The code points the font file at ``path`` has glyphs for."""
    from matplotlib.ft2font import FT2Font

    return frozenset(FT2Font(path).get_charmap())


def _font_files(prop) -> list[str]:
    """The files matplotlib draws a text of font properties ``prop`` from, in fallback order."""
    from matplotlib import font_manager

    manager = font_manager.fontManager
    if hasattr(manager, "_find_fonts_by_props"):  # matplotlib's own fallback list (3.6 and later)
        found = manager._find_fonts_by_props(prop)
    else:  # pragma: no cover - older matplotlib: the first family only
        found = [font_manager.findfont(prop)]
    return [str(getattr(f, "path", f)) for f in found]


def fit_fonts(fig) -> str:
    """Give every text of ``fig`` a font for each character it shows; return those no font has.

    A text whose characters its own font list lacks (Chinese labels in matplotlib's default
    DejaVu Sans, say) gets the first installed family of :data:`CJK_FONTS` that has all of them
    (or, where none has all, the most) as a fallback: matplotlib draws each character from the
    first family of the list that has it, so Latin letters and digits keep their font. The
    characters still without a font are
    returned, sorted, and named in one :class:`~coopgame.errors.CoopgameWarning` (matplotlib
    would draw them as empty boxes and warn once per character; its warnings are then silenced
    where coopgame lays out and writes the figure). Texts in ASCII and mathtext spans are not
    examined. Every coopgame figure is fitted by :func:`lay_out`.

    Examples
    --------
    >>> Figure, Canvas = figure_classes()
    >>> fig = Figure()
    >>> _ = Canvas(fig), fig.add_subplot().set_title("Shares of the players")
    >>> fit_fonts(fig)
    ''
    """
    unknown: dict[str, str] = {}  # character -> the first text that shows it
    fallbacks = None
    for text in _texts(fig):
        shown = _MATH.sub("", text.get_text())
        if shown.isascii():
            continue
        missing = _missing(shown, text.get_fontproperties())
        if not missing:
            continue
        if fallbacks is None:
            from matplotlib import font_manager

            fallbacks = [(name, _characters(font_manager.findfont(font_manager.FontProperties(family=name),
                                                                  fallback_to_default=False)))
                         for name in _installed_fallbacks()]
        # the first fallback with the most of them (all, where one has all)
        best = max(fallbacks, key=lambda f: sum(ord(c) in f[1] for c in missing), default=None)
        if best is not None and any(ord(c) in best[1] for c in missing):
            text.set_fontfamily(list(text.get_fontfamily()) + [best[0]])
            missing = {c for c in missing if ord(c) not in best[1]}
        for c in missing:
            unknown.setdefault(c, text.get_text())
    if not unknown:
        return ""
    characters = "".join(sorted(unknown))
    example = next(iter(unknown.values()))
    fig._coopgame_missing_glyphs = characters
    warnings.warn(CoopgameWarning(
        f"no installed font has the characters {characters!r} of this figure's texts (e.g. {example!r}); they "
        "are drawn as empty boxes: install a font with them (for Chinese, e.g. Noto Sans CJK SC or WenQuanYi "
        "Zen Hei) or pass font= the name of one"), stacklevel=_outside_level())
    return characters


def _missing(shown: str, prop) -> set:
    """The characters of ``shown`` that no font of the font properties ``prop`` has."""
    covered = set().union(*(_characters(f) for f in _font_files(prop)))
    return {c for c in shown if not c.isspace() and c.isprintable() and ord(c) not in covered}


def _texts(fig):
    """The texts of ``fig``: titles, axis labels, legends, free texts, and the tick labels of an
    axis whose labels have characters its label's font lacks.

    Unlike ``fig.findobj(Text)`` this does not make matplotlib create every tick of every axis
    (which ``Axis.get_children`` does, and which cost more than the rest of the fitting): an
    axis's major tick labels are formatted as strings first, and its tick objects are asked for
    only where those strings have characters the font of the axis label lacks (a user's own
    labels, categories; not the minus sign U+2212 of numeric labels).
    """
    from matplotlib.axis import Axis
    from matplotlib.text import Text

    stack = [fig]
    while stack:
        artist = stack.pop()
        if isinstance(artist, Text):
            yield artist
        if isinstance(artist, Axis):
            yield artist.label
            labels = _MATH.sub("", "".join(map(str, artist.get_major_formatter().format_ticks(
                artist.get_major_locator()()))))
            if not labels.isascii() and _missing(labels, artist.label.get_fontproperties()):
                yield from artist.get_majorticklabels()
            continue
        stack.extend(reversed(artist.get_children()))


def _outside_level() -> int:
    """The ``stacklevel`` of the first caller outside coopgame, for the caller of this function."""
    import sys

    root = str(Path(__file__).resolve().parent.parent)
    frame, level = sys._getframe(1), 1
    while frame is not None and frame.f_code.co_filename.startswith(root):
        frame, level = frame.f_back, level + 1
    return level


@contextlib.contextmanager
def _glyph_warnings_silenced(fig):
    """Silence matplotlib's per-character glyph warnings for ``fig`` if :func:`fit_fonts` warned."""
    if not getattr(fig, "_coopgame_missing_glyphs", ""):
        yield
        return
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=_GLYPH_WARNING, category=UserWarning)
        yield


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


# ---------------------------------------------------------------------- layout
#: Margins of a 3-D panel beyond its cube's box, in font sizes (left, right, bottom, top): its tick
#: and axis labels at the default view (the z label on the right, the x and y labels below).
MARGINS_3D = (0.5, 3.6, 1.6, 0.5)


def fit_layout(fig, *, pad: float = 1.08, suptitle=None) -> None:
    """Lay out a grid of subplots as :func:`tight_layout` does, from the few texts that decide it.

    ``pad`` (in font sizes) is left around the figure and between the panels, as by
    ``tight_layout``; the margins come from the renderer's extents of what sticks out of each
    panel: its title, axis labels and the tick labels its locators will draw (measured with the
    tick labels' own fonts, at the final size of the panel: the fit is repeated until the ticks
    settle), for a 3-D panel its title and :data:`MARGINS_3D`. ``suptitle`` is the figure's
    title text, kept clear of the panels.

    Figures this does not cover (a colorbar or a legend outside its axes, free texts, non-linear
    scales, offset tick labels, panels spanning several cells) are laid out by
    :func:`tight_layout`; like it, this leaves the figure without a layout engine.
    """
    axes = list(fig.axes)
    if not axes or not all(_fits(ax, axes[0]) for ax in axes):
        tight_layout(fig)
        return
    renderer = fig.canvas.get_renderer()
    pad_px = pad * renderer.points_to_pixels(_font_size())
    previous, sizes = None, {}
    for _ in range(4):
        for ax in axes:
            ax.apply_aspect()
        params = _subplot_params(fig, axes, renderer, pad_px, suptitle, sizes)
        if params is None:
            tight_layout(fig)
            return
        if previous is not None and max(abs(a - b) for a, b in zip(params, previous)) < 1e-4:
            break
        fig.subplots_adjust(*params)
        previous = params


def _font_size() -> float:
    from matplotlib import rcParams

    return float(rcParams["font.size"])


def _fits(ax, first) -> bool:
    """Whether :func:`fit_layout` can lay out ``ax`` (else the figure is left to tight_layout)."""
    spec = ax.get_subplotspec()
    if spec is None or spec.get_gridspec() is not first.get_subplotspec().get_gridspec():
        return False
    if len(spec.rowspan) != 1 or len(spec.colspan) != 1 or ax.texts or ax.child_axes:
        return False
    if ax.get_title(loc="left") or ax.get_title(loc="right"):
        return False
    legend = ax.get_legend()
    if legend is not None and tuple(legend.get_bbox_to_anchor().bounds) != tuple(ax.bbox.bounds):
        return False  # anchored outside the axes
    if ax.name == "3d":
        return True
    for axis in (ax.xaxis, ax.yaxis):
        if axis.get_scale() != "linear" or axis.get_major_formatter().get_offset():
            return False
        tick = axis.get_major_ticks(1)[0]
        if tick.label2.get_visible() or tick.label1.get_rotation() != 0:
            return False
    return True


def _subplot_params(fig, axes, renderer, pad, suptitle, sizes):
    """``(left, bottom, right, top, wspace, hspace)`` fitting the panels' decorations, or None."""
    nrows, ncols = axes[0].get_subplotspec().get_gridspec().get_geometry()
    width, height = fig.bbox.width, fig.bbox.height
    left, right, bottom, top = [0.0] * ncols, [0.0] * ncols, [0.0] * nrows, [0.0] * nrows
    for ax in axes:
        spec = ax.get_subplotspec()
        slot = spec.get_position(fig).transformed(fig.transFigure)
        box = ax.bbox
        reach = _decorations(ax, renderer, sizes)
        i, j = spec.rowspan.start, spec.colspan.start
        left[j] = max(left[j], reach[0] - (box.x0 - slot.x0))
        right[j] = max(right[j], reach[1] - (slot.x1 - box.x1))
        bottom[i] = max(bottom[i], reach[2] - (box.y0 - slot.y0))
        top[i] = max(top[i], reach[3] - (slot.y1 - box.y1))
    above = 0.0
    if suptitle is not None and suptitle.get_text():
        sup = suptitle.get_window_extent(renderer)
        above = height - sup.y0
    wgap = pad + max((right[j] + left[j + 1] for j in range(ncols - 1)), default=0.0)
    hgap = pad + max((bottom[i] + top[i + 1] for i in range(nrows - 1)), default=0.0)
    x0, x1 = pad + left[0], width - pad - right[-1]
    y0, y1 = pad + bottom[-1], height - max(pad, above + pad) - top[0]
    aw, ah = (x1 - x0 - (ncols - 1) * wgap) / ncols, (y1 - y0 - (nrows - 1) * hgap) / nrows
    if aw <= 0 or ah <= 0:
        return None
    return x0 / width, y0 / height, x1 / width, y1 / height, wgap / aw, hgap / ah


def _decorations(ax, renderer, sizes):
    """How far (pixels) the texts of ``ax`` reach beyond its box: ``(left, right, bottom, top)``."""
    px = renderer.points_to_pixels
    from matplotlib import rcParams

    title = ax.title
    top = px(rcParams["axes.titlepad"]) + title.get_window_extent(renderer).height \
        if title.get_visible() and title.get_text() else 0.0
    if ax.name == "3d":
        em = px(_font_size())
        margins = [m * em for m in MARGINS_3D]
        return margins[0], margins[1], margins[2], max(margins[3], top)
    box = ax.bbox
    left, right, bottom = 0.0, 0.0, 0.0
    ys = _tick_labels(ax.yaxis, renderer, 1, sizes)
    yreach = _tick_reach(ax.yaxis, px) + max((w for _, w, _ in ys), default=0.0)
    xs = _tick_labels(ax.xaxis, renderer, 0, sizes)
    xreach = _tick_reach(ax.xaxis, px) + max((h for _, _, h in xs), default=0.0)
    left = yreach + _label_reach(ax.yaxis, renderer, px, "width")
    bottom = xreach + _label_reach(ax.xaxis, renderer, px, "height")
    for c, w, _ in xs:  # the first and last tick labels may stick out sideways
        left, right = max(left, box.x0 - (c - w / 2)), max(right, c + w / 2 - box.x1)
    for c, _, h in ys:
        bottom, top = max(bottom, box.y0 - (c - h / 2)), max(top, c + h / 2 - box.y1)
    return left, right, bottom, top


def _tick_reach(axis, px) -> float:
    tick = axis.get_major_ticks(1)[0]
    return px(tick.get_tick_padding() + tick.get_pad())


def _label_reach(axis, renderer, px, side) -> float:
    label = axis.label
    if not (label.get_visible() and label.get_text()):
        return 0.0
    return px(axis.labelpad) + getattr(label.get_window_extent(renderer), side)


def _text_size(renderer, text, prop, sizes):
    """``(width, height)`` in pixels of one line of ``text``, as :class:`~matplotlib.text.Text`
    lays it out (at least as high as "lp"); ``sizes`` remembers what was measured."""
    from matplotlib import cbook, rcParams

    key = (text, hash(prop))
    if key not in sizes:
        usetex = rcParams["text.usetex"]
        w, h, _ = renderer.get_text_width_height_descent(text, prop, "TeX" if usetex else cbook.is_math_text(text))
        if ("lp", key[1]) not in sizes:
            sizes["lp", key[1]] = renderer.get_text_width_height_descent("lp", prop, "TeX" if usetex else False)[:2]
        sizes[key] = (w, max(h, sizes["lp", key[1]][1]))
    return sizes[key]


def _tick_labels(axis, renderer, coordinate, sizes):
    """``(centre, width, height)`` in pixels of every major tick label ``axis`` will draw."""

    tick = axis.get_major_ticks(1)[0]
    if not tick.label1.get_visible():
        return []
    locs = np.asarray(axis.get_majorticklocs(), dtype=float)
    texts = axis.get_major_formatter().format_ticks(locs)
    lo, hi = sorted(axis.get_view_interval())
    tol = 1e-10 * max(hi - lo, 1e-300)
    prop = tick.label1.get_fontproperties()
    points = np.zeros((len(locs), 2))
    points[:, coordinate] = locs
    centres = axis.axes.transData.transform(points)[:, coordinate] if len(locs) else []
    out = []
    for loc, text, c in zip(locs, texts, centres):
        if not (lo - tol <= loc <= hi + tol) or not text:
            continue
        w, h = _text_size(renderer, text, prop, sizes)
        out.append((float(c), w, h))
    return out


def lay_out(fig, *, suptitle=None, best_legends: bool = True) -> None:
    """:func:`fit_fonts`, :func:`fit_layout`, then (with ``best_legends``) every axes legend fixed
    at the spot ``loc="best"`` picks (:func:`place_legend`): the last step before a figure is saved."""
    fit_fonts(fig)
    with _glyph_warnings_silenced(fig):
        fit_layout(fig, suptitle=suptitle)
        if best_legends:
            for ax in fig.axes:
                if ax.get_legend() is not None:
                    place_legend(ax.get_legend())


#: Legend location codes in the order ``loc="best"`` tries them, with where each sits in the axes
#: (0: left or bottom, 1: right or top).
_LEGEND_SPOTS = ((1, 1, 1), (2, 0, 1), (3, 0, 0), (4, 1, 0), (5, 1, 0.5), (6, 0, 0.5), (7, 1, 0.5),
                 (8, 0.5, 0), (9, 0.5, 1), (10, 0.5, 0.5))


def place_legend(legend, renderer=None) -> int:
    """Fix an axes legend at the spot ``loc="best"`` picks, counted with numpy; return its code.

    Matplotlib's rule: of the ten inside spots, in the order of their codes, the first with the
    least badness, where badness counts the data vertices and markers under the legend and the
    lines (every trajectory of a :class:`~matplotlib.collections.LineCollection` counts as one)
    that cross it (patches and free texts, which these figures do not have, are not counted).
    Call it when the axes are laid out; the legend then stays where it is put.
    """
    ax = legend.axes
    ax.get_xlim()  # settles pending autoscaling, so that the data's display coordinates are final
    renderer = renderer or ax.figure.canvas.get_renderer()
    box = legend.get_window_extent(renderer)
    w, h = box.width, box.height
    pad = legend.borderaxespad * renderer.points_to_pixels(legend.prop.get_size_in_points())
    outer = ax.bbox.padded(-pad)
    data = _display_data(ax)
    best = None
    for code, fx, fy in _LEGEND_SPOTS:
        x0, y0 = outer.x0 + fx * (outer.width - w), outer.y0 + fy * (outer.height - h)
        badness = _badness(data, (x0, y0, x0 + w, y0 + h))
        if best is None or badness < best[0]:
            best = (badness, code)
        if badness == 0:
            break
    legend.set_loc(best[1])
    return best[1]


def _display_data(ax):
    """The axes' data in display coordinates: ``(vertices, line, starts, points)``, every line's
    vertices stacked (``line`` numbers their lines, ``starts`` flags a line's first vertex) and the
    marker points of scatter plots."""
    from matplotlib.collections import LineCollection, PathCollection

    polylines, points = [], [np.zeros((0, 2))]
    for line in ax.lines:
        xy = np.asarray(line.get_xydata(), dtype=float)
        if len(xy):
            polylines.append(line.get_transform().transform(xy))
    for coll in ax.collections:
        if isinstance(coll, LineCollection):
            trans = coll.get_transform()
            polylines += [trans.transform(np.asarray(seg, dtype=float)) for seg in coll.get_segments() if len(seg)]
        elif isinstance(coll, PathCollection):
            offsets = np.asarray(coll.get_offsets(), dtype=float)
            if len(offsets):
                points.append(coll.get_offset_transform().transform(offsets))
    sizes = [len(p) for p in polylines]
    vertices = np.concatenate(polylines) if polylines else np.zeros((0, 2))
    line = np.repeat(np.arange(len(sizes)), sizes)
    starts = np.zeros(len(vertices), dtype=bool)
    starts[np.cumsum([0] + sizes[:-1], dtype=int)[:len(sizes)]] = True
    return vertices, line, starts, np.concatenate(points)


def _badness(data, rect) -> int:
    """``loc="best"``'s badness of a legend at ``rect``: vertices and points inside, lines crossing."""
    vertices, line, starts, points = data
    x0, y0, x1, y1 = rect

    def inside(p):
        return (p[:, 0] >= x0) & (p[:, 0] <= x1) & (p[:, 1] >= y0) & (p[:, 1] <= y1)

    hit = inside(vertices)
    count = int(inside(points).sum()) + int(hit.sum())
    crossed = np.zeros(len(vertices), dtype=bool)  # segment k runs from vertex k - 1 to vertex k
    if len(vertices) > 1:
        crossed[1:] = _crosses(vertices[:-1], vertices[1:], rect) & ~starts[1:]
    return count + len(np.unique(line[hit | crossed]))


def _crosses(p, q, rect):
    """For every segment from ``p[k]`` to ``q[k]``, whether it meets the rectangle ``rect``."""
    x0, y0, x1, y1 = rect
    near = ((np.minimum(p[:, 0], q[:, 0]) <= x1) & (np.maximum(p[:, 0], q[:, 0]) >= x0)
            & (np.minimum(p[:, 1], q[:, 1]) <= y1) & (np.maximum(p[:, 1], q[:, 1]) >= y0))
    d = q - p
    sides = np.stack([d[:, 0] * (cy - p[:, 1]) - d[:, 1] * (cx - p[:, 0])
                      for cx, cy in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))])
    return near & ~((sides > 0).all(axis=0) | (sides < 0).all(axis=0))


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
    lay_out(fig, suptitle=fig.suptitle(title) if title else None)
    if path is not None:
        write_figure(fig, path, suffix, dpi)
    return fig


def _segments(states, columns):
    """One polyline per trajectory: its points in the coordinates ``columns``."""
    return [states[i][:, columns] for i in range(states.shape[0])]


def _time_paths(ax, times, states, labels):
    """Every state coordinate's time path, one colour per coordinate: one collection of all the
    trajectories per coordinate, labelled with the coordinate's name."""
    from matplotlib.collections import LineCollection
    from matplotlib.colors import to_rgba

    k, n, dim = states.shape
    for j in range(dim):
        lines = np.empty((k, n, 2))
        lines[:, :, 0] = times
        lines[:, :, 1] = states[:, :, j]
        ax.add_collection(LineCollection(lines, colors=[to_rgba(f"C{j % 10}", 0.6)], linewidths=0.8,
                                         label=labels[j]), autolim=True)
    ax.autoscale_view()
    ax.set_xlabel("time t")
    ax.set_ylabel("population share")
    ax.set_ylim(-0.02, 1.02)
    ax.set_title("Time paths", y=1.0)  # fixed above the axes: not re-placed at every draw
    if dim:
        ax.legend(loc="best", fontsize="small")


def _phase_portrait(ax2, states, limits, labels):
    """Two coordinates: the trajectories in the unit square (one collection), their starts and limits."""
    from matplotlib.collections import LineCollection
    from matplotlib.colors import to_rgba

    ax2.add_collection(LineCollection(_segments(states, [0, 1]), colors=[to_rgba("C0", 0.7)], linewidths=0.8))
    ax2.plot(states[:, 0, 0], states[:, 0, 1], "o", color="C7", ms=3, ls="none")
    _mark_limits(ax2, limits, 2)
    ax2.set_xlim(-0.02, 1.02)
    ax2.set_ylim(-0.02, 1.02)
    ax2.set_xlabel(labels[0])
    ax2.set_ylabel(labels[1])
    ax2.set_aspect("equal")
    ax2.set_title("Phase portrait", y=1.0)


def _state_space_3d(ax3, states, limits, labels):
    """Three coordinates: the trajectories in the unit cube (one collection), their starts and limits."""
    from matplotlib.colors import to_rgba
    from mpl_toolkits.mplot3d.art3d import Line3DCollection

    ax3.add_collection3d(Line3DCollection(_segments(states, [0, 1, 2]), colors=[to_rgba("C0", 0.7)],
                                          linewidths=0.8))
    ax3.scatter(states[:, 0, 0], states[:, 0, 1], states[:, 0, 2], color="C7", s=6)
    _mark_limits(ax3, limits, 3)
    for setter in (ax3.set_xlim, ax3.set_ylim, ax3.set_zlim):
        setter(0, 1)
    ax3.set_xlabel(labels[0])
    ax3.set_ylabel(labels[1])
    ax3.set_zlabel(labels[2])
    ax3.set_title("Trajectories in the state space", y=1.0)


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
    if title:
        ax.set_title(title, y=1.0)  # no top ticks on these axes: the title is not re-placed at every draw
    lay_out(fig)
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
    with _glyph_warnings_silenced(fig):
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
    """The distinct rest points the trajectories approach, as red stars (one artist)."""
    seen = {}
    for p in limits:
        coords = tuple(float(v) for v in p.coordinates.values())
        if len(coords) == dim:
            seen.setdefault(coords, None)
    if not seen:
        return
    xs = np.array(list(seen), dtype=float).T
    if dim == 2:
        ax.plot(xs[0], xs[1], "*", color="C3", ms=12, zorder=5, ls="none")
    else:
        ax.scatter(*xs, marker="*", color="C3", s=120)


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
