"""Leader survival (Goemans 2000; Downs & Rocke 1994): the fight-on threshold and gambling."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from simulator.model import NegotiationModel, Offer
from simulator.model.published.leader_survival import (
    fight_threshold,
    gambles_for_resurrection,
    leader_decision,
    leader_decision_from_model,
    outcome_utility,
)

FAST = settings(max_examples=60, deadline=None)

probability = st.floats(0.0, 1.0)
stake = st.floats(0.0, 10.0)
policy = st.floats(-2.0, 2.0)


@st.composite
def leaders(draw: st.DrawFn) -> tuple[float, ...]:
    """(office, punishment, r_settle, r_win, r_lose, pi_settle, pi_win, pi_lose) with
    winning at least as good as losing."""
    office, punishment = draw(stake), draw(stake)
    r_win = draw(probability)
    r_lose = draw(st.floats(r_win, 1.0))
    pi_lose = draw(policy)
    pi_win = draw(st.floats(pi_lose, 3.0))
    return office, punishment, draw(probability), r_win, r_lose, draw(policy), pi_win, pi_lose


def brute_force_threshold(params: tuple[float, ...], grid: np.ndarray) -> float:
    """The smallest grid value of p at which fighting is at least as good as settling."""
    o, k, r_s, r_w, r_l, pi_s, pi_w, pi_l = params

    def u(r: float, pi: float) -> float:
        return o * (1 - r) - k * r + pi

    fight = grid * u(r_w, pi_w) + (1 - grid) * u(r_l, pi_l)
    fights = fight >= u(r_s, pi_s) - 1e-12
    return float(grid[np.argmax(fights)]) if fights.any() else math.inf


class TestClosedForm:
    def test_default_leader(self) -> None:
        # Leader() defaults: O = 1, K = 2, removal 0.3 / 0.05 / 0.6.
        assert outcome_utility(1.0, 2.0, [0.3, 0.05, 0.6]).tolist() == pytest.approx(
            [0.1, 0.85, -0.8]
        )
        assert fight_threshold(1.0, 2.0, 0.3, 0.05, 0.6) == pytest.approx(0.9 / 1.65)
        assert not leader_decision(0.5, 1.0, 2.0, 0.3, 0.05, 0.6).fights
        assert leader_decision(0.55, 1.0, 2.0, 0.3, 0.05, 0.6).fights

    @FAST
    @given(params=leaders())
    def test_threshold_against_grid_search(self, params: tuple[float, ...]) -> None:
        grid = np.linspace(0.0, 1.0, 20001)
        closed = fight_threshold(*params)
        brute = brute_force_threshold(params, grid)
        if math.isinf(closed):
            assert math.isinf(brute)
        else:
            assert 0.0 <= closed <= 1.0
            assert brute == pytest.approx(closed, abs=1e-4 + 1e-9)

    @FAST
    @given(params=leaders(), p=probability)
    def test_decision_agrees_with_expected_utilities(
        self, params: tuple[float, ...], p: float
    ) -> None:
        d = leader_decision(p, *params)
        assume(abs(d.utility_fight - d.utility_settle) > 1e-9)
        assert d.fights == (d.utility_fight > d.utility_settle)

    def test_never_fights_when_settling_beats_victory(self) -> None:
        # A generous settlement policy payoff beats even certain victory.
        assert fight_threshold(1.0, 2.0, 0.3, 0.05, 0.6, policy_settle=2.0) == math.inf
        assert not leader_decision(1.0, 1.0, 2.0, 0.3, 0.05, 0.6, policy_settle=2.0).fights

    def test_vectorised(self) -> None:
        r_settle = np.array([0.1, 0.3, 0.6])
        assert fight_threshold(1.0, 2.0, r_settle, 0.05, 0.6) == pytest.approx(
            [fight_threshold(1.0, 2.0, r, 0.05, 0.6) for r in r_settle]
        )

    @pytest.mark.parametrize(
        "args, match",
        [
            ((1.0, 2.0, 1.3, 0.05, 0.6), "removal_settle"),
            ((-1.0, 2.0, 0.3, 0.05, 0.6), "office_value"),
            ((1.0, 2.0, 0.3, 0.7, 0.6), "at least as good"),
        ],
    )
    def test_invalid_arguments(self, args: tuple[float, ...], match: str) -> None:
        with pytest.raises(ValueError, match=match):
            fight_threshold(*args)
        with pytest.raises(ValueError, match="win_probability"):
            leader_decision(1.5, 1.0, 2.0, 0.3, 0.05, 0.6)


class TestGamblingForResurrection:
    def test_punished_for_settling_as_for_losing(self) -> None:
        assert gambles_for_resurrection(1.0, 2.0, 0.6, 0.05, 0.6)
        assert fight_threshold(1.0, 2.0, 0.6, 0.05, 0.6) == 0.0
        assert leader_decision(1e-6, 1.0, 2.0, 0.6, 0.05, 0.6).fights

    @FAST
    @given(params=leaders(), p=st.floats(1e-6, 1.0))
    def test_fights_at_any_positive_chance_when_settling_is_as_bad_as_losing(
        self, params: tuple[float, ...], p: float
    ) -> None:
        o, k, _r_s, r_w, r_l, _pi_s, pi_w, pi_l = params
        assume(o + k > 0 and (r_w < r_l or pi_w > pi_l))
        # Settling removes him as surely as defeat and brings no better policy.
        gambler = (o, k, r_l, r_w, r_l, pi_l, pi_w, pi_l)
        assert gambles_for_resurrection(*gambler)
        assert fight_threshold(*gambler) == 0.0
        assert leader_decision(p, *gambler).fights

    @FAST
    @given(params=leaders())
    def test_threshold_vanishes_as_settlement_punishment_approaches_defeat(
        self, params: tuple[float, ...]
    ) -> None:
        o, k, _r_s, r_w, r_l, _pi_s, pi_w, pi_l = params
        assume((o + k) * (r_l - r_w) + pi_w - pi_l > 1e-3)
        # Equal policy payoffs for settling and losing; r_settle climbs towards r_lose.
        r_settle = r_l - np.array([0.5, 0.1, 0.01, 0.001, 0.0]) * r_l
        thresholds = fight_threshold(o, k, r_settle, r_w, r_l, pi_l, pi_w, pi_l)
        assert np.all(thresholds[1:] <= thresholds[:-1] + 1e-12)  # never rises (inf allowed)
        assert thresholds[-1] == 0.0

    @FAST
    @given(params=leaders(), bump=st.floats(1e-3, 0.5))
    def test_monotone_in_removal_and_policy(self, params: tuple[float, ...], bump: float) -> None:
        o, k, r_s, r_w, r_l, pi_s, pi_w, pi_l = params
        base = fight_threshold(*params)
        harsher = fight_threshold(o, k, min(r_s + bump, 1.0), r_w, r_l, pi_s, pi_w, pi_l)
        sweeter = fight_threshold(o, k, r_s, r_w, r_l, pi_s + bump, pi_w, pi_l)
        assert harsher <= base + 1e-12  # harsher punishment for settling: fights sooner
        assert sweeter >= base - 1e-12  # a better settlement: fights later


class TestAdapter:
    def test_default_model_settles(self) -> None:
        d = leader_decision_from_model(NegotiationModel())
        assert d.win_probability == pytest.approx(0.5)
        assert d.fight_threshold == pytest.approx(0.9 / 1.65)
        assert not d.fights and not d.gambling_for_resurrection

    def test_offer_policy_payoffs(self) -> None:
        # Neutrality with EU membership (x = 0.6 > x_dom = 0.3): settle 0.4, win 1.4, lose -0.1.
        d = leader_decision_from_model(NegotiationModel(), Offer.neutrality_for_guarantees())
        assert d.utility_settle == pytest.approx(0.1 + 0.4)
        assert d.fight_threshold == pytest.approx((0.5 + 0.9) / (2.25 + 0.9))
        assert d.fights
        # Strict neutrality keeps Russia's sphere when the (step) threshold is at neutrality,
        # x_dom = 0.3 (the engine's default, 0.15, lies below it): settling is then better.
        at_neutrality = NegotiationModel().with_params(russia__dominance_threshold=0.3)
        strict = leader_decision_from_model(at_neutrality, Offer.strict_neutrality())
        assert strict.utility_settle == pytest.approx(0.1 + 0.7 + 0.5)
        assert not strict.fights

    def test_optimism_and_removal(self) -> None:
        optimist = NegotiationModel().with_params(russia__optimism=0.1)
        assert leader_decision_from_model(optimist).win_probability == pytest.approx(0.6)
        assert leader_decision_from_model(optimist).fights
        cornered = NegotiationModel().with_params(
            russia__leader__removal_if_settle=0.6, russia__capability=0.1
        )
        d = leader_decision_from_model(cornered)
        assert d.win_probability == pytest.approx(1 / 11)
        assert d.gambling_for_resurrection and d.fights
