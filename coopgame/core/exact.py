"""Exact helpers shared across the package: relations, conditions, value maps, one linear solver.

These are the package's shared vocabulary, used by many algorithm modules, so they live on the
ground floor (:mod:`coopgame.core`) and are public:

- :func:`relation` and :func:`conjunction` write the conditions ``d > 0`` / ``d >= 0`` as papers
  write them and join them, dropping duplicates and spotting contradictory pairs;
- :func:`as_expr`, :func:`as_condition`, :func:`free_names`, :func:`value_map`,
  :func:`substitute` and :func:`decide` turn user input into exact sympy expressions and
  conditions, collect parameter names, read parameter values keyed by name or symbol, substitute
  them and decide a condition that has no free symbols left;
- :class:`FrozenMap`, an immutable, hashable mapping for frozen results;
- :func:`domain_of_symbol`, the interval a symbol's assumptions allow;
- :func:`solve_rational`, exact Gaussian elimination over the rationals (``Fraction`` or sympy
  numbers), the one exact linear solver of the package.

Examples
--------
>>> import sympy
>>> R, C = sympy.symbols("R C", positive=True)
>>> conjunction([relation(R - C, strict=True), relation(C - R, strict=False)])
False
>>> from fractions import Fraction
>>> solve_rational([[Fraction(2), Fraction(1)], [Fraction(1), Fraction(3)]], [Fraction(3), Fraction(5)])
[Fraction(4, 5), Fraction(7, 5)]
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import sympy

from .errors import ExpressionError, ParameterError, UnknownNameError
from .expressions import parse
from .parameters import to_exact

__all__ = [
    "FrozenMap",
    "as_condition",
    "as_expr",
    "conjunction",
    "decide",
    "domain_of_symbol",
    "free_names",
    "relation",
    "solve_rational",
    "substitute",
    "unify_symbols",
    "value_map",
]


# ------------------------------------------------------------------------------ conditions
def relation(difference: sympy.Expr, strict: bool) -> sympy.Basic:
    """The condition ``difference > 0`` (strict) or ``>= 0``, written as papers write it.

    Terms with negative coefficients move to the right-hand side, so ``R - C + s >= 0`` reads
    ``R + s >= C``. Conditions that sympy can decide from the symbols' assumptions come back as
    ``sympy.true`` or ``sympy.false``.

    Examples
    --------
    >>> R, C, s = sympy.symbols("R C s", real=True)
    >>> relation(R - C + s, strict=True)
    R + s > C
    >>> relation(sympy.Symbol("b", positive=True), strict=True)
    True
    """
    d = sympy.expand(difference)
    if d.is_number:
        return sympy.true if (d > 0 if strict else d >= 0) else sympy.false
    decided = d.is_positive if strict else d.is_nonnegative
    if decided is True:
        return sympy.true
    decided = d.is_nonpositive if strict else d.is_negative
    if decided is True:
        return sympy.false
    left, right = [], []
    for term in sympy.Add.make_args(d):
        coeff, _ = term.as_coeff_Mul()
        (right if coeff.is_negative else left).append(-term if coeff.is_negative else term)
    lhs, rhs = sympy.Add(*left), sympy.Add(*right)
    rel = sympy.StrictGreaterThan if strict else sympy.GreaterThan
    if lhs == 0:  # all terms negative: 0 >= rhs reads better as rhs <= 0
        return (sympy.StrictLessThan if strict else sympy.LessThan)(rhs, 0)
    return rel(lhs, rhs, evaluate=False)



def conjunction(relations: list) -> sympy.Basic:
    """The conjunction of relations: ``true`` dropped, duplicates once, ``false`` if one is false.

    A pair ``d > 0`` and ``-d >= 0`` (or ``d >= 0`` and ``-d > 0``) can never hold together and
    gives ``sympy.false``.

    Examples
    --------
    >>> x = sympy.Symbol("x", real=True)
    >>> conjunction([relation(x, strict=True), sympy.true, relation(x, strict=True)])
    x > 0
    """
    unique = []
    flat = []
    for r in relations:  # nested conjunctions (from ``positive`` on a fraction) are flattened
        flat.extend(r.args if isinstance(r, sympy.And) else [r])
    for r in flat:
        if r is sympy.true:
            continue
        if r is sympy.false:
            return sympy.false
        if r not in unique:
            unique.append(r)
    # d > 0 together with -d >= 0 (or d >= 0 with -d > 0) can never hold.
    diffs = [(sympy.expand(r.lhs - r.rhs) if r.rel_op in (">", ">=") else sympy.expand(r.rhs - r.lhs), r.rel_op in (">", "<"))
             for r in unique if isinstance(r, sympy.core.relational.Relational)]
    for a, (da, sa) in enumerate(diffs):
        for db, sb in diffs[a + 1:]:
            if sympy.expand(da + db) == 0 and (sa or sb):
                return sympy.false
    return sympy.And(*unique) if unique else sympy.true



# ------------------------------------------------------------------- values and frozen maps
class FrozenMap(Mapping):
    """An immutable, hashable mapping that keeps insertion order (used in frozen results).

    It compares equal to any mapping with the same items, so ``sol.payoffs == {"a": 55}`` works.

    Examples
    --------
    >>> m = FrozenMap({"a": 1, "b": 2})
    >>> m["b"], m == {"b": 2, "a": 1}
    (2, True)
    """

    __slots__ = ("_items", "_index")

    def __init__(self, items=()):
        pairs = tuple(items.items()) if isinstance(items, Mapping) else tuple(items)
        object.__setattr__(self, "_items", pairs)
        object.__setattr__(self, "_index", dict(pairs))

    def __getitem__(self, key):
        return self._index[key]

    def __iter__(self) -> Iterator:
        return (k for k, _ in self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self):
        return hash(self._items)

    def __setattr__(self, name, value):
        raise AttributeError("FrozenMap is immutable")

    def __repr__(self):
        return "{" + ", ".join(f"{k!r}: {v}" for k, v in self._items) + "}"

    def __reduce__(self):
        return (FrozenMap, (self._items,))


def as_expr(value, name: str, symbols: dict | None = None) -> sympy.Expr:
    """A number, sympy expression or string (safe parser) as an exact sympy expression."""
    if isinstance(value, str):
        try:
            expr = parse(value, symbols)
        except ExpressionError as exc:
            raise ExpressionError(f"{name}: {exc}") from None
    elif isinstance(value, sympy.Basic):
        expr = to_exact(value, name=name)
    else:
        expr = to_exact(value, name=name)
    if not isinstance(expr, sympy.Expr):
        raise ExpressionError(f"{name}: expected an expression, got {expr!r}")
    if expr.has(sympy.nan, sympy.zoo, sympy.oo, sympy.S.NegativeInfinity, sympy.I):
        raise ParameterError(f"{name}: {expr} is not a finite real number")
    if symbols is not None:
        expr = unify_symbols(expr, symbols)
    return expr


def as_condition(value, symbols: Mapping | None = None, what: str = "the condition") -> sympy.Basic:
    """A condition as a sympy Boolean: text (safe parser), a bool, or a sympy Boolean.

    Text is read with the symbols of ``symbols`` (name -> symbol); a sympy condition gets them
    too, so that a symbol made elsewhere with the same name but other assumptions is the game's
    own. Names not in ``symbols`` are left as they are.

    Raises
    ------
    ExpressionError
        ``value`` is neither text, a bool nor a sympy Boolean (the message names ``what``), or
        the text is not a condition the safe parser reads.

    Examples
    --------
    >>> s = sympy.Symbol("s", nonnegative=True)
    >>> c = as_condition("s > 1", {"s": s})
    >>> c, c.lhs is s
    (s > 1, True)
    >>> as_condition(sympy.Symbol("s") > 1, {"s": s}).lhs is s, as_condition(True)
    (True, True)
    """
    if isinstance(value, str):
        return parse(value, symbols, relational=True)
    if isinstance(value, bool):
        return sympy.true if value else sympy.false
    if not isinstance(value, sympy.logic.boolalg.Boolean):
        raise ExpressionError(f"{what}: expected a condition (text, a sympy Boolean or a bool), got {value!r}")
    if symbols:
        value = value.xreplace({s: symbols[s.name] for s in value.free_symbols
                                if s.name in symbols and symbols[s.name] != s})
    return value


def unify_symbols(expr, symbols: dict):
    """Replace symbols by the first symbol of the same name seen (recorded in ``symbols``)."""
    replace = {}
    for s in expr.free_symbols:
        known = symbols.setdefault(s.name, s)
        if known != s:
            replace[s] = known
    return expr.xreplace(replace) if replace else expr


def free_names(*objects) -> set[str]:
    """Names of the free symbols of sympy objects (nested in mappings and sequences)."""
    out: set[str] = set()
    for obj in objects:
        if isinstance(obj, sympy.Basic):
            out |= {s.name for s in obj.free_symbols}
        elif isinstance(obj, Mapping):
            out |= free_names(*obj.values())
        elif isinstance(obj, (list, tuple)):
            out |= free_names(*obj)
    return out


def value_map(values, known=None, what: str = "the result") -> dict[str, sympy.Expr]:
    """Parameter values keyed by name, exact; with ``known``, unknown names raise."""
    out = {}
    for key, value in (values or {}).items():
        if isinstance(key, str):
            name = key
        elif isinstance(key, sympy.Symbol):
            name = key.name
        elif hasattr(key, "symbol") and hasattr(key, "name"):
            name = key.name
        else:
            raise UnknownNameError(f"parameter key {key!r} must be a name or a sympy Symbol")
        if known is not None and name not in known:
            shown = ", ".join(sorted(known)) or "none"
            raise UnknownNameError(f"unknown parameter {name!r} for {what} (parameters: {shown})")
        out[name] = to_exact(value, name=f"parameter {name!r}")
    return out


def substitute(expr, vmap: Mapping[str, Any]):
    """Substitute values (keyed by name) into a sympy object; unknown names are left alone."""
    if not vmap or not isinstance(expr, sympy.Basic):
        return expr
    rep = {s: vmap[s.name] for s in expr.free_symbols if s.name in vmap}
    if not rep:
        return expr
    out = expr.xreplace(rep)
    if isinstance(out, sympy.Expr) and out.is_number:
        return sympy.nsimplify(out) if out.has(sympy.Float) else sympy.simplify(out)
    return out


def decide(condition, what: str) -> bool:
    """A sympy Boolean that must be decided (no free symbols) as a Python bool."""
    if condition in (sympy.true, sympy.false):
        return bool(condition)
    if isinstance(condition, bool):
        return condition
    if condition.free_symbols:
        missing = ", ".join(sorted(repr(s.name) for s in condition.free_symbols))
        raise ParameterError(f"{what}: missing value for parameter(s) {missing}")
    result = sympy.simplify(condition)
    if result not in (sympy.true, sympy.false):
        raise ParameterError(f"{what}: condition {condition} could not be decided")
    return bool(result)


def domain_of_symbol(sym) -> sympy.Set:
    """The interval a symbol's sign assumptions allow (``positive=True``: ``(0, oo)``; else the reals).

    Examples
    --------
    >>> domain_of_symbol(sympy.Symbol("c", nonnegative=True))
    Interval(0, oo)
    """
    if sym.is_positive:
        return sympy.Interval.open(0, sympy.oo)
    if sym.is_nonnegative:
        return sympy.Interval(0, sympy.oo)
    if sym.is_negative:
        return sympy.Interval.open(-sympy.oo, 0)
    if sym.is_nonpositive:
        return sympy.Interval(-sympy.oo, 0)
    return sympy.S.Reals


# --------------------------------------------------------------------------- linear algebra
def solve_rational(matrix: Sequence[Sequence], rhs: Sequence) -> list | None:
    """Solve the square system ``matrix @ z = rhs`` exactly; ``None`` when it is singular.

    Gaussian elimination with the first non-zero pivot of each column, in whatever exact field
    the entries live (``fractions.Fraction``, sympy ``Rational`` or sympy algebraic numbers);
    the inputs are not modified.

    Parameters
    ----------
    matrix : sequence of sequences, shape (n, n)
    rhs : sequence, length n

    Returns
    -------
    list or None
        The solution ``z``, in the entries' field, or ``None`` when the matrix is singular.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> solve_rational([[F(1), F(1)], [F(1), F(-1)]], [F(3), F(1)])
    [Fraction(2, 1), Fraction(1, 1)]
    >>> solve_rational([[F(1), F(2)], [F(2), F(4)]], [F(1), F(2)]) is None
    True
    """
    d = len(rhs)
    rows = [list(matrix[i]) + [rhs[i]] for i in range(d)]
    for c in range(d):
        piv = next((k for k in range(c, d) if rows[k][c] != 0), None)
        if piv is None:
            return None
        rows[c], rows[piv] = rows[piv], rows[c]
        pr = rows[c]
        inv = 1 / pr[c]
        for k in range(d):
            if k != c and rows[k][c] != 0:
                f = rows[k][c] * inv
                rk = rows[k]
                for t in range(c, d + 1):
                    rk[t] -= f * pr[t]
    return [rows[i][d] / rows[i][i] for i in range(d)]
