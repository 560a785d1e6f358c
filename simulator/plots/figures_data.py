"""The plain data the briefing figures take: checks, and the grid geometry derived from it.

Part of :mod:`simulator.plots.figures`. Every figure validates its arguments here, with a
:class:`ValueError` that says what to fix (grid axes, series, matrices, names, the scenario's
point), and draws grid cells and runs of flagged points with :func:`_cell_edges` and
:func:`_runs`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


def _number(name: str, value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number; got {value!r}") from None


def _grid_axis(name: str, values: Any, min_size: int = 2) -> np.ndarray:
    """A 1-D, finite, strictly increasing float array."""
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers; got {values!r}") from None
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional; got shape {arr.shape}")
    if arr.size < min_size:
        raise ValueError(f"{name} needs at least {min_size} values; got {arr.size}")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must be finite; it contains nan or inf")
    if (np.diff(arr) <= 0).any():
        raise ValueError(f"{name} must be strictly increasing")
    return arr


def _series(name: str, values: Any, size: int, allow_all_nan: bool = False) -> np.ndarray:
    """A 1-D float array of the given length; nan allowed, inf not."""
    arr = np.asarray(values, dtype=float)
    if arr.shape != (size,):
        raise ValueError(f"{name} has shape {arr.shape} but needs ({size},), one value per point")
    if np.isinf(arr).any():
        raise ValueError(f"{name} contains inf; use nan for missing values")
    if not allow_all_nan and not np.isfinite(arr).any():
        raise ValueError(f"{name} has no finite values; there is nothing to plot")
    return arr


def _matrix(name: str, values: Any, shape: tuple[int, int]) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if arr.shape != shape:
        raise ValueError(f"{name} has shape {arr.shape} but needs {shape} (strategies x actors)")
    if np.isinf(arr).any():
        raise ValueError(f"{name} contains inf")
    return arr


def _labels(name: str, labels: Sequence[str]) -> list[str]:
    if isinstance(labels, str):
        raise ValueError(f"{name} must be a list of names, not one string {labels!r}")
    out = [str(label) for label in labels]
    if not out:
        raise ValueError(f"{name} is empty")
    if len(set(out)) != len(out):
        raise ValueError(f"{name} has repeated names: {out}")
    return out


def _point(name: str, value: Any, size: int) -> tuple[float, ...] | None:
    """The scenario's point as a tuple of ``size`` finite numbers, or None."""
    if value is None:
        return None
    arr = np.atleast_1d(np.asarray(value, dtype=float))
    if arr.shape != (size,) or not np.isfinite(arr).all():
        raise ValueError(f"{name} must be {size} finite number(s); got {value!r}")
    return tuple(float(v) for v in arr)


def _cell_edges(centres: np.ndarray) -> np.ndarray:
    """Cell boundaries around grid points: midpoints inside, half a step beyond each end."""
    mid = 0.5 * (centres[1:] + centres[:-1])
    return np.concatenate(
        [[centres[0] - (mid[0] - centres[0])], mid, [centres[-1] + (centres[-1] - mid[-1])]]
    )


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """Index ranges ``(first, last)`` of consecutive True entries."""
    padded = np.concatenate([[False], flags, [False]]).astype(int)
    change = np.diff(padded)
    starts, ends = np.flatnonzero(change == 1), np.flatnonzero(change == -1) - 1
    return list(zip(starts.tolist(), ends.tolist()))
