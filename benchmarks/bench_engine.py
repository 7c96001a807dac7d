"""Benchmarks of the exact engine: vertex tables, the flagship rest-point search, two-player Nash.

Run ``python benchmarks/bench_engine.py`` (``--quick`` for fewer repeats, ``--part 3`` for one
part; part 3 needs ``pygambit``). Prints, in one run:

1. the symbolic vertex table of a 7-population, two-strategy game (128 vertices, 12 parameters):
   ``stability(include="vertices")`` on a fresh game against a plain sympy read-off of the same
   eigenvalues (for each vertex and role, ``expand(u_i(s'_i, s_-i) - u_i(s))``), and the ratio
   (target <= 3); the same at 5 and 6 populations;
2. the complete symbolic ``stability()`` of the catalogue's ``government_school_enterprise``
   model on a fresh game (target < 10 s), and whether it is complete;
3. two-player ``nash_equilibria`` (exact, every equilibrium certified) on random 6x6 and 10x10
   games, integer payoffs uniform in [-9, 9] (best-response ties: degenerate games) and in
   [-1000, 999] (generic), against gambit's float ``enummixed_solve(rational=False)`` (pygambit)
   and nashpy's ``vertex_enumeration`` (floats, unverified), with the ratios and the number of
   equilibria each finds (gambit's and nashpy's counted once each, if they pass the
   best-response check with tolerance 1e-6). Every game object is built before timing (warm vs
   warm: each method solves a game it has already been given), the methods are timed in turn
   and the median of the repeats is taken; nashpy at 10x10 takes minutes, so it is timed once
   (its code is warm from the 6x6 runs). Then the ratio to gambit over 12 more seeded games of
   each kind and size (median and range of the per-game ratios; at most 3 repeats at 10x10).

Times are medians of ``--repeats`` runs, each on a freshly built game (no cache carried over).

Part 3 measured on a shared, loaded two-core machine (absolute times vary with the load, the
ratios less): 6x6 with ``--repeats 7``, two runs, each alternating with a run of the previous
version of the search; 10x10 with the default 3 repeats, one run. Ratios to gambit's float
``enummixed``, for the main seeded game and, over the 12 more, the median and range of the
per-game ratios:

- 6x6 degenerate: main game 0.73x and 0.65x (2.3 ms against 3.2 ms, 3.3 ms against 5.0 ms);
  median 0.86x and 0.81x, range 0.66x to 1.16x (timed alone, the game with the highest ratio
  has 13 equilibria and 29 degenerate vertices among 116). The previous version in the same
  runs: main game 0.93x and 0.92x, median 1.11x and 1.11x, range 0.88x to 1.49x.
- 6x6 generic: main game 0.60x and 0.60x (1.9 ms against 3.2 ms); median 0.70x and 0.67x,
  range 0.46x to 0.91x. The previous version: 0.68x and 0.75x; median 0.86x and 0.84x, range
  0.56x to 1.26x.
- 10x10 degenerate: main game 0.04x (0.030 s against 0.84 s; nashpy 59 s); median 0.05x, range
  0.04x to 0.12x.
- 10x10 generic: main game 0.04x (0.037 s against 0.97 s; nashpy 66 s); median 0.05x, range
  0.03x to 0.11x.

The three find the same equilibria on the main games (1, 1, 7 and 7). The exact profiles
returned are the same as the previous version's, in the same order, on all 52 seeded games of
this part (both kinds, both sizes).
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
    table, flat = game.payoff_rows, game.flat_index
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


def _verified_count(game, profiles):
    """How many distinct profiles among float ones pass the best-response check (tol 1e-6)."""
    from coopgame.equilibria import is_nash

    kept = []
    for x, y in profiles:
        x, y = np.clip(np.asarray(x, float), 0, None), np.clip(np.asarray(y, float), 0, None)
        if x.sum() <= 0 or y.sum() <= 0:
            continue
        x, y = x / x.sum(), y / y.sum()
        if is_nash(game, [x.tolist(), y.tolist()], tol=1e-6) and not any(
                np.allclose(x, u, atol=1e-6) and np.allclose(y, v, atol=1e-6) for u, v in kept):
            kept.append((x, y))
    return len(kept)


def bench_two_player(repeats, sizes=(6, 10)):
    import nashpy
    import pygambit

    from coopgame import Game
    from coopgame.equilibria import is_nash, nash_equilibria

    print("3. two-player Nash equilibria (median seconds; games built before timing)")
    for low, high, label in ((-9, 10, "degenerate, payoffs in [-9, 9]"), (-1000, 1000, "generic, payoffs in [-1000, 999]")):
        for m in sizes:
            rng = np.random.default_rng(m)
            A, B = rng.integers(low, high, size=(m, m)), rng.integers(low, high, size=(m, m))
            ours_game = Game.bimatrix(A.tolist(), B.tolist())
            gambit_game = pygambit.StrategicGame.from_arrays(A.astype(float), B.astype(float))
            nashpy_game = nashpy.Game(A, B)
            times = {"ours": [], "gambit": [], "nashpy": []}
            runs = {"ours": lambda g=ours_game: nash_equilibria(g),
                    "gambit": lambda g=gambit_game: pygambit.nash.enummixed_solve(g, rational=False),
                    "nashpy": lambda g=nashpy_game: list(g.vertex_enumeration())}
            results = {}
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for name in runs:  # warm-up (nashpy at 10x10: its one timed run)
                    if name == "nashpy" and m == 10:
                        continue
                    runs[name]()
                for r in range(repeats):
                    for name, run in runs.items():
                        if name == "nashpy" and m == 10 and r > 0:
                            continue
                        t = time.perf_counter()
                        results[name] = run()
                        times[name].append(time.perf_counter() - t)
            ours, gambit, theirs = (statistics.median(times[k]) for k in ("ours", "gambit", "nashpy"))
            found = results["ours"]
            assert all(is_nash(ours_game, e.profile) for e in found)  # exact: every one certified
            players = list(gambit_game.players)
            n_gambit = _verified_count(ours_game, [[[float(v) for _, v in eq[p]] for p in players]
                                                   for eq in results["gambit"].equilibria])
            n_nashpy = _verified_count(ours_game, results["nashpy"])
            print(f"   {m}x{m} {label}: coopgame exact {ours:.4f} s ({len(found)} equilibria, all certified), "
                  f"gambit float enummixed {gambit:.4f} s ({n_gambit}), nashpy vertex_enumeration {theirs:.3f} s "
                  f"({n_nashpy}); ratio to gambit {ours / gambit:.2f}x, to nashpy {ours / theirs:.4f}x")


def bench_two_player_many(repeats, games=12, sizes=(6, 10)):
    """Ours against gambit's float enummixed over several seeded 6x6 and 10x10 games."""
    import pygambit

    from coopgame import Game
    from coopgame.equilibria import nash_equilibria

    print(f"   over {games} more seeded games each (median over games of the per-game ratio of medians):")
    for low, high, label in ((-9, 10, "degenerate"), (-1000, 1000, "generic")):
        for m in sizes:
            ratios = []
            for seed in range(games):
                rng = np.random.default_rng(1000 + seed)
                A, B = rng.integers(low, high, size=(m, m)), rng.integers(low, high, size=(m, m))
                ours_game = Game.bimatrix(A.tolist(), B.tolist())
                gambit_game = pygambit.StrategicGame.from_arrays(A.astype(float), B.astype(float))
                times = ([], [])
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    nash_equilibria(ours_game)
                    pygambit.nash.enummixed_solve(gambit_game, rational=False)
                    for _ in range(repeats if m < 10 else min(repeats, 3)):  # gambit takes seconds at 10x10
                        t = time.perf_counter()
                        nash_equilibria(ours_game)
                        times[0].append(time.perf_counter() - t)
                        t = time.perf_counter()
                        pygambit.nash.enummixed_solve(gambit_game, rational=False)
                        times[1].append(time.perf_counter() - t)
                ratios.append(statistics.median(times[0]) / statistics.median(times[1]))
            print(f"   {m}x{m} {label}: ratio to gambit median {statistics.median(ratios):.2f}x "
                  f"(range {min(ratios):.2f}x to {max(ratios):.2f}x)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one repeat each")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--part", type=int, choices=(1, 2, 3), action="append",
                        help="run only this part (repeatable; default all three)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[6, 10],
                        help="part 3: the sizes m of the m x m games (default 6 10)")
    args = parser.parse_args()
    repeats = 1 if args.quick else args.repeats
    parts = set(args.part or (1, 2, 3))
    if 1 in parts:
        bench_vertices(repeats)
    if 2 in parts:
        bench_flagship(repeats)
    if 3 in parts:
        bench_two_player(repeats, tuple(args.sizes))
        bench_two_player_many(repeats, sizes=tuple(args.sizes))


if __name__ == "__main__":
    main()
