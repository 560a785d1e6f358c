"""Tests of the Lemke-Howson solver: hand-computed paths, degenerate games, peers."""

from __future__ import annotations

import importlib
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.games.errors import GameError
from simulator.games.normal_form import NormalFormGame
from simulator.solvers.equilibrium import certify
from simulator.solvers.lemke_howson import (
    LemkeHowsonResult,
    PivotLimitError,
    lemke_howson,
    lemke_howson_all_labels_result,
    lemke_howson_result,
)

# the module itself (simulator.solvers.lemke_howson is the function of that name)
lh_module = importlib.import_module("simulator.solvers.lemke_howson")

SEXES_A = np.array([[2.0, 0.0], [0.0, 1.0]])
SEXES_B = np.array([[1.0, 0.0], [0.0, 2.0]])
PENNIES = np.array([[1.0, -1.0], [-1.0, 1.0]])
RPS = np.array([[0.0, -1.0, 1.0], [1.0, 0.0, -1.0], [-1.0, 1.0, 0.0]])
# After the degenerate example of von Stengel (2007): the top row has two best responses.
STENGEL_A = np.array([[3.0, 3.0], [2.0, 5.0], [0.0, 6.0]])
STENGEL_B = np.array([[3.0, 3.0], [2.0, 6.0], [3.0, 1.0]])


def certified(A: np.ndarray, B: np.ndarray, result: LemkeHowsonResult):
    game = NormalFormGame.from_bimatrix(A, B)
    return certify(game, [result.row_strategy, result.col_strategy], method="lemke_howson")


def random_game(seed: int, m: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Real-valued payoffs: nondegenerate with probability one."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal((m, n)), rng.standard_normal((m, n))


def assert_same_profile(result: LemkeHowsonResult, row, col) -> None:
    np.testing.assert_allclose(result.row_strategy, row, atol=1e-9)
    np.testing.assert_allclose(result.col_strategy, col, atol=1e-9)


# ---------------------------------------------------------------------- paths worked out by hand
# Battle of the sexes. Dropping label 0 (row 1) moves x to row 1, whose best reply is
# column 1 (label 2); picking up label 2 moves y to column 1, whose best reply is row 1:
# both play their first strategy after 2 pivots. Labels 1 and 3 lead symmetrically to the
# second pure equilibrium. The mixed equilibrium ((2/3, 1/3), (1/3, 2/3)) has index -1 and
# is reached from no label.
@pytest.mark.parametrize(
    ("label", "row", "col"),
    [(0, [1, 0], [1, 0]), (1, [0, 1], [0, 1]), (2, [1, 0], [1, 0]), (3, [0, 1], [0, 1])],
)
def test_battle_of_the_sexes_by_label(label: int, row: list[int], col: list[int]) -> None:
    result = lemke_howson_result(SEXES_A, SEXES_B, initial_label=label)
    assert_same_profile(result, row, col)
    assert result.pivots == 2
    assert result.initial_label == label
    assert certified(SEXES_A, SEXES_B, result).regret == 0.0


def test_battle_of_the_sexes_all_labels_misses_the_mixed_equilibrium() -> None:
    found = lemke_howson_all_labels_result(SEXES_A, SEXES_B)
    assert [r.initial_label for r in found] == [0, 1]
    assert_same_profile(found[0], [1, 0], [1, 0])
    assert_same_profile(found[1], [0, 1], [0, 1])


# Matching pennies from label 0: x -> Heads (column's reply Tails), y -> Tails (row's reply
# Tails), x mixes until column is indifferent, y mixes until row is indifferent: 4 pivots.
@pytest.mark.parametrize("label", range(4))
def test_matching_pennies_every_label(label: int) -> None:
    result = lemke_howson_result(PENNIES, -PENNIES, initial_label=label)
    assert_same_profile(result, [0.5, 0.5], [0.5, 0.5])
    assert result.pivots == 4
    certified(PENNIES, -PENNIES, result)


@pytest.mark.parametrize("label", range(6))
def test_rock_paper_scissors_every_label(label: int) -> None:
    result = lemke_howson_result(RPS, -RPS, initial_label=label)
    assert_same_profile(result, [1 / 3] * 3, [1 / 3] * 3)
    # Both supports have 3 strategies, so at least 3 pivots happen in each system.
    assert result.pivots >= 6
    assert certified(RPS, -RPS, result).regret <= 1e-12


def test_prisoners_dilemma_dominant_strategies() -> None:
    A = np.array([[3.0, 0.0], [5.0, 1.0]])
    for result in [lemke_howson_result(A, A.T, k) for k in range(4)]:
        assert_same_profile(result, [0, 1], [0, 1])


def test_single_strategy_players() -> None:
    result = lemke_howson_result([[1.0, 3.0, 2.0]], [[0.0, 5.0, 1.0]], initial_label=2)
    assert_same_profile(result, [1.0], [0, 1, 0])
    result = lemke_howson_result([[1.0], [4.0], [2.0]], [[7.0], [0.0], [1.0]], initial_label=0)
    assert_same_profile(result, [0, 1, 0], [1.0])


# ---------------------------------------------------------------------- degenerate games
def count_lexicographic_tie_breaks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    original = lh_module._System._inverse_basis_rows

    def spy(self, rows):  # type: ignore[no-untyped-def]
        calls.append(len(rows))
        return original(self, rows)

    monkeypatch.setattr(lh_module._System, "_inverse_basis_rows", spy)
    return calls


DEGENERATE_GAMES = {
    "von Stengel 2007": (STENGEL_A, STENGEL_B),
    "all zero": (np.zeros((3, 4)), np.zeros((3, 4))),
    # From nashpy's documentation, where its Lemke-Howson fails: column 3 has two best replies.
    "zero-sum with two best replies": (
        np.array([[0.0, -1, 1], [-1, 0, 1], [-1, 1, 0]]),
        -np.array([[0.0, -1, 1], [-1, 0, 1], [-1, 1, 0]]),
    ),
    "identity against constant": (np.eye(4), np.ones((4, 4))),
    "repeated row and column": (
        np.array([[1.0, 1, 0], [1, 1, 0], [0, 0, 1]]),
        np.array([[1.0, 1, 0], [1, 1, 0], [0, 0, 1]]),
    ),
    "coordination with ties": (
        np.kron(np.eye(2), np.ones((2, 2))),
        np.kron(np.eye(2), np.ones((2, 2))),
    ),
}


@pytest.mark.parametrize("name", DEGENERATE_GAMES)
def test_degenerate_games_terminate_from_every_label(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    A, B = DEGENERATE_GAMES[name]
    tie_breaks = count_lexicographic_tie_breaks(monkeypatch)
    for label in range(sum(A.shape)):
        # A path visits each basis at most once, so a small budget suffices.
        result = lemke_howson_result(A, B, initial_label=label, max_pivots=100)
        assert certified(A, B, result).regret <= 1e-12
    # The ratio test really met ties, which a naive rule would break arbitrarily.
    assert tie_breaks, f"{name}: no tie in the minimum-ratio test"


def test_von_stengel_degenerate_game_path_from_label_0() -> None:
    # Worked by hand. Raising x_1 from 0 makes both column constraints of P tight at
    # x = (1/3, 0, 0): a tie. The lexicographic rule compares the rows (1/3, 1/3, 0) and
    # (1/3, 0, 1/3) of (b, B^-1) and drops the second slack (label 4). Q: y_2 rises to 1/6
    # (row 3 tight, label 2). P: x_3 enters at step 0 (the first slack, basic at 0, leaves:
    # label 3). Q: y_1 rises to 1/12 (row 2 tight, label 1). P: x_2 enters until x_1 = 0 at
    # x = (0, 1/8, 1/4), picking up label 0. Five pivots, ending at the mixed equilibrium
    # ((0, 1/3, 2/3), (1/3, 2/3)), where rows 2 and 3 earn 4 and both columns 8/3.
    result = lemke_howson_result(STENGEL_A, STENGEL_B, initial_label=0)
    assert_same_profile(result, [0, 1 / 3, 2 / 3], [1 / 3, 2 / 3])
    assert result.pivots == 5
    for other in lemke_howson_all_labels_result(STENGEL_A, STENGEL_B):
        certified(STENGEL_A, STENGEL_B, other)


# Found by mutation testing: with the ratio test's ties broken by the smallest row index
# instead of lexicographically, the path from label 3 cycles forever.
CYCLING_A = np.array(
    [[2, 0, 0, 0, 0], [2, 2, 1, 0, 0], [0, 1, 1, 1, 0], [0, 2, 2, 0, 0], [1, 1, 2, 1, 1]], float
)
CYCLING_B = np.array(
    [[1, 1, 1, 0, 2], [2, 2, 2, 0, 0], [1, 1, 2, 2, 0], [2, 0, 0, 2, 2], [0, 0, 0, 0, 2]], float
)


def test_naive_tie_breaking_cycles_where_lexicographic_terminates(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    result = lemke_howson_result(CYCLING_A, CYCLING_B, initial_label=3)
    # Row 5 earns 1 against column 5 (others 0); column 5 earns 2 against row 5 (others 0).
    assert_same_profile(result, [0, 0, 0, 0, 1], [0, 0, 0, 0, 1])
    assert result.pivots == 3

    def first_minimum_ratio(self, label):  # type: ignore[no-untyped-def]
        column = self.table[:, self.col_of[label]]
        ratios = np.full(column.shape, np.inf)
        np.divide(self.table[:, -1], column, out=ratios, where=column > 1e-10)
        return int(np.argmin(ratios))

    monkeypatch.setattr(lh_module._System, "leaving_row", first_minimum_ratio)
    with pytest.raises(PivotLimitError):
        lemke_howson_result(CYCLING_A, CYCLING_B, initial_label=3, max_pivots=1000)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 6),
    st.integers(1, 6),
    st.integers(0, 2**32 - 1),
    st.booleans(),
)
def test_small_integer_games_are_solved_from_every_label(
    m: int, n: int, seed: int, duplicate: bool
) -> None:
    # Payoffs in {0, 1, 2} make ties between best responses (degeneracy) very common.
    rng = np.random.default_rng(seed)
    A = rng.integers(0, 3, (m, n)).astype(float)
    B = rng.integers(0, 3, (m, n)).astype(float)
    if duplicate:
        A, B = np.vstack([A, A[-1:]]), np.vstack([B, B[-1:]])
        A, B = np.hstack([A, A[:, :1]]), np.hstack([B, B[:, :1]])
    game = NormalFormGame.from_bimatrix(A, B)
    for label in range(sum(A.shape)):
        result = lemke_howson_result(A, B, initial_label=label, max_pivots=10_000)
        certify(game, [result.row_strategy, result.col_strategy], method="lemke_howson")


# ---------------------------------------------------------------------- random games
@settings(max_examples=40, deadline=None)
@given(st.integers(1, 30), st.integers(1, 30), st.integers(0, 2**32 - 1), st.data())
def test_random_games_have_regret_below_tolerance(
    m: int, n: int, seed: int, data: st.DataObject
) -> None:
    A, B = random_game(seed, m, n)
    label = data.draw(st.integers(0, m + n - 1), label="initial_label")
    result = lemke_howson_result(A, B, initial_label=label)
    equilibrium = certified(A, B, result)  # raises CertificationError above the tolerance
    assert equilibrium.regret <= equilibrium.tolerance
    assert result.row_strategy.shape == (m,) and result.col_strategy.shape == (n,)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 8), st.integers(1, 8), st.integers(0, 2**32 - 1))
def test_transposed_game_follows_the_same_path(m: int, n: int, seed: int) -> None:
    # Swapping the players swaps the two systems: row label i becomes label n + i and
    # column label m + j becomes label j; the path, hence the answer, is the same.
    A, B = random_game(seed, m, n)
    for label in range(m + n):
        swapped = label + n if label < m else label - m
        direct = lemke_howson_result(A, B, label)
        mirrored = lemke_howson_result(B.T, A.T, swapped)
        assert_same_profile(mirrored, direct.col_strategy, direct.row_strategy)
        assert mirrored.pivots == direct.pivots


@settings(max_examples=25, deadline=None)
@given(
    st.integers(1, 8),
    st.integers(1, 8),
    st.integers(0, 2**32 - 1),
    st.floats(0.01, 100),
    st.floats(-50, 50),
)
def test_positive_affine_payoff_changes_keep_the_path(
    m: int, n: int, seed: int, scale: float, shift: float
) -> None:
    A, B = random_game(seed, m, n)
    for label in range(m + n):
        direct = lemke_howson_result(A, B, label)
        moved = lemke_howson_result(scale * A + shift, B - shift, label)
        assert_same_profile(moved, direct.row_strategy, direct.col_strategy)
        assert moved.pivots == direct.pivots


def test_all_labels_returns_distinct_certified_equilibria() -> None:
    A, B = random_game(7, 6, 6)
    found = lemke_howson_all_labels_result(A, B)
    assert 1 <= len(found) <= 12
    assert [r.initial_label for r in found] == sorted(r.initial_label for r in found)
    for i, first in enumerate(found):
        certified(A, B, first)
        for second in found[i + 1 :]:
            assert not (
                np.allclose(first.row_strategy, second.row_strategy)
                and np.allclose(first.col_strategy, second.col_strategy)
            )
    # Each label's run ends at one of the listed equilibria.
    for label in range(12):
        result = lemke_howson_result(A, B, label)
        assert any(
            np.allclose(result.row_strategy, r.row_strategy)
            and np.allclose(result.col_strategy, r.col_strategy)
            for r in found
        )


def test_large_random_game() -> None:
    A, B = random_game(2024, 60, 60)
    result = lemke_howson_result(A, B, initial_label=0)
    assert certified(A, B, result).regret <= 1e-10


# ---------------------------------------------------------------------- errors
def test_pivot_limit_raises_instead_of_returning_a_partial_profile() -> None:
    with pytest.raises(PivotLimitError, match="within 3 pivots"):
        lemke_howson(PENNIES, -PENNIES, max_pivots=3)
    assert issubclass(PivotLimitError, RuntimeError)
    assert lemke_howson_result(PENNIES, -PENNIES, max_pivots=4).pivots == 4


@pytest.mark.parametrize(
    ("A", "B", "label", "message"),
    [
        ([[1, 2], [3, 4]], [[1, 2, 3]], 0, "same shape"),
        ([1, 2], [3, 4], 0, "same shape"),
        ([[1, np.nan]], [[1, 2]], 0, "finite"),
        ([[1, 2]], [[1, np.inf]], 0, "finite"),
        ([[1, 2]], [[1, 2]], 3, r"0\.\.2"),
        ([[1, 2]], [[1, 2]], -1, r"0\.\.2"),
        ([[1, 2]], [[1, 2]], 0.5, "integer"),
        ([["a", 2]], [[1, 2]], 0, "numbers"),
        ([[1e308, -1e308]], [[1, 2]], 0, "overflows"),
    ],
)
def test_invalid_input_raises_game_error(A, B, label, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(GameError, match=message):
        lemke_howson(A, B, initial_label=label)


def test_invalid_pivot_budget() -> None:
    with pytest.raises(GameError, match="max_pivots"):
        lemke_howson(PENNIES, -PENNIES, max_pivots=0)


# ---------------------------------------------------------------------- peers
# nashpy 0.0.43 uses the same labels (0..m-1 rows, m..m+n-1 columns). Its lemke_howson
# returns non-equilibria on many games with m > n, fails on n = 1 and can loop, so it is
# compared on fixed games with 2 <= m <= n where it was checked to finish, and only
# when its answer is an equilibrium. On nondegenerate games the path from a label is
# unique, so a correct peer must land on the same equilibrium.
NASHPY_GAMES = [(seed, 2 + seed % 3, 2 + seed % 3 + seed % 2) for seed in range(12)]


@pytest.mark.parametrize(("seed", "m", "n"), NASHPY_GAMES)
def test_agrees_with_nashpy_from_every_label(seed: int, m: int, n: int) -> None:
    nash_lh = pytest.importorskip("nashpy.algorithms.lemke_howson").lemke_howson
    A, B = random_game(seed, m, n)
    game = NormalFormGame.from_bimatrix(A, B)
    compared = 0
    for label in range(m + n):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            row, col = nash_lh(A, B, initial_dropped_label=label)
        ours = lemke_howson_result(A, B, label)
        certified(A, B, ours)
        if row.shape == (m,) and col.shape == (n,) and game.is_nash([row, col], tol=1e-9):
            assert_same_profile(ours, row, col)
            compared += 1
    assert compared >= 1


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 12), st.integers(1, 12), st.integers(0, 2**32 - 1))
def test_agrees_with_quantecon(m: int, n: int, seed: int) -> None:
    gt = pytest.importorskip("quantecon.game_theory")
    A, B = random_game(seed, m, n)
    game = gt.NormalFormGame([gt.Player(A), gt.Player(B.T)])
    for label in range(m + n):
        (row, col), info = gt.lemke_howson(game, init_pivot=label, full_output=True)
        ours = lemke_howson_result(A, B, label)
        assert_same_profile(ours, row, col)
        assert ours.pivots == info.num_iter
