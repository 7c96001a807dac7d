"""The ``coopgame`` command: models, show, analyze, simulate, sweep, report and verify.

Every command takes a catalogue model name or a scenario file (``.toml``) and prints to standard
output. Exit codes: 0 on success, 2 on bad input (one line ``coopgame: error: ...`` naming the
problem; ``--debug`` shows the traceback), 1 on an internal error.

Examples
--------
>>> from coopgame.cli import main
>>> main(["models"])  # doctest: +ELLIPSIS
school_enterprise ...
0
>>> main(["analyze", "no_such_model"])  # prints "coopgame: error: unknown model 'no_such_model' ..."
2
"""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from .core.errors import CoopgameError, ParameterError

__all__ = ["main", "build_parser", "resolve", "parse_assignments"]

PROG = "coopgame"


class _UsageError(Exception):
    """A command-line usage error (reported like bad input, exit code 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, no usage dump
        raise _UsageError(f"{message} (see '{self.prog} --help')")


def _add_common(p, *, formats=False, values=True, policy=True):
    p.add_argument("target", metavar="MODEL_OR_FILE",
                   help="a catalogue model name (see 'coopgame models') or a scenario file (.toml)")
    if values:
        p.add_argument("--set", dest="assignments", action="append", default=[], metavar="NAME=VALUE",
                       help="set a parameter (repeatable); values are exact: 3, 0.25, 1/3")
    if policy:
        p.add_argument("--policy", action="append", default=[], metavar="INSTRUMENT",
                       help="apply a policy instrument of the model (repeatable; 'all' for every one)")
    if formats:
        p.add_argument("--format", choices=("text", "markdown", "latex", "json", "csv", "xlsx"), default="text",
                       help="output format (default: text); csv and xlsx write the tables to --out")
        p.add_argument("--out", metavar="FILE", help="with --format csv or xlsx: the file to write the tables to")


def _add_quiet(p):
    p.add_argument("--quiet", "--no-progress", dest="progress", action="store_false",
                   help="no progress bar (on standard error)")


def _add_models(sub) -> None:
    """``coopgame models``: the catalogue listing."""
    p = sub.add_parser("models", help="list the model catalogue, one line each",
                       description="List the model catalogue, one line each.",
                       epilog="example: coopgame models")
    p.set_defaults(handler=_cmd_models)


def _add_show(sub) -> None:
    """``coopgame show``: a model's players, strategies, payoffs and parameters."""
    p = sub.add_parser("show", help="players, strategies, payoffs and parameters of a model or file",
                       description="Show players, strategies, the payoff table and the parameters.",
                       epilog="example: coopgame show school_enterprise --format markdown")
    _add_common(p, values=False)
    p.add_argument("--format", choices=("text", "markdown", "latex", "json", "toml"), default="text",
                   help="output format; 'toml' writes the model as a scenario file")
    p.set_defaults(handler=_cmd_show)


def _add_analyze(sub) -> None:
    """``coopgame analyze``: equilibria, stability and thresholds."""
    p = sub.add_parser("analyze", help="equilibria with conditions, stability table, thresholds",
                       description="Pure equilibria with their exact conditions, the stability of the "
                                   "replicator dynamics (conditions and verdicts at the values) and the "
                                   "thresholds of the policy instruments.",
                       epilog="example: coopgame analyze school_enterprise --set s=2 --format json")
    _add_common(p, formats=True)
    p.add_argument("--no-symbolic", dest="symbolic", action="store_false",
                   help="skip the symbolic stability conditions (faster)")
    p.add_argument("--max-profiles", type=int, default=None, metavar="N",
                   help="analyse games of up to N pure profiles exactly (default 100)")
    p.set_defaults(handler=_cmd_analyze)


def _add_simulate(sub) -> None:
    """``coopgame simulate``: replicator trajectories, with checkpoints."""
    p = sub.add_parser("simulate", help="replicator trajectories to CSV and a figure",
                       description="Integrate replicator trajectories from random starts.",
                       epilog="example: coopgame simulate school_enterprise --starts 20 --t-max 50 "
                              "--out traj.csv --plot traj.png --seed 1")
    _add_common(p)
    p.add_argument("--starts", type=int, default=20, help="number of random starting points (default 20)")
    p.add_argument("--t-max", type=float, default=50.0, help="time horizon (default 50)")
    p.add_argument("--seed", type=int, default=0, help="seed of the random starts (default 0)")
    p.add_argument("--out", metavar="FILE.csv|DIR",
                   help="write the trajectories to this CSV file, or checkpoint into this folder (a manifest and "
                        "one file per chunk; re-running the same command resumes) and write trajectories.csv there")
    p.add_argument("--plot", metavar="FILE", help="write a figure (PNG/PDF/SVG) of the trajectories")
    p.add_argument("--chunk-size", type=int, default=None, metavar="N",
                   help="starts integrated together, the unit of checkpoints (default: all at once, or 1024 with "
                        "--out DIR)")
    p.add_argument("--rtol", type=float, default=1e-8,
                   help="relative tolerance of every trajectory's error test, atol = rtol/100 (default 1e-8)")
    p.add_argument("--step-control", choices=["shared", "trajectory"], default="shared",
                   help="one step size for all trajectories (default) or one per trajectory")
    p.add_argument("--no-settle", action="store_true",
                   help="integrate every trajectory to --t-max, also after it reaches a stable vertex")
    p.add_argument("--max-steps", type=int, default=10_000,
                   help="step budget of the integration (default 10000); more steps is an error naming it")
    _add_quiet(p)
    p.set_defaults(handler=_cmd_simulate)


def _add_sweep(sub) -> None:
    """``coopgame sweep``: regime maps over a grid."""
    p = sub.add_parser("sweep", help="regime map over a parameter grid (.npz or CSV, figure)",
                       description="Classify the regime (which profiles are stable) at every point of "
                                   "a parameter grid. Re-running with the same --out resumes.",
                       epilog="example: coopgame sweep school_enterprise --grid s=0:6:31 --grid K=0:3:16 "
                              "--out map.npz --plot map.png")
    _add_common(p)
    p.add_argument("--grid", action="append", default=[], metavar="NAME=START:STOP:NUM",
                   help="a grid axis (repeatable, one or two axes)")
    p.add_argument("--out", metavar="FILE", help="write the result to FILE (.npz, .csv or .xlsx)")
    p.add_argument("--plot", metavar="FILE", help="write the regime map figure (PNG/PDF/SVG)")
    p.add_argument("--chunk-size", type=int, default=None, metavar="N",
                   help="grid points per chunk, the unit of memory and of checkpoints (default 262144)")
    _add_quiet(p)
    p.set_defaults(handler=_cmd_sweep)


def _add_report(sub) -> None:
    """``coopgame report``: the complete report."""
    p = sub.add_parser("report", help="a complete Markdown report with LaTeX snippets and figures",
                       description="Write a complete report (report.md, LaTeX snippets, figures, the "
                                   "scenario file and JSON results) into a folder. The folder is built "
                                   "aside and moved into place only when complete.",
                       epilog="example: coopgame report government_school_enterprise --out coopgame-report")
    _add_common(p, policy=False)
    p.add_argument("--out", required=True, metavar="DIR", help="the report folder (replaced if it exists)")
    p.add_argument("--seed", type=int, default=None,
                   help="seed of the simulations (default: the scenario's, else 0)")
    p.add_argument("--no-figures", dest="figures", action="store_false", help="leave out the figures")
    _add_quiet(p)
    p.set_defaults(handler=_cmd_report)


def _add_verify(sub) -> None:
    """``coopgame verify``: a publication's claims."""
    p = sub.add_parser("verify", help="confirm or refute a publication's claims about its model",
                       description="Check every claim of a claims file (stability verdicts and conditions of "
                                   "the rest points, ESS of each case, thresholds, simulation end points) against "
                                   "the model; a refuted claim comes with a counterexample inside the model's "
                                   "assumptions. Exit 0 when all claims hold, 1 when one is refuted or cannot be "
                                   "checked, 2 on bad input.",
                       epilog="example: coopgame verify paper.toml --claims claims.toml --format json")
    _add_common(p, values=False, policy=False)
    p.add_argument("--claims", required=True, metavar="CLAIMS.toml", help="the claims file")
    p.add_argument("--format", choices=("markdown", "json"), default="markdown",
                   help="output format (default: markdown)")
    p.add_argument("--examples", type=int, default=200, metavar="N",
                   help="search budget per claim (default: 200)")
    p.add_argument("--seed", type=int, default=0, help="seed of the searches and simulations (default: 0)")
    p.set_defaults(handler=_cmd_verify)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``coopgame`` command."""
    parser = _Parser(
        prog=PROG,
        description="Game-theoretic models of cooperation in vocational education: exact equilibria, "
                    "stability, policy thresholds, regime maps and reports.",
        epilog="example: coopgame report government_school_enterprise --out coopgame-report",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    for add in (_add_models, _add_show, _add_analyze, _add_simulate, _add_sweep, _add_report, _add_verify):
        add(sub)

    p = sub.add_parser("sensitivity", help="time paths at several levels of a parameter, one batch",
                       description="Integrate the same starts at every level of one or two parameters "
                                   "in one batch; print the stable vertices at each level and the exact "
                                   "switching values; write a CSV and a figure (one panel per population).",
                       epilog="example: coopgame sensitivity government_school_enterprise --vary s=0,1,2,3,4 "
                              "--out sensitivity")
    _add_common(p)
    p.add_argument("--vary", action="append", default=[], metavar="NAME=V1,V2,...",
                   help="a parameter and its levels (give --vary twice to vary two together)")
    p.add_argument("--starts", default="9", metavar="N|X,Y,...;X,Y,...",
                   help="a number of random starts, or explicit starts separated by ';' (default 9)")
    p.add_argument("--seed", type=int, default=0, help="seed of the random starts (default 0)")
    p.add_argument("--t-max", type=float, default=50.0, help="time horizon (default 50)")
    p.add_argument("--out", metavar="DIR", help="write sensitivity.csv and the figure into DIR")
    p.add_argument("--figure-format", choices=("png", "pdf", "svg"), default="png",
                   help="format of the figure (default png)")
    p.set_defaults(handler=_cmd_sensitivity)

    p = sub.add_parser("check-assumptions", help="check parameter values against the model's assumptions",
                       description="Exit 0 when the values (defaults updated by --set) satisfy the model's "
                                   "assumptions and any --assume relation; else name the violated one (exit 2).",
                       epilog="example: coopgame check-assumptions school_enterprise --set K=3")
    _add_common(p)
    p.add_argument("--assume", action="append", default=[], metavar="RELATION",
                   help="an extra assumption, for example 'R_s > C_s'")
    p.set_defaults(handler=_cmd_check_assumptions)
    return parser


# ---------------------------------------------------------------------------------- helpers
def resolve(target: str):
    """A :class:`~coopgame.scenario.Scenario` from a model name or a scenario file path.

    Raises
    ------
    ScenarioError, UnknownNameError
        The file cannot be read or the name is not a catalogue model; a long target is
        named by its first characters only.
    """
    from .core.errors import ScenarioError, UnknownNameError
    from .scenario import Scenario, load

    path = Path(target)
    try:
        is_file = path.is_file()
    except (OSError, ValueError) as exc:  # a name too long for the file system, a NUL byte
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ScenarioError(f"{_prefix(target)}: cannot read the file ({reason})") from None
    if target.endswith(".toml") or is_file or "/" in target or "\\" in target:
        if len(target) > _SHOWN:
            try:
                return load(path)
            except ScenarioError as exc:
                raise ScenarioError(str(exc).replace(str(path), _prefix(target), 1)) from None
        return load(path)
    from . import models

    if len(target) > _SHOWN:
        raise UnknownNameError(f"unknown model {_prefix(target)!r} (see 'coopgame models')")
    return Scenario.from_model(models.get(target))


#: Longest target or value echoed back whole in an error message.
_SHOWN = 200


def _prefix(text: str) -> str:
    """``text``, or its first characters and how long it is."""
    return text if len(text) <= _SHOWN else f"{text[:_SHOWN]}... ({len(text)} characters)"


def parse_assignments(items) -> dict[str, str]:
    """``["s=2", "p=1/3"]`` -> ``{"s": "2", "p": "1/3"}``; values are checked later, exactly."""
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name or not value:
            raise ParameterError(f"--set {item!r}: expected NAME=VALUE, for example s=2")
        if name in out:
            raise ParameterError(f"--set: parameter {name!r} is given twice")
        out[name] = value
    return out


def _policy(scenario, names):
    if not names:
        return ()
    if "all" in names:
        return scenario.instrument_names
    scenario.with_policy(*names)  # raises UnknownNameError naming the instrument
    return tuple(names)


def _out(text: str):
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


# ---------------------------------------------------------------------------------- commands
def _cmd_models(args) -> int:
    from . import models

    infos = models.available()
    width = max(len(i.name) for i in infos)
    for info in infos:
        _out(f"{info.name:<{width}}  {info.title}")
    return 0


def _cmd_show(args) -> int:
    from .core.formatting import parameters_latex, parameters_markdown
    from .core.serialize import dumps, game_dict, parameter_dict
    from .scenario import dumps as toml_dumps

    scenario = resolve(args.target)
    policy = _policy(scenario, args.policy)
    game = scenario.with_policy(*policy) if policy else scenario.game
    if args.format == "toml":
        _out(toml_dumps(scenario))
        return 0
    if args.format == "json":
        data = {"name": scenario.name, "title": scenario.title, "policy": list(policy), "game": game_dict(game),
                "instrument_parameters": [parameter_dict(p) for p in scenario.instrument_parameters],
                "instruments": [{"name": n, "parts": [i.describe() for i in group]} for n, group in scenario.instruments],
                "target": list(scenario.target)}
        _out(dumps(data))
        return 0
    params = scenario.parameters
    if args.format == "latex":
        _out("\n".join([f"% {scenario.title or scenario.name}", game.to_latex(), parameters_latex(params)]))
        return 0
    lines = [f"# {scenario.title or scenario.name}" if args.format == "markdown" else (scenario.title or scenario.name), ""]
    if scenario.description:
        lines += [scenario.description, ""]
    lines.append("Players and strategies:" if args.format == "text" else "## Players and strategies")
    lines.append("")
    for player, names in game.strategies.items():
        lines.append(f"- {player}: {', '.join(names)}")
    lines += ["", "Payoffs:" if args.format == "text" else "## Payoffs", "", game.to_markdown(), "",
              "Parameters:" if args.format == "text" else "## Parameters", "", parameters_markdown(params)]
    if scenario.instruments:
        lines += ["", "Policy instruments:" if args.format == "text" else "## Policy instruments", ""]
        for n, group in scenario.instruments:
            lines.append(f"- {n}: " + "; ".join(i.describe() for i in group))
    if policy:
        lines += ["", f"Applied: {', '.join(policy)}."]
    _out("\n".join(lines))
    return 0


def _cmd_analyze(args) -> int:
    from .analysis.pipeline import analyze
    from .core.serialize import dumps

    scenario = resolve(args.target)
    values = parse_assignments(args.assignments)
    policy = _policy(scenario, args.policy)
    if args.format in ("csv", "xlsx"):
        if not args.out:
            raise ParameterError(f"--format {args.format} writes a file: give it with --out FILE.{args.format}")
        _check_output(args.out, (f".{args.format}",), "--out")
        from .core.frames import require_pandas

        require_pandas()
    elif args.out:
        raise ParameterError("--out goes with --format csv or xlsx")
    limit = {} if args.max_profiles is None else {"max_profiles": args.max_profiles}
    result = analyze(scenario, values, policy=policy, symbolic=args.symbolic, **limit)
    if args.format in ("csv", "xlsx"):
        from .core.frames import write_table

        write_table(result.to_dataframes(), args.out)
        _out(f"tables written to {args.out}")
    elif args.format == "json":
        _out(dumps(result.to_dict()))
    elif args.format == "latex":
        _out(result.to_latex())
    elif args.format == "markdown":
        _out(result.to_markdown())
    else:
        _out(result.to_text())
    return 0


def _game_and_values(scenario, args):
    values = parse_assignments(getattr(args, "assignments", []))
    policy = _policy(scenario, getattr(args, "policy", []))
    game = scenario.with_policy(*policy) if policy else scenario.game
    vals = scenario.values(values, policy=bool(policy))
    scenario.check_applied(values, policy)
    present = {p.name for p in game.parameters}
    return game, policy, {k: v for k, v in vals.items() if k.name in present}


def _check_output(path, suffixes, what):
    """Fail early (exit 2) on an output file that cannot be written or has the wrong suffix."""
    import os

    from .core.errors import OutputError

    path = Path(path)
    if path.suffix.lower() not in suffixes:
        raise OutputError(f"{what} {path}: expected a file name ending in {' or '.join(suffixes)}")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"{what} {path}: the folder {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"{what} {path}: the folder {parent} is not writable")
    from .core.io import remove_stale_temporaries

    remove_stale_temporaries(path)  # left by a run killed while saving this output
    return path


def _cmd_simulate(args) -> int:
    import numpy as np

    from .core.io import check_folder, write_text_atomically
    from .dynamics.simulate import sample_states
    from .report.phase import PLOT_FORMATS, plot_trajectories, trajectories_csv

    scenario = resolve(args.target)
    game, policy, vals = _game_and_values(scenario, args)
    _check_simulate_options(args)
    out = folder = None
    if args.out and args.out.lower().endswith(".csv"):
        out = _check_output(args.out, (".csv",), "--out")
    elif args.out:  # a checkpoint folder
        folder = Path(args.out)
        check_folder(folder)
        out = folder / "trajectories.csv"
    plot = _check_output(args.plot, PLOT_FORMATS, "--plot") if args.plot else None
    dyn = game.replicator()
    initial = sample_states(dyn, args.starts, np.random.default_rng(args.seed))
    identity = {"model": scenario.name, "policy": list(policy), "seed": args.seed}
    resumed = 0
    if folder is not None and (folder / "manifest.json").is_file():  # checked against this run by simulate
        resumed = sum(1 for _ in folder.glob("chunk-*.npz"))
    traj = dyn.simulate(vals, initial, args.t_max, rtol=args.rtol, atol=args.rtol / 100,
                        step_control=args.step_control, settle=not args.no_settle, progress=args.progress,
                        max_steps=args.max_steps, chunk_size=args.chunk_size, out=folder,
                        identity=identity)
    counts: dict[str, int] = {}
    for limit in traj.limits:
        label = "no rest point reached" if limit is None else (
            "(" + ", ".join(limit.profile) + ")" if limit.profile else f"{limit.kind} rest point")
        counts[label] = counts.get(label, 0) + 1
    if resumed:
        _out(f"resumed from {resumed} finished chunk(s) in {folder}")
    _out(f"{len(traj)} trajectories of {scenario.name} from random starts (seed {args.seed}) up to t = {args.t_max:g}:")
    for label, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        _out(f"  {n:5d}  {label}")
    if out is not None:
        write_text_atomically(out, trajectories_csv(traj))
        _out(f"trajectories written to {out}")
    if plot is not None:
        plot_trajectories(traj, plot, title=scenario.title or scenario.name)
        _out(f"figure written to {plot}")
    return 0


def _check_simulate_options(args) -> None:
    """Bad numbers of ``coopgame simulate`` name their option (exit 2), before any work."""
    import numpy as np

    from .dynamics.simulate import MAX_T_MAX

    if not 1 <= args.starts <= 10_000:
        raise ParameterError(f"--starts {args.starts}: expected an integer from 1 to 10000")
    if not (np.isfinite(args.t_max) and args.t_max > 0):
        raise ParameterError(f"--t-max {args.t_max}: expected a positive time")
    if args.t_max > MAX_T_MAX:
        raise ParameterError(f"--t-max {args.t_max:g}: at most {MAX_T_MAX:g} "
                             "(MAX_T_MAX of coopgame.dynamics.simulate) is accepted")
    if args.max_steps < 1:
        raise ParameterError(f"--max-steps {args.max_steps}: expected a positive integer")
    if args.seed < 0:
        raise ParameterError(f"--seed {args.seed}: expected a non-negative integer")
    if not (np.isfinite(args.rtol) and 1e-14 <= args.rtol < 1):
        raise ParameterError(f"--rtol {args.rtol}: expected a tolerance from 1e-14 to below 1")
    if args.chunk_size is not None and args.chunk_size < 1:
        raise ParameterError(f"--chunk-size {args.chunk_size}: expected a positive integer")


def _cmd_sweep(args) -> int:
    from .analysis import sweep
    from .core.errors import OutputError
    from .core.io import write_text_atomically
    from .report.phase import PLOT_FORMATS
    from .scenario import parse_grid

    scenario = resolve(args.target)
    if not args.grid:
        raise ParameterError("sweep needs at least one --grid NAME=START:STOP:NUM")
    axes = [parse_grid(g) for g in args.grid]
    game, policy, vals = _game_and_values(scenario, args)
    known = {p.name: p for p in game.parameters}
    scenario.check_applied([ax.name for ax in axes], policy)
    for ax in axes:
        if ax.name not in known:
            from .core.errors import UnknownNameError

            raise UnknownNameError(f"--grid {ax.spec()}: unknown parameter {ax.name!r} "
                                   f"(parameters of the game: {', '.join(known)})")
        for end in (ax.start, ax.stop):
            known[ax.name].check(end)
    if len({ax.name for ax in axes}) != len(axes):
        raise ParameterError("--grid: a parameter is given two grid axes")
    out = _check_output(args.out, (".npz", ".csv", ".xlsx"), "--out") if args.out else None
    plot = _check_output(args.plot, PLOT_FORMATS, "--plot") if args.plot else None
    if plot is not None and sum(ax.num > 1 for ax in axes) != 2:
        raise ParameterError("--plot: a regime map needs exactly two --grid axes with several points")
    grid = {ax.name: ax.values() for ax in axes}
    fixed = {k.name: v for k, v in vals.items() if k.name not in grid}
    npz = out if out is not None and out.suffix.lower() == ".npz" else None
    unsaved = None
    try:
        chunk = {} if args.chunk_size is None else {"chunk_size": args.chunk_size}
        result = sweep(game, grid, fixed, progress=args.progress, out=npz, **chunk)
    except OutputError as exc:  # computed but not saved (full disk): print it, then report exit 2
        if exc.result is None:
            raise
        result, unsaved = exc.result, exc
    _out(f"regime map of {scenario.name} over {' x '.join(ax.spec() for ax in axes)}:")
    _out(result.to_markdown())
    if unsaved is not None:
        raise unsaved
    if out is not None and out.suffix.lower() == ".xlsx":
        from .core.frames import write_table

        write_table(result.to_dataframe(), out, sheet="sweep")
    elif out is not None and npz is None:
        write_text_atomically(out, sweep_csv(result))
    if out is not None:
        _out(f"result written to {out}")
    if plot is not None:
        from .report.phase import plot_regime_map

        plot_regime_map(result, plot, title=scenario.title or scenario.name)
        _out(f"figure written to {plot}")
    return 0


def sweep_csv(result) -> str:
    """A sweep result as CSV: one row per grid point, the axes' values, the regime, boundary flag."""
    import csv
    import io
    import itertools

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    names = [a.name for a in result.axes]
    writer.writerow([*names, "regime", "stable_profiles", "boundary"])
    columns = [a.exact if a.exact is not None else a.values for a in result.axes]
    for idx in itertools.product(*(range(len(a)) for a in result.axes)):
        code = result.data[idx]
        regime = result.legend[code] if result.legend is not None else code
        writer.writerow([*(str(col[i]) for col, i in zip(columns, idx)), int(code), str(regime),
                         int(bool(result.boundary[idx]))])
    return buf.getvalue()


def _parse_levels(item):
    name, sep, rest = item.partition("=")
    name = name.strip()
    levels = [v.strip() for v in rest.split(",") if v.strip()]
    if not sep or not name or not levels:
        raise ParameterError(f"--vary {item!r}: expected NAME=V1,V2,..., for example s=0,1,2")
    from .parameters import to_exact

    return name, [to_exact(v, name=f"--vary {name}") for v in levels]


def _cmd_sensitivity(args) -> int:
    import csv
    import io

    import numpy as np

    from .dynamics.simulate import sample_states
    from .report.phase import write_text_atomically

    scenario = resolve(args.target)
    if not 1 <= len(args.vary) <= 2:
        raise ParameterError("sensitivity needs one or two --vary NAME=V1,V2,...")
    varied = [_parse_levels(v) for v in args.vary]
    if not args.policy and any(n not in {p.name for p in scenario.game.parameters} for n, _ in varied):
        args.policy = ["all"]  # an instrument's level: apply the instruments
    game, policy, vals = _game_and_values(scenario, args)
    names = [n for n, _ in varied]
    vals = {k: v for k, v in vals.items() if k.name not in names}
    if not (np.isfinite(args.t_max) and args.t_max > 0):
        raise ParameterError(f"--t-max {args.t_max}: expected a positive time")
    dyn = game.replicator()
    text = args.starts.strip()
    if ";" in text or "," in text:
        try:
            initial = [[float(x) for x in part.split(",")] for part in text.split(";") if part.strip()]
        except ValueError:
            raise ParameterError(f"--starts {text!r}: expected numbers like 0.5,0.5;0.2,0.8") from None
    else:
        if not text.isdigit() or not 1 <= int(text) <= 10_000:
            raise ParameterError(f"--starts {text!r}: expected a number from 1 to 10000 or explicit starts")
        initial = sample_states(dyn, int(text), np.random.default_rng(args.seed))
    out = None
    if args.out:
        out = Path(args.out)
        if out.exists() and not out.is_dir():
            from .report.document import OutputError

            raise OutputError(f"--out {out}: not a folder")
    levels = varied[0][1] if len(varied) == 1 else [lv for _, lv in varied]
    res = dyn.sensitivity(names[0] if len(names) == 1 else tuple(names), levels, vals, initial, args.t_max)
    _out(f"sensitivity of {scenario.name} to {', '.join(names)} ({len(res.initial)} starts, t = {args.t_max:g}):")
    _out(res.to_markdown())
    if out is not None:
        from .report.analysis_figures import save_figure, sensitivity_figure

        out.mkdir(parents=True, exist_ok=True)
        rows = res.to_dicts()
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows([{k: str(v) for k, v in r.items()} for r in rows])
        write_text_atomically(out / "sensitivity.csv", buf.getvalue())
        fig = sensitivity_figure(res, title=f"{scenario.title or scenario.name}: sensitivity to {', '.join(names)}")
        path = save_figure(fig, out / "sensitivity", args.figure_format)
        _out(f"written: {out / 'sensitivity.csv'}, {path}")
    return 0


def _cmd_check_assumptions(args) -> int:
    from .dynamics.cases import check_assumptions
    from .expressions import parse

    scenario = resolve(args.target)
    game, policy, vals = _game_and_values(scenario, args)
    assumptions = []
    try:
        from . import models

        assumptions = list(models.get(args.target).assumptions)
    except CoopgameError:
        pass  # a scenario file: only the --assume relations
    symbols = {p.name: p.symbol for p in scenario.parameters} if hasattr(scenario, "parameters") else {}
    symbols.update({k.name: k for k in vals})
    for text in args.assume:
        assumptions.append(parse(text, symbols, relational=True))
    check_assumptions(vals, assumptions)
    _out(f"the values satisfy all {len(assumptions)} assumption(s) of {scenario.name}")
    return 0


def _cmd_report(args) -> int:
    import warnings

    from .report.document import FiguresSkipped, write_report

    scenario = resolve(args.target)
    values = parse_assignments(args.assignments)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", FiguresSkipped)
        path = write_report(scenario, args.out, values=values, seed=args.seed, figures=args.figures,
                            progress=args.progress)
    for w in caught:
        if issubclass(w.category, FiguresSkipped):
            print(f"{PROG}: warning: {_one_line(w.message)}", file=sys.stderr)
        else:
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
    _out(f"coopgame: report written to {path / 'report.md'}")
    return 0


def _cmd_verify(args) -> int:
    from .claims import load, verify

    if args.examples < 1:
        raise ParameterError(f"--examples must be at least 1, got {args.examples}")
    scenario = resolve(args.target)
    claims = load(args.claims)
    report = verify(scenario, claims, max_examples=args.examples, seed=args.seed, rng=args.seed)
    _out(report.to_json() if args.format == "json" else report.to_markdown().rstrip())
    return report.exit_code


# ---------------------------------------------------------------------------------- entry point
def main(argv=None) -> int:
    """Run the ``coopgame`` command with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv  # accepted anywhere on the line
    argv = [a for a in argv if a != "--debug"]
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except _UsageError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except SystemExit as exc:  # --help and --version exit through argparse
        return int(exc.code or 0)
    if getattr(args, "handler", None) is None:
        parser.print_help()
        return 0
    try:
        return args.handler(args)
    except CoopgameError as exc:
        if debug:
            traceback.print_exc()
        print(f"{PROG}: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # an internal error: say so, show the traceback with --debug
        if debug:
            traceback.print_exc()
        print(f"{PROG}: internal error: {type(exc).__name__}: {_one_line(exc)} "
              "(rerun with --debug for the traceback)", file=sys.stderr)
        return 1


def _one_line(exc) -> str:
    return " ".join(str(exc).split())
