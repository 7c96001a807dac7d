"""A study computes every analysis of a report once; the report renders it and computes nothing.

The scenario of these tests is derived by hand. School (deep/shallow) and enterprise
(participate/nominal), cost C = 1, a subsidy s to a participating enterprise and a penalty f on
a shallow school, both at level 0 in the status quo. With the instruments the payoffs are

    (deep, participate): 2, 2 - C + s      (deep, nominal): -1, 0
    (shallow, participate): 3 - f, -C + s  (shallow, nominal): -f, 0

so the school gains 2 - (3 - f) = f - 1 from going deep against a participating enterprise and
-1 - (-f) = f - 1 against a nominal one: whatever the enterprise does, deep is better exactly for
f > 1. The enterprise gains s + 1 from participating against a deep school and s - 1 against a
shallow one (C = 1).
"""

import sympy
from test_analysis_figures import _two_instrument_scenario

from coopgame.analysis.study import REGIME_POINTS, study
from coopgame.dynamics import ReplicatorDynamics
from coopgame.dynamics.stability import Stability, StabilityTable


def _study():
    return study(_two_instrument_scenario())


def test_the_sensitivity_runs_switch_where_the_derivation_says():
    s = _study()
    runs = {r.parameter.name: r for r in s.sensitivity}
    assert set(runs) == {"s", "f"} and all(r.error is None for r in runs.values())
    # f: the target's threshold is f > 1 (school's gain f - 1); levels 0 .. 2 * 1 in five steps
    assert runs["f"].levels == (0, sympy.Rational(1, 2), 1, sympy.Rational(3, 2), 2)
    # from every share 1/2 the school goes deep iff f > 1 (its gain does not depend on the
    # enterprise), so the limit changes at f = 1 and nowhere else
    assert [w.value for w in runs["f"].result.switches] == [1]
    # s at f = 0: the school goes shallow, where the enterprise participates iff s - 1 > 0; the
    # target is never stable (no finite threshold), so the range is 0 .. 4 (lo + 2 * 2)
    assert (runs["s"].lo, runs["s"].hi) == (0, 4)
    assert [w.value for w in runs["s"].result.switches] == [1]


def test_the_bifurcation_is_in_the_main_parameter_over_its_run():
    s = _study()
    # no policy level is given, so the main parameter is the last instrument parameter, f
    assert s.main.parameter.name == "f" and (s.bifurcation.lo, s.bifurcation.hi) == (0, 2)
    assert s.bifurcation.critical == (1,)
    events = {e.branch: (e.before, e.after) for e in s.bifurcation.events}
    # the vertex eigenvalues are the deviation gains of the unused strategies: at the target
    # 1 - f and -1 (a saddle below f = 1, stable above); at (shallow, nominal) f - 1 and -1
    assert events["(deep, participate)"] == (Stability.SADDLE, Stability.ASYMPTOTICALLY_STABLE)
    assert events["(shallow, nominal)"] == (Stability.ASYMPTOTICALLY_STABLE, Stability.SADDLE)


def test_the_regime_map_counts_match_the_exact_regions():
    rm = _study().regime
    assert rm.instruments == ("subsidy", "penalty") and rm.swept == ["s", "f"]
    n = REGIME_POINTS
    assert all(len(v) == n for v in rm.grid.values())
    # boundaries: the school's gain f - 1 and the enterprise's gain s - 1 against a shallow school
    assert {str(c) for c in rm.curves} == {"f - 1", "s - 1"}
    counts = {tuple(sorted(r.stable)): c for r, c in rm.sweep.counts().items()}
    # both axes 0 .. 2 in steps of 1/20: 20 levels below 1, the level 1, 20 above
    assert counts[(("deep", "participate"),)] == 20 * n  # f > 1, any s
    assert counts[(("shallow", "participate"),)] == 20 * 20  # f < 1, s > 1
    assert counts[(("shallow", "nominal"),)] == 20 * 20  # f < 1, s < 1
    assert counts[()] == n + 20  # on f = 1, or on s = 1 with f < 1: non-hyperbolic, none stable


def test_the_case_table_is_that_of_the_status_quo_table():
    s = _study()
    assert s.cases_error is None
    assert s.cases == s.status.stability.cases(assumptions=s.assumptions)


def test_study_keeps_errors_of_its_parts_instead_of_failing(monkeypatch):
    from coopgame.core.errors import CoopgameError

    def refuse(self, *a, **k):
        raise CoopgameError("planted failure")

    monkeypatch.setattr(ReplicatorDynamics, "bifurcation", refuse)
    s = _study()
    assert s.bifurcation is None and s.bifurcation_error == "planted failure"
    assert all(r.result is not None for r in s.sensitivity)


def test_the_report_renders_a_study_without_computing(monkeypatch, tmp_path):
    from coopgame.report.analysis_section import analysis_section

    s = _study()

    def computed(name):
        def refuse(*a, **k):
            raise AssertionError(f"the report computed {name}")
        return refuse

    for cls, name in [(ReplicatorDynamics, "sensitivity"), (ReplicatorDynamics, "bifurcation"),
                      (ReplicatorDynamics, "stability"), (StabilityTable, "cases")]:
        monkeypatch.setattr(cls, name, computed(name))
    results = {}
    md = "\n".join(analysis_section(tmp_path, s, results=results))
    assert "Switching values of f: 1." in md and "Critical values: 1." in md
    assert results["bifurcation"]["critical"] == ["1"]
    assert (tmp_path / "figures" / "sensitivity_f.png").is_file()


def _with_sweep(*axes):
    import dataclasses

    from coopgame.scenario import parse_grid

    sc = _two_instrument_scenario()
    return dataclasses.replace(sc, analyses=dataclasses.replace(sc.analyses, sweep=tuple(map(parse_grid, axes))))


def test_a_scenario_sweep_grid_chooses_the_map_and_its_instruments():
    rm = study(_with_sweep("f=0:2:5", "C=1/2:3/2:3"), sensitivity=False).regime
    # only the penalty's parameter is swept, so only the penalty is applied; s is absent
    assert rm.instruments == ("penalty",) and rm.grid["f"] == [0, sympy.Rational(1, 2), 1, sympy.Rational(3, 2), 2]
    assert "s" not in {p.name for p in rm.game.parameters}
    # without the subsidy the enterprise gains 2 - C from participating with a deep school and
    # -C with a shallow one; the school's gain from going deep is f - 1: the target is stable
    # exactly where f > 1 and C < 2, i.e. at f in {3/2, 2} for every C of the grid
    counts = {tuple(sorted(r.stable)): c for r, c in rm.sweep.counts().items()}
    assert counts[(("deep", "participate"),)] == 2 * 3


def test_an_unknown_sweep_axis_is_named_and_the_report_writes_nothing(tmp_path):
    import pytest

    from coopgame.core.errors import UnknownNameError
    from coopgame.report.document import write_report

    sc = _with_sweep("f=0:2:5", "zz=0:1:3")
    with pytest.raises(UnknownNameError, match="'zz'"):
        study(sc, sensitivity=False)
    out = tmp_path / "report"
    with pytest.raises(UnknownNameError, match="'zz'"):
        write_report(sc, out, progress=False)
    assert not out.exists() and list(tmp_path.iterdir()) == []
