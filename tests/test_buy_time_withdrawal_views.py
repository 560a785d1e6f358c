"""A stage with a verified withdrawal: an equilibrium found on a two-message view is kept
where some belief off the path deters the message left out, a restricted belief first and
otherwise a point of a finer lattice on the types present."""

from __future__ import annotations

import numpy as np

from simulator.model import rules
from simulator.model.buy_time_setup import restrict
from tests.stored_stages import WITHDRAWAL_OFFER, perturbation, stored_stage

# A seeded perturbation of withdrawal_reveals_weakness.yaml (6 periods, no ceasefire option),
# period 1; its values of period 2 are stored in tests/data. With the message left out
# deterred at the 15 restricted beliefs only, 7 of its states were left, at gains up to 0.13.
PARAMS = perturbation(
    1.0347369142973972, 0.3066960730485455, 0.6459420306212666, 0.39339928571907035
)


def test_the_message_left_out_may_be_deterred_at_a_lattice_belief():
    stage = stored_stage(
        "buy_time_withdrawal_lattice_stage.npz",
        PARAMS,
        periods=6,
        ceasefire=False,
        t=1,
        offer=WITHDRAWAL_OFFER,
    )
    policy, _, gain, span = stage.solve()
    assert not policy.unresolved.any() and gain <= rules.TOL * max(1.0, span)
    # The two sincere types alone: the strong one mixes between fighting and talking, the
    # weak one talks, and nobody withdraws; after a withdrawal the public would put 5/6 on
    # the weak sincere type, a belief no restricted set gives (at each of those some type
    # would withdraw).
    state = 327
    present = stage.mu[state] > 0
    assert present.tolist() == [True, True, False, False]
    sender = policy.sender[state]
    assert 0.0 < sender[0, 0] < 1.0 and sender[1, 1] == 1.0
    assert np.all(sender[present, 2] == 0.0)
    belief = policy.belief[state, 2]
    assert np.allclose(belief, [1 / 6, 5 / 6, 0.0, 0.0])
    assert not np.any(np.all(np.abs(restrict(stage.mu)[state] - belief) < 1e-12, axis=1))
    assert policy.gain[state] <= rules.TOL * max(1.0, span)
