"""Benchmark of ReplicatorDynamics.sensitivity: all levels and starts in one batch.

Run ``python benchmarks/bench_sensitivity.py`` (``--repeats N``, default 5). On the catalogue's
three-population ``government_school_enterprise`` model, with the subsidy ``s`` at 5 levels and
27 starts (the grid {0.2, 0.5, 0.8}^3), integrated to t = 50 with 101 output times at the default
tolerances, it prints the median times of

1. one ``sensitivity`` run (5 levels x 27 starts in one batch);
2. one ``simulate`` call of 135 starts at one level (the same number of trajectories; target:
   the sensitivity run within 2x of it);
3. ``simulate`` once per level, 27 starts each (target: the sensitivity run >= 10x faster),

all warm (fields compiled and rest-point tables cached by a first run), and the same three cold
(a fresh model and dynamics for every repeat: derivation, compilation and the exact rest-point
tables included). The accuracy is equal: the same integrator, tolerances and error norm over the
shares (the sensitivity run scales its tolerances for the parameter rows, whose error is zero);
the maximum difference of the final states between (1) and (3) is printed.

Measured on a shared two-core machine (``--repeats 3``, medians): warm, sensitivity 575 ms, one
``simulate`` of 135 starts 109 ms (ratio 5.3: target of 2 missed), ``simulate`` per level 878 ms
(speed-up 1.5x: target of 10 missed); cold 4.2 s, 0.94 s and 5.2 s. Final states agree with the
per-level runs to 1.7e-9. Why the targets are missed: with one step size for the batch, the
hardest trajectory at any level sets the step for all 135, while the 135 starts of the single
``simulate`` are the 27 starts repeated at one level; the parameter rows add monomials to the
field; and warm ``simulate`` calls cost little beyond their integration, so looping over 5 levels
is at most about 5 times one call. Run it with ``PYTHONPATH=.`` from the repository root to time
the working tree.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import time
import warnings

import numpy as np


def _setup():
    from coopgame import models

    m = models.get("government_school_enterprise")
    g = m.with_policy()
    return m, g.replicator()


def _median(fn, repeats):
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    from coopgame.errors import DegenerateGameWarning

    warnings.simplefilter("ignore", DegenerateGameWarning)
    levels = [0, 1, 2, 3, 4]
    starts = np.array(list(itertools.product([0.2, 0.5, 0.8], repeat=3)))
    t_max = 50

    def run(m, rd):
        vals = m.values()
        s = rd.game.symbol("s")
        sens = lambda: rd.sensitivity("s", levels, vals, starts, t_max)  # noqa: E731
        one = lambda: rd.simulate({**vals, s: 2}, np.tile(starts, (5, 1)), t_max)  # noqa: E731
        loop = lambda: [rd.simulate({**vals, s: v}, starts, t_max) for v in levels]  # noqa: E731
        return sens, one, loop

    m, rd = _setup()
    sens, one, loop = run(m, rd)
    sens(), one(), loop()  # warm up: compile and cache
    t_sens, res = _median(sens, args.repeats)
    t_one, _ = _median(one, args.repeats)
    t_loop, per_level = _median(loop, args.repeats)
    diff = max(float(np.max(np.abs(tr.final - pl.final))) for tr, pl in zip(res.trajectories, per_level))
    print(f"warm: sensitivity {t_sens * 1e3:.1f} ms; one simulate of 135 starts {t_one * 1e3:.1f} ms "
          f"(ratio {t_sens / t_one:.2f}, target <= 2); simulate per level {t_loop * 1e3:.1f} ms "
          f"(speed-up {t_loop / t_sens:.1f}x, target >= 10)")
    print(f"max |final state difference| sensitivity vs per-level simulate: {diff:.2e}")

    def cold(which):
        def go():
            m, rd = _setup()
            return run(m, rd)[which]()
        return go

    t_sens_c, _ = _median(cold(0), args.repeats)
    t_one_c, _ = _median(cold(1), args.repeats)
    t_loop_c, _ = _median(cold(2), args.repeats)
    print(f"cold: sensitivity {t_sens_c:.2f} s; one simulate of 135 starts {t_one_c:.2f} s "
          f"(ratio {t_sens_c / t_one_c:.2f}); simulate per level {t_loop_c:.2f} s "
          f"(speed-up {t_loop_c / t_sens_c:.1f}x)")


if __name__ == "__main__":
    main()
