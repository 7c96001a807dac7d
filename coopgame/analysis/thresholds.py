"""Thresholds: the exact set of values of one parameter for which a condition holds.

For a condition :math:`\\varphi(x, \\theta)` on a parameter :math:`x` with domain :math:`D` and
other parameters :math:`\\theta`, :func:`threshold` returns :math:`\\{x \\in D : \\varphi(x,
\\theta)\\}` exactly. When every other parameter has a value the answer is a sympy set (any
condition sympy can solve in one variable). When some are left symbolic, the condition must be a
conjunction of inequalities linear in :math:`x`; each inequality :math:`a x + b > 0` (or
:math:`\\ge`) is solved for :math:`x`, splitting into the cases :math:`a > 0`, :math:`a < 0` and
:math:`a = 0` when the sign of the coefficient :math:`a` is not implied by the parameters'
domains. In each case the set is an interval whose ends are the largest lower bound and the
smallest upper bound; it is non-empty iff every lower bound lies below every upper bound (with
``<=`` only when both are attained), and its infimum is attained iff some non-strict lower bound
exceeds every strict one. These statements are exact sympy Booleans, so they stay valid for every
value of the remaining parameters.

:func:`minimum_instrument` answers the usual policy question with it: the smallest level of an
instrument that makes a target profile evolutionarily stable. In multi-population replicator
dynamics a pure profile is asymptotically stable iff it is a strict Nash equilibrium (Selten,
"A note on evolutionarily stable strategies in asymmetric animal conflicts", 1980), so the
condition is the conjunction of strict deviation inequalities from
:func:`coopgame.equilibria.pure_equilibria`; being strict, the infimum is usually not attained.

Examples
--------
>>> import sympy
>>> from coopgame.analysis import threshold
>>> s = sympy.Symbol("s", nonnegative=True)
>>> t = threshold(s + 3 > 5, s)
>>> t.set, t.infimum, t.infimum_attained
(Interval.open(2, oo), 2, False)
>>> R, C = sympy.symbols("R C", real=True)
>>> print(threshold(R - C + s > 0, s).infimum)
Max(0, C - R)
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sympy

from ..core.errors import ParameterError, SolverError, UnknownNameError
from ..core.exact import as_condition, domain_of_symbol
from ..core.formatting import format_set, math_text
from ..core.parameters import Parameter, to_exact

__all__ = ["Threshold", "ThresholdCase", "threshold", "minimum_instrument", "as_game", "strict_nash_condition"]

_REL = (sympy.StrictGreaterThan, sympy.GreaterThan, sympy.StrictLessThan, sympy.LessThan)


@dataclass(frozen=True)
class ThresholdCase:
    """The answer in one case of the sign split.

    Attributes
    ----------
    when : sympy Boolean
        The case: a condition on the other parameters (``True`` when there is no split).
    set : sympy.Set
        Values of the parameter, within its domain, for which the condition holds in this case.
    infimum, supremum : sympy.Expr
        The ends of ``set`` (``oo``/``-oo`` when unbounded).
    infimum_attained, supremum_attained : sympy Boolean
        Whether the ends belong to the set (exact conditions; ``True``/``False`` when decided).
    feasible : sympy Boolean
        Whether the set is non-empty in this case.
    """

    when: Any
    set: Any
    infimum: Any
    supremum: Any
    infimum_attained: Any
    supremum_attained: Any
    feasible: Any


@dataclass(frozen=True)
class Threshold:
    """The exact set of admissible values of one parameter for which a condition holds.

    Attributes
    ----------
    parameter : sympy.Symbol
        The parameter solved for.
    domain : sympy.Set
        Its domain.
    condition : sympy Boolean
        The condition, after substituting the given values.
    cases : tuple of ThresholdCase
        One case when the answer needs no case split, else one per sign pattern of the
        coefficients of the parameter (cases whose ``when`` is identically false are dropped).
    description : str
        What was asked (for tables).
    outside_spending : sympy.Expr or None
        For :func:`minimum_instrument`: what the outside budget pays at the target profile.
    """

    parameter: Any
    domain: Any
    condition: Any
    cases: tuple
    description: str = ""
    outside_spending: Any = field(default=None, compare=False)

    def _pick(self, attr):
        if len(self.cases) == 1 and self.cases[0].when is sympy.true:
            return getattr(self.cases[0], attr)
        # Outside every case the set is empty: infimum +oo, supremum -oo.
        empty = sympy.oo if attr == "infimum" else -sympy.oo
        return sympy.Piecewise(*[(getattr(c, attr), c.when) for c in self.cases], (empty, True))

    def _pick_bool(self, attr):
        if len(self.cases) == 1 and self.cases[0].when is sympy.true:
            return getattr(self.cases[0], attr)
        return sympy.simplify_logic(sympy.Or(*[sympy.And(c.when, getattr(c, attr)) for c in self.cases]))

    @property
    def set(self):
        """The admissible set: a sympy set, or a ``ConditionSet`` when the answer has cases."""
        if len(self.cases) == 1 and self.cases[0].when is sympy.true:
            return self.cases[0].set
        return sympy.ConditionSet(self.parameter, self.condition, self.domain)

    @property
    def infimum(self):
        """The smallest admissible value (``Piecewise`` over the cases when there are several)."""
        return self._pick("infimum")

    @property
    def supremum(self):
        """The largest admissible value (``Piecewise`` over the cases when there are several)."""
        return self._pick("supremum")

    @property
    def infimum_attained(self):
        """Whether the infimum is admissible itself (a sympy Boolean)."""
        return self._pick_bool("infimum_attained")

    @property
    def supremum_attained(self):
        """Whether the supremum is admissible itself (a sympy Boolean)."""
        return self._pick_bool("supremum_attained")

    @property
    def feasible(self):
        """Whether some admissible value satisfies the condition (``True``, ``False`` or a condition)."""
        return self._pick_bool("feasible")

    def holds(self, value, values: Mapping | None = None) -> bool:
        """Whether the condition holds at ``parameter = value`` (other parameters from ``values``)."""
        vals = _values_by_symbol(values or {}, self.condition.free_symbols | {self.parameter})
        vals[self.parameter] = to_exact(value, name=f"parameter {self.parameter.name!r}")
        inside = self.domain.contains(vals[self.parameter])
        result = sympy.And(self.condition, inside).xreplace(vals)
        if result not in (sympy.true, sympy.false):
            result = sympy.simplify(result)
        if result not in (sympy.true, sympy.false):
            raise ParameterError(f"condition {math_text(self.condition)} could not be decided at the given values")
        return bool(result)

    def infeasible_text(self) -> str:
        """The sentence for an empty answer, in words (``EmptySet`` and ``oo`` read badly).

        Examples
        --------
        >>> import sympy
        >>> s = sympy.Symbol("s", nonnegative=True)
        >>> threshold(s < -1, s, description="level of s making (deep, participate) evolutionarily stable"
        ...           ).infeasible_text()
        'no level of s makes (deep, participate) evolutionarily stable'
        """
        p = self.parameter.name
        lead = f"level of {p} making "
        if self.description.startswith(lead):
            return f"no level of {p} makes {self.description[len(lead):]}"
        return f"no admissible value of {p} satisfies {self.description or 'the condition'}"

    def rows(self) -> list[list]:
        """Table rows: case, set, infimum (attained?), supremum (attained?), feasible."""
        return [[c.when, c.set, c.infimum, c.infimum_attained, c.supremum, c.supremum_attained, c.feasible]
                for c in self.cases]

    _HEADER = ("case", "set", "infimum", "attained", "supremum", "attained", "feasible")

    def to_dicts(self) -> list[dict]:
        """One row per case, exact: case, set, infimum (attained), supremum (attained), feasible."""
        keys = ("case", "set", "infimum", "infimum attained", "supremum", "supremum attained", "feasible")
        return [dict(zip(keys, row)) for row in self.rows()]

    def to_dataframe(self, numeric: bool = False):
        """The cases as a pandas DataFrame (see :meth:`to_dicts`); exact unless ``numeric``."""
        from ..core.frames import frame

        return frame(self.to_dicts(), numeric=numeric)

    def to_markdown(self) -> str:
        """The answer as a Markdown table, one row per case."""
        from ..core.formatting import markdown_table

        title = f"**{self.description}**\n\n" if self.description else ""
        return title + markdown_table(self._HEADER, self.rows())

    def to_latex(self) -> str:
        """The answer as a LaTeX ``tabular``, one row per case."""
        from ..core.formatting import latex_table

        return latex_table(self._HEADER, self.rows())

    def _repr_markdown_(self):
        return self.to_markdown()

    def _repr_html_(self):
        from ..core.notebook import html_table

        return html_table(self._HEADER, self.rows(), caption=self.description or None)

    def _repr_latex_(self):
        x = sympy.latex(self.parameter)
        if len(self.cases) == 1 and self.cases[0].when is sympy.true:
            return f"${x} \\in {sympy.latex(self.cases[0].set)}$"
        parts = [f"{sympy.latex(c.set)} & \\text{{if }} {sympy.latex(c.when)}" for c in self.cases]
        parts.append(r"\emptyset & \text{otherwise}")
        return f"${x} \\in \\begin{{cases}} " + r" \\ ".join(parts) + r" \end{cases}$"

    def __str__(self):
        lines = [f"{self.description or 'threshold'} for {self.parameter}:"]
        for c in self.cases:
            prefix = "" if c.when is sympy.true else f"  if {math_text(c.when)}: "
            answer = self.infeasible_text() if c.set is sympy.S.EmptySet else f"{self.parameter} in {format_set(c.set)}"
            lines.append(f"{prefix or '  '}{answer}")
        return "\n".join(lines)


# ---------------------------------------------------------------------- helpers
def _values_by_symbol(values, symbols) -> dict:
    by_name = {s.name: s for s in symbols}
    out = {}
    for key, value in dict(values).items():
        name = key if isinstance(key, str) else getattr(key, "name", None)
        if name is None:
            raise UnknownNameError(f"parameter key {key!r} must be a name, a sympy Symbol or a Parameter")
        if isinstance(key, Parameter):
            value = key.check(value)
        if name in by_name:
            out[by_name[name]] = to_exact(value, name=f"parameter {name!r}")
    return out


def as_game(game_or_builder):
    """A :class:`~coopgame.game.Game` from a game, a model (anything with ``.game``) or a builder.

    A builder is a callable with no required arguments returning a game.
    """
    from ..core.game import Game

    obj = game_or_builder
    if isinstance(obj, Game):
        return obj
    inner = getattr(obj, "game", None)
    if isinstance(inner, Game):
        return inner
    if callable(inner):
        inner = inner()
        if isinstance(inner, Game):
            return inner
    if callable(obj):
        made = obj()
        if isinstance(made, Game):
            return made
        raise SolverError(f"the builder {obj!r} returned {type(made).__name__}, not a Game")
    raise SolverError(f"expected a Game, a model with a .game or a builder returning a Game; got {obj!r}")


def _resolve_parameter(parameter, game, condition):
    """(symbol, domain set) of the parameter to solve for."""
    if isinstance(parameter, Parameter):
        return parameter.symbol, parameter.domain.interval
    name = parameter.name if isinstance(parameter, sympy.Symbol) else parameter
    if not isinstance(name, str):
        raise UnknownNameError(f"parameter must be a name, a sympy Symbol or a Parameter, got {parameter!r}")
    if game is not None:
        try:
            p = game.parameter(name)
        except UnknownNameError:
            p = None
        if p is not None:
            return p.symbol, p.domain.interval
    if isinstance(parameter, sympy.Symbol):
        return parameter, domain_of_symbol(parameter)
    for sym in getattr(condition, "free_symbols", ()):
        if sym.name == name:
            return sym, domain_of_symbol(sym)
    raise UnknownNameError(f"parameter {name!r} does not occur in the condition {math_text(condition)}")


def _as_condition(condition, game):
    from ..equilibria import Equilibrium

    if isinstance(condition, Equilibrium):
        return condition.condition
    table = {p.name: p.symbol for p in game.parameters} if game is not None else None
    return as_condition(condition, table, "the threshold's condition")


def _relationals(cond):
    """The relationals of a conjunction, or None if the condition is not a conjunction of them."""
    if cond in (sympy.true, sympy.false):
        return []
    parts = sympy.And.make_args(cond)
    if all(isinstance(p, _REL) for p in parts):
        return list(parts)
    return None


def _normal(rel):
    """A relational as (d, strict) meaning d > 0 (strict) or d >= 0."""
    if isinstance(rel, (sympy.StrictGreaterThan, sympy.GreaterThan)):
        d = rel.lhs - rel.rhs
    else:
        d = rel.rhs - rel.lhs
    return sympy.expand(d), isinstance(rel, (sympy.StrictGreaterThan, sympy.StrictLessThan))


def _interval_bounds(domain):
    if domain is sympy.S.Reals:
        return (sympy.S.NegativeInfinity, True), (sympy.S.Infinity, True)
    if not isinstance(domain, sympy.Interval):
        raise SolverError(f"parameter domain {format_set(domain)} is not an interval")
    return (domain.start, bool(domain.left_open)), (domain.end, bool(domain.right_open))


def _case(when, lowers, uppers, x):
    """One ThresholdCase from lists of (bound, strict) lower and upper bounds (domain included)."""
    finite_l = [(b, s) for b, s in lowers if b is not sympy.S.NegativeInfinity]
    finite_u = [(b, s) for b, s in uppers if b is not sympy.S.Infinity]
    inf = sympy.Max(*[b for b, _ in finite_l]) if finite_l else sympy.S.NegativeInfinity
    sup = sympy.Min(*[b for b, _ in finite_u]) if finite_u else sympy.S.Infinity
    feasible = [when]
    for (lo, ls), (hi, hs) in itertools.product(finite_l, finite_u):
        feasible.append(sympy.StrictLessThan(lo, hi) if (ls or hs) else sympy.LessThan(lo, hi))
    feasible = _simplify_bool(sympy.And(*feasible))

    def attained(bounds, extreme, greater):
        strict = [b for b, s in bounds if s]
        closed = [b for b, s in bounds if not s]
        if not closed:
            return sympy.false
        best = (sympy.Max if greater else sympy.Min)(*closed)
        conds = [feasible] + [(sympy.StrictGreaterThan if greater else sympy.StrictLessThan)(best, b) for b in strict]
        return _simplify_bool(sympy.And(*conds))

    inf_att = attained(finite_l, inf, True) if finite_l else sympy.false
    sup_att = attained(finite_u, sup, False) if finite_u else sympy.false
    if feasible is sympy.false:
        the_set = sympy.S.EmptySet
    elif _decided(inf_att, feasible) is not None and _decided(sup_att, feasible) is not None:
        # An end attained whenever the set is non-empty is a closed end (an interval with crossed
        # symbolic ends is empty, so this stays exact).
        the_set = sympy.Interval(inf, sup, not _decided(inf_att, feasible), not _decided(sup_att, feasible))
    else:
        the_set = sympy.Intersection(*[sympy.Interval(b, sympy.oo, s, True) for b, s in finite_l],
                                     *[sympy.Interval(-sympy.oo, b, True, s) for b, s in finite_u],
                                     evaluate=True) if (finite_l or finite_u) else sympy.S.Reals
    return ThresholdCase(when, the_set, inf, sup, inf_att, sup_att, feasible)


def _decided(attained, feasible):
    """True if an end is attained whenever the set is non-empty, False if never, else None."""
    if attained is sympy.false:
        return False
    if attained is sympy.true or attained == feasible:
        return True
    return None


def _simplify_bool(b):
    if b in (sympy.true, sympy.false):
        return b
    try:
        out = sympy.simplify(b)
    except Exception:  # pragma: no cover - sympy may fail on exotic Booleans; keep the exact form
        return b
    return out


def _linear_set(cond, x):
    """The set where a conjunction of inequalities linear in ``x`` with rational coefficients
    holds, as an interval (or the empty set); None for any other condition.

    ``a x + b > 0`` is ``x > -b/a`` for ``a > 0`` and ``x < -b/a`` for ``a < 0`` (``>=`` keeps
    the end): the set sympy's univariate solver finds, without its general machinery.
    """
    parts = sympy.And.make_args(cond)
    if not all(isinstance(p, _REL) for p in parts):
        return None
    out = []
    for rel in parts:
        d, strict = _normal(rel)
        if d.free_symbols - {x}:
            return None
        a, b = d.coeff(x, 1), d.coeff(x, 0)
        if not (a.is_Rational and b.is_Rational) or sympy.expand(a * x + b - d) != 0:
            return None  # not linear with rational coefficients
        if a == 0:  # a constant: true or false everywhere
            if b < 0 or (strict and b == 0):
                return sympy.S.EmptySet
            continue
        end = -b / a
        out.append(sympy.Interval(end, sympy.oo, strict, True) if a > 0 else sympy.Interval(-sympy.oo, end, True, strict))
    return sympy.Intersection(*out) if out else sympy.S.Reals


def _numeric_case(cond, x, domain):
    """Exact set for a condition in x only, via sympy's univariate solvers (directly for a
    conjunction of linear inequalities, see :func:`_linear_set`)."""
    try:
        solved = (sympy.S.Reals if cond is sympy.true else sympy.S.EmptySet) if cond in (sympy.true, sympy.false) \
            else _linear_set(cond, x)
        if solved is None:
            solved = cond.as_set()
    except (NotImplementedError, ValueError, TypeError) as exc:
        raise SolverError(f"cannot solve {math_text(cond)} for {x}: {exc}") from None
    the_set = sympy.Intersection(solved, domain)
    if the_set is sympy.S.EmptySet:
        return ThresholdCase(sympy.true, the_set, sympy.oo, -sympy.oo, sympy.false, sympy.false, sympy.false)
    inf, sup = the_set.inf, the_set.sup
    inf_att = sympy.true if inf.is_finite and the_set.contains(inf) is sympy.true else sympy.false
    sup_att = sympy.true if sup.is_finite and the_set.contains(sup) is sympy.true else sympy.false
    return ThresholdCase(sympy.true, the_set, inf, sup, inf_att, sup_att, sympy.true)


# ---------------------------------------------------------------------- API
def threshold(condition, parameter, values: Mapping | None = None, game=None, *, description: str = "") -> Threshold:
    """The exact set of values of ``parameter`` (within its domain) for which ``condition`` holds.

    Parameters
    ----------
    condition : sympy Boolean, str or Equilibrium
        The condition; text goes through the safe parser (with the game's symbols when ``game``
        is given); an :class:`~coopgame.equilibria.Equilibrium` contributes its condition.
    parameter : str, sympy.Symbol or Parameter
        The parameter to solve for. Its domain comes from the ``Parameter``, from ``game``, or
        from the symbol's assumptions (nonnegative symbol: ``[0, oo)``).
    values : mapping, optional
        Values of other parameters (by name, symbol or Parameter). Parameters left without a
        value stay symbolic; then the condition must be linear in ``parameter``.
    game : Game, optional
        Supplies the parameters' symbols and domains.

    Returns
    -------
    Threshold
        With the set, its infimum and supremum, whether they are attained, and feasibility,
        split into cases when the sign of a coefficient of ``parameter`` is not known.

    Raises
    ------
    ExpressionError
        ``condition`` is not a condition (text, a bool, a sympy Boolean or an
        :class:`~coopgame.equilibria.Equilibrium`), or its text is not one the safe parser reads.
    SolverError
        The condition cannot be solved exactly (not linear in the parameter while other
        parameters are symbolic, or beyond sympy's univariate solvers).

    Examples
    --------
    >>> import sympy
    >>> a, s = sympy.Symbol("a", real=True), sympy.Symbol("s", nonnegative=True)
    >>> print(threshold(a * s > 1, s))
    threshold for s:
      if a > 0: s in (1/a, ∞)
    >>> b = sympy.Symbol("b", real=True)
    >>> for case in threshold(a * s >= b, s).cases:
    ...     print(case.when, "|", case.set, "|", case.feasible)
    a > 0 | Interval(Max(0, b/a), oo) | a > 0
    a < 0 | Interval(0, b/a) | (a < 0) & (b/a >= 0)
    Eq(a, 0) & (b <= 0) | Interval(0, oo) | Eq(a, 0) & (b <= 0)
    >>> threshold(a * s > 1, s, values={"a": 4}).infimum
    1/4
    >>> threshold("s**2 <= 2", s).set
    Interval(0, sqrt(2))
    """
    cond = _as_condition(condition, game)
    x, domain = _resolve_parameter(parameter, game, cond)
    cond = cond.xreplace({s: x for s in cond.free_symbols if s.name == x.name and s != x})
    if values:
        cond = _at_values(cond, x, values, game)
    others = cond.free_symbols - {x}
    if not others:
        return Threshold(x, domain, cond, (_numeric_case(cond, x, domain),), description)
    rels = _relationals(cond)
    if rels is None:
        raise SolverError(
            f"cannot solve {cond} for {x} with {', '.join(sorted(s.name for s in others))} symbolic: "
            "only conjunctions of inequalities are solved symbolically; give values for the other parameters"
        )
    bounds = _interval_bounds(domain)
    linear = _linear_in(rels, x)
    cases = []
    seen = set()
    for combo in itertools.product(*_sign_options(linear)):
        sub = _sign_case(combo, linear, x, bounds)
        if sub is None:
            continue
        key = (sub.when, sub.set)
        if key in seen:
            continue
        seen.add(key)
        cases.append(sub)
    if not cases:
        cases = [ThresholdCase(sympy.true, sympy.S.EmptySet, sympy.oo, -sympy.oo, sympy.false, sympy.false,
                               sympy.false)]
    return Threshold(x, domain, cond, tuple(cases), description)


def _at_values(cond, x, values, game):
    """``cond`` with the other parameters' ``values`` substituted (checked against ``game``)."""
    symbols = set(cond.free_symbols)
    if game is not None:
        symbols |= set(game.symbols)
    vals = _values_by_symbol(values, symbols)
    if game is not None:
        for sym, v in vals.items():
            game.parameter(sym.name).check(v)
    vals.pop(x, None)
    cond = cond.xreplace(vals)
    if cond not in (sympy.true, sympy.false):
        cond = _simplify_bool(cond) if not cond.free_symbols else cond
    return cond


def _linear_in(rels, x) -> list:
    """Each relation as ``(a, b, strict)`` meaning ``a x + b > 0`` (or ``>= 0``)."""
    linear = []
    for rel in rels:
        d, strict = _normal(rel)
        poly = sympy.Poly(d, x)
        if poly.degree() > 1 or any(c.has(x) for c in poly.all_coeffs()):
            raise SolverError(f"condition {rel} is not linear in {x}; give values for the other parameters")
        a, b = (poly.all_coeffs() if poly.degree() == 1 else [sympy.Integer(0), poly.all_coeffs()[0]])
        linear.append((sympy.expand(a), sympy.expand(b), strict))
    return linear


def _sign_options(linear) -> list:
    """Sign options per coefficient: decided by assumptions, or split three ways."""
    options = []
    for a, _b, _s in linear:
        if a == 0:
            options.append([(0, sympy.true)])
        elif a.is_positive:
            options.append([(1, sympy.true)])
        elif a.is_negative:
            options.append([(-1, sympy.true)])
        else:
            opts = []
            if a.is_nonpositive is not True:
                opts.append((1, sympy.StrictGreaterThan(a, 0)))
            if a.is_nonnegative is not True:
                opts.append((-1, sympy.StrictLessThan(a, 0)))
            if a.is_nonzero is not True:
                opts.append((0, sympy.Eq(a, 0)))
            options.append(opts)
    return options


def _sign_case(combo, linear, x, bounds):
    """The case of one sign pattern of the coefficients (None when it is empty or contradictory)."""
    (dlo, dlo_open), (dhi, dhi_open) = bounds
    when = sympy.And(*[c for _, c in combo])
    if when is sympy.false:
        return None
    lowers = [(dlo, dlo_open)]
    uppers = [(dhi, dhi_open)]
    constants = []
    # Within a case, a coefficient that is one symbol gets the case's sign as an assumption
    # (a stand-in symbol), so that sympy can compare bounds; the symbol is restored afterwards.
    rep, back = {}, {}
    for (sign, _), (a, _b, _s) in zip(combo, linear):
        if isinstance(a, sympy.Symbol) and a not in rep:
            if sign == 0:
                rep[a] = sympy.Integer(0)
            else:
                stand_in = sympy.Dummy(a.name, positive=sign > 0, negative=sign < 0)
                rep[a], back[stand_in] = stand_in, a
    for (sign, _), (a, b, strict) in zip(combo, linear):
        a, b = a.xreplace(rep), b.xreplace(rep)
        if sign != 0 and (a.is_zero or (a.is_positive and sign < 0) or (a.is_negative and sign > 0)):
            return None  # the case's assumptions decide this coefficient otherwise
        if sign == 0:
            constants.append(sympy.StrictGreaterThan(b, 0) if strict else sympy.GreaterThan(b, 0))
        elif sign > 0:
            lowers.append((sympy.simplify(-b / a), strict))
        else:
            uppers.append((sympy.simplify(-b / a), strict))
    when = _simplify_bool(sympy.And(when, *[c.xreplace(back) for c in constants]))
    if when is sympy.false:
        return None
    sub = _case(sympy.And(*constants), lowers, uppers, x)
    if back:
        sub = ThresholdCase(*(v.xreplace(back) for v in (sub.when, sub.set, sub.infimum, sub.supremum,
                                                          sub.infimum_attained, sub.supremum_attained,
                                                          sub.feasible)))
    if sub.feasible is not sympy.false:
        sub = ThresholdCase(sub.when, sub.set, sub.infimum, sub.supremum, sub.infimum_attained,
                            sub.supremum_attained, _simplify_bool(sympy.And(when, sub.feasible)))
    # Report the case by its sign pattern; constants belong to feasibility.
    sub = ThresholdCase(when, sub.set, sub.infimum, sub.supremum, sub.infimum_attained,
                        sub.supremum_attained, sub.feasible)
    return None if sub.feasible is sympy.false else sub


def strict_nash_condition(game, target_profile):
    """The exact condition under which ``target_profile`` is a strict Nash equilibrium.

    This is the condition for the vertex to be asymptotically stable in the multi-population
    replicator dynamics (Selten 1980); ``False`` when it can never hold.
    """
    from ..dynamics.state import is_state_dependent
    from ..equilibria.pure import pure_condition

    names = game.profile_names(target_profile)
    if is_state_dependent(game):  # dynamic instruments: the vertex's exact stability condition
        return game.replicator().stability(include="vertices").row(names).condition
    return pure_condition(game, names, strict=True)  # the target's own deviations, not every profile's


def minimum_instrument(game_or_builder, target_profile, parameter, values: Mapping | None = None) -> Threshold:
    """The smallest level of an instrument that makes a target profile evolutionarily stable.

    Parameters
    ----------
    game_or_builder : Game, model or callable
        The game with the instrument applied at a symbolic level (see :func:`as_game`).
    target_profile : tuple or mapping
        The pure profile to stabilise (for example full cooperation).
    parameter : str, sympy.Symbol or Parameter
        The instrument's level.
    values : mapping, optional
        Values of the other parameters; those left out stay symbolic.

    Returns
    -------
    Threshold
        Its ``infimum`` is the smallest level (``infimum_attained`` says whether that level itself
        works: the conditions are strict, so usually not), ``feasible`` whether any level works,
        and ``outside_spending`` what the outside budget pays at the target profile.

    Examples
    --------
    >>> from coopgame import Game
    >>> from coopgame.policy import Subsidy
    >>> g = Game(["school", "enterprise"], [["deep", "shallow"], ["participate", "nominal"]],
    ...          {("deep", "participate"): [3, "2 - C"], ("deep", "nominal"): [-1, 0],
    ...           ("shallow", "participate"): [0, "-C"], ("shallow", "nominal"): [0, 0]})
    >>> g = g.with_policy(Subsidy("enterprise", "s", when={"enterprise": "participate"}))
    >>> t = minimum_instrument(g, ("deep", "participate"), "s", values={"C": 5})
    >>> t.infimum, t.infimum_attained, t.outside_spending
    (3, False, s)
    """
    game = as_game(game_or_builder)
    from ..policy import outside_spending

    cond = strict_nash_condition(game, target_profile)
    names = game.profile_names(target_profile)
    spending = outside_spending(game, names)
    from ..dynamics.state import at_profile

    spending = at_profile(game, spending, names)  # a dynamic instrument pays its amount at the vertex
    if values:
        vals = _values_by_symbol(values, set(game.symbols))
        x, _ = _resolve_parameter(parameter, game, cond)
        vals.pop(x, None)
        spending = spending.xreplace(vals)
    desc = f"level of {getattr(parameter, 'name', parameter)} making ({', '.join(names)}) evolutionarily stable"
    result = threshold(cond, parameter, values=values, game=game, description=desc)
    return Threshold(result.parameter, result.domain, result.condition, result.cases, desc, spending)


