"""No silent acceptance: values for instruments that are not applied, undeclared names in scenario
files, infeasible thresholds in words, sweeps of a model with its defaults, output permissions."""

from __future__ import annotations

import os
import stat

import numpy as np
import pytest
import sympy

from coopgame import Game, models
from coopgame.analysis import minimum_instrument, sweep
from coopgame.cli import main
from coopgame.errors import ParameterError, ScenarioError, UnknownNameError
from coopgame.policy import Subsidy
from coopgame.report.document import analyze, write_report
from coopgame.scenario import Scenario, dumps, load

MODEL = "school_enterprise"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ---------------------------------------------------------------------------------- instrument levels
@pytest.mark.parametrize("command", [["analyze"], ["simulate", "--starts", "1", "--t-max", "1"],
                                     ["sweep", "--grid", "K=0:1:2"]])
def test_level_of_an_unapplied_instrument_is_refused(capsys, command):
    code, out, err = run(capsys, command[0], MODEL, "--set", "s=3", *command[1:])
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("coopgame: error: ")
    assert "'s'" in err and "'fund_guarantee'" in err and "--policy fund_guarantee" in err


def test_grid_axis_of_an_unapplied_instrument_is_refused(capsys):
    code, _, err = run(capsys, "sweep", MODEL, "--grid", "s=0:3:4")
    assert code == 2 and "--policy fund_guarantee" in err


def test_the_api_refuses_it_too_and_names_the_argument():
    model = models.get(MODEL)
    with pytest.raises(ParameterError, match=r"policy=\['fund_guarantee'\]"):
        analyze(model, {"s": 3})


def test_with_the_instrument_applied_the_level_is_used(capsys):
    model = models.get(MODEL)
    a = analyze(model, {"s": 3}, policy=["fund_guarantee"], stability=False, thresholds=False)
    assert a.values[model.with_policy("fund_guarantee").symbol("s")] == 3
    code, out, _ = run(capsys, "analyze", MODEL, "--set", "s=3", "--policy", "fund_guarantee", "--no-symbolic")
    assert code == 0 and "s = 3" in out


def test_report_uses_an_instrument_level_in_its_policy_analysis(tmp_path):
    # the report analyses the status quo and the game with every instrument: s belongs to the second
    path = write_report(models.get(MODEL), tmp_path / "r", values={"s": 3}, figures=False)
    text = (path / "report.md").read_text(encoding="utf-8")
    status, policy = text.split("## With every instrument", 1)
    assert "s = 3" in policy and "s = 3" not in status


# ---------------------------------------------------------------------------------- scenario files
@pytest.fixture
def scenario_text():
    return dumps(Scenario.from_model(models.get(MODEL)))


def test_undeclared_name_in_a_payoff_is_a_typo_with_a_suggestion(tmp_path, scenario_text):
    payoff = '"-C_s - K + R_s"'
    assert payoff in scenario_text  # the school's payoff at (deep, participate), the first [[payoffs]]
    path = tmp_path / "typo.toml"
    path.write_text(scenario_text.replace(payoff, '"-C_s - K + R_ss"', 1), encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load(path)
    message = str(info.value)
    assert message.startswith(f"{path}: key 'payoffs[0].values[0]'")
    assert "player 'school'" in message and "(deep, participate)" in message
    assert "'R_ss'" in message and "did you mean R_s?" in message


def test_undeclared_name_reaches_the_command_line_as_one_line(capsys, tmp_path, scenario_text):
    path = tmp_path / "typo.toml"
    path.write_text(scenario_text.replace('"-C_s - K + R_s"', '"-C_s - K + R_ss"', 1), encoding="utf-8")
    code, _, err = run(capsys, "analyze", str(path))
    assert code == 2 and err.count("\n") == 1 and "did you mean R_s?" in err


def test_a_file_without_declared_parameters_still_declares_them_by_use(tmp_path):
    path = tmp_path / "plain.toml"
    path.write_text('players = ["a", "b"]\n[strategies]\na = ["x", "y"]\nb = ["x", "y"]\n'
                    + "".join(f'[[payoffs]]\nprofile = ["{p}", "{q}"]\nvalues = ["{v}", "{v}"]\n'
                              for p, q, v in [("x", "x", "R_ss"), ("x", "y", "0"), ("y", "x", "0"), ("y", "y", "1")]),
                    encoding="utf-8")
    assert [p.name for p in load(path).game.parameters] == ["R_ss"]


# ---------------------------------------------------------------------------------- infeasible thresholds
def test_an_infeasible_threshold_reads_as_a_sentence():
    # A subsidy to the enterprise cannot make (deep, participate) stable when the school's own
    # payoff there, 1, is below its payoff 2 from (shallow, participate): strict Nash needs 1 > 2.
    g = Game(["school", "enterprise"], [["deep", "shallow"], ["participate", "nominal"]],
             {("deep", "participate"): [1, 1], ("deep", "nominal"): [0, 0],
              ("shallow", "participate"): [2, 0], ("shallow", "nominal"): [0, 0]})
    t = minimum_instrument(g.with_policy(Subsidy("enterprise", "s", when={"enterprise": "participate"})),
                           ("deep", "participate"), "s")
    assert t.feasible is sympy.false and t.set is sympy.S.EmptySet
    assert t.infeasible_text() == "no level of s makes (deep, participate) evolutionarily stable"
    assert "EmptySet" not in str(t) and t.infeasible_text() in str(t)


def test_the_command_line_states_infeasible_thresholds_in_words(capsys):
    model = models.get("dual_teachers")
    a = analyze(model, stability=False)
    infeasible = [t for t in a.thresholds if t.threshold.feasible is sympy.false]
    assert infeasible  # the model's default regime: no instrument alone stabilises the target
    code, out, _ = run(capsys, "analyze", "dual_teachers", "--no-symbolic")
    assert code == 0 and "EmptySet" not in out
    target = "(" + ", ".join(model.target) + ")"
    for t in infeasible:
        assert f"no level of {t.parameter} makes {target} evolutionarily stable" in out


# ---------------------------------------------------------------------------------- sweep targets
def test_sweep_of_a_model_uses_its_defaults_like_the_command_line():
    model = models.get(MODEL)
    grid = {"K": [0, 1, 2, 3]}
    present = {p.name for p in model.game.parameters}
    explicit = {k: v for k, v in model.defaults.items() if k.name in present and k.name not in grid}
    by_model = sweep(model, grid, progress=False)
    by_game = sweep(model.game, grid, explicit, progress=False)
    by_scenario = sweep(Scenario.from_model(model), grid, progress=False)
    assert np.array_equal(by_model.data, by_game.data) and np.array_equal(by_scenario.data, by_game.data)
    assert [str(by_model.legend[c]) for c in by_model.data] == [str(by_game.legend[c]) for c in by_game.data]
    # a value given explicitly overrides the default
    changed = sweep(model, grid, {"R_e": 100}, progress=False)
    assert not np.array_equal(changed.data, by_model.data)


def test_sweep_of_a_bare_game_without_values_says_how_to_get_the_defaults():
    with pytest.raises(ParameterError, match=r"sweep\(model, grid\)"):
        sweep(models.get(MODEL).game, {"K": [0, 1]}, progress=False)


def test_sweep_of_a_model_over_an_instrument_level_names_the_instrument():
    with pytest.raises(UnknownNameError, match="with_policy\\('fund_guarantee'\\)"):
        sweep(models.get(MODEL), {"s": [0, 1]}, progress=False)


# ---------------------------------------------------------------------------------- permissions
@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_outputs_get_the_users_normal_permissions(capsys, tmp_path, umask_022):
    npz, csv_file, fig = tmp_path / "map.npz", tmp_path / "map.csv", tmp_path / "map.png"
    assert main(["sweep", MODEL, "--grid", "K=0:1:3", "--grid", "R_e=1:9:3", "--out", str(npz),
                 "--plot", str(fig), "--no-progress"]) == 0
    assert main(["sweep", MODEL, "--grid", "K=0:1:3", "--out", str(csv_file), "--no-progress"]) == 0
    write_report(models.get(MODEL), tmp_path / "rep", figures=False)
    capsys.readouterr()
    for path in (npz, csv_file, fig, tmp_path / "rep" / "report.md"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path
    assert stat.S_IMODE((tmp_path / "rep").stat().st_mode) == 0o755
