"""Briefing figures for policy audiences: regime maps, bargaining ranges, paths and payoffs.

Floor 6: may import anything below it (model, solvers, games) and is never imported by them.
Functions take plain numpy data and return a :class:`matplotlib.figure.Figure` built with the
object API (no pyplot); :func:`save_figure` writes PNG, SVG or PDF atomically and
reproducibly. matplotlib is imported only when a figure is built, so importing this package
is cheap.

Examples
--------
>>> import numpy as np
>>> from simulator.plots import bargaining_range
>>> fig = bargaining_range(np.array([0.0, 1.0]), [0.35, np.nan], [0.6, np.nan],
...                        "russia.great_power_status")
>>> fig.axes[0].get_xlabel()
'Great-power status premium (share of the stake)'
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "regime_map": "simulator.plots.figures",
    "regime_strip": "simulator.plots.figures",
    "encode_regimes": "simulator.plots.figures",
    "bargaining_range": "simulator.plots.figures",
    "paths": "simulator.plots.figures",
    "paths_panel": "simulator.plots.figures",
    "payoffs_by_strategy": "simulator.plots.figures",
    "settlement_timing": "simulator.plots.figures",
    "save_figure": "simulator.plots.save",
    "FORMATS": "simulator.plots.save",
    "OKABE_ITO": "simulator.plots.style",
    "BRIEFING_RC": "simulator.plots.style",
    "plain_label": "simulator.analysis.labels",
    "axis_label": "simulator.analysis.labels",
    "unit_text": "simulator.analysis.labels",
    "colours_for": "simulator.plots.style",
    "briefing_style": "simulator.plots.style",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'simulator.plots' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
