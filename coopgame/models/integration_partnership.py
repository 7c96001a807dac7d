"""Integration and the long-lived partnership: ownership, long-term contracts and repetition.

Sha (section 5) describes an enterprise that has run its own vocational school for more than
eighty years: school development is part of the group's strategic planning, training bases and
R&D are shared, and the two "share the same roots" (sections 5.1-5.2); the chronic "hot schools,
cold enterprises" problem and "cooperation without integration" (section 3.1) disappear. The
model asks what integration changes and why the relationship lasts.

Each period the school and the enterprise choose to *invest* in the partnership (the school
adapts curricula to the enterprise's standards, cost :math:`c_s`; the enterprise provides posts,
mentors and equipment, cost :math:`c_e`) or to *withhold*. Both investments create the surplus
:math:`V`, shared :math:`\\beta : 1 - \\beta`. Investments are specific, so a side that withholds
from an investing partner appropriates part of it (the enterprise hires graduates trained to its
standards without contributing, :math:`h_e`; the school uses the enterprise's equipment for
ordinary teaching, :math:`h_s`). At arm's length:

.. math::

    \\begin{array}{c|cc}
     & \\text{invest} & \\text{withhold} \\\\ \\hline
    \\text{invest} & (\\beta V - c_s,\\; (1-\\beta) V - c_e) & (-c_s,\\; h_e) \\\\
    \\text{withhold} & (h_s,\\; -c_e) & (0,\\; 0)
    \\end{array}

*Integration* (ownership: the enterprise runs the school; or a group structure whose units are
judged by the group's result) is the degree :math:`\\iota \\in [0, 1]` to which each side counts
the partner's payoff as its own: :math:`u_i^\\iota = u_i + \\iota\\,u_j`. :math:`\\iota = 0` is
arm's length, :math:`\\iota = 1` one owner maximising the joint surplus. The school strictly
prefers to invest against an investing enterprise iff
:math:`\\iota > (h_s + c_s - \\beta V)/((1 - \\beta) V)`, and the enterprise iff
:math:`\\iota > (h_e + c_e - (1 - \\beta) V)/(\\beta V)`.

In the repeated relationship with grim trigger (perfect monitoring: each side sees the other's
investment; reversion to mutual withholding), side :math:`i` keeps investing iff the discount
factor is at least

.. math:: \\delta_i^*(\\iota) = \\frac{D_i - C_i}{D_i - P_i}, \\qquad
          C_s = \\beta V - c_s + \\iota((1-\\beta)V - c_e),\\; D_s = h_s - \\iota c_e,\\; P_s = 0,

and symmetrically for the enterprise; integration raises :math:`C_i` and lowers :math:`D_i`, so it
lowers the critical discount factor, to 0 once the stage condition above holds.

The instrument is a *long-term contract* with damages :math:`d` that a withholding side pays to an
investing partner (Sha 3.1: cooperation without binding rules does not last). Between integrated
units the transfer is worth :math:`(1 - \\iota) d` net to each (the payer counts the share
:math:`\\iota` of what the partner receives), and that is what the instrument applies. Damages are
private: they cost the public budget nothing, and they are never paid at full cooperation.

Defaults are illustrative (10,000 yuan per partnership and year), not estimates: at arm's length
the stage game is a prisoner's dilemma and mutual withholding, "cooperation without
integration", is the only stable state.

Examples
--------
>>> from coopgame.models import get
>>> m = get("integration_partnership")
>>> [e.profile for e in m.game.pure_equilibria(strict=True) if e.holds(m.defaults)]
[('withhold', 'withhold')]
>>> m.game.payoff("school", ("invest", "invest"))
V*beta - c_s + iota*(V*(1 - beta) - c_e)
>>> critical_discount_by_integration(m, [0, sympy.Rational(1, 2), 1])
[(0, 5/6), (1/2, 1/2), (1, 0)]
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy

from ..core.formatting import markdown_table
from ..core.game import Game
from ..core.parameters import NONNEGATIVE, POSITIVE, PROBABILITY, Domain, Parameter
from ..policy import Transfer
from ..repeated import critical_discount_factor
from .base import SEED_REFERENCES, Model

__all__ = ["integration_partnership", "critical_discount_by_integration", "stage_integration_thresholds",
           "findings_extra", "PARAMETERS", "INSTRUMENT_PARAMETERS"]

_UNIT = "10,000 yuan per partnership per year"

V = Parameter("V", "joint surplus when both invest (graduates fit for the enterprise, shared R&D)", _UNIT, POSITIVE,
              10, "Sha 4.1, 5.1")
beta = Parameter("beta", "school's share of the joint surplus", "share",
                 Domain.between(0, 1, left_open=True, right_open=True, name="share"), sympy.Rational(1, 2), "Sha 3.1")
c_s = Parameter("c_s", "school's cost of investing (curricula to the enterprise's standards)", _UNIT, POSITIVE, 2,
                "Sha 5.1")
c_e = Parameter("c_e", "enterprise's cost of investing (posts, mentors, equipment)", _UNIT, POSITIVE, 4, "Sha 5.1, 5.2")
h_s = Parameter("h_s", "school's gain from withholding against an investing enterprise (its equipment used for "
                "ordinary teaching)", _UNIT, NONNEGATIVE, 4, "Sha 3.1")
h_e = Parameter("h_e", "enterprise's gain from withholding against an investing school (graduates trained to its "
                "standards, hired without contributing)", _UNIT, NONNEGATIVE, 6, "Sha 2, 3.1")
iota = Parameter("iota", "degree of integration: share of the partner's payoff each side counts as its own "
                 "(0 arm's length, 1 one owner)", "share", PROBABILITY, 0, "Sha 5.1")

d = Parameter("d", "long-term contract: damages a withholding side pays to an investing partner", _UNIT,
              NONNEGATIVE, 0, "Sha 3.1, 5.1")

PARAMETERS = (V, beta, c_s, c_e, h_s, h_e, iota)
INSTRUMENT_PARAMETERS = (d,)

#: Damages d = 6 make investing dominant for both at arm's length: the enterprise needs
#: d > h_e + c_e - (1 - beta) V = 5, the school d > h_s + c_s - beta V = 1.
POLICY_LEVELS = (("d", 6),)


def _game() -> Game:
    VV, b, cs, ce, hs, he, io = (p.symbol for p in PARAMETERS)
    base = {
        ("invest", "invest"): (b * VV - cs, (1 - b) * VV - ce),
        ("invest", "withhold"): (-cs, he),
        ("withhold", "invest"): (hs, -ce),
        ("withhold", "withhold"): (sympy.Integer(0), sympy.Integer(0)),
    }
    payoffs = {k: (us + io * ue, ue + io * us) for k, (us, ue) in base.items()}
    return Game(["school", "enterprise"], {"school": ["invest", "withhold"], "enterprise": ["invest", "withhold"]},
                payoffs, PARAMETERS, name="Integration and the long-lived partnership")


def integration_partnership() -> Model:
    """The integration model (seed 004 sections 3.1, 5.1-5.2).

    Returns
    -------
    Model
        Players school and enterprise (invest, withhold), the degree of integration ``iota`` as a
        parameter of the game (0 by default: arm's length), and one instrument,
        ``long_term_contract``: damages ``d`` from a withholding side to an investing partner.

    Examples
    --------
    >>> m = integration_partnership()
    >>> m.with_policy().payoff("enterprise", ("invest", "withhold"))
    -c_s*iota - d*(1 - iota) + h_e
    """
    game = _game()
    net = (1 - iota.symbol) * d.symbol
    instruments = (
        ("long_term_contract", (
            Transfer("enterprise", "school", net, when={"school": "invest", "enterprise": "withhold"},
                     label="damages (enterprise)"),
            Transfer("school", "enterprise", net, when={"school": "withhold", "enterprise": "invest"},
                     label="damages (school)"))),
    )
    VV, b, cs, ce, hs, he, io = (p.symbol for p in PARAMETERS)
    return Model(
        name="integration_partnership",
        title="Integration and the long-lived partnership: ownership, long-term contracts and repetition",
        summary=("School and enterprise decide each period whether to invest in the partnership. Investments are "
                 "specific, so a side that withholds from an investing partner appropriates part of them, and at "
                 "arm's length the stage game is a prisoner's dilemma: cooperation without integration. Integration "
                 "(the enterprise running the school, one group's strategy) makes each side count the partner's "
                 "payoff; the repeated relationship and a long-term contract with damages are the other ways out. "
                 "Defaults are illustrative, not estimates."),
        game=game,
        instruments=instruments,
        instrument_parameters=INSTRUMENT_PARAMETERS,
        target=("invest", "invest"),
        assumptions=(b * VV > cs, (1 - b) * VV > ce, hs > b * VV - cs, he > (1 - b) * VV - ce, io < 1),
        passages=(
            "Sha 3.1: benefit distribution and risk sharing between school and enterprise are imperfect, so "
            "cooperation does not last and stays cooperation without integration.",
            "Sha 5.1: an enterprise that has run its own school for decades plans the school's development as part "
            "of its strategy and shares training bases and R&D with it (integration, iota).",
            "Sha 5.2: the group's incentives give its technicians the motive and the time to teach (investment by "
            "the enterprise side, c_e).",
            "Sha 2: 'hot schools, cold enterprises' is the status quo of arm's-length cooperation.",
        ),
        references=(SEED_REFERENCES["Sha"],),
        questions=(
            "Is investing in the partnership stable at arm's length, and which side holds it up?",
            "How far does integration lower the critical discount factor of the repeated partnership?",
            "From which degree of integration does each side invest without the threat of reversion?",
            "How large must contractual damages be to make investing stable, and what do they cost the public?",
        ),
        policy_levels=POLICY_LEVELS,
        target_stable_in_status_quo=False,
    )


def stage_integration_thresholds(model: Model, values=None) -> dict:
    """The degree of integration above which each side invests in the stage game (no repetition).

    Returns
    -------
    dict
        Player -> the threshold :math:`\\iota_i^*` (the side strictly prefers to invest against an
        investing partner iff :math:`\\iota > \\iota_i^*`); symbolic without ``values``.

    Examples
    --------
    >>> m = integration_partnership()
    >>> stage_integration_thresholds(m, m.defaults)
    {'school': 1/5, 'enterprise': 1}
    """
    VV, b, cs, ce, hs, he, _ = (p.symbol for p in PARAMETERS)
    out = {"school": (hs + cs - b * VV) / ((1 - b) * VV), "enterprise": (he + ce - (1 - b) * VV) / (b * VV)}
    if values is not None:
        vals = {s: v for s, v in values.items() if s in {p.symbol for p in PARAMETERS}}
        out = {k: sympy.nsimplify(v.xreplace(vals)) for k, v in out.items()}
    return out


def critical_discount_by_integration(model: Model, levels: Sequence, values=None) -> list:
    """The critical discount factor of grim-trigger cooperation at each degree of integration.

    Perfect monitoring, reversion to (withhold, withhold), no contract (:math:`d = 0`), other
    parameters at ``values`` (default: the model's defaults). ``None`` where no discount factor
    works.

    Examples
    --------
    >>> m = integration_partnership()
    >>> critical_discount_by_integration(m, [sympy.Rational(1, 4)])  # (11/2 - 7/4) / (11/2)
    [(1/4, 15/22)]
    """
    vals = dict(model.defaults if values is None else values)
    out = []
    for level in levels:
        lv = sympy.nsimplify(level)
        vals[iota.symbol] = lv
        game = model.game.subs({s: v for s, v in vals.items() if s in set(model.game.free_symbols)})
        r = critical_discount_factor(game, ("invest", "invest"), punishment=("withhold", "withhold"))
        out.append((lv, r.delta))
    return out


def findings_extra(model: Model) -> str:
    """Integration, repetition and the contract, as Markdown (used by :mod:`coopgame.findings`).

    Examples
    --------
    >>> "iota = 0" in findings_extra(integration_partnership())
    True
    """
    half = sympy.Rational(1, 2)
    levels = [0, sympy.Rational(1, 4), half, sympy.Rational(3, 4), 1]
    rows = [[f"iota = {lv}", "none" if dl is None else str(dl)] for lv, dl in critical_discount_by_integration(model, levels)]
    th = stage_integration_thresholds(model, model.defaults)
    return "\n".join([
        "**What integration changes in the repeated partnership.** With grim trigger (perfect monitoring: each "
        "side sees the other's investment; reversion to mutual withholding), the partnership lasts iff the "
        "discount factor is at least the critical value below. Integration raises what each side gets from "
        "cooperating and lowers what it gains from holding the partner up, so the threshold falls with iota:",
        "",
        markdown_table(["integration", "critical discount factor"], rows),
        "",
        f"Without repetition, the school invests once iota > {th['school']} and the enterprise once iota > "
        f"{th['enterprise']}: at the defaults ownership alone never makes the enterprise invest (its condition "
        "needs iota above 1), so even an integrated partnership rests on repetition or on a contract. "
        "Contractual damages do the same job at no public cost; they are a transfer between the two sides, never "
        "paid at full cooperation, and the zero cost assumes that a court or arbiter enforces them for free.",
    ])
