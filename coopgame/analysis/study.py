"""A study of a scenario: every analysis a report shows, computed once and kept as results.

:func:`study` runs the pipeline's analyses of a scenario (:func:`~coopgame.analysis.pipeline.analyze`
of the status quo and, with instruments, of every instrument applied) and what a paper's analysis
section adds to them: the case table of the status quo under the model's assumptions, a
sensitivity run of the dynamics at five exact levels of each instrument parameter, the
bifurcation of the rest points in the main instrument, and a regime map with its exact
boundaries. A :class:`Study` holds the finished results; ``coopgame report`` renders one and
computes nothing itself.

Examples
--------
>>> from coopgame import models
>>> s = study(models.get("government_school_enterprise"))
>>> s.with_policy.policy
('tax_relief', 'fund_guarantee', 'publicity', 'rectification')
>>> [(run.parameter.name, [str(w.value) for w in run.result.switches]) for run in s.sensitivity]
[('tau', ['1/6', '2/3']), ('s', ['1', '4']), ('r', ['1', '8']), ('P', ['1', '2', '8'])]
>>> s.main.parameter.name, s.main.levels, s.bifurcation.critical
('s', (0, 2, 4, 6, 8), (1, 2, 4))
>>> s.regime
RegimeMap(instruments=('tax_relief', 'fund_guarantee'), axes=tau [0, 1] x 41, s [0, 8] x 41, curves=(s + 6*tau - 4, s + 6*tau - 1))
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import sympy

from ..core.errors import CoopgameError, DegenerateGameWarning, IncompleteSearchWarning, UnknownNameError
from .pipeline import Analysis, TrajectorySpec, analyze, as_scenario
from .regimes import regime_curves

__all__ = ["RegimeMap", "SensitivityRun", "Study", "SENSITIVITY_LEVELS", "study"]

#: Levels of each instrument parameter in the sensitivity runs.
SENSITIVITY_LEVELS = 5
#: Points per axis of a regime map chosen from the thresholds (no sweep grid in the scenario).
REGIME_POINTS = 41


@dataclass(frozen=True)
class SensitivityRun:
    """The sensitivity of the dynamics to one instrument parameter.

    Attributes
    ----------
    parameter : Parameter
    levels : tuple of sympy.Rational
        The exact levels, from ``lo`` to ``hi``.
    lo, hi : sympy.Rational
        The range: the domain's lower end to twice the larger of the policy level and the
        target's exact threshold.
    result : Sensitivity or None
        The runs (:meth:`~coopgame.dynamics.replicator.ReplicatorDynamics.sensitivity`); None
        when they could not be computed.
    error : str or None
        Why not.
    """

    parameter: object
    levels: tuple = ()
    lo: object = None
    hi: object = None
    result: object = None
    error: str | None = None


@dataclass(frozen=True, eq=False)
class RegimeMap:
    """Which pure profiles are asymptotically stable on a grid of two parameters.

    Attributes
    ----------
    game : Game
        The game swept (the instruments applied).
    instruments : tuple of str
        The instruments applied.
    grid : dict
        Parameter name -> its exact values.
    fixed : dict
        Values of the other parameters (by name).
    sweep : SweepResult
    curves : tuple of sympy.Expr
        The exact boundaries (zero sets of deviation gains; :func:`~coopgame.analysis.regimes.regime_curves`);
        empty unless exactly two axes are swept.
    """

    game: object
    instruments: tuple
    grid: dict
    fixed: dict
    sweep: object
    curves: tuple = ()

    def __repr__(self) -> str:
        axes = ", ".join(f"{k} [{v[0]}, {v[-1]}] x {len(v)}" for k, v in self.grid.items())
        return f"RegimeMap(instruments={self.instruments!r}, axes={axes}, curves={self.curves!r})"

    @property
    def swept(self) -> list:
        """The names of the axes with more than one value."""
        return [k for k, v in self.grid.items() if len(v) > 1]


@dataclass(frozen=True, eq=False)
class Study:
    """Everything a report shows about a scenario.

    Attributes
    ----------
    scenario : Scenario
    values : dict
        The parameter values given (overrides of the scenario's).
    status : Analysis
        The status quo (no instrument).
    with_policy : Analysis or None
        Every instrument applied (None without instruments).
    cases : CaseTable or None
        The status quo's stability cases under :attr:`assumptions` (None when not computed:
        :attr:`cases_error` says why).
    cases_error : str or None
    assumptions : tuple
        The assumptions of the case table (those given, else the catalogue model's).
    sensitivity : tuple of SensitivityRun
        One per instrument parameter present in the policy game (empty when not requested).
    main : SensitivityRun or None
        The run of the main instrument parameter (the one with a policy level, else the last),
        whose range the bifurcation covers.
    bifurcation : Bifurcation or None
    bifurcation_error : str or None
    regime : RegimeMap or None
    """

    scenario: object
    values: dict
    status: Analysis
    with_policy: Analysis | None = None
    cases: object = None
    cases_error: str | None = None
    assumptions: tuple = ()
    sensitivity: tuple = ()
    main: SensitivityRun | None = None
    bifurcation: object = None
    bifurcation_error: str | None = None
    regime: RegimeMap | None = None

    @property
    def analyses(self) -> list:
        """``[(key, heading, Analysis), ...]``: the status quo and, with instruments, the policy."""
        out = [("status_quo", "Status quo (no policy)", self.status)]
        if self.with_policy is not None:
            levels = ", ".join(f"{k} = {v}" for k, v in self.scenario.policy_levels) or "the defaults"
            out.append(("with_policy", f"With every instrument (levels: {levels})", self.with_policy))
        return out


def study(obj, values=None, *, symbolic: bool = True, trajectories: TrajectorySpec | None = None,
          assumptions=(), cases: bool = True, sensitivity: bool = True, bifurcation: bool = True,
          regime: bool = True, t_max=None, progress=None) -> Study:
    """Run every analysis of a report on a scenario, catalogue model or game.

    Parameters
    ----------
    obj : Scenario, Model or Game
    values : mapping, optional
        Parameter values overriding the scenario's (instrument parameters apply with their
        instruments only).
    symbolic : bool
        Include the exact stability conditions (and so the case table).
    trajectories : TrajectorySpec, optional
        Simulate both analyses from random starts.
    assumptions : sequence, optional
        Assumptions of the case table; by default those of the catalogue model the scenario was
        made from.
    cases, sensitivity, bifurcation, regime : bool
        Which of the parts beyond the two analyses to compute (the sensitivity runs, the
        bifurcation and the regime map need instruments; the bifurcation covers the range of
        the main parameter's sensitivity run, so it needs ``sensitivity``).
    t_max : number, optional
        Time horizon of the sensitivity runs (default: that of ``trajectories``, else 50).
    progress : callable, optional
        Called with no argument after each of the two analyses (a progress bar's step).

    Raises
    ------
    UnknownNameError, ParameterError
        As :func:`~coopgame.analysis.pipeline.analyze`; a sweep axis of the scenario that is not
        a parameter of the game or its instruments.

    Errors of the case table, of a sensitivity run or of the bifurcation do not stop the study:
    they are kept in the result (``cases_error``, ``SensitivityRun.error``,
    ``bifurcation_error``).
    """
    scenario = as_scenario(obj)
    values = dict(values or {})
    if t_max is None:
        t_max = trajectories.t_max if trajectories is not None else 50.0
    status, with_policy = _analyses(scenario, values, symbolic, trajectories, progress)
    if not assumptions:
        assumptions = _catalogue_assumptions(scenario)
    table, table_error = _cases(status, assumptions) if cases and symbolic else (None, None)
    runs, main, bif, bif_error = (), None, None, None
    if sensitivity and scenario.instruments:
        runs, main, bif, bif_error = _sensitivity_and_bifurcation(scenario, values, status, with_policy,
                                                                  bifurcation, float(t_max))
    regime_map = _regime_map(scenario, status, values) if regime else None
    return Study(scenario=scenario, values=values, status=status, with_policy=with_policy, cases=table,
                 cases_error=table_error, assumptions=tuple(assumptions), sensitivity=runs, main=main,
                 bifurcation=bif, bifurcation_error=bif_error, regime=regime_map)


def _analyses(scenario, values, symbolic, trajectories, progress):
    """The pipeline's analyses of the status quo and (with instruments) of every instrument."""
    flags = {"equilibria": scenario.analyses.equilibria, "stability": scenario.analyses.stability,
             "trajectories": trajectories}
    # instrument levels (``s``) enter the analysis with every instrument, not the status quo
    status_values = {k: v for k, v in values.items() if not scenario.owners(getattr(k, "name", k))}
    status = analyze(scenario, status_values, symbolic=symbolic, thresholds=scenario.analyses.thresholds, **flags)
    if progress is not None:
        progress()
    with_policy = None
    if scenario.instruments:
        with_policy = analyze(scenario, values, policy="all", symbolic=symbolic, thresholds=False, **flags)
        if progress is not None:
            progress()
    return status, with_policy


def _catalogue_assumptions(scenario) -> tuple:
    """The assumptions of the catalogue model the scenario was made from (same name and game)."""
    from .. import models

    if scenario.name not in models.names():
        return ()
    model = models.get(scenario.name)
    return tuple(model.assumptions) if model.game == scenario.game else ()


def _cases(status, assumptions):
    """``(table, None)``: the status quo's case table, or ``(None, why)``."""
    try:
        table = status.stability
        if table is None:  # the scenario asked for no stability table: derive it here
            table = status.game.replicator().stability(include="vertices")
        return table.cases(assumptions=assumptions), None
    except CoopgameError as exc:
        return None, str(exc)


def _policy_setting(scenario, values, with_policy):
    """``(game, dynamics, values, parameters)`` of the sensitivity runs: the policy game of the
    analysis ``with_policy``, its replicator system (the game's own, derived once), the values of
    its parameters and its instrument parameters."""
    game = with_policy.game
    rdp = game.replicator()
    vals = scenario.values(values, policy=False)
    present = {p.name: p for p in game.parameters}
    vals = {k: v for k, v in vals.items() if k.name in present}
    params = [p for p in scenario.instrument_parameters if p.name in present]
    return game, rdp, vals, params


def _sensitivity_and_bifurcation(scenario, values, status, with_policy, bifurcation, t_max):
    """The sensitivity runs of every instrument parameter, the main one, and the bifurcation
    (or its error) in the main one over that run's range."""
    game, rdp, vals, params = _policy_setting(scenario, values, with_policy)
    runs, main, bif, bif_error = [], None, None, None
    if not params:
        return (), None, None, None
    start = [[sympy.Rational(1, 2)] * len(rdp.state)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        warnings.simplefilter("ignore", IncompleteSearchWarning)
        for p in params:
            run = _sensitivity_run(p, scenario, game, rdp, vals, status, values, start, t_max)
            runs.append(run)
            if run.result is None:
                continue
            if main is None and (any(k == p.name for k, _ in scenario.policy_levels) or p is params[-1]):
                main = run
        if main is not None and bifurcation:
            p = main.parameter
            try:
                others = {k: v for k, v in vals.items() if k != p.symbol}
                bif = rdp.bifurcation(p.name, others, lo=main.lo, hi=main.hi)
            except CoopgameError as exc:
                bif_error = str(exc)
    return tuple(runs), main, bif, bif_error


def _sensitivity_run(p, scenario, game, rdp, vals, status, overrides, start, t_max) -> SensitivityRun:
    try:
        known = _known_threshold(p, scenario, game, vals, status, overrides)
        levels, lo, hi = _levels(p, scenario, game, vals, known)
        res = rdp.sensitivity(p.name, levels, vals, start, t_max)
    except CoopgameError as exc:
        return SensitivityRun(parameter=p, error=str(exc))
    return SensitivityRun(parameter=p, levels=tuple(levels), lo=lo, hi=hi, result=res)


def _levels(param, scenario, game, values, known=None):
    """Five exact levels from the domain's lower end to twice the larger of the policy level and
    the exact threshold of the target (4 when neither is finite).

    ``known`` is a threshold of ``param`` the pipeline already holds for the same substituted game
    (see :func:`_known_threshold`); without one the threshold is derived here.
    """
    from .sweep import exact_linspace
    from .thresholds import minimum_instrument

    lo = param.domain.interval.inf
    lo = sympy.Integer(0) if not lo.is_finite else lo
    marks = [sympy.Rational(v) for k, v in scenario.policy_levels if k == param.name]
    if scenario.target:
        try:
            if known is not None:
                t = known
            else:
                others = {k: v for k, v in values.items() if k != param.symbol}
                t = minimum_instrument(game, scenario.target, param.name, others)
            for b in (t.infimum, t.supremum):
                if b.is_number and b.is_finite:
                    marks.append(b)
        except CoopgameError:
            pass
    top = max([m for m in marks if m > lo] or [lo + 2])
    hi = lo + 2 * (top - lo)
    if param.domain.interval.sup.is_finite:
        hi = min(hi, param.domain.interval.sup)
    return [sympy.Rational(str(v)) for v in exact_linspace(lo, hi, SENSITIVITY_LEVELS)], lo, hi


def _same_substituted(g1, v1, g2, v2) -> bool:
    """Whether two games have the same players, strategies and, with their values substituted,
    exactly the same payoffs (so every condition derived from them is the same)."""
    if g1.players != g2.players or g1.strategy_lists != g2.strategy_lists:
        return False
    t1, t2 = g1.payoff_table(), g2.payoff_table()
    if t1.keys() != t2.keys():
        return False
    return all(sympy.expand(sympy.sympify(a, strict=True).xreplace(v1) - sympy.sympify(b, strict=True).xreplace(v2)) == 0
               for k in t1 for a, b in zip(t1[k], t2[k]))


def _known_threshold(param, scenario, game, values, status, overrides):
    """The threshold of ``param`` the status-quo analysis already derived, when it answers the
    question :func:`_levels` asks: the target's stabilising levels of ``param`` in ``game`` with
    the other parameters at ``values``. Else None (and :func:`_levels` derives it).

    The pipeline solved each instrument alone (its game ``scenario.with_policy(name)``, the
    other parameters at the status-quo analysis values); it is the same threshold exactly when
    that game, with its values substituted, has the same payoffs as ``game`` with ``values``
    substituted (the other instruments vanishing at theirs).
    """
    if status is None or not status.thresholds:
        return None
    # the status-quo analysis ran without the values of instrument parameters (those enter with
    # their instruments only); its thresholds took the scenario's values for them
    status_overrides = {k: v for k, v in (overrides or {}).items() if not scenario.owners(getattr(k, "name", k))}
    try:
        base = scenario.values(status_overrides)
    except CoopgameError:
        return None
    if any(base.get(k) != v for k, v in status.values.items()):
        return None  # the status-quo analysis used other values: do not guess
    mine = {k: v for k, v in values.items() if k != param.symbol}
    for t in status.thresholds:
        if t.parameter != param.name:
            continue
        single = scenario.with_policy(t.instrument)
        present = {p.name: p for p in single.parameters}
        if present.get(param.name) != param:
            continue
        fixed = {k: v for k, v in base.items() if k.name in present and k.name != param.name}
        if _same_substituted(single, fixed, game, mine):
            return t.threshold
    return None


def _axis_range(param, threshold, scenario):
    """A grid range for an instrument parameter: its domain, cut at twice the interesting levels."""
    iv = param.domain.interval
    low = iv.inf if iv.inf.is_finite else sympy.Integer(0)
    marks = [sympy.Integer(1)]
    for v in (threshold.infimum, threshold.supremum, dict(scenario.policy_levels).get(param.name), param.default):
        if v is not None and isinstance(v, sympy.Basic) and v.is_number and v.is_finite:
            marks.append(v)
        elif isinstance(v, (int, float)):
            marks.append(sympy.Rational(str(v)))
    high = iv.sup if iv.sup.is_finite else 2 * max(marks)
    if iv.inf.is_finite and getattr(iv, "left_open", False):
        low = low + (high - low) / 100
    if iv.sup.is_finite and getattr(iv, "right_open", False):
        high = high - (high - low) / 100
    return low, high


def _regime_grid(scenario, status):
    """``(instrument names, grid)`` of the regime map: the scenario's sweep grid (with the
    instruments whose parameters it sweeps), else the first two instrument parameters with a
    threshold, over their ranges; None when there are not two."""
    axes = scenario.analyses.sweep
    if axes:
        grid = {ax.name: ax.values() for ax in axes}
        inst_params = {n: {p.name for p in scenario.with_policy(n).parameters} - {p.name for p in scenario.game.parameters}
                       for n in scenario.instrument_names}
        return tuple(n for n in scenario.instrument_names if inst_params[n] & set(grid)), grid, None
    chosen, seen = [], set()
    for t in status.thresholds:
        if t.parameter not in seen:
            chosen.append(t)
            seen.add(t.parameter)
        if len(chosen) == 2:
            break
    if len(chosen) < 2:
        return None
    return tuple(dict.fromkeys(t.instrument for t in chosen)), None, chosen


def _regime_map(scenario, status, overrides) -> RegimeMap | None:
    """The regime map of the scenario (None when it has neither a sweep grid nor two
    instrument parameters with thresholds)."""
    from .sweep import sweep

    chosen_grid = _regime_grid(scenario, status)
    if chosen_grid is None:
        return None
    names, grid, chosen = chosen_grid
    game = scenario.with_policy(*names) if names else scenario.game
    params = {p.name: p for p in game.parameters}
    if grid is None:
        grid = {}
        for t in chosen:
            low, high = _axis_range(params[t.parameter], t.threshold, scenario)
            n = REGIME_POINTS - 1
            grid[t.parameter] = [low + k * (high - low) / n for k in range(n + 1)]
    unknown = [k for k in grid if k not in params]
    if unknown:
        raise UnknownNameError(f"sweep axis {unknown[0]!r} is not a parameter of the game or its instruments")
    fixed = {k.name: v for k, v in scenario.values(overrides).items() if k.name in params and k.name not in grid}
    result = sweep(game, grid, fixed, progress=False)
    two = sum(len(v) > 1 for v in grid.values()) == 2
    curves = tuple(regime_curves(game, grid, fixed)) if two else ()
    return RegimeMap(game=game, instruments=names, grid=grid, fixed=fixed, sweep=result, curves=curves)
