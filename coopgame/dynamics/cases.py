"""Cases under assumptions: eigenvalue signs decided from the model's assumptions, and the case table.

Papers list, after the Jacobian at every pure vertex, "Case 1 ... Case n": which vertices are
evolutionarily stable (ESS: asymptotically stable vertices, the strict Nash equilibria, Selten
1980) under which conditions on the parameters, given the model's assumptions. This module
computes that table exactly.

*Signs under assumptions.* An eigenvalue :math:`e` at a vertex is a polynomial in the parameters.
It is **negative** under assumptions :math:`A` when :math:`A \\wedge e \\ge 0` is infeasible,
**positive** when :math:`A \\wedge e \\le 0` is infeasible, and otherwise **depends**, with the
deciding condition :math:`e < 0`. Feasibility of a conjunction of linear inequalities (strict or
not) over the reals is decided exactly by Fourier–Motzkin elimination in rational arithmetic
(strictness is carried through every combination, so the test is exact). Products of parameters
are replaced by fresh unknowns (a relaxation: a product of positive parameters is kept positive),
so "infeasible" is always proved, and a sign that needs more than linear reasoning is reported as
depending.

*Cases.* The admissible region (domains and assumptions) is split by a binary decision tree: at
each node, a vertex whose ESS status is not yet decided gets one undecided eigenvalue :math:`e`,
and the node splits into :math:`e < 0` and :math:`e \\ge 0`. Branches proved empty are dropped,
and two sibling leaves with the same ESS set are merged. The leaves are disjoint and cover the
admissible region exactly; each has its condition and its set of ESS. A case whose region has no
interior (it needs some non-strict inequality to hold with equality) is marked ``boundary``:
there some vertex is non-hyperbolic.

Examples
--------
>>> import sympy
>>> from coopgame import Game, Parameter
>>> from coopgame.parameters import POSITIVE
>>> g = Game(["school", "enterprise"], {"school": ["deep", "shallow"], "enterprise": ["join", "refuse"]},
...          {("deep", "join"): ["R - C", "V - K"], ("deep", "refuse"): ["-C", 0],
...           ("shallow", "join"): [0, "-K"], ("shallow", "refuse"): [0, 0]},
...          parameters=[Parameter(n, domain=POSITIVE) for n in "CKRV"])
>>> table = g.replicator().stability(include="vertices")
>>> R, C = g.symbol("R"), g.symbol("C")
>>> for case in table.cases(assumptions=[R > C]).cases:
...     print(case.condition, "->", case.ess)
V > K -> (('deep', 'join'), ('shallow', 'refuse'))
K >= V -> (('shallow', 'refuse'),)
>>> [str(s) for s in decide_signs(table, [R > C])[0]]  # (deep, join): C - R and K - V
['negative', 'depends on V > K']
"""

from __future__ import annotations

import enum
import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy

from ..core.errors import ParameterError, ResourceLimitError
from ..core.exact import relation
from ..core.expressions import parse
from ..core.formatting import cell_latex, escape_latex, expr_text, markdown_table, math_text
from ..core.parameters import to_exact

__all__ = ["Sign", "SignedEigenvalue", "Case", "CaseTable", "decide_signs", "cases", "check_assumptions",
           "implies", "feasible"]

#: Default bound on the inequalities one Fourier–Motzkin elimination may hold.
DEFAULT_BUDGET = 20_000
#: Default bound on the leaves of the case tree.
DEFAULT_MAX_CASES = 512


class Sign(enum.Enum):
    """The sign of an eigenvalue under assumptions."""

    NEGATIVE = "negative"
    POSITIVE = "positive"
    ZERO = "zero"
    DEPENDS = "depends"


@dataclass(frozen=True)
class SignedEigenvalue:
    """An eigenvalue with its sign under the assumptions.

    Attributes
    ----------
    value : sympy.Expr
    sign : Sign
    condition : sympy Boolean
        The deciding condition: ``value < 0`` written as papers write it (``True``/``False`` when
        the sign is decided).
    """

    value: Any
    sign: Sign
    condition: Any

    def __str__(self):
        if self.sign is Sign.DEPENDS:
            return f"depends on {math_text(self.condition)}"
        return self.sign.value

    @property
    def label(self) -> str:
        return str(self)


@dataclass(frozen=True)
class Case:
    """One case of the table: a region of parameter space and the ESS in it.

    Attributes
    ----------
    index : int
        1-based number, as papers number their cases.
    condition : sympy Boolean
        The region (together with the assumptions and domains).
    ess : tuple of profiles
        The evolutionarily stable (asymptotically stable) vertices everywhere in the region.
    boundary : bool
        The region has no interior: it lies on a hypersurface where a vertex is non-hyperbolic.
    """

    index: int
    condition: Any
    ess: tuple
    boundary: bool = False

    def holds(self, values: Mapping) -> bool:
        """Whether the parameter ``values`` lie in the region (assumptions not checked)."""
        return _decide(self.condition, values)


@dataclass(frozen=True)
class CaseTable:
    """Disjoint cases covering the admissible parameter region, each with its ESS set.

    Attributes
    ----------
    cases : tuple of Case
        Interior cases first, then boundary cases.
    assumptions : tuple of sympy relations
        The assumptions the cases are taken under.
    parameters : tuple of sympy.Symbol
    """

    cases: tuple
    assumptions: tuple
    parameters: tuple

    def __len__(self):
        return len(self.cases)

    def __iter__(self):
        return iter(self.cases)

    @property
    def interior(self) -> tuple:
        """The cases with an interior (the ones papers tabulate); the others are boundaries."""
        return tuple(c for c in self.cases if not c.boundary)

    def case_at(self, values: Mapping) -> Case:
        """The case containing ``values`` (raises ParameterError naming a violated assumption)."""
        check_assumptions(values, self.assumptions)
        hits = [c for c in self.cases if c.holds(values)]
        if len(hits) != 1:  # the cases partition the admissible region; this is a bug if reached
            raise ParameterError(f"{len(hits)} cases contain the values {dict(values)}")
        return hits[0]

    def _rows(self, latex: bool):
        rows = []
        for c in self.cases:
            name = f"Case {c.index}" + (" (boundary)" if c.boundary else "")
            cond = cell_latex(c.condition) if latex else math_text(c.condition)
            ess = ", ".join("(" + ", ".join(p) + ")" for p in c.ess) or "none"
            rows.append([name, cond, ess])
        return rows

    def to_markdown(self) -> str:
        """Case, condition, ESS; then the assumptions."""

        text = markdown_table(["case", "condition", "ESS"], self._rows(False))
        if self.assumptions:
            text += "\n\nUnder the assumptions " + ", ".join(math_text(a) for a in self.assumptions) + "."
        return text

    def to_latex(self) -> str:
        """A booktabs ``tabularx`` table that fits the page width (conditions wrap)."""

        lines = [r"\begin{tabularx}{\linewidth}{@{}l>{\raggedright\arraybackslash}X>{\raggedright\arraybackslash}p{0.3\linewidth}@{}}",
                 r"\toprule", r"Case & Condition & ESS \\", r"\midrule"]
        for name, cond, ess in self._rows(True):
            lines.append(f"{name} & {cond} & {escape_latex(ess)} \\\\")
        lines += [r"\bottomrule", r"\end{tabularx}"]
        return "\n".join(lines)

    def _repr_markdown_(self):
        return self.to_markdown()

    def to_dicts(self) -> list[dict]:
        return [{"case": c.index, "condition": expr_text(c.condition), "ess": [list(p) for p in c.ess],
                 "boundary": c.boundary} for c in self.cases]

    def __str__(self):
        return self.to_markdown()


# ---------------------------------------------------------------------- linear feasibility
def _linear_form(expr, symbols, products):
    """``expr`` as (coefficients, constant) over ``symbols``, products of symbols as new unknowns."""
    expr = sympy.expand(expr)
    coeffs, const = {}, Fraction(0)
    for term in sympy.Add.make_args(expr):
        c, rest = term.as_coeff_Mul()
        if not c.is_Rational:
            raise _NotLinear(term)
        if rest == 1:
            const += Fraction(int(c.p), int(c.q))
            continue
        if not rest.free_symbols <= set(symbols) or not rest.is_polynomial(*rest.free_symbols):
            raise _NotLinear(term)
        if not (rest.is_Symbol):
            if rest not in products:
                products[rest] = sympy.Dummy("m")
            rest = products[rest]
        coeffs[rest] = coeffs.get(rest, Fraction(0)) + Fraction(int(c.p), int(c.q))
    return {k: v for k, v in coeffs.items() if v != 0}, const


class _NotLinear(Exception):
    pass


def _normalise(coeffs, const, strict):
    """A constraint with integer coefficients scaled to be coprime: a canonical key for duplicates.

    ``coeffs`` maps unknowns to rationals (or integers), ``const`` is rational; the result
    describes the same half-space (a positive multiple of it) with a tuple of ``(unknown, int)``
    pairs in sorted order and an integer constant.
    """
    if not coeffs:
        return (), Fraction(const), strict
    den = 1
    for q in itertools.chain(coeffs.values(), (const,)):
        d = q.denominator
        if d != 1:
            den = den * d // math.gcd(den, d)
    ints = {k: int(v * den) for k, v in coeffs.items()} if den != 1 else {k: int(v) for k, v in coeffs.items()}
    c = int(const * den)
    g = math.gcd(c, *ints.values())
    return tuple(sorted((k, v // g) for k, v in ints.items())), c // g, strict


def _tightest(rows):
    """Rows ``(pairs, const, strict)`` reduced to one per coefficient vector: the tightest.

    Of ``a.x + c >= 0`` and ``a.x + c' >= 0`` with ``c <= c'`` the first implies the second (and
    with ``c = c'`` the strict one implies the other), so dropping the weaker ones keeps the same
    solution set; constraints without unknowns are kept as they are.
    """
    best = {}
    for pairs, const, strict in rows:
        old = best.get(pairs)
        if old is None or const < old[0] or (const == old[0] and strict and not old[1]):
            best[pairs] = (const, strict)
    return best


def _opposed(best) -> bool:
    """Whether two of the (tightest) rows contradict each other alone: ``a.x + c >= 0`` and
    ``-a.x + c' >= 0`` with ``c + c' < 0`` (or ``= 0`` with one of them strict)."""
    for pairs, (const, strict) in best.items():
        if not pairs:
            continue
        other = best.get(tuple((x, -c) for x, c in pairs))
        if other is not None:
            total = const + other[0]
            if total < 0 or (total == 0 and (strict or other[1])):
                return True
    return False


def _fm_solve(constraints, budget, normalised=False):
    """Fourier–Motzkin with a witness: ``(True, point)``, ``(False, None)`` or ``(None, None)``.

    Is ``{sum a x + c > 0 (strict) or >= 0}`` feasible over the reals? Exact in integer
    arithmetic: every constraint is kept as a primitive integer vector (a positive multiple of
    the rational one), so duplicates merge and no fraction is ever formed; of the rows with one
    coefficient vector only the tightest is kept, and two opposed rows that contradict each
    other end the elimination. None: it would hold more than ``budget`` rows.

    ``point`` maps every unknown of the constraints to a :class:`~fractions.Fraction` where all
    of them hold (found by back-substitution through the eliminations), so a later system it
    satisfies is feasible without another elimination. With ``normalised`` the constraints are
    already :func:`_normalise`'s tuples ``(pairs, const, strict)``.
    """
    best = _tightest(constraints if normalised else
                     (_normalise(coeffs, const, strict) for coeffs, const, strict in constraints))
    if _opposed(best):
        return False, None
    system = [(dict(k), c, s) for k, (c, s) in best.items()]
    stages = []  # (unknown eliminated, the rows that held it)
    while True:
        rows = []
        for coeffs, const, strict in system:
            if not coeffs:
                if const < 0 or (strict and const == 0):
                    return False, None
                continue
            rows.append((coeffs, const, strict))
        if not rows:
            return True, _back_substitute(stages)
        v = _fm_variable(rows)
        pos = [r for r in rows if r[0].get(v, 0) > 0]
        neg = [r for r in rows if r[0].get(v, 0) < 0]
        rest = [r for r in rows if r[0].get(v, 0) == 0]
        if len(pos) * len(neg) + len(rest) > budget:
            return None, None
        stages.append((v, pos + neg))
        new = []
        for coeffs, const, strict in rest:
            new.append((tuple(sorted(coeffs.items())), const, strict))
        for (cp, kp, sp), (cn, kn, sn) in itertools.product(pos, neg):
            a, b = cp[v], -cn[v]
            coeffs = {}
            for x in cp.keys() | cn.keys():
                if x == v:
                    continue
                val = b * cp.get(x, 0) + a * cn.get(x, 0)
                if val:
                    coeffs[x] = val
            const = b * kp + a * kn
            g = math.gcd(const, *coeffs.values())
            if g > 1:
                coeffs = {x: c // g for x, c in coeffs.items()}
                const //= g
            new.append((tuple(sorted(coeffs.items())), const, sp or sn))
        best = _tightest(new)
        if _opposed(best):
            return False, None
        system = [(dict(k), c, s) for k, (c, s) in best.items()]


def _back_substitute(stages) -> dict:
    """A point satisfying every stage's rows, the last eliminated unknown first.

    Each stage's rows bound its unknown ``v`` given the unknowns eliminated after it (already
    chosen; an unknown that no later row holds is free and set to 0): ``v`` is put strictly
    inside the bounds, or on them where they meet and are not strict.
    """
    point = {}
    for v, rows in reversed(stages):
        lo = hi = None  # (bound, strict)
        for coeffs, const, strict in rows:
            a = coeffs[v]
            rest = Fraction(const)
            for x, c in coeffs.items():
                if x != v:
                    rest += c * point.setdefault(x, Fraction(0))
            bound = -rest / a
            if a > 0:
                if lo is None or bound > lo[0] or (bound == lo[0] and strict):
                    lo = (bound, strict)
            elif hi is None or bound < hi[0] or (bound == hi[0] and strict):
                hi = (bound, strict)
        if lo is not None and hi is not None:
            point[v] = lo[0] if lo[0] == hi[0] else (lo[0] + hi[0]) / 2
        elif lo is not None:
            point[v] = lo[0] + 1
        elif hi is not None:
            point[v] = hi[0] - 1
        else:
            point[v] = Fraction(0)
    return point


def _integral(point):
    """A point as integer numerators over one positive denominator: ``({unknown: int}, int)``."""
    den = 1
    for w in point.values():
        den = den * w.denominator // math.gcd(den, w.denominator)
    return {x: int(w * den) for x, w in point.items() if w}, den


def _holds(point, constraints) -> bool:
    """Whether an integral point (see :func:`_integral`) satisfies every constraint (its
    coefficients a mapping or :func:`_normalise`'s pairs)."""
    nums, den = point
    for coeffs, const, strict in constraints:
        total = const * den
        for x, c in (coeffs.items() if isinstance(coeffs, dict) else coeffs):
            w = nums.get(x)
            if w:
                total += c * w
        if total < 0 or (strict and total == 0):
            return False
    return True


def _fm_variable(rows):
    """The unknown whose elimination grows the system least (pairs made minus rows removed;
    ties to the smallest unknown)."""
    pos, neg = {}, {}
    for coeffs, _, _ in rows:
        for x, c in coeffs.items():
            side = pos if c > 0 else neg
            side[x] = side.get(x, 0) + 1
    return min(pos.keys() | neg.keys(),
               key=lambda x: (pos.get(x, 0) * neg.get(x, 0) - pos.get(x, 0) - neg.get(x, 0), x))


def _relations(cond) -> list:
    """The relations of a conjunction (``True`` gives none)."""
    if cond is sympy.true or cond is True:
        return []
    if isinstance(cond, sympy.And):
        out = []
        for a in cond.args:
            out += _relations(a)
        return out
    if isinstance(cond, sympy.core.relational.Relational):
        return [cond]
    raise ParameterError(f"an assumption must be a relation or a conjunction of relations, got {cond}")


def _constraints(rels, symbols, products):
    """Relations as (coefficients, constant, strict) with ``> 0`` / ``>= 0`` meaning."""
    out = []
    for rel in rels:
        if rel is sympy.true or rel is True:
            continue
        if rel is sympy.false or rel is False:
            out.append(({}, Fraction(0), True))  # 0 > 0: infeasible
            continue
        if isinstance(rel, sympy.Eq):
            d = rel.lhs - rel.rhs
            for sgn in (1, -1):
                out.append(_linear_form(sgn * d, symbols, products) + (False,))
            continue
        if rel.rel_op in (">", ">="):
            d = rel.lhs - rel.rhs
        elif rel.rel_op in ("<", "<="):
            d = rel.rhs - rel.lhs
        else:
            raise ParameterError(f"cannot use the relation {rel} as an assumption")
        out.append(_linear_form(d, symbols, products) + (rel.rel_op in (">", "<"),))
    return out


def _domain_relations(symbols, domains) -> list:
    rels = []
    for s in symbols:
        interval = None
        if domains is not None and s in domains:
            interval = domains[s]
        if isinstance(interval, sympy.Interval):
            if interval.start.is_finite:
                rels.append(sympy.StrictGreaterThan(s, interval.start, evaluate=False) if interval.left_open
                            else sympy.GreaterThan(s, interval.start, evaluate=False))
            if interval.end.is_finite:
                rels.append(sympy.StrictLessThan(s, interval.end, evaluate=False) if interval.right_open
                            else sympy.LessThan(s, interval.end, evaluate=False))
            continue
        if s.is_positive:
            rels.append(sympy.StrictGreaterThan(s, 0, evaluate=False))
        elif s.is_nonnegative:
            rels.append(sympy.GreaterThan(s, 0, evaluate=False))
        elif s.is_negative:
            rels.append(sympy.StrictLessThan(s, 0, evaluate=False))
        elif s.is_nonpositive:
            rels.append(sympy.LessThan(s, 0, evaluate=False))
    return rels


class _Context:
    """Relations known to hold (domains, assumptions, branch conditions) and the feasibility test."""

    def __init__(self, symbols, base, budget, witnesses=True):
        self.symbols = tuple(symbols)
        self.budget = budget
        self.products = {}
        self.base = list(base)
        self._memo = {}
        self._forms = {}
        self._index = {}
        self._signs = None  # (number of products, their sign constraints)
        self._base = None  # the indexed constraints of ``base``
        #: points where earlier feasible systems hold (most recently useful first); None: not kept
        self.witnesses = [] if witnesses else None

    def _indexed(self, constraint):
        """A constraint with its unknowns numbered, normalised (:func:`_normalise`): hashable,
        and the same tuple for the same half-space."""
        coeffs, const, strict = constraint
        out = {}
        for k, v in coeffs.items():
            if k not in self._index:
                self._index[k] = len(self._index)
            out[self._index[k]] = v
        return _normalise(out, const, strict)

    def _product_signs(self):
        """A product of parameters of known strict sign has that sign."""
        rels = []
        for mono, dummy in self.products.items():
            sign = 1
            ok = True
            for factor, power in mono.as_powers_dict().items():
                if power % 2 == 0 and factor.is_nonzero:
                    continue
                if factor.is_positive:
                    continue
                if factor.is_negative:
                    sign = -sign
                    continue
                ok = False
            if ok:
                rels.append(({dummy: Fraction(sign)}, Fraction(0), True))
        return rels

    def _form(self, rel):
        """The indexed constraints of one relation (None when it is not linear in the unknowns)."""
        form = self._forms.get(rel)
        if form is None:
            try:
                form = tuple(self._indexed(c) for c in _constraints([rel], self.symbols, self.products))
            except _NotLinear:
                return None
            self._forms[rel] = form
        return form

    def feasible(self, extra=()) -> bool | None:
        """Whether the known relations and ``extra`` hold together (None: undecided).

        The answer is memoised under the set of ``extra``'s normalised constraints (the same
        conditions in another order, or written differently, are one question). A system that
        a point found for an earlier feasible one satisfies is feasible without an elimination
        (the point is checked exactly, so this is a proof); else Fourier–Motzkin decides it and,
        when feasible, leaves its point for later questions.
        """
        forms = []
        for rel in extra:
            form = self._form(rel)
            if form is None:
                return None
            forms.append(form)
        key = frozenset(c for form in forms for c in form)
        if key in self._memo:
            return self._memo[key]
        base = self._base_forms()
        if base is None:
            return None
        if self._signs is None or self._signs[0] != len(self.products):
            self._signs = (len(self.products), [self._indexed(c) for c in self._product_signs()])
        # the newest conditions first: a point of an earlier system fails on them if anywhere
        cons = [c for form in reversed(forms) for c in form] + list(base) + self._signs[1]
        result = None
        if self.witnesses:
            for k, point in enumerate(self.witnesses):
                if _holds(point, cons):
                    if k:  # the most recently useful points are tried first
                        self.witnesses.insert(0, self.witnesses.pop(k))
                    result = True
                    break
        if result is None:
            result, point = _fm_solve(cons, self.budget, normalised=True)
            if result and self.witnesses is not None:
                point = _integral(point)
                if _holds(point, cons):  # checked, so a wrong point can never prove anything
                    self.witnesses.insert(0, point)
                del self.witnesses[_WITNESSES:]
        self._memo[key] = result
        return result

    def _base_forms(self):
        if self._base is None:
            out = []
            for rel in self.base:
                form = self._form(rel)
                if form is None:
                    return None
                out += form
            self._base = out
        return self._base

    def implies(self, rel, extra=()) -> bool:
        """Proved: the known relations and ``extra`` imply ``rel`` (False when not proved)."""
        return self.feasible(tuple(extra) + (_negate(rel),)) is False


#: How many witness points a context keeps.
_WITNESSES = 32


def _negate(rel):
    if rel is sympy.true or rel is sympy.false:
        return sympy.Not(rel)
    ops = {">": sympy.LessThan, ">=": sympy.StrictLessThan, "<": sympy.GreaterThan, "<=": sympy.StrictGreaterThan}
    return ops[rel.rel_op](rel.lhs, rel.rhs)


def _symbols_of(exprs) -> tuple:
    syms = set()
    for e in exprs:
        syms |= getattr(e, "free_symbols", set())
    return tuple(sorted(syms, key=lambda s: s.name))


def _as_relations(assumptions, symbols) -> list:
    out = []
    by_name = {s.name: s for s in symbols}
    for a in assumptions or ():
        if isinstance(a, str):
            a = parse(a, by_name, relational=True)
        out += _relations(a)
    return out


def feasible(relations, *, domains=None, budget: int = DEFAULT_BUDGET) -> bool | None:
    """Whether a conjunction of linear relations (strict or not) has a real solution.

    Exact Fourier–Motzkin elimination in rational arithmetic; products of parameters are
    relaxed to fresh unknowns (so ``False`` is a proof). Returns None when the elimination would
    hold more than ``budget`` inequalities.

    Examples
    --------
    >>> import sympy
    >>> x, y = sympy.symbols("x y", real=True)
    >>> feasible([x > y, y > x]), feasible([x >= y, y >= x]), feasible([x + y > 1, x < 0, y < 1])
    (False, True, False)
    """
    rels = []
    for r in relations:
        rels += _relations(r)
    symbols = _symbols_of(rels)
    ctx = _Context(symbols, _domain_relations(symbols, domains) if domains is not None else [], budget)
    return ctx.feasible(tuple(rels))


def implies(assumptions, relation, *, domains=None, budget: int = DEFAULT_BUDGET) -> bool:
    """Whether ``assumptions`` (with the symbols' domains) provably imply ``relation``.

    Examples
    --------
    >>> import sympy
    >>> R, C, s = sympy.symbols("R C s", positive=True)
    >>> implies([R > C], R + s > C), implies([R > C], R > C + s)
    (True, False)
    """
    rels = []
    for r in assumptions:
        rels += _relations(r)
    symbols = _symbols_of(rels + [relation])
    ctx = _Context(symbols, _domain_relations(symbols, domains) + rels, budget)
    return ctx.implies(relation)


# ---------------------------------------------------------------------- signs and cases
def _vertex_rows(table):
    rows = [r for r in table.rows if r.point.kind == "vertex"]
    if not table.symbolic:
        raise ParameterError("cases need a symbolic stability table (computed without values)")
    return rows


def _less_than_zero(e):
    return relation(-e, True)


def decide_signs(table, assumptions=(), *, domains=None, budget: int = DEFAULT_BUDGET) -> tuple:
    """The sign of every vertex eigenvalue of a symbolic table under the assumptions.

    Parameters
    ----------
    table : StabilityTable
        A symbolic table (``ReplicatorDynamics.stability()`` without values).
    assumptions : sequence of sympy relations or text
        For example ``Model.assumptions`` and relations the user adds.
    domains : mapping, optional
        Symbol -> sympy ``Interval``; by default the symbols' sign assumptions.

    Returns
    -------
    tuple of tuple of SignedEigenvalue
        One tuple per vertex row, in table order.
    """
    rows = _vertex_rows(table)
    eigs = [e for r in rows for e in r.eigenvalues]
    symbols = _symbols_of(eigs)
    rels = _as_relations(assumptions, symbols)
    symbols = _symbols_of(eigs + rels)
    ctx = _Context(symbols, _domain_relations(symbols, domains) + rels, budget)
    return tuple(tuple(_signed(ctx, e) for e in r.eigenvalues) for r in rows)


def _signed(ctx, e, extra=()):
    e = sympy.expand(e)
    if e.is_number:
        sign = Sign.NEGATIVE if e < 0 else Sign.POSITIVE if e > 0 else Sign.ZERO
        return SignedEigenvalue(e, sign, sympy.true if e < 0 else sympy.false)
    neg = sympy.StrictLessThan(e, 0)
    if ctx.implies(neg, extra):
        return SignedEigenvalue(e, Sign.NEGATIVE, sympy.true)
    if ctx.implies(sympy.StrictGreaterThan(e, 0), extra):
        return SignedEigenvalue(e, Sign.POSITIVE, sympy.false)
    if ctx.implies(sympy.LessThan(e, 0), extra) and ctx.implies(sympy.GreaterThan(e, 0), extra):
        return SignedEigenvalue(e, Sign.ZERO, sympy.false)
    return SignedEigenvalue(e, Sign.DEPENDS, _less_than_zero(e))


def cases(table, assumptions=(), *, domains=None, budget: int = DEFAULT_BUDGET,
          max_cases: int = DEFAULT_MAX_CASES) -> CaseTable:
    """Partition the admissible parameter region into cases with their sets of ESS.

    Parameters
    ----------
    table : StabilityTable
        A symbolic table (vertices are enough: ``stability(include="vertices")``).
    assumptions : sequence of sympy relations or text
        The model's assumptions (``Model.assumptions``) and any the user adds.
    domains : mapping, optional
        Symbol -> sympy ``Interval`` (for example ``{p.symbol: p.domain.interval for p in
        model.parameters}``); by default the symbols' sign assumptions (positive, nonnegative).
    budget : int
        Bound on the inequalities of one Fourier–Motzkin elimination; a test beyond it is
        undecided and the branch is kept (never dropped unproved).
    max_cases : int
        Bound on the leaves of the decision tree (:class:`~coopgame.errors.ResourceLimitError`
        beyond it).

    Returns
    -------
    CaseTable
        Disjoint cases whose union is the admissible region.
    """
    rows = _vertex_rows(table)
    eigs = [sympy.expand(e) for r in rows for e in r.eigenvalues]
    symbols = _symbols_of(eigs)
    rels = _as_relations(assumptions, symbols)
    symbols = _symbols_of(eigs + rels)
    ctx = _Context(symbols, _domain_relations(symbols, domains) + rels, budget)
    if ctx.feasible() is False:
        raise ParameterError("the assumptions and domains admit no parameter values: "
                             + ", ".join(str(r) for r in rels))
    profiles = [r.point.profile for r in rows]
    leaves = [0]


    tests = _sign_tests(rows)

    def status(i, branch):
        """1: ESS in the whole branch, 0: in none of it, else an undecided eigenvalue."""
        undecided = None
        for e, not_negative, negative, lo, hi in tests[i]:
            if not_negative is None:
                if e >= 0:
                    return 0
                continue
            # a branch made by splitting on e holds its sign (also where e is not linear and
            # no elimination can prove it: splitting again would never end)
            if lo in branch:
                continue
            if hi in branch:
                return 0
            if ctx.feasible(branch + (not_negative,)) is False:  # proved: e < 0
                continue
            if ctx.feasible(branch + (negative,)) is False:  # proved: e >= 0
                return 0
            if undecided is None:
                undecided = e
        return 1 if undecided is None else undecided

    def grow(branch):
        ess = []
        for i in range(len(rows)):
            st = status(i, branch)
            if st == 1:
                ess.append(profiles[i])
            elif st != 0:
                lo = _less_than_zero(st)
                hi = relation(st, False)
                kids = []
                for rel in (lo, hi):
                    b = branch + (rel,)
                    if ctx.feasible(b) is not False:
                        kids.append(grow(b))
                if len(kids) == 1:
                    return kids[0]
                first, second = kids
                if len(first) == 1 and len(second) == 1 and first[0][1] == second[0][1]:
                    return [(branch, first[0][1])]  # the same ESS set on both sides: one case
                return first + second
        leaves[0] += 1
        if leaves[0] > max_cases:
            raise ResourceLimitError(f"more than max_cases={max_cases} cases; add assumptions or raise max_cases")
        return [(branch, tuple(ess))]

    result = grow(())
    interior, boundary = [], []
    for branch, ess in result:
        strict = tuple(_strict(r) for r in branch)
        flat = ctx.feasible(strict) is False
        cond = _simplify(ctx, branch)
        (boundary if flat else interior).append((cond, ess, flat))
    out = tuple(Case(index=k + 1, condition=c, ess=e, boundary=b) for k, (c, e, b) in enumerate(interior + boundary))
    return CaseTable(cases=out, assumptions=tuple(rels), parameters=symbols)


def _sign_tests(rows) -> list:
    """Per vertex row, each eigenvalue expanded, with the negations of ``e < 0`` and ``e >= 0``
    whose infeasibility proves those relations (see :meth:`_Context.implies`) and the two
    relations a branch of the case tree splits on; ``(e, None, None, None, None)`` for a number."""

    tests = []
    for r in rows:
        row = []
        for e in r.eigenvalues:
            e = sympy.expand(e)
            row.append((e, None, None, None, None) if e.is_number else
                       (e, _negate(sympy.StrictLessThan(e, 0)), _negate(sympy.GreaterThan(e, 0)),
                        _less_than_zero(e), relation(e, False)))
        tests.append(row)
    return tests


def _strict(rel):
    ops = {">=": sympy.StrictGreaterThan, "<=": sympy.StrictLessThan}
    return ops[rel.rel_op](rel.lhs, rel.rhs) if rel.rel_op in ops else rel


def _simplify(ctx, branch):
    """The branch's conjunction without relations implied by the others (and the assumptions)."""
    kept = list(branch)
    for rel in list(branch):
        others = tuple(r for r in kept if r is not rel)
        if ctx.implies(rel, others):
            kept = list(others)
    # a >= b together with b >= a reads a = b
    diffs = [(sympy.expand(r.lhs - r.rhs) if r.rel_op == ">=" else sympy.expand(r.rhs - r.lhs))
             if isinstance(r, sympy.core.relational.Relational) and r.rel_op in (">=", "<=") else None for r in kept]
    out, used = [], set()
    for i, r in enumerate(kept):
        if i in used:
            continue
        j = next((j for j in range(i + 1, len(kept)) if j not in used and diffs[i] is not None
                  and diffs[j] is not None and sympy.expand(diffs[i] + diffs[j]) == 0), None)
        if j is None:
            out.append(r)
        else:
            used.add(j)
            out.append(sympy.Eq(r.lhs, r.rhs))
    return sympy.And(*out) if out else sympy.true


# ---------------------------------------------------------------------- checking values
def _decide(cond, values) -> bool:
    vals = _by_symbol(values, cond.free_symbols if isinstance(cond, sympy.Basic) else set())
    r = cond.xreplace(vals) if isinstance(cond, sympy.Basic) else cond
    if r not in (sympy.true, sympy.false):
        missing = sorted(s.name for s in getattr(r, "free_symbols", ()))
        raise ParameterError(f"the condition {cond} cannot be decided at the values"
                             + (f" (missing: {', '.join(missing)})" if missing else ""))
    return bool(r)


def _by_symbol(values, symbols) -> dict:
    by_name = {s.name: s for s in symbols}
    out = {}
    for k, v in values.items():
        name = k if isinstance(k, str) else getattr(k, "name", None)
        if name in by_name:
            out[by_name[name]] = to_exact(v, name=f"parameter {name!r}")
    return out


def check_assumptions(values: Mapping, assumptions: Sequence) -> None:
    """Raise :class:`~coopgame.errors.ParameterError` naming the first assumption violated.

    Examples
    --------
    >>> import sympy
    >>> R, C = sympy.symbols("R C", positive=True)
    >>> check_assumptions({"R": 3, "C": 1}, [R > C])
    >>> check_assumptions({"R": 1, "C": 3}, [R > C])
    Traceback (most recent call last):
    ...
    coopgame.errors.ParameterError: assumption R > C is violated at R = 1, C = 3
    """
    symbols = set()
    rels = []
    for a in assumptions:
        if isinstance(a, str):
            names = {k if isinstance(k, str) else k.name: sympy.Symbol(k if isinstance(k, str) else k.name, real=True)
                     for k in values}
            a = parse(a, names, relational=True)
        rels.append(a)
        symbols |= a.free_symbols
    for a in rels:
        if not _decide(a, values):
            a = _paper_form(a)
            shown = ", ".join(f"{s.name} = {v}" for s, v in
                              sorted(_by_symbol(values, a.free_symbols).items(), key=lambda t: _order(a, t[0])))

            raise ParameterError(f"assumption {math_text(a)} is violated at {shown}")


def _paper_form(rel):
    """``R - C > 0`` as ``R > C``: terms with negative coefficients on the right (as papers write)."""

    if not isinstance(rel, sympy.core.relational.Relational) or rel.rel_op not in (">", ">=", "<", "<="):
        return rel
    d = rel.lhs - rel.rhs if rel.rel_op in (">", ">=") else rel.rhs - rel.lhs
    out = relation(d, rel.rel_op in (">", "<"))
    return out if isinstance(out, sympy.core.relational.Relational) else rel


def _order(rel, sym):
    text = str(rel)
    i = text.find(sym.name)
    return (i if i >= 0 else len(text), sym.name)
