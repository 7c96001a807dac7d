"""Tests of coopgame.equilibria: the best-response certificate, all Nash equilibria, 2x2 closed form.

Every expected number names its source or is derived in a comment.
"""

from __future__ import annotations

import itertools
import math
import warnings
from fractions import Fraction

import nashpy
import numpy as np
import pytest
import sympy
from fixtures_equilibria import (
    SUPPORT_ENUMERATION_MISSES,
    THIRD_GAME_EQUILIBRIUM,
    bimatrix,
    degenerate_bimatrix,
    generic_bimatrix,
    rationals,
    three_player_binary,
)
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from coopgame import Game, Parameter
from coopgame.equilibria import (
    is_nash,
    mixed_equilibrium_2x2,
    nash_equilibria,
    pure_equilibria,
    regret,
)
from coopgame.errors import (
    DegenerateGameWarning,
    GameDefinitionError,
    IncompleteSearchWarning,
    ParameterError,
    ResourceLimitError,
    UnknownNameError,
)
from coopgame.parameters import NONNEGATIVE, POSITIVE, PROBABILITY

R = sympy.Rational


def independent_check(game, profile) -> bool:
    """Nash check through Game.expected_payoff (sympy), a code path separate from is_nash."""
    for i, player in enumerate(game.players):
        here = game.expected_payoff(player, profile)
        for j in range(game.shape[i]):
            pure = [1 if k == j else 0 for k in range(game.shape[i])]
            dev = list(profile)
            dev[i] = pure
            if sympy.simplify(game.expected_payoff(player, dev) - here) > 0:
                return False
    return True


def nashpy_vertex_set(g, A, B):
    """nashpy's vertex enumeration, without its duplicates and the rare profiles that fail the
    best-response check (with wide payoff ranges it can return points near, not at, a vertex)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        raw = list(nashpy.Game(np.array(A, dtype=float), np.array(B, dtype=float)).vertex_enumeration())
    out = []
    for x, y in raw:
        x, y = np.clip(x, 0, None), np.clip(y, 0, None)
        x, y = x / x.sum(), y / y.sum()
        if is_nash(g, [x.tolist(), y.tolist()], tol=1e-6) and not any(
                np.allclose(x, u, atol=1e-6) and np.allclose(y, v, atol=1e-6) for u, v in out):
            out.append((x, y))
    return out


def quiet_equilibria(game, **kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        eqs = nash_equilibria(game, **kwargs)
    return eqs, [w.category for w in caught]


def close(e_profile, x, y, tol=1e-6):
    return np.allclose([float(p) for p in e_profile[0]], x, atol=tol) and np.allclose(
        [float(p) for p in e_profile[1]], y, atol=tol)


# ---------------------------------------------------------------------- textbook games
def test_matching_pennies_unique_half_half():
    # Osborne and Rubinstein, A Course in Game Theory, Example 32.2: the unique equilibrium is
    # (1/2, 1/2) for both players, payoff 0.
    g = Game.bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    eqs = nash_equilibria(g)
    assert [e.profile for e in eqs] == [((R(1, 2), R(1, 2)), (R(1, 2), R(1, 2)))]
    assert eqs[0].payoffs == (0, 0)
    assert eqs[0].condition is sympy.true and eqs[0].kind == "mixed" and not eqs[0].is_pure


def test_battle_of_the_sexes_three_equilibria():
    # Row payoffs A = [[2, 0], [0, 1]], column payoffs B = [[1, 0], [0, 2]].
    # Mixed equilibrium: the column player's q on B makes the row player indifferent,
    # 2q = 1 - q, so q = 1/3; the row player's p on B makes the column player indifferent,
    # p = 2(1 - p), so p = 2/3. Each player's payoff is 2q = 2/3 and p = 2/3 respectively.
    g = Game.bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    eqs = nash_equilibria(g)
    profiles = {e.profile: e.payoffs for e in eqs}
    assert profiles == {
        ((1, 0), (1, 0)): (2, 1),
        ((0, 1), (0, 1)): (1, 2),
        ((R(2, 3), R(1, 3)), (R(1, 3), R(2, 3))): (R(2, 3), R(2, 3)),
    }
    assert sum(e.is_pure for e in eqs) == 2


def test_prisoners_dilemma_only_defection():
    # Defection strictly dominates cooperation, so (D, D) is the unique equilibrium.
    g = Game.bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]], strategies=[["C", "D"], ["C", "D"]])
    assert [e.profile for e in nash_equilibria(g)] == [((0, 1), (0, 1))]
    assert g.nash_equilibria() == nash_equilibria(g)


def test_issue_222_degenerate_game_both_extremes():
    # nashpy issue 222: A = [[-3, 3], [-3, 5]], B = [[2, 7], [4, 2]].
    # Against the first column the row player gets -3 from both rows, so any x = (p, 1 - p) is a
    # best response. The column player's payoffs against x are 2p + 4(1 - p) = 4 - 2p for
    # column 1 and 7p + 2(1 - p) = 2 + 5p for column 2, so column 1 is a best response iff
    # 4 - 2p >= 2 + 5p, i.e. p <= 2/7. If column 2 had positive weight, row 2 would be strictly
    # better (its payoff exceeds row 1's by 2 y_2 > 0), so p = 0 and column 1 is strictly better
    # (4 > 2): no other equilibria. The set is {((p, 1 - p), (1, 0)) : 0 <= p <= 2/7}, with
    # extreme points p = 0 and p = 2/7.
    g = Game.bimatrix([[-3, 3], [-3, 5]], [[2, 7], [4, 2]])
    with pytest.warns(DegenerateGameWarning, match="continuum"):
        eqs = nash_equilibria(g)
    assert {e.profile for e in eqs} == {((0, 1), (1, 0)), ((R(2, 7), R(5, 7)), (1, 0))}
    # an interior point of the segment is an equilibrium, a point beyond it is not
    assert is_nash(g, [[R(1, 7), R(6, 7)], [1, 0]])
    assert not is_nash(g, [[R(3, 7), R(4, 7)], [1, 0]])


def test_volunteers_dilemma_three_players_irrational_mixed_equilibrium():
    # Diekmann (1985), "Volunteer's dilemma": each of three players volunteers at cost c or
    # ignores; all get b if at least one volunteers. With b = 2, c = 1:
    # - pure equilibria: exactly one volunteer (3 of them);
    # - one player ignores, two mix: each mixer is indifferent when b - c = b(1 - q), q = c/b = 1/2
    #   the other mixer's probability of ignoring; the pure ignorer gets b(1 - q^2) = 3/2 > b - c = 1;
    # - all mix: b - c = b(1 - q^2), so q = sqrt(c/b) = sqrt(2)/2 (probability of ignoring).
    # Total 3 + 3 + 1 = 7 equilibria, an odd number as Wilson's theorem predicts.
    b, c = 2, 1
    names = ["V", "I"]
    payoffs = {}
    for s in [(x, y, z) for x in names for y in names for z in names]:
        anyone = "V" in s
        payoffs[s] = [(b if anyone else 0) - (c if si == "V" else 0) for si in s]
    g = Game(["p1", "p2", "p3"], [names] * 3, payoffs)
    eqs = nash_equilibria(g)
    assert len(eqs) == 7
    q = sympy.sqrt(2) / 2
    total = [e for e in eqs if all(0 < p < 1 for v in e.profile for p in v)]
    assert len(total) == 1
    for v in total[0].profile:
        assert sympy.simplify(v[1] - q) == 0 and sympy.simplify(v[0] - (1 - q)) == 0
    partial = [e for e in eqs if not e.is_pure and e not in total]
    assert len(partial) == 3
    for e in partial:
        assert sorted(v[1] for v in e.profile) == [R(1, 2), R(1, 2), 1]
    for e in eqs:
        assert is_nash(g, e.profile) and independent_check(g, e.profile)


def test_duplicate_rows_segment_extremes():
    # Rows 1 and 2 are identical; against them the column player plays matching pennies with row 3.
    # Column indifference needs x_1 + x_2 = x_3 = 1/2 (column 1 pays x_3, column 2 pays x_1 + x_2),
    # the row player is indifferent between all rows when y = (1/2, 1/2). The equilibria are the
    # segment x = (t, 1/2 - t, 1/2), 0 <= t <= 1/2, y = (1/2, 1/2): extremes t = 1/2 and t = 0.
    g = Game.bimatrix([[1, 0], [1, 0], [0, 1]], [[0, 1], [0, 1], [1, 0]])
    with pytest.warns(DegenerateGameWarning, match="'column'"):
        eqs = nash_equilibria(g)
    half = R(1, 2)
    assert {e.profile for e in eqs} == {((half, 0, half), (half, half)), ((0, half, half), (half, half))}


def test_null_game_returns_all_pure_profiles_as_extremes():
    # With all payoffs zero every profile is an equilibrium; the extreme points of the product of
    # simplices are the pure profiles.
    g = Game.bimatrix([[0, 0, 0], [0, 0, 0]], [[0, 0, 0], [0, 0, 0]])
    with pytest.warns(DegenerateGameWarning):
        eqs = nash_equilibria(g)
    assert len(eqs) == 6 and all(e.is_pure for e in eqs)


def test_wide_payoff_range_is_decided_exactly():
    # Column 2 strictly dominates column 1 (3 > -1 and 70709 > 4); against it row 1 is the best
    # response (2 > 1). The polytope systems here are badly conditioned (payoffs from -2 to 70709).
    g = Game.bimatrix([[-2, 2], [0, 1]], [[-1, 3], [4, 70709]])
    assert [e.profile for e in nash_equilibria(g)] == [((1, 0), (0, 1))]


def test_one_strategy_players_and_defaults():
    # A column player with one strategy: the row player simply maximises (2 > 1).
    assert [e.profile for e in nash_equilibria(Game.bimatrix([[1], [2]], [[3], [3]]))] == [((0, 1), (1,))]
    # Parameters' defaults are used on request (battle of the sexes with x = 2 as above).
    g = Game.bimatrix([["x", 0], [0, 1]], [[1, 0], [0, 2]], parameters=[Parameter("x", default=2)])
    assert len(nash_equilibria(g, defaults=True)) == 3
    with pytest.raises(ParameterError, match="'x'"):
        nash_equilibria(g)


def test_regret_with_algebraic_profile():
    # Battle of the sexes against y = (1/3, 2/3): both rows pay 2/3, so the row player's regret is 0
    # for any x; the column player's columns pay x_1 and 2 x_2, so with x_1 = sqrt(2)/2 her regret is
    # max(x_1, 2 - 2 x_1) - (x_1/3 + 2 (2 - 2 x_1)/3) = sqrt(2)/2 - (4 - 3 sqrt(2)/2)/3 = sqrt(2) - 4/3.
    g = Game.bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    x1 = sympy.sqrt(2) / 2
    r = regret(g, [[x1, 1 - x1], [R(1, 3), R(2, 3)]])
    assert r["row"] == 0 and sympy.simplify(r["column"] - (sympy.sqrt(2) - R(4, 3))) == 0
    assert not is_nash(g, [[x1, 1 - x1], [R(1, 3), R(2, 3)]])


# ---------------------------------------------------------------------- is_nash and regret
def test_regret_values_and_names():
    # Matching pennies at (s1, s1): the column player would gain 1 - (-1) = 2 by switching.
    g = Game.bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], strategies=[["H", "T"], ["H", "T"]])
    assert regret(g, ["H", "H"]) == {"row": 0, "column": 2}
    assert regret(g, {"row": {"H": "1/2", "T": "1/2"}, "column": [R(1, 2), R(1, 2)]}) == {"row": 0, "column": 0}
    assert is_nash(g, {"row": [0.5, 0.5], "column": [0.5, 0.5]})
    # a float profile is judged with the stated tolerance 1e-9 * max(1, max|u|) = 1e-9
    assert is_nash(g, [[0.5 + 1e-12, 0.5 - 1e-12], [0.5, 0.5]])
    assert not is_nash(g, [[0.5 + 1e-6, 0.5 - 1e-6], [0.5, 0.5]])
    assert is_nash(g, [[0.5 + 1e-6, 0.5 - 1e-6], [0.5, 0.5]], tol=1e-5)


def test_is_nash_exact_has_no_tolerance():
    # With exact numbers a deviation gaining 10^-30 is a deviation.
    eps = R(1, 10**30)
    g = Game.bimatrix([[1, 0], [0, 1]], [[1, 0], [0, 1]])
    assert is_nash(g, [[R(1, 2), R(1, 2)], [R(1, 2), R(1, 2)]])
    assert not is_nash(g, [[R(1, 2), R(1, 2)], [R(1, 2) + eps, R(1, 2) - eps]])


@settings(max_examples=50, deadline=None)
@given(bimatrix(), st.data())
def test_is_nash_agrees_with_independent_check_on_pure_profiles(ab, data):
    A, B = ab
    g = Game.bimatrix(A, B)
    profile = [data.draw(st.sampled_from(s)) for s in g.strategy_lists]
    vectors = [[1 if t == s else 0 for t in names] for s, names in zip(profile, g.strategy_lists)]
    assert is_nash(g, profile) == independent_check(g, vectors)


# ---------------------------------------------------------------------- random games
@settings(max_examples=50, deadline=None)
@given(bimatrix())
def test_every_returned_profile_is_an_equilibrium_integer(ab):
    A, B = ab
    g = Game.bimatrix(A, B)
    eqs, _ = quiet_equilibria(g)
    assert eqs, "every finite game has an equilibrium (Nash 1951)"
    for e in eqs:
        assert all(isinstance(p, sympy.Rational) for v in e.profile for p in v)
        assert independent_check(g, e.profile)


@settings(max_examples=25)
@given(st.integers(2, 4).flatmap(lambda m: st.tuples(
    st.lists(st.lists(rationals, min_size=m, max_size=m), min_size=m, max_size=m),
    st.lists(st.lists(rationals, min_size=m, max_size=m), min_size=m, max_size=m))))
def test_every_returned_profile_is_an_equilibrium_rational(ab):
    A, B = ab
    g = Game.bimatrix(A, B)
    eqs, _ = quiet_equilibria(g)
    assert eqs
    for e in eqs:
        assert independent_check(g, e.profile)


@settings(max_examples=20)
@given(generic_bimatrix())
def test_generic_games_match_nashpy_vertex_enumeration(ab):
    A, B = ab
    g = Game.bimatrix(A, B)
    eqs, warned = quiet_equilibria(g)
    # non-degeneracy, checked on the result: equal support sizes at every equilibrium, no continuum
    assume(not warned)
    assume(all(sum(p != 0 for p in e.profile[0]) == sum(p != 0 for p in e.profile[1]) for e in eqs))
    assert len(eqs) % 2 == 1, "a non-degenerate bimatrix game has an odd number of equilibria"
    theirs = nashpy_vertex_set(g, A, B)
    assert len(theirs) == len(eqs)
    for x, y in theirs:
        assert sum(close(e.profile, x, y) for e in eqs) == 1


@settings(max_examples=20)
@given(three_player_binary())
def test_three_player_games_every_profile_is_an_equilibrium(arrays):
    g = Game.from_arrays(arrays)
    eqs, warned = quiet_equilibria(g)
    assert eqs or DegenerateGameWarning in warned
    for e in eqs:
        assert independent_check(g, e.profile)
    # Every pure equilibrium (exact deviation inequalities) is found.
    pure = {tuple(tuple(v) for v in pe.as_mixed()) for pe in pure_equilibria(g)}
    assert pure <= {e.profile for e in eqs}


@settings(max_examples=10)
@given(three_player_binary(values=rationals))
def test_three_player_games_rational_payoffs(arrays):
    g = Game.from_arrays(arrays)
    eqs, warned = quiet_equilibria(g)
    assert eqs or DegenerateGameWarning in warned
    for e in eqs:
        assert independent_check(g, e.profile)


def test_three_player_continuum_is_reported():
    # Player 3's payoff is always 0, so whenever players 1 and 2 are in equilibrium (here the
    # coordination outcomes), player 3 may mix arbitrarily: a continuum. The pure equilibria are
    # the 2 coordination outcomes of players 1 and 2 times 2 strategies of player 3.
    arrays = [[[[1, 1], [0, 0]], [[0, 0], [1, 1]]], [[[1, 1], [0, 0]], [[0, 0], [1, 1]]], [[[0, 0], [0, 0]]] * 2]
    g = Game.from_arrays(arrays)
    with pytest.warns(DegenerateGameWarning, match="'player_3'"):
        eqs = nash_equilibria(g)
    assert {e.profile for e in eqs if e.is_pure} == {
        ((1, 0), (1, 0), (1, 0)), ((1, 0), (1, 0), (0, 1)), ((0, 1), (0, 1), (1, 0)), ((0, 1), (0, 1), (0, 1))}
    for e in eqs:
        assert independent_check(g, e.profile)


def test_lemke_howson_cap_stops():
    from coopgame.equilibria.lemke_howson import lemke_howson_capped

    A = np.array([[3.0, 1.0], [1.0, 3.0]])
    assert lemke_howson_capped(A, A.T, 0, max_pivots=0) is None
    x, y = lemke_howson_capped(A, A.T, 0)
    assert np.allclose(x, [1, 0]) and np.allclose(y, [1, 0])


@settings(max_examples=20)
@given(three_player_binary(values=st.integers(-10**4, 10**4)))
def test_three_player_generic_games_have_odd_number_of_equilibria(arrays):
    # Wilson (1971), "Computing equilibria of N-person games": generic games have an odd number
    # of equilibria. Distinct wide-range payoffs are generic unless a warning says otherwise.
    g = Game.from_arrays(arrays)
    eqs, warned = quiet_equilibria(g)
    assume(not warned)
    assert len(eqs) % 2 == 1


def test_three_by_three_by_two_searches_pure_only_and_says_so():
    rng = np.random.default_rng(7)
    arrays = rng.integers(-5, 5, size=(3, 3, 3, 2)).tolist()
    g = Game.from_arrays(arrays)
    with pytest.warns(IncompleteSearchWarning, match="two strategies"):
        eqs = nash_equilibria(g)
    assert {e.profile for e in eqs} == {tuple(tuple(v) for v in pe.as_mixed()) for pe in pure_equilibria(g)}


def test_three_players_irrational_payoffs_search_pure_only_and_say_so():
    # Every player gets sqrt(2) for matching the next player's strategy, 0 otherwise: the two
    # profiles where all match are the pure equilibria (each deviation loses sqrt(2)).
    names = ["a", "b"]
    s = sympy.sqrt(2)
    payoffs = {(x, y, z): [s if x == y else 0, s if y == z else 0, s if z == x else 0]
               for x in names for y in names for z in names}
    g = Game(["p1", "p2", "p3"], [names] * 3, payoffs)
    with pytest.warns(IncompleteSearchWarning, match="rational"):
        eqs = nash_equilibria(g)
    assert {e.profile for e in eqs} == {((1, 0), (1, 0), (1, 0)), ((0, 1), (0, 1), (0, 1))}


# ---------------------------------------------------------------------- known hazards
@pytest.mark.parametrize("A, B, count, nashpy_count", SUPPORT_ENUMERATION_MISSES)
def test_games_where_support_enumeration_drops_equilibria(A, B, count, nashpy_count):
    g = Game.bimatrix(A, B)
    eqs, warned = quiet_equilibria(g)
    assert not warned
    assert len(eqs) == count > nashpy_count
    for e in eqs:
        assert independent_check(g, e.profile)
    # The second method agrees on the set.
    theirs = nashpy_vertex_set(g, A, B)
    assert len(theirs) == count
    for x, y in theirs:
        assert sum(close(e.profile, x, y) for e in eqs) == 1


def test_support_enumeration_fixture_equilibrium_by_indifference():
    # Third fixture game: x on rows {2, 3}, y on columns {2, 3} (1-based). Row indifference:
    # A[1]·y = A[2]·y with y = (0, 898, 709, 0)/1607: 193*898 - 310*709 = -46 176 and
    # -588*898 + 533*709 = -150 127 ... (rows 2, 3 of A: [31, 193, -310, -350], [-741, -588, 533, -115]);
    # the exact check below is the derivation's arithmetic.
    A, B, _, _ = SUPPORT_ENUMERATION_MISSES[2]
    x, y = THIRD_GAME_EQUILIBRIUM
    a = [sum(Fraction(A[i][j]) * y[j] for j in range(4)) for i in range(4)]
    b = [sum(Fraction(B[i][j]) * x[i] for i in range(4)) for j in range(4)]
    assert a[1] == a[2] >= max(a) and b[1] == b[2] >= max(b)
    assert [e.profile for e in nash_equilibria(Game.bimatrix(A, B))] == [
        tuple(tuple(R(p.numerator, p.denominator) for p in v) for v in (x, y))]


# ---------------------------------------------------------------------- other methods
def test_nashpy_vertex_method_is_made_exact_and_matches():
    A, B, count, _ = SUPPORT_ENUMERATION_MISSES[1]
    g = Game.bimatrix(A, B)
    ours = {e.profile for e in nash_equilibria(g)}
    theirs = nash_equilibria(g, method="nashpy_vertex")
    assert {e.profile for e in theirs} == ours and len(ours) == count
    assert all(e.certificate.startswith("exact") for e in theirs)


def test_lemke_howson_method_finds_verified_equilibria_and_warns():
    A, B, _, _ = SUPPORT_ENUMERATION_MISSES[1]
    g = Game.bimatrix(A, B)
    with pytest.warns(IncompleteSearchWarning, match="Lemke-Howson"):
        eqs = nash_equilibria(g, method="lemke_howson")
    assert eqs and {e.profile for e in eqs} <= {e.profile for e in nash_equilibria(g)}


def test_exact_method_bound_and_automatic_fallback():
    A, B, count, _ = SUPPORT_ENUMERATION_MISSES[0]
    g = Game.bimatrix(A, B)
    # a 4x4 game has C(8, 4) = 70 constraint subsets per polytope
    with pytest.raises(ResourceLimitError, match="70 constraint subsets"):
        nash_equilibria(g, method="vertex", max_supports=69)
    assert {e.profile for e in nash_equilibria(g, max_supports=69)} == {e.profile for e in nash_equilibria(g)}


def test_algebraic_payoffs_are_exact():
    # Matching pennies scaled by sqrt(2) keeps the (1/2, 1/2) equilibrium.
    s = sympy.sqrt(2)
    g = Game.bimatrix([[s, -s], [-s, s]], [[-s, s], [s, -s]])
    eqs = nash_equilibria(g)
    assert [e.profile for e in eqs] == [((R(1, 2), R(1, 2)), (R(1, 2), R(1, 2)))]
    assert eqs[0].certificate.startswith("exact")
    # Battle of the sexes with payoffs 2 sqrt(2) and sqrt(3): the column player's q on the first
    # column solves 2 sqrt(2) q = 1 - q, q = 1/(1 + 2 sqrt(2)) = (2 sqrt(2) - 1)/7; the row player's
    # p solves p = sqrt(3)(1 - p), p = sqrt(3)/(1 + sqrt(3)) = (3 - sqrt(3))/2.
    g = Game.bimatrix([[2 * s, 0], [0, 1]], [[1, 0], [0, sympy.sqrt(3)]])
    mixed = [e for e in nash_equilibria(g) if not e.is_pure]
    assert len(mixed) == 1
    (p, _), (q, _) = mixed[0].profile
    assert sympy.simplify(p - (3 - sympy.sqrt(3)) / 2) == 0 and sympy.simplify(q - (2 * s - 1) / 7) == 0
    assert independent_check(g, mixed[0].profile)


def test_transcendental_payoffs_fall_back_to_floats_with_tolerance():
    # Matching pennies scaled by pi keeps the (1/2, 1/2) equilibrium.
    g = Game.bimatrix([[sympy.pi, -sympy.pi], [-sympy.pi, sympy.pi]], [[-sympy.pi, sympy.pi], [sympy.pi, -sympy.pi]])
    eqs = nash_equilibria(g)
    assert len(eqs) == 1 and close(eqs[0].profile, [0.5, 0.5], [0.5, 0.5], 1e-12)
    assert "floating-point" in eqs[0].certificate


# ---------------------------------------------------------------------- symbolic vs numeric
CS, RS, SUB, FINE, DETECT = (Parameter("C_s", domain=POSITIVE), Parameter("R_s", domain=NONNEGATIVE),
                             Parameter("s", domain=NONNEGATIVE), Parameter("F", domain=NONNEGATIVE),
                             Parameter("d", domain=PROBABILITY))
SCHOOL_FIRM = Game(
    ["school", "firm"], [["deep", "shallow"], ["train", "exploit"]],
    {("deep", "train"): ["R_s - C_s", "R_s + s - 2"],
     ("deep", "exploit"): ["-C_s", "3 - d*F"],
     ("shallow", "train"): ["R_s/2", "s - 1"],
     ("shallow", "exploit"): [0, "1 - d*F"]},
    parameters=[CS, RS, SUB, FINE, DETECT],
)
positive = st.fractions(min_value=Fraction(1, 10), max_value=10, max_denominator=20)
nonneg = st.fractions(min_value=0, max_value=10, max_denominator=20)
prob = st.fractions(min_value=0, max_value=1, max_denominator=20)


@settings(max_examples=50, deadline=None)
@given(positive, nonneg, nonneg, nonneg, prob)
def test_pure_conditions_agree_with_numeric_best_responses(cs, rs, s, f, d):
    values = {"C_s": cs, "R_s": rs, "s": s, "F": f, "d": d}
    listed = {e.profile: e for e in pure_equilibria(SCHOOL_FIRM)}
    for profile in SCHOOL_FIRM.profiles():
        numeric = is_nash(SCHOOL_FIRM, profile, values)
        symbolic = listed[profile].holds(values) if profile in listed else False
        assert numeric == symbolic, profile


GENERAL_2X2 = Game.bimatrix([["a11", "a12"], ["a21", "a22"]], [["b11", "b12"], ["b21", "b22"]])
GENERAL_2X2_MIXED = mixed_equilibrium_2x2(GENERAL_2X2)


@settings(max_examples=50, deadline=None)
@given(st.lists(rationals, min_size=8, max_size=8))
def test_closed_form_2x2_matches_enumeration(entries):
    g, e = GENERAL_2X2, GENERAL_2X2_MIXED
    point = dict(zip(["a11", "a12", "a21", "a22", "b11", "b12", "b21", "b22"], entries))
    numeric = g.subs(point)
    interior = [q for q in quiet_equilibria(numeric)[0] if all(p != 0 for v in q.profile for p in v)]
    if e.holds(point):
        subs = {g.symbol(k): sympy.Rational(v.numerator, v.denominator) for k, v in point.items()}
        profile = tuple(tuple(p.xreplace(subs) for p in v) for v in e.profile)
        assert [q.profile for q in interior] == [profile]
        assert is_nash(numeric, profile)
        assert tuple(u.xreplace(subs) for u in e.payoffs) == interior[0].payoffs
    else:
        # without the condition there is no equilibrium in which both players mix both strategies,
        # unless the game is degenerate (a player indifferent against everything)
        assert not interior or any(all(x == 0 for x in (a, b)) for a, b in [
            (point["a11"] - point["a21"], point["a22"] - point["a12"]),
            (point["b11"] - point["b12"], point["b22"] - point["b21"])])


def test_closed_form_2x2_symbolic_example():
    # Row payoffs [[a, 0], [0, 1]], column [[1, 0], [0, 2]]: the column player's q makes the row
    # player indifferent, a q = 1 - q, q = 1/(a + 1), inside (0, 1) iff a > 0; the row player's p
    # satisfies p = 2(1 - p), p = 2/3.
    a = Parameter("a", domain=POSITIVE)
    g = Game.bimatrix([["a", 0], [0, 1]], [[1, 0], [0, 2]], parameters=[a])
    e = mixed_equilibrium_2x2(g)
    assert e.condition is sympy.true  # a > 0 follows from the parameter's domain
    assert e.profile == ((R(2, 3), R(1, 3)), (1 / (a.symbol + 1), a.symbol / (a.symbol + 1)))
    # prisoner's dilemma: a dominant strategy, never an interior equilibrium
    assert mixed_equilibrium_2x2(Game.bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])) is None


# ---------------------------------------------------------------------- bad input
def test_symbolic_game_without_values_names_the_parameter():
    with pytest.raises(ParameterError, match="'C_s'"):
        nash_equilibria(SCHOOL_FIRM)
    with pytest.raises(ParameterError, match="'d'"):
        nash_equilibria(SCHOOL_FIRM, {"C_s": 1, "R_s": 2, "s": 0, "F": 1})
    with pytest.raises(ParameterError, match="'d'"):
        nash_equilibria(SCHOOL_FIRM, {"C_s": 1, "R_s": 2, "s": 0, "F": 1, "d": 2})
    eqs = nash_equilibria(SCHOOL_FIRM, {"C_s": 1, "R_s": 2, "s": 0, "F": 1, "d": "1/2"})
    assert all(is_nash(SCHOOL_FIRM, e.profile, {"C_s": 1, "R_s": 2, "s": 0, "F": 1, "d": "1/2"}) for e in eqs)


def test_unknown_names_are_named():
    g = Game.bimatrix([[1, 0], [0, 1]], [[1, 0], [0, 1]], strategies=[["a", "b"], ["c", "d"]])
    with pytest.raises(UnknownNameError, match="'z'"):
        is_nash(g, ["a", "z"])
    with pytest.raises(UnknownNameError, match="'nobody'"):
        is_nash(g, {"nobody": "a", "row": "a"})
    with pytest.raises(UnknownNameError, match="'x'"):
        regret(g, [{"x": 1}, "c"])
    with pytest.raises(UnknownNameError, match="'simplex'"):
        nash_equilibria(g, method="simplex")


def test_malformed_profiles_are_rejected():
    g = Game.bimatrix([[1, 0], [0, 1]], [[1, 0], [0, 1]])
    with pytest.raises(ParameterError, match="player 'column' has 3 probabilities"):
        is_nash(g, [[1, 0], [1, 0, 0]])
    with pytest.raises(ParameterError, match="player 'row' sum to 1/2"):
        is_nash(g, [["1/4", "1/4"], [1, 0]])
    with pytest.raises(ParameterError, match="negative probability"):
        is_nash(g, [[2, -1], [1, 0]])
    with pytest.raises(ParameterError, match="3 entries"):
        is_nash(g, ["s1", "s1", "s1"])
    with pytest.raises(GameDefinitionError, match="2x2"):
        mixed_equilibrium_2x2(Game.bimatrix([[1, 0, 2]], [[1, 0, 2]]))


# ---------------------------------------------------------------------- the pivoting search
def _both_searches(A, B):
    """The pivoting search (None when it defers) and the exact enumeration of every support
    system, on the same game, as sets of exact profile pairs."""
    from coopgame.equilibria.pivoting import pivoting_equilibria
    from coopgame.equilibria.vertex import vertex_enumeration

    Af, Bf = np.array(A, dtype=float), np.array(B, dtype=float)
    Ax = np.vectorize(Fraction, otypes=[object])(np.array(A, dtype=object))
    Bx = np.vectorize(Fraction, otypes=[object])(np.array(B, dtype=object))
    m, n = Af.shape
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pivoting = pivoting_equilibria(Af, Bf, Ax, Bx, math.comb(m + n, m))
        exact = vertex_enumeration(Af, Bf, Ax, Bx)
    return (None if pivoting is None else {profile for profile, _ in pivoting}), {profile for profile, _ in exact}


def _exactly_nash(A, B, x, y):
    """Exact best-response check in Fractions, written out: every row against y and every
    column against x earns at most the expected payoff."""
    rows = [sum(Fraction(a) * q for a, q in zip(row, y)) for row in A]
    cols = [sum(Fraction(B[i][j]) * x[i] for i in range(len(A))) for j in range(len(A[0]))]
    here_a = sum(p * r for p, r in zip(x, rows))
    here_b = sum(q * c for q, c in zip(y, cols))
    return max(rows) == here_a and max(cols) == here_b


@settings(max_examples=40, deadline=None)
@given(generic_bimatrix())
def test_pivoting_search_equals_support_enumeration_on_generic_games(ab):
    # Both are complete on a nondegenerate game: the extreme equilibria are the completely
    # labelled vertex pairs (von Stengel 2007, Theorem 3.4), found once by walking the polytopes'
    # edges and once by solving every square system of tight constraints.
    A, B = ab
    pivoting, exact = _both_searches(A, B)
    assert pivoting is None or pivoting == exact
    for x, y in exact:
        assert _exactly_nash(A, B, x, y)


@settings(max_examples=40, deadline=None)
@given(degenerate_bimatrix())
def test_pivoting_search_equals_support_enumeration_on_degenerate_games(ab):
    # Ties, repeated rows and columns and zero columns make vertices degenerate (more tight
    # constraints than the dimension) and equilibria form continua; the extreme equilibria are
    # still the completely labelled vertex pairs, with labels the exact tight sets.
    A, B = ab
    pivoting, exact = _both_searches(A, B)
    assert pivoting is None or pivoting == exact
    g = Game.bimatrix(A, B)
    eqs, _ = quiet_equilibria(g)
    assert {tuple(tuple(Fraction(int(p.p), int(p.q)) for p in v) for v in e.profile) for e in eqs} == exact
    for x, y in exact:
        assert _exactly_nash(A, B, x, y)


def test_pivoting_search_is_certified_on_seeded_games():
    # On these seeded games (60 generic, uniform integers in [-1000, 1000); 60 degenerate, in
    # [-3, 3]) the pivoting search certifies itself: it returns the equilibria without deferring
    # to the exact enumeration, and they are the exact enumeration's.
    rng = np.random.default_rng(13)
    deferred = []
    for k in range(120):
        bound = 1000 if k < 60 else 3
        m, n = int(rng.integers(2, 6)), int(rng.integers(2, 6))
        A, B = rng.integers(-bound, bound + 1, size=(m, n)).tolist(), rng.integers(-bound, bound + 1, size=(m, n)).tolist()
        pivoting, exact = _both_searches(A, B)
        if pivoting is None:
            deferred.append(k)
        else:
            assert pivoting == exact
    assert deferred == []


def test_pivoting_defers_to_exact_enumeration_beyond_its_work_budget():
    # In the 6x6 null game every pure strategy x = e_i is a vertex of P with 5 + 6 = 11 tight
    # constraints in dimension 6; its edges take C(11, 5) = 462 subsets, six such vertices
    # 2 772 > max(500, C(12, 6) / 50) = 500: the search defers, and the exact enumeration
    # returns the 36 pure profiles, the extreme points of the set of all profiles (every profile
    # is an equilibrium of the null game).
    zero = [[0] * 6 for _ in range(6)]
    pivoting, exact = _both_searches(zero, zero)
    assert pivoting is None
    with pytest.warns(DegenerateGameWarning):
        eqs = nash_equilibria(Game.bimatrix(zero, zero))
    assert len(eqs) == 36 and all(e.is_pure for e in eqs)


def test_pivoting_search_on_the_degenerate_textbook_games():
    # The game of nashpy issue 222 and the duplicate-rows game above: continua, degenerate
    # vertices; the search finds exactly the extreme equilibria derived there.
    half = Fraction(1, 2)
    pivoting, exact = _both_searches([[-3, 3], [-3, 5]], [[2, 7], [4, 2]])
    assert pivoting == exact == {((0, 1), (1, 0)), ((Fraction(2, 7), Fraction(5, 7)), (1, 0))}
    pivoting, exact = _both_searches([[1, 0], [1, 0], [0, 1]], [[0, 1], [0, 1], [1, 0]])
    assert pivoting == exact == {((half, 0, half), (half, half)), ((0, half, half), (half, half))}


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(st.sampled_from([6, 7, 8]), st.sampled_from([3, 1000]), st.integers(0, 2**32 - 1))
def test_pivoting_search_equals_support_enumeration_on_larger_games(size, bound, seed):
    rng = np.random.default_rng(seed)
    A = rng.integers(-bound, bound + 1, size=(size, size)).tolist()
    B = rng.integers(-bound, bound + 1, size=(size, size)).tolist()
    pivoting, exact = _both_searches(A, B)
    assert pivoting is None or pivoting == exact
    for x, y in exact:
        assert _exactly_nash(A, B, x, y)


@pytest.mark.slow
@pytest.mark.parametrize("bound", [9, 1000])
def test_pivoting_search_is_certified_and_complete_at_10x10(bound):
    # Two seeded 10x10 games (uniform integers in [-bound, bound]; with bound 9 best-response
    # ties make the game degenerate): the pivoting search certifies itself and finds exactly the
    # equilibria of the exact enumeration of all C(20, 10) = 184 756 systems per polytope.
    rng = np.random.default_rng(bound)
    A, B = (rng.integers(-bound, bound + 1, size=(10, 10)).tolist() for _ in range(2))
    pivoting, exact = _both_searches(A, B)
    assert pivoting is not None and pivoting == exact
    for x, y in exact:
        assert _exactly_nash(A, B, x, y)


@pytest.mark.slow
def test_pivoting_search_matches_exact_enumeration_on_500_seeded_games():
    # 500 seeded games, 2x2 to 6x6, payoffs uniform in [-b, b] with b in {1, 2, 9, 1000} (the
    # small bounds make most games degenerate), one in five with a repeated row and one in
    # seven with a zero column of B: every equilibrium of the exact enumeration is found by the
    # pivoting search, nothing else, and the search certifies itself on at least 490 of them.
    rng = np.random.default_rng(500)
    deferred = 0
    for k in range(500):
        m, n, b = int(rng.integers(2, 7)), int(rng.integers(2, 7)), [1, 2, 9, 1000][k % 4]
        A, B = rng.integers(-b, b + 1, size=(m, n)), rng.integers(-b, b + 1, size=(m, n))
        if k % 5 == 0:
            A[-1], B[-1] = A[0], B[0]
        if k % 7 == 0:
            B[:, 0] = 0
        pivoting, exact = _both_searches(A.tolist(), B.tolist())
        if pivoting is None:
            deferred += 1
            continue
        assert pivoting == exact, k
    assert deferred <= 10


# ------------------------------------------------------------ exact arithmetic in integers
def _written_out_payoffs(A, B, x, y):
    """Expected payoffs x^T A y and x^T B y in Fractions, and whether no pure deviation gains."""
    rows = [sum(a * q for a, q in zip(row, y)) for row in A]
    cols = [sum(B[i][j] * x[i] for i in range(len(A))) for j in range(len(A[0]))]
    here_a, here_b = sum(p * r for p, r in zip(x, rows)), sum(q * c for q, c in zip(y, cols))
    return (here_a, here_b), max(rows) <= here_a and max(cols) <= here_b


@st.composite
def _simplex_point(draw, size):
    """A rational probability vector: nonnegative integer weights (some zero) over their sum."""
    weights = draw(st.lists(st.integers(0, 7), min_size=size, max_size=size).filter(any))
    return [Fraction(w, sum(weights)) for w in weights]


@settings(max_examples=20, deadline=None)
@given(st.data())
def test_integer_best_response_check_equals_the_fraction_check(data):
    # The check with denominators cleared once: with x = X / Dx, y = Y / Dy and payoffs L A,
    # row i earns (L A Y)_i / (L Dy), so no row gains exactly when (L A Y)_i Dx <= X . (L A Y);
    # the same for columns. It must agree with the check written out in Fractions, accepting
    # and rejecting the same profiles with the same expected payoffs, at random profiles and
    # at the game's equilibria (both of which it accepts).
    from coopgame.equilibria.nash import _check_bimatrix_integer, _integer_bimatrix

    A, B = data.draw(bimatrix(max_size=4, values=rationals))
    m, n = len(A), len(A[0])
    exact = [np.array(A, dtype=object), np.array(B, dtype=object)]
    integer_game = _integer_bimatrix(exact)
    profiles = [(data.draw(_simplex_point(m)), data.draw(_simplex_point(n))) for _ in range(3)]
    eqs, _ = quiet_equilibria(Game.bimatrix([[str(v) for v in r] for r in A], [[str(v) for v in r] for r in B]))
    profiles += [tuple([Fraction(int(p.p), int(p.q)) for p in v] for v in e.profile) for e in eqs]
    for x, y in profiles:
        payoffs, nash = _written_out_payoffs(A, B, x, y)
        got = _check_bimatrix_integer(integer_game, [x, y])
        assert (got is not None) == nash
        if nash:
            assert tuple(got) == payoffs
    assert eqs and all(_check_bimatrix_integer(integer_game, p) is not None for p in profiles[3:])


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_integer_solve_with_pinned_rows_is_cramers_rule(data):
    # Rows c z_j = 0 pin z_j = 0 and the rest is solved over the other columns. By Cramer's
    # rule the solution is z = y / D with D = |det M| and y integers; and M is singular exactly
    # when the solver says so. Checked against sympy's exact determinant; M (y / D) = r is
    # checked in integers (the solution of a nonsingular system is unique).
    from coopgame.equilibria.vertex import solve_integer

    d = data.draw(st.integers(1, 6))
    M, r = [], []
    for _ in range(d):
        if data.draw(st.booleans()):
            j, c = data.draw(st.integers(0, d - 1)), data.draw(st.sampled_from([-1, -1, 2, -3]))
            M.append([c if k == j else 0 for k in range(d)])
            r.append(0)
        else:
            M.append(data.draw(st.lists(st.integers(-4, 4), min_size=d, max_size=d)))
            r.append(data.draw(st.integers(-3, 5)))
    det = sympy.Matrix(M).det()
    res = solve_integer(M, r)
    if det == 0:
        assert res is None
    else:
        y, D = res
        assert D == abs(det)
        assert all(sum(c * v for c, v in zip(row, y)) == ri * D for row, ri in zip(M, r))


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_singular_subsets_are_the_zero_minors(data):
    # t integer rows of rank d (t = d + 1 to d + 3, the tight rows of a degenerate vertex) have a
    # left null space of dimension t - d, spanned by the rows of N; a d x d minor on the rows S
    # is singular exactly when N restricted to the rows outside S is (a null vector of the rows
    # S, extended by zeros, is a combination of N's rows vanishing outside S). Checked against
    # sympy's exact determinant of every d x d minor, from every basis (None from the singular
    # ones). The extra rows are integer combinations of a few others (so that several minors
    # vanish) or random rows.
    from coopgame.equilibria.pivoting import _singular_subsets

    d = data.draw(st.integers(2, 4))
    rows = []
    for _ in range(d):
        if data.draw(st.booleans()):  # a constraint z_j >= 0 of a best-response polytope
            j = data.draw(st.integers(0, d - 1))
            rows.append([-1 if k == j else 0 for k in range(d)])
        else:
            rows.append(data.draw(st.lists(st.integers(-5, 5), min_size=d, max_size=d)))
    assume(sympy.Matrix(rows).rank() == d)
    for _ in range(data.draw(st.integers(1, 3))):
        if data.draw(st.booleans()):
            used = data.draw(st.lists(st.integers(0, d - 1), min_size=1, max_size=3, unique=True))
            coeffs = [data.draw(st.integers(-2, 2).filter(bool)) for _ in used]
            extra = [sum(c * rows[i][k] for c, i in zip(coeffs, used)) for k in range(d)]
        else:
            extra = data.draw(st.lists(st.integers(-5, 5), min_size=d, max_size=d))
        rows.insert(data.draw(st.integers(0, len(rows))), extra)
    subsets = [list(S) for S in itertools.combinations(range(len(rows)), d)]
    complements = [[j for j in range(len(rows)) if j not in S] for S in subsets]
    minors = [sympy.Matrix([rows[i] for i in S]).det() == 0 for S in subsets]
    for basis, singular in zip(subsets, minors):
        assert _singular_subsets(rows, basis, complements) == (None if singular else minors)


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_integer_polytope_vertex_equals_the_generic_exact_vertex(data):
    # The pivoting search reads a basis's exact vertex off the polytope's layout (rows -z_j <= 0
    # pin z_j = 0, the payoff rows are solved over the other columns, a row -z_j <= 0 is tight
    # when y_j = 0). It must give what the generic exact vertex gives on the whole constraint
    # list (Bareiss on the basis, every constraint checked in integers): the same (y, D, mask),
    # or None for the same singular or infeasible bases, on every basis of small integer
    # polytopes with both layouts.
    from coopgame.equilibria.pivoting import _IntegerPolytope
    from coopgame.equilibria.vertex import integer_vertex

    k, d = data.draw(st.integers(1, 4)), data.draw(st.integers(1, 4))
    ints = [data.draw(st.lists(st.integers(-3, 3), min_size=d, max_size=d)) for _ in range(k)]
    L = data.draw(st.sampled_from([1, 2, 6]))
    for identity_first in (True, False):
        polytope = _IntegerPolytope(ints, L, identity_first)
        for basis in itertools.combinations(range(k + d), d):
            assert polytope.vertex(list(basis)) == integer_vertex(polytope.Cx, polytope.bx, list(basis))
