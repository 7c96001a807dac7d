"""Benchmark of ReplicatorDynamics.sensitivity: all levels and starts in one batch.

Run ``python benchmarks/bench_sensitivity.py`` (``--repeats N``, default 7; ``--clock cpu`` or
``wall``, default ``cpu``: the CPU time of the process, which other load disturbs less) from the
repository root with ``PYTHONPATH=.`` to time the working tree. On the catalogue's three-population
``government_school_enterprise`` model, with the subsidy ``s`` at 5 levels and 27 starts (the
grid {0.2, 0.5, 0.8}^3), integrated to t = 50 with 101 output times at the default tolerances,
it times

1. one ``sensitivity`` run (5 levels x 27 starts in one batch);
2. one ``simulate`` call of 135 starts at one level (the 27 starts five times, at s = 2; the
   same number of trajectories; target: (1) within 2x of it);
3. ``simulate`` once per level, 27 starts each (target: (1) at least 10x faster),

with the same step control in all three (first ``step_control="trajectory"``, a step size per
trajectory, the default of ``sensitivity``; then ``"shared"``, one step size for the batch, the
default of ``simulate``), in three states:

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
final states between (1) and (3). Then (1) and (2) with both step controls are timed
interleaved, repeat by repeat, to compare the step controls and the two defaults.

Which step control for sensitivity. With one step size for the batch, the hardest level at each
moment sets the step of every level: the batch takes 311 steps where the hardest level alone
takes 288 and the middle one (the single run of (2)) 163, so the shared-step batch cannot come
within 2x of (2): its ratio is about the step ratio 311/163 = 1.9 times the cost of the
parameter row. One step size *per level* (each level the steps of its own run, batched) still
takes the hardest level's 288 iterations, with more work per iteration (a step size per column
in every stage): at best the shared batch's cost, so it was not built. With a step per
trajectory each trajectory takes the steps of a run of its own (the longest 172, the single run
of (2) 123): the ratio is met, and since the integrator's per-trajectory mode writes the output
times of all steps in one vectorised pass, the batch costs about as much as with the shared step
(fewer steps, each dearer).

Why the 10x target cannot be met by batching: warm, a run costs about (its steps) x (the cost of
a step), and the cost of a step hardly grows with the batch width (below: 27 and 135 starts);
the runs per level take sum(steps per level) steps at width 27, the batch at least the longest
trajectory's, so the speed-up is at most that step ratio times cost(27)/cost(135): the
benchmark prints this bound from measured costs.

Measured on a shared, heavily loaded two-core machine (load 2.5 to 4; ``--repeats 7``, medians;
three runs, two on the wall clock and one on the CPU clock; absolute times vary with the load by
up to 4x between runs, the ratios much less):

- a step per trajectory (the default): ratio 1.5-1.7 (warm, same levels) / 1.5-1.6 (new
  levels) / 1.6-2.0 (cold): the target is met; against one ``simulate`` of 135 starts at each
  level in turn 1.2 to 1.8. Speed-up over the per-level runs 2.7-3.1x / 2.7-3.1x / 1.5-1.7x;
  the bound from the steps (733 summed against 172) and the per-step costs (CPU clock, the
  least disturbed repeat: 183 us at 27 starts, 215 us at 135) is 3.6x.
- one shared step: ratio 2.3-2.4 / 1.8-2.7 / 1.9 (1.3 to 2.9 against each level); speed-up
  2.2-2.4x / 2.0-2.6x / 1.2-1.3x; bound 3.1x (1012 steps summed against 311; 156 and 165 us
  per step).
- interleaved: the sensitivity run with a step per trajectory takes 0.84-1.17 of the time with
  one shared step (about the same: fewer steps, each dearer); against the default ``simulate``
  (one shared step, faster than its per-trajectory mode on a single level) of 135 starts the
  default sensitivity run takes 2.3-2.6x.

So the 2x target is met with the default, like for like (same step control and tolerances),
and the 10x target is out of reach of any batching: about 3-4x at most, 3x reached.
Final states agree with the per-level runs to 7e-11 (a step per trajectory) and 1.7e-9 (shared).
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


#: The clock of the timings: CPU time of this process (``--clock cpu``, the default), which the
#: other processes of a shared machine disturb far less than wall time (``--clock wall``).
_CLOCK = {"cpu": time.process_time, "wall": time.perf_counter}
_clock = time.process_time


def _timed(fn):
    t = _clock()
    out = fn()
    return _clock() - t, out


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
    parser.add_argument("--clock", choices=sorted(_CLOCK), default="cpu")
    args = parser.parse_args(argv)
    global _clock
    _clock = _CLOCK[args.clock]
    from coopgame.errors import DegenerateGameWarning

    warnings.simplefilter("ignore", DegenerateGameWarning)
    levels = [sympy.Integer(v) for v in range(5)]
    starts = np.array(list(itertools.product([0.2, 0.5, 0.8], repeat=3)))
    t_max = 50
    m, rd = _setup()
    for control in ("trajectory", "shared"):  # the default of sensitivity first
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
                cold[i].append(_timed(_runs(mm, rr, levels, starts, t_max, step_control=control)[i])[0])
        _table("cold", cold)
    # both step controls of both runs, interleaved: the default sensitivity (a step per
    # trajectory) against the default simulate (one shared step) as well
    vals, sym = m.values(), rd.game.symbol("s")
    tiled = np.tile(starts, (len(levels), 1))
    both = {}
    for c in ("trajectory", "shared"):
        both[f"sensitivity {c}"] = lambda c=c: rd.sensitivity("s", levels, vals, starts, t_max, step_control=c)
        both[f"simulate of 135 {c}"] = lambda c=c: rd.simulate({**vals, sym: levels[2]}, tiled, t_max, step_control=c)
    times = {c: [] for c in both}
    for _ in range(args.repeats):
        for c, fn in both.items():
            times[c].append(_timed(fn)[0])
    t = {c: statistics.median(v) for c, v in times.items()}
    print("interleaved: " + ", ".join(f"{c} {v * 1e3:.1f} ms" for c, v in t.items()))
    print(f"{'':<12} sensitivity, a step per trajectory / one shared step: "
          f"{t['sensitivity trajectory'] / t['sensitivity shared']:.2f}; default sensitivity / default simulate "
          f"(one shared step) of 135: {t['sensitivity trajectory'] / t['simulate of 135 shared']:.2f}")

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
        cost[width] = min(_timed(run)[0] for _ in range(repeats)) / n  # the least disturbed repeat
    total, batch = sum(steps[2]), steps[0]
    print(f"{'':<22} cost per step (no holding): {cost[27] * 1e6:.0f} us at 27 starts, {cost[135] * 1e6:.0f} us at "
          f"135; steps per level summed {total} vs batch {batch}: speed-up at most "
          f"{total / batch * cost[27] / cost[135]:.2f}x")


if __name__ == "__main__":
    main()
