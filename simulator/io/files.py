"""Open a game file by its extension."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from simulator.games.errors import GameError

__all__ = ["read_game", "GAME_SUFFIXES"]

GAME_SUFFIXES = (".nfg", ".efg")


def read_game(path: str | os.PathLike[str]) -> Any:
    """Read a Gambit game file (``.nfg`` or ``.efg``) and return the game.

    ``.nfg`` files give a :class:`~simulator.games.normal_form.NormalFormGame`,
    ``.efg`` files an :class:`~simulator.games.extensive.ExtensiveGame`.

    Parameters
    ----------
    path : path-like
        The game file; the type is chosen by its extension (``.nfg`` or ``.efg``, in
        any case).

    Returns
    -------
    NormalFormGame or ExtensiveGame
        The game the file describes.

    Raises
    ------
    GameError
        For a missing file, an unknown extension or malformed content (the message
        names the file and the line).
    OSError
        If the file exists but cannot be read.

    Examples
    --------
    >>> read_game("missing.nfg")
    Traceback (most recent call last):
    ...
    simulator.games.errors.GameError: missing.nfg: no such file
    """
    path = Path(path)
    if not path.is_file():
        raise GameError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".nfg":
        from simulator.io.nfg import read_nfg

        return read_nfg(path)
    if suffix == ".efg":
        from simulator.io.efg import read_efg

        return read_efg(path)
    raise GameError(
        f"{path}: unknown game file type {suffix or '(none)'!r}; expected one of {GAME_SUFFIXES}"
    )
