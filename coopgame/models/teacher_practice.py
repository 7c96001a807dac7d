"""Teachers as a third population: school, enterprise and teacher decide on enterprise practice.

Du and Zeng (section 3.2.2(3)) name a conflict between the school and the enterprise on one side
and the teachers on the other: the two institutions value and manage staff differently, so a
teacher who moves between them loses out. :mod:`coopgame.models.dual_teachers` folds the
teacher's interest into the school's cost; here the teacher decides for herself. Sha (section
4.3) proposes the remedies: regular enterprise practice, and an evaluation system that counts
enterprise practice, research and course development; Du and Zeng (section 4.2.1) a pay scheme
that rewards the teachers who take part.

Three populations play. The school *seconds* teachers (releases them and covers their classes,
cost :math:`K`) or *keeps* them; the enterprise *hosts* teachers on practice posts (cost
:math:`D`: posts, mentors' time, disruption) or *refuses*; the teacher *practises* in the
enterprise (cost :math:`c_t`: effort and the career loss under evaluation rules that ignore
practice, and a further :math:`o` when the school does not release her, so that practice
happens in her own time) or stays in the *classroom*. Practice takes place, :math:`x = 1`, iff
the teacher practises and the enterprise hosts. Then the school gains :math:`Q_t` (better
practical teaching) if it seconded the teacher and only the share :math:`\\varphi` of it if
practice happened in the teacher's own time; the enterprise gains :math:`G` (the teachers' work
on its processes); the teacher gains :math:`g` (skills, standing with students):

.. math::

    u_S &= x\\,Q_t - K  \\quad\\text{(second)}, & u_S &= \\varphi\\,x\\,Q_t \\quad\\text{(keep)},\\\\
    u_E &= x\\,G - D \\quad\\text{(host)},        & u_E &= 0 \\quad\\text{(refuse)},\\\\
    u_T &= x\\,g - c_t - o\\,[\\text{keep}] \\quad\\text{(practise)}, & u_T &= 0 \\quad\\text{(classroom)}.

The instruments are the *evaluation reform* (a career credit :math:`E` to a teacher whose
practice takes place; titles and promotion posts are finite, so the credit is capped at 2), the
*salary reform* (the school pays a seconded teacher :math:`w` for practice that takes place) and a
*hosting subsidy* :math:`S_h` from the outside budget to an enterprise where practice takes place.

Defaults are illustrative (10,000 yuan per teacher and year), not estimates: the school would
second teachers (:math:`(1 - \\varphi) Q_t > K`), but practice costs a teacher more than it gives
her (:math:`g < c_t`) and hosting costs the enterprise more than it gains (:math:`G < D`), so
nobody moves: the shortage of dual-qualified teachers the seeds describe.

Examples
--------
>>> from coopgame.models import get
>>> m = get("teacher_practice")
>>> m.game.players
('school', 'enterprise', 'teacher')
>>> [e.profile for e in m.game.pure_equilibria(strict=True) if e.holds(m.defaults)]
[('keep', 'refuse', 'classroom')]
>>> g = m.with_policy()
>>> [e.profile for e in g.pure_equilibria(strict=True) if e.holds(m.values(policy=True))]
[('second', 'host', 'practise'), ('keep', 'refuse', 'classroom')]
>>> g.payoff("teacher", ("second", "host", "practise"))
E - c_t + g + w
"""

from __future__ import annotations

import sympy

from ..core.game import Game
from ..core.parameters import NONNEGATIVE, POSITIVE, Domain, Parameter
from ..policy import Reputation, Subsidy, Transfer
from .base import SEED_REFERENCES, Model

__all__ = ["teacher_practice", "PARAMETERS", "INSTRUMENT_PARAMETERS", "findings_extra"]

_UNIT = "10,000 yuan per teacher per year"

Q_t = Parameter("Q_t", "school's teaching-quality gain from a seconded teacher's enterprise practice", _UNIT,
                POSITIVE, 3, "Du2022 3.2.2(3); Sha 4.3")
phi = Parameter("phi", "share of that gain the school realises when the practice happens in the teacher's own "
                "time (not seconded)", "share", Domain.between(0, 1, right_open=True, name="share"),
                sympy.Rational(1, 3), "Sha 4.3 (regular, organised practice)")
K = Parameter("K", "school's cost of seconding: releasing teachers and covering their classes", _UNIT, POSITIVE, 1,
              "Du2022 3.2.2(3)")
G = Parameter("G", "enterprise's gain from practising teachers' work on its processes and R&D", _UNIT,
              NONNEGATIVE, 1, "Sha 4.3")
D = Parameter("D", "enterprise's cost of hosting: practice posts, mentors' time, production disruption", _UNIT,
              POSITIVE, 2, "Du2022 3.2.2(3); Sha 5.2")
g = Parameter("g", "teacher's own gain from practice that takes place (skills, standing)", _UNIT, NONNEGATIVE, 1,
              "Sha 4.3")
c_t = Parameter("c_t", "teacher's cost of practising: effort and the career loss under evaluation rules that "
                "ignore practice", _UNIT, POSITIVE, 2, "Du2022 3.2.2(3); Sha 3.3")
o = Parameter("o", "teacher's extra cost when the school does not release her (practice in her own time)",
              _UNIT, NONNEGATIVE, 1, "Du2022 3.2.2(3)")

#: The evaluation credit is capped: titles and promotion posts are finite (Sha 4.3).
E_CAP = 2
E = Parameter("E", "evaluation reform: career credit (titles, promotion) for practice that takes place; capped "
              "because titles and promotion posts are finite", _UNIT, Domain.between(0, E_CAP, name="capped credit"),
              0, "Sha 4.3; Du2022 4.2.4")
w = Parameter("w", "salary reform: the school's pay to a seconded teacher for practice that takes place", _UNIT,
              NONNEGATIVE, 0, "Du2022 4.2.1")
S_h = Parameter("S_h", "hosting subsidy from the outside budget to an enterprise where practice takes place",
                _UNIT, NONNEGATIVE, 0, "Du2022 4.2.3 (fund guarantee)")

PARAMETERS = (Q_t, phi, K, G, D, g, c_t, o)
INSTRUMENT_PARAMETERS = (E, w, S_h)

#: The teacher needs E + w > c_t - g = 1 and the enterprise S_h > D - G = 1; E = 3/2, S_h = 2 (E = 2
#: would make a teacher indifferent when practising unreleased, g - c_t - o + E = 0).
POLICY_LEVELS = (("E", sympy.Rational(3, 2)), ("S_h", 2))


def _game() -> Game:
    qt, ph, k, gg, d, gt, ct, oo = (p.symbol for p in PARAMETERS)
    payoffs = {}
    for school in ("second", "keep"):
        for enterprise in ("host", "refuse"):
            for teacher in ("practise", "classroom"):
                x = 1 if (teacher == "practise" and enterprise == "host") else 0
                u_s = x * qt - k if school == "second" else ph * x * qt
                u_e = x * gg - d if enterprise == "host" else sympy.Integer(0)
                if teacher == "practise":
                    u_t = x * gt - ct - (oo if school == "keep" else 0)
                else:
                    u_t = sympy.Integer(0)
                payoffs[(school, enterprise, teacher)] = (sympy.sympify(u_s, strict=True), sympy.sympify(u_e, strict=True), sympy.sympify(u_t, strict=True))
    return Game(["school", "enterprise", "teacher"],
                {"school": ["second", "keep"], "enterprise": ["host", "refuse"], "teacher": ["practise", "classroom"]},
                payoffs, PARAMETERS, name="School, enterprise and teacher: enterprise practice")


def teacher_practice() -> Model:
    """School, enterprise and teacher as three populations (seed 001 section 3.2.2(3); seed 004 section 4.3).

    Returns
    -------
    Model
        Players school (second, keep), enterprise (host, refuse), teacher (practise,
        classroom); instruments ``evaluation_reform`` (a :class:`~coopgame.policy.Reputation`
        credit ``E`` to the teacher, capped), ``salary_reform`` (a
        :class:`~coopgame.policy.Transfer` ``w`` from a seconding school to the teacher) and
        ``hosting_subsidy`` (a :class:`~coopgame.policy.Subsidy` ``S_h`` to a hosting
        enterprise), each acting where practice takes place.

    Notes
    -----
    Full cooperation (second, host, practise) is a strict equilibrium iff

    * school: :math:`(1 - \\varphi) Q_t > K + w` (the pay is the school's own cost);
    * enterprise: :math:`G + S_h > D`;
    * teacher: :math:`g + E + w > c_t`.

    The evaluation reform and the salary reform move the same person, the teacher; the salary
    reform is paid by the school and so tightens the school's condition one for one, while the
    evaluation credit costs nobody but is capped. The status quo (keep, refuse, classroom) is
    strict whatever the instruments (hosting without practising teachers costs :math:`D`,
    practising without a host costs :math:`c_t + o`), so reform makes cooperation stable but never
    the only stable state: a coordination problem among three parties.

    Examples
    --------
    >>> teacher_practice().instrument_names
    ('evaluation_reform', 'salary_reform', 'hosting_subsidy')
    """
    game = _game()
    where = {"enterprise": "host", "teacher": "practise"}
    instruments = (
        ("evaluation_reform", (Reputation("teacher", E, when=where, label="evaluation reform"),)),
        ("salary_reform", (Transfer("school", "teacher", w, when={**where, "school": "second"},
                                    label="salary reform"),)),
        ("hosting_subsidy", (Subsidy("enterprise", S_h, when=where, label="hosting subsidy"),)),
    )
    qt, ph, k, gg, d, gt, ct, oo = (p.symbol for p in PARAMETERS)
    return Model(
        name="teacher_practice",
        title="Teachers as a third party: enterprise practice, evaluation and salary reform",
        summary=("The school decides whether to second teachers to enterprise practice, the enterprise whether to "
                 "host them, and the teacher whether to practise in the enterprise or stay in the classroom. "
                 "Practice takes place only when a teacher practises where an enterprise hosts; under evaluation "
                 "rules that ignore practice it costs the teacher more than it gives her, and hosting costs the "
                 "enterprise more than it gains, so the school's willingness is not enough. Evaluation reform, "
                 "salary reform and a hosting subsidy are the instruments. Defaults are illustrative, not "
                 "estimates."),
        game=game,
        instruments=instruments,
        instrument_parameters=INSTRUMENT_PARAMETERS,
        target=("second", "host", "practise"),
        assumptions=((1 - ph) * qt > k, gt < ct, gg < d),
        passages=(
            "Du2022 3.2.2(3): schools and enterprises value and manage staff differently, so teachers who move "
            "between them lose out and their development is neglected (the teacher's cost c_t).",
            "Du2022 4.2.1: a pay scheme should reward the teachers who take part (the salary reform w).",
            "Sha 3.3: title evaluation and pay do not fit two-way mobility, so dual-qualified staff stay short.",
            "Sha 4.3: regular enterprise practice for teachers, and an evaluation system that counts enterprise "
            "practice, R&D and course development (the evaluation reform E).",
            "Sha 5.2: incentives give technicians and teachers the motive and the time to take part.",
        ),
        references=(SEED_REFERENCES["Du2022"], SEED_REFERENCES["Sha"]),
        questions=(
            "Which of school, enterprise and teacher blocks enterprise practice in the status quo?",
            "How large must the evaluation credit or the salary supplement be to move the teacher, and what does "
            "the salary supplement do to the school's own incentive?",
            "Does any reform make the status quo unstable, or only add a cooperative state beside it?",
        ),
        policy_levels=POLICY_LEVELS,
        target_stable_in_status_quo=False,
    )


def findings_extra(model: Model) -> str:
    """Who blocks practice and what each reform does, as Markdown (used by :mod:`coopgame.findings`).

    Examples
    --------
    >>> "c_t - g = 1" in findings_extra(teacher_practice())
    True
    """
    d = model.defaults
    qt, ph, k, gg, dd, gt, ct, oo = (p.symbol for p in PARAMETERS)
    teacher = (ct - gt).xreplace(d)
    room = ((1 - ph) * qt - k).xreplace(d)
    host = (dd - gg).xreplace(d)
    return ("**Who blocks practice.** At the defaults the school is willing (it gains (1 - phi) Q_t - K = "
            f"{room} from seconding a practising teacher), but the teacher needs E + w > c_t - g = {teacher} and the "
            f"enterprise needs S_h > D - G = {host}. The evaluation credit is free but capped at {E_CAP}; the salary "
            f"supplement is paid by the school, which stops seconding once w >= {room}, so the salary reform alone "
            f"works only for {teacher} < w < {room}, an empty range at the defaults. The status quo (keep, refuse, "
            "classroom) stays stable under every reform: each party's move pays only if the other two move, so "
            "where the system ends depends on where it starts.")
