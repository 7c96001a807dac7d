"""The README main job, ``coopgame report government_school_enterprise``, against one analysis.

Three jobs, each in a fresh Python process with the package already imported (import time is
not part of the work, and nothing is cached from an earlier repeat), medians of the repeats:

- ``report``: the whole report with figures, as ``coopgame report MODEL --out DIR`` runs it;
- ``report --no-figures``: the same without the figures (and without their simulations);
- ``analyze``: one :func:`coopgame.analysis.pipeline.analyze` of the model (status quo, with the
  exact stability conditions and the policy thresholds);
- ``study``: :func:`coopgame.analysis.study.study` with the report's settings, i.e. everything the
  report computes (both analyses with their trajectories, the case table, the sensitivity runs,
  the bifurcation and the regime map); the report's time beyond it is rendering and figures.

Besides wall-clock seconds it prints the process's CPU seconds (on a shared machine they vary
less with the load; the ratios are given for both) and counts that do not depend
on the load: replicator systems built, symbolic systems among them, expected-payoff
derivations, the payoff differences of faces searched for rest points, field compilations and
rest-point searches.

Run with ``python benchmarks/bench_report.py [repeats] [model]``; the target of the design is a
whole report within 3x of one analysis and at most 5 s.

Measured on the development machine (2 cores, shared: the load varied from 1 to 4 during the
runs, so each job of the package before and after the changes below ran in turn, five times,
medians; wall and CPU seconds agree within 0.01 s in these medians)::

    job                   before: wall  cpu    ratio    after: wall  cpu    ratio
    analyze                       0.84  0.84   1.0x            0.34  0.34   1.0x
    report --no-figures           3.01  3.01   3.6x            1.66  1.66   4.9x
    report                       10.63 10.62  12.7x            8.09  8.08  23.8x

A later run of this script alone, at a lower load, after the changes: analyze 0.33 s, report
--no-figures 1.59 s (4.8x), report 6.53 s (19.5x), wall and CPU alike.

Counts (the same before and after): analyze 2 replicator systems (1 symbolic), 1 rest-point
search; report --no-figures 4 (2 symbolic), 2 searches; report 17 (4 symbolic), 14 searches,
266 face payoff differences, 2 field compilations. What changed: the policy thresholds solve
their linear conditions directly instead of through sympy's univariate solver (one analysis
0.84 s to 0.34 s: the ratios grow because the analysis itself became 2.5x faster); the case
table's feasibility questions are memoised under canonical keys, proved feasible by earlier
witness points and pruned (0.84 s to 0.30 s CPU for this model's table); PNG files are encoded
from Agg's pixels, RGB at zlib level 1 (about 40 ms less per figure).

Neither target is met: the whole report takes 6.5 to 8.1 s, 20x to 24x the (now faster)
analysis and 8x to 10x the analysis before. Where it goes (one run, 6.6 s): the eight figures
about 3.2 s (Agg drawing and tight layout of matplotlib; the two trajectory figures 1.1 s, the
four sensitivity panels 1.0 s) plus 0.6 s importing matplotlib; the bifurcation 0.8 s (11
numeric rest-point searches, one per interval and rational critical value, and the symbolic
search of the reduced system); the two analyses 0.7 s; the sensitivity runs 0.3 s; the regime
map 0.4 s; the case table 0.2 s.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

#: The package this script belongs to is the one measured (not another installed copy).
ROOT = str(Path(__file__).resolve().parent.parent)

JOB = r"""
import collections, json, sys, tempfile, time, pathlib
import coopgame
assert coopgame.__file__.startswith(sys.argv[3]), coopgame.__file__
from coopgame import models
from coopgame.analysis.pipeline import TrajectorySpec, analyze
from coopgame.analysis.study import study
from coopgame.cli import main
from coopgame.dynamics import ReplicatorDynamics, codegen, simulate

counts = collections.Counter()
def spy(cls, name, key):
    real = getattr(cls, name)
    def wrapper(self, *a, **k):
        counts[key] += 1
        return real(self, *a, **k)
    setattr(cls, name, wrapper)
real_init = ReplicatorDynamics.__init__
def init(self, game):
    counts["replicator systems"] += 1
    counts["symbolic systems"] += not game.is_numeric
    real_init(self, game)
ReplicatorDynamics.__init__ = init
spy(ReplicatorDynamics, "_expected_payoffs", "expected-payoff derivations")
spy(ReplicatorDynamics, "_face_differences", "face payoff differences")
spy(codegen.FieldFunction, "__init__", "field compilations")
spy(ReplicatorDynamics, "_non_vertex_points", "rest-point searches")

job, model = sys.argv[1], sys.argv[2]
out = pathlib.Path(tempfile.mkdtemp()) / "report"
t0, c0 = time.perf_counter(), time.process_time()
if job == "analyze":
    analyze(models.get(model))
elif job == "study":  # what the report computes: its settings (seed 0, 20 starts, t = 50)
    study(models.get(model), trajectories=TrajectorySpec(20, 0, 50), t_max=50)
else:
    argv = ["report", model, "--out", str(out)] + (["--no-figures"] if job == "report --no-figures" else [])
    assert main(argv) == 0
seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
print(json.dumps({"seconds": seconds, "cpu": cpu, "counts": dict(counts)}))
"""


def run(job: str, model: str) -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [ROOT, os.environ.get("PYTHONPATH")]))}
    with tempfile.TemporaryDirectory() as cwd:
        done = subprocess.run([sys.executable, "-c", JOB, job, model, ROOT], capture_output=True, text=True, check=True,
                              cwd=cwd, env=env)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    model = sys.argv[2] if len(sys.argv) > 2 else "government_school_enterprise"
    jobs = ["analyze", "study", "report --no-figures", "report"]
    results = {job: [run(job, model) for _ in range(repeats)] for job in jobs}
    base = statistics.median(r["seconds"] for r in results["analyze"])
    base_cpu = statistics.median(r["cpu"] for r in results["analyze"])
    print(f"{model}: medians of {repeats} runs, each in a fresh process (imports excluded)")
    for job in jobs:
        t = statistics.median(r["seconds"] for r in results[job])
        c = statistics.median(r["cpu"] for r in results[job])
        print(f"  {job:<22} {t:7.2f} s wall {t / base:5.2f}x, {c:7.2f} s cpu {c / base_cpu:5.2f}x one analysis")
        if job == "report":
            s = statistics.median(r["seconds"] for r in results["study"])
            print(f"  {'':<22} {t / s:5.2f}x the study it renders ({t - s:.2f} s of rendering and figures)")
        print(f"  {'':<22} counts: {results[job][0]['counts']}")


if __name__ == "__main__":
    main()
