"""Outcomes by strategy: expected payoffs, and when deals are signed and how long they hold.

Part of :mod:`simulator.plots.figures`. :func:`payoffs_by_strategy` draws grouped bars with
Monte Carlo error bars (normal-approximation intervals from the standard errors);
:func:`settlement_timing` the share of runs with a deal signed, and still in force, by period.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from simulator.analysis.labels import axis_label, plain_label
from simulator.plots.figures_data import _labels, _matrix
from simulator.plots.figures_layout import _figure_legend, _finish, _line_styles
from simulator.plots.style import briefing_style, colours_for, new_figure, wrap

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["payoffs_by_strategy", "settlement_timing"]

#: Payoffs of the dynamics: discounted sums of per-period payoffs in shares of the stake.
_PAYOFF_LABEL = "Expected payoff (discounted sum, shares of the stake)"


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


def _format_value(value: float, span: float) -> str:
    digits = 2 if span < 10 else 1 if span < 100 else 0
    return f"{value:.{digits}f}"
