"""Equilibria of a buy-time stage where types mix and the receivers play a lottery at a switch.

:mod:`.buy_time_interior` solves the types' complementarity problem where the receivers' play
does not switch. Where it does, Newton's method stalls at the switch: on one side of it a type
prefers talking, on the other fighting. The equilibrium then puts the posterior after one
message, ``m``, exactly where the receivers switch from play ``A`` to play ``B`` (so they are
indifferent and may play the public lottery ``(1 - y) A + y B``), and the types' indifference
conditions are met with the lottery's weight ``y`` as one of the unknowns (Kreps & Sobel 1994,
"Signalling", *Handbook of Game Theory* 2, ch. 25).

One mixing type, the *anchor* ``a``, is spent on the switch: given the other types'
probabilities of talking, its own is found by bisection where the play after ``m`` turns from
``A`` to ``B``. The unknowns left are the other types' probabilities and ``y``; the equations
are the complementarity conditions of the other types and the anchor's indifference, a square
system solved by a semismooth Newton method with forward-difference Jacobians. Candidates
(the message, the anchor and the plays) are read off where the search of
:mod:`.buy_time_interior` stopped: a scan of the anchor's probability with the others held
finds where the play after ``m`` switches. The stage (:meth:`.buy_time_game._Stage.solve`)
certifies the result like every other play.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from simulator.model.buy_time_receivers import (
    best_per_state,
    locate_switch,
    play_keys,
    plays,
    posteriors,
    record_mixing,
    record_play,
)

__all__ = ["switching_mixed"]

_EQ = 0
_SCAN = 32  # grid intervals of the anchor's probability scanned for switches
_ITERATIONS = 10
_STEP = 1e-7
_SEARCHES = 2  # stall points tried per state
_STEPS = np.array([1.0, 0.5, 0.25, 0.125])  # step lengths tried by the line search


def _expand(mask: np.ndarray, like: np.ndarray) -> np.ndarray:
    """``mask`` (n,) shaped to broadcast against ``like`` (n, ...)."""
    return mask.reshape(mask.shape + (1,) * (like.ndim - 1))


class _Switch:
    """Candidates (state, message ``m``, anchor ``a``, plays ``A`` and ``B``) and their system."""

    def __init__(self, stage: Any, cand: dict[str, np.ndarray]) -> None:
        self.stage = stage
        self.state = cand["state"]
        self.m = cand["m"]
        self.a = cand["a"]
        self.key_a, self.key_b = cand["key_a"], cand["key_b"]
        self.mu = stage.mu[self.state]
        self.present = self.mu > 0
        self.anchor_guess = cand["xa"].copy()

    def _key_after_m(self, rows: np.ndarray, x: np.ndarray) -> np.ndarray:
        fight, talk = posteriors(self.mu[rows], x)
        post = np.where((self.m[rows] == 0)[:, None], fight, talk)
        return play_keys(self.stage, self.state[rows], post, self.m[rows])

    def locate(
        self, rows: np.ndarray, x: np.ndarray, width: np.ndarray | float = 1e-13
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The anchor's probability bracketing the switch from ``A`` to ``B`` (lo, hi), or not,
        to ``width``."""
        n = rows.size
        guess = self.anchor_guess[rows]
        lo = np.zeros(n)
        hi = np.ones(n)
        found = np.zeros(n, dtype=bool)
        # first a narrow scan around the last position of the switch, then the whole range
        for span, points in ((1e-6, 3), (1.0 / 64, 5), (None, _SCAN + 1)):
            todo = np.flatnonzero(~found)
            if todo.size == 0:
                break
            if span is None:
                grid = np.tile(np.linspace(0.0, 1.0, points), (todo.size, 1))
            else:
                base = np.clip(guess[todo], span, 1.0 - span)
                grid = base[:, None] + np.linspace(-span, span, points)[None]
            rep = np.repeat(todo, points)
            xs = x[rep].copy()
            xs[np.arange(rep.size), self.a[rows][rep]] = grid.reshape(-1)
            key = self._key_after_m(rows[rep], xs).reshape(todo.size, points)
            match = (key[:, :-1] == self.key_a[rows][todo, None]) & (
                key[:, 1:] == self.key_b[rows][todo, None]
            )
            mids = 0.5 * (grid[:, :-1] + grid[:, 1:])
            dist = np.where(match, np.abs(mids - guess[todo, None]), np.inf)
            g = dist.argmin(axis=1)
            hit = np.isfinite(dist[np.arange(todo.size), g])
            lo[todo[hit]] = grid[hit, g[hit]]
            hi[todo[hit]] = grid[hit, g[hit] + 1]
            found[todo[hit]] = True

        def key_at(r_: np.ndarray, t: np.ndarray) -> np.ndarray:
            xm = x[r_].copy()
            xm[np.arange(r_.size), self.a[rows][r_]] = t
            return self._key_after_m(rows[r_], xm)

        f = np.flatnonzero(found)
        w = np.broadcast_to(width, lo.shape)[f]
        lo[f], hi[f] = locate_switch(
            lambda r_, t: key_at(f[r_], t), lo[f], hi[f], self.key_a[rows][f], width=w
        )
        return lo, hi, found

    def evaluate(self, rows: np.ndarray, z: np.ndarray, width: np.ndarray | float = 1e-13) -> dict:
        """The system at ``z`` (the types' probabilities, the anchor's ignored; ``y`` last),
        the switch located to ``width``."""
        n = rows.size
        x = np.where(self.present[rows], np.clip(z[:, :4], 0.0, 1.0), 0.0)
        y = z[:, 4]
        lo, hi, found = self.locate(rows, x, width)
        r = np.arange(n)
        a = self.a[rows]
        # the plays after m at both ends of the switch and after the other message at its
        # middle, in one call (rows stacked)
        beliefs, messages = [], []
        for end in (lo, hi):
            xe = x.copy()
            xe[r, a] = end
            post = posteriors(self.mu[rows], xe)
            beliefs.append(np.where((self.m[rows] == 0)[:, None], post[0], post[1]))
            messages.append(self.m[rows])
        x[r, a] = 0.5 * (lo + hi)
        fight, talk = posteriors(self.mu[rows], x)
        other = 1 - self.m[rows]
        beliefs.append(np.where((other == 0)[:, None], fight, talk))
        messages.append(other)
        stacked = plays(
            self.stage,
            np.tile(self.state[rows], 3),
            np.concatenate(beliefs),
            np.concatenate(messages),
        )
        *ends, play_o = (
            {key: value[k * n : (k + 1) * n] for key, value in stacked.items()} for k in range(3)
        )
        lottery = (1 - y)[:, None] * ends[0]["russia"][..., _EQ] + y[:, None] * ends[1]["russia"][
            ..., _EQ
        ]
        v_o = play_o["russia"][..., _EQ]
        talk_v = np.where((self.m[rows] == 1)[:, None], lottery, v_o)
        fight_v = np.where((self.m[rows] == 1)[:, None], v_o, lottery)
        d = talk_v - fight_v
        res = np.where(self.present[rows], x - np.clip(x + d, 0.0, 1.0), 0.0)
        res[r, a] = d[r, a]  # the anchor mixes: it must be indifferent
        bad = ~found | (y < 0) | (y > 1) | ~(x[r, a] > 0) | ~(x[r, a] < 1)
        size = np.where(bad, np.inf, np.abs(res).max(axis=1))
        return {
            "x": x,
            "y": y,
            "d": d,
            "res": res,
            "size": size,
            "ends": ends,
            "other": play_o,
            "talk": talk_v,
            "fight": fight_v,
        }

    def _weight_slope(self, rows: np.ndarray, ev: dict) -> np.ndarray:
        """The residual's slope (n, 4) in the lottery's weight ``y`` at an evaluation ``ev``
        (its ``x``, ``d`` and the plays at the switch's ends): each type's gain from talking
        moves with ``y`` by the lottery's spread, on the side of the message ``m``."""
        r = np.arange(rows.size)
        spread = ev["ends"][1]["russia"][..., _EQ] - ev["ends"][0]["russia"][..., _EQ]
        slope = np.where((self.m[rows] == 1)[:, None], spread, -spread)  # of the gains d
        x, d = ev["x"], ev["d"]
        inside = self.present[rows] & (x + d > 0.0) & (x + d < 1.0)
        out = np.where(inside, -slope, 0.0)  # of x - clip(x + d, 0, 1)
        out[r, self.a[rows]] = slope[r, self.a[rows]]  # the anchor's row is its gain itself
        return out

    def solve(self, z: np.ndarray) -> tuple[np.ndarray, dict]:
        """Semismooth Newton on every candidate from ``z``; the final evaluation."""
        rows = np.arange(self.state.size)
        cur = self.evaluate(rows, z)
        located = np.isfinite(cur["size"])
        self.anchor_guess[located] = cur["x"][located, self.a[located]]
        active = np.isfinite(cur["size"]) & (cur["size"] > 1e-14)
        eye = np.eye(5)
        for _ in range(_ITERATIONS):
            idx = np.flatnonzero(active)
            if idx.size == 0:
                break
            za = z[idx]
            # far from the root a coarse difference step and a coarse switch will do; both
            # shrink with the residual (the switch stays far finer than the step)
            h = np.clip(cur["size"][idx], _STEP, 1e-3)
            width = np.maximum(h * 1e-6, 1e-13)
            step = np.where(za + h[:, None] <= 1.0, h[:, None], -h[:, None])
            # forward differences in the probabilities of the present types other than the
            # anchor (its own is set by the switch), the point itself evaluated beside them at
            # the same precision; the residual is linear in the lottery's weight, which does
            # not move the posteriors: its column is exact, from the point's evaluation
            free = self.present[idx].copy()
            free[np.arange(idx.size), self.a[idx]] = False
            fr, fc = np.nonzero(free)
            zs = np.concatenate([za[fr], za])
            zs[np.arange(fr.size), fc] += step[fr, fc]
            ev = self.evaluate(
                np.concatenate([idx[fr], idx]), zs, np.concatenate([width[fr], width])
            )
            base = ev["res"][fr.size :]
            jac = np.zeros((idx.size, 4, 5))  # [row, equation k, unknown l]
            jac[fr, :, fc] = (ev["res"][: fr.size] - base[fr]) / step[fr, fc][:, None]
            point = {key: ev[key][fr.size :] for key in ("x", "d")}
            point["ends"] = [{"russia": end["russia"][fr.size :]} for end in ev["ends"]]
            jac[:, :, 4] = self._weight_slope(idx, point)
            # Newton on the residual (its active piece is the one at the base point); absent
            # types and the anchor's own probability (set by the switch) do not move
            A = np.zeros((idx.size, 5, 5))
            A[:, :4, :] = jac
            rhs = np.zeros((idx.size, 5))
            rhs[:, :4] = -base
            absent = ~self.present[idx]
            A[:, :4, :] = np.where(absent[..., None], eye[:4][None], A[:, :4, :])
            rhs[:, :4] = np.where(absent, 0.0, rhs[:, :4])
            A[np.arange(idx.size), 4, self.a[idx]] = 1.0
            dz = np.stack([np.linalg.lstsq(a_, b_, rcond=None)[0] for a_, b_ in zip(A, rhs)])
            # a line search over a few step lengths at once, the longest that improves kept
            steps = _STEPS[None, :, None]
            trial = np.clip(za[:, None, :] + steps * dz[:, None, :], 0.0, 1.0).reshape(-1, 5)
            ev = self.evaluate(np.repeat(idx, _STEPS.size), trial, np.repeat(width, _STEPS.size))
            sizes = ev["size"].reshape(idx.size, _STEPS.size)
            improves = sizes < cur["size"][idx, None]
            better = improves.any(axis=1)
            pick = np.arange(idx.size) * _STEPS.size + improves.argmax(axis=1)
            new = {
                k: np.where(_expand(better, cur[k][idx]), ev[k][pick], cur[k][idx])
                for k in ("x", "y", "d", "res", "size")
            }
            z_new = np.where(better[:, None], trial[pick], za)
            moved = idx[better]
            self.anchor_guess[moved] = new["x"][better, self.a[moved]]
            z[idx] = z_new
            for k in new:
                cur[k][idx] = new[k]
            active[idx] = better & (new["size"] > 1e-14)
        return z, self.evaluate(rows, z)


def switching_mixed(
    stage: Any,
    unresolved: np.ndarray,
    sender: np.ndarray,
    at: dict,
    tol: float,
    stalls: dict,
) -> np.ndarray:
    """Fill ``sender`` and ``at`` where types mix and the receivers after one message play a
    lottery at the posterior where they switch; return the states still unresolved.

    Parameters
    ----------
    stage : _Stage
        The period being solved (its ``mu``, ``_receivers`` and the messages available).
    unresolved : numpy array of int
        States without an equilibrium so far.
    sender : numpy array, shape (S, 4, M)
        Each type's probability of each message, filled in place.
    at : dict of str to numpy array
        Each message's play, filled in place (as in :func:`.buy_time_interior.interior_mixed`).
    tol : float
        The largest gain accepted, of any type present and of any government.
    stalls : dict
        Where :func:`.buy_time_interior.interior_mixed` stopped (``state``, ``x``,
        ``residual``).

    Returns
    -------
    numpy array of int
        The states of ``unresolved`` where no such equilibrium was found.
    """
    if unresolved.size == 0 or not stalls:
        return unresolved
    keep = np.isin(stalls["state"], unresolved)
    st_all, x_all, size_all = stalls["state"][keep], stalls["x"][keep], stalls["residual"][keep]
    if st_all.size == 0:
        return unresolved
    # the best few stall points of each state
    order = np.lexsort((size_all, st_all))
    st_all, x_all = st_all[order], x_all[order]
    first = np.r_[True, st_all[1:] != st_all[:-1]]
    starts = np.maximum.accumulate(np.where(first, np.arange(st_all.size), 0))
    rank = np.arange(st_all.size) - starts
    pick = rank < _SEARCHES
    st_all, x_all = st_all[pick], x_all[pick]
    # candidates: every message, every present type as the anchor, every switch along it,
    # scanned from each stall point and from its variants with one other type at a bound
    # (the stall point may sit where no switch lies along the right anchor)
    n_stall = st_all.size
    bases_x, bases_row, bases_var = [x_all], [np.arange(n_stall)], [np.full(n_stall, -1)]
    for k in range(4):
        here = np.flatnonzero(stage.mu[st_all, k] > 0)
        for bound in (0.0, 1.0):
            varied = x_all[here].copy()
            varied[:, k] = bound
            bases_x.append(varied)
            bases_row.append(here)
            bases_var.append(np.full(here.size, k))
    base_x, base_row = np.concatenate(bases_x), np.concatenate(bases_row)
    base_var = np.concatenate(bases_var)
    base_state = st_all[base_row]
    cands: dict[str, list] = {k: [] for k in ("state", "m", "a", "key_a", "key_b", "xa", "row")}
    grid = np.linspace(0.0, 1.0, _SCAN + 1)
    for m in (0, 1):
        for a in range(4):
            rows = np.flatnonzero(stage.mu[base_state, a] > 0)
            rows = rows[base_var[rows] != a]  # the scan sets the anchor's own probability
            if rows.size == 0:
                continue
            rep = np.repeat(rows, grid.size)
            xs = base_x[rep].copy()
            xs[:, a] = np.tile(grid, rows.size)
            fight, talk = posteriors(stage.mu[base_state[rep]], xs)
            post = fight if m == 0 else talk
            key = play_keys(stage, base_state[rep], post, np.full(rep.size, m))
            key = key.reshape(rows.size, grid.size)
            r, g = np.nonzero(key[:, 1:] != key[:, :-1])
            for rr, gg in zip(r, g):
                cands["state"].append(base_state[rows[rr]])
                cands["m"].append(m)
                cands["a"].append(a)
                cands["key_a"].append(key[rr, gg])
                cands["key_b"].append(key[rr, gg + 1])
                cands["xa"].append(0.5 * (grid[gg] + grid[gg + 1]))
                cands["row"].append(rows[rr])
    if not cands["state"]:
        return unresolved
    cand = {k: np.array(v) for k, v in cands.items()}
    # one candidate per (state, message, anchor, plays): the one from the best stall point
    order = np.lexsort(
        (cand["row"], cand["key_b"], cand["key_a"], cand["a"], cand["m"], cand["state"])
    )
    cand = {k: v[order] for k, v in cand.items()}
    ident = np.stack([cand[k] for k in ("state", "m", "a", "key_a", "key_b")], axis=1)
    fresh = np.r_[True, np.any(ident[1:] != ident[:-1], axis=1)]
    cand = {k: v[fresh] for k, v in cand.items()}
    problem = _Switch(stage, cand)
    z = np.zeros((cand["state"].size, 5))
    z[:, :4] = base_x[cand["row"]]
    z[np.arange(z.shape[0]), cand["a"]] = cand["xa"]
    z[:, 4] = 0.5
    z, ev = problem.solve(z)
    # every incentive at the exact plays
    x, y = ev["x"], ev["y"]
    present = problem.present
    talk_v, fight_v = ev["talk"], ev["fight"]
    eq = x * talk_v + (1 - x) * fight_v
    gain = np.where(present, np.maximum(talk_v, fight_v) - eq, 0.0).max(axis=1)
    ok = np.isfinite(ev["size"]) & (gain <= tol)
    ok &= (
        np.maximum.reduce([ev["ends"][0]["gain"], ev["ends"][1]["gain"], ev["other"]["gain"]])
        <= tol
    )
    score = np.where(ok, (problem.mu * eq).sum(-1), -np.inf)
    chosen = best_per_state(problem.state, ok, score)
    for st, i in chosen.items():
        m, o = int(problem.m[i]), 1 - int(problem.m[i])
        record_mixing(sender, st, x[i], present[i])
        fight, talk = posteriors(problem.mu[i : i + 1], x[i : i + 1])
        posts = (fight[0], talk[0])
        record_play(at, st, m, posts[m], ev["ends"][0], i, ev["ends"][1], i, y[i])
        record_play(at, st, o, posts[o], ev["other"], i)
    return np.array([st for st in unresolved.tolist() if st not in chosen], dtype=np.int64)
