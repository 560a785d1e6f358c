"""Certificates of extensive-form equilibria: Nash regret by a best-response pass, regret in
every subgame, sequential rationality given beliefs, and the certified result type."""

from __future__ import annotations

import json
import time

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
from simulator.solvers.equilibrium import CertificationError
from simulator.solvers.extensive_equilibrium import (
    best_response,
    best_response_values,
    certify_extensive,
    default_beliefs,
    nash_regret,
    sequential_rationality_regret,
    subgame_best_response_values,
    subgame_perfection_regret,
)


# ---------------------------------------------------------------------- random games
def random_game(seed: int, **options: object) -> ExtensiveGame:
    """A random perfect-recall tree with chance and payoffs in -5..5 (see random_trees)."""
    return random_tree_game(seed, **options)  # type: ignore[arg-type]


def random_behaviour(game: ExtensiveGame, seed: int) -> BehaviourProfile:
    """Random behaviour with some zero probabilities (so some nodes are off the path)."""
    rng = np.random.default_rng(seed)
    flat = rng.random(game.num_actions_total) ** 2
    flat[rng.random(flat.size) < 0.3] = 0.0
    sizes = game.infoset_num_actions
    sums = np.add.reduceat(flat, game.action_offsets[:-1])
    first = game.action_offsets[:-1][sums == 0]
    flat[first] = 1.0
    sums = np.add.reduceat(flat, game.action_offsets[:-1])
    return BehaviourProfile.from_flat(game, flat / np.repeat(sums, sizes))


def strategic_regret(behaviour: BehaviourProfile) -> float:
    """Regret of the realisation-equivalent mixed profile in the reduced strategic form."""
    game = behaviour.game
    strategic, plans = game.strategic_form()
    return float(
        player_regrets(strategic.payoffs, game.mixed_from_behaviour(behaviour, plans)).max()
    )


def sub_behaviour(behaviour: BehaviourProfile, root: int) -> BehaviourProfile:
    """The behaviour profile restricted to the subgame at ``root``."""
    game = behaviour.game
    sub = game.subtree(root)
    flat = np.zeros(sub.num_actions_total)
    for h in range(sub.num_infosets):
        original = game.node_infoset[sub.infosets[h].nodes[0] + root]
        a, b = game.action_offsets[original], game.action_offsets[original + 1]
        flat[sub.action_offsets[h] : sub.action_offsets[h + 1]] = behaviour.flat[a:b]
    return BehaviourProfile.from_flat(sub, flat)


# ---------------------------------------------------------------------- fixtures
def entry_game() -> ExtensiveGame:
    """Chain-store stage (Selten 1978): the entrant stays out or enters; fight or share."""
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


def signal_game() -> ExtensiveGame:
    """A stays out, or moves L or R unseen by B, who then plays l or r (l is strictly dominant)."""

    def b(left: list[int], right: list[int]) -> Decision:
        return Decision("B", {"l": Terminal(left), "r": Terminal(right)}, "B")

    return ExtensiveGame.from_tree(
        ["A", "B"],
        Decision("A", {"out": Terminal([2, 2]), "L": b([3, 1], [0, 0]), "R": b([0, 2], [1, 1])}),
    )


# ---------------------------------------------------------------------- Nash regret
@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 3))
def test_nash_regret_equals_strategic_form_regret(seed: int, players: int) -> None:
    game = random_game(seed, players=players)
    if game.num_nodes == 1:
        return
    behaviour = random_behaviour(game, seed + 1)
    assert nash_regret(behaviour) == pytest.approx(strategic_regret(behaviour), abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_subgame_regret_equals_regret_of_every_subtree(seed: int) -> None:
    game = random_game(seed, players=2, merge=0.4)
    if game.num_nodes == 1:
        return
    behaviour = random_behaviour(game, seed + 7)
    roots, best = subgame_best_response_values(behaviour)
    assert roots.tolist() == game.subgame_roots()
    values = behaviour.node_values()
    expected = []
    for k, r in enumerate(roots.tolist()):
        sub = sub_behaviour(behaviour, r)
        expected.append(strategic_regret(sub))
        for i in range(game.num_players):
            # The subtree carries the same payoffs: the best-response values agree.
            assert best[k, i] == pytest.approx(best_response_values(sub, i), abs=1e-9)
            assert best[k, i] >= values[r, i] - 1e-9
    assert subgame_perfection_regret(behaviour) == pytest.approx(max(expected), abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_best_response_attains_the_best_response_value(seed: int) -> None:
    game = random_game(seed, players=2)
    if game.num_nodes == 1:
        return
    behaviour = random_behaviour(game, seed + 3)
    for i in range(game.num_players):
        response = best_response(behaviour, i)
        value = best_response_values(behaviour, i)
        assert response.expected_payoffs()[i] == pytest.approx(value, abs=1e-9)
        # Optimal in every subgame too: nobody else moved, so only i could gain.
        _, best = subgame_best_response_values(response)
        roots = game.subgame_roots()
        assert np.allclose(best[:, i], response.node_values()[roots, i], atol=1e-9)


def test_best_response_value_by_hand_with_chance_and_information() -> None:
    # B does not see the coin; guessing it right pays 1. Against nothing, B's best is the
    # likelier side: value 3/4.
    def guess(right: str) -> Decision:
        return Decision(
            "B", {"h": Terminal([int(right == "h")]), "t": Terminal([int(right == "t")])}, "guess"
        )

    game = ExtensiveGame.from_tree(
        ["B"], Chance({"h": ("3/4", guess("h")), "t": ("1/4", guess("t"))})
    )
    wrong = BehaviourProfile.pure(game, {("B", "guess"): "t"})
    assert best_response_values(wrong, "B") == pytest.approx(0.75)
    assert nash_regret(wrong) == pytest.approx(0.5)
    assert best_response(wrong, "B")[("B", "guess")].tolist() == [1.0, 0.0]


def test_imperfect_recall_is_refused() -> None:
    forgetful = ExtensiveGame.from_tree(
        ["A"],
        Decision(
            "A",
            {
                "L": Decision("A", {"l": Terminal([1]), "r": Terminal([0])}, "h"),
                "R": Decision("A", {"l": Terminal([0]), "r": Terminal([1])}, "h"),
            },
        ),
    )
    with pytest.raises(GameError, match="perfect recall"):
        nash_regret(BehaviourProfile.uniform(forgetful))


# ---------------------------------------------------------------------- subgame perfection
def test_incredible_threat_is_nash_but_not_subgame_perfect() -> None:
    game = entry_game()
    threat = BehaviourProfile.pure(game, ["out", "fight"])
    assert nash_regret(threat) == 0.0
    # In the entry subgame the incumbent gains 2 by sharing.
    assert subgame_perfection_regret(threat) == pytest.approx(2.0)
    certified = certify_extensive(threat, "nash", "by hand")
    assert certified.regret == certified.concept_regret == 0.0
    with pytest.raises(CertificationError, match="subgame perfect regret 2"):
        certify_extensive(threat, "subgame perfect", "by hand")
    spe = certify_extensive(BehaviourProfile.pure(game, ["in", "share"]), "spe", "by hand")
    assert spe.concept == "subgame perfect" and spe.payoffs.tolist() == [1.0, 1.0]


def test_nash_regret_reports_a_profitable_deviation() -> None:
    game = entry_game()
    # Against sharing, staying out (0) is worse than entering (1).
    profile = BehaviourProfile.pure(game, ["out", "share"])
    assert nash_regret(profile) == pytest.approx(1.0)
    with pytest.raises(CertificationError, match="Nash regret 1"):
        certify_extensive(profile, "nash", "by hand")


# ---------------------------------------------------------------------- sequential rationality
def test_off_path_dominated_action_fails_sequential_rationality() -> None:
    game = signal_game()
    profile = BehaviourProfile.pure(game, ["out", "r"])
    assert nash_regret(profile) == 0.0  # B's information set is off the path
    beliefs = default_beliefs(profile)
    nodes = list(game.infosets[game.infoset_index("B", "B")].nodes)
    # Nobody's move makes either node likelier: the chance-only weights tie, uniform beliefs.
    assert beliefs[nodes].tolist() == [0.5, 0.5]
    # l beats r by exactly 1 at both nodes, whatever the beliefs.
    for mu in (0.0, 0.3, 1.0):
        given = np.full(game.num_nodes, np.nan)
        given[nodes] = [mu, 1 - mu]
        given[0] = 1.0
        assert sequential_rationality_regret(profile, given) == pytest.approx(1.0)
    with pytest.raises(CertificationError, match="sequential regret 1"):
        certify_extensive(profile, "sequential", "by hand")


def test_sequential_equilibrium_and_bayes_check() -> None:
    game = signal_game()
    profile = BehaviourProfile.pure(game, ["L", "l"])
    eq = certify_extensive(profile, "sequential", "by hand")
    assert eq.concept_regret == 0.0 and eq.payoffs.tolist() == [3.0, 1.0]
    nodes = list(game.infosets[game.infoset_index("B", "B")].nodes)
    assert eq.beliefs[nodes].tolist() == [1.0, 0.0]
    wrong = np.full(game.num_nodes, np.nan)
    wrong[0] = 1.0
    wrong[nodes] = [0.5, 0.5]
    with pytest.raises(CertificationError, match="Bayes"):
        certify_extensive(profile, "perfect Bayesian", "by hand", beliefs=wrong)
    # Sequential-equilibrium consistency is the method's responsibility: not checked here.
    assert certify_extensive(profile, "sequential", "by hand", beliefs=wrong).concept_regret == 0


def test_beliefs_are_validated() -> None:
    game = signal_game()
    profile = BehaviourProfile.pure(game, ["L", "l"])
    bad = np.full(game.num_nodes, np.nan)
    bad[0] = 1.0
    with pytest.raises(GameError, match="every decision node"):
        sequential_rationality_regret(profile, bad)
    nodes = list(game.infosets[game.infoset_index("B", "B")].nodes)
    bad[nodes] = [0.5, 0.6]
    with pytest.raises(GameError, match="sum to 1.1"):
        sequential_rationality_regret(profile, bad)
    with pytest.raises(GameError, match="one entry per node"):
        sequential_rationality_regret(profile, [1.0])


def test_default_beliefs_follow_the_others_moves_off_the_path() -> None:
    # Chance picks a type (1/3, 2/3); A stops or continues; B sees only "continue".
    # When A always stops, B's belief is the prior: only chance moved before A.
    def a(pay: int) -> Decision:
        return Decision(
            "A",
            {
                "stop": Terminal([0, 0]),
                "go": Decision("B", {"x": Terminal([pay, 1]), "y": Terminal([0, 0])}, "b"),
            },
        )

    game = ExtensiveGame.from_tree(["A", "B"], Chance({"s": ("1/3", a(1)), "w": ("2/3", a(2))}))
    stop = BehaviourProfile.from_dict(
        game, {"A": {"s": {"stop": 1}, "w": {"stop": 1}}, "B": {"b": {"x": 1}}}
    )
    nodes = list(game.infosets[game.infoset_index("B", "b")].nodes)
    assert default_beliefs(stop)[nodes] == pytest.approx([1 / 3, 2 / 3])
    # On the path Bayes' rule: type w continues half the time.
    mixed = BehaviourProfile.from_dict(
        game, {"A": {"s": {"go": 1}, "w": {"go": 0.5, "stop": 0.5}}, "B": {"b": {"x": 1}}}
    )
    assert default_beliefs(mixed)[nodes] == pytest.approx([0.5, 0.5])


# ---------------------------------------------------------------------- the result type
def test_result_as_dict_is_json_and_complete() -> None:
    game = signal_game()
    eq = certify_extensive(
        BehaviourProfile.pure(game, ["L", "l"]),
        "perfect Bayesian",
        "by hand",
        parameters={"note": "x"},
    )
    data = json.loads(json.dumps(eq.as_dict()))
    assert data["concept"] == "perfect Bayesian"
    assert data["behaviour"]["B"]["B"] == {"l": 1.0, "r": 0.0}
    assert data["payoffs"] == {"A": 3.0, "B": 1.0}
    assert sorted(data["beliefs"]["B"]["B"].values()) == [0.0, 1.0]
    assert data["regret"] == 0.0 and data["parameters"] == {"note": "x"}
    assert eq.is_pure and "perfect Bayesian" in repr(eq)
    assert eq.strategy("A") == {"root": {"out": 0.0, "L": 1.0, "R": 0.0}}


def test_unknown_concept_is_refused() -> None:
    with pytest.raises(GameError, match="unknown solution concept"):
        certify_extensive(BehaviourProfile.uniform(entry_game()), "trembling", "by hand")


def test_certificates_on_a_large_tree(record_property: pytest.RecordProperty) -> None:
    # A 100,000-node random tree with chance and 3 players; certificates in one sweep.
    rng = np.random.default_rng(11)
    k = 100_000
    parent = np.r_[-1, (rng.random(k - 1) * np.arange(1, k)).astype(np.int64)]
    counts = np.bincount(parent[1:], minlength=k)
    kind = np.where(counts > 0, DECISION, TERMINAL)
    kind[(counts > 0) & (rng.random(k) < 0.1)] = CHANCE
    probs = 1.0 / np.maximum(counts[np.maximum(parent, 0)], 1)
    mover = np.where(kind == DECISION, rng.integers(0, 3, k), -1)
    payoffs = rng.normal(size=(k, 3)) * (kind == TERMINAL)[:, None]
    game = ExtensiveGame.from_arrays(
        ["a", "b", "c"], parent, kind, mover, payoffs=payoffs, chance_probabilities=probs
    )
    behaviour = BehaviourProfile.uniform(game)
    start = time.perf_counter()
    regret = subgame_perfection_regret(behaviour)
    record_property("subgame_perfection_regret_seconds", time.perf_counter() - start)
    assert regret >= nash_regret(behaviour) > 0


def test_one_node_game_certifies():
    from simulator.games.extensive import ExtensiveGame, Terminal

    game = ExtensiveGame.from_tree(["A"], Terminal([1.0]))
    eq = certify_extensive(BehaviourProfile.uniform(game), "nash", "by hand")
    assert eq.payoffs.tolist() == [1.0] and eq.regret == 0.0
