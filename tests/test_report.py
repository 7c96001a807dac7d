"""Reports: analyses cross-checked against theorems and numbers, JSON rules, figures, atomic writes."""

from __future__ import annotations

import csv
import enum
import io
import json

import numpy as np
import pytest
import sympy

from coopgame import Game, Parameter, models
from coopgame.core.serialize import dumps, to_jsonable
from coopgame.errors import CoopgameError
from coopgame.report.document import OutputError, analyze, write_atomically
from coopgame.report.phase import plot_trajectories, trajectories_csv
from coopgame.scenario import Scenario

PNG = b"\x89PNG\r\n\x1a\n"
FAST_MODELS = ["school_enterprise", "internship", "government_school_enterprise", "dual_teachers"]


@pytest.fixture(scope="module", params=FAST_MODELS)
def analysis(request):
    return analyze(models.get(request.param), policy="all")


def test_stable_vertices_are_exactly_the_strict_equilibria(analysis):
    # Multi-population replicator dynamics: a pure profile is asymptotically stable iff it is a
    # strict Nash equilibrium (Selten 1980). The stability verdicts come from the Jacobian, the
    # equilibrium conditions from deviation inequalities: two independent computations.
    strict = {e.profile for e in analysis.strict_equilibria if analysis.holds(e)}
    for row in analysis.stability_at_values:
        if row.point.profile:
            assert (row.stability.name == "ASYMPTOTICALLY_STABLE") == (row.point.profile in strict), row.point.profile


def test_symbolic_conditions_agree_with_verdicts_at_values(analysis):
    # The exact condition of each vertex, evaluated at the values, gives the numeric verdict.
    if analysis.stability is None:
        pytest.skip("numeric game")
    numeric = {r.point.profile: r.stability.name for r in analysis.stability_at_values if r.point.profile}
    for row in analysis.stability:
        cond = row.condition.xreplace(analysis.values)
        assert cond in (sympy.true, sympy.false), row.condition
        assert bool(cond) == (numeric[row.point.profile] == "ASYMPTOTICALLY_STABLE"), row.point.profile


@pytest.mark.parametrize("name", ["school_enterprise", "government_school_enterprise"])
def test_thresholds_separate_stable_from_unstable_levels(name):
    # Just above the smallest level the target is a strict equilibrium of the game with that
    # instrument; just below it is not (the set found is an interval starting at the infimum).
    model = models.get(name)
    a = analyze(model, stability=False)
    assert a.thresholds, "the model has instruments and a target"
    checked = 0
    for t in a.thresholds:
        th = t.threshold
        if th.feasible is not sympy.true or not th.infimum.is_number:
            continue
        game = model.with_policy(t.instrument)
        vals = {k: v for k, v in model.values().items() if k in set(game.symbols)}
        sym = game.symbol(t.parameter)
        eq = {e.profile: e for e in game.pure_equilibria(strict=True)}.get(model.target)
        assert eq is not None
        eps = sympy.Rational(1, 1000)
        above = {**{k.name: v for k, v in vals.items()}, t.parameter: th.infimum + eps}
        if th.set.contains(th.infimum + eps) is sympy.true:
            assert eq.holds(above)
            checked += 1
        below = th.infimum - eps
        if game.parameter(t.parameter).domain.contains(below):
            assert not eq.holds({**{k.name: v for k, v in vals.items()}, t.parameter: below})
        assert sym.name == t.parameter
    assert checked >= 2
    assert "| instrument | level |" in a.thresholds[0]._repr_markdown_()
    assert r"\begin{tabular" in a.thresholds[0]._repr_latex_()


def test_analysis_renders_in_every_format():
    a = analyze(models.get("school_enterprise"), symbolic=False)
    md = a._repr_markdown_()
    assert "## Analysis of" in md and "| profile | Nash equilibrium iff |" in md
    assert r"\begin{tabular" in a.to_latex()
    assert not any(line.startswith("#") for line in a.to_text().splitlines())
    data = json.loads(dumps(a.to_dict()))
    assert data["scenario"] == "school_enterprise"
    assert a._repr_latex_().startswith("$$")


def test_missing_values_are_named():
    g = Game(["A"], [["x", "y"]], {("x",): ["b"], ("y",): [0]})
    with pytest.raises(CoopgameError, match="no value or default for parameter.*b"):
        analyze(g)


def test_scenario_repr():
    s = Scenario.from_model(models.get("school_enterprise"))
    assert "| parameter | meaning |" in s._repr_markdown_()
    assert s._repr_latex_().startswith("$$")


# ---------------------------------------------------------------------------------- JSON rules
class Colour(enum.Enum):
    RED = 1


def test_to_jsonable_rules():
    x = sympy.Symbol("x", real=True)
    data = {x: sympy.Rational(1, 3), "c": x > 1, "t": sympy.true, "e": Colour.RED, "a": np.arange(3),
            "f": float("nan"), "g": np.float64(0.5), ("p", "q"): (1, 2)}
    assert to_jsonable(data) == {"x": "1/3", "c": "x > 1", "t": True, "e": "RED", "a": [0, 1, 2], "f": None,
                                 "g": 0.5, "p, q": [1, 2]}
    json.dumps(to_jsonable(data), allow_nan=False)


# ---------------------------------------------------------------------------------- figures
@pytest.fixture(scope="module")
def traj2():
    pd = Game.from_arrays([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], players=["A", "B"],
                          strategies=[["C", "D"], ["C", "D"]])
    # t_max = 20: a limit is named only once a trajectory has converged (field speed <= 1e-6 over
    # the last tenth of the run); here 1 - x decays like exp(-t), so t = 10 is not yet converged
    return pd.replicator().simulate(None, [[0.9, 0.9], [0.5, 0.2]], t_max=20, n_points=21)


@pytest.mark.parametrize(("suffix", "magic"), [(".png", PNG), pytest.param(".svg", b"<?xml", marks=pytest.mark.slow),
                                              pytest.param(".pdf", b"%PDF", marks=pytest.mark.slow)])
def test_figures_have_the_right_format_and_are_reproducible(traj2, tmp_path, suffix, magic):
    a, b = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    fig = plot_trajectories(traj2, a, title="PD")
    plot_trajectories(traj2, b, title="PD")
    assert fig.axes and fig._suptitle.get_text() == "PD"
    assert a.read_bytes().startswith(magic) and a.stat().st_size > 1000
    assert a.read_bytes() == b.read_bytes()


def test_one_population_time_paths(tmp_path):
    g = Game(["firm"], [["train", "idle"]], {("train",): [1], ("idle",): [0]})
    traj = g.replicator().simulate(None, [[0.2]], t_max=5, n_points=11)
    plot_trajectories(traj, tmp_path / "one.png")
    assert (tmp_path / "one.png").read_bytes().startswith(PNG)


def test_unknown_figure_format(traj2, tmp_path):
    with pytest.raises(OutputError, match="unknown format '.gif'"):
        plot_trajectories(traj2, tmp_path / "x.gif")


def test_trajectories_csv_holds_the_states(traj2):
    rows = list(csv.reader(io.StringIO(trajectories_csv(traj2))))
    assert rows[0] == ["trajectory", "time", "x_A", "x_B", "limit"]
    body = rows[1:]
    assert len(body) == 2 * 21
    states = np.array([[float(v) for v in r[2:4]] for r in body]).reshape(2, 21, 2)
    assert np.array_equal(states, np.asarray(traj2.states))  # repr of floats round-trips exactly
    assert {r[4] for r in body} == {"(D, D)"}  # the prisoner's dilemma ends in mutual defection


# ---------------------------------------------------------------------------------- atomic writes
def test_write_atomically_replaces_only_when_complete(tmp_path):
    dest = tmp_path / "out"
    dest.mkdir()
    (dest / "old.txt").write_text("old")

    def fails(tmp):
        (tmp / "half.txt").write_text("half")
        raise CoopgameError("stop")

    with pytest.raises(CoopgameError, match="stop"):
        write_atomically(dest, fails)
    assert [p.name for p in tmp_path.iterdir()] == ["out"] and (dest / "old.txt").read_text() == "old"
    write_atomically(dest, lambda tmp: (tmp / "new.txt").write_text("new"))
    assert sorted(p.name for p in dest.iterdir()) == ["new.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_write_atomically_refuses_a_file_in_the_way(tmp_path):
    blocker = tmp_path / "x"
    blocker.write_text("")
    with pytest.raises(OutputError, match="a file of that name exists"):
        write_atomically(blocker, lambda tmp: None)


def test_parameter_table_lists_meanings():
    from coopgame.report.document import parameters_latex, parameters_markdown

    p = Parameter("tau", "tax relief rate", "share", "probability", "1/4", "Du2022 4.2.3")
    assert "| tau | tax relief rate | share | probability [0, 1] | 1/4 | Du2022 4.2.3 |" in parameters_markdown([p])
    assert r"$\tau$" in parameters_latex([p])
