"""Equilibria of a buy-time stage where two types of Russia both mix.

:mod:`.buy_time_mixed` finds semi-separating equilibria in which one type mixes. Some states
have none: with two types present (the public has ruled the others out), where the first type
would be indifferent the second strictly prefers one message. Both types then mix between the
two messages, and the receivers after one of them play a public lottery at the posterior where
they switch their reply (Kreps & Sobel 1994, "Signalling", *Handbook of Game Theory* 2, ch. 25:
with two types a signalling equilibrium is described by the posterior after each message).

With two types ``i`` and ``j`` present and two messages, an equilibrium is a pair of posteriors
``q_s`` and ``q_c`` (the share of ``j`` after each message) on either side of the prior ``mu``
(Bayes plausibility: ``mu = lambda q_s + (1 - lambda) q_c``) such that both types are
indifferent between the messages. Here ``q_s`` is a posterior where the receivers switch from
play ``A`` to play ``B`` and play the lottery ``(1 - y) A + y B``; ``q_c`` is any posterior.
Type ``j``'s indifference gives ``y`` as a function of ``q_c``; type ``i``'s indifference is
then one equation in ``q_c``, solved by a scan and bisection. The types' and the receivers'
incentives are certified afterwards by the stage (:meth:`.buy_time_game._Stage.solve`), like
every other play.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["two_type_mixed"]

_EQ = 0  # Russia's plan index of equilibrium play
_SCAN = 64  # grid intervals of the posterior scanned for switches and roots
_ROUNDS = 60  # bisection rounds (the posterior to about 1e-18)


def _plays(stage: Any, state: int, types: tuple[int, int], q: np.ndarray, m: int) -> dict:
    """The receivers' play after message ``m`` at the posteriors ``q`` (share of the 2nd type)."""
    belief = np.zeros((q.size, 4))
    belief[:, types[0]] = 1.0 - q
    belief[:, types[1]] = q
    return stage._receivers(np.full(q.size, state), belief, [m])[0]


def _switches(stage: Any, state: int, types: tuple[int, int], m: int) -> list[float]:
    """Posteriors where the receivers' play after ``m`` changes, each to about 1e-15."""
    grid = np.linspace(0.0, 1.0, _SCAN + 1)
    play = _plays(stage, state, types, grid, m)
    key = play["profile"].astype(np.int64) * 16 + play["reply"]
    out = []
    for g in np.flatnonzero(key[1:] != key[:-1]):
        lo, hi, k_lo = grid[g], grid[g + 1], key[g]
        for _ in range(_ROUNDS):
            mid = 0.5 * (lo + hi)
            p = _plays(stage, state, types, np.array([mid]), m)
            if p["profile"][0] * 16 + p["reply"][0] == k_lo:
                lo = mid
            else:
                hi = mid
            if hi - lo <= 1e-15:
                break
        out.append(0.5 * (lo + hi))
    return out


def _residual(
    stage: Any,
    state: int,
    types: tuple[int, int],
    q: np.ndarray,
    c: int,
    a: np.ndarray,
    b: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, dict]:
    """Type ``i``'s gain from message ``c`` at posterior ``q`` over the lottery that makes
    type ``j`` indifferent, that lottery's weight ``y`` on play ``b``, and the play after ``c``.
    """
    i, j = types
    play = _plays(stage, state, types, q, c)
    u = play["russia"][:, :, _EQ]
    y = (a[j] - u[:, j]) / (a[j] - b[j])
    return u[:, i] - ((1 - y) * a[i] + y * b[i]), y, play


def _solve_state(
    stage: Any, state: int, types: tuple[int, int], prior: float, tol: float
) -> dict | None:
    """An equilibrium with both ``types`` mixing over messages 0 and 1, or None."""
    i, j = types
    for s, c in ((0, 1), (1, 0)):  # the message after which the receivers mix, and the other
        for q_s in _switches(stage, state, types, s):
            if abs(q_s - prior) < 1e-9:
                continue
            edge = np.array([q_s - 1e-12, q_s + 1e-12])
            ends = _plays(stage, state, types, np.clip(edge, 0.0, 1.0), s)
            a_r, b_r = ends["russia"][0, :, _EQ], ends["russia"][1, :, _EQ]
            if abs(a_r[j] - b_r[j]) < 1e-12:
                continue
            # q_c lies across the prior from q_s
            lo_c, hi_c = (prior, 1.0) if q_s < prior else (0.0, prior)
            # every posterior up to the far end (where one type sends c alone), not the prior
            grid = np.linspace(lo_c, hi_c, _SCAN + 1)
            grid = grid[1:] if q_s < prior else grid[:-1]

            def residual(q: np.ndarray, c: int = c, a: Any = a_r, b: Any = b_r) -> tuple:
                return _residual(stage, state, types, q, c, a, b)

            if grid.size < 2:
                continue
            r, y, play = residual(grid)
            key = play["profile"].astype(np.int64) * 16 + play["reply"]
            ok = (y >= 0) & (y <= 1)
            change = (np.sign(r[:-1]) != np.sign(r[1:])) & ok[:-1] & ok[1:]
            change &= key[:-1] == key[1:]  # no switch of the play after c in between
            for g in np.flatnonzero(change):
                lo, hi, r_lo = grid[g], grid[g + 1], r[g]
                for _ in range(_ROUNDS):
                    mid = 0.5 * (lo + hi)
                    r_mid = residual(np.array([mid]))[0][0]
                    if np.sign(r_mid) == np.sign(r_lo):
                        lo, r_lo = mid, r_mid
                    else:
                        hi = mid
                    if hi - lo <= 1e-16:
                        break
                q_c = 0.5 * (lo + hi)
                _, y_c, play_c = residual(np.array([q_c]))
                if max(ends["gain"].max(), play_c["gain"].max()) > tol:
                    continue  # the governments' game has no exact pure equilibrium there
                weight = (q_c - prior) / (q_c - q_s)  # probability of message s
                return {
                    "s": s,
                    "c": c,
                    "q": (q_s, q_c),
                    "y": float(np.clip(y_c[0], 0.0, 1.0)),
                    "weight": float(weight),
                    "ends": ends,
                    "play_c": play_c,
                }
    return None


def two_type_mixed(
    stage: Any, unresolved: np.ndarray, sender: np.ndarray, at: dict, tol: float
) -> np.ndarray:
    """Fill ``sender`` and ``at`` where an equilibrium with two types mixing is found.

    Only states with exactly two types present and exactly two messages available are tried.
    Returns the states still unresolved.

    Parameters
    ----------
    stage : _Stage
        The period being solved (its ``mu``, ``_receivers`` and the messages available).
    unresolved : numpy array of int
        States without an equilibrium so far.
    sender : numpy array, shape (S, 4, M)
        Each type's probability of each message, filled in place.
    at : dict of str to numpy array
        Each message's play (``belief``, ``russia``, ``ukraine``, ``profile``, ``reply``,
        ``profile2``, ``reply2``, ``lottery``), filled in place.
    tol : float
        The governments' largest residual gain accepted at the plays used.

    Returns
    -------
    numpy array of int
        The states of ``unresolved`` where no such equilibrium was found.
    """
    available = np.asarray(stage.s.tables.available[0], dtype=bool)
    if available.sum() != 2 or not (available[0] and available[1]):
        return unresolved
    still = []
    for state in unresolved.tolist():
        mu = stage.mu[state]
        present = np.flatnonzero(mu > 0)
        if present.size != 2:
            still.append(state)
            continue
        types = (int(present[0]), int(present[1]))
        prior = float(mu[types[1]] / mu[present].sum())
        found = _solve_state(stage, state, types, prior, tol)
        if found is None:
            still.append(state)
            continue
        s, c, (q_s, q_c), y = found["s"], found["c"], found["q"], found["y"]
        lam = found["weight"]
        i, j = types
        sender[state] = 0.0
        sender[state, j, s] = lam * q_s / prior
        sender[state, j, c] = 1.0 - sender[state, j, s]
        sender[state, i, s] = lam * (1.0 - q_s) / (1.0 - prior)
        sender[state, i, c] = 1.0 - sender[state, i, s]
        ends, play_c = found["ends"], found["play_c"]
        for m, q in ((s, q_s), (c, q_c)):
            belief = np.zeros(4)
            belief[i], belief[j] = 1.0 - q, q
            at["belief"][state, m] = belief
        at["profile"][state, s], at["reply"][state, s] = ends["profile"][0], ends["reply"][0]
        at["profile2"][state, s], at["reply2"][state, s] = ends["profile"][1], ends["reply"][1]
        at["lottery"][state, s] = y
        at["russia"][state, s] = (1 - y) * ends["russia"][0] + y * ends["russia"][1]
        at["ukraine"][state, s] = (1 - y) * ends["ukraine"][0] + y * ends["ukraine"][1]
        at["profile"][state, c] = at["profile2"][state, c] = play_c["profile"][0]
        at["reply"][state, c] = at["reply2"][state, c] = play_c["reply"][0]
        at["lottery"][state, c] = 0.0
        at["russia"][state, c] = play_c["russia"][0]
        at["ukraine"][state, c] = play_c["ukraine"][0]
    return np.array(still, dtype=np.int64)
