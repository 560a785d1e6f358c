"""How long the buy-time game takes (issue targets: the equilibrium on the default grid under
2 s, 100,000 forward runs of 24 periods under 2 s, a full scenario run under 10 s).

Run from the project's root: ``python benchmarks/bench_buy_time.py``. Prints medians of a few
repeats, the states solved and how many of them have no exact equilibrium found, and the
baseline scenario's full run with its equilibrium, serially and on two processes.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from simulator.analysis import run_scenario
from simulator.analysis.run_analyses import _SOLVED
from simulator.model.buy_time_game import buy_time_equilibrium
from simulator.model.buy_time_play import play
from simulator.model.buy_time_setup import BuyTimeSettings
from simulator.scenario import load_scenario, parse_scenario

ROOT = Path(__file__).resolve().parents[1]


def _median(fn, repeats: int = 3) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def main() -> None:
    scenario = load_scenario(ROOT / "scenarios" / "compromise_when_sanctions_bite.yaml")
    baseline = load_scenario(ROOT / "scenarios" / "baseline_spring_2022.yaml")
    for name, sc in (("compromise_when_sanctions_bite", scenario), ("baseline", baseline)):
        for periods in (12, 24):
            settings = BuyTimeSettings(periods=periods, ceasefire=sc.buy_time.ceasefire)
            seconds, eq = _median(lambda: buy_time_equilibrium(sc.model, sc.first_offer, settings))
            states = sum(p.russia.shape[0] for p in eq.policies)
            print(
                f"equilibrium {name}, {periods} periods, default grid: {seconds:.2f} s, "
                f"{states} states, {eq.unresolved} without an exact equilibrium, "
                f"certificate {eq.certificate:.1e}"
            )
    # a war that lasts (no deal ends the runs early): the baseline with capability 1.2
    model = baseline.model.with_params({"russia.capability": 1.2})
    eq = buy_time_equilibrium(model, baseline.first_offer, BuyTimeSettings(periods=24))
    seconds, out = _median(lambda: play(eq, runs=25_000, seed=1))
    print(
        f"forward pass: 100,000 runs (25,000 per type) of 24 periods: {seconds:.2f} s "
        f"(no deal by the horizon in {out.outcome()['war']:.0%} of runs)"
    )
    seconds, _ = _median(lambda: run_scenario(scenario), repeats=1)
    print(f"full run of compromise_when_sanctions_bite.yaml: {seconds:.2f} s")
    # the baseline run with its buy-time equilibrium (the bundled file leaves it out to keep
    # the run short), serially and with a pool of two processes (simulator run --workers 2)
    text = (ROOT / "scenarios" / "baseline_spring_2022.yaml").read_text()
    with_equilibrium = parse_scenario(text.replace("equilibrium: false", "equilibrium: true"))
    for workers in (None, 2):
        _SOLVED.clear()  # a run reuses an equilibrium solved before in the same process
        seconds, _ = _median(lambda: run_scenario(with_equilibrium, workers=workers), repeats=1)
        print(
            f"full run of baseline_spring_2022.yaml with its equilibrium, "
            f"{'serial' if workers is None else f'{workers} processes'}: {seconds:.1f} s"
        )


if __name__ == "__main__":
    main()
