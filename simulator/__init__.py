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
    "ExtensiveEquilibrium": "simulator.solvers.extensive_equilibrium",
    "ParameterError": "simulator.model.parameters",
    "ScenarioError": "simulator.scenario.errors",
    "load_scenario": "simulator.scenario",
    "Scenario": "simulator.scenario",
    "run_scenario": "simulator.analysis",
    "ScenarioResults": "simulator.analysis",
}

__all__ = ["__version__", *_EXPORTS]

#: The Russia-Ukraine-West engine lives in simulator.model and its analyses in
#: simulator.analysis; these names were once re-exported here and still resolve, with a
#: warning that says where they live now.
_MOVED = {
    "NegotiationModel": "simulator.model",
    "Offer": "simulator.model",
    "Russia": "simulator.model",
    "Ukraine": "simulator.model",
    "West": "simulator.model",
    "WesternGovernment": "simulator.model",
    "SolveResult": "simulator.analysis",
    "OfferSolution": "simulator.analysis",
    "Comparison": "simulator.analysis",
    "StrategyResult": "simulator.analysis",
    "EquilibriumResult": "simulator.analysis",
    "SweepResult": "simulator.analysis",
    "MonteCarloResult": "simulator.analysis",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None and name in _MOVED:
        import warnings

        warnings.warn(
            f"simulator.{name} has moved: import it from {_MOVED[name]} "
            f"(from {_MOVED[name]} import {name})",
            FutureWarning,
            stacklevel=2,
        )
        return getattr(import_module(_MOVED[name]), name)
    if module is None:
        raise AttributeError(f"module 'simulator' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
