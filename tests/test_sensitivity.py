"""Sensitivity analysis: one batch over levels and starts, checked against solve_ivp and exact thresholds."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sympy
from scipy.integrate import solve_ivp

from coopgame import Game, Parameter, models
from coopgame.analysis import minimum_instrument
from coopgame.dynamics.sensitivity import Sensitivity, parameter_field
from coopgame.dynamics.simulate import sample_states
from coopgame.errors import DegenerateGameWarning, ParameterError, UnknownNameError
from coopgame.parameters import NONNEGATIVE, POSITIVE


def _reference(f, y0, times):
    sol = solve_ivp(lambda t, y: f(y[None, :])[0], (0, times[-1]), y0, t_eval=times, rtol=1e-13, atol=1e-15,
                    method="DOP853")
    return sol.y.T


def _gse():
    m = models.get("government_school_enterprise")
    return m, m.with_policy()


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        yield


def test_each_level_equals_solve_ivp_with_the_level_substituted():
    m, g = _gse()
    rd = g.replicator()
    vals = m.values()
    starts = sample_states(rd, 6, np.random.default_rng(3))
    levels = [0, "3/2", 3]
    res = rd.sensitivity("s", levels, vals, starts, t_max=20, n_points=21, rtol=1e-10, atol=1e-12, settle=False)
    assert isinstance(res, Sensitivity)
    for lev, traj in zip(res.levels, res.trajectories):
        at = {**vals, g.symbol("s"): lev[0]}
        f = rd.vector_field(at)  # the field compiled with the level substituted
        worst = max(np.max(np.abs(_reference(f, y0, traj.times) - traj.states[i])) for i, y0 in enumerate(starts))
        assert worst < 1e-7
        assert traj.values[g.symbol("s")] == lev[0]


def test_batch_equals_separate_simulations():
    m, g = _gse()
    rd = g.replicator()
    vals = m.values()
    starts = sample_states(rd, 5, np.random.default_rng(4))
    res = rd.sensitivity("s", [1, 2], vals, starts, t_max=15, n_points=4, rtol=1e-10, atol=1e-12)
    for lev, traj in zip(res.levels, res.trajectories):
        alone = rd.simulate({**vals, g.symbol("s"): lev[0]}, starts, 15, n_points=4, rtol=1e-10, atol=1e-12)
        assert np.max(np.abs(alone.states - traj.states)) < 1e-7
        assert [p and p.label() for p in alone.limits] == [p and p.label() for p in traj.limits]


def test_switching_values_equal_the_minimum_instrument_threshold():
    m, g = _gse()
    rd = g.replicator()
    vals = m.values()
    others = {k: v for k, v in vals.items() if k.name != "s"}
    exact = minimum_instrument(g, m.target, "s", others).set  # (active, deep, participate) stable iff s in (1, 4)
    assert exact == sympy.Interval.open(1, 4)
    res = rd.sensitivity("s", [0, 2, 3, 5], vals, [[0.5, 0.5, 0.5]], t_max=5, n_points=2)
    assert res.thresholds() == (1, 4)
    first, second = res.switches
    assert m.target not in first.before and m.target in first.after
    assert m.target in second.before and m.target not in second.after
    # the stable sets at the levels agree with the exact condition at each level
    for lev, stable in zip(res.levels, res.stable):
        assert (m.target in stable) == bool(exact.contains(lev[0]))


def _school_enterprise():
    return Game(["school", "enterprise"], {"school": ["deep", "shallow"], "enterprise": ["join", "refuse"]},
                {("deep", "join"): ["R - C + f", "V - K + s"], ("deep", "refuse"): ["-C", 0],
                 ("shallow", "join"): ["-f", "s - K"], ("shallow", "refuse"): [0, 0]},
                parameters=[Parameter(n, domain=POSITIVE) for n in "CKRV"]
                + [Parameter("s", domain=NONNEGATIVE), Parameter("f", domain=NONNEGATIVE)])


def test_two_parameters_varied_together():
    g = _school_enterprise()
    rd = g.replicator()
    vals = {"C": 3, "K": 2, "R": 1, "V": 1}
    half = sympy.Rational(3, 2)
    res = rd.sensitivity(("s", "f"), [[0, half], [0, 2, 3]], vals, [[0.6, 0.6]], t_max=30, n_points=11)
    assert len(res) == 6 and res.levels[0] == (0, 0) and res.levels[-1] == (half, 3)
    # (deep, join) is stable iff the school loses by shirking, C - R - 2f < 0 (f > 1), and the
    # enterprise by refusing, K - V - s < 0 (s > 1): the deviation gains read off the payoffs
    for lev, stable in zip(res.levels, res.stable):
        s, f = lev
        assert (("deep", "join") in stable) == (s > 1 and f > 1)
    sw = {(x.parameter.name, x.value, tuple((a.name, b) for a, b in x.fixed)) for x in res.switches}
    assert ("f", 1, (("s", half),)) in sw and ("s", 1, (("f", 3),)) in sw and ("s", 1, (("f", 2),)) in sw
    assert ("f", 1, (("s", 0),)) not in sw  # at s = 0 (deep, join) is never stable: f changes nothing
    assert ("s", 1, (("f", 0),)) not in sw
    f = rd.vector_field({**vals, "s": half, "f": 3})
    ref = _reference(f, np.array([0.6, 0.6]), res.trajectories[-1].times)
    assert np.max(np.abs(ref - res.trajectories[-1].states[0])) < 1e-6


def test_dask_backend_gives_the_same_trajectories():
    pytest.importorskip("dask")
    g = _school_enterprise()
    rd = g.replicator()
    vals = {"C": 3, "K": 2, "R": 1, "V": 1, "f": 3}
    a = rd.sensitivity("s", [0, 2, 4], vals, [[0.6, 0.6], [0.2, 0.9]], t_max=10, n_points=5)
    b = rd.sensitivity("s", [0, 2, 4], vals, [[0.6, 0.6], [0.2, 0.9]], t_max=10, n_points=5, backend="dask",
                       scheduler="synchronous")
    for ta, tb in zip(a.trajectories, b.trajectories):
        assert np.max(np.abs(ta.states - tb.states)) < 1e-7
    assert a.switches == b.switches


def test_parameter_rows_have_zero_derivative():
    g = _school_enterprise().subs({"C": 3, "K": 2, "R": 1, "V": 1})
    rd = g.replicator()
    f = parameter_field(rd, [g.symbol("s"), g.symbol("f")])
    Y = np.array([[0.3, 0.7], [0.4, 0.1], [1.0, 2.0], [0.5, 3.0]])
    out = f(Y)
    assert np.all(out[2:] == 0)
    for j in range(2):
        exact = rd.vector_field({"s": Y[2, j], "f": Y[3, j]})(Y[:2, j][None, :])[0]
        assert np.allclose(out[:2, j], exact, rtol=1e-12, atol=1e-14)


def test_to_dicts_one_row_per_level_and_start():
    g = _school_enterprise()
    res = g.replicator().sensitivity("s", [0, 2], {"C": 3, "K": 2, "R": 1, "V": 1, "f": 3}, [[0.6, 0.6], [0.1, 0.1]],
                                     t_max=10, n_points=3)
    rows = res.to_dicts()
    assert len(rows) == 4 and rows[0]["s"] == 0 and rows[3]["start"] == 1
    assert "| s = 0 |" in res.to_markdown()


def test_bad_input_names_the_offending_item():
    g = _school_enterprise()
    rd = g.replicator()
    vals = {"C": 3, "K": 2, "R": 1, "V": 1, "f": 3}
    with pytest.raises(UnknownNameError, match="'z'"):
        rd.sensitivity("z", [0, 1], vals, [[0.5, 0.5]], t_max=1)
    with pytest.raises(ParameterError, match="'s'"):
        rd.sensitivity("s", [-1, 1], vals, [[0.5, 0.5]], t_max=1)  # s is nonnegative
    with pytest.raises(ParameterError, match="'V'"):
        rd.sensitivity("s", [0, 1], {"C": 3, "K": 2, "R": 1, "f": 3}, [[0.5, 0.5]], t_max=1)
    with pytest.raises(ParameterError, match="outside the state space"):
        rd.sensitivity("s", [0, 1], vals, [[1.5, 0.5]], t_max=1)
    with pytest.raises(ParameterError, match="backend"):
        rd.sensitivity("s", [0, 1], vals, [[0.5, 0.5]], t_max=1, backend="spark")


def test_basins_on_the_dask_backend_count_what_numpy_counts():
    pytest.importorskip("dask")
    g = Game.bimatrix([[2, 0], [0, 1]], [[2, 0], [0, 1]], strategies=[["A", "B"], ["A", "B"]])
    rd = g.replicator()
    a = rd.basins(None, 300, np.random.default_rng(5), chunk_size=100)
    b = rd.basins(None, 300, np.random.default_rng(5), chunk_size=100, backend="dask", scheduler="synchronous")
    assert a.counts == b.counts and a.unresolved == b.unresolved
    with pytest.raises(ParameterError, match="checkpoint"):
        rd.basins(None, 10, 1, backend="dask", out="x.json")


def test_no_deprecated_timeout_is_passed_and_a_given_one_warns():
    g = _school_enterprise()
    rd = g.replicator()
    vals = {"C": 3, "K": 2, "R": 1, "V": 1, "f": 3}
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        rd.sensitivity("s", [0, 2], vals, [[0.6, 0.6]], t_max=5, n_points=3)
        rd.bifurcation("s", vals, lo=0, hi=4)
    with pytest.warns(DeprecationWarning, match="timeout"):
        rd.sensitivity("s", [0, 2], vals, [[0.6, 0.6]], t_max=5, n_points=3, timeout=10)


def test_stable_sets_per_level_equal_the_numeric_tables_at_random_levels():
    # the stable vertices of each level come from the symbolic deviation gains evaluated at the
    # level; they must equal the verdicts of the numeric stability table computed at that level
    m, g = _gse()
    rd = g.replicator()
    vals = m.values()
    rng = np.random.default_rng(11)
    levels = sorted({sympy.Rational(int(v), 8) for v in rng.integers(0, 48, size=5)})
    res = rd.sensitivity("s", levels, vals, [[0.5, 0.5, 0.5]], t_max=2, n_points=2)
    for lev, stable in zip(res.levels, res.stable):
        table = rd.stability({**vals, g.symbol("s"): lev[0]}, include="vertices")
        expected = tuple(r.point.profile for r in table.rows if r.is_stable)
        assert stable == expected, lev
    # the field with s as a state row equals the field compiled at each level
    f = parameter_field(rd, [g.symbol("s")], {k: v for k, v in vals.items() if k.name != "s"})
    n = len(res.levels)
    Y = np.vstack([sample_states(rd, n, rng).T, [[float(lv[0]) for lv in res.levels]]])
    for j in range(n):
        at = rd.vector_field({**vals, g.symbol("s"): res.levels[j][0]}, layout="components")
        assert np.allclose(f(Y)[:3, j], at(Y[:3, j:j + 1])[:, 0], rtol=1e-12, atol=1e-15)


def test_irrational_values_of_the_other_parameters_are_compiled_exactly():
    # with C = sqrt(2) the coefficients of the field are irrational: the field is compiled from the
    # substituted system instead; (deep, join) is stable iff C - R - 2f < 0 and K - V - s < 0
    # (s > 1), (shallow, refuse) iff the enterprise loses by joining, s - K < 0 (s < 2)
    g = _school_enterprise()
    rd = g.replicator()
    vals = {"C": sympy.sqrt(2), "K": 2, "R": 1, "V": 1, "f": 3}
    res = rd.sensitivity("s", [0, 2], vals, [[0.6, 0.6]], t_max=10, n_points=6, rtol=1e-10, atol=1e-12)
    assert [("deep", "join") in st for st in res.stable] == [False, True]
    assert res.thresholds() == (1, 2)
    for lev, traj in zip(res.levels, res.trajectories):
        f = rd.vector_field({**vals, "s": lev[0]})
        ref = _reference(f, np.array([0.6, 0.6]), traj.times)
        assert np.max(np.abs(ref - traj.states[0])) < 1e-7


def test_default_step_per_trajectory_takes_the_steps_of_each_level_alone():
    # With a step size per trajectory (the default) each trajectory takes the steps its own error
    # test allows, as in a run of its level alone; the parameter row changes only the rounding and
    # the initial step's norm, so the counts agree to a step or two. With one step for the batch
    # the hardest trajectory of any level sets every step, so every trajectory takes about as
    # many as the hardest (here each ~180, against 68 to 159 alone).
    m, g = _gse()
    rd = g.replicator()
    vals = m.values()
    starts = np.array([[a, b, c] for a in (0.2, 0.8) for b in (0.2, 0.8) for c in (0.2, 0.8)])
    res = rd.sensitivity("s", [0, 1, 3], vals, starts, t_max=30)
    again = rd.sensitivity("s", [0, 1, 3], vals, starts, t_max=30)
    shared = rd.sensitivity("s", [0, 1, 3], vals, starts, t_max=30, step_control="shared")
    for lev, traj, other, sh in zip(res.levels, res.trajectories, again.trajectories, shared.trajectories):
        assert "a step size per trajectory" in traj.method
        assert np.array_equal(traj.states, other.states)  # deterministic
        alone = rd.simulate({**vals, g.symbol("s"): lev[0]}, starts, 30, step_control="trajectory")
        assert np.all(np.abs(traj.steps - alone.steps) <= 2)
        # the same tolerances: both within rtol-scaled error of each other (and of solve_ivp, above)
        assert np.max(np.abs(traj.final - alone.final)) < 1e-7
        assert np.max(np.abs(traj.final - sh.final)) < 1e-7
        assert sh.steps.min() >= 0.9 * max(t.steps.max() for t in res.trajectories)
