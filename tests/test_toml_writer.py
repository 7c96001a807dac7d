"""Why scenario files are written by coopgame's own TOML writer and not by tomli-w.

Each test states a property the scenario writer needs and shows that tomli-w does not have it
(the tests are skipped where tomli-w is not installed)."""

from __future__ import annotations

import sys

import pytest

from coopgame import models
from coopgame.errors import ScenarioError
from coopgame.scenario import Scenario, dumps, toml_dumps

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

tomli_w = pytest.importorskip("tomli_w")


def test_hand_edited_files_keep_small_tables_on_one_line():
    text = dumps(Scenario.from_model(models.get("school_enterprise")))
    data = tomllib.loads(text)
    other = tomli_w.dumps(data)
    assert tomllib.loads(other) == data  # the same data ...
    # ... but a named domain (a rate in [0, 1)) becomes a section of its own instead of one line
    assert "[instrument_parameters.tau.domain]" in other and "[instrument_parameters.tau.domain]" not in text
    line = next(x for x in text.splitlines() if x.startswith("domain = {"))
    assert "name = " in line and "interval = " in line


def test_integers_outside_64_bits_are_refused():
    big = 2**70  # TOML 1.0: integers are 64-bit; a reader must reject what it cannot store losslessly
    assert str(big) in tomli_w.dumps({"a": big})
    with pytest.raises(ScenarioError, match="too large for TOML"):
        toml_dumps({"a": big})


def test_a_lone_surrogate_is_refused_by_name():
    text = tomli_w.dumps({"a": "x\ud800"})
    with pytest.raises(UnicodeEncodeError):
        text.encode("utf-8")  # tomli-w's output cannot be written to a UTF-8 file
    with pytest.raises(ScenarioError, match="lone surrogate"):
        toml_dumps({"a": "x\ud800"})
