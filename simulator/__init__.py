"""simulator: strategic negotiation modelled with game theory.

The public API is re-exported here lazily so that ``import simulator`` stays fast;
heavy modules (scipy, matplotlib) load on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "NormalFormGame": "simulator.games.normal_form",
    "Player": "simulator.games.normal_form",
    "SimulatorError": "simulator.errors",
    "GameError": "simulator.games.errors",
    "Equilibrium": "simulator.solvers.equilibrium",
    "CertificationError": "simulator.solvers.equilibrium",
    "solve": "simulator.solvers.solve",
    "solve_batch": "simulator.solvers.batch",
    "BatchResult": "simulator.solvers.batch",
    "read_nfg": "simulator.io.nfg",
    "write_nfg": "simulator.io.nfg",
    "read_game": "simulator.io.files",
    "ExtensiveGame": "simulator.games.extensive",
    "Decision": "simulator.games.extensive",
    "Chance": "simulator.games.extensive",
    "Terminal": "simulator.games.extensive",
    "BehaviourProfile": "simulator.games.behaviour",
    "SignallingGame": "simulator.games.signalling",
    "perfect_bayesian_equilibria": "simulator.solvers.signalling_pbe",
    "intuitive_criterion": "simulator.solvers.signalling_pbe",
    "NegotiationModel": "simulator.model.negotiation",
    "Offer": "simulator.model.offers",
    "Russia": "simulator.model.actors",
    "Ukraine": "simulator.model.actors",
    "West": "simulator.model.actors",
    "WesternGovernment": "simulator.model.actors",
    "load_scenario": "simulator.scenario",
    "Scenario": "simulator.scenario",
    "run_scenario": "simulator.analysis",
    "ScenarioResults": "simulator.analysis",
    "SolveResult": "simulator.analysis",
    "OfferSolution": "simulator.analysis",
    "Comparison": "simulator.analysis",
    "StrategyResult": "simulator.analysis",
    "EquilibriumResult": "simulator.analysis",
    "SweepResult": "simulator.analysis",
    "MonteCarloResult": "simulator.analysis",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'simulator' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
