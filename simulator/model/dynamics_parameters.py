"""Buy-time dynamics: the model's parameters for every Monte Carlo run.

:func:`sample_parameters` reads the parameters the dynamics use (:data:`READ_PARAMETERS` and, per
government, :data:`READ_GOVERNMENT`) from a :class:`~simulator.model.negotiation.NegotiationModel`
into arrays with one value per run (:class:`RunParameters`), drawing the uncertain ones per run
from a beta, a uniform or a truncated normal distribution (the last by inverse-CDF sampling).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import ndtr, ndtri

from simulator.model.negotiation import NegotiationModel

__all__ = ["READ_GOVERNMENT", "READ_PARAMETERS", "RunParameters", "sample_parameters"]


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

    Parameters
    ----------
    model : NegotiationModel
        The actors' parameters: every run's value of a parameter that is not uncertain.
    runs : int, optional
        Number of runs (a whole number >= 1; default 1).
    uncertain : mapping of str to mapping, optional
        ``{dotted name: distribution}`` as above, for names of :data:`READ_PARAMETERS` or
        ``west.governments.<name>.<field>`` with a field of :data:`READ_GOVERNMENT`.
    rng : numpy.random.Generator, optional
        The source of the draws (default: a fresh, unseeded generator).

    Returns
    -------
    RunParameters
        One value per run of every parameter the dynamics read; ``uncertain`` lists the names
        drawn.

    Raises
    ------
    KeyError
        If an uncertain name is not a parameter of the model.
    ValueError
        If ``runs`` is not a whole number >= 1; an uncertain parameter is one the dynamics do
        not read (or share by all runs: weights, ``cohesion_threshold``); or its distribution is
        not a mapping with a known ``distribution``, lacks a number it needs, has an impossible
        mean or sd, leaves the parameter's valid range, or (a truncated normal) has no mass
        inside it.

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
