"""Tests of the vectorised integrator, trajectories and basins (coopgame.dynamics.simulate)."""

from __future__ import annotations

import dataclasses
import itertools

import nashpy
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp

from coopgame import Game
from coopgame.dynamics import Stability
from coopgame.dynamics.simulate import dormand_prince, projector, sample_states
from coopgame.errors import ParameterError, SolverError
from coopgame.testing import games


def _three_population_game():
    # distinct payoffs per player (a fixed permutation of 0..7): no payoff ties
    rng = np.random.default_rng(11)
    arrays = [rng.permutation(8).reshape(2, 2, 2) - 3 for _ in range(3)]
    return Game.from_arrays(arrays, players=["G", "S", "E"], strategies=[["g0", "g1"], ["s0", "s1"], ["e0", "e1"]])


def _games_of_shapes(generic=False):
    """Random numeric games of two or three players with two or three strategies each."""
    return st.sampled_from([[2, 2], [3, 2], [2, 2, 2], [3, 3]]).flatmap(
        lambda shape: games(players=len(shape), strategies=shape, generic=generic))


def _reference(f, y0, times):
    sol = solve_ivp(lambda t, y: f(y[None, :])[0], (0, times[-1]), y0, t_eval=times, rtol=1e-13, atol=1e-15,
                    method="DOP853")
    return sol.y.T


def test_integrator_on_linear_decay():
    # y' = -y, y(0) = y0: y(t) = y0 exp(-t) (analytic); per-trajectory steps, common output grid.
    y0 = np.array([[1.0], [0.5], [2.0]])
    times = np.linspace(0, 5, 11)
    states, steps, _ = dormand_prince(lambda y: -y, y0, times, rtol=1e-10, atol=1e-12)
    exact = y0[:, None, :] * np.exp(-times)[None, :, None]
    assert np.max(np.abs(states - exact)) < 1e-9
    assert np.all(steps > 0)


def test_three_populations_match_solve_ivp():
    g = _three_population_game()
    rd = g.replicator()
    starts = sample_states(rd, 15, np.random.default_rng(1))
    traj = rd.simulate(None, starts, 30, n_points=31, rtol=1e-10, atol=1e-12)
    f = rd.vector_field()
    worst = max(np.max(np.abs(_reference(f, y0, traj.times) - traj.states[i])) for i, y0 in enumerate(starts))
    assert worst < 1e-7


def test_two_populations_match_nashpy_asymmetric_replicator_dynamics():
    # nashpy integrates full share vectors (x over the row strategies, y over the columns);
    # coopgame's reduced coordinates are the shares of all but the last strategy.
    A = np.array([[3, 0, 1], [1, 2, 0], [0, 1, 2]])
    B = np.array([[1, 2, 0], [0, 1, 3], [2, 0, 1]])
    g = Game.bimatrix(A, B, strategies=[["u", "m", "d"], ["l", "c", "r"]])
    times = np.linspace(0, 10, 101)
    x0, y0 = np.array([0.2, 0.5, 0.3]), np.array([0.6, 0.1, 0.3])
    xs, ys = nashpy.Game(A, B).asymmetric_replicator_dynamics(x0=x0, y0=y0, timepoints=times)
    traj = g.replicator().simulate(None, np.r_[x0[:2], y0[:2]], 10, t_eval=times, rtol=1e-10, atol=1e-12)
    ours = traj.states[0]
    assert np.max(np.abs(ours[:, :2] - xs[:, :2])) < 1e-6
    assert np.max(np.abs(ours[:, 2:] - ys[:, :2])) < 1e-6


def test_states_stay_in_the_simplex():
    A = np.array([[0, -1, 1], [1, 0, -1], [-1, 1, 0]])
    g = Game.bimatrix(A, -A, strategies=[["R", "P", "S"], ["R", "P", "S"]])
    rd = g.replicator()
    starts = sample_states(rd, 200, np.random.default_rng(5))
    starts[:10, 0] = 0.0  # on the boundary
    starts[10:20, :2] = [1.0, 0.0]  # at a vertex of the first simplex
    traj = rd.simulate(None, starts, 60, rtol=1e-6, atol=1e-8)
    S = traj.states
    for block in (S[..., :2], S[..., 2:]):
        assert np.all(block >= 0) and np.all(block.sum(axis=-1) <= 1 + 1e-12)
    # boundary faces are invariant: a share that starts at 0 stays 0
    assert np.all(S[:10, :, 0] == 0)


def test_projector_clips_and_renormalises():
    A = np.eye(3)
    rd = Game.bimatrix(A, A).replicator()
    proj = projector(rd)
    Y = np.array([[-0.1, 0.5, 0.7, 0.6], [0.2, 0.3, 0.1, 0.1]])
    P = proj(Y)
    assert np.allclose(P[0], [0.0, 0.5, 0.7 / 1.3, 0.6 / 1.3])
    assert np.array_equal(P[1], Y[1])


def test_start_near_stable_vertex_converges_and_is_an_ess():
    g = _three_population_game()
    rd = g.replicator()
    table = rd.stability()
    stable = [r.point for r in table.rows if r.stability is Stability.ASYMPTOTICALLY_STABLE]
    assert stable  # the example game has a strict equilibrium
    ess = {e.profile for e in rd.ess({})}
    rng = np.random.default_rng(2)
    for point in stable:
        centre = point.as_array()
        starts = np.clip(centre + rng.uniform(-0.05, 0.05, size=(20, 3)), 0, 1)
        traj = rd.simulate(None, starts, 100)
        assert all(lim == point for lim in traj.limits)
        assert np.max(np.abs(traj.final - centre)) < 1e-3
        assert point.profile in ess


def test_limits_found_by_simulation_are_ess():
    g = _three_population_game()
    rd = g.replicator()
    traj = rd.simulate(None, sample_states(rd, 300, np.random.default_rng(9)), 200)
    ess = {e.profile for e in rd.ess()}
    reached = {lim.profile for lim in traj.limits if lim is not None and lim.kind == "vertex"}
    assert reached and reached <= ess


def test_basins_of_symmetric_coordination_game():
    # x' = x(1-x)(2y-1), y' = y(1-y)(2x-1): the anti-diagonal x + y = 1 is invariant and is the
    # stable manifold of the saddle (1/2, 1/2); starts with x + y > 1 go to (A, A), below to (B, B).
    g = Game.bimatrix([[1, 0], [0, 1]], [[1, 0], [0, 1]], strategies=[["A", "B"], ["A", "B"]])
    rd = g.replicator()
    res = rd.basins(None, 400, np.random.default_rng(4), t_max=200)
    assert [p.profile for p in res.points] == [("A", "A"), ("B", "B")]
    starts = sample_states(rd, 400, np.random.default_rng(4))
    above = int(np.sum(starts.sum(axis=1) > 1))
    assert res.counts == (above, 400 - above)
    assert res.unresolved == 0
    assert abs(res.share(("A", "A")) - 0.5) < 4 * res.standard_errors[0]
    assert "stable rest point" in res.to_markdown()


def test_trajectories_are_frozen_and_read_only():
    rd = _three_population_game().replicator()
    traj = rd.simulate(None, [[0.5, 0.5, 0.5]], 5)
    assert traj.states.shape == (1, 101, 3) and traj.final.shape == (1, 3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        traj.final = None
    with pytest.raises(ValueError):
        traj.states[0, 0, 0] = 1.0


def test_bad_simulation_input_raises_named_errors():
    rd = _three_population_game().replicator()
    with pytest.raises(ParameterError, match="initial state 1"):
        rd.simulate(None, [[0.5, 0.5, 0.5], [1.2, 0.5, 0.5]], 5)
    with pytest.raises(ParameterError, match="shape"):
        rd.simulate(None, [[0.5, 0.5]], 5)
    with pytest.raises(ParameterError, match="t_max"):
        rd.simulate(None, [[0.5, 0.5, 0.5]], -1)
    with pytest.raises(ParameterError, match="rng"):
        rd.basins(None, 10, None)
    a = Game.bimatrix([["a", 0], [0, 1]], [[1, 0], [0, 1]]).replicator()
    with pytest.raises(ParameterError, match="'a'"):
        a.simulate(None, [[0.5, 0.5]], 5)


@pytest.mark.parametrize("control", ["shared", "trajectory"])
def test_both_step_controls_match_solve_ivp(control):
    # Three populations (one coordinate each) and a 3x3 bimatrix game (two simplices in reduced
    # coordinates); reference: solve_ivp DOP853 at rtol 1e-13 per start. Bound: the local
    # tolerance 1e-10 amplified along start 5 of the first game, which passes near a saddle
    # (measured: 2.4e-9 with a shared step, 9.5e-8 with a step per trajectory); 2e-7 leaves a
    # factor of two.
    A = np.array([[3, 0, 1], [1, 2, 0], [0, 1, 2]])
    B = np.array([[1, 2, 0], [0, 1, 3], [2, 0, 1]])
    for g in (_three_population_game(), Game.bimatrix(A, B, strategies=[["u", "m", "d"], ["l", "c", "r"]])):
        rd = g.replicator()
        starts = sample_states(rd, 12, np.random.default_rng(7))
        traj = rd.simulate(None, starts, 20, n_points=41, rtol=1e-10, atol=1e-12, step_control=control)
        f = rd.vector_field()
        worst = max(np.max(np.abs(_reference(f, y0, traj.times) - traj.states[i])) for i, y0 in enumerate(starts))
        assert worst < 2e-7
        assert ("batch" in traj.method) == (control == "shared")


def test_shared_steps_are_common_and_trajectory_steps_differ():
    # With one step size for the batch every trajectory takes the same accepted steps; with a
    # step size per trajectory a start at a rest point (a pure vertex) needs fewer steps than one
    # in the interior. (Without holding: held trajectories stop stepping.)
    rd = _three_population_game().replicator()
    starts = np.array([[0.0, 0.0, 0.0], [0.3, 0.6, 0.2], [0.7, 0.1, 0.9]])
    shared = rd.simulate(None, starts, 10, step_control="shared", settle=False)
    per = rd.simulate(None, starts, 10, step_control="trajectory", settle=False)
    assert len(set(shared.steps.tolist())) == 1
    assert per.steps[0] < per.steps[1] and per.steps[0] < per.steps[2]
    assert np.max(np.abs(shared.states - per.states)) < 1e-6


@pytest.mark.parametrize("control", ["shared", "trajectory"])
def test_a_start_at_a_stable_vertex_is_held_after_one_step(control):
    # (0, 0, 0) is asymptotically stable in this game (the test above shows it is a rest point;
    # the assertion on the table checks stability): with settle=True that start is held after its
    # first accepted step, and keeps its state, while the others are still integrated.
    rd = _three_population_game().replicator()
    table = rd.stability(include="vertices")
    assert (0, 0, 0) in [p.point for p in table.stable_points()]
    starts = np.array([[0.0, 0.0, 0.0], [0.3, 0.6, 0.2], [0.7, 0.1, 0.9]])
    traj = rd.simulate(None, starts, 10, step_control=control)
    assert traj.settle and not rd.simulate(None, starts, 1, settle=False).settle
    assert traj.steps[0] == 1 and traj.steps[1] > 1 and traj.steps[2] > 1
    assert np.all(traj.states[0] == 0.0)


def test_dormand_prince_layouts_agree():
    # The same integration with the field and projector given per state (k, dim) or per
    # component (dim, k): the arithmetic is the same, so the results agree to round-off.
    rd = _three_population_game().replicator()
    starts = sample_states(rd, 25, np.random.default_rng(3))
    times = np.linspace(0, 15, 16)
    for control in ("shared", "trajectory"):
        a, steps_a, _ = dormand_prince(rd.vector_field(), starts, times, project=projector(rd),
                                       step_control=control)
        b, steps_b, _ = dormand_prince(rd.vector_field(layout="components"), starts, times,
                                       project=projector(rd, "components"), layout="components",
                                       step_control=control)
        assert np.array_equal(steps_a, steps_b)
        assert np.max(np.abs(a - b)) < 1e-12


def test_step_limits_raise_solver_errors_naming_the_trajectory():
    rd = _three_population_game().replicator()
    starts = sample_states(rd, 5, np.random.default_rng(1))
    with pytest.raises(SolverError, match=r"more than 3 steps.*trajectory \d"):
        rd.simulate(None, starts, 50, max_steps=3)
    with pytest.raises(SolverError, match=r"trajectory \d+ needed more than 3 steps"):
        rd.simulate(None, starts, 50, max_steps=3, step_control="trajectory")
    with pytest.raises(ParameterError, match="step_control"):
        rd.simulate(None, starts, 5, step_control="adaptive")
    with pytest.raises(ParameterError, match="layout"):
        dormand_prince(lambda y: -y, starts, [0, 1], layout="rows")


def test_basin_share_matches_the_first_integral():
    # x' = x(1-x)(3y-1), y' = y(1-y)(3x-1) (coordination, payoffs 2 and 1) separates:
    # (3x-1)/(x(1-x)) dx = (3y-1)/(y(1-y)) dy, so F(x) - F(y) with F(x) = -ln x - 2 ln(1-x) is
    # constant on trajectories. The stable manifold of the saddle (1/3, 1/3) is the branch
    # x = s(y) of F(x) = F(y) other than the diagonal, and the basin of (B, B) is {x < s(y)}, of
    # area A = integral_0^1 s(y) dy (computed here by root finding and quadrature, A = 0.2636).
    # Uniform starts on the unit square: the simulated share must lie within 4 standard errors.
    from scipy.integrate import quad
    from scipy.optimize import brentq

    def F(x):
        return -np.log(x) - 2 * np.log1p(-x)

    def s(y):
        if abs(y - 1 / 3) < 1e-12:
            return 1 / 3
        lo, hi = (1 / 3, 1 - 1e-15) if y < 1 / 3 else (1e-300, 1 / 3)
        return brentq(lambda x: F(x) - F(y), lo, hi, xtol=1e-14)

    area, _ = quad(s, 1e-12, 1 - 1e-12, points=[1 / 3], limit=200)
    g = Game.bimatrix([[2, 0], [0, 1]], [[2, 0], [0, 1]], strategies=[["A", "B"], ["A", "B"]])
    res = g.replicator().basins(None, 2000, np.random.default_rng(12), t_max=200)
    assert res.unresolved == 0
    share = res.share(("B", "B"))
    se = np.sqrt(area * (1 - area) / 2000)
    assert abs(share - area) < 4 * se
    assert abs(area - 0.2636) < 1e-4


@pytest.mark.slow  # a long property test / end-to-end run: `pytest -m slow`, CI
@pytest.mark.filterwarnings("ignore::coopgame.errors.DegenerateGameWarning")  # rest-point labels only
@settings(max_examples=25, deadline=None)
@given(_games_of_shapes(), st.integers(0, 2**32 - 1), st.sampled_from(["shared", "trajectory"]))
def test_random_games_stay_in_the_simplex_and_match_solve_ivp(game, seed, control):
    # Invariants for any game: every output state lies in the product of simplices, and the
    # trajectories agree with solve_ivp (DOP853, rtol 1e-13) started from the same states. Short
    # horizon (t = 2) so that round-off amplified near saddles stays far below the 1e-6 bound.
    rd = game.replicator()
    starts = sample_states(rd, 8, np.random.default_rng(seed))
    starts[0] = np.round(starts[0])  # a vertex or a boundary point of each role's simplex
    traj = rd.simulate(None, starts, 2, n_points=11, rtol=1e-10, atol=1e-12, step_control=control)
    start = 0
    for coords in rd.coordinates:
        m = len(coords)
        block = traj.states[..., start:start + m]
        assert np.all(block >= 0) and np.all(block.sum(axis=-1) <= 1 + 1e-12)
        start += m
    f = rd.vector_field()
    worst = max(np.max(np.abs(_reference(f, y0, traj.times) - traj.states[i])) for i, y0 in enumerate(starts))
    assert worst < 1e-6


@pytest.mark.parametrize("control", ["shared", "trajectory"])
def test_game_with_one_strategy_per_role_has_a_zero_dimensional_state(control):
    # One strategy per role: the state space is a single point (the only profile), which every
    # trajectory "approaches" and which is the whole basin.
    g = Game.from_arrays([[[1]], [[2]]], players=["A", "B"], strategies=[["a"], ["b"]])
    rd = g.replicator()
    traj = rd.simulate(None, np.empty((3, 0)), 5, step_control=control)
    assert traj.states.shape == (3, 101, 0)
    assert [lim.profile for lim in traj.limits] == [("a", "b")] * 3
    assert rd.basins(None, 10, 1, step_control=control).shares == (1.0,)


def test_oversized_runs_are_refused_before_any_work():
    # Memory bound of simulate: 8 bytes x dim x k x (T + 13) (output, the nine stage rows and
    # three work rows); the basins sample bound; and a time budget must be positive.
    from coopgame.errors import ResourceLimitError

    rd = _three_population_game().replicator()
    starts = sample_states(rd, 100, np.random.default_rng(0))
    with pytest.raises(ResourceLimitError, match="100 trajectories with 101 output times"):
        rd.simulate(None, starts, 5, max_memory=8 * 3 * 100 * (101 + 13) - 1)
    rd.simulate(None, starts, 5, max_memory=8 * 3 * 100 * (101 + 13))
    with pytest.raises(ResourceLimitError, match="samples=1000000000000"):
        rd.basins(None, 10**12, 1)
    with pytest.raises(ParameterError, match="samples"):
        rd.basins(None, "10", 1)
    with pytest.warns(DeprecationWarning, match="timeout"):
        rd.rest_points(timeout=-1)  # deprecated and ignored: the search is bounded by work


def test_basins_in_chunks_count_every_sample():
    # Chunked draws (chunk_size 7 for 50 samples: 8 chunks) still integrate every start once: on
    # the coordination game of test_basin_share_matches_the_first_integral no start is
    # unresolved, so the counts add up to the samples; one chunk gives the unchunked draw.
    g = Game.bimatrix([[2, 0], [0, 1]], [[2, 0], [0, 1]], strategies=[["A", "B"], ["A", "B"]])
    rd = g.replicator()
    res = rd.basins(None, 50, np.random.default_rng(3), chunk_size=7)
    assert sum(res.counts) == 50 and res.unresolved == 0
    whole = rd.basins(None, 50, np.random.default_rng(3))
    starts = sample_states(rd, 50, np.random.default_rng(3))
    ends = rd.simulate(None, starts, 200, n_points=2).limits
    assert whole.counts == tuple(sum(1 for e in ends if e.profile == p) for p in [("A", "A"), ("B", "B")])


def test_basins_checkpoint_resumes_to_the_uninterrupted_result(tmp_path, monkeypatch):
    # A run interrupted after some chunks and resumed from its checkpoint must give the counts of
    # an uninterrupted run (same seed); the checkpoint refuses a different run and a bad file.
    import json
    import sys

    import coopgame.dynamics.simulate  # noqa: F401 (the module, not the function of that name)

    module = sys.modules["coopgame.dynamics.simulate"]
    g = Game.bimatrix([[2, 0], [0, 1]], [[2, 0], [0, 1]], strategies=[["A", "B"], ["A", "B"]])
    rd = g.replicator()
    whole = rd.basins(None, 60, 11, chunk_size=10)
    path = tmp_path / "basins.json"
    calls = {"n": 0}
    real = module.simulate

    def interrupted(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(module, "simulate", interrupted)
    with pytest.raises(KeyboardInterrupt):
        rd.basins(None, 60, 11, chunk_size=10, out=path, checkpoint_seconds=0)
    saved = json.loads(path.read_text())
    assert saved["done"] == 30 and sum(saved["counts"]) <= 30
    monkeypatch.setattr(module, "simulate", real)
    resumed = rd.basins(None, 60, 11, chunk_size=10, out=path)
    assert resumed.counts == whole.counts and resumed.unresolved == whole.unresolved
    assert json.loads(path.read_text())["done"] == 60
    with pytest.raises(ParameterError, match="different basins run"):
        rd.basins(None, 60, 12, chunk_size=10, out=path)
    path.write_text("{not json")
    with pytest.raises(ParameterError, match="not a readable basins checkpoint"):
        rd.basins(None, 60, 11, chunk_size=10, out=path)
    with pytest.raises(ParameterError, match=".json"):
        rd.basins(None, 60, 11, out=tmp_path / "basins.csv")


def test_basins_checkpoint_with_array_valued_generator_state(tmp_path, monkeypatch):
    # MT19937 keeps its state in a numpy array: the checkpoint stores it as a list and restores it.
    # A finished checkpoint is read back without integrating anything.
    import sys

    module = sys.modules["coopgame.dynamics.simulate"]
    g = Game.bimatrix([[2, 0], [0, 1]], [[2, 0], [0, 1]], strategies=[["A", "B"], ["A", "B"]])
    rd = g.replicator()

    def mt():
        return np.random.Generator(np.random.MT19937(3))

    path = tmp_path / "mt.json"
    whole = rd.basins(None, 40, mt(), chunk_size=10)
    first = rd.basins(None, 40, mt(), chunk_size=10, out=path)
    assert first.counts == whole.counts

    def fail(*args, **kwargs):
        raise AssertionError("a finished run was integrated again")

    monkeypatch.setattr(module, "simulate", fail)
    again = rd.basins(None, 40, mt(), chunk_size=10, out=path)
    assert again.counts == whole.counts and again.unresolved == whole.unresolved


def test_basins_integer_seed_is_one_generator_for_the_run():
    # An integer seed makes one generator for the whole run (not one per chunk), so the result
    # equals that of the generator made from the seed.
    g = Game.bimatrix([[2, 0], [0, 1]], [[2, 0], [0, 1]], strategies=[["A", "B"], ["A", "B"]])
    rd = g.replicator()
    by_seed = rd.basins(None, 60, 7, chunk_size=10)
    by_generator = rd.basins(None, 60, np.random.default_rng(7), chunk_size=10)
    assert by_seed.counts == by_generator.counts


@pytest.mark.slow  # a long property test / end-to-end run: `pytest -m slow`, CI
@pytest.mark.filterwarnings("ignore::coopgame.errors.DegenerateGameWarning")  # rest-point labels only
@settings(max_examples=25, deadline=None)
@given(_games_of_shapes(generic=True), st.integers(0, 2**32 - 1))
def test_holding_at_stable_vertices_changes_outputs_within_the_tolerance(game, seed):
    # With a step size per trajectory, a trajectory's steps do not depend on the others, so with
    # and without holding the runs agree exactly until a trajectory is held. From then on the held
    # state stays within atol of the stable vertex, and the integrated one within the error the
    # test allows there, atol + rtol * |v| <= atol + rtol: the two differ by at most a few times
    # that (bound 10 (atol + rtol)). Long horizon (t = 40) so that most trajectories arrive.
    rd = game.replicator()
    rtol, atol = 1e-7, 1e-9
    starts = sample_states(rd, 16, np.random.default_rng(seed))
    kw = {"n_points": 41, "rtol": rtol, "atol": atol, "step_control": "trajectory"}
    held = rd.simulate(None, starts, 40, **kw)
    free = rd.simulate(None, starts, 40, settle=False, **kw)
    assert np.max(np.abs(held.states - free.states)) <= 10 * (atol + rtol)
    assert np.all(held.steps <= free.steps)
    stable = [p.as_array() for p in rd.stability().stable_points() if p.kind == "vertex"]
    for i in np.flatnonzero(held.steps < free.steps):  # the held ones end within atol of a stable vertex
        assert min(np.max(np.abs(held.final[i] - v)) for v in stable) <= atol
    # Limits agree, except that a held trajectory has arrived (its speed is that at the vertex,
    # about |eigenvalue| * atol) while the free one may still be closing in at more than speed_tol
    # on the last stretch: then the free run leaves it unlabelled and the held run labels it with
    # the stable vertex it was held at.
    for i, (h, f) in enumerate(zip(held.limits, free.limits)):
        if f is not None:
            assert h == f
        elif h is not None:
            assert held.steps[i] < free.steps[i] and h.kind == "vertex"
            assert any(np.array_equal(h.as_array(), v) for v in stable)
            assert np.max(np.abs(held.final[i] - h.as_array())) <= atol


@pytest.mark.parametrize("control", ["shared", "trajectory"])
def test_holding_on_linear_decay_matches_the_exact_solution(control):
    # y' = -r y with rates r = (1, 3) has the exact solution y0 exp(-r t) and the stable rest
    # point 0. Starts from 1e-8 to 1 in size: the small ones are held as soon as they are within
    # atol of 0, and every output stays within the tolerance of the exact solution (bound
    # 10 (atol + rtol |y|), a contracting system keeps its global error at the local tolerance).
    rates = np.array([[1.0], [3.0]])

    def f(Y, out=None):
        return np.multiply(Y, -rates, out=out)

    sizes = np.logspace(-8, 0, 40)
    y0 = np.column_stack([sizes, sizes[::-1]])
    times = np.linspace(0, 30, 31)
    rtol, atol = 1e-7, 1e-9
    kw = {"rtol": rtol, "atol": atol, "layout": "components", "step_control": control}
    held, steps, _ = dormand_prince(f, y0, times, settle=[[0.0, 0.0]], **kw)
    free, free_steps, _ = dormand_prince(f, y0, times, **kw)
    exact = y0[:, None, :] * np.exp(-rates.T[None, :, :] * times[None, :, None])
    assert np.all(np.abs(held - exact) <= 10 * (atol + rtol * np.abs(exact)))
    assert np.all(np.abs(free - exact) <= 10 * (atol + rtol * np.abs(exact)))
    assert np.all(steps <= free_steps) and steps.min() < free_steps.min()
    held_ones = steps < free_steps
    assert np.all(np.max(np.abs(held[held_ones, -1]), axis=1) <= atol)


@pytest.mark.slow  # a long property test / end-to-end run: `pytest -m slow`, CI
@pytest.mark.filterwarnings("ignore::coopgame.errors.DegenerateGameWarning")  # rest-point labels only
@settings(max_examples=25, deadline=None)
@given(_games_of_shapes(generic=True), st.integers(0, 2**32 - 1))
def test_holding_with_a_shared_step_matches_solve_ivp(game, seed):
    # Half the starts lie 1e-6 from a stable vertex (inside the state space), so they are held
    # within the horizon (atol 1e-8); after that the others take the steps their own error tests
    # allow. Every output, held or not, agrees with solve_ivp (DOP853, rtol 1e-13) to 1e-6, as
    # in the test without holding above (same short horizon, t = 2), and stays in the state space.
    rd = game.replicator()
    stable = [p.as_array() for p in rd.stability().stable_points() if p.kind == "vertex"]
    rng = np.random.default_rng(seed)
    starts = sample_states(rd, 16, rng)
    for i, v in zip(range(8), itertools.cycle(stable or [None])):
        if v is not None:
            starts[i] = v + 1e-6 * (starts[i] - v)
    traj = rd.simulate(None, starts, 2, n_points=11, rtol=1e-10, atol=1e-8)
    assert np.all(traj.states >= 0) and np.all(traj.states <= 1)
    f = rd.vector_field()
    worst = max(np.max(np.abs(_reference(f, y0, traj.times) - traj.states[i])) for i, y0 in enumerate(starts))
    assert worst < 1e-6


# ---------------------------------------------------------------- chunks, checkpoints and resume
# The coordination game with payoffs 2 on (A, A) and 1 on (B, B) for both players: two stable
# vertices, so trajectories are held at either (settle) and the chunks differ in work.
_COORD = Game.bimatrix([[2, 0], [0, 1]], [[2, 0], [0, 1]], strategies=[["A", "B"], ["A", "B"]])


def _crash_after(monkeypatch, k):
    """Make the (k + 1)-th chunk's integration fail, as a killed process would stop there."""
    import importlib

    sim = importlib.import_module("coopgame.dynamics.simulate")  # the module, not the function
    real, calls = dormand_prince, []

    def counted(*args, **kwargs):
        calls.append(len(args[1]))
        if len(calls) > k:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(sim, "dormand_prince", counted)
    return calls


@pytest.mark.parametrize("control", ["shared", "trajectory"])
def test_chunks_are_independent_batches(control):
    # Chunk i of a chunked run is the batch of its own starts: the same states, bit for bit, as
    # simulating those starts alone (the step size of a shared step depends on its batch only).
    rd = _COORD.replicator()
    starts = sample_states(rd, 10, np.random.default_rng(2))
    whole = rd.simulate(None, starts, 20, n_points=11, chunk_size=4, step_control=control)
    for a in (0, 4, 8):
        alone = rd.simulate(None, starts[a:a + 4], 20, n_points=11, step_control=control)
        assert np.array_equal(whole.states[a:a + 4], alone.states)
        assert np.array_equal(whole.steps[a:a + 4], alone.steps)
    # more starts than a chunk changes the states only within the tolerances (rtol 1e-8, atol 1e-10)
    one = rd.simulate(None, starts, 20, n_points=11, chunk_size=None, step_control=control)
    assert np.max(np.abs(one.states - whole.states)) < 1e-7


@pytest.mark.parametrize("control", ["shared", "trajectory"])
def test_interrupted_run_resumes_to_the_uninterrupted_result(monkeypatch, tmp_path, control):
    rd = _COORD.replicator()
    starts = sample_states(rd, 11, np.random.default_rng(4))
    kw = {"n_points": 21, "chunk_size": 3, "step_control": control}  # 4 chunks: 3, 3, 3, 2 starts
    reference = rd.simulate(None, starts, 30, **kw)
    calls = _crash_after(monkeypatch, 2)
    with pytest.raises(KeyboardInterrupt):
        rd.simulate(None, starts, 30, out=tmp_path / "run", **kw)
    assert sorted(p.name for p in (tmp_path / "run").iterdir()) == ["chunk-00000.npz", "chunk-00001.npz",
                                                                    "manifest.json"]
    calls = _crash_after(monkeypatch, 10)
    resumed = rd.simulate(None, starts, 30, out=tmp_path / "run", **kw)
    assert calls == [3, 2]  # only the chunks not done
    assert np.array_equal(resumed.states, reference.states) and np.array_equal(resumed.steps, reference.steps)
    assert resumed.limits == reference.limits
    calls.clear()
    again = rd.simulate(None, starts, 30, out=tmp_path / "run", **kw)  # finished: nothing integrated
    assert calls == [] and np.array_equal(again.states, reference.states)


def test_a_different_run_in_the_same_folder_is_refused(tmp_path, monkeypatch):
    g = Game(["A", "B"], [["x", "y"], ["x", "y"]],
             {("x", "x"): ["a", "a"], ("x", "y"): [0, 0], ("y", "x"): [0, 0], ("y", "y"): [1, 1]})
    rd = g.replicator()
    starts = sample_states(rd, 4, np.random.default_rng(1))
    out = tmp_path / "run"
    rd.simulate({"a": 2}, starts, 5, n_points=3, out=out, chunk_size=2)
    with pytest.raises(ParameterError, match=r"holds a different run \(t_max: 5.0 there, 6.0 here; times: "):
        rd.simulate({"a": 2}, starts, 6, n_points=3, out=out, chunk_size=2)
    with pytest.raises(ParameterError, match=r'values: \{"a": "2"\} there, \{"a": "3"\} here'):
        rd.simulate({"a": 3}, starts, 5, n_points=3, out=out, chunk_size=2)
    with pytest.raises(ParameterError, match="rtol: 1e-08 there, 1e-06 here"):
        rd.simulate({"a": 2}, starts, 5, n_points=3, out=out, chunk_size=2, rtol=1e-6)
    with pytest.raises(ParameterError, match="chunk_size: 2 there, 3 here"):
        rd.simulate({"a": 2}, starts, 5, n_points=3, out=out, chunk_size=3)
    with pytest.raises(ParameterError, match="settle: true there, false here"):
        rd.simulate({"a": 2}, starts, 5, n_points=3, out=out, chunk_size=2, settle=False)
    import coopgame

    saved = coopgame.__version__
    monkeypatch.setattr(coopgame, "__version__", "99.0")  # another release may integrate differently
    with pytest.raises(ParameterError, match=f"coopgame: \"{saved}\" there, \"99.0\" here"):
        rd.simulate({"a": 2}, starts, 5, n_points=3, out=out, chunk_size=2)
    monkeypatch.undo()
    # a folder of other files, a damaged manifest, a file where the folder should be
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    with pytest.raises(ParameterError, match="not a simulation run folder"):
        rd.simulate({"a": 2}, starts, 5, out=tmp_path / "other")
    (out / "manifest.json").write_text("{")
    with pytest.raises(ParameterError, match="not a readable run manifest"):
        rd.simulate({"a": 2}, starts, 5, n_points=3, out=out, chunk_size=2)
    (tmp_path / "file").write_text("x")
    from coopgame.errors import OutputError

    with pytest.raises(OutputError, match="a file of that name exists"):
        rd.simulate({"a": 2}, starts, 5, out=tmp_path / "file")


def test_checkpoint_files_have_normal_permissions(tmp_path):
    import os
    import stat

    rd = _COORD.replicator()
    old = os.umask(0o022)
    try:
        rd.simulate(None, sample_states(rd, 4, np.random.default_rng(0)), 5, out=tmp_path / "run", chunk_size=2)
    finally:
        os.umask(old)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "run").iterdir()}
    assert modes == {"manifest.json": 0o644, "chunk-00000.npz": 0o644, "chunk-00001.npz": 0o644}
    assert stat.S_IMODE((tmp_path / "run").stat().st_mode) == 0o755


def test_a_checkpoint_folder_without_chunk_size_uses_chunks_of_1024(tmp_path):
    # SIMULATE_CHUNK starts per chunk with out=; three starts are one chunk, so the states are
    # those of the run without a folder, bit for bit.
    import json

    rd = _COORD.replicator()
    starts = sample_states(rd, 3, np.random.default_rng(8))
    with_out = rd.simulate(None, starts, 5, out=tmp_path / "run")
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text())
    assert manifest["chunks"] == 1 and manifest["run"]["chunk_size"] == 1024 and manifest["run"]["starts"] == 3
    assert np.array_equal(with_out.states, rd.simulate(None, starts, 5).states)


def test_a_step_per_trajectory_writes_every_output_time_it_passes():
    # 801 output times on [0, 20] are much closer than the steps (a few dozen per trajectory), so
    # most steps pass several output times at once; each is the step's dense output there
    # (Shampine's interpolant, accurate to about the tolerance), checked against solve_ivp.
    rd = _three_population_game().replicator()
    starts = np.array([[0.3, 0.6, 0.2], [0.7, 0.1, 0.9], [0.5, 0.5, 0.5]])
    traj = rd.simulate(None, starts, 20, n_points=801, step_control="trajectory", settle=False)
    assert np.all(traj.steps < 200)  # so the outputs outnumber the steps several times over
    f = rd.vector_field()
    worst = max(np.max(np.abs(_reference(f, y0, traj.times) - traj.states[i])) for i, y0 in enumerate(starts))
    assert worst < 1e-6
    assert np.array_equal(traj.states[:, 0], starts)
