"""The analysis pipeline: an Analysis keeps what it built, and a report reads it."""

import collections

import pytest

from coopgame import models
from coopgame.analysis.pipeline import TrajectorySpec, analyze
from coopgame.dynamics import ReplicatorDynamics
from coopgame.report.document import write_report


@pytest.fixture
def derivations(monkeypatch):
    """Count the replicator systems built, per game (structural equality)."""
    counts = collections.Counter()
    real = ReplicatorDynamics.__init__

    def spy(self, game):
        counts[game] += 1
        real(self, game)

    monkeypatch.setattr(ReplicatorDynamics, "__init__", spy)
    return counts


def test_a_report_derives_each_replicator_system_once(tmp_path, derivations):
    pytest.importorskip("matplotlib")
    write_report(models.get("school_enterprise"), tmp_path / "report", starts=4, t_max=5)
    assert derivations, "the report analyses the dynamics"
    assert max(derivations.values()) == 1, {str(g): n for g, n in derivations.items() if n > 1}
    # The symbolic systems a report of school_enterprise needs (derived in a fresh process): the
    # status quo (8 parameters), the game with every instrument (12), the one with the public
    # instruments s and tau (10), and the bifurcation diagram's system in its one parameter (the
    # others substituted). A game an earlier test of this process derived keeps its system (games
    # are immutable and cache it), so the others may already exist: the report builds a subset,
    # each at most once, and always the bifurcation system (new to every report).
    symbolic = sorted(len(g.free_symbols) for g in derivations if not g.is_numeric)
    assert set(symbolic) <= {8, 12, 10, 1} and len(symbolic) == len(set(symbolic))
    assert symbolic[0] == 1


def test_an_analysis_keeps_its_system_and_trajectories(derivations):
    model = models.get("school_enterprise")
    a = analyze(model, policy="all", trajectories=TrajectorySpec(starts=3, seed=1, t_max=5))
    assert a.dynamics is a.game.replicator()
    assert a.trajectories is not None and a.trajectories.states.shape[0] == 3
    # the limits the trajectories reached are rest points of the table at the values
    points = {row.point for row in a.stability_at_values.rows}
    assert all(limit is None or limit in points for limit in a.trajectories.limits)
    assert max(derivations.values()) == 1
