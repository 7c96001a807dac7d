"""Nash equilibria: exact conditions for pure profiles, verified mixed equilibria.

A pure profile :math:`s` is a Nash equilibrium when no player gains by deviating alone,

.. math:: u_i(s) \\ge u_i(s_i', s_{-i}) \\quad \\text{for every player } i \\text{ and } s_i' \\in S_i,

and a *strict* one when every inequality is strict. With symbolic payoffs each inequality is a
condition on the parameters; :func:`pure_equilibria` returns their conjunction, exactly.

Examples
--------
>>> from coopgame import Game, pure_equilibria
>>> pd = Game.from_arrays([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], players=["A", "B"],
...                       strategies=[["C", "D"], ["C", "D"]])
>>> [e.profile for e in pure_equilibria(pd)]
[('D', 'D')]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sympy

from .errors import ParameterError
from .parameters import to_exact

__all__ = ["Equilibrium", "pure_equilibria", "deviation_gains", "relation"]


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


def relation(difference: sympy.Expr, strict: bool) -> sympy.Basic:
    """The condition ``difference > 0`` (strict) or ``>= 0``, written as papers write it.

    Terms with negative coefficients move to the right-hand side, so ``R - C + s >= 0`` reads
    ``R + s >= C``. Conditions that sympy can decide from the symbols' assumptions come back as
    ``sympy.true`` or ``sympy.false``.

    Examples
    --------
    >>> R, C, s = sympy.symbols("R C s", real=True)
    >>> relation(R - C + s, strict=True)
    R + s > C
    >>> relation(sympy.Symbol("b", positive=True), strict=True)
    True
    """
    d = sympy.expand(difference)
    if d.is_number:
        return sympy.true if (d > 0 if strict else d >= 0) else sympy.false
    decided = d.is_positive if strict else d.is_nonnegative
    if decided is True:
        return sympy.true
    decided = d.is_nonpositive if strict else d.is_negative
    if decided is True:
        return sympy.false
    left, right = [], []
    for term in sympy.Add.make_args(d):
        coeff, _ = term.as_coeff_Mul()
        (right if coeff.is_negative else left).append(-term if coeff.is_negative else term)
    lhs, rhs = sympy.Add(*left), sympy.Add(*right)
    rel = sympy.StrictGreaterThan if strict else sympy.GreaterThan
    if lhs == 0:  # all terms negative: 0 >= rhs reads better as rhs <= 0
        return (sympy.StrictLessThan if strict else sympy.LessThan)(rhs, 0)
    return rel(lhs, rhs, evaluate=False)


def deviation_gains(game, profile) -> list[tuple[str, str, sympy.Expr]]:
    """For a pure profile, every unilateral deviation and its payoff loss to the deviator.

    Returns triples ``(player, alternative strategy, u_i(profile) - u_i(deviation))``; the
    profile is a Nash equilibrium iff every difference is non-negative.
    """
    idx = list(game.profile_index(profile))
    names = game.profile_names(profile)
    out = []
    for i, player in enumerate(game.players):
        here = game.payoff(player, names)
        for j, alt in enumerate(game.strategy_lists[i]):
            if j == idx[i]:
                continue
            dev = list(names)
            dev[i] = alt
            out.append((player, alt, sympy.expand(here - game.payoff(player, tuple(dev)))))
    return out


def _conjunction(relations: list) -> sympy.Basic:
    unique = []
    for r in relations:
        if r is sympy.true:
            continue
        if r is sympy.false:
            return sympy.false
        if r not in unique:
            unique.append(r)
    # d > 0 together with -d >= 0 (or d >= 0 with -d > 0) can never hold.
    diffs = [(sympy.expand(r.lhs - r.rhs) if r.rel_op in (">", ">=") else sympy.expand(r.rhs - r.lhs), r.rel_op in (">", "<"))
             for r in unique]
    for a, (da, sa) in enumerate(diffs):
        for db, sb in diffs[a + 1:]:
            if sympy.expand(da + db) == 0 and (sa or sb):
                return sympy.false
    return sympy.And(*unique) if unique else sympy.true


def pure_equilibria(game, strict: bool = False) -> list[Equilibrium]:
    """Every pure profile with the exact condition under which it is a (strict) Nash equilibrium.

    Parameters
    ----------
    game : Game
        A game with numeric or symbolic payoffs.
    strict : bool
        Require every deviation to lose strictly (a strict Nash equilibrium).

    Returns
    -------
    list of Equilibrium
        In profile order; profiles whose condition is identically false (numerically, from the
        parameters' domains, or because it contains a pair of contradictory inequalities) are
        left out. The condition is the conjunction of the deviation inequalities, neither
        weakened nor strengthened.

    Examples
    --------
    >>> from coopgame import Game
    >>> g = Game(["A", "B"], [["x", "y"], ["x", "y"]],
    ...          {("x", "x"): ["a", "a"], ("x", "y"): [0, 0], ("y", "x"): [0, 0], ("y", "y"): [1, 1]})
    >>> for e in pure_equilibria(g, strict=True):
    ...     print(e.profile, e.condition)
    ('x', 'x') a > 0
    ('y', 'y') a < 1
    """
    out = []
    for profile in game.profiles():
        rels = [relation(d, strict) for _, _, d in deviation_gains(game, profile)]
        cond = _conjunction(rels)
        if cond is sympy.false:
            continue
        out.append(
            Equilibrium(
                profile=tuple(profile),
                condition=cond,
                players=game.players,
                strategies=game.strategy_lists,
                kind="pure",
                strict=strict,
                certificate="exact deviation inequalities",
                payoffs=game.payoffs(profile),
            )
        )
    return out
