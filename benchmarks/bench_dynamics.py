"""Benchmarks of coopgame.dynamics: symbolic stability tables and vectorised trajectories.

Run ``python benchmarks/bench_dynamics.py`` (add ``--quick`` for a smaller run). Prints

1. the time to build the replicator system of a three-population, two-strategy game with ten
   symbolic parameters and tabulate the stability of its eight vertices (target < 0.5 s), and the
   time of the full table including the non-vertex rest points;
2. for 10,000 random initial states integrated to t = 50: the maximum error of
   ``ReplicatorDynamics.simulate`` against a tight-tolerance reference (``solve_ivp`` DOP853,
   rtol 1e-12, atol 1e-14; target <= 1e-6), its run time, and the ratios to looping
   ``solve_ivp(RK45)`` over the starts (target >= 80) and to one ``solve_ivp(RK45)`` call over the
   stacked state (target >= 1), all at the same tolerances.
"""

from __future__ import annotations

import argparse
import itertools
import time

import numpy as np
from scipy.integrate import solve_ivp


def government_school_enterprise():
    """A three-population game: government regulates, school cooperates deeply, enterprise joins.

    Ten parameters: school benefit ``R_s`` and cost ``C_s`` of deep cooperation, enterprise
    benefit ``R_e`` from trained graduates and cost ``C_e`` of hosting, interns' labour value
    ``L``, subsidy ``s`` and penalty ``p`` under strict regulation, the government's
    reputation gain ``G`` from cooperation, its supervision cost ``C_g`` and the share ``a`` of
    the school's benefit that survives shallow cooperation.
    """
    from coopgame import Game, Parameter
    from coopgame.parameters import NONNEGATIVE, POSITIVE, UNIT_OPEN

    names = {"R_s": POSITIVE, "C_s": POSITIVE, "R_e": POSITIVE, "C_e": POSITIVE, "L": NONNEGATIVE,
             "s": NONNEGATIVE, "p": NONNEGATIVE, "G": POSITIVE, "C_g": POSITIVE, "a": UNIT_OPEN}
    params = [Parameter(n, domain=d) for n, d in names.items()]
    payoffs = {}
    for g, sc, e in itertools.product(["strict", "loose"], ["deep", "shallow"], ["join", "refuse"]):
        strict, deep, join = g == "strict", sc == "deep", e == "join"
        school = ("R_s - C_s" if join else "-C_s") if deep else ("a*R_s" if join else "0")
        school += (" + s" if deep else " - p") if strict else ""
        ent = ("R_e + L - C_e" if deep else "L - C_e") if join else "0"
        ent += (" + s" if join else " - p") if strict else ""
        coop = int(deep) + int(join)
        gov = f"{coop}*G"
        if strict:
            gov += f" - C_g - {coop}*s + {2 - coop}*p"
        payoffs[(g, sc, e)] = [gov, school, ent]
    return Game(["government", "school", "enterprise"],
                [["strict", "loose"], ["deep", "shallow"], ["join", "refuse"]], payoffs, parameters=params)


VALUES = {"R_s": 3, "C_s": 2, "R_e": 2, "C_e": 3, "L": "1/2", "s": 1, "p": "1/2", "G": 1, "C_g": 2, "a": "1/2"}


def bench_symbolic(game):
    from coopgame.dynamics import ReplicatorDynamics

    t0 = time.perf_counter()
    table = ReplicatorDynamics(game).stability(include="vertices")
    t_vertices = time.perf_counter() - t0
    assert len(table.rows) == 8
    t0 = time.perf_counter()
    full = ReplicatorDynamics(game).stability(timeout=30)
    t_full = time.perf_counter() - t0
    return t_vertices, t_full, table, full


def bench_numeric(game, k, n_ref, n_loop, rng, rtol, atol):
    from coopgame.dynamics import ReplicatorDynamics
    from coopgame.dynamics.simulate import sample_states

    rd = ReplicatorDynamics(game)
    f = rd.vector_field(VALUES)
    Y0 = sample_states(rd, k, rng)
    times = np.linspace(0, 50, 51)
    rd.simulate(VALUES, Y0[:10], 50)  # warm-up: compile the field, find the rest points

    t0 = time.perf_counter()
    traj = rd.simulate(VALUES, Y0, 50, t_eval=times, rtol=rtol, atol=atol)
    t_ours = time.perf_counter() - t0

    ref_idx = rng.choice(k, n_ref, replace=False)
    errors = []
    for i in ref_idx:
        ref = solve_ivp(lambda t, y: f(y[None, :])[0], (0, 50), Y0[i], t_eval=times, rtol=1e-12, atol=1e-14,
                        method="DOP853")
        errors.append(np.max(np.abs(ref.y.T - traj.states[i])))
    max_err = max(errors)

    t0 = time.perf_counter()
    for i in range(n_loop):
        solve_ivp(lambda t, y: f(y[None, :])[0], (0, 50), Y0[i], t_eval=times, rtol=rtol, atol=atol)
    t_loop = (time.perf_counter() - t0) / n_loop * k

    dim = Y0.shape[1]
    t0 = time.perf_counter()
    stacked = solve_ivp(lambda t, y: f(y.reshape(-1, dim)).ravel(), (0, 50), Y0.ravel(), t_eval=times,
                        rtol=rtol, atol=atol)
    t_vec = time.perf_counter() - t0
    vec_states = stacked.y.T.reshape(len(times), k, dim).transpose(1, 0, 2)
    ref_err_vec = []
    for i in ref_idx[:20]:
        ref = solve_ivp(lambda t, y: f(y[None, :])[0], (0, 50), Y0[i], t_eval=times, rtol=1e-12, atol=1e-14,
                        method="DOP853")
        ref_err_vec.append(np.max(np.abs(ref.y.T - vec_states[i])))
    inside = bool(np.all(traj.states >= 0) and np.all(traj.states <= 1))
    return {"t_ours": t_ours, "max_err": max_err, "t_loop": t_loop, "t_vec": t_vec, "err_vec": max(ref_err_vec),
            "inside": inside, "steps": int(traj.steps.max()), "limits": traj.limits}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 trajectories instead of 10,000")
    parser.add_argument("--rtol", type=float, default=1e-7)
    parser.add_argument("--atol", type=float, default=1e-9)
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    import coopgame  # noqa: F401

    print(f"import coopgame: {time.perf_counter() - t0:.2f} s")
    game = government_school_enterprise()
    t_vertices, t_full, table, full = bench_symbolic(game)
    print("\nSymbolic stability, 3 populations x 2 strategies, 10 parameters")
    print(f"  replicator system + 8-vertex table (eigenvalues, conditions): {t_vertices:.3f} s  (target < 0.5 s)")
    print(f"  full table incl. {len(full.rows) - 8} non-vertex rest point(s), complete={full.complete}: "
          f"{t_full:.2f} s")
    k = 1_000 if args.quick else 10_000
    r = bench_numeric(game, k, n_ref=50 if args.quick else 200, n_loop=50, rng=np.random.default_rng(2024),
                      rtol=args.rtol, atol=args.atol)
    print(f"\n{k:,} trajectories to t = 50 (rtol={args.rtol:g}, atol={args.atol:g})")
    print(f"  coopgame simulate (vectorised Dormand-Prince): {r['t_ours']:.2f} s, max {r['steps']} steps")
    print(f"  max error vs DOP853 rtol 1e-12 reference:      {r['max_err']:.2e}  (target <= 1e-6)")
    print(f"  looping solve_ivp(RK45) (extrapolated from 50): {r['t_loop']:.1f} s  -> ratio {r['t_loop'] / r['t_ours']:.0f}x"
          f"  (target >= 80x)")
    print(f"  one solve_ivp(RK45) on the stacked state:       {r['t_vec']:.2f} s  -> ratio {r['t_vec'] / r['t_ours']:.2f}x"
          f"  (target >= 1x; its max error {r['err_vec']:.1e})")
    print(f"  all states inside the state space: {r['inside']}")
    ends = {}
    for lim in r["limits"]:
        key = lim.label() if lim is not None else "none"
        ends[key] = ends.get(key, 0) + 1
    print(f"  limits: {ends}")


if __name__ == "__main__":
    main()
