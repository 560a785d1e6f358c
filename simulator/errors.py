"""The library's one error base class.

Every error the library raises on purpose derives from :class:`SimulatorError` (and from the
built-in error it refines, so ``except ValueError`` keeps working): bad games and game files
(:class:`~simulator.games.errors.GameError`), parameters out of range
(:class:`~simulator.model.parameters.ParameterError`), scenario files
(:class:`~simulator.scenario.errors.ScenarioError`), answers that cannot be certified
(:class:`~simulator.solvers.equilibrium.CertificationError`) and the rest.

Examples
--------
>>> from simulator.model import NegotiationModel
>>> try:
...     NegotiationModel().with_params(russia__war_cost=-1)
... except SimulatorError as exc:
...     print(type(exc).__name__)
ParameterError
"""

from __future__ import annotations

__all__ = ["SimulatorError"]


class SimulatorError(Exception):
    """Base of every error the simulator raises on purpose."""
