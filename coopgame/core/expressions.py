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
import warnings
from collections.abc import Mapping

import sympy

from .errors import ExpressionError

__all__ = ["parse", "parse_number", "FUNCTIONS", "MAX_LENGTH", "MAX_DEPTH", "MAX_EXPONENT", "MAX_NUMBER_BITS",
           "MAX_ROOT_BITS", "MAX_DECIMAL_EXPONENT", "RESERVED_NAMES"]

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
#: Largest accepted size, in bits, of the numerator or denominator of a computed power of a number
#: (guards ``((9**999)**999)**999``).
MAX_NUMBER_BITS = 100_000
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
        raise ExpressionError(f"cannot parse {shown!r}: the value is not finite ({result})")
    return result


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


class _Walker:
    def __init__(self, symbols, relational, allow_new, shown, source=None):
        self.symbols = symbols
        self.relational = relational
        self.allow_new = allow_new
        self.shown = shown
        self.source = source

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
        # One n-ary Add or Mul: adding terms one at a time costs time quadratic in their number.
        return sympy.Add(*operands) if group[0] is ast.Add else sympy.Mul(*operands)

    def decimal(self, node):
        # The literal's own text, not the float Python made of it: "1e-400" is 10**-400, not 0,
        # and "0.1000000000000000000001" is not 1/10.
        value = node.value
        if not math.isfinite(value):
            self.fail("number is not finite")
        literal = ast.get_source_segment(self.source, node)
        match = _DECIMAL.match(literal.replace("_", "")) if literal else None
        if match is None:
            return self.constant(value)
        if abs(int(match.group(1) or 0)) > MAX_DECIMAL_EXPONENT:
            self.fail(f"the exponent of {literal} is larger than {MAX_DECIMAL_EXPONENT}")
        try:
            return sympy.Rational(literal.replace("_", ""))
        except (ValueError, TypeError):  # more digits than Python converts
            self.fail(f"the decimal {literal[:20]}... has too many digits")

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
        args = [self.expr(self.visit(a, depth)) for a in node.args]
        arity = {"exp": 1, "log": (1, 2), "sqrt": 1, "Abs": 1}
        want = arity.get(fname)
        if want is not None:
            ok = len(args) in want if isinstance(want, tuple) else len(args) == want
            if not ok:
                self.fail(f"{fname}() takes {want} argument(s), got {len(args)}")
        elif not args:
            self.fail(f"{fname}() needs at least one argument")
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
        return base**exponent

    def expr(self, value):
        if not isinstance(value, sympy.Expr):
            self.fail("a condition was used where an expression was expected")
        return value

    def boolean(self, value):
        if isinstance(value, sympy.Expr):
            self.fail("an expression was used where a condition was expected")
        return value
