"""Test configuration: a deterministic hypothesis profile, so that every run is reproducible, and
the doctests of documentation pages that take long marked ``slow`` (``pytest -m slow`` runs them)."""

import os

import pytest
from hypothesis import HealthCheck, settings

#: Documentation pages whose examples run long searches; CI runs them with ``pytest -m slow``.
SLOW_DOCTESTS = {"verify-a-stability-table.md"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.name in SLOW_DOCTESTS or item.name.split("::")[-1] in SLOW_DOCTESTS:
            item.add_marker(pytest.mark.slow)

settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=50,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile("dev", derandomize=True, deadline=None, max_examples=50,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("explore", deadline=None, max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
