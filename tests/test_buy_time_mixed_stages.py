"""The buy-time game's stages without a pure equilibrium: each search for a mixed one.

Where no assignment of messages to Russia's types is an equilibrium, the stage searches for
one in which types mix, the receivers play lotteries, or a belief off the path deters
(``docs/buy_time.md``, "State, equilibrium and certificate"). Each structure is found in
the games below; every state it solves is certified and its posteriors follow Bayes' rule.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from simulator.model.buy_time_game import buy_time_equilibrium
from simulator.model.buy_time_setup import BuyTimeSettings, restrict
from simulator.scenario import load_scenario

BASELINE = "scenarios/baseline_spring_2022.yaml"


@pytest.fixture(scope="module")
def baseline():
    sc = load_scenario(BASELINE)
    return sc.model, sc.first_offer


def _solve(model, offer, **settings):
    return buy_time_equilibrium(model, offer, BuyTimeSettings(**settings))


def test_two_types_both_mixing_where_no_single_type_can(baseline):
    """Where two types are present and no play with one type mixing is an equilibrium (at the
    baseline's values, three periods, no ceasefire option: 4 such states in period 1), both
    mix and one message's receivers play a public lottery: each such state is certified and
    its posteriors follow Bayes' rule."""
    eq = _solve(*baseline, periods=3, ceasefire=False)
    s, policy = eq.setup, eq.policies[1]
    n, levels, beliefs = s.settings.front_positions, s.levels, s.beliefs.shape[0]
    mu = s.beliefs[np.tile(np.arange(beliefs), (n - 1) * levels)]  # each state's prior
    mixing = ((policy.sender > 1e-9) & (policy.sender < 1 - 1e-9)).all(axis=2)  # (S, 4)
    both_mix = ((mu > 0).sum(axis=1) == 2) & (mixing.sum(axis=1) == 2) & ~policy.unresolved
    assert both_mix.sum() >= 4
    for state in np.flatnonzero(both_mix):
        assert policy.gain[state] <= eq.tolerance
        assert (policy.lottery[state] > 0).any()  # the receivers mix after one message
        for m in range(policy.sender.shape[2]):
            joint = mu[state] * policy.sender[state, :, m]
            np.testing.assert_allclose(policy.belief[state, m], joint / joint.sum(), atol=1e-9)


def _state_priors(eq) -> np.ndarray:
    s = eq.setup
    n, levels, beliefs = s.settings.front_positions, s.levels, s.beliefs.shape[0]
    return s.beliefs[np.tile(np.arange(beliefs), (n - 1) * levels)]


@pytest.fixture(scope="module")
def hard_stages():
    """The baseline over four periods: many of its stages have no pure equilibrium."""
    sc = load_scenario(BASELINE)
    return buy_time_equilibrium(sc.model, sc.first_offer, replace(sc.buy_time, periods=4))


def test_two_types_mix_beside_a_third_that_does_not(hard_stages):
    """Three types present, two of them mix, the third sends the other message for sure, and
    the receivers after the mixers' own message play a lottery at the posterior where they
    switch. Each is certified and its posteriors
    follow Bayes' rule."""
    eq = hard_stages
    mu = _state_priors(eq)
    found = 0
    for policy in eq.policies:
        mixing = ((policy.sender > 1e-9) & (policy.sender < 1 - 1e-9)).all(axis=2)
        pure = ((policy.sender > 1 - 1e-9).any(axis=2)) & (mu > 0)
        cases = ((mu > 0).sum(1) == 3) & (mixing.sum(1) == 2) & (pure.sum(1) == 1)
        cases &= ~policy.unresolved & (policy.lottery > 0).any(axis=1)
        for state in np.flatnonzero(cases):
            found += 1
            assert policy.gain[state] <= eq.tolerance
            assert (policy.lottery[state] > 0).any()
            for m in range(policy.sender.shape[2]):
                joint = mu[state] * policy.sender[state, :, m]
                np.testing.assert_allclose(policy.belief[state, m], joint / joint.sum(), atol=1e-9)
    assert found >= 2


def test_pooling_held_by_a_lottery_off_the_path(hard_stages):
    """Where every type pools on one message and no pure play at any belief off the path
    deters the other, a belief where the receivers switch their play, with a lottery between
    the two plays, can: such states are certified, pool on one message and state a lottery
    after the other."""
    eq = hard_stages
    mu = _state_priors(eq)
    found = 0
    for policy in eq.policies:
        pools = (policy.sender[:, :, :] > 1 - 1e-12).all(axis=1) | (
            ((policy.sender > 1 - 1e-12) | (mu[..., None] == 0)).all(axis=1)
        )  # (S, M): every present type sends m
        for state, m in zip(*np.nonzero(pools)):
            other = 1 - m
            if policy.unresolved[state] or not 0 < policy.lottery[state, other] < 1:
                continue
            found += 1
            assert policy.gain[state] <= eq.tolerance
            np.testing.assert_allclose(policy.belief[state, m], mu[state], atol=1e-12)
    assert found >= 1


def test_pooling_held_by_a_pure_play_at_a_belief_off_the_path(hard_stages):
    """A pooling equilibrium may need a belief off the path that is none of the fifteen
    restricted ones (the prior on a set of types): a lattice on the types present finds one
    that deters every type. Such states are certified."""
    eq = hard_stages
    mu = _state_priors(eq)
    found = 0
    for policy in eq.policies:
        pools = ((policy.sender > 1 - 1e-12) | (mu[..., None] == 0)).all(axis=1)
        for state, m in zip(*np.nonzero(pools)):
            other = 1 - m
            off = policy.belief[state, other]
            restricted = restrict(mu[state])
            if policy.unresolved[state] or policy.lottery[state, other] != 0:
                continue
            if np.abs(restricted - off).max(axis=1).min() < 1e-12:
                continue  # one of the restricted beliefs: the pure search's own
            found += 1
            assert policy.gain[state] <= eq.tolerance
    assert found >= 1


def test_three_types_mix_where_the_receivers_do_not_switch(hard_stages):
    """Where the receivers' play does not switch near it, an equilibrium in which three types
    mix solves the complementarity problem of the types' gains from talking (Newton's method):
    such states are certified and their posteriors follow Bayes' rule."""
    eq = hard_stages
    mu = _state_priors(eq)
    found = 0
    for policy in eq.policies:
        mixing = ((policy.sender > 1e-9) & (policy.sender < 1 - 1e-9)).all(axis=2)
        plain = (policy.lottery == 0).all(axis=1)  # the receivers play one play
        for state in np.flatnonzero((mixing.sum(axis=1) >= 3) & plain & ~policy.unresolved):
            found += 1
            assert policy.gain[state] <= eq.tolerance
            for m in range(policy.sender.shape[2]):
                joint = mu[state] * policy.sender[state, :, m]
                np.testing.assert_allclose(
                    policy.belief[state, m], joint / joint.sum(), atol=1e-9
                )
    assert found >= 1


def test_types_mix_while_the_receivers_play_a_lottery_at_a_switch(hard_stages):
    """Where Newton's method on the types' gains stalls because the receivers' play switches,
    the posterior after one message is put on the switch and the lottery's weight becomes an
    unknown: such states (three types present, one of them mixing or more, a lottery after
    one message) are certified and their posteriors follow Bayes' rule."""
    eq = hard_stages
    mu = _state_priors(eq)
    found = 0
    for policy in eq.policies:
        mixing = ((policy.sender > 1e-9) & (policy.sender < 1 - 1e-9)).all(axis=2)
        lottery = ((policy.lottery > 0) & (policy.lottery < 1)).any(axis=1)
        cases = ((mu > 0).sum(1) >= 3) & (mixing.sum(1) >= 1) & lottery & ~policy.unresolved
        for state in np.flatnonzero(cases):
            found += 1
            assert policy.gain[state] <= eq.tolerance
            for m in range(policy.sender.shape[2]):
                joint = mu[state] * policy.sender[state, :, m]
                if joint.sum() > 0:
                    np.testing.assert_allclose(
                        policy.belief[state, m], joint / joint.sum(), atol=1e-9
                    )
    assert found >= 3


def test_newton_puts_a_type_with_a_small_gain_near_a_bound_at_the_bound():
    # The linearised gains of a baseline stage (12 periods, period 7, four types present):
    # the equilibrium has types 0 and 3 talking for sure and types 1 and 2 mixing. From a
    # start one percent short of it, the residual with the gains weighed once sees type 3
    # (gain 2e-4) as mixing; weighed a hundred times it is put at its bound and Newton lands.
    from simulator.model import buy_time_interior as interior

    x0 = np.array([1.0, 0.57, 0.15, 0.99])
    d0 = np.array([0.00624, -0.000128, -0.000286, 0.000217])
    jac = np.array(
        [
            [-0.0550, -0.0439, 0.0102, 0.0207],
            [-0.1209, -0.0980, 0.0381, 0.0459],
            [0.0155, -0.0115, -0.0972, 0.0058],
            [0.0113, -0.0084, -0.0707, 0.0041],
        ]
    )

    def values(rows, x):
        gain = d0 + (x - x0) @ jac.T
        return np.zeros_like(gain), gain  # fighting is worth 0, talking the gain

    present = np.ones((1, 4), dtype=bool)
    x, size = interior.newton(values, x0[None], present, interior._SCALE)
    assert size[0] <= 1e-12
    gain = values(None, x)[1][0]
    assert x[0, 0] == 1.0 and x[0, 3] == 1.0 and gain[0] > 0 and gain[3] > 0
    assert 0 < x[0, 1] < 1 and 0 < x[0, 2] < 1
    assert np.abs(gain[1:3]).max() <= 1e-12
