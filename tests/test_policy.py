"""Tests of coopgame.policy: instruments as payoff transfers, their records and invariants."""

import itertools
from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from coopgame import Game, Parameter
from coopgame.errors import GameDefinitionError, ParameterError, UnknownNameError
from coopgame.parameters import PROBABILITY
from coopgame.policy import (
    Penalty,
    PolicyEffect,
    Reputation,
    Subsidy,
    TaxRelief,
    Transfer,
    outside_spending,
    policy_table,
)

PLAYERS = ("school", "enterprise", "government")
STRATS = {"school": ("deep", "shallow"), "enterprise": ("participate", "nominal"), "government": ("active", "passive")}

rationals = st.fractions(min_value=-20, max_value=20, max_denominator=12)
nonneg = st.fractions(min_value=0, max_value=20, max_denominator=12)


@st.composite
def games(draw, n_players=None):
    """Numeric games with 2 or 3 of the named players, two strategies each, rational payoffs."""
    n = draw(st.sampled_from([2, 3])) if n_players is None else n_players
    players = PLAYERS[:n]
    payoffs = {profile: [draw(rationals) for _ in players]
               for profile in itertools.product(*(STRATS[p] for p in players))}
    return Game(players, {p: STRATS[p] for p in players}, payoffs)


@st.composite
def whens(draw, players):
    """A 'when' condition: None, or a sub-mapping of players to one or both strategy names."""
    if draw(st.booleans()):
        return None
    chosen = draw(st.lists(st.sampled_from(players), unique=True, min_size=1))
    return {p: draw(st.sampled_from([STRATS[p][0], STRATS[p][1], list(STRATS[p])])) for p in chosen}


def _matches(when, game, profile):
    if when is None:
        return True
    for p, names in when.items():
        names = [names] if isinstance(names, str) else names
        if profile[game.players.index(p)] not in names:
            return False
    return True


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_transfer_conserves_payer_plus_payee(data):
    g = data.draw(games())
    payer, payee = data.draw(st.permutations(g.players))[:2]
    amount = data.draw(rationals)
    when = data.draw(whens(g.players))
    h = Transfer(payer, payee, amount, when=when).apply(g)
    for profile in g.profiles():
        before, after = g.payoffs(profile), h.payoffs(profile)
        i, j = g.players.index(payer), g.players.index(payee)
        # Conservation: the transfer only moves payoff between payer and payee.
        assert after[i] + after[j] == before[i] + before[j]
        for k in range(len(g.players)):
            if k not in (i, j):
                assert after[k] == before[k]
        moved = after[j] - before[j]
        assert moved == (sympy.Rational(amount.numerator, amount.denominator) if _matches(when, g, profile) else 0)
        assert outside_spending(h, profile) == 0


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_subsidy_never_lowers_recipient_payoff(data):
    g = data.draw(games())
    to = data.draw(st.sampled_from(g.players))
    when = data.draw(whens(g.players))
    amount = data.draw(nonneg)
    h = Subsidy(to, amount, when=when).apply(g)
    hs = Subsidy(to, "s", when=when).apply(g)  # symbolic level, nonnegative domain
    for profile in g.profiles():
        assert h.payoff(to, profile) >= g.payoff(to, profile)
        gain = hs.payoff(to, profile) - g.payoff(to, profile)
        assert gain.is_nonnegative  # s >= 0 by the declared domain
        # The outside budget pays exactly what the recipient receives.
        assert outside_spending(h, profile) == h.payoff(to, profile) - g.payoff(to, profile)


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_instruments_commute(data):
    g = data.draw(games(n_players=3))
    insts = [
        Subsidy(data.draw(st.sampled_from(g.players)), "s", when=data.draw(whens(g.players))),
        TaxRelief("enterprise", "r", "c", when=data.draw(whens(g.players)), payer=data.draw(st.sampled_from([None, "government"]))),
        Penalty(data.draw(st.sampled_from(["school", "enterprise"])), data.draw(nonneg), when=data.draw(whens(g.players))),
        Reputation("school", "k", when=data.draw(whens(g.players)), visibility="q"),
    ]
    order = data.draw(st.permutations(insts))
    assert g.with_policy(*insts) == g.with_policy(*order)
    assert hash(g.with_policy(*insts)) == hash(g.with_policy(*order))


def _base():
    return Game(["school", "enterprise"],
                {"school": ["deep", "shallow"], "enterprise": ["participate", "nominal"]},
                {("deep", "participate"): ["R_s - C_s", "R_e - C_e"],
                 ("deep", "nominal"): ["-C_s", 0],
                 ("shallow", "participate"): [0, "-C_e"],
                 ("shallow", "nominal"): [0, 0]})


def test_tax_relief_is_rate_times_base_and_records_effects():
    g = _base()
    rate = Parameter("r", domain=PROBABILITY)
    h = TaxRelief("enterprise", rate, "C_e", when={"enterprise": "participate"}).apply(g)
    R_e, C_e, r = h.symbol("R_e"), h.symbol("C_e"), h.symbol("r")
    assert h.parameter("r") == rate
    assert sympy.expand(h.payoff("enterprise", ("deep", "participate")) - (R_e - C_e + r * C_e)) == 0
    effects = [e for e in h.policy_effects if e.profile == ("deep", "participate")]
    assert {(e.player, e.delta) for e in effects} == {("enterprise", r * C_e), (None, -r * C_e)}
    assert all(isinstance(e, PolicyEffect) for e in h.policy_effects)
    assert outside_spending(h, ("shallow", "participate")) == r * C_e
    assert outside_spending(h, ("shallow", "nominal")) == 0
    # Substitution reaches the records.
    h2 = h.subs({"r": "1/2", "C_e": 4})
    assert outside_spending(h2, ("deep", "participate")) == 2


def test_penalty_collected_by_player_government():
    g = Game(["enterprise", "government"], [["train", "idle"], ["active", "passive"]],
             {("train", "active"): [1, -1], ("train", "passive"): [1, 0],
              ("idle", "active"): [0, -1], ("idle", "passive"): [0, 0]})
    h = Penalty("enterprise", "f", when={"enterprise": "idle", "government": "active"}, payee="government").apply(g)
    f = h.symbol("f")
    assert h.payoffs(("idle", "active")) == (-f, f - 1)
    assert h.payoffs(("idle", "passive")) == (0, 0)
    assert outside_spending(h, ("idle", "active")) == 0


def test_reputation_is_paid_by_nobody():
    g = _base()
    h = Reputation("enterprise", "g", when={"enterprise": "participate"}, visibility="p").apply(g)
    gs, p = h.symbol("g"), h.symbol("p")
    assert h.parameter("p").domain == PROBABILITY
    assert h.payoff("enterprise", ("shallow", "participate")) == -h.symbol("C_e") + gs * p
    assert h.payoff("school", ("shallow", "participate")) == 0
    assert all(e.player == "enterprise" for e in h.policy_effects)
    assert outside_spending(h, ("deep", "participate")) == 0


def test_callable_when_and_table():
    g = _base()
    h = Subsidy("school", 2, when=lambda prof: prof["school"] == "deep" and prof["enterprise"] == "participate").apply(g)
    assert h.payoff("school", ("deep", "participate")) == h.symbol("R_s") - h.symbol("C_s") + 2
    assert h.payoff("school", ("deep", "nominal")) == -h.symbol("C_s")
    table = policy_table(h)
    assert "| (deep, participate) | school | subsidy school | +2 | -C_s + R_s + 2 |" in table
    assert "outside budget" in table
    assert r"\toprule" in policy_table(h, fmt="latex")


def test_symbols_match_the_game():
    g = _base()
    h = Subsidy("enterprise", "C_e / 2").apply(g)
    assert h.payoff("enterprise", ("shallow", "nominal")) == h.symbol("C_e") / 2
    assert len([p for p in h.parameters if p.name == "C_e"]) == 1
    # A new name gets a nonnegative domain; an existing one keeps the game's.
    h = Subsidy("enterprise", "s + R_e").apply(g)
    assert h.parameter("s").domain.name == "nonnegative"
    assert h.parameter("R_e").domain.name == "real"


@pytest.mark.parametrize("make, err, text", [
    (lambda g: Subsidy("teacher", 1).apply(g), UnknownNameError, "teacher"),
    (lambda g: Subsidy("school", 1, when={"school": "medium"}).apply(g), UnknownNameError, "medium"),
    (lambda g: Subsidy("school", 1, when={"student": "engage"}).apply(g), UnknownNameError, "student"),
    (lambda g: Penalty("enterprise", 1, payee="ministry").apply(g), UnknownNameError, "ministry"),
    (lambda g: TaxRelief("enterprise", -0.1, "C_e"), ParameterError, "-1/10"),
    (lambda g: TaxRelief("enterprise", "r", -3), ParameterError, "-3"),
    (lambda g: Subsidy("school", -1), ParameterError, "-1"),
    (lambda g: Reputation("school", 1, visibility=Fraction(3, 2)), ParameterError, "3/2"),
    (lambda g: Subsidy("school", "-s").apply(g.with_parameters(Parameter("s", domain="positive"))),
     ParameterError, "-s"),
    (lambda g: Transfer("school", "school", 1), GameDefinitionError, "school"),
    (lambda g: Transfer(None, None, 1), GameDefinitionError, "outside"),
    (lambda g: Subsidy("school", 1, when=lambda p: "yes").apply(g), GameDefinitionError, "yes"),
    (lambda g: Subsidy("school", 1, when=3), GameDefinitionError, "3"),
    (lambda g: Subsidy("school", "s +").apply(g), Exception, "s +"),
])
def test_bad_input(make, err, text):
    with pytest.raises(err) as info:
        make(_base())
    assert text in str(info.value)


def test_instruments_are_frozen_and_hashable():
    a = Subsidy("school", 0.5, when={"school": ["shallow", "deep"]})
    b = Subsidy("school", Fraction(1, 2), when={"school": ("deep", "shallow")})
    assert a == b and hash(a) == hash(b)
    with pytest.raises(AttributeError):
        a.amount = 3
    assert repr(a) == "Subsidy(to='school', amount=1/2, when={'school': ['deep', 'shallow']}, payer=None)"


def test_pickle_and_replace():
    import dataclasses
    import pickle

    g = _base()
    h = g.with_policy(Subsidy("school", "s", when={"school": "deep"}), TaxRelief("enterprise", "r", "C_e"),
                      Reputation("school", "k", visibility="q"), Penalty("enterprise", 1, payee="school"))
    assert pickle.loads(pickle.dumps(h)) == h
    a = Subsidy("school", "s", when={"school": ["deep", "shallow"]})
    b = dataclasses.replace(a, amount=2)
    assert b.when == a.when and b.amount == 2 and isinstance(b, Subsidy)
