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
        Pure Nash equilibria and strict ones, each with its exact condition.
    stability : StabilityTable or None
        The stability conditions of the rest points of the replicator dynamics (symbolic).
    stability_at_values : StabilityTable or None
        The stability verdicts at ``values``.
    """

    scenario: object
    policy: tuple
    game: object
    values: dict
    equilibria: tuple = ()
    strict_equilibria: tuple = ()
    stability: object = None
    stability_at_values: object = None
    notes: tuple = field(default=())

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
                 else "No pure profile is a Nash equilibrium for any admissible parameter values."]
        if self.stability is not None:
            parts += [f"{h}# Stability of the replicator dynamics (conditions)", self.stability.to_markdown()]
        if self.stability_at_values is not None:
            parts += [f"{h}# Stability at the parameter values", self.stability_at_values.to_markdown()]
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
            "notes": list(self.notes),
        }

    def _repr_markdown_(self):
        return self.to_markdown()

    def _repr_latex_(self):
        return self.game._repr_latex_()


def analyze(obj, values=None, *, policy=(), stability: bool = True, symbolic: bool = True,
            timeout: float | None = 20.0) -> Analysis:
    """Analyse a scenario, catalogue model or game at parameter values.

    Parameters
    ----------
    obj : Scenario, Model or Game
    values : mapping, optional
        Parameter values (names or symbols as keys); parameters not given take the scenario's
        analysis values or defaults.
    policy : sequence of str or ``"all"``
        Instruments of the scenario to apply before analysing.
    stability : bool
        Tabulate the stability of the replicator dynamics.
    symbolic : bool
        Also tabulate the exact stability conditions (of every rest point for two players, of
        the vertices for three or more).
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
    eqs = tuple(pure_equilibria(game))
    strict = tuple(pure_equilibria(game, strict=True))
    table = table_at = None
    notes = []
    if stability:
        dyn = game.replicator()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if symbolic and not game.is_numeric:
                # Exact conditions at every rest point for two populations; for three or more the
                # non-vertex points rarely have closed forms, so the symbolic table covers vertices.
                include = "all" if len(game.players) == 2 else "vertices"
                table = dyn.stability(include=include, timeout=timeout)
            table_at = dyn.stability(vals, timeout=timeout)
        for w in caught:  # incomplete searches and degenerate games are reported in the notes
            text = str(w.message)
            if text not in notes:
                notes.append(text)
    return Analysis(scenario=scenario, policy=policy, game=game, values=vals, equilibria=eqs,
                    strict_equilibria=strict, stability=table, stability_at_values=table_at, notes=tuple(notes))


# ---------------------------------------------------------------------------------- writing
def write_atomically(dest, build) -> Path:
    """Build a folder with ``build(tmp_path)`` and move it to ``dest`` only when complete.

    The temporary folder is created next to ``dest`` (same file system, so the final rename is
    atomic); if ``build`` fails, nothing is left behind and an existing ``dest`` is untouched.

    Raises
    ------
    OutputError
        ``dest`` or its parent cannot be written.
    """
    dest = Path(dest)
    parent = dest.parent if str(dest.parent) else Path(".")
    if dest.exists() and not dest.is_dir():
        raise OutputError(f"output folder {dest}: a file of that name exists")
    try:
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
