"""Writing a scenario's results to a folder: CSV tables, figures, briefing, ``results.json``.

Sweeps and Monte Carlo analyses are also written as NetCDF files (``sweep_<k>.nc``,
``monte_carlo_<k>.nc``, from their ``to_xarray()``) when xarray is installed; they are listed
with the tables in ``results.json``.

Every file is written atomically (a temporary file in the same folder, then
:func:`os.replace`), and ``results.json`` goes last: an old ``results.json`` is removed
before anything else is written, so a folder holding a ``results.json`` is always a complete
set, and an interrupted run leaves a folder without one. Files an earlier run listed that this
run does not write again are removed at the end, so the folder never mixes two runs.
"""

from __future__ import annotations

import csv
import io
import json
import os
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from simulator.analysis.records import FilesRecord, ResultsDocument, dump_record
from simulator.analysis.results import ScenarioResults
from simulator.atomic import atomic_open, atomic_write_text, folder_lock, sweep_temporary_files
from simulator.report.briefing import briefing_html, briefing_markdown
from simulator.report.canonical import dumps, format_value
from simulator.report.schema import SCHEMA_VERSION, validate_results, validation_problems

__all__ = [
    "BRIEFING_FILE",
    "BRIEFING_HTML_FILE",
    "RESULTS_FILE",
    "atomic_write_text",
    "csv_text",
    "results_document",
    "write_results",
]

RESULTS_FILE = "results.json"
BRIEFING_FILE = "briefing.md"
BRIEFING_HTML_FILE = "briefing.html"


def csv_text(rows: list[Mapping[str, Any]]) -> str:
    """CSV text of ``rows`` (columns in order of first appearance, canonical values).

    Parameters
    ----------
    rows : list of mapping of str to Any
        The table's rows; a row without a column's key leaves its cell empty.

    Returns
    -------
    str
        A header line of the columns, then one line per row, each cell
        :func:`~simulator.report.canonical.format_value` of its value (Unix line ends).

    Examples
    --------
    >>> print(csv_text([{"a": 0.1 + 0.2, "b": None}, {"a": True, "c": "x"}]), end="")
    a,b,c
    0.3,,
    true,,x
    """
    columns: list[str] = []
    for row in rows:
        columns += [k for k in row if k not in columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([format_value(row.get(c)) for c in columns])
    return buffer.getvalue()


def _timestamp(generated_at: str | None) -> str:
    """UTC now (or ``SOURCE_DATE_EPOCH``, for reproducible builds) as ``YYYY-MM-DDTHH:MM:SSZ``."""
    if generated_at is not None:
        return generated_at
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    seconds = int(epoch) if epoch and epoch.isdigit() else int(time.time())
    return datetime.fromtimestamp(seconds, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# ====================================================================== NetCDF
def _write_datasets(results: ScenarioResults, folder: Path) -> list[Path]:
    """``sweep_<k>.nc`` and ``monte_carlo_<k>.nc`` beside the CSV tables (xarray optional).

    Written with xarray's ``scipy`` engine (NetCDF 3, no C library needed); strings such as
    ``regime`` are stored as UTF-8 characters and read back as text by ``xr.open_dataset``.
    """
    try:
        import xarray  # noqa: F401 - optional: without it the CSV tables alone are written
    except ImportError:
        return []
    items = [(f"sweep_{k}", s) for k, s in enumerate(results.sweeps, 1)]
    items += [(f"monte_carlo_{k}", m) for k, m in enumerate(results.monte_carlo, 1)]
    written = []
    for name, item in items:
        data = bytes(item.to_xarray().to_netcdf(engine="scipy"))
        path = folder / f"{name}.nc"
        with atomic_open(path, "wb") as handle:
            handle.write(data)
        written.append(path)
    return written


# ====================================================================== figures
def _figure_plan(results: ScenarioResults) -> tuple[list[tuple[str, int, Callable]], list[str]]:
    """(file stem, analysis index, builder) for each figure to draw, and notes on skipped ones
    (:func:`simulator.plots.results.figure_plan`)."""
    from simulator.plots.results import figure_plan

    return figure_plan(results)


def _write_figures(
    results: ScenarioResults, folder: Path, formats: Iterable[str]
) -> tuple[list[dict[str, Any]], list[str]]:
    from simulator.plots import save_figure

    plan, notes = _figure_plan(results)
    written = []
    for stem, index, build in plan:
        fig = build()
        paths = save_figure(fig, folder / stem, formats)
        written.append({"name": stem, "analysis": index, "files": [p.name for p in paths]})
    return written, notes


# ====================================================================== the document
def results_document(
    results: ScenarioResults,
    files: Mapping[str, Any] | None = None,
    generated_at: str | None = None,
    notes: Iterable[str] = (),
) -> dict[str, Any]:
    """The content of ``results.json``: :meth:`ScenarioResults.as_dict` plus the header.

    Adds ``schema_version``, ``generated_at`` (``YYYY-MM-DDTHH:MM:SSZ``, UTC) and ``files``
    (the tables, figures and briefings written beside it).

    Parameters
    ----------
    results : ScenarioResults
        The scenario's results.
    files : mapping, optional
        Entries of ``files`` that replace the defaults: ``tables`` (a list of ``{"name",
        "file", "rows"}``) and ``figures`` (a list of ``{"name", "analysis", "files"}``),
        both empty by default.
    generated_at : str, optional
        The ``generated_at`` stamp (default: now, or ``SOURCE_DATE_EPOCH`` when set).
    notes : iterable of str, optional
        Notes added after the results' own (e.g. on figures that were skipped).

    Returns
    -------
    dict of str to Any
        The document, not yet canonical (:func:`~simulator.report.canonical.dumps` writes it):
        the data of a :class:`~simulator.analysis.records.ResultsDocument`.

    Raises
    ------
    RuntimeError
        If the results do not fit their records (a bug in this library, not in the scenario).

    Examples
    --------
    >>> from simulator.scenario import parse_scenario
    >>> from simulator.analysis import run_scenario
    >>> s = parse_scenario("title: t\\noffers: {deal: {alignment: 0.3}}\\n"
    ...                    "analyses: [{solve: offer_game}]")
    >>> doc = results_document(run_scenario(s), generated_at="2022-03-29T12:00:00Z")
    >>> doc["schema_version"], doc["generated_at"], doc["files"]["results"]
    (1, '2022-03-29T12:00:00Z', 'results.json')
    """
    try:
        body = results.record()
        fields = {name: getattr(body, name) for name in type(body).model_fields}
        fields["notes"] = [*body.notes, *notes]
        document = ResultsDocument(
            schema_version=SCHEMA_VERSION,
            generated_at=_timestamp(generated_at),
            files=FilesRecord(
                **{
                    "results": RESULTS_FILE,
                    "briefing": BRIEFING_FILE,
                    "briefing_html": BRIEFING_HTML_FILE,
                    "tables": [],
                    "figures": [],
                    **dict(files or {}),
                }
            ),
            **fields,
        )
    except ValidationError as error:  # a bug in this library, not in the scenario
        problems = "; ".join(validation_problems(error)[:5])
        raise RuntimeError(f"results.json does not match its schema: {problems}") from error
    return dump_record(document)


def _previous_files(target: Path) -> set[str]:
    """Files the earlier ``results.json`` in the folder listed (plain names only)."""
    try:
        document = json.loads(target.read_text(encoding="utf-8"))
        files = document["files"]
        names = [files["briefing"], files.get("briefing_html")]
        names += [t["file"] for t in files["tables"]]
        names += [f for figure in files["figures"] for f in figure["files"]]
    except (OSError, ValueError, KeyError, TypeError):
        return set()
    return {n for n in names if isinstance(n, str) and n and Path(n).name == n}


def write_results(
    results: ScenarioResults,
    out_dir: str | os.PathLike[str],
    *,
    pdf: bool = False,
    formats: Iterable[str] | None = None,
    generated_at: str | None = None,
) -> list[Path]:
    """Write ``results`` to ``out_dir`` and return the paths written (``results.json`` last).

    Writes one CSV file per table of :meth:`ScenarioResults.tables` (and, when xarray is
    installed, each sweep and Monte Carlo table as NetCDF too), the scenario's figures
    (in its ``figure_formats``, plus PDF with ``pdf=True``, or in ``formats``), ``briefing.md``,
    ``briefing.html`` (the same briefing as one self-contained page) and finally
    ``results.json`` (see ``docs/results-schema.md``), each atomically.

    Parameters
    ----------
    results : ScenarioResults
    out_dir : path
        Created if missing.
    pdf : bool
        Also write each figure as PDF.
    formats : iterable of str, optional
        Figure formats to use instead of the scenario's.
    generated_at : str, optional
        The ``generated_at`` stamp (default: now, or ``SOURCE_DATE_EPOCH`` when set).

    Returns
    -------
    list of pathlib.Path
        Every file written, in order: the CSV tables, the NetCDF files, the figures,
        ``briefing.md``, ``briefing.html`` and ``results.json``.

    Raises
    ------
    ValueError
        If a figure format is unknown.
    OSError
        If the folder cannot be created or written.
    RuntimeError
        If the document does not match the results schema (a bug in this library, not in
        the scenario; ``results.json`` is then not written).

    Examples
    --------
    >>> import tempfile
    >>> from simulator.scenario import parse_scenario
    >>> from simulator.analysis import run_scenario
    >>> s = parse_scenario("title: t\\noffers: {deal: {alignment: 0.3}}\\n"
    ...                    "analyses: [{solve: offer_game}]\\nfigures: []")
    >>> paths = write_results(run_scenario(s), tempfile.mkdtemp())
    >>> [p.name for p in paths]
    ['offer_game.csv', 'briefing.md', 'briefing.html', 'results.json']
    """
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    with folder_lock(folder):  # runs into one folder take turns, never mix
        sweep_temporary_files(folder)  # leftovers of a run killed while writing
        return _write_results(results, folder, pdf, formats, generated_at)


def _write_results(
    results: ScenarioResults,
    folder: Path,
    pdf: bool,
    formats: Iterable[str] | None,
    generated_at: str | None,
) -> list[Path]:
    target = folder / RESULTS_FILE
    previous = _previous_files(target)
    target.unlink(missing_ok=True)  # from here until the end the folder is visibly unfinished
    written: list[Path] = []
    tables = []
    for name, rows in results.tables().items():
        path = folder / f"{name}.csv"
        atomic_write_text(path, csv_text(rows))
        written.append(path)
        tables.append({"name": name, "file": path.name, "rows": len(rows)})
    rows_of = {t["name"]: t["rows"] for t in tables}
    for path in _write_datasets(results, folder):  # the same tables as labelled arrays
        written.append(path)
        tables.append({"name": path.stem, "file": path.name, "rows": rows_of[path.stem]})
    chosen = list(formats) if formats is not None else list(results.figure_formats)
    if pdf and "pdf" not in chosen:
        chosen.append("pdf")
    figures, notes = _write_figures(results, folder, chosen or ["png"])
    written += [folder / f for figure in figures for f in figure["files"]]
    atomic_write_text(folder / BRIEFING_FILE, briefing_markdown(results, figures, notes))
    written.append(folder / BRIEFING_FILE)
    page = briefing_html(results, figures, notes, folder=folder)  # figures inlined
    atomic_write_text(folder / BRIEFING_HTML_FILE, page)
    written.append(folder / BRIEFING_HTML_FILE)
    document = results_document(
        results, {"tables": tables, "figures": figures}, generated_at, notes
    )
    problems = validate_results(document)
    if problems:  # a bug in this library, not in the scenario
        raise RuntimeError("results.json does not match its schema: " + "; ".join(problems[:5]))
    atomic_write_text(target, dumps(document))
    written.append(target)
    current = {p.name for p in written}
    for name in sorted(previous - current):
        (folder / name).unlink(missing_ok=True)
    return written
