"""The scenario-file reference (``docs/scenario-reference.md``) and the starter file.

Both are generated from the same declarations the validator uses (the model's
``parameter(...)`` specs and the schema's pydantic models), so the documentation can
never drift from what the loader accepts: a test compares the committed reference with
:func:`scenario_reference_markdown`.
"""

from __future__ import annotations

import json
import math
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from simulator.model.buy_time_setup import BuyTimeSettings
from simulator.model.dynamics import DynamicsSettings
from simulator.model.negotiation import NegotiationModel
from simulator.model.offers import ALIGNMENT_PRESETS, Offer
from simulator.scenario.formula import FUNCTIONS, MAX_EXPONENT, MAX_LENGTH
from simulator.scenario.objects import (
    DEFAULT_STRATEGIES,
    DISTRIBUTIONS,
    FIGURE_FORMATS,
    FIGURES,
    RUSSIA_STRATEGIES,
    SOLVE_TARGETS,
    SWEEP_SHOWS,
    UKRAINE_STRATEGIES,
    WEST_STRATEGIES,
)
from simulator.scenario.schema import (
    ANALYSIS_MODELS,
    BetaModel,
    FieldKind,
    NormalModel,
    ScenarioFile,
    StrategyModel,
    UniformModel,
    field_kinds,
    presets_for,
)
from simulator.scenario.source import MAX_DEPTH

__all__ = ["scenario_reference_markdown", "starter_scenario"]

_FIELD_NOTE_TERMINAL = next(
    f.note for f in field_kinds(DynamicsSettings) if f.name == "terminal_value"
)


# ---------------------------------------------------------------------- helpers
def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines + [""]


def _number(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return f"{value:.1f}"
    if isinstance(value, float) and math.isfinite(value):
        return f"{value:g}"
    return str(value)


def _type_text(annotation: Any, metadata: tuple[Any, ...] = ()) -> str:
    metadata = tuple(metadata)
    while hasattr(annotation, "__metadata__"):
        metadata += tuple(annotation.__metadata__)
        annotation = get_args(annotation)[0]
    origin = get_origin(annotation)
    if origin is Literal:
        return "one of " + ", ".join(f"`{a}`" for a in get_args(annotation))
    if origin is list:
        return "list of " + _type_text(get_args(annotation)[0])
    if origin is dict:
        return "mapping: name -> " + _type_text(get_args(annotation)[1])
    if origin is Union:
        members = [
            get_args(m)[0] if hasattr(m, "__metadata__") else m for m in get_args(annotation)
        ]
        return " or ".join(_type_text(m) for m in members)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"mapping ({annotation.__name__})"
    if annotation is str and any(getattr(m, "pattern", None) for m in metadata):
        return "name (letters, digits, _)"
    return {int: "whole number", float: "number", str: "text", bool: "true/false"}.get(
        annotation, str(annotation)
    )


def _default_text(info: FieldInfo) -> str:
    if info.is_required():
        return "required"
    extra = info.json_schema_extra
    if isinstance(extra, dict) and "default" in extra:
        return f"`{json.dumps(extra['default'])}`"
    if info.default_factory is not None:
        value = info.default_factory()  # type: ignore[call-arg]
        if isinstance(value, BaseModel):
            return "model defaults"
        return f"`{json.dumps(value)}`"
    if info.default is None or info.default is PydanticUndefined:
        return "none"
    if isinstance(info.default, str):
        return f"`{json.dumps(info.default)}`"
    return f"`{_number(info.default)}`"


def _bounds(info: FieldInfo) -> str:
    low = high = ""
    sizes = []
    text_like = _base(info.annotation) is str
    unit = "character" if text_like else "entry"
    for meta in info.metadata:
        for attr, side in (("ge", "["), ("gt", "("), ("le", "]"), ("lt", ")")):
            bound = getattr(meta, attr, None)
            if bound is not None:
                text = f"{bound:g}" if isinstance(bound, float) else str(bound)
                if side in "[(":
                    low = side + text
                else:
                    high = text + side
        for attr, word in (("min_length", "at least"), ("max_length", "at most")):
            bound = getattr(meta, attr, None)
            if bound is not None:
                plural = {"character": "characters", "entry": "entries"}[unit]
                sizes.append(f"{word} {bound} {unit if bound == 1 else plural}")
    if low or high:
        return f"{low or '(-inf'}, {high or 'inf)'}"
    return "; ".join(sizes)


def _base(annotation: Any) -> Any:
    while hasattr(annotation, "__metadata__"):
        annotation = get_args(annotation)[0]
    return annotation


def _model_rows(model: type[BaseModel]) -> list[list[str]]:
    rows = []
    for name, info in model.model_fields.items():
        key = info.alias or name
        rows.append(
            [
                f"`{key}`",
                _type_text(info.annotation, tuple(info.metadata)),
                _default_text(info),
                _bounds(info),
                info.description or "",
            ]
        )
    return rows


def _parameter_rows(cls: type, prefix: str) -> list[list[str]]:
    rows = []
    for f in field_kinds(cls):
        if cls is Offer and f.name == "name":
            continue
        rows.append(_parameter_row(f, prefix))
    return rows


def _parameter_row(f: FieldKind, prefix: str) -> list[str]:
    if f.kind == "parameter":
        spec = f.spec
        assert spec is not None
        range_text = spec.range_text()
        presets = presets_for(spec)
        if presets:
            range_text += " or an arrangement name"
        return [
            f"`{f.name}`",
            f"`{prefix}{f.name}`",
            f"`{_number(spec.default)}`",
            range_text,
            spec.unit,
            spec.description,
        ]
    if f.kind == "section":
        return [f"`{f.name}`", "", "model defaults", "mapping", "", "see below"]
    if f.kind == "list":
        default = ", ".join(getattr(item, "name", "") for item in f.default)
        return [f"`{f.name}`", "", f"one named `{default}`", "list of mappings", "", f.note]
    if f.kind == "choice":
        choices = ", ".join(f"`{c}`" for c in f.choices)
        return [f"`{f.name}`", f"`{prefix}{f.name}`", f"`{f.default}`", choices, "", f.note]
    if f.kind == "flag":
        return [f"`{f.name}`", "", f"`{_number(f.default)}`", "true/false", "", f.note]
    default = "required" if f.default is None else f"`{f.default}`"
    return [f"`{f.name}`", "", default, "text", "", f.note]


_PARAMETER_HEADER = ["key", "dotted name", "default", "range", "unit", "meaning"]
_OPTION_HEADER = ["key", "type", "default", "range", "meaning"]


def _actor_sections() -> list[str]:
    lines: list[str] = []

    def walk(cls: type, path: str, dotted: str) -> None:
        lines.append(f"### `{path}`")
        lines.append("")
        doc = " ".join((cls.__doc__ or "").strip().split("\n\n")[0].split()).replace("``", "`")
        if cls is NegotiationModel:
            doc = "Parameters of the whole model, written directly under `actors`."
        lines.append(doc)
        lines.append("")
        lines.extend(_table(_PARAMETER_HEADER, _parameter_rows(cls, dotted)))
        for f in field_kinds(cls):
            if f.kind == "section":
                walk(f.cls, f"{path}.{f.name}", f"{dotted}{f.name}.")  # type: ignore[arg-type]
            elif f.kind == "list":
                walk(
                    f.cls,
                    f"{path}.{f.name}[]",  # type: ignore[arg-type]
                    f"{dotted}{f.name}.<name>.",
                )

    walk(NegotiationModel, "actors", "")
    return lines


# ---------------------------------------------------------------------- the reference
_INTRO = """\
# Scenario file reference

<!-- Generated by simulator.scenario.scenario_reference_markdown() from the model's
parameter declarations. Do not edit by hand: tests/test_scenario_schema.py checks that
this file equals the generated text. Regenerate with
python -c "from simulator.scenario import scenario_reference_markdown as m; print(m(), end='')"
> docs/scenario-reference.md -->

A scenario file is a YAML file that states the actors' payoff parameters, the offers on
the table, the strategy profiles to compare and the analyses to run. Everything except
`title` and one offer is optional: a parameter you leave out keeps the model default
listed below. `simulator validate FILE` lists every problem with its file, line, field,
value and what is allowed; `simulator schema` prints the JSON Schema for editor
completion; `simulator new NAME` writes a commented starter file.

## A minimal file

```yaml
title: Neutrality for security guarantees
offers:
  neutrality_for_guarantees: {alignment: neutrality_with_eu, security_guarantees: 0.7}
```

## Writing values

- **Numbers** are written plainly: `0.25`, `3`, `1e-3`. A number in quotes (`"0.25"`) is
  text and is rejected. `.nan` and `.inf` are rejected.
- **Formulas.** Any numeric parameter under `actors` or `offers` may be a formula: text
  starting with `=`, e.g. `sanctions_cost: "=0.5 * russia.war_cost + 0.02"`. See
  [Formulas](#formulas).
- **Arrangements.** Alignment-valued parameters (`alignment` of an offer, Russia's
  `dominance_threshold`) also accept these names:
"""

_VALUES_TAIL = """\
- **Dotted parameter names** name a parameter in formulas, sweeps and uncertain
  parameters: `russia.war_cost`, `russia.leader.punishment`, `west.western_cohesion`,
  `west.governments.<government name>.sanctions_burden`, `contest_exponent`, and
  `offers.<offer>.<field>` for offers (the *dotted name* column below). In Python,
  `Scenario.with_params` takes the same names.
- **`extends: other.yaml`** starts from another scenario file (path relative to this
  one). Mappings merge key by key, this file's values win; lists (governments, analyses,
  figures) are replaced as a whole. Chains of files are allowed, cycles are reported, and
  problems name the file where the bad value is written.
- **Plain YAML only.** Tags such as `!!python/object`, custom `!tags`, dates and merge
  keys (`<<`) are rejected; so are duplicate keys. Keys are read as written (`no:` is the
  name `no`). Unquoted `yes`/`no`/`on`/`off` are true/false, as in YAML 1.1.
"""


def _formula_section() -> list[str]:
    lines = [
        "## Formulas",
        "",
        "A formula is text starting with `=` whose value is computed from other parameters "
        "(by their dotted names). Formulas may use other formulas; a cycle (`a` uses `b`, "
        "`b` uses `a`) is an error. The result must lie in the parameter's range. In Python, "
        "`Scenario.with_params` re-evaluates formulas, so a formula keeps following the "
        "parameters it reads (a parameter you set yourself stops being a formula).",
        "",
        "- numbers, dotted parameter names (a government name that is not a single word is "
        "written with `_` for spaces, e.g. `west.governments.United_States.weight`);",
        "- arithmetic `+ - * / **` and unary `-`; comparisons `< <= > >= == !=` "
        "(true counts as 1, false as 0); `and`, `or`, `not`; `x if condition else y`;",
        "- the functions below. Nothing else: no attribute access, subscripts, text, "
        "lambdas or comprehensions, and no names starting with `_`.",
        f"- at most {MAX_LENGTH} characters; exponents at most {MAX_EXPONENT:g} in size.",
        "",
    ]
    rows = [
        [f"`{name}`", f"{lo}" if lo == hi else f"{lo} to {hi}", text]
        for name, (_fn, lo, hi, text) in FUNCTIONS.items()
    ]
    lines += _table(["function", "arguments", "meaning"], rows)
    return lines


def scenario_reference_markdown() -> str:
    """The scenario-file reference in Markdown, generated from the parameter specs.

    Returns
    -------
    str
        The whole reference page: keys, defaults, ranges and units of every section.

    Examples
    --------
    >>> text = scenario_reference_markdown()
    >>> text.startswith("# Scenario file reference")
    True
    >>> "| `war_cost` | `russia.war_cost` | `0.1` | [0, 10] |" in text
    True
    """
    lines = [_INTRO.rstrip("\n"), ""]
    lines += _table(
        ["name", "alignment"],
        [[f"`{k}`", _number(v)] for k, v in ALIGNMENT_PRESETS.items()],
    )
    lines += [_VALUES_TAIL.rstrip("\n"), ""]
    lines += ["## Top-level keys", ""]
    lines += _table(_OPTION_HEADER, _model_rows(ScenarioFile))
    lines += ["## Actors", ""]
    lines += _actor_sections()
    lines += [
        "## Offers",
        "",
        "`offers` maps each offer's name (letters, digits and `_`) to its terms. The "
        "first offer is the default offer of every analysis.",
        "",
    ]
    lines += ["### `offers.<name>`", ""]
    lines += _table(_PARAMETER_HEADER, _parameter_rows(Offer, "offers.<name>."))
    lines += [
        "## Dynamics",
        "",
        "`dynamics` sets how the multi-period simulation behind `compare` analyses runs "
        "(see `docs/dynamics.md`).",
        "",
    ]
    lines += _table(_PARAMETER_HEADER, _parameter_rows(DynamicsSettings, "dynamics."))
    lines += [
        "## Buy-time game",
        "",
        "`buy_time` sets how the buy-time game of `compare` analyses is played and "
        "discretised (see `docs/buy_time.md`); its horizon is each analysis's `periods`. "
        "`ceasefire` (true or false, default true): whether Ukraine may grant a ceasefire "
        "during talks.",
        "",
    ]
    lines += _table(
        _PARAMETER_HEADER,
        [r for r in _parameter_rows(BuyTimeSettings, "buy_time.") if r[0] != "`periods`"],
    )
    lines += [
        "## Strategies",
        "",
        "`strategies` maps a profile name to what each actor does; a key left out keeps "
        "the model default.",
        "",
    ]
    lines += _table(_OPTION_HEADER, _model_rows(StrategyModel))
    lines += [
        "These profiles are built in and may be compared without defining them (a file may "
        "redefine them):",
        "",
    ]
    lines += _table(
        ["profile", "russia", "west", "ukraine"],
        [
            [f"`{name}`", f"`{p.russia}`", f"`{p.west}`", f"`{p.ukraine}`"]
            for name, p in DEFAULT_STRATEGIES.items()
        ],
    )
    for actor, options in (
        ("russia", RUSSIA_STRATEGIES),
        ("west", WEST_STRATEGIES),
        ("ukraine", UKRAINE_STRATEGIES),
    ):
        lines += [f"### `{actor}`", ""]
        lines += _table(["choice", "meaning"], [[f"`{k}`", v] for k, v in options.items()])
    lines += [
        "## Analyses",
        "",
        "`analyses` is a list; each item names its kind with one key (`solve`, "
        "`compare`, `sweep` or `monte_carlo`) next to that kind's options, e.g.",
        "",
        "```yaml",
        "analyses:",
        "  - solve: offer_game",
        "  - compare: [buy_time, genuine_compromise]",
        "    periods: 24",
        "    runs: 10000",
        "    uncertain:",
        "      russia.regroup_rate_staller: {distribution: beta, mean: 0.25, sd: 0.08}",
        "  - sweep:",
        "      russia.great_power_status: {from: 0, to: 3, steps: 61}",
        "      west.western_cohesion: {from: 0, to: 1, steps: 41}",
        "    show: regime_map",
        "  - monte_carlo:",
        "      russia.prior_sincere: {distribution: uniform, low: 0.2, high: 0.8}",
        "    runs: 5000",
        "```",
        "",
    ]
    for kind, model in ANALYSIS_MODELS.items():
        lines += [f"### `{kind}`", "", " ".join((model.__doc__ or "").split()), ""]
        lines += _table(_OPTION_HEADER, _model_rows(model))
    lines += ["#### `solve` targets", ""]
    lines += _table(["target", "meaning"], [[f"`{k}`", v] for k, v in SOLVE_TARGETS.items()])
    lines += [
        "#### `sweep` axes and `show`",
        "",
        "Each swept parameter (a dotted name) maps to evenly spaced values; `from` and "
        "`to` must lie in the parameter's range.",
        "",
    ]
    from simulator.scenario.schema import AxisModel

    lines += _table(_OPTION_HEADER, _model_rows(AxisModel))
    lines += _table(["show", "meaning"], [[f"`{k}`", v] for k, v in SWEEP_SHOWS.items()])
    lines += [
        "#### Distributions of uncertain parameters",
        "",
        "Each uncertain parameter (a dotted name) maps to a distribution; draws always "
        "stay inside the parameter's valid range.",
        "",
    ]
    lines += _table(
        ["distribution", "keys", "notes"],
        [[f"`{k}`", keys, notes] for k, (keys, notes) in DISTRIBUTIONS.items()],
    )
    for model in (BetaModel, UniformModel, NormalModel):
        lines += [f"`{model.__name__}`:", ""]
        lines += _table(_OPTION_HEADER, _model_rows(model))
    lines += ["## Figures", ""]
    lines += _table(["figure", "meaning"], [[f"`{k}`", v] for k, v in FIGURES.items()])
    lines += _table(["format", "meaning"], [[f"`{k}`", v] for k, v in FIGURE_FORMATS.items()])
    lines += _formula_section()
    lines += [
        "## Limits",
        "",
        f"Files are at most 1,000,000 characters and {MAX_DEPTH} levels deep; the "
        "bounds of `periods`, `runs` and `steps` are listed with each analysis.",
        "",
    ]
    return "\n".join(lines).rstrip("\n") + "\n"


# ---------------------------------------------------------------------- the starter file
def _comment(f: FieldKind) -> str:
    spec = f.spec
    assert spec is not None
    return f"{spec.description}; {spec.unit}; range {spec.range_text()}"


def _param_lines(cls: type, indent: int, skip: tuple[str, ...] = ()) -> list[str]:
    pad = " " * indent
    entries: list[tuple[str, str]] = []
    for f in field_kinds(cls):
        if f.kind == "parameter" and f.name not in skip:
            entries.append(
                (
                    f"{pad}{f.name}: {_number(f.spec.default)}",  # type: ignore[union-attr]
                    _comment(f),
                )
            )
    return [_line(text, comment) for text, comment in entries]


_COMMENT_COLUMN = 36


def _line(text: str, comment: str) -> str:
    """``text`` with ``# comment`` aligned at a common column."""
    return f"{text.ljust(_COMMENT_COLUMN - 2)}  # {comment}"


def starter_scenario(name: str, extends: str | None = None) -> str:
    """A commented starter scenario file for ``simulator new NAME``.

    Every actor parameter is written out with its model default, unit and range, so a
    student edits values rather than looking up keys. The text is a valid scenario.
    ``extends`` (a path, relative to the new file, of a scenario that exists) is offered as a
    commented-out ``extends:`` line; without it the line is left out.

    Parameters
    ----------
    name : str
        The scenario's name: shown in the first comment (printable characters, at most
        100) and turned into the title (``_`` and ``-`` as spaces, capitalised;
        ``"New scenario"`` when nothing is left).
    extends : str, optional
        A path, relative to the new file, of an existing scenario to offer as a
        commented-out ``extends:`` line.

    Returns
    -------
    str
        The YAML text of the file.

    Examples
    --------
    >>> from simulator.scenario import parse_scenario
    >>> text = starter_scenario("spring_2022")
    >>> text.splitlines()[0]
    '# spring_2022: a scenario for the strategic-negotiation simulator.'
    >>> parse_scenario(text).title
    'Spring 2022'
    """
    # Comments and titles hold printable characters only (YAML rejects control characters).
    shown = " ".join("".join(c for c in str(name) if c.isprintable()).split())[:100]
    title = " ".join(shown.replace("_", " ").replace("-", " ").split()).capitalize()
    title = title[:200] or "New scenario"
    offer = Offer.neutrality_for_guarantees()
    lines = [
        f"# {shown}: a scenario for the strategic-negotiation simulator.",
        "# Every key is explained in docs/scenario-reference.md. Check this file with",
        "#   simulator validate FILE",
        "# Values left out keep the model defaults shown here. A numeric value may be a",
        '# formula over other parameters, e.g. sanctions_cost: "=0.5 * russia.war_cost".',
        "",
        f"title: {json.dumps(title, ensure_ascii=False)}",
        "description: >",
        "  What question does this scenario ask? (Replace this text.)",
        _line("seed: 0", "seed for every random draw"),
        *(
            [_line(f"# extends: {extends}", "uncomment to start from it and override values")]
            if extends
            else []
        ),
        "",
        "actors:",
        "  russia:",
        *_param_lines(type(NegotiationModel().russia), 4),
        "    leader:",
        *_param_lines(type(NegotiationModel().russia.leader), 6),
        "  ukraine:",
        *_param_lines(type(NegotiationModel().ukraine), 4),
        "  west:",
        _line("    aggregation: sum", "sum | weakest_link (sanctions need unanimity) | threshold"),
        *_param_lines(type(NegotiationModel().west), 4),
        _line("    governments:", "one entry per government, each with a unique name"),
        "      - name: West",
        *_param_lines(type(NegotiationModel().west.governments[0]), 8),
        *_param_lines(NegotiationModel, 2),
        "",
        _line("offers:", "at least one; the first is the default offer of analyses"),
        f"  {offer.name}:",
        _line(
            "    alignment: neutrality_with_eu",
            f"a number in [0, 1] or one of {', '.join(ALIGNMENT_PRESETS)}",
        ),
        f"    security_guarantees: {_number(offer.security_guarantees)}",
        f"    territory: {_number(offer.territory)}",
        f"    sanctions_relief: {_number(offer.sanctions_relief)}",
        _line(
            f"    withdrawal_cost: {_number(offer.withdrawal_cost)}",
            "> 0 makes the offer a costly, verifiable step",
        ),
        f"    eu_membership: {_number(offer.eu_membership)}",
        f"    nato_membership: {_number(offer.nato_membership)}",
        f"    foreign_bases: {_number(offer.foreign_bases)}",
        "",
        _line("strategies:", f"built in: {', '.join(DEFAULT_STRATEGIES)}"),
        "  talk_and_fight: {russia: buy_time, west: hold, ukraine: talk_while_fighting}",
        "",
        _line("dynamics:", "how the multi-period simulation of 'compare' runs"),
        *_param_lines(DynamicsSettings, 2),
        _line(
            f"  terminal_value: {_number(DynamicsSettings().terminal_value)}",
            _FIELD_NOTE_TERMINAL,
        ),
        "",
        "analyses:",
        "  - solve: offer_game",
        "  - compare: [buy_time, genuine_compromise, talk_and_fight]",
        "    runs: 1000",
        "    uncertain:",
        "      russia.regroup_rate_staller: {distribution: beta, mean: 0.25, sd: 0.08}",
        "  - sweep:",
        "      russia.great_power_status: {from: 0, to: 3, steps: 31}",
        "      west.western_cohesion: {from: 0, to: 1, steps: 21}",
        "    show: regime_map",
        "",
        "figures: [regime_map, bargaining_range, paths, payoffs]",
        "figure_formats: [png, svg]",
    ]
    return "\n".join(lines) + "\n"
