"""Vertex rows of the replicator dynamics, read off the payoff table.

At a pure profile :math:`s` the replicator system needs no expansion: in reduced coordinates the
Jacobian is block diagonal over the roles, and the block of role :math:`i` playing strategy
:math:`c` has rows :math:`k \\ne c` equal to :math:`(u_i(k, s_{-i}) - u_i(s))\\,e_k` and, when
:math:`c` is not the role's last strategy, row :math:`c` equal to
:math:`-(u_i(j, s_{-i}) - u_i(\\text{last}, s_{-i}))` over :math:`j`. Its eigenvalues are the
deviation gains :math:`u_i(k, s_{-i}) - u_i(s)`; for a role with two strategies the block is the
single entry :math:`\\pm(u_i(1, s_{-i}) - u_i(2, s_{-i}))`. So every vertex row comes from payoff
differences only: :func:`vertex_rows` never builds the replicator equations.

The stability condition of a vertex is the conjunction of ``-gain > 0`` over its eigenvalues,
written by :func:`coopgame.equilibria.relation`; :func:`_strict_relation` gives the same
relation without querying sympy's assumptions whenever the difference is linear and provably
takes both signs under the parameters' sign assumptions (then no sound decision exists and the
relation is the written inequality), which is the common case and the expensive one.

Examples
--------
>>> from coopgame import Game
>>> g = Game.bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]], strategies=[["C", "D"]] * 2)
>>> rows = vertex_rows(g, numeric=True)
>>> [(r.point.profile, r.eigenvalues, r.stability.name) for r in rows]  # doctest: +NORMALIZE_WHITESPACE
[(('C', 'C'), (2, 2), 'UNSTABLE'), (('C', 'D'), (1, -2), 'SADDLE'),
 (('D', 'C'), (-2, 1), 'SADDLE'), (('D', 'D'), (-1, -1), 'ASYMPTOTICALLY_STABLE')]
"""

from __future__ import annotations

import itertools

import sympy
from sympy.core.sorting import ordered

from .stability import DEFAULT_TOLERANCE, RestPoint, StabilityRow, classify_signs, witness

__all__ = ["vertex_rows", "relevant_parameters"]

_ONE = sympy.Integer(1)
_ZERO = sympy.Integer(0)


def _sign_range(symbol):
    """``(can be negative, can be positive, unbounded below, unbounded above)`` from assumptions.

    Returns None for a symbol whose sign assumptions are not one of the interval kinds handled
    (then the caller falls back to sympy's own decision).
    """
    if symbol.is_positive or symbol.is_nonnegative:
        return False, True, False, True
    if symbol.is_negative or symbol.is_nonpositive:
        return True, False, True, False
    if symbol.is_extended_real and symbol.is_finite is not False:
        return True, True, True, True
    return None


def _indefinite(d) -> bool:
    """True when the expanded, linear ``d`` provably takes both strict signs under the symbols'
    sign assumptions (so sympy, being sound, decides neither ``d > 0`` nor ``d <= 0``).

    For ``d = c_0 + sum c_v v`` with each ``v`` in an interval fixed by its sign assumptions,
    ``sup d > 0`` and ``inf d < 0`` hold as soon as some term is unbounded in each direction, or
    the constant has the missing sign.
    """
    terms = d.as_coefficients_dict()
    up = down = False
    const = _ZERO
    for term, coeff in terms.items():
        if term is _ONE:
            const = coeff
            continue
        if not isinstance(term, sympy.Symbol) or not coeff.is_Rational:
            return False
        rng = _sign_range(term)
        if rng is None:
            return False
        _, _, unb_below, unb_above = rng
        if coeff > 0:
            up, down = up or unb_above, down or unb_below
        else:
            up, down = up or unb_below, down or unb_above
    if not const.is_Rational:
        return False
    # each variable can be taken arbitrarily close to 0 (open or closed at 0), so the
    # constant alone is approached: a positive constant gives sup > 0, a negative one inf < 0.
    return (up or const > 0) and (down or const < 0)


def _strict_relation(d):
    """``relation(d, strict=True)`` for an expanded ``d``: the same object, computed without
    assumption queries when ``d`` is provably indefinite (see :func:`_indefinite`)."""
    from ..core.exact import relation

    if d.is_number or not isinstance(d, sympy.Add) or not _indefinite(d):
        return relation(d, True)
    left, right = [], []
    for term in sympy.Add.make_args(d):
        coeff, _ = term.as_coeff_Mul()
        (right if coeff.is_negative else left).append(-term if coeff.is_negative else term)
    lhs, rhs = sympy.Add(*left), sympy.Add(*right)
    if lhs == 0:
        return sympy.StrictLessThan(rhs, 0)
    return sympy.StrictGreaterThan(lhs, rhs, evaluate=False)


def _strict_conjunction(differences) -> sympy.Basic:
    """``conjunction([relation(d, True) for d in differences])`` for expanded differences.

    The contradiction test of :func:`coopgame.core.exact.conjunction` (two strict relations
    ``d > 0`` and ``-d > 0``) is made on the coefficient dictionaries of the differences
    instead of expanding every pair; the result is the same object.
    """
    unique, keys = [], set()
    for d in differences:
        r = _strict_relation(d)
        if r is sympy.true:
            continue
        if r is sympy.false:
            return sympy.false
        if r in unique:
            continue
        key = frozenset(d.as_coefficients_dict().items())
        neg = frozenset((t, -c) for t, c in key)
        if neg in keys:
            return sympy.false
        keys.add(key)
        unique.append(r)
    if not unique:
        return sympy.true
    if len(unique) == 1:
        return unique[0]
    # And's argument filter only drops relations with equal canonical forms and detects a
    # relation beside its negation; the strict relations here differ in their differences, so
    # it would change nothing: build the (ordered) conjunction directly.
    obj = sympy.Basic.__new__(sympy.And, *ordered(unique))
    obj._argset = frozenset(unique)
    return obj


def _vertex_point(coords, strategy_lists, idx) -> RestPoint:
    coordinates = {}
    for c, j in zip(coords, idx):
        for k, sym in enumerate(c):
            coordinates[sym] = _ONE if k == j else _ZERO
    profile = tuple(s[j] for s, j in zip(strategy_lists, idx))
    return RestPoint(coordinates=coordinates, profile=profile, kind="vertex", support=tuple((p,) for p in profile))


def vertex_rows(game, numeric: bool, tol: float = DEFAULT_TOLERANCE, coords=None, payoffs=None,
                state_at=None) -> list:
    """The stability row of every pure profile, in profile order, from payoff differences.

    Parameters
    ----------
    game : Game
    numeric : bool
        Give :class:`~coopgame.dynamics.stability.Stability` verdicts (the payoffs must then be
        numbers) besides the exact conditions.
    tol : float
        Tolerance on real parts that cannot be signed exactly (numeric mode).
    coords : tuple of tuple of sympy.Symbol, optional
        The reduced state coordinates per role (those of :class:`ReplicatorDynamics`).
    payoffs : tuple, optional
        The payoff rows to read (default the game's); state-dependent payoffs in state symbols.
    state_at : callable, optional
        For state-dependent payoffs: strategy indices of a vertex -> the mapping of the state
        symbols to their values there; every difference is taken at that state.

    Returns
    -------
    list of StabilityRow
    """
    if coords is None:
        coords = game.replicator().coordinates
    shape = game.shape
    gains = _Gains(game.payoff_rows if payoffs is None else payoffs, game.flat_index)
    two = len(game.players) == 2
    dim = sum(len(c) for c in coords)
    offsets = list(itertools.accumulate([0] + [len(c) for c in coords]))[:-1]
    rows = []
    for idx in itertools.product(*(range(n) for n in shape)):
        point = _vertex_point(coords, game.strategy_lists, idx)
        gains.at = state_at(idx) if state_at is not None else None
        entries, eigen, losses = _vertex_jacobian(idx, shape, offsets, gains.gain)
        J = sympy.ImmutableMatrix(sympy.SparseMatrix(dim, dim, entries)) if entries else sympy.ImmutableMatrix.zeros(dim, dim)
        eig = tuple(eigen)
        det = sympy.Mul(*eig) if two else None
        trace = sympy.Add(*eig) if two else None
        cond = _strict_conjunction(losses)
        if numeric:
            verdict, _, signs = classify_signs(eig, tol)
            rows.append(StabilityRow(point, J, eig, stability=verdict, condition=cond, det=det, trace=trace,
                                     certificate="exact eigenvalues u_i(s'_i, s_-i) - u_i(s); " + witness(eig, signs)))
        else:
            rows.append(StabilityRow(point, J, eig, condition=cond, det=det, trace=trace,
                                     certificate="exact eigenvalues u_i(s'_i, s_-i) - u_i(s); "
                                                 "stable iff strict Nash (Selten 1980)"))
    return rows


class _Gains:
    """Payoff gains ``u_i(dev) - u_i(here)``, expanded; cached with their negatives for the
    reverse deviation, except at a state (``at``, for state-dependent payoffs) where they depend
    on the vertex."""

    def __init__(self, payoffs, flat):
        self.payoffs, self.flat = payoffs, flat
        self.cache = {}
        self.at = None

    def gain(self, i, dev_idx, here_idx):
        payoffs, flat = self.payoffs, self.flat
        if self.at is not None:  # the difference depends on the vertex: no cache
            return sympy.expand((payoffs[flat(dev_idx)][i] - payoffs[flat(here_idx)][i]).xreplace(self.at))
        key = (i, dev_idx, here_idx)
        if key not in self.cache:
            d = sympy.expand(payoffs[flat(dev_idx)][i] - payoffs[flat(here_idx)][i])
            self.cache[key] = d
            self.cache[(i, here_idx, dev_idx)] = -d
        return self.cache[key]


def _vertex_jacobian(idx, shape, offsets, gain):
    """``(entries, eigenvalues, losses)`` at the vertex ``idx``: the Jacobian's nonzero entries
    (row, column) -> value, the eigenvalues (every unilateral deviation's gain) and the losses
    (the reverse differences, whose positivity makes the vertex a strict equilibrium)."""
    entries = {}
    eigen, losses = [], []
    for i, j in enumerate(idx):
        n = shape[i]
        off = offsets[i]
        u = {}
        for k in range(n):
            if k != j:
                dev = idx[:i] + (k,) + idx[i + 1:]
                u[k] = gain(i, dev, idx)
                eigen.append(u[k])
                losses.append(gain(i, idx, dev))
        for k in range(n - 1):
            if k != j:
                if u[k] != 0:
                    entries[(off + k, off + k)] = u[k]
            elif n == 2:
                # row c (= 0) of a two-strategy role: u(last) - u(0) = the gain to the last
                if u[1] != 0:
                    entries[(off, off)] = u[1]
            else:
                last = idx[:i] + (n - 1,) + idx[i + 1:]
                for m in range(n - 1):
                    mm = idx[:i] + (m,) + idx[i + 1:]
                    v = _ZERO if m == n - 1 else gain(i, last, mm)
                    if v != 0:
                        entries[(off + k, off + m)] = v
    return entries, eigen, losses


def relevant_parameters(game) -> frozenset:
    """The parameters the replicator dynamics of ``game`` depends on.

    The dynamics depends on the payoffs only through the differences
    :math:`u_i(k, s_{-i}) - u_i(k', s_{-i})` between a role's strategies against each pure
    profile of the others; a parameter that cancels from all of them (a constant added to all of
    one player's payoffs, say) does not affect it.

    Examples
    --------
    >>> from coopgame import Game
    >>> g = Game.bimatrix([["a + P", "P"], ["P", "P + 1"]], [[1, 0], [0, 1]])
    >>> sorted(s.name for s in relevant_parameters(g))
    ['a']
    """
    out = set()
    payoffs, flat = game.payoff_rows, game.flat_index
    for i, n in enumerate(game.shape):
        ranges = [range(m) if j != i else (0,) for j, m in enumerate(game.shape)]
        for rest in itertools.product(*ranges):
            base = payoffs[flat(rest)][i]
            for k in range(1, n):
                dev = rest[:i] + (k,) + rest[i + 1:]
                d = payoffs[flat(dev)][i] - base
                if d.free_symbols:
                    out |= sympy.expand(d).free_symbols
    return frozenset(out)
