"""The result type of the equilibrium algorithms: :class:`Equilibrium`, a profile with its condition.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sympy

from ..core.errors import (
    ParameterError,
)
from ..core.parameters import to_exact


@dataclass(frozen=True)
class Equilibrium:
    """An equilibrium profile with the condition under which it is one.

    Attributes
    ----------
    profile : tuple
        For a pure equilibrium, the strategy names in player order. For a mixed equilibrium,
        one probability vector (a tuple of exact numbers or floats) per player.
    condition : sympy Boolean
        The condition on the parameters under which the profile is an equilibrium
        (``sympy.true`` for a numeric game).
    players : tuple of str
        The players, in order.
    strategies : tuple of tuple of str
        Strategy names per player, so that a mixed profile can be read.
    kind : str
        ``"pure"`` or ``"mixed"``.
    strict : bool
        Whether the condition is that of a strict equilibrium.
    certificate : str
        How the profile was verified (for example ``"exact best-response check"``).
    """

    profile: tuple
    condition: Any = sympy.true
    players: tuple = ()
    strategies: tuple = ()
    kind: str = "pure"
    strict: bool = False
    certificate: str = ""
    payoffs: tuple | None = field(default=None, compare=False)

    @property
    def is_pure(self) -> bool:
        """True when every player plays one strategy with probability one."""
        if self.kind == "pure":
            return True
        return all(sum(1 for p in vec if p != 0) == 1 for vec in self.profile)

    def as_mixed(self) -> tuple[tuple, ...]:
        """The profile as one probability vector per player."""
        if self.kind != "pure":
            return self.profile
        return tuple(
            tuple(sympy.Integer(1 if s == chosen else 0) for s in names)
            for names, chosen in zip(self.strategies, self.profile)
        )

    def strategy(self, player):
        """The strategy (name, or probability vector) of one player."""
        return self.profile[list(self.players).index(player)]

    def holds(self, values: Mapping | None = None) -> bool:
        """Whether the condition holds at the given parameter values (exact evaluation).

        Raises :class:`~coopgame.errors.ParameterError` when a parameter in the condition has
        no value.
        """
        cond = self.condition
        if cond in (sympy.true, sympy.false):
            return bool(cond)
        vals = {}
        for key, value in (values or {}).items():
            name = key if isinstance(key, str) else getattr(key, "name", None)
            vals[name] = to_exact(value, name=f"parameter {name!r}")
        subs = {}
        for sym in cond.free_symbols:
            if sym.name not in vals:
                raise ParameterError(f"missing value for parameter {sym.name!r} in condition {cond}")
            subs[sym] = vals[sym.name]
        result = cond.xreplace(subs)
        if result not in (sympy.true, sympy.false):
            result = sympy.simplify(result)
        if result not in (sympy.true, sympy.false):
            raise ParameterError(f"condition {cond} could not be decided at the given values")
        return bool(result)

    def __str__(self):
        if self.kind == "pure":
            shown = "(" + ", ".join(self.profile) + ")"
        else:
            shown = "(" + ", ".join("(" + ", ".join(str(p) for p in v) + ")" for v in self.profile) + ")"
        cond = "" if self.condition is sympy.true else f" if {self.condition}"
        return f"{'strict ' if self.strict else ''}{self.kind} equilibrium {shown}{cond}"
