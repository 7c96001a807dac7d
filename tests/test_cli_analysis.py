"""The sensitivity and check-assumptions commands."""

from __future__ import annotations

import warnings

import pytest

from coopgame.cli import main
from coopgame.errors import DegenerateGameWarning


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        yield


def test_sensitivity_command_prints_switches_and_writes_csv_and_figure(tmp_path, capsys):
    code = main(["sensitivity", "government_school_enterprise", "--vary", "s=0,2,5", "--starts", "0.5,0.5,0.5",
                 "--t-max", "10", "--out", str(tmp_path / "out"), "--figure-format", "svg"])
    assert code == 0
    text = capsys.readouterr().out
    # (active, deep, participate) is stable iff 1 < s < 4 (minimum_instrument at the defaults, see
    # tests/test_sensitivity.py): both ends are switching values between the levels 0, 2, 5
    assert "| s | 1 |" in text and "| s | 4 |" in text
    rows = (tmp_path / "out" / "sensitivity.csv").read_text().splitlines()
    assert len(rows) == 1 + 3 and rows[0].startswith("s,start,")
    assert (tmp_path / "out" / "sensitivity.svg").read_bytes().startswith(b"<?xml")


def test_sensitivity_command_refuses_bad_levels(capsys):
    assert main(["sensitivity", "government_school_enterprise", "--vary", "s"]) == 2
    assert "NAME=V1,V2" in capsys.readouterr().err
    assert main(["sensitivity", "government_school_enterprise", "--vary", "zz=1,2"]) == 2
    assert "'zz'" in capsys.readouterr().err


def test_check_assumptions_names_the_violated_assumption(capsys):
    assert main(["check-assumptions", "school_enterprise"]) == 0
    assert main(["check-assumptions", "school_enterprise", "--set", "K=100"]) == 2
    err = capsys.readouterr().err
    assert "assumption" in err and "K = 100" in err
    assert main(["check-assumptions", "school_enterprise", "--assume", "K > 5"]) == 2
    assert "K > 5 is violated at K = 1" in capsys.readouterr().err
