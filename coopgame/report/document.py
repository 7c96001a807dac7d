"""Markdown reports: a scenario's tables, its analyses and figures in one document.

:func:`write_report` writes a complete report folder (``report.md`` with LaTeX snippets,
``scenario.toml``, ``results.json`` and figures), built in a temporary folder next to the
destination and moved into place only when complete. The analyses come from the pipeline,
:func:`coopgame.analysis.pipeline.analyze` (re-exported here with :class:`Analysis` and
:class:`InstrumentThreshold`); the tables from :mod:`coopgame.core.formatting`.

Examples
--------
>>> from coopgame import Game, Parameter
>>> g = Game(["A", "B"], [["x", "y"], ["x", "y"]],
...          {("x", "x"): ["b", "b"], ("x", "y"): [0, 1], ("y", "x"): [1, 0], ("y", "y"): [1, 1]},
...          [Parameter("b", "benefit", "yuan", "positive", 2)])
>>> print(parameters_markdown(g))
| parameter | meaning | unit | domain | default | source |
|---|---|---|---|---|---|
| b | benefit | yuan | positive (0, ∞) | 2 |  |
>>> a = analyze(g, stability=False)
>>> [(e.profile, str(e.condition)) for e in a.strict_equilibria]
[(('x', 'x'), 'b > 1'), (('y', 'y'), 'True')]
>>> a.holds(a.strict_equilibria[0])
True
"""

from __future__ import annotations

import warnings
from pathlib import Path

from ..analysis.pipeline import Analysis, InstrumentThreshold, TrajectorySpec, analyze, as_scenario
from ..analysis.study import study
from ..core.errors import OutputError
from ..core.formatting import markdown_table, parameters_latex, parameters_markdown
from ..core.io import check_folder as _check_folder
from ..core.io import write_folder_atomically as write_atomically

__all__ = [
    "Analysis",
    "FiguresSkipped",
    "InstrumentThreshold",
    "OutputError",
    "analyze",
    "as_scenario",
    "parameters_markdown",
    "parameters_latex",
    "write_atomically",
    "write_report",
]


class FiguresSkipped(UserWarning):
    """A report was written without its figures because matplotlib cannot be imported."""


def _fenced(code: str, lang: str = "latex") -> str:
    return f"```{lang}\n{code.rstrip()}\n```"


def write_report(obj, out, *, values=None, seed: int | None = None, figures: bool = True,
                 starts: int | None = None, t_max=None, symbolic: bool = True, progress: bool = True) -> Path:
    """Write a complete report of a scenario or catalogue model into the folder ``out``.

    The folder receives ``report.md`` (Markdown with LaTeX snippets), ``scenario.toml`` (the
    scenario, readable by :func:`coopgame.scenario.load`), ``results.json`` (the analyses as JSON
    data), ``latex/*.tex`` (the tables) and, with ``figures``, ``figures/*.png``. The report is
    deterministic: the same inputs and ``seed`` give byte-identical files. It is built in a
    temporary folder and moved into place when complete (see :func:`write_atomically`).

    Parameters
    ----------
    obj : Scenario or Model
    out : path
        The report folder; an existing folder of that name is replaced.
    values : mapping, optional
        Parameter values overriding the defaults.
    seed, starts, t_max : optional
        Seed of the random starting points, number of trajectories per figure and time horizon
        of the simulations; by default those of the scenario's ``[analysis.simulate]``, else
        0, 20 and 50.
    figures : bool
        Simulate the trajectories, sweep the regime map and draw their figures. Where matplotlib
        cannot be imported, everything but the figures is written and a :class:`FiguresSkipped`
        warning says why (the report says so too).
    symbolic : bool
        Include the exact stability conditions.
    progress : bool
        Show a progress bar over the report's stages: the analyses, the simulations and the
        regime map (see :mod:`coopgame.core.progress`).

    Returns
    -------
    Path
        The report folder.
    """
    from .. import __version__
    from ..core.serialize import dumps as json_dumps
    from ..scenario import dumps as scenario_toml

    scenario = as_scenario(obj)
    _check_folder(out)
    seed, starts, t_max = _simulation_settings(scenario, seed, starts, t_max)
    from ..core.progress import bar as progress_bar

    draw = None
    if figures:
        from .phase import drawing_unavailable

        draw = drawing_unavailable()
        if draw is not None:
            warnings.warn(f"report {out}: written without its figures: {draw}", FiguresSkipped, stacklevel=2)
    n_analyses = 2 if scenario.instruments else 1
    bar = progress_bar(n_analyses + (1 if figures else 0), "stages", f"report {scenario.name}", enabled=progress)
    drawn = figures and draw is None
    try:
        done = study(scenario, values, symbolic=symbolic, assumptions=getattr(obj, "assumptions", ()),
                     trajectories=TrajectorySpec(starts, seed, t_max) if figures else None, t_max=t_max,
                     sensitivity=drawn, bifurcation=drawn, regime=figures, progress=lambda: bar.update(1))
    except BaseException:
        bar.close()
        raise

    def build(tmp: Path):
        (tmp / "latex").mkdir()
        title = scenario.title or scenario.name
        md = _model_section(tmp, scenario, title, seed, __version__)
        results = {"scenario": scenario.name, "title": title, "seed": seed, "coopgame": __version__, "analyses": {}}
        for key, heading, analysis in done.analyses:
            latex = analysis.to_latex()  # typeset once: the fenced copy and the file are the same text
            md += [f"## {heading}", "", analysis.to_markdown(level=3), ""]
            md += ["LaTeX of the tables:", "", _fenced(latex), ""]
            (tmp / "latex" / f"{key}.tex").write_text(latex, encoding="utf-8")
            results["analyses"][key] = analysis.to_dict()
        from .analysis_section import analysis_section, standalone_tex

        md += analysis_section(tmp, done, figures=drawn, results=results)
        if figures:
            if not drawn:
                md += [f"> Figures left out: {draw}.", ""]
            md += _figures(tmp, done.analyses, seed, starts, t_max, results, drawn)
            if done.regime is not None:
                md += _regime_section(tmp, done.regime, results, drawn)
            bar.update(1)
        (tmp / "report.tex").write_text(standalone_tex(tmp, title), encoding="utf-8")
        if scenario.references:
            md += ["## References", ""] + [f"- {r}" for r in scenario.references] + [""]
        md += ["## Reproduce", "", "The scenario file `scenario.toml` in this folder holds the model; with it:", "",
               _fenced(f"coopgame report scenario.toml --out report --seed {seed}", "sh"), ""]
        (tmp / "report.md").write_text("\n".join(md).rstrip() + "\n", encoding="utf-8")
        (tmp / "scenario.toml").write_text(scenario_toml(scenario), encoding="utf-8")
        (tmp / "results.json").write_text(json_dumps(results) + "\n", encoding="utf-8")

    try:
        return write_atomically(out, build)
    finally:
        bar.close()


def _simulation_settings(scenario, seed, starts, t_max):
    """``(seed, starts, t_max)``: those given, else the scenario's ``[analysis.simulate]``, else 0, 20, 50."""
    spec = scenario.analyses.simulate
    seed = seed if seed is not None else (spec.seed if spec is not None else 0)
    starts = starts if starts is not None else (spec.starts if spec is not None else 20)
    t_max = t_max if t_max is not None else (spec.t_max if spec is not None else 50)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        from ..core.errors import ParameterError

        raise ParameterError(f"seed must be a non-negative integer, got {seed!r}")
    return seed, starts, t_max


def _model_section(tmp: Path, scenario, title, seed, version) -> list[str]:
    """The report's head and its model section (players, payoffs, parameters, instruments);
    the payoff and parameter tables also go to ``tmp/latex``."""
    md = [f"# {title}", ""]
    if scenario.description:
        md += [scenario.description, ""]
    md += [f"Report generated by coopgame {version} (seed {seed}). Every condition below is exact; "
           "numbers are exact rationals unless stated. Parameter defaults are illustrative.", ""]
    md += ["## The model", "", "### Players and strategies", ""]
    md += [f"- **{p}**: {', '.join(s)}" for p, s in scenario.game.strategies.items()] + [""]
    payoffs_latex = scenario.game.to_latex()
    md += ["### Payoffs without policy", "", scenario.game.to_markdown(), "", _fenced(payoffs_latex), ""]
    md += ["### Parameters", "", parameters_markdown(scenario.parameters), ""]
    (tmp / "latex" / "payoffs.tex").write_text(payoffs_latex + "\n", encoding="utf-8")
    (tmp / "latex" / "parameters.tex").write_text(parameters_latex(scenario.parameters) + "\n", encoding="utf-8")
    if scenario.instruments:
        md += ["### Policy instruments", ""]
        md += [f"- `{n}`: " + "; ".join(i.describe() for i in group) for n, group in scenario.instruments] + [""]
    if scenario.target:
        md += [f"Full cooperation (the target profile): ({', '.join(scenario.target)}).", ""]
    return md


def _figures(tmp: Path, analyses, seed, starts, t_max, results, drawn=True) -> list[str]:
    """The trajectory figures, drawn from the trajectories the analyses kept (tables only where
    matplotlib cannot be imported)."""

    if drawn:
        (tmp / "figures").mkdir(exist_ok=True)
    md = ["## Trajectories of the replicator dynamics", ""]
    results["trajectories"] = {}
    for key, heading, analysis in analyses:
        traj = analysis.trajectories
        name = f"figures/trajectories_{key}.png"
        if drawn:
            from .phase import plot_trajectories

            plot_trajectories(traj, tmp / name, title=heading)
        counts: dict[str, int] = {}
        for limit in traj.limits:
            label = "none" if limit is None else ("(" + ", ".join(limit.profile) + ")" if limit.profile else limit.kind)
            counts[label] = counts.get(label, 0) + 1
        results["trajectories"][key] = counts
        md += [f"### {heading}", ""] + ([f"![{heading}]({name})", ""] if drawn else []) + [
               f"{starts} trajectories from uniformly random starts (seed {seed}), up to t = {t_max}. "
               "Where they end:", "", markdown_table(["rest point", "trajectories"], sorted(counts.items())), ""]
    return md


def _regime_section(tmp: Path, regime, results, can_draw=True) -> list[str]:
    """The regime map of a study (:class:`~coopgame.analysis.study.RegimeMap`): its figure with
    the exact boundaries, its table and its entry of ``results.json``."""
    result, grid, fixed, names = regime.sweep, regime.grid, regime.fixed, regime.instruments
    name = "figures/regime_map.png"
    swept = list(grid)
    applied = ", ".join(names) if names else "no instrument"
    title = f"Stable profiles over {' and '.join(swept)} ({applied} applied)"
    drawn = can_draw and sum(len(v) > 1 for v in grid.values()) == 2
    curves_text = []
    if drawn:
        from .phase import plot_regime_map

        curves = list(regime.curves)  # the exact boundaries: deviation gains = 0
        plot_regime_map(result, tmp / name, title=title, curves=curves)
        if curves:
            from ..core.formatting import math_text

            curves_text = ["Black lines: the exact boundaries, where a vertex's deviation gain vanishes: "
                           + ", ".join(f"`{math_text(c)} = 0`" for c in curves) + ".", ""]
    results["regime_map"] = {"instruments": list(names),
                             "axes": {k: [str(v[0]), str(v[-1]), len(v)] for k, v in grid.items()},
                             "counts": {str(k): v for k, v in result.counts().items()}}
    spans = ", ".join(f"{k} from {v[0]} to {v[-1]} ({len(v)} points)" for k, v in grid.items())
    return ["## Regime map", "",
            f"Which pure profiles are asymptotically stable (strict Nash equilibria) on a grid of "
            f"{spans}, with {applied} applied and the other parameters at their values. "
            "Points on a boundary are classified exactly.", ""] + ([f"![{title}]({name})", ""] if drawn else []) + \
        curves_text + [
            result.to_markdown(), "", "Fixed values: " + ", ".join(f"{k} = {v}" for k, v in sorted(fixed.items())) + ".", ""]
