"""Figures: regime maps with exact threshold curves, and thresholds against a parameter.

Plotting uses matplotlib, a dependency of coopgame; it is imported only when a figure is drawn,
so the rest of the package starts fast and works where matplotlib cannot be imported. Model code
never plots: these functions take finished results (a :class:`~coopgame.analysis.sweep.SweepResult`,
a :class:`~coopgame.analysis.thresholds.Threshold`, sympy expressions) and draw them.

Threshold curves are drawn from the exact expressions: a boundary ``F(x, y) = 0`` that is linear
in the vertical parameter is solved for it exactly and drawn as ``y = f(x)``; other boundaries are
drawn as the zero contour of ``F`` evaluated on a fine grid.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import sympy
>>> from coopgame.analysis import sweep, exact_linspace
>>> s, t = sympy.symbols("s t", nonnegative=True)
>>> r = sweep(s + 3 * t > 1, {"s": exact_linspace(0, 1, 13), "t": exact_linspace(0, 1, 13)}, progress=False)
>>> fig = regime_map(r, curves=[s + 3 * t - 1])
>>> ax = fig.axes[0]
>>> ax.get_xlabel(), ax.get_ylabel()
('t', 's')

Both functions return the matplotlib ``Figure`` (drawn on its own Agg canvas, not through
``pyplot``; or the figure of the axes given as ``ax=``), which the caller may restyle, and write
it as PNG, PDF or SVG when given ``path=`` (the format from ``format=`` or the suffix).
"""

from __future__ import annotations

import numpy as np
import sympy

from ..core.errors import ParameterError
from ..core.expressions import parse
from ..core.formatting import format_set, math_text
from ..core.numeric import numpy_function
from .phase import figure_classes, lay_out

__all__ = ["axes_or_new", "regime_map", "threshold_plot"]


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError(
            "coopgame figures need matplotlib, which cannot be imported: pip install matplotlib"
        ) from None
    return plt


def axes_or_new(ax):
    """``ax``, or new pyplot axes (6 x 4.5 inches) when it is None: the figure functions' default."""
    if ax is not None:
        return ax
    plt = _pyplot()
    _, ax = plt.subplots(figsize=(6, 4.5))
    return ax




def _figure_and_axes(ax, figsize):
    """``(ax.figure, ax)``, or a new figure of ``figsize`` inches on its own Agg canvas (no pyplot)
    with one axes."""
    if ax is not None:
        return ax.figure, ax
    Figure, FigureCanvasAgg = figure_classes()
    fig = Figure(figsize=figsize)
    FigureCanvasAgg(fig)
    return fig, fig.add_subplot(1, 1, 1)


def _finish(fig, new, font, path, format, dpi):
    """Set ``font`` on every text, lay out a figure made here (``new``), write it when asked."""
    if font is not None:
        for text in fig.findobj(lambda a: hasattr(a, "set_fontfamily") and hasattr(a, "get_text")):
            text.set_fontfamily([font, "DejaVu Sans"])
    if new:  # laid out, and a loc="best" legend of regime_map fixed where that puts it
        lay_out(fig)
    if path is not None:
        from .analysis_figures import save_figure

        save_figure(fig, path, format, dpi=dpi)
    return fig


def _symbol_named(expr, name):
    for s in expr.free_symbols:
        if s.name == name:
            return s
    return sympy.Symbol(name, real=True)


def _substitute(expr, values):
    if not values:
        return expr
    by_name = {s.name: s for s in expr.free_symbols}
    subs = {}
    for k, v in values.items():
        name = k if isinstance(k, str) else k.name
        if name in by_name:
            subs[by_name[name]] = sympy.Rational(v) if not isinstance(v, sympy.Basic) else v
    return expr.xreplace(subs)


def _finite(f, *args, shape=None):
    """``f(*args)`` as a float array of ``shape`` (that of ``args[0]`` by default), NaN where not finite.

    A curve such as ``1/a`` is infinite or undefined at some grid points; those points are not
    drawn (NaN is a gap for matplotlib), and numpy's divide and invalid warnings about them are
    silenced, since they say nothing the figure does not already show.
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = np.array(np.broadcast_to(np.asarray(f(*args), dtype=float), shape or np.shape(args[0])))
    out[~np.isfinite(out)] = np.nan
    return out


def _draw_curve(ax, curve, xname, yname, xs, ys, values, label, color):
    """Draw the zero set of ``curve`` (an expression, relational or Threshold) in the (x, y) plane."""
    from ..analysis.thresholds import Threshold

    if isinstance(curve, Threshold):
        if curve.parameter.name != yname:
            raise ParameterError(f"the threshold is for {curve.parameter.name!r}; the map's vertical axis is {yname!r}")
        drawn = False
        for case in curve.cases:  # each case's finite ends, drawn where its case condition holds
            when = _substitute(sympy.sympify(case.when, strict=True), values)
            for e in (case.infimum, case.supremum):
                e = _substitute(sympy.sympify(e, strict=True), values)
                if e.has(sympy.oo, -sympy.oo, sympy.zoo, sympy.nan):
                    continue
                x = _symbol_named(e + sympy.Add(*[a for a in when.free_symbols if a.name == xname]), xname)
                extra = sorted(a.name for a in (e.free_symbols | when.free_symbols) - {x})
                if extra:
                    raise ParameterError(f"give values for {', '.join(map(repr, extra))} to draw the threshold "
                                         f"{curve.description or curve.parameter.name}")
                ys = _finite(numpy_function(x, e), xs)
                if when is not sympy.true:
                    mask = np.array([bool(when.xreplace({x: sympy.Rational(str(v))})) for v in xs])
                    ys[~mask] = np.nan
                if np.all(np.isnan(ys)):
                    continue
                ax.plot(xs, ys, color=color, lw=1.5, label=label)
                label = None
                drawn = True
        if not drawn:
            raise ParameterError(f"the threshold {curve.description or curve.parameter.name} has no finite bound on "
                                 f"the map's range to draw (its set: {format_set(curve.set)})")
        return
    if isinstance(curve, sympy.core.relational.Relational):
        curve = curve.lhs - curve.rhs
    if isinstance(curve, str):
        curve = parse(curve, relational=True)
        if isinstance(curve, sympy.core.relational.Relational):
            curve = curve.lhs - curve.rhs
    if not isinstance(curve, sympy.Expr):
        raise ParameterError(f"a curve must be an expression, a relation or a Threshold; got {curve!r}")
    expr = _substitute(curve, values)
    x, y = _symbol_named(expr, xname), _symbol_named(expr, yname)
    extra = sorted(s.name for s in expr.free_symbols - {x, y})
    if extra:
        raise ParameterError(f"give values for {', '.join(map(repr, extra))} to draw the curve {expr} = 0")
    poly = sympy.Poly(expr, y) if expr.is_polynomial(y) else None
    if poly is not None and poly.degree() == 1 and not poly.all_coeffs()[0].has(x):
        a, b = poly.all_coeffs()
        line = _finite(numpy_function(x, -b / a), xs)
        if not np.any((line >= ys.min()) & (line <= ys.max())):
            _off_map(expr, xname, yname, xs, ys)
        ax.plot(xs, line, color=color, lw=1.5, label=label)
        return
    fine_x = np.linspace(xs.min(), xs.max(), 400)
    fine_y = np.linspace(ys.min(), ys.max(), 400)
    F = numpy_function((x, y), expr)
    Z = _finite(F, fine_x[None, :], fine_y[:, None], shape=(400, 400))
    if not (np.nanmin(Z) <= 0 <= np.nanmax(Z)):  # nothing to draw: say so, never drop a curve silently
        _off_map(expr, xname, yname, xs, ys)
        if label:
            ax.plot([], [], color=color, label=label)
        return
    ax.contour(fine_x, fine_y, Z, levels=[0.0], colors=[color], linewidths=1.5)
    if label:
        ax.plot([], [], color=color, label=label)


def _off_map(expr, xname, yname, xs, ys):
    import warnings

    from ..core.errors import CoopgameWarning

    warnings.warn(f"the curve {math_text(expr)} = 0 does not cross the map ({xname} in [{xs.min():g}, "
                  f"{xs.max():g}], {yname} in [{ys.min():g}, {ys.max():g}]): nothing of it is drawn",
                  CoopgameWarning, stacklevel=4)


def regime_map(result, *, x: str | None = None, y: str | None = None, curves=(), curve_labels=None,
               values=None, ax=None, title: str | None = None, show_boundary: bool = True,
               figsize=(6, 4.5), font: str | None = None, path=None, format: str | None = None, dpi: int = 150):
    """Draw a two-parameter sweep as a map of regions, with exact threshold curves on top.

    Parameters
    ----------
    result : SweepResult
        A regime or condition sweep with two axes of length > 1.
    x, y : str, optional
        The horizontal and vertical parameters (default: the second and the first axis).
    curves : sequence
        Boundaries to draw: expressions ``F`` (drawn where ``F = 0``), relationals, or
        :class:`~coopgame.analysis.thresholds.Threshold` objects for the vertical parameter.
    curve_labels : sequence of str, optional
        Legend entries for the curves.
    values : mapping, optional
        Values of other parameters appearing in the curves.
    ax : matplotlib Axes, optional
        Draw on these axes (their figure is returned, and neither laid out nor resized);
        default: a new figure of ``figsize`` inches.
    title : str, optional
    show_boundary : bool
        Mark the sweep's boundary points.
    font : str, optional
        A font family for every text, e.g. :func:`~coopgame.report.analysis_figures.cjk_font`
        for Chinese labels.
    path, format, dpi
        Also write the figure as PNG, PDF or SVG
        (see :func:`~coopgame.report.analysis_figures.save_figure`).

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on (restyle it, or write it with
        :func:`~coopgame.report.analysis_figures.save_figure`).

    Raises
    ------
    ParameterError
        The sweep does not have exactly two varying axes, ``x``/``y`` are not them, or a curve
        cannot be drawn.
    OutputError
        ``path`` has no figure format, or the file cannot be written.
    """
    figure_classes()  # the clear error when matplotlib cannot be imported
    import matplotlib
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    from ..analysis.sweep import SweepKind

    varying = [a for a in result.axes if len(a) > 1]
    if len(varying) != 2:
        raise ParameterError(f"a regime map needs exactly two axes with several values; got {[a.name for a in varying]}")
    names = [a.name for a in varying]
    y = y or names[0]
    x = x or names[1]
    if {x, y} != set(names):
        raise ParameterError(f"x and y must be the sweep's varying axes {names}, got {x!r} and {y!r}")
    data = result.data.reshape([len(a) for a in varying])
    boundary = result.boundary.reshape(data.shape)
    if names.index(y) == 1:
        data, boundary = data.T, boundary.T
    ys, xs = result.axis(y).values, result.axis(x).values
    new = ax is None
    fig, ax = _figure_and_axes(ax, figsize)
    if result.kind is SweepKind.EXPRESSION:
        mesh = ax.pcolormesh(xs, ys, data, shading="nearest", cmap="viridis")
        ax.figure.colorbar(mesh, ax=ax, label=result.target)
    else:
        codes = np.unique(data)
        index = np.searchsorted(codes, data)
        colours = matplotlib.colormaps["tab10" if len(codes) <= 10 else "tab20"](np.arange(len(codes)) % 20)
        ax.pcolormesh(xs, ys, index, shading="nearest", cmap=ListedColormap(colours), vmin=-0.5,
                      vmax=len(codes) - 0.5)
        if result.kind is SweepKind.REGIME:
            labels = ["stable: " + str(result.legend[c]) for c in codes]
        else:
            labels = [f"{result.target}: {bool(c)}" for c in codes]
        handles = [Patch(color=colours[k], label=labels[k]) for k in range(len(codes))]
    if show_boundary and boundary.any():
        iy, ix = np.nonzero(boundary)
        ax.scatter(xs[ix], ys[iy], s=4, c="k", marker=".", label="boundary points")
    curves = list(curves)
    labels_c = list(curve_labels) if curve_labels is not None else [None] * len(curves)
    if len(labels_c) != len(curves):  # zip would drop the unlabelled curves silently
        raise ParameterError(f"give one label per curve: {len(curves)} curve(s), {len(labels_c)} label(s)")
    for k, (curve, label) in enumerate(zip(curves, labels_c)):
        _draw_curve(ax, curve, x, y, xs, ys, values, label or ("exact threshold" if k == 0 else None), "k")
    ax.set_xlim(xs.min(), xs.max())
    ax.set_ylim(ys.min(), ys.max())
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    if title:
        ax.set_title(title, y=1.0 if new else None)  # own axes: no top ticks to clear
    if result.kind is not SweepKind.EXPRESSION:
        extra, extra_labels = ax.get_legend_handles_labels()
        ax.legend(handles=handles + extra, fontsize="small", loc="best")
    return _finish(fig, new, font, path, format, dpi)


def threshold_plot(threshold, parameter: str, grid, values=None, *, ax=None, bound: str = "infimum",
                   label: str | None = None, title: str | None = None, figsize=(6, 4.5), font: str | None = None,
                   path=None, format: str | None = None, dpi: int = 150):
    """Plot a threshold (its infimum, or supremum) against another parameter.

    Parameters
    ----------
    threshold : Threshold or sympy.Expr
        A symbolic threshold (for example from :func:`coopgame.analysis.minimum_instrument`
        with ``parameter`` left symbolic), or an expression.
    parameter : str
        The parameter on the horizontal axis.
    grid : 1-D sequence of numbers
        Its values.
    values : mapping, optional
        Values of every other parameter.
    ax : matplotlib Axes, optional
        Draw on these axes (their figure is returned, and neither laid out nor resized);
        default: a new figure of ``figsize`` inches.
    bound : {"infimum", "supremum"}
        Which end of a :class:`~coopgame.analysis.thresholds.Threshold` to draw.
    label, title : str, optional
        The line's legend entry (default: the expression) and the axes' title.
    font : str, optional
        A font family for every text (see :func:`regime_map`).
    path, format, dpi
        Also write the figure as PNG, PDF or SVG
        (see :func:`~coopgame.report.analysis_figures.save_figure`).

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on.

    Raises
    ------
    ParameterError
        Another parameter in the threshold has no value, or ``bound`` is unknown.
    OutputError
        ``path`` has no figure format, or the file cannot be written.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import sympy
    >>> from coopgame.analysis import threshold
    >>> s, c = sympy.Symbol("s", nonnegative=True), sympy.Symbol("c", real=True)
    >>> fig = threshold_plot(threshold(s > c - 1, s), "c", [0, 1, 2, 3])
    >>> fig.axes[0].lines[0].get_ydata().tolist()
    [0.0, 0.0, 1.0, 2.0]
    """
    from ..analysis.thresholds import Threshold

    if bound not in ("infimum", "supremum"):
        raise ParameterError(f"bound must be 'infimum' or 'supremum', got {bound!r}")
    if isinstance(threshold, Threshold):
        expr = threshold.infimum if bound == "infimum" else threshold.supremum
        ylabel = f"{bound} of {threshold.parameter}"
    else:
        expr, ylabel = threshold, "threshold"
    expr = _substitute(expr, values)
    x = _symbol_named(expr, parameter)
    extra = sorted(s.name for s in expr.free_symbols - {x})
    if extra:
        raise ParameterError(f"give values for {', '.join(map(repr, extra))} to plot the threshold")
    xs = np.asarray([float(v) for v in grid], dtype=float)
    ys = _finite(numpy_function(x, expr), xs)
    new = ax is None
    fig, ax = _figure_and_axes(ax, figsize)
    ax.plot(xs, ys, lw=1.5, label=label or str(expr))
    ax.set_xlabel(parameter)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title, y=1.0 if new else None)  # own axes: no top ticks to clear
    return _finish(fig, new, font, path, format, dpi)
