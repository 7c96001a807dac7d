"""Nash bargaining with non-transferable utility: :func:`nash_bargaining_ntu`.

Outcome variables :math:`z`, concave utilities :math:`u_i(z)` and a convex feasible set; the
solution maximises :math:`\\sum_i w_i \\log(u_i(z) - d_i)`, numerically (scipy, several starting
points, verified) and symbolically from the Karush-Kuhn-Tucker conditions when sympy can.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import sympy

from ..core.errors import ExpressionError, GameDefinitionError, ParameterError, SolverError, UnknownNameError
from ..core.exact import FrozenMap, as_expr, free_names, substitute, unify_symbols, value_map
from ..core.expressions import parse
from ..core.numeric import numpy_function
from .parties import normalised_powers, party_values


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
            c = unify_symbols(c, symbols)
        if isinstance(c, (sympy.LessThan, sympy.StrictLessThan)):
            out.append(unify_symbols(c.lhs - c.rhs, symbols))
        elif isinstance(c, (sympy.GreaterThan, sympy.StrictGreaterThan)):
            out.append(unify_symbols(c.rhs - c.lhs, symbols))
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
    utils = [as_expr(utilities[p], f"utility of {p!r}", symbols) for p in parties]
    _, d = party_values(disagreement, parties, "disagreement payoff", symbols)
    raw, weights = normalised_powers(powers, parties, symbols)
    cons = _read_constraints(feasible, symbols)
    vmap = value_map(values, free_names(utils, cons, d, weights), "this bargaining problem")
    var_syms = _outcome_variables(variables, utils, cons, vmap, symbols)
    var_names = {v.name for v in var_syms}
    utils_n = [substitute(u, vmap) for u in utils]
    cons_n = [substitute(g, vmap) for g in cons]
    d_n = [substitute(x, vmap) for x in d]
    w_n = [substitute(x, vmap) for x in weights]
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
        sym_outcome = _matching_exact_solution(var_syms, utils, cons, d, weights, vmap, z)
        if sym_outcome is not None:
            sym_payoffs = FrozenMap(
                (p, sympy.simplify(u.xreplace(dict(sym_outcome)))) for p, u in zip(parties, utils))
            certificate += "; exact Lagrange solution matches"
    return NTUBargainingSolution(
        parties, var_syms, FrozenMap(zip(var_syms, (float(x) for x in z))),
        FrozenMap(zip(parties, payoffs)), sym_outcome, sym_payoffs, product, gap, certificate)


def _outcome_variables(variables, utils, cons, vmap, symbols) -> tuple:
    """The outcome variables: those given, else every free symbol without a value."""
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
    return var_syms


def _matching_exact_solution(var_syms, utils, cons, d, weights, vmap, z):
    """The exact KKT solution whose value at ``vmap`` is the numerical outcome ``z`` (or None)."""
    for cand in _solve_ntu_symbolic(var_syms, utils, cons, d, weights) or []:
        vals_here = {k: substitute(v, vmap) for k, v in cand.items()}
        try:
            numbers = [float(vals_here[v]) for v in var_syms]
        except (TypeError, KeyError):
            continue
        if np.allclose(numbers, z, atol=1e-5 * (1 + np.max(np.abs(z)))):
            return FrozenMap((v, sympy.simplify(cand[v])) for v in var_syms)
    return None


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
    """``(outcome, payoffs, Nash product, Pareto gap)``: SLSQP from ``starts`` starts, verified.

    Every run that converges to a feasible, individually rational point is kept; the best must
    agree in utilities across runs, and a second optimisation checks that no feasible point
    gives everyone at least as much and the parties together more.
    """
    problem = _NTUProblem(var_syms, utils, cons, d, w, bounds)
    rng = np.random.default_rng(rng)
    results = []
    with np.errstate(all="ignore"):
        for _ in range(max(1, starts)):
            found = problem.solve_from(problem.draw(rng))
            if found is not None:
                results.append(found)
    if not results:
        raise SolverError("no feasible outcome gives every party more than its disagreement payoff "
                          "(or the solver found none); the parties do not agree")
    best_val = max(r[0] for r in results)
    best = [r for r in results if r[0] >= best_val - 1e-6 * (1 + abs(best_val))]
    z = best[0][1]
    u = problem.U(z)
    for _, z2 in best:
        if not np.allclose(problem.U(z2), u, atol=1e-5 * (1 + np.max(np.abs(u)))):
            raise SolverError("Nash bargaining: runs reach the same Nash product at different utilities; "
                              "the problem is probably not concave")
    gap = problem.pareto_gain(z, u)
    if gap > max(tol, 1e-6) * (1 + float(np.sum(np.abs(u)))):
        raise SolverError(f"Nash bargaining: the solution is not Pareto-efficient (total gain {gap:.3g} found); "
                          "the solver did not converge")
    return z, tuple(float(x) for x in u), float(best_val), gap


class _NTUProblem:
    """The compiled utilities and constraints of a numeric NTU problem, and its three SLSQP steps."""

    def __init__(self, var_syms, utils, cons, d, w, bounds):
        self.m, self.n_utils, self.n_cons = len(var_syms), len(utils), len(cons)
        self.fu = numpy_function(var_syms, utils)
        self.fg = numpy_function(var_syms, cons) if cons else (lambda *a: [])
        self.ju = numpy_function(var_syms, [[sympy.diff(u, v) for v in var_syms] for u in utils])
        self.jg = numpy_function(var_syms, [[sympy.diff(g, v) for v in var_syms] for g in cons]) if cons else None
        self.box = []
        for v in var_syms:
            lo, hi = (None, None)
            if bounds and (v.name in bounds or v in bounds):
                lo, hi = bounds[v.name] if v.name in bounds else bounds[v]
            self.box.append((None if lo is None else float(lo), None if hi is None else float(hi)))
        self.d = np.asarray(d, float)
        self.w = np.asarray(w, float)
        self.constraints = ([{"type": "ineq", "fun": lambda z: -self.G(z), "jac": lambda z: -self.JG(z)}]
                            if cons else [])

    def U(self, z):
        return np.asarray(self.fu(*z), float).reshape(-1)

    def G(self, z):
        return np.asarray(self.fg(*z), float).reshape(-1)

    def JU(self, z):
        return np.asarray(self.ju(*z), float).reshape(self.n_utils, self.m)

    def JG(self, z):
        return np.asarray(self.jg(*z), float).reshape(self.n_cons, self.m)

    def draw(self, rng):
        """A starting point, uniform in the box (unbounded sides: a width of 20 from -10)."""
        lo = np.array([b[0] if b[0] is not None else -10.0 for b in self.box])
        hi = np.array([b[1] if b[1] is not None else lo_i + 20.0 for b, lo_i in zip(self.box, lo)])
        return rng.uniform(lo, hi)

    def phase1(self, z0):
        """A feasible point that beats disagreement for all (maximise min_i u_i - d_i), and that margin."""
        from scipy.optimize import minimize

        c1 = [{"type": "ineq", "fun": lambda x: self.U(x[:-1]) - self.d - x[-1]}]
        if self.n_cons:
            c1.append({"type": "ineq", "fun": lambda x: -self.G(x[:-1])})
        res = minimize(lambda x: -x[-1], np.append(z0, -1.0), method="SLSQP", constraints=c1,
                       bounds=[*self.box, (None, 1.0)], options={"maxiter": 500, "ftol": 1e-12})
        return res.x[:-1], res.x[-1]

    def objective(self, z):
        """Minus the weighted log Nash product (a large number outside individual rationality)."""
        gap = self.U(z) - self.d
        if np.any(gap <= 0):
            return 1e10
        return -float(np.dot(self.w, np.log(gap)))

    def solve_from(self, start):
        """``(Nash product, outcome)`` from one start, or None when the run fails a check."""
        from scipy.optimize import minimize

        z0, t = self.phase1(start)
        if not np.isfinite(t) or t <= 0 or (self.n_cons and np.max(self.G(z0)) > 1e-9):
            return None
        ir = {"type": "ineq", "fun": lambda z: self.U(z) - self.d - 1e-12}
        res = minimize(self.objective, z0, jac=lambda z: -(self.w / (self.U(z) - self.d)) @ self.JU(z),
                       method="SLSQP", constraints=[*self.constraints, ir], bounds=self.box,
                       options={"maxiter": 1000, "ftol": 1e-14})
        z = res.x
        if not np.all(np.isfinite(z)) or (self.n_cons and np.max(self.G(z)) > 1e-8) or np.any(self.U(z) - self.d <= 0):
            return None
        return -self.objective(z), z

    def pareto_gain(self, z, u) -> float:
        """The Pareto check: the largest gain in total utility keeping everyone at least at ``u``."""
        from scipy.optimize import minimize

        pc = [*self.constraints, {"type": "ineq", "fun": lambda x: self.U(x) - u}]
        res = minimize(lambda x: -float(np.sum(self.U(x))), z, jac=lambda x: -np.sum(self.JU(x), axis=0),
                       method="SLSQP", constraints=pc, bounds=self.box, options={"maxiter": 500, "ftol": 1e-14})
        if np.all(np.isfinite(res.x)) and (not self.n_cons or np.max(self.G(res.x)) <= 1e-8) \
                and np.all(self.U(res.x) >= u - 1e-8):
            return max(0.0, float(np.sum(self.U(res.x)) - np.sum(u)))
        return 0.0
