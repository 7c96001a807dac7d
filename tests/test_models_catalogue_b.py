"""Tests of catalogue models 5-7: education_group, dual_teachers, integration_city.

Every expected number is derived in a comment from the payoff tables written in the modules'
docstrings (and in docs/explanation/<name>.md); the symbolic conditions are checked against an
independent numeric best-response test at random admissible parameter values.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from coopgame.errors import GameDefinitionError, ParameterError, UnknownNameError
from coopgame.models import dual_teachers as dt
from coopgame.models import education_group as eg
from coopgame.models import integration_city as ic
from coopgame.policy import outside_spending

MODELS = {"education_group": eg.education_group, "dual_teachers": dt.dual_teachers,
          "integration_city": ic.integration_city}

pos = st.fractions(min_value=Fraction(1, 10), max_value=20, max_denominator=20)
nonneg = st.fractions(min_value=0, max_value=20, max_denominator=20)
prob = st.fractions(min_value=0, max_value=1, max_denominator=20)
unit_open = st.fractions(min_value=0, max_value=Fraction(19, 20), max_denominator=20)


def strict_nash_numeric(game, values, profile) -> bool:
    """Independent check: every unilateral deviation loses strictly, from the numeric payoff arrays."""
    arrays = game.payoff_arrays(restrict(game, values), exact=True)
    idx = game.profile_index(profile)
    for i, array in enumerate(arrays):
        here = array[idx]
        for j in range(game.shape[i]):
            if j == idx[i]:
                continue
            dev = list(idx)
            dev[i] = j
            if not here > array[tuple(dev)]:
                return False
    return True


def restrict(game, values) -> dict:
    """The values of the game's own parameters (models carry values for every instrument)."""
    names = {p.name for p in game.parameters}
    return {k: v for k, v in values.items() if getattr(k, "name", k) in names}


def strict_equilibria_numeric(game, values) -> list:
    return [p for p in game.profiles() if strict_nash_numeric(game, values, p)]


# ---------------------------------------------------------------------- common to the three models
@pytest.mark.parametrize("name", sorted(MODELS))
def test_model_metadata_and_defaults(name):
    model = MODELS[name]()
    assert model.name == name
    for prm in model.parameters:
        assert prm.meaning and prm.unit and prm.default is not None, prm.name
        assert prm.domain.contains(prm.default) is True, prm.name
    assert model.assumptions_hold()
    assert model.references and model.passages and model.questions
    assert "illustrative" in model.summary
    text = model.describe()
    assert model.title in text and "illustrative" in text


@pytest.mark.parametrize("name", sorted(MODELS))
def test_status_quo_not_cooperative_and_policy_level_makes_target_unique(name):
    model = MODELS[name]()
    status_quo = model.game.subs(model.game.defaults())
    assert model.target not in strict_equilibria_numeric(status_quo, {}), "the seed's status quo is not cooperation"
    assert not model.target_stable_in_status_quo
    with_policy = model.with_policy()
    # The documented policy level makes full cooperation the only strict equilibrium.
    assert strict_equilibria_numeric(with_policy, model.values(policy=True)) == [model.target]
    symbolic = {e.profile: e for e in with_policy.pure_equilibria(strict=True)}
    assert symbolic[model.target].holds(model.values(policy=True))


@pytest.mark.parametrize("name", sorted(MODELS))
def test_instruments_switch_separately(name):
    model = MODELS[name]()
    assert model.with_policy() == model.game.with_policy(*(i for _, group in model.instruments for i in group)) \
        .with_parameters(*[p for p in model.instrument_parameters if p.name in
                           {s.name for s in model.with_policy().free_symbols}])
    for instrument in model.instrument_names:
        game = model.with_policy(instrument)
        # At the status-quo instrument levels (all zero) every instrument leaves the payoffs unchanged.
        vals = model.values()
        assert game.subs(restrict(game, vals)).payoff_table() == model.game.subs(restrict(model.game, vals)).payoff_table()
    with pytest.raises(UnknownNameError, match="no_such_instrument"):
        model.with_policy("no_such_instrument")


# ---------------------------------------------------------------------- dual_teachers
@st.composite
def dual_teacher_values(draw):
    vals = {"Q_t": draw(pos), "Q_e": draw(pos), "K": draw(pos), "G": draw(nonneg), "H": draw(nonneg),
            "D": draw(pos), "E": draw(nonneg), "W": draw(nonneg), "S_h": draw(nonneg)}
    return vals


@settings(max_examples=60)
@given(dual_teacher_values())
def test_dual_teachers_conditions_match_derivation(vals):
    model = dt.dual_teachers()
    game = model.with_policy()
    eq = {e.profile: e for e in game.pure_equilibria(strict=True)}
    F = {k: Fraction(v) for k, v in vals.items()}
    # Derivation (module docstring): (second, host) is strict iff Q_t + E > K (school, W cancels)
    # and G + H + W + S_h > D (enterprise).
    derived = F["Q_t"] + F["E"] > F["K"] and F["G"] + F["H"] + F["W"] + F["S_h"] > F["D"]
    assert eq[("second", "host")].holds(vals) == derived
    assert strict_nash_numeric(game, vals, ("second", "host")) == derived
    # (keep, refuse) is strict iff D > H + W + S_h (K > 0 always).
    assert strict_nash_numeric(game, vals, ("keep", "refuse")) == (F["D"] > F["H"] + F["W"] + F["S_h"])
    # Seconding to a refusing enterprise never pays: (second, refuse) is never strict.
    assert ("second", "refuse") not in eq
    for profile, e in eq.items():
        assert e.holds(vals) == strict_nash_numeric(game, vals, profile)


def test_dual_teachers_status_quo_and_costs():
    model = dt.dual_teachers()
    game = model.game.subs(model.game.defaults())
    # Defaults Q_t=3, Q_e=2, K=4, G=2, H=1, D=5: school's gain from seconding 3-4 < 0, enterprise's
    # gain from hosting 2+1-5 < 0 (and 1-5 < 0 alone): (keep, refuse) is the only strict equilibrium.
    assert strict_equilibria_numeric(game, {}) == [("keep", "refuse")]
    full = model.with_policy()
    # From outside: the hosting subsidy and the title salary behind the evaluation credit (the
    # share kappa_E of E); the salary reform is paid by the school.
    assert outside_spending(full, ("second", "host")) == sympy.expand(
        model.parameter("S_h").symbol + model.parameter("kappa_E").symbol * model.parameter("E").symbol)
    # No title salary where teachers are not seconded to a hosting enterprise.
    assert outside_spending(full, ("keep", "host")) == model.parameter("S_h").symbol
    assert full.payoff("school", ("second", "host")) == sympy.expand(
        sympy.Symbol("Q_t", positive=True) + sympy.Symbol("Q_e", positive=True) - sympy.Symbol("K", positive=True)
        + sympy.Symbol("E", nonnegative=True) - sympy.Symbol("W", nonnegative=True))
    # Evaluation reform alone (E large) cannot move a refusing enterprise: D > H at the defaults.
    only_eval = model.with_policy("evaluation_reform")
    assert strict_equilibria_numeric(only_eval, model.values({"E": 10})) == [("keep", "refuse")]


# ---------------------------------------------------------------------- integration_city
@st.composite
def city_values(draw):
    k = draw(pos)
    V = k + draw(pos)  # assumption V > k
    return {"V": V, "k": k, "tau": draw(unit_open), "G": draw(pos), "p": draw(prob), "F": draw(nonneg)}


def _stage(vals):
    """T, R, P, S of the stage game, from the table in the module docstring."""
    f = {k: Fraction(v) for k, v in vals.items()}
    cost = f["k"] * (1 - f["tau"])
    return f["G"] - f["p"] * f["F"], f["V"] - cost, -f["p"] * f["F"], -cost


def test_integration_city_defaults_are_a_prisoners_dilemma():
    model = ic.integration_city()
    T, R, P, S = _stage({p.name: p.default for p in model.game.parameters})
    # V=6, k=4, tau=1/4, G=8, p=1/5, F=5: T = 8-1 = 7, R = 6-3 = 3, P = -1, S = -3.
    assert (T, R, P, S) == (7, 3, -1, -3)
    assert T > R > P > S and 2 * R > T + S
    # delta* = (T-R)/(T-R+p(R-P)) = 4/(4 + 4/5) = 5/6.
    assert ic.critical_discount_factor(model.game, values=model.defaults).threshold == sympy.Rational(5, 6)
    assert dict(model.extras)["repeated"].threshold.xreplace(model.defaults) == sympy.Rational(5, 6)


def test_critical_discount_factor_reduces_to_friedman_with_full_detection():
    # With p = 1 and no sanction the bound is Friedman's (T-R)/(T-P) = (8-3)/(8-0) = 5/8.
    model = ic.integration_city()
    d = ic.critical_discount_factor(model.game, values={**model.defaults, "p": 1, "F": 0})
    assert d.threshold == sympy.Rational(5, 8)
    # With no detection opportunism is never punished: the threshold is 1 (cooperation never lasts).
    assert ic.critical_discount_factor(model.game, values={**model.defaults, "p": 0}).threshold == 1


def _values_of_play(T, R, P, delta, detect):
    """Discounted values of cooperating for ever and of one opportunistic period (then grim trigger
    on detection, cooperation otherwise), summed independently of the closed form of the module."""
    cooperate = R / (1 - delta)
    deviate = T + delta * (detect * P / (1 - delta) + (1 - detect) * R / (1 - delta))
    return cooperate, deviate


@settings(max_examples=60)
@given(city_values(), st.fractions(min_value=Fraction(1, 100), max_value=Fraction(99, 100), max_denominator=100))
def test_critical_discount_factor_separates_cooperation_from_deviation(vals, delta):
    model = ic.integration_city()
    T, R, P, S = _stage(vals)
    threshold = ic.critical_discount_factor(model.game, values=vals).threshold
    assert threshold.is_number and 0 <= threshold <= 1
    p = Fraction(vals["p"])
    cooperate, deviate = _values_of_play(T, R, P, delta, p)
    if sympy.Rational(delta) >= threshold:
        assert cooperate >= deviate
    else:
        assert cooperate < deviate


@settings(max_examples=40)
@given(city_values(), unit_open, unit_open)
def test_trust_and_detection_lower_the_threshold(vals, tau2, p2):
    model = ic.integration_city()
    base = ic.critical_discount_factor(model.game, values=vals).threshold
    more_trust = ic.critical_discount_factor(model.game, values={**vals, "tau": max(vals["tau"], tau2)}).threshold
    assert more_trust <= base
    more_detection = ic.critical_discount_factor(model.game, values={**vals, "p": max(vals["p"], p2)}).threshold
    assert more_detection <= base


def test_integration_city_platform_and_incentives():
    model = ic.integration_city()
    full = model.with_policy()
    vals = model.values(policy=True)
    # q = 1/2: detection p + q(1-p) = 1/5 + 2/5 = 3/5; expected platform sanction q(1-p)F = 2.
    assert ic.detection_probability(platform=True).xreplace(vals) == sympy.Rational(3, 5)
    # Each cooperating side receives s from outside, and the platform runs at kappa_q q whether or
    # not anyone is caught: 2 s + kappa_q q = 6 + 2 (1/2) = 7 at the target. At mutual opportunism it
    # still runs (1) and collects both platform sanctions, 2 q (1 - p) F = 2 (1/2)(4/5) 5 = 4: net -3.
    assert outside_spending(full, ("cooperate", "cooperate")).xreplace(vals) == 7
    assert outside_spending(full, ("opportunist", "opportunist")).xreplace(vals) == -3
    # Cooperation is strict in the stage game, so the threshold is 0.
    assert ic.critical_discount_factor(full, values=vals).threshold == 0
    # The platform alone (no incentive) lowers the threshold from 5/6: T = 8 - (3/5)5 = 5, R = 3,
    # P = -3, detection 3/5: (5-3)/(2 + (3/5)6) = 2/(28/5) = 5/14.
    platform_only = model.with_policy("platform")
    assert ic.critical_discount_factor(platform_only, values=vals).threshold == sympy.Rational(5, 14)


def test_integration_city_bad_input():
    model = dt.dual_teachers()
    with pytest.raises(GameDefinitionError, match="cooperate"):
        ic.critical_discount_factor(model.game)
    with pytest.raises(ParameterError, match="'p'"):
        ic.critical_discount_factor(ic.integration_city().game, values={"p": 2})


# ---------------------------------------------------------------------- education_group
def shapley_by_permutations(players, v):
    """Average marginal contribution over all orders (the definition, independent of the module)."""
    total = dict.fromkeys(players, 0)
    orders = list(itertools.permutations(players))
    for order in orders:
        before = frozenset()
        for p in order:
            total[p] += v(before | {p}) - v(before)
            before = before | {p}
    return {p: sympy.expand(t / len(orders)) for p, t in total.items()}


@pytest.mark.parametrize("enterprises", [1, 2, 3])
@pytest.mark.parametrize("rule", eg.SHARING_RULES)
def test_shares_are_efficient(enterprises, rule):
    members = eg._players(enterprises)
    for size in range(len(members) + 1):
        for contributors in itertools.combinations(members, size):
            share = eg.shares(set(contributors), members, rule)
            assert sympy.simplify(sum(share.values()) - eg.group_value(set(contributors))) == 0


@pytest.mark.parametrize("enterprises", [1, 2, 3])
def test_shapley_rule_is_the_shapley_value_of_the_contributors(enterprises):
    members = eg._players(enterprises)
    theta = sympy.Symbol("theta", nonnegative=True)
    for size in range(1, len(members) + 1):
        for contributors in itertools.combinations(members, size):
            share = eg.shares(set(contributors), members, "shapley")
            phi = shapley_by_permutations(contributors, eg.group_value)
            common = theta * eg.group_value(set(contributors)) / len(members)
            for member in contributors:
                assert sympy.simplify(share[member] - common - (1 - theta) * phi[member]) == 0


@pytest.mark.parametrize("enterprises", [1, 2, 3])
def test_equal_sharing_gain_of_contributing(enterprises):
    # Under equal sharing a member gains (its added value)/(n+1) minus its cost, whatever the others do.
    game = eg.group_game(enterprises, "equal")
    n1 = enterprises + 1
    b_s, b_e, g, c_s, c_e = (game.symbol(x) for x in ("b_s", "b_e", "g", "c_s", "c_e"))
    for profile in game.profiles():
        school_in = profile[0] == "contribute"
        m = sum(1 for x in profile[1:] if x == "contribute")
        for i in range(1, n1):
            other = list(profile)
            other[i] = "free_ride" if profile[i] == "contribute" else "contribute"
            sign = 1 if profile[i] == "contribute" else -1
            gain = sign * (game.payoff(i, profile) - game.payoff(i, tuple(other)))
            assert sympy.simplify(gain - ((b_e + (g if school_in else 0)) / n1 - c_e)) == 0
        other = ("free_ride" if school_in else "contribute",) + tuple(profile[1:])
        sign = 1 if school_in else -1
        gain = sign * (game.payoff(0, profile) - game.payoff(0, other))
        assert sympy.simplify(gain - ((b_s + g * m) / n1 - c_s)) == 0


def test_education_group_status_quo_hot_school_cold_enterprises():
    model = eg.education_group()
    game = model.game.subs(model.game.defaults())
    # b_s=9, b_e=6, g=3, c_s=2, c_e=4, n=2: school gains 9/3-2 = 1 > 0 alone (and more with partners);
    # an enterprise gains (6+3)/3-4 = -1 < 0 even when the school contributes.
    assert strict_equilibria_numeric(game, {}) == [("contribute", "free_ride", "free_ride")]
    extras = dict(model.extras)
    # Shapley sharing, theta = 1/2: enterprise's gain with the school in is
    # theta (b_e+g)/3 + (1-theta)(b_e+g/2) - c_e = 3/2 + 15/4 - 4 = 5/4 > 0; the school's, with both
    # enterprises in, (1/2)(9+6)/3 + (1/2)(9+3) - 2 = 13/2 > 0: full contribution without any penalty.
    assert strict_equilibria_numeric(extras["game_shapley"].subs(model.game.defaults()), {}) == [model.target]
    gain = (extras["game_shapley"].payoff("enterprise_1", model.target)
            - extras["game_shapley"].payoff("enterprise_1", ("contribute", "free_ride", "contribute")))
    assert gain.xreplace(model.defaults) == sympy.Rational(5, 4)
    # Proportional sharing (to costs 2, 4, 4), theta = 1/2: v(all) = 9+12+6 = 27, an enterprise gets
    # 27/6 + (1/2) 27 (4/10) - 4 = 59/10; deviating it gets (1/2)(18)/3 = 3: gain 29/10.
    gain = (extras["game_proportional"].payoff("enterprise_1", model.target)
            - extras["game_proportional"].payoff("enterprise_1", ("contribute", "free_ride", "contribute")))
    assert gain.xreplace(model.defaults) == sympy.Rational(29, 10)


@settings(max_examples=40)
@given(pos, pos, nonneg, pos, pos, prob, st.integers(1, 3))
def test_equal_sharing_full_contribution_condition(bs, be, g, cs, ce, theta, n):
    game = eg.group_game(n, "equal")
    vals = {"b_s": bs, "b_e": be, "g": g, "c_s": cs, "c_e": ce, "theta": theta}
    target = tuple("contribute" for _ in game.players)
    # Derivation: full contribution strict iff b_e + g > (n+1) c_e and b_s + n g > (n+1) c_s.
    derived = be + g > (n + 1) * ce and bs + n * g > (n + 1) * cs
    assert strict_nash_numeric(game, vals, target) == derived
    eq = {e.profile: e for e in game.pure_equilibria(strict=True)}
    assert (target in eq and eq[target].holds(vals)) == derived


@pytest.mark.parametrize("enterprises", [1, 2, 3, 4])
def test_minimum_council_instrument_grows_with_group_size(enterprises):
    # The penalty plus reputation an enterprise needs is c_e - (b_e + g)/(n+1), increasing in n:
    # at the defaults 4 - 9/(n+1) = -1/2, 1, 7/4, 11/5 for n = 1..4 (a pair needs no council at all).
    expected = {1: sympy.Rational(-1, 2), 2: 1, 3: sympy.Rational(7, 4), 4: sympy.Rational(11, 5)}[enterprises]
    model = eg.education_group(enterprises)
    full = model.with_policy()
    target = model.target
    if expected < 0:
        assert strict_nash_numeric(full, model.values(), target)
        return
    below = model.values({"F": expected - sympy.Rational(1, 100), "rho": 0})
    above = model.values({"F": expected + sympy.Rational(1, 100), "rho": 0})
    assert not strict_nash_numeric(full, below, target)
    assert strict_nash_numeric(full, above, target)


def test_education_group_bad_input():
    with pytest.raises(ParameterError, match="enterprises"):
        eg.education_group(enterprises=0)
    with pytest.raises(UnknownNameError, match="bogus"):
        eg.education_group(sharing="bogus")
    with pytest.raises(UnknownNameError, match="enterprise_9"):
        eg.shares({"enterprise_9"}, ("school", "enterprise_1"))


def test_benefit_distribution_shapley_core_and_equal_split():
    bd = eg.benefit_distribution()
    value = dict(bd.value)

    def v(coalition):
        return value[frozenset(coalition)] if coalition else sympy.Integer(0)

    brute = shapley_by_permutations(bd.players, v)
    for player, phi in bd.shapley().items():
        assert sympy.simplify(phi - brute[player]) == 0
    # Defaults o_e=4, o_s=1, w=6, a=2, p_g=3: Shapley (1, 2/3, 4+3+5/3, 1+3+5/3) = (1, 2/3, 26/3, 17/3).
    defaults = {p.symbol: p.default for p in bd.parameters}
    assert [bd.shapley()[p].xreplace(defaults) for p in bd.players] == \
        [1, sympy.Rational(2, 3), sympy.Rational(26, 3), sympy.Rational(17, 3)]
    assert bd.core_violations(bd.shapley()) == []
    # Equal split 16/4 = 4 each: enterprise and school get 8 < o_e + o_s + w = 11 (shortfall 3).
    violations = dict(bd.core_violations(bd.equal_split()))
    assert violations[frozenset({"enterprise", "school"})] == 3


@settings(max_examples=40)
@given(nonneg, nonneg, pos, nonneg, nonneg)
def test_benefit_distribution_is_convex_and_shapley_in_core(oe, os_, w, a, pg):
    bd = eg.benefit_distribution()
    vals = {"o_e": oe, "o_s": os_, "w": w, "a": a, "p_g": pg}
    v = bd.characteristic(vals)
    v[frozenset()] = 0
    for S, T in itertools.product(v, repeat=2):  # supermodularity: v(S|T) + v(S&T) >= v(S) + v(T)
        assert v[S | T] + v[S & T] >= v[S] + v[T]
    assert bd.core_violations(bd.shapley(), vals) == []
    assert math.isclose(float(sum(bd.shapley()[p].xreplace({s.symbol: vals[s.name] for s in bd.parameters})
                                  for p in bd.players)), float(v[frozenset(bd.players)]), rel_tol=0, abs_tol=1e-12)


def test_symbolic_equilibria_agree_with_numeric_on_a_grid():
    # Vectorised cross-check of the symbolic strict-equilibrium conditions of the three status-quo
    # games and of the group's games under the other sharing rules, at 2000 random admissible points
    # each (seeded generator). Values are multiples of 1/16, so float sums and products of them are
    # exact; the proportional rule divides, so points within 1e-9 of a tie (where the float sign of a
    # payoff difference is not trustworthy) are left out.
    rng = np.random.default_rng(20261125)
    size = 2000
    cases = [(build(), build().game) for build in MODELS.values()]
    group = eg.education_group()
    cases += [(group, game) for name, game in group.extras if name.startswith("game_")]  # other sharing rules
    for model, game in cases:
        f, syms = game.lambdify()
        columns = []
        for sym in syms:
            interval = game.parameter(sym.name).domain.interval
            if interval.end == 1:  # probabilities and shares: k/16
                low, high = 0, (15 if interval.right_open else 16)
            else:  # positive or nonnegative amounts up to 20
                low, high = (1 if interval.left_open else 0), 320
            columns.append(rng.integers(low, high, size=size, endpoint=True) / 16)
        payoffs = f(*columns)  # shape (N, n_1, ..., n_N, size)
        admissible = np.ones(size, dtype=bool)
        for rel in model.assumptions:
            admissible &= np.asarray(sympy.lambdify(syms, rel, "numpy")(*columns), dtype=bool)
        assert admissible.sum() > size // 10
        for profile in game.profiles():
            idx = game.profile_index(profile)
            strict = np.ones(size, dtype=bool)
            clear = admissible.copy()
            for i in range(len(game.players)):
                for j in range(game.shape[i]):
                    if j != idx[i]:
                        dev = list(idx)
                        dev[i] = j
                        difference = payoffs[(i,) + idx] - payoffs[(i,) + tuple(dev)]
                        strict &= difference > 0
                        clear &= np.abs(difference) > 1e-9
            symbolic = [e for e in game.pure_equilibria(strict=True) if e.profile == tuple(profile)]
            claimed = (np.broadcast_to(np.asarray(sympy.lambdify(syms, symbolic[0].condition, "numpy")(*columns),
                                                  dtype=bool), (size,))
                       if symbolic else np.zeros(size, dtype=bool))
            assert clear.sum() > size // 20
            assert np.array_equal(claimed[clear], strict[clear]), (model.name, game.name, profile)


def test_full_detection_threshold_equals_grim_trigger_of_coopgame_repeated():
    # With p = 1 the partner always sees opportunism: the bound must be coopgame.repeated's grim trigger
    # with Nash reversion, (T-R)/(T-P) [Friedman1971], computed there from the stage game.
    from coopgame.repeated import critical_discount_factor as grim

    model = ic.integration_city()
    for overrides in ({"p": 1, "F": 0}, {"p": 1, "F": 1}, {"p": 1, "F": 1, "tau": sympy.Rational(1, 2)}):
        vals = {**model.defaults, **{model.parameter(k).symbol: v for k, v in overrides.items()}}
        stage = model.game.subs(restrict(model.game, vals))
        ours = ic.critical_discount_factor(model.game, values=vals).threshold
        assert ours == grim(stage, ("cooperate", "cooperate")).delta


def test_benefit_distribution_agrees_with_coopgame_cooperative():
    # The closed-form Shapley value (unanimity decomposition) equals TUGame.shapley(); TUGame finds the
    # game convex for every admissible parameter value and the Shapley value in the core, while at the
    # defaults the equal split is outside it (the enterprise-school coalition is short by 3).
    bd = eg.benefit_distribution()
    tu = bd.tu_game()
    phi = tu.shapley()
    for player, value in bd.shapley().items():
        assert sympy.expand(phi[player] - value) == 0
    assert tu.is_convex() is True
    defaults = {p.name: p.default for p in bd.parameters}
    assert tu.core_contains(dict(bd.shapley()), values=defaults) is True
    assert tu.core_contains(dict(bd.equal_split()), values=defaults) is False


@pytest.mark.parametrize("enterprises", [1, 2, 3])
@pytest.mark.parametrize("rule", eg.SHARING_RULES)
def test_education_group_variants_document_their_policy_level(enterprises, rule):
    # Every group size and sharing rule documents a council level making full contribution the only
    # strict equilibrium, and flags whether the status quo already has it (equal sharing with n >= 2
    # does not: (b_e + g)/(n+1) < c_e = 4 at the defaults, as 9/3 = 3 and 9/4 < 4).
    model = eg.education_group(enterprises, rule)
    full = model.with_policy()
    assert strict_equilibria_numeric(full, model.values(policy=True)) == [model.target]
    in_status_quo = model.target in strict_equilibria_numeric(model.game, model.values())
    assert model.target_stable_in_status_quo == in_status_quo
    assert in_status_quo == (rule != "equal" or enterprises == 1)


def test_findings_extra_sections_carry_the_derived_numbers():
    # integration_city: tau = 0, p = 1: cost 4, R = 2, T = 8 - 5 = 3, P = -5, so (3-2)/(1 + 7) = 1/8;
    # q = 1/4 with the platform: detection 1/5 + (1/4)(4/5) = 2/5, T = 8 - 2 = 6, R = 3, P = -2:
    # 3/(3 + (2/5) 5) = 3/5.
    text = ic.findings_extra(ic.integration_city())
    assert "| tau = 0 | 1 | 25/28 | 14/23 | 1/8 |" in text
    assert "q = 1/4: 3/5" in text
    # education_group: n = 3 under equal sharing, (6+3)/4 - 4 = -7/4; Shapley, theta = 1/2:
    # (1/2)(9/4) + (1/2)(6 + 3/2) - 4 = 9/8 + 15/4 - 4 = 7/8.
    text = eg.findings_extra(eg.education_group())
    assert "| 3 | -7/4 | 127/56 | 7/8 | more than 7/4 |" in text
    assert "{enterprise, school} short by 3" in text
    # dual_teachers: K - Q_t = 1, D - G - H = 2, D - H = 4.
    text = dt.findings_extra(dt.dual_teachers())
    assert "E > K - Q_t = 1" in text and "W + S_h > D - G - H = 2" in text and "2 < W + S_h < 4" in text


def test_cooperation_threshold_sustains():
    model = ic.integration_city()
    numeric = ic.critical_discount_factor(model.game, values=model.defaults)  # threshold 5/6 (derived above)
    assert numeric.sustains(sympy.Rational(5, 6)) and numeric.sustains(0.9) and not numeric.sustains(0.8)
    with pytest.raises(ParameterError, match="delta"):
        numeric.sustains(1)
    with pytest.raises(ParameterError, match="symbolic"):
        ic.critical_discount_factor(model.game).sustains(0.5)


@pytest.mark.parametrize("rule", eg.SHARING_RULES)
def test_closed_forms_in_the_group_size_match_the_enumerated_games(rule):
    # The closed forms in n (derived in the docstring of full_contribution_gains) against the gains read
    # off the games built by enumerating every profile, for n = 1..4, at the defaults and at two other
    # points; full contribution is strict iff both closed-form gains are positive.
    symbolic = eg.full_contribution_gains(rule)
    points = ({}, {"b_s": 1, "b_e": 2, "g": 5, "c_s": 1, "c_e": 3, "theta": Fraction(1, 3)},
              {"b_s": 7, "b_e": 1, "g": 1, "c_s": 2, "c_e": 1, "theta": 0})
    for n in range(1, 5):
        game = eg.group_game(n, rule)
        target = tuple("contribute" for _ in game.players)
        for point in points:
            values = {**{p.name: p.default for p in game.parameters}, **point}
            at = {game.symbol(k): sympy.Rational(v) for k, v in values.items()}
            exact = {k: sympy.simplify(v.xreplace({eg.n_enterprises: n}).xreplace(at)) for k, v in symbolic.items()}
            gains = eg._target_gains(game.subs(values).with_name(None))
            assert gains[0] == exact["school"], (rule, n, point)
            assert all(x == exact["enterprise"] for x in gains[1:]), (rule, n, point)
            both_positive = exact["school"] > 0 and exact["enterprise"] > 0
            assert strict_nash_numeric(game, values, target) == both_positive, (rule, n, point)
