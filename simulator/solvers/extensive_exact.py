"""Exact (rational) Nash regrets of a behaviour profile in a game tree.

Float certificates carry a tolerance of ``1e-8`` times each player's payoff span. When a
player's payoffs span more than about 100, that bound exceeds a gain a person could
see, so :func:`~simulator.solvers.extensive_equilibrium.certify_extensive` re-measures
the regret here in rational arithmetic: payoffs are read as the decimals they print as
(:func:`~simulator.games.normal_form.payoffs_as_fractions`), chance probabilities as the
game's exact ones, and behaviour probabilities as given (``0`` and ``1`` for a pure
profile, so a pure profile is checked exactly as it is).

The best response of player ``i`` against the others is found by backward induction over
``i``'s sequences (Koller, Megiddo and von Stengel 1996, perfect recall): the value of an
information set ``h`` is ``max_a [W(h, a) + sum of the values of the information sets
that follow (h, a)]``, where ``W(h, a)`` sums ``weight(t) * u_i(t)`` over the terminal
nodes whose last move of ``i`` is ``(h, a)`` and ``weight`` is the product of the chance
and other players' probabilities on the path. Within a subgame the weights start at 1 at
its root, which gives the conditional regrets of subgame perfection.
"""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

import numpy as np

from simulator.games.behaviour import BehaviourProfile
from simulator.games.extensive import ExtensiveGame
from simulator.games.normal_form import payoffs_as_fractions
from simulator.games.tree import CHANCE, DECISION

__all__ = ["exact_edge_probabilities", "exact_nash_regrets"]


def exact_edge_probabilities(behaviour: BehaviourProfile) -> list[Fraction]:
    """Probability of the move into each node as an exact rational (1 at the root).

    Chance moves take the game's exact probabilities where it has them (else the decimal
    each float prints as); players' moves take their behaviour probabilities read the
    same way, so ``0`` and ``1`` stay exact.

    Parameters
    ----------
    behaviour : BehaviourProfile

    Returns
    -------
    list of Fraction, length K
    """
    game = behaviour.game
    parent = np.maximum(game.parent, 0)
    at_chance = (game.node_kind[parent] == CHANCE) & (game.parent >= 0)
    floats = np.where(
        at_chance, game.chance_edge_probabilities, behaviour.flat[np.maximum(game.edge_action, 0)]
    )
    floats[0] = 1.0
    out: list[Fraction] = list(payoffs_as_fractions(floats))
    for info in game.infosets:
        if info.is_chance and info.exact_probabilities is not None:
            for node in info.nodes:
                kids = game.children[game.child_start[node] : game.child_start[node + 1]]
                for child in kids.tolist():
                    out[child] = info.exact_probabilities[int(game.action_index[child])]
    return out


def exact_nash_regrets(
    behaviour: BehaviourProfile, subgame_roots: list[int] | None = None
) -> np.ndarray:
    """Each player's Nash regret in each subgame, in exact rational arithmetic.

    Parameters
    ----------
    behaviour : BehaviourProfile
        A profile of a game with perfect recall.
    subgame_roots : list of int, optional
        Roots of the subgames to check (default: the root alone, i.e. Nash regret).

    Returns
    -------
    numpy array of Fraction, shape (len(subgame_roots), N)
        ``[k, i]``: player ``i``'s gain from its best strategy in the subgame at
        ``subgame_roots[k]``, given that it is reached, the others keeping ``behaviour``.

    Examples
    --------
    >>> from simulator.games.extensive import Decision, Terminal
    >>> g = ExtensiveGame.from_tree(["E", "I"], Decision("E", {
    ...     "out": Terminal([0, 2]),
    ...     "in": Decision("I", {"fight": Terminal([-1, -1]), "share": Terminal([1, 1])})}))
    >>> exact_nash_regrets(BehaviourProfile.pure(g, ["out", "share"])).tolist()
    [[Fraction(1, 1), Fraction(0, 1)]]
    """
    game = behaviour.game
    roots = [0] if subgame_roots is None else [int(r) for r in subgame_roots]
    edges = exact_edge_probabilities(behaviour)
    terminal = np.zeros(game.num_nodes, dtype=bool)
    terminal[game.terminal_nodes] = True
    payoffs = payoffs_as_fractions(game.terminal_payoffs)
    out = np.empty((len(roots), game.num_players), dtype=object)
    for k, root in enumerate(roots):
        for player in range(game.num_players):
            out[k, player] = _subgame_regret(game, edges, terminal, payoffs, root, player)
    return out


def _subgame_regret(
    game: ExtensiveGame,
    edges: list[Fraction],
    terminal: np.ndarray,
    payoffs: np.ndarray,
    root: int,
    player: int,
) -> Fraction:
    """``player``'s best-response value minus its current value in the subgame at ``root``."""
    parent, kind, mover = game.parent, game.node_kind, game.node_player
    infoset, action = game.node_infoset, game.action_index
    end = int(game.subtree_end[root])
    # per node of the subgame (pre-order): the others' weight, the full weight and the
    # player's last (information set, action) on the path from the root
    others: dict[int, Fraction] = {root: Fraction(1)}
    full: dict[int, Fraction] = {root: Fraction(1)}
    last: dict[int, tuple[int, int] | None] = {root: None}
    leaf_value: dict[tuple[int, int] | None, Fraction] = defaultdict(Fraction)
    follows: dict[tuple[int, int] | None, set[int]] = defaultdict(set)
    current = Fraction(0)
    for node in range(root, end):
        if node != root:
            p = int(parent[node])
            if p not in others:  # below a move the others never make
                continue
            own = kind[p] == DECISION and int(mover[p]) == player
            weight = others[p] if own else others[p] * edges[node]
            if weight == 0:
                continue
            others[node] = weight
            full[node] = full[p] * edges[node]
            last[node] = (int(infoset[p]), int(action[node])) if own else last[p]
        if terminal[node]:
            value = payoffs[node, player]
            leaf_value[last[node]] += others[node] * value
            current += full[node] * value
        elif kind[node] == DECISION and int(mover[node]) == player:
            follows[last[node]].add(int(infoset[node]))
    num_actions = game.infoset_num_actions
    memo: dict[int, Fraction] = {}

    def best(h: int) -> Fraction:
        if h not in memo:
            memo[h] = max(
                leaf_value.get((h, a), Fraction(0))
                + sum((best(g) for g in follows.get((h, a), ())), Fraction(0))
                for a in range(int(num_actions[h]))
            )
        return memo[h]

    response = leaf_value.get(None, Fraction(0)) + sum(
        (best(h) for h in follows.get(None, ())), Fraction(0)
    )
    return max(response - current, Fraction(0))
