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
a posterior where its signed margin (:func:`_margin`) is non-negative: Ukraine's margin of its
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
a second round draws fresh ones at the states the first leaves)
and the plays closest to being equilibria of their game there: after fighting one play, after
talks one play or a lottery between two (both fit the policy, which records two plays per
message). Further starts sit where a posterior is at a switch of the selected play, at several
scales of the strategies that keep it there, with a lottery between the plays on either side
after that message (:func:`_switch_candidates`). Where the receivers' game has no
equilibrium in pure stances, a play may be two governments mixing
(:mod:`.buy_time_government_mixing`), named by the profile code ``P + c``; it enters the
supports as any play does, among the plays closest to equilibrium and as a switch's lottery
partner. A root is
accepted only after every incentive is checked at its exact plays with the stage's tolerance:
each present type's, each government's and Ukraine's at every play the lottery uses. Ukraine's
replies off the path are not recorded in the policy (:class:`.buy_time_game.Policy` stores the
plays only), as in every other search: they are its best replies at the posterior.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from simulator.model.buy_time_certificate import governments_tie, mixed_gain, ukraine_regret
from simulator.model.buy_time_government_mixing import (
    is_mixed,
    mixed_margins,
    mixed_plays,
    own_margins,
)
from simulator.model.buy_time_receivers import (
    best_per_state,
    both_sent,
    locate_switch,
    posteriors,
    record_mixing,
    record_play,
    two_type_states,
)
from simulator.model.buy_time_receivers import plays as receivers_play
from simulator.model.buy_time_setup import CEASEFIRE, FIGHT_ON, SIGN

__all__ = ["lottery_mixed"]

_EQ = 0
_SAMPLES = 256  # random strategies drawn per state to find the plays near equilibrium
_STARTS = 8  # starting strategies kept per state
_SLACK = 2e-2  # how far from an equilibrium of the receivers' game a play may be to be a guess
_PLAYS = (2, 4)  # plays guessed after each message (fight, talk)
_ITERATIONS = 30
_STEP = 1e-7  # forward-difference step
_STEPS = 0.5 ** np.arange(8)  # step lengths tried in turn by the line search
_SEED = 20220406
_TRIPLES = 2  # profiles per start at which Ukraine mixing among its three replies is tried
_DRAWS = 2  # rounds of fresh starting points, the second at the states the first leaves
_PAIRS = 16  # pairs of drawn strategies per state and message searched for a switch
_SCALES = (0.25, 0.5, 0.75, 0.9, 1.0)  # scales of a switch's sending probabilities tried
_SWITCHES = 3  # switches (and variants of their lottery) kept per state, at every scale
_SAME_SWITCH = 1e-3  # posteriors closer than this at a switch name the same switch


def _game(stage: Any, rows: np.ndarray, pi: np.ndarray, m: int) -> dict:
    """The receivers' game after message ``m`` at posteriors ``pi`` (R, 4) in states ``rows``.

    Returns the options (:meth:`.buy_time_game._Stage._options`), Ukraine's expected payoff
    of each reply at each profile ``u`` (R, P, 3; ``-inf`` where the reply is not available)
    and each government's payoff at each profile if Ukraine replies there with each reply
    ``g`` (R, P, 3, n), computed as :meth:`.buy_time_game._Stage._profiles` does for the reply
    it picks.
    """
    s, t = stage.s, stage.s.tables
    o = stage._options(rows, pi, bool(t.verified[m]))
    R, P = rows.size, stage.P
    u = np.stack([np.einsum("rk,rpk->rp", pi, o[k]) for k in ("sign_u", "cease_u", "battle_u")], -1)
    if m == 0:
        u[..., SIGN] = -np.inf
        u[..., CEASEFIRE] = -np.inf
    elif not s.settings.ceasefire:
        u[..., CEASEFIRE] = -np.inf
    hold_f = t.hold.astype(float)[None]
    weight = 1.0 if stage.last else 1 - s.delta[2]
    burden = s.burden[stage.t]
    ind = s.inducements[m]
    g = np.empty((R, P, 3, s.stake.size))
    flows = {SIGN: "sign_u", CEASEFIRE: "cease_flow_u", FIGHT_ON: "battle_flow_u"}
    for rep, key in flows.items():
        if rep == SIGN:
            war_share = np.einsum("rk,rpk->rp", pi, o["war_share"])
        else:
            war_share = np.ones((R, P))
        flow_u = np.einsum("rk,rpk->rp", pi, o[key])
        g[:, :, rep] = weight * (
            s.stake[None, None, :] * flow_u[..., None]
            - burden[None, None, :] * hold_f
            - (1 - hold_f) * s.audience[None, None, :] * war_share[..., None]
            + (1 - hold_f) * ind[None, None, :]
        )
    return {"options": o, "u": u, "g": g}


def _margin(game: dict, profile: np.ndarray, reply: np.ndarray) -> np.ndarray:
    """The signed margin (R,) of the play ``(profile[r], reply[r])`` as an equilibrium of the
    receivers' game in row ``r``: non-negative where it is one, zero on the boundary of the
    set of posteriors where it is.

    The smallest of Ukraine's margin of its reply at the profile over its other replies and,
    for each government, its margin against flipping its stance: the best, over Ukraine's
    replies at the profile it would reach, of the smaller of the deviation's loss to the
    government under that reply and Ukraine's margin of that reply there (so the deviation is
    answered by a best reply of Ukraine's; at Ukraine's tie there, by either reply). A profile
    code ``P + c`` names the mixed play ``c`` of two governments (its reply is not read).
    """
    u, g = game["u"], game["g"]
    P = u.shape[1]
    mixed = is_mixed(profile, P)
    out = np.empty(profile.size)
    if mixed.any():  # two governments mixing (:mod:`.buy_time_government_mixing`)
        out[mixed] = mixed_plays(u[mixed], g[mixed], profile[mixed] - P)["margin"]
    pure = ~mixed
    u, g, profile, reply = u[pure], g[pure], profile[pure], reply[pure]
    r = np.arange(profile.size)
    margin = own_margins(u[r, profile])[r, reply]
    for i in range(g.shape[-1]):
        flipped = profile ^ (1 << i)
        loss = g[r, profile, reply, i][:, None] - g[r, flipped, :, i]  # (R, 3)
        margin = np.minimum(margin, np.minimum(loss, own_margins(u[r, flipped])).max(axis=-1))
    out[pure] = margin
    return out


def _margins(game: dict) -> np.ndarray:
    """:func:`_margin` of every play (R, P, 3) at once."""
    u, g = game["u"], game["g"]
    P = u.shape[1]
    own = own_margins(u)
    out = own.copy()
    for i in range(g.shape[-1]):
        flipped = np.arange(P) ^ (1 << i)
        gi = g[..., i]
        loss = gi[:, :, :, None] - gi[:, flipped][:, :, None, :]  # [row, p, r, r']
        out = np.minimum(out, np.minimum(loss, own[:, flipped][:, :, None, :]).max(axis=-1))
    return out


def _russia(stage: Any, m: int, game: dict, profile: np.ndarray, reply: np.ndarray) -> dict:
    """Russia's (R, 4, 3 plans) and Ukraine's (R, 4) payoffs of the play (profile, reply),
    and the four plays it consists of (``sub_profile``, ``sub_reply``, ``sub_weight``, (R, 4);
    a pure play is its own first with weight 1) and whether it is mixed (``receivers_mix``,
    (R,)).

    A profile code ``P + c`` names the mixed play ``c`` of two governments: its payoffs are
    the expectation over the four profiles that can occur, each answered by Ukraine's reply.
    """
    P = game["u"].shape[1]
    R = profile.size
    mixed = is_mixed(profile, P)
    sub_profile = np.repeat(profile[:, None], 4, axis=1).astype(np.int64)
    sub_reply = np.repeat(reply[:, None], 4, axis=1).astype(np.int64)
    sub_weight = np.zeros((R, 4))
    sub_weight[:, 0] = 1.0
    if mixed.any():
        spread = mixed_plays(game["u"][mixed], game["g"][mixed], profile[mixed] - P)
        sub_profile[mixed] = spread["profile"]
        sub_reply[mixed] = spread["reply"]
        sub_weight[mixed] = np.nan_to_num(np.clip(spread["weight"], 0.0, 1.0))
    out: dict[str, np.ndarray] = {}
    for k in range(4 if mixed.any() else 1):
        play = stage._play_at(
            m, game["options"], sub_reply[:, k].astype(np.int8), sub_profile[:, k]
        )
        for key in ("russia", "ukraine"):
            w = sub_weight[:, k].reshape((R,) + (1,) * (play[key].ndim - 1))
            out[key] = out.get(key, 0.0) + w * play[key]
    return out | {
        "sub_profile": sub_profile,
        "sub_reply": sub_reply,
        "sub_weight": sub_weight,
        "receivers_mix": mixed,
    }


def _mixing_regret(
    game: dict, profile: np.ndarray, reply: np.ndarray, weight: np.ndarray
) -> np.ndarray:
    """The receivers' largest gain (R,) at plays of four (profile, reply) pairs with weights
    (R, 4), as the certificate computes it (:func:`.buy_time_certificate.mixed_gain`), from a
    receivers' game (:func:`_game`, rows aligned)."""
    payoff = game["g"].transpose(2, 0, 1, 3)  # (3 replies, R, P, n)
    regret = ukraine_regret(game["u"])
    return mixed_gain(regret, payoff, profile, reply, weight, governments_tie(payoff))


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
        out: dict = {"x": x, "y": y, "posts": posts, "ends": [], "margins": [], "games": []}
        for m in (0, 1):
            game = _game(self.stage, self.state[rows], posts[m], m)
            ends = []
            for j in (0, 1):
                prof = self.plays[rows, m, j, 0]
                rep = self.plays[rows, m, j, 1]
                ends.append(_russia(self.stage, m, game, prof, rep))
            ym = y[:, m]
            third = np.where(triple, y[:, 2], 0.0) if m == 1 else np.zeros(rows.size)
            value = (1 - ym - third)[:, None] * ends[0]["russia"][..., _EQ] + ym[
                :, None
            ] * ends[1]["russia"][..., _EQ]
            if m == 1 and triple.any():
                ends.append(
                    _russia(self.stage, m, game, self.third[rows, 0], self.third[rows, 1])
                )
                value = value + third[:, None] * ends[2]["russia"][..., _EQ]
            values.append(value)
            held = np.maximum(self.boundary[rows, m], 0)
            edge = _margin(game, self.plays[rows, m, held, 0], self.plays[rows, m, held, 1])
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
                        _margin(game, self.plays[rows, m, j, 0], self.plays[rows, m, j, 1])
                        for j in (0, 1)
                    ]
                )
        d = values[1] - values[0]
        res = np.where(self.present[rows], x - np.clip(x + d, 0.0, 1.0), 0.0)
        res = np.concatenate([res, extra], axis=1)
        size = np.abs(res).max(axis=1)
        bad = ~(np.any(self.present[rows] & (x > 0), 1) & np.any(self.present[rows] & (x < 1), 1))
        bad |= np.any((z[:, 4:] < -1e-12) | (z[:, 4:] > 1 + 1e-12), axis=1)
        bad |= triple & (y[:, 1] + y[:, 2] > 1 + 1e-12)
        out.update(res=res, size=np.where(bad, np.inf, size), fight=values[0], talk=values[1])
        return out

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
        """Which candidates ``rows`` are equilibria at their point (a full :meth:`evaluate`),
        every incentive checked at the exact plays: each present type's gain, and the margin of
        every play a lottery uses (each government's and Ukraine's incentives there); and
        each type's equilibrium value (n, 4)."""
        x, y = ev["x"], ev["y"]
        talk, fight = ev["talk"], ev["fight"]
        eq = x * talk + (1 - x) * fight
        present = self.present[rows]
        gain = np.where(present, np.maximum(talk, fight) - eq, 0.0).max(axis=1)
        ok = (ev["size"] <= tol) & (gain <= tol)
        triple = self.triple[rows]
        for m in (0, 1):
            lottery = self.lottery[rows, m]
            for j in (0, 1):
                used = (y[:, m] < 1) if j == 0 else lottery & (y[:, m] > 0)
                if m == 1:  # where Ukraine mixes, the receivers are checked together below
                    used &= ~triple
                ok &= ~used | (ev["margins"][m][j] >= -tol)
        if triple.any():
            t = np.flatnonzero(triple)
            game = {key: ev["games"][1][key][t] for key in ("u", "g")}
            sub = self.ukraine_mixing(rows[t], y[t])
            ok[t] &= _mixing_regret(game, *sub) <= tol
        return ok, eq

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

    def solve(self, z: np.ndarray, tol: float) -> tuple[np.ndarray, dict]:
        """Newton's method (a line search) on every candidate from ``z``; a state's candidates
        stop once one of them is accepted (:meth:`accept`). Returns the points reached and
        their full evaluation."""
        n = z.shape[0]
        rows = np.arange(n)
        z = z.copy()
        cur = self.evaluate(rows, z)
        size = cur["size"].copy()
        res = cur["res"].copy()
        active = np.isfinite(size) & (size > 1e-14)
        eye = np.eye(7)
        free_all = np.concatenate([self.present, self.lottery, self.triple[:, None]], axis=1)
        for _ in range(_ITERATIONS):
            idx = np.flatnonzero(active)
            if idx.size == 0:
                break
            za = z[idx]
            free = free_all[idx]
            # forward differences in the free unknowns only
            fr, fc = np.nonzero(free)
            h = np.where(za[fr, fc] + _STEP <= 1.0, _STEP, -_STEP)
            zs = za[fr].copy()
            zs[np.arange(fr.size), fc] += h
            ev = self.evaluate(idx[fr], zs)
            jac = np.zeros((idx.size, 7, 7))  # [row, equation, unknown]
            jac[fr, :, fc] = (ev["res"] - res[idx][fr]) / h[:, None]
            # fixed unknowns (absent types, weights without a lottery) do not move
            fixed = ~free
            jac = np.where(fixed[:, None, :] | fixed[:, :, None], 0.0, jac)
            jac += np.where(fixed[:, :, None], eye[None], 0.0)
            rhs = np.where(fixed, 0.0, -res[idx])
            try:
                dz = np.linalg.solve(jac, rhs[..., None])[..., 0]
            except np.linalg.LinAlgError:
                dz = (np.linalg.pinv(jac) @ rhs[..., None])[..., 0]
            dz = np.where(np.isfinite(dz), dz, 0.0)
            # backtracking: the full step first, shorter ones only where it does not improve
            better = np.zeros(idx.size, dtype=bool)
            for length in _STEPS:
                todo = np.flatnonzero(~better)
                if todo.size == 0:
                    break
                trial = np.clip(za[todo] + length * dz[todo], 0.0, 1.0)
                ev = self.evaluate(idx[todo], trial)
                improves = ev["size"] < size[idx[todo]]
                took = idx[todo[improves]]
                z[took] = trial[improves]
                res[took] = ev["res"][improves]
                size[took] = ev["size"][improves]
                better[todo[improves]] = True
            active[idx] = better & (size[idx] > 1e-14)
            near = idx[size[idx] <= tol]
            if near.size:
                ok, _ = self.accept(near, self.evaluate(near, z[near], full=True), tol)
                active &= ~np.isin(self.state, self.state[near[ok]])
        return z, self.evaluate(rows, z, full=True)


def _starts(
    stage: Any, states: np.ndarray, draw: int = 0
) -> tuple[np.ndarray, np.ndarray, dict, dict]:
    """Starting strategies and the plays in reach.

    Strategies are drawn at random (a seeded generator, so results repeat exactly); per state
    the ``_STARTS`` with the smallest best-reply gap under the receivers' selected plays are
    kept. Also returned, per state and message, the plays the receivers select at the drawn
    strategies, most frequent first (as ``3 x profile + reply``), and the candidates found
    where a posterior sits at a switch of the selected play (:func:`_switch_candidates`).
    """
    # one generator per state and draw, seeded by both: a state's draws do not depend on which
    # other states are searched with it
    rngs = [np.random.default_rng((_SEED, st, draw)) for st in states.tolist()]
    rows = np.repeat(states, _SAMPLES)
    present = stage.mu[rows] > 0
    draws = np.concatenate([g.random((2, _SAMPLES, 4)) for g in rngs], axis=1)
    x, corner = draws[0], draws[1]
    x = np.where(corner < 0.1, 0.0, np.where(corner > 0.9, 1.0, x)) * present
    fight, talk = posteriors(stage.mu[rows], x)
    selected = [
        receivers_play(stage, rows, post, np.full(rows.size, m, dtype=np.int64))
        for m, post in enumerate((fight, talk))
    ]
    d = selected[1]["russia"][..., _EQ] - selected[0]["russia"][..., _EQ]
    seen: dict[int, list[list[int]]] = {}
    for i, st in enumerate(states.tolist()):
        part = slice(i * _SAMPLES, (i + 1) * _SAMPLES)
        seen[st] = []
        for play in selected:
            keys, counts = np.unique(
                3 * play["profile"][part] + play["reply"][part], return_counts=True
            )
            seen[st].append(keys[np.argsort(-counts, kind="stable")].tolist())
    gap = np.where(present, x * np.maximum(0, -d) + (1 - x) * np.maximum(0, d), 0.0).max(1)
    sent = both_sent(x, present)
    gap = np.where(sent, gap, np.inf).reshape(states.size, _SAMPLES)
    best = np.argsort(gap, axis=1, kind="stable")[:, :_STARTS]
    pick = (np.arange(states.size)[:, None] * _SAMPLES + best).reshape(-1)
    switching = _switch_candidates(stage, states, rows, x, selected, rngs)
    return rows[pick], x[pick], seen, switching


def _switch_candidates(
    stage: Any,
    states: np.ndarray,
    rows: np.ndarray,
    x: np.ndarray,
    selected: list[dict],
    rngs: list[np.random.Generator],
) -> dict:
    """Supports and starting strategies at which the posterior after one message lies where
    the receivers' selected play switches: there a lottery between the plays on either side
    can make the types indifferent, which strategies drawn at random rarely come close to.

    For pairs of drawn strategies (per state, ``_PAIRS`` drawn among those whose selected play
    after the message differs), the switch on the segment between them is located by
    bisection. Scaling the probabilities of sending that message keeps its posterior at the
    switch and moves the other message's posterior between the prior and its extreme, so each
    switch is tried at the scales ``_SCALES``. Per state the ``_SWITCHES`` switches (distinct
    posteriors) whose types come closest to their conditions, under the best lottery between
    the two plays at any of its scales, are kept with all their scales. The support: after the
    message, the lottery between the two plays, held on either one's boundary; after the
    other, the play the receivers select at the start.
    """
    present = stage.mu[rows] > 0
    k = len(_SCALES)
    parts: list[dict] = []
    for m, play in enumerate(selected):
        key = 3 * play["profile"] + play["reply"]
        first, second = [], []
        for i in range(states.size):
            part = np.arange(i * _SAMPLES, (i + 1) * _SAMPLES)
            a = rngs[i].choice(part, _PAIRS)
            b = rngs[i].choice(part, _PAIRS)
            differ = key[a] != key[b]
            first.append(a[differ])
            second.append(b[differ])
        lo_rows, hi_rows = np.concatenate(first), np.concatenate(second)
        if lo_rows.size == 0:
            continue
        x_a, x_b = x[lo_rows], x[hi_rows]
        st_m = rows[lo_rows]

        def along(r: np.ndarray, t: np.ndarray, x_a=x_a, x_b=x_b, st_m=st_m, m=m) -> dict:
            xt = (1 - t)[:, None] * x_a[r] + t[:, None] * x_b[r]
            post = posteriors(stage.mu[st_m[r]], xt)[m]
            return receivers_play(stage, st_m[r], post, np.full(r.size, m, dtype=np.int64))

        def key_at(r: np.ndarray, t: np.ndarray, along=along) -> np.ndarray:
            p = along(r, t)
            return 3 * p["profile"] + p["reply"]

        n = lo_rows.size
        lo, hi = locate_switch(key_at, np.zeros(n), np.ones(n), key[lo_rows], width=1e-7)
        r = np.arange(n)
        ends = [along(r, lo), along(r, hi)]
        here = [e["russia"][..., _EQ] for e in ends]
        at_switch = (1 - lo)[:, None] * x_a + lo[:, None] * x_b
        pres = present[lo_rows]
        sent = np.where(pres, at_switch if m == 1 else 1 - at_switch, 0.0)
        top = sent.max(axis=1, keepdims=True)
        unit = sent / np.where(top > 0, top, 1.0)
        xs = np.concatenate([c * unit if m == 1 else 1 - c * unit for c in _SCALES])
        xs = np.where(np.tile(pres, (k, 1)), np.clip(xs, 0.0, 1.0), 0.0)
        st_k = np.tile(st_m, k)
        post_other = posteriors(stage.mu[st_k], xs)[1 - m]
        other = receivers_play(stage, st_k, post_other, np.full(st_k.size, 1 - m, dtype=np.int64))
        pres_k = np.tile(pres, (k, 1))
        other_v = other["russia"][..., _EQ]
        plays = np.zeros((st_k.size, 2, 2, 2), dtype=np.int64)
        for j, e in enumerate(ends):
            plays[:, m, j, 0] = np.tile(e["profile"], k)
            plays[:, m, j, 1] = np.tile(e["reply"], k)
        plays[:, 1 - m, :, 0] = other["profile"][:, None]
        plays[:, 1 - m, :, 1] = other["reply"][:, None]
        variants = [(plays, here)]
        # Where the receivers' game has no pure equilibrium just past the switch, two
        # governments mix there (:mod:`.buy_time_government_mixing`): the mixed play closest
        # to an equilibrium at either side is tried as each play's lottery partner.
        best: dict[str, np.ndarray] = {"margin": np.full(n, -np.inf)}
        for t in (lo, hi):
            xt = (1 - t)[:, None] * x_a + t[:, None] * x_b
            game = _game(stage, st_m, posteriors(stage.mu[st_m], xt)[m], m)
            margins = mixed_margins(game["u"], game["g"])
            code = stage.P + margins.argmax(axis=1)
            value = _russia(stage, m, game, code, np.zeros(n, dtype=np.int64))["russia"][..., _EQ]
            better = margins.max(axis=1) > best["margin"]
            best["code"] = np.where(better, code, best.get("code", code))
            best["value"] = np.where(better[:, None], value, best.get("value", value))
            best["margin"] = np.maximum(best["margin"], margins.max(axis=1))
        if np.any(best["margin"] > -_SLACK):
            for j in (0, 1):  # the mixed play in place of the play on one side
                variant = plays.copy()
                variant[:, m, j, 0] = np.tile(best["code"], k)
                variant[:, m, j, 1] = 0
                values = list(here)
                values[j] = best["value"]
                keep = np.tile(best["margin"] > -_SLACK, k)
                variants.append((np.where(keep[:, None, None, None], variant, plays), values))
        where = np.round(posteriors(stage.mu[st_m], at_switch)[m], 6) + 10 * m
        for v_plays, v_here in variants:
            here_k = [np.tile(h, (k, 1)) for h in v_here]
            # the types' residual under the best of a few lottery weights between the plays
            resid = np.full(st_k.size, np.inf)
            for y in np.linspace(0.0, 1.0, 41):
                v = (1 - y) * here_k[0] + y * here_k[1]
                d = v - other_v if m == 1 else other_v - v  # talking over fighting
                res = np.where(pres_k, np.abs(xs - np.clip(xs + d, 0.0, 1.0)), 0.0).max(axis=1)
                resid = np.minimum(resid, res)
            resid = np.where(both_sent(xs, pres_k), resid, np.inf)
            parts.append(
                {
                    "state": st_k,
                    "x": xs,
                    "plays": v_plays,
                    # a switch's best scale names its quality, for every scale
                    "resid": np.tile(resid.reshape(k, n).min(axis=0), k),
                    # a switch is named by its message and its posterior there
                    "where": np.tile(where, (k, 1)),
                    "m": np.full(st_k.size, m),
                }
            )
    if not parts:
        return _as_candidates([])
    found = {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}
    rows_kept: list[dict] = []
    for st in states.tolist():
        idx = np.flatnonzero((found["state"] == st) & np.isfinite(found["resid"]))
        idx = idx[np.argsort(found["resid"][idx], kind="stable")]
        switches: list[np.ndarray] = []
        tried: set[tuple] = set()
        for i in idx.tolist():
            known = any(np.abs(found["where"][i] - w).max() <= _SAME_SWITCH for w in switches)
            if not known:
                if len(switches) == _SWITCHES:
                    continue
                switches.append(found["where"][i])
            name = (tuple(np.round(found["x"][i], 6)), found["plays"][i].tobytes())
            if name in tried:
                continue
            tried.add(name)
            m = int(found["m"][i])
            for held in (0, 1):
                rows_kept.append(
                    {
                        "state": st,
                        "plays": found["plays"][i],
                        "lottery": [m == 0, m == 1],
                        "boundary": [held if m == 0 else -1, held if m == 1 else -1],
                        "x": found["x"][i],
                    }
                )
    return _as_candidates(rows_kept)


def _as_candidates(rows: list[dict]) -> dict:
    """Candidates (one dict each: state, plays, lottery, boundary, x) as arrays."""
    return {
        "state": np.array([r["state"] for r in rows], dtype=np.int64),
        "plays": np.array([r["plays"] for r in rows], dtype=np.int64).reshape(-1, 2, 2, 2),
        "lottery": np.array([r["lottery"] for r in rows], dtype=bool).reshape(-1, 2),
        "boundary": np.array([r["boundary"] for r in rows], dtype=np.int64).reshape(-1, 2),
        "x": np.array([r["x"] for r in rows], dtype=float).reshape(-1, 4),
        # where Ukraine mixes among three replies after talks, and the third play
        "triple": np.array([r.get("triple", False) for r in rows], dtype=bool),
        "third": np.array([r.get("third", (0, 0)) for r in rows], dtype=np.int64).reshape(-1, 2),
    }


def _candidates(stage: Any, st: np.ndarray, x: np.ndarray, seen: dict) -> dict:
    """Supports guessed at the starting strategies: after each message the plays the
    receivers select near them (``seen``, most frequent first) and the plays closest to being
    equilibria of the receivers' game at the starting strategies (margin above ``-_SLACK``),
    ``_PLAYS`` in all; after talks also in pairs, a pair's lottery held on either play's
    boundary."""
    posts = posteriors(stage.mu[st], x)
    best: dict[int, list[dict]] = {}
    P = stage.P
    for m in (0, 1):
        game = _game(stage, st, posts[m], m)
        # pure plays (3 x profile + reply), then the governments' mixed plays (3 P + c)
        margin = np.concatenate(
            [_margins(game).reshape(st.size, -1), mixed_margins(game["u"], game["g"])], axis=1
        )
        for r in range(st.size):
            per = best.setdefault(int(st[r]), [{}, {}])[m]
            for k in np.flatnonzero(margin[r] >= -_SLACK):
                per[int(k)] = max(per.get(int(k), -np.inf), float(margin[r, k]))
    cands: list[dict] = []
    for r in range(st.size):
        s_ = int(st[r])
        per_m = []
        for m in (0, 1):
            near = sorted(best[s_][m], key=lambda k: -best[s_][m][k])
            top = list(dict.fromkeys(seen[s_][m][: _PLAYS[m]] + near))[: _PLAYS[m]]
            plays_m = [(k // 3, k % 3) if k < 3 * P else (k - 2 * P, 0) for k in top]
            options = [((a, a), False, -1) for a in plays_m]
            if m == 1:
                for i, a in enumerate(plays_m):
                    for b in plays_m[i + 1 :]:
                        options += [((a, b), True, e) for e in (0, 1)]
            per_m.append(options)
        for o0 in per_m[0]:
            for o1 in per_m[1]:
                cands.append(
                    {
                        "state": s_,
                        "plays": [o0[0], o1[0]],
                        "lottery": [o0[1], o1[1]],
                        "boundary": [o0[2], o1[2]],
                        "x": x[r],
                    }
                )
    return _as_candidates(cands)


def _triple_candidates(stage: Any, st: np.ndarray, x: np.ndarray, seen: dict) -> dict:
    """Supports in which Ukraine mixes among signing, a ceasefire and fighting on at one
    profile after talks (the posterior held where it is indifferent among the three), at the
    profiles of the ``_TRIPLES`` plays the receivers select most often after talks near the
    starting strategies ``x``; after fighting, the play selected most often. None without the
    ceasefire option."""
    if not stage.s.settings.ceasefire:
        return _as_candidates([])
    rows: list[dict] = []
    for r in range(st.size):
        s_ = int(st[r])
        fight = seen[s_][0][0]
        profiles = list(dict.fromkeys(k // 3 for k in seen[s_][1]))[:_TRIPLES]
        for profile in profiles:
            rows.append(
                {
                    "state": s_,
                    "plays": [
                        [(fight // 3, fight % 3)] * 2,
                        [(profile, SIGN), (profile, CEASEFIRE)],
                    ],
                    "lottery": [False, True],
                    "boundary": [-1, -1],
                    "x": x[r],
                    "triple": True,
                    "third": (profile, FIGHT_ON),
                }
            )
    return _as_candidates(rows)


def lottery_mixed(
    stage: Any,
    unresolved: np.ndarray,
    sender: np.ndarray,
    at: dict,
    tol: float,
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
        left = _search(stage, states, left, sender, at, tol, draw)
    return left


def _search(
    stage: Any,
    states: np.ndarray,
    unresolved: np.ndarray,
    sender: np.ndarray,
    at: dict,
    tol: float,
    draw: int,
) -> np.ndarray:
    """One round of :func:`lottery_mixed` at ``states`` with the starting points of draw
    ``draw``; returns the states of ``unresolved`` still without an equilibrium."""
    st, x0, seen, switching = _starts(stage, states, draw)
    drawn = _candidates(stage, st, x0, seen)
    triples = _triple_candidates(stage, st, x0, seen)
    cand = {key: np.concatenate([drawn[key], switching[key], triples[key]]) for key in drawn}
    if cand["state"].size == 0:
        return unresolved
    problem = _Support(stage, cand)
    z, ev = problem.solve(problem.start(cand["x"]), tol)
    x, y = ev["x"], ev["y"]
    present = problem.present
    ok, eq = problem.accept(np.arange(z.shape[0]), ev, tol)
    score = np.where(ok, (problem.mu * eq).sum(-1), -np.inf)
    chosen = best_per_state(cand["state"], ok, score)
    for s_, i in chosen.items():
        record_mixing(sender, s_, x[i], present[i])
        for m in (0, 1):
            # each play as recorded: a mixed play by its four profiles, replies and weights
            # (its first profile and reply stand for it where one play is read)
            ends = [
                {
                    "profile": ev["ends"][m][j]["sub_profile"][:, 0],
                    "reply": ev["ends"][m][j]["sub_reply"][:, 0],
                    **{
                        key: ev["ends"][m][j][key]
                        for key in (
                            "russia",
                            "ukraine",
                            "receivers_mix",
                            "sub_profile",
                            "sub_reply",
                        )
                        + ("sub_weight",)
                    },
                }
                for j in (0, 1)
            ]
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
                record_play(at, s_, m, ev["posts"][m][i], mixed, 0)
                continue
            y_m = float(y[i, m]) if cand["lottery"][i, m] else 0.0
            record_play(at, s_, m, ev["posts"][m][i], ends[0], i, ends[1], i, y_m)
    return np.array([s_ for s_ in unresolved.tolist() if s_ not in chosen], dtype=np.int64)
