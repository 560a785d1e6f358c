"""Pooling on fighting with talks deterred by Ukraine's mixed reply at a tie off the path
(``simulator/model/buy_time_tie_off_path.py``).

At the baseline's values over 12 periods (with the ceasefire option), in period 6 at one state
(the sincere strong type, 0.25, and the two stallers, 0.375 each), no equilibrium is found by
the earlier searches: where the posterior after talks puts the governments' profile and
Ukraine's signing in play, the stallers would rather fight; where Ukraine asks for a ceasefire,
they would rather talk; and the sincere type and the stallers cannot be made indifferent
together. Every type fighting is an equilibrium once talks are deterred off the path: at a
belief where Ukraine is indifferent between signing and fighting on (inside a band of beliefs
4e-4 wide where fighting on is one of its best replies), it signs with a small probability,
which keeps the stallers from talking (they need Ukraine to fight on) and the sincere type too
(it needs Ukraine to sign). ``tests/data/buy_time_tie_stage.npz`` holds the values of period 7
onward (solved by this project's own code; 15 KB).
"""

from __future__ import annotations

import numpy as np
import pytest
from stored_stages import empty_plays, stored_stage

from simulator.model import rules
from simulator.model.buy_time_certificate import receivers_regret
from simulator.model.buy_time_lottery_plays import play_margin, play_margins, receivers_game
from simulator.model.buy_time_off_path import deterring_weights, pooling_off_path
from simulator.model.buy_time_setup import CEASEFIRE, FIGHT_ON, SIGN
from simulator.model.buy_time_tie_off_path import tie_off_path

STATE = 271
TOL = 1e-9


@pytest.fixture(scope="module")
def stage():
    return stored_stage("buy_time_tie_stage.npz", {}, periods=12, ceasefire=True, t=6)


@pytest.fixture(scope="module")
def solved(stage):
    sender, at = empty_plays(stage)
    left = tie_off_path(stage, np.array([STATE]), sender, at, rules.TOL)
    return sender, at, left


def test_the_lattice_and_edge_search_leaves_the_state(stage):
    sender, at = empty_plays(stage)
    assert pooling_off_path(stage, np.array([STATE]), sender, at, rules.TOL).tolist() == [STATE]


def test_every_type_fights_and_ukraine_mixes_at_a_tie_after_talks(stage, solved):
    sender, at, left = solved
    assert left.size == 0
    present = stage.mu[STATE] > 0
    assert present.tolist() == [True, False, True, True]
    assert np.all(sender[STATE, present, 0] == 1.0)
    profile, profile2 = at["profile"][STATE, 1], at["profile2"][STATE, 1]
    replies = {int(at["reply"][STATE, 1]), int(at["reply2"][STATE, 1])}
    assert profile == profile2 and replies == {SIGN, FIGHT_ON}
    assert 0 < at["lottery"][STATE, 1] < 1
    assert not at["receivers_mix"][STATE].any()


def test_every_incentive_holds_recomputed_from_the_stage(stage, solved):
    """At the belief after talks Ukraine is indifferent between its two replies and prefers
    both to a ceasefire; each government keeps its stance under either reply; no type gains by
    talking under the lottery; the certificate's test of the receivers agrees."""
    sender, at, _ = solved
    pi = at["belief"][STATE, 1][None]
    assert pi.sum() == pytest.approx(1.0) and pi[0, 1] == 0.0
    game = receivers_game(stage, np.array([STATE]), pi, 1)
    profile = int(at["profile"][STATE, 1])
    u = game["u"][0, profile]
    assert abs(u[SIGN] - u[FIGHT_ON]) <= TOL
    assert u[CEASEFIRE] <= max(u[SIGN], u[FIGHT_ON]) + TOL
    for reply in (SIGN, FIGHT_ON):
        assert play_margin(game, np.array([profile]), np.array([reply]))[0] >= -TOL
    assert receivers_regret(stage, np.array([STATE]), at)[0] <= TOL
    values = at["russia"][STATE, :, :, 0]  # (messages, types): the lottery's values
    for k in np.flatnonzero(stage.mu[STATE] > 0):
        assert values[1, k] <= values[0, k] + TOL


def test_the_governments_margins_alone_are_at_least_the_plays():
    rng = np.random.default_rng(3)
    game = {"u": rng.normal(size=(5, 16, 3)), "g": rng.normal(size=(5, 16, 3, 4))}
    full, governments = play_margins(game), play_margins(game, ukraine=False)
    assert np.all(governments >= full)
    # where Ukraine's reply is its strict best, the play's margin is the smaller of the two
    own = full == governments
    assert own.any() and (~own).any()


def test_deterring_weights_is_empty_when_no_lottery_deters_both_types():
    a = np.array([[1.0, 0.0, 0.0, 0.0]])
    b = np.array([[0.0, 1.0, 0.0, 0.0]])
    present = np.array([[True, True, False, False]])
    _, _, ok = deterring_weights(a, b, np.full((1, 4), 0.4), present)
    assert not ok[0]
    lo, hi, ok = deterring_weights(a, b, np.full((1, 4), 0.6), present)
    assert ok[0] and lo[0] == pytest.approx(0.4) and hi[0] == pytest.approx(0.6)
