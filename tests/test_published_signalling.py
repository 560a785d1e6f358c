"""Published signalling-game results, read from Gambit's own files where present."""

import pytest

from simulator.games.signalling import SignallingGame
from simulator.io.efg import read_efg
from simulator.solvers.signalling_pbe import perfect_bayesian_equilibria


def outcomes(game):
    return sorted(
        (eq.kind, round(eq.ex_ante_sender_payoff, 9), round(eq.receiver_payoff, 9), eq.intuitive)
        for eq in perfect_bayesian_equilibria(game)
    )


def test_beer_quiche_from_gambit_file(gambit_games):
    tree = read_efg(gambit_games / "contrib" / "games" / "e17.efg")
    game = SignallingGame.from_extensive(tree)
    assert game is not None
    assert game.prior.tolist() == pytest.approx([0.1, 0.9])
    assert outcomes(game) == [("pooling", 2.1, 0.9, False), ("pooling", 2.9, 0.9, True)]
    (kept,) = perfect_bayesian_equilibria(game, refine="intuitive")
    assert kept.sender[:, game.message_index("beer")].tolist() == [1.0, 1.0]


def test_job_market_signalling_watson_fig_29_1(gambit_games):
    tree = read_efg(gambit_games / "catalog" / "books" / "watson2013" / "fig29_1.efg")
    game = SignallingGame.from_extensive(tree)
    assert game is not None
    eqs = perfect_bayesian_equilibria(game)
    separating = [eq for eq in eqs if eq.kind == "separating"]
    pooling = [eq for eq in eqs if eq.kind == "pooling"]
    assert len(separating) == 1 and pooling
    assert separating[0].ex_ante_sender_payoff == pytest.approx(14 / 3)
    assert separating[0].receiver_payoff == pytest.approx(6)


def test_bundled_beer_quiche_round_trips_through_the_tree():
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "scenarios" / "games" / "beer_quiche.efg"
    game = SignallingGame.from_extensive(read_efg(path))
    assert game is not None
    assert SignallingGame.from_extensive(game.to_extensive()) == game
    assert [o[1] for o in outcomes(game)] == [2.1, 2.9]


def test_non_signalling_trees_are_not_recognised():
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "scenarios" / "games" / "entry_deterrence.efg"
    assert SignallingGame.from_extensive(read_efg(path)) is None
