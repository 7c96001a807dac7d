"""Mechanisms beyond static payoffs: dynamic penalties, perceived payoffs, noise, delays, one population.

Every expected number is derived in the test (or names its textbook source).
"""

import math

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from coopgame import Game, Parameter
from coopgame.dynamics.delay import _numeric_block, integrate_dde, linear_critical_delay, matrix_critical_delay
from coopgame.dynamics.sde import _sde_functions, integrate_sde
from coopgame.dynamics.stability import Stability
from coopgame.errors import GameDefinitionError, ParameterError, StateDependentGameError, UnknownNameError
from coopgame.parameters import POSITIVE
from coopgame.perception import MentalAccounting, Prelec, ProspectTheory, TverskyKahneman, value_function
from coopgame.policy import Penalty
from coopgame.testing import games

R = sympy.Rational


# ---------------------------------------------------------------------------------------------
# Dynamic penalty on a two-population inspection game
# ---------------------------------------------------------------------------------------------
def inspection(dynamic: bool):
    """Government inspect/lax (cost c, loss L when lax meets violation, fine F collected);
    enterprise comply (cost k) / violate (fine F if inspected).  The dynamic variant adds the
    penalty P*(1 - x_enterprise) on violation."""
    g = Game(["government", "enterprise"], {"government": ["inspect", "lax"], "enterprise": ["comply", "violate"]},
             {("inspect", "comply"): ["-c", "-k"], ("inspect", "violate"): ["F - c", "-F"],
              ("lax", "comply"): [0, "-k"], ("lax", "violate"): ["-L", 0]},
             parameters=[Parameter(n, domain=POSITIVE) for n in ["c", "k", "F", "L"]])
    if dynamic:
        g = g.with_policy(Penalty(on="enterprise", amount="P*(1 - x_enterprise)", when={"enterprise": "violate"}))
    return g


VALUES = {"c": 1, "k": 1, "F": 3, "L": 1}


def test_static_inspection_interior_is_a_centre():
    # By hand: x_g' = x_g(1-x_g)(F + L - c - (F + L) x_e), x_e' = x_e(1-x_e)(F x_g - k).
    # Interior: x_g = k/F = 1/3, x_e = 1 - c/(F+L) = 3/4. The Jacobian there has zero diagonal
    # (no payoff depends on its own population), J12 = -x_g(1-x_g)(F+L) = -8/9,
    # J21 = x_e(1-x_e)F = 9/16: eigenvalues +-i sqrt(1/2), a centre.
    table = inspection(False).replicator().stability(VALUES)
    row = [r for r in table if r.point.kind == "interior"][0]
    assert row.point.point == (R(1, 3), R(3, 4))
    assert row.trace == 0 and row.det == R(8, 9) * R(9, 16)
    assert row.stability is Stability.NON_HYPERBOLIC


def test_dynamic_penalty_makes_interior_asymptotically_stable():
    # By hand, with P: x_e' = x_e(1-x_e)(F x_g - k + P(1 - x_e)); x_e* = 3/4 as before and
    # x_g* = (k - P(1 - x_e*))/F = (1 - 2/4)/3 = 1/6 at P = 2. Now J22 = x_e(1-x_e)(-P) = -3/8 and
    # det = x_g(1-x_g)(F+L) * x_e(1-x_e)F = (5/36)(4)(3/16)(3) = 5/16 > 0: trace < 0, det > 0.
    rd = inspection(True).replicator()
    table = rd.stability({**VALUES, "P": 2})
    row = [r for r in table if r.point.kind == "interior"][0]
    assert row.point.point == (R(1, 6), R(3, 4))
    assert row.trace == R(-3, 8) and row.det == R(5, 16)
    assert row.stability is Stability.ASYMPTOTICALLY_STABLE


def test_dynamic_penalty_symbolic_trace_and_spot_checks():
    # Symbolically the trace at the interior is -P x_e(1-x_e) = P c (c - F - L)/(F + L)^2.
    rd = inspection(True).replicator()
    table = rd.stability()
    row = [r for r in table if r.point.kind == "interior"][0]
    P, c, F, L = (rd.game.symbol(n) for n in "PcFL")
    assert sympy.simplify(row.trace - P * c * (c - F - L) / (F + L) ** 2) == 0
    rng = np.random.default_rng(5)
    for _ in range(4):  # symbolic condition = numeric verdict at random admissible points
        vals = {"c": R(int(rng.integers(1, 4))), "k": R(int(rng.integers(1, 4))), "F": R(int(rng.integers(2, 6))),
                "L": R(int(rng.integers(1, 4))), "P": R(int(rng.integers(1, 5)), 2)}
        num = [r for r in rd.stability(vals) if r.point.kind == "interior"]
        cond = row.condition.xreplace({rd.game.symbol(k): v for k, v in vals.items()})
        if num:
            assert bool(cond) == (num[0].stability is Stability.ASYMPTOTICALLY_STABLE)
        else:
            assert not bool(cond)


def test_trajectories_confirm_centre_and_focus():
    start = [[0.3, 0.5]]
    static = inspection(False).replicator().simulate(VALUES, start, 60.0, n_points=601)
    centre = np.array([1 / 3, 3 / 4])
    d_static = np.linalg.norm(static.states[0] - centre, axis=1)
    # a centre: the orbit keeps its distance range (no convergence)
    assert d_static[-100:].max() > 0.5 * d_static[0]
    dyn = inspection(True).replicator().simulate({**VALUES, "P": 2}, start, 200.0, n_points=201)
    assert np.max(np.abs(dyn.final[0] - np.array([1 / 6, 3 / 4]))) < 1e-4


def test_nash_analyses_refuse_state_dependent_games():
    g = inspection(True)
    for call in (lambda: g.pure_equilibria(), lambda: g.nash_equilibria({**VALUES, "P": 2})):
        with pytest.raises(StateDependentGameError, match="x_enterprise"):
            call()


def test_state_values_are_refused_as_parameters():
    with pytest.raises(ParameterError, match="x_enterprise"):
        inspection(True).replicator().stability({**VALUES, "P": 2, "x_enterprise": R(1, 2)})


# ---------------------------------------------------------------------------------------------
# Prospect theory
# ---------------------------------------------------------------------------------------------
def test_value_function_by_hand():
    g = Game.bimatrix([[4, -1], [0, 9]], [[1, -4], [0, 0]])
    h = ProspectTheory(R(1, 2), R(1, 2), 2, reference=0).apply(g)
    # v(4) = 4^(1/2) = 2; v(-1) = -2 * 1^(1/2) = -2; v(9) = 3; v(-4) = -2 * 2 = -4; v(0) = 0
    assert h.payoffs(("s1", "s1")) == (2, 1)
    assert h.payoffs(("s1", "s2")) == (-2, -4)
    assert h.payoffs(("s2", "s2")) == (3, 0)
    # reference 1: v(4) = 3^(1/2); v(0) = -2 * 1 = -2
    h1 = ProspectTheory(R(1, 2), 1, 2, reference=1, players=["row"]).apply(g)
    assert h1.payoffs(("s1", "s1")) == (sympy.sqrt(3), 1)
    assert h1.payoffs(("s2", "s1")) == (-2, 0)
    assert h1.policies[-1].describe() == "prospect theory"


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(-5, 5), min_size=8, max_size=8))
def test_identity_parameters_give_back_the_game(entries):
    A = [entries[:2], entries[2:4]]
    B = [entries[4:6], entries[6:]]
    g = Game.bimatrix(A, B)
    assert ProspectTheory(1, 1, 1).apply(g).payoff_table() == g.payoff_table()


def test_symbolic_parameters_and_perceived_table():
    g = Game.bimatrix([["w - e", "-e"], [0, 0]], [[1, 0], [0, 1]],
                      parameters=[Parameter("w", domain=POSITIVE), Parameter("e", domain=POSITIVE)])
    h = g.with_perception(ProspectTheory("alpha", "beta", "lambda_", players=["row"]))
    v = h.payoff("row", ("s1", "s2"))
    e, lam, beta = h.symbol("e"), h.symbol("lambda_"), h.symbol("beta")
    assert sympy.simplify(v - (-lam * e ** beta)) == 0  # -e < 0 decided by e's domain
    assert isinstance(h.payoff("row", ("s1", "s1")), sympy.Piecewise)  # sign of w - e undecided
    at = h.subs({"w": 3, "e": 1, "alpha": R(1, 2), "beta": 1, "lambda_": 2})
    assert at.payoff("row", ("s1", "s1")) == sympy.sqrt(2) and at.payoff("row", ("s1", "s2")) == -2


def test_probability_weighting():
    # Prelec(gamma=1/2, delta=1) at p = exp(-1): (-ln p)^(1/2) = 1, so w = exp(-1).
    assert sympy.simplify(Prelec(R(1, 2), 1).weight(sympy.exp(-1)) - sympy.exp(-1)) == 0
    # Tversky-Kahneman at p = 1/2 with gamma = 1/2: (1/2)^(1/2) / (2 (1/2)^(1/2))^2 = 1/(2 sqrt(2)) ...
    w = TverskyKahneman(R(1, 2)).weight(R(1, 2))
    assert sympy.simplify(w - sympy.sqrt(R(1, 2)) / (2 * sympy.sqrt(R(1, 2))) ** 2) == 0
    g = Game.bimatrix([["-p*F", 0], [0, 0]], [[1, 0], [0, 1]],
                      parameters=[Parameter("p", domain=POSITIVE), Parameter("F", domain=POSITIVE)])
    with pytest.raises(ParameterError, match="'p'"):  # p's domain is not a probability's
        ProspectTheory(1, 1, 1, weighting=Prelec(R(1, 2)), probabilities=["p"]).apply(g)
    from coopgame.parameters import PROBABILITY
    g = Game.bimatrix([["-p*F", 0], [0, 0]], [[1, 0], [0, 1]],
                      parameters=[Parameter("p", domain=PROBABILITY), Parameter("F", domain=POSITIVE)])
    h = ProspectTheory(1, 1, 2, weighting=Prelec(R(1, 2)), probabilities=["p"]).apply(g)
    p, F = h.symbol("p"), h.symbol("F")
    expected = -2 * F * sympy.exp(-sympy.sqrt(-sympy.log(p)))  # v(-w(p) F) = -lambda w(p) F
    assert sympy.simplify(h.payoff("row", ("s1", "s1")) - expected) == 0


def test_value_function_branches():
    x = sympy.Symbol("x", real=True)
    assert value_function(-8, 1, R(1, 3), 3) == -6
    assert isinstance(value_function(x, R(1, 2), R(1, 2), 2), sympy.Piecewise)


# ---------------------------------------------------------------------------------------------
# Mental accounting (Thaler 1985)
# ---------------------------------------------------------------------------------------------
def accounts_game():
    """Row's payoff V - C - w + s: labour value, training cost, wage, subsidy (Subsidy instrument)."""
    from coopgame.policy import Subsidy

    g = Game.bimatrix([["V - C - w", "-C"], ["V", 0]], [[1, 0], [0, 1]],
                      parameters=[Parameter(n, domain=POSITIVE) for n in ["V", "C", "w"]])
    return g.with_policy(Subsidy("row", "s", when={"row": "s1"}, label="training subsidy"))


@settings(max_examples=12, deadline=None)
@given(st.integers(1, 7), st.integers(1, 7), st.integers(1, 7), st.integers(0, 6),
       st.sampled_from([R(1, 2), R(22, 25), 1]), st.sampled_from([R(1, 3), 1]), st.sampled_from([1, R(9, 4)]),
       st.integers(-2, 2))
def test_one_account_is_prospect_theory_on_the_total(V, C, w, s, alpha, beta, lam, ref):
    g = accounts_game()
    vals = {"V": V, "C": C, "w": w, "s": s}  # V, C, w are positive by domain, s nonnegative
    # No account named: every component is in "other", valued once on the total = prospect theory.
    ma = MentalAccounting({}, alpha, beta, lam, reference=ref).apply(g).subs(vals)
    pt = ProspectTheory(alpha, beta, lam, reference=ref).apply(g).subs(vals)
    for prof in g.profiles():
        for a, b in zip(ma.payoffs(prof), pt.payoffs(prof)):
            assert sympy.simplify(a - b) == 0
    # One account holding every item of row's payoffs: the same for row (its "other" account is
    # empty and not valued; column's constant payoffs would sit in "other", reference 0).
    one = MentalAccounting({"all": ["V", "C", "w", "training subsidy"]}, alpha, beta, lam,
                           reference={"all": ref}, players=["row"]).apply(g).subs(vals)
    pt_row = ProspectTheory(alpha, beta, lam, reference=ref, players=["row"]).apply(g).subs(vals)
    for prof in g.profiles():
        for a, b in zip(one.payoffs(prof), pt_row.payoffs(prof)):
            assert sympy.simplify(a - b) == 0


def test_linear_value_gives_back_the_game():
    g = accounts_game()
    ma = MentalAccounting({"labour": ["V"], "training": ["C", "w"], "subsidy": ["training subsidy"]}, 1, 1, 1)
    h = ma.apply(g)
    # v(b) = b for every account: the sum of the balances is the payoff.
    assert h.payoff_table() == g.payoff_table()
    assert h.policies[-1] is ma and h.policies[-1].describe() == "mental accounting"


def test_segregated_gains_are_worth_more_under_concave_gains():
    # Derivation: for 0 < alpha < 1, f(t) = t^alpha is strictly concave with f(0) = 0, so for
    # a, b > 0: f(a) > (a/(a+b)) f(a+b) and f(b) > (b/(a+b)) f(a+b); adding, f(a) + f(b) > f(a+b).
    # At alpha = 1/2, a = 4, b = 9: segregated 2 + 3 = 5, integrated sqrt(13) (< 5 since 13 < 25).
    g = Game.bimatrix([["a + b", 0], [0, 0]], [[0, 0], [0, 0]],
                      parameters=[Parameter("a", domain=POSITIVE), Parameter("b", domain=POSITIVE)])
    seg = MentalAccounting({"A": ["a"], "B": ["b"]}, R(1, 2), 1, 1, players=["row"]).apply(g)
    integ = MentalAccounting({"A": ["a", "b"]}, R(1, 2), 1, 1, players=["row"]).apply(g)
    a, b = g.symbol("a"), g.symbol("b")
    assert seg.payoff("row", ("s1", "s1")) == sympy.sqrt(a) + sympy.sqrt(b)
    assert integ.payoff("row", ("s1", "s1")) == sympy.sqrt(a + b)
    assert seg.subs({"a": 4, "b": 9}).payoff("row", ("s1", "s1")) == 5
    assert integ.subs({"a": 4, "b": 9}).payoff("row", ("s1", "s1")) == sympy.sqrt(13)
    rng = np.random.default_rng(3)
    for _ in range(20):
        x, y = (sympy.Rational(int(v), 7) for v in rng.integers(1, 100, size=2))
        al = sympy.Rational(int(rng.integers(1, 9)), 10)
        assert x ** al + y ** al > (x + y) ** al
    # Losses (convex, beta = 1/2, lambda = 2): integrated -2 sqrt(13) hurts less than -2(2 + 3) = -10.
    h = Game.bimatrix([["-a - b", 0], [0, 0]], [[0, 0], [0, 0]],
                      parameters=[Parameter("a", domain=POSITIVE), Parameter("b", domain=POSITIVE)])
    lseg = MentalAccounting({"A": ["a"], "B": ["b"]}, 1, R(1, 2), 2).apply(h).subs({"a": 4, "b": 9})
    linteg = MentalAccounting({}, 1, R(1, 2), 2).apply(h).subs({"a": 4, "b": 9})
    assert lseg.payoff("row", ("s1", "s1")) == -10
    assert linteg.payoff("row", ("s1", "s1")) == -2 * sympy.sqrt(13)


def test_accounts_by_hand_with_an_instrument_account():
    g = accounts_game()
    ma = MentalAccounting({"training": ["C", "w"], "subsidy": ["training subsidy"]}, R(1, 2), 1, 2,
                          players=["row"])
    V, C, w, s = (g.symbol(n) for n in ["V", "C", "w", "s"])
    assert ma.split(g, "row", ("s1", "s1")) == {"training": -C - w, "subsidy": s, "other": V}
    h = ma.apply(g)
    # v(V) + v(-C - w) + v(s) with v(u) = u^(1/2) (u >= 0), -2(-u) (u < 0); s's sign is undecided.
    got = h.payoff("row", ("s1", "s1"))
    at = {V: 9, C: 1, w: 2, s: 4}
    assert got.subs(at) == 3 - 2 * 3 + 2
    assert h.payoff("row", ("s2", "s2")) == 0 and h.payoff("column", ("s1", "s1")) == 1


def test_mental_accounting_bad_input():
    g = accounts_game()
    with pytest.raises(UnknownNameError, match="'nope'"):
        MentalAccounting({"x": ["nope"]}, 1, 1, 1).apply(g)
    with pytest.raises(ParameterError, match="'C'"):
        MentalAccounting({"x": ["C"], "y": ["C"]}, 1, 1, 1)
    with pytest.raises(ParameterError, match="'other'"):
        MentalAccounting({"other": ["C"]}, 1, 1, 1)
    with pytest.raises(ParameterError, match="alpha"):
        MentalAccounting({}, 0, 1, 1)
    k = Game.bimatrix([["a*b", 0], [0, 0]], [[0, 0], [0, 0]])
    with pytest.raises(ParameterError, match="a\\*b"):
        MentalAccounting({"A": ["a"], "B": ["b"]}, 1, 1, 1).apply(k)


# ---------------------------------------------------------------------------------------------
# Stochastic dynamics
# ---------------------------------------------------------------------------------------------
def coordination():
    return Game.bimatrix([[3, 0], [0, 1]], [[2, 0], [0, 1]], strategies=[["a", "b"]] * 2)


def test_sigma_zero_is_the_deterministic_solution():
    rd = coordination().replicator()
    start = [[0.3, 0.6], [0.5, 0.2]]
    res = rd.simulate_sde(None, start, 5.0, 0.0, np.random.default_rng(0), dt=1e-3, paths=2)
    ode = rd.simulate(None, start, 5.0, n_points=101)
    for k in range(2):
        for j in range(2):  # Euler with dt = 1e-3: global error O(dt); |f'| <= 3 here
            assert np.max(np.abs(res.states[k, j] - ode.states[k])) < 5e-3


def _gbm_errors(method, mu=1.5, sigma=1.0, T=1.0, fine=2 ** 10, levels=(2 ** 4, 2 ** 5, 2 ** 6, 2 ** 7),
                paths=4000, seed=11):
    rng = np.random.default_rng(seed)
    dW = rng.standard_normal((fine, 1, paths)) * math.sqrt(T / fine)
    exact = np.exp((mu - sigma ** 2 / 2) * T + sigma * dW.sum(axis=0))[0]
    errs = []
    for n in levels:
        inc = dW.reshape(n, fine // n, 1, paths).sum(axis=1)
        Y = integrate_sde(lambda y: mu * y, lambda y: sigma * y, np.ones((1, paths)), T, n, method=method,
                          diffusion_derivative=lambda y: sigma + 0 * y, increments=inc)
        errs.append(np.mean(np.abs(Y[-1, 0] - exact)))
    dts = T / np.array(levels, dtype=float)
    return np.polyfit(np.log(dts), np.log(errs), 1)[0]


def test_strong_orders_on_geometric_brownian_motion():
    # GBM: X_T = exp((mu - sigma^2/2) T + sigma W_T) (Kloeden & Platen 1992, Section 4.4);
    # strong orders 1/2 (Euler-Maruyama) and 1 (Milstein), Kloeden & Platen Sections 10.2-10.3.
    em = _gbm_errors("euler-maruyama")
    mil = _gbm_errors("milstein")
    assert 0.35 < em < 0.7, em
    assert 0.85 < mil < 1.2, mil


def _slope(levels, errs, T):
    return np.polyfit(np.log(T / np.array(levels, dtype=float)), np.log(errs), 1)[0]


def test_replicator_milstein_strong_order_one_on_a_known_solution():
    # Row's payoff difference D(x) = c - sigma^2 (x - 1/2) (a state-dependent payoff), diffusion
    # sigma x (1 - x). Ito's formula for y = log(x/(1 - x)): y' = 1/(x(1-x)),
    # y'' = (2x - 1)/(x(1-x))^2, so dy = [D + sigma^2 (x - 1/2)] dt + sigma dW = c dt + sigma dW and
    # x_T = 1/(1 + exp(-(y_0 + c T + sigma W_T))) exactly. With sigma = 1/2, c = 1/2.
    sigma, c, T, x0 = 0.5, 0.5, 1.0, 0.3
    g = Game.bimatrix([["1/2 - (x_row - 1/2)/4", "1/2 - (x_row - 1/2)/4"], [0, 0]], [[0, 0], [0, 0]])
    numeric = g.replicator()._numeric(None)
    drift, diffusion, deriv, project = _sde_functions(numeric, np.array([sigma, 0.0]))
    paths, fine, levels = 2500, 2 ** 10, (2 ** 4, 2 ** 5, 2 ** 6, 2 ** 7)
    dW = np.random.default_rng(5).standard_normal((fine, 2, paths)) * math.sqrt(T / fine)
    y0 = math.log(x0 / (1 - x0))
    exact = 1 / (1 + np.exp(-(y0 + c * T + sigma * dW[:, 0].sum(axis=0))))
    start = np.tile([[x0], [0.5]], (1, paths))

    def errors(method, derivative):
        out = []
        for n in levels:
            inc = dW.reshape(n, fine // n, 2, paths).sum(axis=1)
            Y = integrate_sde(drift, diffusion, start, T, n, method=method, diffusion_derivative=derivative,
                              increments=inc)
            out.append(np.mean(np.abs(Y[-1, 0] - exact)))
        return out

    mil = _slope(levels, errors("milstein", deriv), T)
    em = _slope(levels, errors("euler-maruyama", None), T)
    assert 0.85 < mil < 1.2, mil  # Kloeden & Platen 1992, Section 10.3
    assert 0.35 < em < 0.7, em  # Section 10.2
    # d(sigma g)/dx = sigma (1 - 2x): a derivative without the factor sigma loses the order
    wrong = _slope(levels, errors("milstein", lambda Y: 1.0 - 2.0 * Y), T)
    assert wrong < 0.75, wrong


def test_milstein_with_three_strategies_and_commutative_noise():
    # Row has three strategies (rock-paper-scissors against a two-strategy column). Noise on x_R
    # only: the commutativity condition L^j b^k = L^k b^j holds (the other coordinates have b = 0),
    # and Milstein with d(b_R)/dx_R = sigma (x_last - x_R) is strong order 1 (Kloeden & Platen 1992,
    # Section 10.3). The reference is the same scheme on the same Brownian path with 2^10 steps.
    g = Game.bimatrix([[0, -1], [1, 0], [-1, 1]], [[1, 0], [0, 2], [2, 0]])
    rd = g.replicator()
    numeric = rd._numeric(None)
    sig = np.array([3.0, 0.0, 0.0])  # large enough that the noise term dominates Euler's error
    drift, diffusion, deriv, project = _sde_functions(numeric, sig)
    T, paths, fine, levels = 1.0, 2000, 2 ** 10, (2 ** 3, 2 ** 4, 2 ** 5, 2 ** 6)
    dW = np.random.default_rng(8).standard_normal((fine, 3, paths)) * math.sqrt(T / fine)
    start = np.tile([[0.4], [0.2], [0.5]], (1, paths))
    ref = integrate_sde(drift, diffusion, start, T, fine, method="milstein", diffusion_derivative=deriv,
                        increments=dW, project=project)[-1]
    errs = {m: [] for m in ("milstein", "euler-maruyama")}
    for n in levels:
        inc = dW.reshape(n, fine // n, 3, paths).sum(axis=1)
        for m in errs:
            Y = integrate_sde(drift, diffusion, start, T, n, method=m, diffusion_derivative=deriv, increments=inc,
                              project=project)
            errs[m].append(np.mean(np.max(np.abs(Y[-1] - ref), axis=0)))
    assert 0.85 < _slope(levels, errs["milstein"], T) < 1.25
    assert 0.35 < _slope(levels, errs["euler-maruyama"], T) < 0.75
    # simulate_sde accepts it; noise on two coordinates of the role is refused with the reason
    res = rd.simulate_sde(None, [[0.3, 0.3, 0.5]], 1.0, [1.0, 0.0, 0.0], np.random.default_rng(0), paths=5,
                          method="milstein")
    X = res.states
    assert np.all(X >= 0) and np.all(X[..., :2].sum(axis=-1) <= 1 + 1e-12)
    with pytest.raises(ParameterError, match="'row' has noise on x_row_s1, x_row_s2.*Levy areas"):
        rd.simulate_sde(None, [[0.3, 0.3, 0.5]], 1.0, [1.0, 0.5, 0.0], np.random.default_rng(0), method="milstein")


def test_paths_stay_in_the_simplex_and_are_reproducible():
    A = np.array([[0, -1, 1], [1, 0, -1], [-1, 1, 0]])
    g = Game.from_arrays([A, A.T], strategies=[["R", "P", "S"]] * 2)
    rd = g.replicator()
    start = [[0.2, 0.3, 0.5, 0.1], [0.6, 0.2, 0.1, 0.1]]
    a = rd.simulate_sde(None, start, 20.0, 2.0, np.random.default_rng(3), dt=0.05, paths=50)
    b = rd.simulate_sde(None, start, 20.0, 2.0, np.random.default_rng(3), dt=0.05, paths=50)
    assert np.array_equal(a.states, b.states)
    X = a.states
    assert np.all(X >= 0) and np.all(X <= 1)
    assert np.all(X[..., :2].sum(axis=-1) <= 1 + 1e-12) and np.all(X[..., 2:].sum(axis=-1) <= 1 + 1e-12)
    with pytest.raises(ParameterError, match="Milstein"):
        rd.simulate_sde(None, start, 1.0, 0.1, np.random.default_rng(0), method="milstein")


@settings(max_examples=10, deadline=None)
@given(games(players=2, strategies=[2, 3]), st.floats(0.0, 3.0), st.integers(0, 2 ** 32 - 1))
def test_random_games_keep_every_path_in_the_simplex(game, sigma, seed):
    # invariant: every recorded state is a point of the product of simplices, whatever the noise
    rd = game.replicator()
    res = rd.simulate_sde(None, [[0.5, 0.2, 0.3]], 5.0, sigma, np.random.default_rng(seed), dt=0.05, paths=20,
                          n_points=11)
    X = res.states
    assert np.all(np.isfinite(X)) and np.all(X >= 0) and np.all(X <= 1)
    assert np.all(X[..., 1:].sum(axis=-1) <= 1 + 1e-12)


def test_vertex_shares_and_to_dicts():
    rd = coordination().replicator()
    res = rd.simulate_sde(None, [[0.5, 0.5]], 30.0, 0.5, np.random.default_rng(2), paths=300, method="milstein")
    shares = res.vertex_shares()
    assert abs(sum(shares.values()) - 1) < 1e-12
    limits = res.limits
    for profile, coords in res.vertices:  # every path labelled at a vertex is within limit_tol of it
        mask = np.array([lim == profile for lim in limits.flat]).reshape(limits.shape)
        assert np.all(np.max(np.abs(res.final[mask] - coords), axis=-1) <= res.limit_tol)
    rows = res.to_dicts()
    assert sum(r["share"] for r in rows) == pytest.approx(1.0)


# ---------------------------------------------------------------------------------------------
# Delays
# ---------------------------------------------------------------------------------------------
def test_tau_zero_gives_the_ordinary_solution():
    rd = coordination().replicator()
    start = [[0.3, 0.6], [0.5, 0.2]]
    d = rd.simulate_delay(None, start, 5.0, 0.0, dt=0.01)
    ode = rd.simulate(None, start, 5.0, n_points=101)
    assert np.max(np.abs(d.states - ode.states)) < 1e-6


def test_linear_critical_delay_closed_form():
    # x'(t) = -a x(t - tau): roots i w need w = a and w tau = pi/2 (Hayes 1950), tau* = pi/(2a).
    for a in (1, 2, R(3, 2)):
        res = linear_critical_delay(0, -a)
        assert sympy.simplify(res.tau - sympy.pi / (2 * a)) == 0 and res.omega == a
    # x' = a x + b x(t - tau), b^2 > a^2: w = sqrt(b^2 - a^2), tau* = acos(-a/b)/w (Hale & Verduyn Lunel 5.2)
    res = linear_critical_delay(-1, -2)
    assert sympy.simplify(res.tau - sympy.acos(R(-1, 2)) / sympy.sqrt(3)) == 0


def _char_det(A, B, omega, tau):
    A, B = np.array(A, dtype=float), np.array(B, dtype=float)
    return abs(np.linalg.det(1j * omega * np.eye(len(A)) - A - B * np.exp(-1j * omega * tau)))


def test_matrix_critical_delay_second_order_closed_form():
    # x'' + x' + x + 2 x(t - tau) = 0, i.e. A = [[0, 1], [-1, -1]], B = [[0, 0], [-2, 0]] (rank one).
    # Characteristic equation lambda^2 + lambda + 1 + 2 exp(-lambda tau) = 0. At lambda = i w:
    # 1 - w^2 + i w = -2 exp(-i w tau). Moduli: (1 - w^2)^2 + w^2 = 4, so w^4 - w^2 - 3 = 0 and
    # w^2 = (1 + sqrt(13))/2. Real parts: cos(w tau) = (w^2 - 1)/2; imaginary: sin(w tau) = w/2 > 0,
    # so tau* = arccos((w^2 - 1)/2) / w.
    A, B = [[0, 1], [-1, -1]], [[0, 0], [-2, 0]]
    res = matrix_critical_delay(A, B)
    w2 = (1 + sympy.sqrt(13)) / 2
    w = sympy.sqrt(w2)
    expected = sympy.acos((w2 - 1) / 2) / w
    assert res.exact and res.case.startswith("2x2 block with a rank-one delayed part")
    assert sympy.simplify(res.omega - w) == 0
    assert abs(sympy.N(res.tau - expected, 40)) < sympy.Float("1e-35")
    assert _char_det(A, B, float(w), float(expected)) < 1e-12
    # the numeric method on the same block agrees (cross-check of the two)
    num = _numeric_block(sympy.Matrix(A), sympy.Matrix(B))
    assert not num.exact and abs(float(num.tau) - float(expected)) < 1e-8
    # stable for tau = 0 (lambda^2 + lambda + 3: trace -1, det 3), the DDE decays below tau*, grows above
    def growth(tau):
        a, b = np.array(A, float), np.array(B, float)
        t, Y = integrate_dde(lambda y, z: a @ y + b @ z, lambda s: np.ones((2, 1)), 60.0, tau, 16, n_points=3001)
        amp = np.abs(Y[:, 0, 0])
        return amp[t > 50].max() / amp[(t > 10) & (t < 20)].max()
    assert growth(0.8 * float(expected)) < 0.5 and growth(1.2 * float(expected)) > 2.0


def test_matrix_critical_delay_triangular_and_similar_systems():
    # Triangular: det = (lambda + 1 + 3 e^{-lambda tau})(lambda + 2 + e^{-lambda tau}). The second
    # factor has |b| < |a|: no crossing. The first: w^2 = 9 - 1 = 8, cos(w tau) = -a/b = -1/3, with
    # sin(w tau) = -w/b > 0: tau* = arccos(-1/3)/sqrt(8) (Hale & Verduyn Lunel 1993, Section 5.2).
    A, B = [[-1, 5], [0, -2]], [[-3, 7], [0, -1]]
    res = matrix_critical_delay(A, B)
    assert res.exact and res.case.startswith("scalar")
    assert sympy.simplify(res.tau - sympy.acos(R(-1, 3)) / sympy.sqrt(8)) == 0
    assert sympy.simplify(res.omega - sympy.sqrt(8)) == 0
    # The same factors hidden by a similarity T (det is invariant; det B != 0, so numeric):
    # the numeric result must equal the closed form of the factors.
    T = sympy.Matrix([[1, 2], [1, 3]])
    D_a, D_b = sympy.diag(-1, -2), sympy.diag(-3, -1)
    num = matrix_critical_delay(T * D_a * T.inv(), T * D_b * T.inv())
    assert not num.exact and num.case.startswith("numeric")
    assert abs(float(num.tau) - float(sympy.acos(R(-1, 3)) / sympy.sqrt(8))) < 1e-8
    # a positive delay-independent entry: unstable for every delay
    assert matrix_critical_delay([[1, 0], [0, -1]], [[0, 0], [0, -1]]).unstable_for_all
    # a delay-free unstable focus (eigenvalues 1/2 +- i sqrt(3)/2, det 1 > 0) beside a delayed
    # coordinate: unstable for every delay, although (-1)^n det(A + B) > 0 on the block
    A = [[0, -1, 0], [1, 1, 0], [0, 0, -1]]
    B = [[0, 0, 0], [0, 0, 0], [0, 0, -2]]
    assert matrix_critical_delay(A, B).unstable_for_all


def test_replicator_face_point_gets_a_labelled_numeric_critical_delay():
    # Row has three strategies; the face rest point (1/3, 2/3, 0 | 2/5) is a centre on its face
    # (undelayed eigenvalues -1/5 transversal, +-2i/sqrt(5) on the face). Its linearisation does
    # not split by coordinates (the reference strategy s3 is off the support), so the answer is
    # numeric: a centre is destabilised by any delay (phi = pi/2 in Hayes' condition), tau* = 0,
    # crossing at the centre's frequency 2/sqrt(5).
    import warnings

    g = Game.bimatrix([[3, 0], [0, 2], [1, 1]], [[0, 2], [1, 0], [0, 0]])
    rd = g.replicator()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        row = [r for r in rd.stability() if r.point.kind == "boundary"][0]
    assert set(row.eigenvalues) == {R(-1, 5), 2 * sympy.sqrt(5) * sympy.I / 5, -2 * sympy.sqrt(5) * sympy.I / 5}
    res = rd.critical_delay(row.point)
    assert not res.exact and res.case.startswith("numeric")
    assert abs(float(res.tau)) < 1e-9 and abs(float(res.omega) - 2 / math.sqrt(5)) < 1e-9


def _amplitude_growth(a, tau):
    t, Y = integrate_dde(lambda y, z: -a * z, lambda s: np.ones((1, 1)), 60.0, tau, 40, n_points=6001)
    y = np.abs(Y[:, 0, 0])
    return y[(t > 50)].max() / y[(t > 10) & (t < 20)].max()


def test_oscillation_grows_beyond_and_decays_below_the_critical_delay():
    a = 1.0
    tau_star = math.pi / 2
    assert _amplitude_growth(a, 0.9 * tau_star) < 0.5
    assert _amplitude_growth(a, 1.1 * tau_star) > 2.0


@pytest.mark.slow
def test_replicator_critical_delay_confirmed_by_simulation():
    # Matching pennies with a dynamic reward to the column player: stable focus at (4/7, 1/2).
    g = Game.bimatrix([[1, -1], [-1, 1]], [["-1 + (1 - x_column)", 1], [1, -1]])
    rd = g.replicator()
    row = [r for r in rd.stability() if r.point.kind == "interior"][0]
    res = rd.critical_delay(row.point)
    tau = float(res.tau)
    centre = np.array([4 / 7, 1 / 2])
    # the undelayed Jacobian has eigenvalues -1/14 +- i sqrt(167)/14: omega = |mu| = sqrt(168)/14
    assert sympy.simplify(res.omega - sympy.sqrt(168) / 14) == 0
    out = []
    for factor in (0.8, 1.2):
        d = rd.simulate_delay(None, [[0.55, 0.5]], 150.0, factor * tau, dt=0.02, n_points=1501)
        dist = np.max(np.abs(d.states[0] - centre), axis=1)
        out.append(dist[d.times > 130].max() / dist[(d.times > 10) & (d.times < 30)].max())
    assert out[0] < 0.5 < 1.0 < out[1]


# ---------------------------------------------------------------------------------------------
# One population
# ---------------------------------------------------------------------------------------------
def hawk_dove():
    A = [["(V - C)/2", "V"], [0, "V/2"]]
    return Game.bimatrix(A, [[r[0] for r in A], [r[1] for r in A]], strategies=[["hawk", "dove"]] * 2,
                         parameters=[Parameter("V", domain=POSITIVE), Parameter("C", domain=POSITIVE)])


def test_hawk_dove_mixed_ess_at_v_over_c():
    # Maynard Smith (1982), ch. 2: with C > V the ESS plays hawk with probability V/C.
    rd = hawk_dove().replicator(symmetric=True)
    V, C = rd.game.symbol("V"), rd.game.symbol("C")
    mixed = [e for e in rd.ess() if e.point.kind != "vertex"]
    assert len(mixed) == 1 and mixed[0].point.point == (V / C,)
    assert mixed[0].condition == (C > V)
    at = rd.ess({"V": 2, "C": 6})
    assert [e.point.point for e in at] == [(R(1, 3),)]
    row = [r for r in rd.stability({"V": 2, "C": 6}) if r.point.kind != "vertex"][0]
    # one population: the interior point is asymptotically stable (derivative -C x(1-x)/2 < 0)
    assert row.stability is Stability.ASYMPTOTICALLY_STABLE
    assert row.eigenvalues == (-R(6, 2) * R(1, 3) * R(2, 3),)


def rps(a, b):
    A = [[0, -b, a], [a, 0, -b], [-b, a, 0]]
    return Game.from_arrays([np.array(A, dtype=object), np.array(A, dtype=object).T],
                            strategies=[["R", "P", "S"]] * 2)


@pytest.mark.parametrize("a,b", [(2, 1), (1, 2), (1, 1), (3, 2), (1, 3)])
def test_rps_interior_stable_iff_win_exceeds_loss(a, b):
    # Hofbauer & Sigmund (1998), Section 7.7: the interior point of RPS with win a and loss b
    # is asymptotically stable iff a > b, a centre for a = b, and repelling for a < b.
    rd = rps(a, b).replicator(symmetric=True)
    row = [r for r in rd.stability() if r.point.kind == "interior"][0]
    assert row.point.point == (R(1, 3), R(1, 3))
    expected = (Stability.ASYMPTOTICALLY_STABLE if a > b else
                Stability.NON_HYPERBOLIC if a == b else Stability.UNSTABLE)
    assert row.stability is expected
    # z'Az on sum z = 0 equals -(a - b)|z|^2/2, so it is an ESS iff a > b
    assert any(e.point.kind == "interior" for e in rd.ess()) == (a > b)
    t, X = rd.simulate(None, [[0.5, 0.3]], 60.0)
    d = np.linalg.norm(X[0] - 1 / 3, axis=1)
    if a > b:
        assert d[-1] < 0.2 * d[0]
    elif a < b:
        assert d[-1] > d[0]


def test_symmetric_requires_a_symmetric_game():
    with pytest.raises(GameDefinitionError, match="not symmetric"):
        Game.bimatrix([[1, 0], [0, 1]], [[0, 1], [1, 0]]).replicator(symmetric=True)
    with pytest.raises(GameDefinitionError, match="same strategies"):
        Game.bimatrix([[1, 0], [0, 1]], [[1, 0], [0, 1]], strategies=[["a", "b"], ["c", "d"]]).replicator(
            symmetric=True)


# ---------------------------------------------------------------------------------------------
# Thresholds on the coefficient of a dynamic instrument
# ---------------------------------------------------------------------------------------------
def test_threshold_on_dynamic_penalty_coefficient():
    from coopgame.analysis import threshold

    # The interior point exists iff x_g* = (k - P c/(F + L))/F lies in (0, 1): with c = k = 1,
    # F = 3, L = 1 that is 0 < 1 - P/4 < 3, i.e. P < 4; where it exists it is stable (trace < 0).
    g = inspection(True)
    row = [r for r in g.replicator().stability() if r.point.kind == "interior"][0]
    th = threshold(row.condition, "P", values=VALUES, game=g)
    assert th.infimum == 0 and th.supremum == 4


def test_minimum_dynamic_subsidy_for_a_vertex():
    from coopgame.analysis import minimum_instrument
    from coopgame.policy import Subsidy

    # A subsidy s(2 - x_e) to a participating enterprise equals s at full participation, so the
    # vertex condition is the static one: 2 - C + s > 0 with C = 5, i.e. s > 3 (and the school's
    # 3 > 0); the outside budget pays s there.
    g = Game(["school", "enterprise"], [["deep", "shallow"], ["participate", "nominal"]],
             {("deep", "participate"): [3, "2 - C"], ("deep", "nominal"): [-1, 0],
              ("shallow", "participate"): [0, "-C"], ("shallow", "nominal"): [0, 0]})
    h = g.with_policy(Subsidy("enterprise", "s*(2 - x_enterprise)", when={"enterprise": "participate"}))
    t = minimum_instrument(h, ("deep", "participate"), "s", values={"C": 5})
    assert t.infimum == 3 and not t.infimum_attained
    assert t.outside_spending == h.symbol("s")


def test_analysis_pipeline_reports_a_dynamic_game():
    from coopgame.analysis.pipeline import analyze

    a = analyze(inspection(True), {**VALUES, "P": 2})
    assert a.equilibria == () and any("replicator state" in n for n in a.notes)
    row = [r for r in a.stability_at_values if r.point.kind == "interior"][0]
    assert row.stability is Stability.ASYMPTOTICALLY_STABLE
    assert "x_enterprise" in a.to_markdown()


def test_ess_holds_at_values_matches_the_filtered_list():
    rd = hawk_dove().replicator(symmetric=True)
    for V, C in ((2, 6), (6, 2), (3, 4)):
        kept = {e.point.point for e in rd.ess({"V": V, "C": C})}
        for e in rd.ess():
            at = tuple(sympy.nsimplify(v).subs({rd.game.symbol("V"): V, rd.game.symbol("C"): C})
                       for v in e.point.point)
            assert e.holds({"V": V, "C": C}) == (at in kept)


@pytest.mark.parametrize("text", ["__import__('os').system('true')", "x_player_1.__class__", "lambda: 1"])
def test_point_coordinates_given_as_text_are_never_evaluated(text):
    # Brief: user text goes through the safe parser, never sympify/eval. A coordinate given as
    # text is parsed as a number, so code (or a name) is refused with a ParameterError naming it.
    from coopgame.dynamics.delay import critical_delay

    game = Game.bimatrix([[2, 0], [0, 1]], [[2, 0], [0, 1]])
    rd = game.replicator()
    x, y = rd.state
    with pytest.raises(ParameterError, match=x.name):
        critical_delay(rd, {x.name: text, y.name: 0})


def test_point_coordinates_as_number_text_are_exact():
    # "1/2" is a number to the safe parser, read as the exact Rational 1/2.
    from coopgame.dynamics.delay import _point_coordinates

    game = Game.bimatrix([[2, 0], [0, 1]], [[2, 0], [0, 1]])
    rd = game.replicator()
    x, y = rd.state
    assert _point_coordinates(rd, {x.name: "1/2", y.name: 0}) == {x: sympy.Rational(1, 2), y: 0}
