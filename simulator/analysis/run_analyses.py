"""The runner of each kind of analysis: solve, compare, sweep and Monte Carlo.

Part of :mod:`simulator.analysis.run`. Each runner takes the scenario, the analysis, its
index and the run's :class:`~simulator.analysis.run_options._Context` and returns the
analysis's results (:mod:`simulator.analysis.results`): :func:`_solve` solves the offer game
for each offer, :func:`_compare` simulates the strategy profiles (and solves the buy-time
game), :func:`_sweep` and :func:`_monte_carlo` solve the offer game (or the bargaining range)
on a grid or on random draws, in chunks (:mod:`simulator.analysis.run_grids`). The
scenario's parameters as the results record them (:func:`_parameters`) are here too.
"""

from __future__ import annotations

import collections
import concurrent.futures
import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from simulator.analysis.points import _affected, game_changes, point_values
from simulator.analysis.results import (
    Axis,
    Comparison,
    EquilibriumResult,
    MonteCarloResult,
    OfferSolution,
    SolveResult,
    StrategyResult,
    SweepResult,
)
from simulator.analysis.run_grids import (
    BARGAINING_INPUTS,
    _chunked,
    _grid_certificate,
    _key,
    bargaining_chunk,
    game_chunk,
)
from simulator.analysis.run_options import FAST, _Context
from simulator.model.buy_time_game import PLANS, BuyTimeEquilibrium, buy_time_equilibrium
from simulator.model.buy_time_play import play
from simulator.model.buy_time_setup import BuyTimeSettings
from simulator.model.dynamics import simulate
from simulator.model.markov import MPEGrid, MPEResult, markov_perfect_equilibrium
from simulator.model.negotiation import NegotiationModel
from simulator.model.offer_game import solve_offer_game
from simulator.model.offers import Offer
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
    terms = {k: v for k, v in dataclasses.asdict(offer).items() if k not in ("name", "inducements")}
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
def _solve(scenario: Scenario, spec: SolveAnalysis, index: int, ctx: _Context) -> SolveResult:
    if spec.target == "offer_menu":  # one game: Russia picks which offer to make
        menu = [scenario.offers[name] for name in spec.offers]
        result = solve_offer_game(scenario.model, menu)
        name = "menu: " + ", ".join(spec.offers)
        terms = {f"{o.name}.{k}": v for o in menu for k, v in _terms(o).items()}
        solution = OfferSolution(name, terms, result)
        ctx.report(1, 1)
        return SolveResult(index=index, target=spec.target, solutions=(solution,))
    solutions = []
    for k, name in enumerate(spec.offers):
        offer = scenario.offers[name]
        result = solve_offer_game(scenario.model, offer)
        solutions.append(OfferSolution(name, _terms(offer), result))
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


#: Buy-time equilibria solved in this process, the most recently used last (:func:`_solved`).
_SOLVED: collections.OrderedDict[tuple, BuyTimeEquilibrium] = collections.OrderedDict()
_SOLVED_KEPT = 8


def _solved(
    model: NegotiationModel,
    offer: Offer,
    settings: BuyTimeSettings,
    progress: Callable[[int, int], None] | None = None,
    executor: concurrent.futures.Executor | None = None,
) -> BuyTimeEquilibrium:
    """The buy-time game's equilibrium, solved once per process for the same game.

    The solver is deterministic and its inputs are immutable values, so analyses (and runs) that
    ask for the same model, offer and settings share one solution instead of solving again
    (the last :data:`_SOLVED_KEPT` games are kept). Its arrays are made read-only, so no reader
    can change what the next one gets. ``progress(done, total)`` follows the periods of a solve;
    an ``executor`` shares each period's states among its processes (the same solution).
    """
    key = (model, offer, settings)
    if key in _SOLVED:
        _SOLVED.move_to_end(key)
        return _SOLVED[key]
    eq = buy_time_equilibrium(model, offer, settings, progress=progress, executor=executor)
    arrays = [eq.values, eq.ukraine_values]
    arrays += [v for policy in eq.policies for v in vars(policy).values()]
    for array in arrays:
        if isinstance(array, np.ndarray):
            array.flags.writeable = False
    _SOLVED[key] = eq
    while len(_SOLVED) > _SOLVED_KEPT:
        _SOLVED.popitem(last=False)
    return eq


def _equilibrium(
    scenario: Scenario,
    offer: str,
    periods: int,
    runs: int,
    progress: Callable[[int, int], None] | None = None,
    executor: concurrent.futures.Executor | None = None,
) -> EquilibriumResult:
    """The buy-time game's equilibrium for ``offer`` and a forward pass of each plan."""
    # fast mode caps the periods (the caller) and the runs, not the grid: the buy-time game
    # solves in a second or two on its own grid, so fast and full runs state the same values
    settings = dataclasses.replace(scenario.buy_time, periods=periods)
    eq = _solved(scenario.model, scenario.offers[offer], settings, progress, executor)
    plays = {plan: play(eq, runs=runs, seed=scenario.seed, plan=plan) for plan in PLANS}
    return EquilibriumResult(offer=offer, result=eq, plays=plays, seed=scenario.seed)


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
    offer = scenario.offers[spec.offer]
    uncertain = {u.parameter: u.as_dict() for u in spec.uncertain}
    followed = _affected(scenario, set(uncertain))
    if followed:
        notes.append(
            f"the formulas for {', '.join(sorted(followed))} read parameters drawn per run; "
            "in the simulation they keep their values at the scenario's own values"
        )
    # progress: a step per period of the buy-time game (solved from the last), one per profile
    first = periods if spec.equilibrium else 1
    steps = first + len(spec.profiles)
    equilibrium = None
    if spec.equilibrium:
        equilibrium = _equilibrium(
            scenario,
            spec.offer,
            periods,
            runs,
            lambda done, _total: ctx.report(done, steps),
            ctx.executor,
        )
    ctx.report(first, steps)
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
        strategies.append(
            StrategyResult(name, _profile_dict(profile), _behaviour(profile, eq), sim)
        )
        ctx.report(first + k + 1, steps)
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
        ctx, key, size, game_chunk, (scenario.model, scenario.offers[offer]), changes
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
