"""coopgame: symbolic and numerical game theory of cooperation in vocational education.

State a model once, with symbolic parameters, and get exact, verified results: equilibria and
the conditions under which they hold, evolutionarily stable states, policy thresholds,
bargaining splits, Shapley allocations and critical discount factors.

Examples
--------
>>> import coopgame
>>> g = coopgame.Game(["school", "enterprise"],
...                   {"school": ["deep", "shallow"], "enterprise": ["participate", "nominal"]},
...                   {("deep", "participate"): ["R_s - C_s", "R_e - C_e + s"],
...                    ("deep", "nominal"): ["-C_s", 0],
...                    ("shallow", "participate"): [0, "-C_e + s"],
...                    ("shallow", "nominal"): [0, 0]})
>>> eq = [e for e in coopgame.pure_equilibria(g, strict=True) if e.profile == ("deep", "participate")][0]
>>> eq.condition
(R_s > C_s) & (R_e + s > C_e)
"""

from .equilibria import Equilibrium, pure_equilibria
from .errors import (
    CoopgameError,
    ExpressionError,
    GameDefinitionError,
    ParameterError,
    ScenarioError,
    UnknownNameError,
)
from .expressions import parse
from .game import Game
from .parameters import Domain, Parameter

__version__ = "0.1.0.dev0"

__all__ = [
    "__version__",
    "Game",
    "Parameter",
    "Domain",
    "parse",
    "Equilibrium",
    "pure_equilibria",
    "CoopgameError",
    "ParameterError",
    "GameDefinitionError",
    "ExpressionError",
    "UnknownNameError",
    "ScenarioError",
]
