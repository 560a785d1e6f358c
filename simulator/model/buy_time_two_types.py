"""Equilibria of a buy-time stage where two types of Russia both mix.

:mod:`.buy_time_mixed` finds semi-separating equilibria in which one type mixes. Some states
have none: where the first type would be indifferent, the second strictly prefers one message.
Two types then mix between the two messages, and the receivers after one of them play a public
lottery at the posterior where they switch their reply (Kreps & Sobel 1994, "Signalling",
*Handbook of Game Theory* 2, ch. 25: an equilibrium is described by the posterior after each
message).

Let ``i`` and ``j`` mix between a message ``s`` and a message ``c``, and let every other type
the public has not ruled out send ``c``. Only ``i`` and ``j`` send ``s``, so the posterior after
``s`` is the share ``q_s`` of ``j`` among them: it sits at a posterior where the receivers switch
from play ``A`` to play ``B`` and play the lottery ``(1 - y) A + y B``. Given ``q_s``, the
mixing probabilities are ``x_i = t`` and ``x_j = kappa t`` with
``kappa = mu_i q_s / (mu_j (1 - q_s))``, so the posterior after ``c`` moves along a segment as
``t`` grows. Type ``j``'s indifference gives ``y`` as a function of ``t`` (it is linear in
``y``); type ``i``'s indifference is then one equation in ``t``, solved by a scan and
bisection. Every candidate (the pair, which message carries the lottery) of every state is
solved at once, and the first that is an equilibrium is kept: the other types must prefer ``c``
and the governments' game must have an exact equilibrium at every play used. The stage
(:meth:`.buy_time_game._Stage.solve`) certifies the result like every other play.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from simulator.model.buy_time_receivers import (
    locate_switch,
    pair_belief,
    play_key,
    play_keys,
    plays,
    posteriors,
    record_play,
)

__all__ = ["two_type_mixed"]

_EQ = 0  # Russia's plan index of equilibrium play
_SCAN = 32  # grid intervals scanned for switches and roots


def _candidates(stage: Any, states: list[int]) -> dict[str, np.ndarray]:
    """Every (state, i, j, s) with ``i < j`` present; the others present send ``c = 1 - s``."""
    rows = []
    for st in states:
        present = np.flatnonzero(stage.mu[st] > 0)
        for a in range(present.size):
            for b in range(a + 1, present.size):
                for s in (0, 1):
                    rows.append((st, present[a], present[b], s))
    arr = np.array(rows, dtype=np.int64).reshape(-1, 4)
    return {"state": arr[:, 0], "i": arr[:, 1], "j": arr[:, 2], "s": arr[:, 3]}


def _switches(stage: Any, cand: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Posteriors ``q_s`` (share of ``j``) where the play after ``s`` switches, per candidate."""
    R = cand["state"].size
    grid = np.linspace(0.0, 1.0, _SCAN + 1)
    rep = np.repeat(np.arange(R), grid.size)
    q = np.tile(grid, R)
    play = plays(
        stage, cand["state"][rep], pair_belief(cand["i"][rep], cand["j"][rep], q), cand["s"][rep]
    )
    key = play_key(play).reshape(R, grid.size)
    row, g = np.nonzero(key[:, 1:] != key[:, :-1])
    lo, hi = grid[g], grid[g + 1]
    k_lo = key[row, g]

    def key_at(r: np.ndarray, q_: np.ndarray) -> np.ndarray:
        rr = row[r]
        belief = pair_belief(cand["i"][rr], cand["j"][rr], q_)
        return play_keys(stage, cand["state"][rr], belief, cand["s"][rr])

    lo, hi = locate_switch(key_at, lo, hi, k_lo)
    return {"row": row, "q": 0.5 * (lo + hi)}


class _Along:
    """The play after ``c`` along the segment of posteriors that keeps ``q_s`` after ``s``."""

    def __init__(self, stage: Any, cand: dict, sw: dict) -> None:
        self.stage = stage
        r = sw["row"]
        self.state, self.i, self.j = cand["state"][r], cand["i"][r], cand["j"][r]
        self.s = cand["s"][r]
        self.c = 1 - self.s
        self.q = sw["q"]
        self.mu = stage.mu[self.state]
        n = r.size
        idx = np.arange(n)
        mu_i, mu_j = self.mu[idx, self.i], self.mu[idx, self.j]
        self.kappa = mu_i * self.q / (mu_j * (1.0 - self.q))
        self.t_max = np.minimum(1.0, 1.0 / self.kappa)
        # the plays just below and above the switch, and Russia's values of them
        edge = plays(
            stage,
            np.repeat(self.state, 2),
            pair_belief(
                np.repeat(self.i, 2),
                np.repeat(self.j, 2),
                np.clip(np.repeat(self.q, 2) + np.tile([-1e-12, 1e-12], n), 0.0, 1.0),
            ),
            np.repeat(self.s, 2),
        )
        self.ends = {k: v.reshape((n, 2) + v.shape[1:]) for k, v in edge.items()}

    def strategy(self, rows: np.ndarray, t: np.ndarray) -> np.ndarray:
        """Each type's probability of ``s`` (rows, 4): ``i`` and ``j`` mix, the others ``c``."""
        x = np.zeros((rows.size, 4))
        r = np.arange(rows.size)
        x[r, self.i[rows]] = t
        x[r, self.j[rows]] = np.minimum(1.0, self.kappa[rows] * t)
        return x

    def residual(self, rows: np.ndarray, t: np.ndarray) -> tuple:
        """Type ``i``'s gain from ``c`` over the lottery that leaves ``j`` indifferent, the
        lottery's weight ``y`` on play ``B``, the play after ``c`` and the posterior there."""
        post = posteriors(self.mu[rows], self.strategy(rows, t))[0]  # after c (x: P(s))
        play = plays(self.stage, self.state[rows], post, self.c[rows])
        r = np.arange(rows.size)
        a = self.ends["russia"][rows, 0, :, _EQ]
        b = self.ends["russia"][rows, 1, :, _EQ]
        i, j = self.i[rows], self.j[rows]
        u = play["russia"][..., _EQ]
        den = a[r, j] - b[r, j]
        y = (a[r, j] - u[r, j]) / np.where(np.abs(den) > 1e-12, den, np.nan)
        res = u[r, i] - ((1 - y) * a[r, i] + y * b[r, i])
        return res, y, play, post


def _roots(along: _Along) -> dict[str, np.ndarray]:
    """Values of ``t`` where type ``i``'s residual changes sign with ``0 <= y <= 1``."""
    n = along.q.size
    frac = np.linspace(0.0, 1.0, _SCAN + 1)[1:]
    rep = np.repeat(np.arange(n), frac.size)
    t = np.tile(frac, n) * along.t_max[rep]
    res, y, play, _ = along.residual(rep, t)
    res, y = res.reshape(n, -1), y.reshape(n, -1)
    key = play_key(play).reshape(n, -1)
    ok = (y >= 0) & (y <= 1)
    change = (np.sign(res[:, :-1]) != np.sign(res[:, 1:])) & ok[:, :-1] & ok[:, 1:]
    change &= key[:, :-1] == key[:, 1:]  # no switch of the play after c in between
    row, g = np.nonzero(change)
    lo = frac[g] * along.t_max[row]
    hi = frac[g + 1] * along.t_max[row]
    lo, hi = locate_switch(
        lambda r, t_: np.sign(along.residual(row[r], t_)[0]), lo, hi, np.sign(res[row, g])
    )
    return {"row": row, "t": 0.5 * (lo + hi)}


def two_type_mixed(
    stage: Any, unresolved: np.ndarray, sender: np.ndarray, at: dict, tol: float
) -> np.ndarray:
    """Fill ``sender`` and ``at`` where an equilibrium with two types mixing is found.

    Only stages with exactly two messages available are tried. Returns the states still
    unresolved.

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
        The largest gain accepted: of the governments at the plays used, and of the types that
        send ``c`` for sure from sending ``s``.

    Returns
    -------
    numpy array of int
        The states of ``unresolved`` where no such equilibrium was found.
    """
    available = np.asarray(stage.s.tables.available[0], dtype=bool)
    if available.sum() != 2 or not (available[0] and available[1]):
        return unresolved
    states = [st for st in unresolved.tolist() if (stage.mu[st] > 0).sum() >= 2]
    if not states:
        return unresolved
    cand = _candidates(stage, states)
    sw = _switches(stage, cand)
    if sw["row"].size == 0:
        return unresolved
    along = _Along(stage, cand, sw)
    found = _roots(along)
    if found["row"].size == 0:
        return unresolved
    rows, t = found["row"], found["t"]
    res, y, play_c, post_c = along.residual(rows, t)
    y = np.clip(y, 0.0, 1.0)
    a = along.ends["russia"][rows, 0, :, _EQ]
    b = along.ends["russia"][rows, 1, :, _EQ]
    lottery = (1 - y)[:, None] * a + y[:, None] * b  # (n, 4) every type's value of s
    x = along.strategy(rows, t)
    mu = along.mu[rows]
    pure_c = (mu > 0) & (x == 0)
    ok = np.all(~pure_c | (play_c["russia"][..., _EQ] >= lottery - tol), axis=1)
    ok &= np.maximum(along.ends["gain"][rows].max(axis=1), play_c["gain"]) <= tol
    solved: set[int] = set()
    for n in np.flatnonzero(ok):
        st = int(along.state[rows[n]])
        if st in solved:
            continue
        solved.add(st)
        k = rows[n]
        s, c = int(along.s[k]), int(along.c[k])
        sender[st] = 0.0
        sender[st, :, s] = x[n]
        sender[st, :, c] = np.where(mu[n] > 0, 1.0 - x[n], 0.0)
        belief_s = pair_belief(along.i[k : k + 1], along.j[k : k + 1], along.q[k : k + 1])[0]
        first = {key: v[:, 0] for key, v in along.ends.items()}
        second = {key: v[:, 1] for key, v in along.ends.items()}
        record_play(at, st, s, belief_s, first, k, second, k, y[n])
        record_play(at, st, c, post_c[n], play_c, n)
    return np.array([st for st in unresolved.tolist() if st not in solved], dtype=np.int64)
