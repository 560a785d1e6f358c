import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from simulator import NormalFormGame
from simulator.games.dominance import dominated_strategies, iterated_elimination
from simulator.solvers.pure import pure_equilibria, pure_nash_mask


def brute_force_pure(u: np.ndarray) -> list[tuple[int, ...]]:
    shape = u.shape[:-1]
    found = []
    for profile in np.ndindex(*shape):
        ok = True
        for i in range(len(shape)):
            for t in range(shape[i]):
                dev = list(profile)
                dev[i] = t
                if u[tuple(dev)][i] > u[profile][i] + 1e-9:
                    ok = False
        if ok:
            found.append(profile)
    return found


def test_known_pure_equilibria():
    sexes = NormalFormGame.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    assert list(pure_equilibria(sexes.payoffs)) == [(0, 0), (1, 1)]
    pennies = NormalFormGame.from_bimatrix([[1, -1], [-1, 1]])
    assert list(pure_equilibria(pennies.payoffs)) == []


def test_three_player_coordination():
    u = np.zeros((2, 2, 2, 3))
    u[0, 0, 0] = 1
    u[1, 1, 1] = 2
    assert list(pure_equilibria(u)) == [(0, 0, 0), (1, 1, 1)]


@settings(max_examples=60, deadline=None)
@given(
    arrays(
        float,
        st.tuples(st.integers(1, 3), st.integers(1, 3), st.integers(1, 3), st.just(3)),
        elements=st.integers(-3, 3).map(float),
    )
)
def test_pure_matches_brute_force(u):
    assert list(pure_equilibria(u)) == brute_force_pure(u)
    assert pure_nash_mask(u).sum() == len(brute_force_pure(u))


def test_mixed_dominance_needs_lp():
    g = NormalFormGame.from_bimatrix([[3, 0], [0, 3], [1, 1]], [[0, 0], [0, 0], [0, 0]])
    assert dominated_strategies(g, 0, mixed=False) == []
    assert dominated_strategies(g, 0) == [2]
    # 1.5 in the middle is exactly the value of the 50-50 mixture: not strictly dominated
    h = NormalFormGame.from_bimatrix([[3, 0], [0, 3], [1.5, 1.5]], np.zeros((3, 2)))
    assert dominated_strategies(h, 0) == []
    assert dominated_strategies(h, 0, strict=False) == []


def test_weak_dominance():
    g = NormalFormGame.from_bimatrix([[1, 1], [1, 0]], [[0, 0], [0, 0]])
    assert dominated_strategies(g, 0) == []
    assert dominated_strategies(g, 0, strict=False) == [1]


def test_iterated_elimination_textbook():
    # Classic 3x3 solvable by iterated strict dominance (Gibbons 1992, fig. 1.1.4 style).
    a = [[1, 1, 0], [0, 0, 2], [0, 0, 0]]
    b = [[0, 2, 1], [3, 1, 0], [1, 0, 0]]
    result = iterated_elimination(NormalFormGame.from_bimatrix(a, b))
    assert result.kept == ((0,), (1,))
    assert result.rounds >= 2


@settings(max_examples=30, deadline=None)
@given(
    arrays(
        float,
        st.tuples(st.integers(2, 4), st.integers(2, 4), st.just(2)),
        elements=st.integers(-4, 4).map(float),
    )
)
def test_strict_elimination_keeps_every_pure_equilibrium(u):
    game = NormalFormGame(u)
    kept = iterated_elimination(game).kept
    for profile in pure_equilibria(u):
        assert all(s in k for s, k in zip(profile, kept))


def test_game_methods_delegate():
    pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    assert dominated_strategies(pd, 1) == [0]
    assert iterated_elimination(pd).game.shape == (1, 1)
    with pytest.raises(ValueError):
        pd.payoffs[0, 0, 0] = 1
