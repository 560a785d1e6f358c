"""Briefing figures: regime maps, bargaining ranges, Monte Carlo paths, payoffs and timing.

Every function takes plain numpy data (so it works for any results object), validates it
with a :class:`ValueError` that says what to fix, and returns a
:class:`matplotlib.figure.Figure` built without pyplot; :func:`simulator.plots.save_figure`
writes it. Names of parameters, strategies, actors and quantities may be code names
(``"russia.great_power_status"``, ``"buy_time"``): they are shown in plain words
(:func:`simulator.plots.style.plain_label`). Colours come from the Okabe-Ito palette,
with fixed colours for recurring names (``"war"``, ``"buy time"``, ...).

Returned figures are already laid out (constrained layout, run once and then switched off so
that every save gives the same bytes). After adding artists of your own, call
``fig.set_layout_engine("constrained")`` to have the layout redone when saving.

Monte Carlo bands are pointwise quantiles of the simulated runs at each period; error bars
on payoffs are normal-approximation intervals from Monte Carlo standard errors (C. P. Robert
& G. Casella, *Monte Carlo Statistical Methods*, 2nd ed., Springer, 2004, sec. 3.2).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from simulator.plots.style import (
    FIGURE_SIZE,
    LINE_STYLES,
    SERIES_ORDER,
    axis_label,
    briefing_style,
    colours_for,
    in_sentence,
    new_figure,
    plain_label,
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
#: Largest share of the grid a region may cover and still go unlabelled.
_MIN_LABELLED_SHARE = 0.03
#: Regions thinner than this (a share of the map height) are named in the legend only.
_MIN_LABEL_DEPTH = 0.2


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
) -> Figure:
    """Which equilibrium outcome holds where, over two parameters.

    Each grid cell is coloured by its regime; boundaries between regimes are drawn; a legend
    names the regimes present; with ``annotate`` each sizeable region is labelled in place
    (at its centroid, or at the point deepest inside it when the centroid falls outside).

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
    ...                  "russia.great_power_status", "west.western_cohesion")
    >>> print(fig.get_suptitle())
    Equilibrium outcome by great-power status premium and Western
    cohesion
    >>> fig.axes[0].get_xlabel()
    'Great-power status premium (share of the stake)'
    >>> [t.get_text() for t in fig.legends[0].get_texts()]
    ['Settlement', 'War']
    """
    x = _grid_axis("x_values", x_values)
    y = _grid_axis("y_values", y_values)
    labels = _labels("regime_labels", regime_labels)
    codes = _regime_codes(regimes, (y.size, x.size), len(labels))
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
        if annotate:
            for code, (i, j) in _region_anchors(codes, aspect=_aspect(ax)):
                ax.text(
                    x[j],
                    y[i],
                    wrap(plain[code], 18),
                    ha="center",
                    va="center",
                    fontsize=13,
                    fontweight="bold",
                    color="#111111",
                    bbox={"boxstyle": "round,pad=0.3", "fc": "white", "ec": "none", "alpha": 0.8},
                )
        present = sorted(set(np.unique(codes).tolist()))
        handles = [Patch(facecolor=tints[c], edgecolor="#222222", label=plain[c]) for c in present]
        _figure_legend(fig, handles, title=legend_title)
        _finish(
            fig,
            title
            or f"Equilibrium outcome by {in_sentence(plain_label(x_parameter))} and "
            f"{in_sentence(plain_label(y_parameter))}",
        )
    return fig


def encode_regimes(regimes: Any) -> tuple[np.ndarray, list[str]]:
    """Integer codes and their labels for an array of regime names (labels sorted).

    Examples
    --------
    >>> codes, labels = encode_regimes([["war", "settlement"], ["war", "war"]])
    >>> codes.tolist(), labels
    ([[1, 0], [1, 1]], ['settlement', 'war'])
    """
    names = np.asarray(regimes, dtype=str)
    labels, codes = np.unique(names, return_inverse=True)
    return codes.reshape(names.shape), [str(label) for label in labels]


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
) -> Figure:
    """The band of settlements both sides prefer to war, against a parameter.

    The band between ``low`` and ``high`` is shaded where it is non-empty; where it is empty
    (``nan`` bounds, or ``low > high``) the background is hatched and labelled "No
    settlement both sides accept". Named offers are horizontal dashed lines: an offer inside
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
        if runs:
            a, b = max(runs, key=lambda r: r[1] - r[0])
            bottom, top = ax.get_ylim()
            ax.text(
                0.5 * (edges[a] + edges[b + 1]),
                bottom + 0.5 * (top - bottom),
                "No settlement\nboth sides accept",
                ha="center",
                va="center",
                fontsize=13,
                color="#333333",
                bbox={"boxstyle": "round,pad=0.3", "fc": "white", "ec": "none", "alpha": 0.9},
            )
        ax.set_xlabel(axis_label(parameter))
        ax.set_ylabel(y_label)
        _figure_legend(fig, handles, side="right")
        _finish(
            fig,
            title
            or f"Settlements both sides prefer to war, by {in_sentence(plain_label(parameter))}",
        )
    return fig


# ============================================================================ paths
def paths(
    periods: Any,
    series: Mapping[str, Any],
    quantity: str,
    bands: tuple[float, float] | None = (0.05, 0.95),
    title: str | None = None,
) -> Figure:
    """A quantity over time for each compared strategy, with Monte Carlo bands.

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
    >>> fig.get_suptitle(), fig.axes[0].get_ylabel()
    ('Western cohesion over time, by strategy', 'Western cohesion')
    >>> [t.get_text() for t in fig.legends[0].get_texts()]
    ['Buy time', 'Genuine compromise', 'Middle 90% of runs']
    """
    x = _grid_axis("periods", periods, min_size=1)
    summary = _summaries(quantity, series, x.size, bands)
    with briefing_style():
        fig, ax = new_figure()
        styles = _line_styles(list(summary))
        band = _draw_paths(ax, x, summary, quantity, styles)
        ax.set_xlabel(plain_label("period"))
        ax.set_ylabel(wrap(axis_label(quantity), 40))
        _figure_legend(fig, _path_handles(list(summary), band, bands, styles))
        _finish(fig, title or f"{plain_label(quantity)} over time, by strategy")
    return fig


def paths_panel(
    periods: Any,
    panels: Mapping[str, Mapping[str, Any]],
    bands: tuple[float, float] | None = (0.05, 0.95),
    title: str | None = None,
) -> Figure:
    """Several quantities over time, one panel each, strategies coloured alike in all panels.

    ``panels`` maps a quantity to the ``series`` argument of :func:`paths`.

    Examples
    --------
    >>> import numpy as np
    >>> t = np.arange(5)
    >>> fig = paths_panel(t, {"belief": {"buy_time": np.full((3, 5), 0.5)},
    ...                       "capability": {"buy_time": np.ones((3, 5))}})
    >>> [ax.get_title(loc="left") for ax in fig.axes]
    ["West's belief that Russia is sincere", 'Russian military capability']
    >>> fig.get_suptitle()
    'How the strategies play out over time'
    """
    if not isinstance(panels, Mapping) or not panels:
        raise ValueError("panels must be a non-empty dict {quantity: {strategy: data}}")
    x = _grid_axis("periods", periods, min_size=1)
    summaries = {q: _summaries(q, series, x.size, bands) for q, series in panels.items()}
    strategies: list[str] = []
    for summary in summaries.values():
        strategies += [s for s in summary if s not in strategies]
    styles = _line_styles(strategies)
    n = len(summaries)
    ncols = n if n <= 3 else 2
    nrows = -(-n // ncols)
    with briefing_style():
        height = FIGURE_SIZE[1] if nrows == 1 else FIGURE_SIZE[1] * 1.6
        fig, axes = new_figure(nrows, ncols, figsize=(FIGURE_SIZE[0], height), sharex=True)
        axes = np.atleast_1d(axes).ravel()
        any_band = False
        for ax, (quantity, summary) in zip(axes, summaries.items()):
            any_band |= _draw_paths(ax, x, summary, quantity, styles)
            ax.set_title(
                wrap(plain_label(quantity), 72 // ncols), loc="left", fontsize=14, fontweight="bold"
            )
        for ax in axes[len(summaries) :]:
            ax.set_visible(False)
        for ax in axes[-ncols:]:
            ax.set_xlabel(plain_label("period"))
        _figure_legend(fig, _path_handles(strategies, any_band, bands, styles))
        _finish(fig, title or "How the strategies play out over time")
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
    value_label: str = "Expected payoff (discounted)",
    annotate: bool | None = None,
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

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = payoffs_by_strategy(["buy_time", "genuine_compromise"], ["russia", "ukraine"],
    ...                           [[7.1, 11.0], [6.2, 11.9]], errors=[[0.06, 0.03], [0.0, 0.0]])
    >>> fig.get_suptitle(), fig.axes[0].get_ylabel()
    ('Expected payoffs by strategy', 'Expected payoff (discounted)')
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
        _figure_legend(fig, handles, title=legend_title)
        _finish(fig, title or "Expected payoffs by strategy")
    return fig


# ============================================================================ settlement timing
def settlement_timing(
    settlement_periods: Mapping[str, Any],
    periods: int | None = None,
    title: str | None = None,
    cumulative: bool = True,
) -> Figure:
    """When deals are signed: the share of runs settled by each period, per strategy.

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

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = settlement_timing({"buy_time": [1, 1, 3, -1], "genuine_compromise": [1, 1, 1, 1]})
    >>> fig.get_suptitle(), fig.axes[0].get_ylabel()
    ('When a deal is signed, by strategy', 'Share of runs settled by then')
    >>> [t.get_text() for t in fig.legends[0].get_texts()]
    ['Buy time (75% settle)', 'Genuine compromise (100% settle)']
    """
    if not isinstance(settlement_periods, Mapping) or not settlement_periods:
        raise ValueError("settlement_periods must be a non-empty dict {strategy: periods}")
    data = {}
    for name, value in settlement_periods.items():
        arr = np.asarray(value, dtype=float).ravel()
        if arr.size == 0:
            raise ValueError(f"settlement_periods[{name!r}] is empty; give one period per run")
        if not np.isfinite(arr).all() or (arr != np.round(arr)).any() or (arr < -1).any():
            raise ValueError(
                f"settlement_periods[{name!r}] must hold whole periods >= 0, or -1 for runs "
                "that never settle"
            )
        data[str(name)] = arr.astype(int)
    latest = max(int(a.max()) for a in data.values())
    if periods is None:
        periods = max(latest + 1, 1)
    elif isinstance(periods, bool) or int(periods) != periods or periods <= latest:
        raise ValueError(
            f"periods = {periods!r} must be a whole number above the latest settlement period "
            f"{latest}"
        )
    periods = int(periods)
    t = np.arange(periods)
    with briefing_style():
        from matplotlib.ticker import MaxNLocator, PercentFormatter

        fig, ax = new_figure()
        styles = _line_styles(list(data))
        for name, arr in data.items():
            share = np.bincount(arr[arr >= 0], minlength=periods)[:periods] / arr.size
            curve = np.cumsum(share) if cumulative else share
            label = f"{plain_label(name)} ({np.mean(arr >= 0):.0%} settle)"
            if cumulative:
                ax.step(t, curve, where="post", **styles[name], linewidth=2.8, label=label)
            else:
                ax.plot(t, curve, **styles[name], marker="o", label=label)
        ax.set_ylim(-0.02, 1.02)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel(plain_label("period"))
        ax.set_ylabel("Share of runs settled by then" if cumulative else "Share of runs settling")
        handles, _ = ax.get_legend_handles_labels()
        _figure_legend(fig, handles)
        _finish(fig, title or "When a deal is signed, by strategy")
    return fig


# ============================================================================ helpers
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


def _aspect(ax: Axes) -> float:
    """Width over height of the axes box, to measure distances in the picture."""
    bbox = ax.get_position()
    fig_w, fig_h = ax.figure.get_size_inches()
    return float((bbox.width * fig_w) / max(bbox.height * fig_h, 1e-9))


def _region_anchors(codes: np.ndarray, aspect: float = 1.6) -> list[tuple[int, tuple[int, int]]]:
    """A label point ``(code, (row, column))`` for each region covering enough of the grid.

    The point is the cell at the region's centroid if that cell is well inside the region,
    otherwise the cell deepest inside it (largest distance to the region's edge or the map's).
    """
    from scipy import ndimage

    ny, nx = codes.shape
    sampling = (1.0 / ny, aspect / nx)
    anchors = []
    for code in np.unique(codes).tolist():
        components, count = ndimage.label(codes == code)
        for k in range(1, count + 1):
            mask = components == k
            if mask.sum() < max(1, _MIN_LABELLED_SHARE * codes.size):
                continue
            depth = ndimage.distance_transform_edt(np.pad(mask, 1), sampling=sampling)[1:-1, 1:-1]
            if depth.max() < _MIN_LABEL_DEPTH:
                continue  # a thin band cannot hold a label without covering its neighbours
            rows, cols = np.nonzero(mask)
            ci, cj = int(round(rows.mean())), int(round(cols.mean()))
            if mask[ci, cj] and depth[ci, cj] >= 0.6 * depth.max():
                anchors.append((code, (ci, cj)))
                continue
            best = depth == depth.max()
            r, c = np.nonzero(best)
            pick = np.argmin((r - ci) ** 2 + (c - cj) ** 2)
            anchors.append((code, (int(r[pick]), int(c[pick]))))
    return anchors


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
) -> bool:
    """Draw bands, then means on top; return whether any band was drawn."""
    band = False
    # a constant path must not get an offset label like "1e-12+2" from rounding noise
    ax.ticklabel_format(axis="y", useOffset=False)
    for name, s in summary.items():
        if s["low"] is not None and s["high"] is not None:
            colour = styles[name]["color"]
            ax.fill_between(x, s["low"], s["high"], color=colour, alpha=0.15, linewidth=0)
            # Thin edges keep overlapping bands apart where their fills blend.
            for edge in (s["low"], s["high"]):
                ax.plot(x, edge, color=colour, linewidth=1.0, alpha=0.6)
            band = True
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
    if x.size > 1:
        ax.set_xlim(x[0], x[-1])
    return band


def _path_handles(
    strategies: list[str],
    band: bool,
    bands: tuple[float, float] | None,
    styles: dict[str, dict[str, Any]],
) -> list[Any]:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Any] = [
        Line2D([], [], **styles[s], linewidth=2.8, label=plain_label(s)) for s in strategies
    ]
    if band:
        label = "Monte Carlo band"
        if bands is not None and np.isclose(bands[0], 1 - bands[1]):
            label = f"Middle {round(100 * (bands[1] - bands[0]))}% of runs"
        handles.append(Patch(facecolor="#888888", alpha=0.3, label=label))
    return handles


def _finish(fig: Figure, title: str) -> None:
    """Set the title (left-aligned, wrapped to fit a slide), then lay out once and freeze.

    Constrained layout refines positions starting from the current ones, so a figure laid
    out again at every save would move by a fraction of a point between saves. Laying it out
    here, from the same starting state every time, and then switching the layout engine off
    makes every save of the figure (and of a rebuilt one) give the same bytes.
    """
    fig.suptitle(wrap(title, 62), x=0.01, ha="left")
    fig.draw_without_rendering()
    fig.set_layout_engine("none")


def _figure_legend(
    fig: Figure, handles: list[Any], title: str | None = None, side: str = "below"
) -> None:
    """One legend outside the axes (``"below"`` or ``"right"``), placed by constrained layout."""
    if not handles:
        return
    longest = max(len(h.get_label()) for h in handles)
    # as many columns as labels of this length fit across the figure (regime labels that name
    # several outcomes run to 70 characters: one column)
    fit = 4 if longest <= 22 else 3 if longest <= 32 else 2 if longest <= 48 else 1
    ncols = max(1, min(len(handles), fit))
    if side == "right":
        ncols = 1
    fig.legend(
        handles=handles,
        loc="outside lower center" if side == "below" else "outside right center",
        ncols=ncols,
        title=title,
        title_fontsize=12,
        handlelength=2.2,
        columnspacing=1.5,
    )


def _tint(colour: str, amount: float) -> str:
    """``colour`` mixed with white (``amount`` = share of white), as hex."""
    from_hex = np.array([int(colour[k : k + 2], 16) for k in (1, 3, 5)], dtype=float)
    mixed = from_hex + (255.0 - from_hex) * amount
    return "#" + "".join(f"{int(round(v)):02X}" for v in mixed)


def _format_value(value: float, span: float) -> str:
    digits = 2 if span < 10 else 1 if span < 100 else 0
    return f"{value:.{digits}f}"
