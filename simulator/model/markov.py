"""Markov perfect equilibrium of the buy-time game, by backward induction on a discretised state.

The game of :mod:`simulator.model.dynamics` over a finite horizon, solved for a Markov perfect
equilibrium (E. Maskin & J. Tirole (2001), "Markov perfect equilibrium I: observable actions",
*Journal of Economic Theory* 100(2)) in which the public belief that Russia is sincere is part of
the state and is updated by Bayes' rule on Russia's equilibrium strategy (mixed where needed) and
on the evidence: battle outcomes and noisy signals of regrouping (Powell 2004, *AJPS* 48(2);
Min 2020, *International Organization* 74(3)). It answers mission claims 1, 2, 5 and 6: when does
buying time pay a staller against a genuine compromise, given the West's best response?

Stage game in each period (``docs/dynamics.md`` gives the details)
------------------------------------------------------------------
1. The West chooses to *ease* sanctions if Russia talks, or to *hold* them; Ukraine chooses
   whether it would *accept* the offer on the table. Both move on the public belief ``mu``.
2. Russia, knowing its type (sincere or staller) and the followers' choices, fights, talks
   (a ceasefire in which it regroups, spends the wedge on the coalition's weakest link and the
   West observes a noisy signal of its regroup rate) or signs the deal (if Ukraine accepts and
   talks have lasted ``negotiation_periods``).
3. Under a signed deal Russia may break it at the start of any later period and fight to the
   end (renewed war); guarantees slow its regrouping under the deal (claim 5).

The state is the period, the numbers of ceasefire periods with sanctions eased and held (which
fix each type's capability exactly, and with the period the coalition's cohesion: at least
``(T+1)(T+2)/2`` capability/cohesion levels), the front position and the belief (a grid;
values are interpolated linearly in the belief). Each backward step is vectorised over all
states. In each state the followers' 2x2 game is solved exactly (pure or mixed); for each of
its four outcomes Russia's two types play a signalling stage whose equilibrium is found among
pure profiles (off-path beliefs chosen in ``{0, mu, 1}`` to deter deviations) and, where none
exists, semi-separating profiles in which one type mixes and the posterior solves the other's
indifference exactly on the interpolated value. The certificate is the largest one-shot
deviation gain of any player in any state and period (one-shot deviation principle).

The grid and the result types are in :mod:`simulator.model.markov_result`, the discretised state
in :mod:`simulator.model.markov_setup` and the equilibrium of one stage (Russia's signalling stage
and the followers' 2x2 game) in :mod:`simulator.model.markov_stage`; this module holds the
backward induction and re-exports the names of its ``__all__``.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from simulator.model import rules
from simulator.model.dynamics_settings import DynamicsSettings
from simulator.model.markov_result import (
    _F,
    _R,
    _T,
    _U,
    _W,
    ACTIONS,
    PLAYERS,  # noqa: F401 - re-exported, as before the split
    TYPES,  # noqa: F401 - re-exported, as before the split
    MPEGrid,
    MPEResult,
)
from simulator.model.markov_setup import _along, _belief_interp, _Setup, _setup, _status
from simulator.model.markov_stage import _followers, _RussiaStage
from simulator.model.negotiation import NegotiationModel
from simulator.model.offers import Offer

__all__ = ["ACTIONS", "MPEGrid", "MPEResult", "markov_perfect_equilibrium"]


# ---------------------------------------------------------------------------- the solver
def markov_perfect_equilibrium(
    model: NegotiationModel,
    offer: Offer,
    grid: MPEGrid | None = None,
    periods: int | None = None,
    *,
    settings: DynamicsSettings | None = None,
    tolerance: float = rules.TOL,
) -> MPEResult:
    """Solve the buy-time game for a Markov perfect equilibrium by backward induction.

    Parameters
    ----------
    model : NegotiationModel
        Reads the parameters listed in :data:`simulator.model.dynamics.READ_PARAMETERS` and the
        governments' ``weight``, ``value_of_success``, ``sanctions_burden``, ``audience_cost``,
        ``fatigue_rate``, ``defection_threshold``, ``west.aggregation`` and
        ``west.cohesion_threshold``.
    offer : Offer
        Reads ``alignment``, ``security_guarantees`` and ``sanctions_relief``.
    grid : MPEGrid, optional
        Belief and capability grids, quadrature nodes.
    periods : int, optional
        Overrides ``settings.periods``.
    settings : DynamicsSettings, optional
    tolerance : float
        Deviation gains up to ``tolerance * max(1, payoff scale)`` count as none.

    Returns
    -------
    MPEResult

    Examples
    --------
    >>> from simulator.model import NegotiationModel, Offer
    >>> eq = markov_perfect_equilibrium(NegotiationModel(), Offer.neutrality_for_guarantees(),
    ...                                 grid=MPEGrid(beliefs=5), periods=3)
    >>> eq.certified, eq.states
    (True, 550)
    """
    started = time.perf_counter()
    grid = grid or MPEGrid()
    settings = settings or DynamicsSettings()
    if periods is not None:
        from dataclasses import replace

        settings = replace(settings, periods=periods)
    if not isinstance(offer, Offer):
        raise TypeError(f"offer must be an Offer; got {offer!r}")
    s = _setup(model, offer, settings, grid)
    solver = _Solver(s, settings, offer)
    out = solver.run(tolerance)
    return MPEResult(
        settings=settings,
        grid=grid,
        offer=offer,
        beliefs=s.mu,
        eased=s.eased,
        held=s.held,
        capability=s.cap,
        cohesion=s.cohesion,
        capability_grid=s.k_grid,
        elapsed=time.perf_counter() - started,
        prior=s.par["russia.prior_sincere"],
        pair_index=s.pair_index,
        **out,
    )


class _Solver(_RussiaStage):
    """Backward induction; one instance per solve."""

    def __init__(self, s: _Setup, settings: DynamicsSettings, offer: Offer) -> None:
        self.s = s
        self.settings = settings
        p = s.par
        self.delta = np.array(
            [
                p["russia.discount_factor"],
                p["ukraine.discount_factor"],
                settings.west_discount_factor,
            ]
        )
        self.x_deal = offer.alignment
        self.relief = offer.sanctions_relief
        self.deal_base_r = 1.0 - offer.alignment + _status(p, offer.alignment)

    # -- flows ---------------------------------------------------------------
    def _sanctions(self, pressure: Any, relief: Any) -> Any:
        """Russia's sanctions loss at this pressure and relief (:func:`rules.sanctions_loss`)."""
        p = self.s.par
        return rules.sanctions_loss(
            p["russia.sanctions_cost"], p["west.western_cohesion"], pressure, relief
        )

    def _terminal_scale(self) -> np.ndarray:
        if not self.settings.terminal_value:
            return np.zeros(3)
        return 1.0 / (1.0 - self.delta)

    def _war_flows(self, t: int, front: np.ndarray, battle: float) -> np.ndarray:
        """Flows (3, F, W) at front positions (after the battle), sanctions at 1."""
        s, p = self.s, self.s.par
        pressure = s.pressure[t][None, :]
        b = s.burden[t][None, :]
        x = s.x[front][:, None]
        r = (
            s.base_r[front][:, None]
            - p["russia.war_cost"] * battle
            - self._sanctions(pressure, 0.0)
        )
        u = x - p["ukraine.war_cost"] * battle + 0 * pressure
        w = s.value * x - b
        return np.stack(np.broadcast_arrays(r, u, w))

    def _deal_flows(self, t: int) -> np.ndarray:
        """Flows (3, W) under the deal in period t."""
        s = self.s
        pressure, b = s.pressure[t], s.burden[t]
        r = self.deal_base_r - self._sanctions(pressure, self.relief)
        u = np.full_like(pressure, self.x_deal)
        w = s.value * self.x_deal - (1.0 - self.relief) * b
        return np.stack([r, u, w])

    # -- run -----------------------------------------------------------------
    def run(self, tolerance: float) -> dict[str, Any]:
        s = self.s
        T, N, M = s.T, s.N, s.M
        P = s.eased.size
        F = N + 1
        Kg = s.k_grid.size
        Wn = T + 1
        delta = self.delta
        scale = self._terminal_scale()
        fronts = np.arange(F)

        # ---- renewed war and the deal: values on the capability grid ---------------------
        war_next = (self._war_flows(T, fronts, 0.0) * scale[:, None, None])[:, None]  # (3,1,F,W)
        war_next = np.broadcast_to(war_next, (3, Kg, F, Wn)).copy()
        deal_next = np.broadcast_to(
            (self._deal_flows(T) * scale[:, None])[None, :, None, None, :], (2, 3, Kg, F, Wn)
        ).copy()
        keep_forever_next = self._deal_flows(T) * scale[:, None]  # (3, W)
        keep = np.empty((T, 2, 3, Kg, F, Wn))
        keep_forever = np.empty((T, 3, Wn))
        breaks = np.zeros((T, 2, Kg, F, Wn), dtype=bool)
        pk = s.k_win[:, None, None]
        inner = np.arange(1, N)
        for t in range(T - 1, -1, -1):
            war = np.empty_like(war_next)
            up = (
                self._war_flows(t, inner + 1, 1.0)[:, None]
                + delta[:, None, None, None] * war_next[:, :, inner + 1]
            )
            down = (
                self._war_flows(t, inner - 1, 1.0)[:, None]
                + delta[:, None, None, None] * war_next[:, :, inner - 1]
            )
            war[:, :, inner] = pk * up + (1 - pk) * down
            ends = np.array([0, N])
            war[:, :, ends] = (
                self._war_flows(t, ends, 0.0)[:, None]
                + delta[:, None, None, None] * war_next[:, :, ends]
            )
            flows = self._deal_flows(t)  # (3, W)
            settled = np.empty_like(deal_next)
            for k in range(2):
                lo, frac = s.deal_next[k]
                cont = _along(deal_next[k], lo, frac, axis=1)  # (3, Kg, F, W)
                keep[t, k] = flows[:, None, None, :] + delta[:, None, None, None] * cont
                brk = war[_R] - keep[t, k, _R] > rules.TOL  # a tie keeps the deal
                breaks[t, k] = brk
                settled[k] = np.where(brk[None], war, keep[t, k])
            keep_forever[t] = flows + delta[:, None] * keep_forever_next
            war_next, deal_next, keep_forever_next = war, settled, keep_forever[t]

        # ---- the active phase -----------------------------------------------------------
        term = self._war_flows(T, fronts, 0.0) * scale[:, None, None]  # (3, F, W)
        v_next = np.broadcast_to(
            term[:, :, s.wedge].transpose(0, 2, 1)[None, :, :, :, None], (2, 3, P, F, M)
        ).copy()
        bt_next = v_next[:, _R].copy()
        gc_next = v_next[:, _R].copy()
        shape = (T, P, F, M)
        russia_policy = np.zeros((T, 2, 3, P, F, M), dtype=np.float32)
        west_ease = np.zeros(shape, dtype=np.float32)
        ukraine_accept = np.zeros(shape, dtype=np.float32)
        cert = np.zeros(T)
        value_scale = float(np.max(np.abs(v_next))) if v_next.size else 1.0
        tol = tolerance * max(1.0, value_scale, 1.0 / (1.0 - delta.max()))
        unresolved = 0
        for t in range(T - 1, -1, -1):
            stage = self._stage(t, v_next, bt_next, gc_next, keep[t], keep_forever[t], tol)
            v_next, bt_next, gc_next = stage["values"], stage["bt"], stage["gc"]
            russia_policy[t] = stage["russia"]
            west_ease[t] = stage["ease"]
            ukraine_accept[t] = stage["accept"]
            cert[t] = stage["gain"]
            unresolved += stage["unresolved"]
        return {
            "russia_policy": russia_policy,
            "west_ease": west_ease,
            "ukraine_accept": ukraine_accept,
            "break_policy": breaks,
            "values": v_next,
            "buy_time_values": bt_next,
            "compromise_values": gc_next,
            "certificate": float(cert.max()) if T else 0.0,
            "certificate_by_period": cert,
            "tolerance": tol,
            "unresolved": int(unresolved),
        }

    # -- one period ---------------------------------------------------------------
    def _stage(
        self,
        t: int,
        v_next: np.ndarray,
        bt_next: np.ndarray,
        gc_next: np.ndarray,
        keep_t: np.ndarray,
        keep_forever_t: np.ndarray,
        tol: float,
    ) -> dict[str, Any]:
        s, st = self.s, self.settings
        p = s.par
        N, M = s.N, s.M
        P = s.eased.size
        delta = self.delta
        inner = np.arange(1, N)
        mu = s.mu
        pres = s.pressure[t][s.wedge]  # (P,)
        bur = s.burden[t][s.wedge]
        x = s.x

        values = np.empty_like(v_next)
        bt = np.empty_like(bt_next)
        gc = np.empty_like(gc_next)
        # decided fronts: nobody moves
        for f in (0, N):
            r = s.base_r[f] - self._sanctions(pres, 0.0)
            flows = np.stack([r, np.full(P, x[f]), s.value * x[f] - bur])  # (3, P)
            values[:, :, :, f] = (
                flows[None, :, :, None] + delta[None, :, None, None] * v_next[:, :, :, f]
            )
            bt[:, :, f] = flows[_R][None, :, None] + delta[_R] * bt_next[:, :, f]
            gc[:, :, f] = flows[_R][None, :, None] + delta[_R] * gc_next[:, :, f]

        # ---- action values as functions of the posterior (last axis) ------------------
        win = s.win  # (2, P)
        win_matrix, lose_matrix = s.battle_matrix
        fl_up = np.stack(
            [
                s.base_r[inner + 1][None, :]
                - p["russia.war_cost"]
                - self._sanctions(pres[:, None], 0.0),
                np.broadcast_to(x[inner + 1] - p["ukraine.war_cost"], (P, N - 1)),
                s.value * x[inner + 1][None, :] - bur[:, None],
            ]
        )  # (3, P, Fi)
        fl_down = np.stack(
            [
                s.base_r[inner - 1][None, :]
                - p["russia.war_cost"]
                - self._sanctions(pres[:, None], 0.0),
                np.broadcast_to(x[inner - 1] - p["ukraine.war_cost"], (P, N - 1)),
                s.value * x[inner - 1][None, :] - bur[:, None],
            ]
        )

        def fight_value(vn: np.ndarray, k: int, i: int) -> np.ndarray:
            """(P, Fi, M): type k's value for player i of fighting, by posterior."""
            up = vn[:, inner + 1] @ win_matrix
            down = vn[:, inner - 1] @ lose_matrix
            pw = win[k][:, None, None]
            return pw * (fl_up[i][:, :, None] + delta[i] * up) + (1 - pw) * (
                fl_down[i][:, :, None] + delta[i] * down
            )

        def talk_flows(e: int) -> np.ndarray:
            level = 1.0 - st.easing * e
            return np.stack(
                [
                    s.base_r[inner][None, :]
                    - self._sanctions(pres[:, None], st.easing * e)
                    - st.wedge_budget,
                    np.broadcast_to(x[inner], (P, N - 1)),
                    s.value * x[inner][None, :] - level * bur[:, None],
                ]
            )  # (3, P, Fi)

        talk_fl = [talk_flows(0), talk_flows(1)]
        nxt = [s.next_held, s.next_eased]

        def talk_value(vn: np.ndarray, k: int, i: int, e: int) -> np.ndarray:
            cont = vn[nxt[e]][:, inner] @ s.signal_matrix[k]  # (P, Fi, M)
            return talk_fl[e][i][:, :, None] + delta[i] * cont

        # Q[k][i][a] arrays: a in (fight, talk-hold, talk-ease)
        qf = [[fight_value(v_next[k, i], k, i) for i in range(3)] for k in range(2)]
        qt = [
            [[talk_value(v_next[k, i], k, i, e) for e in range(2)] for i in range(3)]
            for k in range(2)
        ]
        qf_bt = [fight_value(bt_next[k], k, _R) for k in range(2)]
        qt_bt = [[talk_value(bt_next[k], k, _R, e) for e in range(2)] for k in range(2)]
        qt_gc = [[talk_value(gc_next[k], k, _R, e) for e in range(2)] for k in range(2)]
        # signing: the deal's value at this type's capability
        qd = []
        for k in range(2):
            lo, frac = s.pair_k[k]
            sign = _along(keep_t[k], lo, frac, axis=1)  # (3, P, F, W) at each pair's capability
            sign = sign[:, np.arange(P), :, s.wedge]  # (P, 3, F)
            qd.append([sign[:, i, inner] for i in range(3)])  # (P, Fi)
        settle_ok = s.wedge >= st.negotiation_periods  # (P,)
        gc_sign = keep_forever_t[_R][s.wedge]  # (P,)

        # ---- Russia's stage equilibrium in each of the four follower outcomes ------------
        cells = {}
        for e in range(2):
            for a in range(2):
                cells[(e, a)] = self._russia_stage(qf, qt, qd, e, bool(a), settle_ok, tol, mu)

        # ---- the followers' 2x2 game ----------------------------------------------------
        muv = mu[None, None, :]
        fol = {}
        for key, c in cells.items():
            u = muv * c["value"][0][_U] + (1 - muv) * c["value"][1][_U]
            w = muv * c["value"][0][_W] + (1 - muv) * c["value"][1][_W]
            fol[key] = (w, u)
        ease, accept, gain_f = _followers(fol, tol)
        # before talks have lasted long enough Ukraine's reply changes nothing: report "no"
        accept = np.where(settle_ok[:, None, None], accept, 0.0)

        # ---- combine ---------------------------------------------------------------------
        prob = {
            (e, a): (ease if e else 1 - ease) * (accept if a else 1 - accept)
            for e in range(2)
            for a in range(2)
        }
        shape_in = (P, N - 1, M)
        vin = np.zeros((2, 3) + shape_in)
        btin = np.zeros((2,) + shape_in)
        gcin = np.zeros((2,) + shape_in)
        pol = np.zeros((2, 3) + shape_in)
        gain_r = 0.0
        unresolved = 0
        for (e, a), c in cells.items():
            pr = prob[(e, a)]
            for k in range(2):
                vin[k] += pr * c["value"][k]
                pol[k] += pr * c["sigma"][k]
                bf = _belief_interp(qf_bt[k], c["post"][_F])
                btk = _belief_interp(qt_bt[k][e], c["post"][_T])
                best = np.maximum(bf, btk)
                btin[k] += pr * best
                talk_gc = _belief_interp(qt_gc[k][e], c["post"][_T])
                if a:
                    signs = settle_ok[:, None, None]
                    gcv = np.where(signs, gc_sign[:, None, None], talk_gc)
                else:
                    gcv = talk_gc
                gcin[k] += pr * gcv
            gain_r = max(gain_r, float(c["gain"].max()))
            unresolved += int(c["unresolved"])
        values[:, :, :, inner] = vin
        bt[:, :, inner] = btin
        gc[:, :, inner] = gcin
        russia = np.zeros((2, 3, P, N + 1, M), dtype=np.float32)
        russia[:, :, :, inner] = pol
        ease_full = np.zeros((P, N + 1, M), dtype=np.float32)
        ease_full[:, inner] = ease
        accept_full = np.zeros((P, N + 1, M), dtype=np.float32)
        accept_full[:, inner] = accept
        return {
            "values": values,
            "bt": bt,
            "gc": gc,
            "russia": russia,
            "ease": ease_full,
            "accept": accept_full,
            "gain": max(gain_r, float(gain_f.max())),
            "unresolved": unresolved,
        }
