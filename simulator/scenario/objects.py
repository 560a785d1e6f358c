"""The objects a validated scenario file becomes: strategy profiles, analyses, the scenario.

Everything here is an immutable dataclass that checks its own values, so code that
builds a :class:`Scenario` in Python (without a file) gets the same guarantees as a
file that passed validation.
"""

from __future__ import annotations

import dataclasses
import html
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

import numpy as np

from simulator.model import dynamics
from simulator.model.buy_time_setup import BuyTimeSettings
from simulator.model.dynamics import DynamicsSettings, StrategyProfile
from simulator.model.negotiation import NegotiationModel
from simulator.model.offers import Offer
from simulator.model.parameters import ParameterSpec, html_rows, parameter_specs
from simulator.scenario.errors import suggest
from simulator.scenario.formula import evaluate_formulas

__all__ = [
    "AnalysisSpec",
    "CompareAnalysis",
    "DEFAULT_STRATEGIES",
    "DISTRIBUTIONS",
    "FIGURES",
    "FIGURE_FORMATS",
    "MAX_PERIODS",
    "MAX_RUNS",
    "MAX_STEPS",
    "MonteCarloAnalysis",
    "RUSSIA_STRATEGIES",
    "SOLVE_TARGETS",
    "SWEEP_SHOWS",
    "Scenario",
    "SolveAnalysis",
    "PERIODS_SPEC",
    "StrategyProfile",
    "SweepAnalysis",
    "SweepAxis",
    "UKRAINE_STRATEGIES",
    "Uncertainty",
    "WEST_STRATEGIES",
    "formula_aliases",
    "parameter_values",
]


def _notes(names: tuple[str, ...], notes: dict[str, str]) -> dict[str, str]:
    """The model's strategy names, in the model's order, with what each means."""
    return {name: notes.get(name, "see docs/dynamics.md") for name in names}


#: What each actor can do in a strategy profile (names from :mod:`simulator.model.dynamics`).
RUSSIA_STRATEGIES: dict[str, str] = _notes(
    dynamics.RUSSIA_STRATEGIES,
    {
        "genuine_compromise": "talks, signs a deal and keeps it",
        "buy_time": "talks to regroup, then resumes the war (or breaks the deal) once it has "
        "restored enough capability or the talks stop paying",
        "fight_on": "makes no offer and keeps fighting",
    },
)
WEST_STRATEGIES: dict[str, str] = _notes(
    dynamics.WEST_STRATEGIES,
    {
        "sceptical": "eases sanctions during talks only once its belief that Russia is sincere "
        "reaches its relax threshold",
        "reciprocate": "eases sanctions whenever Russia talks",
        "hold": "keeps its sanctions during talks",
        "best_response": "eases as in the Markov perfect equilibrium (its best response)",
    },
)
UKRAINE_STRATEGIES: dict[str, str] = _notes(
    dynamics.UKRAINE_STRATEGIES,
    {
        "accept_if_guaranteed": "agrees to a ceasefire during talks and signs once the "
        "guarantees reach dynamics.guarantee_level",
        "talk_while_fighting": "keeps fighting during talks and signs an offer inside the "
        "bargaining range it expects",
        "reject": "never signs",
    },
)

#: What a ``solve`` analysis can solve.
SOLVE_TARGETS: dict[str, str] = {
    "offer_game": "perfect Bayesian equilibria of the offer game, with the West's beliefs",
    "offer_menu": "the offer game when Russia chooses which of the offers to make (a menu)",
}
#: What a ``sweep`` analysis can show at each point of its grid.
SWEEP_SHOWS: dict[str, str] = {
    "regime_map": "which outcome holds in equilibrium at each point",
    "bargaining_range": "the range of settlements both sides prefer to war",
    "payoffs": "each actor's equilibrium payoff",
    "settlement_probability": "the probability of a settlement",
}
#: Briefing figures a scenario can ask for.
FIGURES: dict[str, str] = {
    "regime_map": "equilibrium outcome over one or two swept parameters",
    "bargaining_range": "the settlements both sides prefer to war",
    "paths": "Western cohesion, Russian capability and the West's belief over time, by "
    "strategy profile, for each type of Russia",
    "payoffs": "expected payoffs of every actor, by strategy profile",
    "equilibrium_paths": "cohesion, front, belief and capability when the buy-time game is "
    "played: its equilibrium, genuine compromise and buying time, for each type of Russia",
    "settlement_timing": "the share of runs with a deal signed by each period, and with it "
    "still in force, by strategy profile",
}
FIGURE_FORMATS: dict[str, str] = {"png": "raster image", "svg": "vector image", "pdf": "PDF"}
#: Probability distributions for uncertain parameters and the keys each needs.
DISTRIBUTIONS: dict[str, tuple[str, str]] = {
    "beta": (
        "mean, sd; low, high (optional, default 0 and 1)",
        "a beta distribution stretched over [low, high]; needs low < mean < high and "
        "sd < sqrt((mean - low) * (high - mean))",
    ),
    "uniform": ("low, high", "equally likely anywhere in [low, high]"),
    "normal": (
        "mean, sd; low, high (optional)",
        "truncated to [low, high] and to the parameter's valid range",
    ),
}

#: The bounds of ``periods`` follow the dynamics' own parameter.
PERIODS_SPEC: ParameterSpec = next(
    s for s in parameter_specs(DynamicsSettings) if s.name == "periods"
)
MAX_PERIODS = int(PERIODS_SPEC.high)
MAX_RUNS = 10**6
MIN_STEPS = 2
MAX_STEPS = 1000
MAX_AXES = 2


def _choice(kind: str, value: Any, choices: Mapping[str, str]) -> None:
    if not isinstance(value, str) or value not in choices:
        hint = suggest(value, choices)
        extra = f"; did you mean {hint!r}?" if hint else ""
        raise ValueError(f"{kind} must be one of {', '.join(choices)}; got {value!r}{extra}")


def _bounded_int(name: str, value: Any, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number in [{low}, {high}]; got {value!r}")


#: Profiles every scenario can compare without defining them; a file may redefine them.
DEFAULT_STRATEGIES: dict[str, StrategyProfile] = dict(dynamics.PROFILES)


def _open_bounds(spec: ParameterSpec | None) -> tuple[float, float]:
    """The smallest and largest floats inside the parameter's valid range."""
    if spec is None:
        return -math.inf, math.inf
    low = math.nextafter(spec.low, math.inf) if spec.low_open else spec.low
    high = math.nextafter(spec.high, -math.inf) if spec.high_open else spec.high
    return low, high


@dataclass(frozen=True)
class Uncertainty:
    """A parameter drawn from a probability distribution in Monte Carlo runs.

    ``beta`` needs ``mean`` and ``sd`` and lives on ``[low, high]`` (default ``[0, 1]``);
    ``uniform`` needs ``low`` and ``high``; ``normal`` needs ``mean`` and ``sd`` and is
    truncated to ``[low, high]`` (when given) and to the parameter's valid range
    (``spec``). The same conventions as :func:`simulator.model.dynamics.sample_parameters`,
    to which :meth:`as_dict` can be passed.

    Attributes
    ----------
    parameter : str
        The dotted parameter name, e.g. ``"russia.war_cost"``.
    distribution : {"beta", "uniform", "normal"}
        The distribution's family (see :data:`DISTRIBUTIONS`).
    mean, sd : float or None
        For ``beta`` and ``normal``: finite, ``sd > 0``; for ``beta``
        ``low < mean < high`` and ``sd < sqrt((mean - low) * (high - mean))``, for
        ``normal`` the mean within ``[low, high]``.
    low, high : float or None
        Finite bounds with ``low < high``; required for ``uniform``, optional otherwise.
    spec : ParameterSpec or None
        The parameter's specification; draws are clipped to its valid range.

    Raises
    ------
    ValueError
        If the distribution is unknown, a required number is missing, a number is not
        finite or not allowed for the distribution, or the numbers break the conditions
        above.

    Examples
    --------
    >>> u = Uncertainty("russia.regroup_rate_staller", "beta", mean=0.25, sd=0.08)
    >>> draws = u.sample(np.random.default_rng(0), 20000)
    >>> round(float(draws.mean()), 2), round(float(draws.std()), 2)
    (0.25, 0.08)
    >>> u.as_dict()
    {'distribution': 'beta', 'mean': 0.25, 'sd': 0.08}
    """

    parameter: str
    distribution: str
    mean: float | None = None
    sd: float | None = None
    low: float | None = None
    high: float | None = None
    spec: ParameterSpec | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        _choice("distribution", self.distribution, DISTRIBUTIONS)
        needs = ("low", "high") if self.distribution == "uniform" else ("mean", "sd")
        allowed = ("low", "high") if self.distribution == "uniform" else FIELDS
        for name in FIELDS:
            value = getattr(self, name)
            if value is None:
                if name in needs:
                    raise ValueError(f"a {self.distribution} distribution needs {name}")
                continue
            if name not in allowed:
                raise ValueError(
                    f"a {self.distribution} distribution takes low and high, not {name}"
                )
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"{name} must be a number; got {value!r}")
            if not math.isfinite(value):
                raise ValueError(f"{name} must be finite; got {value!r}")
        low, high = self.support
        if not low < high:
            raise ValueError(f"{self.distribution} needs low < high; got {low!r} and {high!r}")
        if self.distribution == "uniform":
            return
        mean, sd = float(self.mean), float(self.sd)  # type: ignore[arg-type]
        if not sd > 0:
            raise ValueError(f"sd must be > 0; got {sd!r}")
        if self.distribution == "beta":
            if not low < mean < high:
                raise ValueError(
                    f"a beta distribution on [{low:g}, {high:g}] needs "
                    f"{low:g} < mean < {high:g}; got {mean!r}"
                )
            if sd < 1e-9 * (high - low):
                raise ValueError(
                    f"sd = {sd:g} is too small for a beta distribution on "
                    f"[{low:g}, {high:g}]: set the parameter to its mean instead"
                )
            largest = math.sqrt((mean - low) * (high - mean))
            if not sd < largest:
                raise ValueError(
                    f"a beta distribution with mean {mean:g} on [{low:g}, "
                    f"{high:g}] needs sd < {largest:.4g}; got {sd:g}"
                )
        elif not low <= mean <= high:
            raise ValueError(
                f"the normal distribution's mean {mean:g} must lie in [{low:g}, {high:g}]"
            )
        elif high - low < 1e-6 * sd:
            # [low, high] holds the mean, so a width of 1e-6 sd keeps a probability mass
            # of at least 4e-7 to draw from.
            raise ValueError(
                f"[{low:g}, {high:g}] is too narrow for a normal distribution with sd {sd:g}"
            )

    @property
    def support(self) -> tuple[float, float]:
        """The interval the draws lie in (before the parameter's own range applies)."""
        if self.distribution == "beta":
            return (0.0 if self.low is None else self.low, 1.0 if self.high is None else self.high)
        low, high = _open_bounds(self.spec)
        if self.low is not None:
            low = max(low, self.low)
        if self.high is not None:
            high = min(high, self.high)
        return low, high

    def as_dict(self) -> dict[str, Any]:
        """The distribution as written in a scenario file."""
        out: dict[str, Any] = {"distribution": self.distribution}
        out.update({k: getattr(self, k) for k in FIELDS if getattr(self, k) is not None})
        return out

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """``size`` independent draws, inside the parameter's valid range."""
        low, high = self.support
        if self.distribution == "uniform":
            draws = rng.uniform(low, high, size)
        elif self.distribution == "beta":
            width = high - low
            m = (float(self.mean) - low) / width  # type: ignore[arg-type]
            v = (float(self.sd) / width) ** 2  # type: ignore[arg-type]
            k = m * (1 - m) / v - 1
            draws = low + width * rng.beta(m * k, (1 - m) * k, size)
        else:
            draws = _truncated_normal(
                float(self.mean),
                float(self.sd),  # type: ignore[arg-type]
                low,
                high,
                size,
                rng,
            )
        return np.clip(draws, *_open_bounds(self.spec))


FIELDS = ("mean", "sd", "low", "high")


def _truncated_normal(
    mean: float, sd: float, low: float, high: float, size: int, rng: np.random.Generator
) -> np.ndarray:
    """Inverse-CDF draws of ``Normal(mean, sd)`` truncated to ``[low, high]``."""
    from scipy.special import ndtr, ndtri

    a, b = (low - mean) / sd, (high - mean) / sd
    flip = a > 0  # draw the mirror image: ndtr loses precision in the far upper tail
    if flip:
        a, b = -b, -a
    z = ndtri(rng.uniform(ndtr(a), ndtr(b), size))
    return mean + sd * (-z if flip else z)


@dataclass(frozen=True)
class SweepAxis:
    """One swept parameter: ``steps`` evenly spaced values from ``start`` to ``stop``.

    Attributes
    ----------
    parameter : str
        The dotted parameter name.
    start, stop : float
        The first and last values: finite and different (stored as floats).
    steps : int
        Number of values, a whole number in ``[2, 1000]``.

    Raises
    ------
    ValueError
        If ``steps`` is out of range, ``start`` or ``stop`` is not a finite number, or
        they are equal.

    Examples
    --------
    >>> SweepAxis("russia.great_power_status", 0.0, 3.0, 4).values()
    array([0., 1., 2., 3.])
    """

    parameter: str
    start: float
    stop: float
    steps: int

    def __post_init__(self) -> None:
        _bounded_int("steps", self.steps, MIN_STEPS, MAX_STEPS)
        for name in ("start", "stop"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"{name} must be a number; got {value!r}")
            if not math.isfinite(value):
                raise ValueError(f"{name} must be finite; got {value!r}")
            object.__setattr__(self, name, float(value))
        if self.start == self.stop:
            raise ValueError(f"a sweep needs from != to; both are {self.start!r}")

    def values(self) -> np.ndarray:
        """The swept values, rounded to 12 decimals.

        Rounding keeps grid points that a user reads as 0.3 from landing at
        0.30000000000000004 and falling on the wrong side of a threshold.
        """
        return np.round(np.linspace(self.start, self.stop, self.steps), 12)


@dataclass(frozen=True)
class AnalysisSpec:
    """An analysis a scenario asks for; subclasses hold each kind's options.

    Attributes
    ----------
    kind : str
        The analysis's key in a scenario file (``"solve"``, ``"compare"``, ``"sweep"``,
        ``"monte_carlo"``); a class attribute, empty on this base class.
    """

    kind: ClassVar[str] = ""


@dataclass(frozen=True)
class SolveAnalysis(AnalysisSpec):
    """Solve ``target`` for each offer in ``offers``.

    Attributes
    ----------
    target : str
        A key of :data:`SOLVE_TARGETS` (default ``"offer_game"``).
    offers : tuple of str
        The offers' names.

    Raises
    ------
    ValueError
        If ``target`` is not a key of :data:`SOLVE_TARGETS`.

    Examples
    --------
    >>> SolveAnalysis("offer_game", ("neutrality",)).kind
    'solve'
    """

    kind: ClassVar[str] = "solve"
    target: str = "offer_game"
    offers: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _choice("solve", self.target, SOLVE_TARGETS)
        object.__setattr__(self, "offers", tuple(self.offers))


@dataclass(frozen=True)
class CompareAnalysis(AnalysisSpec):
    """Solve the buy-time game (unless ``equilibrium`` is false) and simulate strategy profiles.

    The profiles are what-if rules simulated over ``periods``, ``runs`` times over
    ``uncertain``; the equilibrium answers the question.

    Attributes
    ----------
    profiles : tuple of str
        Names of the strategy profiles to simulate, at least one.
    offer : str
        The offer's name.
    periods : int
        Length of each simulation, a whole number in ``[1, MAX_PERIODS]`` (default the
        ``dynamics.periods`` default).
    runs : int
        Simulations per profile, a whole number in ``[1, 10**6]``.
    uncertain : tuple of Uncertainty
        Parameters drawn at random in each run.
    equilibrium : bool
        Also solve the buy-time game.

    Raises
    ------
    ValueError
        If ``profiles`` is empty, or ``periods`` or ``runs`` is out of range.

    Examples
    --------
    >>> CompareAnalysis(("buy_time", "genuine_compromise"), "neutrality", periods=24).runs
    1000
    """

    kind: ClassVar[str] = "compare"
    profiles: tuple[str, ...]
    offer: str
    periods: int = int(PERIODS_SPEC.default)
    runs: int = 1000
    uncertain: tuple[Uncertainty, ...] = ()
    equilibrium: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "profiles", tuple(self.profiles))
        object.__setattr__(self, "uncertain", tuple(self.uncertain))
        if not self.profiles:
            raise ValueError("compare needs at least one strategy profile")
        _bounded_int("periods", self.periods, 1, MAX_PERIODS)
        _bounded_int("runs", self.runs, 1, MAX_RUNS)


@dataclass(frozen=True)
class SweepAnalysis(AnalysisSpec):
    """Solve on a grid of one or two parameters and show ``show`` at each point.

    Attributes
    ----------
    axes : tuple of SweepAxis
        One or two axes, of different parameters.
    offer : str
        The offer's name.
    show : str
        A key of :data:`SWEEP_SHOWS` (default ``"regime_map"``).
    shape : tuple of int
        The grid's shape (a property).

    Raises
    ------
    ValueError
        If there are not one or two axes, an axis repeats a parameter, or ``show`` is
        unknown.

    Examples
    --------
    >>> s = SweepAnalysis((SweepAxis("west.western_cohesion", 0, 1, 11),), "neutrality")
    >>> s.shape, s.show
    ((11,), 'regime_map')
    """

    kind: ClassVar[str] = "sweep"
    axes: tuple[SweepAxis, ...]
    offer: str
    show: str = "regime_map"

    def __post_init__(self) -> None:
        object.__setattr__(self, "axes", tuple(self.axes))
        if not 1 <= len(self.axes) <= MAX_AXES:
            raise ValueError(f"a sweep has 1 or {MAX_AXES} parameters; got {len(self.axes)}")
        if len({a.parameter for a in self.axes}) != len(self.axes):
            raise ValueError("a sweep cannot sweep the same parameter twice")
        _choice("show", self.show, SWEEP_SHOWS)

    @property
    def shape(self) -> tuple[int, ...]:
        """Grid shape: one entry per axis."""
        return tuple(a.steps for a in self.axes)


@dataclass(frozen=True)
class MonteCarloAnalysis(AnalysisSpec):
    """Solve ``runs`` times with the ``uncertain`` parameters drawn at random.

    Attributes
    ----------
    uncertain : tuple of Uncertainty
        The parameters drawn, at least one.
    offer : str
        The offer's name.
    runs : int
        Number of draws, a whole number in ``[1, 10**6]``.

    Raises
    ------
    ValueError
        If ``uncertain`` is empty or ``runs`` is out of range.

    Examples
    --------
    >>> u = Uncertainty("russia.prior_sincere", "uniform", low=0.1, high=0.5)
    >>> MonteCarloAnalysis((u,), "neutrality", runs=500).runs
    500
    """

    kind: ClassVar[str] = "monte_carlo"
    uncertain: tuple[Uncertainty, ...]
    offer: str
    runs: int = 1000

    def __post_init__(self) -> None:
        object.__setattr__(self, "uncertain", tuple(self.uncertain))
        if not self.uncertain:
            raise ValueError("monte_carlo needs at least one uncertain parameter")
        _bounded_int("runs", self.runs, 1, MAX_RUNS)


# ---------------------------------------------------------------------- parameter names
def formula_aliases(names: Iterable[str]) -> dict[str, str]:
    """Formula-friendly spellings of dotted names whose parts are not identifiers.

    A government called "United States" makes ``west.governments.United States.weight``,
    which a formula can write as ``west.governments.United_States.weight``.

    Parameters
    ----------
    names : iterable of str
        Dotted parameter names.

    Returns
    -------
    dict of str to str
        Alias (each non-word character of a part replaced by ``_``) -> name, for the names
        that need one; where two names give the same alias the first keeps it.

    Examples
    --------
    >>> formula_aliases(["west.governments.United States.weight", "russia.war_cost"])
    {'west.governments.United_States.weight': 'west.governments.United States.weight'}
    """
    out: dict[str, str] = {}
    for name in names:
        alias = ".".join(re.sub(r"\W", "_", part) for part in name.split("."))
        if alias != name:
            out.setdefault(alias, name)
    return out


def _fields(obj: Any, prefix: str, numeric: bool) -> dict[str, Any]:
    out = {
        f"{prefix}{f.name}": getattr(obj, f.name)
        for f in dataclasses.fields(obj)
        if f.name not in ("name", "inducements") and ("spec" in f.metadata or not numeric)
    }
    if isinstance(obj, Offer):  # inducements: one number per government they are aimed at
        out.update({f"{prefix}inducement.{g}": a for g, a in obj.inducement_map.items()})
    return out


def parameter_values(
    model: NegotiationModel,
    offers: Mapping[str, Offer],
    settings: DynamicsSettings | None = None,
    numeric: bool = False,
    buy_time: BuyTimeSettings | None = None,
) -> dict[str, Any]:
    """Every parameter by dotted name: the model's, ``offers.<name>.<field>``, ``dynamics.*``.

    With ``numeric=True``, only the range-checked numeric parameters.

    Parameters
    ----------
    model : NegotiationModel
        The model whose parameters are listed.
    offers : mapping of str to Offer
        The offers, by name.
    settings : DynamicsSettings, optional
        The simulation settings (``dynamics.*``); left out when None.
    numeric : bool
        Only parameters with a specification (range-checked numbers).
    buy_time : BuyTimeSettings, optional
        The buy-time game's settings (``buy_time.*``, without ``periods``); left out
        when None.

    Returns
    -------
    dict of str to object
        Dotted name -> value; an offer's inducements as ``offers.<name>.inducement.<government>``.

    Examples
    --------
    >>> values = parameter_values(NegotiationModel(), {"deal": Offer(name="deal")},
    ...                           DynamicsSettings())
    >>> values["russia.war_cost"], values["offers.deal.alignment"], values["dynamics.periods"]
    (0.1, 0.6, 24)
    """
    out = {name: value for name, value, spec in model.describe() if spec is not None or not numeric}
    for name, offer in offers.items():
        out.update(_fields(offer, f"offers.{name}.", numeric))
    if settings is not None:
        out.update(_fields(settings, "dynamics.", numeric))
    if buy_time is not None:
        fields = _fields(buy_time, "buy_time.", numeric)
        fields.pop("buy_time.periods", None)  # the horizon is each analysis's periods
        out.update(fields)
    return out


def _unknown_parameter(name: str, known: Mapping[str, Any]) -> KeyError:
    hint = suggest(name, known)
    extra = f"; did you mean {hint!r}?" if hint else "; see Scenario.params"
    return KeyError(f"unknown parameter {name!r}{extra}")


@dataclass(frozen=True, kw_only=True)
class Scenario:
    """A validated scenario: the model with its parameters, offers, strategies, analyses.

    Attributes
    ----------
    title, description : str
    seed : int
        Seed for every random draw of the scenario's analyses.
    source : str or None
        The file it was read from.
    model : NegotiationModel
    offers : dict of str to Offer
        In the order written; the first is the default offer of an analysis.
    strategies : dict of str to StrategyProfile
        The built-in :data:`DEFAULT_STRATEGIES` plus the file's own.
    dynamics : DynamicsSettings
        How the multi-period simulation of ``compare`` analyses runs.
    buy_time : BuyTimeSettings
        How the buy-time game of ``compare`` analyses is played and discretised.
    analyses : tuple of AnalysisSpec
    figures, figure_formats : tuple of str
    raw : dict
        The document as written, after ``extends`` merging (formulas as text).
    formulas : dict of str to str
        Parameters given by formulas (dotted name -> formula); :meth:`with_params`
        re-evaluates them, so a formula keeps following the parameters it reads.

    Examples
    --------
    >>> s = Scenario(title="t", model=NegotiationModel(), offers={"deal": Offer(name="deal")},
    ...              formulas={"russia.sanctions_cost": "=0.5 * russia.war_cost"})
    >>> s2 = s.with_params(russia__war_cost=0.4)
    >>> s2.model.russia.sanctions_cost
    0.2
    >>> s2.with_params({"offers.deal.alignment": 0.3}).offers["deal"].alignment
    0.3
    """

    title: str
    description: str = ""
    seed: int = 0
    source: str | None = None
    model: NegotiationModel
    offers: dict[str, Offer]
    strategies: dict[str, StrategyProfile] = field(default_factory=lambda: dict(DEFAULT_STRATEGIES))
    dynamics: DynamicsSettings = field(default_factory=DynamicsSettings)
    buy_time: BuyTimeSettings = field(default_factory=BuyTimeSettings)
    analyses: tuple[AnalysisSpec, ...] = ()
    figures: tuple[str, ...] = ()
    figure_formats: tuple[str, ...] = ("png", "svg")
    raw: dict[str, Any] = field(default_factory=dict, compare=False)
    formulas: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.offers:
            raise ValueError("a scenario needs at least one offer")
        object.__setattr__(self, "analyses", tuple(self.analyses))
        object.__setattr__(self, "figures", tuple(self.figures))
        object.__setattr__(self, "figure_formats", tuple(self.figure_formats))

    @property
    def params(self) -> dict[str, Any]:
        """Every parameter of the model, the offers and the dynamics, by dotted name."""
        return parameter_values(self.model, self.offers, self.dynamics, buy_time=self.buy_time)

    @property
    def first_offer(self) -> Offer:
        """The first offer of :attr:`offers` (the one analyses use when they name none)."""
        return next(iter(self.offers.values()))

    def offer(self, name: str | None = None) -> Offer:
        """Deprecated: use ``scenario.offers[name]`` or :attr:`first_offer`.

        Parameters
        ----------
        name : str, optional
            An offer's name (default: the first offer).

        Returns
        -------
        Offer

        Raises
        ------
        KeyError
            If the scenario has no offer called ``name`` (the message lists them).
        """
        import warnings

        warnings.warn(
            "Scenario.offer() is deprecated (offers is the dict of offers): use "
            "scenario.offers[name], or scenario.first_offer",
            FutureWarning,
            stacklevel=2,
        )
        if name is None:
            return self.first_offer
        if name not in self.offers:
            hint = suggest(name, self.offers)
            known = ", ".join(repr(k) for k in self.offers)
            extra = f"; did you mean {hint!r}?" if hint else ""
            raise KeyError(f"unknown offer {name!r}{extra} (the offers: {known})")
        return self.offers[name]

    def __repr__(self) -> str:
        analyses = [f"{a.kind} {getattr(a, 'target', '')}".strip() for a in self.analyses]
        where = f", source={self.source!r}" if self.source else ""
        return (
            f"Scenario({self.title!r}, offers={list(self.offers)}, analyses={analyses}, "
            f"changed parameters={len(self.model.changed())}{where})"
        )

    def _repr_html_(self) -> str:
        changed = self.model.changed()
        parts = [
            f"<h3>{html.escape(self.title)}</h3>",
            f"<p>{html.escape(self.description)}</p>" if self.description else "",
            html_rows(
                ("parameter", "value"), list(changed.items()), "parameters changed from defaults"
            ),
        ]
        parts += [offer._repr_html_() for offer in self.offers.values()]
        kinds = [(a.kind, getattr(a, "target", "")) for a in self.analyses]
        parts.append(html_rows(("analysis", "target"), kinds, "analyses"))
        return "".join(parts)

    def with_params(self, changes: Mapping[str, Any] | None = None, **kwargs: Any) -> Scenario:
        """A copy with parameters changed, by dotted name or ``__``-separated keyword.

        Model parameters are named as in :attr:`NegotiationModel.params`, offer fields as
        ``offers.<offer>.<field>``, dynamics settings as ``dynamics.<field>``. A changed
        parameter that was a formula stops being one; every other formula is evaluated again
        with the new values.
        """
        updates = dict(changes or {})
        updates.update({key.replace("__", "."): value for key, value in kwargs.items()})
        current = self.params
        aliases = formula_aliases(current)
        updates = {aliases.get(name, name): value for name, value in updates.items()}
        for name in updates:
            if name not in current:
                raise _unknown_parameter(name, current)
        formulas = {k: v for k, v in self.formulas.items() if k not in updates}
        if formulas:
            numeric = parameter_values(self.model, self.offers, self.dynamics, numeric=True)
            numeric.update({k: v for k, v in updates.items() if k in numeric})
            updates.update(evaluate_formulas(formulas, numeric, formula_aliases(numeric)))
        model_changes: dict[str, Any] = {}
        dynamics_changes: dict[str, Any] = {}
        buy_time_changes: dict[str, Any] = {}
        offers = dict(self.offers)
        for name, value in updates.items():
            head, _, rest = name.partition(".")
            if head == "offers":
                offer_name, _, field_name = rest.partition(".")
                offers[offer_name] = offers[offer_name].with_values(**{field_name: value})
            elif head == "dynamics":
                dynamics_changes[rest] = value
            elif head == "buy_time":
                buy_time_changes[rest] = value
            else:
                model_changes[name] = value
        model = self.model.with_params(model_changes) if model_changes else self.model
        settings = replace(self.dynamics, **dynamics_changes)
        buy_time = replace(self.buy_time, **buy_time_changes)
        return replace(
            self,
            model=model,
            offers=offers,
            dynamics=settings,
            buy_time=buy_time,
            formulas=formulas,
        )
