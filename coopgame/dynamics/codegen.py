"""Compile polynomial vector fields to numpy code that works in preallocated buffers.

``sympy.lambdify`` turns an expression into numpy calls that allocate a new array for every
intermediate result. For the replicator field, evaluated millions of times on a few long rows,
allocation and first-touch page faults then cost more than the arithmetic. :func:`compile_field`
generates instead a function in which every operation is a numpy ufunc writing into a buffer
(``np.multiply(a, b, out=t)``); the buffers are allocated once per row shape and thread, and
common subexpressions (``sympy.cse``) are computed once.

:func:`compile_replicator_field` uses the structure of replicator equations instead,
``x_r (1 - x_r) B_r(x)`` or ``x_r B_r(x)`` with polynomial payoff parts ``B_r``: all ``B_r`` are
evaluated together as one matrix product over the monomials of the state, so the cost hardly
grows with the number of equations.

Why a code generator of our own: the field is the inner loop of every simulation and basin
estimate. ``benchmarks/bench_dynamics.py`` (section 4) times one evaluation of the field of its
three-population game on 10,000 states, the median of 201 warm evaluations on the same rows: the
compiled field took 96 to 104 microseconds and ``lambdify`` of the same equations 165 to 217, a
factor of 1.6 to 2.2 (four runs on a busy two-core machine; re-run the benchmark for yours).

Only sums, products, non-negative integer powers, numbers and the state symbols are compiled this
way; an expression with anything else (a parameter left symbolic, a function, a negative power)
is compiled by ``lambdify`` instead, so the result is the same either way.

Examples
--------
>>> import numpy as np, sympy
>>> x, y = sympy.symbols("x y")
>>> f = compile_field((x, y), [x * (1 - x) * (2 * y - 1), y * (1 - y) * (1 - 3 * x)])
>>> f(np.array([[0.5, 0.25], [0.5, 1.0]]))  # columns are the states (1/2, 1/2) and (1/4, 1)
array([[ 0.    ,  0.1875],
       [-0.125 ,  0.    ]])
"""

from __future__ import annotations

import math
import threading

import numpy as np
import sympy

from ..core.errors import ExpressionError, ParameterError
from ..core.numeric import numpy_function

__all__ = ["FieldFunction", "compile_field", "compile_replicator_field"]


class _Unsupported(Exception):
    pass


def _expression(value):
    """A sympy expression or a number as sympy; text is refused (it is never parsed here)."""
    try:
        return sympy.sympify(value, strict=True)  # strict: only explicit conversions, no text: safe
    except sympy.SympifyError:
        raise ExpressionError(f"{value!r} is not a sympy expression or number; turn text into one with "
                              f"coopgame.expressions.parse") from None


def _literal(number) -> str:
    """The Python literal of a real number that is finite as a float (else the field is not compiled)."""
    if not (number.is_real and number.is_finite):
        raise _Unsupported(number)
    value = float(number)
    if not math.isfinite(value):
        raise _Unsupported(number)
    return repr(value)


class _Writer:
    """Emits the lines of the generated function; hands out temporary buffers."""

    def __init__(self, names):
        self.names = names  # sympy symbol -> Python name (state rows and cse values)
        self.lines = []
        self.free = []
        self.count = 0

    def temp(self):
        if self.free:
            return self.free.pop()
        self.count += 1
        return f"_t[{self.count - 1}]"

    def release(self, name):
        if name.startswith("_t["):
            self.free.append(name)

    def leaf(self, expr):
        """The Python name of a symbol or the literal of a number, or None for a compound."""
        if expr.is_Symbol:
            if expr not in self.names:
                raise _Unsupported(expr)
            return self.names[expr]
        if expr.is_Number:
            return _literal(expr)
        return None

    def operand(self, expr):
        """A name holding the value of ``expr``: a leaf, or a new temporary it is written into."""
        name = self.leaf(expr)
        if name is not None:
            return name
        t = self.temp()
        self.emit(expr, t)
        return t

    def emit(self, expr, target):
        """Write the value of ``expr`` into the buffer ``target``."""
        name = self.leaf(expr)
        if name is not None:
            self.lines.append(f"_np.copyto({target}, {name})")
        elif expr.is_Add:
            self._nary(expr.args, target, "add", "subtract", sympy.S.Zero)
        elif expr.is_Mul:
            self._nary(expr.args, target, "multiply", None, sympy.S.One)
        elif expr.is_Pow and expr.exp.is_Integer and expr.exp > 0:
            base = self.operand(expr.base)
            n = int(expr.exp)
            if n == 1:
                self.lines.append(f"_np.copyto({target}, {base})")
            elif n <= 4:
                self.lines.append(f"_np.multiply({base}, {base}, out={target})")
                for _ in range(n - 2):
                    self.lines.append(f"_np.multiply({target}, {base}, out={target})")
            else:
                self.lines.append(f"_np.power({base}, {n}, out={target})")
            self.release(base)
        else:
            raise _Unsupported(expr)

    def _nary(self, args, target, op, inverse, identity):
        """A sum or product of ``args`` into ``target``; in a sum, ``-u`` terms are subtracted."""
        numbers = [a for a in args if a.is_Number]
        const = sympy.Add(*numbers) if op == "add" else sympy.Mul(*numbers)
        terms = []
        for a in args:
            if a.is_Number:
                continue
            negated = inverse is not None and a.is_Mul and a.args[0] == -1
            term = sympy.Mul(*a.args[1:]) if negated else a
            terms.append((negated, self.leaf(term) is not None, term))
        if not terms:
            self.lines.append(f"{target}[...] = {_literal(const)}")
            return
        # added compound terms first (the first straight into the target), subtracted terms last
        terms.sort(key=lambda x: (x[0], x[1]))
        acc = None
        for negated, _, term in terms:
            if acc is None and not negated and self.leaf(term) is None:
                self.emit(term, target)
                acc = target
                continue
            name = self.operand(term)
            if acc is None and negated:
                if const != identity:  # c - u
                    self.lines.append(f"_np.{inverse}({_literal(const)}, {name}, out={target})")
                    const = identity
                else:
                    self.lines.append(f"_np.negative({name}, out={target})")
                acc = target
            elif acc is None:
                acc = name
            else:
                self.lines.append(f"_np.{inverse if negated else op}({acc}, {name}, out={target})")
                acc = target
            self.release(name)
        if const != identity:
            self.lines.append(f"_np.{op}({acc}, {_literal(const)}, out={target})")
        elif acc != target:
            self.lines.append(f"_np.copyto({target}, {acc})")


def compile_field(symbols, exprs):
    """Compile ``exprs`` (polynomials in ``symbols``) to ``field(Y, out=None)``.

    ``Y`` has one row per symbol (shape ``(dim, ...)``); the result has one row per expression,
    written into ``out`` when given. The function is safe to call from several threads.
    """
    symbols = tuple(symbols)
    exprs = [_expression(e) for e in exprs]
    try:
        return _compile_inplace(symbols, exprs)
    except _Unsupported:
        return _compile_lambdify(symbols, exprs)


def _compile_inplace(symbols, exprs):
    replacements, reduced = sympy.cse(exprs, symbols=sympy.numbered_symbols("_cse"), order="none")
    names = {s: f"_y[{i}]" for i, s in enumerate(symbols)}
    w = _Writer(names)
    n_cse = len(replacements)
    for i, (sym, expr) in enumerate(replacements):
        w.emit(expr, f"_c[{i}]")
        names[sym] = f"_c[{i}]"
    for r, expr in enumerate(reduced):
        w.emit(expr, f"_out[{r}]")
    body = "\n".join("    " + line for line in w.lines) or "    pass"
    source = f"def _field(_y, _out, _c, _t):\n{body}\n"
    namespace = {"_np": np}
    exec(compile(source, "<coopgame field>", "exec"), namespace)  # generated above from sympy trees only
    kernel = namespace["_field"]
    n_tmp, dim_out = w.count, len(exprs)
    local = threading.local()

    def field(Y, out=None):
        Y = np.asarray(Y, dtype=float)
        shape = Y.shape[1:]
        if out is None:
            out = np.empty((dim_out,) + shape)
        bufs = getattr(local, "bufs", None)
        if bufs is None or bufs[0] != shape:
            bufs = (shape, np.empty((n_cse,) + shape), np.empty((n_tmp,) + shape))
            local.bufs = bufs
        kernel(Y, out, bufs[1], bufs[2])
        return out

    field.source = source
    return field


def _compile_lambdify(symbols, exprs):
    f = numpy_function(symbols, exprs, cse=True)  # names never reach the code
    dim_out = len(exprs)

    def field(Y, out=None):
        Y = np.asarray(Y, dtype=float)
        if out is None:
            out = np.empty((dim_out,) + Y.shape[1:])
        try:
            rows = f(*Y)
        except OverflowError as exc:
            raise ParameterError(f"the field {list(exprs)} has numbers too large for floating point: {exc}") from None
        for d, row in enumerate(rows):
            out[d] = row
        return out

    field.source = None
    return field


def compile_replicator_field(symbols, complement, parts, exprs):
    """Compile the replicator field ``x_r (1 - x_r if complement[r]) B_r(x)`` for every row ``r``.

    Parameters
    ----------
    symbols : sequence of sympy.Symbol
        The state ``x``; row ``r`` of the field belongs to ``symbols[r]``.
    complement : sequence of bool
        Whether row ``r`` carries the factor ``1 - x_r`` (a role with two strategies).
    parts : sequence of sympy expressions
        The payoff parts ``B_r``, polynomials in ``symbols`` with numeric coefficients.
    exprs : sequence of sympy expressions
        The same field as whole expressions, compiled by :func:`compile_field` when the parts
        are not numeric polynomials.

    Returns
    -------
    callable
        ``field(Y, out=None)`` on arrays with one row per symbol, as from :func:`compile_field`.

    Notes
    -----
    With ``M(x)`` the monomials of degree two or more that occur in the parts, ``B = C_1 x +
    C_2 M(x) + c_0`` is two matrix products; each monomial is one multiplication of rows computed
    before it. The factors ``x_r`` and ``1 - x_r`` are applied last, so the field is exactly zero
    on every face ``x_r = 0`` (and ``x_r = 1``) whatever the rounding in ``B``.

    Examples
    --------
    >>> import numpy as np, sympy
    >>> x, y = sympy.symbols("x y")
    >>> f = compile_replicator_field((x, y), [True, True], [2 * y - 1, 1 - 3 * x + x * y],
    ...                              [x * (1 - x) * (2 * y - 1), y * (1 - y) * (1 - 3 * x + x * y)])
    >>> f(np.array([[0.5], [0.5]]))  # 0.25 * 0 and 0.25 * (1 - 1.5 + 0.25)
    array([[ 0.    ],
           [-0.0625]])
    """
    symbols = tuple(symbols)
    dim = len(symbols)
    if not (len(complement) == len(parts) == len(exprs) == dim):
        raise ValueError("one complement flag, part and expression per state symbol")
    try:
        plan = _matrix_plan(symbols, parts)
    except _Unsupported:
        return compile_field(symbols, exprs)
    return _replicator_kernel(dim, complement, plan)


def _replicator_kernel(dim, complement, plan, p=0):
    """``field(Y, out=None)`` computing ``x_r (1 - x_r if complement[r]) (C1 x + C2 M(x) + c0)_r``.

    With ``p`` parameter rows, ``Y`` has ``dim + p`` rows whose last ``p`` are parameters: only
    the ``dim`` state rows are computed (``plan``'s matrices have ``dim`` rows; its products may
    use the parameter rows), and the parameter rows of the result are +0.
    """
    C1, C2, c0, products = plan
    n_in = dim + p
    n_nl = C2.shape[1]
    comp_rows = [r for r, c in enumerate(complement) if c]
    all_comp = len(comp_rows) == dim
    local = threading.local()

    def field(Y, out=None):
        Y = np.asarray(Y, dtype=float)
        if p and (Y.ndim != 2 or Y.shape[0] != n_in):
            raise ParameterError(f"states must have shape ({n_in}, m): {dim} shares and {p} parameters, got {Y.shape}")
        shape = Y.shape[1:]
        if Y.ndim != 2:  # any leading shape: work on (dim, points)
            flat = np.ascontiguousarray(Y.reshape(dim, -1))
            res = field(flat)
            res = res.reshape((dim,) + shape)
            if out is None:
                return res
            out[...] = res
            return out
        if out is None:
            out = np.empty((n_in,) + shape)
        elif not out.flags.c_contiguous:  # matrix products write only into contiguous arrays
            out[...] = field(Y)
            return out
        bufs = getattr(local, "bufs", None)
        if bufs is None or bufs[0] != shape:
            bufs = (shape, np.empty((n_nl,) + shape), np.empty((dim,) + shape))
            local.bufs = bufs
        _, M, T = bufs
        head = out[:dim] if p else out  # the first rows of a C-contiguous array: contiguous
        X = Y[:dim] if p else Y
        np.dot(C1, Y, out=head)
        if n_nl:
            for j, a, b in products:
                np.multiply(Y[a] if a < n_in else M[a - n_in], Y[b], out=M[j])
            np.dot(C2, M, out=T)
            head += T
        head += c0
        if all_comp:
            np.subtract(1.0, X, out=T)
            head *= T
        else:
            for r in comp_rows:
                np.subtract(1.0, X[r], out=T[r])
                head[r] *= T[r]
        head *= X
        if p:
            out[dim:] = 0.0
        return out

    field.source = None
    field.plan = plan
    return field


def _matrix_plan(symbols, parts):
    """``(C1, C2, c0, products)`` with ``B = C1 x + C2 M + c0``; ``products`` builds ``M``.

    ``products`` lists ``(j, a, b)``: monomial ``j`` of ``M`` is the product of row ``a`` (a state
    row when ``a < dim``, else monomial ``a - dim``) and state row ``b``.
    """
    terms = []
    for part in parts:
        poly = _poly(part, symbols)
        if not poly.domain.is_Numerical:
            raise _Unsupported(part)
        terms.append([(mono, float(_literal(_expression(coeff)))) for mono, coeff in poly.terms()])
    return _assemble(len(symbols), terms)


def _poly(part, symbols):
    try:
        poly = sympy.Poly(sympy.expand(part), *symbols) if symbols else None
    except sympy.PolynomialError:
        raise _Unsupported(part) from None
    if poly is None:
        raise _Unsupported(part)
    return poly


def _assemble(dim, terms, *, with_index: bool = False):
    """The matrices of :func:`_matrix_plan` from each part's ``(monomial, value)`` terms.

    ``value`` is a float, or an array over points (then the matrices carry that trailing axis).
    """
    # monomials of degree >= 2, each reachable by multiplying a lower one (or a state row) by a row
    index: dict = {}
    products = []

    def ensure(mono):
        if mono in index:
            return index[mono]
        b = next(i for i, e in enumerate(mono) if e)
        lower = tuple(e - (i == b) for i, e in enumerate(mono))
        a = lower.index(1) if sum(lower) == 1 else dim + ensure(lower)
        j = len(products)
        products.append((j, a, b))
        index[mono] = j
        return j

    for ts in terms:
        for mono, _ in sorted(ts, key=lambda t: sum(t[0])):
            if sum(mono) >= 2:
                ensure(mono)
    tail = ()
    for ts in terms:
        for _, value in ts:
            if np.ndim(value):
                tail = np.shape(value)
    C1 = np.zeros((dim, dim) + tail)
    C2 = np.zeros((dim, len(products)) + tail)
    c0 = np.zeros((dim, 1) + tail)
    for r, ts in enumerate(terms):
        for mono, value in ts:
            degree = sum(mono)
            if degree == 0:
                c0[r, 0] += value
            elif degree == 1:
                C1[r, mono.index(1)] += value
            else:
                C2[r, index[mono]] += value
    if with_index:
        return (C1, C2, c0, products), index
    return C1, C2, c0, products


class FieldFunction:
    """A replicator field compiled once, with the game's parameters as arguments.

    The payoff parts ``B_r`` of the equations are polynomials in the state whose coefficients
    are expressions in the parameters. They are split once into monomials and coefficient
    expressions; a value set then costs the evaluation of the coefficients, not a new
    derivation or compilation.

    - :meth:`bind` takes exact values (keyed by symbol) and returns ``field(Y, out=None)``, the
      same function (the same floating-point operations) as compiling the field of the game with
      the values substituted;
    - :meth:`at` takes floating-point parameter vectors, one for all states (shape ``(p,)``) or
      one per state (shape ``(p, m)``, column ``j`` for state column ``j``), and returns
      ``field(Y, out=None)`` on arrays ``Y`` of shape ``(dim, m)``;
    - calling the object, ``field(Y, params, out=None)``, is ``field.at(params)(Y, out)``;
    - :meth:`with_parameter_rows` takes some parameters as extra rows of the state (derivative
      zero) and exact values of the others, for a batch over parameter values in one call.

    Parameters
    ----------
    symbols : sequence of sympy.Symbol
        The state ``x``; row ``r`` of the field belongs to ``symbols[r]``.
    parameters : sequence of sympy.Symbol
        The parameters, in the order of the rows of ``params``.
    complement : sequence of bool
        Whether row ``r`` carries the factor ``1 - x_r`` (a role with two strategies).
    parts : sequence of sympy expressions
        The payoff parts ``B_r``, polynomials in ``symbols``.

    Examples
    --------
    >>> import numpy as np, sympy
    >>> x, y, a = sympy.symbols("x y a")
    >>> f = FieldFunction((x, y), (a,), [True, True], [a * y - 1, 1 - 3 * x])
    >>> Y = np.array([[0.5, 0.5], [0.5, 0.5]])
    >>> f(Y, np.array([[2.0, 4.0]]))  # a = 2 for the first column, a = 4 for the second
    array([[ 0.   ,  0.25 ],
           [-0.125, -0.125]])
    >>> f.bind({a: 2})(Y[:, :1])
    array([[ 0.   ],
           [-0.125]])
    """

    def __init__(self, symbols, parameters, complement, parts):
        self.state = tuple(symbols)
        self.parameters = tuple(parameters)
        self._complement = tuple(bool(c) for c in complement)
        dim = len(self.state)
        if not (len(self._complement) == len(parts) == dim):
            raise ValueError("one complement flag and part per state symbol")
        self._terms = [[(mono, _expression(coeff)) for mono, coeff in _poly(part, self.state).terms()]
                       for part in parts]
        unknown = {s for ts in self._terms for _, c in ts for s in c.free_symbols} - set(self.parameters)
        if unknown:
            raise ParameterError(f"the field depends on {', '.join(sorted(s.name for s in unknown))}, "
                                 f"which are not among its parameters")
        self._float = None  # (coefficient function, positions, products): built on the first float call

    # ------------------------------------------------------------------ exact values
    def bind(self, values):
        """``field(Y, out=None)`` at exact parameter values, or None when it cannot be compiled so.

        ``values`` maps every parameter symbol to an exact number. The coefficients are
        evaluated exactly and rounded once; monomials whose coefficient vanishes are dropped, so
        the function computes what compiling the substituted field computes. None is returned
        when a coefficient is not a rational number at the values (the caller then compiles the
        substituted field instead).
        """
        values = {k: _expression(v) for k, v in values.items()}
        terms = []
        for ts in self._terms:
            row = []
            for mono, coeff in ts:
                value = coeff.xreplace(values) if coeff.free_symbols else coeff
                if value == 0:
                    continue
                if not value.is_Rational:
                    return None
                row.append((mono, float(_literal(value))))
            terms.append(row)
        return _replicator_kernel(len(self.state), self._complement, _assemble(len(self.state), terms))

    def with_parameter_rows(self, parameters, values):
        """The field over the state and ``parameters``, with the other parameters at ``values``.

        The ``parameters`` (a sequence of the field's parameter symbols) become extra rows of the
        state whose derivative is zero, so that one call integrates columns at different values
        of them; every other parameter is bound to its exact value in ``values``. The
        coefficients are substituted exactly and split into monomials of the state and the
        varied parameters together, then rounded once: nothing is derived or expanded again.

        Returns ``field(Y, out=None)`` on arrays ``(dim + p, m)`` (the last ``p`` rows of the
        result exactly zero), or None when a coefficient is not a polynomial with rational
        coefficients in ``parameters`` at ``values`` (the caller then compiles the substituted
        field instead).

        >>> import numpy as np, sympy
        >>> x, y, a = sympy.symbols("x y a")
        >>> f = FieldFunction((x, y), (a,), [True, True], [a * y - 1, 1 - 3 * x])
        >>> f.with_parameter_rows([a], {})(np.array([[0.5, 0.5], [0.5, 0.5], [2.0, 4.0]]))
        array([[ 0.   ,  0.25 ],
               [-0.125, -0.125],
               [ 0.   ,  0.   ]])
        """
        parameters = tuple(parameters)
        fixed = {k: _expression(v) for k, v in values.items()}
        p = len(parameters)
        terms = []
        for ts in self._terms:
            row: dict = {}
            for mono, coeff in ts:
                c = coeff.xreplace(fixed) if coeff.free_symbols else coeff
                if c == 0:
                    continue
                if c.free_symbols:
                    try:
                        poly = sympy.Poly(c, *parameters)
                    except sympy.PolynomialError:
                        return None
                    if not poly.domain.is_QQ and not poly.domain.is_ZZ:
                        return None
                    pieces = poly.terms()
                else:
                    if not c.is_Rational:
                        return None
                    pieces = [((0,) * p, c)]
                for pm, value in pieces:
                    m = tuple(mono) + tuple(pm)
                    row[m] = row.get(m, 0) + value
            terms.append([(m, float(_literal(sympy.Rational(v)))) for m, v in row.items() if v != 0])
        dim = len(self.state)
        C1, C2, c0, products = _assemble(dim + p, terms + [[] for _ in range(p)])
        return _replicator_kernel(dim, self._complement, (C1[:dim], C2[:dim], c0[:dim], products), p)

    # ------------------------------------------------------------------ float parameters
    def _float_plan(self):
        if self._float is None:
            dim = len(self.state)
            flat = [coeff for ts in self._terms for _, coeff in ts]
            (_, _, _, products), index = _assemble(dim, [[(mono, 0.0) for mono, _ in ts] for ts in self._terms],
                                                   with_index=True)
            positions = []
            for r, ts in enumerate(self._terms):
                for mono, _ in ts:
                    degree = sum(mono)
                    positions.append((0, r, 0) if degree == 0 else (1, r, mono.index(1)) if degree == 1
                                     else (2, r, index[mono]))
            fn = numpy_function(self.parameters, flat)  # names never reach the code
            self._float = (fn, positions, products)
        return self._float

    def at(self, params):
        """``field(Y, out=None)`` at floating-point parameters: shape ``(p,)``, or ``(p, m)`` per column."""
        params = np.asarray(params, dtype=float)
        p = len(self.parameters)
        if params.ndim not in (1, 2) or params.shape[0] != p:
            raise ParameterError(f"params must have shape ({p},) or ({p}, m) for parameters "
                                 f"{', '.join(s.name for s in self.parameters) or 'none'}, got {params.shape}")
        if not np.all(np.isfinite(params)):
            raise ParameterError("params contain NaN or infinite values")
        fn, positions, products = self._float_plan()
        dim = len(self.state)
        tail = params.shape[1:]
        values = fn(*params) if positions else []
        C1 = np.zeros((dim, dim) + tail)
        C2 = np.zeros((dim, len(products)) + tail)
        c0 = np.zeros((dim, 1) + tail)
        for (kind, r, c), value in zip(positions, values):
            (c0, C1, C2)[kind][r, c] += value
        if not tail:
            return _replicator_kernel(dim, self._complement, (C1, C2, c0, products))
        return _batched_kernel(dim, self._complement, (C1, C2, c0, products), tail[0])

    def __call__(self, Y, params, out=None):
        return self.at(params)(Y, out)


def _batched_kernel(dim, complement, plan, m):
    """As :func:`_replicator_kernel`, with coefficients that differ from column to column."""
    C1, C2, c0, products = plan
    n_nl = C2.shape[1]
    comp_rows = [r for r, c in enumerate(complement) if c]

    def field(Y, out=None):
        Y = np.asarray(Y, dtype=float)
        if Y.ndim != 2 or Y.shape != (dim, m):
            raise ParameterError(f"states must have shape ({dim}, {m}) to match the parameters, got {Y.shape}")
        res = np.einsum("rkm,km->rm", C1, Y) + c0[:, 0, :]
        if n_nl:
            M = np.empty((n_nl, m))
            for j, a, b in products:
                np.multiply(Y[a] if a < dim else M[a - dim], Y[b], out=M[j])
            res += np.einsum("rjm,jm->rm", C2, M)
        for r in comp_rows:
            res[r] *= 1.0 - Y[r]
        res *= Y
        if out is None:
            return res
        out[...] = res
        return out

    field.source = None
    return field
