"""A buy-time stage's work shared among processes gives the same equilibrium, bit for bit.

Every search solves each state on its own (its starting points drawn from a generator seeded
by the state, its brackets and linear systems each its own), so the states of a stage can be
cut into parts and handed to an executor's processes (``buy_time_equilibrium(...,
executor=...)``, ``simulator run --workers N``) without changing any result.
"""

from __future__ import annotations

import concurrent.futures

import numpy as np

from simulator.model import buy_time_game, buy_time_parts
from tests.stored_stages import stored_stage
from tests.test_buy_time_closest import PARAMS


def test_a_stage_solved_in_parts_on_processes_is_the_same_bit_for_bit(monkeypatch):
    # Period 2 of a perturbed baseline (eight periods, no ceasefire option): 13 states
    # without a pure equilibrium, where every search runs (the lottery search included).
    def stage():
        return stored_stage("buy_time_closest_stage.npz", PARAMS, periods=8, ceasefire=False, t=2)

    alone = stage().solve()
    # three parts of the states on two processes, whatever this machine's cores
    monkeypatch.setattr(buy_time_parts, "available_cores", lambda: 3)
    parts = []
    original = buy_time_game.map_calls

    def recorded(executor, fn, calls):
        if fn is buy_time_game.searched_part:
            parts.extend(args[1].tolist() for args in calls)
        return original(executor, fn, calls)

    monkeypatch.setattr(buy_time_game, "map_calls", recorded)
    with concurrent.futures.ProcessPoolExecutor(max_workers=2) as pool:
        shared = stage().solve(pool)
    assert len(parts) == 3 and sorted(sum(parts, [])) == sorted(set(sum(parts, [])))
    policy, values, gain, span = alone
    policy_p, values_p, gain_p, span_p = shared
    for key, value in vars(policy).items():
        np.testing.assert_array_equal(getattr(policy_p, key), value, err_msg=key)
    np.testing.assert_array_equal(values_p, values)
    assert (gain_p, span_p) == (gain, span)
