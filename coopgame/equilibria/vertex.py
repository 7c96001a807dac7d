"""Two-player games: exact vertex enumeration of the best-response polytopes.

Equilibria are the completely labelled vertex pairs of the polytopes ``{x >= 0 : B^T x <= 1}``
and ``{y >= 0 : A y <= 1}`` (Algorithm 3.4 of von Stengel in Nisan et al. 2007). Vertices are
found in floating point and decided exactly (integers, Bareiss elimination) where the float
system is nearly singular; with rational payoffs every reported vertex is exact.
"""

from __future__ import annotations

import itertools
import math
import operator
import warnings
from fractions import Fraction

import numpy as np
import sympy

from ..core.errors import (
    IncompleteSearchWarning,
)
from .certificate import exact_sign

_CHUNK = 20_000


def _float_vertices(G, id_labels, pay_labels):
    """All vertices but 0 of ``{z >= 0 : G z <= 1}`` (``G`` positive, shape rows x d).

    A vertex has d linearly independent tight constraints: ``z_i = 0`` off a support ``S`` and
    ``(G z)_j = 1`` for ``|S|`` rows ``J``, so it solves the square system ``G[J, S] z_S = 1``.
    All systems of one size are solved at once. Returns the vertices of well-conditioned systems
    as (tight labels, z, lenient label mask), and the label sets of nearly singular systems, to be
    decided exactly. The lenient mask holds every label within a tolerance that grows with the
    system's condition number, so that it contains the exact labels.
    """
    rows, d = G.shape
    nlabels = rows + d
    dtype = np.int64 if nlabels < 63 else object
    id_w = np.array([1 << int(v) for v in id_labels], dtype=dtype)
    pay_w = np.array([1 << int(v) for v in pay_labels], dtype=dtype)
    big = float(np.abs(G).max())
    found, doubtful = [], []
    for k in range(1, min(rows, d) + 1):
        supports = np.array(list(itertools.combinations(range(d), k)), dtype=np.int64)
        tights = np.array(list(itertools.combinations(range(rows), k)), dtype=np.int64)
        step = max(1, _CHUNK // len(tights))
        for start in range(0, len(supports), step):
            S = np.repeat(supports[start:start + step], len(tights), axis=0)
            J = np.tile(tights, (min(step, len(supports) - start), 1))
            mats = G[J[:, :, None], S[:, None, :]]
            # 1/cond_2 >= |det| / (2 (|M|_F / sqrt(k))^k) (Guggenheimer, Edelman and Johnson 1995):
            # a cheap, safe lower bound on the inverse condition number
            fro = np.sqrt(np.einsum("...ij,...ij->...", mats, mats)) / math.sqrt(k)
            ratio = np.abs(np.linalg.det(mats)) / (2 * fro**k)
            good = ratio > 1e-12
            for s_, j_ in zip(S[~good].tolist(), J[~good].tolist()):
                doubtful.append(tuple(id_labels[i] for i in range(d) if i not in s_) + tuple(pay_labels[j] for j in j_))
            S, J, mats, ratio = S[good], J[good], mats[good], ratio[good]
            if S.size == 0:
                continue
            try:
                zs = np.linalg.solve(mats, np.ones(mats.shape[:2] + (1,)))[..., 0]
            except np.linalg.LinAlgError:  # an exactly singular LU after all: decide all exactly
                for s_, j_ in zip(S.tolist(), J.tolist()):
                    doubtful.append(tuple(id_labels[i] for i in range(d) if i not in s_)
                                    + tuple(pay_labels[j] for j in j_))
                continue
            Z = np.zeros((len(S), d))
            np.put_along_axis(Z, S, zs, axis=1)
            # float64 solution error is about eps * cond relative to |z| <= 1 (as G >= 1)
            tol = np.maximum(1e-9, 1e-14 * big * math.sqrt(k) / ratio)[:, None]
            slack = 1.0 - Z @ G.T
            ok = np.all(slack >= -tol, axis=1) & np.all(Z >= -tol, axis=1)
            S, J, Z, slack, tol = S[ok], J[ok], Z[ok], slack[ok], tol[ok]
            masks = (np.abs(Z) <= tol).astype(dtype) @ id_w + (np.abs(slack) <= tol).astype(dtype) @ pay_w
            for s_, j_, z, mask in zip(S.tolist(), J.tolist(), Z, masks.tolist()):
                labels = tuple(id_labels[i] for i in range(d) if i not in s_) + tuple(pay_labels[j] for j in j_)
                found.append((labels, z, mask))
    return found, doubtful


def solve_integer(M, r):
    """Solve the integer system ``M z = r`` exactly (Bareiss fraction-free elimination).

    Returns ``(y, D)`` with ``z = y / D``, ``y`` integers and ``D > 0`` (the absolute value of the
    determinant), or None when ``M`` is singular.
    """
    d = len(r)
    # rows c z_j = 0 (the constraints z_j >= 0 of a best-response polytope) pin z_j = 0: the
    # rest is solved over the other columns, and |det M| = prod |c| * |det rest|
    pinned, rest, scale = {}, [], 1
    for row, ri in zip(M, r):
        if ri == 0 and row.count(0) == d - 1:
            j = next(k for k, c in enumerate(row) if c)
            if j in pinned:
                return None  # two rows pin the same column: singular
            pinned[j] = True
            scale *= abs(row[j])
        else:
            rest.append((row, ri))
    if pinned:
        free = [k for k in range(d) if k not in pinned]
        if not free:
            return [0] * d, scale
        res = _bareiss([[row[k] for k in free] for row, _ in rest], [ri for _, ri in rest])
        if res is None:
            return None
        y_free, D = res
        y = [0] * d
        for k, v in zip(free, y_free):
            y[k] = v * scale
        return y, D * scale
    return _bareiss(M, r)


def _bareiss(M, r):
    """:func:`solve_integer` by Bareiss elimination of the whole system."""
    d = len(r)
    a = [list(row) + [ri] for row, ri in zip(M, r)]
    prev = 1
    for k in range(d):
        piv = next((i for i in range(k, d) if a[i][k] != 0), None)
        if piv is None:
            return None
        if piv != k:
            a[k], a[piv] = a[piv], a[k]
        rk = a[k]
        akk = rk[k]
        for i in range(k + 1, d):
            ri = a[i]
            aik = ri[k]
            for j in range(k + 1, d + 1):
                ri[j] = (ri[j] * akk - aik * rk[j]) // prev
            ri[k] = 0
        prev = akk
    D = a[d - 1][d - 1]
    y = [0] * d
    for i in range(d - 1, -1, -1):
        row = a[i]
        total = row[d] * D - sum(row[j] * y[j] for j in range(i + 1, d))
        y[i] = total // row[i]  # exact: y_i = z_i * D is an integer by Cramer's rule
    if D < 0:
        y, D = [-v for v in y], -D
    return y, D


def integer_vertex(Cx, bx, subset):
    """The vertex ``y / D`` of the integer system ``Cx z <= bx`` where ``subset`` is tight, as
    integers ``(y, D)``, and its labels; None when singular or infeasible."""
    res = solve_integer([Cx[i] for i in subset], [bx[i] for i in subset])
    if res is None:
        return None
    y, D = res
    mask = 0
    for label, (row, rhs) in enumerate(zip(Cx, bx)):
        value = sum(map(operator.mul, row, y))
        bound = rhs * D
        if value > bound:
            return None
        if value == bound:
            mask |= 1 << label
    return y, D, mask


def _exact_vertex(Cx, bx, subset):
    """The vertex of the integer system ``Cx z <= bx`` where ``subset`` is tight, and its labels."""
    res = integer_vertex(Cx, bx, subset)
    if res is None:
        return None
    y, D, mask = res
    return tuple(Fraction(v, D) for v in y), mask


def _exact_polytope(G, first_is_identity):
    """Integer constraints of a best-response polytope, scaled by the payoffs' common denominator."""
    k, d = len(G), len(G[0])
    L = 1
    for row in G:
        for x in row:
            L = L * x.denominator // math.gcd(L, x.denominator)
    rows = [[int(x * L) for x in row] for row in G]
    ident = [[-1 if i == j else 0 for j in range(d)] for i in range(d)]
    if first_is_identity:
        return ident + rows, [0] * d + [L] * k
    return rows + ident, [L] * k + [0] * d


def shifted_payoffs(a, exact):
    """The payoff array ``a`` shifted to have least entry 1 (the best-response polytopes need
    positive payoffs; shifting a player's payoffs leaves her best responses unchanged), in exact
    arithmetic (``exact``: entries ``fractions.Fraction``) or in floats."""
    low = a.min()
    return a - low + (Fraction(1) if exact else 1.0)


def _sympy_vertex(Cx, bx, subset):
    """As :func:`_exact_vertex`, for constraints with irrational (sympy) coefficients."""
    M = sympy.Matrix([Cx[i] for i in subset])
    if exact_sign(M.det()) == 0:
        return None
    z = [sympy.radsimp(v) for v in M.LUsolve(sympy.Matrix([bx[i] for i in subset]))]
    mask = 0
    for label, (row, rhs) in enumerate(zip(Cx, bx)):
        sign = exact_sign(sum((c * v for c, v in zip(row, z)), start=sympy.Integer(0)) - rhs)
        if sign > 0:
            return None
        if sign == 0:
            mask |= 1 << label
    return tuple(z), mask


def tidy_algebraic(v):
    """A short form of an algebraic number (radicals rationalised and denested)."""
    v = sympy.radsimp(sympy.expand(v))
    if v.is_Rational:
        return v
    short = sympy.simplify(v)
    return short if sympy.count_ops(short) <= sympy.count_ops(v) else v


def _sympy_polytope(G, first_is_identity):
    k, d = len(G), len(G[0])
    one, zero = sympy.Integer(1), sympy.Integer(0)
    ident = [[-one if i == j else zero for j in range(d)] for i in range(d)]
    if first_is_identity:
        return ident + [list(r) for r in G], [zero] * d + [one] * k
    return [list(r) for r in G] + ident, [one] * k + [zero] * d


def _exact_systems(A, B, Ax, Bx, field):
    """The exact constraints of both polytopes and the exact vertex routine for the field."""
    if field == "sympy":
        # shift by the exact entry that is smallest in floating point: entries stay near or above 1
        Ae = Ax - Ax[np.unravel_index(np.argmin(A), A.shape)] + 1
        Be = Bx - Bx[np.unravel_index(np.argmin(B), B.shape)] + 1
        return _sympy_polytope(Be.T.tolist(), True), _sympy_polytope(Ae.tolist(), False), _sympy_vertex
    Ae, Be = shifted_payoffs(Ax, True), shifted_payoffs(Bx, True)
    return _exact_polytope(Be.T.tolist(), True), _exact_polytope(Ae.tolist(), False), _exact_vertex


def _decide_doubtful(doubtful, system, verts, cache, vertex):
    """Decide nearly singular systems exactly; the vertices join the candidates, exact labels."""
    Cx, bx = system
    for subset in doubtful:
        res = vertex(Cx, bx, subset)
        if res is not None:
            cache[len(verts)] = res
            verts.append((subset, np.array([float(v) for v in res[0]]), res[1]))


def _lenient_pairs(vp, vq, m, n):
    """Index pairs of vertices whose lenient labels (a superset of the exact ones) cover all."""
    if not (vp and vq):
        return []
    full = (1 << (m + n)) - 1
    dtype = np.int64 if m + n < 63 else object
    mp = np.array([v[2] for v in vp], dtype=dtype)
    mq = np.array([v[2] for v in vq], dtype=dtype)
    ii, jj = np.nonzero((mp[:, None] | mq[None, :]) == full)
    return list(zip(ii.tolist(), jj.tolist()))


def _exact_pairs(pairs, vp, vq, systems, caches, vertex, m, n, field):
    """Recompute the candidate vertices exactly and pair them by their exact labels."""
    full = (1 << (m + n)) - 1
    out_p, out_q = {}, {}
    for side, (verts, (Cx, bx), cache, out) in enumerate(
            ((vp, systems[0], caches[0], out_p), (vq, systems[1], caches[1], out_q))):
        for i in sorted({pair[side] for pair in pairs}):
            if i not in cache:
                cache[i] = vertex(Cx, bx, verts[i][0])
            if cache[i] is not None:
                out.setdefault(cache[i][0], cache[i][1])
    results = []
    for x, lx in out_p.items():
        for y, ly in out_q.items():
            if lx | ly != full:
                continue
            sx, sy = sum(x), sum(y)
            if field == "sympy":
                results.append(((tuple(tidy_algebraic(v / sx) for v in x), tuple(tidy_algebraic(v / sy) for v in y)), "sympy"))
            else:
                results.append(((tuple(v / sx for v in x), tuple(v / sy for v in y)), "fraction"))
    return results


def _float_pairs(pairs, vp, vq):
    """The candidate pairs as normalised float profiles, without repeats (irrational payoffs)."""
    results, seen = [], set()
    for i, j in pairs:
        x, y = np.clip(vp[i][1], 0, None), np.clip(vq[j][1], 0, None)
        x, y = x / x.sum(), y / y.sum()
        key = (tuple(np.round(x, 8)), tuple(np.round(y, 8)))
        if key not in seen:
            seen.add(key)
            results.append(((tuple(x.tolist()), tuple(y.tolist())), "float"))
    return results


def vertex_enumeration(A, B, Ax, Bx, field="fraction"):
    """All extreme equilibria of the bimatrix game (A, B) as exact or float profile pairs.

    ``A``, ``B`` are float arrays; ``Ax``, ``Bx`` the exact arrays (``fractions.Fraction`` when
    ``field="fraction"``, sympy numbers when ``field="sympy"``) or None (floating point only).
    Returns a list of ((x, y), kind) pairs of normalised strategies, kind "fraction", "sympy" or
    "float". Every square system of tight constraints is solved (:func:`_float_vertices`).
    """
    m, n = A.shape
    Af, Bf = shifted_payoffs(A, False), shifted_payoffs(B, False)
    # labels: row strategies 0..m-1, column strategies m..m+n-1
    vp, dp = _float_vertices(Bf.T, list(range(m)), list(range(m, m + n)))
    vq, dq = _float_vertices(Af, list(range(m, m + n)), list(range(m)))
    if Ax is None:
        if dp or dq:
            warnings.warn(
                "some constraint systems of the best-response polytopes are nearly singular and the payoffs "
                "are not rational, so they cannot be decided exactly; equilibria may be missing",
                IncompleteSearchWarning, stacklevel=3,
            )
        return _float_pairs(_lenient_pairs(vp, vq, m, n), vp, vq)
    system_p, system_q, vertex = _exact_systems(A, B, Ax, Bx, field)
    caches = ({}, {})
    # nearly singular systems are decided exactly and join the candidates with exact labels
    _decide_doubtful(dp, system_p, vp, caches[0], vertex)
    _decide_doubtful(dq, system_q, vq, caches[1], vertex)
    # candidate pairs by lenient labels (a superset of the exact labels), then exact recomputation
    pairs = _lenient_pairs(vp, vq, m, n)
    return _exact_pairs(pairs, vp, vq, (system_p, system_q), caches, vertex, m, n, field)
