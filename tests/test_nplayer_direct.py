"""Three-player support systems solved directly (resultant) and degenerate trees' reduced forms."""

from pathlib import Path

import numpy as np
import pytest

from simulator.games.behaviour import BehaviourProfile
from simulator.games.normal_form import player_regrets
from simulator.io.efg_read import read_efg
from simulator.solvers.extensive_best_response import nash_regrets
from simulator.solvers.extensive_equilibrium import game_tolerances
from simulator.solvers.homotopy_supports import solve_by_homotopy
from simulator.solvers.resultant_supports import resultant_layout, solve_resultant_supports
from simulator.solvers.sequence_supports import (
    SequenceSupportResult,
    sequence_support_enumeration_result,
)
from simulator.solvers.support_enumeration_n import support_enumeration_result


def _behaviours(result: SequenceSupportResult) -> list[BehaviourProfile]:
    return [eq.behaviour for eq in result.equilibria]


GAMES = Path(__file__).resolve().parent / "data" / "gambit" / "contrib" / "games"
FULL = ((0, 1, 2), (0, 1, 2), (0, 1, 2))


def normalised(u):
    return (u - u.min()) / (u.max() - u.min())


def flat(pairs):
    return sorted(tuple(np.concatenate(p)) for _, p in pairs)


def test_resultant_layout_takes_three_mixers_on_three_strategies_only():
    assert resultant_layout(FULL) == (0, 1, 2)
    assert resultant_layout(((1,), (0, 1, 2), (0, 2, 3), (1, 2, 3))) == (1, 2, 3)
    assert resultant_layout(((0, 1), (0, 1, 2), (0, 1, 2))) is None  # the pencils' shape
    assert resultant_layout(((0, 1, 2), (0, 1, 2), (0, 1, 2, 3))) is None
    assert resultant_layout(((0,), (0, 1, 2), (0, 1, 2))) is None  # two mixers: linear


@pytest.mark.parametrize("seed", range(8))
def test_resultant_equals_the_homotopy_on_random_3x3x3_games(seed):
    norm = normalised(np.random.default_rng(seed).normal(size=(3, 3, 3, 3)))
    direct, ambiguous = solve_resultant_supports(norm, [FULL])
    tracked, singular, paths = solve_by_homotopy(norm, [FULL])
    assert ambiguous == [] and singular == [] and paths == 10
    a, b = flat(direct), flat(tracked)
    assert len(a) == len(b)
    for x, y in zip(a, b):
        assert np.abs(np.array(x) - np.array(y)).max() < 1e-9


def test_resultant_survives_a_root_with_t_at_infinity():
    # Uniform payoffs, seed 5029: a resultant root whose Sylvester kernel has no t (v[0] = 0)
    # once gave NaN candidates and a LinAlgError; they are dropped and the answer certified.
    norm = normalised(np.random.default_rng(5029).random((3, 3, 3, 3)))
    direct, ambiguous = solve_resultant_supports(norm, [FULL])
    tracked, _, _ = solve_by_homotopy(norm, [FULL])
    assert ambiguous == []
    a, b = flat(direct), flat(tracked)
    assert len(a) == len(b)
    for x, y in zip(a, b):
        assert np.abs(np.array(x) - np.array(y)).max() < 1e-9


def test_resultant_in_a_larger_game_equals_the_homotopy_support_by_support():
    norm = normalised(np.random.default_rng(41).normal(size=(4, 4, 4, 3)))
    batch = [
        ((0, 1, 2), (1, 2, 3), (0, 2, 3)),
        ((1, 2, 3), (0, 1, 2), (0, 1, 3)),
        ((0, 2, 3), (0, 2, 3), (1, 2, 3)),
    ]
    direct, ambiguous = solve_resultant_supports(norm, batch)
    assert ambiguous == []
    tracked, _, _ = solve_by_homotopy(norm, batch)
    for supports in batch:
        a = flat([d for d in direct if d[0] == supports])
        b = flat([t for t in tracked if t[0] == supports])
        assert len(a) == len(b)
        for x, y in zip(a, b):
            assert np.abs(np.array(x) - np.array(y)).max() < 1e-9


def test_degenerate_supports_are_handed_back_to_the_homotopy():
    # All zero: every point solves the system (not 10 regular solutions).
    zero = np.zeros((3, 3, 3, 3))
    assert solve_resultant_supports(zero, [FULL]) == ([], [FULL])
    # The third player indifferent whatever is played: a positive-dimensional solution set.
    u = np.random.default_rng(7).normal(size=(3, 3, 3, 3))
    u[..., 2] = 0.5
    assert solve_resultant_supports(normalised(u), [FULL]) == ([], [FULL])
    # Two strategies of the first player that pay the same to everyone: dependent equations.
    u = np.random.default_rng(8).normal(size=(3, 3, 3, 3))
    u[1] = u[0]
    assert solve_resultant_supports(normalised(u), [FULL]) == ([], [FULL])


def test_random_3x3x3_games_track_no_path_and_keep_their_certificates():
    for seed in range(1000, 1004):
        u = np.random.default_rng(seed).normal(size=(3, 3, 3, 3))
        result = support_enumeration_result(u)
        assert result.paths_tracked == 0 and not result.non_isolated
        for eq in result.equilibria:
            assert eq.regret <= eq.tolerance
            assert player_regrets(u, list(eq.profile)).max() <= eq.tolerance


def test_jury_tree_reduced_form_equilibria_are_unchanged():
    # Gambit's jury_un.efg: three jurors, reduced strategic form 4x4x4 with ties from chance;
    # the 35 equilibria, 531 flagged supports and the values below are those the solver
    # returned before the direct routes and the retry rules (commit 04fb71c).
    game = read_efg(GAMES / "jury_un.efg")
    normal, plans = game.strategic_form(max_profiles=20_000)
    u = np.asarray(normal.payoffs, dtype=float)
    result = support_enumeration_result(u)
    assert len(result.equilibria) == 35
    assert result.non_isolated and len(result.flagged_supports) == 531
    assert all(eq.regret <= eq.tolerance for eq in result.equilibria)
    by_support = dict(zip(result.supports, result.equilibria))
    symmetric = by_support[((0, 1), (0, 1), (0, 1))].profile
    for v in symmetric:
        assert np.allclose(v, [0.31425, 0.68575, 0, 0], atol=1e-5)
    # End points of segments of equilibria, found on supports wider than their own.
    for supports in [((0, 3), (0, 3), (1, 2)), ((0, 3), (1, 2), (0, 3)), ((1, 2), (0, 3), (0, 3))]:
        profile = by_support[supports].profile
        for v, s in zip(profile, supports):
            expected = [0.0, 0.5, 0.5, 0.0] if s == (1, 2) else [0.0, 0.0, 0.0, 1.0]
            assert np.allclose(v, expected, atol=1e-9)
    assert sum(all(len(s) == 1 for s in supports) for supports in result.supports) == 25
    # The sequence form's support enumeration (what "nash" runs on this tree) keeps every one
    # of these but the 9 points of segments where a juror acquits whatever it sees (so under
    # unanimity no other juror is pivotal) and another mixes evenly at both information sets:
    # there they are flagged as non-isolated. It finds the same 26 others, no more (the 26
    # that Gambit 16.7's enumpoly returns on the tree).
    found = sequence_support_enumeration_result(game)
    assert len(_behaviours(found)) == 26 and found.non_isolated
    bound = game_tolerances(game)
    assert all(np.all(nash_regrets(b) <= bound) for b in _behaviours(found))
    missing = []
    for eq in result.equilibria:
        flat = BehaviourProfile.from_mixed(game, plans, list(eq.profile)).flat
        if not any(np.abs(b.flat - flat).max() < 1e-6 for b in _behaviours(found)):
            missing.append(BehaviourProfile.from_flat(game, flat).as_dict())
    assert len(missing) == 9
    for profile in missing:
        jurors = list(profile.values())
        assert any(all(np.isclose(m["Acquit"], 1.0) for m in j.values()) for j in jurors)
        assert any(all(np.isclose(m["Acquit"], 0.5) for m in j.values()) for j in jurors)


@pytest.mark.parametrize(
    ("shape", "count", "flagged"), [((3, 3, 3), 27, 253), ((2, 3, 4), 24, 248)]
)
def test_all_zero_games_keep_their_equilibria_and_flags(shape, count, flagged):
    # Every linear support system there is singular with a wide solution set: flagged
    # without linear programming; the counts are those of commit 04fb71c.
    result = support_enumeration_result(np.zeros((*shape, 3)))
    assert len(result.equilibria) == count
    assert result.non_isolated and len(result.flagged_supports) == flagged
