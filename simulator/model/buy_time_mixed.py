"""Semi-separating equilibria of a buy-time stage where no pure assignment is one.

In some states no assignment of messages to Russia's four types is an equilibrium: if the types
pool, one of them gains by separating; if they separate, one gains by mimicking the other. The
equilibrium then has one type mixing between two messages so that it is indifferent (Kreps &
Sobel 1994, "Signalling", *Handbook of Game Theory* 2, ch. 25, section 4). Here every candidate
(the mixing type, its two messages, the other types' messages) is tried at once over the
unresolved states: the mixing probability ``x`` is found by bisection on the mixing type's
payoff difference, whose dependence on ``x`` runs through the receivers' posterior. Where that
difference jumps at ``x*`` (a receiver switches its reply at the posterior there, so is
indifferent), the receivers play a public lottery between their two replies that leaves the
mixing type indifferent. The other types' incentives, and those of the receivers under both
plays, are then checked exactly; unsent messages get the restricted belief that deters them, as
in the pure search.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from simulator.model import rules
from simulator.model.buy_time_receivers import best_per_state, deterring_sets, false_position
from simulator.model.buy_time_setup import restrict

__all__ = ["mixed"]

_EQ = 0
_EPS = 1e-12
_ROUNDS = 80


def _candidates(available: np.ndarray) -> list[tuple[int, int, int, tuple[int, ...]]]:
    """(mixing type, message a, message b, the others' messages) for every candidate."""
    msgs = [m for m in range(available.shape[0]) if available[m]]
    out = []
    for k in range(4):
        for a, b in itertools.combinations(msgs, 2):
            for others in itertools.product(msgs, repeat=3):
                out.append((k, a, b, others))
    return out


def _weights(cands: list, x: np.ndarray, messages: int) -> np.ndarray:
    """Each type's probability of each message (R, 4, M) for candidates at mixing ``x`` (R,)."""
    R = x.size
    w = np.zeros((R, 4, messages))
    rows = np.arange(R)
    k = np.array([c[0] for c in cands])
    a = np.array([c[1] for c in cands])
    b = np.array([c[2] for c in cands])
    others = np.array([c[3] for c in cands])  # (R, 3)
    other_types = np.array([[j for j in range(4) if j != kk] for kk in k])  # (R, 3)
    for j in range(3):
        w[rows, other_types[:, j], others[:, j]] = 1.0
    w[rows, k, a] = x
    w[rows, k, b] = 1.0 - x
    return w


def _posterior(mu: np.ndarray, w: np.ndarray, m: np.ndarray) -> np.ndarray:
    joint = mu * w[np.arange(w.shape[0]), :, m]
    total = joint.sum(-1, keepdims=True)
    return joint / np.maximum(total, 1e-300)


def mixed(
    stage: Any,
    unresolved: np.ndarray,
    table: dict[str, np.ndarray],
    sets: np.ndarray,
    sender: np.ndarray,
    at: dict[str, np.ndarray],
) -> np.ndarray:
    """Fill ``sender`` and ``at`` for the ``unresolved`` states where a semi-separating
    equilibrium is found; return the states still unresolved (their pure fallback kept).

    ``table`` holds the stage's play under the 15 restricted beliefs (for off-path messages):
    ``russia`` (S, M, 15, 4, 3), ``ukraine`` (S, M, 15, 4), ``profile`` and ``reply``
    (S, M, 15); ``at`` maps ``russia``, ``ukraine``,
    ``profile``, ``reply`` to each message's play (S, M, ...) and gains ``belief`` (S, M, 4),
    ``profile2``, ``reply2`` and ``lottery`` (S, M): the probability of the second play.

    Where a state has several semi-separating equilibria, the one with the highest ex-ante
    payoff to Russia is kept.

    Parameters
    ----------
    stage : object
        The buy-time stage being solved (``simulator.model.buy_time_game._Stage``): its public
        belief at each of its ``S`` states (``mu``, (S, 4)), its setup (``s``) and the
        receivers' play at any belief (``_receivers``).
    unresolved : numpy.ndarray of int
        The states (indices into ``range(S)``) where no pure assignment is an equilibrium.
    table : dict of str to numpy.ndarray
        The stage's play under the 15 restricted beliefs, as above.
    sets : numpy.ndarray of int, shape (S, M)
        The belief set stated after each message by the pure search (only its shape is read).
    sender : numpy.ndarray, shape (S, 4, M)
        Each type's probability of each message: the rows of the states solved here are
        overwritten with the semi-separating strategy.
    at : dict of str to numpy.ndarray
        Each message's play, as above: the rows of the states solved here are overwritten.

    Returns
    -------
    numpy.ndarray of int
        The states of ``unresolved`` still without an equilibrium (their rows of ``sender``
        and ``at`` are left as they were).
    """
    S, M = sets.shape
    russia, ukraine = table["russia"], table["ukraine"]
    mu_all = stage.mu
    available = stage.s.tables.available[0]
    cands = _candidates(available)
    if not cands or unresolved.size == 0:
        return unresolved
    # a type the public has ruled out moves no posterior, and its message does not matter
    cand_all = []
    state_all = []
    for st in unresolved:
        present = mu_all[st] > 0
        seen = set()
        for c in cands:
            k, a_, b_, others = c
            if not present[k]:
                continue
            others_types = [j for j in range(4) if j != k]
            key = (k, a_, b_, tuple(o if present[j] else a_ for j, o in zip(others_types, others)))
            if key in seen:
                continue
            seen.add(key)
            cand_all.append(key)
            state_all.append(st)
    if not cand_all:
        return unresolved
    states = np.array(state_all)
    cand = cand_all
    R = states.size
    mu = mu_all[states]
    k = np.array([c[0] for c in cand])
    a = np.array([c[1] for c in cand])
    b = np.array([c[2] for c in cand])
    rows = np.arange(R)

    def difference(sel: np.ndarray, x: np.ndarray) -> np.ndarray:
        """The mixing type's value of message ``a`` less that of ``b`` at its probability
        ``x`` of sending ``a``; the plays after both messages in one call per message."""
        n = sel.size
        w = _weights([cand[i] for i in sel], x, M)
        post = np.concatenate([_posterior(mu[sel], w, a[sel]), _posterior(mu[sel], w, b[sel])])
        msg = np.concatenate([a[sel], b[sel]])
        both = np.concatenate([sel, sel])
        value = np.zeros(2 * n)
        for m in np.unique(msg):
            part = msg == m
            play = stage._receivers(states[both[part]], post[part], [int(m)])[0]
            value[part] = play["russia"][np.arange(part.sum()), k[both[part]], _EQ]
        return value[:n] - value[n:]

    lo = np.full(R, _EPS)
    hi = np.full(R, 1.0 - _EPS)
    d_lo = difference(rows, lo)
    d_hi = difference(rows, hi)
    bracket = (np.sign(d_lo) != np.sign(d_hi)) & (d_lo != 0) & (d_hi != 0)
    if not bracket.any():
        return unresolved
    keep = np.flatnonzero(bracket)
    states, mu, k, a, b = states[keep], mu[keep], k[keep], a[keep], b[keep]
    cand = [cand[i] for i in keep]
    lo, hi, d_lo, d_hi = lo[keep], hi[keep], d_lo[keep], d_hi[keep]
    R = states.size
    rows = np.arange(R)
    bracket = np.ones(R, dtype=bool)
    # Illinois false position; rows stop once the bracket or the difference is negligible
    lo, hi, d_lo, d_hi = false_position(difference, lo, hi, d_lo, d_hi, _ROUNDS, 1e-13, 1e-14)

    def evaluate(x: np.ndarray) -> tuple[list, list]:
        """Every message's play at the posteriors after ``a`` and after ``b`` (one call)."""
        w = _weights(cand, x, M)
        post = np.concatenate([_posterior(mu, w, a), _posterior(mu, w, b)])
        plays = stage._receivers(np.concatenate([states, states]), post, range(M))
        halves = [{key: value[:R] for key, value in p.items()} for p in plays]
        return halves, [{key: value[R:] for key, value in p.items()} for p in plays]

    x = hi
    play_a_lo, play_b_lo = evaluate(lo)
    play_a_hi, play_b_hi = evaluate(hi)
    # the public lottery between the two plays that leaves the mixing type indifferent
    y = np.clip(d_lo / np.where(d_lo != d_hi, d_lo - d_hi, 1.0), 0.0, 1.0)
    w = _weights(cand, x, M)

    def at_message(plays_lo: list, plays_hi: list, m: np.ndarray, key: str) -> tuple:
        lo_v = np.stack([p[key] for p in plays_lo], 1)[rows, m]
        hi_v = np.stack([p[key] for p in plays_hi], 1)[rows, m]
        return lo_v, hi_v

    # values of every message for every type under this candidate
    values = np.full((R, M, 4), -np.inf)
    u_vals = np.zeros((R, M, 4))
    on_path = np.zeros((R, M), dtype=bool)  # whether each message is sent with weight
    sent = w.sum(1) > 0  # (R, M) whether a message is sent by some type (any weight)
    mass = np.einsum("rk,rkm->rm", mu, w)
    for m in range(M):
        mm = np.full(R, m)
        ra_lo, ra_hi = at_message(play_a_lo, play_a_hi, mm, "russia")
        rb_lo, rb_hi = at_message(play_b_lo, play_b_hi, mm, "russia")
        ua_lo, ua_hi = at_message(play_a_lo, play_a_hi, mm, "ukraine")
        ub_lo, ub_hi = at_message(play_b_lo, play_b_hi, mm, "ukraine")
        is_a, is_b = (a == m), (b == m)
        # message m is a or b: the lottery of the plays at the posterior after it
        r_ab = np.where(
            is_a[:, None, None],
            (1 - y)[:, None, None] * ra_lo + y[:, None, None] * ra_hi,
            (1 - y)[:, None, None] * rb_lo + y[:, None, None] * rb_hi,
        )[..., _EQ]
        u_ab = np.where(
            is_a[:, None],
            (1 - y)[:, None] * ua_lo + y[:, None] * ua_hi,
            (1 - y)[:, None] * ub_lo + y[:, None] * ub_hi,
        )
        # a third message others send: its play at its own (fixed) posterior
        other = ~(is_a | is_b)
        post_m = _posterior(mu, w, mm)
        if other.any():
            play_m = stage._receivers(states[other], post_m[other], [m])[0]
            r_other = np.zeros((R, 4))
            u_other = np.zeros((R, 4))
            r_other[other] = play_m["russia"][..., _EQ]
            u_other[other] = play_m["ukraine"]
        else:
            r_other = np.zeros((R, 4))
            u_other = np.zeros((R, 4))
        on = sent[:, m] & (mass[:, m] > 0)
        val = np.where((is_a | is_b)[:, None], r_ab, r_other)
        values[:, m] = np.where(on[:, None], val, values[:, m])
        u_vals[:, m] = np.where((is_a | is_b)[:, None], u_ab, u_other)
        on_path[:, m] = on
    # unsent messages: the restricted belief that deters every type, if any
    eq = np.einsum("rkm,rmk->rk", w, np.where(np.isfinite(values), values, 0.0))
    span = np.ptp(russia[states].reshape(R, -1), axis=1)
    tol = rules.TOL * np.maximum(1.0, span)
    off_set = np.full((R, M), 14)
    ok = bracket.copy()
    for m in range(M):
        on = on_path[:, m]
        worth = russia[states, m][..., _EQ]  # (R, 15, 4)
        deters = deterring_sets(worth, eq, mu > 0, tol)  # (R, 15)
        usable_m = available[m] & ~on
        ok &= ~usable_m | deters.any(axis=1)
        off_set[:, m] = np.where(deters.any(axis=1), deters.argmax(axis=1), 14)
        off_val = worth[rows, off_set[:, m]]
        values[:, m] = np.where(usable_m[:, None], off_val, values[:, m])
        u_vals[:, m] = np.where(
            usable_m[:, None], ukraine[states, m][rows, off_set[:, m]], u_vals[:, m]
        )
    gain = np.where(mu > 0, values.max(axis=1) - eq, 0.0).max(axis=1)
    ok &= gain <= tol
    # receivers under both plays at the final posterior (their payoffs are continuous in it)
    for plays_hi in (play_a_hi, play_b_hi):
        for p in plays_hi:
            ok &= p["gain"] <= tol
    if not ok.any():
        return unresolved
    score = np.where(ok, (mu * eq).sum(-1), -np.inf)
    chosen = best_per_state(states, ok, score)
    solved_states = np.array(sorted(chosen), dtype=np.int64)
    for i in solved_states:
        r = chosen[int(i)]
        sender[i] = w[r]
        for m in range(M):
            if on_path[r, m]:
                post = _posterior(mu[r : r + 1], w[r : r + 1], np.array([m]))[0]
                at["belief"][i, m] = post
                if m in (a[r], b[r]):
                    src_lo = play_a_lo if m == a[r] else play_b_lo
                    src_hi = play_a_hi if m == a[r] else play_b_hi
                    at["profile"][i, m] = src_lo[m]["profile"][r]
                    at["reply"][i, m] = src_lo[m]["reply"][r]
                    at["profile2"][i, m] = src_hi[m]["profile"][r]
                    at["reply2"][i, m] = src_hi[m]["reply"][r]
                    at["lottery"][i, m] = y[r]
                    at["russia"][i, m] = (1 - y[r]) * src_lo[m]["russia"][r] + y[r] * src_hi[m][
                        "russia"
                    ][r]
                    at["ukraine"][i, m] = (1 - y[r]) * src_lo[m]["ukraine"][r] + y[r] * src_hi[m][
                        "ukraine"
                    ][r]
                else:
                    play = stage._receivers(np.array([states[r]]), post[None], [m])[0]
                    for key in ("profile", "reply", "russia", "ukraine"):
                        at[key][i, m] = play[key][0]
                    at["profile2"][i, m] = at["profile"][i, m]
                    at["reply2"][i, m] = at["reply"][i, m]
                    at["lottery"][i, m] = 0.0
            else:
                j = off_set[r, m]
                at["belief"][i, m] = stage_beliefs(stage, states[r], j)
                for key in ("russia", "ukraine", "profile", "reply"):
                    at[key][i, m] = table[key][states[r], m, j]
                at["profile2"][i, m] = at["profile"][i, m]
                at["reply2"][i, m] = at["reply"][i, m]
                at["lottery"][i, m] = 0.0
    return np.setdiff1d(unresolved, solved_states)


def stage_beliefs(stage: Any, state: int, belief_set: int) -> np.ndarray:
    """The belief of restricted set ``belief_set`` at ``state``."""
    return restrict(stage.mu[state])[belief_set]
