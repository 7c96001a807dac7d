"""Tests of coopgame.repeated: grim trigger thresholds, finite-horizon unravelling, reputation."""

import itertools

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from coopgame import Game
from coopgame.errors import GameDefinitionError, ParameterError, UnknownNameError
from coopgame.repeated import (
    DiscountThreshold,
    critical_discount_factor,
    finite_horizon_unravels,
    minimum_detection_probability,
    reputation_condition,
)

R = sympy.Rational


def pd(T, Rw, P, S):
    return Game(["A", "B"], [["C", "D"], ["C", "D"]],
                {("C", "C"): [Rw, Rw], ("C", "D"): [S, T], ("D", "C"): [T, S], ("D", "D"): [P, P]})


def symbolic_pd():
    return pd("T", "R", "P", "S")


def public_goods(m, n=3):
    """n players contribute 1 or not; contributions are multiplied by m and shared equally."""
    players = [f"p{i}" for i in range(n)]
    payoffs = {}
    for prof in itertools.product(["c", "d"], repeat=n):
        k = prof.count("c")
        payoffs[prof] = [sympy.Integer(k) * m / n - (1 if s == "c" else 0) for s in prof]
    return Game(players, [["c", "d"]] * n, payoffs)


# ---------------------------------------------------------------- grim trigger
@pytest.mark.parametrize("punishment", ["nash", "minmax", ("D", "D")])
def test_prisoners_dilemma_issue_example(punishment):
    # Grim trigger in the PD (Friedman 1971): delta* = (T - R)/(T - P) = (5 - 3)/(5 - 1) = 1/2.
    # Nash reversion, minmax punishment (min_s max u = P = 1) and the profile (D, D) coincide here.
    th = critical_discount_factor(pd(5, 3, 1, 0), ("C", "C"), punishment)
    assert th.delta == R(1, 2)
    assert th.per_player == {"A": R(1, 2), "B": R(1, 2)}
    assert th.condition is sympy.true
    assert th.holds(R(1, 2)) and th.holds(0.9) and not th.holds(0.49)
    assert isinstance(th, DiscountThreshold)


def test_symbolic_prisoners_dilemma_closed_form():
    th = critical_discount_factor(symbolic_pd(), ("C", "C"), ("D", "D"))
    T, Rw, P = (sympy.Symbol(n, real=True) for n in ("T", "R", "P"))
    # in the PD regime T > R > P the Piecewise reduces to (T - R)/(T - P)
    expr = th.per_player["A"].args[1][0]
    assert sympy.simplify(expr - (T - Rw) / (T - P)) == 0
    assert th.subs({"T": 5, "R": 3, "P": 1, "S": 0}).delta == R(1, 2)
    assert th.holds(R(3, 5), {"T": 5, "R": 3, "P": 1, "S": 0})
    assert not th.holds(R(2, 5), {"T": 5, "R": 3, "P": 1, "S": 0})
    # the punishment profile's stage-equilibrium condition is P >= S
    assert th.punishment_condition == (P >= sympy.Symbol("S", real=True))


def discounted_comparison_threshold(C, D, P, horizon=4000, tol=1e-12):
    """Smallest delta with sum_t delta^t C >= D + sum_{t>=1} delta^t P, by bisection on explicit sums."""

    def coop_minus_dev(delta):
        total, w = 0.0, 1.0
        for t in range(horizon):
            total += w * (C - (D if t == 0 else P))
            w *= delta
        return total

    lo, hi = 0.0, 0.995
    if coop_minus_dev(1e-9) >= 0:
        return 0.0
    while hi - lo > tol:
        mid = (lo + hi) / 2
        if coop_minus_dev(mid) >= 0:
            hi = mid
        else:
            lo = mid
    return hi


@settings(max_examples=25)
@given(
    st.fractions(min_value=-5, max_value=5, max_denominator=5),
    st.fractions(min_value=R(1, 5), max_value=5, max_denominator=5),
    st.fractions(min_value=R(1, 5), max_value=5, max_denominator=5),
    st.fractions(min_value=R(1, 5), max_value=5, max_denominator=5),
)
def test_symbolic_threshold_equals_discounted_sum_comparison(S, a, b, c):
    # valid PD regime: T > R > P > S, drawn as increments
    P = S + a
    Rw = P + b
    T = Rw + c
    symbolic = critical_discount_factor(symbolic_pd(), ("C", "C"), ("D", "D"))
    exact = symbolic.subs({"T": T, "R": Rw, "P": P, "S": S}).delta
    if exact > R(99, 100):
        return  # the truncated sums would be inaccurate
    numeric = discounted_comparison_threshold(float(Rw), float(T), float(P))
    assert float(exact) == pytest.approx(numeric, abs=1e-8)
    # and the numeric game gives the same exact number
    assert critical_discount_factor(pd(T, Rw, P, S), ("C", "C")).delta == exact


def test_n_player_public_goods():
    # With 1 < m < 3: C = m - 1, D = 2m/3 (free-ride on two contributors), P = 0 (nobody contributes):
    # delta* = (D - C)/(D - P) = (1 - m/3)/(2m/3) = (3 - m)/(2m); m = 2 gives 1/4.
    th = critical_discount_factor(public_goods(2), ("c", "c", "c"))
    assert th.punishment_profile == ("d", "d", "d")
    assert th.delta == R(1, 4)
    m = sympy.Symbol("m", positive=True)
    sym = critical_discount_factor(public_goods(m), ("c", "c", "c"), ("d", "d", "d"))
    for value in (R(3, 2), sympy.Integer(2), R(5, 2)):
        assert sym.subs({"m": value}).delta == (3 - value) / (2 * value)


def test_asymmetric_players_take_the_maximum():
    # A: C=3, D=5, P=1 -> 1/2; B: C=2, D=6, P=0 -> 2/3.
    g = Game(["A", "B"], [["C", "D"], ["C", "D"]],
             {("C", "C"): [3, 2], ("C", "D"): [0, 6], ("D", "C"): [5, 0], ("D", "D"): [1, 0]})
    th = critical_discount_factor(g, ("C", "C"), ("D", "D"))
    assert th.per_player == {"A": R(1, 2), "B": R(2, 3)}
    assert th.delta == R(2, 3)


def test_no_gain_from_deviation_gives_zero_and_unsustainable_cooperation():
    # Cooperating in the stage equilibrium itself: nobody gains, delta* = 0.
    th = critical_discount_factor(pd(5, 3, 1, 0), ("D", "D"), ("D", "D"))
    assert th.delta == 0 and th.condition is sympy.true
    # Punishment payoff above cooperation: not sustainable at any delta.
    g = Game(["A", "B"], [["C", "D"], ["C", "D"]],
             {("C", "C"): [1, 1], ("C", "D"): [0, 3], ("D", "C"): [3, 0], ("D", "D"): [2, 2]})
    th = critical_discount_factor(g, ("C", "C"), ("D", "D"))
    assert th.condition is sympy.false
    assert not th.holds(R(99, 100))


def test_bad_input():
    g = pd(5, 3, 1, 0)
    th = critical_discount_factor(g, ("C", "C"))
    for bad in (0, 1, R(3, 2), -1):
        with pytest.raises(ParameterError, match="delta"):
            th.holds(bad)
    with pytest.raises(UnknownNameError, match="'X'"):
        critical_discount_factor(g, ("C", "X"))
    with pytest.raises(ParameterError, match="'grim'"):
        critical_discount_factor(g, ("C", "C"), "grim")
    coordination = Game(["A", "B"], [["x", "y"], ["x", "y"]],
                        {("x", "x"): [2, 2], ("x", "y"): [0, 0], ("y", "x"): [0, 0], ("y", "y"): [1, 1]})
    with pytest.raises(GameDefinitionError, match="several pure equilibria"):
        critical_discount_factor(coordination, ("x", "x"))
    with pytest.raises(ParameterError, match="'T'"):
        critical_discount_factor(symbolic_pd(), ("C", "C"), ("D", "D")).holds(R(1, 2))


# ---------------------------------------------------------------- finite horizon
def spe_first_period_profiles_two_periods(game):
    """First-period profiles of the pure subgame-perfect equilibria of the twice-repeated game, by
    brute force. Period 2 must play a stage Nash equilibrium after every first-period outcome; a
    plan (first profile f, equilibrium e(h) after each outcome h) is subgame perfect iff no player
    gains by a one-period deviation in period 1 (one-shot deviation principle; undiscounted sums)."""
    histories = game.profiles()
    stage_ne = [e.profile for e in game.pure_equilibria()]
    out = set()
    for f in histories:
        for plan in itertools.product(stage_ne, repeat=len(histories)):
            cont = dict(zip(histories, plan))
            ok = True
            for i in range(len(game.players)):
                here = game.payoff(i, f) + game.payoff(i, cont[f])
                for a in game.strategy_lists[i]:
                    dev = list(f)
                    dev[i] = a
                    dev = tuple(dev)
                    if game.payoff(i, dev) + game.payoff(i, cont[dev]) > here:
                        ok = False
                        break
                if not ok:
                    break
            if ok:
                out.add(f)
    return out


def test_finite_horizon_prisoners_dilemma_unravels():
    g = pd(5, 3, 1, 0)
    r = finite_horizon_unravels(g, 4)
    assert r.unravels and r.stage_equilibrium == ("D", "D")
    assert r.path == (("D", "D"),) * 4
    # independent check by brute force over the two-period game's strategies
    assert spe_first_period_profiles_two_periods(g) == {("D", "D")}


def test_finite_horizon_with_two_stage_equilibria_does_not_unravel():
    # Benoit and Krishna (1985): with two stage equilibria, the threat to switch to the worse one
    # sustains other play in early periods. Stage game: (M, M) and (B, B) are equilibria; (T, T)
    # is not, but in two periods (T, T) then (M, M), with (B, B) after any deviation, is an SPE.
    g = Game(["A", "B"], [["T", "M", "B"], ["T", "M", "B"]], {
        ("T", "T"): [4, 4], ("T", "M"): [0, 5], ("T", "B"): [0, 0],
        ("M", "T"): [5, 0], ("M", "M"): [3, 3], ("M", "B"): [0, 0],
        ("B", "T"): [0, 0], ("B", "M"): [0, 0], ("B", "B"): [1, 1]})
    r = finite_horizon_unravels(g, 2)
    assert not r.unravels and r.path == ()
    # deviating from (T, T) gains 5 - 4 = 1 now and loses 3 - 1 = 2 next period: (T, T) is SPE play
    assert ("T", "T") in spe_first_period_profiles_two_periods(g)


def test_finite_horizon_bad_input():
    with pytest.raises(ParameterError, match="horizon"):
        finite_horizon_unravels(pd(5, 3, 1, 0), 0)
    with pytest.raises(ParameterError, match="'P'"):
        finite_horizon_unravels(symbolic_pd(), 3)
    assert finite_horizon_unravels(symbolic_pd(), 2, values={"T": 5, "R": 3, "P": 1, "S": 0}).unravels


# ---------------------------------------------------------------- reputation
def test_reputation_closed_forms():
    r = reputation_condition()
    g, V, p, d = r.gain, r.reputation_value, r.detection_probability, r.delta
    # honest iff p * delta * V / (1 - delta) >= g (one-shot deviation; derivation in the docstring)
    assert sympy.simplify(r.minimum_detection_probability - (1 - d) * g / (d * V)) == 0
    assert sympy.simplify(r.critical_discount_factor - g / (g + p * V)) == 0
    # at the thresholds the condition holds with equality
    lhs_minus_rhs = p * d * V - (1 - d) * g
    assert sympy.simplify(lhs_minus_rhs.subs(p, r.minimum_detection_probability)) == 0
    assert sympy.simplify(lhs_minus_rhs.subs(d, r.critical_discount_factor)) == 0
    # g = 10, V = 4, delta = 9/10: p* = (1/10)(10)/((9/10) 4) = 5/18
    assert minimum_detection_probability(10, 4, R(9, 10)) == R(5, 18)


@settings(max_examples=60)
@given(
    st.fractions(min_value=0, max_value=20, max_denominator=10),
    st.fractions(min_value=R(1, 10), max_value=20, max_denominator=10),
    st.fractions(min_value=0, max_value=1, max_denominator=20),
    st.fractions(min_value=R(1, 20), max_value=R(19, 20), max_denominator=20),
)
def test_reputation_condition_equals_comparison_of_strategies(g, V, p, delta):
    # honest forever: V/(1 - delta); exploit every period until caught: (V + g)/(1 - delta(1 - p))
    # (rents measured over the no-partner payoff, which is 0 after being caught).
    honest = V / (1 - delta)
    exploit = (V + g) / (1 - delta * (1 - p))
    r = reputation_condition()
    assert r.holds({"g": g, "V": V, "p": p, "delta": delta}) == (honest >= exploit)
    numeric = reputation_condition(g, V, p, delta)
    assert bool(numeric.condition) == (honest >= exploit)


def test_reputation_bad_input():
    with pytest.raises(ParameterError, match="'p'"):
        reputation_condition(detection_probability=R(3, 2))
    with pytest.raises(ParameterError, match="delta"):
        reputation_condition(delta=1)
    with pytest.raises(ParameterError, match="'V'"):
        reputation_condition(reputation_value=0)
    with pytest.raises(ParameterError, match="'g'"):
        reputation_condition(gain=-1)


def test_values_of_other_names_are_ignored_and_missing_ones_raise():
    th = critical_discount_factor(symbolic_pd(), ("C", "C"), ("D", "D"))
    assert th.holds(R(1, 2), {"T": 5, "R": 3, "P": 1, "S": 0, "Q": 1})
    with pytest.raises(UnknownNameError, match="'Q'"):
        critical_discount_factor(symbolic_pd(), ("C", "C"), values={"Q": 1})
    with pytest.raises(ParameterError, match="'V'"):
        reputation_condition().holds({"g": 1, "p": R(1, 2), "delta": R(1, 2)})


def test_finite_horizon_unique_mixed_stage_equilibrium_unravels():
    # Matching pennies: no pure equilibrium, the unique equilibrium mixes (1/2, 1/2) for both
    # (von Neumann); repeated finitely, it is played in every period.
    mp = Game.from_arrays([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], players=["A", "B"])
    r = finite_horizon_unravels(mp, 2)
    assert r.unravels
    assert r.stage_equilibrium == ((R(1, 2), R(1, 2)), (R(1, 2), R(1, 2)))
    assert len(r.path) == 2


def test_finite_horizon_pure_and_mixed_equilibria_do_not_unravel():
    # A 3x3 game, not dominance-solvable, with one pure equilibrium (B, B) (payoffs 1, 1), a mixed one
    # on {T, M} with weights 1/2 (payoffs 1, 1) and a fully mixed one (1/4, 1/4, 1/2) with payoffs
    # (-2, -2) (indifference: 2q - 5(1 - 2q)... gives q = 1/4): each player ranks them differently.
    g = Game.bimatrix([[0, 2, -5], [2, 0, -5], [-5, -5, 1]], [[2, 0, -5], [0, 2, -5], [-5, -5, 1]],
                      strategies=[["T", "M", "B"], ["T", "M", "B"]])
    r = finite_horizon_unravels(g, 3)
    assert not r.unravels


def test_finite_horizon_undecided_cases_raise():
    # the column player is indifferent everywhere: every equilibrium pays it 0, so Benoit and
    # Krishna's condition fails, and the stage equilibria are not unique either
    g = Game.bimatrix([[2, 0], [0, 1]], [[0, 0], [0, 0]], strategies=[["x", "y"], ["x", "y"]])
    with pytest.raises(GameDefinitionError, match="two stage equilibria"):
        finite_horizon_unravels(g, 2)


def test_threshold_report_and_pickling():
    import pickle

    th = critical_discount_factor(pd(5, 3, 1, 0), ("C", "C"))
    assert "| A | 3 | 5 | 1 | 1/2 |" in th.to_markdown()
    assert pickle.loads(pickle.dumps(th)) == th


def test_no_discount_factor_works_gives_delta_none_printed_none():
    # Regression (issue 17): delta used to be (D - C)/(D - P), a meaningless number, when no
    # discount factor sustains cooperation. Here C = 1, D = 3, P = 2 for both players:
    # (3 - 1)/(3 - 2) = 2 was reported; cooperating (1) is worse than the punishment (2).
    g = Game(["A", "B"], [["C", "D"], ["C", "D"]],
             {("C", "C"): [1, 1], ("C", "D"): [0, 3], ("D", "C"): [3, 0], ("D", "D"): [2, 2]})
    th = critical_discount_factor(g, ("C", "C"), ("D", "D"))
    assert th.condition is sympy.false and th.delta is None
    assert th.per_player["A"] is None and th.per_player["B"] is None
    assert "delta* = none" in th.to_markdown()
    # Symbolic first, numbers later: the same answer through subs. With P = 2 > R = 1 the PD
    # formula (T - R)/(T - P) = (3 - 1)/(3 - 2) = 2 must not come back.
    sym = critical_discount_factor(pd("T", "R", "P", "S"), ("C", "C"), ("D", "D"))
    num = sym.subs({"T": 3, "R": 1, "P": 2, "S": 0})
    assert num.condition is sympy.false and num.delta is None and not num.holds(R(99, 100))
    # Where it is sustainable, the number stays: (5 - 3)/(5 - 1) = 1/2 (Friedman 1971).
    assert sym.subs({"T": 5, "R": 3, "P": 1, "S": 0}).delta == R(1, 2)
