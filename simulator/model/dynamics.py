"""Buy-time dynamics: talks, fighting, regrouping, sanctions and coalition cohesion over periods.

The question: when does *buying time* (an insincere offer while regrouping and working on the
coalition's weakest links) pay against a *genuine compromise*? This module holds the Monte
Carlo simulation vectorised across runs (:func:`simulate`) and is the entry point for the
settings and strategies (:mod:`~simulator.model.dynamics_settings`), the parameters of every run
(:mod:`~simulator.model.dynamics_parameters`), the rules of one period
(:mod:`~simulator.model.dynamics_rules`) and the results (:mod:`~simulator.model.dynamics_result`),
whose names it re-exports; :mod:`simulator.model.markov` solves the same game for a Markov perfect
equilibrium. It expresses mission claims 1 (offers may be insincere: words alone do not
separate the types, only evidence does), 2 (offers target the coalition: a wedge on the weakest
link), 5 (a pause lets Russia regroup, so a deal may be broken later) and 6 (signals still carry
information: beliefs update on battles and on the evidence of regrouping).

Sources
-------
* Bargaining while fighting: R. Powell (2004), "Bargaining and learning while fighting",
  *American Journal of Political Science* 48(2); D. Filson & S. Werner (2002), "A bargaining
  model of war and peace", *AJPS* 46(4); B. Slantchev (2003), "The principle of convergence in
  wartime negotiations", *APSR* 97(4); A. Smith & A. Stam (2004), "Bargaining and the nature of
  war", *Journal of Conflict Resolution* 48(6). The front is a random walk of battles over
  positions ``0..N`` absorbing at both ends; beliefs update on each battle.
* Insincere talks: E. Min (2020), "Talking while fighting", *International Organization* 74(3);
  Dong (2025, *Journal of Conflict Resolution*) on stalling to arm; A. Admati & M. Perry
  (1987), "Strategic delay in bargaining", *Review of Economic Studies* 54(3).
* Commitment problem: R. Powell (2006), *International Organization* 60(1)
  (:mod:`simulator.model.published.commitment`).
* Contest function: S. Skaperdas (1996), *Economic Theory* 7.
* Coalition: Olson & Zeckhauser (1966), Hirshleifer (1983), Granovetter (1978), Fearon (1994),
  reused from :mod:`~simulator.model.published.coalition`; the West's relax threshold from
  Fearon (1997) via :mod:`simulator.model.published.costly_signalling`.

The rules (``docs/dynamics.md`` states them in full)
----------------------------------------------------
Russia is *sincere* (prior ``russia.prior_sincere``) or a *staller*; the types differ only in
how fast they regroup during a pause, ``rho_S`` and ``rho_B``. During a period of talks with a
ceasefire Russia's capability grows ``K <- K + rho (1 - drag [West holds]) max(K_bar - K, 0)``;
under a signed deal it grows at ``(1 - G) rho`` (security guarantees of strength ``G`` block the
share ``G``: Powell's shrunk shift). Battles are won by Russia with probability
``K^g / (K^g + K_U^g)`` and move the front one position. The West observes each period of
talks a signal ``z ~ Normal(rho_type, signal_noise)`` and each battle outcome, and updates its
belief that Russia is sincere by Bayes' rule. Per-period payoffs, with ``x`` Ukraine's
alignment (``1 - front/N`` while the war is undecided, the offer's alignment under a deal)::

    Russia:      (1 - x) + S R(x) - c_R [battle] - s_c * s * C - wedge spent
    Ukraine:     x - c_U [battle]
    government:  b_i x - kappa_i (1 + f_i)^t * s * [i still sanctions]

``R(x)`` is the share of the status premium Russia keeps: all of it up to ``x_dom``
(``russia.dominance_threshold``), none beyond ``x_dom + russia.status_loss_span``, linear
between. ``s`` is the sanctions level (1; ``1 - easing`` while the West eases during talks;
``1 - offer.sanctions_relief`` under a deal) and ``C`` the coalition's cohesion
(``west.western_cohesion`` times the pressure of the members still sanctioning). Payoffs are
discounted; with ``terminal_value`` the final state's flow (without war costs) continues for
ever.

Every rule above (contest, status, sanctions, regrouping, guarantees, Bayes' rule) is the
function of :mod:`simulator.model.rules`; this module and :mod:`~simulator.model.dynamics_rules`
only assemble them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy.special import expit

from simulator.model import rules
from simulator.model.dynamics_parameters import (
    READ_GOVERNMENT,  # noqa: F401 - re-exported: importers use dynamics.READ_GOVERNMENT
    READ_PARAMETERS,  # noqa: F401 - re-exported: importers use dynamics.READ_PARAMETERS
    RunParameters,
    sample_parameters,
)
from simulator.model.dynamics_result import (
    FIGHTING,
    PHASES,
    RENEWED,
    RUSSIA_WON,
    SETTLED,
    TALKING,
    UKRAINE_WON,
    SimulationResult,
)
from simulator.model.dynamics_rules import (
    capability_after_talks,
    coalition_defectors,
    relax_threshold_runs,
    russia_flow,
    sincere_posterior,
    ukraine_flow,
)
from simulator.model.dynamics_settings import (
    PER_PERIOD,  # noqa: F401 - re-exported, as before the split
    PROFILES,
    RUSSIA_STRATEGIES,
    UKRAINE_STRATEGIES,
    WEST_STRATEGIES,
    DynamicsSettings,
    StrategyProfile,
    _as_profile,
)
from simulator.model.negotiation import NegotiationModel
from simulator.model.offers import Offer
from simulator.model.published.bargaining import bargaining_range
from simulator.model.rules import contest  # re-exported: importers use dynamics.contest

if TYPE_CHECKING:
    from simulator.model.markov import MPEResult

__all__ = [
    "DynamicsSettings",
    "PHASES",
    "PROFILES",
    "RUSSIA_STRATEGIES",
    "RunParameters",
    "SimulationResult",
    "StrategyProfile",
    "UKRAINE_STRATEGIES",
    "WEST_STRATEGIES",
    "capability_after_talks",
    "coalition_defectors",
    "contest",
    "relax_threshold_runs",
    "sample_parameters",
    "simulate",
    "sincere_posterior",
]


# ---------------------------------------------------------------------------- simulation
def simulate(
    model: NegotiationModel,
    offer: Offer,
    profile: StrategyProfile | str | Mapping[str, str] = "buy_time",
    runs: int = 10_000,
    periods: int | None = None,
    seed: int | None = None,
    uncertain: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    settings: DynamicsSettings | None = None,
    russian_type: str | None = None,
    mpe: MPEResult | None = None,
) -> SimulationResult:
    """Monte Carlo simulation of a strategy profile, vectorised across runs.

    Each run draws Russia's type (sincere with probability ``russia.prior_sincere`` unless
    ``russian_type`` fixes it), its own values of the ``uncertain`` parameters
    (:func:`sample_parameters`), and battle, signal and policy shocks; the runs then advance
    together period by period under the rules of ``docs/dynamics.md``. The same ``seed``
    gives identical output, and every run consumes the same random numbers whatever happens
    in it (common random numbers across profiles and types).

    Parameters
    ----------
    model : NegotiationModel
    offer : Offer
        The deal on the table: its ``alignment``, ``security_guarantees`` and
        ``sanctions_relief`` are read.
    profile : StrategyProfile, profile name (:data:`PROFILES`) or mapping
    runs : int
    periods : int, optional
        Overrides ``settings.periods``.
    seed : int, optional
        Seed of the :class:`numpy.random.Generator`.
    uncertain : mapping, optional
        Dotted parameter name -> distribution (see :func:`sample_parameters`).
    settings : DynamicsSettings, optional
    russian_type : {"sincere", "staller"}, optional
        Fix Russia's type in every run.
    mpe : MPEResult, optional
        The equilibrium whose West policy ``best_response`` follows (from
        :func:`simulator.model.markov.markov_perfect_equilibrium`); required for that profile.

    Returns
    -------
    SimulationResult

    Examples
    --------
    >>> r = simulate(NegotiationModel(), Offer.neutrality_for_guarantees(), "genuine_compromise",
    ...              runs=1000, periods=6, seed=1)
    >>> r.settlement_probability, r.mean_settlement_period
    (1.0, 1.0)

    A staller that buys time signs too, regroups under the deal and breaks it once it has
    restored 80% of its capability gap (period 22); a sincere Russia keeps it:

    >>> r2 = simulate(NegotiationModel(), Offer.neutrality_for_guarantees(), "buy_time",
    ...               runs=1000, seed=1)
    >>> r2.settlement_probability, r2.broken_deal_probability
    (1.0, 0.493)
    >>> sorted(set(r2.renewal_period.tolist()))
    [-1, 22]
    """
    profile = _as_profile(profile)
    settings = settings or DynamicsSettings()
    if periods is not None:
        settings = _with_periods(settings, periods)
    if not isinstance(offer, Offer):
        raise TypeError(f"offer must be an Offer; got {offer!r}")
    if russian_type not in (None, "sincere", "staller"):
        raise ValueError(f"russian_type must be 'sincere', 'staller' or None; got {russian_type!r}")
    rng = np.random.default_rng(seed)
    params = sample_parameters(model, runs, uncertain, rng)
    type_draw = rng.random(params.runs)
    if russian_type is None:
        sincere = type_draw < params["russia.prior_sincere"]
    else:
        sincere = np.full(params.runs, russian_type == "sincere")
    if profile.west == "best_response" and mpe is None:
        raise ValueError(
            "the West's 'best_response' follows a Markov perfect equilibrium: solve it with "
            "simulator.model.markov.markov_perfect_equilibrium(model, offer, ...) and pass it "
            "as mpe="
        )
    return _run(params, offer, profile, settings, sincere, rng, mpe, seed)


def _with_periods(settings: DynamicsSettings, periods: int) -> DynamicsSettings:
    from dataclasses import replace

    return replace(settings, periods=periods)


def _run(
    params: RunParameters,
    offer: Offer,
    profile: StrategyProfile,
    settings: DynamicsSettings,
    sincere: np.ndarray,
    rng: np.random.Generator,
    mpe: MPEResult | None,
    seed: int | None,
) -> SimulationResult:
    runs, T, N = params.runs, settings.periods, settings.front_positions
    p = params
    k0, kbar = p["russia.capability"], p["russia.capability_ceiling"]
    ku, g = p["ukraine.capability"], p["contest_exponent"]
    rho_s, rho_b = p["russia.regroup_rate_sincere"], p["russia.regroup_rate_staller"]
    rho = np.where(sincere, rho_s, rho_b)
    d_r, d_u = p["russia.discount_factor"], p["ukraine.discount_factor"]
    d_w = settings.west_discount_factor
    guarantee = rules.guarantee_strength(
        offer.security_guarantees, p["west.security_guarantee_credibility"]
    )
    x_offer = offer.alignment
    sigma, drag = settings.signal_noise, settings.sanctions_drag
    wedge_b = settings.wedge_budget
    resume_level = k0 + settings.resume_threshold * np.maximum(kbar - k0, 0.0)
    gov = params.governments
    omega = params.weights / params.weights.sum()
    mu_star = relax_threshold_runs(params) if profile.west == "sceptical" else None
    if profile.west == "best_response":
        assert mpe is not None
        mpe.check_compatible(settings)

    codes = {name: i for i, name in enumerate(RUSSIA_STRATEGIES)}
    strat = np.where(
        sincere, codes[profile.russia_by_type[0]], codes[profile.russia_by_type[1]]
    ).astype(np.int8)
    is_gc, is_bt, is_fo = (strat == 0), (strat == 1), (strat == 2)

    # state
    front = np.full(runs, settings.initial_position, dtype=np.int64)
    cap = k0.copy()
    cap_s, cap_b = k0.copy(), k0.copy()  # what each type would have: the West's hypotheses
    mu = p["russia.prior_sincere"].copy()
    phase = np.full(runs, FIGHTING, dtype=np.int8)
    eased_n = np.zeros(runs, dtype=np.int64)  # ceasefire talk periods with sanctions eased
    held_n = np.zeros(runs, dtype=np.int64)  # ... with sanctions held
    talks = np.zeros(runs, dtype=np.int64)  # all periods of talks
    wedges = np.zeros(runs, dtype=np.int64)  # periods of talks spent on the wedge
    held_streak = np.zeros(runs, dtype=np.int64)
    settle_at = np.full(runs, -1, dtype=np.int64)
    renew_at = np.full(runs, -1, dtype=np.int64)

    def defectors_at(t: int, wedge_periods: np.ndarray) -> np.ndarray:
        return coalition_defectors(
            gov["value_of_success"],
            gov["sanctions_burden"],
            gov["audience_cost"],
            gov["fatigue_rate"],
            gov["defection_threshold"],
            params.weights,
            aggregation=params.aggregation,
            threshold=params.cohesion_threshold,
            period=t,
            budget=wedge_periods * wedge_b,
        )

    def pressure_of(defect: np.ndarray) -> np.ndarray:
        pressure = rules.coalition_pressure(
            ~defect, params.weights, params.aggregation, params.cohesion_threshold
        )
        return np.asarray(pressure, dtype=float)

    defect = defectors_at(0, wedges)
    pressure = pressure_of(defect)
    cohesion = p["west.western_cohesion"] * pressure

    shape = (runs, T + 1)
    rec = {
        "cohesion": np.empty(shape, np.float32),
        "capability": np.empty(shape, np.float32),
        "belief": np.empty(shape, np.float32),
        "sanctions": np.empty(shape, np.float32),
        "front": np.empty(shape, np.int16),
        "phase": np.empty(shape, np.int8),
    }
    supporting = np.empty((runs, T + 1, omega.size), dtype=bool)

    def record(col: int, level: np.ndarray) -> None:
        rec["cohesion"][:, col] = cohesion
        rec["capability"][:, col] = cap
        rec["belief"][:, col] = mu
        rec["sanctions"][:, col] = level
        rec["front"][:, col] = front
        rec["phase"][:, col] = phase
        supporting[:, col] = ~defect

    record(0, np.ones(runs))
    pay_r, pay_u = np.zeros(runs), np.zeros(runs)
    pay_g = np.zeros((runs, omega.size))
    disc_r, disc_u, disc_w = np.ones(runs), np.ones(runs), 1.0
    burden0 = gov["sanctions_burden"]
    fatigue = gov["fatigue_rate"]

    for t in range(T):
        battle_u = rng.random(runs)
        signal_e = rng.standard_normal(runs)
        policy_u = rng.random(runs)

        settled = phase == SETTLED
        renewed = phase == RENEWED
        active = (phase == FIGHTING) | (phase == TALKING)

        # Russia's move
        breaks = settled & is_bt & (cap >= resume_level)
        resume = (
            active
            & is_bt
            & (talks >= 1)
            & (
                (cap >= resume_level)
                | ((settings.resume_patience > 0) & (held_streak >= settings.resume_patience))
            )
        )
        talking = active & (is_gc | (is_bt & ~resume))
        fighting = (active & is_fo) | resume | renewed | breaks

        # Ukraine's move
        if profile.ukraine == "accept_if_guaranteed":
            willing = guarantee >= settings.guarantee_level
            ceasefire = talking
        elif profile.ukraine == "talk_while_fighting":
            p_hat = mu * contest(cap_s, ku, g) + (1.0 - mu) * contest(cap_b, ku, g)
            high = bargaining_range(p_hat, p["russia.war_cost"], p["ukraine.war_cost"]).high
            willing = 1.0 - x_offer <= np.asarray(high) + rules.TOL
            ceasefire = np.zeros(runs, dtype=bool)
        else:
            willing = np.zeros(runs, dtype=bool)
            ceasefire = np.zeros(runs, dtype=bool)
        signs = talking & willing & (talks >= settings.negotiation_periods)
        talking = talking & ~signs
        ceasefire = ceasefire & talking

        # the West's move
        if profile.west == "sceptical":
            eases = mu >= mu_star
        elif profile.west == "reciprocate":
            eases = np.ones(runs, dtype=bool)
        elif profile.west == "hold":
            eases = np.zeros(runs, dtype=bool)
        else:
            assert mpe is not None
            prob = mpe.ease_probability(t, eased_n, held_n, front, mu)
            eases = policy_u < prob
        eases = eases & talking

        relief = np.zeros(runs)  # share of sanctions lifted this period
        relief[talking & eases] = settings.easing
        now_settled = (settled & ~breaks) | signs
        relief[now_settled] = offer.sanctions_relief
        level = 1.0 - relief
        settle_at[signs] = t
        renew_at[(resume | breaks) & (renew_at < 0)] = t

        # capability: talks with a ceasefire, or the deal
        held_cf = ceasefire & ~eases
        factor = np.where(held_cf, 1.0 - drag, 1.0)
        under_deal = now_settled
        step = np.where(ceasefire, factor, np.where(under_deal, 1.0 - guarantee, 0.0))
        cap = rules.regroup(cap, kbar, rho * step)
        cap_s = rules.regroup(cap_s, kbar, rho_s * step)
        cap_b = rules.regroup(cap_b, kbar, rho_b * step)

        # evidence of regrouping during a ceasefire (log-likelihood ratio sincere : staller)
        z = rho + sigma * signal_e
        llr = ((z - rho_b) ** 2 - (z - rho_s) ** 2) / (2.0 * sigma**2)
        mu = np.where(ceasefire, sincere_posterior(mu, expit(llr), expit(-llr)), mu)

        # battles
        battle = fighting | (talking & ~ceasefire)
        p_true = contest(cap, ku, g)
        win = battle_u < p_true
        front = front + np.where(battle, np.where(win, 1, -1), 0)
        p_s, p_b = contest(cap_s, ku, g), contest(cap_b, ku, g)
        like_s = np.where(win, p_s, 1.0 - p_s)
        like_b = np.where(win, p_b, 1.0 - p_b)
        mu = np.where(battle, sincere_posterior(mu, like_s, like_b), mu)

        # bookkeeping
        eased_n += ceasefire & eases
        held_n += held_cf
        talks += talking
        spends = talking & is_bt
        wedges += spends
        held_streak = np.where(talking, np.where(eases, 0, held_streak + 1), held_streak)
        phase = np.where(talking, TALKING, phase)
        phase = np.where(now_settled, SETTLED, phase)
        phase = np.where(resume | breaks, RENEWED, phase)
        phase = np.where(active & is_fo, FIGHTING, phase)
        phase = np.where(front >= N, RUSSIA_WON, np.where(front <= 0, UKRAINE_WON, phase))

        # payoffs of period t (on the front after the battle, cohesion at the start)
        x = np.where(now_settled, x_offer, 1.0 - front / N)
        supp = ~defect
        flow_r = russia_flow(
            x,
            battle,
            relief,
            p["west.western_cohesion"],
            pressure,
            status=p["russia.great_power_status"],
            dominance_threshold=p["russia.dominance_threshold"],
            status_loss_span=p["russia.status_loss_span"],
            war_cost=p["russia.war_cost"],
            sanctions_cost=p["russia.sanctions_cost"],
            wedge=wedge_b * spends,
        )
        flow_u = ukraine_flow(x, battle, war_cost=p["ukraine.war_cost"])
        burden = rules.fatigued_burden(burden0, fatigue, t)
        flow_g = gov["value_of_success"] * x[:, None] - burden * level[:, None] * supp
        pay_r += disc_r * flow_r
        pay_u += disc_u * flow_u
        pay_g += disc_w * flow_g
        disc_r, disc_u, disc_w = disc_r * d_r, disc_u * d_u, disc_w * d_w

        defect = defect | defectors_at(t + 1, wedges)
        pressure = pressure_of(defect)
        cohesion = p["west.western_cohesion"] * pressure
        record(t + 1, level)

    if settings.terminal_value:
        final_settled = phase == SETTLED
        x = np.where(final_settled, x_offer, 1.0 - front / N)
        relief = np.where(final_settled, offer.sanctions_relief, 0.0)
        level = 1.0 - relief
        flow_r = russia_flow(
            x,
            0,
            relief,
            p["west.western_cohesion"],
            pressure,
            status=p["russia.great_power_status"],
            dominance_threshold=p["russia.dominance_threshold"],
            status_loss_span=p["russia.status_loss_span"],
            war_cost=0.0,
            sanctions_cost=p["russia.sanctions_cost"],
        )
        flow_g = gov["value_of_success"] * x[:, None] - (
            rules.fatigued_burden(burden0, fatigue, T) * level[:, None] * ~defect
        )
        pay_r += disc_r * flow_r / (1.0 - d_r)
        pay_u += disc_u * x / (1.0 - d_u)
        pay_g += disc_w * flow_g / (1.0 - d_w)

    return SimulationResult(
        profile=profile,
        settings=settings,
        seed=seed,
        sincere=sincere,
        cohesion=rec["cohesion"],
        capability=rec["capability"],
        belief=rec["belief"],
        sanctions=rec["sanctions"],
        front=rec["front"],
        phase=rec["phase"],
        supporting=supporting,
        payoffs={
            "russia": pay_r,
            "ukraine": pay_u,
            "west": pay_g @ omega,
            "governments": pay_g,
        },
        settlement_period=settle_at,
        renewal_period=renew_at,
        parameters=params,
        government_names=params.names,
    )
