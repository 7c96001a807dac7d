"""The :class:`Model` bundle of the catalogue and its :class:`Reference` entries.

A model is a documented game taken from a paper's argument: the status-quo game *without*
policy, the policy instruments the paper proposes as separate, switchable parts, every parameter
with its meaning, unit, domain and an illustrative default, the profile of full cooperation, the
assumptions the model makes, the passages it formalises and the references it rests on.

Defaults are illustrative: they are chosen so that the status quo looks like the one the paper
describes (for example, the enterprise's participation does not pay without policy) and so that
a documented policy level makes full cooperation stable. They are not estimates.

Examples
--------
>>> import sympy
>>> from coopgame import Game, Parameter
>>> from coopgame.models.base import Model, Reference
>>> R = Parameter("R", "gain from joint training", "yuan", "positive", 10)
>>> C = Parameter("C", "cost of participating", "yuan", "positive", 4)
>>> g = Game(["school", "enterprise"], [["deep", "shallow"], ["participate", "nominal"]],
...          {("deep", "participate"): ["R - C", "R - C"], ("deep", "nominal"): ["-C", 0],
...           ("shallow", "participate"): [0, "-C"], ("shallow", "nominal"): [0, 0]}, [R, C])
>>> m = Model(name="toy", title="A toy stag hunt", summary="Both invest or neither does.", game=g,
...           target=("deep", "participate"), assumptions=(R.symbol > C.symbol,),
...           target_stable_in_status_quo=True)
>>> [p.name for p in m.parameters]
['C', 'R']
>>> m.assumptions_hold()
True
>>> m.defaults[R.symbol]
10
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sympy

from ..core.errors import GameDefinitionError, ParameterError, UnknownNameError
from ..core.formatting import markdown_table
from ..core.game import Game
from ..core.parameters import Parameter, resolve_values

__all__ = ["Model", "Reference", "SEED_REFERENCES"]


@dataclass(frozen=True)
class Reference:
    """A bibliographic reference of a model.

    Parameters
    ----------
    key : str
        Citation key used in the docs (``"DuZeng"``).
    authors : str
        Authors, as printed.
    title : str
        Title of the work.
    institution : str
        Affiliation or publisher.
    year : int, optional
        Year of publication, when known.
    note : str
        What the model takes from the work (sections, in our own words).
    """

    key: str
    authors: str
    title: str
    institution: str = ""
    year: int | None = None
    note: str = ""

    def text(self) -> str:
        """The reference as one line of text.

        Examples
        --------
        >>> Reference("X", "A. Author", "A title", "A college", 2020, "section 2").text()
        'A. Author, "A title", A college, 2020. section 2'
        """
        parts = [f'{self.authors}, "{self.title}"']
        if self.institution:
            parts.append(self.institution)
        if self.year is not None:
            parts.append(str(self.year))
        out = ", ".join(parts) + "."
        return out + (f" {self.note}" if self.note else "")


class PolicyBundle:
    """What a catalogue :class:`Model` and a :class:`~coopgame.scenario.Scenario` share: a game
    with switchable policy instruments and documented instrument parameters.

    Subclasses provide the attributes ``game``, ``instruments`` (pairs of a name and a tuple of
    instruments) and ``instrument_parameters``, and may override :meth:`_unknown_instrument`.
    """

    __slots__ = ()

    @property
    def parameters(self) -> tuple[Parameter, ...]:
        """The game's parameters and the instrument parameters, sorted by name."""
        params = {p.name: p for p in self.game.parameters}
        for p in self.instrument_parameters:
            params.setdefault(p.name, p)
        return tuple(params[k] for k in sorted(params))

    @property
    def defaults(self) -> dict:
        """Default values of every parameter, keyed by symbol."""
        return {p.symbol: p.default for p in self.parameters if p.default is not None}

    @property
    def instrument_names(self) -> tuple[str, ...]:
        """Names of the switchable instruments, in application order."""
        return tuple(n for n, _ in self.instruments)

    def _unknown_instrument(self, name: str, known: tuple[str, ...]) -> str:
        return f"unknown instrument {name!r} (instruments: {', '.join(known) or 'none'})"

    def with_policy(self, *instrument_names: str) -> Game:
        """The game with the named instruments applied (all of them when none is named).

        Instruments are applied in the bundle's order, whatever the order of the names. The
        instrument parameters that occur in the result keep their meaning, unit, domain and
        default.

        Raises
        ------
        UnknownNameError
            An instrument name is not one of the bundle's.
        """
        known = self.instrument_names
        for n in instrument_names:
            if n not in known:
                raise UnknownNameError(self._unknown_instrument(n, known))
        chosen = set(instrument_names) if instrument_names else set(known)
        game = self.game
        for n, group in self.instruments:
            if n in chosen:
                game = game.with_policy(*group)
        present = {p.name for p in game.parameters}
        declared = [p for p in self.instrument_parameters if p.name in present]
        return game.with_parameters(*declared) if declared else game


@dataclass(frozen=True)
class Model(PolicyBundle):
    """A model of the catalogue: a documented game with switchable policy instruments.

    Parameters
    ----------
    name : str
        Registry name (``"government_school_enterprise"``).
    title : str
        One-line title.
    summary : str
        A paragraph: who plays, what is at stake, what the seed paper says.
    game : Game
        The status-quo game without policy; every parameter is declared with meaning, unit,
        domain and an illustrative default.
    instruments : tuple of (str, tuple) pairs
        The seed's mechanisms, each a name and the :mod:`coopgame.policy` instruments that make
        it up, in the order they are applied.
    instrument_parameters : tuple of Parameter
        The parameters of the instrument levels (subsidy, tax-relief rate, ...), with defaults;
        in the status quo the defaults switch the instruments off.
    target : tuple of str
        The full-cooperation profile, strategy names in player order.
    assumptions : tuple of sympy relationals
        Relations between parameters the model assumes (for example ``R > C``); they hold at
        the defaults.
    passages : tuple of str
        The seed passages the model formalises, summarised in our own words with their section.
    references : tuple of Reference
        Works the model rests on.
    questions : tuple of str
        The questions the model answers.
    extras : tuple of (str, object) pairs
        Named extra analyses (a bargaining problem, a TU game, a repeated-game specification).
    policy_levels : tuple of (str, number) pairs
        A documented instrument setting (instrument parameter name and value) under which the
        target is a strict equilibrium, hence asymptotically stable under the replicator
        dynamics, at the other defaults.
    target_stable_in_status_quo : bool
        Whether the target is stable in the status quo at the defaults; ``False`` when the seed
        says cooperation does not happen without policy.

    Notes
    -----
    Models are immutable; :meth:`with_policy` returns a new :class:`~coopgame.game.Game`.
    """

    name: str
    title: str
    summary: str
    game: Game
    instruments: tuple = ()
    instrument_parameters: tuple = ()
    target: tuple = ()
    assumptions: tuple = ()
    passages: tuple = ()
    references: tuple = ()
    questions: tuple = ()
    extras: tuple = ()
    policy_levels: tuple = ()
    target_stable_in_status_quo: bool = False

    def __post_init__(self):
        if not isinstance(self.game, Game):
            raise GameDefinitionError(f"model {self.name!r}: game must be a Game, got {type(self.game).__name__}")
        for field_name in ("instruments", "instrument_parameters", "target", "assumptions", "passages",
                           "references", "questions", "extras", "policy_levels"):
            value = getattr(self, field_name)
            if not isinstance(value, tuple):
                object.__setattr__(self, field_name, tuple(value))
        if self.target:
            try:
                object.__setattr__(self, "target", self.game.profile_names(self.target))
            except UnknownNameError as exc:
                raise GameDefinitionError(f"model {self.name!r}: target {self.target!r}: {exc}") from None
        names = [n for n, _ in self.instruments]
        for n, group in self.instruments:
            if not isinstance(n, str) or not isinstance(group, tuple):
                raise GameDefinitionError(f"model {self.name!r}: instrument {n!r} must be a (name, tuple) pair")
            if names.count(n) > 1:
                raise GameDefinitionError(f"model {self.name!r}: instrument name {n!r} is used twice")
        for p in self.instrument_parameters:
            if not isinstance(p, Parameter):
                raise GameDefinitionError(f"model {self.name!r}: instrument parameters must be Parameter objects")
        known = {p.name: p for p in self.parameters}
        for key, value in self.policy_levels:
            if key not in known:
                raise UnknownNameError(f"model {self.name!r}: policy level for unknown parameter {key!r}")
            known[key].check(value)

    # ------------------------------------------------------------------ parameters
    def parameter(self, name: str) -> Parameter:
        """A parameter by name.

        Raises
        ------
        UnknownNameError
            No parameter has that name.
        """
        for p in self.parameters:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.parameters)
        raise UnknownNameError(f"model {self.name!r} has no parameter {name!r} (parameters: {known})")

    def values(self, overrides: Mapping | None = None, *, policy: bool = False) -> dict:
        """Parameter values keyed by symbol: the defaults, the documented policy levels when
        ``policy`` is true, then ``overrides`` (names, symbols or parameters as keys)."""
        vals = dict(self.defaults)
        if policy:
            vals.update(resolve_values(dict(self.policy_levels), self.parameters, require_all=False))
        vals.update(resolve_values(overrides or {}, self.parameters, require_all=False))
        return vals

    def assumptions_hold(self, values: Mapping | None = None) -> bool:
        """Whether every assumption holds at the defaults updated by ``values``.

        Raises
        ------
        ParameterError
            An assumption cannot be decided at the values.
        """
        vals = self.values(values)
        for rel in self.assumptions:
            if not isinstance(rel, sympy.Basic):
                raise ParameterError(f"model {self.name!r}: assumption {rel!r} is not a sympy relation")
            result = rel.xreplace(vals)
            if result not in (sympy.true, sympy.false):
                raise ParameterError(f"model {self.name!r}: assumption {rel} cannot be decided at the values")
            if result is sympy.false:
                return False
        return True

    # ------------------------------------------------------------------ policy
    def _unknown_instrument(self, name: str, known: tuple[str, ...]) -> str:
        return f"model {self.name!r} has no instrument {name!r} (instruments: {', '.join(known) or 'none'})"

    # ------------------------------------------------------------------ text
    def parameter_rows(self) -> list[list[str]]:
        """One row per parameter: name, meaning, unit, domain, default, source."""
        return [[p.name, p.meaning, p.unit or "-", p.domain.describe(), "-" if p.default is None else str(p.default),
                 p.source or "-"] for p in self.parameters]

    def describe(self) -> str:
        """The model as Markdown: summary, payoff table, parameters, instruments, sources."""
        lines = [f"## {self.title} (`{self.name}`)", "", self.summary, ""]
        lines += ["### Players and strategies", ""]
        for player, names in self.game.strategies.items():
            lines.append(f"- {player}: {', '.join(names)}")
        lines += ["", "### Payoffs without policy", "", self.game.to_markdown(), ""]
        lines += ["### Parameters (defaults are illustrative, not estimates)", "",
                  markdown_table(["name", "meaning", "unit", "domain", "default", "source"], self.parameter_rows()), ""]
        if self.instruments:
            lines += ["### Policy instruments", ""]
            for n, group in self.instruments:
                lines.append(f"- `{n}`: " + "; ".join(_instrument_text(i) for i in group))
            lines.append("")
        if self.target:
            lines += [f"Full cooperation: ({', '.join(self.target)}).", ""]
        if self.policy_levels:
            shown = ", ".join(f"{k} = {v}" for k, v in self.policy_levels)
            lines += [f"Documented policy level making full cooperation stable: {shown}.", ""]
        if self.assumptions:
            lines += ["### Assumptions", ""] + [f"- ${sympy.latex(a)}$" for a in self.assumptions] + [""]
        if self.passages:
            lines += ["### Passages formalised", ""] + [f"- {p}" for p in self.passages] + [""]
        if self.questions:
            lines += ["### Questions", ""] + [f"- {q}" for q in self.questions] + [""]
        if self.references:
            lines += ["### References", ""] + [f"- [{r.key}] {r.text()}" for r in self.references] + [""]
        return "\n".join(lines).rstrip() + "\n"

    def _repr_markdown_(self) -> str:
        return self.describe()

    def __repr__(self) -> str:
        return f"Model({self.name!r}, players={list(self.game.players)}, instruments={list(self.instrument_names)})"


def _instrument_text(instrument: Any) -> str:
    describe = getattr(instrument, "describe", None)
    if callable(describe):
        try:
            return str(describe())
        except TypeError:
            pass
    return repr(instrument)


#: The four seed papers, by the citation keys of ``docs/references.md``. Years are not printed
#: on the papers' first pages and are left out.
SEED_REFERENCES = {
    "Du2022": Reference(
        "Du2022", "Ting Du and Shaolun Zeng",
        "Construction of High-quality Talents Training Community in Secondary Vocational Education",
        "Sichuan University of Science & Engineering"),
    "LiWang": Reference(
        "LiWang", "Jun Li and Heyao Wang",
        "The Explore of College Talent Training Mode under the City of Production-Education Integration",
        "Shenyang Jianzhu University"),
    "He": Reference(
        "He", "Zhou He", "Optimization and Practice of School-Enterprise Cooperation Mechanism in Vocational Education",
        "Southwest University"),
    "Sha": Reference(
        "Sha", "Yan Sha",
        "Research on the Innovation Path of Vocational Talent Training Mode under the Vocational Education Group Mode",
        "Lanzhou Vocational Technical College"),
}
