"""The contract every catalogue model passes (one test class, run over every registered model).

A model is a documented game: every parameter has a meaning, a unit, a domain and a default
inside it; the defaults satisfy the model's assumptions and switch the instruments off; the
stability table can be computed symbolically and at the defaults, and the two agree (also at
random admissible points, with random instrument levels); trajectories of the replicator
dynamics from random starts end at rest points the table calls stable; the status quo is not
full cooperation where the seed says so, and the documented policy level makes it stable.

Theorem used throughout: in multi-population replicator dynamics a pure profile is
asymptotically stable iff it is a strict Nash equilibrium (Selten 1980), so the table's vertex
rows must agree with ``pure_equilibria(strict=True)``.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from coopgame import models
from coopgame.dynamics import ReplicatorDynamics, Stability
from coopgame.errors import UnknownNameError
from coopgame.game import Game
from coopgame.models import Model

NAMES = ("school_enterprise", "internship", "government_school_enterprise", "internship_bargaining",
         "education_group", "dual_teachers", "integration_city", "teacher_practice", "integration_partnership",
         "partner_choice", "risk_sharing", "central_local_government")


def _model(name) -> Model:
    try:
        return models.get(name)
    except UnknownNameError as exc:  # a module of the catalogue not written yet
        if "is not installed" in str(exc):
            pytest.skip(str(exc))
        raise


@pytest.fixture(params=NAMES)
def model(request) -> Model:
    return _model(request.param)


def _for(game: Game, values) -> dict:
    """The values of the parameters of ``game`` only (keyed by symbol)."""
    names = {p.name for p in game.parameters}
    return {s: v for s, v in values.items() if s.name in names}


# ---------------------------------------------------------------------------------- registry
def test_registry_lists_the_models_in_catalogue_order():
    assert tuple(info.name for info in models.available()) == NAMES
    assert all(info.title for info in models.available())


def test_unknown_model_names_the_known_ones():
    with pytest.raises(UnknownNameError, match="known models: school_enterprise, internship"):
        models.get("schol_enterprise")


def test_get_returns_the_model_of_that_name(model):
    assert isinstance(model, Model)
    assert models.get(model.name) is model
    assert model.title and model.summary and model.references and model.passages


# ---------------------------------------------------------------------------------- parameters
def test_parameters_are_documented_with_defaults_inside_their_domains(model):
    for p in model.parameters:
        assert p.meaning.strip(), f"{model.name}: parameter {p.name} has no meaning"
        assert p.unit.strip(), f"{model.name}: parameter {p.name} has no unit"
        assert p.default is not None, f"{model.name}: parameter {p.name} has no default"
        assert p.domain.contains(p.default) is True, f"{model.name}: default of {p.name} outside its domain"


def test_every_symbol_of_every_policy_game_is_a_documented_parameter(model):
    documented = {p.name: p for p in model.parameters}
    games = [model.game, model.with_policy()] + [model.with_policy(n) for n in model.instrument_names]
    for game in games:
        for sym in game.free_symbols:
            assert sym.name in documented, f"{model.name}: symbol {sym} is not a documented parameter"
            assert game.parameter(sym.name).meaning, f"{model.name}: {sym} lost its documentation"


def test_defaults_satisfy_the_assumptions(model):
    assert model.assumptions_hold()
    for a in model.assumptions:
        assert isinstance(a, sympy.Basic) and a.free_symbols <= set(model.defaults)


def test_defaults_switch_the_instruments_off(model):
    # The status quo is the game without policy: at the instruments' default levels, applying
    # every instrument changes no payoff.
    base = model.game.payoff_arrays(_for(model.game, model.defaults), exact=True)
    policy_game = model.with_policy()
    with_policy = policy_game.payoff_arrays(_for(policy_game, model.defaults), exact=True)
    for a, b in zip(base, with_policy):
        assert np.array_equal(a, b)


def test_unknown_instrument_is_rejected_by_name(model):
    with pytest.raises(UnknownNameError, match="no_such_instrument"):
        model.with_policy("no_such_instrument")


def test_target_is_a_profile_and_describe_mentions_every_parameter(model):
    assert model.game.profile_names(model.target) == model.target
    text = model.describe()
    assert model.title in text
    for p in model.parameters:
        assert f"| {p.name} |" in text


# ---------------------------------------------------------------------------------- stability
def _vertex_verdicts(game: Game, values) -> dict:
    table = ReplicatorDynamics(game).stability(_for(game, values), include="vertices")
    return {row.point.profile: row.stability for row in table}


def _strict_nash_verdicts(game: Game, values) -> dict:
    named = {s.name: v for s, v in values.items()}
    return {e.profile: e.holds(named) for e in game.pure_equilibria(strict=True)}


def _check_agreement(game: Game, values, symbolic=None):
    """Symbolic table, numeric table and strict Nash conditions agree at ``values``."""
    if symbolic is None:
        symbolic = ReplicatorDynamics(game).stability(include="vertices")
    numeric = _vertex_verdicts(game, values)
    strict = _strict_nash_verdicts(game, values)
    named = {s.name: v for s, v in values.items()}
    for row in symbolic:
        profile = row.point.profile
        cond = row.condition
        holds = bool(cond) if cond in (sympy.true, sympy.false) else bool(cond.xreplace(
            {s: named[s.name] for s in cond.free_symbols}))
        assert holds == (numeric[profile] is Stability.ASYMPTOTICALLY_STABLE), (profile, cond, numeric[profile])
        assert holds == strict.get(profile, False), (profile, cond)


def test_stability_table_symbolic_and_at_defaults(model):
    _check_agreement(model.game, model.defaults)
    _check_agreement(model.with_policy(), model.values(policy=True))


@st.composite
def _admissible_values(draw, model: Model):
    """Values near the defaults (each scaled by a factor in [1/2, 3/2]), inside every domain,
    with random instrument levels, satisfying the model's assumptions: valid regimes only."""
    values = {}
    instrument = {p.name for p in model.instrument_parameters}
    for p in model.parameters:
        default = Fraction(str(p.default))
        if p.name in instrument:
            iv = p.domain.interval
            hi = Fraction(str(iv.end)) if iv.end.is_finite else Fraction(4)
            v = draw(st.fractions(min_value=Fraction(str(iv.start)), max_value=hi, max_denominator=8))
        elif default == 0:
            v = draw(st.fractions(min_value=0, max_value=1, max_denominator=8))
        else:
            v = default * draw(st.fractions(min_value=Fraction(1, 2), max_value=Fraction(3, 2), max_denominator=8))
        value = sympy.Rational(v.numerator, v.denominator)
        iv = p.domain.interval
        if iv.end.is_finite and value > iv.end:
            value = iv.end
        assume(p.domain.contains(value) is True)
        values[p.symbol] = value
    assume(model.assumptions_hold({s.name: v for s, v in values.items()}))
    return values


@pytest.mark.parametrize("name", NAMES)
def test_symbolic_and_numeric_answers_agree_at_random_points(name):
    model = _model(name)
    game = model.with_policy()
    f, syms = game.lambdify()
    symbolic = ReplicatorDynamics(game).stability(include="vertices")

    @settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                     HealthCheck.filter_too_much])
    @given(_admissible_values(model))
    def check(values):
        # Compiled payoffs equal exact substitution (tolerance 1e-9 on values of order 10).
        compiled = f(*[float(values[s]) for s in syms])
        exact = game.payoff_arrays(_for(game, values), exact=True)
        for i, arr in enumerate(exact):
            assert np.allclose(compiled[i], arr.astype(float), rtol=0, atol=1e-9)
        _check_agreement(game, values, symbolic)

    check()


# ---------------------------------------------------------------------------------- simulation
def _simulate_ends_stable(game: Game, values, seed: int):
    rd = ReplicatorDynamics(game)
    values = _for(game, values)
    table = rd.stability(values, include="vertices")
    stable = {row.point.profile for row in table if row.stability is Stability.ASYMPTOTICALLY_STABLE}
    rng = np.random.default_rng(seed)
    dim = len(rd.state)
    starts = rng.uniform(0.05, 0.95, size=(12, dim)) if all(len(c) == 1 for c in rd.coordinates) else None
    if starts is None:
        from coopgame.dynamics.simulate import sample_states

        starts = sample_states(rd, 12, rng)
    traj = rd.simulate(values, starts, 400.0, n_points=2)
    for start, limit in zip(starts, traj.limits):
        assert limit is not None, f"trajectory from {start} did not settle at a rest point"
        assert limit.profile in stable, f"trajectory from {start} ended at {limit}, not a stable vertex"
    return {limit.profile for limit in traj.limits}


def test_simulation_at_the_policy_level_ends_in_stable_states(model):
    reached = _simulate_ends_stable(model.with_policy(), model.values(policy=True), seed=20240601)
    assert reached


# ---------------------------------------------------------------------------------- status quo and policy
def test_status_quo_is_not_full_cooperation_where_the_seed_says_so(model):
    verdicts = _vertex_verdicts(model.game, model.defaults)
    stable = verdicts[model.target] is Stability.ASYMPTOTICALLY_STABLE
    assert stable == model.target_stable_in_status_quo


def test_documented_policy_level_makes_the_target_stable(model):
    assert model.policy_levels, f"{model.name} documents no policy level"
    verdicts = _vertex_verdicts(model.with_policy(), model.values(policy=True))
    assert verdicts[model.target] is Stability.ASYMPTOTICALLY_STABLE
