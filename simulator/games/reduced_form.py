"""Pure plans, the strategic and agent normal forms of a game tree, and Kuhn's conversions.

The functions here take an :class:`~simulator.games.extensive.ExtensiveGame` and build the
normal-form views of it: each player's pure strategies as plans (reduced plans choose only where
the plan itself does not make the information set unreachable), the reduced or full strategic
form with payoffs expected over chance, the agent normal form with one player per information
set, and the conversions between mixed strategies over plans and realisation-equivalent
behaviour strategies under perfect recall (Kuhn 1953). The game's methods of the same names
(:meth:`ExtensiveGame.strategic_form` and so on) call these functions.

References
----------
.. [1] H. W. Kuhn, "Extensive games and the problem of information", in
   *Contributions to the Theory of Games II*, Annals of Mathematics Studies 28,
   Princeton University Press, 1953, pp. 193-216 (behaviour strategies, perfect recall).
.. [2] R. Selten, "Reexamination of the perfectness concept for equilibrium points
   in extensive games", *International Journal of Game Theory* 4 (1975) 25-55
   (agent normal form).
.. [3] M. J. Osborne and A. Rubinstein, *A Course in Game Theory*, MIT Press, 1994,
   ch. 6 and 11 (reduced strategic form).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from simulator.games.errors import GameError
from simulator.games.normal_form import NormalFormGame
from simulator.games.tree import TERMINAL, _path_reduce

if TYPE_CHECKING:
    from simulator.games.behaviour import BehaviourProfile
    from simulator.games.extensive import ExtensiveGame

__all__ = [
    "Plan",
    "plans",
    "strategic_form",
    "agent_form",
    "behaviour_vectors_from_mixed",
    "mixed_from_behaviour",
]

#: A pure strategy of one player: ``{information set index: action index}``.
Plan = dict[int, int]


# ---------------------------------------------------------------------- pure plans
def plans(
    game: ExtensiveGame, player: str | int, reduced: bool = True, max_plans: int = 10**6
) -> list[Plan]:
    """``player``'s pure strategies as plans ``{information set index: action index}``.

    Unreduced plans choose an action at every information set of the player.
    Reduced plans choose only at the information sets the plan itself does not
    make unreachable (Osborne and Rubinstein 1994, def. 94.1); the others are
    absent from the dict. Reduced plans are enumerated by branching on the
    earliest information set the partial plan can reach.

    Parameters
    ----------
    game : ExtensiveGame
    player : str or int
        The player, by name or index.
    reduced : bool
        Reduced plans (default) or all of them.
    max_plans : int
        Refuse (``GameError``) when the player has more plans than this.

    Returns
    -------
    list of dict
        One plan per pure strategy, mapping information-set index (into
        ``game.infosets``) to action index.

    Raises
    ------
    GameError
        If ``player`` is not a player of ``game``, or it has more than ``max_plans`` plans.

    Examples
    --------
    >>> from simulator.games.extensive import Decision, ExtensiveGame, Terminal
    >>> g = ExtensiveGame.from_tree(["A"], Decision("A", {
    ...     "stop": Terminal([0]),
    ...     "go": Decision("A", {"a": Terminal([1]), "b": Terminal([2])})}))
    >>> plans(g, "A")
    [{0: 0}, {0: 1, 1: 0}, {0: 1, 1: 1}]
    >>> len(plans(g, "A", reduced=False))
    4
    """
    index = game.player_index(player)
    own = game.player_infosets(index)
    if not reduced:
        total = math.prod(int(game.infoset_num_actions[h]) for h in own)
        if total > max_plans:
            raise GameError(
                f"player {game.players[index]!r} has {total} pure strategies "
                f"(more than max_plans={max_plans}); use the reduced form or the sequence form"
            )
        ranges = [range(int(game.infoset_num_actions[h])) for h in own]
        return [dict(zip(own, choice)) for choice in itertools.product(*ranges)]
    return _reduced_plans(game, index, max_plans)


def _reduced_plans(game: ExtensiveGame, player: int, max_plans: int) -> list[Plan]:
    kind = game.node_kind.tolist()
    mover = game.node_player.tolist()
    infoset = game.node_infoset.tolist()
    start = game.child_start.tolist()
    kids = game.children.tolist()

    def explore(roots: list[int], plan: Plan) -> list[int]:
        """Nodes of unassigned own information sets reachable from ``roots`` under ``plan``."""
        pending, stack = [], list(roots)
        while stack:
            u = stack.pop()
            if kind[u] == TERMINAL:
                continue
            if mover[u] == player:
                h = infoset[u]
                if h in plan:
                    stack.append(kids[start[u] + plan[h]])
                else:
                    pending.append(u)
            else:
                stack.extend(kids[start[u] : start[u + 1]])
        return pending

    out: list[Plan] = []
    work: list[tuple[Plan, list[int]]] = [({}, explore([0], {}))]
    while work:
        plan, pending = work.pop()
        if not pending:
            out.append(dict(sorted(plan.items())))
            if len(out) > max_plans:
                raise GameError(
                    f"player {game.players[player]!r} has more than {max_plans} reduced "
                    "pure strategies; use the sequence form instead"
                )
            continue
        h = min(infoset[u] for u in pending)
        here = [u for u in pending if infoset[u] == h]
        rest = [u for u in pending if infoset[u] != h]
        for a in reversed(range(int(game.infoset_num_actions[h]))):
            branch = dict(plan)
            branch[h] = a
            work.append((branch, rest + explore([kids[start[u] + a] for u in here], branch)))
    return out


def _plan_reach(game: ExtensiveGame, plans: Sequence[Plan], owned: np.ndarray) -> np.ndarray:
    """(n, K) bool: does each plan allow the moves (of ``owned`` infosets) into each node."""
    k = game.num_nodes
    kids = game.children
    constrained = kids[owned[game.node_infoset[game.parent[kids]]]]
    columns = game.node_infoset[game.parent[constrained]]
    choice = np.full((len(plans), game.num_infosets), -1, dtype=np.int64)
    for p, plan in enumerate(plans):
        for h, a in plan.items():
            choice[p, h] = a
    out = np.empty((len(plans), k), dtype=bool)
    chunk = max(1, (1 << 24) // max(k, 1))
    for lo in range(0, len(plans), chunk):
        block = choice[lo : lo + chunk]
        ok = np.ones((k, block.shape[0]), dtype=bool)
        ok[constrained] = (block[:, columns] == game.action_index[constrained]).T
        out[lo : lo + chunk] = _path_reduce(game.parent, ok, np.logical_and, True).T
    return out


def _plan_labels(game: ExtensiveGame, player: int, plans: Sequence[Plan]) -> list[str]:
    own = game.player_infosets(player)
    actions = [game.infosets[h].actions for h in own]
    labels = []
    for plan in plans:
        parts = [acts[plan[h]] if h in plan else "*" for h, acts in zip(own, actions)]
        labels.append("/".join(parts) if parts else "*")
    seen: dict[str, int] = {}
    unique = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        unique.append(label if seen[label] == 1 else f"{label}#{seen[label]}")
    return unique


# ---------------------------------------------------------------------- normal forms
def _chance_reach(game: ExtensiveGame) -> np.ndarray:
    """(K,) product of the chance probabilities on the path to each node."""
    return game.path_products(game.chance_edge_probabilities)


def _payoff_tensor(
    game: ExtensiveGame, reach: Sequence[np.ndarray], values: np.ndarray
) -> np.ndarray:
    """Expected ``values`` (T, M) for every profile of plans; reach rows are (n_i, T)."""
    weights = _chance_reach(game)[game.terminal_nodes]
    shape = [r.shape[0] for r in reach]
    out = np.zeros((*shape, values.shape[1]))
    if len(reach) == 1:
        out[...] = reach[0] @ (weights[:, None] * values)
        return out
    first, second = reach[0].astype(float), reach[1].astype(float)
    for rest in itertools.product(*(range(n) for n in shape[2:])):
        w = weights.copy()
        for r, p in zip(reach[2:], rest):
            w = w * r[p]
        for j in range(values.shape[1]):
            out[(slice(None), slice(None), *rest, j)] = (first * (w * values[:, j])) @ second.T
    return out


def strategic_form(
    game: ExtensiveGame, reduced: bool = True, max_profiles: int = 10**6
) -> tuple[NormalFormGame, list[list[Plan]]]:
    """The strategic (normal) form, with each player's plans.

    Pure strategies are plans (see :func:`plans`). In the reduced form, plans that
    differ only at information sets they themselves make unreachable are merged;
    a strategy label lists the player's actions at their information sets in
    index order joined by ``"/"``, with ``"*"`` at irrelevant information sets
    (one information set: just the action; a player who never moves: ``"*"``).
    Payoffs are expected over chance, computed as ``R_1 diag(w u) R_2^T`` with
    ``R_i`` the plan-by-terminal reach matrices and ``w`` the chance weights.

    Parameters
    ----------
    game : ExtensiveGame
    reduced : bool
        Merge equivalent plans (default) or list all of them.
    max_profiles : int
        Refuse (``GameError``) when the number of pure profiles exceeds this.

    Returns
    -------
    normal_form : NormalFormGame
    plans : list of list of dict
        ``plans[i][s]`` maps information-set index to action index for strategy
        ``s`` of player ``i``.

    Examples
    --------
    >>> from simulator.games.extensive import Decision, ExtensiveGame, Terminal
    >>> g = ExtensiveGame.from_tree(["A", "B"], Decision("A", {
    ...     "out": Terminal([1, 1]),
    ...     "in": Decision("B", {"fight": Terminal([0, 0]), "yield": Terminal([2, 1])})}))
    >>> nf, per_player = strategic_form(g)
    >>> nf.strategy_labels, nf.payoff(("in", "yield")).tolist()
    ((('out', 'in'), ('fight', 'yield')), [2.0, 1.0])
    """
    per_player = [plans(game, i, reduced, max_plans=max_profiles) for i in range(game.num_players)]
    total = math.prod(len(p) for p in per_player)
    if total > max_profiles:
        counts = " x ".join(str(len(p)) for p in per_player)
        raise GameError(
            f"the strategic form has {counts} = {total} pure profiles, more than "
            f"max_profiles={max_profiles}; use the sequence form (linear in the tree size) "
            "or raise max_profiles"
        )
    terminal = game.terminal_nodes
    reach = [
        _plan_reach(game, p, game.infoset_player == i)[:, terminal]
        for i, p in enumerate(per_player)
    ]
    payoffs = _payoff_tensor(game, reach, game.terminal_payoffs[terminal])
    labels = [_plan_labels(game, i, p) for i, p in enumerate(per_player)]
    normal_form = NormalFormGame(payoffs, game.players, labels, game.title)
    return normal_form, per_player


def agent_form(game: ExtensiveGame, max_profiles: int = 10**6) -> NormalFormGame:
    """The agent normal form: one player per information set (Selten 1975).

    Agent ``"<player>:<information set label>"`` chooses that information set's
    action and receives its owner's payoff.

    Parameters
    ----------
    game : ExtensiveGame
    max_profiles : int
        Refuse (``GameError``) when the number of pure profiles exceeds this.

    Returns
    -------
    NormalFormGame
        One player per decision information set, in ``game.infosets`` order, with that
        information set's actions as its strategies.

    Raises
    ------
    GameError
        If the game has no decision, more than ``max_profiles`` pure profiles of agents, or
        more than 32 decision information sets.

    Examples
    --------
    >>> from simulator.games.extensive import Decision, ExtensiveGame, Terminal
    >>> g = ExtensiveGame.from_tree(["A"], Decision("A", {
    ...     "stop": Terminal([0]),
    ...     "go": Decision("A", {"a": Terminal([1]), "b": Terminal([2])})}))
    >>> agents = agent_form(g)
    >>> [p.name for p in agents.players], agents.payoff(("go", "b")).tolist()
    (['A:root', 'A:go'], [2.0, 2.0])
    """
    agents = [h for h in range(game.num_infosets) if game.infoset_player[h] >= 0]
    if not agents:
        raise GameError("the game has no decisions, so its agent form has no players")
    total = math.prod(int(game.infoset_num_actions[h]) for h in agents)
    if total > max_profiles:
        raise GameError(
            f"the agent form has {total} pure profiles, more than max_profiles="
            f"{max_profiles}; use the sequence form or raise max_profiles"
        )
    if len(agents) > 32:
        raise GameError(f"the agent form would have {len(agents)} players; at most 32 fit")
    terminal = game.terminal_nodes
    reach = []
    for h in agents:
        owned = np.zeros(game.num_infosets, dtype=bool)
        owned[h] = True
        choices = [{h: a} for a in range(int(game.infoset_num_actions[h]))]
        reach.append(_plan_reach(game, choices, owned)[:, terminal])
    owners = game.infoset_player[agents]
    payoffs = _payoff_tensor(game, reach, game.terminal_payoffs[terminal][:, owners])
    names = [f"{game.players[game.infoset_player[h]]}:{game.infosets[h].label}" for h in agents]
    return NormalFormGame(payoffs, names, [game.infosets[h].actions for h in agents], game.title)


# ---------------------------------------------------------------------- Kuhn's theorem
def behaviour_vectors_from_mixed(
    game: ExtensiveGame, plans: Sequence[Sequence[Plan]], mixed: Sequence[Any]
) -> list[np.ndarray | None]:
    """Behaviour probabilities realisation-equivalent to a mixed profile (Kuhn 1953).

    One vector per information set (``None`` at chance), in ``infosets`` order;
    :meth:`simulator.games.behaviour.BehaviourProfile.from_mixed` wraps them in a profile.

    ``b(h, a)`` is the probability of the plans that reach ``h`` and choose ``a``
    there, divided by the probability of the plans that reach ``h``. Where the
    mixed strategy never reaches ``h`` the choice is irrelevant to play; the plans
    that specify ``h`` are used if they have positive weight, else uniform.

    Parameters
    ----------
    game : ExtensiveGame
        A game with perfect recall.
    plans : list of list of dict
        Each player's plans, as returned by :func:`strategic_form` or :func:`plans`.
    mixed : list of array_like
        One probability vector per player over their plans.

    Returns
    -------
    list of numpy.ndarray or None
        One probability vector per information set over its actions; ``None`` at chance
        information sets.

    Raises
    ------
    GameError
        If the game lacks perfect recall, ``plans`` or ``mixed`` does not have one entry per
        player, or a mixed strategy is not a probability vector over that player's plans.

    Examples
    --------
    >>> from simulator.games.extensive import Decision, ExtensiveGame, Terminal
    >>> g = ExtensiveGame.from_tree(["A"], Decision("A", {
    ...     "stop": Terminal([0]),
    ...     "go": Decision("A", {"a": Terminal([1]), "b": Terminal([2])})}))
    >>> vectors = behaviour_vectors_from_mixed(g, [plans(g, "A")], [[0.5, 0.25, 0.25]])
    >>> [p.tolist() for p in vectors]
    [[0.5, 0.5], [0.5, 0.5]]
    """
    game.require_perfect_recall("behaviour_vectors_from_mixed")
    if len(plans) != game.num_players or len(mixed) != game.num_players:
        raise GameError(f"give plans and a mixed strategy for each of {game.num_players} players")
    probabilities: list[np.ndarray | None] = [None] * game.num_infosets
    for i in range(game.num_players):
        own = game.player_infosets(i)
        sigma = _probability_vector(mixed[i], len(plans[i]), game.players[i])
        if not own:
            continue
        reach = _plan_reach(game, plans[i], game.infoset_player == i)
        at_infoset = reach[:, game._infoset_first[own]].T
        for row, h in enumerate(own):
            n = int(game.infoset_num_actions[h])
            chosen = np.array([plan.get(h, -1) for plan in plans[i]], dtype=np.int64)
            defined = chosen >= 0
            for weight in (sigma * at_infoset[row], sigma):
                mass = np.bincount(chosen[defined], weights=weight[defined], minlength=n)
                if mass.sum() > 0:
                    probabilities[h] = mass / mass.sum()
                    break
            else:
                probabilities[h] = np.full(n, 1.0 / n)
    return probabilities


def mixed_from_behaviour(
    game: ExtensiveGame, profile: BehaviourProfile, plans: Sequence[Sequence[Plan]] | None = None
) -> list[np.ndarray]:
    """The mixed profile over plans realisation-equivalent to a behaviour profile.

    The probability of a plan is the product of the behaviour probabilities of
    its choices (Kuhn 1953). ``plans`` defaults to the reduced plans (the order of
    ``strategic_form(reduced=True)``); unreduced plans work too.

    Parameters
    ----------
    game : ExtensiveGame
        A game with perfect recall.
    profile : BehaviourProfile
        A behaviour profile of ``game``.
    plans : list of list of dict, optional
        Each player's plans; the mixed profile weights them in this order.

    Returns
    -------
    list of numpy.ndarray
        One vector per player, the probability of each of its plans.

    Raises
    ------
    GameError
        If the game lacks perfect recall, or ``profile`` belongs to a game with another
        action layout.

    Examples
    --------
    >>> from simulator.games.behaviour import BehaviourProfile
    >>> from simulator.games.extensive import Decision, ExtensiveGame, Terminal
    >>> g = ExtensiveGame.from_tree(["A"], Decision("A", {
    ...     "stop": Terminal([0]),
    ...     "go": Decision("A", {"a": Terminal([1]), "b": Terminal([2])})}))
    >>> mixed_from_behaviour(g, BehaviourProfile.uniform(g))[0].tolist()
    [0.5, 0.25, 0.25]
    """
    game.require_perfect_recall("mixed_from_behaviour")
    if plans is None:
        plans = [game.plans(i) for i in range(game.num_players)]
    if profile.game is not game and not np.array_equal(
        profile.game.action_offsets, game.action_offsets
    ):
        raise GameError("the behaviour profile belongs to a different game")
    flat = profile.flat
    offsets = game.action_offsets
    out = []
    for i in range(game.num_players):
        vector = np.ones(len(plans[i]))
        for p, plan in enumerate(plans[i]):
            for h, a in plan.items():
                vector[p] *= flat[offsets[h] + a]
        out.append(vector)
    return out


def _probability_vector(values: Any, size: int, name: str) -> np.ndarray:
    vector = np.asarray(values, dtype=float).reshape(-1)
    if vector.shape != (size,):
        raise GameError(
            f"{name} has {size} plans; a mixed strategy of length {vector.size} was given"
        )
    if not np.all(np.isfinite(vector)) or np.any(vector < -1e-9) or abs(vector.sum() - 1) > 1e-6:
        raise GameError(f"the mixed strategy of {name} must be probabilities summing to 1")
    return vector
