"""Tests of the vectorised batch solver ``solve_batch`` (extreme equilibria of many games).

The reference is an independent exact vertex enumeration written here: every choice of
``m`` tight constraints among the ``m + n`` of ``P = {x >= 0 : B^T x <= 1}`` (resp. ``Q``)
is solved in rational arithmetic, vertices carry every tight label, and the extreme
equilibria are the completely labelled vertex pairs (von Stengel 2007, ch. 3 of Nisan
et al., Algorithmic Game Theory, Thm 3.4; Avis et al. 2010).
"""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.games.errors import GameError
from simulator.games.normal_form import NormalFormGame
from simulator.solvers import batch as batch_module
from simulator.solvers.batch import BatchResult, solve_batch
from simulator.solvers.equilibrium import CertificationError

F = Fraction


# ---------------------------------------------------------------------- exact reference
def _solve_exact(rows: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction] | None:
    """Unique solution of a square rational system by Gauss-Jordan elimination, or None."""
    size = len(rows)
    aug = [list(r) + [v] for r, v in zip(rows, rhs)]
    for col in range(size):
        pivot = next((r for r in range(col, size) if aug[r][col] != 0), None)
        if pivot is None:
            return None
        aug[col], aug[pivot] = aug[pivot], aug[col]
        for r in range(size):
            if r != col and aug[r][col] != 0:
                f = aug[r][col] / aug[col][col]
                aug[r] = [p - f * q for p, q in zip(aug[r], aug[col])]
    return [aug[r][size] / aug[r][r] for r in range(size)]


def _polytope_vertices(M: list[list[Fraction]], dim: int, nonneg_first: bool) -> dict:
    """Nonzero vertices ``{point: labels}`` of ``{z >= 0 : M z <= 1}`` with ``z`` in R^dim.

    Constraints are numbered as labels: for ``P`` (``nonneg_first``) label ``i`` is
    ``z_i >= 0`` and label ``dim + j`` is row ``j`` of ``M``; for ``Q`` label ``i`` is row
    ``i`` of ``M`` and label ``len(M) + j`` is ``z_j >= 0``.
    """
    constraints = []  # (label, coefficient row, right-hand side) of "row . z <= rhs"
    unit = [[F(-int(i == j)) for j in range(dim)] for i in range(dim)]  # -z_i <= 0
    if nonneg_first:
        constraints += [(i, unit[i], F(0)) for i in range(dim)]
        constraints += [(dim + j, M[j], F(1)) for j in range(len(M))]
    else:
        constraints += [(i, M[i], F(1)) for i in range(len(M))]
        constraints += [(len(M) + j, unit[j], F(0)) for j in range(dim)]
    vertices = {}
    for chosen in combinations(constraints, dim):
        z = _solve_exact([c[1] for c in chosen], [c[2] for c in chosen])
        if z is None or all(v == 0 for v in z):
            continue
        values = [sum((r * v for r, v in zip(row, z)), F(0)) for _, row, _ in constraints]
        if any(val > rhs for val, (_, _, rhs) in zip(values, constraints)):
            continue
        labels = frozenset(c[0] for c, val in zip(constraints, values) if val == c[2])
        vertices[tuple(z)] = labels
    return vertices


def reference_equilibria(A: np.ndarray, B: np.ndarray) -> list[tuple[Fraction, ...]]:
    """All extreme equilibria ``x + y`` of an integer game, exactly, in lexicographic order."""
    m, n = A.shape
    a = [[F(int(v)) - int(A.min()) + 1 for v in row] for row in A]
    b = [[F(int(v)) - int(B.min()) + 1 for v in row] for row in B]
    bt = [[b[i][j] for i in range(m)] for j in range(n)]
    p_vertices = _polytope_vertices(bt, m, nonneg_first=True)
    q_vertices = _polytope_vertices(a, n, nonneg_first=False)
    everything = frozenset(range(m + n))
    out = set()
    for x, lx in p_vertices.items():
        for y, ly in q_vertices.items():
            if lx | ly == everything:
                sx, sy = sum(x), sum(y)
                out.add(tuple(v / sx for v in x) + tuple(v / sy for v in y))
    return sorted(out)


def assert_matches_reference(A: np.ndarray, B: np.ndarray, result: BatchResult) -> None:
    for g in range(len(A)):
        expected = np.array(reference_equilibria(A[g], B[g]), dtype=float)
        rows, cols = result.equilibria_of(g)
        found = np.concatenate([rows, cols], axis=1)
        assert found.shape == expected.shape, (A[g].tolist(), B[g].tolist(), found, expected)
        # Both are in lexicographic order, so they must agree row by row.
        np.testing.assert_allclose(found, expected, atol=1e-9, err_msg=str((A[g], B[g])))


def assert_certified(A: np.ndarray, B: np.ndarray, result: BatchResult) -> None:
    for k, g in enumerate(result.game_index):
        game = NormalFormGame.from_bimatrix(A[g], B[g])
        profile = [result.row_strategies[k], result.col_strategies[k]]
        regret = game.regret(profile)
        assert regret <= result.tolerance[g]
        assert result.regret[k] == pytest.approx(regret, abs=1e-12 * max(1, np.abs(A[g]).max()))
        np.testing.assert_allclose(result.payoffs[k], game.payoff(profile), rtol=1e-12, atol=1e-12)


# ---------------------------------------------------------------------- known games
BATTLE_OF_THE_SEXES = ([[2, 0], [0, 1]], [[1, 0], [0, 2]])
MATCHING_PENNIES = ([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
PRISONERS_DILEMMA = ([[3, 0], [5, 1]], [[3, 5], [0, 1]])
# The row player is always indifferent; the column player matches the likelier row.
# Equilibria: {(x, L): x_1 >= 1/2} u {(x, R): x_1 <= 1/2} u {((1/2, 1/2), y)}, one
# connected set whose vertices (worked out by hand) are the four profiles below.
INDIFFERENT_ROW = ([[1, 0], [1, 0]], [[1, 0], [0, 1]])


def test_battle_of_the_sexes_has_two_pure_and_one_mixed_equilibrium() -> None:
    res = solve_batch(*BATTLE_OF_THE_SEXES)
    np.testing.assert_allclose(res.row_strategies, [[0, 1], [2 / 3, 1 / 3], [1, 0]])
    np.testing.assert_allclose(res.col_strategies, [[0, 1], [1 / 3, 2 / 3], [1, 0]])
    np.testing.assert_allclose(res.payoffs, [[1, 2], [2 / 3, 2 / 3], [2, 1]])
    assert res.game_index.tolist() == [0, 0, 0]
    assert res.num_games == 1 and res.counts().tolist() == [3]


def test_matching_pennies_and_zero_sum_default() -> None:
    res = solve_batch(MATCHING_PENNIES[0])  # B omitted: zero-sum
    np.testing.assert_allclose(res.row_strategies, [[0.5, 0.5]])
    np.testing.assert_allclose(res.col_strategies, [[0.5, 0.5]])
    np.testing.assert_allclose(res.payoffs, [[0, 0]], atol=1e-15)


def test_prisoners_dilemma_has_only_mutual_defection() -> None:
    res = solve_batch(*PRISONERS_DILEMMA)
    np.testing.assert_array_equal(res.row_strategies, [[0, 1]])
    np.testing.assert_array_equal(res.col_strategies, [[0, 1]])
    np.testing.assert_array_equal(res.payoffs, [[1, 1]])


def test_degenerate_continuum_returns_its_four_vertices() -> None:
    rows, cols = solve_batch(*INDIFFERENT_ROW).equilibria_of(0)
    np.testing.assert_allclose(rows, [[0, 1], [0.5, 0.5], [0.5, 0.5], [1, 0]])
    np.testing.assert_allclose(cols, [[0, 1], [0, 1], [1, 0], [1, 0]])


def test_degenerate_3x2_game_from_von_stengel() -> None:
    # von Stengel (2007), degenerate variant of the 3x2 example: against the first row
    # the column player is indifferent, so ((1,0,0), (y, 1-y)) is an equilibrium for
    # y in [2/3, 1]; the component's ends and the mixed equilibrium are extreme.
    res = solve_batch([[3, 3], [2, 5], [0, 6]], [[3, 3], [2, 6], [3, 1]])
    np.testing.assert_allclose(res.row_strategies, [[0, 1 / 3, 2 / 3], [1, 0, 0], [1, 0, 0]])
    np.testing.assert_allclose(res.col_strategies, [[1 / 3, 2 / 3], [2 / 3, 1 / 3], [1, 0]])
    np.testing.assert_allclose(res.payoffs, [[4, 8 / 3], [3, 3], [3, 3]])


def test_constant_game_has_every_pure_profile_as_vertex() -> None:
    res = solve_batch(np.zeros((2, 3)), np.zeros((2, 3)))
    assert res.counts().tolist() == [6]
    pure = {(int(r.argmax()), int(c.argmax())) for r, c in zip(*res.equilibria_of(0))}
    assert pure == {(i, j) for i in range(2) for j in range(3)}


def test_known_games_batched_together() -> None:
    games = [BATTLE_OF_THE_SEXES, MATCHING_PENNIES, PRISONERS_DILEMMA, INDIFFERENT_ROW]
    A = np.array([g[0] for g in games])
    B = np.array([g[1] for g in games])
    res = solve_batch(A, B)
    assert res.counts().tolist() == [3, 1, 1, 4]
    assert res.game_index.tolist() == [0, 0, 0, 1, 2, 3, 3, 3, 3]
    np.testing.assert_allclose(res.equilibria_of(2)[0], [[0, 1]])
    np.testing.assert_allclose(res.equilibria_of(-1)[1], [[0, 1], [0, 1], [1, 0], [1, 0]])
    assert_matches_reference(A, B, res)


def test_parameter_sweep_matches_closed_form() -> None:
    # A = [[t, 0], [0, 1]], B = [[1, 0], [0, t]]: the mixed equilibrium is
    # x = (t, 1) / (1 + t), y = (1, t) / (1 + t) by the indifference conditions.
    t = np.linspace(0.1, 10, 1000)
    A = np.zeros((len(t), 2, 2))
    B = np.zeros((len(t), 2, 2))
    A[:, 0, 0], A[:, 1, 1] = t, 1
    B[:, 0, 0], B[:, 1, 1] = 1, t
    res = solve_batch(A, B)
    assert (res.counts() == 3).all()
    mixed = res.row_strategies[1::3], res.col_strategies[1::3]
    np.testing.assert_allclose(mixed[0][:, 0], t / (1 + t), rtol=1e-12)
    np.testing.assert_allclose(mixed[1][:, 0], 1 / (1 + t), rtol=1e-12)


def test_one_strategy_for_a_player() -> None:
    # The column player's best responses to the single row are the equilibria.
    res = solve_batch([[0, 0, 0]], [[2, 5, 5]])
    np.testing.assert_array_equal(res.col_strategies, [[0, 0, 1], [0, 1, 0]])
    np.testing.assert_array_equal(res.row_strategies, [[1], [1]])


# ---------------------------------------------------------------------- result object
def test_result_is_ordered_read_only_and_indexable() -> None:
    rng = np.random.default_rng(3)
    A, B = rng.integers(-2, 3, (2, 50, 3, 3))
    res = solve_batch(A, B)
    assert np.all(np.diff(res.game_index) >= 0)
    assert res.counts().sum() == len(res) == len(res.regret)
    assert res.tolerance.shape == (50,)
    for g in range(50):
        rows, cols = res.equilibria_of(g)
        keys = [tuple(r) + tuple(c) for r, c in zip(rows, cols)]
        assert keys == sorted(keys) and len(set(keys)) == len(keys)
    with pytest.raises(ValueError):
        res.row_strategies[0, 0] = 0.5
    with pytest.raises(IndexError):
        res.equilibria_of(50)


def test_default_tolerance_per_game_and_explicit_tol() -> None:
    A = np.array([[[0, 1], [1, 0]], [[0, 500], [-500, 0]]])
    res = solve_batch(A, -A)
    # the looser of the two players' bounds, 1e-8 times each player's own span: 1 and 1000
    np.testing.assert_allclose(res.tolerance, [1e-8, 1e-5])
    assert solve_batch(A, -A, tol=1e-6).tolerance.tolist() == [1e-6, 1e-6]


def test_empty_batch() -> None:
    res = solve_batch(np.zeros((0, 3, 2)), np.zeros((0, 3, 2)))
    assert res.num_games == 0 and len(res) == 0
    assert res.row_strategies.shape == (0, 3) and res.col_strategies.shape == (0, 2)
    assert res.counts().tolist() == []


def test_shared_matrix_is_broadcast_across_games() -> None:
    A = np.array([BATTLE_OF_THE_SEXES[0], PRISONERS_DILEMMA[0]])
    B = np.array(BATTLE_OF_THE_SEXES[1])
    res = solve_batch(A, B)
    assert res.num_games == 2
    assert_matches_reference(A, np.stack([B, B]), res)


def test_chunks_give_the_same_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(5)
    A, B = rng.integers(-1, 2, (2, 300, 3, 3))
    whole = solve_batch(A, B)
    monkeypatch.setattr(batch_module, "_CHUNK_ELEMENTS", 1)  # the minimum chunk of 16 games
    chunked = solve_batch(A, B)
    np.testing.assert_array_equal(whole.game_index, chunked.game_index)
    np.testing.assert_array_equal(whole.row_strategies, chunked.row_strategies)
    np.testing.assert_array_equal(whole.col_strategies, chunked.col_strategies)


def test_compaction_moves_vertices_first_and_drops_repeats() -> None:
    # Systems (rows) x games (columns); 0 = no vertex. Game 0 reaches one degenerate
    # vertex (labels 0b0111) from three systems; game 1 has two vertices.
    labels = np.array([[7, 0], [0, 5], [7, 0], [7, 6]], dtype=np.int32)
    packed, source = batch_module._compact(labels)
    assert packed.tolist() == [[7, 0, 0], [6, 5, 0]]
    assert source[0, 0] in (0, 2, 3) and source[1, :2].tolist() == [3, 1]


@pytest.mark.parametrize(
    ("A", "B", "message"),
    [
        (np.zeros(3), None, "shape"),
        (np.zeros((2, 2, 2, 2)), None, "shape"),
        (np.zeros((2, 3)), np.zeros((3, 2)), "same game shape"),
        (np.zeros((4, 2, 2)), np.zeros((3, 2, 2)), "4 games"),
        (np.zeros((2, 0)), None, "at least one strategy"),
        ([[1, np.nan], [0, 0]], None, "finite"),
        (np.zeros((2, 2)), [[0, np.inf], [0, 0]], "finite"),
        ([["a", "b"]], None, "numbers"),
        (np.zeros((1, 9, 9)), None, "too many"),
    ],
)
def test_invalid_input_raises_game_error(A: object, B: object, message: str) -> None:
    with pytest.raises(GameError, match=message):
        solve_batch(A, B)


@pytest.mark.parametrize("tol", [0.0, -1.0, float("nan")])
def test_invalid_tolerance(tol: float) -> None:
    with pytest.raises(GameError, match="tol"):
        solve_batch(*BATTLE_OF_THE_SEXES, tol=tol)


def test_tolerance_below_float_accuracy_raises_certification_error() -> None:
    # With the default tolerance a candidate cannot fail (the label tolerance bounds its
    # regret 12x below it); a tolerance under the rounding error of a mixed equilibrium
    # must make the solver refuse rather than return an uncertified profile.
    rng = np.random.default_rng(11)
    A, B = rng.random((2, 200, 3, 3))
    res = solve_batch(A, B)
    worst = float(res.regret.max())
    assert 0 < worst <= 1e-14
    with pytest.raises(CertificationError, match="regret"):
        solve_batch(A, B, tol=worst / 2)


# ---------------------------------------------------------------------- property tests
SHAPES = [(1, 1), (1, 3), (3, 1), (2, 2), (2, 3), (3, 2), (3, 3), (2, 4), (4, 2)]


@st.composite
def integer_batches(draw: st.DrawFn, low: int = -2, high: int = 2, shapes=SHAPES):
    m, n = draw(st.sampled_from(shapes))
    count = draw(st.integers(1, 4))
    entries = st.integers(low, high)
    A = np.array(draw(st.lists(entries, min_size=count * m * n, max_size=count * m * n)))
    B = np.array(draw(st.lists(entries, min_size=count * m * n, max_size=count * m * n)))
    return A.reshape(count, m, n), B.reshape(count, m, n)


@settings(max_examples=250, deadline=None)
@given(integer_batches())
def test_agrees_with_exact_vertex_enumeration_on_degenerate_integer_games(games) -> None:
    A, B = games
    res = solve_batch(A, B)
    assert_matches_reference(A, B, res)
    assert_certified(A, B, res)


@settings(max_examples=15, deadline=None)
@given(integer_batches(low=0, high=4, shapes=[(4, 4), (3, 4), (4, 3)]))
def test_agrees_with_exact_vertex_enumeration_on_4x4(games) -> None:
    A, B = games
    assert_matches_reference(A, B, solve_batch(A, B))


@settings(max_examples=30, deadline=None)
@given(
    integer_batches(),
    st.floats(0.1, 100),
    st.floats(0.1, 100),
    st.floats(-1e3, 1e3),
    st.floats(-1e3, 1e3),
)
def test_equilibria_invariant_under_positive_affine_maps(games, sa, sb, ta, tb) -> None:
    A, B = games
    base = solve_batch(A, B)
    moved = solve_batch(sa * A + ta, sb * B + tb)
    np.testing.assert_array_equal(base.game_index, moved.game_index)
    np.testing.assert_allclose(base.row_strategies, moved.row_strategies, atol=1e-9)
    np.testing.assert_allclose(base.col_strategies, moved.col_strategies, atol=1e-9)
    assert (moved.regret <= moved.tolerance[moved.game_index]).all()


@pytest.mark.parametrize(("m", "n", "count"), [(2, 2, 4000), (3, 3, 4000), (2, 5, 500), (5, 5, 60)])
def test_random_float_games_have_an_odd_number_of_equilibria(m: int, n: int, count: int) -> None:
    # Nondegenerate games (almost all float games) have an odd number of equilibria
    # (Lemke & Howson 1964; Shapley 1974).
    rng = np.random.default_rng(m * 10 + n)
    A, B = rng.standard_normal((2, count, m, n))
    res = solve_batch(A, B)
    assert (res.counts() % 2 == 1).all()
    assert (res.regret <= res.tolerance[res.game_index]).all()
    assert_certified(A[:50], B[:50], solve_batch(A[:50], B[:50]))


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize(("m", "n"), [(3, 3), (3, 4)])
def test_contains_every_nashpy_support_enumeration_equilibrium(m: int, n: int) -> None:
    nash = pytest.importorskip("nashpy")
    rng = np.random.default_rng(2024 + n)
    A, B = rng.standard_normal((2, 40, m, n))
    res = solve_batch(A, B)
    found = 0
    for g in range(40):
        ours = np.concatenate(res.equilibria_of(g), axis=1)
        # nashpy's default tolerance (1e-16) rejects some genuine equilibria on float
        # games (then it warns about an even count), but it must never find one we lack.
        for x, y in nash.Game(A[g], B[g]).support_enumeration():
            assert np.abs(ours - np.concatenate([x, y])).max(axis=1).min() < 1e-8
            found += 1
    assert found >= 40


@settings(max_examples=40, deadline=None)
@given(integer_batches(low=-1, high=2))
def test_agrees_with_vertex_enumeration_module(games) -> None:
    from simulator.solvers.vertex_enumeration import vertex_enumeration_result

    A, B = games
    res = solve_batch(A, B)
    for g in range(len(A)):
        other = vertex_enumeration_result(A[g], B[g])
        theirs = np.concatenate(
            [other.row_vertices[other.pairs[:, 0]], other.col_vertices[other.pairs[:, 1]]], axis=1
        )
        ours = np.concatenate(res.equilibria_of(g), axis=1)
        theirs = theirs[np.lexsort(np.round(theirs, 9).T[::-1])]
        assert ours.shape == theirs.shape, (A[g].tolist(), B[g].tolist())
        np.testing.assert_allclose(ours, theirs, atol=1e-9)


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_threads_give_the_same_answer_bit_for_bit(
    monkeypatch: pytest.MonkeyPatch, threads: int
) -> None:
    rng = np.random.default_rng(8)
    A, B = rng.random((2, 400, 3, 3))
    serial = solve_batch(A, B, threads=1)
    monkeypatch.setattr(batch_module, "_CHUNK_ELEMENTS", 1)  # 25 chunks of 16 games
    threaded = solve_batch(A, B, threads=threads)
    for field in ("game_index", "row_strategies", "col_strategies", "payoffs", "regret"):
        np.testing.assert_array_equal(getattr(serial, field), getattr(threaded, field))


@pytest.mark.parametrize("threads", [0, -1, 1.5, True, "2", "many"])
def test_invalid_threads_raise_game_error(threads: object) -> None:
    with pytest.raises(GameError, match="threads must be a whole number"):
        solve_batch([[1.0]], [[1.0]], threads=threads)  # type: ignore[arg-type]
