"""Buy-time dynamics: rules, sampling, Monte Carlo against exact expectations, monotonicity."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hand_rules import retained
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy.integrate import quad
from scipy.stats import norm

from simulator.model import NegotiationModel, Offer, West, WesternGovernment
from simulator.model.dynamics import (
    PHASES,
    RENEWED,
    SETTLED,
    TALKING,
    DynamicsSettings,
    StrategyProfile,
    capability_after_talks,
    coalition_defectors,
    contest,
    relax_threshold_runs,
    sample_parameters,
    simulate,
)
from simulator.model.negotiation import win_probability
from simulator.model.parameters import ParameterError
from simulator.model.published.bargaining import bargaining_range
from simulator.model.published.coalition import coalition_pressure, wedge_strategy
from simulator.model.published.costly_signalling import sincerity_parameters_from_model

FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
OFFER = Offer.neutrality_for_guarantees()


def three_governments(**overrides: float) -> West:
    govs = (
        WesternGovernment("US", weight=0.5, sanctions_burden=0.1, audience_cost=0.4),
        WesternGovernment("DE", weight=0.3, sanctions_burden=0.3, fatigue_rate=0.05),
        WesternGovernment(
            "HU", weight=0.2, sanctions_burden=0.5, value_of_success=0.4, fatigue_rate=0.1
        ),
    )
    return West(governments=govs, aggregation="sum", **overrides)


# ====================================================================== building blocks
class TestBuildingBlocks:
    def test_settings_are_range_checked(self) -> None:
        with pytest.raises(ParameterError, match="dynamics.periods"):
            DynamicsSettings(periods=0)
        with pytest.raises(ParameterError, match="terminal_value"):
            DynamicsSettings(terminal_value=1)  # type: ignore[arg-type]
        assert DynamicsSettings(front_positions=2).initial_position == 1
        assert DynamicsSettings(front_positions=10, initial_front=0.99).initial_position == 9

    def test_profiles_are_validated(self) -> None:
        with pytest.raises(ValueError, match="west strategy 'trust'"):
            StrategyProfile(west="trust")
        assert StrategyProfile("buy_time", sincere_russia="genuine_compromise").russia_by_type == (
            "genuine_compromise",
            "buy_time",
        )
        with pytest.raises(ValueError, match="unknown profile"):
            simulate(NegotiationModel(), OFFER, "stall", runs=2)

    @given(st.floats(0.05, 5), st.floats(0.05, 5), st.floats(0.2, 8))
    @FAST
    def test_contest_is_the_ratio_form(self, a: float, b: float, g: float) -> None:
        # dynamics.contest is the engine's rule (simulator.model.rules.contest), checked here
        # against the contest success function written as 1 / (1 + (K_B / K_A)^g)
        assert contest(a, b, g) == pytest.approx(1.0 / (1.0 + (b / a) ** g), rel=1e-12)
        assert contest(a, b, g) == win_probability(a, b, g)

    @given(
        st.floats(0.1, 2),
        st.floats(0.1, 2),
        st.floats(0, 1),
        st.integers(0, 5),
        st.integers(0, 5),
        st.floats(0, 1),
    )
    @FAST
    def test_capability_counts_equal_period_by_period_regrouping(
        self, k0: float, kbar: float, rate: float, eased: int, held: int, drag: float
    ) -> None:
        k = k0
        for factor in [1.0] * eased + [1.0 - drag] * held:
            k = k + rate * factor * max(kbar - k, 0.0)
        assert capability_after_talks(k0, kbar, rate, eased, held, drag) == pytest.approx(
            k, rel=1e-12, abs=1e-12
        )

    @given(
        st.lists(
            st.tuples(
                st.floats(0.1, 3),
                st.floats(0, 1.2),
                st.floats(0, 0.6),
                st.floats(0, 0.3),
                st.floats(0, 0.2),
                st.floats(0, 1),
            ),
            min_size=1,
            max_size=5,
        ),
        st.sampled_from(["sum", "weakest_link", "threshold"]),
        st.floats(0, 0.6),
        st.integers(0, 6),
    )
    @FAST
    def test_batched_wedge_equals_the_coalition_module(
        self, members: list, aggregation: str, budget: float, period: int
    ) -> None:
        govs = [
            WesternGovernment(
                f"g{i}",
                weight=w,
                value_of_success=b,
                sanctions_burden=k,
                audience_cost=a,
                fatigue_rate=f,
                defection_threshold=th,
            )
            for i, (w, b, k, a, f, th) in enumerate(members)
        ]
        ref = wedge_strategy(
            govs, budget, aggregation=aggregation, threshold=0.6, period=period, method="greedy"
        )
        arr = np.array(members)
        mine = coalition_defectors(
            arr[:, 1],
            arr[:, 2],
            arr[:, 3],
            arr[:, 4],
            arr[:, 5],
            arr[:, 0],
            aggregation=aggregation,
            threshold=0.6,
            period=[period, period],
            budget=[0.0, budget],
        )
        assert mine[1].tolist() == ref.defectors.tolist()
        base = wedge_strategy(
            govs, 0.0, aggregation=aggregation, threshold=0.6, period=period, method="greedy"
        )
        assert mine[0].tolist() == base.defectors.tolist()

    def test_relax_threshold_matches_costly_signalling(self) -> None:
        model = NegotiationModel(west=three_governments())
        expected = sincerity_parameters_from_model(model).classify().relax_threshold
        assert relax_threshold_runs(sample_parameters(model))[0] == pytest.approx(expected)


# ====================================================================== parameter draws
class TestSampling:
    def test_beta_mean_and_sd(self) -> None:
        spec = {"distribution": "beta", "mean": 0.25, "sd": 0.08}
        p = sample_parameters(
            NegotiationModel(),
            200_000,
            {"russia.regroup_rate_staller": spec},
            np.random.default_rng(3),
        )
        x = p["russia.regroup_rate_staller"]
        assert x.mean() == pytest.approx(0.25, abs=0.001)
        assert x.std() == pytest.approx(0.08, abs=0.001)

    def test_truncated_normal_stays_in_range_and_matches_its_mean(self) -> None:
        spec = {"distribution": "normal", "mean": 0.05, "sd": 0.1}
        p = sample_parameters(
            NegotiationModel(), 200_000, {"russia.war_cost": spec}, np.random.default_rng(4)
        )
        x = p["russia.war_cost"]
        assert x.min() >= 0.0
        a = (0 - 0.05) / 0.1
        exact = 0.05 + 0.1 * norm.pdf(a) / (1 - norm.cdf(a))  # truncated at 0 (range [0, 10])
        assert x.mean() == pytest.approx(exact, abs=0.001)

    def test_government_parameters_and_errors(self) -> None:
        model = NegotiationModel(west=three_governments())
        p = sample_parameters(
            model,
            1000,
            {
                "west.governments.HU.sanctions_burden": {
                    "distribution": "uniform",
                    "low": 0.4,
                    "high": 0.9,
                }
            },
            np.random.default_rng(0),
        )
        hu = p.governments["sanctions_burden"][:, 2]
        assert 0.4 <= hu.min() and hu.max() <= 0.9 and hu.std() > 0.1
        assert np.all(p.governments["sanctions_burden"][:, 0] == 0.1)
        with pytest.raises(KeyError, match="did you mean"):
            sample_parameters(model, 2, {"russia.war_cots": {"distribution": "uniform"}})
        with pytest.raises(ValueError, match="cannot be uncertain"):
            sample_parameters(
                model,
                2,
                {"west.governments.US.weight": {"distribution": "uniform", "low": 1, "high": 2}},
            )
        with pytest.raises(ValueError, match="needs sd <"):
            sample_parameters(
                model, 2, {"russia.prior_sincere": {"distribution": "beta", "mean": 0.5, "sd": 0.6}}
            )
        with pytest.raises(ValueError, match="leaves the parameter's valid range"):
            sample_parameters(
                model, 2, {"russia.war_cost": {"distribution": "uniform", "low": -1, "high": 1}}
            )

    def test_every_run_carries_its_own_parameter_values(self) -> None:
        # one ceasefire period: K_1 = K_0 + rho_run (K_bar - K_0) for each run's own rho
        spec = {"distribution": "uniform", "low": 0.1, "high": 0.9}
        r = simulate(
            NegotiationModel(),
            OFFER.with_values(security_guarantees=0.0),
            StrategyProfile("buy_time", "reciprocate", "accept_if_guaranteed"),
            runs=500,
            periods=1,
            seed=5,
            uncertain={"russia.regroup_rate_staller": spec},
            russian_type="staller",
        )
        rho = r.parameters["russia.regroup_rate_staller"]
        assert np.ptp(rho) > 0.5
        assert r.capability[:, 1] == pytest.approx(1.0 + rho * 0.5, rel=1e-6)


# ====================================================================== reproducibility
class TestReproducibility:
    def test_same_seed_same_output(self) -> None:
        kw = dict(
            runs=2000,
            periods=10,
            seed=42,
            uncertain={
                "russia.regroup_rate_staller": {"distribution": "beta", "mean": 0.25, "sd": 0.08}
            },
        )
        a = simulate(NegotiationModel(west=three_governments()), OFFER, "buy_time", **kw)
        b = simulate(NegotiationModel(west=three_governments()), OFFER, "buy_time", **kw)
        for name in ("cohesion", "capability", "belief", "front", "phase", "sanctions"):
            assert np.array_equal(getattr(a, name), getattr(b, name))
        assert np.array_equal(a.payoffs["russia"], b.payoffs["russia"])
        c = simulate(
            NegotiationModel(west=three_governments()), OFFER, "buy_time", **{**kw, "seed": 43}
        )
        assert not np.array_equal(a.payoffs["russia"], c.payoffs["russia"])

    def test_staller_without_regroup_advantage_behaves_like_sincere(self) -> None:
        model = NegotiationModel().with_params(
            russia__regroup_rate_sincere=0.2, russia__regroup_rate_staller=0.2
        )
        profile = StrategyProfile("buy_time", "sceptical", "accept_if_guaranteed")
        kw = dict(runs=3000, periods=12, seed=9, settings=DynamicsSettings(guarantee_level=0.9))
        s = simulate(model, OFFER, profile, russian_type="sincere", **kw)
        b = simulate(model, OFFER, profile, russian_type="staller", **kw)
        for name in ("front", "phase", "capability", "belief", "cohesion"):
            assert np.array_equal(getattr(s, name), getattr(b, name))
        assert np.array_equal(s.payoffs["russia"], b.payoffs["russia"])
        # identical types: the evidence never moves the belief
        assert np.all(s.belief == np.float32(model.russia.prior_sincere))


# ====================================================================== exact expectations
def reference_expectation(
    model: NegotiationModel, offer: Offer, profile: StrategyProfile, cfg: DynamicsSettings
) -> dict[str, float]:
    """Exact expected payoffs by enumerating Russia's type and every battle outcome.

    A scalar re-implementation of the rules in docs/dynamics.md for the strategies whose
    decisions do not depend on beliefs (fight_on, buy_time, genuine_compromise; West hold or
    reciprocate; Ukraine accept_if_guaranteed or reject), using the coalition module's own
    wedge_strategy for the coalition.
    """
    r, u, west = model.russia, model.ukraine, model.west
    N, T = cfg.front_positions, cfg.periods
    g_eff = offer.security_guarantees * west.security_guarantee_credibility
    omega = np.array([g.weight for g in west.governments])
    omega = omega / omega.sum()
    resume = r.capability + cfg.resume_threshold * max(r.capability_ceiling - r.capability, 0)

    def coalition(t: int, wedges: int, prev: tuple) -> tuple:
        res = wedge_strategy(
            west,
            wedges * cfg.wedge_budget,
            aggregation=west.aggregation,
            threshold=west.cohesion_threshold,
            period=t,
            method="greedy",
        )
        return tuple(bool(a or b) for a, b in zip(res.defectors, prev))

    def cohesion(defect: tuple) -> float:
        support = [not d for d in defect]
        weights = [g.weight for g in west.governments]
        pressure = coalition_pressure(support, weights, west.aggregation, west.cohesion_threshold)
        return west.western_cohesion * float(pressure)

    def flows(t: int, x: float, battle: bool, level: float, defect: tuple, wedge: float):
        c = cohesion(defect)
        fr = (
            1
            - x
            + r.great_power_status * retained(x, r.dominance_threshold, r.status_loss_span)
            - r.war_cost * battle
            - r.sanctions_cost * level * c
            - wedge
        )
        fu = x - u.war_cost * battle
        fw = sum(
            o
            * (
                g.value_of_success * x
                - g.sanctions_burden * (1 + g.fatigue_rate) ** t * level * (not d)
            )
            for o, g, d in zip(omega, west.governments, defect)
        )
        return np.array([fr, fu, fw])

    deltas = np.array([r.discount_factor, u.discount_factor, cfg.west_discount_factor])

    def run(t, rho, strat, phase, f, k, talks, wedges, streak, defect):
        if t == T:
            if not cfg.terminal_value:
                return np.zeros(3)
            settled = phase == "settled"
            x = offer.alignment if settled else 1 - f / N
            level = 1 - offer.sanctions_relief if settled else 1.0
            return flows(T, x, False, level, defect, 0.0) / (1 - deltas)
        decided = f in (0, N)
        talk = battle = eased = False
        new_phase = phase
        if decided:
            pass
        elif phase == "settled":
            if strat == "buy_time" and k >= resume:
                battle, new_phase = True, "renewed"
        elif phase == "renewed":
            battle = True
        elif strat == "fight_on":
            battle = True
        elif (
            strat == "buy_time"
            and talks >= 1
            and (k >= resume or (cfg.resume_patience > 0 and streak >= cfg.resume_patience))
        ):
            battle, new_phase = True, "renewed"
        else:
            talk = True
        if talk:
            willing = profile.ukraine == "accept_if_guaranteed" and g_eff >= cfg.guarantee_level
            if willing and talks >= cfg.negotiation_periods:
                talk, new_phase = False, "settled"
            else:
                eased = profile.west == "reciprocate"
                new_phase = "talking"
                battle = profile.ukraine != "accept_if_guaranteed"
        settled_now = new_phase == "settled"
        level = 1.0
        if talk and eased:
            level = 1 - cfg.easing
        if settled_now:
            level = 1 - offer.sanctions_relief
        gap = max(model.russia.capability_ceiling - k, 0.0)
        if talk and not battle:
            k = k + rho * (1.0 if eased else 1 - cfg.sanctions_drag) * gap
        elif settled_now:
            k = k + rho * (1 - g_eff) * gap
        spend = talk and strat == "buy_time"
        talks2 = talks + talk
        wedges2 = wedges + spend
        streak2 = (0 if eased else streak + 1) if talk else streak
        outcomes = [(1.0, f)]
        if battle:
            p = win_probability(k, u.capability, model.contest_exponent)
            outcomes = [(p, f + 1), (1 - p, f - 1)]
        total = np.zeros(3)
        for prob, f2 in outcomes:
            x = offer.alignment if settled_now else 1 - f2 / N
            now = flows(t, x, battle, level, defect, cfg.wedge_budget * spend)
            nxt = coalition(t + 1, wedges2, defect)
            later = run(t + 1, rho, strat, new_phase, f2, k, talks2, wedges2, streak2, nxt)
            total += prob * (now + deltas * later)
        return total

    out = {}
    mu0 = r.prior_sincere
    start = coalition(0, 0, tuple(False for _ in west.governments))
    for name, prob, rho, strat in (
        ("sincere", mu0, r.regroup_rate_sincere, profile.russia_by_type[0]),
        ("staller", 1 - mu0, r.regroup_rate_staller, profile.russia_by_type[1]),
    ):
        out[name] = run(
            0, rho, strat, "fighting", cfg.initial_position, r.capability, 0, 0, 0, start
        )
        out[name + "_prob"] = prob
    out["all"] = mu0 * out["sincere"] + (1 - mu0) * out["staller"]
    return out


CASES = [
    (StrategyProfile("fight_on", "hold", "reject"), dict(periods=3, front_positions=4)),
    (
        StrategyProfile("buy_time", "hold", "accept_if_guaranteed"),
        dict(
            periods=4, front_positions=3, resume_patience=2, resume_threshold=1.0, wedge_budget=0.3
        ),
    ),
    (
        StrategyProfile("buy_time", "reciprocate", "accept_if_guaranteed"),
        dict(periods=3, front_positions=4, resume_threshold=0.5, negotiation_periods=2),
    ),
    (
        StrategyProfile("genuine_compromise", "reciprocate", "reject", sincere_russia="fight_on"),
        dict(periods=3, front_positions=3, terminal_value=False),
    ),
]


class TestMonteCarloAgreesWithExactExpectation:
    @pytest.mark.parametrize("profile, cfg", CASES)
    def test_mean_payoffs_within_monte_carlo_error(self, profile, cfg) -> None:
        model = NegotiationModel(west=three_governments()).with_params(
            russia__regroup_rate_staller=0.5, russia__capability=0.8, russia__prior_sincere=0.4
        )
        offer = OFFER.with_values(security_guarantees=0.3, sanctions_relief=0.5)
        settings_ = DynamicsSettings(**cfg)
        exact = reference_expectation(model, offer, profile, settings_)
        sim = simulate(model, offer, profile, runs=40_000, seed=11, settings=settings_)
        for j, actor in enumerate(("russia", "ukraine", "west")):
            values = sim.payoffs[actor]
            se = values.std() / math.sqrt(values.size)
            assert abs(values.mean() - exact["all"][j]) <= 4 * se + 1e-9, actor
            for typ, rows in (("sincere", sim.sincere), ("staller", ~sim.sincere)):
                v = values[rows]
                se_t = v.std() / math.sqrt(v.size)
                assert abs(v.mean() - exact[typ][j]) <= 4 * se_t + 1e-9, (actor, typ)

    def test_a_deal_with_guarantees_is_signed_after_the_negotiation_periods(self) -> None:
        cfg = DynamicsSettings(periods=5, negotiation_periods=2)
        sim = simulate(
            NegotiationModel(), OFFER, "genuine_compromise", runs=200, seed=1, settings=cfg
        )
        assert np.all(sim.settlement_period == 2)
        assert np.all(sim.phase[:, 1:3] == TALKING) and np.all(sim.phase[:, 3:] == SETTLED)
        exact = reference_expectation(
            NegotiationModel(),
            OFFER,
            StrategyProfile("genuine_compromise", "reciprocate", "accept_if_guaranteed"),
            cfg,
        )
        assert sim.payoffs["russia"].mean() == pytest.approx(exact["all"][0], rel=1e-12)

    def test_beliefs_are_a_martingale_and_match_the_exact_posterior_mean(self) -> None:
        model = NegotiationModel().with_params(russia__prior_sincere=0.3)
        cfg = DynamicsSettings(periods=1, signal_noise=0.15, guarantee_level=0.9)
        profile = StrategyProfile("genuine_compromise", "hold", "accept_if_guaranteed")
        sim = simulate(model, OFFER, profile, runs=200_000, seed=2, settings=cfg)
        mu1 = sim.belief[:, 1].astype(float)
        se = mu1.std() / math.sqrt(mu1.size)
        assert abs(mu1.mean() - 0.3) <= 4 * se  # E[posterior] = prior
        rs, rb, s = 0.05, 0.25, 0.15

        def posterior(z: float) -> float:
            ls, lb = norm.pdf(z, rs, s), norm.pdf(z, rb, s)
            return 0.3 * ls / (0.3 * ls + 0.7 * lb)

        exact = quad(lambda z: posterior(z) * norm.pdf(z, rb, s), rb - 10 * s, rb + 10 * s)[0]
        staller = mu1[~sim.sincere]
        assert abs(staller.mean() - exact) <= 4 * staller.std() / math.sqrt(staller.size)

    def test_sceptical_west_eases_iff_the_belief_reaches_mu_star(self) -> None:
        model = NegotiationModel()
        mu_star = relax_threshold_runs(sample_parameters(model))[0]
        cfg = DynamicsSettings(periods=3, guarantee_level=0.9)
        profile = StrategyProfile("genuine_compromise", "sceptical", "accept_if_guaranteed")
        sim = simulate(model, OFFER, profile, runs=5000, seed=3, settings=cfg)
        eased = sim.sanctions[:, 1:] == np.float32(1 - cfg.easing)
        before = sim.belief[:, :-1].astype(float)
        assert np.array_equal(eased, before >= mu_star)

    @given(st.floats(0.2, 3), st.floats(0, 0.4), st.floats(0, 1))
    @FAST
    def test_talk_while_fighting_signs_inside_the_bargaining_range(
        self, k_r: float, c_u: float, x: float
    ) -> None:
        # one period, no uncertainty: Ukraine signs iff Russia's share 1 - x is at most p + c_U
        model = NegotiationModel().with_params(
            russia__capability=k_r, ukraine__war_cost=c_u, russia__regroup_rate_staller=0.05
        )
        p = win_probability(k_r, 1.0)
        high = bargaining_range(p, model.russia.war_cost, c_u).high
        assume(abs((1 - x) - high) > 1e-9)
        cfg = DynamicsSettings(periods=1, negotiation_periods=0)
        sim = simulate(
            model, OFFER.with_values(alignment=x), "buy_time", runs=4, seed=0, settings=cfg
        )
        assert bool(np.all(sim.settlement_period == 0)) == (1 - x <= high)


# ====================================================================== outputs
class TestOutputs:
    def test_summary_bands_and_paths(self) -> None:
        sim = simulate(
            NegotiationModel(west=three_governments()),
            OFFER,
            "buy_time",
            runs=3000,
            periods=8,
            seed=4,
        )
        s = sim.summary()
        assert s["runs"] == 3000 and len(s["settlement_distribution"]) == 8
        assert sum(s["settlement_distribution"]) == pytest.approx(s["settlement_probability"])
        shares = sim.phase_shares()
        assert set(shares) == set(PHASES)
        assert np.allclose(sum(shares.values()), 1.0)
        bands = sim.bands("cohesion")
        assert bands.shape == (3, 9) and np.all(np.diff(bands, axis=0) >= 0)
        paths = sim.paths()
        assert set(paths) == {"cohesion", "capability", "belief"}
        entry = paths["capability"]["staller"]
        assert len(entry["mean"]) == 9 and {"q05", "q50", "q95"} <= set(entry)
        assert sim.supporting.shape == (3000, 9, 3)
        # defection is irreversible
        assert np.all(np.diff(sim.supporting.astype(int), axis=1) <= 0)
        assert 0 <= s["final_cohesion"] <= 1
        with pytest.raises(ValueError, match="variable must be"):
            sim.bands("morale")

    def test_buy_time_breaks_the_deal_when_capability_is_restored(self) -> None:
        sim = simulate(NegotiationModel(), OFFER, "buy_time", runs=2000, seed=1)
        broke = sim.renewal_period >= 0
        assert np.array_equal(broke, ~sim.sincere)  # the sincere type regroups too slowly
        t = sim.renewal_period[broke][0]
        assert np.all(sim.phase[broke, t + 1] == RENEWED)
        kbar, k0 = 1.5, 1.0
        assert np.all(sim.capability[broke, t] >= k0 + 0.8 * (kbar - k0) - 1e-6)
        assert np.all(sim.capability[broke, t - 1] < k0 + 0.8 * (kbar - k0))


# ====================================================================== monotonicity
class TestMonotonicity:
    @given(st.floats(0.05, 0.6), st.floats(0.0, 0.35), st.floats(0.3, 1.5), st.integers(1, 4))
    @FAST
    def test_faster_regrouping_never_lowers_the_stallers_buy_time_payoff(
        self, rho: float, extra: float, k0: float, patience: int
    ) -> None:
        # West holds, Ukraine grants a ceasefire but never signs, resumption after `patience`
        # held periods: a faster regroup raises every later win probability, and with common
        # random numbers the front is pathwise at least as favourable to Russia.
        model = NegotiationModel().with_params(russia__capability=k0)
        cfg = DynamicsSettings(
            periods=10,
            resume_threshold=1.0,
            resume_patience=patience,
            guarantee_level=1.0,
            sanctions_drag=0.3,
        )
        profile = StrategyProfile("buy_time", "hold", "accept_if_guaranteed")
        kw = dict(runs=400, seed=8, settings=cfg, russian_type="staller")
        slow = simulate(model.with_params(russia__regroup_rate_staller=rho), OFFER, profile, **kw)
        fast = simulate(
            model.with_params(russia__regroup_rate_staller=rho + extra), OFFER, profile, **kw
        )
        assert np.all(fast.payoffs["russia"] >= slow.payoffs["russia"] - 1e-12)

    @given(st.floats(0, 1), st.floats(0, 1), st.sampled_from(["buy_time", "genuine_compromise"]))
    @FAST
    def test_higher_cohesion_never_raises_the_stallers_payoff(
        self, c1: float, c2: float, strategy: str
    ) -> None:
        low, high = sorted((c1, c2))
        profile = StrategyProfile(strategy, "sceptical", "talk_while_fighting")
        kw = dict(runs=300, periods=12, seed=6, russian_type="staller")
        a = simulate(
            NegotiationModel().with_params(west__western_cohesion=low), OFFER, profile, **kw
        )
        b = simulate(
            NegotiationModel().with_params(west__western_cohesion=high), OFFER, profile, **kw
        )
        assert np.array_equal(a.front, b.front)  # nobody's decisions depend on cohesion
        assert np.all(b.payoffs["russia"] <= a.payoffs["russia"] + 1e-12)

    @given(st.floats(0.01, 0.99), st.floats(0.01, 0.99), st.sampled_from(["sincere", "staller"]))
    @FAST
    def test_a_higher_prior_never_lowers_the_sceptical_wests_easing(
        self, p1: float, p2: float, russian_type: str
    ) -> None:
        low, high = sorted((p1, p2))
        profile = StrategyProfile("genuine_compromise", "sceptical", "accept_if_guaranteed")
        kw = dict(
            runs=300,
            periods=10,
            seed=7,
            russian_type=russian_type,
            settings=DynamicsSettings(guarantee_level=1.0),
        )
        a = simulate(
            NegotiationModel().with_params(russia__prior_sincere=low), OFFER, profile, **kw
        )
        b = simulate(
            NegotiationModel().with_params(russia__prior_sincere=high), OFFER, profile, **kw
        )
        eased_a = a.sanctions[:, 1:] < 1
        eased_b = b.sanctions[:, 1:] < 1
        assert np.all(eased_b >= eased_a)
        assert np.all(b.belief >= a.belief)


def test_best_response_west_follows_the_equilibrium_policy() -> None:
    from simulator.model.markov import MPEGrid, markov_perfect_equilibrium

    model = NegotiationModel()
    cfg = DynamicsSettings(periods=3, front_positions=4, guarantee_level=1.0)
    eq = markov_perfect_equilibrium(model, OFFER, grid=MPEGrid(beliefs=11), settings=cfg)
    profile = StrategyProfile("genuine_compromise", "best_response", "accept_if_guaranteed")
    sim = simulate(model, OFFER, profile, runs=4000, seed=1, settings=cfg, mpe=eq)
    p = float(eq.ease_probability(0, 0, 0, cfg.initial_position, model.russia.prior_sincere))
    eased = np.mean(sim.sanctions[:, 1] < 1)
    assert abs(eased - p) <= 4 * math.sqrt(max(p * (1 - p), 1e-12) / 4000) + 1e-12
    with pytest.raises(ValueError, match="front positions"):
        simulate(
            model,
            OFFER,
            profile,
            runs=2,
            mpe=eq,
            settings=dataclasses.replace(cfg, front_positions=6),
        )
