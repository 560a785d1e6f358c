"""Support profiles of N-player games: listing, pruning and the indifference equations.

Shared by the solvers of :mod:`simulator.solvers.support_enumeration_n`: the support
profiles that survive conditional dominance (Porter, Nudelman & Shoham 2008), the payoff
differences that define each support profile's indifference equations (McKelvey &
McLennan 1996), and the profile of a solution on a support.

References
----------
.. [1] R. Porter, E. Nudelman, Y. Shoham, "Simple search methods for finding a Nash
   equilibrium", Games and Economic Behavior 63 (2008) 642-662.
.. [2] R. D. McKelvey, A. McLennan, "Computation of equilibria in finite games",
   Handbook of Computational Economics I (1996), ch. 2.
"""

from __future__ import annotations

from itertools import combinations, product

import numpy as np

__all__ = [
    "Profile",
    "Supports",
    "EQ_TOL",
    "REAL_TOL",
    "player_supports",
    "dominated_given",
    "surviving_supports",
    "profile_from",
    "coefficients",
]

Profile = tuple[np.ndarray, ...]
Supports = tuple[tuple[int, ...], ...]

#: Numerical zero for normalised payoffs (span 1) in equations and rank tests.
EQ_TOL = 1e-9
#: Largest imaginary part / negative probability accepted before polishing.
REAL_TOL = 1e-6


def player_supports(n: int) -> list[tuple[int, ...]]:
    """Every non-empty set of a player's strategies, smallest first.

    Parameters
    ----------
    n : int
        The player's number of strategies.

    Returns
    -------
    list of tuple of int
        Each support as a sorted tuple of strategy indices.
    """
    return [c for k in range(1, n + 1) for c in combinations(range(n), k)]


def dominated_given(norm: np.ndarray, player: int, others: Supports) -> np.ndarray:
    """Mask of ``player``'s strategies strictly dominated given the others' supports.

    Parameters
    ----------
    norm : numpy.ndarray
        Payoffs of shape ``(n_1, ..., n_N, N)``, normalised to span at most 1.
    player : int
        The player whose strategies are tested.
    others : support profile
        The supports of every player (the entry of ``player`` is ignored).

    Returns
    -------
    numpy.ndarray of bool
        ``True`` for each strategy another strategy beats by more than ``EQ_TOL`` against
        every profile of the others' support strategies.
    """
    index = [s if j != player else range(norm.shape[player]) for j, s in enumerate(others)]
    sub = norm[np.ix_(*[list(k) for k in index])][..., player]
    rows = np.moveaxis(sub, player, 0).reshape(sub.shape[player], -1)
    beats = np.all(rows[:, None, :] > rows[None, :, :] + EQ_TOL, axis=2)
    return beats.any(axis=0)


def surviving_supports(norm: np.ndarray) -> tuple[list[Supports], int]:
    """The support profiles with no conditionally strictly dominated strategy.

    Parameters
    ----------
    norm : numpy.ndarray
        Payoffs of shape ``(n_1, ..., n_N, N)``, normalised to span at most 1.

    Returns
    -------
    kept : list of support profiles
        The surviving profiles with at least one mixer, fewest strategies first, then by
        the sizes of the supports and lexicographically.
    pruned : int
        The number of profiles (with a mixer) skipped.
    """
    shape = norm.shape[:-1]
    per_player = [player_supports(n) for n in shape]
    cache: dict[tuple[int, Supports], np.ndarray] = {}
    kept: list[Supports] = []
    pruned = 0
    for supports in product(*per_player):
        if all(len(s) == 1 for s in supports):
            continue
        ok = True
        for i, own in enumerate(supports):
            key = (i, supports[:i] + ((),) + supports[i + 1 :])
            mask = cache.get(key)
            if mask is None:
                mask = cache[key] = dominated_given(norm, i, supports)
            if mask[list(own)].any():
                ok = False
                break
        if ok:
            kept.append(supports)
        else:
            pruned += 1
    kept.sort(key=lambda s: (sum(map(len, s)), tuple(map(len, s)), s))
    return kept, pruned


def profile_from(
    shape: tuple[int, ...], supports: Supports, mixed: dict[int, np.ndarray]
) -> Profile:
    """The profile over all strategies from each mixer's probabilities on its support.

    Parameters
    ----------
    shape : tuple of int
        The number of strategies of each player.
    supports : support profile
        One sorted tuple of strategy indices per player.
    mixed : dict of int to numpy.ndarray
        The probabilities of each mixing player over its support; players missing from it
        play their single support strategy.

    Returns
    -------
    tuple of numpy.ndarray
        One probability vector per player.
    """
    out = []
    for j, (n, s) in enumerate(zip(shape, supports)):
        v = np.zeros(n)
        v[list(s)] = mixed[j] if j in mixed else 1.0
        out.append(v)
    return tuple(out)


def coefficients(norm: np.ndarray, batch: list[Supports], mixing: list[int]) -> list[np.ndarray]:
    """Per mixing player, the payoff differences defining their indifference equations.

    Parameters
    ----------
    norm : numpy.ndarray
        Payoffs of shape ``(n_1, ..., n_N, N)``, normalised to span at most 1.
    batch : list of support profiles
        Profiles with the same mixers and support sizes.
    mixing : list of int
        The mixing players, in increasing order.

    Returns
    -------
    list of numpy.ndarray
        Entry ``m`` has shape ``(len(batch), *axes)`` with one axis per mixing player: the
        axis of player ``mixing[m]`` holds ``u(s_t) - u(s_0)`` for the support strategies
        ``s_1, ...`` against ``s_0``; the other axes run over the other mixers' supports.
    """
    out = []
    for i in mixing:
        stack = []
        for supports in batch:
            sub = norm[np.ix_(*[list(s) for s in supports])][..., i]
            sub = sub.reshape([len(supports[j]) for j in mixing])
            axis = mixing.index(i)
            first = np.take(sub, [0], axis=axis)
            rest = np.take(sub, range(1, sub.shape[axis]), axis=axis)
            stack.append(rest - first)
        out.append(np.stack(stack))
    return out
