"""Equilibria of a buy-time stage where types mix and the receivers play a public lottery over
any two of their equilibria after a message, found by Newton's method on a guessed support.

The searches before this one (:mod:`.buy_time_interior`, :mod:`.buy_time_switching`) let the
receivers play, after each message, the equilibrium of their game that the stage selects (the
governments' pure equilibrium with the highest total payoff, Ukraine's best reply). Where the
selected play jumps as the posterior moves, the types' gains jump with it and no mixture of the
types meets their conditions. Any equilibrium of the receivers' game may be played after a
message, though, and so may a public lottery over several (Kreps & Sobel 1994, "Signalling",
*Handbook of Game Theory* 2, ch. 25: a sequential equilibrium only asks the receivers to best
reply at the posterior).

A play (the governments' profile, Ukraine's reply) is an equilibrium of the receivers' game at
a posterior where its signed margin (:func:`play_margin`) is non-negative: Ukraine's margin of its
reply over its others, and each government's margin against flipping its stance, the deviation
answered by a best reply of Ukraine's at the profile it reaches (at Ukraine's tie there, by
either). The unknowns are each type's probability of talking ``x`` in ``[0, 1]^4`` and, after
each message ``m``, the weight ``y_m`` of a lottery between two plays ``A_m`` and ``B_m``. The
support (the plays, and which of a lottery's two is held on the boundary of the posteriors
where it is an equilibrium) is guessed and then fixed, so every payoff is a continuous function
of ``x`` through the posteriors ``pi_m(x)``, and the system is square:

- each present type's complementarity condition ``x_k = clip(x_k + D_k, 0, 1)``, ``D_k`` its
  gain from talking over fighting under the lotteries;
- after a message with one play, ``y_m = 0``; with a lottery, the held play's margin is 0 at
  ``pi_m`` (Ukraine's tie at the profile played, or at a government's deviation).

It is solved by a Newton method with forward-difference Jacobians and a line search (F.
Facchinei & J.-S. Pang, *Finite-Dimensional Variational Inequalities and Complementarity
Problems*, Springer 2003, ch. 7-8), each lottery's weight started at the least-squares fit of
the types' indifference; a state's candidates stop once one of them is accepted, and of those
accepted the one with the highest ex-ante payoff to Russia is kept. Supports are guessed from
the plays the receivers select at strategies drawn near equilibrium (a generator seeded by the
state, so results repeat exactly and do not depend on which other states are searched with it;
two more rounds draw fresh ones at the states the earlier leave)
and the plays closest to being equilibria of their game there: after fighting one play, after
talks one play or a lottery between two (both fit the policy, which records two plays per
message). Further starts sit where a posterior is at a switch of the selected play, at several
scales of the strategies that keep it there, with a lottery between the plays on either side
after that message (:func:`.buy_time_lottery_starts.switch_candidates`). Where the receivers'
game has no equilibrium in pure stances, a play may be two governments mixing
(:mod:`.buy_time_government_mixing`), named by the profile code ``P + c``; it enters the
supports as any play does, among the plays closest to equilibrium and as a switch's lottery
partner. After talks Ukraine may also mix among its three replies at one profile (``triple``:
the posterior held at its three-way indifference, two free weights, the governments held to
their expected payoff over its mixture). A root is
accepted only after every incentive is checked at its exact plays with the stage's tolerance:
each present type's, each government's and Ukraine's at every play the lottery uses. Ukraine's
replies off the path are not recorded in the policy (:class:`.buy_time_results.Policy` stores the
plays only), as in every other search: they are its best replies at the posterior.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from simulator.model import buy_time_lottery_starts as lottery_starts
from simulator.model.buy_time_government_mixing import is_mixed
from simulator.model.buy_time_lottery_plays import (
    mixing_regret,
    play_margin,
    play_payoffs,
    receivers_game,
)
from simulator.model.buy_time_receivers import (
    best_per_state,
    posteriors,
    record_mixing,
    record_play,
    solve_each,
    two_type_states,
)

__all__ = [
    "Closest",
    "damped_step",
    "damped_trials",
    "lottery_mixed",
    "pin_fixed",
    "solve_supports",
]

_EQ = 0
_ITERATIONS = 30
# forward-difference step: 1e-7, and a hundredth of the residual once that is smaller, down to
# 1e-9 (a step of 1e-7 leaves the Jacobian an error that can stall Newton's method near 1e-7)
_STEP, _FINEST_STEP, _STEP_PER_RESIDUAL = 1e-7, 1e-9, 1e-2
_STEPS = 0.5 ** np.arange(8)  # step lengths tried in turn by the line search
_DRAWS = 3  # rounds of fresh starting points, each at the states the earlier leave
_CHUNK = 512  # candidates evaluated together (the receivers' game after both messages)
_AT_ONCE = 256  # up to this many trial points, a line search tries every length in one call
# Levenberg-Marquardt: the dampings (times the normal matrix's largest diagonal entry) and the
# step lengths tried at once (_Support._damped_steps)
_DAMPING = (0.0, 1e-8, 1e-6, 1e-4, 1e-2, 1.0)
_DAMPED_LENGTHS = (1.0, 0.5, 0.25)


class _Support:
    """Guessed supports and their systems: per candidate the state, and after each message
    ``m`` the plays ``A_m`` and ``B_m`` (profile, reply), whether they are a lottery and which
    of them is held on its boundary."""

    def __init__(self, stage: Any, cand: dict[str, np.ndarray]) -> None:
        self.stage = stage
        self.state = cand["state"]
        self.mu = stage.mu[self.state]
        self.present = self.mu > 0
        self.plays = cand["plays"]  # (n, 2 messages, 2 plays, 2: profile, reply)
        self.lottery = cand["lottery"]  # (n, 2) bool: a lottery after the message
        # (n, 2): which play of the lottery is held on the boundary of the set of posteriors
        # where it is an equilibrium of the receivers' game (-1: no lottery)
        self.boundary = cand["boundary"]
        # (n,) where Ukraine mixes among its three replies at one profile after talks: the
        # talks' plays are A, B and the third (n, 2), with weights 1 - y1 - y2, y1, y2, and the
        # posterior after talks is held where Ukraine is indifferent among the three
        self.triple = cand["triple"]
        self.third = cand["third"]

    def evaluate(self, rows: np.ndarray, z: np.ndarray, full: bool = False) -> dict:
        """The residual (n, 7) at ``z`` (n, 7): ``x``, then ``y_0, y_1`` (each message's
        lottery weight) and ``y_2`` (the weight of the talks' third play)."""
        x = np.where(self.present[rows], np.clip(z[:, :4], 0.0, 1.0), 0.0)
        y = np.clip(z[:, 4:], 0.0, 1.0)
        triple = self.triple[rows]
        posts = posteriors(self.mu[rows], x)
        values = []
        extra = np.zeros((rows.size, 3))
        # each type's gain from talking, D, is linear in the lottery weights (which do not move
        # the posteriors): its slope in y_0, y_1, y_2 (n, 4, 3)
        slope = np.zeros((rows.size, 4, 3))
        out: dict = {"x": x, "y": y, "posts": posts, "ends": [], "margins": [], "games": []}
        for m in (0, 1):
            game = receivers_game(self.stage, self.state[rows], posts[m], m)
            ends = []
            for j in (0, 1):
                prof = self.plays[rows, m, j, 0]
                rep = self.plays[rows, m, j, 1]
                ends.append(play_payoffs(self.stage, m, game, prof, rep))
            ym = y[:, m]
            third = np.where(triple, y[:, 2], 0.0) if m == 1 else np.zeros(rows.size)
            value = (1 - ym - third)[:, None] * ends[0]["russia"][..., _EQ] + ym[:, None] * ends[1][
                "russia"
            ][..., _EQ]
            # D = value after talks - value after fighting
            sign = 1.0 if m == 1 else -1.0
            first = ends[0]["russia"][..., _EQ]
            slope[:, :, m] = sign * (ends[1]["russia"][..., _EQ] - first)
            if m == 1 and triple.any():
                ends.append(
                    play_payoffs(self.stage, m, game, self.third[rows, 0], self.third[rows, 1])
                )
                value = value + third[:, None] * ends[2]["russia"][..., _EQ]
                slope[:, :, 2] = np.where(triple[:, None], ends[2]["russia"][..., _EQ] - first, 0.0)
            values.append(value)
            held = np.maximum(self.boundary[rows, m], 0)
            edge = play_margin(game, self.plays[rows, m, held, 0], self.plays[rows, m, held, 1])
            lot, on_edge = self.lottery[rows, m], self.boundary[rows, m] >= 0
            extra[:, m] = np.where(lot, np.where(on_edge, edge, 0.0), z[:, 4 + m])
            if m == 1:
                # Ukraine indifferent among its three replies at the profile (two equations)
                r = np.arange(rows.size)
                at_profile = self.plays[rows, 1, 0, 0]
                u = game["u"][r, np.where(is_mixed(at_profile, self.stage.P), 0, at_profile)]
                a_, b_ = self.plays[rows, 1, 0, 1], self.plays[rows, 1, 1, 1]
                c_ = self.third[rows, 1]
                tie_b = np.nan_to_num(u[r, b_] - u[r, a_], neginf=-1.0, posinf=1.0)
                tie_c = np.nan_to_num(u[r, c_] - u[r, a_], neginf=-1.0, posinf=1.0)
                extra[:, 1] = np.where(triple, tie_b, extra[:, 1])
                extra[:, 2] = np.where(triple, tie_c, z[:, 6])
            if full:
                out["games"].append(game)
                out["ends"].append(ends)
                out["margins"].append(
                    [
                        play_margin(game, self.plays[rows, m, j, 0], self.plays[rows, m, j, 1])
                        for j in (0, 1)
                    ]
                )
        d = values[1] - values[0]
        res = np.where(self.present[rows], x - np.clip(x + d, 0.0, 1.0), 0.0)
        res = np.concatenate([res, extra], axis=1)
        # the residual's slope in the weights: -dD/dy for a type inside its box (n, 4, 3)
        inside = self.present[rows] & (x + d > 0.0) & (x + d < 1.0)
        out["weight_slope"] = np.where(inside[..., None], -slope, 0.0)
        size = np.abs(res).max(axis=1)
        bad = ~(np.any(self.present[rows] & (x > 0), 1) & np.any(self.present[rows] & (x < 1), 1))
        bad |= np.any((z[:, 4:] < -1e-12) | (z[:, 4:] > 1 + 1e-12), axis=1)
        bad |= triple & (y[:, 1] + y[:, 2] > 1 + 1e-12)
        out.update(res=res, size=np.where(bad, np.inf, size), fight=values[0], talk=values[1])
        return out

    def residuals(
        self, rows: np.ndarray, z: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`evaluate`'s residual (n, 7), its size (n,) and the slope of the types' rows
        in the lottery weights (n, 4, 3) at ``z``, in chunks of rows (the receivers' game costs
        more a row in larger batches; each row is its own)."""
        res, size = np.empty((rows.size, 7)), np.empty(rows.size)
        slope = np.empty((rows.size, 4, 3))
        for a in range(0, rows.size, _CHUNK):
            part = slice(a, a + _CHUNK)
            ev = self.evaluate(rows[part], z[part])
            res[part], size[part], slope[part] = ev["res"], ev["size"], ev["weight_slope"]
        return res, size, slope

    def start(self, x: np.ndarray) -> np.ndarray:
        """Starting points at strategies ``x`` (n, 4): each lottery's weight the least-squares
        fit of the present types' indifference (the gains are linear in the weights, which do
        not move the posteriors)."""
        n = x.shape[0]
        rows = np.arange(n)
        z = np.zeros((n, 7))
        z[:, :4] = x
        d = []
        for corner in ((0.0, 0.0), (1.0, 0.0), (0.0, 1.0)):
            z[:, 4:6] = np.where(self.lottery, corner, 0.0)
            ev = self.evaluate(rows, z)
            d.append(np.where(self.present, ev["talk"] - ev["fight"], 0.0))
        for m in (0, 1):
            slope = d[1 + m] - d[0]
            fit = -(d[0] * slope).sum(1) / np.maximum((slope**2).sum(1), 1e-300)
            z[:, 4 + m] = np.where(self.lottery[:, m], np.clip(fit, 0.0, 1.0), 0.0)
        # Ukraine's three replies start with equal weights
        z[:, 5] = np.where(self.triple, 1 / 3, z[:, 5])
        z[:, 6] = np.where(self.triple, 1 / 3, 0.0)
        return z

    def accept(self, rows: np.ndarray, ev: dict, tol: float) -> tuple[np.ndarray, np.ndarray]:
        """Which candidates ``rows`` are equilibria at their point (a full :meth:`evaluate`):
        their system solved and every incentive within ``tol`` (:meth:`largest_gain`); and
        each type's equilibrium value (n, 4)."""
        gain, eq = self.largest_gain(rows, ev)
        return (ev["size"] <= tol) & (gain <= tol), eq

    def largest_gain(self, rows: np.ndarray, ev: dict) -> tuple[np.ndarray, np.ndarray]:
        """The largest gain (n,) of any player at the candidates ``rows``' points (a full
        :meth:`evaluate`), every incentive checked at the exact plays: each present type's
        gain from the other message, and the shortfall of the margin of every play a
        lottery uses (each government's and Ukraine's incentives there; where Ukraine mixes
        among its three replies, the receivers' regret together); and each type's
        equilibrium value (n, 4). NaN where a margin is undefined."""
        x, y = ev["x"], ev["y"]
        talk, fight = ev["talk"], ev["fight"]
        eq = x * talk + (1 - x) * fight
        present = self.present[rows]
        gain = np.where(present, np.maximum(talk, fight) - eq, 0.0).max(axis=1)
        triple = self.triple[rows]
        for m in (0, 1):
            lottery = self.lottery[rows, m]
            for j in (0, 1):
                used = (y[:, m] < 1) if j == 0 else lottery & (y[:, m] > 0)
                if m == 1:  # where Ukraine mixes, the receivers are checked together below
                    used &= ~triple
                gain = np.maximum(gain, np.where(used, -ev["margins"][m][j], -np.inf))
        if triple.any():
            t = np.flatnonzero(triple)
            game = {key: ev["games"][1][key][t] for key in ("u", "g")}
            sub = self.ukraine_mixing(rows[t], y[t])
            gain[t] = np.maximum(gain[t], mixing_regret(game, *sub))
        return gain, eq

    def ukraine_mixing(self, rows: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, ...]:
        """The talks' play where Ukraine mixes among its three replies, as four plays (the
        last of weight 0): profiles, replies and weights (each (n, 4))."""
        n = rows.size
        profile = np.repeat(self.plays[rows, 1, 0, 0][:, None], 4, axis=1)
        reply = np.stack(
            [
                self.plays[rows, 1, 0, 1],
                self.plays[rows, 1, 1, 1],
                self.third[rows, 1],
                self.third[rows, 1],
            ],
            axis=1,
        )
        weight = np.stack([1 - y[:, 1] - y[:, 2], y[:, 1], y[:, 2], np.zeros(n)], axis=1)
        return profile, reply, np.clip(weight, 0.0, 1.0)

    def solve(
        self, z: np.ndarray, tol: float, iterations: int = _ITERATIONS, damped: bool = False
    ) -> tuple[np.ndarray, dict]:
        """Newton's method on every candidate from ``z``, at most ``iterations`` steps; a
        state's candidates stop once one of them is accepted (:meth:`accept`). Returns the
        points reached and their full evaluation.

        Each step is Newton's, shortened by a line search on the residual's largest entry;
        with ``damped``, Levenberg-Marquardt steps instead (:meth:`_damped_steps`), which
        reach roots from farther away where the system is ill-conditioned.
        """
        rows = np.arange(z.shape[0])
        at = _Iterate(z.copy(), *self.residuals(rows, z))
        size = at.size
        active = np.isfinite(size) & (size > 1e-14)
        step = self._damped_steps if damped else self._line_search
        for _ in range(iterations):
            idx = np.flatnonzero(active)
            if idx.size == 0:
                break
            jac, fixed = self._jacobian(idx, at.z[idx], at.res[idx], size[idx], at.slope[idx])
            better = step(idx, jac, np.where(fixed, 0.0, -at.res[idx]), at)
            active[idx] = better & (size[idx] > 1e-14)
            near = idx[size[idx] <= tol]
            if near.size:
                ok, _ = self.accept(near, self.evaluate(near, at.z[near], full=True), tol)
                # a state's other candidates stop; those accepted go on to the residual's
                # floor, so the certificate is not left at the tolerance
                accepted = near[ok]
                polish = active[accepted]
                active &= ~np.isin(self.state, self.state[accepted])
                active[accepted] = polish
        return at.z, self.evaluate(rows, at.z, full=True)

    def _jacobian(
        self,
        idx: np.ndarray,
        za: np.ndarray,
        res: np.ndarray,
        size: np.ndarray,
        weight_slope: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        """The residual's Jacobian (k, 7 equations, 7 unknowns) at points ``za`` of
        candidates ``idx`` (their residual, its size and its slope in the weights given), and
        which unknowns are fixed (k, 7); a fixed unknown's row and column are the identity's."""
        free = np.concatenate([self.present, self.lottery, self.triple[:, None]], axis=1)[idx]
        # forward differences in the free types' probabilities only; the residual is linear
        # in the lottery weights, which do not move the posteriors (only the types' rows
        # depend on them): their columns are exact, from the point's evaluation
        fr, fc = np.nonzero(free[:, :4])
        step = np.clip(_STEP_PER_RESIDUAL * size, _FINEST_STEP, _STEP)[fr]
        h = np.where(za[fr, fc] + step <= 1.0, step, -step)
        zs = za[fr].copy()
        zs[np.arange(fr.size), fc] += h
        res_s, _, _ = self.residuals(idx[fr], zs)
        jac = np.zeros((idx.size, 7, 7))  # [row, equation, unknown]
        jac[fr, :, fc] = (res_s - res[fr]) / h[:, None]
        jac[:, :4, 4:] = weight_slope
        # fixed unknowns (absent types, weights without a lottery) do not move
        return pin_fixed(jac, ~free), ~free

    def _line_search(
        self, idx: np.ndarray, jac: np.ndarray, rhs: np.ndarray, at: _Iterate
    ) -> np.ndarray:
        """Newton's step at candidates ``idx`` (their Jacobians ``jac`` and right-hand sides
        ``rhs``), shortened until the residual's largest entry falls; ``at`` is updated where
        it does. Returns where it did (k,)."""
        za = at.z[idx]
        dz = solve_each(jac, rhs, lambda a, b: np.linalg.pinv(a) @ b)
        dz = np.where(np.isfinite(dz), dz, 0.0)
        # backtracking: the full step first, shorter ones only where it does not improve
        # (with few candidates every length is tried in one call and the first that improves
        # taken: the same point, each row being evaluated on its own)
        at_once = idx.size * _STEPS.size <= _AT_ONCE
        lengths = [_STEPS] if at_once else [_STEPS[k : k + 1] for k in range(_STEPS.size)]
        better = np.zeros(idx.size, dtype=bool)
        for tried in lengths:
            todo = np.flatnonzero(~better)
            if todo.size == 0:
                break
            trial = np.clip(za[todo, None] + tried[None, :, None] * dz[todo, None], 0.0, 1.0)
            res_t, size_t, slope_t = self.residuals(
                np.repeat(idx[todo], tried.size), trial.reshape(-1, 7)
            )
            improves = size_t.reshape(todo.size, tried.size) < at.size[idx[todo], None]
            hit = improves.any(axis=1)
            pick = (np.arange(todo.size) * tried.size + improves.argmax(axis=1))[hit]
            at.take(
                idx[todo[hit]], trial.reshape(-1, 7)[pick], res_t[pick], size_t[pick], slope_t[pick]
            )
            better[todo[hit]] = True
        return better

    def _damped_steps(
        self, idx: np.ndarray, jac: np.ndarray, rhs: np.ndarray, at: _Iterate
    ) -> np.ndarray:
        """Levenberg-Marquardt steps at candidates ``idx`` (:func:`damped_step`); ``at`` is
        updated where a step is taken. Returns where one was (k,)."""
        hit, z, taken = damped_step(
            idx, at.z[idx], jac, rhs, _squares(at.res[idx], at.size[idx]), self.residuals
        )
        at.take(idx[hit], z, *taken)
        return hit


class _Iterate:
    """The candidates' points ``z`` (n, 7) as Newton's method moves them, with their residual
    ``res`` (n, 7), its size (n,) and its slope in the lottery weights ``slope`` (n, 4, 3)."""

    def __init__(self, z: np.ndarray, res: np.ndarray, size: np.ndarray, slope: np.ndarray) -> None:
        self.z, self.res, self.size, self.slope = z, res, size, slope

    def take(
        self,
        rows: np.ndarray,
        z: np.ndarray,
        res: np.ndarray,
        size: np.ndarray,
        slope: np.ndarray,
    ) -> None:
        """Move candidates ``rows`` to points ``z``, whose evaluation is given."""
        self.z[rows], self.res[rows], self.size[rows], self.slope[rows] = z, res, size, slope


def damped_trials(z: np.ndarray, jac: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """Trial points of Levenberg-Marquardt steps from points ``z`` in the unit box: for each
    damping ``l`` of :data:`_DAMPING`, the step ``dz`` solving ``(J'J + l D) dz = J' rhs``
    (``D`` the largest diagonal entry of ``J'J``; ``l = 0`` is Newton's step ``J dz = rhs``)
    at each length of :data:`_DAMPED_LENGTHS`, clipped to ``[0, 1]`` (K. Levenberg 1944,
    *Quart. Appl. Math.* 2; D. Marquardt 1963, *SIAM J. Appl. Math.* 11).

    Parameters
    ----------
    z : numpy array, shape (k, n)
        The points.
    jac : numpy array, shape (k, n, n)
        The systems' Jacobians there.
    rhs : numpy array, shape (k, n)
        Their right-hand sides (minus the residuals).

    Returns
    -------
    numpy array, shape (k, T, n)
        ``T = len(_DAMPING) x len(_DAMPED_LENGTHS)`` trial points per system, dampings
        outermost (a step with non-finite entries moves nowhere along them).

    Examples
    --------
    >>> jac = np.array([[[2.0, 0.0], [0.0, 4.0]]])
    >>> damped_trials(np.zeros((1, 2)), jac, np.array([[1.0, 2.0]]))[0, 0].tolist()
    [0.5, 0.5]
    """
    normal = np.einsum("nij,nik->njk", jac, jac)
    gradient = np.einsum("nij,ni->nj", jac, rhs)
    scale = np.maximum(np.einsum("njj->nj", normal).max(axis=1), 1e-300)
    eye = np.eye(jac.shape[-1])[None]
    trials = []
    for damping in _DAMPING:
        if damping == 0.0:
            dz = solve_each(jac, rhs, lambda a, b: np.linalg.pinv(a) @ b)
        else:
            matrix = normal + (damping * scale)[:, None, None] * eye
            dz = solve_each(matrix, gradient, lambda a, b: np.linalg.pinv(a) @ b)
        dz = np.where(np.isfinite(dz), dz, 0.0)
        trials += [np.clip(z + length * dz, 0.0, 1.0) for length in _DAMPED_LENGTHS]
    return np.stack(trials, axis=1)


def damped_step(
    idx: np.ndarray,
    z: np.ndarray,
    jac: np.ndarray,
    rhs: np.ndarray,
    squares: np.ndarray,
    residuals: Callable[[np.ndarray, np.ndarray], tuple],
) -> tuple[np.ndarray, np.ndarray, tuple]:
    """A Levenberg-Marquardt step at candidates ``idx``: of the trial points of
    :func:`damped_trials` (every damping and length, evaluated in one call), the one with the
    smallest sum of squared residuals, where it is below the current ``squares`` (J. Nocedal &
    S. Wright, *Numerical Optimization*, 2nd ed., 2006, ch. 10).

    Parameters
    ----------
    idx : numpy array of int, shape (k,)
        The candidates.
    z, jac, rhs
        Their points (k, n), Jacobians (k, n, n) and right-hand sides (k, n), as for
        :func:`damped_trials`.
    squares : numpy array, shape (k,)
        Their current sums of squared residuals.
    residuals : callable
        ``residuals(rows, z) -> (res, size, ...)``: each point's residual (m, n), its size
        (m,), ``inf`` outside the system's domain, and any further arrays of the evaluation.

    Returns
    -------
    hit : numpy array of bool, shape (k,)
        Where a step is taken.
    z : numpy array, shape (h, n)
        The points taken there.
    taken : tuple
        Their evaluation (every array ``residuals`` returns, at those points).
    """
    trial = damped_trials(z, jac, rhs)  # (k, T, n)
    T, n = trial.shape[1:]
    out = residuals(np.repeat(idx, T), trial.reshape(-1, n))
    tried = _squares(out[0], out[1]).reshape(idx.size, T)
    best = tried.argmin(axis=1)
    hit = tried[np.arange(idx.size), best] < squares
    pick = (np.arange(idx.size) * T + best)[hit]
    return hit, trial.reshape(-1, n)[pick], tuple(a[pick] for a in out)


def pin_fixed(jac: np.ndarray, fixed: np.ndarray) -> np.ndarray:
    """A forward-difference Jacobian (k, n, n) with its non-finite entries 0 (a step that
    leaves the set where the residual is defined says nothing of the slope there) and each
    fixed unknown's (k, n) row and column the identity's, so the step leaves it where it is.

    Parameters
    ----------
    jac : numpy array, shape (k, n, n)
        ``[row, equation, unknown]``.
    fixed : numpy array of bool, shape (k, n)
        The unknowns that do not move.

    Returns
    -------
    numpy array, shape (k, n, n)

    Examples
    --------
    >>> pin_fixed(np.array([[[2.0, np.nan], [1.0, 3.0]]]), np.array([[False, True]])).tolist()
    [[[2.0, 0.0], [0.0, 1.0]]]
    """
    jac = np.where(np.isfinite(jac), jac, 0.0)
    jac = np.where(fixed[:, None, :] | fixed[:, :, None], 0.0, jac)
    return jac + np.where(fixed[:, :, None], np.eye(jac.shape[-1])[None], 0.0)


def _squares(res: np.ndarray, size: np.ndarray) -> np.ndarray:
    """The sum of squared residuals (n,) of residuals ``res`` (n, k) of sizes ``size`` (n,):
    ``inf`` where the point is outside the system's domain (an infinite size)."""
    return np.where(np.isfinite(size), (np.where(np.isfinite(res), res, 0.0) ** 2).sum(1), np.inf)


class Closest:
    """Where the lottery search leaves a state, the candidate point it reached closest to an
    equilibrium: its strategies and plays, written into copies of the stage's ``sender``
    and ``at`` (attributes of the same names), and its largest gain of any player
    (:meth:`_Support.largest_gain`; ``gain``, ``inf`` where none was recorded).

    A state without an exact equilibrium is then reported with the play closest to one the
    searches reached, if it beats the pure fallback by the certificate's measure (the stage
    compares them).

    Parameters
    ----------
    sender : numpy array, shape (S, 4, M)
        The stage's strategies (copied).
    at : dict of str to numpy array
        The stage's plays (copied).
    """

    def __init__(self, sender: np.ndarray, at: dict) -> None:
        self.sender = sender.copy()
        self.at = {key: value.copy() for key, value in at.items()}
        self.gain = np.full(sender.shape[0], np.inf)

    def keep(self, problem: _Support, cand: dict, ev: dict, states: set[int]) -> None:
        """Record, at each of ``states``, its candidate with the smallest largest gain (a full
        evaluation ``ev`` of every candidate) where it beats what is recorded."""
        gain, _ = problem.largest_gain(np.arange(cand["state"].size), ev)
        gain = np.where(np.isfinite(ev["size"]) & ~np.isnan(gain), gain, np.inf)
        for s_ in sorted(states):
            mine = np.flatnonzero(cand["state"] == s_)
            i = int(mine[np.argmin(gain[mine])])
            if gain[i] < self.gain[s_]:
                self.gain[s_] = gain[i]
                _record(problem, cand, ev, i, s_, self.sender, self.at)


def lottery_mixed(
    stage: Any,
    unresolved: np.ndarray,
    sender: np.ndarray,
    at: dict,
    tol: float,
    closest: Closest | None = None,
) -> np.ndarray:
    """Fill ``sender`` and ``at`` where types mix and the receivers play a lottery over two of
    their equilibria after a message; return the states still unresolved.

    Parameters
    ----------
    stage : _Stage
        The period being solved (its ``mu``, options and the messages available).
    unresolved : numpy array of int
        States without an equilibrium so far.
    sender : numpy array, shape (S, 4, M)
        Each type's probability of each message, filled in place.
    at : dict of str to numpy array
        Each message's play, filled in place (as in :func:`.buy_time_interior.interior_mixed`).
    tol : float
        The largest gain accepted, of any type present, any government and Ukraine.
    closest : Closest, optional
        Where given, the candidate closest to an equilibrium at each state left is recorded
        in it.

    Returns
    -------
    numpy array of int
        The states of ``unresolved`` where no such equilibrium was found.
    """
    left = unresolved
    for draw in range(_DRAWS):
        states = two_type_states(stage, left)
        if states.size == 0:
            break
        left = _search(stage, states, left, sender, at, tol, draw, closest)
    return left


def _search(
    stage: Any,
    states: np.ndarray,
    unresolved: np.ndarray,
    sender: np.ndarray,
    at: dict,
    tol: float,
    draw: int,
    closest: Closest | None = None,
) -> np.ndarray:
    """One round of :func:`lottery_mixed` at ``states`` with the starting points of draw
    ``draw``; returns the states of ``unresolved`` still without an equilibrium (recording,
    in ``closest``, the candidates closest to one there)."""
    st, x0, seen, switching = lottery_starts.starts(stage, states, draw)
    drawn = lottery_starts.drawn_candidates(stage, st, x0, seen)
    triples = lottery_starts.triple_candidates(stage, st, x0, seen)
    cand = {key: np.concatenate([drawn[key], switching[key], triples[key]]) for key in drawn}
    return solve_supports(stage, cand, unresolved, sender, at, tol, closest=closest)


def solve_supports(
    stage: Any,
    cand: dict,
    unresolved: np.ndarray,
    sender: np.ndarray,
    at: dict,
    tol: float,
    start: np.ndarray | None = None,
    closest: Closest | None = None,
    iterations: int = _ITERATIONS,
    damped: bool = False,
) -> np.ndarray:
    """Solve every candidate support for an equilibrium and record, at each state, the one
    accepted with the highest ex-ante payoff to Russia; return the states of ``unresolved``
    still without one.

    Parameters
    ----------
    stage : _Stage
        The period being solved.
    cand : dict of str to numpy array
        The candidates (:func:`.buy_time_lottery_starts.as_candidates`).
    unresolved : numpy array of int
        States without an equilibrium so far.
    sender : numpy array, shape (S, 4, M)
        Each type's probability of each message, filled in place where one is accepted.
    at : dict of str to numpy array
        Each message's play, filled in place likewise.
    tol : float
        The largest gain accepted, of any type present, any government and Ukraine.
    start : numpy array, shape (n, 7), optional
        Each candidate's starting point (``x``, then the lottery weights ``y_0, y_1, y_2``);
        by default its ``x`` with the weights fitted to the types' indifference.
    closest : Closest, optional
        Where given, the candidate closest to an equilibrium at each state left is recorded
        in it.
    iterations : int
        The most Newton steps a candidate takes.
    damped : bool
        Levenberg-Marquardt steps in place of Newton's with a line search
        (:meth:`_Support.solve`).

    Returns
    -------
    numpy array of int
        The states of ``unresolved`` where no candidate was accepted.
    """
    if cand["state"].size == 0:
        return unresolved
    problem = _Support(stage, cand)
    first = problem.start(cand["x"]) if start is None else start
    z, ev = problem.solve(first, tol, iterations, damped)
    ok, eq = problem.accept(np.arange(z.shape[0]), ev, tol)
    score = np.where(ok, (problem.mu * eq).sum(-1), -np.inf)
    chosen = best_per_state(cand["state"], ok, score)
    for s_, i in chosen.items():
        _record(problem, cand, ev, i, s_, sender, at)
    if closest is not None:
        closest.keep(problem, cand, ev, set(cand["state"].tolist()) - set(chosen))
    return np.array([s_ for s_ in unresolved.tolist() if s_ not in chosen], dtype=np.int64)


def _record(
    problem: _Support, cand: dict, ev: dict, i: int, state: int, sender: np.ndarray, at: dict
) -> None:
    """Write candidate ``i``'s strategies and plays (a full evaluation ``ev``) at ``state``."""
    x, y = ev["x"], ev["y"]
    record_mixing(sender, state, x[i], problem.present[i])
    for m in (0, 1):
        if m == 1 and cand["triple"][i]:
            # Ukraine mixes among its three replies: one play of three (profile, reply)
            # pairs, recorded as a mixed play
            profile, reply, weight = problem.ukraine_mixing(np.array([i]), y[i : i + 1])
            parts = [ev["ends"][1][j] for j in range(3)]
            mixed = {
                "profile": profile[:, 0],
                "reply": reply[:, 0],
                "receivers_mix": np.array([True]),
                "sub_profile": profile,
                "sub_reply": reply,
                "sub_weight": weight,
                **{
                    key: sum(weight[0, j] * parts[j][key][i : i + 1] for j in range(3))
                    for key in ("russia", "ukraine")
                },
            }
            record_play(at, state, m, ev["posts"][m][i], mixed, 0)
            continue
        y_m = float(y[i, m]) if cand["lottery"][i, m] else 0.0
        ends = ev["ends"][m]  # each play, a mixed one by its pairs and their weights
        record_play(at, state, m, ev["posts"][m][i], ends[0], i, ends[1], i, y_m)
