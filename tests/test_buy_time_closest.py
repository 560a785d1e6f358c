"""A state where no search finds an exact equilibrium keeps the play closest to one."""

from __future__ import annotations

import numpy as np

from simulator.model import buy_time_lotteries
from simulator.model.buy_time_lotteries import Closest
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
    policy, _, gain, _ = _stage().solve()
    (state,) = np.flatnonzero(policy.unresolved)
    assert state == 196
    # still reported as unresolved, with the gain the certificate measures at the play kept
    assert gain == policy.gain.max() == policy.gain[state]
    assert 1e-6 < policy.gain[state] < 1e-4
    # two present types mix between fighting and talking
    present = _stage().mu[state] > 0
    mixing = (policy.sender[state, :, 1] > 0) & (policy.sender[state, :, 1] < 1)
    assert mixing[present].sum() >= 1
    # without the closest point, the pure fallback leaves someone a gain above 0.1
    monkeypatch.setattr(Closest, "keep", lambda *args, **kwargs: None)
    fallback, _, _, _ = _stage().solve()
    assert fallback.unresolved[state] and fallback.gain[state] > 0.1


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
