"""Property-based verification: hypothesis strategies and checkers for published claims.

Papers state results such as "(participate, deep) is an ESS iff S > C_e - R_e". Such a claim is
a statement about *every* admissible parameter value, and random admissible values can refute
it. This module draws those values (:func:`parameter_values`), random games of given shapes
(:func:`games`), and searches for counterexamples to claimed conditions, stability tables and
simulation outcomes (:func:`check_condition`, :func:`check_stability_table`,
:func:`check_simulation`). The search is hypothesis's: seeded, with an example budget, and the
first counterexample found is shrunk towards simple values.

Requires the ``hypothesis`` package: the ``verify`` extra, ``pip install 'coopgame-vet[verify]'``
(the ``test`` extra includes it).

Points on a boundary (where an inequality of either condition holds with equality) are skipped
by default: there the claim and the truth may differ only in whether an inequality is strict,
which papers rarely mean to assert. Pass ``ignore_boundary=False`` to count them.

Examples
--------
>>> from coopgame import Game
>>> from coopgame.testing import check_condition
>>> g = Game(["school", "enterprise"], [["deep", "shallow"], ["join", "nominal"]],
...          {("deep", "join"): ["R_s - C_s", "R_e - C_e + S"], ("deep", "nominal"): ["-C_s", 0],
...           ("shallow", "join"): [0, "S - C_e"], ("shallow", "nominal"): [0, 0]})
>>> check_condition(g, ("deep", "join"), "R_s > C_s and S > C_e - R_e", kind="strict_nash").ok
True
>>> bad = check_condition(g, ("deep", "join"), "S > C_e", kind="strict_nash")
>>> bad.ok
False
>>> bad.claimed_value != bad.true_value
True
"""

from __future__ import annotations

import math
import random as _random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import sympy

try:
    from hypothesis import HealthCheck, assume, settings
    from hypothesis import strategies as st
    from hypothesis.errors import NoSuchExample, Unsatisfiable
except ImportError:  # the plain install: one line naming the extra, not a traceback into hypothesis
    raise ImportError("coopgame.testing needs hypothesis, which is not installed: "
                      "pip install 'coopgame-vet[verify]'") from None

from .core.errors import ParameterError, UnknownNameError
from .core.exact import as_condition
from .core.expressions import parse
from .core.game import Game
from .core.parameters import Parameter
from .equilibria import pure_equilibria

__all__ = [
    "parameter_values",
    "games",
    "check_condition",
    "check_stability_table",
    "check_simulation",
    "ConditionCheck",
    "TableCheck",
    "RowCheck",
    "SimulationCheck",
]

#: Default bound on the absolute value of parameters whose domain is unbounded.
DEFAULT_BOUND = 20


# ---------------------------------------------------------------------------------- strategies
def _model_parts(model_or_game):
    """(parameters, assumptions, game) of a Game or a catalogue Model."""
    if isinstance(model_or_game, Game):
        return model_or_game.parameters, (), model_or_game
    params = getattr(model_or_game, "parameters", None)
    game = getattr(model_or_game, "game", None)
    if params is None or game is None:
        raise UnknownNameError(f"expected a Game or a Model, got {type(model_or_game).__name__}")
    return tuple(params), tuple(getattr(model_or_game, "assumptions", ()) or ()), game


def _interval_for(param: Parameter, bound):
    iv = param.domain.interval
    lo, hi = -sympy.Integer(bound), sympy.Integer(bound)
    left_open = right_open = False
    if isinstance(iv, sympy.Interval):
        if iv.start.is_finite:
            lo, left_open = iv.start, iv.left_open
        if iv.end.is_finite:
            hi, right_open = iv.end, iv.right_open
        if iv.start.is_infinite and iv.end.is_finite:
            lo = hi - 2 * bound
        if iv.end.is_infinite and iv.start.is_finite:
            hi = lo + bound
    return Fraction(str(lo)), Fraction(str(hi)), left_open, right_open


def _value_strategy(param: Parameter, exact: bool, bound, max_denominator: int):
    lo, hi, left_open, right_open = _interval_for(param, bound)

    if exact:
        # integers k on the grid k/D shrink towards 0 (or the bound nearest to it), so
        # counterexamples come out as simple fractions; far cheaper than st.fractions.
        D = max_denominator
        kmin, kmax = math.ceil(lo * D), math.floor(hi * D)
        if left_open and Fraction(kmin, D) == lo:
            kmin += 1
        if right_open and Fraction(kmax, D) == hi:
            kmax -= 1
        if kmin > kmax:
            raise ParameterError(f"parameter {param.name!r}: no grid value with denominator {D} inside its domain")
        return st.integers(kmin, kmax).map(lambda k: sympy.Rational(k, D))
    return st.floats(min_value=float(lo), max_value=float(hi), allow_nan=False, allow_infinity=False,
                     exclude_min=bool(left_open), exclude_max=bool(right_open))


def parameter_values(
    model_or_game,
    *,
    exact: bool = True,
    assumptions: Iterable = (),
    fixed: Mapping | None = None,
    bound=DEFAULT_BOUND,
    max_denominator: int = 24,
    keys: str = "symbol",
):
    """A hypothesis strategy for dictionaries of admissible parameter values.

    Each parameter's value lies in its domain (unbounded domains are cut to ``[-bound, bound]``
    or ``[low, low + bound]``), and the dictionary satisfies the model's stated assumptions
    (``Model.assumptions``) and any extra ``assumptions`` (sympy relationals or text).

    Parameters
    ----------
    model_or_game : Game or Model
    exact : bool
        Draw exact rationals (default, shrinking towards simple fractions) or floats.
    assumptions : iterable of sympy Boolean or str
        Extra conditions every draw must satisfy.
    fixed : mapping, optional
        Parameters held at given values (by name or symbol).
    bound : number
        Cut-off for unbounded domains.
    max_denominator : int
        Exact values are drawn from the grid of multiples of ``1/max_denominator``.
    keys : {"symbol", "name"}
        Key the dictionaries by sympy symbol or by parameter name.

    Examples
    --------
    >>> from hypothesis import given
    >>> from coopgame import Game, Parameter
    >>> g = Game(["a"], [["x", "y"]], {("x",): ["p"], ("y",): [0]},
    ...          parameters=[Parameter("p", domain="probability")])
    >>> @given(parameter_values(g, keys="name"))
    ... def test_inside(values):
    ...     assert 0 <= values["p"] <= 1
    >>> test_inside()
    """
    params, model_assumptions, game = _model_parts(model_or_game)
    symbols = {p.name: p.symbol for p in params}
    conds = []
    for a in tuple(model_assumptions) + tuple(assumptions):
        conds.append(parse(a, symbols, relational=True) if isinstance(a, str) else a)
    fixed_vals = {}
    for k, v in (fixed or {}).items():
        name = k if isinstance(k, str) else getattr(k, "name", str(k))
        param = next((p for p in params if p.name == name), None)
        if param is None:
            raise UnknownNameError(f"unknown parameter {name!r} in fixed values")
        fixed_vals[param.symbol] = param.check(v)
    free = [p for p in params if p.symbol not in fixed_vals]
    parts = st.fixed_dictionaries({p.symbol: _value_strategy(p, exact, bound, max_denominator) for p in free})

    def complete(d):
        out = dict(fixed_vals)
        out.update(d)
        return out

    def admissible(d):
        vals = {k: (v if exact else sympy.Rational(repr(float(v)))) for k, v in d.items()}
        for c in conds:
            r = c.xreplace(vals) if hasattr(c, "xreplace") else c
            if r is not sympy.true and r is not True:
                return False
        return True

    strategy = parts.map(complete)
    if conds:
        strategy = strategy.filter(admissible)
    if keys == "name":
        strategy = strategy.map(lambda d: {k.name: v for k, v in d.items()})
    elif keys != "symbol":
        raise ParameterError(f"keys must be 'symbol' or 'name', got {keys!r}")
    return strategy


_STRUCTURES = ("prisoners_dilemma", "coordination")


@st.composite
def _structured_2x2(draw, structure, values):
    if structure == "prisoners_dilemma":
        # T > R > P > S and 2R > T + S (Axelrod's ordering), symmetric.
        s_, p_, r_, t_ = sorted(draw(st.lists(values, min_size=4, max_size=4, unique=True)))
        assume(2 * r_ > t_ + s_)
        A = [[r_, s_], [t_, p_]]
        B = [[r_, t_], [s_, p_]]
        return A, B, [["C", "D"], ["C", "D"]]
    # coordination: each player strictly prefers to match the other's choice
    a1, c1 = sorted(draw(st.lists(values, min_size=2, max_size=2, unique=True)))[::-1]
    d1, b1 = sorted(draw(st.lists(values, min_size=2, max_size=2, unique=True)))[::-1]
    a2, c2 = sorted(draw(st.lists(values, min_size=2, max_size=2, unique=True)))[::-1]
    d2, b2 = sorted(draw(st.lists(values, min_size=2, max_size=2, unique=True)))[::-1]
    A = [[a1, b1], [c1, d1]]
    B = [[a2, c2], [b2, d2]]
    return A, B, [["A", "B"], ["A", "B"]]


def games(
    players: int | Sequence[str] = 2,
    strategies: Sequence[int] | int = 2,
    payoffs: st.SearchStrategy | str = "integers",
    *,
    generic: bool = False,
    structure: str | None = None,
):
    """A hypothesis strategy for random numeric normal-form games.

    Parameters
    ----------
    players : int or sequence of str
        Number of players or their names.
    strategies : int or sequence of int
        Strategies per player (one number for all, or one per player).
    payoffs : {"integers", "rationals"} or a hypothesis strategy
        How payoff entries are drawn (integers in [-10, 10] by default; rationals with small
        denominators; or any strategy of numbers).
    generic : bool
        Only games without payoff ties: for every player and every profile of the others, the
        player's payoffs across its own strategies are distinct (so pure best responses are
        unique).
    structure : {"prisoners_dilemma", "coordination"}, optional
        A 2x2 game with that payoff ordering.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(games(structure="prisoners_dilemma"))
    ... def test_defect(g):
    ...     assert [e.profile for e in g.pure_equilibria(strict=True)] == [("D", "D")]
    >>> test_defect()
    """
    names = [f"player_{i + 1}" for i in range(players)] if isinstance(players, int) else list(players)
    n = len(names)
    shape = [strategies] * n if isinstance(strategies, int) else list(strategies)
    if len(shape) != n or any(k < 1 for k in shape):
        raise ParameterError(f"strategies must give a positive count for each of the {n} players, got {strategies!r}")
    if payoffs == "integers":
        values = st.integers(-10, 10)
    elif payoffs == "rationals":
        values = st.fractions(min_value=-10, max_value=10, max_denominator=6)
    elif isinstance(payoffs, st.SearchStrategy):
        values = payoffs
    else:
        raise ParameterError(f"payoffs must be 'integers', 'rationals' or a strategy, got {payoffs!r}")
    if structure is not None:
        if structure not in _STRUCTURES:
            raise ParameterError(f"unknown structure {structure!r} (known: {', '.join(_STRUCTURES)})")
        if n != 2 or shape != [2, 2]:
            raise ParameterError(f"structure {structure!r} needs a 2x2 game")
        return _structured_2x2(structure, values).map(
            lambda abs_: Game.from_arrays([abs_[0], abs_[1]], players=names, strategies=abs_[2])
        )
    size = int(np.prod(shape))

    @st.composite
    def build(draw):
        arrays = []
        for i in range(n):
            if generic:
                # distinct values along the player's own axis for every profile of the others
                others = size // shape[i]
                cols = [draw(st.lists(values, min_size=shape[i], max_size=shape[i], unique=True)) for _ in range(others)]
                arr = np.moveaxis(np.array(cols, dtype=object).reshape(
                    [k for j, k in enumerate(shape) if j != i] + [shape[i]]), -1, i)
            else:
                flat = draw(st.lists(values, min_size=size, max_size=size))
                arr = np.array(flat, dtype=object).reshape(shape)
            arrays.append(arr)
        return Game.from_arrays(arrays, players=names)

    return build()


# ---------------------------------------------------------------------------------- checkers
def _as_condition(claim, game):
    return as_condition(claim, {p.name: p.symbol for p in game.parameters}, "the claimed condition")


def _atoms(cond):
    return [a for a in sympy.preorder_traversal(cond) if isinstance(a, sympy.core.relational.Relational)]


def _on_boundary(conds, values) -> bool:
    for c in conds:
        for rel in _atoms(c):
            if sympy.expand((rel.lhs - rel.rhs).xreplace(values)) == 0:
                return True
    return False


def _decide(cond, values):
    """Evaluate a condition exactly at ``values``; None where it is undefined (0/0, NaN)."""
    try:
        r = cond.xreplace(values)
        if r not in (sympy.true, sympy.false):
            r = sympy.simplify(r)
    except (TypeError, ZeroDivisionError):
        return None
    if r not in (sympy.true, sympy.false):
        if r.free_symbols:
            missing = sorted(s.name for s in r.free_symbols)
            raise ParameterError(f"condition {cond} cannot be decided at the drawn values (free: {missing})")
        return None
    return bool(r)


def true_condition(game, profile, kind: str = "ess"):
    """The exact condition for a pure profile to be a Nash, strict Nash or evolutionarily stable state.

    In multi-population replicator dynamics a pure profile is asymptotically stable (an ESS in
    Selten's sense) iff it is a strict Nash equilibrium [Selten1980], so ``"ess"`` and
    ``"strict_nash"`` give the same condition.
    """
    if kind not in ("ess", "nash", "strict_nash"):
        raise ParameterError(f"kind must be 'ess', 'nash' or 'strict_nash', got {kind!r}")
    names = game.profile_names(profile)
    for e in pure_equilibria(game, strict=(kind != "nash")):
        if e.profile == names:
            return e.condition
    return sympy.false


@dataclass(frozen=True)
class ConditionCheck:
    """The verdict on one claimed condition.

    ``ok`` is true when no counterexample was found within the budget; otherwise
    ``counterexample`` holds the (shrunk) parameter values at which the claimed and the true
    conditions disagree, with both evaluated.
    """

    ok: bool
    claimed: Any
    true: Any
    kind: str
    counterexample: dict | None = None
    claimed_value: bool | None = None
    true_value: bool | None = None
    examples: int = 0
    note: str = ""

    def __bool__(self):
        return self.ok

    def explain(self) -> str:
        """One paragraph a person can read."""
        if self.ok:
            return f"no counterexample to '{self.claimed}' ({self.kind}) in {self.examples} draws; true condition: {self.true}"
        vals = ", ".join(f"{k} = {v}" for k, v in sorted(self.counterexample.items(), key=lambda kv: str(kv[0])))
        where = f"at {vals}" if vals else "for every parameter value"
        return (f"claim '{self.claimed}' ({self.kind}) is wrong: {where} the claim is "
                f"{self.claimed_value} but the true condition '{self.true}' is {self.true_value}")

    def assert_ok(self):
        """Raise ``AssertionError`` with :meth:`explain` unless the claim survived."""
        if not self.ok:
            raise AssertionError(self.explain())

    def __str__(self):
        return self.explain()


#: Evaluations the shrinker may spend after the first counterexample is found.
SHRINK_BUDGET = 120


def _search(strategy, predicate, max_examples, seed, shrink_budget=SHRINK_BUDGET):
    """The first counterexample hypothesis finds (seeded), shrunk within a bounded budget.

    Results are memoised by value, so that once the budget is spent hypothesis's final replay
    of the smallest counterexample still sees it fail; other candidates then count as passing
    and the shrinker stops improving.
    """
    memo: dict = {}
    state = {"after_hit": None}

    def bounded(d):
        key = tuple(sorted((str(k), v) for k, v in d.items()))
        if key in memo:
            return memo[key]
        if state["after_hit"] is not None:
            if state["after_hit"] >= shrink_budget:
                return False
            state["after_hit"] += 1
        result = bool(predicate(d))
        memo[key] = result
        if result and state["after_hit"] is None:
            state["after_hit"] = 0
        return result

    try:
        return _find(strategy, bounded, max_examples, seed)
    except (NoSuchExample, Unsatisfiable):
        return None


def _find(strategy, predicate, max_examples, seed):
    """``hypothesis.find`` with a fixed seed, an example budget and no database."""
    from hypothesis import find

    return find(
        strategy,
        predicate,
        settings=settings(max_examples=max_examples, database=None, deadline=None,
                          suppress_health_check=list(HealthCheck)),
        random=_random.Random(seed),
    )


def _compare(claim, truth, game, kind, values, max_examples, seed, ignore_boundary, extra_note="", applies=None):
    strategy = values if values is not None else parameter_values(game)
    syms = {s.name: s for s in game.symbols}
    counter = {"n": 0}

    def norm(d):
        return {syms.get(getattr(k, "name", k), k): (sympy.Rational(repr(float(v))) if isinstance(v, float) else v)
                for k, v in d.items()}

    def disagrees(d):
        counter["n"] += 1
        vals = norm(d)
        if applies is not None and _decide(applies, vals) is not True:
            return False  # the claim does not speak about this point (e.g. the rest point is not in the state space)
        if ignore_boundary and _on_boundary([claim, truth], vals):
            return False
        a, b = _decide(claim, vals), _decide(truth, vals)
        return a is not None and b is not None and a != b

    if applies is None and not claim.free_symbols and not truth.free_symbols:  # constants: nothing to search
        if bool(claim) == bool(truth):
            return ConditionCheck(True, claim, truth, kind, examples=0, note=extra_note)
        return ConditionCheck(False, claim, truth, kind, counterexample={}, claimed_value=bool(claim),
                              true_value=bool(truth), examples=0, note=extra_note)
    found = _search(strategy, disagrees, max_examples, seed)
    if found is None:
        return ConditionCheck(True, claim, truth, kind, examples=counter["n"], note=extra_note)
    vals = norm(found)
    return ConditionCheck(False, claim, truth, kind, counterexample={k.name if hasattr(k, "name") else k: v for k, v in vals.items()},
                          claimed_value=_decide(claim, vals), true_value=_decide(truth, vals),
                          examples=counter["n"], note=extra_note)


def check_condition(
    game,
    profile,
    claimed_condition,
    kind: str = "ess",
    *,
    values=None,
    max_examples: int = 300,
    seed: int = 0,
    ignore_boundary: bool = True,
) -> ConditionCheck:
    """Search for parameter values where a claimed equilibrium condition is wrong.

    Parameters
    ----------
    game : Game or Model
    profile : tuple of str
        The pure profile the claim is about.
    claimed_condition : str, sympy Boolean or bool
        The published condition (text goes through the safe parser).
    kind : {"ess", "nash", "strict_nash"}
        What the claim says the profile is under the condition.
    values : hypothesis strategy, optional
        Parameter dictionaries to search; by default :func:`parameter_values` of the game (or of
        the model, with its assumptions).
    max_examples : int
        The search budget.
    seed : int
        Seed of the search, so that a run is reproducible.
    ignore_boundary : bool
        Skip points where an inequality of either condition is tight.
    """
    params, _, g = _model_parts(game)
    claim = _as_condition(claimed_condition, g)
    truth = true_condition(g, profile, kind)
    strategy = values if values is not None else parameter_values(game)
    return _compare(claim, truth, g, kind, strategy, max_examples, seed, ignore_boundary)


@dataclass(frozen=True)
class RowCheck:
    """The verdict on one row of a claimed stability table."""

    point: Any
    ok: bool
    what: str
    message: str
    counterexample: dict | None = None
    check: ConditionCheck | None = None


@dataclass(frozen=True)
class TableCheck:
    """The verdict on a whole claimed stability table: one :class:`RowCheck` per row."""

    rows: tuple = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.rows)

    @property
    def wrong(self) -> tuple:
        """The rows found wrong."""
        return tuple(r for r in self.rows if not r.ok)

    def __bool__(self):
        return self.ok

    def to_markdown(self) -> str:
        from .core.formatting import markdown_table

        rows = [[str(r.point), r.what, "right" if r.ok else "WRONG", r.message] for r in self.rows]
        return markdown_table(["rest point", "claim", "verdict", "detail"], rows)

    _repr_markdown_ = to_markdown

    def assert_ok(self):
        if not self.ok:
            raise AssertionError("\n".join(f"{r.point}: {r.message}" for r in self.wrong))


_VERDICTS = {
    "ess": True, "stable": True, "asymptotically stable": True, "ass": True, "sink": True,
    "unstable": False, "saddle": False, "source": False, "not stable": False, "non-hyperbolic": False,
}


def _vertex_eigenvalues(game, profile):
    from .equilibria import deviation_gains

    # At a pure vertex the replicator Jacobian (reduced coordinates) has the eigenvalues
    # u_i(s_i', s_-i) - u_i(s): the negatives of the deviation losses.
    return [-d for _, _, d in deviation_gains(game, profile)]


def check_stability_table(
    game,
    claimed: Mapping,
    *,
    values=None,
    max_examples: int = 300,
    seed: int = 0,
    ignore_boundary: bool = True,
) -> TableCheck:
    """Check every row of a published stability table.

    Parameters
    ----------
    game : Game or Model
    claimed : mapping
        Rest point -> claim. A rest point is a pure profile (tuple of strategy names) or a
        mapping from state symbol names to coordinates (for points off the vertices). A claim
        is a mapping with any of the keys ``"eigenvalues"`` (a list of expressions or text),
        ``"condition"`` (the condition under which the point is claimed asymptotically stable,
        an ESS) and ``"verdict"`` (``"ESS"``, ``"stable"``, ``"unstable"``, ``"saddle"``: claimed
        to hold for all admissible parameters); a bare string or Boolean is a condition.
    values, max_examples, seed, ignore_boundary
        As in :func:`check_condition`.

    Returns
    -------
    TableCheck
        One row per claimed rest point; wrong rows carry a counterexample.
    """
    _, _, g = _model_parts(game)
    strategy = values if values is not None else parameter_values(game)
    rows = []
    for point, claim in claimed.items():
        if not isinstance(claim, Mapping):
            claim = {"condition": claim}
        unknown = set(claim) - {"eigenvalues", "condition", "verdict"}
        if unknown:
            raise ParameterError(f"row {point!r}: unknown claim key(s) {sorted(unknown)}")
        is_vertex = isinstance(point, tuple) and all(isinstance(s, str) for s in point)
        applies = None
        if is_vertex:
            truth_eigs = _vertex_eigenvalues(g, point)
            truth_cond = true_condition(g, point, "ess")
        else:
            truth_eigs, truth_cond, applies, residual = _nonvertex_truth(g, point)
            if residual:
                rows.append(RowCheck(point, False, "rest point",
                                     f"not a rest point: the replicator equations there are {residual}"))
                continue
        if "eigenvalues" in claim:
            rows.append(_check_eigenvalues(g, point, claim["eigenvalues"], truth_eigs, strategy, max_examples, seed))
        for key in ("condition", "verdict"):
            if key not in claim:
                continue
            if key == "verdict":
                verdict = str(claim[key]).strip().lower()
                if verdict not in _VERDICTS:
                    raise ParameterError(f"row {point!r}: unknown verdict {claim[key]!r} (known: {', '.join(sorted(_VERDICTS))})")
                cond = sympy.true if _VERDICTS[verdict] else sympy.false
                what = f"verdict {claim[key]}"
            else:
                cond = _as_condition(claim[key], g)
                what = f"stable iff {cond}"
            res = _compare(cond, truth_cond, g, "ess", strategy, max_examples, seed, ignore_boundary, applies=applies)
            msg = "no counterexample found" if res.ok else res.explain()
            rows.append(RowCheck(point, res.ok, what, msg, res.counterexample, res))
    return TableCheck(tuple(rows))


def _nonvertex_truth(game, point):
    """Exact eigenvalues and stability condition at a rest point off the vertices."""
    from .dynamics import ReplicatorDynamics

    dyn = ReplicatorDynamics(game)
    coords = {}
    pairs = point.items() if isinstance(point, Mapping) else point
    for k, v in pairs:
        name = k if isinstance(k, str) else k.name
        sym = next((s for s in dyn.state if s.name == name), None)
        if sym is None:
            raise UnknownNameError(f"unknown state variable {name!r} (state: {', '.join(s.name for s in dyn.state)})")
        if isinstance(v, str):
            coords[sym] = parse(v, {p.name: p.symbol for p in game.parameters})
        elif isinstance(v, float):
            coords[sym] = sympy.Rational(repr(v))
        else:
            coords[sym] = sympy.Integer(v) if isinstance(v, int) else v
    missing = [s.name for s in dyn.state if s not in coords]
    if missing:
        raise ParameterError(f"rest point {point!r} gives no coordinate for {', '.join(missing)}")
    residual = [sympy.simplify(eq.xreplace(coords)) for eq in dyn.equations]
    residual = [] if all(r == 0 for r in residual) else residual
    J = dyn.jacobian().xreplace(coords)
    eigs = []
    for val, mult in J.eigenvals().items():
        eigs.extend([val] * mult)
    # asymptotically stable iff every eigenvalue has a negative real part
    truth = sympy.And(*[sympy.StrictLessThan(sympy.re(ev), 0) for ev in eigs])
    # the claim speaks only where the point lies in the state space
    applies = sympy.And(*[sympy.And(c >= 0, c <= 1) for c in coords.values()])
    return eigs, truth, applies, residual


def _check_eigenvalues(game, point, claimed_eigs, truth_eigs, strategy, max_examples, seed):
    table = {p.name: p.symbol for p in game.parameters}
    claimed = [parse(e, table) if isinstance(e, str) else e for e in claimed_eigs]
    if len(claimed) != len(truth_eigs):
        return RowCheck(point, False, "eigenvalues",
                        f"{len(claimed)} eigenvalues claimed, the Jacobian has {len(truth_eigs)}")
    # exact multiset comparison first
    remaining = list(truth_eigs)
    unmatched = []
    for c in claimed:
        match = next((t for t in remaining if sympy.simplify(c - t) == 0), None)
        if match is None:
            unmatched.append(c)
        else:
            remaining.remove(match)
    if not unmatched:
        return RowCheck(point, True, "eigenvalues", "every claimed eigenvalue is exact")

    # counterexample: values where the sorted claimed and true spectra differ numerically
    def differs(d):
        vals = dict(d)
        a = sorted(complex(sympy.N(c.xreplace(vals))).real for c in claimed)
        b = sorted(complex(sympy.N(t.xreplace(vals))).real for t in truth_eigs)
        return any(abs(x - y) > 1e-9 * (1 + abs(y)) for x, y in zip(a, b))

    found = _search(strategy, differs, max_examples, seed)
    msg = (f"claimed eigenvalue(s) {', '.join(map(str, unmatched))} not in the true spectrum "
           f"{{{', '.join(map(str, truth_eigs))}}}")
    cex = {k.name if hasattr(k, "name") else k: v for k, v in found.items()} if found is not None else None
    if cex:
        msg += "; they differ at " + ", ".join(f"{k} = {v}" for k, v in sorted(cex.items()))
    return RowCheck(point, False, "eigenvalues", msg, cex)


@dataclass(frozen=True)
class SimulationCheck:
    """Whether simulated trajectories go where a paper says they go."""

    ok: bool
    claimed: Any
    share: float
    outcomes: dict
    starts: int
    message: str

    def __bool__(self):
        return self.ok

    def assert_ok(self):
        if not self.ok:
            raise AssertionError(self.message)


def check_simulation(
    game,
    values,
    claimed_outcome,
    *,
    starts: int = 200,
    t_max: float = 200.0,
    share: float = 1.0,
    rng=None,
    tol: float = 1e-3,
) -> SimulationCheck:
    """Simulate from random interior starts and check that the claimed outcome is reached.

    Parameters
    ----------
    game : Game or Model
    values : mapping
        Parameter values of the simulation.
    claimed_outcome : tuple of str
        The pure profile the trajectories are claimed to approach.
    starts : int
        Number of random interior initial states.
    t_max : float
        Integration horizon.
    share : float
        The share of starts that must reach the outcome for the claim to pass (``1.0``: all).
    rng : numpy Generator or int, optional
        Source of the initial states.
    tol : float
        Distance to the vertex (max norm) counted as having arrived.
    """
    from .dynamics import ReplicatorDynamics
    from .dynamics.simulate import sample_states

    _, _, g = _model_parts(game)
    target = g.profile_names(claimed_outcome)
    dyn = ReplicatorDynamics(g)
    initial = sample_states(dyn, starts, rng)
    traj = dyn.simulate(values, initial, t_max, limit_tol=tol)
    hit = traj.converged_to(target)
    outcomes: dict = {}
    for lim in traj.limits:
        key = lim.label() if lim is not None else "no rest point reached"
        outcomes[key] = outcomes.get(key, 0) + 1
    got = float(hit.mean())
    ok = got >= share - 1e-12
    msg = (f"{got:.1%} of {starts} starts reach ({', '.join(target)}) by t = {t_max} "
           f"(required {share:.0%}); outcomes: {outcomes}")
    return SimulationCheck(ok, target, got, outcomes, starts, msg)
