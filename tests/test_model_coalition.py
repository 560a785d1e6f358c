"""Coalition cohesion: free riding, aggregation, Granovetter cascades, wedges, the game."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from simulator import solve
from simulator.model import NegotiationModel, West
from simulator.model import WesternGovernment as G
from simulator.model.published.coalition import (
    Coalition,
    burden_at,
    coalition_cohesion,
    coalition_pressure,
    cohesion_from_model,
    defection_cascade,
    marginal_effect,
    member_support,
    predicted_equilibria,
    sanctions_game,
    wedge_from_model,
    wedge_strategy,
)

AGGS = ("sum", "weakest_link", "threshold")
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ---------------------------------------------------------------------------- strategies
@st.composite
def coalitions(draw, min_size: int = 1, max_size: int = 5) -> Coalition:
    n = draw(st.integers(min_size, max_size))
    pos = st.floats(0.05, 2.0)

    def vec(elements):
        return np.array(draw(st.lists(elements, min_size=n, max_size=n)))

    return Coalition(
        names=tuple(f"M{i}" for i in range(n)),
        value_of_success=vec(pos),
        sanctions_burden=vec(st.floats(0.0, 1.0)),
        audience_cost=vec(st.floats(0.0, 0.5)),
        weights=vec(st.floats(0.1, 10.0)),
        fatigue_rate=vec(st.floats(0.0, 0.2)),
        defection_threshold=vec(st.floats(0.0, 1.0)),
    )


def _replace(c: Coalition, **changes) -> Coalition:
    fields = {
        k: getattr(c, k)
        for k in (
            "names",
            "value_of_success",
            "sanctions_burden",
            "audience_cost",
            "weights",
            "fatigue_rate",
            "defection_threshold",
        )
    }
    fields.update(changes)
    return Coalition(**fields)


# ---------------------------------------------------------------------------- references
def _pressure_ref(support, w, aggregation, tau):
    if aggregation == "weakest_link":
        return min(support)
    share = sum(s * x for s, x in zip(support, w)) / sum(w)
    return share if aggregation == "sum" else float(share >= tau - 1e-12)


def _cascade_ref(theta, w, start):
    """Granovetter dynamics by plain loops, one member at a time within a round."""
    defect = [bool(s) or t <= 1e-12 for s, t in zip(start, theta)]
    total = sum(w)
    while True:
        share = sum(x for x, d in zip(w, defect) if d) / total
        joining = [i for i, t in enumerate(theta) if not defect[i] and share + 1e-12 >= t]
        if not joining:
            return defect
        for i in joining:
            defect[i] = True


def _outcome_ref(c: Coalition, forced, aggregation, tau, period=0.0):
    own = member_support(
        c.value_of_success,
        c.sanctions_burden,
        c.audience_cost,
        c.weights,
        aggregation=aggregation,
        threshold=tau,
        fatigue_rate=c.fatigue_rate,
        period=period,
    )
    start = [(not s) or f for s, f in zip(own.support, forced)]
    defect = _cascade_ref(list(c.defection_threshold), list(c.weights), start)
    support = [0.0 if d else 1.0 for d in defect]
    cohesion = sum(s * x for s, x in zip(support, c.weights)) / sum(c.weights)
    return _pressure_ref(support, list(c.weights), aggregation, tau), cohesion, own.margin


# ---------------------------------------------------------------------------- burden
def test_burden_grows_by_compound_fatigue():
    assert burden_at(0.2, 0.1, 3) == pytest.approx(0.2 * 1.1**3)
    assert burden_at([0.2, 0.5], [0.0, 0.5], 2).tolist() == pytest.approx([0.2, 1.125])


# ---------------------------------------------------------------------------- Olson-Zeckhauser
def test_olson_zeckhauser_small_members_free_ride():
    weights = np.array([40.0, 30.0, 20.0, 10.0])
    s = member_support([1] * 4, [0.25] * 4, [0] * 4, weights)
    assert s.marginal_effect.tolist() == pytest.approx([0.4, 0.3, 0.2, 0.1])
    assert s.margin.tolist() == pytest.approx([0.15, 0.05, -0.05, -0.15])
    assert s.support.tolist() == [True, True, False, False]
    # the big members carry the whole burden of sanctioning: 70% of the weight, 100% of the cost
    burden_share = (s.support * s.burden).sum() / s.burden.sum()
    assert burden_share == pytest.approx(0.5)
    assert s.support @ weights / weights.sum() == pytest.approx(0.7)
    # and that is the game's unique equilibrium (sanctioning is dominant or dominated)
    c = Coalition(tuple("ABCD"), [1] * 4, [0.25] * 4, [0] * 4, weights, [0] * 4, [0.5] * 4)
    eqs = solve(sanctions_game(c), method="pure")
    assert [e.support for e in eqs] == [((0,), (0,), (1,), (1,))]


@FAST
@given(
    st.lists(st.floats(0.1, 10), min_size=2, max_size=6),
    st.floats(0, 2),
    st.floats(0, 1),
    st.floats(0, 0.5),
)
def test_free_riding_is_monotone_in_size(weights, b, kappa, a):
    s = member_support([b] * len(weights), [kappa] * len(weights), [a] * len(weights), weights)
    order = np.argsort(weights)
    # once a member supports, every larger member supports
    assert np.all(np.diff(s.support[order].astype(int)) >= 0)


# ---------------------------------------------------------------------------- aggregation
def test_weakest_link_collapses_where_sum_barely_moves():
    s = [1, 1, 1, 1, 0.2]
    assert coalition_pressure(s, [1] * 5, "sum") == pytest.approx(0.84)
    assert coalition_pressure(s, [1] * 5, "weakest_link") == pytest.approx(0.2)
    assert coalition_pressure(s, [1] * 5, "threshold", 0.8) == 1.0
    # the same with binary decisions: one member whose burden is too high
    govs = [G(f"M{i}", sanctions_burden=0.1, defection_threshold=0.9) for i in range(4)]
    govs.append(G("Laggard", sanctions_burden=2.0, defection_threshold=0.9))
    summed = coalition_cohesion(govs, aggregation="sum")
    weakest = coalition_cohesion(govs, aggregation="weakest_link")
    assert summed.pressure == pytest.approx(0.8)
    assert weakest.pressure == 0.0
    assert summed.cohesion == weakest.cohesion == pytest.approx(0.8)


@FAST
@given(st.data(), st.sampled_from(AGGS), st.floats(0, 1))
def test_pressure_batch_matches_loop(data, aggregation, tau):
    n = data.draw(st.integers(1, 5))
    w = data.draw(st.lists(st.floats(0.1, 10), min_size=n, max_size=n))
    states = data.draw(
        st.lists(st.lists(st.floats(0, 1), min_size=n, max_size=n), min_size=1, max_size=6)
    )
    got = coalition_pressure(np.array(states), w, aggregation, tau)
    want = [_pressure_ref(s, w, aggregation, tau) for s in states]
    assert np.asarray(got).tolist() == pytest.approx(want)


def test_marginal_effect_threshold_is_pivotality():
    assert marginal_effect([3, 1], "threshold", 0.6).tolist() == [1.0, 0.0]
    assert marginal_effect([1, 1, 1], "threshold", 0.5).tolist() == [0.0, 0.0, 0.0]
    assert marginal_effect([1, 1, 1], "threshold", 1.0).tolist() == [1.0, 1.0, 1.0]
    assert marginal_effect([2, 5], "weakest_link").tolist() == [1.0, 1.0]


# ---------------------------------------------------------------------------- Granovetter
def test_granovetter_riot_full_cascade_and_broken_link():
    n = 100
    theta = np.arange(n) / n
    full = defection_cascade(theta, np.ones(n))
    assert full.defectors.all()
    assert int(full.num_rounds) == n
    assert full.sequence() == [[k] for k in range(n)]
    theta[1] = 2 / n  # Granovetter's second member now needs two others
    broken = defection_cascade(theta, np.ones(n))
    assert broken.sequence() == [[0]]
    assert float(broken.defecting_share) == pytest.approx(0.01)


def test_cascade_respects_weights_not_headcount():
    # one heavy defector tips everyone whose threshold is below its weight share
    res = defection_cascade([0.5, 0.6, 0.65, 0.95], [6, 1, 1, 2], [True, False, False, False])
    assert res.sequence() == [[0], [1], [2]]
    assert float(res.defecting_share) == pytest.approx(0.8)


@FAST
@given(st.data())
def test_cascade_batch_matches_loop(data):
    n = data.draw(st.integers(1, 6))
    w = data.draw(st.lists(st.floats(0.1, 10), min_size=n, max_size=n))
    rows = data.draw(st.integers(1, 5))
    theta = np.array(
        data.draw(
            st.lists(
                st.lists(st.floats(0, 1), min_size=n, max_size=n), min_size=rows, max_size=rows
            )
        )
    )
    start = np.array(
        data.draw(
            st.lists(st.lists(st.booleans(), min_size=n, max_size=n), min_size=rows, max_size=rows)
        )
    )
    res = defection_cascade(theta, w, start)
    for k in range(rows):
        assert res.defectors[k].tolist() == _cascade_ref(list(theta[k]), w, list(start[k]))
    # the rounds partition the defectors
    assert (np.sum(res.rounds, axis=0) == res.defectors).all()


@FAST
@given(st.data())
def test_cascade_is_monotone_in_initial_defectors(data):
    n = data.draw(st.integers(1, 6))
    w = data.draw(st.lists(st.floats(0.1, 10), min_size=n, max_size=n))
    theta = data.draw(st.lists(st.floats(0, 1), min_size=n, max_size=n))
    small = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    extra = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    a = defection_cascade(theta, w, small).defectors
    b = defection_cascade(theta, w, small | extra).defectors
    assert np.all(b >= a)


# ---------------------------------------------------------------------------- monotonicity
@FAST
@given(coalitions(), st.sampled_from(AGGS), st.floats(0, 1), st.data())
def test_raising_a_burden_never_raises_cohesion(c, aggregation, tau, data):
    i = data.draw(st.integers(0, c.size - 1))
    extra = data.draw(st.floats(0, 2))
    burden = c.sanctions_burden.copy()
    burden[i] += extra
    before = coalition_cohesion(c, aggregation=aggregation, threshold=tau)
    after = coalition_cohesion(
        _replace(c, sanctions_burden=burden), aggregation=aggregation, threshold=tau
    )
    assert after.cohesion <= before.cohesion + 1e-12
    assert after.pressure <= before.pressure + 1e-12


@FAST
@given(coalitions(), st.sampled_from(AGGS), st.floats(0, 1), st.floats(0, 10))
def test_fatigue_never_raises_cohesion(c, aggregation, tau, later):
    now = coalition_cohesion(c, aggregation=aggregation, threshold=tau, period=0)
    then = coalition_cohesion(c, aggregation=aggregation, threshold=tau, period=later)
    assert then.cohesion <= now.cohesion + 1e-12


@FAST
@given(
    coalitions(),
    st.sampled_from(AGGS),
    st.floats(0, 1),
    st.sampled_from(["exact", "greedy"]),
    st.floats(0, 2),
    st.floats(0, 2),
)
def test_more_budget_never_raises_cohesion(c, aggregation, tau, method, b1, b2):
    low, high = sorted((b1, b2))
    r_low = wedge_strategy(c, low, aggregation=aggregation, threshold=tau, method=method)
    r_high = wedge_strategy(c, high, aggregation=aggregation, threshold=tau, method=method)
    assert r_high.pressure <= r_low.pressure + 1e-12
    assert r_high.cohesion <= r_low.cohesion + 1e-12 or r_high.pressure < r_low.pressure
    assert r_high.pressure <= r_high.baseline_pressure + 1e-12


# ---------------------------------------------------------------------------- wedge
def test_wedge_targets_the_member_closest_to_defecting():
    govs = [
        G("Hawk", weight=4, value_of_success=1.0, sanctions_burden=0.2, defection_threshold=0.9),
        G("Middle", weight=3, value_of_success=0.6, sanctions_burden=0.5, defection_threshold=0.3),
        G("Energy", weight=2, value_of_success=0.4, sanctions_burden=0.55, defection_threshold=0.9),
    ]
    # weakest link: margins 1.0, 0.3, 0.05 -> Energy is cheapest, and it breaks unanimity
    r = wedge_strategy(govs, 0.1, aggregation="weakest_link")
    assert r.targets == ("Energy",)
    assert r.cost == pytest.approx(0.05)
    assert r.pressure == 0.0
    # Energy's defection (2/9 of the weight) does not reach Middle's threshold 0.3 ...
    assert r.defectors.tolist() == [False, False, True]
    assert r.allocation.sum() == pytest.approx(0.1)
    # under 'sum' Middle and Energy already free-ride, and 0.4 cannot buy Hawk (margin 4/9)
    s = wedge_strategy(govs, 0.4, aggregation="sum")
    assert s.targets == ()
    assert s.baseline_pressure == s.pressure == pytest.approx(4 / 9)


def test_wedge_prefers_a_cascade_over_the_cheapest_member():
    # Cheap is cheapest but isolated; Trigger costs more and topples Follower through its threshold.
    c = Coalition(
        names=("Cheap", "Trigger", "Follower", "Core"),
        value_of_success=[0.0, 0.0, 0.0, 0.0],
        sanctions_burden=[0.0, 0.0, 0.0, 0.0],
        audience_cost=[0.1, 0.3, 0.9, 5.0],
        weights=[1, 2, 3, 4],
        fatigue_rate=[0, 0, 0, 0],
        defection_threshold=[1.0, 1.0, 0.2, 1.0],
    )
    exact = wedge_strategy(c, 0.35, method="exact")
    greedy = wedge_strategy(c, 0.35, method="greedy")
    assert exact.targets == ("Trigger",)
    assert exact.defectors.tolist() == [False, True, True, False]
    assert exact.pressure == pytest.approx(0.5)
    assert greedy.targets == ("Cheap",)
    assert greedy.pressure == pytest.approx(0.9)


@FAST
@given(coalitions(max_size=5), st.sampled_from(AGGS), st.floats(0, 1), st.floats(0, 2))
def test_wedge_exact_matches_brute_force_over_target_sets(c, aggregation, tau, budget):
    r = wedge_strategy(c, budget, aggregation=aggregation, threshold=tau)
    base_pressure, base_cohesion, margin = _outcome_ref(c, [False] * c.size, aggregation, tau)
    best = (base_pressure, base_cohesion)
    for bits in itertools.product((False, True), repeat=c.size):
        cost = sum(m for m, b in zip(margin, bits) if b and m >= 0)
        if any(bits) and cost >= budget:
            continue
        p, coh, _ = _outcome_ref(c, bits, aggregation, tau)
        best = min(best, (p, coh))
    assert (r.pressure, r.cohesion) == pytest.approx(best)
    assert r.cost < budget or not r.targets
    # the allocation it reports achieves what it claims in the forward model
    check = coalition_cohesion(c, aggregation=aggregation, threshold=tau, inducement=r.allocation)
    assert check.pressure == pytest.approx(r.pressure)
    assert check.cohesion == pytest.approx(r.cohesion)
    assert r.allocation.sum() <= budget + 1e-9


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(coalitions(max_size=3), st.sampled_from(AGGS), st.floats(0, 1), st.floats(0, 1.5))
def test_wedge_is_never_beaten_by_any_grid_allocation(c, aggregation, tau, budget):
    r = wedge_strategy(c, budget, aggregation=aggregation, threshold=tau)
    units = 6
    for alloc in itertools.product(range(units + 1), repeat=c.size):
        if sum(alloc) > units:
            continue
        rho = np.array(alloc) * budget / units
        out = coalition_cohesion(c, aggregation=aggregation, threshold=tau, inducement=rho)
        assert (r.pressure, r.cohesion) <= (out.pressure + 1e-12, out.cohesion + 1e-12)


@FAST
@given(coalitions(), st.sampled_from(AGGS), st.floats(0, 1), st.floats(0, 2))
def test_greedy_never_beats_exact(c, aggregation, tau, budget):
    exact = wedge_strategy(c, budget, aggregation=aggregation, threshold=tau)
    greedy = wedge_strategy(c, budget, aggregation=aggregation, threshold=tau, method="greedy")
    assert (exact.pressure, exact.cohesion) <= (greedy.pressure + 1e-12, greedy.cohesion + 1e-12)


# ---------------------------------------------------------------------------- the game
def _solver_profiles(game):
    return {tuple(s[0] == 0 for s in eq.support) for eq in solve(game, method="pure")}


def test_weakest_link_has_cohesive_and_collapsed_equilibria():
    c = Coalition(("A", "B", "C"), [1, 1, 1], [0.3] * 3, [0.1] * 3, [1, 1, 1], [0] * 3, [1] * 3)
    want = {(True, True, True), (False, False, False)}
    assert set(predicted_equilibria(c, aggregation="weakest_link")) == want
    assert _solver_profiles(sanctions_game(c, aggregation="weakest_link")) == want


def test_threshold_game_equilibria_on_a_worked_example():
    # two thirds of the weight is needed; C gains a little from sanctioning even when not
    # pivotal (audience cost 0.305 > burden 0.3), so it always sanctions and exactly one
    # of A, B joins it: each of them sanctions only when pivotal
    c = Coalition(
        ("A", "B", "C"), [1, 1, 1], [0.3, 0.3, 0.3], [0, 0, 0.305], [1, 1, 1], [0] * 3, [1] * 3
    )
    want = {(True, False, True), (False, True, True)}
    assert set(predicted_equilibria(c, aggregation="threshold", threshold=0.6)) == want
    game = sanctions_game(c, aggregation="threshold", threshold=0.6)
    assert _solver_profiles(game) == want


@FAST
@given(
    coalitions(max_size=5), st.sampled_from(AGGS), st.floats(0.05, 1), st.floats(0, 5), st.data()
)
def test_closed_form_equilibria_match_the_solver(c, aggregation, tau, period, data):
    rho = np.array(data.draw(st.lists(st.floats(0, 0.3), min_size=c.size, max_size=c.size)))
    kw = dict(aggregation=aggregation, threshold=tau, period=period, inducement=rho)
    burden = burden_at(c.sanctions_burden, c.fatigue_rate, period)
    g = c.audience_cost - rho - burden
    # keep away from exact indifference, where the solver's tolerance decides
    assume(np.all(np.abs(g) > 1e-6) and np.all(np.abs(g + c.value_of_success) > 1e-6))
    share_h = g + c.value_of_success * c.weights / c.weights.sum()
    assume(np.all(np.abs(share_h) > 1e-6))
    shares = [
        np.dot(bits, c.weights) / c.weights.sum()
        for bits in itertools.product((0, 1), repeat=c.size)
    ]
    assume(min(abs(s - tau) for s in shares) > 1e-9)
    game = sanctions_game(c, **kw)
    assert set(predicted_equilibria(c, **kw)) == _solver_profiles(game)
    # full cohesion is an equilibrium exactly when every member's own margin is >= 0
    own = member_support(
        c.value_of_success,
        c.sanctions_burden,
        c.audience_cost,
        c.weights,
        aggregation=aggregation,
        threshold=tau,
        fatigue_rate=c.fatigue_rate,
        period=period,
        inducement=rho,
    )
    assert ((True,) * c.size in _solver_profiles(game)) == bool(own.support.all())
    if aggregation == "sum":
        assert _solver_profiles(game) == {tuple(bool(x) for x in own.support)}


# ---------------------------------------------------------------------------- adapters
def test_cohesion_from_model_reads_the_west():
    west = West(
        governments=(
            G("US", weight=5, value_of_success=1.0, sanctions_burden=0.1),
            G("Germany", weight=3, value_of_success=0.8, sanctions_burden=0.4, fatigue_rate=0.1),
            G(
                "Hungary",
                weight=1,
                value_of_success=0.1,
                sanctions_burden=0.5,
                defection_threshold=0.0,
            ),
        ),
        aggregation="sum",
    )
    model = NegotiationModel(west=west)
    now = cohesion_from_model(model)
    # Germany: 0.8 * 3/9 + 0.2 - 0.4 = 0.0667 >= 0; Hungary defects (and is an instigator)
    assert now.own.margin[1] == pytest.approx(0.8 / 3 - 0.2)
    assert now.supporters == ("US", "Germany")
    assert now.cohesion == pytest.approx(8 / 9)
    # five periods of 10% fatigue push Germany's burden to 0.644 > 0.467
    later = cohesion_from_model(model, period=5)
    assert later.supporters == ("US",)
    assert later.pressure == pytest.approx(5 / 9)
    wedge = wedge_from_model(model, budget=0.1)
    assert wedge.targets == ("Germany",)
    unanimity = model.with_params({"west.aggregation": "weakest_link"})
    assert cohesion_from_model(unanimity).pressure == 0.0


def test_default_model_is_cohesive():
    r = cohesion_from_model(NegotiationModel())
    assert r.cohesion == 1.0 and r.pressure == 1.0
    assert r.own.margin.tolist() == pytest.approx([1.0])


# ---------------------------------------------------------------------------- errors
def test_clear_errors():
    with pytest.raises(ValueError, match="aggregation = 'median'"):
        coalition_pressure([1, 1], [1, 1], "median")
    with pytest.raises(ValueError, match="threshold = 1.5"):
        coalition_pressure([1, 1], [1, 1], "threshold", 1.5)
    with pytest.raises(ValueError, match="weights = -1"):
        member_support([1], [0.1], [0], [-1])
    with pytest.raises(ValueError, match="one entry per member"):
        defection_cascade([0.1, 0.2, 0.3], [1, 1])
    with pytest.raises(ValueError, match="budget = -1"):
        wedge_strategy([G("A")], -1)
    with pytest.raises(ValueError, match="method = 'best'"):
        wedge_strategy([G("A")], 1, method="best")
    with pytest.raises(ValueError, match="one value per member"):
        member_support([1, 1], [0.1, 0.1], [0, 0], [1, 1], inducement=[0, 0, 0])
