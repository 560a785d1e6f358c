"""Checkpoints for long sweeps: finished chunks of points saved atomically, reused on resume.

A sweep or Monte Carlo analysis is solved in chunks of points. After each chunk its results
are written to ``<folder>/<key>-<chunk>.npz`` (a temporary file renamed over the target with
:func:`os.replace`, so a chunk file is either complete or absent). The key is a hash of
everything the results depend on (library version, the analysis, every parameter value and
formula, the chunk size, and a hash of the library's own source code), so a changed
scenario or a changed library never reuses stale points. Each chunk carries a digest of its
arrays; on a resumed run a chunk is read back only if it opens and its digest matches
(an edited, truncated or damaged chunk is solved again).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

import numpy as np

from simulator.atomic import atomic_open

__all__ = ["CheckpointStore", "checkpoint_key", "code_hash"]

_DIGEST = "__digest__"


@functools.cache
def code_hash() -> str:
    """A hash of every source file of the ``simulator`` package (part of checkpoint keys).

    Examples
    --------
    >>> len(code_hash())
    16
    """
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode("utf-8"))
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _digest(arrays: dict[str, np.ndarray]) -> str:
    digest = hashlib.sha256()
    for name in sorted(arrays):
        array = np.ascontiguousarray(arrays[name])
        digest.update(f"{name}|{array.dtype.str}|{array.shape}|".encode())
        digest.update(array.tobytes())
    return digest.hexdigest()


def checkpoint_key(*parts: Any) -> str:
    """A short stable hash of JSON-serialisable ``parts`` (``repr`` for anything else).

    Parameters
    ----------
    *parts : Any
        What the key depends on, hashed as JSON with sorted keys (an object JSON cannot write
        is hashed by its ``repr``).

    Returns
    -------
    str
        The first 16 hexadecimal digits of the SHA-256 digest of that JSON text.

    Examples
    --------
    >>> checkpoint_key("sweep", 1, {"a": 0.5}) == checkpoint_key("sweep", 1, {"a": 0.5})
    True
    >>> len(checkpoint_key("x"))
    16
    """
    text = json.dumps(parts, sort_keys=True, default=repr, ensure_ascii=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class CheckpointStore:
    """Chunks of results in a folder, keyed by analysis and chunk number.

    Parameters
    ----------
    folder : path
        Where chunk files go (created on the first save).
    resume : bool
        Whether chunks already in the folder may be read back. Without it, every chunk is
        computed again (and its file overwritten).

    Examples
    --------
    >>> import tempfile
    >>> store = CheckpointStore(tempfile.mkdtemp(), resume=True)
    >>> store.save("k", 0, {"x": np.array([1.0, 2.0]), "label": np.array(["a", "b"], object)})
    >>> loaded = store.load("k", 0)
    >>> loaded["x"].tolist(), loaded["label"].tolist(), store.load("k", 1) is None
    ([1.0, 2.0], ['a', 'b'], True)
    >>> store.saved("k")
    [0]
    """

    def __init__(self, folder: str | os.PathLike[str], resume: bool = False) -> None:
        self.folder = Path(folder)
        self.resume = resume

    def _path(self, key: str, chunk: int) -> Path:
        return self.folder / f"{key}-{chunk:06d}.npz"

    def saved(self, key: str) -> list[int]:
        """The chunk numbers saved under ``key``."""
        if not self.folder.is_dir():
            return []
        out = []
        for path in self.folder.glob(f"{key}-*.npz"):
            tail = path.stem[len(key) + 1 :]
            if tail.isdigit():
                out.append(int(tail))
        return sorted(out)

    def load(self, key: str, chunk: int) -> dict[str, np.ndarray] | None:
        """The saved chunk, or None (not saved, unreadable, or not resuming)."""
        if not self.resume:
            return None
        path = self._path(key, chunk)
        if not path.is_file():
            return None
        try:
            with np.load(path, allow_pickle=False) as data:
                plain = {name: data[name] for name in data.files}
        except Exception:  # noqa: BLE001 - a damaged or truncated file is computed again
            return None
        stored = plain.pop(_DIGEST, None)
        if stored is None or str(stored) != _digest(plain):
            return None  # edited or incomplete: computed again
        return {
            name: array.astype(object) if array.dtype.kind == "U" else array
            for name, array in plain.items()
        }

    def save(self, key: str, chunk: int, arrays: dict[str, np.ndarray]) -> None:
        """Write a chunk atomically (strings are stored as text, never pickled)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        plain = {
            name: np.asarray(a, dtype=str) if np.asarray(a).dtype.kind == "O" else np.asarray(a)
            for name, a in arrays.items()
        }
        plain[_DIGEST] = np.asarray(_digest(plain))
        target = self._path(key, chunk)
        with atomic_open(target, "wb") as handle:
            np.savez(handle, **plain)

    def clear(self) -> None:
        """Remove the folder and every chunk in it."""
        shutil.rmtree(self.folder, ignore_errors=True)
