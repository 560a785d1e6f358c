"""Game data structures: validated, immutable, free of any domain vocabulary."""

from simulator.games.errors import GameError
from simulator.games.normal_form import NormalFormGame, Player

__all__ = ["GameError", "NormalFormGame", "Player"]
