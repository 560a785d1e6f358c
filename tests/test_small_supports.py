"""Support enumeration for small nondegenerate games: the same answer as vertex enumeration.

``vertex_enumeration_result`` takes the batched support enumeration of
``simulator.solvers.small_supports`` for small games that pass its nondegeneracy test, and
vertex enumeration otherwise. Both must give the same equilibria, in the same order, with
the same components and maximal Nash subsets.
"""

from __future__ import annotations

import importlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from simulator.solvers.small_supports import (
    SMALL_GAME_SUPPORTS,
    small_game_equilibria,
    support_pairs,
)
from simulator.solvers.vertex_enumeration import vertex_enumeration_result

ve = importlib.import_module("simulator.solvers.vertex_enumeration")


def _general(a: np.ndarray, b: np.ndarray, monkeypatch: pytest.MonkeyPatch):
    with monkeypatch.context() as patch:
        patch.setattr(ve, "small_game_equilibria", lambda *args: None)
        return vertex_enumeration_result(a, b)


def _same(fast, general) -> None:
    np.testing.assert_allclose(fast.row_vertices, general.row_vertices, atol=1e-9)
    np.testing.assert_allclose(fast.col_vertices, general.col_vertices, atol=1e-9)
    np.testing.assert_array_equal(fast.pairs, general.pairs)
    np.testing.assert_array_equal(fast.components, general.components)
    assert fast.cliques == general.cliques


shapes = st.tuples(st.integers(1, 4), st.integers(1, 4))


@settings(max_examples=150, deadline=None)
@given(
    shapes.flatmap(
        lambda s: st.tuples(
            arrays(np.float64, s, elements=st.floats(-10, 10, allow_nan=False)),
            arrays(np.float64, s, elements=st.floats(-10, 10, allow_nan=False)),
        )
    )
)
def test_same_equilibria_as_vertex_enumeration_on_real_games(game):
    a, b = game
    with pytest.MonkeyPatch.context() as patch:
        _same(vertex_enumeration_result(a, b), _general(a, b, patch))


@settings(max_examples=150, deadline=None)
@given(
    shapes.flatmap(
        lambda s: st.tuples(
            arrays(np.int64, s, elements=st.integers(-2, 2)),
            arrays(np.int64, s, elements=st.integers(-2, 2)),
        )
    )
)
def test_degenerate_games_are_left_to_vertex_enumeration(game):
    """Small integer payoffs tie often: the test of nondegeneracy must send every game
    whose support enumeration could miss an equilibrium to the general path."""
    a, b = (np.asarray(x, dtype=float) for x in game)
    with pytest.MonkeyPatch.context() as patch:
        _same(vertex_enumeration_result(a, b), _general(a, b, patch))


def test_random_games_take_the_fast_path_and_ties_do_not():
    rng = np.random.default_rng(0)
    a, b = rng.random((3, 3)), rng.random((3, 3))
    assert small_game_equilibria(1 + a, 1 + b, 1e-9) is not None
    # a column that ties two rows for the column player: degenerate
    b_tied = np.array([[1.0, 1.0, 2.0], [2.0, 1.5, 1.0], [1.2, 1.8, 1.4]])
    assert small_game_equilibria(1 + a, b_tied, 1e-9) is None


def test_large_games_go_to_the_general_path():
    assert support_pairs(5, 5) <= SMALL_GAME_SUPPORTS < support_pairs(6, 6)
    rng = np.random.default_rng(1)
    assert small_game_equilibria(1 + rng.random((6, 6)), 1 + rng.random((6, 6)), 1e-9) is None
