"""Markdown reports: a game's tables, its analyses and figures in one document.

Examples
--------
>>> from coopgame import Game, Parameter
>>> g = Game(["A", "B"], [["x", "y"], ["x", "y"]],
...          {("x", "x"): ["b", "b"], ("x", "y"): [0, 0], ("y", "x"): [0, 0], ("y", "y"): [1, 1]},
...          [Parameter("b", "benefit", "yuan", "positive", 2)])
>>> print(parameters_markdown(g))
| parameter | meaning | unit | domain | default | source |
|---|---|---|---|---|---|
| b | benefit | yuan | positive (0, oo) | 2 |  |
"""

from __future__ import annotations

from .tables import latex_table, markdown_table

__all__ = ["parameters_markdown", "parameters_latex"]


def _parameter_rows(game):
    params = game.parameters if hasattr(game, "parameters") else game
    return [[p.name, p.meaning, p.unit, p.domain.describe(), "" if p.default is None else p.default, p.source]
            for p in params]


def parameters_markdown(game) -> str:
    """The parameter table (name, meaning, unit, domain, default, source) of a game, model or list of parameters."""
    return markdown_table(["parameter", "meaning", "unit", "domain", "default", "source"], _parameter_rows(game))


def parameters_latex(game) -> str:
    """The parameter table of a game as a LaTeX ``tabular``."""
    import sympy

    rows = [[sympy.Symbol(r[0]), *r[1:]] for r in _parameter_rows(game)]
    return latex_table(["parameter", "meaning", "unit", "domain", "default", "source"], rows)
