"""War as a commitment problem, Powell 2006 (models.md s. 2)."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from simulator.model import NegotiationModel, Offer
from simulator.model.published.commitment import (
    commitment_from_model,
    commitment_problem,
    minimum_guarantee,
    minimum_guarantee_closed_form,
    powell_war_condition,
    shrunk_shift,
)

prob = st.floats(0.0, 1.0)
cost = st.floats(0.0, 0.5)
discount = st.floats(0.5, 0.95)


def test_models_md_example_is_war() -> None:
    assert powell_war_condition(0.3, 0.5, 0.05, 0.05, 0.9)
    r = commitment_problem(0.3, 0.5, 0.05, 0.05, 0.9)
    assert r.war and r.declining_attacks and not r.rising_attacks
    # 0.9 * 0.5 - 0.3 = 0.15 > 0.1 * (0.05 + 0.045) = 0.0095
    assert r.powell_margin == pytest.approx(0.15 - 0.0095)
    assert r.declining_payoff == pytest.approx(0.7 / 0.1 - 0.05)
    assert math.isnan(r.offer_now)


def test_minimum_guarantee_restores_peace_in_the_example() -> None:
    expected = 1.0 - (0.0095 + 0.1 * 0.3) / (0.9 * 0.2)  # = 0.780556
    assert minimum_guarantee_closed_form(0.3, 0.5, 0.05, 0.05, 0.9) == pytest.approx(expected)
    g = minimum_guarantee(0.3, 0.5, 0.05, 0.05, 0.9)
    assert g == pytest.approx(expected, abs=1e-9)
    assert not commitment_problem(0.3, 0.5, 0.05, 0.05, 0.9, guarantee=g).war
    assert commitment_problem(0.3, 0.5, 0.05, 0.05, 0.9, guarantee=g - 1e-6).war
    # the guarantee shrinks the shift to (1 - G) times its size
    assert shrunk_shift(0.3, 0.5, g) == pytest.approx(0.3 + (1 - expected) * 0.2)


def test_peaceful_path_offers() -> None:
    r = commitment_problem(0.3, 0.32, 0.05, 0.05, 0.9)
    assert not r.war
    assert r.offer_later == pytest.approx(0.32 - 0.1 * 0.05)
    # R needs W_R0 - delta * y1 / (1 - delta) today: 2.95 - 2.835
    needed = 0.3 / 0.1 - 0.05 - 0.9 * r.offer_later / 0.1
    assert r.rising_reservation == pytest.approx(0.115)
    assert r.offer_now == pytest.approx(needed)
    assert r.declining_payoff == pytest.approx(1.0 - 0.115 + 0.9 * (1 - r.offer_later) / 0.1)
    # when R needs less than nothing today, D offers nothing
    assert commitment_problem(0.3, 0.34, 0.05, 0.05, 0.9).offer_now == 0.0


@settings(max_examples=300, deadline=None)
@given(p0=prob, p1=prob, c_d=cost, c_r=cost, delta=st.floats(0.0, 0.99))
def test_powell_condition_is_exact_for_a_rising_side(p0, p1, c_d, c_r, delta) -> None:
    assume(p1 >= p0)
    gap = delta * p1 - p0 - (1 - delta) * (c_d + delta * c_r)
    assume(abs(gap) > 1e-12)
    assert commitment_problem(p0, p1, c_d, c_r, delta).war == powell_war_condition(
        p0, p1, c_d, c_r, delta
    )


# ---------------------------------------------------------------------- brute force
def _brute_force(p0, p1, c_d, c_r, d_d, d_r, grid_size=2001):
    """Backward induction over a long finite horizon with offers on a grid.

    Each period D picks the best grid offer that R accepts or war; war gives the winner
    the stake in every remaining period. Ties (within rounding) go to peace.
    """
    offers = np.linspace(0.0, 1.0, grid_size)
    horizon = int(math.ceil(math.log(1e-12) / math.log(max(d_d, d_r))))
    v_d = v_r = 0.0
    war_now = False
    for t in reversed(range(horizon)):
        p = p0 if t == 0 else p1
        rest_d = (1 - d_d ** (horizon - t)) / (1 - d_d)
        rest_r = (1 - d_r ** (horizon - t)) / (1 - d_r)
        war_d, war_r = (1 - p) * rest_d - c_d, p * rest_r - c_r
        accepted = offers + d_r * v_r >= war_r - 1e-9
        peace_d = np.where(accepted, 1.0 - offers + d_d * v_d, -np.inf)
        best = int(np.argmax(peace_d))
        war_now = not accepted[best] or peace_d[best] < war_d - 1e-9  # ties: peace
        if war_now:
            v_d, v_r = war_d, war_r
        else:
            v_d, v_r = peace_d[best], offers[best] + d_r * v_r
    return war_now, v_d, v_r


@settings(max_examples=40, deadline=None)
@given(p0=prob, p1=prob, c_d=cost, c_r=cost, d_d=discount, d_r=discount, common=st.booleans())
def test_closed_form_matches_backward_induction(p0, p1, c_d, c_r, d_d, d_r, common) -> None:
    if common:
        d_r = d_d
    r = commitment_problem(p0, p1, c_d, c_r, d_d, delta_rising=d_r)
    tol = 4 * (1 / 2000) / (1 - max(d_d, d_r))  # grid error accumulated over time
    assume(abs(r.rising_reservation - 1.0) > tol)
    if not r.rising_attacks:
        assume(abs(r.declining_war_payoff - r.declining_peace_payoff) > tol)
    war, v_d, v_r = _brute_force(p0, p1, c_d, c_r, d_d, d_r)
    assert war == r.war
    assert v_d == pytest.approx(r.declining_payoff, abs=tol)
    assert v_r == pytest.approx(r.rising_payoff, abs=tol)


def test_brute_force_covers_each_kind_of_war() -> None:
    rising = _brute_force(0.3, 0.5, 0.05, 0.05, 0.9, 0.9)
    assert rising[0] and commitment_problem(0.3, 0.5, 0.05, 0.05, 0.9).declining_attacks
    # a side about to decline cannot be paid enough today: it attacks
    falling = commitment_problem(0.9, 0.1, 0.05, 0.05, 0.9)
    assert falling.rising_attacks and _brute_force(0.9, 0.1, 0.05, 0.05, 0.9, 0.9)[0]
    assert not powell_war_condition(0.9, 0.1, 0.05, 0.05, 0.9)
    # unequal patience: war with a shift too small for the common-discount condition
    patient = commitment_problem(0.4, 0.7, 0.05, 0.05, 0.95, delta_rising=0.5)
    assert patient.war == _brute_force(0.4, 0.7, 0.05, 0.05, 0.95, 0.5)[0]


# ---------------------------------------------------------------------- guarantees
@settings(max_examples=200, deadline=None)
@given(p0=prob, p1=prob, c_d=cost, c_r=cost, delta=st.floats(0.05, 0.95))
def test_minimum_guarantee_closed_form_matches_bisection(p0, p1, c_d, c_r, delta) -> None:
    if p1 <= p0:
        assert minimum_guarantee_closed_form(p0, p1, c_d, c_r, delta) == 0.0
        # the rising side is falling: only it may attack, which this formula ignores
        war_at_zero = commitment_problem(p0, p1, c_d, c_r, delta).war
        assert (minimum_guarantee(p0, p1, c_d, c_r, delta) > 0) == war_at_zero
        return
    assume(p1 - p0 > 1e-3)
    closed = minimum_guarantee_closed_form(p0, p1, c_d, c_r, delta)
    # (ties within rounding go to peace, which moves the boundary by ~1e-12 / (delta shift))
    assert minimum_guarantee(p0, p1, c_d, c_r, delta) == pytest.approx(closed, abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(p0=prob, p1=prob, c_d=cost, c_r=cost, d_d=discount, d_r=discount)
def test_war_only_below_the_minimum_guarantee(p0, p1, c_d, c_r, d_d, d_r) -> None:
    g_min = minimum_guarantee(p0, p1, c_d, c_r, d_d, d_r)
    strengths = np.linspace(0.0, 1.0, 401)
    war = np.asarray(
        commitment_problem(p0, p1, c_d, c_r, d_d, delta_rising=d_r, guarantee=strengths).war
    )
    clear = np.abs(strengths - g_min) > 1e-9
    np.testing.assert_array_equal(war[clear], (strengths < g_min)[clear])
    assert not war[-1]  # full guarantees remove the shift: always peace


@settings(max_examples=100, deadline=None)
@given(p0=prob, p1=prob, c_d=cost, c_r=cost, delta=discount, g1=prob, g2=prob)
def test_stronger_guarantees_never_cause_war(p0, p1, c_d, c_r, delta, g1, g2) -> None:
    weak, strong = sorted((g1, g2))
    if not commitment_problem(p0, p1, c_d, c_r, delta, guarantee=weak).war:
        assert not commitment_problem(p0, p1, c_d, c_r, delta, guarantee=strong).war


# ---------------------------------------------------------------------- adapter, errors
def test_commitment_from_model_reads_guarantees_and_credibility() -> None:
    model = NegotiationModel()  # p = 0.5, c = (0.15 Ukraine, 0.1 Russia), delta = 0.95
    assert commitment_from_model(model, None, p_future=0.7).war
    offer = Offer.neutrality_for_guarantees(security_guarantees=0.9)
    assert not commitment_from_model(model, offer, p_future=0.7).war
    shaky = model.with_params(west__security_guarantee_credibility=0.5)
    r = commitment_from_model(shaky, offer, p_future=0.7)
    direct = commitment_problem(0.5, 0.7, 0.15, 0.1, 0.95, delta_rising=0.95, guarantee=0.45)
    np.testing.assert_equal(dataclasses.asdict(r), dataclasses.asdict(direct))
    assert r.effective_p_future == pytest.approx(0.5 + 0.55 * 0.2)
    assert r.war  # 0.95 * 0.61 - 0.5 = 0.0795 > 0.05 * (0.15 + 0.095)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: commitment_problem(1.5, 0.5, 0.1, 0.1, 0.9), "p_now = 1.5"),
        (lambda: commitment_problem(0.3, 0.5, 0.1, 0.1, 1.0), r"delta = 1.0 .*\[0, 1\)"),
        (lambda: commitment_problem(0.3, 0.5, -1, 0.1, 0.9), "cost_declining = -1.0"),
        (lambda: commitment_problem(0.3, 0.5, 0.1, 0.1, 0.9, guarantee=2), "guarantee = 2.0"),
        (lambda: commitment_from_model(NegotiationModel(), None, 1.2), "p_future = 1.2"),
    ],
)
def test_invalid_arguments_are_named(call, name: str) -> None:
    with pytest.raises(ValueError, match=name):
        call()
