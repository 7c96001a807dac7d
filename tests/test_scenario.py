"""Scenario files: round trips, every catalogue model, keyed errors, injection and fuzzing."""

from __future__ import annotations

import itertools

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from coopgame import Game, Parameter, models
from coopgame.errors import CoopgameError, ScenarioError
from coopgame.parameters import Domain, to_exact
from coopgame.policy import Penalty, Subsidy
from coopgame.scenario import (
    Analyses,
    GridAxis,
    Scenario,
    SimulateSpec,
    dump,
    dumps,
    load,
    loads,
    parse_grid,
    toml_dumps,
)

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

MODEL_NAMES = models.names()

STAG = """
format = 1
name = "stag hunt"
players = ["school", "enterprise"]
target = ["deep", "participate"]

[strategies]
school = ["deep", "shallow"]
enterprise = ["participate", "nominal"]

[parameters.R]
meaning = "gain from joint training"
unit = "yuan"
domain = "positive"
default = 10

[parameters.C]
meaning = "cost of participating"
domain = "positive"
default = "9/2"

[instrument_parameters.s]
meaning = "subsidy"
domain = "nonnegative"
default = 0

[[payoffs]]
profile = ["deep", "participate"]
values = ["R - C", "R - C"]

[[payoffs]]
profile = ["deep", "nominal"]
values = ["-C", 0]

[[payoffs]]
profile = ["shallow", "participate"]
values = [0, "-C"]

[[payoffs]]
profile = ["shallow", "nominal"]
values = [0, 0]

[[instruments]]
name = "subsidy"

[[instruments.parts]]
type = "Subsidy"
to = "enterprise"
amount = {parameter = "s"}
when = {enterprise = "participate"}

[policy_levels]
s = 1
"""


# ---------------------------------------------------------------------------------- round trips
@pytest.mark.parametrize("name", MODEL_NAMES)
def test_every_catalogue_model_round_trips(name):
    model = models.get(name)
    scenario = Scenario.from_model(model)
    back = loads(dumps(scenario), source=f"{name}.toml")
    assert back == scenario
    assert back.game == model.game
    assert back.instrument_parameters == model.instrument_parameters
    assert back.policy_levels == tuple((k, to_exact(v)) for k, v in model.policy_levels)
    # The instruments, applied, give the model's game with policy, records included.
    assert back.with_policy() == model.with_policy()
    for inst in model.instrument_names:
        assert back.with_policy(inst) == model.with_policy(inst)


def test_hand_written_scenario_reads_as_documented():
    s = loads(STAG, source="stag.toml")
    R, C = s.game.symbol("R"), s.game.symbol("C")
    assert s.game.payoff("school", ("deep", "participate")) == R - C
    assert s.game.parameter("C").default == sympy.Rational(9, 2)
    assert s.target == ("deep", "participate")
    h = s.with_policy("subsidy")
    assert h.payoff("enterprise", ("deep", "participate")) == R - C + s.instrument_parameters[0].symbol
    assert h.parameter("s").meaning == "subsidy"
    assert loads(dumps(s)) == s


def test_file_round_trip(tmp_path):
    s = loads(STAG)
    path = dump(s, tmp_path / "stag.toml")
    assert load(path) == s


def test_analyses_round_trip():
    s = loads(STAG)
    a = Analyses(values=(("C", sympy.Rational(1, 3)),), equilibria=False, simulate=SimulateSpec(5, sympy.Integer(10), 3),
                 sweep=(parse_grid("R=1:11:6"),))
    s2 = Scenario(game=s.game, analyses=a)
    assert loads(dumps(s2)).analyses == a


def _domains():
    named = st.sampled_from(["real", "positive", "nonnegative", "probability", "open unit interval"])
    custom = st.tuples(st.integers(-5, 5), st.integers(1, 5), st.booleans(), st.booleans()).map(
        lambda t: Domain.between(t[0], t[0] + t[1], left_open=t[2], right_open=t[3]))
    return st.one_of(named, custom)


@st.composite
def games(draw):
    """Random games whose payoffs are polynomials with rational coefficients in named parameters."""
    n = draw(st.integers(1, 3))
    players = [f"p{i}" for i in range(n)]
    strategies = {p: [f"{p}s{j}" for j in range(draw(st.integers(1, 3 if n < 3 else 2)))] for p in players}
    names = draw(st.lists(st.sampled_from(["a", "b", "C_e", "s", "tau"]), min_size=0, max_size=3, unique=True))
    params = []
    for name in names:
        domain = draw(_domains())
        d = domain if isinstance(domain, Domain) else Parameter("x", domain=domain).domain
        default = None
        if draw(st.booleans()):
            candidate = sympy.Rational(draw(st.integers(-20, 20)), draw(st.integers(1, 7)))
            if d.contains(candidate):
                default = candidate
        params.append(Parameter(name, meaning=draw(st.text(max_size=20)),
                                unit=draw(st.sampled_from(["", "yuan", "share of C_e"])), domain=domain,
                                default=default, source=draw(st.sampled_from(["", "Du2022 4.2"]))))
    syms = [p.symbol for p in params]
    coeff = st.builds(sympy.Rational, st.integers(-9, 9), st.integers(1, 5))

    def payoff():
        expr = draw(coeff)
        for sym in syms:
            expr += draw(coeff) * sym ** draw(st.integers(0, 2))
        return expr

    payoffs = {profile: [payoff() for _ in players] for profile in itertools.product(*strategies.values())}
    name = draw(st.one_of(st.none(), st.text(min_size=1, max_size=15).filter(str.strip)))
    return Game(players, strategies, payoffs, params, name=name)


def _no_surrogates(game):
    texts = [game.name or ""] + [p.meaning for p in game.parameters]
    return not any(0xD800 <= ord(c) <= 0xDFFF for t in texts for c in t)


@settings(max_examples=60, deadline=None)
@given(games())
def test_random_games_round_trip(game):
    if not _no_surrogates(game):
        with pytest.raises(ScenarioError, match="surrogate"):
            dumps(game)
        return
    assert loads(dumps(game)).game == game


def test_round_trip_with_instruments_applied_later():
    g = loads(STAG).game
    s = Scenario(game=g, instruments=(("both", (Subsidy("enterprise", "s", when={"enterprise": "participate"}),
                                                Penalty("school", "2*f + 1", when={"school": "shallow"}))),))
    back = loads(dumps(s))
    assert back.with_policy() == s.with_policy()


def test_games_with_policy_applied_are_refused():
    g = loads(STAG).game.with_policy(Subsidy("enterprise", 1))
    with pytest.raises(ScenarioError, match="policy instruments applied"):
        dumps(g)


def test_constants_the_parser_does_not_know_are_refused_rather_than_changed():
    x = sympy.Symbol("x", real=True)
    g = Game(["A"], [["a", "b"]], {("a",): [x + sympy.pi], ("b",): [0]})  # "pi" would read back as a symbol
    with pytest.raises(ScenarioError, match="does not read back exactly"):
        dumps(g)


def test_callable_conditions_cannot_be_stored():
    g = loads(STAG).game
    s = Scenario(game=g, instruments=(("c", (Subsidy("enterprise", 1, when=lambda p: True),)),))
    with pytest.raises(ScenarioError, match="callable"):
        dumps(s)


# ---------------------------------------------------------------------------------- errors
BAD = [
    ("players = 'x'", "key 'players': expected an array of player names"),
    ('format = 2\nplayers = ["a"]', "key 'format': expected format version 1, got 2"),
    ('players = ["a"]\nstrategies = {a = ["x"]}\npayoffs = []', "key 'payoffs': missing the payoffs of profile ['x']"),
    ('players = ["a"]\nstrategies = {b = ["x"]}\npayoffs = []', "key 'strategies.b': unknown player"),
    ('players = ["a"]\nstrategies = {a = ["x"]}\n[[payoffs]]\nprofile = ["y"]\nvalues = [1]',
     "key 'payoffs[0].profile': 'y' is not a strategy of player 'a'"),
    ('players = ["a"]\nstrategies = {a = ["x"]}\n[[payoffs]]\nprofile = ["x"]\nvalues = ["1 +"]',
     "key 'payoffs[0].values[0]': cannot parse '1 +'"),
    ('players = ["a"]\nstrategies = {a = ["x"]}\n[[payoffs]]\nprofile = ["x"]\nvalues = [true]',
     "key 'payoffs[0].values[0]': expected a number or an expression in quotes, got the boolean true"),
    ('players = ["a"]\nstrategies = {a = ["x"]}\n[parameters.c]\ndomain = "huge"\n[[payoffs]]\nprofile = ["x"]\nvalues = [1]',
     "key 'parameters.c.domain': expected a domain name"),
    ('players = ["a"]\nstrategies = {a = ["x"]}\n[parameters.c]\ndomain = "probability"\ndefault = 2\n'
     '[[payoffs]]\nprofile = ["x"]\nvalues = ["c"]', "parameters.c.default': parameter 'c' = 2 is outside its domain"),
    ('players = ["a"]\nstrategies = {a = ["x"]}\n[parameters.c]\ncolour = "red"\n[[payoffs]]\nprofile = ["x"]\nvalues = [1]',
     "key 'parameters.c.colour': unknown key"),
    ('players = ["a"]\nstrategies = {a = ["x"]}\n[[payoffs]]\nprofile = ["x"]\nvalues = [1]\n'
     '[analysis]\nvalues = {zz = 1}', "key 'analysis.values.zz': unknown parameter"),
    ('players = ["a"]\nstrategies = {a = ["x"]}\n[[payoffs]]\nprofile = ["x"]\nvalues = [1]\n'
     '[[instruments]]\nname = "i"\n[[instruments.parts]]\ntype = "Bribe"\nto = "a"',
     "key 'instruments[0].parts[0].type': unknown instrument type 'Bribe'"),
    ('players = ["a"]\nstrategies = {a = ["x"]}\n[[payoffs]]\nprofile = ["x"]\nvalues = [1]\n'
     '[[instruments]]\nname = "i"\n[[instruments.parts]]\ntype = "Subsidy"\nto = "zz"\namount = 1',
     "key 'instruments[0]': subsidy enterprise|unknown player 'zz'"),
    ("players = [", "not valid TOML"),
    ('players = ["a"]\nstrategies = {a = ["x"]}\n[[payoffs]]\nprofile = ["x"]\nvalues = [1]\n'
     '[analysis.sweep]\ngrid = ["a=0:1"]', "key 'analysis.sweep.grid[0]': bad grid"),
]


@pytest.mark.parametrize(("text", "expected"), BAD)
def test_malformed_files_name_file_key_and_expectation(text, expected):
    with pytest.raises(ScenarioError) as info:
        loads(text, source="model.toml")
    message = str(info.value)
    assert message.startswith("model.toml: ")
    assert any(part in message for part in expected.split("|")), message


def test_toml_syntax_errors_name_the_line():
    with pytest.raises(ScenarioError, match=r"bad\.toml: not valid TOML: .*line 3"):
        loads('format = 1\nplayers = ["a"]\nstrategies = {a = \n', source="bad.toml")


def test_unreadable_and_non_utf8_files(tmp_path):
    with pytest.raises(ScenarioError, match="missing.toml: cannot read the file"):
        load(tmp_path / "missing.toml")
    bad = tmp_path / "latin1.toml"
    bad.write_bytes("name = 'caf\xe9'".encode("latin-1"))
    with pytest.raises(ScenarioError, match="latin1.toml: the file is not UTF-8"):
        load(bad)


def test_huge_strategy_products_are_refused_before_enumeration():
    names = ", ".join(f'"s{i}"' for i in range(100))
    text = f'players = ["a", "b", "c"]\npayoffs = []\n[strategies]\na = [{names}]\nb = [{names}]\nc = [{names}]'
    with pytest.raises(ScenarioError, match="1000000 pure profiles"):
        loads(text)


# ---------------------------------------------------------------------------------- injection
INJECTIONS = [
    "__import__('os').system('touch PWNED')",
    "().__class__.__bases__[0].__subclasses__()",
    "exec('import os')",
    "eval('1')",
    "open('/etc/passwd').read()",
    "lambda: 1",
    "[x for x in (1,)]",
    "C.__class__",
    "'a' * 10",
    "9**9**9**9",
    "getattr(C, 'x')",
    "C; import os",
]


@pytest.mark.parametrize("payload", INJECTIONS)
def test_injection_attempts_are_rejected(payload, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = STAG.replace('values = ["-C", 0]', f"values = [{toml_dumps({'x': payload}).split(' = ', 1)[1].strip()}, 0]")
    with pytest.raises(ScenarioError, match=r"key 'payoffs\[1\]\.values\[0\]'"):
        loads(text)
    assert not (tmp_path / "PWNED").exists()


def test_injection_in_instrument_amounts_and_values():
    text = STAG.replace('amount = {parameter = "s"}', "amount = \"__import__('os')\"")
    with pytest.raises(ScenarioError, match=r"instruments\[0\]\.parts\[0\]\.amount"):
        loads(text)
    with pytest.raises(ScenarioError, match=r"policy_levels\.s"):
        loads(STAG.replace("s = 1", "s = \"exec('1')\""))


# ---------------------------------------------------------------------------------- fuzzing
@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_raises_only_scenario_errors(text):
    try:
        loads(text)
    except ScenarioError:
        pass


_scalars = st.one_of(st.text(max_size=12), st.integers(-5, 5), st.booleans(),
                     st.floats(allow_nan=False, allow_infinity=False, width=32),
                     st.sampled_from(["x", "deep", "R - C", "s", "positive", "[0, 1)", "Subsidy", "1/2", "a"]))
_keys = st.sampled_from(["format", "name", "players", "strategies", "parameters", "payoffs", "instruments", "analysis",
                         "profile", "values", "type", "to", "amount", "when", "domain", "default", "parts", "grid",
                         "sweep", "simulate", "a", "x", "target", "policy_levels", "instrument_parameters"])
_tomlish = st.recursive(_scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                          st.dictionaries(_keys, inner, max_size=5)), max_leaves=25)


@pytest.mark.slow  # a long property test / end-to-end run: `pytest -m slow`, CI
@settings(max_examples=200, deadline=None)
@given(st.dictionaries(_keys, _tomlish, max_size=8))
def test_arbitrary_toml_structures_raise_only_package_errors(data):
    try:
        text = toml_dumps(data)
    except ScenarioError:
        return
    try:
        loads(text)
    except CoopgameError:
        pass


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_mutated_valid_files_raise_only_package_errors(data):
    base = tomllib.loads(STAG)
    section = data.draw(st.sampled_from(sorted(base)))
    if data.draw(st.booleans()):
        del base[section]
    else:
        base[section] = data.draw(_tomlish)
    try:
        loads(toml_dumps(base))
    except CoopgameError:
        pass


@pytest.mark.slow  # a long property test / end-to-end run: `pytest -m slow`, CI
@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.text(max_size=8), _tomlish, max_size=6))
def test_toml_writer_output_reads_back_equal(data):
    try:
        text = toml_dumps(data)
    except ScenarioError:  # lone surrogates cannot be stored
        return
    assert tomllib.loads(text) == data


# ---------------------------------------------------------------------------------- grids
def test_parse_grid_exact_points():
    axis = parse_grid("tau=0:1/2:3")
    assert axis == GridAxis("tau", sympy.Integer(0), sympy.Rational(1, 2), 3)
    # evenly spaced: start + k (stop - start) / (num - 1)
    assert axis.values() == [0, sympy.Rational(1, 4), sympy.Rational(1, 2)]


@pytest.mark.parametrize("spec", ["s", "s=0:1", "s=a:1:3", "s=1:0:3", "s=0:1:0", "s=0:1:x", "1s=0:1:3",
                                  "s=0:1:1000001"])
def test_bad_grid_specs(spec):
    with pytest.raises(ScenarioError, match="bad grid"):
        parse_grid(spec)


# ---------------------------------------------------------------------------------- examples
def test_examples_are_current():
    """The files under examples/ are the catalogue exported by examples/regenerate.py."""
    import importlib.util
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "examples"
    spec = importlib.util.spec_from_file_location("regenerate", root / "regenerate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    expected = module.expected_files()
    for name, text in expected.items():
        path = root / name
        assert path.exists(), f"{name} is missing; run python examples/regenerate.py"
        assert path.read_text(encoding="utf-8") == text, f"{name} is out of date; run python examples/regenerate.py"
        assert load(path) == loads(text)


# ---------------------------------------------------------------------------------- JSON Schema
def test_schema_accepts_every_example_and_rejects_unknown_keys():
    jsonschema = pytest.importorskip("jsonschema")
    import json
    from importlib import resources

    schema = json.loads(resources.files("coopgame").joinpath("scenario.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for name in MODEL_NAMES:
        validator.validate(tomllib.loads(dumps(Scenario.from_model(models.get(name)))))
    validator.validate(tomllib.loads(STAG))
    bad = tomllib.loads(STAG)
    bad["colour"] = "red"
    assert not validator.is_valid(bad)


_part_keys = st.sampled_from(["type", "to", "on", "payer", "payee", "amount", "rate", "base", "gain", "visibility",
                              "when", "label"])
_part_values = st.one_of(_tomlish, st.sampled_from(["Subsidy", "TaxRelief", "Penalty", "Reputation", "Transfer",
                                                    "enterprise", "school", "participate", "R - C", "-1", "2"]),
                         st.fixed_dictionaries({"parameter": st.sampled_from(["s", "R", "zz"])}),
                         st.fixed_dictionaries({"enterprise": st.sampled_from(["participate", "nominal", "zz"])}))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.dictionaries(_part_keys, _part_values, max_size=6), min_size=1, max_size=3))
def test_fuzzed_instruments_raise_only_package_errors(parts):
    base = tomllib.loads(STAG)
    base["instruments"] = [{"name": "fuzz", "parts": parts}]
    try:
        text = toml_dumps(base)
    except ScenarioError:
        return
    try:
        s = loads(text)
    except CoopgameError:
        return
    s.with_policy()  # whatever was accepted can be applied
