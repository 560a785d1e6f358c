"""Sequence form (von Stengel 1996) and its LCP solved by Lemke's algorithm (KMvS 1996)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from known_games import beer_quiche

from simulator.games.behaviour import BehaviourProfile
from simulator.games.errors import GameError
from simulator.games.extensive import Chance, Decision, ExtensiveGame, Terminal
from simulator.games.normal_form import player_regrets
from simulator.solvers import sequence_form as sf_module
from simulator.solvers.extensive_equilibrium import game_tolerance, nash_regret
from simulator.solvers.sequence_form import (
    LemkeRayError,
    behaviour_from_realisation,
    lemke,
    sequence_form,
    sequence_form_equilibrium,
)


# ---------------------------------------------------------------------- games
def random_game(seed, players=2, depth=4, payoff_max=9, generic=False):
    """A random tree with chance moves and perfect recall.

    A mover's information set is keyed by their own past (information set, action)
    pairs plus a random bit, so nodes of one set share the mover's own history (perfect
    recall) while other players' moves and chance are partly hidden.
    """
    rng = np.random.default_rng(seed)
    known = {}

    def payoffs():
        if generic:
            return rng.normal(size=players).tolist()
        return rng.integers(0, payoff_max + 1, players).tolist()

    def build(level, own):
        if level >= depth or (level > 0 and rng.random() < 0.25):
            return Terminal(payoffs())
        if level > 0 and rng.random() < 0.2:
            weights = rng.integers(1, 5, size=int(rng.integers(2, 4)))
            total = int(weights.sum())
            return Chance(
                {
                    f"c{k}": (f"{int(w)}/{total}", build(level + 1, own))
                    for k, w in enumerate(weights)
                }
            )
        mover = int(rng.integers(players))
        key = (mover, own[mover], int(rng.integers(2)))
        if key not in known:
            known[key] = (f"I{len(known)}", int(rng.integers(2, 4)))
        name, count = known[key]
        actions = {}
        for a in range(count):
            history = list(own)
            history[mover] = own[mover] + ((name, a),)
            actions[f"a{a}"] = build(level + 1, tuple(history))
        return Decision(mover, actions, infoset=name)

    return ExtensiveGame.from_tree([f"P{k}" for k in range(players)], build(0, ((),) * players))


def entry_game():
    return ExtensiveGame.from_tree(
        ["Entrant", "Incumbent"],
        Decision(
            "Entrant",
            {
                "out": Terminal([1, 2]),
                "in": Decision("Incumbent", {"fight": Terminal([0, 0]), "yield": Terminal([2, 1])}),
            },
        ),
    )


def parallel_game(branches, seed=0):
    """Chance picks one of ``branches`` types; each player sees it, player 2 not player 1's
    move: ``2**branches`` reduced strategies per player, ``2 * branches + 1`` sequences."""
    rng = np.random.default_rng(seed)

    def second(k):
        pay = rng.normal(size=(2, 2)).tolist()
        return Decision("P2", {"l": Terminal(pay[0]), "r": Terminal(pay[1])}, f"t{k}")

    def branch(k):
        return Decision("P1", {"u": second(k), "d": second(k)}, f"t{k}")

    return ExtensiveGame.from_tree(
        ["P1", "P2"], Chance({f"t{k}": (f"1/{branches}", branch(k)) for k in range(branches)})
    )


def realisation_plan(game, behaviour, player):
    """x(s) = product of the behaviour probabilities along sequence s."""
    return np.array(
        [
            np.prod([behaviour.probabilities[h][a] for h, a in sequence])
            for sequence in game.sequences(player)
        ]
    )


def random_behaviour(game, rng):
    flat = np.zeros(game.num_actions_total)
    offsets = game.action_offsets
    for h, info in enumerate(game.infosets):
        if not info.is_chance:
            flat[offsets[h] : offsets[h + 1]] = rng.dirichlet(np.ones(info.num_actions))
    return BehaviourProfile.from_flat(game, flat)


# ---------------------------------------------------------------------- the sequence form
def test_sequence_form_of_the_entry_game():
    sf = sequence_form(entry_game())
    assert sf.labels == (("∅", "root:out", "root:in"), ("∅", "in:fight", "in:yield"))
    np.testing.assert_array_equal(sf.E, [[1, 0, 0], [-1, 1, 1]])
    np.testing.assert_array_equal(sf.F, [[1, 0, 0], [-1, 1, 1]])
    np.testing.assert_array_equal(sf.e, [1, 0])
    # The out-leaf needs no move of the incumbent: it sits in column "∅".
    np.testing.assert_array_equal(sf.A, [[0, 0, 0], [1, 0, 0], [0, 0, 2]])
    np.testing.assert_array_equal(sf.B, [[0, 0, 0], [2, 0, 0], [0, 0, 1]])


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31 - 1))
def test_realisation_plans_give_the_behaviour_payoffs(seed):
    game = random_game(seed)
    behaviour = random_behaviour(game, np.random.default_rng(seed))
    x, y = (realisation_plan(game, behaviour, i) for i in range(2))
    sf = sequence_form(game)
    np.testing.assert_allclose(sf.E @ x, sf.e, atol=1e-12)
    np.testing.assert_allclose(sf.F @ y, sf.f, atol=1e-12)
    np.testing.assert_allclose(sf.payoffs(x, y), behaviour.expected_payoffs(), atol=1e-12)
    # And the behaviour read back from the plans is the original one.
    back = behaviour_from_realisation(game, (x, y))
    np.testing.assert_allclose(back.flat, behaviour.flat, atol=1e-12)


# ---------------------------------------------------------------------- equilibria
@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    depth=st.integers(2, 5),
    payoff_max=st.sampled_from([1, 3, 20]),
)
def test_equilibrium_on_random_trees(seed, depth, payoff_max):
    game = random_game(seed, depth=depth, payoff_max=payoff_max)
    eq = sequence_form_equilibrium(game)
    tol = game_tolerance(game)
    assert eq.concept == "nash"
    assert nash_regret(eq.behaviour) <= tol
    # Cross-check in the reduced strategic form (Kuhn: the realisation-equivalent mix).
    normal, plans = game.strategic_form()
    mixed = game.mixed_from_behaviour(eq.behaviour, plans)
    assert player_regrets(normal.payoffs, mixed).max() <= tol
    np.testing.assert_allclose(normal.payoff(mixed), eq.payoffs, atol=1e-9)


def test_matching_pennies_in_extensive_form():
    game = ExtensiveGame.from_tree(
        ["A", "B"],
        Decision(
            "A",
            {
                "H": Decision("B", {"h": Terminal([1, -1]), "t": Terminal([-1, 1])}, "b"),
                "T": Decision("B", {"h": Terminal([-1, 1]), "t": Terminal([1, -1])}, "b"),
            },
        ),
    )
    eq = sequence_form_equilibrium(game)
    np.testing.assert_allclose(eq.behaviour.flat, 0.5, atol=1e-12)
    np.testing.assert_allclose(eq.payoffs, [0, 0], atol=1e-12)


def test_beer_quiche_reaches_a_pooling_equilibrium():
    eq = sequence_form_equilibrium(beer_quiche())
    payoffs = np.round(eq.payoffs, 9).tolist()
    assert payoffs in ([2.9, 0.9], [2.1, 0.9])
    breakfast = "beer" if payoffs[0] == 2.9 else "quiche"
    for kind in ("weak", "strong"):
        assert eq.strategy("Sender")[kind][breakfast] == pytest.approx(1.0)
    # On the path the receiver spares: the prior (0.9 strong) makes sparing optimal.
    assert eq.strategy("Receiver")[breakfast]["spare"] == pytest.approx(1.0)


def test_covering_vectors_all_lead_to_equilibria():
    game = random_game(7, depth=5)
    sf = sequence_form(game)
    size = sum(sf.shape) + sf.E.shape[0] + sf.F.shape[0]
    rng = np.random.default_rng(0)
    tol = game_tolerance(game)
    for _ in range(5):
        eq = sequence_form_equilibrium(game, covering=rng.uniform(0.1, 10, size))
        assert nash_regret(eq.behaviour) <= tol
    with pytest.raises(GameError, match="covering vector"):
        sequence_form_equilibrium(game, covering=np.ones(size + 1))
    with pytest.raises(GameError, match="positive"):
        sequence_form_equilibrium(game, covering=-np.ones(size))


def test_tree_too_large_for_the_strategic_form():
    game = parallel_game(12)  # 4096 x 4096 reduced strategic form
    with pytest.raises(GameError, match="sequence form"):
        game.strategic_form()
    eq = sequence_form_equilibrium(game)
    assert eq.parameters["sequences"] == [25, 25]
    assert nash_regret(eq.behaviour) <= game_tolerance(game)
    # Every type is reached, so at every information set the actions played are best
    # replies given the beliefs (Bayes' rule) and the other player's play.
    for player in (0, 1):
        for h, values in eq.behaviour.infoset_values(player).items():
            played = eq.behaviour.probabilities[h] > 0
            assert values[played].min() >= values.max() - 1e-9


def test_needs_two_players_and_perfect_recall():
    three = random_game(3, players=3)
    with pytest.raises(GameError, match="two-player"):
        sequence_form(three)
    forgetful = ExtensiveGame.from_tree(
        ["A", "B"],
        Decision(
            "A",
            {
                "L": Decision("A", {"l": Terminal([1, 0]), "r": Terminal([0, 1])}, "h"),
                "R": Decision("A", {"l": Terminal([0, 1]), "r": Terminal([1, 0])}, "h"),
            },
        ),
    )
    with pytest.raises(GameError, match="perfect recall"):
        sequence_form_equilibrium(forgetful)


# ---------------------------------------------------------------------- Lemke's algorithm
@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), size=st.integers(1, 8))
def test_lemke_solves_lcps_with_positive_definite_matrices(seed, size):
    rng = np.random.default_rng(seed)
    root = rng.normal(size=(size, size))
    skew = rng.normal(size=(size, size))
    # Positive definite (not symmetric): a P-matrix, so the LCP has one solution.
    M = root @ root.T + 0.1 * np.eye(size) + skew - skew.T
    b = rng.normal(size=size)
    z, _ = lemke(M, b)
    w = b + M @ z
    assert z.min() >= 0
    assert w.min() >= -1e-9
    assert abs(z @ w) <= 1e-9


def test_lemke_reports_a_ray_when_there_is_no_solution():
    # w = -1 - z >= 0 has no solution with z >= 0.
    with pytest.raises(LemkeRayError, match="ray"):
        lemke([[-1.0]], [-1.0])


def test_lemke_solves_dense_lcps_of_a_hundred_rows():
    # Dense entering columns take the in-place BLAS rank-one update of the inverse basis.
    rng = np.random.default_rng(7)
    root = rng.normal(size=(120, 120))
    M = root @ root.T + np.eye(120)
    b = rng.normal(size=120)
    z, pivots = lemke(M, b)
    w = b + M @ z
    assert pivots > 10
    assert z.min() >= 0
    assert w.min() >= -1e-9
    assert abs(z @ w) <= 1e-8


def test_default_path_starts_from_uniform_play_and_restarts_with_doubling_budgets():
    game = random_game(3, depth=5)
    sf = sequence_form(game)
    A, B = sf_module._negative_payoffs(game, sf)
    size = sf.E.shape[1] + sf.F.shape[1] + sf.E.shape[0] + sf.F.shape[0]
    starts = list(sf_module._starts(sf, A, B, None, size, budget=100 * size))
    names = [name for name, _, _ in starts]
    budgets = [allowed for _, _, allowed in starts]
    assert names[0] == "centroid" and names[1] == "random start 1"
    assert budgets == [20 * size, 40 * size, 40 * size]  # doubling, the total within budget
    assert sum(budgets) == 100 * size
    assert all(d.min() > 0 for _, d, _ in starts)
    # uniform play: the centroid's player rows are each player's payoff against it
    t = sf_module._uniform_plan(sf.F)
    assert np.allclose(sf.F @ t, sf.f)
    assert np.allclose(starts[0][1][: sf.E.shape[1]], np.maximum(-(A @ t), starts[0][1].min()))
    eq = sequence_form_equilibrium(game)
    assert eq.parameters["covering"] == "centroid" and eq.parameters["attempts"] == 1
    # a given covering vector is used alone, with the whole budget
    given = list(sf_module._starts(sf, A, B, np.ones(size), size, budget=500))
    assert [(name, allowed) for name, _, allowed in given] == [("given", 500)]


def test_a_path_past_its_budget_moves_on_to_the_next_start(monkeypatch):
    game = random_game(5, depth=5)
    calls = []
    original = sf_module._starts

    def starts(sf, A, B, covering, size, budget):
        for name, d, _ in original(sf, A, B, covering, size, budget):
            calls.append(name)
            yield name, d, (1 if name == "centroid" else budget)  # the first runs out at once

    monkeypatch.setattr(sf_module, "_starts", starts)
    eq = sequence_form_equilibrium(game)
    assert calls[:2] == ["centroid", "random start 1"]
    assert eq.parameters["covering"] == "random start 1" and eq.parameters["attempts"] == 2
    assert eq.regret <= eq.tolerance
