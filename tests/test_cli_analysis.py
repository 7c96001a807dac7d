"""The sensitivity and check-assumptions commands."""

from __future__ import annotations

import re
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
    # a level outside the domain: the message names it and prints the domain as mathematics
    assert main(["sensitivity", "government_school_enterprise", "--vary", "s=-1,2"]) == 2
    err = capsys.readouterr().err
    assert "'s'" in err and "nonnegative [0, ∞)" in err and ", oo)" not in err


def test_check_assumptions_names_the_violated_assumption(capsys):
    assert main(["check-assumptions", "school_enterprise"]) == 0
    assert main(["check-assumptions", "school_enterprise", "--set", "K=100"]) == 2
    err = capsys.readouterr().err
    assert "assumption" in err and "K = 100" in err
    assert main(["check-assumptions", "school_enterprise", "--assume", "K > 5"]) == 2
    assert "K > 5 is violated at K = 1" in capsys.readouterr().err


@pytest.mark.slow
def test_report_has_the_analysis_section_and_a_standalone_tex(tmp_path):
    from coopgame import models
    from coopgame.report.document import write_report

    out = write_report(models.get("school_enterprise"), tmp_path / "rep", starts=4, t_max=20)
    text = (out / "report.md").read_text()
    for section in ("## Replicator dynamics (status quo)", "## Cases under the assumptions",
                    "## Sensitivity analysis", "## Bifurcation in"):
        assert section in text, section
    assert "\\dot{x_{school}}" in text
    cases = (out / "latex" / "cases.tex").read_text()
    assert "\\begin{tabularx}{\\linewidth}" in cases and "\\toprule" in cases
    tex = (out / "report.tex").read_text()
    assert tex.startswith("\\documentclass") and tex.rstrip().endswith("\\end{document}")
    loaded = set()
    for arg in re.findall(r"\\usepackage(?:\[[^\]]*\])?\{([^}]*)\}", tex):
        loaded |= {p.strip() for p in arg.split(",")}
    for f in (out / "latex").glob("*.tex"):
        assert f"\\input{{latex/{f.name}}}" in tex
        body = f.read_text()
        # every package the table uses is loaded (written out here, independently of the library)
        for pattern, package in ((r"\\begin\{tabularx\}", "tabularx"), (r"\\toprule", "booktabs"), (r">\{", "array"),
                                 (r"\\text\{|\\begin\{(align\*|pmatrix)\}", "amsmath")):
            if re.search(pattern, body):
                assert package in loaded, (f.name, package)
        assert all(ord(ch) < 128 for ch in body), f.name  # pdflatex-ready
    for f in (out / "figures").glob("*.png"):
        assert f"figures/{f.name}" in tex
    assert any((out / "figures").glob("sensitivity_*.png")) and any((out / "figures").glob("bifurcation_*.png"))
