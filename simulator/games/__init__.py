"""Game data structures: validated, immutable, free of any domain vocabulary."""

from simulator.games.behaviour import BehaviourProfile
from simulator.games.errors import GameError
from simulator.games.extensive import ExtensiveGame
from simulator.games.normal_form import NormalFormGame, Player
from simulator.games.signalling import SignallingGame
from simulator.games.tree import CHANCE, DECISION, TERMINAL, Chance, Decision, InfoSet, Terminal

__all__ = [
    "CHANCE",
    "DECISION",
    "TERMINAL",
    "BehaviourProfile",
    "Chance",
    "Decision",
    "ExtensiveGame",
    "GameError",
    "InfoSet",
    "NormalFormGame",
    "Player",
    "SignallingGame",
    "Terminal",
]
