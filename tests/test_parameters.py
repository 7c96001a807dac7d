"""Tests of :mod:`coopgame.parameters`: domains, parameters, exact conversion, value resolution."""

import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from coopgame.errors import ParameterError, UnknownNameError
from coopgame.parameters import (
    NONNEGATIVE,
    POSITIVE,
    PROBABILITY,
    REAL,
    UNIT_OPEN,
    Domain,
    Parameter,
    resolve_values,
    to_exact,
)


# ---------------------------------------------------------------------------- domains
@pytest.mark.parametrize("domain,assumptions", [
    (REAL, {"real": True}),
    (POSITIVE, {"real": True, "positive": True}),
    (NONNEGATIVE, {"real": True, "nonnegative": True}),
    (PROBABILITY, {"real": True, "nonnegative": True}),
    (UNIT_OPEN, {"real": True, "positive": True}),
    (Domain.between(-sympy.oo, 0, right_open=True), {"real": True, "negative": True}),
    (Domain.between(-sympy.oo, 0), {"real": True, "nonpositive": True}),
    (Domain.between(-1, 1), {"real": True}),
    (Domain.between(2, 5), {"real": True, "positive": True}),
])
def test_domain_assumptions(domain, assumptions):
    assert domain.assumptions() == assumptions


@pytest.mark.parametrize("domain,inside,outside", [
    (REAL, [-10**9, 0, sympy.Rational(1, 3)], []),
    (POSITIVE, [sympy.Rational(1, 10**9), 5], [0, -1]),
    (NONNEGATIVE, [0, 7], [-sympy.Rational(1, 10**9)]),
    (PROBABILITY, [0, sympy.Rational(1, 2), 1], [-sympy.Rational(1, 100), sympy.Rational(101, 100)]),
    (UNIT_OPEN, [sympy.Rational(1, 2)], [0, 1]),
])
def test_domain_contains(domain, inside, outside):
    for v in inside:
        assert domain.contains(v) is True
    for v in outside:
        assert domain.contains(v) is False


def test_domain_contains_is_three_valued():
    assert PROBABILITY.contains(sympy.Symbol("z", real=True)) is None
    assert POSITIVE.contains(sympy.Symbol("z", positive=True)) is True
    assert POSITIVE.contains(-sympy.Symbol("z", positive=True)) is False


@pytest.mark.parametrize("low,high,kw,name,inside,outside", [
    (0, 1, {}, "[0, 1]", [0, 1], [2]),
    (0, 1, {"right_open": True}, "[0, 1)", [0], [1]),
    (0, 1, {"left_open": True}, "(0, 1]", [1], [0]),
    (0, sympy.oo, {}, "[0, ∞)", [0, 10**30], [-1]),
    (0, math.inf, {}, "[0, ∞)", [0, 10**30], [-1]),
    (0, float("inf"), {"left_open": True}, "(0, ∞)", [1], [0]),
    (-sympy.oo, sympy.oo, {}, "(-∞, ∞)", [-(10**30), 10**30], []),
    (-math.inf, 0.5, {}, "(-∞, 1/2]", [sympy.Rational(1, 2)], [sympy.Rational(51, 100)]),
    (0.1, "2/3", {}, "[1/10, 2/3]", [sympy.Rational(1, 10)], [sympy.Rational(1, 11)]),
])
def test_domain_between(low, high, kw, name, inside, outside):
    d = Domain.between(low, high, **kw)
    assert d.name == name
    for v in inside:
        assert d.contains(v) is True
    for v in outside:
        assert d.contains(v) is False


def test_domain_between_infinite_bounds_give_assumptions():
    # regression: infinite bounds used to be rejected as "not a finite number"
    p = Parameter("w", domain=Domain.between(1, sympy.oo))
    assert p.symbol.is_positive
    assert p.check(10**6) == 10**6
    with pytest.raises(ParameterError, match=r"outside its domain \[1, ∞\)"):
        p.check(0)


@pytest.mark.parametrize("low,high,kw,message", [
    (sympy.oo, 1, {}, "lower domain bound: ∞ is not a finite number"),
    (0, -sympy.oo, {}, "upper domain bound: -∞ is not a finite number"),
    (math.nan, 1, {}, "lower domain bound: nan is not a finite number"),
    (0, sympy.nan, {}, "upper domain bound: nan is not a finite number"),
    (2, 1, {}, "do not make a closed interval"),
    (1, 1, {"left_open": True}, "the interval is empty"),
    (0, sympy.Symbol("b"), {}, "expected a real number, got b"),
    (0, sympy.I, {}, "expected a real number, got I"),
    (True, 2, {}, "boolean"),
    ("x", 2, {}, "lower domain bound: expected a number"),
])
def test_domain_between_rejects(low, high, kw, message):
    with pytest.raises(ParameterError, match=message):
        Domain.between(low, high, **kw)


def test_domain_construction_checked():
    with pytest.raises(ParameterError, match=r"domain 'bad': expected a sympy set of real numbers, got 5"):
        Domain("bad", 5)
    with pytest.raises(ParameterError, match="expected a sympy set of real numbers"):
        Domain("complex", sympy.S.Complexes)
    with pytest.raises(ParameterError, match="a domain's name must be non-empty text"):
        Domain("", sympy.Interval(0, 1))
    assert Domain("small", sympy.Interval(0, sympy.Rational(1, 10))).contains(sympy.Rational(1, 20)) is True


def test_domain_describe():
    assert PROBABILITY.describe() == "probability [0, 1]"
    assert POSITIVE.describe() == "positive (0, ∞)"
    assert REAL.describe() == "real"
    assert Domain.between(0, 1).describe() == "[0, 1]"


# ---------------------------------------------------------------------------- to_exact
@pytest.mark.parametrize("value,expected", [
    (0.1, sympy.Rational(1, 10)),
    (0.25, sympy.Rational(1, 4)),
    (3, sympy.Integer(3)),
    (np.int64(7), sympy.Integer(7)),
    (np.float64(0.5), sympy.Rational(1, 2)),
    (Fraction(2, 3), sympy.Rational(2, 3)),
    ("2/3", sympy.Rational(2, 3)),
    ("1e-3", sympy.Rational(1, 1000)),
    (sympy.Float(0.5), sympy.Rational(1, 2)),
    (sympy.sqrt(2), sympy.sqrt(2)),
    (Decimal("0.1"), sympy.Rational(1, 10)),
    (Decimal("-2.5e-30"), sympy.Rational(-1, 4 * 10**29)),
])
def test_to_exact(value, expected):
    result = to_exact(value)
    assert result == expected
    assert not result.has(sympy.Float)


@settings(max_examples=100, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
def test_to_exact_floats_by_decimal_text(f):
    # the rational of a float's shortest decimal text; converting back gives the same float
    q = to_exact(f)
    assert q == sympy.Rational(repr(f))
    assert float(q) == f


@pytest.mark.parametrize("value,message", [
    (math.nan, "v: nan is not a finite number"),
    (math.inf, "v: inf is not a finite number"),
    (-np.inf, "v: -inf is not a finite number"),
    (sympy.oo, "v: ∞ is not a finite number"),
    (sympy.zoo, "v: zoo is not a finite number"),
    (True, "v: expected a number, got the boolean True"),
    (None, "v: expected a number, got NoneType None"),
    ([1], "v: expected a number, got list"),
    ("abc", "v: expected a number, got 'abc'"),
    ("__import__('os')", "v: expected a number"),
    (Decimal("NaN"), "v: NaN is not a finite number"),
    (Decimal("Infinity"), "v: Infinity is not a finite number"),
    (sympy.true, "v: expected a number or an expression, got BooleanTrue"),
    (sympy.Symbol("x") > 1, "v: expected a number or an expression, got StrictGreaterThan"),
    (sympy.Interval(0, 1), "v: expected a number or an expression, got Interval"),
    (sympy.ImmutableMatrix([1]), "v: expected a number or an expression, got ImmutableDenseMatrix"),
])
def test_to_exact_rejects(value, message):
    with pytest.raises(ParameterError, match=message.replace("(", r"\(")):
        to_exact(value, name="v")


# ---------------------------------------------------------------------------- Parameter
def test_parameter_symbol_carries_domain_assumptions():
    p = Parameter("p", meaning="detection probability", domain=PROBABILITY)
    assert p.symbol == sympy.Symbol("p", nonnegative=True, real=True)
    assert p.symbol.is_nonnegative
    c = Parameter("c", domain="positive")
    assert c.domain is POSITIVE
    assert c.symbol.is_positive
    # the assumption lets sympy simplify: |c| = c
    assert sympy.Abs(c.symbol) == c.symbol


def test_parameter_default_is_checked_and_exact():
    p = Parameter("p", domain=PROBABILITY, default=0.3)
    assert p.default == sympy.Rational(3, 10)
    with pytest.raises(ParameterError, match=r"parameter 'p' = 3/2 is outside its domain probability \[0, 1\]"):
        Parameter("p", domain=PROBABILITY, default=1.5)
    assert p.with_default("1/4").default == sympy.Rational(1, 4)


@pytest.mark.parametrize("name", ["", "1x", "_x", "a b", "lambda", "if", 3, None])
def test_parameter_name_must_be_identifier(name):
    with pytest.raises(ParameterError, match="parameter name"):
        Parameter(name)


def test_parameter_unknown_domain_name():
    with pytest.raises(ParameterError, match=r"parameter 'x': unknown domain 'whole' \(known: real, positive"):
        Parameter("x", domain="whole")
    with pytest.raises(ParameterError, match="domain must be a Domain"):
        Parameter("x", domain=3)


@settings(max_examples=100, deadline=None)
@given(st.fractions(min_value=0, max_value=1))
def test_check_accepts_inside(q):
    p = Parameter("p", domain=PROBABILITY)
    assert p.check(q) == sympy.Rational(q.numerator, q.denominator)


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.fractions(max_value=Fraction(-1, 10**9)), st.fractions(min_value=Fraction(10**9 + 1, 10**9))))
def test_check_rejects_outside(q):
    p = Parameter("p", domain=PROBABILITY)
    with pytest.raises(ParameterError, match=r"parameter 'p' = .* is outside its domain probability \[0, 1\]"):
        p.check(q)


@pytest.mark.parametrize("value,message", [
    (math.nan, "parameter 'c': nan is not a finite number (domain: positive (0, ∞))"),
    (math.inf, "parameter 'c': inf is not a finite number (domain: positive (0, ∞))"),
    (sympy.oo, "parameter 'c': ∞ is not a finite number (domain: positive (0, ∞))"),
    (True, "parameter 'c': expected a number, got the boolean True (domain: positive (0, ∞))"),
    (np.bool_(False), "parameter 'c': expected a number, got bool"),
    ("cheap", "parameter 'c': expected a number, got 'cheap'"),
    (None, "parameter 'c': expected a number, got NoneType None (domain: positive (0, ∞))"),
    (1 + 2j, "parameter 'c': expected a number, got complex"),
    (sympy.I, "parameter 'c' = I is not real (domain: positive (0, ∞))"),
    (0, "parameter 'c' = 0 is outside its domain positive (0, ∞)"),
    (-0.5, "parameter 'c' = -1/2 is outside its domain positive (0, ∞)"),
])
def test_check_rejects_with_message_naming_parameter_and_domain(value, message):
    c = Parameter("c", domain=POSITIVE)
    with pytest.raises(ParameterError) as info:
        c.check(value)
    assert message in str(info.value)
    assert "'c'" in str(info.value) and "positive" in str(info.value)


def test_check_symbolic_values_three_valued():
    p = Parameter("p", domain=PROBABILITY)
    q = sympy.Symbol("q", real=True)
    k = sympy.Symbol("k", positive=True)
    # undecided: accepted unchanged
    assert p.check(q) == q
    assert p.check(k) == k
    assert p.check(1 / (1 + k)) == 1 / (1 + k)
    # provably outside: rejected
    with pytest.raises(ParameterError, match=r"parameter 'p' = -k is provably outside its domain probability"):
        p.check(-k)
    with pytest.raises(ParameterError, match="provably outside"):
        p.check(k + 1)
    # floats inside symbolic values become exact
    assert p.check(sympy.Float(0.5) * q) == q / 2


# ---------------------------------------------------------------------------- resolve_values
PARAMS = (Parameter("a", domain=POSITIVE, default=2), Parameter("b", domain=PROBABILITY), Parameter("c"))


def test_resolve_values_keys_by_name_symbol_or_parameter():
    a, b, c = (p.symbol for p in PARAMS)
    out = resolve_values({"a": 1, sympy.Symbol("b"): 0.5, PARAMS[2]: "-3"}, PARAMS)
    assert out == {a: 1, b: sympy.Rational(1, 2), c: -3}
    # the returned keys are the parameters' own symbols, with their assumptions
    assert all(any(k is p.symbol for p in PARAMS) for k in out)


def test_resolve_values_unknown_name_lists_known():
    with pytest.raises(UnknownNameError, match=r"unknown parameter 'd' \(known parameters: a, b, c\)"):
        resolve_values({"d": 1}, PARAMS)
    with pytest.raises(UnknownNameError, match="must be a name"):
        resolve_values({3: 1}, PARAMS)
    with pytest.raises(UnknownNameError, match="known parameters: none"):
        resolve_values({"d": 1}, ())


def test_resolve_values_missing():
    with pytest.raises(ParameterError, match=r"missing value for parameter\(s\) 'b', 'c'"):
        resolve_values({"a": 1}, PARAMS)
    # defaults fill a, but b and c have none
    with pytest.raises(ParameterError, match=r"missing value for parameter\(s\) 'b', 'c'"):
        resolve_values({}, PARAMS, defaults=True)
    a, b, c = (p.symbol for p in PARAMS)
    assert resolve_values({"b": 0, "c": 0}, PARAMS, defaults=True) == {a: 2, b: 0, c: 0}
    assert resolve_values({"b": 1}, PARAMS, require_all=False) == {b: 1}
    assert resolve_values(None, PARAMS, require_all=False) == {}


def test_resolve_values_checks_domains():
    with pytest.raises(ParameterError, match=r"parameter 'b' = 2 is outside its domain probability \[0, 1\]"):
        resolve_values({"a": 1, "b": 2, "c": 0}, PARAMS)
    with pytest.raises(ParameterError, match="parameter 'a': nan is not a finite number"):
        resolve_values({"a": math.nan}, PARAMS, require_all=False)


def test_parameters_are_frozen_and_hashable():
    p = Parameter("p", domain=PROBABILITY, default=0.3)
    with pytest.raises(AttributeError):
        p.default = 1
    assert p == Parameter("p", domain=PROBABILITY, default="3/10")
    assert hash(p) == hash(Parameter("p", domain=PROBABILITY, default="3/10"))
    assert p != Parameter("p", domain=PROBABILITY, default=0.4)
