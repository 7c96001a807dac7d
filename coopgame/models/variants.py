"""Catalogue variants with the mechanisms beyond static payoffs.

Each function takes a model of the catalogue and returns the game with one mechanism added; the
model's own file is unchanged.

* :func:`government_dynamic_penalty`: the government-school-enterprise model whose rectification
  penalty is dynamic, :math:`P(1 - x_{\\text{enterprise}})` on a nominal enterprise and
  :math:`P(1 - x_{\\text{school}})` on a shallow school (seed 001, sections 4.2.3-4.2.4, proposes
  rectification; the state-dependent form is the remedy of the evolutionary-game literature for
  oscillating cooperation).
* :func:`inspection_dynamic_penalty`: the two-population supervision game behind it (government
  inspects or not, enterprise complies or not), where a static penalty leaves a centre and a
  dynamic one a stable focus.
* :func:`internship_perceived`: the enterprise-student internship model with the student's
  payoffs perceived through prospect theory (Tversky & Kahneman 1992 parameters by default).
* :func:`internship_mental_accounts`: the internship model with the enterprise booking labour
  value, training cost and wages in separate mental accounts (Thaler 1985).

Examples
--------
>>> g = inspection_dynamic_penalty()
>>> rows = g.replicator().stability({"c": 1, "k": 1, "F": 3, "L": 1, "P": 2})
>>> [(r.point.label(), r.stability.name) for r in rows if r.point.kind == "interior"]
[('(1/6, 3/4)', 'ASYMPTOTICALLY_STABLE')]
>>> rows = inspection_dynamic_penalty(dynamic=False).replicator().stability({"c": 1, "k": 1, "F": 3, "L": 1})
>>> [(r.point.label(), r.stability.name) for r in rows if r.point.kind == "interior"]
[('(1/3, 3/4)', 'NON_HYPERBOLIC')]

In the government model at the catalogue's defaults, a dynamic rectification coefficient
``P = 3`` removes the status quo (passive, deep, nominal), as the static penalty above
:math:`C_g - L_g` does; but the dynamic penalty vanishes at full participation, so it deters
nothing at the cooperative vertex, and no vertex is stable:

>>> from coopgame.models import get
>>> m = get("government_school_enterprise")
>>> g = government_dynamic_penalty()
>>> vals = {p.name: v for p, v in m.defaults.items() if p.name in {q.name for q in g.parameters}}
>>> table = g.replicator().stability({**vals, "P": 3}, include="vertices")
>>> table.row(("passive", "deep", "nominal")).eigenvalues
(2, -1, -1)
>>> [r.point.label() for r in table if r.stability.name == "ASYMPTOTICALLY_STABLE"]
[]

>>> h = internship_perceived()
>>> h.policies[-1]
ProspectTheory(alpha=22/25, beta=22/25, loss_aversion=9/4, players=['student'])
>>> internship_mental_accounts().payoff("enterprise", ("train", "engage"))
-9*C_t**(22/25)/4 + V**(22/25) - 9*w_f**(22/25)/4
"""

from __future__ import annotations

from ..core.game import Game
from ..core.parameters import POSITIVE, Parameter
from ..perception import MentalAccounting, ProspectTheory
from ..policy import Penalty

__all__ = ["government_dynamic_penalty", "inspection_dynamic_penalty", "internship_perceived",
           "internship_mental_accounts"]


def government_dynamic_penalty() -> Game:
    """The government-school-enterprise game with the dynamic rectification penalty.

    An active government collects :math:`P(1 - x_{\\text{enterprise}})` from a nominal
    enterprise and :math:`P(1 - x_{\\text{school}})` from a shallow school.
    """
    from . import get

    base = get("government_school_enterprise").game
    active = {"government": "active"}
    return base.with_policy(
        Penalty("enterprise", "P*(1 - x_enterprise)", when={**active, "enterprise": "nominal"}, payee="government",
                label="dynamic rectification (enterprise)"),
        Penalty("school", "P*(1 - x_school)", when={**active, "school": "shallow"}, payee="government",
                label="dynamic rectification (school)"),
    ).with_name("government-school-enterprise, dynamic penalty")


def inspection_dynamic_penalty(dynamic: bool = True) -> Game:
    """Government inspects (cost ``c``) or is lax; enterprise complies (cost ``k``) or violates.

    A violation that is inspected pays the fine ``F`` to the government; one that is not costs the
    government ``L``. With ``dynamic=True`` a violating enterprise also pays the penalty
    :math:`P(1 - x_{\\text{enterprise}})`, larger the fewer enterprises comply.
    """
    g = Game(["government", "enterprise"], {"government": ["inspect", "lax"], "enterprise": ["comply", "violate"]},
             {("inspect", "comply"): ["-c", "-k"], ("inspect", "violate"): ["F - c", "-F"],
              ("lax", "comply"): [0, "-k"], ("lax", "violate"): ["-L", 0]},
             parameters=[Parameter("c", "cost of inspection", domain=POSITIVE),
                         Parameter("k", "cost of compliance", domain=POSITIVE),
                         Parameter("F", "fine on an inspected violation", domain=POSITIVE),
                         Parameter("L", "government's loss from an undetected violation", domain=POSITIVE)],
             name="inspection")
    if dynamic:
        g = g.with_policy(Penalty(on="enterprise", amount="P*(1 - x_enterprise)", when={"enterprise": "violate"},
                                  label="dynamic penalty")).with_name("inspection, dynamic penalty")
    return g


def internship_perceived(alpha="22/25", beta="22/25", loss_aversion="9/4", reference=0) -> Game:
    """The internship game with the student's payoffs perceived through prospect theory.

    Defaults are Tversky & Kahneman's (1992) median estimates (:math:`\\alpha = \\beta = 0.88`,
    :math:`\\lambda = 2.25`); parameters may be names to keep them symbolic.
    """
    from . import get

    base = get("internship").game
    return base.with_perception(ProspectTheory(alpha, beta, loss_aversion, reference=reference,
                                               players=["student"])).with_name("internship, perceived payoffs")


def internship_mental_accounts(alpha="22/25", beta="22/25", loss_aversion="9/4") -> Game:
    """The internship game with the enterprise's payoffs valued by mental accounts.

    The enterprise books the intern's labour value (``V``, ``V_x``), the training costs (``C_t``,
    ``D``) and the wages (``w_f``, ``w_c``) in three accounts, each valued by prospect theory's
    value function (Tversky & Kahneman 1992 parameters by default); the expected loss ``L*p`` is
    in the account ``"other"``.
    """
    from . import get

    base = get("internship").game
    accounts = {"labour": ["V", "V_x"], "training": ["C_t", "D"], "wages": ["w_f", "w_c"]}
    return base.with_perception(MentalAccounting(accounts, alpha, beta, loss_aversion, players=["enterprise"])
                                ).with_name("internship, mental accounts")
