"""Benchmark of the stochastic replicator dynamics: vectorised paths against a loop over paths.

Run ``python benchmarks/bench_sde.py`` (``--quick`` for a smaller run). The model is the
catalogue's three-population government-school-enterprise game at its defaults with the fund
guarantee ``s = 5/2``; noise ``sigma = 0.2`` on every population, Euler-Maruyama with
``dt = 0.01`` to ``t = 50`` (5,000 steps), from one start.

* vectorised: one ``ReplicatorDynamics.simulate_sde`` call with 10,000 paths;
* loop: the same scheme, the same compiled field and the same step, one path at a time in a
  Python loop (``integrate_sde`` on one column per call). The loop is timed on a subset of paths
  and scaled linearly to 10,000 (each path is the same work), as printed.

Both runs draw their increments from a numpy Generator; the work per path is identical. Times
are medians of ``--repeats`` runs, after one warm-up call of each (field compiled, caches warm).
Target: ratio >= 50.
"""

from __future__ import annotations

import argparse
import math
import statistics
import time

import numpy as np


def setup():
    from coopgame.models import get

    m = get("government_school_enterprise")
    g = m.with_policy("fund_guarantee")
    names = {q.name for q in g.parameters}
    values = {p.name: v for p, v in m.values(policy=True).items() if p.name in names}
    return g.replicator(), values


def vectorised(rd, values, paths, t_max, dt, sigma, seed):
    res = rd.simulate_sde(values, [[0.5, 0.5, 0.5]], t_max, sigma, np.random.default_rng(seed), dt=dt, paths=paths,
                          n_points=51)
    return res


def loop(rd, values, paths, t_max, dt, sigma, seed):
    from coopgame.dynamics.sde import integrate_sde

    field = rd.vector_field(values, layout="components")
    steps = 50 * math.ceil(t_max / dt / 50)
    rng = np.random.default_rng(seed)
    finals = []

    def diffusion(Y):
        return sigma * Y * (1.0 - Y)

    def project(Y):
        np.clip(Y, 0.0, 1.0, out=Y)

    for _ in range(paths):
        y = np.full((3, 1), 0.5)
        out = integrate_sde(field, diffusion, y, t_max, steps, rng, record_every=steps // 50, project=project)
        finals.append(out[-1, :, 0])
    return np.array(finals)


def median_time(fn, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 paths, loop subset of 5")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    paths = 1_000 if args.quick else 10_000
    subset = 5 if args.quick else 20
    t_max, dt, sigma = 50.0, 0.01, 0.2
    rd, values = setup()
    vectorised(rd, values, 10, 1.0, dt, sigma, 0)  # warm-up: compile the field
    loop(rd, values, 1, 1.0, dt, sigma, 0)
    tv = median_time(lambda: vectorised(rd, values, paths, t_max, dt, sigma, 1), args.repeats)
    tl = median_time(lambda: loop(rd, values, subset, t_max, dt, sigma, 1), args.repeats)
    tl_scaled = tl * paths / subset
    res = vectorised(rd, values, paths, t_max, dt, sigma, 1)
    print(f"stochastic replicator dynamics, 3 populations, {paths} paths, t = {t_max:g}, dt = {dt:g}, "
          f"sigma = {sigma:g}, Euler-Maruyama")
    print(f"vectorised: {tv:.2f} s (median of {args.repeats})")
    print(f"loop over paths: {tl:.2f} s for {subset} paths (median of {args.repeats}), scaled to {paths}: "
          f"{tl_scaled:.1f} s")
    print(f"ratio (loop / vectorised): {tl_scaled / tv:.0f}x (target >= 50x)")
    shares = {k: v for k, v in res.vertex_shares().items() if v > 0}
    print("share of paths ending at each vertex:", {("none" if k is None else ", ".join(k)): round(v, 4)
                                                    for k, v in shares.items()})


if __name__ == "__main__":
    main()
