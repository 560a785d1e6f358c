"""Cheap talk (Crawford & Sobel 1982) and costly signals of sincerity (Fearon 1997; Kydd 2005)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.integrate import quad
from scipy.optimize import brentq, minimize_scalar

from simulator.model import NegotiationModel, Offer
from simulator.model.published.cheap_talk import (
    cut_points,
    max_intervals,
    partition_equilibrium,
    receiver_expected_utility,
    sender_expected_utility,
)
from simulator.model.published.costly_signalling import (
    SincerityParameters,
    classify,
    relax_probability_after_step,
    relax_threshold,
    separating_exists,
    sincerity_parameters_from_model,
    sincerity_signalling_game,
    staller_mixing_probability,
    staller_regroup_advantage,
)
from simulator.solvers.signalling_pbe import perfect_bayesian_equilibria

FAST = settings(max_examples=40, deadline=None)
SOLVER = settings(max_examples=25, deadline=None)  # ~20 ms per signalling game

biases = st.floats(min_value=0.004, max_value=0.6)


# ====================================================================== cheap talk
class TestCheapTalkWorkedNumbers:
    def test_models_md_example(self) -> None:
        assert max_intervals(0.1) == 2
        assert cut_points(0.1, 2) == pytest.approx([0.0, 0.3, 1.0])
        assert receiver_expected_utility(0.1, 2) == pytest.approx(-37 / 1200)
        eq = partition_equilibrium(0.1)
        assert eq.intervals == 2
        assert eq.cut_points == pytest.approx((0.0, 0.3, 1.0))
        assert eq.actions == pytest.approx((0.15, 0.65))
        assert eq.receiver_utility == pytest.approx(-37 / 1200)
        assert eq.sender_utility == pytest.approx(-37 / 1200 - 0.01)

    def test_both_sign_conventions_agree(self) -> None:
        # models.md writes a_i = i/N - 2 b i (N - i); the standard form is i/N + 2 b i (i - N).
        b, n = 0.03, 4
        i = np.arange(n + 1)
        assert cut_points(b, n) == pytest.approx(i / n - 2 * b * i * (n - i))
        assert cut_points(b, n) == pytest.approx(i / n + 2 * b * i * (i - n))

    def test_babbling_only_from_a_quarter(self) -> None:
        # 2 b N (N - 1) < 1 fails for N = 2 once b >= 1/4.
        assert max_intervals([0.2499, 0.25, 0.4]).tolist() == [2, 1, 1]
        assert receiver_expected_utility(0.3, 1) == pytest.approx(-1 / 12)  # variance of U[0,1]

    def test_knife_edge_counts(self) -> None:
        # At b = 1/(2 N (N - 1)) the N-th interval is degenerate, so N* = N - 1.
        for n in (2, 3, 4, 6):
            b = 1.0 / (2 * n * (n - 1))
            assert max_intervals(b) == n - 1
            assert max_intervals(b * (1 - 1e-9)) == n

    def test_vectorised_over_bias(self) -> None:
        b = np.array([0.01, 0.02, 0.05])
        stacked = np.stack([cut_points(x, 3) for x in b])
        assert cut_points(b, 3) == pytest.approx(stacked)
        assert receiver_expected_utility(b, 3) == pytest.approx(
            [receiver_expected_utility(x, 3) for x in b]
        )
        assert max_intervals(b).tolist() == [max_intervals(x) for x in b]

    @pytest.mark.parametrize(
        "bias, intervals, match",
        [
            (0.0, 1, "bias"),
            (-0.1, 1, "bias"),
            (float("nan"), 1, "bias"),
            (0.1, 3, "at most N\\* = 2"),
            (0.1, 0, "at least 1"),
            (0.1, 1.5, "whole number"),
        ],
    )
    def test_invalid_arguments(self, bias: float, intervals: float, match: str) -> None:
        with pytest.raises(ValueError, match=match):
            cut_points(bias, intervals)  # type: ignore[arg-type]


def _shoot(b: float, n: int) -> np.ndarray:
    """Cut-points found without the closed form: pick a_1, run the arbitrage recursion
    a_{i+1} = 2 a_i - a_{i-1} + 4 b, and solve a_N(a_1) = 1 by bisection."""

    def cuts(a1: float) -> np.ndarray:
        a = [0.0, a1]
        for _ in range(n - 1):
            a.append(2 * a[-1] - a[-2] + 4 * b)
        return np.array(a)

    if n == 1:
        return np.array([0.0, 1.0])
    a1 = brentq(lambda x: cuts(x)[-1] - 1.0, -1.0, 1.0, xtol=1e-14)
    return cuts(a1)


class TestCheapTalkBruteForce:
    @FAST
    @given(b=biases, data=st.data())
    def test_arbitrage_and_utility_by_integration(self, b: float, data: st.DataObject) -> None:
        n = data.draw(st.integers(min_value=1, max_value=min(int(max_intervals(b)), 12)))
        a = cut_points(b, n)
        # The receiver's best reply in each interval, by numerical optimisation.
        actions = []
        for lo, hi in zip(a[:-1], a[1:]):
            loss = lambda y, lo=lo, hi=hi: quad(lambda t: (y - t) ** 2, lo, hi)[0]  # noqa: E731
            actions.append(minimize_scalar(loss, bounds=(lo, hi), method="bounded").x)
        actions = np.array(actions)
        assert actions == pytest.approx((a[:-1] + a[1:]) / 2, abs=1e-5)
        # Arbitrage: the sender at each inner cut is indifferent between the two actions.
        for i in range(1, n):
            left = -((actions[i - 1] - a[i] - b) ** 2)
            right = -((actions[i] - a[i] - b) ** 2)
            assert left == pytest.approx(right, abs=1e-5)
        # Expected utilities by numerical integration.
        mid = (a[:-1] + a[1:]) / 2
        receiver = sum(
            quad(lambda t, y=y: -((y - t) ** 2), lo, hi)[0] for y, lo, hi in zip(mid, a[:-1], a[1:])
        )
        sender = sum(
            quad(lambda t, y=y: -((y - t - b) ** 2), lo, hi)[0]
            for y, lo, hi in zip(mid, a[:-1], a[1:])
        )
        assert receiver_expected_utility(b, n) == pytest.approx(receiver, abs=1e-10)
        assert sender_expected_utility(b, n) == pytest.approx(sender, abs=1e-10)

    @FAST
    @given(b=biases)
    def test_closed_form_matches_shooting_and_n_star_is_largest(self, b: float) -> None:
        n_star = int(max_intervals(b))
        assume(n_star <= 30)
        for n in range(1, n_star + 1):
            assert cut_points(b, n) == pytest.approx(_shoot(b, n), abs=1e-9)
            assert np.all(np.diff(_shoot(b, n)) > 0)
        # One more interval makes the first one empty or negative: no such equilibrium.
        assert np.diff(_shoot(b, n_star + 1)).min() <= 1e-12

    @FAST
    @given(b=biases, data=st.data())
    def test_sender_best_replies_on_a_grid(self, b: float, data: st.DataObject) -> None:
        n = data.draw(st.integers(min_value=1, max_value=min(int(max_intervals(b)), 12)))
        a = cut_points(b, n)
        y = (a[:-1] + a[1:]) / 2
        theta = np.linspace(0, 1, 2001)
        chosen = np.argmax(-((y[None, :] - theta[:, None] - b) ** 2), axis=1)
        interval = np.clip(np.searchsorted(a, theta, side="right") - 1, 0, n - 1)
        # Away from the cut-points (where the sender is indifferent) it reports truthfully.
        away = np.min(np.abs(theta[:, None] - a[None, :]), axis=1) > 1e-9
        assert np.array_equal(chosen[away], interval[away])

    @FAST
    @given(lo=biases, step=st.floats(1e-4, 0.3), data=st.data())
    def test_more_intervals_and_less_bias_help_the_receiver(
        self, lo: float, step: float, data: st.DataObject
    ) -> None:
        hi = lo + step
        n = data.draw(st.integers(min_value=1, max_value=int(max_intervals(hi))))
        if n == 1:  # babbling: the bias does not matter
            assert receiver_expected_utility(lo, n) == receiver_expected_utility(hi, n)
        else:
            assert receiver_expected_utility(lo, n) > receiver_expected_utility(hi, n)
        utilities = receiver_expected_utility(lo, np.arange(1, int(max_intervals(lo)) + 1))
        assert np.all(np.diff(np.atleast_1d(utilities)) > 0)


# ====================================================================== costly signalling
def _solve(params: tuple[float, ...]):
    return perfect_bayesian_equilibria(sincerity_signalling_game(*params))


def _matches(e, eq) -> bool:
    """Whether solver equilibrium ``e`` has the outcome of the closed-form ``eq``."""
    steps = e.sender[:, 1]
    if not np.allclose(steps, [eq.sincere_step, eq.staller_step], atol=1e-7):
        return False
    for m, relax in ((0, eq.relax_after_words), (1, eq.relax_after_step)):
        if e.on_path[m] and abs(e.receiver[m, 1] - relax) > 1e-7:
            return False
    return True


params_strategy = st.tuples(
    st.floats(0.05, 0.95),  # prior_sincere
    st.floats(0.1, 2.0),  # w_S
    st.floats(0.1, 2.0),  # w_B
    st.floats(0.1, 2.0),  # gain_sincere
    st.floats(0.1, 2.0),  # gain_staller
    st.one_of(st.just(0.0), st.floats(0.0, 2.5)),  # cost_sincere
    st.one_of(st.just(0.0), st.floats(0.0, 2.5)),  # cost_staller
)


def _generic(params: tuple[float, ...]) -> bool:
    mu0, ws, wb, gs, gb, ks, kb = params
    gaps = [mu0 - wb / (ws + wb), gs - ks, gb - kb]
    if kb > 0:  # the semi-separating boundaries
        gaps += [kb, ks * gb - kb * gs]
    return min(abs(g) for g in gaps) > 1e-3


class TestSincerityClosedForms:
    def test_threshold_is_the_wests_indifference_belief(self) -> None:
        game = sincerity_signalling_game(0.5, 1.0, 3.0, 1.0, 1.0, 0.0, 0.0)
        mu_star = relax_threshold(1.0, 3.0)
        assert mu_star == pytest.approx(0.75)
        u = game.receiver_payoffs[:, 0, :]  # same after either message
        for mu in (0.74, 0.76):
            expected = np.array([mu, 1 - mu]) @ u
            assert (expected[1] >= expected[0]) == (mu >= mu_star)

    def test_game_payoffs(self) -> None:
        game = sincerity_signalling_game(0.4, 1.0, 2.0, 3.0, 4.0, 0.5, 0.7)
        # [type, message, action]: relax adds the gain; the step subtracts the cost.
        assert game.sender_payoffs[0].tolist() == [[0.0, 3.0], [-0.5, 2.5]]
        assert game.sender_payoffs[1].tolist() == [[0.0, 4.0], [-0.7, 3.3]]
        assert game.receiver_payoffs[:, 1, :].tolist() == [[0.0, 1.0], [0.0, -2.0]]
        assert game.prior.tolist() == pytest.approx([0.4, 0.6])

    def test_mixing_probability_makes_the_posterior_the_threshold(self) -> None:
        mu0, ws, wb = 0.2, 1.0, 2.0
        q = staller_mixing_probability(mu0, ws, wb)
        assert mu0 / (mu0 + (1 - mu0) * q) == pytest.approx(relax_threshold(ws, wb))
        assert staller_mixing_probability(0.9, ws, wb) == 1.0  # above the threshold

    def test_vectorised(self) -> None:
        mu0 = np.array([0.1, 0.2, 0.3])
        assert staller_mixing_probability(mu0, 1.0, 1.0) == pytest.approx(
            [staller_mixing_probability(m, 1.0, 1.0) for m in mu0]
        )
        assert separating_exists([1, 1], [1, 1], [0.5, 0.5], [0.5, 1.5]).tolist() == [False, True]

    @pytest.mark.parametrize(
        "params, regime",
        [
            ((0.7, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0), "pooling"),  # believed anyway
            ((0.3, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0), "pooling"),  # words alone
            ((0.3, 1.0, 1.0, 1.0, 1.0, 0.5, 1.5), "separating"),
            ((0.3, 1.0, 1.0, 1.0, 1.0, 0.2, 0.5), "semi-separating"),
            ((0.3, 1.0, 1.0, 1.0, 1.0, 0.5, 0.2), "pooling"),  # cheaper for the staller
            ((0.3, 1.0, 1.0, 1.0, 1.0, 1.5, 2.0), "pooling"),  # too costly for both
        ],
    )
    def test_regimes_match_the_solver(self, params: tuple[float, ...], regime: str) -> None:
        eq = classify(*params)
        assert eq.regime == regime
        assert any(_matches(e, eq) for e in _solve(params))

    def test_semi_separating_numbers(self) -> None:
        eq = classify(0.3, 1.0, 1.0, 1.0, 1.0, 0.2, 0.5)
        assert eq.staller_step == pytest.approx(3 / 7)
        assert eq.posterior_after_step == pytest.approx(0.5)
        assert eq.relax_after_step == pytest.approx(0.5)
        assert eq.sincere_payoff == pytest.approx(0.3)
        assert eq.west_payoff == 0.0  # the West is indifferent after the step
        (hybrid,) = [e for e in _solve((0.3, 1.0, 1.0, 1.0, 1.0, 0.2, 0.5)) if e.kind == "hybrid"]
        assert hybrid.sender[1, 1] == pytest.approx(3 / 7)
        assert hybrid.beliefs[1, 0] == pytest.approx(0.5)
        assert hybrid.receiver[1, 1] == pytest.approx(0.5)

    def test_models_md_semi_separating_needs_the_cost_ratio_condition(self) -> None:
        # The staller gains from the step (g_B > k_B) but the step is relatively dearer for
        # the sincere type (k_S/g_S > k_B/g_B): no semi-separating equilibrium exists.
        params = (0.3, 1.0, 1.0, 1.0, 1.0, 0.5, 0.2)
        assert not any(e.kind == "hybrid" and e.sender[0, 1] == 1.0 for e in _solve(params))
        assert all(e.receiver[e.on_path, 1].max() == 0.0 for e in _solve(params))

    def test_invalid_arguments(self) -> None:
        with pytest.raises(ValueError, match="prior_sincere"):
            classify(1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0)
        with pytest.raises(ValueError, match="cost_staller"):
            classify(0.5, 1.0, 1.0, 1.0, 1.0, 0.0, -0.1)
        with pytest.raises(ValueError, match="both be 0"):
            relax_threshold(0.0, 0.0)
        with pytest.raises(ValueError, match="w_B"):
            relax_threshold(1.0, -1.0)


class TestSincerityAgainstSolver:
    @SOLVER
    @given(params=params_strategy)
    def test_closed_form_equilibrium_is_found_and_preferred_by_russia(
        self, params: tuple[float, ...]
    ) -> None:
        assume(_generic(params))
        eq = classify(*params)
        found = _solve(params)
        assert any(_matches(e, eq) for e in found)
        for e in found:  # no other equilibrium is better for either Russian type
            assert e.sender_payoffs[0] <= eq.sincere_payoff + 1e-7
            assert e.sender_payoffs[1] <= eq.staller_payoff + 1e-7
        separating = any(e.kind == "separating" and e.sender[0, 1] == 1.0 for e in found)
        assert separating == bool(separating_exists(*params[3:]))
        if eq.regime == "pooling" and eq.relax_after_words == 0.0:
            # Uninformative: the West keeps pressure after every offer made, in every PBE.
            assert all(e.receiver[e.on_path, 1].max() <= 1e-9 for e in found)

    @SOLVER
    @given(
        mu0=st.floats(0.05, 0.9),
        lift=st.floats(0.05, 1.0),  # where mu* lies between mu0 and 0.97
        w_s=st.floats(0.1, 2.0),
        gains=st.tuples(st.floats(0.1, 2.0), st.floats(0.1, 2.0)),
        kb_share=st.floats(0.05, 0.95),
        ks_share=st.floats(0.0, 0.95),
    )
    def test_semi_separating_mixing_matches_solver(
        self,
        mu0: float,
        lift: float,
        w_s: float,
        gains: tuple[float, float],
        kb_share: float,
        ks_share: float,
    ) -> None:
        mu_star = mu0 + lift * (0.97 - mu0)
        w_b = w_s * mu_star / (1 - mu_star)
        gs, gb = gains
        kb = kb_share * gb
        ks = ks_share * kb * gs / gb  # the sincere type's cost ratio stays below the staller's
        params = (mu0, w_s, w_b, gs, gb, ks, kb)
        eq = classify(*params)
        assert eq.regime == "semi-separating"
        q = staller_mixing_probability(mu0, w_s, w_b)
        r = relax_probability_after_step(gb, kb)
        hybrids = [
            e for e in _solve(params) if e.kind == "hybrid" and abs(e.sender[0, 1] - 1.0) < 1e-9
        ]
        assert len(hybrids) == 1
        (e,) = hybrids
        assert e.sender[1, 1] == pytest.approx(q, abs=1e-7)
        assert e.beliefs[1, 0] == pytest.approx(mu_star, abs=1e-7)
        assert e.receiver[1, 1] == pytest.approx(r, abs=1e-7)

    @SOLVER
    @given(
        mu0=st.floats(0.05, 0.95),
        w=st.tuples(st.floats(0.1, 2.0), st.floats(0.1, 2.0)),
        gains=st.tuples(st.floats(0.1, 2.0), st.floats(0.1, 2.0)),
    )
    def test_words_alone_never_change_the_wests_reply(
        self, mu0: float, w: tuple[float, float], gains: tuple[float, float]
    ) -> None:
        mu_star = relax_threshold(*w)
        assume(abs(mu0 - mu_star) > 1e-3)
        prior_reply = 1.0 if mu0 >= mu_star else 0.0
        found = _solve((mu0, *w, *gains, 0.0, 0.0))
        assert found
        for e in found:
            assert e.receiver[e.on_path, 1] == pytest.approx(prior_reply, abs=1e-9)
        assert classify(mu0, *w, *gains, 0.0, 0.0).regime == "pooling"

    def test_costless_mixed_equilibria_have_differing_posteriors(self) -> None:
        # The solver's finding: posteriors may differ across costless messages, yet the
        # West's reply is the same after both.
        found = _solve((0.3, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0))
        mixed = [e for e in found if e.kind == "hybrid"]
        assert mixed
        for e in mixed:
            assert abs(e.beliefs[0, 0] - e.beliefs[1, 0]) > 0.1
            assert e.receiver[0, 1] == e.receiver[1, 1] == 0.0


class TestSincerityAdapter:
    def test_default_mapping(self) -> None:
        model = NegotiationModel()
        advantage = 1.125 / 2.125 - 0.5
        assert staller_regroup_advantage(model) == pytest.approx(advantage)
        params = sincerity_parameters_from_model(model, Offer(withdrawal_cost=0.05))
        assert params == SincerityParameters(
            prior_sincere=0.5,
            w_S=pytest.approx(0.2),
            w_B=pytest.approx(advantage),
            gain_sincere=pytest.approx(0.1),
            gain_staller=pytest.approx(0.1),
            cost_sincere=0.05,
            cost_staller=pytest.approx(0.05 + advantage),
        )
        assert sincerity_parameters_from_model(model).cost_staller == 0.0  # words only

    @pytest.mark.parametrize(
        "withdrawal_cost, regime",
        [(0.0, "pooling"), (0.05, "semi-separating"), (0.08, "separating"), (0.2, "pooling")],
    )
    def test_withdrawal_cost_sweep(self, withdrawal_cost: float, regime: str) -> None:
        model = NegotiationModel().with_params(russia__prior_sincere=0.1)
        params = sincerity_parameters_from_model(model, Offer(withdrawal_cost=withdrawal_cost))
        eq = params.classify()
        assert eq.regime == regime
        assert any(_matches(e, eq) for e in perfect_bayesian_equilibria(params.game()))

    def test_semi_separating_numbers_from_the_model(self) -> None:
        model = NegotiationModel().with_params(russia__prior_sincere=0.1)
        eq = sincerity_parameters_from_model(model, Offer(withdrawal_cost=0.05)).classify()
        advantage = 1.125 / 2.125 - 0.5
        mu_star = advantage / (0.2 + advantage)
        assert eq.staller_step == pytest.approx(0.1 * (1 - mu_star) / (0.9 * mu_star))
        assert eq.staller_step == pytest.approx(0.755556, abs=1e-6)
        assert eq.relax_after_step == pytest.approx((0.05 + advantage) / 0.1)

    def test_trusting_west_relaxes_without_a_step(self) -> None:
        # Default prior 0.5 exceeds mu* = A / (0.2 + A) ~ 0.128.
        eq = sincerity_parameters_from_model(NegotiationModel()).classify()
        assert eq.relax_threshold == pytest.approx(0.0294118 / 0.2294118, rel=1e-5)
        assert (eq.regime, eq.relax_after_words) == ("pooling", 1.0)

    def test_replace_a_parameter(self) -> None:
        params = sincerity_parameters_from_model(NegotiationModel())
        stricter = dataclasses.replace(params, w_B=1.0)
        assert stricter.classify().relax_threshold == pytest.approx(1 / 1.2)
