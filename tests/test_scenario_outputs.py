"""Every bundled scenario file runs end to end and writes valid results, figures and a briefing.

The numbers each file states are checked in ``tests/test_scenario_library.py``; here each file
is run once in fast mode and written out, as ``simulator run --fast`` does, and what is written
is read back.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from simulator.scenario import load_scenario

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
FILES = sorted(SCENARIOS.glob("*.yaml"))
NAMES = [f.name for f in FILES]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Each library file run once in fast mode and written out: ``{name: (results, dir)}``."""
    import simulator.analysis as analysis
    import simulator.report as report

    out = {}
    for path in FILES:
        results = analysis.run_scenario(load_scenario(path), fast=True)
        folder = tmp_path_factory.mktemp(path.stem)
        report.write_results(results, folder)
        out[path.name] = (results, folder)
    return out


@pytest.mark.parametrize("name", NAMES)
def test_file_runs_end_to_end_and_writes_valid_results(written: dict, name: str) -> None:
    from simulator.report import validate_results

    results, folder = written[name]
    assert results.fast and results.certified
    assert len(results.analyses) >= len(load_scenario(SCENARIOS / name).analyses)
    document = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    assert validate_results(document) == []
    assert document["certified"] is True
    figures = sorted(folder.glob("*.png"))
    assert figures, "every library file asks for at least one figure"
    for figure in figures:
        assert figure.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert figure.stat().st_size > 10_000
    asked = set(results.figures)
    drawn = {re.sub(r"_\d+$", "", f.stem) for f in figures}
    assert asked == drawn
    assert (folder / "briefing.md").read_text(encoding="utf-8").startswith("# ")


@pytest.mark.parametrize("name", NAMES)
def test_terminal_tables_fit_80_columns_and_cut_nothing(
    written: dict, name: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    # What `simulator run` prints, at 80 columns: no line is longer and no header or number is
    # cut short with an ellipsis; strategies and offers are named in words.
    from simulator.cli.result_tables import _print_results

    results, _ = written[name]
    monkeypatch.setenv("COLUMNS", "80")
    _print_results(results, verbose=False)
    out = capsys.readouterr().out
    assert out.strip()
    for line in out.splitlines():
        assert len(line) <= 80, line
        assert "…" not in line, line
    words = " ".join(out.split())
    assert "fast mode: at most 200 runs and 12 periods per comparison" in words  # what it changed
    if results.comparisons:  # the what-if payoffs' scale, beside the offer game's
        assert "Payoffs: expected discounted sums over the periods (the offer game's are " in words
    for c in results.comparisons:
        assert f"offer {c.offer}," not in out  # the offer's key, not its name
        for s in c.strategies:
            assert f" {s.name} " not in out or "_" not in s.name, s.name


@pytest.mark.parametrize("name", NAMES)
def test_compared_quantities_have_distinct_words(written: dict, name: str) -> None:
    # `simulator compare` names its rows in words: two different numbers of one group never
    # share a name (a what-if rule's "deal signed" is not its "settled").
    from simulator.analysis.key_numbers import key_label, key_numbers

    results, _ = written[name]
    labels = [key_label(k) for k in key_numbers(results)]
    assert len(set(labels)) == len(labels), sorted(x for x in labels if labels.count(x) > 1)
