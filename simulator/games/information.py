"""Information sets of an extensive-form game and what they imply.

:class:`InformationStructure` is a mixin of :class:`~simulator.games.extensive.ExtensiveGame`
holding what follows from the information sets of a built tree: their members, labels and
:class:`~simulator.games.tree.InfoSet` records and the lookups by player and label; whether every
information set is a single node (perfect information) and whether every player has perfect
recall (Kuhn 1953); each player's sequences of own moves (von Stengel 1996); and which nodes root
subgames, and the subgame below such a node (Selten 1975). Its methods read the arrays that
``ExtensiveGame`` stores and are called as methods of the game.

References
----------
.. [1] H. W. Kuhn, "Extensive games and the problem of information", in
   *Contributions to the Theory of Games II*, Annals of Mathematics Studies 28,
   Princeton University Press, 1953, pp. 193-216 (information sets, perfect recall).
.. [2] R. Selten, "Reexamination of the perfectness concept for equilibrium points
   in extensive games", *International Journal of Game Theory* 4 (1975) 25-55
   (subgames).
.. [3] B. von Stengel, "Efficient computation of behavior strategies", *Games and
   Economic Behavior* 14 (1996) 220-246 (sequences).
"""

from __future__ import annotations

from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from simulator.games.errors import GameError
from simulator.games.tree import DECISION, TERMINAL, InfoSet, _nearest_marked, _range_reduce

if TYPE_CHECKING:
    from simulator.games.extensive import ExtensiveGame

__all__ = ["InformationStructure"]


class InformationStructure:
    """Information sets, perfect recall, sequences and subgames of an ``ExtensiveGame``.

    A mixin: :class:`~simulator.games.extensive.ExtensiveGame` inherits these methods, which
    read the node and information-set arrays the game stores (hence ``self: ExtensiveGame``).

    Attributes
    ----------
    infosets : tuple of InfoSet
        All information sets (chance ones included), ordered by first node in pre-order;
        the other members are methods (:meth:`player_infosets`, :meth:`sequences`,
        :meth:`subgame_roots` ...).
    """

    # ------------------------------------------------------------------ information sets
    @cached_property
    def _infoset_members(self: ExtensiveGame) -> tuple[np.ndarray, np.ndarray]:
        """CSR of information-set members: nodes of ``h`` are ``nodes[start[h]:start[h+1]]``."""
        inner = np.flatnonzero(self._node_infoset >= 0)
        order = np.argsort(self._node_infoset[inner], kind="stable")
        nodes = inner[order]
        counts = np.bincount(self._node_infoset[inner], minlength=self._infoset_first.shape[0])
        start = np.zeros(counts.shape[0] + 1, dtype=np.int64)
        np.cumsum(counts, out=start[1:])
        return start, nodes

    def _node_actions(self: ExtensiveGame, v: int) -> tuple[str, ...]:
        kids = self._children[self._child_start[v] : self._child_start[v + 1]]
        if self._edge_labels is None:
            return tuple(str(a + 1) for a in range(kids.shape[0]))
        return tuple(self._edge_labels[c] for c in kids)

    def _path_label(self: ExtensiveGame, v: int) -> str:
        path = []
        while v > 0:
            path.append(self._edge_label(v))
            v = int(self._parent[v])
        return ">".join(reversed(path)) if path else "root"

    def _edge_label(self: ExtensiveGame, v: int) -> str:
        if self._edge_labels is None:
            return str(int(self._action_index[v]) + 1)
        return self._edge_labels[v]

    def _raw_infoset_label(self: ExtensiveGame, h: int) -> str:
        first = int(self._infoset_first[h])
        key = int(self._infoset_keys[first])
        label = self._key_labels.get(key, "") if key >= 0 else ""
        if not label and key >= 0 and self._label_style == "node":
            label = str(key)
        if not label:
            label = self._node_labels[first]
        if not label:
            label = self._path_label(first) if self._label_style == "path" else f"n{first}"
        return str(label)

    def _infoset_label_of(self: ExtensiveGame, h: int) -> str:
        if "infosets" in self.__dict__:
            return self.infosets[h].label
        return self._raw_infoset_label(h)

    @cached_property
    def _infoset_labels(self: ExtensiveGame) -> tuple[str, ...]:
        labels = []
        taken: set[tuple[int, str]] = set()
        for h, player in enumerate(self._infoset_player.tolist()):
            base = label = self._raw_infoset_label(h)
            copy = 1
            while (player, label) in taken:
                copy += 1
                label = f"{base} ({copy})"
            taken.add((player, label))
            labels.append(label)
        return tuple(labels)

    @cached_property
    def infosets(self: ExtensiveGame) -> tuple[InfoSet, ...]:
        """All information sets (chance ones included), ordered by first node in pre-order.

        Examples
        --------
        >>> from simulator.games.extensive import Chance, ExtensiveGame, Terminal
        >>> g = ExtensiveGame.from_tree(["A"], Chance({"a": ("1/3", Terminal([0])),
        ...                                             "b": ("2/3", Terminal([1]))}))
        >>> g.infosets[0].exact_probabilities
        (Fraction(1, 3), Fraction(2, 3))
        """
        start, members = self._infoset_members
        start_list, member_list = start.tolist(), members.tolist()
        first_list = self._infoset_first.tolist()
        kid_start = self._child_start.tolist()
        kids = self._children.tolist()
        default_actions: dict[int, tuple[str, ...]] = {}
        out = []
        for h, (label, player) in enumerate(
            zip(self._infoset_labels, self._infoset_player.tolist())
        ):
            first = first_list[h]
            mine = kids[kid_start[first] : kid_start[first + 1]]
            if self._edge_labels is None:
                n = len(mine)
                if n not in default_actions:
                    default_actions[n] = tuple(str(a + 1) for a in range(n))
                actions = default_actions[n]
            else:
                actions = tuple(self._edge_labels[c] for c in mine)
            probs: tuple[float, ...] | None = None
            exact: tuple[Fraction, ...] | None = None
            if player < 0:
                probs = tuple(float(self._chance_edge[c]) for c in mine)
                fractions = tuple(
                    self._edge_exact.get(c) or Fraction(repr(p)) for c, p in zip(mine, probs)
                )
                exact = fractions if sum(fractions) == 1 else None
            out.append(
                InfoSet(
                    player=player,
                    label=label,
                    actions=actions,
                    nodes=tuple(member_list[start_list[h] : start_list[h + 1]]),
                    probabilities=probs,
                    exact_probabilities=exact,
                )
            )
        return tuple(out)

    def player_infosets(self: ExtensiveGame, player: str | int) -> list[int]:
        """Indices of the information sets of ``player`` (``-1`` for chance).

        Examples
        --------
        >>> from simulator.games.extensive import Decision, ExtensiveGame, Terminal
        >>> g = ExtensiveGame.from_tree(["A"], Decision("A", {"x": Terminal([0])}))
        >>> g.player_infosets("A"), g.player_infosets(-1)
        ([0], [])
        """
        index = self.player_index(player)
        return [int(h) for h in np.flatnonzero(self._infoset_player == index)]

    def infoset_index(self: ExtensiveGame, player: str | int, label: str) -> int:
        """Index of ``player``'s information set called ``label``.

        Examples
        --------
        >>> from simulator.games.extensive import Decision, ExtensiveGame, Terminal
        >>> g = ExtensiveGame.from_tree(["A"], Decision("A", {"x": Terminal([0])}, "start"))
        >>> g.infoset_index("A", "start")
        0
        """
        index = self.player_index(player)
        lookup = self._label_lookup
        if (index, str(label)) not in lookup:
            known = [self.infosets[h].label for h in self.player_infosets(index)]
            who = "chance" if index < 0 else repr(self._players[index])
            raise GameError(f"{who} has no information set {label!r}; it has {known}")
        return lookup[(index, str(label))]

    @cached_property
    def _label_lookup(self: ExtensiveGame) -> dict[tuple[int, str], int]:
        return {(h.player, h.label): k for k, h in enumerate(self.infosets)}

    # ------------------------------------------------------------------ structure tests
    def is_perfect_information(self: ExtensiveGame) -> bool:
        """True if every information set of a player is a single node.

        Examples
        --------
        >>> from simulator.games.extensive import Decision, ExtensiveGame, Terminal
        >>> g = ExtensiveGame.from_tree(["A"], Decision("A", {"x": Terminal([0])}))
        >>> g.is_perfect_information()
        True
        """
        start, _ = self._infoset_members
        sizes = np.diff(start)
        return bool(np.all(sizes[self._infoset_player >= 0] == 1))

    @cached_property
    def _last_own_action(self: ExtensiveGame) -> np.ndarray:
        """(K, N) flat index of each player's last own action on the path to a node (-1: none)."""
        k = self.num_nodes
        out = np.full((k, self.num_players), -1, dtype=np.int64)
        parent_player = np.where(self._parent >= 0, self._node_player[self._parent], -1)
        parent_player[0] = -1
        for i in range(self.num_players):
            holder = _nearest_marked(self._parent, parent_player == i)
            out[:, i] = np.where(holder >= 0, self._edge_action[np.maximum(holder, 0)], -1)
        out.setflags(write=False)
        return out

    def has_perfect_recall(self: ExtensiveGame) -> bool:
        """True if every player remembers their own earlier information sets and actions.

        Checked as: all nodes of an information set have the same last own
        (information set, action) pair; by induction this makes the whole own
        sequence equal (Kuhn 1953).

        Examples
        --------
        >>> from simulator.games.extensive import Decision, ExtensiveGame, Terminal
        >>> forgetful = ExtensiveGame.from_tree(["A"], Decision("A", {
        ...     "L": Decision("A", {"l": Terminal([1]), "r": Terminal([0])}, "h"),
        ...     "R": Decision("A", {"l": Terminal([0]), "r": Terminal([1])}, "h")}))
        >>> forgetful.has_perfect_recall()
        False
        """
        return self._perfect_recall

    @cached_property
    def _perfect_recall(self: ExtensiveGame) -> bool:
        last = self._last_own_action
        decision = np.flatnonzero(self._node_kind == DECISION)
        players = self._node_player[decision]
        first = self._infoset_first[self._node_infoset[decision]]
        return bool(np.all(last[decision, players] == last[first, players]))

    def require_perfect_recall(self: ExtensiveGame, what: str) -> None:
        """Raise :class:`GameError` saying that ``what`` needs perfect recall, if the game
        lacks it (Kuhn's theorem, which turns mixed strategies into behaviour strategies,
        needs it).

        Parameters
        ----------
        what : str
            What needs it, as the message's subject.
        """
        if not self.has_perfect_recall():
            raise GameError(
                f"{what} needs perfect recall, and this game does not have it (some player "
                "forgets an own earlier action or information set); Kuhn's theorem does not apply"
            )

    # ------------------------------------------------------------------ sequences
    @cached_property
    def _sequence_of_action(self: ExtensiveGame) -> np.ndarray:
        """(A,) sequence index (within its owner's list) of each flat action; 0 for chance."""
        owner = np.repeat(self._infoset_player, self._num_actions)
        out = np.zeros(owner.shape[0], dtype=np.int64)
        for i in range(self.num_players):
            mine = np.flatnonzero(owner == i)
            out[mine] = 1 + np.arange(mine.shape[0])
        return out

    def node_sequences(self: ExtensiveGame) -> np.ndarray:
        """(K, N) index into ``sequences(i)`` of player ``i``'s sequence leading to each node.

        The sequence of ``(information set, action)`` index pairs ``i`` plays on the path
        to the node (0 = the empty sequence) — the row/column index of the node in the
        sequence form (von Stengel 1996).

        Examples
        --------
        >>> from simulator.games.extensive import Decision, ExtensiveGame, Terminal
        >>> g = ExtensiveGame.from_tree(
        ...     ["A"], Decision("A", {"x": Terminal([0]), "y": Terminal([1])}))
        >>> g.node_sequences()[:, 0].tolist()
        [0, 1, 2]
        """
        last = self._last_own_action
        out = np.where(last >= 0, self._sequence_of_action[np.maximum(last, 0)], 0)
        out.setflags(write=False)
        return out

    def sequences(self: ExtensiveGame, player: str | int) -> list[tuple[tuple[int, int], ...]]:
        """``player``'s sequences, each a tuple of (information set, action) index pairs.

        Sequence 0 is the empty sequence; then one per action of ``player``, in the
        order of information sets and actions. Requires perfect recall.

        Examples
        --------
        >>> from simulator.games.extensive import Decision, ExtensiveGame, Terminal
        >>> g = ExtensiveGame.from_tree(["A"], Decision("A", {
        ...     "x": Decision("A", {"u": Terminal([0]), "v": Terminal([1])}), "y": Terminal([2])}))
        >>> g.sequences("A")
        [(), ((0, 0),), ((0, 1),), ((0, 0), (1, 0)), ((0, 0), (1, 1))]
        """
        index = self.player_index(player)
        self.require_perfect_recall("sequences")
        parent_seq = self.node_sequences()[:, index]
        out: list[tuple[tuple[int, int], ...]] = [()]
        for h in self.player_infosets(index):
            before = out[int(parent_seq[self._infoset_first[h]])]
            out.extend(before + ((h, a),) for a in range(int(self._num_actions[h])))
        return out

    # ------------------------------------------------------------------ subgames
    def _infoset_spans(self: ExtensiveGame) -> tuple[np.ndarray, np.ndarray]:
        """Per node: first and last node of its information set (the node itself if terminal)."""
        start, members = self._infoset_members
        lo = np.arange(self.num_nodes)
        hi = np.arange(self.num_nodes)
        inner = self._node_infoset >= 0
        h = self._node_infoset[inner]
        lo[inner] = members[start[h]]
        hi[inner] = members[start[h + 1] - 1]
        return lo, hi

    def subgame_roots(self: ExtensiveGame) -> list[int]:
        """Non-terminal nodes that root a subgame, in pre-order (the root always).

        ``v`` roots a subgame when every information set containing a node of the
        subtree of ``v`` lies entirely inside that subtree (Selten 1975). Terminal
        nodes are left out. Uses range minima over the pre-order layout.

        Examples
        --------
        >>> from simulator.games.extensive import Decision, ExtensiveGame, Terminal
        >>> g = ExtensiveGame.from_tree(["A", "B"], Decision("A", {
        ...     "out": Terminal([1, 1]),
        ...     "in": Decision("A", {
        ...         "x": Decision("B", {"l": Terminal([2, 0]), "r": Terminal([0, 2])}, "b"),
        ...         "y": Decision("B", {"l": Terminal([0, 2]), "r": Terminal([2, 0])}, "b")})}))
        >>> g.subgame_roots()
        [0, 2]
        """
        lo, hi = self._infoset_spans()
        candidates = np.flatnonzero(self._node_kind != TERMINAL)
        ends = self.subtree_end[candidates]
        low = _range_reduce(lo, candidates, ends, np.minimum)
        high = _range_reduce(hi, candidates, ends, np.maximum)
        ok = (low >= candidates) & (high < ends)
        return [int(v) for v in candidates[ok]]

    def subtree(self: ExtensiveGame, node: int) -> ExtensiveGame:
        """The subgame rooted at ``node``, with the outcomes accumulated above it added.

        Raises
        ------
        GameError
            If ``node`` roots no subgame (an information set straddles its subtree).

        Examples
        --------
        >>> from simulator.games.extensive import Decision, ExtensiveGame, Terminal
        >>> g = ExtensiveGame.from_tree(["A"], Decision("A", {"x": Terminal([0]),
        ...     "y": Decision("A", {"u": Terminal([1]), "v": Terminal([2])}, payoffs=[10])}))
        >>> sub = g.subtree(2)
        >>> sub.num_nodes, sub.terminal_payoffs[sub.terminal_nodes].ravel().tolist()
        (3, [11.0, 12.0])
        """
        k = self.num_nodes
        if not 0 <= int(node) < k:
            raise GameError(f"no node {node}; nodes are 0..{k - 1}")
        v = int(node)
        end = int(self.subtree_end[v])
        lo, hi = self._infoset_spans()
        straddle = np.flatnonzero((lo[v:end] < v) | (hi[v:end] >= end))
        if straddle.size:
            h = int(self._node_infoset[v + straddle[0]])
            raise GameError(
                f"node {v} roots no subgame: information set {self.infosets[h].label!r} has "
                f"nodes inside and outside its subtree (subgame roots include "
                f"{self.subgame_roots()[:20]})"
            )
        span = slice(v, end)
        parent = self._parent[span] - v
        parent[0] = -1
        outcome = self._node_payoffs[span].copy()
        above = int(self._parent[v])
        while above >= 0:
            outcome[0] += self._node_payoffs[above]
            above = int(self._parent[above])
        kind = self._node_kind[span]
        infoset = self._node_infoset[span]
        labels = self._infoset_labels
        return type(self)._from_preorder(
            players=self._players,
            parent=parent,
            depth=self._depth[span] - self._depth[v],
            node_kind=kind,
            node_player=self._node_player[span],
            infoset_keys=infoset.copy(),
            node_payoffs=outcome,
            edge_probabilities=self._chance_edge[span],
            edge_exact={c - v: f for c, f in self._edge_exact.items() if v < c < end},
            edge_labels=(
                None if self._edge_labels is None else ("",) + self._edge_labels[v + 1 : end]
            ),
            node_labels=self._node_labels[span],
            key_labels={int(h): labels[h] for h in np.unique(infoset[infoset >= 0])},
            label_style=self._label_style,
            title=f"{self._title} (subgame at node {v})" if self._title else "",
            check_action_labels=False,
        )
