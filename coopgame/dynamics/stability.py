"""Stability of rest points of the replicator dynamics: exact eigenvalues, conditions, tables.

A rest point :math:`x^*` of :math:`\\dot x = f(x)` is classified from the Jacobian
:math:`J = Df(x^*)` (Hartman–Grobman): it is asymptotically stable when every eigenvalue has a
negative real part. An eigenvalue with positive real part proves instability (the linearised
instability theorem), whatever the other eigenvalues are, zero ones included: the point is a
saddle (:attr:`Stability.SADDLE`) when another eigenvalue has negative real part and
:attr:`Stability.UNSTABLE` otherwise. Only when no real part is positive does a zero (or
undecidable) real part leave the linearisation inconclusive; such points are
:attr:`Stability.NON_HYPERBOLIC` and never reported as stable.

Symbolically, the condition for asymptotic stability is written without solving for eigenvalues,
by the Routh–Hurwitz criterion: with characteristic polynomial
:math:`\\det(\\lambda I - J) = \\lambda^n + a_1 \\lambda^{n-1} + \\dots + a_n`, every root has a
negative real part iff every leading principal minor :math:`\\Delta_k` of the Hurwitz matrix
:math:`H_{ij} = a_{2i-j}` is positive. For :math:`n = 2` this is Friedman's test
:math:`\\det J > 0,\\ \\operatorname{tr} J < 0`.

Examples
--------
>>> import sympy
>>> from coopgame.dynamics.stability import classify, hurwitz_condition
>>> classify([sympy.Integer(-1), sympy.Rational(-1, 2)])
<Stability.ASYMPTOTICALLY_STABLE: 'asymptotically stable'>
>>> classify([sympy.Integer(-1), sympy.Integer(0)])
<Stability.NON_HYPERBOLIC: 'non-hyperbolic'>
>>> classify([sympy.Integer(1), sympy.Integer(0)])   # the eigenvalue 1 proves instability
<Stability.UNSTABLE: 'unstable'>
>>> a, b = sympy.symbols("a b", real=True)
>>> hurwitz_condition(sympy.Matrix([[a, 1], [0, b]]))
(a*b > 0) & (a + b < 0)
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy

from ..core.formatting import cell_latex, expr_text, markdown_table
from ..core.parameters import to_exact

__all__ = [
    "Stability",
    "RestPoint",
    "StabilityRow",
    "StabilityTable",
    "classify",
    "classify_signs",
    "hurwitz_condition",
    "hurwitz_determinants",
    "positive",
]

#: Default tolerance on eigenvalue real parts when they cannot be decided exactly.
DEFAULT_TOLERANCE = 1e-9


class Stability(enum.Enum):
    """Linear stability of a rest point."""

    ASYMPTOTICALLY_STABLE = "asymptotically stable"
    UNSTABLE = "unstable"
    SADDLE = "saddle"
    NON_HYPERBOLIC = "non-hyperbolic"

    def __str__(self):
        return self.value


@dataclass(frozen=True)
class RestPoint:
    """A rest point of the replicator dynamics.

    Attributes
    ----------
    coordinates : dict
        State symbol -> value (exact sympy numbers or expressions in the parameters; floats only
        where ``exact`` is False).
    profile : tuple of str or None
        For a vertex (every population monomorphic), the strategy names in player order.
    kind : str
        ``"vertex"``, ``"edge"`` (one population mixes two strategies, the others are
        monomorphic), ``"boundary"`` (another point on the boundary) or ``"interior"``.
    support : tuple of tuple of str
        The strategies present in each population.
    existence : sympy Boolean
        The condition under which the point lies in the state space with exactly this support
        (``sympy.true`` for vertices and for numeric points).
    exact : bool
        Whether the coordinates are exact.
    """

    coordinates: Mapping
    profile: tuple | None = None
    kind: str = "vertex"
    support: tuple = ()
    existence: Any = sympy.true
    exact: bool = True

    def __hash__(self):
        return hash((tuple(self.coordinates.items()), self.profile, self.kind))

    @property
    def point(self) -> tuple:
        """The coordinates as a tuple in state order."""
        return tuple(self.coordinates.values())

    def as_array(self) -> np.ndarray:
        """The coordinates as a float array (parameters must have been substituted)."""
        return np.array([float(v) for v in self.coordinates.values()], dtype=float)

    def label(self) -> str:
        """Short text: the profile for a vertex, else the coordinates."""
        if self.profile is not None:
            return "(" + ", ".join(self.profile) + ")"
        return "(" + ", ".join(str(v) for v in self.coordinates.values()) + ")"

    def __str__(self):
        return self.label()


@dataclass(frozen=True)
class StabilityRow:
    """One rest point with its Jacobian, eigenvalues and verdict.

    Attributes
    ----------
    point : RestPoint
    jacobian : sympy.ImmutableMatrix
        The Jacobian in reduced coordinates at the point.
    eigenvalues : tuple or None
        Exact eigenvalues, with multiplicity; ``None`` when sympy gave no closed form (the
        condition is then still exact, by Routh–Hurwitz).
    stability : Stability or None
        The verdict at numeric parameter values (``None`` in symbolic mode).
    condition : sympy Boolean or None
        Symbolic mode: the exact condition for asymptotic stability (``None`` in numeric mode).
    det, trace : sympy expression or None
        :math:`\\det J` and :math:`\\operatorname{tr} J` for two-population games (Friedman's test).
    certificate : str
        How the verdict or condition was obtained.
    """

    point: RestPoint
    jacobian: sympy.ImmutableMatrix
    eigenvalues: tuple | None
    stability: Stability | None = None
    condition: Any = None
    det: Any = None
    trace: Any = None
    certificate: str = ""

    @property
    def is_stable(self) -> bool:
        """Numeric mode: classified asymptotically stable; symbolic mode: condition not false."""
        if self.stability is not None:
            return self.stability is Stability.ASYMPTOTICALLY_STABLE
        return self.condition is not sympy.false


@dataclass(frozen=True)
class StabilityTable:
    """The stability analysis of every rest point found, one :class:`StabilityRow` each.

    Attributes
    ----------
    rows : tuple of StabilityRow
    state : tuple of sympy.Symbol
        The state variables (reduced coordinates).
    values : dict or None
        The parameter values of a numeric analysis (``None`` when symbolic).
    complete : bool
        False when the search for non-vertex rest points was cut short or found a continuum;
        the vertices are always complete.
    two_population : bool
        Whether the det/trace columns are shown.
    tolerance : float
        Tolerance on real parts used where exact signs could not be decided.
    notes : tuple of str
        What the search met: continua, unsolved faces, parameters that do not affect the dynamics.
    unsolved : tuple of (support, reason)
        The faces a work limit stopped (support names per role, and which limit); empty when the
        search finished. ``complete`` is False whenever it is not empty.
    """

    rows: tuple
    state: tuple
    values: Mapping | None = None
    complete: bool = True
    two_population: bool = False
    tolerance: float = DEFAULT_TOLERANCE
    notes: tuple = field(default=())
    unsolved: tuple = field(default=())

    @property
    def symbolic(self) -> bool:
        """True for a table of conditions, False for a table of verdicts at values."""
        return self.values is None

    def __len__(self):
        return len(self.rows)

    def __iter__(self):
        return iter(self.rows)

    def row(self, profile) -> StabilityRow:
        """The row of the vertex with the given profile (strategy names in player order)."""
        profile = tuple(profile)
        for r in self.rows:
            if r.point.profile == profile:
                return r
        from ..core.errors import UnknownNameError

        raise UnknownNameError(f"no vertex {profile!r} in the table")

    def stable_points(self) -> list[RestPoint]:
        """Rest points classified asymptotically stable (numeric mode), or whose stability
        condition is not identically false (symbolic mode)."""
        return [r.point for r in self.rows if r.is_stable]

    # ------------------------------------------------------------------ rendering
    def _header(self):
        head = ["rest point", "profile", "eigenvalues"]
        if self.two_population:
            head += ["det J", "tr J"]
        head.append("stability" if not self.symbolic else "asymptotically stable iff")
        return head

    def _cells(self, row, latex: bool):
        cell = cell_latex if latex else expr_text
        coords = sympy.Tuple(*row.point.coordinates.values()) if row.point.exact else tuple(
            float(v) for v in row.point.coordinates.values())
        profile = "(" + ", ".join(row.point.profile) + ")" if row.point.profile else row.point.kind
        if row.eigenvalues is None:
            eig = "no closed form"
        elif latex:
            eig = ", ".join(cell_latex(e) for e in row.eigenvalues)
        else:
            eig = ", ".join(expr_text(e) for e in row.eigenvalues)
        cells = [cell(coords), cell(profile), eig]
        if self.two_population:
            cells += [cell(row.det), cell(row.trace)]
        verdict = row.stability.value if row.stability is not None else row.condition
        if verdict is None:
            verdict = "not determined"
        cells.append(cell(verdict))
        return cells

    def to_markdown(self) -> str:
        """The table in Markdown: point, profile, eigenvalues, (det, trace), verdict or condition."""
        rows = [self._cells(r, latex=False) for r in self.rows]
        text = markdown_table(self._header(), rows)
        if not self.complete:
            text += "\n\n*Incomplete: not every non-vertex rest point could be determined.*"
            for support, reason in self.unsolved:
                shown = ", ".join("{" + ", ".join(s) + "}" for s in support)
                text += f"\n\n- face ({shown}) unsolved: {reason}"
        return text

    def to_latex(self) -> str:
        """The table in LaTeX (booktabs; a ``tabularx`` whose long columns wrap when it is wider
        than the page), cells typeset with ``sympy.latex``."""
        return _latex_rows(self._header(), [self._cells(r, latex=True) for r in self.rows])

    def _repr_markdown_(self):
        return self.to_markdown()

    def _repr_latex_(self):
        return self.to_latex()

    def _repr_html_(self):
        from ..core.notebook import html_table

        return html_table(self._header(), [self._cells(r, latex=False) for r in self.rows])

    def to_dataframe(self, numeric: bool = False):
        """The table as a pandas DataFrame, one row per rest point, cells exact unless ``numeric``.

        Columns: ``rest point`` (the coordinates), ``profile``, ``kind``, ``eigenvalues`` (a
        tuple, or ``None`` without a closed form), ``det J`` and ``tr J`` for two populations, then
        ``stability`` (at values) or ``asymptotically stable iff`` (symbolic), and ``certificate``.
        """
        from ..core.frames import frame

        rows = []
        for r in self.rows:
            p = r.point
            row = {"rest point": sympy.Tuple(*p.coordinates.values()),
                   "profile": "(" + ", ".join(p.profile) + ")" if p.profile else None, "kind": p.kind,
                   "eigenvalues": None if r.eigenvalues is None else tuple(r.eigenvalues)}
            if self.two_population:
                row["det J"], row["tr J"] = r.det, r.trace
            if self.symbolic:
                row["asymptotically stable iff"] = r.condition
            else:
                row["stability"] = None if r.stability is None else r.stability.value
            row["certificate"] = r.certificate
            rows.append(row)
        return frame(rows, numeric=numeric)

    def to_dicts(self) -> list[dict]:
        """The rows as JSON-ready dicts (sympy objects as strings)."""
        out = []
        for r in self.rows:
            p = r.point
            d = {
                "coordinates": {expr_text(k): expr_text(v) for k, v in p.coordinates.items()},
                "profile": list(p.profile) if p.profile else None,
                "kind": p.kind,
                "support": [list(s) for s in p.support],
                "existence": expr_text(p.existence),
                "exact": p.exact,
                "jacobian": [[expr_text(v) for v in r.jacobian.row(i)] for i in range(r.jacobian.rows)],
                "eigenvalues": None if r.eigenvalues is None else [expr_text(e) for e in r.eigenvalues],
                "stability": None if r.stability is None else r.stability.name,
                "condition": None if r.condition is None else expr_text(r.condition),
                "certificate": r.certificate,
            }
            if self.two_population:
                d["det"] = expr_text(r.det)
                d["trace"] = expr_text(r.trace)
            out.append(d)
        return out

    def __str__(self):
        return self.to_markdown()

    def signs(self, assumptions=(), **kwargs) -> tuple:
        """Each vertex eigenvalue's sign under assumptions; see :func:`coopgame.dynamics.cases.decide_signs`."""
        from .cases import decide_signs

        return decide_signs(self, assumptions, **kwargs)

    def cases(self, assumptions=(), **kwargs):
        """Disjoint cases covering the admissible region, each with its ESS; see
        :func:`coopgame.dynamics.cases.cases`."""
        from .cases import cases

        return cases(self, assumptions, **kwargs)


def _latex_rows(header, rows) -> str:
    """A booktabs table whose cells are already typeset; long condition columns wrap
    (:func:`coopgame.core.formatting.latex_rows`)."""
    from ..core.formatting import escape_latex, latex_rows

    return latex_rows([escape_latex(str(h)) for h in header], [[str(c) for c in row] for row in rows])


# ---------------------------------------------------------------------- conditions
def positive(expr, strict: bool = True) -> sympy.Basic:
    """The condition ``expr > 0`` (or ``>= 0``), decided where the assumptions allow.

    Rational functions are brought over a common denominator; a denominator known to be positive
    is dropped, and the numerator is written by :func:`coopgame.equilibria.relation`.

    Examples
    --------
    >>> a, b = sympy.symbols("a b", positive=True)
    >>> positive((a - b) / (a + b))
    a > b
    >>> positive(a * b)
    True
    """
    from ..core.exact import relation

    expr = to_exact(expr, name="expression") if not isinstance(expr, sympy.Basic) else expr
    if expr.is_number:
        value = sympy.nsimplify(expr) if isinstance(expr, sympy.Float) else expr
        decided = value.is_positive if strict else value.is_nonnegative
        if decided is not None:
            return sympy.true if decided else sympy.false
    d = sympy.cancel(sympy.together(expr)) if expr.has(sympy.Pow) else expr
    num, den = sympy.fraction(d)
    if den != 1:
        if den.is_positive:
            return relation(num, strict)
        if den.is_negative:
            return relation(-num, strict)
        rel = sympy.StrictGreaterThan if strict else sympy.GreaterThan
        # factored when small (readable); a large quotient stays cancelled (factoring a big
        # multivariate polynomial costs far more than the condition is worth)
        return rel(sympy.factor(d) if sympy.count_ops(d) <= FACTOR_SIZE else d, 0)
    return relation(num, strict)


#: Largest operation count of a quotient that :func:`positive` factors.
FACTOR_SIZE = 120


def hurwitz_determinants(coeffs: Sequence) -> list:
    """Leading principal minors of the Hurwitz matrix of ``l^n + a_1 l^(n-1) + ... + a_n``.

    ``coeffs`` are ``[a_1, ..., a_n]`` (the leading coefficient 1 omitted).

    Examples
    --------
    >>> hurwitz_determinants([3, 3, 1])   # (l + 1)^3
    [3, 8, 8]
    """
    n = len(coeffs)
    a = [sympy.Integer(1)] + [c if isinstance(c, sympy.Basic) else sympy.Integer(c) for c in coeffs]

    def coef(k):
        return a[k] if 0 <= k <= n else sympy.Integer(0)

    H = sympy.Matrix(n, n, lambda i, j: coef(2 * (i + 1) - (j + 1)))
    out = []
    for k in range(1, n + 1):
        minor = H[:k, :k].det(method="berkowitz")
        out.append(sympy.factor(minor) if minor.free_symbols else minor)
    return out


def _charpoly_coeffs(J: sympy.Matrix) -> list:
    lam = sympy.Dummy("lambda")
    poly = J.charpoly(lam)
    return [sympy.cancel(c) if c.free_symbols else c for c in poly.all_coeffs()[1:]]


def hurwitz_condition(J: sympy.Matrix) -> sympy.Basic:
    """The exact condition that every eigenvalue of ``J`` has a negative real part.

    Uses the Routh–Hurwitz criterion on the characteristic polynomial, so no eigenvalue has to be
    found. For a 2x2 matrix it is ``det J > 0`` and ``tr J < 0``.
    """
    from ..core.exact import conjunction

    if J.rows == 0:
        return sympy.true
    if J.rows == 2:
        rels = [positive(J.det(method="berkowitz"), True), positive(-J.trace(), True)]
        return conjunction(rels)
    dets = hurwitz_determinants(_charpoly_coeffs(J))
    return conjunction([positive(d, True) for d in dets])


# ---------------------------------------------------------------------- numeric verdicts
def _sign(value, tol: float) -> tuple[int, bool]:
    """Sign of a real number: exactly when sympy can decide it, else with tolerance ``tol``.

    Returns ``(sign, exact)``.
    """
    if isinstance(value, sympy.Basic):
        if value.is_zero:
            return 0, True
        if value.is_positive:
            return 1, True
        if value.is_negative:
            return -1, True
        value = complex(value.evalf(30))
        value = value.real
    value = float(np.real(value))
    if not math.isfinite(value):
        return 0, False
    if abs(value) <= tol:
        return 0, False
    return (1 if value > 0 else -1), False


def classify(eigenvalues: Sequence, tol: float = DEFAULT_TOLERANCE) -> Stability:
    """The :class:`Stability` of a rest point from its eigenvalues.

    Real parts are decided exactly for exact (sympy) eigenvalues where possible, otherwise with
    tolerance ``tol``: a real part with ``|Re| <= tol`` counts as zero. An eigenvalue with
    positive real part gives :attr:`Stability.UNSTABLE` (or :attr:`Stability.SADDLE` beside one
    with negative real part), whatever the others are; otherwise a zero real part gives
    :attr:`Stability.NON_HYPERBOLIC`.
    """
    return _classify(eigenvalues, tol)[0]


def _axis_root_count(poly: sympy.Poly) -> int:
    """Exactly: how many distinct roots of the rational polynomial ``poly(l)`` have zero real part?

    With ``poly(i w) = R(w) + i I(w)`` such a root is a common real root of ``R`` and ``I``.
    """
    w = sympy.Dummy("w", real=True)
    lam = poly.gen
    val = sympy.expand(poly.as_expr().xreplace({lam: sympy.I * w}))
    real, imag = (sympy.Poly(part, w, domain="QQ") for part in val.as_real_imag())
    g = sympy.gcd(real, imag) if not real.is_zero and not imag.is_zero else (imag if real.is_zero else real)
    return g.count_roots() if g.degree() > 0 else 0


def _on_imaginary_axis(poly: sympy.Poly) -> bool:
    """Exactly: does the rational polynomial ``poly(l)`` have a root with zero real part?"""
    return _axis_root_count(poly) > 0


def rational_eigen_stability(J: sympy.Matrix) -> tuple[tuple, Stability, str]:
    """Exact eigenvalues and verdict for a matrix with rational entries.

    Eigenvalues come in radicals for factors of degree at most two and as ``CRootOf`` otherwise
    (both exact). How many roots of each irreducible factor lie on the imaginary axis is decided
    exactly (:func:`_axis_root_count`): they are the ones of smallest real part in absolute
    value; the signs of the other real parts, all nonzero, are read from 30-digit evaluations
    of the exact roots. The verdict follows :func:`_verdict`: an eigenvalue with positive real
    part proves instability even beside zero real parts; the certificate names it.

    Examples
    --------
    >>> rational_eigen_stability(sympy.Matrix([[1, 0], [0, 0]]))[1]
    <Stability.UNSTABLE: 'unstable'>
    """
    lam = sympy.Dummy("lambda")
    poly = sympy.Poly.from_list(J.charpoly(lam).all_coeffs(), lam, domain="QQ")
    eig, signs = [], []
    for fac, mult in sympy.factor_list(poly)[1]:
        rts = sympy.roots(fac, multiple=True) if fac.degree() <= 2 else fac.all_roots()
        re = [complex(r.evalf(30)).real for r in rts]
        on_axis = set(sorted(range(len(rts)), key=lambda k: abs(re[k]))[:_axis_root_count(fac)])
        fsigns = [0 if k in on_axis else (1 if re[k] > 0 else -1) for k in range(len(rts))]
        eig.extend(list(rts) * mult)
        signs.extend(fsigns * mult)
    verdict = _verdict(signs)
    cert = ("exact eigenvalues; zero real parts decided exactly, the other signs from 30-digit "
            "evaluation of the exact roots; " + witness(eig, signs))
    return tuple(eig), verdict, cert


def _verdict(signs) -> Stability:
    """The verdict from the signs (-1, 0, 1) of the real parts.

    An eigenvalue with positive real part proves instability (linearised instability theorem),
    whatever the others are: :attr:`Stability.SADDLE` when another one has negative real part,
    else :attr:`Stability.UNSTABLE`. Only when no real part is positive does a zero real part
    leave the point :attr:`Stability.NON_HYPERBOLIC`.
    """
    if any(s > 0 for s in signs):
        return Stability.SADDLE if any(s < 0 for s in signs) else Stability.UNSTABLE
    if any(s == 0 for s in signs):
        return Stability.NON_HYPERBOLIC
    return Stability.ASYMPTOTICALLY_STABLE


def witness(eigenvalues, signs) -> str:
    """Which eigenvalue proves the verdict: the first with positive (else zero) real part.

    ``signs`` are the signs (-1, 0, 1) of the real parts, as :func:`classify_signs` returns them;
    the text completes a row's certificate.
    """
    for wanted, what in ((1, "positive real part, so the point is unstable"),
                         (0, "zero real part and none has a positive one")):
        for ev, s in zip(eigenvalues, signs):
            if s == wanted:
                return f"the eigenvalue {ev} has {what}"
    return "every eigenvalue has negative real part"


def _classify(eigenvalues, tol):
    """``(verdict, exact)`` from eigenvalues (the first two items of :func:`classify_signs`)."""
    return classify_signs(eigenvalues, tol)[:2]


def classify_signs(eigenvalues, tol: float = DEFAULT_TOLERANCE) -> tuple:
    """``(verdict, exact, signs)`` of a rest point from its eigenvalues.

    ``verdict`` is the :class:`Stability` (as :func:`classify` gives it), ``exact`` whether every
    real part's sign was decided exactly, and ``signs`` the sign (-1, 0, 1) of each real part
    (within ``tol`` where not exact).
    """
    signs = []
    exact = True
    for ev in eigenvalues:
        re = sympy.re(ev) if isinstance(ev, sympy.Basic) else np.real(ev)
        s, e = _sign(re, tol)
        exact = exact and e
        signs.append(s)
    return _verdict(signs), exact, signs
