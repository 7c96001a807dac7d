"""Exceptions and warnings raised by coopgame.

Every error the package raises on bad input is a subclass of :class:`CoopgameError`, so
callers can catch the package's own errors in one clause. Messages name the offending item
(the parameter, player, strategy, file key or value) and what was expected.

Examples
--------
>>> from coopgame.errors import CoopgameError, ParameterError
>>> issubclass(ParameterError, CoopgameError)
True
"""

from __future__ import annotations

__all__ = [
    "CoopgameError",
    "ParameterError",
    "GameDefinitionError",
    "ExpressionError",
    "UnknownNameError",
    "ScenarioError",
    "ResourceLimitError",
    "SolverError",
    "OutputError",
    "CoopgameWarning",
    "DegenerateGameWarning",
    "IncompleteSearchWarning",
]


class CoopgameError(Exception):
    """Base class of every error raised by coopgame on bad input or failed analyses."""


class ParameterError(CoopgameError, ValueError):
    """A parameter value is missing, not a finite number, or outside the parameter's domain."""


class GameDefinitionError(CoopgameError, ValueError):
    """A game is malformed: missing profile, wrong payoff count, duplicate or unknown names."""


class ExpressionError(CoopgameError, ValueError):
    """Text could not be turned into a sympy expression by the safe parser."""


class UnknownNameError(CoopgameError, LookupError):
    """A player, strategy, parameter, model or instrument name is not known."""

    def __str__(self) -> str:  # LookupError would quote the message like a KeyError
        return str(self.args[0]) if self.args else ""


class ScenarioError(CoopgameError, ValueError):
    """A scenario file is malformed; the message names the file, the key and what was expected."""


class ResourceLimitError(CoopgameError, ValueError):
    """A request would exceed a stated bound (grid size, memory, number of supports)."""


class SolverError(CoopgameError, RuntimeError):
    """A numerical method failed to produce a verified answer."""


class OutputError(CoopgameError, OSError):
    """An output file or folder cannot be written; the message names it."""


class CoopgameWarning(UserWarning):
    """Base class of coopgame's warnings."""


class DegenerateGameWarning(CoopgameWarning):
    """The game is degenerate: its equilibria may form continua; extreme points are returned."""


class IncompleteSearchWarning(CoopgameWarning):
    """An exact search stopped at its effort bound; the result may be incomplete."""


# The errors are documented, raised and caught as ``coopgame.errors.X`` (that module re-exports
# this one); tracebacks show that public path, as numpy's ``set_module`` does for its classes.
for _cls in (CoopgameError, ParameterError, GameDefinitionError, ExpressionError, UnknownNameError, ScenarioError,
             ResourceLimitError, SolverError, OutputError, CoopgameWarning, DegenerateGameWarning,
             IncompleteSearchWarning):
    _cls.__module__ = "coopgame.errors"
del _cls
