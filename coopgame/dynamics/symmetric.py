"""One-population replicator dynamics of a symmetric two-player game, and Maynard Smith's ESS.

When both players are drawn from one population (hawk-dove, rock-paper-scissors cycles, the
symmetric public-goods game of an education group), the state is a single mixed strategy
:math:`x \\in \\Delta_n` and, with :math:`A_{ij}` the payoff of strategy :math:`i` against
:math:`j`,

.. math:: \\dot x_i = x_i\\bigl((Ax)_i - x^\\top A x\\bigr)

(Taylor & Jonker 1978). The state is written in reduced coordinates ``x_<strategy>`` for the
first :math:`n - 1` strategies. Rest points: on each support :math:`S` the shares solve
:math:`(Ax)_i = (Ax)_j` for :math:`i, j \\in S`, a linear system, solved exactly. At a vertex
:math:`e_i` the eigenvalues are :math:`a_{ji} - a_{ii}`, :math:`j \\ne i`.

**Evolutionary stability** (Maynard Smith & Price 1973; Maynard Smith 1982): :math:`x^*` is an
ESS if for every :math:`y \\ne x^*`, :math:`y^\\top A x^* \\le x^{*\\top} A x^*`, and when equality
holds, :math:`x^{*\\top} A y > y^\\top A y`. For a rest point whose best replies are exactly its
support :math:`S` (a *regular* point), this is equivalent to :math:`z^\\top A z < 0` for every
:math:`z \\ne 0` with :math:`\\sum_i z_i = 0` and :math:`z_i = 0` off :math:`S`, together with
:math:`(Ax^*)_j < x^{*\\top}Ax^*` off :math:`S` (Haigh 1975; Hofbauer & Sigmund 1998, Section
6.4). A regular ESS is asymptotically stable under the replicator dynamics (Hofbauer, Schuster &
Sigmund 1979); the converse fails, and for one population *Selten's equivalence* (stable vertex
iff strict equilibrium, true for several populations) no longer describes the interior points: a
mixed rest point can be asymptotically stable. Points with an alternative best reply outside the
support are left undecided here.

Examples
--------
Hawk-dove with value ``V`` and cost ``C > V``: the mixed ESS plays hawk with probability V/C.

>>> from coopgame import Game, Parameter
>>> from coopgame.parameters import POSITIVE
>>> A = [["(V - C)/2", "V"], [0, "V/2"]]
>>> hd = Game.bimatrix(A, [[r[0] for r in A], [r[1] for r in A]], strategies=[["hawk", "dove"]] * 2,
...                    parameters=[Parameter("V", domain=POSITIVE), Parameter("C", domain=POSITIVE)])
>>> rd = hd.replicator(symmetric=True)
>>> rd.state, rd.equations
((x_hawk,), (x_hawk*(1 - x_hawk)*(-C*x_hawk/2 + V/2),))
>>> [(str(e.point.point), e.condition) for e in rd.ess()]
[('(1,)', V > C), ('(V/C,)', C > V)]

References
----------
Taylor, P. D. & Jonker, L. B. (1978). Evolutionarily stable strategies and game dynamics.
*Mathematical Biosciences* 40, 145-156.

Maynard Smith, J. & Price, G. R. (1973). The logic of animal conflict. *Nature* 246, 15-18.

Maynard Smith, J. (1982). *Evolution and the Theory of Games*. Cambridge University Press.

Haigh, J. (1975). Game theory and evolution. *Advances in Applied Probability* 7, 8-11.

Hofbauer, J., Schuster, P. & Sigmund, K. (1979). A note on evolutionary stable strategies and
game dynamics. *Journal of Theoretical Biology* 81, 609-612.

Hofbauer, J. & Sigmund, K. (1998). *Evolutionary Games and Population Dynamics*. Cambridge
University Press.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy

from ..core.errors import GameDefinitionError, ParameterError
from .stability import (
    DEFAULT_TOLERANCE,
    RestPoint,
    StabilityRow,
    StabilityTable,
    classify,
    hurwitz_condition,
    positive,
    rational_eigen_stability,
)

__all__ = ["SymmetricReplicatorDynamics", "ESS", "symmetric_matrix"]


def symmetric_matrix(game) -> sympy.ImmutableMatrix:
    """The payoff matrix ``A`` of a symmetric two-player game (row player's payoffs).

    Raises :class:`GameDefinitionError` naming the first asymmetry: other than two players,
    different strategy lists, or a profile with :math:`u_2(s, t) \\ne u_1(t, s)`.
    """
    from .state import require_static

    if len(game.players) != 2:
        raise GameDefinitionError(f"a one-population (symmetric) game needs two players, got {len(game.players)}")
    s1, s2 = game.strategy_lists
    if tuple(s1) != tuple(s2):
        raise GameDefinitionError(f"a symmetric game needs the same strategies for both players, got {s1} and {s2}")
    require_static(game, "one-population dynamics (symmetric games)")
    n = len(s1)
    A = sympy.zeros(n, n)
    for i in range(n):
        for j in range(n):
            u1 = game.payoff(game.players[0], (s1[i], s1[j]))
            u2 = game.payoff(game.players[1], (s1[j], s1[i]))
            if sympy.expand(u1 - u2) != 0:
                raise GameDefinitionError(
                    f"the game is not symmetric: {game.players[0]!r} gets {u1} at ({s1[i]}, {s1[j]}) but "
                    f"{game.players[1]!r} gets {u2} at ({s1[j]}, {s1[i]})")
            A[i, j] = u1
    return sympy.ImmutableMatrix(A)


@dataclass(frozen=True)
class ESS:
    """A candidate evolutionarily stable strategy with the exact condition for it to be one.

    Attributes
    ----------
    point : RestPoint
    condition : sympy Boolean or None
        Exact condition on the parameters (None: undecided, see ``certificate``).
    nash : sympy Boolean
        The first-order (Nash) part: no strategy outside the support earns more.
    second_order : sympy Boolean
        :math:`z^\\top A z < 0` on the tangent space of the support's face.
    certificate : str
    """

    point: RestPoint
    condition: Any
    nash: Any
    second_order: Any
    certificate: str = ""

    def holds(self, values=None) -> bool | None:
        """Whether the condition holds at ``values`` (None when undecided)."""
        if self.condition is None:
            return None
        c = self.condition
        if values:
            by_name = {getattr(k, "name", k): v for k, v in values.items()}
            c = c.xreplace({s: sympy.nsimplify(by_name[s.name]) for s in c.free_symbols if s.name in by_name})
        return bool(c) if c in (sympy.true, sympy.false) else None

    def to_dicts(self) -> list:
        return [{"point": [str(v) for v in self.point.point], "support": list(self.point.support),
                 "condition": None if self.condition is None else str(self.condition),
                 "nash": str(self.nash), "second_order": str(self.second_order),
                 "certificate": self.certificate}]


def _clean(name):
    return re.sub(r"\W", "_", name)


class SymmetricReplicatorDynamics:
    """The one-population replicator dynamics of a symmetric two-player game.

    Parameters
    ----------
    game : Game
        Two players with the same strategies and :math:`u_2(s, t) = u_1(t, s)`.

    Attributes
    ----------
    matrix : sympy.ImmutableMatrix
        ``A[i, j]``: payoff of strategy ``i`` against ``j``.
    state, equations : tuple
        Reduced coordinates ``x_<strategy>`` (all strategies but the last) and their derivatives.

    Examples
    --------
    Rock-paper-scissors, win 2 and loss 1: the interior rest point is asymptotically stable.

    >>> from coopgame import Game
    >>> A = [[0, -1, 2], [2, 0, -1], [-1, 2, 0]]
    >>> rps = Game.bimatrix(A, [list(r) for r in zip(*A)], strategies=[["R", "P", "S"]] * 2)
    >>> row = rps.replicator(symmetric=True).stability().rows[-1]
    >>> row.point.point, row.stability.name
    ((1/3, 1/3), 'ASYMPTOTICALLY_STABLE')
    """

    def __init__(self, game):
        self._game = game
        self._A = symmetric_matrix(game)
        strategies = game.strategy_lists[0]
        n = len(strategies)
        taken = {s.name for s in game.symbols}
        names = [f"x_{_clean(s)}" for s in strategies[:-1]]
        for w in names:
            if w in taken:
                raise GameDefinitionError(f"state variable name {w!r} clashes with a parameter of the game")
        if len(set(names)) != len(names):
            raise GameDefinitionError("two strategies give the same state variable name; rename them")
        self._state = tuple(sympy.Symbol(w, real=True) for w in names)
        self._shares = self._state + (1 - sympy.Add(*self._state),)
        x = sympy.Matrix(self._shares)
        Ax = self._A * x
        mean = (x.T * Ax)[0]
        if n == 2:
            xs = self._state[0]
            self._equations = (xs * (1 - xs) * sympy.expand(Ax[0] - Ax[1]),)
        else:
            self._equations = tuple(xk * sympy.expand(Ax[k] - mean) for k, xk in enumerate(self._state))
        self._numeric_cache = {}

    # ------------------------------------------------------------------ attributes
    @property
    def game(self):
        return self._game

    @property
    def matrix(self) -> sympy.ImmutableMatrix:
        return self._A

    @property
    def state(self) -> tuple:
        return self._state

    @property
    def equations(self) -> tuple:
        return self._equations

    @property
    def strategies(self) -> tuple:
        return self._game.strategy_lists[0]

    def jacobian(self) -> sympy.ImmutableMatrix:
        return sympy.ImmutableMatrix(sympy.Matrix(self._equations).jacobian(self._state))

    def __repr__(self):
        return f"SymmetricReplicatorDynamics({self._game!r})"

    def _numeric(self, values):
        game = self._game
        if values is None:
            if not game.is_numeric:
                raise ParameterError(f"the game has parameters; give values for "
                                     f"{', '.join(repr(s.name) for s in game.free_symbols)}")
            return self
        vals = game.check_values(values, require_all=False)
        missing = sorted(s.name for s in game.free_symbols if s not in vals)
        if missing:
            raise ParameterError(f"missing value for parameter(s) {', '.join(map(repr, missing))}")
        key = tuple(sorted((s.name, v) for s, v in vals.items()))
        if key not in self._numeric_cache:
            self._numeric_cache[key] = SymmetricReplicatorDynamics(game.subs(vals))
        return self._numeric_cache[key]

    # ------------------------------------------------------------------ rest points
    def _support_point(self, S, numeric):
        A = self._A
        n = A.rows
        p = [sympy.Dummy(f"p{k}") for k in S]
        full = [sympy.Integer(0)] * n
        for k, v in zip(S, p):
            full[k] = v
        x = sympy.Matrix(full)
        Ax = A * x
        eqs = [sympy.expand(Ax[k] - Ax[S[0]]) for k in S[1:]] + [sympy.Add(*p) - 1]
        sol = sympy.solve(eqs, p, dict=True)
        if len(sol) != 1 or any(v not in sol[0] or sol[0][v].free_symbols & set(p) for v in p):
            return None, (len(sol) != 0)
        shares = [sympy.cancel(sol[0][v]) for v in p]
        if numeric:
            if not all(s.is_positive for s in shares):
                return None, False
            existence = sympy.true
        else:
            existence = sympy.And(*[positive(s, True) for s in shares])
            if existence is sympy.false:
                return None, False
        full = [sympy.Integer(0)] * n
        for k, v in zip(S, shares):
            full[k] = v
        coords = dict(zip(self._state, full[:-1]))
        names = self.strategies
        if len(S) == 1:
            kind, profile = "vertex", (names[S[0]],) * 2
        else:
            kind, profile = ("interior" if len(S) == n else ("edge" if len(S) == 2 else "boundary")), None
        return RestPoint(coordinates=coords, profile=profile, kind=kind, support=(tuple(names[k] for k in S),),
                         existence=existence), False

    def rest_points(self, values=None) -> tuple:
        """Every isolated rest point: vertices, then the points on larger supports.

        Supports on which the shares are not determined (a continuum of rest points) are left
        out; :meth:`stability` records them in its notes.
        """
        return self._rest_points(values)[0]

    def _rest_points(self, values):
        numeric = values is not None or self._game.is_numeric
        dyn = self._numeric(values) if numeric else self
        n = len(self.strategies)
        points, notes = [], []
        for r in range(1, n + 1):
            for S in itertools.combinations(range(n), r):
                point, continuum = dyn._support_point(S, numeric)
                if point is not None:
                    points.append(point)
                elif continuum:
                    notes.append(f"continuum of rest points with support {tuple(self.strategies[k] for k in S)}")
        return tuple(points), tuple(notes), dyn, numeric

    def stability(self, values=None, *, tol: float = DEFAULT_TOLERANCE) -> StabilityTable:
        """Exact stability of every rest point (verdicts at ``values``, else conditions).

        Examples
        --------
        >>> from coopgame import Game
        >>> hd = Game.bimatrix([[-1, 2], [0, 1]], [[-1, 0], [2, 1]], strategies=[["hawk", "dove"]] * 2)
        >>> [(r.point.label(), r.stability.name) for r in hd.replicator(symmetric=True).stability()]
        [('(hawk, hawk)', 'UNSTABLE'), ('(dove, dove)', 'UNSTABLE'), ('(1/2)', 'ASYMPTOTICALLY_STABLE')]
        """
        points, notes, dyn, numeric = self._rest_points(values)
        J0 = dyn.jacobian()
        rows = []
        for point in points:
            J = sympy.ImmutableMatrix(J0.xreplace(point.coordinates).applyfunc(sympy.cancel))
            if numeric:
                if all(e.is_Rational for e in J):
                    eig, verdict, cert = rational_eigen_stability(J)
                else:
                    ev = [complex(e) for e in J.evalf(50).eigenvals()]
                    verdict = classify(ev, tol)
                    eig, cert = None, f"eigenvalues of the Jacobian to 50 digits; tolerance {tol:g}"
                rows.append(StabilityRow(point, J, eig, stability=verdict, certificate=cert))
            else:
                eig = tuple(sympy.factor(e) for e, m in J.eigenvals().items() for _ in range(m)) \
                    if J.rows <= 2 else None
                cond = sympy.And(point.existence, hurwitz_condition(J))
                rows.append(StabilityRow(point, J, eig, condition=cond,
                                         certificate="Routh-Hurwitz criterion on the exact Jacobian"))
        vals = None
        if numeric:
            vals = {} if values is None else dict(self._game.check_values(values, require_all=False))
        return StabilityTable(rows=tuple(rows), state=self._state, values=vals, complete=not notes,
                              two_population=False, tolerance=tol, notes=notes)

    # ------------------------------------------------------------------ ESS
    def ess(self, values=None) -> list:
        """Evolutionarily stable strategies (Maynard Smith) with their exact conditions.

        Each isolated rest point is tested: Nash conditions off the support (strict, for a
        regular point) and negative definiteness of :math:`A` on the tangent space of its face
        (Sylvester's criterion on the projected symmetric part). Points whose condition is
        identically false are dropped; with ``values``, only those that hold are kept.

        Returns
        -------
        list of ESS
        """
        points, _, dyn, numeric = self._rest_points(values)
        A = dyn._A
        n = A.rows
        out = []
        for point in points:
            x = sympy.Matrix([point.coordinates[s] for s in self._state] + [1 - sum(point.coordinates.values())])
            x = x.applyfunc(sympy.cancel)
            S = [k for k in range(n) if self.strategies[k] in point.support[0]]
            Ax = A * x
            value = sympy.cancel((x.T * Ax)[0])
            nash = sympy.And(*[positive(sympy.factor(value - Ax[j]), True) for j in range(n) if j not in S])
            if len(S) == 1:
                second = sympy.true
            else:
                # basis of {z : sum z = 0, z = 0 off S}: e_{S_k} - e_{S_last}
                P = sympy.zeros(n, len(S) - 1)
                for c, k in enumerate(S[:-1]):
                    P[k, c] = 1
                    P[S[-1], c] = -1
                M = (P.T * (A + A.T) * P / 2).applyfunc(sympy.expand)
                minors = [sympy.factor((-M)[:k, :k].det()) for k in range(1, M.rows + 1)]
                second = sympy.And(*[positive(m, True) for m in minors])
            cond = sympy.And(point.existence, nash, second)
            if cond is sympy.false:
                continue
            if numeric and cond is not sympy.true:
                cond = sympy.true if bool(cond) else sympy.false
                if cond is sympy.false:
                    continue
            out.append(ESS(point, cond, nash, second,
                           certificate="regular ESS: strict Nash off the support and z'Az < 0 on the face's "
                                       "tangent space (Haigh 1975); alternative best replies off the support "
                                       "are excluded by the strict inequalities"))
        if values is not None:
            out = [e for e in out if e.condition is sympy.true]
        return out

    # ------------------------------------------------------------------ numerics
    def vector_field(self, values=None, *, layout: str = "states"):
        """The compiled field, as :meth:`ReplicatorDynamics.vector_field`."""
        from .codegen import compile_field

        if layout not in ("states", "components"):
            raise ParameterError(f"layout must be 'states' or 'components', got {layout!r}")
        dyn = self._numeric(values)
        if "_field" not in dyn._numeric_cache:
            components = compile_field(dyn._state, dyn._equations)

            def states(Y):
                Y = np.asarray(Y, dtype=float)
                return np.moveaxis(components(np.moveaxis(Y, -1, 0)), 0, -1)

            dyn._numeric_cache["_field"] = {"states": states, "components": components}
        return dyn._numeric_cache["_field"][layout]

    def simulate(self, values, initial, t_max: float, *, n_points: int = 101, rtol: float = 1e-8,
                 atol: float = 1e-10):
        """Integrate many initial states at once (Dormand-Prince, shared steps).

        Returns ``(times, states)`` with ``states`` of shape ``(k, n_points, dim)``; every state is
        checked to lie in the simplex.
        """
        from .simulate import dormand_prince

        Y0 = np.atleast_2d(np.asarray(initial, dtype=float))
        dim = len(self._state)
        if Y0.shape[1] != dim or np.any(Y0 < 0) or np.any(Y0.sum(axis=1) > 1):
            raise ParameterError(f"initial states must have shape (k, {dim}) with shares >= 0 summing to <= 1")
        f = self.vector_field(values, layout="components")
        t_eval = np.linspace(0.0, float(t_max), n_points)
        states, _, _ = dormand_prince(f, Y0, t_eval, rtol=rtol, atol=atol, layout="components")
        return t_eval, states
