"""Checkpoint folders of long simulations: a manifest naming the run, one file per finished chunk.

:func:`~coopgame.dynamics.simulate.simulate` with ``out=`` integrates its starts chunk by chunk
and saves every finished chunk here at once, so an interrupted run (a killed process, a closed
laptop) resumes from the chunks already done. A folder holds

``manifest.json``
    What the stored states depend on (the package version, the game, the values, the starts, the
    output times, the tolerances, the step control, ``settle``, the chunk size, and what the
    caller adds, such as the model name and seed on the command line). It is written before the
    first chunk; a later run with another manifest is refused, naming the entries that differ.
``chunk-00000.npz``, ...
    The states ``(m, T, dim)`` and accepted steps ``(m,)`` of each finished chunk.

Every file is written atomically (:mod:`coopgame.core.io`): a chunk file exists complete or not
at all, so the chunk files present are exactly the chunks done. Files get the user's normal
permissions.

Examples
--------
>>> import tempfile, pathlib, numpy as np
>>> folder = RunFolder.open(pathlib.Path(tempfile.mkdtemp()) / "run", {"t_max": 5.0}, chunks=2)
>>> folder.save(0, np.zeros((3, 2, 1)), np.array([4, 4, 4]))
>>> folder.done()
[0]
>>> RunFolder.open(folder.path, {"t_max": 6.0}, chunks=2)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
coopgame.errors.ParameterError: ... holds a different run (t_max: 5.0 there, 6.0 here); ...
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from ..core.errors import OutputError, ParameterError

__all__ = ["RunFolder", "MANIFEST", "FORMAT"]

MANIFEST = "manifest.json"
FORMAT = "coopgame-simulate-1"
_CHUNK = re.compile(r"chunk-(\d{5})\.npz")
#: Longest entry shown whole in the message naming what differs.
_SHOWN = 60


class RunFolder:
    """A checkpoint folder of one run (see the module docstring); use :meth:`open`."""

    def __init__(self, path: Path, run: dict, chunks: int):
        self.path, self.run, self.chunks = path, run, chunks

    @classmethod
    def open(cls, path, run: Mapping, *, chunks: int, extra_files=()) -> RunFolder:
        """The folder ``path`` for the run described by ``run`` (JSON data), created if needed.

        An existing folder must hold the same run (its ``manifest.json``), or be empty.
        ``extra_files`` are names the caller writes there as well (a CSV export, say).

        Raises
        ------
        ParameterError
            The folder holds another run (the message names the entries that differ), or is
            not a run folder (other files, an unreadable manifest).
        OutputError
            The folder cannot be created or written.
        """
        from ..core.io import check_folder, write_text_atomically

        path = Path(path)
        try:
            run = json.loads(json.dumps(dict(run)))  # tuples as lists, as they are read back
        except (TypeError, ValueError) as exc:
            raise ParameterError(f"the manifest of {path} must be JSON data ({exc})") from None
        check_folder(path)
        manifest = path / MANIFEST
        if manifest.exists():
            _check_manifest(manifest, run, chunks)
            return cls(path, run, chunks)
        if path.exists():
            allowed = set(extra_files)
            others = sorted(p.name for p in path.iterdir()
                            if p.name not in allowed and not p.name.startswith("."))
            if others:
                raise ParameterError(f"{path}: not a simulation run folder (no {MANIFEST}, but {others[0]!r}); "
                                     f"remove it or choose another folder")
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"output folder {path}: {exc.strerror or exc}") from None
        write_text_atomically(manifest, json.dumps({"format": FORMAT, "chunks": chunks, "run": run}, indent=1)
                              + "\n")
        return cls(path, run, chunks)

    def chunk_path(self, i: int) -> Path:
        return self.path / f"chunk-{i:05d}.npz"

    def done(self) -> list[int]:
        """The indices of the chunks saved, in order."""
        found = []
        for p in self.path.iterdir():
            match = _CHUNK.fullmatch(p.name)
            if match and int(match.group(1)) < self.chunks:
                found.append(int(match.group(1)))
        return sorted(found)

    def save(self, i: int, states: np.ndarray, steps: np.ndarray) -> None:
        """Write chunk ``i`` atomically."""
        from ..core.io import write_bytes_atomically

        buf = io.BytesIO()
        np.savez(buf, states=np.ascontiguousarray(states, dtype=float), steps=np.asarray(steps, dtype=np.int64))
        write_bytes_atomically(self.chunk_path(i), buf.getvalue())

    def load(self, i: int, shape: tuple) -> tuple[np.ndarray, np.ndarray]:
        """The states (of ``shape``) and steps of chunk ``i``; a damaged file is an error naming it."""
        path = self.chunk_path(i)
        try:
            with np.load(path, allow_pickle=False) as data:
                states, steps = np.array(data["states"]), np.array(data["steps"])
        except (OSError, ValueError, KeyError) as exc:
            raise ParameterError(f"{path}: not a readable chunk of this run ({exc}); remove it to compute the "
                                 f"chunk again") from None
        if states.shape != tuple(shape) or states.dtype != float or steps.shape != shape[:1]:
            raise ParameterError(f"{path}: holds states of shape {states.shape}, expected {tuple(shape)}; remove it "
                                 f"to compute the chunk again")
        return states, steps.astype(int)


def _check_manifest(manifest: Path, run: dict, chunks: int) -> None:
    folder = manifest.parent
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        ok = data["format"] == FORMAT and isinstance(data["run"], dict)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ParameterError(f"{manifest}: not a readable run manifest ({exc}); remove the folder or choose "
                             f"another") from None
    if not ok:
        raise ParameterError(f"{manifest}: not a manifest of a coopgame simulation; remove the folder or choose "
                             f"another")
    old, run = {**data["run"], "chunks": data.get("chunks")}, {**run, "chunks": chunks}
    if old != run:
        diffs = [f"{key}: {_short(old.get(key, '(none)'))} there, {_short(run.get(key, '(none)'))} here"
                 for key in list(old) + [k for k in run if k not in old] if old.get(key) != run.get(key)]
        raise ParameterError(f"{folder} holds a different run ({'; '.join(diffs)}); remove it or choose another "
                             f"folder")


def _short(value) -> str:
    text = json.dumps(value) if not isinstance(value, (int, float)) or isinstance(value, bool) else repr(value)
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "..."
