"""Run every analysis of a scenario: solve, compare strategies, sweep, Monte Carlo.

:func:`run_scenario` turns a validated :class:`~simulator.scenario.Scenario` into
:class:`~simulator.analysis.results.ScenarioResults`:

* ``solve: offer_game`` solves the offer game for each offer
  (:func:`~simulator.model.offer_game.solve_offer_game`: every perfect Bayesian equilibrium,
  certified, and the selected one);
* ``compare`` simulates each strategy profile in the buy-time dynamics
  (:func:`~simulator.model.dynamics.simulate`, Monte Carlo with the scenario's seed and the
  uncertain parameters drawn per run) and solves the same game for its Markov perfect
  equilibrium (:func:`~simulator.model.markov.markov_perfect_equilibrium`), which answers
  "does buying time pay, given the West's best response?" and gives the West's policy to
  profiles that say ``west: best_response``;
* ``sweep`` solves the offer game on a grid of one or two parameters
  (:func:`~simulator.model.offer_game.solve_offer_game_batch`, vectorised), or with
  ``show: bargaining_range`` computes the settlements both sides prefer to war
  (:func:`~simulator.model.published.bargaining.status_settlements`, as
  :func:`~simulator.model.published.bargaining.bargaining_range_from_model` does for one point);
* ``monte_carlo`` solves the offer game for random draws of the uncertain parameters.

Formulas in the scenario follow the swept or drawn parameters (:mod:`.points`). Sweeps and
Monte Carlo draws are solved in chunks that can go to a :mod:`concurrent.futures` executor
(``workers`` processes, any executor given, or a Dask cluster with ``scheduler``:
:mod:`.cluster`) and can be saved as checkpoints and reused by a resumed run
(:mod:`.checkpoint`). Chunks are joined in chunk order, so the results never depend on
which worker finished first.

A scenario without analyses gets the default ones: solve every offer and compare
``buy_time`` with ``genuine_compromise`` on the first offer.

The pieces live in modules of their own: the options of a run (:data:`FAST`, the progress
callback, the context every runner gets) in :mod:`~simulator.analysis.run_options`, the
runner of each kind of analysis in :mod:`~simulator.analysis.run_analyses`, and the chunked
grids with their checkpoint keys (:func:`chunk_points`, :func:`game_chunk`,
:func:`bargaining_chunk`) in :mod:`~simulator.analysis.run_grids`. This module holds
:func:`run_scenario`, its executor and the choice of analyses, and re-exports the rest.
"""

from __future__ import annotations

import concurrent.futures
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from simulator.analysis.checkpoint import CheckpointStore
from simulator.analysis.cluster import dask_executor
from simulator.analysis.points import AnalysisError
from simulator.analysis.results import ScenarioResults
from simulator.analysis.run_analyses import (
    _compare,
    _monte_carlo,
    _parameters,
    _profile_dict,
    _solve,
    _sweep,
)
from simulator.analysis.run_grids import (
    CHUNK_SIZE,
    MAX_CHUNK_SIZE,
    bargaining_chunk,
    chunk_points,
    game_chunk,
)
from simulator.analysis.run_options import FAST, ProgressCallback, _Context
from simulator.scenario import (
    CompareAnalysis,
    MonteCarloAnalysis,
    Scenario,
    SolveAnalysis,
    SweepAnalysis,
    SweepAxis,
)

__all__ = [
    "AnalysisError",
    "CHUNK_SIZE",
    "MAX_CHUNK_SIZE",
    "chunk_points",
    "DEFAULT_PROFILES",
    "FAST",
    "ProgressCallback",
    "bargaining_chunk",
    "game_chunk",
    "run_scenario",
]

#: The profiles compared when a scenario lists no analyses.
DEFAULT_PROFILES = ("buy_time", "genuine_compromise")


@contextmanager
def _executor(
    workers: int | None,
    given: concurrent.futures.Executor | None,
    scheduler: str | None = None,
) -> Iterator[concurrent.futures.Executor | None]:
    if scheduler is not None:
        if given is not None:
            raise ValueError("give either executor or scheduler, not both")
        with dask_executor(scheduler, workers) as pool:
            yield pool
        return
    if given is not None or not workers or workers <= 1:
        yield given
        return
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as pool:
        yield pool


def run_scenario(
    scenario: Scenario,
    fast: bool = False,
    progress: ProgressCallback | None = None,
    *,
    workers: int | None = None,
    executor: concurrent.futures.Executor | None = None,
    checkpoint: str | os.PathLike[str] | None = None,
    resume: bool = False,
    chunk_size: int | None = None,
    scheduler: str | None = None,
) -> ScenarioResults:
    """Run every analysis of ``scenario`` and return the results.

    The results are the same, bit for bit, whatever ``chunk_size``, ``workers``, executor or
    scheduler: chunks are pure functions of their points (Monte Carlo draws are made here,
    from the scenario's seed, never on a worker) and are joined in chunk order.

    Parameters
    ----------
    scenario : Scenario
        From :func:`simulator.scenario.load_scenario` (or built in Python).
    fast : bool
        Shrink runs, periods and grids as in :data:`FAST` (for tests and quick looks).
    progress : callable, optional
        Called as ``progress(label, done, total)`` as each analysis advances.
    workers : int, optional
        Solve sweep and Monte Carlo chunks in this many processes (a process pool), or with
        ``scheduler="local"`` on a local Dask cluster of this many workers.
    executor : concurrent.futures.Executor, optional
        Solve chunks there instead (e.g. Dask's ``client.get_executor()``).
    checkpoint : path, optional
        Folder for checkpoints of finished sweep and Monte Carlo chunks.
    resume : bool
        Reuse chunks already in ``checkpoint`` (only those computed for exactly the same
        scenario, analysis, chunk size and library version).
    chunk_size : int, optional
        Points per chunk (default: :func:`chunk_points` of each sweep's size).
    scheduler : str, optional
        Solve chunks on a Dask cluster (the optional ``dask`` extra,
        ``pip install "simulator[dask]"``): ``"local"`` starts one on this machine for the
        run (``workers`` single-threaded worker processes, default one per CPU); an address
        such as ``"tcp://10.0.0.5:8786"`` connects to a running scheduler, whose workers must
        have the same version of this library (checked on connecting). See
        :mod:`simulator.analysis.cluster`.

    Returns
    -------
    ScenarioResults

    Raises
    ------
    AnalysisError
        When the scenario's values cannot be analysed as asked (e.g. a sweep drives a
        formula outside its parameter's range).
    MissingExtraError
        A scheduler is asked for and ``dask[distributed]`` is not installed.
    ClusterError
        The Dask cluster could not be started or reached.

    Examples
    --------
    A neutrality offer inside the span where Russia keeps part of its status, with a verified
    withdrawal on the table: every type offers in words and the deal holds.

    >>> from simulator.scenario import parse_scenario
    >>> s = parse_scenario('''
    ... title: A costly signal
    ... actors:
    ...   russia: {dominance_threshold: 0.2, capability_ceiling: 2.0, prior_sincere: 0.4,
    ...            regroup_rate_sincere: 0.0, regroup_rate_staller: 1.0}
    ... offers: {neutrality: {alignment: 0.3, withdrawal_cost: 0.1}}
    ... analyses: [{solve: offer_game}]''')
    >>> sol = run_scenario(s).solutions[0]
    >>> sol.kind, sol.outcome["sincere"], sol.outcome["staller"], sol.certificate.certified
    ('pooling', 'settled', 'settled', True)
    """
    if chunk_size is not None and (
        isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1
    ):
        raise ValueError(f"chunk_size must be a whole number >= 1; got {chunk_size!r}")
    from simulator import __version__

    store = CheckpointStore(checkpoint, resume=resume) if checkpoint is not None else None
    analyses, notes = _effective_analyses(scenario)
    figures = _figures(scenario)
    if "bargaining_range" in figures and not any(
        isinstance(a, SweepAnalysis) and a.show == "bargaining_range" for a in analyses
    ):
        extra = _implicit_bargaining(scenario, analyses)
        analyses.append(extra)
        notes.append(
            f"the bargaining_range figure needs a bargaining-range sweep: added one over "
            f"{extra.axes[0].parameter} from {extra.axes[0].start:g} to {extra.axes[0].stop:g}"
        )
    if fast:
        notes.append(
            "fast mode: at most {runs} runs and {periods} periods per comparison, {steps} "
            "values per swept parameter, {draws} Monte Carlo draws and a coarse grid for the "
            "what-if rules' Markov equilibrium (the buy-time game keeps its full grid); use the "
            "full run for briefings".format(**FAST)
        )
    results: list[Any] = []
    with _executor(workers, executor, scheduler) as pool:
        ctx = _Context(fast, progress, store, pool, chunk_size, notes=notes)
        total = len(analyses)
        for position, (index, spec) in enumerate(_numbered(analyses), 1):
            ctx.label = f"[{position}/{total}] {_describe(spec, ctx)}"
            ctx.report(0, 1)
            results.append(_run_one(scenario, spec, index, ctx))
    return ScenarioResults(
        title=scenario.title,
        description=scenario.description,
        source=scenario.source,
        seed=scenario.seed,
        fast=fast,
        version=__version__,
        parameters=_parameters(scenario),
        strategies={name: _profile_dict(p) for name, p in scenario.strategies.items()},
        analyses=tuple(results),
        figures=figures,
        figure_formats=tuple(scenario.figure_formats),
        notes=tuple(notes),
        scenario=scenario,
    )


def _numbered(analyses: list[Any]) -> list[tuple[int, Any]]:
    """(index, spec): the position in the file, 0 for analyses added for a figure."""
    return [(0 if isinstance(s, _ImplicitSweep) else k, s) for k, s in enumerate(analyses, 1)]


def _effective_analyses(scenario: Scenario) -> tuple[list[Any], list[str]]:
    if scenario.analyses:
        return list(scenario.analyses), []
    first = next(iter(scenario.offers))
    profiles = tuple(p for p in DEFAULT_PROFILES if p in scenario.strategies)
    defaults: list[Any] = [SolveAnalysis("offer_game", tuple(scenario.offers))]
    if profiles:
        defaults.append(
            CompareAnalysis(profiles, first, periods=scenario.dynamics.periods, runs=1000)
        )
    note = (
        "the scenario lists no analyses: solved the offer game for every offer and compared "
        f"{' and '.join(profiles)} on the offer {first!r}"
    )
    return defaults, [note]


def _figures(scenario: Scenario) -> tuple[str, ...]:
    """The figures asked for; all of them when the file does not say."""
    if "figures" in scenario.raw:
        return tuple(scenario.figures)
    if scenario.figures:
        return tuple(scenario.figures)
    from simulator.scenario.objects import FIGURES

    return tuple(FIGURES)


@dataclass(frozen=True)
class _ImplicitSweep(SweepAnalysis):
    """A bargaining-range sweep added so that a requested figure can be drawn."""

    _implicit: bool = True


def _implicit_bargaining(scenario: Scenario, analyses: list[Any]) -> SweepAnalysis:
    sweep = next((a for a in analyses if isinstance(a, SweepAnalysis)), None)
    if sweep is not None:
        axis = sweep.axes[0]
        return _ImplicitSweep((axis,), sweep.offer, "bargaining_range")
    status = float(scenario.model.russia.great_power_status)
    axis = SweepAxis("russia.great_power_status", 0.0, max(3.0, 2.0 * status), 61)
    return _ImplicitSweep((axis,), next(iter(scenario.offers)), "bargaining_range")


def _describe(spec: Any, ctx: _Context) -> str:
    if isinstance(spec, SolveAnalysis):
        return f"solve the offer game ({', '.join(spec.offers)})"
    if isinstance(spec, CompareAnalysis):
        return f"compare {', '.join(spec.profiles)}"
    if isinstance(spec, SweepAnalysis):
        what = "bargaining range" if spec.show == "bargaining_range" else "offer game"
        return f"sweep {' x '.join(a.parameter for a in spec.axes)} ({what})"
    runs = min(spec.runs, FAST["draws"]) if ctx.fast else spec.runs
    return f"Monte Carlo over {', '.join(u.parameter for u in spec.uncertain)} ({runs} draws)"


def _run_one(scenario: Scenario, spec: Any, index: int, ctx: _Context) -> Any:
    if isinstance(spec, SolveAnalysis):
        return _solve(scenario, spec, index, ctx)
    if isinstance(spec, CompareAnalysis):
        return _compare(scenario, spec, index, ctx)
    if isinstance(spec, SweepAnalysis):
        return _sweep(scenario, spec, index, ctx)
    if isinstance(spec, MonteCarloAnalysis):
        return _monte_carlo(scenario, spec, index, ctx)
    raise TypeError(f"unknown analysis {spec!r}")
