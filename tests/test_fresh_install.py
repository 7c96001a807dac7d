"""A fresh machine: the README's main job with nothing but the plain install, the report without
figures where matplotlib cannot be imported, and the one-line message of the ``verify`` extra."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from coopgame import models
from coopgame.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
MODEL = "school_enterprise"


def readme_commands() -> list[str]:
    """The shell commands of the README's set-up section, in order (the fenced blocks)."""
    text = README.read_text(encoding="utf-8")
    setup = text.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```\n(.*?)```", setup, flags=re.S)]


def test_readme_states_the_main_job_and_both_test_commands():
    commands = readme_commands()
    assert commands[0] == "pip install -e . && coopgame report government_school_enterprise --out coopgame-report"
    assert any(c.endswith("&& pytest") for c in commands)
    assert any("pytest -m slow" in c for c in commands)


@pytest.fixture
def no_matplotlib(monkeypatch):
    """matplotlib cannot be imported (as on a machine where it is missing or broken)."""
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    for name in ("matplotlib", "matplotlib.figure", "matplotlib.backends.backend_agg", "matplotlib.pyplot"):
        monkeypatch.setitem(sys.modules, name, None)  # None in sys.modules: import raises ImportError


def test_report_without_matplotlib_writes_everything_but_the_figures(no_matplotlib, capsys, tmp_path):
    out_dir = tmp_path / "rep"
    code = main(["report", MODEL, "--out", str(out_dir), "--seed", "1", "--quiet"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.strip() == f"coopgame: report written to {out_dir / 'report.md'}"
    assert err.count("\n") == 1 and err.startswith("coopgame: warning: ")
    assert "without its figures" in err and "matplotlib" in err
    assert not (out_dir / "figures").exists()
    text = (out_dir / "report.md").read_text(encoding="utf-8")
    assert "Figures left out:" in text and "![" not in text
    # the simulations and the regime map are still reported, as tables
    assert "## Trajectories of the replicator dynamics" in text and "Where they end:" in text
    for name in ("scenario.toml", "results.json", "latex/status_quo.tex"):
        assert (out_dir / name).is_file(), name


def test_report_api_warns_without_matplotlib(no_matplotlib, tmp_path):
    from coopgame.report.document import FiguresSkipped, write_report

    with pytest.warns(FiguresSkipped, match="matplotlib"):
        write_report(models.get(MODEL), tmp_path / "r", seed=0)
    assert (tmp_path / "r" / "report.md").is_file()


def test_testing_without_hypothesis_names_the_extra(monkeypatch):
    for name in [m for m in sys.modules if m == "hypothesis" or m.startswith("hypothesis.")
                 or m == "coopgame.testing"]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "hypothesis", None)
    with pytest.raises(ImportError) as info:
        import coopgame.testing  # noqa: F401
    message = str(info.value)
    assert "\n" not in message
    assert "pip install 'coopgame-vet[verify]'" in message and "hypothesis" in message


@pytest.mark.slow
def test_readme_main_job_in_a_fresh_venv(tmp_path):
    """The README's first command, verbatim, in a fresh virtual environment with only Python.

    It runs in a copy of this source tree (so the report lands there); the dependencies come from
    the package index the environment's pip is configured for."""
    work = tmp_path / "coopgame"
    shutil.copytree(ROOT, work, ignore=shutil.ignore_patterns(
        ".git", ".hypothesis", "__pycache__", "*.egg-info", "build", "dist", "coopgame-report", ".venv*"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PATH"] = str(bindir) + os.pathsep + env.get("PATH", "")
    env["VIRTUAL_ENV"] = str(env_dir)
    env["MPLBACKEND"] = "Agg"
    done = subprocess.run(["bash", "-c", readme_commands()[0]], cwd=work, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "warning" not in done.stderr
    report = work / "coopgame-report"
    text = (report / "report.md").read_text(encoding="utf-8")
    figures = sorted(p.name for p in (report / "figures").iterdir())
    assert "trajectories_status_quo.png" in figures and "regime_map.png" in figures
    for name in figures:
        assert f"](figures/{name})" in text
        assert (report / "figures" / name).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
