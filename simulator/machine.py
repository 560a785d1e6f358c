"""What the machine offers a computation: the CPU cores this process may use.

The lowest floor (beside :mod:`simulator.errors`): solvers, the model and the analyses ask it
how many threads or worker processes to start by default.
"""

from __future__ import annotations

import os

__all__ = ["available_cores"]


def available_cores() -> int:
    """The CPU cores this process may run on (its CPU affinity where the system reports one).

    A container or ``taskset`` may allow fewer cores than the machine has; ``os.cpu_count``
    counts them all.

    Returns
    -------
    int
        At least 1.

    Examples
    --------
    >>> available_cores() >= 1
    True
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not every platform has affinities (macOS, Windows)
        return max(1, os.cpu_count() or 1)
