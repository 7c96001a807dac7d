"""N-player games with two strategies each: the indifference polynomials, solved exactly.
"""

from __future__ import annotations

import itertools

import numpy as np
import sympy

from .certificate import exact_sign


def _solve_polynomial_system(eqs, syms):
    """Real solutions of a polynomial system with rational coefficients, exactly.

    Zero-dimensional systems in shape position (the generic case) are solved from their
    lexicographic Groebner basis ``x_i - f_i(x_k), g(x_k)``: the real roots of ``g`` (rational,
    radicals or ``CRootOf``) substituted into the ``f_i``. Other systems go to ``sympy.solve``,
    whose answer shows non-isolated solutions as free symbols.
    """
    basis = sympy.groebner(eqs, *syms, order="lex")
    polys = list(basis.exprs)
    if polys == [1]:
        return []
    last = syms[-1]
    shape = len(polys) == len(syms)
    if shape:
        for x, g in zip(syms[:-1], polys[:-1]):
            lead = sympy.Poly(g, *syms).coeff_monomial(x)
            if not lead.is_Rational or lead == 0 or sympy.expand(g - lead * x).free_symbols - {last}:
                shape = False
                break
        shape = shape and polys[-1].free_symbols == {last}
    if not shape:
        return sympy.solve(eqs, syms, dict=True)
    out = []
    for root in sympy.Poly(polys[-1], last).real_roots():
        sol = {last: root}
        for x, g in zip(syms[:-1], polys[:-1]):
            lead = sympy.Poly(g, *syms).coeff_monomial(x)
            sol[x] = sympy.expand(-(g - lead * x).xreplace({last: root}) / lead)
        out.append(sol)
    return out


def n_player_mixed_candidates(game, exact_arrays):
    """Equilibria of N-player games with two strategies each, from the indifference polynomials.

    For each choice of which players play their first strategy, their second, or mix, the
    mixers' indifference conditions ``u_i(first, p_-i) = u_i(second, p_-i)`` are polynomials
    (multilinear) in the mixers' probabilities ``p_k`` of their first strategies, built in exact
    rational arithmetic (``exact_arrays`` hold ``fractions.Fraction`` payoffs) and solved exactly.
    """
    from sympy.polys.domains import QQ
    from sympy.polys.rings import ring

    n = len(game.players)
    ring_, *gens = ring(",".join(f"p_{k}" for k in range(n)), QQ)
    ps = [sympy.Symbol(f"p_{k}") for k in range(n)]

    def const(x):
        return ring_(QQ(x.numerator, x.denominator))

    diffs = [np.vectorize(const, otypes=[object])(np.take(U, 0, axis=i) - np.take(U, 1, axis=i))
             for i, U in enumerate(exact_arrays)]
    out, continuum = [], []
    one, zero = sympy.Integer(1), sympy.Integer(0)
    for assignment in itertools.product((0, 1, None), repeat=n):
        mixers = [k for k, a in enumerate(assignment) if a is None]
        if not mixers:
            continue
        vectors = [[ps[k], 1 - ps[k]] if a is None else ([one, zero] if a == 0 else [zero, one])
                   for k, a in enumerate(assignment)]
        eqs = []
        for i in mixers:
            T = diffs[i]
            for k in reversed([k for k in range(n) if k != i]):
                T = T[..., assignment[k]] if assignment[k] is not None else T[..., 0] * gens[k] + T[..., 1] * (1 - gens[k])
            if isinstance(T, np.ndarray):
                T = T[()]
            expr = T.as_expr()
            eqs.append(sympy.Integer(expr) if isinstance(expr, int) else expr)
        if any(e.is_number and e != 0 for e in eqs):
            continue
        syms = [ps[k] for k in mixers]
        live = [e for e in eqs if e != 0]
        if len(live) < len(eqs) and len(mixers) == 1:
            continuum.append(mixers)
            continue
        solutions = _solve_polynomial_system(live, syms) if live else [{}]
        for sol in solutions:
            if len(sol) < len(syms) or any(v.free_symbols for v in sol.values()):
                continuum.append(mixers)
                continue
            point = {}
            for s, v in sol.items():
                if v.has(sympy.I):
                    im = sympy.im(sympy.expand_complex(v))
                    if exact_sign(im) != 0:
                        break
                    v = sympy.re(sympy.expand_complex(v))
                if not (exact_sign(v) > 0 and exact_sign(1 - v) > 0):
                    break
                point[s] = v
            else:
                out.append([[sympy.radsimp(x.xreplace(point)) for x in vec] for vec in vectors])
    return out, continuum
