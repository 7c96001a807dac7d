"""Timings of coopgame.cooperative: Shapley value (subset formula) against the plain permutation
formula, and the nucleolus, on random integer games.

Run with ``python benchmarks/bench_cooperative.py [max_players]``. The permutation formula visits
n! orders and is only run up to 8 players; both give the same exact values (checked here).
"""

from __future__ import annotations

import itertools
import sys
import time

import numpy as np
import sympy

from coopgame.cooperative import TUGame


def shapley_by_permutations(game: TUGame) -> dict:
    total = {p: sympy.Integer(0) for p in game.players}
    count = 0
    for order in itertools.permutations(game.players):
        before = frozenset()
        for p in order:
            total[p] += game.value(before | {p}) - game.value(before)
            before = before | {p}
        count += 1
    return {p: v / count for p, v in total.items()}


def random_game(n: int, rng: np.random.Generator) -> TUGame:
    values = {}
    for size in range(1, n + 1):
        for S in itertools.combinations(range(n), size):
            values[frozenset(S)] = int(rng.integers(0, 10)) * size
    values[frozenset(range(n))] = 10 * n * n  # at least the singletons' sum: imputations exist
    return TUGame(range(n), values)


def timed(f):
    t = time.perf_counter()
    out = f()
    return out, time.perf_counter() - t


def main(max_players: int = 10, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    print(f"{'n':>3} {'shapley s':>10} {'permutations s':>15} {'nucleolus s':>12} {'core LP s':>10}")
    for n in range(3, max_players + 1):
        g = random_game(n, rng)
        phi, t_shapley = timed(g.shapley)
        if n <= 8:
            perm, t_perm = timed(lambda g=g: shapley_by_permutations(g))
            assert perm == dict(phi), "Shapley formulas disagree"
            shown_perm = f"{t_perm:15.4f}"
        else:
            shown_perm = f"{'(skipped)':>15}"
        _, t_nuc = timed(g.nucleolus)
        _, t_core = timed(g.core_is_empty)
        print(f"{n:>3} {t_shapley:10.4f} {shown_perm} {t_nuc:12.4f} {t_core:10.4f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
