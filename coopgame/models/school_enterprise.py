"""School-enterprise cooperation: deep or shallow, substantive or nominal.

The school chooses *deep* cooperation (joint curricula, teachers and training bases) or
*shallow* cooperation; the enterprise chooses *substantive participation* (posts, masters,
equipment, money) or *nominal* participation. With :math:`R_s, R_e` the gains each side draws
from joint training, :math:`C_s, C_e` the costs of committing, :math:`K` the coordination cost
of the clash between school and corporate cultures (borne by each side when both commit),
:math:`\\alpha` the share of its gain a side realises when only it commits, and :math:`F_s, F_e`
what a side gets from the other's commitment while holding back (free-riding),

=============  =========================================  =========================================
school \\ ent.  participate                                nominal
=============  =========================================  =========================================
deep           :math:`(R_s - C_s - K,\\ R_e - C_e - K)`   :math:`(\\alpha R_s - C_s,\\ F_e)`
shallow        :math:`(F_s,\\ \\alpha R_e - C_e)`         :math:`(0,\\ 0)`
=============  =========================================  =========================================

The defaults are illustrative (in 10,000 yuan per partnership and year), not estimates. They
reproduce the status quo of the seeds: the school commits even alone (:math:`\\alpha R_s > C_s`)
while the enterprise free-rides (:math:`F_e > R_e - C_e - K`), "hot schools, cold enterprises"
(Sha, section 2), so the only stable state is (deep, nominal). A subsidy ("fund guarantee"),
tax and fee relief on the enterprise's training cost, a penalty on nominal participation, or a
transfer from the school's gain to the enterprise (a benefit-sharing rule) each can make full
cooperation stable.

Enforcement is not free: the expected penalty :math:`P` is a fine :math:`\\bar F` levied with
detection probability :math:`\\pi = P/\\bar F`, and inspecting with probability :math:`\\pi` costs the
outside budget :math:`c\\,\\pi = \\kappa P` (:math:`\\kappa = c/\\bar F`, the inspection cost per unit of
expected penalty) in every period, whether or not anyone is caught. At full cooperation the public
budget therefore pays :math:`s + \\tau C_e + \\kappa P`; only the benefit-sharing transfer, paid by the
school out of its own gain, costs it nothing.

Examples
--------
>>> from coopgame.models import get
>>> m = get("school_enterprise")
>>> [(e.profile, e.holds(m.defaults)) for e in m.game.pure_equilibria(strict=True)]
[(('deep', 'participate'), False), (('deep', 'nominal'), True), (('shallow', 'participate'), False), (('shallow', 'nominal'), False)]
>>> target = m.with_policy("fund_guarantee").pure_equilibria(strict=True)[0]
>>> target.profile, target.condition
(('deep', 'participate'), (R_s > C_s + F_s + K) & (R_e + s > C_e + F_e + K))
>>> target.holds(m.values(policy=True))
True
"""

from __future__ import annotations

import sympy

from ..core.game import Game
from ..core.parameters import NONNEGATIVE, POSITIVE, Domain, Parameter
from ..policy import Expense, Penalty, Subsidy, TaxRelief, Transfer
from .base import SEED_REFERENCES, Model

__all__ = ["school_enterprise", "school_enterprise_parameters", "school_enterprise_payoffs", "RATE", "INSPECTION_COST",
           "inspection_cost", "publicity_cost"]

_UNIT = "10,000 yuan per partnership per year"

#: Domain of rates such as a tax-relief rate: the closed unit interval.
RATE = Domain.between(0, 1, name="rate")


def school_enterprise_parameters() -> tuple[Parameter, ...]:
    """The parameters of the school-enterprise stage game, with illustrative defaults.

    Shared by :func:`school_enterprise` and the government-school-enterprise model.
    """
    return (
        Parameter("R_s", "school's gain from joint training (quality, enrolment, employment rate)", _UNIT,
                  POSITIVE, 10, "Du2022 3.2.1(1); He 5.2"),
        Parameter("C_s", "school's cost of deep cooperation (curriculum reform, staff time, organisation)", _UNIT,
                  POSITIVE, 4, "Du2022 3.2.2(1)"),
        Parameter("R_e", "enterprise's gain from joint training (skilled staff, lower recruitment cost)", _UNIT,
                  POSITIVE, 8, "Du2022 3.2.1(1)"),
        Parameter("C_e", "enterprise's training cost of substantive participation (posts, masters, equipment)",
                  _UNIT, POSITIVE, 6, "Du2022 3.2.2(1); Sha 3.1"),
        Parameter("K", "coordination cost of the clash of school and corporate cultures, borne by each side "
                       "when both commit", _UNIT, NONNEGATIVE, 1, "Du2022 3.2.2(1)"),
        Parameter("alpha", "share of its gain a side realises when only it commits", "share",
                  Domain.between(0, 1, name="share"), sympy.Rational(1, 2), "He 5.2"),
        Parameter("F_s", "school's free-riding gain from the enterprise's participation when it stays shallow",
                  _UNIT, NONNEGATIVE, 1, "He 5.2"),
        Parameter("F_e", "enterprise's free-riding gain from the school's commitment when it participates "
                         "nominally (interns as labour, publicity of a partnership in name)", _UNIT, NONNEGATIVE, 2,
                  "Du2022 3.2.2(2); Sha 3.1"),
    )


#: Default cost of enforcement and of publicity per unit of penalty or reputation.
_HALF = sympy.Rational(1, 2)


def inspection_cost(payer: str = "the outside budget", source: str = "Du2022 4.2.4 (rectification needs inspection)",
                    default=_HALF) -> Parameter:
    """The cost of enforcing an expected penalty, per unit of that penalty.

    An expected penalty :math:`P` is a fine :math:`\\bar F` levied with detection probability
    :math:`\\pi = P/\\bar F`; inspecting with that probability costs :math:`c\\,\\pi = \\kappa P`
    (:math:`\\kappa = c/\\bar F`, the cost of inspecting with certainty over the fine) in every
    period, whether or not anyone is caught. At the default :math:`\\kappa = 1/2` a penalty
    :math:`P = 1` costs :math:`1/2` a period. Shared by the catalogue models that price enforcement.
    """
    return Parameter("kappa", "inspection cost per unit of expected penalty (the cost of inspecting with certainty "
                     f"divided by the fine on detection), paid by {payer} whether or not anyone is caught",
                     "yuan per yuan", NONNEGATIVE, default, source)


def publicity_cost(payer: str = "the outside budget", source: str = "Du2022 4.2.3 (positive publicity)",
                   default=_HALF) -> Parameter:
    """The campaign cost of one unit of publicity (reputation gain), paid by whoever publicises."""
    return Parameter("kappa_r", f"campaign cost of one unit of publicity, paid by {payer}", "yuan per yuan",
                     NONNEGATIVE, default, source)


#: The inspection cost of :func:`school_enterprise` (see :func:`inspection_cost`).
INSPECTION_COST = inspection_cost()


def school_enterprise_payoffs(symbols: dict) -> dict:
    """The school's and the enterprise's payoffs at the four profiles, keyed by (school, enterprise).

    ``symbols`` maps the parameter names of :func:`school_enterprise_parameters` to symbols.
    """
    R_s, C_s, R_e, C_e, K, a, F_s, F_e = (symbols[n] for n in ("R_s", "C_s", "R_e", "C_e", "K", "alpha", "F_s", "F_e"))
    zero = sympy.Integer(0)
    return {
        ("deep", "participate"): (R_s - C_s - K, R_e - C_e - K),
        ("deep", "nominal"): (a * R_s - C_s, F_e),
        ("shallow", "participate"): (F_s, a * R_e - C_e),
        ("shallow", "nominal"): (zero, zero),
    }


def school_enterprise() -> Model:
    """The school-enterprise cooperation model (catalogue model 1).

    Returns
    -------
    Model
        Players school (deep, shallow) and enterprise (participate, nominal); instruments
        ``fund_guarantee`` (subsidy ``s`` to a participating enterprise), ``tax_relief`` (rate
        ``tau`` on its training cost ``C_e``), ``rectification`` (penalty ``P`` on nominal
        participation, with its inspection cost ``kappa * P`` to the outside budget at every profile)
        and ``benefit_sharing`` (transfer ``T`` from the school to the enterprise when both commit),
        all paid or collected by the outside budget except the transfer.

    Examples
    --------
    >>> m = school_enterprise()
    >>> m.target, m.instrument_names
    (('deep', 'participate'), ('fund_guarantee', 'tax_relief', 'rectification', 'benefit_sharing'))
    """
    params = school_enterprise_parameters() + (INSPECTION_COST,)
    sym = {p.name: p.symbol for p in params}
    game = Game(["school", "enterprise"], [["deep", "shallow"], ["participate", "nominal"]],
                school_enterprise_payoffs(sym), params, name="School-enterprise cooperation")
    s = Parameter("s", "subsidy to a participating enterprise (fund guarantee)", _UNIT, NONNEGATIVE, 0,
                  "Du2022 4.2.3")
    tau = Parameter("tau", "tax and fee relief rate on the enterprise's training cost", "share of C_e", RATE, 0,
                    "Du2022 4.2.3")
    P = Parameter("P", "penalty (rectification) on nominal participation", _UNIT, NONNEGATIVE, 0, "Du2022 4.2.4")
    T = Parameter("T", "transfer from the school's gain to the enterprise when both commit (benefit sharing)",
                  _UNIT, NONNEGATIVE, 0, "Sha 3.1, 4.1; He 5.2")
    participate = {"enterprise": "participate"}
    instruments = (
        ("fund_guarantee", (Subsidy("enterprise", s, when=participate, label="fund guarantee"),)),
        ("tax_relief", (TaxRelief("enterprise", tau, sym["C_e"], when=participate, label="tax and fee relief"),)),
        ("rectification", (Penalty("enterprise", P, when={"enterprise": "nominal"}, label="rectification"),
                           Expense(None, sym["kappa"] * P.symbol, label="inspection cost"))),
        ("benefit_sharing", (Transfer("school", "enterprise", T, when={"school": "deep", "enterprise": "participate"},
                                      label="benefit sharing"),)),
    )
    R_s, C_s, R_e, C_e, K, F_s, F_e = (sym[n] for n in ("R_s", "C_s", "R_e", "C_e", "K", "F_s", "F_e"))
    return Model(
        name="school_enterprise",
        title="School-enterprise cooperation: deep or shallow, substantive or nominal",
        summary=("A school and an enterprise each decide whether to commit to joint training. Both gain when "
                 "both commit, but the enterprise, which weighs cost against return, gains more by letting the "
                 "school carry the effort; the school, which values social benefit, commits even alone. The "
                 "status quo is the seeds' 'hot schools, cold enterprises'. Defaults are illustrative."),
        game=game,
        instruments=instruments,
        instrument_parameters=(s, tau, P, T),
        target=("deep", "participate"),
        assumptions=(R_s - C_s - K > F_s, R_e - C_e - K > 0, F_e < R_e,
                     R_s + R_e - C_s - C_e - 2 * K > F_s + F_e),
        passages=(
            "Du2022 3.2.2(1): schools, as public-welfare bodies, seek social benefit and take the initiative; "
            "enterprises, as for-profit bodies, weigh cost against return and lose interest when returns fall "
            "short; the two cultures clash.",
            "Sha 2 and 3.1: 'hot schools, cold enterprises'; enterprises see participation as a duty rather than an "
            "investment, and benefit-distribution and risk-sharing arrangements are incomplete.",
            "He 5.2: when one side is weaker, joint training ends up serving the stronger side; balance is needed.",
            "Du2022 4.2.3 and 4.2.4: tax and fee reduction, a fund guarantee, and rectification of organisations "
            "that do not act.",
        ),
        references=(SEED_REFERENCES["Du2022"], SEED_REFERENCES["Sha"], SEED_REFERENCES["He"]),
        questions=(
            "Which profiles are evolutionarily stable, and under which conditions?",
            "How large must a subsidy, a tax-relief rate, a penalty or a benefit-sharing transfer be to make full "
            "cooperation stable, alone and combined, and what does it cost the outside budget?",
            "Can a benefit-sharing rule between the two sides replace public money?",
        ),
        policy_levels=(("s", sympy.Rational(5, 2)),),
        target_stable_in_status_quo=False,
    )
