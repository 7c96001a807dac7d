"""Risk sharing: uncertain returns, the sharing of a failure's loss and the risk premium of each side.

Sha (section 3.1) finds that school-enterprise cooperation inside vocational education groups
does not last because benefit distribution and risk sharing are imperfect. The education-group
model has no uncertainty; this one has. A joint project (an order class, a shared training base)
needs both the school and the enterprise to *commit* (costs :math:`c_s`, :math:`c_e`); either may
*stay out*. A committed project succeeds with probability :math:`1 - \\pi`, paying :math:`R_s` and
:math:`R_e`; it fails with probability :math:`\\pi`, and then its loss :math:`L` (equipment,
unplaced trainees, lost orders) is shared :math:`\\lambda : 1 - \\lambda` between school and
enterprise. A side that commits alone loses its cost.

Both sides are risk averse with mean-variance preferences (absolute risk aversion :math:`a_i`), so
a side values the risky project at its certainty equivalent

.. math::

    CE_i = \\underbrace{(1 - \\pi) R_i - c_i - \\pi \\lambda_i L}_{\\text{expected return}}
           - \\underbrace{\\tfrac{a_i}{2}\\,\\pi (1 - \\pi) (R_i + \\lambda_i L)^2}_{\\text{risk premium } \\rho_i},
    \\qquad \\lambda_s = \\lambda,\\ \\lambda_e = 1 - \\lambda,

where the risk premium :math:`\\rho_i` is what the side requires on top of a break-even expected
return before it commits (the variance is that of a two-point lottery whose outcomes differ by
:math:`R_i + \\lambda_i L`). The stage game is a stag hunt: (stay out, stay out) is always strict;
(commit, commit) is strict iff both certainty equivalents are positive. The sharing rule
:math:`\\lambda` is a parameter of the game (the partners' contract), 0 by default: the status quo
in which the enterprise, which owns the equipment, bears the whole loss. A commitment subsidy
:math:`s` (outside budget) to each committed side of a project that goes ahead is the
instrument.

Defaults are illustrative (10,000 yuan per project and year), not estimates: the enterprise's
risk premium exceeds its expected gain, so it stays out, although a more even sharing of the loss
would bring both in at no public cost.

Examples
--------
>>> from coopgame.models import get
>>> m = get("risk_sharing")
>>> [e.profile for e in m.game.pure_equilibria(strict=True) if e.holds(m.defaults)]
[('stay_out', 'stay_out')]
>>> risk_premia(m, m.defaults)
{'school': 16/125, 'enterprise': 324/125}
>>> [e.profile for e in m.game.pure_equilibria(strict=True) if e.holds(m.values({"lam": sympy.Rational(1, 2)}))]
[('commit', 'commit'), ('stay_out', 'stay_out')]
"""

from __future__ import annotations

import sympy

from ..core.formatting import format_set
from ..core.game import Game
from ..core.parameters import NONNEGATIVE, POSITIVE, PROBABILITY, Domain, Parameter
from ..policy import Subsidy
from .base import SEED_REFERENCES, Model

__all__ = ["risk_sharing", "risk_premia", "certainty_equivalents", "commitment_interval", "findings_extra",
           "PARAMETERS", "INSTRUMENT_PARAMETERS"]

_UNIT = "10,000 yuan per project per year"

pi = Parameter("pi", "probability that a committed joint project fails", "probability",
               Domain.between(0, 1, left_open=True, right_open=True, name="probability in (0, 1)"),
               sympy.Rational(1, 5), "Sha 3.1")
L = Parameter("L", "loss when the project fails (equipment, unplaced trainees, lost orders)", _UNIT, POSITIVE, 10,
              "Sha 3.1")
R_s = Parameter("R_s", "school's return when the project succeeds", _UNIT, POSITIVE, 4, "Sha 4.1")
R_e = Parameter("R_e", "enterprise's return when the project succeeds", _UNIT, POSITIVE, 8, "Sha 4.1")
c_s = Parameter("c_s", "school's cost of committing", _UNIT, POSITIVE, 1, "Sha 3.1")
c_e = Parameter("c_e", "enterprise's cost of committing", _UNIT, POSITIVE, 3, "Sha 3.1")
a_s = Parameter("a_s", "school's absolute risk aversion", "per 10,000 yuan", POSITIVE, sympy.Rational(1, 10),
                "Sha 3.1")
a_e = Parameter("a_e", "enterprise's absolute risk aversion", "per 10,000 yuan", POSITIVE, sympy.Rational(1, 10),
                "Sha 3.1")
lam = Parameter("lam", "school's share of the loss when the project fails (the risk-sharing rule)", "share",
                PROBABILITY, 0, "Sha 3.1")

s = Parameter("s", "commitment subsidy from the outside budget to each committed side of a project that goes ahead",
              _UNIT, NONNEGATIVE, 0, "Sha 4.1; Du2022 4.2.3")

PARAMETERS = (pi, L, R_s, R_e, c_s, c_e, a_s, a_e, lam)
INSTRUMENT_PARAMETERS = (s,)

#: The enterprise's certainty equivalent is -149/125 at the defaults, so s = 2 brings it in.
POLICY_LEVELS = (("s", 2),)


def _ce_expressions():
    p, LL, rs, re, cs, ce, as_, ae, lm = (q.symbol for q in PARAMETERS)
    out = {}
    for who, R, c, a, share in (("school", rs, cs, as_, lm), ("enterprise", re, ce, ae, 1 - lm)):
        mean = (1 - p) * R - c - p * share * LL
        premium = a / 2 * p * (1 - p) * (R + share * LL) ** 2
        out[who] = (mean, premium)
    return out


def _game() -> Game:
    ce = _ce_expressions()
    cs, cee = c_s.symbol, c_e.symbol
    zero = sympy.Integer(0)
    payoffs = {
        ("commit", "commit"): tuple(ce[w][0] - ce[w][1] for w in ("school", "enterprise")),
        ("commit", "stay_out"): (-cs, zero),
        ("stay_out", "commit"): (zero, -cee),
        ("stay_out", "stay_out"): (zero, zero),
    }
    return Game(["school", "enterprise"], {"school": ["commit", "stay_out"], "enterprise": ["commit", "stay_out"]},
                payoffs, PARAMETERS, name="Risk sharing in a joint project")


def risk_sharing() -> Model:
    """The risk-sharing model (seed 004 section 3.1).

    Returns
    -------
    Model
        Players school and enterprise (commit, stay_out); the loss-sharing rule ``lam`` a
        parameter of the game; one instrument, ``commitment_subsidy`` (a
        :class:`~coopgame.policy.Subsidy` ``s`` to each committed side when both commit).

    Examples
    --------
    >>> risk_sharing().instrument_names
    ('commitment_subsidy',)
    """
    game = _game()
    both = {"school": "commit", "enterprise": "commit"}
    instruments = (
        ("commitment_subsidy", (Subsidy("school", s, when=both, label="commitment subsidy (school)"),
                                Subsidy("enterprise", s, when=both, label="commitment subsidy (enterprise)"))),
    )
    p, LL, rs, re, cs, ce, *_ = (q.symbol for q in PARAMETERS)
    return Model(
        name="risk_sharing",
        title="Risk sharing: uncertain returns, the sharing of a failure's loss and risk premia",
        summary=("A joint project of school and enterprise goes ahead only if both commit; it may fail, and the "
                 "loss of a failure is shared by a contractual rule. Both sides are risk averse, so each requires a "
                 "risk premium that grows with the share of the loss it bears. When one side bears the whole loss "
                 "its premium can exceed its expected gain and the project does not happen; sharing the loss, or a "
                 "subsidy, brings both in. Defaults are illustrative, not estimates."),
        game=game,
        instruments=instruments,
        instrument_parameters=INSTRUMENT_PARAMETERS,
        target=("commit", "commit"),
        assumptions=((1 - p) * (rs + re) - cs - ce - p * LL > 0,),
        passages=(
            "Sha 3.1: imperfect benefit-distribution and risk-sharing mechanisms between school and enterprise "
            "hinder lasting cooperation (the failure probability pi, the loss L and its sharing lam).",
            "Sha 4.1: groups share benefits through talent sharing and joint research (the returns R_s, R_e of a "
            "joint project).",
            "Sha 2: enterprises hold back while schools are keen ('hot schools, cold enterprises'), here because "
            "the enterprise bears the risk.",
        ),
        references=(SEED_REFERENCES["Sha"],
                    SEED_REFERENCES["Du2022"]),
        questions=(
            "What risk premium does each side require, and does it exceed its expected gain?",
            "For which sharing rules lam do both sides commit without public money?",
            "What commitment subsidy is needed when the loss is not shared, and what does it cost?",
        ),
        policy_levels=POLICY_LEVELS,
        target_stable_in_status_quo=False,
    )


def risk_premia(model: Model, values=None) -> dict:
    """Each side's risk premium :math:`\\rho_i = (a_i/2)\\,\\pi(1-\\pi)(R_i + \\lambda_i L)^2`.

    Symbolic without ``values``; exact numbers with them.
    """
    out = {w: prem for w, (_, prem) in _ce_expressions().items()}
    if values is not None:
        out = {w: sympy.nsimplify(v.xreplace(dict(values))) for w, v in out.items()}
    return out


def certainty_equivalents(model: Model, values=None) -> dict:
    """Each side's certainty equivalent of the committed project (expected return minus premium).

    Examples
    --------
    >>> m = risk_sharing()
    >>> certainty_equivalents(m, m.defaults)
    {'school': 259/125, 'enterprise': -149/125}
    """
    out = {w: sympy.expand(mean - prem) for w, (mean, prem) in _ce_expressions().items()}
    if values is not None:
        out = {w: sympy.nsimplify(v.xreplace(dict(values))) for w, v in out.items()}
    return out


def commitment_interval(model: Model, values=None):
    """The sharing rules :math:`\\lambda \\in [0, 1]` under which both certainty equivalents are
    positive (so (commit, commit) is stable without policy), other parameters at ``values``.

    Returns
    -------
    sympy.Set

    Examples
    --------
    >>> m = risk_sharing()
    >>> commitment_interval(m, m.defaults)
    Interval.open(61/20 - 5*sqrt(5)/4, -33/20 + sqrt(85)/4)
    """
    vals = {k: v for k, v in (model.defaults if values is None else values).items() if k != lam.symbol}
    x = sympy.Symbol("x", real=True)
    region = sympy.Interval(0, 1)
    for expr in certainty_equivalents(model).values():
        e = sympy.expand(expr.xreplace(vals).xreplace({lam.symbol: x}))
        region = region & sympy.solveset(e > 0, x, sympy.S.Reals)
    return region


def findings_extra(model: Model) -> str:
    """Risk premia and the sharing rules that bring both sides in, as Markdown.

    Examples
    --------
    >>> "sqrt(85)" in findings_extra(risk_sharing())
    True
    """
    d = model.defaults
    prem = risk_premia(model, d)
    ce = certainty_equivalents(model, d)
    interval = commitment_interval(model, d)
    return ("**Risk premia and the sharing of the loss.** When the enterprise bears the whole loss (lam = 0), the "
            f"risk premia are {prem['school']} (school) and {prem['enterprise']} (enterprise); the certainty "
            f"equivalents of the committed project are {ce['school']} and {ce['enterprise']}, so the enterprise "
            f"stays out although the project pays in expectation. Both commit without public money for every "
            f"sharing rule lam in {format_set(interval)} (about {float(interval.start):.3f} to {float(interval.end):.3f}): sharing the loss lowers the enterprise's premium faster than it "
            "raises the school's. The commitment subsidy buys the same outcome at a public cost (2 s per project, "
            "paid at full cooperation); a better risk-sharing contract costs the public budget nothing.")
