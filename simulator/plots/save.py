"""Saving briefing figures: atomic, reproducible PNG, SVG and PDF files.

Reproducible means byte-identical files when the same figure is saved twice, or rebuilt from
the same data and saved again (with the same matplotlib): no dates or version strings in
the metadata, a fixed SVG hash salt for element ids, and text drawn as paths from the font
that ships with matplotlib (:data:`simulator.plots.style.BRIEFING_RC`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.plots.style import briefing_style

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["FORMATS", "save_figure"]

#: The formats :func:`save_figure` writes, with the metadata that keeps each reproducible.
FORMATS: dict[str, dict[str, Any]] = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
}


def save_figure(
    fig: Figure,
    path_stem: str | os.PathLike[str],
    formats: Iterable[str] = ("png", "svg"),
    dpi: float | None = None,
) -> list[Path]:
    """Write ``fig`` as ``<path_stem>.<format>`` for each format; return the paths written.

    Each file is written to a temporary file in the same folder and renamed over the target
    with :func:`os.replace`, so a reader never sees a half-written figure and an existing
    file survives a failed save. Missing folders are created. A ``path_stem`` that already
    ends in one of the formats' suffixes (``"fig.png"``) has it removed first.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        A figure, e.g. from :func:`simulator.plots.regime_map`.
    path_stem : str or path-like
        Path without suffix, e.g. ``"docs/figures/regime_map"``.
    formats : iterable of str
        Any of ``"png"``, ``"svg"``, ``"pdf"`` (in the order given; duplicates ignored).
    dpi : float, optional
        Raster resolution; defaults to 200 (a 10-inch figure is 2000 pixels wide).

    Returns
    -------
    list of pathlib.Path

    Raises
    ------
    ValueError
        For an unknown format or an empty list of formats.

    Examples
    --------
    >>> import tempfile, os
    >>> from simulator.plots import payoffs_by_strategy
    >>> fig = payoffs_by_strategy(["buy_time"], ["russia", "ukraine"], [[1.0, 0.5]])
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     paths = save_figure(fig, os.path.join(folder, "payoffs"))
    ...     [p.name for p in paths], sorted(os.listdir(folder))
    (['payoffs.png', 'payoffs.svg'], ['payoffs.png', 'payoffs.svg'])
    """
    if isinstance(formats, str):
        formats = (formats,)
    wanted: list[str] = []
    for fmt in formats:
        key = str(fmt).lower().lstrip(".")
        if key not in FORMATS:
            raise ValueError(f"unknown figure format {fmt!r}; choose from {sorted(FORMATS)}")
        if key not in wanted:
            wanted.append(key)
    if not wanted:
        raise ValueError(f"formats is empty; give at least one of {sorted(FORMATS)}")
    stem = Path(os.fspath(path_stem))
    if stem.suffix.lower().lstrip(".") in FORMATS:
        stem = stem.with_suffix("")
    if not stem.name:
        raise ValueError(f"path_stem {os.fspath(path_stem)!r} has no file name")
    stem.parent.mkdir(parents=True, exist_ok=True)
    written = []
    with briefing_style():
        for fmt in wanted:
            target = stem.with_name(f"{stem.name}.{fmt}")
            _atomic_savefig(fig, target, fmt, dpi)
            written.append(target)
    return written


def _atomic_savefig(fig: Figure, target: Path, fmt: str, dpi: float | None) -> None:
    from simulator.atomic import atomic_open

    with atomic_open(target, "wb") as handle:
        # dpi=None falls back on savefig.dpi of the briefing style (200).
        fig.savefig(handle, format=fmt, dpi=dpi, metadata=FORMATS[fmt])
