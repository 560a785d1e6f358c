"""Shared test fixtures: locations of optional data and small known games."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from threadpoolctl import threadpool_limits

# pytest-xdist runs one test worker per core; BLAS threads on top of them contend for the same
# cores, and small matrix products then run many times slower. One BLAS thread per worker.
threadpool_limits(limits=1, user_api="blas")

PROJECT_ROOT = Path(__file__).resolve().parents[1]
#: Gambit's game collection, copied into the tests with its licence note (tests/data/gambit).
GAMBIT_GAMES = PROJECT_ROOT / "tests" / "data" / "gambit"


@pytest.fixture
def gambit_games() -> Path:
    """Gambit's game collection (``tests/data/gambit``, GPL test data; see its README)."""
    return GAMBIT_GAMES


# ---------------------------------------------------------------------- Hypothesis profiles
# "ci" (the default, so a newcomer's run and CI's agree): derandomised, no example database,
# no deadline (a loaded 2-core machine must not fail a test on time), and every failure prints
# the blob that reproduces it. "explore": many more random examples, for local bug hunting:
#     HYPOTHESIS_PROFILE=explore python -m pytest
settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "explore",
    max_examples=500,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
