"""Tests of coopgame.claims and ``coopgame verify``: claims confirmed, refuted with a
counterexample, bad input rejected with exit status 2."""

from __future__ import annotations

import json

import pytest
import sympy

from coopgame import scenario
from coopgame.claims import loads, verify
from coopgame.cli import main
from coopgame.errors import ExpressionError, ScenarioError
from coopgame.game import Game

# The game of docs/reference/claims-format.md. Derivation: (D, P) is strict iff R_s > C_s and
# R_e + g > C_e; (S, N) iff C_s > 0 (always) and C_e > g.
GAME = Game(["school", "enterprise"], {"school": ["D", "S"], "enterprise": ["P", "N"]},
            {("D", "P"): ["R_s - C_s", "R_e - C_e + g"], ("D", "N"): ["-C_s", 0],
             ("S", "P"): [0, "g - C_e"], ("S", "N"): [0, 0]})

SCENARIO = """
format = 1
name = "subsidised participation"
players = ["school", "enterprise"]
[strategies]
school = ["D", "S"]
enterprise = ["P", "N"]
[parameters.R_s]
domain = "positive"
[parameters.C_s]
domain = "positive"
[parameters.R_e]
domain = "positive"
[parameters.C_e]
domain = "positive"
[parameters.g]
domain = "nonnegative"
[[payoffs]]
profile = ["D", "P"]
values = ["R_s - C_s", "R_e - C_e + g"]
[[payoffs]]
profile = ["D", "N"]
values = ["-C_s", "0"]
[[payoffs]]
profile = ["S", "P"]
values = ["0", "g - C_e"]
[[payoffs]]
profile = ["S", "N"]
values = ["0", "0"]
"""

RIGHT = """
format = 1
source = "right paper"
assumptions = ["R_s > C_s"]
[[rest_points]]
profile = ["S", "N"]
condition = "C_e > g"
[[cases]]
name = "large subsidy"
when = "g > C_e"
ess = [["D", "P"]]
[[simulations]]
values = { R_s = 4, C_s = 1, R_e = 2, C_e = 3, g = 2 }
start = ["1/2", "1/2"]
end = ["D", "P"]
t_max = 200
"""

WRONG_CASE = """
format = 1
assumptions = ["R_s > C_s"]
[[cases]]
when = "g < C_e"
ess = [["S", "N"]]
"""


@pytest.mark.slow
def test_true_claims_are_confirmed_and_the_command_exits_0(tmp_path, capsys):
    (tmp_path / "paper.toml").write_text(SCENARIO, encoding="utf-8")
    (tmp_path / "claims.toml").write_text(RIGHT, encoding="utf-8")
    code = main(["verify", str(tmp_path / "paper.toml"), "--claims", str(tmp_path / "claims.toml"),
                 "--examples", "15", "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["ok"] is True
    assert [c["kind"] for c in out["claims"]] == ["rest point", "case", "simulation"]
    assert all(c["status"] == "confirmed" for c in out["claims"])


@pytest.mark.slow
def test_a_wrong_case_is_refuted_with_an_admissible_counterexample(tmp_path, capsys):
    # With g < C_e, (D, P) is also an ESS whenever R_e + g > C_e: the case claims only (S, N).
    report = verify(GAME, loads(WRONG_CASE), max_examples=40)
    (result,) = report.results
    assert result.status == "refuted" and report.exit_code == 1
    ce = {k: sympy.nsimplify(v) for k, v in result.counterexample.items()}
    assert ce["R_s"] > ce["C_s"] and ce["g"] < ce["C_e"] < ce["R_e"] + ce["g"]
    (tmp_path / "paper.toml").write_text(SCENARIO, encoding="utf-8")
    (tmp_path / "claims.toml").write_text(WRONG_CASE, encoding="utf-8")
    code = main(["verify", str(tmp_path / "paper.toml"), "--claims", str(tmp_path / "claims.toml"),
                 "--examples", "40"])
    assert code == 1 and "refuted" in capsys.readouterr().out


def test_bad_claims_files_exit_2_and_name_the_offending_item(tmp_path, capsys):
    (tmp_path / "paper.toml").write_text(SCENARIO, encoding="utf-8")
    cases = {
        "unknown.toml": ("format = 1\n[[rest_point]]\nprofile = ['D', 'P']\n", "rest_point"),
        "noclaim.toml": ("format = 1\n[[rest_points]]\nprofile = ['D', 'P']\n", "rest_points[0]"),
        "badprofile.toml": ("format = 1\n[[rest_points]]\nprofile = ['D', 'X']\nverdict = 'ESS'\n", "X"),
        "notoml.toml": ("format = = 1\n", "not valid TOML"),
    }
    for name, (text, expected) in cases.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        code = main(["verify", str(tmp_path / "paper.toml"), "--claims", str(tmp_path / name), "--examples", "5"])
        err = capsys.readouterr().err
        assert code == 2 and expected in err, (name, err)
    code = main(["verify", str(tmp_path / "paper.toml"), "--claims", str(tmp_path / "missing.toml")])
    assert code == 2 and "missing.toml" in capsys.readouterr().err


def test_claims_text_goes_through_the_safe_parser_only():
    claims = loads("format = 1\nassumptions = [\"__import__('os').system('true') > 0\"]\n")
    with pytest.raises((ExpressionError, ScenarioError)):
        verify(GAME, claims, max_examples=5)


def test_loads_rejects_malformed_tables():
    with pytest.raises(ScenarioError, match="cases\\[0\\]"):
        loads("format = 1\n[[cases]]\nwhen = 'g > 0'\n")
    with pytest.raises(ScenarioError, match="relation"):
        loads("format = 1\n[[thresholds]]\nprofile = ['D', 'P']\nparameter = 'g'\nvalue = '1'\nrelation = '=='\n")


def test_verify_threshold_with_a_given_condition():
    # Regression: a threshold with 'given' raised "cannot determine truth value of Relational"
    # while the claim's text was formatted. In the game of docs/reference/claims-format.md,
    # (D, P) is a strict equilibrium iff R_s > C_s and R_e + g > C_e, so given R_s > C_s it is
    # stable iff g > C_e - R_e. (Refuting a wrong threshold is covered by that page's doctest;
    # its counterexample search is too slow for a fast test.)
    claims = loads('[[thresholds]]\nprofile = ["D", "P"]\nparameter = "g"\nvalue = "C_e - R_e"\n'
                   'given = "R_s > C_s"\n')
    report = verify(scenario.loads(SCENARIO), claims, max_examples=10)
    assert [r.status for r in report.results] == ["confirmed"]
    assert "given C_s < R_s" in report.results[0].claim or "given R_s > C_s" in report.results[0].claim
