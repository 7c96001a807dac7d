"""Partner choice: compatible partners or famous ones, and which pairings last.

He (section 5.5) proposes a cooperation service platform that helps schools choose partners that
fit their programmes and the regional industry, instead of pursuing well-known enterprises
blindly. The model makes the choice explicit as a population game over partner types.

A population of vocational schools whose programmes fit a regional industry meets a population of
regional enterprises of that industry. A school seeks a *compatible* partner (a regional
enterprise of its field) or a *famous* one (a well-known national enterprise); an enterprise seeks
a *compatible* partner (the regional vocational school) or a *famous* one (a well-known university
or flagship school). A compatible pairing forms only if both seek it and yields :math:`v_s` and
:math:`v_e` (placements that fit, practical training, graduates who stay). A famous partner is
oversubscribed: it accepts a school with probability :math:`q_s` and an enterprise with
probability :math:`q_e`, and then yields prestige :math:`r_i` (rankings and evaluation that count
famous partners) and a weaker fit :math:`u_i`. Seeking a famous partner does not depend on what
the other population does:

.. math::

    \\begin{array}{c|cc}
     & \\text{compatible} & \\text{famous} \\\\ \\hline
    \\text{compatible} & (v_s,\\; v_e) & (0,\\; f_e) \\\\
    \\text{famous} & (f_s,\\; 0) & (f_s,\\; f_e)
    \\end{array}
    \\qquad f_i = q_i\\,(r_i + u_i).

The compatible pairing is stable iff :math:`v_s > f_s` and :math:`v_e > f_e`; mutual pursuit of
fame is always stable (a compatible partner who is not there yields nothing). The instruments are
He's *service platform* (support :math:`\\sigma` from the outside budget to each side of a
compatible pairing it brokers) and an *evaluation reform* that credits a school for a compatible
partnership (:math:`e`, capped at 2, administered at cost :math:`\\kappa_e e` to the outside
budget) instead of rewarding famous names.

Defaults are illustrative (10,000 yuan per partnership and year), not estimates: prestige makes
the famous partner worth more to the school than a compatible one (:math:`f_s = 7/2 > v_s = 3`),
although the compatible pairing yields the larger joint surplus.

Examples
--------
>>> from coopgame.models import get
>>> m = get("partner_choice")
>>> [e.profile for e in m.game.pure_equilibria(strict=True) if e.holds(m.defaults)]
[('famous', 'famous')]
>>> [row[0] for row in pairings(m) if row[-1]]
[('famous', 'famous')]
"""

from __future__ import annotations

import sympy

from ..core.formatting import markdown_table
from ..core.game import Game
from ..core.parameters import NONNEGATIVE, POSITIVE, PROBABILITY, Domain, Parameter
from ..policy import Expense, Reputation, Subsidy
from .base import SEED_REFERENCES, Model

__all__ = ["partner_choice", "pairings", "findings_extra", "PARAMETERS", "INSTRUMENT_PARAMETERS"]

_UNIT = "10,000 yuan per partnership per year"

v_s = Parameter("v_s", "school's gain from a compatible partnership (placements that fit, practical training)",
                _UNIT, POSITIVE, 3, "He 5.5")
v_e = Parameter("v_e", "enterprise's gain from a compatible partnership (graduates who fit and stay)", _UNIT,
                POSITIVE, 4, "He 5.5; Du2022 3.2.1(1)")
q_s = Parameter("q_s", "probability that a famous enterprise accepts the school", "probability", PROBABILITY,
                sympy.Rational(1, 2), "He 5.5")
r_s = Parameter("r_s", "school's prestige from a famous partner (rankings, evaluation that count names)", _UNIT,
                NONNEGATIVE, 6, "He 5.5")
u_s = Parameter("u_s", "school's training gain from a famous partner (weaker fit)", _UNIT, NONNEGATIVE, 1, "He 5.5")
q_e = Parameter("q_e", "probability that a famous university or flagship school accepts the enterprise",
                "probability", PROBABILITY, sympy.Rational(1, 4), "He 5.5")
r_e = Parameter("r_e", "enterprise's prestige from a famous partner", _UNIT, NONNEGATIVE, 4, "He 5.5")
u_e = Parameter("u_e", "enterprise's gain from a famous partner's graduates (weaker fit)", _UNIT, NONNEGATIVE, 4,
                "He 5.5")
kappa_e = Parameter("kappa_e", "administrative cost to the outside budget of one unit of evaluation credit",
                    "yuan per yuan", NONNEGATIVE, sympy.Rational(1, 4), "He 5.4")

#: The evaluation credit is capped: it cannot outweigh the rest of a school's evaluation.
E_CAP = 2
sigma = Parameter("sigma", "service-platform support to each side of a compatible partnership it brokers", _UNIT,
                  NONNEGATIVE, 0, "He 5.5")
e = Parameter("e", "evaluation reform: credit to a school for a compatible partnership (capped)", _UNIT,
              Domain.between(0, E_CAP, name="capped credit"), 0, "He 5.4, 5.5")

PARAMETERS = (v_s, v_e, q_s, r_s, u_s, q_e, r_e, u_e, kappa_e)
INSTRUMENT_PARAMETERS = (sigma, e)

#: The school needs sigma + e > f_s - v_s = 1/2; e = 1 makes the compatible pairing stable.
POLICY_LEVELS = (("e", 1),)


def _fame(q, r, u):
    return q * (r + u)


def _game() -> Game:
    vs, ve, qs, rs, us, qe, re, ue, _ = (p.symbol for p in PARAMETERS)
    fs, fe = _fame(qs, rs, us), _fame(qe, re, ue)
    zero = sympy.Integer(0)
    payoffs = {
        ("compatible", "compatible"): (vs, ve),
        ("compatible", "famous"): (zero, fe),
        ("famous", "compatible"): (fs, zero),
        ("famous", "famous"): (fs, fe),
    }
    return Game(["school", "enterprise"], {"school": ["compatible", "famous"], "enterprise": ["compatible", "famous"]},
                payoffs, PARAMETERS, name="Partner choice")


def partner_choice() -> Model:
    """The partner-choice model (seed 003 section 5.5).

    Returns
    -------
    Model
        Players school and enterprise, each seeking a ``compatible`` or a ``famous`` partner;
        instruments ``service_platform`` (a :class:`~coopgame.policy.Subsidy` ``sigma`` to each
        side of a compatible pairing) and ``evaluation_reform`` (a
        :class:`~coopgame.policy.Reputation` credit ``e`` to the school, capped, with an
        administrative :class:`~coopgame.policy.Expense` ``kappa_e e``).

    Examples
    --------
    >>> partner_choice().instrument_names
    ('service_platform', 'evaluation_reform')
    """
    game = _game()
    pair = {"school": "compatible", "enterprise": "compatible"}
    instruments = (
        ("service_platform", (Subsidy("school", sigma, when=pair, label="platform support (school)"),
                              Subsidy("enterprise", sigma, when=pair, label="platform support (enterprise)"))),
        ("evaluation_reform", (Reputation("school", e, when=pair, label="evaluation credit"),
                               Expense(None, kappa_e.symbol * e.symbol, when=pair, label="evaluation administration"))),
    )
    vs, ve, qs, rs, us, qe, re, ue, _ = (p.symbol for p in PARAMETERS)
    return Model(
        name="partner_choice",
        title="Partner choice: compatible or famous partners, and which pairings last",
        summary=("Schools and regional enterprises each seek a compatible partner or a famous one. A compatible "
                 "pairing forms only if both seek it and yields the larger joint surplus; a famous partner accepts "
                 "only some applicants but brings prestige that rankings and evaluation reward. When prestige makes "
                 "the famous partner worth more to one side, mutual pursuit of fame is the only stable state; a "
                 "service platform and an evaluation reform change that. Defaults are illustrative, not estimates."),
        game=game,
        instruments=instruments,
        instrument_parameters=INSTRUMENT_PARAMETERS,
        target=("compatible", "compatible"),
        assumptions=(vs + ve > _fame(qs, rs, us) + _fame(qe, re, ue),),
        passages=(
            "He 5.5: schools should choose partners that fit their programmes and the regional industry rather "
            "than pursue well-known enterprises blindly (the types compatible and famous, and their pay-offs).",
            "He 5.5: a cooperation service platform oriented to regional industry helps institutions select "
            "partners rationally (the platform support sigma).",
            "He 5.4: joint assessment and evaluation shape what schools pursue (the evaluation credit e).",
        ),
        references=(SEED_REFERENCES["He"],),
        questions=(
            "Which pairings of partner types are stable, and does the stable one yield the largest joint surplus?",
            "How large must platform support or an evaluation credit be to make the compatible pairing stable, and "
            "what does each cost?",
            "Does any instrument remove the pursuit of fame as a stable state?",
        ),
        policy_levels=POLICY_LEVELS,
        target_stable_in_status_quo=False,
    )


def pairings(model: Model, values=None) -> list:
    """Each pairing of sought types, what it yields and whether it is stable.

    Returns
    -------
    list of (profile, school payoff, enterprise payoff, joint surplus, stable)
        At ``values`` (default: the model's defaults) in the status-quo game; ``stable`` means a
        strict Nash equilibrium, hence asymptotically stable under the two-population replicator
        dynamics (Selten 1980).

    Examples
    --------
    >>> [(row[0], row[3], row[4]) for row in pairings(partner_choice())]
    [(('compatible', 'compatible'), 7, False), (('compatible', 'famous'), 2, False), (('famous', 'compatible'), 7/2, False), (('famous', 'famous'), 11/2, True)]
    """
    vals = dict(model.defaults if values is None else values)
    game = model.game.subs({s: v for s, v in vals.items() if s in set(model.game.free_symbols)})
    stable = {tuple(eq.profile) for eq in game.pure_equilibria(strict=True)}
    out = []
    for profile in game.profiles():
        a, b = game.payoffs(profile)
        out.append((tuple(profile), a, b, sympy.nsimplify(a + b), tuple(profile) in stable))
    return out


def findings_extra(model: Model) -> str:
    """The pairings of types, their yields and their stability, as Markdown.

    Examples
    --------
    >>> "joint surplus" in findings_extra(partner_choice())
    True
    """
    rows = [[f"({a}, {b})", str(us), str(ue), str(tot), "yes" if st else "no"]
            for (a, b), us, ue, tot, st in pairings(model)]
    return "\n".join([
        "**Pairings of partner types** (school seeks, enterprise seeks; status quo, defaults):",
        "",
        markdown_table(["pairing", "school", "enterprise", "joint surplus", "stable"], rows),
        "",
        "The compatible pairing yields the largest joint surplus but is not stable: the school's prestige from a "
        "famous partner outweighs its own gain from a compatible one. Mutual pursuit of fame stays stable under "
        "every instrument (a compatible partner who is not there yields nothing), so the instruments add the "
        "compatible pairing as a second stable state; which one the system reaches depends on where it starts.",
    ])
