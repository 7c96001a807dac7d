"""Tests of coopgame.cooperative: textbook values, Shapley axioms, core and nucleolus properties."""

import itertools
from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from coopgame import Game
from coopgame.cooperative import TUGame
from coopgame.errors import GameDefinitionError, ParameterError, ResourceLimitError, UnknownNameError

R = sympy.Rational


def glove_game():
    # Players 1 and 2 own a right glove, player 3 a left glove; a pair is worth 1.
    return TUGame([1, 2, 3], lambda S: 1 if 3 in S and len(S) >= 2 else 0)


def bankruptcy(estate, claims):
    # O'Neill's bankruptcy game: v(S) = max(0, E - sum of the others' claims).
    return TUGame(list(claims), lambda S: max(0, estate - sum(c for p, c in claims.items() if p not in S)))


def shapley_by_permutations(game):
    """The Shapley value as the average marginal contribution over all orders (Shapley 1953)."""
    players = game.players
    total = {p: sympy.Integer(0) for p in players}
    orders = list(itertools.permutations(players))
    for order in orders:
        before = frozenset()
        for p in order:
            total[p] += game.value(before | {p}) - game.value(before)
            before = before | {p}
    return {p: sympy.expand(v / len(orders)) for p, v in total.items()}


# ---------------------------------------------------------------- strategies: valid random games
@st.composite
def tu_games(draw, min_players=2, max_players=4):
    n = draw(st.integers(min_players, max_players))
    values = {}
    for size in range(1, n + 1):
        for S in itertools.combinations(range(n), size):
            values[frozenset(S)] = draw(st.fractions(min_value=-5, max_value=20, max_denominator=4))
    return TUGame(range(n), values)


@st.composite
def games_with_imputations(draw):
    g = draw(tu_games())
    n = g.n
    singles = sum(g.value({i}) for i in range(n))
    extra = draw(st.fractions(min_value=0, max_value=10, max_denominator=3))
    values = {S: g.value(S) for S in g.coalitions() if S}
    values[frozenset(range(n))] = singles + extra  # v(N) >= sum v(i): imputations exist
    return TUGame(range(n), values)


# ---------------------------------------------------------------- textbook values (the list)
def test_glove_game_shapley_and_single_point_core():
    g = glove_game()
    # Shapley value of the glove game with two right gloves and one left glove: (1/6, 1/6, 2/3)
    # (e.g. Maschler, Solan, Zamir, Game Theory, 2013, ch. 18); also by averaging over the 6 orders.
    assert g.shapley() == {1: R(1, 6), 2: R(1, 6), 3: R(2, 3)}
    assert g.shapley() == shapley_by_permutations(g)
    # Core: x1 + x3 >= 1, x2 + x3 >= 1, x1 + x2 + x3 = 1 give x2 <= 0 and x1 <= 0; with x1, x2 >= 0
    # the core is the single point (0, 0, 1).
    assert g.core_contains([0, 0, 1]) is True
    assert not g.core_is_empty()
    assert g.core_point() == {1: 0, 2: 0, 3: 1}
    for t in (R(1, 100), R(1, 3), R(1, 2)):
        assert g.core_contains([t, 0, 1 - t]) is False
        assert g.core_contains([0, t, 1 - t]) is False
    assert g.nucleolus() == {1: 0, 2: 0, 3: 1}


def test_unanimity_game_shapley():
    # Unanimity game u_T with T = {1, 3} in {1, 2, 3}: 1/|T| to each member of T, 0 to others.
    u13 = TUGame([1, 2, 3], lambda S: 1 if {1, 3} <= S else 0)
    assert u13.shapley() == {1: R(1, 2), 2: 0, 3: R(1, 2)}


@pytest.mark.parametrize(
    ("estate", "expected"),
    # Aumann and Maschler (1985), "Game theoretic analysis of a bankruptcy problem from the Talmud",
    # J. Econ. Theory 36: claims 100, 200, 300; the nucleolus is the Talmud division.
    [(100, (R(100, 3), R(100, 3), R(100, 3))), (200, (50, 75, 75)), (300, (50, 100, 150))],
)
def test_nucleolus_bankruptcy_talmud(estate, expected):
    g = bankruptcy(estate, {1: 100, 2: 200, 3: 300})
    assert tuple(g.nucleolus().values()) == expected


def test_majority_game_core_empty_nucleolus_equal_split():
    # Three-player majority game: every pair can take 1; the core is empty (the three pair
    # constraints add to 2 x(N) >= 3 > 2). By symmetry the nucleolus is (1/3, 1/3, 1/3).
    g = TUGame([1, 2, 3], lambda S: 1 if len(S) >= 2 else 0)
    assert g.core_is_empty()
    assert g.core_point() is None
    assert g.nucleolus() == {1: R(1, 3), 2: R(1, 3), 3: R(1, 3)}
    assert g.is_convex() is False
    assert g.is_superadditive() is True


def test_symbolic_two_player_game():
    g = TUGame(["school", "enterprise"], {("school",): "a", ("enterprise",): "b", ("school", "enterprise"): "V"})
    V, a, b = (sympy.Symbol(n, real=True) for n in ("V", "a", "b"))
    phi = g.shapley()
    # Two players: each gets its stand-alone value plus half the gain from cooperation.
    assert sympy.simplify(phi["school"] - (a + (V - a - b) / 2)) == 0
    assert g.is_essential() == (V > a + b)
    assert g.subs({"V": 10, "a": 1, "b": 2}).shapley() == {"school": 9 / sympy.Integer(2), "enterprise": R(11, 2)}
    with pytest.raises(ParameterError, match="'V'"):
        g.nucleolus()
    assert g.nucleolus(values={"V": 10, "a": 1, "b": 2}) == {"school": R(9, 2), "enterprise": R(11, 2)}


def test_banzhaf_values():
    # Banzhaf (1965): average marginal contribution over the 2^(n-1) coalitions of the others.
    g = glove_game()
    # player 3 is pivotal in {1,3}, {2,3}, {1,2,3}: 3/4; players 1, 2 only with {3}: 1/4.
    assert g.banzhaf() == {1: R(1, 4), 2: R(1, 4), 3: R(3, 4)}
    assert g.banzhaf(normalized=True) == {1: R(1, 5), 2: R(1, 5), 3: R(3, 5)}


# ---------------------------------------------------------------- hypothesis: Shapley axioms
@settings(max_examples=40)
@given(tu_games())
def test_shapley_efficiency_and_permutation_formula(g):
    phi = g.shapley()
    assert sum(phi.values()) == g.value(g.players)
    assert phi == shapley_by_permutations(g)


@settings(max_examples=40)
@given(tu_games())
def test_shapley_symmetry(g):
    # w(S) = v(S) + v(swap(S)) with swap exchanging players 0 and 1: 0 and 1 are symmetric in w.
    def swap(S):
        return frozenset({0: 1, 1: 0}.get(p, p) for p in S)

    w = TUGame(g.players, {S: g.value(S) + g.value(swap(S)) for S in g.coalitions() if S})
    phi = w.shapley()
    assert phi[0] == phi[1]


@settings(max_examples=40)
@given(tu_games())
def test_shapley_null_player(g):
    # w(S) = v(S without the last player): the last player adds nothing to any coalition.
    last = g.players[-1]
    w = TUGame(g.players, {S: (g.value(S - {last}) if S - {last} else 0) for S in g.coalitions() if S})
    assert w.shapley()[last] == 0
    assert w.banzhaf()[last] == 0


@settings(max_examples=30)
@given(tu_games(min_players=3, max_players=3), tu_games(min_players=3, max_players=3))
def test_shapley_additivity(v, w):
    s = TUGame(v.players, {S: v.value(S) + w.value(S) for S in v.coalitions() if S})
    pv, pw, ps = v.shapley(), w.shapley(), s.shapley()
    assert all(ps[p] == pv[p] + pw[p] for p in v.players)


# ---------------------------------------------------------------- hypothesis: core and nucleolus
def sorted_excesses(game, x):
    return sorted((game.value(S) - sum(x[p] for p in S) for S in game.coalitions() if S), reverse=True)


@settings(max_examples=40)
@given(games_with_imputations(), st.data())
def test_nucleolus_is_lexicographic_minimum_and_in_core(g, data):
    nu = g.nucleolus()
    n = g.n
    vN = g.value(g.players)
    # an imputation
    assert sum(nu.values()) == vN
    assert all(nu[i] >= g.value({i}) for i in g.players)
    # Schmeidler's definition: no imputation has a lexicographically smaller sorted excess vector
    mine = sorted_excesses(g, nu)
    spare = vN - sum(g.value({i}) for i in g.players)
    for _ in range(10):
        weights = data.draw(st.lists(st.integers(0, 5), min_size=n, max_size=n))
        total = sum(weights) or 1
        y = {i: g.value({i}) + spare * Fraction(wt, total) for i, wt in zip(g.players, weights)}
        if sum(weights) == 0:
            y[g.players[0]] += spare
        assert mine <= sorted_excesses(g, y)
    # in the core whenever the core is non-empty; and core_point is in the core
    if not g.core_is_empty():
        assert g.core_contains(dict(nu)) is True
        assert g.core_contains(dict(g.core_point())) is True
    else:
        assert g.core_point() is None


@settings(max_examples=30)
@given(st.lists(st.integers(0, 6), min_size=2, max_size=4))
def test_convex_games_have_shapley_in_core(weights):
    # v(S) = (sum_{i in S} a_i)^2 with a_i >= 0 is supermodular; Shapley (1971): the Shapley value
    # of a convex game lies in its core.
    n = len(weights)
    g = TUGame(range(n), lambda S: sum(weights[i] for i in S) ** 2)
    assert g.is_convex() is True
    assert g.is_superadditive() is True
    assert g.core_contains(dict(g.shapley())) is True
    assert not g.core_is_empty()


def test_properties_symbolic_conditions():
    g = TUGame([1, 2], {(1,): 0, (2,): 0, (1, 2): "V"})
    V = sympy.Symbol("V", real=True)
    assert g.is_superadditive() == (V >= 0)
    assert g.is_essential() == (V > 0)
    assert g.is_convex() == (V >= 0)
    assert g.core_contains([0, "V"]) == (V >= 0)


# ---------------------------------------------------------------- from a normal-form game
def test_from_game_prisoners_dilemma():
    pd = Game.from_arrays([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], players=["A", "B"],
                          strategies=[["C", "D"], ["C", "D"]])
    g = TUGame.from_game(pd)
    # minmax: v(A) = max(min(3, 0), min(5, 1)) = 1; v(N) = max total = 6 at (C, C)
    assert g.value({"A"}) == 1 and g.value({"B"}) == 1 and g.value({"A", "B"}) == 6
    assert g.shapley() == {"A": 3, "B": 3}
    d = TUGame.from_game(pd, "default", ("C", "C"))
    # others keep cooperating: A's best reply to C is D with 5
    assert d.value({"A"}) == 5
    assert d.core_is_empty()  # 5 + 5 > 6


def test_from_game_symbolic_and_three_players():
    g = Game(["s", "e", "t"], [["x", "y"], ["x", "y"], ["x", "y"]],
             {p: ["a" if p.count("x") == 3 else 0, 1 if p[1] == "y" else 0, "b"] for p in
              itertools.product("xy", repeat=3)})
    tu = TUGame.from_game(g)
    a, b = sympy.Symbol("a", real=True), sympy.Symbol("b", real=True)
    # {s}: max over own choice of the worst case; 'a' only when everyone plays x -> min(a, 0)
    assert tu.value({"s"}) == sympy.Max(0, sympy.Min(a, 0))
    assert tu.value({"t"}) == b
    numeric = TUGame.from_game(g, values={"a": 2, "b": 1})
    # v(N) = the largest total: (x,x,x) gives 2 + 0 + 1 = 3, (x,y,x) gives 0 + 1 + 1 = 2
    assert numeric.value({"s", "e", "t"}) == 3


# ---------------------------------------------------------------- bad input
def test_bad_input_names_the_item():
    with pytest.raises(UnknownNameError, match="'carol'"):
        TUGame(["ann", "bob"], {("ann",): 0, ("bob",): 0, ("ann", "carol"): 1})
    with pytest.raises(GameDefinitionError, match=r"\{ann, bob\}"):
        TUGame(["ann", "bob"], {("ann",): 0, ("bob",): 0})
    g = glove_game()
    with pytest.raises(UnknownNameError, match="4"):
        g.core_contains({1: 0, 2: 0, 4: 1})
    with pytest.raises(ParameterError, match="3 players"):
        g.core_contains([0, 1])
    with pytest.raises(UnknownNameError, match="'z'"):
        g.value({"z"})
    with pytest.raises(GameDefinitionError, match="duplicate player 1"):
        TUGame([1, 1], lambda S: 0)
    with pytest.raises(ResourceLimitError):
        TUGame(range(40), lambda S: 0)
    with pytest.raises(ParameterError, match="no imputations"):
        TUGame([1, 2], {(1,): 1, (2,): 1, (1, 2): 1}).nucleolus()
    with pytest.raises(ParameterError, match="default_profile"):
        TUGame.from_game(Game.from_arrays([[[1]], [[1]]]), "default")


@settings(max_examples=40)
@given(st.lists(st.integers(-5, 5), min_size=4, max_size=4))
def test_from_game_mixed_minmax_is_the_zero_sum_value(entries):
    a, b, c, d = entries  # row player's payoffs [[a, b], [c, d]]; the column player gets whatever
    g = Game.from_arrays([[[a, b], [c, d]], [[0, 0], [0, 0]]], players=["row", "col"])
    mixed = TUGame.from_game(g, mixed=True).value({"row"})
    pure = TUGame.from_game(g).value({"row"})
    # the column player is held to minimise the row's payoff: a 2x2 zero-sum game. With a saddle
    # point the value is maxmin = minmax; without one it is (ad - bc)/(a + d - b - c) (von Neumann).
    maxmin = max(min(a, b), min(c, d))
    minmax = min(max(a, c), max(b, d))
    expected = maxmin if maxmin == minmax else R(a * d - b * c, a + d - b - c)
    assert mixed == expected
    assert pure == maxmin and mixed >= pure


def test_from_game_mixed_bad_input():
    g = Game.from_arrays([[[1, 0], [0, 1]], [[0, 1], [1, 0]]])
    with pytest.raises(ParameterError, match="mixed"):
        TUGame.from_game(g, "default", ("s1", "s1"), mixed=True)
    with pytest.raises(ParameterError, match="'a'"):
        TUGame.from_game(Game.from_arrays([[["a", 0], [0, 1]], [[0, 1], [1, 0]]]), mixed=True)


def test_unknown_parameter_names_in_values_are_rejected():
    g = TUGame([1, 2], {(1,): 0, (2,): 0, (1, 2): "V"})
    with pytest.raises(UnknownNameError, match="'W'"):
        g.subs({"W": 1})
    with pytest.raises(UnknownNameError, match="'W'"):
        g.shapley(values={"W": 1})
    assert g.core_contains([0, "x"], values={"V": 2, "x": 2}) is True


def test_reports_and_pickling():
    import pickle

    g = glove_game()
    assert "| {1, 3} | 1 |" in g.to_markdown()
    assert "| 3 | 2/3 |" in g.shapley().to_markdown()
    assert pickle.loads(pickle.dumps(g)) == g
    phi = g.shapley()
    assert pickle.loads(pickle.dumps(phi)) == phi and phi.method == "Shapley value"
    assert hash(g) == hash(glove_game())
    with pytest.raises(AttributeError):
        g.x = 1
