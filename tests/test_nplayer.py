"""All Nash equilibria of N-player games: support enumeration with polynomial homotopy."""

import re
import warnings
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.games.errors import GameError
from simulator.games.normal_form import exact_regret, player_regrets
from simulator.solvers.equilibrium import default_tolerance
from simulator.solvers.homotopy_supports import solve_by_homotopy
from simulator.solvers.pencil_supports import bezout_count, pencil_layout, solve_pencil_supports
from simulator.solvers.polynomial_homotopy import _StartSystem, _System
from simulator.solvers.support_enumeration_n import (
    NonIsolatedEquilibriaWarning,
    refine_on_support,
    support_enumeration,
    support_enumeration_result,
    support_profiles,
)

GAMBIT = Path(__file__).resolve().parent / "data" / "gambit"  # GPL test data, README

# McKelvey & McLennan's 2x2x2 example (Gambit contrib/games/2x2x2.nfg): its outcomes in
# file order, player 1's strategy changing fastest, then player 2's, then player 3's.
MM_OUTCOMES = [
    (9, 8, 12),
    (0, 0, 0),
    (0, 0, 0),
    (9, 8, 2),
    (0, 0, 0),
    (3, 4, 6),
    (3, 4, 6),
    (0, 0, 0),
]


def from_outcomes(shape, outcomes):
    """Payoff array from outcomes listed in .nfg order (first player fastest)."""
    u = np.zeros((*shape, len(shape)))
    for k, reversed_index in enumerate(np.ndindex(*shape[::-1])):
        u[reversed_index[::-1]] = outcomes[k]
    return u


def mckelvey_mclennan():
    return from_outcomes((2, 2, 2), MM_OUTCOMES)


def random_game(seed, shape):
    """A generic game: i.i.d. normal payoffs (nondegenerate with probability one)."""
    return np.random.default_rng(seed).normal(size=(*shape, len(shape)))


def assert_certified(u, equilibria):
    tol = default_tolerance(u)
    for eq in equilibria:
        assert len(eq) == u.ndim - 1
        for v, n in zip(eq, u.shape[:-1]):
            assert v.shape == (n,)
            assert v.min() >= 0 and abs(v.sum() - 1) < 1e-12
        assert player_regrets(u, list(eq)).max() <= tol


def profiles(result):
    """The profiles of a SupportEnumerationResult's certified equilibria."""
    return [eq.profile for eq in result.equilibria]


def flat(equilibria):
    return sorted(tuple(np.round(np.concatenate(eq), 6)) for eq in equilibria)


# ---------------------------------------------------------------------- known games
def test_mckelvey_mclennan_has_exactly_nine_equilibria_two_fully_mixed():
    u = mckelvey_mclennan()
    result = support_enumeration_result(u)
    assert len(result.equilibria) == 9
    assert not result.non_isolated
    assert_certified(u, profiles(result))
    mixed_counts = sorted(sum(len(s) > 1 for s in sup) for sup in result.supports)
    assert mixed_counts == [0, 0, 0, 0, 2, 2, 2, 3, 3]
    fully_mixed = [eq for eq in profiles(result) if all(v.min() > 0 for v in eq)]
    # The two fully mixed equilibria in closed form; the exact regret check makes the
    # fractions facts independent of this solver.
    exact = [
        [
            [Fraction(1, 2), Fraction(1, 2)],
            [Fraction(2, 5), Fraction(3, 5)],
            [Fraction(1, 4), Fraction(3, 4)],
        ],
        [
            [Fraction(2, 5), Fraction(3, 5)],
            [Fraction(1, 2), Fraction(1, 2)],
            [Fraction(1, 3), Fraction(2, 3)],
        ],
    ]
    for profile in exact:
        assert exact_regret(u, profile) == 0
    expected = flat([tuple(np.array(v, dtype=float) for v in p) for p in exact])
    assert flat(fully_mixed) == expected


def test_mckelvey_mclennan_fixture_matches_gambit_file():
    path = GAMBIT / "contrib" / "games" / "2x2x2.nfg"
    np.testing.assert_array_equal(read_outcome_nfg(path), mckelvey_mclennan())


def read_outcome_nfg(path):
    """Tiny reader for Gambit's outcome-format .nfg files (enough for these fixtures)."""
    text = path.read_text()
    strategies = re.search(r"\}\s*\{(.*?)\}\s*\n\s*\"", text, re.S).group(1)
    shape = tuple(len(re.findall(r'"[^"]*"', b)) for b in re.findall(r"\{([^{}]*)\}", strategies))
    body = text[text.index("{", text.index('""')) :]
    outcomes = [
        [float(x) for x in o.replace(",", " ").split()]
        for o in re.findall(r'\{\s*"[^"]*"\s*([^{}]*)\}', body)
    ]
    order = [int(k) for k in text.strip().splitlines()[-1].split()]
    return from_outcomes(shape, [outcomes[k - 1] for k in order])


@pytest.mark.parametrize(
    ("name", "count"),
    [("2x2x2", 9), ("2x2x2x2", 3), ("3x3x3", 5), ("2x2x2x2x2", 5)],
)
def test_gambit_collection_equilibrium_counts(name, count):
    # The counts are stated in the games' titles in Gambit's collection.
    path = GAMBIT / "contrib" / "games" / f"{name}.nfg"
    u = read_outcome_nfg(path)
    result = support_enumeration_result(u)
    assert len(result.equilibria) == count
    assert not result.non_isolated
    assert_certified(u, profiles(result))


def test_battle_of_the_sexes_three_equilibria():
    sexes = np.stack([[[2, 0], [0, 1]], [[1, 0], [0, 2]]], axis=-1).astype(float)
    eqs = support_enumeration(sexes)
    assert flat(eqs) == flat(
        [
            (np.array([1.0, 0.0]), np.array([1.0, 0.0])),
            (np.array([0.0, 1.0]), np.array([0.0, 1.0])),
            (np.array([2 / 3, 1 / 3]), np.array([1 / 3, 2 / 3])),
        ]
    )


def test_matching_pennies_unique_mixed():
    pennies = np.stack([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], axis=-1).astype(float)
    (eq,) = support_enumeration(pennies)
    np.testing.assert_allclose(np.concatenate(eq), [0.5] * 4, atol=1e-12)


def test_three_player_game_with_unique_pure_equilibrium():
    # A public-goods game: contributing (strategy 0) costs 1 and gives every player 0.6,
    # so not contributing dominates and the unique equilibrium is nobody contributing.
    u = np.zeros((2, 2, 2, 3))
    for profile in np.ndindex(2, 2, 2):
        contributions = [1 - s for s in profile]
        for i in range(3):
            u[profile + (i,)] = 0.6 * sum(contributions) - contributions[i]
    (eq,) = support_enumeration(u)
    assert [tuple(v) for v in eq] == [(0.0, 1.0)] * 3


# ---------------------------------------------------------------------- random games
@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_random_2x2x2_games_certified_and_odd(seed):
    u = random_game(seed, (2, 2, 2))
    result = support_enumeration_result(u)
    assert_certified(u, profiles(result))
    assert len(result.equilibria) % 2 == 1
    assert not result.non_isolated


@settings(max_examples=3, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_random_3x3x3_games_certified_and_odd(seed):
    u = random_game(seed, (3, 3, 3))
    result = support_enumeration_result(u)
    assert_certified(u, profiles(result))
    assert len(result.equilibria) % 2 == 1
    assert not result.non_isolated


def test_random_four_player_game_certified_and_odd():
    u = random_game(11, (2, 2, 2, 2))
    eqs = support_enumeration(u)
    assert_certified(u, eqs)
    assert len(eqs) % 2 == 1


def test_random_unequal_sizes_certified_and_odd():
    u = random_game(3, (2, 3, 2))
    eqs = support_enumeration(u)
    assert_certified(u, eqs)
    assert len(eqs) % 2 == 1


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(2, 4), st.integers(2, 4))
def test_two_player_games_match_nashpy(seed, rows, cols):
    nashpy = pytest.importorskip("nashpy")
    u = random_game(seed, (rows, cols))
    ours = support_enumeration(u)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = list(nashpy.Game(u[..., 0], u[..., 1]).vertex_enumeration())
    assert flat(ours) == flat(theirs)


def test_equilibria_invariant_under_positive_affine_payoff_changes():
    u = random_game(5, (2, 3, 2))
    scaled = u * np.array([3.0, 0.5, 10.0]) + np.array([-4.0, 7.0, 1.0])
    assert flat(support_enumeration(u)) == flat(support_enumeration(scaled))


def test_results_are_deterministic():
    u = random_game(8, (3, 2, 2))
    first, second = support_enumeration(u), support_enumeration(u)
    assert len(first) == len(second)
    for a, b in zip(first, second):
        for x, y in zip(a, b):
            np.testing.assert_array_equal(x, y)


# ---------------------------------------------------------------------- degenerate games
def test_pennies_with_an_indifferent_third_player_is_flagged():
    # Players 1 and 2 play matching pennies; player 3's payoff is always 0, so every
    # mixture of player 3 completes an equilibrium: a segment, returned by its ends.
    u = np.zeros((2, 2, 2, 3))
    pennies = np.array([[1.0, -1.0], [-1.0, 1.0]])
    u[..., 0] = pennies[:, :, None]
    u[..., 1] = -pennies[:, :, None]
    with pytest.warns(NonIsolatedEquilibriaWarning):
        eqs = support_enumeration(u)
    ends = [(np.array([0.5, 0.5]), np.array([0.5, 0.5]), np.eye(2)[k]) for k in range(2)]
    assert flat(eqs) == flat(ends)


def test_two_player_game_with_a_segment_is_flagged():
    # The column player is indifferent everywhere: (Top, q >= 1/2) is a segment.
    u = np.stack([[[1.0, 0.0], [0.0, 1.0]], np.zeros((2, 2))], axis=-1)
    result = support_enumeration_result(u)
    assert result.non_isolated
    assert flat(profiles(result)) == flat(
        [(np.eye(2)[0], np.eye(2)[0]), (np.eye(2)[1], np.eye(2)[1])]
    )


def test_nondegenerate_game_with_weak_pure_equilibrium_is_not_flagged():
    # (Bottom, Right) is a weak but isolated equilibrium of this degenerate game.
    u = np.stack([[[1.0, 0.0], [0.0, 0.0]], [[1.0, 0.0], [0.0, 0.0]]], axis=-1)
    result = support_enumeration_result(u)
    assert not result.non_isolated
    assert len(result.equilibria) == 2


def test_constant_game_returns_pure_profiles_and_flags():
    u = np.zeros((2, 2, 2, 3))
    with pytest.warns(NonIsolatedEquilibriaWarning):
        eqs = support_enumeration(u)
    assert len(eqs) == 8


# ---------------------------------------------------------------------- helpers and errors
def test_dominance_pruning_removes_every_mixed_support_in_the_prisoners_dilemma():
    pd = np.stack([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], axis=-1).astype(float)
    assert support_profiles(pd) == []
    assert support_enumeration_result(pd).supports_pruned == 5  # all 9 - 4 pure profiles


def test_refine_on_support_recovers_fully_mixed_equilibrium():
    u = mckelvey_mclennan()
    start = [np.array([0.45, 0.55]), np.array([0.42, 0.58]), np.array([0.3, 0.7])]
    x = refine_on_support(u, [(0, 1)] * 3, start)
    np.testing.assert_allclose(np.concatenate(x), [0.5, 0.5, 0.4, 0.6, 0.25, 0.75], atol=1e-12)


def test_refine_on_support_rejects_bad_supports():
    with pytest.raises(GameError, match="do not fit"):
        refine_on_support(mckelvey_mclennan(), [(0, 2), (0,), (1,)], [np.ones(2) / 2] * 3)


@pytest.mark.parametrize("payoffs", [np.zeros((2, 2, 3)), np.zeros(3), np.full((2, 2, 2), np.nan)])
def test_invalid_payoffs_raise(payoffs):
    with pytest.raises(GameError):
        support_enumeration(payoffs)


# ---------------------------------------------------------------------- pencil supports
def _in_simplex(points):
    """Profiles with every probability >= -1e-9, as sorted rounded tuples."""
    return sorted(
        tuple(np.round(np.concatenate(p), 7)) for _, p in points if min(v.min() for v in p) >= -1e-9
    )


@pytest.mark.parametrize(
    ("seed", "shape"), [(1, (3, 3, 3)), (2, (2, 3, 4)), (3, (4, 3, 2)), (4, (2, 2, 2, 2))]
)
def test_pencil_supports_find_exactly_the_homotopy_solutions(seed, shape):
    u = random_game(seed, shape)
    norm = (u - u.min()) / (u.max() - u.min())
    batch = [
        s
        for s in support_profiles(u)
        if pencil_layout(s) is not None and bezout_count(tuple(map(len, s))) > 0
    ]
    assert batch
    direct, ambiguous = solve_pencil_supports(norm, batch)
    assert ambiguous == []  # a generic game: every support profile is decided directly
    tracked, singular, _ = solve_by_homotopy(norm, batch)
    assert singular == []
    assert _in_simplex(direct) == _in_simplex(tracked)


def test_bezout_count_matches_the_start_system():
    start = _StartSystem(_System((4, 4, 4)), np.random.default_rng(0))
    for sizes in [(2, 2, 2), (2, 3, 3), (2, 2, 4), (3, 4, 2), (3, 3, 3), (4, 4, 4), (1, 3, 2)]:
        assert bezout_count(sizes) == len(start.points(sizes))


def test_degenerate_pencil_supports_go_back_to_the_homotopy():
    # All zero: every pencil is singular, so the direct method decides nothing.
    batch = [((0, 1), (0, 1), (0, 1)), ((0, 1, 2), (0, 1), (0, 2))]
    direct, ambiguous = solve_pencil_supports(np.zeros((3, 3, 3, 3)), batch)
    assert direct == [] and ambiguous == batch


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_small_integer_games_certified_whatever_the_route(seed):
    # Degenerate payoffs (ties everywhere) exercise the hand-back from the pencil method.
    u = np.random.default_rng(seed).integers(0, 3, size=(2, 2, 3, 3)).astype(float)
    result = support_enumeration_result(u)
    assert_certified(u, profiles(result))
