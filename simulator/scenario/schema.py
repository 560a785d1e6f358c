"""The scenario-file schema, derived from the model's parameter declarations.

Nothing about a parameter is written here: its name, range, unit, default and meaning
come from the ``parameter(...)`` declarations of the model's dataclasses
(:func:`simulator.model.parameters.parameter_specs`), and the structure of the
``actors`` section follows the fields of :class:`NegotiationModel` itself (nested
dataclasses become nested mappings, a tuple of governments becomes a list). From these
the module builds pydantic models (``pydantic.create_model`` with ``Field(ge/gt/le/lt)``
and ``extra="forbid"``), which both validate documents and export the JSON Schema that
editors use for completion. Strict mode is on: ``"0.5"`` in quotes is text, not a number.

A numeric parameter may also be written as a formula (text starting with ``=``) or,
for alignment-valued parameters, as the name of an arrangement such as
``neutrality_with_eu``; the loader replaces both by numbers before validation, and the
JSON Schema accepts all three forms.
"""

from __future__ import annotations

import dataclasses
import math
import types
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin, get_type_hints

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, WithJsonSchema, create_model
from pydantic.fields import FieldInfo

from simulator.model.actors import West, WesternGovernment
from simulator.model.buy_time_setup import BuyTimeSettings
from simulator.model.dynamics import DynamicsSettings, StrategyProfile
from simulator.model.negotiation import NegotiationModel
from simulator.model.offers import ALIGNMENT_PRESETS, INDUCEMENT, Offer
from simulator.model.parameters import ParameterSpec, parameter_specs
from simulator.scenario.objects import (
    DISTRIBUTIONS,
    FIGURE_FORMATS,
    FIGURES,
    MAX_AXES,
    MAX_PERIODS,
    MAX_RUNS,
    MAX_STEPS,
    MIN_STEPS,
    PERIODS_SPEC,
    RUSSIA_STRATEGIES,
    SOLVE_TARGETS,
    SWEEP_SHOWS,
    UKRAINE_STRATEGIES,
    WEST_STRATEGIES,
)

__all__ = [
    "ANALYSIS_KINDS",
    "FORMULA_PATTERN",
    "IDENTIFIER_PATTERN",
    "FieldKind",
    "Located",
    "ScenarioFile",
    "field_kinds",
    "locate",
    "parameter_spec_of",
    "presets_for",
    "scenario_json_schema",
    "section_model",
]

IDENTIFIER_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"
FORMULA_PATTERN = r"^\s*="
ANALYSIS_KINDS = ("solve", "compare", "sweep", "monte_carlo")
MAX_NAME = 64
MAX_GOVERNMENTS = 60
MAX_OFFERS = 50
MAX_UNCERTAIN = 50
MAX_ANALYSES = 100
CONFIG = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)

Identifier = Annotated[str, Field(pattern=IDENTIFIER_PATTERN, max_length=MAX_NAME)]

_ALIGNMENT_UNIT = next(s.unit for s in parameter_specs(Offer) if s.name == "alignment")

# Fields of the model's dataclasses that are not numeric parameters carry no
# ParameterSpec; these notes document them in the schema.
_FIELD_NOTES: dict[tuple[type, str], str] = {
    (West, "aggregation"): "how members' support becomes coalition pressure: 'sum' (weighted "
    "sum, e.g. arms supplies), 'weakest_link' (the least committed member decides, e.g. "
    "sanctions needing unanimity) or 'threshold' (pressure holds while the supporting "
    "weight share reaches cohesion_threshold)",
    (West, "governments"): "the Western governments in the coalition, each with a unique name",
    (WesternGovernment, "name"): "the government's name, unique in the coalition (no dots)",
    (Offer, "eu_membership"): "whether the deal allows Ukraine to join the EU",
    (Offer, "nato_membership"): "whether the deal allows Ukraine to join NATO",
    (Offer, "foreign_bases"): "whether the deal allows foreign military bases in Ukraine",
    (Offer, "inducements"): "inducements aimed at particular Western governments (the wedge): "
    f"government name -> {INDUCEMENT.description}, in {INDUCEMENT.range_text()}",
    (BuyTimeSettings, "ceasefire"): "whether Ukraine may grant a ceasefire during talks "
    "(false: talks go on while fighting, as in the offer game)",
    (DynamicsSettings, "terminal_value"): "whether the final state's per-period payoffs "
    "(without war costs) continue for ever after the last period",
}


@dataclass(frozen=True)
class FieldKind:
    """How one field of a model dataclass appears in a scenario file.

    ``kind`` is ``"parameter"`` (a range-checked number with a :class:`ParameterSpec`),
    ``"section"`` (a nested dataclass: a mapping), ``"list"`` (a tuple of named
    dataclasses: a list of mappings), ``"choice"`` (a ``Literal``), ``"flag"`` (a bool),
    ``"amounts"`` (names mapped to amounts: an offer's inducements) or ``"text"``.

    Attributes
    ----------
    name : str
        The field's name, as written in a scenario file.
    kind : str
        One of the kinds above.
    spec : ParameterSpec or None
        The parameter's meaning, unit, range and default (``"parameter"`` only).
    cls : type or None
        The nested dataclass (``"section"``), or the class of the list's items (``"list"``).
    choices : tuple of str
        The values allowed (``"choice"`` only).
    default : Any
        The field's default: the parameter's, the list's items, ``{}`` for ``"amounts"``;
        ``None`` for a section or where there is none.
    note : str
        What a field that is not a parameter means (``""`` for parameters).
    """

    name: str
    kind: str
    spec: ParameterSpec | None = None
    cls: type | None = None
    choices: tuple[str, ...] = ()
    default: Any = None
    note: str = ""


@cache
def field_kinds(cls: type) -> tuple[FieldKind, ...]:
    """The scenario-file view of every field of a model dataclass.

    Examples
    --------
    >>> [(f.name, f.kind) for f in field_kinds(NegotiationModel)]  # doctest: +NORMALIZE_WHITESPACE
    [('russia', 'section'), ('ukraine', 'section'), ('west', 'section'),
     ('territory_weight', 'parameter'), ('contest_exponent', 'parameter')]
    """
    hints = get_type_hints(cls)
    specs = {s.name: s for s in parameter_specs(cls)}
    out = []
    for f in dataclasses.fields(cls):
        hint = hints[f.name]
        note = _FIELD_NOTES.get((cls, f.name), "")
        default = f.default if f.default is not dataclasses.MISSING else None
        if f.name in specs:
            out.append(FieldKind(f.name, "parameter", spec=specs[f.name], default=default))
        elif dataclasses.is_dataclass(hint):
            out.append(FieldKind(f.name, "section", cls=hint, note=note))
        elif get_origin(hint) is tuple and dataclasses.is_dataclass(get_args(hint)[0]):
            defaults = f.default_factory() if f.default_factory is not dataclasses.MISSING else ()
            out.append(
                FieldKind(f.name, "list", cls=get_args(hint)[0], default=defaults, note=note)
            )
        elif get_origin(hint) is Literal:
            out.append(
                FieldKind(f.name, "choice", choices=get_args(hint), default=default, note=note)
            )
        elif hint is bool:
            out.append(FieldKind(f.name, "flag", default=default, note=note))
        elif hint is str:
            out.append(FieldKind(f.name, "text", default=default, note=note))
        elif hint == tuple[tuple[str, float], ...]:
            out.append(FieldKind(f.name, "amounts", default={}, note=note))
        else:  # pragma: no cover - a new kind of model field needs a schema rule
            raise TypeError(f"no scenario-file rule for {cls.__name__}.{f.name}: {hint}")
    return tuple(out)


def presets_for(spec: ParameterSpec) -> dict[str, float]:
    """Named values a parameter accepts besides numbers (alignment arrangements).

    Parameters
    ----------
    spec : ParameterSpec
        The parameter's spec.

    Returns
    -------
    dict of str to float
        :data:`~simulator.model.offers.ALIGNMENT_PRESETS` (a copy) for a parameter measured
        in alignment, else an empty dict.

    Examples
    --------
    >>> presets_for(next(s for s in parameter_specs(Offer) if s.name == "alignment"))
    {'russian_sphere': 0.0, 'neutrality': 0.3, 'neutrality_with_eu': 0.6, 'nato_membership': 1.0}
    """
    return dict(ALIGNMENT_PRESETS) if spec.unit == _ALIGNMENT_UNIT else {}


def _describe(spec: ParameterSpec) -> str:
    return f"{spec.description} (unit: {spec.unit}; range {spec.range_text()})"


def _parameter_field(spec: ParameterSpec) -> tuple[Any, FieldInfo]:
    base: type = int if spec.integer else float
    bounds: dict[str, float] = {}
    number: dict[str, Any] = {"type": "integer" if spec.integer else "number"}
    if math.isfinite(spec.low):
        bounds["gt" if spec.low_open else "ge"] = spec.low
        number["exclusiveMinimum" if spec.low_open else "minimum"] = spec.low
    if math.isfinite(spec.high):
        bounds["lt" if spec.high_open else "le"] = spec.high
        number["exclusiveMaximum" if spec.high_open else "maximum"] = spec.high
    forms: list[dict[str, Any]] = [number]
    presets = presets_for(spec)
    if presets:
        forms.append({"enum": list(presets), "description": "a named arrangement"})
    forms.append(
        {
            "type": "string",
            "pattern": FORMULA_PATTERN,
            "description": "a formula over other parameters, e.g. '=0.5 * russia.war_cost'",
        }
    )
    annotation = Annotated[base, Field(**bounds), WithJsonSchema({"anyOf": forms})]
    return annotation, Field(default=spec.default, description=_describe(spec))


_PARAMETER_SPECS: dict[tuple[type, str], ParameterSpec] = {}


@cache
def section_model(cls: type, title: str | None = None) -> type[BaseModel]:
    """The pydantic model of a model dataclass as a scenario-file mapping (cached).

    Examples
    --------
    >>> from simulator.model import Leader
    >>> section_model(Leader).model_validate({"punishment": 5.0}).punishment
    5.0
    """
    fields: dict[str, Any] = {}
    for f in field_kinds(cls):
        if cls is Offer and f.name == "name":
            continue  # an offer's name is its key under 'offers'
        if f.kind == "parameter":
            fields[f.name] = _parameter_field(f.spec)  # type: ignore[arg-type]
        elif f.kind == "section":
            sub = section_model(f.cls)  # type: ignore[arg-type]
            fields[f.name] = (sub, Field(default_factory=sub, description=_section_note(f)))
        elif f.kind == "list":
            sub = section_model(f.cls)  # type: ignore[arg-type]
            default = [{"name": getattr(item, "name", "")} for item in f.default]
            fields[f.name] = (
                list[sub],  # type: ignore[valid-type]
                Field(
                    default_factory=lambda d=default: list(d),
                    min_length=1,
                    max_length=MAX_GOVERNMENTS,
                    description=f.note,
                    json_schema_extra={"default": default},
                ),
            )
        elif f.kind == "choice":
            fields[f.name] = (Literal[f.choices], Field(default=f.default, description=f.note))
        elif f.kind == "flag":
            fields[f.name] = (bool, Field(default=f.default, description=f.note))
        elif f.kind == "amounts":
            name = Annotated[str, Field(min_length=1, max_length=MAX_NAME)]
            amount = Annotated[
                float, Field(ge=INDUCEMENT.low, le=INDUCEMENT.high, allow_inf_nan=False)
            ]
            fields[f.name] = (
                dict[name, amount],  # type: ignore[valid-type]
                Field(default_factory=dict, max_length=MAX_GOVERNMENTS, description=f.note),
            )
        else:
            text = Annotated[str, Field(min_length=1, max_length=MAX_NAME)]
            if f.default is None:
                fields[f.name] = (text, Field(description=f.note))
            else:
                fields[f.name] = (text, Field(default=f.default, description=f.note))
    model = create_model(
        title or cls.__name__,
        __config__=CONFIG,
        __doc__=(cls.__doc__ or cls.__name__).strip().split("\n\n")[0],
        **fields,
    )
    for f in field_kinds(cls):
        if f.kind == "parameter":
            _PARAMETER_SPECS[(model, f.name)] = f.spec  # type: ignore[assignment]
    return model


def _section_note(f: FieldKind) -> str:
    doc = (f.cls.__doc__ or "").strip().split("\n\n")[0]  # type: ignore[union-attr]
    return " ".join(doc.split())


def parameter_spec_of(model: type[BaseModel] | None, name: str | None) -> ParameterSpec | None:
    """The ParameterSpec behind field ``name`` of a generated section model, if any.

    Parameters
    ----------
    model : pydantic model class or None
        A model built by :func:`section_model` (e.g. :attr:`Located.model`).
    name : str or None
        One of its field names (e.g. :attr:`Located.field`).

    Returns
    -------
    ParameterSpec or None
        The spec of that parameter; ``None`` when either argument is ``None``, or the field
        is not a numeric parameter of such a model.

    Examples
    --------
    >>> from simulator.model import Leader
    >>> parameter_spec_of(section_model(Leader), "punishment").range_text()
    '[0, 100]'
    """
    if model is None or name is None:
        return None
    return _PARAMETER_SPECS.get((model, name))


# ---------------------------------------------------------------------- strategies
def _choices(options: dict[str, str]) -> Any:
    return Literal[tuple(options)]


def _choice_text(options: dict[str, str]) -> str:
    return "; ".join(f"'{k}': {v}" for k, v in options.items())


_STRATEGY_CHOICES = {
    "russia": RUSSIA_STRATEGIES,
    "west": WEST_STRATEGIES,
    "ukraine": UKRAINE_STRATEGIES,
    "sincere_russia": RUSSIA_STRATEGIES,
}
_STRATEGY_NOTES = {
    "sincere_russia": "the sincere type's strategy when it differs from 'russia' (which both "
    "types play otherwise): ",
}


def _strategy_model() -> type[BaseModel]:
    """The schema of a strategy profile, from the fields of the model's StrategyProfile."""
    fields: dict[str, Any] = {}
    for f in dataclasses.fields(StrategyProfile):
        options = _STRATEGY_CHOICES[f.name]
        note = _STRATEGY_NOTES.get(f.name, "") + _choice_text(options)
        fields[f.name] = (_choices(options), Field(default=f.default, description=note))
    return create_model(
        "StrategyProfile",
        __config__=CONFIG,
        __doc__="What each actor does in this strategy profile (unset: the model default).",
        **fields,
    )


StrategyModel = _strategy_model()

# ---------------------------------------------------------------------- distributions
BetaModel = create_model(
    "BetaDistribution",
    __config__=CONFIG,
    __doc__="A beta distribution on [low, high] given by its mean and standard deviation.",
    distribution=(Literal["beta"], Field(description="the distribution's name")),
    mean=(float, Field(description="mean, in (low, high)")),
    sd=(
        float,
        Field(gt=0, description="standard deviation; sd < sqrt((mean - low) * (high - mean))"),
    ),
    low=(float, Field(default=0.0, description="lower end of the support")),
    high=(float, Field(default=1.0, description="upper end of the support (> low)")),
)
UniformModel = create_model(
    "UniformDistribution",
    __config__=CONFIG,
    __doc__="Equally likely anywhere in [low, high] (inside the parameter's range).",
    distribution=(Literal["uniform"], Field(description="the distribution's name")),
    low=(float, Field(description="smallest value")),
    high=(float, Field(description="largest value (> low)")),
)
NormalModel = create_model(
    "NormalDistribution",
    __config__=CONFIG,
    __doc__="A normal distribution truncated to [low, high] and the parameter's valid range.",
    distribution=(Literal["normal"], Field(description="the distribution's name")),
    mean=(float, Field(description="mean, inside the parameter's range and [low, high]")),
    sd=(float, Field(gt=0, le=1e6, description="standard deviation before truncation")),
    low=(float, Field(default=None, description="truncate below (default: the range's low)")),
    high=(float, Field(default=None, description="truncate above (default: the range's high)")),
)
_DISTRIBUTION_MODELS = {"beta": BetaModel, "uniform": UniformModel, "normal": NormalModel}
assert set(_DISTRIBUTION_MODELS) == set(DISTRIBUTIONS)


def _distribution_kind(value: Any) -> str | None:
    kind = value.get("distribution") if isinstance(value, dict) else None
    if isinstance(kind, str) and kind in _DISTRIBUTION_MODELS:
        return f"{kind} distribution"
    return None


Distribution = Annotated[
    Annotated[BetaModel, Tag("beta distribution")]
    | Annotated[UniformModel, Tag("uniform distribution")]
    | Annotated[NormalModel, Tag("normal distribution")],
    Discriminator(_distribution_kind),
]
Uncertain = Annotated[
    dict[str, Distribution],
    Field(max_length=MAX_UNCERTAIN),
]

# ---------------------------------------------------------------------- analyses


def _offer_option() -> tuple[Any, FieldInfo]:
    return Identifier, Field(
        default=None, description="the offer to analyse (default: the first offer)"
    )


def _runs() -> tuple[Any, FieldInfo]:
    return int, Field(default=1000, ge=1, le=MAX_RUNS, description="number of Monte Carlo runs")


AxisModel = create_model(
    "SweepAxis",
    __config__=CONFIG,
    __doc__="Evenly spaced values of one parameter.",
    start=(float, Field(alias="from", description="first value (inside the parameter's range)")),
    stop=(float, Field(alias="to", description="last value (inside the parameter's range)")),
    steps=(
        int,
        Field(ge=MIN_STEPS, le=MAX_STEPS, description="number of values, from and to included"),
    ),
)
SolveItem = create_model(
    "SolveAnalysis",
    __config__=CONFIG,
    __doc__="Solve a game for the scenario's offers and report certified equilibria.",
    solve=(_choices(SOLVE_TARGETS), Field(description=_choice_text(SOLVE_TARGETS))),
    offer=(
        Identifier,
        Field(default=None, description="the offer to solve (default: every offer)"),
    ),
)
CompareItem = create_model(
    "CompareAnalysis",
    __config__=CONFIG,
    __doc__="Solve the buy-time game and simulate strategy profiles (what-if rules) beside it.",
    compare=(
        list[Identifier],
        Field(min_length=1, max_length=20, description="names of strategy profiles to compare"),
    ),
    periods=(
        int,
        Field(
            default=None,
            ge=int(PERIODS_SPEC.low),
            le=MAX_PERIODS,
            description=f"{PERIODS_SPEC.description} (default: dynamics.periods)",
        ),
    ),
    runs=_runs(),
    uncertain=(
        Uncertain,
        Field(
            default_factory=dict,
            description="parameters drawn at random in each run: dotted name -> distribution",
        ),
    ),
    equilibrium=(
        bool,
        Field(
            default=True,
            description="whether to solve the buy-time game's equilibrium beside the what-if "
            "rules (false: the what-if rules alone)",
        ),
    ),
    offer=_offer_option(),
)
SweepItem = create_model(
    "SweepAnalysis",
    __config__=CONFIG,
    __doc__="Solve on a grid of one or two parameters.",
    sweep=(
        dict[str, AxisModel],  # type: ignore[valid-type]
        Field(
            min_length=1,
            max_length=MAX_AXES,
            description="one or two dotted parameter names -> {from, to, steps}",
        ),
    ),
    show=(
        _choices(SWEEP_SHOWS),
        Field(default="regime_map", description=_choice_text(SWEEP_SHOWS)),
    ),
    offer=_offer_option(),
)
MonteCarloItem = create_model(
    "MonteCarloAnalysis",
    __config__=CONFIG,
    __doc__="Solve many times with uncertain parameters drawn at random.",
    monte_carlo=(
        Annotated[dict[str, Distribution], Field(min_length=1, max_length=MAX_UNCERTAIN)],
        Field(description="dotted parameter name -> distribution"),
    ),
    runs=_runs(),
    offer=_offer_option(),
)
ANALYSIS_MODELS: dict[str, type[BaseModel]] = {
    "solve": SolveItem,
    "compare": CompareItem,
    "sweep": SweepItem,
    "monte_carlo": MonteCarloItem,
}


def _analysis_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        kinds = [k for k in ANALYSIS_KINDS if k in value]
        if len(kinds) == 1:
            return f"{kinds[0]} analysis"
    return None


Analysis = Annotated[
    Annotated[SolveItem, Tag("solve analysis")]
    | Annotated[CompareItem, Tag("compare analysis")]
    | Annotated[SweepItem, Tag("sweep analysis")]
    | Annotated[MonteCarloItem, Tag("monte_carlo analysis")],
    Discriminator(_analysis_kind),
]

# ---------------------------------------------------------------------- the file
ActorsModel = section_model(NegotiationModel, "Actors")
OfferModel = section_model(Offer)
DynamicsModel = section_model(DynamicsSettings, "Dynamics")
BuyTimeModel = section_model(BuyTimeSettings, "BuyTime")

#: The description of a scenario file in its JSON Schema: the first line of the docstring
#: below (pydantic would otherwise put the whole docstring there).
_SCENARIO_SUMMARY = "A scenario for the strategic-negotiation simulator."

ScenarioFile = create_model(
    "Scenario",
    __config__=ConfigDict(**CONFIG, json_schema_extra={"description": _SCENARIO_SUMMARY}),
    __doc__=_SCENARIO_SUMMARY
    + """

    The pydantic model of a scenario file (a YAML or JSON document); its fields are the
    file's top-level keys. Strict: unknown keys are refused and ``"0.5"`` in quotes is text.

    Attributes
    ----------
    title : str
        A one-line name for the scenario (1 to 200 characters; required).
    description : str
        The question the scenario asks (at most 20,000 characters; default empty).
    seed : int
        Seed for every random draw, in ``[0, 2^32 - 1]`` (default 0).
    extends : str or None
        Another scenario file (path relative to this one) to start from; this file's values
        override it (default none).
    actors : Actors
        The actors' payoff parameters (:class:`~simulator.model.NegotiationModel` as a
        mapping); anything left out keeps the model default.
    offers : dict of str to Offer
        The offers on the table, by name (an identifier): 1 to 50 of them; required.
    dynamics : Dynamics
        How the multi-period simulation of ``compare`` analyses runs
        (:class:`~simulator.model.dynamics.DynamicsSettings` as a mapping).
    buy_time : BuyTime
        How the buy-time game of ``compare`` analyses is played and discretised
        (:class:`~simulator.model.buy_time_setup.BuyTimeSettings` as a mapping; its horizon
        is the analysis's periods).
    strategies : dict of str to StrategyProfile
        Strategy profiles by name; ``buy_time`` and ``genuine_compromise`` are built in.
    analyses : list
        What to compute: at most 100 ``solve``, ``compare``, ``sweep`` and ``monte_carlo``
        analyses, in order.
    figures : list of str
        Briefing figures to draw, among ``regime_map``, ``bargaining_range``, ``paths``,
        ``payoffs``, ``equilibrium_paths`` and ``settlement_timing`` (default none).
    figure_formats : list of str
        File formats of the figures, among ``png``, ``svg`` and ``pdf`` (default
        ``["png", "svg"]``).
    """,
    title=(
        str,
        Field(min_length=1, max_length=200, description="a one-line name for the scenario"),
    ),
    description=(
        str,
        Field(default="", max_length=20000, description="the question the scenario asks"),
    ),
    seed=(
        int,
        Field(default=0, ge=0, le=2**32 - 1, description="seed for every random draw"),
    ),
    extends=(
        str,
        Field(
            default=None,
            description="another scenario file (path relative to this one) to start from; "
            "this file's values override it",
        ),
    ),
    actors=(
        ActorsModel,
        Field(
            default_factory=ActorsModel,
            description="the actors' payoff parameters; anything left out keeps the model default",
        ),
    ),
    offers=(
        dict[Identifier, OfferModel],  # type: ignore[valid-type]
        Field(
            min_length=1,
            max_length=MAX_OFFERS,
            description="the offers on the table, by name (at least one)",
        ),
    ),
    dynamics=(
        DynamicsModel,
        Field(
            default_factory=DynamicsModel,
            description="how the multi-period simulation of 'compare' analyses runs",
        ),
    ),
    buy_time=(
        BuyTimeModel,
        Field(
            default_factory=BuyTimeModel,
            description="how the buy-time game of 'compare' analyses is played and discretised "
            "(its horizon is the analysis's periods)",
        ),
    ),
    strategies=(
        dict[Identifier, StrategyModel],  # type: ignore[valid-type]
        Field(
            default_factory=dict,
            description="strategy profiles by name; buy_time and genuine_compromise are built in",
        ),
    ),
    analyses=(
        list[Analysis],
        Field(default_factory=list, max_length=MAX_ANALYSES, description="what to compute"),
    ),
    figures=(
        list[_choices(FIGURES)],  # type: ignore[misc]
        Field(
            default_factory=list,
            max_length=len(FIGURES),
            description="briefing figures to draw: " + _choice_text(FIGURES),
        ),
    ),
    figure_formats=(
        list[_choices(FIGURE_FORMATS)],  # type: ignore[misc]
        Field(
            default_factory=lambda: ["png", "svg"],
            min_length=1,
            max_length=len(FIGURE_FORMATS),
            description="file formats of the figures",
            json_schema_extra={"default": ["png", "svg"]},
        ),
    ),
)


# ---------------------------------------------------------------------- locating errors
@dataclass(frozen=True)
class Located:
    """Where a pydantic error location points in the document and in the schema.

    Attributes
    ----------
    path : tuple
        Document path (keys and list indices; union tags removed).
    model : pydantic model class or None
        The model owning the last key of ``path``.
    field : str or None
        That key's field name in ``model`` (None for an unknown key).
    info : FieldInfo or None
    annotation : Any
        The type expected at ``path``.
    allowed : tuple of str
        Keys the enclosing mapping accepts (for unknown keys).
    is_key : bool
        The error is about a mapping key (a name), not a value.
    """

    path: tuple[Any, ...]
    model: type[BaseModel] | None = None
    field: str | None = None
    info: FieldInfo | None = None
    annotation: Any = None
    allowed: tuple[str, ...] = ()
    is_key: bool = False


def _unwrap(tp: Any) -> tuple[Any, list[Any]]:
    meta: list[Any] = []
    while get_origin(tp) is Annotated:
        args = get_args(tp)
        tp, meta = args[0], meta + list(args[1:])
    return tp, meta


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def locate(loc: tuple[Any, ...], root: type[BaseModel] | None = None) -> Located:
    """Follow a pydantic error location through the schema.

    Parameters
    ----------
    loc : tuple
        A pydantic error's ``loc``: keys, list indices, union tags (``"sweep analysis"``) and
        ``"[key]"`` for an error about a mapping's key.
    root : pydantic model class, optional
        The model the location starts from (default :data:`ScenarioFile`).

    Returns
    -------
    Located
        The document path (union tags removed), the model and field the location ends at,
        the type expected there and, for an unknown key, the keys allowed instead. Where the
        location leads off the schema, the part that could be followed.

    Examples
    --------
    >>> hit = locate(("analyses", 0, "sweep analysis", "sweep", "x", "from"))
    >>> hit.path, hit.field
    (('analyses', 0, 'sweep', 'x', 'from'), 'start')
    >>> locate(("actors", "russia", "war_cots")).allowed[:2]
    ('great_power_status', 'dominance_threshold')
    """
    tp: Any = root or ScenarioFile
    path: list[Any] = []
    model: type[BaseModel] | None = None
    name: str | None = None
    info: FieldInfo | None = None
    for part in loc:
        if part == "[key]":
            return Located(tuple(path), None, None, None, None, (), True)
        tp, _meta = _unwrap(tp)
        origin = get_origin(tp)
        if origin in (Union, types.UnionType):
            members = [
                m
                for m in get_args(tp)
                if any(isinstance(x, Tag) and x.tag == part for x in _unwrap(m)[1])
            ]
            if members:
                tp = members[0]
                continue
            if type(None) in get_args(tp):
                tp = next(m for m in get_args(tp) if m is not type(None))
                tp, _meta = _unwrap(tp)
                origin = get_origin(tp)
            else:
                break
        if _is_model(tp):
            fields = tp.model_fields
            match = next((n for n, f in fields.items() if (f.alias or n) == part), None)
            if match is None:
                allowed = tuple(f.alias or n for n, f in fields.items())
                return Located((*path, part), tp, None, None, None, allowed)
            model, name, info = tp, match, fields[match]
            tp = fields[match].annotation
            path.append(part)
        elif origin is dict:
            if part == "[key]":
                return Located(tuple(path), model, name, info, tp, (), True)
            tp = get_args(tp)[1]
            model, name, info = None, None, None
            path.append(part)
        elif origin is list:
            tp = get_args(tp)[0]
            model, name, info = None, None, None
            path.append(part)
        else:
            break
    return Located(tuple(path), model, name, info, tp)


# ---------------------------------------------------------------------- JSON Schema
def _close_pattern_properties(node: Any) -> None:
    """Mappings keyed by names (offers, strategies) accept no other keys."""
    if isinstance(node, dict):
        if "patternProperties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for value in node.values():
            _close_pattern_properties(value)
    elif isinstance(node, list):
        for value in node:
            _close_pattern_properties(value)


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of scenario files, for editors and ``simulator schema``.

    Every numeric parameter accepts a number in its range, a formula (text starting with
    ``=``) and, for alignments, a named arrangement; mappings keyed by names (offers,
    strategies) accept no other keys.

    Returns
    -------
    dict of str to Any
        The schema (a new dict on each call), ``$schema`` first; parameters carry their
        meaning, unit, range and default.

    Examples
    --------
    >>> schema = scenario_json_schema()
    >>> schema["required"]
    ['title', 'offers']
    >>> war_cost = schema["$defs"]["Russia"]["properties"]["war_cost"]
    >>> war_cost["anyOf"][0]["maximum"], war_cost["default"]
    (10, 0.1)
    """
    schema = ScenarioFile.model_json_schema(by_alias=True)
    _close_pattern_properties(schema)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
    }
