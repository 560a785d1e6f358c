"""Timings for the extensive-form solvers and the negotiation model (issues 3 and 5 targets).

Run from the project root::

    python benchmarks/bench_extensive_and_model.py

Measures, in one process (medians of a few repeats), with pygambit side by side where installed:

- building a 100,000-node perfect-information tree from arrays and solving its SPE;
- writing and parsing a 100,000-node ``.efg`` file;
- logit QRE tracing of a random 10x10 game;
- the offer game's equilibria at 10,000 parameter points (one and four governments);
- 100,000 Monte Carlo runs of the 24-period buy-time simulation;
- the Markov perfect equilibrium on the default state grid over 24 periods.
"""

from __future__ import annotations

import dataclasses
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simulator.games.extensive import DECISION, TERMINAL, ExtensiveGame  # noqa: E402
from simulator.io.efg import read_efg, write_efg  # noqa: E402
from simulator.model import NegotiationModel, Offer, West, WesternGovernment  # noqa: E402
from simulator.model.dynamics import simulate  # noqa: E402
from simulator.model.markov import markov_perfect_equilibrium  # noqa: E402
from simulator.model.offer_game import solve_offer_game_batch  # noqa: E402
from simulator.solvers.backward_induction import backward_induction  # noqa: E402
from simulator.solvers.logit import trace_logit  # noqa: E402


def median_time(fn: Callable[[], Any], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def random_tree(nodes: int, seed: int = 0) -> dict[str, np.ndarray]:
    """A random perfect-information tree with 2 players, built breadth-first as arrays."""
    rng = np.random.default_rng(seed)
    parent = [-1]
    kind = []
    frontier = [0]
    count = 1
    while frontier and count < nodes:
        nxt = []
        for v in frontier:
            k = int(rng.integers(2, 4))
            if count + k > nodes:
                break
            parent.extend([v] * k)
            nxt.extend(range(count, count + k))
            count += k
        frontier = nxt
    parent_arr = np.array(parent)
    has_child = np.zeros(len(parent_arr), dtype=bool)
    has_child[parent_arr[1:]] = True
    kind = np.where(has_child, DECISION, TERMINAL)
    depth = np.zeros(len(parent_arr), dtype=int)
    for v in range(1, len(parent_arr)):
        depth[v] = depth[parent_arr[v]] + 1
    player = np.where(kind == DECISION, depth % 2, -1)
    payoffs = rng.integers(-10, 11, size=(len(parent_arr), 2)).astype(float)
    return {"parent": parent_arr, "kind": kind, "player": player, "payoffs": payoffs}


def bench_tree(nodes: int) -> list[tuple[str, float, str]]:
    data = random_tree(nodes)
    rows = []

    def build() -> ExtensiveGame:
        return ExtensiveGame.from_arrays(
            ["A", "B"], data["parent"], data["kind"], data["player"], payoffs=data["payoffs"]
        )

    game = build()
    rows.append((f"build {game.num_nodes}-node tree from arrays", median_time(build), ""))
    rows.append(
        (
            "  + SPE by backward induction (certified)",
            median_time(lambda: backward_induction(build())),
            "build included",
        )
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.efg"
        rows.append(("write it as .efg", median_time(lambda: write_efg(game, path), 1), ""))
        rows.append(("parse the .efg", median_time(lambda: read_efg(path)), ""))
        gbt = _optional("pygambit")
        if gbt is not None:
            rows.append(
                ("  pygambit: read the .efg", median_time(lambda: gbt.read_efg(str(path)), 1), "")
            )
    return rows


def bench_logit() -> list[tuple[str, float, str]]:
    rng = np.random.default_rng(10)
    u = rng.random((10, 10, 2))
    trace_logit(u)
    rows = [("logit QRE tracing, random 10x10", median_time(lambda: trace_logit(u), 5), "")]
    gbt = _optional("pygambit")
    if gbt is not None:
        game = gbt.Game.from_arrays(u[..., 0], u[..., 1])
        rows.append(
            ("  pygambit logit_solve", median_time(lambda: gbt.nash.logit_solve(game), 3), "")
        )
    return rows


def _four_governments() -> NegotiationModel:
    west = West(
        governments=(
            WesternGovernment("US", weight=3, value_of_success=1.5, sanctions_burden=0.1),
            WesternGovernment("Poland", value_of_success=2.0),
            WesternGovernment("Germany", sanctions_burden=0.3),
            WesternGovernment("Hungary", value_of_success=0.2, sanctions_burden=0.4),
        ),
        aggregation="weakest_link",
    )
    return dataclasses.replace(NegotiationModel(), west=west)


def _offer_game_row(model: NegotiationModel, offer: Offer, label: str) -> tuple[str, float, str]:
    rng = np.random.default_rng(5)
    changes = {
        "russia.great_power_status": rng.uniform(0, 3, 10_000),
        "russia.prior_sincere": rng.uniform(0.05, 0.95, 10_000),
    }
    out = solve_offer_game_batch(model, offer, changes)
    worst = float(np.nanmax(out["certificate"] / out["tolerance"]))
    note = (
        f"target < 2 s; found {out['found'].mean():.0%}; largest certificate / tolerance "
        f"{worst:.2g} (tolerance 1e-9 x payoff span)"
    )
    return label, median_time(lambda: solve_offer_game_batch(model, offer, changes)), note


def bench_model() -> list[tuple[str, float, str]]:
    model = NegotiationModel()
    offer = Offer.neutrality_for_guarantees()
    with_withdrawal = offer.with_values(withdrawal_cost=0.05)
    rows = [
        _offer_game_row(model, offer, "offer game, 10,000 points, 1 government"),
        _offer_game_row(
            model, with_withdrawal, "offer game, 10,000 points, 1 government, withdrawal"
        ),
        _offer_game_row(
            _four_governments(),
            with_withdrawal,
            "offer game, 10,000 points, 4 governments, withdrawal",
        ),
        (
            "100,000 Monte Carlo runs x 24 periods (buy time)",
            median_time(
                lambda: simulate(model, offer, "buy_time", runs=100_000, periods=24, seed=1)
            ),
            "target < 10 s",
        ),
    ]
    result = markov_perfect_equilibrium(model, offer)
    rows.append(
        (
            "Markov perfect equilibrium, default grid, 24 periods",
            median_time(lambda: markov_perfect_equilibrium(model, offer), 1),
            f"target < 60 s; {result.states} states x {result.periods} periods; "
            f"certificate {result.certificate:.1e}",
        )
    )
    return rows


def _optional(name: str) -> Any:
    try:
        return __import__(name)
    except Exception:  # noqa: BLE001 - not installed here
        return None


def main() -> None:
    warnings.simplefilter("ignore")
    rows = bench_tree(100_000) + bench_logit() + bench_model()
    width = max(len(r[0]) for r in rows)
    for name, seconds, note in rows:
        shown = f"{seconds * 1e3:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"
        print(f"{name:<{width}}  {shown:>10}  {note}")


if __name__ == "__main__":
    main()
