"""Two-player games: vertex search of the best-response polytopes by batched pivoting.

The exact enumeration of :mod:`.vertex` solves every square system of tight constraints,
:math:`\\binom{m+n}{m}` per polytope, although a polytope has far fewer vertices. Here the
vertices are found by walking the polytope's graph instead: from the origin, every vertex's
neighbours are reached by one simplex pivot each (drop one tight constraint, move along the edge,
stop at the first constraint that becomes tight), a breadth-first search in which each layer of
vertices is pivoted at once with numpy. The search is sound only for a *simple* polytope (every
vertex has exactly ``d`` tight constraints), and it checks that on every vertex it visits with
a margin that bounds the floating-point error:

* each visited basis is well conditioned (a lower bound on its inverse condition number above
  ``1e-12``), and
* at each visited vertex every constraint outside the basis has slack above the tolerance that
  the system's condition number allows (the same tolerance as the exact enumeration's lenient
  labels), so it is feasible and has no further tight constraint, exactly.

If every visited vertex passes, each pivot's choice is also certified (a wrong choice leads to a
point that violates a constraint, which the next layer's check would see), the visited set is
closed under the polytope's edges and therefore, the graph of a polytope being connected, it is
the whole vertex set. If any vertex fails, the search returns None and the caller falls back to
the exact enumeration (:func:`.vertex._vertex_enumeration`): degenerate games (ties, repeated
rows, zero columns), games with a continuum of equilibria, and ties within the tolerance are all
decided there.
"""

from __future__ import annotations

import math

import numpy as np

from .vertex import _exact_polytope, _exact_vertex, _shifted

#: A basis whose lower bound on the inverse condition number is at most this is not trusted.
_MIN_RATIO = 1e-12


def _polytope(G, identity_first):
    """Constraints ``C z <= b`` of ``{z >= 0 : G z <= 1}``, the identity rows first or last.

    The row index of a constraint is its label (player 1's strategies first, then player 2's),
    as in :func:`.vertex._exact_polytope`.
    """
    rows, d = G.shape
    # rows scaled to unit length (the polytope is unchanged), so that the condition bound of
    # :func:`_layer` is not spoilt by payoffs far from 1
    norms = np.linalg.norm(G, axis=1)
    G, g = G / norms[:, None], 1.0 / norms
    ident = -np.eye(d)
    if identity_first:
        return np.vstack([ident, G]), np.concatenate([np.zeros(d), g]), np.arange(d)
    return np.vstack([G, ident]), np.concatenate([g, np.zeros(d)]), np.arange(rows, rows + d)


def _layer(C, b, bases, big):
    """Solve a layer of bases at once; None if one is ill conditioned, degenerate or infeasible.

    Returns the vertices ``z`` (one row per basis) and the edge data for pivoting: the slacks
    ``s`` of all constraints and ``D[f, r, p]``, the rate at which constraint ``r``'s left side
    grows along the edge that leaves the ``p``-th basic constraint.
    """
    F, d = bases.shape
    mats = C[bases]
    fro = np.sqrt(np.einsum("fij,fij->f", mats, mats)) / math.sqrt(d)
    ratio = np.abs(np.linalg.det(mats)) / (2 * fro**d)
    if not np.all(ratio > _MIN_RATIO):
        return None
    inv = np.linalg.inv(mats)
    z = np.einsum("fij,fj->fi", inv, b[bases])
    slack = b[None, :] - z @ C.T
    tol = np.maximum(1e-9, 1e-14 * big * math.sqrt(d) / ratio)
    basic = np.zeros(slack.shape, dtype=bool)
    np.put_along_axis(basic, bases, True, axis=1)
    if np.any((slack <= tol[:, None]) & ~basic):
        return None
    # along the edge leaving basic constraint p the point moves by -inv[:, p]
    rate = -np.einsum("rj,fjp->frp", C, inv)
    return z, slack, rate, basic, tol


def _neighbours(bases, slack, rate, basic, tol):
    """The basis reached from each basis by pivoting out each position (shape F*d x d), sorted."""
    F, d = bases.shape
    grows = (rate > tol[:, None, None]) & ~basic[:, :, None]
    steps = np.where(grows, slack[:, :, None] / np.where(grows, rate, 1.0), np.inf)
    entering = np.argmin(steps, axis=1)  # (F, d): the first constraint hit along each edge
    if not np.all(np.isfinite(np.take_along_axis(steps, entering[:, None, :], axis=1))):
        return None  # an unbounded edge: impossible in a polytope, so the data are in doubt
    new = np.repeat(bases[:, None, :], d, axis=1)
    new[:, np.arange(d), np.arange(d)] = entering
    return np.sort(new.reshape(F * d, d), axis=1)


def _search(C, b, start, budget):
    """All vertices of a simple polytope by breadth-first pivoting, or None (see the module).

    Returns the bases (tight constraint indices, sorted) and the vertices, or None when a visited
    vertex fails a check or more than ``budget`` vertices would be visited.
    """
    big = float(np.abs(C).max())
    width = C.shape[0]
    weights = (1 << np.arange(width, dtype=np.int64)) if width < 63 else None
    if weights is None:
        return None
    seen = set()
    frontier = np.array([np.sort(start)], dtype=np.int64)
    seen.add(int(weights[frontier[0]].sum()))
    found_b, found_z = [], []
    count = 0
    while len(frontier):
        count += len(frontier)
        if count > budget:
            return None
        layer = _layer(C, b, frontier, big)
        if layer is None:
            return None
        z, slack, rate, basic, tol = layer
        found_b.append(frontier)
        found_z.append(z)
        new = _neighbours(frontier, slack, rate, basic, tol)
        if new is None:
            return None
        keys = weights[new].sum(axis=1)
        keys, first = np.unique(keys, return_index=True)
        fresh = [(k, i) for k, i in zip(keys.tolist(), first.tolist()) if k not in seen]
        seen.update(k for k, _ in fresh)
        frontier = new[[i for _, i in fresh]] if fresh else new[:0]
    return np.concatenate(found_b), np.concatenate(found_z)


def _masks(bases):
    weights = 1 << np.arange(64, dtype=np.int64)
    return weights[bases].sum(axis=1)


def _pivoting_equilibria(A, B, Ax, Bx, budget):
    """All equilibria of a nondegenerate bimatrix game with rational payoffs, or None.

    ``A``, ``B`` float arrays, ``Ax``, ``Bx`` the same as ``fractions.Fraction`` arrays. The
    vertices of both polytopes are searched in floating point (:func:`_search`); a vertex pair is
    an equilibrium when its labels are complementary (in a nondegenerate game each vertex has
    exactly its basis as labels), and every such pair is recomputed exactly from its basis
    (Bareiss elimination) with its exact labels. None when either search is not certified: the
    caller then uses the exact enumeration.
    """
    m, n = A.shape
    if m + n >= 63:
        return None
    Af, Bf = _shifted(A, False), _shifted(B, False)
    CP, bP, startP = _polytope(Bf.T, True)
    CQ, bQ, startQ = _polytope(Af, False)
    found_p = _search(CP, bP, startP, budget)
    if found_p is None:
        return None
    found_q = _search(CQ, bQ, startQ, budget)
    if found_q is None:
        return None
    return _complementary_pairs(found_p[0], found_q[0], m, n, Ax, Bx)


def _complementary_pairs(bases_p, bases_q, m, n, Ax, Bx):
    """The equilibria from the vertex bases of both polytopes, recomputed exactly."""
    full = (1 << (m + n)) - 1
    masks_p, masks_q = _masks(bases_p).tolist(), _masks(bases_q).tolist()
    index_q = {k: j for j, k in enumerate(masks_q)}
    origin_p = (1 << m) - 1
    pairs = [(i, index_q[full ^ k]) for i, k in enumerate(masks_p) if k != origin_p and (full ^ k) in index_q]
    Ae, Be = _shifted(Ax, True), _shifted(Bx, True)
    CPx, bPx = _exact_polytope(Be.T.tolist(), True)
    CQx, bQx = _exact_polytope(Ae.tolist(), False)
    results = []
    for i, j in pairs:
        rp = _exact_vertex(CPx, bPx, bases_p[i].tolist())
        rq = _exact_vertex(CQx, bQx, bases_q[j].tolist())
        if rp is None or rq is None or rp[1] != masks_p[i] or rq[1] != masks_q[j]:
            return None  # the float search was wrong after all: let the exact method decide
        x, y = rp[0], rq[0]
        sx, sy = sum(x), sum(y)
        results.append(((tuple(v / sx for v in x), tuple(v / sy for v in y)), "fraction"))
    return results
