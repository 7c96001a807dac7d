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
    # at most one symbolic system per analysis (status quo, every instrument; a catalogue game
    # derived by an earlier test keeps its system); numeric ones once per value set
    symbolic = [g for g in derivations if not g.is_numeric]
    assert 1 <= len(symbolic) <= 2


def test_an_analysis_keeps_its_system_and_trajectories(derivations):
    model = models.get("school_enterprise")
    a = analyze(model, policy="all", trajectories=TrajectorySpec(starts=3, seed=1, t_max=5))
    assert a.dynamics is a.game.replicator()
    assert a.trajectories is not None and a.trajectories.states.shape[0] == 3
    # the limits the trajectories reached are rest points of the table at the values
    points = {row.point for row in a.stability_at_values.rows}
    assert all(limit is None or limit in points for limit in a.trajectories.limits)
    assert max(derivations.values()) == 1
