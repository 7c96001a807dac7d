"""Claims files: a publication's results, stated in its own terms, checked against its model.

A claims file (TOML) lists what a paper asserts about its evolutionary game: the stability verdict
or condition of each rest point (its stability table), which profiles are evolutionarily stable
in each case the paper distinguishes, thresholds ("the profile is stable iff the subsidy exceeds
..."), and where its simulations end. :func:`verify` confirms or refutes every claim through
:mod:`coopgame.testing`: a refuted claim comes with a counterexample, parameter values inside the
model's assumptions (every parameter in its domain, every stated assumption true) at which the
claim fails. ``coopgame verify SCENARIO --claims CLAIMS.toml`` runs it from the command line.

Every expression in a claims file is read by the safe parser :func:`coopgame.expressions.parse`.
The format is described in ``docs/reference/claims-format.md``.

Examples
--------
>>> from coopgame import Game
>>> g = Game(["school", "enterprise"], {"school": ["D", "S"], "enterprise": ["P", "N"]},
...          {("D", "P"): ["R_s - C_s", "R_e - C_e + g"], ("D", "N"): ["-C_s", 0],
...           ("S", "P"): [0, "g - C_e"], ("S", "N"): [0, 0]})
>>> claims = loads('''
... format = 1
... source = "an illustrative paper"
... assumptions = ["R_s > C_s"]
... [[rest_points]]
... profile = ["D", "P"]
... condition = "R_e + g > C_e"
... [[thresholds]]
... profile = ["D", "P"]
... parameter = "g"
... relation = ">"
... value = "C_e"
... ''')
>>> report = verify(g, claims, max_examples=20)
>>> [(r.kind, r.status) for r in report.results]
[('rest point', 'confirmed'), ('threshold', 'refuted')]
>>> report.exit_code
1

The threshold is wrong: the enterprise participates as soon as :math:`g > C_e - R_e`, and the
counterexample shows a subsidy between the two bounds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from .core.errors import ParameterError, ScenarioError
from .core.expressions import parse

__all__ = ["Claims", "ClaimResult", "VerifyReport", "load", "loads", "verify"]

_TOP_KEYS = {"format", "source", "assumptions", "instruments", "rest_points", "cases", "thresholds", "simulations"}
_ROW_KEYS = {"profile", "point", "verdict", "condition", "eigenvalues", "label"}
_CASE_KEYS = {"name", "when", "ess"}
_THRESHOLD_KEYS = {"name", "profile", "parameter", "relation", "value", "given"}
_SIM_KEYS = {"name", "values", "end", "start", "t_max", "starts", "share"}
_RELATIONS = {">", ">=", "<", "<="}


@dataclass(frozen=True)
class Claims:
    """The claims of one publication, as read from a claims file (see the module docstring)."""

    source: str = ""
    assumptions: tuple = ()
    instruments: tuple = ()
    rest_points: tuple = ()
    cases: tuple = ()
    thresholds: tuple = ()
    simulations: tuple = ()
    origin: str = "<string>"


@dataclass(frozen=True)
class ClaimResult:
    """The verdict on one claim: ``status`` is ``"confirmed"``, ``"refuted"`` or ``"unverified"``."""

    kind: str
    claim: str
    status: str
    detail: str
    counterexample: dict | None = None

    def to_dict(self) -> dict:
        ce = None if self.counterexample is None else {str(k): str(v) for k, v in self.counterexample.items()}
        return {"kind": self.kind, "claim": self.claim, "status": self.status, "detail": self.detail,
                "counterexample": ce}


@dataclass(frozen=True)
class VerifyReport:
    """Every claim's verdict; renders as Markdown or JSON."""

    source: str
    results: tuple = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return all(r.status == "confirmed" for r in self.results)

    @property
    def exit_code(self) -> int:
        """0 when every claim is confirmed, 1 otherwise (a claim refuted or not decided)."""
        return 0 if self.ok else 1

    def to_markdown(self) -> str:
        from .core.formatting import markdown_table

        rows = [[r.kind, r.claim, r.status, r.detail] for r in self.results]
        head = f"Claims of {self.source}\n\n" if self.source else ""
        n_ok = sum(r.status == "confirmed" for r in self.results)
        return (head + markdown_table(["kind", "claim", "verdict", "detail"], rows)
                + f"\n\n{n_ok} of {len(self.results)} claims confirmed.\n")

    def to_json(self) -> str:
        return json.dumps({"source": self.source, "ok": self.ok, "claims": [r.to_dict() for r in self.results]},
                          indent=2, sort_keys=False)


# ---------------------------------------------------------------------------------- reading
def _fail(origin, where, message):
    raise ScenarioError(f"{origin}: {where}: {message}")


def _text(value, origin, where) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        _fail(origin, where, f"expected text or a number, got {value!r}")
    return str(value)


def _names(value, origin, where) -> tuple:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        _fail(origin, where, f"expected a list of strategy names, got {value!r}")
    return tuple(value)


def _table_list(data, key, allowed, origin) -> tuple:
    items = data.get(key, [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        _fail(origin, key, "expected an array of tables ([[" + key + "]])")
    for i, item in enumerate(items):
        unknown = set(item) - allowed
        if unknown:
            _fail(origin, f"{key}[{i}]", f"unknown key(s) {sorted(unknown)} (known: {sorted(allowed)})")
    return tuple(items)


def loads(text: str, *, origin: str = "<string>") -> Claims:
    """Read a claims file's text (TOML; expressions stay text until checked against a game)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{origin}: not valid TOML: {exc}") from None
    unknown = set(data) - _TOP_KEYS
    if unknown:
        _fail(origin, "top level", f"unknown key(s) {sorted(unknown)} (known: {sorted(_TOP_KEYS)})")
    if data.get("format", 1) != 1:
        _fail(origin, "format", f"unsupported format {data.get('format')!r} (supported: 1)")
    assumptions = data.get("assumptions", [])
    if not isinstance(assumptions, list):
        _fail(origin, "assumptions", "expected a list of conditions")
    instruments = data.get("instruments", [])
    if not isinstance(instruments, list) or not all(isinstance(i, str) for i in instruments):
        _fail(origin, "instruments", "expected a list of instrument names")
    rows = _table_list(data, "rest_points", _ROW_KEYS, origin)
    for i, row in enumerate(rows):
        if ("profile" in row) == ("point" in row):
            _fail(origin, f"rest_points[{i}]", "give exactly one of 'profile' (a vertex) or 'point' (coordinates)")
        if not set(row) & {"verdict", "condition", "eigenvalues"}:
            _fail(origin, f"rest_points[{i}]", "states no claim (give verdict, condition or eigenvalues)")
    cases = _table_list(data, "cases", _CASE_KEYS, origin)
    for i, case in enumerate(cases):
        if "when" not in case or "ess" not in case:
            _fail(origin, f"cases[{i}]", "needs 'when' (the case's condition) and 'ess' (the stable profiles)")
    thresholds = _table_list(data, "thresholds", _THRESHOLD_KEYS, origin)
    for i, t in enumerate(thresholds):
        missing = {"profile", "parameter", "value"} - set(t)
        if missing:
            _fail(origin, f"thresholds[{i}]", f"missing key(s) {sorted(missing)}")
        if t.get("relation", ">") not in _RELATIONS:
            _fail(origin, f"thresholds[{i}].relation", f"expected one of {sorted(_RELATIONS)}, got {t['relation']!r}")
    sims = _table_list(data, "simulations", _SIM_KEYS, origin)
    for i, s in enumerate(sims):
        if "values" not in s or "end" not in s or not isinstance(s["values"], dict):
            _fail(origin, f"simulations[{i}]", "needs 'values' (a table of parameter values) and 'end' (a profile)")
    return Claims(source=str(data.get("source", "")), assumptions=tuple(assumptions), instruments=tuple(instruments),
                  rest_points=rows, cases=cases, thresholds=thresholds, simulations=sims, origin=origin)


def load(path) -> Claims:
    """Read a claims file.

    Raises
    ------
    ScenarioError
        The file cannot be read, is not TOML, or a claim is malformed (the message names it).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read the claims file: {exc.strerror or exc}") from None
    return loads(text, origin=str(path))


# ---------------------------------------------------------------------------------- checking
def _condition(text, game, origin, where):
    table = {p.name: p.symbol for p in game.parameters}
    try:
        return parse(_text(text, origin, where), table, relational=True)
    except ParameterError:
        raise
    except Exception as exc:  # the safe parser's own errors name the offending text
        raise ScenarioError(f"{origin}: {where}: {exc}") from None


def _values_strategy(bundle, claims, extra=None):
    from .testing import parameter_values

    assumptions = list(claims.assumptions) + ([extra] if extra is not None else [])
    return parameter_values(bundle, assumptions=assumptions)


def _condition_result(kind, claim, res, detail_ok="no counterexample found") -> ClaimResult:
    if res.ok and res.examples == 0 and res.claimed.free_symbols | res.true.free_symbols:
        return ClaimResult(kind, claim, "unverified", "no admissible parameter values satisfy the case: nothing "
                           "was checked")
    if res.ok:
        return ClaimResult(kind, claim, "confirmed", f"{detail_ok} in {res.examples} admissible draws")
    return ClaimResult(kind, claim, "refuted", res.explain(), res.counterexample)


def verify(model_or_game, claims: Claims, *, max_examples: int = 200, seed: int = 0, rng=0) -> VerifyReport:
    """Confirm or refute every claim of ``claims`` about ``model_or_game``.

    Parameters
    ----------
    model_or_game : Game, Model or Scenario
        The publication's model. With ``claims.instruments``, those instruments are applied
        (``"all"``: every one).
    claims : Claims
    max_examples : int
        The search budget per claim (hypothesis draws of admissible parameter values).
    seed : int
        Seed of the searches.
    rng : int or numpy Generator
        Seed of the random starts of simulation claims that give no start.

    Returns
    -------
    VerifyReport
    """
    game = _claimed_game(model_or_game, claims)
    for i, a in enumerate(claims.assumptions):
        _condition(a, game, claims.origin, f"assumptions[{i}]")
    results = [*_check_rest_points(game, claims, max_examples, seed),
               *_check_cases(game, claims, max_examples, seed),
               *_check_thresholds(game, claims, max_examples, seed),
               *_check_simulations(game, claims, rng)]
    return VerifyReport(claims.source, tuple(results))


def _claimed_game(model_or_game, claims):
    """The game the claims are about: a game as given, a model with the claims' instruments."""
    from .core.game import Game

    if isinstance(model_or_game, Game):
        return model_or_game
    names = claims.instruments
    if names and list(names) != ["all"]:
        return model_or_game.with_policy(*names)
    if names:
        return model_or_game.with_policy()
    return model_or_game.game


def _rest_point_key(row, game, origin, where):
    """A rest point's key for the stability-table check: its profile, or its coordinates as text."""
    if "profile" in row:
        return game.profile_names(_names(row["profile"], origin, f"{where}.profile"))
    pt = row["point"]
    if not isinstance(pt, dict) or not pt:
        _fail(origin, f"{where}.point", "expected a table of coordinates")
    return tuple((str(k), _text(v, origin, f"{where}.point.{k}")) for k, v in pt.items())


def _check_rest_points(game, claims, max_examples, seed) -> list:
    """The stability table: one result per claimed rest point (its verdict, condition, eigenvalues)."""
    from .testing import check_stability_table

    origin = claims.origin
    table, labels = {}, {}
    for i, row in enumerate(claims.rest_points):
        key = _rest_point_key(row, game, origin, f"rest_points[{i}]")
        if key in table:
            _fail(origin, f"rest_points[{i}]", f"rest point {key!r} is listed twice")
        table[key] = {k: row[k] for k in ("verdict", "condition", "eigenvalues") if k in row}
        labels[key] = row.get("label", "")
    if not table:
        return []
    checked = check_stability_table(game, table, values=_values_strategy(game, claims),
                                    max_examples=max_examples, seed=seed)
    results = []
    for r in checked.rows:
        label = labels.get(r.point, "")
        point = r.point if isinstance(r.point, tuple) and all(isinstance(s, str) for s in r.point) else \
            dict(r.point)
        text = f"{label + ': ' if label else ''}{point} {r.what}"
        if r.ok:
            results.append(ClaimResult("rest point", text, "confirmed", r.message))
        else:
            results.append(ClaimResult("rest point", text, "refuted", r.message, r.counterexample))
    return results


def _check_cases(game, claims, max_examples, seed) -> list:
    """Each case: within the case's condition, exactly the listed profiles are ESS."""
    origin = claims.origin
    results = []
    for i, case in enumerate(claims.cases):
        where = f"cases[{i}]"
        when = _condition(case["when"], game, origin, f"{where}.when")
        ess = case["ess"]
        if not isinstance(ess, list):
            _fail(origin, f"{where}.ess", "expected a list of profiles")
        claimed = {game.profile_names(_names(p, origin, f"{where}.ess")) for p in ess}
        name = case.get("name", f"case {i + 1}")
        shown = ", ".join(str(p) for p in game.profiles() if p in claimed) or "none"
        text = f"{name} ({when}): the ESS are {shown}"
        results.append(_case_verdict(game, text, claimed, _values_strategy(game, claims, when), max_examples, seed))
    return results


def _case_verdict(game, text, claimed, strategy, max_examples, seed) -> ClaimResult:
    """The first profile whose ESS status the case gets wrong (or cannot decide), else confirmed."""
    from .testing import check_condition

    verdict = None
    for profile in game.profiles():
        res = check_condition(game, profile, profile in claimed, kind="ess", values=strategy,
                              max_examples=max_examples, seed=seed)
        verdict = _condition_result("case", text, res)
        if verdict.status == "refuted":
            return ClaimResult("case", text, "refuted", f"{profile}: {res.explain()}", res.counterexample)
        if verdict.status != "confirmed":
            return verdict
    return verdict


def _check_thresholds(game, claims, max_examples, seed) -> list:
    """Each threshold: the profile is stable iff parameter <relation> value (given a condition)."""
    from .testing import check_condition

    origin = claims.origin
    results = []
    for i, t in enumerate(claims.thresholds):
        where = f"thresholds[{i}]"
        profile = game.profile_names(_names(t["profile"], origin, f"{where}.profile"))
        game.parameter(_text(t["parameter"], origin, f"{where}.parameter"))
        rel = t.get("relation", ">")
        cond = _condition(f"{t['parameter']} {rel} ({_text(t['value'], origin, f'{where}.value')})", game, origin,
                          where)
        given = _condition(t["given"], game, origin, f"{where}.given") if "given" in t else None
        strategy = _values_strategy(game, claims, given)
        res = check_condition(game, profile, cond, kind="ess", values=strategy, max_examples=max_examples,
                              seed=seed)
        name = t.get("name", "")
        text = f"{name + ': ' if name else ''}{profile} stable iff {cond}" + (f" (given {given})" if given is not None else "")
        results.append(_condition_result("threshold", text, res))
    return results


def _check_simulations(game, claims, rng) -> list:
    """Each simulation: trajectories from the stated start (or random interior starts) end at the profile."""
    from .testing import check_simulation

    origin = claims.origin
    results = []
    for i, s in enumerate(claims.simulations):
        where = f"simulations[{i}]"
        values = {k: _condition(v, game, origin, f"{where}.values.{k}") for k, v in s["values"].items()}
        for k in values:
            game.parameter(k)
        end = game.profile_names(_names(s["end"], origin, f"{where}.end"))
        t_max = float(s.get("t_max", 200))
        name = s.get("name", f"simulation {i + 1}")
        if "start" in s:
            results.append(_simulate_from(game, values, s["start"], end, t_max, name, origin, where))
            continue
        res = check_simulation(game, values, end, starts=int(s.get("starts", 50)), t_max=t_max,
                               share=float(s.get("share", 1.0)), rng=rng)
        status = "confirmed" if res.ok else "refuted"
        results.append(ClaimResult("simulation", f"{name}: trajectories end at {end}", status, res.message,
                                   None if res.ok else {k: str(v) for k, v in values.items()}))
    return results


def _simulate_from(game, values, start, end, t_max, name, origin, where) -> ClaimResult:
    import numpy as np

    from .dynamics import ReplicatorDynamics

    dyn = ReplicatorDynamics(game)
    if not isinstance(start, list) or len(start) != len(dyn.state):
        _fail(origin, f"{where}.start", f"expected {len(dyn.state)} shares, one per state variable "
              f"({', '.join(str(x) for x in dyn.state)})")
    x0 = np.array([[float(_condition(v, game, origin, f"{where}.start"))] for v in start]).T
    traj = dyn.simulate(values, x0, t_max)
    limit = traj.limits[0]
    text = f"{name}: from {start} the trajectory ends at {end}"
    if limit is not None and limit.profile == end:
        return ClaimResult("simulation", text, "confirmed", f"limit {limit.label()} by t = {t_max:g}")
    got = "no rest point" if limit is None else limit.label()
    return ClaimResult("simulation", text, "refuted", f"the trajectory reaches {got} by t = {t_max:g}",
                       {k: str(v) for k, v in values.items()})

