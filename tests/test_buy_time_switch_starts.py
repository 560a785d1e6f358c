"""A stage the lottery search solves only from starts placed where the receivers' play switches
(``simulator/model/buy_time_lottery_starts.py``, ``switch_candidates``).

The baseline with capability 0.96, sanctions cost 0.45, status premium 0.76 and prior of
sincerity 0.52, 8 periods without the ceasefire option: in period 1, at the state (front 2,
regroup level 2) where only the weak sincere type (0.52) and the strong staller (0.48) remain,
Ukraine signs after talks when the staller is likely enough (above about 0.469) and fights on
otherwise. The strong staller prefers fighting to a deal it would sign, the weak sincere type
prefers a deal: no pure assignment is an equilibrium, and the only equilibrium found has both
types talking with probabilities near 0.92 and 0.88, the posterior after talks exactly at the
switch, and the receivers playing a lottery there between fighting on and signing. Strategies
drawn at random rarely come near it; scaling a start that sits at the switch does.

``tests/data/buy_time_switch_stage.npz`` holds the values of period 2 onward (solved by this
project's own code from those parameters; 14 KB), so the test solves the one stage only.
"""

from __future__ import annotations

import numpy as np
import pytest
from stored_stages import empty_plays, stored_stage

from simulator.model import buy_time_lotteries as lotteries
from simulator.model import buy_time_lottery_starts as lottery_starts
from simulator.model import rules
from simulator.model.buy_time_certificate import receivers_regret

STATE = 267  # front 2, regroup level 2, belief (0, 0.52, 0.48, 0)
PARAMS = {
    "russia.capability": 0.96,
    "russia.sanctions_cost": 0.45,
    "russia.great_power_status": 0.76,
    "russia.prior_sincere": 0.52,
}


@pytest.fixture(scope="module")
def stage():
    return stored_stage("buy_time_switch_stage.npz", PARAMS, periods=8, ceasefire=False, t=1)


def _search(stage, switching: bool):
    sender, at = empty_plays(stage)
    original = lottery_starts.switch_candidates, lotteries._DRAWS
    if not switching:  # the first draw of starting points alone, without the switches
        lottery_starts.switch_candidates = lambda *args: lottery_starts.as_candidates([])
        lotteries._DRAWS = 1
    try:
        left = lotteries.lottery_mixed(stage, np.array([STATE]), sender, at, rules.TOL)
    finally:
        lottery_starts.switch_candidates, lotteries._DRAWS = original
    return left, sender, at


def test_the_state_is_where_only_two_types_remain(stage):
    np.testing.assert_allclose(stage.mu[STATE], [0.0, 0.52, 0.48, 0.0], atol=1e-12)
    assert (stage.front[STATE], stage.level[STATE]) == (2, 2)


def test_a_lottery_at_the_switch_solves_it_and_every_incentive_holds(stage):
    left, sender, at = _search(stage, switching=True)
    assert left.size == 0
    tol = 1e-9
    # both types mix, near 0.92 and 0.88
    talk = sender[STATE, :, 1]
    assert talk[1] == pytest.approx(0.917, abs=2e-3)
    assert talk[2] == pytest.approx(0.877, abs=2e-3)
    # Bayes' rule after each message
    mu = stage.mu[STATE]
    for m in (0, 1):
        joint = mu * sender[STATE, :, m]
        np.testing.assert_allclose(at["belief"][STATE, m], joint / joint.sum(), atol=1e-12)
    # after talks the receivers play a lottery between fighting on and signing
    assert 0 < at["lottery"][STATE, 1] < 1
    replies = {int(at["reply"][STATE, 1]), int(at["reply2"][STATE, 1])}
    assert replies == {0, 2}  # SIGN and FIGHT_ON
    # each mixing type is indifferent; no receiver gains at either play
    values = at["russia"][STATE, :, :, 0]  # (messages, types) under the equilibrium plan
    assert abs(values[1, 1] - values[0, 1]) <= tol
    assert abs(values[1, 2] - values[0, 2]) <= tol
    assert receivers_regret(stage, np.array([STATE]), at)[0] <= tol


def test_without_the_switch_starts_the_first_draw_finds_nothing(stage):
    left, _, _ = _search(stage, switching=False)
    assert left.tolist() == [STATE]
