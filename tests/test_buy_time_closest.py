"""A state where no search finds an exact equilibrium keeps the play closest to one."""

from __future__ import annotations

import numpy as np

from simulator.model import buy_time_lotteries
from simulator.model.buy_time_game import _Stage, buy_time_equilibrium
from simulator.model.buy_time_lotteries import Closest
from simulator.model.buy_time_setup import BuyTimeSettings
from tests.buy_time_games import one_government_withdrawal
from tests.stored_stages import empty_plays, stored_stage

# One of eleven seeded random perturbations of the baseline (eight periods, no ceasefire
# option): period 2 has one state where no search finds an equilibrium. The values of
# period 3, which this stage reads, are stored in tests/data.
PARAMS = {
    "russia.capability": 1.2450625684171142,
    "russia.great_power_status": 0.8117157320647331,
    "russia.prior_sincere": 0.353886118150175,
    "russia.sanctions_cost": 0.13659824202521828,
}


def _stage():
    return stored_stage("buy_time_closest_stage.npz", PARAMS, periods=8, ceasefire=False, t=2)


def test_the_lottery_searchs_closest_point_replaces_a_far_pure_fallback(monkeypatch):
    # the gain the play before the closest points (each type's best reply in turn) leaves
    before = {}
    closest = _Stage._closest

    def measured(self, states, sender, at, alternatives, present, tol):
        before.update(zip(states.tolist(), self._largest_gains(states, sender, at, present)))
        return closest(self, states, sender, at, alternatives, present, tol)

    monkeypatch.setattr(_Stage, "_closest", measured)
    stage = _stage()
    policy, _, gain, _ = stage.solve()
    (state,) = np.flatnonzero(policy.unresolved)
    assert state == 196 and before[state] > 0.1
    # still reported as unresolved, with the gain the certificate measures at the play kept
    assert gain == policy.gain.max() == policy.gain[state]
    assert 1e-6 < policy.gain[state] < 1e-4
    # some present type mixes between fighting and talking
    present = stage.mu[state] > 0
    mixing = (policy.sender[state, :, 1] > 0) & (policy.sender[state, :, 1] < 1)
    assert mixing[present].any()


def test_the_closest_point_is_measured_as_the_searches_accept_points():
    # Closest.keep ranks candidates by _Support.largest_gain, the measure accept() holds to
    # the tolerance: a candidate accepted would be kept by it with a gain within tolerance.
    stage, state = _stage(), 196  # the state left (the test above)
    sender, at = empty_plays(stage)
    closest = Closest(sender, at)
    left = buy_time_lotteries.lottery_mixed(stage, np.array([state]), sender, at, 1e-9, closest)
    assert left.tolist() == [state]
    assert np.isfinite(closest.gain[state]) and closest.gain[state] < 1e-4
    others = np.delete(closest.gain, state)
    assert np.all(np.isinf(others))


def test_with_a_withdrawal_the_closest_points_of_the_views_are_kept_with_the_third_message():
    # Period 1 of 4 (ceasefire option on) has three states without an equilibrium. At two
    # of them the pure fallback leaves a type a gain of 0.63; the lottery search on the view
    # with talks reaches points where, with the withdrawal unsent and played off the path
    # at the restricted belief that deters it best, no one gains more than 0.07.
    sc = one_government_withdrawal(capability=0.7)
    eq = buy_time_equilibrium(sc.model, sc.first_offer, BuyTimeSettings(periods=4, ceasefire=True))
    policy = eq.policies[1]
    left = np.flatnonzero(policy.unresolved)
    assert left.size == 3
    gains = np.sort(policy.gain[left])
    assert np.all(gains[:2] < 0.08) and gains[2] > 0.3
    # the withdrawal is unsent where the view's point is kept
    kept = left[policy.gain[left] < 0.08]
    assert np.all(policy.sender[kept, :, 2] == 0.0)
