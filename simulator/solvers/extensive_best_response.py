"""Best responses in extensive-form games, and the Nash and subgame-perfection regrets.

With perfect recall all nodes of an information set of player ``i`` share ``i``'s own
sequence (Kuhn 1953), so ``i``'s best response is found by backward induction over
``i``'s sequences (von Stengel 1996): the value of sequence ``s`` is the sum, over the
terminal nodes reached by ``s``, of payoff times the probability of the chance and
other players' moves on the path, plus the values of ``i``'s information sets that
follow ``s``; an information set's value is the largest value of its actions.

For every subgame at once, each node is weighted by the chance and other players'
moves from the nearest subgame root above it, so each information set is decided
within its smallest subgame (whose choice is optimal in every larger subgame in which
it matters); a subgame nested in another enters the outer one as a leaf worth its
own best-response value. All dependencies point down the tree and an information
set depends only on nodes deeper than its shallowest node, so one sweep over the
depths, shallowest node first for information sets and subgame roots after
information sets at equal depth, computes the best-response value of every player
in every subgame with vectorised numpy work per depth.

References
----------
.. [1] H. W. Kuhn, "Extensive games and the problem of information", in
   *Contributions to the Theory of Games II*, Annals of Mathematics Studies 28,
   Princeton University Press, 1953, pp. 193-216.
.. [2] R. Selten, "Spieltheoretische Behandlung eines Oligopolmodells mit
   Nachfrageträgheit", *Zeitschrift für die gesamte Staatswissenschaft* 121 (1965)
   301-324 and 667-689 (subgame perfection).
.. [3] B. von Stengel, "Efficient computation of behavior strategies", *Games and
   Economic Behavior* 14 (1996) 220-246.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np

from simulator.games.behaviour import BehaviourProfile
from simulator.games.errors import GameError
from simulator.games.extensive import ExtensiveGame
from simulator.games.tree import DECISION, TERMINAL

__all__ = [
    "best_response",
    "best_response_values",
    "nash_regret",
    "nash_regrets",
    "subgame_best_response_values",
    "subgame_perfection_regret",
    "subgame_pieces",
]


# ---------------------------------------------------------------------- tree helpers
def _forest_products(parent: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Products of ``values`` from each node up to its forest root, and that root.

    ``parent`` is ``-1`` at every root of the forest. Pointer doubling (Wyllie 1979):
    after pass ``j`` a node holds the product over its ``2**j`` nearest
    ancestors-or-self. The root's own value is included.
    """
    k = parent.shape[0]
    anc = np.append(np.where(parent < 0, k, parent), k)
    acc = np.ones((k + 1, *values.shape[1:]))
    acc[:k] = values
    top = np.arange(k + 1)
    for _ in range(max(k, 1).bit_length() + 2):
        pending = anc != k
        if not pending.any():
            break
        acc = acc * acc[anc]
        top = np.where(pending, top[anc], top)
        anc = anc[anc]
    return acc[:k], top[:k]


@dataclass(frozen=True)
class _Pieces:
    roots: np.ndarray  # subgame roots in pre-order (empty when the root is terminal)
    piece: np.ndarray  # (K,) nearest subgame root ancestor-or-self (-1 if none)
    cut_parent: np.ndarray  # parent with -1 at every subgame root


_PIECES: weakref.WeakKeyDictionary[ExtensiveGame, _Pieces] = weakref.WeakKeyDictionary()


def _pieces(game: ExtensiveGame) -> _Pieces:
    cached = _PIECES.get(game)
    if cached is not None:
        return cached
    roots = np.asarray(game.subgame_roots(), dtype=np.int64)
    cut = game.parent.copy()
    cut[roots] = -1
    if game.node_kind[0] == TERMINAL:
        piece = np.full(game.num_nodes, -1, dtype=np.int64)
    else:
        _, piece = _forest_products(cut, np.ones(game.num_nodes))
    result = _Pieces(roots=roots, piece=piece.astype(np.int64), cut_parent=cut)
    _PIECES[game] = result
    return result


def subgame_pieces(game: ExtensiveGame) -> tuple[np.ndarray, np.ndarray]:
    """Subgame roots and, for each node, the nearest subgame root above it (or itself).

    The nodes sharing a nearest subgame root ``r`` form the *piece* of ``r``: the part
    of the subgame at ``r`` outside every smaller subgame (Selten 1965).

    Parameters
    ----------
    game : ExtensiveGame
        The game whose subgames are found.

    Returns
    -------
    roots : numpy array
        Subgame roots in pre-order (empty only when the root is terminal).
    piece : numpy array, shape (K,)
        Nearest subgame root ancestor-or-self of every node.

    Examples
    --------
    >>> from simulator.games.extensive import Decision, Terminal
    >>> g = ExtensiveGame.from_tree(["A", "B"], Decision("A", {
    ...     "out": Terminal([1, 1]),
    ...     "in": Decision("B", {"l": Terminal([2, 0]), "r": Terminal([0, 2])})}))
    >>> roots, piece = subgame_pieces(g)
    >>> roots.tolist(), piece.tolist()
    ([0, 2], [0, 0, 2, 2, 2])
    """
    pieces = _pieces(game)
    return pieces.roots.copy(), pieces.piece.copy()


def _require_recall(game: ExtensiveGame, what: str) -> None:
    if not game.has_perfect_recall():
        raise GameError(
            f"{what} needs perfect recall, and this game does not have it (some player forgets "
            "an own earlier action or information set); with imperfect recall the best response "
            "is not found by backward induction over the player's sequences"
        )


# ---------------------------------------------------------------------- best responses
@dataclass(frozen=True)
class _PlayerPlan:
    """Behaviour-independent index arrays of one player's best-response sweep."""

    num_keys: int
    terminal_keys: np.ndarray
    infosets: np.ndarray  # player's information sets, deepest shallowest-node first
    infoset_keys: np.ndarray  # key each information set's value is added to
    actions: np.ndarray  # flat actions of ``infosets``, grouped by information set
    action_keys: np.ndarray  # key each action reads
    roots: np.ndarray  # subgame roots, deepest first
    root_read_keys: np.ndarray
    root_add_keys: np.ndarray  # key each root's value is added to (-1: the game's root)
    # Per level: infoset range, action range, root range, end of the roots that add to
    # an outer piece, action segment starts, and whether keys repeat within the level.
    levels: tuple[tuple[int, int, int, int, int, int, int, np.ndarray, bool, bool], ...]


def _repeated(level: np.ndarray, keys: np.ndarray, num_levels: int) -> np.ndarray:
    """(L,) bool: does some key occur twice within a level (then ``np.add.at`` is needed)."""
    order = np.lexsort((keys, level))
    lv, ks = level[order], keys[order]
    same = (lv[1:] == lv[:-1]) & (ks[1:] == ks[:-1]) & (ks[1:] >= 0)
    out = np.zeros(num_levels, dtype=bool)
    out[lv[1:][same]] = True
    return out


_PLANS: weakref.WeakKeyDictionary[ExtensiveGame, dict[int, _PlayerPlan]] = (
    weakref.WeakKeyDictionary()
)


def _player_plan(game: ExtensiveGame, player: int) -> _PlayerPlan:
    by_player = _PLANS.setdefault(game, {})
    if player in by_player:
        return by_player[player]
    pieces = _pieces(game)
    parent, depth = game.parent, game.depth
    offsets = game.action_offsets
    sizes = game.infoset_num_actions
    owner = np.repeat(game.infoset_player, sizes)
    seq_of_action = np.zeros(owner.shape[0], dtype=np.int64)
    mine_actions = np.flatnonzero(owner == player)
    seq_of_action[mine_actions] = 1 + np.arange(mine_actions.shape[0])
    span = mine_actions.shape[0] + 1
    node_seq = game.node_sequences()[:, player]
    piece = pieces.piece
    root_rank = np.zeros(game.num_nodes, dtype=np.int64)
    root_rank[pieces.roots] = np.arange(pieces.roots.shape[0])

    def key(owner_piece: np.ndarray, sequence: np.ndarray) -> np.ndarray:
        # A sequence ending inside a piece belongs to that piece alone, so it is its own
        # key; the sequence a piece starts with is shared with the pieces around it and
        # gets one key per piece.
        at_root = sequence == node_seq[owner_piece]
        return np.where(at_root, span + root_rank[owner_piece], sequence)

    terminal = game.terminal_nodes
    terminal_keys = key(piece[terminal], node_seq[terminal])

    own = np.flatnonzero(game.infoset_player == player)
    decision = np.flatnonzero((game.node_kind == DECISION) & (game.node_player == player))
    shallowest = np.full(game.num_infosets, np.iinfo(np.int64).max)
    np.minimum.at(shallowest, game.node_infoset[decision], depth[decision])
    own = own[np.argsort(-shallowest[own], kind="stable")]
    # Perfect recall: every node of an information set has the same piece and own sequence.
    inner = np.flatnonzero(game.node_infoset >= 0)
    any_node = np.full(game.num_infosets, game.num_nodes, dtype=np.int64)
    np.minimum.at(any_node, game.node_infoset[inner], inner)
    first = any_node[own]
    infoset_keys = key(piece[first], node_seq[first])
    counts = sizes[own]
    actions = (
        np.repeat(offsets[own] - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
        if own.size
        else np.empty(0, dtype=np.int64)
    )
    action_keys = key(np.repeat(piece[first], counts), seq_of_action[actions])

    roots = pieces.roots[np.argsort(-depth[pieces.roots], kind="stable")]
    root_read_keys = key(roots, node_seq[roots])
    root_parent = parent[roots]
    outer = piece[np.maximum(root_parent, 0)]
    root_add_keys = np.where(root_parent >= 0, key(outer, node_seq[roots]), -1)

    # One sweep level per depth at which an information set starts or a subgame is rooted.
    h_depth = shallowest[own]
    r_depth = depth[roots]
    action_bounds = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    descending = -np.unique(np.concatenate([h_depth, r_depth]))[::-1]
    h0s = np.searchsorted(-h_depth, descending, side="left")
    h1s = np.searchsorted(-h_depth, descending, side="right")
    r0s = np.searchsorted(-r_depth, descending, side="left")
    r1s = np.searchsorted(-r_depth, descending, side="right")
    a0s, a1s = action_bounds[h0s], action_bounds[h1s]
    h_dup = _repeated(np.searchsorted(descending, -h_depth), infoset_keys, descending.size)
    r_dup = _repeated(np.searchsorted(descending, -r_depth), root_add_keys, descending.size)
    # The game's root is the last subgame root and adds to nothing.
    r_add_ends = np.minimum(r1s, roots.shape[0] - 1)
    levels = tuple(
        (h0, h1, a0, a1, r0, r1, r2, action_bounds[h0:h1] - a0, hd, rd)
        for h0, h1, a0, a1, r0, r1, r2, hd, rd in zip(
            h0s.tolist(),
            h1s.tolist(),
            a0s.tolist(),
            a1s.tolist(),
            r0s.tolist(),
            r1s.tolist(),
            r_add_ends.tolist(),
            h_dup.tolist(),
            r_dup.tolist(),
        )
    )
    plan = _PlayerPlan(
        num_keys=span + int(pieces.roots.shape[0]),
        terminal_keys=terminal_keys,
        infosets=own,
        infoset_keys=infoset_keys,
        actions=actions,
        action_keys=action_keys,
        roots=roots,
        root_read_keys=root_read_keys,
        root_add_keys=root_add_keys,
        levels=levels,
    )
    by_player[player] = plan
    return plan


def _others_weights(behaviour: BehaviourProfile) -> np.ndarray:
    """(K, N) probability of the move into each node, with each player's own moves set to 1."""
    game = behaviour.game
    edge = behaviour.edge_probabilities()
    mover = np.full(game.num_nodes, -2, dtype=np.int64)
    inner = game.parent >= 0
    mover[inner] = np.where(
        game.node_kind[game.parent[inner]] == DECISION, game.node_player[game.parent[inner]], -1
    )
    own = mover[:, None] == np.arange(game.num_players)[None, :]
    return np.where(own, 1.0, edge[:, None])


def _best_response_sweep(
    behaviour: BehaviourProfile,
    player: int,
    weights: np.ndarray,
    edges: np.ndarray,
    choose: bool = False,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Best-response value of ``player`` at every subgame root; optionally the choices.

    ``weights`` is the (K,) chance-and-others weight of each node counted from the
    nearest subgame root above it, ``edges`` the weight of the move into each node
    (1 for the player's own moves). Returns the values in the order of
    ``_pieces(game).roots`` and, with ``choose``, the chosen flat action of each of
    the player's information sets (``-1`` elsewhere).
    """
    game = behaviour.game
    plan = _player_plan(game, player)
    pieces = _pieces(game)
    terminal = game.terminal_nodes
    values = np.bincount(
        plan.terminal_keys,
        weights=weights[terminal] * game.terminal_payoffs[terminal, player],
        minlength=plan.num_keys,
    )
    parent = game.parent
    root_parent = parent[plan.roots]
    root_weight = np.where(
        root_parent >= 0,
        weights[np.maximum(root_parent, 0)] * edges[plan.roots],
        1.0,
    )
    best = np.zeros(plan.roots.shape[0])
    chosen = np.full(game.num_infosets, -1, dtype=np.int64) if choose else None
    for h0, h1, a0, a1, r0, r1, r2, starts, h_dup, r_dup in plan.levels:
        if h1 > h0:
            q = values[plan.action_keys[a0:a1]]
            top = np.maximum.reduceat(q, starts)
            if h_dup:
                np.add.at(values, plan.infoset_keys[h0:h1], top)
            else:
                values[plan.infoset_keys[h0:h1]] += top
            if chosen is not None:
                position = np.arange(a1 - a0)
                hit = np.where(
                    q >= np.repeat(top, np.diff(np.append(starts, a1 - a0))), position, a1 - a0
                )
                chosen[plan.infosets[h0:h1]] = plan.actions[a0 + np.minimum.reduceat(hit, starts)]
        if r1 > r0:
            here = values[plan.root_read_keys[r0:r1]]
            best[r0:r1] = here
            if r2 > r0:
                gain = root_weight[r0:r2] * here[: r2 - r0]
                if r_dup:
                    np.add.at(values, plan.root_add_keys[r0:r2], gain)
                else:
                    values[plan.root_add_keys[r0:r2]] += gain
    order = np.empty_like(best)
    position_of = np.searchsorted(pieces.roots, plan.roots)
    order[position_of] = best
    return order, chosen


def _sweep_weights(behaviour: BehaviourProfile) -> tuple[np.ndarray, np.ndarray]:
    """(K, N) chance-and-others weight of each node from its nearest subgame root, and of
    the move into each node."""
    pieces = _pieces(behaviour.game)
    edges = _others_weights(behaviour)
    cut = edges.copy()
    cut[pieces.roots] = 1.0
    products, _ = _forest_products(pieces.cut_parent, cut)
    return products, edges


def subgame_best_response_values(behaviour: BehaviourProfile) -> tuple[np.ndarray, np.ndarray]:
    """Best-response value of every player in every subgame, against the others' behaviour.

    Parameters
    ----------
    behaviour : BehaviourProfile
        The profile the other players follow; its game must have perfect recall.

    Returns
    -------
    roots : numpy array
        The subgame roots, in pre-order.
    values : numpy array, shape (len(roots), N)
        ``values[k, i]``: the largest expected payoff player ``i`` can get in the
        subgame at ``roots[k]`` (conditional on reaching it) by any strategy, the
        other players following ``behaviour``.

    Raises
    ------
    GameError
        If the game does not have perfect recall.

    Examples
    --------
    >>> from simulator.games.extensive import Decision, Terminal
    >>> g = ExtensiveGame.from_tree(["E", "I"], Decision("E", {
    ...     "out": Terminal([0, 2]),
    ...     "in": Decision("I", {"fight": Terminal([-1, -1]), "share": Terminal([1, 1])})}))
    >>> roots, values = subgame_best_response_values(BehaviourProfile.pure(g, ["out", "fight"]))
    >>> roots.tolist(), values.tolist()
    ([0, 2], [[0.0, 2.0], [-1.0, 1.0]])
    """
    game = behaviour.game
    _require_recall(game, "a best-response pass")
    pieces = _pieces(game)
    if pieces.roots.size == 0:
        return pieces.roots.copy(), np.zeros((0, game.num_players))
    weights, edges = _sweep_weights(behaviour)
    columns = [
        _best_response_sweep(behaviour, i, weights[:, i], edges[:, i])[0]
        for i in range(game.num_players)
    ]
    return pieces.roots.copy(), np.stack(columns, axis=1)


def best_response_values(behaviour: BehaviourProfile, player: str | int) -> float:
    """Expected payoff of a best response of ``player`` against the others' behaviour.

    Parameters
    ----------
    behaviour : BehaviourProfile
        The profile the other players follow; its game must have perfect recall.
    player : str or int
        The player's name or index (``0 .. N - 1``).

    Returns
    -------
    float
        The largest expected payoff ``player`` can get in the whole game by any strategy.

    Raises
    ------
    GameError
        If ``player`` is not a player of the game, or the game does not have perfect
        recall.

    Examples
    --------
    >>> from simulator.games.extensive import Decision, Terminal
    >>> g = ExtensiveGame.from_tree(["E", "I"], Decision("E", {
    ...     "out": Terminal([0, 2]),
    ...     "in": Decision("I", {"fight": Terminal([-1, -1]), "share": Terminal([1, 1])})}))
    >>> best_response_values(BehaviourProfile.pure(g, ["out", "share"]), "E")
    1.0
    """
    game = behaviour.game
    index = game.player_index(player)
    _require_recall(game, "a best-response pass")
    if game.node_kind[0] == TERMINAL:
        return float(game.terminal_payoffs[0, index])
    weights, edges = _sweep_weights(behaviour)
    return float(_best_response_sweep(behaviour, index, weights[:, index], edges[:, index])[0][0])


def best_response(behaviour: BehaviourProfile, player: str | int) -> BehaviourProfile:
    """A pure best response of ``player``, optimal in every subgame, others unchanged.

    At each information set the chosen action (lowest index among the best) maximises
    the player's expected payoff in the smallest subgame containing it.

    Parameters
    ----------
    behaviour : BehaviourProfile
        The profile the other players follow; its game must have perfect recall.
    player : str or int
        The player's name or index (``0 .. N - 1``).

    Returns
    -------
    BehaviourProfile
        A new profile: ``behaviour`` with ``player``'s actions replaced by the pure best
        response (``behaviour`` itself is not changed).

    Raises
    ------
    GameError
        If ``player`` is not a player of the game, or the game does not have perfect
        recall.

    Examples
    --------
    >>> from simulator.games.extensive import Decision, Terminal
    >>> g = ExtensiveGame.from_tree(["E", "I"], Decision("E", {
    ...     "out": Terminal([0, 2]),
    ...     "in": Decision("I", {"fight": Terminal([-1, -1]), "share": Terminal([1, 1])})}))
    >>> best_response(BehaviourProfile.pure(g, ["out", "fight"]), "I").as_dict()["I"]
    {'in': {'fight': 0.0, 'share': 1.0}}
    """
    game = behaviour.game
    index = game.player_index(player)
    _require_recall(game, "a best-response pass")
    flat = np.array(behaviour.flat)
    if game.node_kind[0] == TERMINAL:
        return BehaviourProfile.from_flat(game, flat)
    weights, edges = _sweep_weights(behaviour)
    _, chosen = _best_response_sweep(
        behaviour, index, weights[:, index], edges[:, index], choose=True
    )
    assert chosen is not None
    own = game.infoset_player == index
    flat[np.repeat(own, game.infoset_num_actions)] = 0.0
    flat[chosen[own]] = 1.0
    return BehaviourProfile.from_flat(game, flat)


def _regrets_by_subgame(behaviour: BehaviourProfile) -> np.ndarray:
    """(R, N) each player's Nash regret in each subgame, in the order of the subgame roots."""
    roots, best = subgame_best_response_values(behaviour)
    if roots.size == 0:
        return np.zeros((1, behaviour.game.num_players))
    values = behaviour.node_values()[roots]
    return np.maximum(best - values, 0.0)


def nash_regrets(behaviour: BehaviourProfile) -> np.ndarray:
    """Each player's gain from switching unilaterally to its best strategy.

    Parameters
    ----------
    behaviour : BehaviourProfile

    Returns
    -------
    numpy array, shape (N,)
        Zero for every player exactly at Nash equilibria (up to rounding).

    Examples
    --------
    >>> from simulator.games.extensive import Decision, Terminal
    >>> g = ExtensiveGame.from_tree(["E", "I"], Decision("E", {
    ...     "out": Terminal([0, 2]),
    ...     "in": Decision("I", {"fight": Terminal([-1, -1]), "share": Terminal([1, 1])})}))
    >>> nash_regrets(BehaviourProfile.pure(g, ["out", "share"]))
    array([1., 0.])
    """
    game = behaviour.game
    _require_recall(game, "nash_regret")
    if game.node_kind[0] == TERMINAL:
        return np.zeros(game.num_players)
    current = behaviour.expected_payoffs()
    weights, edges = _sweep_weights(behaviour)
    gains = [
        _best_response_sweep(behaviour, i, weights[:, i], edges[:, i])[0][0] - current[i]
        for i in range(game.num_players)
    ]
    return np.maximum(np.array(gains, dtype=float), 0.0)


def nash_regret(behaviour: BehaviourProfile) -> float:
    """The largest gain any player gets by switching unilaterally to any strategy.

    Zero exactly at Nash equilibria (up to rounding).

    Parameters
    ----------
    behaviour : BehaviourProfile
        The profile to check; its game must have perfect recall.

    Returns
    -------
    float
        The largest of :func:`nash_regrets`, ``>= 0``.

    Raises
    ------
    GameError
        If the game does not have perfect recall.

    Examples
    --------
    >>> from simulator.games.extensive import Decision, Terminal
    >>> g = ExtensiveGame.from_tree(["E", "I"], Decision("E", {
    ...     "out": Terminal([0, 2]),
    ...     "in": Decision("I", {"fight": Terminal([-1, -1]), "share": Terminal([1, 1])})}))
    >>> nash_regret(BehaviourProfile.pure(g, ["out", "fight"]))
    0.0
    >>> nash_regret(BehaviourProfile.pure(g, ["out", "share"]))
    1.0
    """
    return float(nash_regrets(behaviour).max(initial=0.0))


def subgame_perfection_regret(behaviour: BehaviourProfile) -> float:
    """The largest Nash regret over all subgames (zero exactly at subgame-perfect equilibria).

    Parameters
    ----------
    behaviour : BehaviourProfile
        The profile to check; its game must have perfect recall.

    Returns
    -------
    float
        The largest gain, ``>= 0``, of any player switching to a best response within any
        subgame (the whole game included), conditional on reaching that subgame.

    Raises
    ------
    GameError
        If the game does not have perfect recall.

    Examples
    --------
    >>> from simulator.games.extensive import Decision, Terminal
    >>> g = ExtensiveGame.from_tree(["E", "I"], Decision("E", {
    ...     "out": Terminal([0, 2]),
    ...     "in": Decision("I", {"fight": Terminal([-1, -1]), "share": Terminal([1, 1])})}))
    >>> subgame_perfection_regret(BehaviourProfile.pure(g, ["out", "fight"]))
    2.0
    >>> subgame_perfection_regret(BehaviourProfile.pure(g, ["in", "share"]))
    0.0
    """
    return float(_regrets_by_subgame(behaviour).max())
