"""Scenario files: safe loading, the derived schema, problems with lines, extends, JSON Schema."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.model import NegotiationModel, Offer, ParameterError
from simulator.model.buy_time_setup import BuyTimeSettings
from simulator.model.dynamics import DynamicsSettings, StrategyProfile
from simulator.model.parameters import ParameterSpec, parameter_specs
from simulator.scenario import (
    DEFAULT_STRATEGIES,
    CompareAnalysis,
    MonteCarloAnalysis,
    Problem,
    Scenario,
    ScenarioError,
    SolveAnalysis,
    SweepAnalysis,
    Uncertainty,
    load_scenario,
    parse_scenario,
    scenario_json_schema,
    scenario_reference_markdown,
    starter_scenario,
    validate_scenario,
    validate_text,
)
from simulator.scenario.loader import _sites
from simulator.scenario.source import read_document

DATA = Path(__file__).resolve().parent / "data" / "scenarios"
ROOT = Path(__file__).resolve().parents[1]
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

MINIMAL = "title: t\noffers:\n  deal: {alignment: 0.5}\n"


def problems_of(text: str, **kwargs: Any) -> list[Problem]:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, "s.yaml", **kwargs)
    assert info.value.problems, "a ScenarioError always lists its problems"
    return info.value.problems


def only_problem(text: str, **kwargs: Any) -> Problem:
    found = problems_of(text, **kwargs)
    assert len(found) == 1, "\n".join(map(str, found))
    return found[0]


# ---------------------------------------------------------------------- valid files
def test_minimal_file_gets_model_defaults() -> None:
    s = load_scenario(DATA / "minimal.yaml")
    assert s.title == "Minimal neutrality offer"
    assert s.model == NegotiationModel()
    assert s.offers == {
        "neutrality": Offer(name="neutrality", alignment=0.3, security_guarantees=0.5)
    }
    assert s.seed == 0 and s.description == "" and s.analyses == () and s.figures == ()
    assert s.figure_formats == ("png", "svg")
    assert s.strategies == DEFAULT_STRATEGIES
    assert s.source == str(DATA / "minimal.yaml")
    assert s.formulas == {}


def test_two_line_file_is_enough() -> None:
    s = parse_scenario("title: x\noffers: {deal: {}}")
    assert s.offers["deal"] == Offer(name="deal")


def test_full_file_values_formulas_and_analyses() -> None:
    s = load_scenario(DATA / "full.yaml")
    r = s.model.russia
    assert (r.great_power_status, r.dominance_threshold, r.prior_sincere) == (1.5, 0.3, 0.25)
    assert r.sanctions_cost == pytest.approx(0.5 * 0.08 + 0.02)
    assert r.leader.punishment == 5.0 and r.leader.removal_if_settle == 0.4
    assert s.model.ukraine.war_cost == 0.12
    assert s.model.contest_exponent == 1.5
    west = s.model.west
    assert west.aggregation == "weakest_link" and west.western_cohesion == 0.9
    assert [g.name for g in west.governments] == ["United States", "Germany", "Hungary"]
    assert west.government("Hungary").weight == pytest.approx(0.4 / 8)
    assert s.offers["neutrality_for_guarantees"].alignment == 0.6
    assert s.offers["strict_neutrality"].withdrawal_cost == pytest.approx(0.16)
    assert s.offers["strict_neutrality"].eu_membership is False
    assert s.strategies["stall"] == StrategyProfile("buy_time", "sceptical", "talk_while_fighting")
    assert s.dynamics == DynamicsSettings(periods=36, signal_noise=0.1, terminal_value=False)
    assert set(s.strategies) == {"buy_time", "genuine_compromise", "fight_on", "stall", "sincere"}
    solve, compare, sweep, mc = s.analyses
    assert solve == SolveAnalysis("offer_game", ("neutrality_for_guarantees", "strict_neutrality"))
    assert isinstance(compare, CompareAnalysis)
    assert compare.profiles == ("stall", "sincere", "buy_time")
    assert (compare.periods, compare.runs) == (36, 10000)  # periods from the dynamics section
    assert compare.offer == "neutrality_for_guarantees"
    assert [u.parameter for u in compare.uncertain] == [
        "russia.regroup_rate_staller",
        "west.governments.Germany.sanctions_burden",
    ]
    assert isinstance(sweep, SweepAnalysis) and sweep.shape == (61, 41)
    assert sweep.offer == "strict_neutrality" and sweep.show == "regime_map"
    np.testing.assert_allclose(sweep.axes[0].values()[:3], [0.0, 0.05, 0.1])
    assert isinstance(mc, MonteCarloAnalysis) and mc.runs == 500
    assert mc.uncertain[0] == Uncertainty("russia.prior_sincere", "normal", mean=0.3, sd=0.2)
    assert s.figures == ("regime_map", "bargaining_range", "paths", "payoffs")
    assert s.figure_formats == ("png", "svg")
    assert s.raw["actors"]["russia"]["sanctions_cost"] == "=0.5 * russia.war_cost + 0.02"
    assert s.formulas == {
        "russia.sanctions_cost": "=0.5 * russia.war_cost + 0.02",
        "west.governments.Hungary.weight": "=west.governments.United_States.weight / 8",
        "offers.strict_neutrality.withdrawal_cost": "=2 * russia.war_cost",
    }


def test_validate_scenario_returns_no_problems_for_valid_files() -> None:
    for name in ("minimal", "full", "child"):
        assert validate_scenario(DATA / f"{name}.yaml") == []


def test_yaml_12_exponents_are_numbers() -> None:
    s = parse_scenario("title: t\noffers: {deal: {withdrawal_cost: 1e-2}}")
    assert s.offers["deal"].withdrawal_cost == 0.01


# ---------------------------------------------------------------------- extends
def test_extends_overrides_and_inherits() -> None:
    s = load_scenario(DATA / "child.yaml")
    assert s.title == "Neutrality with a costlier war"
    assert s.model.russia.war_cost == 0.2
    assert s.model.russia.leader.punishment == 8.0
    assert s.model.russia.leader.removal_if_settle == 0.4  # merged from the parent
    assert s.model.russia.great_power_status == 1.5
    # the parent's formula follows the child's value
    assert s.model.russia.sanctions_cost == pytest.approx(0.5 * 0.2 + 0.02)
    assert s.analyses == (SolveAnalysis("offer_game", ("strict_neutrality",)),)  # lists replace
    assert "extends" not in s.raw
    assert s.raw["actors"]["west"]["aggregation"] == "weakest_link"


def test_extends_problem_names_the_file_holding_the_bad_value(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text(
        "title: base\noffers:\n  deal: {alignment: 0.5}\nactors:\n  russia:\n    war_cost: 50\n"
    )
    (tmp_path / "kid.yaml").write_text("extends: base.yaml\nactors:\n  ukraine: {capability: 0}\n")
    found = validate_scenario(tmp_path / "kid.yaml")
    assert [(Path(p.file).name, p.line, p.field) for p in found] == [
        ("base.yaml", 6, "actors.russia.war_cost"),
        ("kid.yaml", 3, "actors.ukraine.capability"),
    ]


def test_extends_cycles_are_reported(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("extends: b.yaml\ntitle: a\n")
    (tmp_path / "b.yaml").write_text("extends: c.yaml\n")
    (tmp_path / "c.yaml").write_text("# comment\nextends: a.yaml\n")
    (p,) = validate_scenario(tmp_path / "a.yaml")
    assert Path(p.file).name == "c.yaml" and p.line == 2 and p.field == "extends"
    assert "cycle: a.yaml -> b.yaml -> c.yaml -> a.yaml" in p.message
    (tmp_path / "self.yaml").write_text("extends: self.yaml\n")
    (p,) = validate_scenario(tmp_path / "self.yaml")
    assert "cycle: self.yaml -> self.yaml" in p.message


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("missing.yaml", "no such file"),
        ("notes.txt", ".yaml or .yml"),
        ("[a.yaml]", "path of another scenario file"),
        ("''", "path of another scenario file"),
    ],
)
def test_extends_bad_targets(tmp_path: Path, value: str, fragment: str) -> None:
    (tmp_path / "s.yaml").write_text(f"title: x\nextends: {value}\n")
    (p,) = validate_scenario(tmp_path / "s.yaml")
    assert p.line == 2 and p.field == "extends" and fragment in p.message


def test_extends_relative_to_base_dir_for_text() -> None:
    s = parse_scenario("extends: minimal.yaml\ntitle: changed\n", base_dir=DATA)
    assert s.title == "changed" and "neutrality" in s.offers


# ---------------------------------------------------------------------- ranges, every parameter
def _all_parameter_sites() -> list[tuple[tuple[Any, ...], str, ParameterSpec]]:
    doc = {
        "actors": {"west": {"governments": [{"name": "G"}]}},
        "offers": {"o": {}},
    }
    return [(s.path, s.name, s.spec) for s in _sites(doc)]


def _nest(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {"title": "t", "offers": {"o": {"alignment": 0.5}}}
    node: Any = doc
    for i, part in enumerate(path[:-1]):
        nxt = path[i + 1]
        if isinstance(part, int):
            continue
        if isinstance(nxt, int):
            node[part] = [{"name": "G"}]
            node = node[part][0]
        else:
            node = node.setdefault(part, {})
    node[path[-1]] = value
    return doc


def _out_of_range(spec: ParameterSpec) -> list[float]:
    values = [spec.low if spec.low_open else spec.low - 1.0]
    values.append(spec.high if spec.high_open else spec.high + 1.0)
    return [int(v) for v in values] if spec.integer else values


SITES = _all_parameter_sites()


@pytest.mark.parametrize(("path", "name", "spec"), SITES, ids=[s[1] for s in SITES])
def test_every_parameter_outside_its_range_is_rejected(
    path: tuple[Any, ...], name: str, spec: ParameterSpec
) -> None:
    for bad in _out_of_range(spec):
        text = yaml.safe_dump(_nest(path, bad), sort_keys=False)
        line = next(
            i
            for i, t in enumerate(text.splitlines(), 1)
            if t.strip().startswith(f"{path[-1]}: ") and t.strip() != f"{path[-1]}: G"
        )
        p = only_problem(text)
        assert p.file == "s.yaml" and p.line == line
        assert p.field.endswith(path[-1]) and p.field.startswith(path[0])
        assert p.value == bad
        assert spec.range_text() in p.message and repr(bad) in p.message
        assert spec.unit in p.message


def test_every_parameter_is_reachable_and_documented() -> None:
    names = {name for _path, name, _spec in SITES}
    model_names = {n for n, _v, spec in NegotiationModel().describe() if spec is not None}
    assert {
        n.replace("west.governments.G.", "west.governments.West.")
        for n in names
        if not n.startswith(("offers.", "dynamics.", "buy_time."))
    } == model_names
    assert {n for n in names if n.startswith("dynamics.")} == {
        f"dynamics.{s.name}" for s in parameter_specs(DynamicsSettings)
    }
    # buy_time.periods is a site of the schema that the loader refuses with its own message
    assert {n for n in names if n.startswith("buy_time.")} == {
        f"buy_time.{s.name}" for s in parameter_specs(BuyTimeSettings)
    }
    text = scenario_reference_markdown()
    for _path, _name, spec in SITES:
        assert spec.description in text and spec.range_text() in text


def test_formula_result_out_of_range_names_the_formula() -> None:
    p = only_problem(
        "title: t\noffers: {deal: {}}\nactors:\n  russia:\n    war_cost: 6\n"
        "    sanctions_cost: '=2 * russia.war_cost'\n"
    )
    assert p.line == 6 and p.field == "actors.russia.sanctions_cost"
    assert "the formula '=2 * russia.war_cost' gives 12" in p.message and "[0, 10]" in p.message


# ---------------------------------------------------------------------- types
@pytest.mark.parametrize(
    ("snippet", "field", "fragment"),
    [
        ("actors: {russia: {war_cost: '0.5'}}", "actors.russia.war_cost", "without quotes"),
        ("actors: {russia: {war_cost: cheap}}", "actors.russia.war_cost", "a number in [0, 10]"),
        ("actors: {russia: {war_cost: true}}", "actors.russia.war_cost", "got true"),
        ("actors: {russia: {war_cost: [1]}}", "actors.russia.war_cost", "got a list"),
        ("actors: {russia: {war_cost: 1+1}}", "actors.russia.war_cost", "must start with '='"),
        ("actors: {russia: {war_cost: .nan}}", "actors.russia.war_cost", "got nan"),
        ("actors: {russia: {war_cost: -.inf}}", "actors.russia.war_cost", "[0, 10]"),
        ("actors: {russia: {war_cost: 1" + "0" * 400 + "}}", "actors.russia.war_cost", "large"),
        ("actors: {russia: 3}", "actors.russia", "must be a mapping"),
        ("actors: {russia: }", "actors.russia", "got nothing"),
        ("actors: {west: {governments: {name: A}}}", "actors.west.governments", "a list"),
        ("actors: {west: {governments: []}}", "actors.west.governments", "at least 1"),
        (
            "actors: {west: {governments: [{weight: 1}]}}",
            "actors.west.governments[0].name",
            "missing required key 'name'",
        ),
        (
            "actors: {west: {governments: [{name: 7}]}}",
            "actors.west.governments[0].name",
            "must be text",
        ),
        ("actors: {west: {aggregation: 3}}", "actors.west.aggregation", "choose one of sum"),
        ("seed: 1.5", "seed", "whole number"),
        ("seed: '=1+1'", "seed", "only for parameter values"),
        ("description: [a]", "description", "must be text"),
        ("figures: regime_map", "figures", "a list"),
        ("figures: [regime_map, regime_map]", "figures[1]", "listed twice"),
        ("figure_formats: [jpg]", "figure_formats[0]", "choose one of png, svg, pdf"),
        (
            "strategies: {s: {russia: buy_time, west: hold, ukraine: reject, x: 1}}",
            "strategies.s.x",
            "unknown key",
        ),
        (
            "strategies: {s: {russia: buy_time, ukraine: maybe}}",
            "strategies.s.ukraine",
            "choose one of accept_if_guaranteed",
        ),
        ("dynamics: {periods: 24.0}", "dynamics.periods", "a whole number in [1, 500]"),
        ("dynamics: {terminal_value: 1}", "dynamics.terminal_value", "true or false"),
        ("analyses: {solve: offer_game}", "analyses", "a list"),
    ],
)
def test_wrong_types_are_explained(snippet: str, field: str, fragment: str) -> None:
    found = problems_of(MINIMAL + snippet + "\n")
    assert [p.field for p in found] == [field], "\n".join(map(str, found))
    assert fragment in found[0].message, str(found[0])
    assert found[0].line == 4


def test_offer_flag_must_be_boolean() -> None:
    p = only_problem("title: t\noffers:\n  deal:\n    nato_membership: 'no'\n")
    assert p.line == 4 and p.field == "offers.deal.nato_membership"
    assert "true or false" in p.message


def test_missing_title_and_offers() -> None:
    found = problems_of("description: nothing else\n")
    assert [(p.field, p.line) for p in found] == [("title", 1), ("offers", 1)]
    assert all("missing required key" in p.message for p in found)
    (p,) = problems_of("title: t\noffers: {}\n")
    assert p.field == "offers" and "at least 1" in p.message


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("# only a comment\n", "empty"),
        ("- a\n- b\n", "mapping of keys"),
        ("just text", "mapping of keys"),
        ("--- {a: 1}\n--- {b: 2}\n", "YAML syntax error"),
    ],
)
def test_not_a_scenario_at_all(text: str, fragment: str) -> None:
    (p,) = problems_of(text)
    assert fragment in p.message


# ---------------------------------------------------------------------- unknown keys
@pytest.mark.parametrize(
    ("snippet", "field", "suggestion"),
    [
        ("titel: x", "titel", "title"),
        ("actor: {}", "actor", "actors"),
        (
            "actors: {russia: {great_power_stauts: 1}}",
            "actors.russia.great_power_stauts",
            "great_power_status",
        ),
        (
            "actors: {russia: {leader: {punishmnet: 1}}}",
            "actors.russia.leader.punishmnet",
            "punishment",
        ),
        ("actors: {west: {cohesion: 0.5}}", "actors.west.cohesion", "western_cohesion"),
        (
            "actors: {west: {governments: [{name: A, wieght: 1}]}}",
            "actors.west.governments[0].wieght",
            "weight",
        ),
        (
            "actors: {russia: {regroup_rate_stallr: 0.1}}",
            "actors.russia.regroup_rate_stallr",
            "regroup_rate_staller",
        ),
        ("actors: {contest_exponnt: 2}", "actors.contest_exponnt", "contest_exponent"),
        (
            "actors: {security_guarantee_credibility: 0.5}",
            "actors.security_guarantee_credibility",
            "actors.west.security_guarantee_credibility",
        ),
        ("analyses: [{solve: offer_game, ofer: deal}]", "analyses[0].ofer", "offer"),
        ("analyses: [{compare: [buy_time], period: 3}]", "analyses[0].period", "periods"),
        (
            "analyses: [{sweep: {russia.war_cost: {from: 0, to: 1, step: 3}}}]",
            "analyses[0].sweep['russia.war_cost'].step",
            "steps",
        ),
        (
            "analyses: [{monte_carlo: {russia.war_cost: {distribution: beta, mean: 0.2, "
            "std: 0.1}}}]",
            "analyses[0].monte_carlo['russia.war_cost'].std",
            "sd",
        ),
    ],
)
def test_unknown_keys_get_suggestions(snippet: str, field: str, suggestion: str) -> None:
    found = problems_of(MINIMAL + snippet + "\n")
    hit = [p for p in found if p.field == field]
    assert hit, "\n".join(map(str, found))
    assert hit[0].suggestion == suggestion and hit[0].line == 4
    assert "unknown key" in hit[0].message
    assert f"(did you mean {suggestion!r}?)" in str(hit[0])


def test_misspelt_offer_key_inside_offers() -> None:
    p = only_problem("title: t\noffers:\n  deal:\n    alignmnet: 0.5\n")
    assert (p.line, p.column, p.field, p.suggestion) == (4, 5, "offers.deal.alignmnet", "alignment")


def test_arrangement_names_and_suggestions() -> None:
    s = parse_scenario("title: t\noffers: {deal: {alignment: nato_membership}}")
    assert s.offers["deal"].alignment == 1.0
    p = only_problem("title: t\noffers: {deal: {alignment: neutral}}")
    assert p.suggestion == "neutrality" and "neutrality_with_eu" in p.message


def test_invalid_names_for_offers_and_strategies() -> None:
    found = problems_of(
        "title: t\noffers:\n  'two words': {}\n  ok: {}\nstrategies:\n  1st: {russia: fight_on, "
        "west: hold, ukraine: reject}\n"
    )
    assert [(p.field, p.line) for p in found] == [
        ("offers['two words']", 3),
        ("strategies['1st']", 6),
    ]
    assert all("not a valid name" in p.message for p in found)


# ---------------------------------------------------------------------- analyses references
def test_analysis_references_are_checked_with_suggestions() -> None:
    text = MINIMAL + (
        "analyses:\n"
        "  - solve: offer_game\n"
        "    offer: dael\n"
        "  - compare: [buy_tme, genuine_compromise, genuine_compromise]\n"
        "    uncertain:\n"
        "      russia.war_cots: {distribution: uniform, low: 0, high: 1}\n"
        "      actors.russia.optimism: {distribution: normal, mean: 0, sd: 1}\n"
        "  - sweep:\n"
        "      west.governments.West.weight: {from: 0, to: 2, steps: 3}\n"
        "      offers.deal.territory: {from: 0.5, to: 0.5, steps: 1001}\n"
        "  - monte_carlo: {offers.deal.alignment: {distribution: uniform, low: -1, high: 1}}\n"
        "    runs: 1000001\n"
    )
    found = problems_of(text)
    summary = [(p.line, p.field, p.suggestion) for p in found]
    assert summary == [
        (6, "analyses[0].offer", "deal"),
        (7, "analyses[1].compare[0]", "buy_time"),
        (7, "analyses[1].compare[2]", None),
        (9, "analyses[1].uncertain['russia.war_cots']", "russia.war_cost"),
        (10, "analyses[1].uncertain['actors.russia.optimism']", "russia.optimism"),
        (12, "analyses[2].sweep['west.governments.West.weight'].from", None),
        (13, "analyses[2].sweep['offers.deal.territory'].to", None),
        (13, "analyses[2].sweep['offers.deal.territory'].steps", None),
        (14, "analyses[3].monte_carlo['offers.deal.alignment'].low", None),
        (15, "analyses[3].runs", None),
    ], "\n".join(map(str, found))
    assert "(0, 1e+06]" in found[5].message
    assert "different from 'from'" in found[6].message
    assert "[2, 1000]" in found[7].message
    assert "listed twice" in found[2].message


@pytest.mark.parametrize(
    ("analysis", "fragment"),
    [
        ("{compare: [buy_time], periods: 501}", "[1, 500]"),
        ("{compare: [buy_time], periods: 0}", "[1, 500]"),
        ("{compare: []}", "at least 1"),
        ("{sweep: {}}", "at least 1"),
        (
            "{sweep: {russia.war_cost: {from: 0, to: 1, steps: 2}, russia.optimism: "
            "{from: 0, to: 1, steps: 2}, contest_exponent: {from: 1, to: 2, steps: 2}}}",
            "at most 2",
        ),
        ("{sweep: {russia.war_cost: {from: 0.5, to: 0.5, steps: 5}}}", "different from"),
        ("{sweep: {russia.war_cost: {from: 0, to: 1, steps: 3}}, show: map}", "regime_map"),
        ("{monte_carlo: {russia.war_cost: {distribution: beta, mean: 0.5, sd: 0.6}}}", "0.5"),
        ("{monte_carlo: {russia.war_cost: {distribution: beta, mean: 0.1, sd: 0.35}}}", "sd < 0.3"),
        (
            "{monte_carlo: {russia.war_cost: {distribution: uniform, low: 0.5, high: 0.2}}}",
            "low < high",
        ),
        ("{monte_carlo: {russia.war_cost: {distribution: normal, mean: 11, sd: 1}}}", "[0, 10]"),
        (
            "{monte_carlo: {russia.war_cost: {distribution: normal, mean: 1, sd: 0}}}",
            "(0, 1000000]",
        ),
        ("{monte_carlo: {russia.war_cost: {distribution: gamma, mean: 1}}}", "beta, uniform"),
        ("{monte_carlo: {russia.war_cost: 0.5}}", "a distribution is a mapping"),
        (
            "{monte_carlo: {russia.war_cost: {distribution: uniform, low: 0, high: 1, mean: 0}}}",
            "unknown key 'mean'",
        ),
        (
            "{monte_carlo: {russia.war_cost: {distribution: beta, mean: 5, sd: 1, high: 20}}}",
            "leaves the valid range [0, 10]",
        ),
        (
            "{monte_carlo: {russia.optimism: {distribution: beta, mean: 0, sd: 0.5, low: -2}}}",
            "leaves the valid range [-1, 1]",
        ),
        (
            "{compare: [buy_time], uncertain: {russia.audience_cost: {distribution: uniform, "
            "low: 0, high: 1}}}",
            "the simulation does not read it",
        ),
        ("{solve: offer_game, compare: [buy_time]}", "does one thing"),
        ("{solv: offer_game}", "exactly one of solve"),
        ("{solve: nash}", "choose one of offer_game"),
        ("offer_game", "a mapping such as"),
    ],
)
def test_analysis_options_are_bounded(analysis: str, fragment: str) -> None:
    found = problems_of(MINIMAL + f"analyses:\n  - {analysis}\n")
    assert any(fragment in p.message for p in found), "\n".join(map(str, found))
    assert all(p.line == 5 and p.field.startswith("analyses[0]") for p in found)


def test_default_offer_of_analyses_is_the_first() -> None:
    s = parse_scenario(
        "title: t\noffers: {b: {}, a: {}}\nanalyses:\n  - compare: [buy_time]\n"
        "  - monte_carlo: {russia.war_cost: {distribution: uniform, low: 0, high: 1}}\n"
    )
    assert [a.offer for a in s.analyses] == ["b", "b"]


# ---------------------------------------------------------------------- unsafe YAML
@pytest.mark.parametrize(
    "value",
    [
        "!!python/object/apply:os.system ['touch {marker}']",
        "!!python/object/new:os.system ['touch {marker}']",
        "!!python/object:builtins.dict {{}}",
        "!!python/name:os.system",
        "!!python/module:os",
        "!custom 3",
        "!!binary aGVsbG8=",
        "!!set {{a, b}}",
        "!!omap [a: 1]",
        "2022-03-29",
        "!<tag:example.com,2000:app/foo> 1",
    ],
)
def test_tags_other_than_plain_yaml_are_rejected(value: str, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    (p,) = problems_of(MINIMAL + "description: " + value.format(marker=marker) + "\n")
    assert p.line == 4 and p.field == "description"
    assert "is not allowed" in p.message and "plain data" in p.message
    assert not marker.exists()


def test_tags_in_keys_and_merge_keys_are_rejected() -> None:
    (p,) = problems_of(MINIMAL + "!!python/name:os.system : 1\n")
    assert p.line == 4 and "not allowed" in p.message
    found = problems_of("base: &b {alignment: 0.5}\ntitle: t\noffers:\n  deal:\n    <<: *b\n")
    assert any(p.line == 5 and "merge keys" in p.message for p in found)


def test_explicit_plain_tags_are_fine() -> None:
    s = parse_scenario("title: !!str 2022\noffers: {deal: {alignment: !!float 0.5}}")
    assert s.title == "2022" and s.offers["deal"].alignment == 0.5


def test_duplicate_keys_are_an_error() -> None:
    found = problems_of(
        "title: t\noffers: {deal: {}}\nactors:\n  russia: {war_cost: 0.1}\n"
        "  russia: {war_cost: 0.2}\ntitle: u\n"
    )
    assert [(p.line, p.field) for p in found] == [(5, "actors.russia"), (6, "title")]
    assert "duplicate key 'russia' (first given on line 4)" in found[0].message


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("title: t\noffers:\n  deal: {alignment: 0.5\n", 4, "YAML syntax error"),
        ("title: t\n  offers: 1\n", 2, "mapping values are not allowed"),
        ("title: t\noffers:\n\tdeal: {}\n", 3, "tabs"),
        ("title: 'unterminated\noffers: {}\n", 3, "YAML syntax error"),
        ("title: t\noffers: [a, b\n", 3, "YAML syntax error"),
        ("title: *nowhere\n", 1, "YAML syntax error"),
        ("title: t\x00\n", 1, "YAML syntax error"),
    ],
)
def test_yaml_syntax_errors_have_lines(text: str, line: int, fragment: str) -> None:
    (p,) = problems_of(text)
    assert p.line == line and fragment in p.message and p.file == "s.yaml"


def test_alias_bombs_and_deep_nesting_are_bounded() -> None:
    bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        bomb.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    (p,) = problems_of("\n".join(bomb) + "\n")
    assert "expands to more than" in p.message
    found = problems_of("title: t\noffers: {deal: {}}\nx: &r [1, *r]\n")
    assert any("nested too deeply" in p.message for p in found)
    for depth in (40, 3000):
        found = problems_of("title: " + "[" * depth + "]" * depth + "\n")
        assert any("nested too deeply" in p.message for p in found)


def test_small_aliases_are_allowed() -> None:
    s = parse_scenario(
        "title: t\noffers:\n  a: &terms {alignment: 0.6, security_guarantees: 0.7}\n  b: *terms\n"
    )
    assert s.offers["a"].alignment == s.offers["b"].alignment == 0.6


# ---------------------------------------------------------------------- problems
def test_all_problems_are_collected_in_line_order() -> None:
    text = (
        "title: t\n"
        "offers:\n"
        "  deal: {alignment: 2, territory: -1}\n"
        "actors:\n"
        "  russia: {war_cost: 11, optimsm: 0}\n"
        "  ukraine: {war_cost: x}\n"
        "seed: -3\n"
    )
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, "s.yaml")
    err = info.value
    assert isinstance(err, ValueError)
    assert [(p.line, p.field) for p in err.problems] == [
        (3, "offers.deal.alignment"),
        (3, "offers.deal.territory"),
        (5, "actors.russia.war_cost"),
        (5, "actors.russia.optimsm"),
        (6, "actors.ukraine.war_cost"),
        (7, "seed"),
    ]
    lines = str(err).splitlines()
    assert len(lines) == 6
    assert all(re.match(r"s\.yaml:\d+:\d+: \S+: ", line) for line in lines)
    assert lines[3].endswith("(did you mean 'optimism'?)")


def test_missing_file_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    (p,) = validate_scenario(tmp_path / "absent.yaml")
    assert "no such file" in p.message
    (p,) = validate_scenario(tmp_path)
    assert "folder" in p.message
    (tmp_path / "latin1.yaml").write_bytes("title: caf\xe9\n".encode("latin-1"))
    (p,) = validate_scenario(tmp_path / "latin1.yaml")
    assert "UTF-8" in p.message


# ---------------------------------------------------------------------- Scenario objects
def test_with_params_changes_model_and_offers_and_refollows_formulas() -> None:
    s = load_scenario(DATA / "full.yaml")
    t = s.with_params(russia__war_cost=0.3, **{"russia__leader__punishment": 9})
    assert t.model.russia.war_cost == 0.3 and t.model.russia.leader.punishment == 9.0
    assert t.model.russia.sanctions_cost == pytest.approx(0.5 * 0.3 + 0.02)
    assert t.offers["strict_neutrality"].withdrawal_cost == pytest.approx(0.6)
    assert s.model.russia.war_cost == 0.08  # unchanged original
    u = t.with_params({"russia.sanctions_cost": 0.5, "west.governments.United States.weight": 0.8})
    assert u.model.russia.sanctions_cost == 0.5 and "russia.sanctions_cost" not in u.formulas
    assert u.model.west.government("Hungary").weight == pytest.approx(0.1)
    v = u.with_params({"offers.neutrality_for_guarantees.security_guarantees": 0.1})
    assert v.offers["neutrality_for_guarantees"].security_guarantees == 0.1
    assert v.params["offers.neutrality_for_guarantees.security_guarantees"] == 0.1
    w = v.with_params(dynamics__periods=12, **{"dynamics.easing": 0.25})
    assert (w.dynamics.periods, w.dynamics.easing) == (12, 0.25)
    assert w.params["dynamics.periods"] == 12
    with pytest.raises(KeyError, match="did you mean 'russia.war_cost'"):
        s.with_params(russia__war_cots=1)
    with pytest.raises(ParameterError, match=r"\[0, 10\]"):
        s.with_params(russia__war_cost=50)


def test_with_params_accepts_formula_spellings_of_government_names() -> None:
    s = load_scenario(DATA / "full.yaml")
    t = s.with_params({"west.governments.United_States.weight": 0.8})
    assert t.model.west.government("United States").weight == 0.8
    assert t.model.west.government("Hungary").weight == pytest.approx(0.1)


def test_government_names_must_be_usable() -> None:
    found = problems_of(
        MINIMAL + "actors:\n  west:\n    governments:\n      - {name: ' '}\n      - {name: a.b}\n"
    )
    assert [(p.line, p.field) for p in found] == [
        (7, "actors.west.governments[0].name"),
        (8, "actors.west.governments[1].name"),
    ]
    assert "blank" in found[0].message and "'.'" in found[1].message


def test_scenario_is_frozen_and_offer_lookup() -> None:
    s = load_scenario(DATA / "minimal.yaml")
    with pytest.raises(AttributeError):
        s.title = "x"  # type: ignore[misc]
    assert s.first_offer is s.offers["neutrality"]
    with pytest.warns(FutureWarning, match="offers"):
        assert s.offer() is s.first_offer  # the old lookup still works, and says so
    with pytest.warns(FutureWarning), pytest.raises(KeyError, match="did you mean 'neutrality'"):
        s.offer("neutral")
    with pytest.raises(ValueError, match="at least one offer"):
        Scenario(title="t", model=NegotiationModel(), offers={})


@FAST
@given(mean=st.floats(0.05, 0.95), rel=st.floats(0.05, 0.9), seed=st.integers(0, 2**32 - 1))
def test_beta_draws_match_mean_and_sd(mean: float, rel: float, seed: int) -> None:
    sd = rel * math.sqrt(mean * (1 - mean))
    spec = ParameterSpec("p", "d", "u", 0, 1, low_open=True, high_open=True, label="P")
    u = Uncertainty("russia.prior_sincere", "beta", mean=mean, sd=sd, spec=spec)
    draws = u.sample(np.random.default_rng(seed), 4000)
    assert np.all((draws > 0) & (draws < 1))
    assert abs(draws.mean() - mean) < 5 * sd / math.sqrt(4000) + 1e-9
    assert abs(draws.std() - sd) < 0.15 * sd


def test_normal_and_uniform_draws_stay_in_range() -> None:
    spec = ParameterSpec("w", "d", "u", 0, 10, label="W")
    rng = np.random.default_rng(1)
    normal = Uncertainty("russia.war_cost", "normal", mean=0.2, sd=1.0, spec=spec).sample(rng, 5000)
    assert normal.min() >= 0 and normal.max() <= 10 and normal.min() < 0.01
    # the truncated normal's mean exceeds 0.2: mass below 0 is moved into the range
    assert normal.mean() == pytest.approx(0.2 + 1.0 * 0.3910 / 0.5793, abs=0.05)
    uniform = Uncertainty("x", "uniform", low=0.2, high=0.4).sample(rng, 1000)
    assert 0.2 <= uniform.min() and uniform.max() <= 0.4


# ---------------------------------------------------------------------- JSON Schema
_KEYWORDS = {
    "$schema",
    "$defs",
    "$ref",
    "title",
    "description",
    "default",
    "type",
    "properties",
    "required",
    "additionalProperties",
    "patternProperties",
    "enum",
    "const",
    "anyOf",
    "oneOf",
    "items",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
    "minLength",
    "maxLength",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "propertyNames",
}
_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


def _schema_errors(schema: dict[str, Any], value: Any, root: dict[str, Any]) -> list[str]:
    """A small JSON Schema validator for the keywords our schema uses."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        return _schema_errors(root["$defs"][name], value, root)
    errors: list[str] = []
    kind = schema.get("type")
    if kind == "number":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    elif kind == "integer":
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind is not None:
        ok = isinstance(value, _TYPES[kind]) and not (kind != "boolean" and value is True)
    else:
        ok = True
    if not ok:
        return [f"{value!r} is not {kind}"]
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{value!r} not in enum")
    if "const" in schema and value != schema["const"]:
        errors.append(f"{value!r} != const")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        for key, test in (
            ("minimum", lambda b: value >= b),
            ("maximum", lambda b: value <= b),
            ("exclusiveMinimum", lambda b: value > b),
            ("exclusiveMaximum", lambda b: value < b),
        ):
            if key in schema and not test(schema[key]):
                errors.append(f"{value!r} fails {key}")
    if isinstance(value, str):
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errors.append(f"{value!r} fails pattern")
        if len(value) < schema.get("minLength", 0) or len(value) > schema.get("maxLength", 1e9):
            errors.append("length")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0) or len(value) > schema.get("maxItems", 1e9):
            errors.append("items count")
        for item in value:
            errors += _schema_errors(schema.get("items", {}), item, root)
    if isinstance(value, dict):
        if not schema.get("minProperties", 0) <= len(value) <= schema.get("maxProperties", 1e9):
            errors.append("property count")
        errors += [f"missing {k}" for k in schema.get("required", []) if k not in value]
        for key, item in value.items():
            errors += _schema_errors(schema.get("propertyNames", {}), key, root)
            if key in schema.get("properties", {}):
                errors += _schema_errors(schema["properties"][key], item, root)
                continue
            patterns = [
                s for p, s in schema.get("patternProperties", {}).items() if re.search(p, key)
            ]
            for sub in patterns:
                errors += _schema_errors(sub, item, root)
            extra = schema.get("additionalProperties", True)
            if not patterns and extra is False:
                errors.append(f"unknown key {key}")
            elif not patterns and isinstance(extra, dict):
                errors += _schema_errors(extra, item, root)
    if "anyOf" in schema and all(_schema_errors(s, value, root) for s in schema["anyOf"]):
        errors.append("no anyOf branch matches")
    if "oneOf" in schema:
        matches = sum(not _schema_errors(s, value, root) for s in schema["oneOf"])
        if matches != 1:
            errors.append(f"{matches} oneOf branches match")
    return errors


def _keywords(node: Any, out: set[str], in_properties: bool = False) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if not in_properties:
                out.add(key)
                if key in ("default", "enum", "const"):
                    continue  # values, not schemas
            _keywords(
                value,
                out,
                key in ("properties", "$defs", "patternProperties") and not in_properties,
            )
    elif isinstance(node, list):
        for item in node:
            _keywords(item, out)


def _validator() -> Any:
    try:
        import jsonschema
    except ImportError:
        return None
    return jsonschema


def _valid_by_schema(doc: Any) -> bool:
    schema = scenario_json_schema()
    jsonschema = _validator()
    if jsonschema is not None:
        return jsonschema.Draft202012Validator(schema).is_valid(doc)
    return not _schema_errors(schema, doc, schema)


def test_json_schema_is_well_formed() -> None:
    schema = scenario_json_schema()
    text = json.dumps(schema)
    assert json.loads(text) == schema
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object" and schema["additionalProperties"] is False
    used: set[str] = set()
    _keywords(schema, used)
    assert used <= _KEYWORDS, used - _KEYWORDS
    refs = set(re.findall(r'"#/\$defs/([^"]+)"', text))
    assert refs <= set(schema["$defs"]) and refs
    jsonschema = _validator()
    if jsonschema is not None:
        jsonschema.Draft202012Validator.check_schema(schema)
    russia = schema["$defs"]["Russia"]["properties"]
    assert russia["prior_sincere"]["anyOf"][0] == {
        "exclusiveMinimum": 0,
        "exclusiveMaximum": 1,
        "type": "number",
    }
    assert russia["prior_sincere"]["default"] == 0.5


@pytest.mark.parametrize("name", ["minimal", "full"])
def test_json_schema_accepts_valid_files(name: str) -> None:
    # (child.yaml is complete only after merging with the file it extends)
    doc, _where = read_document((DATA / f"{name}.yaml").read_text(), name)
    assert _valid_by_schema(doc)
    assert _valid_by_schema(read_document(starter_scenario("x"), "x")[0])


@pytest.mark.parametrize(
    "snippet",
    [
        "actors: {russia: {war_cost: 11}}",
        "actors: {russia: {war_cots: 1}}",
        "offers: {'bad name': {}}",
        "analyses: [{solve: offer_game, compare: [a]}]",
        "analyses: [{sweep: {x: {from: 0, to: 1, steps: 1}}}]",
        "figures: [maps]",
        "actors: {russia: {war_cost: 'cheap'}}",
    ],
)
def test_json_schema_rejects_what_the_loader_rejects(snippet: str) -> None:
    doc = yaml.safe_load(MINIMAL + snippet)
    assert not _valid_by_schema(doc)
    assert validate_text(MINIMAL + snippet)


def test_json_schema_and_loader_agree_on_missing_title() -> None:
    assert not _valid_by_schema({"offers": {"a": {}}})
    assert _valid_by_schema({"title": "t", "offers": {"a": {}}})


# ---------------------------------------------------------------------- generated docs
def test_reference_doc_is_generated_text() -> None:
    committed = (ROOT / "docs" / "scenario-reference.md").read_text(encoding="utf-8")
    assert committed == scenario_reference_markdown(), (
        "docs/scenario-reference.md is stale; regenerate it with "
        'python -c "from simulator.scenario import scenario_reference_markdown as m; '
        "print(m(), end='')\" > docs/scenario-reference.md"
    )


def test_reference_doc_lists_every_key_of_the_schema() -> None:
    text = scenario_reference_markdown()
    schema = scenario_json_schema()
    for definition in schema["$defs"].values():
        for key in definition.get("properties", {}):
            assert f"`{key}`" in text, key


@given(name=st.text(max_size=300))
@settings(max_examples=40, deadline=None)
def test_starter_scenario_is_valid_for_any_name(name: str) -> None:
    text = starter_scenario(name)
    s = parse_scenario(text)
    assert s.title and len(s.analyses) == 3
    assert s.model == NegotiationModel()


# ---------------------------------------------------------------------- fuzzing
_BAD_SCALARS = st.one_of(
    st.just(float("nan")),
    st.just(float("inf")),
    st.just(-float("inf")),
    st.integers(min_value=10**20, max_value=10**300),
    st.integers(max_value=-(10**6)),
    st.text(min_size=1, max_size=30).filter(lambda t: not t.lstrip().startswith("=")),
    st.lists(st.integers(), max_size=3),
    st.none(),
    st.booleans(),
)


def _full_doc() -> dict[str, Any]:
    return yaml.safe_load((DATA / "full.yaml").read_text())


def _numeric_leaves(doc: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = []
    if isinstance(doc, dict):
        for key, value in doc.items():
            out += _numeric_leaves(value, (*path, key))
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            out += _numeric_leaves(value, (*path, i))
    elif isinstance(doc, (int, float)) and not isinstance(doc, bool):
        out.append(path)
    return out


def _mappings(doc: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path] if isinstance(doc, dict) else []
    if isinstance(doc, dict):
        for key, value in doc.items():
            out += _mappings(value, (*path, key))
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            out += _mappings(value, (*path, i))
    return out


FULL = _full_doc()
LEAVES = _numeric_leaves(FULL)
MAPPINGS = _mappings(FULL)


def _set(doc: Any, path: tuple[Any, ...], value: Any) -> None:
    for part in path[:-1]:
        doc = doc[part]
    doc[path[-1]] = value


def _dump(doc: Any) -> str:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


@FAST
@given(leaf=st.sampled_from(LEAVES), bad=_BAD_SCALARS)
def test_bad_values_anywhere_raise_scenario_error(leaf: tuple[Any, ...], bad: Any) -> None:
    doc = _full_doc()
    _set(doc, leaf, bad)
    with pytest.raises(ScenarioError) as info:
        parse_scenario(_dump(doc), base_dir=DATA)
    assert all(p.line is not None for p in info.value.problems)


@FAST
@given(where=st.sampled_from(MAPPINGS), key=st.text(min_size=1, max_size=20), value=st.integers())
def test_unknown_keys_anywhere_raise_scenario_error(
    where: tuple[Any, ...], key: str, value: int
) -> None:
    doc = _full_doc()
    target: Any = doc
    for part in where:
        target = target[part]
    if where and where[-1] in ("offers", "strategies", "uncertain", "sweep", "monte_carlo"):
        key = "zz " + key  # a name that is never valid in a mapping of names
    elif (
        key in target
        or not where
        or where[-1] != "actors"
        and key
        in ("title", "description", "seed", "figures", "figure_formats", "analyses", "strategies")
    ):
        key = "zz_" + key
    target["zz_" + key if key in target else key] = value
    with pytest.raises(ScenarioError):
        parse_scenario(_dump(doc), base_dir=DATA)


_DEEP = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.floats(allow_nan=True),
        st.text(max_size=10),
        st.integers(min_value=-(10**300), max_value=10**300),
    ),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=40,
)


@FAST
@given(doc=_DEEP)
def test_arbitrary_documents_without_a_title_raise_scenario_error(doc: Any) -> None:
    if isinstance(doc, dict):
        doc.pop("title", None)
    with pytest.raises(ScenarioError):
        parse_scenario(_dump(doc))


@FAST
@given(
    section=st.sampled_from(["actors", "offers", "strategies", "analyses", "figures"]), junk=_DEEP
)
def test_arbitrary_sections_never_crash(section: str, junk: Any) -> None:
    doc = _full_doc()
    doc[section] = junk
    try:
        parse_scenario(_dump(doc), base_dir=DATA)
    except ScenarioError as exc:
        assert exc.problems


@FAST
@given(text=st.text(max_size=200))
def test_random_text_raises_scenario_error(text: str) -> None:
    with pytest.raises(ScenarioError):
        parse_scenario(text)


@FAST
@given(position=st.integers(0, 10**6), insert=st.text(min_size=1, max_size=5))
def test_corrupted_files_never_crash(position: int, insert: str) -> None:
    text = (DATA / "full.yaml").read_text()
    position %= len(text)
    corrupted = text[:position] + insert + text[position:]
    try:
        parse_scenario(corrupted, base_dir=DATA)
    except ScenarioError as exc:
        assert all(isinstance(p, Problem) for p in exc.problems)


# ---------------------------------------------------------------------- the model's dynamics
def test_strategy_choices_and_profiles_come_from_the_model() -> None:
    from simulator.model import dynamics
    from simulator.scenario.objects import (
        RUSSIA_STRATEGIES,
        UKRAINE_STRATEGIES,
        WEST_STRATEGIES,
    )

    assert tuple(RUSSIA_STRATEGIES) == dynamics.RUSSIA_STRATEGIES
    assert tuple(WEST_STRATEGIES) == dynamics.WEST_STRATEGIES
    assert tuple(UKRAINE_STRATEGIES) == dynamics.UKRAINE_STRATEGIES
    for notes in (RUSSIA_STRATEGIES, WEST_STRATEGIES, UKRAINE_STRATEGIES):
        assert all(text and "see docs" not in text for text in notes.values())
    assert DEFAULT_STRATEGIES == dynamics.PROFILES
    s = parse_scenario(
        MINIMAL + "strategies:\n  mixed: {russia: buy_time, sincere_russia: genuine_compromise}\n"
        "  quiet: {}\n"
    )
    assert s.strategies["mixed"].russia_by_type == ("genuine_compromise", "buy_time")
    assert s.strategies["quiet"] == StrategyProfile()


def test_scaled_beta_draws() -> None:
    spec = ParameterSpec("k", "d", "u", 0, 1e6, low_open=True, label="K")
    u = Uncertainty("russia.capability", "beta", mean=1.0, sd=0.2, low=0.5, high=2.0, spec=spec)
    draws = u.sample(np.random.default_rng(3), 20000)
    assert 0.5 <= draws.min() and draws.max() <= 2.0
    assert draws.mean() == pytest.approx(1.0, abs=0.01)
    assert draws.std() == pytest.approx(0.2, abs=0.01)
    with pytest.raises(ValueError, match="needs sd <"):
        Uncertainty("x", "beta", mean=1.0, sd=0.8, low=0.5, high=2.0)


_DIST = st.one_of(
    st.fixed_dictionaries(
        {"distribution": st.just("beta"), "mean": st.floats(-0.5, 1.5), "sd": st.floats(0, 1)},
        optional={"low": st.floats(-1, 0.5), "high": st.floats(0.5, 2)},
    ),
    st.fixed_dictionaries(
        {"distribution": st.just("uniform"), "low": st.floats(-1, 1.5), "high": st.floats(-1, 1.5)}
    ),
    st.fixed_dictionaries(
        {"distribution": st.just("normal"), "mean": st.floats(-1, 2), "sd": st.floats(0, 3)},
        optional={"low": st.floats(-1, 1), "high": st.floats(0, 2)},
    ),
)


@FAST
@given(
    name=st.sampled_from(
        [
            "russia.regroup_rate_staller",
            "russia.prior_sincere",
            "west.western_cohesion",
            "russia.capability",
            "west.governments.West.fatigue_rate",
        ]
    ),
    dist=_DIST,
)
def test_distributions_the_loader_accepts_are_accepted_by_the_simulation(
    name: str, dist: dict[str, Any]
) -> None:
    from simulator.model.dynamics import sample_parameters

    text = MINIMAL + "analyses:\n  - compare: [buy_time]\n    uncertain:\n      " + name + ": "
    try:
        s = parse_scenario(text + json.dumps(dist) + "\n")
    except ScenarioError:
        return
    (u,) = s.analyses[0].uncertain
    draws = sample_parameters(s.model, 50, {name: u.as_dict()}, np.random.default_rng(0))
    ours = u.sample(np.random.default_rng(0), 50)
    spec = u.spec
    assert spec is not None
    for values in (draws.values.get(name, draws.governments["fatigue_rate"][:, 0]), ours):
        assert np.all(np.isfinite(values))
        assert np.all(values >= spec.low) and np.all(values <= spec.high)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("seed: 012", 12), ("seed: 0x10", 16), ("seed: 0o17", 15), ("seed: 7", 7)],
)
def test_numbers_are_read_with_yaml_1_2_semantics(text: str, expected: int) -> None:
    s = parse_scenario(f"title: t\noffers: {{deal: {{alignment: 0.3}}}}\n{text}")
    assert s.seed == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("seed: 1:30", "got '1:30'"),  # YAML 1.1 read this as 90 (base 60)
        ("offers: {deal: {eu_membership: yes}}", "true or false"),  # 1.1: true
    ],
)
def test_yaml_1_1_surprises_are_not_numbers_or_flags(text: str, fragment: str) -> None:
    offers = "" if text.startswith("offers") else "offers: {deal: {alignment: 0.3}}\n"
    found = problems_of(f"title: t\n{offers}{text}")
    assert found and fragment in found[0].message


def test_extends_reads_only_regular_files_inside_the_scenario_tree(tmp_path, monkeypatch) -> None:
    import os

    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "mine"
    folder.mkdir()
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "base.yaml").write_text("title: b\noffers: {d: {alignment: 0.3}}\n")
    # a FIFO would hang a naive reader; a link to a device would never end
    os.mkfifo(folder / "pipe.yaml")
    (folder / "zero.yaml").symlink_to("/dev/zero")
    cases = {
        "pipe.yaml": "not a regular file",
        "zero.yaml": "inside the scenario's folder",
    }
    for target, fragment in cases.items():
        (folder / "kid.yaml").write_text(f"extends: {target}\ntitle: k\n")
        with pytest.raises(ScenarioError, match=fragment):
            load_scenario(folder / "kid.yaml")
    # outside the scenario's folder but inside the current folder: allowed
    (folder / "kid.yaml").write_text("extends: ../outside/base.yaml\ntitle: k\n")
    assert load_scenario(folder / "kid.yaml").title == "k"
    # outside both: refused, and the other file's keys are never echoed
    monkeypatch.chdir(folder)
    with pytest.raises(ScenarioError, match="inside the scenario's folder"):
        load_scenario(folder / "kid.yaml")


def test_a_nul_byte_in_a_path_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(ScenarioError, match="NUL"):
        load_scenario(tmp_path / "a\x00b.yaml")


def test_a_sweep_of_a_whole_number_parameter_must_give_whole_numbers() -> None:
    text = (
        "title: x\noffers: {d: {alignment: 0.3}}\nanalyses:\n  - sweep:\n"
        "      dynamics.periods: {from: 1, to: 2, steps: 3}\n"
    )
    found = problems_of(text)
    assert found and "takes whole numbers" in found[0].message and "1.5" in found[0].message
    assert found[0].line == 5
    fine = text.replace("steps: 3", "steps: 2")
    assert parse_scenario(fine).analyses[0].axes[0].values().tolist() == [1.0, 2.0]
