"""The cheapest combination of instrument levels that makes a target profile stable.

With instrument levels :math:`x \\in \\mathbb{R}^n` and all other parameters fixed, the target
profile is asymptotically stable in the multi-population replicator dynamics iff it is a strict
Nash equilibrium (Selten 1980): every deviation gain :math:`a_k \\cdot x + b_k` is :math:`> 0`.
Together with the levels' domains (:math:`x_j \\ge 0`, ...) and a cost :math:`c \\cdot x + c_0`
that is linear in the levels, the question is the linear program

.. math:: \\inf \\{ c \\cdot x + c_0 : a_k \\cdot x + b_k > 0 \\ (k \\in S),\\
          a_k \\cdot x + b_k \\ge 0 \\ (k \\notin S) \\}.

It is solved exactly: the infimum over the open region equals the minimum over its closure,
which (when the closure is pointed and the program bounded) is attained at a vertex; every vertex
is the solution of :math:`n` active constraints, found with rational arithmetic. The infimum is
*attained* iff some optimal point satisfies every strict constraint strictly, which holds iff
each strict constraint is slack at some optimal vertex (then the average of those vertices
works). ``scipy.optimize.linprog`` is used only to detect an unbounded program.

The default cost is what the payer spends at the target profile. With the default
``payer=None`` that is the *public budget*: the outside budget
(:func:`coopgame.policy.outside_spending`) plus what every government player of the game (a
player named ``government`` or ending in ``_government``) loses to the instruments there, so a
game whose government pays for its instruments never reports a silent zero. ``payer="outside"``
counts the outside budget alone; a player's name counts what that player loses. Reputation is
free, so a mix using only publicity costs nothing unless a cost is given.

Examples
--------
>>> from coopgame import Game
>>> from coopgame.policy import Subsidy, Penalty
>>> g = Game(["school", "enterprise"], [["deep", "shallow"], ["participate", "nominal"]],
...          {("deep", "participate"): [3, "2 - C"], ("deep", "nominal"): [-1, 0],
...           ("shallow", "participate"): [0, "-C"], ("shallow", "nominal"): [0, 0]})
>>> best = cheapest_policy(g, ("deep", "participate"),
...                        [Subsidy("enterprise", "s", when={"enterprise": "participate"}),
...                         Penalty("enterprise", "f", when={"enterprise": "nominal"})],
...                        values={"C": 5})
>>> best.cost, best.attained, best.levels
(0, True, {'f': 4, 's': 0})
>>> [str(b) for b in best.binding]
['s >= 0']

A penalty above 3 costs the budget nothing at the target. With a subsidy alone the infimum, 3,
is not attained (the enterprise must strictly prefer to participate):

>>> only = cheapest_policy(g, ("deep", "participate"),
...                        [Subsidy("enterprise", "s", when={"enterprise": "participate"})], values={"C": 5})
>>> only.cost, only.attained, [str(b) for b in only.binding]
(3, False, ['s > 3'])
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import sympy

from ..core.errors import ParameterError, ResourceLimitError, SolverError, UnknownNameError
from ..core.exact import relation, solve_rational
from ..core.expressions import parse
from ..core.parameters import Parameter, to_exact
from .thresholds import as_game, strict_nash_condition

__all__ = ["CheapestPolicy", "cheapest_policy", "government_players", "MAX_VERTEX_CANDIDATES"]

#: Largest number of active-constraint subsets examined by the exact vertex enumeration.
MAX_VERTEX_CANDIDATES = 200_000


@dataclass(frozen=True)
class CheapestPolicy:
    """The least-cost instrument levels making a target profile evolutionarily stable.

    Attributes
    ----------
    target : tuple of str
        The target profile.
    status : str
        ``"optimal"``, ``"infeasible"`` (no levels work) or ``"unbounded"`` (cost has no floor).
    levels : dict
        Level name -> exact value: when the infimum is attained, a point attaining it; when not,
        the limit point (an optimal vertex of the closure) that levels can approach.
    cost : sympy number or None
        The infimum of the cost.
    attained : bool
        Whether some admissible levels achieve ``cost`` exactly.
    binding : tuple of sympy relationals
        Conditions that hold with equality on the whole optimal face (the binding ones).
    conditions : tuple of sympy relationals
        Every condition: the target's strict Nash inequalities and the levels' domains.
    cost_expression : sympy.Expr
        The cost as a function of the levels.
    payer : str or None
        Whose cost: ``"public budget"`` (the outside budget and the government players, the
        default), ``"outside"`` (the outside budget alone) or a player.
    method : str
        How the answer was found.
    """

    target: tuple
    status: str
    levels: dict
    cost: Any
    attained: bool
    binding: tuple
    conditions: tuple
    cost_expression: Any
    payer: str | None = None
    method: str = ""
    symbols: tuple = field(default=(), repr=False, compare=False)

    @property
    def feasible(self) -> bool:
        """Whether some admissible levels make the target stable."""
        return self.status != "infeasible"

    def satisfies(self, levels: Mapping) -> bool:
        """Whether the given levels meet every condition (exact check)."""
        subs = {}
        by_name = {s.name: s for s in self.symbols}
        for k, v in levels.items():
            name = k if isinstance(k, str) else k.name
            if name not in by_name:
                raise UnknownNameError(f"unknown level {name!r} (levels: {', '.join(by_name)})")
            subs[by_name[name]] = to_exact(v, name=f"level {name!r}")
        return all(bool(c.xreplace(subs)) for c in self.conditions)

    def cost_at(self, levels: Mapping):
        """The exact cost of the given levels."""
        by_name = {s.name: s for s in self.symbols}
        subs = {by_name[k if isinstance(k, str) else k.name]: to_exact(v, name=str(k)) for k, v in levels.items()}
        return self.cost_expression.xreplace(subs)

    def to_markdown(self) -> str:
        """The answer as a Markdown table."""
        from ..core.formatting import markdown_table

        who = {None: "outside budget", "outside": "outside budget"}.get(self.payer, self.payer)
        rows = [["target", "(" + ", ".join(self.target) + ")"], ["status", self.status],
                ["cost to " + who, self.cost if self.cost is not None else "-"],
                ["attained", "yes" if self.attained else "no (infimum)"]]
        rows += [[f"level {k}", v] for k, v in self.levels.items()]
        rows += [["binding", b] for b in self.binding]
        return markdown_table(["", "value"], rows)


def _frac(x, where) -> Fraction:
    x = sympy.nsimplify(x) if isinstance(x, sympy.Float) else x
    if not (isinstance(x, sympy.Basic) and x.is_Rational) and not isinstance(x, int):
        raise SolverError(f"{where}: coefficient {x} is not a rational number; exact linear programming needs rationals")
    return Fraction(int(sympy.Rational(x).p), int(sympy.Rational(x).q))


def _levels_of(instruments, base, game):
    """The level parameters: named ones, and those the instrument objects introduced."""
    names = []
    base_names = {p.name for p in base.parameters}
    for item in instruments:
        if isinstance(item, (str, sympy.Symbol, Parameter)):
            name = item if isinstance(item, str) else item.name
            game.parameter(name)  # UnknownNameError if absent
            names.append(name)
        elif hasattr(item, "apply"):
            before = {p.name for p in item.apply(base).parameters} - base_names
            names.extend(sorted(before))
        else:
            raise ParameterError(f"instruments must be policy instruments or level names, got {item!r}")
    out = []
    for n in names:
        if n not in out:
            out.append(n)
    if not out:
        raise ParameterError("no instrument levels to choose: name them or pass instruments with symbolic amounts")
    return out


def government_players(game) -> tuple:
    """The players of ``game`` whose spending is public: ``government`` and ``*_government``.

    Examples
    --------
    >>> from coopgame import Game
    >>> g = Game(["central_government", "local_government", "school"], [["a"], ["b"], ["c"]],
    ...          {("a", "b", "c"): [0, 0, 0]})
    >>> government_players(g)
    ('central_government', 'local_government')
    """
    return tuple(p for p in game.players if p == "government" or p.endswith("_government"))


def cheapest_policy(
    game_or_builder,
    target,
    instruments: Sequence,
    costs=None,
    values: Mapping | None = None,
    *,
    payer: str | None = None,
) -> CheapestPolicy:
    """The least-cost instrument levels that make ``target`` evolutionarily stable.

    Parameters
    ----------
    game_or_builder : Game, model or callable
        The game (see :func:`coopgame.analysis.thresholds.as_game`).
    target : tuple or mapping
        The pure profile to stabilise.
    instruments : sequence
        Policy instruments with symbolic levels (applied to the game; their new parameters are
        the levels), or names of parameters of the game that are levels.
    costs : None, mapping, str or sympy.Expr
        ``None``: what ``payer`` spends at the target profile. A mapping level -> cost per unit,
        or an expression in the levels, replaces it.
    values : mapping
        Values of every parameter that is not a level.
    payer : str or None
        Whose spending is the default cost. ``None`` (default): the public budget, i.e. the
        outside budget plus what the game's government players (see
        :func:`government_players`) lose at the target; ``"outside"``: the outside budget
        alone; a player's name: what that player loses. The result's ``payer`` records which.

    Returns
    -------
    CheapestPolicy

    Raises
    ------
    SolverError
        A condition or the cost is not linear in the levels, or a coefficient is not rational.
    ParameterError
        A parameter other than the levels has no value.
    """
    base = as_game(game_or_builder)
    objects = [i for i in instruments if hasattr(i, "apply")]
    game = base.with_policy(*objects)
    level_names = _levels_of(instruments, base, game)
    symbols = tuple(game.symbol(n) for n in level_names)
    vals = game.check_values(values or {}, require_all=False)
    for s in symbols:
        if s in vals:
            raise ParameterError(f"parameter {s.name!r} is an instrument level and cannot have a fixed value")
    names = game.profile_names(target)
    cond = strict_nash_condition(game, names).xreplace(vals)
    if payer is not None and payer != "outside":
        game.player_index(payer)
    cost = sympy.expand(_cost_expression(game, names, costs, payer, level_names).xreplace(vals))
    if payer is None:
        payer = "public budget"
    extra = sorted(s.name for s in (cond.free_symbols | cost.free_symbols) if s not in symbols)
    if extra:
        raise ParameterError(f"give values for parameter(s) {', '.join(map(repr, extra))} (only levels stay free)")

    def result(status, levels=None, value=None, attained=False, binding=(), conditions=None, method=""):
        return CheapestPolicy(tuple(names), status, levels or {}, value, attained, binding, conditions, cost, payer,
                              method, symbols)

    if cond is sympy.false:
        return result("infeasible", conditions=(sympy.false,), method="the target is never a strict equilibrium")
    rels = _level_relations(game, cond, level_names)
    constraints, failing = _linear_constraints(rels, symbols, level_names)
    if failing is not None:
        return result("infeasible", conditions=tuple(rels), method=f"condition {failing} fails for every level")
    c, c0 = _linear_cost(cost, symbols)
    n = len(symbols)
    all_rels = tuple(r for r, *_ in constraints)
    # Unbounded below?  (a direction inside the recession cone along which the cost falls)
    if _unbounded(constraints, c, n):
        return result("unbounded", value=-sympy.oo, conditions=all_rels,
                      method="recession direction found with scipy linprog")
    vertices = _vertices(constraints, n)
    if not vertices:
        status, method = _no_vertex_status(constraints, n)
        return result(status, conditions=all_rels, method=method)
    # Is the open region non-empty?  A point of the closure with every strict constraint slack.
    strict_ids = [k for k, con in enumerate(constraints) if con[3]]
    if _slack_point(constraints, vertices, n, strict_ids) is None:
        return result("infeasible", conditions=all_rels,
                      method="exact vertex enumeration: the strict conditions cannot all hold")
    costs_v = [sum(ci * xi for ci, xi in zip(c, x)) + c0 for x in vertices]
    best = min(costs_v)
    optimal = [x for x, v in zip(vertices, costs_v) if v == best]
    # The optimal face: the closure cut by cost <= best; its vertices are the optimal vertices.
    face = constraints + [(None, [-ci for ci in c], best - c0, False)]
    point = _slack_point(face, optimal, n, strict_ids)
    attained = point is not None
    binding = tuple(constraints[k][0] for k in range(len(constraints)) if not _slack_somewhere(face, optimal, n, k))
    if point is None:
        point = optimal[0]
    levels = {name: sympy.Rational(x.numerator, x.denominator) for name, x in zip(level_names, point)}
    return result("optimal", dict(sorted(levels.items())), sympy.Rational(best.numerator, best.denominator), attained,
                  tuple(sorted(binding, key=str)), all_rels, f"exact vertex enumeration over {len(vertices)} vertices")


def _cost_expression(game, names, costs, payer, level_names) -> sympy.Expr:
    """The cost to minimise: what ``payer`` spends at the target (``costs=None``), else ``costs``."""
    from ..policy import outside_spending, policy_effects_at

    if costs is None:
        public = government_players(game)
        if payer is None:
            return outside_spending(game, names) - sympy.Add(
                *[e.delta for e in policy_effects_at(game, names) if e.player in public])
        if payer == "outside":
            return outside_spending(game, names)
        return -sympy.Add(*[e.delta for e in policy_effects_at(game, names) if e.player == payer])
    if isinstance(costs, Mapping):
        cost = sympy.Integer(0)
        for k, c in costs.items():
            name = k if isinstance(k, str) else k.name
            if name not in level_names:
                raise UnknownNameError(f"cost given for {name!r}, which is not a level (levels: {', '.join(level_names)})")
            cost += to_exact(c, name=f"cost of {name!r}") * game.symbol(name)
        return cost
    if isinstance(costs, str):
        return parse(costs, {p.name: p.symbol for p in game.parameters})
    if isinstance(costs, sympy.Expr):
        return costs
    raise ParameterError(f"costs must be None, a mapping, text or an expression; got {costs!r}")


def _level_relations(game, cond, level_names) -> list:
    """The target's strict-equilibrium relations and the levels' domain bounds."""
    rels = [] if cond is sympy.true else list(sympy.And.make_args(cond))
    for p in (game.parameter(n) for n in level_names):
        iv = p.domain.interval
        x = p.symbol
        if isinstance(iv, sympy.Interval):
            if iv.start.is_finite:
                rels.append(sympy.StrictGreaterThan(x, iv.start) if iv.left_open else sympy.GreaterThan(x, iv.start))
            if iv.end.is_finite:
                rels.append(sympy.StrictLessThan(x, iv.end) if iv.right_open else sympy.LessThan(x, iv.end))
    # A domain bound the symbol's assumptions already imply evaluates to True: state it unevaluated.
    rels = [r for r in rels if r is not sympy.true]
    for p in (game.parameter(n) for n in level_names):
        iv = p.domain.interval
        if isinstance(iv, sympy.Interval) and iv.start.is_finite:
            bound = (sympy.StrictGreaterThan if iv.left_open else sympy.GreaterThan)(p.symbol, iv.start, evaluate=False)
            if bound not in rels:
                rels.append(bound)
    return rels


def _linear_constraints(rels, symbols, level_names):
    """``(constraints, failing)``: each relation as ``(shown relation, a, b, strict)`` meaning
    ``a . x + b > 0`` (or ``>= 0``) in exact fractions; ``failing`` is a relation without levels
    that fails (then the constraints are incomplete), else None."""
    constraints = []
    for rel in rels:
        if not isinstance(rel, (sympy.StrictGreaterThan, sympy.GreaterThan, sympy.StrictLessThan, sympy.LessThan)):
            raise SolverError(f"condition {rel} is not an inequality")
        if isinstance(rel, (sympy.StrictGreaterThan, sympy.GreaterThan)):
            d = sympy.expand(rel.lhs - rel.rhs)
        else:
            d = sympy.expand(rel.rhs - rel.lhs)
        strict = isinstance(rel, (sympy.StrictGreaterThan, sympy.StrictLessThan))
        shown = relation(d, strict)
        if shown not in (sympy.true, sympy.false):
            rel = shown
        a, b = _affine(d, symbols, str(rel), f"condition {rel} is not linear in the levels {', '.join(level_names)}")
        if all(v == 0 for v in a):
            if b < 0 or (strict and b == 0):
                return constraints, rel
            continue
        constraints.append((rel, a, b, strict))
    return constraints, None


def _linear_cost(cost, symbols):
    """``(c, c0)``: the cost as ``c . x + c0`` in exact fractions."""
    return _affine(cost, symbols, "cost", f"the cost {cost} is not linear in the levels")


def _affine(expr, symbols, where: str, not_linear: str):
    """``(a, b)``: ``expr`` as ``a . x + b`` in exact fractions (``where`` names it if a coefficient
    is not a rational number); ``SolverError(not_linear)`` when it is not linear in ``symbols``."""
    try:
        poly = sympy.Poly(expr, *symbols)
    except sympy.PolynomialError:
        raise SolverError(not_linear) from None
    if poly.total_degree() > 1:
        raise SolverError(not_linear)
    return [_frac(poly.coeff_monomial(s), where) for s in symbols], _frac(poly.coeff_monomial(1), where)


def _vertices(constraints, n) -> list:
    """The vertices of the closed region: every feasible solution of ``n`` constraints at equality."""
    m = len(constraints)
    n_subsets = _binomial(m, n)
    if n_subsets > MAX_VERTEX_CANDIDATES:
        raise ResourceLimitError(
            f"{m} conditions and {n} levels give {n_subsets} candidate vertices, more than {MAX_VERTEX_CANDIDATES}"
        )
    vertices = []
    for subset in itertools.combinations(range(m), n):
        x = solve_rational([constraints[k][1] for k in subset], [-constraints[k][2] for k in subset])
        if x is None:
            continue
        if all(sum(ai * xi for ai, xi in zip(a, x)) + b >= 0 for _, a, b, _ in constraints):
            if x not in vertices:
                vertices.append(x)
    return vertices


def _binomial(m, n):
    from math import comb

    return comb(m, n)


def _matrices(constraints, n):
    A = np.array([[float(v) for v in a] for _, a, _, _ in constraints], dtype=float).reshape(len(constraints), n)
    b = np.array([float(b) for _, _, b, _ in constraints], dtype=float)
    return A, b


def _unbounded(constraints, c, n) -> bool:
    """True if some d with A d >= 0 has c . d < 0 (checked with linprog, verified exactly)."""
    from scipy.optimize import linprog

    if not any(c):
        return False
    A, _ = _matrices(constraints, n) if constraints else (np.zeros((0, n)), None)
    res = linprog(np.array([float(v) for v in c]), A_ub=-A if len(A) else None, b_ub=np.zeros(len(A)) if len(A) else None,
                  bounds=[(-1, 1)] * n, method="highs")
    if res.status != 0 or res.fun > -1e-9:
        return False
    d = [Fraction(v).limit_denominator(10**6) for v in res.x]
    return (all(sum(ai * di for ai, di in zip(a, d)) >= 0 for _, a, _, _ in constraints)
            and sum(ci * di for ci, di in zip(c, d)) < 0)


def _no_vertex_status(constraints, n):
    from scipy.optimize import linprog

    A, b = _matrices(constraints, n)
    res = linprog(np.zeros(n), A_ub=-A, b_ub=b, bounds=[(None, None)] * n, method="highs")
    if res.status == 2:
        return "infeasible", "no vertex; scipy linprog: the conditions are inconsistent"
    raise SolverError("the feasible region has no vertex (a level is unbounded in both directions); "
                      "give the levels a domain with a finite bound")


def _value(a, b, x):
    return sum(ai * xi for ai, xi in zip(a, x)) + b


def _direction(constraints, n, k):
    """An exact recession direction d (A d >= 0) with a_k . d > 0, or None (linprog, verified)."""
    from scipy.optimize import linprog

    A, _ = _matrices(constraints, n)
    res = linprog(-A[k], A_ub=-A, b_ub=np.zeros(len(A)), bounds=[(-1, 1)] * n, method="highs")
    if res.status != 0 or -res.fun <= 1e-9:
        return None
    for denominator in (10**3, 10**6, 10**9):
        d = [Fraction(v).limit_denominator(denominator) for v in res.x]
        if all(_value(a, 0, d) >= 0 for _, a, _, _ in constraints) and _value(constraints[k][1], 0, d) > 0:
            return d
    return None


def _slack_somewhere(constraints, vertices, n, k) -> bool:
    """Whether constraint k is slack at some point of the polyhedron with these vertices."""
    _, a, b, _ = constraints[k]
    if any(_value(a, b, x) > 0 for x in vertices):
        return True
    return _direction(constraints, n, k) is not None


def _slack_point(constraints, vertices, n, ids):
    """An exact point of the polyhedron where every constraint in ``ids`` is slack, or None.

    The average of the vertices is slack wherever some vertex is; a constraint tight at every
    vertex is made slack by adding a recession direction along which it grows (adding such
    directions keeps every other constraint satisfied).
    """
    point = [sum(x[j] for x in vertices) / len(vertices) for j in range(n)]
    for k in ids:
        _, a, b, _ = constraints[k]
        if _value(a, b, point) > 0:
            continue
        d = _direction(constraints, n, k)
        if d is None:
            return None
        point = [p + dj for p, dj in zip(point, d)]
    if all(_value(a, b, point) > 0 for k, (_, a, b, _) in enumerate(constraints) if k in ids) and \
            all(_value(a, b, point) >= 0 for _, a, b, _ in constraints):
        return point
    return None  # pragma: no cover - guarded by the construction above
