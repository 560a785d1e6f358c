"""The records of ``results.json``: one pydantic model per block, the one definition of each field.

``results.json`` used to be written twice: once by each result's ``as_dict()`` and once in a
hand-written JSON Schema beside it, so a field could be added to one and forgotten in the
other. Here each block of the document is a pydantic model (pydantic is already a
dependency, for scenario files), and

* every result's ``as_dict()`` builds its record (``SolveResult.record()`` gives a
  :class:`SolveRecord`, ...) and returns :func:`dump_record` of it: a field that is not in
  its record cannot reach ``results.json`` (building the record raises
  :class:`pydantic.ValidationError`), and a value out of its range (a probability above 1)
  is caught where it is produced;
* :mod:`simulator.report.schema` generates the JSON Schema (``simulator schema --results``),
  the validator and ``docs/results-schema.md`` from :class:`ResultsDocument`.

So adding a field means adding it here, once, with its description. The records are strict
(no coercion: ``"0.5"`` is not a number) and closed (``extra="forbid"``). A number field
keeps an integer an integer (``3``, not ``3.0``), so the document is the same as the plain
data it is built from.

Versioning: :data:`SCHEMA_VERSION` is raised whenever a field is removed or changes meaning;
fields may be added within a version.
"""

from __future__ import annotations

import inspect
import types
from functools import lru_cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    RootModel,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)
from pydantic.fields import FieldInfo

from simulator.model.actors import Russia, West
from simulator.model.parameters import ParameterSpec, parameter_specs

__all__ = [
    "SCHEMA_VERSION",
    "AfterMessageRecord",
    "AnalysisRecord",
    "AxisRecord",
    "BandRecord",
    "BuyTimeSettingsRecord",
    "ByTypeRecord",
    "CertificateRecord",
    "CompareRecord",
    "Count",
    "EquilibriumRecord",
    "FigureFileRecord",
    "FilesRecord",
    "FirstPeriodRecord",
    "LibraryRecord",
    "MonteCarloRecord",
    "NonNegative",
    "Number",
    "OfferSolutionRecord",
    "ParametersRecord",
    "PlanPathsRecord",
    "PathRecord",
    "PathsRecord",
    "Probability",
    "ProfileRecord",
    "ResultsDocument",
    "ResultsHeader",
    "ScenarioRecord",
    "ScenarioResultsRecord",
    "SolveRecord",
    "StatesRecord",
    "StrategyRecord",
    "SweepRecord",
    "SwitchRecord",
    "TableFileRecord",
    "UncertainRecord",
    "dump_record",
    "field_label",
    "field_unit",
    "titled_fields",
]

#: Version of the ``results.json`` layout written by this library.
SCHEMA_VERSION = 1


# ====================================================================== value types
def _keep_int(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """Check ``value`` as a float, but give back an ``int`` unchanged (``3`` stays ``3``)."""
    checked = handler(value)
    return value if type(value) is int else checked


def _as_is(value: Any) -> Any:
    """Write a number as it was given (an ``int`` in a number field is not an error)."""
    return value


#: A JSON number: an int or a float (an int is kept an int).
Number = Annotated[float, WrapValidator(_keep_int), PlainSerializer(_as_is)]
#: A probability: a number in [0, 1].
Probability = Annotated[float, Field(ge=0, le=1), WrapValidator(_keep_int), PlainSerializer(_as_is)]
#: A number >= 0.
NonNegative = Annotated[float, Field(ge=0), WrapValidator(_keep_int), PlainSerializer(_as_is)]
#: A count: an integer >= 0.
Count = Annotated[int, Field(ge=0)]
#: A positive count: an integer >= 1.
Positive = Annotated[int, Field(ge=1)]

_INDEX = "position of the analysis in the scenario file (0: added by the run for a figure)"
_NOTES = "what the reader should know about this analysis"
_CERTIFICATE = "the certificate of the selected equilibria: the largest regret over the "
_UNSOLVED = "grid points or draws where no equilibrium was found"
_UNCERTAIN = "parameters drawn at random in each run, with their distributions"


def _quantity(title: str, unit: str) -> dict[str, Any]:
    """The ``Field`` arguments of a quantity a reader sees: its plain label and its unit.

    ``title`` is the label on an axis or in a table (:func:`field_label`); the unit is
    kept in the field's JSON Schema as ``unit`` (:func:`field_unit`).
    """
    return {"title": title, "json_schema_extra": {"unit": unit}}


def _measured_as(cls: type, name: str) -> dict[str, Any]:
    """A quantity labelled and measured as the parameter ``name`` of ``cls`` (its spec's)."""
    spec: ParameterSpec = next(s for s in parameter_specs(cls) if s.name == name)
    return _quantity(spec.label, spec.shown_unit)


_PROBABILITY = "probability"


def _summary(schema: dict[str, Any], cls: type[BaseModel]) -> None:
    """A record's JSON Schema description: the first paragraph of its docstring."""
    schema["description"] = inspect.cleandoc(cls.__doc__ or "").split("\n\n")[0]


def _type_text(annotation: Any) -> str:
    """A field's type in numpydoc words: ``dict of str to float or None``."""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        return _type_text(args[0])
    if origin in (Union, types.UnionType):
        return " or ".join(_type_text(a) for a in args)
    if origin is Literal:
        return "{" + ", ".join(repr(a) for a in args) + "}"
    if origin is dict:
        return f"dict of str to {_type_text(args[1])}"
    if origin is list:
        return f"list of {_type_text(args[0])}"
    if annotation is type(None):
        return "None"
    return getattr(annotation, "__name__", str(annotation).removeprefix("typing."))


class _Record(BaseModel):
    """Strict and closed: no coercion, no field that is not declared.

    Each record's docstring is its summary (the description of its part of the JSON Schema);
    the ``Attributes`` section is added from the fields' descriptions, which are written
    once, in the fields.
    """

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, json_schema_extra=_summary)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        lines = [inspect.cleandoc(cls.__doc__ or ""), "", "Attributes", "----------"]
        for name, info in cls.model_fields.items():
            key = f" (key ``{info.alias}``)" if info.alias and info.alias != name else ""
            lines += [f"{name} : {_type_text(info.annotation)}", f"    {info.description}{key}"]
        cls.__doc__ = "\n".join(lines) + "\n"


def dump_record(record: BaseModel) -> dict[str, Any]:
    """The JSON-ready data of ``record``: what ``as_dict()`` returns and ``results.json`` holds.

    Parameters
    ----------
    record : pydantic.BaseModel
        A record of this module (or any pydantic model).

    Returns
    -------
    dict of str to Any
        Plain ``dict``/``list``/``str``/number/``bool``/``None`` data, keys by their JSON
        names (``from``, not ``from_``); optional fields that were not given are left out.

    Examples
    --------
    >>> dump_record(CertificateRecord(regret=0, tolerance=1e-8, method="m", certified=True))
    {'regret': 0, 'tolerance': 1e-08, 'method': 'm', 'certified': True}
    """
    return record.model_dump(by_alias=True, exclude_unset=True)


# ====================================================================== shared blocks
class CertificateRecord(_Record):
    """Evidence that no player gains by deviating."""

    regret: Number | None = Field(
        description="largest gain any player gets from a deviation (null: unknown)"
    )
    tolerance: NonNegative = Field(description="largest regret accepted")
    method: str = Field(description="how the equilibrium was found and the regret computed")
    certified: bool = Field(description="regret is known and <= tolerance")


class ProfileRecord(_Record):
    """One strategy per actor."""

    russia: str = Field(description="strategy of Russia (the staller type)")
    sincere_russia: str = Field(description="strategy of the sincere type")
    west: str = Field(description="strategy of the Western governments")
    ukraine: str = Field(description="strategy of Ukraine")


class ByTypeRecord(RootModel[dict[str, Number | None]]):
    """A number per Russian type (and 'sincere', 'staller') and 'expected'.

    Attributes
    ----------
    root : dict of str to float or None
        The numbers by name.
    """

    model_config = ConfigDict(strict=True, frozen=True, json_schema_extra=_summary)


class PathRecord(RootModel[dict[str, list[Number | None]]]):
    """Period, mean and quantiles (q05 ... q95) of a path variable.

    Attributes
    ----------
    root : dict of str to list of float or None
        ``period``, ``mean``, ``q05``, ... -> one value per period.
    """

    model_config = ConfigDict(strict=True, frozen=True, json_schema_extra=_summary)


class PathsRecord(_Record):
    """The Monte Carlo paths of a simulated strategy profile: all/sincere/staller -> path."""

    cohesion: dict[str, PathRecord] = Field(
        description="Western cohesion in each period", **_measured_as(West, "western_cohesion")
    )
    capability: dict[str, PathRecord] = Field(
        description="Russian military capability in each period",
        **_measured_as(Russia, "capability"),
    )
    belief: dict[str, PathRecord] = Field(
        description="the West's belief that Russia is sincere in each period",
        **_quantity("West's belief that Russia is sincere", _PROBABILITY),
    )


class BandRecord(_Record):
    """Mean and middle 90% of a path variable over the runs: the start, then each period."""

    mean: list[Number | None] = Field(description="mean over the runs")
    q05: list[Number | None] = Field(description="5% quantile over the runs")
    q95: list[Number | None] = Field(description="95% quantile over the runs")


class PlanPathsRecord(_Record):
    """The buy-time game's paths under one plan, over Russia's types (weighted by the prior)."""

    cohesion: BandRecord = Field(
        description="Western cohesion in each period", **_measured_as(West, "western_cohesion")
    )
    capability: BandRecord = Field(
        description="Russian military capability in each period",
        **_measured_as(Russia, "capability"),
    )
    front: BandRecord = Field(
        description="the front line in each period",
        **_quantity("Front line", "position (0 = Ukraine prevails)"),
    )
    p_sincere: BandRecord = Field(
        description="the public's belief that Russia is sincere in each period",
        **_quantity("West's belief that Russia is sincere", _PROBABILITY),
    )
    p_weak: BandRecord = Field(
        description="the public's belief that Russia is weak in each period",
        **_quantity("West's belief that Russia is weak", _PROBABILITY),
    )


class UncertainRecord(_Record):
    """A parameter drawn at random, with its distribution (as written in the scenario)."""

    parameter: str = Field(description="the parameter's dotted name")
    distribution: Literal["beta", "uniform", "normal"] = Field(
        description="the distribution's family"
    )
    mean: Number = Field(default=None, description="mean (beta, normal)")
    sd: Number = Field(default=None, description="standard deviation (beta, normal)")
    low: Number = Field(default=None, description="lower bound (uniform; optional otherwise)")
    high: Number = Field(default=None, description="upper bound (uniform; optional otherwise)")


# ====================================================================== solve
class OfferSolutionRecord(_Record):
    """The selected perfect Bayesian equilibrium of the offer game for one offer."""

    offer: str = Field(description="the offer analysed")
    terms: dict[str, bool | Number] = Field(description="the offer's fields")
    kind: str = Field(description="pooling, separating or partially pooling")
    regime: str = Field(description="kind and the outcomes each type reaches")
    messages: dict[str, dict[str, Probability | None]] = Field(
        description="type -> message -> probability"
    )
    outcome: dict[str, str] = Field(description="each type's most likely outcome")
    outcome_probabilities: dict[str, dict[str, Probability | None]] = Field(
        description="type -> outcome -> probability"
    )
    settlement_probability: Probability | None = Field(
        description="probability of a deal that holds",
        **_quantity("Probability of a settlement", _PROBABILITY),
    )
    renewed_war_probability: Probability | None = Field(
        description="probability of a deal broken after a pause (war renewed)",
        **_quantity("Probability of renewed war", _PROBABILITY),
    )
    war_probability: Probability | None = Field(
        description="probability of war now", **_quantity("Probability of war", _PROBABILITY)
    )
    posterior: dict[str, Probability | None] = Field(description="P(sincere) after each message")
    on_path: dict[str, bool] = Field(description="whether each message is sent")
    west_actions: dict[str, dict[str, Probability | None]] = Field(
        description="message -> government -> P(eases)"
    )
    pressure: dict[str, Number | None] = Field(description="coalition pressure after each message")
    acceptance: dict[str, Probability | None] = Field(
        description="P(Ukraine accepts) after each offer message"
    )
    posterior_weak: dict[str, Probability | None] = Field(
        description="P(Russia is weak) after each message"
    )
    payoffs: dict[str, ByTypeRecord] = Field(description="actor -> expected payoffs")
    behaviour: dict[str, str] = Field(description="each actor's equilibrium behaviour in words")
    equilibria: Count = Field(description="number of equilibria found")
    intuitive: bool | None = Field(
        description="passes the intuitive criterion (null: no equilibrium was found)"
    )
    certificate: CertificateRecord = Field(description="the certificate of the equilibrium")


class SolveRecord(_Record):
    """The offer game solved for each offer."""

    kind: Literal["solve"] = Field(description="the kind of analysis")
    index: Count = Field(description="position in the scenario file (0: added by the run)")
    target: str = Field(description="the game solved")
    solutions: list[OfferSolutionRecord] = Field(description="one per offer")


# ====================================================================== compare
class StrategyRecord(_Record):
    """A strategy profile simulated over the periods."""

    name: str = Field(description="the profile's name in the scenario")
    profile: ProfileRecord = Field(description="each actor's strategy")
    behaviour: dict[str, str] = Field(description="each actor's strategy in words")
    runs: Positive = Field(description="Monte Carlo runs")
    periods: Positive = Field(description="periods played")
    expected_payoffs: dict[str, dict[str, Number | None]] = Field(
        description="actor -> all/sincere/staller/se"
    )
    settled: Probability | None = Field(
        description="probability that a deal is signed and kept to the horizon",
        **_quantity("Settled", _PROBABILITY),
    )
    broken: Probability | None = Field(
        description="probability that a deal is signed, then broken",
        **_quantity("Broken", _PROBABILITY),
    )
    war: Probability | None = Field(
        description="probability that no deal is signed by the horizon",
        **_quantity("War", _PROBABILITY),
    )
    settlement_probability: Probability | None = Field(
        description="probability that a deal is signed (kept or not)",
        **_quantity("Probability of a settlement", _PROBABILITY),
    )
    mean_settlement_period: Number | None = Field(
        description="mean period of signature among runs that settle"
    )
    settlement_distribution: list[Probability | None] = Field(
        description="P(deal signed in period t)"
    )
    renewed_war_probability: Probability | None = Field(
        description="probability of a deal broken after a pause (war renewed)",
        **_quantity("Probability of renewed war", _PROBABILITY),
    )
    broken_deal_probability: Probability | None = Field(
        description="probability that a signed deal is broken later"
    )
    final_cohesion: Number | None = Field(description="mean Western cohesion at the end")
    final_cohesion_bands: list[Number | None] = Field(description="5%, 50%, 95% quantiles")
    final_capability: Number | None = Field(description="mean Russian capability at the end")
    final_capability_bands: list[Number | None] = Field(description="5%, 50%, 95% quantiles")
    final_phases: dict[str, Probability | None] = Field(
        description="share of runs in each phase at the end"
    )
    russia_victory_probability: Probability | None = Field(
        description="share of runs Russia wins outright"
    )
    ukraine_victory_probability: Probability | None = Field(
        description="share of runs Ukraine wins outright"
    )
    paths: PathsRecord = Field(description="variable -> all/sincere/staller -> path")


class BuyTimeSettingsRecord(_Record):
    """The buy-time game's state space: front, regrouping and belief grid, ceasefire option."""

    front_positions: Count = Field(description="N: battles move the front over 0..N")
    initial_front: Count = Field(description="the front's starting position (0..N)")
    regroup_levels: Count = Field(description="ceasefire periods of regrouping the state counts")
    belief_points: Count = Field(description="points per axis of the belief grid")
    ceasefire: bool = Field(description="Ukraine may answer talks with a ceasefire")


class AfterMessageRecord(_Record):
    """What follows a message in the first period."""

    belief: dict[str, Probability | None] = Field(description="type -> posterior")
    ukraine: str = Field(description="Ukraine's reply (battle after fight)")
    eases: list[str] = Field(description="the governments that ease sanctions")
    mixes: dict[str, Probability | None] = Field(
        default_factory=dict,
        description="the governments that mix -> their probability of easing sanctions",
    )
    ukraine_mixes: dict[str, Probability | None] = Field(
        default_factory=dict,
        description="where Ukraine's reply is random: reply -> its probability",
    )
    lottery: Probability | None = Field(description="probability of the receivers' second play")


class FirstPeriodRecord(_Record):
    """Equilibrium play in the first period."""

    sends: dict[str, dict[str, Probability | None]] = Field(
        description="type -> message -> probability"
    )
    after: dict[str, AfterMessageRecord] = Field(description="message -> what follows it")


class StatesRecord(_Record):
    """How many states the equilibrium covers, and at how many it is special."""

    total: Count = Field(description="states in all (every period)")
    multiple: Count = Field(description="states with several exact equilibria")
    mixed: Count = Field(description="states where the equilibrium mixes")
    unresolved: Count = Field(description="states without an exact equilibrium")


class EquilibriumRecord(_Record):
    """The Markov perfect equilibrium of the buy-time game and its forward passes."""

    offer: str = Field(description="the offer on the table in every period")
    periods: Positive = Field(description="periods played")
    settings: BuyTimeSettingsRecord = Field(description="front, grid, ceasefire option")
    prior: dict[str, Probability | None] = Field(description="Russian type -> prior probability")
    values: dict[str, dict[str, Number | None]] = Field(
        description="plan -> Russian type -> Russia's value"
    )
    ukraine_values: dict[str, Number | None] = Field(
        description="Russian type -> Ukraine's equilibrium value"
    )
    buy_time_pays: dict[str, bool] = Field(description="per type: buying time beats compromise")
    buy_time_gain: dict[str, Number | None] = Field(
        description="per type: buying time minus compromise"
    )
    verdict: str = Field(description="the answer in one sentence, read off buy_time_pays")
    first_period: FirstPeriodRecord = Field(description="equilibrium play in the first period")
    outcomes: dict[str, dict[str, dict[str, Number | None]]] = Field(
        description="plan -> type -> settled/broken/war/..."
    )
    outcome: dict[str, dict[str, Probability | None]] = Field(
        description="plan -> settled/broken/war/russia_wins over types"
    )
    paths: dict[str, PlanPathsRecord] = Field(description="plan -> the paths of its runs")
    runs: Positive = Field(description="runs of each forward pass")
    seed: Count = Field(description="seed of the forward passes")
    states: StatesRecord = Field(
        description="states in all, with several / a mixed / no exact equilibrium"
    )
    unresolved_share: Probability | None = Field(
        description="share of equilibrium runs that pass a state without an exact equilibrium"
    )
    certificate: CertificateRecord = Field(
        description="the certificate of the equilibrium at every state"
    )
    path_certificate: CertificateRecord = Field(
        description="the certificate at the states the equilibrium's forward pass passes"
    )


class CompareRecord(_Record):
    """Strategy profiles simulated side by side."""

    kind: Literal["compare"] = Field(description="the kind of analysis")
    index: Count = Field(description=_INDEX)
    offer: str = Field(description="the offer analysed")
    periods: Positive = Field(description="periods played")
    runs: Positive = Field(description="Monte Carlo runs")
    seed: Count = Field(description="seed of the random draws")
    uncertain: list[UncertainRecord] = Field(description=_UNCERTAIN)
    strategies: list[StrategyRecord] = Field(
        min_length=1, description="one per compared strategy profile"
    )
    equilibrium: EquilibriumRecord | None = Field(
        description="the Markov perfect equilibrium at the scenario's values"
    )
    notes: list[str] = Field(description=_NOTES)


# ====================================================================== sweep, Monte Carlo
class AxisRecord(_Record):
    """A swept parameter and its values."""

    parameter: str = Field(description="the swept parameter's dotted name")
    values: list[Number | None] = Field(description="its values along the axis, in order")


class SwitchRecord(_Record):
    """Where the regime changes along a one-parameter sweep."""

    between: list[Number | None] = Field(description="the two neighbouring values")
    from_: str = Field(alias="from", description="the regime before")
    to: str = Field(description="the regime after")


class SweepRecord(_Record):
    """The offer game or the bargaining range on a grid of parameters."""

    kind: Literal["sweep"] = Field(description="the kind of analysis")
    index: Count = Field(description=_INDEX)
    implicit: bool = Field(description="added by the run to draw a figure")
    offer: str = Field(description="the offer analysed")
    show: Literal["regime_map", "bargaining_range", "payoffs", "settlement_probability"] = Field(
        description="what the sweep's figure shows"
    )
    axes: list[AxisRecord] = Field(
        min_length=1, description="the swept parameters and their values"
    )
    shape: list[Positive] = Field(description="points along each axis")
    grid: dict[str, list[Any]] = Field(description="column -> nested list of the grid's shape")
    regimes: dict[str, Probability | None] = Field(description="share of grid points per regime")
    switches: list[SwitchRecord] = Field(
        description="where the regime changes along a one-parameter sweep"
    )
    certificate: CertificateRecord | None = Field(
        description=_CERTIFICATE + "grid (null: the closed-form bargaining range)"
    )
    unsolved_points: Count = Field(description=_UNSOLVED)
    notes: list[str] = Field(description=_NOTES)


class MonteCarloRecord(_Record):
    """The offer game solved for random draws of parameters."""

    kind: Literal["monte_carlo"] = Field(description="the kind of analysis")
    index: Count = Field(description=_INDEX)
    offer: str = Field(description="the offer analysed")
    runs: Positive = Field(description="Monte Carlo draws")
    seed: Count = Field(description="seed of the random draws")
    uncertain: list[UncertainRecord] = Field(min_length=1, description=_UNCERTAIN)
    draws: dict[str, list[Number | None]] = Field(description="parameter -> drawn values")
    results: dict[str, list[Any]] = Field(description="column -> value per draw")
    regimes: dict[str, Probability | None] = Field(description="share of draws per regime")
    summary: dict[str, dict[str, Number | None]] = Field(
        description="column -> mean, q05, q50, q95"
    )
    certificate: CertificateRecord = Field(description=_CERTIFICATE + "draws")
    unsolved_points: Count = Field(description=_UNSOLVED)
    notes: list[str] = Field(description=_NOTES)


#: One analysis of ``results.json``, told apart by its ``kind``.
AnalysisRecord = Annotated[
    SolveRecord | CompareRecord | SweepRecord | MonteCarloRecord, Field(discriminator="kind")
]


# ====================================================================== the document
class ScenarioRecord(_Record):
    """The scenario file and its seed for every random draw."""

    title: str = Field(description="the scenario's title")
    description: str = Field(description="the scenario's description")
    source: str | None = Field(description="the scenario file (null: not read from a file)")
    seed: Count = Field(description="seed of every random draw")


class LibraryRecord(_Record):
    """The library that wrote the file."""

    name: str = Field(description="the library's name")
    version: str = Field(description="the library's version")


class ParametersRecord(_Record):
    """Every parameter the analyses used."""

    model: dict[str, bool | Number | str] = Field(
        description="dotted parameter name -> value (actors)"
    )
    offers: dict[str, dict[str, bool | Number]] = Field(description="offer -> terms")
    dynamics: dict[str, bool | Number] = Field(description="dynamics settings")
    buy_time: dict[str, bool | Number] = Field(
        description="the buy-time game's settings (its horizon: each analysis's periods)"
    )
    formulas: dict[str, str] = Field(description="parameters given by formulas")


class TableFileRecord(_Record):
    """A table file written beside results.json."""

    name: str = Field(description="the table's name")
    file: str = Field(description="the file's name")
    rows: Count = Field(description="rows of the table")


class FigureFileRecord(_Record):
    """A figure written beside results.json, in one file per format."""

    name: str = Field(description="the figure's name")
    analysis: Count = Field(
        description="position of the analysis it draws (0: one added by the run for a figure)"
    )
    files: list[str] = Field(description="one file per format")


class FilesRecord(_Record):
    """The files written beside results.json (names relative to its folder)."""

    results: str = Field(description="this file")
    briefing: str = Field(description="the briefing in Markdown")
    briefing_html: str = Field(
        default=None,
        description="the same briefing as one self-contained HTML page (figures inline); "
        "absent in files written before it existed",
    )
    tables: list[TableFileRecord] = Field(
        description="one entry per table file: every table as CSV; sweep and Monte Carlo "
        "tables also as NetCDF (.nc) when xarray is installed"
    )
    figures: list[FigureFileRecord] = Field(description="one entry per figure")


class ResultsHeader(_Record):
    """What results.json adds to the results: its layout version and time stamp."""

    schema_version: Literal[SCHEMA_VERSION] = Field(description="layout version of this file")
    generated_at: str = Field(
        pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$",
        description="UTC time the file was written: the only field that differs between two "
        "runs with the same seed",
    )


class ScenarioResultsRecord(_Record):
    """Everything a scenario's run computed (ScenarioResults.as_dict())."""

    scenario: ScenarioRecord = Field(
        description="the scenario file and its seed for every random draw"
    )
    library: LibraryRecord = Field(description="the library that wrote it")
    fast: bool = Field(description="the run was shrunk for speed (--fast)")
    parameters: ParametersRecord = Field(description="every parameter the analyses used")
    strategies: dict[str, ProfileRecord] = Field(description="the scenario's strategy profiles")
    analyses: list[AnalysisRecord] = Field(
        description="each analysis in the order of the file (added ones last)"
    )
    certified: bool = Field(description="every certificate in the file holds")
    notes: list[str] = Field(description="what the reader should know (defaults, fast mode, ...)")


class ResultsDocument(ScenarioResultsRecord, ResultsHeader):
    """Everything a 'simulator run' computed, with what it was computed from."""

    files: FilesRecord = Field(
        description="the files written beside results.json (names relative to its folder)"
    )


# ====================================================================== labels and units
def _records() -> list[type[BaseModel]]:
    """Every record of this module (its ``_Record`` subclasses), in definition order."""
    return [
        value
        for value in globals().values()
        if isinstance(value, type) and issubclass(value, _Record) and value is not _Record
    ]


@lru_cache(maxsize=1)
def _titled() -> dict[str, FieldInfo]:
    """Every record field with a ``title`` (a quantity a reader sees), by field name.

    Raises
    ------
    ValueError
        If two records give a field of the same name different titles or units.
    """
    out: dict[str, FieldInfo] = {}
    for record in _records():
        for name, info in record.model_fields.items():
            if info.title is None:
                continue
            seen = out.setdefault(name, info)
            if (seen.title, seen.json_schema_extra) != (info.title, info.json_schema_extra):
                raise ValueError(f"records disagree on the title or unit of {name!r}")
    return out


def titled_fields() -> dict[str, str]:
    """The plain label of every titled record field, by field name.

    Returns
    -------
    dict of str to str
        Field name -> its ``title`` (one per name: the records agree).

    Examples
    --------
    >>> titled_fields()["war_probability"]
    'Probability of war'
    """
    return {name: str(info.title) for name, info in _titled().items()}


def field_label(name: str) -> str | None:
    """The plain label (``title``) of a record field, or None if no record titles it.

    Parameters
    ----------
    name : str
        A field name, e.g. ``"settlement_probability"``.

    Returns
    -------
    str or None

    Examples
    --------
    >>> field_label("settlement_probability"), field_label("kind")
    ('Probability of a settlement', None)
    """
    info = _titled().get(name)
    return None if info is None else info.title


def field_unit(name: str) -> str | None:
    """The unit of a titled record field (``json_schema_extra["unit"]``), or None.

    Parameters
    ----------
    name : str
        A field name, e.g. ``"cohesion"``.

    Returns
    -------
    str or None
        The unit (``""``: none); None if no record titles the field.

    Examples
    --------
    >>> field_unit("war"), field_unit("cohesion")
    ('probability', 'share of full cohesion')
    """
    info = _titled().get(name)
    if info is None:
        return None
    extra = info.json_schema_extra
    return str(extra.get("unit", "")) if isinstance(extra, dict) else ""
