"""Single periods of buy-time games, rebuilt from continuation values stored in
``tests/data/*.npz`` (each solved by this project's own code from the parameters its test
names), so a test can run one stage's searches in a second instead of solving every later
period first."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from simulator.model import buy_time_game as game
from simulator.model.buy_time_receivers import mixing_arrays
from simulator.model.buy_time_setup import BuyTimeSettings, deal, setup, tabulate_flows
from simulator.scenario import Scenario, load_scenario

DATA = Path(__file__).parent / "data"
BASELINE = "scenarios/baseline_spring_2022.yaml"
#: The offer of ``withdrawal_reveals_weakness.yaml`` as changes to the baseline's.
WITHDRAWAL_OFFER = {"sanctions_relief": 0.0, "withdrawal_cost": 0.03}


def perturbation(
    capability: float, sanctions_cost: float, great_power_status: float, prior_sincere: float
) -> dict[str, float]:
    """The parameters a seeded random perturbation of the baseline changes (as
    ``NegotiationModel.with_params`` takes them)."""
    return {
        "russia.capability": capability,
        "russia.sanctions_cost": sanctions_cost,
        "russia.great_power_status": great_power_status,
        "russia.prior_sincere": prior_sincere,
    }


#: Draw 2 of the seeded perturbations of ``withdrawal_reveals_weakness.yaml`` (seed 4, 6 periods,
#: no ceasefire option): its period 0 is stored in ``buy_time_switch_deterrence_stage.npz``.
WITHDRAWAL_SEED_4_DRAW_2 = perturbation(
    1.341329047829593, 0.2908614095356825, 0.6457444165941197, 0.4944733587721647
)


def stored_stage(
    data: str,
    params: dict[str, float],
    periods: int,
    ceasefire: bool,
    t: int,
    offer: dict[str, float] | None = None,
    scenario: Scenario | None = None,
) -> game._Stage:
    """Period ``t`` of the baseline (or of ``scenario``) with ``params`` (and the offer's
    ``offer`` values) changed, over ``periods`` periods, whose next-period values are read
    from ``tests/data/<data>``."""
    sc = scenario or load_scenario(BASELINE)
    settings = BuyTimeSettings(periods=periods, ceasefire=ceasefire)
    s = setup(sc.model.with_params(params), sc.first_offer.with_values(**(offer or {})), settings)
    values = np.load(DATA / data)["values"]
    assert values.shape == (settings.front_positions + 1, s.levels, s.beliefs.shape[0], 16)
    return game._Stage(s, tabulate_flows(s), t, values, deal(s, t, False), deal(s, t, True))


def withdrawal_stage(data: str, params: dict[str, float], ceasefire: bool, t: int) -> game._Stage:
    """Period ``t`` of a seeded perturbation ``params`` of ``withdrawal_reveals_weakness.yaml``
    over 6 periods (``benchmarks/buy_time_perturbations.py``), its next-period values read
    from ``tests/data/<data>``."""
    return stored_stage(data, params, periods=6, ceasefire=ceasefire, t=t, offer=WITHDRAWAL_OFFER)


def empty_plays(stage: game._Stage) -> tuple[np.ndarray, dict]:
    """A stage's sender strategies and plays (``at``) before any search has filled them."""
    S, M = stage.front.size, len(stage.s.messages)
    at = {
        "belief": np.zeros((S, M, 4)),
        "russia": np.zeros((S, M, 4, 3)),
        "ukraine": np.zeros((S, M, 4)),
        "lottery": np.zeros((S, M)),
        **{k: np.zeros((S, M), dtype=np.int64) for k in ("profile", "reply", "profile2", "reply2")},
        **mixing_arrays(S, M),
    }
    return np.zeros((S, 4, M)), at
