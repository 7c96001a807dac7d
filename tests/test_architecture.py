"""The layers of the package: imports run one way, from the command line down to the ground floor.

Read from the source (``ast``), so a new arrow back up fails here before anyone has to find the
import cycle it makes. The layer order is that of ``docs/explanation/architecture.md``:

====  ===========================================  ==========================================
 0    ``cli.py``, ``__main__.py``                  the ``coopgame`` command
 1    ``report/``                                  documents and figures from finished results
 2    ``findings.py``, ``claims.py``               the generated findings, a paper's claims
 3    ``analysis/pipeline.py``, ``study.py``       ``analyze``, ``study``: the analyses a report shows
 4    ``models/``, ``scenario.py``, ``testing.py``  catalogue, scenario files, strategies,
      ``pytest_plugin.py``                         and the pytest plugin on them
 5    ``analysis/``                                thresholds, cheapest mix, statics, sweeps
 6    ``dynamics/``, ``equilibria/``, ...          the algorithms (and ``perception.py``)
 7    ``policy.py``                                instruments
 8    ``core/``                                    errors, parser, parameters, Game, helpers
====  ===========================================  ==========================================

A module may import its own layer and the layers below it. The exceptions are named here: the
``Game`` facade methods import the algorithm they delegate to inside the method, and the
findings' regime figure (the ``python -m coopgame.findings`` command) draws with
:mod:`coopgame.report.figures`.
"""

import ast
from pathlib import Path

import pytest

import coopgame

PACKAGE = Path(coopgame.__file__).resolve().parent

#: (path prefix inside the package, layer); the first matching prefix wins.
LAYERS = [
    ("cli.py", 0), ("__main__.py", 0),
    ("report/", 1),
    ("findings.py", 2),
    ("analysis/pipeline.py", 3), ("analysis/study.py", 3),
    ("claims.py", 2),
    ("models/", 4), ("scenario.py", 4), ("testing.py", 4), ("pytest_plugin.py", 4),
    ("analysis/", 5),
    ("dynamics/", 6), ("equilibria/", 6), ("bargaining/", 6), ("cooperative.py", 6), ("repeated.py", 6),
    ("perception.py", 6),
    ("policy.py", 7),
    ("core/", 8),
    ("errors.py", 8), ("expressions.py", 8), ("parameters.py", 8), ("game.py", 8),  # re-exports of core/
]

#: Lazy imports (inside the named function) allowed to point up, with the reason.
ALLOWED_UP = {
    ("core/game.py", "pure_equilibria"): "Game facade delegates to the algorithm",
    ("core/game.py", "nash_equilibria"): "Game facade delegates to the algorithm",
    ("core/game.py", "replicator"): "Game facade delegates to the algorithm",
    ("findings.py", "regime_figure"): "the findings command draws its figures",
}


def _layer(relpath: str) -> int | None:
    for prefix, layer in LAYERS:
        if relpath == prefix or (prefix.endswith("/") and relpath.startswith(prefix)):
            return layer
    return None


def _module_file(module: str) -> str | None:
    """The package-relative path of a ``coopgame`` module, or None outside the package."""
    parts = module.split(".")
    if parts[0] != "coopgame":
        return None
    base = PACKAGE.joinpath(*parts[1:])
    if base.with_suffix(".py").is_file():
        return base.with_suffix(".py").relative_to(PACKAGE).as_posix()
    if (base / "__init__.py").is_file():
        return (base / "__init__.py").relative_to(PACKAGE).as_posix()
    return None


def _imports(path: Path):
    """``(imported package-relative file, enclosing function or None, line)`` for each import."""
    rel = path.relative_to(PACKAGE)
    package = ["coopgame", *rel.parent.parts]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else function
            if isinstance(child, ast.Import):
                for alias in child.names:
                    out.append((alias.name, function, child.lineno))
            elif isinstance(child, ast.ImportFrom):
                base = package[: len(package) - child.level + 1] if child.level else []
                module = ".".join(base + ([child.module] if child.module else []))
                for alias in child.names:
                    sub = f"{module}.{alias.name}"
                    out.append((sub if _module_file(sub) else module, function, child.lineno))
            visit(child, inner)

    visit(tree, None)
    return [(f, fn, line) for m, fn, line in out if (f := _module_file(m)) is not None]


def _edges():
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel == "__init__.py":  # the package exports everything
            continue
        for target, function, line in _imports(path):
            yield rel, target, function, line


def test_every_module_has_a_layer():
    missing = sorted({p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py")
                      if p.name != "__init__.py" or p.parent != PACKAGE} - {""})
    assert [m for m in missing if _layer(m) is None] == []


def test_imports_never_run_back_up():
    up = []
    for source, target, function, line in _edges():
        if target == "__init__.py":
            if _layer(source) > 1:  # the package root imports the layers below the report
                up.append(f"{source}:{line} imports the package root")
            continue
        ls, lt = _layer(source), _layer(target)
        if lt < ls and (source, function) not in ALLOWED_UP:
            up.append(f"{source}:{line} (layer {ls}) imports {target} (layer {lt})")
    assert up == []


@pytest.mark.parametrize("layer_name, prefix", [("the command", ("cli.py", "__main__.py")), ("report", ("report/",))])
def test_nothing_outside_imports(layer_name, prefix):
    inside = tuple(prefix)
    bad = [f"{s}:{line} imports {t}" for s, t, function, line in _edges()
           if t.startswith(inside) and not s.startswith(inside) and (s, function) not in ALLOWED_UP
           and not (layer_name == "report" and _layer(s) == 0)]
    assert bad == []


def test_the_ground_floor_imports_no_analysis():
    bad = [f"{s}:{line} imports {t}" for s, t, function, line in _edges()
           if s.startswith("core/") and not t.startswith("core/") and (s, function) not in ALLOWED_UP]
    assert bad == []
    lazy = [(s, function) for s, t, function, line in _edges() if s.startswith("core/") and not t.startswith("core/")]
    assert all(function is not None for _, function in lazy)  # the facade's imports are inside its methods


def _calls_that_eval_text(tree):
    """Calls of ``sympify``/``S``/``parse_expr`` that could receive text: any ``parse_expr``, and
    any ``sympify`` without ``strict=True`` (strict sympify refuses strings, so it never evals)."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None
        if name == "parse_expr":
            yield node.lineno, name
        elif name == "sympify" or (name == "S" and isinstance(f, ast.Attribute) and getattr(f.value, "id", None) == "sympy"):
            strict = [k for k in node.keywords if k.arg == "strict"]
            if not (strict and isinstance(strict[0].value, ast.Constant) and strict[0].value.value is True):
                yield node.lineno, name


def test_no_module_hands_text_to_sympy_eval():
    # Brief: sympify and parse_expr call eval; user text goes through coopgame.core.expressions.
    # Every sympify in the package is strict (numbers and expressions only), so no path hands it
    # text; the safe parser builds expressions from its own whitelist of names and operators.
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        offenders += [f"{path.relative_to(PACKAGE.parent)}:{line} {name}" for line, name in _calls_that_eval_text(tree)]
    assert not offenders, offenders


# ---------------------------------------------------------------------- private names stay private
#: Modules still importing a leading-underscore name of another module: (importer, name) -> why.
#: This list may only shrink; a shared helper gets a documented public name instead.
PRIVATE_IMPORTS_ALLOWED: dict = {}


def _private_imports():
    """``(importer, name, imported module file, line)`` for each leading-underscore name imported
    from another module of the package (``__future__`` and dunder names aside)."""
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        package = ["coopgame", *rel.parent.parts]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom) or node.module == "__future__":
                continue
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            target = _module_file(module)
            if target is None or target == rel.as_posix():
                continue
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    yield rel.as_posix(), alias.name, target, node.lineno


def test_no_module_imports_a_private_name_of_another():
    found = {(s, name): f"{s}:{line} imports {name} from {t}" for s, name, t, line in _private_imports()}
    assert [v for k, v in sorted(found.items()) if k not in PRIVATE_IMPORTS_ALLOWED] == []
    # the allow-list only shrinks: every entry is still needed
    assert sorted(set(PRIVATE_IMPORTS_ALLOWED) - set(found)) == []


#: The Game's storage, read elsewhere through ``Game.payoff_rows``, ``Game.flat_index`` and
#: ``Game.from_parts``; modules still using the private names, with the reason.
GAME_PRIVATES = ("_payoffs", "_flat", "_from_parts")
GAME_PRIVATES_ALLOWED: dict = {}


def test_the_games_storage_is_read_through_its_public_names():
    bad = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel == "core/game.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Attribute) and node.attr in GAME_PRIVATES
                    and not (isinstance(node.value, ast.Name) and node.value.id == "self")):
                bad.add(rel)
    assert sorted(bad - set(GAME_PRIVATES_ALLOWED)) == []
    assert sorted(set(GAME_PRIVATES_ALLOWED) - bad) == []


# ---------------------------------------------------------------------- function length
#: Lines of code a function may have: its signature and body, without its docstring (a long
#: docstring documents, it is not a step to name).
MAX_FUNCTION_LINES = 80

#: Functions still longer, with the reason. This list may only shrink (it is empty: keep it so).
LONG_FUNCTIONS_ALLOWED: dict = {}


def _code_lines(fn) -> int:
    body = fn.body
    doc = (body[0].end_lineno - body[0].lineno + 1 if body and isinstance(body[0], ast.Expr)
           and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str) else 0)
    return fn.end_lineno - fn.lineno + 1 - doc


def _lengths_in(node, prefix, out):
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
            out[f"{prefix}{child.name}"] = _code_lines(child)
            _lengths_in(child, f"{prefix}{child.name}.", out)
        elif isinstance(child, ast.ClassDef):
            _lengths_in(child, f"{prefix}{child.name}.", out)


def _function_lengths():
    """``{"path::Class.function": lines of code}`` for every function and method of the package."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        _lengths_in(ast.parse(path.read_text(encoding="utf-8")), f"{rel}::", out)
    return out


def test_functions_are_short_or_listed_with_a_reason():
    long = {name: n for name, n in _function_lengths().items() if n > MAX_FUNCTION_LINES}
    assert sorted(f"{name} ({n} lines)" for name, n in long.items() if name not in LONG_FUNCTIONS_ALLOWED) == []
    # the list only shrinks: a function that got shorter leaves it
    assert sorted(set(LONG_FUNCTIONS_ALLOWED) - set(long)) == []
