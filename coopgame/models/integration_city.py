"""Industry-education integration city: repeated cooperation with opportunism and trust.

Li and Wang (sections 3.2, 5.1 and 5.4) describe cooperation between a university and
profit-seeking enterprises in a city that pilots industry-education integration: the two sides
struggle to balance their interests, cooperation fails through conflicts of interest, information
asymmetry and opportunistic behaviour, and the way out is a trust mechanism that lowers the cost
of cooperating, together with the government's planning, a practice platform and incentives in
finance, land and credit.

The stage game: the school and the enterprise each ``cooperate`` (commit resources, at a cost
lowered by trust) or act as an ``opportunist`` (take the partner's inputs without delivering).
With :math:`V` the gain of each side from joint cooperation, :math:`k` the cost of cooperating,
:math:`\\tau` the share of that cost trust removes, :math:`G` an opportunist's gain from a
cooperating partner, :math:`p` the probability that opportunism is detected and :math:`F` the
sanction when it is (payoffs of the row player; the game is symmetric):

.. math::

    \\begin{array}{c|cc}
     & \\text{cooperate} & \\text{opportunist} \\\\ \\hline
    \\text{cooperate}   & V - k(1-\\tau) & -k(1-\\tau) \\\\
    \\text{opportunist} & G - pF         & -pF
    \\end{array}

At the illustrative defaults it is a prisoner's dilemma (:math:`T > R > P > S`), the dilemma of
seed 002 section 5.4. In the repeated game, opportunism is seen by the partner only when it is
detected; with grim trigger on detection, cooperation lasts iff the discount factor is at least

.. math:: \\delta^* = \\frac{T - R}{T - R + p\\,(R - P)},

which is Friedman's bound :math:`(T-R)/(T-P)` when :math:`p = 1` and 1 (never) when
:math:`p = 0`. Trust and detection both lower it (:func:`critical_discount_factor`).

Monitoring assumption: this threshold (5/6 at the defaults) assumes imperfect monitoring, each
opportunistic act detected with probability :math:`p`. The generic grim-trigger threshold of the
stage game without fines (:func:`coopgame.repeated.critical_discount_factor`, 1/2 at the defaults,
printed as "repetition alone" in the findings) assumes perfect monitoring, every deviation seen at
once; the difference is the cost of the information asymmetry of seed 002 section 5.4.

Examples
--------
>>> from coopgame.models.integration_city import integration_city, critical_discount_factor
>>> m = integration_city()
>>> m.game.payoff("school", ("opportunist", "cooperate"))
-F*p + G
>>> critical_discount_factor(m.game, values=m.defaults).threshold  # 4 / (4 + (1/5) 4)
5/6
>>> [e.profile for e in m.game.subs(m.game.defaults()).pure_equilibria(strict=True)]
[('opportunist', 'opportunist')]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import sympy

from ..core.errors import GameDefinitionError, ParameterError
from ..core.exact import relation
from ..core.game import Game
from ..core.parameters import NONNEGATIVE, POSITIVE, PROBABILITY, Domain, Parameter, resolve_values, to_exact
from ..policy import Expense, Penalty, Subsidy
from ..repeated import reputation_condition
from .base import Model, Reference

__all__ = ["integration_city", "critical_discount_factor", "CooperationThreshold", "detection_probability",
           "PARAMETERS", "INSTRUMENT_PARAMETERS", "COST_PARAMETERS"]

_UNIT = "ten thousand yuan per year"
PLAYERS = ("school", "enterprise")
COOPERATE, OPPORTUNIST = "cooperate", "opportunist"

V = Parameter("V", "gain to each side from a year of joint cooperation (talent, technology, projects)",
              _UNIT, POSITIVE, 6, "Li and Wang 2.2, 3.2")
k = Parameter("k", "cost to a side of cooperating (resources committed, negotiation and monitoring)",
              _UNIT, POSITIVE, 4, "Li and Wang 5.4")
tau = Parameter("tau", "trust: share of the cooperation cost that a trust mechanism removes", "share",
                Domain.between(0, 1, right_open=True), sympy.Rational(1, 4), "Li and Wang 5.4")
G = Parameter("G", "opportunist's gain from a cooperating partner's inputs", _UNIT, POSITIVE, 8,
              "Li and Wang 3.2, 5.4 (opportunistic behaviour)")
p = Parameter("p", "probability that opportunism is detected (information asymmetry when low)", "probability",
              PROBABILITY, sympy.Rational(1, 5), "Li and Wang 5.4")
F = Parameter("F", "sanction on detected opportunism (lost contracts, blacklisting)", _UNIT, NONNEGATIVE, 5,
              "Li and Wang 5.1 (credit), 5.4")

q = Parameter("q", "government platform: probability that it detects opportunism the partner misses",
              "probability", PROBABILITY, 0, "Li and Wang 5.1 (practice platforms, standards for enterprises)")
s = Parameter("s", "government incentive (finance, land, credit) to a side that cooperates", _UNIT,
              NONNEGATIVE, 0, "Li and Wang 5.1")

kappa_q = Parameter("kappa_q", "cost to the outside budget of running the platform at detection probability 1 "
                    "(scaled by q; paid every period whether or not anyone is caught)", _UNIT, NONNEGATIVE, 2,
                    "Li and Wang 5.1 (the government builds and runs practice platforms)")

PARAMETERS = (V, k, tau, G, p, F)
#: Cost parameters of the instruments (declared with the model's game).
COST_PARAMETERS = (kappa_q,)
INSTRUMENT_PARAMETERS = (q, s)

#: Instrument levels under which mutual cooperation is a strict equilibrium of the stage game at
#: the defaults: the platform adds an expected sanction q (1 - p) F = 2 and the incentive s = 3,
#: so s + q (1 - p) F = 5 exceeds T - R = 4 and P - S = 2.
POLICY_LEVELS = (("q", sympy.Rational(1, 2)), ("s", 3))


def detection_probability(platform: bool = False) -> sympy.Expr:
    """The probability that opportunism is detected: ``p``, or ``p + q (1 - p)`` with the platform.

    The platform detects, with probability ``q``, opportunism the partner has missed.

    Examples
    --------
    >>> detection_probability(), detection_probability(platform=True)
    (p, p + q*(1 - p))
    """
    return p.symbol + q.symbol * (1 - p.symbol) if platform else p.symbol


def _game() -> Game:
    cost = k.symbol * (1 - tau.symbol)
    sanction = p.symbol * F.symbol
    R, S = V.symbol - cost, -cost
    T, P = G.symbol - sanction, -sanction
    payoffs = {
        (COOPERATE, COOPERATE): (R, R),
        (COOPERATE, OPPORTUNIST): (S, T),
        (OPPORTUNIST, COOPERATE): (T, S),
        (OPPORTUNIST, OPPORTUNIST): (P, P),
    }
    strategies = {player: [COOPERATE, OPPORTUNIST] for player in PLAYERS}
    return Game(list(PLAYERS), strategies, payoffs, PARAMETERS, name="Industry-education integration city")


@dataclass(frozen=True)
class CooperationThreshold:
    """The discount factors above which cooperation lasts under grim trigger on detection.

    Attributes
    ----------
    players : tuple of str
        The players, in order.
    thresholds : tuple of sympy.Expr
        Each player's critical discount factor :math:`\\delta_i^*` (0 when cooperating is already a
        best reply in the stage game, 1 when opportunism is never detected and pays).
    threshold : sympy.Expr
        :math:`\\max_i \\delta_i^*`: cooperation lasts iff :math:`\\delta \\ge` this value.
    detection : sympy.Expr
        The detection probability used.
    conditions : tuple of ReputationCondition
        Per player, the honesty condition of :func:`coopgame.repeated.reputation_condition` with
        gain :math:`T_i - R_i` and rent :math:`R_i - P_i` (``None`` when opportunism does not pay).
    """

    players: tuple
    thresholds: tuple
    threshold: sympy.Expr
    detection: sympy.Expr
    conditions: tuple = ()

    def sustains(self, delta) -> bool:
        """Whether cooperation lasts at discount factor ``delta`` (numeric thresholds only).

        Raises
        ------
        ParameterError
            The threshold is symbolic, or ``delta`` is not in (0, 1).
        """
        d = to_exact(delta, name="discount factor delta")
        if not (d.is_number and 0 < d < 1):
            raise ParameterError(f"discount factor delta = {d} must lie in the open interval (0, 1)")
        if not self.threshold.is_number:
            raise ParameterError(f"the threshold {self.threshold} is symbolic; give parameter values first")
        return bool(d >= self.threshold)


def critical_discount_factor(game: Game, detection=None, values: Mapping | None = None) -> CooperationThreshold:
    """Critical discount factors of mutual cooperation under imperfect detection.

    A player who turns opportunist earns :math:`T_i` instead of :math:`R_i` this period; with
    probability :math:`p` the partner learns of it and both play ``opportunist`` for ever after
    (:math:`P_i`), otherwise cooperation goes on. By the one-shot deviation principle cooperation
    is an equilibrium iff, for each player,

    .. math:: \\frac{R_i}{1-\\delta} \\ge T_i + \\delta\\left(p\\,\\frac{P_i}{1-\\delta}
              + (1-p)\\,\\frac{R_i}{1-\\delta}\\right)
              \\iff \\delta \\ge \\frac{T_i - R_i}{T_i - R_i + p\\,(R_i - P_i)},

    when :math:`T_i > R_i` (otherwise :math:`\\delta_i^* = 0`). This is the reputation condition
    of :func:`coopgame.repeated.reputation_condition` with gain :math:`T_i - R_i` and rent
    :math:`R_i - P_i`, which computes it. The punishment is credible when mutual opportunism is a
    stage equilibrium (:math:`P_i \\ge S_i`), as at the defaults. With :math:`p = 1` it is
    Friedman's (1971) grim-trigger bound :math:`(T_i - R_i)/(T_i - P_i)`.

    Parameters
    ----------
    game : Game
        The stage game of :func:`integration_city` (status quo or with policy).
    detection : sympy.Expr, optional
        The detection probability; by default ``p``, or ``p + q (1 - p)`` when the game contains
        the platform parameter ``q``.
    values : mapping, optional
        Parameter values (name, symbol or Parameter keys); missing ones stay symbolic.

    Returns
    -------
    CooperationThreshold

    Raises
    ------
    GameDefinitionError
        The game is not a two-player ``cooperate``/``opportunist`` game.
    ParameterError
        A value is outside its parameter's domain, or mutual cooperation does not beat mutual
        opportunism (:math:`R_i \\le P_i`) for a player tempted to deviate.

    Examples
    --------
    >>> m = integration_city()
    >>> d = critical_discount_factor(m.game, values={"F": 0})
    >>> d.thresholds[0]
    Piecewise((0, G + k <= V + k*tau), ((G - V - k*tau + k)/(G - V - k*tau + k + p*(V + k*tau - k)), True))
    >>> critical_discount_factor(m.game, values={**m.defaults, "p": 1, "F": 0}).threshold  # (8-3)/(8-0)
    5/8
    >>> critical_discount_factor(m.with_policy(), values=m.values(policy=True)).threshold
    0
    """
    if len(game.players) != 2:
        raise GameDefinitionError(f"the integration-city stage game has two players, got {len(game.players)}")
    for player in game.players:
        if set(game.strategies[player]) != {COOPERATE, OPPORTUNIST}:
            raise GameDefinitionError(
                f"player {player!r} must have the strategies {COOPERATE!r} and {OPPORTUNIST!r}")
    if detection is None:
        detection = detection_probability(platform=any(sym.name == "q" for sym in game.free_symbols))
    params = {prm.name: prm for prm in game.parameters}
    for prm in INSTRUMENT_PARAMETERS + PARAMETERS:
        params.setdefault(prm.name, prm)
    vals = resolve_values(values, params.values(), require_all=False) if values else {}
    by_name = {sym.name: val for sym, val in vals.items()}
    fix = {sym: by_name[sym.name] for sym in game.free_symbols | detection.free_symbols if sym.name in by_name}
    det = sympy.expand(detection.xreplace(fix))
    thresholds, conditions = [], []
    for i, player in enumerate(game.players):
        def u(mine, other, i=i, player=player):
            profile = [None, None]
            profile[i], profile[1 - i] = mine, other
            return game.payoff(player, tuple(profile)).xreplace(fix)

        R, T, P = u(COOPERATE, COOPERATE), u(OPPORTUNIST, COOPERATE), u(OPPORTUNIST, OPPORTUNIST)
        temptation, rent = sympy.expand(T - R), sympy.expand(R - P)
        no_gain = relation(-temptation, strict=False)
        if no_gain is sympy.true:
            thresholds.append(sympy.Integer(0))
            conditions.append(None)
            continue
        if rent.is_number and rent <= 0:
            raise ParameterError(f"{player}: mutual cooperation ({R}) does not beat mutual opportunism ({P})")
        rc = reputation_condition(gain=temptation, reputation_value=rent, detection_probability=det)
        # reputation_condition gives g / (g + p V); collected in p for reading.
        delta = rc.critical_discount_factor
        if not delta.is_number:
            delta = temptation / sympy.collect(sympy.expand(temptation + det * rent), det)
        conditions.append(rc)
        thresholds.append(delta if no_gain is sympy.false else
                          sympy.Piecewise((sympy.Integer(0), no_gain), (delta, True)))
    threshold = thresholds[0] if thresholds[0] == thresholds[1] else sympy.Max(*thresholds)
    return CooperationThreshold(tuple(game.players), tuple(thresholds), threshold, det, tuple(conditions))


def integration_city() -> Model:
    """The industry-education integration city model (seed 002 sections 3.2, 5.1, 5.4).

    Returns
    -------
    Model
        The symmetric stage game ``cooperate/opportunist`` for the school and the enterprise, and
        two switchable instruments: ``platform`` (a :class:`~coopgame.policy.Penalty`
        ``q (1 - p) F`` on each opportunist: the government's platform detects, with probability
        ``q``, what the partner misses, at a running cost ``kappa_q * q`` to the outside budget
        at every profile) and ``incentives`` (a :class:`~coopgame.policy.Subsidy`
        ``s`` from the outside budget to each side that cooperates: finance, land, credit). The
        extra ``"repeated"`` is the :class:`CooperationThreshold` of the status quo.

    Notes
    -----
    In the stage game, ``(cooperate, cooperate)`` is a strict equilibrium iff
    :math:`V + pF > G + k(1-\\tau)`, and ``(opportunist, opportunist)`` iff
    :math:`k(1-\\tau) > pF`. With the instruments the first becomes
    :math:`V + s + (p + q(1-p))F > G + k(1-\\tau)`. The platform is not free: detecting with
    probability :math:`q` costs the outside budget :math:`\\kappa_q q` every period, whether or not
    anyone is caught, so at mutual cooperation the public budget pays :math:`2s + \\kappa_q q`.
    Defaults are illustrative, not estimates.

    Examples
    --------
    >>> m = integration_city()
    >>> m.with_policy("platform").payoff("school", ("opportunist", "opportunist"))
    -F*p - F*q*(1 - p)
    """
    game = _game().with_parameters(*COST_PARAMETERS)
    platform_sanction = q.symbol * (1 - p.symbol) * F.symbol
    instruments = (
        ("platform", tuple(Penalty(player, platform_sanction, when={player: OPPORTUNIST}, label="platform sanction")
                           for player in PLAYERS)
         + (Expense(None, kappa_q.symbol * q.symbol, label="platform running cost"),)),
        ("incentives", tuple(Subsidy(player, s, when={player: COOPERATE}, label="finance, land and credit")
                             for player in PLAYERS)),
    )
    return Model(
        name="integration_city",
        title="Industry-education integration city: repeated cooperation, opportunism and trust",
        summary=(
            "A university and a profit-seeking enterprise in a city that pilots industry-education "
            "integration each either cooperate, committing resources at a cost that trust lowers, or act "
            "opportunistically, taking the partner's inputs without delivering. Opportunism is detected "
            "only with some probability (information asymmetry) and then sanctioned. The one-shot game is "
            "a prisoner's dilemma; in the repeated relationship cooperation lasts when the discount factor "
            "exceeds a threshold that trust and detection lower. The government's platform raises "
            "detection and its finance, land and credit incentives reward cooperation. Defaults are "
            "illustrative, not estimates."
        ),
        game=game,
        instruments=instruments,
        instrument_parameters=INSTRUMENT_PARAMETERS,
        target=(COOPERATE, COOPERATE),
        assumptions=(V.symbol > k.symbol,),
        passages=(
            "seed 002 section 3.2: enterprises put their own profit first while universities are keen, so "
            "the two sides find no balance of interests and cooperation stays narrow.",
            "seed 002 section 5.1: the government plans the integration city, sets up special funds, "
            "supports integrating enterprises in finance, land and credit, and builds practice platforms.",
            "seed 002 section 5.4: conflicts of interest, information asymmetry and opportunism keep "
            "cross-system cooperation from happening; a trust mechanism lowers the cost of cooperating.",
        ),
        references=(
            Reference("LiWang", "Jun Li and Heyao Wang",
                      "The Explore of College Talent Training Mode under the City of Production-Education "
                      "Integration", "Shenyang Jianzhu University", None,
                      "Sections 3.2, 5.1, 5.4: balance of interests, government incentives, opportunism and trust."),
            Reference("Friedman1971", "J. W. Friedman", "A non-cooperative equilibrium for supergames",
                      "Review of Economic Studies 38, 1-12", 1971,
                      "Grim trigger sustains cooperation iff the discount factor is at least (T-R)/(T-P)."),
            Reference("MaschlerSolanZamir2013", "M. Maschler, E. Solan and S. Zamir", "Game Theory",
                      "Cambridge University Press", 2013,
                      "Repeated games and the one-shot deviation principle."),
        ),
        questions=(
            "Is one-shot cooperation between the school and the enterprise stable without policy?",
            "Above which discount factor does cooperation sustain itself, and how do trust and detection "
            "move that threshold?",
            "Which platform detection level q and incentive s make cooperation stable in the one-shot game, "
            "and what do they cost?",
        ),
        extras=(("repeated", critical_discount_factor(game)),),
        policy_levels=POLICY_LEVELS,
        target_stable_in_status_quo=False,
    )


def findings_extra(model: Model) -> str:
    """The repeated-game findings of the model as Markdown (used by :mod:`coopgame.findings`).

    The critical discount factor at the defaults, a table of it over trust and detection, the
    platform's effect on it, and the signs of its derivatives at the defaults.
    """
    from ..core.formatting import markdown_table

    defaults = model.defaults
    base = critical_discount_factor(model.game, values=defaults).threshold
    taus = (sympy.Integer(0), sympy.Rational(1, 4), sympy.Rational(1, 2), sympy.Rational(3, 4))
    ps = (sympy.Integer(0), sympy.Rational(1, 5), sympy.Rational(1, 2), sympy.Integer(1))
    rows = []
    for t in taus:
        row = [f"tau = {t}"]
        for pv in ps:
            vals = model.values({"tau": t, "p": pv})
            row.append(str(critical_discount_factor(model.game, values=vals).threshold))
        rows.append(row)
    table = markdown_table(["trust \\ detection"] + [f"p = {pv}" for pv in ps], rows)
    platform = model.with_policy("platform")
    qs = (sympy.Integer(0), sympy.Rational(1, 4), sympy.Rational(1, 2), sympy.Integer(1))
    with_platform = ", ".join(
        f"q = {qv}: {critical_discount_factor(platform, values=model.values({'q': qv})).threshold}" for qv in qs)
    symbolic = critical_discount_factor(model.game).thresholds[0].args[-1][0]
    d_tau = sympy.diff(symbolic, tau.symbol).xreplace(defaults)
    d_p = sympy.diff(symbolic, p.symbol).xreplace(defaults)
    return "\n".join([
        "**Lasting cooperation (grim trigger on detection).** Cooperation sustains itself iff the discount "
        "factor is at least `(T - R)/(T - R + p (R - P))` with `T = G - p F`, `R = V - k (1 - tau)`, "
        f"`P = -p F`; at the defaults the threshold is {base}.",
        "",
        "**Two critical discount factors, two monitoring assumptions.** \"Repetition alone\" above assumes "
        "perfect monitoring: the partner sees every opportunistic act and reverts at once, so only the "
        "one-period gain T - R has to be outweighed. This threshold assumes the information asymmetry of "
        "Li and Wang section 5.4: an opportunist is detected (and fined F) only with probability p per "
        "period, and an undetected deviation goes unpunished, so the future loss is weighted by p. At p = 1 "
        "it is the perfect-monitoring formula (T - R)/(T - P) of the stage game with the fine; as p falls "
        "to 0 it rises to 1 (no discount factor below 1 works). The gap between the two numbers is the "
        "price of the information asymmetry.",
        "",
        "Critical discount factor by trust and detection probability (other parameters at their defaults):",
        "",
        table,
        "",
        f"With the government's platform (detection p + q (1 - p)): {with_platform}.",
        "",
        f"At the defaults the threshold falls with trust (d/d tau = {sympy.nsimplify(d_tau)}) and with "
        f"detection (d/d p = {sympy.nsimplify(d_p)}).",
    ])
