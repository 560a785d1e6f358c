"""Buy-time dynamics: talks, fighting, regrouping, sanctions and coalition cohesion over periods.

The question: when does *buying time* (an insincere offer while regrouping and working on the
coalition's weakest links) pay against a *genuine compromise*? This module holds the state, the
transition and payoff rules, the strategies and a Monte Carlo simulation vectorised across runs
(:func:`simulate`); :mod:`simulator.model.markov` solves the same game for a Markov perfect
equilibrium. It expresses mission claims 1 (offers may be insincere: words alone do not
separate the types, only evidence does), 2 (offers target the coalition: a wedge on the weakest
link), 5 (a pause lets Russia regroup, so a deal may be broken later) and 6 (signals still carry
information: beliefs update on battles and on the evidence of regrouping).

Sources
-------
* Bargaining while fighting: R. Powell (2004), "Bargaining and learning while fighting",
  *American Journal of Political Science* 48(2); D. Filson & S. Werner (2002), "A bargaining
  model of war and peace", *AJPS* 46(4); B. Slantchev (2003), "The principle of convergence in
  wartime negotiations", *APSR* 97(4); A. Smith & A. Stam (2004), "Bargaining and the nature of
  war", *Journal of Conflict Resolution* 48(6). The front is a random walk of battles over
  positions ``0..N`` absorbing at both ends; beliefs update on each battle.
* Insincere talks: E. Min (2020), "Talking while fighting", *International Organization* 74(3);
  Dong (2025, *Journal of Conflict Resolution*) on stalling to arm; A. Admati & M. Perry
  (1987), "Strategic delay in bargaining", *Review of Economic Studies* 54(3).
* Commitment problem: R. Powell (2006), *International Organization* 60(1)
  (:mod:`simulator.model.published.commitment`).
* Contest function: S. Skaperdas (1996), *Economic Theory* 7.
* Coalition: Olson & Zeckhauser (1966), Hirshleifer (1983), Granovetter (1978), Fearon (1994),
  reused from :mod:`~simulator.model.published.coalition`; the West's relax threshold from
  Fearon (1997) via :mod:`simulator.model.published.costly_signalling`.

The rules (``docs/dynamics.md`` states them in full)
----------------------------------------------------
Russia is *sincere* (prior ``russia.prior_sincere``) or a *staller*; the types differ only in
how fast they regroup during a pause, ``rho_S`` and ``rho_B``. During a period of talks with a
ceasefire Russia's capability grows ``K <- K + rho (1 - drag [West holds]) max(K_bar - K, 0)``;
under a signed deal it grows at ``(1 - G) rho`` (security guarantees of strength ``G`` block the
share ``G``: Powell's shrunk shift). Battles are won by Russia with probability
``K^g / (K^g + K_U^g)`` and move the front one position. The West observes each period of
talks a signal ``z ~ Normal(rho_type, signal_noise)`` and each battle outcome, and updates its
belief that Russia is sincere by Bayes' rule. Per-period payoffs, with ``x`` Ukraine's
alignment (``1 - front/N`` while the war is undecided, the offer's alignment under a deal)::

    Russia:      (1 - x) + S R(x) - c_R [battle] - s_c * s * C - wedge spent
    Ukraine:     x - c_U [battle]
    government:  b_i x - kappa_i (1 + f_i)^t * s * [i still sanctions]

``R(x)`` is the share of the status premium Russia keeps: all of it up to ``x_dom``
(``russia.dominance_threshold``), none beyond ``x_dom + russia.status_loss_span``, linear
between. ``s`` is the sanctions level (1; ``1 - easing`` while the West eases during talks;
``1 - offer.sanctions_relief`` under a deal) and ``C`` the coalition's cohesion
(``west.western_cohesion`` times the pressure of the members still sanctioning). Payoffs are
discounted; with ``terminal_value`` the final state's flow (without war costs) continues for
ever.

Every rule above (contest, status, sanctions, regrouping, guarantees, Bayes' rule) is the
function of :mod:`simulator.model.rules`; this module only assembles them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy.special import expit, ndtr, ndtri

from simulator.model import rules
from simulator.model.negotiation import NegotiationModel
from simulator.model.offers import Offer
from simulator.model.parameters import ParameterError, parameter, validate
from simulator.model.published.bargaining import bargaining_range
from simulator.model.published.coalition import defection_cascade, marginal_effect
from simulator.model.published.costly_signalling import relax_threshold
from simulator.model.rules import contest  # re-exported: importers use dynamics.contest

if TYPE_CHECKING:
    from simulator.model.markov import MPEResult

__all__ = [
    "DynamicsSettings",
    "PHASES",
    "PROFILES",
    "RUSSIA_STRATEGIES",
    "RunParameters",
    "SimulationResult",
    "StrategyProfile",
    "UKRAINE_STRATEGIES",
    "WEST_STRATEGIES",
    "capability_after_talks",
    "coalition_defectors",
    "contest",
    "relax_threshold_runs",
    "sample_parameters",
    "simulate",
    "sincere_posterior",
]

#: Phase codes stored in :attr:`SimulationResult.phase`.
PHASES = ("fighting", "talking", "settled", "renewed_war", "russia_won", "ukraine_won")
FIGHTING, TALKING, SETTLED, RENEWED, RUSSIA_WON, UKRAINE_WON = range(6)

RUSSIA_STRATEGIES = ("genuine_compromise", "buy_time", "fight_on")
WEST_STRATEGIES = ("sceptical", "reciprocate", "hold", "best_response")
UKRAINE_STRATEGIES = ("accept_if_guaranteed", "talk_while_fighting", "reject")

PER_PERIOD = "share of the stake per period"


# ---------------------------------------------------------------------------- settings
@dataclass(frozen=True)
class DynamicsSettings:
    """How the multi-period game is run: horizon, front, evidence and the rules of talks.

    Every field is a documented, range-checked parameter (see ``docs/dynamics.md``).

    Examples
    --------
    >>> s = DynamicsSettings(periods=12, front_positions=6)
    >>> s.periods, s.initial_position
    (12, 3)
    >>> DynamicsSettings(signal_noise=0)
    Traceback (most recent call last):
    ...
    simulator.model.parameters.ParameterError: dynamics.signal_noise = 0 is outside ...
    """

    periods: int = parameter(
        24, low=1, high=500, integer=True, unit="periods", description="number of periods played"
    )
    front_positions: int = parameter(
        10,
        low=2,
        high=200,
        integer=True,
        unit="positions",
        description="N: the front runs over 0..N, absorbing at 0 (Ukraine prevails) and N "
        "(Russia prevails)",
    )
    initial_front: float = parameter(
        0.5,
        low=0,
        high=1,
        low_open=True,
        high_open=True,
        unit="share of the stake held by Russia",
        description="starting front as a share of N (rounded to an interior position)",
    )
    signal_noise: float = parameter(
        0.2,
        low=0,
        high=100,
        low_open=True,
        unit="regroup rate",
        description="standard deviation of the West's observation of Russia's regroup effort "
        "in each period of talks",
    )
    easing: float = parameter(
        0.5,
        low=0,
        high=1,
        unit="share of sanctions",
        description="share of sanctions the West lifts while it eases during talks",
    )
    sanctions_drag: float = parameter(
        0.5,
        low=0,
        high=1,
        unit="share of the regroup rate",
        description="share of Russia's regrouping that sanctions block while the West holds "
        "them during talks",
    )
    wedge_budget: float = parameter(
        0.02,
        low=0,
        high=10,
        unit=PER_PERIOD,
        description="inducement Russia spends per period of talks on the coalition's weakest link",
    )
    resume_threshold: float = parameter(
        0.8,
        low=0,
        high=1,
        unit="share of the capability gap",
        description="buy_time resumes the war once it has restored this share of the gap "
        "between its initial capability and the ceiling",
    )
    resume_patience: int = parameter(
        3,
        low=0,
        high=1000,
        integer=True,
        unit="periods",
        description="buy_time also resumes after this many consecutive periods of talks in which "
        "the West held sanctions (talks stop paying); 0 = never",
    )
    guarantee_level: float = parameter(
        0.5,
        low=0,
        high=1,
        unit="strength G x credibility",
        description="least effective security guarantee at which accept_if_guaranteed signs",
    )
    negotiation_periods: int = parameter(
        1,
        low=0,
        high=1000,
        integer=True,
        unit="periods",
        description="periods of talks needed before a deal can be signed",
    )
    west_discount_factor: float = parameter(
        0.95,
        low=0,
        high=1,
        high_open=True,
        unit="per period",
        description="weight the Western governments put on next period's payoff",
    )
    terminal_value: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.terminal_value, bool):
            raise ParameterError(
                "dynamics.terminal_value",
                self.terminal_value,
                "dynamics.terminal_value must be true or false",
            )
        validate(self, "dynamics")

    @property
    def initial_position(self) -> int:
        """The starting front position, an interior point of ``1..N-1``."""
        return rules.interior_front(self.initial_front, self.front_positions)


# ---------------------------------------------------------------------------- profiles
@dataclass(frozen=True)
class StrategyProfile:
    """One strategy for each actor (``docs/dynamics.md``, "Strategies").

    ``russia`` is played by both Russian types unless ``sincere_russia`` names a different
    strategy for the sincere type.

    Examples
    --------
    >>> StrategyProfile("buy_time", "sceptical", "talk_while_fighting").russia
    'buy_time'
    >>> StrategyProfile("stall")
    Traceback (most recent call last):
    ...
    ValueError: russia strategy 'stall' is not known; choose one of ...
    """

    russia: str = "buy_time"
    west: str = "sceptical"
    ukraine: str = "talk_while_fighting"
    sincere_russia: str | None = None

    def __post_init__(self) -> None:
        _choice("russia", self.russia, RUSSIA_STRATEGIES)
        _choice("west", self.west, WEST_STRATEGIES)
        _choice("ukraine", self.ukraine, UKRAINE_STRATEGIES)
        if self.sincere_russia is not None:
            _choice("sincere_russia", self.sincere_russia, RUSSIA_STRATEGIES)

    @property
    def russia_by_type(self) -> tuple[str, str]:
        """(strategy of the sincere type, strategy of the staller)."""
        return (self.sincere_russia or self.russia, self.russia)


def _choice(role: str, value: Any, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"{role} strategy {value!r} is not known; choose one of {list(allowed)}")


#: The profiles compared by the scenario sketch, plus the war baseline.
PROFILES: dict[str, StrategyProfile] = {
    "buy_time": StrategyProfile("buy_time", "sceptical", "talk_while_fighting"),
    "genuine_compromise": StrategyProfile(
        "genuine_compromise", "reciprocate", "accept_if_guaranteed"
    ),
    "fight_on": StrategyProfile("fight_on", "hold", "reject"),
}


def _as_profile(profile: StrategyProfile | str | Mapping[str, str]) -> StrategyProfile:
    if isinstance(profile, StrategyProfile):
        return profile
    if isinstance(profile, str):
        if profile not in PROFILES:
            raise ValueError(f"unknown profile {profile!r}; choose one of {list(PROFILES)}")
        return PROFILES[profile]
    if isinstance(profile, Mapping):
        return StrategyProfile(**dict(profile))
    raise TypeError(f"profile must be a StrategyProfile, a name or a mapping; got {profile!r}")


# ---------------------------------------------------------------------------- parameters
#: Scalar model parameters read by the dynamics (each may be made uncertain).
READ_PARAMETERS = (
    "russia.capability",
    "russia.capability_ceiling",
    "russia.regroup_rate_sincere",
    "russia.regroup_rate_staller",
    "russia.discount_factor",
    "russia.war_cost",
    "russia.sanctions_cost",
    "russia.great_power_status",
    "russia.dominance_threshold",
    "russia.status_loss_span",
    "russia.prior_sincere",
    "ukraine.capability",
    "ukraine.war_cost",
    "ukraine.discount_factor",
    "west.western_cohesion",
    "west.security_guarantee_credibility",
    "contest_exponent",
)
#: Per-government parameters read by the dynamics (``west.governments.<name>.<field>``).
READ_GOVERNMENT = (
    "value_of_success",
    "sanctions_burden",
    "audience_cost",
    "fatigue_rate",
    "defection_threshold",
)


@dataclass(frozen=True, eq=False)
class RunParameters:
    """The parameters of every run as arrays: one value per run (shape ``(runs,)``).

    Attributes
    ----------
    values : dict of str to numpy array
        Each name of :data:`READ_PARAMETERS` mapped to its values, shape ``(runs,)``.
    governments : dict of str to numpy array
        Each field of :data:`READ_GOVERNMENT` mapped to shape ``(runs, n)``.
    names : tuple of str
        The governments' names.
    weights : numpy array
        Their weights (shared by all runs).
    aggregation : str
    cohesion_threshold : float
    uncertain : tuple of str
        The dotted names drawn per run.
    """

    values: dict[str, np.ndarray]
    governments: dict[str, np.ndarray]
    names: tuple[str, ...]
    weights: np.ndarray
    aggregation: str
    cohesion_threshold: float
    uncertain: tuple[str, ...] = ()

    @property
    def runs(self) -> int:
        """Number of runs."""
        return int(next(iter(self.values.values())).shape[0])

    def __getitem__(self, name: str) -> np.ndarray:
        return self.values[name]


def sample_parameters(
    model: NegotiationModel,
    runs: int = 1,
    uncertain: Mapping[str, Mapping[str, Any]] | None = None,
    rng: np.random.Generator | None = None,
) -> RunParameters:
    """Per-run parameter arrays: the model's values, with the ``uncertain`` ones drawn per run.

    ``uncertain`` maps a dotted parameter name (as in ``NegotiationModel().params``) to a
    distribution: ``{"distribution": "beta", "mean": m, "sd": s}`` (on ``[low, high]``,
    default ``[0, 1]``), ``{"distribution": "uniform", "low": a, "high": b}`` or
    ``{"distribution": "normal", "mean": m, "sd": s}`` truncated to the parameter's valid
    range (and to ``low``/``high`` when given).

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> p = sample_parameters(NegotiationModel(), 4, {"russia.regroup_rate_staller":
    ...     {"distribution": "beta", "mean": 0.25, "sd": 0.08}}, rng)
    >>> p["russia.regroup_rate_staller"].shape, p["russia.war_cost"].tolist()
    ((4,), [0.1, 0.1, 0.1, 0.1])
    """
    if isinstance(runs, bool) or not isinstance(runs, (int, np.integer)) or runs < 1:
        raise ValueError(f"runs must be a whole number >= 1; got {runs!r}")
    runs = int(runs)
    rng = np.random.default_rng() if rng is None else rng
    described = {name: (value, spec) for name, value, spec in model.describe()}
    west = model.west
    names = tuple(g.name for g in west.governments)
    values = {name: np.full(runs, float(described[name][0])) for name in READ_PARAMETERS}
    governments = {
        f: np.tile([float(getattr(g, f)) for g in west.governments], (runs, 1))
        for f in READ_GOVERNMENT
    }
    drawn: list[str] = []
    for name, spec in (uncertain or {}).items():
        target = _uncertain_target(name, described, names)
        value_spec = described[name][1]
        sample = _draw(name, spec, value_spec, runs, rng)
        if target[0] == "scalar":
            values[name] = sample
        else:
            governments[target[2]][:, target[1]] = sample
        drawn.append(name)
    return RunParameters(
        values=values,
        governments=governments,
        names=names,
        weights=np.array([g.weight for g in west.governments], dtype=float),
        aggregation=west.aggregation,
        cohesion_threshold=float(west.cohesion_threshold),
        uncertain=tuple(drawn),
    )


def _uncertain_target(
    name: str, described: dict[str, tuple[Any, Any]], names: tuple[str, ...]
) -> tuple[str, int, str]:
    if name not in described:
        NegotiationModel().with_params({name: 0})  # raises KeyError with a suggestion
        raise KeyError(f"unknown parameter {name!r}")  # pragma: no cover
    if name in READ_PARAMETERS:
        return ("scalar", -1, "")
    parts = name.split(".")
    if len(parts) == 4 and parts[:2] == ["west", "governments"] and parts[3] in READ_GOVERNMENT:
        return ("government", names.index(parts[2]), parts[3])
    readable = list(READ_PARAMETERS) + [f"west.governments.<name>.{f}" for f in READ_GOVERNMENT]
    raise ValueError(
        f"{name!r} cannot be uncertain in the dynamics: it is not read by the simulation "
        f"(or, for weights and cohesion_threshold, it is shared by all runs). "
        f"Uncertain parameters may be: {readable}"
    )


def _draw(name: str, spec: Mapping[str, Any], pspec: Any, runs: int, rng: Any) -> np.ndarray:
    if not isinstance(spec, Mapping) or "distribution" not in spec:
        raise ValueError(
            f"the distribution of {name!r} must be a mapping with a 'distribution' key "
            f"(beta, uniform or normal); got {spec!r}"
        )
    kind = spec["distribution"]
    lo_range, hi_range = float(pspec.low), float(pspec.high)

    def number(key: str, default: float | None = None) -> float:
        if key not in spec and default is not None:
            return default
        if key not in spec:
            raise ValueError(f"the {kind} distribution of {name!r} needs {key!r}")
        value = spec[key]
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not math.isfinite(value)
        ):
            raise ValueError(f"{name}: {key} must be a finite number; got {value!r}")
        return float(value)

    if kind == "beta":
        low, high = number("low", 0.0), number("high", 1.0)
        mean, sd = number("mean"), number("sd")
        if not low < mean < high or sd <= 0:
            raise ValueError(f"{name}: beta needs low < mean < high and sd > 0; got {dict(spec)}")
        m, v = (mean - low) / (high - low), (sd / (high - low)) ** 2
        if v >= m * (1 - m):
            raise ValueError(
                f"{name}: a beta distribution with mean {mean} on [{low}, {high}] needs "
                f"sd < {math.sqrt(m * (1 - m)) * (high - low):.4g}; got {sd}"
            )
        k = m * (1 - m) / v - 1
        sample = low + (high - low) * rng.beta(m * k, (1 - m) * k, runs)
        _inside(name, low, high, pspec)
    elif kind == "uniform":
        low, high = number("low"), number("high")
        if not low <= high:
            raise ValueError(f"{name}: uniform needs low <= high; got {dict(spec)}")
        _inside(name, low, high, pspec)
        sample = rng.uniform(low, high, runs)
    elif kind == "normal":
        mean, sd = number("mean"), number("sd")
        if sd <= 0:
            raise ValueError(f"{name}: normal needs sd > 0; got {sd}")
        low = max(lo_range, number("low", lo_range))
        high = min(hi_range, number("high", hi_range))
        sample = _truncated_normal(mean, sd, low, high, runs, rng)
        sample = np.clip(sample, np.nextafter(low, high) if pspec.low_open else low, high)
        if pspec.high_open:
            sample = np.minimum(sample, np.nextafter(high, low))
    else:
        raise ValueError(
            f"{name}: unknown distribution {kind!r}; choose 'beta', 'uniform' or 'normal'"
        )
    return np.asarray(sample, dtype=float)


def _inside(name: str, low: float, high: float, pspec: Any) -> None:
    below = low < pspec.low or (pspec.low_open and low == pspec.low and low == high)
    above = high > pspec.high or (pspec.high_open and high == pspec.high and low == high)
    if below or above:
        raise ValueError(
            f"{name}: the distribution's support [{low:g}, {high:g}] leaves the parameter's "
            f"valid range {pspec.range_text()}"
        )


def _truncated_normal(
    mean: float, sd: float, low: float, high: float, runs: int, rng: Any
) -> np.ndarray:
    """Inverse-CDF sampling of ``Normal(mean, sd)`` truncated to ``[low, high]``."""
    a, b = (low - mean) / sd, (high - mean) / sd
    flip = a > 0  # sample the mirror image in the far upper tail, where ndtr loses precision
    if flip:
        a, b = -b, -a
    lo_cdf, hi_cdf = ndtr(a), ndtr(b)
    if not hi_cdf > lo_cdf:
        raise ValueError(
            f"a normal({mean}, {sd}) truncated to [{low}, {high}] has no mass to sample from"
        )
    z = ndtri(rng.uniform(lo_cdf, hi_cdf, runs))
    return mean + sd * (-z if flip else z)


# ---------------------------------------------------------------------------- building blocks
def capability_after_talks(
    capability: Any,
    ceiling: Any,
    rate: Any,
    eased: Any = 0,
    held: Any = 0,
    drag: Any = 0.0,
    settled: Any = 0,
    guarantee: Any = 0.0,
) -> Any:
    """Capability after ``eased`` + ``held`` periods of talks and ``settled`` periods of a deal.

    Each period moves ``K`` towards the ceiling by a share of the gap: ``rate`` while the West
    eases, ``rate (1 - drag)`` while it holds sanctions, ``rate (1 - G)`` under a deal with
    guarantees of strength ``G``. Each period is :func:`simulator.model.rules.regroup` at that
    rate; these maps share the fixed point ``K_bar``, so they commute and only the counts matter
    (this is their closed-form composition). A capability at or above the ceiling does not move.

    Examples
    --------
    >>> round(capability_after_talks(1.0, 1.5, 0.25, eased=2), 6)  # 1.5 - 0.5 * 0.75^2
    1.21875
    >>> round(capability_after_talks(1.0, 1.5, 0.25, held=1, drag=0.5), 6)
    1.0625
    """
    k = np.asarray(capability, dtype=float)
    kbar = np.asarray(ceiling, dtype=float)
    r = np.asarray(rate, dtype=float)
    keep = (
        (1.0 - r) ** np.asarray(eased)
        * (1.0 - r * (1.0 - np.asarray(drag))) ** np.asarray(held)
        * (1.0 - r * (1.0 - np.asarray(guarantee))) ** np.asarray(settled)
    )
    out = np.where(k < kbar, kbar - (kbar - k) * keep, k)
    return out.item() if np.ndim(out) == 0 else out


def coalition_defectors(
    value_of_success: Any,
    sanctions_burden: Any,
    audience_cost: Any,
    fatigue_rate: Any,
    defection_threshold: Any,
    weights: Any,
    *,
    aggregation: str = "sum",
    threshold: float = 0.5,
    period: Any = 0,
    budget: Any = 0.0,
) -> np.ndarray:
    """Who defects from the coalition in ``period`` after a wedge of total size ``budget``.

    Batched form of :func:`~simulator.model.published.coalition.wedge_strategy` with
    ``method="greedy"``: members whose margin ``b_i Delta_i + a_i - kappa_i (1 + f_i)^t`` is
    negative defect and the Granovetter cascade spreads it
    (:func:`~.published.coalition.defection_cascade`); then Russia's cumulative inducement flips
    the supporter closest to defecting (the weakest link) while the margins it has paid for stay
    below the budget, re-running the cascade after each flip. Member arrays have shape
    ``(..., n)``; ``period`` and ``budget`` broadcast against the leading axes.

    Examples
    --------
    >>> coalition_defectors([1.0, 0.3], [0.2, 0.45], [0.2, 0.2], 0.0, [0.5, 0.5], [3, 1],
    ...                     aggregation="weakest_link", budget=[0.0, 0.06]).tolist()
    [[False, False], [False, True]]
    """
    w = np.asarray(weights, dtype=float)
    n = w.size
    delta = marginal_effect(w, aggregation, threshold)
    period = np.asarray(period, dtype=float)[..., None]
    burden = rules.fatigued_burden(sanctions_burden, fatigue_rate, period)
    margin = np.asarray(value_of_success, dtype=float) * delta + audience_cost - burden
    budget = np.asarray(budget, dtype=float)
    shape = np.broadcast_shapes(margin.shape, budget.shape + (n,))
    margin = np.broadcast_to(margin, shape)
    theta = np.broadcast_to(np.asarray(defection_threshold, dtype=float), shape)
    budget = np.broadcast_to(budget, shape[:-1])
    base = defection_cascade(theta, w, margin < 0).defectors
    defect = base
    forced = np.zeros(shape, dtype=bool)
    spent = np.zeros(shape[:-1])
    active = budget > 0
    for _ in range(n):
        if not active.any():
            break
        price = np.where(defect, np.inf, margin)
        target = np.argmin(price, axis=-1)
        cheapest = np.take_along_axis(price, target[..., None], axis=-1)[..., 0]
        flip = active & np.isfinite(cheapest) & (spent + cheapest < budget)
        forced = forced | (flip[..., None] & (np.arange(n) == target[..., None]))
        spent = spent + np.where(flip, cheapest, 0.0)
        active = flip
        defect = defection_cascade(theta, w, base | forced).defectors
    return defect


def relax_threshold_runs(params: RunParameters) -> np.ndarray:
    """The West's relax threshold ``mu*`` for every run (Fearon 1997; costly_signalling).

    The vectorised form of ``sincerity_parameters_from_model(model).classify().relax_threshold``:
    ``w_S`` is the weight-averaged sanctions burden, ``w_B`` the weight-averaged value of success
    times the staller's one-period regroup advantage in win probability.

    Examples
    --------
    >>> round(float(relax_threshold_runs(sample_parameters(NegotiationModel()))[0]), 6)
    0.128205
    """
    share = params.weights / params.weights.sum()
    w_s = params.governments["sanctions_burden"] @ share
    value = params.governments["value_of_success"] @ share
    k0, kbar = params["russia.capability"], params["russia.capability_ceiling"]
    ku, g = params["ukraine.capability"], params["contest_exponent"]
    regrouped = rules.regroup(k0, kbar, params["russia.regroup_rate_staller"])
    advantage = np.maximum(contest(regrouped, ku, g) - contest(k0, ku, g), 0.0)
    w_b = value * advantage
    if np.any(w_s + w_b <= 0):
        raise ValueError(
            "the West has neither a sanctions burden nor a value of success at stake "
            "(w_S = w_B = 0) in some run, so its relax threshold is undefined; raise "
            "west.governments.<name>.sanctions_burden or value_of_success"
        )
    return np.asarray(relax_threshold(w_s, w_b), dtype=float)


def russia_flow(
    alignment: Any,
    battle: Any,
    relief: Any,
    cohesion: Any,
    pressure: Any,
    *,
    status: Any,
    dominance_threshold: Any,
    status_loss_span: Any,
    war_cost: Any,
    sanctions_cost: Any,
    wedge: Any = 0.0,
) -> Any:
    """Russia's payoff in one period (see the module docstring).

    ``1 - x + S R(x) - c_R [battle] - (1 - relief) s_c c pi - wedge``: the status premium is
    :func:`simulator.model.rules.status_value`, the sanctions
    :func:`simulator.model.rules.sanctions_loss` (``cohesion`` ``c`` is
    ``west.western_cohesion``, ``pressure`` ``pi`` that of the members still sanctioning).

    Examples
    --------
    At neutrality (0.3) with the default threshold (0.15) and span (0.3) Russia keeps half of
    its premium of 0.5: ``0.7 + 0.25 - 0.1 (battle) - 0.1 (sanctions) = 0.75``.

    >>> round(russia_flow(0.3, 1, 0.0, 1.0, 1.0, status=0.5, dominance_threshold=0.15,
    ...                   status_loss_span=0.3, war_cost=0.1, sanctions_cost=0.1), 12)
    0.75
    """
    x = np.asarray(alignment, dtype=float)
    return _out(
        1.0
        - x
        + rules.status_value(x, status, dominance_threshold, status_loss_span)
        - np.asarray(war_cost) * battle
        - rules.sanctions_loss(sanctions_cost, cohesion, pressure, relief)
        - wedge
    )


def ukraine_flow(alignment: Any, battle: Any, *, war_cost: Any) -> Any:
    """Ukraine's payoff in one period: its alignment minus the cost of a battle.

    Examples
    --------
    >>> round(ukraine_flow(0.6, 1, war_cost=0.15), 12)
    0.45
    """
    return _out(np.asarray(alignment, dtype=float) - np.asarray(war_cost) * battle)


def _out(value: Any) -> Any:
    """A Python float for 0-d results, the array otherwise."""
    value = np.asarray(value)
    return float(value) if value.ndim == 0 else value


# ---------------------------------------------------------------------------- results
@dataclass(frozen=True, eq=False)
class SimulationResult:
    """Monte Carlo paths and payoffs of a strategy profile.

    Path arrays have shape ``(runs, periods + 1)``: column ``t`` is the state at the start of
    period ``t`` (column 0 the initial state, the last column the final state).

    Attributes
    ----------
    profile : StrategyProfile
    settings : DynamicsSettings
    seed : int or None
    sincere : numpy bool array, shape (runs,)
        Russia's type in each run.
    cohesion, capability, belief, sanctions : numpy float32 arrays
        Western cohesion ``C``, Russia's capability ``K_R``, the West's belief that Russia is
        sincere, and the sanctions level in force during the period that ended there.
    front : numpy int16 array
        Front position ``0..N`` (``N``: Russia prevails).
    phase : numpy int8 array
        Codes into :data:`PHASES`.
    supporting : numpy bool array, shape (runs, periods + 1, n)
        Which governments still sanction.
    payoffs : dict of str to numpy array
        Discounted payoff per run: ``"russia"``, ``"ukraine"``, ``"west"`` (weight-averaged
        governments) and ``"governments"`` (shape ``(runs, n)``).
    settlement_period, renewal_period : numpy int arrays, shape (runs,)
        Period in which a deal was signed / the war resumed after talks or a deal (-1: never).
    parameters : RunParameters
        The parameters of every run.
    government_names : tuple of str

    Examples
    --------
    >>> r = simulate(NegotiationModel(), Offer.neutrality_for_guarantees(), "fight_on",
    ...              runs=2000, periods=4, seed=3)
    >>> r.front.shape, r.settlement_probability
    ((2000, 5), 0.0)
    >>> r.mean_path("capability").tolist()  # no pause, no regrouping
    [1.0, 1.0, 1.0, 1.0, 1.0]
    >>> sorted(r.paths()["belief"]["all"])[:3]
    ['mean', 'period', 'q05']
    """

    profile: StrategyProfile
    settings: DynamicsSettings
    seed: int | None
    sincere: np.ndarray
    cohesion: np.ndarray
    capability: np.ndarray
    belief: np.ndarray
    sanctions: np.ndarray
    front: np.ndarray
    phase: np.ndarray
    supporting: np.ndarray
    payoffs: dict[str, np.ndarray]
    settlement_period: np.ndarray
    renewal_period: np.ndarray
    parameters: RunParameters
    government_names: tuple[str, ...] = field(default=())

    @property
    def runs(self) -> int:
        """Number of runs."""
        return int(self.sincere.size)

    @property
    def periods(self) -> int:
        """Number of periods."""
        return int(self.front.shape[1] - 1)

    def expected_payoffs(self) -> dict[str, dict[str, float]]:
        """Mean discounted payoff by actor, over all runs and by Russian type.

        Returns ``{actor: {"all": mean, "sincere": mean, "staller": mean, "se": standard
        error of the overall mean}}`` for ``russia``, ``ukraine``, ``west`` and each government
        (by name); a type never drawn gives ``nan``.
        """
        out: dict[str, dict[str, float]] = {}
        series = {k: self.payoffs[k] for k in ("russia", "ukraine", "west")}
        for i, name in enumerate(self.government_names):
            series[name] = self.payoffs["governments"][:, i]
        for actor, values in series.items():
            out[actor] = {
                "all": float(values.mean()),
                "sincere": _mean(values[self.sincere]),
                "staller": _mean(values[~self.sincere]),
                "se": float(values.std(ddof=1) / math.sqrt(values.size)) if values.size > 1 else 0,
            }
        return out

    @property
    def settlement_probability(self) -> float:
        """Share of runs in which a deal was signed."""
        return float(np.mean(self.settlement_period >= 0))

    @property
    def mean_settlement_period(self) -> float:
        """Mean period of signature among runs that settled (``nan`` if none did)."""
        signed = self.settlement_period[self.settlement_period >= 0]
        return float(signed.mean()) if signed.size else float("nan")

    def settlement_distribution(self) -> np.ndarray:
        """Probability that the deal is signed in period ``t``, for ``t = 0..periods-1``."""
        signed = self.settlement_period[self.settlement_period >= 0]
        return np.bincount(signed, minlength=self.periods)[: self.periods] / self.runs

    @property
    def renewed_war_probability(self) -> float:
        """Share of runs in which the war resumed after talks or after a deal."""
        return float(np.mean(self.renewal_period >= 0))

    @property
    def broken_deal_probability(self) -> float:
        """Share of runs in which a signed deal was later broken."""
        return float(np.mean((self.settlement_period >= 0) & (self.renewal_period >= 0)))

    @property
    def final_cohesion(self) -> float:
        """Mean Western cohesion at the end of the horizon."""
        return float(self.cohesion[:, -1].mean())

    def phase_shares(self) -> dict[str, np.ndarray]:
        """Share of runs in each phase at each column (shape ``(periods + 1,)`` per phase)."""
        return {name: np.mean(self.phase == code, axis=0) for code, name in enumerate(PHASES)}

    def bands(
        self, variable: str, quantiles: tuple[float, ...] = (0.05, 0.5, 0.95), by: str = "all"
    ) -> np.ndarray:
        """Quantiles of a path variable at each column, shape ``(len(quantiles), periods + 1)``.

        ``variable`` is one of ``"cohesion"``, ``"capability"``, ``"belief"``, ``"front"``,
        ``"sanctions"``; ``by`` selects ``"all"`` runs, ``"sincere"`` or ``"staller"``.
        """
        data = self._variable(variable)[self._rows(by)]
        if data.shape[0] == 0:
            return np.full((len(quantiles), data.shape[1]), np.nan)
        return np.quantile(data, quantiles, axis=0)

    def mean_path(self, variable: str, by: str = "all") -> np.ndarray:
        """Mean of a path variable at each column."""
        data = self._variable(variable)[self._rows(by)].astype(float)
        return data.mean(axis=0) if data.shape[0] else np.full(data.shape[1], np.nan)

    def paths(
        self, quantiles: tuple[float, ...] = (0.05, 0.25, 0.5, 0.75, 0.95)
    ) -> dict[str, dict[str, Any]]:
        """Plot-ready data: cohesion, capability and belief paths with Monte Carlo bands.

        Returns ``{variable: {by: {"period": [...], "mean": [...], "q05": [...], ...}}}`` with
        ``by`` in ``"all"``, ``"sincere"``, ``"staller"`` (plain lists of floats).
        """
        period = list(range(self.periods + 1))
        out: dict[str, dict[str, Any]] = {}
        for variable in ("cohesion", "capability", "belief"):
            out[variable] = {}
            for by in ("all", "sincere", "staller"):
                entry: dict[str, Any] = {
                    "period": period,
                    "mean": self.mean_path(variable, by).tolist(),
                }
                for q, row in zip(quantiles, self.bands(variable, quantiles, by)):
                    entry[f"q{round(100 * q):02d}"] = row.tolist()
                out[variable][by] = entry
        return out

    def summary(self) -> dict[str, Any]:
        """The headline numbers as plain Python values."""
        dist = self.settlement_distribution()
        return {
            "runs": self.runs,
            "periods": self.periods,
            "profile": {
                "russia": self.profile.russia,
                "sincere_russia": self.profile.russia_by_type[0],
                "west": self.profile.west,
                "ukraine": self.profile.ukraine,
            },
            "expected_payoffs": self.expected_payoffs(),
            "settlement_probability": self.settlement_probability,
            "mean_settlement_period": self.mean_settlement_period,
            "settlement_distribution": dist.tolist(),
            "renewed_war_probability": self.renewed_war_probability,
            "broken_deal_probability": self.broken_deal_probability,
            "final_cohesion": self.final_cohesion,
            "final_cohesion_bands": self.bands("cohesion")[:, -1].tolist(),
            "russia_victory_probability": float(np.mean(self.phase[:, -1] == RUSSIA_WON)),
            "ukraine_victory_probability": float(np.mean(self.phase[:, -1] == UKRAINE_WON)),
        }

    def _variable(self, variable: str) -> np.ndarray:
        allowed = ("cohesion", "capability", "belief", "front", "sanctions")
        if variable not in allowed:
            raise ValueError(f"variable must be one of {list(allowed)}; got {variable!r}")
        return getattr(self, variable)

    def _rows(self, by: str) -> np.ndarray:
        if by == "all":
            return np.ones(self.runs, dtype=bool)
        if by == "sincere":
            return self.sincere
        if by == "staller":
            return ~self.sincere
        raise ValueError(f"by must be 'all', 'sincere' or 'staller'; got {by!r}")


def _mean(values: np.ndarray) -> float:
    return float(values.mean()) if values.size else float("nan")


# ---------------------------------------------------------------------------- simulation
def simulate(
    model: NegotiationModel,
    offer: Offer,
    profile: StrategyProfile | str | Mapping[str, str] = "buy_time",
    runs: int = 10_000,
    periods: int | None = None,
    seed: int | None = None,
    uncertain: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    settings: DynamicsSettings | None = None,
    russian_type: str | None = None,
    mpe: MPEResult | None = None,
) -> SimulationResult:
    """Monte Carlo simulation of a strategy profile, vectorised across runs.

    Each run draws Russia's type (sincere with probability ``russia.prior_sincere`` unless
    ``russian_type`` fixes it), its own values of the ``uncertain`` parameters
    (:func:`sample_parameters`), and battle, signal and policy shocks; the runs then advance
    together period by period under the rules of ``docs/dynamics.md``. The same ``seed``
    gives identical output, and every run consumes the same random numbers whatever happens
    in it (common random numbers across profiles and types).

    Parameters
    ----------
    model : NegotiationModel
    offer : Offer
        The deal on the table: its ``alignment``, ``security_guarantees`` and
        ``sanctions_relief`` are read.
    profile : StrategyProfile, profile name (:data:`PROFILES`) or mapping
    runs : int
    periods : int, optional
        Overrides ``settings.periods``.
    seed : int, optional
        Seed of the :class:`numpy.random.Generator`.
    uncertain : mapping, optional
        Dotted parameter name -> distribution (see :func:`sample_parameters`).
    settings : DynamicsSettings, optional
    russian_type : {"sincere", "staller"}, optional
        Fix Russia's type in every run.
    mpe : MPEResult, optional
        The equilibrium whose West policy ``best_response`` follows (from
        :func:`simulator.model.markov.markov_perfect_equilibrium`); required for that profile.

    Returns
    -------
    SimulationResult

    Examples
    --------
    >>> r = simulate(NegotiationModel(), Offer.neutrality_for_guarantees(), "genuine_compromise",
    ...              runs=1000, periods=6, seed=1)
    >>> r.settlement_probability, r.mean_settlement_period
    (1.0, 1.0)

    A staller that buys time signs too, regroups under the deal and breaks it once it has
    restored 80% of its capability gap (period 22); a sincere Russia keeps it:

    >>> r2 = simulate(NegotiationModel(), Offer.neutrality_for_guarantees(), "buy_time",
    ...               runs=1000, seed=1)
    >>> r2.settlement_probability, r2.broken_deal_probability
    (1.0, 0.493)
    >>> sorted(set(r2.renewal_period.tolist()))
    [-1, 22]
    """
    profile = _as_profile(profile)
    settings = settings or DynamicsSettings()
    if periods is not None:
        settings = _with_periods(settings, periods)
    if not isinstance(offer, Offer):
        raise TypeError(f"offer must be an Offer; got {offer!r}")
    if russian_type not in (None, "sincere", "staller"):
        raise ValueError(f"russian_type must be 'sincere', 'staller' or None; got {russian_type!r}")
    rng = np.random.default_rng(seed)
    params = sample_parameters(model, runs, uncertain, rng)
    type_draw = rng.random(params.runs)
    if russian_type is None:
        sincere = type_draw < params["russia.prior_sincere"]
    else:
        sincere = np.full(params.runs, russian_type == "sincere")
    if profile.west == "best_response" and mpe is None:
        raise ValueError(
            "the West's 'best_response' follows a Markov perfect equilibrium: solve it with "
            "simulator.model.markov.markov_perfect_equilibrium(model, offer, ...) and pass it "
            "as mpe="
        )
    return _run(params, offer, profile, settings, sincere, rng, mpe, seed)


def _with_periods(settings: DynamicsSettings, periods: int) -> DynamicsSettings:
    from dataclasses import replace

    return replace(settings, periods=periods)


def _run(
    params: RunParameters,
    offer: Offer,
    profile: StrategyProfile,
    settings: DynamicsSettings,
    sincere: np.ndarray,
    rng: np.random.Generator,
    mpe: MPEResult | None,
    seed: int | None,
) -> SimulationResult:
    runs, T, N = params.runs, settings.periods, settings.front_positions
    p = params
    k0, kbar = p["russia.capability"], p["russia.capability_ceiling"]
    ku, g = p["ukraine.capability"], p["contest_exponent"]
    rho_s, rho_b = p["russia.regroup_rate_sincere"], p["russia.regroup_rate_staller"]
    rho = np.where(sincere, rho_s, rho_b)
    d_r, d_u = p["russia.discount_factor"], p["ukraine.discount_factor"]
    d_w = settings.west_discount_factor
    guarantee = rules.guarantee_strength(
        offer.security_guarantees, p["west.security_guarantee_credibility"]
    )
    x_offer = offer.alignment
    sigma, drag = settings.signal_noise, settings.sanctions_drag
    wedge_b = settings.wedge_budget
    resume_level = k0 + settings.resume_threshold * np.maximum(kbar - k0, 0.0)
    gov = params.governments
    omega = params.weights / params.weights.sum()
    mu_star = relax_threshold_runs(params) if profile.west == "sceptical" else None
    if profile.west == "best_response":
        assert mpe is not None
        mpe.check_compatible(settings)

    codes = {name: i for i, name in enumerate(RUSSIA_STRATEGIES)}
    strat = np.where(
        sincere, codes[profile.russia_by_type[0]], codes[profile.russia_by_type[1]]
    ).astype(np.int8)
    is_gc, is_bt, is_fo = (strat == 0), (strat == 1), (strat == 2)

    # state
    front = np.full(runs, settings.initial_position, dtype=np.int64)
    cap = k0.copy()
    cap_s, cap_b = k0.copy(), k0.copy()  # what each type would have: the West's hypotheses
    mu = p["russia.prior_sincere"].copy()
    phase = np.full(runs, FIGHTING, dtype=np.int8)
    eased_n = np.zeros(runs, dtype=np.int64)  # ceasefire talk periods with sanctions eased
    held_n = np.zeros(runs, dtype=np.int64)  # ... with sanctions held
    talks = np.zeros(runs, dtype=np.int64)  # all periods of talks
    wedges = np.zeros(runs, dtype=np.int64)  # periods of talks spent on the wedge
    held_streak = np.zeros(runs, dtype=np.int64)
    settle_at = np.full(runs, -1, dtype=np.int64)
    renew_at = np.full(runs, -1, dtype=np.int64)

    def defectors_at(t: int, wedge_periods: np.ndarray) -> np.ndarray:
        return coalition_defectors(
            gov["value_of_success"],
            gov["sanctions_burden"],
            gov["audience_cost"],
            gov["fatigue_rate"],
            gov["defection_threshold"],
            params.weights,
            aggregation=params.aggregation,
            threshold=params.cohesion_threshold,
            period=t,
            budget=wedge_periods * wedge_b,
        )

    def pressure_of(defect: np.ndarray) -> np.ndarray:
        pressure = rules.coalition_pressure(
            ~defect, params.weights, params.aggregation, params.cohesion_threshold
        )
        return np.asarray(pressure, dtype=float)

    defect = defectors_at(0, wedges)
    pressure = pressure_of(defect)
    cohesion = p["west.western_cohesion"] * pressure

    shape = (runs, T + 1)
    rec = {
        "cohesion": np.empty(shape, np.float32),
        "capability": np.empty(shape, np.float32),
        "belief": np.empty(shape, np.float32),
        "sanctions": np.empty(shape, np.float32),
        "front": np.empty(shape, np.int16),
        "phase": np.empty(shape, np.int8),
    }
    supporting = np.empty((runs, T + 1, omega.size), dtype=bool)

    def record(col: int, level: np.ndarray) -> None:
        rec["cohesion"][:, col] = cohesion
        rec["capability"][:, col] = cap
        rec["belief"][:, col] = mu
        rec["sanctions"][:, col] = level
        rec["front"][:, col] = front
        rec["phase"][:, col] = phase
        supporting[:, col] = ~defect

    record(0, np.ones(runs))
    pay_r, pay_u = np.zeros(runs), np.zeros(runs)
    pay_g = np.zeros((runs, omega.size))
    disc_r, disc_u, disc_w = np.ones(runs), np.ones(runs), 1.0
    burden0 = gov["sanctions_burden"]
    fatigue = gov["fatigue_rate"]

    for t in range(T):
        battle_u = rng.random(runs)
        signal_e = rng.standard_normal(runs)
        policy_u = rng.random(runs)

        settled = phase == SETTLED
        renewed = phase == RENEWED
        active = (phase == FIGHTING) | (phase == TALKING)

        # Russia's move
        breaks = settled & is_bt & (cap >= resume_level)
        resume = (
            active
            & is_bt
            & (talks >= 1)
            & (
                (cap >= resume_level)
                | ((settings.resume_patience > 0) & (held_streak >= settings.resume_patience))
            )
        )
        talking = active & (is_gc | (is_bt & ~resume))
        fighting = (active & is_fo) | resume | renewed | breaks

        # Ukraine's move
        if profile.ukraine == "accept_if_guaranteed":
            willing = guarantee >= settings.guarantee_level
            ceasefire = talking
        elif profile.ukraine == "talk_while_fighting":
            p_hat = mu * contest(cap_s, ku, g) + (1.0 - mu) * contest(cap_b, ku, g)
            high = bargaining_range(p_hat, p["russia.war_cost"], p["ukraine.war_cost"]).high
            willing = 1.0 - x_offer <= np.asarray(high) + rules.TOL
            ceasefire = np.zeros(runs, dtype=bool)
        else:
            willing = np.zeros(runs, dtype=bool)
            ceasefire = np.zeros(runs, dtype=bool)
        signs = talking & willing & (talks >= settings.negotiation_periods)
        talking = talking & ~signs
        ceasefire = ceasefire & talking

        # the West's move
        if profile.west == "sceptical":
            eases = mu >= mu_star
        elif profile.west == "reciprocate":
            eases = np.ones(runs, dtype=bool)
        elif profile.west == "hold":
            eases = np.zeros(runs, dtype=bool)
        else:
            assert mpe is not None
            prob = mpe.ease_probability(t, eased_n, held_n, front, mu)
            eases = policy_u < prob
        eases = eases & talking

        relief = np.zeros(runs)  # share of sanctions lifted this period
        relief[talking & eases] = settings.easing
        now_settled = (settled & ~breaks) | signs
        relief[now_settled] = offer.sanctions_relief
        level = 1.0 - relief
        settle_at[signs] = t
        renew_at[(resume | breaks) & (renew_at < 0)] = t

        # capability: talks with a ceasefire, or the deal
        held_cf = ceasefire & ~eases
        factor = np.where(held_cf, 1.0 - drag, 1.0)
        under_deal = now_settled
        step = np.where(ceasefire, factor, np.where(under_deal, 1.0 - guarantee, 0.0))
        cap = rules.regroup(cap, kbar, rho * step)
        cap_s = rules.regroup(cap_s, kbar, rho_s * step)
        cap_b = rules.regroup(cap_b, kbar, rho_b * step)

        # evidence of regrouping during a ceasefire (log-likelihood ratio sincere : staller)
        z = rho + sigma * signal_e
        llr = ((z - rho_b) ** 2 - (z - rho_s) ** 2) / (2.0 * sigma**2)
        mu = np.where(ceasefire, sincere_posterior(mu, expit(llr), expit(-llr)), mu)

        # battles
        battle = fighting | (talking & ~ceasefire)
        p_true = contest(cap, ku, g)
        win = battle_u < p_true
        front = front + np.where(battle, np.where(win, 1, -1), 0)
        p_s, p_b = contest(cap_s, ku, g), contest(cap_b, ku, g)
        like_s = np.where(win, p_s, 1.0 - p_s)
        like_b = np.where(win, p_b, 1.0 - p_b)
        mu = np.where(battle, sincere_posterior(mu, like_s, like_b), mu)

        # bookkeeping
        eased_n += ceasefire & eases
        held_n += held_cf
        talks += talking
        spends = talking & is_bt
        wedges += spends
        held_streak = np.where(talking, np.where(eases, 0, held_streak + 1), held_streak)
        phase = np.where(talking, TALKING, phase)
        phase = np.where(now_settled, SETTLED, phase)
        phase = np.where(resume | breaks, RENEWED, phase)
        phase = np.where(active & is_fo, FIGHTING, phase)
        phase = np.where(front >= N, RUSSIA_WON, np.where(front <= 0, UKRAINE_WON, phase))

        # payoffs of period t (on the front after the battle, cohesion at the start)
        x = np.where(now_settled, x_offer, 1.0 - front / N)
        supp = ~defect
        flow_r = russia_flow(
            x,
            battle,
            relief,
            p["west.western_cohesion"],
            pressure,
            status=p["russia.great_power_status"],
            dominance_threshold=p["russia.dominance_threshold"],
            status_loss_span=p["russia.status_loss_span"],
            war_cost=p["russia.war_cost"],
            sanctions_cost=p["russia.sanctions_cost"],
            wedge=wedge_b * spends,
        )
        flow_u = ukraine_flow(x, battle, war_cost=p["ukraine.war_cost"])
        burden = rules.fatigued_burden(burden0, fatigue, t)
        flow_g = gov["value_of_success"] * x[:, None] - burden * level[:, None] * supp
        pay_r += disc_r * flow_r
        pay_u += disc_u * flow_u
        pay_g += disc_w * flow_g
        disc_r, disc_u, disc_w = disc_r * d_r, disc_u * d_u, disc_w * d_w

        defect = defect | defectors_at(t + 1, wedges)
        pressure = pressure_of(defect)
        cohesion = p["west.western_cohesion"] * pressure
        record(t + 1, level)

    if settings.terminal_value:
        final_settled = phase == SETTLED
        x = np.where(final_settled, x_offer, 1.0 - front / N)
        relief = np.where(final_settled, offer.sanctions_relief, 0.0)
        level = 1.0 - relief
        flow_r = russia_flow(
            x,
            0,
            relief,
            p["west.western_cohesion"],
            pressure,
            status=p["russia.great_power_status"],
            dominance_threshold=p["russia.dominance_threshold"],
            status_loss_span=p["russia.status_loss_span"],
            war_cost=0.0,
            sanctions_cost=p["russia.sanctions_cost"],
        )
        flow_g = gov["value_of_success"] * x[:, None] - (
            rules.fatigued_burden(burden0, fatigue, T) * level[:, None] * ~defect
        )
        pay_r += disc_r * flow_r / (1.0 - d_r)
        pay_u += disc_u * x / (1.0 - d_u)
        pay_g += disc_w * flow_g / (1.0 - d_w)

    return SimulationResult(
        profile=profile,
        settings=settings,
        seed=seed,
        sincere=sincere,
        cohesion=rec["cohesion"],
        capability=rec["capability"],
        belief=rec["belief"],
        sanctions=rec["sanctions"],
        front=rec["front"],
        phase=rec["phase"],
        supporting=supporting,
        payoffs={
            "russia": pay_r,
            "ukraine": pay_u,
            "west": pay_g @ omega,
            "governments": pay_g,
        },
        settlement_period=settle_at,
        renewal_period=renew_at,
        parameters=params,
        government_names=params.names,
    )


def sincere_posterior(mu: Any, like_sincere: Any, like_staller: Any) -> Any:
    """The belief that Russia is sincere after evidence with the given likelihoods.

    Bayes' rule (:func:`simulator.model.rules.bayes`) over the two types; where the evidence
    had probability zero under both, the belief stays at ``mu``. Likelihoods need only be
    proportional (for a signal, ``expit(llr)`` and ``expit(-llr)`` of the log-likelihood ratio
    stay finite at any evidence).

    Examples
    --------
    >>> sincere_posterior(np.array([0.5, 0.5, 0.0]), np.array([0.2, 0.0, 0.0]),
    ...                   np.array([0.6, 0.0, 0.5])).tolist()
    [0.25, 0.5, 0.0]
    """
    mu, like_sincere, like_staller = np.broadcast_arrays(
        np.asarray(mu, dtype=float), like_sincere, like_staller
    )
    post = rules.bayes(
        np.stack([mu, 1.0 - mu], axis=-1), np.stack([like_sincere, like_staller], axis=-1)
    )[..., 0]
    return np.where(np.isnan(post), mu, post)
