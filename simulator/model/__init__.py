"""The Russia-Ukraine-West negotiation engine: actors, parameters, offers, rules and games.

The engine: :mod:`~simulator.model.rules` (every payoff rule, written once), the offer game
(:mod:`~simulator.model.offer_game`), the buy-time game
(:mod:`~simulator.model.buy_time_game`: ``buy_time_equilibrium`` and its forward pass
``play_buy_time``) and the what-if simulation (:mod:`~simulator.model.dynamics`). The
published textbook models live apart, in :mod:`simulator.model.published`
(e.g. ``from simulator.model.published import bargaining``).
"""

from simulator.model.actors import Leader, Russia, Ukraine, West, WesternGovernment
from simulator.model.buy_time_game import BuyTimeEquilibrium, buy_time_equilibrium
from simulator.model.buy_time_play import BuyTimePlay
from simulator.model.buy_time_play import play as play_buy_time
from simulator.model.buy_time_setup import BuyTimeSettings
from simulator.model.negotiation import NegotiationModel, win_probability
from simulator.model.offers import Offer
from simulator.model.parameters import ParameterError, ParameterSpec

__all__ = [
    "BuyTimeEquilibrium",
    "BuyTimePlay",
    "BuyTimeSettings",
    "Leader",
    "NegotiationModel",
    "Offer",
    "ParameterError",
    "ParameterSpec",
    "Russia",
    "Ukraine",
    "West",
    "WesternGovernment",
    "buy_time_equilibrium",
    "play_buy_time",
    "win_probability",
]
