"""How the sequence-form equilibrium grows with the tree (issue target: a 2,400-node tree
under 5 s, growth shown from 150 to 5,000 nodes).

Run from the project's root: ``python benchmarks/bench_sequence_form.py [--quick]``.

The trees are card games with imperfect information: chance deals each of two players one of
``cards`` private cards, then the players alternate ``depth`` public binary moves; a player's
information set is its own card and the public history (so recall is perfect), and the payoffs
at the leaves are random integers in [-10, 10] (few distinct values: a degenerate LCP, as
poker-like games are). Three seeds per size, because Lemke's path lengths vary widely from one
game to the next. pygambit's ``lcp_solve`` runs beside it where pygambit is installed (the
``bench`` extra).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from simulator.games.extensive import CHANCE, DECISION, TERMINAL, ExtensiveGame
from simulator.io.efg import write_efg
from simulator.solvers.sequence_form import sequence_form_equilibrium

SIZES = [(2, 4), (3, 5), (4, 5), (3, 6), (4, 6), (3, 7), (5, 6), (6, 6), (4, 7)]
QUICK = [(2, 4), (4, 5), (4, 6), (3, 7)]


def card_game(cards: int, depth: int, seed: int = 0) -> ExtensiveGame:
    """The card game above, built breadth-first as arrays."""
    rng = np.random.default_rng(seed)
    parent, kind, player, infoset, prob = [-1], [CHANCE], [-1], [-1], [0.0]
    ids: dict[tuple, int] = {}

    def add(p: int, k: int, who: int, info: int, q: float) -> int:
        parent.append(p)
        kind.append(k)
        player.append(who)
        infoset.append(info)
        prob.append(q)
        return len(parent) - 1

    def info_id(who: int, card: int, history: tuple) -> int:
        return ids.setdefault((who, card, history), len(ids))

    first = [add(0, CHANCE, -1, -1, 1 / cards) for _ in range(cards)]
    frontier = []
    for a, node in enumerate(first):
        for b in range(cards):
            v = add(node, DECISION, 0, info_id(0, a, ()), 1 / cards)
            frontier.append((v, a, b, ()))
    for d in range(depth):
        nxt = []
        for v, a, b, history in frontier:
            for move in (0, 1):
                h = (*history, move)
                if d == depth - 1:
                    w = add(v, TERMINAL, -1, -1, 0.0)
                else:
                    who = (d + 1) % 2
                    w = add(v, DECISION, who, info_id(who, a if who == 0 else b, h), 0.0)
                nxt.append((w, a, b, h))
        frontier = nxt
    kinds = np.array(kind)
    payoffs = np.zeros((kinds.size, 2))
    leaves = kinds == TERMINAL
    payoffs[leaves] = rng.integers(-10, 11, size=(int(leaves.sum()), 2))
    return ExtensiveGame.from_arrays(
        ["A", "B"],
        np.array(parent),
        kinds,
        np.array(player),
        np.array(infoset),
        payoffs=payoffs,
        chance_probabilities=np.array(prob),
    )


def _gambit():
    try:
        import pygambit  # noqa: F401
    except ImportError:
        return None
    return pygambit


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="sizes up to 2,300 nodes only")
    args = parser.parse_args()
    gbt = _gambit()
    print("nodes  seed  seconds  pivots  start           certificate" + ("  gambit" * bool(gbt)))
    for cards, depth in QUICK if args.quick else SIZES:
        times = []
        for seed in (0, 1, 2):
            game = card_game(cards, depth, seed)
            start = time.perf_counter()
            try:
                eq = sequence_form_equilibrium(game)
            except Exception as error:  # a path past the pivot budget is reported, not hidden
                print(
                    f"{game.num_nodes:5d}  {seed:4d}  failed after "
                    f"{time.perf_counter() - start:.1f} s: {error}"
                )
                continue
            seconds = time.perf_counter() - start
            times.append(seconds)
            line = (
                f"{game.num_nodes:5d}  {seed:4d}  {seconds:7.2f}  {eq.parameters['pivots']:6d}  "
                f"{eq.parameters['covering']:<15s} {eq.regret:.0e}"
            )
            if gbt is not None:
                line += f"  {_gambit_seconds(gbt, game):6.2f}"
            print(line, flush=True)
        if times:
            print(f"       median {statistics.median(times):.2f} s over {len(times)} seeds")


def _gambit_seconds(gbt, game: ExtensiveGame) -> float:  # pragma: no cover - with pygambit
    """pygambit's lcp_solve on the same tree (one equilibrium), read from its .efg file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tree.efg"
        write_efg(game, path)
        g = gbt.read_efg(str(path))
    start = time.perf_counter()
    gbt.nash.lcp_solve(g, stop_after=1)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
