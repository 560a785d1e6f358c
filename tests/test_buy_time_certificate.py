"""The buy-time certificate covers the receivers: Ukraine and every government at every play
the policy records, whichever search found it (simulator/model/buy_time_certificate.py)."""

from __future__ import annotations

import numpy as np
import pytest

import simulator.model.buy_time_cascade as cascade
from simulator.model.buy_time_certificate import receivers_regret, snap_lotteries, verified
from simulator.model.buy_time_choices import flip_gains
from simulator.model.buy_time_game import buy_time_equilibrium
from simulator.model.buy_time_setup import BuyTimeSettings
from simulator.scenario import load_scenario


@pytest.fixture(scope="module")
def stage_and_plays():
    """A stage with semi-separating states (the baseline's period 1 of 3, no ceasefire option)
    and the plays its policy records, captured where the certificate reads them."""
    sc = load_scenario("scenarios/baseline_spring_2022.yaml")
    seen: dict = {"states": set()}
    original = cascade.verified

    def capture(stage, search, states, sender, at, *args):
        if stage.t == 1:  # the stage's plays (final once it is solved) and the states searched
            seen.update(stage=stage, at=at)
            seen["states"].update(states.tolist())
        return original(stage, search, states, sender, at, *args)

    cascade.verified = capture
    try:
        eq = buy_time_equilibrium(
            sc.model, sc.first_offer, BuyTimeSettings(periods=3, ceasefire=False)
        )
    finally:
        cascade.verified = original
    states = np.array(sorted(seen["states"]), dtype=np.int64)
    return eq, seen["stage"], states, {k: v.copy() for k, v in seen["at"].items()}


def test_recorded_plays_are_equilibria_of_the_receivers_game(stage_and_plays):
    eq, stage, states, at = stage_and_plays
    assert eq.certified
    regret = receivers_regret(stage, states, at)
    assert regret.max() <= eq.tolerance
    assert np.all(eq.policies[1].gain[states] >= regret)  # in the certificate


def test_a_government_that_gains_by_flipping_shows_in_the_certificate(stage_and_plays):
    _eq, stage, states, at = stage_and_plays
    state, m = states[:1], 1
    pi = at["belief"][state, m]
    options = stage._options(state, pi, False)
    game = stage._profiles(state, pi, m, options)
    flip = flip_gains(game["governments"])[0]  # each profile's largest gain from a flip
    worst = int(flip.argmax())
    assert flip[worst] > 1e-3
    tampered = {k: v.copy() for k, v in at.items()}
    tampered["profile"][state, m] = tampered["profile2"][state, m] = worst
    tampered["reply"][state, m] = tampered["reply2"][state, m] = game["reply"][0, worst]
    # at most the flip's gain when Ukraine best-replies to it (Ukraine may answer it with the
    # reply that leaves the least gain to anyone, its own regret included), and far from 0
    regret = receivers_regret(stage, state, tampered)[0]
    assert 1e-3 < regret <= flip[worst] + 1e-12
    # a play of weight 0 is never played, so it is not held to the test
    tampered["lottery"][state, m] = 1.0
    tampered["profile2"][state, m] = at["profile"][state, m]
    tampered["reply2"][state, m] = at["reply"][state, m]
    assert receivers_regret(stage, state, tampered)[0] <= 1e-9


def test_a_search_that_records_a_bad_play_is_undone(stage_and_plays):
    _eq, stage, states, at = stage_and_plays
    at = {k: v.copy() for k, v in at.items()}
    before = {k: v.copy() for k, v in at.items()}
    sender = np.zeros((at["belief"].shape[0], 4, 2))
    sender[:, :, 0] = 1.0
    sender_before = sender.copy()
    state = states[0]
    pi = at["belief"][[state], 1]
    game = stage._profiles(np.array([state]), pi, 1, stage._options(np.array([state]), pi, False))
    worst = int(flip_gains(game["governments"])[0].argmax())

    def bad_search(part):
        at["profile"][part, 1] = at["profile2"][part, 1] = worst
        at["reply"][part, 1] = at["reply2"][part, 1] = game["reply"][0, worst]
        sender[part] = 0.5
        return part[1:]  # claims the first state solved

    regret = np.zeros(at["belief"].shape[0])
    left = verified(stage, bad_search, states[:2], sender, at, 1e-9, 1e-9, regret)
    assert left.tolist() == sorted(states[:2].tolist())  # the first is unresolved again
    for key in at:
        np.testing.assert_array_equal(at[key][state], before[key][state])
    np.testing.assert_array_equal(sender[state], sender_before[state])


def test_lottery_weights_within_rounding_of_a_bound_are_snapped():
    at = {"lottery": np.array([[0.0, 1e-15, 0.3, 1 - 1e-15, 1.0]])}
    snap_lotteries(at, 1e-9)
    assert at["lottery"].tolist() == [[0.0, 0.0, 0.3, 1.0, 1.0]]
