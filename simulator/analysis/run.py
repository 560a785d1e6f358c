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
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import math
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from simulator.analysis.checkpoint import CheckpointStore, checkpoint_key, code_hash
from simulator.analysis.cluster import dask_executor
from simulator.analysis.points import AnalysisError, _affected, game_changes, point_values
from simulator.analysis.results import (
    Axis,
    Certificate,
    Comparison,
    EquilibriumResult,
    MonteCarloResult,
    OfferSolution,
    ScenarioResults,
    SolveResult,
    StrategyResult,
    SweepResult,
)
from simulator.model.buy_time_game import PLANS, buy_time_equilibrium
from simulator.model.buy_time_play import play
from simulator.model.dynamics import SimulationResult, contest, simulate
from simulator.model.markov import MPEGrid, MPEResult, markov_perfect_equilibrium
from simulator.model.offer_game import (
    OUTCOMES,
    TYPES,
    OfferGameResult,
    solve_offer_game,
    solve_offer_game_batch,
)
from simulator.model.published.bargaining import status_settlements
from simulator.scenario import (
    CompareAnalysis,
    MonteCarloAnalysis,
    Scenario,
    SolveAnalysis,
    SweepAnalysis,
    SweepAxis,
)
from simulator.scenario.objects import (
    RUSSIA_STRATEGIES,
    UKRAINE_STRATEGIES,
    WEST_STRATEGIES,
    parameter_values,
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

#: How ``fast=True`` shrinks a run so that a test suite can run every scenario in seconds:
#: at most ``runs`` Monte Carlo runs per strategy and ``periods`` periods in ``compare``,
#: at most ``steps`` values per swept parameter, at most ``draws`` Monte Carlo draws, and a
#: coarse grid (``mpe_beliefs`` belief points, ``mpe_capability`` capability points,
#: ``mpe_quadrature`` nodes) for the Markov perfect equilibrium.
FAST: dict[str, int] = {
    "runs": 200,
    "periods": 12,
    "steps": 9,
    "draws": 200,
    "mpe_beliefs": 5,
    "mpe_capability": 9,
    "mpe_quadrature": 3,
    "belief_points": 2,
    "regroup_levels": 3,
}
#: Points solved (and checkpointed) together in sweeps and Monte Carlo analyses, at least:
#: small enough that an interrupted sweep of a few hundred points has finished chunks to resume
#: from. Larger grids get larger chunks (:func:`chunk_points`), up to :data:`MAX_CHUNK_SIZE`.
CHUNK_SIZE = 256
#: The largest automatic chunk: a million-point map is then about 120 chunks, enough to keep
#: every worker busy and to resume, while each chunk's solving outweighs sending it.
MAX_CHUNK_SIZE = 8192


def chunk_points(points: int) -> int:
    """The automatic chunk size for ``points`` points: about 1/64 of them, within bounds.

    It depends on the grid alone (not on the workers), so a resumed run finds its chunks.

    Parameters
    ----------
    points : int
        Points of the sweep or Monte Carlo analysis.

    Returns
    -------
    int
        Between :data:`CHUNK_SIZE` and :data:`MAX_CHUNK_SIZE`.

    Examples
    --------
    >>> chunk_points(861), chunk_points(100_000), chunk_points(1_000_000)
    (256, 1563, 8192)
    """
    return int(min(MAX_CHUNK_SIZE, max(CHUNK_SIZE, -(-points // 64))))
#: The profiles compared when a scenario lists no analyses.
DEFAULT_PROFILES = ("buy_time", "genuine_compromise")
#: The parameters the bargaining range reads (as bargaining_range_from_model does).
BARGAINING_INPUTS = (
    "russia.capability",
    "ukraine.capability",
    "contest_exponent",
    "russia.war_cost",
    "ukraine.war_cost",
    "russia.great_power_status",
    "russia.dominance_threshold",
    "russia.sanctions_cost",
    "west.western_cohesion",
    "russia.optimism",
)
#: The offer game's results kept at every sweep point or draw (plus ``payoff.<government>``).
GAME_COLUMNS = (
    "regime",
    "kind",
    "settlement_probability",
    "renewed_war_probability",
    "war_probability",
    "payoff.russia",
    "payoff.ukraine",
    "certificate",
    "tolerance",
)
MPE_METHOD = (
    "Markov perfect equilibrium by backward induction on a discretised state; regret = the "
    "largest one-shot deviation gain of any player in any state and period"
)
GRID_METHOD = (
    "the offer game's selected equilibrium at every point (solve_offer_game_batch); regret = "
    "the largest gain from a deviation at any information set of any point; tolerance = "
    "the smallest of the points' tolerances, each 1e-9 x max(1, payoff span)"
)

#: ``progress(label, done, total)``: the current step's label and how far it has got.
ProgressCallback = Callable[[str, int, int], None]


# ====================================================================== options
@dataclass
class _Context:
    fast: bool
    progress: ProgressCallback | None
    store: CheckpointStore | None
    executor: concurrent.futures.Executor | None
    chunk_size: int | None
    label: str = ""
    notes: list[str] = field(default_factory=list)

    def report(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(self.label, done, total)


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
            "values per swept parameter, {draws} Monte Carlo draws and a coarse equilibrium "
            "grid; use the full run for briefings".format(**FAST)
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


# ====================================================================== parameters
def _parameters(scenario: Scenario) -> dict[str, Any]:
    values = parameter_values(scenario.model, scenario.offers)
    model = {k: v for k, v in values.items() if not k.startswith("offers.")}
    return {
        "model": model,
        "offers": {name: _terms(o) for name, o in scenario.offers.items()},
        "dynamics": dataclasses.asdict(scenario.dynamics),
        "buy_time": {
            k: v for k, v in dataclasses.asdict(scenario.buy_time).items() if k != "periods"
        },
        "formulas": dict(scenario.formulas),
    }


def _terms(offer: Any) -> dict[str, Any]:
    terms = {
        k: v for k, v in dataclasses.asdict(offer).items() if k not in ("name", "inducements")
    }
    terms.update({f"inducement.{g}": a for g, a in offer.inducement_map.items()})
    return terms


def _profile_dict(profile: Any) -> dict[str, Any]:
    sincere, staller = profile.russia_by_type
    return {
        "russia": staller,
        "sincere_russia": sincere,
        "west": profile.west,
        "ukraine": profile.ukraine,
    }


# ====================================================================== solve
def _solution(name: str, terms: dict[str, Any], r: OfferGameResult) -> OfferSolution:
    row, eq = r.row, r.selected
    types = [*TYPES, "sincere", "staller"]
    messages = {t: {m: float(row[f"message.{t}.{m}"]) for m in r.messages} for t in TYPES}
    probabilities = {t: {o: float(row[f"outcome.{t}.{o}"]) for o in OUTCOMES} for t in types}
    outcome = {t: max(OUTCOMES, key=lambda o, t=t: probabilities[t][o]) for t in types}
    method = (
        "no equilibrium found"
        if eq is None
        else f"perfect Bayesian equilibrium by {eq.method} (docs/offer_game.md: pure strategies "
        "first, off-path beliefs searched among the prior restricted to each set of types, "
        "selected by the intuitive criterion, then Russia's ex-ante payoff; else a sequential "
        "equilibrium traced on the game tree)"
    )
    names = [g for g in r.payoffs if g not in ("Russia", "Ukraine")]
    return OfferSolution(
        offer=name,
        terms=terms,
        kind=r.kind,
        regime=r.regime,
        messages=messages,
        outcome=outcome,
        outcome_probabilities=probabilities,
        settlement_probability=float(r.settlement_probability),
        renewed_war_probability=float(r.renewed_war_probability),
        war_probability=float(r.war_probability),
        posterior={m: float(row[f"posterior.{m}"]) for m in r.messages},
        posterior_weak={m: float(row[f"posterior_weak.{m}"]) for m in r.messages},
        on_path={m: bool(row[f"on_path.{m}"] == 1.0) for m in r.messages},
        west_actions={m: {g: float(row[f"ease.{m}.{g}"]) for g in names} for m in r.messages},
        pressure={m: float(row[f"pressure.{m}"]) for m in r.messages},
        acceptance={m: float(row[f"acceptance.{m}"]) for m in r.messages[1:]},
        payoffs=r.payoffs,
        equilibria=int(r.equilibria),
        intuitive=None if eq is None else eq.intuitive,
        certificate=Certificate(float(r.certificate), float(r.tolerance), method),
        result=r,
    )


def _solve(scenario: Scenario, spec: SolveAnalysis, index: int, ctx: _Context) -> SolveResult:
    if spec.target == "offer_menu":  # one game: Russia picks which offer to make
        menu = [scenario.offer(name) for name in spec.offers]
        result = solve_offer_game(scenario.model, menu)
        name = "menu: " + ", ".join(spec.offers)
        terms = {f"{o.name}.{k}": v for o in menu for k, v in _terms(o).items()}
        solution = _solution(name, terms, result)
        ctx.report(1, 1)
        return SolveResult(index=index, target=spec.target, solutions=(solution,))
    solutions = []
    for k, name in enumerate(spec.offers):
        offer = scenario.offer(name)
        solutions.append(_solution(name, _terms(offer), solve_offer_game(scenario.model, offer)))
        ctx.report(k + 1, len(spec.offers))
    return SolveResult(index=index, target=spec.target, solutions=tuple(solutions))


# ====================================================================== compare
def _behaviour(profile: Any, mpe: MPEResult | None) -> dict[str, str]:
    sincere, staller = profile.russia_by_type
    if sincere == staller:
        russia = f"{staller}: {RUSSIA_STRATEGIES[staller]}"
    else:
        russia = (
            f"sincere type {sincere}: {RUSSIA_STRATEGIES[sincere]}; "
            f"staller {staller}: {RUSSIA_STRATEGIES[staller]}"
        )
    west = f"{profile.west}: {WEST_STRATEGIES[profile.west]}"
    if profile.west == "best_response" and mpe is not None:
        eases = float(mpe.initial()["west_eases"])
        west += f" (first period: eases with probability {eases:.2g} if Russia talks)"
    return {
        "russia": russia,
        "west": west,
        "ukraine": f"{profile.ukraine}: {UKRAINE_STRATEGIES[profile.ukraine]}",
    }


def _equilibrium(
    scenario: Scenario, offer: str, periods: int, runs: int, fast: bool
) -> EquilibriumResult:
    """The buy-time game's equilibrium for ``offer`` and a forward pass of each plan."""
    settings = scenario.buy_time
    settings = dataclasses.replace(settings, periods=periods)
    if fast:
        settings = dataclasses.replace(
            settings,
            belief_points=min(settings.belief_points, FAST["belief_points"]),
            regroup_levels=min(settings.regroup_levels, FAST["regroup_levels"]),
        )
    eq = buy_time_equilibrium(scenario.model, scenario.offer(offer), settings)
    plays = {plan: play(eq, runs=runs, seed=scenario.seed, plan=plan) for plan in PLANS}
    return EquilibriumResult(offer=offer, result=eq, plays=plays, seed=scenario.seed)


def _strategy(name: str, profile: Any, sim: SimulationResult, mpe: Any) -> StrategyResult:
    summary = sim.summary()
    final_capability = sim.capability[:, -1].astype(float)
    phases = sim.phase_shares()
    return StrategyResult(
        name=name,
        profile=_profile_dict(profile),
        behaviour=_behaviour(profile, mpe),
        runs=sim.runs,
        periods=sim.periods,
        expected_payoffs=summary["expected_payoffs"],
        settlement_probability=float(summary["settlement_probability"]),
        mean_settlement_period=float(summary["mean_settlement_period"]),
        settlement_distribution=tuple(float(x) for x in summary["settlement_distribution"]),
        renewed_war_probability=float(summary["renewed_war_probability"]),
        broken_deal_probability=float(summary["broken_deal_probability"]),
        final_cohesion=float(summary["final_cohesion"]),
        final_cohesion_bands=tuple(float(x) for x in summary["final_cohesion_bands"]),
        final_capability=float(final_capability.mean()),
        final_capability_bands=tuple(
            float(x) for x in np.quantile(final_capability, [0.05, 0.5, 0.95])
        ),
        final_phases={k: float(v[-1]) for k, v in phases.items()},
        russia_victory_probability=float(summary["russia_victory_probability"]),
        ukraine_victory_probability=float(summary["ukraine_victory_probability"]),
        paths=sim.paths(),
        simulation=sim,
    )


def _compare(scenario: Scenario, spec: CompareAnalysis, index: int, ctx: _Context) -> Comparison:
    periods, runs = spec.periods, spec.runs
    notes = []
    if ctx.fast:
        periods, runs = min(periods, FAST["periods"]), min(runs, FAST["runs"])
        grid = MPEGrid(
            beliefs=FAST["mpe_beliefs"],
            capability=FAST["mpe_capability"],
            quadrature=FAST["mpe_quadrature"],
        )
    else:
        grid = MPEGrid()
    offer = scenario.offer(spec.offer)
    uncertain = {u.parameter: u.as_dict() for u in spec.uncertain}
    followed = _affected(scenario, set(uncertain))
    if followed:
        notes.append(
            f"the formulas for {', '.join(sorted(followed))} read parameters drawn per run; "
            "in the simulation they keep their values at the scenario's own values"
        )
    steps = len(spec.profiles) + 1
    equilibrium = (
        _equilibrium(scenario, spec.offer, periods, runs, ctx.fast) if spec.equilibrium else None
    )
    ctx.report(1, steps)
    # the what-if West rule "best_response" reads the simulation's own Markov equilibrium
    eq = None
    if any(scenario.strategies[name].west == "best_response" for name in spec.profiles):
        eq = markov_perfect_equilibrium(
            scenario.model, offer, grid=grid, periods=periods, settings=scenario.dynamics
        )
    strategies = []
    for k, name in enumerate(spec.profiles):
        profile = scenario.strategies[name]
        sim = simulate(
            scenario.model,
            offer,
            profile,
            runs=runs,
            periods=periods,
            seed=scenario.seed,
            uncertain=uncertain or None,
            settings=scenario.dynamics,
            mpe=eq,
        )
        strategies.append(_strategy(name, profile, sim, eq))
        ctx.report(k + 2, steps)
    return Comparison(
        index=index,
        offer=spec.offer,
        periods=periods,
        runs=runs,
        seed=scenario.seed,
        uncertain=tuple({"parameter": u.parameter, **u.as_dict()} for u in spec.uncertain),
        strategies=tuple(strategies),
        equilibrium=equilibrium,
        notes=tuple(notes),
    )


# ====================================================================== chunked grids
def game_chunk(model: Any, offer: Any, changes: Mapping[str, np.ndarray], size: int) -> dict:
    """The offer game's selected equilibrium at ``size`` points (a sweep or draw chunk).

    Kept at module level so that process executors can pickle it.

    Parameters
    ----------
    model : NegotiationModel
        The base point.
    offer : Offer or sequence of Offer
        The offer Russia may make, or a menu it chooses from.
    changes : mapping of str to numpy.ndarray
        The values the game reads at each point, under the game's names (the ``changes`` of
        :func:`~simulator.model.offer_game.solve_offer_game_batch`, as
        :func:`~simulator.analysis.points.game_changes` gives them), each of shape
        ``(size,)``. Empty: the base point, repeated.
    size : int
        Number of points in the chunk.

    Returns
    -------
    dict of str to numpy.ndarray
        The columns of :data:`GAME_COLUMNS`, ``payoff.<government>`` for every Western
        government and ``found``, each of shape ``(size,)``.

    Raises
    ------
    KeyError, ValueError
        As :func:`~simulator.model.offer_game.solve_offer_game_batch`, for a name the game
        does not know or read or a value outside its range.

    Examples
    --------
    >>> from simulator.model import NegotiationModel, Offer
    >>> out = game_chunk(NegotiationModel(), Offer(alignment=0.3, territory=0.2),
    ...                  {"russia.leader.removal_if_settle": np.array([0.0, 1.0])}, 2)
    >>> out["renewed_war_probability"].tolist()
    [0.0, 0.5]
    """
    if not changes:  # nothing the game reads varies: solve one point, repeat it
        changes = {"russia.prior_sincere": np.full(size, model.russia.prior_sincere)}
    out = solve_offer_game_batch(model, offer, changes)
    names = [g.name for g in model.west.governments]
    keep = list(GAME_COLUMNS) + [f"payoff.{g}" for g in names] + ["found"]
    return {k: np.broadcast_to(np.asarray(out[k]), (size,)).copy() for k in keep}


def bargaining_chunk(inputs: Mapping[str, np.ndarray], size: int) -> dict:
    """The bargaining range at ``size`` points, from :data:`BARGAINING_INPUTS`.

    The mapping of :func:`~simulator.model.published.bargaining.bargaining_range_from_model`,
    vectorised: ``p`` from the contest function, the sanctions burden as
    ``russia.sanctions_cost * west.western_cohesion``.

    Parameters
    ----------
    inputs : mapping of str to array_like
        Every name of :data:`BARGAINING_INPUTS` mapped to its values, each a number or an
        array that broadcasts to ``(size,)``.
    size : int
        Number of points in the chunk.

    Returns
    -------
    dict of str to numpy.ndarray
        ``low``, ``high`` (the alignments bounding the settlements both sides prefer to war;
        ``nan`` where there is none), ``nonempty``, ``within_sphere``, ``beyond_dominance``
        (bool), ``russia_war_payoff`` (as Russia sees it) and ``ukraine_war_payoff``, each of
        shape ``(size,)`` (:data:`~simulator.analysis.results.COLUMN_INFO` says what each
        holds).

    Raises
    ------
    KeyError
        If a name of :data:`BARGAINING_INPUTS` is missing from ``inputs``.

    Examples
    --------
    >>> from simulator.model import NegotiationModel
    >>> params = NegotiationModel().params
    >>> inputs = {name: params[name] for name in BARGAINING_INPUTS}
    >>> inputs["russia.war_cost"] = np.array([0.1, 0.3])
    >>> out = bargaining_chunk(inputs, 2)
    >>> out["low"].round(3).tolist(), out["high"].round(3).tolist()
    ([0.35, 0.35], [0.45, 0.65])
    """
    v = {k: np.broadcast_to(np.asarray(a, dtype=float), (size,)) for k, a in inputs.items()}
    p = contest(v["russia.capability"], v["ukraine.capability"], v["contest_exponent"])
    r = status_settlements(
        p=p,
        war_cost_russia=v["russia.war_cost"],
        war_cost_ukraine=v["ukraine.war_cost"],
        status_premium=v["russia.great_power_status"],
        dominance_threshold=v["russia.dominance_threshold"],
        sanctions_burden=v["russia.sanctions_cost"] * v["west.western_cohesion"],
        optimism=v["russia.optimism"],
    )
    return {
        k: np.broadcast_to(np.asarray(getattr(r, k)), (size,)).copy()
        for k in (
            "low",
            "high",
            "nonempty",
            "within_sphere",
            "beyond_dominance",
            "russia_war_payoff",
            "ukraine_war_payoff",
        )
    }


def _slice(arrays: Mapping[str, np.ndarray], a: int, b: int) -> dict[str, np.ndarray]:
    return {k: np.ascontiguousarray(v[a:b]) for k, v in arrays.items()}


def _chunked(
    ctx: _Context,
    key: str,
    size: int,
    compute: Callable[..., dict],
    leading: tuple[Any, ...],
    arrays: Mapping[str, np.ndarray],
) -> tuple[dict[str, np.ndarray], int]:
    """Solve ``size`` points in chunks: ``compute(*leading, arrays[chunk], chunk size)``.

    Returns the concatenated columns and the number of points read from checkpoints.
    """
    step = ctx.chunk_size or chunk_points(size)
    bounds = [(a, min(a + step, size)) for a in range(0, size, step)]
    parts: list[dict | None] = [None] * len(bounds)
    reused = 0
    if ctx.store is not None:
        for k, (a, b) in enumerate(bounds):
            parts[k] = ctx.store.load(key, k)
            if parts[k] is not None:
                reused += b - a
    done = reused
    ctx.report(done, size)

    def finish(k: int, part: dict) -> None:
        nonlocal done
        parts[k] = part
        if ctx.store is not None:
            ctx.store.save(key, k, part)
        done += bounds[k][1] - bounds[k][0]
        ctx.report(done, size)

    todo = [k for k, part in enumerate(parts) if part is None]
    if ctx.executor is not None and len(todo) > 1:
        futures = {
            ctx.executor.submit(
                compute, *leading, _slice(arrays, *bounds[k]), bounds[k][1] - bounds[k][0]
            ): k
            for k in todo
        }
        try:
            for future in concurrent.futures.as_completed(futures):
                finish(futures[future], future.result())
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    else:
        for k in todo:
            a, b = bounds[k]
            finish(k, compute(*leading, _slice(arrays, a, b), b - a))
    columns = {
        name: np.concatenate([np.asarray(p[name]) for p in parts])  # type: ignore[index]
        for name in parts[0]  # type: ignore[union-attr]
    }
    return columns, reused


def _grid_certificate(columns: Mapping[str, np.ndarray]) -> Certificate:
    """The grid's certificate: its largest regret against the smallest point tolerance.

    Each point is certified against its own tolerance (the offer game's rule); the grid's summary
    compares the worst regret with the strictest of them, so it never claims more than every
    point does.
    """
    regret = columns["certificate"]
    finite = regret[np.isfinite(regret)]
    worst = float(finite.max()) if finite.size == regret.size and finite.size else math.nan
    tolerance = float(np.nanmin(columns["tolerance"])) if regret.size else math.nan
    return Certificate(worst, tolerance, GRID_METHOD)


def _key(scenario: Scenario, kind: str, index: int, spec: Any, ctx: _Context) -> str:
    from simulator import __version__

    params = {k: v for k, v in scenario.params.items()}
    return checkpoint_key(
        __version__,
        code_hash(),
        kind,
        index,
        repr(spec),
        params,
        scenario.formulas,
        scenario.seed,
        ctx.fast,
        ctx.chunk_size,
    )


def _game_columns(
    scenario: Scenario,
    offer: str,
    values: Mapping[str, np.ndarray],
    size: int,
    key: str,
    ctx: _Context,
) -> tuple[dict[str, np.ndarray], int, list[str]]:
    changes, ignored = game_changes(scenario, offer, values)
    columns, reused = _chunked(
        ctx, key, size, game_chunk, (scenario.model, scenario.offer(offer)), changes
    )
    return columns, reused, ignored


# ====================================================================== sweep
def _axis_values(axis: SweepAxis, fast: bool, integer: bool) -> np.ndarray:
    steps = min(axis.steps, FAST["steps"]) if fast else axis.steps
    values = np.linspace(axis.start, axis.stop, steps)
    return np.round(values) if integer else values


def _sweep(scenario: Scenario, spec: SweepAnalysis, index: int, ctx: _Context) -> SweepResult:
    from simulator.analysis.points import specs_of

    specs = specs_of(scenario)
    axes = []
    for axis in spec.axes:
        spec_ = specs.get(axis.parameter)
        integer = bool(spec_ is not None and spec_.integer)
        values = tuple(_axis_values(axis, ctx.fast, integer).tolist())
        unit, text = ("", "") if spec_ is None else (spec_.unit, spec_.description)
        axes.append(Axis(axis.parameter, values, unit, text))
    shape = tuple(len(a.values) for a in axes)
    grids = np.meshgrid(*[np.asarray(a.values) for a in axes], indexing="ij")
    varied = {a.parameter: g.ravel() for a, g in zip(axes, grids)}
    values = point_values(scenario, varied)
    size = int(np.prod(shape))
    key = _key(scenario, "sweep", index, spec, ctx)
    notes: list[str] = []
    if spec.show == "bargaining_range":
        base = scenario.params
        inputs = {
            name: values.get(name, np.full(size, float(base[name]))) for name in BARGAINING_INPUTS
        }
        ignored = [a.parameter for a in axes if a.parameter not in BARGAINING_INPUTS]
        columns, reused = _chunked(ctx, key, size, bargaining_chunk, (), inputs)
        certificate = None
        unsolved = 0
        what = "the bargaining range"
    else:
        columns, reused, ignored = _game_columns(scenario, spec.offer, values, size, key, ctx)
        found = columns.pop("found")
        unsolved = int(np.count_nonzero(~found))
        certificate = _grid_certificate(columns)
        what = "the offer game"
        ignored = [name for name in ignored if name in varied]
    for name in ignored:
        notes.append(f"{name} does not enter {what}: the results do not change along it")
    if ctx.fast and any(len(a.values) < ax.steps for a, ax in zip(axes, spec.axes)):
        notes.append(f"fast mode: at most {FAST['steps']} values per swept parameter")
    return SweepResult(
        index=index,
        offer=spec.offer,
        show=spec.show,
        axes=tuple(axes),
        columns={k: v.reshape(shape) for k, v in columns.items()},
        certificate=certificate,
        unsolved=unsolved,
        notes=tuple(notes),
        reused=reused,
    )


# ====================================================================== Monte Carlo
def _monte_carlo(
    scenario: Scenario, spec: MonteCarloAnalysis, index: int, ctx: _Context
) -> MonteCarloResult:
    runs = min(spec.runs, FAST["draws"]) if ctx.fast else spec.runs
    rng = np.random.default_rng(scenario.seed)
    draws = {u.parameter: u.sample(rng, runs) for u in spec.uncertain}
    values = point_values(scenario, draws)
    key = _key(scenario, "monte_carlo", index, spec, ctx)
    columns, reused, ignored = _game_columns(scenario, spec.offer, values, runs, key, ctx)
    found = columns.pop("found")
    notes = [
        f"{name} does not enter the offer game: drawing it changes nothing"
        for name in ignored
        if name in draws
    ]
    if ctx.fast and runs < spec.runs:
        notes.append(f"fast mode: {runs} of {spec.runs} draws")
    return MonteCarloResult(
        index=index,
        offer=spec.offer,
        runs=runs,
        seed=scenario.seed,
        uncertain=tuple({"parameter": u.parameter, **u.as_dict()} for u in spec.uncertain),
        draws=draws,
        columns=columns,
        certificate=_grid_certificate(columns),
        unsolved=int(np.count_nonzero(~found)),
        notes=tuple(notes),
        reused=reused,
    )
