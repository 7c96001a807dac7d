"""Reproduce the claims table of papers/004_sha/README.md (Yan Sha, vocational education groups).

Models: education_group (5), dual_teachers (6), school_enterprise (1). Every number is exact and
computed here from the catalogue; run with ``--write`` to refresh the README, ``--check`` to test
that it is current, ``--quick`` for a small simulation cross-check.
"""

from __future__ import annotations

import sys
from pathlib import Path

import sympy

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import (
    Claim,
    Verdict,
    fmt,
    main,
    minimum_level,
    profile_text,
    spending_at_minimum,
    strict_equilibria,
    threshold_text,
)

from coopgame import models
from coopgame.models import education_group as eg

README = Path(__file__).resolve().parent / "README.md"


def _enterprise_gain(game, defaults, n):
    """An enterprise's gain from contributing when everybody else contributes."""
    target = tuple("contribute" for _ in game.players)
    deviate = ("contribute", "free_ride") + tuple("contribute" for _ in range(n - 1))
    return (game.payoff("enterprise_1", target) - game.payoff("enterprise_1", deviate)).xreplace(defaults)


def build() -> list[Claim]:
    group = models.get("education_group")
    d = group.defaults
    claims = []

    # C1: hot schools, cold enterprises under equal sharing.
    eq = strict_equilibria(group.game, d)
    gain = _enterprise_gain(group.game, d, 2)
    claims.append(Claim(
        "C1", "2, 3.1", "Without group mechanisms schools are keen and enterprises stay cold: enterprises treat "
        "participation as a duty, not an investment.", "education_group",
        f"Equal sharing, defaults: the only stable state is {profile_text(eq[0])}; an enterprise's gain from "
        f"contributing is (b_e + g)/3 - c_e = {fmt(gain)} while the school's alone is b_s/3 - c_s = "
        f"{fmt((group.game.symbol('b_s') / 3 - group.game.symbol('c_s')).xreplace(d))}.",
        Verdict.SUPPORTS if eq == [("contribute", "free_ride", "free_ride")] else Verdict.CONTRADICTS))

    # C2: imperfect benefit distribution; sharing by contribution.
    extras = dict(group.extras)
    gains = {rule: _enterprise_gain(extras[f"game_{rule}"] if rule != "equal" else group.game, d, 2)
             for rule in eq_rules()}
    stable = {rule: strict_equilibria(extras[f"game_{rule}"], d) == [group.target] for rule in ("proportional", "shapley")}
    claims.append(Claim(
        "C2", "3.1, 4.1", "Imperfect benefit-distribution mechanisms keep cooperation shallow; sharing benefits "
        "(talent sharing, joint research) raises enterprises' motivation.", "education_group",
        "Enterprise's gain from contributing (others contributing): equal "
        f"{fmt(gains['equal'])}, proportional to cost {fmt(gains['proportional'])}, Shapley {fmt(gains['shapley'])}; "
        f"full contribution is the only stable state without any council instrument under proportional "
        f"sharing: {_yes(stable['proportional'])}; under Shapley sharing: {_yes(stable['shapley'])}.",
        Verdict.SUPPORTS if all(stable.values()) and gains["equal"] < 0 else Verdict.QUALIFIES))

    # C3: council governance.
    penalty = minimum_level("education_group", ["penalty"], "F")
    reputation = minimum_level("education_group", ["reputation"], "rho")
    claims.append(Claim(
        "C3", "4.1", "A council with defined rights and duties (decision, consultation, execution) makes the group "
        "work.", "education_group",
        f"Council penalty on free-riders alone: F {threshold_text(penalty)}; publicity alone: rho "
        f"{threshold_text(reputation)} (each with the other at 0). Neither is free: at full contribution the "
        f"outside budget pays the council's audit behind the penalty, {fmt(penalty.outside_spending)}, and the "
        f"publicity campaign for every member, {fmt(reputation.outside_spending)}; at the smallest levels "
        f"{fmt(spending_at_minimum(penalty))} and {fmt(spending_at_minimum(reputation))}.",
        Verdict.SUPPORTS if penalty.feasible and reputation.feasible else Verdict.CONTRADICTS))

    # C4: economies of scale vs free-riding.
    needed, shapley_gain = [], []
    for n in range(1, 5):
        g_equal = eg.group_game(n, "equal")
        g_shap = eg.group_game(n, "shapley")
        needed.append(sympy.Max(0, -_enterprise_gain(g_equal, d, n)))
        shapley_gain.append(_enterprise_gain(g_shap, d, n))
    claims.append(Claim(
        "C4", "2", "Group operation integrates resources and brings economies of scale.", "education_group",
        "Under equal sharing each member keeps 1/(n+1) of what it adds, so the council instrument F + rho an "
        f"enterprise needs grows with the number of enterprises n = 1..4: {', '.join(sympy.sstr(x) for x in needed)}; "
        f"under Shapley sharing its gain stays positive: {', '.join(sympy.sstr(x) for x in shapley_gain)}.",
        Verdict.QUALIFIES))

    # C5: government leads, industry guides, enterprises participate, schools at the centre.
    bd = extras["benefit_distribution"]
    tu_defaults = {p.symbol: p.default for p in bd.parameters}
    phi = [bd.shapley()[p].xreplace(tu_defaults) for p in bd.players]
    equal_blocks = bd.core_violations(bd.equal_split())
    worst = max(equal_blocks, key=lambda item: item[1]) if equal_blocks else None
    claims.append(Claim(
        "C5", "4.1", "Government, industry association, enterprises and schools each play their role in a shared "
        "mechanism.", "education_group (TU game)",
        f"The benefit-distribution game is convex; its Shapley value (government, association, enterprise, school) "
        f"= ({', '.join(sympy.sstr(x) for x in phi)}) is in the core (blocking coalitions: "
        f"{len(bd.core_violations(bd.shapley()))}); an equal split is blocked by {len(equal_blocks)} coalitions, "
        f"e.g. {{{', '.join(sorted(worst[0]))}}} short by {sympy.sstr(worst[1])}.",
        Verdict.SUPPORTS if not bd.core_violations(bd.shapley()) else Verdict.CONTRADICTS))

    # C6: shortage of dual-qualified teachers.
    teachers = models.get("dual_teachers")
    eq_t = strict_equilibria(teachers.game, teachers.defaults)
    claims.append(Claim(
        "C6", "3.3", "Title evaluation and pay that ignore enterprise practice block two-way mobility, so "
        "dual-qualified teachers are short.", "dual_teachers",
        f"Status quo at the defaults: the only stable state is {profile_text(eq_t[0])} (seconding pays the school "
        f"Q_t - K = {fmt((teachers.game.symbol('Q_t') - teachers.game.symbol('K')).xreplace(teachers.defaults))}, "
        f"hosting pays the enterprise G + H - D = "
        f"{fmt((teachers.game.symbol('G') + teachers.game.symbol('H') - teachers.game.symbol('D')).xreplace(teachers.defaults))}).",
        Verdict.SUPPORTS if eq_t == [("keep", "refuse")] else Verdict.CONTRADICTS))

    # C7: evaluation reform.
    levels = dict(teachers.policy_levels)
    e_min = minimum_level("dual_teachers", ["evaluation_reform", "salary_reform", "hosting_subsidy"], "E",
                          {"W": levels["W"], "S_h": levels["S_h"]})
    only_eval = teachers.with_policy("evaluation_reform")
    eq_eval = strict_equilibria(only_eval, teachers.values({"E": 100}))
    claims.append(Claim(
        "C7", "4.3", "Counting enterprise practice in teacher evaluation motivates teachers' development.",
        "dual_teachers",
        f"With hosting paid for, the evaluation credit needed is E {threshold_text(e_min)} (= K - Q_t); but "
        f"evaluation reform alone, even at E = 100, leaves {', '.join(profile_text(p) for p in eq_eval)} as the "
        f"only stable state: the enterprise still refuses (D > H).",
        Verdict.QUALIFIES))

    # C8: dual hire and incentives for technicians.
    w_min = minimum_level("dual_teachers", ["evaluation_reform", "salary_reform"], "W", {"E": levels["E"]})
    full = teachers.with_policy()
    claims.append(Claim(
        "C8", "4.3, 5.2", "A dual-hire system and incentives give enterprise technicians the motive and time to teach.",
        "dual_teachers",
        f"With the evaluation reform at E = {levels['E']}, pay for engineers' teaching W {threshold_text(w_min)} "
        f"(= D - G - H) makes (second, host) stable; at the documented level E, W, S_h = "
        f"{', '.join(str(levels[k]) for k in ('E', 'W', 'S_h'))} it is the only stable state: "
        f"{_yes(strict_equilibria(full, teachers.values(policy=True)) == [teachers.target])}.",
        Verdict.SUPPORTS if w_min.feasible else Verdict.CONTRADICTS))

    # C9: the Xiangdian case: the enterprise takes the school's development into its own strategy.
    se = models.get("school_enterprise")
    t_min = minimum_level("school_enterprise", ["benefit_sharing"], "T")
    eq_se = strict_equilibria(se.game, se.defaults)
    claims.append(Claim(
        "C9", "5.1", "In the Xiangdian case the enterprise built the school into its strategy and shares its "
        "results, which ended 'hot schools, cold enterprises' for decades.", "school_enterprise",
        f"Without sharing the only stable state is {profile_text(eq_se[0])}; a transfer of the school's gain to "
        f"the enterprise when both commit of T {threshold_text(t_min)} makes (deep, participate) stable with no "
        f"outside money ({fmt(t_min.outside_spending)}).",
        Verdict.SUPPORTS if t_min.feasible else Verdict.CONTRADICTS))
    return claims


def eq_rules():
    return eg.SHARING_RULES


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


if __name__ == "__main__":
    sys.exit(main(build, ["education_group", "dual_teachers", "school_enterprise"], README))
