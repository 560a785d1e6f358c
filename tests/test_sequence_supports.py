"""Support enumeration on the sequence form (trees of three or more players)."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.games.behaviour import BehaviourProfile
from simulator.games.errors import GameError
from simulator.games.extensive import Chance, Decision, ExtensiveGame, Terminal
from simulator.io.efg_read import read_efg
from simulator.solvers.extensive_best_response import nash_regrets
from simulator.solvers.extensive_equilibrium import game_tolerances
from simulator.solvers.sequence_supports import (
    SequenceSupportResult,
    count_support_profiles,
    estimated_paths,
    redundant_mixtures,
    sequence_support_enumeration_result,
)
from simulator.solvers.solve_extensive import solve_extensive
from simulator.solvers.support_enumeration_n import NonIsolatedEquilibriaWarning


def _behaviours(result: SequenceSupportResult) -> list[BehaviourProfile]:
    return [eq.behaviour for eq in result.equilibria]


GAMES = Path(__file__).parent / "data" / "gambit" / "contrib" / "games"


def _reduced_route(game: ExtensiveGame) -> list[BehaviourProfile]:
    # the reduced strategic form's support enumeration, as "nash" used it before
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonIsolatedEquilibriaWarning)
        return [eq.behaviour for eq in solve_extensive(game, "nash", method="support")]


def _has(found: list[np.ndarray], flat: np.ndarray) -> bool:
    return any(np.abs(f - flat).max() < 1e-6 for f in found)


def _pennies_at_two_states(scale: float = 1.0) -> ExtensiveGame:
    """Chance picks a state; player A sees it and plays matching pennies against B in the
    first state and against C in the second (B and C do not see it; each moves in its own
    state only). The one equilibrium has everyone mixing evenly, A at both of its information
    sets: isolated in behaviour strategies, but a segment of mixed strategies in the reduced
    strategic form (any mixture of A's four plans with those marginals)."""

    def pennies(opponent: str, infoset: str) -> Decision:
        def ends(a_heads: bool) -> dict:
            out = {}
            for move in ("h", "t"):
                match = (move == "h") == a_heads
                pay = {"A": scale if match else -scale, "B": 0.0, "C": 0.0}
                pay[opponent] = -pay["A"]
                out[move] = Terminal([pay["A"], pay["B"], pay["C"]])
            return out

        return Decision(
            "A",
            {
                "h": Decision(opponent, ends(True), infoset=opponent),
                "t": Decision(opponent, ends(False), infoset=opponent),
            },
            infoset=infoset,
        )

    return ExtensiveGame.from_tree(
        ["A", "B", "C"],
        Chance({"first": (0.5, pennies("B", "a1")), "second": (0.5, pennies("C", "a2"))}),
    )


def test_the_majority_jury_has_its_fifteen_pure_equilibria_and_flags_its_segments():
    # Gambit's jury_mr.efg: the reduced strategic form's support enumeration returns the same
    # 15 equilibria, all pure, in 2.6 s (test_nplayer_direct compares the two routes on the
    # unanimous jury, jury_un.efg).
    game = read_efg(GAMES / "jury_mr.efg")
    assert count_support_profiles(game) == 729 and estimated_paths(game) == 282
    result = sequence_support_enumeration_result(game)
    bound = game_tolerances(game)
    assert len(_behaviours(result)) == 15 and result.non_isolated
    assert all(np.all(nash_regrets(b) <= bound) for b in _behaviours(result))
    pure = [eq.behaviour.flat for eq in solve_extensive(game, "nash", method="pure")]
    assert len(pure) == 15
    assert all(_has([b.flat for b in _behaviours(result)], flat) for flat in pure)


def test_an_equilibrium_mixing_at_two_information_sets_is_isolated_on_the_sequence_form():
    game = _pennies_at_two_states()
    result = sequence_support_enumeration_result(game)
    assert len(_behaviours(result)) == 1 and not result.non_isolated
    (only,) = _behaviours(result)
    for probabilities in only.as_dict().values():
        for mix in probabilities.values():
            assert np.allclose(list(mix.values()), 0.5)
    # in the reduced strategic form the equilibrium is a segment of mixed strategies: it is
    # flagged, and returned twice (the segment's two ends have the same behaviour)
    with pytest.warns(NonIsolatedEquilibriaWarning):
        reduced = solve_extensive(game, "nash", method="support")
    assert len(reduced) == 2
    assert all(np.allclose(eq.behaviour.flat, only.flat) for eq in reduced)
    # "nash" takes the sequence form for three players
    (eq,) = solve_extensive(game, "nash")
    assert eq.method == "sequence form, support enumeration"
    assert np.allclose(eq.behaviour.flat, only.flat) and eq.regret <= eq.tolerance


@pytest.mark.parametrize("scale", [1e-12, 1.0, 1e19])
def test_the_equilibrium_mixing_at_two_information_sets_holds_at_any_scale(scale):
    (eq,) = solve_extensive(_pennies_at_two_states(scale), "nash")
    assert np.allclose(eq.behaviour.flat, 0.5) and eq.regret <= eq.tolerance
    assert np.all(np.array(eq.tolerances) <= 1e-8 * 2 * scale)


@pytest.mark.parametrize(
    "path",
    [
        Path(__file__).parent / "data" / "gambit" / "contrib" / "games" / name
        for name in ("2x2x2.efg", "2s2x2x2.efg", "e08.efg", "my_3-4.efg", "g3.efg")
    ],
    ids=lambda p: p.stem,
)
def test_small_trees_agree_with_the_reduced_form(path):
    if not path.exists():
        pytest.fail(f"{path.name} is missing from tests/data")
    game = read_efg(path)
    found = [b.flat for b in _behaviours(sequence_support_enumeration_result(game))]
    reduced = _reduced_route(game)
    assert len(found) == len(reduced)
    assert all(_has(found, b.flat) for b in reduced)


def test_nash_takes_the_sequence_form_only_where_mixed_strategies_are_redundant():
    # A juror's two signals give it four reduced plans for two dimensions of realisation
    # plans; in 2x2x2.efg every player has one information set, and the reduced form's own
    # direct solvers (linear pencils, resultants) are faster there.
    assert redundant_mixtures(read_efg(GAMES / "jury_mr.efg"))
    assert redundant_mixtures(_pennies_at_two_states())
    plain = read_efg(GAMES / "2x2x2.efg")
    assert not redundant_mixtures(plain)
    assert all(
        eq.method.startswith("reduced strategic form") for eq in solve_extensive(plain, "nash")
    )


def test_too_many_support_profiles_are_refused_and_nash_falls_back():
    game = read_efg(GAMES / "my_2-8.efg")
    assert count_support_profiles(game) == 25_039
    with pytest.raises(GameError, match="25039 support profiles"):
        sequence_support_enumeration_result(game, max_profiles=10_000)
    eqs = solve_extensive(game, "nash")
    assert eqs and all(eq.method.startswith("reduced strategic form") for eq in eqs)


@st.composite
def _three_player_trees(draw: st.DrawFn) -> ExtensiveGame:
    """Chance picks one of two states; A sees it, B and C do not; each moves once with two
    actions, in the order A, B, C; payoffs are small integers."""
    values = st.integers(-3, 3)

    def layer(state: int, after_a: str) -> Decision:
        return Decision(
            "B",
            {
                b: Decision(
                    "C",
                    {c: Terminal([draw(values) for _ in range(3)]) for c in ("l", "r")},
                    infoset="c",
                )
                for b in ("u", "d")
            },
            infoset="b",
        )

    return ExtensiveGame.from_tree(
        ["A", "B", "C"],
        Chance(
            {
                f"s{s}": (
                    0.5,
                    Decision("A", {a: layer(s, a) for a in ("x", "y")}, infoset=f"a{s}"),
                )
                for s in (0, 1)
            }
        ),
    )


@settings(max_examples=15, deadline=None)
@given(_three_player_trees())
def test_every_equilibrium_found_is_certified_and_every_pure_one_is_found(game):
    result = sequence_support_enumeration_result(game)
    bound = game_tolerances(game)
    for behaviour in _behaviours(result):
        assert np.all(nash_regrets(behaviour) <= bound)
    found = [b.flat for b in _behaviours(result)]
    assert len({np.round(f, 7).tobytes() for f in found}) == len(found)
    pure = [eq.behaviour.flat for eq in solve_extensive(game, "nash", method="pure")]
    assert all(_has(found, flat) for flat in pure)


def test_a_segment_of_equilibria_on_a_singular_two_mixer_system_is_flagged():
    # A random tree (seeded) where, once B plays u, A's payoffs after x and y at its first
    # signal are equal whatever C does: A's equation vanishes and A's mixture there is free
    # while C's indifference holds at A's even mixture. The reduced form returns points of
    # that segment (C pure or mixing); the sequence form returns none of them (not isolated)
    # and flags the support profile.
    rng = np.random.default_rng(121)

    def layer() -> Decision:
        return Decision(
            "B",
            {
                b: Decision(
                    "C",
                    {c: Terminal(list(rng.integers(-3, 4, 3))) for c in "lr"},
                    infoset="c",
                )
                for b in "ud"
            },
            infoset="b",
        )

    game = ExtensiveGame.from_tree(
        ["A", "B", "C"],
        Chance(
            {
                f"s{s}": (0.5, Decision("A", {a: layer() for a in "xy"}, infoset=f"a{s}"))
                for s in (0, 1)
            }
        ),
    )
    result = sequence_support_enumeration_result(game)
    assert ("a0: x, a0: y, a1: x", "b: u", "c: l, c: r") in result.flagged_supports
    segment = [b for b in _reduced_route(game) if not _has(_flats(result), b.flat)]
    assert segment and all(np.allclose(b.as_dict()["A"]["a0"]["x"], 0.5) for b in segment)


def _flats(result: SequenceSupportResult) -> list[np.ndarray]:
    return [b.flat for b in _behaviours(result)]
