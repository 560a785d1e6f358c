"""The buy-time stage's search where types mix and the receivers play a lottery at a switch of
their play (:mod:`simulator.model.buy_time_switching`)."""

from __future__ import annotations

import numpy as np

from simulator.model import buy_time_switching as switching
from tests.stored_stages import stored_stage
from tests.test_buy_time_closest import PARAMS


def test_the_slope_in_the_lottery_weight_is_the_residuals_own(monkeypatch):
    """Newton's method reads the Jacobian's column in the lottery's weight from the point's own
    evaluation (the types' gains are linear in it, and it moves no posterior): it agrees with
    forward differences of the residual, the switch located again at the moved point."""
    caught = []
    original = switching._Switch.solve

    def solve(self, z):
        out = original(self, z)
        caught.append((self, out[0].copy()))
        return out

    monkeypatch.setattr(switching._Switch, "solve", solve)
    # period 2 of a perturbed baseline over eight periods: its switching search has 24
    # candidates
    stored_stage("buy_time_closest_stage.npz", PARAMS, periods=8, ceasefire=False, t=2).solve()
    (problem, z), *_ = caught
    rows = np.arange(problem.state.size)
    z[:, 4] = 0.4  # a lottery's weight inside (0, 1)
    base = problem.evaluate(rows, z)
    moved = z.copy()
    moved[:, 4] += 1e-6
    ahead = problem.evaluate(rows, moved)
    located = np.isfinite(base["size"]) & np.isfinite(ahead["size"])
    assert located.sum() >= 10
    difference = (ahead["res"] - base["res"]) / 1e-6
    slope = problem._weight_slope(rows, base)
    np.testing.assert_allclose(slope[located], difference[located], rtol=1e-5, atol=1e-6)
    assert np.abs(slope[located]).max() > 1e-3  # a slope there to check
