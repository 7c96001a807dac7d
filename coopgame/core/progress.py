"""Progress bars for long runs (sweeps, basins, reports), through tqdm.

tqdm is a dependency of coopgame rather than an optional extra with a silent fallback: a
researcher who starts a sweep of a million points or a report with thousands of trajectories
should see that it is running and how long it will take, and a fallback that draws nothing would
bring back the silent runs this module replaces. tqdm is small, pure Python and has no
dependencies of its own. :func:`bar` draws a widget in Jupyter notebooks (``tqdm.auto``, where
``ipywidgets`` is installed) and a text bar on terminals (``tqdm.std``, on standard error).

Every long function takes ``progress`` (``True`` by default; ``False`` draws nothing) and the
command line has ``--quiet``. Progress never changes a result.

Examples
--------
>>> with bar(3, "points", "demo", enabled=False) as b:
...     for _ in range(3):
...         b.update(1)
>>> b.n
3
"""

from __future__ import annotations

import sys

__all__ = ["bar"]


class _Silent:
    """What :func:`bar` returns when progress is off: counts, draws nothing."""

    def __init__(self, total):
        self.total = total
        self.n = 0

    def update(self, n=1):
        self.n += n

    def set_postfix_str(self, s="", refresh=True):
        pass

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def bar(total, unit: str, desc: str, *, enabled: bool = True, continuous: bool = False):
    """A progress bar over ``total`` units of work (a notebook widget or a terminal bar).

    Parameters
    ----------
    total : int
        The units of work (grid points, starts, steps of a report).
    unit : str
        Their name, shown after the counts.
    desc : str
        What runs, shown before the bar.
    enabled : bool
        ``False`` returns an object with the same methods that draws nothing.
    continuous : bool
        ``total`` is a real quantity (the integration time): shown as ``t = 12.5/50``.

    Returns
    -------
    tqdm.tqdm or a silent counter
        Use ``update(n)`` and ``close()``, or a ``with`` block.
    """
    if not enabled:
        return _Silent(total)
    if "ipykernel" in sys.modules:  # a notebook: tqdm's widget (where ipywidgets is installed)
        from tqdm.auto import tqdm
    else:  # a terminal or a script: the text bar, without the imports the notebook check needs
        from tqdm.std import tqdm

    fmt = "{l_bar}{bar}| " + unit + " {n:.4g}/{total:.4g} [{elapsed}<{remaining}]" if continuous else None
    return tqdm(total=total, unit=unit, desc=desc, mininterval=0.2, dynamic_ncols=True, leave=True, bar_format=fmt)
