"""Game trees as described and built: node kinds, builder nodes, validation and array kernels.

This module describes the trees of :class:`~simulator.games.extensive.ExtensiveGame` and turns
them into its arrays: the node kinds, the nested builder nodes (:class:`Decision`,
:class:`Chance`, :class:`Terminal`) and the :class:`InfoSet` record; the parsing of chance
probabilities and payoffs and the formatting of numbers; the validated flattening of a builder
tree, or of per-node arrays in any order, into arrays in depth-first pre-order; and the
vectorised kernels over parent pointers that construction and the game share (path reductions
and nearest marked ancestors by pointer doubling (Wyllie 1979), range minima by sparse tables
(Bender and Farach-Colton 2000), pre-order positions by list ranking of each node's Euler
successor).

References
----------
.. [1] J. C. Wyllie, *The Complexity of Parallel Computations*, PhD thesis, Cornell
   University, 1979 (pointer jumping, list ranking).
.. [2] M. A. Bender and M. Farach-Colton, "The LCA problem revisited", *LATIN 2000*,
   LNCS 1776, pp. 88-94 (sparse-table range minima).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from simulator.games._tables import format_number
from simulator.games.errors import GameError

__all__ = [
    "TERMINAL",
    "DECISION",
    "CHANCE",
    "PROBABILITY_TOLERANCE",
    "InfoSet",
    "Decision",
    "Chance",
    "Terminal",
    "Node",
]


#: Node kinds stored in :attr:`ExtensiveGame.node_kind`.
TERMINAL, DECISION, CHANCE = 0, 1, 2

#: Chance probabilities must sum to 1 within this tolerance.
PROBABILITY_TOLERANCE = 1e-9


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


def _format_vector(values: np.ndarray, precision: int = 6) -> str:
    return "(" + ", ".join(format_number(float(v), precision) for v in values) + ")"


# ---------------------------------------------------------------------- flattening
def _flatten_arrays(
    names: tuple[str, ...],
    parent: Any,
    node_kind: Any,
    node_player: Any | None,
    infoset_ids: Any | None,
    *,
    payoffs: Any | None,
    chance_probabilities: Any | None,
    action_labels: Sequence[str] | None,
    infoset_labels: Mapping[int, str] | None,
    node_labels: Sequence[str] | None,
) -> dict[str, Any]:
    """Pre-order node arrays of a tree given by per-node arrays in any order, validated.

    Takes the arguments of :meth:`ExtensiveGame.from_arrays` (players already checked) and
    returns the keyword arguments of ``ExtensiveGame._setup`` that describe the tree.
    """
    num_players = len(names)
    parent = _as_index_array(parent, "parent")
    k = parent.shape[0]
    kind = _as_index_array(node_kind, "node_kind", k)
    bad = np.flatnonzero((kind < TERMINAL) | (kind > CHANCE))
    if bad.size:
        raise GameError(
            f"node_kind of node {bad[0]} is {kind[bad[0]]}; use TERMINAL=0, DECISION=1 or CHANCE=2"
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
                f"chance_probabilities must have one entry per node ({k}); got shape {probs.shape}"
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
    return {
        "parent": new_parent,
        "depth": depth[order],
        "node_kind": kind[order],
        "node_player": movers[order],
        "infoset_keys": keys[order],
        "node_payoffs": outcome[order],
        "edge_probabilities": edge_prob[order],
        "edge_exact": {int(new_index[c]): f for c, f in edge_exact.items()},
        "edge_labels": None if edge_names is None else tuple(edge_names[j] for j in order),
        "node_labels": (
            None if names_of_nodes is None else tuple(names_of_nodes[j] for j in order)
        ),
        "key_labels": None if infoset_labels is None else dict(infoset_labels),
        "check_action_labels": edge_names is not None,
    }


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
