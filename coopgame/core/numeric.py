"""Expressions compiled to numpy functions.

:func:`numpy_function` is ``sympy.lambdify(args, expr, "numpy", dummify=True)`` with numpy's
module namespace instead of sympy's ``from numpy import *``: with numpy 2 that star import loads
every public submodule of numpy (about 160 modules, 0.1 s in a fresh process) the first time
anything is compiled. The generated code is the same (sympy's ``NumPyPrinter``, names resolved
in numpy's namespace, any name the printer needs beyond it imported by sympy), so the functions
compute the same numbers. Every numpy function the package compiles is made here.

Examples
--------
>>> import numpy as np, sympy
>>> a, b = sympy.symbols("a b")
>>> f = numpy_function((a, b), [a * b - 1, sympy.Max(a, b)])
>>> f(np.array([1.0, 2.0]), 3.0)
[array([2., 5.]), array([3., 3.])]
"""

from __future__ import annotations

import numpy
import sympy

__all__ = ["numpy_function"]


def numpy_function(args, expr, *, cse: bool = False):
    """A numpy function of ``args`` computing ``expr`` (an expression or nested lists of them).

    Parameters
    ----------
    args : Symbol or sequence of Symbol
        The arguments, in order.
    expr : sympy expression, or a (nested) list of them
        What the function returns (a list returns a list).
    cse : bool
        Compute common subexpressions once (``sympy.cse``).

    Arguments are renamed in the generated code (``dummify``): a parameter named like a numpy
    function or constant (``exp``, ``pi``) never shadows it.
    """
    return sympy.lambdify(args, expr, modules=[numpy], dummify=True, cse=cse)
