"""Shared test fixtures: locations of optional data and small known games."""

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_GAMES = PROJECT_ROOT.parent / "shared" / "games" / "gambit"


@pytest.fixture
def gambit_games() -> Path:
    """Gambit's game collection beside the project; tests using it skip when it is absent."""
    if not SHARED_GAMES.is_dir():
        pytest.skip("../shared/games/gambit is not present (only in the development workspace)")
    return SHARED_GAMES
