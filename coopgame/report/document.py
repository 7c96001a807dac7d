"""Markdown reports: a scenario's tables, its analyses and figures in one document.

:func:`analyze` runs the analyses of a scenario (or catalogue model) at given parameter values
and returns an :class:`Analysis`, which renders as text, Markdown, LaTeX or JSON data.
:func:`write_report` writes a complete report folder (``report.md`` with LaTeX snippets,
``scenario.toml``, ``results.json`` and figures), built in a temporary folder next to the
destination and moved into place only when complete.

Examples
--------
>>> from coopgame import Game, Parameter
>>> g = Game(["A", "B"], [["x", "y"], ["x", "y"]],
...          {("x", "x"): ["b", "b"], ("x", "y"): [0, 1], ("y", "x"): [1, 0], ("y", "y"): [1, 1]},
...          [Parameter("b", "benefit", "yuan", "positive", 2)])
>>> print(parameters_markdown(g))
| parameter | meaning | unit | domain | default | source |
|---|---|---|---|---|---|
| b | benefit | yuan | positive (0, oo) | 2 |  |
>>> a = analyze(g, stability=False)
>>> [(e.profile, str(e.condition)) for e in a.strict_equilibria]
[(('x', 'x'), 'b > 1'), (('y', 'y'), 'True')]
>>> a.holds(a.strict_equilibria[0])
True
"""

from __future__ import annotations

import os
import shutil
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import sympy

from ..errors import CoopgameError
from .tables import latex_table, markdown_table

__all__ = [
    "Analysis",
    "InstrumentThreshold",
    "OutputError",
    "analyze",
    "as_scenario",
    "parameters_markdown",
    "parameters_latex",
    "write_atomically",
    "write_report",
]


class OutputError(CoopgameError, OSError):
    """An output file or folder cannot be written; the message names it."""


def _parameter_rows(game):
    params = game.parameters if hasattr(game, "parameters") else game
    return [[p.name, p.meaning, p.unit, p.domain.describe(), "" if p.default is None else p.default, p.source]
            for p in params]


def parameters_markdown(game) -> str:
    """The parameter table (name, meaning, unit, domain, default, source) of a game, model or list of parameters."""
    return markdown_table(["parameter", "meaning", "unit", "domain", "default", "source"], _parameter_rows(game))


def parameters_latex(game) -> str:
    """The parameter table of a game, model or list of parameters as a LaTeX ``tabular``."""
    rows = [[sympy.Symbol(r[0]), *r[1:]] for r in _parameter_rows(game)]
    return latex_table(["parameter", "meaning", "unit", "domain", "default", "source"], rows)


def as_scenario(obj):
    """A :class:`~coopgame.scenario.Scenario` from a scenario, a catalogue model or a game."""
    from ..game import Game
    from ..scenario import Scenario

    if isinstance(obj, Scenario):
        return obj
    if isinstance(obj, Game):
        return Scenario(game=obj)
    if hasattr(obj, "game") and hasattr(obj, "instrument_parameters"):
        return Scenario.from_model(obj)
    raise CoopgameError(f"expected a Scenario, a catalogue Model or a Game, got {type(obj).__name__}")


# ---------------------------------------------------------------------------------- analysis
@dataclass(frozen=True, eq=False)
class Analysis:
    """The analyses of a scenario at given parameter values.

    Attributes
    ----------
    scenario : Scenario
        What was analysed.
    policy : tuple of str
        The instruments applied to the game (names from the scenario).
    game : Game
        The game analysed (the scenario's game with ``policy`` applied).
    values : dict
        The parameter values (keyed by symbol, exact) of the numeric results.
    equilibria, strict_equilibria : tuple of Equilibrium
        Pure Nash equilibria and strict ones, each with its exact condition (empty when not
        requested).
    stability : StabilityTable or None
        The stability conditions of the rest points of the replicator dynamics (symbolic).
    stability_at_values : StabilityTable or None
        The stability verdicts at ``values``.
    thresholds : tuple of InstrumentThreshold
        For each instrument parameter of the scenario, the levels making the target profile
        evolutionarily stable (each instrument alone, the other parameters at ``values``).
    """

    scenario: object
    policy: tuple
    game: object
    values: dict
    equilibria: tuple = ()
    strict_equilibria: tuple = ()
    stability: object = None
    stability_at_values: object = None
    thresholds: tuple = ()
    notes: tuple = field(default=())
    requested_equilibria: bool = True

    def holds(self, equilibrium) -> bool:
        """Whether an equilibrium's condition holds at :attr:`values`."""
        names = {k.name: v for k, v in self.values.items()}
        return equilibrium.holds({s.name: names[s.name] for s in equilibrium.condition.free_symbols
                                  if s.name in names} if equilibrium.condition.free_symbols else {})

    # ------------------------------------------------------------------ rendering
    def _values_text(self) -> str:
        used = {s.name for s in self.game.free_symbols}
        shown = [f"{k.name} = {v}" for k, v in sorted(self.values.items(), key=lambda kv: kv[0].name) if k.name in used]
        return ", ".join(shown) or "none (the game is numeric)"

    def _equilibrium_rows(self):
        strict = {e.profile: e for e in self.strict_equilibria}
        rows = []
        for e in self.equilibria:
            s = strict.get(e.profile)
            rows.append(["(" + ", ".join(e.profile) + ")", e.condition, self.holds(e),
                         s.condition if s is not None else sympy.false, self.holds(s) if s is not None else False])
        return rows

    _EQ_HEADER = ("profile", "Nash equilibrium iff", "at values", "strict iff", "strict at values")

    def to_markdown(self, level: int = 2) -> str:
        """The analysis as Markdown sections (headings start at ``level``)."""
        h = "#" * level
        title = self.scenario.title or self.scenario.name
        policy = ", ".join(self.policy) if self.policy else "none (status quo)"
        parts = [f"{h} Analysis of {title}", f"Policy instruments applied: {policy}.",
                 f"Parameter values: {self._values_text()}.", f"{h}# Payoffs", self.game.to_markdown(),
                 f"{h}# Pure equilibria",
                 markdown_table(self._EQ_HEADER, self._equilibrium_rows()) if self.equilibria
                 else "No pure profile is a Nash equilibrium for any admissible parameter values."
                 if self.requested_equilibria else "Not requested."]
        if self.stability is not None:
            parts += [f"{h}# Stability of the replicator dynamics (conditions)", self.stability.to_markdown()]
        if self.stability_at_values is not None:
            parts += [f"{h}# Stability at the parameter values", self.stability_at_values.to_markdown()]
        if self.thresholds:
            target = "(" + ", ".join(self.scenario.target) + ")"
            parts += [f"{h}# Policy thresholds",
                      f"Levels of each instrument, applied alone with the other parameters at the values above, "
                      f"that make the target profile {target} evolutionarily stable (a strict Nash equilibrium, "
                      "hence asymptotically stable under the replicator dynamics).",
                      markdown_table(_THRESHOLD_HEADER, [t.row() for t in self.thresholds])]
        parts += [f"*{n}*" for n in self.notes]
        return "\n\n".join(parts) + "\n"

    def to_text(self) -> str:
        """Plain text: the Markdown without heading marks."""
        return "\n".join(line.lstrip("#").lstrip() if line.startswith("#") else line
                         for line in self.to_markdown().splitlines()) + "\n"

    def to_latex(self) -> str:
        """The tables as LaTeX: payoffs, equilibria and stability, each a ``tabular``."""
        parts = [f"% coopgame analysis of {self.scenario.name}; values: {self._values_text()}",
                 "% payoffs", self.game.to_latex(), "% pure equilibria",
                 latex_table(list(self._EQ_HEADER), [[r[0], r[1], str(r[2]), r[3], str(r[4])]
                                                     for r in self._equilibrium_rows()])]
        if self.stability is not None:
            parts += ["% stability conditions", self.stability.to_latex()]
        if self.stability_at_values is not None:
            parts += ["% stability at the values", self.stability_at_values.to_latex()]
        if self.thresholds:
            parts += ["% policy thresholds", latex_table(list(_THRESHOLD_HEADER), [t.row(latex=True) for t in self.thresholds])]
        return "\n".join(parts) + "\n"

    def to_dict(self) -> dict:
        """JSON data; every entry matches the corresponding Python result (see :mod:`.serialize`)."""
        from .serialize import equilibrium_dict, game_dict, to_jsonable, values_dict

        return {
            "scenario": self.scenario.name,
            "policy": list(self.policy),
            "values": values_dict(self.values),
            "game": game_dict(self.game),
            "equilibria": [equilibrium_dict(e, self.values) for e in self.equilibria],
            "strict_equilibria": [equilibrium_dict(e, self.values) for e in self.strict_equilibria],
            "stability": None if self.stability is None else to_jsonable(self.stability.to_dicts()),
            "stability_at_values": None if self.stability_at_values is None
            else to_jsonable(self.stability_at_values.to_dicts()),
            "target": list(self.scenario.target),
            "thresholds": [t.to_dict() for t in self.thresholds],
            "notes": list(self.notes),
        }

    def _repr_markdown_(self):
        return self.to_markdown()

    def _repr_latex_(self):
        return self.game._repr_latex_()


def analyze(obj, values=None, *, policy=(), equilibria: bool = True, stability: bool = True,
            symbolic: bool = True, thresholds: bool = True, timeout: float | None = None) -> Analysis:
    """Analyse a scenario, catalogue model or game at parameter values.

    Parameters
    ----------
    obj : Scenario, Model or Game
    values : mapping, optional
        Parameter values (names or symbols as keys); parameters not given take the scenario's
        analysis values or defaults.
    policy : sequence of str or ``"all"``
        Instruments of the scenario to apply before analysing.
    equilibria : bool
        Find the pure equilibria with their conditions.
    stability : bool
        Tabulate the stability of the replicator dynamics.
    symbolic : bool
        Also tabulate the exact stability conditions of the pure profiles (the rest points at
        the vertices); every rest point is analysed at the values.
    thresholds : bool
        For a scenario with a target profile and instruments, the smallest level of each
        instrument parameter that makes the target evolutionarily stable.
    timeout : float or None
        Time budget in seconds for each search of non-vertex rest points.

    Raises
    ------
    UnknownNameError, ParameterError
        An unknown parameter or instrument, or a value outside its domain.
    """
    from ..equilibria import pure_equilibria

    scenario = as_scenario(obj)
    if policy == "all" or policy == ("all",) or policy == ["all"]:
        policy = scenario.instrument_names
    policy = tuple(policy)
    game = scenario.with_policy(*policy) if policy else scenario.game
    use_levels = bool(policy)
    vals = scenario.values(values, policy=use_levels)
    present = {p.name for p in game.parameters}
    vals = {k: v for k, v in vals.items() if k.name in present}
    missing = sorted(s.name for s in game.free_symbols if s not in vals)
    if missing:
        from ..errors import ParameterError

        raise ParameterError(f"no value or default for parameter(s) {', '.join(missing)}; give them with --set NAME=VALUE")
    eqs = tuple(pure_equilibria(game)) if equilibria else ()
    strict = tuple(pure_equilibria(game, strict=True)) if equilibria else ()
    table = table_at = None
    notes = []
    if stability:
        dyn = game.replicator()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if symbolic and not game.is_numeric:
                # Exact conditions for the pure profiles (the candidates for evolutionary
                # stability); the non-vertex rest points are analysed at the values, where they
                # are found exactly, instead of in closed form, which takes long or does not exist.
                table = dyn.stability(include="vertices", timeout=timeout)
            table_at = dyn.stability(vals, timeout=timeout)
        for w in caught:  # incomplete searches and degenerate games are reported in the notes
            text = str(w.message)
            if text not in notes:
                notes.append(text)
    found = _thresholds(scenario, values) if thresholds and scenario.target and scenario.instruments else ()
    return Analysis(scenario=scenario, policy=policy, game=game, values=vals, equilibria=eqs,
                    strict_equilibria=strict, stability=table, stability_at_values=table_at,
                    thresholds=found, notes=tuple(notes), requested_equilibria=equilibria)


_THRESHOLD_HEADER = ("instrument", "level", "target stable for", "smallest level", "attained", "outside spending")


@dataclass(frozen=True)
class InstrumentThreshold:
    """The levels of one instrument parameter that make the target profile evolutionarily stable.

    Attributes
    ----------
    instrument : str
        The scenario's instrument name.
    parameter : str
        The instrument parameter solved for.
    threshold : Threshold
        The exact set (see :func:`coopgame.analysis.minimum_instrument`), at the other values.
    """

    instrument: str
    parameter: str
    threshold: object

    def row(self, latex: bool = False) -> list:
        """The table row of :data:`_THRESHOLD_HEADER`."""
        t = self.threshold
        return [self.instrument, sympy.Symbol(self.parameter) if latex else self.parameter, t.set, t.infimum,
                str(t.infimum_attained), t.outside_spending]

    def to_markdown(self) -> str:
        """One-row table: instrument, level, the stabilising set, its infimum, spending."""
        return markdown_table(_THRESHOLD_HEADER, [self.row()])

    def _repr_markdown_(self):
        return self.to_markdown()

    def _repr_latex_(self):
        return latex_table(list(_THRESHOLD_HEADER), [self.row(latex=True)])

    def to_dict(self) -> dict:
        """JSON data: the set, infimum, supremum, feasibility and outside spending as text."""
        from .serialize import to_jsonable

        t = self.threshold
        return {"instrument": self.instrument, "parameter": self.parameter, "set": to_jsonable(t.set),
                "infimum": to_jsonable(t.infimum), "infimum_attained": to_jsonable(t.infimum_attained),
                "supremum": to_jsonable(t.supremum), "feasible": to_jsonable(t.feasible),
                "outside_spending": to_jsonable(t.outside_spending)}


def _thresholds(scenario, overrides) -> tuple:
    from ..analysis import minimum_instrument

    out = []
    inst_names = {p.name for p in scenario.instrument_parameters}
    for name, _group in scenario.instruments:
        game = scenario.with_policy(name)
        present = {p.name for p in game.parameters}
        levels = sorted(present & inst_names)
        vals = scenario.values(overrides)
        for level in levels:
            fixed = {k: v for k, v in vals.items() if k.name in present and k.name != level}
            out.append(InstrumentThreshold(name, level, minimum_instrument(game, scenario.target, level, fixed)))
    return tuple(out)


# ---------------------------------------------------------------------------------- writing
def _check_folder(dest):
    """Fail before any work when ``dest`` cannot become a folder."""
    dest = Path(dest)
    if dest.exists() and not dest.is_dir():
        raise OutputError(f"output folder {dest}: a file of that name exists")
    ancestor = dest.parent if str(dest.parent) else Path(".")
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise OutputError(f"output folder {dest}: {ancestor} is a file, not a folder")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise OutputError(f"output folder {dest}: {ancestor} is not writable")


def write_atomically(dest, build) -> Path:
    """Build a folder with ``build(tmp_path)`` and move it to ``dest`` only when complete.

    The temporary folder is created next to ``dest`` (same file system, so the final rename is
    atomic; missing parent folders are created); if ``build`` fails, the report folder is not
    created and an existing ``dest`` is untouched.

    Raises
    ------
    OutputError
        ``dest`` or its parent cannot be written.
    """
    dest = Path(dest)
    parent = dest.parent if str(dest.parent) else Path(".")
    _check_folder(dest)
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise OutputError(f"output folder {dest}: cannot write in {parent} ({exc.strerror or exc})") from None
    try:
        build(tmp)
        os.chmod(tmp, 0o755)
        if dest.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old.", suffix=".tmp", dir=parent))
            os.replace(dest, old / "previous")
            try:
                os.replace(tmp, dest)
            except OSError:
                os.replace(old / "previous", dest)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, dest)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(f"output folder {dest}: {exc.strerror or exc}") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return dest


def _fenced(code: str, lang: str = "latex") -> str:
    return f"```{lang}\n{code.rstrip()}\n```"


def write_report(obj, out, *, values=None, seed: int | None = None, figures: bool = True,
                 starts: int | None = None, t_max=None, symbolic: bool = True) -> Path:
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
        Draw the figures (needs matplotlib, the ``plot`` extra).
    symbolic : bool
        Include the exact stability conditions.

    Returns
    -------
    Path
        The report folder.
    """
    from .. import __version__
    from ..scenario import dumps as scenario_toml
    from .serialize import dumps as json_dumps

    scenario = as_scenario(obj)
    _check_folder(out)
    spec = scenario.analyses.simulate
    seed = seed if seed is not None else (spec.seed if spec is not None else 0)
    starts = starts if starts is not None else (spec.starts if spec is not None else 20)
    t_max = t_max if t_max is not None else (spec.t_max if spec is not None else 50)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        from ..errors import ParameterError

        raise ParameterError(f"seed must be a non-negative integer, got {seed!r}")
    flags = {"equilibria": scenario.analyses.equilibria, "stability": scenario.analyses.stability}
    status = analyze(scenario, values, symbolic=symbolic, thresholds=scenario.analyses.thresholds, **flags)
    with_policy = None
    if scenario.instruments:
        with_policy = analyze(scenario, values, policy="all", symbolic=symbolic, thresholds=False, **flags)
    analyses = [("status_quo", "Status quo (no policy)", status)]
    if with_policy is not None:
        levels = ", ".join(f"{k} = {v}" for k, v in scenario.policy_levels) or "the defaults"
        analyses.append(("with_policy", f"With every instrument (levels: {levels})", with_policy))

    def build(tmp: Path):
        (tmp / "latex").mkdir()
        title = scenario.title or scenario.name
        md = [f"# {title}", ""]
        if scenario.description:
            md += [scenario.description, ""]
        md += [f"Report generated by coopgame {__version__} (seed {seed}). Every condition below is exact; "
               "numbers are exact rationals unless stated. Parameter defaults are illustrative.", ""]
        md += ["## The model", "", "### Players and strategies", ""]
        md += [f"- **{p}**: {', '.join(s)}" for p, s in scenario.game.strategies.items()] + [""]
        md += ["### Payoffs without policy", "", scenario.game.to_markdown(), "", _fenced(scenario.game.to_latex()), ""]
        md += ["### Parameters", "", parameters_markdown(scenario.parameters), ""]
        (tmp / "latex" / "payoffs.tex").write_text(scenario.game.to_latex() + "\n", encoding="utf-8")
        (tmp / "latex" / "parameters.tex").write_text(parameters_latex(scenario.parameters) + "\n", encoding="utf-8")
        if scenario.instruments:
            md += ["### Policy instruments", ""]
            md += [f"- `{n}`: " + "; ".join(i.describe() for i in group) for n, group in scenario.instruments] + [""]
        if scenario.target:
            md += [f"Full cooperation (the target profile): ({', '.join(scenario.target)}).", ""]
        results = {"scenario": scenario.name, "title": title, "seed": seed, "coopgame": __version__, "analyses": {}}
        for key, heading, analysis in analyses:
            md += [f"## {heading}", "", analysis.to_markdown(level=3), ""]
            md += ["LaTeX of the tables:", "", _fenced(analysis.to_latex()), ""]
            (tmp / "latex" / f"{key}.tex").write_text(analysis.to_latex(), encoding="utf-8")
            results["analyses"][key] = analysis.to_dict()
        if figures:
            md += _figures(tmp, scenario, analyses, seed, starts, t_max, results)
            md += _regime_section(tmp, scenario, status, values, results)
        if scenario.references:
            md += ["## References", ""] + [f"- {r}" for r in scenario.references] + [""]
        md += ["## Reproduce", "", "The scenario file `scenario.toml` in this folder holds the model; with it:", "",
               _fenced(f"coopgame report scenario.toml --out report --seed {seed}", "sh"), ""]
        (tmp / "report.md").write_text("\n".join(md).rstrip() + "\n", encoding="utf-8")
        (tmp / "scenario.toml").write_text(scenario_toml(scenario), encoding="utf-8")
        (tmp / "results.json").write_text(json_dumps(results) + "\n", encoding="utf-8")

    return write_atomically(out, build)


def _figures(tmp: Path, scenario, analyses, seed, starts, t_max, results) -> list[str]:
    import numpy as np

    from ..dynamics.simulate import sample_states
    from .phase import plot_trajectories

    (tmp / "figures").mkdir()
    md = ["## Trajectories of the replicator dynamics", ""]
    results["trajectories"] = {}
    for key, heading, analysis in analyses:
        dyn = analysis.game.replicator()
        initial = sample_states(dyn, starts, np.random.default_rng(seed))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            traj = dyn.simulate(analysis.values, initial, float(t_max))
        name = f"figures/trajectories_{key}.png"
        plot_trajectories(traj, tmp / name, title=heading)
        counts: dict[str, int] = {}
        for limit in traj.limits:
            label = "none" if limit is None else ("(" + ", ".join(limit.profile) + ")" if limit.profile else limit.kind)
            counts[label] = counts.get(label, 0) + 1
        results["trajectories"][key] = counts
        md += [f"### {heading}", "", f"![{heading}]({name})", "",
               f"{starts} trajectories from uniformly random starts (seed {seed}), up to t = {t_max}. "
               "Where they end:", "", markdown_table(["rest point", "trajectories"], sorted(counts.items())), ""]
    return md


def _axis_range(param, threshold, scenario):
    """A grid range for an instrument parameter: its domain, cut at twice the interesting levels."""
    iv = param.domain.interval
    low = iv.inf if iv.inf.is_finite else sympy.Integer(0)
    marks = [sympy.Integer(1)]
    for v in (threshold.infimum, threshold.supremum, dict(scenario.policy_levels).get(param.name), param.default):
        if v is not None and isinstance(v, sympy.Basic) and v.is_number and v.is_finite:
            marks.append(v)
        elif isinstance(v, (int, float)):
            marks.append(sympy.Rational(str(v)))
    high = iv.sup if iv.sup.is_finite else 2 * max(marks)
    if iv.inf.is_finite and getattr(iv, "left_open", False):
        low = low + (high - low) / 100
    if iv.sup.is_finite and getattr(iv, "right_open", False):
        high = high - (high - low) / 100
    return low, high


def _regime_section(tmp: Path, scenario, status, overrides, results) -> list[str]:
    """A regime map over the scenario's sweep grid, or else over the first two instrument
    parameters; the instruments whose parameters are swept are applied."""
    from ..analysis import sweep
    from .phase import plot_regime_map

    axes = scenario.analyses.sweep
    if axes:
        grid = {ax.name: ax.values() for ax in axes}
        inst_params = {n: {p.name for p in scenario.with_policy(n).parameters} - {p.name for p in scenario.game.parameters}
                       for n in scenario.instrument_names}
        names = tuple(n for n in scenario.instrument_names if inst_params[n] & set(grid))
    else:
        chosen, seen = [], set()
        for t in status.thresholds:
            if t.parameter not in seen:
                chosen.append(t)
                seen.add(t.parameter)
            if len(chosen) == 2:
                break
        if len(chosen) < 2:
            return []
        names = tuple(dict.fromkeys(t.instrument for t in chosen))
    game = scenario.with_policy(*names) if names else scenario.game
    params = {p.name: p for p in game.parameters}
    if not axes:
        grid = {}
        for t in chosen:
            low, high = _axis_range(params[t.parameter], t.threshold, scenario)
            grid[t.parameter] = [low + k * (high - low) / 40 for k in range(41)]
    unknown = [k for k in grid if k not in params]
    if unknown:
        from ..errors import UnknownNameError

        raise UnknownNameError(f"sweep axis {unknown[0]!r} is not a parameter of the game or its instruments")
    fixed = {k.name: v for k, v in scenario.values(overrides).items() if k.name in params and k.name not in grid}
    result = sweep(game, grid, fixed, progress=False)
    name = "figures/regime_map.png"
    swept = list(grid)
    applied = ", ".join(names) if names else "no instrument"
    title = f"Stable profiles over {' and '.join(swept)} ({applied} applied)"
    drawn = sum(len(v) > 1 for v in grid.values()) == 2
    if drawn:
        plot_regime_map(result, tmp / name, title=title)
    results["regime_map"] = {"instruments": list(names),
                             "axes": {k: [str(v[0]), str(v[-1]), len(v)] for k, v in grid.items()},
                             "counts": {str(k): v for k, v in result.counts().items()}}
    spans = ", ".join(f"{k} from {v[0]} to {v[-1]} ({len(v)} points)" for k, v in grid.items())
    return ["## Regime map", "",
            f"Which pure profiles are asymptotically stable (strict Nash equilibria) on a grid of "
            f"{spans}, with {applied} applied and the other parameters at their values. "
            "Points on a boundary are classified exactly.", ""] + ([f"![{title}]({name})", ""] if drawn else []) + [
            result.to_markdown(), "", "Fixed values: " + ", ".join(f"{k} = {v}" for k, v in sorted(fixed.items())) + ".", ""]
