"""Signalling games and their perfect Bayesian equilibria (with the intuitive criterion)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.games.errors import GameError
from simulator.games.normal_form import NormalFormGame
from simulator.games.signalling import SignallingGame
from simulator.solvers.signalling_pbe import (
    BeliefRange,
    SignallingEquilibrium,
    intuitive_criterion,
    perfect_bayesian_equilibria,
)

FAST = settings(max_examples=40, deadline=None)


# ---------------------------------------------------------------------- games
def beer_quiche() -> SignallingGame:
    """Cho & Kreps (1987): 1 for the preferred breakfast, plus 2 if not challenged."""
    sender = [[[0, 2], [1, 3]], [[1, 3], [0, 2]]]  # weak prefers quiche, strong beer
    receiver = [[[1, 0], [1, 0]], [[0, 1], [0, 1]]]  # duel the weak, spare the strong
    return SignallingGame(
        ["weak", "strong"], [0.1, 0.9], ["beer", "quiche"], ["duel", "don't"], sender, receiver
    )


def job_market() -> SignallingGame:
    """Job-market signalling after Watson, *Strategy* (3rd ed.), Fig. 29.1.

    The figure could not be found in the searchable corpora, so the game is constructed
    from the textbook's story (prior P(High) = 1/3): the firm pays 10 to a manager (M)
    and 4 to a clerk (C); education costs a High worker 4 and a Low worker 7; the firm
    earns 10 from a High manager, 0 from a Low manager and 4 from either as a clerk.
    These payoffs reproduce exactly the two facts stated for the figure: a separating
    equilibrium with ex-ante payoffs (14/3, 6), and a pooling equilibrium.
    """
    worker = [[[6, 0], [10, 4]], [[3, -3], [10, 4]]]
    firm = [[[10, 4], [10, 4]], [[0, 4], [0, 4]]]
    return SignallingGame(
        ["High", "Low"],
        [1 / 3, 2 / 3],
        ["Education", "No education"],
        ["M", "C"],
        worker,
        firm,
        players=("Worker", "Firm"),
        title="Job-market signalling",
    )


def sincerity(
    mu0: float, w_s: float, w_b: float, gain: float, k_s: float, k_b: float
) -> SignallingGame:
    """Costly signalling of sincerity (Fearon 1997; Kydd 2005).

    A sincere type (prior ``mu0``) or a staller may take a costly step (cost ``k_s`` or
    ``k_b``); both gain ``gain`` if the receiver relaxes. Relaxing pays the receiver
    ``w_s`` against the sincere type and ``-w_b`` against the staller; pressure pays 0.
    """
    sender = [
        [[gain - k_s, -k_s], [gain, 0.0]],
        [[gain - k_b, -k_b], [gain, 0.0]],
    ]
    receiver = [[[w_s, 0.0], [w_s, 0.0]], [[-w_b, 0.0], [-w_b, 0.0]]]
    return SignallingGame(
        ["sincere", "staller"],
        [mu0, 1 - mu0],
        ["step", "no step"],
        ["relax", "pressure"],
        sender,
        receiver,
    )


def assert_intervals(actual: tuple, expected: tuple) -> None:
    assert len(actual) == len(expected)
    assert np.allclose(actual, expected, rtol=0, atol=1e-12)


def only(eqs: list[SignallingEquilibrium], kind: str) -> list[SignallingEquilibrium]:
    return [e for e in eqs if e.kind == kind]


# ---------------------------------------------------------------------- the data layer
def test_game_views_and_rendering() -> None:
    g = beer_quiche()
    assert g.shape == (2, 2, 2)
    assert g.types == ("weak", "strong") and g.players == ("Sender", "Receiver")
    assert g.prior.tolist() == [0.1, 0.9]
    assert g.sender_payoffs[1, 0, 1] == 3 and g.receiver_payoffs[0, 1, 0] == 1
    assert g.payoff_span == 3.0
    assert g.message_index("quiche") == 1 and g.action_index(0) == 0
    with pytest.raises(ValueError):
        g.sender_payoffs[0, 0, 0] = 5.0  # read-only
    assert g == beer_quiche() and hash(g) == hash(beer_quiche())
    assert "types {'weak': 0.1, 'strong': 0.9}" in repr(g)
    table = g.to_table()
    assert "Sender type strong (prior 0.9)" in table
    assert "beer   " in table and "1, 0 |  3, 1" in table


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"prior": [0.5, 0.6]}, "sum to 1"),
        ({"prior": [1.0, 0.0]}, "positive prior"),
        ({"prior": [1.0]}, "one probability per type"),
        ({"types": ["a", "a"]}, "duplicate type"),
        ({"messages": ["x", "x"]}, "duplicate message"),
        ({"actions": "LR"}, "list of labels"),
        ({"sender_payoffs": np.zeros((2, 2, 3))}, "shape (types, messages, actions)"),
        ({"receiver_payoffs": np.full((2, 2, 2), np.inf)}, "finite"),
        ({"sender_payoffs": [["a"]]}, "numbers"),
        ({"players": ("P", "P")}, "distinct"),
    ],
)
def test_game_validation(change: dict, message: str) -> None:
    args = {
        "types": ["a", "b"],
        "prior": [0.5, 0.5],
        "messages": ["x", "y"],
        "actions": ["L", "R"],
        "sender_payoffs": np.zeros((2, 2, 2)),
        "receiver_payoffs": np.zeros((2, 2, 2)),
    }
    args.update(change)
    with pytest.raises(GameError, match=message.replace("(", r"\(").replace(")", r"\)")):
        SignallingGame(**args)


def test_solver_argument_errors() -> None:
    with pytest.raises(GameError, match="kind"):
        perfect_bayesian_equilibria(beer_quiche(), kind="mixed")
    with pytest.raises(GameError, match="refine"):
        perfect_bayesian_equilibria(beer_quiche(), refine="D1")
    with pytest.raises(GameError, match="SignallingGame"):
        perfect_bayesian_equilibria(NormalFormGame.from_bimatrix([[1]]))  # type: ignore[arg-type]


# ---------------------------------------------------------------------- Beer-Quiche
def test_beer_quiche_two_pooling_outcomes() -> None:
    eqs = perfect_bayesian_equilibria(beer_quiche())
    assert [e.kind for e in eqs] == ["pooling", "pooling"]
    beer, quiche = eqs
    assert beer.sender.tolist() == [[1, 0], [1, 0]]
    assert quiche.sender.tolist() == [[0, 1], [0, 1]]
    # Ex-ante payoffs (sender, receiver): beer pool (2.9, 0.9), quiche pool (2.1, 0.9).
    assert beer.ex_ante_sender_payoff == pytest.approx(2.9)
    assert beer.receiver_payoff == pytest.approx(0.9)
    assert quiche.ex_ante_sender_payoff == pytest.approx(2.1)
    assert quiche.receiver_payoff == pytest.approx(0.9)
    assert beer.sender_payoffs.tolist() == pytest.approx([2, 3])
    # On the path the receiver keeps the prior and does not duel.
    assert beer.beliefs[0].tolist() == pytest.approx([0.1, 0.9])
    assert beer.receiver[0].tolist() == [0, 1]
    # Off the path: duel, supported exactly by P(weak | other breakfast) >= 1/2.
    assert_intervals(beer.off_path_beliefs["quiche"].intervals, ((0.5, 1.0),))
    assert_intervals(quiche.off_path_beliefs["beer"].intervals, ((0.5, 1.0),))
    assert beer.receiver[1].tolist() == [1, 0]
    assert beer.off_path_beliefs["quiche"].contains(beer.beliefs[1])
    assert not beer.off_path_beliefs["quiche"].contains([0.49, 0.51])
    assert all(e.regret <= e.tolerance for e in eqs)


def test_beer_quiche_has_no_separating_or_hybrid_equilibrium() -> None:
    g = beer_quiche()
    assert not only(perfect_bayesian_equilibria(g, kind="pure"), "separating")
    assert perfect_bayesian_equilibria(g, kind="hybrid") == []
    assert len(perfect_bayesian_equilibria(g, kind="pure")) == 2


def test_intuitive_criterion_keeps_the_beer_pool_only() -> None:
    beer, quiche = perfect_bayesian_equilibria(beer_quiche())
    assert (beer.intuitive, quiche.intuitive) == (True, False)
    assert intuitive_criterion(beer) and not intuitive_criterion(quiche)
    kept = perfect_bayesian_equilibria(beer_quiche(), refine="intuitive")
    assert len(kept) == 1 and kept[0].sender.tolist() == [[1, 0], [1, 0]]


def test_results_are_deterministic_and_scale_free() -> None:
    g = beer_quiche()
    first = [e.outcome() for e in perfect_bayesian_equilibria(g)]
    assert first == [e.outcome() for e in perfect_bayesian_equilibria(g)]
    scaled = SignallingGame(
        g.types, g.prior, g.messages, g.actions, 7 * g.sender_payoffs - 3, 2 * g.receiver_payoffs
    )
    eqs = perfect_bayesian_equilibria(scaled)
    assert [e.outcome() for e in eqs] == first
    assert eqs[0].tolerance == pytest.approx(1e-8 * 21)  # payoffs span [-3, 18]


# ---------------------------------------------------------------------- Watson job market
def test_job_market_separating_and_pooling() -> None:
    eqs = perfect_bayesian_equilibria(job_market())
    separating = only(eqs, "separating")
    pooling = only(eqs, "pooling")
    assert len(separating) == 1 and len(pooling) == 1
    sep = separating[0]
    assert sep.outcome() == {
        "sender": {"High": {"Education": 1.0}, "Low": {"No education": 1.0}},
        "receiver": {"Education": {"M": 1.0}, "No education": {"C": 1.0}},
    }
    assert sep.ex_ante_sender_payoff == pytest.approx(14 / 3)
    assert sep.receiver_payoff == pytest.approx(6)
    pool = pooling[0]
    assert pool.outcome()["receiver"] == {"No education": {"C": 1.0}}
    # Clerk after education needs P(High | education) <= 2/5 (10 p <= 4).
    assert_intervals(pool.off_path_beliefs["Education"].intervals, ((0.0, 0.4),))
    # The Low type never gains from education, so the intuitive criterion breaks the pool.
    assert pool.intuitive is False and sep.intuitive is None
    refined = perfect_bayesian_equilibria(job_market(), refine="intuitive")
    assert [e.outcome() for e in refined] == [sep.outcome()]


# ---------------------------------------------------------------------- Fearon / Kydd
probability = st.floats(0.05, 0.95)
weight = st.floats(0.2, 5.0)


@FAST
@given(mu0=probability, w_s=weight, w_b=weight, gain=weight)
def test_costless_messages_carry_no_payoff_relevant_information(
    mu0: float, w_s: float, w_b: float, gain: float
) -> None:
    """Cheap talk with type-independent sender payoffs (costs 0).

    Every pure-sender equilibrium pools, so the posterior equals the prior after the
    message sent. Mixed equilibria may split the types (posteriors differ from the prior,
    e.g. mu* after one message), but the receiver then replies identically to every sent
    message with a best response to the prior and earns exactly the no-information value.
    """
    g = sincerity(mu0, w_s, w_b, gain, 0.0, 0.0)
    eqs = perfect_bayesian_equilibria(g)
    assert eqs
    prior_value = max(0.0, mu0 * w_s - (1 - mu0) * w_b)
    for e in eqs:
        on = e.on_path
        if e.kind != "hybrid":
            assert e.kind == "pooling"
            assert e.beliefs[on][0] == pytest.approx([mu0, 1 - mu0])
        replies = e.receiver[on]
        assert np.allclose(replies, replies[0], atol=1e-9)
        expected = g.prior @ g.receiver_payoffs[:, 0, :]
        assert replies[0] @ expected == pytest.approx(expected.max(), abs=1e-9)
        assert e.receiver_payoff == pytest.approx(prior_value, abs=1e-9)


def test_costless_messages_can_split_types_without_changing_replies() -> None:
    """A counterexample to 'posterior = prior in every equilibrium' under cheap talk."""
    g = sincerity(0.7, 1.0, 1.0, 1.0, 0.0, 0.0)  # mu* = 1/2 < mu0
    hybrid = only(perfect_bayesian_equilibria(g), "hybrid")
    assert hybrid
    posteriors = sorted(float(b[0]) for e in hybrid for b in e.beliefs[e.on_path])
    assert posteriors == pytest.approx([0.5, 0.5, 1.0, 1.0])
    assert all(np.all(e.receiver[:, 0] == 1.0) for e in hybrid)  # always relax


@FAST
@given(mu0=probability, w_s=weight, w_b=weight, data=st.data())
def test_cost_only_the_sincere_type_bears_separates(
    mu0: float, w_s: float, w_b: float, data: st.DataObject
) -> None:
    gain = data.draw(st.floats(1.0, 4.0))
    k_s = data.draw(st.floats(0.0, 0.9)) * gain
    k_b = gain * data.draw(st.floats(1.1, 3.0))
    eqs = perfect_bayesian_equilibria(sincerity(mu0, w_s, w_b, gain, k_s, k_b))
    separating = only(eqs, "separating")
    assert len(separating) == 1
    sep = separating[0]
    assert sep.sender.tolist() == [[1, 0], [0, 1]]
    assert sep.receiver.tolist() == [[1, 0], [0, 1]]  # relax after the step only
    assert sep.beliefs.tolist() == [[1, 0], [0, 1]]
    assert sep.intuitive is None and intuitive_criterion(sep)
    refined = perfect_bayesian_equilibria(
        sincerity(mu0, w_s, w_b, gain, k_s, k_b), refine="intuitive"
    )
    assert any(e.outcome() == sep.outcome() for e in refined)
    if mu0 < w_b / (w_s + w_b) - 1e-6:
        # Below the threshold the pooling (no step, pressure) fails: only separation survives.
        assert [e.outcome() for e in refined] == [sep.outcome()]


@FAST
@given(mu0=st.floats(0.02, 0.98), w_s=weight, w_b=weight, data=st.data())
def test_semi_separating_equilibrium_closed_form(
    mu0: float, w_s: float, w_b: float, data: st.DataObject
) -> None:
    mu_star = w_b / (w_s + w_b)
    if mu0 >= mu_star - 1e-3:
        mu0 = mu_star * data.draw(st.floats(0.05, 0.95))
    gain = data.draw(st.floats(1.0, 4.0))
    k_s = gain * data.draw(st.floats(0.0, 0.45))
    k_b = gain * data.draw(st.floats(0.5, 0.95))  # both types would pay for relaxation
    eqs = only(perfect_bayesian_equilibria(sincerity(mu0, w_s, w_b, gain, k_s, k_b)), "hybrid")
    q = mu0 * (1 - mu_star) / ((1 - mu0) * mu_star)
    match = [e for e in eqs if e.sender[0, 0] == pytest.approx(1.0)]
    assert len(match) == 1
    e = match[0]
    assert e.sender[1, 0] == pytest.approx(q, rel=1e-7)
    assert e.beliefs[0, 0] == pytest.approx(mu_star, rel=1e-7)  # posterior after the step
    assert e.receiver[0, 0] == pytest.approx(k_b / gain, rel=1e-7)  # staller indifferent
    assert e.receiver[1].tolist() == [0, 1]


# ---------------------------------------------------------------------- brute force
def pure_brute_force(game: SignallingGame, grid: int = 101) -> set[tuple]:
    """Pure (sender, receiver) profiles that are PBE with a grid belief off path.

    Returns outcomes ``(messages per type, reply per message or -1 if unsent)``.
    """
    num_types, num_messages, num_actions = game.shape
    u_s, u_r, prior = game.sender_payoffs, game.receiver_payoffs, game.prior
    beliefs = simplex_grid(num_types, grid)
    out = set()
    for sends in itertools.product(range(num_messages), repeat=num_types):
        for replies in itertools.product(range(num_actions), repeat=num_messages):
            values = u_s[:, np.arange(num_messages), np.array(replies)]  # (T, M)
            if any(values[t, sends[t]] < values[t].max() - 1e-9 for t in range(num_types)):
                continue
            ok = True
            for m in range(num_messages):
                users = [t for t in range(num_types) if sends[t] == m]
                if users:
                    mu = np.zeros(num_types)
                    mu[users] = prior[users]
                    candidates = (mu / mu.sum())[None, :]
                else:
                    candidates = beliefs
                expected = candidates @ u_r[:, m, :]
                if not np.any(expected[:, replies[m]] >= expected.max(axis=1) - 1e-9):
                    ok = False
                    break
            if ok:
                out.add(
                    (sends, tuple(replies[m] if m in sends else -1 for m in range(num_messages)))
                )
    return out


def simplex_grid(num_types: int, grid: int) -> np.ndarray:
    steps = grid - 1
    points = [
        c + (steps - sum(c),)
        for c in itertools.product(range(steps + 1), repeat=num_types - 1)
        if sum(c) <= steps
    ]
    return np.array(points, dtype=float) / steps


def pure_outcomes(eqs: list[SignallingEquilibrium], pure_off_path: bool) -> set[tuple]:
    out = set()
    for e in eqs:
        on = e.on_path
        rows = e.receiver if pure_off_path else e.receiver[on]
        if e.kind == "hybrid" or np.any(rows.max(axis=1) < 1 - 1e-9):
            continue
        sends = tuple(int(m) for m in e.sender.argmax(axis=1))
        replies = tuple(int(e.receiver[m].argmax()) if on[m] else -1 for m in range(len(on)))
        out.add((sends, replies))
    return out


def deterring_replies(game: SignallingGame, m: int, values: np.ndarray, belief) -> bool:
    """Brute force for two actions: does some best reply to ``belief`` deter every type?"""
    expected = np.asarray(belief) @ game.receiver_payoffs[:, m, :]
    best = np.flatnonzero(expected >= expected.max() - 1e-9)
    u = game.sender_payoffs[:, m, :]
    if len(best) == 1:
        return bool(np.all(u[:, best[0]] <= values + 1e-9))
    # Mixtures r * a0 + (1 - r) * a1 on a fine grid, plus the exact crossing points.
    rs = np.linspace(0, 1, 2001)
    with np.errstate(divide="ignore", invalid="ignore"):
        crossings = (values - u[:, 1]) / (u[:, 0] - u[:, 1])
    rs = np.concatenate([rs, np.clip(crossings[np.isfinite(crossings)], 0, 1)])
    payoffs = np.outer(rs, u[:, 0]) + np.outer(1 - rs, u[:, 1])
    return bool(np.any(np.all(payoffs <= values + 1e-9, axis=1)))


def strategic_form(g: SignallingGame) -> tuple[np.ndarray, np.ndarray, list, list]:
    """Ex-ante strategic form by hand: sender plans (message per type) x receiver plans."""
    num_types, num_messages, num_actions = g.shape
    plans_s = list(itertools.product(range(num_messages), repeat=num_types))
    plans_r = list(itertools.product(range(num_actions), repeat=num_messages))
    a = np.zeros((len(plans_s), len(plans_r)))
    b = np.zeros_like(a)
    for i, s in enumerate(plans_s):
        for j, r in enumerate(plans_r):
            for t in range(num_types):
                a[i, j] += g.prior[t] * g.sender_payoffs[t, s[t], r[s[t]]]
                b[i, j] += g.prior[t] * g.receiver_payoffs[t, s[t], r[s[t]]]
    return a, b, plans_s, plans_r


def nash_regret(e: SignallingEquilibrium) -> float:
    """Regret of the profile in the ex-ante strategic form (PBE are Nash equilibria)."""
    g = e.game
    num_types, num_messages = g.shape[:2]
    a, b, plans_s, plans_r = strategic_form(g)
    x = np.array([np.prod([e.sender[t, s[t]] for t in range(num_types)]) for s in plans_s])
    y = np.array([np.prod([e.receiver[m, r[m]] for m in range(num_messages)]) for r in plans_r])
    return NormalFormGame.from_bimatrix(a, b).regret([x, y])


random_games = st.tuples(
    st.lists(st.integers(-3, 3), min_size=8, max_size=8),
    st.lists(st.integers(-3, 3), min_size=8, max_size=8),
    st.integers(1, 19),
)


def make_random(data: tuple) -> SignallingGame:
    u_s, u_r, p = data
    return SignallingGame(
        ["a", "b"],
        [p / 20, 1 - p / 20],
        ["x", "y"],
        ["L", "R"],
        np.reshape(u_s, (2, 2, 2)),
        np.reshape(u_r, (2, 2, 2)),
    )


@settings(max_examples=80, deadline=None)
@given(random_games)
def test_random_games_certificates_bayes_and_brute_force(data: tuple) -> None:
    """Integer payoffs in [-3, 3] make ties (degenerate games) frequent."""
    g = make_random(data)
    eqs = perfect_bayesian_equilibria(g)
    assert eqs, "every finite signalling game has a PBE"
    for e in eqs:
        assert e.regret <= e.tolerance
        assert nash_regret(e) <= 1e-9
        joint = g.prior[:, None] * e.sender
        on = e.on_path
        assert np.allclose(e.beliefs[on], (joint[:, on] / joint[:, on].sum(axis=0)).T)
        assert np.allclose(e.sender.sum(axis=1), 1) and np.allclose(e.receiver.sum(axis=1), 1)
        for m, label in enumerate(g.messages):
            if not on[m]:
                belief_range = e.off_path_beliefs[label]
                assert belief_range.contains(e.beliefs[m])
                # The range is exactly the set of beliefs with a deterring best reply.
                for p in np.linspace(0, 1, 41):
                    assert belief_range.contains([p, 1 - p]) == deterring_replies(
                        g, m, e.sender_payoffs, [p, 1 - p]
                    )
        assert (e.intuitive is None) == bool(np.all(on))
        if e.intuitive is not None:
            assert e.intuitive == intuitive_criterion(e)
    brute = pure_brute_force(g)
    assert pure_outcomes(eqs, pure_off_path=True) <= brute
    assert brute <= pure_outcomes(eqs, pure_off_path=False)
    assert brute <= pure_outcomes(perfect_bayesian_equilibria(g, kind="pure"), False)


def test_three_types_belief_polytopes_match_brute_force() -> None:
    rng = np.random.default_rng(7)
    grid = simplex_grid(3, 21)
    checked = 0
    for _ in range(20):
        g = SignallingGame(
            ["t1", "t2", "t3"],
            rng.dirichlet(np.ones(3)),
            ["x", "y"],
            ["L", "R"],
            rng.integers(-3, 4, (3, 2, 2)),
            rng.integers(-3, 4, (3, 2, 2)),
        )
        eqs = perfect_bayesian_equilibria(g)
        assert all(e.regret <= e.tolerance for e in eqs)
        assert pure_outcomes(eqs, pure_off_path=True) <= pure_brute_force(g, grid=21)
        assert pure_brute_force(g, grid=21) <= pure_outcomes(eqs, pure_off_path=False)
        for e in eqs:
            assert e.kind in ("separating", "pooling", "partially pooling", "hybrid")
            for m, label in enumerate(g.messages):
                if e.on_path[m]:
                    continue
                belief_range = e.off_path_beliefs[label]
                assert belief_range.contains(e.beliefs[m])
                with pytest.raises(GameError, match="two types"):
                    _ = belief_range.intervals
                for mu in grid:
                    expected = deterring_replies(g, m, e.sender_payoffs, mu)
                    assert belief_range.contains(mu) == expected
                    checked += 1
    assert checked >= 4 * len(grid)  # several off-path messages were compared


def test_partially_pooling_with_three_types() -> None:
    """Two of three types pool on one message, the third separates."""
    sender = np.zeros((3, 2, 2))
    sender[:, :, 0] = 1.0  # everyone wants action L
    sender[2, 0, :] -= 5.0  # message x is very costly for t3
    receiver = np.zeros((3, 2, 2))
    receiver[:2, :, 0] = 1.0  # L is right for t1 and t2, R for t3
    receiver[2, :, 1] = 1.0
    g = SignallingGame(
        ["t1", "t2", "t3"], [0.3, 0.3, 0.4], ["x", "y"], ["L", "R"], sender, receiver
    )
    eqs = perfect_bayesian_equilibria(g, kind="pure")
    partial = only(eqs, "partially pooling")
    assert [e.sender.argmax(axis=1).tolist() for e in partial] == [[0, 0, 1]]
    assert partial[0].receiver.tolist() == [[1, 0], [0, 1]]


# ---------------------------------------------------------------------- BeliefRange
def test_belief_range_basics() -> None:
    r = BeliefRange.from_intervals(("a", "b"), [(0.0, 0.2), (0.2, 0.3), (0.8, 1.0)])
    assert r.intervals == ((0.0, 0.3), (0.8, 1.0))
    assert r.contains([0.25, 0.75]) and not r.contains([0.5, 0.5])
    assert not r.contains([0.9, 0.2])  # not a probability vector
    assert repr(r) == "BeliefRange(P(a) in [0, 0.3] or [0.8, 1])"
    with pytest.raises(GameError, match="probabilities"):
        BeliefRange.from_intervals(("a", "b"), [(0.5, 0.2)])
    with pytest.raises(GameError, match="2 probabilities"):
        r.contains([1.0])


# ---------------------------------------------------------------------- extensive form
@pytest.mark.parametrize("shape", [(2, 2, 2), (3, 2, 2), (2, 3, 2), (2, 2, 3), (3, 3, 2)])
def test_to_extensive_tree_and_strategic_form(shape: tuple[int, int, int]) -> None:
    num_types, num_messages, num_actions = shape
    rng = np.random.default_rng(sum(shape))
    g = SignallingGame(
        [f"t{k}" for k in range(num_types)],
        rng.dirichlet(np.ones(num_types)),
        [f"m{k}" for k in range(num_messages)],
        [f"a{k}" for k in range(num_actions)],
        rng.integers(-5, 6, shape),
        rng.integers(-5, 6, shape),
    )
    tree = g.to_extensive()
    assert tree.players == g.players
    sender = [h for h in tree.infosets if h.player == 0]
    receiver = [h for h in tree.infosets if h.player == 1]
    assert sorted(h.label for h in sender) == sorted(g.types)
    assert all(len(h.nodes) == 1 and h.actions == g.messages for h in sender)
    assert [h.label for h in receiver] == list(g.messages)
    assert all(len(h.nodes) == num_types and h.actions == g.actions for h in receiver)
    nf, _ = tree.strategic_form()
    # Every sender information set is reached by chance, so no plan is merged.
    assert nf.shape == (num_messages**num_types, num_actions**num_messages)
    a, b, plans_s, plans_r = strategic_form(g)
    rows = {"/".join(f"m{m}" for m in s): i for i, s in enumerate(plans_s)}
    cols = {"/".join(f"a{x}" for x in r): j for j, r in enumerate(plans_r)}
    order_s = [rows[label] for label in nf.strategy_labels[0]]
    order_r = [cols[label] for label in nf.strategy_labels[1]]
    assert np.allclose(nf.payoff_matrix(0), a[np.ix_(order_s, order_r)])
    assert np.allclose(nf.payoff_matrix(1), b[np.ix_(order_s, order_r)])


@pytest.mark.parametrize("scale", [1e7, 1e19, 1e250])
def test_huge_payoffs_give_the_equilibria_of_the_game_at_ordinary_scale(scale) -> None:
    # Each player's payoffs scaled by a positive factor: the same equilibria, certified on the
    # scaled game (found on a rescaled copy, so the linear programs never see huge numbers).
    from simulator.solvers.signalling_pbe import _beer_quiche

    game = _beer_quiche()
    big = SignallingGame(
        game.types,
        game.prior,
        game.messages,
        game.actions,
        game.sender_payoffs * scale,
        game.receiver_payoffs * scale,
    )
    ordinary = perfect_bayesian_equilibria(game)
    scaled = perfect_bayesian_equilibria(big)
    assert [e.kind for e in scaled] == [e.kind for e in ordinary]
    for a, b in zip(scaled, ordinary):
        assert np.allclose(a.sender, b.sender) and np.allclose(a.receiver, b.receiver)
        assert a.regret <= a.tolerance and a.game is big
        assert a.sender_payoffs == pytest.approx(b.sender_payoffs * scale)
        assert a.intuitive == b.intuitive


def test_non_finite_payoffs_are_a_game_error() -> None:
    from simulator.solvers.signalling_pbe import _beer_quiche

    game = _beer_quiche()
    bad = game.sender_payoffs.copy()
    bad[0, 0, 0] = np.inf
    with pytest.raises((GameError, ValueError)):
        perfect_bayesian_equilibria(
            SignallingGame(
                game.types, game.prior, game.messages, game.actions, bad, game.receiver_payoffs
            )
        )
