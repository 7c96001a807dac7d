"""Bifurcation in one parameter: where rest points appear, disappear or change their verdict.

With every parameter but one, :math:`\\mu`, fixed, the rest points of the replicator dynamics are
branches :math:`x^*(\\mu)` (exact expressions from the symbolic search). A branch's verdict can
change only where

- it enters or leaves the state space: a share of its support crosses zero (a root of the
  share's numerator or denominator, or of a radicand of its closed form);
- an eigenvalue crosses the imaginary axis: a real eigenvalue through zero, where the constant
  coefficient :math:`a_n = (-1)^n \\det J` of the characteristic polynomial vanishes, or a
  complex pair, where the Hurwitz determinant :math:`\\Delta_{n-1}` vanishes (the
  Routh–Hurwitz criterion; at a vertex the eigenvalues themselves are exact).

These *critical values* are computed exactly (real roots of polynomials in :math:`\\mu`). Between
two consecutive critical values no sign that decides the verdict changes, so the verdict on the
whole open interval is the exact verdict at one rational point inside it; the verdict at a
critical value itself is computed there when the value is rational. This is not a scan: the
intervals come from the exact conditions, and one exact evaluation per interval certifies each.

Each of those verdicts is read from the branch's own exact data at :math:`\\mu = m`, with the
classification rules of the numeric stability table (so it is the verdict
:meth:`~coopgame.dynamics.replicator.ReplicatorDynamics.stability` gives there); a full numeric
rest-point search at :math:`m` is run only where that shortcut is not sound (see
:func:`bifurcation`, Notes).

Examples
--------
>>> from coopgame import Game
>>> g = Game.bimatrix([["a", 0], [0, 1]], [["a", 0], [0, 1]], strategies=[["A", "B"]] * 2)
>>> bif = g.replicator().bifurcation("a", lo=-2, hi=2)
>>> bif.critical
(0,)
>>> for b in bif.branches:
...     print(b.label, [(str(i.lo), str(i.hi), i.verdict and i.verdict.name) for i in b.intervals])
(A, A) [('-2', '0', 'UNSTABLE'), ('0', '2', 'ASYMPTOTICALLY_STABLE')]
(A, B) [('-2', '0', 'SADDLE'), ('0', '2', 'UNSTABLE')]
(B, A) [('-2', '0', 'SADDLE'), ('0', '2', 'UNSTABLE')]
(B, B) [('-2', '0', 'ASYMPTOTICALLY_STABLE'), ('0', '2', 'ASYMPTOTICALLY_STABLE')]
(1/(a + 1), 1/(a + 1)) [('-2', '0', None), ('0', '2', 'SADDLE')]
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sympy

from ..core.errors import DegenerateGameWarning, ParameterError
from ..core.parameters import to_exact
from .stability import Stability, classify_signs, hurwitz_determinants, rational_eigen_stability

__all__ = ["Bifurcation", "Branch", "BranchInterval", "Event", "bifurcation"]


@dataclass(frozen=True)
class BranchInterval:
    """A branch on one open interval of the parameter between consecutive critical values.

    Attributes
    ----------
    lo, hi : sympy numbers
    verdict : Stability or None
        The verdict everywhere on ``(lo, hi)``; None where the branch is not in the state space.
    at : sympy.Rational
        The rational point inside the interval where the verdict was computed.
    """

    lo: Any
    hi: Any
    verdict: Stability | None
    at: Any

    @property
    def exists(self) -> bool:
        return self.verdict is not None


@dataclass(frozen=True)
class Branch:
    """A rest point as a function of the parameter, with its verdict on every interval.

    Attributes
    ----------
    point : RestPoint
        Coordinates as expressions in the parameter.
    label : str
    intervals : tuple of BranchInterval
    at_critical : tuple of (value, Stability or None)
        The verdict at each rational critical value (None where the point is not there).
    """

    point: Any
    label: str
    intervals: tuple
    at_critical: tuple = ()


@dataclass(frozen=True)
class Event:
    """A change of one branch at a critical value: ``"appears"``, ``"disappears"`` or ``"changes verdict"``."""

    value: Any
    branch: str
    kind: str
    before: Stability | None
    after: Stability | None


@dataclass(frozen=True, eq=False)
class Bifurcation:
    """The bifurcation structure of the rest points in one parameter on ``[lo, hi]``.

    Attributes
    ----------
    parameter : sympy.Symbol
    lo, hi : sympy numbers
    values : dict
        The other parameters' values.
    critical : tuple
        The exact values in ``(lo, hi)`` where some branch appears, disappears or changes its
        verdict, sorted; the intervals between them are the intervals of the branches.
    branches : tuple of Branch
    events : tuple of Event
        Where a branch appears, disappears or changes verdict, in order of the parameter.
    complete : bool
        Whether the symbolic rest-point search was complete.
    candidates : tuple
        Every root of the deciding quantities (see the module docstring); the critical values
        are those where a verdict actually changes.
    """

    parameter: Any
    lo: Any
    hi: Any
    values: Mapping
    critical: tuple
    branches: tuple
    events: tuple
    complete: bool = True
    candidates: tuple = ()

    def switching_values(self) -> tuple:
        """The critical values at which some branch appears, disappears or changes verdict."""
        return tuple(sorted({e.value for e in self.events}, key=lambda v: sympy.N(v, 30)))

    def to_dicts(self) -> list[dict]:
        """One row per branch and interval."""
        return [{"branch": b.label, "lo": str(i.lo), "hi": str(i.hi),
                 "verdict": None if i.verdict is None else i.verdict.name}
                for b in self.branches for i in b.intervals]

    def to_markdown(self) -> str:
        from ..core.formatting import markdown_table

        head = ["rest point"] + [f"({_fmt(a)}, {_fmt(b)})" for a, b in _pairs(self)]
        rows = [[b.label] + [("absent" if i.verdict is None else i.verdict.value) for i in b.intervals]
                for b in self.branches]
        text = markdown_table(head, rows)
        if self.events:
            text += "\n\n" + markdown_table(["value", "rest point", "event", "before", "after"],
                                            [[_fmt(e.value), e.branch, e.kind, _v(e.before), _v(e.after)]
                                             for e in self.events])
        return text

    def _repr_markdown_(self):
        return self.to_markdown()


def _v(verdict):
    return "absent" if verdict is None else verdict.value


def _fmt(v):
    return str(v)


def _pairs(bif):
    ends = [bif.lo] + list(bif.critical) + [bif.hi]
    return list(zip(ends, ends[1:]))


def _real_roots(expr, p, lo, hi) -> set:
    """Exact real roots in the open interval ``(lo, hi)`` of the numerator and denominator of ``expr``."""
    expr = sympy.together(expr)
    out = set()
    if not expr.has(p):
        return out
    # radicands of a closed form change the reality of the point
    for pw in expr.atoms(sympy.Pow):
        if pw.exp.is_Rational and not pw.exp.is_Integer and pw.base.has(p):
            out |= _real_roots(pw.base, p, lo, hi)
    num, den = sympy.fraction(expr)
    for part in (num, den):
        if not part.has(p):
            continue
        if part.is_polynomial(p) and part.free_symbols == {p}:
            roots = sympy.Poly(part, p).real_roots()
        else:
            roots = [r for r in sympy.solveset(part, p, sympy.Interval.open(lo, hi)) if r.is_real]
        out |= {r for r in roots if lo < r < hi}
    return out


def _quantities(row, p):
    """The expressions whose sign changes can change the row's existence or verdict."""
    point = row.point
    qs = []
    if point.kind == "vertex":
        qs += list(row.eigenvalues)
        return qs
    for v in point.coordinates.values():
        qs.append(v)
        qs.append(1 - v)
    shares = _support_shares(point)
    qs += shares
    J = row.jacobian
    if J.rows:
        lam = sympy.Dummy("lam")
        coeffs = [sympy.cancel(c) for c in J.charpoly(lam).all_coeffs()]
        qs.append(coeffs[-1])
        if J.rows >= 2:
            qs.append(hurwitz_determinants(coeffs[1:])[J.rows - 2])  # all_coeffs() leads with the 1
    return qs


def _support_shares(point):
    """The shares of the support's strategies (from the existence condition's relations)."""
    cond = point.existence
    if cond in (sympy.true, sympy.false):
        return []
    return [r.lhs - r.rhs for r in cond.atoms(sympy.core.relational.Relational)]


def _rational_between(a, b):
    fa, fb = sympy.N(a, 40), sympy.N(b, 40)
    for digits in (1, 2, 4, 8, 16, 30):
        m = sympy.nsimplify((fa + fb) / 2, rational=True, tolerance=sympy.Float(10) ** -digits * abs(fb - fa))
        if a < m < b:
            return m
    return sympy.Rational(str((fa + fb) / 2))


def bifurcation(dynamics, parameter, values=None, lo=None, hi=None, *, limits=None,
                timeout: float | None = None) -> Bifurcation:
    """Exact parameter values where a rest point appears, disappears or changes its verdict.

    Parameters
    ----------
    dynamics : ReplicatorDynamics
    parameter : str or sympy.Symbol
        The parameter that moves.
    values : mapping, optional
        Values of every other parameter.
    lo, hi : numbers, optional
        The parameter range (default: the ends of its domain when finite).
    limits : SearchLimits, optional
        Work limits of the symbolic rest-point search (see
        :meth:`~coopgame.dynamics.replicator.ReplicatorDynamics.stability`); a search they stop
        leaves :attr:`Bifurcation.complete` False.
    timeout : None
        Deprecated and ignored (a :class:`DeprecationWarning` when given): the search is bounded
        by work, not seconds.

    Returns
    -------
    Bifurcation

    Raises
    ------
    ParameterError
        Another parameter has no value, the range is empty or unbounded.

    Notes
    -----
    The verdict of a symbolic row at a rational point :math:`m` (an interval's inner point or a
    rational critical value) is decided from the row itself, exactly, when the other parameters'
    values are rational too:

    - the point is absent (None) where a coordinate has a pole or is not real at :math:`m`, or
      its existence condition is not true there;
    - a vertex: its eigenvalues (payoff differences) at :math:`m` are rational and are classified
      by :func:`~coopgame.dynamics.stability.classify_signs`, the rule of the numeric vertex rows;
    - another point: its coordinates at :math:`m` are rational, its shares are positive exactly on
      its support, the Jacobian :math:`J` at :math:`m` is rational, its restriction to the
      tangent space of the point's face (which :math:`J` leaves invariant) is nonsingular, and
      no other row is at the same point; the verdict is that of
      :func:`~coopgame.dynamics.stability.rational_eigen_stability` on :math:`J`, the numeric
      table's rule for a rational Jacobian (eigenvalues transversal to the face may be zero).
      On the face, :math:`J` is the Jacobian of the face's equal-payoff system
      :math:`D_{ik} = u_{ik} - u_{ik_0} = 0` times the block :math:`\\operatorname{diag}(x_i) -
      x_i x_i^T` of each role, nonsingular where the shares are positive; so the point is a
      simple, isolated solution of the face system at :math:`m`, which the numeric search lists,
      with this Jacobian.

    Every other row (an irrational value, a singular face block, two rows at one point, a support
    the shares do not confirm) is matched by coordinates against the numeric stability table at
    :math:`m`, a full rest-point search, computed only when some row needs it. The verdicts are
    those of the symbolic rows only: a rest point at :math:`m` that no row describes (one on a
    hypersurface of parameter space, which the symbolic search leaves out) is not reported
    either way. The one case where the two could differ is a numeric search that misses an
    isolated point (a face system at :math:`m` with a positive-dimensional component elsewhere,
    or one a work limit stops): the table would call the point absent, the shortcut gives its
    verdict.
    """
    from .sensitivity import resolve_parameters, substituted_dynamics

    params = resolve_parameters(dynamics, parameter)
    if len(params) != 1:
        raise ParameterError(f"a bifurcation varies one parameter, got {', '.join(q.name for q in params)}")
    (p,) = params
    game = dynamics.game
    given = game.check_values(values or {}, require_all=False)
    others = {s: v for s, v in given.items() if s != p}
    missing = sorted(s.name for s in game.free_symbols - {p} - set(others))
    if missing:
        raise ParameterError(f"missing value for parameter(s) {', '.join(map(repr, missing))}")
    domain = next((q.domain.interval for q in game.parameters if q.symbol == p), sympy.S.Reals)
    lo = domain.inf if lo is None else to_exact(lo, name="lo")
    hi = domain.sup if hi is None else to_exact(hi, name="hi")
    if not (lo.is_finite and hi.is_finite):
        raise ParameterError(f"give a finite range for {p.name!r} (lo and hi); its domain is {domain}")
    if not lo < hi:
        raise ParameterError(f"the range of {p.name!r} is empty: lo = {lo}, hi = {hi}")
    reduced = substituted_dynamics(dynamics, others)
    if timeout is not None:
        warnings.warn("timeout= is deprecated and ignored: the rest-point search is bounded by work "
                      "(limits=SearchLimits(...)), not by seconds", DeprecationWarning, stacklevel=3)
    table = reduced.stability(limits=limits)
    rows = list(table.rows)
    critical = set()
    for row in rows:
        for q in _quantities(row, p):
            critical |= _real_roots(q, p, lo, hi)
    critical = sorted(critical, key=lambda v: sympy.N(v, 30))
    ends = [lo] + critical + [hi]
    mids = [_rational_between(a, b) for a, b in zip(ends, ends[1:])]
    layout = list(zip(reduced.coordinates, reduced.game.strategy_lists))
    verdicts_mid = [_verdicts(dynamics, others, rows, p, m, limits, layout) for m in mids]
    at_crit = [(c, _verdicts(dynamics, others, rows, p, c, limits, layout) if c.is_Rational else None)
               for c in critical]
    # keep only the candidates where some branch changes; merge the intervals around the others
    keep = [n for n, c in enumerate(critical) if any(v[k] != w[k] for v, w in
                                                    [(verdicts_mid[n], verdicts_mid[n + 1])] for k in range(len(rows)))]
    candidates = tuple(critical)
    groups = [0] + [n + 1 for n in keep]  # first original interval of each merged interval
    critical = [critical[n] for n in keep]
    at_crit = [at_crit[n] for n in keep]
    ends = [lo] + critical + [hi]
    mids = [mids[g] for g in groups]
    verdicts_mid = [verdicts_mid[g] for g in groups]
    branches, events = [], []
    for k, row in enumerate(rows):
        label = row.point.label()
        intervals = tuple(BranchInterval(lo=a, hi=b, verdict=v[k], at=m)
                          for (a, b), m, v in zip(zip(ends, ends[1:]), mids, verdicts_mid))
        crit = tuple((c, None if v is None else v[k]) for c, v in at_crit)
        branches.append(Branch(point=row.point, label=label, intervals=intervals, at_critical=crit))
        for n, c in enumerate(critical):
            before, after = intervals[n].verdict, intervals[n + 1].verdict
            if before == after:
                continue
            kind = "appears" if before is None else "disappears" if after is None else "changes verdict"
            events.append(Event(value=c, branch=label, kind=kind, before=before, after=after))
    events.sort(key=lambda e: sympy.N(e.value, 30))
    return Bifurcation(parameter=p, lo=lo, hi=hi, values=others, critical=tuple(critical), branches=tuple(branches),
                       events=tuple(events), complete=table.complete, candidates=candidates)


def _verdicts(dynamics, others, rows, p, m, limits, layout):
    """The exact verdict of each symbolic row at ``p = m`` (None where the point is absent there).

    Each row is decided from its own exact data where that is sound (:func:`_row_verdict`); the
    rows it leaves undecided are matched by coordinates against the numeric table at ``m``
    (:func:`_numeric_verdicts`), which is computed only when some row needs it.
    """
    exact_values = m.is_Rational and all(isinstance(v, sympy.Basic) and v.is_Rational for v in others.values())
    at = [_at(row, p, m) for row in rows]  # each row's point at m, once (None: absent there)
    decided = [None if c is None else _row_verdict(row, c, p, m, layout) if exact_values else _UNDECIDED
               for row, c in zip(rows, at)]
    # two rows at the same point: the numeric table has one row there, let it decide both
    seen = {}
    for k, row in enumerate(rows):
        if decided[k] is _UNDECIDED or decided[k] is None or row.point.kind == "vertex":
            continue
        key = tuple(at[k].values())
        if key in seen:
            decided[k] = decided[seen[key]] = _UNDECIDED
        else:
            seen[key] = k
    todo = [k for k, v in enumerate(decided) if v is _UNDECIDED]
    if todo:
        found = _numeric_verdicts(dynamics, others, [at[k] for k in todo], p, m, limits)
        for k, v in zip(todo, found):
            decided[k] = v
    return decided


#: A row the shortcut leaves to the numeric table.
_UNDECIDED = object()


def _at(row, p, m):
    """The row's coordinates at ``p = m``, or None where the point is not a real point there
    (a pole or a non-real closed form) or its existence condition is not true there."""
    point = row.point
    coords = {s: v.xreplace({p: m}) if v.has(p) else v for s, v in point.coordinates.items()}
    if any(v.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo) or v.is_real is False for v in coords.values()):
        return None  # a pole or a non-real closed form: no rest point there
    try:
        exists = point.existence.xreplace({p: m}) if isinstance(point.existence, sympy.Basic) else point.existence
        if exists not in (sympy.true, sympy.false):
            exists = sympy.simplify(exists)
    except TypeError:  # a comparison with a pole
        exists = sympy.false
    return coords if exists is sympy.true else None


def _row_verdict(row, coords, p, m, layout):
    """The verdict of one row at the rational ``p = m``, where its point is ``coords`` (:func:`_at`),
    from its own exact data, or :data:`_UNDECIDED` where that would not be sound (see
    :func:`bifurcation`'s Notes)."""
    if row.point.kind == "vertex":
        eig = [e.xreplace({p: m}) for e in row.eigenvalues]
        if not all(e.is_Rational for e in eig):
            return _UNDECIDED
        return classify_signs(eig)[0]  # the numeric table's vertex rule (vertices.vertex_rows)
    if not all(v.is_Rational for v in coords.values()) or not _support_is(row.point, coords, layout):
        return _UNDECIDED
    J = row.jacobian.xreplace({p: m})
    if not all(e.is_Rational for e in J):
        return _UNDECIDED
    M = _on_face(J, row.point, layout)
    if M is None or M.det(method="berkowitz") == 0:
        return _UNDECIDED  # possibly not isolated on its face: the numeric search may not list it
    return rational_eigen_stability(J)[1]  # the numeric table's rule for a rational Jacobian


def _on_face(J, point, layout):
    """The Jacobian ``J`` (reduced coordinates) restricted to the tangent space of the point's
    face, in a basis of that space; None when ``J`` does not leave it invariant.

    A role whose last strategy is in the support ``S`` moves along the coordinates of ``S``'s
    other strategies; otherwise along ``e_k - e_k0`` (``k`` in ``S``, ``k0`` its first strategy),
    as the shares of ``S`` sum to one there.
    """
    vectors, offset = [], 0
    for (syms, names), support in zip(layout, point.support):
        idx = [names.index(s) for s in support]
        last = len(names) - 1
        for k in idx:
            if k == last or (last not in idx and k == idx[0]):
                continue
            vec = {offset + k: 1}
            if last not in idx:
                vec[offset + idx[0]] = -1
            vectors.append(vec)
        offset += len(syms)
    B = sympy.Matrix(J.rows, len(vectors), lambda i, j: vectors[j].get(i, 0))
    M = (B.T * B).inv() * B.T * J * B
    return M if J * B == B * M else None


def _support_is(point, coords, layout) -> bool:
    """Whether the shares at ``coords`` are positive exactly on the point's support."""
    for (syms, names), support in zip(layout, point.support):
        shares = [coords[s] for s in syms]
        shares.append(1 - sum(shares))
        for name, share in zip(names, shares):
            if bool(share > 0) != (name in support) or bool(share < 0):
                return False
    return True


def _numeric_verdicts(dynamics, others, points, p, m, limits):
    """The verdict at ``p = m`` of each symbolic row's point there (``points``: coordinates by
    :func:`_at`, None where absent), read from the numeric stability table at ``m`` (a full
    rest-point search): the verdict of its row whose coordinates are the point's."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        numeric = dynamics._numeric({**others, p: m}).stability(limits=limits)
    out = []
    for coords in points:
        if coords is None:
            out.append(None)
            continue
        match = None
        for r in numeric.rows:
            if all(sympy.simplify(r.point.coordinates[s] - coords[s]) == 0 for s in coords):
                match = r
                break
        out.append(None if match is None else match.stability)
    return out
