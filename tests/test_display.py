"""Every result displays in notebooks as HTML, Markdown and LaTeX, showing the same rows."""

from __future__ import annotations

import numpy as np
import pytest
import sympy

from coopgame import Game, models
from coopgame.analysis import comparative_statics, minimum_instrument, sweep
from coopgame.equilibria import Equilibria

COORD = Game.bimatrix([[2, 0], [0, 1]], [[2, 0], [0, 1]], strategies=[["A", "B"], ["A", "B"]])


def _results():
    model = models.get("school_enterprise")
    game = model.with_policy("fund_guarantee")
    present = {p.name for p in game.parameters}
    values = {k: v for k, v in model.defaults.items() if k.name in present and k.name != "s"}
    dyn = COORD.replicator()
    return {
        "game": model.game,
        "equilibrium": model.game.pure_equilibria()[0],
        "equilibria": model.game.replicator().ess(),
        "stability": model.game.replicator().stability(include="vertices"),
        "threshold": minimum_instrument(game, model.target, "s", values),
        "statics": comparative_statics(sympy.sympify("C_e + F_e + K - R_e")),
        "sweep": sweep(model, {"K": [0, 1, 2]}, progress=False),
        "trajectories": dyn.simulate(None, [[0.9, 0.8], [0.1, 0.2]], 10.0),
        "basins": dyn.basins(None, 20, np.random.default_rng(0), t_max=20.0, progress=False),
    }


RESULTS = _results()


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_three_displays(name):
    obj = RESULTS[name]
    html, md, latex = obj._repr_html_(), obj._repr_markdown_(), obj._repr_latex_()
    assert html.startswith('<table class="coopgame">') and html.rstrip().endswith("</table>")
    assert "|---" in md and ("tabular" in latex or latex.startswith("$"))


def test_equilibrium_lists_are_lists_with_one_table():
    ess = COORD.replicator().ess()
    assert isinstance(ess, Equilibria) and ess == list(ess)
    assert [e.profile for e in ess] == [("A", "A"), ("B", "B")]  # both strict: 2 > 0 and 1 > 0
    assert ess._repr_html_().count("<tr>") == 3  # header + one row per equilibrium
    assert ess.to_dataframe()["profile"].tolist() == ["(A, A)", "(B, B)"]


def test_html_cells_are_escaped():
    g = Game(["a<b", "c"], [["<x>", "y"], ["z", "w"]], {("<x>", "z"): [1, 0], ("<x>", "w"): [0, 0],
                                                      ("y", "z"): [0, 0], ("y", "w"): [0, 1]})
    assert "<x>" not in g._repr_html_() and "&lt;x&gt;" in g._repr_html_()
