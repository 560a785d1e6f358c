"""Two Western governments mixing in the buy-time game's receivers' game
(``simulator/model/buy_time_government_mixing.py``), as the lottery search uses it, the
certificate checks it and the forward pass plays it.

At some posteriors the receivers' game has no equilibrium in pure stances; two governments
then mix, each indifferent given the other's probability. The stage used here is period 1 of
the baseline with capability 1.02, sanctions cost 0.34, status premium 0.09 and prior of
sincerity 0.29, over 8 periods with the ceasefire option, at the state (front 2, regroup level
1) where the weak sincere type (0.29) and the strong staller (0.71) remain: no equilibrium was
found there until the receivers could play a lottery between Ukraine signing and a play in
which the US and Poland mix. ``tests/data/buy_time_governments_mix_stage.npz`` holds the values
of period 2 onward (solved by this project's own code from those parameters; 14 KB).
"""

from __future__ import annotations

import numpy as np
import pytest
from stored_stages import empty_plays, stored_stage

from simulator.model import buy_time_game as game
from simulator.model import buy_time_lotteries as lotteries
from simulator.model import rules
from simulator.model.buy_time_certificate import receivers_regret
from simulator.model.buy_time_government_mixing import combos, mixed_plays
from simulator.model.buy_time_play import play
from simulator.model.buy_time_setup import (
    CEASEFIRE,
    FIGHT_ON,
    SIGN,
    BuyTimeSettings,
)
from simulator.scenario import load_scenario

STATE = 240
PARAMS = {
    "russia.capability": 1.02,
    "russia.sanctions_cost": 0.34,
    "russia.great_power_status": 0.09,
    "russia.prior_sincere": 0.29,
}
TOL = 1e-9


def test_combos_name_two_mixers_and_the_others_stances():
    assert combos(2) == ((0, 1, 0),)
    table = combos(3)
    assert len(table) == 3 * 2  # three pairs, the third government holding or easing
    for a, b, p0 in table:
        assert a < b and not p0 & ((1 << a) | (1 << b))


def test_mixed_play_of_a_game_without_a_pure_equilibrium():
    """Two governments and a Ukraine that signs only when both set their bits. Government 0
    wants its bit set only if Ukraine signs, government 1 wants its bit set only if Ukraine
    does not sign: no pure profile is an equilibrium; the closed-form probabilities make each
    indifferent and the margin is positive."""
    u = np.full((1, 4, 3), -np.inf)
    u[0, :, FIGHT_ON] = 0.0
    u[0, :, SIGN] = [-1.0, -1.0, -1.0, 1.0]  # Ukraine signs at profile 3 only
    g = np.zeros((1, 4, 3, 2))
    # government 0 (bit 1): +1 for its bit when Ukraine then signs, -1 when it fights on
    g[0, 1, FIGHT_ON, 0] = -1.0
    g[0, 3, SIGN, 0] = 1.0
    # government 1 (bit 2): its bit pays 0.5 unless Ukraine signs, where it costs 1
    g[0, 2, FIGHT_ON, 1] = 0.5
    g[0, 3, SIGN, 1] = -1.0
    play_ = mixed_plays(u, g, np.array([0]))
    s_a = play_["weight"][0, 1] + play_["weight"][0, 3]
    s_b = play_["weight"][0, 2] + play_["weight"][0, 3]
    # government 0 indifferent: s_b * 1 + (1 - s_b) * (-1) = 0; government 1: s_a * (-1 - 0)
    # + (1 - s_a) * (0.5 - 0) = 0
    assert s_b == pytest.approx(0.5)
    assert s_a == pytest.approx(1 / 3)
    assert play_["reply"][0].tolist() == [FIGHT_ON, FIGHT_ON, FIGHT_ON, SIGN]
    assert play_["margin"][0] > 0
    np.testing.assert_allclose(play_["weight"][0].sum(), 1.0)


@pytest.fixture(scope="module")
def solved():
    stage = stored_stage(
        "buy_time_governments_mix_stage.npz", PARAMS, periods=8, ceasefire=True, t=1
    )
    sender, at = empty_plays(stage)
    left = lotteries.lottery_mixed(stage, np.array([STATE]), sender, at, rules.TOL)
    return stage, sender, at, left


def _mixed(at):
    j = int(np.flatnonzero(at["receivers_mix"][STATE, 1])[0])
    return (
        j,
        at["mixed_profile"][STATE, 1, j],
        at["mixed_reply"][STATE, 1, j],
        at["mixed_weight"][STATE, 1, j],
    )


def test_the_stage_is_solved_with_two_governments_mixing_after_talks(solved):
    stage, sender, at, left = solved
    np.testing.assert_allclose(stage.mu[STATE], [0.0, 0.29, 0.71, 0.0], atol=1e-12)
    assert left.size == 0
    assert at["receivers_mix"][STATE, 1].any()
    assert not at["receivers_mix"][STATE, 0].any()
    j, profile, reply, weight = _mixed(at)
    # a lottery between the mixed play and a pure one
    lottery = at["lottery"][STATE, 1]
    assert 0 < lottery < 1
    # the weights are the product of two governments' independent probabilities
    s_a, s_b = weight[1] + weight[3], weight[2] + weight[3]
    np.testing.assert_allclose(
        weight, [(1 - s_a) * (1 - s_b), s_a * (1 - s_b), (1 - s_a) * s_b, s_a * s_b], atol=1e-12
    )
    assert 0 < s_a < 1 and 0 < s_b < 1
    # the types: each present type's values after the two messages, and Bayes' rule
    mu = stage.mu[STATE]
    values = at["russia"][STATE, :, :, 0]
    for k in np.flatnonzero(mu > 0):
        best = values[:, k].max()
        for m in (0, 1):
            if sender[STATE, k, m] > 0:
                assert values[m, k] >= best - TOL
    for m in (0, 1):
        joint = mu * sender[STATE, :, m]
        np.testing.assert_allclose(at["belief"][STATE, m], joint / joint.sum(), atol=1e-12)


def test_every_receiver_best_replies_within_the_mixed_play(solved):
    """Recomputed from the stage's payoffs, independently of the certificate: Ukraine's reply
    is a best reply at each profile that occurs; the two mixing governments are indifferent
    given the other's probability; the others gain nothing in expectation by flipping (the
    deviation answered by Ukraine's best reply least good for the deviator)."""
    stage, _, at, _ = solved
    _, profile, reply, weight = _mixed(at)
    pi = at["belief"][STATE, 1][None]
    options = stage._options(np.array([STATE]), pi, False)
    exp_u = stage.ukraine_expected(pi, options)[0]  # (P, 3)
    for p, r in zip(profile, reply):
        assert exp_u[p, r] >= exp_u[p].max() - TOL
    n = stage.s.stake.size
    pay = np.stack(
        [
            stage.government_payoffs(pi, 1, options, np.full((1, stage.P), k))[0]
            for k in (SIGN, CEASEFIRE, FIGHT_ON)
        ]
    )  # (3 replies, P, n)
    mixers = [i for i in range(n) if len({(p >> i) & 1 for p in profile}) == 2]
    assert len(mixers) == 2
    for i in range(n):
        value = sum(w * pay[r, p, i] for p, r, w in zip(profile, reply, weight))
        for stance in (0, 1):
            moved = [(p & ~(1 << i)) | (stance << i) for p in profile]
            dev = 0.0
            for q, w in zip(moved, weight):
                if q in profile.tolist():
                    dev += w * pay[reply[profile.tolist().index(q)], q, i]
                else:
                    best = [k for k in range(3) if exp_u[q, k] >= exp_u[q].max() - TOL]
                    dev += w * min(pay[k, q, i] for k in best)
            assert dev <= value + TOL
    assert receivers_regret(stage, np.array([STATE]), at)[0] <= TOL


def test_the_certificate_sees_a_mixed_play_out_of_equilibrium(solved):
    stage, _, at, _ = solved
    j, _, _, weight = _mixed(at)
    tampered = {key: value.copy() for key, value in at.items()}
    # move the second mixer's probability: the first is no longer indifferent
    s_a, s_b = weight[1] + weight[3], 0.9
    tampered["mixed_weight"][STATE, 1, j] = [
        (1 - s_a) * (1 - s_b),
        s_a * (1 - s_b),
        (1 - s_a) * s_b,
        s_a * s_b,
    ]
    assert receivers_regret(stage, np.array([STATE]), tampered)[0] > 1e-4


def test_the_forward_pass_draws_the_mixed_profiles_with_their_weights():
    """A two-period game whose first-period play after talks is replaced by a mixed play of
    four profiles: the profiles the runs meet follow its weights."""
    sc = load_scenario("scenarios/baseline_spring_2022.yaml")  # four governments
    eq = game.buy_time_equilibrium(sc.model, sc.first_offer, BuyTimeSettings(periods=2))
    pol = eq.policies[0]
    pol.sender[:] = 0.0
    pol.sender[:, :, 1] = 1.0  # every type talks
    pol.lottery[:] = 0.0
    pol.receivers_mix[:, 1, 0] = True
    pol.mixed_profile[:, 1, 0] = [0, 1, 2, 3]
    pol.mixed_reply[:, 1, 0] = FIGHT_ON
    weight = np.array([0.4, 0.3, 0.2, 0.1])
    pol.mixed_weight[:, 1, 0] = weight
    out = play(eq, runs=20_000, seed=3)
    pressure = eq.setup.tables.pressure[0][[0, 1, 2, 3]]
    assert np.ptp(pressure) > 0.05  # the profiles differ in the cohesion they leave
    # each run's cohesion after period 0 is the pressure of the profile it met
    mean = out.overall["cohesion"][0, 1]
    spread = np.sqrt(weight @ (pressure - weight @ pressure) ** 2 / (4 * 20_000))
    assert mean == pytest.approx(weight @ pressure, abs=5 * spread)
    assert abs(mean - pressure[0]) > 10 * spread  # not the first profile alone


def test_ukraine_mixing_at_one_profile_is_checked_in_expectation():
    """A play in which Ukraine mixes among its three replies at one profile: the government
    is held to its expected payoff over Ukraine's mixture (0.5 x 1 + 0.3 x 0 + 0.2 x -1 =
    0.3), not to the best of the replies, and gains only where flipping pays more."""
    from simulator.model.buy_time_certificate import mixed_gain

    regret = np.zeros((1, 2, 3))
    regret[0, 1, [SIGN, CEASEFIRE]] = 1.0  # after a flip Ukraine fights on
    payoff = np.zeros((3, 1, 2, 1))
    payoff[[SIGN, CEASEFIRE, FIGHT_ON], 0, 0, 0] = [1.0, 0.0, -1.0]
    payoff[FIGHT_ON, 0, 1, 0] = 0.2
    profile = np.zeros((1, 4), dtype=np.int64)
    reply = np.array([[SIGN, CEASEFIRE, FIGHT_ON, FIGHT_ON]])
    weight = np.array([[0.5, 0.3, 0.2, 0.0]])
    tie = np.array([1e-12])
    assert mixed_gain(regret, payoff, profile, reply, weight, tie)[0] == 0.0
    payoff[FIGHT_ON, 0, 1, 0] = 0.4  # flipping now pays 0.1 more than the mixture
    assert mixed_gain(regret, payoff, profile, reply, weight, tie)[0] == pytest.approx(0.1)
