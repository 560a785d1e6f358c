"""The offer game (simulator.model.offer_game, offer_tables), built on simulator.model.rules.

One period: Nature draws Russia's type (sincere/staller x strong/weak); Russia fights, talks or
withdraws; each Western government holds or eases; Ukraine accepts or rejects given its
posterior over the four types; a staller with a regroup edge breaks a signed deal iff renewed
war is worth more to it than keeping the deal.

Every "hand-computed" case below writes the formulas of ``rules.py`` out as plain arithmetic in
the test body (never through the model's internals) and compares with the model. Every test
states all the parameters it depends on (``BASE`` plus its changes), so a change of the
library's defaults does not change what a test checks.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from simulator.model import NegotiationModel, Offer, West, WesternGovernment, rules
from simulator.model.offer_game import (
    OUTCOMES,
    TYPES,
    solve_offer_game,
    solve_offer_game_batch,
    switch_points,
)
from simulator.model.offer_tables import continuation, tables, ukraine_accepts
from simulator.model.parameters import parameter_specs
from simulator.model.published.bargaining import status_settlements

# ---------------------------------------------------------------------- a fixed base point
#: Every numeric parameter the offer game reads, stated here (not taken from the library's
#: defaults): the numbers of the hand computations below follow from these.
BASE = {
    "russia.great_power_status": 0.5,
    "russia.dominance_threshold": 0.15,
    "russia.status_loss_span": 0.3,
    "russia.sanctions_cost": 0.1,
    "russia.war_cost": 0.1,
    "russia.capability": 1.0,
    "russia.weak_capability_share": 0.7,
    "russia.prior_strong": 0.5,
    "russia.capability_ceiling": 1.5,
    "russia.regroup_rate_sincere": 0.05,
    "russia.regroup_rate_staller": 0.25,
    "russia.discount_factor": 0.95,
    "russia.prior_sincere": 0.5,
    "russia.optimism": 0.0,
    "russia.audience_cost": 0.2,
    "russia.leader.office_value": 0.5,
    "russia.leader.punishment": 0.5,
    "russia.leader.removal_if_settle": 0.1,
    "russia.leader.removal_if_win": 0.02,
    "russia.leader.removal_if_lose": 0.3,
    "russia.leader.removal_while_fighting": 0.0,
    "ukraine.war_cost": 0.15,
    "ukraine.capability": 1.0,
    "ukraine.discount_factor": 0.95,
    "ukraine.audience_cost": 0.2,
    "ukraine.resolve": 0.1,
    "west.western_cohesion": 1.0,
    "west.cohesion_threshold": 0.5,
    "west.arms_support": 0.5,
    "west.periods_of_war": 0,
    "west.security_guarantee_credibility": 1.0,
    "territory_weight": 0.5,
    "contest_exponent": 1.0,
}

#: One-strength, one-sincerity Russia: the staller regroups like a sincere Russia (no edge, so
#: it never breaks) and a weak Russia is as strong as a strong one. The four types are then
#: payoff-identical.
IDENTICAL = {"russia.regroup_rate_staller": 0.05, "russia.weak_capability_share": 1.0}

SS, SW, BS, BW = range(4)  # sincere strong, sincere weak, staller strong, staller weak
FIGHT, TALK = 0, 1


def gov(
    name: str,
    weight: float = 1.0,
    stake: float = 1.0,
    burden: float = 0.2,
    audience: float = 0.2,
) -> WesternGovernment:
    return WesternGovernment(
        name,
        weight=weight,
        value_of_success=stake,
        sanctions_burden=burden,
        audience_cost=audience,
    )


def make(
    governments: tuple[WesternGovernment, ...] | None = None,
    aggregation: str = "sum",
    **changes: float,
) -> NegotiationModel:
    """The model at ``BASE`` with ``changes`` (``__`` or ``.`` separated names)."""
    west = West(governments=governments or (gov("West"),), aggregation=aggregation)
    model = dataclasses.replace(NegotiationModel(), west=west)
    dotted = {key.replace("__", "."): value for key, value in changes.items()}
    return model.with_params({**BASE, **dotted})


def build_tables(model: NegotiationModel, offers, changes=None):
    """``offer_tables.tables`` at the model's point (or at the points of ``changes``)."""
    offers = [offers] if isinstance(offers, Offer) else list(offers)
    changes = {k: np.asarray(v, dtype=float) for k, v in (changes or {}).items()}
    size = max([a.size for a in changes.values()], default=1)
    v = {
        name: np.full(size, float(value))
        for name, value, spec in model.describe()
        if spec is not None and isinstance(value, (int, float)) and not isinstance(value, bool)
    }
    names = tuple(g.name for g in model.west.governments)
    offer_values = []
    for offer in offers:
        ov = {s.name: np.full(size, float(getattr(offer, s.name))) for s in parameter_specs(Offer)}
        for g in names:
            ov[f"inducement.{g}"] = np.full(size, offer.inducement_map.get(g, 0.0))
        offer_values.append(ov)
    for key, array in changes.items():
        if key.startswith("offer."):
            offer_values[0][key[len("offer.") :]] = np.broadcast_to(array, (size,)).copy()
        else:
            v[key] = np.broadcast_to(array, (size,)).copy()
    return tables(v, names, model.west.aggregation, offers, offer_values)


def belief(*weights: float) -> np.ndarray:
    """One belief over the four types, shaped (N=1, K=1, T=4)."""
    w = np.asarray(weights, dtype=float)
    return (w / w.sum())[None, None, :]


def contest(a: float, b: float) -> float:
    return a / (a + b)


def test_base_states_every_numeric_parameter():
    """``BASE`` pins every number the game reads but the governments' (set in ``gov``)."""
    numeric = {
        name
        for name, value, spec in NegotiationModel().describe()
        if spec is not None and isinstance(value, (int, float)) and not isinstance(value, bool)
    }
    assert {n for n in numeric if not n.startswith("west.governments.")} == set(BASE)


# ====================================================================== 1. Ukraine's posterior
def test_ukraine_rejects_under_staller_belief_and_accepts_under_sincere_belief():
    """Hand-computed: a staller regroups to the ceiling in the pause and breaks the deal.

    Offer x = 0.6, tau = 0; a staller regroups to the ceiling 2 in one pause (rate 1), a
    sincere Russia not at all (rate 0).
    """
    model = make(
        russia__capability_ceiling=2.0,
        russia__regroup_rate_sincere=0.0,
        russia__regroup_rate_staller=1.0,
    )
    offer = Offer(alignment=0.6, territory=0.0)
    t = build_tables(model, offer)
    assert t.messages == ("fight", "talk")
    hold, ease = 1, 0  # profile index: bit 0 set = the one government holds

    # --- by hand (rules.py written out)
    alpha, k_u, k_strong, k_weak = 0.5, 1.0, 1.0, 0.7
    resolve, c_u, d_u, a_u, w = 0.1, 0.15, 0.95, 0.2, 0.5
    x, tau = 0.6, 0.0
    support = {hold: k_u * (1 + alpha * 1.0), ease: k_u * (1 + alpha * 0.0)}  # 1.5 and 1.0

    def ukraine_war(p):  # (1 - p)(1 + resolve) - c_U
        return (1 - p) * (1 + resolve) - c_u

    war_u = {
        (k, h): ukraine_war(contest(k_r, support[h]))
        for k, k_r in ((SS, k_strong), (SW, k_weak), (BS, k_strong), (BW, k_weak))
        for h in (hold, ease)
    }
    assert war_u[SS, hold] == pytest.approx(0.6 * 1.1 - 0.15)  # p = 1 / 2.5 = 0.4
    share = (1 - w) * x + w * (1 - tau)  # V = 0.8
    keep_u = share - a_u * tau  # 0.8
    # the staller regroups to K_bar = 2 whatever its strength; p1 = 2 / (2 + 1.5) = 4/7
    p1 = contest(2.0, 1.5)
    renewed_u = (1 - p1) * (1 + resolve) - c_u  # guarantees 0
    broken_u = (1 - d_u) * keep_u + d_u * renewed_u  # about 0.345
    # the staller breaks: renewed war against keeping the deal (sanctions at full pressure,
    # leader's removal risk after war; status retained at x = 0.6 is 0)
    s_premium, c_r, sanctions, a_r = 0.5, 0.1, 0.1, 0.2
    office, punish, r_settle, r_win, r_lose = 0.5, 0.5, 0.1, 0.02, 0.3
    retained = min(max(1 - (x - 0.15) / 0.3, 0.0), 1.0)
    assert retained == 0.0
    renewed_r = (
        p1 * (1 + s_premium)
        - c_r
        - sanctions
        - (p1 * r_win + (1 - p1) * r_lose) * (office + punish)
    )
    for pressure in (0.0, 1.0):
        keep_r = (
            1
            - share
            + s_premium * retained
            - a_r * (1 - retained)
            - sanctions * pressure
            - r_settle * (1 - retained) * (office + punish)
        )
        assert renewed_r > keep_r  # 0.517 > -0.1 - 0.1 pressure
    assert t.russia_renewed[0, BS, TALK] == pytest.approx(renewed_r)
    assert t.russia_keep[0, BS, TALK, hold] == pytest.approx(-0.2)
    # the model's tables agree with the hand values
    assert t.breaks[0, :, TALK].tolist() == [[False] * 2, [False] * 2, [True] * 2, [True] * 2]
    for k in range(4):
        for h in (hold, ease):
            assert t.ukraine_war[0, k, h] == pytest.approx(war_u[k, h])
    assert t.ukraine_accept[0, [SS, SW], TALK].ravel() == pytest.approx([keep_u] * 4)
    assert t.ukraine_accept[0, [BS, BW], TALK].ravel() == pytest.approx([broken_u] * 4)

    # --- Ukraine's choice under the two beliefs, at every profile of the West
    mu_k = 0.5  # prior_strong: the belief "staller only" is (0, 0, mu_k, 1 - mu_k)
    for h in (hold, ease):
        staller_gain = mu_k * (broken_u - war_u[BS, h]) + (1 - mu_k) * (broken_u - war_u[BW, h])
        sincere_gain = mu_k * (keep_u - war_u[SS, h]) + (1 - mu_k) * (keep_u - war_u[SW, h])
        assert staller_gain < 0 < sincere_gain
    staller_only = ukraine_accepts(t, belief(0, 0, mu_k, 1 - mu_k))
    sincere_only = ukraine_accepts(t, belief(mu_k, 1 - mu_k, 0, 0))
    assert not staller_only[0, TALK, 0].any()  # rejects at every profile
    assert sincere_only[0, TALK, 0].all()  # accepts at every profile
    assert not sincere_only[0, FIGHT].any()  # nothing to accept after "fight"
    # the receivers' continuation under each belief: war after "talk" under the staller
    # belief, a kept deal for a sincere Russia under the sincere one
    c = continuation(t, np.concatenate([belief(0, 0, 1, 1), belief(1, 1, 0, 0)], axis=1))
    assert [OUTCOMES[o] for o in c.outcome[0, TALK, 0]] == ["war"] * 4
    assert [OUTCOMES[o] for o in c.outcome[0, TALK, 1, :2]] == ["settled"] * 2


def test_a_verified_withdrawal_undoes_the_stallers_edge():
    """The case above with a verified withdrawal costing 0.1: after ``withdraw`` no type can
    break, so Ukraine values every type's deal at V = 0.8, and every type pays 0.1 whatever
    follows (war or deal)."""
    model = make(
        russia__capability_ceiling=2.0,
        russia__regroup_rate_sincere=0.0,
        russia__regroup_rate_staller=1.0,
    )
    t = build_tables(model, Offer(alignment=0.6, territory=0.0, withdrawal_cost=0.1))
    assert t.messages == ("fight", "talk", "withdraw")
    withdraw = 2
    assert t.can_break[0, :, TALK].tolist() == [False, False, True, True]
    assert not t.can_break[0, :, withdraw].any()
    assert not t.breaks[0, :, withdraw].any()
    assert t.ukraine_accept[0, :, withdraw] == pytest.approx(np.full((4, 2), 0.5 * 0.6 + 0.5))
    assert t.russia_sunk[0, :, withdraw] == pytest.approx(np.full((4, 2), 0.1))
    assert t.russia_sunk[0, :, TALK] == pytest.approx(np.zeros((4, 2)))
    staller_only = ukraine_accepts(t, belief(0, 0, 1, 1))
    assert staller_only[0, withdraw, 0].all() and not staller_only[0, TALK, 0].any()


# ====================================================================== 2. guarantees
#: Ukraine weighs only the deal and the war (no arms effect, no sanctions, no status, no leader
#: terms): p = 1/2, Ukraine's war value 1 - p - c_U = 0.35. A staller regroups to K_bar = 3
#: (p' = 3/4, edge 1/4) in the pause; guarantees G shrink the edge to (1 - G)/4.
GUARANTEE_CASE = {
    "russia.great_power_status": 0.0,
    "russia.leader.office_value": 0.0,
    "russia.leader.punishment": 0.0,
    "russia.sanctions_cost": 0.0,
    "russia.weak_capability_share": 1.0,
    "russia.capability_ceiling": 3.0,
    "russia.regroup_rate_sincere": 0.0,
    "russia.regroup_rate_staller": 1.0,
    "ukraine.resolve": 0.0,
    "west.arms_support": 0.0,
}


def _guarantee_hand(tau: float, g: float) -> dict[str, float]:
    """Ukraine's and Russia's values at alignment 0, territory tau, guarantees g (by hand)."""
    p, edge, c_r, c_u, d_u, a_u = 0.5, 0.75 - 0.5, 0.1, 0.15, 0.95, 0.2
    share = 0.5 * 0.0 + 0.5 * (1 - tau)  # V = (1 - w) x + w (1 - tau), x = 0
    keep_u = share - a_u * tau
    p1 = p + (1 - g) * edge
    keep_r = 1 - share  # no premium, no sanctions, no leader terms, R(0) = 1
    renewed_r = p1 - c_r
    breaks = g < 1 and renewed_r > keep_r
    renewed_u = (1 - p1) - (1 - g) * c_u  # guarantees bear the share g of Ukraine's cost
    broken_u = (1 - d_u) * keep_u + d_u * renewed_u
    return {
        "war_u": (1 - p) - c_u,
        "keep_u": keep_u,
        "staller_u": broken_u if breaks else keep_u,
        "breaks": breaks,
    }


def test_guarantees_are_not_alignment_a_bad_deal_stays_rejected():
    """Alignment 0, territory 0.25: the kept deal is worth 0.325 < 0.35 to Ukraine.

    Guarantees only act on the renewal risk; they never make a bad kept deal good, so Ukraine
    rejects with and without them, under every belief, and the game ends in war.
    """
    model = make(**GUARANTEE_CASE)
    for g in (0.0, 0.5, 0.8, 1.0):
        hand = _guarantee_hand(0.25, g)
        assert hand["keep_u"] == pytest.approx(0.325)
        assert hand["war_u"] == pytest.approx(0.35)
        assert hand["staller_u"] < hand["war_u"]
        offer = Offer(alignment=0.0, territory=0.25, security_guarantees=g)
        t = build_tables(model, offer)
        # a sincere Russia's deal is worth the same to Ukraine whatever the guarantees
        assert t.ukraine_accept[0, [SS, SW], TALK].ravel() == pytest.approx([0.325] * 4)
        assert t.ukraine_accept[0, BS, TALK] == pytest.approx([hand["staller_u"]] * 2)
        assert t.breaks[0, BS, TALK, 0] == hand["breaks"]
        for weights in ((1, 1, 1, 1), (1, 1, 0, 0), (0, 0, 1, 1)):
            assert not ukraine_accepts(t, belief(*weights))[0, TALK].any()
        result = solve_offer_game(model, offer)
        assert result.war_probability == 1.0
    # while a little more alignment (V up by 0.05) is accepted: guarantees are not alignment
    t = build_tables(model, Offer(alignment=0.1, territory=0.25))  # V = 0.05 + 0.375
    assert t.ukraine_accept[0, SS, TALK, 0] == pytest.approx(0.425 - 0.05)
    assert ukraine_accepts(t, belief(1, 1, 0, 0))[0, TALK].all()


def test_guarantees_flip_a_rejection_when_they_remove_enough_renewal_risk():
    """Alignment 0, territory 0: the kept deal is worth 0.5 > 0.35 to Ukraine.

    Without guarantees the staller breaks (p1 = 3/4: renewed war 0.65 > deal 0.5) and a broken
    deal is worth 0.05 x 0.5 + 0.95 (0.25 - 0.15) = 0.12 to Ukraine: rejected under the staller
    belief and under the prior (0.5 x 0.15 + 0.5 x (0.12 - 0.35) = -0.04 < 0). Guarantees 0.8
    shrink the shift to p1 = 0.55 (renewed war 0.45 < 0.5): the staller keeps the deal and
    Ukraine accepts. Guarantees 0.5 leave the break (p1 = 0.625, renewed war 0.525 > 0.5) but
    bear half of Ukraine's renewed-war cost: a broken deal is worth 0.31, still below 0.35
    (the staller belief rejects), yet the prior accepts (0.5 x 0.15 - 0.5 x 0.04 = 0.055).
    """
    model = make(**GUARANTEE_CASE)
    hand0, hand5, hand8 = (_guarantee_hand(0.0, g) for g in (0.0, 0.5, 0.8))
    assert (hand0["breaks"], hand5["breaks"], hand8["breaks"]) == (True, True, False)
    assert hand0["staller_u"] == pytest.approx(0.12)
    assert hand5["staller_u"] == pytest.approx(0.31)
    assert hand8["staller_u"] == pytest.approx(0.5)
    prior, staller = belief(1, 1, 1, 1), belief(0, 0, 1, 1)
    expected = {  # g: (accepts under the prior, under the staller belief)
        0.0: (0.5 * (0.5 - 0.35) + 0.5 * (hand0["staller_u"] - 0.35) >= 0, False),
        0.5: (0.5 * (0.5 - 0.35) + 0.5 * (hand5["staller_u"] - 0.35) >= 0, False),
        0.8: (True, True),
    }
    assert expected[0.0][0] is False and expected[0.5][0] is True
    for g, (under_prior, under_staller) in expected.items():
        t = build_tables(model, Offer(alignment=0.0, territory=0.0, security_guarantees=g))
        assert t.ukraine_accept[0, BS, TALK] == pytest.approx(
            [_guarantee_hand(0, g)["staller_u"]] * 2
        )
        assert bool(ukraine_accepts(t, prior)[0, TALK, 0].all()) is under_prior
        assert bool(ukraine_accepts(t, staller)[0, TALK, 0].all()) is under_staller
    # in the game: war without guarantees, a kept deal with G = 0.8
    none = solve_offer_game(model, Offer(alignment=0.0, security_guarantees=0.0))
    strong = solve_offer_game(model, Offer(alignment=0.0, security_guarantees=0.8))
    assert none.war_probability == 1.0
    assert strong.settlement_probability == 1.0


# ====================================================================== 3. identical types
@settings(max_examples=60, deadline=None)
@given(
    prior_sincere=st.floats(0.02, 0.98),
    prior_strong=st.floats(0.02, 0.98),
    capability=st.floats(0.3, 3.0),
    ceiling=st.floats(0.3, 4.0),
    rate=st.floats(0.0, 1.0),
    premium=st.floats(0.0, 2.0),
    x_dom=st.floats(0.0, 1.0),
    sanctions=st.floats(0.0, 0.5),
    war_cost=st.floats(0.0, 0.5),
    arms=st.floats(0.0, 2.0),
    alignment=st.floats(0.0, 1.0),
    territory=st.floats(0.0, 1.0),
    guarantees=st.floats(0.0, 1.0),
    withdrawal=st.sampled_from([0.0, 0.05, 0.2]),
    removal=st.floats(0.0, 1.0),
)
def test_identical_types_behave_identically_and_posterior_is_prior(
    prior_sincere,
    prior_strong,
    capability,
    ceiling,
    rate,
    premium,
    x_dom,
    sanctions,
    war_cost,
    arms,
    alignment,
    territory,
    guarantees,
    withdrawal,
    removal,
):
    model = make(
        russia__prior_sincere=prior_sincere,
        russia__prior_strong=prior_strong,
        russia__capability=capability,
        russia__weak_capability_share=1.0,
        russia__capability_ceiling=ceiling,
        russia__regroup_rate_sincere=rate,
        russia__regroup_rate_staller=rate,
        russia__great_power_status=premium,
        russia__dominance_threshold=x_dom,
        russia__sanctions_cost=sanctions,
        russia__war_cost=war_cost,
        russia__leader__removal_if_settle=removal,
        west__arms_support=arms,
    )
    offer = Offer(
        alignment=alignment,
        territory=territory,
        security_guarantees=guarantees,
        withdrawal_cost=withdrawal,
    )
    result = solve_offer_game(model, offer)
    eq = result.selected
    assert eq is not None
    assert len(set(eq.sends.values())) == 1
    assert len(set(eq.ends_in.values())) == 1
    assert eq.ends_in[TYPES[0]] != "broken"  # no edge, no break
    assert eq.kind == "pooling"
    sent = eq.sends[TYPES[0]]
    assert eq.on_path[sent]
    assert eq.beliefs[sent]["sincere"] == pytest.approx(prior_sincere, abs=1e-12)
    assert eq.beliefs[sent]["weak"] == pytest.approx(1 - prior_strong, abs=1e-12)
    payoffs = [result.payoffs["Russia"][name] for name in TYPES]
    assert max(payoffs) - min(payoffs) <= 1e-12
    assert result.certificate <= result.tolerance


# ====================================================================== 4. arms and sanctions
def _russia_war_by_hand(k_r, alpha, sanctions, s_premium=0.5):
    """Russia's war value at full Western support (every government holds), by hand."""
    p = k_r / (k_r + 1.0 * (1 + alpha * 1.0))  # K_R / (K_R + K_U (1 + alpha pi_A))
    retained_if_lose = min(max(1 - (1.0 - 0.15) / 0.3, 0.0), 1.0)  # 0
    leader = (p * 0.02 + (1 - p) * 0.3) * (0.5 + 0.5)
    return p * (1 + s_premium) + (1 - p) * s_premium * retained_if_lose - 0.1 - sanctions - leader


def test_arms_support_raises_ukraines_win_probability_and_lowers_russias_war_value():
    # An offer Russia never makes (full alignment, nothing kept): every type fights on, and
    # the West (audience cost 0.3 > burden 0.2) holds after "fight".
    model = make((gov("West", audience=0.3),))
    alpha = np.linspace(0.0, 2.0, 9)
    out = solve_offer_game_batch(model, Offer(alignment=1.0), {"west.arms_support": alpha})
    ukraine_wins = 1 - out["win_probability"]
    hand = [
        1 - 0.5 * (1 / (1 + (1 + a))) - 0.5 * (0.7 / (0.7 + (1 + a))) for a in alpha
    ]  # prior-weighted over strong (K = 1) and weak (K = 0.7)
    assert ukraine_wins == pytest.approx(hand)
    assert np.all(np.diff(ukraine_wins) > 0)
    assert np.all(out["ease.fight.West"] == 0)
    for k, name in enumerate(TYPES):
        assert np.all(out[f"message.{name}.fight"] == 1)
        war = out[f"payoff.russia.{name}"]
        k_r = 1.0 if k in (SS, BS) else 0.7
        assert war == pytest.approx([_russia_war_by_hand(k_r, a, 0.1) for a in alpha])
        assert np.all(np.diff(war) < 0)
        assert out[f"win_probability.{name}"] == pytest.approx(k_r / (k_r + 1 + alpha))


def test_sanctions_lower_russias_war_value():
    model = make((gov("West", audience=0.3),))
    cost = np.linspace(0.0, 0.3, 7)
    out = solve_offer_game_batch(model, Offer(alignment=1.0), {"russia.sanctions_cost": cost})
    for k, name in enumerate(TYPES):
        assert np.all(out[f"message.{name}.fight"] == 1)
        k_r = 1.0 if k in (SS, BS) else 0.7
        war = out[f"payoff.russia.{name}"]
        # sanctions_loss = s x cohesion (1) x pressure (1, the West holds)
        assert war == pytest.approx([_russia_war_by_hand(k_r, 0.5, s) for s in cost])
        assert np.diff(war) == pytest.approx(-np.diff(cost))
        assert np.all(np.diff(war) < 0)


# ====================================================================== 5. the weakest link
def _coalition(hungary_stake: float, hungary_burden: float) -> tuple[WesternGovernment, ...]:
    return (
        gov("US", weight=3, stake=1.5, burden=0.05),
        gov("Germany", weight=2, stake=1.0, burden=0.08),
        gov("Hungary", weight=1, stake=hungary_stake, burden=hungary_burden),
    )


#: One strength, no status premium, no leader terms, no Russian audience cost; a staller
#: regroups to K_bar = 4 (p' = 4/6 against Ukraine's full support 1 + 1 = 2) and breaks.
COALITION_CASE = {
    "russia.great_power_status": 0.0,
    "russia.leader.office_value": 0.0,
    "russia.leader.punishment": 0.0,
    "russia.audience_cost": 0.0,
    "russia.weak_capability_share": 1.0,
    "russia.capability_ceiling": 4.0,
    "russia.regroup_rate_sincere": 0.0,
    "russia.regroup_rate_staller": 1.0,
    "ukraine.resolve": 0.0,
    "west.arms_support": 1.0,
}


def test_low_stake_high_burden_government_eases_first():
    """US (w 3, stake 1.5, burden 0.05), Germany (w 2, 1.0, 0.08), Hungary (w 1, 0.2, 0.3).

    Offer x = 0.6, tau = 0 with full sanctions relief, prior sincere 0.5. By hand (p = 1/3 at
    full arms, K_U = 2; Hungary alone easing leaves arms 5/6, K_U = 11/6, p = 6/17):
    Ukraine's war value is 2/3 - 0.15 = 0.5167 at full arms and 11/17 - 0.15 = 0.4971 at 5/6.
    A kept deal is worth V = 0.8; a broken one 0.05 x 0.8 + 0.95 (1/3 - 0.15) = 0.2142; at the
    prior 0.5 x 0.8 + 0.5 x 0.2142 = 0.5071, so Ukraine accepts iff someone eases.
    """
    model = make(_coalition(0.2, 0.3), **COALITION_CASE)
    offer = Offer(alignment=0.6, territory=0.0, sanctions_relief=1.0)
    d_u, audience = 0.95, 0.2
    war_full = (1 - 1 / 3) - 0.15
    war_hungary_eases = (1 - 6 / 17) - 0.15
    keep_u = 0.5 * 0.6 + 0.5 * 1.0
    broken_u = (1 - d_u) * keep_u + d_u * ((1 - 4 / 6) - 0.15)
    deal_u = 0.5 * keep_u + 0.5 * broken_u
    assert war_hungary_eases <= deal_u < war_full

    def deal(stake, burden, eases):
        """A government's payoff when Ukraine signs: its stake in Ukraine's value, minus its
        burden if it holds, minus its audience cost (times d_U) if it eases and the deal breaks.
        """
        settled = stake * keep_u - (0.0 if eases else burden)
        broken = stake * broken_u - (audience * d_u if eases else burden)
        return 0.5 * settled + 0.5 * broken

    def war(stake, burden):  # everyone holds, Ukraine rejects
        return stake * war_full - burden

    # Hungary, the others holding: easing gets the deal accepted, which it prefers to war
    assert deal(0.2, 0.3, eases=True) == pytest.approx(0.0064167, abs=1e-6)
    assert deal(0.2, 0.3, eases=True) > war(0.2, 0.3)
    for stake, burden in ((1.5, 0.05), (1.0, 0.08)):
        # the US and Germany, Hungary easing (Ukraine signs either way): holding spares them
        # the audience cost of a broken deal, which outweighs their small burdens
        assert deal(stake, burden, eases=False) > deal(stake, burden, eases=True)
        # nor would either ease in Hungary's place: their high stakes prefer the war
        assert war(stake, burden) > deal(stake, burden, eases=True)

    result = solve_offer_game(model, offer)
    eq = result.selected
    assert eq.on_path["talk"]
    assert eq.west["talk"] == {"US": 0.0, "Germany": 0.0, "Hungary": 1.0}  # P(eases)
    assert eq.acceptance["talk"] == 1.0
    assert result.payoffs["Hungary"]["expected"] == pytest.approx(deal(0.2, 0.3, eases=True))
    assert result.row["arms.talk"] == pytest.approx(5 / 6)
    assert result.payoffs["Ukraine"]["expected"] == pytest.approx(deal_u)
    assert result.settlement_probability == 0.5
    assert result.renewed_war_probability == 0.5


def test_inducement_moves_a_government_from_holding_to_easing_at_russias_cost():
    """Hungary (stake 0.2, burden 0.05) holds; an inducement of 0.3 makes it ease.

    Ukraine's war cost 0.3 makes it accept at every profile; each government then eases iff its
    burden plus the inducement beats the audience cost it bears when the deal is broken,
    0.2 x 0.95 x P(staller) = 0.095 (prior 0.5). Hungary: 0.05 < 0.095 holds; 0.05 + 0.3 > 0.095
    eases. The outcome is the same (sincere settles, staller breaks): with full sanctions
    relief Russia's payoff is the same but for the 0.3 it pays. By hand: keep 1 - 0.8 = 0.2;
    renewed war (2/3)(1.5) - 0.65 - 0.1 = 0.25 > 0.2, so the staller breaks:
    0.05 x 0.2 + 0.95 x 0.25 = 0.2475.
    """
    model = make(
        _coalition(0.2, 0.05),
        **{
            **COALITION_CASE,
            "ukraine.war_cost": 0.3,
            "russia.war_cost": 0.65,
            "russia.great_power_status": 0.5,
        },
    )
    plain = Offer(alignment=0.6, territory=0.0, sanctions_relief=1.0)
    wedge = plain.with_values(inducements={"Hungary": 0.3})
    before, after = solve_offer_game(model, plain), solve_offer_game(model, wedge)
    assert before.selected.west["talk"]["Hungary"] == 0.0
    assert after.selected.west["talk"]["Hungary"] == 1.0
    for result in (before, after):
        assert result.selected.on_path["talk"]
        assert result.selected.west["talk"]["US"] == 0.0
        assert result.selected.west["talk"]["Germany"] == 0.0
    assert before.selected.ends_in == after.selected.ends_in
    keep_r = 1 - (0.5 * 0.6 + 0.5 * 1.0)
    renewed_r = (4 / 6) * 1.5 - 0.65 - 0.1
    broken_r = 0.05 * keep_r + 0.95 * renewed_r
    for k, name in enumerate(TYPES):
        paid = before.payoffs["Russia"][name] - after.payoffs["Russia"][name]
        assert paid == pytest.approx(0.3, abs=1e-12)
        hand = keep_r if k in (SS, SW) else broken_r
        assert before.payoffs["Russia"][name] == pytest.approx(hand)
    # Hungary gets the inducement
    assert after.payoffs["Hungary"]["expected"] > before.payoffs["Hungary"]["expected"]
    # the tables: at the same terminal history Russia pays 0.3 exactly where Hungary eases
    t0, t1 = build_tables(model, plain), build_tables(model, wedge)
    hungary_eases = ~t0.hold[:, 2]
    paid = t0.russia_accept[0, :, TALK] - t1.russia_accept[0, :, TALK]  # (T, P)
    assert paid == pytest.approx(np.broadcast_to(0.3 * hungary_eases, paid.shape))
    assert t1.russia_sunk[0, 0, TALK] == pytest.approx(0.3 * hungary_eases)
    assert t1.russia_sunk[0, :, FIGHT] == pytest.approx(np.zeros((4, 8)))


# ====================================================================== 6. the leader
#: One type (see IDENTICAL); the leader fears removal only after a settlement (removal after
#: war 0), so the state's war value is Russia's: p = 0.4 at full support, war worth
#: 0.4 x 1.5 - 0.1 - 0.1 = 0.4. The offer x = 0.3, tau = 0.2 keeps half the premium
#: (R(0.3) = 0.5): V = 0.15 + 0.4 = 0.55, and the deal is worth (the West eases after it)
#: 0.45 + 0.5 x 0.5 - 0.2 x 0.5 - r_settle x 0.5 x (office + punishment) = 0.6 - 1.5 r_settle
#: with office 1 and punishment 2; to the state alone (office = punishment = 0) 0.6.
LEADER_CASE = {
    **IDENTICAL,
    "russia.leader.removal_if_win": 0.0,
    "russia.leader.removal_if_lose": 0.0,
}


def test_removal_risk_after_settlement_makes_russia_fight_where_the_state_would_settle():
    offer = Offer(alignment=0.3, territory=0.2)
    state = make(**LEADER_CASE, **{"russia.leader.removal_if_settle": 0.3}).with_params(
        russia__leader__office_value=0.0, russia__leader__punishment=0.0
    )
    leader = state.with_params(russia__leader__office_value=1.0, russia__leader__punishment=2.0)
    war = 0.4 * 1.5 - 0.1 - 0.1
    retained = 1 - (0.3 - 0.15) / 0.3
    deal_state = 1 - 0.55 + 0.5 * retained - 0.2 * (1 - retained)
    deal_leader = deal_state - 0.3 * (1 - retained) * (1.0 + 2.0)
    assert (deal_state, deal_leader, war) == pytest.approx((0.6, 0.15, 0.4))
    settles = solve_offer_game(state, offer)
    fights = solve_offer_game(leader, offer)
    assert settles.settlement_probability == 1.0
    assert settles.payoffs["Russia"]["expected"] == pytest.approx(deal_state)
    assert fights.war_probability == 1.0
    assert set(fights.selected.sends.values()) == {"fight"}
    assert fights.payoffs["Russia"]["expected"] == pytest.approx(war)
    # the leader fights on once 0.6 - 1.5 r_settle < 0.4: r_settle > 2/15
    (point,) = switch_points(leader, offer, "russia.leader.removal_if_settle", 0.0, 1.0, tol=1e-9)
    assert point == pytest.approx(2 / 15, abs=1e-8)


def test_removal_risk_after_settlement_makes_a_staller_break_where_the_state_would_keep():
    # The default regroup rates (0.05 sincere, 0.25 staller, ceiling 1.5) give the staller a
    # small edge: p1 = 0.4 + 1.125/2.625 - 1.025/2.525 = 0.4226; renewed war (full sanctions)
    # 1.5 p1 - 0.2 = 0.4339. The state keeps a deal worth 0.6; the leader's deal is worth
    # 0.6 - 1.5 r_settle, below renewed war once r_settle > 0.1107 (and below war now, 0.4,
    # once r_settle > 2/15). At r_settle = 0.12 the sincere Russia settles (0.42) and the
    # staller signs and breaks (0.05 x 0.42 + 0.95 x 0.4339 = 0.4332 > 0.4).
    case = {**LEADER_CASE, "russia.regroup_rate_staller": 0.25}
    state = make(**case, **{"russia.leader.removal_if_settle": 0.12}).with_params(
        russia__leader__office_value=0.0, russia__leader__punishment=0.0
    )
    leader = state.with_params(russia__leader__office_value=1.0, russia__leader__punishment=2.0)
    offer = Offer(alignment=0.3, territory=0.2)
    p1 = 0.4 + 1.125 / 2.625 - 1.025 / 2.525
    renewed = 1.5 * p1 - 0.1 - 0.1
    threshold = (0.6 - renewed) / 1.5
    kept = solve_offer_game(state, offer)
    broken = solve_offer_game(leader, offer)
    assert kept.settlement_probability == 1.0
    assert broken.selected.ends_in == {
        "sincere strong": "settled",
        "sincere weak": "settled",
        "staller strong": "broken",
        "staller weak": "broken",
    }
    assert broken.payoffs["Russia"]["sincere"] == pytest.approx(0.6 - 1.5 * 0.12)
    assert broken.payoffs["Russia"]["staller"] == pytest.approx(
        0.05 * (0.6 - 1.5 * 0.12) + 0.95 * renewed
    )
    points = switch_points(leader, offer, "russia.leader.removal_if_settle", 0.0, 1.0, tol=1e-9)
    assert points == pytest.approx([threshold, 2 / 15], abs=1e-8)


# ====================================================================== 7. status
def test_a_truly_neutral_offer_costs_russia_half_its_status():
    assert rules.status_retained(0.3, 0.15, 0.3) == 0.5 < 1
    assert rules.status_value(0.3, 0.5, 0.15, 0.3) == pytest.approx(0.25)


@settings(max_examples=200, deadline=None)
@given(
    x=st.floats(0.0, 1.0),
    dx=st.floats(0.0, 0.2),
    x_dom=st.floats(0.0, 1.0),
    span=st.floats(1e-3, 1.0),
)
def test_status_loss_is_continuous_and_monotone_in_alignment(x, dx, x_dom, span):
    here = rules.status_retained(x, x_dom, span)
    there = rules.status_retained(min(x + dx, 1.0), x_dom, span)
    assert 0.0 <= there <= here <= 1.0  # non-increasing, in [0, 1]
    assert here - there <= (min(x + dx, 1.0) - x) / span + 1e-12  # Lipschitz: continuous
    if x <= x_dom:
        assert here == 1.0  # all of the premium up to the dominance threshold
    if x >= x_dom + span:
        assert here == 0.0  # none beyond x_dom + span
    if x_dom < x < x_dom + span:
        assert here == pytest.approx(1 - (x - x_dom) / span)  # linear between


# ====================================================================== 8. signalling strength
def test_an_offer_only_a_weak_russia_makes_reveals_weakness():
    """A weak Russia (K = 0.3) offers x = 0.5; a strong one (K = 1) fights on.

    By hand (full support after "fight": K_U = 1.5): strong p = 0.4, war worth
    0.4 x 1.5 - 0.1 - 0.1 - (0.4 x 0.02 + 0.6 x 0.3) = 0.212; weak p = 1/6, war worth
    0.25 - 0.2 - (0.02/6 + 0.3 x 5/6) = -0.2033. The deal (V = 0.75, no status kept, the West
    eases) is worth 0.25 - 0.2 - 0.1 = -0.05: between the two.
    """
    model = make(russia__weak_capability_share=0.3, russia__regroup_rate_staller=0.05)
    result = solve_offer_game(model, Offer(alignment=0.5))
    war_strong = 0.4 * 1.5 - 0.2 - (0.4 * 0.02 + 0.6 * 0.3)
    p_weak = 0.3 / 1.8
    war_weak = p_weak * 1.5 - 0.2 - (p_weak * 0.02 + (1 - p_weak) * 0.3)
    deal = 1 - 0.75 - 0.2 * 1 - 0.1 * 1 * (0.5 + 0.5)
    assert war_weak < deal < war_strong
    eq = result.selected
    assert eq.sends == {
        "sincere strong": "fight",
        "sincere weak": "talk",
        "staller strong": "fight",
        "staller weak": "talk",
    }
    assert result.row["posterior_weak.talk"] == 1.0 > 1 - 0.5
    assert eq.beliefs["talk"]["sincere"] == pytest.approx(0.5)  # sincerity is not revealed
    assert result.payoffs["Russia"]["sincere strong"] == pytest.approx(war_strong)
    assert result.payoffs["Russia"]["sincere weak"] == pytest.approx(deal)


# ====================================================================== 9. Fearon's range
FEARON = {
    **IDENTICAL,
    "russia.leader.office_value": 0.0,
    "russia.leader.punishment": 0.0,
    "russia.audience_cost": 0.0,
    "ukraine.audience_cost": 0.0,
    "ukraine.resolve": 0.0,
    "west.arms_support": 0.0,
    "territory_weight": 0.0,
    "russia.optimism": 0.0,
    "russia.sanctions_cost": 0.0,
    "russia.status_loss_span": 1e-6,
}


def test_one_period_game_reduces_to_fearons_bargaining_range_with_status():
    model = make(**FEARON)
    x, k_r, premium, x_dom, c_r, c_u = np.meshgrid(
        np.linspace(0.0, 1.0, 101),
        [0.5, 1.0, 2.0],
        [0.0, 0.3, 1.0],
        [0.1, 0.6],
        [0.05, 0.2],
        [0.05, 0.2],
        indexing="ij",
    )
    out = solve_offer_game_batch(
        model,
        Offer(),
        {
            "offer.alignment": x,
            "russia.capability": k_r,
            "russia.great_power_status": premium,
            "russia.dominance_threshold": x_dom,
            "russia.war_cost": c_r,
            "ukraine.war_cost": c_u,
        },
    )
    assert np.all(out["certificate"] <= out["tolerance"])
    settled = out["settlement_probability"] == 1.0
    assert np.all(settled | (out["war_probability"] == 1.0))
    p = k_r / (k_r + 1.0)
    # by hand: Russia settles iff 1 - x + S 1{x <= x_dom} >= p (1 + S) - c_R, Ukraine iff
    # x >= 1 - p - c_U (territory weight 0: V = x; resolve 0)
    russia_ok = 1 - x + premium * (x <= x_dom) >= p * (1 + premium) - c_r
    ukraine_ok = x >= 1 - p - c_u
    published = status_settlements(p, c_r, c_u, premium, x_dom)
    low, high = np.nan_to_num(published.low, nan=2.0), np.nan_to_num(published.high, nan=-1.0)
    in_range = (x >= low) & (x <= high)
    # away from ties (the bounds themselves) and from the tiny span beyond x_dom
    general = (
        (np.abs(x - low) > 1e-9)
        & (np.abs(x - high) > 1e-9)
        & (np.abs(x - (1 - p * (1 + premium) + c_r)) > 1e-9)
        & (np.abs(x - (1 + premium - p * (1 + premium) + c_r)) > 1e-9)
        & (np.abs(x - (1 - p - c_u)) > 1e-9)
        & ~((x > x_dom) & (x < x_dom + 2e-6))
    )
    assert general.sum() > 0.9 * general.size
    assert np.array_equal(settled[general], in_range[general])
    assert np.array_equal(settled[general], (russia_ok & ukraine_ok)[general])
    assert 0 < settled.mean() < 1
    # S = 0: the textbook interval p - c_R <= 1 - x <= p + c_U on Russia's share
    textbook = (1 - x >= p - c_r) & (1 - x <= p + c_u)
    flat = (premium == 0.0) & general
    assert np.array_equal(settled[flat], textbook[flat])


# ====================================================================== 10. certificates
GOVERNMENT_FIELDS = {
    "weight": (0.1, 3.0),
    "sanctions_burden": (0.0, 0.5),
    "value_of_success": (0.0, 2.0),
    "audience_cost": (0.0, 0.5),
}
SWEEP = {
    "russia.great_power_status": (0.0, 2.0),
    "russia.dominance_threshold": (0.0, 1.0),
    "russia.status_loss_span": (0.01, 1.0),
    "russia.sanctions_cost": (0.0, 0.5),
    "russia.war_cost": (0.0, 0.5),
    "russia.capability": (0.2, 3.0),
    "russia.weak_capability_share": (0.1, 1.0),
    "russia.prior_strong": (0.02, 0.98),
    "russia.capability_ceiling": (0.2, 4.0),
    "russia.regroup_rate_sincere": (0.0, 1.0),
    "russia.regroup_rate_staller": (0.0, 1.0),
    "russia.discount_factor": (0.0, 0.99),
    "russia.prior_sincere": (0.02, 0.98),
    "russia.optimism": (-0.3, 0.3),
    "russia.audience_cost": (0.0, 0.5),
    "russia.leader.office_value": (0.0, 2.0),
    "russia.leader.punishment": (0.0, 3.0),
    "russia.leader.removal_if_settle": (0.0, 1.0),
    "russia.leader.removal_if_win": (0.0, 1.0),
    "russia.leader.removal_if_lose": (0.0, 1.0),
    "ukraine.war_cost": (0.0, 0.5),
    "ukraine.capability": (0.2, 3.0),
    "ukraine.discount_factor": (0.0, 0.99),
    "ukraine.audience_cost": (0.0, 0.5),
    "ukraine.resolve": (0.0, 0.5),
    "west.western_cohesion": (0.0, 1.0),
    "west.cohesion_threshold": (0.0, 1.0),
    "west.arms_support": (0.0, 2.0),
    "west.security_guarantee_credibility": (0.0, 1.0),
    "territory_weight": (0.0, 1.0),
    "contest_exponent": (0.5, 3.0),
    "offer.alignment": (0.0, 1.0),
    "offer.security_guarantees": (0.0, 1.0),
    "offer.territory": (0.0, 1.0),
    "offer.sanctions_relief": (0.0, 1.0),
    "offer.withdrawal_cost": (0.0, 0.3),
}
POINTS = 24


@st.composite
def sweeps(draw):
    """A model with one to three governments and ``POINTS`` random points of every parameter."""
    n = draw(st.integers(1, 3))
    aggregation = draw(st.sampled_from(["sum", "weakest_link", "threshold"]))
    names = ["US", "Germany", "Hungary"][:n]
    ranges = dict(SWEEP)
    for name in names:
        for field, bounds in GOVERNMENT_FIELDS.items():
            ranges[f"west.governments.{name}.{field}"] = bounds
        ranges[f"offer.inducement.{name}"] = (0.0, 0.3)
    changes = {
        key: draw(arrays(np.float64, POINTS, elements=st.floats(low, high)))
        for key, (low, high) in ranges.items()
    }
    return make(tuple(gov(name) for name in names), aggregation=aggregation), changes


@settings(max_examples=20, deadline=None)
@given(sweeps())
def test_every_certificate_is_within_tolerance_and_outcomes_sum_to_one(sweep):
    model, changes = sweep
    out = solve_offer_game_batch(model, Offer(), changes)
    found = out["found"].astype(bool)
    assert found.mean() >= 0.5
    assert np.all(out["certificate"][found] <= out["tolerance"][found])
    assert np.all(out["certificate"][found] >= 0)
    # tolerance = 1e-9 x max(1, payoff span), the span over every payoff of the tables
    t = build_tables(model, Offer(), changes)
    pays = [t.russia_war, t.russia_accept, t.ukraine_by_outcome, t.government]
    flat = np.concatenate([a.reshape(POINTS, -1) for a in pays], axis=1)
    span = np.nanmax(flat, axis=1) - np.nanmin(flat, axis=1)
    assert out["tolerance"] == pytest.approx(1e-9 * np.maximum(1.0, span), rel=1e-12)
    # settled + broken + war = 1 for every type, each sincerity group and overall
    for group in (*TYPES, "sincere", "staller"):
        total = sum(out[f"outcome.{group}.{o}"][found] for o in OUTCOMES)
        assert total == pytest.approx(np.ones(found.sum()))
    pure = found & (out["method"] == "pure-strategy search")
    for name in TYPES:  # in a pure-strategy equilibrium each type reaches exactly one outcome
        assert np.all(np.isin(out[f"outcome.{name}.settled"][pure], (0.0, 1.0)))
    overall = (
        out["settlement_probability"] + out["renewed_war_probability"] + out["war_probability"]
    )
    assert overall[found] == pytest.approx(np.ones(found.sum()))
    # a sincere Russia never breaks
    assert np.all(out["outcome.sincere.broken"][found] == 0)
    for n in np.flatnonzero(pure):  # mixed ones are checked on the tree (test_offer_tree.py)
        _check_on_path(t, out, n)


def _accepts(t, n: int, m: int, mu: np.ndarray, profile: int) -> bool:
    """Ukraine's best reply after message ``m`` at ``profile``, belief ``mu`` (ties accept)."""
    if m == FIGHT:
        return False
    gain = mu @ (t.ukraine_accept[n, :, m, profile] - t.ukraine_war[n, :, profile])
    return bool(gain >= -t.tol[n])


def _government(t, n: int, m: int, mu: np.ndarray, i: int, profile: int) -> float:
    """Government ``i``'s expected payoff after ``m`` at ``profile``, Ukraine best-replying."""
    if _accepts(t, n, m, mu, profile):
        by_type = np.where(
            t.breaks[n, :, m, profile],
            t.government[n, i, :, m, profile, 1],
            t.government[n, i, :, m, profile, 0],
        )
    else:
        by_type = t.government[n, i, :, m, profile, 2]
    return float(mu @ by_type)


def _check_on_path(t, out, n: int) -> None:
    """Sequential rationality on the path at point ``n``, from the tables alone.

    With the beliefs of Bayes' rule after every message sent: Ukraine's choice at the selected
    profile of the West is a best reply, no government gains by flipping its own action, each
    type's payoff is what its message brings, and no type gains by sending another sent
    message.
    """
    tol = out["tolerance"][n]
    sent = [m for m, label in enumerate(t.messages) if out[f"on_path.{label}"][n] == 1.0]
    reply = {}  # message -> each type's payoff from it
    for m in sent:
        label = t.messages[m]
        senders = np.array([out[f"message.{name}.{label}"][n] == 1.0 for name in TYPES])
        mu = t.prior[n] * senders
        mu = mu / mu.sum()
        assert out[f"posterior.{label}"][n] == pytest.approx(mu[:2].sum(), abs=1e-12)
        assert out[f"posterior_weak.{label}"][n] == pytest.approx(mu[[1, 3]].sum(), abs=1e-12)
        h = sum(1 << i for i, g in enumerate(t.names) if out[f"ease.{label}.{g}"][n] == 0.0)
        accepted = _accepts(t, n, m, mu, h)
        if m != FIGHT:
            assert out[f"acceptance.{label}"][n] == float(accepted)
        for i in range(len(t.names)):
            stay, flip = _government(t, n, m, mu, i, h), _government(t, n, m, mu, i, h ^ (1 << i))
            assert stay >= flip - tol
        if accepted:
            russia = t.russia_accept[n, :, m, h]
        else:
            russia = t.russia_war[n, :, h] - t.russia_sunk[n, :, m, h]
        reply[m] = russia
        for k, name in enumerate(TYPES):
            if senders[k]:
                assert out[f"payoff.russia.{name}"][n] == pytest.approx(russia[k], abs=1e-12)
    for k, name in enumerate(TYPES):
        for m in sent:
            assert reply[m][k] <= out[f"payoff.russia.{name}"][n] + tol


def test_tolerance_scales_with_the_payoff_span():
    small = solve_offer_game(make(), Offer(alignment=0.3))
    assert small.tolerance == 1e-9  # every payoff within one unit of the stake
    # a leader punished by 100 after removal: Russia's war value is about -26 (p = 0.4,
    # removal 0.4 x 0.02 + 0.6 x 0.3 = 0.188, office 40 + punishment 100), so the span > 26
    big_model = make(russia__leader__punishment=100.0, russia__leader__office_value=40.0)
    big = solve_offer_game(big_model, Offer(alignment=0.3))
    war_strong = 0.4 * 1.5 - 0.2 - 0.188 * 140
    t = build_tables(big_model, Offer(alignment=0.3))
    assert t.russia_war[0, SS, 1] == pytest.approx(war_strong)
    assert big.tolerance >= 1e-9 * (0.6 - war_strong)
    assert big.certificate <= big.tolerance


# ====================================================================== 11. menus
def test_russia_picks_the_better_of_two_accepted_offers():
    """A (x = 0.2) and B (x = 0.4), both with tau = 0.2, both accepted; A is better for Russia.

    By hand (the West eases after a deal): A keeps R(0.2) = 5/6 of the premium,
    1 - 0.5 + 0.5 x 5/6 - 0.2/6 - 0.1/6 = 0.8667; B keeps R(0.4) = 1/6,
    1 - 0.6 + 0.5/6 - 0.2 x 5/6 - 0.1 x 5/6 = 0.2333.
    """
    model = make(**IDENTICAL)
    a = Offer(name="A", alignment=0.2, territory=0.2)
    b = Offer(name="B", alignment=0.4, territory=0.2)
    value_a = 1 - 0.5 + 0.5 * 5 / 6 - 0.2 / 6 - 0.1 / 6
    value_b = 1 - 0.6 + 0.5 / 6 - 0.2 * 5 / 6 - 0.1 * 5 / 6
    alone_a, alone_b = solve_offer_game(model, a), solve_offer_game(model, b)
    assert alone_a.settlement_probability == alone_b.settlement_probability == 1.0
    assert alone_a.payoffs["Russia"]["expected"] == pytest.approx(value_a)
    assert alone_b.payoffs["Russia"]["expected"] == pytest.approx(value_b)
    for menu in ([a, b], [b, a]):
        result = solve_offer_game(model, menu)
        assert set(result.selected.sends.values()) == {"talk: A"}
        assert result.selected.acceptance["talk: A"] == 1.0
        assert result.selected.acceptance["talk: B"] == 1.0  # B would be accepted too
        assert result.payoffs["Russia"]["expected"] == pytest.approx(value_a)
        assert result.settlement_probability == 1.0


def test_russia_picks_the_offer_ukraine_accepts():
    # A's alignment 0 is worth 0.4 - 0.04 = 0.36 to Ukraine: below its war value even after
    # the West eases (p = 1/2: 0.5 x 1.1 - 0.15 = 0.40), so A would end in war and Russia
    # offers B (worth 0.56 to Ukraine) instead. With A at alignment 0.2 it offers A again.
    model = make(**IDENTICAL)
    a = Offer(name="A", alignment=0.0, territory=0.2)
    b = Offer(name="B", alignment=0.4, territory=0.2)
    assert solve_offer_game(model, a).war_probability == 1.0
    out = solve_offer_game_batch(model, [a, b], {"offers.A.alignment": [0.0, 0.2]})
    assert out["message.sincere strong.talk: B"].tolist() == [1.0, 0.0]
    assert out["message.sincere strong.talk: A"].tolist() == [0.0, 1.0]
    assert out["settlement_probability"].tolist() == [1.0, 1.0]
    assert out["payoff.russia"][0] == pytest.approx(
        solve_offer_game(model, b).payoffs["Russia"]["expected"]
    )


# ====================================================================== 12. errors
def test_unknown_parameter_names_raise_key_error_with_a_hint():
    with pytest.raises(KeyError, match="did you mean 'russia.prior_sincere'"):
        make().with_params(russia__prior_sincer=0.2)
    with pytest.raises(KeyError, match="did you mean 'russia.prior_sincere'"):
        solve_offer_game_batch(make(), Offer(), {"russia.prior_sincer": [0.2]})
    with pytest.raises(KeyError, match="did you mean 'russia.weak_capability_share'"):
        solve_offer_game_batch(make(), Offer(), {"russia.weak_capability": [0.5]})


def test_out_of_range_values_raise_value_error_naming_the_range():
    with pytest.raises(ValueError, match=r"russia.prior_sincere = 1.5 .*range \(0, 1\)"):
        make().with_params(russia__prior_sincere=1.5)
    with pytest.raises(ValueError, match=r"russia.prior_sincere .*range \(0, 1\)"):
        solve_offer_game_batch(make(), Offer(), {"russia.prior_sincere": [0.5, 1.5]})
    with pytest.raises(ValueError, match=r"alignment .*range \[0, 1\]"):
        Offer(alignment=1.2)
    with pytest.raises(ValueError, match=r"offer.alignment .*range \[0, 1\]"):
        solve_offer_game_batch(make(), Offer(), {"offer.alignment": [1.2]})
    with pytest.raises(ValueError, match=r"range \[0, 10\]"):
        Offer(inducements={"West": 11.0})
    with pytest.raises(ValueError, match="not Western governments"):
        solve_offer_game(make(), Offer(inducements={"Hungary": 0.3}))


def test_a_weak_russia_stronger_than_a_strong_one_raises():
    # the weak type's capability is a share of the strong type's: above 1 it would be stronger
    with pytest.raises(ValueError, match=r"weak_capability_share = 1.2 .*range \(0, 1\]"):
        make().with_params(russia__weak_capability_share=1.2)
    with pytest.raises(ValueError, match=r"weak_capability_share .*range \(0, 1\]"):
        solve_offer_game_batch(make(), Offer(), {"russia.weak_capability_share": [0.5, 1.5]})


def test_misspelt_offer_field_raises_key_error_with_a_hint():
    with pytest.raises(KeyError, match="did you mean 'offer.alignment'"):
        solve_offer_game_batch(make(), Offer(), {"offer.alignmnt": [0.5]})


def test_single_offer_keys_with_a_menu_are_not_silently_ignored():
    model = make(**IDENTICAL)
    menu = [Offer(name="A", alignment=0.2, territory=0.2), Offer(name="B", alignment=0.4)]
    try:
        out = solve_offer_game_batch(model, menu, {"offer.alignment": [0.0, 0.9]})
    except (KeyError, ValueError):
        return  # rejected: fine
    assert out["payoff.russia"][0] != out["payoff.russia"][1]  # the change had an effect


def test_batch_inducements_are_range_checked_like_offers():
    with pytest.raises(ValueError, match=r"range \[0, 10\]"):
        solve_offer_game_batch(make(), Offer(), {"offer.inducement.West": [11.0]})


# ====================================================================== the API at one point
def test_solve_offer_game_fields_agree_with_the_batch_row():
    model = make()
    offer = Offer(alignment=0.3, territory=0.2, withdrawal_cost=0.05)
    result = solve_offer_game(model, offer)
    out = solve_offer_game_batch(model, offer)
    assert result.messages == ("fight", "talk", "withdraw")
    assert result.found and result.selected is not None
    assert result.regime == out["regime"].item()
    for key in ("settlement_probability", "renewed_war_probability", "war_probability"):
        assert getattr(result, key) == pytest.approx(float(out[key]))
    assert result.certificate <= result.tolerance
    assert result.equilibria >= 1
    eq = result.selected
    for name in TYPES:
        message = eq.sends[name]
        assert out[f"message.{name}.{message}"] == 1.0
        assert out[f"outcome.{name}.{eq.ends_in[name]}"] == 1.0
    for message in result.messages:
        assert eq.beliefs[message]["sincere"] == pytest.approx(float(out[f"posterior.{message}"]))
