"""Layout and artists of the report's figures: every text on the canvas, panels clear of each other,
every trajectory in its panel's collection, legends with their entries and where ``loc="best"`` puts them."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from coopgame import Game
from coopgame.analysis import exact_linspace, sweep
from coopgame.report.analysis_figures import bifurcation_diagram, phase_portrait, sensitivity_figure
from coopgame.report.figures import regime_map
from coopgame.report.phase import figure_classes, place_legend, plot_trajectories, tight_layout


@pytest.fixture(scope="module")
def three():
    """Three populations with two strategies each: a 3-D state space, long coordinate names."""
    strategies = [["active", "passive"], ["deep", "shallow"], ["participate", "nominal"]]
    payoffs = {}
    for a in range(2):
        for b in range(2):
            for c in range(2):
                key = (strategies[0][a], strategies[1][b], strategies[2][c])
                payoffs[key] = [1 - a + b, 2 * (1 - b) - c, 3 * (1 - c) * (1 - a) + c]
    return Game(["government", "school", "enterprise"], strategies, payoffs)


@pytest.fixture(scope="module")
def coordination():
    return Game.bimatrix([["a", 0], [0, 1]], [["a", 0], [0, 1]], strategies=[["A", "B"]] * 2)


def _laid_out_on_canvas(fig):
    """Draw ``fig``; assert what is drawn lies on the canvas and no two panels (with their
    labels) nor the figure's title overlap. Returns the renderer."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    canvas = fig.bbox
    whole = fig.get_tightbbox(renderer).transformed(fig.dpi_scale_trans)  # inches to pixels
    assert whole.x0 >= -0.5 and whole.y0 >= -0.5, (whole.bounds, canvas.bounds)
    assert whole.x1 <= canvas.x1 + 0.5 and whole.y1 <= canvas.y1 + 0.5, (whole.bounds, canvas.bounds)
    boxes = [ax.get_tightbbox(renderer) for ax in fig.axes]
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            assert not boxes[i].overlaps(boxes[j]), (i, j, boxes[i].bounds, boxes[j].bounds)
    if fig.get_suptitle():
        from matplotlib.text import Text

        (title,) = [t for t in fig.findobj(Text) if t.get_text() == fig.get_suptitle()]
        extent = title.get_window_extent(renderer)
        assert all(not extent.overlaps(b) for b in boxes), extent.bounds
    return renderer


def test_trajectory_figures_in_3d_fit_the_canvas(three):
    rng = np.random.default_rng(3)
    traj = three.replicator().simulate(None, rng.uniform(0.05, 0.95, (12, 3)), t_max=20, n_points=41)
    fig = plot_trajectories(traj, title="Three populations with long names")
    _laid_out_on_canvas(fig)
    time_ax, space = fig.axes
    # every trajectory in the time paths: one collection per coordinate, one polyline per trajectory
    assert len(time_ax.collections) == 3 and not time_ax.lines
    states, times = np.asarray(traj.states, dtype=float), np.asarray(traj.times, dtype=float)
    for j, coll in enumerate(time_ax.collections):
        segments = coll.get_segments()
        assert len(segments) == states.shape[0]
        for i, seg in enumerate(segments):
            np.testing.assert_array_equal(seg[:, 0], times)
            np.testing.assert_array_equal(seg[:, 1], states[i, :, j])
    labels = [s.name for s in traj.state]
    assert [t.get_text() for t in time_ax.get_legend().get_texts()] == labels
    # the state space: one 3-D collection of all trajectories and one scatter of their starts
    from mpl_toolkits.mplot3d.art3d import Line3DCollection

    (lines,) = [c for c in space.collections if isinstance(c, Line3DCollection)]
    assert len(lines.get_segments()) == states.shape[0]


def test_phase_portrait_panel_holds_every_trajectory_and_start(coordination):
    traj = coordination.replicator().simulate({"a": 2}, [[0.2, 0.3], [0.8, 0.6], [0.5, 0.9]], t_max=10, n_points=21)
    fig = plot_trajectories(traj, title="Coordination")
    _laid_out_on_canvas(fig)
    ax = fig.axes[1]
    (coll,) = ax.collections
    states = np.asarray(traj.states, dtype=float)
    assert len(coll.get_segments()) == 3
    for seg, path in zip(coll.get_segments(), states):
        np.testing.assert_array_equal(seg, path[:, :2])
    starts = [ln for ln in ax.lines if ln.get_marker() == "o"]
    assert len(starts) == 1 and np.array_equal(starts[0].get_xydata(), states[:, 0, :2])
    stars = [ln for ln in ax.lines if ln.get_marker() == "*"]
    limits = {tuple(float(v) for v in p.coordinates.values()) for p in traj.limits if p is not None}
    assert len(stars) == 1 and {tuple(xy) for xy in stars[0].get_xydata()} == limits


def test_one_population_time_paths_fit(tmp_path):
    g = Game(["firm"], [["train", "idle"]], {("train",): [1], ("idle",): [0]})
    traj = g.replicator().simulate(None, [[0.2], [0.7]], t_max=5, n_points=11)
    _laid_out_on_canvas(plot_trajectories(traj, title="One population"))


@pytest.mark.parametrize("levels", [[-1, 1, 2], [[1, 2], [1, 3]]])
def test_sensitivity_panels_fit_and_keep_their_legends(levels):
    g = Game.bimatrix([["a", 0], [0, "b"]], [["a", 0], [0, "b"]], strategies=[["A", "B"]] * 2)
    names = ("a", "b") if isinstance(levels[0], list) else "a"
    res = g.replicator().sensitivity(names, levels, None if names != "a" else {"b": 1}, [[0.5, 0.5]],
                                     t_max=5, n_points=6)
    fig = sensitivity_figure(res, title="a rather long title of the sensitivity figure")
    _laid_out_on_canvas(fig)
    firsts = sorted({lev[0] for lev in res.levels}, key=float)
    for ax in fig.axes:
        assert [t.get_text() for t in ax.get_legend().get_texts()] == [f"a = {v}" for v in firsts]


def test_fitted_margins_are_close_to_tight_layout():
    """The fitted layout leaves about the room tight_layout leaves: within half a font size."""
    g = Game.bimatrix([["a", 0], [0, 1]], [["a", 0], [0, 1]], strategies=[["A", "B"]] * 2)
    res = g.replicator().sensitivity("a", [-1, 1, 2], None, [[0.4, 0.6]], t_max=10, n_points=21)
    fitted = sensitivity_figure(res, title="sensitivity to a")
    tight = sensitivity_figure(res, title="sensitivity to a")
    tight_layout(tight)
    em = 10 * fitted.dpi / 72  # the default font size, in pixels
    for a, b in zip(fitted.axes, tight.axes):
        assert np.allclose(a.bbox.bounds, b.bbox.bounds, atol=em / 2), (a.bbox.bounds, b.bbox.bounds)


def test_bifurcation_and_regime_map_fit(coordination):
    bif = coordination.replicator().bifurcation("a", lo=-1, hi=2)
    fig = bifurcation_diagram(bif, title="Rest points against a")
    _laid_out_on_canvas(fig)
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == [b.label for b in bif.branches]
    import sympy

    s, t = sympy.symbols("s t", nonnegative=True)
    r = sweep(s + 3 * t > 1, {"s": exact_linspace(0, 1, 13), "t": exact_linspace(0, 1, 13)}, progress=False)
    _laid_out_on_canvas(regime_map(r, curves=[s + 3 * t - 1], title="a regime map"))


def test_a_legend_outside_the_axes_is_laid_out_by_tight_layout(coordination, monkeypatch):
    import coopgame.report.phase as phase

    laid_out = []
    monkeypatch.setattr(phase, "tight_layout", lambda fig: laid_out.append(fig) or tight_layout(fig))
    fig = phase_portrait(coordination.replicator(), {"a": 2}, title="phase portrait")
    assert laid_out == [fig]
    legend = fig.axes[0].get_legend().get_window_extent(fig.canvas.get_renderer())
    assert legend.x0 > fig.axes[0].bbox.x1 and legend.x1 <= fig.bbox.x1 + 0.5  # beside the axes, on the canvas


def _lines_figure(seed):
    Figure, FigureCanvasAgg = figure_classes()
    fig = Figure(figsize=(5, 3.5))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    rng = np.random.default_rng(seed)
    xs = np.linspace(0, 10, 60)
    for k in range(4):
        ax.plot(xs, rng.uniform(0, 1) * np.exp(-rng.uniform(0, 1) * xs) + rng.uniform(-0.2, 0.8), label=f"line {k}")
    ax.scatter(rng.uniform(0, 10, 20), rng.uniform(0, 1, 20), label="points")
    ax.legend(loc="best")
    return fig, ax


@pytest.mark.parametrize("seed", range(6))
def test_place_legend_puts_it_where_matplotlib_best_does(seed):
    fig, ax = _lines_figure(seed)
    fig.canvas.draw()  # matplotlib's own loc="best"
    expected = ax.get_legend().get_window_extent(fig.canvas.get_renderer()).bounds
    fig, ax = _lines_figure(seed)
    place_legend(ax.get_legend())
    fig.canvas.draw()
    assert np.allclose(ax.get_legend().get_window_extent(fig.canvas.get_renderer()).bounds, expected, atol=0.5)
