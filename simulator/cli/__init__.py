"""The ``simulator`` command line.

Library code never prints; this module is where results meet the terminal.
Exit status: 0 success, 1 an internal error (rerun with --verbose for the traceback),
2 bad input (file, arguments, an invalid scenario), 3 an answer that could not be
certified, 130 interrupted.

Commands: ``solve`` (a game file), ``run`` (a scenario's analyses, written to a folder),
``validate`` (scenario files), ``compare`` (two scenarios side by side), ``new`` (a starter
scenario file) and ``schema`` (the JSON Schema of scenario files or of results.json).

The command line is a package, one module per reason to change: the parser
(:mod:`~simulator.cli.parser`), the ``solve`` command (:mod:`~simulator.cli.solve_command`),
the scenario commands (:mod:`~simulator.cli.scenario_commands`), the terminal tables of a
scenario's results (:mod:`~simulator.cli.result_tables`) and what the commands share (exit
statuses, errors, progress: :mod:`~simulator.cli.common`). This module holds :func:`main`.
"""

from __future__ import annotations

import argparse
import sys
import traceback
import warnings
from collections.abc import Callable, Sequence
from typing import Any

from simulator.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_UNCERTIFIED,  # noqa: F401 - re-exported, as before the split
    _fail,
)
from simulator.cli.parser import _build_parser
from simulator.cli.scenario_commands import _SCENARIO_COMMANDS
from simulator.cli.solve_command import _solve_command


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_OK
    handler = _solve_command if args.command == "solve" else _SCENARIO_COMMANDS.get(args.command)
    if handler is None:
        parser.error(f"unknown command {args.command!r}")
        return EXIT_BAD_INPUT
    with warnings.catch_warnings():
        warnings.showwarning = _plain_warning  # one line, no source line
        return _guarded(handler, args)


def _plain_warning(message: Any, category: type[Warning], *_args: Any, **_kwargs: Any) -> None:
    """Print a library warning as one plain line a user can read."""
    text = " ".join(str(message).split())
    sys.stderr.write(f"simulator: warning: {text}\n")


def _guarded(handler: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run a command; internal errors become one line (the traceback with --verbose)."""
    try:
        return handler(args)
    except KeyboardInterrupt:
        hint = ""
        if getattr(args, "command", None) == "run":
            hint = "; rerun with --resume to reuse the sweep points already finished"
        sys.stderr.write(f"simulator: interrupted{hint}\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        if getattr(args, "verbose", False):
            traceback.print_exc()
        first = (str(exc).strip().splitlines() or [""])[0]
        if type(exc).__module__.split(".")[0] == "distributed":
            # the cluster, not the input or the library: a worker died or a connection broke
            return _fail(
                f"the Dask cluster failed ({type(exc).__name__}: {first}); rerun with --resume "
                "to reuse the chunks already finished",
                EXIT_INTERNAL,
            )
        message = f"internal error: {type(exc).__name__}: {first}"
        if not getattr(args, "verbose", False):
            message += " (rerun with --verbose for the traceback)"
        return _fail(message, EXIT_INTERNAL)
