from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from simulator import GameError, NormalFormGame


def pd() -> NormalFormGame:
    return NormalFormGame.from_bimatrix(
        [[3, 0], [5, 1]],
        [[3, 5], [0, 1]],
        players=["Row", "Col"],
        strategies=[["C", "D"], ["C", "D"]],
    )


def test_shape_players_and_labels():
    g = pd()
    assert g.shape == (2, 2)
    assert g.num_players == 2
    assert g.payoffs.shape == (2, 2, 2)
    assert g.strategy_labels == (("C", "D"), ("C", "D"))
    assert [p.name for p in g.players] == ["Row", "Col"]


def test_payoffs_are_read_only():
    g = pd()
    with pytest.raises(ValueError):
        g.payoffs[0, 0, 0] = 10


def test_pure_and_mixed_payoffs():
    g = pd()
    np.testing.assert_allclose(g.payoff(["D", "C"]), [5, 0])
    np.testing.assert_allclose(g.payoff([1, 1]), [1, 1])
    np.testing.assert_allclose(g.payoff([[0.5, 0.5], {"C": 1.0}]), [4, 1.5])


def test_best_responses_and_regret():
    g = pd()
    assert g.best_responses(["C", "C"], 0) == [1]
    assert g.regret(["C", "C"]) == pytest.approx(2.0)
    np.testing.assert_allclose(g.regrets(["C", "D"]), [1.0, 0.0])
    assert g.is_nash(["D", "D"])
    assert not g.is_nash(["C", "D"])


def test_exact_regret_uses_fractions():
    g = NormalFormGame.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    assert g.exact_regret([[Fraction(2, 3), Fraction(1, 3)], [Fraction(1, 3), Fraction(2, 3)]]) == 0
    assert g.exact_regret([[1, 0], [0, 1]]) == 1


def test_three_player_payoff_matches_brute_force():
    rng = np.random.default_rng(1)
    u = rng.normal(size=(2, 3, 2, 3))
    g = NormalFormGame(u)
    sigma = [rng.dirichlet(np.ones(n)) for n in g.shape]
    expected = np.einsum("abci,a,b,c->i", u, *sigma)
    np.testing.assert_allclose(g.payoff(sigma), expected)
    for player in range(3):
        values = g.strategy_payoffs(sigma, player)
        assert values @ sigma[player] == pytest.approx(expected[player])


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: NormalFormGame(np.zeros((2, 2, 3))), "last axis"),
        (lambda: NormalFormGame([[1.0, np.nan], [0, 0]]), "last axis"),
        (lambda: NormalFormGame(np.full((2, 2, 2), np.inf)), "finite"),
        (lambda: NormalFormGame(np.zeros((0, 2, 2))), "at least one strategy"),
        (lambda: NormalFormGame(np.zeros((2, 2, 2)), players=["A", "A"]), "duplicate player"),
        (
            lambda: NormalFormGame(np.zeros((2, 2, 2)), strategies=[["x", "x"], ["a", "b"]]),
            "duplicate strategy",
        ),
        (
            lambda: NormalFormGame(np.zeros((2, 2, 2)), strategies=[["x"], ["a", "b"]]),
            "2 strategies",
        ),
        (lambda: NormalFormGame.from_bimatrix([[1, 2]], [[1], [2]]), "same shape"),
        (lambda: NormalFormGame([["a", "b"]]), "numbers"),
    ],
)
def test_validation_errors_are_clear(build, message):
    with pytest.raises(GameError, match=message):
        build()


def test_profile_validation():
    g = pd()
    with pytest.raises(GameError, match="summing to 1"):
        g.payoff([[0.5, 0.6], [1, 0]])
    with pytest.raises(GameError, match="no strategy 'X'"):
        g.payoff(["X", "C"])
    with pytest.raises(GameError, match="one entry per player"):
        g.payoff(["C"])


def test_relabel_and_permutations():
    g = pd()
    h = g.permute_strategies(0, [1, 0])
    assert h.strategy_labels[0] == ("D", "C")
    np.testing.assert_allclose(h.payoff(["D", "C"]), g.payoff(["D", "C"]))
    swapped = g.permute_players([1, 0])
    assert [p.name for p in swapped.players] == ["Col", "Row"]
    np.testing.assert_allclose(swapped.payoff(["C", "D"]), g.payoff(["D", "C"])[::-1])
    renamed = g.relabel(players=["A", "B"])
    assert renamed.players[0].name == "A"
    assert np.array_equal(renamed.payoffs, g.payoffs)


def test_affine_transform_and_zero_sum():
    pennies = NormalFormGame.from_bimatrix([[1, -1], [-1, 1]])
    assert pennies.is_zero_sum()
    assert not pennies.affine_transform(2, 1).is_zero_sum()
    np.testing.assert_allclose(pennies.affine_transform([2, 3], [1, 0]).payoff([0, 0]), [3, -3])


def test_table_and_repr():
    g = pd()
    text = g.to_table()
    assert "Row \\ Col" in text and "5, 0" in text
    assert "2x2" in repr(g)
    three = NormalFormGame(np.arange(36, dtype=float).reshape(2, 3, 2, 3))
    assert three.to_table().count("Player 3 plays") == 2
    assert "<pre>" in g._repr_html_()


def test_restrict_keeps_labels():
    g = pd().restrict([[1], [0, 1]])
    assert g.shape == (1, 2)
    assert g.strategy_labels == (("D",), ("C", "D"))


@settings(max_examples=40, deadline=None)
@given(
    arrays(
        float,
        st.tuples(st.integers(1, 3), st.integers(1, 3), st.just(2)),
        elements=st.floats(-10, 10),
    )
)
def test_permuting_players_twice_is_identity(u):
    g = NormalFormGame(u)
    assert g.permute_players([1, 0]).permute_players([1, 0]) == g
