"""Benchmarks of the exact engine: vertex tables, the flagship rest-point search, two-player Nash.

Run ``python benchmarks/bench_engine.py`` (``--quick`` for fewer repeats). Prints, in one run:

1. the symbolic vertex table of a 7-population, two-strategy game (128 vertices, 12 parameters):
   ``stability(include="vertices")`` on a fresh game against a plain sympy read-off of the same
   eigenvalues (for each vertex and role, ``expand(u_i(s'_i, s_-i) - u_i(s))``), and the ratio
   (target <= 3); the same at 5 and 6 populations;
2. the complete symbolic ``stability()`` of the catalogue's ``government_school_enterprise``
   model on a fresh game (target < 10 s), and whether it is complete;
3. two-player ``nash_equilibria`` (exact, every equilibrium certified) on random 6x6 and 10x10
   games against nashpy's ``vertex_enumeration`` (floats, unverified), and the ratios. The
   two-player enumerator is not changed in this branch; the figures are the baseline.

Times are medians of ``--repeats`` runs, each on a freshly built game (no cache carried over).
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import time
import warnings

import numpy as np
import sympy


def many_population_game(n: int, seed: int = 1):
    """An n-population game with two strategies each and payoffs in 12 parameters."""
    from coopgame import Game

    rng = random.Random(seed)
    names = [f"a{i}" for i in range(12)]
    payoffs = {}
    for prof in itertools.product(["c", "d"], repeat=n):
        k = prof.count("c")
        payoffs[prof] = [f"{names[rng.randrange(12)]}*{k} - {names[rng.randrange(12)]}" if s == "c"
                         else f"{names[rng.randrange(12)]} + {k}" for s in prof]
    players = [f"P{i}" for i in range(n)]
    return Game(players, {p: ["c", "d"] for p in players}, payoffs)


def plain_read_off(game):
    # straight from the game's payoff storage, the least work a read-off can do
    table, flat = game._payoffs, game._flat
    out = []
    for idx in itertools.product(*(range(m) for m in game.shape)):
        for i in range(len(idx)):
            here = table[flat(idx)][i]
            for k in range(game.shape[i]):
                if k != idx[i]:
                    out.append(sympy.expand(table[flat(idx[:i] + (k,) + idx[i + 1:])][i] - here))
    return out


def median_time(fn, repeats):
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def bench_vertices(repeats):
    print("1. symbolic vertex tables (median seconds)")
    for n in (5, 6, 7):
        plain = median_time(lambda n=n: plain_read_off(many_population_game(n)), repeats)
        table = median_time(lambda n=n: many_population_game(n).replicator().stability(include="vertices"),
                            repeats)
        print(f"   {n} populations ({2 ** n} vertices): stability {table:.3f} s, plain read-off {plain:.3f} s, "
              f"ratio {table / plain:.2f}x (target <= 3x at 7)")


def bench_flagship(repeats):
    from coopgame import models

    def run():
        game = models.get("government_school_enterprise").game
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return game.replicator().stability()

    table = run()
    t = median_time(run, repeats)
    print(f"2. government_school_enterprise symbolic stability(): {t:.2f} s (target < 10 s), "
          f"{len(table)} rows, complete={table.complete}, unsolved faces={len(table.unsolved)}")


def bench_two_player(repeats):
    import nashpy

    from coopgame import Game
    from coopgame.equilibria import nash_equilibria

    print("3. two-player Nash equilibria, random integer games (median seconds; baseline, unchanged)")
    for m in (6, 10):
        rng = np.random.default_rng(m)
        A, B = rng.integers(-9, 10, size=(m, m)), rng.integers(-9, 10, size=(m, m))
        ours = median_time(lambda A=A, B=B: nash_equilibria(Game.bimatrix(A.tolist(), B.tolist())), repeats)
        theirs = median_time(lambda A=A, B=B: list(nashpy.Game(A, B).vertex_enumeration()), repeats)
        print(f"   {m}x{m}: coopgame exact {ours:.3f} s, nashpy vertex_enumeration {theirs:.3f} s, "
              f"ratio {ours / theirs:.2f}x")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one repeat each")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    repeats = 1 if args.quick else args.repeats
    bench_vertices(repeats)
    bench_flagship(repeats)
    bench_two_player(repeats)


if __name__ == "__main__":
    main()
