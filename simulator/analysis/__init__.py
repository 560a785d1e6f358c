"""Running a scenario's analyses (floor 5): solve, compare strategies, sweep, Monte Carlo.

``run_scenario(load_scenario(path))`` runs every analysis a scenario file lists and returns
:class:`ScenarioResults`: frozen results with tables (``to_frame()``, ``as_dict()``) and
briefing figures (``plot_regime_map()``, ``plot_paths()``, ``plot_payoffs()``,
``plot_bargaining_range()``). :func:`simulator.report.write_results` writes them to a folder.

Examples
--------
>>> from simulator.scenario import parse_scenario
>>> from simulator.analysis import run_scenario
>>> s = parse_scenario("title: t\\noffers: {deal: {alignment: 0.3}}\\n"
...                    "analyses: [{solve: offer_game}]")
>>> results = run_scenario(s)
>>> [sol.offer for sol in results.solutions], results.certified
(['deal'], True)
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "run_scenario": "simulator.analysis.run",
    "FAST": "simulator.analysis.run",
    "CHUNK_SIZE": "simulator.analysis.run",
    "DEFAULT_PROFILES": "simulator.analysis.run",
    "ProgressCallback": "simulator.analysis.run",
    "AnalysisError": "simulator.analysis.points",
    "CheckpointStore": "simulator.analysis.checkpoint",
    "ScenarioResults": "simulator.analysis.results",
    "SolveResult": "simulator.analysis.results",
    "OfferSolution": "simulator.analysis.results",
    "Comparison": "simulator.analysis.results",
    "StrategyResult": "simulator.analysis.results",
    "EquilibriumResult": "simulator.analysis.results",
    "SweepResult": "simulator.analysis.results",
    "MonteCarloResult": "simulator.analysis.results",
    "Certificate": "simulator.analysis.results",
    "Axis": "simulator.analysis.results",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'simulator.analysis' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
