"""Exceptions raised by the game layer."""

from __future__ import annotations

__all__ = ["GameError"]


class GameError(ValueError):
    """A game, profile or file is invalid; the message says what to fix."""
