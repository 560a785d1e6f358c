"""With a verified withdrawal, an equilibrium may need every message sent: the types mixing
over fighting, talks and the withdrawal (buy_time_three_messages)."""

from __future__ import annotations

import numpy as np

from simulator.model import rules
from simulator.model.buy_time_cascade import largest_gains
from simulator.model.buy_time_certificate import receivers_regret
from simulator.model.buy_time_lotteries import Closest
from simulator.model.buy_time_receivers import plays
from simulator.model.buy_time_three_messages import three_message_mixed
from simulator.model.buy_time_withdrawal import two_message_views
from tests.stored_stages import (
    WITHDRAWAL_SEED_4_DRAW_2,
    empty_plays,
    perturbation,
    withdrawal_stage,
)

# Draw 0 of the seeded perturbations of withdrawal_reveals_weakness.yaml (seed 3, 6 periods,
# the ceasefire option; docs/buy_time.md), period 0; its values of period 1 are stored in
# tests/data. At state 51 (the sincere weak and the staller strong types present, 0.5 each)
# no two-message view has an equilibrium: the play kept left a type a gain of 0.013.
PARAMS = perturbation(
    0.8513895002861747, 0.1947242026384399, 1.2019116978095954, 0.39108101803218387
)
STATE = 51


def _stage():
    return withdrawal_stage("buy_time_three_messages_stage.npz", PARAMS, ceasefire=True, t=0)


def test_both_types_mix_over_all_three_messages_and_no_one_gains():
    stage = _stage()
    sender, at = empty_plays(stage)
    left = three_message_mixed(stage, np.array([STATE]), sender, at, rules.TOL)
    assert left.size == 0
    present = stage.mu[STATE] > 0
    assert present.tolist() == [False, True, True, False]
    x = sender[STATE]
    assert np.all(x[present] > 0.01) and np.allclose(x[present].sum(axis=1), 1.0)
    assert np.all(x[~present] == 0.0)
    assert np.allclose(x[present, 2], [0.81, 0.27], atol=0.005)  # withdrawing (docs/buy_time.md)
    # Bayes' rule after each message, and each type's values read afresh from the stage's
    # receivers at those posteriors: every present type is indifferent among the three
    values = np.empty((4, 3))
    for m in range(3):
        joint = stage.mu[STATE] * x[:, m]
        assert np.allclose(at["belief"][STATE, m], joint / joint.sum(), atol=1e-15)
        play = plays(stage, np.array([STATE]), at["belief"][STATE, m][None], np.array([m]))
        values[:, m] = play["russia"][0, :, 0]
        assert play["gain"][0] <= rules.TOL  # the governments' play is an equilibrium
        assert at["profile"][STATE, m] == play["profile"][0]
        assert at["reply"][STATE, m] == play["reply"][0]
    assert np.ptp(values[present], axis=1).max() <= rules.TOL
    # the certificate's test of the receivers
    assert receivers_regret(stage, np.array([STATE]), at)[0] <= rules.TOL


def test_a_states_result_does_not_depend_on_the_states_searched_with_it():
    stage = _stage()
    alone, at_alone = empty_plays(stage)
    three_message_mixed(stage, np.array([STATE]), alone, at_alone, rules.TOL)
    together, at_together = empty_plays(stage)
    others = np.array([STATE - 1, STATE, STATE + 1, 340])
    three_message_mixed(stage, others, together, at_together, rules.TOL)
    assert np.array_equal(alone[STATE], together[STATE])
    for key, value in at_alone.items():
        assert np.array_equal(value[STATE], at_together[key][STATE]), key


def test_a_stage_with_two_messages_is_left_to_the_other_searches():
    # the same stage seen with fighting and talks alone (the withdrawal unavailable)
    stage = two_message_views(_stage())[0].stage
    sender, at = empty_plays(stage)
    states = np.array([STATE - 1, STATE, STATE + 1])
    assert np.array_equal(three_message_mixed(stage, states, sender, at, rules.TOL), states)
    assert not sender.any()


def test_the_stage_solves_every_state_with_it_and_certifies_the_period():
    # The cascade runs it where every two-message search has failed: the period is certified
    # (before, state 51 kept the play closest to an equilibrium, a gain of 0.013).
    stage = _stage()
    policy, _, gain, span = stage.solve()
    assert not policy.unresolved.any() and gain <= rules.TOL * max(1.0, span)
    assert policy.mixed[STATE] and np.all(policy.sender[STATE, 1:3] > 0.01)


def test_where_it_finds_none_it_records_its_closest_point_by_the_certificates_measure():
    # Seed 4's draw 2, period 0 (as in tests/test_buy_time_withdrawal_views.py): at states 196 and
    # 205 no search finds an equilibrium. The play the stage kept there left a type a gain of
    # 0.044 and 0.069; this search's closest points, sending every message, leave 4.2e-3 and
    # 3.6e-3, measured as the certificate measures them.
    stage = withdrawal_stage(
        "buy_time_switch_deterrence_stage.npz", WITHDRAWAL_SEED_4_DRAW_2, ceasefire=False, t=0
    )
    states = np.array([196, 205])
    sender, at = empty_plays(stage)
    record = Closest(sender, at)
    left = three_message_mixed(stage, states, sender, at, rules.TOL, record)
    assert np.array_equal(left, states) and not sender[states].any()  # nothing solved
    assert np.all(record.gain[states] < 5e-3)
    kept = largest_gains(stage, states, record.sender, record.at, stage.mu > 0)
    assert np.allclose(kept, record.gain[states], rtol=0, atol=1e-12)
    others = np.setdiff1d(np.arange(stage.front.size), states)
    assert np.all(np.isinf(record.gain[others]))
