"""Subgame-perfect equilibria: backward induction, all pure SPE, subgame decomposition."""

from __future__ import annotations

import itertools
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from random_trees import random_game as random_tree_game

from simulator.games.behaviour import BehaviourProfile
from simulator.games.errors import GameError
from simulator.games.extensive import (
    CHANCE,
    DECISION,
    TERMINAL,
    Chance,
    Decision,
    ExtensiveGame,
    Terminal,
)
from simulator.games.normal_form import player_regrets
from simulator.solvers.backward_induction import all_pure_spe, backward_induction
from simulator.solvers.extensive_equilibrium import nash_regret, subgame_perfection_regret
from simulator.solvers.subgame_perfect import subgame_perfect_equilibria


# ---------------------------------------------------------------------- games
def random_game(
    seed: int,
    players: int = 2,
    max_nodes: int = 24,
    max_depth: int = 4,
    chance: float = 0.2,
    merge: float = 0.0,
) -> ExtensiveGame:
    """A random tree with uniform chance and payoffs in -3..3 (ties are common).

    ``merge`` > 0 joins decision nodes into perfect-recall information sets; 0 gives
    perfect information (see random_trees).
    """
    return random_tree_game(
        seed,
        players=players,
        max_nodes=max_nodes,
        max_depth=max_depth,
        chance=chance,
        merge=merge,
        payoff_bound=3,
        uniform_chance=True,
    )


def centipede(stages: int) -> ExtensiveGame:
    """Rosenthal's centipede: taking at stage t pays the taker t + 2 and the other t;
    if nobody takes, both get ``stages``."""
    node: Decision | Terminal = Terminal([stages, stages])
    for t in reversed(range(stages)):
        mover = t % 2
        take = [t, t]
        take[mover] = t + 2
        node = Decision(mover, {"take": Terminal(take), "pass": node})
    return ExtensiveGame.from_tree(["A", "B"], node)


def ultimatum(offers: list[int], pie: int = 10) -> ExtensiveGame:
    """The proposer offers x of the pie; the responder accepts (pie - x, x) or rejects (0, 0)."""
    return ExtensiveGame.from_tree(
        ["Proposer", "Responder"],
        Decision(
            "Proposer",
            {
                str(x): Decision(
                    "Responder",
                    {"accept": Terminal([pie - x, x]), "reject": Terminal([0, 0])},
                    label=f"offer {x}",
                )
                for x in offers
            },
        ),
    )


def entry_game() -> ExtensiveGame:
    return ExtensiveGame.from_tree(
        ["Entrant", "Incumbent"],
        Decision(
            "Entrant",
            {
                "out": Terminal([0, 2]),
                "in": Decision(
                    "Incumbent", {"fight": Terminal([-1, -1]), "share": Terminal([1, 1])}
                ),
            },
        ),
    )


def outside_option_battle(outside: float = 2.0) -> ExtensiveGame:
    """A takes an outside option or enters a battle of the sexes (3,1)/(1,3) played with B."""

    def b(mine: list[int], theirs: list[int]) -> Decision:
        return Decision("B", {"a": Terminal(mine), "b": Terminal(theirs)}, "B")

    battle = Decision("A", {"a": b([3, 1], [0, 0]), "b": b([0, 0], [1, 3])}, "battle")
    return ExtensiveGame.from_tree(
        ["A", "B"], Decision("A", {"out": Terminal([outside, outside]), "in": battle})
    )


def strategic_regret(behaviour: BehaviourProfile) -> float:
    game = behaviour.game
    strategic, plans = game.strategic_form()
    mixed = game.mixed_from_behaviour(behaviour, plans)
    return float(player_regrets(strategic.payoffs, mixed).max())


def pure_profiles(game: ExtensiveGame) -> list[BehaviourProfile]:
    own = [h for h in range(game.num_infosets) if game.infoset_player[h] >= 0]
    ranges = [range(int(game.infoset_num_actions[h])) for h in own]
    return [BehaviourProfile.pure(game, dict(zip(own, c))) for c in itertools.product(*ranges)]


def canonical(behaviour: BehaviourProfile) -> tuple[float, ...]:
    """Move each choice to the lowest-index action with the same continuation payoffs."""
    game = behaviour.game
    values = behaviour.node_values()
    flat = np.array(behaviour.flat)
    for v in np.flatnonzero(game.node_kind == DECISION):
        kids = game.children[game.child_start[v] : game.child_start[v + 1]]
        lo = game.action_offsets[game.node_infoset[v]]
        chosen = kids[int(np.argmax(flat[lo : lo + kids.size]))]
        same = np.flatnonzero(np.abs(values[kids] - values[chosen]).max(axis=1) < 1e-9)[0]
        flat[lo : lo + kids.size] = 0.0
        flat[lo + same] = 1.0
    return tuple(flat)


# ---------------------------------------------------------------------- backward induction
@pytest.mark.parametrize("stages", [2, 5, 8])
def test_centipede_unique_spe_takes_at_once(stages: int) -> None:
    game = centipede(stages)
    equilibria = all_pure_spe(game)
    assert len(equilibria) == 1
    eq = equilibria[0]
    assert eq.payoffs.tolist() == [2.0, 0.0]
    # Everyone takes at every node, on and off the path.
    takes = [eq.behaviour.probabilities[h][0] for h in range(game.num_infosets)]
    assert takes == [1.0] * stages
    assert eq.concept == "subgame perfect" and eq.concept_regret == 0.0
    assert backward_induction(game).behaviour.flat.tolist() == eq.behaviour.flat.tolist()


def test_ultimatum_without_zero_offer_has_one_spe() -> None:
    eqs = all_pure_spe(ultimatum(list(range(1, 11))))
    assert len(eqs) == 1
    assert eqs[0].strategy("Proposer")["root"]["1"] == 1.0
    assert eqs[0].payoffs.tolist() == [9.0, 1.0]
    # The responder accepts every offer.
    accepts = [s["accept"] for s in eqs[0].strategy("Responder").values()]
    assert accepts == [1.0] * 10


def test_ultimatum_with_zero_offer_has_two_spe() -> None:
    game = ultimatum(list(range(0, 11)))
    eqs = all_pure_spe(game)
    assert [eq.payoffs.tolist() for eq in eqs] == [[10.0, 0.0], [9.0, 1.0]]
    responder = [eq.strategy("Responder")["offer 0"]["accept"] for eq in eqs]
    assert responder == [1.0, 0.0]
    assert [eq.strategy("Proposer")["root"]["0"] for eq in eqs] == [1.0, 0.0]
    assert backward_induction(game).payoffs.tolist() == [10.0, 0.0]


def test_incredible_threat_is_not_subgame_perfect() -> None:
    game = entry_game()
    strategic, plans = game.strategic_form()
    threat = [np.array([1.0, 0.0]), np.array([1.0, 0.0])]  # (out, fight)
    assert player_regrets(strategic.payoffs, threat).max() == 0.0
    behaviour = BehaviourProfile.from_mixed(game, plans, threat)
    assert nash_regret(behaviour) == 0.0
    assert subgame_perfection_regret(behaviour) == pytest.approx(2.0)
    (eq,) = all_pure_spe(game)
    assert eq.strategy("Incumbent")["in"] == {"fight": 0.0, "share": 1.0}
    assert eq.payoffs.tolist() == [1.0, 1.0]


def test_backward_induction_with_chance() -> None:
    # Chance: 1/4 a node where A gets 4 by "x", 3/4 a node where B picks (2,1) or (0,3).
    game = ExtensiveGame.from_tree(
        ["A", "B"],
        Chance(
            {
                "u": ("1/4", Decision("A", {"x": Terminal([4, 0]), "y": Terminal([0, 4])})),
                "d": ("3/4", Decision("B", {"l": Terminal([2, 1]), "r": Terminal([0, 3])})),
            }
        ),
    )
    eq = backward_induction(game)
    assert eq.payoffs == pytest.approx([1.0, 2.25])


def test_backward_induction_refuses_imperfect_information() -> None:
    with pytest.raises(GameError, match="perfect information"):
        backward_induction(outside_option_battle())


def test_limit_is_enforced() -> None:
    # Four responders, each indifferent between two payoff vectors: 2**4 SPE.
    game = ExtensiveGame.from_tree(
        ["P", "R"],
        Decision(
            "P",
            {
                str(x): Decision("R", {"a": Terminal([x, 0]), "b": Terminal([-x, 0])})
                for x in range(1, 5)
            },
        ),
    )
    assert len(all_pure_spe(game)) == 16
    with pytest.raises(GameError, match="limit=10"):
        all_pure_spe(game, limit=10)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 3))
def test_all_pure_spe_match_brute_force(seed: int, players: int) -> None:
    game = random_game(seed, players=players, max_nodes=18)
    if game.num_nodes == 1:
        return
    profiles = pure_profiles(game)
    brute = {canonical(b) for b in profiles if subgame_perfection_regret(b) < 1e-9}
    found = all_pure_spe(game)
    assert {tuple(eq.behaviour.flat) for eq in found} == brute
    assert len(found) == len(brute)
    assert found[0].behaviour.flat.tolist() == backward_induction(game).behaviour.flat.tolist()


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_every_spe_is_a_nash_equilibrium_of_the_strategic_form(seed: int) -> None:
    game = random_game(seed, players=2, max_nodes=30, max_depth=5)
    if game.num_nodes == 1:
        return
    for eq in all_pure_spe(game):
        assert strategic_regret(eq.behaviour) < 1e-9
        assert eq.concept_regret <= eq.tolerance


def test_large_random_tree(record_property: pytest.RecordProperty) -> None:
    rng = np.random.default_rng(2)
    k = 100_000
    parent = np.r_[-1, (rng.random(k - 1) * np.arange(1, k)).astype(np.int64)]
    counts = np.bincount(parent[1:], minlength=k)
    kind = np.where(counts > 0, DECISION, TERMINAL)
    kind[(counts > 0) & (rng.random(k) < 0.1)] = CHANCE
    probs = 1.0 / np.maximum(counts[np.maximum(parent, 0)], 1)
    mover = np.where(kind == DECISION, rng.integers(0, 2, k), -1)
    payoffs = rng.normal(size=(k, 2)) * (kind == TERMINAL)[:, None]
    game = ExtensiveGame.from_arrays(
        ["a", "b"], parent, kind, mover, payoffs=payoffs, chance_probabilities=probs
    )
    game.depth_levels()
    start = time.perf_counter()
    eq = backward_induction(game)
    record_property("backward_induction_certified_seconds", time.perf_counter() - start)
    assert eq.concept_regret <= eq.tolerance
    # The root value is the expectation under the returned profile.
    assert eq.payoffs == pytest.approx(eq.behaviour.node_values()[0])


# ---------------------------------------------------------------------- subgame decomposition
def test_outside_option_battle_has_three_spe() -> None:
    eqs = subgame_perfect_equilibria(outside_option_battle())
    assert len(eqs) == 3
    summary = sorted(
        (eq.strategy("A")["root"]["in"], round(eq.strategy("B")["B"]["a"], 9)) for eq in eqs
    )
    # Out with B playing b, out with the mixed battle equilibrium (B plays a w.p. 1/4),
    # in with the battle equilibrium A prefers.
    assert summary == [(0.0, 0.0), (0.0, 0.25), (1.0, 1.0)]
    for eq in eqs:
        assert eq.concept == "subgame perfect" and eq.concept_regret <= eq.tolerance
        assert strategic_regret(eq.behaviour) < 1e-9
    payoffs = sorted(tuple(eq.payoffs.round(9)) for eq in eqs)
    assert payoffs == [(2.0, 2.0), (2.0, 2.0), (3.0, 1.0)]


def test_outside_option_above_every_battle_payoff() -> None:
    eqs = subgame_perfect_equilibria(outside_option_battle(outside=4.0))
    assert len(eqs) == 3
    assert all(eq.strategy("A")["root"]["out"] == 1.0 for eq in eqs)


def test_one_equilibrium_per_subgame_with_lemke_howson() -> None:
    eqs = subgame_perfect_equilibria(outside_option_battle(), method="lemke-howson")
    assert len(eqs) == 1 and eqs[0].concept_regret <= eqs[0].tolerance


def test_perfect_information_goes_to_backward_induction() -> None:
    game = ultimatum(list(range(0, 4)), pie=3)
    via_decomposition = subgame_perfect_equilibria(game)
    assert [eq.behaviour.flat.tolist() for eq in via_decomposition] == [
        eq.behaviour.flat.tolist() for eq in all_pure_spe(game)
    ]
    assert via_decomposition[0].method == "backward induction"


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_decomposition_on_random_imperfect_information_games(seed: int) -> None:
    game = random_game(seed, players=2, max_nodes=22, merge=0.8)
    if game.num_nodes == 1:
        return
    eqs = subgame_perfect_equilibria(game, limit=5000)
    assert eqs
    for eq in eqs:
        assert eq.concept_regret <= eq.tolerance
        assert strategic_regret(eq.behaviour) < 1e-7
    # Every pure SPE is found, up to its outcome: its restriction to each piece is a
    # pure (hence extreme) equilibrium there.
    outcomes = {tuple(np.round(eq.payoffs, 6)) for eq in eqs}
    profiles = pure_profiles(game)
    if len(profiles) <= 2000:
        for b in profiles:
            if subgame_perfection_regret(b) < 1e-9:
                assert tuple(np.round(b.expected_payoffs(), 6)) in outcomes


def test_decomposition_limit() -> None:
    # Two independent battles after chance: 3 x 3 combinations.
    def battle(name: str) -> Decision:
        def b(mine: list[int], theirs: list[int]) -> Decision:
            return Decision("B", {"a": Terminal(mine), "b": Terminal(theirs)}, name + "B")

        return Decision("A", {"a": b([3, 1], [0, 0]), "b": b([0, 0], [1, 3])}, name)

    game = ExtensiveGame.from_tree(
        ["A", "B"], Chance({"x": ("1/2", battle("x")), "y": ("1/2", battle("y"))})
    )
    assert len(subgame_perfect_equilibria(game)) == 9
    with pytest.raises(GameError, match="limit=5"):
        subgame_perfect_equilibria(game, limit=5)


# ---------------------------------------------------------------------- Gambit's collection
def test_gambit_perfect_information_games(gambit_games: Path) -> None:
    import simulator.io.efg as efg
    books = gambit_games / "catalog" / "books" / "shohamleytonbrown2008"
    contrib = gambit_games / "contrib" / "games"
    # Shoham and Leyton-Brown fig. 5.1, the sharing game: the sister is indifferent when
    # offered nothing, so there are two SPE.
    sharing = all_pure_spe(efg.read_efg(books / "fig5_1.efg"))
    assert sorted(eq.payoffs.tolist() for eq in sharing) == [[1.0, 1.0], [2.0, 0.0]]
    # Tic-tac-toe is a draw; the centipede is taken at once.
    assert backward_induction(efg.read_efg(contrib / "ttt.efg")).payoffs.tolist() == [0.0, 0.0]
    assert backward_induction(efg.read_efg(contrib / "cent4.efg")).payoffs == pytest.approx(
        [0.8, 0.2]
    )
    for path in sorted(gambit_games.rglob("*.efg")):
        game = efg.read_efg(path)
        if not game.is_perfect_information():
            continue
        for eq in all_pure_spe(game):
            assert eq.concept_regret <= eq.tolerance, path.name
            assert eq.regret <= eq.tolerance
