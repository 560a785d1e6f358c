"""The offer game (simulator.model.offer_game): signalling about Russia's sincerity.

Checks the worked example of docs/offer_game.md by hand-derived numbers, the closed forms of
the batch solver against the exact PBE solver, the limiting cases (bargaining range,
commitment problem), the mission's claims as properties, and the full game tree against the
extensive-form tools.
"""

from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq

from simulator.model import NegotiationModel, Offer, West, WesternGovernment, win_probability
from simulator.model.offer_game import (
    MESSAGES,
    OUTCOMES,
    TYPES,
    comparative_statics,
    offer_game,
    offer_game_profile,
    offer_game_tree,
    regroup_advantage,
    sincere_mixing_probability,
    solve_offer_game,
    solve_offer_game_batch,
    switch_points,
)
from simulator.model.published.bargaining import (
    bargaining_range_from_model,
    russia_war_payoff,
    status_settlements,
)
from simulator.model.published.coalition import member_support
from simulator.model.published.commitment import shrunk_shift
from simulator.model.published.costly_signalling import (
    relax_probability_after_step,
    relax_threshold,
    separating_exists,
    sincerity_parameters_from_model,
    staller_mixing_probability,
    staller_regroup_advantage,
)

EXACT = settings(max_examples=12, deadline=None)  # ~0.1 s per exact solve
BATCH = settings(max_examples=30, deadline=None)

#: The worked example of docs/offer_game.md: a staller regrouping to the ceiling in one pause.
WORKED = {
    "russia.dominance_threshold": 0.2,
    "russia.capability_ceiling": 2.0,
    "russia.regroup_rate_sincere": 0.0,
    "russia.regroup_rate_staller": 1.0,
    "russia.prior_sincere": 0.4,
}
OFFER = Offer(name="neutrality", alignment=0.3, withdrawal_cost=0.1)
A = 2 / 3 - 1 / 2  # p(2, 1) - p(1, 1)
MU_STAR = (0.2 + 1 + A - 0.2) / (0.2 + 0.2 + 1 + A - 0.2)  # w_B / (w_S + w_B) = 35/41


def worked(**changes: float) -> NegotiationModel:
    dotted = {key.replace("__", "."): value for key, value in changes.items()}
    return NegotiationModel().with_params({**WORKED, **dotted})


# ---------------------------------------------------------------------- random points
unit = st.floats(0.0, 1.0)


@st.composite
def models(draw, governments: int | None = None, aggregation: str | None = None):
    """A random model and offer in general position; every parameter the game reads varies.

    Burdens, sanctions and cohesion stay away from 0, where the West (or Russia) is
    indifferent between its replies and continua of payoff-equivalent equilibria appear.
    """
    n = governments or draw(st.integers(1, 3))
    govs = tuple(
        WesternGovernment(
            f"g{i}",
            weight=draw(st.floats(0.2, 2.0)),
            sanctions_burden=draw(st.floats(0.01, 0.6)),
            value_of_success=draw(st.floats(0.0, 1.5)),
            audience_cost=draw(st.floats(0.0, 0.3)),
        )
        for i in range(n)
    )
    west = West(
        governments=govs,
        aggregation=aggregation or draw(st.sampled_from(["sum", "weakest_link", "threshold"])),
        western_cohesion=draw(st.floats(0.05, 1.0)),
        cohesion_threshold=draw(st.floats(0.2, 0.8)),
        security_guarantee_credibility=draw(unit),
    )
    model = NegotiationModel(west=west).with_params(
        {
            "russia.great_power_status": draw(st.floats(0.0, 1.0)),
            "russia.dominance_threshold": draw(unit),
            "russia.sanctions_cost": draw(st.floats(0.01, 0.5)),
            "russia.war_cost": draw(st.floats(0.0, 0.3)),
            "russia.capability": draw(st.floats(0.5, 2.0)),
            "russia.capability_ceiling": draw(st.floats(0.5, 3.0)),
            "russia.regroup_rate_sincere": draw(st.floats(0.0, 0.3)),
            "russia.regroup_rate_staller": draw(unit),
            "russia.discount_factor": draw(st.floats(0.5, 0.99)),
            "russia.prior_sincere": draw(st.floats(0.05, 0.95)),
            "russia.optimism": draw(st.floats(-0.2, 0.2)),
            "ukraine.war_cost": draw(st.floats(0.0, 0.3)),
            "ukraine.capability": draw(st.floats(0.5, 2.0)),
            "ukraine.discount_factor": draw(st.floats(0.5, 0.99)),
        }
    )
    offer = Offer(
        alignment=draw(unit),
        security_guarantees=draw(unit),
        territory=draw(st.floats(0.0, 0.3)),
        sanctions_relief=draw(unit),
        withdrawal_cost=draw(st.one_of(st.just(0.0), st.floats(0.001, 0.3))),
    )
    return model, offer, draw(st.floats(0.0, 0.4))


def random_points(seed: int, count: int) -> list[tuple[NegotiationModel, Offer, float]]:
    """Seeded random points (for tests that screen many points with the batch solver)."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(count):
        n = int(rng.integers(1, 4))
        govs = tuple(
            WesternGovernment(
                f"g{i}",
                weight=float(rng.uniform(0.2, 2)),
                sanctions_burden=float(rng.uniform(0, 0.5)),
                value_of_success=float(rng.uniform(0, 2)),
                audience_cost=float(rng.uniform(0, 0.3)),
            )
            for i in range(n)
        )
        west = West(
            governments=govs,
            aggregation=["sum", "weakest_link", "threshold"][int(rng.integers(3))],
            western_cohesion=float(rng.uniform(0, 1)),
            cohesion_threshold=float(rng.uniform(0.2, 0.8)),
            security_guarantee_credibility=float(rng.uniform(0, 1)),
        )
        model = NegotiationModel(west=west).with_params(
            {
                "russia.great_power_status": rng.uniform(0, 1),
                "russia.dominance_threshold": rng.uniform(0, 1),
                "russia.sanctions_cost": rng.uniform(0, 0.5),
                "russia.war_cost": rng.uniform(0, 0.3),
                "russia.capability": rng.uniform(0.5, 2),
                "russia.capability_ceiling": rng.uniform(0.5, 3),
                "russia.regroup_rate_sincere": rng.uniform(0, 0.3),
                "russia.regroup_rate_staller": rng.uniform(0, 1),
                "russia.discount_factor": rng.uniform(0.5, 0.99),
                "russia.prior_sincere": rng.uniform(0.05, 0.95),
                "russia.optimism": rng.uniform(-0.2, 0.2),
                "ukraine.war_cost": rng.uniform(0, 0.3),
                "ukraine.capability": rng.uniform(0.5, 2),
                "ukraine.discount_factor": rng.uniform(0.5, 0.99),
            }
        )
        offer = Offer(
            alignment=float(rng.uniform(0, 1)),
            security_guarantees=float(rng.uniform(0, 1)),
            territory=float(rng.uniform(0, 0.3)),
            sanctions_relief=float(rng.uniform(0, 1)),
            withdrawal_cost=float(rng.uniform(0, 0.3)) if rng.random() < 0.8 else 0.0,
        )
        out.append((model, offer, float(rng.uniform(0, 0.4))))
    return out


OUTCOME_KEYS = [
    "payoff.russia.sincere",
    "payoff.russia.staller",
    "settlement_probability",
    "renewed_war_probability",
    "war_probability",
    *[f"outcome.{t}.{o}" for t in TYPES for o in OUTCOMES],
]


def assert_rows_agree(exact: dict, batch: dict) -> None:
    for key in OUTCOME_KEYS:
        assert float(batch[key]) == pytest.approx(exact[key], abs=1e-7), key


# ====================================================================== worked example
class TestWorkedExample:
    def test_primitives(self) -> None:
        model = worked()
        assert regroup_advantage(model) == pytest.approx(A)
        game = offer_game(model, OFFER)
        assert game.messages == MESSAGES and game.actions == ("hold", "ease")
        sincere, staller = game.sender_payoffs
        # fight 0.5 * 1.5 - 0.1 - 0.1 pi; deal 1 - 0.3 - 0.1 pi (status lost: 0.3 > 0.2);
        # Ukraine (0.3) accepts only if the West eases (0.35 - 0.1 (1 - pi)).
        assert sincere == pytest.approx(np.array([[0.55, 0.65], [0.55, 0.7], [0.45, 0.6]]))
        stall = 0.05 * 0.7 + 0.95 * ((2 / 3) * 1.5 - 0.2)  # 0.795: it breaks the deal
        assert staller == pytest.approx(
            np.array([[0.55, 0.65], [0.55, stall], [0.55 - 0.1 - A, stall - 0.1 - A]])
        )
        r = solve_offer_game(model, OFFER)
        assert r.thresholds["West"] == pytest.approx(MU_STAR) == pytest.approx(35 / 41)
        assert r.thresholds["West"] == pytest.approx(relax_threshold(0.2, 1 + A))

    def test_costly_withdrawal_separates_and_the_intuitive_criterion_selects_it(self) -> None:
        r = solve_offer_game(worked(), OFFER)
        assert r.kind == "separating"
        assert r.outcome == {"sincere": "settlement", "staller": "war"}
        assert r.posterior["withdraw"] == 1.0 and r.posterior["fight"] == 0.0
        assert r.west_actions["withdraw"] == {"West": 1.0}
        assert r.acceptance["withdraw"] == 1.0
        assert r.payoffs["Russia"]["sincere"] == pytest.approx(0.6)
        assert r.payoffs["Russia"]["staller"] == pytest.approx(0.55)
        assert r.settlement_probability == pytest.approx(0.4)
        assert r.certificate < 1e-12
        kinds = {e.kind for e in r.equilibria}
        assert {"separating", "pooling"} <= kinds
        # Every pooling equilibrium (withdrawal off path) fails the intuitive criterion.
        assert all(e.intuitive is False for e in r.equilibria if e.kind == "pooling")
        assert r.selected.intuitive is not False

    def test_separation_window_matches_the_closed_form(self) -> None:
        # Sincere: 0.7 - k >= 0.55; staller: 0.795 - k - A <= 0.55.
        gains = (0.7 - 0.55, 0.795 - 0.55)
        for k in (0.05, 0.08, 0.12, 0.149, 0.16):
            expected = separating_exists(gains[0], gains[1], k, k + A)
            r = solve_offer_game(worked(), OFFER.with_values(withdrawal_cost=k))
            found = any(
                e.kind == "separating" and e.sender[0, 2] == 1 and e.sender[1, 2] == 0
                for e in r.equilibria
            )
            assert found == expected, k

    def test_hybrid_mixing_matches_the_closed_forms(self) -> None:
        k = 0.05
        r = solve_offer_game(worked(), OFFER.with_values(withdrawal_cost=k))
        assert r.kind == "hybrid"
        assert r.posterior["withdraw"] == pytest.approx(MU_STAR)
        q = staller_mixing_probability(0.4, 0.2, 1 + A)  # mu0 (1 - mu*) / ((1 - mu0) mu*)
        assert q == pytest.approx(4 / 35)
        assert r.selected.sender[1, 2] == pytest.approx(q)
        assert r.selected.sender[0].tolist() == [0.0, 0.0, 1.0]
        # The West eases just often enough to leave the staller indifferent: k_B / g_B.
        relax = relax_probability_after_step(0.795 - 0.55, k + A)
        assert r.west_actions["withdraw"]["West"] == pytest.approx(relax)
        assert r.renewed_war_probability == pytest.approx(0.6 * q * relax)
        out = solve_offer_game_batch(worked(), OFFER, {"offer.withdrawal_cost": k})
        assert float(out["mixing_probability"]) == pytest.approx(q)
        assert float(out["relax_probability"]) == pytest.approx(relax)

    def test_words_alone_pool(self) -> None:
        talk = OFFER.with_values(withdrawal_cost=0.0)
        doubt = solve_offer_game(worked(), talk)  # prior 0.4 < mu*: the West holds
        assert doubt.regime == "pooling: sincere war, staller war"
        trust = solve_offer_game(worked(russia__prior_sincere=0.9), talk)
        assert trust.regime == "pooling: sincere settlement, staller stalling"
        assert trust.posterior["talk"] == pytest.approx(0.9)
        assert trust.renewed_war_probability == pytest.approx(0.1)
        assert trust.payoffs["Russia"]["staller"] == pytest.approx(0.795)

    def test_guarantees_make_the_deal_credible(self) -> None:
        # p1 = 0.5 + (1 - 0.5) / 6: the renewed war (0.675) no longer beats the deal (0.7).
        offer = OFFER.with_values(withdrawal_cost=0.0, security_guarantees=0.5)
        r = solve_offer_game(worked(russia__prior_sincere=0.9), offer)
        assert r.outcome == {"sincere": "settlement", "staller": "settlement"}
        assert r.renewed_war_probability == 0.0

    def test_switch_points_match_a_fine_grid_and_the_closed_forms(self) -> None:
        model = worked()
        # Status premium: the sincere type settles while 0.5 (1 + S) - 0.2 <= 0.6.
        (status,) = switch_points(model, OFFER, "russia.great_power_status", 0.3, 1.0)
        closed = brentq(lambda s: russia_war_payoff(0.5, 0.1, s, 0.2, 0.1) - 0.6, 0.3, 1.0)
        assert status == pytest.approx(closed, abs=1e-5) == pytest.approx(0.6, abs=1e-5)
        grid = np.linspace(0.3, 1.0, 2001)
        regimes = solve_offer_game_batch(model, OFFER, {"russia.great_power_status": grid})
        changes = np.flatnonzero(regimes["regime"][1:] != regimes["regime"][:-1])
        assert len(changes) == 1
        assert grid[changes[0]] <= status <= grid[changes[0] + 1]
        assert regimes["regime"][0] == "separating: sincere settlement, staller war"
        assert regimes["regime"][-1] == "pooling: sincere war, staller war"
        # Withdrawal cost: separation between 0.795 - A - 0.55 and 0.7 - 0.55.
        low, high = switch_points(model, OFFER, "offer.withdrawal_cost", 0.01, 0.3)
        assert low == pytest.approx(0.795 - A - 0.55, abs=1e-5)
        assert high == pytest.approx(0.15, abs=1e-5)
        grid = np.linspace(0.01, 0.3, 1001)
        kinds = solve_offer_game_batch(model, OFFER, {"offer.withdrawal_cost": grid})["kind"]
        separating = grid[kinds == "separating"]
        assert separating.min() == pytest.approx(low, abs=3e-4)
        assert separating.max() == pytest.approx(high, abs=3e-4)

    def test_comparative_statics_exact_and_batched_agree(self) -> None:
        values = [0.2, 0.5, 0.8]
        fast = comparative_statics(worked(), OFFER, "russia.great_power_status", values)
        slow = comparative_statics(worked(), OFFER, "russia.great_power_status", values, exact=True)
        assert fast["regime"].tolist() == slow["regime"].tolist()
        for key in OUTCOME_KEYS:
            assert fast[key] == pytest.approx(slow[key].astype(float), abs=1e-9)


# ====================================================================== claims 1 and 6
class TestCostlessOffer:
    @EXACT
    @given(models(governments=None))
    def test_posterior_is_prior_when_types_pool(self, point) -> None:
        model, offer, support = point
        offer = offer.with_values(withdrawal_cost=0.0)
        r = solve_offer_game(model, offer, western_support=support)
        prior = model.russia.prior_sincere
        for eq in r.equilibria:
            if eq.kind == "pooling":
                m = int(np.argmax(eq.sender[0]))
                assert eq.beliefs[m, 0] == pytest.approx(prior)
        # A costless offer that both types make gets the West's reply at the prior. (When the
        # staller would keep every deal the types are payoff-identical after the offer, and
        # payoff-equivalent equilibria with an informative but irrelevant reply exist.)
        u = r.game.sender_payoffs
        eq = r.selected
        if eq.sender[0, 1] > 0 and eq.sender[1, 1] > 0 and not np.allclose(u[0, 1], u[1, 1]):
            at_prior = r.game.receiver_payoffs[:, 1, :].T @ [prior, 1 - prior]
            best = np.flatnonzero(at_prior >= at_prior.max() - 1e-9)
            assert eq.receiver[1, best].sum() == pytest.approx(1.0)

    def test_the_reply_to_a_shared_costless_offer_is_the_reply_at_the_prior(self) -> None:
        rng = np.random.default_rng(11)
        n = 5000
        prior = rng.uniform(0.02, 0.98, n)
        changes = {
            "russia.prior_sincere": prior,
            "russia.great_power_status": rng.uniform(0, 1, n),
            "russia.dominance_threshold": rng.uniform(0, 1, n),
            "russia.regroup_rate_staller": rng.uniform(0, 1, n),
            "russia.capability_ceiling": rng.uniform(1, 3, n),
            "russia.sanctions_cost": rng.uniform(0, 0.5, n),
            "offer.alignment": rng.uniform(0, 1, n),
            "offer.security_guarantees": rng.uniform(0, 1, n),
            "offer.sanctions_relief": rng.uniform(0, 1, n),
            "western_support": rng.uniform(0, 0.4, n),
            "west.governments.West.sanctions_burden": rng.uniform(0, 1, n),
            "west.governments.West.audience_cost": rng.uniform(0, 0.3, n),
        }
        out = solve_offer_game_batch(NegotiationModel(), Offer(), changes)
        both = (out["message.sincere.talk"] > 0) & (out["message.staller.talk"] > 0)
        assert both.sum() > 1000
        at_prior = (prior >= out["threshold.West"]).astype(float)
        same = np.isclose(out["ease.talk.West"], at_prior)
        # The exceptions are payoff-equivalent hybrids of payoff-identical types.
        equal = np.isclose(out["payoff.russia.sincere"], out["payoff.russia.staller"])
        assert np.all(same[both] | equal[both])
        assert np.mean(same[both]) > 0.99

    def test_an_offer_only_a_staller_makes_reveals_it(self) -> None:
        # Alignment 0.45: the deal is worth less than war to a sincere Russia, but a staller
        # would accept and break it, so "talk" identifies the staller (claim 6).
        r = solve_offer_game(NegotiationModel(), Offer(alignment=0.45))
        assert r.kind == "separating"
        assert r.posterior["talk"] == 0.0
        assert r.outcome == {"sincere": "war", "staller": "stalling"}


class TestCostlySignal:
    @EXACT
    @given(models(governments=1), st.floats(0.001, 0.3))
    def test_separating_condition_matches_the_solver(self, point, cost) -> None:
        model, offer, support = point
        offer = offer.with_values(withdrawal_cost=cost)
        game = offer_game(model, offer, western_support=support)
        u = game.sender_payoffs
        a = regroup_advantage(model)
        fight_reply = int(np.argmax(game.receiver_payoffs[0, 0]))  # type-free after "fight"
        hold_reply = int(np.argmax(game.receiver_payoffs[1, 1]))  # reply to a known staller
        assume(hold_reply == 0 and game.receiver_payoffs[0, 2, 1] > 1e-6)  # trust eases
        alternative = [max(u[t, 0, fight_reply], u[t, 1, 0]) for t in (0, 1)]
        gains = [u[t, 2, 1] + (cost + a * t) - alternative[t] for t in (0, 1)]
        assume(all(abs(g - k) > 1e-7 for g, k in zip(gains, (cost, cost + a))))
        expected = separating_exists(max(gains[0], 0), max(gains[1], 0), cost, cost + a)
        r = solve_offer_game(model, offer, western_support=support)
        found = any(
            e.sender[0, 2] == 1.0 and e.sender[1, 2] == 0.0 and e.kind == "separating"
            for e in r.equilibria
        )
        assert found == expected


# ====================================================================== closed forms vs solver
class TestBatchAgainstExact:
    @pytest.mark.parametrize("index", range(10))
    def test_random_points(self, index: int) -> None:
        model, offer, support = random_points(2024, 10)[index]
        exact = solve_offer_game(model, offer, western_support=support)
        batch = solve_offer_game_batch(model, offer, western_support=support)
        assert bool(batch["found"])
        assert_rows_agree(exact.row, batch)
        assert float(batch["certificate"]) <= 1e-9

    @pytest.mark.parametrize("governments", [1, 2])
    def test_hybrid_points(self, governments: int) -> None:
        # Screen many points with the batch solver, then check hybrids with the exact one.
        rng = np.random.default_rng(governments)
        n = 3000
        names = ["a", "b"][:governments]
        west = West(governments=tuple(WesternGovernment(g) for g in names))
        changes = {
            "russia.prior_sincere": rng.uniform(0.02, 0.98, n),
            "russia.great_power_status": rng.uniform(0, 1, n),
            "russia.dominance_threshold": rng.uniform(0, 1, n),
            "russia.regroup_rate_staller": rng.uniform(0, 1, n),
            "russia.capability_ceiling": rng.uniform(1, 3, n),
            "offer.alignment": rng.uniform(0, 1, n),
            "offer.security_guarantees": rng.uniform(0, 1, n),
            "offer.withdrawal_cost": rng.uniform(0, 0.3, n),
            "western_support": rng.uniform(0, 0.4, n),
        }
        for g in names:
            changes[f"west.governments.{g}.sanctions_burden"] = rng.uniform(0.01, 1, n)
            changes[f"west.governments.{g}.audience_cost"] = rng.uniform(0, 0.3, n)
        base = NegotiationModel(west=west)
        out = solve_offer_game_batch(base, Offer(), changes)
        hybrids = np.flatnonzero(out["kind"] == "hybrid")
        assert len(hybrids) >= 20
        for i in hybrids[:3]:
            model = base.with_params(
                {k: float(v[i]) for k, v in changes.items() if "." in k and k[:6] != "offer."}
            )
            offer = Offer().with_values(
                **{k[6:]: float(v[i]) for k, v in changes.items() if k[:6] == "offer."}
            )
            support = float(changes["western_support"][i])
            exact = solve_offer_game(model, offer, western_support=support)
            batch = {k: v[i] for k, v in out.items()}
            assert exact.kind == "hybrid"
            assert_rows_agree(exact.row, batch)
            mixing = float(batch["mixing_probability"])
            if np.isfinite(mixing):  # one type mixes; its probability pins the posterior
                shared = [m for m in MESSAGES if 0 < batch[f"posterior.{m}"] < 1]
                assert len(shared) == 1
                mu = float(batch[f"posterior.{shared[0]}"])
                prior = model.russia.prior_sincere
                closed = (
                    staller_mixing_probability(prior, 1 - mu, mu)
                    if mu > prior
                    else sincere_mixing_probability(prior, 1 - mu, mu)
                )
                assert mixing == pytest.approx(closed)

    def test_every_point_has_a_certified_equilibrium(self) -> None:
        rng = np.random.default_rng(1)
        n = 4000
        west = West(
            governments=(
                WesternGovernment("a", sanctions_burden=0.3),
                WesternGovernment("b", weight=2.0, value_of_success=0.6),
            ),
            aggregation="sum",
        )
        changes = {
            "russia.prior_sincere": rng.uniform(0.01, 0.99, n),
            "russia.great_power_status": rng.uniform(0, 2, n),
            "russia.regroup_rate_staller": rng.uniform(0, 1, n),
            "offer.alignment": rng.uniform(0, 1, n),
            "offer.withdrawal_cost": rng.uniform(0, 0.3, n),
            "west.governments.a.sanctions_burden": rng.uniform(0, 0.8, n),
            "western_support": rng.uniform(0, 0.4, n),
        }
        out = solve_offer_game_batch(NegotiationModel(west=west), Offer(), changes)
        assert out["found"].all()
        assert np.nanmax(out["certificate"]) <= 1e-9
        total = out["settlement_probability"] + out["renewed_war_probability"]
        assert total + out["war_probability"] == pytest.approx(np.ones(n))

    def test_ten_thousand_points_in_under_ten_seconds(self) -> None:
        rng = np.random.default_rng(3)
        n = 10_000
        changes = {
            "russia.prior_sincere": rng.uniform(0.01, 0.99, n),
            "offer.withdrawal_cost": rng.uniform(0, 0.3, n),
        }
        start = time.perf_counter()
        out = solve_offer_game_batch(worked(), OFFER, changes)
        assert time.perf_counter() - start < 10.0
        assert out["kind"].shape == (n,) and out["found"].all()


# ====================================================================== limiting cases
class TestLimitingCases:
    @BATCH
    @given(
        st.floats(0.0, 1.0),
        st.floats(0.0, 1.0),
        st.floats(0.0, 0.3),
        st.floats(0.0, 0.3),
        st.floats(0.5, 2.0),
        st.floats(-0.2, 0.2),
        st.floats(0.0, 0.5),
    )
    def test_a_sincere_russia_settles_inside_the_bargaining_range(
        self, status, x_dom, c_r, c_u, capability, optimism, sanctions
    ) -> None:
        model = NegotiationModel().with_params(
            {
                "russia.great_power_status": status,
                "russia.dominance_threshold": x_dom,
                "russia.war_cost": c_r,
                "ukraine.war_cost": c_u,
                "russia.capability": capability,
                "russia.optimism": optimism,
                "russia.sanctions_cost": sanctions,
                "russia.prior_sincere": 0.999,
            }
        )
        x = np.linspace(0.0, 1.0, 101)
        out = solve_offer_game_batch(model, Offer(), {"offer.alignment": x}, western_support=0.0)
        inside = bargaining_range_from_model(model).contains(x)
        edges = status_settlements(
            model.win_probability(), c_r, c_u, status, x_dom, sanctions, optimism
        )
        near = np.isclose(x, edges.low) | np.isclose(x, edges.high) | np.isclose(x, x_dom)
        settled = out["outcome.sincere.settlement"] == 1.0
        assert np.array_equal(settled[~near], inside[~near])

    @BATCH
    @given(
        st.floats(0.0, 1.0),
        st.floats(0.0, 0.99),
        st.floats(0.0, 1.0),
        st.floats(1.0, 3.0),
        st.floats(0.0, 1.0),
        st.floats(0.0, 1.0),
    )
    def test_a_staller_breaks_a_deal_the_power_shift_puts_outside_the_range(
        self, status, x_dom, rate, ceiling, guarantee, x
    ) -> None:
        model = NegotiationModel().with_params(
            {
                "russia.great_power_status": status,
                "russia.dominance_threshold": x_dom,
                "russia.regroup_rate_staller": rate,
                "russia.capability_ceiling": ceiling,
                "russia.prior_sincere": 0.001,
            }
        )
        offer = Offer(alignment=x, security_guarantees=guarantee, sanctions_relief=1.0)
        out = solve_offer_game_batch(model, offer)
        p = model.win_probability()
        p1 = shrunk_shift(p, p + regroup_advantage(model), guarantee)
        assert float(out["win_probability_after_pause"]) == pytest.approx(p1)
        pressure = float(out["pressure.talk"])  # the West holds against a staller
        assert np.isnan(pressure) or pressure == 1.0
        sigma = model.russia.sanctions_cost
        # Powell in Fearon's range: the deal is kept iff it stays in Russia's part of the
        # bargaining range after the shift (Ukraine's bound removed by a huge cost).
        kept = status_settlements(p1, 0.1, 1.0, status, x_dom, sigma).contains(x)
        value = x + guarantee * (1 - x)
        accepted = value >= 1 - p - 0.15
        renewed = russia_war_payoff(p1, 0.1, status, x_dom, sigma)
        keep = 1 - x + status * (x <= x_dom)
        stall = 0.05 * keep + 0.95 * renewed
        fight = russia_war_payoff(p, 0.1, status, x_dom, sigma)
        assume(abs(renewed - keep) > 1e-9 and abs(stall - fight) > 1e-9)
        assume(abs(value - (1 - p - 0.15)) > 1e-9)
        stalls = accepted and (p1 > p) and not kept and stall > fight
        assert (float(out["outcome.staller.stalling"]) == 1.0) == stalls

    def test_minimum_guarantee_against_a_staller(self) -> None:
        # With a staller for sure, stalling stops at the guarantee G* that makes the renewed
        # war worth exactly the deal: p + (1 - G*) A = p1* with p1* (1 + S) - c_R - s = 1 - x.
        model = worked(russia__prior_sincere=0.001)
        offer = Offer(alignment=0.3, sanctions_relief=1.0)
        # Against a near-certain staller the West holds, so Ukraine (war payoff 0.35) accepts
        # once 0.3 + 0.7 G >= 0.35; the staller breaks the deal until G*.
        p1_star = (1 - 0.3 + 0.1 + 0.1) / 1.5
        closed = 1 - (p1_star - 0.5) / A
        accepts, credible = switch_points(model, offer, "offer.security_guarantees", 0.0, 1.0)
        assert accepts == pytest.approx(0.05 / 0.7, abs=1e-5)
        assert credible == pytest.approx(closed, abs=1e-5) == pytest.approx(0.4, abs=1e-5)
        regimes = comparative_statics(model, offer, "offer.security_guarantees", [0.0, 0.2, 0.6])[
            "regime"
        ]
        assert [r.split(", ")[1] for r in regimes] == [
            "staller war",
            "staller stalling",
            "staller settlement",
        ]


class TestNoRegroupAdvantage:
    @EXACT
    @given(models(governments=1))
    def test_a_staller_without_advantage_behaves_like_a_sincere_type(self, point) -> None:
        model, offer, support = point
        model = model.with_params(russia__regroup_rate_staller=model.russia.regroup_rate_sincere)
        assert regroup_advantage(model) == 0.0
        game = offer_game(model, offer, western_support=support)
        assert np.array_equal(game.sender_payoffs[0], game.sender_payoffs[1])
        r = solve_offer_game(model, offer, western_support=support)
        eq = r.selected
        assert eq.sender[0] == pytest.approx(eq.sender[1])
        prior = model.russia.prior_sincere
        for m in MESSAGES[: len(game.messages)]:
            if r.on_path[m]:
                assert r.posterior[m] == pytest.approx(prior)
        assert r.outcome_probabilities["sincere"] == pytest.approx(
            r.outcome_probabilities["staller"]
        )
        assert r.renewed_war_probability == 0.0


# ====================================================================== claims 2 and 3
class TestMonotonicity:
    @BATCH
    @given(models(), st.lists(st.floats(0.0, 1.0), min_size=2, max_size=6))
    def test_the_west_eases_more_the_more_it_trusts(self, point, beliefs) -> None:
        model, offer, support = point
        game = offer_game(model, offer, western_support=support)
        mus = np.sort(beliefs)
        for m in range(1, len(game.messages)):
            value = np.outer(mus, game.receiver_payoffs[0, m]) + np.outer(
                1 - mus, game.receiver_payoffs[1, m]
            )
            levels = np.argmax(value >= value.max(axis=1, keepdims=True) - 1e-12, axis=1)
            assert np.all(np.diff(levels) >= 0)
        # Government i eases exactly when the belief passes its own threshold mu*_i.
        out = solve_offer_game_batch(model, offer, western_support=support)
        thresholds = np.array([out[f"threshold.{g.name}"] for g in model.west.governments])
        generic = np.all(np.abs(mus[:, None] - thresholds[None, :]) > 1e-9, axis=1)
        value = np.outer(mus, game.receiver_payoffs[0, 1]) + np.outer(
            1 - mus, game.receiver_payoffs[1, 1]
        )
        levels = np.argmax(value, axis=1)
        easing = (mus[:, None] > np.nan_to_num(thresholds, nan=2.0)[None, :]).sum(axis=1)
        assert np.array_equal(levels[generic], easing[generic])

    @BATCH
    @given(models(governments=1))
    def test_with_one_government_a_higher_prior_never_lowers_easing(self, point) -> None:
        model, offer, support = point
        g = model.west.governments[0]
        assume(g.sanctions_burden <= g.audience_cost + g.value_of_success)  # holds in war
        priors = np.linspace(0.01, 0.99, 99)
        out = solve_offer_game_batch(
            model, offer, {"russia.prior_sincere": priors}, western_support=support
        )
        easing = sum(
            np.nan_to_num(
                (priors * out[f"message.sincere.{m}"] + (1 - priors) * out[f"message.staller.{m}"])
                * (1 - out[f"pressure.{m}"])
            )
            for m in MESSAGES
        )
        assert np.all(np.diff(easing) >= -1e-9)

    def test_several_governments_a_weak_link_can_lower_total_easing(self) -> None:
        # Claim 2: once the prior passes the Dove's threshold, Russia stops paying for the
        # withdrawal; the Dove's easing alone lets Ukraine accept, and stallers get in.
        west = West(
            governments=(WesternGovernment("Hawk"), WesternGovernment("Dove", sanctions_burden=0.3))
        )
        model = NegotiationModel(west=west).with_params(
            {k: v for k, v in WORKED.items() if k != "russia.prior_sincere"}
        )
        offer = Offer(alignment=0.32, withdrawal_cost=0.1)
        low = solve_offer_game(model.with_params(russia__prior_sincere=0.6), offer)
        high = solve_offer_game(model.with_params(russia__prior_sincere=0.65), offer)
        assert low.thresholds["Dove"] < 0.65 < low.thresholds["Hawk"]
        assert low.regime == "separating: sincere settlement, staller war"
        assert high.regime == "pooling: sincere settlement, staller stalling"
        assert high.west_actions["talk"] == {"Hawk": 0.0, "Dove": 1.0}
        assert 0.6 * (1 - low.pressure["withdraw"]) == pytest.approx(0.6)
        assert 1 - high.pressure["talk"] == pytest.approx(0.5)

    @BATCH
    @given(models())
    def test_cohesion_never_raises_the_stallers_payoff_within_a_regime(self, point) -> None:
        model, offer, support = point
        cohesion = np.linspace(0.0, 1.0, 41)
        tables = [
            offer_game(model.with_params(west__western_cohesion=c), offer).sender_payoffs
            for c in (0.3, 0.7)
        ]
        assert np.all(tables[1] <= tables[0] + 1e-12)
        out = solve_offer_game_batch(
            model, offer, {"west.western_cohesion": cohesion}, western_support=support
        )
        same = out["regime"][1:] == out["regime"][:-1]
        rise = np.diff(out["payoff.russia.staller"])
        assert np.all(rise[same] <= 1e-9)

    def test_cohesion_can_bring_stallers_in_with_sincere_negotiators(self) -> None:
        # Stronger sanctions make a sincere Russia prefer the deal (0.7) to war
        # (0.75 - 0.1 c); the trusting West then eases and the staller hides among them.
        model = worked(russia__great_power_status=0.7, russia__prior_sincere=0.9)
        (switch,) = switch_points(model, Offer(alignment=0.3), "west.western_cohesion", 0, 1)
        assert switch == pytest.approx(0.5, abs=1e-5)
        out = comparative_statics(
            model, Offer(alignment=0.3), "west.western_cohesion", [0.49, 0.51]
        )
        assert out["regime"].tolist() == [
            "pooling: sincere war, staller war",
            "pooling: sincere settlement, staller stalling",
        ]
        staller = out["payoff.russia.staller"]
        assert staller[0] == pytest.approx(0.75 - 0.049)
        assert staller[1] == pytest.approx(0.05 * 0.7 + 0.95 * ((2 / 3) * 1.7 - 0.1 - 0.051))

    def test_status_premium_blocks_settlement_beyond_the_sphere(self) -> None:
        statics = comparative_statics(
            worked(), OFFER, "russia.great_power_status", [0.3, 0.59, 0.61, 1.5]
        )
        assert statics["outcome.sincere.settlement"].tolist() == [1.0, 1.0, 0.0, 0.0]
        # Within the sphere (alignment 0.15 <= 0.2) the premium is kept; guarantees make the
        # deal worth 0.575 to Ukraine.
        inside = OFFER.with_values(alignment=0.15, security_guarantees=0.5)
        kept = comparative_statics(worked(), inside, "russia.great_power_status", [0.61, 1.5])
        assert kept["settlement_probability"].min() > 0


class TestCoalition:
    def test_the_weakest_link_eases_first(self) -> None:
        west = West(
            governments=(
                WesternGovernment("Hawk", sanctions_burden=0.1),
                WesternGovernment("Dove", sanctions_burden=0.5, value_of_success=0.6),
            ),
            aggregation="weakest_link",
        )
        model = NegotiationModel(west=west).with_params(russia__prior_sincere=0.5)
        r = solve_offer_game(model, Offer(alignment=0.3))
        assert r.thresholds["Dove"] < 0.5 < r.thresholds["Hawk"]
        assert r.west_actions["talk"] == {"Hawk": 0.0, "Dove": 1.0}
        assert r.pressure["talk"] == 0.0  # one defection ends a unanimous regime
        summed = solve_offer_game(
            NegotiationModel(
                west=West(governments=west.governments, aggregation="sum")
            ).with_params(russia__prior_sincere=0.5),
            Offer(alignment=0.3),
        )
        assert summed.pressure["talk"] == pytest.approx(0.5)

    @BATCH
    @given(models())
    def test_war_time_gain_is_the_participation_margin(self, point) -> None:
        model, offer, support = point
        west = model.west
        margin = member_support(
            [g.value_of_success for g in west.governments],
            [g.sanctions_burden for g in west.governments],
            [g.audience_cost for g in west.governments],
            [g.weight for g in west.governments],
            aggregation=west.aggregation,
            threshold=west.cohesion_threshold,
        ).margin
        game = offer_game(model, offer, western_support=support)
        fight = game.receiver_payoffs[0, 0]  # level l: the l governments keenest to ease
        gains = np.sort(-margin)[::-1]
        assert np.diff(fight) == pytest.approx(gains)

    def test_one_government_reads_the_costly_signalling_mapping(self) -> None:
        model = NegotiationModel().with_params(
            russia__regroup_rate_sincere=0.0, russia__prior_sincere=0.1
        )
        offer = Offer(alignment=0.3, withdrawal_cost=0.08)
        params = sincerity_parameters_from_model(model, offer)
        assert regroup_advantage(model) == pytest.approx(staller_regroup_advantage(model))
        game = offer_game(model, offer)
        u = game.sender_payoffs
        assert u[0, 1] - u[0, 2] == pytest.approx([params.cost_sincere] * 2)
        assert u[1, 1] - u[1, 2] == pytest.approx([params.cost_staller] * 2)
        r = solve_offer_game(model, offer)
        g = model.west.governments[0]
        w_b = g.audience_cost + g.value_of_success * (1 + regroup_advantage(model)) - 0.2
        assert params.w_S == g.sanctions_burden
        assert r.thresholds["West"] == pytest.approx(relax_threshold(params.w_S, w_b))


# ====================================================================== the tree
def sequentially_rational(tree, profile, tol: float = 1e-9) -> None:
    reach = profile.infoset_reach_probabilities()
    for player in range(tree.num_players):
        for h, values in profile.infoset_values(player).items():
            if reach[h] <= 1e-12:
                continue
            chosen = profile[h] > 1e-12
            assert values[chosen].min() >= values.max() - tol, tree.infosets[h].label


class TestTree:
    def test_structure(self) -> None:
        tree = offer_game_tree(worked(), OFFER)
        assert tree.players == ("Russia", "West", "Ukraine")
        labels = {(tree.players[h.player], h.label) for h in tree.infosets if not h.is_chance}
        assert ("Russia", "sincere") in labels and ("West", "after withdraw") in labels
        assert ("Ukraine", "after talk, West eases") in labels
        assert ("Russia", "staller: talk, West eases, accepted") in labels
        assert tree.has_perfect_recall

    def test_selected_equilibrium_is_an_equilibrium_of_the_tree(self) -> None:
        model = worked()
        r = solve_offer_game(model, OFFER)
        tree = offer_game_tree(model, OFFER)
        profile = offer_game_profile(model, OFFER, r)
        payoffs = profile.expected_payoffs()
        assert payoffs[0] == pytest.approx(r.payoffs["Russia"]["expected"])
        assert payoffs[1] == pytest.approx(r.payoffs["West"]["expected"])
        sequentially_rational(tree, profile)
        game, plans = tree.strategic_form()
        mixed = tree.mixed_from_behaviour(profile, plans)
        assert game.regret(mixed) <= 1e-12

    @pytest.mark.parametrize("prior", [0.6, 0.65])
    def test_two_governments(self, prior: float) -> None:
        west = West(
            governments=(WesternGovernment("Hawk"), WesternGovernment("Dove", sanctions_burden=0.3))
        )
        model = NegotiationModel(west=west).with_params({**WORKED, "russia.prior_sincere": prior})
        offer = Offer(alignment=0.32, withdrawal_cost=0.1)
        r = solve_offer_game(model, offer)
        tree = offer_game_tree(model, offer)
        profile = offer_game_profile(model, offer, r)
        assert profile.expected_payoffs()[0] == pytest.approx(r.payoffs["Russia"]["expected"])
        sequentially_rational(tree, profile)

    def test_hybrid_profile(self) -> None:
        model, offer = worked(), OFFER.with_values(withdrawal_cost=0.05)
        r = solve_offer_game(model, offer)
        profile = offer_game_profile(model, offer, r)
        sequentially_rational(offer_game_tree(model, offer), profile)
        reach = profile.realisation_probabilities()
        assert profile.expected_payoffs()[0] == pytest.approx(r.payoffs["Russia"]["expected"])
        assert reach.max() == 1.0


# ====================================================================== small pieces
class TestPieces:
    @BATCH
    @given(st.floats(0.01, 0.99), st.floats(0.01, 0.99))
    def test_sincere_mixing_pins_the_posterior(self, prior, mu_star) -> None:
        s = sincere_mixing_probability(prior, 1 - mu_star, mu_star)
        if prior > mu_star:
            assert prior * s / (prior * s + 1 - prior) == pytest.approx(mu_star)
        else:
            assert s == 1.0

    @BATCH
    @given(st.floats(0.5, 3), st.floats(0.5, 3), st.floats(0.5, 3), unit, unit)
    def test_regroup_advantage(self, k_r, k_u, ceiling, rate_s, rate_b) -> None:
        model = NegotiationModel().with_params(
            {
                "russia.capability": k_r,
                "ukraine.capability": k_u,
                "russia.capability_ceiling": ceiling,
                "russia.regroup_rate_sincere": rate_s,
                "russia.regroup_rate_staller": rate_b,
            }
        )
        gap = ceiling - k_r
        expected = max(
            win_probability(k_r + rate_b * gap, k_u) - win_probability(k_r + rate_s * gap, k_u), 0
        )
        if ceiling < k_r:
            expected = 0.0
        assert regroup_advantage(model) == pytest.approx(expected, abs=1e-12)
        out = solve_offer_game_batch(model, Offer())
        assert float(out["regroup_advantage"]) == pytest.approx(regroup_advantage(model))
        assert float(out["win_probability"]) == pytest.approx(model.win_probability())

    def test_validation(self) -> None:
        model = NegotiationModel()
        with pytest.raises(KeyError, match="did you mean 'russia.prior_sincere'"):
            solve_offer_game_batch(model, Offer(), {"russia.prior_sincer": [0.5]})
        with pytest.raises(ValueError, match="outside its valid range"):
            solve_offer_game_batch(model, Offer(), {"russia.prior_sincere": [0.5, 1.0]})
        with pytest.raises(ValueError, match="does not read"):
            solve_offer_game_batch(model, Offer(), {"russia.leader.punishment": [1.0]})
        with pytest.raises(ValueError, match="broadcast"):
            solve_offer_game_batch(
                model, Offer(), {"russia.prior_sincere": [0.2, 0.5], "offer.alignment": [0.1] * 3}
            )
        with pytest.raises(ValueError, match="western_support"):
            solve_offer_game(model, Offer(), western_support=-0.1)
        with pytest.raises(ValueError, match="must exceed"):
            switch_points(model, Offer(), "russia.prior_sincere", 0.5, 0.2)
        with pytest.raises(TypeError, match="Offer"):
            solve_offer_game(model, "neutrality")  # type: ignore[arg-type]
        named = West(governments=(WesternGovernment("Russia"),))
        with pytest.raises(ValueError, match="may not be called"):
            offer_game_tree(NegotiationModel(west=named), Offer())

    def test_batch_shape_follows_the_changes(self) -> None:
        out = solve_offer_game_batch(
            worked(),
            OFFER,
            {"russia.prior_sincere": np.array([[0.2], [0.9]]), "offer.alignment": [0.3, 0.4]},
        )
        assert out["settlement_probability"].shape == (2, 2)
        scalar = solve_offer_game_batch(worked(), OFFER)
        assert scalar["kind"].shape == () and str(scalar["kind"]) == "separating"


def test_western_support_is_the_model_parameter_west_ukraine_support():
    from simulator.model import NegotiationModel, Offer

    model = NegotiationModel().with_params(russia__prior_sincere=0.2)
    offer = Offer.neutrality_for_guarantees()
    for value in (0.0, 0.3, 0.8):
        by_model = solve_offer_game(model.with_params(west__ukraine_support=value), offer)
        by_keyword = solve_offer_game(model, offer, western_support=value)
        assert by_model.regime == by_keyword.regime
        assert by_model.payoffs == by_keyword.payoffs
    grid = np.linspace(0.0, 1.0, 7)
    from_model_name = solve_offer_game_batch(model, offer, {"west.ukraine_support": grid})
    from_game_name = solve_offer_game_batch(model, offer, {"western_support": grid})
    assert (from_model_name["regime"] == from_game_name["regime"]).all()
