"""The engine's rules written out by hand for the tests, independently of simulator.model.rules."""

from __future__ import annotations


def retained(x: float, x_dom: float, span: float) -> float:
    """The status rule, written out for the tests: Russia keeps all of its premium up to the
    dominance threshold, none beyond threshold + span, and a linearly falling share between."""
    if x <= x_dom:
        return 1.0
    if x >= x_dom + span:
        return 0.0
    return 1.0 - (x - x_dom) / span
