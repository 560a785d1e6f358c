"""How often the buy-time equilibrium is certified at every state, on seeded random
perturbations of a bundled scenario (the sets ``docs/buy_time.md`` reports).

Each draw changes Russia's capability (0.8 to 1.4), sanctions cost (0.1 to 0.5), status premium
(0 to 1.5) and prior of sincerity (0.1 to 0.6), drawn uniformly, and turns the ceasefire option
on with probability one half; the offer is the scenario's first. Per draw it prints the states
left without an equilibrium (per period), the certificate and the time, then the totals::

    python benchmarks/buy_time_perturbations.py --seed 7 --periods 8
    python benchmarks/buy_time_perturbations.py --seed 11 --periods 6
    python benchmarks/buy_time_perturbations.py --seed 5 --periods 24
    python benchmarks/buy_time_perturbations.py \\
        --scenario scenarios/withdrawal_reveals_weakness.yaml --seed 3 --periods 6 --draws 8
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from simulator.model.buy_time_game import buy_time_equilibrium
from simulator.model.buy_time_setup import BuyTimeSettings
from simulator.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]


def draws(seed: int, count: int) -> list[tuple[dict[str, float], bool]]:
    """The perturbations (parameter changes, ceasefire option) of a seed, in order."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(count):
        params = {
            "russia.capability": rng.uniform(0.8, 1.4),
            "russia.sanctions_cost": rng.uniform(0.1, 0.5),
            "russia.great_power_status": rng.uniform(0.0, 1.5),
            "russia.prior_sincere": rng.uniform(0.1, 0.6),
        }
        out.append((params, bool(rng.random() < 0.5)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", default=str(ROOT / "scenarios/baseline_spring_2022.yaml"))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--periods", type=int, default=8)
    parser.add_argument("--draws", type=int, default=11)
    args = parser.parse_args()
    scenario = load_scenario(args.scenario)
    left = certified = 0
    start = time.perf_counter()
    for k, (params, ceasefire) in enumerate(draws(args.seed, args.draws)):
        t = time.perf_counter()
        eq = buy_time_equilibrium(
            scenario.model.with_params(params),
            scenario.first_offer,
            BuyTimeSettings(periods=args.periods, ceasefire=ceasefire),
        )
        per_period = [int(policy.unresolved.sum()) for policy in eq.policies]
        shown = {name.split(".")[1]: round(value, 2) for name, value in params.items()}
        print(
            f"{k:2d} {shown} ceasefire {ceasefire}: {eq.unresolved} states left "
            f"{per_period}, certificate {eq.certificate:.1e}, {time.perf_counter() - t:.1f} s",
            flush=True,
        )
        left += eq.unresolved
        certified += bool(eq.certified)
    print(
        f"{certified} of {args.draws} certified at every state, {left} states left, "
        f"{time.perf_counter() - start:.0f} s"
    )


if __name__ == "__main__":
    main()
