"""Enterprise-student internship: real training or cheap labour, engagement or shirking.

The enterprise *trains* (a real post with a master and fair pay :math:`w_f`, at training and
supervision cost :math:`C_t`) or *exploits* (an observation-only or routine post at the low wage
:math:`w_c`, "cheap labour"). The student *engages* (effort cost :math:`e`) or *shirks*. An engaged
student produces labour value :math:`V` on a real post and :math:`V_x` on a routine post and gains
skill :math:`G` or :math:`g`; a shirking student produces and learns only the share
:math:`\\sigma`. On a real post a shirking student causes operational errors and safety incidents
costing the enterprise :math:`D`; an exploiting enterprise loses reputation :math:`L` when the
exploitation becomes known, which happens with probability :math:`p`:

============  =================================================  ===============================================
ent. \\ stud.  engage                                             shirk
============  =================================================  ===============================================
train         :math:`(V - w_f - C_t,\\ w_f + G - e)`             :math:`(\\sigma V - w_f - C_t - D,\\ w_f + \\sigma G)`
exploit       :math:`(V_x - w_c - pL,\\ w_c + g - e)`            :math:`(\\sigma V_x - w_c - pL,\\ w_c + \\sigma g)`
============  =================================================  ===============================================

Defaults are illustrative (1,000 yuan per intern and month), not estimates. They reproduce the
seed's account (Du and Zeng, section 3.2.2(2)): exploiting pays the enterprise whatever the
student does, and a student on a routine post does not find effort worth it, so the only stable
state is (exploit, shirk), cheap labour and dissatisfied students. Instruments: a training
subsidy, inspection with an (expected) penalty on exploitation, and publicity for training
enterprises. A subsidy above :math:`(V_x - w_c - pL) - (V - w_f - C_t)` makes training with
engagement stable; above the larger gap when the student shirks it makes training the enterprise's
dominant choice, and cooperation the only stable state.

Enforcement and publicity are not free. The expected penalty :math:`P` is a fine levied when an
inspection finds exploitation, which it does with detection probability :math:`P/\\bar F` (the
information asymmetry of the seed: the enterprise knows what the post is, the school and the
inspectorate only what they check); inspecting costs the outside budget :math:`\\kappa P` whether
or not anyone is caught. Publicity costs a campaign :math:`\\kappa_r r` for each training enterprise
publicised. At full cooperation the public budget pays :math:`s + \\kappa P + \\kappa_r r`.

Examples
--------
>>> from coopgame.models import get
>>> m = get("internship")
>>> [e.profile for e in m.game.pure_equilibria(strict=True) if e.holds(m.defaults)]
[('exploit', 'shirk')]
>>> g = m.with_policy("training_subsidy")
>>> [e.profile for e in g.pure_equilibria(strict=True) if e.holds(m.values(policy=True))]
[('train', 'engage')]
"""

from __future__ import annotations

import sympy

from ..core.game import Game
from ..core.parameters import NONNEGATIVE, POSITIVE, PROBABILITY, Domain, Parameter
from ..policy import Expense, Penalty, Reputation, Subsidy
from .base import SEED_REFERENCES, Model
from .school_enterprise import inspection_cost, publicity_cost

__all__ = ["internship", "internship_parameters"]

_UNIT = "1,000 yuan per intern per month"


def internship_parameters() -> tuple[Parameter, ...]:
    """The parameters of the internship game, with illustrative defaults."""
    return (
        Parameter("V", "labour value an engaged intern produces on a real post", _UNIT, POSITIVE, 6,
                  "Du2022 3.2.2(2)"),
        Parameter("V_x", "labour value an engaged intern produces on a routine (cheap-labour) post", _UNIT,
                  POSITIVE, 4, "Du2022 3.2.2(2)"),
        Parameter("w_f", "fair wage on a real post", _UNIT, NONNEGATIVE, 3, "Du2022 3.2.2(2)"),
        Parameter("w_c", "low wage on a routine post", _UNIT, NONNEGATIVE, 1, "Du2022 3.2.2(2)"),
        Parameter("C_t", "enterprise's training and supervision cost of a real post (masters, materials)", _UNIT,
                  POSITIVE, 2, "Du2022 3.2.2(2)"),
        Parameter("D", "expected cost of operational errors and safety incidents of a shirking intern on a real "
                       "post", _UNIT, NONNEGATIVE, 1, "Du2022 3.2.2(2)"),
        Parameter("G", "student's skill gain from an engaged internship on a real post", _UNIT, POSITIVE, 6,
                  "Du2022 3.2.1(1), 3.2.2(2)"),
        Parameter("g", "student's skill gain from an engaged internship on a routine post", _UNIT, NONNEGATIVE, 1,
                  "Du2022 3.2.2(2)"),
        Parameter("e", "student's effort cost of engaging", _UNIT, POSITIVE, 2, "Du2022 3.2.2(2)"),
        Parameter("sigma", "share of labour value and skill a shirking intern still produces and gains", "share",
                  Domain.between(0, 1, name="share"), sympy.Rational(1, 2), "Du2022 3.2.2(2)"),
        Parameter("p", "probability that exploitation becomes known", "probability", PROBABILITY,
                  sympy.Rational(1, 4), "Du2022 4.2.4"),
        Parameter("L", "enterprise's reputation loss when exploitation becomes known (harder recruiting, lost "
                       "partnerships)", _UNIT, NONNEGATIVE, 4, "Du2022 3.2.2(2), 4.2.4"),
        inspection_cost(source="Du2022 4.2.4 (inspection and rectification)"),
        publicity_cost(),
    )


def internship() -> Model:
    """The enterprise-student internship model (catalogue model 2).

    Returns
    -------
    Model
        Players enterprise (train, exploit) and student (engage, shirk); instruments
        ``training_subsidy`` (subsidy ``s`` to a training enterprise, outside budget),
        ``inspection`` (expected penalty ``P`` on exploitation, collected by the outside
        budget) and ``publicity`` (reputation gain ``r`` for a training enterprise).

    Examples
    --------
    >>> m = internship()
    >>> m.game.payoff("enterprise", ("exploit", "engage"))
    -L*p + V_x - w_c
    """
    params = internship_parameters()
    sym = {p.name: p.symbol for p in params}
    V, V_x, w_f, w_c, C_t, D, G, g, e, sigma, p, L = (
        sym[n] for n in ("V", "V_x", "w_f", "w_c", "C_t", "D", "G", "g", "e", "sigma", "p", "L"))
    payoffs = {
        ("train", "engage"): (V - w_f - C_t, w_f + G - e),
        ("train", "shirk"): (sigma * V - w_f - C_t - D, w_f + sigma * G),
        ("exploit", "engage"): (V_x - w_c - p * L, w_c + g - e),
        ("exploit", "shirk"): (sigma * V_x - w_c - p * L, w_c + sigma * g),
    }
    game = Game(["enterprise", "student"], [["train", "exploit"], ["engage", "shirk"]], payoffs, params,
                name="Enterprise-student internship")
    s = Parameter("s", "subsidy to an enterprise that trains interns on real posts", _UNIT, NONNEGATIVE, 0,
                  "Du2022 4.2.3")
    P = Parameter("P", "expected penalty on exploiting interns (inspection and rectification)", _UNIT, NONNEGATIVE,
                  0, "Du2022 4.2.4")
    r = Parameter("r", "reputation gain from publicity for an enterprise that trains", _UNIT, NONNEGATIVE, 0,
                  "Du2022 4.2.3")
    kappa, kappa_r = sym["kappa"], sym["kappa_r"]
    instruments = (
        ("training_subsidy", (Subsidy("enterprise", s, when={"enterprise": "train"}, label="training subsidy"),)),
        ("inspection", (Penalty("enterprise", P, when={"enterprise": "exploit"},
                                label="inspection and penalty"),
                        Expense(None, kappa * P.symbol, label="inspection cost"))),
        ("publicity", (Reputation("enterprise", r, when={"enterprise": "train"}, label="publicity"),
                       Expense(None, kappa_r * r.symbol, when={"enterprise": "train"}, label="publicity campaign cost"))),
    )
    return Model(
        name="internship",
        title="Enterprise-student internship: training or cheap labour, engagement or shirking",
        summary=("An enterprise hosting an intern either trains on a real post at a fair wage or uses the intern "
                 "as cheap labour on a routine post; the student either engages or shirks. Exploitation pays the "
                 "enterprise, and a student on a routine post has little reason to try, so cheap labour and "
                 "dissatisfied students go together, as the seed describes. Defaults are illustrative."),
        game=game,
        instruments=instruments,
        instrument_parameters=(s, P, r),
        target=("train", "engage"),
        assumptions=(V > V_x, w_f > w_c, G > g, (1 - sigma) * G > e, V - w_f - C_t > 0),
        passages=(
            "Du2022 3.2.2(2): students find some posts observation-only with little skill gained, feel used as "
            "cheap labour without fair pay, and grow dissatisfied with school and enterprise.",
            "Du2022 3.2.2(2): enterprises want cheap labour but fear interns' operational errors and safety "
            "incidents; the students' side is the weaker one.",
            "Du2022 4.2.3 and 4.2.4: subsidies and publicity for enterprises that train; rectification and "
            "published evaluations for those that do not.",
        ),
        references=(SEED_REFERENCES["Du2022"],),
        questions=(
            "When does an enterprise train rather than exploit, and when does a student engage?",
            "How large a subsidy, expected penalty or publicity gain makes training with engagement stable, and "
            "what does it cost the outside budget once inspection and publicity are priced?",
        ),
        policy_levels=(("s", 4),),
        target_stable_in_status_quo=False,
    )
