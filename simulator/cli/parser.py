"""The parser of the command line: every command, its arguments, help and examples.

Part of :mod:`simulator.cli`. :func:`_build_parser` builds the ``simulator`` parser with the
``solve`` command and, through :func:`_add_scenario_commands`, the scenario commands (``run``,
``validate``, ``compare``, ``new``, ``schema``). ``simulator.cli`` re-exports
:func:`_build_parser` (the documentation's page on the command line prints its help).
"""

from __future__ import annotations

import argparse
from typing import Any

from simulator import __version__

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


# ============================================================================ scenario commands
_RUN_EXAMPLES = """\
examples:
  simulator run scenarios/buy_time_vs_compromise.yaml
  simulator run scenarios/baseline_spring_2022.yaml --out briefing --pdf
  simulator run my_scenario.yaml --fast --quiet
  simulator run my_scenario.yaml --resume      # reuse sweep points of an interrupted run
  simulator run my_scenario.yaml --workers 2   # sweeps and equilibria in two processes
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
        help=(
            "solve sweeps and the buy-time equilibrium's states in N processes (with "
            "--scheduler local: N Dask workers)"
        ),
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
