"""Tests of rest points, stability classification and StabilityTable (coopgame.dynamics.stability)."""

from __future__ import annotations

import dataclasses
import itertools
import json
import warnings

import numpy as np
import pytest
import sympy
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.optimize import root

from coopgame import Game, Parameter
from coopgame.dynamics import ReplicatorDynamics, Stability, classify, hurwitz_condition
from coopgame.dynamics.stability import hurwitz_determinants, positive
from coopgame.errors import DegenerateGameWarning, IncompleteSearchWarning
from coopgame.parameters import POSITIVE

# ---------------------------------------------------------------------- classification


def test_classify_by_signs_of_real_parts():
    I = sympy.I  # noqa: E741
    assert classify([-1, -2]) is Stability.ASYMPTOTICALLY_STABLE
    assert classify([1, sympy.Rational(1, 2)]) is Stability.UNSTABLE
    assert classify([-1, 2]) is Stability.SADDLE
    # a zero real part leaves the linearisation inconclusive, whatever the other signs are
    assert classify([-1, 0]) is Stability.NON_HYPERBOLIC
    assert classify([I, -I]) is Stability.NON_HYPERBOLIC
    assert classify([-1 + 2 * I, -1 - 2 * I]) is Stability.ASYMPTOTICALLY_STABLE
    # exact irrational eigenvalues are signed exactly: sqrt(2) - 1.4142 > 0 though tiny
    assert classify([sympy.sqrt(2) - sympy.Rational(14142, 10000)], tol=1e-3) is Stability.UNSTABLE
    # floats are signed with the stated tolerance
    assert classify([-1e-12, -1.0]) is Stability.NON_HYPERBOLIC
    assert classify([-1e-12, -1.0], tol=1e-15) is Stability.ASYMPTOTICALLY_STABLE


def test_hurwitz_determinants_of_known_polynomial():
    # (l + 1)^3 = l^3 + 3 l^2 + 3 l + 1: Delta_1 = a1 = 3, Delta_2 = a1 a2 - a3 = 8,
    # Delta_3 = a3 Delta_2 = 8.
    assert hurwitz_determinants([3, 3, 1]) == [3, 8, 8]
    # l^3 + l^2 + l + 1 = (l + 1)(l^2 + 1) has roots +-i: Delta_2 = 1 - 1 = 0.
    assert hurwitz_determinants([1, 1, 1])[1] == 0


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 3).flatmap(lambda n: st.lists(st.integers(-4, 4), min_size=n * n, max_size=n * n)))
def test_hurwitz_condition_agrees_with_numeric_eigenvalues(entries):
    n = int(round(len(entries) ** 0.5))
    M = sympy.Matrix(n, n, entries)
    re = np.linalg.eigvals(np.array(entries, dtype=float).reshape(n, n)).real
    assume(np.all(np.abs(re) > 1e-7))
    assert (hurwitz_condition(M) is sympy.true) == bool(np.all(re < 0))


def test_positive_writes_conditions_like_papers():
    a, b = sympy.symbols("a b", positive=True)
    c = sympy.Symbol("c", real=True)
    assert positive((a - b) / (a + b)) == (a > b)
    assert positive(a / b) is sympy.true
    assert positive(-a) is sympy.false
    assert positive(c / (c - 1)) == sympy.StrictGreaterThan(c / (c - 1), 0)


# ---------------------------------------------------------------------- symbolic tables
def _cooperation_game():
    return Game(["school", "enterprise"], [["deep", "shallow"], ["join", "refuse"]],
                {("deep", "join"): ["R - C", "V - K"], ("deep", "refuse"): ["-C", 0],
                 ("shallow", "join"): [0, "-K"], ("shallow", "refuse"): [0, 0]},
                parameters=[Parameter(n, domain=POSITIVE) for n in "CKRV"])


def test_symbolic_table_of_two_population_game():
    table = _cooperation_game().replicator().stability()
    assert table.symbolic and table.complete and table.two_population
    kinds = [r.point.kind for r in table.rows]
    assert kinds == ["vertex"] * 4 + ["interior"]
    interior = table.rows[-1]
    C, K, R, V = (sympy.Symbol(n, positive=True) for n in "CKRV")
    # U_deep - U_shallow = R y - C = 0 and V x - K = 0 give x* = K/V, y* = C/R.
    assert tuple(interior.point.coordinates.values()) == (K / V, C / R)
    assert interior.point.existence == sympy.And(V > K, R > C)
    assert interior.trace == 0 and interior.condition is sympy.false
    direct = _cooperation_game().replicator().jacobian().xreplace(interior.point.coordinates)
    assert (direct - interior.jacobian).applyfunc(sympy.cancel) == sympy.zeros(2, 2)
    # det J = -x(1-x) y(1-y) R V at the interior point: J = [[0, x(1-x) R], [y(1-y) V, 0]]
    x, y = K / V, C / R
    assert sympy.simplify(interior.det + x * (1 - x) * y * (1 - y) * R * V) == 0
    assert [p.profile for p in table.stable_points()] == [("deep", "join"), ("shallow", "refuse")]


def test_rendering_markdown_latex_and_json():
    table = _cooperation_game().replicator().stability()
    md = table.to_markdown()
    assert md.splitlines()[0] == "| rest point | profile | eigenvalues | det J | tr J | asymptotically stable iff |"
    assert "(R > C) & (V > K)" in md and md == table._repr_markdown_()
    tex = table.to_latex()
    assert tex.startswith(r"\begin{tabular") and r"\toprule" in tex and r"R > C \wedge V > K" in tex
    assert tex == table._repr_latex_()
    rows = json.loads(json.dumps(table.to_dicts()))
    assert rows[0]["profile"] == ["deep", "join"] and rows[0]["condition"] == "(R > C) & (V > K)"
    assert rows[-1]["kind"] == "interior" and rows[-1]["trace"] == "0"
    numeric = _cooperation_game().replicator().stability({"C": 1, "K": 1, "R": 3, "V": 2})
    assert "asymptotically stable" in numeric.to_markdown()
    assert json.loads(json.dumps(numeric.to_dicts()))[0]["stability"] == "ASYMPTOTICALLY_STABLE"
    with pytest.raises(dataclasses.FrozenInstanceError):
        table.rows = ()


def test_three_population_face_points_are_never_stable():
    # Ritzberger & Vogelsberger (1990): in multi-population replicator dynamics only pure
    # profiles can be asymptotically stable; the face Jacobian has zero trace.
    # distinct payoffs per player: no payoff ties, hence no continua of rest points
    rng = np.random.default_rng(3)
    arrays = [rng.permutation(8).reshape(2, 2, 2) for _ in range(3)]
    g = Game.from_arrays(arrays, players=["G", "S", "E"], strategies=[["g0", "g1"], ["s0", "s1"], ["e0", "e1"]])
    table = g.replicator().stability()
    assert table.complete
    assert len(table.rows) > 8  # the example has rest points off the vertices
    rd = g.replicator()
    for row in table.rows:
        # every listed point is an exact rest point in the state space
        values = [eq.xreplace(row.point.coordinates) for eq in rd.equations]
        assert all(sympy.simplify(v) == 0 for v in values)
        assert all(0 <= float(c) <= 1 for c in row.point.coordinates.values())
        if row.point.kind != "vertex":
            assert row.stability is not Stability.ASYMPTOTICALLY_STABLE
            # the entry-wise Jacobian equals the differentiated equations at the point
            full = np.array(rd.jacobian().xreplace(row.point.coordinates).evalf(30).tolist(), dtype=float)
            assert np.allclose(np.array(row.jacobian.evalf(30).tolist(), dtype=float), full, atol=1e-12)


def test_rock_paper_scissors_interior_is_non_hyperbolic():
    # Two-population zero-sum RPS: interior rest point (1/3, 1/3, 1/3) for both roles with
    # purely imaginary eigenvalues (Hofbauer & Sigmund 1998: zero-sum bimatrix games have a
    # constant of motion), so it is NON_HYPERBOLIC, never stable; vertices are saddles.
    A = np.array([[0, -1, 1], [1, 0, -1], [-1, 1, 0]])
    g = Game.bimatrix(A, -A, strategies=[["R", "P", "S"], ["R", "P", "S"]])
    table = g.replicator().stability()
    interior = [r for r in table.rows if r.point.kind == "interior"]
    assert len(interior) == 1
    assert tuple(interior[0].point.coordinates.values()) == (sympy.Rational(1, 3),) * 4
    assert interior[0].stability is Stability.NON_HYPERBOLIC
    assert all(sympy.re(e) == 0 for e in interior[0].eigenvalues)
    assert all(r.stability is Stability.SADDLE for r in table.rows if r.point.kind == "vertex")


# ---------------------------------------------------------------------- symbolic vs numeric eigenvalues
def test_symbolic_eigenvalues_match_numeric_jacobian_at_random_points():
    g = Game(["G", "S", "E"], [["strict", "loose"], ["deep", "shallow"], ["join", "refuse"]],
             {prof: [f"{i}*b + c" if prof[0] == "strict" else "a", "a*b" if prof[1] == "deep" else "c",
                     "b - c" if prof[2] == "join" else "a - 1"] for i, prof in
              enumerate(itertools.product(["strict", "loose"], ["deep", "shallow"], ["join", "refuse"]))})
    rd = g.replicator()
    table = rd.stability()
    J = rd.jacobian()
    rng = np.random.default_rng(7)
    syms = sorted(g.free_symbols, key=lambda s: s.name)
    checked = 0
    for row in table.rows:
        if row.eigenvalues is None:
            continue
        for _ in range(5):
            vals = {s: sympy.Rational(int(rng.integers(-9, 10)), int(rng.integers(1, 5))) for s in syms}
            coords = {k: v.xreplace(vals) for k, v in row.point.coordinates.items()}
            if any(not c.is_finite for c in coords.values()):
                continue
            Jn = np.array(J.xreplace(coords).xreplace(vals).tolist(), dtype=float)
            want = np.sort_complex(np.linalg.eigvals(Jn))
            try:
                got = np.sort_complex(np.array([complex(e.xreplace(vals).evalf()) for e in row.eigenvalues]))
            except (TypeError, ZeroDivisionError):
                continue
            assert np.allclose(got, want, atol=1e-8)
            checked += 1
    assert checked >= 20


# ---------------------------------------------------------------------- numeric rest points
@st.composite
def numeric_three_population_games(draw):
    arrays = [np.array(draw(st.lists(st.integers(-4, 4), min_size=8, max_size=8))).reshape(2, 2, 2)
              for _ in range(3)]
    return Game.from_arrays(arrays, players=["A", "B", "C"], strategies=[["a0", "a1"], ["b0", "b1"], ["c0", "c1"]])


@pytest.mark.slow
@settings(max_examples=10, deadline=None)
@given(numeric_three_population_games())
def test_numeric_rest_points_are_all_roots_in_the_box(game):
    rd = game.replicator()
    with warnings.catch_warnings():
        warnings.simplefilter("error", DegenerateGameWarning)
        try:
            table = rd.stability()
        except DegenerateGameWarning:
            assume(False)
    assert table.complete
    listed = np.array([r.point.as_array() for r in table.rows])
    for row in table.rows:  # exact rest points (algebraic coordinates: zero to 50 digits)
        for eq in rd.equations:
            value = eq.xreplace(row.point.coordinates)
            assert value == 0 or abs(complex(value.evalf(50))) < 1e-40
    # independent search: Newton from a grid of starts; every root in the box with an invertible
    # Jacobian must be one of the listed points.
    f = rd.vector_field()
    Jf = sympy.lambdify(rd.state, rd.jacobian(), "numpy")
    for start in itertools.product((0.1, 0.5, 0.9), repeat=3):
        sol = root(lambda y: f(y[None, :])[0], np.array(start), jac=lambda y: np.array(Jf(*y), dtype=float))
        y = sol.x
        if not sol.success or np.any(y < -1e-9) or np.any(y > 1 + 1e-9):
            continue
        if np.max(np.abs(f(y[None, :])[0])) > 1e-10 or abs(np.linalg.det(np.array(Jf(*y), dtype=float))) < 1e-6:
            continue
        assert np.min(np.max(np.abs(listed - y), axis=1)) < 1e-6, f"root {y} not listed"


def test_continuum_of_rest_points_is_reported():
    # Player B is indifferent everywhere: every point of an edge with A pure is a rest point.
    g = Game.bimatrix([[1, 0], [0, 1]], [[0, 0], [0, 0]])
    with pytest.warns(DegenerateGameWarning, match="continuum"):
        table = g.replicator().stability()
    assert not table.complete
    # B's eigenvalue is 0 everywhere; where A's is +1 the point is proven unstable
    for r in table.rows:
        if any(e > 0 for e in r.eigenvalues):
            assert r.stability is Stability.UNSTABLE
        else:
            assert r.stability is Stability.NON_HYPERBOLIC


def test_work_limit_marks_table_incomplete_and_names_the_face():
    a, b, c = sympy.symbols("a b c", real=True)
    arrays = [np.array([[[a, 1], [0, b]], [[c, 0], [1, a]]], dtype=object),
              np.array([[[b, 0], [c, 1]], [[1, a], [0, b]]], dtype=object),
              np.array([[[c, a], [1, 0]], [[0, b], [a, 1]]], dtype=object)]
    g = Game.from_arrays(arrays, players=["A", "B", "C"], strategies=[["a0", "a1"], ["b0", "b1"], ["c0", "c1"]])
    from coopgame.dynamics.faces import SearchLimits

    # the interior system (three bilinear equations) has multihomogeneous Bezout number 2
    with pytest.warns(IncompleteSearchWarning):
        table = ReplicatorDynamics(g).stability(limits=SearchLimits(max_solutions=1))
    assert not table.complete
    assert len(table.rows) >= 8  # the vertices are always there
    interior = (("a0", "a1"), ("b0", "b1"), ("c0", "c1"))
    assert [(face, reason) for face, reason in table.unsolved] == [
        (interior, "multihomogeneous Bezout number 2 (limit 1)")]
    assert "Incomplete" in table.to_markdown() and "Bezout number 2" in table.to_markdown()
    # timeout= is deprecated and ignored
    with pytest.warns(DeprecationWarning):
        ReplicatorDynamics(g).rest_points(include="vertices", timeout=0)


@pytest.mark.slow  # a long property test / end-to-end run: `pytest -m slow`, CI
def test_symbolic_three_strategy_table_matches_numeric_jacobian():
    # Generalised zero-sum RPS with parameters a, b, c > 0 (interior point exists for these).
    a, b, c = (sympy.Symbol(n, positive=True) for n in "abc")
    A = np.array([[0, -a, 1], [1, 0, -b], [-1, c, 0]], dtype=object)
    g = Game.bimatrix(A, -A, strategies=[["R", "P", "S"], ["R", "P", "S"]])
    rd = g.replicator()
    table = rd.stability()
    assert table.complete
    interior = [r for r in table.rows if r.point.kind == "interior"]
    assert len(interior) == 1 and interior[0].condition is sympy.false
    rng = np.random.default_rng(13)
    for _ in range(5):
        vals = {g.symbol(n): sympy.Rational(int(rng.integers(1, 9)), int(rng.integers(1, 4))) for n in "abc"}
        for row in table.rows:
            coords = {k: v.xreplace(vals) for k, v in row.point.coordinates.items()}
            direct = np.array(rd.jacobian().xreplace(coords).xreplace(vals).tolist(), dtype=float)
            assert np.allclose(np.array(row.jacobian.xreplace(vals).tolist(), dtype=float), direct, atol=1e-12)
            assert abs(float(row.det.xreplace(vals)) - np.linalg.det(direct)) < 1e-9
            assert abs(float(row.trace.xreplace(vals)) - np.trace(direct)) < 1e-12


# ---------------------------------------------------------------------- eigenvalue work limit
@pytest.mark.slow
def test_dynamic_penalty_symbolic_table_completes_and_agrees_with_numeric_eigenvalues():
    # The variant's face Jacobians at the rest points of the government-mixing faces have entries
    # with square roots (or, on the face where the government is active, a determinant bounded by
    # ~1.5e9 terms): their rows keep the characteristic polynomial unexpanded (EIGEN_TERMS,
    # ALGEBRAIC_EIGEN_TERMS), the condition being Routh-Hurwitz (tr < 0, det > 0). Every
    # condition must agree with the eigenvalues of the full Jacobian evaluated numerically: the
    # point is asymptotically stable iff all real parts are negative (linearisation).
    from coopgame.dynamics.replicator import UNEXPANDED
    from coopgame.models.variants import government_dynamic_penalty

    rd = government_dynamic_penalty().replicator()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IncompleteSearchWarning)
        table = rd.stability()
    # the only unsolved face is the interior one (quartic eliminant); the rest is in the table
    assert len(table.unsolved) == 1
    big = [r for r in table if r.certificate.startswith(UNEXPANDED)]
    assert big and all(r.eigenvalues is None for r in big)
    assert any("not fully decided" in n for n in table.notes)
    J = rd.jacobian()
    symbols = sorted(set().union(*(r.condition.free_symbols for r in table if r.condition is not sympy.false),
                                 J.free_symbols) - set(rd.state), key=lambda s: s.name)
    rng = np.random.default_rng(20261202)
    checked = checked_big = stable_seen = 0
    # ranges where the government-mixing edges' points often exist (derivation in
    # tests/test_rest_point_search.py, test_eliminated_edge_faces_agree_with_the_numeric_search)
    ranges = {"P": (2, 4), "C_g": (4, 8), "L_g": (1, 2), "C_e": (4, 6), "R_e": (6, 10), "C_s": (4, 6),
              "R_s": (6, 10)}
    for _ in range(12):
        vals = {s: sympy.Rational(int(rng.integers(3, 8)), 10) if s.name in ("alpha", "theta")
                else sympy.Rational(int(rng.integers(*(4 * b for b in ranges.get(s.name, (1, 10))))), 4)
                for s in symbols}
        for r in table:
            coords = {k: v.xreplace(vals) for k, v in r.point.coordinates.items()}
            if any(sympy.im(sympy.N(c, 30)) != 0 for c in coords.values()):
                continue  # a square root of a negative number: no such point at these values
            if r.point.existence.xreplace(vals) is not sympy.true:
                continue
            at = {**vals, **coords}
            M = np.array(J.xreplace(at).evalf(30).tolist(), dtype=complex)
            lead = max(np.linalg.eigvals(M).real)
            if abs(lead) < 1e-8:
                continue
            cond = r.condition if r.condition is sympy.false else r.condition.xreplace(vals)
            assert bool(cond) == (lead < 0), (r.point.label(), vals)
            checked += 1
            checked_big += r in big
            stable_seen += bool(cond)
    # measured: 121 rows checked, 6 of them beyond the limit, 13 stable
    assert checked >= 50 and checked_big >= 5 and stable_seen >= 5, (checked, checked_big, stable_seen)


def test_rows_beyond_the_eigenvalue_limit_keep_an_equivalent_routh_hurwitz_condition(monkeypatch):
    # The interior rest point of the dynamic inspection game has a face Jacobian with a nonzero
    # diagonal (the penalty depends on the enterprise's own share); with EIGEN_TERMS lowered to 1
    # its row keeps the unexpanded form, whose condition (tr < 0 and det > 0, Routh-Hurwitz for
    # l**2 - t l + d) must hold exactly where the closed-form row's condition does.
    import importlib

    from coopgame.models.variants import inspection_dynamic_penalty

    replicator = importlib.import_module("coopgame.dynamics.replicator")
    game = inspection_dynamic_penalty()
    full = game.replicator().stability()
    monkeypatch.setattr(replicator, "EIGEN_TERMS", 1)
    cut = game.replicator().stability()
    big = [i for i, r in enumerate(cut) if r.certificate.startswith(replicator.UNEXPANDED)]
    assert [cut.rows[i].point.kind for i in big] == ["interior"]
    assert full.rows[big[0]].eigenvalues is not None and cut.rows[big[0]].eigenvalues is None
    assert any("not fully decided" in n for n in cut.notes)
    a, b = full.rows[big[0]].condition, cut.rows[big[0]].condition
    symbols = sorted(a.free_symbols | b.free_symbols, key=lambda s: s.name)
    rng = np.random.default_rng(7)
    held = 0
    for _ in range(60):
        vals = {s: sympy.Rational(int(rng.integers(1, 100)), 10) for s in symbols}
        assert bool(a.xreplace(vals)) == bool(b.xreplace(vals)), vals
        held += bool(a.xreplace(vals))
    assert 0 < held < 60  # both outcomes met
