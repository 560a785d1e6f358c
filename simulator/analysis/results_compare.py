"""Strategy-comparison results: the profiles of a ``compare`` analysis, simulated side by side.

Part of :mod:`simulator.analysis.results` (which re-exports these classes).
:class:`StrategyResult` holds one profile's outcomes, payoffs and paths; :class:`Comparison`
the profiles of one ``compare`` analysis with the Markov perfect equilibrium, and its
``plot_*`` methods.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from simulator.analysis.certificate import Certificate
from simulator.analysis.equilibrium_result import EquilibriumResult
from simulator.analysis.key_numbers import ACTORS
from simulator.analysis.records import CompareRecord, StrategyRecord, dump_record
from simulator.analysis.results_figures import _figures
from simulator.analysis.tables import html_table, jsonable, to_frame

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from simulator.model.dynamics import SimulationResult

__all__ = ["Comparison", "StrategyResult"]

#: Quantiles of the Monte Carlo bands kept for paths (as in SimulationResult.paths()).
PATH_QUANTILES = ("q05", "q25", "q50", "q75", "q95")


# ====================================================================== strategy comparison
@dataclass(frozen=True, eq=False)
class StrategyResult:
    """A strategy profile simulated over the periods of a ``compare`` analysis.

    A *what-if* rule, not an equilibrium: every actor follows the profile whether or not it
    pays (the equilibrium is :class:`EquilibriumResult`). Its outcomes use the same names:
    :attr:`settled`, :attr:`broken` and :attr:`war` sum to 1.

    Holds the model's own :class:`~simulator.model.dynamics.SimulationResult` and derives
    from it every number (read-only attributes).

    Attributes
    ----------
    name : str
        The profile's name in the scenario.
    profile : dict
        ``russia``, ``sincere_russia``, ``west``, ``ukraine``: each actor's strategy.
    behaviour : dict
        Each actor's strategy in plain words.
    simulation : SimulationResult
        The model's own result (not serialised).
    runs, periods : int
        Derived from :attr:`simulation`, as are all the attributes below.
    expected_payoffs : dict
        ``{actor: {"all", "sincere", "staller", "se"}}`` (discounted, Monte Carlo means and
        the standard error of the overall mean) for ``russia``, ``ukraine``, ``west`` and each
        government.
    settlement_probability : float
        Share of runs in which a deal was signed.
    mean_settlement_period : float
        Mean period of signature among runs that settled (``nan`` if none did).
    settlement_distribution : tuple of float
        Probability that the deal is signed in each period.
    renewed_war_probability, broken_deal_probability : float
    final_cohesion, final_capability : float
        Means at the end of the horizon.
    final_cohesion_bands, final_capability_bands : tuple of float
        Their 5%, 50% and 95% quantiles over runs.
    final_phases : dict
        Share of runs in each phase at the end.
    russia_victory_probability, ukraine_victory_probability : float
    paths : dict
        ``{variable: {by: {"period", "mean", "q05", ..., "q95"}}}`` for ``cohesion``,
        ``capability`` and ``belief``; ``by`` is ``all``, ``sincere`` or ``staller``.
    """

    name: str
    profile: dict[str, str]
    behaviour: dict[str, str]
    simulation: SimulationResult = field(repr=False, compare=False)

    # ---------------------------------------------------------------- derived from the simulation
    @cached_property
    def _summary(self) -> dict[str, Any]:
        return self.simulation.summary()

    @property
    def runs(self) -> int:
        return self.simulation.runs

    @property
    def periods(self) -> int:
        return self.simulation.periods

    @property
    def expected_payoffs(self) -> dict[str, dict[str, float]]:
        return self._summary["expected_payoffs"]

    @property
    def settlement_probability(self) -> float:
        return float(self._summary["settlement_probability"])

    @property
    def mean_settlement_period(self) -> float:
        return float(self._summary["mean_settlement_period"])

    @cached_property
    def settlement_distribution(self) -> tuple[float, ...]:
        return tuple(float(x) for x in self._summary["settlement_distribution"])

    @property
    def renewed_war_probability(self) -> float:
        return float(self._summary["renewed_war_probability"])

    @property
    def broken_deal_probability(self) -> float:
        return float(self._summary["broken_deal_probability"])

    @property
    def final_cohesion(self) -> float:
        return float(self._summary["final_cohesion"])

    @cached_property
    def final_cohesion_bands(self) -> tuple[float, ...]:
        return tuple(float(x) for x in self._summary["final_cohesion_bands"])

    @cached_property
    def _final_capability(self) -> np.ndarray:
        return self.simulation.capability[:, -1].astype(float)

    @cached_property
    def final_capability(self) -> float:
        return float(self._final_capability.mean())

    @cached_property
    def final_capability_bands(self) -> tuple[float, ...]:
        quantiles = np.quantile(self._final_capability, [0.05, 0.5, 0.95])
        return tuple(float(x) for x in quantiles)

    @cached_property
    def final_phases(self) -> dict[str, float]:
        return {k: float(v[-1]) for k, v in self.simulation.phase_shares().items()}

    @property
    def russia_victory_probability(self) -> float:
        return float(self._summary["russia_victory_probability"])

    @property
    def ukraine_victory_probability(self) -> float:
        return float(self._summary["ukraine_victory_probability"])

    @cached_property
    def paths(self) -> dict[str, dict[str, dict[str, list[float]]]]:
        return self.simulation.paths()

    def __repr__(self) -> str:
        return (
            f"StrategyResult(name={self.name!r}, runs={self.runs}, periods={self.periods}, "
            f"settlement_probability={self.settlement_probability:.3g})"
        )

    @property
    def settled(self) -> float:
        """Share of runs in which a deal was signed and kept to the horizon."""
        return self.settlement_probability - self.broken_deal_probability

    @property
    def broken(self) -> float:
        """Share of runs in which a signed deal was later broken."""
        return self.broken_deal_probability

    @property
    def war(self) -> float:
        """Share of runs in which no deal was signed by the horizon."""
        return 1.0 - self.settlement_probability

    def row(self) -> dict[str, Any]:
        """The headline numbers as one flat table row."""
        row: dict[str, Any] = {"strategy": self.name}
        row.update({f"strategy.{k}": v for k, v in self.profile.items()})
        for actor, values in self.expected_payoffs.items():
            row[f"payoff.{actor}"] = values["all"]
            row[f"payoff.{actor}.se"] = values["se"]
        row.update(
            {
                "settled": self.settled,
                "broken": self.broken,
                "war": self.war,
                "settlement_probability": self.settlement_probability,
                "mean_settlement_period": self.mean_settlement_period,
                "renewed_war_probability": self.renewed_war_probability,
                "broken_deal_probability": self.broken_deal_probability,
                "final_cohesion": self.final_cohesion,
                "final_cohesion.q05": self.final_cohesion_bands[0],
                "final_cohesion.q95": self.final_cohesion_bands[-1],
                "final_capability": self.final_capability,
                "russia_victory_probability": self.russia_victory_probability,
                "ukraine_victory_probability": self.ukraine_victory_probability,
                "runs": self.runs,
                "periods": self.periods,
            }
        )
        return row

    def path_rows(self) -> list[dict[str, Any]]:
        """The Monte Carlo paths in long form: one row per variable, group and period."""
        out = []
        for variable, groups in self.paths.items():
            for by, entry in groups.items():
                for k, period in enumerate(entry["period"]):
                    row: dict[str, Any] = {
                        "strategy": self.name,
                        "variable": variable,
                        "by": by,
                        "period": period,
                        "mean": entry["mean"][k],
                    }
                    row.update({q: entry[q][k] for q in PATH_QUANTILES if q in entry})
                    out.append(row)
        return out

    def to_frame(self) -> Any:
        """The Monte Carlo paths (:meth:`path_rows`) as a pandas DataFrame."""
        return to_frame(self.path_rows())

    def _repr_html_(self) -> str:
        return html_table([self.row()], caption=f"Strategy profile {self.name}")

    def record(self) -> StrategyRecord:
        """Everything but the raw simulation, as its ``results.json`` record.

        Returns
        -------
        StrategyRecord
            The fields of the profile's results with :attr:`settled`, :attr:`broken` and
            :attr:`war`.
        """
        return StrategyRecord(
            **jsonable(
                {
                    "name": self.name,
                    "profile": self.profile,
                    "behaviour": self.behaviour,
                    "runs": self.runs,
                    "periods": self.periods,
                    "expected_payoffs": self.expected_payoffs,
                    "settled": self.settled,
                    "broken": self.broken,
                    "war": self.war,
                    "settlement_probability": self.settlement_probability,
                    "mean_settlement_period": self.mean_settlement_period,
                    "settlement_distribution": self.settlement_distribution,
                    "renewed_war_probability": self.renewed_war_probability,
                    "broken_deal_probability": self.broken_deal_probability,
                    "final_cohesion": self.final_cohesion,
                    "final_cohesion_bands": self.final_cohesion_bands,
                    "final_capability": self.final_capability,
                    "final_capability_bands": self.final_capability_bands,
                    "final_phases": self.final_phases,
                    "russia_victory_probability": self.russia_victory_probability,
                    "ukraine_victory_probability": self.ukraine_victory_probability,
                    "paths": self.paths,
                }
            )
        )

    def as_dict(self) -> dict[str, Any]:
        """Everything but the raw simulation, JSON-ready: :meth:`record`'s data."""
        return dump_record(self.record())


@dataclass(frozen=True, eq=False)
class Comparison:
    """A ``compare`` analysis: strategy profiles simulated side by side.

    Every profile is simulated with the same seed, so the runs share their random numbers
    (common random numbers: differences between profiles are not noise between draws).

    Attributes
    ----------
    index : int
    offer : str
    periods, runs, seed : int
    uncertain : tuple of dict
        The parameters drawn per run: ``{"parameter", "distribution", ...}``.
    strategies : tuple of StrategyResult
    equilibrium : EquilibriumResult or None
        The Markov perfect equilibrium at the scenario's values.
    notes : tuple of str
    """

    index: int
    offer: str
    periods: int
    runs: int
    seed: int
    uncertain: tuple[dict[str, Any], ...]
    strategies: tuple[StrategyResult, ...]
    equilibrium: EquilibriumResult | None
    notes: tuple[str, ...] = ()
    kind: str = field(default="compare", init=False)

    def __repr__(self) -> str:
        names = [s.name for s in self.strategies]
        return (
            f"Comparison(index={self.index}, offer={self.offer!r}, strategies={names}, "
            f"periods={self.periods}, runs={self.runs}, "
            f"equilibrium={self.equilibrium is not None})"
        )

    def strategy(self, name: str) -> StrategyResult:
        """The profile called ``name``."""
        for s in self.strategies:
            if s.name == name:
                return s
        raise KeyError(f"no strategy {name!r}; compared: {[s.name for s in self.strategies]}")

    def rows(self) -> list[dict[str, Any]]:
        """One row per strategy profile."""
        return [{"analysis": self.index, "offer": self.offer, **s.row()} for s in self.strategies]

    def path_rows(self) -> list[dict[str, Any]]:
        """The paths of every profile in long form."""
        return [{"analysis": self.index, **r} for s in self.strategies for r in s.path_rows()]

    def certificates(self) -> list[Certificate]:
        """The equilibrium's certificate (simulations of given profiles have none)."""
        return [] if self.equilibrium is None else [self.equilibrium.certificate]

    def record(self) -> CompareRecord:
        """The analysis as its ``results.json`` record.

        Returns
        -------
        CompareRecord
            The comparison's settings, each profile's record and the equilibrium's (or None).
        """
        return CompareRecord(
            kind=self.kind,
            index=self.index,
            offer=self.offer,
            periods=self.periods,
            runs=self.runs,
            seed=self.seed,
            uncertain=jsonable(self.uncertain),
            strategies=[s.record() for s in self.strategies],
            equilibrium=None if self.equilibrium is None else self.equilibrium.record(),
            notes=list(self.notes),
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready data: :meth:`record`'s."""
        return dump_record(self.record())

    def to_frame(self) -> Any:
        """:meth:`rows` as a pandas DataFrame."""
        return to_frame(self.rows())

    def _repr_html_(self) -> str:
        return html_table(self.rows(), caption=f"Strategies compared (offer {self.offer})")

    def plot_paths(
        self, variables: tuple[str, ...] = ("cohesion", "capability", "belief")
    ) -> Figure:
        """Western cohesion, Russian capability and the West's belief over time, per profile
        (:func:`simulator.plots.results.comparison_paths`)."""
        return _figures().comparison_paths(self, variables)

    def plot_equilibrium_paths(self) -> Figure:
        """The buy-time game played out: equilibrium, compromise and buying time
        (:func:`simulator.plots.results.equilibrium_paths`)."""
        if self.equilibrium is None:
            raise ValueError(
                "this comparison ran the what-if rules alone (equilibrium: false); "
                "set equilibrium: true to solve the buy-time game"
            )
        return _figures().equilibrium_paths(self.equilibrium)

    def plot_payoffs(self, actors: tuple[str, ...] = ACTORS) -> Figure:
        """Expected payoffs of each actor per profile, with 95% Monte Carlo intervals
        (:func:`simulator.plots.results.comparison_payoffs`)."""
        return _figures().comparison_payoffs(self, actors)

    def plot_settlement_timing(self) -> Figure:
        """The share of runs settled by each period, per profile
        (:func:`simulator.plots.results.comparison_settlement_timing`)."""
        return _figures().comparison_settlement_timing(self)
