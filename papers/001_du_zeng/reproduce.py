"""Reproduce the claims table of papers/001_du_zeng/README.md (Ting Du and Shaolun Zeng, the
high-quality talents training community in secondary vocational education).

Models: school_enterprise (1), internship (2), government_school_enterprise (3), dual_teachers
(6). Every number is exact and computed here from the catalogue; run with ``--write`` to refresh
the README, ``--check`` to test that it is current, ``--quick`` for a small simulation
cross-check.
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
from coopgame.analysis import strict_nash_condition, threshold
from coopgame.findings import public_cost

README = Path(__file__).resolve().parent / "README.md"


def _gain(game, player, profile, alternative, values):
    """What ``player`` gains at ``profile`` over switching to ``alternative``."""
    i = game.player_index(player)
    other = list(profile)
    other[i] = alternative
    return (game.payoff(player, tuple(profile)) - game.payoff(player, tuple(other))).xreplace(values)


def build() -> list[Claim]:
    se = models.get("school_enterprise")
    intern = models.get("internship")
    gse = models.get("government_school_enterprise")
    teachers = models.get("dual_teachers")
    claims = []

    # C1: profit-seeking enterprises withdraw when expected benefits are not met.
    eq = strict_equilibria(se.game, se.defaults)
    gain = _gain(se.game, "enterprise", se.target, "nominal", se.defaults)
    claims.append(Claim(
        "C1", "3.2.2(1)", "Schools seek enterprises' resources and value social benefit; enterprises count costs and "
        "returns, and when the expected return is not met their will to cooperate fades.", "school_enterprise",
        f"Without policy the only stable state is {profile_text(eq[0])}; facing a deep school, an enterprise "
        f"that participates rather than stays nominal changes its payoff by R_e - C_e - K - F_e = {fmt(gain)}.",
        Verdict.SUPPORTS if eq == [("deep", "nominal")] else Verdict.CONTRADICTS))

    # C2: the clash of school and corporate cultures.
    fund = se.with_policy("fund_guarantee")
    cond = strict_nash_condition(fund, se.target)
    levels = se.values(policy=True)
    k_sym = se.parameter("K").symbol
    k_range = threshold(cond, "K", values={k: v for k, v in levels.items()
                                           if k != k_sym and k.name in {s.name for s in fund.free_symbols}})
    claims.append(Claim(
        "C2", "3.2.2(1)", "Unequal school and corporate cultures distort training goals and strain cooperation.",
        "school_enterprise",
        f"Treating the culture clash as a coordination cost K borne by both sides when they commit: with the "
        f"documented fund guarantee s = {sympy.sstr(dict(se.policy_levels)['s'])}, full cooperation is stable only "
        f"for K < {sympy.sstr(k_range.supremum)} (default K = {se.defaults[k_sym]}); a larger clash undoes the "
        "subsidy.", Verdict.SUPPORTS if k_range.supremum > se.defaults[k_sym] else Verdict.QUALIFIES))

    # C3: interns as cheap labour.
    eq_i = strict_equilibria(intern.game, intern.defaults)
    train_gain = _gain(intern.game, "enterprise", ("train", "engage"), "exploit", intern.defaults)
    claims.append(Claim(
        "C3", "3.2.2(2)", "Students feel used as cheap labour on observation-only posts; enterprises want cheap labour "
        "but fear interns' operational errors and safety incidents.", "internship",
        f"Without policy the only stable state is {profile_text(eq_i[0])}; even facing an engaged intern, training "
        f"on a real post instead of exploiting changes the enterprise's payoff by {fmt(train_gain)}.",
        Verdict.SUPPORTS if eq_i and eq_i[0][0] == "exploit" else Verdict.CONTRADICTS))

    # C4: tax and fee reduction.
    tax = minimum_level("school_enterprise", ["tax_relief"], "tau")
    tax_gse = minimum_level("government_school_enterprise", ["tax_relief"], "tau")
    claims.append(Claim(
        "C4", "4.2.3", "Reducing taxes and fees raises schools' and enterprises' sense of responsibility and willingness "
        "to cooperate.", "school_enterprise; government_school_enterprise",
        f"Tax and fee relief on the enterprise's training cost alone stabilises full cooperation for a rate tau "
        f"{threshold_text(tax)} (outside cost {fmt(tax.outside_spending)} per partnership); in the government model, "
        f"where the government pays it, tau {threshold_text(tax_gse)}.",
        Verdict.SUPPORTS if tax.feasible and tax_gse.feasible else Verdict.QUALIFIES))

    # C5: fund guarantee.
    fund_min = minimum_level("school_enterprise", ["fund_guarantee"], "s")
    subsidy_i = minimum_level("internship", ["training_subsidy"], "s")
    claims.append(Claim(
        "C5", "4.2.3", "A fund-guarantee system supports cooperation in educating people.",
        "school_enterprise; internship",
        f"A subsidy to a participating enterprise: s {threshold_text(fund_min)}; a subsidy to an enterprise that "
        f"trains interns on real posts: s {threshold_text(subsidy_i)} (paid from outside: "
        f"{fmt(subsidy_i.outside_spending)} per intern).",
        Verdict.SUPPORTS if fund_min.feasible and subsidy_i.feasible else Verdict.QUALIFIES))

    # C6: positive publicity.
    pub_i = minimum_level("internship", ["publicity"], "r")
    pub_gse = minimum_level("government_school_enterprise", ["publicity"], "r")
    gov_campaign = public_cost(gse.with_policy("publicity"), gse.target).xreplace(
        {k: v for k, v in gse.defaults.items() if k.name != "r"})
    claims.append(Claim(
        "C6", "4.2.3", "Positive publicity for cooperating schools and enterprises raises their sense of honour.",
        "internship; government_school_enterprise",
        f"A reputation gain for an enterprise that trains interns: r {threshold_text(pub_i)}; publicity for a "
        f"committed school and enterprise in the government model: r {threshold_text(pub_gse)}; the campaign "
        f"costs the outside budget {fmt(pub_i.outside_spending)} ({fmt(spending_at_minimum(pub_i))} at the "
        f"smallest level), and the government {fmt(gov_campaign)} in its model.",
        Verdict.SUPPORTS if pub_i.feasible and pub_gse.feasible else Verdict.QUALIFIES))

    # C7: rectification of organisations that do not act.
    rect = minimum_level("school_enterprise", ["rectification"], "P")
    full = gse.with_policy("rectification")
    # A passive government facing a nominal enterprise starts enforcing iff the penalty it collects,
    # net of its inspections, pays for governing: (1 - kappa) P > C_g - L_g.
    g_sym = {p.name: p.symbol for p in gse.parameters}
    p_start = ((g_sym["C_g"] - g_sym["L_g"]) / (1 - g_sym["kappa"])).xreplace(gse.defaults)
    p_level = max(rect.infimum, p_start) + 1
    unique_at = strict_equilibria(full, gse.values({"P": p_level}))
    claims.append(Claim(
        "C7", "4.2.4", "Organisations that do not act receive rectification opinions and follow-up evaluation; "
        "results are made public.", "school_enterprise; government_school_enterprise",
        f"A penalty on nominal participation: P {threshold_text(rect)}; in the government model a passive "
        f"government starts enforcing only for P > (C_g - L_g)/(1 - kappa) = {sympy.sstr(p_start)} (the penalty net "
        f"of its inspections must pay for governing), and a penalty of P = {sympy.sstr(p_level)} on both "
        "organisations leaves "
        f"{'; '.join(profile_text(p) for p in unique_at)} as the only stable state(s); at full cooperation nobody "
        f"pays the penalty, but the inspections behind it cost the outside budget {fmt(rect.outside_spending)} "
        f"({fmt(spending_at_minimum(rect))} at the smallest level).",
        Verdict.SUPPORTS if rect.feasible and unique_at == [gse.target] else Verdict.QUALIFIES))

    # C8: teachers hindered in the two-way flow.
    eq_t = strict_equilibria(teachers.game, teachers.defaults)
    claims.append(Claim(
        "C8", "3.2.2(3)", "Different values and management systems of schools and enterprises hinder teachers' two-way "
        "flow and professional development.", "dual_teachers",
        f"Without reform the only stable state is {profile_text(eq_t[0])}: seconding does not pay the school "
        f"(Q_t < K) and hosting does not pay the enterprise (G + H < D).",
        Verdict.SUPPORTS if eq_t == [("keep", "refuse")] else Verdict.CONTRADICTS))

    # C9: salary incentives for those who teach.
    t_levels = dict(teachers.policy_levels)
    w_min = minimum_level("dual_teachers", ["evaluation_reform", "salary_reform"], "W", {"E": t_levels["E"]})
    e_alone = minimum_level("dual_teachers", ["evaluation_reform", "salary_reform"], "E", {"W": 0})
    claims.append(Claim(
        "C9", "4.2.1", "Breaking the old salary system and paying teachers and enterprise trainers who take part in "
        "teaching builds the joint faculty.", "dual_teachers",
        f"With the evaluation credit E = {t_levels['E']}, pay for engineers' teaching W {threshold_text(w_min)} "
        f"makes (second, host) stable; without that pay no evaluation credit does (E: {threshold_text(e_alone)}).",
        Verdict.SUPPORTS if w_min.feasible and not e_alone.feasible else Verdict.QUALIFIES))

    # C10: incentives from an active government.
    s_level = dict(gse.policy_levels)["s"]
    eq_fund = strict_equilibria(gse.with_policy("fund_guarantee"), gse.values(policy=True))
    claims.append(Claim(
        "C10", "4.2.3, 4.2.4", "Government departments secure cooperation through policy: incentives for those who "
        "take part, follow-up for those who do not.", "government_school_enterprise",
        f"With the government as a player who pays its own instruments, the fund guarantee s = {sympy.sstr(s_level)} "
        f"gives the stable states {'; '.join(profile_text(p) for p in eq_fund)}: incentives make cooperation "
        "possible but do not remove the passive status quo; the rectification of C7 does.",
        Verdict.QUALIFIES if len(eq_fund) > 1 else Verdict.SUPPORTS))
    return claims


if __name__ == "__main__":
    sys.exit(main(build, ["school_enterprise", "internship", "government_school_enterprise", "dual_teachers"],
                  README))
