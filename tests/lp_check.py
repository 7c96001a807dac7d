"""An independent check of the cheapest policy mix: vertex enumeration with exact rationals.

:func:`coopgame.findings.policy_mix` takes the mix from :func:`coopgame.analysis.cheapest_policy`
(an exact linear programme); :func:`cheapest_mix` computes the same infimum by enumerating the
vertices of the closed stabilising region with :func:`coopgame.core.exact.solve_rational`. It
lives with the tests because it is a check, not a second production path.
"""

import itertools
from collections.abc import Sequence
from fractions import Fraction

import sympy

from coopgame.analysis import strict_nash_condition
from coopgame.core.exact import solve_rational
from coopgame.errors import SolverError
from coopgame.findings import PolicyMix, _for, public_cost
from coopgame.models import Model


def _linear_rows(condition, variables):
    """The condition (a conjunction of strict or weak linear inequalities in ``variables``
    with numeric coefficients) as rows ``(a, b)`` meaning ``a . x >= b`` (closure)."""
    if condition is sympy.true:
        return []
    if condition is sympy.false:
        return None
    atoms = condition.args if isinstance(condition, sympy.And) else (condition,)
    rows = []
    for rel in atoms:
        if not isinstance(rel, sympy.core.relational.Relational):
            raise SolverError(f"condition {rel} is not an inequality")
        d = rel.lhs - rel.rhs if rel.rel_op in (">", ">=") else rel.rhs - rel.lhs
        d = sympy.expand(d)
        coeffs = []
        for v in variables:
            c = d.coeff(v)
            if c.free_symbols or not c.is_number:
                raise SolverError(f"condition {rel} is not linear in the instruments")
            coeffs.append(Fraction(str(c)))
        const = d.subs(dict.fromkeys(variables, 0))
        if not const.is_number or sympy.expand(d - sum(sympy.Rational(c.numerator, c.denominator) * v
                                                        for c, v in zip(coeffs, variables)) - const) != 0:
            raise SolverError(f"condition {rel} is not linear in the instruments")
        rows.append((tuple(coeffs), -Fraction(str(const))))
    return rows



def cheapest_mix(model: Model, instrument_names: Sequence[str] = ()) -> tuple[PolicyMix | None, str]:
    """The cheapest mix of the model's instruments making full cooperation stable.

    Minimises the public spending at the cooperative state over the closure of the set of
    instrument levels (other parameters at their defaults) for which the target is a strict Nash
    equilibrium of the game with every instrument. The set is a polyhedron when the conditions
    are linear in the levels; the minimum of a linear cost over it is attained at a vertex, found
    by enumerating every choice of active constraints with exact rational arithmetic. The
    infimum over the open set equals this minimum whenever the open set is non-empty (then its
    closure is the closed polyhedron), which the documented policy level shows.

    Parameters
    ----------
    model : Model
    instrument_names : sequence of str, optional
        Restrict the mix to these instruments (default: all of the model's).

    Returns
    -------
    (PolicyMix or None, str)
        The mix and an empty note, or ``None`` and the reason no mix was computed.

    Examples
    --------
    Paid instruments only, in the flagship: the enterprise needs :math:`6\tau + s > 1` at the
    defaults and the government pays :math:`6\tau + s`, so the infimum cost is 1.

    >>> from coopgame.models import get
    >>> mix, note = cheapest_mix(get("government_school_enterprise"), ["tax_relief", "fund_guarantee"])
    >>> mix.cost, mix.levels
    (1, (('tau', 0), ('s', 1)))
    """
    game = model.with_policy(*instrument_names)
    target = model.target
    inst = [p for p in model.instrument_parameters if p.name in {q.name for q in game.parameters}]
    if not inst:
        return None, "the model has no instrument parameters"
    variables = [p.symbol for p in inst]
    others = {s: v for s, v in _for(game, model.defaults).items() if s not in variables}
    cond = strict_nash_condition(game, target)
    cond = cond.xreplace(others) if cond not in (sympy.true, sympy.false) else cond
    cost = public_cost(game, target).xreplace(others)
    try:
        rows = _linear_rows(cond, variables)
        cost_rows = _linear_rows(sympy.GreaterThan(cost, 0, evaluate=False), variables) if cost.free_symbols \
            else [((Fraction(0),) * len(variables), -Fraction(str(cost)))]
    except SolverError as exc:
        return None, f"not computed: {exc}"
    if rows is None:
        return None, "no mix of the instruments makes full cooperation stable"
    c = cost_rows[0][0]
    c0 = -cost_rows[0][1]
    bounds = []
    for k, p in enumerate(inst):
        iv = p.domain.interval
        unit = tuple(Fraction(1 if j == k else 0) for j in range(len(inst)))
        if iv.start.is_finite:
            bounds.append((unit, Fraction(str(iv.start))))
        if iv.end.is_finite:
            bounds.append((tuple(-x for x in unit), -Fraction(str(iv.end))))
        elif c[k] < 0:
            return None, f"not computed: spending decreases without bound in {p.name}"
    allrows = rows + bounds
    n = len(variables)
    best = None
    for subset in itertools.combinations(range(len(allrows)), n):
        x = solve_rational([allrows[i][0] for i in subset], [allrows[i][1] for i in subset])
        if x is None:
            continue
        if any(sum(a * xi for a, xi in zip(row, x)) < rhs for row, rhs in allrows):
            continue
        value = sum(ci * xi for ci, xi in zip(c, x)) + c0
        key = (value, sum(1 for xi in x if xi != 0), tuple(x))
        if best is None or key < best[0]:
            best = (key, x)
    if best is None:
        if all(p.domain.interval.start.is_finite for p in inst):
            # Every level is bounded below, so a non-empty closed region would have a vertex.
            return None, "no mix of the instruments makes full cooperation stable"
        return None, "not computed: the closed region has no vertex"
    (value, _, _), x = best
    levels = tuple((p.name, sympy.Rational(v.numerator, v.denominator)) for p, v in zip(inst, x))
    free = tuple(p.name for p, ci in zip(inst, c) if ci == 0)
    return PolicyMix(levels, sympy.Rational(value.numerator, value.denominator), free), ""
