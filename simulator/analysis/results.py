"""What :func:`simulator.analysis.run_scenario` returns: frozen results with tables and plots.

Every results class is a frozen dataclass holding plain numbers, strings and numpy arrays,
with

* ``as_dict()``: JSON-ready data (``nan`` becomes ``None``), the content of ``results.json``;
* ``rows()``: the table behind it (a list of flat dicts), also the CSV files;
* ``to_frame()``: that table as a :class:`pandas.DataFrame` (pandas is optional);
* ``to_xarray()`` (sweeps and Monte Carlo): labelled arrays, an :class:`xarray.Dataset`
  (xarray is optional);
* ``_repr_html_()``: the table in a Jupyter notebook;
* ``plot_*()``: briefing figures from :mod:`simulator.plots` (imported when called).

The raw model objects (the offer game's :class:`~simulator.model.offer_game.OfferGameResult`,
each profile's :class:`~simulator.model.dynamics.SimulationResult`, the
:class:`~simulator.model.markov.MPEResult`) are kept in a ``result``/``simulation`` field for
digging deeper in Python; they are not part of ``as_dict()``.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from simulator.analysis.certificate import Certificate
from simulator.analysis.equilibrium_result import EquilibriumResult
from simulator.analysis.key_numbers import ACTORS, key_numbers
from simulator.analysis.tables import html_table, jsonable, to_frame

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from simulator.scenario import Scenario

__all__ = [
    "ACTORS",
    "Axis",
    "Certificate",
    "Comparison",
    "EquilibriumResult",
    "MonteCarloResult",
    "OfferSolution",
    "ScenarioResults",
    "SolveResult",
    "StrategyResult",
    "SweepResult",
]

#: The actors whose expected payoffs every comparison reports (governments come on top).
#: Quantiles of the Monte Carlo bands kept for paths (as in SimulationResult.paths()).
PATH_QUANTILES = ("q05", "q25", "q50", "q75", "q95")


# ====================================================================== small pieces
def _sends(distribution: Mapping[str, float]) -> str:
    """``{"fight": 0.6, "talk": 0.4}`` -> ``"fight 0.6, talk 0.4"``; a sure choice alone."""
    used = [(m, p) for m, p in distribution.items() if p > 1e-9]
    if len(used) == 1:
        return used[0][0]
    return ", ".join(f"{m} {p:.3g}" for m, p in used)


def _figures() -> Any:
    """:mod:`simulator.plots.results`, the figures of these results.

    The plots sit on a floor above this one (``docs/architecture.md``): the convenience
    methods reach them at call time, never by an import, so loading results never loads
    matplotlib and the floors stay one-way (checked by import-linter in CI).
    """
    return importlib.import_module("simulator.plots.results")


def plain_parameter(name: str) -> str:
    """The name :func:`.labels.plain_label` knows (``offers.x.f`` -> ``offer.f``)."""
    parts = name.split(".")
    if parts[0] == "offers" and len(parts) == 3:
        return f"offer.{parts[2]}"
    return name


# ====================================================================== offer game
@dataclass(frozen=True, eq=False)
class OfferSolution:
    """The selected perfect Bayesian equilibrium of the offer game for one offer.

    The fields are those of :class:`~simulator.model.offer_game.OfferGameResult` in plain
    data; ``messages`` gives each Russian type's probabilities of fighting, talking and (when
    the offer has a withdrawal cost) withdrawing.

    Attributes
    ----------
    offer : str
    terms : dict
        The offer's fields (alignment, guarantees, ...).
    kind, regime : str
    messages : dict
        ``{type: {message: probability}}``.
    outcome : dict
        Each type's most likely outcome.
    outcome_probabilities : dict
    settlement_probability, renewed_war_probability, war_probability : float
    posterior, posterior_weak, on_path, west_actions, pressure, acceptance, payoffs : dict
    equilibria : int
        How many perfect Bayesian equilibria were found.
    intuitive : bool or None
        Whether the selected one passes the intuitive criterion (None: nothing was found;
        False for a mixed equilibrium traced on the game tree, where it is not checked).
    certificate : Certificate
    result : OfferGameResult or None
        The model's own result object (not serialised).
    """

    offer: str
    terms: dict[str, Any]
    kind: str
    regime: str
    messages: dict[str, dict[str, float]]
    outcome: dict[str, str]
    outcome_probabilities: dict[str, dict[str, float]]
    settlement_probability: float
    renewed_war_probability: float
    war_probability: float
    posterior: dict[str, float]
    on_path: dict[str, bool]
    west_actions: dict[str, dict[str, float]]
    pressure: dict[str, float]
    acceptance: dict[str, float]
    posterior_weak: dict[str, float]
    payoffs: dict[str, dict[str, float]]
    equilibria: int
    intuitive: bool | None
    certificate: Certificate
    result: Any = field(default=None, repr=False, compare=False)

    def behaviour(self) -> dict[str, str]:
        """Each actor's equilibrium behaviour in a few words.

        ``Russia (sincere)``, ``Russia (staller)``: the messages sent and the outcome;
        ``West``: each government's response to every message sent; ``Ukraine``: its
        acceptance of each offer message sent.
        """
        out = {
            f"Russia ({t})": f"{_sends(self.messages[t])} -> {self.outcome[t]}"
            for t in self.messages
        }
        west = []
        ukraine = []
        for message, sent in self.on_path.items():
            if not sent:
                continue
            responses = []
            for government, p in self.west_actions.get(message, {}).items():
                act = "eases" if p > 1 - 1e-9 else "holds" if p < 1e-9 else f"eases {p:.2g}"
                responses.append(f"{government} {act}")
            west.append(f"after {message}: " + ", ".join(responses))
            if message in self.acceptance:
                p = self.acceptance[message]
                act = "accepts" if p > 1 - 1e-9 else "rejects" if p < 1e-9 else f"accepts {p:.2g}"
                ukraine.append(f"after {message}: {act}")
        out["West"] = "; ".join(west)
        out["Ukraine"] = "; ".join(ukraine) or "no offer is made"
        return out

    def row(self) -> dict[str, Any]:
        """The headline numbers as one flat table row."""
        row: dict[str, Any] = {"offer": self.offer, "kind": self.kind, "regime": self.regime}
        for t, dist in self.messages.items():
            row[f"{t}.sends"] = _sends(dist)
            row[f"{t}.outcome"] = self.outcome[t]
        row.update(
            {
                "settlement_probability": self.settlement_probability,
                "renewed_war_probability": self.renewed_war_probability,
                "war_probability": self.war_probability,
            }
        )
        for actor, values in self.payoffs.items():
            row[f"payoff.{actor}"] = values["expected"]
        row.update(
            {
                "equilibria": self.equilibria,
                "regret": self.certificate.regret,
                "tolerance": self.certificate.tolerance,
                "certified": self.certificate.certified,
            }
        )
        return row

    def as_dict(self) -> dict[str, Any]:
        """Everything but the raw model result, JSON-ready."""
        return jsonable(
            {
                "offer": self.offer,
                "terms": self.terms,
                "kind": self.kind,
                "regime": self.regime,
                "messages": self.messages,
                "outcome": self.outcome,
                "outcome_probabilities": self.outcome_probabilities,
                "settlement_probability": self.settlement_probability,
                "renewed_war_probability": self.renewed_war_probability,
                "war_probability": self.war_probability,
                "posterior": self.posterior,
                "on_path": self.on_path,
                "west_actions": self.west_actions,
                "pressure": self.pressure,
                "acceptance": self.acceptance,
                "posterior_weak": self.posterior_weak,
                "payoffs": self.payoffs,
                "behaviour": self.behaviour(),
                "equilibria": self.equilibria,
                "intuitive": self.intuitive,
                "certificate": self.certificate.as_dict(),
            }
        )

    def to_frame(self) -> Any:
        """:meth:`row` as a one-row pandas DataFrame."""
        return to_frame([self.row()])

    def _repr_html_(self) -> str:
        return html_table([self.row()], caption=f"Offer game: {self.offer}")


@dataclass(frozen=True, eq=False)
class SolveResult:
    """A ``solve`` analysis: the offer game solved for each of its offers.

    Attributes
    ----------
    index : int
        Position of the analysis in the scenario file (1-based; 0 for implicit analyses).
    target : str
    solutions : tuple of OfferSolution
    """

    index: int
    target: str
    solutions: tuple[OfferSolution, ...]
    kind: str = field(default="solve", init=False)

    def solution(self, offer: str) -> OfferSolution:
        """The solution for the offer called ``offer``."""
        for s in self.solutions:
            if s.offer == offer:
                return s
        raise KeyError(
            f"no solution for offer {offer!r}; offers: {[s.offer for s in self.solutions]}"
        )

    def rows(self) -> list[dict[str, Any]]:
        """One row per offer."""
        return [{"analysis": self.index, **s.row()} for s in self.solutions]

    def certificates(self) -> list[Certificate]:
        """Every certificate of the analysis."""
        return [s.certificate for s in self.solutions]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "kind": self.kind,
            "index": self.index,
            "target": self.target,
            "solutions": [s.as_dict() for s in self.solutions],
        }

    def to_frame(self) -> Any:
        """:meth:`rows` as a pandas DataFrame."""
        return to_frame(self.rows())

    def _repr_html_(self) -> str:
        return html_table(self.rows(), caption="Offer game: selected equilibrium per offer")


# ====================================================================== strategy comparison
@dataclass(frozen=True, eq=False)
class StrategyResult:
    """A strategy profile simulated over the periods of a ``compare`` analysis.

    A *what-if* rule, not an equilibrium: every actor follows the profile whether or not it
    pays (the equilibrium is :class:`EquilibriumResult`). Its outcomes use the same names:
    :attr:`settled`, :attr:`broken` and :attr:`war` sum to 1.

    Attributes
    ----------
    name : str
        The profile's name in the scenario.
    profile : dict
        ``russia``, ``sincere_russia``, ``west``, ``ukraine``: each actor's strategy.
    behaviour : dict
        Each actor's strategy in plain words.
    runs, periods : int
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
    simulation : SimulationResult or None
        The model's own result (not serialised).
    """

    name: str
    profile: dict[str, str]
    behaviour: dict[str, str]
    runs: int
    periods: int
    expected_payoffs: dict[str, dict[str, float]]
    settlement_probability: float
    mean_settlement_period: float
    settlement_distribution: tuple[float, ...]
    renewed_war_probability: float
    broken_deal_probability: float
    final_cohesion: float
    final_cohesion_bands: tuple[float, ...]
    final_capability: float
    final_capability_bands: tuple[float, ...]
    final_phases: dict[str, float]
    russia_victory_probability: float
    ukraine_victory_probability: float
    paths: dict[str, dict[str, dict[str, list[float]]]]
    simulation: Any = field(default=None, repr=False, compare=False)

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

    def as_dict(self) -> dict[str, Any]:
        """Everything but the raw simulation, JSON-ready."""
        return jsonable(
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

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "kind": self.kind,
            "index": self.index,
            "offer": self.offer,
            "periods": self.periods,
            "runs": self.runs,
            "seed": self.seed,
            "uncertain": jsonable(self.uncertain),
            "strategies": [s.as_dict() for s in self.strategies],
            "equilibrium": None if self.equilibrium is None else self.equilibrium.as_dict(),
            "notes": list(self.notes),
        }

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


# ====================================================================== sweeps and Monte Carlo
@dataclass(frozen=True)
class Axis:
    """A swept parameter and its values (with the parameter's unit and meaning, when known).

    Attributes
    ----------
    parameter : str
        The swept parameter's dotted name (``"russia.war_cost"``, ``"offers.<offer>.<field>"``).
    values : tuple of float
        Its values along the axis, in order.
    unit : str
        The parameter's unit (``""`` when unknown). Not compared, not in the ``repr`` and not
        in :meth:`as_dict`.
    description : str
        What the parameter means (``""`` when unknown). Not compared, not in the ``repr`` and
        not in :meth:`as_dict`.

    Examples
    --------
    >>> Axis("russia.war_cost", (0.1, 0.2)).as_dict()
    {'parameter': 'russia.war_cost', 'values': [0.1, 0.2]}
    """

    parameter: str
    values: tuple[float, ...]
    unit: str = field(default="", compare=False, repr=False)
    description: str = field(default="", compare=False, repr=False)

    def as_dict(self) -> dict[str, Any]:
        """``parameter`` and ``values``."""
        return {"parameter": self.parameter, "values": jsonable(self.values)}


#: What each sweep or Monte Carlo column holds, and its unit (the attributes of to_xarray()).
COLUMN_INFO: dict[str, tuple[str, str]] = {
    "regime": ("the selected equilibrium's kind and the outcome each type reaches", ""),
    "kind": ("pooling, separating or partially pooling", ""),
    "settlement_probability": ("probability of a deal that holds", "probability"),
    "renewed_war_probability": (
        "probability of a deal broken after a pause (war renewed)",
        "probability",
    ),
    "war_probability": ("probability of war now", "probability"),
    "certificate": (
        "regret of the selected equilibrium: the largest gain from a deviation at any "
        "information set (nan: no equilibrium found)",
        "share of the stake",
    ),
    "tolerance": ("largest regret accepted here: 1e-9 x max(1, payoff span)", "share of the stake"),
    "low": (
        "lowest alignment both sides prefer to war (Ukraine's reservation; nan: none)",
        "alignment (0 = Russia's sphere, 1 = fully Western)",
    ),
    "high": (
        "highest alignment both sides prefer to war (the most Russia concedes; nan: none)",
        "alignment (0 = Russia's sphere, 1 = fully Western)",
    ),
    "nonempty": ("a peaceful settlement exists", ""),
    "within_sphere": ("a settlement in which Russia keeps dominance exists", ""),
    "beyond_dominance": ("a settlement beyond Russia's dominance threshold exists", ""),
    "russia_war_payoff": (
        "Russia's expected payoff of war, as Russia sees it",
        "share of the stake",
    ),
    "ukraine_war_payoff": ("Ukraine's expected payoff of war", "share of the stake"),
}


def _column_attrs(name: str) -> dict[str, str]:
    if name.startswith("payoff."):
        who = name.split(".", 1)[1]
        text, unit = f"expected payoff of {who} in the selected equilibrium", "share of the stake"
    else:
        text, unit = COLUMN_INFO.get(name, ("", ""))
    return {k: v for k, v in (("long_name", text), ("units", unit)) if v}


def _xarray() -> Any:
    from simulator.analysis.cluster import optional_import

    return optional_import("xarray", "xarray", "to_xarray()")


def _dataset_attrs(result: Any, what: str) -> dict[str, Any]:
    """Attributes shared by sweep and Monte Carlo datasets (NetCDF-safe: no None, no bool)."""
    from simulator import __version__

    attrs: dict[str, Any] = {
        "title": what,
        "source": f"simulator {__version__}",
        "analysis": result.kind,
        "index": int(result.index),
        "offer": result.offer,
        "unsolved_points": int(result.unsolved),
    }
    cert = result.certificate
    if cert is not None:
        attrs["certificate_regret"] = float(cert.regret)
        attrs["certificate_tolerance"] = float(cert.tolerance)
        attrs["certificate_method"] = cert.method
        attrs["certified"] = int(cert.certified)
    attrs["notes"] = "\n".join(result.notes)
    return attrs


def _shares(labels: np.ndarray) -> dict[str, float]:
    """Share of each label, most frequent first (ties by name)."""
    names, counts = np.unique(np.asarray(labels, dtype=str).ravel(), return_counts=True)
    order = sorted(zip(names.tolist(), counts.tolist()), key=lambda nc: (-nc[1], nc[0]))
    total = max(int(counts.sum()), 1)
    return {name: count / total for name, count in order}


@dataclass(frozen=True, eq=False)
class SweepResult:
    """A ``sweep`` analysis: the offer game (or the bargaining range) on a parameter grid.

    Attributes
    ----------
    index : int
        Position of the analysis in the file (0: added for a figure the file asks for).
    offer : str
    show : str
        ``regime_map``, ``bargaining_range``, ``payoffs`` or ``settlement_probability``.
    axes : tuple of Axis
    columns : dict of str to numpy array
        One array of shape :attr:`shape` per quantity. For the offer game: ``regime``,
        ``kind``, the three outcome probabilities, ``payoff.<actor>`` and ``certificate``;
        for the bargaining range: ``low``, ``high``, ``nonempty``, ``within_sphere``,
        ``beyond_dominance`` and the two war payoffs.
    certificate : Certificate or None
        The largest regret over the grid (None for the closed-form bargaining range).
    unsolved : int
        Grid points where no equilibrium was found.
    notes : tuple of str
    reused : int
        Points read back from a checkpoint (``--resume``); not serialised.
    """

    index: int
    offer: str
    show: str
    axes: tuple[Axis, ...]
    columns: dict[str, np.ndarray]
    certificate: Certificate | None
    unsolved: int = 0
    notes: tuple[str, ...] = ()
    reused: int = field(default=0, compare=False)
    kind: str = field(default="sweep", init=False)

    @property
    def shape(self) -> tuple[int, ...]:
        """Grid shape: one entry per axis."""
        return tuple(len(a.values) for a in self.axes)

    @property
    def implicit(self) -> bool:
        """Whether the sweep was added to draw a figure the scenario asks for."""
        return self.index == 0

    @property
    def is_bargaining(self) -> bool:
        """Whether the sweep computed the bargaining range (not the offer game)."""
        return "low" in self.columns

    def regimes(self) -> dict[str, float]:
        """Share of grid points in each equilibrium regime (offer-game sweeps)."""
        if "regime" not in self.columns:
            return {}
        return _shares(self.columns["regime"])

    def switches(self) -> list[dict[str, Any]]:
        """Where the regime changes along a one-parameter sweep.

        Each entry has ``between`` (the two neighbouring values), ``from`` and ``to``.
        """
        if len(self.axes) != 1 or "regime" not in self.columns:
            return []
        values, regime = self.axes[0].values, self.columns["regime"]
        return [
            {"between": [values[k], values[k + 1]], "from": regime[k], "to": regime[k + 1]}
            for k in range(len(values) - 1)
            if regime[k] != regime[k + 1]
        ]

    def rows(self) -> list[dict[str, Any]]:
        """One row per grid point: the axis values, then every column."""
        grids = np.meshgrid(*[np.asarray(a.values) for a in self.axes], indexing="ij")
        flat = {a.parameter: g.ravel() for a, g in zip(self.axes, grids)}
        flat.update({k: np.asarray(v).ravel() for k, v in self.columns.items()})
        keys = list(flat)
        return [{k: jsonable(flat[k][i]) for k in keys} for i in range(int(np.prod(self.shape)))]

    def certificates(self) -> list[Certificate]:
        """The grid's certificate, if it has one."""
        return [] if self.certificate is None else [self.certificate]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready data; grid columns are nested lists of shape :attr:`shape`."""
        return {
            "kind": self.kind,
            "index": self.index,
            "implicit": self.implicit,
            "offer": self.offer,
            "show": self.show,
            "axes": [a.as_dict() for a in self.axes],
            "shape": list(self.shape),
            "grid": {k: jsonable(v) for k, v in self.columns.items()},
            "regimes": self.regimes(),
            "switches": jsonable(self.switches()),
            "certificate": None if self.certificate is None else self.certificate.as_dict(),
            "unsolved_points": self.unsolved,
            "notes": list(self.notes),
        }

    def to_frame(self) -> Any:
        """:meth:`rows` as a pandas DataFrame."""
        return to_frame(self.rows())

    def to_xarray(self) -> Any:
        """The grid as an :class:`xarray.Dataset` (xarray is optional: the ``xarray`` extra).

        One dimension per swept parameter, named after it, with the swept values as its
        coordinate (``units`` and ``long_name`` from the parameter's spec); one data variable
        per column of :attr:`columns` (``long_name``, ``units`` where known). The attributes
        hold ``offer``, ``show``, ``index``, ``unsolved_points``, ``notes`` (one per line) and
        the grid's certificate (``certificate_regret``, ``certificate_tolerance``,
        ``certificate_method``, ``certified`` as 0/1; absent for the closed-form bargaining
        range). :func:`simulator.report.write_results` writes it as ``sweep_<k>.nc``.

        Raises
        ------
        MissingExtraError
            xarray is not installed (``pip install "simulator[xarray]"``).

        Examples
        --------
        >>> import pytest; xr = pytest.importorskip("xarray")
        >>> sweep = SweepResult(1, "deal", "regime_map", (Axis("russia.war_cost", (0.1, 0.2)),),
        ...                     {"war_probability": np.array([0.0, 1.0])}, None)
        >>> ds = sweep.to_xarray()
        >>> ds.sizes["russia.war_cost"], ds["war_probability"].sel({"russia.war_cost": 0.2}).item()
        (2, 1.0)
        """
        xr = _xarray()
        dims = tuple(a.parameter for a in self.axes)
        coords = {
            a.parameter: (
                a.parameter,
                np.asarray(a.values, dtype=float),
                {k: v for k, v in (("long_name", a.description), ("units", a.unit)) if v},
            )
            for a in self.axes
        }
        data = {
            name: (dims, np.asarray(column).reshape(self.shape), _column_attrs(name))
            for name, column in self.columns.items()
        }
        what = "bargaining range" if self.is_bargaining else "offer game"
        attrs = _dataset_attrs(self, f"sweep of the {what} over {' x '.join(dims)}")
        attrs["show"] = self.show
        return xr.Dataset(data, coords=coords, attrs=attrs)

    def _repr_html_(self) -> str:
        names = " x ".join(a.parameter for a in self.axes)
        if self.is_bargaining:
            return html_table(self.rows(), caption=f"Bargaining range over {names}")
        rows = [{"regime": r, "share of grid": s} for r, s in self.regimes().items()]
        return html_table(rows, caption=f"Equilibrium regimes over {names}")

    def plot(self) -> Figure:
        """The regime map, or the bargaining range for a bargaining sweep."""
        return self.plot_bargaining_range() if self.is_bargaining else self.plot_regime_map()

    def plot_regime_map(self) -> Figure:
        """Which equilibrium outcome holds where (:func:`simulator.plots.results.sweep_regime_map`).

        A one-parameter sweep is drawn as a single strip.
        """
        return _figures().sweep_regime_map(self)

    def plot_bargaining_range(
        self, offers: Mapping[str, float] | None = None, at: int | None = None
    ) -> Figure:
        """Settlements both sides prefer to war along the first swept parameter
        (:func:`simulator.plots.results.sweep_bargaining_range`).

        ``offers`` (name -> alignment) are drawn as lines. For a two-parameter sweep the
        second parameter is held at its value number ``at`` (default: the middle one).
        """
        return _figures().sweep_bargaining_range(self, offers, at)


@dataclass(frozen=True, eq=False)
class MonteCarloResult:
    """A ``monte_carlo`` analysis: the offer game solved for random parameter draws.

    Attributes
    ----------
    index : int
    offer : str
    runs, seed : int
    uncertain : tuple of dict
        The distributions drawn from.
    draws : dict of str to numpy array
        The drawn values, one array of length ``runs`` per parameter.
    columns : dict of str to numpy array
        The selected equilibrium per draw (as in :class:`SweepResult`).
    certificate : Certificate
        The largest regret over all draws.
    unsolved : int
    notes : tuple of str
    reused : int
        Draws read back from a checkpoint; not serialised.
    """

    index: int
    offer: str
    runs: int
    seed: int
    uncertain: tuple[dict[str, Any], ...]
    draws: dict[str, np.ndarray]
    columns: dict[str, np.ndarray]
    certificate: Certificate
    unsolved: int = 0
    notes: tuple[str, ...] = ()
    reused: int = field(default=0, compare=False)
    kind: str = field(default="monte_carlo", init=False)

    def regimes(self) -> dict[str, float]:
        """Share of draws in each equilibrium regime."""
        return _shares(self.columns["regime"])

    def summary(self) -> dict[str, dict[str, float]]:
        """Mean and 5/50/95% quantiles of the outcome probabilities and payoffs."""
        out = {}
        for key, values in self.columns.items():
            if key in ("regime", "kind", "certificate") or values.dtype.kind != "f":
                continue
            finite = values[np.isfinite(values)]
            if finite.size == 0:
                out[key] = {"mean": math.nan, "q05": math.nan, "q50": math.nan, "q95": math.nan}
                continue
            q = np.quantile(finite, [0.05, 0.5, 0.95])
            out[key] = {
                "mean": float(finite.mean()),
                "q05": float(q[0]),
                "q50": float(q[1]),
                "q95": float(q[2]),
            }
        return out

    def rows(self) -> list[dict[str, Any]]:
        """One row per draw: the drawn values, then every column."""
        flat = {**self.draws, **self.columns}
        return [
            {"draw": i, **{k: jsonable(np.asarray(v)[i]) for k, v in flat.items()}}
            for i in range(self.runs)
        ]

    def certificates(self) -> list[Certificate]:
        """The draws' certificate."""
        return [self.certificate]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready data (draws and per-draw results as lists)."""
        return {
            "kind": self.kind,
            "index": self.index,
            "offer": self.offer,
            "runs": self.runs,
            "seed": self.seed,
            "uncertain": jsonable(self.uncertain),
            "draws": jsonable(self.draws),
            "results": jsonable(self.columns),
            "regimes": self.regimes(),
            "summary": jsonable(self.summary()),
            "certificate": self.certificate.as_dict(),
            "unsolved_points": self.unsolved,
            "notes": list(self.notes),
        }

    def to_frame(self) -> Any:
        """:meth:`rows` as a pandas DataFrame."""
        return to_frame(self.rows())

    def to_xarray(self) -> Any:
        """The draws as an :class:`xarray.Dataset` along a ``draw`` dimension (xarray optional).

        Each drawn parameter is a coordinate along ``draw``; each column a data variable. The
        attributes are those of :meth:`SweepResult.to_xarray` (no ``show``) plus ``runs``,
        ``seed`` and ``uncertain`` (the distributions, as JSON text).
        :func:`simulator.report.write_results` writes it as ``monte_carlo_<k>.nc``.

        Raises
        ------
        MissingExtraError
            xarray is not installed (``pip install "simulator[xarray]"``).
        """
        import json

        xr = _xarray()
        coords: dict[str, Any] = {"draw": np.arange(self.runs)}
        coords.update({name: ("draw", np.asarray(v)) for name, v in self.draws.items()})
        data = {
            name: ("draw", np.asarray(column), _column_attrs(name))
            for name, column in self.columns.items()
        }
        attrs = _dataset_attrs(self, f"offer game over {self.runs} random draws")
        attrs["runs"] = int(self.runs)
        attrs["seed"] = int(self.seed)
        attrs["uncertain"] = json.dumps(jsonable(self.uncertain), sort_keys=True)
        return xr.Dataset(data, coords=coords, attrs=attrs)

    def _repr_html_(self) -> str:
        rows = [{"regime": r, "share of draws": s} for r, s in self.regimes().items()]
        return html_table(rows, caption=f"Offer game over {self.runs} random draws")


AnalysisResult = SolveResult | Comparison | SweepResult | MonteCarloResult


# ====================================================================== the whole scenario
@dataclass(frozen=True, eq=False)
class ScenarioResults:
    """Every analysis of a scenario, in the order of the file, with what it was run on.

    Attributes
    ----------
    title, description : str
    source : str or None
        The scenario file.
    seed : int
    fast : bool
        Whether the run was shrunk for speed (:data:`simulator.analysis.FAST`).
    version : str
        The library version that produced the results.
    parameters : dict
        ``model`` (dotted name -> value), ``offers`` (name -> terms), ``dynamics`` (settings)
        and ``formulas`` (dotted name -> formula).
    strategies : dict
        The scenario's strategy profiles (name -> each actor's strategy).
    analyses : tuple
        :class:`SolveResult`, :class:`Comparison`, :class:`SweepResult` and
        :class:`MonteCarloResult` objects.
    figures, figure_formats : tuple of str
        The figures to draw and the file formats.
    notes : tuple of str
    scenario : Scenario or None
        The scenario that was run (not serialised).
    """

    title: str
    description: str
    source: str | None
    seed: int
    fast: bool
    version: str
    parameters: dict[str, Any]
    strategies: dict[str, dict[str, Any]]
    analyses: tuple[Any, ...]
    figures: tuple[str, ...] = ()
    figure_formats: tuple[str, ...] = ("png",)
    notes: tuple[str, ...] = ()
    scenario: Scenario | None = field(default=None, repr=False, compare=False)

    # ------------------------------------------------------------------ access
    @property
    def solutions(self) -> tuple[OfferSolution, ...]:
        """Every offer-game solution of every ``solve`` analysis."""
        return tuple(s for a in self.analyses if isinstance(a, SolveResult) for s in a.solutions)

    @property
    def comparisons(self) -> tuple[Comparison, ...]:
        """The ``compare`` analyses."""
        return tuple(a for a in self.analyses if isinstance(a, Comparison))

    @property
    def sweeps(self) -> tuple[SweepResult, ...]:
        """The ``sweep`` analyses (including any added for a figure)."""
        return tuple(a for a in self.analyses if isinstance(a, SweepResult))

    @property
    def monte_carlo(self) -> tuple[MonteCarloResult, ...]:
        """The ``monte_carlo`` analyses."""
        return tuple(a for a in self.analyses if isinstance(a, MonteCarloResult))

    def certificates(self) -> list[Certificate]:
        """Every certificate of every analysis."""
        return [c for a in self.analyses for c in a.certificates()]

    @property
    def certified(self) -> bool:
        """Whether every equilibrium in the results is certified."""
        return all(c.certified for c in self.certificates())

    # ------------------------------------------------------------------ tables
    def tables(self) -> dict[str, list[dict[str, Any]]]:
        """Every table by name, as lists of flat rows (the CSV files of a report).

        ``offer_game`` (one row per offer solved), ``strategies`` (one row per compared
        profile), ``paths`` (Monte Carlo paths, long form), ``equilibrium`` (the Markov
        perfect equilibrium of each comparison), ``sweep_<k>`` and ``monte_carlo_<k>`` (one
        row per grid point or draw, numbered in file order). Empty tables are left out.
        """
        out: dict[str, list[dict[str, Any]]] = {}
        out["offer_game"] = [
            r for a in self.analyses if isinstance(a, SolveResult) for r in a.rows()
        ]
        out["strategies"] = [r for c in self.comparisons for r in c.rows()]
        out["paths"] = [r for c in self.comparisons for r in c.path_rows()]
        out["equilibrium"] = [
            {"analysis": c.index, **c.equilibrium.row()}
            for c in self.comparisons
            if c.equilibrium is not None
        ]
        for k, sweep in enumerate(self.sweeps, 1):
            out[f"sweep_{k}"] = sweep.rows()
        for k, mc in enumerate(self.monte_carlo, 1):
            out[f"monte_carlo_{k}"] = mc.rows()
        return {name: rows for name, rows in out.items() if rows}

    def to_frame(self, table: str | None = None) -> Any:
        """A table of :meth:`tables` as a pandas DataFrame (pandas is optional).

        By default the strategies table when the scenario compares strategies, else the
        offer-game table.
        """
        tables = self.tables()
        if table is None:
            table = "strategies" if "strategies" in tables else "offer_game"
        if table not in tables:
            raise KeyError(f"no table {table!r}; tables: {sorted(tables)}")
        return to_frame(tables[table])

    def key_numbers(self) -> dict[str, Any]:
        """The headline numbers under stable names (:func:`.key_numbers.key_numbers`).

        Returns
        -------
        dict of str to number or str
            ``offer_game.<offer>.<quantity>``, ``compare.<strategy>.<quantity>``,
            ``equilibrium.<quantity>``, ``sweep(<parameters>).most_common_regime``, ...
        """
        return key_numbers(self)

    def as_dict(self) -> dict[str, Any]:
        """Everything, JSON-ready (``results.json`` adds the schema version, the time and files).

        Examples
        --------
        >>> from simulator.scenario import parse_scenario
        >>> from simulator.analysis import run_scenario
        >>> s = parse_scenario("title: t\\noffers: {deal: {alignment: 0.3}}\\n"
        ...                    "analyses: [{solve: offer_game}]")
        >>> d = run_scenario(s).as_dict()
        >>> d["analyses"][0]["solutions"][0]["certificate"]["certified"]
        True
        """
        return {
            "scenario": jsonable(
                {
                    "title": self.title,
                    "description": self.description,
                    "source": self.source,
                    "seed": self.seed,
                }
            ),
            "library": {"name": "simulator", "version": self.version},
            "fast": self.fast,
            "parameters": jsonable(self.parameters),
            "strategies": jsonable(self.strategies),
            "analyses": [a.as_dict() for a in self.analyses],
            "certified": self.certified,
            "notes": list(self.notes),
        }

    def __repr__(self) -> str:
        kinds = [a.kind for a in self.analyses]
        return (
            f"ScenarioResults({self.title!r}: analyses {kinds}, certified={self.certified}, "
            f"fast={self.fast})"
        )

    def _repr_html_(self) -> str:
        parts = [f"<h3>{_escape(self.title)}</h3>"]
        for name, rows in self.tables().items():
            if name in ("paths",) or name.startswith(("sweep_", "monte_carlo_")):
                continue
            parts.append(html_table(rows, caption=name.replace("_", " ")))
        for sweep in self.sweeps:
            parts.append(sweep._repr_html_())
        for mc in self.monte_carlo:
            parts.append(mc._repr_html_())
        return "".join(parts)

    # ------------------------------------------------------------------ figures
    def _pick(self, items: list[Any], which: int, what: str, hint: str) -> Any:
        if not items:
            raise ValueError(f"these results have no {what}; {hint}")
        if not -len(items) <= which < len(items):
            raise IndexError(f"there are {len(items)} {what}s; got index {which}")
        return items[which]

    def plot_regime_map(self, which: int = 0) -> Figure:
        """The regime map of offer-game sweep number ``which`` (0: the first), titled with the
        offer and the scenario and marking the scenario's point."""
        sweeps = [s for s in self.sweeps if not s.is_bargaining]
        hint = "add a 'sweep' analysis to the scenario (docs/scenario-reference.md)"
        self._pick(sweeps, which, "offer-game sweep", hint)
        return _figures().scenario_figure(self, "regime_map", which)

    def plot_bargaining_range(self, which: int = 0) -> Figure:
        """The bargaining range of bargaining sweep number ``which``, with the offers."""
        sweeps = [s for s in self.sweeps if s.is_bargaining]
        hint = "add a sweep with 'show: bargaining_range', or list the bargaining_range figure"
        self._pick(sweeps, which, "bargaining-range sweep", hint)
        return _figures().scenario_figure(self, "bargaining_range", which)

    def plot_paths(self, which: int = 0) -> Figure:
        """Cohesion, capability and belief paths of comparison number ``which``."""
        hint = "add a 'compare' analysis to the scenario"
        self._pick(list(self.comparisons), which, "comparison", hint)
        return _figures().scenario_figure(self, "paths", which)

    def plot_payoffs(self, which: int = 0) -> Figure:
        """Expected payoffs by strategy of comparison number ``which``."""
        hint = "add a 'compare' analysis to the scenario"
        self._pick(list(self.comparisons), which, "comparison", hint)
        return _figures().scenario_figure(self, "payoffs", which)

    def plot_settlement_timing(self, which: int = 0) -> Figure:
        """When deals are signed and whether they hold, by strategy, in comparison ``which``."""
        hint = "add a 'compare' analysis to the scenario"
        self._pick(list(self.comparisons), which, "comparison", hint)
        return _figures().scenario_figure(self, "settlement_timing", which)


def _escape(text: str) -> str:
    import html

    return html.escape(text)
