"""The safe parser: text to sympy, without evaluating anything.

``sympy.sympify`` and ``sympy.parsing.sympy_parser.parse_expr`` call Python's ``eval`` on the
text they are given, so a scenario file or a command-line argument could run arbitrary code
through them. coopgame never passes user text to them. Instead :func:`parse` reads the text
with Python's :mod:`ast` module (which only *parses*), walks the tree and accepts a small
whitelist:

* numbers (integers and decimals; decimals become the exact rationals their text denotes,
  ``0.1`` is ``1/10`` and ``1e-400`` is ``10**-400``),
* names, which become real sympy symbols (or the symbols given in ``symbols``),
* the operators ``+ - * / **`` and parentheses,
* calls of the functions in :data:`FUNCTIONS` (``exp``, ``log``, ``sqrt``, ``Min``, ``Max``,
  ``Abs``) with positional arguments,
* with ``relational=True`` also comparisons (``<``, ``<=``, ``>``, ``>=``, chained) and the
  logical operators ``&``, ``|``, ``~``, ``and``, ``or``, ``not``.

Everything else (attribute access, subscripts, keywords, strings, lambdas, comprehensions,
names starting with an underscore, the names of Python's code-running built-ins such as
``eval``) is rejected with :class:`~coopgame.errors.ExpressionError`. So are results that are not
finite (``log(0)``) and numbers too large to compute quickly: a power of a number may have at most
:data:`MAX_NUMBER_BITS` bits, and a root at most :data:`MAX_ROOT_BITS` bits under it (sympy factors
the radicand, which takes minutes for numbers of a few thousand digits).

Examples
--------
>>> from coopgame.expressions import parse
>>> parse("R_e - C_e + 0.5*s")
-C_e + R_e + s/2
>>> parse("S > C_e - R_e", relational=True)
S > C_e - R_e
>>> parse("__import__('os').system('true')")
Traceback (most recent call last):
...
coopgame.errors.ExpressionError: cannot parse "__import__('os').system('true')": only calls of whitelisted functions by name are allowed
>>> parse("__import__('os')")
Traceback (most recent call last):
...
coopgame.errors.ExpressionError: cannot parse "__import__('os')": names may not start with an underscore ('__import__')
"""

from __future__ import annotations

import ast
import math
import re
import unicodedata
import warnings
from collections.abc import Mapping

import sympy

from .errors import ExpressionError

__all__ = ["parse", "parse_number", "check_size", "expanded_size", "FUNCTIONS", "MAX_LENGTH", "MAX_DEPTH",
           "MAX_EXPONENT", "MAX_NUMBER_BITS", "MAX_ROOT_BITS", "MAX_DECIMAL_EXPONENT", "MAX_MINMAX_ARGS", "MAX_DEGREE",
           "MAX_TERMS", "RESERVED_NAMES", "CONSTANT_NAMES"]

#: Functions that may be called in an expression, by name.
FUNCTIONS: dict[str, object] = {
    "exp": sympy.exp,
    "log": sympy.log,
    "sqrt": sympy.sqrt,
    "Min": sympy.Min,
    "Max": sympy.Max,
    "Abs": sympy.Abs,
}

#: Longest accepted text, in characters.
MAX_LENGTH = 10_000
#: Deepest accepted nesting of operators and calls.
MAX_DEPTH = 60
#: Largest accepted absolute value of an integer exponent of a number (guards ``9**9**9``).
MAX_EXPONENT = 1_000
#: Largest accepted size, in bits, of the numerator or denominator of every number computed while
#: parsing (guards ``((9**999)**999)**999`` and ``9**999*9**999*...``). 4096 bits are 1234 decimal
#: digits: results built from a few such numbers still print (Python refuses to convert integers of
#: more than 4300 digits to text).
MAX_NUMBER_BITS = 4_096
#: Largest accepted size, in bits, of the numerator or denominator of a number under a root
#: (``n**(1/3)``, ``sqrt(n)``): sympy factors it to extract perfect powers.
MAX_ROOT_BITS = 1_024

#: Names that are rejected although they are identifiers, unless given in ``symbols``: Python
#: built-ins that run or reach code. Nothing here evaluates text, but such a name in a scenario
#: file is an attack, not a parameter.
RESERVED_NAMES = frozenset({
    "eval", "exec", "compile", "open", "getattr", "setattr", "delattr", "globals", "locals", "vars", "breakpoint",
})

#: Largest accepted power of ten in a decimal literal (``1e-1000`` is the smallest positive one).
MAX_DECIMAL_EXPONENT = 1_000

#: Largest accepted number of arguments of all ``Min`` and ``Max`` calls of one expression together:
#: sympy compares their arguments pairwise, which takes seconds for a dozen of them.
MAX_MINMAX_ARGS = 8
#: Largest accepted polynomial degree of an expression once expanded (analyses expand payoff
#: differences: ``(a + 1)**1000`` would take minutes).
MAX_DEGREE = 100
#: Largest accepted number of terms of an expression once expanded (``(a+b+c+d+e)**60`` has 635,376).
MAX_TERMS = 5_000

#: Names that look like numbers or sympy's constants and are therefore not accepted as parameter
#: names: sympy prints a symbol named ``oo`` as infinity. ``pi`` and ``E`` are ordinary names
#: (parameters, such as an enterprise ``E``); the number e is written ``exp(1)``.
CONSTANT_NAMES = frozenset({"oo", "zoo", "nan", "NaN", "inf", "Inf", "infinity", "Infinity", "I"})

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_DECIMAL = re.compile(r"^(?:\d+\.?\d*|\.\d+)(?:[eE]([+-]?\d+))?$")

_BINOPS = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}
_COMPARE = {
    ast.Lt: sympy.StrictLessThan,
    ast.LtE: sympy.LessThan,
    ast.Gt: sympy.StrictGreaterThan,
    ast.GtE: sympy.GreaterThan,
}


def parse(
    text: str,
    symbols: Mapping[str, sympy.Symbol] | None = None,
    *,
    relational: bool = False,
    allow_new: bool = True,
) -> sympy.Basic:
    """Turn text into a sympy expression using only whitelisted syntax.

    Parameters
    ----------
    text : str
        The expression, for example ``"R_e - C_e + s"``.
    symbols : mapping of str to sympy.Symbol, optional
        Symbols to use for known names (so that ``"s"`` becomes the game's ``s`` with its
        assumptions). Other names become ``Symbol(name, real=True)``.
    relational : bool
        Accept comparisons and logical operators and return a sympy Boolean.
    allow_new : bool
        If false, a name not in ``symbols`` is an error.

    Returns
    -------
    sympy.Basic
        An expression (or, with ``relational=True``, possibly a Boolean).

    Raises
    ------
    ExpressionError
        The text is not a string, too long, not valid syntax, or uses anything outside the
        whitelist; the message quotes the text and names the offending part.
    """
    if isinstance(text, bool) or not isinstance(text, str):
        raise ExpressionError(f"expected an expression as text, got {type(text).__name__} {text!r}")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"expression is {len(text)} characters long; at most {MAX_LENGTH} are accepted")
    shown = text if len(text) <= 80 else text[:77] + "..."
    if not text.strip():
        raise ExpressionError("expected an expression, got empty text")
    source = text.strip()
    for position, char in enumerate(text):
        # Before Python's parser, which folds identifiers to NFKC: "ｘ" would become "x", "𝐱" too.
        if ord(char) > 127:
            name = unicodedata.name(char, "unnamed character")
            raise ExpressionError(f"cannot parse {shown!r}: character {char!r} (U+{ord(char):04X} {name}) at "
                                  f"position {position} is not ASCII; names, numbers and operators are ASCII")
    try:
        with warnings.catch_warnings():  # e.g. "invalid decimal literal" for "1or x": not the user's concern
            warnings.simplefilter("ignore", SyntaxWarning)
            warnings.simplefilter("ignore", DeprecationWarning)
            tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"cannot parse {shown!r}: invalid syntax ({exc.msg})") from None
    except (ValueError, RecursionError, MemoryError) as exc:  # NUL bytes, absurd nesting
        raise ExpressionError(f"cannot parse {shown!r}: {type(exc).__name__}") from None
    walker = _Walker(dict(symbols or {}), relational, allow_new, shown, source)
    try:
        result = walker.visit(tree.body, 0)
    except ExpressionError:
        raise
    except RecursionError:
        raise ExpressionError(f"cannot parse {shown!r}: nested too deeply") from None
    except (TypeError, ValueError, ZeroDivisionError, OverflowError, AttributeError) as exc:
        raise ExpressionError(f"cannot parse {shown!r}: {exc}") from None
    if not relational and isinstance(result, sympy.logic.boolalg.Boolean) and not isinstance(result, sympy.Expr):
        raise ExpressionError(f"cannot parse {shown!r}: expected an expression, got a condition")
    if result.has(sympy.zoo, sympy.nan, sympy.oo, sympy.S.NegativeInfinity):
        raise ExpressionError(f"cannot parse {shown!r}: the value is not finite ({_short(result)})")
    check_size(result, f"cannot parse {shown!r}")
    return result


def _short(value, limit: int = 80) -> str:
    text = sympy.sstr(value) if _digits_ok(value) else "a number of more than 4000 digits"
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _digits_ok(value) -> bool:
    return all(max(abs(r.p), r.q).bit_length() < 13_000 for r in value.atoms(sympy.Rational))


def expanded_size(expr) -> tuple[int, int, int]:
    """Bounds on the degree, the number of terms and the coefficient size of ``expr`` expanded.

    Analyses expand payoff differences (:func:`sympy.expand`); these bounds say, without
    expanding, how large the result can be. Every subexpression that is not a sum, product or
    integer power (a function call, a power with a symbolic exponent) counts as one variable.

    Returns
    -------
    (degree, terms, bits) : tuple of int
        Upper bounds on the total degree, the number of terms and the bits of a coefficient's
        numerator or denominator.

    Examples
    --------
    >>> a, b = sympy.symbols("a b")
    >>> expanded_size((a + 1)**3)
    (3, 4, 9)
    >>> expanded_size((a + b)**2 * (a - b))
    (3, 6, 7)
    """
    cache: dict = {}

    def size(e):
        if e in cache:
            return cache[e]
        if e.is_Rational:
            out = (0, 1, max(abs(e.p).bit_length(), e.q.bit_length()))
        elif e.is_Add:
            parts = [size(a) for a in e.args]
            out = (max(p[0] for p in parts), sum(p[1] for p in parts),
                   max(p[2] for p in parts) + len(parts).bit_length())
        elif e.is_Mul:
            parts = [size(a) for a in e.args]
            out = (sum(p[0] for p in parts), math.prod(p[1] for p in parts), sum(p[2] for p in parts))
        elif e.is_Pow and e.exp.is_Integer and e.exp > 0:
            d, t, b = size(e.base)
            n = int(e.exp)
            # a multinomial with t terms to the n-th power has binomial(n + t - 1, t - 1) terms;
            # its coefficients are at most t**n (the sum's bits count log2 t) times the base's
            terms = math.comb(n + t - 1, t - 1) if t <= 64 or n <= 64 else t ** min(n, 64)
            out = (d * n, terms, n * b)
        else:
            out = (1, 1, 0)
        cache[e] = out
        return out

    return size(sympy.sympify(expr, strict=True))  # an expression already built, never text


def check_size(expr, what: str = "expression") -> None:
    """Raise if expanding ``expr`` could exceed :data:`MAX_DEGREE`, :data:`MAX_TERMS` or :data:`MAX_NUMBER_BITS`.

    The limits are module attributes; raise them (``coopgame.expressions.MAX_DEGREE = 200``) to
    accept larger expressions, at the price of longer analyses.

    Raises
    ------
    ExpressionError
        The message starts with ``what`` and names the limit.

    Examples
    --------
    >>> a = sympy.Symbol("a")
    >>> check_size((a + 1)**1000, "payoff")
    Traceback (most recent call last):
    ...
    coopgame.errors.ExpressionError: payoff: expanded, the expression would have degree 1000, more than MAX_DEGREE = 100 (raise coopgame.expressions.MAX_DEGREE to accept it)
    """
    degree, terms, bits = expanded_size(expr)

    def count(n):
        return str(n) if n < 10**12 else f"about 10**{len(str(n)) - 1}"

    for value, limit, name, said in (
        (degree, MAX_DEGREE, "MAX_DEGREE", f"the expression would have degree {count(degree)}"),
        (terms, MAX_TERMS, "MAX_TERMS", f"the expression would have up to {count(terms)} terms"),
        (bits, MAX_NUMBER_BITS, "MAX_NUMBER_BITS", f"a coefficient could have up to {count(bits)} bits"),
    ):
        if value > limit:
            raise ExpressionError(f"{what}: expanded, {said}, more than {name} = {limit} "
                                  f"(raise coopgame.expressions.{name} to accept it)")


def parse_number(text: str) -> sympy.Expr:
    """Parse text that must denote a number (``"3"``, ``"0.25"``, ``"1/3"``, ``"-2e3"``).

    Examples
    --------
    >>> parse_number("1/3")
    1/3
    >>> parse_number("0.1")
    1/10
    """
    value = parse(text, allow_new=False)
    if not value.is_number:
        raise ExpressionError(f"expected a number, got {text!r}")
    return value


#: Largest number whose exp() is accepted: exp(x) has about x / ln 2 bits.
_MAX_EXP_ARGUMENT = int(MAX_NUMBER_BITS * math.log(2))


def _number_bits(expr) -> tuple[int, int]:
    """The largest numerator and denominator, in bits, of the rational numbers in ``expr``."""
    if expr.is_Rational:
        return abs(expr.p).bit_length(), expr.q.bit_length()
    p = q = 0
    for r in expr.atoms(sympy.Rational):
        p, q = max(p, abs(r.p).bit_length()), max(q, r.q.bit_length())
    return p, q


class _Walker:
    def __init__(self, symbols, relational, allow_new, shown, source=None):
        self.symbols = symbols
        self.relational = relational
        self.allow_new = allow_new
        self.shown = shown
        self.source = source
        # Offsets of the lines' starts, computed once: ast.get_source_segment splits the whole
        # text again for every literal, which is quadratic in the text's length. The text is
        # ASCII (checked before), so the parser's byte offsets are character offsets.
        self.line_starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", source or "")]
        self.minmax_args = 0

    def fail(self, why: str):
        raise ExpressionError(f"cannot parse {self.shown!r}: {why}")

    def visit(self, node, depth):
        if depth > MAX_DEPTH:
            self.fail(f"nested more than {MAX_DEPTH} levels deep")
        d = depth + 1
        if isinstance(node, ast.Constant):
            if isinstance(node.value, float) and self.source is not None:
                return self.decimal(node)
            return self.constant(node.value)
        if isinstance(node, ast.Name):
            return self.name(node.id)
        if isinstance(node, ast.UnaryOp):
            operand = self.visit(node.operand, d)
            if isinstance(node.op, ast.USub):
                return -self.expr(operand)
            if isinstance(node.op, ast.UAdd):
                return self.expr(operand)
            if isinstance(node.op, (ast.Not, ast.Invert)) and self.relational:
                return sympy.Not(self.boolean(operand))
            self.fail(f"operator {type(node.op).__name__} is not allowed")
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.BitXor):
                self.fail("'^' is not a power here; use '**'")
            if isinstance(node.op, (ast.BitAnd, ast.BitOr)) and self.relational:
                left, right = self.boolean(self.visit(node.left, d)), self.boolean(self.visit(node.right, d))
                return sympy.And(left, right) if isinstance(node.op, ast.BitAnd) else sympy.Or(left, right)
            if isinstance(node.op, ast.Pow):
                return self.power(self.expr(self.visit(node.left, d)), self.expr(self.visit(node.right, d)))
            if type(node.op) not in _BINOPS:
                self.fail(f"operator {type(node.op).__name__} is not allowed")
            return self.chain(node, d)
        if isinstance(node, ast.BoolOp) and self.relational:
            parts = [self.boolean(self.visit(v, d)) for v in node.values]
            return sympy.And(*parts) if isinstance(node.op, ast.And) else sympy.Or(*parts)
        if isinstance(node, ast.Compare) and self.relational:
            terms = [self.expr(self.visit(node.left, d))] + [self.expr(self.visit(c, d)) for c in node.comparators]
            parts = []
            for op, left, right in zip(node.ops, terms, terms[1:]):
                rel = _COMPARE.get(type(op))
                if rel is None:
                    self.fail(f"comparison {type(op).__name__} is not allowed (use <, <=, >, >=)")
                parts.append(rel(left, right))
            return parts[0] if len(parts) == 1 else sympy.And(*parts)
        if isinstance(node, ast.Call):
            return self.call(node, d)
        if isinstance(node, ast.Attribute):
            self.fail("attribute access is not allowed")
        if isinstance(node, ast.Subscript):
            self.fail("subscripts are not allowed")
        self.fail(f"{type(node).__name__} is not allowed")

    def chain(self, node, depth):
        # A sum ``a + b - c + ...`` (or a product) is a left-deep tree in Python's grammar; walk
        # its left spine in a loop, so that a long sum is not mistaken for deep nesting.
        group = (ast.Add, ast.Sub) if isinstance(node.op, (ast.Add, ast.Sub)) else (ast.Mult, ast.Div)
        steps = []
        while isinstance(node, ast.BinOp) and isinstance(node.op, group):
            steps.append((node.op, node.right))
            node = node.left
        operands = [self.expr(self.visit(node, depth))]
        for op, right_node in reversed(steps):
            right = self.expr(self.visit(right_node, depth))
            if isinstance(op, ast.Sub):
                right = -right
            elif isinstance(op, ast.Div):
                if right == 0:
                    self.fail("division by zero")
                right = sympy.Pow(right, -1)
            operands.append(right)
        self.check_numbers(operands, group[0] is ast.Add)
        # One n-ary Add or Mul: adding terms one at a time costs time quadratic in their number.
        return sympy.Add(*operands) if group[0] is ast.Add else sympy.Mul(*operands)

    def check_numbers(self, operands, is_sum):
        # Bound the numbers sympy computes when it builds the sum or product, before it does:
        # each factor of "9**999*9**999*..." is allowed, their product is not.
        sizes = [_number_bits(o) for o in operands]
        if is_sum:  # p1/q1 + p2/q2 + ...: the common denominator is the lcm, the numerators add
            common = 1
            for o in operands:
                for r in ([o] if o.is_Rational else o.atoms(sympy.Rational)):
                    common = math.lcm(common, r.q)
                    if common.bit_length() > MAX_NUMBER_BITS:
                        break
            bits = max(p for p, _ in sizes) + common.bit_length() + len(sizes).bit_length()
        else:
            bits = max(sum(p for p, _ in sizes), sum(q for _, q in sizes))
        if bits > MAX_NUMBER_BITS:
            self.fail(f"the {'sum' if is_sum else 'product'} could hold a number of more than {MAX_NUMBER_BITS} bits "
                      f"(MAX_NUMBER_BITS)")

    def decimal(self, node):
        # The literal's own text, not the float Python made of it: "1e-400" is 10**-400, not 0,
        # and "0.1000000000000000000001" is not 1/10.
        value = node.value
        if not math.isfinite(value):
            self.fail("number is not finite")
        literal = self.segment(node)
        match = _DECIMAL.match(literal.replace("_", "")) if literal else None
        if match is None:
            return self.constant(value)
        if abs(int(match.group(1) or 0)) > MAX_DECIMAL_EXPONENT:
            self.fail(f"the exponent of {literal} is larger than {MAX_DECIMAL_EXPONENT}")
        try:
            return sympy.Rational(literal.replace("_", ""))
        except (ValueError, TypeError):  # more digits than Python converts
            self.fail(f"the decimal {literal[:20]}... has too many digits")

    def segment(self, node):
        if node.end_lineno is None or node.end_col_offset is None:
            return None
        start = self.line_starts[node.lineno - 1] + node.col_offset
        return self.source[start:self.line_starts[node.end_lineno - 1] + node.end_col_offset]

    def constant(self, value):
        if isinstance(value, bool) or value is None or value is Ellipsis:
            self.fail(f"constant {value!r} is not allowed")
        if isinstance(value, int):
            return sympy.Integer(value)
        if isinstance(value, float):
            if not math.isfinite(value):
                self.fail("number is not finite")
            return sympy.Rational(repr(value))
        if isinstance(value, complex):
            self.fail("complex numbers are not allowed")
        self.fail(f"constant {value!r} is not allowed (strings and bytes are not expressions)")

    def name(self, ident):
        if ident.startswith("_"):
            self.fail(f"names may not start with an underscore ({ident!r})")
        if ident in RESERVED_NAMES and ident not in self.symbols:
            self.fail(f"the name {ident!r} is reserved")
        if not _NAME.match(ident):
            self.fail(f"name {ident!r} is not an ASCII identifier")
        if ident in FUNCTIONS:
            self.fail(f"{ident!r} is a function; call it with arguments")
        if ident in CONSTANT_NAMES and ident not in self.symbols:
            self.fail(f"{ident!r} is not accepted as a name: it reads as a number or constant, not a parameter "
                      "(payoffs and values must be finite)")
        if ident in self.symbols:
            return self.symbols[ident]
        if not self.allow_new:
            self.fail(f"unknown name {ident!r}")
        return sympy.Symbol(ident, real=True)

    def call(self, node, depth):
        if not isinstance(node.func, ast.Name):
            self.fail("only calls of whitelisted functions by name are allowed")
        fname = node.func.id
        if fname.startswith("_"):
            self.fail(f"names may not start with an underscore ({fname!r})")
        func = FUNCTIONS.get(fname)
        if func is None:
            self.fail(f"function {fname!r} is not allowed (allowed: {', '.join(sorted(FUNCTIONS))})")
        if node.keywords:
            self.fail(f"keyword arguments are not allowed in {fname}()")
        if any(isinstance(a, ast.Starred) for a in node.args):
            self.fail("starred arguments are not allowed")
        if fname in ("Min", "Max"):  # counted before the arguments are built
            self.minmax_args += len(node.args)
            if self.minmax_args > MAX_MINMAX_ARGS:
                self.fail(f"Min and Max take at most {MAX_MINMAX_ARGS} arguments in one expression together "
                          f"(MAX_MINMAX_ARGS), got {self.minmax_args}")
        args = [self.expr(self.visit(a, depth)) for a in node.args]
        arity = {"exp": 1, "log": (1, 2), "sqrt": 1, "Abs": 1}
        want = arity.get(fname)
        if want is not None:
            ok = len(args) in want if isinstance(want, tuple) else len(args) == want
            if not ok:
                self.fail(f"{fname}() takes {want} argument(s), got {len(args)}")
        elif not args:
            self.fail(f"{fname}() needs at least one argument")
        if fname == "exp" and args[0].is_number:
            magnitude = args[0].evalf(15)
            if magnitude.is_extended_real and magnitude > _MAX_EXP_ARGUMENT:
                self.fail(f"exp() of a number above {_MAX_EXP_ARGUMENT} would exceed 2**{MAX_NUMBER_BITS} "
                          "(MAX_NUMBER_BITS)")
        if fname == "sqrt":
            return self.power(args[0], sympy.S.Half)
        if fname == "log" and len(args) == 2 and args[1].is_number and not (args[1].is_positive and args[1] != 1):
            self.fail(f"the base of a logarithm must be positive and not 1, got {args[1]}")
        return func(*args)

    def power(self, base, exponent):
        if exponent.is_number and base.is_number:
            if exponent.is_Integer and abs(int(exponent)) > MAX_EXPONENT:
                self.fail(f"exponent {exponent} is larger than {MAX_EXPONENT}")
            if not exponent.is_Integer and abs(sympy.Float(exponent)) > MAX_EXPONENT:
                self.fail(f"exponent {exponent} is larger than {MAX_EXPONENT}")
            if base == 0 and exponent.is_negative:
                self.fail("division by zero")
            if base.is_Rational:
                bits = max(abs(base.p).bit_length(), base.q.bit_length())
                if exponent.is_Integer and bits * abs(int(exponent)) > MAX_NUMBER_BITS:
                    self.fail(f"the power would have more than {MAX_NUMBER_BITS} bits")
                if not exponent.is_Integer and bits > MAX_ROOT_BITS:
                    self.fail(f"the number under a root has more than {MAX_ROOT_BITS} bits")
        elif exponent.is_number and abs(sympy.Float(exponent)) > MAX_EXPONENT:
            self.fail(f"exponent {exponent} is larger than {MAX_EXPONENT}")
        elif exponent.is_number:  # (9**999*a)**999 computes 9**(999*999)
            bits = max(_number_bits(base))
            if exponent.is_Integer and bits * abs(int(exponent)) > MAX_NUMBER_BITS:
                self.fail(f"the power would have a coefficient of more than {MAX_NUMBER_BITS} bits")
            if not exponent.is_Integer and bits > MAX_ROOT_BITS:
                self.fail(f"a number under a root has more than {MAX_ROOT_BITS} bits")
        return base**exponent

    def expr(self, value):
        if not isinstance(value, sympy.Expr):
            self.fail("a condition was used where an expression was expected")
        return value

    def boolean(self, value):
        if isinstance(value, sympy.Expr):
            self.fail("an expression was used where a condition was expected")
        return value
