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


# ---------------------------------------------------------------------- scheduling
#: The modules that take longest (CPU seconds on a quiet 2-core machine, December 2026:
#: ``python -m pytest --durations=0``), slowest first. The workers take whole modules in
#: collection order (``--dist loadscope --no-loadscope-reorder`` in pyproject.toml), so
#: starting with these and ending with the many short ones lets both finish together.
SLOWEST_MODULES = (
    "tests/test_scenario_library.py",
    "tests/test_buy_time.py",
    "tests/test_cli_run.py",
    "tests/test_buy_time_mixed_stages.py",
    "tests/test_cli.py",
    "tests/test_report.py",
    "tests/test_analysis.py",
    "tests/test_plots.py",
    "tests/test_figure_quality.py",
    "tests/test_markov.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the slowest modules first (:data:`SLOWEST_MODULES`); the rest keep their order."""
    missing = [name for name in SLOWEST_MODULES if not (PROJECT_ROOT / name).is_file()]
    if missing:  # a module renamed or removed: keep the list true
        raise pytest.UsageError(f"tests/conftest.py SLOWEST_MODULES names no file: {missing}")
    rank = {name: k for k, name in enumerate(SLOWEST_MODULES)}

    def key(item: pytest.Item) -> int:
        return rank.get(item.nodeid.split("::", 1)[0], len(rank))

    items.sort(key=key)  # stable: tests keep their order within a module
