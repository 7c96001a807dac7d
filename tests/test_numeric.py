"""coopgame.core.numeric: compiled numpy functions equal sympy's lambdify with "numpy", without
sympy's ``from numpy import *``."""

import subprocess
import sys

import numpy as np
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from coopgame.core.numeric import numpy_function

a, b = sympy.symbols("a b", real=True)
exp = sympy.Symbol("exp", real=True)  # a parameter named like a numpy function
_ATOMS = [a, b, exp, sympy.Integer(2), sympy.Rational(-1, 3), sympy.pi]


@st.composite
def expressions(draw, depth=3):
    """Expressions of the kinds the package compiles: polynomials, quotients, max/min, roots,
    exponentials and piecewise conditions."""
    if depth == 0 or draw(st.booleans()):
        return draw(st.sampled_from(_ATOMS))
    x, y = draw(expressions(depth - 1)), draw(expressions(depth - 1))
    kind = draw(st.sampled_from(["add", "mul", "pow", "max", "min", "sqrt", "exp", "piecewise", "div"]))
    return {"add": lambda: x + y, "mul": lambda: x * y, "pow": lambda: x ** 2, "max": lambda: sympy.Max(x, y),
            "min": lambda: sympy.Min(x, y), "sqrt": lambda: sympy.sqrt(x ** 2 + 1), "exp": lambda: sympy.exp(-x ** 2),
            "piecewise": lambda: sympy.Piecewise((x, y > 0), (y, True)),
            "div": lambda: x / (y ** 2 + 1)}[kind]()


@settings(max_examples=60, deadline=None)
@given(expressions(), st.lists(st.floats(-3, 3), min_size=3, max_size=3))
def test_the_same_numbers_as_lambdify_with_numpy(expr, point):
    args = (a, b, exp)
    ours = np.asarray(numpy_function(args, expr)(*point), dtype=float)
    theirs = np.asarray(sympy.lambdify(args, expr, "numpy", dummify=True)(*point), dtype=float)
    assert np.array_equal(ours, theirs, equal_nan=True)  # the same generated code: bit for bit


def test_lists_and_common_subexpressions():
    f = numpy_function((a, b), [a * b + 1, [(a * b + 1) ** 2]], cse=True)
    out = f(np.array([1.0, 2.0]), np.array([3.0, 0.5]))  # a*b + 1 = 4, 2
    assert np.array_equal(out[0], [4.0, 2.0]) and np.array_equal(out[1][0], [16.0, 4.0])


def test_sympys_numpy_star_import_is_not_run():
    """Compiling loads no more of numpy than the package did: sympy's star-import namespace for
    "numpy" stays empty (with numpy 2 it loads every public submodule, 0.1 s)."""
    code = ("import sympy, coopgame; from coopgame.core.numeric import numpy_function\n"
            "import sys; L = sys.modules['sympy.utilities.lambdify']\n"
            "x = sympy.Symbol('x'); numpy_function(x, sympy.Max(x, 1) + sympy.sqrt(x))(4.0)\n"
            "print(L.NUMPY == L.NUMPY_DEFAULT)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "True"
