"""Reproduce the claims table of papers/003_he/README.md (Zhou He, optimising the school-enterprise
cooperation mechanism in vocational education).

Models: school_enterprise (1), internship_bargaining (4), education_group (5). Every number is
exact and computed here from the catalogue; run with ``--write`` to refresh the README,
``--check`` to test that it is current, ``--quick`` for a small simulation cross-check.
"""

from __future__ import annotations

import sys
from pathlib import Path

import sympy

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import Claim, Verdict, fmt, main, minimum_level, profile_text, strict_equilibria, threshold_text

from coopgame import models
from coopgame.analysis import strict_nash_condition, threshold
from coopgame.models.internship_bargaining import agreement, cheap_labour_condition, critical_discount_factor

README = Path(__file__).resolve().parent / "README.md"


def build() -> list[Claim]:
    bargain = models.get("internship_bargaining")
    se = models.get("school_enterprise")
    group = models.get("education_group")
    claims = []

    # C1: a disadvantaged party ends up serving the stronger party's goals.
    deal = agreement(bargain.defaults)
    phi, value = bargain.parameter("phi").symbol, bargain.parameter("V").symbol
    fair = (phi * value).xreplace(bargain.defaults)
    others = {k: v for k, v in bargain.defaults.items() if k.name != "beta_t"}
    power = threshold(sympy.Not(cheap_labour_condition(policy=False)), "beta_t", values=others)
    total_others = sum(bargain.defaults[bargain.parameter(n).symbol] for n in ("beta_e", "beta_c"))
    needed_share = power.infimum / (power.infimum + total_others)
    claims.append(Claim(
        "C1", "5.2", "Interaction must stay balanced: if one party is in a weak position, training ends up serving the "
        "stronger party's goals.", "internship_bargaining",
        f"With the student's bargaining share {sympy.sstr(deal.student_share)}, the bargained wage is "
        f"{sympy.sstr(deal.wage)} against a fair share {sympy.sstr(fair)} of the labour value: cheap labour "
        f"({'yes' if deal.cheap_labour else 'no'}). The student escapes it only with bargaining power beta_t "
        f"{threshold_text(power)}, a share of at least {sympy.sstr(needed_share)} of the total.",
        Verdict.SUPPORTS if deal.cheap_labour and power.feasible else Verdict.QUALIFIES))

    # C2: a stable, lasting partnership; joint assessment makes exploitation visible.
    visibilities = [bargain.defaults[bargain.parameter("p").symbol], sympy.Rational(1, 2), sympy.Integer(1)]
    deltas = [critical_discount_factor(bargain.defaults, visibility=q) for q in visibilities]
    claims.append(Claim(
        "C2", "5.1, 5.4", "Schools and enterprises should manage practical training jointly and assess students "
        "together, building a stable and lasting partnership.", "internship_bargaining",
        "Across cohorts, the enterprise honours the agreement iff its discount factor is at least "
        f"{', '.join(map(sympy.sstr, deltas))} when exploitation becomes known to later cohorts with probability "
        f"{', '.join(map(sympy.sstr, visibilities))}: joint assessment, by making exploitation visible, lowers "
        "the patience a lasting partnership needs.",
        Verdict.SUPPORTS if all(a > b for a, b in zip(deltas, deltas[1:])) else Verdict.QUALIFIES))

    # C3: choose compatible partners rather than famous ones.
    fund = se.with_policy("fund_guarantee")
    cond = strict_nash_condition(fund, se.target)
    levels = se.values(policy=True)
    k_sym = se.parameter("K").symbol
    vals = {k: v for k, v in levels.items() if k != k_sym and k.name in {s.name for s in fund.free_symbols}}
    k_range = threshold(cond, "K", values=vals)
    g_needed = minimum_level("education_group", [], "g")
    claims.append(Claim(
        "C3", "5.5", "Schools should choose partners whose industry and needs match theirs, not the best-known firms.",
        "school_enterprise; education_group",
        f"The partner enters the conditions through its fit, not its size: a coordination cost K that lowers both "
        f"sides' gains and a complementarity g that raises them. With the fund guarantee, full school-enterprise "
        f"cooperation needs K < {sympy.sstr(k_range.supremum)}; in a group with equal sharing, enterprises contribute without any council "
        f"instrument once the school-enterprise complementarity g {threshold_text(g_needed)} (default "
        f"{group.defaults[group.parameter('g').symbol]}).",
        Verdict.SUPPORTS if k_range.supremum > 0 and g_needed.feasible else Verdict.QUALIFIES))

    # C4: power distributed equitably; benefit sharing.
    extras = dict(group.extras)
    shap = strict_equilibria(extras["game_shapley"], group.defaults)
    bd = extras["benefit_distribution"]
    equal_blocks = bd.core_violations(bd.equal_split())
    claims.append(Claim(
        "C4", "5.1, 5.2", "Only an organisation that distributes power and benefits equitably makes collaboration "
        "effective.", "education_group",
        f"Sharing the group's output by the Shapley value of the contributions leaves as the only stable state "
        f"{'; '.join(profile_text(p) for p in shap)}, without penalties; in the benefit-distribution "
        f"game the Shapley value is in the core, while an equal split is blocked by {len(equal_blocks)} coalitions. "
        f"Equitable here means by contribution, not equal.",
        Verdict.QUALIFIES))

    # C5: defects in the cooperation mechanism reduce its effectiveness.
    eq = strict_equilibria(se.game, se.defaults)
    sharing = minimum_level("school_enterprise", ["benefit_sharing"], "T")
    claims.append(Claim(
        "C5", "4.4, 5.2", "Defects in the cooperation mechanism and unclear purposes reduce the effectiveness of "
        "cooperation; both sides must keep interacting.", "school_enterprise",
        f"Without a mechanism the only stable state is {profile_text(eq[0])} (the school commits, the enterprise "
        f"free-rides); a benefit-sharing transfer from the school to the enterprise when both commit of T "
        f"{threshold_text(sharing)} makes (deep, participate) stable at no outside cost "
        f"({fmt(sharing.outside_spending)}).",
        Verdict.SUPPORTS if sharing.feasible else Verdict.QUALIFIES))
    return claims


if __name__ == "__main__":
    sys.exit(main(build, ["school_enterprise", "internship_bargaining", "education_group"], README))
