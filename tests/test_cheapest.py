"""Tests of coopgame.analysis.cheapest: the exact least-cost instrument mix."""

import itertools
from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from coopgame import Game, Parameter
from coopgame.analysis import cheapest_policy, exact_linspace
from coopgame.errors import ParameterError, SolverError
from coopgame.parameters import PROBABILITY
from coopgame.policy import Penalty, Reputation, Subsidy, TaxRelief

TARGET = ("deep", "participate")


def base(R_s=4, C_s=1, R_e=2, C_e=3, a=Fraction(1, 2)):
    """School-enterprise game with free-riding share a (numbers: illustrative)."""
    return Game(["school", "enterprise"],
                {"school": ["deep", "shallow"], "enterprise": ["participate", "nominal"]},
                {("deep", "participate"): [R_s - C_s, R_e - C_e],
                 ("deep", "nominal"): [-C_s, a * R_e],
                 ("shallow", "participate"): [a * R_s, -C_e],
                 ("shallow", "nominal"): [0, 0]})


def instruments():
    return [Subsidy("enterprise", "s", when={"enterprise": "participate"}),
            TaxRelief("enterprise", Parameter("t", domain=PROBABILITY), 3, when={"enterprise": "participate"}),
            Reputation("enterprise", "g", when={"enterprise": "participate"}, visibility=Fraction(1, 2))]


def test_known_optimum():
    # Enterprise at (deep, participate): gain R_e - C_e + s + 3t + g/2 - a R_e = s + 3t + g/2 - 2 > 0.
    # Outside spending there is s + 3t; reputation is free, so the infimum cost is 0, attained
    # with g > 4 (any such g): the cheapest mix uses publicity only.
    best = cheapest_policy(base(), TARGET, instruments())
    assert best.status == "optimal" and best.cost == 0 and best.attained
    assert best.levels["s"] == 0 and best.levels["t"] == 0 and best.levels["g"] > 4
    assert best.satisfies(best.levels)
    # Without publicity the subsidy and the relief cost the same per unit of incentive:
    # s + 3t > 2 at cost s + 3t, infimum 2, not attained; the binding condition is the enterprise's.
    best = cheapest_policy(base(), TARGET, instruments()[:2])
    assert best.cost == 2 and not best.attained
    assert [str(b) for b in best.binding] == ["s + 3*t > 2"]


def test_unit_costs_and_payer_government():
    best = cheapest_policy(base(), TARGET, instruments()[:2], costs={"s": 1, "t": 2})
    # Cost s + 2t with s + 3t > 2: relief is cheaper per unit of incentive (2/3 per unit vs 1),
    # so the infimum is at t = 2/3, s = 0: cost 4/3.
    assert best.cost == sympy.Rational(4, 3) and best.levels == {"s": 0, "t": sympy.Rational(2, 3)}
    # A government that is a player pays the subsidy itself; its cost is what it loses.
    g3 = Game(["school", "enterprise", "government"],
              {"school": ["deep", "shallow"], "enterprise": ["participate", "nominal"], "government": ["active"]},
              {prof + ("active",): list(base().payoffs(prof)) + [0] for prof in base().profiles()})
    best = cheapest_policy(g3, TARGET + ("active",),
                           [Subsidy("enterprise", "s", when={"enterprise": "participate"}, payer="government")],
                           payer="government")
    assert best.cost == 2 and not best.attained and best.payer == "government"


def test_infeasible_unbounded_and_nonlinear():
    # The school never goes deep when (1 - a) R_s <= C_s: no enterprise instrument helps.
    best = cheapest_policy(base(R_s=2, C_s=1), TARGET, instruments()[:1])
    assert best.status == "infeasible" and not best.feasible
    # A negative unit cost without an upper bound: no floor.
    best = cheapest_policy(base(), TARGET, instruments()[:1], costs={"s": -1})
    assert best.status == "unbounded"
    with pytest.raises(SolverError, match="not linear"):
        cheapest_policy(base(), TARGET, [Reputation("enterprise", "g", when={"enterprise": "participate"},
                                                    visibility="q")], costs={"g": 1})
    with pytest.raises(ParameterError, match="level"):
        cheapest_policy(base(), TARGET, instruments()[:1], values={"s": 1})


def _linear(expr, symbols):
    """Rational coefficients (a, b) of a linear expression a . x + b."""
    poly = sympy.Poly(expr, *symbols)
    return ([Fraction(str(poly.coeff_monomial(s))) for s in symbols], Fraction(str(poly.coeff_monomial(1))))


def _checker(best):
    """Fast exact checks of the result's conditions and cost, in Fractions, over many grid points."""
    syms = best.symbols
    rels = []
    for rel in best.conditions:
        d = rel.lhs - rel.rhs if isinstance(rel, (sympy.StrictGreaterThan, sympy.GreaterThan)) else rel.rhs - rel.lhs
        rels.append((*_linear(d, syms), isinstance(rel, (sympy.StrictGreaterThan, sympy.StrictLessThan))))
    ca, cb = _linear(best.cost_expression, syms)

    def value(a, b, x):
        return sum(ai * xi for ai, xi in zip(a, x)) + b

    def ok(x):
        return all(value(a, b, x) > 0 if strict else value(a, b, x) >= 0 for a, b, strict in rels)

    return ok, lambda x: value(ca, cb, x)


@settings(max_examples=12, deadline=None)
@given(R_e=st.integers(0, 6), C_e=st.integers(1, 8), a=st.sampled_from([0, Fraction(1, 4), Fraction(1, 2)]),
       cs=st.integers(1, 4), ct=st.integers(1, 4), cf=st.integers(0, 3))
def test_no_cheaper_grid_point(R_e, C_e, a, cs, ct, cf):
    """The cheapest mix satisfies every condition, and no grid point that does is cheaper.

    Valid regime: with R_s = 4, C_s = 1 and a <= 1/2 the school's condition (1 - a) R_s > C_s holds,
    so the target is reachable with a large enough subsidy.
    """
    game = base(R_e=R_e, C_e=C_e, a=a)
    insts = [Subsidy("enterprise", "s", when={"enterprise": "participate"}),
             TaxRelief("enterprise", Parameter("t", domain=PROBABILITY), C_e, when={"enterprise": "participate"}),
             Penalty("enterprise", "f", when={"enterprise": "nominal"})]
    best = cheapest_policy(game, TARGET, insts, costs={"s": cs, "t": ct, "f": cf})
    assert best.status == "optimal"
    if best.attained:
        assert best.satisfies(best.levels)
        assert best.cost_at(best.levels) == best.cost
    else:
        assert not best.satisfies(best.levels)  # the limit point itself fails a strict condition
    ok, cost = _checker(best)
    names = [s.name for s in best.symbols]
    axes = {"s": exact_linspace(0, 8, 17), "t": exact_linspace(0, 1, 5), "f": exact_linspace(0, 8, 17)}
    optimum = Fraction(str(best.cost))
    for point in itertools.product(*(axes[n] for n in names)):
        if ok(point):
            assert cost(point) >= optimum
            if not best.attained:
                assert cost(point) > optimum


def test_markdown_report():
    text = cheapest_policy(base(), TARGET, instruments()[:2]).to_markdown()
    assert "| status | optimal |" in text and "no (infimum)" in text and "| binding | s + 3*t > 2 |" in text


def test_default_payer_is_the_government_player_never_a_silent_zero():
    # Regression (issue 17): with payer=None the cost used to be the outside budget alone, 0 in a
    # game whose government player pays the subsidy. Derivation (base()): at (deep, participate)
    # the enterprise gains R_e - C_e + s - a R_e = s - 2 by participating, so s > 2; the
    # government pays s there, hence the infimum cost 2 (not attained).
    g3 = Game(["school", "enterprise", "government"],
              {"school": ["deep", "shallow"], "enterprise": ["participate", "nominal"], "government": ["active"]},
              {prof + ("active",): list(base().payoffs(prof)) + [0] for prof in base().profiles()})
    sub = [Subsidy("enterprise", "s", when={"enterprise": "participate"}, payer="government")]
    best = cheapest_policy(g3, TARGET + ("active",), sub)
    assert best.cost == 2 and best.payer == "public budget"
    named = cheapest_policy(g3, TARGET + ("active",), sub, payer="government")
    assert named.cost == best.cost
    # The outside budget alone, named explicitly, pays nothing here: the zero is then asked for.
    outside = cheapest_policy(g3, TARGET + ("active",), sub, payer="outside")
    assert outside.cost == 0 and outside.payer == "outside"
    assert "cost to outside budget" in outside.to_markdown()
