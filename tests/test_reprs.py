"""Short reprs and notebook (HTML) reprs of the objects an analyst handles."""

from __future__ import annotations

from pathlib import Path

from simulator import load_scenario
from simulator.model import NegotiationModel, Offer
from simulator.model.offer_game import solve_offer_game

ROOT = Path(__file__).resolve().parents[1]


def test_reprs_are_one_short_line() -> None:
    scenario = load_scenario(ROOT / "scenarios" / "baseline_spring_2022.yaml")
    result = solve_offer_game(scenario.model, scenario.first_offer)
    for obj in (scenario, scenario.model, scenario.first_offer, result, NegotiationModel()):
        text = repr(obj)
        assert "\n" not in text and len(text) < 400, (type(obj).__name__, len(text))
    assert repr(NegotiationModel()).endswith("all defaults)")
    changed = NegotiationModel().with_params(russia__war_cost=0.3)
    assert "russia.war_cost=0.3" in repr(changed)
    assert changed.changed() == {"russia.war_cost": 0.3}


def test_html_reprs_show_tables_and_escape_text() -> None:
    scenario = load_scenario(ROOT / "scenarios" / "baseline_spring_2022.yaml")
    model_html = scenario.model._repr_html_()
    assert model_html.startswith("<table>") and "russia.great_power_status" in model_html
    assert "changed" in model_html
    offer_html = Offer(name="a<b", inducements={"Hungary": 0.1})._repr_html_()
    assert "a&lt;b" in offer_html and "inducement to Hungary" in offer_html
    scenario_html = scenario._repr_html_()
    assert scenario.title.split(",")[0] in scenario_html and "<table>" in scenario_html
    result_html = solve_offer_game(scenario.model, scenario.first_offer)._repr_html_()
    assert result_html.startswith("<pre>") and "certificate" in result_html


def test_results_have_one_line_reprs_not_array_dumps() -> None:
    """Every result an analyst holds prints as one short line (its arrays stay in attributes)."""
    from simulator.analysis import run_scenario
    from simulator.model.buy_time_game import buy_time_equilibrium
    from simulator.model.buy_time_play import play
    from simulator.model.buy_time_setup import BuyTimeSettings
    from simulator.model.dynamics import simulate
    from simulator.model.markov import markov_perfect_equilibrium

    scenario = load_scenario(ROOT / "tests" / "data" / "scenarios" / "full.yaml")
    results = run_scenario(scenario, fast=True)
    objects: list[object] = [results, *results.analyses]
    for analysis in results.analyses:
        objects += list(getattr(analysis, "strategies", ())) + list(
            getattr(analysis, "solutions", ())
        )
    model, offer = scenario.model, scenario.first_offer
    equilibrium = buy_time_equilibrium(model, offer, BuyTimeSettings(periods=2))
    objects += [
        equilibrium,
        play(equilibrium, runs=20, seed=1),
        simulate(model, offer, "buy_time", runs=10, periods=3, seed=1),
        markov_perfect_equilibrium(model, offer, periods=2),
    ]
    kinds = {type(obj).__name__ for obj in objects}
    assert {"SweepResult", "MonteCarloResult", "Comparison", "StrategyResult"} <= kinds
    for obj in objects:
        text = repr(obj)
        assert "\n" not in text and len(text) < 400, (type(obj).__name__, len(text))
    # summary() is one thing everywhere: a dict by name (never a string)
    objects.append(solve_offer_game(model, offer))
    summarised = [obj for obj in objects if callable(getattr(obj, "summary", None))]
    assert {"MonteCarloResult", "SimulationResult", "MPEResult", "OfferGameResult"} <= {
        type(obj).__name__ for obj in summarised
    }
    for obj in summarised:
        assert isinstance(obj.summary(), dict), type(obj).__name__
