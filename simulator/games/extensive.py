"""Extensive-form games: game trees with chance, information sets and outcomes.

An :class:`ExtensiveGame` is immutable and stored as flat numpy arrays with the
nodes in depth-first pre-order (node 0 is the root), so the subtree of a node is
a contiguous range of node indices. Tree computations batch over nodes:

* sums and products along root-to-node paths use pointer doubling (Wyllie 1979),
  O(log depth) vectorised passes whatever the shape of the tree;
* backward induction sweeps the depth levels from the deepest up;
* the pre-order numbering of an arbitrary parent array is found by list ranking
  of the Euler successor of each node, again by pointer doubling.

Analysts build small games with the nested builder (:class:`Decision`,
:class:`Chance`, :class:`Terminal` and :meth:`ExtensiveGame.from_tree`); programs
build large trees with :meth:`ExtensiveGame.from_arrays`.

References
----------
.. [1] H. W. Kuhn, "Extensive games and the problem of information", in
   *Contributions to the Theory of Games II*, Annals of Mathematics Studies 28,
   Princeton University Press, 1953, pp. 193-216 (information sets, perfect
   recall, behaviour strategies).
.. [2] R. Selten, "Reexamination of the perfectness concept for equilibrium points
   in extensive games", *International Journal of Game Theory* 4 (1975) 25-55
   (subgames, agent normal form).
.. [3] M. J. Osborne and A. Rubinstein, *A Course in Game Theory*, MIT Press, 1994,
   ch. 6 and 11 (reduced strategic form, perfect recall).
.. [4] B. von Stengel, "Efficient computation of behavior strategies", *Games and
   Economic Behavior* 14 (1996) 220-246 (sequences).
.. [5] J. C. Wyllie, *The Complexity of Parallel Computations*, PhD thesis, Cornell
   University, 1979 (pointer jumping, list ranking).
.. [6] M. A. Bender and M. Farach-Colton, "The LCA problem revisited", *LATIN 2000*,
   LNCS 1776, pp. 88-94 (sparse-table range minima).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from simulator.games.errors import GameError
from simulator.games.normal_form import NormalFormGame

if TYPE_CHECKING:
    from simulator.games.behaviour import BehaviourProfile

__all__ = [
    "TERMINAL",
    "DECISION",
    "CHANCE",
    "ExtensiveGame",
    "InfoSet",
    "Decision",
    "Chance",
    "Terminal",
]

#: Node kinds stored in :attr:`ExtensiveGame.node_kind`.
TERMINAL, DECISION, CHANCE = 0, 1, 2

#: Chance probabilities must sum to 1 within this tolerance.
PROBABILITY_TOLERANCE = 1e-9

Plan = dict[int, int]


# ---------------------------------------------------------------------- builder nodes
@dataclass(frozen=True, eq=False)
class Terminal:
    """A terminal node of a game tree built with :meth:`ExtensiveGame.from_tree`.

    Parameters
    ----------
    payoffs : sequence of numbers
        One finite payoff per player (the outcome at this node; outcomes attached to
        nodes above it are added to give the total).
    label : str, optional
        A node label shown in renderings.

    Examples
    --------
    >>> Terminal([1, -1]).payoffs
    [1, -1]
    """

    payoffs: Sequence[Any]
    label: str | None = None


@dataclass(frozen=True, eq=False)
class Decision:
    """A decision node of a game tree built with :meth:`ExtensiveGame.from_tree`.

    Parameters
    ----------
    player : str or int
        The mover, by name or index.
    actions : mapping of str to node
        ``{action label: subtree}`` in the order the actions are offered.
    infoset : str, optional
        Name of the information set; the player's nodes with the same name form one
        information set. ``None`` makes the node a singleton information set.
    label : str, optional
        A node label shown in renderings.
    payoffs : sequence of numbers, optional
        An outcome attached to this node, added to the payoffs of every terminal
        node below it (as in Gambit's outcomes at non-terminal nodes).

    Examples
    --------
    >>> node = Decision("A", {"L": Terminal([1, 0]), "R": Terminal([0, 1])})
    >>> list(node.actions)
    ['L', 'R']
    """

    player: str | int
    actions: Mapping[str, Node]
    infoset: str | None = None
    label: str | None = None
    payoffs: Sequence[Any] | None = None


@dataclass(frozen=True, eq=False)
class Chance:
    """A chance node of a game tree built with :meth:`ExtensiveGame.from_tree`.

    Parameters
    ----------
    actions : mapping of str to (probability, node)
        ``{action label: (probability, subtree)}``. Probabilities may be floats,
        integers, :class:`fractions.Fraction` or strings such as ``"1/3"``; they must
        be non-negative and sum to 1 (tolerance ``1e-9``).
    label : str, optional
        A node label shown in renderings.
    payoffs : sequence of numbers, optional
        An outcome attached to this node (see :class:`Decision`).

    Examples
    --------
    >>> coin = Chance({"H": ("1/2", Terminal([1])), "T": (0.5, Terminal([0]))})
    >>> coin.actions["H"][0]
    '1/2'
    """

    actions: Mapping[str, tuple[Any, Node]]
    label: str | None = None
    payoffs: Sequence[Any] | None = None


Node = Decision | Chance | Terminal


@dataclass(frozen=True)
class InfoSet:
    """An information set: nodes of one mover that the mover cannot tell apart.

    Attributes
    ----------
    player : int
        Index of the mover; ``-1`` for chance.
    label : str
        Unique among the mover's information sets.
    actions : tuple of str
        Action labels, in order.
    nodes : tuple of int
        Member nodes, in pre-order.
    probabilities : tuple of float or None
        Chance probabilities of the actions (chance information sets only).
    exact_probabilities : tuple of Fraction or None
        The same as exact rationals, when the given probabilities sum exactly to 1.

    Examples
    --------
    >>> InfoSet(0, "root", ("L", "R"), (0,)).num_actions
    2
    """

    player: int
    label: str
    actions: tuple[str, ...]
    nodes: tuple[int, ...]
    probabilities: tuple[float, ...] | None = None
    exact_probabilities: tuple[Fraction, ...] | None = None

    @property
    def is_chance(self) -> bool:
        return self.player < 0

    @property
    def num_actions(self) -> int:
        return len(self.actions)


# ---------------------------------------------------------------------- array kernels
def _path_reduce(parent: np.ndarray, values: np.ndarray, ufunc: np.ufunc, identity: Any) -> Any:
    """Reduce ``values`` over each root-to-node path (inclusive) by pointer doubling.

    After pass ``j`` every node holds the reduction over its ``2**j`` nearest
    ancestors-or-self, so ``ceil(log2(depth + 1))`` passes suffice (Wyllie 1979).
    """
    k = parent.shape[0]
    anc = np.empty(k + 1, dtype=np.intp)
    anc[:k] = np.where(parent < 0, k, parent)
    anc[k] = k
    acc = np.empty((k + 1, *values.shape[1:]), dtype=values.dtype)
    acc[:k] = values
    acc[k] = identity
    for _ in range(k.bit_length() + 2):
        if np.all(anc == k):
            return acc[:k]
        acc = ufunc(acc, acc[anc])
        anc = anc[anc]
    raise GameError("the parent array contains a cycle")  # pragma: no cover - validated earlier


def _nearest_marked(parent: np.ndarray, marked: np.ndarray) -> np.ndarray:
    """Nearest marked ancestor-or-self of each node (``-1`` if none), by pointer doubling."""
    k = parent.shape[0]
    target = np.empty(k + 1, dtype=np.intp)
    target[:k] = np.where(marked, np.arange(k), np.where(parent < 0, k, parent))
    target[k] = k
    done = np.append(np.asarray(marked, dtype=bool), True)
    for _ in range(k.bit_length() + 2):
        pending = ~done[target]
        if not pending.any():
            break
        target = np.where(pending, target[target], target)
    out = target[:k]
    return np.where(out == k, -1, out)


def _range_reduce(
    values: np.ndarray, starts: np.ndarray, stops: np.ndarray, ufunc: np.ufunc
) -> np.ndarray:
    """``ufunc.reduce(values[a:b])`` for many non-empty ranges, with a sparse table."""
    lengths = stops - starts
    if lengths.size == 0:
        return np.empty(0, dtype=values.dtype)
    level = np.floor(np.log2(lengths)).astype(np.intp)
    out = np.empty(lengths.shape, dtype=values.dtype)
    table = values
    for j in range(int(level.max()) + 1):
        if j:
            half = 1 << (j - 1)
            table = ufunc(table[:-half], table[half:])
        here = level == j
        if here.any():
            a, b = starts[here], stops[here] - (1 << j)
            out[here] = ufunc(table[a], table[b])
    return out


def _as_index_array(values: Any, name: str, size: int | None = None) -> np.ndarray:
    array = np.asarray(values)
    if array.ndim != 1:
        raise GameError(f"{name} must be a one-dimensional array; got shape {array.shape}")
    if array.size and not np.issubdtype(array.dtype, np.integer):
        if not np.all(np.isfinite(array)) or not np.all(array == np.round(array)):
            raise GameError(f"{name} must hold integers")
    array = array.astype(np.int64)
    if size is not None and array.shape[0] != size:
        raise GameError(f"{name} has {array.shape[0]} entries; the tree has {size} nodes")
    return array


def _check_players(players: Sequence[str]) -> tuple[str, ...]:
    if isinstance(players, str):
        raise GameError("players must be a list of names, not a single string")
    names = tuple(str(p) for p in players)
    if not names:
        raise GameError("a game needs at least one player")
    if len(set(names)) != len(names):
        raise GameError(f"player names must be unique; got {list(names)}")
    return names


def _parse_probability(value: Any) -> Fraction:
    """A chance probability as an exact rational (floats by their shortest decimal)."""
    if isinstance(value, bool):
        raise GameError(f"a probability must be a number, not {value!r}")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, (int, np.integer)):
        return Fraction(int(value))
    if isinstance(value, str):
        try:
            return Fraction(value.strip())
        except (ValueError, ZeroDivisionError):
            raise GameError(
                f"cannot read probability {value!r}; write e.g. '1/3' or '0.25'"
            ) from None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise GameError(f"a probability must be a number, not {value!r}") from None
    if not math.isfinite(number):
        raise GameError(f"a probability must be finite, not {value!r}")
    return Fraction(repr(number))


def _format_number(value: float, precision: int = 6) -> str:
    value = float(value)
    if value.is_integer():
        return str(int(value))
    return f"{value:.{precision}g}"


def _format_vector(values: np.ndarray, precision: int = 6) -> str:
    return "(" + ", ".join(_format_number(v, precision) for v in values) + ")"


# ---------------------------------------------------------------------- the game
class ExtensiveGame:
    """An immutable finite extensive-form game with chance and information sets.

    Build one with :meth:`from_tree` (nested builder) or :meth:`from_arrays`
    (``ExtensiveGame(...)`` takes the same arguments as :meth:`from_arrays`).
    Nodes are numbered in depth-first pre-order, the root is node 0 and the subtree
    of node ``v`` is the range ``v .. subtree_end[v] - 1``.

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
        num_players = len(names)
        parent = _as_index_array(parent, "parent")
        k = parent.shape[0]
        kind = _as_index_array(node_kind, "node_kind", k)
        bad = np.flatnonzero((kind < TERMINAL) | (kind > CHANCE))
        if bad.size:
            raise GameError(
                f"node_kind of node {bad[0]} is {kind[bad[0]]}; use TERMINAL=0, DECISION=1 "
                "or CHANCE=2"
            )
        new_index, depth = _preorder_and_depth(parent)
        nonroot = np.flatnonzero(parent >= 0)
        counts = np.bincount(parent[nonroot], minlength=k)
        _check_kinds_against_children(kind, counts)

        if node_player is None:
            if np.any(kind == DECISION):
                raise GameError("node_player is required when the tree has decision nodes")
            movers = np.full(k, -1, dtype=np.int64)
        else:
            movers = _as_index_array(node_player, "node_player", k)
        decision = kind == DECISION
        bad = np.flatnonzero(decision & ((movers < 0) | (movers >= num_players)))
        if bad.size:
            raise GameError(
                f"decision node {bad[0]} has player {movers[bad[0]]}; players are numbered "
                f"0..{num_players - 1} ({list(names)})"
            )
        movers = np.where(decision, movers, -1)
        if infoset_ids is None:
            keys = np.full(k, -1, dtype=np.int64)
        else:
            keys = _as_index_array(infoset_ids, "infoset_ids", k)

        if payoffs is None:
            outcome = np.zeros((k, num_players))
        else:
            try:
                outcome = np.array(payoffs, dtype=float)
            except (TypeError, ValueError) as exc:
                raise GameError(f"payoffs must be numbers: {exc}") from None
            if outcome.shape != (k, num_players):
                raise GameError(
                    f"payoffs must have shape (num_nodes, num_players) = {(k, num_players)}; "
                    f"got {outcome.shape}"
                )
            bad = np.flatnonzero(~np.all(np.isfinite(outcome), axis=1))
            if bad.size:
                raise GameError(f"payoffs of node {bad[0]} are not finite: {outcome[bad[0]]}")

        edge_prob = np.ones(k)
        edge_exact: dict[int, Fraction] = {}
        chance_children = nonroot[kind[parent[nonroot]] == CHANCE]
        if chance_children.size:
            if chance_probabilities is None:
                raise GameError("chance_probabilities is required when the tree has chance nodes")
            if (
                isinstance(chance_probabilities, np.ndarray)
                and chance_probabilities.dtype.kind in "iuf"
            ):
                probs = chance_probabilities.astype(float)
            else:
                # Lists may hold Fractions or strings such as "1/3": keep them exact.
                entries = list(chance_probabilities)
                if len(entries) == k:
                    edge_exact = {int(c): _parse_probability(entries[c]) for c in chance_children}
                probs = np.ones(len(entries))
                probs[list(edge_exact)] = [float(f) for f in edge_exact.values()]
            if probs.shape != (k,):
                raise GameError(
                    f"chance_probabilities must have one entry per node ({k}); got shape "
                    f"{probs.shape}"
                )
            edge_prob[chance_children] = probs[chance_children]
            _check_chance_sums(parent, chance_children, edge_prob, k, lambda v: f"chance node {v}")

        edge_names: tuple[str, ...] | None = None
        if action_labels is not None:
            if isinstance(action_labels, str) or len(action_labels) != k:
                raise GameError(
                    f"action_labels must list one label per node ({k}): the label of the "
                    "move into that node (the root's entry is ignored)"
                )
            edge_names = tuple(str(s) for s in action_labels)
            _check_distinct_actions(parent, nonroot, edge_names)
        names_of_nodes: tuple[str, ...] | None = None
        if node_labels is not None:
            if isinstance(node_labels, str) or len(node_labels) != k:
                raise GameError(f"node_labels must list one label per node ({k})")
            names_of_nodes = tuple("" if s is None else str(s) for s in node_labels)

        # Renumber to pre-order: old node order[j] becomes node j.
        order = np.empty(k, dtype=np.int64)
        order[new_index] = np.arange(k)
        old_parent = parent[order]
        new_parent = np.where(old_parent >= 0, new_index[np.maximum(old_parent, 0)], -1)
        self._setup(
            players=names,
            parent=new_parent,
            depth=depth[order],
            node_kind=kind[order],
            node_player=movers[order],
            infoset_keys=keys[order],
            node_payoffs=outcome[order],
            edge_probabilities=edge_prob[order],
            edge_exact={int(new_index[c]): f for c, f in edge_exact.items()},
            edge_labels=None if edge_names is None else tuple(edge_names[j] for j in order),
            node_labels=(
                None if names_of_nodes is None else tuple(names_of_nodes[j] for j in order)
            ),
            key_labels=None if infoset_labels is None else dict(infoset_labels),
            label_style="node",
            title=str(title),
            check_action_labels=edge_names is not None,
        )

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

    @cached_property
    def _infoset_members(self) -> tuple[np.ndarray, np.ndarray]:
        """CSR of information-set members: nodes of ``h`` are ``nodes[start[h]:start[h+1]]``."""
        inner = np.flatnonzero(self._node_infoset >= 0)
        order = np.argsort(self._node_infoset[inner], kind="stable")
        nodes = inner[order]
        counts = np.bincount(self._node_infoset[inner], minlength=self._infoset_first.shape[0])
        start = np.zeros(counts.shape[0] + 1, dtype=np.int64)
        np.cumsum(counts, out=start[1:])
        return start, nodes

    def _node_actions(self, v: int) -> tuple[str, ...]:
        kids = self._children[self._child_start[v] : self._child_start[v + 1]]
        if self._edge_labels is None:
            return tuple(str(a + 1) for a in range(kids.shape[0]))
        return tuple(self._edge_labels[c] for c in kids)

    def _path_label(self, v: int) -> str:
        path = []
        while v > 0:
            path.append(self._edge_label(v))
            v = int(self._parent[v])
        return ">".join(reversed(path)) if path else "root"

    def _edge_label(self, v: int) -> str:
        if self._edge_labels is None:
            return str(int(self._action_index[v]) + 1)
        return self._edge_labels[v]

    def _raw_infoset_label(self, h: int) -> str:
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

    def _infoset_label_of(self, h: int) -> str:
        if "infosets" in self.__dict__:
            return self.infosets[h].label
        return self._raw_infoset_label(h)

    @cached_property
    def _infoset_labels(self) -> tuple[str, ...]:
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
    def infosets(self) -> tuple[InfoSet, ...]:
        """All information sets (chance ones included), ordered by first node in pre-order.

        Examples
        --------
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

    def player_infosets(self, player: str | int) -> list[int]:
        """Indices of the information sets of ``player`` (``-1`` for chance).

        Examples
        --------
        >>> g = ExtensiveGame.from_tree(["A"], Decision("A", {"x": Terminal([0])}))
        >>> g.player_infosets("A"), g.player_infosets(-1)
        ([0], [])
        """
        index = self.player_index(player)
        return [int(h) for h in np.flatnonzero(self._infoset_player == index)]

    def infoset_index(self, player: str | int, label: str) -> int:
        """Index of ``player``'s information set called ``label``.

        Examples
        --------
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
    def _label_lookup(self) -> dict[tuple[int, str], int]:
        return {(h.player, h.label): k for k, h in enumerate(self.infosets)}

    # ------------------------------------------------------------------ structure tests
    def is_perfect_information(self) -> bool:
        """True if every information set of a player is a single node.

        Examples
        --------
        >>> g = ExtensiveGame.from_tree(["A"], Decision("A", {"x": Terminal([0])}))
        >>> g.is_perfect_information()
        True
        """
        start, _ = self._infoset_members
        sizes = np.diff(start)
        return bool(np.all(sizes[self._infoset_player >= 0] == 1))

    @cached_property
    def _last_own_action(self) -> np.ndarray:
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

    def has_perfect_recall(self) -> bool:
        """True if every player remembers their own earlier information sets and actions.

        Checked as: all nodes of an information set have the same last own
        (information set, action) pair; by induction this makes the whole own
        sequence equal (Kuhn 1953).

        Examples
        --------
        >>> forgetful = ExtensiveGame.from_tree(["A"], Decision("A", {
        ...     "L": Decision("A", {"l": Terminal([1]), "r": Terminal([0])}, "h"),
        ...     "R": Decision("A", {"l": Terminal([0]), "r": Terminal([1])}, "h")}))
        >>> forgetful.has_perfect_recall()
        False
        """
        return self._perfect_recall

    @cached_property
    def _perfect_recall(self) -> bool:
        last = self._last_own_action
        decision = np.flatnonzero(self._node_kind == DECISION)
        players = self._node_player[decision]
        first = self._infoset_first[self._node_infoset[decision]]
        return bool(np.all(last[decision, players] == last[first, players]))

    def _require_perfect_recall(self, what: str) -> None:
        if not self.has_perfect_recall():
            raise GameError(
                f"{what} needs perfect recall, and this game does not have it (some player "
                "forgets an own earlier action or information set); Kuhn's theorem does not apply"
            )

    # ------------------------------------------------------------------ sequences
    @cached_property
    def _sequence_of_action(self) -> np.ndarray:
        """(A,) sequence index (within its owner's list) of each flat action; 0 for chance."""
        owner = np.repeat(self._infoset_player, self._num_actions)
        out = np.zeros(owner.shape[0], dtype=np.int64)
        for i in range(self.num_players):
            mine = np.flatnonzero(owner == i)
            out[mine] = 1 + np.arange(mine.shape[0])
        return out

    def node_sequences(self) -> np.ndarray:
        """(K, N) index into ``sequences(i)`` of player ``i``'s sequence leading to each node.

        The sequence of ``(information set, action)`` index pairs ``i`` plays on the path
        to the node (0 = the empty sequence) — the row/column index of the node in the
        sequence form (von Stengel 1996).

        Examples
        --------
        >>> g = ExtensiveGame.from_tree(
        ...     ["A"], Decision("A", {"x": Terminal([0]), "y": Terminal([1])}))
        >>> g.node_sequences()[:, 0].tolist()
        [0, 1, 2]
        """
        last = self._last_own_action
        out = np.where(last >= 0, self._sequence_of_action[np.maximum(last, 0)], 0)
        out.setflags(write=False)
        return out

    def sequences(self, player: str | int) -> list[tuple[tuple[int, int], ...]]:
        """``player``'s sequences, each a tuple of (information set, action) index pairs.

        Sequence 0 is the empty sequence; then one per action of ``player``, in the
        order of information sets and actions. Requires perfect recall.

        Examples
        --------
        >>> g = ExtensiveGame.from_tree(["A"], Decision("A", {
        ...     "x": Decision("A", {"u": Terminal([0]), "v": Terminal([1])}), "y": Terminal([2])}))
        >>> g.sequences("A")
        [(), ((0, 0),), ((0, 1),), ((0, 0), (1, 0)), ((0, 0), (1, 1))]
        """
        index = self.player_index(player)
        self._require_perfect_recall("sequences")
        parent_seq = self.node_sequences()[:, index]
        out: list[tuple[tuple[int, int], ...]] = [()]
        for h in self.player_infosets(index):
            before = out[int(parent_seq[self._infoset_first[h]])]
            out.extend(before + ((h, a),) for a in range(int(self._num_actions[h])))
        return out

    # ------------------------------------------------------------------ subgames
    def _infoset_spans(self) -> tuple[np.ndarray, np.ndarray]:
        """Per node: first and last node of its information set (the node itself if terminal)."""
        start, members = self._infoset_members
        lo = np.arange(self.num_nodes)
        hi = np.arange(self.num_nodes)
        inner = self._node_infoset >= 0
        h = self._node_infoset[inner]
        lo[inner] = members[start[h]]
        hi[inner] = members[start[h + 1] - 1]
        return lo, hi

    def subgame_roots(self) -> list[int]:
        """Non-terminal nodes that root a subgame, in pre-order (the root always).

        ``v`` roots a subgame when every information set containing a node of the
        subtree of ``v`` lies entirely inside that subtree (Selten 1975). Terminal
        nodes are left out. Uses range minima over the pre-order layout.

        Examples
        --------
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

    def subtree(self, node: int) -> ExtensiveGame:
        """The subgame rooted at ``node``, with the outcomes accumulated above it added.

        Raises
        ------
        GameError
            If ``node`` roots no subgame (an information set straddles its subtree).

        Examples
        --------
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

    @cached_property
    def _chance_reach(self) -> np.ndarray:
        return self.path_products(self._chance_edge)

    # ------------------------------------------------------------------ pure plans
    def plans(self, player: str | int, reduced: bool = True, max_plans: int = 10**6) -> list[Plan]:
        """``player``'s pure strategies as plans ``{information set index: action index}``.

        Unreduced plans choose an action at every information set of the player.
        Reduced plans choose only at the information sets the plan itself does not
        make unreachable (Osborne and Rubinstein 1994, def. 94.1); the others are
        absent from the dict. Reduced plans are enumerated by branching on the
        earliest information set the partial plan can reach.

        Examples
        --------
        >>> g = ExtensiveGame.from_tree(["A"], Decision("A", {
        ...     "stop": Terminal([0]),
        ...     "go": Decision("A", {"a": Terminal([1]), "b": Terminal([2])})}))
        >>> g.plans("A")
        [{0: 0}, {0: 1, 1: 0}, {0: 1, 1: 1}]
        >>> len(g.plans("A", reduced=False))
        4
        """
        index = self.player_index(player)
        own = self.player_infosets(index)
        if not reduced:
            total = math.prod(int(self._num_actions[h]) for h in own)
            if total > max_plans:
                raise GameError(
                    f"player {self._players[index]!r} has {total} pure strategies "
                    f"(more than max_plans={max_plans}); use the reduced form or the sequence form"
                )
            ranges = [range(int(self._num_actions[h])) for h in own]
            return [dict(zip(own, choice)) for choice in itertools.product(*ranges)]
        return self._reduced_plans(index, max_plans)

    def _reduced_plans(self, player: int, max_plans: int) -> list[Plan]:
        kind = self._node_kind.tolist()
        mover = self._node_player.tolist()
        infoset = self._node_infoset.tolist()
        start = self._child_start.tolist()
        kids = self._children.tolist()

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
                        f"player {self._players[player]!r} has more than {max_plans} reduced "
                        "pure strategies; use the sequence form instead"
                    )
                continue
            h = min(infoset[u] for u in pending)
            here = [u for u in pending if infoset[u] == h]
            rest = [u for u in pending if infoset[u] != h]
            for a in reversed(range(int(self._num_actions[h]))):
                branch = dict(plan)
                branch[h] = a
                work.append((branch, rest + explore([kids[start[u] + a] for u in here], branch)))
        return out

    def _plan_reach(self, plans: Sequence[Plan], owned: np.ndarray) -> np.ndarray:
        """(n, K) bool: does each plan allow the moves (of ``owned`` infosets) into each node."""
        k = self.num_nodes
        kids = self._children
        constrained = kids[owned[self._node_infoset[self._parent[kids]]]]
        columns = self._node_infoset[self._parent[constrained]]
        choice = np.full((len(plans), self.num_infosets), -1, dtype=np.int64)
        for p, plan in enumerate(plans):
            for h, a in plan.items():
                choice[p, h] = a
        out = np.empty((len(plans), k), dtype=bool)
        chunk = max(1, (1 << 24) // max(k, 1))
        for lo in range(0, len(plans), chunk):
            block = choice[lo : lo + chunk]
            ok = np.ones((k, block.shape[0]), dtype=bool)
            ok[constrained] = (block[:, columns] == self._action_index[constrained]).T
            out[lo : lo + chunk] = _path_reduce(self._parent, ok, np.logical_and, True).T
        return out

    def _plan_labels(self, player: int, plans: Sequence[Plan]) -> list[str]:
        own = self.player_infosets(player)
        actions = [self.infosets[h].actions for h in own]
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

    def _payoff_tensor(self, reach: Sequence[np.ndarray], values: np.ndarray) -> np.ndarray:
        """Expected ``values`` (T, M) for every profile of plans; reach rows are (n_i, T)."""
        weights = self._chance_reach[self._terminal_nodes]
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
        self, reduced: bool = True, max_profiles: int = 10**6
    ) -> tuple[NormalFormGame, list[list[Plan]]]:
        """The strategic (normal) form, with each player's plans.

        Pure strategies are plans (see :meth:`plans`). In the reduced form, plans that
        differ only at information sets they themselves make unreachable are merged;
        a strategy label lists the player's actions at their information sets in
        index order joined by ``"/"``, with ``"*"`` at irrelevant information sets
        (one information set: just the action; a player who never moves: ``"*"``).
        Payoffs are expected over chance, computed as ``R_1 diag(w u) R_2^T`` with
        ``R_i`` the plan-by-terminal reach matrices and ``w`` the chance weights.

        Parameters
        ----------
        reduced : bool
            Merge equivalent plans (default) or list all of them.
        max_profiles : int
            Refuse (``GameError``) when the number of pure profiles exceeds this.

        Returns
        -------
        game : NormalFormGame
        plans : list of list of dict
            ``plans[i][s]`` maps information-set index to action index for strategy
            ``s`` of player ``i``.

        Examples
        --------
        >>> g = ExtensiveGame.from_tree(["A", "B"], Decision("A", {
        ...     "out": Terminal([1, 1]),
        ...     "in": Decision("B", {"fight": Terminal([0, 0]), "yield": Terminal([2, 1])})}))
        >>> nf, plans = g.strategic_form()
        >>> nf.strategy_labels, nf.payoff(("in", "yield")).tolist()
        ((('out', 'in'), ('fight', 'yield')), [2.0, 1.0])
        """
        per_player = [
            self.plans(i, reduced, max_plans=max_profiles) for i in range(self.num_players)
        ]
        total = math.prod(len(p) for p in per_player)
        if total > max_profiles:
            counts = " x ".join(str(len(p)) for p in per_player)
            raise GameError(
                f"the strategic form has {counts} = {total} pure profiles, more than "
                f"max_profiles={max_profiles}; use the sequence form (linear in the tree size) "
                "or raise max_profiles"
            )
        terminal = self._terminal_nodes
        reach = [
            self._plan_reach(p, self._infoset_player == i)[:, terminal]
            for i, p in enumerate(per_player)
        ]
        payoffs = self._payoff_tensor(reach, self._terminal_payoffs[terminal])
        labels = [self._plan_labels(i, p) for i, p in enumerate(per_player)]
        game = NormalFormGame(payoffs, self._players, labels, self._title)
        return game, per_player

    def agent_form(self, max_profiles: int = 10**6) -> NormalFormGame:
        """The agent normal form: one player per information set (Selten 1975).

        Agent ``"<player>:<information set label>"`` chooses that information set's
        action and receives its owner's payoff.

        Examples
        --------
        >>> g = ExtensiveGame.from_tree(["A"], Decision("A", {
        ...     "stop": Terminal([0]),
        ...     "go": Decision("A", {"a": Terminal([1]), "b": Terminal([2])})}))
        >>> agents = g.agent_form()
        >>> [p.name for p in agents.players], agents.payoff(("go", "b")).tolist()
        (['A:root', 'A:go'], [2.0, 2.0])
        """
        agents = [h for h in range(self.num_infosets) if self._infoset_player[h] >= 0]
        if not agents:
            raise GameError("the game has no decisions, so its agent form has no players")
        total = math.prod(int(self._num_actions[h]) for h in agents)
        if total > max_profiles:
            raise GameError(
                f"the agent form has {total} pure profiles, more than max_profiles="
                f"{max_profiles}; use the sequence form or raise max_profiles"
            )
        if len(agents) > 32:
            raise GameError(f"the agent form would have {len(agents)} players; at most 32 fit")
        terminal = self._terminal_nodes
        reach = []
        for h in agents:
            owned = np.zeros(self.num_infosets, dtype=bool)
            owned[h] = True
            plans = [{h: a} for a in range(int(self._num_actions[h]))]
            reach.append(self._plan_reach(plans, owned)[:, terminal])
        owners = self._infoset_player[agents]
        payoffs = self._payoff_tensor(reach, self._terminal_payoffs[terminal][:, owners])
        names = [
            f"{self._players[self._infoset_player[h]]}:{self.infosets[h].label}" for h in agents
        ]
        return NormalFormGame(
            payoffs, names, [self.infosets[h].actions for h in agents], self._title
        )

    # ------------------------------------------------------------------ Kuhn's theorem
    def behaviour_vectors_from_mixed(
        self, plans: Sequence[Sequence[Plan]], mixed: Sequence[Any]
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
        plans : list of list of dict
            Each player's plans, as returned by :meth:`strategic_form` or :meth:`plans`.
        mixed : list of array_like
            One probability vector per player over their plans.

        Examples
        --------
        >>> g = ExtensiveGame.from_tree(["A"], Decision("A", {
        ...     "stop": Terminal([0]),
        ...     "go": Decision("A", {"a": Terminal([1]), "b": Terminal([2])})}))
        >>> vectors = g.behaviour_vectors_from_mixed([g.plans("A")], [[0.5, 0.25, 0.25]])
        >>> [p.tolist() for p in vectors]
        [[0.5, 0.5], [0.5, 0.5]]
        """
        self._require_perfect_recall("behaviour_vectors_from_mixed")
        if len(plans) != self.num_players or len(mixed) != self.num_players:
            raise GameError(
                f"give plans and a mixed strategy for each of {self.num_players} players"
            )
        probabilities: list[np.ndarray | None] = [None] * self.num_infosets
        for i in range(self.num_players):
            own = self.player_infosets(i)
            sigma = _probability_vector(mixed[i], len(plans[i]), self._players[i])
            if not own:
                continue
            reach = self._plan_reach(plans[i], self._infoset_player == i)
            at_infoset = reach[:, self._infoset_first[own]].T
            for row, h in enumerate(own):
                n = int(self._num_actions[h])
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
        self, profile: BehaviourProfile, plans: Sequence[Sequence[Plan]] | None = None
    ) -> list[np.ndarray]:
        """The mixed profile over plans realisation-equivalent to a behaviour profile.

        The probability of a plan is the product of the behaviour probabilities of
        its choices (Kuhn 1953). ``plans`` defaults to the reduced plans (the order of
        ``strategic_form(reduced=True)``); unreduced plans work too.

        Examples
        --------
        >>> from simulator.games.behaviour import BehaviourProfile
        >>> g = ExtensiveGame.from_tree(["A"], Decision("A", {
        ...     "stop": Terminal([0]),
        ...     "go": Decision("A", {"a": Terminal([1]), "b": Terminal([2])})}))
        >>> g.mixed_from_behaviour(BehaviourProfile.uniform(g))[0].tolist()
        [0.5, 0.25, 0.25]
        """
        self._require_perfect_recall("mixed_from_behaviour")
        if plans is None:
            plans = [self.plans(i) for i in range(self.num_players)]
        if profile.game is not self and not np.array_equal(
            profile.game.action_offsets, self._action_offsets
        ):
            raise GameError("the behaviour profile belongs to a different game")
        flat = profile.flat
        out = []
        for i in range(self.num_players):
            vector = np.ones(len(plans[i]))
            for p, plan in enumerate(plans[i]):
                for h, a in plan.items():
                    vector[p] *= flat[self._action_offsets[h] + a]
            out.append(vector)
        return out

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
        return _format_number(info.probabilities[action], precision)  # type: ignore[index]

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


def _preorder_and_depth(parent: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Validate a parent array; return each node's pre-order position and its depth."""
    k = parent.shape[0]
    if k == 0:
        raise GameError("a game tree needs at least one node")
    bad = np.flatnonzero((parent < -1) | (parent >= k))
    if bad.size:
        raise GameError(
            f"parent of node {bad[0]} is {parent[bad[0]]}; parents must be -1 (root) or "
            f"a node number 0..{k - 1}"
        )
    roots = np.flatnonzero(parent == -1)
    if roots.size != 1:
        raise GameError(
            f"a tree has exactly one root (parent -1); found {roots.size}: {roots[:10].tolist()}"
        )
    depth = _depth_or_cycle(parent)
    order = np.argsort(parent, kind="stable")[1:]
    counts = np.bincount(parent[order], minlength=k)
    start = np.zeros(k + 1, dtype=np.int64)
    np.cumsum(counts, out=start[1:])
    first_child = np.full(k, -1, dtype=np.int64)
    inner = counts > 0
    first_child[inner] = order[start[:-1][inner]]
    next_sibling = np.full(k, -1, dtype=np.int64)
    same = parent[order[:-1]] == parent[order[1:]]
    next_sibling[order[:-1][same]] = order[1:][same]
    up = _nearest_marked(parent, next_sibling >= 0)
    after = np.where(up >= 0, next_sibling[np.maximum(up, 0)], -1)
    successor = np.where(first_child >= 0, first_child, after)
    # Wyllie's list ranking: distance of each node to the end of the successor list.
    nxt = np.append(np.where(successor >= 0, successor, k), k)
    dist = np.append((successor >= 0).astype(np.int64), 0)
    for _ in range(k.bit_length() + 2):
        if np.all(nxt == k):
            break
        dist = dist + dist[nxt]
        nxt = nxt[nxt]
    return (k - 1 - dist[:k]).astype(np.int64), depth


# ---------------------------------------------------------------------- construction helpers
def _depth_or_cycle(parent: np.ndarray) -> np.ndarray:
    """Depth of every node by pointer doubling; ``GameError`` if a node never reaches the root."""
    k = parent.shape[0]
    anc = np.append(np.where(parent < 0, k, parent), k)
    depth = np.append((parent >= 0).astype(np.int64), 0)
    for _ in range(k.bit_length() + 2):
        if np.all(anc == k):
            return depth[:k]
        depth = depth + depth[anc]
        anc = anc[anc]
    stuck = np.flatnonzero(anc[:k] != k)
    raise GameError(
        f"the parent array contains a cycle: nodes {stuck[:10].tolist()} never reach the root"
    )


def _check_kinds_against_children(kind: np.ndarray, counts: np.ndarray) -> None:
    bad = np.flatnonzero((kind == TERMINAL) & (counts > 0))
    if bad.size:
        raise GameError(
            f"node {bad[0]} is marked TERMINAL but has {counts[bad[0]]} children; mark it "
            "DECISION or CHANCE"
        )
    bad = np.flatnonzero((kind != TERMINAL) & (counts == 0))
    if bad.size:
        what = "DECISION" if kind[bad[0]] == DECISION else "CHANCE"
        raise GameError(f"node {bad[0]} is marked {what} but has no children; mark it TERMINAL (0)")


def _check_chance_sums(
    parent: np.ndarray, chance_children: np.ndarray, edge_prob: np.ndarray, k: int, describe: Any
) -> None:
    probs = edge_prob[chance_children]
    bad = np.flatnonzero(~np.isfinite(probs) | (probs < 0))
    if bad.size:
        c = chance_children[bad[0]]
        raise GameError(
            f"{describe(int(parent[c]))} gives probability {edge_prob[c]} to a move; "
            "probabilities must be finite and >= 0"
        )
    sums = np.bincount(parent[chance_children], weights=probs, minlength=k)
    nodes = np.unique(parent[chance_children])
    bad = nodes[np.abs(sums[nodes] - 1.0) > PROBABILITY_TOLERANCE]
    if bad.size:
        v = int(bad[0])
        raise GameError(
            f"{describe(v)} has probabilities summing to {float(sums[v])!r}, not 1 "
            f"(tolerance {PROBABILITY_TOLERANCE})"
        )


def _label_codes(labels: Sequence[str]) -> np.ndarray:
    """Code of each label: equal labels share a code, numbered by first appearance."""
    # ``dict.fromkeys`` and ``map`` loop in C. Sorting a numpy string array (np.unique) is
    # slower here and would merge labels that differ only by trailing NUL characters.
    table = {label: code for code, label in enumerate(dict.fromkeys(labels))}
    return np.fromiter(map(table.__getitem__, labels), np.int64, len(labels))


def _check_distinct_actions(parent: np.ndarray, nonroot: np.ndarray, labels: Sequence[str]) -> None:
    codes = _label_codes(labels)
    span = int(codes.max()) + 1 if codes.size else 1
    pairs = parent[nonroot] * span + codes[nonroot]
    unique, counts = np.unique(pairs, return_counts=True)
    if np.any(counts > 1):
        pair = unique[np.flatnonzero(counts > 1)[0]]
        v = int(pair // span)
        kids = nonroot[parent[nonroot] == v]
        raise GameError(
            f"node {v} offers the same action label twice: {[labels[c] for c in kids]}; "
            "action labels of a node must be distinct"
        )


def _group_infosets(
    kind: np.ndarray, node_player: np.ndarray, keys: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Information set of each node and first node of each set, sets ordered by first node."""
    k = kind.shape[0]
    decision = np.flatnonzero(kind == DECISION)
    chance = np.flatnonzero(kind == CHANCE)
    own = keys[decision]
    grouped = own >= 0
    composite = -(decision.astype(np.int64) + 1)  # singletons: unique negative codes
    if grouped.any():
        values, dense = np.unique(own[grouped], return_inverse=True)
        composite[grouped] = node_player[decision[grouped]] * values.shape[0] + dense.ravel()
    groups, first_pos, inverse = np.unique(composite, return_index=True, return_inverse=True)
    first = np.concatenate([decision[first_pos], chance]).astype(np.int64)
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.shape[0])
    node_infoset = np.full(k, -1, dtype=np.int64)
    node_infoset[decision] = rank[inverse.ravel()]
    node_infoset[chance] = rank[groups.shape[0] + np.arange(chance.shape[0])]
    return node_infoset, first[order]


def _payoff_row(values: Any, num_players: int, where: str) -> list[float]:
    if isinstance(values, (str, bytes)):
        raise GameError(f"payoffs at {where} must be a list of numbers, not {values!r}")
    try:
        row = np.asarray(values, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise GameError(f"payoffs at {where} must be numbers; got {values!r}") from None
    if row.shape != (num_players,):
        raise GameError(
            f"payoffs at {where} have {row.size} entries; the game has {num_players} players"
        )
    if not np.all(np.isfinite(row)):
        raise GameError(f"payoffs at {where} must be finite; got {row.tolist()}")
    return row.tolist()


def _flatten_tree(root: Node, players: tuple[str, ...]) -> dict[str, Any]:
    """Pre-order node arrays of a nested builder tree, validated node by node."""
    n = len(players)
    parent: list[int] = []
    depth: list[int] = []
    kind: list[int] = []
    mover: list[int] = []
    keys: list[int] = []
    edges: list[str] = []
    labels: list[str] = []
    probs: list[float] = []
    outcome: list[list[float]] = []
    exact: dict[int, Fraction] = {}
    infoset_keys: dict[tuple[int, str], tuple[int, tuple[str, ...], int]] = {}
    key_labels: dict[int, str] = {}

    def describe(v: int) -> str:
        path = []
        u = v
        while u > 0:
            path.append(edges[u])
            u = parent[u]
        where = "the root" if not path else "after " + " > ".join(reversed(path))
        return f"node {labels[v]!r} ({where})" if labels[v] else f"the node at {where}"

    stack: list[tuple[Any, int, str, float, Fraction | None]] = [(root, -1, "", 1.0, None)]
    while stack:
        node, up, edge, prob, fraction = stack.pop()
        v = len(parent)
        parent.append(up)
        depth.append(depth[up] + 1 if up >= 0 else 0)
        edges.append(edge)
        probs.append(prob)
        if fraction is not None:
            exact[v] = fraction
        if not isinstance(node, (Terminal, Decision, Chance)):
            labels.append("")
            raise GameError(
                f"{describe(v)} is {node!r}; expected Decision(...), Chance(...) or Terminal(...)"
            )
        labels.append("" if node.label is None else str(node.label))
        if isinstance(node, Terminal):
            kind.append(TERMINAL)
            mover.append(-1)
            keys.append(-1)
            outcome.append(_payoff_row(node.payoffs, n, describe(v)))
            continue
        outcome.append(
            [0.0] * n if node.payoffs is None else _payoff_row(node.payoffs, n, describe(v))
        )
        items = _action_items(node.actions, describe(v))
        if isinstance(node, Decision):
            player = _builder_player(node.player, players, describe(v))
            kind.append(DECISION)
            mover.append(player)
            actions = tuple(a for a, _ in items)
            if node.infoset is None:
                keys.append(-1)
            else:
                name = str(node.infoset)
                known = infoset_keys.get((player, name))
                if known is None:
                    key = len(key_labels)
                    infoset_keys[(player, name)] = (key, actions, v)
                    key_labels[key] = name
                else:
                    key, expected, first = known
                    if expected != actions:
                        raise GameError(
                            f"information set {name!r} of player {players[player]!r} has nodes "
                            f"with different actions: {list(expected)} at {describe(first)} but "
                            f"{list(actions)} at {describe(v)}; the nodes of an information set "
                            "must offer the same actions in the same order"
                        )
                keys.append(key)
            for action, subtree in reversed(items):
                stack.append((subtree, v, action, 1.0, None))
        else:
            kind.append(CHANCE)
            mover.append(-1)
            keys.append(-1)
            pairs = []
            for action, entry in items:
                if not isinstance(entry, tuple) or len(entry) != 2:
                    raise GameError(
                        f"chance move {action!r} at {describe(v)} must be a pair "
                        f"(probability, subtree); got {entry!r}"
                    )
                value = _parse_probability(entry[0])
                if value < 0:
                    raise GameError(
                        f"chance move {action!r} at {describe(v)} has negative probability "
                        f"{entry[0]}"
                    )
                pairs.append((action, value, entry[1]))
            total = math.fsum(float(f) for _, f, _ in pairs)
            if abs(total - 1.0) > PROBABILITY_TOLERANCE:
                raise GameError(
                    f"chance {describe(v)} has probabilities summing to {total!r}, not 1 "
                    f"(tolerance {PROBABILITY_TOLERANCE}): "
                    f"{ {a: str(f) for a, f, _ in pairs} }"
                )
            keep_exact = sum(f for _, f, _ in pairs) == 1
            for action, value, subtree in reversed(pairs):
                stack.append((subtree, v, action, float(value), value if keep_exact else None))
    return {
        "parent": np.asarray(parent, dtype=np.int64),
        "depth": np.asarray(depth, dtype=np.int64),
        "node_kind": np.asarray(kind, dtype=np.int8),
        "node_player": np.asarray(mover, dtype=np.int64),
        "infoset_keys": np.asarray(keys, dtype=np.int64),
        "node_payoffs": np.asarray(outcome, dtype=float).reshape(len(parent), n),
        "edge_probabilities": np.asarray(probs, dtype=float),
        "edge_exact": exact,
        "edge_labels": tuple(edges),
        "node_labels": tuple(labels),
        "key_labels": key_labels,
        "check_action_labels": False,
    }


def _action_items(actions: Any, where: str) -> list[tuple[str, Any]]:
    if not isinstance(actions, Mapping):
        raise GameError(f"actions at {where} must be a dict {{action label: ...}}; got {actions!r}")
    if not actions:
        raise GameError(f"{where} has no actions; use Terminal(...) for an end of the game")
    items = list(actions.items())
    for label, _ in items:
        if not isinstance(label, str):
            raise GameError(f"action labels must be strings; got {label!r} at {where}")
    return items


def _builder_player(player: Any, players: tuple[str, ...], where: str) -> int:
    if isinstance(player, (int, np.integer)) and not isinstance(player, bool):
        if 0 <= int(player) < len(players):
            return int(player)
    elif player in players:
        return players.index(player)
    raise GameError(
        f"{where} is a decision of unknown player {player!r}; players are {list(players)}"
    )


def _probability_vector(values: Any, size: int, name: str) -> np.ndarray:
    vector = np.asarray(values, dtype=float).reshape(-1)
    if vector.shape != (size,):
        raise GameError(
            f"{name} has {size} plans; a mixed strategy of length {vector.size} was given"
        )
    if not np.all(np.isfinite(vector)) or np.any(vector < -1e-9) or abs(vector.sum() - 1) > 1e-6:
        raise GameError(f"the mixed strategy of {name} must be probabilities summing to 1")
    return vector
