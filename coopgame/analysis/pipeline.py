"""The analysis pipeline: :func:`analyze` runs a scenario's analyses once and keeps the results.

:func:`analyze` takes a scenario (or catalogue model, or game) and parameter values, applies the
requested policy instruments and returns an :class:`Analysis`: the pure equilibria with their
exact conditions, the stability tables of the replicator dynamics (symbolic and at the values)
and, for a scenario with a target profile, an :class:`InstrumentThreshold` per instrument
parameter. Results render themselves (Markdown, LaTeX, JSON data); the report package only
assembles them into documents, and ``python -m coopgame.findings`` uses the same pipeline.

Examples
--------
>>> from coopgame import Game, Parameter
>>> g = Game(["A", "B"], [["x", "y"], ["x", "y"]],
...          {("x", "x"): ["b", "b"], ("x", "y"): [0, 1], ("y", "x"): [1, 0], ("y", "y"): [1, 1]},
...          [Parameter("b", "benefit", "yuan", "positive", 2)])
>>> a = analyze(g, stability=False)
>>> [(e.profile, str(e.condition)) for e in a.strict_equilibria]
[(('x', 'x'), 'b > 1'), (('y', 'y'), 'True')]
>>> a.holds(a.strict_equilibria[0])
True
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from dataclasses import dataclass, field

import sympy

from ..core.errors import CoopgameError
from ..core.formatting import latex_table, markdown_table

__all__ = ["Analysis", "InstrumentThreshold", "TrajectorySpec", "analyze", "as_scenario"]


def as_scenario(obj):
    """A :class:`~coopgame.scenario.Scenario` from a scenario, a catalogue model or a game."""
    from ..core.game import Game
    from ..scenario import Scenario

    if isinstance(obj, Scenario):
        return obj
    if isinstance(obj, Game):
        return Scenario(game=obj)
    if hasattr(obj, "game") and hasattr(obj, "instrument_parameters"):
        return Scenario.from_model(obj)
    raise CoopgameError(f"expected a Scenario, a catalogue Model or a Game, got {type(obj).__name__}")


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
    dynamics : ReplicatorDynamics or None
        The replicator system of :attr:`game` the tables were computed from (the game's own,
        derived once: ``game.replicator()``); None when stability was not requested.
    trajectories : Trajectories or None
        The simulated trajectories, when :func:`analyze` was asked for them.
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
    dynamics: object = None
    trajectories: object = None

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

    def to_dataframes(self, numeric: bool = False) -> dict:
        """The analysis's tables as pandas DataFrames, by name: ``payoffs``, ``equilibria``, then
        ``stability`` (conditions), ``stability_at_values`` and ``thresholds`` where computed.
        Cells are exact unless ``numeric`` (see :func:`coopgame.core.frames.frame`)."""
        from ..core.frames import frame

        out = {"payoffs": self.game.to_dataframe(numeric=numeric),
               "equilibria": frame([dict(zip(self._EQ_HEADER, row)) for row in self._equilibrium_rows()],
                                   numeric=numeric, columns=self._EQ_HEADER)}
        if self.stability is not None:
            out["stability"] = self.stability.to_dataframe(numeric=numeric)
        if self.stability_at_values is not None:
            out["stability_at_values"] = self.stability_at_values.to_dataframe(numeric=numeric)
        if self.thresholds:
            out["thresholds"] = frame([t.to_row_dict() for t in self.thresholds], numeric=numeric)
        return out

    def to_dict(self) -> dict:
        """JSON data; every entry matches the corresponding Python result (see :mod:`coopgame.core.serialize`)."""
        from ..core.serialize import equilibrium_dict, game_dict, to_jsonable, values_dict

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


#: Largest game (in pure profiles) that :func:`analyze` analyses exactly. The exact analysis
#: compares every profile with every deviation symbolically and searches the replicator faces; for
#: larger games use the numeric path (``coopgame sweep``, ``coopgame simulate``,
#: ``game.to_nashpy(values)``) or pass ``max_profiles``.
MAX_EXACT_PROFILES = 100


def analyze(obj, values=None, *, policy=(), equilibria: bool = True, stability: bool = True,
            symbolic: bool = True, thresholds: bool = True, timeout: float | None = None,
            trajectories: TrajectorySpec | None = None, max_profiles: int = MAX_EXACT_PROFILES) -> Analysis:
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
    timeout : None
        Deprecated and ignored: the rest-point search is bounded by work, not seconds.
    trajectories : TrajectorySpec, optional
        Also simulate the replicator dynamics at the values from random starts (kept in
        :attr:`Analysis.trajectories`; needs ``stability``).
    max_profiles : int
        Largest number of pure profiles analysed exactly (default :data:`MAX_EXACT_PROFILES`).

    Raises
    ------
    UnknownNameError, ParameterError
        An unknown parameter or instrument, or a value outside its domain.
    ResourceLimitError
        The game has more than ``max_profiles`` pure profiles; the message points to the
        numeric path.
    ExpressionError
        A payoff's expansion would exceed the parser's limits
        (:func:`coopgame.expressions.check_size`), as for text.
    """
    from ..equilibria import pure_equilibria

    scenario = as_scenario(obj)
    if policy == "all" or policy == ("all",) or policy == ["all"]:
        policy = scenario.instrument_names
    policy = tuple(policy)
    game = _game_of(scenario, policy, max_profiles)
    vals = _values_of(scenario, game, values, policy)
    from ..dynamics.state import state_dependent_terms

    dynamic = state_dependent_terms(game)
    notes = []
    if dynamic:  # a population game: no normal form, so no Nash equilibria; the dynamics is analysed
        equilibria = False
        notes.append(f"The payoffs depend on the replicator state ({dynamic[0].term} for {dynamic[0].player!r} "
                     f"at ({', '.join(dynamic[0].profile)})): Nash equilibria are not defined; only the "
                     "replicator dynamics is analysed.")
    eqs = tuple(pure_equilibria(game)) if equilibria else ()
    strict = tuple(pure_equilibria(game, strict=True)) if equilibria else ()
    dyn = game.replicator() if stability or trajectories is not None else None
    table, table_at, traj, found_notes = _dynamics_step(dyn, game, vals, stability, symbolic, timeout, trajectories)
    notes = notes + [n for n in found_notes if n not in notes]
    found = _thresholds(scenario, values) if thresholds and scenario.target and scenario.instruments else ()
    return Analysis(scenario=scenario, policy=policy, game=game, values=vals, equilibria=eqs,
                    strict_equilibria=strict, stability=table, stability_at_values=table_at,
                    thresholds=found, notes=tuple(notes), requested_equilibria=equilibria, dynamics=dyn,
                    trajectories=traj)


def _game_of(scenario, policy, max_profiles):
    """The scenario's game with the ``policy`` instruments, checked to be small enough for the
    exact analysis (profiles and the size of every payoff)."""
    game = scenario.with_policy(*policy) if policy else scenario.game
    n_profiles = math.prod(len(s) for s in game.strategy_lists)
    if n_profiles > max_profiles:
        from ..core.errors import ResourceLimitError

        shape = "x".join(str(len(s)) for s in game.strategy_lists)
        raise ResourceLimitError(
            f"{scenario.name}: the {shape} game has {n_profiles} pure profiles, more than max_profiles = "
            f"{max_profiles} for the exact analysis; use the numeric path (coopgame sweep or simulate, "
            "game.to_nashpy(values)) or pass a larger max_profiles to analyze()")
    from ..core.expressions import check_size

    for profile, payoffs in game.payoff_table().items():  # games built in Python skip the parser's check
        for player, payoff in zip(game.players, payoffs):
            check_size(payoff, f"{scenario.name}: payoff of {player} at ({', '.join(profile)})")
    return game


def _values_of(scenario, game, values, policy) -> dict:
    """The analysis values of the game's parameters (every parameter but the state needs one)."""
    vals = scenario.values(values, policy=bool(policy))
    scenario.check_applied(values or {}, policy)
    present = {p.name for p in game.parameters}
    vals = {k: v for k, v in vals.items() if k.name in present}
    from ..dynamics.state import state_symbols

    missing = sorted(s.name for s in set(game.free_symbols) - set(state_symbols(game)) if s not in vals)
    if missing:
        from ..core.errors import ParameterError

        raise ParameterError(f"no value or default for parameter(s) {', '.join(missing)}; give them with --set NAME=VALUE")
    return vals


@dataclass(frozen=True)
class TrajectorySpec:
    """Which trajectories :func:`analyze` simulates: ``starts`` uniformly random initial states
    (``numpy.random.default_rng(seed)``), integrated up to ``t_max``."""

    starts: int = 20
    seed: int = 0
    t_max: float = 50.0


def _dynamics_step(dyn, game, vals, stability, symbolic, timeout, spec):
    """The stability tables (exact conditions, verdicts at the values) and the trajectories.

    The verdicts at the values are the rest points of the numeric system the simulations use
    (computed once, kept on that system), so a simulation classifies its limits without a second
    rest-point search. Warnings of incomplete searches and degenerate games become notes.
    """
    from ..dynamics.simulate import rest_point_table

    table = table_at = traj = None
    notes = []
    if dyn is None:
        return table, table_at, traj, notes
    if not stability:
        return table, table_at, _simulated(dyn, vals, timeout, spec), notes
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if symbolic and not game.is_numeric:
            # Exact conditions for the pure profiles (the candidates for evolutionary
            # stability); the non-vertex rest points are analysed at the values, where they
            # are found exactly, instead of in closed form, which takes long or does not exist.
            table = dyn.stability(include="vertices", timeout=timeout)
        table_at = dataclasses.replace(rest_point_table(dyn, vals, timeout),
                                       values=dict(game.check_values(vals, require_all=False)))
    for w in caught:  # incomplete searches and degenerate games are reported in the notes
        text = str(w.message)
        if text not in notes:
            notes.append(text)
    return table, table_at, _simulated(dyn, vals, timeout, spec), notes


def _simulated(dyn, vals, timeout, spec):
    """Trajectories from ``spec.starts`` random starts (None without a spec)."""
    if spec is None:
        return None
    import numpy as np

    from ..dynamics.simulate import sample_states

    initial = sample_states(dyn, spec.starts, np.random.default_rng(spec.seed))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return dyn.simulate(vals, initial, float(spec.t_max), timeout=timeout)


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
    cost : sympy number or None
        What the public budget pays at the target at the :attr:`minimum` level, when the caller
        computed it (the findings count the government's payments too).
    condition : sympy Boolean or None
        The exact condition for the target to be stable with the instrument (every parameter
        symbolic), when the caller computed it.
    """

    instrument: str
    parameter: str
    threshold: object
    cost: object = None
    condition: object = None

    @property
    def minimum(self):
        """The infimum of the stabilising levels (exact), or None when no level works."""
        t = self.threshold
        return sympy.nsimplify(t.infimum) if t.feasible is sympy.true else None

    @property
    def attained(self) -> bool:
        """Whether the infimum itself stabilises (the conditions are strict, so usually not)."""
        return bool(self.threshold.infimum_attained) if self.minimum is not None else False

    @property
    def maximum(self):
        """The supremum of the stabilising levels (``oo`` when unbounded), or None when no level works."""
        if self.minimum is None:
            return None
        top = self.threshold.supremum
        return top if top == sympy.oo else sympy.nsimplify(top)

    @property
    def maximum_attained(self) -> bool:
        """Whether the supremum itself stabilises (False when unbounded)."""
        top = self.maximum
        return bool(self.threshold.supremum_attained) if top is not None and top != sympy.oo else False

    def levels_text(self) -> str:
        """The stabilising levels as text, e.g. ``1 < s < 4``.

        Examples
        --------
        Both players gain ``s - 1`` from (x, x) and 0 from deviating to y, so (x, x) is a strict
        equilibrium exactly when ``s > 1``:

        >>> from coopgame import Game
        >>> from coopgame.analysis import minimum_instrument
        >>> g = Game(["A", "B"], [["x", "y"], ["x", "y"]], {("x", "x"): ["s - 1", "s - 1"], ("x", "y"): [-2, 0],
        ...                                                ("y", "x"): [0, -2], ("y", "y"): [0, 0]})
        >>> InstrumentThreshold("subsidy", "s", minimum_instrument(g, ("x", "x"), "s")).levels_text()
        '1 < s'
        """
        if self.minimum is None:
            return "no level works"
        low = f"{self.minimum} {'<=' if self.attained else '<'} {self.parameter}"
        if self.maximum is None or self.maximum == sympy.oo:
            return low
        return f"{low} {'<=' if self.maximum_attained else '<'} {self.maximum}"

    def row(self, latex: bool = False) -> list:
        """The table row of :data:`_THRESHOLD_HEADER`."""
        t = self.threshold
        level = sympy.Symbol(self.parameter) if latex else self.parameter
        if t.feasible is sympy.false:  # in words, not "EmptySet | oo"
            return [self.instrument, level, t.infeasible_text(), "none", "", t.outside_spending]
        return [self.instrument, level, t.set, t.infimum, str(t.infimum_attained), t.outside_spending]

    def to_row_dict(self) -> dict:
        """The exact row: instrument, level, the stabilising set, its infimum and supremum,
        whether they are attained, feasibility and outside spending."""
        t = self.threshold
        return {"instrument": self.instrument, "level": self.parameter, "target stable for": t.set,
                "smallest level": t.infimum, "attained": t.infimum_attained, "largest level": t.supremum,
                "feasible": t.feasible, "outside spending": t.outside_spending}

    def to_markdown(self) -> str:
        """One-row table: instrument, level, the stabilising set, its infimum, spending."""
        return markdown_table(_THRESHOLD_HEADER, [self.row()])

    def _repr_markdown_(self):
        return self.to_markdown()

    def _repr_latex_(self):
        return latex_table(list(_THRESHOLD_HEADER), [self.row(latex=True)])

    def to_dict(self) -> dict:
        """JSON data: the set, infimum, supremum, feasibility and outside spending as text."""
        from ..core.serialize import to_jsonable

        t = self.threshold
        return {"instrument": self.instrument, "parameter": self.parameter, "set": to_jsonable(t.set),
                "infimum": to_jsonable(t.infimum), "infimum_attained": to_jsonable(t.infimum_attained),
                "supremum": to_jsonable(t.supremum), "feasible": to_jsonable(t.feasible),
                "outside_spending": to_jsonable(t.outside_spending)}


def _thresholds(scenario, overrides) -> tuple:
    from .thresholds import minimum_instrument

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
