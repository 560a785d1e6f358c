"""The JSON Schema of ``results.json``, its validator and its documentation page, all generated.

``results.json`` is the machine-readable record of a ``simulator run``: what was run
(library version, scenario, every parameter, seeds), every result with its certificate, and
the files written beside it. Its blocks are the pydantic records of
:mod:`simulator.analysis.records`, the one definition of each field, which the results
themselves build; from them come

* :data:`RESULTS_JSON_SCHEMA` (:func:`results_json_schema`): the JSON Schema (draft 2020-12)
  of :class:`~simulator.analysis.records.ResultsDocument`, printed by
  ``simulator schema --results``;
* :func:`validate_results`: pydantic's validation of a document, as one line per problem;
* :func:`results_schema_markdown`: the text of ``docs/results-schema.md``.

Versioning: ``schema_version`` (:data:`SCHEMA_VERSION`) is raised whenever a field is removed
or changes meaning; fields may be added within a version.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from simulator.analysis.records import SCHEMA_VERSION, ResultsDocument

__all__ = [
    "RESULTS_JSON_SCHEMA",
    "SCHEMA_VERSION",
    "results_json_schema",
    "results_schema_markdown",
    "validate_results",
    "validation_problems",
]

_REF = "#/$defs/"
#: Keywords whose value is a schema, a list of schemas or a mapping of names to schemas.
_SCHEMA_KEYWORDS = ("additionalProperties", "items", "not")
_SCHEMA_LISTS = ("anyOf", "oneOf", "allOf", "prefixItems")
_SCHEMA_MAPS = ("properties", "$defs")


# ====================================================================== the schema
def _def_name(class_name: str) -> str:
    """``OfferSolutionRecord`` -> ``offer_solution`` (the names the schema has always used)."""
    stem = class_name.removesuffix("Record")
    return re.sub(r"(?<!^)(?=[A-Z])", "_", stem).lower()


def _renamed(node: Any, names: dict[str, str]) -> Any:
    """``node`` with every ``#/$defs/<class>`` reference pointing at the new name."""
    if isinstance(node, dict):
        return {k: _renamed(v, names) for k, v in node.items()}
    if isinstance(node, list):
        return [_renamed(v, names) for v in node]
    if isinstance(node, str) and node.startswith(_REF):
        return _REF + names[node[len(_REF) :]]
    return node


def _tidy(schema: dict[str, Any]) -> None:
    """Drop pydantic's titles, the records' ``unit`` notes (labels and units for the reader,
    :func:`simulator.analysis.records.field_label`, not JSON Schema keywords) and
    ``default: null`` (an optional key is absent, never null) from ``schema`` and its
    sub-schemas, in place."""
    schema.pop("title", None)
    schema.pop("unit", None)
    if schema.get("default", 0) is None:
        del schema["default"]
    for key in _SCHEMA_KEYWORDS:
        if isinstance(schema.get(key), dict):
            _tidy(schema[key])
    for key in _SCHEMA_LISTS:
        for sub in schema.get(key, []):
            _tidy(sub)
    for key in _SCHEMA_MAPS:
        for sub in schema.get(key, {}).values():
            _tidy(sub)


def results_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``results.json``, generated from its records.

    ``ResultsDocument.model_json_schema()``
    (:class:`~simulator.analysis.records.ResultsDocument`), with ``$schema``, ``$id`` and a
    title added, each part of the document under ``$defs`` by its usual name
    (``certificate``, ``offer_solution``, ``solve``, ...) and pydantic's generated titles
    left out.

    Returns
    -------
    dict of str to Any
        The schema (a new dict on each call); :data:`RESULTS_JSON_SCHEMA` holds one.

    Examples
    --------
    >>> schema = results_json_schema()
    >>> schema["properties"]["schema_version"]["const"], sorted(schema["$defs"])[:3]
    (1, ['after_message', 'axis', 'band'])
    """
    generated = ResultsDocument.model_json_schema(by_alias=True)
    defs = generated.pop("$defs", {})
    names = {name: _def_name(name) for name in defs}
    generated = _renamed(generated, names)
    _tidy(generated)
    parts = {names[name]: _renamed(sub, names) for name, sub in defs.items()}
    for sub in parts.values():
        _tidy(sub)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://simulator.invalid/schemas/results-{SCHEMA_VERSION}.json",
        "title": "simulator results",
        "description": generated.pop("description"),
        **generated,
        "$defs": dict(sorted(parts.items())),
    }


#: JSON Schema (draft 2020-12) of ``results.json`` (:func:`results_json_schema`).
RESULTS_JSON_SCHEMA: dict[str, Any] = results_json_schema()


# ====================================================================== validation
def _path(loc: Sequence[int | str], document: Any) -> str:
    """The dotted path of an error's location in ``document``.

    Pydantic adds the member of a union to the location (the ``kind`` of an analysis, or
    ``bool`` when a number-or-boolean fails); such parts are not in the document and are
    left out. The last part is kept even when absent: it names a missing key.
    """
    parts: list[str] = []
    node = document
    for k, part in enumerate(loc):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        elif isinstance(node, dict) and k == len(loc) - 1 and "[" not in str(part):
            node = None  # a missing key
        else:
            continue  # a union member's tag, not a key of the document
        parts.append(str(part))
    return ".".join(parts)


def validation_problems(error: ValidationError, document: Any = None) -> list[str]:
    """One line per problem in ``error``: ``"<dotted path>: <what is wrong>"``.

    Parameters
    ----------
    error : pydantic.ValidationError
        The error of validating ``document`` against a record.
    document : Any, optional
        The data that was validated, to leave out of each path the parts pydantic adds for
        the members of a union (without it, only tags such as ``function-wrap[...]`` are).

    Returns
    -------
    list of str
        ``"analyses.0.solutions.0.war_probability: Input should be less than or equal to
        1"``, ``"(top): ..."`` for the document itself; the messages of the members of one
        union share a line (``"...; or ..."``).
    """
    messages: dict[str, list[str]] = {}
    for item in error.errors():
        loc = item["loc"]
        if document is None:
            path = ".".join(str(p) for p in loc if "[" not in str(p))
        else:
            path = _path(loc, document)
        found = messages.setdefault(path or "(top)", [])
        if item["msg"] not in found:
            found.append(item["msg"])
    return [f"{path}: {'; or '.join(found)}" for path, found in messages.items()]


def validate_results(document: Any, record: type[BaseModel] = ResultsDocument) -> list[str]:
    """Every way ``document`` breaks the results schema (an empty list when it is valid).

    The document is validated by pydantic against its records, strictly (no coercion: the
    string ``"0.5"`` is not a number) and closed (a key that is not in a record is an error),
    the same verdict as :data:`RESULTS_JSON_SCHEMA` gives with a JSON Schema validator.

    Parameters
    ----------
    document : Any
        The data to check: a parsed ``results.json`` (or a part of one, with ``record``).
    record : type of pydantic.BaseModel, optional
        The record to check against (default:
        :class:`~simulator.analysis.records.ResultsDocument`), e.g.
        :class:`~simulator.analysis.records.CertificateRecord` for a certificate.

    Returns
    -------
    list of str
        One message per problem, ``"<dotted path>: <what is wrong>"`` (``(top)`` for the
        document itself), in the order found; empty when the document is valid.

    Examples
    --------
    >>> validate_results({"schema_version": 2})[:2]
    ['schema_version: Input should be 1', 'generated_at: Field required']
    >>> from simulator.analysis.records import CertificateRecord
    >>> for line in validate_results({"regret": None, "tolerance": -1, "method": "m",
    ...                               "certified": False, "note": "x"}, CertificateRecord):
    ...     print(line)
    tolerance: Input should be greater than or equal to 0
    note: Extra inputs are not permitted
    """
    try:
        record.model_validate(document)
    except ValidationError as error:
        return validation_problems(error, document)
    return []


# ====================================================================== documentation
#: The parts documented first, in this order (then the others, by name).
_FIRST = (
    "solve",
    "compare",
    "sweep",
    "monte_carlo",
    "offer_solution",
    "strategy",
    "equilibrium",
    "certificate",
)
_ANALYSES = ("solve", "compare", "sweep", "monte_carlo")


def _range(schema: dict[str, Any]) -> str:
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and high is not None:
        return f" in [{low}, {high}]"
    if low is not None:
        return f" >= {low}"
    if high is not None:
        return f" <= {high}"
    return ""


def _type_text(schema: dict[str, Any]) -> str:
    """A schema in a few words: ``number in [0, 1] or null``, ``mapping -> `by_type```."""
    if "$ref" in schema:
        return f"`{schema['$ref'].rsplit('/', 1)[-1]}`"
    if "const" in schema:
        return f"`{json.dumps(schema['const'])}`"
    if "enum" in schema:
        return "one of " + ", ".join(f"`{v}`" for v in schema["enum"])
    options = schema.get("anyOf", schema.get("oneOf"))
    if options is not None:
        return " or ".join(_type_text(s) for s in options)
    kind = schema.get("type", "any")
    if kind == "array":
        text = "array"
        if schema.get("items"):
            text = f"array of {_type_text(schema['items'])}"
        if "minItems" in schema:
            text += f" (at least {schema['minItems']})"
        return text
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return f"mapping -> {_type_text(schema['additionalProperties'])}"
    return f"{kind}{_range(schema)}"


def _table(schema: dict[str, Any]) -> list[str]:
    lines = ["| key | type | meaning |", "|---|---|---|"]
    required = set(schema.get("required", []))
    for name, sub in schema.get("properties", {}).items():
        kind = _type_text(sub) + ("" if name in required else " (optional)")
        description = sub.get("description", "")
        lines.append(f"| `{name}` | {kind} | {description} |".replace("\n", " "))
    return lines + [""]


def _section(name: str, schema: dict[str, Any]) -> list[str]:
    title = f"Analysis `{name}`" if name in _ANALYSES else f"`{name}`"
    lines = [f"## {title}", "", schema.get("description", ""), ""]
    if "properties" in schema:
        return lines + _table(schema)
    return lines + [f"Type: {_type_text(schema)}.", ""]


def results_schema_markdown() -> str:
    """The text of ``docs/results-schema.md``, generated from :data:`RESULTS_JSON_SCHEMA`.

    Returns
    -------
    str
        Markdown: the conventions of a results folder, then a table (key, type, meaning) of
        the top-level keys and of each part of the schema (the analyses and the main parts
        first, then the others by name), then the JSON Schema itself.

    Examples
    --------
    >>> results_schema_markdown().splitlines()[0]
    '# results.json schema (version 1)'
    """
    schema = RESULTS_JSON_SCHEMA
    lines = [
        f"# results.json schema (version {SCHEMA_VERSION})",
        "",
        "<!-- Generated by simulator.report.results_schema_markdown() from the records of",
        "simulator/analysis/records.py. Do not edit by hand: tests/test_report.py checks that",
        "this file equals the generated text. Regenerate with",
        'python -c "from simulator.report import results_schema_markdown as m; '
        "print(m(), end='')\"",
        "> docs/results-schema.md -->",
        "",
        "`simulator run SCENARIO.yaml` writes a folder (default `out/<scenario file stem>`)",
        "holding `results.json`, one CSV file per table, the figures the scenario asks for",
        "and `briefing.md` (also as `briefing.html`, one self-contained page). `results.json`",
        "is written last, so a folder without it is an unfinished run. In Python,",
        "`simulator.report.write_results(results, folder)` writes the same files and",
        "`results.as_dict()` gives the same data.",
        "",
        "Each part of the document below is a pydantic model in",
        "`simulator/analysis/records.py`, the one definition of its fields: the results build",
        "their records, and this page, the JSON Schema (`simulator schema --results`) and",
        "`simulator.report.validate_results` are generated from them.",
        "",
        "Conventions:",
        "",
        "- `schema_version` is raised whenever a field is removed or changes meaning; fields",
        "  may be added within a version.",
        "- Two runs of the same scenario with the same seed write byte-identical files apart",
        "  from `generated_at`: keys are sorted and every float is rounded to 12 significant",
        "  digits.",
        "- Numbers that do not exist (a mean over no runs, a message never sent) are `null`;",
        "  a key marked optional may be absent, never `null`.",
        "- Probabilities lie in [0, 1]; payoffs are in shares of the stake (see the model",
        "  docs). Every equilibrium carries a `certificate`: its `regret` (the largest gain",
        "  any player gets by deviating), the `tolerance` accepted and the `method`.",
        "- Tables (`offer_game.csv`, `strategies.csv`, `paths.csv`, `equilibrium.csv`,",
        "  `sweep_<k>.csv`, `monte_carlo_<k>.csv`) hold the same numbers, one row per",
        "  offer, strategy, period, grid point or draw; an empty cell is a missing number.",
        "- When xarray is installed, each sweep and Monte Carlo table is also written as",
        "  NetCDF (`sweep_<k>.nc`, `monte_carlo_<k>.nc`: one dimension per swept parameter,",
        "  or `draw`); read it with `xarray.open_dataset` (docs/sweeps.md).",
        "",
        "## Top-level keys",
        "",
        *_table(schema),
    ]
    parts = schema["$defs"]
    order = [n for n in _FIRST if n in parts] + sorted(n for n in parts if n not in _FIRST)
    for name in order:
        lines += _section(name, parts[name])
    lines += [
        "## The JSON Schema",
        "",
        "```json",
        json.dumps(schema, indent=2, sort_keys=False),
        "```",
        "",
    ]
    return "\n".join(lines)
