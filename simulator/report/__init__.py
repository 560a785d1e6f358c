"""Writing results (floor 6): ``results.json``, CSV tables, figures and a Markdown briefing.

:func:`write_results` writes a :class:`~simulator.analysis.ScenarioResults` to a folder,
every file atomically and ``results.json`` last; :data:`RESULTS_JSON_SCHEMA` is the
versioned JSON Schema of ``results.json`` (``docs/results-schema.md``), generated from the
records of :mod:`simulator.analysis.records` like :func:`validate_results`.

Examples
--------
>>> from simulator.report import RESULTS_JSON_SCHEMA
>>> RESULTS_JSON_SCHEMA["properties"]["schema_version"]["const"]
1
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "write_results": "simulator.report.writer",
    "results_document": "simulator.report.writer",
    "RESULTS_FILE": "simulator.report.writer",
    "BRIEFING_FILE": "simulator.report.writer",
    "RESULTS_JSON_SCHEMA": "simulator.report.schema",
    "SCHEMA_VERSION": "simulator.report.schema",
    "validate_results": "simulator.report.schema",
    "results_json_schema": "simulator.report.schema",
    "results_schema_markdown": "simulator.report.schema",
    "briefing_markdown": "simulator.report.briefing",
    "dumps": "simulator.report.canonical",
    "canonical": "simulator.report.canonical",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'simulator.report' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
