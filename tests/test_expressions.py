"""Tests of the safe parser :func:`coopgame.expressions.parse`.

The parser is the only way user text becomes sympy. The tests feed it code-injection attempts and
arbitrary text (nothing but :class:`ExpressionError` may come out, and nothing may run), and check
that valid text gives the exact expression a researcher means.
"""

import warnings

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from coopgame.errors import CoopgameError, ExpressionError
from coopgame.expressions import FUNCTIONS, MAX_DEPTH, MAX_LENGTH, parse, parse_number

x, y = sympy.symbols("x y", real=True)


# ---------------------------------------------------------------------------- injection attempts
INJECTIONS = {
    "__import__('os').system('true')": "only calls of whitelisted functions",
    "__import__('os')": "underscore ('__import__')",
    "x.__class__": "attribute access",
    "().__class__": "attribute access",
    "().__class__.__bases__[0].__subclasses__()": "",
    "x.real": "attribute access",
    "x[0]": "subscripts",
    "[1, 2][0]": "subscripts",
    "(lambda: 1)()": "only calls of whitelisted functions",
    "lambda: 1": "Lambda",
    "[i for i in range(3)]": "ListComp",
    "{i for i in (1, 2)}": "SetComp",
    "(i for i in (1, 2))": "GeneratorExp",
    "{1: 2}": "Dict",
    "'abc'": "strings",
    "b'abc'": "strings",
    "exp(x=1)": "keyword arguments",
    "Max(*[1, 2])": "starred",
    "eval('1+1')": "function 'eval' is not allowed",
    "exec('import os')": "function 'exec' is not allowed",
    "exec": "reserved",
    "eval": "reserved",
    "open": "reserved",
    "__builtins__": "underscore",
    "__x__ + 1": "underscore",
    "(y := 1)": "NamedExpr",
    "f'{x}'": "JoinedStr",
    "9**9**9": "exponent 387420489 is larger than 1000",
    "(9**999)**999": "more than 4096 bits",
    "((9**999)**999)**999": "more than 4096 bits",
    "(7" + "7" * 400 + ")**(1/3)": "under a root",
    "sqrt(9**999 + 1)": "under a root",
    "x**(10**6)": "larger than 1000",
    "2 ^ 3": "'^' is not a power here",
    "1 if x else 2": "IfExp",
    "x if 1 else 2": "IfExp",
    "not x": "operator Not is not allowed",
    "x > 1": "Compare",
    "x & y": "BitAnd",
    "x % 2": "Mod",
    "x // 2": "FloorDiv",
    "x @ y": "MatMult",
    "x << 1": "LShift",
    "x == 1": "Compare",
    "True": "constant True",
    "None": "constant None",
    "...": "constant Ellipsis",
    "1j": "complex numbers",
    "1e999": "not finite",
    "log(0)": "not finite",
    "1/0": "division by zero",
    "x/(2 - 2)": "division by zero",
    "0**(-1)": "division by zero",
    "sin(x)": "function 'sin' is not allowed",
    "exp": "is a function; call it with arguments",
    "exp(1, 2)": "exp() takes 1 argument",
    "Max()": "needs at least one argument",
    "log(x, 0)": "the base of a logarithm must be positive and not 1, got 0",
    "log(x, 1)": "the base of a logarithm must be positive and not 1, got 1",
    "log(8, -2)": "the base of a logarithm must be positive and not 1, got -2",
    "x.y()": "only calls of whitelisted functions",
    "é + 1": "character 'é' (U+00E9 LATIN SMALL LETTER E WITH ACUTE) at position 0 is not ASCII",
    "1\x00": "null bytes",
    "import os": "invalid syntax",
    "x = 1": "invalid syntax",
    "x; y": "invalid syntax",
    "": "empty text",
    "   ": "empty text",
    "(": "invalid syntax",
    "await x": "Await",
    "yield x": "invalid syntax",
    "x, y": "Tuple",
}


@pytest.mark.parametrize("text", sorted(INJECTIONS))
def test_rejected_with_expression_error_naming_the_problem(text):
    with pytest.raises(ExpressionError) as info:
        parse(text)
    assert INJECTIONS[text] in str(info.value)


def test_message_quotes_the_text():
    with pytest.raises(ExpressionError, match=r"cannot parse 'x\[0\]'"):
        parse("x[0]")


def test_over_long_text_rejected_before_parsing():
    text = "x+" * (MAX_LENGTH // 2) + "x"
    with pytest.raises(ExpressionError, match=f"at most {MAX_LENGTH}"):
        parse(text)


def test_redundant_parentheses_are_not_nesting():
    assert parse("(" * 200 + "x" + ")" * 200) == x


@pytest.mark.parametrize("text", [
    "-" * 200 + "x",
    "exp(" * (MAX_DEPTH + 5) + "x" + ")" * (MAX_DEPTH + 5),
    "x**(" * 100 + "2" + ")" * 100,
    "(" * 5000 + "x" + ")" * 5000,
    "[" * 5000 + "]" * 5000,
])
def test_deep_nesting_rejected(text):
    with pytest.raises(ExpressionError):
        parse(text)


def test_long_flat_sum_is_not_deep_nesting():
    # A sum of 500 terms is a left-deep tree in Python's grammar but not nested; it must parse,
    # and quickly (one n-ary Add). Sum of i*x_i for i = 0..499 has the coefficient 499 on x_499.
    text = " + ".join(f"{i}*x_{i}" for i in range(500))
    expr = parse(text)
    assert len(expr.args) == 499  # the term 0*x_0 vanishes
    assert expr.coeff(sympy.Symbol("x_499", real=True)) == 499


@pytest.mark.parametrize("bad", [None, 3, 2.5, True, b"x", ["x"], sympy.Symbol("x")])
def test_non_text_rejected(bad):
    with pytest.raises(ExpressionError, match="expected an expression as text"):
        parse(bad)


def test_relational_syntax_rejected_outside_relational_mode():
    with pytest.raises(ExpressionError):
        parse("x > 1 and y < 2")


@pytest.mark.parametrize("text", ["x>1or y<2", "'\\d'", "1if x else 2"])
def test_python_syntax_warnings_do_not_leak(text):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            parse(text, relational=True)
        except ExpressionError:
            pass


def test_errors_are_coopgame_errors_and_value_errors():
    with pytest.raises(CoopgameError):
        parse("x.y")
    with pytest.raises(ValueError):
        parse("x.y")


# ---------------------------------------------------------------------------- fuzzing
SENTINEL_CODE = "open('{path}', 'w').write('ran')"


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_raises_only_expression_error(text):
    try:
        result = parse(text)
    except ExpressionError:
        return
    assert isinstance(result, sympy.Expr)


_PIECES = st.sampled_from(
    ["x", "y", "1", "0", "2.5", "+", "-", "*", "/", "**", "(", ")", ",", "exp", "log", "sqrt",
     "Max", "Min", "Abs", "<", ">", "&", "|", "~", "and", "or", "not", " ", "9", "__import__",
     "'os'", ".", "system", "[", "]", "lambda", ":", "=", "eval", "exec", "open", "_", "e5", "j",
     "__import__('os').system('touch SENTINEL')", "open('SENTINEL', 'w')", "exec(\"open('SENTINEL', 'w')\")"]
)


@settings(max_examples=100, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join), st.booleans())
def test_token_soup_raises_only_expression_error_and_runs_nothing(tmp_path_factory, text, relational):
    sentinel = tmp_path_factory.getbasetemp() / "soup-sentinel"
    text = text.replace("SENTINEL", str(sentinel))
    try:
        result = parse(text, relational=relational)
    except ExpressionError:
        assert not sentinel.exists()
        return
    assert not sentinel.exists()
    assert isinstance(result, sympy.Basic)
    assert not result.has(sympy.zoo, sympy.nan, sympy.oo)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from([
    "__import__('os').system({cmd!r})",
    "eval({code!r})",
    "exec({code!r})",
    "[c for c in ().__class__.__base__.__subclasses__()]",
    "(lambda: {code})()",
    "open({path!r}, 'w')",
    "{code}",
]), st.booleans())
def test_injection_never_executes(tmp_path_factory, template, relational):
    path = tmp_path_factory.mktemp("sentinel") / "ran.txt"
    code = SENTINEL_CODE.format(path=path)
    text = template.format(cmd=f"touch {path}", code=code, path=str(path))
    with pytest.raises(ExpressionError):
        parse(text, relational=relational)
    assert not path.exists()


# ---------------------------------------------------------------------------- valid input
def test_decimals_are_exact_rationals():
    assert parse("0.1") == sympy.Rational(1, 10)
    assert parse("0.1 + 0.2") == sympy.Rational(3, 10)  # exact, unlike 0.1 + 0.2 in floats
    assert parse("2.5e-3") == sympy.Rational(1, 400)
    assert parse("1/3") == sympy.Rational(1, 3)
    assert not parse("0.25*x").has(sympy.Float)


def test_decimals_are_read_from_their_text_not_from_floats():
    # regression: these used to go through Python floats, so 1e-400 became 0 and the long
    # decimal became 1/10
    assert parse("1e-400") == sympy.Rational(1, 10**400)
    assert parse("0.1000000000000000000001") == sympy.Rational(10**21 + 1, 10**22)
    assert parse("1_000.5e-2") == sympy.Rational(2001, 200)
    assert parse(".5") == sympy.Rational(1, 2) and parse("2.") == 2
    with pytest.raises(ExpressionError, match="the exponent of 1e-1001 is larger than 1000"):
        parse("1e-1001")
    with pytest.raises(ExpressionError, match="has too many digits"):
        parse("0." + "1" * 5000)


def test_arithmetic_and_precedence():
    # Python precedence: ** binds tighter than unary minus, so -2**2 = -(2**2) = -4.
    assert parse("-2**2") == -4
    assert parse("2**-1") == sympy.Rational(1, 2)
    assert parse("(x + y)**2") == (x + y) ** 2
    assert parse("x - y - 1") == x - y - 1
    assert parse("x/2/3") == x / 6
    assert parse("+x") == x


@pytest.mark.parametrize("text,expected", [
    ("exp(x)", sympy.exp(x)),
    ("log(x)", sympy.log(x)),
    ("log(8, 2)", sympy.Integer(3)),
    ("sqrt(4)", sympy.Integer(2)),
    ("sqrt(x)", sympy.sqrt(x)),
    ("Min(x, 1)", sympy.Min(x, 1)),
    ("Max(x, y, 0)", sympy.Max(x, y, 0)),
    ("Abs(-3)", sympy.Integer(3)),
])
def test_functions(text, expected):
    assert parse(text) == expected


def test_all_whitelisted_functions_are_callable():
    for name in FUNCTIONS:
        assert isinstance(parse(f"{name}(2)"), sympy.Expr)


def test_new_names_are_real_symbols():
    s = parse("C_e")
    assert s == sympy.Symbol("C_e", real=True)
    assert s.is_real


def test_symbol_table_is_used():
    c = sympy.Symbol("c", positive=True)
    expr = parse("c - 1", {"c": c})
    assert expr.free_symbols == {c}
    # the positive assumption survives: sqrt(c**2) simplifies to c
    assert parse("sqrt(c**2)", {"c": c}) == c


def test_reserved_names_only_when_declared():
    v = sympy.Symbol("vars", positive=True)
    assert parse("2*vars", {"vars": v}) == 2 * v
    with pytest.raises(ExpressionError, match="the name 'vars' is reserved"):
        parse("2*vars")
    assert parse("input + type") == sympy.Symbol("input", real=True) + sympy.Symbol("type", real=True)


def test_allow_new_false_rejects_unknown_names():
    c = sympy.Symbol("c", positive=True)
    assert parse("2*c", {"c": c}, allow_new=False) == 2 * c
    with pytest.raises(ExpressionError, match="unknown name 'd'"):
        parse("c + d", {"c": c}, allow_new=False)


def test_relational_mode():
    assert parse("x > 1", relational=True) == sympy.StrictGreaterThan(x, 1)
    assert parse("x <= y", relational=True) == sympy.LessThan(x, y)
    # chained comparison means the conjunction
    assert parse("0 < x < 1", relational=True) == sympy.And(sympy.StrictLessThan(0, x), x < 1)
    assert parse("(x > 1) & (y < 2)", relational=True) == sympy.And(x > 1, y < 2)
    assert parse("x > 1 or y < 2", relational=True) == sympy.Or(x > 1, y < 2)
    assert parse("not x > 1", relational=True) == (x <= 1)
    assert parse("~(x > 1)", relational=True) == (x <= 1)
    # a plain expression is still allowed in relational mode
    assert parse("x + 1", relational=True) == x + 1


@pytest.mark.parametrize("text,message", [
    ("x == 1", "comparison Eq is not allowed"),
    ("(x > 1) + 1", "a condition was used where an expression was expected"),
    ("x & (y > 1)", "an expression was used where a condition was expected"),
])
def test_relational_mode_errors(text, message):
    with pytest.raises(ExpressionError, match=message):
        parse(text, relational=True)


@settings(max_examples=100, deadline=None)
@given(st.fractions(max_denominator=10**6))
def test_rational_round_trip(q):
    # str(Fraction) is "p/q" or "p"; the parser returns exactly that rational
    assert parse(str(q)) == sympy.Rational(q.numerator, q.denominator)


@settings(max_examples=100, deadline=None)
@given(st.decimals(allow_nan=False, allow_infinity=False, places=6, min_value=-10**6, max_value=10**6))
def test_decimal_round_trip(d):
    assert parse(str(d)) == sympy.Rational(str(d))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(-50, 50), min_size=1, max_size=8))
def test_polynomial_round_trip(coeffs):
    expr = sum(sympy.Integer(c) * x**k for k, c in enumerate(coeffs))
    assert parse(str(expr)) == expr


def test_parse_number():
    assert parse_number("-2e3") == -2000
    assert parse_number("0.1") == sympy.Rational(1, 10)
    with pytest.raises(ExpressionError, match="unknown name 'x'"):
        parse_number("x")


# ---------------------------------------------------------------------------- random well-formed expressions
_X, _Y = sympy.symbols("x y", real=True)
_LEAVES = st.one_of(
    st.integers(0, 30).map(lambda k: (str(k), sympy.Integer(k))),
    st.integers(1, 99).map(lambda k: (f"0.{k:02d}", sympy.Rational(k, 100))),
    st.sampled_from([("x", _X), ("y", _Y)]),
)


def _combine(children):
    def binary(pair, op):
        (ta, a), (tb, b) = pair
        ops = {"+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b, "/": lambda: a / b}
        return f"({ta}) {op} ({tb})", ops[op]()

    return st.one_of(
        st.tuples(st.tuples(children, children), st.sampled_from("+-*/")).map(lambda t: binary(*t)),
        st.tuples(children, st.integers(-3, 3)).map(lambda t: (f"({t[0][0]})**{t[1]}", t[0][1] ** t[1])),
        children.map(lambda c: (f"-({c[0]})", -c[1])),
        st.tuples(children, st.sampled_from(["Abs", "exp"])).map(
            lambda t: (f"{t[1]}({t[0][0]})", getattr(sympy, t[1])(t[0][1]))),
        st.tuples(children, children, st.sampled_from(["Min", "Max"])).map(
            lambda t: (f"{t[2]}({t[0][0]}, {t[1][0]})", getattr(sympy, t[2])(t[0][1], t[1][1]))),
    )


@settings(max_examples=100, deadline=None)
@given(st.recursive(_LEAVES, _combine, max_leaves=8))
def test_random_expressions_parse_to_the_sympy_expression(pair):
    # the text is built together with the expression sympy builds from the same operations
    text, expected = pair
    if expected.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        with pytest.raises(ExpressionError):
            parse(text)
        return
    try:
        got = parse(text)
    except ExpressionError as exc:
        # the only valid reason: a division by zero somewhere inside, which sympy turned into zoo
        # before cancelling it (e.g. 0 * (1/0) is nan; x - x in a denominator)
        assert "division by zero" in str(exc)
        return
    assert got == expected or sympy.simplify(got - expected) == 0
