"""The sanctions inspection game (Tsebelis 1990): closed form against the solver, the paradox."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from simulator import solve
from simulator.model import NegotiationModel, WesternGovernment
from simulator.model.published.sanctions import (
    InspectionParameters,
    inspection_equilibrium,
    inspection_game,
    inspection_parameters_from_model,
    sanction_probability,
    violation_probability,
)

FAST = settings(max_examples=60, deadline=None)

positive = st.floats(min_value=0.01, max_value=10.0)


@st.composite
def mixed_games(draw: st.DrawFn) -> tuple[float, float, float, float]:
    """Parameters with P > g > 0 and d > c > 0: the mixed-strategy region."""
    g = draw(positive)
    p = g * draw(st.floats(1.01, 20.0))
    c = draw(positive)
    d = c * draw(st.floats(1.01, 20.0))
    return g, p, c, d


class TestClosedForm:
    def test_worked_example(self) -> None:
        eq = inspection_equilibrium(0.1, 0.4, 0.2, 0.5)
        assert eq.regime == "mixed"
        assert eq.violation_probability == pytest.approx(0.4)  # c / d
        assert eq.sanction_probability == pytest.approx(0.25)  # g / P
        assert eq.target_payoff == pytest.approx(0.0)  # indifferent, complying pays 0
        assert eq.sender_payoff == pytest.approx(-0.2)  # indifferent, sanctioning pays -c

    def test_game_payoffs(self) -> None:
        game = inspection_game(0.1, 0.4, 0.2, 0.5)
        assert game.payoff_matrix(0).tolist() == [[0.0, 0.0], [0.1, pytest.approx(-0.3)]]
        assert game.payoff_matrix(1).tolist() == [[0.0, -0.2], [-0.5, -0.2]]
        assert game.strategy_labels == (("comply", "violate"), ("no sanction", "sanction"))

    @FAST
    @given(params=mixed_games())
    def test_mixed_equilibrium_matches_solver(self, params: tuple[float, ...]) -> None:
        eq = inspection_equilibrium(*params)
        (found,) = solve(inspection_game(*params))  # the equilibrium is unique
        assert eq.regime == "mixed"
        assert found.profile[0][1] == pytest.approx(eq.violation_probability, abs=1e-9)
        assert found.profile[1][1] == pytest.approx(eq.sanction_probability, abs=1e-9)
        assert found.payoffs == pytest.approx([eq.target_payoff, eq.sender_payoff], abs=1e-8)

    @FAST
    @given(
        g=st.floats(-5.0, 10.0),
        p=st.floats(0.0, 10.0),
        c=positive,
        d=positive,
    )
    def test_every_regime_matches_solver(self, g: float, p: float, c: float, d: float) -> None:
        # Stay away from the knife-edges, where equilibria form a continuum.
        assume(abs(g) > 1e-3 and abs(p - g) > 1e-3 and abs(d - c) > 1e-3)
        eq = inspection_equilibrium(g, p, c, d)
        (found,) = solve(inspection_game(g, p, c, d))
        assert found.profile[0][1] == pytest.approx(eq.violation_probability, abs=1e-9)
        assert found.profile[1][1] == pytest.approx(eq.sanction_probability, abs=1e-9)
        assert found.payoffs == pytest.approx([eq.target_payoff, eq.sender_payoff], abs=1e-8)

    def test_pure_regimes(self) -> None:
        assert inspection_equilibrium(0.5, 0.4, 0.2, 0.5).regime == "violate, sanctioned"
        assert inspection_equilibrium(0.1, 0.4, 0.6, 0.5).regime == "violate, unsanctioned"
        assert inspection_equilibrium(-0.1, 0.4, 0.2, 0.5).regime == "comply"

    def test_vectorised(self) -> None:
        g = np.array([0.1, 0.5, -0.1, 0.1])
        eq = inspection_equilibrium(g, 0.4, [0.2, 0.2, 0.2, 0.6], 0.5)
        scalars = [
            inspection_equilibrium(gi, 0.4, ci, 0.5) for gi, ci in zip(g, [0.2, 0.2, 0.2, 0.6])
        ]
        assert eq.violation_probability == pytest.approx([e.violation_probability for e in scalars])
        assert eq.sanction_probability == pytest.approx([e.sanction_probability for e in scalars])
        assert eq.regime.tolist() == [e.regime for e in scalars]

    @pytest.mark.parametrize(
        "args, match",
        [
            ((0.1, -0.4, 0.2, 0.5), "penalty"),
            ((0.1, 0.4, 0.0, 0.5), "sanction_cost"),
            ((0.1, 0.4, 0.2, float("inf")), "violation_damage"),
            ((float("nan"), 0.4, 0.2, 0.5), "violation_gain"),
        ],
    )
    def test_invalid_arguments(self, args: tuple[float, ...], match: str) -> None:
        with pytest.raises(ValueError, match=match):
            inspection_equilibrium(*args)


class TestParadox:
    @FAST
    @given(params=mixed_games(), factor=st.floats(1.01, 10.0))
    def test_harsher_penalty_lowers_enforcement_not_violation(
        self, params: tuple[float, ...], factor: float
    ) -> None:
        g, p, c, d = params
        mild, harsh = (
            solve(inspection_game(g, p, c, d)),
            solve(inspection_game(g, p * factor, c, d)),
        )
        (mild_eq,), (harsh_eq,) = mild, harsh
        assert harsh_eq.profile[0][1] == pytest.approx(mild_eq.profile[0][1], abs=1e-9)
        assert harsh_eq.profile[1][1] < mild_eq.profile[1][1]
        closed = inspection_equilibrium(g, [p, p * factor], c, d)
        assert closed.violation_probability[0] == closed.violation_probability[1]
        assert closed.sanction_probability[1] < closed.sanction_probability[0]

    @FAST
    @given(a=mixed_games(), b=mixed_games())
    def test_each_side_mixes_on_the_others_payoffs(
        self, a: tuple[float, ...], b: tuple[float, ...]
    ) -> None:
        # Swap the target's payoffs (g, P) between two games: the violation rate stays.
        target_swapped = (b[0], b[1], a[2], a[3])
        assert violation_probability(a[2], a[3]) == pytest.approx(
            inspection_equilibrium(*target_swapped).violation_probability
        )
        # Swap the sender's payoffs (c, d): the sanctioning rate stays.
        sender_swapped = (a[0], a[1], b[2], b[3])
        assert sanction_probability(a[0], a[1]) == pytest.approx(
            inspection_equilibrium(*sender_swapped).sanction_probability
        )

    @FAST
    @given(params=mixed_games(), factor=st.floats(1.01, 5.0))
    def test_costlier_sanctioning_raises_violation(
        self, params: tuple[float, ...], factor: float
    ) -> None:
        g, p, c, d = params
        assume(c * factor < d)
        before = inspection_equilibrium(g, p, c, d).violation_probability
        after = inspection_equilibrium(g, p, c * factor, d).violation_probability
        assert after == pytest.approx(before * factor)


class TestAdapter:
    def test_default_mapping(self) -> None:
        params = inspection_parameters_from_model(NegotiationModel())
        assert params == InspectionParameters(
            violation_gain=pytest.approx(0.4),
            penalty=pytest.approx(0.1),
            sanction_cost=pytest.approx(0.2),
            violation_damage=pytest.approx(0.5),
        )
        assert params.equilibrium().regime == "violate, sanctioned"
        (found,) = solve(params.game())
        assert found.strategy("Russia") == {"comply": 0.0, "violate": 1.0}

    def test_mixed_example_and_cohesion(self) -> None:
        model = NegotiationModel().with_params(russia__capability=0.5, russia__sanctions_cost=0.5)
        eq = inspection_parameters_from_model(model).equilibrium()
        assert eq.violation_probability == pytest.approx(0.6)  # 0.2 / (1/3)
        assert eq.sanction_probability == pytest.approx((1 / 3 - 0.1) / 0.5)
        # A less cohesive West bites less: it must sanction more often; violation unchanged.
        weaker = inspection_parameters_from_model(model.with_params(west__western_cohesion=0.8))
        assert weaker.penalty == pytest.approx(0.4)
        assert weaker.equilibrium().violation_probability == pytest.approx(0.6)
        assert weaker.equilibrium().sanction_probability > eq.sanction_probability

    def test_weighted_coalition(self) -> None:
        from simulator.model import West

        west = West(
            governments=(
                WesternGovernment("A", weight=3.0, sanctions_burden=0.1),
                WesternGovernment("B", weight=1.0, sanctions_burden=0.5),
            )
        )
        params = inspection_parameters_from_model(NegotiationModel(west=west))
        assert params.sanction_cost == pytest.approx(0.2)
        assert dataclasses.replace(params, penalty=1.0).equilibrium().regime == "mixed"

    def test_no_sanctioning_cost_is_rejected(self) -> None:
        model = NegotiationModel().with_params({"west.governments.West.sanctions_burden": 0.0})
        with pytest.raises(ValueError, match="sanctions_burden"):
            inspection_parameters_from_model(model)
