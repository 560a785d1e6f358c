"""Short reprs and notebook (HTML) reprs of the objects an analyst handles."""

from __future__ import annotations

from pathlib import Path

from simulator import load_scenario
from simulator.model import NegotiationModel, Offer
from simulator.model.offer_game import solve_offer_game

ROOT = Path(__file__).resolve().parents[1]


def test_reprs_are_one_short_line() -> None:
    scenario = load_scenario(ROOT / "scenarios" / "baseline_spring_2022.yaml")
    result = solve_offer_game(scenario.model, scenario.offer())
    for obj in (scenario, scenario.model, scenario.offer(), result, NegotiationModel()):
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
    result_html = solve_offer_game(scenario.model, scenario.offer())._repr_html_()
    assert result_html.startswith("<pre>") and "certificate" in result_html
