"""The figures of analysis results: each takes a result object and returns a matplotlib figure.

The result objects of :mod:`simulator.analysis.results` keep thin ``plot_*`` methods that call
these at run time (the plots sit on the floor above the analyses, ``docs/architecture.md``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from simulator.analysis.results import ACTORS, plain_parameter
from simulator.plots.figures import (
    bargaining_range,
    encode_regimes,
    paths_panel,
    payoffs_by_strategy,
    regime_map,
    settlement_timing,
)
from simulator.plots.style import briefing_style, in_sentence, plain_label

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "comparison_paths",
    "equilibrium_paths",
    "comparison_payoffs",
    "comparison_settlement_timing",
    "sweep_bargaining_range",
    "sweep_regime_map",
]


def comparison_paths(
    comparison: Any, variables: tuple[str, ...] = ("cohesion", "capability", "belief")
) -> Figure:
    """Western cohesion, Russian capability and the West's belief over time, per profile.

    Lines are Monte Carlo means; bands hold the middle 90% of runs
    (:func:`simulator.plots.paths_panel`).
    """

    panels = {
        v: {
            s.name: {
                "mean": s.paths[v]["all"]["mean"],
                "low": s.paths[v]["all"]["q05"],
                "high": s.paths[v]["all"]["q95"],
            }
            for s in comparison.strategies
        }
        for v in variables
    }
    return paths_panel(np.arange(comparison.periods + 1), panels)


def equilibrium_paths(
    equilibrium: Any,
    variables: tuple[str, ...] = ("cohesion", "front", "belief", "capability"),
) -> Figure:
    """The buy-time game played out: the equilibrium and Russia's two plans against it.

    Means over Russia's types (weighted by the prior) with the middle 90% of runs as bands;
    ``belief`` is the public's P(sincere).
    """
    labels = {
        "equilibrium": "Equilibrium play",
        "compromise": "Genuine compromise",
        "buy_time": "Buying time",
    }
    key = {"belief": "p_sincere"}
    panels = {}
    for v in variables:
        panels[v] = {}
        for plan, label in labels.items():
            path = equilibrium.paths(plan)[key.get(v, v)]
            panels[v][label] = {"mean": path["mean"], "low": path["q05"], "high": path["q95"]}
    return paths_panel(
        np.arange(equilibrium.periods + 1),
        panels,
        title=f"The buy-time game played out ({equilibrium.offer})",
    )


def comparison_payoffs(comparison: Any, actors: tuple[str, ...] = ACTORS) -> Figure:
    """Expected payoffs of each actor per profile, with 95% Monte Carlo intervals."""

    names = [s.name for s in comparison.strategies]
    values = [[s.expected_payoffs[a]["all"] for a in actors] for s in comparison.strategies]
    errors = [[s.expected_payoffs[a]["se"] for a in actors] for s in comparison.strategies]
    return payoffs_by_strategy(names, list(actors), values, errors=errors)


def comparison_settlement_timing(comparison: Any) -> Figure:
    """The share of runs settled by each period, per profile."""

    data = {}
    for s in comparison.strategies:
        counts = np.rint(np.asarray(s.settlement_distribution) * s.runs).astype(int)
        periods = np.repeat(np.arange(counts.size), counts)
        data[s.name] = np.concatenate([periods, np.full(s.runs - counts.sum(), -1)])
    return settlement_timing(data, periods=comparison.periods)


def sweep_regime_map(sweep: Any) -> Figure:
    """Which equilibrium outcome holds where (:func:`simulator.plots.figures.regime_map`).

    A one-parameter sweep is drawn as a single strip.
    """
    if "regime" not in sweep.columns:
        raise ValueError("this sweep computed the bargaining range; use plot_bargaining_range()")

    codes, labels = encode_regimes(sweep.columns["regime"])
    x = np.asarray(sweep.axes[0].values)
    x_name = plain_parameter(sweep.axes[0].parameter)
    if len(sweep.axes) == 1:
        order = np.argsort(x)
        strip = np.vstack([codes[order], codes[order]])
        title = f"Equilibrium outcome by {in_sentence(plain_label(x_name))}"
        fig = regime_map(
            x[order], [0.0, 1.0], strip, labels, x_name, "offer", title=title, annotate=False
        )
        ax = fig.axes[0]
        ax.set_yticks([])
        ax.set_ylabel("")
        # Lay out again without the y labels, once, then freeze (as simulator.plots does)
        # so that every save gives the same bytes.
        with briefing_style():
            fig.set_layout_engine("constrained")
            fig.draw_without_rendering()
            fig.set_layout_engine("none")
        return fig
    y = np.asarray(sweep.axes[1].values)
    ix, iy = np.argsort(x), np.argsort(y)
    grid = codes[np.ix_(ix, iy)].T  # regime_map wants rows = y
    return regime_map(x[ix], y[iy], grid, labels, x_name, plain_parameter(sweep.axes[1].parameter))


def sweep_bargaining_range(
    sweep: Any, offers: Mapping[str, float] | None = None, at: int | None = None
) -> Figure:
    """Settlements both sides prefer to war along the first swept parameter.

    ``offers`` (name -> alignment) are drawn as lines. For a two-parameter sweep the
    second parameter is held at its value number ``at`` (default: the middle one).
    """
    if not sweep.is_bargaining:
        raise ValueError("this sweep solved the offer game; use plot_regime_map()")

    low, high = np.asarray(sweep.columns["low"]), np.asarray(sweep.columns["high"])
    title = None
    if len(sweep.axes) == 2:
        k = len(sweep.axes[1].values) // 2 if at is None else int(at)
        low, high = low[:, k], high[:, k]

        name = plain_parameter(sweep.axes[1].parameter)
        title = (
            f"Settlements both sides prefer to war ({plain_label(name)} = "
            f"{sweep.axes[1].values[k]:.3g})"
        )
    x = np.asarray(sweep.axes[0].values)
    order = np.argsort(x)
    return bargaining_range(
        x[order],
        low[order],
        high[order],
        plain_parameter(sweep.axes[0].parameter),
        offers=dict(offers or {}),
        title=title,
    )
