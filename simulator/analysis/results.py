"""What :func:`simulator.analysis.run_scenario` returns: frozen results with tables and plots.

Every results class is a frozen dataclass holding plain numbers, strings and numpy arrays,
with

* ``record()``: its block of ``results.json`` as a pydantic record of
  :mod:`~simulator.analysis.records`, the one definition of each output field;
* ``as_dict()``: JSON-ready data (``nan`` becomes ``None``), the content of ``results.json``:
  the record's data;
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

The results of each kind of analysis live in modules of their own:
:mod:`~simulator.analysis.results_offer` (:class:`OfferSolution`, :class:`SolveResult`),
:mod:`~simulator.analysis.results_compare` (:class:`StrategyResult`, :class:`Comparison`) and
:mod:`~simulator.analysis.results_grid` (:class:`Axis`, :class:`SweepResult`,
:class:`MonteCarloResult`); their figures are reached through
:mod:`~simulator.analysis.results_figures`. This module holds :class:`ScenarioResults`, the
whole scenario's results, and re-exports the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from simulator.analysis.certificate import Certificate
from simulator.analysis.equilibrium_result import EquilibriumResult
from simulator.analysis.key_numbers import ACTORS, key_numbers
from simulator.analysis.records import ScenarioResultsRecord, dump_record
from simulator.analysis.results_compare import (
    PATH_QUANTILES,  # noqa: F401 - re-exported, as before the split
    Comparison,
    StrategyResult,
)
from simulator.analysis.results_figures import _figures
from simulator.analysis.results_grid import (
    COLUMN_INFO,  # noqa: F401 - re-exported, as before the split
    Axis,
    MonteCarloResult,
    SweepResult,
)
from simulator.analysis.results_offer import OfferSolution, SolveResult
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

    def record(self) -> ScenarioResultsRecord:
        """Everything, as the record :meth:`as_dict` dumps (``results.json`` without its header).

        Returns
        -------
        ScenarioResultsRecord
            The scenario, the library, every parameter, the strategy profiles, each analysis's
            record, whether all are certified and the notes.
        """
        return ScenarioResultsRecord(
            scenario=jsonable(
                {
                    "title": self.title,
                    "description": self.description,
                    "source": self.source,
                    "seed": self.seed,
                }
            ),
            library={"name": "simulator", "version": self.version},
            fast=self.fast,
            parameters=jsonable(self.parameters),
            strategies=jsonable(self.strategies),
            analyses=[a.record() for a in self.analyses],
            certified=self.certified,
            notes=list(self.notes),
        )

    def as_dict(self) -> dict[str, Any]:
        """Everything, JSON-ready (``results.json`` adds the schema version, the time and files).

        Returns
        -------
        dict of str to Any
            :meth:`record`'s data (:class:`~simulator.analysis.records.ScenarioResultsRecord`).

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
        return dump_record(self.record())

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
