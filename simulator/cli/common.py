"""What every command of the command line shares: exit statuses, errors and progress displays.

Part of :mod:`simulator.cli`. The exit statuses (:data:`EXIT_OK` ... :data:`EXIT_INTERRUPTED`),
:func:`_fail` (one line on stderr and a status), and the progress bar and spinner shown on
stderr while a scenario runs or its files are written (terminals only).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_BAD_INPUT = 2
EXIT_UNCERTIFIED = 3
EXIT_INTERRUPTED = 130


def _fail(message: str, status: int = EXIT_BAD_INPUT) -> int:
    sys.stderr.write(f"simulator: error: {message}\n")
    return status


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[str, int, int], None] | None]:
    """A rich progress display on stderr, or nothing (quiet, or stderr not a terminal)."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    tasks: dict[str, Any] = {}
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:

        def update(label: str, done: int, total: int) -> None:
            if label not in tasks:
                for other in tasks.values():
                    bar.update(other, completed=bar.tasks[other].total)
                tasks[label] = bar.add_task(label, total=max(total, 1))
            bar.update(tasks[label], completed=done, total=max(total, 1))

        yield update


@contextmanager
def _status(enabled: bool, text: str) -> Iterator[None]:
    """A spinner on stderr while ``text`` is being done (only on a terminal)."""
    if not enabled or not sys.stderr.isatty():
        yield
        return
    from rich.console import Console

    with Console(stderr=True).status(text):
        yield
