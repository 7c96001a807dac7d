"""School-enterprise-student bargaining over the internship surplus, and whether it lasts.

Three parties share the surplus of one internship,

.. math:: S = V + G - (1 - \\tau) C_t - c_o - e + s,

the labour value :math:`V` the student produces, plus the student's skill gain :math:`G`, minus
the enterprise's training and supervision cost :math:`C_t` (of which tax and fee relief at rate
:math:`\\tau` returns a share), the school's organising cost :math:`c_o` and the student's effort
cost :math:`e`, plus a subsidy :math:`s` per intern. The enterprise pays the student a wage
:math:`w` and the school a fee :math:`f`, so that

.. math:: u_e = V - (1 - \\tau) C_t + s - w - f, \\qquad u_c = f - c_o, \\qquad u_t = w + G - e .

With outside options :math:`o_e, o_c, o_t` and bargaining powers :math:`\\beta_e, \\beta_c, \\beta_t`
(:math:`\\omega_i = \\beta_i / \\sum_j \\beta_j`), the generalised Nash bargaining solution gives
each party :math:`x_i = o_i + \\omega_i (S - o_e - o_c - o_t)` [Nash1950]_, hence

.. math:: w^* = o_t + \\omega_t (S - \\textstyle\\sum_j o_j) - G + e, \\qquad
          f^* = o_c + \\omega_c (S - \\textstyle\\sum_j o_j) + c_o,

and an agreement exists iff :math:`S > o_e + o_c + o_t`. The student is *cheap labour* when the
wage falls below a fair share :math:`\\varphi` of the labour value produced, :math:`w^* < \\varphi V`.
A wage floor :math:`w_{\\min} > w^*` fixes the student's payoff at :math:`w_{\\min} + G - e`; the
enterprise and the school then split the rest by their powers, and the agreement survives iff
:math:`S - w_{\\min} - G + e > o_e + o_c`.

Whether the agreement lasts is a question about the *stage game* played by each cohort under the
agreement reached without policy: the enterprise *honours* it (real posts, wage :math:`w^*`) or
*exploits* (routine posts, labour value :math:`V_x`, wage :math:`w_c`); the student *engages* or
*shirks* (producing and learning the share :math:`\\sigma`; on a real post a shirker costs the
enterprise :math:`D`); the school *supervises* the placement (cost :math:`c_m`, exploitation is then
found out for sure) or *delegates* (found out with probability :math:`p`). Found-out exploitation
costs the enterprise :math:`L`; exploitation the school does not stop costs the school :math:`L_c`
(students' and parents' trust). Across cohorts, an enterprise found exploiting loses its future
interns; the critical discount factor is computed by :func:`critical_discount_factor`.
It assumes imperfect monitoring (exploitation found out with probability :math:`q` per cohort) and
the seed's punishment (loss of future interns, outside option :math:`o_e`); the generic
grim-trigger threshold of the findings ("repetition alone", minmax punishment) assumes perfect
monitoring and the harshest punishment, and is therefore lower.

Enforcement is not free: the public inspection behind the expected penalty :math:`P` (a fine
levied with detection probability :math:`P/\\bar F`) costs the outside budget :math:`\\kappa P`
every cohort, whether or not it catches anyone, so at full cooperation the public budget pays
:math:`s + \\tau C_t + \\kappa P`. The school's own supervision (cost :math:`c_m`) is part of the
stage game.

Defaults are illustrative (1,000 yuan per intern and month), not estimates: the student's
bargaining power is weak (:math:`\\omega_t = 1/5`), the wage is cheap labour, and exploiting pays
the enterprise in a single cohort.

Examples
--------
>>> from coopgame.models import get
>>> from coopgame.models.internship_bargaining import agreement
>>> m = get("internship_bargaining")
>>> a = agreement(m.defaults)
>>> a.wage, a.fee, a.cheap_labour
(9/10, 9/10, True)
>>> [e.profile for e in m.game.pure_equilibria(strict=True) if e.holds(m.defaults)]
[]
>>> [e.profile for e in m.with_policy().pure_equilibria(strict=True) if e.holds(m.values(policy=True))]
[('honour', 'engage', 'delegate')]

References
----------
.. [Nash1950] J. Nash, "The bargaining problem", Econometrica 18 (1950) 155-162.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sympy

from ..bargaining import BargainingSolution, nash_bargaining
from ..core.errors import ParameterError
from ..core.exact import relation
from ..core.game import Game
from ..core.parameters import NONNEGATIVE, POSITIVE, PROBABILITY, Domain, Parameter, resolve_values
from ..policy import Expense, Penalty, Subsidy, TaxRelief
from .base import SEED_REFERENCES, Model, Reference
from .school_enterprise import inspection_cost

__all__ = ["internship_bargaining", "bargaining_problem", "agreement", "Agreement", "critical_discount_factor",
           "cheap_labour_condition"]

_UNIT = "1,000 yuan per intern per month"
_SHARE = Domain.between(0, 1, name="share")
_PARTIES = ("enterprise", "school", "student")


def _parameters() -> tuple[Parameter, ...]:
    return (
        Parameter("V", "labour value an engaged intern produces on a real post", _UNIT, POSITIVE, 6,
                  "Du2022 3.2.2(2)"),
        Parameter("G", "student's skill gain from an engaged internship on a real post", _UNIT, POSITIVE, 2,
                  "Du2022 3.2.1(1)"),
        Parameter("C_t", "enterprise's training and supervision cost of a real post", _UNIT, POSITIVE,
                  sympy.Rational(3, 2), "Du2022 3.2.2(2)"),
        Parameter("c_o", "school's cost of organising the placement", _UNIT, NONNEGATIVE, sympy.Rational(1, 2),
                  "Du2022 3.2.2(2)"),
        Parameter("e", "student's effort cost of engaging", _UNIT, POSITIVE, sympy.Rational(1, 2),
                  "Du2022 3.2.2(2)"),
        Parameter("o_e", "enterprise's outside option (filling the post otherwise)", _UNIT, NONNEGATIVE,
                  sympy.Rational(3, 2), "He 5.2"),
        Parameter("o_c", "school's outside option (placing the cohort elsewhere or training on campus)", _UNIT,
                  NONNEGATIVE, 0, "He 5.2"),
        Parameter("o_t", "student's outside option (another job or placement)", _UNIT, NONNEGATIVE, 2, "He 5.2"),
        Parameter("beta_e", "enterprise's bargaining power", "weight", POSITIVE, 3, "He 5.2; Du2022 3.2.2(2)"),
        Parameter("beta_c", "school's bargaining power", "weight", POSITIVE, 1, "He 5.2"),
        Parameter("beta_t", "student's bargaining power", "weight", POSITIVE, 1, "Du2022 3.2.2(2)"),
        Parameter("phi", "fair share of the labour value the wage should reach (below it: cheap labour)", "share",
                  _SHARE, sympy.Rational(1, 3), "Du2022 3.2.2(2)"),
        Parameter("V_x", "labour value an engaged intern produces on a routine post", _UNIT, POSITIVE,
                  sympy.Rational(11, 2), "Du2022 3.2.2(2)"),
        Parameter("w_c", "wage paid on a routine post when the agreement is broken", _UNIT, NONNEGATIVE,
                  sympy.Rational(1, 2), "Du2022 3.2.2(2)"),
        Parameter("g", "student's skill gain from an engaged internship on a routine post", _UNIT, NONNEGATIVE,
                  sympy.Rational(1, 2), "Du2022 3.2.2(2)"),
        Parameter("sigma", "share of labour value and skill a shirking intern still produces and gains", "share",
                  _SHARE, sympy.Rational(1, 2), "Du2022 3.2.2(2)"),
        Parameter("D", "expected cost of a shirking intern's operational errors and safety incidents", _UNIT,
                  NONNEGATIVE, 1, "Du2022 3.2.2(2)"),
        Parameter("c_m", "school's cost of supervising the placement", _UNIT, POSITIVE, sympy.Rational(1, 5),
                  "He 5.4"),
        Parameter("p", "probability that exploitation is found out when the school does not supervise",
                  "probability", PROBABILITY, sympy.Rational(1, 5), "Du2022 4.2.4"),
        Parameter("L", "enterprise's loss when exploitation is found out (reputation, rectification)", _UNIT,
                  NONNEGATIVE, 4, "Du2022 4.2.4"),
        Parameter("L_c", "school's loss when its students are exploited and it does not step in (trust, "
                         "enrolment)", _UNIT, NONNEGATIVE, 1, "Du2022 3.2.2(2)"),
        inspection_cost(source="Du2022 4.2.4 (inspection and rectification)"),
    )


def _instrument_parameters() -> tuple[Parameter, ...]:
    return (
        Parameter("s", "subsidy per intern to an enterprise that honours the agreement", _UNIT, NONNEGATIVE, 0,
                  "Du2022 4.2.3"),
        Parameter("tau", "tax and fee relief rate on the enterprise's training cost", "share of C_t", _SHARE, 0,
                  "Du2022 4.2.3"),
        Parameter("P", "expected penalty on an enterprise that exploits interns (inspection)", _UNIT, NONNEGATIVE,
                  0, "Du2022 4.2.4"),
        Parameter("w_min", "wage floor for interns (the default 0 only rules out negative wages); used by "
                           "agreement()", _UNIT, NONNEGATIVE, 0, "Du2022 3.2.2(2)"),
    )


def _symbols() -> dict:
    return {p.name: p.symbol for p in _parameters() + _instrument_parameters()}


@functools.lru_cache(maxsize=2)
def bargaining_problem(*, policy: bool = True) -> BargainingSolution:
    """The symbolic three-party Nash bargaining solution over the internship surplus.

    Parameters
    ----------
    policy : bool
        Include the subsidy ``s`` and the tax relief ``tau`` in the surplus (the agreement is
        re-bargained with the instrument in place); without them, the status-quo agreement.

    Examples
    --------
    >>> sol = bargaining_problem(policy=False)
    >>> sol.surplus
    -C_t + G + V - c_o - e
    >>> sol.agreement_condition
    G + V > C_t + c_o + e + o_c + o_e + o_t
    """
    x = _symbols()
    surplus = x["V"] + x["G"] - x["C_t"] - x["c_o"] - x["e"]
    if policy:
        surplus += x["tau"] * x["C_t"] + x["s"]
    return nash_bargaining(surplus, {"enterprise": x["o_e"], "school": x["o_c"], "student": x["o_t"]},
                           {"enterprise": x["beta_e"], "school": x["beta_c"], "student": x["beta_t"]})


def cheap_labour_condition(*, policy: bool = True):
    """The condition :math:`w^* < \\varphi V` (no wage floor) as a sympy relation.

    Examples
    --------
    >>> cond = cheap_labour_condition(policy=False)
    >>> from coopgame.models import get
    >>> cond.xreplace(get("internship_bargaining").defaults)
    True
    """
    sol = bargaining_problem(policy=policy)
    x = _symbols()
    wage = sol.payoffs["student"] - x["G"] + x["e"]
    return sympy.StrictLessThan(sympy.factor_terms(wage), x["phi"] * x["V"])


@dataclass(frozen=True)
class Agreement:
    """The internship agreement at given parameter values.

    Attributes
    ----------
    wage, fee : sympy number
        The wage paid to the student and the fee paid to the school.
    payoffs : dict
        Party -> payoff in the agreement (enterprise, school, student).
    exists : bool
        Whether every party gains from agreeing (strictly more than its outside option).
    floor_binds : bool
        Whether the wage floor raised the wage above the bargained one.
    cheap_labour : bool
        Whether the wage is below the fair share :math:`\\varphi V` of the labour value.
    student_share : sympy number
        The student's normalised bargaining power :math:`\\omega_t`.
    solution : BargainingSolution
        The unconstrained bargaining solution at the values (it may give a negative wage, which
        the default floor ``w_min = 0`` rules out).
    """

    wage: Any
    fee: Any
    payoffs: Any
    exists: bool
    floor_binds: bool
    cheap_labour: bool
    student_share: Any
    solution: BargainingSolution


def agreement(values: Mapping | None = None) -> Agreement:
    """The bargained wage and fee at numeric values, with the wage floor ``w_min`` applied.

    Parameters
    ----------
    values : mapping
        Values of every parameter of the model (names, symbols or Parameters as keys); the
        model's defaults fill what is missing.

    Returns
    -------
    Agreement

    Examples
    --------
    The defaults give the student a fifth of the net surplus :math:`S - \\sum_j o_j = 2`, so
    :math:`x_t = 2 + 2/5`, :math:`w^* = x_t - G + e = 9/10 < \\varphi V = 2`: cheap labour. A
    wage floor of 2 binds; the enterprise and the school split the remaining :math:`11/2 - 7/2 = 2`
    above their outside options :math:`3/2 + 0` in the ratio 3 : 1.

    >>> a = agreement({"w_min": 2})
    >>> a.wage, a.payoffs["enterprise"], a.payoffs["school"], a.cheap_labour, a.exists
    (2, 15/8, 1/8, False, True)
    """
    params = _parameters() + _instrument_parameters()
    vals = resolve_values(values or {}, params, require_all=False, defaults=True)
    x = _symbols()
    sol = bargaining_problem(policy=True)

    def num(expr):
        out = expr.xreplace(vals)
        if out.free_symbols:
            raise ParameterError(f"missing value for parameter(s) {', '.join(sorted(s.name for s in out.free_symbols))}")
        return out

    S = num(sol.surplus)
    o = {k: num(v) for k, v in sol.disagreement.items()}
    shares = {k: num(v) for k, v in sol.shares.items()}
    G, e, c_o, V, phi, w_min = (vals[x[n]] for n in ("G", "e", "c_o", "V", "phi", "w_min"))
    payoffs = {k: num(v) for k, v in sol.payoffs.items()}
    wage = payoffs["student"] - G + e
    floor_binds = bool(w_min > wage)
    if floor_binds:
        wage = w_min
        student = w_min + G - e
        rest = S - student - o["enterprise"] - o["school"]
        pair = shares["enterprise"] + shares["school"]
        payoffs = {"enterprise": o["enterprise"] + shares["enterprise"] / pair * rest,
                   "school": o["school"] + shares["school"] / pair * rest, "student": student}
        exists = bool(rest > 0) and bool(student > o["student"])
    else:
        exists = bool(S - sum(o.values()) > 0)
    fee = payoffs["school"] + c_o
    return Agreement(wage=wage, fee=fee, payoffs=payoffs, exists=exists, floor_binds=floor_binds,
                     cheap_labour=bool(wage < phi * V), student_share=shares["student"],
                     solution=nash_bargaining(S, o, {k: num(v) for k, v in sol.powers.items()}))


def _stage_game(params) -> Game:
    x = {p.name: p.symbol for p in params}
    sol = bargaining_problem(policy=False)
    x_e, x_c, x_t = (sol.payoffs[k] for k in _PARTIES)
    wage = x_t - x["G"] + x["e"]
    fee = x_c + x["c_o"]
    V, V_x, w_c, g, sigma, D, c_m, p, L, L_c, C_t, e, G, c_o = (
        x[n] for n in ("V", "V_x", "w_c", "g", "sigma", "D", "c_m", "p", "L", "L_c", "C_t", "e", "G", "c_o"))
    payoffs = {}
    for school in ("supervise", "delegate"):
        cost = c_m if school == "supervise" else 0
        found = 1 if school == "supervise" else p
        school_loss = 0 if school == "supervise" else L_c
        payoffs[("honour", "engage", school)] = (x_e, x_t, x_c - cost)
        payoffs[("honour", "shirk", school)] = (sigma * V - C_t - wage - fee - D, wage + sigma * G, x_c - cost)
        payoffs[("exploit", "engage", school)] = (V_x - w_c - fee - found * L, w_c + g - e,
                                                  fee - c_o - cost - school_loss)
        payoffs[("exploit", "shirk", school)] = (sigma * V_x - w_c - fee - found * L, w_c + sigma * g,
                                                 fee - c_o - cost - school_loss)
    return Game(["enterprise", "student", "school"],
                [["honour", "exploit"], ["engage", "shirk"], ["supervise", "delegate"]], payoffs, params,
                name="Internship agreement: one cohort")


def critical_discount_factor(values: Mapping | None = None, *, visibility=None, policy: bool = False):
    """The discount factor above which an enterprise honours the agreement across cohorts.

    Each cohort, honouring gives the enterprise its bargained payoff :math:`R = x_e` and
    exploiting an engaged intern under a delegating school gives :math:`T = V_x - w_c - f^* - pL`.
    Exploitation becomes known to future cohorts with probability ``visibility`` (:math:`q`, by
    default :math:`p`), after which no school places interns there and the enterprise gets its
    outside option :math:`o_e` in every later cohort (grim trigger, [Friedman1971]_): the
    reputation condition of :func:`coopgame.repeated.reputation_condition` with gain
    :math:`T - R`, reputation value :math:`R - o_e` and detection probability :math:`q`. Honouring
    lasts iff :math:`T - R \\le \\frac{\\delta}{1 - \\delta} q (R - o_e)`, that is

    .. math:: \\delta \\ge \\delta^* = \\frac{T - R}{T - R + q (R - o_e)}

    when :math:`T > R` (with :math:`q = 1` the textbook :math:`(T - R)/(T - P)`). Returns ``0``
    when exploiting does not pay even once, and ``None`` when no discount factor below one
    suffices (:math:`q (R - o_e) \\le 0`).

    Parameters
    ----------
    values : mapping, optional
        Parameter values; defaults fill the rest. Without values the symbolic expression of
        :math:`\\delta^*` (for the case :math:`T > R`) is returned.
    visibility : number or sympy expression, optional
        :math:`q`; default the model's ``p``.
    policy : bool
        Use the stage game with every instrument of the model (subsidy ``s`` and tax relief
        ``tau`` raise :math:`R`, the inspection penalty ``P`` lowers :math:`T`).

    Examples
    --------
    Defaults: :math:`R = 27/10`, :math:`T = 11/2 - 1/2 - 9/10 - 4/5 = 33/10`, :math:`q = 1/5`,
    :math:`o_e = 3/2`: :math:`\\delta^* = (3/5) / (3/5 + 6/25) = 5/7`.

    >>> critical_discount_factor({})
    5/7
    >>> critical_discount_factor({}, visibility=1)  # exploitation always known: (T - R)/(T - o_e)
    1/3
    >>> # subsidy 3/10: R = 3, T - R = 3/10, R - o_e = 3/2, so (3/10) / (3/10 + 3/10)
    >>> critical_discount_factor({"s": "3/10"}, policy=True)
    1/2

    References
    ----------
    .. [Friedman1971] J. W. Friedman, "A non-cooperative equilibrium for supergames", Review of
       Economic Studies 38 (1971) 1-12.
    """
    from ..repeated import reputation_condition

    params = _parameters()
    x = {p.name: p.symbol for p in params}
    game = internship_bargaining().with_policy() if policy else _stage_game(params)
    R = game.payoff("enterprise", ("honour", "engage", "delegate"))
    T = game.payoff("enterprise", ("exploit", "engage", "delegate"))
    q = x["p"] if visibility is None else visibility
    if values is None:
        rep = reputation_condition(gain=T - R, reputation_value=R - x["o_e"], detection_probability=q)
        return sympy.simplify(rep.critical_discount_factor)
    vals = resolve_values(values, params + _instrument_parameters(), require_all=False, defaults=True)
    R_v, T_v, o_v = (sympy.simplify(v.xreplace(vals)) for v in (R, T, x["o_e"]))
    q_v = sympy.simplify(q.xreplace(vals)) if isinstance(q, sympy.Basic) else sympy.Rational(str(q))
    if T_v <= R_v:
        return sympy.Integer(0)
    if q_v * (R_v - o_v) <= 0:
        return None
    rep = reputation_condition(gain=T_v - R_v, reputation_value=R_v - o_v, detection_probability=q_v)
    return sympy.nsimplify(rep.critical_discount_factor)


def internship_bargaining() -> Model:
    """The school-enterprise-student bargaining model (catalogue model 4).

    Returns
    -------
    Model
        The stage game of one cohort under the status-quo agreement (players enterprise,
        student, school), instruments ``training_subsidy``, ``tax_relief`` (both to an honouring
        enterprise, outside budget) and ``inspection`` (expected penalty ``P`` on exploitation, with
        its inspection cost ``kappa * P`` to the outside budget at every profile); extras
        ``bargaining`` (the symbolic :class:`~coopgame.bargaining.BargainingSolution` with the
        subsidy and tax relief in the surplus) and ``cheap_labour`` (the condition
        :math:`w^* < \\varphi V`).

    Examples
    --------
    >>> m = internship_bargaining()
    >>> dict(m.extras)["bargaining"].shares["student"]
    beta_t/(beta_c + beta_e + beta_t)
    """
    params = _parameters()
    inst = _instrument_parameters()
    x = {p.name: p.symbol for p in params + inst}
    game = _stage_game(params)
    s, tau, P, _w_min = inst
    honour = {"enterprise": "honour"}
    instruments = (
        ("training_subsidy", (Subsidy("enterprise", s, when=honour, label="training subsidy"),)),
        ("tax_relief", (TaxRelief("enterprise", tau, x["C_t"], when=honour, label="tax and fee relief"),)),
        ("inspection", (Penalty("enterprise", P, when={"enterprise": "exploit"}, label="inspection and penalty"),
                        Expense(None, x["kappa"] * P.symbol, label="inspection cost"))),
    )
    V, G, C_t, c_o, e, o_e, o_c, o_t, V_x = (x[n] for n in ("V", "G", "C_t", "c_o", "e", "o_e", "o_c", "o_t", "V_x"))
    sol = bargaining_problem(policy=True)
    return Model(
        name="internship_bargaining",
        title="School-enterprise-student bargaining over the internship surplus and the cheap-labour region",
        summary=("An enterprise, a school and a student bargain over the surplus of an internship: the labour "
                 "value and skill gain, net of training, organising and effort costs. The generalised Nash "
                 "solution sets the wage and the school's fee; a weak student side gets a wage below a fair "
                 "share of the labour value it produces (cheap labour). Each cohort the enterprise may break the "
                 "agreement and use interns on routine posts; the school may supervise. Subsidies, tax relief, "
                 "inspection and a wage floor move the split and the temptation; reputation across cohorts "
                 "decides whether the agreement lasts. Defaults are illustrative."),
        game=game,
        instruments=instruments,
        instrument_parameters=inst,
        target=("honour", "engage", "delegate"),
        assumptions=(V + G > C_t + c_o + e + o_e + o_c + o_t, V > V_x - G, (1 - x["sigma"]) * G > e),
        passages=(
            "Du2022 3.2.2(2): interns feel used as cheap labour, paid below the value of their work, on posts "
            "that teach little; the students' side is the weaker one.",
            "He 5.2: when the parties are unbalanced, the outcome serves the stronger party's goals.",
            "He 5.4: school and enterprise jointly manage and assess students on placement.",
            "Du2022 4.2.3 and 4.2.4: subsidies and tax relief for enterprises that train; rectification for those "
            "that do not.",
            "Du2022 4.2.1: long-term cooperation is the aim; an agreement that is broken ends it.",
        ),
        references=(SEED_REFERENCES["Du2022"], SEED_REFERENCES["He"],
                    Reference("Nash1950", "J. Nash", "The bargaining problem", "Econometrica 18, 155-162", 1950),
                    Reference("Friedman1971", "J. W. Friedman", "A non-cooperative equilibrium for supergames",
                              "Review of Economic Studies 38, 1-12", 1971)),
        questions=(
            "How is the internship surplus split, and when does the student's wage fall below a fair share of the "
            "labour value (cheap labour)?",
            "How do a subsidy, tax relief and a wage floor move the split, and when does a floor break the "
            "agreement?",
            "Is honouring the agreement stable within a cohort, and above which discount factor does it last "
            "across cohorts?",
        ),
        extras=(("bargaining", sol), ("cheap_labour", cheap_labour_condition(policy=True)),
                ("agreement_condition", relation(sol.net_surplus, strict=True))),
        policy_levels=(("s", 1),),
        target_stable_in_status_quo=False,
    )


def findings_extra(model: Model) -> str:
    """The bargaining findings of the model as Markdown (used by :mod:`coopgame.findings`).

    The split and the agreement condition in formulas; at the defaults the wage, the fee and
    whether the wage is cheap labour; the student's bargaining share below which it is; the
    smallest re-bargained subsidy that ends it; what full tax relief does; the window of wage
    floors that end cheap labour without breaking the agreement; critical discount factors.
    """
    x = _symbols()
    vals = model.defaults
    sol = bargaining_problem(policy=True)
    net = sol.net_surplus
    a = agreement(vals)
    net_v = sympy.nsimplify(net.xreplace(vals))
    # Cheap labour iff o_t + omega*net - G + e < phi*V, i.e. omega below this bound (net > 0).
    omega_num = x["phi"] * x["V"] + x["G"] - x["e"] - x["o_t"]
    omega_bound = omega_num / net
    omega_v = sympy.nsimplify(omega_bound.xreplace(vals))
    # Re-bargained subsidy ending cheap labour: o_t + omega_t (net0 + s) - G + e >= phi V.
    s_needed = sympy.nsimplify(((x["phi"] * x["V"] + x["G"] - x["e"] - x["o_t"]) / (x["beta_t"] / (
        x["beta_e"] + x["beta_c"] + x["beta_t"])) - net.xreplace({x["s"]: 0})).xreplace(vals))
    full_relief = agreement({**{k.name: v for k, v in vals.items()}, "tau": 1})
    floor_max = sympy.nsimplify((sol.surplus - x["o_e"] - x["o_c"] - x["G"] + x["e"]).xreplace(vals))
    fair = sympy.nsimplify((x["phi"] * x["V"]).xreplace(vals))
    d_star = critical_discount_factor(vals)
    rows = []
    for q in (sympy.Rational(1, 5), sympy.Rational(1, 2), sympy.Integer(1)):
        row = [str(q)]
        for s_level in (sympy.Integer(0), sympy.Rational(3, 10), sympy.Rational(3, 5)):
            d = critical_discount_factor({"s": s_level}, visibility=q, policy=True)
            row.append("never" if d is None else str(d))
        rows.append(row)
    from ..core.formatting import markdown_table

    lines = [
        "**Bargaining over the internship surplus.** Surplus "
        f"`S = {sol.surplus}`; each party gets its outside option plus its share "
        "`omega_i = beta_i / (beta_e + beta_c + beta_t)` of the net surplus "
        f"`{net}`. An agreement exists iff `{relation(net, strict=True)}`. "
        "The wage is `w* = o_t + omega_t*(S - o_e - o_c - o_t) - G + e` and the fee "
        "`f* = o_c + omega_c*(S - o_e - o_c - o_t) + c_o`.",
        "",
        f"At the defaults the net surplus is {net_v}, the student's share omega_t = {a.student_share}, "
        f"the wage {a.wage} and the fee {a.fee}, against a fair wage phi*V = {fair}: the student is "
        + ("cheap labour." if a.cheap_labour else "not cheap labour."),
        "",
        "**Cheap-labour region.** The student is cheap labour iff `w* < phi*V`, that is, for a positive net "
        f"surplus, iff `omega_t < ({omega_num}) / (S - o_e - o_c - o_t)`; at the defaults iff omega_t < {omega_v}.",
        "",
        f"**Instruments and the split.** A subsidy re-bargained into the surplus reaches the student only in "
        f"proportion omega_t: ending cheap labour at the defaults takes s >= {s_needed} per intern. Full tax "
        f"relief (tau = 1) raises the wage only to {full_relief.wage}"
        + (", still cheap labour. " if full_relief.cheap_labour else ", ending cheap labour. ")
        + f"A wage floor w_min ends cheap labour when w_min >= {fair} and keeps the agreement while "
        f"w_min < {floor_max} (the enterprise and the school still gain over their outside options), "
        f"so at the defaults floors in [{fair}, {floor_max}) work"
        + ("." if fair < floor_max else " (none do).")
        + " Unlike a subsidy, a floor costs the public budget nothing; it moves the enterprise's and the "
          "school's shares to the student.",
        "",
        "**Whether the agreement lasts.** Each cohort the enterprise compares honouring (its bargained payoff R) "
        "with exploiting an engaged intern under a delegating school (T); found-out exploitation (probability q) "
        "ends placements for good. The agreement lasts iff the discount factor is at least "
        "`delta* = (T - R) / (T - R + q (R - o_e))` (0 when exploiting does not pay). At the defaults "
        f"delta* = {d_star}. Critical discount factors by visibility q and per-intern subsidy s (stage game):",
        "",
        markdown_table(["q", "s = 0", "s = 3/10", "s = 3/5"], rows),
        "",
        "**Two critical discount factors, two monitoring assumptions.** \"Repetition alone\" above (grim "
        "trigger with minmax punishment in the three-party stage game) assumes perfect monitoring: the school "
        "and the student see exploitation in the cohort it happens and hold the enterprise to its minmax "
        "payoff for ever, the harshest punishment there is, so its threshold is a lower bound for any "
        "grim-trigger scheme. The cohort threshold here assumes the seed's information asymmetry: "
        "exploitation is found out only with probability q per cohort, and the punishment is the milder "
        "one the seed describes (the enterprise loses its interns and falls back on its outside option o_e). "
        "Both the weaker detection and the milder punishment raise the threshold.",
    ]
    return "\n".join(lines)
