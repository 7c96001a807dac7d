"""Rest points on a face of the state space: polynomial systems solved by exact algebra.

A face is given by a support :math:`S_i` for each role. Its rest points in the relative interior
are the points where, in every role, the strategies of the support earn equal payoffs: one
polynomial equation :math:`U_{i,k} - U_{i,k_0} = 0` for each :math:`k \\in S_i \\setminus
\\{k_0\\}`, in the shares of the *other* roles (a role's payoffs do not depend on its own shares).
The system is square and multilinear across roles.

:func:`solve_face` solves it with ``sympy.polys``, by work that depends on the input only:

1. Linear systems (the common case: at most two roles mixing) are solved by exact Gaussian
   elimination over :math:`\\mathbb{Q}` or over the field of rational functions in the
   parameters.
2. Otherwise the number of solutions is bounded first, by the multihomogeneous Bezout number of
   the system over the roles' blocks of unknowns; above :attr:`SearchLimits.max_solutions` (or
   above :attr:`SearchLimits.max_terms` terms) the face is reported unsolved, with that reason.
3. A reduced lexicographic Groebner basis is computed over the same field. ``[1]`` means no
   solution; a positive-dimensional ideal is a continuum (reported as such); a zero-dimensional
   ideal in *shape position* (:math:`x_j - g_j(t)` and one eliminant :math:`h(t)`) is solved
   through the eliminant:

   - at numeric values, every real root of :math:`h` is isolated exactly (``Poly.real_roots``:
     rationals and ``CRootOf``), and each share :math:`s(t)` of the support is certified
     positive: reduced modulo the root's minimal polynomial it is either identically zero
     (decided exactly) or nonzero, and then signed from a 50-digit evaluation of the exact root;
   - symbolically, eliminants of degree 1 and 2 are solved in closed form (degree 2 with the
     discriminant's positivity as part of the existence condition); higher degrees have no
     usable closed form and the face is reported unsolved.

   A zero-dimensional ideal not in shape position is solved by ``solve_poly_system`` at numeric
   values (its size bounded by the Bezout number) and reported unsolved symbolically.

When a role's payoffs depend on its own shares (state-dependent instruments) the system is no
longer multilinear. Symbolically it is first reduced: unknowns that enter an equation linearly
with a coefficient nonzero on the open face are eliminated, and a remaining two-equation system
whose eliminant is certified to exceed the closed-form degree is reported unsolved without a
Groebner basis over the rational-function field (whose cost no count bounds).

Over the field of rational functions the computation is *generic*: it assumes that no leading
coefficient met on the way vanishes. Where one does the parameters lie on a hypersurface; rest
points that exist only there are not listed (the existence conditions of the listed points imply
that their denominators do not vanish).

Examples
--------
>>> import sympy
>>> p, q = sympy.symbols("p q")
>>> res = solve_face([3*q - 1, 2*p - 1], [p, q], [[p], [q]], [[p, 1 - p], [q, 1 - q]], (), True)
>>> res.status, res.solutions
('solved', ({p: 1/2, q: 1/3},))
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import sympy

__all__ = ["SearchLimits", "FaceResult", "solve_face", "bezout_number", "all_faces", "DEFAULT_LIMITS"]


@dataclass(frozen=True)
class SearchLimits:
    """Work limits of the rest-point search (counts, never seconds).

    Attributes
    ----------
    max_solutions : int
        Largest multihomogeneous Bezout number (a bound on the number of isolated solutions) of
        a nonlinear face system that is solved.
    max_terms : int
        Largest number of terms (over unknowns and parameters) of a face system that is solved.
    max_faces : int
        Largest number of faces searched; the remaining ones are listed as unsolved.
    symbolic_degree : int
        Highest degree of an eliminant solved in closed form without parameter values (1 or 2).
    """

    max_solutions: int = 24
    max_terms: int = 2000
    max_faces: int = 20000
    symbolic_degree: int = 2

    def __post_init__(self):
        from ..core.errors import ParameterError

        for name in ("max_solutions", "max_terms", "max_faces", "symbolic_degree"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                raise ParameterError(f"SearchLimits.{name} must be a positive integer, got {v!r}")
        if self.symbolic_degree > 2:
            raise ParameterError("SearchLimits.symbolic_degree is at most 2 (closed forms beyond are not usable)")


DEFAULT_LIMITS = SearchLimits()


@dataclass(frozen=True)
class FaceResult:
    """Outcome of one face.

    Attributes
    ----------
    status : str
        ``"solved"`` (every isolated solution found; possibly none), ``"continuum"`` (a
        positive-dimensional solution set) or ``"unsolved"`` (a limit was reached).
    solutions : tuple of dict
        Unknown -> exact value. At numeric values only the solutions whose support shares are
        all certified positive; symbolically every generic solution (filter by existence).
    certified : bool
        Whether the positivity of the support shares has been certified (numeric mode).
    reason : str
        Why the face is a continuum or unsolved; how it was solved otherwise.
    """

    status: str
    solutions: tuple = ()
    certified: bool = False
    reason: str = ""


def bezout_number(eqs, blocks) -> int:
    """The multihomogeneous Bezout number of a square system over blocks of unknowns.

    The coefficient of :math:`\\prod_j z_j^{n_j}` in :math:`\\prod_e \\sum_j d_{ej} z_j`, with
    :math:`d_{ej}` the degree of equation :math:`e` in block :math:`j` and :math:`n_j` the size
    of block :math:`j`: an upper bound on the number of isolated solutions (in the product of
    projective spaces, hence in the box).

    Examples
    --------
    >>> x, y, z = sympy.symbols("x y z")
    >>> bezout_number([y*z - 1, x*z - 1, x*y - 1], [[x], [y], [z]])   # derangements of 3
    2
    """
    zs = sympy.symbols(f"z0:{len(blocks)}")
    prod = sympy.Integer(1)
    for e in eqs:
        degs = [sympy.Poly(e, *b).total_degree() if e.free_symbols & set(b) else 0 for b in blocks]
        prod = sympy.expand(prod * sum(d * z for d, z in zip(degs, zs)))
    target = sympy.Mul(*[z ** len(b) for z, b in zip(zs, blocks)])
    return int(sympy.Poly(prod, *zs).coeff_monomial(target)) if prod != 0 else 0


def _domain(params):
    return sympy.QQ.frac_field(*params) if params else sympy.QQ


def _linear(eqs, unknowns, K):
    """Exact elimination of a linear system; returns a FaceResult or None when rank-deficient."""
    from sympy.polys.matrices import DomainMatrix

    rows = []
    for e in eqs:
        p = sympy.Poly(e, *unknowns, domain=K)
        coeffs = [p.coeff_monomial(u) for u in unknowns]
        rows.append([K.convert(c) for c in coeffs] + [K.convert(-p.coeff_monomial(1))])
    M = DomainMatrix(rows, (len(eqs), len(unknowns) + 1), K)
    R, pivots = M.rref()
    n = len(unknowns)
    if n in pivots:
        return FaceResult("solved", (), False, "linear system: inconsistent (generically)")
    if len(pivots) < n:
        return None
    Rl = R.to_Matrix()
    sol = {u: sympy.cancel(Rl[r, n]) for r, u in enumerate(unknowns)}
    return FaceResult("solved", (sol,), False, "linear system: exact elimination")


def _shape(G, unknowns):
    """``(h, [g_j])`` when the reduced lex basis ``G`` is in shape position, else None."""
    *head, t = unknowns
    if len(G) != len(unknowns):
        return None
    polys = list(G.exprs)
    h = polys[-1]
    if h.free_symbols & set(head):
        return None
    gs = []
    for u, g in zip(head, polys[:-1]):
        rest = sympy.expand(u - g)
        if rest.free_symbols & set(unknowns) - {t}:
            return None
        gs.append(rest)
    return h, gs


def _sign_at_root(poly, root, f, t):
    """Exact sign and value of ``poly(root)`` for a rational polynomial and a real root of the
    irreducible rational polynomial ``f``."""
    if root.is_Rational:
        v = poly.as_expr().xreplace({t: root})
        return int(bool(v > 0)) - int(bool(v < 0)), v
    rem = poly.rem(f)
    if rem.is_zero:
        return 0, sympy.Integer(0)
    value = rem.as_expr().xreplace({t: root})
    approx = sympy.re(value.evalf(50))
    prec = 50
    while abs(approx) < sympy.Float(10) ** (-prec + 10):  # nonzero exactly: refine until signed
        prec *= 2
        approx = sympy.re(value.evalf(prec))
    return (1 if approx > 0 else -1), value


def _own_dependent(eqs, blocks) -> bool:
    """Some equation has degree above 1 in one role's block (state-dependent payoffs)."""
    for e in eqs:
        for b in blocks:
            if e.free_symbols & set(b) and sympy.Poly(e, *b).total_degree() > 1:
                return True
    return False


def _nonzero_on_face(factor, shares, unknowns) -> bool:
    """A factor that does not vanish on the open face, generically: free of the unknowns (a
    parameter polynomial, zero only on a hypersurface of parameter space) or, up to sign, one
    of the support shares (positive on the face)."""
    if not factor.free_symbols & set(unknowns):
        return True
    return any(sympy.expand(factor - sh) == 0 or sympy.expand(factor + sh) == 0 for sh in shares)


def _strip(expr, shares, unknowns):
    """``expr`` without its factors that do not vanish on the face (squarefree)."""
    _, factors = sympy.factor_list(sympy.expand(expr))
    keep = [f for f, _ in factors if not _nonzero_on_face(f, shares, unknowns)]
    return sympy.expand(sympy.Mul(*keep))


def _eliminate_linear(eqs, unknowns, shares):
    """Eliminate the unknowns that enter an equation linearly with a coefficient that does not
    vanish on the face: ``a u + b = 0`` gives ``u = -b/a``, substituted into the others (their
    numerators kept, stripped of factors nonzero on the face).

    Returns ``(eqs, unknowns, steps)``; ``steps`` lists ``(u, -b/a)`` in elimination order, each
    in the unknowns left at that point. Nothing is lost: on the face ``a != 0``, so the
    solutions of the original system are exactly those of the reduced one, extended.
    """
    eqs, unknowns, steps = list(eqs), list(unknowns), []
    shares = list(shares)
    while unknowns:
        best = None
        for i, e in enumerate(eqs):
            for j, u in enumerate(unknowns):
                if u not in e.free_symbols:
                    continue
                p = sympy.Poly(e, u)
                if p.degree() != 1:
                    continue
                a, b = p.all_coeffs()
                _, factors = sympy.factor_list(a)
                if not all(_nonzero_on_face(f, shares, unknowns) for f, _ in factors):
                    continue
                # fewest other equations touched, then the lowest degree of -b/a: the reduced
                # system stays small (a deterministic order: ties by position)
                others = sum(1 for k, f in enumerate(eqs) if k != i and u in f.free_symbols)
                deg = sum(sympy.Poly(c, *unknowns).total_degree() for c in (a, b))
                key = (others, deg, i, j)
                if best is None or key < best[0]:
                    best = (key, i, u, a, b)
        if best is None:
            break
        _, i, u, a, b = best
        value = -b / a
        rest = []
        for k, e in enumerate(eqs):
            if k == i:
                continue
            num = sympy.numer(sympy.together(e.xreplace({u: value})))
            rest.append(num)
        unknowns.remove(u)
        shares = [sh for sh in shares if u not in sh.free_symbols]
        eqs = []
        for num in rest:
            num = sympy.expand(num)
            if num == 0:
                continue
            if num.free_symbols & set(unknowns):
                num = _strip(num, shares, unknowns)
            eqs.append(num)
        steps.append((u, value))
    return eqs, unknowns, steps


_PRIMES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97)


def _eliminant_degree_bound(eqs, unknowns, params):
    """A lower bound on the degree of the lex eliminant of a 2x2 system over QQ(params), or None.

    With ``f`` of leading coefficient in ``u`` free of the unknowns, the roots of
    :math:`R(t) = \\operatorname{Res}_u(f, g)` are the ``t``-coordinates of the common solutions,
    so the eliminant ``h`` (which divides ``R``) has at least as many distinct roots as ``R``.
    At a parameter point where neither leading coefficient vanishes the resultant specialises,
    and specialisation can merge distinct roots but not split them: the number of distinct roots
    of the specialised resultant is a lower bound on ``deg h``. The points are fixed (primes, in
    the parameters' order), so the bound is deterministic; it is computed over QQ at the cost
    of one univariate resultant.
    """
    f, g = eqs
    u, t = unknowns
    pf, pg = sympy.Poly(f, u), sympy.Poly(g, u)
    lcs = (pf.LC(), pg.LC())
    if all(lc.free_symbols & {t} for lc in lcs):
        return None
    if pf.LC().free_symbols & {t}:
        f, g = g, f
    names = list(params)
    for shift in (0, 1, 2):
        if len(names) + shift > len(_PRIMES):
            return None
        point = {p: sympy.Integer(_PRIMES[k + shift]) for k, p in enumerate(names)}
        if any(sympy.expand(lc.xreplace(point)) == 0 for lc in lcs):
            continue
        r = sympy.resultant(sympy.expand(f.xreplace(point)), sympy.expand(g.xreplace(point)), u)
        if r == 0:
            continue
        rp = sympy.Poly(r, t, domain="QQ")
        return rp.sqf_part().degree()
    return None


def solve_face(eqs, unknowns, blocks, shares, params, numeric: bool, limits: SearchLimits = DEFAULT_LIMITS
               ) -> FaceResult:
    """Solve a face system exactly within ``limits`` (see the module docstring).

    Systems with state-dependent payoffs (an equation of degree above 1 in one role's shares)
    are first reduced symbolically: unknowns that enter linearly with a coefficient nonzero on
    the face are eliminated (:func:`_eliminate_linear`), and a remaining system of two equations
    whose eliminant provably has degree above ``limits.symbolic_degree``
    (:func:`_eliminant_degree_bound`) is reported unsolved at once, as the Groebner basis would
    report it, without computing that basis over the field of rational functions (whose cost the
    other limits do not bound).

    Parameters
    ----------
    eqs : list of sympy expressions
        Polynomials in ``unknowns`` (coefficients rational, or rational functions of ``params``).
    unknowns : list of sympy.Symbol
    blocks : list of list of sympy.Symbol
        The unknowns grouped by role (for the Bezout number).
    shares : list of list of sympy expressions
        The support shares of each mixing role, affine in the unknowns; at numeric values a
        solution is kept only when every one is certified positive.
    params : tuple of sympy.Symbol
    numeric : bool
    limits : SearchLimits
    """
    if not numeric and _own_dependent(eqs, blocks):
        return _solve_reduced(eqs, unknowns, blocks, shares, params, limits)
    return _solve(eqs, unknowns, blocks, shares, params, numeric, limits)


def _solve_reduced(eqs, unknowns, blocks, shares, params, limits):
    all_shares = [s for block in shares for s in block]
    reduced, left, steps = _eliminate_linear(eqs, unknowns, all_shares)
    note = (f"{len(steps)} share(s) entering linearly eliminated; " if steps else "")
    left_shares = [[s for s in block if not s.free_symbols & ({u for u, _ in steps})] for block in shares]
    left_blocks = [[u for u in b if u in left] for b in blocks]
    left_blocks = [b for b in left_blocks if b]
    if not left:
        if reduced:  # equations left without unknowns: nonzero parameter expressions
            return FaceResult("solved", (), False, note + "no solution off a hypersurface of parameter space")
        result = FaceResult("solved", ({},), False, note.rstrip("; "))
    elif len(reduced) < len(left):
        return FaceResult("continuum", reason=note + "fewer equations than unknowns after elimination")
    else:
        if len(left) == 2 and len(reduced) == 2 and not all(
                sympy.Poly(e, *left).total_degree() <= 1 for e in reduced):
            deg = _eliminant_degree_bound(reduced, left, params)
            if deg is not None and deg > limits.symbolic_degree:
                return FaceResult("unsolved", reason=note + f"eliminant of degree at least {deg} in the "
                                                            f"parameters (closed forms up to degree "
                                                            f"{limits.symbolic_degree})")
        result = _solve(reduced, left, left_blocks, left_shares, params, False, limits)
        if result.status != "solved":
            return FaceResult(result.status, result.solutions, result.certified, note + result.reason)
    sols = []
    for sol in result.solutions:
        full = dict(sol)
        for u, value in reversed(steps):
            full[u] = sympy.cancel(value.xreplace(full))
        sols.append(full)
    return FaceResult("solved", tuple(sols), False, note + result.reason)


def _solve(eqs, unknowns, blocks, shares, params, numeric, limits):
    K = _domain(params)
    all_shares = [s for block in shares for s in block]
    if all(sympy.Poly(e, *unknowns).total_degree() <= 1 for e in eqs):
        res = _linear(eqs, unknowns, K)
        if res is None:
            return _underdetermined(eqs, unknowns)
        if numeric and res.solutions:
            sol = res.solutions[0]
            if not all((s.xreplace(sol)).is_positive for s in all_shares):
                return FaceResult("solved", (), True, res.reason)
            return FaceResult("solved", res.solutions, True, res.reason)
        return res
    terms = sum(len(sympy.Add.make_args(e)) for e in eqs)
    if terms > limits.max_terms:
        return FaceResult("unsolved", reason=f"{terms} terms in the face system (limit {limits.max_terms})")
    bound = bezout_number(eqs, blocks)
    if bound > limits.max_solutions:
        return FaceResult("unsolved", reason=f"multihomogeneous Bezout number {bound} "
                                             f"(limit {limits.max_solutions})")
    G = sympy.groebner(eqs, *unknowns, order="lex", domain=K)
    if G.exprs == [1]:
        return FaceResult("solved", (), numeric, "Groebner basis [1]: no solution")
    if not G.is_zero_dimensional:
        return FaceResult("continuum", reason="positive-dimensional solution set (Groebner basis)")
    shape = _shape(G, unknowns)
    t = unknowns[-1]
    if shape is None:
        if not numeric:
            return FaceResult("unsolved", reason="zero-dimensional ideal not in shape position")
        return _numeric_general(G, unknowns, all_shares)
    h, gs = shape
    hp = sympy.Poly(h, t, domain=K)
    if numeric:
        return _numeric_shape(hp, gs, unknowns, all_shares)
    deg = hp.degree()
    if deg > limits.symbolic_degree:
        return FaceResult("unsolved", reason=f"eliminant of degree {deg} in the parameters (closed forms up to "
                                             f"degree {limits.symbolic_degree})")
    c = [K.to_sympy(x) for x in hp.all_coeffs()]
    if deg == 1:
        roots = [(sympy.cancel(-c[1] / c[0]), sympy.true)]
    else:
        disc = sympy.cancel(c[1] ** 2 - 4 * c[0] * c[2])
        from .stability import positive

        cond = positive(disc, True)
        if cond is sympy.false:
            return FaceResult("solved", (), False, "eliminant of degree 2 with negative discriminant")
        r = sympy.sqrt(sympy.factor(disc))
        roots = [(sympy.cancel(-c[1] / (2 * c[0])) + sgn * r / (2 * c[0]), cond) for sgn in (1, -1)]
    sols = []
    for root, cond in roots:
        sol = {t: root}
        for u, g in zip(unknowns[:-1], gs):
            gp = sympy.Poly(g, t, domain=K)
            sol[u] = sympy.cancel(sum(K.to_sympy(a) * root ** k for k, a in enumerate(reversed(gp.all_coeffs()))))
        sols.append((sol, cond))
    return FaceResult("solved", tuple(s for s, _ in sols), False,
                      f"Groebner basis in shape position, eliminant of degree {deg}"
                      + ("; real roots need the discriminant > 0" if deg == 2 else ""))


def _numeric_shape(hp, gs, unknowns, shares):
    """All real roots of a shape-position system over QQ, each certified inside the face."""
    t = unknowns[-1]
    hq = sympy.Poly(hp.as_expr(), t, domain="QQ")
    roots = []  # (root, its irreducible factor), in the order of the factors
    for fac, _ in hq.factor_list()[1]:
        for r in fac.real_roots():
            if all(r != q for q, _ in roots):
                roots.append((r, fac))
    gpolys = [sympy.Poly(g, t, domain="QQ") for g in gs]
    sols = []
    for r, fac in roots:
        sub = dict(zip(unknowns[:-1], (gp.as_expr() for gp in gpolys)))
        ok = True
        values = {}
        for s in shares:
            sp = sympy.Poly(sympy.expand(s.xreplace(sub)), t, domain="QQ")
            sign, _ = _sign_at_root(sp, r, fac, t)
            if sign <= 0:
                ok = False
                break
        if not ok:
            continue
        for u, gp in zip(unknowns[:-1], gpolys):
            _, values[u] = _sign_at_root(gp, r, fac, t)
        values[t] = r
        sols.append(values)
    return FaceResult("solved", tuple(sols), True,
                      f"Groebner basis in shape position; {len(roots)} real root(s) of the eliminant isolated exactly")


def _numeric_general(G, unknowns, shares):
    """Zero-dimensional, not in shape position, numeric: ``solve_poly_system`` on the basis."""
    sols = []
    for tup in sympy.solve_poly_system(list(G.exprs), *unknowns) or []:
        sol = dict(zip(unknowns, tup))
        vals = [s.xreplace(sol) for s in shares]
        if not all(v.is_real for v in vals):
            continue
        if not all(v.is_positive for v in vals):
            continue
        sols.append(sol)
    return FaceResult("solved", tuple(sols), True, "Groebner basis; triangular solution (solve_poly_system)")


def _underdetermined(eqs, unknowns):
    """A rank-deficient linear system: its solution set is an affine subspace, a continuum when
    it meets the face. Returned as ``continuum`` with the parametrised solutions, which the
    caller may discard when a fixed share provably leaves (0, 1)."""
    sols = sympy.solve(eqs, unknowns, dict=True)
    return FaceResult("continuum", tuple(sols), False, "rank-deficient linear system")


def all_faces(shape):
    """Every face of the product of simplices with at least one role mixing two or more strategies.

    A face is one tuple of strategy indices per role (the strategies in its support), for a game
    of ``shape`` (strategies per role); the faces are sorted by their number of strategies, the
    smallest first. The pure vertices (one strategy per role) are left out.

    >>> all_faces((2, 2))[:3]
    [((0,), (0, 1)), ((1,), (0, 1)), ((0, 1), (0,))]
    """
    options = []
    for n in shape:
        options.append([S for r in range(1, n + 1) for S in itertools.combinations(range(n), r)])
    faces = [f for f in itertools.product(*options) if any(len(S) > 1 for S in f)]
    faces.sort(key=lambda f: sum(len(S) for S in f))
    return faces
