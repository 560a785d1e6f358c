"""Dominated strategies and their iterated elimination.

A strategy is *strictly dominated* when another strategy (pure, or a mixture of the
player's other strategies) pays strictly more against every profile of the others;
it is *weakly dominated* when it never pays more and sometimes pays less. Domination
by mixtures is decided by a linear programme (see e.g. Fudenberg & Tirole 1991,
*Game Theory*, section 2.1; Myerson 1991, section 3.8), solved with scipy's HiGHS.

Iterated elimination of strictly dominated strategies never removes a strategy used
in a Nash equilibrium, and its result does not depend on the order of elimination;
iterated weak elimination can depend on the order, so it removes all weakly
dominated strategies of every player simultaneously in each round and says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from simulator.games.normal_form import NormalFormGame

__all__ = ["dominated_strategies", "iterated_elimination", "EliminationResult"]


def _own_matrix(payoffs: np.ndarray, player: int) -> np.ndarray:
    """Player's payoffs as a matrix: own strategies down, opponent profiles across."""
    own = np.moveaxis(payoffs[..., player], player, 0)
    return own.reshape(own.shape[0], -1)


def _pure_dominated(matrix: np.ndarray, strict: bool, tol: float) -> np.ndarray:
    diff = matrix[:, None, :] - matrix[None, :, :]  # diff[t, s, r] = M[t, r] - M[s, r]
    if strict:
        dominates = np.all(diff > tol, axis=2)
    else:
        dominates = np.all(diff >= -tol, axis=2) & np.any(diff > tol, axis=2)
    np.fill_diagonal(dominates, False)
    return dominates.any(axis=0)


def _mixed_dominated(matrix: np.ndarray, s: int, strict: bool, tol: float) -> bool:
    from scipy.optimize import linprog

    others = [t for t in range(matrix.shape[0]) if t != s]
    if not others:
        return False
    sub = matrix[others]  # (k, r)
    k, r = sub.shape
    if strict:
        # max eps s.t. sigma^T sub >= M[s] + eps, sum sigma = 1, sigma >= 0
        c = np.zeros(k + 1)
        c[-1] = -1.0
        a_ub = np.hstack([-sub.T, np.ones((r, 1))])
        b_ub = -matrix[s]
        a_eq = np.hstack([np.ones((1, k)), np.zeros((1, 1))])
        bounds = [(0, None)] * k + [(None, None)]
        res = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=[1.0], bounds=bounds, method="highs")
        return bool(res.status == 0 and -res.fun > tol)
    # weak: max total slack s.t. sigma^T sub >= M[s]
    c = -sub.sum(axis=1)
    res = linprog(
        c,
        A_ub=-sub.T,
        b_ub=-matrix[s],
        A_eq=np.ones((1, k)),
        b_eq=[1.0],
        bounds=[(0, None)] * k,
        method="highs",
    )
    return bool(res.status == 0 and -res.fun - matrix[s].sum() > tol)


def dominated_strategies(
    game: NormalFormGame,
    player: int,
    strict: bool = True,
    mixed: bool = True,
    tol: float = 1e-9,
) -> list[int]:
    """Indices of ``player``'s strategies dominated by another pure or mixed strategy.

    Parameters
    ----------
    game : NormalFormGame
    player : int
    strict : bool
        Strict dominance (default) or weak dominance.
    mixed : bool
        Also test domination by mixtures of the other strategies (a linear programme).
    tol : float
        Payoff differences up to ``tol`` count as ties.

    Returns
    -------
    list of int
        The dominated strategies' indices, in increasing order (empty when none is).

    Examples
    --------
    >>> g = NormalFormGame.from_bimatrix([[3, 0], [0, 3], [1, 1]], [[0, 0], [0, 0], [0, 0]])
    >>> dominated_strategies(g, 0, mixed=False), dominated_strategies(g, 0)
    ([], [2])
    """
    matrix = _own_matrix(game.payoffs, player)
    flags = _pure_dominated(matrix, strict, tol)
    if mixed:
        for s in np.flatnonzero(~flags):
            flags[s] = _mixed_dominated(matrix, int(s), strict, tol)
    return [int(s) for s in np.flatnonzero(flags)]


@dataclass(frozen=True)
class EliminationResult:
    """Outcome of iterated elimination.

    Attributes
    ----------
    game : NormalFormGame
        The reduced game (labels of the surviving strategies kept).
    kept : tuple of tuples of int
        For each player, the surviving strategies' indices in the original game.
    rounds : int
        Number of elimination rounds that removed something.
    """

    game: NormalFormGame
    kept: tuple[tuple[int, ...], ...]
    rounds: int


def iterated_elimination(
    game: NormalFormGame, strict: bool = True, mixed: bool = True, tol: float = 1e-9
) -> EliminationResult:
    """Remove dominated strategies round by round until none is left.

    Each round removes, for all players at once, every strategy dominated in the
    current reduced game. With ``strict=False`` (weak dominance) the outcome depends
    on this simultaneous order and may remove Nash equilibria.

    Parameters
    ----------
    game : NormalFormGame
        The game to reduce.
    strict : bool
        Strict dominance (default) or weak dominance.
    mixed : bool
        Also remove strategies dominated only by mixtures of the others.
    tol : float
        Payoff differences up to ``tol`` count as ties.

    Returns
    -------
    EliminationResult
        The reduced game, the surviving strategies' original indices and the number of
        rounds that removed something.

    Examples
    --------
    >>> pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...     strategies=[["C", "D"], ["C", "D"]])
    >>> result = iterated_elimination(pd)
    >>> result.kept, result.game.strategy_labels
    (((1,), (1,)), (('D',), ('D',)))
    """
    kept: list[list[int]] = [list(range(n)) for n in game.shape]
    current = game
    rounds = 0
    while True:
        removed: Sequence[list[int]] = [
            dominated_strategies(current, p, strict=strict, mixed=mixed, tol=tol)
            for p in range(game.num_players)
        ]
        if not any(removed):
            break
        rounds += 1
        local = [
            [k for k in range(len(kept[p])) if k not in set(removed[p])]
            for p in range(game.num_players)
        ]
        kept = [[kept[p][k] for k in local[p]] for p in range(game.num_players)]
        current = current.restrict(local)
    return EliminationResult(current, tuple(tuple(k) for k in kept), rounds)
