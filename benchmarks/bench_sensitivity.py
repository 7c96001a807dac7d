"""Benchmark of ReplicatorDynamics.sensitivity: all levels and starts in one batch.

Run ``python benchmarks/bench_sensitivity.py`` (``--repeats N``, default 7) from the repository
root with ``PYTHONPATH=.`` to time the working tree. On the catalogue's three-population
``government_school_enterprise`` model, with the subsidy ``s`` at 5 levels and 27 starts (the
grid {0.2, 0.5, 0.8}^3), integrated to t = 50 with 101 output times at the default tolerances,
it times

1. one ``sensitivity`` run (5 levels x 27 starts in one batch);
2. one ``simulate`` call of 135 starts at one level (the 27 starts five times, at s = 2; the
   same number of trajectories; target: (1) within 2x of it);
3. ``simulate`` once per level, 27 starts each (target: (1) at least 10x faster),

in three states:

- *warm, same levels*: every field, vertex row and switch already computed for these levels
  (only the integration and the labelling of limits are left);
- *warm, new levels*: the model derived and its field compiled once (with the parameters as
  arguments), but the levels are new at every repeat (``s = i + r/1000``), so each run does its
  per-level exact work, as a new sensitivity analysis does;
- *cold*: a fresh model and dynamics for every repeat, with sympy's cache cleared (derivation
  and compilation included).

The three runs of a repeat are timed one after the other, and the medians of the repeats are
printed with their ratios. The accuracy is equal: the same integrator, tolerances and error
norm over the shares (the sensitivity run scales its tolerances for the parameter rows, whose
error is zero), and the steps of each batch are printed; so is the largest difference of the
final states between (1) and (3). A second table repeats the warm runs with
``step_control="trajectory"`` (a step size per trajectory) for both.

Why the 10x target cannot be met by batching: warm, a ``simulate`` of 27 starts costs its
integration and little else, and the integrator's cost per step grows slowly with the batch
width, so five calls cost at most about five batch integrations; a batch over levels also takes
at least as many steps as the hardest level alone (one shared step size).

Measured on a shared, loaded two-core machine (``--repeats 7``, medians; absolute times vary
with the load, the ratios less). Before the exact work was made symbolic-once and the field
assembled from the once-compiled parametric one, in the same layout: ratio 4.5 (warm, same
levels), 7.3 (warm, new levels), 3.7 (cold, sympy's cache warm); speed-up 1.6x, 0.8x, 1.2x.
After (and with the hold test of the integrator vectorised over the held points):

- shared steps: ratio 2.3-2.4 (warm, same levels) / 2.1-2.3 (new levels) / 1.4-1.8 (cold);
  speed-up 2.3-2.6x / 2.2-2.4x / 1.4x. Against one ``simulate`` of 135 starts at each level in
  turn the ratio is 1.4 (hardest level, s = 1) to 2.6 (easiest, s = 3). The batch takes 311
  steps, the hardest level alone 288 and the single run at s = 2 163: the shared step size
  accounts for a factor 1.9 by itself.
- a step per trajectory (``step_control="trajectory"`` in both): ratio 1.6-1.9 (target met),
  speed-up 2.8-3.0x.

The 2x target is met against the hardest level or with per-trajectory steps, missed by about
15% against the middle level with shared steps; the 10x target is not reachable by batching
(see above). Final states agree with the per-level runs to 1.7e-9 (shared) and 7e-11 (per
trajectory).
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import time
import warnings

import numpy as np
import sympy
from sympy.core.cache import clear_cache


def _setup():
    from coopgame import models

    m = models.get("government_school_enterprise")
    return m, m.with_policy().replicator()


def _timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def _runs(m, rd, levels, starts, t_max, **kw):
    vals = m.values()
    s = rd.game.symbol("s")
    return (lambda: rd.sensitivity("s", levels, vals, starts, t_max, **kw),
            lambda: rd.simulate({**vals, s: levels[2]}, np.tile(starts, (len(levels), 1)), t_max, **kw),
            lambda: [rd.simulate({**vals, s: v}, starts, t_max, **kw) for v in levels])


def _table(name, samples):
    t = [statistics.median(x) for x in samples]
    print(f"{name:<22} sensitivity {t[0] * 1e3:8.1f} ms | one simulate of 135 {t[1] * 1e3:8.1f} ms "
          f"(ratio {t[0] / t[1]:.2f}, target <= 2) | simulate per level {t[2] * 1e3:8.1f} ms "
          f"(speed-up {t[2] / t[0]:.2f}x, target >= 10)")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv)
    from coopgame.errors import DegenerateGameWarning

    warnings.simplefilter("ignore", DegenerateGameWarning)
    levels = [sympy.Integer(v) for v in range(5)]
    starts = np.array(list(itertools.product([0.2, 0.5, 0.8], repeat=3)))
    t_max = 50
    m, rd = _setup()
    for control in ("shared", "trajectory"):
        runs = _runs(m, rd, levels, starts, t_max, step_control=control)
        outs = [fn() for fn in runs]  # warm up: compile and cache
        same = [[], [], []]
        for _ in range(args.repeats):
            for i, fn in enumerate(runs):
                same[i].append(_timed(fn)[0])
        res, one, per_level = outs
        diff = max(float(np.max(np.abs(tr.final - pl.final))) for tr, pl in zip(res.trajectories, per_level))
        steps = (int(max(np.max(t.steps) for t in res.trajectories)), int(np.max(one.steps)),
                 [int(np.max(t.steps)) for t in per_level])
        print(f"step_control={control!r}: steps of the longest trajectory: sensitivity {steps[0]}, one simulate "
              f"{steps[1]}, per level {steps[2]}; max |final difference| sensitivity vs per level {diff:.1e}")
        _table("warm, same levels", same)
        # one simulate of 135 starts at each level in turn: which level the single run is at
        # decides its steps (the batch takes at least the hardest level's)
        vals, sym = m.values(), rd.game.symbol("s")
        each = []
        for v in levels:
            def run(v=v, vals=vals, sym=sym, control=control):
                return rd.simulate({**vals, sym: v}, np.tile(starts, (len(levels), 1)), t_max, step_control=control)

            run()
            each.append(statistics.median(_timed(run)[0] for _ in range(args.repeats)))
        t_sens = statistics.median(same[0])
        print(f"{'':<22} one simulate of 135 at s = " + ", ".join(f"{v}: {t * 1e3:.1f} ms" for v, t in zip(levels, each))
              + f" (ratio of the sensitivity run to these: {t_sens / max(each):.2f} to {t_sens / min(each):.2f})")
        _bound(rd, m, levels, starts, t_max, control, steps, args.repeats)
        if control == "shared":
            new = [[], [], []]
            for r in range(args.repeats):
                fresh = [v + sympy.Rational(r + 1, 1000) for v in levels]
                for i, fn in enumerate(_runs(m, rd, fresh, starts, t_max, step_control=control)):
                    new[i].append(_timed(fn)[0])
            _table("warm, new levels", new)
            cold = [[], [], []]
            for _ in range(args.repeats):
                for i in range(3):
                    clear_cache()  # sympy's cache too: a derivation from scratch
                    mm, rr = _setup()
                    cold[i].append(_timed(_runs(mm, rr, levels, starts, t_max)[i])[0])
            _table("cold", cold)
    # the two step controls of the sensitivity run against each other, interleaved
    both = {c: (lambda c=c: rd.sensitivity("s", levels, m.values(), starts, t_max, step_control=c))
            for c in ("shared", "trajectory")}
    times = {c: [] for c in both}
    for _ in range(args.repeats):
        for c, fn in both.items():
            times[c].append(_timed(fn)[0])
    t = {c: statistics.median(v) for c, v in times.items()}
    print(f"sensitivity, interleaved: one shared step {t['shared'] * 1e3:.1f} ms, a step per trajectory "
          f"{t['trajectory'] * 1e3:.1f} ms (ratio {t['trajectory'] / t['shared']:.2f}; same levels, starts, tolerances)")


def _bound(rd, m, levels, starts, t_max, control, steps, repeats):
    """The largest speed-up batching can give over simulate once per level, from measured costs.

    Warm, a run costs about (its steps) x (the cost of one step at its width). The per-level runs
    take sum(steps of each level) steps at width 27, the batch max(its steps) at width 135, so
    the speed-up is at most sum / max times cost(27) / cost(135) per step; both measured here at
    the middle level, where the 27- and 135-start runs take the same steps.
    """
    vals, sym = m.values(), rd.game.symbol("s")
    at = {**vals, sym: levels[2]}
    cost = {}
    for width in (27, 135):
        y0 = np.tile(starts, (width // 27, 1))
        def run(y0=y0):
            return rd.simulate(at, y0, t_max, step_control=control, settle=False)

        n = int(np.max(run().steps))
        cost[width] = statistics.median(_timed(run)[0] for _ in range(repeats)) / n
    total, batch = sum(steps[2]), steps[0]
    print(f"{'':<22} cost per step (no holding): {cost[27] * 1e6:.0f} us at 27 starts, {cost[135] * 1e6:.0f} us at "
          f"135; steps per level summed {total} vs batch {batch}: speed-up at most "
          f"{total / batch * cost[27] / cost[135]:.2f}x")


if __name__ == "__main__":
    main()
