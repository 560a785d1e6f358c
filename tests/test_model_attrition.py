"""The war of attrition with private values: T(v) = -v - ln(1 - v) is a best response."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad
from scipy.optimize import brentq

from simulator.model.published.attrition import (
    deviation_payoff,
    equilibrium_payoff,
    expected_duration,
    quit_time,
)

FAST = settings(max_examples=20, deadline=None)


def payoff_of_quitting_at(t: float, v: float, c: float, v_max: float) -> float:
    """Expected payoff of a player of value v who quits at time t against an opponent whose
    value is uniform on [0, v_max] and who quits at quit_time(value): by numerical
    integration over the opponent's value (no closed form for the payoff is used)."""
    # The opponent quits first iff its value is below x_t, where quit_time(x_t) = t.
    x_t = _inverse_quit_time(t, c, v_max)

    def win(x: float) -> float:
        return (v - c * quit_time(x, c, v_max)) / v_max

    won = quad(win, 0.0, x_t, limit=200)[0] if x_t > 0 else 0.0
    return won - (1.0 - x_t / v_max) * c * t


def _inverse_quit_time(t: float, c: float, v_max: float) -> float:
    if t <= 0:
        return 0.0
    return brentq(lambda x: quit_time(x, c, v_max) - t, 0.0, v_max, xtol=1e-14)


class TestWorkedNumbers:
    def test_models_md_value(self) -> None:
        assert quit_time(0.5) == pytest.approx(0.193147, abs=5e-7)
        assert quit_time(0.5) == pytest.approx(math.log(2) - 0.5)

    def test_endpoints_and_scaling(self) -> None:
        assert quit_time(0.0) == 0.0
        assert quit_time(1.0) == math.inf
        assert quit_time(0.5, cost_per_time=2.0) == pytest.approx(quit_time(0.5) / 2)
        # Values uniform on [0, 2]: T(1) = -1 - 2 ln(1/2).
        assert quit_time(1.0, v_max=2.0) == pytest.approx(-1 + 2 * math.log(2))

    def test_payoffs_and_duration(self) -> None:
        assert equilibrium_payoff(0.5) == pytest.approx(0.125)
        assert deviation_payoff(0.5, 0.5) == pytest.approx(0.125)
        assert expected_duration() == pytest.approx(1 / 6)
        assert expected_duration(cost_per_time=0.5, v_max=3.0) == pytest.approx(1.0)

    def test_vectorised_and_monotone(self) -> None:
        v = np.linspace(0, 0.99, 50)
        t = quit_time(v)
        assert t == pytest.approx([quit_time(x) for x in v])
        assert np.all(np.diff(t) > 0)
        assert np.all(quit_time(v[1:], cost_per_time=3.0) < t[1:])

    @pytest.mark.parametrize(
        "call, match",
        [
            (lambda: quit_time(1.2), "value"),
            (lambda: quit_time(-0.1), "value"),
            (lambda: quit_time(0.5, cost_per_time=0.0), "cost_per_time"),
            (lambda: quit_time(0.5, v_max=-1.0), "v_max"),
            (lambda: deviation_payoff(0.5, 1.5), "mimic"),
        ],
    )
    def test_invalid_arguments(self, call, match: str) -> None:
        with pytest.raises(ValueError, match=match):
            call()


class TestBestResponse:
    @FAST
    @given(
        v=st.floats(0.05, 0.95),
        c=st.floats(0.2, 5.0),
        v_max=st.sampled_from([1.0, 0.5, 2.5]),
    )
    def test_no_type_gains_by_quitting_at_another_types_time(
        self, v: float, c: float, v_max: float
    ) -> None:
        value = v * v_max
        mimics = np.linspace(0.0, 0.98, 50) * v_max
        payoffs = np.array(
            [payoff_of_quitting_at(quit_time(w, c, v_max), value, c, v_max) for w in mimics]
        )
        own = payoff_of_quitting_at(quit_time(value, c, v_max), value, c, v_max)
        assert own >= payoffs.max() - 1e-9
        # The grid's best mimic is the grid point nearest the true value.
        assert mimics[np.argmax(payoffs)] == pytest.approx(value, abs=0.01 * v_max + 1e-9)
        # And the closed-form deviation payoff agrees with the integral.
        assert deviation_payoff(value, mimics, v_max) == pytest.approx(payoffs, abs=1e-8)
        assert equilibrium_payoff(value, v_max) == pytest.approx(own, abs=1e-8)

    @FAST
    @given(v=st.floats(0.05, 0.95), t=st.floats(0.0, 20.0))
    def test_no_quit_time_beats_equilibrium(self, v: float, t: float) -> None:
        # Any quit time t, not just those on the equilibrium schedule.
        assert payoff_of_quitting_at(t, v, 1.0, 1.0) <= equilibrium_payoff(v) + 1e-9

    def test_satisfies_the_first_order_condition(self) -> None:
        v = np.linspace(0.01, 0.95, 40)
        h = 1e-6
        derivative = (quit_time(v + h) - quit_time(v - h)) / (2 * h)
        assert derivative == pytest.approx(v / (1 - v), rel=1e-6)  # hazard rate times value

    def test_monte_carlo_duration_and_payoff(self) -> None:
        rng = np.random.default_rng(1988)
        values = rng.uniform(size=(200_000, 2))
        times = quit_time(values)
        duration = times.min(axis=1)
        assert duration.mean() == pytest.approx(expected_duration(), rel=0.02)
        winner_value = values.max(axis=1)
        total_payoff = winner_value - 2 * duration  # both pay until the first quits
        assert total_payoff.mean() == pytest.approx(2 * equilibrium_payoff(values).mean(), rel=0.02)
