"""The documentation notebook runs, and its results display as rich tables (HTML, Markdown, LaTeX)."""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "docs" / "notebooks" / "notebook-display.ipynb"


@pytest.fixture(scope="module")
def executed():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    # run in the project's root, so that the kernel imports this source tree's coopgame
    nbclient.NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    return [c for c in nb.cells if c.cell_type == "code"]


def _data(cell):
    (result,) = [o for o in cell.outputs if o.output_type == "execute_result"]
    return result["data"]


@pytest.mark.slow
def test_notebook_outputs_are_rich_tables(executed):
    game, ess, threshold, regime, frame, dims, traj = (_data(c) for c in executed)
    for shown in (game, ess, threshold, regime, traj):
        assert {"text/html", "text/markdown", "text/latex"} <= set(shown), shown.keys()
        assert shown["text/html"].startswith('<table class="coopgame">')
    # the stable profiles with their exact conditions (the model's docstring: only (deep, nominal)
    # is stable at the defaults, but all four have conditions)
    assert ess["text/html"].count("<tr>") == 1 + 4 and "(deep, participate)" in ess["text/html"]
    assert "R_s" in ess["text/markdown"] and r"\begin{tabular" in ess["text/latex"]
    assert "level of s making (deep, participate) evolutionarily stable" in threshold["text/html"]
    assert "stable vertices" in regime["text/markdown"] and "K (4 values)" in regime["text/html"]
    assert "text/html" in frame and "regime" in frame["text/html"]  # pandas' own display of the DataFrame
    assert dims["text/plain"] == "('K', 'R_e')"
    assert "20 trajectories to t = 30" in traj["text/html"]
