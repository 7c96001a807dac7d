"""Bargaining: who gets what when parties can agree.

Three solutions, each exact when its inputs are exact and symbolic when they are symbols.

*Generalised Nash bargaining, transferable utility* (:func:`nash_bargaining`). Parties
:math:`i = 1, \\dots, n` share a surplus :math:`S`; party :math:`i` gets :math:`d_i` if there is
no agreement and has bargaining power :math:`\\beta_i \\ge 0`. With :math:`w_i = \\beta_i /
\\sum_j \\beta_j`, the solution maximises :math:`\\prod_i (x_i - d_i)^{w_i}` over
:math:`\\sum_i x_i = S`; the first-order conditions give the closed form

.. math:: x_i = d_i + w_i \\Big(S - \\sum_j d_j\\Big),

and an agreement exists exactly when :math:`S > \\sum_j d_j`.

*Nash bargaining, non-transferable utility* (:func:`nash_bargaining_ntu`): outcome variables
:math:`z`, concave utilities :math:`u_i(z)`, a convex feasible set given by inequalities; the
solution maximises :math:`\\sum_i w_i \\log(u_i(z) - d_i)`. Solved numerically (scipy, several
starting points, verified) and symbolically from the Karush–Kuhn–Tucker conditions when sympy
can solve them.

*Kalai–Smorodinsky* (:func:`kalai_smorodinsky`, two parties) and *Rubinstein's alternating
offers* (:func:`rubinstein`, :func:`rubinstein_power`).

Examples
--------
Surplus 100, disagreement payoffs 20 and 10, equal powers: each gets its disagreement payoff plus
half of the net surplus 70.

>>> from coopgame.bargaining import nash_bargaining, rubinstein
>>> sol = nash_bargaining(100, {"enterprise": 20, "student": 10})
>>> dict(sol.payoffs)
{'enterprise': 55, 'student': 45}
>>> rubinstein("9/10", "9/10").first_mover_share
10/19

References
----------
.. [Nash1950] J. Nash, "The bargaining problem", Econometrica 18 (1950) 155-162.
.. [Roth1979] A. E. Roth, *Axiomatic Models of Bargaining*, Springer (1979), ch. 1
   (the generalised, asymmetric solution).
.. [KS1975] E. Kalai and M. Smorodinsky, "Other solutions to Nash's bargaining problem",
   Econometrica 43 (1975) 513-518.
.. [Rubinstein1982] A. Rubinstein, "Perfect equilibrium in a bargaining model", Econometrica 50
   (1982) 97-109.
.. [BRW1986] K. Binmore, A. Rubinstein and A. Wolinsky, "The Nash bargaining solution in
   economic modelling", RAND Journal of Economics 17 (1986) 176-188.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy

from .equilibria import relation
from .errors import ExpressionError, GameDefinitionError, ParameterError, SolverError, UnknownNameError
from .expressions import parse
from .parameters import to_exact

__all__ = [
    "FrozenMap",
    "BargainingSolution",
    "NTUBargainingSolution",
    "KalaiSmorodinskySolution",
    "RubinsteinSolution",
    "nash_bargaining",
    "nash_bargaining_ntu",
    "kalai_smorodinsky",
    "rubinstein",
    "rubinstein_power",
]


# ---------------------------------------------------------------------------- helpers
class FrozenMap(Mapping):
    """An immutable, hashable mapping that keeps insertion order (used in frozen results).

    It compares equal to any mapping with the same items, so ``sol.payoffs == {"a": 55}`` works.

    Examples
    --------
    >>> m = FrozenMap({"a": 1, "b": 2})
    >>> m["b"], m == {"b": 2, "a": 1}
    (2, True)
    """

    __slots__ = ("_items", "_index")

    def __init__(self, items=()):
        pairs = tuple(items.items()) if isinstance(items, Mapping) else tuple(items)
        object.__setattr__(self, "_items", pairs)
        object.__setattr__(self, "_index", dict(pairs))

    def __getitem__(self, key):
        return self._index[key]

    def __iter__(self) -> Iterator:
        return (k for k, _ in self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self):
        return hash(self._items)

    def __setattr__(self, name, value):
        raise AttributeError("FrozenMap is immutable")

    def __repr__(self):
        return "{" + ", ".join(f"{k!r}: {v}" for k, v in self._items) + "}"

    def __reduce__(self):
        return (FrozenMap, (self._items,))


def _as_expr(value, name: str, symbols: dict | None = None) -> sympy.Expr:
    """A number, sympy expression or string (safe parser) as an exact sympy expression."""
    if isinstance(value, str):
        try:
            expr = parse(value, symbols)
        except ExpressionError as exc:
            raise ExpressionError(f"{name}: {exc}") from None
    elif isinstance(value, sympy.Basic):
        expr = to_exact(value, name=name)
    else:
        expr = to_exact(value, name=name)
    if not isinstance(expr, sympy.Expr):
        raise ExpressionError(f"{name}: expected an expression, got {expr!r}")
    if expr.has(sympy.nan, sympy.zoo, sympy.oo, sympy.S.NegativeInfinity, sympy.I):
        raise ParameterError(f"{name}: {expr} is not a finite real number")
    if symbols is not None:
        expr = _unify(expr, symbols)
    return expr


def _unify(expr, symbols: dict):
    """Replace symbols by the first symbol of the same name seen (recorded in ``symbols``)."""
    replace = {}
    for s in expr.free_symbols:
        known = symbols.setdefault(s.name, s)
        if known != s:
            replace[s] = known
    return expr.xreplace(replace) if replace else expr


def _names(*objects) -> set[str]:
    """Names of the free symbols of sympy objects (nested in mappings and sequences)."""
    out: set[str] = set()
    for obj in objects:
        if isinstance(obj, sympy.Basic):
            out |= {s.name for s in obj.free_symbols}
        elif isinstance(obj, Mapping):
            out |= _names(*obj.values())
        elif isinstance(obj, (list, tuple)):
            out |= _names(*obj)
    return out


def _value_map(values, known=None, what: str = "the result") -> dict[str, sympy.Expr]:
    """Parameter values keyed by name, exact; with ``known``, unknown names raise."""
    out = {}
    for key, value in (values or {}).items():
        if isinstance(key, str):
            name = key
        elif isinstance(key, sympy.Symbol):
            name = key.name
        elif hasattr(key, "symbol") and hasattr(key, "name"):
            name = key.name
        else:
            raise UnknownNameError(f"parameter key {key!r} must be a name or a sympy Symbol")
        if known is not None and name not in known:
            shown = ", ".join(sorted(known)) or "none"
            raise UnknownNameError(f"unknown parameter {name!r} for {what} (parameters: {shown})")
        out[name] = to_exact(value, name=f"parameter {name!r}")
    return out


def _subs(expr, vmap: Mapping[str, Any]):
    """Substitute values (keyed by name) into a sympy object; unknown names are left alone."""
    if not vmap or not isinstance(expr, sympy.Basic):
        return expr
    rep = {s: vmap[s.name] for s in expr.free_symbols if s.name in vmap}
    if not rep:
        return expr
    out = expr.xreplace(rep)
    if isinstance(out, sympy.Expr) and out.is_number:
        return sympy.nsimplify(out) if out.has(sympy.Float) else sympy.simplify(out)
    return out


def _decide(condition, what: str) -> bool:
    """A sympy Boolean that must be decided (no free symbols) as a Python bool."""
    if condition in (sympy.true, sympy.false):
        return bool(condition)
    if isinstance(condition, bool):
        return condition
    if condition.free_symbols:
        missing = ", ".join(sorted(repr(s.name) for s in condition.free_symbols))
        raise ParameterError(f"{what}: missing value for parameter(s) {missing}")
    result = sympy.simplify(condition)
    if result not in (sympy.true, sympy.false):
        raise ParameterError(f"{what}: condition {condition} could not be decided")
    return bool(result)


def _check_unit_open(value, name: str):
    """Raise when a (numeric or symbolic) discount factor is provably outside (0, 1)."""
    inside = sympy.Interval.open(0, 1).contains(value)
    if inside is sympy.false:
        raise ParameterError(f"{name} = {value} must lie in the open interval (0, 1)")
    return value


def _check_nonnegative(value, name: str):
    if value.is_number:
        if value.is_real is False or value < 0:
            raise ParameterError(f"{name} = {value} must be a non-negative real number")
    elif value.is_negative:
        raise ParameterError(f"{name} = {value} is provably negative; bargaining powers must be >= 0")
    return value


def _party_values(data, parties, what: str, symbols) -> tuple[tuple[str, ...], tuple[sympy.Expr, ...]]:
    """Read a mapping party -> value or a sequence in party order."""
    if isinstance(data, Mapping):
        keys = tuple(data)
        if parties is None:
            parties = keys
        else:
            unknown = [k for k in keys if k not in parties]
            if unknown:
                raise UnknownNameError(f"{what} given for unknown part(y/ies) {', '.join(map(repr, unknown))} "
                                       f"(parties: {', '.join(map(str, parties))})")
            missing = [p for p in parties if p not in data]
            if missing:
                raise ParameterError(f"{what}: no value for part(y/ies) {', '.join(map(repr, missing))}")
        items = [data[p] for p in parties]
    else:
        if isinstance(data, (str, bytes)) or not isinstance(data, Iterable):
            raise ParameterError(f"{what} must be a mapping party -> value or a sequence, got {data!r}")
        items = list(data)
        if parties is None:
            parties = tuple(f"party_{k + 1}" for k in range(len(items)))
        if len(items) != len(parties):
            raise ParameterError(f"{what}: {len(items)} values for {len(parties)} parties")
    return tuple(parties), tuple(_as_expr(v, f"{what} of {p!r}", symbols) for p, v in zip(parties, items))


def _check_parties(parties) -> tuple | None:
    if parties is None:
        return None
    if isinstance(parties, str) or not isinstance(parties, Iterable):
        raise ParameterError(f"parties must be a sequence of names, got {parties!r}")
    parties = tuple(parties)
    if len(set(parties)) != len(parties):
        dup = next(p for p in parties if parties.count(p) > 1)
        raise ParameterError(f"duplicate party {dup!r}")
    return parties


def _normalised_powers(powers, parties, symbols) -> tuple[tuple, tuple]:
    n = len(parties)
    if powers is None:
        raw = tuple(sympy.Integer(1) for _ in parties)
    else:
        _, raw = _party_values(powers, parties, "bargaining power", symbols)
    for p, b in zip(parties, raw):
        _check_nonnegative(b, f"bargaining power of {p!r}")
    total = sympy.Add(*raw)
    if total.is_zero:
        raise ParameterError(f"bargaining powers {', '.join(map(str, raw))} sum to zero; at least one must be positive")
    weights = tuple(sympy.cancel(b / total) for b in raw)
    if n == 0:
        raise ParameterError("bargaining needs at least one party")
    return raw, weights


# ---------------------------------------------------------------------------- TU Nash
@dataclass(frozen=True)
class BargainingSolution:
    """The generalised Nash bargaining solution with transferable utility.

    Attributes
    ----------
    parties : tuple of str
        The parties, in order.
    surplus : sympy.Expr
        The surplus :math:`S` to be shared.
    disagreement : FrozenMap
        Party -> disagreement payoff :math:`d_i`.
    powers : FrozenMap
        Party -> bargaining power as given (:math:`\\beta_i`; equal powers when none were given).
    shares : FrozenMap
        Party -> normalised power :math:`w_i = \\beta_i / \\sum_j \\beta_j`, the party's share of the
        net surplus :math:`S - \\sum_j d_j`.
    payoffs : FrozenMap
        Party -> :math:`x_i = d_i + w_i (S - \\sum_j d_j)`.
    agreement_condition : sympy Boolean
        :math:`S > \\sum_j d_j`: the parties gain from agreeing (``sympy.true``/``false`` when decided).
    """

    parties: tuple
    surplus: sympy.Expr
    disagreement: FrozenMap
    powers: FrozenMap
    shares: FrozenMap
    payoffs: FrozenMap
    agreement_condition: Any

    @property
    def net_surplus(self) -> sympy.Expr:
        """:math:`S - \\sum_j d_j`, the gain from agreement that is split by the shares."""
        return sympy.expand(self.surplus - sympy.Add(*self.disagreement.values()))

    def subs(self, values) -> BargainingSolution:
        """The solution with parameter values substituted (keys: names or symbols).

        Names that do not occur in the solution are ignored, so a model's whole set of values
        can be passed.

        Examples
        --------
        >>> sol = nash_bargaining("L - c", {"enterprise": "o_e", "student": "o_s"})
        >>> sol.subs({"L": 100, "c": 0, "o_e": 20, "o_s": 10}).payoffs["student"]
        45
        """
        vmap = _value_map(values)
        return BargainingSolution(
            self.parties,
            _subs(self.surplus, vmap),
            FrozenMap((k, _subs(v, vmap)) for k, v in self.disagreement.items()),
            FrozenMap((k, _subs(v, vmap)) for k, v in self.powers.items()),
            FrozenMap((k, _subs(v, vmap)) for k, v in self.shares.items()),
            FrozenMap((k, _subs(v, vmap)) for k, v in self.payoffs.items()),
            _simplify_bool(_subs(self.agreement_condition, vmap)),
        )

    def agrees(self, values=None) -> bool:
        """Whether an agreement exists at the given values."""
        return _decide(_subs(self.agreement_condition, _value_map(values)), "agreement condition")

    def _parameter_names(self) -> set[str]:
        return _names(self.surplus, self.disagreement, self.powers)

    def to_markdown(self) -> str:
        """A table: party, disagreement payoff, power, share of the net surplus, payoff.

        Examples
        --------
        >>> print(nash_bargaining(100, [20, 10], [7, 3], parties=["e", "s"]).to_markdown())
        | party | disagreement payoff | bargaining power | share of net surplus | payoff |
        |---|---|---|---|---|
        | e | 20 | 7 | 7/10 | 69 |
        | s | 10 | 3 | 3/10 | 31 |
        <BLANKLINE>
        Surplus 100; agreement if True.
        """
        from .report.tables import markdown_table

        rows = [[p, self.disagreement[p], self.powers[p], self.shares[p], self.payoffs[p]] for p in self.parties]
        table = markdown_table(["party", "disagreement payoff", "bargaining power", "share of net surplus", "payoff"], rows)
        return f"{table}\n\nSurplus {self.surplus}; agreement if {self.agreement_condition}."


def _simplify_bool(cond):
    if cond in (sympy.true, sympy.false) or not isinstance(cond, sympy.Basic):
        return cond
    if not cond.free_symbols:
        return sympy.true if _decide(cond, "condition") else sympy.false
    return cond


def nash_bargaining(surplus, disagreement, powers=None, *, parties=None, values=None) -> BargainingSolution:
    """The generalised Nash bargaining solution with transferable utility, in closed form.

    Each party receives its disagreement payoff plus its normalised power's share of the net
    surplus:

    .. math:: x_i = d_i + \\frac{\\beta_i}{\\sum_j \\beta_j} \\Big(S - \\sum_j d_j\\Big),

    the maximiser of :math:`\\prod_i (x_i - d_i)^{\\beta_i}` on :math:`\\sum_i x_i = S` [Roth1979]_.
    It is Pareto-efficient (the payoffs add up to :math:`S`) and individually rational
    (:math:`x_i \\ge d_i`) whenever the agreement condition :math:`S > \\sum_j d_j` holds.

    Parameters
    ----------
    surplus : number, sympy expression or str
        The total :math:`S` to share, e.g. ``"L - c_e - c_s"`` (strings go through the safe parser).
    disagreement : mapping party -> value, or sequence
        The disagreement (outside-option) payoffs :math:`d_i`; a mapping also names the parties.
    powers : mapping or sequence, optional
        Bargaining powers :math:`\\beta_i \\ge 0`, not all zero (normalised here); equal if omitted.
    parties : sequence of str, optional
        Party names (default: the keys of ``disagreement``, or ``party_1, party_2, ...``).
    values : mapping, optional
        Parameter values (keyed by name or symbol) to substitute into the result.

    Returns
    -------
    BargainingSolution

    Raises
    ------
    ParameterError
        A negative power, all powers zero, a missing value, a non-finite number.
    UnknownNameError
        Powers or disagreement payoffs given for parties not in ``parties``.

    Examples
    --------
    >>> sol = nash_bargaining(100, {"enterprise": 20, "student": 10}, {"enterprise": "7/10", "student": "3/10"})
    >>> sol.payoffs["enterprise"], sol.payoffs["student"]
    (69, 31)
    >>> sym = nash_bargaining("L - c", {"enterprise": "o_e", "student": "o_s"}, {"enterprise": "b", "student": "1 - b"})
    >>> sym.payoffs["student"]
    o_s + (1 - b)*(L - c - o_e - o_s)
    >>> sym.agreement_condition
    L > c + o_e + o_s
    """
    symbols: dict = {}
    parties = _check_parties(parties)
    surplus_e = _as_expr(surplus, "surplus", symbols)
    parties, d = _party_values(disagreement, parties, "disagreement payoff", symbols)
    if not parties:
        raise ParameterError("bargaining needs at least one party")
    raw, weights = _normalised_powers(powers, parties, symbols)
    _value_map(values, _names(surplus_e, d, raw), "this bargaining problem")  # unknown names raise
    net = surplus_e - sympy.Add(*d)
    payoffs = tuple(_tidy(di, w, net) for di, w in zip(d, weights))
    cond = relation(net, strict=True)
    sol = BargainingSolution(
        parties,
        surplus_e,
        FrozenMap(zip(parties, d)),
        FrozenMap(zip(parties, raw)),
        FrozenMap(zip(parties, weights)),
        FrozenMap(zip(parties, payoffs)),
        cond,
    )
    return sol.subs(values) if values else sol


def _tidy(d, w, net):
    """``d + w*net`` exactly; symbolic payoffs keep the readable form ``d_i + w_i (S - sum d)``."""
    expr = d + w * net
    if expr.is_number:
        return sympy.nsimplify(expr) if expr.has(sympy.Float) else sympy.expand(expr)
    if w == 1:
        return sympy.expand(expr)
    if w == 0:
        return d
    return expr


# ---------------------------------------------------------------------------- NTU Nash
@dataclass(frozen=True)
class NTUBargainingSolution:
    """The Nash bargaining solution of a non-transferable-utility problem.

    Attributes
    ----------
    parties : tuple of str
    variables : tuple of sympy.Symbol
        The outcome variables :math:`z`.
    outcome : FrozenMap
        Variable -> its value at the solution (floats from the numerical solver).
    payoffs : FrozenMap
        Party -> utility :math:`u_i(z^*)` (float).
    symbolic_outcome : FrozenMap or None
        Variable -> exact expression, when sympy could solve the Karush–Kuhn–Tucker conditions
        (at most two binding constraints) and the exact solution agrees with the numerical one;
        else ``None``.
    symbolic_payoffs : FrozenMap or None
        Party -> exact utility at the symbolic outcome.
    nash_product : float
        :math:`\\sum_i w_i \\log(u_i(z^*) - d_i)`.
    pareto_gap : float
        The largest total utility gain found over :math:`z^*` while keeping every party at least
        as well off (numerically zero for a Pareto-efficient point).
    certificate : str
        How the solution was verified.
    """

    parties: tuple
    variables: tuple
    outcome: FrozenMap
    payoffs: FrozenMap
    symbolic_outcome: FrozenMap | None
    symbolic_payoffs: FrozenMap | None
    nash_product: float
    pareto_gap: float
    certificate: str


def _read_constraints(feasible, symbols) -> list[sympy.Expr]:
    """Constraints as expressions ``g(z)`` meaning ``g(z) <= 0``."""
    if isinstance(feasible, (str, sympy.Basic)):
        feasible = [feasible]
    out = []
    for k, c in enumerate(feasible):
        if isinstance(c, str):
            try:
                c = parse(c, symbols, relational=True)
            except ExpressionError as exc:
                raise ExpressionError(f"feasible-set constraint {k + 1}: {exc}") from None
            c = _unify(c, symbols)
        if isinstance(c, (sympy.LessThan, sympy.StrictLessThan)):
            out.append(_unify(c.lhs - c.rhs, symbols))
        elif isinstance(c, (sympy.GreaterThan, sympy.StrictGreaterThan)):
            out.append(_unify(c.rhs - c.lhs, symbols))
        else:
            raise GameDefinitionError(
                f"feasible-set constraint {k + 1} ({c}) must be an inequality such as 'w + f <= L'")
    return out


def nash_bargaining_ntu(
    utilities,
    feasible,
    disagreement,
    powers=None,
    *,
    variables=None,
    values=None,
    bounds=None,
    rng=None,
    starts: int = 8,
    tol: float = 1e-7,
    symbolic: bool = True,
) -> NTUBargainingSolution:
    """Nash bargaining with non-transferable utility: maximise the weighted Nash product.

    The parties choose outcome variables :math:`z` (a wage, a fee, hours) in a convex feasible
    set :math:`\\{z : g_k(z) \\le 0\\}`; party :math:`i` values the outcome by a concave utility
    :math:`u_i(z)`. The solution maximises

    .. math:: \\sum_i w_i \\log\\big(u_i(z) - d_i\\big) \\quad \\text{subject to } g_k(z) \\le 0,

    a concave programme, so its utility vector is unique. The numerical solution is computed
    by SLSQP from ``starts`` starting points (drawn with ``rng``) after a phase that finds a
    point better than disagreement for everyone; it is accepted only if every run that
    converged reaches the same Nash product (to ``tol``), it is feasible and individually
    rational, and no feasible point gives every party at least as much and the parties together
    more (the Pareto check, a second optimisation). When ``symbolic``, the Karush–Kuhn–Tucker
    stationarity conditions :math:`\\sum_i w_i \\nabla u_i / (u_i - d_i) = \\sum_{k \\in A}
    \\lambda_k \\nabla g_k` with :math:`g_k = 0` for every set :math:`A` of at most two binding
    constraints are solved by sympy, keeping the parameters symbolic; the exact solution whose
    value at ``values`` matches the numerical solution is returned. It is therefore the right
    branch at the given values (and wherever the same constraints bind).

    Parameters
    ----------
    utilities : mapping party -> expression (or str)
        Concave utilities in the outcome variables (and parameters, which need ``values``).
    feasible : sequence of inequalities (sympy relationals or str)
        The convex feasible set, e.g. ``["w + f <= 10", "w >= 0"]``.
    disagreement : mapping party -> value, or sequence
    powers : mapping or sequence, optional
        Bargaining powers (normalised); equal if omitted.
    variables : sequence of str or Symbol, optional
        The outcome variables; by default every free symbol of the utilities and constraints
        that has no value in ``values``.
    values : mapping, optional
        Values of the parameters (all symbols other than the outcome variables).
    bounds : mapping variable -> (low, high), optional
        Box bounds for the solver (in addition to ``feasible``); they keep the search where the
        utilities are defined (e.g. ``w >= 0`` under a square root) and are assumed not to bind
        at the symbolic solution (which is kept only if it matches the numerical one).
    rng : numpy.random.Generator or int, optional
        Randomness for the starting points.

    Returns
    -------
    NTUBargainingSolution

    Raises
    ------
    ParameterError
        A parameter without value, a negative power.
    SolverError
        No feasible point beats disagreement for all parties, or the verification failed.

    Examples
    --------
    A student with concave utility :math:`2\\sqrt{w}` of the wage and an enterprise keeping
    :math:`L - w` of the labour value :math:`L = 10`, disagreement (0, 0), equal powers: the
    Lagrange condition :math:`1/(2w) = 1/(L-w)` gives :math:`w = L/3`.

    >>> sol = nash_bargaining_ntu({"enterprise": "L - w", "student": "2*sqrt(w)"}, ["w <= L"],
    ...                           {"enterprise": 0, "student": 0}, variables=["w"], values={"L": 10},
    ...                           bounds={"w": (0, 10)}, rng=0)
    >>> sol.symbolic_outcome
    {w: L/3}
    >>> sol.symbolic_payoffs["enterprise"]
    2*L/3
    >>> round(sol.outcome[sol.variables[0]], 6), round(sol.payoffs["enterprise"], 6)
    (3.333333, 6.666667)
    """
    symbols: dict = {}
    if not isinstance(utilities, Mapping) or not utilities:
        raise ParameterError("utilities must be a non-empty mapping party -> utility expression")
    parties = tuple(utilities)
    utils = [_as_expr(utilities[p], f"utility of {p!r}", symbols) for p in parties]
    _, d = _party_values(disagreement, parties, "disagreement payoff", symbols)
    raw, weights = _normalised_powers(powers, parties, symbols)
    cons = _read_constraints(feasible, symbols)
    vmap = _value_map(values, _names(utils, cons, d, weights), "this bargaining problem")
    if variables is None:
        free = set().union(*(u.free_symbols for u in utils), *(g.free_symbols for g in cons))
        var_syms = tuple(sorted((s for s in free if s.name not in vmap), key=lambda s: s.name))
    else:
        if isinstance(variables, (str, sympy.Symbol)):
            variables = [variables]
        var_syms = tuple(symbols.get(v if isinstance(v, str) else v.name) or sympy.Symbol(
            v if isinstance(v, str) else v.name, real=True) for v in variables)
        known = {s.name for u in utils for s in u.free_symbols} | {s.name for g in cons for s in g.free_symbols}
        for v in var_syms:
            if v.name not in known:
                raise UnknownNameError(f"outcome variable {v.name!r} occurs in no utility or constraint")
    if not var_syms:
        raise ParameterError("nash_bargaining_ntu needs at least one outcome variable")
    var_names = {v.name for v in var_syms}
    utils_n = [_subs(u, vmap) for u in utils]
    cons_n = [_subs(g, vmap) for g in cons]
    d_n = [_subs(x, vmap) for x in d]
    w_n = [_subs(x, vmap) for x in weights]
    for what, exprs in (("utility", utils_n), ("constraint", cons_n), ("disagreement payoff", d_n), ("power", w_n)):
        for e in exprs:
            missing = sorted(s.name for s in e.free_symbols if s.name not in var_names)
            if missing:
                raise ParameterError(f"{what} {e}: missing value for parameter(s) {', '.join(map(repr, missing))}")
    numeric = _solve_ntu_numeric(parties, var_syms, utils_n, cons_n, [float(x) for x in d_n],
                                 [float(x) for x in w_n], bounds, rng, starts, tol)
    z, payoffs, product, gap = numeric
    certificate = (f"SLSQP from {starts} starts agree to {tol:g}; feasible and individually rational; "
                   f"Pareto check gain {gap:.2e}")
    sym_outcome = sym_payoffs = None
    if symbolic:
        exact = _solve_ntu_symbolic(var_syms, utils, cons, d, weights) or []
        for cand in exact:  # keep the candidate that matches the numerical solution
            vals_here = {k: _subs(v, vmap) for k, v in cand.items()}
            try:
                numbers = [float(vals_here[v]) for v in var_syms]
            except (TypeError, KeyError):
                continue
            if np.allclose(numbers, z, atol=1e-5 * (1 + np.max(np.abs(z)))):
                sym_outcome = FrozenMap((v, sympy.simplify(cand[v])) for v in var_syms)
                sym_payoffs = FrozenMap(
                    (p, sympy.simplify(u.xreplace(dict(sym_outcome)))) for p, u in zip(parties, utils))
                certificate += "; exact Lagrange solution matches"
                break
    return NTUBargainingSolution(
        parties, var_syms, FrozenMap(zip(var_syms, (float(x) for x in z))),
        FrozenMap(zip(parties, payoffs)), sym_outcome, sym_payoffs, product, gap, certificate)


def _solve_ntu_symbolic(var_syms, utils, cons, d, weights, max_active: int = 2):
    """Candidate exact solutions: KKT stationarity with each small set of binding constraints."""
    import itertools

    grad = [sympy.Add(*(w * sympy.diff(u, v) / (u - di) for u, di, w in zip(utils, d, weights))) for v in var_syms]
    out = []
    for k in range(min(max_active, len(cons), len(var_syms)) + 1):
        for active in itertools.combinations(range(len(cons)), k):
            lams = [sympy.Dummy(f"lambda_{j}") for j in active]
            eqs = [cons[j] for j in active]
            eqs += [g - sympy.Add(*(lam * sympy.diff(cons[j], v) for lam, j in zip(lams, active)))
                    for g, v in zip(grad, var_syms)]
            try:
                sols = sympy.solve(eqs, [*var_syms, *lams], dict=True)
            except (NotImplementedError, ValueError, TypeError):
                continue
            out.extend(s for s in sols if all(v in s for v in var_syms))
    return out or None


def _solve_ntu_numeric(parties, var_syms, utils, cons, d, w, bounds, rng, starts, tol):
    from scipy.optimize import minimize

    rng = np.random.default_rng(rng)
    m = len(var_syms)
    fu = sympy.lambdify(var_syms, utils, modules="numpy", dummify=True)
    fg = sympy.lambdify(var_syms, cons, modules="numpy", dummify=True) if cons else (lambda *a: [])
    ju = sympy.lambdify(var_syms, [[sympy.diff(u, v) for v in var_syms] for u in utils], modules="numpy", dummify=True)
    jg = sympy.lambdify(var_syms, [[sympy.diff(g, v) for v in var_syms] for g in cons], modules="numpy", dummify=True) if cons else None
    box = []
    for v in var_syms:
        lo, hi = (None, None)
        if bounds and (v.name in bounds or v in bounds):
            lo, hi = bounds[v.name] if v.name in bounds else bounds[v]
        box.append((None if lo is None else float(lo), None if hi is None else float(hi)))
    d = np.asarray(d, float)
    w = np.asarray(w, float)

    def U(z):
        return np.asarray(fu(*z), float).reshape(-1)

    def G(z):
        return np.asarray(fg(*z), float).reshape(-1)

    def JU(z):
        return np.asarray(ju(*z), float).reshape(len(utils), m)

    def JG(z):
        return np.asarray(jg(*z), float).reshape(len(cons), m)

    cons_list = [{"type": "ineq", "fun": lambda z: -G(z), "jac": lambda z: -JG(z)}] if cons else []

    def draw():
        lo = np.array([b[0] if b[0] is not None else -10.0 for b in box])
        hi = np.array([b[1] if b[1] is not None else lo_i + 20.0 for b, lo_i in zip(box, lo)])
        return rng.uniform(lo, hi)

    # phase 1: a feasible point that beats disagreement for all (maximise min_i u_i - d_i)
    def phase1(z0):
        def f(x):
            return -x[-1]

        c1 = [{"type": "ineq", "fun": lambda x: U(x[:-1]) - d - x[-1]}]
        if cons:
            c1.append({"type": "ineq", "fun": lambda x: -G(x[:-1])})
        res = minimize(f, np.append(z0, -1.0), method="SLSQP", constraints=c1,
                       bounds=[*box, (None, 1.0)], options={"maxiter": 500, "ftol": 1e-12})
        return res.x[:-1], res.x[-1]

    results = []
    with np.errstate(all="ignore"):
        for _ in range(max(1, starts)):
            z0, t = phase1(draw())
            if not np.isfinite(t) or t <= 0 or (cons and np.max(G(z0)) > 1e-9):
                continue

            def obj(z):
                gap = U(z) - d
                if np.any(gap <= 0):
                    return 1e10
                return -float(np.dot(w, np.log(gap)))

            def jac(z):
                gap = U(z) - d
                return -(w / gap) @ JU(z)

            ir = {"type": "ineq", "fun": lambda z: U(z) - d - 1e-12}
            res = minimize(obj, z0, jac=jac, method="SLSQP", constraints=[*cons_list, ir], bounds=box,
                           options={"maxiter": 1000, "ftol": 1e-14})
            z = res.x
            if not np.all(np.isfinite(z)) or (cons and np.max(G(z)) > 1e-8) or np.any(U(z) - d <= 0):
                continue
            results.append((-obj(z), z))
    if not results:
        raise SolverError("no feasible outcome gives every party more than its disagreement payoff "
                          "(or the solver found none); the parties do not agree")
    best_val = max(r[0] for r in results)
    best = [r for r in results if r[0] >= best_val - 1e-6 * (1 + abs(best_val))]
    z = best[0][1]
    u = U(z)
    for _, z2 in best:
        if not np.allclose(U(z2), u, atol=1e-5 * (1 + np.max(np.abs(u)))):
            raise SolverError("Nash bargaining: runs reach the same Nash product at different utilities; "
                              "the problem is probably not concave")
    # Pareto check: maximise sum u subject to u >= u*, feasible
    pc = [*cons_list, {"type": "ineq", "fun": lambda x: U(x) - u}]
    res = minimize(lambda x: -float(np.sum(U(x))), z, jac=lambda x: -np.sum(JU(x), axis=0), method="SLSQP",
                   constraints=pc, bounds=box, options={"maxiter": 500, "ftol": 1e-14})
    gap = 0.0
    if np.all(np.isfinite(res.x)) and (not cons or np.max(G(res.x)) <= 1e-8) and np.all(U(res.x) >= u - 1e-8):
        gap = max(0.0, float(np.sum(U(res.x)) - np.sum(u)))
    if gap > max(tol, 1e-6) * (1 + float(np.sum(np.abs(u)))):
        raise SolverError(f"Nash bargaining: the solution is not Pareto-efficient (total gain {gap:.3g} found); "
                          "the solver did not converge")
    return z, tuple(float(x) for x in u), float(best_val), gap


# ---------------------------------------------------------------------------- Kalai-Smorodinsky
@dataclass(frozen=True)
class KalaiSmorodinskySolution:
    """The Kalai–Smorodinsky solution of a two-party problem.

    Attributes
    ----------
    parties : tuple of str
    ideal : FrozenMap
        Party -> ideal (utopia) payoff :math:`a_i`, the most it can get when the other gets its
        disagreement payoff.
    payoffs : FrozenMap
        Party -> payoff, on the frontier and on the segment from :math:`d` to :math:`a`.
    ratio : sympy.Expr
        :math:`t` with :math:`x = d + t (a - d)`, the common fraction of each party's possible gain.
    disagreement : FrozenMap
    """

    parties: tuple
    ideal: FrozenMap
    payoffs: FrozenMap
    ratio: sympy.Expr
    disagreement: FrozenMap


def kalai_smorodinsky(frontier, disagreement, *, utility_symbols=("u_1", "u_2"), parties=None,
                      values=None) -> KalaiSmorodinskySolution:
    """The Kalai–Smorodinsky solution [KS1975]_ for two parties.

    The feasible utility set is :math:`\\{u : F(u_1, u_2) \\le 0\\}` with :math:`F` increasing in
    both utilities (the frontier is :math:`F = 0`). The ideal point has :math:`F(a_1, d_2) = 0`
    and :math:`F(d_1, a_2) = 0`; the solution is the frontier point on the segment from the
    disagreement point to the ideal point, :math:`F(d + t(a - d)) = 0`. Each party gets the same
    fraction :math:`t` of its largest possible gain.

    Parameters
    ----------
    frontier : expression or str
        :math:`F(u_1, u_2)`, e.g. ``"u_1 + u_2 - S"`` (transferable utility) or
        ``"u_1 + u_2**2 - 10"``.
    disagreement : mapping or sequence of two values
    utility_symbols : pair of str
        The names of :math:`u_1, u_2` in ``frontier``.
    parties : pair of str, optional
    values : mapping, optional
        Values of other parameters in ``frontier`` or ``disagreement``.

    Notes
    -----
    Roots are exact where possible: a numeric frontier that is a polynomial with rational
    coefficients gives exact algebraic numbers (radicals or ``CRootOf``), otherwise
    ``sympy.solve`` is used; when neither singles out the root of a numeric frontier (a
    transcendental one, or one whose coefficients are already ``CRootOf``), a bracketed numerical
    root (a 30-digit sympy ``Float``, not exact) is returned. With symbolic parameters, a
    frontier whose roots sympy cannot single out raises :class:`SolverError` (give values).

    Examples
    --------
    With transferable utility it is the equal split of the net surplus:

    >>> kalai_smorodinsky("u_1 + u_2 - 100", [20, 10]).payoffs
    {'party_1': 55, 'party_2': 45}

    On the frontier :math:`u_1 + u_2^2 = 10` from (0, 0): ideal (10, sqrt(10)) and
    :math:`10 t + 10 t^2 = 10`, so :math:`t = (\\sqrt{5} - 1)/2`:

    >>> ks = kalai_smorodinsky("u_1 + u_2**2 - 10", [0, 0])
    >>> ks.ideal
    {'party_1': 10, 'party_2': sqrt(10)}
    >>> ks.ratio
    -1/2 + sqrt(5)/2
    """
    symbols: dict = {}
    parties = _check_parties(parties)
    if parties is not None and len(parties) != 2:
        raise ParameterError(f"kalai_smorodinsky is for two parties; got {len(parties)}")
    if len(utility_symbols) != 2:
        raise ParameterError("utility_symbols must name two utilities")
    u1, u2 = (sympy.Symbol(str(s), real=True) for s in utility_symbols)
    symbols[u1.name], symbols[u2.name] = u1, u2
    F = _as_expr(frontier, "frontier", symbols)
    parties, d = _party_values(disagreement, parties, "disagreement payoff", symbols)
    if len(parties) != 2:
        raise ParameterError(f"kalai_smorodinsky is for two parties; got {len(parties)}")
    for name in _value_map(values):
        if name in (u1.name, u2.name):
            raise ParameterError(f"{name!r} is a utility variable of the frontier, not a parameter")
    vmap = _value_map(values, _names(F, d) - {u1.name, u2.name}, "this bargaining problem")
    F = _subs(F, vmap)
    d = tuple(_subs(x, vmap) for x in d)
    if not F.has(u1) or not F.has(u2):
        raise ParameterError(f"frontier {F} must depend on both {u1} and {u2}")
    t = sympy.Symbol("t", positive=True)
    a1 = _frontier_root(F.xreplace({u2: d[1]}), u1, d[0], "ideal payoff of " + repr(parties[0]))
    a2 = _frontier_root(F.xreplace({u1: d[0]}), u2, d[1], "ideal payoff of " + repr(parties[1]))
    line = F.xreplace({u1: d[0] + t * (a1 - d[0]), u2: d[1] + t * (a2 - d[1])})
    ratio = _frontier_root(line, t, 0, "Kalai-Smorodinsky ratio", upper=1)
    x1 = _simplified(d[0] + ratio * (a1 - d[0]))
    x2 = _simplified(d[1] + ratio * (a2 - d[1]))
    return KalaiSmorodinskySolution(parties, FrozenMap(zip(parties, (a1, a2))), FrozenMap(zip(parties, (x1, x2))),
                                    ratio, FrozenMap(zip(parties, d)))


def _frontier_root(expr, var, low, what, upper=None):
    """The root of ``expr`` in ``var`` above ``low`` (and at most ``upper``); unique for monotone F.

    Exact when possible: a polynomial with rational coefficients gives an exact real root (a
    radical or a ``CRootOf``); otherwise ``sympy.solve``. A numeric expression whose root sympy
    cannot single out gets a bracketed numerical root (a 30-digit sympy ``Float``).
    """
    numeric = not (expr.free_symbols - {var})
    if numeric:
        exact = _rational_polynomial_root(expr, var, low, upper)
        if exact is not None:
            return exact
    try:
        roots = sympy.solve(expr, var)
    except (NotImplementedError, sympy.PolynomialError):
        roots = []
    good = []
    for r in roots:
        if r.is_real is False:
            continue
        above = _simplified(r - low)
        if above.is_number and not above > 0:
            continue
        if upper is not None:
            below = _simplified(upper - r)
            if below.is_number and below < 0:
                continue
        good.append(_simplified(r))
    if len(good) == 1:
        return good[0]
    if not good and numeric:
        return _bracketed_root(expr, var, low, upper, what)
    raise SolverError(f"{what}: could not single out the frontier point (candidates: {good or roots}); "
                      "give parameter values")


def _simplified(expr):
    """``sympy.simplify``, or the expression itself when simplification fails (algebraic roots)."""
    try:
        return sympy.simplify(expr)
    except (sympy.PolynomialError, NotImplementedError):
        return expr


def _rational_polynomial_root(expr, var, low, upper):
    """The single exact real root in ``(low, upper]`` of a polynomial over the rationals, or None."""
    try:
        poly = sympy.Poly(sympy.expand(expr), var)
    except (sympy.PolynomialError, sympy.GeneratorsNeeded):
        return None
    if poly.degree() < 1 or not poly.domain.is_QQ and not poly.domain.is_ZZ:
        return None
    # bounds are numbers or sympy values computed by the caller, never text
    low, upper = (v if v is None or isinstance(v, sympy.Basic) else to_exact(v, name="frontier bound")
                  for v in (low, upper))
    if not low.is_Rational or (upper is not None and not upper.is_Rational):
        return None
    roots = [r for r in set(poly.real_roots()) if r > low and (upper is None or r <= upper)]
    return roots[0] if len(roots) == 1 else None


def _bracketed_root(expr, var, low, upper, what):
    """A root above ``low`` by bisection (Brent's method) on a bracket grown by doubling."""
    from scipy.optimize import brentq

    numbers = {a: a.evalf(30) for a in expr.atoms(sympy.CRootOf)}
    f = sympy.lambdify(var, expr.xreplace(numbers), "math", dummify=True)
    lo = float(low)
    hi = float(upper) if upper is not None else lo + 1.0
    try:
        while upper is None and f(hi) < 0 and hi < 1e12:
            hi = lo + 2 * (hi - lo)
        if f(lo) * f(hi) > 0:
            raise SolverError(f"{what}: no frontier point above the disagreement point")
        root = brentq(f, lo, hi, xtol=1e-15, rtol=4 * np.finfo(float).eps)
    except (ValueError, OverflowError, ZeroDivisionError) as exc:
        raise SolverError(f"{what}: the frontier cannot be evaluated between {lo:g} and {hi:g} ({exc})") from None
    return sympy.Float(root, 30)


# ---------------------------------------------------------------------------- Rubinstein
@dataclass(frozen=True)
class RubinsteinSolution:
    """The subgame-perfect split of Rubinstein's alternating-offers game.

    Attributes
    ----------
    delta_1, delta_2 : sympy.Expr
        The parties' discount factors per bargaining round.
    first_mover_share : sympy.Expr
        :math:`(1 - \\delta_2) / (1 - \\delta_1 \\delta_2)`, agreed in the first round.
    second_mover_share : sympy.Expr
        :math:`\\delta_2 (1 - \\delta_1) / (1 - \\delta_1 \\delta_2)`.
    surplus : sympy.Expr
        The size of the pie (1 unless given).
    payoffs : FrozenMap
        Party -> share times surplus.
    """

    delta_1: sympy.Expr
    delta_2: sympy.Expr
    first_mover_share: sympy.Expr
    second_mover_share: sympy.Expr
    surplus: sympy.Expr
    payoffs: FrozenMap


def rubinstein(delta_1, delta_2, *, surplus=1, parties=("first", "second")) -> RubinsteinSolution:
    """Rubinstein's alternating-offers bargaining: the unique subgame-perfect equilibrium split.

    Party 1 proposes first; a rejected offer costs a round, discounted by :math:`\\delta_i`. In the
    unique subgame-perfect equilibrium [Rubinstein1982]_ party 1's offer is accepted at once and
    gives it

    .. math:: \\frac{1 - \\delta_2}{1 - \\delta_1 \\delta_2}.

    Parameters
    ----------
    delta_1, delta_2 : number, expression or str
        Discount factors in the open interval (0, 1); symbols are accepted (a value provably
        outside raises).
    surplus : number, expression or str
        The size of the pie.
    parties : pair of str

    Raises
    ------
    ParameterError
        A discount factor outside (0, 1), naming it.

    Examples
    --------
    >>> rubinstein("9/10", "4/5").first_mover_share
    5/7
    >>> rubinstein("d", "d").first_mover_share
    1/(d + 1)
    """
    symbols: dict = {}
    d1 = _check_unit_open(_as_expr(delta_1, "delta_1", symbols), "delta_1")
    d2 = _check_unit_open(_as_expr(delta_2, "delta_2", symbols), "delta_2")
    s = _as_expr(surplus, "surplus", symbols)
    parties = _check_parties(parties)
    if len(parties) != 2:
        raise ParameterError("rubinstein needs two party names")
    first = sympy.factor(sympy.cancel((1 - d2) / (1 - d1 * d2)))
    second = sympy.factor(sympy.cancel(d2 * (1 - d1) / (1 - d1 * d2)))
    return RubinsteinSolution(d1, d2, first, second, s,
                              FrozenMap(zip(parties, (sympy.factor(first * s), sympy.factor(second * s)))))


def rubinstein_power(r_1, r_2) -> sympy.Expr:
    """Party 1's bargaining power implied by discount rates, in the continuous-time limit.

    With :math:`\\delta_i = e^{-r_i \\Delta}` and the time between offers :math:`\\Delta \\to 0`,
    the first mover's Rubinstein share tends to :math:`r_2/(r_1 + r_2)`: the Nash bargaining
    solution with powers :math:`\\beta_1 = r_2/(r_1+r_2)`, :math:`\\beta_2 = r_1/(r_1+r_2)`
    [BRW1986]_. The more patient party (smaller rate) has the larger power.

    Parameters
    ----------
    r_1, r_2 : number, expression or str
        Positive discount rates.

    Examples
    --------
    >>> rubinstein_power("0.05", "0.15")
    3/4
    >>> rubinstein_power("r_1", "r_2")
    r_2/(r_1 + r_2)
    """
    symbols: dict = {}
    a = _as_expr(r_1, "r_1", symbols)
    b = _as_expr(r_2, "r_2", symbols)
    for name, r in (("r_1", a), ("r_2", b)):
        if (r.is_number and not r > 0) or r.is_nonpositive:
            raise ParameterError(f"discount rate {name} = {r} must be positive")
    return sympy.cancel(b / (a + b))

