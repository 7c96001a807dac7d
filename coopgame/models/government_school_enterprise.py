"""Government, school and enterprise: incentives, supervision and the government's own stake.

The flagship model of the catalogue. The school-enterprise game of
:mod:`coopgame.models.school_enterprise` gets a third player, the government, who is *active*
(incentives, supervision and evaluation, at cost :math:`C_g`) or *passive*. The government
values the social gain :math:`W` of full cooperation (deep school, participating enterprise), but
without its evaluation only the share :math:`\\theta` of it is realised (quality of training is not
assured); a passive government that lets an enterprise stay nominal bears the loss :math:`L_g`
(public criticism, accountability to higher authorities). In the status quo (no instruments),

.. math::

    u_g(\\text{active}, x, y) &= W\\,[x = \\text{deep}, y = \\text{participate}] - C_g, \\\\
    u_g(\\text{passive}, x, y) &= \\theta W\\,[x = \\text{deep}, y = \\text{participate}]
                                 - L_g\\,[y = \\text{nominal}],

and the school's and the enterprise's payoffs do not depend on the government. The instruments
of the seed (Du and Zeng, sections 4.2.3-4.2.4) act only when the government is active and are
paid or collected by the government, so that their cost is part of its payoff:

* ``tax_relief``: relief at rate :math:`\\tau` on the participating enterprise's training cost
  :math:`C_e`;
* ``fund_guarantee``: a subsidy :math:`s` to a participating enterprise;
* ``publicity``: a reputation gain :math:`r` to a deep school and a participating enterprise,
  at a campaign cost :math:`\\kappa_r r` to the active government;
* ``rectification``: a penalty :math:`P` on a shallow school and on a nominal enterprise,
  collected by the government, whose inspections cost it :math:`\\kappa P` whether or not anyone is
  caught (:math:`P` is a fine levied with detection probability :math:`P/\\bar F`,
  :math:`\\kappa` the cost of inspecting with certainty over the fine).

Defaults are illustrative (10,000 yuan per partnership and year), not estimates: without
policy the only stable state is (passive, deep, nominal), "hot schools, cold enterprises"; with
a fund guarantee of :math:`s = 5/2` full cooperation (active, deep, participate) is stable too, but
the status quo stays stable (a passive government has no reason to start paying); a penalty
above :math:`(C_g - L_g)/(1 - \\kappa)` on organisations that do not act removes it (the penalty the
government collects from the nominal enterprise, net of its inspection cost, must outweigh the
cost of governing; with :math:`\\kappa \\ge 1` rectification never pays for itself).

Examples
--------
>>> from coopgame.models import get
>>> m = get("government_school_enterprise")
>>> m.game.players
('government', 'school', 'enterprise')
>>> [e.profile for e in m.game.pure_equilibria(strict=True) if e.holds(m.defaults)]
[('passive', 'deep', 'nominal')]
>>> g = m.with_policy()
>>> stable = lambda values: [e.profile for e in g.pure_equilibria(strict=True) if e.holds(values)]
>>> stable(m.values(policy=True))  # fund guarantee s = 5/2: cooperation is stable, but so is the status quo
[('active', 'deep', 'participate'), ('passive', 'deep', 'nominal')]
>>> stable(m.values({"P": 1.5}))  # rectification P = 3/2: (1 - kappa) P = 3/4 < C_g - L_g = 1, the status quo survives
[('active', 'deep', 'participate'), ('passive', 'deep', 'nominal')]
>>> stable(m.values({"P": 3}))  # P = 3: (1 - kappa) P = 3/2 > 1, cooperation is the only stable state
[('active', 'deep', 'participate')]
>>> g.payoff("government", ("active", "deep", "participate"))  # it pays relief, subsidy, inspections, campaign
-C_e*tau - C_g - P*kappa + W - kappa_r*r - s
"""

from __future__ import annotations

import sympy

from ..core.game import Game
from ..core.parameters import NONNEGATIVE, POSITIVE, Domain, Parameter
from ..policy import Expense, Penalty, Reputation, Subsidy, TaxRelief
from .base import SEED_REFERENCES, Model
from .school_enterprise import (
    RATE,
    inspection_cost,
    publicity_cost,
    school_enterprise_parameters,
    school_enterprise_payoffs,
)

__all__ = ["government_school_enterprise"]

_UNIT = "10,000 yuan per partnership per year"


def _parameters() -> tuple[Parameter, ...]:
    """The school-enterprise parameters, the government's, and the costs of inspection and publicity."""
    gov_params = (
        Parameter("W", "social gain of full cooperation valued by the government (employment, skills, "
                       "industrial upgrading)", _UNIT, POSITIVE, 12, "Du2022 3.2.1(2); LiWang 5.1"),
        Parameter("theta", "share of the social gain realised without the government's evaluation and supervision",
                  "share", Domain.between(0, 1, name="share"), sympy.Rational(1, 2), "Du2022 4.2.4"),
        Parameter("C_g", "government's cost of active governance (supervision, evaluation, administration)",
                  _UNIT, POSITIVE, 2, "Du2022 4.2.4"),
        Parameter("L_g", "loss a passive government bears when the enterprise participates only nominally "
                         "(criticism, accountability)", _UNIT, NONNEGATIVE, 1, "LiWang 5.1"),
    )
    return school_enterprise_parameters() + gov_params + (
        inspection_cost(payer="the active government", source="Du2022 4.2.4 (evaluation and rectification)"),
        publicity_cost(payer="the active government"))


def _game(params, sym) -> Game:
    """The status quo: the school-enterprise game with the government's payoffs of the module docstring."""
    W, theta, C_g, L_g = (sym[n] for n in ("W", "theta", "C_g", "L_g"))
    payoffs = {}
    for (school, enterprise), (u_s, u_e) in school_enterprise_payoffs(sym).items():
        full = school == "deep" and enterprise == "participate"
        gain = W if full else sympy.Integer(0)
        payoffs[("active", school, enterprise)] = (gain - C_g, u_s, u_e)
        passive = theta * gain - (L_g if enterprise == "nominal" else 0)
        payoffs[("passive", school, enterprise)] = (passive, u_s, u_e)
    return Game(["government", "school", "enterprise"],
                [["active", "passive"], ["deep", "shallow"], ["participate", "nominal"]],
                payoffs, params, name="Government-school-enterprise cooperation")


def _instruments(sym) -> tuple[tuple, tuple[Parameter, ...]]:
    """The four instruments (acting only when the government is active) and their level parameters."""
    tau = Parameter("tau", "tax and fee relief rate on the enterprise's training cost", "share of C_e", RATE, 0,
                    "Du2022 4.2.3")
    s = Parameter("s", "subsidy to a participating enterprise (fund guarantee)", _UNIT, NONNEGATIVE, 0,
                  "Du2022 4.2.3; LiWang 5.1")
    r = Parameter("r", "reputation gain from positive publicity for a committed school or enterprise", _UNIT,
                  NONNEGATIVE, 0, "Du2022 4.2.3, 4.2.4")
    P = Parameter("P", "penalty (rectification) on a school or enterprise that does not act", _UNIT, NONNEGATIVE, 0,
                  "Du2022 4.2.4")
    active = {"government": "active"}
    instruments = (
        ("tax_relief", (TaxRelief("enterprise", tau, sym["C_e"], when={**active, "enterprise": "participate"},
                                  payer="government", label="tax and fee relief"),)),
        ("fund_guarantee", (Subsidy("enterprise", s, when={**active, "enterprise": "participate"},
                                    payer="government", label="fund guarantee"),)),
        ("publicity", (Reputation("school", r, when={**active, "school": "deep"}, label="publicity (school)"),
                       Reputation("enterprise", r, when={**active, "enterprise": "participate"},
                                  label="publicity (enterprise)"),
                       Expense("government", sym["kappa_r"] * r.symbol, when=active, label="publicity campaign cost"))),
        ("rectification", (Penalty("school", P, when={**active, "school": "shallow"}, payee="government",
                                   label="rectification (school)"),
                           Penalty("enterprise", P, when={**active, "enterprise": "nominal"}, payee="government",
                                   label="rectification (enterprise)"),
                           Expense("government", sym["kappa"] * P.symbol, when=active, label="inspection cost"))),
    )
    return instruments, (tau, s, r, P)


def government_school_enterprise() -> Model:
    """The government-school-enterprise model (catalogue model 3, the flagship).

    Returns
    -------
    Model
        Players government (active, passive), school (deep, shallow) and enterprise
        (participate, nominal); instruments ``tax_relief``, ``fund_guarantee``, ``publicity``
        and ``rectification``, each acting only when the government is active; publicity and
        inspection cost the active government ``kappa_r * r`` and ``kappa * P``.

    Examples
    --------
    >>> m = government_school_enterprise()
    >>> m.instrument_names
    ('tax_relief', 'fund_guarantee', 'publicity', 'rectification')
    >>> m.game.payoff("government", ("passive", "deep", "nominal"))
    -L_g
    """
    params = _parameters()
    sym = {p.name: p.symbol for p in params}
    game = _game(params, sym)
    instruments, levels = _instruments(sym)
    R_s, C_s, R_e, C_e, K, F_s, F_e = (sym[n] for n in ("R_s", "C_s", "R_e", "C_e", "K", "F_s", "F_e"))
    return Model(
        name="government_school_enterprise",
        title="Government, school and enterprise: tax relief, fund guarantee, publicity and rectification",
        summary=("The government decides whether to govern actively: to pay for supervision and evaluation and "
                 "to run the incentive and restraint mechanisms the seed proposes (tax and fee relief, a fund "
                 "guarantee, positive publicity, rectification of organisations that do not act). The school "
                 "and the enterprise play the school-enterprise game; the instruments reach them only when the "
                 "government is active, and their cost falls on the government, which values the social gain "
                 "of cooperation. Inspections and publicity campaigns cost the active government something even "
                 "when everybody cooperates. Defaults are illustrative."),
        game=game,
        instruments=instruments,
        instrument_parameters=levels,
        target=("active", "deep", "participate"),
        assumptions=(R_s - C_s - K > F_s, R_e - C_e - K > 0, F_e < R_e,
                     R_s + R_e - C_s - C_e - 2 * K > F_s + F_e),
        passages=(
            "Du2022 4.2.3: government departments raise schools' and enterprises' sense of responsibility and "
            "honour by cutting taxes and fees, guaranteeing funds and publicising those who cooperate.",
            "Du2022 4.2.4: a government-led evaluation rewards organisations that take part, issues rectification "
            "opinions to those that do not, follows them up and publishes the results.",
            "Du2022 3.2.1(2): the government promotes and guides cooperation for employment, enterprise upgrading "
            "and social development.",
            "LiWang 5.1: the government leads the integration of industry and education with funds, incentive "
            "policies and public opinion, combining the visible hand with the market.",
            "Sha 2: 'hot schools, cold enterprises' is the status quo that group-based policy is meant to change.",
        ),
        references=(SEED_REFERENCES["Du2022"], SEED_REFERENCES["LiWang"], SEED_REFERENCES["Sha"]),
        questions=(
            "Which profiles are evolutionarily stable, with and without each instrument?",
            "What is the smallest tax-relief rate, subsidy, publicity gain or penalty that makes full cooperation "
            "stable, alone and combined, and what does each cost the government at the cooperative state?",
            "Is the government's active strategy itself stable, or only scaffolding that it would drop once "
            "cooperation runs?",
        ),
        policy_levels=(("s", sympy.Rational(5, 2)),),
        target_stable_in_status_quo=False,
    )
