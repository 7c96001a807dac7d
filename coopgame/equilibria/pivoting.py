"""Two-player games: vertex search of the best-response polytopes by batched pivoting.

The exact enumeration of :mod:`.vertex` solves every square system of tight constraints,
:math:`\\binom{m+n}{m}` per polytope, although a polytope has far fewer vertices. Here the
vertices are found by walking the polytope's graph instead: from the origin, every vertex's
neighbours are reached by one simplex pivot each (drop one tight constraint, move along the edge,
stop at the first constraint that becomes tight), a breadth-first search in which each layer of
vertices is pivoted at once with numpy. Every visited vertex is checked with a margin that
bounds the floating-point error:

* each visited basis is well conditioned (a lower bound on its inverse condition number above
  ``1e-12``), and
* at its vertex every constraint outside the basis has slack either above the tolerance that
  the system's condition number allows (the same tolerance as the exact enumeration's lenient
  labels), so that it is certainly not tight, or within it.

A vertex with every slack above the tolerance is simple (exactly ``d`` tight constraints) and
its ``d`` neighbours are one pivot each; a wrong choice in a pivot leads to a point that
violates a constraint, which the next layer's check sees (a slack below minus the tolerance: the
search gives up). A vertex with a slack within the tolerance may be degenerate: it is recomputed
exactly (Bareiss elimination), which gives its exact tight set, and its edges are read off every
``(d - 1)``-subset of the tight constraints (:func:`_degenerate_edges`). When every visited vertex
passes, the visited set is closed under the polytope's edges and therefore, the graph of a
polytope being connected, it is the whole vertex set. When a check fails, or degenerate vertices
exceed the work budget, the search returns None and the caller falls back to the exact
enumeration of every system (:func:`.vertex.vertex_enumeration`).

The work per layer is a fixed number of numpy calls, whatever its size: a basis is kept as its
mask of constraints (with its polytope's index, a key), a pivot changes the mask by the leaving
and the entering constraint's weights, so a layer's children are deduplicated as integers and
only the new ones are rebuilt as bases; the slacks come from the same product ``C B^{-1}`` that
gives the edges' rates. The exact work is in Python integers: degenerate vertices (once each,
kept for the equilibria), the singular bases at a degenerate vertex (all of them from one solve
per tight constraint beyond ``d``, :func:`_singular_subsets`) and the equilibria's
vertices, read off the polytope's layout (:class:`_IntegerPolytope`).
"""

from __future__ import annotations

import functools
import itertools
import math
from fractions import Fraction

import numpy as np

from .vertex import shifted_payoffs, solve_integer

_ZERO = Fraction(0)

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
    """Solve a layer of bases at once; None if one is ill conditioned or infeasible.

    ``C`` (F, R, d) and ``b`` (F, R) are the constraints of each basis's polytope. Returns the
    edge data for pivoting: the slacks of all constraints at each vertex, ``fall[f, r, p]``, the
    rate at which constraint ``r``'s left side falls along the edge that leaves the ``p``-th basic
    constraint (0 for the basic constraints themselves, which the edges leave or keep tight),
    each basis's tolerance, and which vertices may be degenerate (a constraint outside the basis
    with slack within the tolerance).
    """
    F, d = bases.shape
    rows = np.arange(F)[:, None]
    try:
        inv = np.linalg.inv(C[rows, bases])
    except np.linalg.LinAlgError:  # an exactly singular LU: the pivots are in doubt
        return None
    # cond_2(M) <= |M|_F |M^-1|_F, and the rows of M have unit length: 1 / (sqrt(d) |M^-1|_F) is
    # a safe lower bound on the inverse condition number, trusted above _MIN_RATIO
    norm = np.sqrt(np.einsum("fij,fij->f", inv, inv))
    if not (norm < 1.0 / (math.sqrt(d) * _MIN_RATIO)).all():
        return None
    # along the edge leaving basic constraint p the point moves by -inv[:, p]: constraint r's
    # left side falls at the rate (C inv)[r, p]; the vertex is inv b_B, so its slacks are
    # b - (C inv) b_B (each entry of C inv within about d eps |inv|_F, as the rows of C have
    # unit length and |b| <= 1, far inside the tolerance below)
    fall = C @ inv
    slack = b - (fall @ b[rows, bases][:, :, None])[:, :, 0]
    # float64 solution error is about eps * cond relative to |z| <= 1 (as the shifted payoffs are
    # >= 1): the tolerance 1e-14 * big * sqrt(d) / ratio
    tol = np.maximum(1e-9, (1e-14 * big * d) * norm)
    outside = slack.copy()  # the slacks of the constraints outside the basis (inf on the basis)
    outside[rows, bases] = np.inf
    least = outside.min(axis=1)
    if (least < -tol).any():
        return None  # a wrong pivot (or data too ill conditioned to tell)
    degenerate = least <= tol
    fall[rows, bases] = 0.0
    return slack, fall, tol, degenerate


def _neighbours(bases, keys, slack, fall, tol, weights):
    """The key of the basis reached from each basis by pivoting out each position (shape F*d).

    A basis's key is its mask of constraints plus its polytope's index shifted past them (see
    :meth:`_Walk.unseen`): pivoting out position ``p`` for the constraint that enters along that
    edge changes the mask by the two constraints' weights.
    """
    grows = fall < -tol[:, None, None]  # never a basic constraint: their rates are 0
    if not grows.any(axis=1).all():
        return None  # an unbounded edge: impossible in a polytope, so the data are in doubt
    # minus the step to each constraint that grows (the ratio test: the largest of these)
    steps = np.divide(slack[:, :, None], fall, out=np.full(fall.shape, -np.inf), where=grows)
    entering = np.argmax(steps, axis=1)  # (F, d): the first constraint hit along each edge
    return (keys[:, None] - weights[bases] + weights[entering]).ravel()


@functools.lru_cache(maxsize=64)
def _subset_pattern(t, d):
    """The index pattern of :func:`_degenerate_edges` for ``t`` tight constraints in dimension ``d``.

    In positions ``0 .. t - 1`` of the (sorted) tight set: the ``(d - 1)``-subsets ``R``
    (lexicographic), the positions outside each ``R`` in order, the distinct ``d``-subsets, for
    each ``R`` and outside position ``q`` the index of the ``d``-subset ``R + q``, and the
    position of ``q`` within it (how many members of ``R`` are below ``q``).
    """
    subsets = np.array(list(itertools.combinations(range(t), d - 1)), dtype=np.int64).reshape(math.comb(t, d - 1), d - 1)
    others = np.array([[q for q in range(t) if q not in r] for r in subsets.tolist()],
                      dtype=np.int64).reshape(len(subsets), t - d + 1)
    distinct = list(itertools.combinations(range(t), d))
    index = {c: k for k, c in enumerate(distinct)}
    which = np.array([[index[tuple(sorted(r + [q]))] for q in o] for r, o in zip(subsets.tolist(), others.tolist())],
                     dtype=np.int64).reshape(others.shape)
    position = np.array([[sum(v < q for v in r) for q in o] for r, o in zip(subsets.tolist(), others.tolist())],
                        dtype=np.int64).reshape(others.shape)
    distinct = np.array(distinct, dtype=np.int64).reshape(len(distinct), d)
    for a in (subsets, others, distinct, which, position):
        a.flags.writeable = False
    return subsets, others, distinct, which, position


def _degenerate_edges(C, b, exact, tights, zs):
    """The bases reached along every edge of degenerate vertices, or None when in doubt.

    ``C`` (V, R, d) and ``b`` (V, R) are the constraints of each vertex's polytope, ``exact``
    their integer versions ``(Cx, bx)``, ``tights`` (V, t) the vertices' tight constraints (exact,
    sorted; as many for every vertex) and ``zs`` (V, d) the vertices (floats of the exact ones).
    An edge of a vertex lies on ``d - 1`` tight constraints ``R`` of rank ``d - 1``; its
    direction is read off a well-conditioned basis ``R + q`` (``q`` another tight constraint) as
    in :func:`_neighbours`, it is an edge when no tight constraint grows along it (within the
    tolerance: a superset, a false edge leads to an infeasible point that the next layer
    rejects), and the ratio test over the other constraints gives the next vertex's basis. A
    subset ``R`` without a well-conditioned ``R + q`` is decided exactly: if some ``R + q`` is
    nonsingular, None (the exact enumeration decides). Returns the new bases, sorted (vertex by
    vertex, subsets in lexicographic order), and the index of the vertex each comes from.
    """
    V, R, d = C.shape
    pos_subsets, pos_others, pos_distinct, which, pos_q = _subset_pattern(tights.shape[1], d)
    distinct = tights[:, pos_distinct]  # (V, N, d): every basis R + q is one of these
    vv = np.arange(V)[:, None]
    # each distinct basis is factorised once (d + 1 of them at a vertex with one tight constraint
    # too many, against d (d + 1) pairs R, q)
    mats = C[vv[:, :, None], distinct]  # (V, N, d, d)
    det_distinct = np.abs(np.linalg.det(mats))
    nonsingular = det_distinct > 0
    if nonsingular.all():
        inv_distinct = np.linalg.inv(mats)
    else:
        inv_distinct = np.zeros(mats.shape)
        if nonsingular.any():
            inv_distinct[nonsingular] = np.linalg.inv(mats[nonsingular])
    norm = np.sqrt(np.einsum("vnij,vnij->vn", inv_distinct, inv_distinct))
    if nonsingular.all():
        ratio_distinct = 1.0 / (math.sqrt(d) * norm)
    else:
        ratio_distinct = np.where(nonsingular, 1.0 / (math.sqrt(d) * np.where(nonsingular, norm, 1.0)), 0.0)
    best = np.argmax(det_distinct[:, which], axis=2)  # (V, S): the best-conditioned R + q by |det|
    chosen_index = which[np.arange(len(which))[None, :], best]
    ratio = ratio_distinct[vv, chosen_index]
    doubtful = ratio <= _MIN_RATIO
    if doubtful.any() and not _rank_deficient(exact, tights, distinct, which, doubtful, det_distinct, pos_distinct):
        return None  # some doubtful subset has rank d - 1 after all: the exact enumeration decides
    vid, sid = np.nonzero(~doubtful)  # the others have rank below d - 1: no edge
    # the direction leaving q: minus the column of q in the inverse of R + q
    e = inv_distinct[vid, chosen_index[vid, sid], :, pos_q[sid, best[vid, sid]]]  # (M, d)
    rate = -np.einsum("md,mrd->mr", e, C[vid])  # (M, R)
    tol = np.maximum(1e-9, 1e-14 * math.sqrt(d) / ratio[vid, sid])[:, None]
    tight_set = np.zeros((V, R), dtype=bool)
    tight_set[vv, tights] = True
    tight = tight_set[vid]
    up = rate > tol
    edge = ~(up & tight).any(axis=1)  # no tight constraint grows
    grows = up & ~tight
    if not grows[edge].any(axis=1).all():
        return None  # an unbounded edge: impossible in a polytope
    slack = (b - np.einsum("vrd,vd->vr", C, zs))[vid]
    steps = np.divide(slack, rate, out=np.full(rate.shape, np.inf), where=grows)
    entering = np.argmin(steps, axis=1)
    vid = vid[edge]
    new = np.concatenate([tights[:, pos_subsets][vid, sid[edge]], entering[edge, None]], axis=1)
    new.sort(axis=1)
    return new, vid


def _rank_deficient(exact, tights, distinct, which, doubtful, det_distinct, pos_distinct):
    """Whether every doubtful ``(d - 1)``-subset of :func:`_degenerate_edges` has rank below
    ``d - 1``, that is every basis ``R + q`` through it is singular, decided exactly.

    All the bases of a vertex are decided at once (:func:`_singular_subsets`, from its basis of
    largest float ``|det|``); when that basis is singular after all, each basis needed by one
    exact elimination.
    """
    V, t = tights.shape
    singular = np.zeros((V, distinct.shape[1]), dtype=bool)
    for v in np.nonzero(doubtful.any(axis=1))[0].tolist():
        Cx, bx = exact[v]
        found = _singular_subsets([Cx[i] for i in tights[v].tolist()],
                                  pos_distinct[int(np.argmax(det_distinct[v]))].tolist(), _complements(t, pos_distinct))
        if found is not None:
            singular[v] = found
            continue
        for k in np.unique(which[doubtful[v]]).tolist():
            basis = distinct[v, k].tolist()
            singular[v, k] = solve_integer([Cx[i] for i in basis], [bx[i] for i in basis]) is None
    # rows of vertices without doubtful subsets are left False but never read
    return not (doubtful & ~singular[:, which].all(axis=2)).any()


@functools.lru_cache(maxsize=64)
def _complements_of(t, d):
    """The positions outside each ``d``-subset of ``range(t)`` (lexicographic order), as lists."""
    return [[j for j in range(t) if j not in S] for S in itertools.combinations(range(t), d)]


def _complements(t, pos_distinct):
    return _complements_of(t, pos_distinct.shape[1])


def _singular_subsets(rows, basis, complements):
    """Which ``d``-subsets of ``t`` integer rows of rank ``d`` are singular, exactly.

    The rows' left null space (the ``lam`` with ``sum_j lam_j row_j = 0``) has dimension
    ``t - d``. It is spanned by the rows of ``N``, one per row ``j`` outside the nonsingular
    ``basis`` (positions): ``D`` at ``j``, 0 at the other rows outside, and at the basis the
    solution of ``sum_i lam_i row_i = -D row_j`` (solved exactly, ``D`` the determinant's
    absolute value). A subset ``S`` is singular exactly when ``N`` restricted to the rows outside
    ``S`` is: a null vector of the rows ``S``, extended by zeros, is a combination ``c N`` that
    vanishes outside ``S``, and ``c N = 0`` only for ``c = 0``. With ``t = d + 1``, ``N`` is one
    vector and ``S`` singular when it is 0 at the row left out. ``complements`` lists, per
    subset, the positions outside it. Returns one boolean per subset, or None when ``basis`` is
    singular after all.
    """
    t, d = len(rows), len(rows[0])
    in_basis = set(basis)
    outside = [j for j in range(t) if j not in in_basis]
    columns = [[rows[i][c] for i in basis] for c in range(d)]  # the basic rows as columns
    N = []
    for j in outside:
        res = solve_integer(columns, [-v for v in rows[j]])
        if res is None:
            return None
        mu, D = res
        lam = [0] * t
        for i, v in zip(basis, mu):
            lam[i] = v
        lam[j] = D
        N.append(lam)
    if len(N) == 1:
        lam = N[0]
        return [lam[comp[0]] == 0 for comp in complements]
    if len(N) == 2:
        (l1, l2) = N
        return [l1[a] * l2[b] == l1[b] * l2[a] for a, b in complements]
    return [solve_integer([[lam[j] for j in comp] for lam in N], [0] * len(N)) is None for comp in complements]


#: The least number of (d - 1)-subsets of tight constraints that the edges of degenerate vertices
#: may take before the search gives up (to the exact enumeration); see :func:`_search`.
_MIN_EDGE_BUDGET = 500


class _Walk:
    """The state of :func:`_search`: the bases seen, the vertices found, the work done."""

    def __init__(self, polytopes, width, d, budget):
        self.polytopes, self.width, self.d = polytopes, width, d
        self.columns = np.arange(width, dtype=np.int64)
        self.weights = 1 << self.columns
        self.low = (1 << width) - 1
        self.seen = set()
        self.found_bases, self.found_owner, self.found_masks = [], [], []
        self.degenerate_seen = set()
        self.known = None  # the exact masks and owners of degenerate_seen, as arrays (see unseen)
        #: (owner, basis) -> the exact vertex (y, D, mask) of the degenerate vertices recomputed here
        self.exact = {}
        self.work = 0
        # the edges of degenerate vertices are found one (d - 1)-subset of tight constraints at
        # a time, about 50 times the cost of one system of the batched exact enumeration
        self.edge_budget = max(_MIN_EDGE_BUDGET, budget // 50)

    def record(self, bases, owner, masks):
        self.found_bases.append(bases)
        self.found_owner.append(owner)
        self.found_masks.append(masks)

    def degenerate(self, C, b, bases, owner, lenient):
        """Bases along the edges of the degenerate vertices of one layer, or None when in doubt.

        One exact solve per vertex: bases with the same lenient tight set share it.
        """
        firsts = np.unique(lenient + (owner << self.width), return_index=True)[1]
        todo = {}  # per number of tight constraints: (owner, tight, vertex), batched below
        kept_bases, kept_owner, kept_masks = [], [], []
        for k, basis in zip(owner[firsts].tolist(), bases[firsts].tolist()):
            res = self.polytopes[k][5].vertex(basis)
            if res is None:
                return None  # infeasible exactly: a pivot went wrong
            y, D, mask = res
            if (k, mask) in self.degenerate_seen:
                continue
            self.degenerate_seen.add((k, mask))
            self.known = None
            self.exact[k, tuple(basis)] = res
            kept_bases.append(basis)
            kept_owner.append(k)
            kept_masks.append(mask)
            tight = [r for r in range(self.width) if mask >> r & 1]
            self.work += math.comb(len(tight), self.d - 1)
            if self.work > self.edge_budget:
                return None
            # v / D is the correctly rounded float of the exact coordinate
            todo.setdefault(len(tight), []).append((k, tight, [v / D for v in y]))
        if kept_bases:
            self.record(np.array(kept_bases, dtype=np.int64), np.array(kept_owner, dtype=np.int64),
                        np.array(kept_masks, dtype=np.int64))
        extra, extra_owner = [np.zeros((0, self.d), dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
        for group in todo.values():
            ks = np.array([k for k, _, _ in group], dtype=np.int64)
            edges = _degenerate_edges(C[ks], b[ks], [self.polytopes[k][3:5] for k in ks.tolist()],
                                      np.array([t for _, t, _ in group], dtype=np.int64),
                                      np.array([z for _, _, z in group]))
            if edges is None:
                return None
            extra.append(edges[0])
            extra_owner.append(ks[edges[1]])
        return np.concatenate(extra), np.concatenate(extra_owner)

    def keys(self, bases, owner):
        """The keys of bases: the mask of their constraints, plus the owner shifted past them."""
        return self.weights[bases].sum(axis=1) + (owner << self.width)

    def unseen(self, keys):
        """The bases of the keys not met before (first occurrences, in order), without those
        inside a known degenerate vertex, with their owners and masks."""
        seen = self.seen
        fresh = [key for key in dict.fromkeys(keys.tolist()) if key not in seen]
        seen.update(fresh)
        keys = np.array(fresh, dtype=np.int64)
        owner, masks = keys >> self.width, keys & self.low
        if self.degenerate_seen and len(keys):
            # a nonsingular basis inside a known vertex's exact tight set has that vertex as its
            # solution: nothing to solve, and that vertex's edges are already taken. Every basis
            # here is nonsingular: it came from a pivot on a rate above the tolerance, or from an
            # edge of a degenerate vertex read off a well-conditioned basis.
            if self.known is None:
                pairs = sorted(self.degenerate_seen)
                self.known = (np.array([mask for _, mask in pairs], dtype=np.int64),
                              np.array([k for k, _ in pairs], dtype=np.int64))
            known, known_owner = self.known
            inside = ((masks[:, None] & ~known[None, :]) == 0) & (owner[:, None] == known_owner[None, :])
            keep = ~inside.any(axis=1)
            owner, masks = owner[keep], masks[keep]
        # the basis of a mask: its d constraints in increasing order
        bases = np.nonzero((masks[:, None] >> self.columns) & 1)[1].reshape(len(masks), self.d)
        return bases, owner, masks

    def result(self, K):
        bases, owners = np.concatenate(self.found_bases), np.concatenate(self.found_owner)
        masks = np.concatenate(self.found_masks)
        exact = [{} for _ in range(K)]
        for (k, basis), res in self.exact.items():
            exact[k][basis] = res
        return [(bases[owners == k], masks[owners == k].tolist(), exact[k]) for k in range(K)]


def _search(polytopes, budget):
    """All vertices of polytopes by breadth-first pivoting, or None (see the module).

    ``polytopes`` is a list of ``(C, b, start, Cx, bx, integer)`` of one shape (several are
    searched in the same layers, which saves numpy's per-call overhead), ``Cx``, ``bx`` the same
    polytope with integer coefficients and ``integer`` its :class:`_IntegerPolytope`. Returns per
    polytope its vertices, as an array of one basis per vertex, the list of their exact masks of
    tight constraints and the exact solutions ``(y, D, mask)`` of the degenerate ones by basis,
    or None when a visited vertex fails a check, more than ``budget`` bases per polytope would be
    visited, or the edges of degenerate vertices would take more than ``max(500, budget / 50)``
    subsets of tight constraints (``budget`` is the exact enumeration's number of systems, so
    that giving up costs at most about twice as much).
    """
    C = np.stack([p[0] for p in polytopes])
    b = np.stack([p[1] for p in polytopes])
    K, width, d = C.shape
    if width + K > 62:
        return None
    walk = _Walk(polytopes, width, d, budget)
    big = float(np.abs(C).max())
    frontier, owner, masks = walk.unseen(walk.keys(np.array([p[2] for p in polytopes], dtype=np.int64),
                                                   np.arange(K)))
    count = 0
    while len(frontier):
        count += len(frontier)
        if count > budget * K:
            return None
        layer = _layer(C[owner], b[owner], frontier, big)
        if layer is None:
            return None
        slack, rate, tol, degenerate = layer
        keys = masks + (owner << width)
        new = _neighbours(frontier, keys, slack, rate, tol, walk.weights)
        if new is None:
            return None
        if degenerate.any():
            # the degenerate vertices' pivots are not trusted: their edges are read off their exact
            # tight sets instead (a polytope is bounded, so every edge of theirs has a growing constraint too)
            clean = ~degenerate
            walk.record(frontier[clean], owner[clean], masks[clean])
            new = new.reshape(len(frontier), d)[clean].ravel()
            # the lenient tight sets: the basis and every constraint with slack within the tolerance
            lenient = ((slack[degenerate] <= tol[degenerate, None]) @ walk.weights) | masks[degenerate]
            extra = walk.degenerate(C, b, frontier[degenerate], owner[degenerate], lenient)
            if extra is None:
                return None
            new = np.concatenate([new, walk.keys(*extra)])
        else:  # the common case: every vertex of the layer is simple
            walk.record(frontier, owner, masks)
        frontier, owner, masks = walk.unseen(new)
    return walk.result(K)


def pivoting_equilibria(A, B, Ax, Bx, budget, integers=None):
    """All extreme equilibria of a bimatrix game with rational payoffs, or None.

    ``A``, ``B`` float arrays, ``Ax``, ``Bx`` the same as ``fractions.Fraction`` arrays;
    ``integers``, optional, the same again as ``(L, [L Ax, L By])`` in Python integers with ``L``
    a common denominator (as the caller may have them already). The vertices of both polytopes
    are searched in floating point (:func:`_search`); a vertex pair is an equilibrium when its
    labels (tight constraints, exact) cover all strategies, and every such pair is recomputed
    exactly from its basis (Bareiss elimination) with its exact labels. None when a search is
    not certified: the caller then uses the exact enumeration.
    """
    m, n = A.shape
    Af, Bf = shifted_payoffs(A, False), shifted_payoffs(B, False)
    CP, bP, startP = _polytope(Bf.T, True)
    CQ, bQ, startQ = _polytope(Af, False)
    if integers is None:
        (LA, LAx), (LB, LBx) = _integer_matrix(Ax), _integer_matrix(Bx)
    else:
        L, (LAx, LBx) = integers
        LA = LB = L
    IP = _IntegerPolytope([list(col) for col in zip(*LBx)], LB, True)
    IQ = _IntegerPolytope(LAx, LA, False)
    P, Q = (CP, bP, startP, IP.Cx, IP.bx, IP), (CQ, bQ, startQ, IQ.Cx, IQ.bx, IQ)
    if m == n:  # one search over both polytopes
        found = _search([P, Q], budget)
    else:
        found = [_search([P], budget), _search([Q], budget)]
        found = None if found[0] is None or found[1] is None else [found[0][0], found[1][0]]
    if found is None:
        return None
    return _complementary_pairs(found[0], found[1], m, n, IP, IQ)


def _integer_matrix(G):
    """A Fraction array as ``(L, L G)``, ``L`` the entries' common denominator, ``L G`` as lists of ints."""
    L = math.lcm(*(x.denominator for x in G.flat))
    return L, [[x.numerator * (L // x.denominator) for x in row] for row in G.tolist()]


class _IntegerPolytope:
    """A best-response polytope with integer coefficients, ``rows z <= L`` and ``z >= 0``.

    ``rows`` is ``L G - min L G + L`` for payoffs ``G = ints / L`` (the shifted payoffs
    ``G - min G + 1``, scaled by ``L``); ``Cx``, ``bx`` are its constraints as in
    :func:`.vertex._exact_polytope`, the rows ``-z_j <= 0`` first or last (a constraint's index is
    its label).
    """

    def __init__(self, ints, L, identity_first):
        k, d = len(ints), len(ints[0])
        low = min(min(row) for row in ints)
        self.rows = [[v - low + L for v in row] for row in ints]
        self.L, self.d = L, d
        ident = [[-1 if i == j else 0 for j in range(d)] for i in range(d)]
        if identity_first:
            self.Cx, self.bx = ident + self.rows, [0] * d + [L] * k
            self.first_row, self.first_identity = d, 0
        else:
            self.Cx, self.bx = self.rows + ident, [L] * k + [0] * d
            self.first_row, self.first_identity = 0, k

    def vertex(self, basis):
        """:func:`.vertex.integer_vertex` of ``Cx``, ``bx`` at the basis, read off the layout.

        The basic rows ``-z_j <= 0`` pin ``z_j = 0``; the basic rows of payoffs are solved over
        the other columns (:func:`.vertex.solve_integer`, the system it would reduce the whole
        basis to); a row ``-z_j <= 0`` is tight when ``y_j = 0``, a row of payoffs when it meets
        ``L D``. Returns ``(y, D, mask)`` with the vertex ``y / D``, or None when singular or
        infeasible.
        """
        d, start = self.d, self.first_identity
        pinned = [False] * d
        payoff = []
        for i in basis:
            if start <= i < start + d:
                pinned[i - start] = True
            else:
                payoff.append(self.rows[i - self.first_row])
        free = [j for j in range(d) if not pinned[j]]
        y = [0] * d
        D = 1
        if free:
            res = solve_integer([[row[j] for j in free] for row in payoff], [self.L] * len(payoff))
            if res is None:
                return None
            y_free, D = res
            for j, v in zip(free, y_free):
                y[j] = v
        mask = 0
        for j, v in enumerate(y):
            if v < 0:
                return None
            if v == 0:
                mask |= 1 << (start + j)
        bound = self.L * D
        for i, row in enumerate(self.rows):
            value = sum(row[j] * y[j] for j in free)
            if value > bound:
                return None
            if value == bound:
                mask |= 1 << (self.first_row + i)
        return y, D, mask


def _label_pairs(masks_p, masks_q, m, n):
    """Index pairs of vertices whose labels cover all ``m + n`` strategies (origin excluded)."""
    full = (1 << (m + n)) - 1
    origin_p = (1 << m) - 1
    index_q = {}
    for j, k in enumerate(masks_q):
        index_q.setdefault(k, j)
    pairs = {(i, index_q[full ^ k]) for i, k in enumerate(masks_p) if k != origin_p and (full ^ k) in index_q}
    # vertices with more labels than the dimension (degenerate ones) pair with any cover
    mp, mq = np.array(masks_p, dtype=np.int64), np.array(masks_q, dtype=np.int64)
    extra_p = [i for i, k in enumerate(masks_p) if k.bit_count() > m]
    extra_q = [j for j, k in enumerate(masks_q) if k.bit_count() > n]
    for i in extra_p:
        pairs.update((i, int(j)) for j in np.nonzero((mq | masks_p[i]) == full)[0])
    for j in extra_q:
        pairs.update((int(i), j) for i in np.nonzero((mp | masks_q[j]) == full)[0])
    return sorted((i, j) for i, j in pairs if masks_p[i] != origin_p)


def _complementary_pairs(found_p, found_q, m, n, exact_p, exact_q):
    """The equilibria from the vertices of both polytopes, recomputed exactly."""
    (bases_p, masks_p, known_p), (bases_q, masks_q, known_q) = found_p, found_q
    cache_p, cache_q = {}, {}

    def strategy(i, bases, masks, system, cache, known):
        # the exact vertex y / D, normalised: y / sum(y) (D cancels); degenerate vertices were
        # recomputed exactly during the search already
        if i not in cache:
            basis = bases[i].tolist()
            res = known.get(tuple(basis)) or system.vertex(basis)
            if res is None or res[2] != masks[i]:
                cache[i] = None  # the float search was wrong after all: let the exact method decide
            else:
                total = sum(res[0])
                cache[i] = tuple(Fraction(v, total) if v else _ZERO for v in res[0])
        return cache[i]

    results = []
    for i, j in _label_pairs(masks_p, masks_q, m, n):
        x = strategy(i, bases_p, masks_p, exact_p, cache_p, known_p)
        y = strategy(j, bases_q, masks_q, exact_q, cache_q, known_q)
        if x is None or y is None:
            return None
        results.append(((x, y), "fraction"))
    return results
