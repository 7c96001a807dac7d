"""Progress bars (tqdm): drawn on standard error when asked, never otherwise, never changing results."""

from __future__ import annotations

import numpy as np

from coopgame import Game, models
from coopgame.analysis import sweep
from coopgame.cli import main
from coopgame.core.progress import bar

MODEL = "school_enterprise"
COORD = Game.bimatrix([[2, 0], [0, 1]], [[2, 0], [0, 1]], strategies=[["A", "B"], ["A", "B"]])


def test_silent_bar_counts_without_drawing(capsys):
    with bar(5, "points", "x", enabled=False) as b:
        b.update(2)
        b.update(3)
    assert b.n == 5
    assert capsys.readouterr() == ("", "")


def test_sweep_bar_is_drawn_on_stderr_and_changes_nothing(capsys):
    grid = {"K": [0, 1, 2, 3], "R_e": [1, 5, 9]}
    quiet = sweep(models.get(MODEL), grid, progress=False)
    assert capsys.readouterr() == ("", "")
    shown = sweep(models.get(MODEL), grid, progress=True)
    out, err = capsys.readouterr()
    assert out == "" and "sweep" in err and "100%" in err and "12/12" in err
    assert np.array_equal(quiet.data, shown.data)


def test_simulate_and_basins_bars(capsys):
    dyn = COORD.replicator()
    start = [[0.3, 0.6], [0.7, 0.2]]
    a = dyn.simulate(None, start, 5.0, progress=True)
    err = capsys.readouterr().err
    assert "simulate 2 starts" in err and "100%" in err and "t 5/5" in err
    b = dyn.simulate(None, start, 5.0)  # off by default: simulate is a building block
    assert capsys.readouterr().err == ""
    assert np.array_equal(a.states, b.states)
    basins = dyn.basins(None, 40, np.random.default_rng(1), t_max=20.0, progress=True)
    err = capsys.readouterr().err
    assert "basins" in err and "40/40" in err
    assert basins.counts == dyn.basins(None, 40, np.random.default_rng(1), t_max=20.0, progress=False).counts
    assert capsys.readouterr().err == ""


def test_simulate_in_chunks_counts_starts(capsys, tmp_path):
    # Several chunks: the bar counts starts (and moves with each chunk's integration time).
    dyn = COORD.replicator()
    start = [[0.3, 0.6], [0.7, 0.2], [0.5, 0.5]]
    a = dyn.simulate(None, start, 5.0, progress=True, chunk_size=2)
    err = capsys.readouterr().err
    assert "simulate 3 starts" in err and "100%" in err and "starts 3/3" in err
    assert np.array_equal(a.states, dyn.simulate(None, start, 5.0, chunk_size=2).states)
    argv = ["simulate", MODEL, "--starts", "5", "--t-max", "2", "--chunk-size", "2", "--out", str(tmp_path / "run")]
    assert main(argv) == 0
    assert "starts 5/5" in capsys.readouterr().err
    assert main(argv + ["--quiet"]) == 0  # resumed from the folder: nothing to draw when quiet
    assert capsys.readouterr().err == ""


def test_quiet_silences_the_command_line(capsys, tmp_path):
    assert main(["simulate", MODEL, "--starts", "3", "--t-max", "2", "--quiet"]) == 0
    assert capsys.readouterr().err == ""
    assert main(["simulate", MODEL, "--starts", "3", "--t-max", "2"]) == 0
    assert "simulate 3 starts" in capsys.readouterr().err
    assert main(["sweep", MODEL, "--grid", "K=0:1:3", "--quiet"]) == 0
    assert capsys.readouterr().err == ""
    assert main(["report", MODEL, "--out", str(tmp_path / "r"), "--no-figures", "--quiet"]) == 0
    assert capsys.readouterr().err == ""
    assert main(["report", MODEL, "--out", str(tmp_path / "r"), "--no-figures"]) == 0
    assert "report school_enterprise" in capsys.readouterr().err
