"""The module maps name every module where it lives.

Three maps describe the package's layout: the table of ``docs/explanation/architecture.md``
("Where each module lives", one row per module with its layer), the module map of the package
docstring (``coopgame.__doc__``) and the table of the ground floor (``coopgame.core.__doc__``).
A module added without a row, or a row whose layer is not the one the layer test
(``tests/test_architecture.py``) checks its imports against, fails here.
"""

import re
from pathlib import Path

from test_architecture import PACKAGE, _layer

import coopgame
import coopgame.core

ARCHITECTURE = PACKAGE.parent / "docs" / "explanation" / "architecture.md"

#: The layer names of the architecture page, in the order of ``tests/test_architecture.py``.
LAYER_NUMBERS = {"command": 0, "report": 1, "findings": 2, "pipeline": 3, "catalogue": 4, "analyses": 5,
                 "algorithms": 6, "instruments": 7, "ground floor": 8}


def _modules():
    """Package-relative paths of every module file (``__init__.py`` files gather names, they are no module of their own)."""
    return sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py") if p.name != "__init__.py")


def _module_rows():
    """``{module path: layer name}`` from the rows of the page's "Where each module lives" table."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    section = text.split("## Where each module lives", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] in LAYER_NUMBERS:
            for path in re.findall(r"`([\w/]+\.py)`", cells[1]):
                assert path not in rows, f"{path} has two rows"
                rows[path] = cells[0]
    return rows


def test_every_module_has_a_row_on_the_architecture_page():
    rows = _module_rows()
    assert [m for m in _modules() if m not in rows] == []
    assert sorted(set(rows) - set(_modules())) == []  # no row names a module that is gone


def test_each_row_names_the_layer_the_import_test_checks():
    # The layer column is the one whose imports tests/test_architecture.py allows: a module the
    # page puts on one floor and the test on another would mislead whoever adds an import.
    wrong = [f"{path}: page says {name} ({LAYER_NUMBERS[name]}), the layer test {_layer(path)}"
             for path, name in _module_rows().items() if _layer(path) != LAYER_NUMBERS[name]]
    assert wrong == []


def test_the_package_docstring_maps_every_top_level_module_and_package():
    top = sorted({Path(m).parts[0].removesuffix(".py") for m in _modules()} - {"__main__"})
    doc = coopgame.__doc__
    assert [name for name in top if f"``coopgame.{name}``" not in doc] == []
    assert "``__main__``" in doc


def test_the_ground_floor_docstring_maps_every_core_module():
    core = sorted(Path(m).stem for m in _modules() if m.startswith("core/"))
    assert [name for name in core if f":mod:`.{name}`" not in coopgame.core.__doc__] == []
