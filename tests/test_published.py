"""Every reproduction under papers/published/ re-runs: its claims file, checked against its
scenario file, is confirmed claim by claim (the expected verdicts are derived in each README)."""

from __future__ import annotations

from pathlib import Path

import pytest

from coopgame import scenario
from coopgame.claims import load, verify
from coopgame.dynamics import ReplicatorDynamics, Stability

PUBLISHED = Path(__file__).resolve().parent.parent / "papers" / "published"
FOLDERS = sorted(p.name for p in PUBLISHED.iterdir() if (p / "claims.toml").is_file())


def test_there_are_reproductions():
    assert FOLDERS == ["hei_graduate"]


@pytest.mark.slow
@pytest.mark.parametrize("folder", FOLDERS)
def test_every_claim_of_the_publication_is_confirmed(folder):
    model = scenario.load(PUBLISHED / folder / "scenario.toml")
    report = verify(model, load(PUBLISHED / folder / "claims.toml"), max_examples=30)
    assert report.results and report.ok, report.to_markdown()


def test_hei_graduate_baseline_table():
    # README: eigenvalues -25, -20 at (1, 1) and (0, 0); 25, 20 at (1, 0) and (0, 1) (sources);
    # the interior point (1/2, 1/2) is a saddle.
    model = scenario.load(PUBLISHED / "hei_graduate" / "scenario.toml")
    table = ReplicatorDynamics(model.game).stability(model.game.defaults())
    verdicts = {row.point.profile: row.stability for row in table if row.point.profile is not None}
    assert verdicts[("expand", "enroll")] is Stability.ASYMPTOTICALLY_STABLE
    assert verdicts[("keep", "not_enroll")] is Stability.ASYMPTOTICALLY_STABLE
    assert verdicts[("expand", "not_enroll")] is Stability.UNSTABLE
    assert verdicts[("keep", "enroll")] is Stability.UNSTABLE
    assert any(row.stability is Stability.SADDLE for row in table)
