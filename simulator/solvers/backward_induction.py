"""Backward induction: subgame-perfect equilibria of games of perfect information.

In a finite game of perfect information (chance moves allowed) every node roots a
subgame, and a pure profile is subgame perfect exactly when each mover picks, at each
node, an action maximising their own continuation payoff given the choices below
(Zermelo 1913; Kuhn 1953; Selten 1965). Solving from the deepest nodes up therefore
finds one, and every subgame-perfect pure profile arises from some way of breaking
ties.

:func:`backward_induction` sweeps the depth levels from the deepest up, handling all
nodes of a level with a few numpy segment reductions (``reduceat`` over the sibling
groups); there is no per-node Python loop. :func:`all_pure_spe` enumerates the tie
breaks that matter: only nodes at or above a tie whose tied actions lead to different
payoff vectors are revisited, explicitly.

References
----------
.. [1] E. Zermelo, "Über eine Anwendung der Mengenlehre auf die Theorie des
   Schachspiels", *Proceedings of the Fifth International Congress of
   Mathematicians* 2 (1913) 501-504.
.. [2] H. W. Kuhn, "Extensive games and the problem of information", in
   *Contributions to the Theory of Games II*, Annals of Mathematics Studies 28,
   Princeton University Press, 1953, pp. 193-216.
.. [3] R. Selten, "Spieltheoretische Behandlung eines Oligopolmodells mit
   Nachfrageträgheit", *Zeitschrift für die gesamte Staatswissenschaft* 121 (1965)
   301-324 and 667-689.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from simulator.games.behaviour import BehaviourProfile
from simulator.games.errors import GameError
from simulator.games.extensive import ExtensiveGame
from simulator.games.tree import CHANCE, DECISION
from simulator.solvers.extensive_equilibrium import (
    ExtensiveEquilibrium,
    certify_extensive,
)

__all__ = ["backward_induction", "all_pure_spe", "TIE_FACTOR"]

#: Tie tolerance of the subgame solvers as a fraction of the certification tolerance
#: (their subgame values carry the float solvers' error).
TIE_FACTOR = 1e-3

#: Continuation payoffs are tied when they differ by at most this times the magnitude of
#: the payoffs they are expectations of (about 4,500 units in the last place: float
#: rounding in the chance expectations). A span-based bound would tie ``0`` and ``1.5``
#: in a game whose other payoffs reach ``1e19``.
ROUNDING = 1e-12

_METHOD = "backward induction"


@dataclass(frozen=True)
class _Sweep:
    values: np.ndarray  # (K, N) subgame-perfect continuation payoffs
    chosen: np.ndarray  # (K,) chosen child of each decision node, -1 elsewhere
    matters: np.ndarray  # (K,) bool: tied actions with different payoff vectors
    magnitudes: np.ndarray  # (K, N) expectations of |payoff| along the same choices


def _require_perfect_information(game: ExtensiveGame) -> None:
    if not isinstance(game, ExtensiveGame):
        raise GameError(f"backward induction needs an ExtensiveGame; got {type(game).__name__}")
    if not game.is_perfect_information():
        raise GameError(
            "backward induction needs a game of perfect information (every information set a "
            "single node); use simulator.solvers.subgame_perfect.subgame_perfect_equilibria "
            "for games with imperfect information"
        )


def _tie_tolerance(game: ExtensiveGame, tie_tol: float | None) -> np.ndarray | None:
    """(N,) each player's tie tolerance, or ``None`` for ties up to float rounding."""
    if tie_tol is None:
        return None
    return np.full(game.num_players, float(tie_tol))


def _bound(tol: np.ndarray | None, player: Any, magnitude: np.ndarray) -> np.ndarray:
    """How close continuation payoffs of ``player`` count as tied: the given tolerance, or
    ``ROUNDING`` times the magnitude of the payoffs they are expectations of."""
    return ROUNDING * magnitude if tol is None else tol[player]


def _group_max(column: np.ndarray, starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The largest entry of each sibling group, repeated over the group."""
    return np.repeat(np.maximum.reduceat(column, starts), counts)


def _sweep(game: ExtensiveGame, tol: np.ndarray | None, track_ties: bool = False) -> _Sweep:
    """Backward induction over the depth levels, lowest-index tie breaks.

    With ``track_ties`` also flag the decision nodes whose tied actions lead to
    different payoff vectors.
    """
    k, n = game.num_nodes, game.num_players
    parent, kind = game.parent, game.node_kind
    values = np.array(game.terminal_payoffs, dtype=float)
    magnitudes = np.abs(values)
    chosen = np.full(k, -1, dtype=np.int64)
    matters = np.zeros(k, dtype=bool)
    levels = game.depth_levels()[1:]
    if not levels:
        return _Sweep(values=values, chosen=chosen, matters=matters, magnitudes=magnitudes)
    # All non-root nodes by depth, pre-order within a depth: siblings are contiguous,
    # so every sibling group is one segment (groups never straddle two depths).
    order = np.concatenate(levels)
    up = parent[order]
    group_start = np.flatnonzero(np.concatenate([[True], up[1:] != up[:-1]]))
    group_parent = up[group_start]
    group_decides = kind[group_parent] == DECISION
    sizes = np.array([level.shape[0] for level in levels])
    level_start = np.concatenate([[0], np.cumsum(sizes)])
    level_groups = np.searchsorted(group_start, level_start)
    group_count = np.diff(group_start, append=order.shape[0])
    deciding = np.add.reduceat(group_decides.astype(np.int64), level_groups[:-1])
    some = (deciding > 0).tolist()
    every = (deciding == np.diff(level_groups)).tolist()
    who = np.maximum(game.node_player[up], 0)
    weight = game.chance_edge_probabilities[order]
    count_up = np.arange(int(sizes.max()))
    for d in range(len(levels) - 1, -1, -1):
        lo, hi = int(level_start[d]), int(level_start[d + 1])
        g0, g1 = int(level_groups[d]), int(level_groups[d + 1])
        m = hi - lo
        nodes = order[lo:hi]
        here = values[nodes]
        size = magnitudes[nodes]
        starts = group_start[g0:g1] - lo
        groups = group_parent[g0:g1]
        decide = group_decides[g0:g1]
        if some[d]:
            counts = group_count[g0:g1]
            within = count_up[:m]
            mover = who[lo:hi]
            own = here[within, mover]
            top = np.repeat(np.maximum.reduceat(own, starts), counts)
            bound = _bound(tol, mover, _group_max(size[within, mover], starts, counts))
            position = np.where(own >= top - bound, within, m)
            first = np.minimum.reduceat(position, starts)[decide]
            values[groups[decide]] = here[first]
            magnitudes[groups[decide]] = size[first]
            chosen[groups[decide]] = nodes[first]
            if track_ties:
                reference = here[np.repeat(np.minimum.reduceat(position, starts), counts)]
                apart = np.zeros(m, dtype=bool)
                for j in range(n):
                    gap = np.abs(here[:, j] - reference[:, j])
                    apart |= gap > _bound(tol, j, _group_max(size[:, j], starts, counts))
                apart[position == m] = False
                differ = np.maximum.reduceat(apart, starts)
                matters[groups[decide]] = differ[decide]
            if every[d]:
                continue
        weighted = np.add.reduceat(weight[lo:hi, None] * here, starts, axis=0)
        values[groups[~decide]] = weighted[~decide]
        spread = np.add.reduceat(weight[lo:hi, None] * size, starts, axis=0)
        magnitudes[groups[~decide]] = spread[~decide]
    return _Sweep(values=values, chosen=chosen, matters=matters, magnitudes=magnitudes)


def _profile(game: ExtensiveGame, chosen: np.ndarray) -> BehaviourProfile:
    flat = np.zeros(game.num_actions_total)
    decision = np.flatnonzero(game.node_kind == DECISION)
    flat[game.edge_action[chosen[decision]]] = 1.0
    return BehaviourProfile.from_flat(game, flat)


def _certified(
    game: ExtensiveGame,
    chosen: np.ndarray,
    tol: np.ndarray | None,
    extra: dict[str, object],
    concept: str,
) -> ExtensiveEquilibrium:
    beliefs = np.where(game.node_kind == DECISION, 1.0, np.nan)
    return certify_extensive(
        _profile(game, chosen),
        concept,
        method=_METHOD,
        parameters={"tie_tol": None if tol is None else float(tol[0]), **extra},
        beliefs=beliefs,
    )


def backward_induction(
    game: ExtensiveGame, tie_tol: float | None = None, *, concept: str = "subgame perfect"
) -> ExtensiveEquilibrium:
    """One subgame-perfect equilibrium of a perfect-information game, certified.

    Each mover picks the action maximising their continuation payoff, the lowest
    action index among actions within ``tie_tol`` of the best (Zermelo 1913, Kuhn
    1953, Selten 1965). Chance nodes take expectations.

    Parameters
    ----------
    game : ExtensiveGame
        A game of perfect information (chance moves allowed).
    tie_tol : float, optional
        Continuation payoffs within this of the best count as ties (default: equal up
        to float rounding, ``ROUNDING`` times the magnitude of the payoffs compared).
    concept : str
        The concept the result is certified under: ``"subgame perfect"``, or
        ``"sequential"`` / ``"perfect Bayesian"`` (in a game of perfect information their
        pure equilibria are the subgame-perfect ones, beliefs being trivial).

    Returns
    -------
    ExtensiveEquilibrium
        A pure profile with ``concept="subgame perfect"``.

    Examples
    --------
    A three-stage centipede: the first mover takes at once.

    >>> from simulator.games.extensive import Decision, Terminal
    >>> g = ExtensiveGame.from_tree(["A", "B"], Decision("A", {
    ...     "take": Terminal([1, 0]),
    ...     "pass": Decision("B", {
    ...         "take": Terminal([0, 2]),
    ...         "pass": Decision("A", {"take": Terminal([3, 1]), "pass": Terminal([2, 4])})})}))
    >>> eq = backward_induction(g)
    >>> eq.strategy("A")["root"], eq.payoffs.tolist()
    ({'take': 1.0, 'pass': 0.0}, [1.0, 0.0])
    """
    _require_perfect_information(game)
    tol = _tie_tolerance(game, tie_tol)
    sweep = _sweep(game, tol)
    return _certified(game, sweep.chosen, tol, {}, concept)


def _options(
    game: ExtensiveGame, sweep: _Sweep, tol: np.ndarray | None, limit: int
) -> list[tuple[np.ndarray, np.ndarray, tuple[tuple[int, int], ...]]]:
    """Every subgame-perfect outcome at the root with the tie breaks that lead to it.

    Only nodes at or above a tie that matters can have more than one outcome; each
    such node, deepest first, combines one outcome of every child (all children: off
    the path the choices are part of the profile too) and lets the mover pick any best
    child, one per distinct payoff vector.
    """
    k = game.num_nodes
    end = game.subtree_end
    marked = np.concatenate([[0], np.cumsum(sweep.matters)])
    relevant = np.flatnonzero(marked[end] - marked[np.arange(k)] > 0)
    kids_start, kids = game.child_start, game.children
    chance_edge = game.chance_edge_probabilities
    Option = tuple[np.ndarray, np.ndarray, tuple[tuple[int, int], ...]]
    options: dict[int, list[Option]] = {}
    for v in relevant[::-1].tolist():
        children = kids[kids_start[v] : kids_start[v + 1]].tolist()
        per_child = [
            options.pop(c) if c in options else [(sweep.values[c], sweep.magnitudes[c], ())]
            for c in children
        ]
        total = math.prod(len(o) for o in per_child)
        if total > limit:
            _too_many(limit, v)
        out: list[Option] = []
        if game.node_kind[v] == CHANCE:
            weights = chance_edge[children]
            for combo in itertools.product(*per_child):
                vector = sum(w * o[0] for w, o in zip(weights, combo))
                size = sum(w * o[1] for w, o in zip(weights, combo))
                below = tuple(itertools.chain(*(o[2] for o in combo)))
                out.append((np.asarray(vector), np.asarray(size), below))
        else:
            player = int(game.node_player[v])
            for combo in itertools.product(*per_child):
                own = np.array([o[0][player] for o in combo])
                sizes = np.array([o[1] for o in combo]).max(axis=0)
                bounds = _bound(tol, np.arange(game.num_players), sizes)
                best = np.flatnonzero(own >= own.max() - bounds[player])
                kept: list[int] = []
                for j in best.tolist():
                    if all((np.abs(combo[j][0] - combo[i][0]) > bounds).any() for i in kept):
                        kept.append(j)
                below = tuple(itertools.chain(*(o[2] for o in combo)))
                out.extend((combo[j][0], combo[j][1], ((v, j), *below)) for j in kept)
                if len(out) > limit:
                    _too_many(limit, v)
        options[v] = out
    return options.get(0, [(sweep.values[0], sweep.magnitudes[0], ())])


def _too_many(limit: int, node: int) -> None:
    raise GameError(
        f"the subgame at node {node} alone has more than limit={limit} pure subgame-perfect "
        "equilibria (tie breaks that change someone's payoff); raise limit, or use "
        "backward_induction(game) for one of them"
    )


def all_pure_spe(
    game: ExtensiveGame,
    limit: int = 10_000,
    tie_tol: float | None = None,
    *,
    concept: str = "subgame perfect",
) -> list[ExtensiveEquilibrium]:
    """All pure subgame-perfect equilibria of a perfect-information game, up to payoff-neutral ties.

    A tie at a node matters when the tied actions give some player different
    continuation payoffs; then each such action is followed, with every combination
    of the tie breaks below it, on and off the path. Tied actions leading to identical
    payoff vectors are not told apart (the lowest index is used). The first result
    is the one :func:`backward_induction` returns.

    Parameters
    ----------
    game : ExtensiveGame
        A game of perfect information (chance moves allowed).
    limit : int
        Raise ``GameError`` rather than return more equilibria than this (checked
        subgame by subgame: every subgame-perfect profile of a subgame extends to the
        whole game, so a subgame with more than ``limit`` means the game has too).
    tie_tol : float, optional
        Payoffs within this count as equal (default as in :func:`backward_induction`).
    concept : str
        As in :func:`backward_induction`.

    Returns
    -------
    list of ExtensiveEquilibrium
        Each certified with ``concept="subgame perfect"``.

    Examples
    --------
    An ultimatum game over 2 units: the responder is indifferent at offer 0, and
    each tie break gives a different equilibrium.

    >>> from simulator.games.extensive import Decision, Terminal
    >>> def respond(offer):
    ...     return Decision("R", {"yes": Terminal([2 - offer, offer]), "no": Terminal([0, 0])})
    >>> g = ExtensiveGame.from_tree(["P", "R"], Decision("P", {
    ...     str(x): respond(x) for x in range(3)}))
    >>> [eq.payoffs.tolist() for eq in all_pure_spe(g)]
    [[2.0, 0.0], [1.0, 1.0]]
    """
    _require_perfect_information(game)
    if int(limit) < 1:
        raise GameError(f"limit must be at least 1; got {limit}")
    tol = _tie_tolerance(game, tie_tol)
    sweep = _sweep(game, tol, track_ties=True)
    if not sweep.matters.any():
        return [_certified(game, sweep.chosen, tol, {}, concept)]
    results = []
    start, kids = game.child_start, game.children
    for _, _, overrides in _options(game, sweep, tol, int(limit)):
        chosen = sweep.chosen.copy()
        for v, j in overrides:
            chosen[v] = kids[start[v] + j]
        results.append(_certified(game, chosen, tol, {"limit": int(limit)}, concept))
    results.sort(key=lambda eq: _differs_from(eq, sweep.chosen, game))
    return results


def _differs_from(eq: ExtensiveEquilibrium, chosen: np.ndarray, game: ExtensiveGame) -> int:
    """0 for the lowest-index tie break (backward_induction's answer), else 1; stable sort."""
    return int(not np.array_equal(eq.behaviour.flat, _profile(game, chosen).flat))
