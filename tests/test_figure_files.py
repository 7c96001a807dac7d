"""Figure files: the PNG that :func:`coopgame.report.phase.write_figure` writes is savefig's image."""

from __future__ import annotations

import io

import numpy as np
import pytest

pytest.importorskip("matplotlib")
Image = pytest.importorskip("PIL.Image")

from coopgame.report.phase import figure_classes, tight_layout, write_figure  # noqa: E402


def _figure(facecolor="white"):
    Figure, FigureCanvasAgg = figure_classes()
    fig = Figure(figsize=(3.2, 2.1), facecolor=facecolor)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    xs = np.linspace(0.0, 1.0, 50)
    ax.plot(xs, xs ** 2, label="x^2")
    ax.set_title("a figure")
    ax.legend()
    tight_layout(fig)
    return fig


def _savefig_png(fig, dpi):
    """The reference: matplotlib's own PNG of the figure."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return Image.open(io.BytesIO(buffer.getvalue()))


def _savefig_pixels(fig, dpi):
    return np.asarray(_savefig_png(fig, dpi).convert("RGBA"))


@pytest.mark.parametrize("dpi", [72, 120, 150])
def test_png_has_the_pixels_and_resolution_of_savefig(tmp_path, dpi):
    fig = _figure()
    path = tmp_path / "f.png"
    write_figure(fig, path, ".png", dpi)
    image = Image.open(path)
    assert image.mode == "RGB"  # every pixel opaque on the white background: no alpha channel
    assert image.size == (round(3.2 * dpi), round(2.1 * dpi))
    # the resolution as savefig writes it (pHYs holds whole dots per metre: 150 dpi reads 150.0124)
    assert image.info["dpi"] == _savefig_png(fig, dpi).info["dpi"] == pytest.approx((dpi, dpi), abs=0.02)
    assert np.array_equal(np.asarray(image.convert("RGBA")), _savefig_pixels(fig, dpi))
    assert not {k for k in image.info if k != "dpi"}  # no text chunks (no software, no date)


def test_png_keeps_the_alpha_channel_of_a_transparent_figure(tmp_path):
    fig = _figure(facecolor="none")
    path = tmp_path / "t.png"
    write_figure(fig, path, ".png", 100)
    image = Image.open(path)
    assert image.mode == "RGBA"
    pixels = np.asarray(image)
    assert pixels[..., 3].min() == 0  # the background is transparent
    assert np.array_equal(pixels, _savefig_pixels(fig, 100))


def test_png_files_are_reproducible(tmp_path):
    write_figure(_figure(), tmp_path / "a.png", ".png", 120)
    write_figure(_figure(), tmp_path / "b.png", ".png", 120)
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()
