"""Isolated Nash equilibria of N-player trees by support enumeration on the sequence form.

A player's behaviour is represented by its *realisation plan* ``r``: the probability that its
own moves follow each of its sequences; plans are the non-negative solutions of ``E r = e``
(von Stengel 1996). A *support* fixes which sequences have positive weight: at every
information set the player's own support reaches, a non-empty set of actions. On a support
the plans form an affine family ``r = b + A y``, one unknown ``y`` for each action but the
first of every information set where the player mixes (each unknown a realisation
probability, so ``0 <= y <= 1``).

``r`` is a best reply to the others' plans exactly when some values ``v`` of the player's
information sets satisfy ``E^T v >= u`` with equality on the support (the dual of the
best-reply linear programme; Koller, Megiddo & von Stengel 1996), where ``u(s)`` is the
player's payoff from sequence ``s`` against the others' plans. The equalities say that ``u``
restricted to the support lies in the row space of ``E`` restricted to it, whose orthogonal
complement is spanned by ``A``: the player's equations are ``A^T u = 0``, as many as its
unknowns. ``u`` is multilinear in the other players' plans, each affine in their own
unknowns, so a support profile gives a square system with the multilinear structure of a
strategic form's support system (McKelvey & McLennan 1996): player ``j``'s plan is
``M_j w_j`` with ``w_j = (1 - sum(y_j), y_j)`` and ``M_j = [b_j, b_j + A_j]``. Its isolated
solutions are found by the homotopy of :mod:`simulator.solvers.homotopy_supports`; each
real solution with non-negative plans is kept when no player gains by deviating (its best
reply computed backwards over its own information sets).

Working on the tree, not its reduced strategic form, keeps the unknowns few (one per action,
not one per plan) and avoids the reduced form's redundancy: a player that mixes at two
information sets has a continuum of mixed strategies with the same behaviour, so in the
reduced form every such equilibrium is non-isolated, while here it is a regular root.

Supports whose system vanishes identically or is singular everywhere have no isolated
solution and are not solved; a support profile is *flagged* (the game may have non-isolated
equilibria there) where one mixer is indifferent whatever it does and its mixture is an
equilibrium, where a homotopy path ends at a singular real equilibrium, or where an
equilibrium found has a best reply outside its support.

References
----------
.. [1] B. von Stengel, "Efficient computation of behavior strategies", *Games and Economic
   Behavior* 14 (1996) 220-246.
.. [2] D. Koller, N. Megiddo and B. von Stengel, "Efficient computation of equilibria for
   extensive two-person games", *Games and Economic Behavior* 14 (1996) 247-259.
.. [3] R. D. McKelvey, A. McLennan, "Computation of equilibria in finite games",
   *Handbook of Computational Economics* I (1996), ch. 2.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from itertools import combinations, product

import numpy as np

from simulator.games.behaviour import BehaviourProfile
from simulator.games.errors import GameError
from simulator.games.extensive import ExtensiveGame
from simulator.solvers.extensive_equilibrium import (
    ExtensiveEquilibrium,
    certify_extensive,
    game_tolerances,
)
from simulator.solvers.homotopy_supports import singular_everywhere, track_systems
from simulator.solvers.pencil_supports import bezout_count
from simulator.solvers.sequence_form import behaviour_from_realisation
from simulator.solvers.support_enumeration_n import NonIsolatedEquilibriaWarning
from simulator.solvers.support_listing import EQ_TOL, REAL_TOL

__all__ = [
    "MAX_SUPPORT_PROFILES",
    "SequenceSupportResult",
    "count_support_profiles",
    "estimated_paths",
    "non_isolated_message",
    "redundant_mixtures",
    "sequence_support_enumeration",
    "sequence_support_enumeration_result",
]

#: Largest number of support profiles enumerated; larger trees are refused (GameError).
MAX_SUPPORT_PROFILES = 50_000
#: Behaviour profiles closer than this (largest difference of a probability) are one.
_SAME = 1e-5
#: A singular linear block whose least-squares residual is this small has solutions.
_CONSISTENT = 1e-10
#: The method named on each equilibrium.
METHOD = "sequence form, support enumeration"


@dataclass(frozen=True)
class SequenceSupportResult:
    """What :func:`sequence_support_enumeration_result` found.

    Parameters
    ----------
    equilibria : tuple of ExtensiveEquilibrium
        The isolated equilibria, certified (concept ``"nash"``, method
        ``"sequence form, support enumeration"``; ``parameters["support"]`` names each one's
        support), by increasing support size (pure ones first).
    flagged_supports : tuple of tuple of str
        Support profiles where the game may have non-isolated equilibria, per player its
        ``information set: action`` pairs.
    support_profiles : int
        The number of support profiles enumerated.
    paths_tracked : int
        Homotopy paths tracked.
    """

    equilibria: tuple[ExtensiveEquilibrium, ...]
    flagged_supports: tuple[tuple[str, ...], ...]
    support_profiles: int
    paths_tracked: int

    @property
    def non_isolated(self) -> bool:
        """Whether some support profile was flagged as possibly non-isolated."""
        return bool(self.flagged_supports)


@dataclass(frozen=True)
class _Player:
    """One player's sequences: per own information set (parents first) the sequence that
    leads to it, its first action's sequence and its number of actions."""

    size: int
    parent: np.ndarray
    first: np.ndarray
    actions: np.ndarray
    labels: tuple[str, ...]  # one per sequence after the empty one: "infoset: action"
    last: np.ndarray  # (infosets,) bool: no own information set follows any of its actions


@dataclass(frozen=True)
class _Support:
    """One player's support: which sequences are played, its plans ``r = C @ (1, y)`` and
    its pure plans (the vertices of that family), one realisation plan per row."""

    mask: np.ndarray
    plan: np.ndarray  # C, shape (size, 1 + d)
    pure: np.ndarray  # (vertices, size)

    @property
    def unknowns(self) -> int:
        return self.plan.shape[1] - 1


def _players(game: ExtensiveGame) -> list[_Player]:
    node_seq = game.node_sequences()
    infosets = game.infosets
    out = []
    for i in range(game.num_players):
        own = game.player_infosets(i)
        actions = np.array([int(game.infoset_num_actions[h]) for h in own], dtype=np.int64)
        first = 1 + np.concatenate([[0], np.cumsum(actions)[:-1]]).astype(np.int64)
        parent = np.array([node_seq[infosets[h].nodes[0], i] for h in own], dtype=np.int64)
        labels = tuple(f"{infosets[h].label}: {a}" for h in own for a in infosets[h].actions)
        last = np.array(
            [not np.any((parent >= f) & (parent < f + n)) for f, n in zip(first, actions)],
            dtype=bool,
        )
        out.append(_Player(1 + int(actions.sum()), parent, first, actions, labels, last))
    return out


def _support_count(player: _Player) -> int:
    """The number of supports of ``player``, counted backwards over its information sets: an
    information set's choices are the non-empty sets of its actions, each action followed by
    any support of what follows it."""
    after = np.ones(player.size, dtype=object)  # supports of what follows each sequence
    for k in range(player.actions.size - 1, -1, -1):
        choices = 1
        for a in range(int(player.actions[k])):
            choices *= 1 + after[player.first[k] + a]
        after[player.parent[k]] *= choices - 1
    return int(after[0])


def redundant_mixtures(game: ExtensiveGame) -> bool:
    """Whether some player's mixed strategies in the reduced strategic form are redundant:
    it has more reduced pure strategies than one plus the dimension of its realisation plans
    (the sum over its information sets of their actions less one), as when its own play does
    not order two of its information sets (a juror's two signals). There an equilibrium in
    which it mixes at both is a segment of mixed strategies with one behaviour, never
    isolated, while its realisation plans have no such redundancy.

    Parameters
    ----------
    game : ExtensiveGame
        A tree with perfect recall.

    Returns
    -------
    bool
        Whether some player's reduced pure strategies outnumber that bound.

    Examples
    --------
    >>> from simulator.games.extensive import Chance, Decision, Terminal
    >>> def seen(s):
    ...     return Decision("A", {"x": Terminal([1]), "y": Terminal([0])}, infoset=s)
    >>> g = ExtensiveGame.from_tree(["A"], Chance({s: (0.5, seen(s)) for s in "12"}))
    >>> redundant_mixtures(g)  # four plans, two dimensions of realisation plans
    True
    """
    game.require_perfect_recall("the sequence-form support enumeration")
    for player in _players(game):
        after = np.ones(player.size, dtype=object)  # reduced plans of what follows a sequence
        for k in range(player.actions.size - 1, -1, -1):
            block = after[player.first[k] : player.first[k] + player.actions[k]]
            after[player.parent[k]] *= sum(block)
        if int(after[0]) - 1 > int((player.actions - 1).sum()):
            return True
    return False


def count_support_profiles(game: ExtensiveGame) -> int:
    """The number of support profiles :func:`sequence_support_enumeration` would enumerate.

    Parameters
    ----------
    game : ExtensiveGame
        A tree with perfect recall.

    Returns
    -------
    int
        The product over players of their numbers of supports.

    Examples
    --------
    >>> from simulator.games.extensive import Decision, Terminal
    >>> g = ExtensiveGame.from_tree(["A"], Decision("A", {
    ...     "x": Decision("A", {"u": Terminal([0]), "v": Terminal([1])}), "y": Terminal([2])}))
    >>> count_support_profiles(g)  # {y}, {x: u}, {x: v}, {x: u, v} and each with y
    7
    """
    game.require_perfect_recall("the sequence-form support enumeration")
    count = 1
    for player in _players(game):
        count *= _support_count(player)
    return count


def estimated_paths(game: ExtensiveGame, max_profiles: int = MAX_SUPPORT_PROFILES) -> float:
    """How many homotopy paths :func:`sequence_support_enumeration` would track at most: the
    multihomogeneous Bezout numbers of its support profiles where three or more players mix
    (those of two mixers are solved by linear algebra).

    Parameters
    ----------
    game : ExtensiveGame
        A tree with perfect recall and at most ``max_profiles`` support profiles.
    max_profiles : int
        As for :func:`sequence_support_enumeration`.

    Returns
    -------
    float
        The sum of the Bezout numbers; ``inf`` where a support profile has more than 16
        unknowns (its count is itself too costly to take).

    Examples
    --------
    >>> from simulator.games.extensive import Decision, Terminal
    >>> g = ExtensiveGame.from_tree(["A", "B", "C"], Decision("A", {
    ...     a: Decision("B", {b: Decision("C", {c: Terminal([1, 2, 3]) for c in "ef"},
    ...                                   infoset="c") for b in "cd"}, infoset="b")
    ...     for a in "xy"}))
    >>> estimated_paths(g)  # one profile where all three mix over two actions: 2 paths
    2.0
    """
    players = _players(game)
    counts = []
    for p in players:
        unknowns: dict[int, int] = {}
        for support in _supports(p, max_profiles):
            unknowns[support.unknowns] = unknowns.get(support.unknowns, 0) + 1
        counts.append(unknowns)
    total = 0.0
    for combo in product(*[list(c.items()) for c in counts]):
        sizes = tuple(sorted(d + 1 for d, _ in combo))
        if sum(k > 1 for k in sizes) < 3:
            continue
        if sum(sizes) - len(sizes) > 16:
            return float("inf")
        total += float(np.prod([n for _, n in combo], dtype=float)) * bezout_count(sizes)
    return total


def _supports(player: _Player, limit: int) -> list[_Support]:
    """Every support of ``player``, each with its affine family of plans."""
    # Each support as the chosen actions per information set (None where not reached).
    partial: list[tuple[tuple[int, ...] | None, ...]] = [()]
    masks = [np.eye(1, player.size, 0, dtype=bool)[0]]
    for k in range(player.actions.size):
        n = int(player.actions[k])
        subsets = [c for size in range(1, n + 1) for c in combinations(range(n), size)]
        grown, grown_masks = [], []
        for choice, mask in zip(partial, masks):
            if not mask[player.parent[k]]:
                grown.append((*choice, None))
                grown_masks.append(mask)
                continue
            for subset in subsets:
                m = mask.copy()
                m[player.first[k] + np.array(subset)] = True
                grown.append((*choice, subset))
                grown_masks.append(m)
        if len(grown) > limit:
            raise GameError(f"a player has more than {limit} supports")
        partial, masks = grown, grown_masks
    out = []
    for choice, mask in zip(partial, masks):
        d = sum(len(c) - 1 for c in choice if c is not None)
        plan = np.zeros((player.size, 1 + d))
        plan[0, 0] = 1.0
        column = 1
        for k, chosen in enumerate(choice):
            if chosen is None:
                continue
            lead = player.first[k] + chosen[0]
            plan[lead] = plan[player.parent[k]]
            for a in chosen[1:]:
                plan[player.first[k] + a, column] = 1.0
                plan[lead, column] -= 1.0
                column += 1
        out.append(_Support(mask, plan, _pure_plans(player, choice)))
    return out


def _pure_plans(player: _Player, choice: tuple[tuple[int, ...] | None, ...]) -> np.ndarray:
    """The pure plans within a support (``choice``: the actions chosen at each information
    set, ``None`` where not reached), as realisation plans (rows)."""
    plans = [np.eye(1, player.size, 0)[0]]
    for k, chosen in enumerate(choice):
        if chosen is None:
            continue
        grown = []
        for r in plans:
            if r[player.parent[k]] == 0:
                grown.append(r)
                continue
            for a in chosen:
                q = r.copy()
                q[player.first[k] + a] = 1.0
                grown.append(q)
        plans = grown
    return np.array(plans)


class _Tree:
    """The leaves of a tree as its sequence form reads them: per terminal node each player's
    sequence and the chance-weighted payoffs."""

    def __init__(self, game: ExtensiveGame) -> None:
        terminal = game.terminal_nodes
        self.players = _players(game)
        self.seq = game.node_sequences()[terminal]  # (L, N)
        chance = game.path_products(game.chance_edge_probabilities)[terminal]
        payoffs = np.asarray(game.terminal_payoffs[terminal], dtype=float)
        self.weighted = chance[:, None] * payoffs  # (L, N)
        span = float(payoffs.max() - payoffs.min()) if payoffs.size else 0.0
        # payoffs mapped to span at most 1 (a shift leaves the equations unchanged: the
        # chance-weighted reach of the leaves sums to 1 for every profile of plans)
        self.norm = chance[:, None] * (
            (payoffs - payoffs.min()) / span if span > 0 else 0 * payoffs
        )

    def sequence_payoffs(self, plans: list[np.ndarray], i: int, norm: bool = False) -> np.ndarray:
        """``u_i(s)`` for each sequence ``s`` of player ``i`` against the others' plans."""
        weight = (self.norm if norm else self.weighted)[:, i].copy()
        for j, r in enumerate(plans):
            if j != i:
                weight = weight * r[self.seq[:, j]]
        return np.bincount(self.seq[:, i], weights=weight, minlength=self.players[i].size)

    def regrets(self, plans: list[np.ndarray]) -> np.ndarray:
        """Each player's gain from its best reply (computed backwards over its own information
        sets) over its plan, against the others'."""
        out = np.empty(len(plans))
        for i, p in enumerate(self.players):
            u = self.sequence_payoffs(plans, i)
            value = u.copy()
            for k in range(p.actions.size - 1, -1, -1):
                value[p.parent[k]] += value[p.first[k] : p.first[k] + p.actions[k]].max()
            out[i] = value[0] - float(plans[i] @ u)
        return out

    def dominated(self, prof: tuple[_Support, ...], cache: dict) -> bool:
        """Whether some player's support holds an action that another action at the same
        information set beats against every pure plan of the others within their supports
        (by more than :data:`~simulator.solvers.support_listing.EQ_TOL` of the normalised
        payoffs), at an information set after which the player never moves again (there an
        action's payoff is linear in the others' plans, so their pure plans bound it). No
        equilibrium has such a support (conditional dominance; Porter, Nudelman & Shoham 2008,
        on the sequence form)."""
        for i, support in enumerate(prof):
            key = (i, *(id(s) for j, s in enumerate(prof) if j != i))
            if key not in cache:
                cache[key] = self._dominated_actions(i, prof)
            if np.any(cache[key] & support.mask):
                return True
        return False

    def _dominated_actions(self, i: int, prof: tuple[_Support, ...]) -> np.ndarray:
        """Player ``i``'s sequences (mask) that end at a last information set of its and are
        beaten there as :meth:`dominated` says, given the others' supports in ``prof``."""
        p = self.players[i]
        weight = self.norm[:, i][None, :]  # (combos, L) over the others' pure plans
        for j, support in enumerate(prof):
            if j != i:
                at_leaves = support.pure[:, self.seq[:, j]]  # (vertices, L)
                weight = (weight[:, None, :] * at_leaves[None, :, :]).reshape(-1, weight.shape[1])
        onehot = np.zeros((self.seq.shape[0], p.size))
        onehot[np.arange(self.seq.shape[0]), self.seq[:, i]] = 1.0
        values = weight @ onehot  # (combos, size): each sequence's payoff
        out = np.zeros(p.size, dtype=bool)
        for k in np.flatnonzero(p.last):
            block = values[:, p.first[k] : p.first[k] + p.actions[k]]  # (combos, actions)
            # action a is beaten by a' when a' - a > EQ_TOL against every combination
            gaps = (block[:, None, :] - block[:, :, None]).min(axis=0)  # [a, a']
            out[p.first[k] : p.first[k] + p.actions[k]] = np.any(gaps > EQ_TOL, axis=1)
        return out

    def ties(self, plans: list[np.ndarray], masks: list[np.ndarray], tol: float) -> bool:
        """Whether some player has a best reply outside its support at an information set its
        plan reaches (ties within ``tol`` of the normalised payoffs)."""
        for i, p in enumerate(self.players):
            u = self.sequence_payoffs(plans, i, norm=True)
            value = u.copy()
            for k in range(p.actions.size - 1, -1, -1):
                part = value[p.first[k] : p.first[k] + p.actions[k]]
                best = part.max()
                if plans[i][p.parent[k]] > REAL_TOL:
                    outside = ~masks[i][p.first[k] : p.first[k] + p.actions[k]]
                    if np.any(outside & (part >= best - tol)):
                        return True
                value[p.parent[k]] += best
        return False


def _coefficients(tree: _Tree, order: list[int], members: list[list[_Support]]) -> list[np.ndarray]:
    """Per player (in ``order``), the stacked coefficient arrays of the members' systems.

    Player ``i``'s array has one axis per player in ``order``: its own holds its equations
    ``A_i^T u_i``, each other's the coordinates ``w_j`` of that player's plan ``M_j w_j``.
    """
    n = len(order)
    letters = "abcdefghijklmnopqrstuvwxyz"[:n]
    out = []
    for i in order:
        operands = [tree.norm[:, i]]
        specs = ["l"]
        for q, j in enumerate(order):
            plans = np.stack([m[j].plan for m in members])  # (G, size_j, 1 + d_j)
            if j == i:
                block = plans[:, :, 1:]  # A_i: the equations
            else:
                block = np.concatenate(
                    [plans[:, :, :1], plans[:, :, :1] + plans[:, :, 1:]], axis=2
                )  # M_j
            operands.append(block[:, tree.seq[:, j], :])
            specs.append("gl" + letters[q])
        spec = ",".join(specs) + "->g" + letters
        out.append(np.einsum(spec, *operands, optimize=True))
    return out


def _labels(tree: _Tree, supports: list[_Support]) -> tuple[str, ...]:
    out = []
    for p, s in zip(tree.players, supports):
        out.append(", ".join(p.labels[q - 1] for q in np.flatnonzero(s.mask) if q > 0))
    return tuple(out)


def sequence_support_enumeration(
    game: ExtensiveGame, tol: float | None = None
) -> list[BehaviourProfile]:
    """Every isolated Nash equilibrium of a tree with perfect recall, as behaviour profiles.

    The lean form of :func:`sequence_support_enumeration_result`: warns
    (:class:`~simulator.solvers.support_enumeration_n.NonIsolatedEquilibriaWarning`) where the
    game may have non-isolated equilibria, which are not returned.

    Parameters
    ----------
    game : ExtensiveGame
        Any number of players, perfect recall, at most :data:`MAX_SUPPORT_PROFILES` support
        profiles.
    tol : float, optional
        Largest accepted regret (default: each player's own bound).

    Returns
    -------
    list of BehaviourProfile
        The equilibria, certified, pure ones first.

    Examples
    --------
    Matching pennies played in turn, the second mover not seeing the first: one equilibrium.

    >>> from simulator.games.extensive import Decision, Terminal
    >>> g = ExtensiveGame.from_tree(["A", "B"], Decision("A", {
    ...     "h": Decision("B", {"h": Terminal([1, -1]), "t": Terminal([-1, 1])}, infoset="b"),
    ...     "t": Decision("B", {"h": Terminal([-1, 1]), "t": Terminal([1, -1])}, infoset="b")}))
    >>> [p.tolist() for p in sequence_support_enumeration(g)[0].probabilities]
    [[0.5, 0.5], [0.5, 0.5]]
    """
    found = sequence_support_enumeration_result(game, tol)
    if found.non_isolated:
        warnings.warn(non_isolated_message(found), NonIsolatedEquilibriaWarning, stacklevel=2)
    return [eq.behaviour for eq in found.equilibria]


def non_isolated_message(found: SequenceSupportResult) -> str:
    """The warning where a tree may have non-isolated equilibria, naming three flagged
    support profiles.

    Parameters
    ----------
    found : SequenceSupportResult
        A result with flagged support profiles.

    Returns
    -------
    str
        One line.
    """
    return (
        "the game is degenerate: some support profiles have non-isolated solution sets "
        f"{list(found.flagged_supports)[:3]}; only isolated equilibria are returned"
    )


def sequence_support_enumeration_result(
    game: ExtensiveGame,
    tol: float | None = None,
    max_profiles: int = MAX_SUPPORT_PROFILES,
) -> SequenceSupportResult:
    """Every isolated Nash equilibrium of a tree with perfect recall, in behaviour strategies,
    each certified.

    Enumerates the support profiles of the sequence form and solves each one's multilinear
    system (module docstring); support profiles where two or more players mix are tracked by
    homotopy continuation, grouped by their numbers of unknowns.

    Parameters
    ----------
    game : ExtensiveGame
        Any number of players, perfect recall.
    tol : float, optional
        Largest accepted regret (default: each player's own bound,
        :func:`~simulator.solvers.extensive_equilibrium.game_tolerances`).
    max_profiles : int
        Largest number of support profiles enumerated.

    Returns
    -------
    SequenceSupportResult
        The isolated equilibria found, certified, and the flagged support profiles.

    Raises
    ------
    GameError
        If the game lacks perfect recall or has more than ``max_profiles`` support profiles.
    CertificationError
        If an equilibrium found fails its certificate on the tree (loss of precision).

    Examples
    --------
    >>> from simulator.games.extensive import Decision, Terminal
    >>> g = ExtensiveGame.from_tree(["A", "B"], Decision("A", {
    ...     "h": Decision("B", {"h": Terminal([1, -1]), "t": Terminal([-1, 1])}, infoset="b"),
    ...     "t": Decision("B", {"h": Terminal([-1, 1]), "t": Terminal([1, -1])}, infoset="b")}))
    >>> result = sequence_support_enumeration_result(g)
    >>> (eq,) = result.equilibria
    >>> eq.method, eq.parameters["support"]
    ('sequence form, support enumeration', ['root: h, root: t', 'b: h, b: t'])
    """
    game.require_perfect_recall("the sequence-form support enumeration")
    tree = _Tree(game)
    bound = np.broadcast_to(
        game_tolerances(game) if tol is None else np.asarray(tol, dtype=float),
        (game.num_players,),
    )
    count = count_support_profiles(game)
    if count > max_profiles:
        raise GameError(
            f"the tree has {count} support profiles in the sequence form, more than "
            f"{max_profiles} that are enumerated"
        )
    per_player = [_supports(p, max_profiles) for p in tree.players]
    profiles = sorted(
        product(*per_player),
        key=lambda prof: (sum(int(s.mask.sum()) for s in prof), [s.unknowns for s in prof]),
    )
    found: list[tuple[tuple[_Support, ...], list[np.ndarray]]] = []
    flagged: list[tuple[str, ...]] = []
    groups: dict[tuple[int, ...], list[tuple[_Support, ...]]] = {}

    def accept(prof: tuple[_Support, ...], plans: list[np.ndarray]) -> bool:
        if any(r[s.mask].min() < -REAL_TOL for r, s in zip(plans, prof)):
            return False
        plans = [np.where(s.mask, np.clip(r, 0.0, None), 0.0) for r, s in zip(plans, prof)]
        if np.all(tree.regrets(plans) <= bound):
            found.append((prof, plans))
            return True
        return False

    dominance: dict = {}
    for prof in profiles:
        if tree.dominated(prof, dominance):
            continue
        mixers = [j for j, s in enumerate(prof) if s.unknowns > 0]
        if not mixers:
            accept(prof, [s.plan[:, 0] for s in prof])
        elif len(mixers) == 1:
            # the mixer's equations involve only the others, who do not mix: constants. Where
            # they vanish its whole family of plans solves them (nothing isolated).
            j = mixers[0]
            plans = [s.plan[:, 0] for s in prof]
            u = tree.sequence_payoffs(plans, j, norm=True)
            if np.abs(prof[j].plan[:, 1:].T @ u).max() <= EQ_TOL:
                # flagged where its central plan is an equilibrium (the others' replies hold)
                plans[j] = _central_plan(tree.players[j], prof[j])
                if np.all(tree.regrets(plans) <= bound):
                    flagged.append(_labels(tree, list(prof)))
        else:
            sizes = tuple(s.unknowns + 1 for s in prof)
            order = sorted(range(len(sizes)), key=lambda j: sizes[j])
            groups.setdefault(tuple(sizes[j] for j in order), []).append(prof)

    paths = 0
    for sizes in sorted(groups, key=lambda k: (sum(k), k)):
        if bezout_count(sizes) == 0:
            continue
        # Each member is solved in its own player order (by increasing unknowns); the
        # systems of one sorted shape are stacked and solved together.
        members: list[tuple[tuple[_Support, ...], list[int]]] = []
        parts: list[list[np.ndarray]] = []
        by_order: dict[tuple[int, ...], list[tuple[_Support, ...]]] = {}
        for prof in groups[sizes]:
            own = tuple(sorted(range(game.num_players), key=lambda j: prof[j].unknowns))
            by_order.setdefault(own, []).append(prof)
        for own_order, profs in by_order.items():
            parts.append(_coefficients(tree, list(own_order), [list(p) for p in profs]))
            members += [(prof, list(own_order)) for prof in profs]
        coeffs = [np.concatenate(c) for c in zip(*parts)]
        offsets = np.concatenate([[0], np.cumsum([k - 1 for k in sizes])])
        if sum(k > 1 for k in sizes) == 2:
            roots = _two_mixers(sizes, coeffs)
        else:
            keep = ~singular_everywhere(sizes, coeffs)
            keep &= np.array([any(np.any(c[g] != 0) for c in coeffs) for g in range(len(members))])
            if not keep.any():
                continue
            index = np.flatnonzero(keep)
            tracked_roots, tracked = track_systems(
                sizes, [sizes] * index.size, [c[index] for c in coeffs]
            )
            paths += tracked
            roots = [(int(index[g]), y, regular) for g, y, regular in tracked_roots]
        for g, y, regular in roots:
            prof, order = members[g]
            plans = [np.empty(0)] * game.num_players
            for q, j in enumerate(order):
                plans[j] = prof[j].plan @ np.concatenate([[1.0], y[offsets[q] : offsets[q + 1]]])
            if regular:
                accept(prof, plans)
            elif all(r[s.mask].min() >= -1e-4 for r, s in zip(plans, prof)):
                clipped = [np.clip(r, 0.0, None) for r in plans]
                loose = np.maximum(bound, 1e-5 * max(1.0, float(np.ptp(tree.weighted))))
                if np.all(tree.regrets(clipped) <= loose):
                    flagged.append(_labels(tree, list(prof)))

    behaviours: list[BehaviourProfile] = []
    equilibria: list[ExtensiveEquilibrium] = []
    parameters = {"support profiles": count}
    for prof, plans in found:
        behaviour = behaviour_from_realisation(game, tuple(plans))
        # a root on the boundary of a wider support (a support sequence at weight ~0) is an
        # equilibrium of a narrower one, found first (supports are solved narrowest first)
        if any(np.abs(b.flat - behaviour.flat).max() <= _SAME for b in behaviours):
            continue
        behaviours.append(behaviour)
        labels = _labels(tree, list(prof))
        equilibria.append(
            certify_extensive(
                behaviour, "nash", METHOD, {**parameters, "support": list(labels)}, tol=tol
            )
        )
        if tree.ties(plans, [s.mask for s in prof], EQ_TOL):
            flagged.append(labels + ("(with tied best replies)",))
    return SequenceSupportResult(
        equilibria=tuple(equilibria),
        flagged_supports=tuple(dict.fromkeys(flagged)),
        support_profiles=count,
        paths_tracked=paths,
    )


def _two_mixers(
    sizes: tuple[int, ...], coeffs: list[np.ndarray]
) -> list[tuple[int, np.ndarray, bool]]:
    """The solutions of systems where two players mix with as many unknowns each (the last
    two of ``sizes``): each one's equations are linear in the other's unknowns. Where a block
    is singular the system has no isolated solution; where it is consistent all the same (its
    least-squares solution leaves a residual within :data:`_CONSISTENT`), that solution is
    returned as a singular root, so the caller can flag a set of equilibria there."""
    d = sizes[-1] - 1
    count = coeffs[0].shape[0]
    # K (G, d, d + 1): the mixer's equations in the other's coordinates w = (1 - sum y, y)
    k_a = coeffs[-2].reshape(count, d, d + 1)  # the first mixer's, in the second's w
    k_b = coeffs[-1].reshape(count, d + 1, d).swapaxes(1, 2)  # the second's, in the first's w
    out = []
    solved = []
    for k in (k_b, k_a):  # the first mixer's unknowns, then the second's
        matrix, rhs = k[:, :, 1:] - k[:, :, :1], -k[:, :, 0]
        singular = np.linalg.cond(matrix) > 1e12
        safe = np.where(singular[:, None, None], np.eye(d), matrix)
        y = np.linalg.solve(safe, rhs[..., None])[..., 0]
        consistent = ~singular
        for g in np.flatnonzero(singular):
            y[g] = np.linalg.lstsq(matrix[g], rhs[g], rcond=None)[0]
            consistent[g] = np.abs(matrix[g] @ y[g] - rhs[g]).max(initial=0.0) <= _CONSISTENT
        solved.append((y, singular, consistent))
    (y_a, bad_a, ok_a), (y_b, bad_b, ok_b) = solved
    n = sum(k - 1 for k in sizes)
    for g in np.flatnonzero(ok_a & ok_b):
        y = np.zeros(n)
        y[n - 2 * d : n - d] = y_a[g]
        y[n - d :] = y_b[g]
        out.append((int(g), y, not (bad_a[g] or bad_b[g])))
    return out


def _central_plan(player: _Player, support: _Support) -> np.ndarray:
    """The plan of ``support`` that splits every reached information set's weight evenly over
    its support actions."""
    r = np.zeros(player.size)
    r[0] = 1.0
    for k in range(player.actions.size):
        if not support.mask[player.parent[k]]:
            continue
        chosen = support.mask[player.first[k] : player.first[k] + player.actions[k]]
        r[player.first[k] : player.first[k] + player.actions[k]] = np.where(
            chosen, r[player.parent[k]] / chosen.sum(), 0.0
        )
    return r
