"""Exceptions raised by the game layer."""

from __future__ import annotations

from simulator.errors import SimulatorError

__all__ = ["GameError"]


class GameError(SimulatorError, ValueError):
    """A game, profile or file is invalid; the message says what to fix."""
