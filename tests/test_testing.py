"""Tests of coopgame.testing: the strategies draw only admissible values, and the checkers find
planted errors every time and raise no false alarms."""

import random

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from coopgame import Game, Parameter
from coopgame.equilibria import pure_equilibria
from coopgame.parameters import Domain
from coopgame.testing import (
    check_condition,
    check_simulation,
    check_stability_table,
    games,
    parameter_values,
    true_condition,
)

# A two-population school-enterprise game of the kind the literature tabulates by hand.
# School: deep (D) / shallow (S); enterprise: participate (P) / nominal (N).
#   (D, P): school R_s - C_s,  enterprise R_e - C_e + g
#   (D, N): school -C_s,       enterprise a*R_e   (free-riding on the school's effort)
#   (S, P): school a*R_s,      enterprise -C_e + g
#   (S, N): 0, 0
# with g a government subsidy for participation and a in [0, 1] the spill-over share.
PARAMS = [
    Parameter("R_s", "school's gain from joint training", domain="positive"),
    Parameter("C_s", "school's cost of deep cooperation", domain="positive"),
    Parameter("R_e", "enterprise's gain from joint training", domain="positive"),
    Parameter("C_e", "enterprise's cost of participation", domain="positive"),
    Parameter("g", "subsidy for participation", domain="nonnegative"),
    Parameter("a", "spill-over share", domain="probability"),
]
SE = Game(
    ["school", "enterprise"],
    {"school": ["D", "S"], "enterprise": ["P", "N"]},
    {
        ("D", "P"): ["R_s - C_s", "R_e - C_e + g"],
        ("D", "N"): ["-C_s", "a*R_e"],
        ("S", "P"): ["a*R_s", "-C_e + g"],
        ("S", "N"): [0, 0],
    },
    PARAMS,
)

# The correct table, derived by hand from the payoffs: at a vertex the Jacobian eigenvalues are
# u_i(deviation) - u_i(vertex) (one per population), so
#   (D,P): school a*R_s - (R_s - C_s) = C_s - (1-a) R_s; enterprise a*R_e - (R_e - C_e + g)
#   (D,N): school a*R_s... no: school deviates to S against N: 0 - (-C_s) = C_s;
#          enterprise deviates to P against D: R_e - C_e + g - a*R_e
#   (S,P): school deviates to D against P: R_s - C_s - a*R_s; enterprise: 0 - (g - C_e)
#   (S,N): school: -C_s - 0; enterprise: g - C_e
CORRECT = {
    ("D", "P"): {"eigenvalues": ["a*R_s - R_s + C_s", "a*R_e - R_e + C_e - g"],
                 "condition": "(1 - a)*R_s > C_s and (1 - a)*R_e + g > C_e"},
    ("D", "N"): {"eigenvalues": ["C_s", "R_e - C_e + g - a*R_e"], "verdict": "unstable"},
    ("S", "P"): {"eigenvalues": ["R_s - C_s - a*R_s", "C_e - g"],
                 "condition": "(1 - a)*R_s < C_s and g > C_e"},
    ("S", "N"): {"eigenvalues": ["-C_s", "g - C_e"], "condition": "g < C_e"},
}


def test_correct_table_has_no_false_alarm():
    result = check_stability_table(SE, CORRECT, seed=1)
    assert result.ok, result.to_markdown()


@pytest.mark.slow  # a long property test / end-to-end run: `pytest -m slow`, CI
@pytest.mark.parametrize("seed", range(3))
def test_planted_errors_are_found_every_time(seed):
    wrong = dict(CORRECT)
    # 1. a flipped inequality
    wrong[("S", "N")] = {"condition": "g > C_e"}
    # 2. a sign error in one eigenvalue
    wrong[("S", "P")] = {"eigenvalues": ["R_s - C_s - a*R_s", "g - C_e"]}
    # 3. a missing condition (the school's half is dropped)
    wrong[("D", "P")] = {"condition": "(1 - a)*R_e + g > C_e"}
    result = check_stability_table(SE, wrong, seed=seed)
    bad = {r.point for r in result.wrong}
    assert bad == {("S", "N"), ("S", "P"), ("D", "P")}
    for r in result.wrong:
        assert r.counterexample, r.message


@pytest.mark.slow  # a long property test / end-to-end run: `pytest -m slow`, CI
def test_counterexample_really_refutes_the_claim():
    res = check_condition(SE, ("D", "P"), "R_e + g > C_e", kind="ess", seed=3)
    assert not res.ok
    vals = {SE.symbol(k): v for k, v in res.counterexample.items()}
    truth = true_condition(SE, ("D", "P"))
    assert bool(truth.xreplace(vals)) == res.true_value
    assert res.claimed_value != res.true_value
    with pytest.raises(AssertionError, match="is wrong"):
        res.assert_ok()


def test_interior_point_called_ess_is_refuted():
    # Matching-pennies-like school-enterprise game: the interior rest point of a 2x2
    # two-population game has trace zero (Hofbauer & Sigmund 1998), so it is never
    # asymptotically stable; a table calling it an ESS is wrong.
    mp = Game.from_arrays([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], players=["school", "enterprise"])
    x, y = (s.name for s in mp.replicator().state)
    res = check_stability_table(mp, {((x, "1/2"), (y, "1/2")): {"verdict": "ESS"}})
    assert not res.ok
    assert res.wrong[0].counterexample is not None


@settings(max_examples=30, deadline=None)
@given(parameter_values(SE, keys="name"))
def test_parameter_values_stay_in_domains(values):
    for p in SE.parameters:
        assert p.domain.contains(values[p.name]) is True
        assert isinstance(values[p.name], sympy.Rational)


@settings(max_examples=30, deadline=None)
@given(parameter_values(SE, assumptions=["R_e > C_e", "a < 1/2"], keys="name"))
def test_parameter_values_respect_assumptions(values):
    assert values["R_e"] > values["C_e"]
    assert values["a"] < sympy.Rational(1, 2)


def test_parameter_values_floats_and_open_intervals():
    p = Parameter("d", "discount factor", domain="open unit interval")
    q = Parameter("b", domain=Domain.between(-2, 3, right_open=True))
    g = Game(["x"], [["u", "v"]], {("u",): ["d*b"], ("v",): [0]}, [p, q])

    @settings(max_examples=60)
    @given(parameter_values(g, exact=False, keys="name"))
    def inner(values):
        assert 0 < values["d"] < 1
        assert -2 <= values["b"] < 3
        assert isinstance(values["d"], float)

    inner()


@pytest.mark.slow  # a long property test / end-to-end run: `pytest -m slow`, CI
def test_search_is_reproducible_from_a_seed():
    a = check_condition(SE, ("S", "N"), "g > C_e", seed=7)
    b = check_condition(SE, ("S", "N"), "g > C_e", seed=7)
    assert a.counterexample == b.counterexample


@settings(max_examples=30, deadline=None)
@given(games(players=3, strategies=2, generic=True))
def test_generic_games_have_no_ties(g):
    arrays = g.payoff_arrays()
    for i, arr in enumerate(arrays):
        moved = arr.swapaxes(0, i).reshape(arr.shape[i], -1)
        for col in moved.T:
            assert len(set(col.tolist())) == len(col)


@settings(max_examples=30, deadline=None)
@given(games(structure="prisoners_dilemma"))
def test_prisoners_dilemma_ordering(g):
    (R, S), (T, P) = g.payoff_arrays()[0].tolist()
    assert T > R > P > S and 2 * R > T + S
    assert [e.profile for e in pure_equilibria(g, strict=True)] == [("D", "D")]


@settings(max_examples=30, deadline=None)
@given(games(structure="coordination"))
def test_coordination_games_have_two_strict_equilibria(g):
    assert {e.profile for e in pure_equilibria(g, strict=True)} == {("A", "A"), ("B", "B")}


@settings(max_examples=30, deadline=None)
@given(games(players=2, strategies=[3, 2], payoffs="rationals"), st.integers(0, 2**16))
def test_nash_claims_are_checked_exactly(g, seed):
    # In a numeric game the true condition is a constant; claiming its negation is refuted at once.
    profile = g.profiles()[random.Random(seed).randrange(len(g.profiles()))]
    truth = true_condition(g, profile, "nash")
    assert check_condition(g, profile, bool(truth), kind="nash").ok
    assert not check_condition(g, profile, not bool(truth), kind="nash").ok


def test_bad_input():
    from coopgame.errors import ParameterError, UnknownNameError

    with pytest.raises(ParameterError, match="kind"):
        check_condition(SE, ("D", "P"), "g > 0", kind="stable-ish")
    with pytest.raises(UnknownNameError, match="'X'"):
        check_condition(SE, ("X", "P"), "g > 0")
    with pytest.raises(ParameterError, match="unknown verdict"):
        check_stability_table(SE, {("D", "P"): {"verdict": "maybe"}})
    with pytest.raises(UnknownNameError, match="'zz'"):
        parameter_values(SE, fixed={"zz": 1})


def test_check_simulation_agrees_with_the_stability_table():
    # At g > C_e and (1 - a) R_s < C_s the only stable vertex is (S, P) (table above);
    # R_s=1, C_s=2, R_e=1, C_e=1, g=2, a=1/2: every start ends there.
    values = {"R_s": 1, "C_s": 2, "R_e": 1, "C_e": 1, "g": 2, "a": "1/2"}
    ok = check_simulation(SE, values, ("S", "P"), starts=40, rng=1)
    assert ok.ok and ok.share == 1.0
    wrong = check_simulation(SE, values, ("D", "P"), starts=40, rng=1)
    assert not wrong.ok and wrong.share == 0.0
    with pytest.raises(AssertionError, match=r"0.0% of 40 starts"):
        wrong.assert_ok()


def test_pytest_fixture_three_line_test(coopgame_verify):
    coopgame_verify.condition(SE, ("S", "N"), "g < C_e", max_examples=60)
    with pytest.raises(AssertionError, match="is wrong"):
        coopgame_verify.condition(SE, ("S", "N"), "g > C_e", max_examples=60)


def test_a_claimed_condition_of_another_type_is_refused_by_name():
    from coopgame.errors import ExpressionError
    from coopgame.testing import check_condition

    g = Game.bimatrix([["a", 0], [0, 1]], [[1, 0], [0, 1]])
    with pytest.raises(ExpressionError, match="the claimed condition: expected a condition"):
        check_condition(g, ("s1", "s1"), sympy.Symbol("a") - 1, max_examples=5)
