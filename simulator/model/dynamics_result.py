"""Buy-time dynamics: the Monte Carlo paths and payoffs of a strategy profile.

A :class:`SimulationResult` holds the path of every run (cohesion, capability, belief, sanctions,
front, phase as codes into :data:`PHASES`, the governments still sanctioning) and the discounted
payoffs, with their summaries: settlement and renewal probabilities, Monte Carlo bands and
plot-ready paths. :func:`simulator.model.dynamics.simulate` returns it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from simulator.model.dynamics_parameters import RunParameters
from simulator.model.dynamics_settings import DynamicsSettings, StrategyProfile

__all__ = ["PHASES", "SimulationResult"]

#: Phase codes stored in :attr:`SimulationResult.phase`.
PHASES = ("fighting", "talking", "settled", "renewed_war", "russia_won", "ukraine_won")
FIGHTING, TALKING, SETTLED, RENEWED, RUSSIA_WON, UKRAINE_WON = range(6)


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
    >>> from simulator.model.dynamics import simulate
    >>> from simulator.model.negotiation import NegotiationModel
    >>> from simulator.model.offers import Offer
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

    def __repr__(self) -> str:
        return (
            f"SimulationResult(profile={self.profile!r}, runs={self.sincere.shape[0]}, "
            f"periods={self.settings.periods}, seed={self.seed})"
        )

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
