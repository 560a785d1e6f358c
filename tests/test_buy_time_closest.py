"""A state where no search finds an exact equilibrium keeps the play closest to one, or the
pooling limit of that play where it is exact."""

from __future__ import annotations

import numpy as np

from simulator.model import buy_time_cascade, buy_time_lotteries, buy_time_pooling_limit, rules
from simulator.model import buy_time_lottery_plays as lottery_plays
from simulator.model.buy_time_cascade import largest_gains
from simulator.model.buy_time_government_mixing import combos
from simulator.model.buy_time_lotteries import Closest
from simulator.model.buy_time_receivers import record_play
from simulator.model.buy_time_three_messages import three_message_mixed
from tests.buy_time_games import one_government_withdrawal
from tests.stored_stages import empty_plays, perturbation, stored_stage, withdrawal_stage

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


def test_a_point_near_pooling_gives_an_exact_equilibrium_at_its_limit(monkeypatch):
    # No search finds an equilibrium at state 196: each type's best reply in turn leaves a
    # gain above 0.1, the lottery search's closest point 1.6e-5 (every present type talks
    # with a probability of 1e-5 or less). Its limit is exact: every type fights, and talks,
    # off the path, meet a lottery between two plays of the receivers at a belief where both
    # are equilibria of their game.
    before = {}
    closest = buy_time_cascade.keep_closest

    def measured(stage, states, sender, at, alternatives, present, tol):
        before.update(zip(states.tolist(), largest_gains(stage, states, sender, at, present)))
        for alternative in alternatives:
            before[("closest", *states.tolist())] = alternative.gain[states].min()
        return closest(stage, states, sender, at, alternatives, present, tol)

    monkeypatch.setattr(buy_time_cascade, "keep_closest", measured)
    stage = _stage()
    policy, _, gain, span = stage.solve()
    state = 196
    assert before[state] > 0.1 and 1e-6 < before[("closest", state)] < 1e-4
    # solved: counted as such, its gain within the tolerance, every present type fighting
    assert not policy.unresolved.any() and policy.gain[state] <= rules.TOL * max(1.0, span)
    assert not policy.mixed[state]  # a pooling equilibrium, not a semi-separating one
    assert gain == policy.gain.max()
    present = stage.mu[state] > 0
    assert np.all(policy.sender[state, present, 0] == 1.0)
    # after talks a lottery between two plays, at a belief where both are equilibria
    assert 0.0 < policy.lottery[state, 1] < 1.0
    assert tuple(policy.profile[state, 1]) != (policy.profile[state, 1, 0],) * 2
    at = {
        "profile": policy.profile[..., 0],
        "reply": policy.reply[..., 0],
        "profile2": policy.profile[..., 1],
        "reply2": policy.reply[..., 1],
        "receivers_mix": policy.receivers_mix,
        "mixed_profile": policy.mixed_profile,
    }
    margins = buy_time_pooling_limit._margins(stage, state, policy.belief[state, 1], at)
    assert np.all(margins >= -1e-12)


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


def _withdrawal_views_stage():
    return stored_stage(
        "buy_time_withdrawal_views_stage.npz",
        {},
        periods=4,
        ceasefire=True,
        t=1,
        scenario=one_government_withdrawal(capability=0.7),
    )


def test_with_a_withdrawal_the_closest_points_of_the_views_are_kept_with_the_third_message(
    monkeypatch,
):
    # Period 1 of 4 (ceasefire option on; the values of period 2 stored in tests/data) has
    # three states without an equilibrium. Without the three-message search: at two of them
    # the pure fallback leaves a type a gain of 0.63; the lottery search on the view with talks
    # reaches points where, with the withdrawal unsent and played off the path at the
    # restricted belief that deters it best, no one gains more than 0.07. At the third the
    # closest point is the view with talks and the withdrawal: fighting unsent, a gain of 0.27
    # (0.67 before that view was searched).
    monkeypatch.setattr(buy_time_cascade, "three_message_mixed", lambda stage, part, *_: part)
    policy = _withdrawal_views_stage().solve()[0]
    left = np.flatnonzero(policy.unresolved)
    assert left.size == 3
    gains = np.sort(policy.gain[left])
    assert np.all(gains[:2] < 0.08) and 0.2 < gains[2] < 0.3
    # the withdrawal is unsent where the view's point is kept
    kept = left[policy.gain[left] < 0.08]
    assert np.all(policy.sender[kept, :, 2] == 0.0)
    # and fighting where the third view's is
    third = left[policy.gain[left] > 0.2]
    assert np.all(policy.sender[third, :, 0] == 0.0)


def test_with_a_withdrawal_the_three_message_searchs_closest_points_are_closer_still():
    # The same three states: the three-message search finds no equilibrium there either, but
    # its closest points, every message sent, leave gains of 0.017 to 0.031 by the
    # certificate's measure, less than the views' above; the stage keeps them (the cascade
    # offers them to keep_closest beside the views' points).
    stage = _withdrawal_views_stage()
    states = np.array([282, 283, 284])
    sender, at = empty_plays(stage)
    record = Closest(sender, at)
    assert np.array_equal(three_message_mixed(stage, states, sender, at, rules.TOL, record), states)
    gains = largest_gains(stage, states, record.sender, record.at, stage.mu > 0)
    assert np.allclose(gains, record.gain[states], rtol=0, atol=1e-12)
    assert np.all(gains < 0.035)
    present = stage.mu[states] > 0
    assert np.any(present[:, :, None] & (record.sender[states] > 0), axis=1).all()


def test_the_limit_is_tried_however_often_the_closest_point_talks(monkeypatch):
    # The baseline over 12 periods, period 1 (its values of period 2 stored in tests/data):
    # at state 273 the closest point the searches reach has the present types talking with
    # probabilities of 4e-3 to 6e-3 and a largest gain of 9e-6; its pooling limit is an
    # exact equilibrium, so the state is solved (it was left when only points talking with
    # probability at most 1e-3 were taken to their limit).
    talk = {}
    closest = buy_time_cascade.keep_closest

    def measured(stage, states, sender, at, alternatives, present, tol):
        for alternative in alternatives:
            talk.update({s_: alternative.sender[s_, :, 1].copy() for s_ in states.tolist()})
        return closest(stage, states, sender, at, alternatives, present, tol)

    monkeypatch.setattr(buy_time_cascade, "keep_closest", measured)
    stage = stored_stage("buy_time_pooling_limit_stage.npz", {}, periods=12, ceasefire=True, t=1)
    policy, _, gain, span = stage.solve()
    state = 273
    present = stage.mu[state] > 0
    assert 1e-3 < talk[state][present].max() < 1e-2
    assert not policy.unresolved.any() and gain <= rules.TOL * max(1.0, span)
    assert np.all(policy.sender[state, present, 0] == 1.0) and not policy.mixed[state]
    assert 0.0 < policy.lottery[state, 1] < 1.0


def test_with_a_withdrawal_a_views_point_is_taken_to_its_pooling_limit():
    # A seeded perturbation of withdrawal_reveals_weakness.yaml (6 periods, the ceasefire
    # option), period 2 (its values of period 3 stored in tests/data). At state 199 the
    # lottery search on the views leaves points near pooling on fighting; the view's point,
    # its talks deterred at the best of the restricted beliefs, kept a gain of 6.8e-9 (above
    # the tolerance of 1.4e-9). The pooling limit of a view's point is exact: every type
    # fights, and the other two messages are unsent.
    params = perturbation(
        1.0245463000870825, 0.13634108540170314, 0.9907501011418423, 0.5657319273706772
    )
    stage = withdrawal_stage("buy_time_withdrawal_limit_stage.npz", params, ceasefire=True, t=2)
    assert len(stage.s.messages) == 3
    policy, _, gain, span = stage.solve()
    state = 199
    assert not policy.unresolved.any() and gain <= rules.TOL * max(1.0, span)
    present = stage.mu[state] > 0
    assert np.all(policy.sender[state, present, 0] == 1.0)
    assert policy.gain[state] <= rules.TOL * max(1.0, span)


def test_the_limit_reads_back_a_play_where_two_governments_mix():
    # The lottery's plays are recorded as (profile, reply) pairs, a mixed play of two
    # governments by its four profiles; the pooling limit names each again by its code P + c
    # to evaluate it at other beliefs (in a seeded perturbation of withdrawal_reveals_weakness
    # .yaml, six states of period 1 whose closest points used such a play are solved by it).
    stage = _stage()
    state, P = 196, stage.P
    n = stage.s.tables.hold.shape[1]
    _, at = empty_plays(stage)
    game = lottery_plays.receivers_game(stage, np.array([state]), stage.mu[state][None], 1)
    for c in range(len(combos(n))):
        play = lottery_plays.play_payoffs(stage, 1, game, np.array([P + c]), np.array([0]))
        pure = lottery_plays.play_payoffs(stage, 1, game, np.array([3]), np.array([2]))
        record_play(at, state, 1, stage.mu[state], pure, 0, play, 0, 0.5)
        assert buy_time_pooling_limit._recorded(stage, state, 1, 0, at) == (3, 2)
        assert buy_time_pooling_limit._recorded(stage, state, 1, 1, at) == (P + c, 0)
