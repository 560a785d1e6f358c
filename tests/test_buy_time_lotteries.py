"""The buy-time game's search for mixed equilibria with lotteries over any of the receivers'
equilibria (``simulator/model/buy_time_lotteries.py``).

At the baseline's values with the ceasefire option some stages have no equilibrium in which
the receivers play their selected play: as the posterior after talks moves, the selected play
jumps (Ukraine's reply to the governments' profile switches, or the governments' profile
does), and the types' gains jump with it. The search plays a lottery between two equilibria of
the receivers' game, one held where it stops being one. The tests solve the last periods of
the baseline's 12-period game only (a few seconds) and check every incentive at what the
search records.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

from simulator.model import buy_time_cascade as cascade
from simulator.model import buy_time_game as game
from simulator.model import buy_time_lotteries as lotteries
from simulator.model import buy_time_lottery_plays as lottery_plays
from simulator.model import rules
from simulator.model.buy_time_setup import BuyTimeSettings, deal, setup, tabulate_flows
from simulator.scenario import load_scenario
from tests.stored_stages import empty_plays, perturbation, stored_stage

BASELINE = "scenarios/baseline_spring_2022.yaml"


@functools.lru_cache(maxsize=2)
def _late_stage(periods: int, down_to: int) -> tuple:
    """Backward induction of the baseline's game over ``periods`` down to period ``down_to``:
    that period's stage, its policy and the states the lottery search solved there."""
    sc = load_scenario(BASELINE)
    settings = BuyTimeSettings(periods=periods, ceasefire=sc.buy_time.ceasefire)
    s = setup(sc.model, sc.first_offer, settings)
    flows = tabulate_flows(s)
    values = np.zeros((settings.front_positions + 1, s.levels, s.beliefs.shape[0], 16))
    solved: list[int] = []
    original = cascade.lottery_mixed

    def recording(stage, still, *args):
        left = original(stage, still, *args)
        if stage.t == down_to:
            solved.extend(np.setdiff1d(still, left).tolist())
        return left

    cascade.lottery_mixed = recording
    try:
        for t in range(periods - 1, down_to - 1, -1):
            stage = game._Stage(s, flows, t, values, deal(s, t, False), deal(s, t, True))
            policy, values, gain, span = stage.solve()
    finally:
        cascade.lottery_mixed = original
    return stage, policy, solved, float(rules.TOL * max(1.0, span))


def test_a_signed_margin_is_zero_where_ukraine_ties_off_the_path():
    """A play's margin as an equilibrium of the receivers' game: Ukraine's margin of its
    reply, and a government's deviation answered by a best reply of Ukraine's at the profile
    it reaches (at Ukraine's tie there, the reply that deters it)."""
    u = np.full((1, 2, 3), -np.inf)
    g = np.zeros((1, 2, 3, 1))
    # profile 0 (the play): Ukraine signs (margin 0.25 over fighting on)
    u[0, 0, [0, 2]] = [1.0, 0.75]
    g[0, 0, 0, 0] = 0.5
    # profile 1 (the government's deviation): Ukraine ties between signing and fighting on;
    # signing would reward the deviation (0.75 > 0.5), fighting on deters it (0.25 < 0.5)
    u[0, 1, [0, 2]] = [0.5, 0.5]
    g[0, 1, [0, 2], 0] = [0.75, 0.25]
    margin = lottery_plays.play_margin({"u": u, "g": g}, np.array([0]), np.array([0]))
    assert margin[0] == pytest.approx(0.0)  # held by the tie: on the boundary
    u[0, 1, 2] = 0.4  # Ukraine would strictly sign: the deviation pays 0.25
    assert lottery_plays.play_margin({"u": u, "g": g}, np.array([0]), np.array([0]))[
        0
    ] == pytest.approx(-0.1)
    assert lottery_plays.play_margins({"u": u, "g": g})[0, 0, 0] == pytest.approx(-0.1)


def test_lotteries_solve_the_baselines_late_stages():
    """Period 10 of the baseline's 12-period game: two states have no equilibrium with the
    receivers' selected play; with a lottery between two of their equilibria after talks,
    both are solved, and every incentive holds at the recorded play: each present type's
    (the certificate's gain), each government's and Ukraine's at every play of the lottery,
    and the posteriors follow Bayes' rule."""
    stage, policy, solved, tol = _late_stage(12, 10)
    assert len(solved) >= 2
    assert not policy.unresolved.any()
    for st in solved:
        assert policy.gain[st] <= tol
        assert policy.mixed[st]
        mu = stage.mu[st]
        for m in (0, 1):
            joint = mu * policy.sender[st, :, m]
            np.testing.assert_allclose(policy.belief[st, m], joint / joint.sum(), atol=1e-9)
            receivers = lottery_plays.receivers_game(
                stage, np.array([st]), policy.belief[st, m][None], m
            )
            weights = (1 - policy.lottery[st, m], policy.lottery[st, m])
            for j in (0, 1):
                if weights[j] == 0:
                    continue
                profile = policy.profile[st, m, j : j + 1].astype(np.int64)
                reply = policy.reply[st, m, j : j + 1].astype(np.int64)
                assert lottery_plays.play_margin(receivers, profile, reply)[0] >= -tol
        assert (policy.lottery[st] > 0).any()


def test_newton_survives_a_residual_undefined_beside_the_point():
    """A forward-difference step that leaves the set where the residual is defined (here: the
    second unknown moved up) gives an infinite residual; the step's Jacobian column is then
    read as 0 rather than breaking the linear solve (it raised 'SVD did not converge' on a
    random regime: capability 0.93, sanctions 0.16, premium 0.92, prior 0.12, 6 periods)."""
    target = np.array([0.3, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0])
    problem = lotteries._Support.__new__(lotteries._Support)
    # the third type's condition does not move with any unknown: the Jacobian is singular,
    # so the solve falls back to the pseudo-inverse, which an infinite entry would break
    problem.present = np.array([[True, True, True, False]])
    problem.lottery = np.zeros((1, 2), dtype=bool)
    problem.triple = np.zeros(1, dtype=bool)
    problem.state = np.array([0])

    def evaluate(rows, z, full=False):
        res = z - target
        res[:, 1] = np.where(z[:, 1] > 0.5 + 1e-9, np.inf, 0.0)  # undefined above 0.5
        res[:, 2] = 0.0
        size = np.abs(res).max(axis=1)
        # no lottery here: the types' rows do not move with the weights
        return {"res": res, "size": size, "weight_slope": np.zeros((z.shape[0], 4, 3))}

    problem.evaluate = evaluate
    problem.accept = lambda rows, ev, tol: (np.zeros(rows.size, dtype=bool), None)
    z, ev = problem.solve(np.array([[0.6, 0.5, 0, 0, 0, 0, 0]], dtype=float), 1e-12)
    assert z[0, 0] == pytest.approx(0.3)
    assert ev["size"][0] < 1e-12


def test_the_slope_in_the_lottery_weights_is_the_residuals_own():
    """Newton's method reads the Jacobian's columns in the lottery weights from the point's own
    evaluation (the types' gains are linear in them and they do not move the posteriors): they
    agree with forward differences of the residual."""
    from simulator.model.buy_time_lottery_starts import as_candidates

    stage, policy, solved, _ = _late_stage(12, 10)
    rows = []
    for st in solved:
        plays = [
            [(int(policy.profile[st, m, j]), int(policy.reply[st, m, j])) for j in (0, 1)]
            for m in (0, 1)
        ]
        lottery = [bool(policy.lottery[st, m] > 0) for m in (0, 1)]
        rows.append(
            {
                "state": st,
                "plays": plays,
                "lottery": lottery,
                "boundary": [-1, -1],
                "x": policy.sender[st, :, 1],
            }
        )
    problem = lotteries._Support(stage, as_candidates(rows))
    n = len(rows)
    z = np.zeros((n, 7))
    z[:, :4] = [r["x"] for r in rows]
    z[:, 4:6] = np.where(problem.lottery, 0.4, 0.0)
    base = problem.evaluate(np.arange(n), z)
    for j in (0, 1):
        if not problem.lottery[:, j].any():
            continue
        moved = z.copy()
        moved[:, 4 + j] += 1e-6
        ahead = problem.evaluate(np.arange(n), moved)
        difference = (ahead["res"][:, :4] - base["res"][:, :4]) / 1e-6
        on = problem.lottery[:, j]
        np.testing.assert_allclose(
            base["weight_slope"][on, :, j], difference[on], rtol=1e-5, atol=1e-6
        )
        assert np.abs(base["weight_slope"][on, :, j]).max() > 1e-3  # a slope there to check


def test_newton_refines_its_difference_step_near_a_root(monkeypatch):
    # A seeded perturbation of the baseline (6 periods, the ceasefire option), period 0 (its
    # values of period 1 stored in tests/data). At state 190 the best candidate, a lottery
    # after talks between two governments mixing and a pure play, stalls at a residual of
    # 1e-7 when the forward-difference step stays 1e-7 (largest gain 8.0e-9, above the
    # tolerance: the state was left unresolved); with the step shrinking as the residual
    # does it is solved, every player's gain far inside the tolerance.
    params = perturbation(
        1.154957182369426, 0.19412049266703224, 1.2033040256677252, 0.5336667759212074
    )
    stage = stored_stage("buy_time_fine_step_stage.npz", params, periods=6, ceasefire=True, t=0)
    state = np.array([190])

    def search(finest: float) -> tuple:
        monkeypatch.setattr(lotteries, "_FINEST_STEP", finest)
        sender, at = empty_plays(stage)
        closest = lotteries.Closest(sender, at)
        left = lotteries.lottery_mixed(stage, state, sender, at, 1e-9, closest)
        return left, sender, at, closest

    left, _, _, closest = search(lotteries._STEP)  # the step held at 1e-7
    assert left.tolist() == [190] and 1e-9 < closest.gain[190] < 1e-7
    left, sender, at, _ = search(1e-9)
    assert left.size == 0
    present = stage.mu > 0
    assert cascade.largest_gains(stage, state, sender, at, present)[0] < 1e-11
    assert 0.0 < at["lottery"][190, 1] < 1.0 and 0.0 < sender[190, :, 1].max() < 1.0
