"""The model catalogue: systems from the seed papers, formalised as documented games.

Each model is built by a function of the same name in its own module and returned as a
:class:`~coopgame.models.base.Model`. The registry lists them without importing them; a model's
module is imported, and the model built, the first time it is asked for.

======================================  ==========================================================
name                                    system
======================================  ==========================================================
``school_enterprise``                   school-enterprise cooperation (deep/shallow, participate/nominal)
``internship``                          enterprise-student internship (train/exploit, engage/shirk)
``government_school_enterprise``        government, school and enterprise with incentives (flagship)
``internship_bargaining``               school-enterprise-student bargaining over the internship surplus
``education_group``                     vocational education group: public goods and benefit sharing
``dual_teachers``                       dual-qualified teachers: seconding and hosting
``integration_city``                    industry-education integration city: repeated cooperation
======================================  ==========================================================

Examples
--------
>>> from coopgame import models
>>> [info.name for info in models.available()][:3]
['school_enterprise', 'internship', 'government_school_enterprise']
>>> models.get("no_such_model")
Traceback (most recent call last):
...
coopgame.errors.UnknownNameError: unknown model 'no_such_model' (known models: school_enterprise, internship, government_school_enterprise, internship_bargaining, education_group, dual_teachers, integration_city)
"""

from __future__ import annotations

import importlib
import threading
from dataclasses import dataclass

from ..core.errors import UnknownNameError
from .base import SEED_REFERENCES, Model, Reference

__all__ = ["Model", "Reference", "SEED_REFERENCES", "ModelInfo", "available", "get", "names"]


@dataclass(frozen=True)
class ModelInfo:
    """A registry entry: the model's name, a one-line title and the module that builds it."""

    name: str
    title: str
    module: str

    def load(self) -> Model:
        """Build (or return the cached) model."""
        return get(self.name)


_REGISTRY: tuple[ModelInfo, ...] = (
    ModelInfo("school_enterprise", "School-enterprise cooperation: deep or shallow, substantive or nominal",
              "coopgame.models.school_enterprise"),
    ModelInfo("internship", "Enterprise-student internship: training or cheap labour, engagement or shirking",
              "coopgame.models.internship"),
    ModelInfo("government_school_enterprise",
              "Government, school and enterprise: tax relief, fund guarantee, publicity and rectification",
              "coopgame.models.government_school_enterprise"),
    ModelInfo("internship_bargaining",
              "School-enterprise-student bargaining over the internship surplus and the cheap-labour region",
              "coopgame.models.internship_bargaining"),
    ModelInfo("education_group", "Vocational education group: pooled resources, free-riding and benefit sharing",
              "coopgame.models.education_group"),
    ModelInfo("dual_teachers", "Dual-qualified teachers: seconding teachers and hosting engineers",
              "coopgame.models.dual_teachers"),
    ModelInfo("integration_city", "Industry-education integration city: repeated cooperation, opportunism and trust",
              "coopgame.models.integration_city"),
)

_BY_NAME = {info.name: info for info in _REGISTRY}
_CACHE: dict[str, Model] = {}
_LOCK = threading.Lock()


def available() -> list[ModelInfo]:
    """The registered models, in catalogue order (nothing is imported)."""
    return list(_REGISTRY)


def names() -> list[str]:
    """The registered model names, in catalogue order."""
    return [info.name for info in _REGISTRY]


def get(name: str) -> Model:
    """The model registered under ``name``.

    Parameters
    ----------
    name : str
        A registry name (see :func:`available`).

    Returns
    -------
    Model

    Raises
    ------
    UnknownNameError
        ``name`` is not registered, or its module does not define it; the message lists the
        known names.
    """
    if not isinstance(name, str) or name not in _BY_NAME:
        raise UnknownNameError(f"unknown model {name!r} (known models: {', '.join(names())})")
    with _LOCK:
        if name not in _CACHE:
            info = _BY_NAME[name]
            try:
                module = importlib.import_module(info.module)
            except ModuleNotFoundError as exc:
                if exc.name != info.module:
                    raise
                raise UnknownNameError(f"model {name!r} is registered but its module {info.module} is not installed") from None
            build = getattr(module, name, None)
            if build is None:
                raise UnknownNameError(f"module {info.module} does not define the model function {name!r}")
            model = build()
            if not isinstance(model, Model) or model.name != name:
                raise UnknownNameError(f"{info.module}.{name}() did not return the Model named {name!r}")
            _CACHE[name] = model
        return _CACHE[name]


def __getattr__(attr: str):
    # The model functions (``coopgame.models.internship()``) are imported on first use.
    if attr in _BY_NAME:
        module = importlib.import_module(_BY_NAME[attr].module)
        return getattr(module, attr)
    raise AttributeError(f"module 'coopgame.models' has no attribute {attr!r}")
