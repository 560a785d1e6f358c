"""The negotiation domain: actors, parameters, offers and the published models.

The published models are modules of this package (import them directly, e.g.
``from simulator.model import bargaining``): ``bargaining``, ``commitment``,
``alternating_offers``, ``cheap_talk``, ``costly_signalling``, ``sanctions``,
``coalition``, ``leader_survival``, ``attrition``, ``expected_utility``.
"""

from simulator.model.actors import Leader, Russia, Ukraine, West, WesternGovernment
from simulator.model.negotiation import NegotiationModel, win_probability
from simulator.model.offers import Offer
from simulator.model.parameters import ParameterError, ParameterSpec

__all__ = [
    "Leader",
    "NegotiationModel",
    "Offer",
    "ParameterError",
    "ParameterSpec",
    "Russia",
    "Ukraine",
    "West",
    "WesternGovernment",
    "win_probability",
]
