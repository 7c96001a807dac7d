"""Dual-qualified teachers: the school seconds teachers, the enterprise hosts them and sends engineers.

A vocational school needs "dual-qualified" teachers, who can teach both theory and current
practice. Du and Zeng (section 3.2.2(3)) describe the school-enterprise-teacher conflict: the
two institutions value different things and manage staff differently, so teachers moving between
them lose out and the two-way flow stalls. Sha (sections 3.3, 4.3 and 5.2) names the obstacles
(title evaluation and pay that do not reward enterprise practice) and the remedies: a dual-hire
system for engineers who teach, evaluation that counts enterprise practice, and incentives that
give technicians the motive and the time to teach.

The model is a 2x2 game. The school chooses to ``second`` teachers to the enterprise or to
``keep`` them on campus; the enterprise chooses to ``host`` them (and send engineers to teach) or
to ``refuse``. With :math:`Q_t` the teaching-quality gain from teachers' enterprise practice,
:math:`Q_e` the gain from engineers' lectures, :math:`K` the school's cost of covering seconded
teachers' classes (including the teachers' career loss under the old evaluation rules),
:math:`G` the enterprise's gain from seconded teachers' work on its processes, :math:`H` its
gain from better-trained graduates and :math:`D` its production-disruption cost:

.. math::

    \\begin{array}{c|cc}
     & \\text{host} & \\text{refuse} \\\\ \\hline
    \\text{second} & (Q_t + Q_e - K,\\; G + H - D) & (-K,\\; 0) \\\\
    \\text{keep}   & (Q_e,\\; H - D)              & (0,\\; 0)
    \\end{array}

The instruments are the evaluation reform (a career credit :math:`E` for seconded teachers when
the practice takes place), the salary reform (the school pays :math:`W` for engineers' teaching)
and a hosting subsidy :math:`S_h` from the government. The evaluation credit is not free: a
teacher whose enterprise practice earns a higher title earns a higher salary, and the education
authority pays the share :math:`\\kappa_E` of the credit :math:`E` as that salary, so at full
cooperation the public budget pays :math:`\\kappa_E E + S_h`; only the salary reform, paid by the
school, costs it nothing. The defaults are illustrative, not
estimates: they make ``(keep, refuse)`` the only equilibrium, the shortage of dual-qualified
teachers both seeds describe.

Examples
--------
>>> from coopgame.models.dual_teachers import dual_teachers
>>> m = dual_teachers()
>>> m.game.payoff("enterprise", ("second", "host"))
-D + G + H
>>> [e.profile for e in m.game.subs(m.game.defaults()).pure_equilibria(strict=True)]
[('keep', 'refuse')]
>>> g = m.with_policy().subs(m.values(policy=True))
>>> [e.profile for e in g.pure_equilibria(strict=True)]
[('second', 'host')]
"""

from __future__ import annotations

import sympy

from ..core.game import Game
from ..core.parameters import NONNEGATIVE, POSITIVE, Parameter
from ..policy import Expense, Reputation, Subsidy, Transfer
from .base import Model, Reference

__all__ = ["dual_teachers", "PARAMETERS", "INSTRUMENT_PARAMETERS", "COST_PARAMETERS"]

_UNIT = "ten thousand yuan per year"

Q_t = Parameter("Q_t", "teaching-quality gain to the school from teachers' practice in the enterprise",
                _UNIT, POSITIVE, 3, "Du and Zeng 3.2.2(3); Sha 4.3")
Q_e = Parameter("Q_e", "teaching-quality gain to the school from engineers lecturing on campus",
                _UNIT, POSITIVE, 2, "Sha 4.3, 5.2 (dual-hire engineers as industry mentors)")
K = Parameter("K", "school's cost of seconding teachers: covering their classes and their career loss "
              "under evaluation rules that ignore enterprise practice", _UNIT, POSITIVE, 4,
              "Du and Zeng 3.2.2(3); Sha 3.3")
G = Parameter("G", "enterprise's gain from seconded teachers' work on its processes and research",
              _UNIT, NONNEGATIVE, 2, "Sha 4.3 (teachers join process improvement and R&D)")
H = Parameter("H", "enterprise's gain from graduates trained by its own engineers (recruitment)",
              _UNIT, NONNEGATIVE, 1, "Du and Zeng 3.2.1; Sha 5.3")
D = Parameter("D", "enterprise's production-disruption cost of hosting teachers and releasing engineers "
              "to teach", _UNIT, POSITIVE, 5, "Du and Zeng 3.2.2(3); Sha 5.2 (technicians' time)")

E = Parameter("E", "evaluation reform: career credit for seconded teachers when the enterprise practice "
              "takes place (titles, promotion)", _UNIT, NONNEGATIVE, 0, "Sha 4.3; Du and Zeng 4.2.4")
W = Parameter("W", "salary reform: pay from the school for engineers' teaching (dual-hire system)",
              _UNIT, NONNEGATIVE, 0, "Du and Zeng 4.2.1; Sha 4.3, 5.2")
S_h = Parameter("S_h", "government subsidy to an enterprise that hosts teachers and sends engineers",
                _UNIT, NONNEGATIVE, 0, "Du and Zeng 4.2.3 (fund guarantee)")

kappa_E = Parameter("kappa_E", "share of the evaluation credit the public budget pays out (a higher title earns a "
                    "higher salary, paid by the education authority)", "share", NONNEGATIVE, sympy.Rational(1, 2),
                    "Sha 3.3, 4.3 (title evaluation and pay); Du and Zeng 4.2.4")

PARAMETERS = (Q_t, Q_e, K, G, H, D)
#: Cost parameters of the instruments (declared with the game; they enter only with an instrument).
COST_PARAMETERS = (kappa_E,)
INSTRUMENT_PARAMETERS = (E, W, S_h)

#: Instrument levels under which ``(second, host)`` is the unique strict equilibrium at the
#: default parameters: ``Q_t + E > K`` (5 > 4) and hosting dominant, ``H + W + S_h > D`` (6 > 5).
POLICY_LEVELS = (("E", 2), ("W", 3), ("S_h", 2))


def _game() -> Game:
    qt, qe, k, g, h, d = (p.symbol for p in PARAMETERS)
    payoffs = {
        ("second", "host"): (qt + qe - k, g + h - d),
        ("second", "refuse"): (-k, sympy.Integer(0)),
        ("keep", "host"): (qe, h - d),
        ("keep", "refuse"): (sympy.Integer(0), sympy.Integer(0)),
    }
    return Game(["school", "enterprise"], {"school": ["second", "keep"], "enterprise": ["host", "refuse"]},
                payoffs, PARAMETERS + COST_PARAMETERS, name="Dual-qualified teachers")


def dual_teachers() -> Model:
    """The dual-qualified teachers model (seed 001 section 3.2.2(3); seed 004 sections 4.3, 5.2).

    Returns
    -------
    Model
        The status-quo 2x2 game ``school: second/keep`` x ``enterprise: host/refuse`` and three
        switchable instruments: ``evaluation_reform`` (a :class:`~coopgame.policy.Reputation`
        gain ``E`` to the school when its teachers practise in a hosting enterprise, of which the
        outside budget pays the share ``kappa_E`` as title salary),
        ``salary_reform`` (a :class:`~coopgame.policy.Transfer` ``W`` from the school to the
        enterprise when it hosts) and ``hosting_subsidy`` (a :class:`~coopgame.policy.Subsidy`
        ``S_h`` from the outside budget to a hosting enterprise).

    Notes
    -----
    Strict equilibria of the status quo (from the deviation inequalities):

    * ``(second, host)`` iff :math:`Q_t > K` and :math:`G + H > D`;
    * ``(keep, refuse)`` iff :math:`D > H` (the school's :math:`K > 0` always holds);
    * ``(keep, host)`` iff :math:`K > Q_t` and :math:`H > D`;
    * ``(second, refuse)`` never (seconding to a refusing enterprise costs :math:`K > 0`).

    With the instruments, ``(second, host)`` needs :math:`Q_t + E > K` and
    :math:`G + H + W + S_h > D`; ``W`` cancels from the school's comparison because it is paid
    whenever the enterprise hosts. Defaults are illustrative, not estimates.

    Examples
    --------
    >>> m = dual_teachers()
    >>> m.instrument_names
    ('evaluation_reform', 'salary_reform', 'hosting_subsidy')
    >>> m.with_policy("salary_reform").payoff("school", ("keep", "host"))
    Q_e - W
    """
    game = _game()
    instruments = (
        ("evaluation_reform", (Reputation("school", E, when={"school": "second", "enterprise": "host"},
                                          label="evaluation reform"),
                               Expense(None, kappa_E.symbol * E.symbol, when={"school": "second", "enterprise": "host"},
                                       label="title salary paid for the evaluation credit"))),
        ("salary_reform", (Transfer("school", "enterprise", W, when={"enterprise": "host"},
                                    label="salary reform"),)),
        ("hosting_subsidy", (Subsidy("enterprise", S_h, when={"enterprise": "host"}, label="hosting subsidy"),)),
    )
    qt, qe, k, g, h, d = (p.symbol for p in PARAMETERS)
    return Model(
        name="dual_teachers",
        title="Dual-qualified teachers: seconding teachers and hosting engineers",
        summary=(
            "A vocational school decides whether to second teachers to an enterprise for practice or "
            "keep them on campus; the enterprise decides whether to host them and send its engineers to "
            "teach, or refuse. Practice and engineers' lectures raise teaching quality, but the school "
            "must cover the seconded teachers' classes and the enterprise loses production time. Under "
            "evaluation and pay rules that ignore enterprise practice neither side moves, the shortage of "
            "dual-qualified teachers the seeds describe; evaluation reform, pay for engineers' teaching "
            "and a hosting subsidy are the instruments. Defaults are illustrative, not estimates."
        ),
        game=game,
        instruments=instruments,
        instrument_parameters=INSTRUMENT_PARAMETERS,
        target=("second", "host"),
        assumptions=(qt < k, d > h),
        passages=(
            "seed 001 section 3.2.2(3): schools and enterprises value different things and manage staff "
            "differently, so teachers moving between them lose out and their development is neglected.",
            "seed 001 section 4.2.1: vocational teachers teach theory, enterprise trainers teach practice, "
            "and a pay scheme should reward teachers who take part in teaching.",
            "seed 004 section 3.3: title evaluation and pay do not match two-way mobility, so the "
            "dual-qualified staff stays short.",
            "seed 004 section 4.3: a dual-hire system for engineers and technicians, and teacher evaluation "
            "that counts enterprise practice, research and course development.",
            "seed 004 section 5.2: in the Xiangdian case, incentives give technicians the motive and the "
            "time to teach.",
        ),
        references=(
            Reference("Du2022", "Ting Du and Shaolun Zeng",
                      "Construction of High-quality Talents Training Community in Secondary Vocational Education",
                      "Sichuan University of Science & Engineering", None,
                      "Sections 3.2.2(3), 4.2.1, 4.2.3: the school-enterprise-teacher conflict and the pay scheme."),
            Reference("Sha", "Yan Sha",
                      "Research on the Innovation Path of Vocational Talent Training Mode under the Vocational "
                      "Education Group Mode", "Lanzhou Vocational Technical College", None,
                      "Sections 3.3, 4.3, 5.2: dual-qualified teachers, dual hire, evaluation reform."),
            Reference("Selten1980", "R. Selten",
                      "A note on evolutionarily stable strategies in asymmetric animal conflicts",
                      "Journal of Theoretical Biology 84, 93-101", 1980,
                      "Strict equilibria are the asymptotically stable vertices of the two-population dynamics."),
        ),
        questions=(
            "Without reform, is any profile other than (keep, refuse) stable?",
            "How large must the evaluation credit E be for the school to second teachers to a hosting enterprise?",
            "Which mix of pay for engineers' teaching W and hosting subsidy S_h makes hosting pay, and what "
            "does it cost the government, once the title salary behind the evaluation credit is counted?",
            "When both (second, host) and (keep, refuse) are stable, which starting shares lead where?",
        ),
        extras=(),
        policy_levels=POLICY_LEVELS,
        target_stable_in_status_quo=False,
    )


def findings_extra(model: Model) -> str:
    """Which side needs which instrument, as Markdown (used by :mod:`coopgame.findings`).

    From the conditions in :func:`dual_teachers`: the school needs :math:`E > K - Q_t`; the
    enterprise needs :math:`W + S_h > D - G - H` to host seconded teachers and
    :math:`W + S_h > D - H` for hosting to pay whatever the school does; in between, both
    ``(second, host)`` and ``(keep, refuse)`` are stable.

    Examples
    --------
    >>> "E > K - Q_t = 1" in findings_extra(dual_teachers())
    True
    """
    d = model.defaults
    qt, _, k, g, h, dd = (prm.symbol for prm in PARAMETERS)
    school = (k - qt).xreplace(d)
    host = (dd - g - h).xreplace(d)
    dominant = (dd - h).xreplace(d)
    return "\n".join([
        "**Which side needs what.** The two sides need different instruments: the school needs an "
        f"evaluation credit E > K - Q_t = {school} (pay and subsidy cancel out of its choice), the enterprise "
        f"needs W + S_h > D - G - H = {host} to host seconded teachers. The evaluation reform alone never "
        "moves the enterprise, and pay alone never moves the school (Q_t < K). With E large enough and "
        f"{host} < W + S_h < {dominant} (= D - H), the status quo (keep, refuse) stays stable beside "
        "(second, host), so where the system ends depends on where it starts; for W + S_h above "
        f"{dominant} hosting pays whatever the school does and (second, host) is the only stable state.",
    ])
