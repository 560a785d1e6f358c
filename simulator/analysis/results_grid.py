"""Sweep and Monte Carlo results: the offer game (or the bargaining range) over many points.

Part of :mod:`simulator.analysis.results` (which re-exports these classes). :class:`Axis` is
a swept parameter; :class:`SweepResult` holds a ``sweep`` analysis on its grid and
:class:`MonteCarloResult` a ``monte_carlo`` analysis over random draws, both as columns of
numbers with tables, labelled arrays (:data:`COLUMN_INFO` says what each column holds) and
figures.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from simulator.analysis.certificate import Certificate
from simulator.analysis.records import AxisRecord, MonteCarloRecord, SweepRecord, dump_record
from simulator.analysis.results_figures import _figures
from simulator.analysis.tables import html_table, jsonable, to_frame

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["Axis", "MonteCarloResult", "SweepResult"]


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

    def record(self) -> AxisRecord:
        """``parameter`` and ``values`` as the axis's ``results.json`` record.

        Returns
        -------
        AxisRecord
            The swept parameter and its values (unit and description are not part of it).
        """
        return AxisRecord(parameter=self.parameter, values=jsonable(self.values))

    def as_dict(self) -> dict[str, Any]:
        """``parameter`` and ``values``: :meth:`record`'s data."""
        return dump_record(self.record())


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

    def __repr__(self) -> str:
        axes = {a.parameter: len(a.values) for a in self.axes}
        certified = None if self.certificate is None else self.certificate.certified
        return (
            f"SweepResult(index={self.index}, offer={self.offer!r}, show={self.show!r}, "
            f"axes={axes}, certified={certified})"
        )

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

    def record(self) -> SweepRecord:
        """The analysis as its ``results.json`` record.

        Returns
        -------
        SweepRecord
            The sweep's settings and axes, each column as nested lists of shape
            :attr:`shape`, the regimes' shares, the switches and the certificate's record.
        """
        return SweepRecord(
            kind=self.kind,
            index=self.index,
            implicit=self.implicit,
            offer=self.offer,
            show=self.show,
            axes=[a.record() for a in self.axes],
            shape=list(self.shape),
            grid={k: jsonable(v) for k, v in self.columns.items()},
            regimes=jsonable(self.regimes()),
            switches=jsonable(self.switches()),
            certificate=None if self.certificate is None else self.certificate.record(),
            unsolved_points=self.unsolved,
            notes=list(self.notes),
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready data (:meth:`record`'s); grid columns are nested lists of shape
        :attr:`shape`."""
        return dump_record(self.record())

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

    def __repr__(self) -> str:
        return (
            f"MonteCarloResult(index={self.index}, offer={self.offer!r}, runs={self.runs}, "
            f"drawn={sorted(self.draws)}, certified={self.certificate.certified})"
        )

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

    def record(self) -> MonteCarloRecord:
        """The analysis as its ``results.json`` record.

        Returns
        -------
        MonteCarloRecord
            The settings, the draws and per-draw results as lists, the regimes' shares, the
            summary and the certificate's record.
        """
        return MonteCarloRecord(
            kind=self.kind,
            index=self.index,
            offer=self.offer,
            runs=self.runs,
            seed=self.seed,
            uncertain=jsonable(self.uncertain),
            draws=jsonable(self.draws),
            results=jsonable(self.columns),
            regimes=jsonable(self.regimes()),
            summary=jsonable(self.summary()),
            certificate=self.certificate.record(),
            unsolved_points=self.unsolved,
            notes=list(self.notes),
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready data (:meth:`record`'s: draws and per-draw results as lists)."""
        return dump_record(self.record())

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
