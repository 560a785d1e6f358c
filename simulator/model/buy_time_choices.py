"""How a buy-time stage picks plays: the governments' selected profile, their gains from
flipping a stance, and each type's best reply in turn where no assignment is an equilibrium.

Part of :mod:`simulator.model.buy_time_game`, which solves each stage with these rules.
"""

from __future__ import annotations

import numpy as np

from simulator.model import rules

__all__ = ["belief_sets", "best_reply_dynamics", "flip_gains", "select_profile"]


def select_profile(
    payoff: np.ndarray, hold: np.ndarray, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The governments' selected profile, how many pure equilibria, and the residual gain.

    Among pure equilibria (nobody gains by flipping its own stance) the one with the highest
    total payoff, then the most weight holding (as after a message in the offer game). Where
    none exists, the profile with the smallest largest gain (reported in the certificate).

    Parameters
    ----------
    payoff : numpy array, shape (S, P, n)
        Each government's payoff at every profile of stances (bit ``i`` of a profile: whether
        government ``i`` holds), Ukraine replying to each.
    hold : numpy array of bool, shape (P, n)
        Which governments hold at each profile.
    weights : numpy array, shape (n,)
        The governments' weights in the coalition.

    Returns
    -------
    tuple of numpy arrays, each shape (S,)
        The selected profile, the number of pure equilibria and the residual gain (0 where
        a pure equilibrium exists).

    Examples
    --------
    >>> payoff = np.array([[[0.0], [1.0]]])  # one government, better off holding
    >>> choice, count, residual = select_profile(payoff, np.array([[False], [True]]), np.ones(1))
    >>> choice.tolist(), count.tolist(), residual.tolist()
    ([1], [1], [0.0])
    """
    S, P, n = payoff.shape
    gain = flip_gains(payoff)
    tol = rules.TOL * np.maximum(1.0, np.abs(payoff).max(axis=(1, 2)))[:, None]
    stable = gain <= tol
    total = payoff.sum(-1)
    held = (hold * weights[None, :]).sum(-1)  # (P,)
    score = np.where(stable, total, -np.inf)
    top = score.max(-1, keepdims=True)
    near = stable & (score >= top - tol)
    choice = np.argmax(np.where(near, held[None, :], -np.inf), axis=-1)
    fallback = np.argmin(gain, axis=-1)
    found = stable.any(-1)
    choice = np.where(found, choice, fallback)
    residual = np.where(found, 0.0, gain[np.arange(S), fallback])
    return choice, stable.sum(-1), residual


def flip_gains(payoff: np.ndarray) -> np.ndarray:
    """Each profile's largest gain of a government from flipping its own stance.

    Parameters
    ----------
    payoff : numpy array, shape (S, P, n)
        Each government's payoff at every profile; profiles ``p`` and ``p ^ 2**i`` differ in
        government ``i``'s stance only.

    Returns
    -------
    numpy array, shape (S, P)
        The largest gain (0 where nobody gains).
    """
    S, P, n = payoff.shape
    gain = np.zeros((S, P))
    for i in range(n):
        flipped = np.arange(P) ^ (1 << i)
        gain = np.maximum(gain, payoff[:, flipped, i] - payoff[..., i])
    return gain


def best_reply_dynamics(
    russia: np.ndarray, available: np.ndarray, rounds: int = 20
) -> tuple[np.ndarray, np.ndarray]:
    """Where no pure assignment is an equilibrium: each type best-responds in turn.

    Beliefs after a message follow the current assignment (the prior restricted to its
    senders; after an unsent message, the prior).

    Parameters
    ----------
    russia : numpy array, shape (S, M, 15, 4)
        Each type's payoff of each message under each of the 15 restricted beliefs.
    available : numpy array of bool, shape (S, M)
        The messages Russia may send.
    rounds : int
        The most rounds of best replies.

    Returns
    -------
    tuple of numpy arrays
        The assignment (S, 4) of a message to each type and the belief set after each message
        (S, M) (:func:`belief_sets`).
    """
    S, M = available.shape
    assignment = np.zeros((S, 4), dtype=np.int64)
    rows = np.arange(S)
    for _ in range(rounds):
        sets = belief_sets(assignment, M)
        value = russia[rows[:, None], np.arange(M)[None, :], sets]  # (S, M, 4)
        value = np.where(available[..., None], value, -np.inf)
        new = value.argmax(axis=1)
        keep = value[rows[:, None], assignment, np.arange(4)] >= value.max(axis=1) - 1e-12
        new = np.where(keep, assignment, new)
        if np.array_equal(new, assignment):
            break
        assignment = new
    return assignment, belief_sets(assignment, M)


def belief_sets(assignment: np.ndarray, messages: int) -> np.ndarray:
    """Belief-set index after each message: its senders, or every type if nobody sends it.

    Parameters
    ----------
    assignment : numpy array of int, shape (S, 4)
        Each type's message.
    messages : int
        The number of messages.

    Returns
    -------
    numpy array of int, shape (S, M)
        The index of the set of senders (bit ``k`` for type ``k``) minus 1, into the 15
        restricted beliefs; 14 (every type) after a message nobody sends.

    Examples
    --------
    >>> belief_sets(np.array([[0, 1, 1, 1]]), 2).tolist()  # type 0 fights, the others talk
    [[0, 13]]
    """
    bits = np.zeros((assignment.shape[0], messages), dtype=np.int64)
    for k in range(4):
        np.bitwise_or.at(bits, (np.arange(assignment.shape[0]), assignment[:, k]), 1 << k)
    return np.where(bits > 0, bits, 15) - 1
