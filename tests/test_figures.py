"""Tests of coopgame.report.figures: regime maps with exact curves, threshold plots, lazy matplotlib."""

import builtins
from fractions import Fraction

import numpy as np
import pytest
import sympy

from coopgame import Game, Parameter
from coopgame.analysis import exact_linspace, minimum_instrument, sweep, threshold
from coopgame.errors import ParameterError
from coopgame.policy import Subsidy, TaxRelief

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from coopgame.report.figures import regime_map, threshold_plot  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def game():
    """School-enterprise game with subsidy s and relief t*C_e; target boundary s + 3t = 1 below."""
    g = Game(["school", "enterprise"],
             {"school": ["deep", "shallow"], "enterprise": ["participate", "nominal"]},
             {("deep", "participate"): [3, "R_e - C_e"], ("deep", "nominal"): [-1, "R_e/2"],
              ("shallow", "participate"): [1, "-C_e"], ("shallow", "nominal"): [0, 0]})
    return g.with_policy(Subsidy("enterprise", "s", when={"enterprise": "participate"}),
                         TaxRelief("enterprise", Parameter("t", domain="probability"), "C_e",
                                   when={"enterprise": "participate"}))


VALUES = {"R_e": 4, "C_e": 3}  # enterprise: s + 3t > C_e - R_e/2 = 1


def test_regime_map_draws_regions_and_exact_line():
    g = game()
    r = sweep(g, {"s": exact_linspace(0, 2, 25), "t": exact_linspace(0, 1, 13)}, values=VALUES, progress=False)
    th = minimum_instrument(g, ("deep", "participate"), "s", values=VALUES)
    fig = regime_map(r, curves=[th], title="regimes")
    ax = fig.axes[0]
    line = ax.lines[0]
    t = np.asarray(line.get_xdata(), dtype=float)
    # Exact threshold s* = max(0, 1 - 3t) (derivation: VALUES comment).
    np.testing.assert_allclose(line.get_ydata(), np.maximum(0, 1 - 3 * t), atol=1e-12)
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("(deep, participate)" in x for x in texts)
    assert "boundary points" in texts  # the line passes through grid points exactly
    assert ax.get_title() == "regimes"


def test_curve_from_relation_and_nonlinear_contour():
    s, t = sympy.symbols("s t", nonnegative=True)
    r = sweep(s * (1 + t) > 1, {"s": np.linspace(0, 2, 21), "t": np.linspace(0, 1, 11)}, progress=False)
    fig = regime_map(r, curves=[sympy.Eq(s * (1 + t), 1), "s - 1"], curve_labels=["s(1+t) = 1", "s = 1"])
    ax = fig.axes[0]
    # s(1 + t) = 1 is linear in s: drawn exactly as s = 1/(1 + t).
    xs = np.asarray(ax.lines[0].get_xdata(), dtype=float)
    np.testing.assert_allclose(ax.lines[0].get_ydata(), 1 / (1 + xs))
    r2 = sweep(s**2 + t**2 < 1, {"s": np.linspace(0, 1, 11), "t": np.linspace(0, 1, 11)}, progress=False)
    fig = regime_map(r2, curves=[s**2 + t**2 - 1])
    ax = fig.axes[0]
    assert ax.collections  # the circle is drawn as a contour


def test_threshold_plot_values():
    s, c, k = sympy.Symbol("s", nonnegative=True), sympy.Symbol("c", real=True), sympy.Symbol("k", real=True)
    th = threshold(s > c - k, s)
    fig = threshold_plot(th, "c", [0, 1, 2, 4], values={"k": Fraction(1, 2)})
    ax = fig.axes[0]
    # max(0, c - 1/2) at c = 0, 1, 2, 4
    assert ax.lines[0].get_ydata().tolist() == [0.0, 0.5, 1.5, 3.5]
    with pytest.raises(ParameterError, match="'k'"):
        threshold_plot(th, "c", [0, 1])


def test_bad_axes():
    r = sweep("s > 0", {"s": [0, 1, 2]}, progress=False)
    with pytest.raises(ParameterError, match="two axes"):
        regime_map(r)


def test_missing_matplotlib_gives_clear_error(monkeypatch):
    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name.startswith("matplotlib"):
            raise ImportError("No module named 'matplotlib'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    s = sympy.Symbol("s")
    from coopgame.errors import CoopgameError

    # the error of every figure function without matplotlib (report.phase.figure_classes)
    with pytest.raises(CoopgameError, match=r"pip install matplotlib"):
        threshold_plot(s, "s", [0, 1])




def _small_map():
    s, t = sympy.symbols("s t", nonnegative=True)
    return sweep(s + 3 * t > 1, {"s": exact_linspace(0, 1, 5), "t": exact_linspace(0, 1, 5)}, progress=False), s, t


def test_regime_map_and_threshold_plot_return_a_figure_and_write_pdf_and_svg(tmp_path):
    from matplotlib.figure import Figure

    r, s, t = _small_map()
    c = sympy.Symbol("c", real=True)
    figs = {"map": regime_map(r, curves=[s + 3 * t - 1], path=tmp_path / "map.pdf"),
            "plot": threshold_plot(threshold(s > c - 1, s), "c", [0, 1, 2], path=tmp_path / "plot.svg")}
    assert all(isinstance(f, Figure) for f in figs.values())
    assert (tmp_path / "map.pdf").read_bytes().startswith(b"%PDF")
    assert b"<svg" in (tmp_path / "plot.svg").read_bytes()[:1000]
    # format= overrides the (missing) suffix; the threshold max(0, c - 1) is the drawn line
    threshold_plot(threshold(s > c - 1, s), "c", [0, 1, 2], path=tmp_path / "plot", format="pdf")
    assert (tmp_path / "plot.pdf").read_bytes().startswith(b"%PDF")
    assert figs["plot"].axes[0].lines[0].get_ydata().tolist() == [0.0, 0.0, 1.0]
    regime_map(r, curves=[s + 3 * t - 1], path=tmp_path / "map.svg")
    assert b"<svg" in (tmp_path / "map.svg").read_bytes()[:1000]


def test_figures_drawn_on_given_axes_return_their_figure_and_refuse_unknown_formats(tmp_path):
    from coopgame.errors import OutputError
    from coopgame.report.phase import figure_classes

    Figure, Canvas = figure_classes()
    host = Figure()
    Canvas(host)
    ax = host.add_subplot(1, 2, 1)
    r, s, t = _small_map()
    assert regime_map(r, ax=ax) is host
    ax2 = host.add_subplot(1, 2, 2)
    assert threshold_plot(s - 1, "s", [0, 1], ax=ax2, title="T") is host and ax2.get_title() == "T"
    with pytest.raises(OutputError, match="gif"):
        regime_map(r, path=tmp_path / "map.gif")
    with pytest.raises(ParameterError, match="bound"):
        threshold_plot(s - 1, "s", [0, 1], bound="middle")


def test_figure_font_is_set_on_every_text():
    r, s, t = _small_map()
    fig = regime_map(r, title="regimes", font="DejaVu Serif")
    ax = fig.axes[0]
    assert ax.title.get_fontfamily()[0] == "DejaVu Serif"
    assert ax.xaxis.label.get_fontfamily()[0] == "DejaVu Serif"
