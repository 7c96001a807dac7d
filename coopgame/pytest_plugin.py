"""A pytest plugin: fixtures that turn coopgame's claim checkers into assertions.

Installed with coopgame (entry point ``pytest11``), so the fixture is available in any test
suite; a test of a published result is three lines::

    def test_published_table(coopgame_verify):
        game = my_model()
        coopgame_verify.condition(game, ("deep", "participate"), "S > C_e - R_e", kind="ess")

Each method runs the checker of :mod:`coopgame.testing` with the seed and budget set by the
command-line options ``--coopgame-seed`` (default 0) and ``--coopgame-examples`` (default 300),
and fails the test with the counterexample when the claim is wrong.
"""

from __future__ import annotations

import pytest

__all__ = ["Verifier", "coopgame_verify"]


class Verifier:
    """Assertion helpers around :mod:`coopgame.testing` (what the ``coopgame_verify`` fixture gives)."""

    def __init__(self, seed: int = 0, max_examples: int = 300):
        self.seed = seed
        self.max_examples = max_examples

    def condition(self, game, profile, claimed, kind: str = "ess", **kwargs):
        """Assert that ``claimed`` is the exact condition for ``profile`` (see ``check_condition``)."""
        from .testing import check_condition

        kwargs.setdefault("seed", self.seed)
        kwargs.setdefault("max_examples", self.max_examples)
        result = check_condition(game, profile, claimed, kind, **kwargs)
        result.assert_ok()
        return result

    def table(self, game, claimed, **kwargs):
        """Assert that every row of a claimed stability table is right (see ``check_stability_table``)."""
        from .testing import check_stability_table

        kwargs.setdefault("seed", self.seed)
        kwargs.setdefault("max_examples", self.max_examples)
        result = check_stability_table(game, claimed, **kwargs)
        result.assert_ok()
        return result

    def simulation(self, game, values, outcome, **kwargs):
        """Assert that simulations go to ``outcome`` (see ``check_simulation``)."""
        from .testing import check_simulation

        kwargs.setdefault("rng", self.seed)
        result = check_simulation(game, values, outcome, **kwargs)
        result.assert_ok()
        return result


def pytest_addoption(parser):
    group = parser.getgroup("coopgame")
    group.addoption("--coopgame-seed", type=int, default=0, help="seed of coopgame's claim checkers")
    group.addoption("--coopgame-examples", type=int, default=300,
                    help="example budget of coopgame's claim checkers")


@pytest.fixture
def coopgame_verify(request) -> Verifier:
    """A :class:`Verifier` using the session's ``--coopgame-seed`` and ``--coopgame-examples``."""
    return Verifier(request.config.getoption("--coopgame-seed"), request.config.getoption("--coopgame-examples"))
