"""Pooling equilibria of a buy-time stage held by a mixed reply off the path.

The pure search (:func:`simulator.model.offer_search.search`) deters an unsent message with
one of the fifteen restricted beliefs (the prior restricted to a set of types) and the
receivers' pure play there. A perfect Bayesian equilibrium allows any belief off the path and
any best reply to it, mixed ones included. Where every type pools on one message and no
restricted belief deters the other, a belief on an edge of the simplex (weight on two present
types) where the receivers switch their play can: the receivers are indifferent there, so a
public lottery between the two plays is a best reply, and every type's value of the lottery is
linear in its weight ``y``. The deterring weights form an interval; its midpoint is kept
(Kreps & Sobel 1994, "Signalling", *Handbook of Game Theory* 2, ch. 25, on beliefs off the
path). The same lotteries, at switches inside the simplex as well, deter the message a
withdrawal game's two-message equilibrium leaves unsent (:func:`switch_deterrence`, used by
:mod:`.buy_time_withdrawal`). The stage (:meth:`.buy_time_game._Stage.solve`) certifies the
result.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from simulator.model.buy_time_lottery_plays import play_margins, play_payoffs, receivers_game
from simulator.model.buy_time_receivers import (
    first_two_messages,
    locate_switch,
    pair_belief,
    play_key,
    play_keys,
    plays,
    record_play,
)

__all__ = [
    "deterring_weights",
    "equilibrium_deterrence",
    "lattice",
    "lattice_deterrence",
    "pooling_off_path",
    "switch_deterrence",
]

_EQ = 0
_SCAN = 32
_LATTICE = 12  # step 1/12 on the simplex of the types present
_SWITCH_LATTICE = 6  # the segments searched for a switch: a lattice of step 1/6


def lattice(present: np.ndarray, steps: int = _LATTICE) -> np.ndarray:
    """Beliefs on the present types at every point of a lattice of step ``1 / steps``.

    Parameters
    ----------
    present : numpy array of bool, shape (4,)
        The types the beliefs put weight on.
    steps : int
        The lattice's steps per edge.

    Returns
    -------
    numpy array, shape (n, 4)
        One belief per lattice point.

    Examples
    --------
    >>> lattice(np.array([True, False, True, False]), 2).tolist()
    [[0.0, 0.0, 1.0, 0.0], [0.5, 0.0, 0.5, 0.0], [1.0, 0.0, 0.0, 0.0]]
    """
    types = np.flatnonzero(present)
    points = [c for c in itertools.product(range(steps + 1), repeat=types.size) if sum(c) == steps]
    out = np.zeros((len(points), 4))
    out[:, types] = np.array(points, dtype=float) / steps
    return out


def _edge_rows(stage: Any, pools: list[tuple[int, int, int]]) -> dict[str, np.ndarray]:
    """(pool index, i, j) for every pair of present types of each pooling candidate."""
    rows = []
    for n, (st, _p, _m) in enumerate(pools):
        present = np.flatnonzero(stage.mu[st] > 0)
        for a in range(present.size):
            for b in range(a + 1, present.size):
                rows.append((n, present[a], present[b]))
    arr = np.array(rows, dtype=np.int64).reshape(-1, 3)
    return {"pool": arr[:, 0], "i": arr[:, 1], "j": arr[:, 2]}


def deterring_weights(
    a: np.ndarray, b: np.ndarray, cap: np.ndarray, present: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The lottery weights ``y`` in [0, 1] with ``(1 - y) a + y b <= cap`` for every present
    type: an interval per row.

    Parameters
    ----------
    a, b : numpy array, shape (R, 4)
        Each type's value of the lottery's first and second play.
    cap : numpy array, shape (R, 4)
        The most each type may get (its value on the path, plus the tolerance).
    present : numpy array of bool, shape (R, 4)
        The types present (the others are not constrained).

    Returns
    -------
    tuple of numpy arrays, shape (R,)
        The interval's ends ``lo`` and ``hi``, and whether it is non-empty.

    Examples
    --------
    >>> a, b = np.array([[1.0, 0.0, 0, 0]]), np.array([[0.0, 1.0, 0, 0]])
    >>> lo, hi, ok = deterring_weights(a, b, np.full((1, 4), 0.75), np.array([[1, 1, 0, 0]], bool))
    >>> lo.tolist(), hi.tolist(), ok.tolist()
    ([0.25], [0.75], [True])
    """
    lo = np.zeros(a.shape[0])
    hi = np.ones(a.shape[0])
    slope = b - a
    room = cap - a
    up = present & (slope > 0)
    down = present & (slope < 0)
    flat = present & (slope == 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        bound = room / slope
    hi = np.minimum(hi, np.where(up, bound, np.inf).min(axis=1))
    lo = np.maximum(lo, np.where(down, bound, -np.inf).max(axis=1))
    feasible = (lo <= hi) & ~np.any(flat & (room < 0), axis=1)
    return lo, hi, feasible


def lattice_deterrence(
    stage: Any, states: np.ndarray, messages: np.ndarray, value: np.ndarray, tol: float
) -> dict[str, np.ndarray]:
    """For each candidate, the belief on a lattice over the types present (:func:`lattice`)
    that best deters an unsent message: the receivers' play after it there is an equilibrium
    of their game, and it leaves every present type at most its equilibrium value, with the
    widest margin (the first such point at a tie).

    A pure play at some belief off the path may deter a message nobody sends; the receivers'
    values are continuous in the belief, so a lattice is searched rather than the 15
    restricted beliefs alone.

    Parameters
    ----------
    stage : _Stage
        The period being solved.
    states : numpy array of int, shape (n,)
        Each candidate's state.
    messages : numpy array of int, shape (n,)
        Each candidate's unsent message.
    value : numpy array, shape (n, 4)
        Each type's equilibrium value.
    tol : float
        The largest gain allowed a type or a government.

    Returns
    -------
    dict of str to numpy array
        ``found`` (n,): whether some lattice belief deters; ``belief`` (n, 4) and ``margin``
        (n,) there (``-inf`` where none does); ``play``: the receivers' plays there, one row
        per candidate (as :func:`.buy_time_receivers.plays` gives them).
    """
    beliefs = [lattice(stage.mu[st] > 0) for st in states.tolist()]
    row = np.repeat(np.arange(states.size), [b.shape[0] for b in beliefs])
    belief = np.concatenate(beliefs)
    play = plays(stage, states[row], belief, messages[row])
    present = stage.mu[states[row]] > 0
    margin = np.where(present, value[row] - play["russia"][..., _EQ], np.inf).min(axis=1)
    margin = np.where((margin >= -tol) & (play["gain"] <= tol), margin, -np.inf)
    # each candidate's widest margin, the first of its points at a tie
    order = np.lexsort((np.arange(row.size), -margin, row))
    pick = order[np.flatnonzero(np.r_[True, row[order][1:] != row[order][:-1]])]
    return {
        "found": np.isfinite(margin[pick]),
        "belief": belief[pick],
        "margin": margin[pick],
        "play": {key: value_[pick] for key, value_ in play.items()},
    }


def equilibrium_deterrence(
    stage: Any, states: np.ndarray, messages: np.ndarray, value: np.ndarray, tol: float
) -> dict[str, Any]:
    """For each candidate, a belief on the lattice of :func:`lattice` and a pure equilibrium
    of the receivers' game there, any of them and not only the one the stage selects, that
    deters an unsent message: it leaves every present type at most its equilibrium value, with
    the widest margin (the first such point and play at a tie).

    A perfect Bayesian equilibrium asks the receivers, after a message nobody sends, only to
    play an equilibrium of their game at some belief; where their game has several there, the
    one the stage would select on the path (the governments' with the highest total payoff)
    may reward the message while another deters it.

    Parameters
    ----------
    stage, states, messages, value, tol
        As for :func:`lattice_deterrence` (a play is an equilibrium where its margin,
        :func:`.buy_time_lottery_plays.play_margins`, is at least ``-tol``).

    Returns
    -------
    dict
        ``found`` (n,); ``belief`` (n, 4) and ``play`` (a dict of arrays, one row per
        candidate, as :func:`.buy_time_lottery_plays.play_payoffs` gives them, with its
        ``profile`` and ``reply``) where found.
    """
    n = states.size
    out: dict[str, Any] = {"found": np.zeros(n, dtype=bool), "belief": np.zeros((n, 4))}
    out["play"] = {}
    for m in np.unique(messages).tolist():
        mine = np.flatnonzero(messages == m)
        beliefs = [lattice(stage.mu[st] > 0) for st in states[mine].tolist()]
        owner = np.repeat(mine, [b.shape[0] for b in beliefs])
        belief = np.concatenate(beliefs)
        game = receivers_game(stage, states[owner], belief, m)
        equilibrium = play_margins(game) >= -tol  # (N, P, 3)
        present = stage.mu[states[owner]] > 0
        played, margins = [], []
        for p, r in zip(*np.nonzero(equilibrium.any(axis=0))):
            # (every row read, the options' lookups being laid out by row)
            play = play_payoffs(
                stage, m, game, np.full(owner.size, p), np.full(owner.size, r, dtype=np.int64)
            )
            margin = np.where(present, value[owner] - play["russia"][..., _EQ], np.inf).min(1)
            played.append(play)
            margins.append(np.where(equilibrium[:, p, r], margin, -np.inf))
        if not played:
            continue
        # each candidate's widest margin over its points and plays, the first play and then
        # the first point at a tie (play-major order)
        flat = np.concatenate(margins)
        who = np.tile(owner, len(played))
        order = np.lexsort((np.arange(flat.size), -flat, who))
        first = order[np.r_[True, who[order][1:] != who[order][:-1]]]
        for i in first[flat[first] >= -tol].tolist():
            c, (k, row) = int(who[i]), divmod(i, owner.size)
            out["found"][c] = True
            out["belief"][c] = belief[row]
            for key, column in played[k].items():
                table = out["play"].setdefault(key, np.zeros((n,) + column.shape[1:], column.dtype))
                table[c] = column[row]
    return out


def _neighbours(present: np.ndarray, steps: int) -> tuple[np.ndarray, np.ndarray]:
    """The beliefs at the ends of every segment between neighbouring points of the lattice
    of :func:`lattice` (one step of weight moved from one present type to another): two
    arrays (n, 4)."""
    types = np.flatnonzero(present)
    points = [c for c in itertools.product(range(steps + 1), repeat=types.size) if sum(c) == steps]
    index = {c: k for k, c in enumerate(points)}
    pairs = []
    for c in points:
        for a, b in itertools.combinations(range(types.size), 2):
            if c[a] > 0:
                moved = list(c)
                moved[a] -= 1
                moved[b] += 1
                pairs.append((index[c], index[tuple(moved)]))
    beliefs = np.zeros((len(points), 4))
    beliefs[:, types] = np.array(points, dtype=float).reshape(len(points), types.size) / steps
    ends = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    return beliefs[ends[:, 0]], beliefs[ends[:, 1]]


def switch_deterrence(
    stage: Any, states: np.ndarray, messages: np.ndarray, value: np.ndarray, tol: float
) -> dict[str, Any]:
    """For each candidate, a belief off the path where the receivers' play after an unsent
    message switches and a public lottery between the plays on either side deters every
    present type (the first found, scanning the segments between neighbouring points of a
    lattice of step ``1 / _SWITCH_LATTICE`` on the types present).

    Where neither a restricted belief nor a lattice point deters a message with the play the
    receivers select there (:func:`lattice_deterrence`), the receivers' indifference at a
    switch may: both plays are best replies there, so any lottery between them is, and every
    type's value of it is linear in its weight (:func:`deterring_weights`; the middle of the
    deterring interval is kept). :func:`pooling_off_path` looks for such switches on the
    simplex's edges; this looks inside it as well, where three or four types are present.

    Parameters
    ----------
    stage, states, messages, value, tol
        As for :func:`lattice_deterrence`.

    Returns
    -------
    dict
        ``found`` (n,); ``belief`` (n, 4), the lottery's weight ``y`` (n,), and its
        ``first`` and ``second`` plays (dicts of arrays, one row per candidate, as
        :func:`.buy_time_receivers.plays` gives them) where found.
    """
    n = states.size
    out: dict[str, Any] = {"found": np.zeros(n, dtype=bool), "belief": np.zeros((n, 4))}
    out.update(y=np.zeros(n), first={}, second={})
    segments = [_neighbours(stage.mu[st] > 0, _SWITCH_LATTICE) for st in states.tolist()]
    cand = np.repeat(np.arange(n), [a.shape[0] for a, _ in segments])
    if cand.size == 0:
        return out
    start = np.concatenate([a for a, _ in segments])
    stop = np.concatenate([b for _, b in segments])
    st_c, m_c = states[cand], messages[cand]
    both = play_keys(
        stage, np.tile(st_c, 2), np.concatenate([start, stop]), np.tile(m_c, 2)
    ).reshape(2, -1)
    row = np.flatnonzero(both[0] != both[1])  # segments where the play switches

    def key_at(r: np.ndarray, t: np.ndarray) -> np.ndarray:
        rr = row[r]
        belief = (1 - t)[:, None] * start[rr] + t[:, None] * stop[rr]
        return play_keys(stage, st_c[rr], belief, m_c[rr])

    lo, hi = locate_switch(key_at, np.zeros(row.size), np.ones(row.size), both[0, row])
    ends = plays(
        stage,
        np.repeat(st_c[row], 2),
        np.repeat(start[row], 2, axis=0) * (1 - np.c_[lo, hi].reshape(-1, 1))
        + np.repeat(stop[row], 2, axis=0) * np.c_[lo, hi].reshape(-1, 1),
        np.repeat(m_c[row], 2),
    )
    ends = {k: v.reshape((row.size, 2) + v.shape[1:]) for k, v in ends.items()}
    owner = cand[row]
    present = stage.mu[states[owner]] > 0
    y_lo, y_hi, feasible = deterring_weights(
        ends["russia"][:, 0, :, _EQ], ends["russia"][:, 1, :, _EQ], value[owner] + tol, present
    )
    feasible &= ends["gain"].max(axis=1) <= tol
    first = {k: np.zeros((n,) + v.shape[2:], dtype=v.dtype) for k, v in ends.items()}
    second = {k: np.zeros((n,) + v.shape[2:], dtype=v.dtype) for k, v in ends.items()}
    for r in np.flatnonzero(feasible).tolist():
        c = int(owner[r])
        if out["found"][c]:
            continue
        out["found"][c] = True
        t = 0.5 * (lo[r] + hi[r])
        out["belief"][c] = (1 - t) * start[row[r]] + t * stop[row[r]]
        out["y"][c] = 0.5 * (y_lo[r] + y_hi[r])
        for key, value_ in ends.items():
            first[key][c], second[key][c] = value_[r, 0], value_[r, 1]
    out["first"], out["second"] = first, second
    return out


def pooling_off_path(
    stage: Any, unresolved: np.ndarray, sender: np.ndarray, at: dict, tol: float
) -> np.ndarray:
    """Fill ``sender`` and ``at`` where every type pooling on one message is an equilibrium
    once the other is deterred by a lottery at an edge belief; return the states left.

    Only stages with exactly two messages available are tried.

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
        The largest gain accepted (of a type from the unsent message, of a government).

    Returns
    -------
    numpy array of int
        The states of ``unresolved`` where no such equilibrium was found.
    """
    if unresolved.size == 0 or not first_two_messages(stage):
        return unresolved
    pools = [(int(st), p, 1 - p) for st in unresolved.tolist() for p in (0, 1)]
    st_arr = np.array([q[0] for q in pools])
    p_arr = np.array([q[1] for q in pools])
    m_arr = np.array([q[2] for q in pools])
    on_path = plays(stage, st_arr, stage.mu[st_arr], p_arr)
    eq = on_path["russia"][..., _EQ]  # (n, 4) every type's value of pooling
    usable = on_path["gain"] <= tol
    solved: set[int] = set()

    def fill(n: int, belief: np.ndarray, first: dict, second: dict, r: int, y: float) -> None:
        st, p, m = pools[n]
        solved.add(st)
        sender[st] = 0.0
        sender[st, :, p] = 1.0
        record_play(at, st, p, stage.mu[st], on_path, n)
        record_play(at, st, m, belief, first, r, second, r, y)

    # a pure play at a lattice belief off the path; of a state's pools, the widest margin
    lat = lattice_deterrence(stage, st_arr, m_arr, eq, tol)
    best: dict[int, int] = {}
    for n in np.flatnonzero(lat["found"] & usable).tolist():
        st = pools[n][0]
        if st not in best or lat["margin"][n] > lat["margin"][best[st]]:
            best[st] = n
    for _st, n in sorted(best.items()):
        fill(n, lat["belief"][n], lat["play"], lat["play"], n, 0.0)
    left = [n for n, q in enumerate(pools) if q[0] not in solved]
    edges = _edge_rows(stage, [pools[n] for n in left])
    if edges["pool"].size == 0:
        return np.array([st for st in unresolved.tolist() if st not in solved], dtype=np.int64)
    edges["pool"] = np.array(left, dtype=np.int64)[edges["pool"]]
    pool = edges["pool"]
    grid = np.linspace(0.0, 1.0, _SCAN + 1)
    E = pool.size
    rep = np.repeat(np.arange(E), grid.size)
    q = np.tile(grid, E)
    play = plays(
        stage,
        st_arr[pool[rep]],
        pair_belief(edges["i"][rep], edges["j"][rep], q),
        m_arr[pool[rep]],
    )
    key = play_key(play).reshape(E, grid.size)
    row, g = np.nonzero(key[:, 1:] != key[:, :-1])
    lo, hi = grid[g], grid[g + 1]
    k_lo = key[row, g]

    def key_at(r: np.ndarray, q_: np.ndarray) -> np.ndarray:
        rr = row[r]
        belief = pair_belief(edges["i"][rr], edges["j"][rr], q_)
        return play_keys(stage, st_arr[pool[rr]], belief, m_arr[pool[rr]])

    lo, hi = locate_switch(key_at, lo, hi, k_lo)
    q_s = 0.5 * (lo + hi)
    two = np.clip(np.repeat(q_s, 2) + np.tile([-1e-12, 1e-12], row.size), 0.0, 1.0)
    ends = plays(
        stage,
        np.repeat(st_arr[pool[row]], 2),
        pair_belief(np.repeat(edges["i"][row], 2), np.repeat(edges["j"][row], 2), two),
        np.repeat(m_arr[pool[row]], 2),
    )
    ends = {k: v.reshape((row.size, 2) + v.shape[1:]) for k, v in ends.items()}
    n_of = pool[row]
    present = stage.mu[st_arr[n_of]] > 0
    y_lo, y_hi, feasible = deterring_weights(
        ends["russia"][:, 0, :, _EQ], ends["russia"][:, 1, :, _EQ], eq[n_of] + tol, present
    )
    feasible &= usable[n_of] & (ends["gain"].max(axis=1) <= tol)
    for r in np.flatnonzero(feasible):
        n = int(n_of[r])
        if pools[n][0] in solved:
            continue
        belief = pair_belief(
            edges["i"][row[r : r + 1]], edges["j"][row[r : r + 1]], q_s[r : r + 1]
        )[0]
        first = {k: v[:, 0] for k, v in ends.items()}
        second = {k: v[:, 1] for k, v in ends.items()}
        fill(n, belief, first, second, r, 0.5 * (y_lo[r] + y_hi[r]))
    return np.array([st for st in unresolved.tolist() if st not in solved], dtype=np.int64)
