"""Side-by-side timings of the strategic-form core against its peers.

Run from the project root (see ``benchmarks/README.md``)::

    python benchmarks/bench_core.py            # full run, a few minutes
    python benchmarks/bench_core.py --quick    # smaller sizes, about a minute on a quiet machine

Peers are optional: nashpy is always installed; quantecon and pygambit are measured
when importable (``pip install -e ".[bench]"``). Every measurement runs in this one
process, on the same random games, and reports the median wall time. A peer that
exceeds its time budget on a game is reported as "> budget".
"""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import statistics
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simulator.io.efg_read import read_efg  # noqa: E402
from simulator.machine import available_cores  # noqa: E402
from simulator.solvers.batch import solve_batch  # noqa: E402
from simulator.solvers.lemke_howson import lemke_howson, lemke_howson_result  # noqa: E402
from simulator.solvers.sequence_supports import (  # noqa: E402
    sequence_support_enumeration_result,
)
from simulator.solvers.support_enumeration_n import support_enumeration  # noqa: E402
from simulator.solvers.vertex_enumeration import vertex_enumeration  # noqa: E402


class Budget(Exception):
    pass


@contextlib.contextmanager
def budget(seconds: float):
    def handler(signum: int, frame: Any) -> None:
        raise Budget

    old = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def median_time(fn: Callable[[], Any], repeat: int, limit: float = 60.0) -> float | None:
    """Median seconds per call over ``repeat`` measurements, or ``None`` past ``limit``.

    A call shorter than 10 ms is timed in a loop of as many calls as fill about 20 ms (the
    same for every library), so the timer and the budget's alarm do not weigh on it.
    """
    times = []
    number = 1
    for attempt in range(repeat + 1):
        start = time.perf_counter()
        try:
            with budget(limit):
                for _ in range(number):
                    fn()
        except Budget:
            return None
        elapsed = (time.perf_counter() - start) / number
        if attempt == 0:  # the first call sets the loop length and warms caches
            number = max(1, min(10_000, int(0.02 / max(elapsed, 1e-7)))) if elapsed < 0.01 else 1
            if number == 1:
                times.append(elapsed)
            continue
        times.append(elapsed)
    return statistics.median(times[-repeat:])


def optional(name: str) -> Any:
    try:
        return __import__(name)
    except Exception:  # noqa: BLE001 - any import failure means "not installed here"
        return None


def fmt(seconds: float | None, limit: float | None = None) -> str:
    if seconds is None:
        return f"> {limit:g} s" if limit else "n/a"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} us"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"


def ratio(peer: float | None, ours: float | None) -> str:
    if peer is None or ours is None or ours == 0:
        return ""
    return f"{peer / ours:.1f}x"


#: Random games of size 3x3 and below timed for their median (cheap, and varied).
_SMALL_GAMES = 20


def random_bimatrix(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.random((n, n)), rng.random((n, n))


def bench_all_equilibria(sizes: list[int], games: int, nashpy_limit: float) -> list[dict]:
    nash, qe, gbt = optional("nashpy"), optional("quantecon"), optional("pygambit")
    rows = []
    if qe is not None:  # pay quantecon's JIT compile once, outside the timings
        start = time.perf_counter()
        qe.game_theory.vertex_enumeration(qe.game_theory.NormalFormGame(np.zeros((2, 2, 2))))
        rows.append(
            {
                "bench": "quantecon JIT compile (first call)",
                "ours": None,
                "quantecon": time.perf_counter() - start,
            }
        )
    for n in sizes:
        ours, peers = [], {"nashpy": [], "quantecon": [], "pygambit": []}
        # a 3x3 game takes microseconds and its number of equilibria (1 to 7 here) moves its
        # time by a fifth: a median over 20 games, not over the handful the larger sizes use
        for seed in range(max(games, _SMALL_GAMES) if n <= 3 else games):
            a, b = random_bimatrix(n, seed)
            ours.append(median_time(lambda: list(vertex_enumeration(a, b)), 3))
            if nash is not None and n <= 10:
                peers["nashpy"].append(
                    median_time(lambda: list(nash.Game(a, b).vertex_enumeration()), 1, nashpy_limit)
                )
            if qe is not None:
                g = _qe_game(qe, a, b)
                peers["quantecon"].append(
                    median_time(lambda: qe.game_theory.vertex_enumeration(g), 3)
                )
            if gbt is not None and n <= 10:
                game = gbt.Game.from_arrays(a, b)
                peers["pygambit"].append(
                    median_time(lambda: gbt.nash.enummixed_solve(game, rational=False), 1, 30)
                )
        row = {"bench": f"all equilibria, random {n}x{n} ({len(ours)} games)", "ours": _med(ours)}
        for peer, values in peers.items():
            if values:
                row[peer] = _med(values)
        rows.append(row)
    return rows


def _qe_game(qe: Any, a: np.ndarray, b: np.ndarray) -> Any:
    gt = qe.game_theory
    return gt.NormalFormGame((gt.Player(a), gt.Player(b.T)))


def _med(values: list[float | None]) -> float | None:
    if any(v is None for v in values):
        return None
    return statistics.median(values)


def bench_lemke_howson(sizes: list[int], games: int) -> list[dict]:
    nash, qe = optional("nashpy"), optional("quantecon")
    rows = []
    for n in sizes:
        ours, pivots, nash_t, qe_t = [], [], [], []
        for seed in range(games):
            a, b = random_bimatrix(n, 1000 + seed)
            ours.append(median_time(lambda: lemke_howson(a, b, 0), 3))
            pivots.append(lemke_howson_result(a, b, 0).pivots)
            if nash is not None:
                nash_t.append(median_time(lambda: nash.Game(a, b).lemke_howson(0), 1, 5.0))
            if qe is not None:
                g = _qe_game(qe, a, b)
                qe.game_theory.lemke_howson(g, init_pivot=0)
                qe_t.append(median_time(lambda: qe.game_theory.lemke_howson(g, init_pivot=0), 3))
        row = {
            "bench": f"Lemke-Howson, random {n}x{n} (max pivots {max(pivots)})",
            "ours": _med(ours),
        }
        if nash_t:
            done = [t for t in nash_t if t is not None]
            row["nashpy"] = _med(nash_t)
            row["note"] = f"nashpy finished {len(done)}/{len(nash_t)} within 5 s"
        if qe_t:
            row["quantecon"] = _med(qe_t)
        rows.append(row)
    return rows


def bench_three_player(games: int, large_games: int) -> list[dict]:
    """All equilibria of random 2x2x2, 3x3x3 and 4x4x4 games and of the all-zero 4x4x4 game.

    ``large_games`` random 4x4x4 games are timed (each takes seconds); the notes give the
    number of equilibria each solver returned, summed over the games.
    """
    gbt = optional("pygambit")
    rows = []
    cases = [("random", (2, 2, 2), games), ("random", (3, 3, 3), games)]
    cases += [("random", (4, 4, 4), large_games), ("all-zero", (4, 4, 4), 1)]
    for kind, shape, count in cases:
        ours, peer, found, peer_found = [], [], 0, 0
        for seed in range(count):
            rng = np.random.default_rng(seed)
            u = rng.random((*shape, 3)) if kind == "random" else np.zeros((*shape, 3))
            ours.append(median_time(lambda: support_enumeration(u), 1))
            found += len(support_enumeration(u))
            if gbt is not None:
                game = gbt.Game.from_arrays(*[u[..., i] for i in range(3)])
                peer.append(median_time(lambda: gbt.nash.enumpoly_solve(game), 1, 60))
                if peer[-1] is not None:
                    peer_found += len(gbt.nash.enumpoly_solve(game).equilibria)
        name = f"all equilibria, {kind} " + "x".join(map(str, shape))
        row = {"bench": name + (f" ({count} games)" if count > 1 else ""), "ours": _med(ours)}
        if shape == (4, 4, 4):
            row["note"] = f"{found} equilibria found" + (
                f", pygambit {peer_found}" if gbt is not None else ""
            )
        if peer:
            row["pygambit"] = _med(peer)
        rows.append(row)
    rows += bench_three_player_trees()
    return rows


def bench_three_player_trees() -> list[dict]:
    """Nash equilibria of three-player trees with chance moves, on the tree and on its reduced
    strategic form.

    Gambit's jury games (three jurors, two signals each; 4x4x4 reduced forms, many ties because
    payoffs are expectations over chance): ``simulator solve TREE.efg --concept nash`` runs the
    sequence form's support enumeration (the peer: Gambit's ``enumpoly`` on the tree, which
    enumerates the supports of behaviour strategies too); the reduced form's support
    enumeration is what it ran before.
    """
    gbt = optional("pygambit")
    folder = ROOT / "tests" / "data" / "gambit" / "contrib" / "games"
    rows = []
    for name in ("jury_mr", "jury_un", "condjury"):
        tree = read_efg(folder / f"{name}.efg")
        row = {"bench": f"Nash equilibria of {name}.efg on the tree (sequence form)"}
        row["ours"] = median_time(lambda: sequence_support_enumeration_result(tree), 3)
        found = len(sequence_support_enumeration_result(tree).equilibria)
        row["note"] = f"{found} isolated equilibria"
        if gbt is not None:
            peer_tree = gbt.read_efg(str(folder / f"{name}.efg"))
            row["pygambit"] = median_time(lambda: gbt.nash.enumpoly_solve(peer_tree), 3, 60)
            peer_found = len(gbt.nash.enumpoly_solve(peer_tree).equilibria)
            row["note"] += f", pygambit enumpoly {peer_found}"
        rows.append(row)
        normal, _ = tree.strategic_form(max_profiles=20_000)
        u = np.asarray(normal.payoffs, dtype=float)
        row = {"bench": f"all equilibria, reduced form of {name}.efg (4x4x4)"}
        row["ours"] = median_time(lambda: support_enumeration(u), 1)
        row["note"] = f"{len(support_enumeration(u))} equilibria found"
        if gbt is not None:
            game = gbt.Game.from_arrays(*[u[..., i] for i in range(3)])
            row["pygambit"] = median_time(lambda: gbt.nash.enumpoly_solve(game), 1, 60)
        rows.append(row)
    return rows


def bench_batch(count: int, peer_sample: int) -> list[dict]:
    nash, qe = optional("nashpy"), optional("quantecon")
    rows = []
    for n in (2, 3):
        rng = np.random.default_rng(n)
        a = rng.random((count, n, n))
        b = rng.random((count, n, n))
        solve_batch(a[:10], b[:10])
        # one thread first, then the default (chunks in a thread per core)
        serial = median_time(lambda: solve_batch(a, b, threads=1), 3) / count
        rows.append(
            {"bench": f"solve_batch {count} random {n}x{n} (per game, 1 thread)", "ours": serial}
        )
        ours = median_time(lambda: solve_batch(a, b), 3) / count
        row = {
            "bench": f"solve_batch {count} random {n}x{n} (per game, {available_cores()} threads)",
            "ours": ours,
        }
        if nash is not None:
            start = time.perf_counter()
            for g in range(peer_sample):
                list(nash.Game(a[g], b[g]).support_enumeration())
            row["nashpy"] = (time.perf_counter() - start) / peer_sample
        if qe is not None:
            games = [_qe_game(qe, a[g], b[g]) for g in range(peer_sample)]
            qe.game_theory.vertex_enumeration(games[0])
            start = time.perf_counter()
            for g in games:
                qe.game_theory.vertex_enumeration(g)
            row["quantecon"] = (time.perf_counter() - start) / peer_sample
        rows.append(row)
    return rows


def bench_import() -> list[dict]:
    rows = []
    for module in ("simulator", "nashpy", "quantecon", "pygambit"):
        code = f"import time; t=time.perf_counter(); import {module}; print(time.perf_counter()-t)"
        times = []
        for _ in range(3):
            out = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT
            )
            if out.returncode != 0:
                break
            times.append(float(out.stdout.strip()))
        if times:
            key = "ours" if module == "simulator" else module
            rows.append({"bench": f"import {module}", key: statistics.median(times)})
    return rows


def print_table(rows: list[dict]) -> None:
    peers = ["nashpy", "quantecon", "pygambit"]
    header = f"{'benchmark':<52} {'ours':>10} " + " ".join(f"{p:>10} {'ratio':>7}" for p in peers)
    print(header)
    print("-" * len(header))
    for row in rows:
        line = f"{row['bench']:<52} {fmt(row.get('ours')):>10} "
        for p in peers:
            value = row.get(p)
            line += f"{fmt(value) if p in row else '':>10} {ratio(value, row.get('ours')):>7} "
        print(line.rstrip() + (f"  ({row['note']})" if "note" in row else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, about a minute")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON to this file")
    args = parser.parse_args()
    # Peers warn about degenerate games and divide by zero on the way; the table is the output.
    warnings.simplefilter("ignore")
    np.seterr(all="ignore")
    if args.quick:
        sizes, lh_sizes, games, batch = [3, 5, 8], [10, 50], 3, 10_000
    else:
        sizes, lh_sizes, games, batch = [3, 5, 8, 10, 12], [10, 50, 100, 200], 5, 100_000
    rows: list[dict] = []
    rows += bench_all_equilibria(sizes, games, nashpy_limit=30.0)
    rows += bench_lemke_howson(lh_sizes, games)
    rows += bench_three_player(3 if args.quick else 5, 1 if args.quick else 5)
    rows += bench_batch(batch, 200)
    rows += bench_import()
    print_table(rows)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
