"""Paths over time: a quantity per compared strategy, with Monte Carlo bands.

Part of :mod:`simulator.plots.figures`. :func:`paths` draws one quantity, :func:`paths_panel`
several (one panel each, optionally in titled rows). Monte Carlo bands are pointwise
quantiles of the simulated runs at each period, drawn only where they have width.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from simulator.analysis.labels import axis_label, plain_label, unit_text
from simulator.plots.figures_data import _grid_axis, _series
from simulator.plots.figures_layout import _figure_legend, _finish, _line_styles, _sentence
from simulator.plots.style import FIGURE_SIZE, briefing_style, new_figure, style_axes, wrap

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["paths", "paths_panel"]

#: Quantities that live on [0, 1]; their axes are fixed to that range.
_UNIT_INTERVAL = {
    "alignment",
    "belief",
    "cohesion",
    "sanctions",
    "settlement_probability",
    "war_probability",
    "renewed_war_probability",
    "win_probability",
}
#: Opacity of a Monte Carlo band's fill.
_BAND_ALPHA = 0.16
#: Opacity of a hatched band's lines: the means drawn over them stand out.
_HATCH_ALPHA = 0.6
#: Hatch of the first, second, ... series' bands where bands are hatched rather than filled:
#: a different direction each, so that two bands that overlap show both hatches, each in its
#: series' colour, instead of one blended tint.
_HATCHES = ("///", "\\\\\\", "|||", "---")


# ============================================================================ paths
def paths(
    periods: Any,
    series: Mapping[str, Any],
    quantity: str,
    bands: tuple[float, float] | None = (0.05, 0.95),
    title: str | None = None,
    *,
    subtitle: str | None = None,
) -> Figure:
    """A quantity over time for each compared strategy, with Monte Carlo bands.

    A band is drawn only where it has width (a band as thin as a line says nothing a line
    does not), in its strategy's colour with edges in the strategy's dash pattern, so bands
    stay matched to their lines where they overlap; bands identical to an earlier one are
    filled once. Each strategy with a band has a legend entry that shows its band's colour.

    Parameters
    ----------
    periods : array_like, 1-D
        The periods (increasing), e.g. ``np.arange(31)``.
    series : dict of str to array or dict
        Per strategy either a ``(runs, periods)`` array of simulated paths (the mean is drawn
        and the ``bands`` quantiles shaded), a 1-D path, or precomputed ``{"mean": ...,
        "low": ..., "high": ...}`` (``low``/``high`` optional). ``nan`` entries are ignored.
    quantity : str
        What is plotted: ``"cohesion"``, ``"capability"``, ``"belief"`` or plain words.
    bands : (float, float) or None
        Lower and upper quantile of the shaded band; ``None`` for no band.
    title : str, optional
    subtitle : str, optional
        A line under the title (the scenario and the offer, say).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> t = np.arange(10)
    >>> runs = {"buy_time": 1 - 0.03 * t * rng.uniform(0.5, 1.5, (200, 1)),
    ...         "genuine_compromise": {"mean": np.ones(10)}}
    >>> fig = paths(t, runs, "cohesion")
    >>> fig.get_suptitle(), " ".join(fig.axes[0].get_ylabel().split())
    ('Western cohesion over time, by strategy', 'Western cohesion (share of full cohesion)')
    >>> [t.get_text() for t in fig.legends[0].get_texts()]
    ['Buy time', 'Genuine compromise']
    >>> fig.legends[0].get_title().get_text()
    'Line: mean of runs; shaded: middle 90% of runs'
    """
    x = _grid_axis("periods", periods, min_size=1)
    summary = _summaries(quantity, series, x.size, bands)
    with briefing_style():
        fig, ax = new_figure()
        styles = _line_styles(list(summary))
        banded = _draw_paths(ax, x, summary, quantity, styles)
        ax.set_xlabel(axis_label("period"))
        ax.set_ylabel(wrap(axis_label(quantity), 40))
        _path_legend(fig, list(summary), banded, bands, styles)
        _finish(fig, title or f"{plain_label(quantity)} over time, by strategy", subtitle)
    return fig


def paths_panel(
    periods: Any,
    panels: Mapping[str, Mapping[str, Any]] | None,
    bands: tuple[float, float] | None = (0.05, 0.95),
    title: str | None = None,
    *,
    rows: Mapping[str, Mapping[str, Mapping[str, Any]]] | None = None,
    subtitle: str | None = None,
    band_label: str | None = None,
    hatched: bool = False,
    same_scale: bool = False,
) -> Figure:
    """Several quantities over time, one panel each, strategies coloured alike in all panels.

    ``panels`` maps a quantity to the ``series`` argument of :func:`paths`. With ``rows``
    instead (a row title, such as "Runs in which Russia is sincere", to such a mapping) each
    row holds its own panels under its title: the way to show bands per type of Russia rather
    than over a mixture of types. Each panel is titled by its quantity; its vertical axis
    carries the quantity's unit. ``band_label`` says what a band holds (by default "middle
    90% of runs", from ``bands``). With ``rows``, a row holds up to four panels side by side;
    ``same_scale=True`` gives each quantity the same vertical axis in every row (the rows can
    be compared at a glance) and, where every row draws the same quantities in the same order,
    titles the panels of the first row only (the columns' headings). ``hatched=True`` draws
    bands as hatching in their series' colour, a direction per series, instead of tinted
    fills: where the bands of several series partly overlap, each stays matched to its line
    (stacked tints blend into a grey that matches none).

    Parameters
    ----------
    periods : array_like, 1-D
        The periods (increasing), e.g. ``np.arange(31)``.
    panels : dict of str to dict, or None
        ``{quantity: series}``, one panel per quantity (``"cohesion"``, ``"capability"``,
        ``"belief"`` or plain words), each ``series`` as in :func:`paths`; ``None`` (or empty)
        when ``rows`` is given.
    bands : (float, float) or None
        Lower and upper quantile of the shaded bands; ``None`` for no band.
    title : str, optional
        The figure's title (default "How the strategies play out over time").
    rows : dict of str to dict, optional
        ``{row title: {quantity: series}}``, instead of ``panels``.
    subtitle : str, optional
        A line under the title (the scenario and the offer, say).
    band_label : str, optional
        What a band holds, for the legend.
    hatched : bool, optional
        Hatch the bands instead of filling them (default ``False``).
    same_scale : bool, optional
        With ``rows``: one vertical range per quantity across the rows, panel titles on the
        first row only where the rows' quantities are the same (default ``False``).

    Returns
    -------
    matplotlib.figure.Figure
        Up to three panels side by side, more in rows of two; with ``rows``, up to four
        panels per row.

    Raises
    ------
    ValueError
        If both ``panels`` and ``rows`` are given, neither is a non-empty dict, a row holds no
        panels, or the periods or a series are not valid (as in :func:`paths`).

    Examples
    --------
    >>> import numpy as np
    >>> t = np.arange(5)
    >>> fig = paths_panel(t, {"belief": {"buy_time": np.full((3, 5), 0.5)},
    ...                       "capability": {"buy_time": np.ones((3, 5))}})
    >>> [ax.get_title(loc="left") for ax in fig.axes]
    ["West's belief that Russia is sincere", 'Russian military capability']
    >>> [ax.get_ylabel() for ax in fig.axes]
    ['Probability', 'Relative military capability']
    >>> fig.get_suptitle()
    'How the strategies play out over time'
    >>> fig = paths_panel(t, None, rows={"Sincere Russia": {"belief": {"a": np.ones(5)}},
    ...                                  "Stalling Russia": {"belief": {"a": np.zeros(5)}}})
    >>> [sf.get_suptitle() for sf in fig.subfigs]
    ['Sincere Russia', 'Stalling Russia']
    """
    if rows is not None:
        if panels:
            raise ValueError("give panels or rows, not both")
        if not isinstance(rows, Mapping) or not rows:
            raise ValueError("rows must be a non-empty dict {row title: {quantity: series}}")
        grid = {str(r): p for r, p in rows.items()}
    else:
        grid = {"": panels}  # type: ignore[dict-item]
    for row, row_panels in grid.items():
        if not isinstance(row_panels, Mapping) or not row_panels:
            where = f"row {row!r}: " if row else ""
            raise ValueError(
                f"{where}panels must be a non-empty dict {{quantity: {{strategy: data}}}}"
            )
    x = _grid_axis("periods", periods, min_size=1)
    summaries = {
        row: {q: _summaries(q, series, x.size, bands) for q, series in row_panels.items()}
        for row, row_panels in grid.items()
    }
    strategies: list[str] = []
    for row in summaries.values():
        for summary in row.values():
            strategies += [s for s in summary if s not in strategies]
    styles = _line_styles(strategies)
    widest = max(len(row) for row in summaries.values())
    ncols = widest if widest <= (3 if rows is None else 4) else 2
    hatches = None
    if hatched:
        hatches = {s: _HATCHES[k % len(_HATCHES)] for k, s in enumerate(strategies)}
    headings_once = False
    with briefing_style():
        if rows is None:
            n = len(summaries[""])
            nrows = -(-n // ncols)
            height = FIGURE_SIZE[1] if nrows == 1 else FIGURE_SIZE[1] * 1.6
            fig, axes = new_figure(nrows, ncols, figsize=(FIGURE_SIZE[0], height), sharex=True)
            layout = [(None, list(np.atleast_1d(axes).ravel()))]
        else:
            headings_once = same_scale and len({tuple(row) for row in summaries.values()}) == 1
            lines = 0
            if headings_once:  # the first row's panels carry the column headings
                first = next(iter(summaries.values()))
                lines = max(wrap(plain_label(q), 72 // ncols).count("\n") + 1 for q in first)
            fig = _row_figure(len(summaries), ncols, lines)
            layout = []
            for sub, row in zip(fig.subfigs, summaries):
                sub.suptitle(row, x=0.01, ha="left", fontsize=14, fontweight="bold")
                layout.append((sub, list(sub.axes)))
        banded: dict[str, bool] = {}
        for r, ((_sub, axes), row) in enumerate(zip(layout, summaries.values())):
            for ax, (quantity, summary) in zip(axes, row.items()):
                drawn = _draw_paths(ax, x, summary, quantity, styles, hatches)
                for name, filled in drawn.items():
                    banded[name] = banded.get(name, False) or filled
                if not (headings_once and r > 0):
                    ax.set_title(
                        wrap(plain_label(quantity), 72 // ncols),
                        loc="left",
                        fontsize=14,
                        fontweight="bold",
                    )
                label = _sentence(unit_text(quantity, beside="")) or plain_label(quantity)
                # rows on one scale: each column's label wrapped alike, so the columns align
                ax.set_ylabel(wrap(label, 80 // ncols) if same_scale else label)
            for ax in axes[len(row) :]:
                ax.set_visible(False)
        if same_scale and len(layout) > 1:
            _share_rows_limits(layout, [list(row) for row in summaries.values()])
            for _sub, axes in layout[:-1]:  # one period axis per column: the bottom row's
                for ax in axes:
                    ax.tick_params(axis="x", labelbottom=False)
        # the bottom panels carry the period's label; with three columns only the middle one,
        # with four only the first, running on under the second (the label is wider than a
        # panel and would run into its neighbours')
        _sub, bottom = layout[-1]
        bottom = [ax for ax in bottom if ax.get_visible()][-ncols:]
        if len(bottom) == 4:
            bottom[0].set_xlabel(axis_label("period"), loc="left")
        for ax in bottom[1:2] if len(bottom) == 3 else [] if len(bottom) == 4 else bottom:
            ax.set_xlabel(axis_label("period"))
        _path_legend(fig, strategies, banded, bands, styles, band_label, hatches)
        _finish(fig, title or "How the strategies play out over time", subtitle)
    return fig


def _share_rows_limits(layout: list[tuple[Any, list[Axes]]], quantities: list[list[str]]) -> None:
    """Give each quantity the same vertical range and ticks in every row that draws it.

    The ticks are chosen from the range alone (not from the panel's height), so that panels
    of one quantity show the same tick labels and line up from row to row.
    """
    from matplotlib.ticker import MaxNLocator

    ranges: dict[str, tuple[float, float]] = {}
    for (_sub, axes), row in zip(layout, quantities):
        for ax, quantity in zip(axes, row):
            low, high = ax.get_ylim()
            old = ranges.get(quantity, (low, high))
            ranges[quantity] = (min(low, old[0]), max(high, old[1]))
    for (_sub, axes), row in zip(layout, quantities):
        for ax, quantity in zip(axes, row):
            ax.set_ylim(*ranges[quantity])
            ax.yaxis.set_major_locator(
                MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10], integer=quantity == "front")
            )


def _row_figure(nrows: int, ncols: int, heading_lines: int = 0) -> Figure:
    """A figure of ``nrows`` titled rows (subfigures) of ``ncols`` axes each.

    Rows of four panels, or more than two rows, are lower and the figure wider, so that four
    rows of four still fit a slide read at full width. ``heading_lines`` (lines of panel
    titles on the first row only) makes the first row taller by their height, so that its
    panels are as high as the others'.
    """
    from matplotlib.figure import Figure

    width = FIGURE_SIZE[0] * (1.3 if ncols > 3 else 1.0)
    row = 0.8 if nrows <= 2 and ncols <= 3 else 0.55
    height = FIGURE_SIZE[1] * (1.0 if nrows == 1 else row * nrows)
    # a 14-point bold title line is about 0.25 inch high with its spacing
    extra = 0.25 * heading_lines + (0.08 if heading_lines else 0.0)
    ratios = [FIGURE_SIZE[1] * row + extra] + [FIGURE_SIZE[1] * row] * (nrows - 1)
    fig = Figure(figsize=(width, height + extra), layout="constrained")
    for sub in np.atleast_1d(fig.subfigures(nrows, 1, height_ratios=ratios)):
        for ax in np.atleast_1d(sub.subplots(1, ncols, sharex=True)):
            style_axes(ax)
    return fig


def _summaries(
    quantity: str, series: Mapping[str, Any], size: int, bands: tuple[float, float] | None
) -> dict[str, dict[str, np.ndarray | None]]:
    """``{strategy: {"mean", "low", "high"}}`` from runs or precomputed summaries."""
    if bands is not None:
        if len(bands) != 2 or not 0 <= bands[0] < bands[1] <= 1:
            raise ValueError(f"bands must be two quantiles 0 <= low < high <= 1; got {bands!r}")
    if not isinstance(series, Mapping) or not series:
        raise ValueError(
            f"series for {quantity!r} must be a non-empty dict {{strategy: runs or summary}}"
        )
    out: dict[str, dict[str, np.ndarray | None]] = {}
    for name, data in series.items():
        where = f"series {name!r} of {quantity!r}"
        if isinstance(data, Mapping):
            unknown = set(data) - {"mean", "low", "high"}
            if "mean" not in data or unknown:
                raise ValueError(
                    f"{where} must have a 'mean' and optionally 'low' and 'high'; got keys "
                    f"{sorted(data)}"
                )
            if ("low" in data) != ("high" in data):
                raise ValueError(f"{where} needs both 'low' and 'high', or neither")
            mean = _series(f"{where} mean", data["mean"], size)
            low = _series(f"{where} low", data["low"], size) if "low" in data else None
            high = _series(f"{where} high", data["high"], size) if "high" in data else None
        else:
            arr = np.asarray(data, dtype=float)
            if arr.ndim == 1:
                arr = arr[None, :]
            if arr.ndim != 2 or arr.shape[1] != size:
                raise ValueError(
                    f"{where} has shape {np.shape(data)} but needs (runs, {size}): one column "
                    "per period"
                )
            if np.isinf(arr).any():
                raise ValueError(f"{where} contains inf; use nan for missing values")
            if not np.isfinite(arr).any():
                raise ValueError(f"{where} has no finite values; there is nothing to plot")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # all-nan columns give nan
                mean = np.nanmean(arr, axis=0)
                low = high = None
                if bands is not None and arr.shape[0] > 1:
                    low, high = np.nanquantile(arr, bands, axis=0)
        out[str(name)] = {"mean": mean, "low": low, "high": high}
    return out


def _draw_paths(
    ax: Axes,
    x: np.ndarray,
    summary: dict[str, dict[str, np.ndarray | None]],
    quantity: str,
    styles: dict[str, dict[str, Any]],
    hatches: dict[str, str] | None = None,
) -> dict[str, bool]:
    """Draw bands where they have width, then means on top.

    Returns ``{strategy: filled}`` for the strategies with a band: ``True`` where its band
    was filled, ``False`` where only its edges were drawn (over an identical band).

    A band narrower than 0.5% of the panel's range at every period is not drawn; where it
    has width somewhere it is drawn over those periods (and the ones next to them, so that it
    opens and closes). A band identical to one already drawn is not filled again (stacked
    fills of several colours turn grey); its edges, in its strategy's dash pattern, show that
    it is there. With ``hatches`` (``{strategy: hatch}``) every band is hatched in its
    strategy's colour instead of filled.
    """
    from matplotlib.colors import to_rgba
    from matplotlib.ticker import MaxNLocator

    ax.ticklabel_format(axis="y", useOffset=False)
    values = [
        v[np.isfinite(v)]
        for s in summary.values()
        for v in (s["mean"], s["low"], s["high"])
        if v is not None
    ]
    finite = np.concatenate(values) if values else np.array([0.0])
    span = float(finite.max() - finite.min()) if finite.size else 0.0
    if quantity in _UNIT_INTERVAL:
        span = 1.0
    tol = 0.005 * span if span > 0 else 1e-12
    candidates = [
        (name, s["low"], s["high"])
        for name, s in summary.items()
        if s["low"] is not None and s["high"] is not None
    ]
    banded: dict[str, bool] = {}
    filled: list[tuple[np.ndarray, np.ndarray]] = []
    for name, low, high in candidates:
        with np.errstate(invalid="ignore"):
            wide = np.isfinite(low) & np.isfinite(high) & (high - low > tol)
        if not wide.any():
            continue
        shown = wide.copy()
        shown[1:] |= wide[:-1]
        shown[:-1] |= wide[1:]
        colour = styles[name]["color"]
        same = any(
            np.allclose(low, lo, atol=tol, equal_nan=True)
            and np.allclose(high, hi, atol=tol, equal_nan=True)
            for lo, hi in filled
        )
        if hatches is not None:
            ax.fill_between(
                x,
                low,
                high,
                where=shown,
                facecolor="none",
                edgecolor=to_rgba(colour, _HATCH_ALPHA),
                hatch=hatches[name],
                linewidth=0,
                interpolate=True,
            )
            same = False
        elif not same:
            ax.fill_between(
                x,
                low,
                high,
                where=shown,
                color=colour,
                alpha=_BAND_ALPHA,
                linewidth=0,
                interpolate=True,
            )
            filled.append((low, high))
        for edge in (low, high):
            ax.plot(
                x,
                np.where(shown, edge, np.nan),
                color=colour,
                linewidth=1.3,
                linestyle=styles[name]["linestyle"],
                alpha=0.9,
            )
        banded[name] = not same
    for name, s in summary.items():
        ax.plot(
            x,
            s["mean"],
            **styles[name],
            linewidth=2.8,
            label=plain_label(name),
            marker="o" if x.size == 1 else None,
        )
    if quantity in _UNIT_INTERVAL:
        ax.set_ylim(-0.02, 1.02)
    elif quantity == "front":  # whole positions from 0 (Ukraine prevails) up
        top = max(float(finite.max()) if finite.size else 1.0, 1.0)
        ax.set_ylim(-0.05 * top, 1.05 * top)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    if x.size > 1:
        ax.set_xlim(x[0], x[-1])
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    return banded


def _band_text(bands: tuple[float, float] | None) -> str:
    if bands is not None and np.isclose(bands[0], 1 - bands[1]):
        return f"middle {round(100 * (bands[1] - bands[0]))}% of runs"
    if bands is not None:
        return f"{100 * bands[0]:g}-{100 * bands[1]:g}% quantiles of runs"
    return "Monte Carlo band"


def _path_legend(
    fig: Figure,
    strategies: list[str],
    banded: dict[str, bool],
    bands: tuple[float, float] | None,
    styles: dict[str, dict[str, Any]],
    band_label: str | None = None,
    hatches: dict[str, str] | None = None,
) -> None:
    """One entry per strategy: its line over a swatch of its band, where it has one.

    The swatch is drawn as the band is: tinted with the strategy's colour where the band was
    filled, hatched where bands are hatched, edged in its colour and dash pattern (a band
    identical to another's shows only its edges).
    """
    from matplotlib.colors import to_rgba
    from matplotlib.legend_handler import HandlerTuple
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Any] = []
    for s in strategies:
        line = Line2D([], [], **styles[s], linewidth=2.8)
        if s in banded:
            colour = styles[s]["color"]
            swatch = Patch(
                facecolor=to_rgba(colour, _BAND_ALPHA) if banded[s] and not hatches else "none",
                edgecolor=colour,
                linestyle=styles[s]["linestyle"],
                linewidth=1.3,
                hatch=hatches[s] if hatches else None,
            )
            handles.append((swatch, line))
        else:
            handles.append(line)
    title = None
    if banded:
        shade = "hatched" if hatches else "shaded"
        title = f"Line: mean of runs; {shade}: {band_label or _band_text(bands)}"
    _figure_legend(
        fig,
        handles,
        title=title,
        labels=[plain_label(s) for s in strategies],
        handler_map={tuple: HandlerTuple(ndivide=1, pad=0.0)},
    )
