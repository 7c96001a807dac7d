"""Time coopgame's nash_equilibria against nashpy's support and vertex enumeration.

Run ``python benchmarks/bench_equilibria.py [--games 20] [--seed 0] [--bound 1000]``. For random
bimatrix games of sizes 2x2, 4x4 and 6x6 (integer payoffs drawn uniformly from [-bound, bound), a seeded
``numpy.random.Generator``) it prints the mean time per game of each method, the ratios, how many
equilibria each found in total, and on how many games each nashpy method found fewer verified
equilibria than coopgame. Every coopgame equilibrium is verified exactly (``is_nash``) before it
is counted; nashpy's results are counted once each and only if they pass the best-response check
with tolerance 1e-6. ``continua`` counts the games on which coopgame reported a continuum of
equilibria (degenerate games, frequent with a small ``--bound``); coopgame then counts the
extreme equilibria.
"""

from __future__ import annotations

import argparse
import time
import warnings

import nashpy
import numpy as np

from coopgame import Game
from coopgame.equilibria import is_nash, nash_equilibria
from coopgame.errors import DegenerateGameWarning


def _verified_unique(game, pairs):
    kept = []
    for x, y in pairs:
        x, y = np.clip(np.asarray(x, float), 0, None), np.clip(np.asarray(y, float), 0, None)
        if x.sum() <= 0 or y.sum() <= 0:
            continue
        x, y = x / x.sum(), y / y.sum()
        if not is_nash(game, [x.tolist(), y.tolist()], tol=1e-6):
            continue
        if not any(np.allclose(x, u, atol=1e-6) and np.allclose(y, v, atol=1e-6) for u, v in kept):
            kept.append((x, y))
    return kept


def run(sizes=(2, 4, 6), games=20, seed=0, bound=1000):
    rng = np.random.default_rng(seed)
    header = (f"{'size':>5} {'coopgame ms':>12} {'support ms':>11} {'vertex ms':>10} "
              f"{'support/ours':>13} {'vertex/ours':>12} {'eq ours':>8} {'eq supp':>8} {'eq vert':>8} "
              f"{'supp missed':>12} {'vert missed':>12} {'continua':>9}")
    print(header)
    rows = []
    for size in sizes:
        t_ours = t_supp = t_vert = 0.0
        n_ours = n_supp = n_vert = 0
        miss_supp = miss_vert = degenerate = 0
        for _ in range(games):
            A = rng.integers(-bound, bound, size=(size, size))
            B = rng.integers(-bound, bound, size=(size, size))
            game = Game.bimatrix(A.tolist(), B.tolist())
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", DegenerateGameWarning)
                start = time.perf_counter()
                ours = nash_equilibria(game)
                t_ours += time.perf_counter() - start
            degenerate += any(issubclass(w.category, DegenerateGameWarning) for w in caught)
            assert all(is_nash(game, e.profile) for e in ours)
            nash = nashpy.Game(A, B)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                start = time.perf_counter()
                supp = list(nash.support_enumeration())
                t_supp += time.perf_counter() - start
                start = time.perf_counter()
                vert = list(nash.vertex_enumeration())
                t_vert += time.perf_counter() - start
            supp, vert = _verified_unique(game, supp), _verified_unique(game, vert)
            n_ours, n_supp, n_vert = n_ours + len(ours), n_supp + len(supp), n_vert + len(vert)
            miss_supp += len(supp) < len(ours)
            miss_vert += len(vert) < len(ours)
        ms = [1000 * t / games for t in (t_ours, t_supp, t_vert)]
        rows.append((size, *ms, n_ours, n_supp, n_vert, miss_supp, miss_vert, degenerate))
        print(f"{size}x{size:<3} {ms[0]:12.2f} {ms[1]:11.2f} {ms[2]:10.2f} {ms[1] / ms[0]:13.1f} "
              f"{ms[2] / ms[0]:12.1f} {n_ours:8d} {n_supp:8d} {n_vert:8d} "
              f"{f'{miss_supp}/{games}':>12} {f'{miss_vert}/{games}':>12} {degenerate:9d}")
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=20, help="games per size (default 20)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random games (default 0)")
    parser.add_argument("--bound", type=int, default=1000, help="payoffs are integers in [-bound, bound) (default 1000)")
    args = parser.parse_args(argv)
    run(games=args.games, seed=args.seed, bound=args.bound)


if __name__ == "__main__":
    main()
