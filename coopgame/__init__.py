"""coopgame: symbolic and numerical game theory of cooperation in vocational education.

State a model once, with symbolic parameters, and get exact, verified results: equilibria and
the conditions under which they hold, evolutionarily stable states, policy thresholds,
bargaining splits, Shapley allocations and critical discount factors.

Module map (imports run from the top of this list down, never back up; see
``docs/explanation/architecture.md``):

=============================  ================================================================
``coopgame.cli``               the ``coopgame`` command (``python -m coopgame``: ``__main__``)
``coopgame.report``            documents (``document``, ``analysis_section``), figures
                               (``phase``, ``figures``, ``analysis_figures``,
                               ``mechanism_figures``)
``coopgame.findings``          the generated findings document; ``coopgame.claims`` claims
                               files checked against their model (``coopgame verify``)
``coopgame.analysis.pipeline`` ``analyze``: one ``Analysis`` per game and values;
                               ``coopgame.analysis.study``: ``study``, every analysis of a report
``coopgame.models``            the catalogue; ``coopgame.scenario`` TOML scenario files;
                               ``coopgame.testing`` hypothesis strategies and verifiers;
                               ``coopgame.pytest_plugin`` the ``coopgame_verify`` fixture
``coopgame.analysis``          thresholds, cheapest policy mix, comparative statics, regimes,
                               sweeps
``coopgame.dynamics``          replicator dynamics, rest points, stability and cases, compiled
                               fields, simulation and basins, sensitivity, bifurcation, noise,
                               delays, state-dependent payoffs, one-population dynamics
``coopgame.equilibria``        pure conditions, best-response certificate, vertex enumeration,
                               pivoting, Lemke-Howson, N-player polynomials, the 2x2 closed form
``coopgame.bargaining``        Nash (TU and NTU), Kalai-Smorodinsky, Rubinstein
``coopgame.cooperative``       TU games: Shapley, Banzhaf, core, nucleolus
``coopgame.repeated``          repeated games, grim trigger, reputation
``coopgame.perception``        perceived payoffs: prospect theory, mental accounting
``coopgame.policy``            instruments: subsidies, tax relief, penalties, reputation
``coopgame.core``              errors, safe parser, parameters, ``Game``, exact helpers,
                               formatting, compiled numpy functions, JSON data, atomic
                               writing, data frames, notebook display, progress bars
                               (``coopgame.errors``, ``coopgame.expressions``,
                               ``coopgame.parameters`` and ``coopgame.game`` re-export its
                               modules)
=============================  ================================================================

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

from . import models
from .analysis import cheapest_policy, comparative_statics, minimum_instrument, sweep, threshold
from .bargaining import kalai_smorodinsky, nash_bargaining, nash_bargaining_ntu, rubinstein, rubinstein_power
from .cooperative import TUGame
from .core.errors import (
    CoopgameError,
    ExpressionError,
    GameDefinitionError,
    ParameterError,
    ResourceLimitError,
    ScenarioError,
    SolverError,
    StateDependentGameError,
    UnknownNameError,
)
from .core.expressions import parse
from .core.game import Game
from .core.parameters import NONNEGATIVE, POSITIVE, PROBABILITY, REAL, UNIT_OPEN, Domain, Parameter
from .dynamics import Basins, ReplicatorDynamics, RestPoint, Stability, StabilityRow, StabilityTable, Trajectories
from .dynamics.symmetric import SymmetricReplicatorDynamics
from .equilibria import (
    Equilibrium,
    is_nash,
    mixed_equilibrium_2x2,
    nash_equilibria,
    pure_equilibria,
    regret,
)
from .models import Model
from .perception import MentalAccounting, Prelec, ProspectTheory, TverskyKahneman
from .policy import Penalty, Reputation, Subsidy, TaxRelief, Transfer
from .repeated import critical_discount_factor, finite_horizon_unravels, reputation_condition
from .scenario import Scenario

__version__ = "0.1.0.dev0"

__all__ = [
    "__version__",
    # games and parameters
    "Game",
    "Parameter",
    "Domain",
    "REAL",
    "POSITIVE",
    "NONNEGATIVE",
    "PROBABILITY",
    "UNIT_OPEN",
    "parse",
    # equilibria
    "Equilibrium",
    "pure_equilibria",
    "nash_equilibria",
    "mixed_equilibrium_2x2",
    "is_nash",
    "regret",
    # evolutionary dynamics
    "ReplicatorDynamics",
    "Stability",
    "StabilityTable",
    "StabilityRow",
    "RestPoint",
    "Trajectories",
    "Basins",
    "SymmetricReplicatorDynamics",
    # policy
    "Transfer",
    "Subsidy",
    "TaxRelief",
    "Penalty",
    "Reputation",
    "MentalAccounting",
    "ProspectTheory",
    "TverskyKahneman",
    "Prelec",
    "threshold",
    "minimum_instrument",
    "cheapest_policy",
    "comparative_statics",
    "sweep",
    # bargaining, coalitions, repeated games
    "nash_bargaining",
    "nash_bargaining_ntu",
    "kalai_smorodinsky",
    "rubinstein",
    "rubinstein_power",
    "TUGame",
    "critical_discount_factor",
    "finite_horizon_unravels",
    "reputation_condition",
    # models and scenarios
    "models",
    "Model",
    "Scenario",
    # errors
    "CoopgameError",
    "ParameterError",
    "GameDefinitionError",
    "ExpressionError",
    "UnknownNameError",
    "ScenarioError",
    "ResourceLimitError",
    "SolverError",
    "StateDependentGameError",
]
