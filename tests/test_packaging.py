"""Packaging checks: the citation file and the public API agree with the package."""

import re
from pathlib import Path

import coopgame

ROOT = Path(__file__).resolve().parent.parent


def _cff_versions(text: str) -> list[str]:
    # every `version:` key (top level and under preferred-citation), but not `cff-version:`
    return [m.group(1) for m in re.finditer(r'^\s*version:\s*["\']?([^"\'\s#]+)["\']?\s*(?:#.*)?$', text, re.MULTILINE)]


def test_citation_version_matches_package():
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    versions = _cff_versions(text)
    assert len(versions) == 2, versions  # the software's and the preferred citation's
    assert versions == [coopgame.__version__] * 2


def test_cff_version_parser():
    text = 'cff-version: 1.2.0\nversion: "1.0"\npreferred-citation:\n  version: 1.0 # same\n'
    assert _cff_versions(text) == ["1.0", "1.0"]


def test_version_is_pep440_like():
    assert re.fullmatch(r"\d+\.\d+\.\d+((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?", coopgame.__version__)


def test_public_names_exist():
    assert len(coopgame.__all__) == len(set(coopgame.__all__))
    for name in coopgame.__all__:
        assert hasattr(coopgame, name), name


def test_typed_marker_shipped():
    assert (Path(coopgame.__file__).parent / "py.typed").is_file()


def _given_without_budget(path):
    """Hypothesis tests in ``path`` whose example budget is not stated beside them: ``@given``
    with neither a ``@settings(...)`` decorator nor a module-level settings object."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    named = {t.id for node in tree.body if isinstance(node, ast.Assign)
             and isinstance(node.value, ast.Call) and ast.unparse(node.value.func).endswith("settings")
             for t in node.targets if isinstance(t, ast.Name)}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            decs = [ast.unparse(d) for d in node.decorator_list]
            if any(d.startswith("given") for d in decs) and not any(
                    d.startswith("settings") or d in named for d in decs):
                yield node.name


def test_every_property_test_states_its_budget():
    # Issue 18: hypothesis budgets are chosen per test, not left at the profile's default.
    tests = Path(__file__).resolve().parent
    missing = [f"{p.name}::{name}" for p in sorted(tests.glob("test_*.py")) for name in _given_without_budget(p)]
    assert not missing, missing
