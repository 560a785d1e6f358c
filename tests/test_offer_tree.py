"""The offer game written out as a tree: the core's generic checks certify the selected PBE."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.model import NegotiationModel, Offer, West, WesternGovernment
from simulator.model.offer_game import solve_offer_game
from simulator.model.offer_tree import offer_game_tree
from simulator.solvers.extensive_equilibrium import nash_regret, sequential_rationality_regret

GOVERNMENTS = (
    WesternGovernment("US", weight=3, value_of_success=1.5, sanctions_burden=0.05),
    WesternGovernment("Germany", weight=2, value_of_success=1.0, sanctions_burden=0.08),
    WesternGovernment("Hungary", weight=1, value_of_success=0.2, sanctions_burden=0.3),
)


@settings(max_examples=40, deadline=None)
@given(
    governments=st.integers(1, 3),
    aggregation=st.sampled_from(["sum", "weakest_link", "threshold"]),
    status=st.floats(0, 2),
    prior=st.floats(0.05, 0.95),
    prior_strong=st.floats(0.05, 0.95),
    weak=st.floats(0.3, 1.0),
    staller_rate=st.floats(0, 1),
    removal=st.floats(0, 0.8),
    alignment=st.floats(0, 1),
    territory=st.floats(0, 1),
    guarantees=st.floats(0, 1),
    withdrawal=st.sampled_from([0.0, 0.05, 0.2]),
    inducement=st.sampled_from([0.0, 0.02, 0.2]),
)
def test_selected_equilibrium_is_sequentially_rational_on_the_tree(
    governments,
    aggregation,
    status,
    prior,
    prior_strong,
    weak,
    staller_rate,
    removal,
    alignment,
    territory,
    guarantees,
    withdrawal,
    inducement,
) -> None:
    model = NegotiationModel().with_params(
        russia__great_power_status=status,
        russia__prior_sincere=prior,
        russia__prior_strong=prior_strong,
        russia__weak_capability_share=weak,
        russia__regroup_rate_staller=staller_rate,
        russia__leader__removal_if_settle=removal,
    )
    west = West(governments=GOVERNMENTS[:governments], aggregation=aggregation)
    model = dataclasses.replace(model, west=west)
    offer = Offer(
        alignment=alignment,
        territory=territory,
        security_guarantees=guarantees,
        withdrawal_cost=withdrawal,
        inducements={GOVERNMENTS[governments - 1].name: inducement} if inducement else {},
    )
    result = solve_offer_game(model, offer)
    tree = offer_game_tree(model, offer)
    if not result.found:
        assert tree.behaviour is None
        return
    # The core's checks, on the tree's own payoffs and information sets, with the beliefs the
    # equilibrium states: no player gains at any information set, on or off the path.
    assert sequential_rationality_regret(tree.behaviour, tree.beliefs) <= result.tolerance
    assert nash_regret(tree.behaviour) <= result.tolerance
    # and the tree's expected payoffs are the result's
    payoffs = tree.behaviour.expected_payoffs()
    assert payoffs[0] == pytest.approx(result.payoffs["Russia"]["expected"], abs=1e-12)
    assert payoffs[-1] == pytest.approx(result.payoffs["Ukraine"]["expected"], abs=1e-12)
    for i, g in enumerate(west.governments):
        assert payoffs[1 + i] == pytest.approx(result.payoffs[g.name]["expected"], abs=1e-12)


def test_a_deviation_the_solver_would_miss_is_seen_by_the_tree() -> None:
    # Flip Ukraine's reply after the equilibrium message: the core's check must see the gain.
    model = NegotiationModel()
    offer = Offer(alignment=0.3, territory=0.2)
    tree = offer_game_tree(model, offer)
    game, flat = tree.game, tree.behaviour.flat.copy()
    ukraine = game.players.index("Ukraine")
    h = next(i for i, info in enumerate(game.infosets) if info.player == ukraine)
    start = game.action_offsets[h]
    flat[start : start + 2] = flat[start : start + 2][::-1]
    flipped = type(tree.behaviour).from_flat(game, flat)
    assert sequential_rationality_regret(flipped, tree.beliefs) > 1e-3


def test_government_names_cannot_clash_with_players() -> None:
    with pytest.raises(ValueError, match="may not be called"):
        West(governments=(WesternGovernment("Ukraine"),))
    with pytest.raises(ValueError, match="may not be called"):
        NegotiationModel().with_params()  # the default is fine
        West(governments=(WesternGovernment("US"), WesternGovernment("Russia")))


def test_where_no_pure_equilibrium_exists_a_mixed_one_is_traced_and_certified() -> None:
    # Two governments and a small inducement to the weaker one (docs/offer_game.md, claim 2):
    # if only stallers talked, Hungary alone would ease, Ukraine would reject and the war after
    # "talk" would be fought at lower pressure, so sincere types would talk too; if one did, both
    # governments would ease and Ukraine sign. No assignment of messages is stable: only mixing
    # balances it.
    west = West(
        governments=(
            WesternGovernment("US"),
            WesternGovernment("Hungary", weight=0.2, sanctions_burden=0.2, value_of_success=0.2),
        )
    )
    model = dataclasses.replace(
        NegotiationModel().with_params(russia__leader__removal_if_lose=0.3), west=west
    )
    offer = Offer(alignment=0.45, inducements={"Hungary": 0.01})
    result = solve_offer_game(model, offer)
    assert result.found and result.kind == "hybrid"
    assert result.selected.method.startswith("agent logit tracing")
    assert result.certificate <= result.tolerance
    mixes = [
        t
        for t, dist in result.selected.messages.items()
        if sum(p > 1e-9 for p in dist.values()) > 1
    ]
    assert mixes  # some type randomises
    total = result.settlement_probability + result.renewed_war_probability + result.war_probability
    assert total == pytest.approx(1.0)
    tree = offer_game_tree(model, offer)
    assert sequential_rationality_regret(tree.behaviour, tree.beliefs) <= result.tolerance
