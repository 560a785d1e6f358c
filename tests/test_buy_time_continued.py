"""The next period's semi-separating equilibrium at a state, continued
(:mod:`simulator.model.buy_time_continued`): the first of the mixed searches."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.model import rules
from simulator.model.buy_time_cascade import largest_gains
from simulator.model.buy_time_continued import continued_mixed
from tests.stored_stages import empty_plays, stored_stage
from tests.test_buy_time_closest import PARAMS


def _stage():
    # period 2 of a perturbed baseline over eight periods: semi-separating states found by
    # several searches (the lottery search's among them)
    return stored_stage("buy_time_closest_stage.npz", PARAMS, periods=8, ceasefire=False, t=2)


@pytest.fixture(scope="module")
def policy():
    return _stage().solve()[0]


def _continued(policy, states):
    stage = _stage()
    stage.previous = policy
    sender, at = empty_plays(stage)
    left = continued_mixed(stage, states, sender, at, rules.TOL, policy)
    return left, sender, at


def test_a_stage_continued_from_its_own_equilibrium_finds_it_again(policy):
    mixed = policy.mixed & ~policy.unresolved & ~policy.receivers_mix.any(axis=(1, 2))
    states = np.flatnonzero(mixed)
    assert states.size >= 3
    assert policy.lottery[states].max() > 0  # a lottery after a message among them
    left, sender, at = _continued(policy, states)
    # every state is solved from its own point (Newton's method takes it to the residual's
    # floor), at the same strategies of the types present and the same plays
    assert left.size == 0
    present = _stage().mu[states] > 0
    np.testing.assert_allclose(
        np.where(present[..., None], sender[states], 0.0),
        np.where(present[..., None], policy.sender[states], 0.0),
        atol=1e-6,
    )
    np.testing.assert_allclose(at["lottery"][states], policy.lottery[states], atol=1e-6)
    np.testing.assert_array_equal(at["profile"][states], policy.profile[states, :, 0])
    # certified: no player gains more than 1e-9 at the plays recorded, by the certificate's
    # measure (each present type's gain from the other message, every receiver's regret)
    stage = _stage()
    gains = largest_gains(stage, states, sender, at, stage.mu > 0)
    assert gains.max() <= 1e-9


def test_a_state_is_continued_alike_alone_or_beside_others(policy):
    states = np.flatnonzero(policy.mixed & ~policy.unresolved)
    _, together, at_together = _continued(policy, states)
    for st in states.tolist():
        _, alone, at_alone = _continued(policy, np.array([st]))
        np.testing.assert_array_equal(alone[st], together[st])
        for key, value in at_together.items():
            np.testing.assert_array_equal(at_alone[key][st], value[st], err_msg=key)


def test_nothing_is_continued_in_the_last_period_or_without_mixing(policy):
    stage = _stage()
    sender, at = empty_plays(stage)
    states = np.arange(5)
    assert continued_mixed(stage, states, sender, at, rules.TOL, None) is states
    pure = np.flatnonzero(~policy.mixed)[:5]
    left, sender, _ = _continued(policy, pure)
    np.testing.assert_array_equal(left, pure)
    assert not sender[pure].any()
