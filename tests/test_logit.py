"""Logit quantal response equilibria: the principal branch and its refined Nash limit."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq

from simulator.games.errors import GameError
from simulator.games.normal_form import player_regrets
from simulator.solvers.equilibrium import default_tolerance
from simulator.solvers.logit import LogitResult, logit_qre, trace_logit, trace_logit_result
from simulator.solvers.support_enumeration_n import support_enumeration

PENNIES = np.stack([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], axis=-1).astype(float)
# Asymmetric matching pennies: unique equilibrium ((1/2, 1/2), (1/10, 9/10)).
ASYMMETRIC = np.stack([[[9, 0], [0, 1]], [[0, 1], [1, 0]]], axis=-1).astype(float)


def random_game(seed, shape):
    return np.random.default_rng(seed).normal(size=(*shape, len(shape)))


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def qre_2x2_by_brentq(u, lam):
    """The logit QRE of a 2x2 game whose QRE is unique, from the fixed-point equations.

    Payoffs are normalised by their span as ``logit_qre`` documents. With ``p`` and ``q``
    the probabilities of each player's first strategy, ``q = sigma(lam * dB(p))`` and
    ``p = sigma(lam * dA(q))``; the root in ``p`` of the composition is found by brentq.
    """
    a = (u[..., 0] - u.min()) / (u.max() - u.min())
    b = (u[..., 1] - u.min()) / (u.max() - u.min())

    def q_of(p):
        return sigmoid(lam * ((b[0, 0] - b[0, 1]) * p + (b[1, 0] - b[1, 1]) * (1 - p)))

    def gap(p):
        q = q_of(p)
        return sigmoid(lam * ((a[0, 0] - a[1, 0]) * q + (a[0, 1] - a[1, 1]) * (1 - q))) - p

    p = brentq(gap, 0.0, 1.0, xtol=1e-15)
    return np.array([p, 1 - p]), np.array([q_of(p), 1 - q_of(p)])


def logit_residual(u, lam, profile):
    """Largest violation of ``pi_i = softmax(lam * payoffs_i)`` (normalised payoffs)."""
    norm = (u - u.min()) / (u.max() - u.min())
    worst = 0.0
    for i, pi in enumerate(profile):
        values = norm[..., i]
        for j in reversed(range(len(profile))):
            if j != i:
                values = np.tensordot(values, profile[j], axes=([j], [0]))
        expected = np.exp(lam * (values - values.max()))
        worst = max(worst, float(np.abs(expected / expected.sum() - pi).max()))
    return worst


# ---------------------------------------------------------------------- QRE values
@pytest.mark.parametrize("lam", [0.0, 0.3, 2.0, 25.0, 1e4])
def test_matching_pennies_qre_is_uniform_at_every_lambda(lam):
    for v in logit_qre(PENNIES, lam):
        np.testing.assert_allclose(v, [0.5, 0.5], atol=1e-12)


@pytest.mark.parametrize("lam", [0.5, 2.0, 7.5, 40.0])
def test_asymmetric_2x2_qre_matches_fixed_point_equations(lam):
    expected = qre_2x2_by_brentq(ASYMMETRIC, lam)
    got = logit_qre(ASYMMETRIC, lam)
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g, e, atol=1e-10)


def test_qre_of_a_three_player_game_solves_the_logit_equations():
    u = random_game(4, (2, 3, 2))
    for lam in (1.0, 6.0, 30.0):
        assert logit_residual(u, lam, logit_qre(u, lam)) < 1e-10


def test_qre_at_zero_is_uniform():
    profile = logit_qre(random_game(1, (3, 2, 4)), 0.0)
    for v, n in zip(profile, (3, 2, 4)):
        np.testing.assert_allclose(v, np.full(n, 1 / n))


def test_lambda_is_on_the_normalised_scale():
    # Scaling and shifting all payoffs leaves the QRE at a given lambda unchanged.
    u = random_game(6, (3, 3))
    for a, b in zip(logit_qre(u, 5.0), logit_qre(7.0 * u - 3.0, 5.0)):
        np.testing.assert_allclose(a, b, atol=1e-10)


# ---------------------------------------------------------------------- limits
def test_trace_asymmetric_pennies_refines_to_the_equilibrium():
    result = trace_logit_result(ASYMMETRIC)
    assert isinstance(result, LogitResult)
    assert result.refined and result.final_lambda == 1e6
    np.testing.assert_allclose(result.profile[0], [0.5, 0.5], atol=1e-12)
    np.testing.assert_allclose(result.profile[1], [0.1, 0.9], atol=1e-12)
    assert result.regret <= default_tolerance(ASYMMETRIC)
    assert result.equilibrium.method == "logit"
    assert result.equilibrium.regret <= result.equilibrium.tolerance
    for ours, lean in zip(result.equilibrium.profile, trace_logit(ASYMMETRIC)):
        np.testing.assert_allclose(ours, lean, atol=1e-15)


def test_path_starts_uniform_and_ends_at_max_lambda():
    u = random_game(2, (3, 4))
    result = trace_logit_result(u, max_lambda=1e4)
    path = result.path
    assert path.lambdas[0] == 0 and path.lambdas[-1] == 1e4
    assert len(path.lambdas) == len(path.profiles)
    np.testing.assert_allclose(path.profiles[0][0], np.full(3, 1 / 3))
    for profile in path.profiles:
        for v in profile:
            assert v.min() >= 0 and abs(v.sum() - 1) < 1e-9
    # Every recorded point is a QRE at its lambda.
    for k in range(0, len(path.lambdas), 7):
        assert logit_residual(u, path.lambdas[k], path.profiles[k]) < 1e-6


@settings(max_examples=12, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(2, 4), st.integers(2, 4))
def test_limit_on_random_two_player_games_is_an_enumerated_equilibrium(seed, rows, cols):
    u = random_game(seed, (rows, cols))
    result = trace_logit_result(u)
    assert result.refined
    assert result.regret <= default_tolerance(u)
    limit = np.concatenate(result.profile)
    assert any(np.abs(limit - np.concatenate(eq)).max() < 1e-8 for eq in support_enumeration(u))


def test_limit_is_one_of_nashpys_equilibria():
    nashpy = pytest.importorskip("nashpy")
    u = random_game(21, (4, 4))
    limit = np.concatenate(trace_logit(u))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = list(nashpy.Game(u[..., 0], u[..., 1]).vertex_enumeration())
    assert any(np.abs(limit - np.concatenate(eq)).max() < 1e-8 for eq in theirs)


@settings(max_examples=6, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([(2, 2, 2), (3, 3, 3), (2, 3, 4)]))
def test_limit_on_random_three_player_games_certifies(seed, shape):
    u = random_game(seed, shape)
    result = trace_logit_result(u)
    assert result.refined
    assert player_regrets(u, list(result.profile)).max() <= default_tolerance(u)


def test_unrefined_limit_reports_its_regret():
    # At lambda = 1 the prisoner's dilemma QRE is still interior; its support (everything)
    # carries no equilibrium, so refinement must fail and report the measured regret.
    pd = np.stack([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], axis=-1).astype(float)
    early = trace_logit_result(pd, max_lambda=1.0)
    assert not early.refined
    assert early.regret == pytest.approx(player_regrets(pd, list(early.profile)).max())
    assert early.regret > default_tolerance(pd)
    assert early.equilibrium is None
    late = trace_logit_result(pd)
    assert late.refined
    assert [tuple(v) for v in late.profile] == [(0.0, 1.0), (0.0, 1.0)]


def test_ten_by_ten_game_is_traced_and_refined():
    # Its speed is measured in benchmarks/, not asserted here.
    u = random_game(10, (10, 10))
    result = trace_logit_result(u)
    assert result.refined
    assert player_regrets(u, list(result.profile)).max() <= default_tolerance(u)


@pytest.mark.parametrize(
    ("payoffs", "lam"),
    [(PENNIES, -1.0), (PENNIES, np.inf), (np.zeros((2, 2, 3)), 1.0), (np.zeros(2), 1.0)],
)
def test_invalid_input_raises(payoffs, lam):
    with pytest.raises(GameError):
        logit_qre(payoffs, lam)


def test_invalid_trace_parameters_raise():
    with pytest.raises(GameError):
        trace_logit(PENNIES, max_lambda=0.0)
    with pytest.raises(GameError):
        trace_logit(PENNIES, step=-1.0)
