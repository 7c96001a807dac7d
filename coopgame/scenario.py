"""Scenario files: a game, its parameters, policy instruments and analyses in TOML.

A scenario file states a model the way a paper's appendix does: the players and their
strategies, every payoff as an expression, a table of parameters (meaning, unit, domain and an
illustrative default), the policy instruments under study and the analyses to run. The format is
described in ``docs/reference/scenario-format.md`` and by the JSON Schema shipped as
``coopgame/scenario.schema.json``.

Reading uses :mod:`tomllib` (``tomli`` on Python 3.10); every expression goes through the safe
parser :func:`coopgame.expressions.parse`, so nothing in a file is ever evaluated as Python.
A malformed file raises :class:`~coopgame.errors.ScenarioError` naming the file, the line or key,
and what was expected. Writing uses a small TOML writer of this module, and every payoff written
is parsed back and compared, so a written file always reads back into an equal game.

Examples
--------
>>> from coopgame import Game
>>> from coopgame.scenario import dumps, loads
>>> g = Game(["school", "enterprise"],
...          {"school": ["deep", "shallow"], "enterprise": ["participate", "nominal"]},
...          {("deep", "participate"): ["R_s - C_s", "R_e - C_e + s"],
...           ("deep", "nominal"): ["-C_s", 0],
...           ("shallow", "participate"): [0, "s - C_e"],
...           ("shallow", "nominal"): [0, 0]}, name="school-enterprise")
>>> text = dumps(g)
>>> print(text.splitlines()[3])
players = ["school", "enterprise"]
>>> loads(text).game == g
True
>>> loads('format = 1\\nplayers = "school"\\n', source="bad.toml")
Traceback (most recent call last):
...
coopgame.errors.ScenarioError: bad.toml: key 'players': expected an array of player names, got the string 'school'
"""

from __future__ import annotations

import dataclasses
import math
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import sympy

from .core.errors import CoopgameError, ScenarioError
from .core.expressions import parse, parse_number
from .core.game import Game
from .core.parameters import NONNEGATIVE, POSITIVE, PROBABILITY, REAL, UNIT_OPEN, Domain, Parameter, to_exact
from .models.base import PolicyBundle

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = [
    "FORMAT_VERSION",
    "MAX_BYTES",
    "MAX_PROFILES",
    "Scenario",
    "Analyses",
    "SimulateSpec",
    "GridAxis",
    "load",
    "loads",
    "dump",
    "dumps",
    "parse_grid",
    "toml_dumps",
]

#: Version of the scenario format written by :func:`dumps` and understood by :func:`loads`.
FORMAT_VERSION = 1
#: Largest scenario file accepted, in bytes.
MAX_BYTES = 2_000_000
#: Largest number of pure profiles a scenario may define.
MAX_PROFILES = 100_000
#: Largest number of points of a sweep grid axis.
MAX_GRID_POINTS = 100_000

_NAMED_DOMAINS = {d.name: d for d in (REAL, POSITIVE, NONNEGATIVE, PROBABILITY, UNIT_OPEN)}


# ---------------------------------------------------------------------------------- results
@dataclass(frozen=True)
class GridAxis:
    """One axis of a parameter sweep: ``num`` evenly spaced values from ``start`` to ``stop``.

    Examples
    --------
    >>> parse_grid("s=0:2:5")
    GridAxis(name='s', start=0, stop=2, num=5)
    >>> parse_grid("s=0:2:5").values()
    [0, 1/2, 1, 3/2, 2]
    """

    name: str
    start: sympy.Expr
    stop: sympy.Expr
    num: int

    def values(self) -> list[sympy.Expr]:
        """The grid points, exact."""
        if self.num == 1:
            return [self.start]
        step = (self.stop - self.start) / (self.num - 1)
        return [self.start + k * step for k in range(self.num)]

    def spec(self) -> str:
        """The axis in the command line's ``NAME=START:STOP:NUM`` form."""
        return f"{self.name}={self.start}:{self.stop}:{self.num}"


@dataclass(frozen=True)
class SimulateSpec:
    """Settings of a trajectory simulation: number of random starts, time horizon and seed."""

    starts: int = 20
    t_max: sympy.Expr = sympy.Integer(50)
    seed: int = 0


@dataclass(frozen=True)
class Analyses:
    """The analyses a scenario asks for.

    Attributes
    ----------
    values : tuple of (str, sympy.Expr)
        Parameter values (by name) at which numeric results are reported; parameters not listed
        take their default values.
    equilibria, stability, thresholds : bool
        Report pure equilibria with their conditions, the stability table of the replicator
        dynamics, and the thresholds of the policy instruments.
    simulate : SimulateSpec or None
        Trajectories to simulate, if any.
    sweep : tuple of GridAxis
        The axes of a regime map, if any (empty: no sweep).
    """

    values: tuple[tuple[str, sympy.Expr], ...] = ()
    equilibria: bool = True
    stability: bool = True
    thresholds: bool = True
    simulate: SimulateSpec | None = None
    sweep: tuple[GridAxis, ...] = ()

    def values_dict(self) -> dict[str, sympy.Expr]:
        """The parameter values as a dictionary keyed by name."""
        return dict(self.values)


@dataclass(frozen=True)
class Scenario(PolicyBundle):
    """A game with its documentation, switchable policy instruments and the analyses to run.

    A scenario carries what a catalogue :class:`~coopgame.models.Model` carries, so that the
    command line and the reports treat a model and a file alike.

    Attributes
    ----------
    game : Game
        The status-quo game, without the instruments applied.
    instruments : tuple of (str, tuple)
        Named policy mechanisms, each a tuple of :mod:`coopgame.policy` instruments applied in turn.
    instrument_parameters : tuple of Parameter
        Parameters of the instrument levels, with their defaults.
    target : tuple of str
        The full-cooperation profile, if the scenario names one.
    policy_levels : tuple of (str, number)
        A documented instrument setting (parameter name and value).
    analyses : Analyses
        What to compute.
    title, description : str
        A one-line title and free text.
    model : str or None
        The catalogue model the scenario was exported from, if any.
    references : tuple of str
        Citations, one per entry.
    """

    game: Game
    instruments: tuple = ()
    instrument_parameters: tuple = ()
    target: tuple = ()
    policy_levels: tuple = ()
    analyses: Analyses = field(default_factory=Analyses)
    title: str = ""
    description: str = ""
    model: str | None = None
    references: tuple = ()

    @property
    def name(self) -> str:
        """The model name, or the game's title, or ``"scenario"``."""
        return self.model or self.game.name or "scenario"

    def values(self, overrides=None, *, policy: bool = False) -> dict:
        """Parameter values keyed by symbol: defaults, then the policy levels when ``policy`` is
        true, then the scenario's analysis values, then ``overrides`` (checked against domains)."""
        from .core.parameters import resolve_values

        vals = dict(self.defaults)
        if policy:
            vals.update(resolve_values(dict(self.policy_levels), self.parameters, require_all=False))
        vals.update(resolve_values(self.analyses.values_dict(), self.parameters, require_all=False))
        vals.update(resolve_values(overrides or {}, self.parameters, require_all=False))
        return vals

    @classmethod
    def from_model(cls, model, *, analyses: Analyses | None = None) -> Scenario:
        """The scenario of a catalogue model (:class:`coopgame.models.Model`)."""
        refs = []
        for r in getattr(model, "references", ()) or ():
            text = r.text() if hasattr(r, "text") else str(r)
            key = getattr(r, "key", None)
            refs.append(f"[{key}] {text}" if key else text)
        return cls(game=model.game, instruments=tuple(model.instruments),
                   instrument_parameters=tuple(model.instrument_parameters), target=tuple(model.target),
                   policy_levels=tuple(model.policy_levels), analyses=analyses or Analyses(),
                   title=model.title, description=getattr(model, "summary", "") or "", model=model.name,
                   references=tuple(refs))

    def to_toml(self) -> str:
        """The scenario as TOML text (see :func:`dumps`)."""
        return dumps(self)

    def to_markdown(self) -> str:
        """A Markdown summary: title, description, payoff table and parameter table."""
        from .core.formatting import parameters_markdown

        parts = [f"## {self.title or self.name}"]
        if self.description:
            parts.append(self.description)
        parts += [self.game.to_markdown(), parameters_markdown(self.parameters)]
        return "\n\n".join(parts)

    def _repr_markdown_(self):
        return self.to_markdown()

    def _repr_latex_(self):
        return self.game._repr_latex_()


# ---------------------------------------------------------------------------------- reading
def load(path) -> Scenario:
    """Read a scenario file.

    Raises
    ------
    ScenarioError
        The file cannot be read, is not valid TOML, or does not describe a valid scenario; the
        message starts with the file name.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ScenarioError(f"{path}: the file has {size} bytes; at most {MAX_BYTES} are accepted")
        data = path.read_bytes()
    except ScenarioError:
        raise
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{path}: the file is not UTF-8 text (byte {exc.start})") from None
    return loads(text, source=str(path))


def loads(text: str, *, source: str = "<string>") -> Scenario:
    """Read a scenario from TOML text; ``source`` names it in error messages.

    Examples
    --------
    >>> s = loads('''
    ... format = 1
    ... players = ["row", "column"]
    ... [strategies]
    ... row = ["C", "D"]
    ... column = ["C", "D"]
    ... [parameters.b]
    ... meaning = "benefit of cooperation"
    ... domain = "positive"
    ... default = "3/2"
    ... [[payoffs]]
    ... profile = ["C", "C"]
    ... values = ["b", "b"]
    ... [[payoffs]]
    ... profile = ["C", "D"]
    ... values = [0, 1]
    ... [[payoffs]]
    ... profile = ["D", "C"]
    ... values = [1, 0]
    ... [[payoffs]]
    ... profile = ["D", "D"]
    ... values = [0, 0]
    ... ''')
    >>> s.game.payoff("row", ("C", "C")), s.game.parameter("b").default
    (b, 3/2)
    """
    if not isinstance(text, str):
        raise ScenarioError(f"{source}: expected TOML text, got {type(text).__name__}")
    if len(text) > MAX_BYTES:
        raise ScenarioError(f"{source}: the text has {len(text)} characters; at most {MAX_BYTES} are accepted")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{source}: not valid TOML: {exc}") from None
    except (RecursionError, MemoryError, ValueError) as exc:
        raise ScenarioError(f"{source}: not valid TOML ({type(exc).__name__})") from None
    return _Reader(source).scenario(data)


def _describe(value) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f"the string {shown!r}"
    if isinstance(value, int):
        return f"the integer {value}"
    if isinstance(value, float):
        return f"the number {value!r}"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return f"a {type(value).__name__}"


class _Reader:
    """Validates the parsed TOML data, key by key, and builds the scenario."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, key: str, message: str):
        raise ScenarioError(f"{self.source}: key {key!r}: {message}")

    def expect(self, key, value, kind, what):
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.fail(key, f"expected {what}, got {_describe(value)}")
        return value

    def known_keys(self, key, table, allowed):
        for k in table:
            if k not in allowed:
                where = f"{key}.{k}" if key else k
                self.fail(where, f"unknown key (expected one of: {', '.join(allowed)})")

    def name_list(self, key, value, what):
        self.expect(key, value, list, f"an array of {what}")
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.fail(f"{key}[{i}]", f"expected a non-empty string ({what[:-1]}), got {_describe(item)}")
        if len(set(value)) != len(value):
            dup = next(v for v in value if value.count(v) > 1)
            self.fail(key, f"duplicate name {dup!r}")
        return value

    def text(self, key, value):
        return self.expect(key, value, str, "a string")

    # ------------------------------------------------------------------ top level
    def scenario(self, data: dict) -> Scenario:
        allowed = ("format", "model", "name", "title", "description", "references", "players", "target",
                   "strategies", "parameters", "instrument_parameters", "payoffs", "instruments",
                   "policy_levels", "analysis")
        self.known_keys("", data, allowed)
        if "format" in data:
            version = self.expect("format", data["format"], int, "an integer format version")
            if version != FORMAT_VERSION:
                self.fail("format", f"expected format version {FORMAT_VERSION}, got {version}")
        name = self.text("name", data["name"]) if "name" in data else None
        if name is not None and not name.strip():
            self.fail("name", "expected a non-empty string")
        title = self.text("title", data.get("title", ""))
        description = self.text("description", data.get("description", ""))
        model = self.text("model", data["model"]) if "model" in data else None
        references = tuple(self.name_list("references", data.get("references", []), "references"))
        if "players" not in data:
            self.fail("players", "missing (a scenario needs players, strategies and payoffs)")
        players = self.name_list("players", data["players"], "player names")
        if not players:
            self.fail("players", "expected at least one player")
        for key in ("strategies", "payoffs"):
            if key not in data:
                self.fail(key, "missing (a scenario needs players, strategies and payoffs)")
        strategies = self.strategies(data["strategies"], players)
        parameters = self.parameters("parameters", data.get("parameters", {}))
        payoffs = self.payoffs(data["payoffs"], players, strategies, parameters)
        try:
            game = Game(players, strategies, payoffs, parameters.values(), name=name)
        except CoopgameError as exc:
            raise ScenarioError(f"{self.source}: {exc}") from None
        inst_params = self.parameters("instrument_parameters", data.get("instrument_parameters", {}))
        for pname in inst_params:
            if pname in {p.name for p in game.parameters}:
                self.fail(f"instrument_parameters.{pname}", "this name is already a parameter of the game")
        target = ()
        if "target" in data:
            target = self.expect("target", data["target"], list, "an array of strategy names, one per player")
            for i, item in enumerate(target):
                self.expect(f"target[{i}]", item, str, "a strategy name")
            try:
                target = game.profile_names(target)
            except CoopgameError as exc:
                self.fail("target", str(exc))
        instruments = self.instruments(data.get("instruments", []), game, inst_params)
        all_params = {p.name: p for p in game.parameters} | inst_params
        levels = []
        spec = self.expect("policy_levels", data.get("policy_levels", {}), dict, "a table of parameter values")
        for pname, v in spec.items():
            key = f"policy_levels.{pname}"
            if pname not in all_params:
                self.fail(key, f"unknown parameter (parameters: {', '.join(sorted(all_params)) or 'none'})")
            try:
                levels.append((pname, all_params[pname].check(self.number(key, v))))
            except CoopgameError as exc:
                self.fail(key, str(exc))
        analyses = self.analysis(data.get("analysis", {}), all_params)
        return Scenario(game=game, instruments=instruments, instrument_parameters=tuple(inst_params.values()),
                        target=target, policy_levels=tuple(levels), analyses=analyses, title=title,
                        description=description, model=model, references=references)

    def strategies(self, value, players):
        self.expect("strategies", value, dict, "a table mapping each player to an array of strategy names")
        for k in value:
            if k not in players:
                self.fail(f"strategies.{k}", f"unknown player (players: {', '.join(players)})")
        out = {}
        for p in players:
            if p not in value:
                self.fail(f"strategies.{p}", "missing: every player needs an array of strategy names")
            names = self.name_list(f"strategies.{p}", value[p], "strategy names")
            if not names:
                self.fail(f"strategies.{p}", "expected at least one strategy")
            out[p] = names
        total = math.prod(len(v) for v in out.values())
        if total > MAX_PROFILES:
            self.fail("strategies", f"the game would have {total} pure profiles; at most {MAX_PROFILES} are accepted")
        return out

    # ------------------------------------------------------------------ parameters
    def parameters(self, where, value) -> dict[str, Parameter]:
        self.expect(where, value, dict, "a table of parameter tables")
        out = {}
        for name, spec in value.items():
            key = f"{where}.{name}"
            if not name.isidentifier() or name.startswith("_") or not name.isascii():
                self.fail(key, "a parameter name must be an ASCII identifier not starting with '_'")
            self.expect(key, spec, dict, "a table with meaning, unit, domain, default and source")
            self.known_keys(key, spec, ("meaning", "unit", "domain", "default", "source"))
            meaning = self.text(f"{key}.meaning", spec.get("meaning", ""))
            unit = self.text(f"{key}.unit", spec.get("unit", ""))
            source = self.text(f"{key}.source", spec.get("source", ""))
            domain = self.domain(f"{key}.domain", spec.get("domain", "real"))
            default = self.number(f"{key}.default", spec["default"]) if "default" in spec else None
            try:
                out[name] = Parameter(name, meaning, unit, domain, default, source)
            except CoopgameError as exc:
                self.fail(f"{key}.default" if "default" in str(exc) or default is not None else key, str(exc))
        return out

    def domain(self, key, value) -> Domain:
        if isinstance(value, str):
            if value in _NAMED_DOMAINS:
                return _NAMED_DOMAINS[value]
            interval = self.interval(key, value)
            return Domain(_interval_name(interval), interval)
        if isinstance(value, dict):
            self.known_keys(key, value, ("name", "interval"))
            if "interval" not in value:
                self.fail(f"{key}.interval", "missing: expected an interval such as \"[0, 1)\"")
            interval = self.interval(f"{key}.interval", self.text(f"{key}.interval", value["interval"]))
            name = self.text(f"{key}.name", value.get("name", _interval_name(interval)))
            return Domain(name, interval)
        self.fail(key, f"expected a domain name ({', '.join(_NAMED_DOMAINS)}), an interval such as "
                       f"\"[0, 1)\" or a table with name and interval, got {_describe(value)}")

    def interval(self, key, text):
        m = re.fullmatch(r"\s*([\[(])\s*([^,]+?)\s*,\s*([^,]+?)\s*([\])])\s*", text)
        if not m:
            self.fail(key, f"expected a domain name ({', '.join(_NAMED_DOMAINS)}) or an interval such as "
                           f"\"[0, 1)\" or \"(0, oo)\", got {text!r}")
        left, lo, hi, right = m.groups()
        start = sympy.S.NegativeInfinity if lo == "-oo" else self.number(key, lo)
        end = sympy.S.Infinity if hi in ("oo", "+oo") else self.number(key, hi)
        if start.is_infinite is not True and end.is_infinite is not True and not (start < end):
            self.fail(key, f"expected an interval with lower bound below upper bound, got {text!r}")
        interval = sympy.Interval(start, end, left == "(", right == ")")
        if not isinstance(interval, sympy.Interval) and interval is not sympy.S.Reals:
            self.fail(key, f"the interval {text!r} is empty or a single point")
        return interval

    def number(self, key, value) -> sympy.Expr:
        if isinstance(value, bool):
            self.fail(key, f"expected a number, got {_describe(value)}")
        if isinstance(value, int):
            return sympy.Integer(value)
        if isinstance(value, float):
            if not math.isfinite(value):
                self.fail(key, f"expected a finite number, got {value!r}")
            return sympy.Rational(repr(value))
        if isinstance(value, str):
            try:
                return parse_number(value)
            except CoopgameError as exc:
                self.fail(key, f"expected a number such as 3, 0.25 or \"1/3\": {exc}")
        self.fail(key, f"expected a number, got {_describe(value)}")

    # ------------------------------------------------------------------ payoffs
    def payoffs(self, value, players, strategies, parameters):
        self.expect("payoffs", value, list, "an array of tables [[payoffs]] with profile and values")
        symbols = {name: p.symbol for name, p in parameters.items()}
        out = {}
        for i, row in enumerate(value):
            key = f"payoffs[{i}]"
            self.expect(key, row, dict, "a table with profile and values")
            self.known_keys(key, row, ("profile", "values"))
            for k in ("profile", "values"):
                if k not in row:
                    self.fail(f"{key}.{k}", "missing")
            profile = row["profile"]
            self.expect(f"{key}.profile", profile, list, "an array of strategy names, one per player")
            if len(profile) != len(players):
                self.fail(f"{key}.profile", f"expected {len(players)} strategy names (one per player), got {len(profile)}")
            for player, s in zip(players, profile):
                if not isinstance(s, str) or s not in strategies[player]:
                    self.fail(f"{key}.profile", f"{s!r} is not a strategy of player {player!r} "
                                                f"(strategies: {', '.join(strategies[player])})")
            profile = tuple(profile)
            if profile in out:
                self.fail(f"{key}.profile", f"profile {list(profile)} is given twice")
            values = row["values"]
            self.expect(f"{key}.values", values, list, "an array of payoffs, one per player")
            if len(values) != len(players):
                self.fail(f"{key}.values", f"expected {len(players)} payoffs (one per player), got {len(values)}")
            out[profile] = [self.expression(f"{key}.values[{j}]", v, symbols) for j, v in enumerate(values)]
        total = math.prod(len(s) for s in strategies.values())
        if len(out) != total:
            import itertools

            missing = next(p for p in itertools.product(*strategies.values()) if p not in out)
            self.fail("payoffs", f"missing the payoffs of profile {list(missing)} "
                                 f"(expected one [[payoffs]] table for each of the {total} profiles)")
        return out

    def expression(self, key, value, symbols):
        if isinstance(value, bool):
            self.fail(key, f"expected a number or an expression in quotes, got {_describe(value)}")
        if isinstance(value, (int, float)):
            return self.number(key, value)
        if isinstance(value, str):
            try:
                return parse(value, symbols)
            except CoopgameError as exc:
                self.fail(key, str(exc))
        self.fail(key, f"expected a number or an expression in quotes, got {_describe(value)}")

    # ------------------------------------------------------------------ instruments
    def instruments(self, value, game, inst_params):
        self.expect("instruments", value, list, "an array of tables [[instruments]] with name and parts")
        out = []
        names = []
        params = {p.name: p for p in game.parameters} | inst_params
        symbols = {k: p.symbol for k, p in params.items()}
        for i, group in enumerate(value):
            gkey = f"instruments[{i}]"
            self.expect(gkey, group, dict, "a table with name and parts")
            self.known_keys(gkey, group, ("name", "parts"))
            for k in ("name", "parts"):
                if k not in group:
                    self.fail(f"{gkey}.{k}", "missing")
            gname = self.text(f"{gkey}.name", group["name"])
            if not gname.strip():
                self.fail(f"{gkey}.name", "expected a non-empty string")
            if gname in names:
                self.fail(f"{gkey}.name", f"the instrument name {gname!r} is used twice")
            names.append(gname)
            parts = self.expect(f"{gkey}.parts", group["parts"], list, "an array of tables [[instruments.parts]]")
            if not parts:
                self.fail(f"{gkey}.parts", "expected at least one policy instrument")
            built = []
            for j, spec in enumerate(parts):
                built.append(self.instrument(f"{gkey}.parts[{j}]", spec, symbols, params))
            try:
                game.with_policy(*built)
            except CoopgameError as exc:
                self.fail(gkey, str(exc))
            out.append((gname, tuple(built)))
        return tuple(out)

    def instrument(self, key, spec, symbols, params):
        self.expect(key, spec, dict, "a table with the instrument's type and its arguments")
        if "type" not in spec:
            self.fail(f"{key}.type", "missing: expected the instrument's class name, such as \"Subsidy\"")
        kind = self.text(f"{key}.type", spec["type"])
        classes = _instrument_classes()
        cls = classes.get(kind)
        if cls is None:
            self.fail(f"{key}.type", f"unknown instrument type {kind!r} (known: {', '.join(sorted(classes)) or 'none'})")
        fields = _instrument_fields(cls)
        kwargs = {}
        for k, v in spec.items():
            if k == "type":
                continue
            if k not in fields:
                self.fail(f"{key}.{k}", f"unknown argument of {kind} (expected one of: {', '.join(fields)})")
            if k == "when":
                kwargs[k] = self.when(f"{key}.when", v)
            elif k in ("label", "to", "on", "payer", "payee"):
                kwargs[k] = self.text(f"{key}.{k}", v)
            else:
                kwargs[k] = self.amount(f"{key}.{k}", v, symbols, params)
        try:
            return cls(**kwargs)
        except CoopgameError as exc:
            self.fail(key, str(exc))
        except TypeError as exc:
            self.fail(key, f"cannot build {kind}: {exc}")

    def when(self, key, value):
        self.expect(key, value, dict, "a table mapping players to a strategy name or an array of names")
        out = {}
        for player, names in value.items():
            if isinstance(names, str):
                out[player] = names
            else:
                out[player] = tuple(self.name_list(f"{key}.{player}", names, "strategy names"))
                if not out[player]:
                    self.fail(f"{key}.{player}", "expected at least one strategy name")
        return out

    def amount(self, key, value, symbols, params):
        if isinstance(value, dict):
            if set(value) == {"parameter"}:
                pname = self.text(f"{key}.parameter", value["parameter"])
                if pname not in params:
                    self.fail(f"{key}.parameter", f"unknown parameter {pname!r} (declare it in [parameters] "
                                                  "or [instrument_parameters])")
                return params[pname]
            if set(value) == {"expr"}:
                return self.expression(f"{key}.expr", value["expr"], symbols)
            self.fail(key, "expected a number, an expression in quotes, {parameter = \"NAME\"} or {expr = \"...\"}")
        if isinstance(value, str):
            self.expression(key, value, symbols)  # validated now; the instrument parses it again on use
            return value
        return self.number(key, value)

    # ------------------------------------------------------------------ analyses
    def analysis(self, value, known) -> Analyses:
        self.expect("analysis", value, dict, "a table [analysis]")
        self.known_keys("analysis", value, ("values", "equilibria", "stability", "thresholds", "simulate", "sweep"))
        values = {}
        spec = self.expect("analysis.values", value.get("values", {}), dict, "a table of parameter values")
        for name, v in spec.items():
            key = f"analysis.values.{name}"
            if name not in known:
                self.fail(key, f"unknown parameter (parameters: {', '.join(known) or 'none'})")
            try:
                values[name] = known[name].check(self.number(key, v))
            except CoopgameError as exc:
                self.fail(key, str(exc))
        flags = {}
        for flag in ("equilibria", "stability", "thresholds"):
            flags[flag] = self.expect(f"analysis.{flag}", value.get(flag, True), bool, "true or false")
        simulate = None
        if "simulate" in value:
            sim = self.expect("analysis.simulate", value["simulate"], dict, "a table with starts, t_max and seed")
            self.known_keys("analysis.simulate", sim, ("starts", "t_max", "seed"))
            starts = self.expect("analysis.simulate.starts", sim.get("starts", 20), int, "a positive integer")
            if not 1 <= starts <= 10_000:
                self.fail("analysis.simulate.starts", f"expected an integer from 1 to 10000, got {starts}")
            t_max = self.number("analysis.simulate.t_max", sim.get("t_max", 50))
            if not t_max > 0:
                self.fail("analysis.simulate.t_max", f"expected a positive time, got {t_max}")
            seed = self.expect("analysis.simulate.seed", sim.get("seed", 0), int, "a non-negative integer")
            if seed < 0:
                self.fail("analysis.simulate.seed", f"expected a non-negative integer, got {seed}")
            simulate = SimulateSpec(starts, t_max, seed)
        axes = ()
        if "sweep" in value:
            sweep = self.expect("analysis.sweep", value["sweep"], dict, "a table with grid")
            self.known_keys("analysis.sweep", sweep, ("grid",))
            grid = self.expect("analysis.sweep.grid", sweep.get("grid", []), list, "an array of grid axes")
            parsed = []
            for i, ax in enumerate(grid):
                key = f"analysis.sweep.grid[{i}]"
                if isinstance(ax, str):
                    try:
                        axis = parse_grid(ax)
                    except CoopgameError as exc:
                        self.fail(key, str(exc))
                else:
                    self.expect(key, ax, dict, "a table {name, start, stop, num} or a string \"NAME=START:STOP:NUM\"")
                    self.known_keys(key, ax, ("name", "start", "stop", "num"))
                    for k in ("name", "start", "stop", "num"):
                        if k not in ax:
                            self.fail(f"{key}.{k}", "missing")
                    num = self.expect(f"{key}.num", ax["num"], int, "a positive integer")
                    try:
                        axis = _grid_axis(self.text(f"{key}.name", ax["name"]), self.number(f"{key}.start", ax["start"]),
                                          self.number(f"{key}.stop", ax["stop"]), num)
                    except CoopgameError as exc:
                        self.fail(key, str(exc))
                if axis.name not in known:
                    self.fail(key, f"unknown parameter {axis.name!r} (parameters: {', '.join(known) or 'none'})")
                if axis.name in [a.name for a in parsed]:
                    self.fail(key, f"parameter {axis.name!r} has two grid axes")
                for end in (axis.start, axis.stop):
                    try:
                        known[axis.name].check(end)
                    except CoopgameError as exc:
                        self.fail(key, str(exc))
                parsed.append(axis)
            axes = tuple(parsed)
        return Analyses(values=tuple(sorted(values.items())), simulate=simulate, sweep=axes, **flags)


def _interval_name(interval) -> str:
    from .core.parameters import interval_text

    return interval_text(interval)


def _grid_axis(name, start, stop, num) -> GridAxis:
    if not isinstance(name, str) or not name.isidentifier():
        raise ScenarioError(f"grid axis: {name!r} is not a parameter name")
    if isinstance(num, bool) or not isinstance(num, int) or not 1 <= num <= MAX_GRID_POINTS:
        raise ScenarioError(f"grid axis {name!r}: the number of points must be an integer from 1 to {MAX_GRID_POINTS}, got {num!r}")
    if num > 1 and not start < stop:
        raise ScenarioError(f"grid axis {name!r}: start {start} must be below stop {stop}")
    return GridAxis(name, start, stop, num)


def parse_grid(text: str) -> GridAxis:
    """Parse a grid axis written ``NAME=START:STOP:NUM`` (``"s=0:10:21"``, ``"p=0:1/2:11"``).

    Raises
    ------
    ScenarioError
        The text is not of that form, a bound is not a number, ``NUM`` is not a positive
        integer or ``START`` is not below ``STOP``.

    Examples
    --------
    >>> parse_grid("s=0:10:21")
    GridAxis(name='s', start=0, stop=10, num=21)
    >>> parse_grid("s=0:10")
    Traceback (most recent call last):
    ...
    coopgame.errors.ScenarioError: bad grid 's=0:10': expected NAME=START:STOP:NUM, for example s=0:10:21
    """
    if not isinstance(text, str):
        raise ScenarioError(f"bad grid {text!r}: expected NAME=START:STOP:NUM, for example s=0:10:21")
    m = re.fullmatch(r"\s*([A-Za-z][A-Za-z0-9_]*)\s*=([^:]+):([^:]+):\s*([0-9]+)\s*", text)
    if not m:
        raise ScenarioError(f"bad grid {text!r}: expected NAME=START:STOP:NUM, for example s=0:10:21")
    name, lo, hi, num = m.groups()
    bounds = []
    for part in (lo, hi):
        try:
            bounds.append(parse_number(part.strip()))
        except CoopgameError:
            raise ScenarioError(f"bad grid {text!r}: {part.strip()!r} is not a number") from None
        if not bounds[-1].is_real:
            raise ScenarioError(f"bad grid {text!r}: {part.strip()!r} is not a real number")
    try:
        return _grid_axis(name, bounds[0], bounds[1], int(num))
    except ScenarioError as exc:
        raise ScenarioError(f"bad grid {text!r}: {exc}") from None


# ---------------------------------------------------------------------------------- instruments
def _instrument_classes() -> dict[str, type]:
    """The policy instrument classes a scenario may name, by class name."""
    try:
        from . import policy
    except ImportError:  # the policy module is optional for reading games
        return {}
    out = {}
    for name in getattr(policy, "__all__", ()):
        obj = getattr(policy, name, None)
        if isinstance(obj, type) and dataclasses.is_dataclass(obj) and hasattr(obj, "apply"):
            out[name] = obj
    return out


def _instrument_fields(cls) -> list[str]:
    names = getattr(cls, "_init_fields", None)
    if names is not None:
        return list(names)
    return [f.name for f in dataclasses.fields(cls) if f.init]


# ---------------------------------------------------------------------------------- writing
def dumps(obj) -> str:
    """The TOML text of a scenario, a game or a catalogue model.

    Every payoff is written as an expression and parsed back; if the text would not read back
    into the same expression (a float inside an expression, a constant such as ``pi``), a
    :class:`ScenarioError` names the payoff instead of writing a file that changes the model.
    """
    scenario = _as_scenario(obj)
    game = scenario.game
    if game.policies:
        raise ScenarioError(
            "the game has policy instruments applied; write the game before the policy and list the "
            "instruments in the scenario's instruments instead"
        )
    data: dict = {"format": FORMAT_VERSION}
    if scenario.model is not None:
        data["model"] = scenario.model
    if game.name is not None:
        data["name"] = game.name
    if scenario.title:
        data["title"] = scenario.title
    if scenario.description:
        data["description"] = scenario.description
    if scenario.references:
        data["references"] = list(scenario.references)
    data["players"] = list(game.players)
    if scenario.target:
        data["target"] = list(scenario.target)
    data["strategies"] = {p: list(s) for p, s in zip(game.players, game.strategy_lists)}
    symbols = {p.name: p.symbol for p in scenario.parameters}
    if game.parameters:
        data["parameters"] = {p.name: _parameter_value(p) for p in game.parameters}
    if scenario.instrument_parameters:
        data["instrument_parameters"] = {p.name: _parameter_value(p) for p in scenario.instrument_parameters}
    rows = []
    for profile, values in game.payoff_table().items():
        rows.append({"profile": list(profile),
                     "values": [_expression_value(v, symbols, f"payoff of {pl!r} at {profile!r}")
                                for pl, v in zip(game.players, values)]})
    data["payoffs"] = rows
    if scenario.instruments:
        data["instruments"] = [{"name": n, "parts": [_instrument_value(inst, symbols) for inst in group]}
                               for n, group in scenario.instruments]
    if scenario.policy_levels:
        data["policy_levels"] = {k: _number_value(to_exact(v, name=k), f"policy level of {k!r}")
                                 for k, v in scenario.policy_levels}
    data["analysis"] = _analysis_value(scenario.analyses)
    header = "# coopgame scenario file (format 1); see docs/reference/scenario-format.md\n"
    return header + toml_dumps(data)


def _parameter_value(p: Parameter) -> dict:
    spec: dict = {}
    if p.meaning:
        spec["meaning"] = p.meaning
    if p.unit:
        spec["unit"] = p.unit
    spec["domain"] = _domain_value(p)
    if p.default is not None:
        spec["default"] = _number_value(p.default, f"default of parameter {p.name!r}")
    if p.source:
        spec["source"] = p.source
    return spec


def dump(obj, path) -> Path:
    """Write :func:`dumps` of ``obj`` to ``path`` (UTF-8) and return the path."""
    text = dumps(obj)
    path = Path(path)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot write the file ({exc.strerror or exc})") from None
    return path


def _as_scenario(obj) -> Scenario:
    if isinstance(obj, Scenario):
        return obj
    if isinstance(obj, Game):
        return Scenario(game=obj)
    if hasattr(obj, "game") and hasattr(obj, "name"):
        return Scenario.from_model(obj)
    raise ScenarioError(f"expected a Scenario, a Game or a catalogue model, got {type(obj).__name__}")


def _domain_value(p: Parameter):
    d = p.domain
    named = _NAMED_DOMAINS.get(d.name)
    if named == d:
        return d.name
    if d.interval is not sympy.S.Reals and not isinstance(d.interval, sympy.Interval):
        raise ScenarioError(f"parameter {p.name!r}: domain {d.describe()} is not an interval")
    shown = _interval_name(d.interval)
    return shown if d.name == shown else _Inline(name=d.name, interval=shown)


def _number_value(value, where):
    value = to_exact(value, name=where)
    if isinstance(value, sympy.Integer):
        n = int(value)
        return n if abs(n) < 2**63 else str(n)
    if isinstance(value, sympy.Rational):
        return str(value)
    text = str(value)
    try:
        back = parse_number(text)
    except CoopgameError:
        back = None
    if back != value:
        raise ScenarioError(f"{where}: {value} cannot be written as a number that reads back exactly")
    return text


def _expression_value(expr, symbols, where):
    if isinstance(expr, sympy.Integer) and abs(int(expr)) < 2**63:
        return int(expr)
    text = sympy.sstr(expr, order=None)
    try:
        back = parse(text, symbols)
    except CoopgameError:
        back = None
    if back != expr:
        raise ScenarioError(f"{where}: the expression {text} does not read back exactly; "
                            "use exact numbers (Rational) and the functions of the safe parser")
    return text


def _instrument_value(inst, symbols):
    cls = type(inst)
    if _instrument_classes().get(cls.__name__) is not cls:
        raise ScenarioError(f"{inst!r} is not a policy instrument of coopgame.policy that a scenario can store")
    out = {"type": cls.__name__}
    for name in _instrument_fields(cls):
        value = getattr(inst, name)
        where = f"{cls.__name__}.{name}"
        if value is None:
            continue
        if name == "when":
            if callable(value) or not isinstance(value, tuple):
                raise ScenarioError(f"{where}: a callable condition cannot be stored in a scenario; "
                                    "use a mapping player -> strategy names")
            out["when"] = _Inline((player, names[0] if len(names) == 1 else list(names)) for player, names in value)
        elif isinstance(value, Parameter):
            out[name] = _Inline(parameter=value.name)
        elif isinstance(value, str):
            out[name] = value
        elif isinstance(value, sympy.Basic):
            if isinstance(value, sympy.Rational):
                out[name] = _number_value(value, where)
            else:
                out[name] = _Inline(expr=_expression_value(value, symbols, where))
        else:
            raise ScenarioError(f"{where}: a {type(value).__name__} cannot be stored in a scenario")
    return out


def _analysis_value(a: Analyses) -> dict:
    out: dict = {}
    if a.values:
        out["values"] = _Inline({k: _number_value(v, f"analysis value of {k!r}") for k, v in a.values})
    out["equilibria"] = a.equilibria
    out["stability"] = a.stability
    out["thresholds"] = a.thresholds
    if a.simulate is not None:
        out["simulate"] = {"starts": a.simulate.starts, "t_max": _number_value(a.simulate.t_max, "t_max"),
                           "seed": a.simulate.seed}
    if a.sweep:
        out["sweep"] = {"grid": [_Inline({"name": ax.name, "start": _number_value(ax.start, "grid start"),
                                  "stop": _number_value(ax.stop, "grid stop"), "num": ax.num}) for ax in a.sweep]}
    return out


# ---------------------------------------------------------------------------------- TOML writer
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def toml_dumps(data: Mapping) -> str:
    """Write a mapping of strings, integers, finite floats, booleans, arrays and tables as TOML.

    Arrays whose items are all tables become arrays of tables (``[[name]]``); tables inside other
    arrays are written inline. Only what :mod:`tomllib` reads back into the same data is
    written: anything else raises :class:`ScenarioError`.

    Examples
    --------
    >>> print(toml_dumps({"a": 1, "b": {"c": "x y", "d": [1.5, True]}}))
    a = 1
    <BLANKLINE>
    [b]
    c = "x y"
    d = [1.5, true]
    <BLANKLINE>
    """
    if not isinstance(data, Mapping):
        raise ScenarioError(f"toml_dumps expects a mapping, got {type(data).__name__}")
    lines: list[str] = []
    _emit_table(lines, [], data, header=None)
    return "\n".join(lines).lstrip("\n") + "\n"


class _Inline(dict):
    """A table the writer puts on one line (``{a = 1, b = 2}``)."""


def _is_table_array(value) -> bool:
    return (isinstance(value, (list, tuple)) and len(value) > 0
            and all(isinstance(v, Mapping) and not isinstance(v, _Inline) for v in value))


def _nested(value) -> bool:
    return (isinstance(value, Mapping) and not isinstance(value, _Inline)) or _is_table_array(value)


def _emit_table(lines, path, table, header):
    nested = [(k, v) for k, v in table.items() if _nested(v)]
    plain = [(k, v) for k, v in table.items() if not _nested(v)]
    if header is not None and (plain or not nested or header.startswith("[[")):
        lines.append("")
        lines.append(header)
    for key, value in plain:
        lines.append(f"{_key(key)} = {_value(value)}")
    for key, value in nested:
        sub = [*path, _key(key)]
        dotted = ".".join(sub)
        if isinstance(value, Mapping):
            _emit_table(lines, sub, value, f"[{dotted}]")
        else:
            for item in value:
                _emit_table(lines, sub, item, f"[[{dotted}]]")


def _key(key) -> str:
    if not isinstance(key, str):
        raise ScenarioError(f"TOML keys must be strings, got {key!r}")
    return key if _BARE_KEY.match(key) else _string(key)


def _string(text: str) -> str:
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        elif 0xD800 <= ord(ch) <= 0xDFFF:
            raise ScenarioError(f"the text {text!r} contains a lone surrogate, which TOML cannot store")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if not -(2**63) <= value < 2**63:
            raise ScenarioError(f"the integer {value} is too large for TOML; write it as a string")
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ScenarioError(f"the number {value!r} is not finite")
        text = repr(value)
        return text if any(c in text for c in ".en") else text + ".0"
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, Sequence):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise ScenarioError(f"a {type(value).__name__} cannot be written as TOML")
