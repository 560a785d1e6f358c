"""How the results reach their figures: :mod:`simulator.plots.results`, at call time.

Part of :mod:`simulator.analysis.results`. The ``plot_*`` methods of the comparison, sweep,
Monte Carlo and scenario results all go through :func:`_figures`.
"""

from __future__ import annotations

import importlib
from typing import Any


def _figures() -> Any:
    """:mod:`simulator.plots.results`, the figures of these results.

    The plots sit on a floor above this one (``docs/architecture.md``): the convenience
    methods reach them at call time, never by an import, so loading results never loads
    matplotlib and the floors stay one-way (checked by import-linter in CI).
    """
    return importlib.import_module("simulator.plots.results")
