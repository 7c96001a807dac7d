"""Tests of :class:`coopgame.Game`: construction, bad input, identity, substitution, numeric forms.

Fixtures are written out by hand so that every expected number can be read off the payoff table
in the test itself.
"""

import itertools
import math
import pickle
import re
from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from coopgame import Game, Parameter
from coopgame.errors import GameDefinitionError, ParameterError, UnknownNameError
from coopgame.parameters import NONNEGATIVE, POSITIVE, PROBABILITY, Domain

# The prisoner's dilemma with T=5, R=3, P=1, S=0 (the values of Axelrod's tournament).
PD_A = [[3, 0], [5, 1]]
PD_B = [[3, 5], [0, 1]]
PD_PAYOFFS = {("C", "C"): [3, 3], ("C", "D"): [0, 5], ("D", "C"): [5, 0], ("D", "D"): [1, 1]}


def pd(**kw):
    return Game(["row", "col"], {"row": ["C", "D"], "col": ["C", "D"]}, PD_PAYOFFS, **kw)


# A symbolic school-enterprise game: R gains, C costs, s a subsidy, p a detection probability.
PARAMS = (
    Parameter("C_e", meaning="enterprise training cost", domain=POSITIVE, default=2),
    Parameter("C_s", meaning="school organising cost", domain=POSITIVE, default=1),
    Parameter("R_e", meaning="enterprise gain", domain=NONNEGATIVE, default=3),
    Parameter("R_s", meaning="school gain", domain=NONNEGATIVE, default=2),
    Parameter("p", meaning="probability that free-riding is detected", domain=PROBABILITY, default="1/2"),
    Parameter("s", meaning="subsidy", domain=NONNEGATIVE, default=0),
)
SE_PAYOFFS = {
    ("deep", "participate"): ["R_s - C_s", "R_e - C_e + s"],
    ("deep", "nominal"): ["-C_s", "R_e/2 - p*R_e"],
    ("shallow", "participate"): ["R_s/2 - p*R_s", "-C_e + s"],
    ("shallow", "nominal"): [0, 0],
}


def school_enterprise():
    return Game(["school", "enterprise"], {"school": ["deep", "shallow"], "enterprise": ["participate", "nominal"]},
                SE_PAYOFFS, PARAMS, name="school-enterprise")


SE = school_enterprise()
SYM = {p.name: p.symbol for p in PARAMS}

THREE = Game(
    ["A", "B", "C"],
    {"A": ["a0", "a1"], "B": ["b0", "b1", "b2"], "C": ["c0", "c1"]},
    # u_i(j_A, j_B, j_C) = 1000 i + 100 j_A + 10 j_B + j_C: every entry tells where it sits
    {(f"a{a}", f"b{b}", f"c{c}"): [1000 * i + 100 * a + 10 * b + c for i in range(3)]
     for a in range(2) for b in range(3) for c in range(2)},
)


# ---------------------------------------------------------------------------- construction
def test_structure():
    g = pd()
    assert g.players == ("row", "col")
    assert g.strategies == {"row": ("C", "D"), "col": ("C", "D")}
    assert g.strategy_lists == (("C", "D"), ("C", "D"))
    assert g.shape == (2, 2)
    assert g.profiles() == [("C", "C"), ("C", "D"), ("D", "C"), ("D", "D")]
    assert g.is_numeric and g.parameters == () and g.free_symbols == frozenset()
    assert g.payoff("row", ("D", "C")) == 5
    assert g.payoff(1, ("D", "C")) == 0
    assert g.payoffs(("C", "D")) == (0, 5)
    assert g.payoff("col", {"row": "C", "col": "D"}) == 5
    assert g.payoff("row", (1, 0)) == 5
    assert g.player_index("col") == 1
    assert g.strategy_index("col", "D") == 1
    assert g.profile_index(("D", "C")) == (1, 0)
    assert g.profile_names((1, 1)) == ("D", "D")
    assert g.payoff_table()[("D", "D")] == (1, 1)


def test_payoffs_are_exact():
    g = Game(["a", "b"], [["x"], ["y"]], {("x", "y"): [0.1, "0.2"]})
    assert g.payoffs(("x", "y")) == (sympy.Rational(1, 10), sympy.Rational(1, 5))
    # floats inside sympy expressions are read by their decimal text as well
    q = sympy.Symbol("q")
    g = Game(["a"], [["x"]], {("x",): [sympy.Float(0.1) * q]})
    assert g.payoff("a", ("x",)) == g.symbol("q") / 10


def test_construction_from_mappings_and_sequences_agree():
    by_mapping = pd()
    by_sequences = Game(("row", "col"), [("C", "D"), ("C", "D")],
                        {k: {"col": v[1], "row": v[0]} for k, v in PD_PAYOFFS.items()})
    by_sympy = Game(["row", "col"], [["C", "D"], ["C", "D"]],
                    {k: tuple(sympy.Integer(x) for x in v) for k, v in PD_PAYOFFS.items()})
    by_text = Game(["row", "col"], [["C", "D"], ["C", "D"]], {k: [str(x) for x in v] for k, v in PD_PAYOFFS.items()})
    by_arrays = Game.from_arrays([PD_A, PD_B], players=["row", "col"], strategies={"row": ["C", "D"], "col": ["C", "D"]})
    by_bimatrix = Game.bimatrix(np.array(PD_A), np.array(PD_B), players=("row", "col"),
                                strategies=[["C", "D"], ["C", "D"]])
    for other in (by_sequences, by_sympy, by_text, by_arrays, by_bimatrix):
        assert other == by_mapping
        assert hash(other) == hash(by_mapping)


def test_symbols_unified_by_name_with_declared_domains():
    # payoffs given as plain sympy symbols (no assumptions) and as text use the declared symbol
    p_plain = sympy.Symbol("p")
    g = Game(["a", "b"], [["x"], ["y"]], {("x", "y"): [p_plain * 2, "1 - p + w"]},
             [Parameter("p", domain=PROBABILITY)])
    assert [q.name for q in g.parameters] == ["p", "w"]
    p = g.symbol("p")
    assert p.is_nonnegative and p == Parameter("p", domain=PROBABILITY).symbol
    assert g.payoff("a", ("x", "y")).free_symbols == {p}
    assert g.payoff("b", ("x", "y")).free_symbols == {p, g.symbol("w")}
    assert g.symbol("w").is_real and g.parameter("w").domain.name == "real"
    assert g.free_symbols == {p, g.symbol("w")}


def test_parameters_sorted_by_name_and_declared_unused_kept():
    g = Game(["a"], [["x"]], {("x",): ["z + b + a_1"]}, [Parameter("k", domain=POSITIVE)])
    assert [p.name for p in g.parameters] == ["a_1", "b", "k", "z"]
    assert g.symbols == tuple(p.symbol for p in g.parameters)
    assert g.parameter("k").domain is POSITIVE
    with pytest.raises(UnknownNameError, match=r"unknown parameter 'q' \(known parameters: a_1, b, k, z\)"):
        g.parameter("q")


def test_single_parameter_accepted():
    g = Game(["a"], [["x"]], {"x": ["c"]}, Parameter("c", domain=POSITIVE))
    assert g.symbol("c").is_positive


def test_one_player_game():
    g = Game(["solo"], {"solo": ["x", "y"]}, {"x": 1, ("y",): [2]})
    assert g.shape == (2,)
    assert g.payoff("solo", "y") == 2
    assert [a.tolist() for a in g.payoff_arrays()] == [[1.0, 2.0]]


# ---------------------------------------------------------------------------- bad input
def _strats():
    return {"row": ["C", "D"], "col": ["C", "D"]}


BAD_GAMES = [
    # (players, strategies, payoffs, parameters, message)
    (["row", "col"], _strats(), {k: v for k, v in PD_PAYOFFS.items() if k != ("D", "D")}, (),
     r"missing payoffs for profile \('D', 'D'\)"),
    (["row", "col"], _strats(), {**PD_PAYOFFS, ("E", "C"): [0, 0]}, (),
     r"profile \('E', 'C'\): unknown strategy 'E' of player 'row' \(known: C, D\)"),
    (["row", "col"], _strats(), {**PD_PAYOFFS, ("C", "C", "C"): [0, 0]}, (),
     r"profile \('C', 'C', 'C'\) names 3 strategies; the game has 2 players"),
    (["row", "col"], _strats(), {**PD_PAYOFFS, "C": [0, 0]}, (),
     r"payoff key 'C' must be a tuple of strategy names"),
    (["row", "col"], _strats(), {**PD_PAYOFFS, ("C", "D"): [0, 5, 1]}, (),
     r"profile \('C', 'D'\): expected 2 payoffs \(one per player\), got 3"),
    (["row", "col"], _strats(), {**PD_PAYOFFS, ("C", "D"): [0]}, (),
     r"profile \('C', 'D'\): expected 2 payoffs \(one per player\), got 1"),
    (["row", "col"], _strats(), {**PD_PAYOFFS, ("C", "D"): 7}, (),
     r"profile \('C', 'D'\): expected 2 payoffs, got 7"),
    (["row", "col"], _strats(), {**PD_PAYOFFS, ("C", "D"): {"row": 0, "other": 5}}, (),
     r"profile \('C', 'D'\): payoff given for unknown player\(s\) \['other'\]"),
    (["row", "col"], _strats(), {**PD_PAYOFFS, ("C", "D"): {"row": 0}}, (),
     r"profile \('C', 'D'\): no payoff for player\(s\) \['col'\]"),
    (["row", "row"], [["C", "D"], ["C", "D"]], PD_PAYOFFS, (), r"duplicate player name 'row'"),
    (["row", "col"], {"row": ["C", "C"], "col": ["C", "D"]}, PD_PAYOFFS, (),
     r"duplicate strategy name 'C' of player 'row'"),
    (["row", "col"], {**_strats(), "z": ["C"]}, PD_PAYOFFS, (), r"strategies given for unknown player\(s\) 'z'"),
    (["row", "col"], {"row": ["C", "D"]}, PD_PAYOFFS, (), r"no strategies given for player\(s\) 'col'"),
    (["row", "col"], [["C", "D"]], PD_PAYOFFS, (), r"strategies given for 1 players, but the game has 2 players"),
    (["row", 3], [["C", "D"], ["C", "D"]], PD_PAYOFFS, (), r"a player name must be a non-empty string, got 3"),
    (["row", " "], [["C", "D"], ["C", "D"]], PD_PAYOFFS, (), r"a player name must be a non-empty string, got ' '"),
    ("rowcol", [["C", "D"], ["C", "D"]], PD_PAYOFFS, (), r"players must be a sequence of names, got 'rowcol'"),
    ([], [], {}, (), r"a game needs at least one player"),
    (["row", "col"], {"row": ["C", 1], "col": ["C", "D"]}, PD_PAYOFFS, (),
     r"a strategy name of player 'row' must be a non-empty string, got 1"),
    (["row", "col"], {"row": [], "col": ["C", "D"]}, PD_PAYOFFS, (), r"player 'row' has no strategies"),
    (["row", "col"], {"row": "CD", "col": ["C", "D"]}, PD_PAYOFFS, (),
     r"strategies of player 'row' must be a sequence of names"),
    (["row", "col"], _strats(), [1, 2], (), r"payoffs must be a mapping from profiles to payoffs"),
    (["row", "col"], _strats(), PD_PAYOFFS, ["p"], r"parameters must be Parameter objects, got 'p'"),
    (["row", "col"], _strats(), PD_PAYOFFS, "p", r"parameters must be a sequence of Parameter objects, got 'p'"),
    (["row", "col"], _strats(), PD_PAYOFFS, 3, r"parameters must be a sequence of Parameter objects, got 3"),
    (["row", "col"], _strats(), PD_PAYOFFS, [Parameter("p", domain="positive"), Parameter("p")],
     r"parameter 'p' is declared twice with different details"),
]


@pytest.mark.parametrize("players,strategies,payoffs,parameters,message", BAD_GAMES)
def test_bad_definitions_raise_with_message(players, strategies, payoffs, parameters, message):
    with pytest.raises(GameDefinitionError, match=message):
        Game(players, strategies, payoffs, parameters)


@pytest.mark.parametrize("value,message", [
    (math.nan, "nan is not a finite number"),
    (math.inf, "inf is not a finite number"),
    (-np.inf, "-inf is not a finite number"),
    (np.float64("nan"), "nan is not a finite number"),
    (1 + 2j, "expected a number, got complex"),
    (True, "expected a number, got the boolean True"),
    (None, "expected a number, got NoneType"),
    (sympy.nan, "nan is not a finite real payoff"),
    (sympy.zoo, "zoo is not a finite real payoff"),
    (sympy.I, "I is not a finite real payoff"),
    (sympy.Symbol("x") > 1, "expected an expression"),
    ("sqrt(-1)", "I is not a finite real payoff"),
    ("(-8)**(1/3)", r"2\*\(-1\)\*\*\(1/3\) is not a finite real payoff"),
    ("log(0)", "not finite"),
    ("1/0", "division by zero"),
    ("x > 1", "Compare is not allowed"),
    ("__import__('os').system('true')", "only calls of whitelisted functions"),
    ("x.__class__", "attribute access is not allowed"),
    ("eval('1')", "function 'eval' is not allowed"),
    ("9**9**9", "larger than 1000"),
])
def test_bad_payoff_values(value, message):
    payoffs = {**PD_PAYOFFS, ("D", "C"): [value, 0]}
    with pytest.raises(GameDefinitionError) as info:
        Game(["row", "col"], _strats(), payoffs)
    text = str(info.value)
    assert "payoff of player 'row' at ('D', 'C')" in text
    assert re.search(message, text), text


def test_malicious_payoff_text_runs_nothing(tmp_path):
    sentinel = tmp_path / "ran"
    attacks = [f"__import__('os').system('touch {sentinel}')",
               f"open('{sentinel}', 'w')",
               f"exec(\"open('{sentinel}', 'w')\")",
               f"[open('{sentinel}', 'w') for _ in (1,)]",
               f"(lambda: open('{sentinel}', 'w'))()"]
    for attack in attacks:
        with pytest.raises(GameDefinitionError):
            Game(["row", "col"], _strats(), {**PD_PAYOFFS, ("C", "C"): [attack, 0]})
        with pytest.raises(GameDefinitionError):
            SE.expected_payoff("school", [[attack, 0], [1, 0]])
    assert not sentinel.exists()


@pytest.mark.parametrize("name", ["lambda", "_x", "beta_{1}"])
def test_symbols_that_cannot_be_parameters(name):
    with pytest.raises(GameDefinitionError, match=f"the payoffs use the symbol '{re.escape(name)}', which cannot be a parameter"):
        Game(["a"], [["x"]], {"x": [sympy.Symbol(name)]})


def test_duplicate_profile_keys_in_one_player_game():
    with pytest.raises(GameDefinitionError, match=r"payoffs for profile \('x',\) are given twice"):
        Game(["solo"], [["x"]], {"x": 1, ("x",): 2})


def test_name_must_be_text():
    with pytest.raises(GameDefinitionError, match="a game's name must be a string, got 3"):
        pd(name=3)


# ---------------------------------------------------------------------------- identity
def test_immutable():
    g = pd()
    with pytest.raises(AttributeError, match="immutable"):
        g.players = ("a", "b")
    with pytest.raises(AttributeError, match="immutable"):
        g._payoffs = ()
    with pytest.raises(AttributeError):
        del g._players
    with pytest.raises(AttributeError):
        g.new_attribute = 1
    # the strategies mapping is a copy
    g.strategies["row"] = ("X",)
    assert g.strategies["row"] == ("C", "D")
    assert g == pd()


def test_structural_equality_and_hash():
    assert pd() == pd() and hash(pd()) == hash(pd())
    other = Game(["row", "col"], _strats(), {**PD_PAYOFFS, ("D", "D"): [1, 2]})
    assert other != pd()
    assert pd() != pd(name="dilemma")
    assert pd() != Game(["row", "column"], [["C", "D"], ["C", "D"]], PD_PAYOFFS)
    assert pd() != Game(["row", "col"], [["C", "D"], ["C", "Defect"]],
                        {(r, c.replace("D", "Defect")): v for (r, c), v in PD_PAYOFFS.items()})
    assert pd() != "pd" and pd() is not None
    # games are usable as dictionary keys and in sets
    assert len({pd(), pd(), other}) == 2
    # declared parameter information is part of the identity
    g1 = Game(["a"], [["x"]], {("x",): ["c"]}, [Parameter("c", domain=POSITIVE)])
    g2 = Game(["a"], [["x"]], {("x",): ["c"]}, [Parameter("c", domain=NONNEGATIVE)])
    assert g1 != g2


def test_symbolic_games_built_two_ways_are_equal():
    R_s, C_s = sympy.symbols("R_s C_s")  # plain symbols: unified with the declared ones by name
    payoffs = dict(SE_PAYOFFS)
    payoffs[("deep", "participate")] = [R_s - C_s, SYM["R_e"] - SYM["C_e"] + SYM["s"]]
    g = Game(["school", "enterprise"], [["deep", "shallow"], ["participate", "nominal"]], payoffs,
             list(reversed(PARAMS)), name="school-enterprise")
    assert g == SE
    assert hash(g) == hash(SE)


def test_pickle_round_trip():
    for g in (pd(), SE, SE.subs({"p": "1/3"}), THREE):
        back = pickle.loads(pickle.dumps(g))
        assert back == g and hash(back) == hash(g)
    assert pickle.loads(pickle.dumps(SE.subs({"p": "1/3"}))).symbol("s").is_nonnegative
    assert pickle.loads(pickle.dumps(SE)).parameter("C_e").meaning == "enterprise training cost"


def test_repr_and_notebook_forms():
    text = repr(SE)
    assert "'school-enterprise'" in text and "players=['school', 'enterprise']" in text
    assert "parameters: C_e, C_s, R_e, R_s, p, s" in text
    assert SE._repr_latex_().startswith("$$\\begin{array}")
    assert SE._repr_markdown_() == SE.to_markdown()


# ---------------------------------------------------------------------------- substitution
def test_subs_partial_by_name_symbol_and_parameter():
    g = SE.subs({"s": 1, SYM["p"]: 0.5, PARAMS[0]: "2"})
    assert [p.name for p in g.parameters] == ["C_s", "R_e", "R_s"]
    assert g.payoff("enterprise", ("deep", "participate")) == SYM["R_e"] - 1
    # p = 1/2: R_e/2 - R_e/2 = 0, exactly
    assert g.payoff("enterprise", ("deep", "nominal")) == 0
    # declared information of the remaining parameters is kept
    assert g.parameter("R_e").meaning == "enterprise gain"
    assert g.name == "school-enterprise"
    # the game substituted with a plain sympy Symbol key is the same game
    assert SE.subs({sympy.Symbol("s"): 1, "p": sympy.Rational(1, 2), "C_e": 2}) == g


def test_subs_full_gives_numeric_game():
    values = {"C_e": 2, "C_s": 1, "R_e": 3, "R_s": 2, "p": "1/4", "s": 0}
    g = SE.subs(values)
    assert g.is_numeric and g.parameters == ()
    # (deep, nominal) for the enterprise: R_e/2 - p R_e = 3/2 - 3/4 = 3/4
    assert g.payoff("enterprise", ("deep", "nominal")) == sympy.Rational(3, 4)
    assert g.subs({}) is g


def test_subs_with_expression_values():
    k = sympy.Symbol("k", positive=True)
    g = SE.subs({"s": k / 2})
    assert g.payoff("enterprise", ("shallow", "participate")) == -SYM["C_e"] + g.symbol("k") / 2
    assert "k" in [p.name for p in g.parameters]


@pytest.mark.parametrize("values,error,message", [
    ({"p": 2}, ParameterError, r"parameter 'p' = 2 is outside its domain probability \[0, 1\]"),
    ({"C_e": 0}, ParameterError, r"parameter 'C_e' = 0 is outside its domain positive \(0, ∞\)"),
    ({"s": -1}, ParameterError, r"parameter 's' = -1 is outside its domain nonnegative \[0, ∞\)"),
    ({"s": math.nan}, ParameterError, r"parameter 's': nan is not a finite number \(domain: nonnegative"),
    ({"s": math.inf}, ParameterError, r"parameter 's': inf is not a finite number"),
    ({"s": True}, ParameterError, r"parameter 's': expected a number, got the boolean True"),
    ({"s": "lots"}, ParameterError, r"parameter 's': expected a number, got 'lots'"),
    ({"p": -sympy.Symbol("k", positive=True)}, ParameterError, r"parameter 'p' = -k is provably outside"),
    ({"q": 1}, UnknownNameError, r"unknown parameter 'q' \(known parameters: C_e, C_s, R_e, R_s, p, s\)"),
])
def test_subs_rejects_bad_values(values, error, message):
    with pytest.raises(error, match=message):
        SE.subs(values)


def test_check_values_and_defaults():
    assert SE.defaults() == {SYM["C_e"]: 2, SYM["C_s"]: 1, SYM["R_e"]: 3, SYM["R_s"]: 2,
                             SYM["p"]: sympy.Rational(1, 2), SYM["s"]: 0}
    with pytest.raises(ParameterError, match=r"missing value for parameter\(s\) 'C_s', 'R_e', 'R_s', 'p', 's'"):
        SE.check_values({"C_e": 1})
    assert SE.check_values({}, defaults=True) == SE.defaults()


def test_with_parameters_and_with_name():
    g = SE.with_parameters(Parameter("s", meaning="subsidy per intern", domain=POSITIVE))
    assert g.symbol("s").is_positive
    assert g.payoff("enterprise", ("shallow", "participate")).free_symbols == {SYM["C_e"], g.symbol("s")}
    assert g != SE
    assert SE.with_name("other").name == "other"
    assert SE.with_name("other") != SE
    assert SE.with_name("other").with_name("school-enterprise") == SE


# ---------------------------------------------------------------------------- numeric forms
def test_payoff_arrays_two_players():
    A, B = pd().payoff_arrays()
    assert A.dtype == float and A.shape == (2, 2)
    np.testing.assert_array_equal(A, PD_A)
    np.testing.assert_array_equal(B, PD_B)


def test_payoff_arrays_symbolic_values():
    values = {"C_e": 2, "C_s": 1, "R_e": 3, "R_s": 2, "p": 0.25, "s": 1}
    A, B = SE.payoff_arrays(values)
    # by hand from SE_PAYOFFS: school R_s - C_s = 1, -C_s = -1, R_s/2 - p R_s = 1/2, 0;
    # enterprise R_e - C_e + s = 2, R_e/2 - p R_e = 3/4, -C_e + s = -1, 0
    np.testing.assert_allclose(A, [[1, -1], [0.5, 0]], rtol=0, atol=1e-15)
    np.testing.assert_allclose(B, [[2, 0.75], [-1, 0]], rtol=0, atol=1e-15)
    exact_A, exact_B = SE.payoff_arrays(values, exact=True)
    assert exact_A.dtype == object
    assert exact_A[1, 0] == sympy.Rational(1, 2) and exact_B[0, 1] == sympy.Rational(3, 4)
    assert all(isinstance(v, sympy.Rational) for v in exact_B.flat)
    # defaults fill the rest: C_e = 2, R_e = 3, s = 0 gives R_e - C_e + s = 1
    _, B_def = SE.payoff_arrays({"s": 0}, defaults=True)
    assert B_def[0, 0] == 1


def test_payoff_arrays_missing_values():
    with pytest.raises(ParameterError, match=r"the game has parameters; give values for 'C_e', 'C_s', 'R_e', 'R_s', 'p', 's'"):
        SE.payoff_arrays()
    with pytest.raises(ParameterError, match=r"missing value for parameter\(s\) 'C_s', 'R_s'"):
        SE.payoff_arrays({"C_e": 2, "R_e": 3, "p": 0, "s": 0})
    with pytest.raises(ParameterError, match=r"parameter 'p' = 3 is outside its domain"):
        SE.payoff_arrays({"C_e": 2, "C_s": 1, "R_e": 3, "R_s": 2, "p": 3, "s": 0})


def test_payoff_arrays_too_large_for_floats():
    g = Game(["a"], [["x", "y"]], {"x": ["c**100"], "y": [0]})
    with pytest.raises(ParameterError, match=r"the payoff of player 'a' at \('x',\) is 1000.*0, too large for a float; use exact=True"):
        g.payoff_arrays({"c": 10**5})
    assert g.payoff_arrays({"c": 10**5}, exact=True)[0][0] == 10**500


def test_payoff_arrays_non_finite_values_named():
    g = Game(["a"], [["x", "y"]], {"x": ["1/c"], "y": ["sqrt(c)"]})
    with pytest.raises(ParameterError, match=r"the payoff 1/c of player 'a' at \('x',\) is zoo, not a finite real number, at c = 0"):
        g.payoff_arrays({"c": 0})
    with pytest.raises(ParameterError, match=r"the payoff sqrt\(c\) of player 'a' at \('y',\) is I"):
        g.payoff_arrays({"c": -1})


def test_payoff_arrays_three_players_index_convention():
    arrays = THREE.payoff_arrays()
    assert len(arrays) == 3
    for i, arr in enumerate(arrays):
        assert arr.shape == (2, 3, 2)
        for a, b, c in itertools.product(range(2), range(3), range(2)):
            assert arr[a, b, c] == 1000 * i + 100 * a + 10 * b + c
    assert THREE.payoff("C", ("a1", "b2", "c0")) == 2120
    # profiles() runs in the order of the flattened arrays
    assert [float(THREE.payoff("A", s)) for s in THREE.profiles()] == list(arrays[0].ravel())


def test_to_nashpy():
    game = pd().to_nashpy()
    A, B = game.payoff_matrices
    np.testing.assert_array_equal(A, PD_A)
    np.testing.assert_array_equal(B, PD_B)
    # the prisoner's dilemma has the single equilibrium (D, D)
    eqs = list(game.support_enumeration())
    assert len(eqs) == 1
    np.testing.assert_allclose(eqs[0][0], [0, 1])
    np.testing.assert_allclose(eqs[0][1], [0, 1])
    values = {"C_e": 2, "C_s": 1, "R_e": 3, "R_s": 2, "p": 0.25, "s": 1}
    np.testing.assert_allclose(SE.to_nashpy(values).payoff_matrices[1], SE.payoff_arrays(values)[1])
    with pytest.raises(GameDefinitionError, match="nashpy handles two-player games; this game has 3 players"):
        THREE.to_nashpy()


# ---------------------------------------------------------------------------- lambdify
SE_F, SE_SYMS = SE.lambdify()


def _inside(domain, u):
    """A float inside a domain from u in [0, 1]."""
    if domain is PROBABILITY:
        return u
    if domain is POSITIVE:
        return 0.01 + 10 * u
    return 10 * u


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=6, max_size=6))
def test_lambdify_equals_payoff_arrays(us):
    assert SE_SYMS == SE.symbols
    values = {p.name: _inside(p.domain, u) for p, u in zip(PARAMS, us)}
    out = SE_F(*[values[s.name] for s in SE_SYMS])
    assert out.shape == (2, 2, 2)
    for i, arr in enumerate(SE.payoff_arrays(values)):
        np.testing.assert_allclose(out[i], arr, rtol=1e-12, atol=1e-12)


def test_lambdify_broadcasts_over_grids():
    rng = np.random.default_rng(20260425)
    C_e = rng.uniform(0.1, 5, size=(4, 1))
    R_e = rng.uniform(0, 5, size=(1, 3))
    fixed = {"C_s": 1.0, "R_s": 2.0, "p": 0.3, "s": 0.5}
    args = [C_e if s.name == "C_e" else R_e if s.name == "R_e" else fixed[s.name] for s in SE_SYMS]
    out = SE_F(*args)
    assert out.shape == (2, 2, 2, 4, 3)
    for r, c in itertools.product(range(4), range(3)):
        values = {**fixed, "C_e": C_e[r, 0], "R_e": R_e[0, c]}
        for i, arr in enumerate(SE.payoff_arrays(values)):
            np.testing.assert_allclose(out[i, ..., r, c], arr, rtol=1e-12, atol=1e-12)
    # constant payoffs (shallow, nominal) broadcast to the grid too
    np.testing.assert_array_equal(out[:, 1, 1], np.zeros((2, 4, 3)))


def test_lambdify_argument_order_and_names():
    f, syms = SE.lambdify(["s", SYM["p"], PARAMS[0], "C_s", "R_e", "R_s"])
    assert [s.name for s in syms] == ["s", "p", "C_e", "C_s", "R_e", "R_s"]
    out = f(1.0, 0.25, 2.0, 1.0, 3.0, 2.0)
    assert out[1, 0, 0] == pytest.approx(2.0)  # R_e - C_e + s = 3 - 2 + 1
    with pytest.raises(ParameterError, match=r"missing 'R_e', 'R_s'"):
        SE.lambdify(["s", "p", "C_e", "C_s"])
    with pytest.raises(UnknownNameError, match=r"unknown parameter 'zz'"):
        SE.lambdify(["zz"])
    with pytest.raises(ParameterError, match="twice"):
        SE.lambdify(["s", "s", "p", "C_e", "C_s", "R_e", "R_s"])


def test_lambdify_parameters_named_like_numpy_functions_and_constants():
    # regression: a parameter named pi shadowed the constant pi in the generated code, and one
    # named exp or sqrt made the call fail
    names = ["exp", "sqrt", "pi", "E", "I", "numpy", "Min", "log", "nan", "inf"]
    syms = [sympy.Symbol(n, real=True) for n in names]
    expr = (sum(syms) + sympy.exp(syms[0]) * sympy.sqrt(sympy.Abs(syms[1])) + sympy.Min(syms[2], syms[6])
            + sympy.log(1 + syms[3] ** 2) + sympy.pi)
    g = Game(["a"], [["x"]], {"x": [expr]})
    f, order = g.lambdify()
    values = {n: (i + 1) / 10 for i, n in enumerate(names)}
    got = f(*[values[s.name] for s in order])[0, 0]
    assert got == pytest.approx(float(g.payoff_arrays(values)[0][0]), rel=1e-13)


def test_lambdify_numeric_game():
    f, syms = pd().lambdify()
    assert syms == ()
    np.testing.assert_array_equal(f(), np.stack(pd().payoff_arrays()))


# ---------------------------------------------------------------------------- mixed strategies
def test_expected_payoff_against_hand_derivation():
    p, q = sympy.symbols("p q", real=True)
    g = Game.bimatrix(PD_A, PD_B)
    # U_row = 3pq + 0 p(1-q) + 5(1-p)q + 1(1-p)(1-q) = 1 - p + 4q - pq
    assert g.expected_payoff("row", [[p, 1 - p], [q, 1 - q]]) == sympy.expand(1 - p + 4 * q - p * q)
    # U_col = 3pq + 5p(1-q) + 0 + 1(1-p)(1-q) = 1 + 4p - q - pq
    assert g.expected_payoff(1, [[p, 1 - p], [q, 1 - q]]) == sympy.expand(1 + 4 * p - q - p * q)
    # numbers and text: p = 1/2, q = 1/4 gives 1 - 1/2 + 1 - 1/8 = 11/8
    assert g.expected_payoff("row", [[0.5, "1/2"], ["1/4", sympy.Rational(3, 4)]]) == sympy.Rational(11, 8)
    # pure profiles give the payoff table
    assert g.expected_payoff("row", [[0, 1], [1, 0]]) == 5


def test_expected_payoff_text_uses_game_symbols():
    u = SE.expected_payoff("school", [["p", "1 - p"], [1, 0]])
    assert u.free_symbols <= set(SE.symbols)
    # p (R_s - C_s) + (1 - p)(R_s/2 - p R_s)
    R_s, C_s, p = SYM["R_s"], SYM["C_s"], SYM["p"]
    assert sympy.expand(u - (p * (R_s - C_s) + (1 - p) * (R_s / 2 - p * R_s))) == 0


@settings(max_examples=50, deadline=None)
@given(st.lists(st.fractions(0, 1), min_size=3, max_size=3))
def test_expected_payoff_three_players_is_multilinear_average(ws):
    mixed = [[w, 1 - w] for w in ws[:1]] + [[ws[1], (1 - ws[1]) / 2, (1 - ws[1]) / 2]] + [[ws[2], 1 - ws[2]]]
    arrays = THREE.payoff_arrays(exact=True)
    for i in range(3):
        expected = sum(
            sympy.Rational(mixed[0][a]) * sympy.Rational(mixed[1][b]) * sympy.Rational(mixed[2][c]) * arrays[i][a, b, c]
            for a, b, c in itertools.product(range(2), range(3), range(2))
        )
        assert THREE.expected_payoff(i, mixed) == expected


@pytest.mark.parametrize("mixed,message", [
    ([[1, 0]], "mixed gives 1 probability vectors; the game has 2 players"),
    ([[1, 0], [1]], r"the mixed strategy of player 'col' must give 2 probabilities, got \[1\]"),
    ([[1, 0], 1], "the mixed strategy of player 'col' must give 2 probabilities, got 1"),
    ("ab", "mixed must give one probability vector per player"),
    ([[math.nan, 0], [1, 0]], r"probability of 'C' of player 'row': nan is not a finite number"),
    ([[None, 0], [1, 0]], r"probability of 'C' of player 'row': expected a number"),
    ([[1, 0], [sympy.Symbol("x") > 0, 0]], r"probability of 'C' of player 'col': expected a number or an expression"),
])
def test_expected_payoff_bad_input(mixed, message):
    with pytest.raises(GameDefinitionError, match=message):
        pd().expected_payoff("row", mixed)


# ---------------------------------------------------------------------------- tables and from_arrays
def test_tables_contain_every_payoff():
    for g in (SE, pd(), THREE):
        md, tex = g.to_markdown(), g.to_latex()
        for values in g.payoff_table().values():
            for v in values:
                assert str(v) in md
                assert sympy.latex(v) in tex
        for names in g.strategy_lists:
            for s in names:
                assert s in md
    assert SE.to_markdown().startswith("**school-enterprise**")
    # values substitute before rendering
    assert "(3, 3)" in pd().to_markdown()
    assert "C_e" not in SE.to_markdown({"C_e": 1}) and "R_e + s - 1" in SE.to_markdown({"C_e": 1})


def test_from_arrays_defaults_and_errors():
    g = Game.from_arrays([PD_A, PD_B])
    assert g.players == ("player_1", "player_2")
    assert g.strategy_lists == (("s1", "s2"), ("s1", "s2"))
    assert g.payoff("player_2", ("s1", "s2")) == 5
    g = Game.bimatrix([[0.1, "a"]], [[0, 1]])
    assert g.shape == (1, 2) and g.payoff("row", ("s1", "s1")) == sympy.Rational(1, 10)
    assert g.players == ("row", "column")
    with pytest.raises(GameDefinitionError, match="needs one payoff array per player"):
        Game.from_arrays([])
    with pytest.raises(GameDefinitionError, match=r"2 payoff arrays need 2 dimensions each; got shape \(2,\)"):
        Game.from_arrays([[1, 2], [3, 4]])
    with pytest.raises(GameDefinitionError, match=r"payoff array 1 has shape \(2, 3\), expected \(2, 2\)"):
        Game.bimatrix(PD_A, [[1, 2, 3], [4, 5, 6]])
    with pytest.raises(GameDefinitionError, match="3 player names given for 2 payoff arrays"):
        Game.from_arrays([PD_A, PD_B], players=["a", "b", "c"])
    with pytest.raises(GameDefinitionError, match="player 'row' has 3 strategy names but 2 rows of payoffs"):
        Game.bimatrix(PD_A, PD_B, strategies=[["x", "y", "z"], ["x", "y"]])
    with pytest.raises(GameDefinitionError, match="nan is not a finite number"):
        Game.bimatrix([[math.nan, 0], [0, 0]], PD_B)


def test_domain_with_infinite_bound_in_a_game():
    g = Game(["a"], [["x"]], {"x": ["w - 1"]}, [Parameter("w", domain=Domain.between(1, sympy.oo))])
    assert g.symbol("w").is_positive
    with pytest.raises(ParameterError, match=r"parameter 'w' = 1/2 is outside its domain \[1, ∞\)"):
        g.subs({"w": 0.5})


# ---------------------------------------------------------------------------- properties of random games
@st.composite
def numeric_games(draw):
    """Random numeric games with 1 to 3 players, 1 to 3 strategies each, rational payoffs."""
    shape = tuple(draw(st.lists(st.integers(1, 3), min_size=1, max_size=3)))
    n = len(shape)
    size = math.prod(shape)
    values = st.builds(Fraction, st.integers(-240, 240), st.sampled_from([1, 2, 3, 4, 6, 12]))
    arrays = [np.array(draw(st.lists(values, min_size=size, max_size=size)), dtype=object).reshape(shape)
              for _ in range(n)]
    return arrays


@settings(max_examples=50, deadline=None)
@given(numeric_games())
def test_random_games_round_trip_through_arrays(arrays):
    g = Game.from_arrays(arrays)
    exact = g.payoff_arrays(exact=True)
    for given_arr, got in zip(arrays, exact):
        assert got.shape == given_arr.shape
        assert all(sympy.Rational(a.numerator, a.denominator) == b for a, b in zip(given_arr.flat, got.flat))
    assert Game.from_arrays(exact) == g
    assert hash(Game.from_arrays(exact)) == hash(g)
    back = pickle.loads(pickle.dumps(g))
    assert back == g
    floats = g.payoff_arrays()
    for f_arr, e_arr in zip(floats, exact):
        np.testing.assert_allclose(f_arr, np.array(e_arr, dtype=float), rtol=1e-15, atol=0)


@settings(max_examples=50, deadline=None)
@given(numeric_games(), st.data())
def test_expected_payoff_of_pure_profiles_is_the_payoff(arrays, data):
    g = Game.from_arrays(arrays)
    idx = tuple(data.draw(st.integers(0, k - 1)) for k in g.shape)
    mixed = [[1 if j == i else 0 for j in range(k)] for i, k in zip(idx, g.shape)]
    for player in g.players:
        assert g.expected_payoff(player, mixed) == g.payoff(player, idx)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(0, 100), min_size=6, max_size=6), st.lists(st.booleans(), min_size=6, max_size=6))
def test_partial_then_full_substitution_equals_full(ks, first):
    # substituting some parameters and then the rest gives the same numbers as all at once;
    # values k/100 lie in [0, 1] (probability) and k/10 + 1 is positive
    values = {p.name: sympy.Rational(k, 100) if p.domain is PROBABILITY else sympy.Rational(k, 10) + 1
              for p, k in zip(PARAMS, ks)}
    part = {k: v for (k, v), f in zip(values.items(), first) if f}
    rest = {k: v for (k, v), f in zip(values.items(), first) if not f}
    stepwise = SE.subs(part).payoff_arrays(rest, exact=True)
    at_once = SE.payoff_arrays(values, exact=True)
    for a, b in zip(stepwise, at_once):
        assert (a == b).all()
    assert SE.subs(part).subs(rest) == SE.subs(values)
