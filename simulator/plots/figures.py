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

The figures live in modules of their own, each changing for its own reason:
:mod:`~simulator.plots.figures_regimes` (regime maps and strips and their region labels),
:mod:`~simulator.plots.figures_bargaining` (the bargaining range),
:mod:`~simulator.plots.figures_paths` (paths over time and their bands) and
:mod:`~simulator.plots.figures_outcomes` (payoffs by strategy and settlement timing), with the
checks of their data in :mod:`~simulator.plots.figures_data` and the shared drawing (titles,
legends, label fitting) in :mod:`~simulator.plots.figures_layout`. This module is the entry
point: it re-exports the figures.
"""

from __future__ import annotations

from simulator.plots.figures_bargaining import bargaining_range
from simulator.plots.figures_outcomes import payoffs_by_strategy, settlement_timing
from simulator.plots.figures_paths import paths, paths_panel
from simulator.plots.figures_regimes import (
    encode_regimes,
    regime_map,
    regime_strip,  # noqa: F401 - importers take it from here, as before the split
)

__all__ = [
    "bargaining_range",
    "encode_regimes",
    "paths",
    "paths_panel",
    "payoffs_by_strategy",
    "regime_map",
    "settlement_timing",
]
