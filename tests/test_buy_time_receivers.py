"""The root finding the buy-time searches share (:mod:`simulator.model.buy_time_receivers`)."""

from __future__ import annotations

import numpy as np

from simulator.model.buy_time_receivers import false_position


def test_false_position_bisects_where_the_function_jumps_and_stays_fast_where_it_is_smooth():
    """Where the function jumps unevenly (a receiver switches its play there), secant steps
    crawl: Illinois with a bisection every third round left such a bracket 1.5e-8 wide after
    its 80 rounds. Bisecting once six rounds have not halved the function's size narrows it
    to the width asked for; a smooth root keeps Illinois's pace (16 rounds here, as before)."""
    rounds = []

    def run(f, lo, hi):
        def value_at(rows, x):
            rounds.append(rows.size)
            return f(x)

        ends = np.array([lo]), np.array([hi])
        return false_position(value_at, *ends, f(ends[0]), f(ends[1]), 80, 1e-13, 1e-14)

    lo, hi, _, _ = run(lambda x: np.where(x < 0.3, -1e-4 - 1e-4 * x, 5.0 + x), 1e-12, 1 - 1e-12)
    assert lo[0] < 0.3 <= hi[0] and hi[0] - lo[0] <= 1e-13
    assert len(rounds) <= 50
    rounds.clear()
    _, _, f_lo, f_hi = run(lambda x: (x + 1.0) ** 2 - 2.0, 0.0, 1.0)
    assert min(abs(f_lo[0]), abs(f_hi[0])) <= 1e-14
    assert len(rounds) <= 16
