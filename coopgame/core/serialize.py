"""JSON conversion of coopgame's results.

:func:`to_jsonable` turns results into plain JSON data by one set of rules, so that the command
line's ``--format json`` and a script's ``json.dumps(to_jsonable(result))`` agree:

* sympy's ``true`` and ``false`` become JSON booleans; other sympy objects become their text (``"R_e - C_e"``, ``"3/2"``; conditions such as
  ``"(R_s > C_s) & (R_e > C_e)"``), which :func:`coopgame.expressions.parse` reads back;
* booleans, integers, strings and ``None`` stay as they are; finite floats stay floats and
  non-finite floats become ``null``; numpy scalars and arrays become numbers and lists;
* enums become their member name (``"ASYMPTOTICALLY_STABLE"``);
* objects with a ``to_dict()`` or ``to_dicts()`` method are converted by it; other dataclasses
  become a dict of their fields; mappings become objects with text keys; tuples, lists and sets
  become arrays.

Examples
--------
>>> import json, sympy
>>> from coopgame import Game, pure_equilibria
>>> g = Game(["A", "B"], [["x", "y"], ["x", "y"]],
...          {("x", "x"): ["a", "a"], ("x", "y"): [0, 0], ("y", "x"): [0, 0], ("y", "y"): [1, 1]})
>>> print(json.dumps(equilibrium_dict(pure_equilibria(g, strict=True)[0])))
{"profile": ["x", "x"], "condition": "a > 0", "strict": true, "kind": "pure", "certificate": "exact deviation inequalities", "payoffs": ["a", "a"]}
>>> to_jsonable({sympy.Symbol("s"): sympy.Rational(1, 2), "n": 3})
{'s': '1/2', 'n': 3}
"""

from __future__ import annotations

import dataclasses
import enum
import json
import math
from collections.abc import Mapping

import sympy

from .formatting import expr_text

__all__ = ["to_jsonable", "dumps", "equilibrium_dict", "values_dict"]


def to_jsonable(obj):
    """Plain JSON data (dicts, lists, strings, numbers, booleans, ``None``) for ``obj``."""
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, sympy.Basic):
        if obj is sympy.true or obj is sympy.false:
            return bool(obj)
        return expr_text(obj)
    if isinstance(obj, enum.Enum):
        return obj.name
    if isinstance(obj, int):
        return obj
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    try:
        import numpy as np

        if isinstance(obj, np.generic):
            return to_jsonable(obj.item())
        if isinstance(obj, np.ndarray):
            return [to_jsonable(v) for v in obj.tolist()]
    except ImportError:  # pragma: no cover - numpy is a dependency
        pass
    for method in ("to_dict", "to_dicts"):
        fn = getattr(obj, method, None)
        if callable(fn) and not isinstance(obj, type):
            return to_jsonable(fn())
    if hasattr(obj, "_key") and hasattr(obj, "payoff_table"):  # a Game
        return game_dict(obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, Mapping):
        return {_key(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        items = list(obj)
        if isinstance(obj, (set, frozenset)):
            items.sort(key=str)
        return [to_jsonable(v) for v in items]
    return str(obj)


def _key(k) -> str:
    if isinstance(k, str):
        return k
    if isinstance(k, sympy.Symbol):
        return k.name
    if isinstance(k, tuple):
        return ", ".join(str(v) for v in k)
    return str(k)


def dumps(obj, *, indent: int | None = 2) -> str:
    """``json.dumps(to_jsonable(obj))`` with a stable key order as built."""
    return json.dumps(to_jsonable(obj), indent=indent, ensure_ascii=False, allow_nan=False)


def values_dict(values) -> dict:
    """Parameter values keyed by symbol or name, as ``{name: exact text}``."""
    return {_key(k): to_jsonable(v) for k, v in sorted((values or {}).items(), key=lambda kv: _key(kv[0]))}


def equilibrium_dict(eq, values=None) -> dict:
    """An :class:`~coopgame.equilibria.Equilibrium` as JSON data; with ``values`` also whether
    its condition holds there (``holds_at_values``)."""
    out = {
        "profile": to_jsonable(eq.profile),
        "condition": to_jsonable(eq.condition),
        "strict": eq.strict,
        "kind": eq.kind,
        "certificate": eq.certificate,
    }
    if eq.payoffs is not None:
        out["payoffs"] = to_jsonable(eq.payoffs)
    if values is not None:
        out["holds_at_values"] = eq.holds({_key(k): v for k, v in values.items()})
    return out


def game_dict(game) -> dict:
    """A game as JSON data: players, strategies, parameters and payoffs (profile order)."""
    return {
        "name": game.name,
        "players": list(game.players),
        "strategies": {p: list(s) for p, s in game.strategies.items()},
        "parameters": [parameter_dict(p) for p in game.parameters],
        "payoffs": [{"profile": list(profile), "values": [to_jsonable(v) for v in values]}
                    for profile, values in game.payoff_table().items()],
    }


def parameter_dict(p) -> dict:
    """A :class:`~coopgame.parameters.Parameter` as JSON data."""
    return {"name": p.name, "meaning": p.meaning, "unit": p.unit, "domain": p.domain.describe(),
            "default": to_jsonable(p.default), "source": p.source}
