"""Public re-export of :mod:`coopgame.core.parameters`, kept so the documented path ``coopgame.parameters`` works.

The module itself lives on the ground floor of the package, :mod:`coopgame.core`; everything it
exports (its ``__all__``) is importable from here and is the same object.
"""

from .core.parameters import *  # noqa: F403
from .core.parameters import __all__  # noqa: F401
