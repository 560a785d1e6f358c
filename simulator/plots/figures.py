"""Briefing figures: regime maps, bargaining ranges, Monte Carlo paths, payoffs and timing.

Every function takes plain numpy data (so it works for any results object), validates it
with a :class:`ValueError` that says what to fix, and returns a
:class:`matplotlib.figure.Figure` built without pyplot; :func:`simulator.plots.save_figure`
writes it. Names of parameters, strategies, actors and quantities may be code names
(``"russia.great_power_status"``, ``"buy_time"``): they are shown in plain words
(:func:`simulator.analysis.labels.plain_label`). Colours come from the Okabe-Ito palette,
with fixed colours for recurring names (``"war"``, ``"buy time"``, ...).

Returned figures are already laid out (constrained layout, run once and then switched off so
that every save gives the same bytes). After adding artists of your own, call
``fig.set_layout_engine("constrained")`` to have the layout redone when saving.

Monte Carlo bands are pointwise quantiles of the simulated runs at each period; error bars
on payoffs are normal-approximation intervals from Monte Carlo standard errors (C. P. Robert
& G. Casella, *Monte Carlo Statistical Methods*, 2nd ed., Springer, 2004, sec. 3.2).
"""

from __future__ import annotations

import textwrap
import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from simulator.analysis.labels import axis_label, in_sentence, plain_label, unit_text
from simulator.plots.style import (
    FIGURE_SIZE,
    LINE_STYLES,
    SERIES_ORDER,
    briefing_style,
    colours_for,
    new_figure,
    style_axes,
    wrap,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "bargaining_range",
    "encode_regimes",
    "paths",
    "paths_panel",
    "payoffs_by_strategy",
    "regime_map",
    "settlement_timing",
]

_GREY = "#555555"
_LIGHT_GREY = "#9A9A9A"
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
_ALIGNMENT_LABEL = "Ukraine's Western alignment\n(0 = Russia's sphere, 1 = Western)"
#: Payoffs of the dynamics: discounted sums of per-period payoffs in shares of the stake.
_PAYOFF_LABEL = "Expected payoff (discounted sum, shares of the stake)"
#: Opacity of a Monte Carlo band's fill.
_BAND_ALPHA = 0.16
#: Regions other than a regime's largest are labelled when they cover this share of the grid.
_MIN_LABELLED_SHARE = 0.03
#: Letters that stand for regimes too thin to hold their names (the legend explains them).
_KEYS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#: How a region's name and a region's letter are drawn on a regime map.
_NAME_STYLE: dict[str, Any] = {
    "fontsize": 13,
    "fontweight": "bold",
    "color": "#111111",
    "bbox": {"boxstyle": "round,pad=0.3", "fc": "white", "ec": "none", "alpha": 0.8, "pad": 0.3},
}
_KEY_STYLE: dict[str, Any] = {
    "fontsize": 12,
    "fontweight": "bold",
    "color": "#111111",
    "bbox": {
        "boxstyle": "circle,pad=0.25",
        "fc": "white",
        "ec": "#222222",
        "lw": 1.0,
        "alpha": 0.9,
        "pad": 0.25,
    },
}
#: Size (points) of the star that marks the scenario's own point.
_STAR_SIZE = 20
#: Subtitle: font size and wrapping width (characters).
_SUBTITLE_SIZE = 13
_SUBTITLE_WIDTH = 100


# ============================================================================ regime map
def regime_map(
    x_values: Any,
    y_values: Any,
    regimes: Any,
    regime_labels: Sequence[str],
    x_parameter: str,
    y_parameter: str,
    title: str | None = None,
    annotate: bool = True,
    *,
    legend_title: str | None = "Equilibrium outcome",
    point: tuple[float, float] | None = None,
    point_label: str = "This scenario",
    subtitle: str | None = None,
) -> Figure:
    """Which equilibrium outcome holds where, over two parameters.

    Each grid cell is coloured by its regime; boundaries between regimes are drawn; a legend
    names the regimes present. With ``annotate`` every regime is labelled in place (its
    largest region, and any other region covering 3% of the grid): by its name where the
    name fits inside the region, otherwise by a letter that the legend explains; labels never
    cover each other or the scenario's point.

    Parameters
    ----------
    x_values, y_values : array_like, 1-D
        Increasing parameter values at the grid points (at least two each).
    regimes : array_like of int, shape (len(y_values), len(x_values))
        Regime code at each point: row ``i`` is ``y_values[i]``, column ``j`` is
        ``x_values[j]``; codes index ``regime_labels``. :func:`encode_regimes` turns an array
        of regime names into codes and labels.
    regime_labels : sequence of str
        A name per code, e.g. ``["settlement", "stalling", "war"]``.
    x_parameter, y_parameter : str
        Dotted parameter names or plain words, e.g. ``"russia.great_power_status"``.
    title : str, optional
        Defaults to "Equilibrium outcome by <x> and <y>".
    annotate : bool
        Label regions in place.
    legend_title : str or None
        Heading of the legend.
    point : (float, float), optional
        The scenario's own values of the two parameters, marked with a star.
    point_label : str
        The star's legend entry.
    subtitle : str, optional
        A line under the title (the scenario and the offer, say).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If the grid does not match the axes, a code has no label, or labels repeat.

    Examples
    --------
    >>> import numpy as np
    >>> status = np.linspace(0, 2, 5)
    >>> cohesion = np.linspace(0, 1, 4)
    >>> codes = (status[None, :] > 0.5 + cohesion[:, None]).astype(int)
    >>> fig = regime_map(status, cohesion, codes, ["settlement", "war"],
    ...                  "russia.great_power_status", "west.western_cohesion",
    ...                  point=(0.4, 1.0))
    >>> print(fig.get_suptitle())
    Equilibrium outcome by great-power status premium and Western
    cohesion
    >>> fig.axes[0].get_xlabel()
    'Great-power status premium (share of the stake)'
    >>> [t.get_text() for t in fig.legends[0].get_texts()]
    ['A  Settlement', 'B  War', 'This scenario']
    """
    x = _grid_axis("x_values", x_values)
    y = _grid_axis("y_values", y_values)
    labels = _labels("regime_labels", regime_labels)
    codes = _regime_codes(regimes, (y.size, x.size), len(labels))
    where = _point("point", point, 2)
    plain = [plain_label(label) for label in labels]
    colours = colours_for(labels)
    # Lightened a little so region labels read on top; the hues stay the palette's.
    tints = [_tint(c, 0.1) for c in colours]
    x_edges, y_edges = _cell_edges(x), _cell_edges(y)

    with briefing_style():
        from matplotlib.collections import LineCollection
        from matplotlib.colors import BoundaryNorm, ListedColormap
        from matplotlib.patches import Patch

        fig, ax = new_figure()
        style_axes(ax, grid=None)
        n = len(labels)
        ax.pcolormesh(
            x_edges,
            y_edges,
            codes,
            cmap=ListedColormap(tints),
            norm=BoundaryNorm(np.arange(n + 1) - 0.5, n),
            shading="flat",
            edgecolors="face",
            linewidth=0.2,
            # One embedded image instead of a vector path per cell keeps SVG and PDF small.
            rasterized=True,
        )
        segments = _boundaries(codes, x_edges, y_edges)
        if len(segments):
            ax.add_collection(
                LineCollection(segments, colors="#222222", linewidths=1.6, capstyle="projecting")
            )
        ax.set_xlim(x_edges[0], x_edges[-1])
        ax.set_ylim(y_edges[0], y_edges[-1])
        ax.set_xlabel(axis_label(x_parameter))
        ax.set_ylabel(wrap(axis_label(y_parameter), 38))
        present = sorted(set(np.flatnonzero(np.bincount(np.ravel(codes))).tolist()))
        keys = {c: _KEYS[k % len(_KEYS)] for k, c in enumerate(present)}
        handles: list[Any] = [
            Patch(
                facecolor=tints[c],
                edgecolor="#222222",
                label=f"{keys[c]}  {plain[c]}" if annotate else plain[c],
            )
            for c in present
        ]
        star = None
        if where is not None:
            star = _mark_point(ax, where[0], where[1], point_label)
            handles.append(star)
        _figure_legend(fig, handles, title=legend_title, side="auto")
        _finish(
            fig,
            title
            or f"Equilibrium outcome by {in_sentence(plain_label(x_parameter))} and "
            f"{in_sentence(plain_label(y_parameter))}",
            subtitle,
        )
        if annotate:
            _label_regions(ax, x_edges, y_edges, codes, plain, keys, star)
    return fig


def regime_strip(
    x_values: Any,
    regimes: Any,
    regime_labels: Sequence[str],
    x_parameter: str,
    title: str | None = None,
    *,
    probabilities: Mapping[str, Any] | None = None,
    point: float | None = None,
    point_label: str = "This scenario",
    legend_title: str | None = "Equilibrium outcome",
    subtitle: str | None = None,
) -> Figure:
    """Which equilibrium outcome holds where along one parameter: a strip, no vertical axis.

    The strip is coloured by regime and labelled in place (the name where it fits, else a
    letter the legend explains). With ``probabilities`` a chart below it shows how likely each
    outcome is along the same parameter.

    Parameters
    ----------
    x_values : array_like, 1-D
        Increasing parameter values (at least two).
    regimes : array_like of int, shape (len(x_values),)
        Regime code at each value (:func:`encode_regimes`).
    regime_labels : sequence of str
    x_parameter : str
    title : str, optional
    probabilities : dict of str to array_like, optional
        Outcome probabilities along the parameter, e.g. ``{"settlement_probability": ...}``.
    point : float, optional
        The scenario's own value of the parameter, marked with a star.
    point_label, legend_title, subtitle : str

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> cost = np.linspace(0, 1, 11)
    >>> fig = regime_strip(cost, (cost > 0.4).astype(int), ["war", "settlement"],
    ...                    "russia.sanctions_cost", point=0.3,
    ...                    probabilities={"settlement_probability": (cost > 0.4) * 1.0})
    >>> strip, chart = fig.axes
    >>> strip.get_yticks().tolist(), chart.get_ylabel()
    ([], 'Probability')
    """
    x = _grid_axis("x_values", x_values)
    labels = _labels("regime_labels", regime_labels)
    codes = _regime_codes(np.asarray(regimes)[None, :], (1, x.size), len(labels))
    where = _point("point", point, 1)
    curves = {
        str(k): _series(f"probabilities[{k!r}]", v, x.size)
        for k, v in dict(probabilities or {}).items()
    }
    plain = [plain_label(label) for label in labels]
    tints = [_tint(c, 0.1) for c in colours_for(labels)]
    x_edges = _cell_edges(x)
    with briefing_style():
        from matplotlib.colors import BoundaryNorm, ListedColormap
        from matplotlib.patches import Patch

        if curves:
            fig, (strip, chart) = new_figure(
                2, 1, sharex=True, gridspec_kw={"height_ratios": [1, 3.2]}
            )
        else:
            fig, strip = new_figure(figsize=(FIGURE_SIZE[0], 3.4))
            chart = None
        style_axes(strip, grid=None)
        n = len(labels)
        strip.pcolormesh(
            x_edges,
            [0.0, 1.0],
            codes,
            cmap=ListedColormap(tints),
            norm=BoundaryNorm(np.arange(n + 1) - 0.5, n),
            shading="flat",
            rasterized=True,
        )
        change = np.flatnonzero(codes[0, 1:] != codes[0, :-1])
        for j in change:
            strip.axvline(x_edges[j + 1], color="#222222", linewidth=1.6)
        strip.set_xlim(x_edges[0], x_edges[-1])
        strip.set_ylim(0.0, 1.0)
        strip.set_yticks([])
        strip.spines["left"].set_visible(False)
        present = sorted(set(np.flatnonzero(np.bincount(np.ravel(codes))).tolist()))
        keys = {c: _KEYS[k % len(_KEYS)] for k, c in enumerate(present)}
        handles: list[Any] = [
            Patch(facecolor=tints[c], edgecolor="#222222", label=f"{keys[c]}  {plain[c]}")
            for c in present
        ]
        star = None
        if where is not None:
            star = _mark_point(strip, where[0], 0.5, point_label)
            handles.append(star)
        if chart is not None:
            # black lines told apart by their dashes: colours belong to the strip's regimes,
            # and an outcome's colour there would mean something else
            styles = {
                name: {"color": "#000000", "linestyle": style}
                for name, style in zip(curves, LINE_STYLES * (1 + len(curves) // len(LINE_STYLES)))
            }
            for name, values in curves.items():
                chart.plot(x, values, **styles[name], linewidth=2.8, label=plain_label(name))
                handles.append(chart.get_lines()[-1])
            if where is not None:
                chart.axvline(where[0], color="#222222", linewidth=1.2, linestyle=":")
            chart.set_ylim(-0.02, 1.02)
            chart.set_ylabel("Probability")
            chart.set_xlabel(axis_label(x_parameter))
            # a strip label on top would repeat the chart's: the chart's axis names it
            strip.tick_params(axis="x", labelbottom=False)
        else:
            strip.set_xlabel(axis_label(x_parameter))
        _figure_legend(fig, handles, title=legend_title, side="auto")
        _finish(
            fig,
            title or f"Equilibrium outcome by {in_sentence(plain_label(x_parameter))}",
            subtitle,
        )
        _label_regions(strip, x_edges, np.array([0.0, 1.0]), codes, plain, keys, star)
    return fig


def encode_regimes(regimes: Any) -> tuple[np.ndarray, list[str]]:
    """Integer codes and their labels for an array of regime names (labels sorted).

    Parameters
    ----------
    regimes : array_like of str
        The regime at each point, of any shape (each entry is taken as its ``str``).

    Returns
    -------
    codes : numpy.ndarray of int
        Of the shape of ``regimes``: each point's index into ``labels``.
    labels : list of str
        The distinct regimes, sorted.

    Examples
    --------
    >>> codes, labels = encode_regimes([["war", "settlement"], ["war", "war"]])
    >>> codes.tolist(), labels
    ([[1, 0], [1, 1]], ['settlement', 'war'])
    """
    array = np.asarray(regimes, dtype=object)
    # A map has a handful of regimes over up to millions of points: number them by hashing
    # (linear time) rather than by sorting the strings, then order the labels.
    first_seen: dict[str, int] = {}
    seen = np.fromiter(
        (first_seen.setdefault(str(name), len(first_seen)) for name in array.flat),
        dtype=np.intp,
        count=array.size,
    )
    labels = sorted(first_seen)
    rank = np.empty(len(labels), dtype=np.intp)
    rank[[first_seen[label] for label in labels]] = np.arange(len(labels))
    return rank[seen].reshape(array.shape), labels


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
    (the legend always names it). Named offers are horizontal dashed lines: an offer inside
    the band is acceptable to both sides at that parameter value.

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
    >>> [t.get_text() for t in fig.legends[0].get_texts()][:2]
    ['Settlements both sides prefer to war', 'No settlement both sides accept']
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
        edges = _cell_edges(x)
        for a, b in runs:
            ax.axvspan(
                edges[a],
                edges[b + 1],
                facecolor="#F4F4F4",
                edgecolor=_LIGHT_GREY,
                hatch="//",
                linewidth=0,
            )
        if runs:
            handles.append(
                Patch(
                    facecolor="#F4F4F4",
                    edgecolor=_LIGHT_GREY,
                    hatch="//",
                    label="No settlement both sides accept",
                )
            )
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
        ax.set_xlim(edges[0], edges[-1])
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
            a, b = max(runs, key=lambda r: r[1] - r[0])
            _label_gap(ax, edges[a], edges[b + 1])
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
) -> Figure:
    """Several quantities over time, one panel each, strategies coloured alike in all panels.

    ``panels`` maps a quantity to the ``series`` argument of :func:`paths`. With ``rows``
    instead (a row title, such as "Runs in which Russia is sincere", to such a mapping) each
    row holds its own panels under its title: the way to show bands per type of Russia rather
    than over a mixture of types. Each panel is titled by its quantity; its vertical axis
    carries the quantity's unit. ``band_label`` says what a band holds (by default "middle
    90% of runs", from ``bands``).

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

    Returns
    -------
    matplotlib.figure.Figure
        Up to three panels side by side, more in rows of two.

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
    ncols = widest if widest <= 3 else 2
    with briefing_style():
        if rows is None:
            n = len(summaries[""])
            nrows = -(-n // ncols)
            height = FIGURE_SIZE[1] if nrows == 1 else FIGURE_SIZE[1] * 1.6
            fig, axes = new_figure(nrows, ncols, figsize=(FIGURE_SIZE[0], height), sharex=True)
            layout = [(None, list(np.atleast_1d(axes).ravel()))]
        else:
            fig = _row_figure(len(summaries), ncols)
            layout = []
            for sub, row in zip(fig.subfigs, summaries):
                sub.suptitle(row, x=0.01, ha="left", fontsize=14, fontweight="bold")
                layout.append((sub, list(sub.axes)))
        banded: dict[str, bool] = {}
        for (_sub, axes), row in zip(layout, summaries.values()):
            for ax, (quantity, summary) in zip(axes, row.items()):
                for name, filled in _draw_paths(ax, x, summary, quantity, styles).items():
                    banded[name] = banded.get(name, False) or filled
                ax.set_title(
                    wrap(plain_label(quantity), 72 // ncols),
                    loc="left",
                    fontsize=14,
                    fontweight="bold",
                )
                ax.set_ylabel(_sentence(unit_text(quantity, beside="")) or plain_label(quantity))
            for ax in axes[len(row) :]:
                ax.set_visible(False)
        # the bottom panels carry the period's label; with three columns only the middle one
        # (the label is wider than a panel and would run into its neighbours')
        _sub, bottom = layout[-1]
        bottom = [ax for ax in bottom if ax.get_visible()][-ncols:]
        for ax in bottom[1:2] if len(bottom) == 3 else bottom:
            ax.set_xlabel(axis_label("period"))
        _path_legend(fig, strategies, banded, bands, styles, band_label)
        _finish(fig, title or "How the strategies play out over time", subtitle)
    return fig


def _row_figure(nrows: int, ncols: int) -> Figure:
    """A figure of ``nrows`` titled rows (subfigures) of ``ncols`` axes each."""
    from matplotlib.figure import Figure

    height = FIGURE_SIZE[1] * (1.0 if nrows == 1 else 0.8 * nrows)
    fig = Figure(figsize=(FIGURE_SIZE[0], height), layout="constrained")
    for sub in np.atleast_1d(fig.subfigures(nrows, 1)):
        for ax in np.atleast_1d(sub.subplots(1, ncols, sharex=True)):
            style_axes(ax)
    return fig


# ============================================================================ payoffs
def payoffs_by_strategy(
    strategies: Sequence[str],
    actors: Sequence[str],
    values: Any,
    errors: Any = None,
    title: str | None = None,
    *,
    error_multiplier: float = 1.96,
    value_label: str = _PAYOFF_LABEL,
    annotate: bool | None = None,
    subtitle: str | None = None,
) -> Figure:
    """Grouped bars of expected payoffs: one group per strategy, one bar per actor.

    Parameters
    ----------
    strategies, actors : sequence of str
        Code names or plain words.
    values : array_like, shape (n_strategies, n_actors)
        Expected payoffs (``nan`` bars are left out).
    errors : array_like, same shape, optional
        Monte Carlo standard errors; bars show ``+- error_multiplier * errors`` (95%
        normal intervals by default).
    title : str, optional
    error_multiplier : float
    value_label : str
        Label of the payoff axis.
    annotate : bool, optional
        Print each value above its bar; by default when there are at most 16 bars.
    subtitle : str, optional
        A line under the title (the scenario and the offer, say).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = payoffs_by_strategy(["buy_time", "genuine_compromise"], ["russia", "ukraine"],
    ...                           [[7.1, 11.0], [6.2, 11.9]], errors=[[0.06, 0.03], [0.0, 0.0]])
    >>> fig.get_suptitle(), " ".join(fig.axes[0].get_ylabel().split())
    ('Expected payoffs by strategy', 'Expected payoff (discounted sum, shares of the stake)')
    >>> [t.get_text() for t in fig.legends[0].get_texts()]
    ['Russia', 'Ukraine']
    >>> fig.legends[0].get_title().get_text()
    'Error bars: 95% Monte Carlo interval'
    """
    strategies = _labels("strategies", strategies)
    actors = _labels("actors", actors)
    shape = (len(strategies), len(actors))
    vals = _matrix("values", values, shape)
    if not np.isfinite(vals).any():
        raise ValueError("values has no finite entries; there is nothing to plot")
    errs = None
    if errors is not None:
        errs = _matrix("errors", errors, shape)
        if (errs[np.isfinite(errs)] < 0).any():
            raise ValueError("errors must be non-negative standard errors")
        if not np.isfinite(error_multiplier) or error_multiplier <= 0:
            raise ValueError(f"error_multiplier must be positive; got {error_multiplier!r}")
    if annotate is None:
        annotate = vals.size <= 16
    with briefing_style():
        fig, ax = new_figure()
        colours = colours_for(actors)
        width = 0.8 / len(actors)
        centres = np.arange(len(strategies), dtype=float)
        spread = 0.0 if errs is None else np.nan_to_num(error_multiplier * errs)
        span = np.nanmax(np.abs(vals) + spread) or 1.0
        for k, actor in enumerate(actors):
            xs = centres - 0.4 + width * (k + 0.5)
            col = vals[:, k]
            yerr = None if errs is None else error_multiplier * np.nan_to_num(errs[:, k])
            ax.bar(
                xs,
                np.nan_to_num(col),
                width=width * 0.92,
                color=colours[k],
                label=plain_label(actor),
                yerr=yerr,
                capsize=5 if errs is not None else 0,
                error_kw={"elinewidth": 1.6, "ecolor": "#222222", "capthick": 1.6},
            )
            if annotate:
                for xi, v, e in zip(xs, col, yerr if yerr is not None else np.zeros_like(col)):
                    if not np.isfinite(v):
                        continue
                    end = v + e if v >= 0 else v - e
                    ax.annotate(
                        _format_value(v, span),
                        (xi, end),
                        xytext=(0, 4 if v >= 0 else -4),
                        textcoords="offset points",
                        ha="center",
                        va="bottom" if v >= 0 else "top",
                        fontsize=11,
                        color="#222222",
                    )
        if (vals[np.isfinite(vals)] < 0).any():
            ax.axhline(0.0, color="#222222", linewidth=1)
        ax.set_xticks(centres, [wrap(plain_label(s), 18) for s in strategies])
        ax.tick_params(axis="x", length=0, labelsize=13)
        ax.set_ylabel(value_label)
        ax.margins(y=0.12)
        legend_title = None
        if errs is not None:
            legend_title = (
                "Error bars: 95% Monte Carlo interval"
                if np.isclose(error_multiplier, 1.96)
                else f"Error bars: \u00b1{error_multiplier:g} Monte Carlo standard errors"
            )
        handles, _ = ax.get_legend_handles_labels()
        _figure_legend(fig, handles, title=legend_title, side="auto")
        _finish(fig, title or "Expected payoffs by strategy", subtitle)
    return fig


# ============================================================================ settlement timing
def settlement_timing(
    settlement_periods: Mapping[str, Any],
    periods: int | None = None,
    title: str | None = None,
    cumulative: bool = True,
    *,
    break_periods: Mapping[str, Any] | None = None,
    subtitle: str | None = None,
) -> Figure:
    """When deals are signed (and, given when they break, how long they hold), per strategy.

    The left panel shows the share of runs with a deal signed by the end of each period
    (or signed in it, with ``cumulative=False``). With ``break_periods`` a second panel shows
    the share of runs whose deal is still in force: a deal signed and then broken counts as
    signed on the left but drops out on the right, so buying time (sign, regroup, break)
    looks different from a compromise that holds even when both sign at once.

    Parameters
    ----------
    settlement_periods : dict of str to array_like of int
        Per strategy, the period in which each run settled, ``-1`` for never (as
        :attr:`simulator.model.dynamics.SimulationResult.settlement_period`).
    periods : int, optional
        Length of the horizon; defaults to one after the latest settlement.
    title : str, optional
    cumulative : bool
        Share settled *by* each period (default) or *in* each period.
    break_periods : dict of str to array_like of int, optional
        Per strategy and run, the period in which its deal was broken (``-1``: never, or no
        deal); same shapes as ``settlement_periods``.
    subtitle : str, optional
        A line under the title (the scenario and the offer, say).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = settlement_timing({"buy_time": [1, 1, 3, -1], "genuine_compromise": [1, 1, 1, 1]})
    >>> fig.get_suptitle(), fig.axes[0].get_ylabel()
    ('When a deal is signed, by strategy', 'Runs with a deal signed (share)')
    >>> [t.get_text() for t in fig.legends[0].get_texts()]
    ['Buy time (75% of runs sign)', 'Genuine compromise (100% of runs sign)']
    >>> fig = settlement_timing({"buy_time": [1, 1]}, periods=6,
    ...                         break_periods={"buy_time": [4, -1]})
    >>> [ax.get_title(loc="left") for ax in fig.axes]
    ['Deal signed', 'Deal still in force']
    """
    data = _period_table("settlement_periods", settlement_periods)
    broken = None
    if break_periods is not None:
        broken = _period_table("break_periods", break_periods)
        if set(broken) != set(data) or any(broken[k].shape != data[k].shape for k in data):
            raise ValueError(
                "break_periods needs the same strategies as settlement_periods and one period "
                "per run for each"
            )
        for name in data:
            bad = (broken[name] >= 0) & ((data[name] < 0) | (broken[name] < data[name]))
            if bad.any():
                raise ValueError(
                    f"break_periods[{name!r}] has deals broken before they were signed (or "
                    "never signed); use -1 for runs whose deal was not broken"
                )
    latest = max(int(a.max()) for a in data.values())
    if broken is not None:
        latest = max(latest, max(int(a.max()) for a in broken.values()))
    if periods is None:
        periods = max(latest + 1, 1)
    elif isinstance(periods, bool) or int(periods) != periods or periods <= latest:
        raise ValueError(
            f"periods = {periods!r} must be a whole number above the latest settlement period "
            f"{latest}"
        )
    periods = int(periods)
    # a period's value is drawn over the whole period: from its start t to t + 1
    edges = np.arange(periods + 1)
    with briefing_style():
        from matplotlib.ticker import MaxNLocator, PercentFormatter

        if broken is None:
            fig, ax = new_figure()
            axes = [ax]
        else:
            fig, pair = new_figure(1, 2, sharey=True)
            axes = list(pair)
            axes[0].set_title("Deal signed", loc="left", fontsize=14, fontweight="bold")
            axes[1].set_title("Deal still in force", loc="left", fontsize=14, fontweight="bold")
        styles = _line_styles(list(data))
        handles = []
        for name, arr in data.items():
            share = np.bincount(arr[arr >= 0], minlength=periods)[:periods] / arr.size
            curve = np.cumsum(share) if cumulative else share
            line = axes[0].stairs(curve, edges, baseline=None, **styles[name], linewidth=2.8)
            handles.append(line)
            if broken is not None:
                t = np.arange(periods)[None, :]
                signed = (arr[:, None] >= 0) & (arr[:, None] <= t)
                ended = (broken[name][:, None] >= 0) & (broken[name][:, None] <= t)
                in_force = (signed & ~ended).mean(axis=0)
                axes[1].stairs(in_force, edges, baseline=None, **styles[name], linewidth=2.8)
        labels = [
            f"{plain_label(n)} ({_share_text(np.mean(a >= 0))} of runs sign)"
            for n, a in data.items()
        ]
        what = "signed" if cumulative else "signed in that period"
        for ax in axes:
            ax.set_ylim(-0.02, 1.02)
            ax.set_xlim(0, periods)
            ax.yaxis.set_major_formatter(PercentFormatter(1.0))
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.set_xlabel(axis_label("period"))
        axes[0].set_ylabel(f"Runs with a deal {what} (share)")
        _figure_legend(fig, handles, labels=labels)
        _finish(fig, title or "When a deal is signed, by strategy", subtitle)
    return fig


def _period_table(name: str, table: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """``{strategy: int array}`` of whole periods >= 0, or -1 for never."""
    if not isinstance(table, Mapping) or not table:
        raise ValueError(f"{name} must be a non-empty dict {{strategy: periods}}")
    out = {}
    for key, value in table.items():
        arr = np.asarray(value, dtype=float).ravel()
        if arr.size == 0:
            raise ValueError(f"{name}[{key!r}] is empty; give one period per run")
        if not np.isfinite(arr).all() or (arr != np.round(arr)).any() or (arr < -1).any():
            raise ValueError(
                f"{name}[{key!r}] must hold whole periods >= 0, or -1 for runs that never settle"
            )
        out[str(key)] = arr.astype(int)
    return out


def _share_text(share: float) -> str:
    """A share as a percentage that never rounds a few runs to 0% or 100%."""
    if 0 < share < 0.01:
        return "<1%"
    if 0.99 < share < 1:
        return ">99%"
    return f"{share:.0%}"


# ============================================================================ helpers
def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


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


def _regime_codes(regimes: Any, shape: tuple[int, int], n_labels: int) -> np.ndarray:
    arr = np.asarray(regimes)
    if arr.shape != shape:
        raise ValueError(
            f"regimes has shape {arr.shape} but needs {shape}: one row per y value and one "
            "column per x value"
        )
    if arr.dtype.kind == "b":
        arr = arr.astype(int)
    if arr.dtype.kind == "f":
        if not np.isfinite(arr).all():
            raise ValueError("regimes contains nan or inf; every grid point needs a regime code")
        if (arr != np.round(arr)).any():
            raise ValueError("regimes must hold whole-number codes into regime_labels")
        arr = arr.astype(int)
    if arr.dtype.kind not in "iu":
        raise ValueError(
            f"regimes must be integer codes into regime_labels; got dtype {arr.dtype} "
            "(use encode_regimes to turn regime names into codes)"
        )
    unknown = sorted(set(np.unique(arr).tolist()) - set(range(n_labels)))
    if unknown:
        raise ValueError(
            f"regime codes {unknown} have no label: regime_labels has {n_labels} names, so "
            f"codes must be 0..{n_labels - 1}"
        )
    return arr.astype(int)


def _cell_edges(centres: np.ndarray) -> np.ndarray:
    """Cell boundaries around grid points: midpoints inside, half a step beyond each end."""
    mid = 0.5 * (centres[1:] + centres[:-1])
    return np.concatenate(
        [[centres[0] - (mid[0] - centres[0])], mid, [centres[-1] + (centres[-1] - mid[-1])]]
    )


def _boundaries(codes: np.ndarray, xe: np.ndarray, ye: np.ndarray) -> np.ndarray:
    """Line segments (k, 2, 2) between neighbouring cells of different regimes."""
    i, j = np.nonzero(codes[:, 1:] != codes[:, :-1])
    vertical = np.stack(
        [np.stack([xe[j + 1], ye[i]], axis=1), np.stack([xe[j + 1], ye[i + 1]], axis=1)], axis=1
    )
    i, j = np.nonzero(codes[1:, :] != codes[:-1, :])
    horizontal = np.stack(
        [np.stack([xe[j], ye[i + 1]], axis=1), np.stack([xe[j + 1], ye[i + 1]], axis=1)], axis=1
    )
    return np.concatenate([vertical, horizontal]).reshape(-1, 2, 2)


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """Index ranges ``(first, last)`` of consecutive True entries."""
    padded = np.concatenate([[False], flags, [False]]).astype(int)
    change = np.diff(padded)
    starts, ends = np.flatnonzero(change == 1), np.flatnonzero(change == -1) - 1
    return list(zip(starts.tolist(), ends.tolist()))


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


def _line_styles(names: list[str]) -> dict[str, dict[str, Any]]:
    """Colour and dash pattern per series name, so overlapping lines stay distinguishable."""
    return {
        name: {"color": colour, "linestyle": LINE_STYLES[k % len(LINE_STYLES)]}
        for k, (name, colour) in enumerate(zip(names, colours_for(names)))
    }


def _draw_paths(
    ax: Axes,
    x: np.ndarray,
    summary: dict[str, dict[str, np.ndarray | None]],
    quantity: str,
    styles: dict[str, dict[str, Any]],
) -> dict[str, bool]:
    """Draw bands where they have width, then means on top.

    Returns ``{strategy: filled}`` for the strategies with a band: ``True`` where its band
    was filled, ``False`` where only its edges were drawn (over an identical band).

    A band narrower than 0.5% of the panel's range at every period is not drawn; where it
    has width somewhere it is drawn over those periods (and the ones next to them, so that it
    opens and closes). A band identical to one already drawn is not filled again (stacked
    fills of several colours turn grey); its edges, in its strategy's dash pattern, show that
    it is there.
    """
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
        if not same:
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
) -> None:
    """One entry per strategy: its line over a swatch of its band, where it has one.

    The swatch is drawn as the band is: tinted with the strategy's colour where the band was
    filled, edged in its colour and dash pattern (a band identical to another's shows only
    its edges).
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
                facecolor=to_rgba(colour, _BAND_ALPHA) if banded[s] else "none",
                edgecolor=colour,
                linestyle=styles[s]["linestyle"],
                linewidth=1.3,
            )
            handles.append((swatch, line))
        else:
            handles.append(line)
    title = None
    if banded:
        title = f"Line: mean of runs; shaded: {band_label or _band_text(bands)}"
    _figure_legend(
        fig,
        handles,
        title=title,
        labels=[plain_label(s) for s in strategies],
        handler_map={tuple: HandlerTuple(ndivide=1, pad=0.0)},
    )


def _finish(fig: Figure, title: str, subtitle: str | None = None) -> None:
    """Set the title (and a subtitle under it), fit labels, then lay out once and freeze.

    Constrained layout refines positions starting from the current ones, so a figure laid
    out again at every save would move by a fraction of a point between saves. Laying it out
    here, from the same starting state every time, and then switching the layout engine off
    makes every save of the figure (and of a rebuilt one) give the same bytes.

    The subtitle sits in blank lines kept under the title (so that the layout makes room for
    it) and is drawn smaller and not bold once the layout is known. A y-axis label taller than
    its axes is wrapped onto more lines, so that it never reaches the title.
    """
    sub = wrap(subtitle, _SUBTITLE_WIDTH) if subtitle else ""
    blank = "\n" * (sub.count("\n") + 1) if sub else ""
    sup = fig.suptitle(wrap(title, 62) + blank, x=0.01, ha="left")
    fig.draw_without_rendering()
    if _fit_labels(fig):
        fig.draw_without_rendering()
    fig.set_layout_engine("none")
    renderer = _renderer(fig)
    box = sup.get_window_extent(renderer).transformed(fig.transFigure.inverted())
    if sub:
        fig.text(
            0.01,
            box.y0,
            sub,
            ha="left",
            va="bottom",
            fontsize=_SUBTITLE_SIZE,
            color="#333333",
        )
    _align_right_legends(fig, renderer, box.y0)


def _align_right_legends(fig: Figure, renderer: Any, ceiling: float) -> None:
    """Move a legend right of the axes so that its top is level with the axes' top.

    Constrained layout centres it on the figure, so a tall one rises beside the title; level
    with the axes it stays below the title and subtitle (``ceiling``, a figure fraction),
    rising above the axes' top only as far as it must to stay inside the figure.
    """
    axes = [ax for ax in fig.axes if ax.get_visible()]
    if not axes:
        return
    to_figure = fig.transFigure.inverted()
    right = max(ax.get_window_extent(renderer).transformed(to_figure).x1 for ax in axes)
    top = max(ax.get_window_extent(renderer).transformed(to_figure).y1 for ax in axes)
    for legend in fig.legends:
        box = legend.get_window_extent(renderer).transformed(to_figure)
        if box.x0 < right:
            continue  # a legend below the axes
        anchor = min(max(top, box.height + 0.01), ceiling - 0.005)
        legend.set_loc("upper left")
        legend.set_bbox_to_anchor((box.x0, anchor), transform=fig.transFigure)


def _renderer(fig: Figure) -> Any:
    """A renderer to measure text with (the Agg canvas; saving picks its own)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    return fig.canvas.get_renderer()


def _fit_labels(fig: Figure) -> bool:
    """Wrap y-axis labels taller than their axes onto more lines; whether any changed."""
    renderer = _renderer(fig)
    changed = False
    for ax in fig.axes:
        label = ax.yaxis.label
        text = " ".join(label.get_text().split())
        if not ax.get_visible() or not text:
            continue
        room = ax.get_window_extent(renderer).height
        width = max(len(line) for line in label.get_text().split("\n"))
        while label.get_window_extent(renderer).height > room and width > 8:
            width -= 4
            label.set_text("\n".join(textwrap.wrap(text, width)))
            changed = True
        while label.get_window_extent(renderer).height > room and label.get_fontsize() > 9:
            label.set_fontsize(label.get_fontsize() - 1)
            changed = True
    return changed


def _figure_legend(
    fig: Figure,
    handles: list[Any],
    title: str | None = None,
    side: str = "below",
    labels: list[str] | None = None,
    **kwargs: Any,
) -> None:
    """One legend outside the axes (``"below"`` or ``"right"``), placed by constrained layout.

    ``side="auto"`` puts labels longer than 30 characters (regime names) on the right, wrapped
    onto lines of 30 characters, which leaves the axes more height than a tall legend below.
    """
    if not handles:
        return
    labels = labels if labels is not None else [h.get_label() for h in handles]
    if side == "auto":
        side = "right" if max(len(label) for label in labels) > 30 else "below"
        if side == "right":
            labels = [wrap(label, 30) for label in labels]
    longest = max(len(label) for label in labels)
    # as many columns as labels of this length fit across the figure (regime labels that name
    # several outcomes run to 70 characters: one column)
    fit = 4 if longest <= 22 else 3 if longest <= 32 else 2 if longest <= 48 else 1
    ncols = max(1, min(len(handles), fit))
    if side == "right":
        ncols = 1
    fig.legend(
        handles=handles,
        labels=labels,
        loc="outside lower center" if side == "below" else "outside right center",
        ncols=ncols,
        title=title,
        title_fontsize=12,
        handlelength=2.2,
        columnspacing=1.5,
        **kwargs,
    )


def _point(name: str, value: Any, size: int) -> tuple[float, ...] | None:
    """The scenario's point as a tuple of ``size`` finite numbers, or None."""
    if value is None:
        return None
    arr = np.atleast_1d(np.asarray(value, dtype=float))
    if arr.shape != (size,) or not np.isfinite(arr).all():
        raise ValueError(f"{name} must be {size} finite number(s); got {value!r}")
    return tuple(float(v) for v in arr)


def _mark_point(ax: Axes, x: float, y: float, label: str) -> Any:
    """A white star with a black edge (it shows on every regime colour) at ``(x, y)``."""
    (star,) = ax.plot(
        [x],
        [y],
        linestyle="none",
        marker="*",
        markersize=_STAR_SIZE,
        markerfacecolor="white",
        markeredgecolor="#000000",
        markeredgewidth=1.6,
        label=label,
        zorder=6,
        clip_on=False,
    )
    return star


def _label_regions(
    ax: Axes,
    x_edges: np.ndarray,
    y_edges: np.ndarray,
    codes: np.ndarray,
    names: list[str],
    keys: dict[int, str],
    star: Any = None,
) -> None:
    """Label every regime in place, without covering other labels or the scenario's point.

    Each regime's largest region, and any other region covering :data:`_MIN_LABELLED_SHARE`
    of the grid, gets its name at the cell deepest inside it where the whole name fits inside
    the region, or else its letter (:data:`_KEYS`, explained by the legend) at the deepest
    cell where the letter covers no other label. Bigger regions choose first.
    """
    from matplotlib.transforms import Bbox
    from scipy import ndimage

    root = ax.get_figure(root=True)
    renderer = _renderer(root)
    dpi = root.dpi
    frame = ax.get_window_extent(renderer)
    ny, nx = codes.shape
    cell = (frame.height / ny, frame.width / nx)  # pixels per cell, to measure depth
    xc, yc = 0.5 * (x_edges[1:] + x_edges[:-1]), 0.5 * (y_edges[1:] + y_edges[:-1])
    taken: list[Any] = []
    if star is not None:
        cx, cy = ax.transData.transform(np.column_stack([star.get_xdata(), star.get_ydata()]))[0]
        half = 0.5 * _STAR_SIZE * dpi / 72
        taken.append(Bbox.from_extents(cx - half, cy - half, cx + half, cy + half))
    regions = []
    for code in np.flatnonzero(np.bincount(np.ravel(codes))).tolist():
        components, count = ndimage.label(codes == code)
        sizes = np.bincount(components.ravel(), minlength=count + 1)[1:]
        for rank, k in enumerate(np.argsort(-sizes, kind="stable")):
            if rank == 0 or sizes[k] >= _MIN_LABELLED_SHARE * codes.size:
                regions.append((int(sizes[k]), code, components == k + 1))
    regions.sort(key=lambda r: -r[0])
    # cell centres and edges on the screen; a label's box is measured once, then moved
    centres = ax.transData.transform(np.column_stack([np.repeat(yc, nx), np.tile(xc, ny)])[:, ::-1])
    centres = centres.reshape(ny, nx, 2)
    x_px = ax.transData.transform(np.column_stack([x_edges, np.full(nx + 1, y_edges[0])]))[:, 0]
    y_px = ax.transData.transform(np.column_stack([np.full(ny + 1, x_edges[0]), y_edges]))[:, 1]
    for _size, code, mask in regions:
        depth = ndimage.distance_transform_edt(np.pad(mask, 1), sampling=cell)[1:-1, 1:-1]
        rows, cols = np.nonzero(mask)
        near = (rows - rows.mean()) ** 2 * cell[0] ** 2 + (cols - cols.mean()) ** 2 * cell[1] ** 2
        order = np.lexsort((near, -depth[rows, cols]))
        candidates = list(zip(rows[order].tolist(), cols[order].tolist()))
        for text, style, whole in (
            (wrap(names[code], 18), _NAME_STYLE, True),
            (keys[code], _KEY_STYLE, False),
        ):
            probe = ax.text(0, 0, text, ha="center", va="center", **style)
            pad = style["bbox"]["pad"] * style["fontsize"] * dpi / 72
            size = probe.get_window_extent(renderer).padded(pad)
            probe.remove()
            w, h = size.width, size.height
            placed = None
            for i, j in candidates[: 80 if whole else None]:
                cx, cy = centres[i, j]
                if not whole:  # a letter near the map's edge moves inwards, within its cell
                    cx = min(max(cx, frame.x0 + w / 2, x_px[j]), frame.x1 - w / 2, x_px[j + 1])
                    cy = min(max(cy, frame.y0 + h / 2, y_px[i]), frame.y1 - h / 2, y_px[i + 1])
                box = Bbox.from_bounds(cx - w / 2, cy - h / 2, w, h)
                fits = (
                    frame.x0 - 1 <= box.x0
                    and box.x1 <= frame.x1 + 1
                    and frame.y0 - 1 <= box.y0
                    and box.y1 <= frame.y1 + 1
                    and not any(box.overlaps(other) for other in taken)
                )
                if fits and whole:
                    j0, j1 = np.clip(np.searchsorted(x_px, [box.x0, box.x1]) - 1, 0, nx - 1)
                    i0, i1 = np.clip(np.searchsorted(y_px, [box.y0, box.y1]) - 1, 0, ny - 1)
                    fits = bool(mask[i0 : i1 + 1, j0 : j1 + 1].all())
                if fits:
                    placed = box
                    x, y = ax.transData.inverted().transform((cx, cy))
                    ax.text(x, y, text, ha="center", va="center", **style)
                    break
            if placed is not None:
                taken.append(placed)
                break


def _tint(colour: str, amount: float) -> str:
    """``colour`` mixed with white (``amount`` = share of white), as hex."""
    from_hex = np.array([int(colour[k : k + 2], 16) for k in (1, 3, 5)], dtype=float)
    mixed = from_hex + (255.0 - from_hex) * amount
    return "#" + "".join(f"{int(round(v)):02X}" for v in mixed)


def _format_value(value: float, span: float) -> str:
    digits = 2 if span < 10 else 1 if span < 100 else 0
    return f"{value:.{digits}f}"
