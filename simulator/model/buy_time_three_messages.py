"""Equilibria of a buy-time stage with three messages in which types mix over all three.

Where the offer has a verified step, Russia chooses among fighting, talks and the verified
withdrawal. The two-message searches run on views of the stage with one message left out and
deterred off the path (:mod:`.buy_time_withdrawal`); none finds an equilibrium in which every
message is sent. This one does, where the receivers' play after each message is the one the
stage selects at the posterior (no lottery): each type's strategy ``x_k`` is a point of the
simplex over the three messages, and the types' values of each message ``v_k(x)`` are
continuous in ``x`` (through the posteriors) where that play does not switch.

The support (the messages each type sends) is guessed from strategies drawn near equilibrium,
and then fixed: each type's *base* message is the one it sends most, and the unknowns are its
probabilities of its other two (8 at most). The system is square: for a message in the type's
support, its value equals the base's (``v_km - v_kb = 0``); for one outside it, its probability
is 0. It is solved by Levenberg-Marquardt steps (:func:`.buy_time_lotteries.damped_step`)
with forward-difference Jacobians, from the starts with the smallest best-reply gap; a state's
candidates stop once one is accepted, and of those accepted the one with the highest ex-ante
payoff to Russia is kept (as in :mod:`.buy_time_interior`, of which this is the three-message
counterpart). A root is accepted only where every message is sent, each present type's gain
over all three messages and every government's gain are within the tolerance at the exact
plays; the stage certifies it like every other play.

Starts are drawn from a generator seeded by the state, so results repeat exactly and do not
depend on which other states are searched with it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from simulator.model.buy_time_lotteries import Closest, damped_step, pin_fixed
from simulator.model.buy_time_receivers import (
    bayes,
    best_per_state,
    plays,
    record_play,
    with_two_types,
)

__all__ = ["message_values", "three_message_mixed"]

_EQ = 0  # Russia's equilibrium plan (its first column of plans)
_SAMPLES = 2048  # strategies drawn per state
_UNSENT = 0.02  # a drawn probability below this is set to 0 (so supports of every size occur)
_KEEP = 8  # starts kept per state, those with the smallest best-reply gap
_ITERATIONS = 40
_STEP = 1e-7  # forward-difference step
_SEED = 20220406


def _others(base: np.ndarray) -> np.ndarray:
    """The two messages other than each type's base message, ascending: (..., 2)."""
    return np.sort(np.stack([(base + 1) % 3, (base + 2) % 3], axis=-1), axis=-1)


class _System:
    """Candidates (a state, a support and a base message per type) and their systems."""

    def __init__(self, stage: Any, state: np.ndarray, x: np.ndarray) -> None:
        self.stage = stage
        self.state = state
        self.mu = stage.mu[state]
        self.present = self.mu > 0  # (n, 4)
        self.support = (x > 0) & self.present[..., None]  # (n, 4, 3)
        self.base = x.argmax(axis=-1)  # (n, 4)
        self.other = _others(self.base)  # (n, 4, 2)
        r = np.arange(state.size)[:, None, None]
        k = np.arange(4)[None, :, None]
        # free unknowns: present types' probabilities of their other messages in the support
        self.free = self.support[r, k, self.other].reshape(state.size, 8)

    def strategies(self, rows: np.ndarray, z: np.ndarray) -> np.ndarray:
        """Each type's probability of each message (n, 4, 3) at unknowns ``z`` (n, 8)."""
        x = np.zeros((rows.size, 4, 3))
        r = np.arange(rows.size)[:, None, None]
        k = np.arange(4)[None, :, None]
        z = z.reshape(rows.size, 4, 2)
        x[r, k, self.other[rows]] = z
        x[r[..., 0], k[..., 0], self.base[rows]] = 1.0 - z.sum(axis=-1)
        return np.where(self.present[rows, :, None], x, 0.0)

    def start(self, x: np.ndarray) -> np.ndarray:
        """The unknowns (n, 8) at strategies ``x`` (n, 4, 3) of these candidates."""
        r = np.arange(x.shape[0])[:, None, None]
        k = np.arange(4)[None, :, None]
        return x[r, k, self.other].reshape(x.shape[0], 8)

    def residuals(self, rows: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The residual (n, 8) at ``z`` and its size (n,): ``inf`` outside the system's domain
        (a base message's probability below 0, or a message nobody sends)."""
        x = self.strategies(rows, z)
        outside = (x < -1e-12).any(axis=(1, 2)) | ~_every_message_sent(x)
        # (a point outside is read at strategies inside, its size then set to inf)
        inside = np.where(self.present[rows, :, None], 1 / 3, 0.0)
        values, _, _ = message_values(
            self.stage, self.state[rows], np.where(outside[:, None, None], inside, x)
        )
        r = np.arange(rows.size)[:, None, None]
        k = np.arange(4)[None, :, None]
        gap = (
            values[r, k, self.other[rows]]
            - values[r[..., 0], k[..., 0], self.base[rows]][..., None]
        )
        res = np.where(self.free[rows], gap.reshape(rows.size, 8), z).reshape(rows.size, 8)
        res = np.where(self.present[rows].repeat(2, axis=1), res, 0.0)
        size = np.abs(res).max(axis=1)
        return res, np.where(outside | ~np.isfinite(size), np.inf, size)

    def solve(self, z: np.ndarray, tol: float) -> tuple[np.ndarray, np.ndarray]:
        """Levenberg-Marquardt from every candidate's ``z``; a state's candidates stop once
        one of them is accepted (:meth:`check`). Returns the points reached and their
        residuals' sizes."""
        z = z.copy()
        rows = np.arange(z.shape[0])
        res, size = self.residuals(rows, z)
        active = np.isfinite(size) & (size > 1e-14)
        for _ in range(_ITERATIONS):
            idx = np.flatnonzero(active)
            if idx.size == 0:
                break
            jac = self._jacobian(idx, z[idx], res[idx])
            squares = (res[idx] ** 2).sum(axis=1)
            hit, z_new, (res_new, size_new) = damped_step(
                idx, z[idx], jac, -res[idx], squares, self.residuals
            )
            moved = idx[hit]
            z[moved], res[moved], size[moved] = z_new, res_new, size_new
            active[idx] = hit & (size[idx] > 1e-14)
            # a state's other candidates stop once one is accepted (it goes on to the
            # residual's floor)
            near = idx[size[idx] <= tol]
            if near.size:
                accepted = near[self.check(near, z[near], tol)["ok"]]
                polish = active[accepted]
                active &= ~np.isin(self.state, self.state[accepted])
                active[accepted] = polish
        return z, size

    def check(self, rows: np.ndarray, z: np.ndarray, tol: float) -> dict:
        """Every incentive at candidates ``rows``' points ``z``, at the exact plays: ``ok``
        (n,) where each present type's gain over all three messages and every government's
        gain after each message are within ``tol`` and every message is sent; with the
        strategies ``x``, each type's equilibrium value ``eq`` (n, 4), the posteriors and
        the plays after each message, and the largest ``gain`` (n,) of all of them."""
        x = np.clip(self.strategies(rows, z), 0.0, 1.0)
        x /= np.where(self.present[rows, :, None], x.sum(axis=-1, keepdims=True), 1.0)
        values, posts, played = message_values(self.stage, self.state[rows], x)
        eq = (x * values).sum(axis=-1)
        gain = np.where(self.present[rows], values.max(axis=-1) - eq, 0.0).max(axis=1)
        governments = np.max([play["gain"] for play in played], axis=0)
        ok = (gain <= tol) & (governments <= tol) & _every_message_sent(x)
        largest = np.where(_every_message_sent(x), np.maximum(gain, governments), np.inf)
        return {"ok": ok, "gain": largest, "x": x, "eq": eq, "posts": posts, "played": played}

    def _jacobian(self, idx: np.ndarray, za: np.ndarray, res: np.ndarray) -> np.ndarray:
        """The residual's Jacobian (k, 8, 8) at points ``za`` of candidates ``idx``, by forward
        differences in the free unknowns; a fixed unknown's row and column are the identity's."""
        free = self.free[idx]
        fr, fc = np.nonzero(free)
        h = np.where(za[fr, fc] + _STEP <= 1.0, _STEP, -_STEP)
        zs = za[fr].copy()
        zs[np.arange(fr.size), fc] += h
        res_s, _ = self.residuals(idx[fr], zs)
        jac = np.zeros((idx.size, 8, 8))  # [row, equation, unknown]
        jac[fr, :, fc] = (res_s - res[fr]) / h[:, None]
        return pin_fixed(jac, ~free)


def _every_message_sent(x: np.ndarray) -> np.ndarray:
    """Whether some type sends each message with positive probability (n,)."""
    return (x > 0).any(axis=1).all(axis=-1)


def message_values(
    stage: Any, states: np.ndarray, x: np.ndarray
) -> tuple[np.ndarray, list[np.ndarray], list[dict]]:
    """Each type's value of each message (n, 4, 3) when the types send them with ``x``
    (n, 4, 3), the receivers playing after each what the stage selects at the posterior.

    Parameters
    ----------
    stage : _Stage
        The period being solved (``simulator.model.buy_time_game._Stage``).
    states : numpy array of int, shape (n,)
        The states.
    x : numpy array, shape (n, 4, 3)
        Each type's probability of each message.

    Returns
    -------
    values : numpy array, shape (n, 4, 3)
        Russia's values (its equilibrium plan) by type and message.
    posts : list of numpy array, shape (n, 4)
        The posterior after each message (the prior after one nobody sends).
    played : list of dict
        The receivers' play after each message (:func:`.buy_time_receivers.plays`).
    """
    mu = stage.mu[states]
    values = np.empty(x.shape)
    posts, played = [], []
    for m in range(3):
        post = bayes(mu, x[..., m])
        play = plays(stage, states, post, np.full(states.size, m, dtype=np.int64))
        values[..., m] = play["russia"][..., _EQ]
        posts.append(post)
        played.append(play)
    return values, posts, played


def _starts(stage: Any, states: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The :data:`_KEEP` drawn strategies (and their states) with the smallest best-reply
    gap at each state, every message sent."""
    draws = []
    for st in states.tolist():
        rng = np.random.default_rng((_SEED, st))
        x = rng.dirichlet(np.ones(3), size=(_SAMPLES, 4))
        x = np.where(x < _UNSENT, 0.0, x)
        x /= x.sum(axis=-1, keepdims=True)
        draws.append(np.where(stage.mu[st][None, :, None] > 0, x, 0.0))
    x = np.concatenate(draws)
    rows = np.repeat(states, _SAMPLES)
    values, _, _ = message_values(stage, rows, x)
    present = stage.mu[rows] > 0
    gap = np.where(present, values.max(axis=-1) - (x * values).sum(axis=-1), 0.0).sum(axis=1)
    gap = np.where(_every_message_sent(x), gap, np.inf).reshape(states.size, _SAMPLES)
    best = np.argsort(gap, axis=1, kind="stable")[:, :_KEEP]
    finite = np.isfinite(np.take_along_axis(gap, best, axis=1)).reshape(-1)
    pick = (np.arange(states.size)[:, None] * _SAMPLES + best).reshape(-1)[finite]
    return rows[pick], x[pick]


def three_message_mixed(
    stage: Any,
    unresolved: np.ndarray,
    sender: np.ndarray,
    at: dict,
    tol: float,
    record: Closest | None = None,
) -> np.ndarray:
    """Fill ``sender`` and ``at`` where an equilibrium in which every message of a three-message
    stage is sent is found; return the states still unresolved.

    Only stages whose three messages are all available are tried, at states with two or more
    types present.

    Parameters
    ----------
    stage : _Stage
        The period being solved.
    unresolved : numpy array of int
        States without an equilibrium so far.
    sender : numpy array, shape (S, 4, 3)
        Each type's probability of each message, filled in place.
    at : dict of str to numpy array
        Each message's play, filled in place (:func:`.buy_time_receivers.record_play`).
    tol : float
        The largest gain accepted, of any type present and of any government.
    record : Closest, optional
        Where given, at each state where no equilibrium is found, the point reached with the
        smallest largest gain (of a present type over the three messages, or of a government)
        is written into it if that beats what it holds (the stage keeps the closest point of
        all it is offered, :func:`.buy_time_cascade.keep_closest`).

    Returns
    -------
    numpy array of int
        The states of ``unresolved`` where no such equilibrium was found.
    """
    available = np.asarray(stage.s.tables.available[0], dtype=bool)
    if available.size != 3 or not available.all() or unresolved.size == 0:
        return unresolved
    states = with_two_types(stage, unresolved)
    if states.size == 0:
        return unresolved
    rows, x = _starts(stage, states)
    if rows.size == 0:
        return unresolved
    system = _System(stage, rows, x)
    z, size = system.solve(system.start(x), tol)
    reached = np.flatnonzero(np.isfinite(size))
    found = system.check(reached, z[reached], tol)
    good = found["ok"] & (size[reached] <= tol)
    score = np.where(good, (stage.mu[rows[reached]] * found["eq"]).sum(axis=1), -np.inf)
    chosen = best_per_state(rows[reached], good, score)
    for st, r in chosen.items():
        sender[st] = found["x"][r]
        for m in range(3):
            record_play(at, st, m, found["posts"][m][r], found["played"][m], r)
    if record is not None:  # elsewhere, each state's point with the smallest largest gain
        for st in sorted(set(rows[reached].tolist()) - set(chosen)):
            mine = np.flatnonzero(rows[reached] == st)
            r = int(mine[np.argmin(found["gain"][mine])])
            if found["gain"][r] < record.gain[st]:
                record.gain[st] = found["gain"][r]
                record.sender[st] = found["x"][r]
                for m in range(3):
                    record_play(record.at, st, m, found["posts"][m][r], found["played"][m], r)
    return np.array([st for st in unresolved.tolist() if st not in chosen], dtype=np.int64)
