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
from simulator.model.buy_time_receivers import locate_switch, solve_each
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


def test_a_bracket_shrinks_alike_alone_or_beside_others():
    # each bracket is bisected until it is as narrow as its own width, whatever the others
    switch = np.array([0.3, 0.7, 0.123456789])
    width = np.array([1e-3, 1e-12, 1e-6])

    def key(rows, t):
        return (t > switch[rows]).astype(np.int64)

    lo, hi = locate_switch(key, np.zeros(3), np.ones(3), np.zeros(3, np.int64), width=width)
    assert np.all(hi - lo <= width) and np.all((lo <= switch) & (switch <= hi))
    for i in range(3):
        alone = locate_switch(
            lambda rows, t, i=i: key(np.full(rows.size, i), t),
            np.zeros(1),
            np.ones(1),
            np.zeros(1, np.int64),
            width=width[i],
        )
        assert (alone[0][0], alone[1][0]) == (lo[i], hi[i])


def test_a_singular_system_leaves_the_others_solutions_as_they_are():
    rng = np.random.default_rng(3)
    matrices, rhs = rng.random((4, 5, 5)), rng.random((4, 5))
    matrices[2] = 0.0  # singular: np.linalg.solve would fail for the whole stack
    x = solve_each(matrices, rhs, lambda a, b: np.linalg.lstsq(a, b, rcond=None)[0])
    for i in (0, 1, 3):
        alone = np.linalg.solve(matrices[i : i + 1], rhs[i : i + 1, :, None])[0, :, 0]
        np.testing.assert_array_equal(x[i], alone)
    np.testing.assert_array_equal(x[2], np.zeros(5))
