"""Vocational education group: pooled resources, free-riding and benefit-sharing rules.

Sha (sections 2, 3.1 and 4.1) describes vocational education groups that pool the resources of
schools and enterprises (training bases, mentors, teaching resources) and their weakness: many
enterprises treat participation as a social duty rather than an investment, and the rules for
sharing benefits and risks are imperfect, so cooperation stays shallow ("hot schools, cold
enterprises"). The remedies are a council-led governance with clear rights and duties and new
ways of sharing benefits (talent sharing, joint research).

Members: one school and :math:`n` enterprises (``n = 2`` by default, three members in all), each
choosing ``contribute`` or ``free_ride``. If the set :math:`K` of members contributes, with
:math:`m` enterprises among them, the group produces

.. math:: v(K) = b_s\\,[s \\in K] + b_e\\,m + g\\,[s \\in K]\\,m,

the school's and the enterprises' stand-alone contributions plus a complementarity :math:`g` for
every school-enterprise pair (a training base is worth more with the school's teachers). A share
:math:`\\theta` of the output cannot be kept from anyone (graduates, the group's name) and goes to
all :math:`n + 1` members equally; the rest is divided by a *sharing rule*:

* ``"equal"`` (the status quo): equally among all members, contributors or not;
* ``"proportional"``: among contributors, in proportion to what each spent (:math:`c_s`, :math:`c_e`);
* ``"shapley"``: among contributors, by the Shapley value of :math:`v` on the contributors, which
  gives the school :math:`b_s + g m / 2` and a contributing enterprise :math:`b_e + g/2` (plus
  nothing if the school is absent), each pair's complementarity split in half.

Each contributor pays its cost. Under the equal rule an enterprise gains
:math:`(b_e + g)/(n+1) - c_e` by contributing when the school does, whatever the others do: at
the illustrative defaults this is negative, so the enterprises free-ride while the school, with
:math:`b_s/(n+1) > c_s`, contributes. The council's instruments are a penalty ``F`` on
free-riding members and a reputation gain ``rho`` for contributors.

A second, coalitional view (:class:`BenefitDistribution`): government, industry association,
enterprise and school share the value of their joint project; the game is convex, so its Shapley
value lies in the core, while an equal split can leave the enterprise and the school better off
on their own.

Examples
--------
>>> from coopgame.models.education_group import education_group
>>> m = education_group()
>>> m.game.players
('school', 'enterprise_1', 'enterprise_2')
>>> m.game.payoff("enterprise_1", ("contribute", "contribute", "free_ride"))
b_e/3 + b_s/3 - c_e + g/3
>>> [e.profile for e in m.game.subs(m.game.defaults()).pure_equilibria(strict=True)]
[('contribute', 'free_ride', 'free_ride')]
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass

import sympy

from ..core.errors import ParameterError, UnknownNameError
from ..core.game import Game
from ..core.parameters import NONNEGATIVE, POSITIVE, PROBABILITY, Parameter, resolve_values, to_exact
from ..policy import Expense, Penalty, Reputation
from .base import Model, Reference
from .school_enterprise import inspection_cost, publicity_cost

__all__ = ["education_group", "group_game", "shares", "full_contribution_gains", "n_enterprises", "SHARING_RULES",
           "COST_PARAMETERS",
           "BenefitDistribution",
           "benefit_distribution", "PARAMETERS", "INSTRUMENT_PARAMETERS"]

_UNIT = "ten thousand yuan per year"
CONTRIBUTE, FREE_RIDE = "contribute", "free_ride"
SCHOOL = "school"
SHARING_RULES = ("equal", "proportional", "shapley")

b_s = Parameter("b_s", "value the school's pooled resources (teachers, courses) add to the group", _UNIT,
                POSITIVE, 9, "Sha 2, 4.1")
b_e = Parameter("b_e", "value one enterprise's pooled resources (training base, mentors) add to the group",
                _UNIT, POSITIVE, 6, "Sha 2, 4.1")
g = Parameter("g", "complementarity: extra value of each contributing school-enterprise pair", _UNIT,
              NONNEGATIVE, 3, "Sha 2 (training bases shared with schools), 4.1")
c_s = Parameter("c_s", "school's cost of contributing its resources", _UNIT, POSITIVE, 2, "Sha 3.1")
c_e = Parameter("c_e", "an enterprise's cost of contributing a training base and mentors", _UNIT, POSITIVE, 4,
                "Sha 3.1")
theta = Parameter("theta", "share of the group's output that reaches every member whether it contributed or "
                  "not (graduates, the group's name)", "share", PROBABILITY, sympy.Rational(1, 2), "Sha 2, 3.1")

F = Parameter("F", "council's penalty on a free-riding member", _UNIT, NONNEGATIVE, 0,
              "Sha 4.1 (council with clear rights and duties)")
rho = Parameter("rho", "reputation gain of a contributing member made public by the council", _UNIT,
                NONNEGATIVE, 0, "Sha 4.1; Du and Zeng 4.2.3 (positive publicity)")

kappa = inspection_cost(payer="the outside budget (the council's audit of the members' contributions)",
                        source="Sha 4.1 (council governance); Du and Zeng 4.2.4")
kappa_r = publicity_cost(payer="the outside budget (the council's publicity for each contributing member)",
                         source="Sha 4.1; Du and Zeng 4.2.3")

PARAMETERS = (b_s, b_e, g, c_s, c_e, theta)
#: Cost parameters of the council's instruments (declared with the model's game).
COST_PARAMETERS = (kappa, kappa_r)
INSTRUMENT_PARAMETERS = (F, rho)

#: Instrument levels under which full contribution is the unique strict equilibrium at the
#: defaults (equal sharing, two enterprises): an enterprise's gain from contributing,
#: (b_e + g)/3 - c_e = -1, becomes -1 + F + rho = 1/2 > 0. Other group sizes and sharing rules
#: get F = max(0, -smallest gain) and rho = 1/2 (see :func:`_policy_levels`).
POLICY_LEVELS = (("F", 1), ("rho", sympy.Rational(1, 2)))


def _target_gains(game: Game) -> list:
    """Each member's gain from contributing when all others contribute, at the defaults."""
    defaults = game.defaults()
    target = tuple(CONTRIBUTE for _ in game.players)
    out = []
    for i, member in enumerate(game.players):
        deviation = target[:i] + (FREE_RIDE,) + target[i + 1:]
        out.append((game.payoff(member, target) - game.payoff(member, deviation)).xreplace(defaults))
    return out


def _policy_levels(game: Game) -> tuple:
    """Council levels making full contribution strict at the defaults: F + rho exceeds every shortfall."""
    worst = min(_target_gains(game))
    return (("F", sympy.Max(0, -worst)), ("rho", sympy.Rational(1, 2)))


def _players(enterprises: int) -> tuple[str, ...]:
    if isinstance(enterprises, bool) or not isinstance(enterprises, int) or not 1 <= enterprises <= 5:
        raise ParameterError(f"enterprises = {enterprises!r}: expected an integer from 1 to 5")
    return (SCHOOL,) + tuple(f"enterprise_{j}" for j in range(1, enterprises + 1))


def _check_rule(sharing: str) -> str:
    if sharing not in SHARING_RULES:
        raise UnknownNameError(f"unknown sharing rule {sharing!r} (known rules: {', '.join(SHARING_RULES)})")
    return sharing


def group_value(contributors) -> sympy.Expr:
    """The group's output :math:`v(K)` when the members in ``contributors`` contribute.

    Examples
    --------
    >>> group_value({"school", "enterprise_1", "enterprise_2"})
    2*b_e + b_s + 2*g
    """
    school = SCHOOL in contributors
    m = sum(1 for member in contributors if member != SCHOOL)
    value = b_e.symbol * m
    if school:
        value += b_s.symbol + g.symbol * m
    return value


def shares(contributors, members, sharing: str = "equal") -> dict[str, sympy.Expr]:
    """Each member's share of the group's output (before costs) under a sharing rule.

    Parameters
    ----------
    contributors : collection of str
        The members who contribute.
    members : sequence of str
        All members (the school first).
    sharing : {"equal", "proportional", "shapley"}
        The rule for the excludable part :math:`(1 - \\theta) v(K)`.

    Returns
    -------
    dict
        Member name to share; the shares add up to :math:`v(K)`.

    Examples
    --------
    >>> members = ("school", "enterprise_1", "enterprise_2")
    >>> shares({"school", "enterprise_1"}, members, "shapley")["enterprise_1"]
    theta*(b_e + b_s + g)/3 + (1 - theta)*(b_e + g/2)
    >>> shares({"school", "enterprise_1"}, members, "shapley")["enterprise_2"]
    theta*(b_e + b_s + g)/3
    """
    _check_rule(sharing)
    contributors = frozenset(contributors)
    unknown = contributors - set(members)
    if unknown:
        raise UnknownNameError(f"unknown member(s) {', '.join(sorted(unknown))} (members: {', '.join(members)})")
    v = group_value(contributors)
    n = len(members)
    common = theta.symbol * v / n
    excludable = 1 - theta.symbol
    out = {}
    if sharing == "equal":
        return dict.fromkeys(members, v / n)
    cost = {member: (c_s.symbol if member == SCHOOL else c_e.symbol) for member in members}
    spent = sum(cost[member] for member in contributors)
    m = sum(1 for member in contributors if member != SCHOOL)
    for member in members:
        if member not in contributors:
            out[member] = common
        elif sharing == "proportional":
            out[member] = common + excludable * v * cost[member] / spent
        elif member == SCHOOL:
            out[member] = common + excludable * (b_s.symbol + g.symbol * m / 2)
        else:
            pair = g.symbol / 2 if SCHOOL in contributors else 0
            out[member] = common + excludable * (b_e.symbol + pair)
    return out


#: The number of enterprises as a symbol, for results in closed form in the group's size.
n_enterprises = sympy.Symbol("n", integer=True, positive=True)


def full_contribution_gains(sharing: str = "equal", enterprises=None) -> dict[str, sympy.Expr]:
    """Each member type's gain from contributing when every other member contributes, in closed form.

    With :math:`n` enterprises (a symbol unless ``enterprises`` is given), everybody else
    contributing, :math:`v = b_s + n(b_e + g)` and :math:`c = c_s + n c_e`:

    ================  ====================================================  ==============================================================
    rule              school                                                enterprise
    ================  ====================================================  ==============================================================
    equal             :math:`(b_s + n g)/(n+1) - c_s`                       :math:`(b_e + g)/(n+1) - c_e`
    proportional      :math:`\\theta(b_s + n g)/(n+1) + (1-\\theta) v c_s / c - c_s`  :math:`\\theta(b_e + g)/(n+1) + (1-\\theta) v c_e / c - c_e`
    shapley           :math:`\\theta(b_s + n g)/(n+1) + (1-\\theta)(b_s + n g/2) - c_s`  :math:`\\theta(b_e + g)/(n+1) + (1-\\theta)(b_e + g/2) - c_e`
    ================  ====================================================  ==============================================================

    Full contribution is a strict equilibrium iff both gains are positive.

    Parameters
    ----------
    sharing : {"equal", "proportional", "shapley"}
    enterprises : int or sympy expression, optional
        The number of enterprises; the symbol ``n`` by default.

    Returns
    -------
    dict
        ``{"school": gain, "enterprise": gain}``.

    Examples
    --------
    >>> full_contribution_gains("equal")["enterprise"]
    -c_e + (b_e + g)/(n + 1)
    >>> full_contribution_gains("shapley", 2)["enterprise"].xreplace(education_group().defaults)
    5/4
    """
    _check_rule(sharing)
    n = n_enterprises if enterprises is None else enterprises
    bs, be, gg, cs, ce, th = (prm.symbol for prm in PARAMETERS)
    members = n + 1
    if sharing == "equal":
        return {SCHOOL: (bs + n * gg) / members - cs, "enterprise": (be + gg) / members - ce}
    v = bs + n * (be + gg)
    spent = cs + n * ce
    common_s, common_e = th * (bs + n * gg) / members, th * (be + gg) / members
    if sharing == "proportional":
        return {SCHOOL: common_s + (1 - th) * v * cs / spent - cs,
                "enterprise": common_e + (1 - th) * v * ce / spent - ce}
    return {SCHOOL: common_s + (1 - th) * (bs + n * gg / 2) - cs,
            "enterprise": common_e + (1 - th) * (be + gg / 2) - ce}


def group_game(enterprises: int = 2, sharing: str = "equal") -> Game:
    """The public-goods game of the group under one sharing rule, without policy.

    Parameters
    ----------
    enterprises : int
        Number of enterprises :math:`n` (1 to 5); the group has :math:`n + 1` members.
    sharing : {"equal", "proportional", "shapley"}

    Returns
    -------
    Game
        Players ``school, enterprise_1, ..., enterprise_n``, strategies ``contribute`` and
        ``free_ride``; a member's payoff is its share minus its cost if it contributes.

    Examples
    --------
    >>> gm = group_game(1, "equal")
    >>> gm.payoff("enterprise_1", ("contribute", "contribute"))
    b_e/2 + b_s/2 - c_e + g/2
    """
    members = _players(enterprises)
    _check_rule(sharing)
    payoffs = {}
    for profile in itertools.product((CONTRIBUTE, FREE_RIDE), repeat=len(members)):
        contributors = {member for member, choice in zip(members, profile) if choice == CONTRIBUTE}
        share = shares(contributors, members, sharing)
        row = []
        for member, choice in zip(members, profile):
            cost = (c_s.symbol if member == SCHOOL else c_e.symbol) if choice == CONTRIBUTE else 0
            row.append(sympy.expand(share[member] - cost) if sharing != "proportional"
                       else sympy.factor(share[member] - cost))
        payoffs[profile] = row
    title = f"Vocational education group ({sharing} sharing, {enterprises} enterprises)"
    return Game(list(members), {member: [CONTRIBUTE, FREE_RIDE] for member in members}, payoffs, PARAMETERS,
                name=title)


# ---------------------------------------------------------------------- coalitional view
GOVERNMENT, ASSOCIATION, ENTERPRISE = "government", "association", "enterprise"
TU_PLAYERS = (GOVERNMENT, ASSOCIATION, ENTERPRISE, SCHOOL)

o_e = Parameter("o_e", "enterprise's value on its own (training its staff in house)", _UNIT, NONNEGATIVE, 4,
                "Sha 3.1 (participation seen as a duty, not an investment)")
o_s = Parameter("o_s", "school's value on its own (teaching without enterprise resources)", _UNIT, NONNEGATIVE, 1,
                "Sha 3.2")
w = Parameter("w", "joint surplus of the enterprise and the school working together", _UNIT, POSITIVE, 6,
              "Sha 2, 4.1")
a = Parameter("a", "value the industry association adds to a school-enterprise project (demand, skill "
              "standards)", _UNIT, NONNEGATIVE, 2, "Sha 4.1 (industry guidance)")
p_g = Parameter("p_g", "value the government adds to a school-enterprise project (policy, project funds)", _UNIT,
                NONNEGATIVE, 3, "Sha 4.1 (government leadership)")
TU_PARAMETERS = (o_e, o_s, w, a, p_g)


@dataclass(frozen=True)
class BenefitDistribution:
    """The coalitional game of benefit distribution among government, association, enterprise, school.

    .. math:: v(S) = o_e [e \\in S] + o_s [s \\in S]
              + [e, s \\in S]\\,(w + a\\,[\\text{assoc} \\in S] + p_g\\,[\\text{gov} \\in S]),

    a sum of unanimity games with nonnegative weights, hence convex (supermodular); its Shapley
    value is therefore in the core (Shapley 1971), and equals
    :math:`(p_g/3,\\; a/3,\\; o_e + w/2 + (a + p_g)/3,\\; o_s + w/2 + (a + p_g)/3)`.

    Attributes
    ----------
    players : tuple of str
        ``("government", "association", "enterprise", "school")``.
    parameters : tuple of Parameter
        ``o_e, o_s, w, a, p_g`` with illustrative defaults.
    value : tuple of (frozenset, sympy.Expr) pairs
        The characteristic function on every coalition.
    """

    players: tuple = TU_PLAYERS
    parameters: tuple = TU_PARAMETERS
    value: tuple = ()

    def tu_game(self):
        """The game as a :class:`coopgame.cooperative.TUGame` (symbolic), for its solution concepts.

        Examples
        --------
        >>> tu = benefit_distribution().tu_game()
        >>> tu.is_convex()
        True
        >>> tu.shapley()["government"]
        p_g/3
        """
        from ..cooperative import TUGame

        return TUGame(self.players, dict(self.value))

    def characteristic(self, values: Mapping | None = None) -> dict:
        """Coalition (frozenset) to value; numbers when ``values`` (or the defaults) fill every symbol."""
        vals = resolve_values(values or {}, self.parameters, require_all=False, defaults=values is not None)
        return {coalition: expr.xreplace(vals) for coalition, expr in self.value}

    def shapley(self) -> dict[str, sympy.Expr]:
        """The Shapley value, exactly, from the unanimity decomposition (symbolic)."""
        oe, os_, w_, a_, pg = (prm.symbol for prm in self.parameters)
        third = (a_ + pg) / 3
        return {GOVERNMENT: pg / 3, ASSOCIATION: a_ / 3, ENTERPRISE: oe + w_ / 2 + third,
                SCHOOL: os_ + w_ / 2 + third}

    def equal_split(self) -> dict[str, sympy.Expr]:
        """Each player's share when the grand coalition's value is split equally."""
        total = dict(self.value)[frozenset(self.players)]
        return {player: total / len(self.players) for player in self.players}

    def core_violations(self, allocation: Mapping, values: Mapping | None = None) -> list:
        """Coalitions that would block ``allocation``: those with :math:`\\sum_{i\\in S} x_i < v(S)`.

        Returns a list of ``(coalition, shortfall)`` with exact positive shortfalls, at the given
        values (defaults fill the rest), coalitions in the order of :attr:`value`.
        """
        vals = resolve_values(values or {}, self.parameters, require_all=False, defaults=True)
        missing = [p for p in self.players if p not in allocation]
        if missing:
            raise UnknownNameError(f"the allocation has no share for {', '.join(missing)}")
        x = {p: (allocation[p] if isinstance(allocation[p], sympy.Basic) else to_exact(allocation[p], name=p))
             for p in self.players}
        out = []
        for coalition, expr in self.value:
            short = sympy.expand(expr.xreplace(vals) - sum(x[p].xreplace(vals) for p in coalition))
            if short.free_symbols:
                raise ParameterError(f"coalition {sorted(coalition)}: shortfall {short} is not numeric")
            if short > 0:
                out.append((coalition, short))
        return out


def benefit_distribution() -> BenefitDistribution:
    """The benefit-distribution TU game of the group (seed 004 section 4.1).

    Examples
    --------
    >>> bd = benefit_distribution()
    >>> bd.shapley()["enterprise"]
    a/3 + o_e + p_g/3 + w/2
    >>> [sorted(c) for c, _ in bd.core_violations(bd.equal_split())]
    [['enterprise', 'school'], ['enterprise', 'government', 'school'], ['association', 'enterprise', 'school']]
    >>> bd.core_violations(bd.shapley())
    []
    """
    oe, os_, w_, a_, pg = (prm.symbol for prm in TU_PARAMETERS)
    value = []
    for size in range(1, len(TU_PLAYERS) + 1):
        for coalition in itertools.combinations(TU_PLAYERS, size):
            members = set(coalition)
            v = sympy.Integer(0)
            if ENTERPRISE in members:
                v += oe
            if SCHOOL in members:
                v += os_
            if ENTERPRISE in members and SCHOOL in members:
                v += w_ + (a_ if ASSOCIATION in members else 0) + (pg if GOVERNMENT in members else 0)
            value.append((frozenset(coalition), v))
    return BenefitDistribution(value=tuple(value))


def education_group(enterprises: int = 2, sharing: str = "equal") -> Model:
    """The vocational education group model (seed 004 sections 2, 3.1, 4.1).

    Parameters
    ----------
    enterprises : int
        Number of enterprises (1 to 5); the default 2 gives a three-member group.
    sharing : {"equal", "proportional", "shapley"}
        The sharing rule of the model's game; the status quo of the seed is ``"equal"`` (benefits
        do not follow contributions).

    Returns
    -------
    Model
        The public-goods game and two switchable instruments of the group's council: ``penalty``
        (a :class:`~coopgame.policy.Penalty` ``F`` on each free-riding member, paid to the council
        outside the game, whose audit of the contributions costs the outside budget ``kappa * F``
        at every profile) and ``reputation`` (a :class:`~coopgame.policy.Reputation` gain ``rho``
        to each contributor, at a campaign cost ``kappa_r * rho`` per contributor publicised).
        Extras: the games under the other sharing rules
        (``"game_<rule>"``) and the :class:`BenefitDistribution` TU game
        (``"benefit_distribution"``).

    Notes
    -----
    Under equal sharing a member's gain from contributing does not depend on the others: it is
    :math:`(b_e + g\\,[s \\in K])/(n+1) - c_e` for an enterprise and
    :math:`(b_s + g\\,m)/(n+1) - c_s` for the school, so full contribution is strict iff
    :math:`b_e + g > (n+1)\\,c_e` and :math:`b_s + g\\,n > (n+1)\\,c_s`. The :math:`1/(n+1)` is
    the free-riding: a member bears the whole cost and keeps a :math:`1/(n+1)` share of what it
    adds. The council's instruments are priced: at full contribution the public budget pays
    :math:`\\kappa F + (n+1)\\,\\kappa_r \\rho` (the audit that makes the penalty credible, whether or
    not anyone free-rides, and the publicity for every member). Defaults are illustrative, not
    estimates.

    Examples
    --------
    >>> m = education_group()
    >>> m.instrument_names
    ('penalty', 'reputation')
    >>> gm = m.with_policy().subs(m.values(policy=True))
    >>> [e.profile for e in gm.pure_equilibria(strict=True)]
    [('contribute', 'contribute', 'contribute')]
    >>> shap = dict(m.extras)["game_shapley"].subs(m.game.defaults())
    >>> [e.profile for e in shap.pure_equilibria(strict=True)]
    [('contribute', 'contribute', 'contribute')]
    """
    members = _players(enterprises)
    game = group_game(enterprises, sharing).with_parameters(*COST_PARAMETERS)
    instruments = (
        ("penalty", tuple(Penalty(member, F, when={member: FREE_RIDE}, label="council penalty")
                          for member in members)
         + (Expense(None, kappa.symbol * F.symbol, label="council audit cost"),)),
        ("reputation", tuple(Reputation(member, rho, when={member: CONTRIBUTE}, label="council publicity")
                             for member in members)
         + tuple(Expense(None, kappa_r.symbol * rho.symbol, when={member: CONTRIBUTE},
                         label=f"publicity campaign cost ({member})") for member in members)),
    )
    extras = tuple((f"game_{rule}", group_game(enterprises, rule).with_parameters(*COST_PARAMETERS))
                   for rule in SHARING_RULES if rule != sharing)
    extras += (("benefit_distribution", benefit_distribution()),)
    n1 = len(members)
    return Model(
        name="education_group",
        title="Vocational education group: pooled resources, free-riding and benefit sharing",
        summary=(
            f"A school and {enterprises} enterprise(s) in a vocational education group each contribute "
            "resources (teachers, training bases, mentors) or free-ride on the others. Part of what the "
            "group produces reaches every member; the rest is shared by a rule: equally among all "
            "members (the imperfect benefit distribution of the seed), in proportion to what each spent, "
            "or by the Shapley value of the contributions. Under equal sharing the enterprises keep a "
            f"1/{n1} share of what they add and, at the defaults with two or more enterprises, stay cold while "
            "the school contributes; the council's "
            "penalties and publicity, or sharing by contribution, change that. Defaults are illustrative, "
            "not estimates."
        ),
        game=game,
        instruments=instruments,
        instrument_parameters=INSTRUMENT_PARAMETERS,
        target=tuple(CONTRIBUTE for _ in members),
        assumptions=(b_s.symbol > c_s.symbol, b_e.symbol > c_e.symbol),
        passages=(
            "seed 004 section 2: groups are meant to cure 'hot schools, cold enterprises' by making "
            "enterprises participants and beneficiaries, sharing training bases and teaching resources.",
            "seed 004 section 3.1: enterprises see participation as a social duty rather than an "
            "investment, and imperfect benefit-distribution and risk-sharing mechanisms keep cooperation "
            "shallow ('cooperation without integration').",
            "seed 004 section 4.1: a council-led governance with defined rights and duties, benefit sharing "
            "through talent sharing and joint research, and government, industry, enterprises and schools "
            "each in their role.",
        ),
        references=(
            Reference("Sha", "Yan Sha",
                      "Research on the Innovation Path of Vocational Talent Training Mode under the Vocational "
                      "Education Group Mode", "Lanzhou Vocational Technical College", None,
                      "Sections 2, 3.1, 4.1: group operation, imperfect benefit distribution, council governance."),
            Reference("Du2022", "Ting Du and Shaolun Zeng",
                      "Construction of High-quality Talents Training Community in Secondary Vocational Education",
                      "Sichuan University of Science & Engineering", None,
                      "Section 4.2.3: sharing of resources among members and positive publicity."),
            Reference("Shapley1953", "L. S. Shapley", "A value for n-person games",
                      "Contributions to the Theory of Games II, Princeton University Press", 1953,
                      "The Shapley value used as a sharing rule."),
            Reference("Shapley1971", "L. S. Shapley", "Cores of convex games",
                      "International Journal of Game Theory 1, 11-26", 1971,
                      "The Shapley value of a convex game lies in its core."),
        ),
        questions=(
            "Under equal sharing, which members contribute and which free-ride?",
            "How large must the council's penalty or reputation gain be for every member to contribute, and "
            "how does the group's size move that level?",
            "Does sharing by contribution (proportional or Shapley) make full contribution stable without "
            "penalties?",
            "Which distributions of the joint project's value among government, association, enterprise and "
            "school are in the core?",
        ),
        extras=extras,
        policy_levels=_policy_levels(game),
        target_stable_in_status_quo=min(_target_gains(game)) > 0,
    )


def findings_extra(model: Model) -> str:
    """The sharing-rule and benefit-distribution findings as Markdown (used by :mod:`coopgame.findings`).

    An enterprise's gain from contributing under each sharing rule and group size at the defaults,
    the council level equal sharing needs, and the Shapley value and core of the TU game.
    """
    from ..core.formatting import markdown_table

    rows = []
    for n in range(1, 5):
        row = [str(n)]
        for rule in SHARING_RULES:
            gains = _target_gains(group_game(n, rule))
            row.append(str(min(gains[1:])))
        equal_gap = -min(_target_gains(group_game(n, "equal")))
        row.append(f"more than {equal_gap}" if equal_gap >= 0 else "none")
        rows.append(row)
    table = markdown_table(["enterprises n", "gain, equal", "gain, proportional", "gain, Shapley",
                            "F + rho needed (equal)"], rows)
    bd = benefit_distribution()
    tu_defaults = {prm.symbol: prm.default for prm in bd.parameters}
    phi = bd.shapley()
    blocked = bd.core_violations(bd.equal_split())
    blocked_text = "; ".join(f"{{{', '.join(sorted(c))}}} short by {short}" for c, short in blocked) or "none"
    in_core = "in the core" if not bd.core_violations(phi) else "not in the core"
    return "\n".join([
        "**Sharing rules and group size.** An enterprise's gain from contributing when all others contribute "
        "(defaults; a positive gain means full contribution needs no council instrument), and the council "
        "penalty plus reputation the members need under equal sharing:",
        "",
        table,
        "",
        "**Benefit distribution among government, association, enterprise and school** (TU game, convex): "
        "Shapley value " + ", ".join(f"{p_} = `{phi[p_]}`" for p_ in bd.players) + "; at the defaults "
        + ", ".join(f"{p_} {phi[p_].xreplace(tu_defaults)}" for p_ in bd.players)
        + f", {in_core}. An equal split is blocked by: {blocked_text}.",
    ])
