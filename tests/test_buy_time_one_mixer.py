"""One type mixing while the receivers play any of their equilibria, or a lottery between two
where one stops being an equilibrium and the other starts
(``simulator/model/buy_time_one_mixer.py``).

With strong sanctions and full relief (``COMPROMISE`` of ``test_buy_time.py``: capability
1.2, sanctions cost 0.5) over four periods with the ceasefire option, in period 1 at one state
only the weak sincere type and the weak staller remain (0.5 each). The weak sincere type talks;
the weak staller must mix, and needs a value after talks between the two plays it meets there:
while few stallers talk, two governments mix (worth -0.058 to it), and from a staller share of about
0.0225 on, every government eases and Ukraine signs (-0.1). Fighting is worth -0.093 to it. The
two plays' sets of posteriors touch where Ukraine's reply to one government easing alone
switches, and there a lottery between them leaves the staller indifferent. No search that uses
the receivers' selected play finds it. ``tests/data/buy_time_one_mixer_stage.npz`` holds the
values of periods 2 and 3 (solved by this project's own code; 4 KB).
"""

from __future__ import annotations

import numpy as np
import pytest
from stored_stages import empty_plays, stored_stage

from simulator.model import rules
from simulator.model.buy_time_certificate import receivers_regret
from simulator.model.buy_time_one_mixer import _lines, one_mixer
from simulator.model.buy_time_receivers import posteriors

STATE = 341
TOL = 1e-9


@pytest.fixture(scope="module")
def stage():
    return stored_stage(
        "buy_time_one_mixer_stage.npz",
        {"russia.capability": 1.2, "russia.sanctions_cost": 0.5},
        periods=4,
        ceasefire=True,
        t=1,
        offer={"sanctions_relief": 1.0},
    )


@pytest.fixture(scope="module")
def solved(stage):
    sender, at = empty_plays(stage)
    left = one_mixer(stage, np.array([STATE]), sender, at, rules.TOL)
    return sender, at, left


def test_the_staller_mixes_and_talks_end_in_a_lottery_with_the_governments_mixing(stage, solved):
    sender, at, left = solved
    assert left.size == 0
    assert stage.mu[STATE].tolist() == [0.0, 0.5, 0.0, 0.5]
    x = sender[STATE, :, 1]
    assert x[1] == 1.0 and 0.0 < x[3] < 0.1
    assert 0.0 < at["lottery"][STATE, 1] < 1.0
    # one of the talks' two plays is two governments mixing, the other a pure play
    assert at["receivers_mix"][STATE, 1].tolist().count(True) == 1
    assert not at["receivers_mix"][STATE, 0].any()


def test_every_incentive_holds_recomputed_from_the_stage(stage, solved):
    sender, at, _ = solved
    fight, talk = posteriors(stage.mu[STATE][None], sender[STATE, :, 1][None])
    np.testing.assert_allclose(at["belief"][STATE, 0], fight[0], atol=1e-15)
    np.testing.assert_allclose(at["belief"][STATE, 1], talk[0], atol=1e-15)
    values = at["russia"][STATE, :, :, 0]  # (messages, types)
    assert abs(values[1, 3] - values[0, 3]) <= TOL  # the staller is indifferent
    assert values[1, 1] >= values[0, 1] - TOL  # the sincere type talks
    assert receivers_regret(stage, np.array([STATE]), at)[0] <= TOL


def test_every_type_mixes_in_turn_beside_each_choice_of_the_others(stage):
    lines = _lines(stage, np.array([STATE]))
    assert lines["state"].size == 2 * 2  # two present types, the other fights or talks
    assert set(lines["mixer"].tolist()) == {1, 3}
    assert np.all(lines["base"][:, [0, 2]] == 0)
