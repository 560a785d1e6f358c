"""Tests of the zero-sum LP solver: values from the literature and by hand, invariances."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from simulator.games.errors import GameError
from simulator.games.normal_form import NormalFormGame
from simulator.solvers.equilibrium import certify, default_tolerance
from simulator.solvers.zero_sum import LinearProgramError, ZeroSumResult, zero_sum, zero_sum_result

PENNIES = [[1, -1], [-1, 1]]
RPS = [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]


def assert_solution(solution: ZeroSumResult, row, col, value: float) -> None:
    np.testing.assert_allclose(solution.row_strategy, row, atol=1e-9)
    np.testing.assert_allclose(solution.col_strategy, col, atol=1e-9)
    assert solution.value == pytest.approx(value, abs=1e-9)


def test_matching_pennies() -> None:
    assert_solution(zero_sum_result(PENNIES), [0.5, 0.5], [0.5, 0.5], 0.0)


def test_rock_paper_scissors() -> None:
    assert_solution(zero_sum_result(RPS), [1 / 3] * 3, [1 / 3] * 3, 0.0)


def test_three_by_three_solved_by_dominance() -> None:
    # Column 3 is dominated for the minimiser (4, 3, 2 exceed columns 1 and 2 entry by
    # entry); then row 3 (-3, -2) is dominated by row 1 (3, -1). The 2x2 remainder
    # [[3, -1], [-2, 1]] has no saddle point; equalising gives x = (3/7, 4/7) from
    # 3x - 2(1 - x) = -x + (1 - x), y = (2/7, 5/7) from 3y - (1 - y) = -2y + (1 - y),
    # and the value 3(2/7) - 5/7 = 1/7.
    A = [[3, -1, 4], [-2, 1, 3], [-3, -2, 2]]
    assert_solution(zero_sum_result(A), [3 / 7, 4 / 7, 0], [2 / 7, 5 / 7, 0], 1 / 7)


def test_circulant_game_has_uniform_solution() -> None:
    # Every row and column sums to 6, so the uniform strategies guarantee 6/3 = 2 to both
    # sides; A is nonsingular, so they are the unique optimal strategies.
    A = [[1, 2, 3], [3, 1, 2], [2, 3, 1]]
    assert_solution(zero_sum_result(A), [1 / 3] * 3, [1 / 3] * 3, 2.0)


def test_skew_symmetric_game() -> None:
    # A x = 0 gives x_2 = 2 x_3 and x_1 = 3 x_3: x = (1/2, 1/3, 1/6); value 0 by symmetry.
    A = [[0, 1, -2], [-1, 0, 3], [2, -3, 0]]
    assert_solution(zero_sum_result(A), [1 / 2, 1 / 3, 1 / 6], [1 / 2, 1 / 3, 1 / 6], 0.0)


def test_saddle_point() -> None:
    # Row minima (1, 2) and column maxima (4, 2): maximin = minimax = 2 at (row 2, column 2).
    assert_solution(zero_sum_result([[3, 1], [4, 2]]), [0, 1], [0, 1], 2.0)


def test_degenerate_shapes() -> None:
    assert_solution(zero_sum_result([[5]]), [1], [1], 5.0)
    assert_solution(zero_sum_result([[4, -2, 7]]), [1], [0, 1, 0], -2.0)
    assert_solution(zero_sum_result([[4], [-2], [7]]), [0, 0, 1], [1], 7.0)
    constant = zero_sum_result(np.full((3, 2), -1.5))
    assert constant.value == -1.5
    assert constant.row_strategy.sum() == pytest.approx(1.0)


def test_result_is_read_only() -> None:
    solution = zero_sum_result(PENNIES)
    with pytest.raises(ValueError):
        solution.row_strategy[0] = 1.0


# ---------------------------------------------------------------------- properties
payoff_matrices = st.tuples(st.integers(1, 8), st.integers(1, 8)).flatmap(
    lambda shape: arrays(
        np.float64, shape, elements=st.floats(-100, 100, allow_nan=False, allow_subnormal=False)
    )
)


def guarantees(A: np.ndarray, solution: ZeroSumResult) -> tuple[float, float]:
    """What each strategy guarantees against every pure reply."""
    floor = float((solution.row_strategy @ A).min())
    ceiling = float((A @ solution.col_strategy).max())
    return floor, ceiling


@settings(max_examples=60, deadline=None)
@given(payoff_matrices)
def test_value_is_the_max_min_and_the_profile_has_zero_regret(A: np.ndarray) -> None:
    solution = zero_sum_result(A)
    tol = default_tolerance(np.asarray(A))
    floor, ceiling = guarantees(A, solution)
    # The row strategy guarantees the value against every column, and the column strategy
    # holds the row player to it: max-min over pure replies = value = min-max.
    assert floor == pytest.approx(solution.value, abs=tol)
    assert ceiling == pytest.approx(solution.value, abs=tol)
    assert solution.value == pytest.approx(
        float(solution.row_strategy @ A @ solution.col_strategy), abs=1e-12 * (1 + abs(A).max())
    )
    equilibrium = certify(
        NormalFormGame.from_bimatrix(A),
        [solution.row_strategy, solution.col_strategy],
        method="zero_sum",
    )
    assert equilibrium.regret <= equilibrium.tolerance


@settings(max_examples=40, deadline=None)
@given(payoff_matrices, st.floats(-1000, 1000), st.floats(0.001, 1000))
def test_value_under_positive_affine_maps(A: np.ndarray, shift: float, scale: float) -> None:
    value = zero_sum_result(A).value
    tol = 1e-8 * max(1.0, float(np.abs(A).max()))
    assert zero_sum_result(A + shift).value == pytest.approx(
        value + shift, abs=tol + 1e-8 * abs(shift)
    )
    assert zero_sum_result(scale * A).value == pytest.approx(scale * value, abs=tol * max(1, scale))


@settings(max_examples=40, deadline=None)
@given(payoff_matrices)
def test_swapping_the_players_negates_the_value(A: np.ndarray) -> None:
    # The column player facing -A^T as the row player is the same game seen from the other side.
    value = zero_sum_result(A).value
    assert zero_sum_result(-A.T).value == pytest.approx(
        -value, abs=1e-8 * max(1.0, np.abs(A).max())
    )


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 10), st.integers(1, 10), st.integers(0, 2**32 - 1))
def test_value_agrees_with_nashpy(m: int, n: int, seed: int) -> None:
    nashpy = pytest.importorskip("nashpy")
    A = np.random.default_rng(seed).standard_normal((m, n))
    row, col = nashpy.Game(A).linear_program()
    ours = zero_sum_result(A)
    # Optimal strategies may differ when not unique; the value may not.
    assert ours.value == pytest.approx(float(row @ A @ col), abs=1e-7)


@pytest.mark.parametrize("order", [[0, 1, 2], [0, 2, 1]])
def test_small_payoff_differences_are_resolved(order: list[int]) -> None:
    # Found by hypothesis: with HiGHS's default tolerances (1e-7) the column strategy was
    # column 1, which concedes 2**-23 to row 1 although column 3 concedes nothing.
    A = np.array([[2.0**-23, 1, 0], [0, 0, 0], [-1, 0, 0]])[order]
    solution = zero_sum_result(A)
    floor, ceiling = guarantees(A, solution)
    assert solution.value == 0.0
    assert floor == 0.0 and ceiling == 0.0
    np.testing.assert_array_equal(solution.col_strategy, [0, 0, 1])


def test_larger_random_game() -> None:
    A = np.random.default_rng(5).uniform(-10, 10, (80, 60))
    solution = zero_sum_result(A)
    floor, ceiling = guarantees(A, solution)
    assert ceiling - floor <= default_tolerance(A)


# ---------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    ("A", "message"),
    [
        ([1, 2, 3], "shape"),
        ([[]], "shape"),
        ([[1, np.nan]], "finite"),
        ([[1, np.inf], [0, 1]], "finite"),
        ([["x"]], "numbers"),
        ([[1e308, -1e308]], "overflows"),
    ],
)
def test_invalid_input_raises_game_error(A: object, message: str) -> None:
    with pytest.raises(GameError, match=message):
        zero_sum(A)


def test_lp_failure_raises_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import scipy.optimize
    from scipy.optimize import OptimizeResult

    def failing_linprog(*args: object, **kwargs: object) -> OptimizeResult:
        return OptimizeResult(status=4, x=None, message="numerical difficulties")

    monkeypatch.setattr(scipy.optimize, "linprog", failing_linprog)
    with pytest.raises(LinearProgramError, match="status 4: numerical difficulties"):
        zero_sum(PENNIES)
    assert issubclass(LinearProgramError, RuntimeError)


def test_constant_sum_games_are_solved_by_the_zero_sum_lp() -> None:
    from simulator import NormalFormGame, solve

    # (A, 4 - A): the same equilibrium as (A, -A), payoffs shifted for the column player
    game = NormalFormGame.from_bimatrix([[3, 1], [0, 2]], [[1, 3], [4, 2]])
    assert game.is_constant_sum() and not game.is_zero_sum()
    (eq,) = solve(game, method="zero-sum")
    (reference,) = solve(game, method="enumerate")
    assert np.allclose(eq.profile[0], reference.profile[0])
    assert np.allclose(eq.profile[1], reference.profile[1])
    assert eq.payoffs.tolist() == pytest.approx([1.5, 2.5])
    assert eq.parameters["constant_sum"] == 4.0 and eq.regret <= eq.tolerance
    general = NormalFormGame.from_bimatrix([[3, 1], [0, 2]], [[1, 3], [4, 0]])
    with pytest.raises(GameError, match="same constant"):
        solve(general, method="zero-sum")
