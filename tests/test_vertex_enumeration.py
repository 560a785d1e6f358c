"""Tests of vertex enumeration: known games, an exact brute-force oracle, peers, invariances."""

from __future__ import annotations

import importlib
import warnings
from fractions import Fraction
from itertools import combinations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from simulator.games.errors import GameError
from simulator.games.normal_form import NormalFormGame
from simulator.solvers.equilibrium import certify
from simulator.solvers.vertex_enumeration import (
    VertexEnumerationResult,
    vertex_enumeration,
    vertex_enumeration_result,
)

# the module itself (simulator.solvers.vertex_enumeration is the function of that name)
ve = importlib.import_module("simulator.solvers.vertex_enumeration")

SETTINGS = settings(max_examples=80, deadline=None)


# ---------------------------------------------------------------------- helpers
def profiles(result: VertexEnumerationResult) -> list[tuple[np.ndarray, np.ndarray]]:
    return [(result.row_vertices[i], result.col_vertices[j]) for i, j in result.pairs]


def as_set(pairs, digits: int = 7) -> set[tuple[tuple[float, ...], tuple[float, ...]]]:
    """Equilibria as a set of rounded tuples (``+ 0.0`` folds -0.0 into 0.0)."""
    return {
        (
            tuple(np.round(np.asarray(x, dtype=float), digits) + 0.0),
            tuple(np.round(np.asarray(y, dtype=float), digits) + 0.0),
        )
        for x, y in pairs
    }


def certify_all(A, B, result: VertexEnumerationResult) -> None:
    game = NormalFormGame.from_bimatrix(A, B)
    for x, y in profiles(result):
        certify(game, [x, y], method="vertex enumeration")


def _solve_fraction(rows: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction] | None:
    """Unique solution of a square system in rational arithmetic, or None if singular."""
    size = len(rows)
    aug = [list(r) + [b] for r, b in zip(rows, rhs)]
    for c in range(size):
        pivot = next((i for i in range(c, size) if aug[i][c] != 0), None)
        if pivot is None:
            return None
        aug[c], aug[pivot] = aug[pivot], aug[c]
        aug[c] = [v / aug[c][c] for v in aug[c]]
        for i in range(size):
            if i != c and aug[i][c] != 0:
                factor = aug[i][c]
                aug[i] = [a - factor * b for a, b in zip(aug[i], aug[c])]
    return [aug[i][-1] for i in range(size)]


def _exact_vertices(M: list[list[Fraction]]) -> dict[tuple[Fraction, ...], frozenset[int]]:
    """Vertices of {z >= 0 : M z <= 1} and their tight constraints (z >= 0 first)."""
    k, d = len(M), len(M[0])
    G = [[Fraction(-(i == j)) for j in range(d)] for i in range(d)] + M
    h = [Fraction(0)] * d + [Fraction(1)] * k
    out = {}
    for subset in combinations(range(d + k), d):
        z = _solve_fraction([G[i] for i in subset], [h[i] for i in subset])
        if z is None:
            continue
        slack = [h[i] - sum(g * v for g, v in zip(G[i], z)) for i in range(d + k)]
        if min(slack) >= 0:
            out[tuple(z)] = frozenset(i for i, s in enumerate(slack) if s == 0)
    return out


def exact_extreme_equilibria(A, B) -> set[tuple[tuple[Fraction, ...], tuple[Fraction, ...]]]:
    """Independent oracle: completely labelled vertex pairs in exact rational arithmetic."""
    A = [[Fraction(int(v)) for v in row] for row in np.asarray(A)]
    B = [[Fraction(int(v)) for v in row] for row in np.asarray(B)]
    m, n = len(A), len(A[0])
    low_a, low_b = min(map(min, A)), min(map(min, B))
    P = _exact_vertices([[B[i][j] - low_b + 1 for i in range(m)] for j in range(n)])
    Q = _exact_vertices([[v - low_a + 1 for v in row] for row in A])
    everything = set(range(m + n))
    found = set()
    for x, x_labels in P.items():
        for y, y_tight in Q.items():
            if not any(x) or not any(y):
                continue
            # Q's constraints are (y >= 0 | A y <= 1); labels are (rows | columns).
            y_labels = {t - n if t >= n else t + m for t in y_tight}
            if x_labels | y_labels == everything:
                found.add((tuple(v / sum(x) for v in x), tuple(v / sum(y) for v in y)))
    return found


small_integer_games = st.integers(1, 4).flatmap(
    lambda m: st.integers(1, 4).flatmap(
        lambda n: st.tuples(
            arrays(np.int64, (m, n), elements=st.integers(0, 2)),
            arrays(np.int64, (m, n), elements=st.integers(0, 2)),
        )
    )
)


# ---------------------------------------------------------------------- known games
def test_prisoners_dilemma_has_one_pure_equilibrium():
    A, B = [[3, 0], [5, 1]], [[3, 5], [0, 1]]
    result = vertex_enumeration_result(A, B)
    assert as_set(profiles(result)) == as_set([([0, 1], [0, 1])])
    assert result.cliques == (((0,), (0,)),)
    certify_all(A, B, result)


def test_matching_pennies_is_uniform():
    A = np.array([[1, -1], [-1, 1]])
    found = list(vertex_enumeration(A, -A))
    assert len(found) == 1
    np.testing.assert_allclose(found[0][0], [0.5, 0.5], atol=1e-12)
    np.testing.assert_allclose(found[0][1], [0.5, 0.5], atol=1e-12)


def test_battle_of_the_sexes_has_three_equilibria():
    A, B = [[2, 0], [0, 1]], [[1, 0], [0, 2]]
    result = vertex_enumeration_result(A, B)
    expected = [([1, 0], [1, 0]), ([2 / 3, 1 / 3], [1 / 3, 2 / 3]), ([0, 1], [0, 1])]
    assert as_set(profiles(result)) == as_set(expected)
    np.testing.assert_allclose(result.row_vertices, [[1, 0], [2 / 3, 1 / 3], [0, 1]])
    assert result.pairs.tolist() == [[0, 0], [1, 1], [2, 2]]
    assert result.components.tolist() == [0, 1, 2]
    certify_all(A, B, result)


def test_rock_paper_scissors_is_uniform():
    A = np.array([[0, -1, 1], [1, 0, -1], [-1, 1, 0]])
    result = vertex_enumeration_result(A, -A)
    assert len(result.pairs) == 1
    np.testing.assert_allclose(result.row_vertices, [[1 / 3] * 3], atol=1e-12)
    np.testing.assert_allclose(result.col_vertices, [[1 / 3] * 3], atol=1e-12)


def test_degenerate_2x2_game_has_four_extreme_equilibria_in_one_component():
    # The column player is indifferent everywhere; the row player matches the column.
    # Equilibria: row 1 with column's P(left) >= 1/2, row 2 with P(left) <= 1/2, and any
    # row mix against (1/2, 1/2): one connected set with four extreme points.
    A, B = [[1, 0], [0, 1]], [[1, 1], [0, 0]]
    result = vertex_enumeration_result(A, B)
    half = [0.5, 0.5]
    expected = [([1, 0], [1, 0]), ([1, 0], half), ([0, 1], half), ([0, 1], [0, 1])]
    assert as_set(profiles(result)) == as_set(expected)
    assert result.components.tolist() == [0, 0, 0, 0]
    np.testing.assert_allclose(result.col_vertices, [[1, 0], half, [0, 1]])
    assert result.cliques == (((0,), (0, 1)), ((0, 1), (1,)), ((1,), (1, 2)))
    certify_all(A, B, result)


def test_degenerate_2x2_game_finds_more_than_nashpy():
    nashpy = pytest.importorskip("nashpy")
    A, B = np.array([[1, 0], [0, 1]]), np.array([[1, 1], [0, 0]])
    ours = as_set(vertex_enumeration(A, B))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = as_set(nashpy.Game(A, B).support_enumeration())
    assert theirs < ours
    assert len(ours) == 4


def test_two_components_in_a_degenerate_2x2_game():
    # Row is indifferent when the column plays left; then left is a best reply to any
    # row mix with P(top) >= 1/2: a segment, plus the isolated pure equilibrium (2, 2).
    A, B = [[0, 0], [0, 1]], [[1, 0], [0, 1]]
    result = vertex_enumeration_result(A, B)
    expected = [([1, 0], [1, 0]), ([0.5, 0.5], [1, 0]), ([0, 1], [0, 1])]
    assert as_set(profiles(result)) == as_set(expected)
    assert result.components.tolist() == [0, 0, 1]
    assert result.cliques == (((0, 1), (0,)), ((2,), (1,)))


def test_von_stengel_degenerate_game_has_a_continuum():
    # von Stengel (2007), degenerate 3x2 example: against the top row the column player is
    # indifferent, so (top, y) is an equilibrium for y = (1-t, t) with 0 <= t <= 1/3.
    A = [[3, 3], [2, 5], [0, 6]]
    B = [[3, 3], [2, 6], [3, 1]]
    result = vertex_enumeration_result(A, B)
    expected = [
        ([1, 0, 0], [1, 0]),
        ([1, 0, 0], [2 / 3, 1 / 3]),
        ([0, 1 / 3, 2 / 3], [1 / 3, 2 / 3]),
    ]
    assert as_set(profiles(result)) == as_set(expected)
    assert sorted(np.bincount(result.components).tolist()) == [1, 2]
    continuum = [c for c in result.cliques if len(c[1]) == 2]
    assert len(continuum) == 1 and len(result.cliques) == 2
    game = NormalFormGame.from_bimatrix(A, B)
    rows, cols = continuum[0]
    for t in np.linspace(0, 1, 7):
        y = (1 - t) * result.col_vertices[cols[0]] + t * result.col_vertices[cols[1]]
        certify(game, [result.row_vertices[rows[0]], y], method="continuum")
    assert not game.is_nash([[1, 0, 0], [0.6, 0.4]])  # just beyond the segment


def test_game_of_indifference_is_one_nash_subset():
    A = np.zeros((3, 4))
    result = vertex_enumeration_result(A, A)
    assert len(result.pairs) == 12
    np.testing.assert_array_equal(result.row_vertices, np.eye(3))
    np.testing.assert_array_equal(result.col_vertices, np.eye(4))
    assert result.cliques == ((tuple(range(3)), tuple(range(4))),)
    assert set(result.components.tolist()) == {0}


def test_coordination_game_has_one_equilibrium_per_support():
    # In the n x n identity game each nonempty support S gives the uniform mix over S.
    n = 6
    result = vertex_enumeration_result(np.eye(n), np.eye(n))
    assert len(result.pairs) == 2**n - 1
    assert len(result.cliques) == 2**n - 1
    supports = {tuple(np.flatnonzero(x)) for x, _ in profiles(result)}
    assert len(supports) == 2**n - 1
    for x, y in profiles(result):
        np.testing.assert_allclose(x, y)
        np.testing.assert_allclose(x[x > 0], 1 / np.count_nonzero(x))


@pytest.mark.parametrize(
    ("A", "B", "expected"),
    [
        ([[5]], [[-2]], [([1], [1])]),
        ([[1, 2, 3]], [[3, 1, 3]], [([1], [1, 0, 0]), ([1], [0, 0, 1])]),
        ([[1], [4], [4]], [[0], [0], [0]], [([0, 1, 0], [1]), ([0, 0, 1], [1])]),
        ([[0, 0]], [[0, 0]], [([1], [1, 0]), ([1], [0, 1])]),
    ],
)
def test_tiny_games(A, B, expected):
    result = vertex_enumeration_result(A, B)
    assert as_set(profiles(result)) == as_set(expected)


# ---------------------------------------------------------------------- exact oracle
@SETTINGS
@given(small_integer_games)
def test_matches_exact_brute_force_on_small_degenerate_games(game):
    A, B = game
    result = vertex_enumeration_result(A, B)
    expected = exact_extreme_equilibria(A, B)
    assert as_set(profiles(result)) == as_set(expected)
    certify_all(A, B, result)


@SETTINGS
@given(small_integer_games)
def test_cliques_and_components_describe_the_equilibrium_set(game):
    A, B = game
    result = vertex_enumeration_result(A, B)
    gm = NormalFormGame.from_bimatrix(A, B)
    edges = {tuple(p) for p in result.pairs.tolist()}
    covered = set()
    rng = np.random.default_rng(0)
    for rows, cols in result.cliques:
        block = {(i, j) for i in rows for j in cols}
        assert block <= edges
        covered |= block
        # Maximal: no other vertex is adjacent to the whole other side.
        assert {i for i, _ in edges if all((i, j) in edges for j in cols)} == set(rows)
        assert {j for _, j in edges if all((i, j) in edges for i in rows)} == set(cols)
        x = rng.dirichlet(np.ones(len(rows))) @ result.row_vertices[list(rows)]
        y = rng.dirichlet(np.ones(len(cols))) @ result.col_vertices[list(cols)]
        certify(gm, [x, y], method="Nash subset")
    assert covered == edges
    # Components: pairs are in one component exactly when linked by shared vertices.
    comp = result.components
    pairs = result.pairs.tolist()
    for a in range(len(pairs)):
        reached, frontier = {a}, [a]
        while frontier:
            b = frontier.pop()
            for c, (k, l) in enumerate(pairs):
                if c not in reached and (k == pairs[b][0] or l == pairs[b][1]):
                    reached.add(c)
                    frontier.append(c)
        assert {c for c in range(len(pairs)) if comp[c] == comp[a]} == reached
    first_seen = list(dict.fromkeys(comp.tolist()))
    assert first_seen == list(range(len(first_seen)))


@pytest.mark.parametrize(
    ("A", "B"),
    [
        ([[12, 7, 0], [6, 4, 3], [8, 5, 2]], [[16, 21, 36], [28, 43, 17], [27, 11, 10]]),
        ([[6, 10, 16], [0, 16, 22], [2, 14, 20]], [[36, 11, 32], [2, 0, 4], [32, 47, 25]]),
    ],
)
def test_dependent_payoff_rows_give_all_extreme_equilibria(A, B):
    # Row 3 of A is (row 1 + 2 row 2) / 3: against the fully mixed x the system for the
    # column strategy is singular, yet in floating point not exactly so. It must be
    # recognised as singular and the extreme points of the segment of equilibria found.
    result = vertex_enumeration_result(A, B)
    assert as_set(profiles(result)) == as_set(exact_extreme_equilibria(A, B))
    assert any(len(cols) > 1 for _, cols in result.cliques)
    certify_all(A, B, result)


@pytest.mark.parametrize("seed", range(4))
def test_qhull_and_subsystem_enumeration_agree(seed, monkeypatch):
    rng = np.random.default_rng(seed)
    A = rng.integers(0, 3, size=(5, 6))
    B = rng.integers(0, 2, size=(5, 6))
    monkeypatch.setattr(ve, "_SUBSET_LIMIT", 10**9)
    by_subsets = vertex_enumeration_result(A, B)
    monkeypatch.setattr(ve, "_SUBSET_LIMIT", 0)
    by_hull = vertex_enumeration_result(A, B)
    assert as_set(profiles(by_hull)) == as_set(profiles(by_subsets))
    assert by_hull.cliques == by_subsets.cliques
    assert len(by_hull.pairs) > 1
    certify_all(A, B, by_hull)


@pytest.mark.parametrize("seed", range(3))
def test_partner_solving_agrees_with_enumerating_both_polytopes(seed, monkeypatch):
    # Generic games take the fast path (solve for each vertex's partner); force the
    # general path (enumerate Q too and match labels) and compare.
    rng = np.random.default_rng(seed)
    A, B = rng.standard_normal((2, 8, 8))
    fast = vertex_enumeration_result(A, B)
    monkeypatch.setattr(ve, "_partners", lambda *args: None)
    full = vertex_enumeration_result(A, B)
    assert as_set(profiles(fast)) == as_set(profiles(full))
    assert len(fast.pairs) % 2 == 1


def test_falls_back_to_subsystems_when_qhull_fails(monkeypatch):
    def failing_hull(points):
        raise ve.QhullError("simulated failure")

    rng = np.random.default_rng(9)
    A, B = rng.integers(0, 3, size=(2, 5, 5))
    expected = as_set(vertex_enumeration(A, B))
    monkeypatch.setattr(ve, "ConvexHull", failing_hull)
    monkeypatch.setattr(ve, "_SUBSET_LIMIT", 0)
    assert as_set(vertex_enumeration(A, B)) == expected
    monkeypatch.setattr(ve, "_SUBSET_FALLBACK_LIMIT", 10)
    with pytest.raises(RuntimeError, match="Qhull failed"):
        vertex_enumeration_result(A, B)


@pytest.mark.parametrize("seed", range(2))
def test_hull_path_on_degenerate_8x8_games(seed):
    rng = np.random.default_rng(seed)
    A, B = rng.integers(0, 2, size=(2, 8, 8))
    result = vertex_enumeration_result(A, B)
    game = NormalFormGame.from_bimatrix(A, B)
    for x, y in profiles(result):
        assert certify(game, [x, y], method="vertex enumeration", exact=True).exact


# ---------------------------------------------------------------------- generic games
@pytest.mark.parametrize("shape", [(1, 1), (2, 2), (3, 3), (3, 5), (5, 2), (4, 4), (6, 6), (8, 7)])
def test_random_nondegenerate_games_have_an_odd_number_of_equilibria(shape):
    rng = np.random.default_rng(sum(shape))
    for _ in range(5):
        A, B = rng.standard_normal((2, *shape))
        result = vertex_enumeration_result(A, B)
        assert len(result.pairs) % 2 == 1
        assert result.components.tolist() == list(range(len(result.pairs)))
        certify_all(A, B, result)


def test_random_10x10_game():
    rng = np.random.default_rng(10)
    A, B = rng.standard_normal((2, 10, 10))
    result = vertex_enumeration_result(A, B)
    assert len(result.pairs) % 2 == 1
    certify_all(A, B, result)


@pytest.mark.parametrize("shape", [(2, 70), (70, 2)])
def test_more_than_64_strategies_in_all(shape):
    # Labels then need more than one 64-bit word.
    rng = np.random.default_rng(70)
    A, B = rng.integers(0, 3, size=(2, *shape))
    result = vertex_enumeration_result(A, B)
    swapped = vertex_enumeration_result(B.T, A.T)
    assert as_set(profiles(result)) == as_set((x, y) for y, x in profiles(swapped))
    assert len(result.pairs) > 1
    certify_all(A, B, result)


def test_supersets_nashpy_on_random_integer_games():
    nashpy = pytest.importorskip("nashpy")
    rng = np.random.default_rng(4)
    for _ in range(12):
        A, B = rng.integers(-4, 5, size=(2, 4, 4))
        ours = as_set(vertex_enumeration(A, B), digits=6)
        game = nashpy.Game(A, B)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for method in (game.support_enumeration, game.vertex_enumeration):
                assert as_set(method(), digits=6) <= ours


def test_equals_nashpy_vertex_enumeration_on_random_real_games():
    # nashpy's support enumeration misses some of these (its indifference test is strict).
    nashpy = pytest.importorskip("nashpy")
    rng = np.random.default_rng(5)
    sizes = []
    for _ in range(8):
        A, B = rng.standard_normal((2, 4, 4))
        ours = as_set(vertex_enumeration(A, B), digits=6)
        assert as_set(nashpy.Game(A, B).vertex_enumeration(), digits=6) == ours
        sizes.append(len(ours))
    assert max(sizes) >= 3


# ---------------------------------------------------------------------- invariances
@SETTINGS
@given(
    small_integer_games,
    st.floats(0.01, 100),
    st.floats(0.01, 100),
    st.floats(-100, 100),
    st.floats(-100, 100),
)
def test_invariant_under_positive_affine_transformations(game, s1, s2, t1, t2):
    A, B = game
    before = as_set(vertex_enumeration(A, B))
    after = as_set(vertex_enumeration(s1 * A + t1, s2 * B + t2))
    assert before == after


@SETTINGS
@given(small_integer_games, st.randoms(use_true_random=False))
def test_invariant_under_permuting_strategies(game, random):
    A, B = game
    rows, cols = list(range(A.shape[0])), list(range(A.shape[1]))
    random.shuffle(rows)
    random.shuffle(cols)
    before = as_set(vertex_enumeration(A, B))
    permuted = vertex_enumeration(A[np.ix_(rows, cols)], B[np.ix_(rows, cols)])
    # New strategy k is old rows[k]: put probabilities back in the old order.
    back = []
    for x, y in permuted:
        old_x, old_y = np.empty_like(x), np.empty_like(y)
        old_x[rows], old_y[cols] = x, y
        back.append((old_x, old_y))
    assert as_set(back) == before


@SETTINGS
@given(small_integer_games)
def test_swapping_players_swaps_equilibria(game):
    A, B = game
    result = vertex_enumeration_result(A, B)
    swapped = vertex_enumeration_result(B.T, A.T)
    assert as_set(profiles(result)) == as_set((x, y) for y, x in profiles(swapped))
    assert len(result.cliques) == len(swapped.cliques)


# ---------------------------------------------------------------------- output format
def test_output_is_sorted_clean_and_deterministic():
    rng = np.random.default_rng(8)
    A, B = rng.integers(0, 3, size=(2, 5, 5))
    first, second = vertex_enumeration_result(A, B), vertex_enumeration_result(A, B)
    for name in ("row_vertices", "col_vertices", "pairs", "components"):
        np.testing.assert_array_equal(getattr(first, name), getattr(second, name))
    assert first.cliques == second.cliques
    for vertices in (first.row_vertices, first.col_vertices):
        np.testing.assert_allclose(vertices.sum(axis=1), 1.0, atol=1e-14)
        assert np.all(vertices >= 0)
        assert np.all((vertices == 0) | (vertices > 1e-12))
        keys = [tuple(-v for v in row) for row in np.round(vertices, 9).tolist()]
        assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert first.pairs.tolist() == sorted(first.pairs.tolist())
    assert first.pairs.dtype.kind == "i" and first.components.dtype.kind == "i"


def test_generator_yields_copies_in_pair_order():
    A, B = [[2, 0], [0, 1]], [[1, 0], [0, 2]]
    result = vertex_enumeration_result(A, B)
    found = list(vertex_enumeration(A, B))
    assert len(found) == len(result.pairs)
    for (x, y), (i, j) in zip(found, result.pairs):
        np.testing.assert_array_equal(x, result.row_vertices[i])
        np.testing.assert_array_equal(y, result.col_vertices[j])
    found[0][0][:] = -1.0
    assert np.all(vertex_enumeration_result(A, B).row_vertices >= 0)
    with pytest.raises(ValueError):
        result.row_vertices[0, 0] = 0.5


@pytest.mark.parametrize(
    ("A", "B"),
    [([[1, 2]], [[1, 2], [3, 4]]), ([1, 2], [3, 4]), ([[1, np.nan]], [[0, 0]]), ([[]], [[]])],
)
def test_invalid_games_raise_game_error(A, B):
    with pytest.raises(GameError):
        vertex_enumeration_result(A, B)


@pytest.mark.parametrize("tol", [0.0, -1e-9, 0.5])
def test_invalid_tolerance_raises(tol):
    with pytest.raises(ValueError, match="tol"):
        vertex_enumeration_result([[1]], [[1]], tol=tol)
