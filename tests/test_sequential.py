"""Sequential equilibrium: the consistency check and the logit agent QRE limit."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from known_games import beer_quiche

from simulator.games.behaviour import BehaviourProfile
from simulator.games.errors import GameError
from simulator.games.extensive import DECISION, Chance, Decision, ExtensiveGame, Terminal
from simulator.solvers.agent_logit import sequential_equilibrium, trace_agent_logit
from simulator.solvers.extensive_equilibrium import game_tolerance, nash_regret
from simulator.solvers.sequential import consistency_orders, is_sequential

HORSE_FILE = "catalog/journals/ijgt/selten1975/fig1.efg"


# ---------------------------------------------------------------------- games
def horse():
    """Selten's horse (Selten 1975, fig. 1; payoffs as in Gambit's selten1975/fig1.efg).

    Player 1 goes across (A) to player 2 or down (D) to player 3; player 2 goes across
    (a), ending with (1, 1, 1), or down (D) to player 3, who cannot tell which way he
    was reached. Nodes: 0 player 1, 1 player 2, 3 and 6 player 3 (after A-D and D).
    """

    def three(after_two):
        return Decision(
            "3",
            {
                "L": Terminal([0, 0, 1] if after_two else [0, 0, 0]),
                "R": Terminal([4, 4, 0] if after_two else [3, 2, 2]),
            },
            "h3",
        )

    return ExtensiveGame.from_tree(
        ["1", "2", "3"],
        Decision(
            "1",
            {
                "A": Decision("2", {"a": Terminal([1, 1, 1]), "D": three(True)}, "h2"),
                "D": three(False),
            },
            "h1",
        ),
    )


def random_game(seed, players=2, depth=4, generic=True, perfect_information=False):
    """A random tree with chance moves and perfect recall (see test_sequence_form)."""
    rng = np.random.default_rng(seed)
    known = {}

    def payoffs():
        if generic:
            return rng.normal(size=players).tolist()
        return rng.integers(0, 10, players).tolist()

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
        if perfect_information:
            name, count = None, int(rng.integers(2, 4))
        else:
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


def backward_induction(game):
    """Brute-force subgame-perfect play of a perfect-information game: {node: action}."""
    choice = {}

    def value(v):
        kind = game.node_kind[v]
        kids = game.children[game.child_start[v] : game.child_start[v + 1]]
        if kind == 0:
            return game.terminal_payoffs[v]
        values = [value(int(c)) for c in kids]
        if kind == DECISION:
            best = int(np.argmax([u[game.node_player[v]] for u in values]))
            choice[v] = best
            return values[best]
        probs = game.chance_edge_probabilities[kids]
        return sum(p * u for p, u in zip(probs, values))

    value(0)
    return choice


def beliefs_vector(game, values):
    mu = np.full(game.num_nodes, np.nan)
    for node, p in values.items():
        mu[node] = p
    return mu


# ---------------------------------------------------------------------- Selten's horse
def test_selten_horse_assessments():
    game = horse()
    good = BehaviourProfile.pure(game, ["A", "a", "L"])
    bad = BehaviourProfile.pure(game, ["D", "a", "R"])
    # Player 3 plays L exactly when the node after A-D has belief >= 2/3.
    check = is_sequential(good, beliefs_vector(game, {0: 1, 1: 1, 3: 0.8, 6: 0.2}))
    assert check.consistent and check.sequentially_rational and check.is_sequential
    assert check.regret == 0.0
    check = is_sequential(good, beliefs_vector(game, {0: 1, 1: 1, 3: 0.5, 6: 0.5}))
    assert check.consistent and not check.sequentially_rational
    assert check.regret == pytest.approx(0.5)  # R pays 2 * 0.5, L pays 0.5
    # The Nash component with payoffs (3, 2, 2): a Nash equilibrium...
    assert nash_regret(bad) == 0.0
    np.testing.assert_allclose(bad.expected_payoffs(), [3, 2, 2])
    # ...whose unreached player 2 would rather go down (4 > 1): not sequential.
    check = is_sequential(bad, beliefs_vector(game, {0: 1, 1: 1, 3: 0, 6: 1}))
    assert check.consistent and not check.sequentially_rational
    assert check.regret == pytest.approx(3.0)
    by_label = {item.label: item for item in check.details}
    assert by_label["h2"].regret == pytest.approx(3.0) and by_label["h2"].reach == 0.0
    assert by_label["h3"].support == (6,)


def test_selten_horse_limit_is_the_sequential_equilibrium():
    game = horse()
    eq = sequential_equilibrium(game)
    assert eq.concept == "sequential"
    np.testing.assert_allclose(eq.payoffs, [1, 1, 1])
    assert eq.strategy("1")["h1"]["A"] == 1.0 and eq.strategy("2")["h2"]["a"] == 1.0
    assert eq.beliefs[3] >= 2 / 3 - 1e-9  # player 3 believes player 2 deviated
    assert is_sequential(eq.behaviour, eq.beliefs).is_sequential


def test_selten_horse_from_gambit_file(gambit_games):
    from simulator.io.efg import read_efg

    game = read_efg(gambit_games / HORSE_FILE)
    assert sorted(map(tuple, game.terminal_payoffs[game.terminal_nodes].tolist())) == sorted(
        map(tuple, horse().terminal_payoffs[horse().terminal_nodes].tolist())
    )
    eq = sequential_equilibrium(game)
    np.testing.assert_allclose(eq.payoffs, [1, 1, 1])
    assert is_sequential(eq.behaviour, eq.beliefs).is_sequential


# ---------------------------------------------------------------------- consistency
def prior_game():
    """Chance picks left (1/4) or right (3/4); A, not seeing it, stops or goes on to B,
    who does not see it either. Nodes: A at 1 and 6, B at 3 and 8."""

    def branch():
        return Decision(
            "A",
            {
                "stop": Terminal([0, 0]),
                "go": Decision("B", {"x": Terminal([1, 1]), "y": Terminal([0, 0])}, "b"),
            },
            "a",
        )

    return ExtensiveGame.from_tree(
        ["A", "B"], Chance({"l": ("1/4", branch()), "r": ("3/4", branch())})
    )


def test_consistency_forces_the_prior_after_a_common_deviation():
    game = prior_game()
    stop = BehaviourProfile.pure(game, {("A", "a"): "stop", ("B", "b"): "x"})
    prior = beliefs_vector(game, {1: 0.25, 6: 0.75, 3: 0.25, 8: 0.75})
    check = is_sequential(stop, prior)
    assert check.consistent and check.orders == {("A", "a", "go"): 1.0}
    # B's information set is off the path: any beliefs pass Bayes' rule there, but a
    # single tremble of A reaches both nodes, so only the prior is consistent.
    skewed = beliefs_vector(game, {1: 0.25, 6: 0.75, 3: 0.5, 8: 0.5})
    check = is_sequential(stop, skewed)
    assert not check.consistent and "trembles" in check.reason
    # On the path beliefs must follow Bayes' rule.
    on_path = beliefs_vector(game, {1: 0.5, 6: 0.5, 3: 0.25, 8: 0.75})
    assert not is_sequential(stop, on_path).consistent


def test_orders_of_likelihood_must_be_acyclic():
    """Two information sets of B, each reached after A's deviation a or b: beliefs that make
    a likelier than b at one and b likelier than a at the other are inconsistent."""

    def after(move):
        return Chance(
            {
                "u": ("1/2", Decision("B", {"x": Terminal([0, 1]), "y": Terminal([0, 0])}, "b1")),
                "v": ("1/2", Decision("B", {"x": Terminal([0, 0]), "y": Terminal([0, 1])}, "b2")),
            }
        )

    game = ExtensiveGame.from_tree(
        ["A", "B"],
        Decision("A", {"out": Terminal([1, 0]), "a": after("a"), "b": after("b")}, "root"),
    )
    first, second = (game.infosets[game.infoset_index("B", name)].nodes for name in ("b1", "b2"))
    behaviour = BehaviourProfile.pure(
        game, {("A", "root"): "out", ("B", "b1"): "x", ("B", "b2"): "y"}
    )
    crossed = beliefs_vector(game, {0: 1, first[0]: 1, first[1]: 0, second[0]: 0, second[1]: 1})
    orders, reason = consistency_orders(behaviour, crossed)
    assert orders is None and "orders of likelihood" in reason
    aligned = beliefs_vector(game, {0: 1, first[0]: 1, first[1]: 0, second[0]: 1, second[1]: 0})
    orders, _ = consistency_orders(behaviour, aligned)
    assert orders[("A", "root", "a")] < orders[("A", "root", "b")]
    # Equal orders with any ratio are consistent too (one free coefficient per action).
    mixed = beliefs_vector(
        game, {0: 1, first[0]: 0.3, first[1]: 0.7, second[0]: 0.3, second[1]: 0.7}
    )
    assert consistency_orders(behaviour, mixed)[0] is not None
    unequal = beliefs_vector(
        game, {0: 1, first[0]: 0.3, first[1]: 0.7, second[0]: 0.6, second[1]: 0.4}
    )
    assert consistency_orders(behaviour, unequal)[0] is None


def limit_beliefs(game, flat, orders, coefficients):
    """Limits of the Bayes beliefs of the trembles c_a eps**k_a, node by node (by hand)."""
    mu = np.full(game.num_nodes, np.nan)
    chance = game.chance_edge_probabilities
    for info in game.infosets:
        if info.is_chance:
            continue
        keys = []
        for v in info.nodes:
            order, weight, u = 0.0, 1.0, v
            while u > 0:
                a = game.edge_action[u]
                if game.node_kind[game.parent[u]] == DECISION:
                    if flat[a] > 0:
                        weight *= flat[a]
                    else:
                        order += orders[a]
                        weight *= coefficients[a]
                else:
                    weight *= chance[u]
                u = game.parent[u]
            keys.append((order, weight))
        least = min(order for order, _ in keys)
        weights = np.array([w if order == least else 0.0 for order, w in keys])
        for v, p in zip(info.nodes, weights / weights.sum()):
            mu[v] = p
    return mu


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**31 - 1))
def test_limits_of_trembles_are_consistent(seed):
    game = random_game(seed, depth=5, generic=False)
    rng = np.random.default_rng(seed)
    flat = np.zeros(game.num_actions_total)
    offsets = game.action_offsets
    for h, info in enumerate(game.infosets):
        if info.is_chance:
            flat[offsets[h] : offsets[h + 1]] = info.probabilities
            continue
        p = rng.dirichlet(np.ones(info.num_actions)) * (rng.random(info.num_actions) < 0.5)
        if p.sum() == 0:
            p[rng.integers(info.num_actions)] = 1.0
        flat[offsets[h] : offsets[h + 1]] = p / p.sum()
    behaviour = BehaviourProfile.from_flat(game, flat)
    orders = rng.integers(1, 4, game.num_actions_total).astype(float)
    coefficients = rng.uniform(0.2, 5.0, game.num_actions_total)
    mu = limit_beliefs(game, flat, orders, coefficients)
    check = is_sequential(behaviour, mu)
    assert check.consistent, check.reason


# ---------------------------------------------------------------------- agent QRE
def test_beer_quiche_limit_is_the_beer_pool():
    game = beer_quiche()
    eq = sequential_equilibrium(game)
    np.testing.assert_allclose(eq.payoffs, [2.9, 0.9])
    assert eq.strategy("Sender")["weak"]["beer"] == 1.0
    assert eq.strategy("Sender")["strong"]["beer"] == 1.0
    assert eq.strategy("Receiver")["beer"]["spare"] == 1.0
    assert eq.strategy("Receiver")["quiche"]["duel"] == 1.0
    # Off the path the weak type is the likelier deviator to quiche (the intuitive
    # criterion's reasoning), so the receiver duels after quiche.
    weak_quiche = game.infosets[game.infoset_index("Receiver", "quiche")].nodes[0]
    assert eq.beliefs[weak_quiche] >= 0.5
    assert is_sequential(eq.behaviour, eq.beliefs).is_sequential


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), players=st.integers(2, 3))
def test_perfect_information_limit_is_backward_induction(seed, players):
    game = random_game(seed, players=players, depth=4, perfect_information=True)
    eq = sequential_equilibrium(game)
    for node, action in backward_induction(game).items():
        h = game.node_infoset[node]
        assert eq.behaviour.probabilities[h][action] == pytest.approx(1.0)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), players=st.integers(2, 3))
def test_limit_is_a_sequential_equilibrium_on_random_games(seed, players):
    game = random_game(seed, players=players, depth=4)
    eq = sequential_equilibrium(game)
    assert eq.concept_regret <= game_tolerance(game)
    check = is_sequential(eq.behaviour, eq.beliefs)
    assert check.is_sequential, check.reason


def test_the_traced_branch_solves_the_agent_qre_equations():
    game = random_game(11, players=3, depth=4)
    result = trace_agent_logit(game)
    assert result.refined
    assert np.all(np.diff(result.lambdas) > 0) and result.final_lambda == 1e6
    payoffs = game.terminal_payoffs[game.terminal_nodes]
    spans = payoffs.max(axis=0) - payoffs.min(axis=0)
    offsets = game.action_offsets
    for k in (1, len(result.lambdas) // 4):
        lam, profile = result.lambdas[k], result.profiles[k]
        for player in range(game.num_players):
            for h, values in profile.infoset_values(player).items():
                logs = np.log(profile.flat[offsets[h] : offsets[h + 1]])
                # Logit response to the values given the Bayes beliefs (each player's
                # payoffs over its own span).
                expected = lam * values / spans[player]
                np.testing.assert_allclose(logs - logs[0], expected - expected[0], atol=1e-7)


def test_agent_logit_input_errors():
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
        trace_agent_logit(forgetful)
    with pytest.raises(GameError, match="max_lambda"):
        trace_agent_logit(horse(), max_lambda=0)
    with pytest.raises(GameError, match="sum to"):
        is_sequential(
            BehaviourProfile.uniform(horse()), beliefs_vector(horse(), {0: 1, 1: 1, 3: 1, 6: 1})
        )


def test_information_sets_behind_impossible_chance_moves():
    game = ExtensiveGame.from_tree(
        ["A", "B"],
        Chance(
            {
                "never": (0, Decision("A", {"l": Terminal([1, 0]), "r": Terminal([0, 1])}, "a")),
                "always": (1, Decision("A", {"l": Terminal([0, 0]), "r": Terminal([2, 1])}, "a2")),
            }
        ),
    )
    eq = sequential_equilibrium(game)
    np.testing.assert_allclose(eq.payoffs, [2, 1])
    # Even where no profile reaches, the agent plays its best action given the beliefs.
    assert eq.strategy("A")["a"]["l"] == 1.0
