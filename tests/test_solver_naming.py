"""One naming rule for the strategic-form solvers (simulator/solvers/__init__.py).

A function named after its algorithm returns plain arrays (lean); the same name with
``_result`` returns the algorithm's result type, whose equilibria are certified
``Equilibrium`` objects. For every algorithm: the lean and the rich function give the same
profiles, every rich equilibrium is certified on the game's real payoffs, the old names
still work with a ``DeprecationWarning``, and the package re-exports each pair.
"""

from __future__ import annotations

import importlib
import warnings

import numpy as np
import pytest

import simulator.solvers as solvers
from simulator import NormalFormGame, solve
from simulator.games.normal_form import player_regrets
from simulator.solvers.equilibrium import Equilibrium, player_tolerances
from simulator.solvers.lemke_howson import (
    LemkeHowsonResult,
    lemke_howson,
    lemke_howson_all_labels,
    lemke_howson_all_labels_result,
    lemke_howson_result,
)
from simulator.solvers.logit import LogitResult, trace_logit, trace_logit_result
from simulator.solvers.support_enumeration_n import (
    SupportEnumerationResult,
    support_enumeration,
    support_enumeration_result,
)
from simulator.solvers.vertex_enumeration import (
    VertexEnumerationResult,
    vertex_enumeration,
    vertex_enumeration_result,
)
from simulator.solvers.zero_sum import ZeroSumResult, zero_sum, zero_sum_result

# Payoffs far from [0, 1] and different per player: a certificate measured on rescaled
# payoffs, or with one player's bound for both, would show here.
rng = np.random.default_rng(13)
SEXES = (np.array([[2.0, 0.0], [0.0, 1.0]]) * 40 - 7, np.array([[1.0, 0.0], [0.0, 2.0]]) * 0.3)
DEGENERATE = (np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([[1.0, 1.0], [0.0, 0.0]]))
RANDOM = (rng.standard_normal((4, 5)) * 25 + 3, rng.standard_normal((4, 5)) * 0.01)
BIMATRICES = {"sexes": SEXES, "degenerate": DEGENERATE, "random 4x5": RANDOM}
ZERO_SUM = np.array([[3.0, -1.0, 2.0], [-2.0, 4.0, 0.5], [0.0, 1.0, -3.0]]) * 12
# The McKelvey-McLennan 2x2x2 game (nine equilibria), scaled per player.
MM = np.zeros((2, 2, 2, 3))
MM[0, 0, 0], MM[1, 1, 0] = (9, 8, 12), (9, 8, 2)
MM[1, 0, 1], MM[0, 1, 1] = (3, 4, 6), (3, 4, 6)
MM = MM * np.array([1.0, 50.0, 0.02])
ASYMMETRIC = np.stack([[[9.0, 0.0], [0.0, 1.0]], [[0.0, 1.0], [1.0, 0.0]]], axis=-1)


def bimatrix(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    return np.stack([A, B], axis=-1)


def assert_certified_on(payoffs: np.ndarray, eq: Equilibrium, method: str) -> None:
    """``eq`` is certified on ``payoffs`` themselves, each player at its own bound."""
    assert isinstance(eq, Equilibrium)
    assert eq.method == method
    np.testing.assert_array_equal(eq.game.payoffs, payoffs)
    assert eq.regret <= eq.tolerance
    regrets = player_regrets(payoffs, list(eq.profile))
    assert np.all(regrets <= player_tolerances(payoffs))
    np.testing.assert_allclose(eq.tolerances, player_tolerances(payoffs))


def assert_same_profiles(lean, rich) -> None:
    assert len(lean) == len(rich)
    for plain, profile in zip(lean, rich):
        assert all(type(v) is np.ndarray for v in plain)
        assert len(plain) == len(profile)
        for v, w in zip(plain, profile):
            np.testing.assert_allclose(v, w, rtol=0, atol=1e-12)


# ---------------------------------------------------------------------- lean = rich, certified
@pytest.mark.parametrize("name", BIMATRICES)
def test_vertex_enumeration(name: str) -> None:
    A, B = BIMATRICES[name]
    result = vertex_enumeration_result(A, B)
    assert isinstance(result, VertexEnumerationResult)
    assert isinstance(result.equilibria, tuple) and len(result.equilibria) == len(result.pairs)
    assert_same_profiles(list(vertex_enumeration(A, B)), [eq.profile for eq in result.equilibria])
    for eq, component in zip(result.equilibria, result.components):
        assert_certified_on(bimatrix(A, B), eq, "enumerate")
        assert eq.component == component


def test_support_enumeration() -> None:
    result = support_enumeration_result(MM)
    assert isinstance(result, SupportEnumerationResult)
    assert isinstance(result.equilibria, tuple) and len(result.equilibria) == 9
    assert len(result.supports) == len(result.equilibria)
    assert_same_profiles(support_enumeration(MM), [eq.profile for eq in result.equilibria])
    for eq, support in zip(result.equilibria, result.supports):
        assert_certified_on(MM, eq, "support")
        assert eq.support == support
    assert result.regrets == tuple(eq.regret for eq in result.equilibria)


@pytest.mark.parametrize("name", BIMATRICES)
def test_lemke_howson(name: str) -> None:
    A, B = BIMATRICES[name]
    for label in range(sum(A.shape)):
        result = lemke_howson_result(A, B, initial_label=label)
        assert isinstance(result, LemkeHowsonResult)
        assert result.initial_label == label and result.pivots >= 1
        assert_same_profiles(
            [lemke_howson(A, B, initial_label=label)], [result.equilibrium.profile]
        )
        assert_certified_on(bimatrix(A, B), result.equilibrium, "lemke-howson")
        assert result.equilibrium.parameters == {"initial_label": label, "pivots": result.pivots}
        # the old attributes read the certified profile
        assert result.row_strategy is result.equilibrium.profile[0]
        assert result.col_strategy is result.equilibrium.profile[1]


@pytest.mark.parametrize("name", BIMATRICES)
def test_lemke_howson_all_labels(name: str) -> None:
    A, B = BIMATRICES[name]
    results = lemke_howson_all_labels_result(A, B)
    assert isinstance(results, tuple) and results
    assert_same_profiles(lemke_howson_all_labels(A, B), [r.equilibrium.profile for r in results])
    for r in results:
        assert_certified_on(bimatrix(A, B), r.equilibrium, "lemke-howson")


@pytest.mark.parametrize("payoffs", [ASYMMETRIC, MM], ids=["asymmetric pennies", "2x2x2"])
def test_trace_logit(payoffs: np.ndarray) -> None:
    result = trace_logit_result(payoffs)
    assert isinstance(result, LogitResult)
    assert result.refined
    assert_same_profiles([trace_logit(payoffs)], [result.equilibrium.profile])
    assert_same_profiles([trace_logit(payoffs)], [result.profile])
    assert_certified_on(payoffs, result.equilibrium, "logit")
    assert result.equilibrium.parameters["final_lambda"] == result.final_lambda


def test_trace_logit_not_refined_has_no_equilibrium() -> None:
    pd = np.stack([[[3.0, 0.0], [5.0, 1.0]], [[3.0, 5.0], [0.0, 1.0]]], axis=-1)
    result = trace_logit_result(pd, max_lambda=1.0)
    assert not result.refined and result.equilibrium is None
    assert_same_profiles([trace_logit(pd, max_lambda=1.0)], [result.profile])


def test_zero_sum() -> None:
    result = zero_sum_result(ZERO_SUM)
    assert isinstance(result, ZeroSumResult)
    assert_same_profiles([zero_sum(ZERO_SUM)], [result.equilibrium.profile])
    assert_certified_on(bimatrix(ZERO_SUM, -ZERO_SUM), result.equilibrium, "zero-sum")
    x, y = result.equilibrium.profile
    assert result.value == pytest.approx(float(x @ ZERO_SUM @ y), abs=1e-9)
    assert result.equilibrium.payoffs[0] == pytest.approx(result.value, abs=1e-9)
    assert result.row_strategy is x and result.col_strategy is y


def test_rich_equilibria_are_those_of_solve() -> None:
    # One concept, one answer: solve() certifies the same profiles on the same game.
    A, B = RANDOM
    game = NormalFormGame.from_bimatrix(A, B)

    def key(eq: Equilibrium) -> tuple[float, ...]:
        return tuple(np.round(np.concatenate(eq.profile), 9))

    rich = vertex_enumeration_result(A, B).equilibria
    assert sorted(map(key, solve(game, method="enumerate"))) == sorted(map(key, rich))
    (lh,) = solve(game, method="lemke-howson", initial_label=2)
    assert key(lh) == key(lemke_howson_result(A, B, initial_label=2).equilibrium)
    assert lh.parameters["pivots"] == lemke_howson_result(A, B, initial_label=2).pivots
    found = support_enumeration_result(MM).equilibria
    assert sorted(map(key, solve(NormalFormGame(MM), method="support"))) == sorted(map(key, found))


def test_lean_arrays_are_fresh_and_writable() -> None:
    A, B = SEXES
    for x, y in [lemke_howson(A, B), zero_sum(ZERO_SUM), *vertex_enumeration(A, B)]:
        x[...] = 0.0  # a plain array of the caller's own
        y[...] = 0.0
    x, _ = lemke_howson(A, B)
    assert x.sum() == pytest.approx(1.0)


# ---------------------------------------------------------------------- deprecated names
def test_extreme_equilibria_warns_and_returns_the_new_type() -> None:
    from simulator.solvers.vertex_enumeration import ExtremeEquilibria, extreme_equilibria

    A, B = DEGENERATE
    with pytest.warns(DeprecationWarning, match="vertex_enumeration_result"):
        old = extreme_equilibria(A, B)
    assert ExtremeEquilibria is VertexEnumerationResult and isinstance(old, ExtremeEquilibria)
    new = vertex_enumeration_result(A, B)
    assert old.pairs.tolist() == new.pairs.tolist() and old.cliques == new.cliques
    assert_same_profiles(
        [eq.profile for eq in old.equilibria], [eq.profile for eq in new.equilibria]
    )


def test_enumerate_equilibria_warns_and_returns_the_lean_list() -> None:
    from simulator.solvers.support_enumeration_n import enumerate_equilibria

    with pytest.warns(DeprecationWarning, match="support_enumeration"):
        old = enumerate_equilibria(MM)
    assert_same_profiles(old, support_enumeration(MM))


def test_solve_zero_sum_warns_and_returns_the_new_type() -> None:
    from simulator.solvers.zero_sum import ZeroSumSolution, solve_zero_sum

    with pytest.warns(DeprecationWarning, match="zero_sum_result"):
        old = solve_zero_sum(ZERO_SUM)
    assert ZeroSumSolution is ZeroSumResult and isinstance(old, ZeroSumSolution)
    assert old.value == zero_sum_result(ZERO_SUM).value
    assert_same_profiles([zero_sum(ZERO_SUM)], [(old.row_strategy, old.col_strategy)])


def test_deprecated_names_resolve_on_the_package_but_are_not_listed() -> None:
    old = ["extreme_equilibria", "ExtremeEquilibria", "enumerate_equilibria"]
    old += ["solve_zero_sum", "ZeroSumSolution"]
    for name in old:
        assert name not in solvers.__all__
        assert getattr(solvers, name) is not None
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the library itself calls no deprecated name
        solve(NormalFormGame.from_bimatrix(ZERO_SUM, -ZERO_SUM), method="zero-sum")
        solve(NormalFormGame.from_bimatrix(*SEXES), method="enumerate")
        solve(NormalFormGame(MM), method="support")


# ---------------------------------------------------------------------- the re-export table
PAIRS = {
    "vertex_enumeration": ("vertex_enumeration", "VertexEnumerationResult"),
    "support_enumeration_n": ("support_enumeration", "SupportEnumerationResult"),
    "lemke_howson": ("lemke_howson", "LemkeHowsonResult"),
    "logit": ("trace_logit", "LogitResult"),
    "zero_sum": ("zero_sum", "ZeroSumResult"),
}


@pytest.mark.parametrize("module", PAIRS)
def test_the_package_re_exports_each_pair(module: str) -> None:
    lean, result_type = PAIRS[module]
    listed = solvers._MODULES[module]
    assert {lean, f"{lean}_result", result_type} <= set(listed)
    defined = importlib.import_module(f"simulator.solvers.{module}")
    for name in (lean, f"{lean}_result", result_type):
        assert name in solvers.__all__ and name in defined.__all__
        assert getattr(solvers, name) is getattr(defined, name)
    assert callable(getattr(solvers, lean)) and not isinstance(getattr(solvers, lean), type)


def test_all_labels_pair_is_re_exported() -> None:
    listed = solvers._MODULES["lemke_howson"]
    assert {"lemke_howson_all_labels", "lemke_howson_all_labels_result"} <= set(listed)
