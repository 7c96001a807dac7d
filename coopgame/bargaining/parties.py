"""Shared helpers of the bargaining solutions: parties, their values and bargaining powers.

Public within the package: every solution module (:mod:`.nash`, :mod:`.ntu`,
:mod:`.kalai_smorodinsky`, :mod:`.rubinstein`) reads its parties through them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import sympy

from ..core.errors import ParameterError, UnknownNameError
from ..core.exact import as_expr, decide


def check_unit_open(value, name: str):
    """Raise when a (numeric or symbolic) discount factor is provably outside (0, 1)."""
    inside = sympy.Interval.open(0, 1).contains(value)
    if inside is sympy.false:
        raise ParameterError(f"{name} = {value} must lie in the open interval (0, 1)")
    return value


def check_nonnegative(value, name: str):
    """Raise when a bargaining power is negative (a number below 0, or a provably negative expression)."""
    if value.is_number:
        if value.is_real is False or value < 0:
            raise ParameterError(f"{name} = {value} must be a non-negative real number")
    elif value.is_negative:
        raise ParameterError(f"{name} = {value} is provably negative; bargaining powers must be >= 0")
    return value


def party_values(data, parties, what: str, symbols) -> tuple[tuple[str, ...], tuple[sympy.Expr, ...]]:
    """Read a mapping party -> value or a sequence in party order."""
    if isinstance(data, Mapping):
        keys = tuple(data)
        if parties is None:
            parties = keys
        else:
            unknown = [k for k in keys if k not in parties]
            if unknown:
                raise UnknownNameError(f"{what} given for unknown part(y/ies) {', '.join(map(repr, unknown))} "
                                       f"(parties: {', '.join(map(str, parties))})")
            missing = [p for p in parties if p not in data]
            if missing:
                raise ParameterError(f"{what}: no value for part(y/ies) {', '.join(map(repr, missing))}")
        items = [data[p] for p in parties]
    else:
        if isinstance(data, (str, bytes)) or not isinstance(data, Iterable):
            raise ParameterError(f"{what} must be a mapping party -> value or a sequence, got {data!r}")
        items = list(data)
        if parties is None:
            parties = tuple(f"party_{k + 1}" for k in range(len(items)))
        if len(items) != len(parties):
            raise ParameterError(f"{what}: {len(items)} values for {len(parties)} parties")
    return tuple(parties), tuple(as_expr(v, f"{what} of {p!r}", symbols) for p, v in zip(parties, items))


def check_parties(parties) -> tuple | None:
    """The party names as a tuple (None stays None); raise on a non-sequence or a duplicate."""
    if parties is None:
        return None
    if isinstance(parties, str) or not isinstance(parties, Iterable):
        raise ParameterError(f"parties must be a sequence of names, got {parties!r}")
    parties = tuple(parties)
    if len(set(parties)) != len(parties):
        dup = next(p for p in parties if parties.count(p) > 1)
        raise ParameterError(f"duplicate party {dup!r}")
    return parties


def normalised_powers(powers, parties, symbols) -> tuple[tuple, tuple]:
    """``(raw, weights)``: the bargaining powers (equal by default) and their shares of the total.

    Raise when a power is negative or they sum to zero.
    """
    n = len(parties)
    if powers is None:
        raw = tuple(sympy.Integer(1) for _ in parties)
    else:
        _, raw = party_values(powers, parties, "bargaining power", symbols)
    for p, b in zip(parties, raw):
        check_nonnegative(b, f"bargaining power of {p!r}")
    total = sympy.Add(*raw)
    if total.is_zero:
        raise ParameterError(f"bargaining powers {', '.join(map(str, raw))} sum to zero; at least one must be positive")
    weights = tuple(sympy.cancel(b / total) for b in raw)
    if n == 0:
        raise ParameterError("bargaining needs at least one party")
    return raw, weights


def simplify_closed(cond):
    """A condition without symbols decided to ``true``/``false``; any other condition unchanged."""
    if cond in (sympy.true, sympy.false) or not isinstance(cond, sympy.Basic):
        return cond
    if not cond.free_symbols:
        return sympy.true if decide(cond, "condition") else sympy.false
    return cond
