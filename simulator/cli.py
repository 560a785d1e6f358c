"""The ``simulator`` command line.

Library code never prints; this module is where results meet the terminal.
Exit status: 0 success, 1 an internal error (rerun with --verbose for the traceback),
2 bad input (file, arguments, an invalid scenario), 3 an answer that could not be
certified, 130 interrupted.

Commands: ``solve`` (a game file), ``run`` (a scenario's analyses, written to a folder),
``validate`` (scenario files), ``compare`` (two scenarios side by side), ``new`` (a starter
scenario file) and ``schema`` (the JSON Schema of scenario files or of results.json).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import traceback
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from simulator import __version__

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_BAD_INPUT = 2
EXIT_UNCERTIFIED = 3
EXIT_INTERRUPTED = 130

_SOLVE_EXAMPLES = """\
examples:
  simulator solve scenarios/games/battle_of_the_sexes.nfg
  simulator solve scenarios/games/degenerate_2x2.nfg --format json
  simulator solve game.nfg --method lemke-howson --initial-label 2
  simulator solve game.nfg --method logit
  simulator solve scenarios/games/entry_deterrence.efg --concept spe
  simulator solve scenarios/games/beer_quiche.efg --concept pbe --format json
"""


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="simulator",
        description="Strategic negotiation modelled with game theory: certified equilibria.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Run 'simulator COMMAND --help' for a command's options and examples.",
    )
    parser.add_argument("--version", action="version", version=f"simulator {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    from simulator.solvers.solve import METHODS
    from simulator.solvers.solve_extensive import EXTENSIVE_CONCEPTS

    solve = commands.add_parser(
        "solve",
        help="solve a game file (.nfg or .efg) and print its certified equilibria",
        description="Solve a Gambit game file and print every equilibrium with its certificate "
        "(regret: the largest gain any player gets by deviating).\n\nmethods:\n"
        + "\n".join(f"  {name:<13} {text}" for name, text in METHODS.items())
        + "\n\nconcepts for extensive-form games (.efg):\n"
        + "\n".join(f"  {name:<13} {text}" for name, text in EXTENSIVE_CONCEPTS.items()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=_SOLVE_EXAMPLES,
    )
    solve.add_argument("game", help="path to a .nfg or .efg file")
    solve.add_argument(
        "--method", default="auto", choices=sorted(METHODS), help="solver (default auto)"
    )
    solve.add_argument(
        "--concept",
        default="spe",
        choices=sorted(EXTENSIVE_CONCEPTS),
        help="solution concept for .efg games (default spe)",
    )
    solve.add_argument("--format", default="table", choices=["table", "json"], help="output format")
    solve.add_argument(
        "--exact", action="store_true", help="also certify in exact rational arithmetic"
    )
    solve.add_argument("--tol", type=float, default=None, help="largest regret accepted")
    solve.add_argument(
        "--initial-label", type=int, default=0, help="Lemke-Howson starting label (default 0)"
    )
    solve.add_argument(
        "--time-limit",
        type=float,
        default=None,
        metavar="SECONDS",
        help="give up after this many seconds (exit 3: nothing certified in time)",
    )
    _add_scenario_commands(commands)
    return parser


def _fail(message: str, status: int = EXIT_BAD_INPUT) -> int:
    sys.stderr.write(f"simulator: error: {message}\n")
    return status


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
        with _time_limit(args.time_limit), _solving(args):
            if isinstance(game, ExtensiveGame):
                from simulator.solvers.solve_extensive import solve_extensive

                found = solve_extensive(game, args.concept, tol=args.tol)
            else:
                parameters: dict[str, Any] = {}
                if args.method == "lemke-howson":
                    parameters["initial_label"] = args.initial_label
                found = solve(
                    game, method=args.method, tol=args.tol, exact=args.exact, **parameters
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
def _solving(args: argparse.Namespace) -> Iterator[None]:
    """A spinner with the elapsed time on stderr while a solve runs (terminals only)."""
    if not sys.stderr.isatty():
        yield
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    what = args.concept if str(args.game).lower().endswith(".efg") else args.method
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        progress.add_task(f"solving {args.game} ({what})", total=None)
        yield


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


# ============================================================================ scenario commands
_RUN_EXAMPLES = """\
examples:
  simulator run scenarios/buy_time_vs_compromise.yaml
  simulator run scenarios/baseline_spring_2022.yaml --out briefing --pdf
  simulator run my_scenario.yaml --fast --quiet
  simulator run my_scenario.yaml --resume      # reuse sweep points of an interrupted run
  simulator run my_scenario.yaml --workers 2   # solve sweep chunks in two processes
  simulator run my_scenario.yaml --workers 4 --scheduler local   # a local Dask cluster
  simulator run my_scenario.yaml --scheduler tcp://10.0.0.5:8786  # an existing Dask cluster

--scheduler needs the optional Dask extra: pip install "simulator[dask]". Results are the
same, bit for bit, whichever way the chunks are solved; --resume works with any of them.
"""
_VALIDATE_EXAMPLES = """\
examples:
  simulator validate scenarios/baseline_spring_2022.yaml
  simulator validate scenarios/*.yaml
"""
_COMPARE_EXAMPLES = """\
examples:
  simulator compare scenarios/cohesive_vs_fractured_west.yaml scenarios/baseline_spring_2022.yaml
  simulator compare a.yaml b.yaml --out comparison --fast
"""
_NEW_EXAMPLES = """\
examples:
  simulator new spring_2022            # writes spring_2022.yaml
  simulator new scenarios/my_case --force
"""
_SCHEMA_EXAMPLES = """\
examples:
  simulator schema > scenario.schema.json     # for editor completion of scenario files
  simulator schema --results                  # the schema of results.json
"""


def _add_scenario_commands(commands: Any) -> None:
    def command(name: str, help_text: str, description: str, examples: str) -> Any:
        return commands.add_parser(
            name,
            help=help_text,
            description=description,
            formatter_class=argparse.RawDescriptionHelpFormatter,
            epilog=examples,
        )

    def chatter(sub: Any) -> None:
        group = sub.add_mutually_exclusive_group()
        group.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
        group.add_argument(
            "-v", "--verbose", action="store_true", help="more detail; tracebacks on errors"
        )

    run = command(
        "run",
        "run a scenario's analyses and write results, figures and a briefing",
        "Run every analysis of a scenario file (solve the offer game, compare strategies, "
        "sweeps, Monte Carlo), print the key numbers, and write results.json, CSV tables, "
        "figures, briefing.md and briefing.html to a folder (default out/<scenario file stem>).",
        _RUN_EXAMPLES,
    )
    run.add_argument("scenario", help="a scenario file (.yaml)")
    run.add_argument("--out", metavar="DIR", help="output folder (default out/<file stem>)")
    run.add_argument(
        "--fast", action="store_true", help="shrink runs, periods and grids for a quick look"
    )
    run.add_argument(
        "--resume",
        action="store_true",
        help="reuse sweep points finished by an interrupted run (saved in DIR/.checkpoint)",
    )
    run.add_argument("--pdf", action="store_true", help="also write figures as PDF")
    run.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="solve sweeps in N processes (with --scheduler local: N Dask workers)",
    )
    run.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        default=None,
        help="solve sweeps on a Dask cluster: 'local' starts one on this machine, an address "
        'such as tcp://host:8786 uses a running one (needs: pip install "simulator[dask]")',
    )
    chatter(run)

    validate = command(
        "validate",
        "check scenario files and list every problem",
        "Check scenario files; print one line per problem (file:line: field: message) or "
        "'ok'. Exit status 2 when any file is invalid.",
        _VALIDATE_EXAMPLES,
    )
    validate.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="scenario files")
    validate.add_argument(
        "-v", "--verbose", action="store_true", help="tracebacks on internal errors"
    )

    compare = command(
        "compare",
        "run two scenarios and show their key numbers side by side",
        "Run the analyses of two scenario files and print their key numbers side by side. "
        "With --out, also write each scenario's results to DIR/<file stem> and the table to "
        "DIR/comparison.csv.",
        _COMPARE_EXAMPLES,
    )
    compare.add_argument("first", metavar="A", help="a scenario file")
    compare.add_argument("second", metavar="B", help="another scenario file")
    compare.add_argument("--out", metavar="DIR", help="write both results and the table here")
    compare.add_argument("--fast", action="store_true", help="shrink runs and grids")
    compare.add_argument("--pdf", action="store_true", help="also write figures as PDF")
    chatter(compare)

    new = command(
        "new",
        "write a commented starter scenario file",
        "Write NAME.yaml: a valid scenario with every parameter written out with its "
        "default, unit and range, ready to edit.",
        _NEW_EXAMPLES,
    )
    new.add_argument("name", help="file name (.yaml is added when missing)")
    new.add_argument("--force", action="store_true", help="overwrite an existing file")
    new.add_argument("-v", "--verbose", action="store_true", help="tracebacks on errors")

    schema = command(
        "schema",
        "print the JSON Schema of scenario files",
        "Print the JSON Schema of scenario files (for editor completion and validation), "
        "or with --results the schema of results.json.",
        _SCHEMA_EXAMPLES,
    )
    schema.add_argument(
        "--results", action="store_true", help="print the schema of results.json instead"
    )
    schema.add_argument("-v", "--verbose", action="store_true", help="tracebacks on errors")


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
        message = f"internal error: {type(exc).__name__}: {first}"
        if not getattr(args, "verbose", False):
            message += " (rerun with --verbose for the traceback)"
        return _fail(message, EXIT_INTERNAL)


def _load(paths: Sequence[str]) -> list[Any] | None:
    """Load scenario files; print every problem of every file and return None if any."""
    from simulator.scenario import ScenarioError, load_scenario

    scenarios, bad = [], False
    for path in paths:
        try:
            scenarios.append(load_scenario(path))
        except ScenarioError as exc:
            bad = True
            for problem in exc.problems:
                sys.stderr.write(f"{problem}\n")
    return None if bad else scenarios


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


def _run_scenario(scenario: Any, args: argparse.Namespace, out: Path | None, progress: Any) -> Any:
    """Run the analyses, checkpointing sweeps in ``out/.checkpoint`` when writing to ``out``."""
    from simulator.analysis import run_scenario
    from simulator.analysis.checkpoint import CheckpointStore

    checkpoint = out / ".checkpoint" if out is not None else None
    store = CheckpointStore(checkpoint) if checkpoint is not None else None
    if store is not None and not args.resume:
        store.clear()
    return run_scenario(
        scenario,
        fast=args.fast,
        progress=progress,
        workers=getattr(args, "workers", None),
        checkpoint=checkpoint,
        resume=getattr(args, "resume", False),
        scheduler=getattr(args, "scheduler", None),
    )


def _remove_if_empty(folder: Path, existed: bool) -> None:
    from simulator.analysis.checkpoint import CheckpointStore

    CheckpointStore(folder / ".checkpoint").clear()
    if not existed:
        try:
            folder.rmdir()
        except OSError:
            pass


def _run_command(args: argparse.Namespace) -> int:
    from simulator.analysis import AnalysisError
    from simulator.analysis.checkpoint import CheckpointStore
    from simulator.analysis.cluster import LOCAL, ClusterError, MissingExtraError
    from simulator.report import write_results

    if args.workers is not None and args.workers < 1:
        return _fail(f"--workers must be at least 1; got {args.workers}")
    if args.scheduler is not None:
        args.scheduler = args.scheduler.strip()
        if not args.scheduler:
            return _fail("--scheduler needs 'local' or the address of a Dask scheduler")
        if args.scheduler != LOCAL and args.workers is not None:
            return _fail(
                "--workers N starts N local workers; a cluster at --scheduler "
                f"{args.scheduler} uses its own: drop --workers"
            )
    loaded = _load([args.scenario])
    if loaded is None:
        return EXIT_BAD_INPUT
    scenario = loaded[0]
    out = Path(args.out) if args.out else Path("out") / Path(args.scenario).stem
    if out.exists() and not out.is_dir():
        return _fail(f"--out {out}: exists and is not a folder")
    existed = out.exists()
    try:
        with _progress(not args.quiet) as progress:
            results = _run_scenario(scenario, args, out, progress)
        with _status(not args.quiet, f"writing results, figures and the briefing to {out}"):
            written = write_results(results, out, pdf=args.pdf)
    except AnalysisError as exc:
        _remove_if_empty(out, existed)
        return _fail(f"{args.scenario}: {exc}")
    except (ClusterError, MissingExtraError) as exc:  # checkpoints kept for --resume
        if not existed:
            with contextlib.suppress(OSError):
                out.rmdir()
        return _fail(" ".join(str(exc).split()))
    except OSError as exc:
        return _fail(f"cannot write {out}: {exc.strerror or exc}")
    CheckpointStore(out / ".checkpoint").clear()
    if not args.quiet:
        _print_results(results, args.verbose)
        figures = sum(1 for p in written if p.suffix in (".png", ".svg", ".pdf"))
        tables = sum(1 for p in written if p.suffix == ".csv")
        datasets = sum(1 for p in written if p.suffix == ".nc")
        netcdf = f", {datasets} NetCDF files" if datasets else ""
        _console().print(
            f"wrote {out}{os.sep}: results.json, briefing.md, briefing.html, {tables} tables"
            f"{netcdf}, {figures} figure files"
        )
    if not results.certified:
        sys.stderr.write(
            "simulator: warning: some equilibria are not certified (regret above tolerance); "
            "see results.json\n"
        )
        return EXIT_UNCERTIFIED
    return EXIT_OK


def _console() -> Any:
    from rich.console import Console

    return Console(highlight=False)


def _num(value: Any, digits: int = 3) -> str:
    import math

    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return f"{value:.{digits}g}"
    return str(value)


def _words(name: str) -> str:
    """A strategy's code name in words (``talk_while_fighting`` -> ``talk while fighting``)."""
    return name.replace("_", " ")


def _print_results(results: Any, verbose: bool) -> None:
    from rich.table import Table

    from simulator.analysis.labels import plain_label

    console = _console()
    head = f"[bold]{results.title}[/bold]  (seed {results.seed}"
    head += ", fast mode)" if results.fast else ")"
    console.print(head)
    for note in results.notes:
        if note.startswith("fast mode"):  # say which numbers fast mode changed
            console.print(f"[yellow]{note}[/yellow]")
    if results.solutions:
        table = Table(
            title="Offer game: selected perfect Bayesian equilibrium",
            caption="settled: a deal is signed and kept; broken: signed, then broken; war: no "
            "deal (probabilities); regret: the largest gain from deviating",
        )
        table.add_column("")
        for s in results.solutions:
            table.add_column(plain_label(s.offer))
        behaviour = [s.behaviour() for s in results.solutions]
        rows: list[tuple[str, list[str]]] = [("equilibrium", [s.regime for s in results.solutions])]
        rows += [(actor, [b.get(actor, "") for b in behaviour]) for actor in behaviour[0]]
        rows += [
            ("settled", [_num(s.settlement_probability) for s in results.solutions]),
            ("broken", [_num(s.renewed_war_probability) for s in results.solutions]),
            ("war", [_num(s.war_probability) for s in results.solutions]),
            ("regret", [f"{s.certificate.regret:.1e}" for s in results.solutions]),
        ]
        for label, cells in rows:
            table.add_row(label, *cells)
        console.print(table)
    for c in results.comparisons:
        _print_comparison(console, c)
    for k, s in enumerate(results.sweeps, 1):
        axes = " x ".join(f"{a.parameter} ({len(a.values)})" for a in s.axes)
        if s.is_bargaining:
            share = float(s.columns["nonempty"].astype(bool).mean())
            text = f"a settlement both sides prefer to war at {share:.0%} of the points"
        else:
            text = "; ".join(f"{r} {p:.0%}" for r, p in s.regimes().items())
        console.print(f"sweep {k}: {axes}: {text}")
    for k, mc in enumerate(results.monte_carlo, 1):
        text = "; ".join(f"{r} {p:.0%}" for r, p in mc.regimes().items())
        console.print(f"Monte Carlo {k} ({mc.runs} draws): {text}")
    if verbose:
        for note in results.notes:
            console.print(f"note: {note}")
        for a in results.analyses:
            for note in getattr(a, "notes", ()):
                console.print(f"note: {note}")


def _print_comparison(console: Any, c: Any) -> None:
    from rich.table import Table

    eq = c.equilibrium
    if eq is not None:
        _print_equilibrium(console, eq)
    table = Table(
        title=f"What-if rules (fixed strategies, not equilibria): offer {c.offer}, "
        f"{c.periods} periods, {c.runs} runs",
        caption="Payoffs: expected discounted sums over the periods (the offer game's are "
        "shares of the stake); settled, broken, war: shares of runs",
    )
    table.add_column("")
    for s in c.strategies:
        table.add_column(s.name, justify="right")

    def russia(p: dict[str, str]) -> str:
        if p["sincere_russia"] == p["russia"]:
            return _words(p["russia"])
        return f"sincere {_words(p['sincere_russia'])},\nstaller {_words(p['russia'])}"

    def when(s: Any) -> str:
        return (
            "-" if s.settlement_probability == 0 else f"period {_num(s.mean_settlement_period, 2)}"
        )

    def cohesion(s: Any) -> str:
        low, high = s.final_cohesion_bands[0], s.final_cohesion_bands[-1]
        return f"{_num(s.final_cohesion)} ({_num(low, 2)}-{_num(high, 2)})"

    rows: list[tuple[str, Callable[[Any], str]]] = [
        ("Russia", lambda s: russia(s.profile)),
        ("West", lambda s: _words(s.profile["west"])),
        ("Ukraine", lambda s: _words(s.profile["ukraine"])),
        ("payoff Russia", lambda s: _num(s.expected_payoffs["russia"]["all"])),
        ("payoff Ukraine", lambda s: _num(s.expected_payoffs["ukraine"]["all"])),
        ("payoff West", lambda s: _num(s.expected_payoffs["west"]["all"])),
        ("settled", lambda s: _num(s.settled)),
        ("broken", lambda s: _num(s.broken)),
        ("war", lambda s: _num(s.war)),
        ("signed, on average, in", when),
        ("final Western cohesion (5-95%)", cohesion),
        ("final Russian capability", lambda s: _num(s.final_capability)),
    ]
    for label, cell in rows:
        table.add_row(label, *[cell(s) for s in c.strategies])
    console.print(table)


def _print_equilibrium(console: Any, eq: Any) -> None:
    """The buy-time game's equilibrium: values by plan and outcomes by Russian type."""
    from rich.table import Table

    table = Table(
        title=f"Buy-time equilibrium: offer {eq.offer}, {eq.periods} periods, {eq.runs} runs "
        "per type",
        caption="Russia's value of equilibrium play, genuine compromise and buying time; "
        "outcome shares of equilibrium play",
    )
    table.add_column("Russia", no_wrap=True)
    for head in ("prior", "equil.", "compr.", "buy time", "settled", "broken", "war"):
        table.add_column(head, justify="right", no_wrap=True)
    outcomes = eq.outcomes()
    for t in eq.values["equilibrium"]:
        table.add_row(
            t,
            _num(eq.prior[t], 2),
            *[_num(eq.values[plan][t]) for plan in ("equilibrium", "compromise", "buy_time")],
            *[_num(outcomes[t][k]) for k in ("settled", "broken", "war")],
        )
    console.print(table)
    cert, path = eq.certificate, eq.path_certificate
    states = eq.states
    console.print(
        f"Does buying time pay? {eq.verdict()} Certificate {cert.regret:.1e} (tolerance "
        f"{cert.tolerance:.1e}): "
        f"{'certified' if cert.certified else 'NOT certified'}"
        + (
            ""
            if cert.certified
            else f" ({states['unresolved']} of {states['total']} states have no exact "
            f"equilibrium; at the states equilibrium play passes the largest gain is "
            f"{path.regret:.1e})"
        )
        + "."
    )


def _validate_command(args: argparse.Namespace) -> int:
    from simulator.scenario import validate_scenario

    status = EXIT_OK
    for path in args.scenarios:
        problems = validate_scenario(path)
        for problem in problems:
            sys.stdout.write(f"{problem}\n")
        if problems:
            status = EXIT_BAD_INPUT
        else:
            sys.stdout.write(f"{path}: ok\n")
    return status


def _compare_command(args: argparse.Namespace) -> int:
    from rich.table import Table

    from simulator.analysis import AnalysisError
    from simulator.analysis.key_numbers import LEGEND, key_label
    from simulator.report import write_results
    from simulator.report.writer import atomic_write_text, csv_text

    loaded = _load([args.first, args.second])
    if loaded is None:
        return EXIT_BAD_INPUT
    out = Path(args.out) if args.out else None
    if out is not None and out.exists() and not out.is_dir():
        return _fail(f"--out {out}: exists and is not a folder")
    stems = [Path(args.first).stem, Path(args.second).stem]
    if stems[0] == stems[1]:
        stems = [f"{stems[0]}_a", f"{stems[1]}_b"]
    args.resume = False
    results = []
    try:
        with _progress(not args.quiet) as progress:
            for scenario in loaded:
                results.append(_run_scenario(scenario, args, None, progress))
    except AnalysisError as exc:
        return _fail(str(exc))
    a, b = (r.key_numbers() for r in results)
    keys = list(a) + [k for k in b if k not in a]
    rows = [{"quantity": k, stems[0]: a.get(k), stems[1]: b.get(k)} for k in keys]
    if out is not None:
        try:
            with _status(not args.quiet, f"writing results to {out}"):
                for r, stem in zip(results, stems):
                    write_results(r, out / stem, pdf=args.pdf)
            atomic_write_text(out / "comparison.csv", csv_text(rows))
        except OSError as exc:
            return _fail(f"cannot write {out}: {exc.strerror or exc}")
    if not args.quiet:
        console = _console()
        table = Table(
            title=f"A: {results[0].title} ({stems[0]})\nB: {results[1].title} ({stems[1]})",
            caption=f"{LEGEND} A quantity one scenario lacks shows '-'.",
        )
        table.add_column("quantity")
        table.add_column("A", justify="right")
        table.add_column("B", justify="right")
        table.add_column("B - A", justify="right")
        group = None
        for row in rows:
            x, y = row[stems[0]], row[stems[1]]
            numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (x, y))
            missing = row["quantity"] not in a or row["quantity"] not in b
            diff = _num(y - x) if numeric else ("" if x == y or missing else "differs")
            heading, words = key_label(row["quantity"])
            if heading != group:
                if group is not None:
                    table.add_section()
                table.add_row(f"[bold]{heading}[/bold]", "", "", "")
                group = heading
            table.add_row(f"  {words}", _num(x), _num(y), diff)
        console.print(table)
        if out is not None:
            console.print(f"wrote {out}{os.sep}: {stems[0]}, {stems[1]}, comparison.csv")
    if not all(r.certified for r in results):
        sys.stderr.write("simulator: warning: some equilibria are not certified\n")
        return EXIT_UNCERTIFIED
    return EXIT_OK


def _new_command(args: argparse.Namespace) -> int:
    from simulator.report.writer import atomic_write_text
    from simulator.scenario import starter_scenario

    path = Path(args.name)
    if path.suffix.lower() not in (".yaml", ".yml"):
        path = path.with_name(path.name + ".yaml")
    if not path.stem:
        return _fail(f"{args.name!r} is not a file name")
    if path.exists() and not args.force:
        return _fail(f"{path} exists; use --force to overwrite it")
    if not path.parent.is_dir():
        return _fail(f"{path.parent} is not a folder")
    baseline = Path("scenarios") / "baseline_spring_2022.yaml"  # the bundled one, if here
    extends = None
    if baseline.is_file():
        extends = Path(os.path.relpath(baseline.resolve(), path.parent.resolve())).as_posix()
    try:
        atomic_write_text(path, starter_scenario(path.stem, extends))
    except OSError as exc:
        return _fail(f"cannot write {path}: {exc.strerror or exc}")
    sys.stdout.write(f"wrote {path}; edit it, then: simulator validate {path}\n")
    return EXIT_OK


def _schema_command(args: argparse.Namespace) -> int:
    if args.results:
        from simulator.report import RESULTS_JSON_SCHEMA

        schema = RESULTS_JSON_SCHEMA
    else:
        from simulator.scenario import scenario_json_schema

        schema = scenario_json_schema()
    sys.stdout.write(json.dumps(schema, indent=2) + "\n")
    return EXIT_OK


_SCENARIO_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "run": _run_command,
    "validate": _validate_command,
    "compare": _compare_command,
    "new": _new_command,
    "schema": _schema_command,
}
