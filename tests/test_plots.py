"""Briefing figures: plain-word labels, the Okabe-Ito palette, correct data, reproducible files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.collections import LineCollection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from simulator.analysis import labels as labels_module
from simulator.plots import (
    OKABE_ITO,
    bargaining_range,
    colours_for,
    encode_regimes,
    paths,
    paths_panel,
    payoffs_by_strategy,
    plain_label,
    regime_map,
    save_figure,
    settlement_timing,
)
from simulator.plots import style as style_module

PROJECT_ROOT = Path(__file__).resolve().parents[1]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FAST = settings(max_examples=15, deadline=None)


# ---------------------------------------------------------------------- helpers
def legend_texts(fig: Figure) -> list[str]:
    assert len(fig.legends) == 1, "every briefing figure has exactly one legend"
    return [t.get_text() for t in fig.legends[0].get_texts()]


def all_texts(fig: Figure) -> list[str]:
    """Every piece of text a reader sees: titles, labels, ticks, legend, annotations."""
    fig.canvas.draw()  # creates the tick labels
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")) if t.get_text()]


def assert_plain_words(fig: Figure) -> None:
    for text in all_texts(fig):
        assert "_" not in text and "russia." not in text and "west." not in text, text


def one_line(text: str) -> str:
    return " ".join(text.split())


def status_cohesion_grid() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    status = np.linspace(0.0, 2.0, 21)
    cohesion = np.linspace(0.0, 1.0, 11)
    # settlement (0) at low status; war (2) at high status and low cohesion; stalling otherwise
    codes = np.where(status[None, :] < 0.6, 0, np.where(cohesion[:, None] < 0.5, 2, 1))
    return status, cohesion, codes


# ---------------------------------------------------------------------- package and palette
def test_import_does_not_load_matplotlib() -> None:
    code = (
        "import sys, simulator, simulator.plots; "
        "print('matplotlib' in sys.modules, 'matplotlib.pyplot' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PROJECT_ROOT
    )
    assert out.stdout.split() == ["False", "False"]


def test_building_and_saving_never_touch_pyplot(tmp_path: Path) -> None:
    code = (
        "import sys, numpy as np; from simulator.plots import paths, save_figure; "
        "fig = paths(np.arange(3), {'buy_time': np.ones((4, 3))}, 'cohesion'); "
        f"save_figure(fig, {str(tmp_path / 'f')!r}, ('png',), dpi=30); "
        "print('matplotlib.pyplot' in sys.modules, type(fig).__module__)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PROJECT_ROOT
    )
    assert out.stdout.split() == ["False", "matplotlib.figure"]


def test_palette_is_okabe_ito() -> None:
    # Okabe & Ito (2008), as listed by Wong, Nature Methods 8, 441 (2011).
    assert list(OKABE_ITO) == [
        "#000000",
        "#E69F00",
        "#56B4E9",
        "#009E73",
        "#F0E442",
        "#0072B2",
        "#D55E00",
        "#CC79A7",
    ]
    assert sorted(style_module.SERIES_ORDER) == sorted(OKABE_ITO)
    assert set(style_module.KNOWN_COLOURS.values()) <= set(OKABE_ITO)


def test_colours_for_fixed_names_and_distinct_fill() -> None:
    assert colours_for(["war", "settlement"]) == ["#D55E00", "#009E73"]
    assert colours_for(["buy_time"]) == colours_for(["Buy time"])
    # eight unknown names get the eight palette colours, each once
    names = [f"option {k}" for k in range(8)]
    assert sorted(colours_for(names)) == sorted(OKABE_ITO)
    # a fixed colour already taken is not given to a second name
    got = colours_for(["russia", "war"])
    assert got[0] == "#D55E00" and got[1] != "#D55E00"


def test_series_colours_in_figures_come_from_the_palette() -> None:
    fig = paths(np.arange(4), {f"s{k}": np.ones((2, 4)) * k for k in range(5)}, "Output")
    means = [line for line in fig.axes[0].get_lines() if not line.get_label().startswith("_")]
    assert len(means) == 5
    assert {to_hex(line.get_color()).upper() for line in means} <= set(OKABE_ITO)


# ---------------------------------------------------------------------- plain labels
def test_plain_label_dictionary_government_and_fallbacks(monkeypatch) -> None:
    assert plain_label("russia.great_power_status") == "Great-power status premium"
    assert plain_label("west.western_cohesion") == "Western cohesion"
    assert plain_label("west.governments.Hungary.fatigue_rate") == (
        "Hungary: growth of sanctions fatigue"
    )
    assert plain_label("genuine_compromise") == "Genuine compromise"
    assert plain_label("Already plain words") == "Already plain words"
    # a parameter outside the model and the offer still has its spec's label
    assert plain_label("dynamics.periods") == "Periods played"
    assert "contest_exponent" in labels_module.PLAIN_LABELS
    # a dotted name with no spec still loses its code form
    assert plain_label("west.aggregation") == "The West: aggregation"


def test_every_model_parameter_has_a_plain_label() -> None:
    from simulator.model import NegotiationModel

    for name, _value, _spec in NegotiationModel().describe():
        label = plain_label(name)
        assert "_" not in label and not label.startswith(("russia.", "west.", "ukraine.")), name


# ---------------------------------------------------------------------- regime map
def test_regime_map_labels_legend_and_annotations() -> None:
    status, cohesion, codes = status_cohesion_grid()
    fig = regime_map(
        status,
        cohesion,
        codes,
        ["settlement", "stalling", "war"],
        "russia.great_power_status",
        "west.western_cohesion",
    )
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert one_line(fig.get_suptitle()) == (
        "Equilibrium outcome by great-power status premium and Western cohesion"
    )
    assert ax.get_xlabel() == "Great-power status premium (share of the stake)"
    assert one_line(ax.get_ylabel()) == "Western cohesion (share of full cohesion)"
    # letters key the regimes: a region too small for its name shows its letter
    assert legend_texts(fig) == ["A  Settlement", "B  Stalling", "C  War"]
    assert fig.legends[0].get_title().get_text() == "Equilibrium outcome"
    annotations = sorted(one_line(t.get_text()) for t in ax.texts)
    assert annotations == ["Settlement", "Stalling", "War"]
    # fills take the outcomes' fixed palette colours (lightened slightly)
    handles = fig.legends[0].legend_handles
    war = np.array([int("D55E00"[k : k + 2], 16) for k in (0, 2, 4)]) / 255
    assert np.allclose(handles[2].get_facecolor()[:3], war + 0.1 * (1 - war), atol=1 / 255)
    assert_plain_words(fig)


def test_regime_map_boundaries_follow_the_grid() -> None:
    x, y = np.array([0.0, 1.0, 2.0, 3.0]), np.array([0.0, 1.0])
    codes = np.array([[0, 0, 1, 1], [0, 0, 1, 1]])
    fig = regime_map(x, y, codes, ["settlement", "war"], "a", "b", annotate=False)
    (lines,) = [c for c in fig.axes[0].collections if isinstance(c, LineCollection)]
    segments = [np.asarray(s) for s in lines.get_segments()]
    # one vertical boundary at x = 1.5 (between columns 1 and 2), over both rows
    assert len(segments) == 2
    for seg in segments:
        assert np.allclose(seg[:, 0], 1.5)
    assert sorted(tuple(seg[:, 1]) for seg in segments) == [(-0.5, 0.5), (0.5, 1.5)]
    assert len(fig.axes[0].texts) == 0


def test_regime_map_legend_lists_only_regimes_present() -> None:
    fig = regime_map([0, 1], [0, 1], [[2, 2], [0, 0]], ["settlement", "stalling", "war"], "a", "b")
    assert legend_texts(fig) == ["A  Settlement", "B  War"]
    names = ["settlement", "stalling", "war"]
    plain = regime_map([0, 1], [0, 1], [[2, 2], [0, 0]], names, "a", "b", annotate=False)
    assert legend_texts(plain) == ["Settlement", "War"]  # no labels in place: no letters


@FAST
@given(
    st.integers(2, 9),
    st.integers(2, 9),
    st.integers(1, 3),
    st.randoms(use_true_random=False),
)
def test_regime_map_labels_sit_inside_their_regions(nx, ny, n_regimes, rnd) -> None:
    codes = np.array([[rnd.randrange(n_regimes) for _ in range(nx)] for _ in range(ny)])
    x, y = np.arange(nx) * 0.5, np.arange(ny) * 2.0
    labels = [f"Regime {k}" for k in range(n_regimes)]
    fig = regime_map(x, y, codes, labels, "a", "b")
    keys = {entry.split("  ", 1)[0]: entry.split("  ", 1)[1] for entry in legend_texts(fig)}
    xe, ye = np.arange(nx + 1) * 0.5 - 0.25, np.arange(ny + 1) * 2.0 - 1.0  # cell edges
    present = set()
    for text in fig.axes[0].texts:
        tx, ty = text.get_position()
        j, i = int(np.searchsorted(xe, tx) - 1), int(np.searchsorted(ye, ty) - 1)
        name = keys.get(one_line(text.get_text()), one_line(text.get_text()))
        assert labels[codes[i, j]] == name  # a label sits in a cell of its own regime
        present.add(name)
    assert present == {labels[c] for c in np.unique(codes)}  # and every regime has one
    (lines,) = [c for c in fig.axes[0].collections if isinstance(c, LineCollection)] or [None]
    expected = int((codes[:, 1:] != codes[:, :-1]).sum() + (codes[1:] != codes[:-1]).sum())
    assert (0 if lines is None else len(lines.get_segments())) == expected


def test_regime_map_rejects_bad_input() -> None:
    x, y, codes = status_cohesion_grid()
    labels = ["settlement", "stalling", "war"]
    with pytest.raises(ValueError, match=r"regimes has shape \(11, 21\) but needs \(21, 11\)"):
        regime_map(y, x, codes, labels, "a", "b")
    with pytest.raises(ValueError, match=r"regime codes \[3, 7\] have no label.*0\.\.2"):
        regime_map(x, y, np.where(codes == 2, 7, codes) + (codes == 0) * 3, labels, "a", "b")
    with pytest.raises(ValueError, match="regime codes \\[-1\\]"):
        regime_map(x, y, codes - 1, labels, "a", "b")
    with pytest.raises(ValueError, match="nan"):
        regime_map(x, y, np.full(codes.shape, np.nan), labels, "a", "b")
    with pytest.raises(ValueError, match="encode_regimes"):
        regime_map(x, y, codes.astype(str), labels, "a", "b")
    with pytest.raises(ValueError, match="strictly increasing"):
        regime_map(x[::-1], y, codes, labels, "a", "b")
    with pytest.raises(ValueError, match="repeated"):
        regime_map(x, y, codes, ["war", "war", "war"], "a", "b")


def test_encode_regimes_round_trip() -> None:
    names = np.array([["war", "settlement", "war"], ["stalling", "war", "settlement"]])
    codes, labels = encode_regimes(names)
    assert labels == ["settlement", "stalling", "war"]
    assert (np.array(labels)[codes] == names).all()


# ---------------------------------------------------------------------- bargaining range
def test_bargaining_range_band_gap_and_offers() -> None:
    status = np.linspace(0.0, 1.5, 16)
    high = np.where(status < 0.7, 0.7 - 0.5 * status, np.nan)
    low = np.where(status < 0.7, 0.35, np.nan)
    fig = bargaining_range(
        status,
        low,
        high,
        "russia.great_power_status",
        status_quo=0.2,
        offers={"Neutrality offer": 0.6},
    )
    ax = fig.axes[0]
    assert one_line(fig.get_suptitle()) == (
        "Settlements both sides prefer to war, by great-power status premium"
    )
    assert ax.get_xlabel() == "Great-power status premium (share of the stake)"
    assert ax.get_ylabel().startswith("Ukraine's Western alignment")
    assert legend_texts(fig) == [
        "Settlements both sides prefer to war",
        "No settlement both sides accept",
        "Between grid points: not computed",
        "Most Russia concedes",
        "Least Ukraine accepts",
        "Neutrality offer (0.6)",
        "Status quo",
    ]
    assert "No settlement both sides accept" in [one_line(t.get_text()) for t in ax.texts]
    # the hatched gap runs from the first grid point without a band to the last; between the
    # last point with a band (0.6) and it (0.7) where the range closes is not known: dotted,
    # neither band nor gap (issue 11: it was a white strip that said nothing)
    (gap,) = [p for p in ax.patches if p.get_hatch() == "//"]
    box = gap.get_bbox()  # in data coordinates along x
    assert np.isclose(box.x0, 0.7) and np.isclose(box.x1, 1.5)
    (unknown,) = [p for p in ax.patches if p.get_hatch() == ".."]
    assert np.allclose(unknown.get_bbox().intervalx, (0.6, 0.7))
    assert np.allclose(ax.get_xlim(), (0.0, 1.5))
    offer = [line for line in ax.get_lines() if line.get_label() == "Neutrality offer (0.6)"]
    assert np.allclose(offer[0].get_ydata(), 0.6)
    assert_plain_words(fig)


def test_bargaining_range_all_empty_and_all_open() -> None:
    x = np.array([0.0, 1.0, 2.0])
    empty = bargaining_range(x, [np.nan] * 3, [np.nan] * 3, "russia.optimism")
    assert legend_texts(empty)[0] == "No settlement both sides accept"
    assert "Between grid points: not computed" not in legend_texts(empty)
    # low above high counts as empty too; a lone grid point without a band is a line
    inverted = bargaining_range(x, [0.5, 0.5, 0.5], [0.4, 0.6, 0.7], "russia.optimism")
    (gap,) = [p for p in inverted.axes[0].patches if p.get_hatch() == "//"]
    assert np.allclose(gap.get_bbox().intervalx, 0.0) and gap.get_linewidth() > 0
    (unknown,) = [p for p in inverted.axes[0].patches if p.get_hatch() == ".."]
    assert np.allclose(unknown.get_bbox().intervalx, (0.0, 1.0))
    full = bargaining_range(x, [0.3] * 3, [0.6] * 3, "russia.optimism")
    assert "No settlement both sides accept" not in legend_texts(full)
    assert "Between grid points: not computed" not in legend_texts(full)
    assert len(full.axes[0].texts) == 0
    # the scenario's point outside the grid: the stretch to it was not computed either
    beyond = bargaining_range(x, [0.3] * 3, [0.6] * 3, "russia.optimism", point=2.5)
    (unknown,) = [p for p in beyond.axes[0].patches if p.get_hatch() == ".."]
    assert np.allclose(unknown.get_bbox().intervalx, (2.0, 2.5))
    assert np.allclose(beyond.axes[0].get_xlim(), (0.0, 2.5))


def test_bargaining_range_rejects_bad_input() -> None:
    x = np.array([0.0, 1.0, 2.0])
    with pytest.raises(ValueError, match=r"high has shape \(2,\) but needs \(3,\)"):
        bargaining_range(x, [0.1, 0.2, 0.3], [0.5, 0.6], "a")
    with pytest.raises(ValueError, match="inf"):
        bargaining_range(x, [0.1, 0.2, np.inf], [0.5, 0.6, 0.7], "a")
    with pytest.raises(ValueError, match="finite number"):
        bargaining_range(x, [0.1] * 3, [0.5] * 3, "a", offers={"bad": np.nan})
    with pytest.raises(ValueError, match="parameter_values must be finite"):
        bargaining_range([0.0, np.nan, 1.0], [0.1] * 3, [0.5] * 3, "a")


# ---------------------------------------------------------------------- paths
def test_paths_mean_and_quantile_band_from_runs() -> None:
    rng = np.random.default_rng(3)
    periods = np.arange(12)
    runs = 1 - 0.04 * periods * rng.uniform(0.2, 1.8, size=(300, 1))
    fig = paths(periods, {"buy_time": runs, "genuine_compromise": np.ones((5, 12))}, "cohesion")
    ax = fig.axes[0]
    assert fig.get_suptitle() == "Western cohesion over time, by strategy"
    assert ax.get_xlabel() == "Period (rounds of talks or fighting)"
    assert one_line(ax.get_ylabel()) == "Western cohesion (share of full cohesion)"
    # one entry per strategy; the banded one shows its band's colour behind its line
    assert legend_texts(fig) == ["Buy time", "Genuine compromise"]
    legend = fig.legends[0]
    assert legend.get_title().get_text() == "Line: mean of runs; shaded: middle 90% of runs"
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert np.allclose(lines["Buy time"].get_ydata(), runs.mean(axis=0))
    edges = [
        line.get_ydata()
        for line in ax.get_lines()
        if line.get_label().startswith("_") and line.get_color() == lines["Buy time"].get_color()
    ]
    expected = np.quantile(runs, [0.05, 0.95], axis=0)
    assert np.allclose(edges[0], expected[0]) and np.allclose(edges[1], expected[1])
    assert ax.get_ylim() == pytest.approx((-0.02, 1.02))
    # strategies differ in dash pattern as well as colour
    assert lines["Buy time"].get_linestyle() != lines["Genuine compromise"].get_linestyle()
    assert_plain_words(fig)


def test_paths_precomputed_summaries_and_nan_gaps() -> None:
    t = np.arange(4)
    mean = np.array([0.5, np.nan, 0.6, 0.7])
    fig = paths(
        t,
        {"buy_time": {"mean": mean, "low": mean - 0.1, "high": mean + 0.1}},
        "belief",
        bands=(0.1, 0.9),
    )
    assert legend_texts(fig) == ["Buy time"]
    assert fig.legends[0].get_title().get_text().endswith("shaded: middle 80% of runs")
    (line,) = [ln for ln in fig.axes[0].get_lines() if ln.get_label() == "Buy time"]
    assert np.allclose(line.get_ydata(), mean, equal_nan=True)
    no_band = paths(t, {"buy_time": {"mean": mean}}, "belief")
    assert legend_texts(no_band) == ["Buy time"] and no_band.legends[0].get_title().get_text() == ""
    # a band of no width is not drawn and not in the legend
    flat = paths(t, {"buy_time": {"mean": mean, "low": mean, "high": mean}}, "belief")
    assert flat.legends[0].get_title().get_text() == "" and not flat.axes[0].collections


def test_paths_rejects_bad_input() -> None:
    t = np.arange(5)
    with pytest.raises(
        ValueError, match=r"'buy_time' of 'cohesion' has shape \(3, 4\).*\(runs, 5\)"
    ):
        paths(t, {"buy_time": np.ones((3, 4))}, "cohesion")
    with pytest.raises(ValueError, match="no finite values"):
        paths(t, {"buy_time": np.full((3, 5), np.nan)}, "cohesion")
    with pytest.raises(ValueError, match="no finite values"):
        paths(t, {"buy_time": {"mean": np.full(5, np.nan)}}, "cohesion")
    with pytest.raises(ValueError, match="both 'low' and 'high'"):
        paths(t, {"buy_time": {"mean": np.ones(5), "low": np.ones(5)}}, "cohesion")
    with pytest.raises(ValueError, match="bands must be two quantiles"):
        paths(t, {"buy_time": np.ones((3, 5))}, "cohesion", bands=(0.9, 0.1))
    with pytest.raises(ValueError, match="non-empty dict"):
        paths(t, {}, "cohesion")


def test_paths_panel_one_panel_per_quantity_shared_colours() -> None:
    t = np.arange(6)
    runs = {"buy_time": np.ones((4, 6)), "genuine_compromise": np.zeros((4, 6))}
    panels = {
        "cohesion": runs,
        "capability": runs,
        "belief": {"genuine_compromise": runs["buy_time"]},
    }
    fig = paths_panel(t, panels)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [one_line(ax.get_title(loc="left")) for ax in visible] == [
        "Western cohesion",
        "Russian military capability",
        "West's belief that Russia is sincere",
    ]
    assert legend_texts(fig) == ["Buy time", "Genuine compromise"]
    assert [ax.get_ylabel() for ax in visible] == [
        "Share of full cohesion",
        "Relative military capability",
        "Probability",
    ]
    colour = {
        line.get_label(): line.get_color()
        for ax in visible
        for line in ax.get_lines()
        if not line.get_label().startswith("_")
    }
    genuine = [
        line.get_color()
        for ax in visible
        for line in ax.get_lines()
        if line.get_label() == "Genuine compromise"
    ]
    assert len(genuine) == 3 and len(set(genuine)) == 1
    assert colour["Buy time"] != colour["Genuine compromise"]
    four = paths_panel(t, {q: runs for q in ("cohesion", "capability", "belief", "front")})
    assert sum(ax.get_visible() for ax in four.axes) == 4
    with pytest.raises(ValueError, match="non-empty dict"):
        paths_panel(t, {})


# ---------------------------------------------------------------------- payoffs
def test_payoffs_bars_errors_and_labels() -> None:
    values = np.array([[7.1, 11.0, -0.5], [6.2, 11.9, 1.0]])
    errors = np.array([[0.05, 0.03, 0.1], [0.0, 0.0, 0.2]])
    fig = payoffs_by_strategy(
        ["buy_time", "genuine_compromise"], ["russia", "ukraine", "west"], values, errors
    )
    ax = fig.axes[0]
    assert fig.get_suptitle() == "Expected payoffs by strategy"
    assert one_line(ax.get_ylabel()) == "Expected payoff (discounted sum, shares of the stake)"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Buy time", "Genuine compromise"]
    assert legend_texts(fig) == ["Russia", "Ukraine", "The West"]
    assert fig.legends[0].get_title().get_text() == "Error bars: 95% Monte Carlo interval"
    heights = [p.get_height() for p in ax.patches]
    assert np.allclose(heights, values.T.ravel())  # bars are drawn actor by actor
    caps = [c for c in ax.containers if hasattr(c, "errorbar") and c.errorbar is not None]
    russia_errs = caps[0].errorbar.lines[2][0].get_segments()
    assert [s[1][1] - s[0][1] for s in russia_errs] == pytest.approx(2 * 1.96 * errors[:, 0])
    assert sorted(t.get_text() for t in ax.texts)[:2] == ["-0.5", "1.0"]  # 1 decimal: span > 10
    assert_plain_words(fig)


def test_payoffs_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match=r"values has shape \(2, 2\) but needs \(2, 3\)"):
        payoffs_by_strategy(["a", "b"], ["x", "y", "z"], np.ones((2, 2)))
    with pytest.raises(ValueError, match="no finite entries"):
        payoffs_by_strategy(["a"], ["x"], [[np.nan]])
    with pytest.raises(ValueError, match="non-negative"):
        payoffs_by_strategy(["a"], ["x"], [[1.0]], errors=[[-0.1]])
    with pytest.raises(ValueError, match="errors has shape"):
        payoffs_by_strategy(["a"], ["x"], [[1.0]], errors=[0.1, 0.2])
    with pytest.raises(ValueError, match="not one string"):
        payoffs_by_strategy("ab", ["x"], [[1.0], [2.0]])


# ---------------------------------------------------------------------- settlement timing
def test_settlement_timing_cumulative_shares() -> None:
    fig = settlement_timing({"buy_time": [0, 2, 2, -1], "fight_on": [-1, -1, -1, -1]}, periods=4)
    ax = fig.axes[0]
    assert legend_texts(fig) == ["Buy time (75% of runs sign)", "Fight on (0% of runs sign)"]
    steps = [p.get_data() for p in ax.patches]  # one step per period, over the whole period
    assert np.allclose(steps[0].values, [0.25, 0.25, 0.75, 0.75])
    assert np.allclose(steps[0].edges, [0, 1, 2, 3, 4])
    assert np.allclose(steps[1].values, 0.0)
    per_period = settlement_timing({"buy_time": [0, 2, 2, -1]}, cumulative=False)
    (step,) = per_period.axes[0].patches
    assert np.allclose(step.get_data().values, [0.25, 0.0, 0.5])
    assert (
        one_line(per_period.axes[0].get_ylabel())
        == "Runs with a deal signed in that period (share)"
    )
    few = settlement_timing({"buy_time": [1] + [-1] * 199})
    assert legend_texts(few) == ["Buy time (<1% of runs sign)"]  # not rounded to 0%


def test_settlement_timing_shows_deals_broken() -> None:
    fig = settlement_timing(
        {"buy_time": [1, 1, 1, 1], "genuine_compromise": [1, 1, 1, -1]},
        periods=6,
        break_periods={"buy_time": [3, 3, 4, -1], "genuine_compromise": [-1] * 4},
    )
    signed, in_force = fig.axes
    assert in_force.get_title(loc="left") == "Deal still in force"
    assert np.allclose(signed.patches[0].get_data().values, [0, 1, 1, 1, 1, 1])
    assert np.allclose(in_force.patches[0].get_data().values, [0, 1, 1, 0.5, 0.25, 0.25])
    assert np.allclose(in_force.patches[1].get_data().values, [0, 0.75, 0.75, 0.75, 0.75, 0.75])
    with pytest.raises(ValueError, match="broken before they were signed"):
        settlement_timing({"a": [2, -1]}, break_periods={"a": [1, -1]})
    with pytest.raises(ValueError, match="same strategies"):
        settlement_timing({"a": [2, -1]}, break_periods={"b": [3, -1]})


def test_settlement_timing_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="whole periods >= 0, or -1"):
        settlement_timing({"a": [0.5, 1]})
    with pytest.raises(ValueError, match="whole periods"):
        settlement_timing({"a": [-2, 1]})
    with pytest.raises(ValueError, match="is empty"):
        settlement_timing({"a": []})
    with pytest.raises(ValueError, match="above the latest settlement period 5"):
        settlement_timing({"a": [5, 1]}, periods=5)


# ---------------------------------------------------------------------- saving
@pytest.fixture(scope="module")
def sample_figure() -> Figure:
    x, y, codes = status_cohesion_grid()
    return regime_map(x, y, codes, ["settlement", "stalling", "war"], "a.b_c", "d")


def test_save_writes_png_and_svg(tmp_path: Path, sample_figure: Figure) -> None:
    written = save_figure(sample_figure, tmp_path / "sub" / "regimes")
    assert written == [tmp_path / "sub" / "regimes.png", tmp_path / "sub" / "regimes.svg"]
    png, svg = (p.read_bytes() for p in written)
    assert png.startswith(PNG_SIGNATURE) and len(png) > 1024
    # 10 x 5.625 inches at 200 dpi
    assert int.from_bytes(png[16:20], "big") == 2000 and int.from_bytes(png[20:24], "big") == 1125
    assert svg.startswith(b"<?xml") and b"<svg" in svg and len(svg) > 1024
    assert b"<dc:date>" not in svg and b"Software" not in png[:200]
    assert sorted(p.name for p in (tmp_path / "sub").iterdir()) == ["regimes.png", "regimes.svg"]


def test_saves_are_byte_identical(tmp_path: Path) -> None:
    def build() -> Figure:
        rng = np.random.default_rng(0)
        return paths(np.arange(8), {"buy_time": rng.uniform(size=(20, 8))}, "belief")

    fig = build()
    first = save_figure(fig, tmp_path / "a", ("png", "svg", "pdf"), dpi=60)
    second = save_figure(fig, tmp_path / "b", ("png", "svg", "pdf"), dpi=60)
    rebuilt = save_figure(build(), tmp_path / "c", ("png", "svg", "pdf"), dpi=60)
    for p1, p2, p3 in zip(first, second, rebuilt):
        assert p1.read_bytes() == p2.read_bytes() == p3.read_bytes(), p1.suffix
    assert first[2].read_bytes().startswith(b"%PDF")


def test_save_figure_options_and_errors(tmp_path: Path, sample_figure: Figure) -> None:
    # a suffix in the stem is dropped rather than doubled
    assert save_figure(sample_figure, tmp_path / "fig.png", ["pdf"], dpi=30) == [
        tmp_path / "fig.pdf"
    ]
    with pytest.raises(ValueError, match=r"unknown figure format 'jpg'; choose from"):
        save_figure(sample_figure, tmp_path / "x", ("jpg",))
    with pytest.raises(ValueError, match="formats is empty"):
        save_figure(sample_figure, tmp_path / "x", ())


def test_failed_save_keeps_the_old_file(tmp_path: Path, sample_figure: Figure, monkeypatch) -> None:
    target = tmp_path / "keep.png"
    target.write_bytes(b"old figure")

    def broken(*args, **kwargs):
        args[0].write(b"half")
        raise RuntimeError("disk full")

    monkeypatch.setattr(sample_figure, "savefig", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        save_figure(sample_figure, tmp_path / "keep", ("png",))
    assert target.read_bytes() == b"old figure"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.png"]


def test_make_figures_script_lists_every_figure() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_figures", PROJECT_ROOT / "docs" / "make_figures.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert set(module.FIGURES) == {
        "regime_map",
        "bargaining_range",
        "paths",
        "payoffs_by_strategy",
        "settlement_timing",
    }
    fig = module.FIGURES["bargaining_range"]()
    assert isinstance(fig, Figure) and "No settlement both sides accept" in legend_texts(fig)
