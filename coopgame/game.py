"""Public re-export of :mod:`coopgame.core.game`, kept so the documented path ``coopgame.game`` works.

The module itself lives on the ground floor of the package, :mod:`coopgame.core`; everything it
exports (its ``__all__``) is importable from here and is the same object.
"""

from .core.game import *  # noqa: F403
from .core.game import __all__  # noqa: F401
