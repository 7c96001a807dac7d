"""Tests of coopgame.analysis.sweep and .regimes: vectorised sweeps, exact ties, files, resume, Dask."""

import importlib
import itertools
import os
from fractions import Fraction

import numpy as np
import pytest
import sympy

from coopgame import Game, Parameter, pure_equilibria
from coopgame.analysis import (
    RegimeClassifier,
    SweepKind,
    SweepResult,
    VertexStability,
    exact_linspace,
    sweep,
    vertex_stability,
)
from coopgame.errors import ParameterError, ResourceLimitError, UnknownNameError

# The package exports the function `sweep`, which shadows the module of the same name.
sweep_module = importlib.import_module("coopgame.analysis.sweep")


def three_party():
    """School, enterprise and government, each with two strategies (eight vertices).

    The active government pays a subsidy s to a deep school, relief t*C_e to a participating
    enterprise, fines f a nominal one, and values joint training at W; passivity costs nothing.
    """
    strategies = {"school": ["deep", "shallow"], "enterprise": ["participate", "nominal"],
                  "government": ["active", "passive"]}
    payoffs = {}
    for prof in itertools.product(*strategies.values()):
        deep, part, active = prof[0] == "deep", prof[1] == "participate", prof[2] == "active"
        us = ("R_s - C_s" if deep and part else ("-C_s" if deep else "0")) + (" + s" if active and deep else "")
        ue = ("R_e - C_e" if deep and part else ("-C_e" if part else "0")) + \
             (" + t*C_e" if active and part else "") + (" - f" if active and not part else "")
        ug = ("W" if deep and part else "0") + (" - k" if active else "") + \
             (" - s" if active and deep else "") + (" - t*C_e" if active and part else "") + \
             (" + f" if active and not part else "")
        payoffs[prof] = [us, ue, ug]
    params = [Parameter(n, domain="nonnegative") for n in ("s", "t", "f", "k", "W", "R_s", "R_e", "C_s", "C_e")]
    return Game(list(strategies), strategies, payoffs, params, name="three-party")


FIXED = {"R_s": 2, "C_s": 3, "R_e": 2, "C_e": 4, "W": 5, "k": Fraction(1, 2)}


def exact_regime(game, point):
    """The regime at one exact point from coopgame.equilibria (independent of the classifier)."""
    g = game.subs(point)
    return frozenset(tuple(e.profile) for e in pure_equilibria(g, strict=True))


def test_regime_sweep_matches_exact_strict_equilibria():
    g = three_party()
    grid = {"s": [0, 1, 2, 3], "t": [0, Fraction(1, 4), Fraction(1, 2), 1], "f": [0, 1, 3]}
    r = sweep(g, grid, values=FIXED, progress=False)
    assert r.kind is SweepKind.REGIME and r.exact
    for idx in itertools.product(*(range(len(v)) for v in grid.values())):
        point = {**FIXED, **{k: v[i] for (k, v), i in zip(grid.items(), idx)}}
        # Selten (1980): a vertex is asymptotically stable iff it is a strict Nash equilibrium.
        assert r.legend[r.data[idx]].stable == exact_regime(g, point)
    assert len(r.counts()) >= 2


def test_boundary_points_are_non_hyperbolic_exactly():
    g = three_party()
    grid = {"s": exact_linspace(0, 3, 7), "f": exact_linspace(0, 3, 7)}
    r = sweep(g, grid, values={**FIXED, "t": Fraction(1, 4)}, progress=False)
    clf = RegimeClassifier(g, ["s", "f"], {**FIXED, "t": Fraction(1, 4)})
    for i, s in enumerate(grid["s"]):
        for j, f in enumerate(grid["f"]):
            statuses = [vertex_stability([d.xreplace({clf.symbols[0]: s, clf.symbols[1]: f}) for d in gains])
                        for gains in clf.gains]
            assert bool(r.boundary[i, j]) == (VertexStability.NON_HYPERBOLIC in statuses)
    assert r.boundary.any()


def test_float_grid_flags_points_within_tolerance():
    s, t = sympy.symbols("s t", nonnegative=True)
    axis = np.linspace(0.0, 1.0, 31)  # 1/3 is not a float: ties are flagged, not decided
    r = sweep(s + 3 * t > 1, {"s": axis, "t": axis}, progress=False, tolerance=1e-9)
    assert not r.exact
    near = np.abs(axis[:, None] + 3 * axis[None, :] - 1) <= 1e-9
    assert np.array_equal(r.boundary, near)
    away = ~near
    assert np.array_equal(r.data[away], (axis[:, None] + 3 * axis[None, :] > 1)[away])


def test_chunking_does_not_change_the_result():
    g = three_party()
    grid = {"s": np.linspace(0, 3, 17), "t": np.linspace(0, 1, 9), "f": np.linspace(0, 3, 5)}
    reference = sweep(g, grid, values=FIXED, progress=False, chunk_size=None)
    for chunk in (1, 7, 45, 10_000):
        r = sweep(g, grid, values=FIXED, progress=False, chunk_size=chunk)
        assert np.array_equal(r.data, reference.data)
        assert np.array_equal(r.boundary, reference.boundary)


def test_expression_sweep():
    r = sweep("s*t - 1", {"s": [1, 2], "t": np.array([0.5, 1.0])}, progress=False)
    assert r.kind is SweepKind.EXPRESSION
    np.testing.assert_allclose(r.data, [[-0.5, 0.0], [0.0, 1.0]], atol=1e-15)
    assert "statistic" in r.to_markdown()


def test_save_load_roundtrip_is_atomic(tmp_path):
    g = three_party()
    path = tmp_path / "regimes.npz"
    r = sweep(g, {"s": [0, 1, 2], "f": [0, 2]}, values={**FIXED, "t": 0}, progress=False, out=path)
    assert sorted(os.listdir(tmp_path)) == ["regimes.npz"]  # no temporary file left behind
    back = SweepResult.load(path)
    assert np.array_equal(back.data, r.data) and np.array_equal(back.boundary, r.boundary)
    assert back.axes == r.axes and back.legend == r.legend and back.values == r.values
    assert back.complete and back.kind is SweepKind.REGIME


def test_interrupted_sweep_resumes(tmp_path, monkeypatch):
    g = three_party()
    grid = {"s": np.linspace(0, 3, 12), "t": np.linspace(0, 1, 5)}
    path = tmp_path / "run.npz"
    reference = sweep(g, grid, values={**FIXED, "f": 1}, progress=False, chunk_size=5)
    real = sweep_module._evaluate_block
    calls = []

    class Interrupt(Exception):
        pass

    def flaky(*args):
        calls.append(1)
        if len(calls) == 5:
            raise Interrupt
        return real(*args)

    monkeypatch.setattr(sweep_module, "_evaluate_block", flaky)
    with pytest.raises(Interrupt):
        sweep(g, grid, values={**FIXED, "f": 1}, progress=False, chunk_size=5, out=path, checkpoint_seconds=0)
    partial = SweepResult.load(path)
    assert not partial.complete and partial.done.sum() == 4
    calls.clear()
    monkeypatch.setattr(sweep_module, "_evaluate_block", lambda *a: (calls.append(1), real(*a))[1])
    r = sweep(g, grid, values={**FIXED, "f": 1}, progress=False, chunk_size=5, out=path)
    assert len(calls) == len(partial.done) - 4  # only the blocks not stored before
    assert np.array_equal(r.data, reference.data) and r.complete
    # A file holding another sweep is not silently reused.
    with pytest.raises(ParameterError, match="different sweep"):
        sweep(g, grid, values={**FIXED, "f": 2}, progress=False, chunk_size=5, out=path)


def test_progress_bar_on_stderr(capsys):
    s = sympy.Symbol("s")
    sweep(s > 0, {"s": np.linspace(-1, 1, 50)}, chunk_size=10)
    err = capsys.readouterr().err  # tqdm's bar (coopgame.core.progress)
    assert "sweep" in err and "100%" in err and "50/50" in err


def test_resource_limits_and_bad_input():
    g = three_party()
    with pytest.raises(ResourceLimitError, match="max_points"):
        sweep(g, {"s": np.zeros(1000), "t": np.zeros(1000)}, values={**FIXED, "f": 1}, max_points=10**5,
              progress=False)
    with pytest.raises(ResourceLimitError, match="chunk_size"):
        sweep(g, {"s": np.zeros(1000), "t": np.zeros(1000)}, values={**FIXED, "f": 1}, chunk_size=None,
              max_memory=10**6, progress=False)
    with pytest.raises(UnknownNameError, match="zeta"):
        sweep(g, {"zeta": [1, 2]}, values=FIXED, progress=False)
    with pytest.raises(ParameterError, match="'f'"):
        sweep(g, {"s": [1, 2], "t": [0, 1]}, values=FIXED, progress=False)
    with pytest.raises(ParameterError, match="not finite"):
        sweep("s > 0", {"s": np.array([0.0, np.nan])}, progress=False)
    with pytest.raises(ParameterError, match="'t' has the value -1/10"):
        sweep(g, {"t": np.array([-0.1, 0.5])}, values={**FIXED, "s": 1, "f": 1}, progress=False)
    with pytest.raises(ParameterError, match="'s' has the value -1"):
        sweep(sympy.Symbol("s", nonnegative=True) > 1, {"s": [-1, 0, 1]}, progress=False)
    with pytest.raises(ParameterError, match="backend"):
        sweep("s > 0", {"s": [0, 1]}, backend="spark", progress=False)


def test_dask_backend_gives_the_same_array():
    pytest.importorskip("dask")
    g = three_party()
    grid = {"s": np.linspace(0, 3, 13), "t": np.linspace(0, 1, 7), "f": [0, 1, 2]}
    reference = sweep(g, grid, values=FIXED, progress=False, chunk_size=20)
    r = sweep(g, grid, values=FIXED, progress=False, chunk_size=20, backend="dask", scheduler="synchronous")
    assert np.array_equal(r.data, reference.data) and np.array_equal(r.boundary, reference.boundary)


@pytest.mark.slow
def test_dask_local_cluster_gives_the_same_array():
    distributed = pytest.importorskip("distributed")
    g = three_party()
    grid = {"s": exact_linspace(0, 3, 13), "t": exact_linspace(0, 1, 5), "f": [0, 1, 2]}
    reference = sweep(g, grid, values=FIXED, progress=False, chunk_size=20)
    with distributed.LocalCluster(processes=False, n_workers=1, threads_per_worker=2,
                                  dashboard_address=None) as cluster, distributed.Client(cluster):
        r = sweep(g, grid, values=FIXED, progress=False, chunk_size=20, backend="dask")
    assert np.array_equal(r.data, reference.data) and np.array_equal(r.boundary, reference.boundary)


def test_regimes_agree_with_replicator_jacobian():
    """Independent certificate: eigenvalues of the replicator Jacobian at each vertex (numpy)."""
    dynamics = pytest.importorskip("coopgame.dynamics")
    g = three_party()
    rd = dynamics.ReplicatorDynamics(g)
    J = rd.jacobian()
    rng = np.random.default_rng(7)
    grid = {"s": exact_linspace(0, 3, 7), "t": exact_linspace(0, 1, 5), "f": exact_linspace(0, 3, 7)}
    r = sweep(g, grid, values=FIXED, progress=False)
    syms = {p.name: p.symbol for p in g.parameters}
    checked = 0
    for _ in range(8):
        idx = tuple(int(rng.integers(0, len(v))) for v in grid.values())
        if r.boundary[idx]:
            continue
        checked += 1
        point = {**FIXED, **{k: v[i] for (k, v), i in zip(grid.items(), idx)}}
        subs = {syms[k]: sympy.Rational(v.numerator, v.denominator) if isinstance(v, Fraction) else sympy.Integer(v)
                for k, v in point.items()}
        stable = set()
        for vertex in rd.vertices():
            Jv = np.array(J.xreplace(subs).xreplace(vertex.coordinates).evalf(), dtype=float)
            if np.all(np.linalg.eigvals(Jv).real < 0):
                stable.add(tuple(vertex.profile))
        assert r.legend[r.data[idx]].stable == frozenset(stable)
    assert checked >= 4


def test_compiled_target_survives_pickling():
    """Chunks sent to Dask worker processes carry a pickled target; it must evaluate the same."""
    import pickle

    g = three_party()
    syms = [g.symbol("s"), g.symbol("t")]
    compiled = sweep_module._Compiled(SweepKind.REGIME, syms, None, g, {**FIXED, "f": 1})
    copy = pickle.loads(pickle.dumps(compiled))
    arrays = [np.linspace(0, 3, 9)[:, None], np.linspace(0, 1, 5)[None, :]]
    for a, b in zip(compiled.evaluate(arrays, (9, 5), 1e-9), copy.evaluate(arrays, (9, 5), 1e-9)):
        assert np.array_equal(a, b)
    s, t = sympy.symbols("s t", nonnegative=True)
    cond = sweep_module._Compiled(SweepKind.CONDITION, [s, t], (s + 3 * t > 1) | (s < t))
    copy = pickle.loads(pickle.dumps(cond))
    for a, b in zip(cond.evaluate(arrays, (9, 5), 1e-9), copy.evaluate(arrays, (9, 5), 1e-9)):
        assert np.array_equal(a, b)
