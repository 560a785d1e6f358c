"""Alternating offers, outside options, breakdown risk and Nash bargaining (models.md s. 6)."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import optimize

from simulator.model import NegotiationModel
from simulator.model.published.alternating_offers import (
    alternating_offers_from_model,
    bargaining_power,
    breakdown_shares,
    nash_bargaining_on_frontier,
    nash_bargaining_on_points,
    nash_bargaining_solution,
    nash_settlement_from_model,
    outside_option_shares,
    rubinstein_shares,
)

discount = st.floats(0.3, 0.95)
FAST = settings(max_examples=40, deadline=None)


# ---------------------------------------------------------------------- brute force
def _finite_horizon(
    d1=1.0, d2=1.0, w1=0.0, w2=0.0, q=0.0, b1=0.0, b2=0.0, rounds=600, grid_size=10001
):
    """Subgame-perfect payoffs of the finite alternating-offers game, by backward induction.

    Player 1 proposes in even rounds. Offers (the responder's share) lie on a grid. After a
    rejection the responder may quit for its outside option (the proposer gets 0);
    otherwise talks break down with probability q (payoffs b) or go on to the next round,
    discounted. After the last round the breakdown payoffs are paid.
    """
    offers = np.linspace(0.0, 1.0, grid_size)
    deltas, options, fallback = (d1, d2), (w1, w2), (b1, b2)
    value = list(fallback)  # payoffs after the last round, in that round's units
    for t in reversed(range(rounds)):
        i = t % 2  # proposer
        j = 1 - i
        go_on = [(1 - q) * deltas[k] * value[k] + q * fallback[k] for k in (0, 1)]
        quits = options[j] > go_on[j]
        if rounds - 1 == t:
            go_on = list(fallback)
            quits = options[j] > fallback[j]
        reject = [0.0, 0.0]
        reject[j] = options[j] if quits else go_on[j]
        reject[i] = 0.0 if quits else go_on[i]
        accepted = offers >= reject[j] - 1e-12
        gain = np.where(accepted, 1.0 - offers, -np.inf)
        best = int(np.argmax(gain))
        new = [0.0, 0.0]
        if gain[best] >= reject[i]:
            new[i], new[j] = 1.0 - offers[best], offers[best]
        else:
            new = reject
        value = new
    return value[0], value[1]


def test_rubinstein_models_md_examples() -> None:
    assert rubinstein_shares(0.9, 0.9).proposer_share == pytest.approx(10 / 19)
    assert rubinstein_shares(0.9, 0.8).proposer_share == pytest.approx(5 / 7)
    assert Fraction(rubinstein_shares(0.9, 0.8).responder_share).limit_denominator(50) == (
        Fraction(2, 7)
    )
    v1, _ = _finite_horizon(0.9, 0.8)
    assert v1 == pytest.approx(5 / 7, abs=1e-3)


@FAST
@given(d1=discount, d2=discount)
def test_rubinstein_matches_finite_horizon(d1: float, d2: float) -> None:
    v1, v2 = _finite_horizon(d1, d2)
    r = rubinstein_shares(d1, d2)
    assert v1 == pytest.approx(r.proposer_share, abs=2e-3)
    assert v2 == pytest.approx(r.responder_share, abs=2e-3)


def test_rubinstein_limits() -> None:
    assert rubinstein_shares(0.7, 0.0).proposer_share == 1.0  # the ultimatum game
    assert rubinstein_shares(0.0, 0.7).proposer_share == pytest.approx(0.3)
    assert rubinstein_shares(0.7, 1.0).proposer_share == 0.0
    np.testing.assert_allclose(
        rubinstein_shares(np.array([0.5, 0.9]), 0.9).proposer_share, [0.1 / 0.55, 10 / 19]
    )
    with pytest.raises(ValueError, match="cannot both be 1"):
        rubinstein_shares(1.0, 1.0)


# ---------------------------------------------------------------------- outside options
def test_outside_option_models_md_example() -> None:
    r = outside_option_shares(0.9, 0.9, outside_2=0.3)
    assert r.proposer_share == pytest.approx(10 / 19)  # 0.3 < 0.9/1.9: the option is idle
    assert not r.option_2_binds and not r.option_1_binds
    strong = outside_option_shares(0.9, 0.9, outside_2=0.6)
    assert strong.responder_share == pytest.approx(0.6) and strong.option_2_binds
    assert _finite_horizon(0.9, 0.9, w2=0.3)[0] == pytest.approx(10 / 19, abs=1e-3)
    assert _finite_horizon(0.9, 0.9, w2=0.6)[0] == pytest.approx(0.4, abs=1e-3)


@settings(max_examples=100, deadline=None)
@given(delta=discount, w2=st.floats(0.0, 1.0))
def test_outside_option_common_delta_formula(delta: float, w2: float) -> None:
    r = outside_option_shares(delta, delta, outside_2=w2)
    assert r.responder_share == pytest.approx(max(w2, delta / (1 + delta)))
    # binds exactly when w2 exceeds delta times player 2's Rubinstein share as proposer
    assume(abs(w2 - delta / (1 + delta)) > 1e-12)
    assert r.option_2_binds == (w2 > delta * rubinstein_shares(delta, delta).proposer_share)


@FAST
@given(d1=discount, d2=discount, w1=st.floats(0.0, 0.6), w2=st.floats(0.0, 0.6))
def test_outside_options_match_finite_horizon(d1, d2, w1, w2) -> None:
    assume(w1 + w2 <= 1.0)
    v1, v2 = _finite_horizon(d1, d2, w1=w1, w2=w2)
    r = outside_option_shares(d1, d2, w1, w2)
    assert v1 == pytest.approx(r.proposer_share, abs=2e-3)
    assert v2 == pytest.approx(r.responder_share, abs=2e-3)


@FAST
@given(d1=discount, d2=discount, w=st.floats(0.0, 0.5), extra=st.floats(0.0, 0.5))
def test_better_option_never_hurts_its_holder(d1, d2, w, extra) -> None:
    low = outside_option_shares(d1, d2, outside_2=w).responder_share
    high = outside_option_shares(d1, d2, outside_2=w + extra).responder_share
    assert high >= low - 1e-12


# ---------------------------------------------------------------------- breakdown risk
def test_breakdown_formula_examples() -> None:
    r = breakdown_shares(0.5, 0.2, 0.3)
    assert r.proposer_share == pytest.approx((1 + 0.5 * 0.2 - 0.3) / 1.5)
    assert breakdown_shares(1.0, 0.2, 0.3).proposer_share == pytest.approx(0.7)  # ultimatum
    with pytest.raises(ValueError, match=r"breakdown = 0.0 .*\(0, 1\]"):
        breakdown_shares(0.0, 0.2, 0.3)


@FAST
@given(q=st.floats(0.05, 1.0), b1=st.floats(0.0, 0.5), b2=st.floats(0.0, 0.5))
def test_breakdown_matches_finite_horizon(q: float, b1: float, b2: float) -> None:
    rounds = int(math.ceil(40 / q)) + 1
    v1, v2 = _finite_horizon(q=q, b1=b1, b2=b2, rounds=rounds, grid_size=20001)
    r = breakdown_shares(q, b1, b2)
    assert v1 == pytest.approx(r.proposer_share, abs=2e-3)
    assert v2 == pytest.approx(r.responder_share, abs=2e-3)


@settings(max_examples=100, deadline=None)
@given(b1=st.floats(0.0, 0.5), b2=st.floats(0.0, 0.5))
def test_breakdown_tends_to_nash_solution(b1: float, b2: float) -> None:
    nash = nash_bargaining_solution(b1, b2).u1
    gaps = [abs(breakdown_shares(q, b1, b2).proposer_share - nash) for q in (0.1, 1e-3, 1e-6)]
    assert gaps[0] >= gaps[1] - 1e-15 and gaps[1] >= gaps[2] - 1e-15
    assert gaps[2] <= 1e-6  # |x1 - Nash| = q (1 - b1 - b2) / (2 (2 - q))


# ---------------------------------------------------------------------- Nash bargaining
def test_nash_models_md_example() -> None:
    s = nash_bargaining_solution(0.2, 0.3, beta=0.5)
    assert (s.u1, s.u2) == pytest.approx((0.45, 0.55))
    none = nash_bargaining_solution(0.6, 0.6)
    assert math.isnan(none.u1) and math.isnan(none.u2)


def _scipy_nash(d1: float, d2: float, beta: float) -> tuple[float, float]:
    """Maximise the Nash product on u1 + u2 = 1 with SLSQP."""
    result = optimize.minimize(
        lambda u: -(beta * np.log(u[0] - d1) + (1 - beta) * np.log(u[1] - d2)),
        x0=[d1 + (1 - d1 - d2) / 2, d2 + (1 - d1 - d2) / 2],
        constraints=[{"type": "eq", "fun": lambda u: u[0] + u[1] - 1.0}],
        bounds=[(d1 + 1e-12, 1.0), (d2 + 1e-12, 1.0)],
        method="SLSQP",
        options={"ftol": 1e-14, "maxiter": 500},
    )
    return float(result.x[0]), float(result.x[1])


@settings(max_examples=60, deadline=None)
@given(d1=st.floats(0.0, 0.45), d2=st.floats(0.0, 0.45), beta=st.floats(0.05, 0.95))
def test_nash_closed_form_matches_scipy(d1: float, d2: float, beta: float) -> None:
    s = nash_bargaining_solution(d1, d2, beta)
    u1, u2 = _scipy_nash(d1, d2, beta)
    assert (s.u1, s.u2) == pytest.approx((u1, u2), abs=1e-5)
    frontier = nash_bargaining_on_frontier(lambda u: 1.0 - u, d1, d2, beta)
    assert (frontier.u1, frontier.u2) == pytest.approx((s.u1, s.u2), abs=1e-8)
    points = nash_bargaining_on_points([[0, 1], [1, 0], [0.2, 0.1]], d1, d2, beta)
    assert (points.u1, points.u2) == pytest.approx((s.u1, s.u2), abs=1e-12)


@settings(max_examples=25, deadline=None)
@given(k=st.floats(1.0, 4.0), d1=st.floats(0.0, 0.4), d2=st.floats(0.0, 0.4), beta=st.floats(0, 1))
def test_curved_frontier_matches_dense_points(k, d1, d2, beta) -> None:
    def frontier(u: float) -> float:
        return (1.0 - u**k) ** (1.0 / k)  # concave: the feasible set is convex

    s = nash_bargaining_on_frontier(frontier, d1, d2, beta)
    u = np.linspace(0.0, 1.0, 2001)
    dense = nash_bargaining_on_points(np.column_stack([u, frontier(u)]), d1, d2, beta)
    def nash_product(u1: float, u2: float) -> float:
        return max(u1 - d1, 0.0) ** beta * max(u2 - d2, 0.0) ** (1.0 - beta)

    # The solution lies on the frontier and is at least as good as the best dense point; near
    # u1 = 1 the frontier is vertical, so the dense grid is coarse in u2 there.
    assert s.u2 == pytest.approx(frontier(s.u1), abs=1e-9)
    assert nash_product(s.u1, s.u2) >= nash_product(dense.u1, dense.u2) - 1e-9
    assert (s.u1, s.u2) == pytest.approx((dense.u1, dense.u2), abs=1e-2)
    assert s.u1 >= d1 and s.u2 >= d2 - 1e-9  # root finding on a steep frontier


@pytest.mark.parametrize("beta", [0.0, 1e-320, 1e-300, 1e-20, 1e-9, 0.5, 1 - 1e-16, 1.0])
def test_extreme_weights_give_the_closed_form(beta: float) -> None:
    # A weight of 1e-300 must give the weight-0 answer up to rounding: the segment's
    # stationary point is computed from its gains, never as d + (u - d) with u - d lost.
    exact = nash_bargaining_solution(0.25, 0.0, beta)  # d1 + beta (1 - d1 - d2), in closed form
    points = nash_bargaining_on_points([[0, 1], [1, 0], [0.2, 0.1]], 0.25, 0.0, beta)
    assert (points.u1, points.u2) == pytest.approx((exact.u1, exact.u2), abs=1e-12)
    frontier = nash_bargaining_on_frontier(lambda u: 1.0 - u, 0.25, 0.0, beta)
    assert (frontier.u1, frontier.u2) == pytest.approx((exact.u1, exact.u2), abs=1e-9)


def test_points_frontier_handles_dominated_points_and_kinks() -> None:
    # a kinked frontier (0,1) - (0.6, 0.6) - (1, 0) plus dominated points
    pts = [[0, 1], [0.6, 0.6], [1, 0], [0.3, 0.3], [0.1, 0.5]]
    s = nash_bargaining_on_points(pts, 0.0, 0.0)
    assert (s.u1, s.u2) == pytest.approx((0.6, 0.6))
    # disagreement above the frontier: no agreement
    none = nash_bargaining_on_points(pts, 0.8, 0.8)
    assert math.isnan(none.u1)
    with pytest.raises(ValueError, match="points"):
        nash_bargaining_on_points([1, 2, 3], 0, 0)


@settings(max_examples=60, deadline=None)
@given(r1=st.floats(0.1, 5.0), r2=st.floats(0.1, 5.0))
def test_bargaining_power_is_the_limit_of_rubinstein(r1: float, r2: float) -> None:
    beta = bargaining_power(math.exp(-r1), math.exp(-r2))
    assert beta == pytest.approx(r2 / (r1 + r2))
    period = 1e-6  # short periods: d_i = exp(-r_i * period)
    share = rubinstein_shares(math.exp(-r1 * period), math.exp(-r2 * period)).proposer_share
    assert share == pytest.approx(beta, abs=1e-5)


# ---------------------------------------------------------------------- adapters
def test_alternating_offers_from_model() -> None:
    model = NegotiationModel()  # delta 0.95 each; war: Russia 0.3, Ukraine 0.35
    s = alternating_offers_from_model(model)
    assert s.russia_share == pytest.approx(1 / 1.95)
    assert s.russia_share + s.ukraine_share == pytest.approx(1.0)
    flipped = alternating_offers_from_model(model, proposer="ukraine")
    assert flipped.ukraine_share == pytest.approx(1 / 1.95)
    # a strong Ukraine: its war option beats the Rubinstein share and binds
    strong = model.with_params(ukraine__capability=9.0)  # p = 0.1, Ukraine's war 0.75
    bound = alternating_offers_from_model(strong)
    assert bound.solution.option_2_binds
    assert bound.ukraine_share == pytest.approx(0.75)
    with pytest.raises(ValueError, match="proposer"):
        alternating_offers_from_model(model, proposer="west")  # type: ignore[arg-type]


def test_nash_settlement_from_model() -> None:
    model = NegotiationModel()
    s = nash_settlement_from_model(model)
    assert (s.russia_share, s.ukraine_share) == pytest.approx((0.475, 0.525))
    impatient = model.with_params(russia__discount_factor=0.8)
    beta = bargaining_power(0.8, 0.95)
    t = nash_settlement_from_model(impatient)
    assert t.russia_share == pytest.approx(0.3 + beta * 0.35)
    assert t.russia_share < s.russia_share  # impatience costs bargaining power
    assert nash_settlement_from_model(model, beta=1.0).russia_share == pytest.approx(0.65)
