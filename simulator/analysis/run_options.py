"""The options of a run: :data:`FAST`, the progress callback, and the context every runner gets.

Part of :mod:`simulator.analysis.run`. :class:`_Context` carries what
:func:`~simulator.analysis.run.run_scenario` was asked for (fast mode, the progress callback,
the checkpoint store, the executor, the chunk size) to the runner of each analysis.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from dataclasses import dataclass, field

from simulator.analysis.checkpoint import CheckpointStore

__all__ = ["FAST", "ProgressCallback"]

#: How ``fast=True`` shrinks a run so that a test suite can run every scenario in seconds:
#: at most ``runs`` Monte Carlo runs per strategy and ``periods`` periods in ``compare``,
#: at most ``steps`` values per swept parameter, at most ``draws`` Monte Carlo draws, and a
#: coarse grid (``mpe_beliefs`` belief points, ``mpe_capability`` capability points,
#: ``mpe_quadrature`` nodes) for the Markov perfect equilibrium.
FAST: dict[str, int] = {
    "runs": 200,
    "periods": 12,
    "steps": 9,
    "draws": 200,
    "mpe_beliefs": 5,
    "mpe_capability": 9,
    "mpe_quadrature": 3,
}
#: Points solved (and checkpointed) together in sweeps and Monte Carlo analyses, at least:

#: ``progress(label, done, total)``: the current step's label and how far it has got.
ProgressCallback = Callable[[str, int, int], None]


# ====================================================================== options
@dataclass
class _Context:
    fast: bool
    progress: ProgressCallback | None
    store: CheckpointStore | None
    executor: concurrent.futures.Executor | None
    chunk_size: int | None
    label: str = ""
    notes: list[str] = field(default_factory=list)

    def report(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(self.label, done, total)
