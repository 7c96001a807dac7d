"""Public re-export of :mod:`coopgame.core.expressions`, kept so the documented path ``coopgame.expressions`` works.

The module itself lives on the ground floor of the package, :mod:`coopgame.core`; everything it
exports (its ``__all__``) is importable from here and is the same object.
"""

from .core.expressions import *  # noqa: F403
from .core.expressions import __all__  # noqa: F401
