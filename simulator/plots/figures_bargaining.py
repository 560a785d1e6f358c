"""The bargaining range: the band of settlements both sides prefer to war, against a parameter.

Part of :mod:`simulator.plots.figures`. :func:`bargaining_range` shades the band, hatches
where it is empty, names the gap in place where the words fit without covering a line, and
dots the stretches between a grid point with a band and one without: where between them the
range opens or closes was not computed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from simulator.analysis.labels import axis_label, in_sentence, plain_label
from simulator.plots.figures_data import _grid_axis, _number, _point, _runs, _series
from simulator.plots.figures_layout import (
    _LIGHT_GREY,
    _figure_legend,
    _finish,
    _renderer,
    _tint,
)
from simulator.plots.style import SERIES_ORDER, briefing_style, colours_for, new_figure

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["bargaining_range"]

_ALIGNMENT_LABEL = "Ukraine's Western alignment\n(0 = Russia's sphere, 1 = Western)"
#: What the dotted stretches are, in the legend.
NOT_COMPUTED = "Between grid points: not computed"
_NO_SETTLEMENT = {"facecolor": "#F4F4F4", "edgecolor": _LIGHT_GREY, "hatch": "//"}
_UNKNOWN = {"facecolor": "white", "edgecolor": "#9A9A9A", "hatch": ".."}


# ============================================================================ bargaining range
def bargaining_range(
    parameter_values: Any,
    low: Any,
    high: Any,
    parameter: str,
    status_quo: Any = None,
    offers: Mapping[str, float] | None = None,
    title: str | None = None,
    *,
    y_label: str = _ALIGNMENT_LABEL,
    low_label: str = "Least Ukraine accepts",
    high_label: str = "Most Russia concedes",
    subtitle: str | None = None,
    point: float | None = None,
    point_label: str = "This scenario",
) -> Figure:
    """The band of settlements both sides prefer to war, against a parameter.

    The band between ``low`` and ``high`` is shaded where it is non-empty; where it is empty
    (``nan`` bounds, or ``low > high``) the background is hatched and, where the words fit
    inside the hatching without covering a line, labelled "No settlement both sides accept"
    (the legend always names it). Both are drawn between the grid points that have them (the
    band's edges joined by straight lines); between a grid point with a band and one without,
    where the range opens or closes is not known, and the stretch is dotted and named in the
    legend ("Between grid points: not computed"), as is any stretch of the axis outside the
    grid (to show ``point``). Named offers are horizontal dashed lines: an offer inside the
    band is acceptable to both sides at that parameter value.

    Parameters
    ----------
    parameter_values : array_like, 1-D
        Increasing values of the swept parameter.
    low, high : array_like, 1-D
        Bounds of the acceptable settlements at each value (``nan`` where none exists), e.g.
        ``low``/``high`` of :func:`simulator.model.published.bargaining.status_settlements`.
    parameter : str
        Dotted parameter name or plain words.
    status_quo : float or array_like, optional
        The current settlement (a line; one value, or one per parameter value).
    offers : dict of str to float, optional
        Offers by name, e.g. ``{"Neutrality with guarantees": 0.6}``.
    title : str, optional
    y_label, low_label, high_label : str
        Plain-word labels of the vertical axis and the two edges of the band.
    subtitle : str, optional
        A line under the title (the scenario and the offer, say).
    point : float, optional
        The scenario's own value of the parameter: a vertical line named ``point_label``.
    point_label : str

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> status = np.array([0.0, 0.5, 1.0, 1.5])
    >>> fig = bargaining_range(status, [0.35, 0.35, np.nan, np.nan], [0.6, 0.35, np.nan, np.nan],
    ...                        "russia.great_power_status", offers={"Neutrality offer": 0.6})
    >>> print(fig.get_suptitle())
    Settlements both sides prefer to war, by great-power status
    premium
    >>> for text in fig.legends[0].get_texts()[:3]:
    ...     print(text.get_text())
    Settlements both sides prefer to war
    No settlement both sides accept
    Between grid points: not computed
    """
    x = _grid_axis("parameter_values", parameter_values)
    lo = _series("low", low, x.size, allow_all_nan=True)
    hi = _series("high", high, x.size, allow_all_nan=True)
    nonempty = np.isfinite(lo) & np.isfinite(hi) & (lo <= hi)
    quo = None
    if status_quo is not None:
        quo = np.asarray(status_quo, dtype=float)
        quo = np.full(x.size, float(quo)) if quo.ndim == 0 else _series("status_quo", quo, x.size)
    offers = dict(offers or {})
    for name, value in offers.items():
        if not np.isfinite(_number(f"offers[{name!r}]", value)):
            raise ValueError(f"offers[{name!r}] must be a finite number; got {value!r}")
    where = _point("point", point, 1)

    with briefing_style():
        from matplotlib.patches import Patch

        fig, ax = new_figure()
        handles: list[Any] = []
        band_colour = colours_for(["settlement"])[0]
        if nonempty.any():
            ax.fill_between(x, lo, hi, where=nonempty, color=_tint(band_colour, 0.55), linewidth=0)
            handles.append(
                Patch(color=_tint(band_colour, 0.55), label="Settlements both sides prefer to war")
            )
        runs = _runs(~nonempty)
        for a, b in runs:
            # a lone grid point without a band is a line (the patch's edge), not a stretch
            ax.axvspan(x[a], x[b], **_NO_SETTLEMENT, linewidth=0 if b > a else 3)
        if runs:
            handles.append(Patch(**_NO_SETTLEMENT, label="No settlement both sides accept"))
        left = min(x[0], where[0]) if where is not None else x[0]
        right = max(x[-1], where[0]) if where is not None else x[-1]
        unknown = [(x[k], x[k + 1]) for k in np.flatnonzero(nonempty[1:] != nonempty[:-1])]
        unknown += [(a, b) for a, b in ((left, x[0]), (x[-1], right)) if b > a]
        for a, b in unknown:
            ax.axvspan(a, b, **_UNKNOWN, linewidth=0)
        if unknown:
            handles.append(Patch(**_UNKNOWN, label=NOT_COMPUTED))
        masked_lo = np.where(nonempty, lo, np.nan)
        masked_hi = np.where(nonempty, hi, np.nan)
        (line_hi,) = ax.plot(x, masked_hi, color="#0B5D46", linewidth=2.5, label=high_label)
        (line_lo,) = ax.plot(
            x, masked_lo, color="#0B5D46", linewidth=2.5, linestyle=(0, (1, 1.5)), label=low_label
        )
        handles += [line_hi, line_lo]
        # Offers must not take the band's colour (or black, kept for the status quo).
        offer_colours = [c for c in SERIES_ORDER if c not in (band_colour, "#000000")]
        for k, (name, value) in enumerate(offers.items()):
            handles.append(
                ax.axhline(
                    float(value),
                    color=offer_colours[k % len(offer_colours)],
                    linewidth=2.2,
                    linestyle="--",
                    label=f"{plain_label(name)} ({float(value):g})",
                )
            )
        if quo is not None:
            (line,) = ax.plot(
                x, quo, color="#000000", linewidth=2, linestyle=":", label="Status quo"
            )
            handles.append(line)
        if where is not None:
            handles.append(
                ax.axvline(
                    where[0],
                    color="#000000",
                    linewidth=1.8,
                    linestyle=(0, (6, 2, 1, 2)),
                    label=point_label,
                )
            )
        finite = np.concatenate(
            [
                lo[np.isfinite(lo)],
                hi[np.isfinite(hi)],
                np.array(list(offers.values()), dtype=float),
                quo if quo is not None else np.array([]),
            ]
        )
        if finite.size == 0 or (finite.min() >= 0 and finite.max() <= 1):
            ax.set_ylim(-0.02, 1.02)
        ax.set_xlim(left, right)
        ax.set_xlabel(axis_label(parameter))
        ax.set_ylabel(y_label)
        _figure_legend(fig, handles, side="right")
        _finish(
            fig,
            title
            or f"Settlements both sides prefer to war, by {in_sentence(plain_label(parameter))}",
            subtitle,
        )
        if runs:
            a, b = max(runs, key=lambda r: x[r[1]] - x[r[0]])
            _label_gap(ax, x[a], x[b])
    return fig


def _label_gap(ax: Axes, left: float, right: float) -> None:
    """Name the hatched gap in place if the words fit inside it without covering a line.

    Tried at several heights and wrappings; where nothing fits the legend alone names it.
    """
    renderer = _renderer(ax.get_figure(root=True))
    dpi = ax.get_figure(root=True).dpi
    frame = ax.get_window_extent(renderer)
    bottom, top = ax.get_ylim()
    x0, _ = ax.transData.transform((left, bottom))
    x1, _ = ax.transData.transform((right, bottom))
    lines = _line_paths(ax)
    for text in ("No settlement\nboth sides accept", "No settlement\nboth sides\naccept"):
        for height in (0.5, 0.35, 0.65, 0.2, 0.8):
            t = ax.text(
                0.5 * (left + right),
                bottom + height * (top - bottom),
                text,
                ha="center",
                va="center",
                fontsize=13,
                color="#333333",
                bbox={"boxstyle": "round,pad=0.3", "fc": "white", "ec": "none", "alpha": 0.9},
            )
            # the box round the words, and a margin so that no line touches it
            box = t.get_window_extent(renderer).padded((0.3 * 13 + 3) * dpi / 72)
            inside = max(x0, frame.x0) <= box.x0 and box.x1 <= min(x1, frame.x1)
            if inside and not any(path.intersects_bbox(box, filled=False) for path in lines):
                return
            t.remove()


def _line_paths(ax: Axes) -> list[Any]:
    """The drawn lines of ``ax`` as paths in display coordinates, one per unbroken piece."""
    from matplotlib.path import Path

    out = []
    for line in ax.get_lines():
        xy = line.get_transform().transform(np.asarray(line.get_xydata(), dtype=float))
        ok = np.isfinite(xy).all(axis=1)
        for a, b in _runs(ok):
            piece = xy[a : b + 1]
            out.append(Path(piece if len(piece) > 1 else np.vstack([piece, piece])))
    return out
