"""Multi-population replicator dynamics of a normal-form game, with exact stability analysis.

Each player role :math:`i` is a population; :math:`x_{i,k}` is the share of population :math:`i`
playing strategy :math:`k`. With :math:`U_{i,k}(x_{-i})` the expected payoff of strategy
:math:`k` against the other populations, the replicator dynamics (Taylor 1979) is

.. math:: \\dot x_{i,k} = x_{i,k}\\,\\bigl(U_{i,k}(x_{-i}) - \\bar U_i(x)\\bigr),
          \\qquad \\bar U_i = \\sum_l x_{i,l} U_{i,l}.

The state is written in reduced coordinates: the share of a role's last strategy is one minus
the others. For a role with two strategies the single coordinate ``x_<role>`` is the share of
its *first* strategy and the equation takes the form papers use,
:math:`\\dot x = x(1 - x)(U_1 - U_2)`. For a role with :math:`n > 2` strategies the
coordinates are ``x_<role>_<strategy>`` for the first :math:`n - 1` strategies, and

.. math:: \\dot x_{k} = x_k\\Bigl(D_k - \\sum_{j<n} x_j D_j\\Bigr), \\qquad D_k = U_k - U_n.

Characters of role or strategy names that are not letters, digits or ``_`` become ``_``.

At a pure profile :math:`s` the Jacobian is block triangular with eigenvalues
:math:`u_i(s_i', s_{-i}) - u_i(s)`, one for each player :math:`i` and alternative
:math:`s_i'` (see the explanation page *replicator dynamics*), so a vertex is asymptotically
stable iff :math:`s` is a strict Nash equilibrium (Selten 1980).

Examples
--------
>>> from coopgame import Game, Parameter
>>> from coopgame.parameters import POSITIVE
>>> g = Game(["school", "enterprise"],
...          {"school": ["deep", "shallow"], "enterprise": ["join", "refuse"]},
...          {("deep", "join"): ["R - C", "V - K"], ("deep", "refuse"): ["-C", 0],
...           ("shallow", "join"): [0, "-K"], ("shallow", "refuse"): [0, 0]},
...          parameters=[Parameter(n, domain=POSITIVE) for n in "CKRV"])
>>> rd = g.replicator()
>>> rd.state
(x_school, x_enterprise)
>>> rd.equations[0]
x_school*(1 - x_school)*(-C + R*x_enterprise)
>>> for row in rd.stability(include="vertices"):
...     print(row.point.profile, row.eigenvalues, row.condition)
('deep', 'join') (C - R, K - V) (R > C) & (V > K)
('deep', 'refuse') (C, -K + V) False
('shallow', 'join') (-C + R, K) False
('shallow', 'refuse') (-C, -K) True
>>> rd.stability({"C": 1, "K": 1, "R": 3, "V": 2}).row(("deep", "join")).stability
<Stability.ASYMPTOTICALLY_STABLE: 'asymptotically stable'>

References
----------
Selten, R. (1980). A note on evolutionarily stable strategies in asymmetric animal conflicts.
*Journal of Theoretical Biology* 84, 93-101.

Taylor, P. D. (1979). Evolutionarily stable strategies with two types of player. *Journal of
Applied Probability* 16, 76-83.

Friedman, D. (1991). Evolutionary games in economics. *Econometrica* 59, 637-666.

Ritzberger, K. & Vogelsberger, K. (1990). The Nash field. IIASA working paper RR-90-8.
"""

from __future__ import annotations

import itertools
import re
import warnings
from collections.abc import Mapping

import sympy

from ..core.errors import DegenerateGameWarning, GameDefinitionError, IncompleteSearchWarning, ParameterError
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

__all__ = ["ReplicatorDynamics"]

def _clean(name: str) -> str:
    return re.sub(r"\W", "_", name)


class ReplicatorDynamics:
    """The multi-population replicator dynamics of a game: one population per player role.

    Parameters
    ----------
    game : Game
        Any normal-form game; every player needs at least two strategies to have a state
        coordinate (a role with one strategy contributes none).

    Attributes
    ----------
    game : Game
    state : tuple of sympy.Symbol
        The reduced coordinates, role by role (see the module docstring for names).
    equations : tuple of sympy expressions
        :math:`\\dot x` for each state coordinate, factored as papers write them.

    See Also
    --------
    coopgame.equilibria.pure_equilibria : strict equilibria are exactly the stable vertices.
    """

    def __init__(self, game):
        from ..core.game import Game

        if not isinstance(game, Game):
            raise GameDefinitionError(f"ReplicatorDynamics needs a Game, got {type(game).__name__}")
        self._game = game
        from .state import check_polynomial, state_names

        check_polynomial(game)
        names_of_state = state_names(game)  # dynamic payoffs: the game's symbols that are state
        in_game = {s.name: s for s in game.symbols if s.name in names_of_state}
        taken = {s.name for s in game.symbols} - set(in_game)
        coords = []  # per role: list of symbols for strategies 0..n-2
        names = set()
        for player, strategies in zip(game.players, game.strategy_lists):
            if len(strategies) == 2:
                wanted = [f"x_{_clean(player)}"]
            else:
                wanted = [f"x_{_clean(player)}_{_clean(s)}" for s in strategies[:-1]]
            syms = []
            for w in wanted:
                if w in taken:
                    raise GameDefinitionError(f"state variable name {w!r} clashes with a parameter of the game")
                if w in names:
                    raise GameDefinitionError(f"state variable name {w!r} is used twice (rename roles or strategies)")
                names.add(w)
                syms.append(sympy.Symbol(w, real=True))
            coords.append(tuple(syms))
        self._coords = tuple(coords)
        self._state = tuple(s for c in coords for s in c)
        to_state = {in_game[x.name]: x for x in self._state if x.name in in_game}
        self._state_dependent = bool(set(to_state) & set(game.free_symbols))
        self._state_names = frozenset(names_of_state)
        self._params = frozenset(game.free_symbols) - set(to_state)
        self._is_numeric = not self._params
        self._payoffs = (tuple(tuple(v.xreplace(to_state) for v in row) for row in game.payoff_rows)
                         if to_state else game.payoff_rows)
        shares = []
        for c in coords:
            shares.append(tuple(c) + (sympy.Integer(1) - sympy.Add(*c),))
        self._shares = tuple(shares)
        self._jacobian = None
        self._relevant = None
        self._numeric_cache = {}

    #: Attributes of the expanded system, derived on first use (vertex rows never need them).
    _SYSTEM = ("_U", "_equations", "_brackets", "_field_parts", "_bracket_derivatives")

    def __getattr__(self, name):
        if name in ReplicatorDynamics._SYSTEM:
            self._U = self._expected_payoffs(self._shares)
            self._equations = self._build_equations()
            return object.__getattribute__(self, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    # ------------------------------------------------------------------ construction
    def _expected_payoffs(self, shares):
        """U[i][k]: expected payoff of role i's strategy k against the others' shares."""
        game = self._game
        payoffs = self._payoffs
        if self._state_dependent:  # a state symbol in a payoff takes the share it stands for
            at = {x: shares[j][k] for j, c in enumerate(self._coords) for k, x in enumerate(c)}
            payoffs = tuple(tuple(v.xreplace(at) for v in row) for row in payoffs)
        U = []
        for i, n_i in enumerate(game.shape):
            others = [range(n) if j != i else [None] for j, n in enumerate(game.shape)]
            row = []
            for k in range(n_i):
                total = sympy.Integer(0)
                for idx in itertools.product(*others):
                    idx = tuple(k if j == i else idx[j] for j in range(len(idx)))
                    weight = sympy.Integer(1)
                    for j, s in enumerate(idx):
                        if j != i:
                            weight *= shares[j][s]
                    if weight != 0:
                        total += weight * payoffs[game.flat_index(idx)][i]
                row.append(total)
            U.append(tuple(row))
        return tuple(U)

    def _differences(self, i):
        """D_k = U_k - U_last for role i, collected in the other roles' coordinates."""
        others = [s for j, c in enumerate(self._coords) if j != i for s in c]
        last = self._U[i][-1]
        out = []
        for k in range(len(self._U[i]) - 1):
            d = sympy.expand(self._U[i][k] - last)
            out.append(sympy.collect(d, others) if others else d)
        return out

    def _build_equations(self):
        eqs = []
        brackets = []  # equation r is state[r] * brackets[r]
        parts = []  # equation r is state[r] * (1 - state[r] if complement) * payoff_part
        for i, c in enumerate(self._coords):
            D = self._differences(i)
            if len(c) == 1:
                x = c[0]
                eqs.append(x * (1 - x) * D[0])
                brackets.append((1 - x) * D[0])
                parts.append((True, D[0]))
            else:
                mean = sympy.Add(*(xj * dj for xj, dj in zip(c, D)))
                eqs.extend(xk * (dk - mean) for xk, dk in zip(c, D))
                brackets.extend(dk - mean for dk in D)
                parts.extend((False, dk - mean) for dk in D)
        self._brackets = tuple(brackets)
        self._field_parts = tuple(parts)
        self._bracket_derivatives = None
        return tuple(eqs)

    def _jacobian_at(self, coords, tidy, want_det=False, field_entries=None):
        """The Jacobian at a rest point, entry by entry from ``x_r * B_r``; with det and trace.

        ``d(x_r B_r)/dx_j = delta_rj B_r + x_r dB_r/dx_j``; at a rest point either ``x_r = 0``
        (only the diagonal entry ``B_r`` remains) or ``B_r = 0``. When the coordinates are
        rational functions of the parameters the small factors are evaluated in the field of
        rational functions (no expression swell); otherwise by substitution and ``tidy``.

        Returns ``(J, det, trace)``; ``det`` is None unless ``want_det``.
        """
        if self._bracket_derivatives is None:
            self._bracket_derivatives = tuple(tuple(sympy.diff(b, x) for x in self._state) for b in self._brackets)
        dim = len(self._state)
        evaluator = self._field_evaluator(coords)
        if evaluator is not None:
            K, ev = evaluator
            entries = [[K.zero] * dim for _ in range(dim)]
            for r, (x, b) in enumerate(zip(self._state, self._brackets)):
                xv = coords[x]
                bv = ev(b)
                if xv == 0:
                    entries[r][r] = bv
                    continue
                xk = K.from_expr(xv)
                for c in range(dim):
                    d = self._bracket_derivatives[r][c]
                    entries[r][c] = (bv if r == c else K.zero) + (xk * ev(d) if d != 0 else K.zero)
            if field_entries is not None:
                field_entries.extend([K, entries])
            J = sympy.ImmutableMatrix(dim, dim, lambda i, j: _small_factor(entries[i][j].as_expr()))
            trace = _small_factor(sum((entries[i][i] for i in range(dim)), K.zero).as_expr())
            det = None
            if want_det and dim == 2 and (J[0, 0] == 0 or J[1, 1] == 0):
                det = -J[0, 1] * J[1, 0]  # product of the factored entries: no cancellation needed
            elif want_det:
                from sympy.polys.matrices import DomainMatrix

                det = _small_factor(DomainMatrix(entries, (dim, dim), K.to_domain()).charpoly()[-1].as_expr()
                                    * (-1) ** dim)
            return J, det, trace
        J = sympy.zeros(dim, dim)
        for r, (x, b) in enumerate(zip(self._state, self._brackets)):
            xv = x.xreplace(coords)
            bv = tidy(b.xreplace(coords))
            if xv == 0:
                J[r, r] = bv
                continue
            for c in range(dim):
                d = self._bracket_derivatives[r][c]
                v = tidy(d.xreplace(coords)) if d != 0 else d
                J[r, c] = (bv if r == c else 0) + (xv * v if v != 0 else 0)
        J = sympy.ImmutableMatrix(J)
        det = tidy(J.det(method="berkowitz")) if want_det else None
        return J, det, tidy(J.trace())

    def _field_evaluator(self, coords):
        """Evaluation of polynomials in the state at ``coords`` in the field of rational functions.

        Returns ``(K, ev)`` or None when the coordinates are numbers or not rational functions.
        """
        from sympy.polys.fields import field

        params = set(self._params)
        for v in coords.values():
            params |= v.free_symbols
        if not params or not all(v.is_rational_function(*params) for v in coords.values()):
            return None
        K = field(sorted(params, key=lambda s: s.name), sympy.QQ)[0]
        vals = [K.from_expr(coords[x]) for x in self._state]

        cache = self._numeric_cache.setdefault(("_field_terms", K), {})

        def ev(expr):
            total = K.zero
            if expr not in cache:
                cache[expr] = [(m, K.from_expr(c)) for m, c in sympy.Poly(expr, *self._state).terms()]
            for monom, term in cache[expr]:
                for v, e in zip(vals, monom):
                    if e:
                        term = term * v ** e
                total += term
            return total

        return K, ev

    # ------------------------------------------------------------------ basic attributes
    @property
    def game(self):
        """The game."""
        return self._game

    @property
    def state(self) -> tuple:
        """The state symbols (reduced coordinates), role by role."""
        return self._state

    @property
    def equations(self) -> tuple:
        """The right-hand sides :math:`\\dot x`, in the order of :attr:`state`."""
        return self._equations

    @property
    def coordinates(self) -> tuple:
        """The state symbols grouped by role (empty for a role with one strategy)."""
        return self._coords

    def shares(self, role) -> tuple:
        """The full share vector of a role as expressions in the state."""
        return self._shares[self._game.player_index(role)]

    def jacobian(self) -> sympy.Matrix:
        """The Jacobian matrix of :attr:`equations` with respect to :attr:`state`."""
        if self._jacobian is None:
            self._jacobian = sympy.ImmutableMatrix(sympy.Matrix(self._equations).jacobian(self._state))
        return self._jacobian

    def __repr__(self):
        return f"ReplicatorDynamics({self._game!r})"

    # ------------------------------------------------------------------ values
    def _checked_values(self, values) -> dict:
        """The values checked once against the game (keyed by symbol, exact); every parameter needed."""
        game = self._game
        if values is None:
            if not self._is_numeric:
                missing = sorted(s.name for s in self._params)
                raise ParameterError(f"the game has parameters; give values for {', '.join(map(repr, missing))}")
            return {}
        vals = game.check_values(values, require_all=False)
        state = [s.name for s in vals if s.name in self._state_names]
        if state:
            raise ParameterError(f"{', '.join(map(repr, sorted(state)))} is replicator state, not a parameter; "
                                 "give it as an initial state")
        relevant = self.relevant_parameters()
        missing = sorted(s.name for s in self._params if s not in vals and s in relevant)
        if missing:
            raise ParameterError(f"missing value for parameter(s) {', '.join(map(repr, missing))}")
        # parameters that cancel from every payoff difference get any value of their domain:
        # the dynamics does not depend on them
        vals.update({s: _point_of(game, s) for s in self._params if s not in vals})
        return vals

    def _numeric(self, values) -> ReplicatorDynamics:
        """The dynamics of the game with every parameter replaced by an exact value."""
        if values is None and self._is_numeric:
            return self
        return self._numeric_at(self._checked_values(values))

    def _numeric_at(self, vals: dict) -> ReplicatorDynamics:
        """As :meth:`_numeric`, for values already checked by :meth:`_checked_values`."""
        if not vals and self._is_numeric:
            return self
        key = tuple(sorted((s.name, v) for s, v in vals.items()))
        if key not in self._numeric_cache:
            self._numeric_cache[key] = ReplicatorDynamics(self._game.subs(vals))
        return self._numeric_cache[key]

    def unused_parameters(self, values=None) -> tuple:
        """Names of the game's parameters that do not affect the dynamics (sorted).

        With ``values``, only those among them that were not given.
        """
        given = set() if values is None else set(self._game.check_values(values, require_all=False))
        relevant = self.relevant_parameters()
        return tuple(sorted(s.name for s in self._game.free_symbols if s not in relevant and s not in given))

    # ------------------------------------------------------------------ vertices
    def _vertex_point(self, idx) -> RestPoint:
        game = self._game
        coords = {}
        for c, j in zip(self._coords, idx):
            for k, sym in enumerate(c):
                coords[sym] = sympy.Integer(1 if k == j else 0)
        profile = tuple(s[j] for s, j in zip(game.strategy_lists, idx))
        return RestPoint(coordinates=coords, profile=profile, kind="vertex",
                         support=tuple((p,) for p in profile))

    def vertices(self) -> tuple:
        """Every pure profile as a :class:`RestPoint` (always rest points), in profile order."""
        return tuple(self._vertex_point(idx) for idx in itertools.product(*(range(n) for n in self._game.shape)))

    def _vertex_rows(self, numeric: bool, tol: float):
        """Every vertex row, read off the payoff differences (:func:`.vertices.vertex_rows`)."""
        from .vertices import vertex_rows

        # with state-dependent payoffs the differences are taken at the vertex's state (their
        # derivatives enter multiplied by a share that vanishes there; see :mod:`.state`)
        at = (lambda idx: self._vertex_point(idx).coordinates) if self._state_dependent else None
        return vertex_rows(self._game, numeric, tol, coords=self._coords, payoffs=self._payoffs, state_at=at)

    def relevant_parameters(self) -> frozenset:
        """The parameters the dynamics depends on (see :func:`.vertices.relevant_parameters`).

        Examples
        --------
        >>> from coopgame import Game
        >>> g = Game.bimatrix([["a + P", "P"], ["P", "P + 1"]], [[1, 0], [0, 1]])
        >>> sorted(s.name for s in g.replicator().relevant_parameters())
        ['a']
        """
        if self._relevant is None:
            from .vertices import relevant_parameters

            self._relevant = relevant_parameters(self._game)
        return self._relevant

    # ------------------------------------------------------------------ other rest points
    def _face_points(self, supports, numeric: bool, limits):
        """Isolated rest points whose support is exactly ``supports`` (strategy indices per role).

        Returns ``(points, status, reason)`` with ``status`` one of ``"solved"``, ``"continuum"``
        or ``"unsolved"`` (a work limit reached; see :mod:`coopgame.dynamics.faces`). On the
        face, each role's strategies in its support earn equal payoffs.
        """
        from .faces import solve_face

        unknowns, blocks, share_blocks, full = _face_shares(self._game.shape, supports)
        eqs = self._face_differences(supports, full)
        constant = [e for e in eqs if not (e.free_symbols & set(unknowns))]
        eqs = [e for e in eqs if e.free_symbols & set(unknowns)]
        for e in constant:
            if e == 0:
                continue
            # a nonzero number: no rest point; a parameter expression: only on a hypersurface of
            # parameter space (non-generic), which the symbolic search leaves out.
            return [], "solved", "a payoff difference is a nonzero constant on the face"
        if not eqs:
            if unknowns:
                return [], "continuum", "every payoff difference vanishes identically on the face"
            return [], "solved", ""
        if constant:  # some role's payoffs are equal identically on this face
            return [], "continuum", "a role's payoffs are equal identically on the face"
        params = tuple(sorted(set().union(*(e.free_symbols for e in eqs)) - set(unknowns), key=lambda s: s.name))
        try:
            result = solve_face(eqs, unknowns, blocks, share_blocks, params, numeric, limits)
        except (sympy.polys.polyerrors.CoercionFailed, sympy.polys.polyerrors.DomainError) as exc:
            # irrational values (sqrt(2), say): the exact algebra works over the rationals only
            return [], "unsolved", f"coefficients outside the rationals ({exc})"
        if result.status == "unsolved":
            return [], "unsolved", result.reason
        status = "solved"
        points = []
        for sol in result.solutions:
            if any(u not in sol or sol[u].free_symbols & set(unknowns) for u in unknowns):
                # a branch with free shares; if a share it fixes cannot lie in (0, 1) while the
                # free shares do, the branch holds no rest point with this exact support
                if any(_outside_unit_interval(sol[u], unknowns) for u in unknowns if u in sol):
                    continue
                status = "continuum"
                continue
            point = self._face_point(supports, full, sol, numeric, result.certified)
            if point is not None:
                points.append(point)
        if result.status == "continuum" and not result.solutions:
            status = "continuum"
        return points, status, result.reason

    def _face_point(self, supports, full, sol, numeric, certified):
        """The rest point of one isolated solution ``sol`` on a face (None where it lies outside
        the face's interior: a numeric share not positive, or an existence condition false)."""
        game = self._game
        vecs = [tuple(sympy.cancel(v.xreplace(sol)) if v.free_symbols and v.is_rational_function()
                      else v.xreplace(sol) for v in vec) for vec in full]
        support_shares = [vecs[i][k] for i, S in enumerate(supports) if len(S) > 1 for k in S]
        if numeric:
            if not certified and not all(s.is_positive for s in support_shares):
                return None
            existence = sympy.true
        else:
            existence = sympy.And(*[positive(s, True) for s in support_shares])
            if existence is sympy.false:
                return None
        coords = {}
        for c, vec in zip(self._coords, vecs):
            for sym, v in zip(c, vec):
                coords[sym] = v
        mixed = [S for S in supports if len(S) > 1]
        if len(mixed) == len(supports) and all(len(S) == n for S, n in zip(supports, game.shape)):
            kind = "interior"
        elif len(mixed) == 1 and len(mixed[0]) == 2:
            kind = "edge"
        else:
            kind = "boundary"
        names = tuple(tuple(game.strategy_lists[i][k] for k in S) for i, S in enumerate(supports))
        return RestPoint(coordinates=coords, profile=None, kind=kind, support=names, existence=existence)

    def _face_differences(self, supports, full):
        """Expanded payoff differences ``U_ik - U_i,S0`` on a face, for ``k`` in role ``i``'s support.

        The expected payoffs are multilinear in the face's shares, so each difference is
        gathered monomial by monomial (the shares are linear forms in disjoint unknowns) and
        expanded once; the same polynomials as expanding :meth:`_expected_payoffs`, without
        building the products of shares.
        """
        if self._state_dependent:
            U = self._expected_payoffs(tuple(full))
            return [sympy.expand(U[i][k] - U[i][S[0]]) for i, S in enumerate(supports) for k in S[1:]]
        forms = [[_linear_form(v) for v in vec] for vec in full]  # per role, per strategy
        game, payoffs = self._game, self._payoffs
        eqs = []
        for i, S in enumerate(supports):
            others = [[(s, forms[j][s]) for s in supports[j]] if j != i else [(None, {(): 1})]
                      for j in range(len(supports))]
            blocks = []  # (profile of the others, monomial -> integer weight)
            for combo in itertools.product(*others):
                weight = {(): 1}
                for _, form in combo:
                    weight = {a + b: ca * cb for a, ca in weight.items() for b, cb in form.items()}
                blocks.append((tuple(s for s, _ in combo), weight))
            for k in S[1:]:
                terms = []
                for profile, weight in blocks:
                    hi = payoffs[game.flat_index(tuple(k if j == i else s for j, s in enumerate(profile)))][i]
                    lo = payoffs[game.flat_index(tuple(S[0] if j == i else s for j, s in enumerate(profile)))][i]
                    diff = hi - lo
                    if diff != 0:
                        terms.extend(sympy.Mul(c, diff, *mono) for mono, c in weight.items())
                eqs.append(sympy.expand(sympy.Add(*terms)))
        return eqs

    def _non_vertex_points(self, numeric: bool, limits=None):
        """Every face searched within the work ``limits``: ``(points, complete, notes, unsolved)``.

        ``unsolved`` lists ``(support names, reason)`` for each face a limit stopped.
        """
        from .faces import DEFAULT_LIMITS, all_faces

        limits = DEFAULT_LIMITS if limits is None else limits
        game = self._game
        faces = all_faces(game.shape)
        points, complete, notes, unsolved = [], True, [], []
        for n, face in enumerate(faces):
            names = tuple(tuple(game.strategy_lists[i][k] for k in S) for i, S in enumerate(face))
            if n >= limits.max_faces:
                unsolved.append((names, f"face limit {limits.max_faces} reached"))
                continue
            found, status, reason = self._face_points(face, numeric, limits)
            if status == "continuum":
                complete = False
                notes.append(f"continuum of rest points with support {names}")
                warnings.warn(f"continuum of rest points with support {names}; not listed",
                              DegenerateGameWarning, stacklevel=3)
            elif status == "unsolved":
                unsolved.append((names, reason))
            for p in found:
                if p not in points:
                    points.append(p)
        if unsolved:
            complete = False
            notes.extend(f"face {names} unsolved: {reason}" for names, reason in unsolved)
            warnings.warn(f"{len(unsolved)} face(s) not solved within the work limits; the table lists them",
                          IncompleteSearchWarning, stacklevel=3)
        return points, complete, tuple(notes), tuple(unsolved)

    def rest_points(self, values=None, *, include: str = "all", limits=None, timeout=None) -> tuple:
        """The rest points of the dynamics: every vertex, then the other isolated rest points.

        Parameters
        ----------
        values : mapping, optional
            Parameter values. Without them, non-vertex rest points are solved for symbolically
            (their coordinates are expressions, with an ``existence`` condition); with them,
            every isolated rest point in the state space is found exactly.
        include : {"all", "vertices"}
        limits : SearchLimits, optional
            Work limits of the face search (:class:`coopgame.dynamics.faces.SearchLimits`):
            counts of solutions, terms and faces, never seconds, so the answer is the same on
            every machine. A face a limit stops is reported (see :meth:`stability`).
        timeout : None
            Deprecated and ignored (the search is bounded by work, not time).

        Notes
        -----
        Faces are solved as polynomial systems by exact algebra (:mod:`coopgame.dynamics.faces`).
        Rest points that exist only on a hypersurface of parameter space (an edge on which a
        payoff difference is identically a parameter expression, or where a leading coefficient
        of the elimination vanishes) are non-generic and are left out of the symbolic search; a
        continuum of rest points is reported by a :class:`~coopgame.errors.DegenerateGameWarning`.

        Examples
        --------
        >>> from coopgame import Game
        >>> g = Game.bimatrix([[1, 0], [0, 2]], [[2, 0], [0, 1]])
        >>> [(p.kind, p.point) for p in g.replicator().rest_points()]  # doctest: +NORMALIZE_WHITESPACE
        [('vertex', (1, 1)), ('vertex', (1, 0)), ('vertex', (0, 1)), ('vertex', (0, 0)),
         ('interior', (1/3, 2/3))]
        """
        _deprecated_timeout(timeout)
        return self._rest_points(values, include, limits)[0]

    def _rest_points(self, values, include, limits=None):
        if include not in ("all", "vertices"):
            raise ParameterError(f"include must be 'all' or 'vertices', got {include!r}")
        dyn = self if values is None and not self._is_numeric else self._numeric(values)
        numeric = values is not None or self._is_numeric
        points = list(dyn.vertices())
        complete, notes = True, ()
        if include == "all":
            extra, complete, notes, _ = dyn._non_vertex_points(numeric, limits)
            points.extend(extra)
        return tuple(points), complete, notes

    # ------------------------------------------------------------------ stability
    def stability(self, values=None, *, include: str = "all", limits=None, timeout=None,
                  tol: float = DEFAULT_TOLERANCE) -> StabilityTable:
        """Stability of every rest point: exact conditions, or verdicts at ``values``.

        Parameters
        ----------
        values : mapping, optional
            Parameter values; give them for :class:`Stability` verdicts. Without them (and a
            game with parameters) each row carries the exact condition for asymptotic stability.
            Only the parameters the dynamics depends on need values
            (:meth:`relevant_parameters`); the others are named in the table's notes.
        include : {"all", "vertices"}
            ``"vertices"`` analyses the pure profiles only (no equation solving).
        limits : SearchLimits, optional
            Work limits of the non-vertex search (see :meth:`rest_points`); faces they stop are
            listed in :attr:`StabilityTable.unsolved` and the table is marked incomplete.
        timeout : None
            Deprecated and ignored (a :class:`DeprecationWarning` when given).
        tol : float
            Real parts that cannot be signed exactly count as zero when ``|Re| <= tol``.

        Returns
        -------
        StabilityTable

        Examples
        --------
        >>> from coopgame import Game
        >>> stag = Game.bimatrix([[4, 0], [3, 3]], [[4, 3], [0, 3]], strategies=[["stag", "hare"]] * 2)
        >>> table = stag.replicator().stability()
        >>> [(r.point.label(), r.stability.name) for r in table]  # doctest: +NORMALIZE_WHITESPACE
        [('(stag, stag)', 'ASYMPTOTICALLY_STABLE'), ('(stag, hare)', 'UNSTABLE'),
         ('(hare, stag)', 'UNSTABLE'), ('(hare, hare)', 'ASYMPTOTICALLY_STABLE'), ('(3/4, 3/4)', 'SADDLE')]
        >>> table.rows[-1].det, table.rows[-1].trace
        (-9/16, 0)
        """
        _deprecated_timeout(timeout)
        numeric = values is not None or self._is_numeric
        dyn = self._numeric(values) if numeric else self
        two = len(self._game.players) == 2
        if include not in ("all", "vertices"):
            raise ParameterError(f"include must be 'all' or 'vertices', got {include!r}")
        rows = dyn._vertex_rows(numeric, tol)
        complete, notes, unsolved = True, (), ()
        if include == "all":
            extra, complete, notes, unsolved = dyn._non_vertex_points(numeric, limits)
            rows.extend(dyn._point_row(point, numeric, tol, two) for point in extra)
        vals = None
        big = [r.point.label() for r in rows if r.certificate.startswith(UNEXPANDED)]
        if big:
            notes = tuple(notes) + (f"{len(big)} row(s) not fully decided: {UNEXPANDED} (EIGEN_TERMS), "
                                    "eigenvalues not in closed form, condition by Routh-Hurwitz unexpanded: "
                                    + "; ".join(big),)
        if numeric:
            vals = {} if values is None else dict(self._game.check_values(values, require_all=False))
            unused = self.unused_parameters(values)
            if unused:
                notes = tuple(notes) + (f"parameter(s) {', '.join(map(repr, unused))} do not affect the "
                                        "dynamics (they cancel from every payoff difference); no value needed",)
        table = StabilityTable(rows=tuple(rows), state=self._state, values=vals, complete=complete,
                               two_population=two, tolerance=tol, notes=notes, unsolved=unsolved)
        if numeric and include == "all" and tol == DEFAULT_TOLERANCE:
            dyn._numeric_cache["_full_table"] = table  # known rest points for simulate's labels
        return table

    def _point_row(self, point, numeric, tol, two):
        """Stability row of a non-vertex rest point.

        Rows (or columns) of the Jacobian with a single, diagonal, entry give an eigenvalue each
        (the transversal directions of the face, where a factor ``x_k`` vanishes); the rest is the
        Jacobian of the dynamics restricted to the face, whose diagonal vanishes at the rest point
        because a population's payoffs do not depend on its own shares. Its trace is therefore
        zero, so a non-vertex rest point is never asymptotically stable (Ritzberger & Vogelsberger
        1990); the code checks the trace rather than assuming it.
        """
        from ..core.exact import conjunction

        tidy = sympy.cancel if numeric else _tidy
        field = []
        J, det, trace = self._jacobian_at(point.coordinates, lambda e: e if e.is_Rational else tidy(e),
                                          want_det=two, field_entries=None if numeric else field)
        if not two:
            trace = None
        diag, core = _peel(J)
        C = J.extract(core, core)
        if numeric:
            if all(e.is_Rational for e in J):
                eig, verdict, cert = rational_eigen_stability(J)
            else:  # algebraic coordinates: eigenvalues of the Jacobian evaluated to 50 digits
                import mpmath

                with mpmath.workdps(50):
                    ev = mpmath.eig(mpmath.matrix(J.evalf(50).tolist()))[0]
                    verdict = classify([complex(e) for e in ev], tol)
                eig = None
                cert = f"eigenvalues of the Jacobian evaluated to 50 digits; real parts with tolerance {tol:g}"
            return StabilityRow(point, J, eig, stability=verdict, condition=None, det=det, trace=trace,
                                certificate=cert)
        core_eig = []
        core_trace = None
        if C.rows == 2 and not (C[0, 0] == 0 and C[1, 1] == 0):
            size, limit = _core_size(field, core, C)
            if size > limit:
                return self._unexpanded_row(point, J, diag, C, det, trace, size, limit)
        if C.rows:
            if field and C.rows == 2 and C[0, 0] == 0 and C[1, 1] == 0:
                # zero diagonal (the face's own dynamics at its rest point): l^2 = b c
                core_eig, core_trace = _antidiagonal_eigenvalues(C[0, 1] * C[1, 0]), sympy.Integer(0)
            elif field and C.rows <= 2:
                K, entries = field
                core_eig, core_trace = _core_eigenvalues(K, [[entries[i][j] for j in core] for i in core])
            else:
                found = _factored_roots(_characteristic(C), limit=2) if C.rows <= 2 else None
                core_eig = None if found is None or len(found) != C.rows else list(found)
                core_trace = sympy.cancel(C.trace())
        eig = None if core_eig is None else tuple(diag) + tuple(core_eig)
        if core_trace == 0:
            cond = sympy.false
            cert = ("the Jacobian restricted to the face has trace zero, so its eigenvalues cannot all "
                    "have negative real parts")
        elif two and J.rows == 2:
            cond = conjunction([point.existence, positive(det, True), positive(-trace, True)])
            cert = "Friedman's test: det J > 0 and tr J < 0"
        else:
            cond = conjunction([point.existence] + [positive(-d, True) for d in diag] + [hurwitz_condition(C)])
            cert = "transversal eigenvalues and the Routh-Hurwitz criterion on the face"
        return StabilityRow(point, J, eig, condition=cond, det=det, trace=trace, certificate=cert)

    def _unexpanded_row(self, point, J, diag, C, det, trace, size, limit):
        """The row of a 2x2 face core too large for closed-form eigenvalues (:data:`EIGEN_TERMS`).

        The eigenvalues are left as the roots of :math:`\\lambda^2 - t\\lambda + d`; the condition
        is Routh-Hurwitz on that polynomial, ``t < 0`` and ``d > 0``, with the trace ``t`` and the
        determinant ``d`` of the face Jacobian written unexpanded (exact, never cancelled).
        """
        from .stability import FACTOR_SIZE

        t = C[0, 0] + C[1, 1]
        d = C[0, 0] * C[1, 1] - C[0, 1] * C[1, 0]
        # no expansion anywhere: small transversal eigenvalues are written by ``positive``, large
        # ones (and the trace and determinant) as plain relations
        parts = [point.existence] + [positive(-e, True) if sympy.count_ops(e) <= FACTOR_SIZE
                                     else sympy.StrictLessThan(e, 0) for e in diag]
        parts += [sympy.StrictLessThan(t, 0), sympy.StrictGreaterThan(d, 0)]
        cond = sympy.false if any(p is sympy.false for p in parts) else sympy.And(*parts)
        kind = "square roots" if _algebraic(C) else "rational functions"
        cert = (f"{UNEXPANDED}: the determinant of the 2x2 face Jacobian (entries with {kind}) would expand "
                f"to up to {size} terms, more than {limit}; eigenvalues left as the roots of "
                "l**2 - t*l + d; Routh-Hurwitz on that polynomial: t < 0 and d > 0, with the trace t and "
                "the determinant d unexpanded")
        return StabilityRow(point, J, None, condition=cond, det=det, trace=trace, certificate=cert)

    def ess(self, values=None):
        """The evolutionarily stable profiles: the asymptotically stable vertices.

        In multi-population replicator dynamics a pure profile is asymptotically stable iff it is
        a strict Nash equilibrium (Selten 1980); the condition returned is the exact conjunction
        of the negative-eigenvalue inequalities, the same as that of
        ``pure_equilibria(game, strict=True)``.

        Parameters
        ----------
        values : mapping, optional
            Keep only the profiles whose condition holds at these values.

        Returns
        -------
        Equilibria
            A list of :class:`~coopgame.equilibria.Equilibrium` that displays as one table.

        Examples
        --------
        >>> from coopgame import Game
        >>> g = Game.bimatrix([["a", 0], [0, 1]], [[1, 0], [0, 1]], strategies=[["x", "y"]] * 2)
        >>> [(e.profile, e.condition) for e in g.replicator().ess()]
        [(('x', 'x'), a > 0), (('y', 'y'), True)]
        >>> [e.profile for e in g.replicator().ess({"a": -1})]
        [('y', 'y')]
        """
        from ..equilibria import Equilibria, Equilibrium

        out = Equilibria()
        for row in self._vertex_rows(False, DEFAULT_TOLERANCE):
            if row.condition is sympy.false:
                continue
            eq = Equilibrium(profile=row.point.profile, condition=row.condition, players=self._game.players,
                             strategies=self._game.strategy_lists, kind="pure", strict=True,
                             certificate="asymptotically stable vertex of the replicator dynamics: exact "
                                         "eigenvalues u_i(s'_i, s_-i) - u_i(s) (Selten 1980)",
                             payoffs=self._game.payoffs(row.point.profile))
            if values is not None and not eq.holds(_named(values)):
                continue
            out.append(eq)
        return out

    # ------------------------------------------------------------------ numerics
    @property
    def parameters(self) -> tuple:
        """The parameters the field depends on (the game's free symbols, by name): the rows of
        ``params`` in :meth:`field_function`; replicator state used in payoffs is not one)."""
        return tuple(sorted(self._params, key=lambda s: s.name))

    def field_function(self):
        """The vector field compiled once, with the parameters as arguments.

        Returns a :class:`~coopgame.dynamics.codegen.FieldFunction` ``f``: ``f(Y, params,
        out=None)`` evaluates the field on states ``Y`` of shape ``(dim, m)`` at parameters
        ``params`` of shape ``(p,)`` (shared) or ``(p, m)`` (one parameter vector per state
        column), in the order of :attr:`parameters`; ``f.at(params)`` binds them once for many
        evaluations, and ``f.bind(values)`` binds exact values. Built on the first call and kept,
        so a new value set or a sensitivity run costs an evaluation, not a derivation.

        Examples
        --------
        >>> import numpy as np
        >>> from coopgame import Game
        >>> g = Game.bimatrix([["a", 0], [0, 1]], [[1, 0], [0, 1]])
        >>> dyn = g.replicator()
        >>> [s.name for s in dyn.parameters]
        ['a']
        >>> f = dyn.field_function()
        >>> Y = np.full((2, 2), 0.5)
        >>> np.allclose(f(Y, np.array([[1.0, 3.0]]))[:, 1], dyn.vector_field({"a": 3}, layout="components")(Y)[:, 1])
        True
        """
        key = "_field_function"
        if key not in self._numeric_cache:
            from .codegen import FieldFunction

            self._numeric_cache[key] = FieldFunction(self._state, self.parameters, [c for c, _ in self._field_parts],
                                                     [b for _, b in self._field_parts])
        return self._numeric_cache[key]

    def vector_field(self, values=None, *, layout: str = "states"):
        """Compile the vector field once and return it as a numpy function.

        With ``layout="states"`` (default) the function maps states of shape ``(..., dim)`` to
        derivatives of the same shape. With ``layout="components"`` it maps an array of shape
        ``(dim, m)`` (one row per state coordinate) to ``(dim, m)`` and accepts ``out=``, an array
        of that shape to write into; this is the form the vectorised integrator uses.

        The field is compiled once per game, with the parameters as arguments
        (:meth:`field_function`); a value set binds them. The payoff parts of all equations are
        evaluated together as one matrix product over the monomials of the state, then
        multiplied by ``x`` and, for two strategies, ``1 - x`` (kept as factors, so faces of the
        simplex stay exactly invariant); everything is written into preallocated buffers, so an
        evaluation allocates nothing.
        """
        if layout not in ("states", "components"):
            raise ParameterError(f"layout must be 'states' or 'components', got {layout!r}")
        return self._field_at(self._checked_values(values))[layout]

    def _field_at(self, vals: dict) -> dict:
        """``{"states": ..., "components": ...}`` at values checked by :meth:`_checked_values`."""
        import numpy as np

        key = ("_field", tuple(sorted((s.name, v) for s, v in vals.items())))
        if key not in self._numeric_cache:
            components = self.field_function().bind(vals)
            if components is None:  # a coefficient is irrational at the values: compile the numeric system
                from .codegen import compile_replicator_field

                dyn = self._numeric_at(vals)
                components = compile_replicator_field(dyn._state, [c for c, _ in dyn._field_parts],
                                                      [b for _, b in dyn._field_parts], dyn._equations)

            def states(Y):
                Y = np.asarray(Y, dtype=float)
                return np.moveaxis(components(np.moveaxis(Y, -1, 0)), 0, -1)

            self._numeric_cache[key] = {"states": states, "components": components}
        return self._numeric_cache[key]

    def simulate(self, values, initial, t_max, **kwargs):
        """Integrate many initial states at once; see :func:`coopgame.dynamics.simulate.simulate`."""
        from .simulate import simulate

        return simulate(self, values, initial, t_max, **kwargs)

    def simulate_sde(self, values, initial, t_max, sigma, rng, **kwargs):
        """Stochastic replicator dynamics on many paths; see :func:`coopgame.dynamics.sde.simulate_sde`."""
        from .sde import simulate_sde

        return simulate_sde(self, values, initial, t_max, sigma, rng, **kwargs)

    def simulate_delay(self, values, initial, t_max, tau, **kwargs):
        """Replicator dynamics with a delay; see :func:`coopgame.dynamics.delay.simulate_delay`."""
        from .delay import simulate_delay

        return simulate_delay(self, values, initial, t_max, tau, **kwargs)

    def critical_delay(self, point, values=None, **kwargs):
        """Smallest destabilising delay at a rest point; see :func:`coopgame.dynamics.delay.critical_delay`."""
        from .delay import critical_delay

        return critical_delay(self, point, values, **kwargs)

    def basins(self, values, samples, rng, **kwargs):
        """Share of random initial states converging to each stable rest point; see
        :func:`coopgame.dynamics.simulate.basins`."""
        from .simulate import basins

        return basins(self, values, samples, rng, **kwargs)

    def sensitivity(self, parameter, levels, values, initial, t_max, **kwargs):
        """Trajectories at several levels of one or two parameters, integrated in one batch; see
        :func:`coopgame.dynamics.sensitivity.sensitivity`."""
        from .sensitivity import sensitivity

        return sensitivity(self, parameter, levels, values, initial, t_max, **kwargs)

    def bifurcation(self, parameter, values=None, lo=None, hi=None, **kwargs):
        """Exact values of one parameter where rest points appear, disappear or change verdict;
        see :func:`coopgame.dynamics.bifurcation.bifurcation`."""
        from .bifurcation import bifurcation

        return bifurcation(self, parameter, values, lo, hi, **kwargs)


def _face_shares(shape, supports):
    """The shares on a face: ``(unknowns, blocks, share_blocks, full)``.

    A role with one strategy in its support plays it; a role with several gets one unknown
    share per supported strategy but the last (which takes the rest). ``blocks`` groups the
    unknowns by role, ``share_blocks`` the supported shares by role, and ``full`` holds every
    role's share vector (zeros off the support).
    """
    unknowns, blocks, share_blocks, full = [], [], [], []
    for i, S in enumerate(supports):
        vec = [sympy.Integer(0)] * shape[i]
        if len(S) == 1:
            vec[S[0]] = sympy.Integer(1)
        else:
            ps = [sympy.Dummy(f"p{i}_{k}") for k in S[:-1]]
            unknowns.extend(ps)
            blocks.append(ps)
            for k, p in zip(S[:-1], ps):
                vec[k] = p
            vec[S[-1]] = 1 - sympy.Add(*ps)
            share_blocks.append([vec[k] for k in S])
        full.append(tuple(vec))
    return unknowns, blocks, share_blocks, full


def _linear_form(share) -> dict:
    """A share on a face (0, 1, an unknown or 1 minus a sum of unknowns) as monomial -> integer."""
    if share == 0:
        return {}
    form = {}
    for term in sympy.Add.make_args(share):
        c, rest = term.as_coeff_Mul()
        key = () if rest == 1 else (rest,)
        form[key] = form.get(key, 0) + int(c)
    return form


def _deprecated_timeout(timeout):
    """``timeout=`` is kept for compatibility only: the search is bounded by work, not seconds."""
    if timeout is not None:
        warnings.warn("timeout= is deprecated and ignored: the rest-point search is bounded by work "
                      "(see coopgame.dynamics.faces.SearchLimits), not by seconds", DeprecationWarning, stacklevel=3)


def _outside_unit_interval(expr, unknowns) -> bool:
    """True when ``expr`` provably cannot lie in (0, 1) while its free shares range over [0, 1].

    Decided for numbers and for expressions linear in the free shares (range over the box's
    corners); anything else is undecided (False).
    """
    free = sorted(expr.free_symbols & set(unknowns), key=str)
    if expr.free_symbols - set(free):
        return False
    if not free:
        return bool(expr.is_real is False or expr.is_positive is False or (1 - expr).is_positive is False)
    try:
        poly = sympy.Poly(expr, *free)
    except sympy.PolynomialError:
        return False
    if poly.total_degree() > 1:
        return False
    corners = [expr.xreplace(dict(zip(free, c))) for c in itertools.product((0, 1), repeat=len(free))]
    if not all(c.is_number and c.is_real for c in corners):
        return False
    return max(corners) <= 0 or min(corners) >= 1


def _point_of(game, symbol):
    """A value in the domain of a parameter (its default when it has one)."""
    for p in game.parameters:
        if p.symbol == symbol:
            if p.default is not None:
                return p.default
            iv = p.domain.interval
            lo, hi = getattr(iv, "inf", -sympy.oo), getattr(iv, "sup", sympy.oo)
            if lo.is_finite and hi.is_finite:
                return (lo + hi) / 2
            if lo.is_finite:
                return lo + 1
            if hi.is_finite:
                return hi - 1
            return sympy.Integer(0)
    return sympy.Integer(0)


def _named(values: Mapping) -> dict:
    return {k if isinstance(k, str) else getattr(k, "name", k): v for k, v in values.items()}


def _characteristic(J):
    """The characteristic polynomial of ``J`` with denominators cleared (same roots)."""
    lam = sympy.Dummy("lambda")
    coeffs = J.charpoly(lam).all_coeffs()
    n = len(coeffs) - 1
    expr = sympy.Add(*(sympy.cancel(c) * lam ** (n - k) for k, c in enumerate(coeffs)))
    num, _ = sympy.fraction(sympy.together(expr))
    return sympy.Poly(sympy.expand(num), lam)


#: Largest number of terms (an upper bound, :func:`coopgame.expressions.expanded_size`, without
#: expanding) of the cross-multiplied determinant of a 2x2 face Jacobian with rational-function
#: entries for which the eigenvalues are written in closed form; beyond it the row keeps the
#: characteristic polynomial unexpanded (Routh-Hurwitz condition, no closed-form eigenvalues).
EIGEN_TERMS = 100_000
#: The same limit for entries with square roots (arithmetic over an algebraic extension costs far
#: more per term, so the limit is lower).
ALGEBRAIC_EIGEN_TERMS = 100
#: How the certificate of such a row starts.
UNEXPANDED = "characteristic polynomial beyond the work limit"


def _algebraic(C) -> bool:
    return any(p.exp.is_Rational and not p.exp.is_Integer for e in C for p in e.atoms(sympy.Pow))


def _core_size(field, core, C) -> tuple[int, int]:
    """Work measure of the 2x2 core ``C`` and its limit.

    The measure bounds the terms of ``n_a n_d m_b m_c - n_b n_c m_a m_d`` (``n``, ``m`` the
    numerators and denominators of the entries), the determinant over a common denominator;
    every subexpression that is not a polynomial (a root, a reciprocal) counts as one variable.
    """
    from ..core.expressions import expanded_size

    if field:
        entries = [[field[1][i][j] for j in core] for i in core]
        parts = [[(expanded_size(e.numer.as_expr())[1], expanded_size(e.denom.as_expr())[1]) for e in row]
                 for row in entries]
        limit = EIGEN_TERMS
    else:
        parts = [[tuple(expanded_size(x)[1] for x in sympy.fraction(C[i, j])) for j in range(2)]
                 for i in range(2)]
        limit = ALGEBRAIC_EIGEN_TERMS if _algebraic(C) else EIGEN_TERMS
    (a, b), (c, d) = parts
    return a[0] * d[0] * b[1] * c[1] + b[0] * c[0] * a[1] * d[1], limit


def _core_eigenvalues(K, entries):
    """Eigenvalues and trace of a 1x1 or 2x2 matrix over a field of rational functions.

    For 2x2, :math:`\\lambda = (t \\pm \\sqrt{t^2 - 4d})/2` with trace :math:`t` and determinant
    :math:`d` computed in the field (no expression swell); the square root is taken exactly when
    the discriminant is a square of rational functions.
    """
    if len(entries) == 1:
        v = _small_factor(entries[0][0].as_expr())
        return [v], v
    (a, b), (c, d) = entries
    t = a + d
    disc = t * t - 4 * (a * d - b * c)
    root = _field_sqrt(disc)
    half = t.as_expr() / 2
    if root is None:
        r = sympy.sqrt(sympy.factor(disc.as_expr()))
    else:
        r = root
    return [_small_factor(sympy.cancel(half + r / 2)) if root is not None else half + r / 2,
            _small_factor(sympy.cancel(half - r / 2)) if root is not None else half - r / 2], \
        sympy.cancel(t.as_expr())


def _antidiagonal_eigenvalues(product):
    """``+-sqrt(product)``, the eigenvalues of ``[[0, b], [c, 0]]`` with ``product = b c``; the
    root is taken exactly when the factored product is a square."""
    r = sympy.Integer(1)
    for part, sign in zip(sympy.fraction(product), (1, -1)):
        const, factors = sympy.factor_list(part)
        if const < 0 or not sympy.sqrt(const).is_Rational or any(m % 2 for _, m in factors):
            r = sympy.sqrt(product)
            break
        r *= (sympy.sqrt(const) * sympy.Mul(*[f ** (m // 2) for f, m in factors])) ** sign
    return [r, -r]


def _field_sqrt(value):
    """The square root of a rational function when it is a square (up to a square constant), else None."""
    if value == 0:
        return sympy.Integer(0)
    out = sympy.Integer(1)
    for part, sign in ((value.numer, 1), (value.denom, -1)):
        const, factors = sympy.factor_list(part.as_expr())
        if const < 0 or not sympy.sqrt(const).is_Rational or any(m % 2 for _, m in factors):
            return None
        out *= sympy.sqrt(const) ** sign * sympy.Mul(*[f ** (sign * (m // 2)) for f, m in factors])
    return out


def _small_factor(expr, size: int = 80):
    """Factor a (cancelled) rational function when it is small enough to be cheap."""
    return sympy.factor(expr) if expr.free_symbols and sympy.count_ops(expr) <= size else expr


def _tidy(expr, size: int = 80):
    """Cancel a rational function; factor it too when it is small enough to be cheap."""
    expr = sympy.cancel(expr)
    return sympy.factor(expr) if sympy.count_ops(expr) <= size else expr


def _peel(J):
    """Split off eigenvalues from rows or columns whose only nonzero entry is diagonal.

    Expanding ``det(l I - J)`` along such a row gives the factor ``l - J[r, r]``. Returns the
    peeled diagonal entries and the remaining (core) indices.
    """
    remaining = list(range(J.rows))
    diag = []
    changed = True
    while changed and remaining:
        changed = False
        for r in remaining:
            others = [c for c in remaining if c != r]
            if all(J[r, c] == 0 for c in others) or all(J[c, r] == 0 for c in others):
                diag.append(J[r, r])
                remaining.remove(r)
                changed = True
                break
    return diag, remaining


def _factored_roots(poly, limit=2):
    """Roots of a characteristic polynomial, factor by factor.

    Returns the roots with multiplicity, or ``None`` when a factor has degree above ``limit``
    (closed forms beyond that are not worth their size).
    """
    out = []
    _, factors = sympy.factor_list(poly)
    for fac, mult in factors:
        if fac.degree() > limit:
            return None
        rts = sympy.roots(fac, multiple=True)
        if len(rts) != fac.degree():
            return None
        out.extend(list(rts) * mult)
    return out

