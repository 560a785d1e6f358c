"""The scenario commands of the CLI (run, validate, compare, new, schema), run as a user would."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from simulator import cli
from simulator.report import RESULTS_JSON_SCHEMA, validate_results

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "scenarios"
COMMANDS = ("solve", "run", "validate", "compare", "new", "schema")

SMALL = """\
title: {title}
seed: 5
actors: {{russia: {{prior_sincere: {prior}}}}}
offers: {{neutrality: {{alignment: 0.3, security_guarantees: 0.7}}}}
dynamics: {{periods: 4}}
analyses:
  - solve: offer_game
  - compare: [buy_time, genuine_compromise]
    runs: 50
figures: []
"""
INVALID = """\
title: Broken
offers:
  deal: {alignmnt: 0.5}
analyses:
  - compare: [buy_tme]
"""


def run(*args: str, cwd: Path, hash_seed: str = "0") -> subprocess.CompletedProcess:
    # A wide terminal, so that table cells are not wrapped in the middle of a phrase.
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": hash_seed, "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "simulator", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


def test_help_lists_every_command_with_examples(tmp_path):
    result = run("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in COMMANDS:
        assert command in result.stdout
    parser = cli._build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    for command in COMMANDS:
        text = subparsers.choices[command].format_help()
        assert "examples:" in text and f"simulator {command}" in text


def test_run_prints_the_key_numbers_and_writes_reproducible_results(tmp_path):
    scenario = DATA / "full.yaml"
    first = run("run", str(scenario), "--fast", cwd=tmp_path, hash_seed="1")
    assert first.returncode == 0, first.stderr
    out = first.stdout
    for text in (
        "Offer game",
        "Strict neutrality",  # offers are named in words
        "What-if rules (fixed strategies, not equilibria)",
        "stall",
        "sincere",
        "final Western cohesion",
        "sweep 1",
        "Monte Carlo 1",
    ):
        assert text in out, text
    folder = tmp_path / "out" / "full"  # the default: out/<file stem>
    names = {p.name for p in folder.iterdir()}
    assert {"results.json", "briefing.md", "briefing.html", "strategies.csv"} <= names
    assert "regime_map.png" in names
    assert "results.json, briefing.md, briefing.html, " in " ".join(out.split())  # "wrote ..."
    assert ".checkpoint" not in names
    document = json.loads((folder / "results.json").read_text())
    assert validate_results(document) == []
    assert document["certified"] is True
    png = (folder / "paths.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 10_000
    # Another process (another hash seed): the same bytes, apart from the time stamp.
    second = run(
        "run", str(scenario), "--fast", "--quiet", "--out", "again", cwd=tmp_path, hash_seed="2"
    )
    assert second.returncode == 0, second.stderr
    assert second.stdout == ""
    for name in sorted(names):
        a, b = (folder / name).read_bytes(), (tmp_path / "again" / name).read_bytes()
        if name == "results.json":
            a, b = (
                b"".join(line for line in x.splitlines(True) if b'"generated_at"' not in line)
                for x in (a, b)
            )
        assert a == b, name


def test_invalid_scenario_prints_every_problem_and_writes_nothing(tmp_path):
    (tmp_path / "bad.yaml").write_text(INVALID)
    result = run("run", "bad.yaml", "--out", "result", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert any(line.startswith("bad.yaml:3:") and "alignmnt" in line for line in lines)
    assert any(line.startswith("bad.yaml:5:") and "buy_tme" in line for line in lines)
    assert "did you mean 'alignment'?" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml"]  # no folder created


def test_validate_lists_problems_per_file(tmp_path):
    (tmp_path / "bad.yaml").write_text(INVALID)
    result = run("validate", str(DATA / "full.yaml"), "bad.yaml", "missing.yaml", cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stdout.strip().splitlines()
    assert lines[0] == f"{DATA / 'full.yaml'}: ok"
    assert any(line.startswith("bad.yaml:3:") and "offers.deal.alignmnt" in line for line in lines)
    assert any(line.startswith("missing.yaml: ") and "no such file" in line for line in lines)
    good = run("validate", str(DATA / "minimal.yaml"), str(DATA / "child.yaml"), cwd=tmp_path)
    assert good.returncode == 0
    assert good.stdout.count(": ok\n") == 2


def test_compare_two_scenarios_side_by_side(tmp_path):
    (tmp_path / "doubtful.yaml").write_text(SMALL.format(title="Doubtful West", prior=0.2))
    (tmp_path / "trusting.yaml").write_text(SMALL.format(title="Trusting West", prior=0.8))
    result = run(
        "compare", "doubtful.yaml", "trusting.yaml", "--fast", "--out", "cmp", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "Doubtful West" in result.stdout and "Trusting West" in result.stdout
    # rows in words, grouped by what they belong to; the CSV keeps the stable names
    assert "What-if rule: Buy time" in result.stdout and "settled" in result.stdout
    assert "compare.buy_time" not in result.stdout
    folder = tmp_path / "cmp"
    assert sorted(p.name for p in folder.iterdir()) == ["comparison.csv", "doubtful", "trusting"]
    assert (folder / "doubtful" / "results.json").exists()
    header, *lines = (folder / "comparison.csv").read_text().splitlines()
    assert header == "quantity,doubtful,trusting"
    assert any(line.startswith("compare.buy_time.settled,") for line in lines)
    (tmp_path / "bad.yaml").write_text(INVALID)
    bad = run("compare", "doubtful.yaml", "bad.yaml", "--out", "cmp2", cwd=tmp_path)
    assert bad.returncode == 2 and "bad.yaml:3:" in bad.stderr
    assert not (tmp_path / "cmp2").exists()


def test_new_writes_a_valid_starter_and_refuses_to_overwrite(tmp_path, capsys):
    result = run("new", "spring_2022", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    path = tmp_path / "spring_2022.yaml"
    assert path.read_text().startswith("# spring_2022: a scenario")
    again = run("new", "spring_2022", cwd=tmp_path)
    assert again.returncode == 2 and "--force" in again.stderr
    path.write_text("edited")
    assert cli.main(["new", str(path), "--force"]) == 0
    assert path.read_text().startswith("# spring_2022")
    assert cli.main(["validate", str(path)]) == 0
    assert capsys.readouterr().out.endswith(": ok\n")


def test_new_offers_to_extend_the_bundled_baseline_by_a_path_that_exists(tmp_path):
    # From the project root, a starter in a sub-folder points at the bundled baseline.
    (tmp_path / "scenarios").mkdir()
    baseline = Path(__file__).resolve().parents[1] / "scenarios" / "baseline_spring_2022.yaml"
    (tmp_path / "scenarios" / "baseline_spring_2022.yaml").write_text(baseline.read_text())
    (tmp_path / "mine").mkdir()
    assert run("new", "mine/first", cwd=tmp_path).returncode == 0
    text = (tmp_path / "mine" / "first.yaml").read_text()
    line = next(x for x in text.splitlines() if x.startswith("# extends: "))
    target = line.split()[2]
    assert (tmp_path / "mine" / target).resolve().is_file()
    (tmp_path / "mine" / "first.yaml").write_text(text.replace("# extends: ", "extends: "))
    checked = run("validate", "mine/first.yaml", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    # Elsewhere (no bundled baseline at hand) the starter offers no extends line at all.
    assert run("new", "alone", cwd=tmp_path / "mine").returncode == 0
    assert "extends:" not in (tmp_path / "mine" / "alone.yaml").read_text()


def test_help_says_solve_reads_both_gambit_formats(tmp_path) -> None:
    result = run("--help", cwd=tmp_path)
    assert ".nfg or .efg" in result.stdout


def test_schema_prints_json_schemas(tmp_path, capsys):
    result = run("schema", cwd=tmp_path)
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert "offers" in schema["properties"]
    assert cli.main(["schema", "--results"]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(json.dumps(RESULTS_JSON_SCHEMA))


@pytest.fixture
def small_file(tmp_path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL.format(title="Small", prior=0.3))
    return path


def test_internal_errors_are_one_line_unless_verbose(small_file, tmp_path, monkeypatch, capsys):
    import simulator.analysis

    def broken(*args, **kwargs):
        raise RuntimeError("something broke\nsecond line")

    monkeypatch.setattr(simulator.analysis, "run_scenario", broken)
    out = str(tmp_path / "o")
    assert cli.main(["run", str(small_file), "--out", out]) == 1
    err = capsys.readouterr().err
    assert err == (
        "simulator: error: internal error: RuntimeError: something broke "
        "(rerun with --verbose for the traceback)\n"
    )
    assert cli.main(["run", str(small_file), "--out", out, "--verbose"]) == 1
    assert "Traceback" in capsys.readouterr().err


def test_interrupted_run_points_to_resume(small_file, tmp_path, monkeypatch, capsys):
    import simulator.analysis

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(simulator.analysis, "run_scenario", interrupted)
    assert cli.main(["run", str(small_file), "--out", str(tmp_path / "o")]) == 130
    assert "--resume" in capsys.readouterr().err


def test_a_lost_dask_worker_is_one_line_that_points_to_resume(
    small_file, tmp_path, monkeypatch, capsys
):
    # A failure of the cluster (a worker killed, a connection closed) is neither the input's
    # nor the library's: one line that names it and says how to go on.
    import simulator.analysis

    KilledWorker = type("KilledWorker", (Exception,), {"__module__": "distributed.scheduler"})

    def lost(*args, **kwargs):
        raise KilledWorker("Attempted to run task 'chunk-3' on 4 different workers")

    monkeypatch.setattr(simulator.analysis, "run_scenario", lost)
    assert cli.main(["run", str(small_file), "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert err == (
        "simulator: error: the Dask cluster failed (KilledWorker: Attempted to run task "
        "'chunk-3' on 4 different workers); rerun with --resume to reuse the chunks already "
        "finished\n"
    )


def test_uncertified_results_exit_3_but_are_written(small_file, tmp_path, monkeypatch, capsys):
    from simulator.analysis.results import ScenarioResults

    monkeypatch.setattr(ScenarioResults, "certified", property(lambda self: False))
    out = tmp_path / "o"
    assert cli.main(["run", str(small_file), "--out", str(out), "--fast", "--quiet"]) == 3
    assert "not certified" in capsys.readouterr().err
    assert (out / "results.json").exists()


_JUNK = [
    "-1",
    "1e308",
    "-1e309",
    ".nan",
    ".inf",
    "'text'",
    "[1, 2]",
    "{a: 1}",
    "null",
    "true",
    "!!python/object/apply:os.system ['touch MARKER']",
    "'=__import__(\"os\").system(\"touch MARKER\")'",
    "[[[[[[[[[[1]]]]]]]]]]",
    "'\u00e9\u2603'",
]
_KEYS = [
    "actors.russia.great_power_status",
    "actors.russia.prior_sincere",
    "actors.west.aggregation",
    "actors.west.western_cohesion",
    "offers.neutrality.alignment",
    "dynamics.periods",
    "seed",
    "title",
    "actors.russia.unknown_key",
    "offers.neutrality.security_guarantee",
]


def _invalid_document(key: str, junk: str) -> str:
    parts = key.split(".")
    text = f"{parts[-1]}: {junk}"
    for part in reversed(parts[:-1]):
        text = f"{part}: {{{text}}}"
    # a legal document runs one quick analysis (the point is what an illegal one does)
    quick = "analyses: [{solve: offer_game}]\nfigures: []\n"
    base = "title: t\noffers: {neutrality: {alignment: 0.3}}\n" + quick
    if parts[0] == "offers":
        base = "title: t\n" + quick
    elif parts[0] == "title":
        base = "offers: {neutrality: {alignment: 0.3}}\n" + quick
    return base + text + "\n"


@pytest.mark.parametrize("key", _KEYS)
def test_generated_invalid_documents_exit_2_without_traceback_or_output(key, tmp_path, capsys):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=12, deadline=None, derandomize=True)
    @given(st.sampled_from(_JUNK))
    def check(junk: str) -> None:
        marker = tmp_path / "hacked"
        document = _invalid_document(key, junk.replace("MARKER", str(marker)))
        path = tmp_path / "bad.yaml"
        path.write_text(document)
        out = tmp_path / "out"
        try:
            status = cli.main(["run", str(path), "--out", str(out), "--quiet"])
        except SystemExit as exc:  # argparse-level exits only
            status = exc.code
        captured = capsys.readouterr()
        assert not marker.exists(), "a scenario file ran code"
        if status == 0:
            # only free-text or integer fields can take some of these values legally
            assert key in ("title", "seed"), (document, captured.out)
            shutil.rmtree(out)
            return
        assert status == 2, (document, captured.err)
        assert "Traceback" not in captured.err
        assert not out.exists(), document

    check()


def test_compare_sets_sweeps_side_by_side_only_over_the_same_parameters():
    """Two sweeps over different parameters get different names: never one row."""
    import dataclasses

    from simulator.analysis import run_scenario
    from simulator.scenario import SweepAnalysis, SweepAxis, load_scenario

    base = load_scenario(DATA / "minimal.yaml")
    offer = next(iter(base.offers))

    def over(parameter: str):
        sweep = SweepAnalysis((SweepAxis(parameter, 0.1, 0.9, 3),), offer)
        scenario = dataclasses.replace(base, analyses=(sweep,), figures=())
        return run_scenario(scenario, fast=True).key_numbers()

    a = over("russia.prior_sincere")
    b = over("west.western_cohesion")
    assert [k for k in a if k.startswith("sweep")] == [
        "sweep(russia.prior_sincere).most_common_regime"
    ]
    assert not set(a) & set(b)


def test_shares_that_round_to_0_or_100_percent_say_so():
    # A regime met at 0.3% of a sweep's points is not "0%"; one at 99.7% is not "100%".
    from simulator.cli.result_tables import _share

    assert [_share(p) for p in (0.0, 0.003, 0.005, 0.25, 0.997, 1.0)] == [
        "0%",
        "<1%",
        "<1%",
        "25%",
        ">99%",
        "100%",
    ]
