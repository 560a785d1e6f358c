"""The JSON Schema of ``results.json`` (version 1), a validator, and its documentation page.

``results.json`` is the machine-readable record of a ``simulator run``: what was run
(library version, scenario, every parameter, seeds), every result with its certificate, and
the files written beside it. :data:`RESULTS_JSON_SCHEMA` describes it in JSON Schema
(draft 2020-12); :func:`validate_results` checks a document against it with a small
validator for the keywords the schema uses (``jsonschema``, when installed, gives the same
verdict); ``docs/results-schema.md`` is :func:`results_schema_markdown`.

Versioning: ``schema_version`` is raised whenever a field is removed or changes meaning;
fields may be added within a version.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

__all__ = [
    "RESULTS_JSON_SCHEMA",
    "SCHEMA_VERSION",
    "results_schema_markdown",
    "validate_results",
]

#: Version of the ``results.json`` layout written by this library.
SCHEMA_VERSION = 1

_NUM = {"type": ["number", "null"]}
_PROB = {"type": ["number", "null"], "minimum": 0, "maximum": 1}
_INT0 = {"type": "integer", "minimum": 0}
_STR = {"type": "string"}
_STRINGS = {"type": "array", "items": _STR}
_NUMBERS = {"type": "array", "items": _NUM}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/$defs/{name}"}


def _obj(
    properties: dict[str, Any],
    description: str | None = None,
    closed: bool = True,
    optional: tuple[str, ...] = (),
) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object"}
    if description:
        out["description"] = description
    out["properties"] = properties
    out["required"] = sorted(set(properties) - set(optional))
    if closed:
        out["additionalProperties"] = False
    return out


def _map(values: Any, description: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object", "additionalProperties": values}
    if description:
        out["description"] = description
    return out


def _d(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {**schema, "description": description}


_DEFS: dict[str, Any] = {
    "certificate": _obj(
        {
            "regret": _d(_NUM, "largest gain any player gets from a deviation (null: unknown)"),
            "tolerance": _d({"type": "number", "minimum": 0}, "largest regret accepted"),
            "method": _d(_STR, "how the equilibrium was found and the regret computed"),
            "certified": _d({"type": "boolean"}, "regret is known and <= tolerance"),
        },
        "evidence that no player gains by deviating",
    ),
    "profile": _obj(
        {
            "russia": _d(_STR, "strategy of Russia (the staller type)"),
            "sincere_russia": _d(_STR, "strategy of the sincere type"),
            "west": _d(_STR, "strategy of the Western governments"),
            "ukraine": _d(_STR, "strategy of Ukraine"),
        },
        "one strategy per actor",
    ),
    "by_type": _map(_NUM, "a number per Russian type (and 'sincere', 'staller') and 'expected'"),
    "offer_solution": _obj(
        {
            "offer": _STR,
            "terms": _map({"type": ["number", "boolean"]}, "the offer's fields"),
            "kind": _d(_STR, "pooling, separating or partially pooling"),
            "regime": _d(_STR, "kind and the outcomes each type reaches"),
            "messages": _map(_map(_PROB), "type -> message -> probability"),
            "outcome": _map(_STR, "each type's most likely outcome"),
            "outcome_probabilities": _map(_map(_PROB), "type -> outcome -> probability"),
            "settlement_probability": _PROB,
            "renewed_war_probability": _PROB,
            "war_probability": _PROB,
            "posterior": _map(_PROB, "P(sincere) after each message"),
            "on_path": _map({"type": "boolean"}, "whether each message is sent"),
            "west_actions": _map(_map(_PROB), "message -> government -> P(eases)"),
            "pressure": _map(_NUM, "coalition pressure after each message"),
            "acceptance": _map(_PROB, "P(Ukraine accepts) after each offer message"),
            "posterior_weak": _map(_PROB, "P(Russia is weak) after each message"),
            "payoffs": _map(_ref("by_type"), "actor -> expected payoffs"),
            "behaviour": _map(_STR, "each actor's equilibrium behaviour in words"),
            "equilibria": _d(_INT0, "number of equilibria found"),
            "intuitive": {"type": ["boolean", "null"]},
            "certificate": _ref("certificate"),
        },
        "the selected perfect Bayesian equilibrium of the offer game for one offer",
    ),
    "path": _map(_NUMBERS, "period, mean and quantiles (q05 ... q95) of a path variable"),
    "strategy": _obj(
        {
            "name": _STR,
            "profile": _ref("profile"),
            "behaviour": _map(_STR, "each actor's strategy in words"),
            "runs": {"type": "integer", "minimum": 1},
            "periods": {"type": "integer", "minimum": 1},
            "expected_payoffs": _map(_map(_NUM), "actor -> all/sincere/staller/se"),
            "settled": _PROB,
            "broken": _PROB,
            "war": _PROB,
            "settlement_probability": _d(_PROB, "probability that a deal is signed (kept or not)"),
            "mean_settlement_period": _NUM,
            "settlement_distribution": _d(_NUMBERS, "P(deal signed in period t)"),
            "renewed_war_probability": _PROB,
            "broken_deal_probability": _PROB,
            "final_cohesion": _NUM,
            "final_cohesion_bands": _d(_NUMBERS, "5%, 50%, 95% quantiles"),
            "final_capability": _NUM,
            "final_capability_bands": _d(_NUMBERS, "5%, 50%, 95% quantiles"),
            "final_phases": _map(_PROB, "share of runs in each phase at the end"),
            "russia_victory_probability": _PROB,
            "ukraine_victory_probability": _PROB,
            "paths": _map(_map(_ref("path")), "variable -> all/sincere/staller -> path"),
        },
        "a strategy profile simulated over the periods",
    ),
    "equilibrium": _obj(
        {
            "offer": _STR,
            "periods": {"type": "integer", "minimum": 1},
            "settings": _map({"type": ["integer", "boolean"]}, "front, grid, ceasefire option"),
            "prior": _map(_PROB, "Russian type -> prior probability"),
            "values": _map(_map(_NUM), "plan -> Russian type -> Russia's value"),
            "ukraine_values": _map(_NUM, "Russian type -> Ukraine's equilibrium value"),
            "buy_time_pays": _map({"type": "boolean"}, "per type: buying time beats compromise"),
            "buy_time_gain": _map(_NUM, "per type: buying time minus compromise"),
            "verdict": _d(_STR, "the answer in one sentence, read off buy_time_pays"),
            "first_period": _obj(
                {
                    "sends": _map(_map(_PROB), "type -> message -> probability"),
                    "after": _map(
                        _obj(
                            {
                                "belief": _map(_PROB, "type -> posterior"),
                                "ukraine": _d(_STR, "Ukraine's reply (battle after fight)"),
                                "eases": {"type": "array", "items": _STR},
                                "lottery": _d(_PROB, "probability of the receivers' second play"),
                            }
                        ),
                        "message -> what follows it",
                    ),
                },
                "equilibrium play in the first period",
            ),
            "outcomes": _map(_map(_map(_NUM)), "plan -> type -> settled/broken/war/..."),
            "outcome": _map(_map(_PROB), "plan -> settled/broken/war/russia_wins over types"),
            "paths": _map(_map(_map(_NUMBERS)), "plan -> variable -> mean/q05/q95"),
            "runs": {"type": "integer", "minimum": 1},
            "seed": _INT0,
            "states": _map(_INT0, "states in all, with several / a mixed / no exact equilibrium"),
            "unresolved_share": _PROB,
            "certificate": _ref("certificate"),
            "path_certificate": _ref("certificate"),
        },
        "the Markov perfect equilibrium of the buy-time game and its forward passes",
    ),
    "uncertain": {
        "type": "object",
        "properties": {
            "parameter": _STR,
            "distribution": {"enum": ["beta", "uniform", "normal"]},
            "mean": {"type": "number"},
            "sd": {"type": "number"},
            "low": {"type": "number"},
            "high": {"type": "number"},
        },
        "required": ["distribution", "parameter"],
        "additionalProperties": False,
    },
    "solve": _obj(
        {
            "kind": {"const": "solve"},
            "index": _d(_INT0, "position in the scenario file (0: added by the run)"),
            "target": _STR,
            "solutions": {"type": "array", "items": _ref("offer_solution")},
        },
        "the offer game solved for each offer",
    ),
    "compare": _obj(
        {
            "kind": {"const": "compare"},
            "index": _INT0,
            "offer": _STR,
            "periods": {"type": "integer", "minimum": 1},
            "runs": {"type": "integer", "minimum": 1},
            "seed": _INT0,
            "uncertain": {"type": "array", "items": _ref("uncertain")},
            "strategies": {"type": "array", "items": _ref("strategy"), "minItems": 1},
            "equilibrium": {"anyOf": [_ref("equilibrium"), {"type": "null"}]},
            "notes": _STRINGS,
        },
        "strategy profiles simulated side by side",
    ),
    "sweep": _obj(
        {
            "kind": {"const": "sweep"},
            "index": _INT0,
            "implicit": _d({"type": "boolean"}, "added by the run to draw a figure"),
            "offer": _STR,
            "show": {
                "enum": ["regime_map", "bargaining_range", "payoffs", "settlement_probability"]
            },
            "axes": {
                "type": "array",
                "minItems": 1,
                "items": _obj({"parameter": _STR, "values": _NUMBERS}),
            },
            "shape": {"type": "array", "items": {"type": "integer", "minimum": 1}},
            "grid": _map({"type": "array"}, "column -> nested list of the grid's shape"),
            "regimes": _map(_PROB, "share of grid points per regime"),
            "switches": {"type": "array", "items": {"type": "object"}},
            "certificate": {"anyOf": [_ref("certificate"), {"type": "null"}]},
            "unsolved_points": _INT0,
            "notes": _STRINGS,
        },
        "the offer game or the bargaining range on a grid of parameters",
    ),
    "monte_carlo": _obj(
        {
            "kind": {"const": "monte_carlo"},
            "index": _INT0,
            "offer": _STR,
            "runs": {"type": "integer", "minimum": 1},
            "seed": _INT0,
            "uncertain": {"type": "array", "items": _ref("uncertain"), "minItems": 1},
            "draws": _map(_NUMBERS, "parameter -> drawn values"),
            "results": _map({"type": "array"}, "column -> value per draw"),
            "regimes": _map(_PROB, "share of draws per regime"),
            "summary": _map(_map(_NUM), "column -> mean, q05, q50, q95"),
            "certificate": _ref("certificate"),
            "unsolved_points": _INT0,
            "notes": _STRINGS,
        },
        "the offer game solved for random draws of parameters",
    ),
}

#: Descriptions of keys that recur in several objects (filled in where none is given).
_COMMON: dict[str, str] = {
    "kind": "the kind of analysis",
    "index": "position of the analysis in the scenario file (0: added by the run for a figure)",
    "offer": "the offer analysed",
    "target": "the game solved",
    "solutions": "one per offer",
    "periods": "periods played",
    "runs": "Monte Carlo runs (or draws)",
    "seed": "seed of the random draws",
    "uncertain": "parameters drawn at random in each run, with their distributions",
    "strategies": "one per compared strategy profile",
    "equilibrium": "the Markov perfect equilibrium at the scenario's values",
    "notes": "what the reader should know about this analysis",
    "certificate": "the certificate of the selected equilibrium (the largest over a grid)",
    "unsolved_points": "grid points or draws where no equilibrium was found",
    "axes": "the swept parameters and their values",
    "shape": "points along each axis",
    "offer_solution": "",
    "settlement_probability": "probability of a deal that holds",
    "renewed_war_probability": "probability of a deal broken after a pause (war renewed)",
    "war_probability": "probability of war now",
    "broken_deal_probability": "probability that a signed deal is broken later",
    "mean_settlement_period": "mean period of signature among runs that settle",
    "final_cohesion": "mean Western cohesion at the end",
    "final_capability": "mean Russian capability at the end",
    "russia_victory_probability": "share of runs Russia wins outright",
    "ukraine_victory_probability": "share of runs Ukraine wins outright",
    "intuitive": "passes the intuitive criterion (null: every message is sent)",
    "settled": "probability that a deal is signed and kept to the horizon",
    "broken": "probability that a deal is signed, then broken",
    "war": "probability that no deal is signed by the horizon",
    "unresolved_share": "share of equilibrium runs that pass a state without an exact "
    "equilibrium",
    "draws": "the drawn parameter values",
    "results": "the selected equilibrium per draw",
}


def _describe(node: Any) -> None:
    """Give every property without a description the common one for its key."""
    if isinstance(node, dict):
        properties = node.get("properties", {})
        for key, sub in properties.items():
            if isinstance(sub, dict) and "description" not in sub and _COMMON.get(key):
                # A new dict: the small schemas (_STR, _INT0, ...) are shared between keys.
                properties[key] = {**sub, "description": _COMMON[key]}
        for value in node.values():
            _describe(value)
    elif isinstance(node, list):
        for value in node:
            _describe(value)


#: JSON Schema (draft 2020-12) of ``results.json``.
RESULTS_JSON_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://simulator.invalid/schemas/results-1.json",
    "title": "simulator results",
    "description": "Everything a 'simulator run' computed, with what it was computed from.",
    **_obj(
        {
            "schema_version": _d({"const": SCHEMA_VERSION}, "layout version of this file"),
            "generated_at": _d(
                {
                    "type": "string",
                    "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$",
                },
                "UTC time the file was written: the only field that differs between two "
                "runs with the same seed",
            ),
            "library": _obj({"name": _STR, "version": _STR}, "the library that wrote it"),
            "scenario": _obj(
                {
                    "title": _STR,
                    "description": _STR,
                    "source": {"type": ["string", "null"]},
                    "seed": _INT0,
                },
                "the scenario file and its seed for every random draw",
            ),
            "fast": _d({"type": "boolean"}, "the run was shrunk for speed (--fast)"),
            "parameters": _obj(
                {
                    "model": _map(
                        {"type": ["number", "string", "boolean"]},
                        "dotted parameter name -> value (actors)",
                    ),
                    "offers": _map(_map({"type": ["number", "boolean"]}), "offer -> terms"),
                    "dynamics": _map({"type": ["number", "boolean"]}, "dynamics settings"),
                    "buy_time": _map(
                        {"type": ["number", "boolean"]},
                        "the buy-time game's settings (its horizon: each analysis's periods)",
                    ),
                    "formulas": _map(_STR, "parameters given by formulas"),
                },
                "every parameter the analyses used",
            ),
            "strategies": _map(_ref("profile"), "the scenario's strategy profiles"),
            "analyses": _d(
                {
                    "type": "array",
                    "items": {
                        "oneOf": [
                            _ref("solve"),
                            _ref("compare"),
                            _ref("sweep"),
                            _ref("monte_carlo"),
                        ]
                    },
                },
                "each analysis in the order of the file (added ones last)",
            ),
            "certified": _d({"type": "boolean"}, "every certificate in the file holds"),
            "notes": _d(_STRINGS, "what the reader should know (defaults, fast mode, ...)"),
            "files": _obj(
                {
                    "results": _STR,
                    "briefing": _STR,
                    "briefing_html": _d(
                        _STR,
                        "the same briefing as one self-contained HTML page (figures inline); "
                        "absent in files written before it existed",
                    ),
                    "tables": _d(
                        {
                            "type": "array",
                            "items": _obj({"name": _STR, "file": _STR, "rows": _INT0}),
                        },
                        "one entry per table file: every table as CSV; sweep and Monte Carlo "
                        "tables also as NetCDF (.nc) when xarray is installed",
                    ),
                    "figures": {
                        "type": "array",
                        "items": _obj({"name": _STR, "analysis": _INT0, "files": _STRINGS}),
                    },
                },
                "the files written beside results.json (names relative to its folder)",
                optional=("briefing_html",),
            ),
        },
    ),
    "$defs": _DEFS,
}
_describe(RESULTS_JSON_SCHEMA)


# ====================================================================== validation
_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
}


def _resolve(ref: str, root: Mapping[str, Any]) -> Any:
    if not ref.startswith("#/"):
        raise ValueError(f"only local references are supported; got {ref!r}")
    node: Any = root
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def _check(
    value: Any, schema: Mapping[str, Any], root: Mapping[str, Any], path: str, errors: list[str]
) -> None:
    if "$ref" in schema:
        _check(value, _resolve(schema["$ref"], root), root, path, errors)
    where = path or "(top)"
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_TYPES[t](value) for t in types):
            errors.append(f"{where}: expected {' or '.join(types)}, got {type(value).__name__}")
            return
    if "const" in schema and value != schema["const"]:
        errors.append(f"{where}: must be {schema['const']!r}, got {value!r}")
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{where}: must be one of {schema['enum']}, got {value!r}")
    if _TYPES["number"](value):
        if "minimum" in schema and value < schema["minimum"]:
            errors.append(f"{where}: {value!r} is below the minimum {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            errors.append(f"{where}: {value!r} is above the maximum {schema['maximum']}")
    if isinstance(value, str) and "pattern" in schema and not re.search(schema["pattern"], value):
        errors.append(f"{where}: {value!r} does not match {schema['pattern']!r}")
    if isinstance(value, list):
        if "minItems" in schema and len(value) < schema["minItems"]:
            errors.append(f"{where}: needs at least {schema['minItems']} items")
        if "items" in schema:
            for i, item in enumerate(value):
                _check(item, schema["items"], root, f"{path}[{i}]", errors)
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                errors.append(f"{where}: missing required key {name!r}")
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            sub = f"{path}.{key}" if path else key
            if key in properties:
                _check(item, properties[key], root, sub, errors)
            elif extra is False:
                errors.append(f"{where}: unexpected key {key!r}")
            elif isinstance(extra, dict):
                _check(item, extra, root, sub, errors)
    for keyword in ("anyOf", "oneOf"):
        if keyword in schema:
            results = []
            for option in schema[keyword]:
                sub_errors: list[str] = []
                _check(value, option, root, path, sub_errors)
                results.append(sub_errors)
            passed = sum(1 for r in results if not r)
            if passed == 0:
                best = min(results, key=len)
                errors.append(f"{where}: matches none of the allowed forms ({best[0]})")
            elif keyword == "oneOf" and passed > 1:
                errors.append(f"{where}: matches {passed} of the forms, exactly one allowed")


def validate_results(document: Any, schema: Mapping[str, Any] | None = None) -> list[str]:
    """Every way ``document`` breaks the results schema (an empty list when it is valid).

    Supports the keywords :data:`RESULTS_JSON_SCHEMA` uses: ``type``, ``properties``,
    ``required``, ``additionalProperties``, ``items``, ``minItems``, ``enum``, ``const``,
    ``minimum``, ``maximum``, ``pattern``, ``anyOf``, ``oneOf`` and local ``$ref``.

    Parameters
    ----------
    document : Any
        The data to check: a parsed ``results.json`` (or a part of one, with ``schema``).
    schema : mapping, optional
        The (sub-)schema to check against (default: :data:`RESULTS_JSON_SCHEMA`); its ``$ref``
        are resolved in :data:`RESULTS_JSON_SCHEMA`.

    Returns
    -------
    list of str
        One message per violation, ``"<path>: <what is wrong>"`` (``(top)`` for the document
        itself), in the order found; empty when the document is valid.

    Examples
    --------
    >>> validate_results({"schema_version": 1})[:2]
    ["(top): missing required key 'analyses'", "(top): missing required key 'certified'"]
    >>> validate_results({"regret": None, "tolerance": -1, "method": "m", "certified": False},
    ...                  RESULTS_JSON_SCHEMA["$defs"]["certificate"])
    ['tolerance: -1 is below the minimum 0']
    """
    schema = RESULTS_JSON_SCHEMA if schema is None else schema
    errors: list[str] = []
    _check(document, schema, RESULTS_JSON_SCHEMA, "", errors)
    return errors


# ====================================================================== documentation
def _type_text(schema: Mapping[str, Any]) -> str:
    if "$ref" in schema:
        return f"`{schema['$ref'].rsplit('/', 1)[-1]}`"
    if "const" in schema:
        return f"`{json.dumps(schema['const'])}`"
    if "enum" in schema:
        return "one of " + ", ".join(f"`{v}`" for v in schema["enum"])
    if "anyOf" in schema or "oneOf" in schema:
        return " or ".join(_type_text(s) for s in schema.get("anyOf", schema.get("oneOf", [])))
    kind = schema.get("type", "any")
    text = " or ".join(kind) if isinstance(kind, list) else kind
    if kind == "array" and "items" in schema:
        text = f"array of {_type_text(schema['items'])}"
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        text = f"mapping -> {_type_text(schema['additionalProperties'])}"
    return text


def _table(schema: Mapping[str, Any]) -> list[str]:
    lines = ["| key | type | meaning |", "|---|---|---|"]
    for name, sub in schema.get("properties", {}).items():
        description = sub.get("description", "")
        if "$ref" in sub and not description:
            target = _resolve(sub["$ref"], RESULTS_JSON_SCHEMA)
            description = target.get("description", "")
        lines.append(f"| `{name}` | {_type_text(sub)} | {description} |".replace("\n", " "))
    return lines + [""]


def results_schema_markdown() -> str:
    """The text of ``docs/results-schema.md``, generated from :data:`RESULTS_JSON_SCHEMA`.

    Returns
    -------
    str
        Markdown: the conventions of a results folder, then a table (key, type, meaning) of
        the top-level keys and of each part of the schema.

    Examples
    --------
    >>> results_schema_markdown().splitlines()[0]
    '# results.json schema (version 1)'
    """
    lines = [
        f"# results.json schema (version {SCHEMA_VERSION})",
        "",
        "<!-- Generated by simulator.report.results_schema_markdown() from",
        "RESULTS_JSON_SCHEMA. Do not edit by hand: tests/test_report.py checks that this",
        "file equals the generated text. Regenerate with",
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
        "Conventions:",
        "",
        "- `schema_version` is raised whenever a field is removed or changes meaning; fields",
        "  may be added within a version.",
        "- Two runs of the same scenario with the same seed write byte-identical files apart",
        "  from `generated_at`: keys are sorted and every float is rounded to 12 significant",
        "  digits.",
        "- Numbers that do not exist (a mean over no runs, a message never sent) are `null`.",
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
        *_table(RESULTS_JSON_SCHEMA),
    ]
    for name in (
        "solve",
        "compare",
        "sweep",
        "monte_carlo",
        "offer_solution",
        "strategy",
        "equilibrium",
        "certificate",
    ):
        sub = RESULTS_JSON_SCHEMA["$defs"][name]
        title = (
            f"analysis `{name}`"
            if name in ("solve", "compare", "sweep", "monte_carlo")
            else f"`{name}`"
        )
        text = sub.get("description", "")
        lines += [f"## {title[0].upper()}{title[1:]}", "", f"{text[:1].upper()}{text[1:]}.", ""]
        lines += _table(sub)
    lines += [
        "## The JSON Schema",
        "",
        "```json",
        json.dumps(RESULTS_JSON_SCHEMA, indent=2, sort_keys=False),
        "```",
        "",
    ]
    return "\n".join(lines)
