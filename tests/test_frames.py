"""DataFrames, xarray and CSV/Excel export of every table-like result: exact cells kept exact,
numeric cells equal to the exact ones evaluated, axes named after the parameters."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest
import sympy

from coopgame import Game, models
from coopgame.analysis import comparative_statics, minimum_instrument, sweep
from coopgame.cli import main
from coopgame.core.frames import frame, numeric_cell, write_table
from coopgame.policy import Subsidy
from coopgame.report.document import analyze

MODEL = "school_enterprise"
COORD = Game.bimatrix([[2, 0], [0, 1]], [[2, 0], [0, 1]], strategies=[["A", "B"], ["A", "B"]])


def test_payoff_table_round_trip_exact_and_numeric():
    model = models.get(MODEL)
    game = model.game
    df = game.to_dataframe()
    for profile, values in game.payoff_table().items():
        for player, v in zip(game.players, values):
            assert df.loc[profile, f"u({player})"] == v  # the same sympy expression, not its text
    vals = {p.name: v for p, v in ((p, model.defaults[p.symbol]) for p in game.parameters)}
    num = game.to_dataframe(numeric=True, values=vals)
    for profile, values in game.payoff_table().items():
        for player, v in zip(game.players, values):
            exact = v.xreplace({game.symbol(k): sympy.nsimplify(x) for k, x in vals.items()})
            assert num.loc[profile, f"u({player})"] == pytest.approx(float(exact), abs=0, rel=1e-15)


def test_stability_table_frames_keep_conditions_and_verdicts():
    dyn = models.get(MODEL).game.replicator()
    symbolic = dyn.stability(include="vertices")
    df = symbolic.to_dataframe()
    assert len(df) == len(symbolic.rows)
    for (_, row), r in zip(df.iterrows(), symbolic.rows):
        assert row["asymptotically stable iff"] == r.condition
        assert row["rest point"] == sympy.Tuple(*r.point.coordinates.values())
    at = dyn.stability(models.get(MODEL).game.defaults())
    verdicts = at.to_dataframe()["stability"].tolist()
    assert verdicts == [r.stability.value for r in at.rows]


def test_threshold_frame_is_the_exact_answer():
    # minimum_instrument's docstring game: with C = 5 the enterprise needs 2 - C + s > 0, s > 3.
    g = Game(["school", "enterprise"], [["deep", "shallow"], ["participate", "nominal"]],
             {("deep", "participate"): [3, "2 - C"], ("deep", "nominal"): [-1, 0],
              ("shallow", "participate"): [0, "-C"], ("shallow", "nominal"): [0, 0]})
    g = g.with_policy(Subsidy("enterprise", "s", when={"enterprise": "participate"}))
    t = minimum_instrument(g, ("deep", "participate"), "s", values={"C": 5})
    df = t.to_dataframe()
    assert df.loc[0, "infimum"] == 3 and df.loc[0, "infimum attained"] is sympy.false
    assert df.loc[0, "set"] == sympy.Interval.open(3, sympy.oo)
    assert t.to_dataframe(numeric=True).loc[0, "infimum"] == 3.0


def test_comparative_statics_frame():
    # d/dx of the linear threshold C_e + F_e + K - R_e is the coefficient: 1, 1, 1, -1
    expr = sympy.sympify("C_e + F_e + K - R_e")
    table = comparative_statics(expr)
    df = table.to_dataframe()
    assert df["derivative"].to_dict() == {"C_e": 1, "F_e": 1, "K": 1, "R_e": -1}


def test_sweep_frame_and_xarray_axes_named_after_the_parameters():
    grid = {"K": [0, 1, 2, 3], "R_e": [1, 5, 9]}
    r = sweep(models.get(MODEL), grid, progress=False)
    df = r.to_dataframe()
    assert len(df) == 12 and list(df.columns[:2]) == ["K", "R_e"]
    assert df["regime"].tolist() == r.data.ravel().tolist()
    assert df.loc[5, "K"] == sympy.Integer(1) and isinstance(df.loc[5, "K"], sympy.Integer)  # exact axes stay exact
    ds = r.to_xarray()
    assert ds["regime"].dims == ("K", "R_e") and ds["boundary"].dims == ("K", "R_e")
    assert ds["regime"].sel(K=2.0, R_e=9.0).item() == r.data[2, 2]
    assert ds["K"].attrs["exact"] == ["0", "1", "2", "3"]
    arr = r.to_xarray(dataset=False)
    assert arr.name == "regime" and np.array_equal(arr.values, r.data)


def test_trajectory_and_basin_frames():
    dyn = COORD.replicator()
    traj = dyn.simulate(None, [[0.3, 0.6], [0.9, 0.8]], 4.0, n_points=5)
    df = traj.to_dataframe()
    assert len(df) == 2 * 5
    names = [str(s) for s in traj.state]
    assert np.array_equal(df[names].to_numpy().reshape(2, 5, 2), traj.states)
    lim = traj.to_dataframe(limits=True)
    assert [None if pd.isna(x) else x for x in lim["limit"]] == [None if p is None else p.label() for p in traj.limits]
    basins = dyn.basins(None, 30, np.random.default_rng(2), t_max=30.0, progress=False)
    bf = basins.to_dataframe()
    assert bf["starts"].tolist() == [*basins.counts, basins.unresolved] and bf["starts"].sum() == 30


def test_rows_from_to_dicts_of_any_result():
    # case tables and sensitivity results give to_dicts() rows; the helper takes them as they are
    rows = [{"case": sympy.Symbol("a") > 1, "value": sympy.Rational(2, 3)}, {"case": sympy.true, "value": 1}]
    df = frame(rows)
    assert df.loc[0, "value"] == sympy.Rational(2, 3)
    assert frame(rows, numeric=True)["value"].tolist() == [2 / 3, 1]
    assert numeric_cell(rows[0]["case"]) == rows[0]["case"]  # a condition has no number: kept


def test_analysis_exports_to_csv_and_xlsx(tmp_path, capsys):
    a = analyze(models.get(MODEL))
    frames = a.to_dataframes()
    assert set(frames) == {"payoffs", "equilibria", "stability", "stability_at_values", "thresholds"}
    assert main(["analyze", MODEL, "--format", "csv", "--out", str(tmp_path / "a.csv")]) == 0
    text = (tmp_path / "a.csv").read_text()
    assert "# stability_at_values" in text and "asymptotically stable" in text
    assert main(["analyze", MODEL, "--format", "xlsx", "--out", str(tmp_path / "a.xlsx")]) == 0
    sheets = pd.read_excel(tmp_path / "a.xlsx", sheet_name=None)
    assert set(sheets) == set(frames)
    assert sheets["thresholds"]["smallest level"].astype(str).tolist() == [
        str(t.threshold.infimum) for t in a.thresholds]
    assert main(["sweep", MODEL, "--grid", "K=0:1:3", "--out", str(tmp_path / "m.xlsx"), "--quiet"]) == 0
    assert len(pd.read_excel(tmp_path / "m.xlsx")) == 3
    code = main(["analyze", MODEL, "--format", "csv"])
    assert code == 2 and "--out" in capsys.readouterr().err


def test_single_frame_csv_round_trip(tmp_path):
    r = sweep("s > 1", {"s": [0, 1, 2]}, progress=False)
    write_table(r.to_dataframe(), tmp_path / "s.csv")
    back = pd.read_csv(tmp_path / "s.csv")
    assert back["s"].tolist() == [0, 1, 2] and back["holds"].tolist() == [False, False, True]


def test_without_pandas_one_line_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError) as info:
        COORD.to_dataframe()
    assert str(info.value) == "DataFrames need pandas, which is not installed: pip install 'coopgame-vet[pandas]'"
