"""The ``solve`` command: solve a game file and print its certified equilibria.

Part of :mod:`simulator.cli`. :func:`_solve_command` reads a ``.nfg`` or ``.efg`` file,
solves it (under ``--time-limit``, with a spinner on a terminal) and prints every equilibrium
with its certificate, as a table or as JSON.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from simulator.cli.common import EXIT_OK, EXIT_UNCERTIFIED, _fail


def _solve_command(args: argparse.Namespace) -> int:
    from simulator.games.errors import GameError
    from simulator.games.extensive import ExtensiveGame
    from simulator.io.files import read_game
    from simulator.solvers.equilibrium import CertificationError
    from simulator.solvers.solve import solve

    if args.time_limit is not None and not args.time_limit > 0:
        return _fail(f"--time-limit must be a positive number of seconds; got {args.time_limit}")
    try:
        game = read_game(args.game)
        with _solving(args) as tick:
            if isinstance(game, ExtensiveGame):
                from simulator.solvers.solve_extensive import solve_extensive

                found = _within(
                    args.time_limit, tick, solve_extensive, game, args.concept, tol=args.tol
                )
            else:
                parameters: dict[str, Any] = {}
                if args.method == "lemke-howson":
                    parameters["initial_label"] = args.initial_label
                found = _within(
                    args.time_limit,
                    tick,
                    solve,
                    game,
                    method=args.method,
                    tol=args.tol,
                    exact=args.exact,
                    **parameters,
                )
        if isinstance(game, ExtensiveGame):
            _print_extensive(game, found, args.format)
            return EXIT_OK
        equilibria = found
    except _TimeLimit:
        return _fail(
            f"no certified answer within --time-limit {args.time_limit:g} s; try a simpler "
            "concept or method, or a longer limit",
            EXIT_UNCERTIFIED,
        )
    except GameError as exc:
        return _fail(str(exc))
    except CertificationError as exc:
        return _fail(str(exc), EXIT_UNCERTIFIED)
    except OSError as exc:
        return _fail(f"{args.game}: {exc.strerror or exc}")
    if args.format == "json":
        document = {
            "title": game.title,
            "players": [p.name for p in game.players],
            "strategies": [list(p.strategies) for p in game.players],
            "equilibria": [eq.as_dict() for eq in equilibria],
        }
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
        return EXIT_OK
    _print_equilibria_table(game, equilibria)
    return EXIT_OK


class _TimeLimit(Exception):
    """The solve ran past ``--time-limit``."""


def _within(
    seconds: float | None, tick: Callable[[], None], solver: Any, *args: Any, **kwargs: Any
) -> Any:
    """``solver(*args, **kwargs)``, ended after ``seconds`` (``None``: no limit).

    Where the platform can fork, the solve runs in a child process that is stopped at the
    limit, so a long call inside compiled code (Qhull, LAPACK) cannot outlast it; ``tick`` is
    called about ten times a second while the parent waits. Elsewhere a POSIX timer interrupts
    the solve between Python steps. Raises :class:`_TimeLimit` at the limit and re-raises the
    solver's own errors.
    """
    if seconds is None:
        return solver(*args, **kwargs)
    import multiprocessing
    import time

    if "fork" not in multiprocessing.get_all_start_methods():
        with _time_limit(seconds):
            return solver(*args, **kwargs)
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def work() -> None:
        try:
            send.send(("ok", solver(*args, **kwargs)))
        except BaseException as exc:  # the parent re-raises it
            send.send(("error", exc))

    child = context.Process(target=work, daemon=True)
    child.start()
    send.close()
    deadline = time.monotonic() + seconds
    try:
        while not receive.poll(max(0.0, min(0.1, deadline - time.monotonic()))):
            if time.monotonic() >= deadline:
                raise _TimeLimit
            tick()
        status, value = receive.recv()
    except EOFError:  # the child died without an answer (killed, out of memory)
        raise _TimeLimit from None
    finally:
        if child.is_alive():
            child.terminate()
        child.join()
        receive.close()
    if status == "error":
        raise value
    return value


@contextlib.contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`_TimeLimit` in the main thread after ``seconds`` (POSIX timers)."""
    if seconds is None or not hasattr(signal, "setitimer"):
        yield
        return

    def expired(_signum: int, _frame: Any) -> None:
        raise _TimeLimit

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _solving(args: argparse.Namespace) -> Iterator[Callable[[], None]]:
    """A spinner with the elapsed time on stderr while a solve runs (terminals only).

    Yields a function that redraws it. Under ``--time-limit`` the solve runs in a forked child
    and the parent redraws the spinner while it waits, so no drawing thread exists when the
    child is forked (a lock held by such a thread would stay locked in the child).
    """
    if not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    what = args.concept if str(args.game).lower().endswith(".efg") else args.method
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    threaded = args.time_limit is None
    with Progress(
        *columns, console=Console(stderr=True), transient=True, auto_refresh=threaded
    ) as progress:
        progress.add_task(f"solving {args.game} ({what})", total=None)
        yield progress.refresh


def _print_extensive(game: Any, equilibria: Sequence[Any], fmt: str) -> None:
    if fmt == "json":
        document = {
            "title": game.title,
            "players": list(game.players),
            "infosets": {
                name: {
                    game.infosets[h].label: list(game.infosets[h].actions)
                    for h in game.player_infosets(k)
                }
                for k, name in enumerate(game.players)
            },
            "equilibria": [
                {**eq.as_dict(), "payoffs": [float(u) for u in eq.payoffs]} for eq in equilibria
            ],
        }
        sys.stdout.write(json.dumps(document, indent=2, default=_jsonable) + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    count = len(equilibria)
    concept = equilibria[0].concept if equilibria else ""
    table = Table(
        title=f"{game.title or 'game'}: {count} {concept} equilibri{'um' if count == 1 else 'a'}"
    )
    table.add_column("#", justify="right")
    for name in game.players:
        table.add_column(name)
    table.add_column("payoffs")
    table.add_column("regret", justify="right")
    table.add_column("notes")
    for k, eq in enumerate(equilibria, 1):
        cells = [str(k)]
        for name in game.players:
            parts = []
            for label, probs in eq.strategy(name).items():
                used = [f"{a} {p:.3g}" for a, p in probs.items() if p > 1e-12]
                parts.append(f"{label}: {', '.join(used)}")
            cells.append("\n".join(parts))
        cells.append(", ".join(f"{u:.4g}" for u in eq.payoffs))
        cells.append(f"{max(eq.regret, eq.concept_regret):.1e}")
        notes = []
        if "kind" in eq.parameters:
            notes.append(str(eq.parameters["kind"]))
        if eq.parameters.get("intuitive") is not None:
            passes = "passes" if eq.parameters["intuitive"] else "fails"
            notes.append(f"{passes} intuitive criterion")
        cells.append("; ".join(notes))
        table.add_row(*cells)
    console.print(table)
    if equilibria:
        console.print(_certificate_line(equilibria, list(game.players)))


def _certificate_line(equilibria: Sequence[Any], players: Sequence[str]) -> str:
    """The method and the regret bounds: one bound for all players when they agree, else
    each player's own; and how many profiles were also checked in exact arithmetic."""
    first = equilibria[0]
    bounds = first.tolerances or (first.tolerance,) * len(players)
    if len(set(bounds)) == 1:
        text = f"every regret <= {bounds[0]:.1e}"
    else:
        text = "regret bounds: " + ", ".join(
            f"{name} <= {bound:.1e}" for name, bound in zip(players, bounds)
        )
    exact = sum(eq.exact is True for eq in equilibria)
    if exact:
        text += f"; {exact} of {len(equilibria)} certified exactly (rational arithmetic)"
    return f"method: {first.method}; {text}"


def _jsonable(value: Any) -> Any:
    import numpy as np

    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return str(value)


def _print_equilibria_table(game: Any, equilibria: Sequence[Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    title = game.title or "game"
    table = Table(
        title=f"{title}: {len(equilibria)} equilibri{'um' if len(equilibria) == 1 else 'a'}"
    )
    table.add_column("#", justify="right")
    for player in game.players:
        table.add_column(player.name)
    table.add_column("payoffs")
    table.add_column("regret", justify="right")
    show_components = any(eq.component is not None for eq in equilibria)
    if show_components:
        table.add_column("component", justify="right")
    if any(eq.exact is not None for eq in equilibria):
        table.add_column("exact")
    for k, eq in enumerate(equilibria, 1):
        cells = [str(k)]
        for index in range(game.num_players):
            used = [f"{label} {p:.4g}" for label, p in eq.strategy(index).items() if p > 0]
            cells.append(", ".join(used))
        cells.append(", ".join(f"{u:.4g}" for u in eq.payoffs))
        cells.append(f"{eq.regret:.1e}")
        if show_components:
            cells.append("" if eq.component is None else str(eq.component))
        if eq.exact is not None:
            cells.append("yes" if eq.exact else "no")
        table.add_row(*cells)
    console.print(table)
    if equilibria:
        console.print(_certificate_line(equilibria, [p.name for p in game.players]))
