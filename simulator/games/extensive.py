"""Extensive-form games: game trees with chance, information sets and outcomes.

An :class:`ExtensiveGame` is immutable and stored as flat numpy arrays with the nodes in
depth-first pre-order (node 0 is the root), so the subtree of a node is a contiguous range of node
indices. This module holds the class: its construction from a nested builder tree
(:meth:`ExtensiveGame.from_tree`) or from per-node arrays (:meth:`ExtensiveGame.from_arrays`), the
stored node and information-set arrays, products along root-to-node paths by pointer doubling
(Wyllie 1979) and weighted sums swept up the depth levels, and the text rendering. The builder
nodes, validation and array kernels live in :mod:`simulator.games.tree`, the methods about
information sets, perfect recall, sequences and subgames come from
:mod:`simulator.games.information`, and the plans, strategic and agent forms are computed by
:mod:`simulator.games.reduced_form`.

References
----------
.. [1] J. C. Wyllie, *The Complexity of Parallel Computations*, PhD thesis, Cornell
   University, 1979 (pointer jumping).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from simulator.games import reduced_form
from simulator.games._tables import format_number
from simulator.games.errors import GameError
from simulator.games.information import InformationStructure
from simulator.games.normal_form import NormalFormGame
from simulator.games.reduced_form import Plan
from simulator.games.tree import (
    CHANCE,
    DECISION,
    PROBABILITY_TOLERANCE,
    TERMINAL,
    Chance,
    Decision,
    InfoSet,
    Node,
    Terminal,
    _as_index_array,
    _check_players,
    _flatten_arrays,
    _flatten_tree,
    _format_vector,
    _group_infosets,
    _nearest_marked,
    _path_reduce,
    _preorder_and_depth,
)

if TYPE_CHECKING:
    from simulator.games.behaviour import BehaviourProfile

__all__ = [
    "TERMINAL",
    "DECISION",
    "CHANCE",
    "PROBABILITY_TOLERANCE",
    "ExtensiveGame",
    "InfoSet",
    "Decision",
    "Chance",
    "Terminal",
]


# ---------------------------------------------------------------------- the game
class ExtensiveGame(InformationStructure):
    """An immutable finite extensive-form game with chance and information sets.

    Build one with :meth:`from_tree` (nested builder) or :meth:`from_arrays`
    (``ExtensiveGame(...)`` takes the same arguments as :meth:`from_arrays`).
    Nodes are numbered in depth-first pre-order, the root is node 0 and the subtree
    of node ``v`` is the range ``v .. subtree_end[v] - 1``.

    Parameters
    ----------
    players, parent, node_kind, node_player, infoset_ids
        As in :meth:`from_arrays`.
    payoffs, chance_probabilities, action_labels, infoset_labels, node_labels, title
        Keyword-only, as in :meth:`from_arrays`.

    Attributes
    ----------
    players : tuple of str
        Player names.
    num_nodes, num_players, num_infosets : int
        Sizes of the tree (information sets counted with chance ones).
    parent, node_kind, node_player, node_infoset : numpy.ndarray
        Per-node arrays in pre-order (see each property).
    terminal_nodes : numpy.ndarray
        Indices of the terminal nodes, in pre-order.
    terminal_payoffs : numpy.ndarray, shape (K, N)
        Total payoff at each terminal node; zero rows elsewhere.
    infosets : tuple of InfoSet
        All information sets, chance ones included.
    title : str
        A description.

    Raises
    ------
    GameError
        If the arrays do not describe a valid tree (see :meth:`from_arrays`).

    Examples
    --------
    >>> game = ExtensiveGame.from_tree(["A", "B"], Decision("A", {
    ...     "out": Terminal([1, 1]),
    ...     "in": Decision("B", {"fight": Terminal([0, 0]), "yield": Terminal([2, 1])})}))
    >>> game.num_nodes, game.num_players, game.is_perfect_information()
    (5, 2, True)
    >>> game.terminal_payoffs[game.terminal_nodes].tolist()
    [[1.0, 1.0], [0.0, 0.0], [2.0, 1.0]]
    """

    # ------------------------------------------------------------------ construction
    def __init__(
        self,
        players: Sequence[str],
        parent: Any,
        node_kind: Any,
        node_player: Any | None = None,
        infoset_ids: Any | None = None,
        *,
        payoffs: Any | None = None,
        chance_probabilities: Any | None = None,
        action_labels: Sequence[str] | None = None,
        infoset_labels: Mapping[int, str] | None = None,
        node_labels: Sequence[str] | None = None,
        title: str = "",
    ) -> None:
        names = _check_players(players)
        flat = _flatten_arrays(
            names,
            parent,
            node_kind,
            node_player,
            infoset_ids,
            payoffs=payoffs,
            chance_probabilities=chance_probabilities,
            action_labels=action_labels,
            infoset_labels=infoset_labels,
            node_labels=node_labels,
        )
        self._setup(players=names, title=str(title), label_style="node", **flat)

    @classmethod
    def from_arrays(
        cls,
        players: Sequence[str],
        parent: Any,
        node_kind: Any,
        node_player: Any | None = None,
        infoset_ids: Any | None = None,
        *,
        payoffs: Any | None = None,
        chance_probabilities: Any | None = None,
        action_labels: Sequence[str] | None = None,
        infoset_labels: Mapping[int, str] | None = None,
        node_labels: Sequence[str] | None = None,
        title: str = "",
    ) -> ExtensiveGame:
        """Build a game from per-node arrays (for programmatically generated trees).

        The arrays may list the nodes in any order (breadth-first is natural for
        generated trees); the game renumbers them in depth-first pre-order, and
        node ``v`` of the input becomes node ``ExtensiveGame.preorder(parent)[v]``.
        The children of a node are ordered by their input index: the first is action
        0. Everything is validated with vectorised checks.

        Parameters
        ----------
        players : sequence of str
            Player names.
        parent : array_like of int, shape (K,)
            Parent of each node; exactly one node (the root) has ``-1``.
        node_kind : array_like of int, shape (K,)
            ``TERMINAL`` (0), ``DECISION`` (1) or ``CHANCE`` (2); terminal nodes are
            exactly the nodes without children.
        node_player : array_like of int, shape (K,), optional
            Mover of each decision node (ignored elsewhere); required with decisions.
        infoset_ids : array_like of int, shape (K,), optional
            Decision nodes with the same player and the same id ``>= 0`` form one
            information set (they must have equally many children, and equal action
            labels); a negative id, or omitting the array, makes singletons. Every
            chance node is its own chance information set.
        payoffs : array_like, shape (K, N), optional
            Outcome attached at each node (usually non-zero at terminal nodes only);
            a terminal node's payoff is the sum over its path.
        chance_probabilities : array_like, shape (K,), optional
            Probability of the move into each child of a chance node (entries at other
            nodes are ignored); floats, or objects such as Fractions or ``"1/3"``.
        action_labels : sequence of str, shape (K,), optional
            Label of the move into each node (root entry ignored). Default: actions
            ``"1", "2", ...`` of each information set.
        infoset_labels : mapping of int to str, optional
            Label of each information-set id. Default: the id as a string; singletons
            are labelled ``"n<node>"`` by their (pre-order) node number. Duplicate
            labels of one player get a suffix ``" (2)"``, ``" (3)"``...
        node_labels : sequence of str, shape (K,), optional
            Node labels for renderings.
        title : str, optional
            A description.

        Examples
        --------
        A complete binary tree in breadth-first (heap) order, player 0 moving at
        depth 0 and player 1 at depth 1:

        >>> import numpy as np
        >>> parent = np.array([-1, 0, 0, 1, 1, 2, 2])
        >>> kind = np.array([DECISION, DECISION, DECISION, 0, 0, 0, 0])
        >>> mover = np.array([0, 1, 1, -1, -1, -1, -1])
        >>> same = np.array([-1, 7, 7, -1, -1, -1, -1])   # player 1 does not see the move
        >>> pay = np.zeros((7, 2)); pay[3:] = [[1, 1], [0, 2], [2, 0], [1, 1]]
        >>> g = ExtensiveGame.from_arrays(["P", "Q"], parent, kind, mover, same, payoffs=pay)
        >>> g.parent.tolist(), g.is_perfect_information()
        ([-1, 0, 1, 1, 0, 4, 4], False)
        >>> ExtensiveGame.preorder(parent).tolist()
        [0, 1, 4, 2, 3, 5, 6]
        """
        return cls(
            players,
            parent,
            node_kind,
            node_player,
            infoset_ids,
            payoffs=payoffs,
            chance_probabilities=chance_probabilities,
            action_labels=action_labels,
            infoset_labels=infoset_labels,
            node_labels=node_labels,
            title=title,
        )

    @classmethod
    def from_tree(cls, players: Sequence[str], root: Node, title: str = "") -> ExtensiveGame:
        """Build a game from nested :class:`Decision`, :class:`Chance` and :class:`Terminal`.

        Singleton information sets (``infoset=None``) are labelled by their node label,
        else by the actions leading to them joined with ``">"`` (``"root"`` at the
        root), so a key such as ``("Receiver", "strong>beer")`` finds them.

        Examples
        --------
        >>> g = ExtensiveGame.from_tree(["Row", "Column"], Decision("Row", {
        ...     "U": Decision("Column", {"l": Terminal([1, 1]), "r": Terminal([0, 0])}, "c"),
        ...     "D": Decision("Column", {"l": Terminal([0, 0]), "r": Terminal([2, 2])}, "c")}))
        >>> [(h.label, h.actions, h.nodes) for h in g.infosets]
        [('root', ('U', 'D'), (0,)), ('c', ('l', 'r'), (1, 4))]
        """
        names = _check_players(players)
        flat = _flatten_tree(root, names)
        obj = cls.__new__(cls)
        obj._setup(players=names, title=str(title), label_style="path", **flat)
        return obj

    @classmethod
    def _from_preorder(cls, **arrays: Any) -> ExtensiveGame:
        obj = cls.__new__(cls)
        obj._setup(**arrays)
        return obj

    def _setup(
        self,
        *,
        players: tuple[str, ...],
        parent: np.ndarray,
        depth: np.ndarray,
        node_kind: np.ndarray,
        node_player: np.ndarray,
        infoset_keys: np.ndarray,
        node_payoffs: np.ndarray,
        edge_probabilities: np.ndarray,
        edge_exact: dict[int, Fraction],
        edge_labels: tuple[str, ...] | None,
        node_labels: tuple[str, ...] | None,
        key_labels: Mapping[int, str] | None,
        label_style: str,
        title: str,
        check_action_labels: bool,
    ) -> None:
        """Derive every stored array from validated pre-order node arrays."""
        k = parent.shape[0]
        self._players = players
        self._title = title
        self._edge_labels = edge_labels
        self._node_labels = node_labels if node_labels is not None else ("",) * k
        self._key_labels = dict(key_labels) if key_labels else {}
        self._label_style = label_style
        self._edge_exact = edge_exact
        self._infoset_keys = infoset_keys.astype(np.int64)

        kind = node_kind.astype(np.int8)
        order = np.argsort(parent, kind="stable")
        children = order[1:].astype(np.int64)
        counts = np.bincount(parent[children], minlength=k)
        child_start = np.zeros(k + 1, dtype=np.int64)
        np.cumsum(counts, out=child_start[1:])
        action_index = np.full(k, -1, dtype=np.int64)
        action_index[children] = np.arange(k - 1) - child_start[parent[children]]

        node_infoset, infoset_first = _group_infosets(kind, node_player, infoset_keys)
        num_actions = counts[infoset_first]
        offsets = np.zeros(infoset_first.shape[0] + 1, dtype=np.int64)
        np.cumsum(num_actions, out=offsets[1:])
        edge_action = np.full(k, -1, dtype=np.int64)
        edge_action[children] = offsets[node_infoset[parent[children]]] + action_index[children]
        chance_edge = np.ones(k)
        from_chance = children[kind[parent[children]] == CHANCE]
        chance_edge[from_chance] = edge_probabilities[from_chance]
        terminal = kind == TERMINAL
        node_payoffs = node_payoffs.astype(float)
        if np.any(node_payoffs[~terminal]):
            accumulated = _path_reduce(parent, node_payoffs, np.add, 0.0)
        else:
            accumulated = node_payoffs
        terminal_payoffs = np.where(terminal[:, None], accumulated, 0.0)

        self._parent = parent.astype(np.int64)
        self._depth = depth.astype(np.int64)
        self._node_kind = kind
        self._node_player = node_player.astype(np.int64)
        self._node_infoset = node_infoset
        self._child_start = child_start
        self._children = children
        self._action_index = action_index
        self._node_payoffs = node_payoffs
        self._terminal_payoffs = terminal_payoffs
        self._infoset_first = infoset_first
        self._infoset_player = self._node_player[infoset_first]
        self._num_actions = num_actions.astype(np.int64)
        self._action_offsets = offsets
        self._edge_action = edge_action
        self._chance_edge = chance_edge
        self._terminal_nodes = np.flatnonzero(terminal).astype(np.int64)
        for array in (
            self._parent, self._depth, self._node_kind, self._node_player,
            self._node_infoset, self._child_start, self._children, self._action_index,
            self._node_payoffs, self._terminal_payoffs,
            self._infoset_first, self._infoset_player, self._num_actions,
            self._action_offsets, self._edge_action, self._chance_edge, self._terminal_nodes,
        ):  # fmt: skip
            array.setflags(write=False)

        self._check_infoset_consistency(check_action_labels)

    def _check_infoset_consistency(self, check_labels: bool) -> None:
        decision = np.flatnonzero(self._node_kind == DECISION)
        first = self._infoset_first[self._node_infoset[decision]]
        counts = np.diff(self._child_start)
        bad = decision[counts[decision] != counts[first]]
        if bad.size == 0 and check_labels and self._edge_labels is not None:
            # Only pairs of labels are compared here, so no codes are needed.
            labels = np.array(self._edge_labels, dtype=object)
            kids = self._children
            parents = self._parent[kids]
            at_decision = self._node_kind[parents] == DECISION
            kids, parents = kids[at_decision], parents[at_decision]
            ref_parent = self._infoset_first[self._node_infoset[parents]]
            ref = self._children[self._child_start[ref_parent] + self._action_index[kids]]
            bad = np.unique(parents[labels[kids] != labels[ref]])
        if bad.size:
            v = int(bad[0])
            h = int(self._node_infoset[v])
            ref = int(self._infoset_first[h])
            raise GameError(
                f"information set {self._infoset_label_of(h)!r} of player "
                f"{self._players[self._node_player[v]]!r} has nodes with different actions: "
                f"{list(self._node_actions(ref))} at node {ref} but "
                f"{list(self._node_actions(v))} at node {v}; the nodes of an information set "
                "must offer the same actions in the same order"
            )

    # ------------------------------------------------------------------ node arrays
    @property
    def parent(self) -> np.ndarray:
        """(K,) parent of each node; ``-1`` at the root."""
        return self._parent

    @property
    def depth(self) -> np.ndarray:
        """(K,) number of moves from the root to each node."""
        return self._depth

    @property
    def node_kind(self) -> np.ndarray:
        """(K,) int8: ``TERMINAL`` (0), ``DECISION`` (1) or ``CHANCE`` (2)."""
        return self._node_kind

    @property
    def node_player(self) -> np.ndarray:
        """(K,) mover of each decision node; ``-1`` at chance and terminal nodes."""
        return self._node_player

    @property
    def node_infoset(self) -> np.ndarray:
        """(K,) index into :attr:`infosets`; ``-1`` at terminal nodes."""
        return self._node_infoset

    @property
    def child_start(self) -> np.ndarray:
        """(K+1,) CSR offsets: children of ``v`` are ``children[child_start[v]:child_start[v+1]]``.

        Examples
        --------
        >>> g = ExtensiveGame.from_tree(["A"], Decision("A", {"x": Terminal([0])}))
        >>> g.children[g.child_start[0] : g.child_start[1]].tolist()
        [1]
        """
        return self._child_start

    @property
    def children(self) -> np.ndarray:
        """(K-1,) children of every node, grouped by parent, in action order."""
        return self._children

    @property
    def action_index(self) -> np.ndarray:
        """(K,) which action of the parent leads to each node; ``-1`` at the root."""
        return self._action_index

    @property
    def node_payoffs(self) -> np.ndarray:
        """(K, N) outcome attached at each node (zeros where none)."""
        return self._node_payoffs

    @property
    def terminal_payoffs(self) -> np.ndarray:
        """(K, N) total payoff at each terminal node (path sum); zero rows elsewhere."""
        return self._terminal_payoffs

    @property
    def node_labels(self) -> tuple[str, ...]:
        """Label of each node (``""`` if none)."""
        return self._node_labels

    @property
    def terminal_nodes(self) -> np.ndarray:
        """Indices of the terminal nodes, in pre-order."""
        return self._terminal_nodes

    @property
    def edge_action(self) -> np.ndarray:
        """(K,) flat index (see :attr:`action_offsets`) of the move into each node; -1 at root."""
        return self._edge_action

    @property
    def chance_edge_probabilities(self) -> np.ndarray:
        """(K,) probability of the chance move into each node (1 below non-chance nodes)."""
        return self._chance_edge

    @cached_property
    def subtree_end(self) -> np.ndarray:
        """(K,) one past the last node of each subtree: subtree of ``v`` is ``v..subtree_end[v]-1``.

        Examples
        --------
        >>> g = ExtensiveGame.from_tree(["A"], Decision("A", {
        ...     "x": Decision("A", {"y": Terminal([1]), "z": Terminal([2])}), "w": Terminal([0])}))
        >>> g.subtree_end.tolist()
        [5, 4, 3, 4, 5]
        """
        k = self.num_nodes
        next_sibling = np.full(k, -1, dtype=np.int64)
        kids = self._children
        same = self._parent[kids[:-1]] == self._parent[kids[1:]]
        next_sibling[kids[:-1][same]] = kids[1:][same]
        up = _nearest_marked(self._parent, next_sibling >= 0)
        end = np.where(up >= 0, next_sibling[np.maximum(up, 0)], k)
        end.setflags(write=False)
        return end

    # ------------------------------------------------------------------ infoset arrays
    @property
    def infoset_player(self) -> np.ndarray:
        """(H,) mover of each information set (``-1`` chance)."""
        return self._infoset_player

    @property
    def infoset_num_actions(self) -> np.ndarray:
        """(H,) number of actions of each information set."""
        return self._num_actions

    @property
    def action_offsets(self) -> np.ndarray:
        """(H+1,) flat actions of information set ``h`` are ``offsets[h]:offsets[h+1]``."""
        return self._action_offsets

    @property
    def num_actions_total(self) -> int:
        """Total number of actions over all information sets (length of flat action vectors)."""
        return int(self._action_offsets[-1])

    @cached_property
    def chance_action_probabilities(self) -> np.ndarray:
        """(A,) probability of every chance action in the flat action layout; NaN elsewhere.

        Examples
        --------
        >>> g = ExtensiveGame.from_tree(["A"], Chance({"a": ("1/4", Terminal([0])),
        ...                                             "b": ("3/4", Terminal([1]))}))
        >>> g.chance_action_probabilities.tolist()
        [0.25, 0.75]
        """
        out = np.full(self.num_actions_total, np.nan)
        kids = self._children
        from_chance = kids[self._node_kind[self._parent[kids]] == CHANCE]
        out[self._edge_action[from_chance]] = self._chance_edge[from_chance]
        out.setflags(write=False)
        return out

    # ------------------------------------------------------------------ summary
    @property
    def players(self) -> tuple[str, ...]:
        """Player names."""
        return self._players

    @property
    def num_players(self) -> int:
        return len(self._players)

    @property
    def num_nodes(self) -> int:
        return int(self._parent.shape[0])

    @property
    def num_infosets(self) -> int:
        """Number of information sets, chance ones included."""
        return int(self._infoset_first.shape[0])

    @property
    def title(self) -> str:
        return self._title

    def player_index(self, player: str | int) -> int:
        """Index of ``player`` given by name or index.

        Examples
        --------
        >>> ExtensiveGame.from_tree(["A", "B"], Terminal([0, 0])).player_index("B")
        1
        """
        if isinstance(player, (int, np.integer)) and not isinstance(player, bool):
            if not -1 <= int(player) < self.num_players:
                raise GameError(f"no player number {player}; players are 0..{self.num_players - 1}")
            return int(player)
        if player in self._players:
            return self._players.index(player)
        raise GameError(f"no player {player!r}; players are {list(self._players)}")

    # ------------------------------------------------------------------ vectorised sweeps
    @cached_property
    def _levels(self) -> tuple[np.ndarray, ...]:
        order = np.argsort(self._depth, kind="stable")
        bounds = np.searchsorted(self._depth[order], np.arange(int(self._depth.max()) + 2))
        return tuple(order[bounds[d] : bounds[d + 1]] for d in range(bounds.shape[0] - 1))

    @cached_property
    def _level_groups(self) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Deepest level first: (nodes, start of each sibling group, the groups' parents)."""
        order = np.argsort(self._depth, kind="stable")[1:]
        parents = self._parent[order]
        depths = self._depth[order]
        group = np.flatnonzero(np.r_[True, parents[1:] != parents[:-1]])
        bounds = np.searchsorted(depths, np.arange(1, int(self._depth.max()) + 2))
        group_bounds = np.searchsorted(group, bounds)
        out = []
        for d in range(bounds.shape[0] - 2, -1, -1):
            lo, hi = bounds[d], bounds[d + 1]
            starts = group[group_bounds[d] : group_bounds[d + 1]]
            out.append((order[lo:hi], starts - lo, parents[starts]))
        return out

    def depth_levels(self) -> tuple[np.ndarray, ...]:
        """Nodes at each depth, in pre-order (children of one parent are contiguous).

        Examples
        --------
        >>> g = ExtensiveGame.from_tree(
        ...     ["A"], Decision("A", {"x": Terminal([0]), "y": Terminal([1])}))
        >>> [level.tolist() for level in g.depth_levels()]
        [[0], [1, 2]]
        """
        return self._levels

    def path_products(self, edge_values: Any) -> np.ndarray:
        """Product of ``edge_values[u]`` over the path from the root to each node.

        ``edge_values`` has shape ``(K,)`` or ``(K, m)``; entry ``u`` weights the move
        into ``u`` (the root's entry is ignored, the root gets 1). With behaviour
        probabilities this gives realisation probabilities. Pointer doubling.

        Examples
        --------
        >>> g = ExtensiveGame.from_tree(
        ...     ["A"], Decision("A", {"x": Terminal([0]), "y": Terminal([1])}))
        >>> g.path_products([7.0, 0.25, 0.75]).tolist()
        [1.0, 0.25, 0.75]
        """
        values = np.array(edge_values, dtype=float)
        if values.shape[:1] != (self.num_nodes,):
            raise GameError(f"edge values need one row per node ({self.num_nodes})")
        values[0] = 1.0
        return _path_reduce(self._parent, values, np.multiply, 1.0)

    def backward_values(self, edge_weights: Any, terminal_values: Any) -> np.ndarray:
        """Backward induction of weighted sums: value of a node = sum of weight x child value.

        Terminal nodes take their row of ``terminal_values`` (shape ``(K, ...)``); an
        inner node ``v`` gets ``sum(edge_weights[c] * value[c])`` over its children
        ``c``. With behaviour probabilities this is each node's expected payoff.
        Sweeps the depth levels from the deepest up.

        Examples
        --------
        >>> g = ExtensiveGame.from_tree(
        ...     ["A"], Decision("A", {"x": Terminal([2]), "y": Terminal([4])}))
        >>> g.backward_values([1, 0.5, 0.5], g.terminal_payoffs).ravel().tolist()
        [3.0, 2.0, 4.0]
        """
        weights = np.asarray(edge_weights, dtype=float)
        leaves = np.asarray(terminal_values, dtype=float)
        if weights.shape != (self.num_nodes,) or leaves.shape[:1] != (self.num_nodes,):
            raise GameError(
                f"edge_weights must have shape ({self.num_nodes},) and terminal_values "
                f"{self.num_nodes} rows"
            )
        values = np.zeros(leaves.shape)
        terminal = self._terminal_nodes
        values[terminal] = leaves[terminal]
        extra = (slice(None),) + (None,) * (leaves.ndim - 1)
        weighted = weights[extra]
        for nodes, starts, parents in self._level_groups:
            values[parents] = np.add.reduceat(weighted[nodes] * values[nodes], starts, axis=0)
        return values

    # ------------------------------------------------------------------ normal forms
    def plans(self, player: str | int, reduced: bool = True, max_plans: int = 10**6) -> list[Plan]:
        """``player``'s pure strategies as plans; see :func:`simulator.games.reduced_form.plans`."""
        return reduced_form.plans(self, player, reduced, max_plans)

    def strategic_form(
        self, reduced: bool = True, max_profiles: int = 10**6
    ) -> tuple[NormalFormGame, list[list[Plan]]]:
        """The strategic (normal) form, with each player's plans.

        See :func:`simulator.games.reduced_form.strategic_form`.
        """
        return reduced_form.strategic_form(self, reduced, max_profiles)

    def agent_form(self, max_profiles: int = 10**6) -> NormalFormGame:
        """The agent normal form; see :func:`simulator.games.reduced_form.agent_form`."""
        return reduced_form.agent_form(self, max_profiles)

    # ------------------------------------------------------------------ Kuhn's theorem
    def behaviour_vectors_from_mixed(
        self, plans: Sequence[Sequence[Plan]], mixed: Sequence[Any]
    ) -> list[np.ndarray | None]:
        """Behaviour probabilities realisation-equivalent to a mixed profile.

        See :func:`simulator.games.reduced_form.behaviour_vectors_from_mixed`.
        """
        return reduced_form.behaviour_vectors_from_mixed(self, plans, mixed)

    def mixed_from_behaviour(
        self, profile: BehaviourProfile, plans: Sequence[Sequence[Plan]] | None = None
    ) -> list[np.ndarray]:
        """The mixed profile realisation-equivalent to a behaviour profile.

        See :func:`simulator.games.reduced_form.mixed_from_behaviour`.
        """
        return reduced_form.mixed_from_behaviour(self, profile, plans)

    # ------------------------------------------------------------------ rendering
    def to_text(self, max_depth: int | None = None, precision: int = 6) -> str:
        """An indented rendering: chance probabilities, movers, information sets, payoffs.

        Terminal nodes show total payoffs; an outcome attached to an inner node is
        shown as ``+(...)``.

        Examples
        --------
        >>> g = ExtensiveGame.from_tree(["A", "B"], Chance({
        ...     "h": ("1/2", Decision("A", {"x": Terminal([1, 0]), "y": Terminal([0, 1])}, "a")),
        ...     "t": ("1/2", Decision("A", {"x": Terminal([0, 1]), "y": Terminal([1, 0])}, "a"))}),
        ...     title="Guess")
        >>> print(g.to_text())
        Guess
        chance
          h (1/2): A [a]
            x: (1, 0)
            y: (0, 1)
          t (1/2): A [a]
            x: (0, 1)
            y: (1, 0)
        """
        lines = [self._title] if self._title else []
        infosets = self.infosets
        skipped = False
        for v in range(self.num_nodes):
            d = int(self._depth[v])
            if max_depth is not None and d > max_depth:
                if not skipped:
                    lines.append("  " * d + "...")
                skipped = True
                continue
            skipped = False
            head = ""
            if v > 0:
                p = int(self._parent[v])
                head = infosets[self._node_infoset[p]].actions[self._action_index[v]]
                if self._node_kind[p] == CHANCE:
                    head += f" ({self._probability_text(p, int(self._action_index[v]), precision)})"
                head += ": "
            kind = int(self._node_kind[v])
            if kind == TERMINAL:
                body = _format_vector(self._terminal_payoffs[v], precision)
            elif kind == DECISION:
                h = int(self._node_infoset[v])
                body = f"{self._players[self._node_player[v]]} [{infosets[h].label}]"
            else:
                body = "chance"
            if self._node_labels[v]:
                body += f" {self._node_labels[v]!r}"
            if kind != TERMINAL and np.any(self._node_payoffs[v] != 0):
                body += f" +{_format_vector(self._node_payoffs[v], precision)}"
            lines.append("  " * d + head + body)
        return "\n".join(lines)

    def _probability_text(self, chance_node: int, action: int, precision: int) -> str:
        info = self.infosets[self._node_infoset[chance_node]]
        if info.exact_probabilities is not None:
            return str(info.exact_probabilities[action])
        return format_number(float(info.probabilities[action]), precision)  # type: ignore[index]

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        title = f" {self._title!r}" if self._title else ""
        decisions = int(np.sum(self._infoset_player >= 0))
        chance = self.num_infosets - decisions
        return (
            f"<ExtensiveGame{title} {self.num_players} players {list(self._players)}, "
            f"{self.num_nodes} nodes ({self._terminal_nodes.shape[0]} terminal), "
            f"{decisions} information sets, {chance} chance nodes>"
        )

    # ------------------------------------------------------------------ pre-order
    @staticmethod
    def preorder(parent: Any) -> np.ndarray:
        """Depth-first pre-order position of each node of a tree given by parent pointers.

        Children are visited in increasing index order. Validates the tree: one root
        (parent ``-1``), parents in range, no cycles. The pre-order successor of a node
        is its first child, else the next sibling of its nearest ancestor-or-self that
        has one; positions come from list ranking of that successor list by pointer
        doubling (Wyllie 1979), O(K log K) work in O(log K) vectorised passes.

        Examples
        --------
        >>> ExtensiveGame.preorder([-1, 0, 0, 1, 1]).tolist()
        [0, 1, 4, 2, 3]
        """
        return _preorder_and_depth(_as_index_array(parent, "parent"))[0]
