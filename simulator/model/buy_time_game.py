"""The buy-time game: the offer game played period after period, solved for a Markov perfect
equilibrium by backward induction, with its certificate.

Each period ``t = 0..T-1`` is one offer game (``docs/offer_game.md``) whose payoffs are this
period's flows plus the value of the next state (``docs/buy_time.md`` gives every formula):

1. Russia, one of four private types (sincere or staller, strong or weak), fights, talks (makes
   the offer) or, where the offer has a verified step, withdraws (which undoes its regrouping).
2. Each Western government holds or eases its sanctions and arms, from its own payoff: its stake
   in Ukraine's prospects, the cost of its stance this period (its burden grown by fatigue, the
   audience cost of easing while no deal holds) and the inducement Russia pays it for easing
   (the wedge). The governments are short-run players: each weighs this period's stance, valuing
   Ukraine's prospects as Ukraine does (D. Fudenberg & D. K. Levine, "Reputation and equilibrium
   selection in games with a patient player", *Econometrica* 57(4), 1989).
3. After talks Ukraine signs, agrees a **ceasefire** (no battle; Russia regroups and talks go
   on) or **fights on** while talking: a ceasefire needs Ukraine's consent. After ``fight`` a
   battle is fought.
4. A battle moves the front one step (Russia wins it with the contest probability of its type's
   capability, regrouped by the ceasefires it has had, against Ukraine's, raised by the arms of
   the governments that hold). At 0 or ``N`` the war is decided. The outcome is evidence: the
   public belief over the four types is updated by Bayes' rule on it, as on Russia's message.
5. A signed deal ends the game. A staller may regroup under it and break it after the number of
   periods that pays most, the shift shrunk by the guarantees
   (:func:`simulator.model.buy_time_setup.deal`).

The flow of each situation is the offer game's payoff of it, so a game of one period on a front
of two steps without the ceasefire option *is* the offer game (a test checks it). The state is the
period, the front, the ceasefire periods had (regroup level) and the public belief, on a grid in
the coordinates (P(staller), P(weak | sincere), P(weak | staller)); continuation values between
grid points are the expectation over a public lottery on the surrounding grid points with
multilinear weights, so beliefs stay a martingale and the forward pass plays exactly this game.

In every state the stage game is solved as the offer game is: every pure assignment of messages
to types is tried with Bayes' rule on the path and beliefs searched off it
(:func:`simulator.model.offer_search.search`, the same selection: intuitive criterion, Russia's
ex-ante payoff, the simpler kind, more settlement, fewer broken deals); the governments' game
after each message is solved exactly (the pure profile with the highest total payoff, then more
weight holding) and Ukraine best-responds. Where no pure assignment is an equilibrium, mixed
ones are searched in turn: one type mixing (:mod:`.buy_time_mixed`), the next period's
semi-separating equilibrium at the state continued (:mod:`.buy_time_continued`), two types
mixing beside types that send the other message (:mod:`.buy_time_two_types`), pooling deterred
by a lottery off the path (:mod:`.buy_time_off_path`), any number of types mixing where the
receivers' play does not switch (:mod:`.buy_time_interior`) and where it does, with a lottery
at the switch (:mod:`.buy_time_switching`), and lotteries over any two equilibria of the
receivers' game, including plays in which two governments mix (:mod:`.buy_time_lotteries`,
:mod:`.buy_time_government_mixing`). Where none is found, the state keeps whichever leaves the
smaller largest gain: each type best-responding to the others in turn, the lottery search's
candidate point closest to an equilibrium (:class:`.buy_time_lotteries.Closest`), or, where
that point is near pooling on fighting, its pooling limit (:mod:`.buy_time_pooling_limit`);
the remaining gain enters the certificate. The
certificate is the largest one-shot deviation gain of any player at any state and period
(Maskin & Tirole 2001, one-shot deviation principle) on these payoffs.
"""

from __future__ import annotations

import concurrent.futures
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from simulator.model import rules
from simulator.model.buy_time_cascade import type_gains
from simulator.model.buy_time_certificate import receivers_regret
from simulator.model.buy_time_choices import best_reply_dynamics, select_profile
from simulator.model.buy_time_parts import map_calls, receivers_part, searched_part, shares
from simulator.model.buy_time_receivers import PLAY_ROWS, mixing_arrays
from simulator.model.buy_time_results import PLANS, BuyTimeEquilibrium, Policy
from simulator.model.buy_time_setup import (
    CEASEFIRE,
    FIGHT_ON,
    SIGN,
    BuyTimeSettings,
    Deal,
    Flows,
    Setup,
    cell_weights,
    corner_steps,
    deal,
    restrict,
    setup,
    tabulate_flows,
)
from simulator.model.negotiation import NegotiationModel
from simulator.model.offer_search import search
from simulator.model.offer_tables import BROKEN, SETTLED, WAR
from simulator.model.offers import Offer

__all__ = ["PLANS", "BuyTimeEquilibrium", "Policy", "buy_time_equilibrium"]

_EQ, _KEEP, _FREE = (PLANS.index(plan) for plan in PLANS)
_K = 16  # continuation values: Russia by type and plan (12), Ukraine by Russia's type (4)
_RUSSIA, _UKRAINE = slice(0, 12), slice(12, 16)  # their columns


# ====================================================================== solver
def buy_time_equilibrium(
    model: NegotiationModel,
    offer: Offer,
    settings: BuyTimeSettings | None = None,
    progress: Callable[[int, int], None] | None = None,
    executor: concurrent.futures.Executor | None = None,
) -> BuyTimeEquilibrium:
    """Solve the buy-time game for a Markov perfect equilibrium by backward induction.

    Parameters
    ----------
    model : NegotiationModel
        The actors' parameters (the same the offer game reads).
    offer : Offer
        The deal on the table in every period.
    settings : BuyTimeSettings, optional
        Horizon, front, ceasefire option and grid (defaults: :class:`BuyTimeSettings`).
    progress : callable, optional
        Called as ``progress(done, total)`` after each period is solved (``total`` periods,
        solved from the last).
    executor : concurrent.futures.Executor, optional
        Where given (a process pool, Dask's ``client.get_executor()``), each period's work
        is shared among its workers in parts. The result is the same, bit for bit: every
        state is solved on its own.

    Returns
    -------
    BuyTimeEquilibrium
        Policies of every period, Russia's values under the equilibrium and the two plans, and
        the certificate.

    Examples
    --------
    >>> from simulator.model import NegotiationModel, Offer
    >>> eq = buy_time_equilibrium(NegotiationModel(), Offer(), BuyTimeSettings(periods=3))
    >>> eq.certified
    True
    """
    start = time.perf_counter()
    settings = settings or BuyTimeSettings()
    s = setup(model, offer, settings)
    T, N = settings.periods, settings.front_positions
    L, B = s.levels, s.beliefs.shape[0]
    values = np.zeros((N + 1, L, B, _K))
    policies: list[Policy] = []
    deals: dict[tuple[int, bool], Deal] = {}
    flows = tabulate_flows(s)
    cert = 0.0
    span = 0.0
    multiple = unresolved = 0
    for t in range(T - 1, -1, -1):
        deals[(t, False)] = deal(s, t, verified=False)
        deals[(t, True)] = deal(s, t, verified=True)
        stage = _Stage(
            s,
            flows,
            t,
            values,
            deals[(t, False)],
            deals[(t, True)],
            policies[-1] if policies else None,
        )
        policy, values, gain, stage_span = stage.solve(executor)
        policies.append(policy)
        cert = max(cert, gain)
        span = max(span, stage_span)
        multiple += int((policy.equilibria > 1).sum())
        unresolved += int(policy.unresolved.sum())
        if progress is not None:
            progress(T - t, T)
    policies.reverse()
    f0 = settings.initial_position
    start_values = values[f0, 0, s.prior_index]
    return BuyTimeEquilibrium(
        setup=s,
        policies=tuple(policies),
        values=start_values[:12].reshape(3, 4),
        ukraine_values=start_values[12:16].copy(),
        certificate=float(cert),
        tolerance=float(rules.TOL * max(1.0, span)),
        multiple=multiple,
        unresolved=unresolved,
        elapsed=time.perf_counter() - start,
        flows=flows,
        deals=deals,
    )


class _Stage:
    """One period at every interior state."""

    def __init__(
        self,
        s: Setup,
        flows: Flows,
        t: int,
        v_next: np.ndarray,
        talk: Deal,
        verified: Deal,
        previous: Policy | None = None,
    ) -> None:
        self.s, self.t, self.v_next = s, t, v_next
        self.previous = previous  # the next period's policy (the searches continue it)
        self.flows = flows
        self.talk_deal, self.verified_deal = talk, verified
        st = s.settings
        self.N, self.L, self.B = st.front_positions, s.levels, s.beliefs.shape[0]
        self.P = s.profiles
        f = np.arange(1, self.N)
        self.front = np.repeat(f, self.L * self.B)
        self.level = np.tile(np.repeat(np.arange(self.L), self.B), self.N - 1)
        self.belief = np.tile(np.arange(self.B), (self.N - 1) * self.L)
        self.mu = s.beliefs[self.belief]  # (S, 4)
        self.last = t == st.periods - 1
        self._cells: dict[tuple, np.ndarray] = {}  # _cell_table's, by column set

    # -- continuation ------------------------------------------------------------------
    def _continue(
        self,
        front: np.ndarray,
        level: np.ndarray,
        belief: np.ndarray,
        profile: np.ndarray,
        cols: slice = slice(None),
    ) -> np.ndarray:
        """Next period's values (..., K) at these fronts, levels, beliefs (..., 4), profiles;
        only the columns ``cols`` of the K (Russia's 12: :data:`_RUSSIA`, Ukraine's 4:
        :data:`_UKRAINE`).

        At the horizon, and where the front is decided, the war is frozen at this period's
        profile; elsewhere the values are interpolated on the belief grid.
        """
        return self._values(self._lookup(front, level, belief, profile), cols)

    def _lookup(
        self, front: np.ndarray, level: np.ndarray, belief: np.ndarray, profile: np.ndarray
    ) -> dict:
        """Where :meth:`_continue` reads next period's values, flattened to points (n,): the
        front, level and profile of each, and, unless the horizon is reached, the row of
        each point's cell in :meth:`_cell_table` (n,) and its 8 corners' weights (n, 8). Kept
        so the same points can be read again for other columns, or a subset of them
        (:func:`_subset`)."""
        return self._lookups((front, level, belief, profile))[0]

    def _lookups(self, *points: tuple) -> list[dict]:
        """:meth:`_lookup` of several sets of points ``(front, level, belief, profile)``, their
        cells found in one call (each point's cell and weights are its own)."""
        plans, beliefs = [], []
        for front, level, belief, profile in points:
            shape = np.broadcast_shapes(front.shape, level.shape, belief.shape[:-1], profile.shape)
            plans.append(
                {
                    "shape": shape,
                    "front": np.broadcast_to(front, shape).reshape(-1),
                    "level": np.broadcast_to(level, shape).reshape(-1),
                    "profile": np.broadcast_to(profile, shape).reshape(-1),
                }
            )
            beliefs.append(np.broadcast_to(belief, shape + (4,)).reshape(-1, 4))
        if not self.last:
            origin, w = cell_weights(self.s, np.concatenate(beliefs))
            start = 0
            for plan in plans:
                part = slice(start, start + plan["front"].size)
                plan["cell"] = (plan["front"] * self.L + plan["level"]) * self.B + origin[part]
                plan["weights"] = w[part]
                start = part.stop
        return plans

    def _cell_table(self, cols: slice) -> np.ndarray:
        """Next period's values in columns ``cols`` at the 8 corners of the cell starting at
        each grid point, (rows, 8, k): a lookup reads a point's corners in one row. Built once
        per stage and column set (where a cell would leave the grid, never read)."""
        key = (cols.start, cols.stop)
        if key not in self._cells:
            k = self.v_next[..., cols].shape[-1]
            flat = self.v_next[..., cols].reshape(-1, k)
            index = np.arange(flat.shape[0])[:, None] + corner_steps(self.s)[None, :]
            self._cells[key] = np.take(flat, index, axis=0, mode="clip")
        return self._cells[key]

    def _values(self, plan: dict, cols: slice) -> np.ndarray:
        """Next period's values in columns ``cols`` at the points of a :meth:`_lookup`."""
        frozen = self.flows.frozen[..., cols]
        front, level, profile = plan["front"], plan["level"], plan["profile"]
        if self.last:
            out = _gather(frozen, front, level, profile)
        else:
            decided = (front <= 0) | (front >= self.N)
            # each point's 8 corners in one row (3x faster than fancy indexing), weighed; where
            # the front is decided, the frozen war (the common case, no front decided, reads
            # every point without masks)
            if not decided.any():
                out = self._interpolate(cols, plan["cell"], plan["weights"])
            else:
                out = np.empty((front.size, frozen.shape[-1]))
                out[decided] = _gather(frozen, front[decided], level[decided], profile[decided])
                live = ~decided
                if live.any():
                    out[live] = self._interpolate(cols, plan["cell"][live], plan["weights"][live])
        return out.reshape(plan["shape"] + (frozen.shape[-1],))

    def _interpolate(self, cols: slice, cell: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Next period's values in columns ``cols`` (n, k) at points in cells ``cell`` (n,)
        of :meth:`_cell_table` with corner weights ``weights`` (n, 8)."""
        cells = np.take(self._cell_table(cols), cell, axis=0)
        return np.matmul(weights[:, None, :], cells)[:, 0]

    # -- the receivers' options at one belief ---------------------------------------------
    def _options(
        self, rows: np.ndarray, pi: np.ndarray, verified: bool, russia: bool = True
    ) -> dict:
        """Russia's (by type and plan) and Ukraine's (by type) values of each reply.

        ``rows`` are states, ``pi`` (R, 4) the receivers' belief. After a verified withdrawal
        the battle is fought at regroup level 0 and a ceasefire keeps it there. Arrays
        ``(R, P, 4[, 3])`` for a battle, a ceasefire and a signed deal; Russia's values of a
        battle and a ceasefire are left as their parts, for :meth:`_russia_at`. Without
        ``russia``, only what the receivers' choices read (not Russia's values of a deal, nor
        whether it breaks one).
        """
        s, fl = self.s, self.flows
        d_u = s.delta[1]
        P = self.P
        prof = np.arange(P)[None, :]
        front = self.front[rows]
        level = np.zeros_like(front) if verified else self.level[rows]
        next_level = level if verified else np.minimum(level + 1, self.L - 1)
        lv = level[:, None]
        fs = front[:, None]
        win = _gather(s.win, lv, prof)  # (R, P, 4)
        # the public's posterior after a battle won / lost by Russia, for each profile
        joint_w = pi[:, None, :] * win
        joint_l = pi[:, None, :] * (1 - win)
        post_w = joint_w / np.maximum(joint_w.sum(-1, keepdims=True), 1e-300)
        post_l = joint_l / np.maximum(joint_l.sum(-1, keepdims=True), 1e-300)
        # Ukraine's continuation after the battle under every profile (Russia's is read only
        # under the profile the governments play, in _russia_at)
        # both outcomes read in one lookup: points (2 x R x P), won first; with the
        # ceasefire's points (R) before the horizon (the same for every profile)
        battle_points = (
            np.stack([fs + 1, fs - 1]),
            lv[None],
            np.stack([post_w, post_l]),
            prof[None],
        )
        if self.last:
            (battle,) = self._lookups(battle_points)
            c_c = self._continue(fs, next_level[:, None], pi[:, None, :], prof)
        else:
            battle, cease = self._lookups(
                battle_points, (front, next_level, pi, np.zeros_like(front))
            )
            c_c = np.broadcast_to(self._values(cease, slice(None))[:, None], (rows.size, P, _K))
        c_w, c_l = self._values(battle, _UKRAINE)  # each (R, P, 4)
        battle_flow_u = _gather(fl.battle_u, fs, lv, prof)
        battle_u = (1 - d_u) * battle_flow_u + d_u * (win * c_w + (1 - win) * c_l)
        cease_flow_u = _gather(fl.cease_u, fs, lv, prof)
        cease_u = (1 - d_u) * cease_flow_u + d_u * c_c[..., 12:]
        d = self.verified_deal if verified else self.talk_deal
        out = {
            # Russia's values are built only at the profile the governments play (_russia_at,
            # from the rows' fronts and the battle's level)
            "front": front,
            "level": level,
            "battle": battle,
            "c_c": c_c,
            "battle_u": battle_u,
            "cease_u": cease_u,
            "sign_u": _gather(d.ukraine, front, level),
            "war_share": _gather(d.war_share, front, level),
            "battle_flow_u": battle_flow_u,
            "cease_flow_u": cease_flow_u,
        }
        if russia:
            sign_r = _gather(d.russia, front, level)  # (R, P, 4)
            out["sign_r"] = np.stack([sign_r, _gather(d.keep_russia, front, level), sign_r], -1)
            out["breaks"] = _gather(d.breaks, front, level)
        return out

    def _profiles(self, rows: np.ndarray, pi: np.ndarray, m: int, o: dict) -> dict:
        """The governments' game after message ``m``: Ukraine's reply to every profile of
        their stances (R, P) and each government's payoff (R, P, n).

        ``o`` are the options of :meth:`_options` at these rows and beliefs ``pi`` (R, 4).
        """
        fights = self.s.tables.fights(m)  # a battle: Ukraine fights on
        if fights:
            rep = np.full((rows.size, self.P), FIGHT_ON, dtype=np.int8)
        else:
            exp_u = self.ukraine_expected(pi, o)
            best = exp_u.max(-1, keepdims=True)
            tol_u = rules.TOL * np.maximum(1.0, np.abs(best))
            rep = np.argmax(exp_u >= best - tol_u, axis=-1).astype(np.int8)
        gov = self.government_payoffs(pi, m, o, FIGHT_ON if fights else rep)
        return {"reply": rep, "governments": gov}

    def ukraine_expected(self, pi: np.ndarray, o: dict) -> np.ndarray:
        """Ukraine's expected value (R, P, 3) of each reply (:data:`REPLIES`) to every profile
        after talks, at beliefs ``pi`` (R, 4); ``-inf`` for a ceasefire where there is no
        such option."""
        options_u = (o["sign_u"], o["cease_u"], o["battle_u"])
        exp_u = np.stack([np.einsum("rk,rpk->rp", pi, x) for x in options_u], -1)
        if not self.s.settings.ceasefire:
            exp_u[..., CEASEFIRE] = -np.inf
        return exp_u

    def government_payoffs(
        self, pi: np.ndarray, m: int, o: dict, rep: np.ndarray | int
    ) -> np.ndarray:
        """Each government's payoff (R, P, n) at every profile after message ``m`` when Ukraine
        replies ``rep`` (R, P) to it, or the same reply ``rep`` (an int) at every profile, at
        beliefs ``pi`` (R, 4) and options ``o``."""
        s, t = self.s, self.s.tables
        hold_f = t.hold.astype(float)[None]
        expected = {  # the option that holds Ukraine's flow under each reply
            SIGN: "sign_u",
            CEASEFIRE: "cease_flow_u",
            FIGHT_ON: "battle_flow_u",
        }
        if isinstance(rep, (int, np.integer)):  # one reply: only its expectation is taken
            shape = (pi.shape[0], self.P)
            flow_u = np.einsum("rk,rpk->rp", pi, o[expected[int(rep)]])
            war_share = (
                np.einsum("rk,rpk->rp", pi, o["war_share"]) if rep == SIGN else np.ones(shape)
            )
        else:  # each reply's expectation only where some profile meets it
            signs = rep == SIGN
            war_share = np.ones(rep.shape)
            if signs.any():
                war_share = np.where(signs, np.einsum("rk,rpk->rp", pi, o["war_share"]), 1.0)
            flow_u = np.zeros(rep.shape)
            for code, key in expected.items():
                replied = rep == code
                if replied.any():
                    flow_u = np.where(replied, np.einsum("rk,rpk->rp", pi, o[key]), flow_u)
        # The governments are short-run players: each weighs this period's payoff of its
        # stance, the offer game's payoff of the period's situation (Ukraine's flow, its
        # burden, the audience cost of easing while no deal holds, the inducement): a
        # period's worth (1 - delta) of it, all of it in the last period (the stance is
        # then kept for good, as in the offer game).
        weight = 1.0 if self.last else 1 - s.delta[2]
        ind = s.inducements[m]
        return weight * (
            s.stake[None, None, :] * flow_u[..., None]
            - s.burden[self.t][None, None, :] * hold_f
            - (1 - hold_f) * s.audience[None, None, :] * war_share[..., None]
            + (1 - hold_f) * ind[None, None, :]
        )  # (R, P, n)

    def _russia_at(self, o: dict, r: np.ndarray, p: np.ndarray) -> dict:
        """Russia's values (n, 4, 3 plans) of a battle, a ceasefire and a signed deal at rows
        ``r`` of the options ``o`` under profiles ``p``."""
        d_r, fl = self.s.delta[0], self.flows
        front, level = o["front"][r], o["level"][r]
        seen = _gather(self.s.perceived, level, p)[:, :, None]
        points = r * self.P + p  # the (row, profile) points of the options' lookup
        half = o["battle"]["front"].size // 2  # its won points first, then its lost ones
        c_w, c_l = self._values(
            _subset(o["battle"], np.concatenate([points, half + points])), _RUSSIA
        ).reshape((2,) + points.shape + (-1,))
        battle = (1 - d_r) * _gather(fl.battle_r, front, level, p)[:, :, None] + d_r * (
            seen * _plans(c_w) + (1 - seen) * _plans(c_l)
        )
        cease = (1 - d_r) * _gather(fl.cease_r, front, level, p)[:, :, None] + d_r * _plans(
            o["c_c"][r, p]
        )
        return {"battle": battle, "cease": cease, "sign": o["sign_r"][r, p]}

    def _play_at(self, m: int, o: dict, reply: np.ndarray, pick: np.ndarray) -> dict:
        """Russia's payoffs (R, 4, 3 plans), Ukraine's (R, 4) and the outcome code by type
        (R, 4) after message ``m`` when the governments play ``pick`` (R,) and Ukraine
        ``reply`` (R,)."""
        s, t = self.s, self.s.tables
        r = np.arange(pick.size)
        ind = s.inducements[m]
        # what Russia pays the easing governments: a period's worth (all in the last)
        paid_weight = 1.0 if self.last else 1 - s.delta[0]
        sunk = paid_weight * ((1 - t.hold[pick].astype(float)) @ ind) + (
            s.withdrawal_cost if bool(t.verified[m]) else 0.0
        )
        values = self._russia_at(o, r, pick)
        r3 = reply[:, None, None]
        russia = (
            np.where(
                r3 == SIGN,
                values["sign"],
                np.where(r3 == CEASEFIRE, values["cease"], values["battle"]),
            )
            - sunk[:, None, None]
        )
        r2 = reply[:, None]
        ukraine = np.where(
            r2 == SIGN,
            o["sign_u"][r, pick],
            np.where(r2 == CEASEFIRE, o["cease_u"][r, pick], o["battle_u"][r, pick]),
        )
        outcome = np.where(r2 == SIGN, np.where(o["breaks"][r, pick], BROKEN, SETTLED), WAR).astype(
            np.int8
        )
        return {"russia": russia, "ukraine": ukraine, "outcome": outcome}

    def _receivers(
        self, rows: np.ndarray, pi: np.ndarray, messages: range | list, payoffs: bool = True
    ) -> list:
        """The governments' and Ukraine's play after each message at belief ``pi`` (R, 4).

        Returns, per message, Russia's payoffs (R, 4, 3 plans), Ukraine's by type (R, 4), the
        selected profile, Ukraine's reply, the outcome code by type, the number of pure
        equilibria of the governments' game and its residual gain; without ``payoffs``, the
        profile and reply alone (a search locating where the play switches reads no more).
        """
        t = self.s.tables
        r_i = np.arange(rows.size)
        out = []
        cache: dict[bool, dict] = {}
        for m in messages:
            verified = bool(t.verified[m])
            if verified not in cache:
                cache[verified] = self._options(rows, pi, verified, russia=payoffs)
            every = self._profiles(rows, pi, m, cache[verified])
            pick, count, gain = select_profile(every["governments"], t.hold, t.weights[0])
            reply = every["reply"][r_i, pick]
            play = {"profile": pick, "reply": reply}
            if payoffs:
                play |= {
                    **self._play_at(m, cache[verified], reply, pick),
                    "count": count,
                    "gain": gain,
                }
            out.append(play)
        return out

    # -- the stage -----------------------------------------------------------------------
    def solve(
        self, executor: concurrent.futures.Executor | None = None
    ) -> tuple[Policy, np.ndarray, float, float]:
        """Solve every state of the period: its policy, the values it leaves the period
        before, its largest gain and the span of its payoffs. With an ``executor``, the
        receivers' play and the searches run there in parts (the same results)."""
        s = self.s
        S, M = self.front.size, len(s.messages)
        rows = np.arange(S)
        beliefs = restrict(self.mu)  # (S, 15, 4)
        russia = np.empty((S, M, 15, 4, 3))
        ukraine = np.empty((S, M, 15, 4))
        profile = np.empty((S, M, 15), dtype=np.int64)
        reply = np.empty((S, M, 15), dtype=np.int8)
        outcome = np.empty((S, M, 15, 4), dtype=np.int8)
        counts = np.empty((S, M, 15), dtype=np.int64)
        gov_gain = np.zeros(S)
        # Many restricted beliefs coincide (at the grid's edges some types have no weight):
        # each distinct (state, belief) is solved once, in chunks.
        pair_state = np.repeat(rows, 15)
        pair_belief = beliefs.reshape(-1, 4)
        key = np.concatenate([pair_state[:, None], np.round(pair_belief, 12)], axis=1)
        _, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
        inverse = np.asarray(inverse).reshape(-1)
        tables = {
            "russia": np.empty((first.size, M, 4, 3)),
            "ukraine": np.empty((first.size, M, 4)),
            "profile": np.empty((first.size, M), dtype=np.int64),
            "reply": np.empty((first.size, M), dtype=np.int8),
            "outcome": np.empty((first.size, M, 4), dtype=np.int8),
            "count": np.empty((first.size, M), dtype=np.int64),
            "gain": np.zeros((first.size, M)),
        }
        # in chunks (one per core at least, for an executor to share), each a pure function
        # of its pairs
        parts = max(-(-first.size // PLAY_ROWS), shares(executor, first.size, 1024))
        chunks = [c for c in np.array_split(first, parts) if c.size]
        a = 0
        for part, plays in zip(
            chunks,
            map_calls(
                executor, receivers_part, [(self, pair_state[c], pair_belief[c]) for c in chunks]
            ),
        ):
            for m, play in enumerate(plays):
                for key_, table in tables.items():
                    table[a : a + part.size, m] = play[key_]
            a += part.size
        back = inverse.reshape(S, 15)
        russia[:] = tables["russia"][back].transpose(0, 2, 1, 3, 4)
        ukraine[:] = tables["ukraine"][back].transpose(0, 2, 1, 3)
        profile[:] = tables["profile"][back].transpose(0, 2, 1)
        reply[:] = tables["reply"][back].transpose(0, 2, 1)
        outcome[:] = tables["outcome"][back].transpose(0, 2, 1, 3)
        counts[:] = tables["count"][back].transpose(0, 2, 1)
        gov_table = tables["gain"][back]  # (S, 15, M): the governments' residual gain
        span = np.ptp(np.concatenate([russia.reshape(S, -1), ukraine.reshape(S, -1)], 1), axis=1)
        tol = rules.TOL * np.maximum(1.0, span)
        available = np.broadcast_to(s.tables.available[0], (S, M))
        # Types the public has ruled out at this state carry no weight: their incentives do not
        # constrain the others' equilibrium (they are given constant payoffs in the search) and
        # they best-respond to its play afterwards.
        present = self.mu > 0  # (S, 4)
        best = search(
            _Points(prior=self.mu, available=available, tol=tol, num_messages=M),
            _Replies(
                russia=np.where(present[:, None, None, :], russia[..., _EQ], 0.0),
                profile=profile,
                outcome=outcome,
                belief=beliefs,
                equilibria=counts,
            ),
        )
        m_i = np.arange(M)[None, :]
        sets = best.beliefs
        # each message's play at the belief the equilibrium states after it
        at = {
            "russia": russia[rows[:, None], m_i, sets],  # (S, M, 4, 3)
            "ukraine": ukraine[rows[:, None], m_i, sets],  # (S, M, 4)
            "profile": profile[rows[:, None], m_i, sets],
            "reply": reply[rows[:, None], m_i, sets],
        }
        at["belief"] = beliefs[rows[:, None], sets]  # (S, M, 4)
        at["profile2"] = at["profile"].copy()
        at["reply2"] = at["reply"].copy()
        at["lottery"] = np.zeros((S, M))
        at.update(mixing_arrays(S, M))  # where two governments mix (none yet)
        used = sets.copy()  # the belief set whose play each message uses
        assignment = best.assignment.copy()
        # Each search's plays are held to the certificate's test of the receivers (verified,
        # at the tolerance the certificate is judged by: the stage's span).
        stage_tol = rules.TOL * max(1.0, float(span.max(initial=0.0)))
        # A pure assignment is an equilibrium only where the governments' play it states after
        # each message is one (their game may have no pure equilibrium at that belief): where
        # a government would gain, the state is left to the searches below, its assignment
        # kept as the fallback.
        stated_gain = np.where(available, gov_table[rows[:, None], sets, m_i], 0.0).max(axis=1)
        unresolved = ~best.found | (stated_gain > stage_tol)
        mixed = np.zeros(S, dtype=bool)
        left = np.zeros(0, dtype=np.int64)  # the states without a pure equilibrium
        if unresolved.any():
            table = {"russia": russia, "ukraine": ukraine, "profile": profile, "reply": reply}
            left = np.flatnonzero(unresolved)
            # the pure fallback first (kept where no semi-separating equilibrium is found)
            none = np.flatnonzero(~best.found)
            a_u, s_u = best_reply_dynamics(russia[none][..., _EQ], available[none])
            assignment[none] = a_u
            used[none] = s_u
            for key, src in table.items():
                at[key][none] = src[none[:, None], m_i, s_u]
            at["belief"][none] = beliefs[none[:, None], s_u]
            at["profile2"][left] = at["profile"][left]
            at["reply2"][left] = at["reply"][left]
        sender = np.zeros((S, 4, M))
        sender[rows[:, None], np.arange(4)[None, :], assignment] = 1.0
        if unresolved.any():
            # each state's search is its own (buy_time_cascade), so the states are shared
            # among an executor's processes in parts, and the results are the same
            k = shares(executor, left.size, 4)
            parts = [p for p in (left[i::k] for i in range(k)) if p.size]
            found_gain = np.zeros(S)
            stills, pooleds = [], []
            for part, (still_p, pooled_p, gain_p, sender_p, at_p) in zip(
                parts,
                map_calls(
                    executor,
                    searched_part,
                    [
                        (self, p, sender, at, table, sets, gov_table, stage_tol, present)
                        for p in parts
                    ],
                ),
            ):
                sender[part], found_gain[part] = sender_p, gain_p
                for key, value in at_p.items():
                    at[key][part] = value
                stills.append(still_p)
                pooleds.append(pooled_p)
            still, pooled = np.sort(np.concatenate(stills)), np.sort(np.concatenate(pooleds))
            mixed[np.setdiff1d(left, np.union1d(still, pooled))] = True
            unresolved[:] = False
            unresolved[still] = True
        # The receivers' gains at the plays used: where the play is the one the stage selects
        # at a restricted belief, the governments' residual gain there (Ukraine best-replies by
        # construction); where a search found it, every receiver's gain at what is recorded
        # (computed when the search's play was verified); at the states still unresolved, at
        # their fallback plays. (Lottery weights were snapped as each search was verified.)
        gov_gain = np.where(available, gov_table[rows[:, None], used, m_i], 0.0).max(axis=1)
        if left.size:
            gov_gain[left] = found_gain[left]
            fallback = np.flatnonzero(unresolved)
            gov_gain[fallback] = receivers_regret(self, fallback, at)
        values_r = np.where(available[..., None, None], at["russia"], -np.inf)  # (S, M, 4, 3)
        sender, eq_val, gain_r = type_gains(values_r[..., _EQ], sender, present)
        u_val = np.einsum("skm,smk->sk", sender, at["ukraine"])
        keep_best = values_r[..., _KEEP].max(axis=1)
        free_best = values_r[..., _FREE].max(axis=1)
        plans = np.stack(
            [
                sender.argmax(-1),
                values_r[..., _KEEP].argmax(axis=1),
                values_r[..., _FREE].argmax(axis=1),
            ],
            axis=1,
        ).astype(np.int8)
        values = np.zeros((self.N + 1, self.L, self.B, _K))
        values[self.front, self.level, self.belief] = np.concatenate(
            [eq_val, keep_best, free_best, u_val], axis=1
        )
        policy = Policy(
            russia=plans,
            sender=sender,
            belief=at["belief"],
            profile=np.stack([at["profile"], at["profile2"]], -1).astype(np.int16),
            reply=np.where(
                (m_i == 0)[..., None], FIGHT_ON, np.stack([at["reply"], at["reply2"]], -1)
            ).astype(np.int8),
            lottery=at["lottery"],
            receivers_mix=at["receivers_mix"],
            mixed_profile=at["mixed_profile"].astype(np.int16),
            mixed_reply=np.where((m_i == 0)[..., None, None], FIGHT_ON, at["mixed_reply"]).astype(
                np.int8
            ),
            mixed_weight=at["mixed_weight"],
            equilibria=best.count.copy(),
            mixed=mixed,
            unresolved=unresolved,
            gain=np.maximum(gain_r, gov_gain),
        )
        gain = float(max(gain_r.max(initial=0.0), gov_gain.max(initial=0.0)))
        return policy, values, gain, float(span.max(initial=0.0))


def _subset(plan: dict, points: np.ndarray) -> dict:
    """Points ``points`` (n,) of a lookup (:meth:`_Stage._lookup`), as a lookup of shape (n,)."""
    return {
        key: (value[points] if isinstance(value, np.ndarray) else value)
        for key, value in plan.items()
    } | {"shape": (points.size,)}


def _gather(table: np.ndarray, *index: np.ndarray) -> np.ndarray:
    """``table[index]`` for non-negative integer arrays on its leading axes (broadcast together).

    The same values as fancy indexing, read with :func:`numpy.take` on the flattened leading
    axes: several times faster on the stage's (rows x profiles) lookups.
    """
    flat = index[0]
    for k in range(1, len(index)):
        flat = flat * table.shape[k] + index[k]
    return np.take(table.reshape((-1,) + table.shape[len(index) :]), flat, axis=0)


def _plans(c: np.ndarray) -> np.ndarray:
    """Russia's continuation values (..., K) -> (..., 4 types, 3 plans)."""
    return c[..., :12].reshape(c.shape[:-1] + (3, 4)).swapaxes(-1, -2)


@dataclass(frozen=True)
class _Points:
    """What :func:`~simulator.model.offer_search.search` reads of the offer game's tables."""

    prior: np.ndarray
    available: np.ndarray
    tol: np.ndarray
    num_messages: int

    @property
    def size(self) -> int:
        return self.prior.shape[0]


@dataclass(frozen=True)
class _Replies:
    """What the search reads of the receivers' continuation play."""

    russia: np.ndarray
    profile: np.ndarray
    outcome: np.ndarray
    belief: np.ndarray
    equilibria: np.ndarray
