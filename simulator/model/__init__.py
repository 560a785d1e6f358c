"""The Russia-Ukraine-West negotiation engine: actors, parameters, offers, rules and games.

The engine: :mod:`~simulator.model.rules` (every payoff rule, written once), the offer game
(:mod:`~simulator.model.offer_game`), the buy-time dynamics and their Markov perfect
equilibrium. The published textbook models live apart, in :mod:`simulator.model.published`
(e.g. ``from simulator.model.published import bargaining``).
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
