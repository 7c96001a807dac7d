"""Reproduce the claims table of papers/002_li_wang/README.md (Jun Li and Heyao Wang, the
industry-education integration city).

Models: government_school_enterprise (3), integration_city (7). Every number is exact and
computed here from the catalogue; run with ``--write`` to refresh the README, ``--check`` to test
that it is current, ``--quick`` for a small simulation cross-check.
"""

from __future__ import annotations

import sys
from pathlib import Path

import sympy

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import Claim, Verdict, fmt, main, minimum_level, profile_text, strict_equilibria, threshold_text

from coopgame import models
from coopgame.models.integration_city import critical_discount_factor

README = Path(__file__).resolve().parent / "README.md"


def _stage_numbers(game, values):
    """T, R, P, S of the school in the symmetric stage game."""
    u = {p: game.payoff("school", p).xreplace(values) for p in game.profiles()}
    return (u[("opportunist", "cooperate")], u[("cooperate", "cooperate")], u[("opportunist", "opportunist")],
            u[("cooperate", "opportunist")])


def _delta(model, game, **overrides):
    values = model.values(overrides)
    return critical_discount_factor(game, values=values).threshold


def build() -> list[Claim]:
    city = models.get("integration_city")
    gse = models.get("government_school_enterprise")
    d = city.defaults
    claims = []

    # C1: profit-seeking enterprises, keen universities, no balance of interests.
    T, R, P, S = _stage_numbers(city.game, d)
    eq_city = strict_equilibria(city.game, d)
    eq_gse = strict_equilibria(gse.game, gse.defaults)
    claims.append(Claim(
        "C1", "3.2", "Enterprises put their own profit first while universities are keen, so the two find no "
        "balance of interests and cooperation stays narrow.", "integration_city; government_school_enterprise",
        f"One-shot stage game at the defaults: T, R, P, S = {T}, {R}, {P}, {S}, a prisoner's dilemma; the only "
        f"stable state is {profile_text(eq_city[0])}. In the government model without policy the only stable "
        f"state is {profile_text(eq_gse[0])}: the school commits, the enterprise does not.",
        Verdict.SUPPORTS if T > R > P > S and len(eq_city) == 1 else Verdict.CONTRADICTS))

    # C2: information asymmetry and opportunism.
    ps = [sympy.Integer(0), sympy.Rational(1, 5), sympy.Rational(1, 2), sympy.Integer(1)]
    deltas = [_delta(city, city.game, p=p) for p in ps]
    claims.append(Claim(
        "C2", "5.4", "Conflicts of interest, information asymmetry and opportunism keep cross-system cooperation "
        "from happening.", "integration_city",
        "Critical discount factor of lasting cooperation (grim trigger on detection) for detection probability "
        f"p = {', '.join(map(sympy.sstr, ps))}: {', '.join(map(sympy.sstr, deltas))}. With p = 0 opportunism is "
        "never deterred (threshold 1); the less is seen, the more patient both sides must be.",
        Verdict.SUPPORTS if deltas[0] == 1 and all(a >= b for a, b in zip(deltas, deltas[1:])) else
        Verdict.CONTRADICTS))

    # C3: trust lowers cooperation costs.
    taus = [sympy.Integer(0), sympy.Rational(1, 4), sympy.Rational(1, 2), sympy.Rational(3, 4)]
    deltas_tau = [_delta(city, city.game, tau=t) for t in taus]
    one_shot = minimum_level("integration_city", [], "tau")
    claims.append(Claim(
        "C3", "5.4", "A trust mechanism lowers the cost of cooperating and gets cooperation out of the dilemma.",
        "integration_city",
        f"Threshold for trust tau = {', '.join(map(sympy.sstr, taus))}: {', '.join(map(sympy.sstr, deltas_tau))} "
        f"(p = {d[city.parameter('p').symbol]}). In the one-shot game, trust alone making cooperation stable: tau "
        f"{threshold_text(one_shot)}; trust works through the repeated relationship.",
        Verdict.SUPPORTS if all(a > b for a, b in zip(deltas_tau, deltas_tau[1:])) and not one_shot.feasible
        else Verdict.QUALIFIES))

    # C4: government incentives in finance, land, credit.
    incentive = minimum_level("integration_city", ["incentives"], "s")
    spend = incentive.outside_spending.xreplace({city.parameter("s").symbol: incentive.infimum})
    claims.append(Claim(
        "C4", "5.1", "The government supports integrating enterprises in finance, land and credit.",
        "integration_city",
        f"Incentive s per cooperating side making one-shot cooperation stable: s {threshold_text(incentive)} "
        f"(= T - R), so the outside budget pays more than {fmt(spend)} a year for the pair; patient partners "
        f"(discount factor at least {sympy.sstr(deltas[1])}) cooperate without it.",
        Verdict.QUALIFIES if incentive.feasible else Verdict.CONTRADICTS))

    # C5: practice platforms.
    platform = minimum_level("integration_city", ["platform"], "q")
    with_platform = [critical_discount_factor(city.with_policy("platform"), values=city.values({"q": q})).threshold
                     for q in (sympy.Integer(0), sympy.Rational(1, 2), sympy.Integer(1))]
    claims.append(Claim(
        "C5", "5.1", "Practice platforms and standards for integrating enterprises improve the allocation of "
        "school-enterprise resources.", "integration_city",
        f"A platform that detects what the partner misses (probability q) cannot alone make one-shot cooperation "
        f"stable at the defaults (q in [0, 1]: {threshold_text(platform)}), but it lowers the threshold: q = 0, 1/2, 1 give "
        f"{', '.join(map(sympy.sstr, with_platform))}.",
        Verdict.QUALIFIES))

    # C6: the government as leader; visible and invisible hands.
    full = gse.with_policy()
    levels = gse.values(policy=True)
    eq_fund = strict_equilibria(full, levels)
    eq_rect = strict_equilibria(full, gse.values({"P": 2}))
    target = gse.target
    passive = ("passive",) + tuple(target[1:])
    stays = (full.payoff("government", target) - full.payoff("government", passive)).xreplace(levels)
    claims.append(Claim(
        "C6", "5.1", "The government leads: it plans, funds and promotes integration, combining the visible hand "
        "with the market.", "government_school_enterprise",
        f"With the documented fund guarantee s = {sympy.sstr(dict(gse.policy_levels)['s'])}, stable states: "
        f"{'; '.join(profile_text(p) for p in eq_fund)} — cooperation becomes stable but the passive status quo "
        f"stays stable; a rectification penalty P = 2 leaves only {'; '.join(profile_text(p) for p in eq_rect)}. "
        f"At full cooperation an active government gains {fmt(stays)} over turning passive: its role is "
        f"self-enforcing, not only scaffolding.",
        Verdict.QUALIFIES if len(eq_fund) > 1 else Verdict.SUPPORTS))
    return claims


if __name__ == "__main__":
    sys.exit(main(build, ["integration_city", "government_school_enterprise"], README))
