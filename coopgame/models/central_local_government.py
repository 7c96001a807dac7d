"""Central and local government, school and enterprise: the four-party structure of the field.

Du and Zeng (section 3.1) list the government and the education and human-resources departments
among the stakeholders of a vocational training community; Li and Wang (section 5.1) give the
government the leading role with finance, land and credit, and (section 5.4) name information
asymmetry and opportunism as the dilemma of cooperation. In China's system the central
government sets the policy and evaluates the local governments, which carry it out and pay for
most of it; the published evolutionary-game literature of the field models this as four
populations. Here:

* the *central government* ``supervises`` local governments (fixed cost :math:`c_c`, and the
  inspection instrument's cost) or stays ``lax``; it values the national gain :math:`W_c` of full
  cooperation, of which only the share :math:`\\theta_c` is realised without its evaluation, and
  a lax central government bears :math:`L_c` when the local government neglects the policy;
* the *local government* ``supports`` cooperation (administration and platform, cost
  :math:`c_l`) or ``neglects`` it; it values the local gain :math:`W_l` (employment, tax base),
  of which only :math:`\\theta_l` is realised without its support;
* school and enterprise play the game of :mod:`coopgame.models.school_enterprise`.

.. math::

    u_C &= W_c\\,[\\text{full}] - c_c \\ \\text{(supervise)}, &
    u_C &= \\theta_c W_c\\,[\\text{full}] - L_c\\,[\\text{neglect}] \\ \\text{(lax)}, \\\\
    u_L &= W_l\\,[\\text{full}] - c_l \\ \\text{(support)}, &
    u_L &= \\theta_l W_l\\,[\\text{full}] \\ \\text{(neglect)}.

Instruments, with what they really cost:

* ``local_subsidy``: a supporting local government pays :math:`s` to a participating enterprise;
* ``matching_grant``: a supervising central government pays :math:`m` to a supporting local
  government (a transfer inside the public sector: it moves cost, it does not create any);
* ``inspection``: the central government inspects with probability :math:`p` (the detection
  probability: without inspection it cannot tell support from neglect, the information asymmetry
  of Li and Wang section 5.4); a local government found neglecting pays the accountability
  penalty :math:`F` to it, and inspecting costs :math:`\\kappa p` whether or not anyone neglects,
  so enforcement is paid at full cooperation too;
* ``publicity``: a supporting local government publicises committed schools and enterprises
  (reputation :math:`r` to each), at a campaign cost :math:`\\kappa_r r` it pays; publicity is
  capped, :math:`r \\le 3`, because attention is finite.

Defaults are illustrative (10,000 yuan per partnership and year), not estimates: without
policy the only stable state is (lax, neglect, deep, nominal): the school is keen, the enterprise
cold, and neither government acts.

Examples
--------
>>> from coopgame.models import get
>>> m = get("central_local_government")
>>> m.game.players
('central_government', 'local_government', 'school', 'enterprise')
>>> [e.profile for e in m.game.pure_equilibria(strict=True) if e.holds(m.defaults)]
[('lax', 'neglect', 'deep', 'nominal')]
>>> g = m.with_policy()
>>> [e.profile for e in g.pure_equilibria(strict=True) if e.holds(m.values(policy=True))]
[('supervise', 'support', 'deep', 'participate')]
>>> g.payoff("central_government", ("supervise", "support", "deep", "participate"))
W_c - c_c - kappa*p - m
"""

from __future__ import annotations

import sympy

from ..core.game import Game
from ..core.parameters import NONNEGATIVE, POSITIVE, PROBABILITY, Domain, Parameter
from ..policy import Expense, Penalty, Reputation, Subsidy
from .base import SEED_REFERENCES, Model
from .school_enterprise import school_enterprise_parameters, school_enterprise_payoffs

__all__ = ["central_local_government", "findings_extra"]

_UNIT = "10,000 yuan per partnership per year"
SHARE = Domain.between(0, 1, name="share")

#: Publicity is capped: attention is finite.
R_CAP = 3


#: Publicity r = 5/2 and detection probability p = 3/4. The enterprise needs r > F_e - (R_e - C_e - K) = 1,
#: the local government 1 - kappa_r r + p F > 0 and the central government 2 - kappa p > 0. On the face
#: (deep, nominal) central and local government play an inspection game whose orbits circle the mixed
#: point with local support y* = 1 - (c_c + kappa p)/(p F + L_c) = 1/2; the enterprise leaves that face
#: because r y* = 5/4 > 1 (with r = 3/2 and F = 3 it does not: the trajectories cycle for ever).
POLICY_LEVELS = (("r", sympy.Rational(5, 2)), ("p", sympy.Rational(3, 4)))


def _government_parameters() -> tuple[Parameter, ...]:
    return (
        Parameter("W_c", "national gain of full cooperation valued by the central government (skills, upgrading)",
                  _UNIT, POSITIVE, 8, "Du2022 3.2.1(2); LiWang 5.1"),
        Parameter("theta_c", "share of the national gain realised without the central government's evaluation",
                  "share", SHARE, sympy.Rational(1, 2), "Du2022 4.2.4"),
        Parameter("c_c", "central government's fixed cost of supervising local governments", _UNIT, POSITIVE, 2,
                  "Du2022 4.2.4"),
        Parameter("L_c", "loss of a lax central government when the local government neglects the policy "
                  "(a visibly failed national policy)", _UNIT, NONNEGATIVE, 1, "LiWang 5.1"),
        Parameter("W_l", "local gain of full cooperation valued by the local government (employment, tax base)",
                  _UNIT, POSITIVE, 4, "LiWang 5.1, 5.2"),
        Parameter("theta_l", "share of the local gain realised without the local government's support", "share",
                  SHARE, sympy.Rational(1, 2), "LiWang 5.1"),
        Parameter("c_l", "local government's cost of supporting cooperation (administration, platform)", _UNIT,
                  POSITIVE, 1, "LiWang 5.2"),
        Parameter("F", "accountability penalty on a local government found neglecting the policy", _UNIT,
                  NONNEGATIVE, 6, "Du2022 4.2.4 (rectification)"),
        Parameter("kappa", "cost to the central government of inspecting with certainty (scaled by the detection "
                  "probability)", _UNIT, NONNEGATIVE, 1, "LiWang 5.4 (information asymmetry)"),
        Parameter("kappa_r", "campaign cost of one unit of publicity, paid by the local government", "yuan per yuan",
                  NONNEGATIVE, sympy.Rational(1, 2), "Du2022 4.2.3"),
    )


def _game(params, sym) -> Game:
    """The status quo: each level of government values its share of full cooperation (module docstring)."""
    W_c, theta_c, c_c, L_c, W_l, theta_l, c_l = (sym[n] for n in ("W_c", "theta_c", "c_c", "L_c", "W_l",
                                                                  "theta_l", "c_l"))
    payoffs = {}
    for (school, enterprise), (u_s, u_e) in school_enterprise_payoffs(sym).items():
        full = 1 if (school == "deep" and enterprise == "participate") else 0
        for central in ("supervise", "lax"):
            for local in ("support", "neglect"):
                u_l = full * W_l - c_l if local == "support" else theta_l * full * W_l
                if central == "supervise":
                    u_c = full * W_c - c_c
                else:
                    u_c = theta_c * full * W_c - (L_c if local == "neglect" else 0)
                payoffs[(central, local, school, enterprise)] = (sympy.sympify(u_c, strict=True), sympy.sympify(u_l, strict=True), u_s, u_e)
    return Game(["central_government", "local_government", "school", "enterprise"],
                [["supervise", "lax"], ["support", "neglect"], ["deep", "shallow"], ["participate", "nominal"]],
                payoffs, params, name="Central and local government, school and enterprise")


def _instruments(sym) -> tuple[tuple, tuple[Parameter, ...]]:
    """The four instruments, each enforcement and publicity instrument with its cost, and their level parameters."""
    s = Parameter("s", "local government's subsidy to a participating enterprise", _UNIT, NONNEGATIVE, 0,
                  "Du2022 4.2.3; LiWang 5.1")
    m = Parameter("m", "central government's matching grant to a supporting local government", _UNIT, NONNEGATIVE, 0,
                  "LiWang 5.1")
    p = Parameter("p", "detection probability: the probability that the central government inspects a local "
                  "government", "probability", PROBABILITY, 0, "LiWang 5.4; Du2022 4.2.4")
    r = Parameter("r", "reputation from the local government's publicity for a committed school or enterprise "
                  "(capped: attention is finite)", _UNIT, Domain.between(0, R_CAP, name="capped publicity"), 0,
                  "Du2022 4.2.3")
    supervise = {"central_government": "supervise"}
    support = {"local_government": "support"}
    instruments = (
        ("local_subsidy", (Subsidy("enterprise", s, when={**support, "enterprise": "participate"},
                                   payer="local_government", label="local subsidy"),)),
        ("matching_grant", (Subsidy("local_government", m, when={**supervise, **support},
                                    payer="central_government", label="matching grant"),)),
        ("inspection", (Penalty("local_government", p.symbol * sym["F"],
                                when={**supervise, "local_government": "neglect"}, payee="central_government",
                                label="accountability penalty on detection"),
                        Expense("central_government", sym["kappa"] * p.symbol, when=supervise,
                                label="inspection cost"))),
        ("publicity", (Reputation("school", r, when={**support, "school": "deep"}, label="publicity (school)"),
                       Reputation("enterprise", r, when={**support, "enterprise": "participate"},
                                  label="publicity (enterprise)"),
                       Expense("local_government", sym["kappa_r"] * r.symbol, when=support,
                               label="publicity campaign cost"))),
    )
    return instruments, (s, m, p, r)


def central_local_government() -> Model:
    """The four-population model: central government, local government, school, enterprise.

    Returns
    -------
    Model
        Players central_government (supervise, lax), local_government (support, neglect),
        school (deep, shallow), enterprise (participate, nominal); instruments
        ``local_subsidy``, ``matching_grant``, ``inspection`` and ``publicity`` (see the module
        docstring), every enforcement and publicity instrument with its cost.

    Notes
    -----
    Full cooperation (supervise, support, deep, participate) is a strict equilibrium iff

    * enterprise: :math:`R_e - C_e - K + s + r > F_e`;
    * school: :math:`R_s - C_s - K + r > F_s`;
    * local government: :math:`(1 - \\theta_l) W_l - c_l - s - \\kappa_r r + m + p F > 0`;
    * central government: :math:`(1 - \\theta_c) W_c - c_c - m - \\kappa p > 0`.

    The public budget (central and local government together) spends
    :math:`s + \\kappa_r r + \\kappa p` at full cooperation; the matching grant cancels.

    Examples
    --------
    >>> central_local_government().instrument_names
    ('local_subsidy', 'matching_grant', 'inspection', 'publicity')
    """
    params = school_enterprise_parameters() + _government_parameters()
    sym = {q.name: q.symbol for q in params}
    game = _game(params, sym)
    instruments, levels = _instruments(sym)
    R_s, C_s, R_e, C_e, K, F_s, F_e = (sym[n] for n in ("R_s", "C_s", "R_e", "C_e", "K", "F_s", "F_e"))
    return Model(
        name="central_local_government",
        title="Central and local government, school and enterprise: inspection, matching grants and subsidies",
        summary=("The central government decides whether to supervise the local government, which decides whether "
                 "to support school-enterprise cooperation; school and enterprise play their game. The local "
                 "government pays the subsidy and the publicity, the central government the matching grant and the "
                 "inspections; a local government found neglecting the policy is held accountable. Inspection and "
                 "publicity cost something even when everybody cooperates. Defaults are illustrative, not "
                 "estimates."),
        game=game,
        instruments=instruments,
        instrument_parameters=levels,
        target=("supervise", "support", "deep", "participate"),
        assumptions=(R_s - C_s - K > F_s, R_e - C_e - K > 0, F_e < R_e, sym["F"] > sym["kappa"]),
        passages=(
            "Du2022 3.1: besides the core stakeholders, the government and its education and human-resources "
            "departments take part in the training community (two levels of government here).",
            "Du2022 4.2.3: tax and fee reduction, fund guarantee and positive publicity as incentives (the local "
            "subsidy s and the publicity r, with its campaign cost).",
            "Du2022 4.2.4: evaluation and rectification of organisations that do not act (the inspection and the "
            "accountability penalty F).",
            "LiWang 5.1: the government leads with finance, land and credit (the matching grant m).",
            "LiWang 5.4: information asymmetry and opportunism (the detection probability p and its cost).",
        ),
        references=(SEED_REFERENCES["Du2022"], SEED_REFERENCES["LiWang"]),
        questions=(
            "Which states are stable without policy, and which level of government blocks cooperation?",
            "What does the cheapest stabilising mix cost the public budget once inspection and publicity are "
            "priced?",
            "Which detection probability moves a lax central government to supervise, and does the inspection pay "
            "for itself?",
            "Does the matching grant change what cooperation costs, or only who pays?",
        ),
        policy_levels=POLICY_LEVELS,
        target_stable_in_status_quo=False,
    )


def findings_extra(model: Model) -> str:
    """What enforcement costs and who pays, as Markdown (used by :mod:`coopgame.findings`).

    Examples
    --------
    >>> "kappa p" in findings_extra(central_local_government())
    True
    """
    d = {q.name: v for q, v in ((q, q.default) for q in model.parameters)}
    p_min = sympy.Rational(d["c_c"] - d["L_c"]) / (d["F"] - d["kappa"])
    return "\n".join([
        "**What enforcement costs.** Inspection and publicity are priced: the central government spends kappa p on "
        "inspections whether or not any local government neglects the policy, and the local government spends "
        "kappa_r r on publicity, so the cheapest mix above is the real public cost of cooperation, not a zero by "
        "construction. The matching grant m is a transfer between the two levels of government: it changes who "
        "pays, never what the public budget pays in total.",
        "",
        "**Starting the policy.** At the status quo state a lax central government starts supervising only if the "
        "penalties it expects to collect outweigh the inspection cost and its fixed cost: p (F - kappa) > c_c - "
        f"L_c, i.e. p > {p_min} at the defaults. Below that detection probability the status quo stays stable "
        "whatever the incentives, because the local government that neglects the policy is never found out.",
    ])
