"""Pure-strategy Nash equilibria of N-player games by vectorised best-response tests.

A pure profile ``s`` is a Nash equilibrium when, for every player ``i``,
``u_i(s) >= max_t u_i(t, s_-i)`` (Nash 1951). The maxima over each player's own
axis are computed for all profiles at once, so no Python loop over profiles runs.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from simulator.solvers.equilibrium import player_tolerances

__all__ = ["pure_equilibria", "pure_nash_mask"]


def pure_nash_mask(payoffs: np.ndarray, tol: float | None = None) -> np.ndarray:
    """Boolean array over pure profiles: ``True`` where the profile is a Nash equilibrium.

    Parameters
    ----------
    payoffs : numpy array of shape ``(n_1, ..., n_N, N)``
        ``payoffs[s_1, ..., s_N, i]`` is player ``i``'s payoff.
    tol : float, optional
        A profile counts when no player gains more than ``tol`` by a pure deviation
        (default: each player's own bound,
        :func:`~simulator.solvers.equilibrium.player_tolerances`).

    Returns
    -------
    numpy.ndarray of bool, shape ``(n_1, ..., n_N)``
        Entry ``[s_1, ..., s_N]`` is ``True`` when that pure profile is an equilibrium.

    Examples
    --------
    >>> pd = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], dtype=float)
    >>> pure_nash_mask(pd)
    array([[False, False],
           [False,  True]])
    """
    payoffs = np.asarray(payoffs, dtype=float)
    num_players = payoffs.shape[-1]
    bounds = player_tolerances(payoffs) if tol is None else np.full(num_players, float(tol))
    mask = np.ones(payoffs.shape[:-1], dtype=bool)
    for player in range(num_players):
        own = payoffs[..., player]
        mask &= own >= own.max(axis=player, keepdims=True) - bounds[player]
    return mask


def pure_equilibria(payoffs: np.ndarray, tol: float | None = None) -> Iterator[tuple[int, ...]]:
    """Yield every pure-strategy Nash equilibrium as a tuple of strategy indices.

    Profiles come in lexicographic order of the strategy indices.

    Parameters
    ----------
    payoffs : numpy array of shape ``(n_1, ..., n_N, N)``
        ``payoffs[s_1, ..., s_N, i]`` is player ``i``'s payoff.
    tol : float, optional
        A profile counts when no player gains more than ``tol`` by a pure deviation
        (default: each player's own bound, as in :func:`pure_nash_mask`).

    Yields
    ------
    tuple of int
        One strategy index per player.

    Examples
    --------
    >>> sexes = np.array([[[2, 1], [0, 0]], [[0, 0], [1, 2]]], dtype=float)
    >>> list(pure_equilibria(sexes))
    [(0, 0), (1, 1)]
    """
    for index in np.argwhere(pure_nash_mask(payoffs, tol)):
        yield tuple(int(k) for k in index)
