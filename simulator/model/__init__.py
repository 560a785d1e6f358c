"""The negotiation domain: actors, parameters, offers and the published models."""

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
