"""What chunks and checkpoints cost ``simulate``: one batch against chunks, with and without a folder.

Run ``python benchmarks/bench_simulate_chunks.py`` (``--starts``, ``--repeats``). For random starts
of the catalogue's three-population model (``government_school_enterprise`` with every instrument),
integrated to t = 50 at the default tolerances, it prints the median of ``--repeats`` warm runs of

1. one batch (``chunk_size=None``, the default without ``out``);
2. chunks of each size in ``--chunks`` (same work per start, more turns of the Python step loop);
3. chunks of 1024 with a checkpoint folder (``out=``: one ``.npz`` file per chunk written
   atomically), and the re-run of a finished folder (every chunk read, nothing integrated);

with the ratios to one batch, the largest difference of the chunked states from those of one
batch (the tolerances bound it, not equality: the shared step depends on the batch) and whether the
re-run equals the first run exactly.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time

import numpy as np


def main(argv=None):
    from coopgame.cli import resolve
    from coopgame.dynamics.simulate import sample_states

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--starts", type=int, default=10_000)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--chunks", type=int, nargs="*", default=[4096, 1024, 256])
    args = ap.parse_args(argv)
    scenario = resolve("government_school_enterprise")
    game = scenario.with_policy(*scenario.instrument_names)
    present = {p.name for p in game.parameters}
    values = {k: v for k, v in scenario.values({}, policy=True).items() if k.name in present}
    rd = game.replicator()
    starts = sample_states(rd, args.starts, np.random.default_rng(0))
    rd.simulate(values, starts[:10], 50.0)  # warm-up: compile the field, find the rest points

    def median(run):
        times = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            run()
            times.append(time.perf_counter() - t0)
        return float(np.median(times))

    one = rd.simulate(values, starts, 50.0)
    t_one = median(lambda: rd.simulate(values, starts, 50.0))
    print(f"{args.starts} starts to t = 50, median of {args.repeats} warm runs")
    print(f"  one batch                      {t_one:7.3f} s  1.00x")
    for size in args.chunks:
        t = median(lambda size=size: rd.simulate(values, starts, 50.0, chunk_size=size))
        diff = np.max(np.abs(rd.simulate(values, starts, 50.0, chunk_size=size).states - one.states))
        print(f"  chunks of {size:<6d}               {t:7.3f} s  {t / t_one:.2f}x  (max |difference| {diff:.2g})")
    root = tempfile.mkdtemp()
    try:
        def fresh():
            shutil.rmtree(f"{root}/run", ignore_errors=True)
            rd.simulate(values, starts, 50.0, out=f"{root}/run")

        t_out = median(fresh)
        first = rd.simulate(values, starts, 50.0, out=f"{root}/run")
        t_read = median(lambda: rd.simulate(values, starts, 50.0, out=f"{root}/run"))
        again = rd.simulate(values, starts, 50.0, out=f"{root}/run")
        print(f"  chunks of 1024, out=DIR        {t_out:7.3f} s  {t_out / t_one:.2f}x")
        print(f"  re-run of the finished folder  {t_read:7.3f} s  {t_read / t_one:.2f}x  "
              f"(identical: {np.array_equal(first.states, again.states)})")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
