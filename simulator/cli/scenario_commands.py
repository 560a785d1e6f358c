"""The scenario commands: ``run``, ``validate``, ``compare``, ``new`` and ``schema``.

Part of :mod:`simulator.cli`. Each command is a function of the parsed arguments that
returns the exit status; :data:`_SCENARIO_COMMANDS` maps the command names to them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from simulator.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    EXIT_UNCERTIFIED,
    _fail,
    _progress,
    _status,
)
from simulator.cli.result_tables import _console, _num, _print_results


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
