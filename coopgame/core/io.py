"""Atomic file writing: a file or a folder appears complete or not at all.

Every writer of the package (reports, figures, CSV files, sweep results, basin checkpoints)
goes through these helpers: the data are written to a temporary file (or folder) in the
destination's folder, so that the final :func:`os.replace` is atomic, and an existing
destination is only replaced once the new content is complete. Failures raise
:class:`~coopgame.errors.OutputError` naming the path.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_text_atomically(folder / "a.txt", "hello").read_text()
'hello'
>>> with open_atomically(folder / "b.bin") as fh:
...     _ = fh.write(b"\\x00\\x01")
>>> (folder / "b.bin").read_bytes()
b'\\x00\\x01'
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from .errors import OutputError

__all__ = ["check_folder", "open_atomically", "write_bytes_atomically", "write_folder_atomically",
           "write_text_atomically"]


@contextlib.contextmanager
def open_atomically(path, *, fsync: bool = False) -> Iterator[BinaryIO]:
    """A binary file handle whose content replaces ``path`` only when the block completes.

    Parameters
    ----------
    path : path-like
        The destination file; its folder must exist.
    fsync : bool
        Flush the data to disk before the rename (for long runs' checkpoints).

    Raises
    ------
    OutputError
        A folder of that name exists, or the file cannot be written. If the block raises, the
        temporary file is removed and ``path`` is untouched.
    """
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise OutputError(f"output file {path}: a folder of that name exists")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise OutputError(f"output file {path}: cannot write in {parent} ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            if fsync:
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OutputError):
            raise
        raise OutputError(f"output file {path}: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_bytes_atomically(path, data: bytes, *, fsync: bool = False) -> Path:
    """Write bytes to ``path`` through a temporary file in the same folder (see :func:`open_atomically`)."""
    with open_atomically(path, fsync=fsync) as fh:
        fh.write(data)
    return Path(path)


def write_text_atomically(path, text: str) -> Path:
    """Write text (UTF-8) to ``path`` through a temporary file in the same folder."""
    return write_bytes_atomically(path, text.encode("utf-8"))


def check_folder(dest) -> None:
    """Fail before any work when ``dest`` cannot become a folder (:class:`~coopgame.errors.OutputError`)."""
    dest = Path(dest)
    if dest.exists() and not dest.is_dir():
        raise OutputError(f"output folder {dest}: a file of that name exists")
    ancestor = dest.parent if str(dest.parent) else Path(".")
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise OutputError(f"output folder {dest}: {ancestor} is a file, not a folder")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise OutputError(f"output folder {dest}: {ancestor} is not writable")


def write_folder_atomically(dest, build: Callable[[Path], object]) -> Path:
    """Build a folder with ``build(tmp_path)`` and move it to ``dest`` only when complete.

    The temporary folder is created next to ``dest`` (same file system, so the final rename is
    atomic; missing parent folders are created); if ``build`` fails, the folder is not created
    and an existing ``dest`` is untouched.

    Raises
    ------
    OutputError
        ``dest`` or its parent cannot be written.
    """
    dest = Path(dest)
    parent = dest.parent if str(dest.parent) else Path(".")
    check_folder(dest)
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise OutputError(f"output folder {dest}: cannot write in {parent} ({exc.strerror or exc})") from None
    try:
        build(tmp)
        os.chmod(tmp, 0o755)
        if dest.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old.", suffix=".tmp", dir=parent))
            os.replace(dest, old / "previous")
            try:
                os.replace(tmp, dest)
            except OSError:
                os.replace(old / "previous", dest)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, dest)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(f"output folder {dest}: {exc.strerror or exc}") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return dest
