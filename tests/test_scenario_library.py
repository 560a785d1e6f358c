"""The scenario library in ``scenarios/``: every file is valid, documented, listed, and says true.

Three layers:

1. every ``scenarios/*.yaml`` loads with no problems, is heavily commented, says its numbers
   are illustrative, and is listed in ``scenarios/README.md``;
2. every file runs end to end through ``simulator.analysis.run_scenario`` in fast mode;
3. one test per row of ``scenarios/README.md`` checks every number and statement that the row
   and the file's comments make about the offer game, the regime maps and the bargaining range:
   the offer game on the file's own (fast) run, the sweeps on their full grids (the file's
   solve and sweep analyses run once more without fast mode; they take well under a second).
   "About x" in a text means within 0.01 of x unless a test says otherwise. The buy-time
   game's equilibrium (``compare`` with ``equilibrium`` true) is read by its row's test; the
   what-if rules (fixed strategies, ``equilibrium: false``) are only run, not read;
4. the fast runs are written out, as ``simulator run --fast`` does, and what is written is read
   back (valid ``results.json``, the figures asked for, a briefing, tables that fit 80 columns).
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from simulator.analysis import run_scenario
from simulator.analysis.points import game_changes
from simulator.model import rules
from simulator.model.buy_time_game import buy_time_equilibrium
from simulator.model.buy_time_play import play
from simulator.model.offer_game import solve_offer_game, solve_offer_game_batch, switch_points
from simulator.model.published.bargaining import bargaining_range_from_model
from simulator.scenario import Scenario, load_scenario, validate_scenario
from simulator.scenario.objects import SolveAnalysis, SweepAnalysis

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
FILES = sorted(SCENARIOS.glob("*.yaml"))
NAMES = [f.name for f in FILES]
#: Fewest comment lines a library file may have (the files teach by their comments).
MIN_COMMENT_LINES = 20
#: Russia's four types, in the game's order.
TYPES = ("sincere strong", "sincere weak", "staller strong", "staller weak")
GOVERNMENTS = ("US", "Poland", "Germany", "Hungary")

BASELINE_REGIME = "partially pooling: sincere settled or war, staller broken"
ALL_SETTLE = "pooling: sincere settled, staller settled"
ALL_WAR = "pooling: sincere war, staller war"
ONLY_STALLERS = "separating: sincere war, staller broken"


def scenario(name: str) -> Scenario:
    return load_scenario(SCENARIOS / name)


def about(value: float, target: float, tol: float = 0.01) -> bool:
    return abs(value - target) <= tol


def switches(s: Scenario, parameter: str, low: float, high: float, **kw: Any) -> list[float]:
    """Where the offer game's ``key`` (default the regime) changes along one parameter."""
    offer = kw.pop("offer", None)
    chosen = s.first_offer if offer is None else s.offers[offer]
    return switch_points(s.model, chosen, parameter, low, high, **kw)


def crossing(holds: Callable[[float], bool], low: float, high: float) -> float:
    """The point in ``[low, high]`` where ``holds`` turns from true to false (bisection)."""
    assert holds(low) and not holds(high)
    while high - low > 1e-6:
        mid = 0.5 * (low + high)
        low, high = (mid, high) if holds(mid) else (low, mid)
    return 0.5 * (low + high)


def plays(sol: Any) -> dict[str, str]:
    """Each type's sure message and outcome, as ``"talk -> settled"``."""
    outcomes = getattr(sol, "outcome_probabilities", None) or sol.outcomes
    out = {}
    for t in TYPES:
        sent = [m for m, p in sol.messages[t].items() if p == 1.0]
        ends = [o for o, p in outcomes[t].items() if p == 1.0]
        assert len(sent) == 1 and len(ends) == 1, (t, sol.messages[t])
        out[t] = f"{sent[0]} -> {ends[0]}"
    return out


def plays_at(out: dict, where: tuple) -> dict[str, str]:
    """:func:`plays` at one point of a batch result."""
    res = {}
    for t in TYPES:
        sent = [k.split(".")[-1] for k in out if k.startswith(f"message.{t}.")]
        sent = [m for m in sent if out[f"message.{t}.{m}"][where] == 1.0]
        ends = [o for o in ("settled", "broken", "war") if out[f"outcome.{t}.{o}"][where] == 1.0]
        assert len(sent) == 1 and len(ends) == 1, t
        res[t] = f"{sent[0]} -> {ends[0]}"
    return res


def probabilities(x: Any) -> tuple[float, float, float]:
    """(P(settled), P(broken), P(war now)), rounded to 3 decimals."""
    if isinstance(x, dict):
        keys = ("settlement_probability", "renewed_war_probability", "war_probability")
        return tuple(round(float(x[k]), 3) for k in keys)
    return tuple(
        round(float(v), 3)
        for v in (x.settlement_probability, x.renewed_war_probability, x.war_probability)
    )


def regime(s: Scenario, offer: str | None = None) -> str:
    return solve_offer_game(s.model, s.first_offer if offer is None else s.offers[offer]).regime


def eases(sol: Any, message: str) -> set[str]:
    return {g for g, p in sol.west_actions[message].items() if p == 1.0}


# ====================================================================== 1. files
def test_the_library_has_the_eight_files() -> None:
    expected = {
        "baseline_spring_2022.yaml",
        "buy_time_vs_compromise.yaml",
        "cohesive_vs_fractured_west.yaml",
        "sanctions_escalation.yaml",
        "status_premium_too_high.yaml",
        "security_guarantees_strong_vs_weak.yaml",
        "costly_withdrawal_signal.yaml",
        "leader_survival.yaml",
        "compromise_when_sanctions_bite.yaml",
        "buying_time_pays_the_strong_staller.yaml",
        "buying_time_pays_the_stallers.yaml",
        "status_premium_leaves_no_deal.yaml",
        "guarantees_make_a_staller_keep_its_deal.yaml",
        "guarantees_deter_breaking.yaml",
        "leader_at_risk_fights_on.yaml",
        "withdrawal_reveals_weakness.yaml",
    }
    assert expected <= set(NAMES)


@pytest.mark.parametrize("path", FILES, ids=NAMES)
def test_file_validates(path: Path) -> None:
    problems = validate_scenario(path)
    assert problems == [], "\n".join(map(str, problems))
    s = load_scenario(path)
    assert s.analyses, "a library file runs at least one analysis"


@pytest.mark.parametrize("path", FILES, ids=NAMES)
def test_file_is_commented_and_says_numbers_are_illustrative(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    comments = [line.strip() for line in lines if line.lstrip().startswith("#")]
    assert len(comments) >= MIN_COMMENT_LINES
    prose = " ".join(c.lstrip("#").strip() for c in comments)
    assert "ILLUSTRATIVE, NOT ESTIMATES" in prose
    assert "simulator run scenarios/" + path.name in prose
    # What-if rules are run but not read; the buy-time equilibrium is read (a row test checks).
    compares = [a for a in load_scenario(path).analyses if a.kind == "compare"]
    what_if = any(not a.equilibrium for a in compares)
    assert ("fixed strategies, not equilibria" in prose) == what_if
    assert ("reading is not described here" in prose) == what_if
    if any(a.equilibrium for a in compares):
        assert "Does buying time pay?" in prose
    if not compares:
        assert "This file runs no buy-time comparison." in prose


@pytest.mark.parametrize("path", FILES, ids=NAMES)
def test_file_is_listed_in_the_readme(path: Path) -> None:
    readme = (SCENARIOS / "README.md").read_text(encoding="utf-8")
    assert f"[`{path.name}`]({path.name})" in readme


def test_readme_lists_only_existing_files_and_links_existing_docs() -> None:
    readme = (SCENARIOS / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"\(([a-z0-9_]+\.yaml)\)", readme))
    assert listed == set(NAMES)
    for doc in re.findall(r"`(docs/[a-z_\-]+\.md)`", readme):
        assert (SCENARIOS.parent / doc).is_file(), doc
    assert "docs/offer_game.md" in readme
    for name in ("settled", "broken", "war", "posterior_weak", "partially pooling", "hybrid"):
        assert name in readme


@pytest.mark.parametrize("path", [f for f in FILES if f.name != "baseline_spring_2022.yaml"])
def test_files_extend_the_baseline(path: Path) -> None:
    assert "extends: baseline_spring_2022.yaml" in path.read_text(encoding="utf-8")


def test_files_have_distinct_titles() -> None:
    titles = [load_scenario(f).title for f in FILES]
    assert len(set(titles)) == len(titles)


# ====================================================================== 2. end to end
@pytest.fixture(scope="module")
def fast_runs() -> dict:
    """Each library file run once in fast mode: ``{name: (results, None)}`` (also written out,
    in section 3, so that each file is run once for both)."""
    import simulator.analysis as analysis

    return {
        path.name: (analysis.run_scenario(load_scenario(path), fast=True), None) for path in FILES
    }


@pytest.fixture(scope="module")
def full_runs() -> dict:
    """Each file's solve and sweep analyses run without fast mode (full grids): ``{name: ..}``."""
    from simulator.analysis import run_scenario

    out = {}
    for path in FILES:
        s = load_scenario(path)
        keep = tuple(a for a in s.analyses if isinstance(a, (SolveAnalysis, SweepAnalysis)))
        if not keep:  # (a file without analyses would run the default ones)
            continue
        out[path.name] = run_scenario(dataclasses.replace(s, analyses=keep, figures=()))
    return out


def solution(fast_runs: dict, name: str, offer: str | None = None) -> Any:
    """The offer game's solution for ``offer`` (default: the file's first) in the file's run."""
    results = fast_runs[name][0]
    s = load_scenario(SCENARIOS / name)
    sol = next(x for x in results.solutions if x.offer == (offer or next(iter(s.offers))))
    assert sol.certificate.certified
    return sol


def sweeps(full_runs: dict, name: str, show: str | None = None) -> list:
    """The file's sweeps in order (only those showing ``show``, if given), full grids."""
    found = [sw for sw in full_runs[name].sweeps if show is None or sw.show == show]
    for sw in found:
        assert sw.unsolved == 0
        assert sw.certificate is None or sw.certificate.certified
    return found


def on_grid(name: str, sweep: Any) -> dict[str, np.ndarray]:
    """Every key of the offer game's batch at the points of an offer-game sweep, grid-shaped."""
    s = scenario(name)
    grids = np.meshgrid(*[np.asarray(a.values) for a in sweep.axes], indexing="ij")
    varied = {a.parameter: g.ravel() for a, g in zip(sweep.axes, grids)}
    changes, ignored = game_changes(s, sweep.offer, varied)
    assert ignored == []
    out = solve_offer_game_batch(s.model, s.offers[sweep.offer], changes)
    shaped = {k: np.asarray(v).reshape(grids[0].shape) for k, v in out.items()}
    assert (shaped["regime"] == sweep.columns["regime"]).all()
    return shaped


def axis(sweep: Any, k: int = 0) -> np.ndarray:
    return np.asarray(sweep.axes[k].values, dtype=float)


# ====================================================================== 3. the README's rows
def test_baseline(fast_runs: dict, full_runs: dict) -> None:
    name = "baseline_spring_2022.yaml"
    s = scenario(name)
    assert s.model.russia.dominance_threshold == 0.15  # the default, below neutrality
    assert (s.model.russia.prior_sincere, s.model.russia.prior_strong) == (0.25, 0.5)
    # ---- the offer game
    sol = solution(fast_runs, name)
    assert sol.regime == BASELINE_REGIME
    assert plays(sol) == {
        "sincere strong": "fight -> war",
        "sincere weak": "talk -> settled",
        "staller strong": "talk -> broken",
        "staller weak": "talk -> broken",
    }
    assert probabilities(sol) == (0.125, 0.75, 0.125)
    assert round(sol.posterior["talk"], 3) == 0.143 < 0.25
    assert round(sol.posterior_weak["talk"], 3) == 0.571 > 0.5
    assert (sol.posterior["fight"], sol.posterior_weak["fight"]) == (1.0, 0.0)
    assert eases(sol, "fight") == set()
    assert eases(sol, "talk") == {"Germany", "Hungary"}
    assert sol.acceptance["talk"] == 1.0
    # ---- the comments' inputs and their consequences
    row = solve_offer_game(s.model, s.first_offer).row
    assert round(row["win_probability.sincere strong"], 3) == 0.318
    assert round(row["win_probability.sincere weak"], 3) == 0.246
    assert rules.status_retained(0.3, 0.15, 0.3) == pytest.approx(0.5)
    assert rules.status_retained(0.45, 0.15, 0.3) == 0.0
    assert rules.ukraine_share(0.6, 0.2, 0.5) == pytest.approx(0.7)
    assert rules.guarantee_strength(0.7, 0.75) == pytest.approx(0.525)
    leader = s.model.russia.leader
    assert leader.office_value + leader.punishment == 1.0
    firm_germany = s.with_params({"west.governments.Germany.audience_cost": 0.4})
    assert regime(firm_germany) == ALL_WAR
    # ---- the regime map: status premium x cohesion
    game, bargaining = sweeps(full_runs, name)
    status, cohesion = axis(game, 0), axis(game, 1)
    at_full = game.columns["regime"][:, cohesion == 1.0][:, 0]
    assert set(at_full[(status >= 0.35) & (status <= 0.8)]) == {BASELINE_REGIME}
    assert set(at_full[status > 0.8]) == {ONLY_STALLERS}
    assert set(at_full[status < 0.08]) == {ALL_SETTLE}
    cuts = switches(s, "russia.great_power_status", 0.0, 1.5)
    assert about(cuts[0], 0.08) and about(cuts[-2], 0.32) and about(cuts[-1], 0.8)
    along = solve_offer_game_batch(
        s.model, s.first_offer, {"russia.great_power_status": [0.05, 0.5, 0.9]}
    )["regime"]
    assert along.tolist() == [ALL_SETTLE, BASELINE_REGIME, ONLY_STALLERS]
    (cut,) = switches(s, "west.western_cohesion", 0.0, 1.0)
    assert about(cut, 0.34)
    column = game.columns["regime"][status == 0.4][0]
    assert set(column[cohesion < cut]) == {ONLY_STALLERS}
    assert set(column[cohesion > cut]) == {BASELINE_REGIME}
    # ---- the bargaining range along the premium
    premium = axis(bargaining)
    at = int(np.flatnonzero(np.isclose(premium, 0.4))[0])
    low, high = bargaining.columns["low"][at], bargaining.columns["high"][at]
    assert (round(low, 3), round(high, 3)) == (0.468, 0.654) and low <= 0.6 <= high

    def at_premium(v: float) -> Any:
        return bargaining_range_from_model(s.model.with_params(russia__great_power_status=v))

    assert about(crossing(lambda v: at_premium(v).contains(0.6), 0.0, 1.5), 0.53)
    closes = crossing(lambda v: at_premium(v).nonempty, 0.0, 1.5)
    assert about(closes, 0.85)
    nonempty = np.asarray(bargaining.columns["nonempty"], dtype=bool)
    assert nonempty[premium < closes].all() and not nonempty[premium > closes].any()


def test_buy_time_vs_compromise(full_runs: dict) -> None:
    name = "buy_time_vs_compromise.yaml"
    s = scenario(name)
    assert s.model.russia.regroup_rate_staller == 0.45
    at = solve_offer_game(s.model, s.first_offer)
    assert at.regime == BASELINE_REGIME and probabilities(at) == (0.125, 0.75, 0.125)
    (sweep,) = sweeps(full_runs, name)
    rate = axis(sweep)
    out = on_grid(name, sweep)
    cuts = switches(s, "russia.regroup_rate_staller", 0.05, 1.0)
    assert len(cuts) == 3
    assert about(cuts[0], 0.055, 0.001) and about(cuts[1], 0.36) and about(cuts[2], 0.60)
    # No edge at 0.05: stallers act like sincere types of their strength.
    assert rate[0] == 0.05 and sweep.columns["regime"][0] == (
        "partially pooling: sincere settled or war, staller settled or war"
    )
    assert plays_at(out, (0,)) == {
        "sincere strong": "fight -> war",
        "sincere weak": "talk -> settled",
        "staller strong": "fight -> war",
        "staller weak": "talk -> settled",
    }
    for i in np.flatnonzero((rate > cuts[0]) & (rate < cuts[1])):
        assert plays_at(out, (i,))["staller strong"] == "talk -> broken"
        assert plays_at(out, (i,))["staller weak"] == "talk -> settled"
        assert round(out["renewed_war_probability"][i], 3) == 0.375
    for i in np.flatnonzero((rate > cuts[1]) & (rate < cuts[2])):
        assert sweep.columns["regime"][i] == BASELINE_REGIME
        assert round(out["renewed_war_probability"][i], 3) == 0.75
    fast = rate > cuts[2]
    assert fast.any() and set(sweep.columns["regime"][fast]) == {ALL_WAR}
    for t in TYPES:
        assert (out[f"message.{t}.fight"][fast] == 1.0).all()
    # Off the path the offer would be read as a staller's, met by a holding West and rejected.
    assert (out["posterior.talk"][fast] == 0.0).all()
    assert (out["acceptance.talk"][fast] == 0.0).all()
    for g in GOVERNMENTS:
        assert (out[f"ease.talk.{g}"][fast] == 0.0).all()


def test_cohesive_vs_fractured_west(fast_runs: dict, full_runs: dict) -> None:
    name = "cohesive_vs_fractured_west.yaml"
    s = scenario(name)
    assert s.model.west.aggregation == "weakest_link"
    hungary = next(g for g in s.model.west.governments if g.name == "Hungary")
    assert hungary.sanctions_burden == hungary.audience_cost == 0.2
    wedge = s.offers["neutrality_with_wedge"]
    assert wedge.inducement_map == {"Hungary": 0.05}
    assert dataclasses.replace(wedge, inducements=(), name=s.first_offer.name) == s.first_offer
    # ---- without the inducement: every type fights under full sanctions
    plain = solution(fast_runs, name)
    assert plain.regime == ALL_WAR and probabilities(plain) == (0.0, 0.0, 1.0)
    assert set(plays(plain).values()) == {"fight -> war"}
    assert plain.pressure["fight"] == pytest.approx(1.0)
    assert eases(plain, "talk") == set() and plain.acceptance["talk"] == 0.0
    assert round(plain.payoffs["Russia"]["expected"], 3) == -0.136
    # ---- with it: every type offers, Hungary alone eases, unanimity is gone, Ukraine rejects
    split = solution(fast_runs, name, "neutrality_with_wedge")
    assert split.regime == ALL_WAR and probabilities(split) == (0.0, 0.0, 1.0)
    assert set(plays(split).values()) == {"talk -> war"}
    assert eases(split, "talk") == {"Hungary"}
    assert split.pressure["talk"] == 0.0 and split.acceptance["talk"] == 0.0
    assert round(split.payoffs["Russia"]["expected"], 3) == -0.028
    low, high = switches(
        s,
        "offer.inducement.Hungary",
        0.0,
        0.3,
        offer="neutrality_with_wedge",
        key="message.sincere strong.talk",
    )
    assert about(low, 0.001, 0.0005) and about(high, 0.157, 0.001)
    dear = wedge.with_values(inducements={"Hungary": 0.2})  # the comment's "try 0.2"
    assert set(solve_offer_game(s.model, dear).selected.sends.values()) == {"fight"}
    cohesive = s.with_params({"west.aggregation": "sum"})
    r = solve_offer_game(cohesive.model, cohesive.offers["neutrality_with_wedge"])
    assert set(r.selected.sends.values()) == {"fight"}
    assert round(r.row["pressure.talk"], 2) == 0.93 and r.row["ease.talk.Hungary"] == 1.0
    # ---- the regime map over Germany's burden (x) and audience cost (y)
    (sweep,) = sweeps(full_runs, name)
    out = on_grid(name, sweep)
    burden, audience = np.meshgrid(axis(sweep, 0), axis(sweep, 1), indexing="ij")
    signed = sweep.columns["regime"] == BASELINE_REGIME
    assert set(sweep.columns["regime"].ravel()) == {BASELINE_REGIME, ALL_WAR}
    # The band: Germany's burden a little below or equal to its audience cost.
    assert (burden[signed] <= audience[signed] + 1e-9).all()
    assert (burden[signed] >= 0.8 * audience[signed] - 1e-9).all()
    assert all(signed[:, j].any() for j in range(1, audience.shape[1]))
    assert (out["ease.fight.Germany"][signed] == 0.0).all()  # holds while Russia fights
    assert (out["ease.talk.Germany"][signed] == 1.0).all()  # eases after the offer
    assert (out["acceptance.talk"][signed] == 1.0).all()
    war = ~signed
    above = war & (burden < audience)  # Germany firmer than on the band
    below = war & (burden > audience)
    assert above.any() and below.any()
    assert (out["ease.talk.Germany"][above] == 0.0).all()
    assert (out["acceptance.talk"][above] == 0.0).all()
    assert (out["ease.fight.Germany"][below] == 1.0).all()
    assert (out["pressure.fight"][below] == 0.0).all()
    for t in TYPES:
        assert (out[f"message.{t}.fight"][war & (burden != audience)] == 1.0).all()
    # Under 'sum' the deal is signed below the band as well.
    cohesive_map = solve_offer_game_batch(
        cohesive.model,
        cohesive.first_offer,
        {
            "west.governments.Germany.sanctions_burden": burden,
            "west.governments.Germany.audience_cost": audience,
        },
    )["regime"]
    assert (cohesive_map[signed | below] == BASELINE_REGIME).all()


def test_sanctions_escalation(fast_runs: dict, full_runs: dict) -> None:
    name = "sanctions_escalation.yaml"
    s = scenario(name)
    assert s.model.russia.great_power_status == 1.0 and s.model.russia.sanctions_cost == 0.15
    sol = solution(fast_runs, name)
    assert sol.regime == ONLY_STALLERS and probabilities(sol) == (0.0, 0.75, 0.25)
    assert sol.posterior["talk"] == 0.0
    assert plays(sol)["sincere strong"] == plays(sol)["sincere weak"] == "fight -> war"
    game, bargaining, relief_map = sweeps(full_runs, name)
    # ---- escalation along sanctions_cost
    cuts = switches(s, "russia.sanctions_cost", 0.0, 1.0)
    assert about(cuts[0], 0.2) and about(cuts[-1], 0.49)
    assert all(about(c, 0.37) for c in cuts[1:-1]) and len(cuts) in (3, 4)
    cost = axis(game)
    regimes = game.columns["regime"]
    out = on_grid(name, game)
    assert set(regimes[cost < cuts[0]]) == {ONLY_STALLERS}
    middle = (cost > cuts[0]) & (cost < cuts[1])
    assert set(regimes[middle]) == {BASELINE_REGIME}
    for i in np.flatnonzero(middle):
        assert plays_at(out, (i,))["sincere weak"] == "talk -> settled"
        assert probabilities({k: v[i] for k, v in out.items()})[0] == 0.125
    upper = (cost > cuts[-2]) & (cost < cuts[-1])
    assert set(regimes[upper]) == {"pooling: sincere settled, staller settled or broken"}
    for i in np.flatnonzero(upper):
        assert plays_at(out, (i,)) == {
            "sincere strong": "talk -> settled",
            "sincere weak": "talk -> settled",
            "staller strong": "talk -> broken",
            "staller weak": "talk -> settled",
        }
        assert probabilities({k: v[i] for k, v in out.items()}) == (0.625, 0.375, 0.0)
    assert set(regimes[cost > cuts[-1]]) == {ALL_SETTLE}
    # ---- the bargaining range along sanctions_cost
    costs = axis(bargaining)
    nonempty = np.asarray(bargaining.columns["nonempty"], dtype=bool)
    assert not nonempty[np.isclose(costs, 0.15)].any()

    def at_cost(v: float) -> Any:
        return bargaining_range_from_model(s.model.with_params(russia__sanctions_cost=v))

    opens = crossing(lambda v: not at_cost(v).nonempty, 0.0, 1.0)
    assert about(opens, 0.21)
    assert about(crossing(lambda v: not at_cost(v).contains(0.6), 0.0, 1.0), 0.34)
    width = (bargaining.columns["high"] - bargaining.columns["low"])[nonempty]
    assert (np.diff(width) >= -1e-12).all() and width[-1] > width[0]
    # ---- escalation against relief
    relief, cost2 = axis(relief_map, 0), axis(relief_map, 1)
    settle = relief_map.columns["settlement_probability"]
    first = [cost2[np.argmax(settle[i] > 0)] for i in range(len(relief))]
    assert all(a >= b for a, b in zip(first, first[1:]))  # less relief, more escalation
    for value, target in ((1.0, 0.2), (0.5, 0.3)):
        s_r = s.with_params({"offers.neutrality_for_guarantees.sanctions_relief": value})
        assert about(switches(s_r, "russia.sanctions_cost", 0.0, 1.0)[0], target)
    none = s.with_params({"offers.neutrality_for_guarantees.sanctions_relief": 0.0})
    assert [round(c, 2) for c in switches(none, "russia.sanctions_cost", 0.0, 1.0)] == [0.49]
    assert set(relief_map.columns["regime"][:, cost2 > 0.49].ravel()) == {ALL_SETTLE}
    assert (relief_map.columns["regime"][:, cost2 < 0.48] != ALL_SETTLE).all()
    eased = on_grid(name, relief_map)
    for g in GOVERNMENTS:
        assert (eased[f"ease.talk.{g}"][:, cost2 > 0.49] == 1.0).all()


def test_status_premium_too_high(fast_runs: dict, full_runs: dict) -> None:
    name = "status_premium_too_high.yaml"
    s = scenario(name)
    assert s.model.russia.great_power_status == 1.5
    eu = solution(fast_runs, name)
    assert eu.regime == ONLY_STALLERS and probabilities(eu) == (0.0, 0.75, 0.25)
    assert plays(eu)["sincere strong"] == plays(eu)["sincere weak"] == "fight -> war"
    assert plays(eu)["staller strong"] == plays(eu)["staller weak"] == "talk -> broken"
    neutral = solution(fast_runs, name, "neutrality_outside_eu")
    assert neutral.regime == ALL_SETTLE and probabilities(neutral) == (1.0, 0.0, 0.0)
    assert s.offers["neutrality_outside_eu"].alignment == 0.3
    assert s.offers["neutrality_outside_eu"].territory == 0.0
    assert rules.status_retained(0.3, s.model.russia.dominance_threshold, 0.3) == 0.5
    try_07 = s.with_params({"russia.great_power_status": 0.7})
    chosen = solve_offer_game(try_07.model, try_07.first_offer).selected
    weak_sincere = plays(chosen)["sincere weak"]
    assert weak_sincere == "talk -> settled"
    # ---- the bargaining range along the premium: it closes at about 0.85
    bargaining, game = sweeps(full_runs, name)
    premium = axis(bargaining)

    def at_premium(v: float) -> Any:
        return bargaining_range_from_model(s.model.with_params(russia__great_power_status=v))

    closes = crossing(lambda v: at_premium(v).nonempty, 0.0, 3.0)
    assert about(closes, 0.85)
    nonempty = np.asarray(bargaining.columns["nonempty"], dtype=bool)
    assert not nonempty[premium > closes].any() and nonempty[premium < closes].all()
    # ---- the regime map: premium (x) and the neutrality offer's alignment (y)
    out = on_grid(name, game)
    status, alignment = axis(game, 0), axis(game, 1)
    regimes = game.columns["regime"]
    low = alignment <= 0.15 + 1e-9
    assert set(regimes[:, low].ravel()) == {ALL_WAR}
    assert (out["acceptance.talk"][:, low] == 0.0).all()
    kept = (alignment >= 0.2 - 1e-9) & (alignment <= 0.35 + 1e-9)
    assert set(regimes[:, kept].ravel()) == {ALL_SETTLE}
    settle = game.columns["settlement_probability"]
    high = alignment >= 0.45 - 1e-9
    assert set(regimes[status >= 0.8][:, high].ravel()) == {ONLY_STALLERS}
    assert (settle[status < 0.8][:, np.isclose(alignment, 0.45)] > 0).all()
    blocked = [status[np.argmax(settle[:, j] == 0)] for j in np.flatnonzero(high)]
    assert all(a >= b for a, b in zip(blocked, blocked[1:]))
    assert (settle[:, alignment >= 0.8 - 1e-9] == 0).all()


def test_security_guarantees_strong_vs_weak(fast_runs: dict, full_runs: dict) -> None:
    name = "security_guarantees_strong_vs_weak.yaml"
    s = scenario(name)
    credibility = s.model.west.security_guarantee_credibility
    assert credibility == 0.75
    strengths = {o: s.offers[o].security_guarantees for o in s.offers}
    assert strengths == {
        "neutrality_for_guarantees": 0.7,
        "weak_guarantees": 0.3,
        "strong_guarantees": 0.95,
    }
    assert [round(g * credibility, 4) for g in (0.3, 0.7, 0.95)] == [0.225, 0.525, 0.7125]
    for o in ("weak_guarantees", "strong_guarantees"):  # the same offer, but for G
        same = dataclasses.replace(s.offers[o], name="x", security_guarantees=0.7)
        assert same == dataclasses.replace(s.first_offer, name="x")
    weak = solution(fast_runs, name, "weak_guarantees")
    assert weak.regime == ALL_WAR and probabilities(weak) == (0.0, 0.0, 1.0)
    assert set(plays(weak).values()) == {"fight -> war"} and weak.acceptance["talk"] == 0.0
    middle = solution(fast_runs, name)
    assert middle.regime == BASELINE_REGIME and probabilities(middle)[1] == 0.75
    strong = solution(fast_runs, name, "strong_guarantees")
    assert strong.regime == "partially pooling: sincere settled or war, staller settled or broken"
    assert plays(strong)["staller weak"] == "talk -> settled"
    assert plays(strong)["staller strong"] == "talk -> broken"
    assert probabilities(strong)[:2] == (0.5, 0.375)
    # ---- the regime map: only the product g = G x c counts
    (sweep,) = sweeps(full_runs, name)
    strength, cred = np.meshgrid(axis(sweep, 0), axis(sweep, 1), indexing="ij")
    g = np.round(strength * cred, 9)
    regimes = sweep.columns["regime"]
    for value in np.unique(g):
        assert len(set(regimes[g == value])) == 1, value
    full = s.with_params({"west.security_guarantee_credibility": 1.0})
    cuts = switches(full, "offer.security_guarantees", 0.0, 1.0)
    assert len(cuts) == 3 and about(cuts[0], 0.45) and about(cuts[1], 0.62)
    assert about(cuts[2], 0.99)
    assert set(regimes[g < cuts[0]]) == {ALL_WAR}
    assert set(regimes[(g > cuts[0]) & (g < cuts[1])]) == {BASELINE_REGIME}
    assert set(regimes[(g > cuts[1]) & (g < cuts[2])]) == {strong.regime}
    assert set(regimes[cred < cuts[0]]) == {ALL_WAR}  # strength without credibility
    assert (g > cuts[2]).sum() == 1 and g[-1, -1] == 1.0
    top = on_grid(name, sweep)
    assert plays_at(top, (-1, -1))["staller strong"] == "fight -> war"
    assert plays_at(top, (-1, -1))["staller weak"] == "talk -> settled"


def test_costly_withdrawal_signal(fast_runs: dict, full_runs: dict) -> None:
    name = "costly_withdrawal_signal.yaml"
    s = scenario(name)
    assert s.first_offer.sanctions_relief == s.offers["verified_withdrawal"].sanctions_relief == 0.0
    same = dataclasses.replace(s.offers["verified_withdrawal"], name="x", withdrawal_cost=0.0)
    assert same == dataclasses.replace(s.first_offer, name="x")
    words = solution(fast_runs, name)
    assert words.regime == ONLY_STALLERS and probabilities(words) == (0.0, 0.75, 0.25)
    assert words.posterior["talk"] == 0.0
    signal = solution(fast_runs, name, "verified_withdrawal")
    assert signal.regime == "separating: sincere settled or war, staller broken"
    assert plays(signal) == {
        "sincere strong": "fight -> war",
        "sincere weak": "withdraw -> settled",
        "staller strong": "talk -> broken",
        "staller weak": "talk -> broken",
    }
    assert (signal.posterior["withdraw"], signal.posterior_weak["withdraw"]) == (1.0, 1.0)
    assert (signal.posterior["fight"], signal.posterior_weak["fight"]) == (1.0, 0.0)
    assert signal.posterior["talk"] == 0.0
    assert eases(signal, "withdraw") == set(GOVERNMENTS) and signal.acceptance["withdraw"] == 1.0
    assert probabilities(signal) == (0.125, 0.75, 0.125)
    # ---- along the withdrawal's cost
    along, both = sweeps(full_runs, name)
    cost = axis(along)
    out = on_grid(name, along)
    # The first change is at 0 itself: without a cost there is no withdrawal to send.
    zero, cut = switches(
        s,
        "offer.withdrawal_cost",
        0.0,
        0.3,
        offer="verified_withdrawal",
        key="message.sincere weak.withdraw",
    )
    assert zero < 1e-5
    assert about(cut, 0.099, 0.001)
    sends = (cost > 0) & (cost < cut)
    assert (out["message.sincere weak.withdraw"][sends] == 1.0).all()
    assert set(along.columns["regime"][sends]) == {signal.regime}
    assert set(along.columns["regime"][~sends]) == {ONLY_STALLERS}
    for t in TYPES:
        assert (out[f"message.{t}.withdraw"][~sends] == 0.0).all()
    for t in ("staller strong", "staller weak"):
        assert (out[f"message.{t}.withdraw"] == 0.0).all()
    # ---- cost (x) against sanctions (y)
    grid = on_grid(name, both)
    k, sanctions = axis(both, 0), axis(both, 1)
    withdraws = {t: grid[f"message.{t}.withdraw"] == 1.0 for t in TYPES}
    anyone = np.any(list(withdraws.values()), axis=0)
    assert not anyone[:, sanctions <= 0.06 + 1e-9].any()

    def row(value: float) -> int:
        return int(np.flatnonzero(np.isclose(sanctions, value))[0])

    assert np.allclose(k[withdraws["sincere weak"][:, row(0.08)]], [0.01, 0.02])
    assert np.allclose(k[withdraws["sincere weak"][:, row(0.14)]], np.arange(1, 9) / 100)
    copied = withdraws["staller weak"]
    assert sanctions[np.argmax(copied.any(axis=0))] == pytest.approx(0.18)
    strong = withdraws["sincere strong"]
    assert sanctions[np.argmax(strong.any(axis=0))] == pytest.approx(0.2)
    assert not withdraws["staller strong"].any()
    pair = copied & withdraws["sincere weak"] & ~strong
    trio = copied & strong
    assert pair.any() and trio.any()
    assert (np.round(grid["posterior.withdraw"][pair], 3) == 0.25).all()
    assert (grid["posterior_weak.withdraw"][pair] == 1.0).all()
    assert (np.round(grid["posterior.withdraw"][trio], 3) == 0.4).all()
    assert (np.round(grid["posterior_weak.withdraw"][trio], 3) == 0.8).all()
    for cell in zip(*np.nonzero(trio)):
        assert plays_at(grid, cell)["staller strong"] == "talk -> broken"
    for cell in zip(*np.nonzero(copied)):  # a staller that withdraws keeps its deal
        assert plays_at(grid, cell)["staller weak"] == "withdraw -> settled"
    cuts = switches(s, "russia.sanctions_cost", 0.0, 0.5, offer="verified_withdrawal")
    assert about(cuts[-1], 0.27)
    hard = sanctions > cuts[-1]
    assert set(both.columns["regime"][:, hard].ravel()) == {ALL_SETTLE}
    assert (grid["message.sincere strong.talk"][:, hard] == 1.0).all()
    assert not anyone[:, hard].any()
    for g in GOVERNMENTS:
        assert (grid[f"ease.talk.{g}"][:, hard] == 1.0).all()
    # ---- try full relief on both offers
    relieved = s.with_params(
        {
            "offers.neutrality_for_guarantees.sanctions_relief": 1.0,
            "offers.verified_withdrawal.sanctions_relief": 1.0,
        }
    )
    r = solve_offer_game(relieved.model, relieved.offers["verified_withdrawal"]).selected
    assert plays(r)["sincere weak"] == "talk -> settled"
    assert all(m != "withdraw" for m in r.sends.values())


def test_leader_survival(fast_runs: dict, full_runs: dict) -> None:
    name = "leader_survival.yaml"
    s = scenario(name)
    leader = s.model.russia.leader
    assert s.model.russia.war_cost == 0.3
    assert leader.office_value + leader.punishment == 3.0
    assert leader.removal_if_settle == leader.removal_if_lose == 0.6
    assert leader.removal_if_win == 0.05
    assert "great_power_status" not in s.formulas and not s.formulas  # no folding formula
    assert s.model.russia.great_power_status == 0.4
    assert rules.status_retained(s.first_offer.alignment, 0.15, 0.3) == 0.0  # concedes it all
    sol = solution(fast_runs, name)
    assert sol.regime == ONLY_STALLERS and probabilities(sol) == (0.0, 0.75, 0.25)
    assert plays(sol) == {
        "sincere strong": "fight -> war",
        "sincere weak": "fight -> war",
        "staller strong": "talk -> broken",
        "staller weak": "talk -> broken",
    }
    state = s.with_params({"russia.leader.office_value": 0.0, "russia.leader.punishment": 0.0})
    alone = solve_offer_game(state.model, state.first_offer)
    assert alone.regime == ALL_SETTLE and probabilities(alone) == (1.0, 0.0, 0.0)
    # ---- along removal_if_settle
    along, against_cost = sweeps(full_runs, name)
    cuts = switches(s, "russia.leader.removal_if_settle", 0.0, 1.0)
    assert about(cuts[0], 0.41) and about(cuts[-1], 0.53)
    assert all(about(c, 0.46) for c in cuts[1:-1]) and len(cuts) in (3, 4)
    removal = axis(along)
    out = on_grid(name, along)
    expected = {
        0.4: ("talk -> settled", "talk -> settled", "talk -> settled", "talk -> settled"),
        0.425: ("talk -> settled", "talk -> settled", "talk -> broken", "talk -> settled"),
        0.475: ("fight -> war", "talk -> settled", "talk -> broken", "talk -> broken"),
        0.55: ("fight -> war", "fight -> war", "talk -> broken", "talk -> broken"),
    }
    for value, types in expected.items():
        i = int(np.flatnonzero(np.isclose(removal, value))[0])
        assert plays_at(out, (i,)) == dict(zip(TYPES, types)), value
    assert set(along.columns["regime"][removal < cuts[0]]) == {ALL_SETTLE}
    assert set(along.columns["regime"][removal > cuts[-1]]) == {ONLY_STALLERS}
    # ---- against the cost of war
    removal2, cost = axis(against_cost, 0), axis(against_cost, 1)
    settle = against_cost.columns["settlement_probability"]
    assert (settle[removal2 <= 0.3 + 1e-9] == 1.0).all()
    regimes = against_cost.columns["regime"]
    assert set(regimes[removal2 >= 0.6 - 1e-9].ravel()) == {ONLY_STALLERS}
    first = [removal2[np.argmax(settle[:, j] < 1)] for j in range(len(cost))]
    assert (cost[0], first[0]) == (0.0, pytest.approx(0.35))
    assert (cost[-1], first[-1]) == (0.5, pytest.approx(0.5))


def test_compromise_when_sanctions_bite(fast_runs: dict) -> None:
    # The buy-time equilibrium, read from the file's own (fast) run and from a full run.
    path = SCENARIOS / "compromise_when_sanctions_bite.yaml"
    for results in (fast_runs[path.name][0], run_scenario(load_scenario(path))):
        eq = results.comparisons[0].equilibrium
        assert eq.certificate.certified
        assert eq.verdict().startswith("Buying time does not pay")
        assert not any(eq.buy_time_pays.values())
        for plan, values in eq.values.items():
            assert values == pytest.approx(dict.fromkeys(values, -0.1), abs=1e-9), plan
        for numbers in eq.outcomes().values():
            assert (numbers["settled"], numbers["broken"], numbers["war"]) == (1, 0, 0)


def _buy_time_equilibria(fast_runs: dict, name: str) -> Iterator[tuple[bool, Any]]:
    """The file's buy-time equilibrium in fast mode and in full, each certified: (fast, eq)."""
    for results in (fast_runs[name][0], run_scenario(load_scenario(SCENARIOS / name))):
        eq = results.comparisons[0].equilibrium
        assert eq.certificate.certified
        yield results.fast, eq


_TYPES = ("sincere strong", "sincere weak", "staller strong", "staller weak")


def _assert_outcomes(out: dict, *outcomes: str) -> None:
    """Each type's one outcome for sure (``settled``, ``broken`` or ``war``, in ``_TYPES``
    order); a deal is signed in the first period."""
    for t, outcome in zip(_TYPES, outcomes, strict=True):
        assert {k: out[t][k] for k in ("settled", "broken", "war")} == {
            k: float(k == outcome) for k in ("settled", "broken", "war")
        }
        if outcome != "war":
            assert out[t]["settlement_period"] == 0  # signed in the first period


def _played_with(name: str, changes: dict[str, float]) -> dict:
    """Outcomes by type of the file's certified equilibrium (12 periods) with ``changes``."""
    sc = load_scenario(SCENARIOS / name)
    eq = buy_time_equilibrium(
        sc.model.with_params(changes), sc.first_offer, replace(sc.buy_time, periods=12)
    )
    assert eq.certified
    return play(eq, runs=500, seed=1).by_type()


def test_buying_time_pays_the_strong_staller(fast_runs: dict) -> None:
    for fast, eq in _buy_time_equilibria(fast_runs, "buying_time_pays_the_strong_staller.yaml"):
        assert eq.buy_time_pays == dict(zip(_TYPES, (False, False, True, False)))
        assert eq.verdict().startswith("Buying time pays a staller strong Russia (+0.0232)")
        assert eq.verdict().endswith("a sincere strong, a sincere weak or a staller weak Russia.")
        assert eq.values["buy_time"]["staller strong"] == pytest.approx(0.0429, abs=5e-5)
        assert eq.values["compromise"]["staller strong"] == pytest.approx(0.0197, abs=5e-5)
        out = eq.outcomes()
        _assert_outcomes(out, "war", "settled", "broken", "settled")
        if not fast:  # 2,000 runs: "about 42%"
            assert out["sincere strong"]["russia_wins"] == pytest.approx(0.42, abs=0.01)


def test_buying_time_pays_the_stallers(fast_runs: dict) -> None:
    for fast, eq in _buy_time_equilibria(fast_runs, "buying_time_pays_the_stallers.yaml"):
        assert eq.buy_time_pays == dict(zip(_TYPES, (False, False, True, True)))
        assert eq.verdict().startswith(
            "Buying time pays a staller strong Russia (+0.0255), a staller weak Russia (+0.061)"
        )
        for plan, strong, weak in (("buy_time", 0.1303, -0.039), ("compromise", 0.1048, -0.1)):
            assert eq.values[plan]["staller strong"] == pytest.approx(strong, abs=5e-5)
            assert eq.values[plan]["staller weak"] == pytest.approx(weak, abs=5e-4)
        out = eq.outcomes()
        _assert_outcomes(out, "war", "settled", "broken", "broken")
        if not fast:  # 2,000 runs: "about 42%"
            assert out["sincere strong"]["russia_wins"] == pytest.approx(0.42, abs=0.01)


def test_status_premium_leaves_no_deal(fast_runs: dict) -> None:
    name = "status_premium_leaves_no_deal.yaml"
    for fast, eq in _buy_time_equilibria(fast_runs, name):
        assert eq.verdict() == (
            "Buying time pays a staller strong Russia (+0.0109), a staller weak Russia (+0.172): "
            "its best plan that may break a deal beats genuine compromise; it does not pay a "
            "sincere strong or a sincere weak Russia."
        )
        for plan, strong, weak in (("buy_time", 0.4854, 0.1992), ("compromise", 0.4745, 0.0274)):
            assert eq.values[plan]["staller strong"] == pytest.approx(strong, abs=5e-5)
            assert eq.values[plan]["staller weak"] == pytest.approx(weak, abs=5e-5)
        out = eq.outcomes()
        _assert_outcomes(out, "war", "war", "broken", "broken")
        if not fast:  # 2,000 runs: "about 43%" and "24%"
            assert out["sincere strong"]["russia_wins"] == pytest.approx(0.43, abs=0.01)
            assert out["sincere weak"]["russia_wins"] == pytest.approx(0.24, abs=0.01)
    # "With the baseline's premium (0.4) the weak types keep the deal."
    by_type = _played_with(name, {"russia.great_power_status": 0.4})
    assert by_type["sincere weak"]["settled"] == 1 and by_type["staller weak"]["settled"] == 1


def test_guarantees_deter_breaking(fast_runs: dict) -> None:
    path = SCENARIOS / "guarantees_deter_breaking.yaml"
    for results in (fast_runs[path.name][0], run_scenario(load_scenario(path))):
        eq = results.comparisons[0].equilibrium
        assert eq.certificate.certified
        assert eq.verdict().startswith("Buying time does not pay")
        assert eq.values["buy_time"]["staller strong"] == pytest.approx(0.0197, abs=5e-5)
        out = eq.outcomes()
        assert all(numbers["broken"] == 0 for numbers in out.values())
        for t in ("sincere strong", "staller strong"):
            assert out[t]["war"] == 1
        for t in ("sincere weak", "staller weak"):
            assert out[t]["settled"] == 1
        if not results.fast:
            assert out["staller strong"]["russia_wins"] == pytest.approx(0.41, abs=0.01)


def test_guarantees_make_a_staller_keep_its_deal(fast_runs: dict) -> None:
    name = "guarantees_make_a_staller_keep_its_deal.yaml"
    for fast, eq in _buy_time_equilibria(fast_runs, name):
        assert eq.verdict().startswith("Buying time does not pay")
        for plan in ("equilibrium", "compromise", "buy_time"):
            for t, value in (("strong", 0.1048), ("weak", -0.1)):
                for kind in ("sincere", "staller"):
                    assert eq.values[plan][f"{kind} {t}"] == pytest.approx(value, abs=5e-5)
        out = eq.outcomes()
        _assert_outcomes(out, "war", "settled", "war", "settled")
        if not fast:
            assert out["staller strong"]["russia_wins"] == pytest.approx(0.41, abs=0.01)
    # "With the baseline's credibility (0.75) the weak staller breaks again."
    by_type = _played_with(name, {"west.security_guarantee_credibility": 0.75})
    assert by_type["staller weak"]["broken"] == 1


def test_leader_at_risk_fights_on(fast_runs: dict) -> None:
    path = SCENARIOS / "leader_at_risk_fights_on.yaml"
    scenario = load_scenario(path)
    for results in (fast_runs[path.name][0], run_scenario(scenario)):
        eq = results.comparisons[0].equilibrium
        assert eq.certificate.certified
        out = eq.outcomes()
        assert all(numbers["settled"] == 0 for numbers in out.values())
        assert out["sincere strong"]["war"] == 1 and out["sincere weak"]["war"] == 1
        assert eq.verdict().startswith("Buying time pays a staller weak Russia (+")
        assert [t for t, p in eq.buy_time_pays.items() if p] == ["staller weak"]
        assert eq.buy_time_gain["staller weak"] == pytest.approx(0.005, abs=0.001)
        if not results.fast:  # 2,000 runs: "about 2%" and "about 7%"
            assert out["staller strong"]["broken"] == pytest.approx(0.02, abs=0.01)
            assert out["staller weak"]["broken"] == pytest.approx(0.07, abs=0.01)
    # the state alone: every type signs and keeps the deal
    alone = scenario.with_params(
        {f"russia.leader.removal_if_{k}": 0.0 for k in ("settle", "win", "lose")}
    )
    eq = buy_time_equilibrium(alone.model, alone.first_offer, replace(alone.buy_time, periods=12))
    assert eq.certified
    assert np.all(play(eq, runs=200, seed=1).outcomes[:, 0] == 1)


def test_withdrawal_reveals_weakness(fast_runs: dict) -> None:
    path = SCENARIOS / "withdrawal_reveals_weakness.yaml"
    for results in (fast_runs[path.name][0], run_scenario(load_scenario(path))):
        eq = results.comparisons[0].equilibrium
        assert eq.certificate.certified
        first = eq.first_period()
        assert first["sends"] == {
            "sincere strong": {"fight": 1.0},
            "sincere weak": {"withdraw": 1.0},
            "staller strong": {"talk": 1.0},
            "staller weak": {"withdraw": 1.0},
        }
        after = first["after"]["withdraw"]
        assert after["belief"]["sincere weak"] == pytest.approx(0.25)
        assert after["belief"]["staller weak"] == pytest.approx(0.75)
        assert after["ukraine"] == "sign" and after["eases"] == [
            "US",
            "Poland",
            "Germany",
            "Hungary",
        ]
        assert first["after"]["talk"]["belief"]["staller strong"] == pytest.approx(1)
        assert first["after"]["talk"]["ukraine"] == "sign"
        out = eq.outcomes()
        assert out["sincere weak"]["settled"] == 1 and out["staller weak"]["settled"] == 1
        assert out["staller strong"]["broken"] == 1 and out["sincere strong"]["war"] == 1
        assert eq.verdict().startswith("Buying time pays a staller strong Russia (+0.00403)")
        assert eq.first_period_text() == (
            "The sincere strong type fights, the sincere weak and staller weak types withdraw "
            "(verified) and the staller strong type talks. After fighting the public believes "
            "P(staller) 0; every government holds and a battle is fought. After talks the "
            "public believes P(staller) 1; Germany and Hungary ease and Ukraine signs. After a "
            "verified withdrawal the public believes P(staller) 0.75; every government eases "
            "and Ukraine signs."
        )


def test_the_mission_page_names_scenarios_that_show_each_claim() -> None:
    # docs/mission.md lists, per claim, scenarios whose README row lists that claim.
    readme = (SCENARIOS / "README.md").read_text()
    claims_of = {}
    for line in readme.splitlines():
        m = re.match(r"\| \[`([a-z_]+\.yaml)`\].*\| ([0-9, ]+) \|$", line)
        if m:
            claims_of[m.group(1)] = {int(c) for c in m.group(2).split(",")}
    mission = (SCENARIOS.parent / "docs" / "mission.md").read_text()
    rows = [line for line in mission.splitlines() if re.match(r"\| [1-6]\. \*\*", line)]
    assert len(rows) == 6
    for line in rows:
        claim = int(line[2])
        named = re.findall(r"`([a-z_]+\.yaml)`", line)
        assert named
        for scenario in named:
            assert claim in claims_of[scenario], (claim, scenario)


# ====================================================================== 4. written out
@pytest.fixture(scope="module")
def written(fast_runs: dict, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Each library file's fast run written out, as ``simulator run --fast`` does:
    ``{name: (results, folder)}``; what is written is read back below. Figures are written as
    PNG only (what is read back; drawing each again as SVG doubled this fixture's time, and the
    SVG writer is tested in ``test_report.py`` and ``test_plots.py``)."""
    import simulator.report as report

    out = {}
    for name, (results, _) in fast_runs.items():
        folder = tmp_path_factory.mktemp(Path(name).stem)
        report.write_results(results, folder, formats=("png",))
        out[name] = (results, folder)
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
