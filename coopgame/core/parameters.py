"""Model parameters: symbols with a meaning, a unit, a domain and a default value.

A :class:`Parameter` is a sympy ``Symbol`` together with what a paper's parameter table says
about it. Its domain sets the symbol's assumptions (``positive``, ``nonnegative``, ``real``), so
that sympy can simplify conditions, and is checked whenever numbers are substituted.

Validation is three-valued, as in sympy's ``_value_check``: a numeric value outside the domain
raises :class:`~coopgame.errors.ParameterError`; a symbolic value is rejected only when it is
provably outside.

Examples
--------
>>> from coopgame import Parameter
>>> from coopgame.parameters import PROBABILITY
>>> p = Parameter("p", meaning="probability that exploitation becomes known", domain=PROBABILITY)
>>> p.symbol
p
>>> p.symbol.is_nonnegative
True
>>> p.check(0.3)
3/10
>>> p.check(1.5)
Traceback (most recent call last):
...
coopgame.errors.ParameterError: parameter 'p' = 3/2 is outside its domain probability [0, 1]
"""

from __future__ import annotations

import keyword
import math
import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

import sympy

from .errors import ExpressionError, ParameterError, UnknownNameError

__all__ = [
    "Domain",
    "Parameter",
    "REAL",
    "POSITIVE",
    "NONNEGATIVE",
    "PROBABILITY",
    "UNIT_OPEN",
    "to_exact",
    "resolve_values",
    "interval_text",
]


@dataclass(frozen=True)
class Domain:
    """A set of admissible values: a real interval with a name.

    Parameters
    ----------
    name : str
        Short name shown in messages and tables (``"positive"``, ``"probability"``).
    interval : sympy.Set
        The admissible set, a sympy ``Interval`` (or ``S.Reals``).
    """

    name: str
    interval: sympy.Set = sympy.S.Reals

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name:
            raise ParameterError(f"a domain's name must be non-empty text, got {self.name!r}")
        if not isinstance(self.interval, sympy.Set) or self.interval.is_subset(sympy.S.Reals) is False:
            raise ParameterError(f"domain {self.name!r}: expected a sympy set of real numbers, got {self.interval!r}")

    @classmethod
    def between(cls, low, high, *, left_open=False, right_open=False, name=None) -> Domain:
        """The interval from ``low`` to ``high`` (closed unless told otherwise).

        Bounds are numbers; ``low`` may be ``-sympy.oo`` (or ``-math.inf``) and ``high``
        ``sympy.oo`` (or ``math.inf``), and an infinite end is always open.

        Examples
        --------
        >>> Domain.between(0, 1, right_open=True).name
        '[0, 1)'
        >>> import sympy
        >>> Domain.between(1, sympy.oo).name
        '[1, ∞)'

        Raises
        ------
        ParameterError
            A bound is not a number (or NaN, or infinite on the wrong side), or the interval
            is empty.
        """
        low, high = _bound(low, "lower", -1), _bound(high, "upper", 1)
        interval = sympy.Interval(low, high, left_open, right_open)
        if interval is sympy.S.EmptySet or (isinstance(interval, sympy.Interval) and interval.measure == 0
                                           and (interval.left_open or interval.right_open)):
            kind = "a closed interval" if not (left_open or right_open) else "an interval"
            raise ParameterError(f"domain bounds {low} and {high} do not make {kind}: the interval is empty")
        if name is None:
            name = interval_text(interval)
        return cls(name, interval)

    def assumptions(self) -> dict[str, bool]:
        """Sympy assumptions implied by the domain, for the parameter's symbol."""
        iv = self.interval
        out = {"real": True}
        if iv is sympy.S.Reals or not isinstance(iv, sympy.Interval):
            return out
        if iv.start.is_finite:
            if iv.start > 0 or (iv.start == 0 and iv.left_open):
                out["positive"] = True
            elif iv.start >= 0:
                out["nonnegative"] = True
        if iv.end.is_finite:
            if iv.end < 0 or (iv.end == 0 and iv.right_open):
                out["negative"] = True
            elif iv.end <= 0:
                out["nonpositive"] = True
        return out

    def contains(self, value) -> bool | None:
        """True, False, or None when undecidable (symbolic value)."""
        iv = self.interval
        if isinstance(iv, sympy.Interval) and getattr(value, "is_Rational", False):
            # exact rational against numeric bounds: decided by comparison, without sympy's sets
            above = value > iv.start if iv.left_open else value >= iv.start
            below = value < iv.end if iv.right_open else value <= iv.end
            if above in (sympy.true, sympy.false) and below in (sympy.true, sympy.false):
                return bool(above) and bool(below)
        result = iv.contains(value)
        if result is sympy.true:
            return True
        if result is sympy.false:
            return False
        return None

    def describe(self) -> str:
        """The domain's name and interval, for messages."""
        if self.interval is sympy.S.Reals:
            return self.name
        shown = interval_text(self.interval)
        return self.name if self.name == shown else f"{self.name} {shown}"


def _bound(value, side: str, sign: int) -> sympy.Expr:
    """A domain bound as an exact number; infinity of the given sign is allowed."""
    what = f"{side} domain bound"
    if isinstance(value, sympy.Basic):
        if value is (sympy.oo if sign > 0 else sympy.S.NegativeInfinity):
            return value
    elif isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isinf(float(value)):
        if (float(value) > 0) == (sign > 0):
            return sympy.oo if sign > 0 else sympy.S.NegativeInfinity
    exact = to_exact(value, name=what)
    if not exact.is_number or exact.is_real is not True:
        raise ParameterError(f"{what}: expected a real number, got {exact}")
    return exact


def interval_text(iv) -> str:
    """An interval as mathematics: ``(0, ∞)``, ``[0, 1]``, ``(-∞, ∞)``; other sets likewise.

    Examples
    --------
    >>> interval_text(sympy.Interval.Lopen(0, 1))
    '(0, 1]'
    >>> interval_text(sympy.Interval(0, sympy.oo)), interval_text(sympy.S.Reals)
    ('[0, ∞)', '(-∞, ∞)')
    """
    from .formatting import format_set

    return format_set(iv)


REAL = Domain("real", sympy.S.Reals)
POSITIVE = Domain("positive", sympy.Interval.open(0, sympy.oo))
NONNEGATIVE = Domain("nonnegative", sympy.Interval(0, sympy.oo))
PROBABILITY = Domain("probability", sympy.Interval(0, 1))
UNIT_OPEN = Domain("open unit interval", sympy.Interval.open(0, 1))

_DOMAINS_BY_NAME = {d.name: d for d in (REAL, POSITIVE, NONNEGATIVE, PROBABILITY, UNIT_OPEN)}


def to_exact(value, *, name: str = "value") -> sympy.Expr:
    """Convert a number to an exact sympy number; floats by their decimal text (0.1 -> 1/10).

    Sympy expressions are returned unchanged; ``Fraction`` and ``Decimal`` values exactly. NaN,
    infinities, booleans and non-numbers (including sympy conditions, sets and matrices) raise
    :class:`ParameterError` naming ``name``.

    Examples
    --------
    >>> to_exact(0.25), to_exact(3), to_exact("2/3")
    (1/4, 3, 2/3)
    """
    if isinstance(value, bool):
        raise ParameterError(f"{name}: expected a number, got the boolean {value!r}")
    if isinstance(value, sympy.Basic):
        if not isinstance(value, sympy.Expr) or isinstance(value, sympy.MatrixBase):
            raise ParameterError(f"{name}: expected a number or an expression, got {type(value).__name__} {value}")
        if value.has(sympy.nan, sympy.zoo, sympy.oo, sympy.S.NegativeInfinity):
            from .formatting import math_text

            raise ParameterError(f"{name}: {math_text(value)} is not a finite number")
        if isinstance(value, sympy.Float):
            return sympy.Rational(str(value)) if value.is_finite else value
        return value
    if isinstance(value, numbers.Integral):
        return sympy.Integer(int(value))
    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ParameterError(f"{name}: {value} is not a finite number")
        return sympy.Rational(*value.as_integer_ratio())
    if isinstance(value, numbers.Real):
        f = float(value)
        if not math.isfinite(f):
            raise ParameterError(f"{name}: {f!r} is not a finite number")
        return sympy.Rational(repr(f))
    if isinstance(value, str):
        from .expressions import parse_number

        try:
            return parse_number(value)
        except ExpressionError as exc:
            raise ParameterError(f"{name}: expected a number, got {value!r} ({exc})") from None
    raise ParameterError(f"{name}: expected a number, got {type(value).__name__} {value!r}")


@dataclass(frozen=True)
class Parameter:
    """A model parameter.

    Parameters
    ----------
    name : str
        The symbol's name, as it appears in payoff expressions (``"C_e"``).
    meaning : str
        What the parameter stands for, in words.
    unit : str
        Its unit (``"yuan per intern per year"``, ``"share"``); empty when dimensionless.
    domain : Domain or str
        Admissible values; one of the named domains (``"real"``, ``"positive"``,
        ``"nonnegative"``, ``"probability"``, ``"open unit interval"``) or a :class:`Domain`.
    default : number, optional
        An illustrative value, used when an analysis asks for defaults.
    source : str
        Where the parameter comes from (a paper's section, a table).
    """

    name: str
    meaning: str = ""
    unit: str = ""
    domain: Domain = REAL
    default: sympy.Expr | None = None
    source: str = ""
    symbol: sympy.Symbol = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        if (not isinstance(self.name, str) or not self.name.isidentifier() or self.name.startswith("_")
                or keyword.iskeyword(self.name)):
            raise ParameterError(
                f"parameter name {self.name!r} must be an identifier not starting with '_' and not a Python keyword"
            )
        domain = self.domain
        if isinstance(domain, str):
            if domain not in _DOMAINS_BY_NAME:
                raise ParameterError(
                    f"parameter {self.name!r}: unknown domain {domain!r} (known: {', '.join(_DOMAINS_BY_NAME)})"
                )
            domain = _DOMAINS_BY_NAME[domain]
            object.__setattr__(self, "domain", domain)
        if not isinstance(domain, Domain):
            raise ParameterError(f"parameter {self.name!r}: domain must be a Domain or a domain name")
        object.__setattr__(self, "symbol", sympy.Symbol(self.name, **domain.assumptions()))
        if self.default is not None:
            object.__setattr__(self, "default", self.check(self.default))

    def check(self, value) -> sympy.Expr:
        """Return ``value`` as an exact number after checking finiteness and the domain.

        Numbers outside the domain, NaN, infinities, booleans and non-numbers raise
        :class:`ParameterError` naming the parameter and its domain. A symbolic value is
        rejected only when it is provably outside the domain.

        Examples
        --------
        >>> Parameter("c", domain="positive").check("1/4")
        1/4
        >>> Parameter("c", domain="positive").check(float("nan"))
        Traceback (most recent call last):
        ...
        coopgame.errors.ParameterError: parameter 'c': nan is not a finite number (domain: positive (0, ∞))
        """
        try:
            exact = to_exact(value, name=f"parameter {self.name!r}")
        except ParameterError as exc:
            raise ParameterError(f"{exc} (domain: {self.domain.describe()})") from None
        if exact.has(sympy.Float):
            exact = exact.xreplace({f: to_exact(f) for f in exact.atoms(sympy.Float)})
        if exact.is_number:
            if exact.is_real is False:
                raise ParameterError(f"parameter {self.name!r} = {exact} is not real (domain: {self.domain.describe()})")
            inside = self.domain.contains(exact)
            if inside is False:
                raise ParameterError(
                    f"parameter {self.name!r} = {exact} is outside its domain {self.domain.describe()}"
                )
        else:
            inside = self.domain.contains(exact)
            if inside is False:
                raise ParameterError(
                    f"parameter {self.name!r} = {exact} is provably outside its domain {self.domain.describe()}"
                )
        return exact

    def with_default(self, default) -> Parameter:
        """A copy with another default value."""
        return Parameter(self.name, self.meaning, self.unit, self.domain, default, self.source)


def resolve_values(
    values: Mapping | None,
    parameters: Iterable[Parameter],
    *,
    require_all: bool = True,
    defaults: bool = False,
) -> dict[sympy.Symbol, sympy.Expr]:
    """Validate a mapping of parameter values and key it by the parameters' symbols.

    Parameters
    ----------
    values : mapping
        Keys are parameter names, sympy symbols (matched by name) or :class:`Parameter`;
        values are numbers (exact or float), numeric strings or sympy expressions.
    parameters : iterable of Parameter
        The parameters that may be given.
    require_all : bool
        If true, every parameter must receive a value (or a default, with ``defaults=True``).
    defaults : bool
        Fill parameters not in ``values`` with their default values.

    Raises
    ------
    UnknownNameError
        A key names no parameter.
    ParameterError
        A value is missing, not finite or outside its domain.
    """
    params = {p.name: p for p in parameters}
    out: dict[sympy.Symbol, sympy.Expr] = {}
    for key, value in (values or {}).items():
        if isinstance(key, Parameter):
            name = key.name
        elif isinstance(key, sympy.Symbol):
            name = key.name
        elif isinstance(key, str):
            name = key
        else:
            raise UnknownNameError(f"parameter key {key!r} must be a name, a sympy Symbol or a Parameter")
        if name not in params:
            known = ", ".join(sorted(params)) or "none"
            raise UnknownNameError(f"unknown parameter {name!r} (known parameters: {known})")
        param = params[name]
        out[param.symbol] = param.check(value)
    if defaults:
        for param in params.values():
            if param.symbol not in out and param.default is not None:
                out[param.symbol] = param.default
    if require_all:
        missing = [name for name, p in sorted(params.items()) if p.symbol not in out]
        if missing:
            raise ParameterError(f"missing value for parameter(s) {', '.join(map(repr, missing))}")
    return out
