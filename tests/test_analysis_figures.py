"""Figures of the analysis section: Figures returned, vector formats written, curves on the axes."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sympy

pytest.importorskip("matplotlib")

from coopgame import Game
from coopgame.analysis import sweep, threshold
from coopgame.report.analysis_figures import (
    bifurcation_diagram,
    cjk_font,
    phase_portrait,
    save_figure,
    sensitivity_figure,
)
from coopgame.report.figures import regime_map
from coopgame.report.phase import plot_trajectories


@pytest.fixture(scope="module")
def coordination():
    return Game.bimatrix([["a", 0], [0, 1]], [["a", 0], [0, 1]], strategies=[["A", "B"]] * 2)


def _is_figure(fig):
    from matplotlib.figure import Figure

    return isinstance(fig, Figure)


@pytest.mark.parametrize(("fmt", "magic"), [("pdf", b"%PDF"), ("svg", b"<?xml"), ("png", b"\x89PNG")])
def test_every_figure_is_a_figure_and_is_written_in_each_format(coordination, tmp_path, fmt, magic):
    rd = coordination.replicator()
    res = rd.sensitivity("a", [-1, 1, 2], None, [[0.4, 0.6], [0.7, 0.2]], t_max=10, n_points=21)
    figs = {"sensitivity": sensitivity_figure(res),
            "bifurcation": bifurcation_diagram(rd.bifurcation("a", lo=-1, hi=2)),
            "phase": phase_portrait(rd, {"a": 2}),
            "trajectories": plot_trajectories(res.trajectories[0])}
    for name, fig in figs.items():
        assert _is_figure(fig), name
        path = save_figure(fig, tmp_path / name, fmt)
        assert path.suffix == "." + fmt and path.read_bytes().startswith(magic)


def test_sensitivity_figure_lines_are_the_trajectories(coordination):
    res = coordination.replicator().sensitivity("a", [-1, 2], None, [[0.4, 0.6]], t_max=10, n_points=11)
    fig = sensitivity_figure(res, start=0)
    for j, ax in enumerate(fig.axes):
        for line, traj in zip(ax.lines, res.trajectories):
            np.testing.assert_array_equal(line.get_ydata(), traj.states[0, :, j])


def test_two_parameters_make_a_grid_of_panels():
    g = Game.bimatrix([["a", 0], [0, "b"]], [["a", 0], [0, "b"]], strategies=[["A", "B"]] * 2)
    res = g.replicator().sensitivity(("a", "b"), [[1, 2], [1, 3]], None, [[0.5, 0.5]], t_max=5, n_points=6)
    fig = sensitivity_figure(res)
    assert len(fig.axes) == 4  # two rows (levels of b) times two coordinates
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["a = 1", "a = 2"]


def test_bifurcation_diagram_solid_only_where_stable(coordination):
    bif = coordination.replicator().bifurcation("a", lo=-1, hi=2)
    fig = bifurcation_diagram(bif, samples=50)
    ax = fig.axes[0]
    solid = [ln for ln in ax.lines if ln.get_linestyle() == "-"]
    # stable on (0, 2): (A, A) at x = 1 and (B, B) at x = 0; on (-1, 0): (B, B) only
    xs = np.concatenate([ln.get_xdata() for ln in solid])
    ys = np.concatenate([ln.get_ydata() for ln in solid])
    assert set(np.unique(ys)) <= {0.0, 1.0}
    assert np.all(xs[ys == 1.0] > 0)


def test_regime_map_draws_a_threshold_with_cases():
    # s * a > 1: for a > 0 the set is s > 1/a; for a <= 0 it is empty (a case split on the sign of a)
    s, a = sympy.Symbol("s", nonnegative=True), sympy.Symbol("a", real=True)
    th = threshold(s * a > 1, s)
    assert th.cases[0].when is not sympy.true  # the infimum is a Piecewise: the case the old code dropped
    r = sweep(s * a > 1, {"s": np.linspace(0, 4, 9), "a": np.linspace(-1, 2, 13)}, progress=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # 1/a at a = 0 is a gap in the curve, not a warning
        fig = regime_map(r, curves=[th])
    ax = fig.axes[0]
    assert ax.lines, "the threshold curve is on the axes"
    line = ax.lines[0]
    x, y = np.asarray(line.get_xdata(), dtype=float), np.asarray(line.get_ydata(), dtype=float)
    ok = ~np.isnan(y)
    np.testing.assert_allclose(y[ok], 1 / x[ok])
    assert np.all(x[ok] > 0) and np.all(np.isnan(y[x <= 0]))


def test_chinese_labels_render_without_missing_glyphs(coordination, tmp_path):
    font = cjk_font()
    if font is None:
        pytest.skip("no CJK font installed")
    res = coordination.replicator().sensitivity("a", [1, 2], None, [[0.4, 0.6]], t_max=5, n_points=6)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = sensitivity_figure(res, title="敏感性分析", labels=["学校", "企业"], xlabel="时间", ylabel="比例",
                                 font=font)
        save_figure(fig, tmp_path / "zh.png")
        save_figure(fig, tmp_path / "zh.pdf")
    missing = [str(w.message) for w in caught if "missing from" in str(w.message).lower() or "glyph" in str(w.message).lower()]
    assert not missing, missing


def test_unknown_format_is_refused(coordination, tmp_path):
    from coopgame.errors import OutputError

    fig = phase_portrait(coordination.replicator(), {"a": 1})
    with pytest.raises(OutputError, match="gif"):
        save_figure(fig, tmp_path / "x", "gif")


def _sweep_sa():
    return sweep(sympy.Symbol("s", nonnegative=True) * sympy.Symbol("a", real=True) > 1,
                 {"s": np.linspace(0, 4, 9), "a": np.linspace(-1, 2, 13)}, progress=False)


def test_regime_map_draws_thresholds_and_expressions_together():
    from matplotlib.contour import ContourSet

    s, a = sympy.Symbol("s", nonnegative=True), sympy.Symbol("a", real=True)
    th = threshold(s * a > 1, s)
    # three curves: the Threshold (s = 1/a for a > 0), a relation linear in s (s = 2a + 1, a
    # line) and an expression drawn as a contour (s a - 1 = 0, the same hyperbola)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        fig = regime_map(_sweep_sa(), curves=[th, sympy.Eq(s, 2 * a + 1), s * a - 1],
                         curve_labels=["threshold", "s = 2a + 1", "s a = 1"])
    ax = fig.axes[0]
    lines = [ln for ln in ax.lines if len(ln.get_xdata())]
    assert len(lines) == 2
    x, y = (np.asarray(v, dtype=float) for v in (lines[1].get_xdata(), lines[1].get_ydata()))
    np.testing.assert_allclose(y, 2 * x + 1)
    contours = [c for c in ax.collections if isinstance(c, ContourSet)] or \
        [c for c in ax.get_children() if isinstance(c, ContourSet)]
    assert contours, "the expression's zero set is on the axes"
    # its vertices lie on s a = 1
    verts = np.concatenate([p.vertices for p in contours[0].get_paths() if len(p.vertices)])
    np.testing.assert_allclose(verts[:, 0] * verts[:, 1], 1.0, atol=2e-2)
    assert [t.get_text() for t in ax.get_legend().get_texts()][-3:] == ["threshold", "s = 2a + 1", "s a = 1"]


def test_regime_map_never_drops_a_curve_silently():
    from coopgame.errors import ParameterError

    s, a = sympy.Symbol("s", nonnegative=True), sympy.Symbol("a", real=True)
    th = threshold(s * a > 1, s)
    with pytest.raises(ParameterError, match="one label per curve"):
        regime_map(_sweep_sa(), curves=[th, s - a], curve_labels=["only one"])
    from coopgame.errors import CoopgameWarning

    with pytest.warns(CoopgameWarning, match="does not cross"):  # no zero on the map: said, not dropped
        regime_map(_sweep_sa(), curves=[s * s + a * a + 100])
    with pytest.warns(CoopgameWarning, match="does not cross"):  # the line s = a + 10 is above the map
        regime_map(_sweep_sa(), curves=[s - a - 10])
    with pytest.raises(ParameterError, match="never|no finite bound"):
        regime_map(_sweep_sa(), curves=[threshold(s < -1, s)])  # an infeasible threshold has nothing to draw


def test_bifurcation_diagram_dashed_where_not_stable(coordination):
    bif = coordination.replicator().bifurcation("a", lo=-1, hi=2)
    ax = bifurcation_diagram(bif, samples=50).axes[0]
    dashed = [ln for ln in ax.lines if ln.get_linestyle() == "--"]
    xs = np.concatenate([ln.get_xdata() for ln in dashed])
    ys = np.concatenate([ln.get_ydata() for ln in dashed])
    # (A, A) (x = 1) is unstable for a < 0; (B, A) and (A, B) (x = 1 or 0) never stable; the mixed
    # point x = 1/(1 + a), a saddle for a > 0
    assert np.any((ys == 1.0) & (xs < 0))
    mixed = (ys > 0) & (ys < 1)
    assert mixed.any()
    np.testing.assert_allclose(ys[mixed], 1 / (1 + xs[mixed]))


def test_regime_curves_are_the_exact_boundaries_of_the_map():
    from coopgame import models
    from coopgame.report.analysis_section import regime_curves

    m = models.get("government_school_enterprise")
    g = m.with_policy()
    grid = {"s": [sympy.Rational(k, 4) for k in range(25)], "P": [sympy.Rational(k, 4) for k in range(13)]}
    fixed = {k.name: v for k, v in m.values().items() if k.name not in grid}
    curves = regime_curves(g, grid, fixed)
    assert curves and all(c.free_symbols <= {g.symbol("s"), g.symbol("P")} for c in curves)
    res = sweep(g, grid, fixed, progress=False)
    data = res.data.reshape(len(grid["s"]), len(grid["P"]))
    assert len(np.unique(data)) > 1  # the map has several regimes
    fs = [sympy.lambdify((g.symbol("s"), g.symbol("P")), c) for c in curves]
    # wherever two neighbouring grid points lie in different regimes, some curve changes sign
    # (or vanishes) between them: the stable set changes only where a deviation gain does
    for i in range(data.shape[0]):
        for j in range(data.shape[1]):
            for di, dj in ((1, 0), (0, 1)):
                if i + di < data.shape[0] and j + dj < data.shape[1] and data[i, j] != data[i + di, j + dj]:
                    a = (grid["s"][i], grid["P"][j])
                    b = (grid["s"][i + di], grid["P"][j + dj])
                    assert any(f(*a) * f(*b) <= 0 for f in fs), (a, b)
    fig = regime_map(res, curves=curves)
    ax = fig.axes[0]  # every curve drawn, none dropped
    assert ax.lines or ax.collections


# ---------------------------------------------------------------------- work done once
def _two_instrument_scenario():
    """School (deep/shallow) and enterprise (participate/nominal) with cost C = 1 and two
    instruments at status-quo level 0: a subsidy s to a participating enterprise and a penalty f
    on a shallow school."""
    from coopgame import Parameter
    from coopgame.policy import Penalty, Subsidy
    from coopgame.scenario import Scenario

    g = Game(["school", "enterprise"], [["deep", "shallow"], ["participate", "nominal"]],
             {("deep", "participate"): [2, "2 - C"], ("deep", "nominal"): [-1, 0],
              ("shallow", "participate"): [3, "-C"], ("shallow", "nominal"): [0, 0]},
             [Parameter("C", "cost", "", "positive", 1)])
    return Scenario(game=g, target=("deep", "participate"),
                    instruments=(("subsidy", (Subsidy("enterprise", "s", when={"enterprise": "participate"}),)),
                                 ("penalty", (Penalty("school", "f", when={"school": "shallow"}),))),
                    instrument_parameters=(Parameter("s", "subsidy", "", "nonnegative", 0),
                                           Parameter("f", "penalty", "", "nonnegative", 0)))


def _section_inputs(scenario, overrides):
    from coopgame.analysis.pipeline import analyze

    status_overrides = {k: v for k, v in overrides.items() if not scenario.owners(k)}
    status = analyze(scenario, status_overrides, equilibria=False, stability=False)
    game = scenario.with_policy(*scenario.instrument_names)
    present = {p.name for p in game.parameters}
    vals = {k: v for k, v in scenario.values(overrides).items() if k.name in present}
    params = {p.name: p for p in scenario.instrument_parameters}
    return status, game, vals, params


def test_sensitivity_levels_reuse_the_pipeline_thresholds_exactly():
    from coopgame.analysis.study import _known_threshold, _levels

    sc = _two_instrument_scenario()
    status, game, vals, params = _section_inputs(sc, {})
    f = params["f"]
    known = _known_threshold(f, sc, game, vals, status, {})
    # at s = 0, C = 1 the enterprise gains 2 - C = 1 > 0 from participating; the school gains
    # 2 - (3 - f) = f - 1 from going deep: stable exactly for f > 1
    assert known is not None and known.infimum == 1 and known.infimum_attained is sympy.false
    # levels 0 .. 2 * 1 = 2 in five steps, the same as derived afresh
    assert _levels(f, sc, game, vals, known) == _levels(f, sc, game, vals) == (
        [0, sympy.Rational(1, 2), 1, sympy.Rational(3, 2), 2], 0, 2)
    s = params["s"]
    t = _known_threshold(s, sc, game, vals, status, {})
    assert t is not None and t.feasible is sympy.false  # f = 0: the school goes shallow (3 > 2) at any s
    assert _levels(s, sc, game, vals, t) == _levels(s, sc, game, vals)


def test_pipeline_threshold_refused_where_another_instrument_does_not_vanish():
    from coopgame.analysis.study import _known_threshold, _levels

    sc = _two_instrument_scenario()
    status, game, vals, params = _section_inputs(sc, {"f": 2})
    # with the penalty at f = 2 in the game, the school gains f - 1 = 1 from going deep, so every
    # s >= 0 stabilises the target; the pipeline solved s with f absent (infeasible): not reused
    s = params["s"]
    assert _known_threshold(s, sc, game, vals, status, {"f": 2}) is None
    from coopgame.analysis.thresholds import minimum_instrument

    t = minimum_instrument(game, sc.target, "s", {k: v for k, v in vals.items() if k.name != "s"})
    assert t.set == sympy.Interval(0, sympy.oo)  # derived here: every s >= 0
    # no mark above lo = 0 (infimum 0, supremum oo): top = lo + 2, hi = lo + 2 * (top - lo) = 4
    assert _levels(s, sc, game, vals)[1:] == (0, 4)


def test_saved_figure_is_drawn_once(coordination, monkeypatch):
    from matplotlib.figure import Figure

    res = coordination.replicator().sensitivity("a", [-1, 2], None, [[0.4, 0.6]], t_max=5, n_points=6)
    fig = sensitivity_figure(res)
    draws = []
    real = Figure.draw
    monkeypatch.setattr(Figure, "draw", lambda self, renderer: draws.append(1) or real(self, renderer))
    import io

    fig.savefig(io.BytesIO(), format="png")
    assert len(draws) == 1  # the layout was done when the figure was made; saving renders once


# ------------------------------------------------------------ fonts for non-Latin labels
def _glyph_warnings(caught):
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def test_characters_no_font_has_are_named_in_one_warning(coordination, tmp_path, monkeypatch):
    from coopgame.errors import CoopgameWarning
    from coopgame.report import phase

    monkeypatch.setattr(phase, "CJK_FONTS", ())  # as on a machine without any CJK font
    res = coordination.replicator().sensitivity("a", [1, 2], None, [[0.4, 0.6]], t_max=5, n_points=6)
    labels = {"title": "敏感性分析", "labels": ["学校", "企业"], "xlabel": "时间", "ylabel": "比例"}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = sensitivity_figure(res, **labels)
        save_figure(fig, tmp_path / "zh.png")
        save_figure(fig, tmp_path / "zh.svg")
    ours = [w for w in caught if isinstance(w.message, CoopgameWarning)]
    assert len(ours) == 1, [str(w.message) for w in caught]
    # every Chinese character of the labels (DejaVu Sans, matplotlib's default, has none) is named
    wanted = set("".join([labels["title"], *labels["labels"], labels["xlabel"], labels["ylabel"]]))
    named = str(ours[0].message).split("'")[1]
    assert set(named) == wanted and named == "".join(sorted(wanted))
    assert ours[0].filename == __file__  # the warning points at the caller, not into coopgame
    assert not _glyph_warnings(caught), "matplotlib's per-character warnings are folded into ours"


def _a_character_only_stix_has():
    """A printable letter or symbol that STIXGeneral (shipped with matplotlib) has and DejaVu Sans lacks."""
    import unicodedata

    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    def charmap(family):
        return set(FT2Font(font_manager.findfont(font_manager.FontProperties(family=family))).get_charmap())

    extra = sorted(charmap("STIXGeneral") - charmap("DejaVu Sans"))
    return next(chr(c) for c in extra if unicodedata.category(chr(c))[0] in "LS" and chr(c).isprintable())


@pytest.mark.parametrize("fmt", ["png", "pdf", "svg"])
def test_an_installed_font_with_the_missing_characters_is_added_as_fallback(tmp_path, monkeypatch, fmt):
    from coopgame.errors import CoopgameWarning
    from coopgame.report import phase

    ch = _a_character_only_stix_has()
    monkeypatch.setattr(phase, "CJK_FONTS", ("No Such Font", "STIXGeneral"))  # the installed one is used
    Figure, Canvas = phase.figure_classes()
    fig = Figure()
    Canvas(fig)
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], label=f"share {ch}")
    ax.legend()
    title = ax.set_title(f"Time paths {ch}")
    xlabel = ax.set_xlabel("time")
    before = list(xlabel.get_fontfamily())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        phase.lay_out(fig)
        save_figure(fig, tmp_path / f"f.{fmt}")
    assert not _glyph_warnings(caught) and not [w for w in caught if isinstance(w.message, CoopgameWarning)]
    assert title.get_fontfamily()[-1] == "STIXGeneral" and title.get_fontfamily()[:-1] == before
    legend_text = ax.get_legend().get_texts()[0]
    assert legend_text.get_fontfamily()[-1] == "STIXGeneral"
    assert list(xlabel.get_fontfamily()) == before, "an ASCII text keeps its font"
    assert phase.fit_fonts(fig) == "", "fitted once, nothing is missing any more"


def test_ascii_and_mathtext_are_left_alone(coordination):
    from coopgame.report import phase

    Figure, Canvas = phase.figure_classes()
    fig = Figure()
    Canvas(fig)
    ax = fig.add_subplot()
    title = ax.set_title(r"Shares, $\alpha = 1$, cost \$5")
    before = list(title.get_fontfamily())
    assert phase.fit_fonts(fig) == ""
    assert list(title.get_fontfamily()) == before


def test_chinese_labels_find_an_installed_cjk_font_by_themselves(coordination, tmp_path):
    if cjk_font() is None:
        pytest.skip("no CJK font installed")
    res = coordination.replicator().sensitivity("a", [1, 2], None, [[0.4, 0.6]], t_max=5, n_points=6)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = sensitivity_figure(res, title="敏感性分析", labels=["学校", "企业"], xlabel="时间", ylabel="比例")
        save_figure(fig, tmp_path / "zh.png")
    assert not _glyph_warnings(caught) and not caught, [str(w.message) for w in caught]


def test_a_fallback_with_some_of_the_characters_is_used_and_the_rest_named(monkeypatch):
    from coopgame.errors import CoopgameWarning
    from coopgame.report import phase

    ch = _a_character_only_stix_has()
    monkeypatch.setattr(phase, "CJK_FONTS", ("STIXGeneral",))  # has ch, has no Chinese
    Figure, Canvas = phase.figure_classes()
    fig = Figure()
    Canvas(fig)
    title = fig.add_subplot().set_title(f"{ch} 学校")
    with pytest.warns(CoopgameWarning) as caught:
        assert phase.fit_fonts(fig) == "学校"  # sorted by code point: 学 U+5B66 < 校 U+6821
    assert len(caught) == 1 and "'学校'" in str(caught[0].message)
    assert title.get_fontfamily()[-1] == "STIXGeneral"


def test_fixed_tick_labels_are_fitted_and_no_tick_is_created_for_the_others(monkeypatch):
    import matplotlib.axis

    from coopgame.errors import CoopgameWarning
    from coopgame.report import phase

    ch = _a_character_only_stix_has()
    monkeypatch.setattr(phase, "CJK_FONTS", ("STIXGeneral",))
    Figure, Canvas = phase.figure_classes()
    fig = Figure()
    Canvas(fig)
    ax = fig.add_subplot()
    ax.plot([0, 1, 2], [0, 1, 4])
    ax.set_xticks([0, 1, 2], ["none", f"half {ch}", "all"])  # a user's own tick labels (FixedFormatter)
    ax.set_ylim(-4, 4)  # numeric labels with the minus sign U+2212, which DejaVu Sans has
    made = []
    real = matplotlib.axis.YTick.__init__
    monkeypatch.setattr(matplotlib.axis.YTick, "__init__", lambda self, *a, **k: (made.append(1), real(self, *a, **k)))
    with warnings.catch_warnings():
        warnings.simplefilter("error", CoopgameWarning)
        assert phase.fit_fonts(fig) == ""
    assert not made, "the numeric y axis had no ticks made for the fitting"
    label = next(t for t in ax.get_xticklabels() if ch in t.get_text())
    assert label.get_fontfamily()[-1] == "STIXGeneral"
