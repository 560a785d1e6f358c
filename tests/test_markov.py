"""Markov perfect equilibrium of the buy-time game: closed forms, brute force, certificate."""

from __future__ import annotations

import numpy as np
import pytest
from hand_rules import retained
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from simulator.model import NegotiationModel, Offer, West, WesternGovernment
from simulator.model.dynamics import DynamicsSettings
from simulator.model.markov import ACTIONS, MPEGrid, markov_perfect_equilibrium
from simulator.model.negotiation import win_probability
from simulator.model.published.bargaining import status_settlements
from simulator.model.published.coalition import coalition_pressure, wedge_strategy
from simulator.model.published.commitment import commitment_problem

FAST = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SMALL = MPEGrid(beliefs=9, capability=9, quadrature=5)
OFFER = Offer.neutrality_for_guarantees()
SETTLE = ACTIONS.index("settle")


def random_model(draw) -> NegotiationModel:
    f = st.floats
    return NegotiationModel().with_params(
        {
            "russia.capability": draw(f(0.4, 1.6)),
            "russia.capability_ceiling": draw(f(0.8, 2.0)),
            "russia.regroup_rate_sincere": draw(f(0, 0.2)),
            "russia.regroup_rate_staller": draw(f(0.2, 0.8)),
            "russia.war_cost": draw(f(0, 0.3)),
            "russia.sanctions_cost": draw(f(0, 0.4)),
            "russia.great_power_status": draw(f(0, 1)),
            "ukraine.war_cost": draw(f(0, 0.3)),
            "west.western_cohesion": draw(f(0, 1)),
            "russia.prior_sincere": draw(f(0.05, 0.95)),
            "west.governments.West.sanctions_burden": draw(f(0, 0.5)),
            "west.governments.West.value_of_success": draw(f(0, 2)),
        }
    )


@st.composite
def games(draw):
    model = random_model(draw)
    offer = Offer(
        alignment=draw(st.floats(0, 1)),
        security_guarantees=draw(st.floats(0, 1)),
        sanctions_relief=draw(st.floats(0, 1)),
    )
    cfg = DynamicsSettings(
        periods=draw(st.integers(1, 4)),
        front_positions=draw(st.integers(2, 5)),
        easing=draw(st.floats(0, 1)),
        sanctions_drag=draw(st.floats(0, 1)),
        wedge_budget=draw(st.floats(0, 0.1)),
        signal_noise=draw(st.floats(0.05, 1)),
        negotiation_periods=draw(st.integers(0, 2)),
    )
    return model, offer, cfg


# ====================================================================== certificate
class TestCertificate:
    def test_default_model_is_certified(self) -> None:
        eq = markov_perfect_equilibrium(NegotiationModel(), OFFER, grid=SMALL, periods=6)
        assert eq.certified and eq.unresolved == 0
        assert eq.certificate <= eq.tolerance
        assert eq.certificate_by_period.shape == (6,)

    @given(games())
    @FAST
    def test_random_games_are_certified(self, game) -> None:
        model, offer, cfg = game
        eq = markov_perfect_equilibrium(model, offer, grid=SMALL, settings=cfg)
        assert eq.certificate <= eq.tolerance, (eq.certificate, eq.unresolved)

    @given(games())
    @FAST
    def test_equilibrium_value_dominates_buy_time_and_compromise(self, game) -> None:
        # Russia's equilibrium strategy is a best reply to the followers' strategies, so no
        # restricted plan (never sign; sign and keep) can do better at any state.
        model, offer, cfg = game
        eq = markov_perfect_equilibrium(model, offer, grid=SMALL, settings=cfg)
        russia = eq.values[:, 0]
        slack = 1e-9 * max(1.0, float(np.abs(russia).max()))
        assert np.all(russia >= eq.buy_time_values - slack)
        assert np.all(russia >= eq.compromise_values - slack)

    def test_policies_are_probabilities(self) -> None:
        eq = markov_perfect_equilibrium(NegotiationModel(), OFFER, grid=SMALL, periods=4)
        inner = eq.russia_policy[:, :, :, :, 1:-1]
        assert np.allclose(inner.sum(axis=2), 1.0, atol=1e-6)
        assert eq.west_ease.min() >= 0 and eq.west_ease.max() <= 1
        assert eq.ukraine_accept.min() >= 0 and eq.ukraine_accept.max() <= 1


# ====================================================================== closed forms
class TestOnePeriodClosedForms:
    @given(
        st.floats(0.2, 3),
        st.floats(0, 0.3),
        st.floats(0, 0.3),
        st.floats(0, 1.5),
        st.floats(0, 1),
        st.floats(0.01, 1),
        st.floats(0, 1),
        st.floats(0, 0.4),
    )
    @FAST
    def test_settlement_iff_inside_the_status_bargaining_range(
        self,
        k_r: float,
        c_r: float,
        c_u: float,
        status: float,
        x_dom: float,
        span: float,
        x: float,
        sc: float,
    ) -> None:
        # One period, one decisive battle (N = 2), talks priced out: Russia signs and Ukraine
        # accepts exactly when the offer lies in Fearon's range with the status premium. War:
        # Russia wins (p) the whole stake at alignment 0 and keeps its premium; it loses (1 - p)
        # at alignment 1 and keeps the share R(1) of it (none unless x_dom + span > 1); it
        # pays its war cost and the sanctions. A deal (full sanctions relief) gives it
        # 1 - x + S R(x). Ukraine gets x or, at war, 1 - p - c_U.
        model = NegotiationModel().with_params(
            russia__capability=k_r,
            russia__war_cost=c_r,
            ukraine__war_cost=c_u,
            russia__great_power_status=status,
            russia__dominance_threshold=x_dom,
            russia__status_loss_span=span,
            russia__sanctions_cost=sc,
        )
        p = win_probability(k_r, 1.0)
        cfg = DynamicsSettings(
            periods=1,
            front_positions=2,
            terminal_value=False,
            wedge_budget=10.0,
            negotiation_periods=0,
        )
        offer = Offer(alignment=x, sanctions_relief=1.0)
        russia_war = p * (1 + status) + (1 - p) * status * retained(1.0, x_dom, span) - c_r - sc
        russia_deal = 1 - x + status * retained(x, x_dom, span)
        ukraine_war = 1 - p - c_u
        # stay away from ties between the deal and war for either side
        assume(abs(russia_war - russia_deal) > 1e-7 and abs(x - ukraine_war) > 1e-7)
        settles_by_hand = russia_deal > russia_war and x > ukraine_war
        eq = markov_perfect_equilibrium(model, offer, grid=MPEGrid(beliefs=3), settings=cfg)
        settles = eq.russia_policy[0, :, SETTLE, 0, 1, :]
        assert np.all(settles == float(settles_by_hand))
        # Where the continuous premium equals the published step (x and full alignment each at
        # or below the threshold or at least a span beyond it), the hand-written condition is
        # Fearon's range with the status premium of the published model.
        step_agrees = all(v <= x_dom or v >= x_dom + span for v in (x, 1.0))
        if step_agrees and abs(x - x_dom) > 1e-7:
            rng_ = status_settlements(p, c_r, c_u, status, x_dom, sanctions_burden=sc)
            assert settles_by_hand == bool(rng_.contains(x))

    @given(
        st.integers(1, 15),
        st.floats(0.3, 1.2),
        st.floats(0, 0.2),
        st.floats(0, 1),
        st.floats(0.6, 0.97),
        st.floats(0, 0.9),
    )
    @FAST
    def test_a_signed_deal_is_broken_iff_the_commitment_problem_says_so(
        self, m: int, k0: float, c_r: float, x: float, delta: float, g: float
    ) -> None:
        # Two periods, one decisive battle, no sanctions or status: a staller that signed in
        # period 0 regroups under the deal (slowed by the guarantee) and breaks it in period 1
        # iff its share 1 - x falls below Powell's later reservation share
        # y1 = p1 - (1 - delta) c_R (commitment.py's offer_later).
        kbar = 2.0
        rate = m / 16 / (1 - g)  # (1 - G) * rate = m / 16 lands on the 17-point grid
        assume(rate <= 1.0)
        model = NegotiationModel().with_params(
            russia__capability=k0,
            russia__capability_ceiling=kbar,
            russia__regroup_rate_staller=rate,
            russia__war_cost=c_r,
            russia__discount_factor=delta,
            russia__sanctions_cost=0.0,
            russia__great_power_status=0.0,
        )
        offer = Offer(alignment=x, security_guarantees=g, sanctions_relief=1.0)
        cfg = DynamicsSettings(periods=2, front_positions=2, negotiation_periods=0)
        eq = markov_perfect_equilibrium(
            model, offer, grid=MPEGrid(beliefs=3, capability=17), settings=cfg
        )
        k1 = k0 + (1 - g) * rate * (kbar - k0)
        index = int(np.argmin(np.abs(eq.capability_grid - k1)))
        assert eq.capability_grid[index] == pytest.approx(k1, abs=1e-12)
        p1 = win_probability(k1, 1.0)
        y1 = commitment_problem(p1, p1, 0.15, c_r, 0.95, delta_rising=delta).offer_later
        assume(abs((1 - x) - y1) > 1e-9)
        assert bool(eq.break_policy[1, 1, index, 1, 0]) == (1 - x < y1)


# ====================================================================== brute force
def brute_force(
    model: NegotiationModel, offer: Offer, cfg: DynamicsSettings
) -> tuple[np.ndarray, bool]:
    """Values (russia, ukraine, west) at period 0 by front, for identical types that cannot
    regroup (complete information), by a direct scalar backward induction; and whether some
    choice was a near-tie (then only Russia's own value is pinned down)."""
    ties = []
    r, u, west = model.russia, model.ukraine, model.west
    gov = west.governments[0]
    T, N = cfg.periods, cfg.front_positions
    delta = np.array([r.discount_factor, u.discount_factor, cfg.west_discount_factor])
    p = win_probability(r.capability, u.capability, model.contest_exponent)

    def coalition(t: int, w: int) -> tuple[float, float]:
        res = wedge_strategy(
            west,
            w * cfg.wedge_budget,
            aggregation=west.aggregation,
            threshold=west.cohesion_threshold,
            period=t,
            method="greedy",
        )
        support = not res.defectors[0]
        pressure = float(coalition_pressure([support], [1.0], west.aggregation))
        burden = gov.sanctions_burden * (1 + gov.fatigue_rate) ** t * support
        return west.western_cohesion * pressure, burden

    def flow(t: int, w: int, x: float, battle: bool, level: float, wedge: float) -> np.ndarray:
        c, b = coalition(t, w)
        fr = (
            1
            - x
            + r.great_power_status * retained(x, r.dominance_threshold, r.status_loss_span)
            - r.war_cost * battle
            - r.sanctions_cost * level * c
            - wedge
        )
        return np.array([fr, x - u.war_cost * battle, gov.value_of_success * x - level * b])

    scale = 1 / (1 - delta) if cfg.terminal_value else np.zeros(3)
    relief = 1 - offer.sanctions_relief

    def war(t: int, w: int, f: int) -> np.ndarray:
        if t == T:
            return flow(T, w, 1 - f / N, False, 1.0, 0.0) * scale
        if f in (0, N):
            return flow(t, w, 1 - f / N, False, 1.0, 0.0) + delta * war(t + 1, w, f)
        return sum(
            q * (flow(t, w, 1 - g / N, True, 1.0, 0.0) + delta * war(t + 1, w, g))
            for q, g in ((p, f + 1), (1 - p, f - 1))
        )

    def keep(t: int, w: int, f: int) -> np.ndarray:
        return flow(t, w, offer.alignment, False, relief, 0.0) + delta * settled(t + 1, w, f)

    def settled(t: int, w: int, f: int) -> np.ndarray:
        if t == T:
            return flow(T, w, offer.alignment, False, relief, 0.0) * scale
        k, b = keep(t, w, f), war(t, w, f)
        ties.append(abs(b[0] - k[0]) < 1e-7)
        # the engine's tie rule: Russia breaks the deal only if war is better by more than
        # the one tolerance 1e-9 (simulator.model.rules.TOL); a tie keeps the deal
        return b if b[0] - k[0] > 1e-9 else k

    def active(t: int, w: int, f: int) -> np.ndarray:
        if t == T:
            return flow(T, w, 1 - f / N, False, 1.0, 0.0) * scale
        if f in (0, N):
            return flow(t, w, 1 - f / N, False, 1.0, 0.0) + delta * active(t + 1, w, f)
        fight = sum(
            q * (flow(t, w, 1 - g / N, True, 1.0, 0.0) + delta * active(t + 1, w, g))
            for q, g in ((p, f + 1), (1 - p, f - 1))
        )
        cells = {}
        for e in (0, 1):
            level = 1 - cfg.easing * e
            talk = flow(t, w, 1 - f / N, False, level, cfg.wedge_budget) + delta * active(
                t + 1, min(w + 1, T), f
            )
            for a in (0, 1):
                options = [fight, talk]
                if a and w >= cfg.negotiation_periods:
                    options.append(keep(t, w, f))
                values = sorted(o[0] for o in options)
                ties.append(len(values) > 1 and values[-1] - values[-2] < 1e-7)
                best = max(range(len(options)), key=lambda i: (options[i][0], -i))
                cells[(e, a)] = options[best]
        order = [(1, 1), (1, 0), (0, 1), (0, 0)]
        nash = [
            (e, a)
            for e, a in order
            if cells[(e, a)][2] >= cells[(1 - e, a)][2] - 1e-12
            and cells[(e, a)][1] >= cells[(e, 1 - a)][1] - 1e-12
        ]
        assert nash, "2x2 games of this family always have a pure equilibrium here"
        totals = sorted(cells[c][1] + cells[c][2] for c in nash)
        ties.append(len(totals) > 1 and totals[-1] - totals[-2] < 1e-7)
        pick = max(nash, key=lambda c: (cells[c][1] + cells[c][2], -order.index(c)))
        return cells[pick]

    values = np.array([active(0, 0, f) for f in range(N + 1)])
    return values, any(ties)


class TestBruteForce:
    @given(
        st.floats(0.5, 2),
        st.floats(0, 0.3),
        st.floats(0, 0.3),
        st.floats(0, 0.4),
        st.floats(0, 0.6),
        st.floats(0, 1),
        st.floats(0, 1),
        st.floats(0, 1),
        st.floats(0, 0.3),
        st.integers(1, 3),
        st.integers(2, 4),
    )
    @FAST
    def test_complete_information_matches_direct_backward_induction(
        self, k_r, c_r, c_u, sc, burden, x, relief, easing, wedge, periods, fronts
    ) -> None:
        west = West(
            governments=(
                WesternGovernment(
                    "EU", sanctions_burden=burden, value_of_success=0.8, fatigue_rate=0.1
                ),
            )
        )
        model = NegotiationModel(west=west).with_params(
            russia__capability=k_r,
            russia__war_cost=c_r,
            ukraine__war_cost=c_u,
            russia__sanctions_cost=sc,
            russia__regroup_rate_sincere=0.0,
            russia__regroup_rate_staller=0.0,
        )
        offer = Offer(alignment=x, sanctions_relief=relief)
        cfg = DynamicsSettings(
            periods=periods,
            front_positions=fronts,
            easing=easing,
            wedge_budget=wedge,
            negotiation_periods=1,
        )
        eq = markov_perfect_equilibrium(model, offer, grid=MPEGrid(beliefs=5), settings=cfg)
        expected, tie = brute_force(model, offer, cfg)
        players = slice(0, 1) if tie else slice(0, 3)
        for k in range(2):
            got = eq.values[k, :, 0].transpose(1, 0, 2)  # (front, player, belief)
            assert np.allclose(got[:, players], expected[:, players, None], rtol=1e-9, atol=1e-9)


# ====================================================================== types
class TestTypes:
    @given(games())
    @FAST
    def test_staller_without_regroup_advantage_behaves_like_sincere(self, game) -> None:
        model, offer, cfg = game
        model = model.with_params(russia__regroup_rate_staller=model.russia.regroup_rate_sincere)
        eq = markov_perfect_equilibrium(model, offer, grid=SMALL, settings=cfg)
        assert np.allclose(eq.russia_policy[:, 0], eq.russia_policy[:, 1], atol=1e-6)
        assert np.allclose(eq.values[0], eq.values[1], rtol=1e-9, atol=1e-9)
        # beliefs carry no payoff-relevant information
        assert np.allclose(eq.values, eq.values[..., :1], rtol=1e-9, atol=1e-9)
        first = eq.initial()
        assert first["buy_time_value"]["sincere"] == pytest.approx(
            first["buy_time_value"]["staller"]
        )


# ====================================================================== monotonicity
class TestMonotonicity:
    @given(games(), st.floats(0, 1), st.floats(0, 1))
    @FAST
    def test_higher_cohesion_never_raises_the_stallers_buy_time_value(
        self, game, c1: float, c2: float
    ) -> None:
        model, offer, cfg = game
        low, high = sorted((c1, c2))
        values = [
            markov_perfect_equilibrium(
                model.with_params(west__western_cohesion=c), offer, grid=SMALL, settings=cfg
            ).initial()["buy_time_value"]["staller"]
            for c in (low, high)
        ]
        assert values[1] <= values[0] + 1e-9

    @given(games(), st.floats(0, 0.4))
    @FAST
    def test_faster_regrouping_raises_buy_time_when_the_west_cannot_respond(
        self, game, extra: float
    ) -> None:
        # With easing and drag switched off the West's reply changes nothing, so buying time is
        # a single-agent problem in which faster regrouping only raises later win probabilities.
        model, offer, cfg = game
        from dataclasses import replace

        cfg = replace(cfg, easing=0.0, sanctions_drag=0.0)
        rho = model.russia.regroup_rate_staller
        values = [
            markov_perfect_equilibrium(
                model.with_params(russia__regroup_rate_staller=min(1.0, r)),
                offer,
                grid=SMALL,
                settings=cfg,
            ).initial()["buy_time_value"]["staller"]
            for r in (rho, rho + extra)
        ]
        assert values[1] >= values[0] - 1e-9

    def test_counterexample_faster_regrouping_can_make_buying_time_pay_less(self) -> None:
        # Given the West's best response the claim fails: a faster staller is more dangerous,
        # so at the start the West switches from easing to mostly holding sanctions, and the
        # staller's value of buying time falls (docs/dynamics.md, "What the tests found").
        model, offer, cfg = counterexample_regroup()
        values, eases = [], []
        for rate in (0.44, 0.48):
            eq = markov_perfect_equilibrium(
                model.with_params(russia__regroup_rate_staller=rate),
                offer,
                grid=GRID_11,
                settings=cfg,
            )
            assert eq.certified
            first = eq.initial()
            values.append(first["buy_time_value"]["staller"])
            eases.append(first["west_eases"])
        assert values[1] < values[0] - 0.05
        assert eases[0] == pytest.approx(1.0) and eases[1] == pytest.approx(0.28, abs=0.01)

    def test_ease_is_monotone_in_the_belief_at_the_start_of_the_default_game(self) -> None:
        eq = markov_perfect_equilibrium(NegotiationModel(), OFFER, grid=SMALL, periods=6)
        ease = eq.west_ease[0, 0, eq.settings.initial_position]
        assert np.all(np.diff(ease) >= -1e-9)

    def test_counterexample_a_higher_belief_can_lower_the_wests_easing(self) -> None:
        # Under pressure a mostly sincere (slow-regrouping) Russia fights a war the West expects
        # Ukraine to win; at high beliefs the West prefers that to easing.
        model, offer, cfg = counterexample_prior()
        eq = markov_perfect_equilibrium(model, offer, grid=GRID_11, settings=cfg)
        assert eq.certified
        ease = eq.west_ease[0, 0, cfg.initial_position]
        assert ease[8] == 1.0 and ease[9] == 0.0


GRID_11 = MPEGrid(beliefs=11, capability=9, quadrature=5)
#: Both counterexamples were found when the status premium was a step at the dominance threshold
#: 0.3 (then the default). They pin that threshold with a span of 0.05: on every alignment these
#: games reach (front positions 0, 0.25, ..., 1 and the offer, 0.395 or 0.934) Russia then keeps
#: all of its premium or none, exactly as under the step, so the games and their numbers are
#: unchanged (docs/dynamics.md, "What the tests found"). Under the default threshold (0.15) and
#: span (0.3) these parameter points are no longer counterexamples: the claims are existence
#: claims, and these parameters still satisfy them.
STEP_LIKE_STATUS = {"russia.dominance_threshold": 0.3, "russia.status_loss_span": 0.05}


def counterexample_regroup() -> tuple[NegotiationModel, Offer, DynamicsSettings]:
    model = NegotiationModel().with_params(
        {
            "russia.capability": 1.322,
            "russia.capability_ceiling": 1.585,
            "russia.regroup_rate_sincere": 0.095,
            "russia.war_cost": 0.077,
            "russia.sanctions_cost": 0.029,
            "russia.great_power_status": 0.018,
            "ukraine.war_cost": 0.174,
            "west.western_cohesion": 0.191,
            "russia.prior_sincere": 0.928,
            "west.governments.West.sanctions_burden": 0.054,
            "west.governments.West.value_of_success": 0.904,
            **STEP_LIKE_STATUS,
        }
    )
    offer = Offer(alignment=0.395, security_guarantees=0.232, sanctions_relief=0.749)
    return model, offer, DynamicsSettings(periods=4, front_positions=4)


def counterexample_prior() -> tuple[NegotiationModel, Offer, DynamicsSettings]:
    model = NegotiationModel().with_params(
        {
            "russia.capability": 0.512,
            "russia.capability_ceiling": 1.483,
            "russia.regroup_rate_sincere": 0.037,
            "russia.regroup_rate_staller": 0.35,
            "russia.war_cost": 0.291,
            "russia.sanctions_cost": 0.359,
            "russia.great_power_status": 0.961,
            "ukraine.war_cost": 0.181,
            "west.western_cohesion": 0.515,
            "russia.prior_sincere": 0.799,
            "west.governments.West.sanctions_burden": 0.326,
            "west.governments.West.value_of_success": 0.497,
            **STEP_LIKE_STATUS,
        }
    )
    offer = Offer(alignment=0.934, security_guarantees=0.44, sanctions_relief=0.774)
    return model, offer, DynamicsSettings(periods=4, front_positions=4)


# ====================================================================== API
class TestResultAPI:
    def test_initial_summary_and_lookups(self) -> None:
        eq = markov_perfect_equilibrium(NegotiationModel(), OFFER, grid=SMALL, periods=3)
        first = eq.initial()
        assert set(first["values"]) == {"sincere", "staller"}
        assert set(first["russia_first_move"]["staller"]) == set(ACTIONS)
        assert sum(first["russia_first_move"]["sincere"].values()) == pytest.approx(1.0)
        s = eq.summary()
        assert s["certified"] and s["states_per_period"] == eq.states
        assert eq.states == 10 * 11 * 9  # (T+1)(T+2)/2 ceasefire histories x fronts x beliefs
        p = eq.ease_probability(0, [0, 0], [0, 0], [5, 5], [0.0, 1.0])
        assert p.shape == (2,)
        with pytest.raises(ValueError, match="between 0 and"):
            eq.ease_probability(0, 3, 1, 5, 0.5)
        with pytest.raises(TypeError, match="Offer"):
            markov_perfect_equilibrium(NegotiationModel(), "offer", grid=SMALL)  # type: ignore

    def test_buy_time_values_are_reported_by_type(self) -> None:
        eq = markov_perfect_equilibrium(NegotiationModel(), OFFER, grid=SMALL, periods=6)
        first = eq.initial()
        for t in ("sincere", "staller"):
            pays = first["buy_time_value"][t] > first["compromise_value"][t] + 1e-9
            assert first["buy_time_pays"][t] == pays
        # the staller gains more from a pause than the sincere type
        assert first["buy_time_value"]["staller"] >= first["buy_time_value"]["sincere"]
