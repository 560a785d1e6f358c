"""The rebuilt offer game: certificates, probabilities and the rules it is built on."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.model import NegotiationModel, Offer, rules
from simulator.model.offer_game import solve_offer_game, solve_offer_game_batch


def test_every_point_is_certified_and_outcomes_sum_to_one() -> None:
    model = NegotiationModel()
    grid = np.linspace(0.0, 3.0, 7)
    prior = np.linspace(0.1, 0.9, 5)
    out = solve_offer_game_batch(
        model,
        Offer(alignment=0.3, withdrawal_cost=0.05),
        {"russia.great_power_status": grid[:, None], "russia.prior_sincere": prior[None, :]},
    )
    assert out["found"].all()
    assert np.all(out["certificate"] <= out["tolerance"])
    total = out["settlement_probability"] + out["renewed_war_probability"] + out["war_probability"]
    assert np.allclose(total, 1.0)


def test_a_neutral_ukraine_costs_russia_status() -> None:
    # claim 3: with the default threshold (0.15) below neutrality (0.3), half the premium is lost
    model = NegotiationModel()
    r = model.russia
    assert r.dominance_threshold < 0.3
    assert rules.status_retained(0.3, r.dominance_threshold, r.status_loss_span) == 0.5


def test_identical_types_pool_at_the_prior() -> None:
    model = NegotiationModel().with_params(
        russia__regroup_rate_staller=0.05, russia__weak_capability_share=1.0
    )
    result = solve_offer_game(model, Offer(alignment=0.3, territory=0.2))
    messages = set(result.selected.sends.values())
    assert len(messages) == 1
    (sent,) = messages
    assert result.selected.beliefs[sent]["sincere"] == pytest.approx(0.5)
    assert result.selected.beliefs[sent]["weak"] == pytest.approx(0.5)


def test_leader_removal_risk_after_settling_makes_the_staller_break() -> None:
    out = solve_offer_game_batch(
        NegotiationModel(),
        Offer(alignment=0.3, territory=0.2),
        {"russia.leader.removal_if_settle": [0.0, 1.0]},
    )
    assert out["renewed_war_probability"].tolist() == [0.0, 0.5]


def test_fatigue_makes_the_weakest_link_ease_as_the_war_drags_on() -> None:
    # Hungary's burden 0.1 grows 10% a period (rules.fatigued_burden): after a year of war it
    # eases even when Russia fights on, while the US, with a larger stake, holds throughout.
    import dataclasses

    from simulator.model import West, WesternGovernment

    west = West(
        governments=(
            WesternGovernment("US", weight=3, value_of_success=1.5, sanctions_burden=0.05),
            WesternGovernment(
                "Hungary", value_of_success=0.2, sanctions_burden=0.1, fatigue_rate=0.1
            ),
        )
    )
    model = dataclasses.replace(NegotiationModel(), west=west)
    out = solve_offer_game_batch(
        model, Offer(alignment=0.6, territory=0.2), {"west.periods_of_war": [0, 12]}
    )
    assert out["ease.fight.Hungary"].tolist() == [0.0, 1.0]
    assert out["ease.fight.US"].tolist() == [0.0, 0.0]
    assert rules.fatigued_burden(0.1, 0.1, 12) == pytest.approx(0.1 * 1.1**12)
    assert np.all(out["certificate"] <= out["tolerance"])
