"""The lottery search's last round (every play the receivers can play, from many starts) and
its Levenberg-Marquardt steps, on a stored stage of a seeded perturbation of the baseline."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.model import buy_time_cascade as cascade
from simulator.model import buy_time_lotteries as lotteries
from simulator.model.buy_time_every_play import every_play_mixed
from simulator.model.buy_time_lottery_starts import as_candidates
from tests.stored_stages import empty_plays, perturbation, stored_stage

# A perturbation of the baseline (seed 11, draw 0 of the 11 in docs/buy_time.md; 6 periods, the
# ceasefire option), period 4, its values of period 5 stored in tests/data. At state 340 the
# sincere strong type is ruled out and the other three mix; every search before the last round
# leaves it, at a largest gain of 5.7e-4.
PARAMS = perturbation(
    0.8771421216615198, 0.299711144976046, 0.9022475364350362, 0.11434450418597228
)
STATE = 340
TOL = 1e-9
# The support of the equilibrium the last round finds there: after fighting the governments'
# profile 7 and Ukraine fighting on; after talks a lottery between profile 0 with Ukraine signing
# and profile 3 with a ceasefire, held on the first one's boundary.
SUPPORT = {
    "plays": [[(7, 2), (7, 2)], [(0, 0), (3, 1)]],
    "lottery": [False, True],
    "boundary": [-1, 0],
}


@pytest.fixture(scope="module")
def stage():
    return stored_stage("buy_time_every_play_stage.npz", PARAMS, periods=6, ceasefire=True, t=4)


@pytest.fixture(scope="module")
def alone(stage):
    """The last round at state 340 alone: the states left, the strategies and the plays."""
    sender, at = empty_plays(stage)
    left = every_play_mixed(stage, np.array([STATE]), sender, at, TOL)
    return left, sender, at


def test_the_last_round_solves_a_state_the_lottery_search_leaves(stage, alone):
    state = np.array([STATE])
    sender, at = empty_plays(stage)
    closest = lotteries.Closest(sender, at)
    assert lotteries.lottery_mixed(stage, state, sender, at, TOL, closest).tolist() == [STATE]
    assert closest.gain[STATE] > 1e-4
    left, sender, at = alone
    assert left.size == 0
    # an equilibrium: no present type, government or Ukraine gains, at the exact plays
    assert cascade.largest_gains(stage, state, sender, at, stage.mu > 0)[0] <= TOL
    talks = sender[STATE, :, 1][stage.mu[STATE] > 0]
    assert np.any((talks > 0.0) & (talks < 1.0))  # types mix
    assert 0.0 < at["lottery"][STATE, 1] < 1.0  # and the receivers draw a lottery after talks


def test_a_states_result_does_not_depend_on_the_states_searched_with_it(stage, alone):
    # (so a stage cut into parts for several processes gives the same result, bit for bit)
    sender, at = empty_plays(stage)
    assert every_play_mixed(stage, np.array([58, STATE]), sender, at, TOL).size == 0
    _, sender_alone, at_alone = alone
    assert np.array_equal(sender[STATE], sender_alone[STATE])
    for key, value in at.items():
        assert np.array_equal(value[STATE], at_alone[key][STATE]), key


def test_damped_steps_reach_the_root_from_farther_than_newtons(stage):
    # From 20 starting strategies drawn within 0.1 of the equilibrium on its own support (the
    # lottery weight fitted to the types' indifference), Levenberg-Marquardt steps reach it
    # from about half, Newton's steps with a line search on the largest residual from almost
    # none: the system is ill-conditioned (one type's gain barely moves with its own
    # probability), and the line search's full Newton steps run along the flat direction.
    root = np.array([0.0, 0.97155, 0.27839, 1.0])
    present = stage.mu[STATE] > 0
    rng = np.random.default_rng(0)
    starts = np.clip(root + rng.uniform(-0.1, 0.1, (20, 4)), 0.0, 1.0) * present

    def reached(damped: bool) -> int:
        count = 0
        for x in starts:  # one at a time: a state's candidates stop once one is accepted
            cand = as_candidates([{"state": STATE, "x": x, **SUPPORT}])
            problem = lotteries._Support(stage, cand)
            _, ev = problem.solve(problem.start(cand["x"]), TOL, damped=damped)
            count += int(problem.accept(np.arange(1), ev, TOL)[0][0])
        return count

    assert reached(damped=True) >= 8
    assert reached(damped=False) <= 2
