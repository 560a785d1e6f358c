"""Markov perfect equilibrium of the buy-time game: the equilibrium of one stage.

In each state and period, for each of the four outcomes of the followers' choices, Russia's two
types play a signalling stage (:class:`_RussiaStage`, mixed into the solver of
:mod:`simulator.model.markov`). Its equilibrium is sought among pure profiles, with off-path
beliefs chosen in ``{0, mu, 1}`` to deter deviations, then, in the states still without one,
among pure profiles with exact off-path beliefs, semi-separating profiles in which one type mixes
and the posterior solves the other's indifference exactly on the interpolated value, profiles in
which both types mix, and separating profiles at beliefs 0 and 1. :func:`_followers` solves the
West's and Ukraine's 2x2 game. Each candidate carries its largest one-shot deviation gain, the
certificate (E. Maskin & J. Tirole (2001), "Markov perfect equilibrium I: observable actions",
*Journal of Economic Theory* 100(2)).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from simulator.model.markov_result import _D, _F, _R, _T
from simulator.model.markov_setup import _belief_interp


class _RussiaStage:
    """The signalling stage of the two Russian types; :class:`simulator.model.markov._Solver`
    inherits it."""

    # -- Russia's signalling stage --------------------------------------------------
    def _russia_stage(
        self,
        qf: list,
        qt: list,
        qd: list,
        e: int,
        accept: bool,
        settle_ok: np.ndarray,
        tol: float,
        mu: np.ndarray,
    ) -> dict[str, Any]:
        """Equilibrium of the two Russian types given the followers' choices (e, accept)."""
        # value arrays Q[k][i][a]: a = F, T (by posterior, last axis), D (no posterior)
        shape = qf[0][0].shape  # (P, Fi, M)
        q = [
            [
                [qf[k][i], qt[k][i][e], np.broadcast_to(qd[k][i][:, :, None], shape)]
                for i in range(3)
            ]
            for k in range(2)
        ]
        can_settle = np.broadcast_to(
            (settle_ok if accept else np.zeros_like(settle_ok))[:, None, None], shape
        )
        mu_b = np.broadcast_to(mu[None, None, :], shape)
        avail = [True, True, accept and bool(settle_ok.any())]

        best = None
        for a_s in range(3):
            for a_b in range(3):
                if not (avail[a_s] and avail[a_b]):
                    continue
                cand = self._pure(q, a_s, a_b, mu_b, can_settle)
                best = cand if best is None else _better(best, cand, mu_b, tol)
        assert best is not None
        # Later passes run only on the states still without an equilibrium, in this order:
        # pure profiles with exact off-path beliefs, semi-separating profiles, both types
        # mixing, and separating profiles at beliefs 0 and 1.
        passes = (
            lambda q_, mu_, cs_: [
                self._pure(q_, a_s, a_b, mu_, cs_, full=False)
                for a_s in range(3)
                for a_b in range(3)
                if avail[a_s] and avail[a_b]
            ],
            lambda q_, mu_, cs_: self._mixed(q_, mu_, cs_, avail),
            lambda q_, mu_, cs_: [self._both_mix(q_, mu_, cs_)],
            lambda q_, mu_, cs_: self._boundary(q_, mu_, cs_, avail),
        )
        for make in passes:
            failing = best["gain"] > tol
            if not failing.any():
                break
            idx = np.nonzero(failing)

            def sub(arr: np.ndarray, settle: bool, idx: tuple = idx) -> np.ndarray:
                return arr[idx][:, None] if settle else arr[idx[0], idx[1], :]

            sub_q = [
                [[sub(q[k][i][a], a == _D) for a in range(3)] for i in range(3)] for k in range(2)
            ]
            sub_mu = mu_b[idx][:, None]
            sub_best = None
            for cand in make(sub_q, sub_mu, can_settle[idx][:, None]):
                sub_best = cand if sub_best is None else _better(sub_best, cand, sub_mu, tol)
            if sub_best is not None:
                improve = sub_best["gain"][:, 0] < best["gain"][idx]
                rows = tuple(ix[improve] for ix in idx)
                _assign(best, sub_best, rows, improve)
        return {
            "sigma": best["sigma"],
            "post": best["post"],
            "value": best["value"],
            "gain": best["gain"],
            "unresolved": int((best["gain"] > tol).sum()),
        }

    def _pure(
        self,
        q: list,
        a_s: int,
        a_b: int,
        mu_b: np.ndarray,
        can_settle: np.ndarray,
        full: bool = True,
    ) -> dict[str, Any]:
        """A pure profile (sincere plays a_s, staller a_b) with deterring off-path beliefs."""
        post: list[Any] = [None, None]
        for a in (_F, _T):
            if a == a_s and a == a_b:
                post[a] = "mu" if full else mu_b
            elif a == a_s:
                post[a] = "one"
            elif a == a_b:
                post[a] = "zero"
        sigma = [[float(a == a_s) for a in range(3)], [float(a == a_b) for a in range(3)]]
        return _evaluate(q, sigma, post, mu_b, can_settle, full=full)

    def _boundary(self, q: list, mu_b: np.ndarray, can_settle: np.ndarray, avail: list) -> list:
        """Separating profiles at a belief of 0 or 1, where one type has no mass.

        An action only the massless type takes is then a zero-probability event, so Bayes'
        rule leaves its posterior free: it is searched over the belief grid.
        """
        out = []
        edge = (mu_b == 0.0) | (mu_b == 1.0)
        if not edge.any():
            return out
        M = q[0][0][0].shape[-1]
        sincere_massless = mu_b == 0.0
        for a_s in range(3):
            for a_b in range(3):
                if a_s == a_b or not (avail[a_s] and avail[a_b]):
                    continue
                best = None
                for m in range(M):
                    pi = np.full(mu_b.shape, m / (M - 1.0))
                    post: list[Any] = [None, None]
                    for a, own in ((a_s, 0), (a_b, 1)):
                        if a == _D:
                            continue
                        massless = sincere_massless if own == 0 else ~sincere_massless
                        post[a] = np.where(massless, pi, mu_b)
                    sigma = [
                        [float(a == a_s) for a in range(3)],
                        [float(a == a_b) for a in range(3)],
                    ]
                    cand = _evaluate(q, sigma, post, mu_b, can_settle, full=False)
                    cand["gain"] = np.where(edge, cand["gain"], np.inf)
                    best = cand if best is None else _better(best, cand, mu_b, 0.0)
                out.append(best)
        return out

    def _mixed(self, q: list, mu_b: np.ndarray, can_settle: np.ndarray, avail: list) -> list:
        """Semi-separating candidates: one type mixes, the posterior solves its indifference."""
        out = []
        M = q[0][0][0].shape[-1]
        grid = np.linspace(0.0, 1.0, M)
        m_state = np.rint(mu_b[:, 0] * (M - 1)).astype(int)
        acts = [a for a in range(3) if avail[a]]
        for pure_type in (0, 1):
            mixer = 1 - pure_type
            for a in (_F, _T):  # the action both types play (posterior on the grid axis)
                for b in acts:
                    if b == a:
                        continue
                    # the mixer's other action b is played by it alone
                    if b == _D:
                        rhs = q[mixer][_R][_D]
                    else:
                        alone = 0.0 if mixer == 1 else 1.0
                        rhs = q[mixer][_R][b][..., -1:] if alone else q[mixer][_R][b][..., :1]
                    diff = q[mixer][_R][a] - rhs  # (n, M) over the posterior
                    pi = _root(diff, grid, m_state, upper=(mixer == 1))[:, None]
                    ok = np.isfinite(pi)
                    pi = np.where(ok, pi, mu_b)
                    post: list[Any] = [None, None]
                    post[a] = pi
                    if b != _D:
                        post[b] = "zero" if mixer == 1 else "one"
                    with np.errstate(divide="ignore", invalid="ignore"):
                        if mixer == 1:  # staller plays a with q, sincere always a
                            share = np.where(
                                (1 - mu_b) * pi > 0, mu_b * (1 - pi) / ((1 - mu_b) * pi), 1.0
                            )
                        else:  # sincere plays a with r, staller always a
                            share = np.where(
                                mu_b * (1 - pi) > 0, pi * (1 - mu_b) / (mu_b * (1 - pi)), 1.0
                            )
                    share = np.clip(np.nan_to_num(share, nan=1.0), 0.0, 1.0)
                    sigma: list[list[Any]] = [[0.0] * 3, [0.0] * 3]
                    sigma[pure_type][a] = 1.0
                    sigma[mixer][a] = share
                    sigma[mixer][b] = 1.0 - share
                    cand = _evaluate(q, sigma, post, mu_b, can_settle, full=False)
                    cand["gain"] = np.where(ok, cand["gain"], np.inf)
                    out.append(cand)
        return out

    def _both_mix(self, q: list, mu_b: np.ndarray, can_settle: np.ndarray) -> dict[str, Any]:
        """Both types mix between fighting and talking; the two posteriors solve both
        indifferences. On each pair of belief-grid segments the interpolated values are linear,
        so the posteriors solve a 2x2 linear system there."""
        qs_f, qs_t = q[0][_R][_F], q[0][_R][_T]  # (n, M)
        qb_f, qb_t = q[1][_R][_F], q[1][_R][_T]
        n, M = qs_f.shape
        h = 1.0 / (M - 1)
        a_s, d_s = qs_f[:, :-1, None], np.diff(qs_f)[:, :, None]  # fight segment i
        c_s, e_s = qs_t[:, None, :-1], np.diff(qs_t)[:, None, :]  # talk segment j
        a_b, d_b = qb_f[:, :-1, None], np.diff(qb_f)[:, :, None]
        c_b, e_b = qb_t[:, None, :-1], np.diff(qb_t)[:, None, :]
        det = e_s * d_b - d_s * e_b
        with np.errstate(divide="ignore", invalid="ignore"):
            frac_f = ((a_s - c_s) * e_b - e_s * (a_b - c_b)) / det
            frac_t = (d_s * (c_b - a_b) - d_b * (c_s - a_s)) / det
        grid = np.arange(M - 1) * h
        pi_f = grid[None, :, None] + frac_f * h
        pi_t = grid[None, None, :] + frac_t * h
        mu = mu_b[:, :, None]
        ok = (
            (np.abs(det) > 1e-14)
            & (frac_f >= 0)
            & (frac_f <= 1)
            & (frac_t >= 0)
            & (frac_t <= 1)
            & ((pi_f - mu) * (pi_t - mu) < 0)
        )
        flat = ok.reshape(n, -1)
        has = flat.any(axis=1)
        pick = np.argmax(flat, axis=1)
        rows = np.arange(n)
        pf = np.where(has, pi_f.reshape(n, -1)[rows, pick], 1.0)[:, None]
        pt = np.where(has, pi_t.reshape(n, -1)[rows, pick], 0.0)[:, None]
        mu1 = mu_b
        with np.errstate(divide="ignore", invalid="ignore"):
            p_fight = (mu1 - pt) / (pf - pt)
            s_f = np.clip(np.nan_to_num(p_fight * pf / mu1), 0.0, 1.0)
            b_f = np.clip(np.nan_to_num(p_fight * (1 - pf) / (1 - mu1)), 0.0, 1.0)
        sigma = [[s_f, 1.0 - s_f, 0.0], [b_f, 1.0 - b_f, 0.0]]
        cand = _evaluate(q, sigma, [pf, pt], mu_b, can_settle, full=False)
        cand["gain"] = np.where(has[:, None], cand["gain"], np.inf)
        return cand


def _root(diff: np.ndarray, grid: np.ndarray, m_state: np.ndarray, upper: bool) -> np.ndarray:
    """Posterior at which the piecewise-linear ``diff`` (over the belief grid) crosses zero.

    ``upper``: search ``[mu, 1]`` and take the crossing closest to ``mu``; otherwise ``[0, mu]``.
    Returns ``nan`` where there is none.
    """
    n, M = diff.shape
    seg = np.arange(M - 1)[None, :]
    d0, d1 = diff[:, :-1], diff[:, 1:]
    cross = (d0 == 0) | (np.sign(d0) != np.sign(d1))
    inside = seg >= m_state[:, None] if upper else seg + 1 <= m_state[:, None]
    cand = cross & inside
    has = cand.any(axis=1)
    pick = np.where(upper, np.argmax(cand, axis=1), M - 2 - np.argmax(cand[:, ::-1], axis=1))
    rows = np.arange(n)
    a, b = d0[rows, pick], d1[rows, pick]
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(a == b, 0.0, a / (a - b))
    pi = grid[pick] + np.clip(frac, 0.0, 1.0) * (grid[1] - grid[0])
    return np.where(has, pi, np.nan)


def _at(values: np.ndarray, post: Any, full: bool) -> np.ndarray:
    """``values`` (last axis: posterior grid) at a posterior given as an array or a grid kind.

    Kinds: ``"mu"`` (the state's own belief, which in ``full`` arrays is the last axis itself),
    ``"zero"`` and ``"one"``. In subset mode the last axis of ``values`` is the posterior grid
    and states are rows, so ``post`` has shape ``(n, 1)``.
    """
    if isinstance(post, str):
        if post == "zero":
            return values[..., :1]
        if post == "one":
            return values[..., -1:]
        assert full
        return values
    return _belief_interp(values, post)


def _deterring_belief(gain_s: np.ndarray, gain_b: np.ndarray) -> np.ndarray:
    """The belief minimising the larger of two piecewise-linear deviation gains, per row.

    ``gain_s`` and ``gain_b`` (shape ``(n, M)``) are the two types' gains from a deviation as
    functions of the belief it induces, on the uniform grid. The maximum of two
    piecewise-linear functions is minimised at a grid point or where they cross inside a
    segment, so both kinds of candidates are compared. Returns shape ``(n, 1)``.
    """
    n, m = gain_s.shape
    h = 1.0 / (m - 1)
    upper = np.maximum(gain_s, gain_b)
    best_val = upper.min(axis=1)
    best_pi = upper.argmin(axis=1) * h
    d0 = gain_s[:, :-1] - gain_b[:, :-1]
    d1 = gain_s[:, 1:] - gain_b[:, 1:]
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = d0 / (d0 - d1)
    cross = (d0 * d1 < 0) & np.isfinite(frac)
    frac = np.where(cross, frac, 0.0)
    value = gain_s[:, :-1] + frac * (gain_s[:, 1:] - gain_s[:, :-1])
    value = np.where(cross, value, np.inf)
    seg = value.argmin(axis=1)
    rows = np.arange(n)
    better = value[rows, seg] < best_val
    best_pi = np.where(better, (seg + frac[rows, seg]) * h, best_pi)
    return best_pi[:, None]


def _evaluate(
    q: list,
    sigma: np.ndarray,
    post: list,
    mu_b: np.ndarray,
    can_settle: np.ndarray,
    full: bool,
) -> dict[str, Any]:
    """Values, deviation gain and off-path beliefs of a candidate profile of the two types.

    ``post[a]`` for a in (fight, talk) is the posterior after the action when it is played
    (an array or a kind, see :func:`_at`) or ``None`` when it is off the path; off-path
    beliefs are then chosen in ``{0, mu, 1}`` to minimise the largest deviation gain.
    """
    shape = mu_b.shape
    val: list[list[list[Any]]] = [[[None] * 3 for _ in range(3)] for _ in range(2)]
    for k in range(2):
        for i in range(3):
            val[k][i][_D] = q[k][i][_D]
            for a in (_F, _T):
                if post[a] is not None:
                    val[k][i][a] = _at(q[k][i][a], post[a], full)
    played = [post[a] is not None for a in (_F, _T)]
    req = []
    for k in range(2):
        total = sigma[k][_D] * val[k][_R][_D]
        for a in (_F, _T):
            if played[a]:
                total = total + sigma[k][a] * val[k][_R][a]
        req.append(np.broadcast_to(total, shape))
    chosen = list(post)
    for a in (_F, _T):
        if played[a]:
            continue
        if full:  # fast path: off-path beliefs among {0, mu, 1}
            options: list[Any] = ["zero", "mu", "one"]
            gains = [
                np.maximum(_at(q[0][_R][a], pi, True) - req[0], _at(q[1][_R][a], pi, True) - req[1])
                for pi in options
            ]
            zero = gains[0] <= np.minimum(gains[1], gains[2])
            mid = ~zero & (gains[1] <= gains[2])
            for k in range(2):
                for i in range(3):
                    v = q[k][i][a]
                    val[k][i][a] = np.where(zero, v[..., :1], np.where(mid, v, v[..., -1:]))
            chosen[a] = np.where(zero, 0.0, np.where(mid, mu_b, 1.0))
        else:  # states are rows: the exact minimiser over all beliefs
            pi = _deterring_belief(q[0][_R][a] - req[0], q[1][_R][a] - req[1])  # (n, 1)
            for k in range(2):
                for i in range(3):
                    val[k][i][a] = _belief_interp(q[k][i][a], pi)
            chosen[a] = pi
    for a in (_F, _T):
        if isinstance(chosen[a], str):
            chosen[a] = {"zero": np.zeros(shape), "one": np.ones(shape), "mu": mu_b}[chosen[a]]
        chosen[a] = np.array(np.broadcast_to(chosen[a], shape), dtype=float)
    gain = np.zeros(shape)
    for k in range(2):
        for a in range(3):
            dev = val[k][_R][a] - req[k]
            if a == _D:
                dev = np.where(can_settle, dev, -np.inf)
            gain = np.maximum(gain, dev)
    bad = ~can_settle & ((sigma[0][_D] > 0) | (sigma[1][_D] > 0))
    gain = np.where(bad, np.inf, gain)
    value = np.zeros((2, 3) + shape)
    for k in range(2):
        for i in range(3):
            for a in range(3):
                if np.any(sigma[k][a]):
                    value[k, i] += sigma[k][a] * val[k][i][a]
    sig = np.zeros((2, 3) + shape)
    for k in range(2):
        for a in range(3):
            sig[k, a] = sigma[k][a]
    return {"sigma": sig, "post": chosen, "value": value, "req": np.stack(req), "gain": gain}


def _better(best: dict, cand: dict, mu_b: np.ndarray, tol: float) -> dict:
    """Keep, state by state, the valid candidate with the higher ex-ante Russian payoff.

    Valid means deviation gain at most ``tol``; among invalid ones the smaller gain wins.
    """

    def score(c: dict) -> np.ndarray:
        return mu_b * c["req"][0] + (1 - mu_b) * c["req"][1]

    v_best, v_cand = best["gain"] <= tol, cand["gain"] <= tol
    take = (
        (v_cand & ~v_best)
        | (v_cand & v_best & (score(cand) > score(best) + tol))
        | (~v_cand & ~v_best & (cand["gain"] < best["gain"]))
    )
    if not take.any():
        return best
    out = {}
    out["sigma"] = np.where(take, cand["sigma"], best["sigma"])
    out["post"] = [np.where(take, cand["post"][a], best["post"][a]) for a in range(2)]
    out["value"] = np.where(take, cand["value"], best["value"])
    out["req"] = np.where(take, cand["req"], best["req"])
    out["gain"] = np.where(take, cand["gain"], best["gain"])
    return out


def _assign(best: dict, sub: dict, rows: tuple, improve: np.ndarray) -> None:
    """Write the improving rows of a candidate computed on a subset of states into ``best``."""
    best["sigma"][(slice(None), slice(None)) + rows] = sub["sigma"][:, :, improve, 0]
    for a in range(2):
        best["post"][a][rows] = sub["post"][a][improve, 0]
    best["value"][(slice(None), slice(None)) + rows] = sub["value"][:, :, improve, 0]
    best["req"][(slice(None),) + rows] = sub["req"][:, improve, 0]
    best["gain"][rows] = sub["gain"][improve, 0]


def _followers(fol: dict, tol: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Equilibrium of the West (ease/hold) and Ukraine (accept/reject) 2x2 game per state.

    Pure equilibria first (the one with the largest sum of the two followers' payoffs, then
    the first in the order ease/accept, ease/reject, hold/accept, hold/reject: a follower
    indifferent between its replies makes the conciliatory one); otherwise the completely mixed
    one. Returns (ease probability, accept probability, deviation gain).
    """
    order = [(1, 1), (1, 0), (0, 1), (0, 0)]
    shape = fol[(0, 0)][0].shape
    ease = np.zeros(shape)
    accept = np.zeros(shape)
    found = np.zeros(shape, dtype=bool)
    best = np.full(shape, -np.inf)
    for e, a in order:
        w, u = fol[(e, a)]
        nash = (w >= fol[(1 - e, a)][0] - tol) & (u >= fol[(e, 1 - a)][1] - tol)
        total = w + u
        take = nash & (total > best + tol)
        ease = np.where(take, e, ease)
        accept = np.where(take, a, accept)
        best = np.where(take, total, best)
        found |= nash
    (w00, u00), (w01, u01), (w10, u10), (w11, u11) = (fol[k] for k in sorted(order))
    with np.errstate(divide="ignore", invalid="ignore"):
        pe = (u00 - u01) / ((u11 - u10) - (u01 - u00))
        pa = (w00 - w10) / ((w11 - w01) - (w10 - w00))
    pe = np.clip(np.nan_to_num(pe, nan=0.5), 0.0, 1.0)
    pa = np.clip(np.nan_to_num(pa, nan=0.5), 0.0, 1.0)
    ease = np.where(found, ease, pe)
    accept = np.where(found, accept, pa)
    # deviation gains at the chosen profile
    w_ease = accept * w11 + (1 - accept) * w10
    w_hold = accept * w01 + (1 - accept) * w00
    u_acc = ease * u11 + (1 - ease) * u01
    u_rej = ease * u10 + (1 - ease) * u00
    w_eq = ease * w_ease + (1 - ease) * w_hold
    u_eq = accept * u_acc + (1 - accept) * u_rej
    gain = np.maximum(np.maximum(w_ease, w_hold) - w_eq, np.maximum(u_acc, u_rej) - u_eq)
    return ease, accept, np.maximum(gain, 0.0)
