"""Certified equilibria of extensive-form games: the result type and its certificates.

Every extensive-form solver returns an :class:`ExtensiveEquilibrium` built by
:func:`certify_extensive`, which measures

* the **Nash regret**: the largest gain any player gets by switching unilaterally to
  any strategy, computed exactly by a best-response pass over the tree;
* the **certificate of the solution concept**: for subgame perfection the largest
  Nash regret over all subgames (Selten 1965); for sequential equilibrium and
  perfect Bayesian equilibrium the largest gain, at any information set on or off
  the path, from switching action there given the beliefs and the continuation
  behaviour (Kreps and Wilson 1982),

and refuses to return a profile whose regrets exceed the tolerance.

Best-response pass
------------------
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
.. [3] D. M. Kreps and R. Wilson, "Sequential equilibria", *Econometrica* 50 (1982)
   863-894.
.. [4] B. von Stengel, "Efficient computation of behavior strategies", *Games and
   Economic Behavior* 14 (1996) 220-246.
.. [5] E. Hendon, H. J. Jacobsen and B. Sloth, "The one-shot-deviation principle for
   sequential rationality", *Games and Economic Behavior* 12 (1996) 274-282.
.. [6] D. Fudenberg and J. Tirole, "Perfect Bayesian equilibrium and sequential
   equilibrium", *Journal of Economic Theory* 53 (1991) 236-260.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from simulator.games.behaviour import BehaviourProfile
from simulator.games.errors import GameError
from simulator.games.extensive import ExtensiveGame
from simulator.games.tree import DECISION, TERMINAL
from simulator.solvers.equilibrium import (
    VISIBLE_GAIN,
    CertificationError,
    default_tolerance,
    player_tolerances,
    tolerance_from_range,
)
from simulator.solvers.extensive_exact import exact_nash_regrets

__all__ = [
    "CONCEPTS",
    "ExtensiveEquilibrium",
    "best_response",
    "best_response_values",
    "certify_extensive",
    "default_beliefs",
    "game_tolerance",
    "game_tolerances",
    "nash_regrets",
    "sequential_rationality_regrets",
    "sequential_rationality_gaps",
    "infoset_tolerances",
    "nash_regret",
    "sequential_rationality_regret",
    "subgame_best_response_values",
    "subgame_perfection_regret",
    "subgame_pieces",
]

#: Solution concepts :func:`certify_extensive` checks, and the certificate of each.
CONCEPTS: dict[str, str] = {
    "nash": "largest gain from a unilateral deviation to any strategy",
    "subgame perfect": "largest Nash regret over all subgames",
    "sequential": "largest gain from switching action at any information set, given the beliefs",
    "perfect Bayesian": "largest gain from switching action at any information set, given the "
    "beliefs (which must follow Bayes' rule on the path)",
}

#: Beliefs at an information set must sum to 1 within this tolerance.
BELIEF_TOLERANCE = 1e-6


# ---------------------------------------------------------------------- result type
@dataclass(frozen=True, eq=False)
class ExtensiveEquilibrium:
    """A certified equilibrium of an extensive-form game.

    Attributes
    ----------
    game : ExtensiveGame
    behaviour : BehaviourProfile
        The behaviour strategy profile.
    beliefs : numpy array, shape (K,)
        Probability of each decision node given that its information set is reached:
        Bayes' rule on the path, off the path as assigned by the method (see
        :func:`default_beliefs`); NaN at chance and terminal nodes.
    payoffs : numpy array, shape (N,)
        Expected payoff of every player.
    regret : float
        Nash certificate: the largest gain any player gets by a unilateral deviation.
    concept : str
        ``"nash"``, ``"subgame perfect"``, ``"sequential"`` or ``"perfect Bayesian"``.
    concept_regret : float
        Certificate of the concept (see :data:`CONCEPTS`); equals ``regret`` for Nash.
    tolerance : float
        The largest of the per-player bounds in ``tolerances``.
    method : str
        The algorithm that found it.
    parameters : dict
        The algorithm's parameters.
    regrets : tuple of float
        Each player's Nash regret, in its own payoffs.
    concept_regrets : tuple of float
        Each player's regret under the concept.
    tolerances : tuple of float
        The bound each player's regrets were checked against (:func:`game_tolerances`
        unless the caller gave one ``tol`` for all).
    exact : bool or None
        ``True`` when the Nash regret (and, for the refinements, the Nash regret in
        every subgame) was re-measured in rational arithmetic and is zero; ``False``
        when it was re-measured and is nonzero but below
        :data:`~simulator.solvers.equilibrium.VISIBLE_GAIN`; ``None`` when not tried
        (done for pure profiles where some player's bound exceeds that gain).
    """

    game: ExtensiveGame
    behaviour: BehaviourProfile
    beliefs: np.ndarray
    payoffs: np.ndarray
    regret: float
    concept: str
    concept_regret: float
    tolerance: float
    method: str
    parameters: Mapping[str, Any] = field(default_factory=dict)
    regrets: tuple[float, ...] = ()
    concept_regrets: tuple[float, ...] = ()
    tolerances: tuple[float, ...] = ()
    exact: bool | None = None

    @property
    def is_pure(self) -> bool:
        """True if every player chooses one action with probability 1 everywhere."""
        flat = self.behaviour.flat
        decision = np.repeat(self.game.infoset_player >= 0, self.game.infoset_num_actions)
        values = flat[decision]
        return bool(np.all((values < 1e-12) | (values > 1 - 1e-12)))

    def strategy(self, player: str | int) -> dict[str, dict[str, float]]:
        """One player's behaviour strategy as ``{information set label: {action: p}}``.

        Examples
        --------
        >>> from simulator.games.extensive import Decision, Terminal
        >>> g = ExtensiveGame.from_tree(["A"], Decision("A", {"x": Terminal([1]),
        ...                                                    "y": Terminal([2])}, "h"))
        >>> eq = certify_extensive(BehaviourProfile.pure(g, ["y"]), "nash", "by hand")
        >>> eq.strategy("A")
        {'h': {'x': 0.0, 'y': 1.0}}
        """
        name = self.game.players[self.game.player_index(player)]
        return self.behaviour.as_dict()[name]

    def beliefs_dict(self) -> dict[str, dict[str, dict[str, float]]]:
        """``{player: {information set label: {node: belief}}}`` (nodes by label or index).

        A node is named by its label when the label is non-empty and unique within
        its information set, else by its index as a string. Information sets whose
        beliefs are undefined (NaN) are left out.

        Examples
        --------
        >>> from simulator.games.extensive import Chance, Decision, Terminal
        >>> def guess(label):
        ...     return Decision("A", {"x": Terminal([1]), "y": Terminal([0])}, "h", label=label)
        >>> g = ExtensiveGame.from_tree(["A"], Chance({"a": ("1/4", guess("early")),
        ...                                             "b": ("3/4", guess("late"))}))
        >>> eq = certify_extensive(BehaviourProfile.pure(g, {("A", "h"): "x"}), "nash", "by hand")
        >>> eq.beliefs_dict()
        {'A': {'h': {'early': 0.25, 'late': 0.75}}}
        """
        game = self.game
        out: dict[str, dict[str, dict[str, float]]] = {name: {} for name in game.players}
        labels = game.node_labels
        for info in game.infosets:
            if info.is_chance:
                continue
            values = self.beliefs[list(info.nodes)]
            if not np.all(np.isfinite(values)):
                continue
            names = [labels[v] for v in info.nodes]
            usable = all(names) and len(set(names)) == len(names)
            keys = names if usable else [str(v) for v in info.nodes]
            out[game.players[info.player]][info.label] = {
                key: float(p) for key, p in zip(keys, values)
            }
        return out

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready description.

        Examples
        --------
        >>> from simulator.games.extensive import Decision, Terminal
        >>> g = ExtensiveGame.from_tree(["A"], Decision("A", {"x": Terminal([1]),
        ...                                                    "y": Terminal([2])}, "h"))
        >>> d = certify_extensive(BehaviourProfile.pure(g, ["y"]), "nash", "by hand").as_dict()
        >>> d["behaviour"], d["payoffs"], d["beliefs"]
        ({'A': {'h': {'x': 0.0, 'y': 1.0}}}, {'A': 2.0}, {'A': {'h': {'0': 1.0}}})
        """
        return {
            "concept": self.concept,
            "behaviour": self.behaviour.as_dict(),
            "beliefs": self.beliefs_dict(),
            "payoffs": {name: float(u) for name, u in zip(self.game.players, self.payoffs)},
            "regret": float(self.regret),
            "concept_regret": float(self.concept_regret),
            "tolerance": float(self.tolerance),
            "method": self.method,
            "parameters": dict(self.parameters),
            **({} if self.exact is None else {"exact": self.exact}),
        }

    def __repr__(self) -> str:
        pay = ", ".join(f"{u:.4g}" for u in self.payoffs)
        return (
            f"<ExtensiveEquilibrium ({self.concept}) {self.behaviour!r} | payoffs ({pay}) | "
            f"regret {self.regret:.1e}, {self.concept} regret {self.concept_regret:.1e} "
            f"| {self.method}>"
        )


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


def game_tolerances(game: ExtensiveGame) -> np.ndarray:
    """Each player's regret tolerance (:func:`~simulator.solvers.equilibrium.player_tolerances`
    of the terminal payoffs): ``1e-8`` times the span of that player's payoffs, never below
    the precision of its largest payoff.

    Examples
    --------
    >>> from simulator.games.extensive import Decision, Terminal
    >>> g = ExtensiveGame.from_tree(["A", "B"], Decision("A", {"x": Terminal([-300, 0]),
    ...                                                         "y": Terminal([100, 2])}))
    >>> game_tolerances(g)
    array([4.e-06, 1.e-08])
    """
    return player_tolerances(game.terminal_payoffs[game.terminal_nodes])


def game_tolerance(game: ExtensiveGame) -> float:
    """One regret tolerance for a tree: the largest of :func:`game_tolerances`.

    Examples
    --------
    >>> from simulator.games.extensive import Decision, Terminal
    >>> g = ExtensiveGame.from_tree(["A"], Decision("A", {"x": Terminal([-300]),
    ...                                                    "y": Terminal([100])}))
    >>> game_tolerance(g)
    4e-06
    """
    return default_tolerance(game.terminal_payoffs[game.terminal_nodes])


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

    Returns
    -------
    roots : numpy array
        The subgame roots, in pre-order.
    values : numpy array, shape (len(roots), N)
        ``values[k, i]``: the largest expected payoff player ``i`` can get in the
        subgame at ``roots[k]`` (conditional on reaching it) by any strategy, the
        other players following ``behaviour``.

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


# ---------------------------------------------------------------------- beliefs
def default_beliefs(behaviour: BehaviourProfile) -> np.ndarray:
    """Beliefs derived from a behaviour profile, on and off the path.

    At each information set of player ``i`` the beliefs are, in order of preference:

    1. Bayes' rule on the realisation probabilities, where the set is reached;
    2. proportional to the probability of the chance and *other* players' moves on
       the path (``i`` assumes their own deviation led there: with perfect recall
       ``i``'s own moves weigh all nodes of the set alike, so on the path this is
       the same as 1);
    3. proportional to the chance probabilities on the path;
    4. uniform.

    Returns a (K,) array, NaN at chance and terminal nodes.

    Examples
    --------
    >>> from simulator.games.extensive import Chance, Decision, Terminal
    >>> g = ExtensiveGame.from_tree(["A", "B"], Chance({
    ...     "a": ("1/4", Decision("A", {"stop": Terminal([0, 0]), "go": Decision("B", {
    ...         "x": Terminal([1, 1]), "y": Terminal([0, 0])}, "b")})),
    ...     "b": ("3/4", Decision("A", {"stop": Terminal([0, 0]), "go": Decision("B", {
    ...         "x": Terminal([0, 0]), "y": Terminal([1, 1])}, "b")}))}))
    >>> b = BehaviourProfile.from_dict(g, {("A", "a"): {"stop": 1}, ("A", "b"): {"stop": 1},
    ...                                    ("B", "b"): {"x": 1}})
    >>> default_beliefs(b)[[3, 8]].tolist()
    [0.25, 0.75]
    """
    game = behaviour.game
    out = behaviour.beliefs()
    decision = np.flatnonzero(game.node_kind == DECISION)
    missing = decision[np.isnan(out[decision])]
    if missing.size == 0:
        return out
    infoset = game.node_infoset
    others = game.path_products(_others_weights(behaviour))
    chance = game.path_products(game.chance_edge_probabilities)
    candidates = (
        others[missing, game.node_player[missing]],
        chance[missing],
        np.ones(missing.shape[0]),
    )
    pending = np.ones(missing.shape[0], dtype=bool)
    for weight in candidates:
        total = np.bincount(
            infoset[missing], weights=np.where(pending, weight, 0.0), minlength=game.num_infosets
        )
        mass = total[infoset[missing]]
        ok = pending & (mass > 0)
        out[missing[ok]] = weight[ok] / mass[ok]
        pending &= ~ok
    return out


def _checked_beliefs(game: ExtensiveGame, beliefs: Any) -> np.ndarray:
    mu = np.array(beliefs, dtype=float).reshape(-1)
    if mu.shape != (game.num_nodes,):
        raise GameError(
            f"beliefs need one entry per node ({game.num_nodes}); got {mu.size}. Use NaN at "
            "chance and terminal nodes"
        )
    decision = np.flatnonzero(game.node_kind == DECISION)
    values = mu[decision]
    bad = decision[~np.isfinite(values) | (values < -1e-9)]
    if bad.size:
        raise GameError(
            f"the belief at decision node {bad[0]} is {mu[bad[0]]}; beliefs must be "
            "probabilities at every decision node, on and off the path"
        )
    sums = np.bincount(game.node_infoset[decision], weights=values, minlength=game.num_infosets)
    own = np.flatnonzero(game.infoset_player >= 0)
    wrong = own[np.abs(sums[own] - 1.0) > BELIEF_TOLERANCE]
    if wrong.size:
        info = game.infosets[wrong[0]]
        raise GameError(
            f"beliefs at information set {info.label!r} of {game.players[info.player]!r} sum to "
            f"{sums[wrong[0]]:.6g}, not 1"
        )
    mu[game.node_kind != DECISION] = np.nan
    return mu


def sequential_rationality_regret(behaviour: BehaviourProfile, beliefs: Any) -> float:
    """Largest gain from switching action at any information set, given the beliefs.

    At every information set ``h`` of every player, on and off the path, the gain is
    ``max_a Q(h, a) - sum_a b(h, a) Q(h, a)``, where ``Q(h, a)`` is the expected payoff
    of playing ``a`` at ``h`` and following the profile afterwards, the nodes of ``h``
    weighted by ``beliefs``. With consistent beliefs (Kreps and Wilson 1982), or any
    beliefs that follow Bayes' rule after every deviation, a zero gap at every
    information set is equivalent to sequential rationality: the one-shot deviation
    principle (Hendon, Jacobsen and Sloth 1996).

    Parameters
    ----------
    behaviour : BehaviourProfile
    beliefs : array_like, shape (K,)
        Probability of each decision node given its information set (sums to 1 over
        each information set); entries at chance and terminal nodes are ignored.

    Examples
    --------
    >>> from simulator.games.extensive import Decision, Terminal
    >>> g = ExtensiveGame.from_tree(["E", "I"], Decision("E", {
    ...     "out": Terminal([0, 2]),
    ...     "in": Decision("I", {"fight": Terminal([-1, -1]), "share": Terminal([1, 1])})}))
    >>> b = BehaviourProfile.pure(g, ["out", "fight"])
    >>> sequential_rationality_regret(b, default_beliefs(b))
    2.0
    """
    return float(sequential_rationality_regrets(behaviour, beliefs).max(initial=0.0))


def sequential_rationality_regrets(behaviour: BehaviourProfile, beliefs: Any) -> np.ndarray:
    """Each player's largest gain from switching action at one of its information sets.

    The per-player form of :func:`sequential_rationality_regret`.

    Parameters
    ----------
    behaviour : BehaviourProfile
    beliefs : array_like, shape (K,)
        Probability of each decision node given its information set.

    Returns
    -------
    numpy array, shape (N,)

    Examples
    --------
    >>> from simulator.games.extensive import Decision, Terminal
    >>> g = ExtensiveGame.from_tree(["E", "I"], Decision("E", {
    ...     "out": Terminal([0, 2]),
    ...     "in": Decision("I", {"fight": Terminal([-1, -1]), "share": Terminal([1, 1])})}))
    >>> b = BehaviourProfile.pure(g, ["out", "fight"])
    >>> sequential_rationality_regrets(b, default_beliefs(b))
    array([0., 2.])
    """
    game = behaviour.game
    out = np.zeros(game.num_players)
    gaps = sequential_rationality_gaps(behaviour, beliefs)
    own = np.flatnonzero(game.infoset_player >= 0)
    np.maximum.at(out, game.infoset_player[own], gaps[own])
    return out


def sequential_rationality_gaps(behaviour: BehaviourProfile, beliefs: Any) -> np.ndarray:
    """The gain of each information set's mover from its best action there.

    Action values are expectations over the set's nodes under ``beliefs``, play
    continuing by ``behaviour`` (the one-shot deviation gap).

    Parameters
    ----------
    behaviour : BehaviourProfile
    beliefs : array_like, shape (K,)
        Probability of each decision node given its information set.

    Returns
    -------
    numpy array, shape (H,)
        Zero at chance information sets.

    Examples
    --------
    >>> from simulator.games.extensive import Decision, Terminal
    >>> g = ExtensiveGame.from_tree(["E", "I"], Decision("E", {
    ...     "out": Terminal([0, 2]),
    ...     "in": Decision("I", {"fight": Terminal([-1, -1]), "share": Terminal([1, 1])})}))
    >>> b = BehaviourProfile.pure(g, ["out", "fight"])
    >>> sequential_rationality_gaps(b, default_beliefs(b))
    array([0., 2.])
    """
    game = behaviour.game
    mu = _checked_beliefs(game, beliefs)
    gaps = np.zeros(game.num_infosets)
    kids = game.children
    movers = game.parent[kids]
    mine = kids[game.node_kind[movers] == DECISION]
    if mine.size == 0:
        return gaps
    values = behaviour.node_values()
    up = game.parent[mine]
    q = np.bincount(
        game.edge_action[mine],
        weights=mu[up] * values[mine, game.node_player[up]],
        minlength=game.num_actions_total,
    )
    starts = game.action_offsets[:-1]
    best = np.maximum.reduceat(q, starts)
    current = np.add.reduceat(q * behaviour.flat, starts)
    own = game.infoset_player >= 0
    gaps[own] = (best - current)[own]
    return gaps


def infoset_tolerances(game: ExtensiveGame) -> np.ndarray:
    """Each information set's own bound: the mover's payoffs reachable below it, through
    :func:`~simulator.solvers.equilibrium.tolerance_from_range`.

    A gain at an information set is made of the payoffs below it, so float arithmetic
    resolves it to that precision, however large the player's payoffs are elsewhere.

    Returns
    -------
    numpy array, shape (H,)
        ``inf`` at chance information sets.

    Examples
    --------
    >>> from simulator.games.extensive import Decision, Terminal
    >>> g = ExtensiveGame.from_tree(["A", "B"], Decision("A", {
    ...     "L": Decision("B", {"a": Terminal([0, 0]), "b": Terminal([0, 1.5])}),
    ...     "R": Terminal([1e19, 1e19])}))
    >>> infoset_tolerances(g)
    array([1.0e+11, 1.5e-08])
    """
    n = game.num_players
    low = np.where(game.node_kind[:, None] == TERMINAL, game.terminal_payoffs, np.inf)
    high = np.where(game.node_kind[:, None] == TERMINAL, game.terminal_payoffs, -np.inf)
    for level in reversed(game.depth_levels()[1:]):
        np.minimum.at(low, game.parent[level], low[level])
        np.maximum.at(high, game.parent[level], high[level])
    out = np.full(game.num_infosets, np.inf)
    decision = np.flatnonzero((game.node_kind == DECISION) & (game.node_player >= 0))
    if decision.size == 0:
        return out
    h = game.node_infoset[decision]
    set_low = np.full((game.num_infosets, n), np.inf)
    set_high = np.full((game.num_infosets, n), -np.inf)
    np.minimum.at(set_low, h, low[decision])
    np.maximum.at(set_high, h, high[decision])
    rows = np.unique(h)
    owner = game.infoset_player[rows]
    out[rows] = tolerance_from_range(set_low[rows, owner], set_high[rows, owner])
    return out


# ---------------------------------------------------------------------- certification
def _concept(name: str) -> str:
    key = str(name).strip().lower().replace("-", " ").replace("_", " ")
    aliases = {
        "nash": "nash",
        "subgame perfect": "subgame perfect",
        "spe": "subgame perfect",
        "sequential": "sequential",
        "perfect bayesian": "perfect Bayesian",
        "pbe": "perfect Bayesian",
    }
    if key not in aliases:
        raise GameError(f"unknown solution concept {name!r}; choose one of {list(CONCEPTS)}")
    return aliases[key]


def certify_extensive(
    behaviour: BehaviourProfile,
    concept: str,
    method: str,
    parameters: Mapping[str, Any] | None = None,
    beliefs: Any | None = None,
    tol: float | None = None,
) -> ExtensiveEquilibrium:
    """Measure the certificates of ``behaviour`` and wrap it as an :class:`ExtensiveEquilibrium`.

    Parameters
    ----------
    behaviour : BehaviourProfile
    concept : str
        ``"nash"``, ``"subgame perfect"``, ``"sequential"`` or ``"perfect Bayesian"``.
    method : str
        Name of the algorithm that produced the profile.
    parameters : dict, optional
        The algorithm's parameters, stored with the result.
    beliefs : array_like, shape (K,), optional
        The beliefs of the assessment. Default: :func:`default_beliefs` (Bayes' rule on
        the path; off the path the chance-and-others weights where positive, else chance
        weights, else uniform). For ``"perfect Bayesian"`` given beliefs must agree with
        Bayes' rule wherever the information set is reached. The consistency of
        sequential-equilibrium beliefs (a limit of fully mixed assessments) is the
        method's responsibility; it is not checked here.
    tol : float, optional
        Largest accepted regret of every player (default: each player's own bound,
        :func:`game_tolerances`).

    Raises
    ------
    CertificationError
        If some player's Nash regret or regret under the concept exceeds its bound.
        Every certified result is thus at least a Nash equilibrium.

    Examples
    --------
    >>> from simulator.games.extensive import Decision, Terminal
    >>> g = ExtensiveGame.from_tree(["E", "I"], Decision("E", {
    ...     "out": Terminal([0, 2]),
    ...     "in": Decision("I", {"fight": Terminal([-1, -1]), "share": Terminal([1, 1])})}))
    >>> threat = BehaviourProfile.pure(g, ["out", "fight"])
    >>> certify_extensive(threat, "nash", "by hand").regret
    0.0
    >>> try:
    ...     certify_extensive(threat, "subgame perfect", "by hand")
    ... except CertificationError as exc:
    ...     print(str(exc)[:60])
    by hand returned a profile with subgame perfect regret 2 for
    """
    if not isinstance(behaviour, BehaviourProfile):
        raise GameError(
            f"certify_extensive needs a BehaviourProfile; got {type(behaviour).__name__}"
        )
    game = behaviour.game
    name = _concept(concept)
    n = game.num_players
    tolerances = game_tolerances(game) if tol is None else np.full(n, float(tol))
    if beliefs is None:
        mu = default_beliefs(behaviour)
    else:
        mu = _checked_beliefs(game, beliefs)
        if name == "perfect Bayesian":
            bayes = behaviour.beliefs()
            reached = np.isfinite(bayes)
            gap = np.abs(mu[reached] - bayes[reached])
            if gap.size and gap.max() > BELIEF_TOLERANCE:
                node = int(np.flatnonzero(reached)[np.argmax(gap)])
                raise CertificationError(
                    f"{method}: the belief at node {node} is {mu[node]:.6g} but Bayes' rule "
                    f"gives {bayes[node]:.6g}; perfect Bayesian beliefs follow Bayes' rule on "
                    "the path"
                )
    if name == "subgame perfect":
        by_subgame = _regrets_by_subgame(behaviour)
        regrets = by_subgame[0]
        concept_regrets = by_subgame.max(axis=0)
    else:
        regrets = nash_regrets(behaviour)
        if name == "nash":
            concept_regrets = regrets
        else:
            concept_regrets = sequential_rationality_regrets(behaviour, mu)
    for label, values in (("Nash", regrets), (name, concept_regrets)):
        over = np.flatnonzero(~(values <= tolerances))
        if over.size:
            i = int(over[0])
            raise CertificationError(
                f"{method} returned a profile with {label} regret {values[i]:.3g} for "
                f"{game.players[i]!r}, above the tolerance {tolerances[i]:.3g}: it is not a "
                f"{label} equilibrium"
            )
    exact = None
    if tol is None and bool(np.any(tolerances > VISIBLE_GAIN)):
        if name in ("sequential", "perfect Bayesian"):
            _check_locally(behaviour, mu, tolerances, name, method)
        exact = _exact_check(behaviour, name, method)
    mu.setflags(write=False)
    payoffs = behaviour.expected_payoffs()
    payoffs.setflags(write=False)
    return ExtensiveEquilibrium(
        game=game,
        behaviour=behaviour,
        beliefs=mu,
        payoffs=payoffs,
        regret=float(regrets.max(initial=0.0)),
        concept=name,
        concept_regret=float(concept_regrets.max(initial=0.0)),
        tolerance=float(tolerances.max(initial=0.0)),
        method=method,
        parameters=dict(parameters or {}),
        regrets=tuple(float(r) for r in regrets),
        concept_regrets=tuple(float(r) for r in concept_regrets),
        tolerances=tuple(float(t) for t in tolerances),
        exact=exact,
    )


def _check_locally(
    behaviour: BehaviourProfile, mu: np.ndarray, tolerances: np.ndarray, concept: str, method: str
) -> None:
    """Where a player's bound exceeds a visible gain, check each of its information sets
    against the payoffs below it (never looser than the player's bound, never tighter than
    ``VISIBLE_GAIN``): a gain of 0.75 among payoffs 0 and 1.5 is refused even when the
    player's payoffs elsewhere reach ``1e19``."""
    game = behaviour.game
    own = game.infoset_player >= 0
    if not own.any():
        return
    gaps = sequential_rationality_gaps(behaviour, mu)
    owner = np.where(own, game.infoset_player, 0)
    bounds = np.minimum(tolerances[owner], np.maximum(infoset_tolerances(game), VISIBLE_GAIN))
    over = np.flatnonzero(own & ~(gaps <= bounds))
    if over.size:
        h = int(over[np.argmax(gaps[over])])
        info = game.infosets[h]
        raise CertificationError(
            f"{method} returned a profile where {game.players[info.player]!r} gains "
            f"{gaps[h]:.3g} by another action at information set {info.label!r} (the payoffs "
            f"below it resolve gains of {bounds[h]:.3g}): it is not a {concept} equilibrium"
        )


def _exact_check(behaviour: BehaviourProfile, concept: str, method: str) -> bool | None:
    """Re-measure a pure profile's Nash regrets (in every subgame for the refinements) in
    rational arithmetic; refuse it when some player gains more than ``VISIBLE_GAIN``.

    Float bounds above ``VISIBLE_GAIN`` (payoff spans above about 100) could hide a gain a
    person can see. Mixed profiles are not re-measured: their float probabilities are not
    the exact equilibrium, so a rational check of them says nothing (``None``).
    """
    game = behaviour.game
    decision = np.repeat(game.infoset_player >= 0, game.infoset_num_actions)
    values = behaviour.flat[decision]
    if not np.all((values == 0.0) | (values == 1.0)):
        return None
    roots = [0] if concept == "nash" else _pieces(game).roots.tolist() or [0]
    gains = exact_nash_regrets(behaviour, roots)
    k, player = np.unravel_index(int(np.argmax(gains)), gains.shape)
    worst = gains[k, player]
    if worst > VISIBLE_GAIN:
        where = "" if roots[k] == 0 else f" in the subgame at node {roots[k]}"
        raise CertificationError(
            f"{method} returned a profile where {game.players[player]!r} gains "
            f"{float(worst):.3g}{where} by deviating (exact arithmetic; the float check's "
            "bound is too coarse at this payoff scale): it is not a "
            f"{'Nash' if concept == 'nash' else concept} equilibrium"
        )
    return worst == 0
