"""write_results: reproducible, schema-valid results.json, CSV tables, figures, briefing."""

from __future__ import annotations

import copy
import csv
import json
import math
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from simulator.analysis import ScenarioResults, run_scenario
from simulator.report import (
    RESULTS_JSON_SCHEMA,
    dumps,
    results_schema_markdown,
    validate_results,
    write_results,
)
from simulator.report import writer as writer_module
from simulator.scenario import load_scenario, parse_scenario

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "scenarios"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def full() -> ScenarioResults:
    return run_scenario(load_scenario(DATA / "full.yaml"), fast=True)


@pytest.fixture(scope="module")
def written(full, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("full")
    write_results(full, folder)
    return folder


def _without_stamp(path: Path) -> str:
    return "".join(
        line for line in path.read_text().splitlines(True) if '"generated_at"' not in line
    )


def test_two_runs_with_the_same_seed_give_the_same_bytes(written, tmp_path):
    # A second, independent run of the same scenario (fresh objects, fresh figures).
    again = run_scenario(load_scenario(DATA / "full.yaml"), fast=True)
    write_results(again, tmp_path, generated_at="2000-01-01T00:00:00Z")
    first = sorted(p.name for p in written.iterdir())
    assert first == sorted(p.name for p in tmp_path.iterdir())
    for name in first:
        if name == "results.json":
            assert _without_stamp(written / name) == _without_stamp(tmp_path / name)
        else:
            assert (written / name).read_bytes() == (tmp_path / name).read_bytes(), name
    stamped = json.loads((tmp_path / "results.json").read_text())
    assert stamped["generated_at"] == "2000-01-01T00:00:00Z"


def test_results_json_matches_its_schema(written):
    document = json.loads((written / "results.json").read_text())
    assert validate_results(document) == []
    assert document["schema_version"] == 1
    assert document["library"]["name"] == "simulator"
    assert document["scenario"]["seed"] == 2022
    assert document["parameters"]["model"]["russia.great_power_status"] == 1.5
    assert document["parameters"]["offers"]["strict_neutrality"]["withdrawal_cost"] == 0.16
    assert document["parameters"]["dynamics"]["periods"] == 36
    assert "russia.sanctions_cost" in document["parameters"]["formulas"]
    solve = document["analyses"][0]
    assert solve["solutions"][0]["certificate"]["certified"] is True
    compare = document["analyses"][1]
    assert compare["equilibrium"] is None  # the file asks for the what-if rules alone
    for strategy in compare["strategies"]:
        assert strategy["settled"] + strategy["broken"] + strategy["war"] == pytest.approx(1)
    assert {f["name"] for f in document["files"]["figures"]} == {
        "regime_map",
        "bargaining_range",
        "paths",
        "payoffs",
    }
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator.check_schema(RESULTS_JSON_SCHEMA)
    jsonschema.Draft202012Validator(RESULTS_JSON_SCHEMA).validate(document)


def test_validator_reports_what_is_wrong(written):
    document = json.loads((written / "results.json").read_text())
    document["schema_version"] = 2
    del document["scenario"]["seed"]
    document["analyses"][0]["solutions"][0]["settlement_probability"] = 1.5
    document["analyses"][1]["kind"] = "simulate"
    document["surprise"] = True
    errors = validate_results(document)
    assert all("\n" not in line for line in errors)  # one line per problem
    text = "\n".join(errors)
    assert "schema_version: Input should be 1" in text
    assert "scenario.seed: Field required" in text
    assert (
        "analyses.0.solutions.0.settlement_probability: Input should be less than or equal to 1"
        in text
    )
    assert "analyses.1: Input tag 'simulate' found using 'kind'" in text
    assert "surprise: Extra inputs are not permitted" in text


def test_schema_is_generated_from_the_records():
    from simulator.analysis.records import SCHEMA_VERSION, ResultsDocument
    from simulator.report.schema import results_json_schema

    assert RESULTS_JSON_SCHEMA == results_json_schema()
    assert RESULTS_JSON_SCHEMA["properties"]["schema_version"]["const"] == SCHEMA_VERSION
    # every field of the document model is in the schema, with its description
    assert list(RESULTS_JSON_SCHEMA["properties"]) == list(ResultsDocument.model_fields)
    certificate = RESULTS_JSON_SCHEMA["$defs"]["certificate"]
    assert certificate["additionalProperties"] is False
    assert all(p.get("description") for p in certificate["properties"].values())
    # only keywords of JSON Schema (draft 2020-12), so every validator reads it the same
    # ("discriminator" is OpenAPI's note on the analyses' kind, which validators ignore)
    known = {
        "$schema", "$id", "$ref", "$defs", "title", "description", "type", "properties",
        "required", "additionalProperties", "items", "anyOf", "oneOf", "const", "enum",
        "minimum", "maximum", "pattern", "minItems", "discriminator",
    }  # fmt: skip
    used: set[str] = set()

    def keywords(schema):
        used.update(schema)
        for key in ("additionalProperties", "items"):
            if isinstance(schema.get(key), dict):
                keywords(schema[key])
        for key in ("anyOf", "oneOf"):
            for sub in schema.get(key, []):
                keywords(sub)
        for key in ("properties", "$defs"):
            for sub in schema.get(key, {}).values():
                keywords(sub)

    keywords(RESULTS_JSON_SCHEMA)
    assert used <= known, used - known
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator.check_schema(RESULTS_JSON_SCHEMA)


def test_every_field_of_every_part_is_described():
    def described(schema):
        for name, sub in schema.get("properties", {}).items():
            assert sub.get("description"), name

    described(RESULTS_JSON_SCHEMA)
    for name, part in RESULTS_JSON_SCHEMA["$defs"].items():
        assert part.get("description"), name
        described(part)


def test_an_unknown_field_is_rejected_by_name(written):
    document = json.loads((written / "results.json").read_text())
    document["analyses"][1]["strategies"][0]["surprise"] = 1
    assert validate_results(document) == [
        "analyses.1.strategies.0.surprise: Extra inputs are not permitted"
    ]


def test_a_probability_above_one_is_rejected_with_its_path(written):
    document = json.loads((written / "results.json").read_text())
    document["analyses"][1]["strategies"][0]["settled"] = 1.5
    document["analyses"][0]["solutions"][1]["messages"]["sincere weak"]["talk"] = -0.5
    assert validate_results(document) == [
        "analyses.0.solutions.1.messages.sincere weak.talk: "
        "Input should be greater than or equal to 0",
        "analyses.1.strategies.0.settled: Input should be less than or equal to 1",
    ]
    document = json.loads((written / "results.json").read_text())
    document["analyses"][1]["strategies"][0]["settled"] = "0.5"  # strict: no coercion
    assert validate_results(document) == [
        "analyses.1.strategies.0.settled: Input should be a valid number"
    ]


def test_the_records_are_the_one_definition_of_each_field(full):
    """as_dict() is its record's data: a key its record lacks cannot be written."""
    from pydantic import ValidationError

    from simulator.analysis import records

    solution = full.solutions[0]
    comparison = full.comparisons[0]
    pairs = [
        (records.CertificateRecord, solution.certificate.as_dict()),
        (records.OfferSolutionRecord, solution.as_dict()),
        (records.SolveRecord, full.analyses[0].as_dict()),
        (records.StrategyRecord, comparison.strategies[0].as_dict()),
        (records.CompareRecord, comparison.as_dict()),
        (records.SweepRecord, full.sweeps[0].as_dict()),
        (records.MonteCarloRecord, full.monte_carlo[0].as_dict()),
        (records.ScenarioResultsRecord, full.as_dict()),
    ]
    for record, data in pairs:
        assert records.dump_record(record.model_validate(data)) == data, record.__name__
        with pytest.raises(ValidationError, match="new_field"):
            record.model_validate({**data, "new_field": 1})
    # a result whose as_dict() gained a field its record lacks raises when it is built
    with pytest.raises(ValidationError, match="new_field"):
        records.CertificateRecord(**solution.certificate.as_dict(), new_field=1)


def test_integers_stay_integers_in_number_fields():
    from simulator.analysis.records import AxisRecord, dump_record

    data = {"parameter": "russia.war_cost", "values": [1, 0.5, None]}
    assert dump_record(AxisRecord.model_validate(data)) == data
    assert [type(v) for v in dump_record(AxisRecord.model_validate(data))["values"]] == [
        int,
        float,
        type(None),
    ]


def test_schema_documentation_is_generated(written):
    doc = (ROOT / "docs" / "results-schema.md").read_text()
    assert doc == results_schema_markdown()
    assert json.dumps(RESULTS_JSON_SCHEMA, indent=2) in doc


def test_figures_are_png_and_svg_files(written):
    for stem in ("regime_map", "bargaining_range", "paths", "payoffs"):
        png = (written / f"{stem}.png").read_bytes()
        assert png.startswith(PNG_SIGNATURE) and len(png) > 10_000
        assert (written / f"{stem}.svg").read_text().lstrip().startswith("<?xml")


def test_csv_tables_hold_the_results(full, written):
    with open(written / "strategies.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["strategy"] for r in rows] == ["stall", "sincere", "buy_time"]
    stall = full.comparisons[0].strategy("stall")
    assert float(rows[0]["settlement_probability"]) == pytest.approx(stall.settlement_probability)
    assert float(rows[0]["payoff.russia"]) == pytest.approx(
        stall.expected_payoffs["russia"]["all"], rel=1e-11
    )
    with open(written / "sweep_1.csv", newline="") as handle:
        sweep = list(csv.DictReader(handle))
    assert len(sweep) == 81 and set(sweep[0]) >= {"russia.great_power_status", "regime"}
    with open(written / "offer_game.csv", newline="") as handle:
        offers = list(csv.DictReader(handle))
    assert [r["offer"] for r in offers] == ["neutrality_for_guarantees", "strict_neutrality"]
    assert offers[0]["certified"] == "true"


def test_buy_time_equilibrium_in_results_json_and_the_briefing(tmp_path):
    text = (
        "title: t\nseed: 3\noffers: {deal: {}}\nactors: {russia: {capability: 1.2, "
        "sanctions_cost: 0.5}}\nbuy_time: {ceasefire: false}\n"
        "analyses: [{compare: [buy_time, genuine_compromise], periods: 3, runs: 50}]\n"
        "figures: []\n"
    )
    results = run_scenario(parse_scenario(text))
    write_results(results, tmp_path)
    document = json.loads((tmp_path / "results.json").read_text())
    assert validate_results(document) == []
    eq = document["analyses"][0]["equilibrium"]
    assert eq["certificate"]["method"].startswith("Markov perfect")
    assert eq["certificate"]["certified"] is True
    assert eq["verdict"] == results.comparisons[0].equilibrium.verdict()
    for by_type in eq["outcomes"].values():
        for numbers in by_type.values():
            assert numbers["settled"] + numbers["broken"] + numbers["war"] == pytest.approx(1)
    # the verdict line never contradicts the table beside it
    pays = eq["buy_time_pays"]
    for t, gain in eq["buy_time_gain"].items():
        assert pays[t] == (gain > eq["certificate"]["tolerance"])
        assert (f"a {t} Russia (+" in eq["verdict"]) == pays[t]
    briefing = (tmp_path / "briefing.md").read_text()
    assert eq["verdict"] in briefing
    brief = briefing.split("## In brief\n", 1)[1].split("\n## ", 1)[0]
    assert f"- Does buying time pay (offer “Deal”)? {eq['verdict']}" in brief
    # no offer game here: the what-if rules define their outcomes themselves
    assert "## The offer game" not in briefing
    assert "'settled' (a deal signed and kept to the horizon), 'broken' (signed, then broken) " in (
        " ".join(briefing.split())
    )
    row = next(line for line in briefing.splitlines() if line.startswith("| staller weak |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[5:8] == ["100%", "0%", "0%"]  # settled, broken, war
    assert eq["outcomes"]["equilibrium"]["staller weak"]["settled"] == 1
    # first-period play in words, read off the record of it in results.json
    first = eq["first_period"]
    text = results.comparisons[0].equilibrium.first_period_text()
    assert f"**First period.** {text}" in " ".join(briefing.split())
    for after in first["after"].values():
        staller = after["belief"]["staller strong"] + after["belief"]["staller weak"]
        assert f"P(staller) {staller:.3g}" in text
    assert text.startswith("Every type talks.") == all(
        sends == {"talk": 1.0} for sends in first["sends"].values()
    )
    # the paths are a typed record: per plan, each variable's mean and middle 90%, one value
    # per column (the start, then each period); an unknown variable or a missing quantile is
    # named by its path
    assert set(eq["paths"]) == {"equilibrium", "compromise", "buy_time"}
    for plan in eq["paths"].values():
        assert set(plan) == {"cohesion", "capability", "front", "p_sincere", "p_weak"}
        for band in plan.values():
            assert set(band) == {"mean", "q05", "q95"}
            assert all(len(v) == 4 for v in band.values())  # 3 periods
            assert all(lo <= hi for lo, hi in zip(band["q05"], band["q95"]))
    eq["paths"]["buy_time"]["sanctions"] = eq["paths"]["buy_time"]["front"]
    del eq["paths"]["compromise"]["front"]["q95"]
    assert validate_results(document) == [
        "analyses.0.equilibrium.paths.buy_time.sanctions: Extra inputs are not permitted",
        "analyses.0.equilibrium.paths.compromise.front.q95: Field required",
    ]


def test_briefing_states_assumptions_results_and_figures(full, written):
    text = (written / "briefing.md").read_text()
    assert text.startswith("# Neutrality for security guarantees, spring 2022\n")
    for heading in (
        "## Assumptions",
        "## The offer game",
        "## Buying time or genuine compromise?",
        "### What-if rules",
        "## Sweeps",
        "## Monte Carlo 1",
        "## Figures",
        "## Certificates",
    ):
        assert heading in text
    assert "Great-power status premium: **1.5**" in text  # set by the scenario, in bold
    assert "`=0.5 * russia.war_cost + 0.02`" in text
    assert "| Strict neutrality | 0.3 |" in text  # the offers table, names in words
    # the alt text names what the figure is of
    assert re.search(r"!\[Regime map \(sweep \d+, offer “[^”]+”\)\]\(regime_map\.png\)", text)
    for strategy in ("stall", "sincere", "buy time"):  # strategies named in words
        assert f"| {strategy} |" in text
    assert "| buy_time |" not in text and "**buy_time**" not in text
    # the two payoff scales are named where each is shown
    assert "Expected payoffs (shares of the stake): Russia " in text
    assert "Payoffs here are expected discounted sums over the periods" in text
    assert "All 4 certificates hold" in text  # no buy-time equilibrium in this file
    # "In brief": a few sentences read off the numbers of the sections below, first
    brief = text.split("## In brief\n", 1)[1].split("\n## ", 1)[0]
    assert text.index("## In brief") < text.index("## Assumptions")
    for s in full.solutions:
        assert f"({s.regime}) a deal is signed and kept with probability " in brief
    for k in range(1, len(full.sweeps) + 1):
        assert f"- Sweep {k}, over " in brief
    (c,) = full.comparisons
    kept = max(c.strategies, key=lambda st: st.settled)
    assert f"{kept.name.replace('_', ' ')} ends in a kept deal in " in brief
    assert "- All 4 certificates hold: no player gains more than the tolerance" in brief


def test_results_json_is_written_last(tmp_path, monkeypatch):
    text = "title: t\noffers: {deal: {alignment: 0.3}}\nanalyses: [{solve: offer_game}]\n"
    small = run_scenario(parse_scenario(text + "figures: []\n"))
    assert write_results(small, tmp_path)[-1].name == "results.json"
    assert (tmp_path / "results.json").exists()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(writer_module, "briefing_markdown", broken)
    with pytest.raises(OSError):
        write_results(small, tmp_path)
    # The old set is no longer marked complete: a reader sees an unfinished folder.
    assert not (tmp_path / "results.json").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_files_of_an_earlier_run_are_removed(tmp_path):
    text = "title: t\noffers: {deal: {alignment: 0.3}}\nanalyses: [{solve: offer_game}]\n"
    with_figure = run_scenario(parse_scenario(text))  # figures default to all: bargaining
    write_results(with_figure, tmp_path, pdf=True)
    assert (tmp_path / "bargaining_range.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "sweep_1.csv").exists()
    without = run_scenario(parse_scenario(text + "figures: []\n"))
    paths = write_results(without, tmp_path)
    assert [p.name for p in paths] == [
        "offer_game.csv",
        "briefing.md",
        "briefing.html",
        "results.json",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".simulator.lock",  # runs into one folder take turns on it
        "briefing.html",
        "briefing.md",
        "offer_game.csv",
        "results.json",
    ]


def test_concurrent_runs_into_one_folder_never_mix_and_leftovers_are_swept(tmp_path):
    import threading

    small = "title: {t}\noffers: {{deal: {{alignment: {x}}}}}\nanalyses: [{{solve: offer_game}}]\n"
    one = run_scenario(parse_scenario(small.format(t="one", x=0.3)))
    two = run_scenario(parse_scenario(small.format(t="two", x=0.2) + "figures: []\n"))
    (tmp_path / ".bargaining_range.png.abc123.tmp").write_bytes(b"half a figure")  # a killed run
    errors: list[BaseException] = []

    def write(results):
        try:
            write_results(results, tmp_path)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(r,)) for r in (one, two, one, two)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    document = json.loads((tmp_path / "results.json").read_text())
    files = document["files"]
    listed = {files["briefing"], files["briefing_html"], *(t["file"] for t in files["tables"])}
    listed |= {f for figure in files["figures"] for f in figure["files"]}
    present = {p.name for p in tmp_path.iterdir()} - {"results.json", ".simulator.lock"}
    assert present == listed  # exactly the last run's files: nothing stale, nothing mixed
    assert not list(tmp_path.glob(".*.tmp"))


def test_skipped_figures_are_explained(tmp_path):
    text = (
        "title: t\noffers: {deal: {alignment: 0.3}}\nanalyses: [{solve: offer_game}]\n"
        "figures: [paths, regime_map]\n"
    )
    write_results(run_scenario(parse_scenario(text)), tmp_path)
    document = json.loads((tmp_path / "results.json").read_text())
    notes = " ".join(document["notes"])
    assert "'paths' skipped: the scenario compares no strategies" in notes
    assert "'regime_map' skipped" in notes
    assert "skipped" in (tmp_path / "briefing.md").read_text()
    assert "skipped" in (tmp_path / "briefing.html").read_text()


def test_canonical_json():
    text = dumps({"b": [0.1 + 0.2, math.nan, -0.0], "a": (1, True, None)})
    assert text == (
        '{\n  "a": [\n    1,\n    true,\n    null\n  ],\n  "b": [\n    0.3,\n    null,\n'
        "    0.0\n  ]\n}\n"
    )
    assert dumps({"x": 1 / 3}) == dumps({"x": 1 / 3 + 1e-17})


def test_first_period_words_for_mixing_types_off_path_messages_and_lotteries():
    text = (
        "title: t\nseed: 3\noffers: {deal: {}}\nactors: {russia: {capability: 1.2, "
        "sanctions_cost: 0.5}}\nbuy_time: {ceasefire: true}\n"
        "analyses: [{compare: [buy_time, genuine_compromise], periods: 1, runs: 20}]\n"
        "figures: []\n"
    )
    eq = copy.copy(run_scenario(parse_scenario(text)).comparisons[0].equilibrium)
    belief = {
        "sincere strong": 0.1,
        "sincere weak": 0.2,
        "staller strong": 0.3,
        "staller weak": 0.4,
    }
    first = {
        "sends": {
            "sincere strong": {"fight": 1.0},
            "sincere weak": {"fight": 1.0},
            "staller strong": {"fight": 0.25, "talk": 0.75},
            "staller weak": {"fight": 1.0},
        },
        "after": {
            "fight": {
                "belief": belief,
                "ukraine": "battle",
                "eases": [],
                "mixes": {"Germany": 0.4},
                "ukraine_mixes": {},
                "lottery": 0.0,
            },
            "talk": {
                "belief": {
                    **belief,
                    "sincere strong": 0.0,
                    "sincere weak": 0.0,
                    "staller weak": 0.0,
                },
                "ukraine": "sign",
                "eases": ["Hungary"],
                "mixes": {},
                "ukraine_mixes": {"sign": 0.5, "fight on": 0.5},
                "lottery": 0.25,
            },
        },
    }
    object.__setattr__(eq, "first_period", lambda: first)
    four = SimpleNamespace(setup=SimpleNamespace(names=("US", "Poland", "Germany", "Hungary")))
    object.__setattr__(eq, "result", four)
    assert eq.first_period_text() == (
        "The sincere strong, sincere weak and staller weak types fight and the staller strong "
        "type fights with probability 0.25 or talks with probability 0.75. After fighting the "
        "public believes P(staller) 0.7; Germany eases with probability 0.4 and a battle is "
        "fought. After talks the public believes P(staller) 0.3; Hungary eases and Ukraine "
        "signs with probability 0.5 or fights on with probability 0.5 (with probability 0.75; "
        "otherwise the receivers play another equilibrium of their game, a public lottery)."
    )
    first["sends"]["staller strong"] = {"fight": 1.0}
    words = eq.first_period_text()
    assert words.startswith("Every type fights. After fighting the public believes P(staller)")
    assert "No type chooses talks: after it the public would believe P(staller) 0.3;" in words
    assert words.endswith("a public lottery), which deters it.")
