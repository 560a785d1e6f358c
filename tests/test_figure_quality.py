"""Briefing figures read cleanly: no text covers another, every axis has a unit, titles name
the offer and the scenario, regime maps mark the scenario's point, and each kind of figure
still looks as it did (image regression against small PNG baselines in tests/data/figures/).

Regenerate the baselines after an intended change of look with

    SIMULATOR_UPDATE_BASELINES=1 python -m pytest tests/test_figure_quality.py

and look at the new PNG files before committing them.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import matplotlib.pyplot as plt
import matplotlib.text
import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from simulator.plots import (
    bargaining_range,
    paths,
    paths_panel,
    payoffs_by_strategy,
    regime_map,
    settlement_timing,
)
from simulator.plots.figures import regime_strip

BASELINES = Path(__file__).resolve().parent / "data" / "figures"
UPDATE = os.environ.get("SIMULATOR_UPDATE_BASELINES") == "1"
#: Baselines are saved at this resolution: a slide-sized figure is 400 pixels wide.
BASELINE_DPI = 40
#: Largest root-mean-square difference (0-255 scale) between a figure and its baseline: the
#: same matplotlib draws the same pixels (its wheels bring their own FreeType); a line turned
#: from grey to black moves a regime strip by 5.
RMS_TOLERANCE = 2.0
#: Units (or kinds of unit) an axis label may consist of when it carries no brackets.
UNIT_WORDS = ("share", "probability", "relative", "position")

LONG_REGIMES = [
    "partially pooling: sincere settled or war, staller broken",
    "partially pooling: sincere settled or war, staller settled or broken",
    "pooling: sincere war, staller war",
    "separating: sincere war, staller broken",
]


# ---------------------------------------------------------------------- helpers
def drawn_texts(fig: Figure) -> list[tuple[Text, object]]:
    """Every text drawn on the Agg canvas, with its extent (bounding box included)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    drawn: list[Text] = []
    original = Text.draw

    def record(self: Text, renderer: object) -> None:
        if self.get_visible() and self.get_text().strip():
            drawn.append(self)
        original(self, renderer)

    with mock.patch.object(Text, "draw", record):
        canvas.draw()
    renderer = canvas.get_renderer()
    out = []
    for text in drawn:
        content = text.get_text()
        # blank lines that a title keeps for its subtitle are not text
        text.set_text(content.rstrip("\n"))
        box = text.get_window_extent(renderer)
        text.set_text(content)
        patch = text.get_bbox_patch()
        if patch is not None:
            box = box.union([box, patch.get_window_extent(renderer)])
        out.append((text, box))
    return out


def tick_owner(fig: Figure) -> dict[int, int]:
    """id(tick label) -> id(its axis), for every tick label of the figure."""
    owner = {}
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                for label in (tick.label1, tick.label2):
                    owner[id(label)] = id(axis)
    return owner


def overlaps(fig: Figure) -> list[tuple[str, str]]:
    """Pairs of drawn texts whose boxes overlap (tick labels of one axis are not compared)."""
    texts = drawn_texts(fig)
    owner = tick_owner(fig)
    found = []
    for k, (a, box_a) in enumerate(texts):
        for b, box_b in texts[k + 1 :]:
            same_axis = id(a) in owner and owner.get(id(a)) == owner.get(id(b))
            if same_axis:
                continue
            inner_a = box_a.shrunk(0.98, 0.98) if box_a.width > 4 else box_a
            if inner_a.overlaps(box_b):
                found.append((a.get_text(), b.get_text()))
    return found


def has_unit(label: str) -> bool:
    text = " ".join(label.split())
    return bool(re.search(r"\([^)]+\)", text)) or text.lower().startswith(UNIT_WORDS)


def axis_labels_with_units(fig: Figure) -> list[str]:
    """Labels missing a unit. An axis showing tick labels needs a label, except an x axis in a
    panel figure whose period axis is labelled once, on a panel below it."""
    drawn = {id(t) for t, _ in drawn_texts(fig)}
    x_labelled = [ax for ax in fig.axes if ax.get_visible() and ax.get_xlabel()]
    missing = []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        for name, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
            shows_ticks = any(id(t) in drawn for t in axis.get_ticklabels())
            label = axis.get_label_text()
            if not shows_ticks and not label:
                continue
            if not label and name == "x" and x_labelled:
                continue  # shared period axis of a panel figure, labelled below
            if not label and not all(_numeric(t.get_text()) for t in axis.get_ticklabels()):
                continue  # categories (strategies) name themselves
            if not has_unit(label):
                missing.append(f"{name}: {label!r}")
    return missing


def _numeric(text: str) -> bool:
    return bool(re.fullmatch(r"[-\u2212]?[\d.,]*%?", text.strip()))


def compare_with_baseline(fig: Figure, name: str) -> None:
    """Save ``fig`` as a small PNG and compare it with ``tests/data/figures/<name>.png``."""
    from matplotlib.image import imread

    from simulator.plots.style import briefing_style

    buffer = io.BytesIO()
    with briefing_style():
        fig.savefig(buffer, format="png", dpi=BASELINE_DPI, metadata={"Software": None})
    target = BASELINES / f"{name}.png"
    if UPDATE:
        BASELINES.mkdir(parents=True, exist_ok=True)
        target.write_bytes(buffer.getvalue())
        return
    assert target.exists(), (
        f"no baseline {target.name}; create it with SIMULATOR_UPDATE_BASELINES=1 and look at it"
    )
    buffer.seek(0)
    new = imread(buffer)[..., :3].astype(float) * 255
    old = imread(target)[..., :3].astype(float) * 255
    assert new.shape == old.shape, f"{name}: size {new.shape[:2]} != baseline {old.shape[:2]}"
    rms = float(np.sqrt(np.mean((new - old) ** 2)))
    assert rms <= RMS_TOLERANCE, f"{name}: RMS difference {rms:.2f} > {RMS_TOLERANCE}"


# ---------------------------------------------------------------------- the figures
def regime_map_2d() -> Figure:
    """Long regime names, a thin staircase and a one-cell corner region, a long y label."""
    x = np.linspace(0.0, 3.0, 13)
    y = np.linspace(0.0, 1.0, 9)
    codes = np.full((y.size, x.size), 2)
    codes[y[:, None] > 0.45 + 0.0 * x[None, :]] = 3
    for j in range(4, 12):
        codes[min(8, j - 3), j] = 0  # a staircase one cell thick
    codes[8, 12] = 1  # a single corner cell
    return regime_map(
        x,
        y,
        codes,
        LONG_REGIMES,
        "russia.great_power_status",
        "offer.alignment",
        title="Offer “Neutrality outside EU”: equilibrium outcome by great-power status premium "
        "and Ukraine's Western alignment under the offer",
        point=(1.5, 0.3),
        subtitle="Scenario: Status premium too high: no deal conceding the sphere survives · "
        "offer game solved at each point",
    )


def strip_1d() -> Figure:
    x = np.linspace(0.0, 1.0, 17)
    codes = np.digitize(x, [0.19, 0.31, 0.44])
    return regime_strip(
        x,
        codes,
        LONG_REGIMES,
        "russia.sanctions_cost",
        title="Offer “Neutrality for guarantees”: equilibrium outcome by cost of sanctions",
        probabilities={
            "settlement_probability": np.clip(2 * x - 0.4, 0, 1),
            "war_probability": np.clip(0.5 - x, 0, 1),
        },
        point=0.15,
        subtitle="Scenario: Sanctions escalation · offer game solved at each point",
    )


def bargaining_gap_at_left() -> Figure:
    """The gap at the left edge, where a label once covered the y-axis label."""
    x = np.linspace(0.0, 1.0, 9)
    high = np.where(x > 0.2, np.minimum(1.0, 0.3 + 0.9 * x), np.nan)
    low = np.where(x > 0.2, 0.47, np.nan)
    return bargaining_range(
        x,
        low,
        high,
        "russia.sanctions_cost",
        offers={"neutrality_for_guarantees": 0.6, "neutrality_outside_eu": 0.3},
        title="Offer “Neutrality for guarantees”: settlements both sides prefer to war",
        subtitle="Scenario: Sanctions escalation",
        point=0.15,
    )


def four_strategy_runs(seed: int = 7) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    t = np.arange(13)
    rise = 1 - np.exp(-t / 3)
    out = {
        "buy_time": np.full((200, t.size), 0.25),  # no learning: a band of no width
        "buy_time_in_ceasefire": 0.25 + 0.6 * rise * rng.uniform(0.2, 1.0, (200, 1)),
        "genuine_compromise": 0.25 + 0.7 * rise * rng.uniform(0.5, 1.0, (200, 1)),
    }
    out["mixed_types"] = out["buy_time_in_ceasefire"].copy()  # the same band as another
    return out


def paths_rows() -> Figure:
    runs = four_strategy_runs()
    falling = {k: 1 - 0.5 * v for k, v in runs.items()}
    return paths_panel(
        np.arange(13),
        None,
        rows={
            "Runs in which Russia is sincere": {"belief": runs, "cohesion": falling},
            "Runs in which Russia is a staller (buys time)": {
                "belief": falling,
                "capability": {k: 0.7 + v for k, v in runs.items()},
            },
        },
        title="Offer “Strong guarantees”: how the strategies play out over time",
        subtitle="Scenario: Strong versus weak security guarantees · what-if rules",
        band_label="middle 90% of the row's runs",
    )


def buy_time_equilibrium(periods: int = 12, certified: bool = True) -> object:
    """A stand-in for a solved buy-time game: each plan's paths by type (mean, 5%, 95%).

    The sincere strong type's front-line bands of the three plans partly overlap; the weak
    stallers' paths have no spread (no band).
    """
    from types import SimpleNamespace

    t = np.arange(periods + 1)
    types = ("sincere strong", "sincere weak", "staller strong", "staller weak")
    plays = {}
    for shift, plan in enumerate(("equilibrium", "compromise", "buy_time")):
        paths = {}
        for name, base in (("cohesion", 1.0), ("front", 2.0), ("p_sincere", 0.25)):
            rows = []
            for k in range(4):
                spread = 0.0 if k == 3 else 0.1 * (1 + shift) * np.minimum(t, 4) / 4
                sign = -1 if name == "cohesion" else 1
                mean = base + sign * (0.05 * k + 0.04 * shift) * np.minimum(t, 3)
                mean = np.clip(mean, 0, 1) if name != "front" else mean
                scale = 10 if name == "front" else 1
                rows.append([mean, mean - scale * spread, mean + scale * spread * 0.5])
            paths[name] = np.clip(np.array(rows), 0, 4 if name == "front" else 1)
        paths["capability"] = np.array(
            [[np.full(t.size, c)] * 3 for c in (1.2, 0.84, 1.2 + 0.1 * shift, 0.84)]
        )
        plays[plan] = SimpleNamespace(paths=paths)
    ends = ((0, 0, 1, np.nan), (1, 0, 0, 0.0), (0, 0.6, 0.4, 1.5), (0.25, 0.75, 0, 3.0))
    outcomes = {
        kind: dict(zip(("settled", "broken", "war", "settlement_period"), end))
        for kind, end in zip(types, ends)
    }
    return SimpleNamespace(
        prior=dict(zip(types, (0.125, 0.125, 0.375, 0.375))),
        plays=plays,
        outcomes=lambda plan="equilibrium": outcomes,
        periods=periods,
        runs=200,
        offer="neutrality_for_guarantees",
        certificate=SimpleNamespace(certified=certified, regret=0.0 if certified else 2.5e-4),
        unresolved_text=lambda: "3 of 900 states have no exact equilibrium",
    )


def equilibrium_rows() -> Figure:
    from simulator.plots.results import equilibrium_paths

    return equilibrium_paths(buy_time_equilibrium(), scenario="Buying time pays the stallers")


def single_paths() -> Figure:
    return paths(np.arange(13), four_strategy_runs(), "belief", title="Offer “Deal”: belief")


def payoffs() -> Figure:
    return payoffs_by_strategy(
        ["buy_time", "genuine_compromise", "mixed_types"],
        ["russia", "ukraine", "west"],
        [[9.8, 9.1, 6.9], [7.8, 10.0, 6.8], [8.4, -0.5, 7.0]],
        errors=[[0.4, 0.3, 0.3], [0.0, 0.0, 0.0], [0.2, 0.1, 0.1]],
        title="Offer “Weak guarantees”: expected payoffs by strategy",
        subtitle="Scenario: Strong versus weak security guarantees · 10,000 runs per strategy",
    )


def timing() -> Figure:
    signed = {"buy_time": [1] * 8, "genuine_compromise": [1] * 6 + [3, -1]}
    broken = {"buy_time": [8, 8, 8, 8, 8, 8, -1, -1], "genuine_compromise": [-1] * 8}
    return settlement_timing(
        signed,
        periods=12,
        break_periods=broken,
        title="Offer “Neutrality for guarantees”: when a deal is signed, and whether it holds",
        subtitle="Scenario: Neutrality for security guarantees, spring 2022",
    )


FIGURES: dict[str, Callable[[], Figure]] = {
    "regime_map": regime_map_2d,
    "regime_strip": strip_1d,
    "bargaining_range": bargaining_gap_at_left,
    "paths_panel": paths_rows,
    "equilibrium_paths": equilibrium_rows,
    "paths": single_paths,
    "payoffs": payoffs,
    "settlement_timing": timing,
}


@pytest.fixture(scope="module")
def figures() -> dict[str, Figure]:
    return {name: build() for name, build in FIGURES.items()}


# ---------------------------------------------------------------------- layout and labels
@pytest.mark.parametrize("name", list(FIGURES))
def test_no_text_covers_another(figures, name) -> None:
    assert overlaps(figures[name]) == []


@pytest.mark.parametrize("name", list(FIGURES))
def test_every_axis_has_a_unit(figures, name) -> None:
    assert axis_labels_with_units(figures[name]) == []


def test_overlap_check_sees_a_covered_label() -> None:
    fig = bargaining_gap_at_left()
    ax = fig.axes[0]
    ax.text(0.0, 0.5, "a note over the axis label", transform=ax.transAxes, ha="right")
    assert overlaps(fig) != []
    assert not has_unit("Period") and has_unit("Cohesion (share)") and has_unit("Probability")


def test_regime_map_marks_the_point_and_labels_every_regime(figures) -> None:
    fig = figures["regime_map"]
    ax = fig.axes[0]
    (star,) = [line for line in ax.get_lines() if line.get_label() == "This scenario"]
    assert (star.get_xdata()[0], star.get_ydata()[0]) == (1.5, 0.3)
    assert star.get_marker() == "*"
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend[-1] == "This scenario"
    # every regime is named in place, or by the letter its legend entry starts with
    in_place = {" ".join(t.get_text().split()) for t in ax.texts}
    for entry in legend[:-1]:
        key, name = " ".join(entry.split()).split(" ", 1)
        assert key in in_place or name in in_place, entry


def test_one_parameter_regime_map_has_no_vertical_axis(figures) -> None:
    strip, chart = figures["regime_strip"].axes
    assert strip.get_yticks().tolist() == [] and strip.get_ylabel() == ""
    assert not strip.spines["left"].get_visible()
    assert chart.get_ylabel() == "Probability"
    assert any(line.get_label() == "This scenario" for line in strip.get_lines())


def test_bands_only_where_they_have_width_each_in_its_own_colour(figures) -> None:
    from matplotlib.collections import PolyCollection
    from matplotlib.colors import to_hex

    fig = figures["paths"]
    ax = fig.axes[0]
    fills = [c for c in ax.collections if isinstance(c, PolyCollection)]
    # buy_time has no band (no width); mixed_types shares buy_time_in_ceasefire's: filled once
    assert len(fills) == 2
    legend = fig.legends[0]
    swatches = {to_hex(p.get_facecolor()) for p in legend.legend_handles if hasattr(p, "get_width")}
    assert {to_hex(f.get_facecolor()[0]) for f in fills} <= swatches
    assert legend.get_title().get_text() == "Line: mean of runs; shaded: middle 90% of runs"
    assert [t.get_text() for t in legend.get_texts()] == [
        "Buy time",
        "Buy time in ceasefire",
        "Genuine compromise",
        "Mixed types",
    ]


# ---------------------------------------------------------------------- a scenario's figures
SCENARIO = """
title: Two deals, briefly
seed: 3
offers:
  weak_deal: {alignment: 0.6, security_guarantees: 0.3}
  strong_deal: {alignment: 0.6, security_guarantees: 0.95}
dynamics: {periods: 12}
analyses:
  - compare: [buy_time, genuine_compromise]
    equilibrium: false
    offer: weak_deal
    runs: 100
  - compare: [buy_time, genuine_compromise]
    equilibrium: false
    offer: strong_deal
    runs: 100
  - sweep:
      russia.sanctions_cost: {from: 0, to: 1, steps: 5}
    offer: strong_deal
    show: regime_map
  - sweep:
      offers.weak_deal.security_guarantees: {from: 0, to: 1, steps: 4}
      west.security_guarantee_credibility: {from: 0, to: 1, steps: 3}
    offer: weak_deal
    show: regime_map
figures: [settlement_timing, paths, payoffs, regime_map]
"""


class _Built(dict):
    """Figures by file stem, each drawn the first time it is asked for."""

    def __init__(self, builders: dict[str, Callable[[], Figure]]) -> None:
        super().__init__()
        self.builders = builders

    def __missing__(self, stem: str) -> Figure:
        self[stem] = self.builders[stem]()
        return self[stem]

    def stems(self) -> list[str]:
        return list(self.builders)


@pytest.fixture(scope="module")
def scenario_figures() -> _Built:
    from simulator.analysis import run_scenario
    from simulator.plots.results import figure_plan
    from simulator.scenario import parse_scenario

    results = run_scenario(parse_scenario(SCENARIO))
    plan, notes = figure_plan(results)
    assert notes == []
    return _Built({stem: build for stem, _index, build in plan})


def test_settlement_timing_can_be_asked_for_and_is_not_degenerate(scenario_figures) -> None:
    from simulator.scenario import parse_scenario

    assert parse_scenario(SCENARIO).figures[0] == "settlement_timing"
    fig = scenario_figures["settlement_timing_1"]
    signed, in_force = fig.axes
    curves = [p.get_data().values for p in signed.patches + in_force.patches]
    assert len(curves) == 4 and all(c.size == 12 for c in curves)
    # buy time signs and then breaks its deals: the curves differ, they are not one step
    assert not np.allclose(curves[0], curves[2])
    assert len({round(float(v), 6) for c in curves for v in c}) > 2


def test_titles_name_the_offer_and_differ(scenario_figures) -> None:
    assert scenario_figures.stems() == [
        "settlement_timing_1",
        "settlement_timing_2",
        "paths_1",
        "paths_2",
        "payoffs_1",
        "payoffs_2",
        "regime_map_1",
        "regime_map_2",
    ]
    titles = {
        stem: " ".join(scenario_figures[stem].get_suptitle().split())
        for stem in scenario_figures.stems()
    }
    assert len(set(titles.values())) == len(titles)
    for stem, title in titles.items():
        offer = "Weak deal" if stem.endswith("_1") else "Strong deal"
        if stem.startswith("regime_map"):
            offer = "Strong deal" if stem.endswith("_1") else "Weak deal"
        assert f"Offer “{offer}”" in title, (stem, title)
        subtitle = [t.get_text() for t in scenario_figures[stem].texts]
        assert any(t.startswith("Scenario: Two deals, briefly") for t in subtitle), stem


def test_scenario_regime_maps_mark_the_scenario_point(scenario_figures) -> None:
    from simulator.model import NegotiationModel

    model = NegotiationModel()
    strip = scenario_figures["regime_map_1"].axes[0]
    (star,) = [ln for ln in strip.get_lines() if ln.get_label() == "This scenario"]
    assert star.get_xdata()[0] == pytest.approx(model.russia.sanctions_cost)
    assert strip.get_yticks().tolist() == []
    grid = scenario_figures["regime_map_2"].axes[0]
    (star,) = [ln for ln in grid.get_lines() if ln.get_label() == "This scenario"]
    assert (star.get_xdata()[0], star.get_ydata()[0]) == pytest.approx(
        (0.3, model.west.security_guarantee_credibility)
    )
    for stem in ("regime_map_2", "paths_1"):
        fig = scenario_figures[stem]
        assert overlaps(fig) == [] and axis_labels_with_units(fig) == []


# ---------------------------------------------------------------------- image regression
@pytest.mark.parametrize("name", list(FIGURES))
def test_figure_matches_its_baseline(figures, name) -> None:
    compare_with_baseline(figures[name], name)


def test_scenario_paths_have_a_row_per_type_of_russia(scenario_figures) -> None:
    # Issue 11: one belief band spanning 0 to 0.93 around a mean of 0.25 mixed the sincere
    # and the stalling Russia's runs; each type now has its own row of panels and bands.
    fig = scenario_figures["paths_1"]
    texts = [t.get_text() for f in (fig, *fig.subfigs) for t in f.texts]
    assert "Runs in which Russia is sincere" in texts
    assert "Runs in which Russia is a staller (buys time)" in texts
    titles = [" ".join(ax.get_title(loc="left").split()) for ax in fig.axes if ax.get_visible()]
    row = [
        "Western cohesion",
        "Russian military capability",
        "West's belief that Russia is sincere",
    ]
    assert titles == 2 * row


def test_equilibrium_paths_have_a_row_per_type_and_readable_bands(figures) -> None:
    # Issue 11: the three plans' bands, pooled over Russia's four types, were drawn over each
    # other and blended to an olive grey; the capability band was only the spread between the
    # types. Each type now has a row, each variable a column on one scale, and the bands are
    # hatched in their plan's colour, a direction per plan, so that overlapping ones stay
    # matched to their lines.
    from matplotlib.collections import PolyCollection
    from matplotlib.colors import to_hex

    fig = figures["equilibrium_paths"]
    rows = [sf.get_suptitle() for sf in fig.subfigs]
    # each row says what equilibrium play ends in for its type (a flat path is a deal signed)
    assert rows == [
        "Russia sincere and strong · 12.5% of the prior\nIn equilibrium: no deal in 100% of runs",
        "Russia sincere and weak · 12.5% of the prior\n"
        "In equilibrium: deal kept in 100% of runs, signed in period 0 on average",
        "Russia a strong staller (buys time) · 37.5% of the prior\n"
        "In equilibrium: deal broken in 60%, no deal in 40% of runs, signed in period 1.5 on "
        "average",
        "Russia a weak staller (buys time) · 37.5% of the prior\n"
        "In equilibrium: deal kept in 25%, deal broken in 75% of runs, signed in period 3 on "
        "average",
    ]
    assert "Offer “Neutrality for guarantees”" in " ".join(fig.get_suptitle().split())
    panels = [list(sf.axes) for sf in fig.subfigs]
    assert all(len(row) == 4 for row in panels)
    headings = [" ".join(ax.get_title(loc="left").split()) for ax in panels[0]]
    assert headings == [
        "Western cohesion",
        "Front line",
        "West's belief that Russia is sincere",
        "Russian military capability",
    ]
    assert all(ax.get_title(loc="left") == "" for row in panels[1:] for ax in row)
    for column in zip(*panels):  # one scale per variable
        assert len({ax.get_ylim() for ax in column}) == 1
    # the capability lines are the types' levels, not a band between the types
    assert not [c for ax in (row[3] for row in panels) for c in ax.collections]
    legend = fig.legends[0]
    assert [t.get_text() for t in legend.get_texts()] == [
        "Equilibrium play",
        "Genuine compromise",
        "Buying time",
    ]
    assert legend.get_title().get_text().startswith("Line: mean of runs; hatched:")
    front = [c for c in panels[0][1].collections if isinstance(c, PolyCollection)]
    assert len(front) == 3  # three overlapping bands, none filled with a tint
    assert len({c.get_hatch() for c in front}) == 3
    assert all(len(c.get_facecolor()) == 0 or c.get_facecolor()[0][3] == 0 for c in front)
    lines = {to_hex(line.get_color()) for line in panels[0][1].get_lines()}
    assert {to_hex(c.get_edgecolor()[0], keep_alpha=False) for c in front} <= lines
    # the weak staller's paths have no spread: no band in its row
    assert not [c for ax in panels[3] for c in ax.collections]


def test_an_equilibrium_not_certified_says_so_on_its_figure():
    # A briefing writer pastes the figure alone into a slide: its subtitle carries the warning.
    from simulator.plots.results import equilibrium_paths

    def texts(fig: Figure) -> str:
        return " ".join(t.get_text() for t in fig.findobj(matplotlib.text.Text))

    certified = equilibrium_paths(buy_time_equilibrium(), scenario="S")
    found = equilibrium_paths(buy_time_equilibrium(certified=False), scenario="S")
    assert "NOT certified" not in texts(certified)
    assert (
        "NOT certified: 3 of 900 states have no exact equilibrium, where a player gains up to "
        "2.5e-04" in texts(found).replace("\n", " ")
    )
    plt.close("all")


@pytest.mark.parametrize("name", ["equilibrium_paths", "paths_panel"])
def test_a_panels_column_stays_aligned_from_row_to_row(figures, name) -> None:
    # A y-axis label too tall for its axes is wrapped onto more lines. The last row's axes are
    # shorter (the period axis sits under them), so its labels were wrapped further than the
    # rows above and its axes moved right: every label of a column now gets the column's
    # tightest fit, and each column's axes keep the same left and right edges in every row.
    _columns_aligned(figures[name])


def test_a_scenarios_paths_columns_stay_aligned(scenario_figures) -> None:
    # Here the rows' tick labels differ in width (capability 0.7 to 1.2 for the sincere types,
    # 0.75 to 1.75 for the stallers), which moved a row's axes right of the one above.
    _columns_aligned(scenario_figures["paths_1"])


def _columns_aligned(fig: Figure) -> None:
    renderer = fig.canvas.get_renderer()
    rows = [
        [ax.get_window_extent(renderer) for ax in sf.axes if ax.get_visible()] for sf in fig.subfigs
    ]
    assert len(rows) >= 2 and len({len(r) for r in rows}) == 1
    for column in zip(*rows):
        assert max(b.x0 for b in column) - min(b.x0 for b in column) < 0.5
        assert max(b.x1 for b in column) - min(b.x1 for b in column) < 0.5
