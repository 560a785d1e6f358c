"""Fearon's bargaining range, private information and the status premium (models.md s. 1)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from simulator.model import NegotiationModel, Offer
from simulator.model.published.bargaining import (
    bargaining_range,
    bargaining_range_from_model,
    offer_beats_war,
    proposer_expected_utility,
    russia_war_payoff,
    sanctions_to_reopen,
    status_premium_threshold,
    status_settlements,
    take_it_or_leave_it,
)

prob = st.floats(0.0, 1.0)
cost = st.floats(0.0, 0.6)
FAST = settings(max_examples=60, deadline=None)


# ---------------------------------------------------------------------- Fearon's range
def test_bargaining_range_models_md_example() -> None:
    r = bargaining_range(0.6, 0.1, 0.15)
    assert (r.low, r.high) == pytest.approx((0.50, 0.75))
    assert r.width == pytest.approx(0.25)


@FAST
@given(p=prob, c_a=st.floats(1e-3, 0.6), c_b=st.floats(1e-3, 0.6))
def test_bargaining_range_matches_grid_of_splits(p: float, c_a: float, c_b: float) -> None:
    shares = np.linspace(0.0, 1.0, 20001)
    both = (shares >= p - c_a) & (1.0 - shares >= 1.0 - p - c_b)
    r = bargaining_range(p, c_a, c_b)
    assert both.any()
    assert shares[both].min() == pytest.approx(r.low, abs=1e-4)
    assert shares[both].max() == pytest.approx(r.high, abs=1e-4)


def test_bargaining_range_broadcasts() -> None:
    r = bargaining_range(np.array([0.2, 0.6, 0.95]), 0.1, 0.15)
    np.testing.assert_allclose(r.low, [0.1, 0.5, 0.85])
    np.testing.assert_allclose(r.high, [0.35, 0.75, 1.0])


# ---------------------------------------------------------------------- private information
def test_take_it_or_leave_it_models_md_example() -> None:
    r = take_it_or_leave_it(0.5, 0.1, 0.4)
    assert r.demand == pytest.approx(0.65)
    assert r.war_probability == pytest.approx(0.375)
    # accept with 0.625: 0.625 * 0.65 + 0.375 * (0.5 - 0.1)
    assert r.expected_utility == pytest.approx(0.55625)


@pytest.mark.parametrize("c_bar", [0.0, 0.05, 0.1])
def test_take_it_or_leave_it_corner_when_receiver_costs_are_low(c_bar: float) -> None:
    r = take_it_or_leave_it(0.5, 0.1, c_bar)
    assert r.demand == pytest.approx(0.5)
    assert r.war_probability == 0.0
    assert r.expected_utility == pytest.approx(0.5)


def test_take_it_or_leave_it_demand_capped_at_whole_stake() -> None:
    r = take_it_or_leave_it(0.9, 0.0, 0.5)  # unconstrained demand would be 1.15
    assert r.demand == pytest.approx(1.0)
    assert r.war_probability == pytest.approx(0.1 / 0.5)


def _brute_force_tioli(p: float, c_a: float, c_bar: float) -> tuple[float, float, float]:
    """Best demand on a grid against 200000 receiver types, each deciding for itself."""
    demands = np.sort(np.append(np.linspace(0.0, 1.0, 20001), p))  # p: the kink
    types = (np.arange(200_000) + 0.5) / 200_000 * c_bar  # midpoints of equal-mass bins
    # a type accepts iff 1 - demand >= 1 - p - cost, i.e. cost >= demand - p
    rate = 1.0 - np.searchsorted(types, demands - p, side="left") / types.size
    utility = rate * demands + (1.0 - rate) * (p - c_a)
    best = int(np.argmax(utility))
    return demands[best], 1.0 - rate[best], utility[best]


@FAST
@given(p=prob, c_a=cost, c_bar=st.floats(0.02, 0.8))
def test_take_it_or_leave_it_matches_brute_force(p: float, c_a: float, c_bar: float) -> None:
    demand, war, utility = _brute_force_tioli(p, c_a, c_bar)
    r = take_it_or_leave_it(p, c_a, c_bar)
    assert r.expected_utility == pytest.approx(utility, abs=2e-5)
    assert demand == pytest.approx(r.demand, abs=5e-3)
    assert war == pytest.approx(r.war_probability, abs=5e-3 / c_bar)
    # the closed-form utility function agrees with the type-by-type evaluation
    assert proposer_expected_utility(demand, p, c_a, c_bar) == pytest.approx(utility, abs=2e-5)


@FAST
@given(p=st.floats(0.0, 0.5), c_a=cost, c_bar=st.floats(0.01, 0.5))
def test_take_it_or_leave_it_formula_when_interior(p: float, c_a: float, c_bar: float) -> None:
    assume(c_bar > c_a)
    r = take_it_or_leave_it(p, c_a, c_bar)
    assert r.demand == pytest.approx(p + (c_bar - c_a) / 2)
    assert r.war_probability == pytest.approx((c_bar - c_a) / (2 * c_bar))


# ---------------------------------------------------------------------- status premium
status = st.floats(0.0, 3.0)
x_dom_st = st.floats(0.0, 0.95)
optimism_st = st.floats(-0.5, 0.5)
sanctions_st = st.floats(0.0, 1.0)


def _grid_settlements(p, c_r, c_u, s_prem, x_dom, burden, optimism, grid):
    """Alignments on a grid that both sides weakly prefer to war, by direct comparison."""
    p_r = min(1.0, max(0.0, p + optimism))
    win = 1.0 + s_prem  # victory: x = 0, premium kept
    lose = s_prem if x_dom >= 1.0 else 0.0  # defeat: x = 1
    war_r = p_r * win + (1.0 - p_r) * lose - c_r - burden
    russia = 1.0 - grid + s_prem * (grid <= x_dom)
    return (russia >= war_r) & (grid >= 1.0 - p - c_u)


@settings(max_examples=150, deadline=None)
@given(
    p=prob, c_r=cost, c_u=cost, s_prem=status, x_dom=x_dom_st, burden=sanctions_st, opt=optimism_st
)
def test_status_settlements_match_grid(p, c_r, c_u, s_prem, x_dom, burden, opt) -> None:
    grid = np.linspace(0.0, 1.0, 10001)
    mask = _grid_settlements(p, c_r, c_u, s_prem, x_dom, burden, opt, grid)
    r = status_settlements(p, c_r, c_u, s_prem, x_dom, burden, opt)
    inside = np.asarray(r.contains(grid))
    # Grid points within rounding distance of a bound may go either way.
    edges = [x_dom]
    if r.nonempty:
        edges += [r.low, r.high]
    away = np.all(np.abs(grid[:, None] - np.array(edges)[None, :]) > 1e-9, axis=1)
    np.testing.assert_array_equal(inside[away], mask[away])
    # the flags say where the brute force finds settlements (away from knife edges)
    beyond = away & (grid > x_dom)
    within = away & (grid <= x_dom)
    if r.beyond_dominance and r.high - max(x_dom, r.low) > 1e-3:
        assert mask[beyond].any()
    if not r.beyond_dominance:
        assert not mask[beyond].any()
    if r.within_sphere and min(x_dom, r.high) - r.low > 1e-3:
        assert mask[within].any()
    if not r.within_sphere:
        assert not mask[within].any()


def test_status_settlements_default_model_numbers() -> None:
    # p = 0.5, c = (0.1, 0.15), S = 0.5, x_dom = 0.3, sanctions 0.1 * cohesion 1
    r = status_settlements(0.5, 0.1, 0.15, 0.5, 0.3, sanctions_burden=0.1)
    assert r.russia_war_payoff == pytest.approx(0.55)
    assert r.ukraine_war_payoff == pytest.approx(0.35)
    (interval,) = r.intervals()
    assert interval == pytest.approx((0.35, 0.45))
    assert r.beyond_dominance and not r.within_sphere
    assert r == bargaining_range_from_model(NegotiationModel())


def test_without_premium_it_is_fearons_range() -> None:
    r = status_settlements(0.4, 0.1, 0.15, 0.0, 0.3)
    # Russia's share 1 - x must lie in Fearon's range [p - c_R, p + c_U]
    fearon = bargaining_range(0.4, 0.1, 0.15)
    assert (r.low, r.high) == pytest.approx((1.0 - fearon.high, 1.0 - fearon.low))


def test_large_premium_empties_the_range_and_sanctions_reopen_it() -> None:
    base = NegotiationModel()
    assert bargaining_range_from_model(base).beyond_dominance
    proud = base.with_params(russia__great_power_status=2.0)
    assert not bargaining_range_from_model(proud).nonempty
    needed = sanctions_to_reopen(0.5, 0.1, 0.15, 2.0, 0.3)
    assert needed == pytest.approx(0.5 * 3.0 - 0.1 - 0.65)
    sanctioned = proud.with_params(russia__sanctions_cost=needed + 0.05)
    reopened = bargaining_range_from_model(sanctioned)
    assert reopened.nonempty and reopened.beyond_dominance
    # the burden is sanctions cost times cohesion: a divided West does not reopen it
    divided = sanctioned.with_params(west__western_cohesion=0.5)
    assert not bargaining_range_from_model(divided).nonempty


def test_optimism_empties_the_range_and_sanctions_reopen_it() -> None:
    base = NegotiationModel()
    optimistic = base.with_params(russia__optimism=0.3)
    r = bargaining_range_from_model(optimistic)
    assert not r.nonempty
    assert r.perceived_p == pytest.approx(0.8)
    reopened = bargaining_range_from_model(optimistic.with_params(russia__sanctions_cost=0.9))
    assert reopened.beyond_dominance


@FAST
@given(p=prob, c_r=cost, c_u=cost, x_dom=x_dom_st, burden=sanctions_st, opt=optimism_st)
def test_premium_threshold_separates(p, c_r, c_u, x_dom, burden, opt) -> None:
    assume(p + opt > 1e-3)  # else p_R (1 + S) vanishes next to 1 in floating point
    threshold = status_premium_threshold(p, c_r, c_u, x_dom, burden, opt)
    assume(np.isfinite(threshold) and threshold > 1e-6)
    below = status_settlements(p, c_r, c_u, threshold * (1 - 1e-6), x_dom, burden, opt)
    above = status_settlements(p, c_r, c_u, threshold * (1 + 1e-6) + 1e-9, x_dom, burden, opt)
    assert below.beyond_dominance
    assert not above.beyond_dominance


@FAST
@given(p=prob, c_r=cost, c_u=cost, s_prem=status, x_dom=x_dom_st, opt=optimism_st)
def test_sanctions_to_reopen_separates(p, c_r, c_u, s_prem, x_dom, opt) -> None:
    needed = sanctions_to_reopen(p, c_r, c_u, s_prem, x_dom, opt)
    assert status_settlements(p, c_r, c_u, s_prem, x_dom, needed + 1e-7, opt).beyond_dominance
    if needed > 1e-7:
        below = status_settlements(p, c_r, c_u, s_prem, x_dom, needed - 1e-7, opt)
        assert not below.beyond_dominance


def test_threshold_edge_values() -> None:
    assert status_premium_threshold(0.5, 0.1, 0.15, 1.0) == -np.inf
    assert status_premium_threshold(0.0, 0.1, 0.15, 0.3) == np.inf
    assert sanctions_to_reopen(0.5, 0.1, 0.15, 1.0, 1.0) == np.inf
    # x_dom = 1: the premium is kept whatever happens, so it changes nothing
    with_premium = status_settlements(0.5, 0.1, 0.15, 2.0, 1.0)
    without = status_settlements(0.5, 0.1, 0.15, 0.0, 1.0)
    assert (with_premium.low, with_premium.high) == pytest.approx((without.low, without.high))


# ---------------------------------------------------------------------- monotonicity
def _high_or_below(r) -> float:
    """Upper end of the set, or -1 when empty (so 'not wider' is a comparison)."""
    return float(r.high) if r.nonempty else -1.0


@settings(max_examples=200, deadline=None)
@given(
    p=prob,
    c_r=cost,
    c_u=cost,
    s1=status,
    s2=status,
    x_dom=x_dom_st,
    burden=sanctions_st,
    opt=optimism_st,
)
def test_higher_premium_never_widens_settlements_beyond_dominance(
    p, c_r, c_u, s1, s2, x_dom, burden, opt
) -> None:
    low_s, high_s = sorted((s1, s2))
    weak = status_settlements(p, c_r, c_u, low_s, x_dom, burden, opt)
    strong = status_settlements(p, c_r, c_u, high_s, x_dom, burden, opt)
    if strong.beyond_dominance:
        assert weak.beyond_dominance and weak.high >= strong.high - 1e-12
    # when Russia would accept some x > x_dom without any premium, the whole set shrinks
    p_r = min(1.0, max(0.0, p + opt))
    if 1.0 - p_r + c_r + burden > x_dom:
        assert _high_or_below(strong) <= _high_or_below(weak) + 1e-12
        assert strong.nonempty <= weak.nonempty


def test_premium_can_widen_deals_within_the_sphere_for_a_dominant_russia() -> None:
    # Russia (p = 0.9) would demand more than its sphere anyway; a premium it keeps for
    # sure by a deal but only with probability 0.9 by war makes it concede a little more.
    small = status_settlements(0.9, 0.05, 0.05, 0.1, 0.3)
    large = status_settlements(0.9, 0.05, 0.05, 0.2, 0.3)
    assert small.high == pytest.approx(1.1 - (0.9 * 1.1 - 0.05))  # A1 = 0.16
    assert large.high == pytest.approx(1.2 - (0.9 * 1.2 - 0.05))  # A1 = 0.17
    assert large.high > small.high and not large.beyond_dominance


@settings(max_examples=200, deadline=None)
@given(
    p=prob,
    c_r=cost,
    c_u=cost,
    s_prem=status,
    x_dom=x_dom_st,
    b1=sanctions_st,
    b2=sanctions_st,
    opt=optimism_st,
)
def test_sanctions_never_raise_russias_war_payoff(p, c_r, c_u, s_prem, x_dom, b1, b2, opt) -> None:
    lo, hi = sorted((b1, b2))
    assert russia_war_payoff(p, c_r, s_prem, x_dom, hi, opt) <= russia_war_payoff(
        p, c_r, s_prem, x_dom, lo, opt
    )
    weak = status_settlements(p, c_r, c_u, s_prem, x_dom, lo, opt)
    strong = status_settlements(p, c_r, c_u, s_prem, x_dom, hi, opt)
    assert _high_or_below(strong) >= _high_or_below(weak) - 1e-12
    assert strong.beyond_dominance >= weak.beyond_dominance


@settings(max_examples=200, deadline=None)
@given(
    p=prob,
    c_r=cost,
    c_u=cost,
    s_prem=status,
    x_dom=x_dom_st,
    burden=sanctions_st,
    o1=optimism_st,
    o2=optimism_st,
)
def test_more_optimism_never_widens_the_range(p, c_r, c_u, s_prem, x_dom, burden, o1, o2) -> None:
    lo, hi = sorted((o1, o2))
    sober = status_settlements(p, c_r, c_u, s_prem, x_dom, burden, lo)
    optimistic = status_settlements(p, c_r, c_u, s_prem, x_dom, burden, hi)
    assert _high_or_below(optimistic) <= _high_or_below(sober) + 1e-12
    assert optimistic.nonempty <= sober.nonempty
    assert optimistic.beyond_dominance <= sober.beyond_dominance


# ---------------------------------------------------------------------- adapters, errors
def test_offer_beats_war_reads_the_offer_alignment() -> None:
    model = NegotiationModel()
    assert offer_beats_war(model, Offer(alignment=0.4))
    assert not offer_beats_war(model, Offer.neutrality_for_guarantees())  # x = 0.6 > 0.45
    assert not offer_beats_war(model, Offer(alignment=0.3))  # below Ukraine's 0.35


def test_vectorised_status_settlements() -> None:
    premiums = np.array([0.0, 0.5, 2.0])
    r = status_settlements(0.5, 0.1, 0.15, premiums, 0.3, 0.1)
    np.testing.assert_array_equal(r.nonempty, [True, True, False])
    np.testing.assert_allclose(r.high[:2], [0.7, 0.45])
    assert np.isnan(r.high[2])
    with pytest.raises(ValueError, match="scalar"):
        r.intervals()


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: bargaining_range(1.2, 0.1, 0.1), "p = 1.2"),
        (lambda: bargaining_range(0.5, -0.1, 0.1), "cost_a = -0.1"),
        (lambda: take_it_or_leave_it(0.5, 0.1, np.nan), "cost_max"),
        (lambda: status_settlements(0.5, 0.1, 0.1, 0.5, 1.5), "dominance_threshold = 1.5"),
        (lambda: status_settlements(0.5, 0.1, 0.1, 0.5, 0.3, optimism=2.0), "optimism = 2.0"),
    ],
)
def test_invalid_arguments_are_named(call, name: str) -> None:
    with pytest.raises(ValueError, match=name):
        call()
