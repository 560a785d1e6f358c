"""run_scenario: every analysis of a scenario, cross-checked against the model functions."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.analysis import (
    FAST,
    AnalysisError,
    Comparison,
    MonteCarloResult,
    OfferSolution,
    ScenarioResults,
    SolveResult,
    StrategyResult,
    SweepResult,
    run_scenario,
)
from simulator.analysis.points import game_changes, point_values
from simulator.model.buy_time_game import buy_time_equilibrium
from simulator.model.buy_time_play import play
from simulator.model.dynamics import simulate
from simulator.model.markov import markov_perfect_equilibrium
from simulator.model.offer_game import solve_offer_game, solve_offer_game_batch
from simulator.model.published.bargaining import bargaining_range_from_model
from simulator.scenario import load_scenario, parse_scenario

DATA = Path(__file__).resolve().parent / "data" / "scenarios"

# The worked example of docs/offer_game.md (claim 1) as a scenario: a verified withdrawal lets a
# weak sincere Russia settle where words alone leave every sincere type fighting.
WORKED = """
title: Costly withdrawal
seed: 11
actors:
  russia: {regroup_rate_staller: 0.9}
  ukraine: {capability: 0.85}
  west:
    governments: [{name: West, sanctions_burden: 0.1}]
offers:
  withdraw: {alignment: 0.8, territory: 0.3, security_guarantees: 0.8, withdrawal_cost: 0.03}
  words: {alignment: 0.8, territory: 0.3, security_guarantees: 0.8}
strategies:
  br: {russia: buy_time, west: best_response, ukraine: talk_while_fighting}
dynamics: {periods: 6}
buy_time: {ceasefire: false}  # (every state of its equilibrium certified)
analyses:
  - solve: offer_game
  - compare: [br, genuine_compromise]
    runs: 150
  - sweep:
      offers.withdraw.withdrawal_cost: {from: 0.005, to: 0.06, steps: 56}
    offer: withdraw
figures: []
"""


@pytest.fixture(scope="module")
def full() -> ScenarioResults:
    return run_scenario(load_scenario(DATA / "full.yaml"), fast=True)


@pytest.fixture(scope="module")
def worked() -> ScenarioResults:
    return run_scenario(parse_scenario(WORKED))


def test_every_analysis_runs_in_file_order(full):
    kinds = [(a.kind, a.index) for a in full.analyses]
    assert kinds == [("solve", 1), ("compare", 2), ("sweep", 3), ("monte_carlo", 4), ("sweep", 0)]
    assert isinstance(full.analyses[0], SolveResult)
    assert isinstance(full.analyses[1], Comparison)
    assert isinstance(full.analyses[3], MonteCarloResult)
    # The bargaining-range figure needs a bargaining sweep: one is added along the first axis.
    implicit = full.analyses[4]
    assert isinstance(implicit, SweepResult) and implicit.implicit and implicit.is_bargaining
    assert implicit.axes[0].parameter == "russia.great_power_status"
    assert full.certified
    assert full.fast and any("fast mode" in n for n in full.notes)
    json.dumps(full.as_dict(), allow_nan=False)  # JSON-ready


def test_offer_game_solutions_are_the_models(full):
    scenario = full.scenario
    for solution in full.solutions:
        direct = solve_offer_game(scenario.model, scenario.offers[solution.offer])
        assert solution.regime == direct.regime
        assert solution.settlement_probability == direct.settlement_probability
        assert solution.payoffs["Russia"]["expected"] == direct.payoffs["Russia"]["expected"]
        assert solution.certificate.regret == direct.certificate
        assert solution.certificate.tolerance == direct.selected.tolerance
        assert "perfect Bayesian" in solution.certificate.method


def test_offer_solution_is_derived_from_the_models_result(full):
    """An OfferSolution holds the model's result and derives its views; nothing is copied."""
    scenario = full.scenario
    ran = full.solutions[0]
    name = ran.offer
    direct = solve_offer_game(scenario.model, scenario.offers[name])
    solution = OfferSolution(name, {"alignment": 0.5}, direct)
    assert solution.result is direct
    assert solution.regime == direct.regime and solution.kind == direct.kind
    assert solution.war_probability == direct.war_probability
    assert solution.payoffs is direct.payoffs
    assert solution.equilibria == direct.equilibria
    assert solution.certificate.regret == direct.certificate
    for t in solution.messages:
        for m in direct.messages:
            assert solution.messages[t][m] == direct.row[f"message.{t}.{m}"]
    assert solution.as_dict() == {**ran.as_dict(), "terms": {"alignment": 0.5}}
    with pytest.raises(TypeError):
        OfferSolution(name, {}, direct, regime=direct.regime)  # type: ignore[call-arg]
    with pytest.raises(dataclasses.FrozenInstanceError):
        solution.regime = "x"  # type: ignore[misc]
    strategy = full.comparisons[0].strategies[0]
    sim = strategy.simulation
    assert strategy.runs == sim.runs and strategy.periods == sim.periods
    assert strategy.settlement_probability == sim.settlement_probability
    with pytest.raises(TypeError):
        StrategyResult(strategy.name, {}, {}, sim, runs=sim.runs)  # type: ignore[call-arg]


def test_worked_example_a_withdrawal_lets_the_weak_sincere_type_settle(worked):
    sol = worked.analyses[0].solution("withdraw")
    assert sol.regime == "separating: sincere settled or war, staller broken"
    assert sol.settlement_probability == 0.25 and sol.renewed_war_probability == 0.5
    assert sol.posterior["withdraw"] == 1.0 and sol.posterior["talk"] == 0.0
    assert sol.behaviour()["Russia (sincere weak)"] == "withdraw -> settled"
    assert sol.behaviour()["Russia (staller strong)"] == "talk -> broken"
    assert sol.west_actions["withdraw"]["West"] == 1.0  # it eases after a withdrawal
    assert sol.west_actions["talk"]["West"] == 0.0
    words = worked.analyses[0].solution("words")
    assert words.regime == "separating: sincere war, staller broken"
    assert words.settlement_probability == 0.0


def test_sweep_finds_where_the_withdrawal_becomes_too_dear(worked):
    sweep = worked.sweeps[0]
    assert sweep.shape == (56,)
    # docs/offer_game.md, claim 1: above a cost of about 0.0335 the weak sincere type fights
    switches = sweep.switches()
    assert len(switches) == 1
    (low, high) = switches[0]["between"]
    assert low < 0.0335 < high
    assert switches[0]["from"] == "separating: sincere settled or war, staller broken"
    assert switches[0]["to"] == "separating: sincere war, staller broken"
    assert sweep.certificate.certified and sweep.unsolved == 0
    assert sweep.regimes() and abs(sum(sweep.regimes().values()) - 1) < 1e-12


def test_two_parameter_sweep_equals_the_batch_solver(full):
    sweep = full.analyses[2]
    scenario = full.scenario
    assert sweep.shape == (FAST["steps"], FAST["steps"])
    status, cohesion = (np.asarray(a.values) for a in sweep.axes)
    out = solve_offer_game_batch(
        scenario.model,
        scenario.offers[sweep.offer],
        {
            "russia.great_power_status": status[:, None],
            "west.western_cohesion": cohesion[None, :],
        },
    )
    assert (sweep.columns["regime"] == out["regime"]).all()
    np.testing.assert_array_equal(
        sweep.columns["settlement_probability"], out["settlement_probability"]
    )


def test_comparison_is_the_simulation_and_the_equilibrium(worked):
    comparison = worked.comparisons[0]
    scenario = worked.scenario
    offer = scenario.offers["withdraw"]
    # the equilibrium: the buy-time game at the scenario's values, played out by plan
    game = buy_time_equilibrium(
        scenario.model, offer, dataclasses.replace(scenario.buy_time, periods=6)
    )
    assert game.unresolved == 0 and game.certificate <= game.tolerance
    result = comparison.equilibrium
    assert result.buy_time_pays == game.buy_time_pays()
    assert result.certificate.regret == game.certificate
    np.testing.assert_array_equal(result.result.values, game.values)
    again = play(game, runs=150, seed=11)
    np.testing.assert_array_equal(result.plays["equilibrium"].outcomes, again.outcomes)
    for numbers in result.outcomes().values():
        assert numbers["settled"] + numbers["broken"] + numbers["war"] == pytest.approx(1)
    assert result.as_dict()["verdict"] == result.verdict()
    # the what-if rules: the simulation; "best_response" reads the simulation's own MPE
    eq = markov_perfect_equilibrium(scenario.model, offer, periods=6, settings=scenario.dynamics)
    for name in ("br", "genuine_compromise"):
        sim = simulate(
            scenario.model,
            offer,
            scenario.strategies[name],
            runs=150,
            periods=6,
            seed=11,
            settings=scenario.dynamics,
            mpe=eq,
        )
        got = comparison.strategy(name)
        assert got.settlement_probability == sim.settlement_probability
        assert got.expected_payoffs["russia"]["all"] == sim.expected_payoffs()["russia"]["all"]
        assert got.final_cohesion == sim.final_cohesion
        assert got.paths["capability"]["all"]["mean"] == sim.mean_path("capability").tolist()
    assert "best response" in comparison.strategy("br").behaviour["west"]


def test_fast_mode_caps(full):
    comparison = full.comparisons[0]
    assert comparison.runs == FAST["runs"] and comparison.periods == FAST["periods"]
    assert comparison.equilibrium is None  # the file asks for the what-if rules alone
    assert full.monte_carlo[0].runs == FAST["draws"]
    text = "title: t\noffers: {deal: {}}\nanalyses: [{compare: [buy_time], periods: 2}]\n"
    small = run_scenario(parse_scenario(text + "figures: []\n"), fast=True)
    # the buy-time game keeps its own grid in fast mode (fast and full state the same values)
    settings = small.comparisons[0].equilibrium.result.setup.settings
    assert settings == dataclasses.replace(parse_scenario(text).buy_time, periods=2)
    full_run = run_scenario(parse_scenario(text + "figures: []\n"))
    assert small.comparisons[0].equilibrium.values == full_run.comparisons[0].equilibrium.values


def test_monte_carlo_draws_follow_the_seed_and_the_distribution(full):
    mc = full.monte_carlo[0]
    draws = mc.draws["russia.prior_sincere"]
    assert draws.shape == (FAST["draws"],) and ((draws > 0) & (draws < 1)).all()
    again = run_scenario(full.scenario, fast=True).monte_carlo[0]
    np.testing.assert_array_equal(again.draws["russia.prior_sincere"], draws)
    scenario = full.scenario
    direct = solve_offer_game_batch(
        scenario.model, scenario.offers[mc.offer], {"russia.prior_sincere": draws}
    )
    assert (mc.columns["regime"] == direct["regime"]).all()
    assert mc.summary()["settlement_probability"]["mean"] == pytest.approx(
        float(np.mean(direct["settlement_probability"]))
    )


def test_default_analyses_for_a_file_without_any():
    results = run_scenario(load_scenario(DATA / "minimal.yaml"), fast=True)
    assert [a.kind for a in results.analyses] == ["solve", "compare", "sweep"]
    assert [s.name for s in results.comparisons[0].strategies] == [
        "buy_time",
        "genuine_compromise",
    ]
    assert any("lists no analyses" in n for n in results.notes)


def test_formulas_follow_the_swept_parameter():
    text = """
title: Formula
actors: {russia: {sanctions_cost: "=2 * russia.war_cost", prior_sincere: "=1 - russia.war_cost"}}
offers: {deal: {alignment: 0.3}}
analyses:
  - sweep: {russia.war_cost: {from: 0.05, to: 0.45, steps: 5}}
figures: []
"""
    scenario = parse_scenario(text)
    sweep = run_scenario(scenario).sweeps[0]
    for k, cost in enumerate(sweep.axes[0].values):
        point = scenario.with_params({"russia.war_cost": cost})
        assert point.model.russia.sanctions_cost == pytest.approx(2 * cost)
        assert point.model.russia.prior_sincere == pytest.approx(1 - cost)
        direct = solve_offer_game(point.model, point.first_offer)
        assert sweep.columns["regime"][k] == direct.regime
        assert sweep.columns["payoff.russia"][k] == pytest.approx(
            direct.payoffs["Russia"]["expected"]
        )
    # At 1 the formula gives prior_sincere = 0, outside (0, 1): a clear error, not a crash.
    bad = parse_scenario(text.replace("to: 0.45", "to: 1.0"))
    with pytest.raises(AnalysisError, match="outside its valid range"):
        run_scenario(bad)


@settings(max_examples=15, deadline=None)
@given(cost=st.floats(0.0, 0.5), weight=st.floats(0.05, 2.0))
def test_point_values_agree_with_with_params(cost, weight):
    scenario = load_scenario(DATA / "full.yaml")
    values = point_values(
        scenario,
        {"russia.war_cost": [cost], "west.governments.United States.weight": [weight]},
    )
    point = scenario.with_params(
        {"russia.war_cost": cost, "west.governments.United States.weight": weight}
    )
    for name, column in values.items():
        assert column[0] == pytest.approx(point.params[name]), name
    assert set(values) >= {
        "russia.sanctions_cost",
        "west.governments.Hungary.weight",
        "offers.strict_neutrality.withdrawal_cost",
    }


def test_game_changes_names_and_ignored_parameters():
    scenario = load_scenario(DATA / "full.yaml")
    changes, ignored = game_changes(
        scenario,
        "strict_neutrality",
        {
            "offers.strict_neutrality.withdrawal_cost": np.array([0.1]),
            "offers.neutrality_for_guarantees.alignment": np.array([0.2]),
            "russia.leader.punishment": np.array([3.0]),
            "dynamics.easing": np.array([0.3]),
            "russia.prior_sincere": np.array([0.5]),
        },
    )
    # the leader's removal risk is part of Russia's payoff in the offer game
    assert sorted(changes) == [
        "offer.withdrawal_cost",
        "russia.leader.punishment",
        "russia.prior_sincere",
    ]
    assert sorted(ignored) == ["dynamics.easing", "offers.neutrality_for_guarantees.alignment"]


def test_bargaining_sweep_equals_the_adapter_at_every_point():
    text = """
title: Status
actors: {russia: {sanctions_cost: "=0.5 * russia.war_cost"}}
offers: {deal: {alignment: 0.3}}
analyses:
  - sweep:
      russia.great_power_status: {from: 0, to: 2, steps: 9}
      russia.war_cost: {from: 0.05, to: 0.4, steps: 4}
    show: bargaining_range
figures: [bargaining_range]
"""
    scenario = parse_scenario(text)
    results = run_scenario(scenario)
    assert len(results.sweeps) == 1  # no implicit sweep: the file has a bargaining sweep
    sweep = results.sweeps[0]
    assert sweep.certificate is None
    for i, status in enumerate(sweep.axes[0].values):
        for j, cost in enumerate(sweep.axes[1].values):
            point = scenario.with_params(
                {"russia.great_power_status": status, "russia.war_cost": cost}
            )
            ref = bargaining_range_from_model(point.model)
            assert bool(sweep.columns["nonempty"][i, j]) == bool(ref.nonempty)
            np.testing.assert_allclose(
                [sweep.columns["low"][i, j], sweep.columns["high"][i, j]],
                [ref.low, ref.high],
                equal_nan=True,
            )
    # Claim 3: a large enough status premium empties the bargaining range.
    assert sweep.columns["nonempty"][0].all() and not sweep.columns["nonempty"][-1].any()


def _without_compare(text: str):
    """The worked scenario without its comparison (checkpoints are about the grids)."""
    scenario = parse_scenario(text)
    keep = tuple(a for a in scenario.analyses if a.kind != "compare")
    return dataclasses.replace(scenario, analyses=keep)


def test_resume_skips_finished_chunks(tmp_path):
    scenario = _without_compare(WORKED)
    folder = tmp_path / "checkpoint"
    seen: list[int] = []

    class Stop(Exception):
        pass

    def interrupt(label, done, total):
        if label.endswith("(offer game)") and done >= 20:
            raise Stop

    with pytest.raises(Stop):
        run_scenario(scenario, checkpoint=folder, chunk_size=10, progress=interrupt)
    saved = sorted(p.name for p in folder.iterdir())
    assert len(saved) == 2  # two chunks of ten points finished before the interruption

    def count(label, done, total):
        if label.endswith("(offer game)") and total == 56:
            seen.append(done)

    resumed = run_scenario(scenario, checkpoint=folder, chunk_size=10, resume=True, progress=count)
    sweep = resumed.sweeps[0]
    assert sweep.reused == 20
    assert seen[0] == 20  # started from the checkpointed points
    assert len(list(folder.iterdir())) == 6  # 56 points in six chunks
    fresh = run_scenario(scenario).sweeps[0]
    assert (fresh.columns["regime"] == sweep.columns["regime"]).all()
    # Without --resume nothing is reused; a changed scenario never reuses stale points.
    assert run_scenario(scenario, checkpoint=folder, chunk_size=10).sweeps[0].reused == 0
    changed = scenario.with_params({"russia.prior_sincere": 0.3})
    assert (
        run_scenario(changed, checkpoint=folder, chunk_size=10, resume=True).sweeps[0].reused == 0
    )


def test_workers_give_the_same_results():
    scenario = parse_scenario(
        WORKED.replace("  - compare: [br, genuine_compromise]\n    runs: 150\n", "")
    )
    one = run_scenario(scenario, chunk_size=15)
    two = run_scenario(scenario, chunk_size=15, workers=2)
    assert (one.sweeps[0].columns["regime"] == two.sweeps[0].columns["regime"]).all()


def test_tables_and_html(full):
    tables = full.tables()
    assert list(tables) == [
        "offer_game",
        "strategies",
        "paths",
        "sweep_1",
        "sweep_2",
        "monte_carlo_1",
    ]
    assert len(tables["strategies"]) == 3 and len(tables["sweep_1"]) == FAST["steps"] ** 2
    assert tables["strategies"][0]["strategy"] == "stall"
    html = full._repr_html_()
    assert html.startswith("<h3>Neutrality for security guarantees") and "<table>" in html
    key = full.key_numbers()
    assert (
        key["compare.sincere.settlement_probability"]
        == full.comparisons[0].strategy("sincere").settlement_probability
    )


def test_to_frame_with_pandas(full):
    pytest.importorskip("pandas")
    frame = full.to_frame()
    assert list(frame["strategy"]) == ["stall", "sincere", "buy_time"]
    assert frame.shape[0] == 3
    assert full.to_frame("sweep_1").shape[0] == FAST["steps"] ** 2
    assert full.monte_carlo[0].to_frame().shape[0] == FAST["draws"]
    assert full.solutions[0].to_frame().shape[0] == 1
    paths = full.comparisons[0].strategy("stall").to_frame()
    assert set(paths["variable"]) == {"cohesion", "capability", "belief"}


def test_to_frame_without_pandas_says_how_to_install(full, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pandas", None)  # makes "import pandas" fail
    with pytest.raises(ImportError, match="pip install pandas"):
        full.to_frame()


def test_plot_methods_return_figures(full, worked):
    from matplotlib.figure import Figure

    figures = [
        full.plot_regime_map(),
        full.plot_bargaining_range(),
        full.plot_paths(),
        full.plot_payoffs(),
        full.plot_settlement_timing(),
        worked.plot_regime_map(),  # a one-parameter sweep, drawn as a strip
    ]
    assert all(isinstance(f, Figure) for f in figures)
    assert "cost of a verified Russian withdrawal" in " ".join(figures[-1].get_suptitle().split())
    with pytest.raises(ValueError, match="no bargaining-range sweep"):
        worked.plot_bargaining_range()


WEDGE = """
title: wedge
actors:
  west:
    aggregation: weakest_link
    governments:
      - {name: US, weight: 3, value_of_success: 1.5, sanctions_burden: 0.05}
      - {name: Hungary, value_of_success: 0.2, sanctions_burden: 0.2}
offers: {w: {alignment: 0.6, territory: 0.2, inducements: {Hungary: 0.0}}}
analyses:
  - sweep:
      offers.w.inducement.Hungary: {from: 0, to: 0.3, steps: 7}
figures: []
"""


def test_an_inducement_can_be_swept_and_changed_like_any_offer_term():
    scenario = parse_scenario(WEDGE)
    sweep = run_scenario(scenario).sweeps[0]
    assert not sweep.notes  # the game reads it
    values = np.asarray(sweep.axes[0].values)
    direct = solve_offer_game_batch(
        scenario.model, scenario.offers["w"], {"offer.inducement.Hungary": values}
    )
    assert (sweep.columns["regime"] == direct["regime"]).all()
    assert len(set(sweep.columns["regime"])) > 1  # the wedge changes the equilibrium
    changed = scenario.with_params({"offers.w.inducement.Hungary": 0.2})
    assert changed.offers["w"].inducement_map == {"Hungary": 0.2}
    with pytest.raises(Exception, match="inducement"):
        scenario.with_params({"offers.w.inducement.Hungary": 11.0})


def test_edited_or_truncated_checkpoints_are_solved_again(tmp_path):
    from simulator.analysis.checkpoint import CheckpointStore

    store = CheckpointStore(tmp_path, resume=True)
    store.save("k", 0, {"x": np.array([1.0, 2.0]), "regime": np.array(["a", "b"], object)})
    assert store.load("k", 0)["x"].tolist() == [1.0, 2.0]
    path = next(tmp_path.glob("k-*.npz"))
    # an edit that keeps the file readable: the digest no longer matches
    with np.load(path) as data:
        arrays = {name: data[name] for name in data.files}
    arrays["x"] = np.array([1.0, 99.0])
    with open(path, "wb") as handle:
        np.savez(handle, **arrays)
    assert store.load("k", 0) is None
    # a truncated file
    store.save("k", 1, {"x": np.array([3.0])})
    second = tmp_path / "k-000001.npz"
    second.write_bytes(second.read_bytes()[:40])
    assert store.load("k", 1) is None


def test_checkpoints_of_another_version_of_the_code_are_not_reused(tmp_path, monkeypatch):
    from simulator.analysis import run_grids  # where checkpoint keys are made

    scenario = _without_compare(WORKED)
    folder = tmp_path / "checkpoint"
    run_scenario(scenario, checkpoint=folder, chunk_size=10)
    again = run_scenario(scenario, checkpoint=folder, chunk_size=10, resume=True)
    assert again.sweeps[0].reused == 56
    monkeypatch.setattr(run_grids, "code_hash", lambda: "another version of the code")
    changed = run_scenario(scenario, checkpoint=folder, chunk_size=10, resume=True)
    assert changed.sweeps[0].reused == 0


def test_the_same_buy_time_game_is_solved_once_per_process():
    # Analyses and runs that ask for the same model, offer and settings share one solution
    # (the solver is deterministic and its inputs immutable), so re-running is cheap.
    text = "title: t\noffers: {deal: {}}\nanalyses: [{compare: [buy_time], periods: 2}]\n"
    scenario = parse_scenario(text + "figures: []\n")
    first = run_scenario(scenario, fast=True).comparisons[0].equilibrium
    again = run_scenario(parse_scenario(text + "figures: []\n")).comparisons[0].equilibrium
    assert again.result is first.result  # fast and full runs solve the same game
    # shared, so read-only: no reader can change what the next one gets
    with pytest.raises(ValueError, match="read-only"):
        first.result.values[0, 0] = 1.0
    assert not first.result.policies[0].sender.flags.writeable
    model = scenario.model.with_params({"russia.capability": 1.1})
    other = run_scenario(dataclasses.replace(scenario, model=model), fast=True)
    assert other.comparisons[0].equilibrium.result is not first.result


def test_progress_follows_the_buy_time_game_period_by_period():
    # A student waits on the buy-time game's solve: the run says how far it has got, a step
    # per period solved, then one per what-if profile.
    text = (
        "title: t\noffers: {deal: {alignment: 0.45}}\n"
        "analyses: [{compare: [buy_time, genuine_compromise], periods: 3}]\nfigures: []\n"
    )
    seen: list[tuple[int, int]] = []
    run_scenario(parse_scenario(text), fast=True, progress=lambda _label, d, t: seen.append((d, t)))
    steps = [(d, t) for d, t in seen if t > 1]
    assert steps[0] == (1, 5) and steps[-1] == (5, 5)  # 3 periods + 2 profiles
    assert [d for d, _ in steps] == sorted(d for d, _ in steps)
    assert {d for d, _ in steps} == {1, 2, 3, 4, 5}
