"""Equilibria of a buy-time stage in which any number of types mix, found by Newton's method.

Where the receivers' play does not switch near the equilibrium, each type's gain from talking
over fighting, ``D_k(x)``, is a continuous function of every type's probability of talking,
``x`` (through the posteriors after each message), and an equilibrium is a solution of the
complementarity problem ``x_k = clip(x_k + D_k(x), 0, 1)`` for every type present: a type that
mixes is indifferent (``D_k = 0``), one that talks for sure gains from it (``D_k >= 0``), one that
fights for sure loses (``D_k <= 0``). It is solved by a semismooth Newton method (the types
inside the box solve ``D_k = 0``, the others sit at their bound; the Jacobian of ``D`` by forward
differences; a backtracking line search on the largest residual) from many starting points at
once, those with the smallest best-reply gap first (F. Facchinei & J.-S. Pang, *Finite-
Dimensional Variational Inequalities and Complementarity Problems*, Springer 2003, ch. 7-8).
A root is kept only if every type's, and every government's, gain is within the tolerance
at the receivers' exact play there; the stage (:meth:`.buy_time_game._Stage.solve`) certifies
the result like every other play.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from simulator.model.buy_time_receivers import (
    best_per_state,
    both_sent,
    posteriors,
    record_mixing,
    record_play,
    solve_each,
    two_type_states,
)
from simulator.model.buy_time_receivers import plays as receivers_play

__all__ = ["interior_mixed", "newton"]

_EQ = 0
_STARTS = 48  # starting points drawn per state
_KEEP = 4
_ITERATIONS = 30
_STEP = 1e-7  # forward-difference step
_SCALE = 100.0  # weight of the gains in the second Newton pass (see _residual)
_STEPS = 0.5 ** np.arange(8)  # step lengths tried at once by the line search
_SEED = 20220405  # starts are drawn from this seed and the state, so results repeat exactly


def _values(stage: Any, states: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each type's value of fighting and of talking (R, 4) when the types talk with ``x``.

    A message nobody sends gets the prior as its posterior (only its rows' values are moot:
    the caller treats such points as invalid).
    """
    out = []
    for m, post in enumerate(posteriors(stage.mu[states], x)):
        out.append(receivers_play(stage, states, post, np.full(states.size, m))["russia"][..., _EQ])
    return out[0], out[1]


def _residual(x: np.ndarray, d: np.ndarray, present: np.ndarray, scale: float = 1.0) -> np.ndarray:
    """The complementarity residual ``x - clip(x + c D, 0, 1)`` (0 for absent types).

    Any ``c = scale > 0`` has the same roots. With ``c = 1`` a type one percent short of a
    bound whose gain is a small 2e-4 counts as mixing, and Newton's step for it, from a nearly
    flat row of the Jacobian, can go astray; a large ``c`` puts such a type at its bound (and
    elsewhere can stall where ``c = 1`` does not, so both are tried).
    """
    return np.where(present, x - np.clip(x + scale * d, 0.0, 1.0), 0.0)


def newton(
    values: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]],
    x: np.ndarray,
    present: np.ndarray,
    scale: float = 1.0,
) -> tuple:
    """Iterate the semismooth Newton method on every row; return ``x`` and the residual.

    Parameters
    ----------
    values : callable
        ``values(rows, x)``: each type's value of fighting and of talking (n, 4) at rows
        ``rows`` (indices into ``x``'s rows) when the types talk with ``x`` (n, 4); NaN where
        the point is not admissible.
    x : numpy array, shape (R, 4)
        The starting points (copied).
    present : numpy array of bool, shape (R, 4)
        The types the public has not ruled out.
    scale : float
        The weight of the gains in the residual (:func:`_residual`).

    Returns
    -------
    tuple of numpy arrays
        The points reached (R, 4) and their residuals (R,), inf where a message is unsent.
    """
    x = x.copy()
    fight, talk = values(np.arange(x.shape[0]), x)
    d = talk - fight
    F = _residual(x, d, present, scale)
    size = np.where(both_sent(x, present), np.abs(F).max(axis=1), np.inf)
    active = np.isfinite(size) & (size > 1e-14)
    eye = np.eye(4)
    for _ in range(_ITERATIONS):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        xa, da, pa = x[idx], d[idx], present[idx]
        # forward differences of D in each present type's probability (an absent type's moves
        # no posterior: its column is 0)
        step = np.where(xa + _STEP <= 1.0, _STEP, -_STEP)  # (n, 4)
        fr, fc = np.nonzero(pa)
        xs = xa[fr].copy()
        xs[np.arange(fr.size), fc] += step[fr, fc]
        f_s, t_s = values(idx[fr], xs)
        jac = np.zeros((idx.size, 4, 4))  # [row, k, l] = dD_k / dx_l
        jac[fr, :, fc] = ((t_s - f_s) - da[fr]) / step[fr, fc][:, None]
        z = xa + scale * da
        inside = pa & (z > 0) & (z < 1)
        # inside: -J dx = D ; at a bound or absent: dx_k = -F_k
        A = np.where(inside[..., None], -jac, eye[None])
        rhs = np.where(inside, da, -_residual(xa, da, pa, scale))
        dx = solve_each(A, rhs, lambda a, b: np.linalg.lstsq(a, b, rcond=None)[0])
        dx = np.where(pa & np.isfinite(dx), dx, 0.0)
        # a line search over several step lengths at once, the longest that improves kept
        trial = np.clip(xa[:, None, :] + _STEPS[None, :, None] * dx[:, None, :], 0.0, 1.0)
        trial = trial.reshape(-1, 4)
        rows_t = np.repeat(idx, _STEPS.size)
        f_c, t_c = values(rows_t, trial)
        d_c = t_c - f_c
        pa_t = present[rows_t]
        s_c = np.abs(_residual(trial, d_c, pa_t, scale)).max(axis=1)
        s_c = np.where(both_sent(trial, pa_t), s_c, np.inf)
        s_c = s_c.reshape(idx.size, _STEPS.size)
        improves = s_c < size[idx, None]
        found = improves.any(axis=1)
        pick = np.arange(idx.size) * _STEPS.size + improves.argmax(axis=1)
        new_x = np.where(found[:, None], trial[pick], xa)
        new_d = np.where(found[:, None], d_c[pick], da)
        new_size = np.where(found, s_c.reshape(-1)[pick], size[idx])
        improved = new_size < size[idx]
        x[idx], d[idx], size[idx] = new_x, new_d, new_size
        active[idx] = improved & (new_size > 1e-14)
    return x, size


def interior_mixed(
    stage: Any,
    unresolved: np.ndarray,
    sender: np.ndarray,
    at: dict,
    tol: float,
    stalls: dict | None = None,
) -> np.ndarray:
    """Fill ``sender`` and ``at`` where Newton's method finds an equilibrium in which types mix
    with the receivers' play unswitched; return the states still unresolved.

    Only stages with exactly two messages available are tried. Of several roots at a state,
    the one with the highest ex-ante payoff to Russia is kept.

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
        The largest gain accepted, of any type present and of any government.
    stalls : dict, optional
        If given, filled with the points Newton's method ended at (``state``, ``x``,
        ``residual``), for searches that start where this one stopped.

    Returns
    -------
    numpy array of int
        The states of ``unresolved`` where no such equilibrium was found.
    """
    states = two_type_states(stage, unresolved)
    if states.size == 0:
        return unresolved
    rows = np.repeat(states, _STARTS)
    present = stage.mu[rows] > 0
    # each state's starts from a generator seeded by the state, so they do not depend on
    # which other states are searched with it
    draws = [np.random.default_rng((_SEED, st)).random((2, _STARTS, 4)) for st in states.tolist()]
    x = np.concatenate([d[0] for d in draws])
    corner = np.concatenate([d[1] for d in draws])
    x = np.where(corner < 0.15, 0.0, np.where(corner > 0.85, 1.0, x))
    fight, talk = _values(stage, rows, x)
    d = talk - fight
    gap = np.where(present, x * np.maximum(0, -d) + (1 - x) * np.maximum(0, d), 0.0).sum(1)
    gap = np.where(both_sent(x, present), gap, np.inf).reshape(states.size, _STARTS)
    best = np.argsort(gap, axis=1, kind="stable")[:, :_KEEP]
    pick = (np.arange(states.size)[:, None] * _STARTS + best).reshape(-1)
    rows, x, present = rows[pick], x[pick], present[pick]
    starts = x.copy()

    def at_rows(idx: np.ndarray, xs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return _values(stage, rows[idx], xs)

    x, size = newton(at_rows, x, present)
    if stalls is not None:
        stalls.update(state=rows.copy(), x=x.copy(), residual=size.copy())
    # states where no start converged: again, with the gains weighed _SCALE times (_residual)
    solved = np.isin(rows, rows[size <= tol])
    if not solved.all():
        again = np.flatnonzero(~solved)
        x_a, size_a = newton(
            lambda i, xs: at_rows(again[i], xs), starts[again], present[again], _SCALE
        )
        x[again], size[again] = x_a, size_a
    good = size <= tol
    if not good.any():
        return unresolved
    rows, x, present = rows[good], x[good], present[good]
    # snap types at a bound to it exactly, then check every incentive at the exact play
    fight, talk = _values(stage, rows, x)
    d = talk - fight
    x = np.where(present & (x + d >= 1.0), 1.0, np.where(present & (x + d <= 0.0), 0.0, x))
    x = np.where(present, x, 0.0)
    ok = both_sent(x, present)
    mu = stage.mu[rows]
    posts = posteriors(mu, x)
    plays = [receivers_play(stage, rows, posts[m], np.full(rows.size, m)) for m in (0, 1)]
    value = np.stack([plays[0]["russia"][..., _EQ], plays[1]["russia"][..., _EQ]], -1)  # (n,4,2)
    strategy = np.stack([1.0 - x, x], -1)
    eq = (strategy * value).sum(-1)
    gain = np.where(present, value.max(-1) - eq, 0.0).max(axis=1)
    ok &= gain <= tol
    ok &= np.maximum(plays[0]["gain"], plays[1]["gain"]) <= tol
    score = np.where(ok, (mu * eq).sum(-1), -np.inf)
    chosen = best_per_state(rows, ok, score)
    for st, r in chosen.items():
        record_mixing(sender, st, x[r], present[r])
        for m in (0, 1):
            record_play(at, st, m, posts[m][r], plays[m], r)
    return np.array([st for st in unresolved.tolist() if st not in chosen], dtype=np.int64)
