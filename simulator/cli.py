"""The ``simulator`` command line.

Library code never prints; this module is where results meet the terminal.
Exit status: 0 success, 2 bad input (file, arguments), 3 an answer that could not
be certified.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from simulator import __version__

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_UNCERTIFIED = 3

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
        help="solve a game file (.nfg) and print its certified equilibria",
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

    try:
        game = read_game(args.game)
        if isinstance(game, ExtensiveGame):
            from simulator.solvers.solve_extensive import solve_extensive

            equilibria = solve_extensive(game, args.concept, tol=args.tol)
            _print_extensive(game, equilibria, args.format)
            return EXIT_OK
        parameters: dict[str, Any] = {}
        if args.method == "lemke-howson":
            parameters["initial_label"] = args.initial_label
        equilibria = solve(game, method=args.method, tol=args.tol, exact=args.exact, **parameters)
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
        console.print(
            f"method: {equilibria[0].method}; every regret <= {equilibria[0].tolerance:.1e}"
        )


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
        console.print(
            f"method: {equilibria[0].method}; every regret <= {equilibria[0].tolerance:.1e}"
        )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_OK
    if args.command == "solve":
        return _solve_command(args)
    parser.error(f"unknown command {args.command!r}")
    return EXIT_BAD_INPUT
