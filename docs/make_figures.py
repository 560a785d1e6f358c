"""Build the example briefing figures in ``docs/figures/`` from the model's own functions.

Run from anywhere::

    python docs/make_figures.py            # PNG files
    python docs/make_figures.py --svg      # PNG and SVG

Each figure is a function below that computes its data with :mod:`simulator.model` and returns
a :class:`matplotlib.figure.Figure` from :mod:`simulator.plots`. To add or replace a figure
(e.g. the offer game's regime map, or results of ``simulator run``), write another such
function and list it in ``FIGURES``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

from simulator.model import NegotiationModel  # noqa: E402
from simulator.model.actors import West, WesternGovernment  # noqa: E402
from simulator.model.dynamics import SimulationResult, simulate  # noqa: E402
from simulator.model.offers import ALIGNMENT_PRESETS, Offer  # noqa: E402
from simulator.model.published.bargaining import status_settlements  # noqa: E402
from simulator.plots import (  # noqa: E402
    bargaining_range,
    paths_panel,
    payoffs_by_strategy,
    regime_map,
    save_figure,
    settlement_timing,
)

STRATEGIES = ("buy_time", "genuine_compromise", "fight_on")
SEED = 2022


# ---------------------------------------------------------------------------- data
def _status_inputs(model: NegotiationModel) -> dict[str, float]:
    """The arguments of :func:`status_settlements` that the sweeps below keep fixed."""
    return {
        "war_cost_russia": model.russia.war_cost,
        "war_cost_ukraine": model.ukraine.war_cost,
        "dominance_threshold": model.russia.dominance_threshold,
        "sanctions_burden": model.russia.sanctions_cost * model.west.western_cohesion,
        "optimism": model.russia.optimism,
    }


def coalition_model() -> NegotiationModel:
    """The default model with a three-member coalition whose members bear unequal burdens."""
    governments = (
        WesternGovernment("United States", weight=3.0, sanctions_burden=0.1, fatigue_rate=0.01),
        WesternGovernment(
            "Germany", weight=2.0, sanctions_burden=0.35, fatigue_rate=0.03, value_of_success=0.8
        ),
        WesternGovernment(
            "Hungary", weight=0.5, sanctions_burden=0.6, fatigue_rate=0.05, value_of_success=0.4
        ),
    )
    return NegotiationModel(west=West(governments=governments))


@lru_cache(maxsize=1)
def simulations() -> dict[str, SimulationResult]:
    """Monte Carlo runs of each strategy on the coalition model, with uncertain parameters."""
    uncertain = {
        "russia.capability": {"distribution": "uniform", "low": 0.8, "high": 1.2},
        "russia.regroup_rate_staller": {"distribution": "beta", "mean": 0.25, "sd": 0.08},
        "west.governments.Germany.fatigue_rate": {
            "distribution": "uniform",
            "low": 0.0,
            "high": 0.06,
        },
    }
    model, offer = coalition_model(), Offer.neutrality_for_guarantees()
    return {
        name: simulate(model, offer, name, runs=4000, periods=30, seed=SEED, uncertain=uncertain)
        for name in STRATEGIES
    }


# ---------------------------------------------------------------------------- figures
def figure_regime_map():
    """Which settlements exist, by status premium and Russia's military capability."""
    model = NegotiationModel()
    status = np.linspace(0.0, 2.0, 161)
    capability = np.linspace(0.5, 2.5, 121)
    k_r, k_u, g = capability[:, None], model.ukraine.capability, model.contest_exponent
    p = k_r**g / (k_r**g + k_u**g)
    result = status_settlements(p, status_premium=status[None, :], **_status_inputs(model))
    codes = np.where(result.beyond_dominance, 0, np.where(result.within_sphere, 1, 2))
    labels = ["Neutrality-type deal possible", "Only deals inside Russia's sphere", "war"]
    return regime_map(
        status,
        capability,
        codes,
        labels,
        "russia.great_power_status",
        "russia.capability",
        title="A high status premium empties the range of deals beyond Russia's sphere",
        legend_title="Deals both sides prefer to war",
    )


def figure_bargaining_range():
    """The settlements both sides prefer to war as the status premium grows."""
    model = NegotiationModel()
    status = np.linspace(0.0, 1.5, 301)
    result = status_settlements(
        model.win_probability(), status_premium=status, **_status_inputs(model)
    )
    offers = {
        "Neutrality with EU membership": ALIGNMENT_PRESETS["neutrality_with_eu"],
        "Strict neutrality": ALIGNMENT_PRESETS["neutrality"],
    }
    return bargaining_range(
        status,
        result.low,
        result.high,
        "russia.great_power_status",
        offers=offers,
        title="Status makes neutrality unacceptable: the bargaining range shrinks, then vanishes",
    )


def figure_paths():
    """Cohesion, capability and belief over time under each strategy."""
    results = simulations()
    periods = np.arange(next(iter(results.values())).periods + 1)
    panels = {
        quantity: {name: getattr(r, quantity) for name, r in results.items()}
        for quantity in ("cohesion", "capability", "belief")
    }
    return paths_panel(periods, panels, title="Buying time versus genuine compromise")


def figure_payoffs():
    """Expected discounted payoffs of Russia, Ukraine and the West under each strategy."""
    results = simulations()
    actors = ["russia", "ukraine", "west"]
    table = {name: r.expected_payoffs() for name, r in results.items()}
    values = [[table[s][a]["all"] for a in actors] for s in STRATEGIES]
    errors = [[table[s][a]["se"] for a in actors] for s in STRATEGIES]
    return payoffs_by_strategy(list(STRATEGIES), actors, values, errors)


def figure_settlement_timing():
    """The share of runs with a signed deal by each period."""
    results = simulations()
    return settlement_timing(
        {name: r.settlement_period for name, r in results.items()},
        periods=next(iter(results.values())).periods,
    )


FIGURES: dict[str, Callable[[], object]] = {
    "regime_map": figure_regime_map,
    "bargaining_range": figure_bargaining_range,
    "paths": figure_paths,
    "payoffs_by_strategy": figure_payoffs,
    "settlement_timing": figure_settlement_timing,
}


def main(argv: list[str] | None = None) -> list[Path]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "figures")
    parser.add_argument("--svg", action="store_true", help="also write SVG files")
    parser.add_argument("names", nargs="*", help=f"figures to build (default all): {list(FIGURES)}")
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in FIGURES]
    if unknown:
        parser.error(f"unknown figures {unknown}; choose from {list(FIGURES)}")
    formats = ("png", "svg") if args.svg else ("png",)
    written: list[Path] = []
    for name in args.names or FIGURES:
        written += save_figure(FIGURES[name](), args.out / name, formats)
    for path in written:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return written


if __name__ == "__main__":
    main()
