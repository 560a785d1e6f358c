"""How fast a regime map of the offer game is computed, certified and plotted.

Run from the project root (see ``benchmarks/README.md``)::

    python benchmarks/bench_regime_map.py            # 1,000 x 1,000 points, a few minutes
    python benchmarks/bench_regime_map.py --quick    # 200 x 200 points

Prints points per second with 1 and 2 worker processes on a smaller map, then the whole map
(every point solved and certified, then plotted) with ``--workers`` processes, with the chunk
size and the peak memory of this process. There is no peer: no other library solves this game.
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simulator.analysis import run_scenario  # noqa: E402
from simulator.analysis.run import chunk_points  # noqa: E402
from simulator.scenario import Scenario, SweepAnalysis, SweepAxis, load_scenario  # noqa: E402

BASELINE = ROOT / "scenarios" / "baseline_spring_2022.yaml"


def regime_map_scenario(steps: int) -> Scenario:
    """The baseline with one regime-map sweep of ``steps`` x ``steps`` points."""
    base = load_scenario(BASELINE)
    sweep = SweepAnalysis(
        (
            SweepAxis("russia.great_power_status", 0.0, 1.5, steps),
            SweepAxis("west.western_cohesion", 0.0, 1.0, steps),
        ),
        next(iter(base.offers)),
    )
    return dataclasses.replace(base, analyses=(sweep,), figures=())


def timed(steps: int, workers: int, chunk: int | None, plot: bool) -> tuple[float, float, object]:
    scenario = regime_map_scenario(steps)
    start = time.perf_counter()
    results = run_scenario(scenario, workers=workers, chunk_size=chunk)
    solved = time.perf_counter() - start
    sweep = results.analyses[0]
    if plot:
        with tempfile.TemporaryDirectory() as folder:
            figure = sweep.plot_regime_map()
            figure.savefig(Path(folder) / "map.png", dpi=100)
    return solved, time.perf_counter() - start, sweep


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a 200 x 200 map only")
    parser.add_argument("--steps", type=int, default=1000, help="values per axis of the map")
    parser.add_argument("--workers", type=int, default=2, help="processes for the whole map")
    parser.add_argument(
        "--chunk", type=int, default=None, help="points per chunk (default: the automatic size)"
    )
    args = parser.parse_args()
    steps = 200 if args.quick else args.steps

    print("points per second (a 200 x 200 map, solved and certified, no figure):")
    for workers in (1, 2):
        solved, _, sweep = timed(200, workers, args.chunk, plot=False)
        print(f"  {workers} worker(s): {200 * 200 / solved:,.0f} points/s ({solved:.1f} s)")
    solved, total, sweep = timed(steps, args.workers, args.chunk, plot=True)
    points = steps * steps
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"whole map: {steps} x {steps} = {points:,} points with {args.workers} worker(s), "
        f"chunks of {args.chunk or chunk_points(points)}: solved and certified in {solved:.1f} s "
        f"({points / solved:,.0f} points/s, {1e6 * solved / points:.0f} us per point), "
        f"with the figure {total:.1f} s; certificate {sweep.certificate.regret:.1e} "
        f"(tolerance {sweep.certificate.tolerance:.1e}), {sweep.unsolved} unsolved points; "
        f"peak memory of this process {peak:,.0f} MB"
    )


if __name__ == "__main__":
    main()
