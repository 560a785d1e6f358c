"""Outcomes of the buy-time game from equilibrium play: a forward pass of its strategies.

Monte Carlo over the state's chance moves (battles, the public lottery that keeps beliefs on the
grid, mixed strategies and the receivers' lotteries), for each of Russia's types: the share of
runs in which a deal is signed and kept to the horizon (``settled``), signed then broken
(``broken``) or never signed (``war``), which sum to 1; how often Russia has won the war by the
horizon; the period of signing; and the paths of Western cohesion, Russia's capability, the front
and the public's beliefs with 5-95% bands. Russia plays the equilibrium or one of the two plans
the question compares (:data:`~simulator.model.buy_time_game.PLANS`) against the others'
equilibrium play. The realised discounted payoffs are returned too: their means agree with the
equilibrium's values (a test checks it within four standard errors).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.model.buy_time_game import PLANS, BuyTimeEquilibrium
from simulator.model.buy_time_setup import CEASEFIRE, SIGN, corners
from simulator.model.offer_tables import BROKEN, OUTCOMES, SETTLED, TYPES, WAR

__all__ = ["PATHS", "BuyTimePlay", "play"]

#: The paths recorded, at the start and after each period.
PATHS = ("cohesion", "capability", "front", "p_sincere", "p_weak")


@dataclass(frozen=True, eq=False)
class BuyTimePlay:
    """What happens when the buy-time game is played, by Russia's type.

    Attributes
    ----------
    plan : str
        Russia's plan (:data:`~simulator.model.buy_time_game.PLANS`).
    runs : int
        Runs per type.
    outcomes : numpy array, shape (4, 3)
        Probability of ``settled``, ``broken`` and ``war`` by type (rows sum to 1).
    russia_wins : numpy array, shape (4,)
        Probability that Russia has won the war by the horizon.
    settlement_period : numpy array, shape (4,)
        Mean period of signing among the runs that sign (nan where none does).
    paths : dict of str to numpy array, shape (4, 3, T + 1)
        Mean, 5% and 95% of each path (:data:`PATHS`) by type, at the start and after each period.
    overall : dict of str to numpy array, shape (3, T + 1)
        The same over the types, weighted by the prior.
    russia_value, ukraine_value : numpy arrays, shape (4, 2)
        Mean realised discounted payoff and its standard error, by type.
    unresolved_share : numpy array, shape (4,)
        Share of runs that pass a state where no exact equilibrium was found.
    path_regret : float
        The largest one-shot deviation gain at the states these runs pass (the equilibrium's
        certificate restricted to where play goes; the full certificate covers every state).
    """

    plan: str
    runs: int
    outcomes: np.ndarray
    russia_wins: np.ndarray
    settlement_period: np.ndarray
    paths: dict[str, np.ndarray]
    overall: dict[str, np.ndarray]
    prior: np.ndarray
    russia_value: np.ndarray
    ukraine_value: np.ndarray
    unresolved_share: np.ndarray
    path_regret: float

    def __repr__(self) -> str:
        return (
            f"BuyTimePlay(plan={self.plan!r}, runs={self.runs}, "
            f"path_regret={self.path_regret:.1e})"
        )

    def outcome(self) -> dict[str, float]:
        """Outcome probabilities and Russia's victory, averaged over the types by the prior."""
        out = {name: float(self.prior @ self.outcomes[:, k]) for k, name in enumerate(OUTCOMES)}
        out["russia_wins"] = float(self.prior @ self.russia_wins)
        return out

    def by_type(self) -> dict[str, dict[str, float]]:
        """``{type: {settled, broken, war, russia_wins}}``."""
        return {
            t: {
                **{name: float(self.outcomes[i, k]) for k, name in enumerate(OUTCOMES)},
                "russia_wins": float(self.russia_wins[i]),
            }
            for i, t in enumerate(TYPES)
        }


def play(
    eq: BuyTimeEquilibrium, runs: int = 2000, seed: int = 0, plan: str = "equilibrium"
) -> BuyTimePlay:
    """Play the equilibrium (or a plan of Russia's against the others' equilibrium play).

    Parameters
    ----------
    eq : BuyTimeEquilibrium
        The solved game.
    runs : int
        Runs per type of Russia.
    seed : int
        Seed of the random generator (same seed, same numbers).
    plan : {"equilibrium", "compromise", "buy_time"}
        Russia's plan; the others always play their equilibrium strategies.

    Returns
    -------
    BuyTimePlay

    Examples
    --------
    >>> from simulator.model import NegotiationModel, Offer
    >>> from simulator.model.buy_time_game import BuyTimeSettings, buy_time_equilibrium
    >>> eq = buy_time_equilibrium(NegotiationModel(), Offer(), BuyTimeSettings(periods=2))
    >>> out = play(eq, runs=200)
    >>> bool(np.allclose(out.outcomes.sum(axis=1), 1.0))
    True
    """
    if plan not in PLANS:
        raise ValueError(f"plan must be one of {PLANS}, got {plan!r}")
    if not isinstance(runs, (int, np.integer)) or isinstance(runs, bool) or runs < 1:
        raise ValueError(f"runs must be a whole number of at least 1, got {runs!r}")
    s = eq.setup
    st = s.settings
    T, N, L, B = st.periods, st.front_positions, s.levels, s.beliefs.shape[0]
    rng = np.random.default_rng(seed)
    theta = np.repeat(np.arange(4), runs)
    R = theta.size
    plan_i = PLANS.index(plan)
    d_r, d_u = s.delta[0], s.delta[1]
    pressure = s.tables.pressure[0]
    hold = s.tables.hold.astype(float)

    front = np.full(R, st.initial_position)
    level = np.zeros(R, dtype=np.int64)
    belief = np.broadcast_to(s.beliefs[s.prior_index], (R, 4)).copy()
    active = np.ones(R, dtype=bool)
    outcome = np.full(R, WAR, dtype=np.int8)
    signed_at = np.full(R, np.nan)
    last_profile = np.full(R, s.profiles - 1)
    cohesion = np.ones(R)
    value_r = np.zeros(R)
    value_u = np.zeros(R)
    unresolved = np.zeros(R, dtype=bool)
    path_regret = 0.0
    paths = {k: np.empty((T + 1, R)) for k in PATHS}

    def record(t: int) -> None:
        paths["cohesion"][t] = cohesion
        paths["capability"][t] = s.capability[level, theta]
        paths["front"][t] = front
        paths["p_sincere"][t] = belief[:, 0] + belief[:, 1]
        paths["p_weak"][t] = belief[:, 1] + belief[:, 3]

    record(0)
    flows = eq.flows
    for t in range(T):
        pol = eq.policies[t]
        idx = np.flatnonzero(active)
        if idx.size:
            th = theta[idx]
            # the public lottery that keeps the belief on the grid
            c_i, c_w = corners(s, belief[idx])
            pick = (rng.random(idx.size)[:, None] > np.cumsum(c_w, axis=1)).sum(axis=1)
            b = c_i[np.arange(idx.size), np.minimum(pick, 7)]
            si = ((front[idx] - 1) * L + level[idx]) * B + b
            unresolved[idx] |= pol.unresolved[si]
            path_regret = max(path_regret, float(pol.gain[si].max(initial=0.0)))
            if plan_i == 0:
                probs = pol.sender[si, th]  # (n, M)
                m = (rng.random(idx.size)[:, None] > np.cumsum(probs, axis=1)).sum(axis=1)
                m = np.minimum(m, probs.shape[1] - 1)
            else:
                m = pol.russia[si, plan_i, th].astype(np.int64)
            second = (rng.random(idx.size) < pol.lottery[si, m]).astype(int)
            prof = pol.profile[si, m, second].astype(np.int64)
            rep = pol.reply[si, m, second]
            mixing = pol.receivers_mix[si, m, second]
            if mixing.any():
                # the receivers mix within the play (two governments, or Ukraine among its
                # replies): one of its (profile, reply) pairs is drawn (drawn only where they
                # mix, so other runs keep their random numbers)
                j = np.flatnonzero(mixing)
                w = pol.mixed_weight[si[j], m[j], second[j]]
                k = (rng.random(j.size)[:, None] > np.cumsum(w, axis=1)).sum(axis=1)
                k = np.minimum(k, 3)
                prof[j] = pol.mixed_profile[si[j], m[j], second[j], k]
                rep[j] = pol.mixed_reply[si[j], m[j], second[j], k]
            pi = pol.belief[si, m]
            verified = s.tables.verified[m]
            lv = np.where(verified, 0, level[idx])
            # inducements: a period's worth (all of it in the last period), as solved
            paid = 1.0 if t == T - 1 else 1 - d_r
            sunk = paid * ((1 - hold[prof]) * s.inducements[m]).sum(1) + np.where(
                verified, s.withdrawal_cost, 0.0
            )
            value_r[idx] -= d_r**t * sunk
            cohesion[idx] = pressure[prof]
            last_profile[idx] = prof
            f = front[idx]
            # --- sign
            sg = rep == SIGN
            if sg.any():
                j = np.flatnonzero(sg)
                for ver in (False, True):
                    k = j[verified[j] == ver]
                    if k.size == 0:
                        continue
                    d = eq.deals[(t, ver)]
                    at = (f[k], lv[k], prof[k], th[k])
                    breaks = d.breaks[at] & (plan_i != 1)
                    r_val = np.where(plan_i == 1, d.keep_russia[at], d.russia[at])
                    u_val = np.where(breaks, d.ukraine[at], d.keep_ukraine[at])
                    value_r[idx[k]] += d_r**t * r_val
                    value_u[idx[k]] += d_u**t * u_val
                    outcome[idx[k]] = np.where(breaks, BROKEN, SETTLED)
                    signed_at[idx[k]] = t
                    cohesion[idx[k]] = 1.0
                active[idx[sg]] = False
            # --- ceasefire
            cf = rep == CEASEFIRE
            if cf.any():
                k = np.flatnonzero(cf)
                value_r[idx[k]] += (1 - d_r) * d_r**t * flows.cease_r[f[k], lv[k], prof[k], th[k]]
                value_u[idx[k]] += (1 - d_u) * d_u**t * flows.cease_u[f[k], lv[k], prof[k], th[k]]
                level[idx[k]] = np.where(verified[k], 0, np.minimum(lv[k] + 1, L - 1))
                belief[idx[k]] = pi[k]
            # --- battle
            bt = ~(sg | cf)
            if bt.any():
                k = np.flatnonzero(bt)
                value_r[idx[k]] += (1 - d_r) * d_r**t * flows.battle_r[f[k], lv[k], prof[k], th[k]]
                value_u[idx[k]] += (1 - d_u) * d_u**t * flows.battle_u[f[k], lv[k], prof[k], th[k]]
                win_all = s.win[lv[k], prof[k]]  # (k, 4)
                won = rng.random(k.size) < win_all[np.arange(k.size), th[k]]
                like = np.where(won[:, None], win_all, 1 - win_all)
                post = pi[k] * like
                belief[idx[k]] = post / post.sum(1, keepdims=True)
                front[idx[k]] = f[k] + np.where(won, 1, -1)
                level[idx[k]] = lv[k]
                nf = front[idx[k]]
                done = (nf <= 0) | (nf >= N)
                if done.any():
                    dk = idx[k[done]]
                    value_r[dk] += (
                        d_r ** (t + 1)
                        * flows.battle_r[nf[done], lv[k[done]], prof[k[done]], th[k[done]]]
                    )
                    value_u[dk] += (
                        d_u ** (t + 1)
                        * flows.battle_u[nf[done], lv[k[done]], prof[k[done]], th[k[done]]]
                    )
                    active[dk] = False
        record(t + 1)
    # the horizon: a war still undecided goes on at the last period's profile
    idx = np.flatnonzero(active)
    if idx.size:
        args = (front[idx], level[idx], last_profile[idx], theta[idx])
        value_r[idx] += d_r**T * flows.battle_r[args]
        value_u[idx] += d_u**T * flows.battle_u[args]

    def by_type(x: np.ndarray) -> np.ndarray:
        return x.reshape(4, runs)

    outcomes = np.stack([(by_type(outcome) == k).mean(1) for k in (SETTLED, BROKEN, WAR)], 1)
    won = by_type(front >= N).mean(1)
    sat = by_type(signed_at)
    with np.errstate(invalid="ignore"):
        settle = np.array([np.nanmean(r) if np.isfinite(r).any() else np.nan for r in sat])
    band = {
        k: np.stack(
            [
                v.reshape(T + 1, 4, runs).mean(2).T,
                np.quantile(v.reshape(T + 1, 4, runs), 0.05, axis=2).T,
                np.quantile(v.reshape(T + 1, 4, runs), 0.95, axis=2).T,
            ],
            axis=1,
        )
        for k, v in paths.items()
    }

    prior = s.beliefs[s.prior_index]
    weight = np.repeat(prior / runs, runs)
    overall = {}
    for k, v in paths.items():
        # weighted 5% and 95% quantiles, every period at once: the first sorted value whose
        # cumulative weight reaches the level
        order = np.argsort(v, axis=1, kind="stable")
        ranked = np.take_along_axis(v, order, axis=1)
        cum = np.cumsum(weight[order], axis=1)
        lo, hi = (
            ranked[np.arange(T + 1), np.minimum((cum < q).sum(axis=1), R - 1)]
            for q in (0.05, 0.95)
        )
        overall[k] = np.stack([v @ weight, lo, hi])

    def mean_se(x: np.ndarray) -> np.ndarray:
        y = by_type(x)
        return np.stack(
            [y.mean(1), y.std(1, ddof=1) / np.sqrt(runs) if runs > 1 else 0 * y[:, 0]], 1
        )

    return BuyTimePlay(
        plan=plan,
        runs=runs,
        outcomes=outcomes,
        russia_wins=won,
        settlement_period=settle,
        paths=band,
        overall=overall,
        prior=prior,
        russia_value=mean_se(value_r),
        ukraine_value=mean_se(value_u),
        unresolved_share=by_type(unresolved).mean(1),
        path_regret=path_regret,
    )
