"""Atomic file writes: a reader never sees a half-written file.

Data goes to a temporary file in the target's folder, is flushed to disk (``fsync``)
and renamed over the target with :func:`os.replace`. If writing fails the temporary
file is removed and an existing target is left as it was. An existing file keeps its
permissions; a new one gets ``0o644``. Every writer in the package (game files,
figures, results, checkpoints) goes through here.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

__all__ = ["atomic_open", "atomic_write_text", "folder_lock", "sweep_temporary_files"]


@contextmanager
def atomic_open(path: str | os.PathLike[str], mode: str = "wb") -> Iterator[IO[Any]]:
    """Open a temporary file that replaces ``path`` when the block ends without error.

    Parameters
    ----------
    path : path-like
        The file to (re)write; its folder must exist.
    mode : {"wb", "w"}
        Binary, or UTF-8 text with ``"\\n"`` line ends.

    Yields
    ------
    file object
        The open temporary file (in ``path``'s folder); write to it inside the block.

    Raises
    ------
    ValueError
        If ``mode`` is not ``"wb"`` or ``"w"``.
    OSError
        If the temporary file cannot be created, written or renamed over ``path``. On any
        error, in the block too, the temporary file is removed, ``path`` is left as it
        was, and the error propagates.

    Examples
    --------
    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = os.path.join(d, "data.bin")
    ...     with atomic_open(p) as handle:
    ...         _ = handle.write(b"complete")
    ...     open(p, "rb").read(), os.listdir(d)
    (b'complete', ['data.bin'])
    """
    if mode not in ("wb", "w"):
        raise ValueError(f"mode must be 'wb' or 'w', not {mode!r}")
    target = Path(os.fspath(path))
    permissions = target.stat().st_mode & 0o777 if target.exists() else 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        text = {"encoding": "utf-8", "newline": "\n"} if mode == "w" else {}
        with os.fdopen(fd, mode, **text) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, permissions)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


@contextmanager
def folder_lock(folder: str | os.PathLike[str]) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (a ``.simulator.lock`` file in it) for the block.

    Writers of one output folder take turns: a second run into the same folder waits for the
    first to finish, so the folder never mixes the files of two runs. Where the platform has no
    ``fcntl`` (Windows) the block runs unlocked.

    Parameters
    ----------
    folder : path-like
        An existing folder; the lock file is created in it if missing (and left there).

    Yields
    ------
    None
        Control, once the lock is held; the lock is released when the block ends.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d, folder_lock(d):
    ...     pass
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    path = Path(os.fspath(folder)) / ".simulator.lock"
    with open(path, "a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def sweep_temporary_files(folder: str | os.PathLike[str]) -> list[str]:
    """Remove temporary files that an interrupted write left in ``folder``; return their names.

    Call it only while holding :func:`folder_lock`: no write is then under way, so every
    ``.<name>.<random>.tmp`` file is a leftover of a run that was killed mid-write.

    Parameters
    ----------
    folder : path-like
        The folder to clean (not its subfolders).

    Returns
    -------
    list of str
        The names of the removed files, sorted.

    Examples
    --------
    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     open(os.path.join(d, ".a.png.x1.tmp"), "w").close()
    ...     sweep_temporary_files(d), os.listdir(d)
    (['.a.png.x1.tmp'], [])
    """
    removed = []
    for entry in sorted(Path(os.fspath(folder)).glob(".*.tmp")):
        if entry.is_file():
            entry.unlink(missing_ok=True)
            removed.append(entry.name)
    return removed


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` atomically.

    Parameters
    ----------
    path : path-like
        The file to (re)write; its folder must exist.
    text : str
        The content, written with ``"\\n"`` line ends.

    Raises
    ------
    OSError
        If the file cannot be written; an existing file is then left as it was.

    Examples
    --------
    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = os.path.join(d, "a.txt")
    ...     atomic_write_text(p, "one\\n")
    ...     atomic_write_text(p, "two\\n")
    ...     open(p).read(), os.listdir(d)
    ('two\\n', ['a.txt'])
    """
    with atomic_open(path, "w") as handle:
        handle.write(text)
