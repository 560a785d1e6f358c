"""Pooling equilibria of a buy-time stage held by Ukraine's mixed reply at a tie off the path.

:mod:`.buy_time_off_path` deters an unsent message with the receivers' *selected* play at a
belief on a lattice, or with a lottery between the two selected plays where they switch on an
edge of the simplex. A perfect Bayesian equilibrium allows any belief off the path and any
equilibrium of the receivers' game there, mixed ones included (Kreps & Sobel 1994,
"Signalling", *Handbook of Game Theory* 2, ch. 25). At a belief where Ukraine is indifferent
between two replies to a profile of the governments' stances, it may mix between them; if both
plays are equilibria of the receivers' game there (each government keeps its stance under
either reply), every type's value of talking is linear in Ukraine's weight, and the weights
that deter every type form an interval (:func:`.buy_time_off_path.deterring_weights`).

Such a tie can lie anywhere in the interior of the simplex of the types present, and the set
of beliefs where both plays are equilibria can be a sliver of it (in the baseline over 12
periods, a band of width 4e-4 in P(sincere)), so lines are searched rather than a lattice:
rays from each present type's vertex to the points of a fine lattice on the opposite face,
each scanned for a sign change of Ukraine's payoff difference of two replies at every profile,
and the tie located on it by false position (Illinois). Of the ties where both plays are
equilibria and some weight deters every type, the one with the widest interval of weights is
kept, at its midpoint. Only the pooling on fighting is tried: after fighting Ukraine's only
reply is to fight on, so it has no tie. The stage certifies the result.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from simulator.model import rules
from simulator.model.buy_time_lottery_plays import (
    play_margin,
    play_margins,
    play_payoffs,
    receivers_game,
)
from simulator.model.buy_time_off_path import deterring_weights, lattice
from simulator.model.buy_time_receivers import (
    best_per_state,
    false_position,
    first_two_messages,
    plays,
    record_play,
)
from simulator.model.buy_time_setup import CEASEFIRE, FIGHT_ON, SIGN

__all__ = ["tie_off_path"]

_EQ = 0
#: Points of the lattice on the face opposite a vertex, per edge, by the face's dimension
#: (an edge: 48 steps; a triangle: 12 steps, 91 points).
_STEPS = {1: 48, 2: 12}
#: Points scanned on each ray, its ends included.
_SCAN = 17
#: Rounds of false position locating a tie (each halves the bracket at worst every third).
_ROUNDS = 60
_PAIRS = ((SIGN, CEASEFIRE), (SIGN, FIGHT_ON), (CEASEFIRE, FIGHT_ON))
_FIGHT, _TALK = 0, 1


def _rays(present: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rays (start, end), each (n, 4), from each present type's vertex to the points of a
    lattice on the face of the other present types."""
    starts, ends = [], []
    for v in np.flatnonzero(present):
        others = present.copy()
        others[v] = False
        end = lattice(others, _STEPS.get(int(others.sum()) - 1, 1))
        start = np.zeros_like(end)
        start[:, v] = 1.0
        starts.append(start)
        ends.append(end)
    return np.concatenate(starts), np.concatenate(ends)


def _gaps(game: dict) -> np.ndarray:
    """Ukraine's payoff difference of each pair of replies (:data:`_PAIRS`) at every profile
    (R, P, 3 pairs); ``nan`` where a reply of the pair is not available."""
    u = game["u"]
    with np.errstate(invalid="ignore"):
        gap = np.stack([u[..., a] - u[..., b] for a, b in _PAIRS], axis=-1)
    return np.where(np.isfinite(gap), gap, np.nan)


def _locate(
    stage: Any,
    state: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    profile: np.ndarray,
    pair: np.ndarray,
) -> tuple[np.ndarray, dict]:
    """The tie of each bracket ``[lo, hi]`` on its ray (parameters of ``start -> end``): where
    Ukraine's payoffs of the replies of ``pair`` at ``profile`` are equal. Returns the
    beliefs (n, 4) and the receivers' game after talks there."""
    n = state.size
    r = np.arange(n)

    def gap_at(rows: np.ndarray, t: np.ndarray) -> np.ndarray:
        belief = (1 - t)[:, None] * start[rows] + t[:, None] * end[rows]
        game = receivers_game(stage, state[rows], belief, _TALK)
        return _gaps(game)[np.arange(rows.size), profile[rows], pair[rows]]

    lo, hi, f_lo, f_hi = false_position(
        gap_at, lo, hi, gap_at(r, lo), gap_at(r, hi), _ROUNDS, 1e-15, 1e-15
    )
    # the end whose gap is smaller in size stands for the tie
    t = np.where(np.abs(f_lo) <= np.abs(f_hi), lo, hi)
    belief = (1 - t)[:, None] * start + t[:, None] * end
    return belief, receivers_game(stage, state, belief, _TALK)


def tie_off_path(
    stage: Any, unresolved: np.ndarray, sender: np.ndarray, at: dict, tol: float
) -> np.ndarray:
    """Fill ``sender`` and ``at`` where every type fighting is an equilibrium once talks are
    deterred by Ukraine mixing between two replies at a tie off the path; return the states
    left.

    Only stages whose messages are fighting and talking are tried.

    Parameters
    ----------
    stage : _Stage
        The period being solved (its ``mu``, options and the messages available).
    unresolved : numpy array of int
        States without an equilibrium so far.
    sender : numpy array, shape (S, 4, M)
        Each type's probability of each message, filled in place.
    at : dict of str to numpy array
        Each message's play, filled in place (as in :func:`.buy_time_off_path.pooling_off_path`).
    tol : float
        The largest gain accepted (of a type from talking, of a government).

    Returns
    -------
    numpy array of int
        The states of ``unresolved`` where no such equilibrium was found.
    """
    if unresolved.size == 0 or not first_two_messages(stage):
        return unresolved
    states = unresolved[(stage.mu[unresolved] > 0).sum(axis=1) >= 2]
    if states.size == 0:
        return unresolved
    pooled = plays(stage, states, stage.mu[states], np.full(states.size, _FIGHT))
    usable = pooled["gain"] <= tol
    states, which = states[usable], np.flatnonzero(usable)
    # every ray of every state, scanned
    ray_state, ray_start, ray_end = [], [], []
    for s_ in states.tolist():
        start, end = _rays(stage.mu[s_] > 0)
        ray_state.append(np.full(start.shape[0], s_))
        ray_start.append(start)
        ray_end.append(end)
    if not ray_state:
        return unresolved
    r_state, r_start, r_end = map(np.concatenate, (ray_state, ray_start, ray_end))
    grid = np.linspace(0.0, 1.0, _SCAN)
    n_rays = r_state.size
    rep = np.repeat(np.arange(n_rays), _SCAN)
    tt = np.tile(grid, n_rays)
    beliefs = (1 - tt)[:, None] * r_start[rep] + tt[:, None] * r_end[rep]
    scanned = receivers_game(stage, r_state[rep], beliefs, _TALK)
    shape = (n_rays, _SCAN, stage.P)
    gaps = _gaps(scanned).reshape(shape + (len(_PAIRS),))
    u = scanned["u"].reshape(shape + (3,))
    governments = play_margins(scanned, ukraine=False).reshape(shape + (3,))
    cross = np.sign(gaps[:, :-1]) * np.sign(gaps[:, 1:]) < 0
    ray, seg, profile, pair = np.nonzero(cross)
    # Only ties that can hold both plays as equilibria are located: at both ends of the
    # bracket the third reply is worse, and the governments keep their stances under either
    # reply, each within the size of the gap the bracket closes (they move about as fast)
    size = np.maximum(
        np.abs(gaps[ray, seg, profile, pair]), np.abs(gaps[ray, seg + 1, profile, pair])
    )
    first, second = np.array(_PAIRS).T[:, pair]
    third = 3 - first - second
    keep = np.ones(ray.size, dtype=bool)
    for end in (seg, seg + 1):
        at_end = u[ray, end, profile]  # (n, 3)
        n_ = np.arange(ray.size)
        best = np.maximum(at_end[n_, first], at_end[n_, second])
        keep &= ~(at_end[n_, third] - best > size)
        for reply in (first, second):
            keep &= governments[ray, end, profile, reply] >= -size
    ray, seg, profile, pair = ray[keep], seg[keep], profile[keep], pair[keep]
    if ray.size == 0:
        return unresolved
    belief, game = _locate(
        stage,
        r_state[ray],
        r_start[ray],
        r_end[ray],
        grid[seg].copy(),
        grid[seg + 1].copy(),
        profile,
        pair,
    )
    reply = np.array(_PAIRS)[pair]  # (n, 2)
    u_scale = np.maximum(1.0, np.abs(np.nan_to_num(game["u"], neginf=0.0)).max(axis=(1, 2)))
    # both plays are equilibria of the receivers' game at the tie (Ukraine's own margin is
    # the tie itself, within the stage's tolerance)
    ok = np.ones(ray.size, dtype=bool)
    ends = []
    for j in range(2):
        margin = play_margin(game, profile, reply[:, j])
        ok &= margin >= -rules.TOL * u_scale
        ends.append(play_payoffs(stage, _TALK, game, profile, reply[:, j]))
    state = r_state[ray]
    where = np.searchsorted(states, state)
    present = stage.mu[state] > 0
    eq = pooled["russia"][which[where], :, _EQ]  # (n, 4) each type's value of fighting
    y_lo, y_hi, feasible = deterring_weights(
        ends[0]["russia"][..., _EQ], ends[1]["russia"][..., _EQ], eq + tol, present
    )
    ok &= feasible
    solved = best_per_state(state, ok, y_hi - y_lo)  # the widest interval of weights
    for s_, i in solved.items():
        sender[s_] = 0.0
        sender[s_, :, _FIGHT] = 1.0
        record_play(at, s_, _FIGHT, stage.mu[s_], pooled, int(which[where[i]]))
        y = 0.5 * float(y_lo[i] + y_hi[i])
        record_play(at, s_, _TALK, belief[i], ends[0], i, ends[1], i, y)
    return np.array([s_ for s_ in unresolved.tolist() if s_ not in solved], dtype=np.int64)
