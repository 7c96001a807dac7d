"""Public re-export of :mod:`coopgame.core.errors`, kept so the documented path ``coopgame.errors`` works.

The module itself lives on the ground floor of the package, :mod:`coopgame.core`; everything it
exports (its ``__all__``) is importable from here and is the same object.
"""

from .core.errors import *  # noqa: F403
from .core.errors import __all__  # noqa: F401
