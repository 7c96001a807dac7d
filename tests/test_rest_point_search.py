"""The complete, work-bounded rest-point search (coopgame.dynamics.faces) and the labels of
simulated limits."""

from __future__ import annotations

import itertools
import subprocess
import sys
import warnings

import numpy as np
import pytest
import sympy
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.optimize import root

from coopgame import Game, models
from coopgame.dynamics.faces import SearchLimits, bezout_number, solve_face
from coopgame.errors import DegenerateGameWarning, ParameterError


def _planted_game(draw, n, mixing, point):
    """A two-strategy game with ``n`` roles whose roles in ``mixing`` are indifferent at
    ``point`` (the shares of the mixing roles; the other roles play their first strategy).

    Role i's payoff difference is D_i(x_-i) = sum over pure s_-i of d_i(s_-i) prod shares; a
    random d_i shifted by D_i(planted) makes D_i vanish there, since the weights sum to one.
    """
    shares = [point[i] if i in mixing else sympy.Integer(1) for i in range(n)]
    arrays = [np.empty((2,) * n, dtype=object) for _ in range(n)]
    for i in range(n):
        d = {}
        for rest in itertools.product((0, 1), repeat=n - 1):
            d[rest] = sympy.Integer(draw(st.integers(-6, 6)))
        others = [j for j in range(n) if j != i]

        def weight(rest, others=others):
            w = sympy.Integer(1)
            for j, s in zip(others, rest):
                w *= shares[j] if s == 0 else 1 - shares[j]
            return w

        if i in mixing:
            shift = sum(weight(rest) * v for rest, v in d.items())
            d = {rest: v - shift for rest, v in d.items()}
        base = {rest: sympy.Integer(draw(st.integers(-3, 3))) for rest in d}  # the same for both strategies
        for prof in itertools.product((0, 1), repeat=n):
            rest = tuple(prof[j] for j in others)
            arrays[i][prof] = base[rest] + (d[rest] if prof[i] == 0 else 0)
    players = [f"P{i}" for i in range(n)]
    return Game.from_arrays(arrays, players=players, strategies=[[f"a{i}", f"b{i}"] for i in range(n)])


@st.composite
def planted(draw, populations=(2, 3)):
    n = draw(st.integers(*populations))
    k = draw(st.integers(2, n))
    mixing = tuple(sorted(draw(st.permutations(range(n)))[:k]))
    frac = st.fractions(min_value=0, max_value=1, max_denominator=7).filter(lambda f: 0 < f < 1)
    point = {i: sympy.Rational(*draw(frac).as_integer_ratio()) for i in mixing}
    return _planted_game(draw, n, mixing, point), mixing, point


def _newton_roots(rd, starts):
    f = rd.vector_field()
    Jf = sympy.lambdify(rd.state, rd.jacobian(), "numpy")
    found = []
    for start in starts:
        sol = root(lambda y: f(y[None, :])[0], np.array(start, dtype=float),
                   jac=lambda y: np.array(Jf(*y), dtype=float))
        y = sol.x
        if not sol.success or np.any(y < 1e-7) or np.any(y > 1 - 1e-7):
            continue
        if np.max(np.abs(f(y[None, :])[0])) > 1e-10 or abs(np.linalg.det(np.array(Jf(*y), dtype=float))) < 1e-6:
            continue
        found.append(y)
    return found


@settings(max_examples=8, deadline=None)
@given(planted(), st.integers(0, 2**32 - 1))
def test_planted_rest_points_are_found_and_no_root_is_missed(case, seed):
    _check_planted(case, seed)


@pytest.mark.slow
@settings(max_examples=8, deadline=None)
@given(planted(populations=(4, 4)), st.integers(0, 2**32 - 1))
def test_planted_rest_points_are_found_in_four_populations(case, seed):
    _check_planted(case, seed)


def _check_planted(case, seed):
    game, mixing, point = case
    rd = game.replicator()
    with warnings.catch_warnings():
        warnings.simplefilter("error", DegenerateGameWarning)
        try:
            table = rd.stability()
        except DegenerateGameWarning:
            assume(False)
    assert table.complete and not table.unsolved
    want = tuple(point[i] if i in mixing else 1 for i in range(len(game.players)))
    listed = [r.point.point for r in table.rows]
    assert want in listed, f"planted {want} not among {listed}"
    for r in table.rows:  # every listed point is a rest point (algebraic ones: zero to 50 digits)
        for eq in rd.equations:
            value = eq.xreplace(r.point.coordinates)
            assert value == 0 or abs(complex(value.evalf(50))) < 1e-40
    # independent search: Newton from random starts in the open box finds nothing unlisted
    rng = np.random.default_rng(seed)
    arr = np.array([r.point.as_array() for r in table.rows])
    for y in _newton_roots(rd, rng.uniform(0.02, 0.98, size=(12, len(rd.state)))):
        assert np.min(np.max(np.abs(arr - y), axis=1)) < 1e-6, f"root {y} not listed"


def test_bezout_numbers_of_multilinear_systems():
    # k roles each indifferent in the others' shares: the number of derangements of k roles
    # bounds the solutions (1, 2, 9 for k = 2, 3, 4), far below the total-degree Bezout bound.
    for k, want in ((2, 1), (3, 2), (4, 9)):
        xs = sympy.symbols(f"x0:{k}")
        eqs = [sympy.Mul(*[x for j, x in enumerate(xs) if j != i]) - 1 for i in range(k)]
        assert bezout_number(eqs, [[x] for x in xs]) == want


def test_numeric_face_roots_are_irrational_and_certified():
    # x*y = 1/2, x = y: eliminant 2y^2 - 1, roots +-1/sqrt(2); only the positive one lies in
    # the box, and it is returned exactly (an algebraic number), not as a float.
    x, y = sympy.symbols("x y")
    res = solve_face([x * y - sympy.Rational(1, 2), x - y], [x, y], [[x], [y]], [[x, 1 - x], [y, 1 - y]],
                     (), True)
    assert res.status == "solved" and res.certified and len(res.solutions) == 1
    sol = res.solutions[0]
    assert abs(float(sol[x]) - 2 ** -0.5) < 1e-12 and abs(float(sol[y]) - 2 ** -0.5) < 1e-12
    assert sympy.minimal_polynomial(sol[y], sympy.Symbol("t")) == 2 * sympy.Symbol("t") ** 2 - 1


def test_search_limits_are_checked():
    with pytest.raises(ParameterError, match="max_solutions"):
        SearchLimits(max_solutions=0)
    with pytest.raises(ParameterError, match="symbolic_degree"):
        SearchLimits(symbolic_degree=3)


# ---------------------------------------------------------------------- catalogue and flagship
@pytest.mark.slow
@pytest.mark.parametrize("name", models.names())
def test_catalogue_symbolic_tables_are_complete(name):
    game = models.get(name).game
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        table = game.replicator().stability()
    assert not table.unsolved, table.unsolved


# ---------------------------------------------------------------------- determinism under load
_BUSY = "import time\nend = time.process_time() + 6\nwhile time.process_time() < end:\n    pass\n"


@pytest.mark.slow
def test_same_table_beside_busy_processes():
    # The search counts work, never seconds: the same table with the machine loaded. The busy
    # processes stop by themselves after six seconds of CPU time.
    a, b, c = sympy.symbols("a b c", real=True)
    arrays = [np.array([[[a, 1], [0, b]], [[c, 0], [1, a]]], dtype=object),
              np.array([[[b, 0], [c, 1]], [[1, a], [0, b]]], dtype=object),
              np.array([[[c, a], [1, 0]], [[0, b], [a, 1]]], dtype=object)]
    g = Game.from_arrays(arrays, players=["A", "B", "C"], strategies=[["a0", "a1"], ["b0", "b1"], ["c0", "c1"]])
    # at numeric values (the symbolic interior search of this game runs for many minutes); the
    # values are arbitrary exact numbers, the claim is only that load does not change the table
    at = {"a": 2, "b": "1/2", "c": 3}
    quiet = g.replicator().stability(at).to_dicts()
    busy = [subprocess.Popen([sys.executable, "-c", _BUSY]) for _ in range(3)]
    try:
        loaded = Game.from_arrays(arrays, players=["A", "B", "C"],
                                  strategies=[["a0", "a1"], ["b0", "b1"], ["c0", "c1"]]).replicator().stability(at)
    finally:
        for p in busy:
            p.wait(timeout=120)
    assert loaded.to_dicts() == quiet
    assert loaded.complete


# ---------------------------------------------------------------------- limits of trajectories
def test_cycling_trajectories_name_no_rest_point():
    # Internship bargaining without policy (catalogue defaults): every vertex is a saddle and
    # trajectories from the interior keep cycling at t = 400; none has converged, so none may be
    # labelled with a rest point (a saddle was named before).
    m = models.get("internship_bargaining")
    names = {p.name for p in m.game.parameters}
    values = {k: v for k, v in m.defaults.items() if str(k) in names}
    rd = m.game.replicator()
    starts = np.random.default_rng(0).uniform(0.05, 0.95, size=(20, len(rd.state)))
    traj = rd.simulate(values, starts, 400, n_points=401)
    f = rd.vector_field(values)
    moving = np.max(np.abs(f(traj.final)), axis=1) > traj.speed_tol
    assert moving.all()
    assert all(lim is None for lim in traj.limits)


def test_converged_trajectories_name_the_stable_vertex():
    # Coordination game: (A, A) and (B, B) are strict equilibria (vertex eigenvalues -2, -2 and
    # -1, -1); (0.9, 0.9) and (0.1, 0.1) lie in their basins (the interior saddle is (1/3, 1/3)).
    g = Game.bimatrix([[2, 0], [0, 1]], [[2, 0], [0, 1]], strategies=[["A", "B"], ["A", "B"]])
    traj = g.replicator().simulate(None, [[0.9, 0.9], [0.1, 0.1]], 60)
    assert [lim.profile for lim in traj.limits] == [("A", "A"), ("B", "B")]


# ---------------------------------------------------------------------- state-dependent faces
def test_linear_elimination_on_a_state_dependent_face():
    # x*(y - 1) + 2y - 1 = 0 (x enters linearly, coefficient y - 1 = -(1 - y), minus a share),
    # y^2 - x = 0. Eliminating x = (1 - 2y)/(y - 1) leaves y^2 (y - 1) - (1 - 2y) = y^3 - y^2 + 2y - 1
    # (times the nonvanishing y - 1): one cubic in y, nothing lost on the face since y < 1 there.
    from coopgame.dynamics.faces import _eliminate_linear

    x, y = sympy.symbols("x y")
    eqs = [x * (y - 1) + 2 * y - 1, y ** 2 - x]
    reduced, left, steps = _eliminate_linear(eqs, [x, y], [x, 1 - x, y, 1 - y])
    assert left == [y] and [u for u, _ in steps] == [x]
    ratio = sympy.cancel(reduced[0] / (y ** 3 - y ** 2 + 2 * y - 1))
    assert ratio.is_number and ratio != 0
    assert sympy.simplify(steps[0][1] - (1 - 2 * y) / (y - 1)) == 0


def _government_interior():
    from coopgame.dynamics.faces import DEFAULT_LIMITS
    from coopgame.models.variants import government_dynamic_penalty

    rd = government_dynamic_penalty().replicator()
    return rd, rd._face_points(((0, 1), (0, 1), (0, 1)), False, DEFAULT_LIMITS)


def test_dynamic_penalty_interior_face_is_reported_unsolved_with_its_degree():
    # Government, school and enterprise all mixing. The school's equation is
    # x_g P (x_s - 1) + A_s(x_e) = 0 and the enterprise's x_g P (x_e - 1) + A_e(x_s) = 0, so x_g is
    # eliminated (P (x_s - 1) does not vanish on the face); what is left are two conics in
    # (x_s, x_e), the government's equation and A_e(x_s)(x_s - 1) - A_s(x_e)(x_e - 1) = 0, with up
    # to four intersections: a quartic eliminant, beyond the closed forms (degree <= 2).
    rd, (points, status, reason) = _government_interior()
    assert status == "unsolved" and points == []
    assert "eliminant of degree at least 4" in reason and "closed forms up to degree 2" in reason


def test_dynamic_penalty_quartic_confirmed_at_values():
    # Independent check of the bound: at the catalogue defaults with P = 3, a lex Groebner basis of
    # the full three-equation interior system over QQ has an eliminant of degree 4 (specialising
    # cannot raise the degree, so the generic one is at least 4).
    from coopgame.models import get

    m = get("government_school_enterprise")
    rd = _government_interior()[0]
    g = rd.game
    vals = {p.name: v for p, v in m.defaults.items() if p.name in {q.name for q in g.parameters}}
    vals["P"] = 3
    xg, xs, xe = rd.state
    at = {g.symbol(k): v for k, v in vals.items()}
    eqs = [sympy.expand(sympy.cancel(eq.xreplace(at) / (v * (1 - v)))) for eq, v in zip(rd.equations, (xg, xs, xe))]
    G = sympy.groebner(eqs, xg, xs, xe, order="lex")
    elim = [p for p in G.exprs if p.free_symbols <= {xe}]
    assert len(elim) == 1 and sympy.Poly(elim[0], xe).degree() == 4
    # and the numeric search at these values is complete
    table = rd.stability(vals)
    assert table.complete and not table.unsolved


@pytest.mark.parametrize("face", [((0, 1), (1,), (0, 1)), ((0, 1), (0, 1), (1,))])
def test_eliminated_edge_faces_agree_with_the_numeric_search(face):
    # Symbolic solutions (after eliminating the government's share) evaluated at random parameter
    # points where they exist must be exactly the numeric search's points on that face.
    from coopgame.dynamics.faces import DEFAULT_LIMITS
    from coopgame.models.variants import government_dynamic_penalty

    rd = government_dynamic_penalty().replicator()
    points, status, _ = rd._face_points(face, False, DEFAULT_LIMITS)
    assert status == "solved"
    names = sorted(s.name for s in rd.relevant_parameters() if not s.name.startswith("x_"))  # a frozenset: sorted, so the draws do not depend on the hash seed
    rng = np.random.default_rng(0)
    checked = 0
    # ranges where these edges' points often exist: on the first edge the enterprise's share
    # 1 - x_e solves P q^2 + L_g q + P - C_g = 0, in (0, 1) iff P < C_g < 2P + L_g; on the second
    # P (1 - x_s)^2 = C_g - L_g - P, in (0, 1) iff P + L_g < C_g < 2P + L_g; the government's
    # share (C - R alpha)/(P q) is in (0, 1) for C a little above R alpha
    ranges = {"P": (2, 4), "C_g": (4, 8), "L_g": (1, 2), "C_e": (4, 6), "R_e": (6, 10), "C_s": (4, 6),
              "R_s": (6, 10)}
    for _ in range(20):
        vals = {n: sympy.Rational(int(rng.integers(4 * ranges.get(n, (1, 10))[0], 4 * ranges.get(n, (1, 10))[1])),
                                  4) for n in names}
        for n in ("alpha", "theta"):
            if n in vals:
                vals[n] = sympy.Rational(int(rng.integers(3, 8)), 10)
        at = {rd.game.symbol(k): v for k, v in vals.items()}
        sym = set()
        for p in points:  # exists: real, and the mixing roles' shares strictly inside (0, 1)
            c = [complex(sympy.N(v.xreplace(at), 30)) for v in p.point]
            if all(abs(z.imag) < 1e-25 for z in c):
                r = [z.real for z in c]
                if all(0 < r[i] < 1 for i, S in enumerate(face) if len(S) > 1):
                    sym.add(tuple(r))
        num_rd = rd._numeric(vals)
        num_points, num_status, _ = num_rd._face_points(face, True, DEFAULT_LIMITS)
        assert num_status == "solved"
        num = {tuple(float(sympy.N(c, 30)) for c in p.point) for p in num_points}
        assert len(sym) == len(num)
        for a in sym:
            assert any(max(abs(u - v) for u, v in zip(a, b)) < 1e-12 for b in num)
        checked += len(num)
    assert checked >= 2  # the comparison met points, not only empty faces


@pytest.mark.slow
def test_dynamic_penalty_symbolic_search_names_exactly_the_interior_face():
    # Every face of the variant is solved symbolically except the interior (quartic eliminant).
    from coopgame.models.variants import government_dynamic_penalty

    rd = government_dynamic_penalty().replicator()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        points, complete, notes, unsolved = rd._non_vertex_points(False)
    assert not complete
    assert [names for names, _ in unsolved] == [(("active", "passive"), ("deep", "shallow"),
                                                 ("participate", "nominal"))]
    assert "eliminant of degree at least 4" in unsolved[0][1]
    # the four faces where the government and one other role mix: a quadratic each, two roots
    two = [p for p in points if len(p.support[0]) == 2 and sum(len(S) == 2 for S in p.support) == 2]
    assert len(two) == 8 and all(p.existence is not sympy.true for p in two)
