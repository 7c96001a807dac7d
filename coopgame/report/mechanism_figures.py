"""Figures for the mechanisms beyond static payoffs: noise bands and delayed trajectories.

Like :mod:`coopgame.report.figures`, these take finished results and only draw them.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import numpy as np
>>> from coopgame import Game
>>> g = Game.bimatrix([[3, 0], [0, 1]], [[3, 0], [0, 1]], strategies=[["a", "b"]] * 2)
>>> res = g.replicator().simulate_sde(None, [0.5, 0.5], 10.0, 0.5, np.random.default_rng(0), paths=50)
>>> ax = sde_band_figure(res)
>>> ax.get_xlabel(), ax.get_ylabel()
('t', 'share')
"""

from __future__ import annotations

import numpy as np

from ..core.errors import ParameterError
from .figures import axes_or_new

__all__ = ["sde_band_figure", "delay_figure"]


def sde_band_figure(paths, *, start: int = 0, coordinates=None, quantiles=(0.1, 0.9), ax=None):
    """Mean and a quantile band over paths of :class:`~coopgame.dynamics.sde.SDEPaths`, per coordinate.

    Parameters
    ----------
    paths : SDEPaths
    start : int
        Which start to draw.
    coordinates : sequence of str, optional
        State names to draw (default: all).
    quantiles : (float, float)
        Lower and upper quantile of the band.
    ax : matplotlib Axes, optional
    """
    names = [x.name for x in paths.state]
    chosen = names if coordinates is None else list(coordinates)
    for c in chosen:
        if c not in names:
            raise ParameterError(f"{c!r} is not a state coordinate ({', '.join(names)})")
    if not 0 <= start < paths.states.shape[0]:
        raise ParameterError(f"start must be between 0 and {paths.states.shape[0] - 1}, got {start}")
    lo, hi = quantiles
    if not 0 <= lo < hi <= 1:
        raise ParameterError(f"quantiles must satisfy 0 <= lower < upper <= 1, got {quantiles}")
    ax = axes_or_new(ax)
    mean = paths.mean()[start]
    band = paths.quantiles([lo, hi])[:, start]
    for c in chosen:
        r = names.index(c)
        (line,) = ax.plot(paths.times, mean[:, r], label=f"{c} (mean)")
        ax.fill_between(paths.times, band[0, :, r], band[1, :, r], color=line.get_color(), alpha=0.25,
                        label=f"{c} ({lo:g}-{hi:g} quantiles)")
    ax.set_xlabel("t")
    ax.set_ylabel("share")
    ax.set_ylim(-0.02, 1.02)
    ax.set_title(f"{paths.states.shape[1]} paths, {paths.method}, sigma = "
                 f"{', '.join(f'{s:g}' for s in np.unique(paths.sigma))}")
    ax.legend(fontsize="small")
    return ax


def delay_figure(trajectories, *, coordinates=None, ax=None):
    """Trajectories of :class:`~coopgame.dynamics.delay.DelayTrajectories` against time."""
    names = [x.name for x in trajectories.state]
    chosen = names if coordinates is None else list(coordinates)
    for c in chosen:
        if c not in names:
            raise ParameterError(f"{c!r} is not a state coordinate ({', '.join(names)})")
    ax = axes_or_new(ax)
    for k in range(trajectories.states.shape[0]):
        for c in chosen:
            ax.plot(trajectories.times, trajectories.states[k, :, names.index(c)], label=f"{c}, start {k}")
    ax.set_xlabel("t")
    ax.set_ylabel("share")
    ax.set_title(f"delay tau = {trajectories.tau:g}")
    ax.legend(fontsize="small")
    return ax
