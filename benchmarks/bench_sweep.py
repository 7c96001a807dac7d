"""Benchmark: regime classification over a large parameter grid.

A three-population game (school, enterprise, government; two strategies each, eight vertices)
is classified over a grid of about 10^7 points of (subsidy s, tax-relief rate t, penalty f): at
each point, which vertices are asymptotically stable in the replicator dynamics (the strict Nash
equilibria). Targets from the project's issue: at least 2 * 10^7 points per second, and at least
10^4 times the rate of looping nashpy over points (measured on a smaller grid in the same run).

nashpy handles two-player games, so the nashpy baseline does what a nashpy user would do per
point: for each government strategy, enumerate the equilibria of the school-enterprise game with
``support_enumeration`` and keep the pure ones that are strict and from which the government does
not gain by switching. QuantEcon's ``pure_nash_brute`` (N players) is measured too when installed;
both baselines are checked against the vectorised result on their grids.

Run::

    python benchmarks/bench_sweep.py            # 10^7 points
    python benchmarks/bench_sweep.py --side 100 # a quick run
"""

from __future__ import annotations

import argparse
import itertools
import os
import time
from fractions import Fraction

import numpy as np

from coopgame import Game, Parameter
from coopgame.analysis import sweep

FIXED = {"R_s": 2, "C_s": 3, "R_e": 2, "C_e": 4, "W": 5, "k": Fraction(1, 2)}


def three_party() -> Game:
    """The active government pays s to a deep school and t*C_e to a participating enterprise,
    fines a nominal enterprise f and pays k for being active; it is credited with W when the
    cooperation it supervises happens (a passive government gets nothing either way)."""
    strategies = {"school": ["deep", "shallow"], "enterprise": ["participate", "nominal"],
                  "government": ["active", "passive"]}
    payoffs = {}
    for prof in itertools.product(*strategies.values()):
        deep, part, active = prof[0] == "deep", prof[1] == "participate", prof[2] == "active"
        us = ("R_s - C_s" if deep and part else ("-C_s" if deep else "0")) + (" + s" if active and deep else "")
        ue = ("R_e - C_e" if deep and part else ("-C_e" if part else "0")) + \
             (" + t*C_e" if active and part else "") + (" - f" if active and not part else "")
        ug = ("W" if deep and part and active else "0") + (" - k" if active else "") + \
             (" - s" if active and deep else "") + (" - t*C_e" if active and part else "") + \
             (" + f" if active and not part else "")
        payoffs[prof] = [us, ue, ug]
    params = [Parameter(n, domain="nonnegative") for n in ("s", "t", "f", "k", "W", "R_s", "R_e", "C_s", "C_e")]
    return Game(list(strategies), strategies, payoffs, params, name="three-party")


def axes(side):
    return {"s": np.linspace(0.0, 4.0, side), "t": np.linspace(0.0, 1.0, side), "f": np.linspace(0.0, 4.0, side)}


def compiled_payoffs(game):
    """Float payoff arrays at one point, from one compiled function (so baselines time the solver)."""
    f, syms = game.lambdify()
    names = [s.name for s in syms]

    def arrays(point):
        return f(*[point[n] for n in names])

    return arrays


def strict_pure_by_nashpy(arrays, point):
    """Strict pure equilibria at one point using nashpy on the school-enterprise subgames."""
    import nashpy

    A, B, G = arrays(point)
    found = set()
    for k in range(2):
        sub = nashpy.Game(A[:, :, k], B[:, :, k])
        for x, y in sub.support_enumeration():
            if np.count_nonzero(x) != 1 or np.count_nonzero(y) != 1:
                continue
            i, j = int(np.argmax(x)), int(np.argmax(y))
            if A[i, j, k] > A[1 - i, j, k] and B[i, j, k] > B[i, 1 - j, k] and G[i, j, k] > G[i, j, 1 - k]:
                found.add((i, j, k))
    return found


def pure_by_quantecon(arrays, point):
    import quantecon.game_theory as gt

    A, B, G = arrays(point)
    players = [gt.Player(A), gt.Player(np.transpose(B, (1, 2, 0))), gt.Player(np.transpose(G, (2, 0, 1)))]
    return set(gt.pure_nash_brute(gt.NormalFormGame(players)))


def baseline(game, result, fn, n_points, rng):
    """Rate of ``fn`` over random grid points, and agreement with the vectorised regimes."""
    shape = result.data.shape
    idx = [tuple(int(rng.integers(0, n)) for n in shape) for _ in range(n_points)]
    names = [a.name for a in result.axes]
    profiles = result.legend.profiles
    index = {p: tuple(game.strategy_lists[i].index(s) for i, s in enumerate(p)) for p in profiles}
    arrays = compiled_payoffs(game)
    points = [{**{k: float(v) for k, v in FIXED.items()},
               **{n: float(result.axes[k].values[i]) for k, (n, i) in enumerate(zip(names, ix))}} for ix in idx]
    start = time.perf_counter()
    answers = [fn(arrays, point) for point in points]
    rate = n_points / (time.perf_counter() - start)
    agree = sum(
        1 for ix, ans in zip(idx, answers)
        if result.boundary[ix] or {index[p] for p in result.legend[result.data[ix]].stable} == ans
    )
    return rate, agree


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", type=int, default=216, help="points per axis (216^3 = 1.0e7)")
    parser.add_argument("--baseline-points", type=int, default=300)
    parser.add_argument("--chunk-size", type=int, default=2**18)
    args = parser.parse_args(argv)
    game = three_party()
    grid = axes(args.side)
    n = args.side**3
    sweep(game, axes(8), values=FIXED, progress=False)  # warm-up (imports, compilation paths)
    start, cpu_start = time.perf_counter(), time.process_time()
    result = sweep(game, grid, values=FIXED, progress=False, chunk_size=args.chunk_size)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    rate = n / elapsed
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"coopgame sweep: {n:,} points in {elapsed:.2f} s = {rate:,.0f} points/s "
          f"(target >= 20,000,000: {'met' if rate >= 2e7 else 'NOT met'})")
    # The sweep runs on one core; on a shared machine its CPU time shows the rate of a free core.
    print(f"  CPU time {cpu:.2f} s = {n / cpu:,.0f} points per CPU-second; machine: {os.cpu_count()} cores, "
          f"load average {load:.1f}")
    for regime, count in sorted(result.counts().items(), key=lambda kv: kv[0].code):
        print(f"  {count:>10,} points  stable: {regime}")
    print(f"  {int(result.boundary.sum()):,} boundary points")
    rng = np.random.default_rng(2024)
    nash_rate, agree = baseline(game, result, strict_pure_by_nashpy, args.baseline_points, rng)
    print(f"nashpy loop: {nash_rate:,.0f} points/s; agrees at {agree}/{args.baseline_points} points; "
          f"speed-up {rate / nash_rate:,.0f}x (target >= 10,000x: {'met' if rate / nash_rate >= 1e4 else 'NOT met'})")
    try:
        import quantecon  # noqa: F401
    except ImportError:
        print("quantecon not installed: pure_nash_brute baseline skipped")
    else:
        qe_rate, agree = baseline(game, result, pure_by_quantecon, 3 * args.baseline_points, rng)
        print(f"quantecon pure_nash_brute loop: {qe_rate:,.0f} points/s (Nash, not only strict); agrees at "
              f"{agree}/{3 * args.baseline_points} points; speed-up {rate / qe_rate:,.0f}x")


if __name__ == "__main__":
    main()
