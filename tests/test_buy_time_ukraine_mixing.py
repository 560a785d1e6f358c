"""Ukraine mixing among signing, a ceasefire and fighting on after talks in the buy-time game
(``simulator/model/buy_time_lotteries.py``, the talks' play where ``triple``).

At the baseline's values over 12 periods (with the ceasefire option), in period 9 at one
state, the governments' profile after talks is fixed while Ukraine's best reply moves among its
three replies within a narrow band of posteriors; no lottery between two of the three plays
meets the types' conditions. The equilibrium has the posterior after talks exactly where
Ukraine is indifferent among all three and Ukraine mixing among them; the governments are held
to their expected payoff over Ukraine's mixture. ``tests/data/buy_time_ukraine_mixing_stage.npz``
holds the values of period 10 onward (solved by this project's own code; 14 KB).
"""

from __future__ import annotations

import numpy as np
import pytest
from stored_stages import empty_plays, stored_stage

from simulator.model import buy_time_lotteries as lotteries
from simulator.model import buy_time_lottery_starts as lottery_starts
from simulator.model import rules
from simulator.model.buy_time_certificate import receivers_regret
from simulator.model.buy_time_setup import CEASEFIRE, FIGHT_ON, SIGN

STATE = 275
TOL = 1e-9


@pytest.fixture(scope="module")
def solved():
    stage = stored_stage("buy_time_ukraine_mixing_stage.npz", {}, periods=12, ceasefire=True, t=9)
    sender, at = empty_plays(stage)
    left = lotteries.lottery_mixed(stage, np.array([STATE]), sender, at, rules.TOL)
    return stage, sender, at, left


def test_ukraine_mixes_among_its_three_replies_at_one_profile(solved):
    stage, sender, at, left = solved
    assert left.size == 0
    assert at["receivers_mix"][STATE, 1, 0] and at["lottery"][STATE, 1] == 0
    profile = at["mixed_profile"][STATE, 1, 0]
    reply = at["mixed_reply"][STATE, 1, 0]
    weight = at["mixed_weight"][STATE, 1, 0]
    assert len(set(profile.tolist())) == 1  # one profile: the governments do not mix
    assert reply[:3].tolist() == [SIGN, CEASEFIRE, FIGHT_ON]
    assert np.all(weight[:3] > 0) and weight[3] == 0
    assert weight.sum() == pytest.approx(1.0, abs=1e-12)


def test_every_incentive_holds_recomputed_from_the_stage(solved):
    """Ukraine indifferent among the three replies at the posterior after talks; each
    government gains nothing in expectation by flipping (the deviation answered by Ukraine's
    best reply least good for it); each type that mixes is indifferent; Bayes' rule."""
    stage, sender, at, _ = solved
    profile = int(at["mixed_profile"][STATE, 1, 0, 0])
    reply = at["mixed_reply"][STATE, 1, 0, :3]
    weight = at["mixed_weight"][STATE, 1, 0, :3]
    pi = at["belief"][STATE, 1][None]
    options = stage._options(np.array([STATE]), pi, False)
    exp_u = stage.ukraine_expected(pi, options)[0]  # (P, 3)
    assert np.ptp(exp_u[profile, reply]) <= TOL
    assert exp_u[profile, reply[0]] >= exp_u[profile].max() - TOL
    pay = np.stack(
        [
            stage.government_payoffs(pi, 1, options, np.full((1, stage.P), k))[0]
            for k in (SIGN, CEASEFIRE, FIGHT_ON)
        ]
    )  # (3 replies, P, n)
    for i in range(pay.shape[-1]):
        value = weight @ pay[reply, profile, i]
        flipped = profile ^ (1 << i)
        best = [k for k in range(3) if exp_u[flipped, k] >= exp_u[flipped].max() - TOL]
        assert min(pay[k, flipped, i] for k in best) <= value + TOL
    assert receivers_regret(stage, np.array([STATE]), at)[0] <= TOL
    mu = stage.mu[STATE]
    values = at["russia"][STATE, :, :, 0]
    for k in np.flatnonzero(mu > 0):
        for m in (0, 1):
            if sender[STATE, k, m] > 0:
                assert values[m, k] >= values[:, k].max() - TOL
    for m in (0, 1):
        joint = mu * sender[STATE, :, m]
        np.testing.assert_allclose(at["belief"][STATE, m], joint / joint.sum(), atol=1e-12)


def test_without_ukraine_mixing_the_state_is_not_solved(solved):
    stage = solved[0]
    sender, at = empty_plays(stage)
    original = lottery_starts.triple_candidates
    lottery_starts.triple_candidates = lambda *args: lottery_starts.as_candidates([])
    try:
        left = lotteries.lottery_mixed(stage, np.array([STATE]), sender, at, rules.TOL)
    finally:
        lottery_starts.triple_candidates = original
    assert left.tolist() == [STATE]
