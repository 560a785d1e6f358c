"""The figures of analysis results: each takes a result object and returns a matplotlib figure.

The result objects of :mod:`simulator.analysis.results` keep thin ``plot_*`` methods that call
these at run time (the plots sit on the floor above the analyses, ``docs/architecture.md``).
:func:`figure_plan` lists the figures a scenario asks for, as ``simulator run`` writes them:
each title names the offer, each subtitle the scenario, and the regime maps and bargaining
ranges mark the scenario's own values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from simulator.analysis.labels import in_sentence, plain_label, plain_parameter
from simulator.analysis.results import ACTORS
from simulator.plots.figures import (
    bargaining_range,
    encode_regimes,
    paths_panel,
    payoffs_by_strategy,
    regime_map,
    regime_strip,
    settlement_timing,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "comparison_paths",
    "comparison_payoffs",
    "comparison_settlement_timing",
    "equilibrium_paths",
    "figure_plan",
    "figure_subjects",
    "scenario_figure",
    "sweep_bargaining_range",
    "sweep_regime_map",
]

#: Row titles of the paths figure: Russia's types, whose runs are summarised apart.
TYPE_ROWS = {
    "sincere": "Runs in which Russia is sincere",
    "staller": "Runs in which Russia is a staller (buys time)",
}
#: Outcome probabilities drawn under a one-parameter regime strip.
OUTCOME_COLUMNS = ("settlement_probability", "renewed_war_probability", "war_probability")


def offer_words(offer: str | None) -> str:
    """An offer's name in a title: ``'offer "Neutrality outside EU"'``.

    Examples
    --------
    >>> offer_words("neutrality_outside_eu")
    'Offer “Neutrality outside EU”'
    """
    return f"Offer “{plain_label(offer)}”" if offer else ""


def _title(offer: str | None, what: str, note: str | None = None) -> str:
    head = offer_words(offer)
    text = f"{head}: {what}" if head else what[:1].upper() + what[1:]
    return f"{text} ({note})" if note else text


def _subtitle(scenario: str | None, detail: str) -> str | None:
    if not scenario:
        return detail[:1].upper() + detail[1:] if detail else None
    return f"Scenario: {scenario}" + (f" · {detail}" if detail else "")


# ====================================================================== comparisons
def comparison_paths(
    comparison: Any,
    variables: tuple[str, ...] = ("cohesion", "capability", "belief"),
    *,
    scenario: str | None = None,
    note: str | None = None,
) -> Figure:
    """Western cohesion, Russian capability and the West's belief over time, per profile.

    One row of panels per type of Russia (its runs summarised apart): pooled over the types,
    the West's belief ends near 1 in some runs and near 0 in others, and a band from 0 to 1
    around a mean of 0.25 would hide that it learns. Lines are Monte Carlo means, bands hold
    the middle 90% of the row's runs (:func:`simulator.plots.paths_panel`).

    Parameters
    ----------
    comparison : simulator.analysis.results.Comparison
        A ``compare`` analysis: its strategies' paths, offer, runs and periods.
    variables : tuple of str, optional
        The paths drawn, one panel each, among ``cohesion``, ``capability`` and ``belief``
        (the default: all three).
    scenario : str, optional
        The scenario's title, for the subtitle.
    note : str, optional
        Added to the title in brackets (e.g. ``"analysis 2"`` where two figures share an
        offer).

    Returns
    -------
    matplotlib.figure.Figure
        A row of panels per type of Russia that has runs; where no strategy has paths by
        type, one row pooled over the types.

    Raises
    ------
    KeyError
        If a variable is not a path of the strategies.
    """
    rows = {}
    for kind, row_title in TYPE_ROWS.items():
        panels = {}
        for v in variables:
            series = {}
            for s in comparison.strategies:
                group = s.paths[v].get(kind)
                if group is None or not np.isfinite(np.asarray(group["mean"], float)).any():
                    continue
                series[s.name] = {"mean": group["mean"], "low": group["q05"], "high": group["q95"]}
            if series:
                panels[v] = series
        if panels:
            rows[row_title] = panels
    detail = f"what-if rules, {comparison.runs:,} runs per strategy"
    title = _title(comparison.offer, "how the strategies play out over time", note)
    if not rows:  # no runs by type: the pooled summary
        panels = {
            v: {
                s.name: {
                    "mean": s.paths[v]["all"]["mean"],
                    "low": s.paths[v]["all"]["q05"],
                    "high": s.paths[v]["all"]["q95"],
                }
                for s in comparison.strategies
            }
            for v in variables
        }
        return paths_panel(
            np.arange(comparison.periods + 1),
            panels,
            title=title,
            subtitle=_subtitle(scenario, detail),
        )
    return paths_panel(
        np.arange(comparison.periods + 1),
        None,
        rows=rows,
        title=title,
        subtitle=_subtitle(scenario, detail),
        band_label="middle 90% of the row's runs",
    )


#: Row titles of the buy-time game's paths: Russia's four types, in the model's order.
EQUILIBRIUM_TYPE_ROWS = {
    "sincere strong": "Russia sincere and strong",
    "sincere weak": "Russia sincere and weak",
    "staller strong": "Russia a strong staller (buys time)",
    "staller weak": "Russia a weak staller (buys time)",
}
#: The outcomes of a run of the buy-time game, as its paths figure names them (the model's
#: ``settled``, ``broken`` and ``war``).
EQUILIBRIUM_OUTCOMES = {"settled": "deal kept", "broken": "deal broken", "war": "no deal"}
#: The buy-time game's plans, as its paths figure names them.
EQUILIBRIUM_PLANS = {
    "equilibrium": "Equilibrium play",
    "compromise": "Genuine compromise",
    "buy_time": "Buying time",
}


def equilibrium_paths(
    equilibrium: Any,
    variables: tuple[str, ...] = ("cohesion", "front", "belief", "capability"),
    *,
    scenario: str | None = None,
    note: str | None = None,
) -> Figure:
    """The buy-time game played out, one row per type of Russia: equilibrium and two plans.

    Each row holds the runs of one of Russia's four types (its share of the prior and what
    equilibrium play ends in for it in the row title, :func:`outcome_phrase`), one panel per
    variable, a line per plan: equilibrium play, genuine compromise and
    buying time, each against the others' equilibrium play. Pooled over the types, a band
    would be the spread between the types (a capability band from the weak to the strong
    type's level) rather than what happens to any one of them. Lines are means of the type's
    runs; bands hold the middle 90% of them, only where they have width, hatched in the
    plan's colour and direction so that overlapping bands stay matched to their lines. Each
    variable has the same vertical axis in every row. ``belief`` is the public's P(sincere).

    Parameters
    ----------
    equilibrium : simulator.analysis.equilibrium_result.EquilibriumResult
        The buy-time game solved and played out (a comparison's ``equilibrium``): its forward
        passes by plan hold each path's mean, 5% and 95% by type.
    variables : tuple of str, optional
        The paths drawn, one panel each, among ``cohesion``, ``front``, ``belief``,
        ``capability`` (the default: these four) and ``p_weak``.
    scenario : str, optional
        The scenario's title, for the subtitle.
    note : str, optional
        Added to the title in brackets (e.g. ``"analysis 2"`` where two figures share an
        offer).

    Returns
    -------
    matplotlib.figure.Figure
        A row per type of Russia with a panel per variable, a line for each plan.

    Raises
    ------
    KeyError
        If a variable is not a path of the forward passes.
    """
    key = {"belief": "p_sincere"}
    prior = equilibrium.prior
    outcomes = equilibrium.outcomes("equilibrium")
    rows: dict[str, dict[str, dict[str, Any]]] = {}
    for k, kind in enumerate(prior):
        share = f"{100 * prior[kind]:.3g}% of the prior"
        ends = f"In equilibrium: {outcome_phrase(outcomes[kind])}"
        row = f"{EQUILIBRIUM_TYPE_ROWS.get(kind, plain_label(kind))} · {share}\n{ends}"
        rows[row] = {}
        for v in variables:
            rows[row][v] = {}
            for plan, label in EQUILIBRIUM_PLANS.items():
                mean, low, high = np.asarray(equilibrium.plays[plan].paths[key.get(v, v)])[k]
                rows[row][v][label] = {"mean": mean, "low": low, "high": high}
    runs = f"{equilibrium.runs:,} runs per type and plan; a signed deal ends the game"
    if not equilibrium.certificate.certified:  # a slide must not present it as an equilibrium
        runs += (
            f"; NOT certified: {equilibrium.unresolved_text()}, where a player gains up to "
            f"{equilibrium.certificate.regret:.1e}"
        )
    return paths_panel(
        np.arange(equilibrium.periods + 1),
        None,
        rows=rows,
        title=_title(getattr(equilibrium, "offer", None), "the buy-time game played out", note),
        subtitle=_subtitle(scenario, f"buy-time game, {runs}"),
        band_label="middle 90% of the type's runs",
        hatched=True,
        same_scale=True,
    )


def outcome_phrase(outcome: Mapping[str, float]) -> str:
    """What runs of one type end in: each outcome's share (those of at least 0.5%), and the
    mean period of signing where some sign.

    Parameters
    ----------
    outcome : mapping of str to float
        ``settled``, ``broken`` and ``war`` (shares of runs) and ``settlement_period``, as
        :meth:`~simulator.analysis.equilibrium_result.EquilibriumResult.outcomes` gives them
        for one type.

    Returns
    -------
    str

    Examples
    --------
    >>> outcome_phrase({"settled": 1.0, "broken": 0.0, "war": 0.0, "settlement_period": 0.0})
    'deal kept in 100% of runs, signed in period 0 on average'
    >>> outcome_phrase({"settled": 0.0, "broken": 0.25, "war": 0.75,
    ...                 "settlement_period": 2.5})
    'deal broken in 25%, no deal in 75% of runs, signed in period 2.5 on average'
    """
    parts = [
        f"{words} in {100 * outcome[name]:.0f}%"
        for name, words in EQUILIBRIUM_OUTCOMES.items()
        if outcome[name] >= 0.005
    ]
    text = ", ".join(parts) + " of runs"
    period = outcome.get("settlement_period", float("nan"))
    if outcome["settled"] + outcome["broken"] > 0 and np.isfinite(period):
        text += f", signed in period {period:.2g} on average"
    return text


def comparison_payoffs(
    comparison: Any,
    actors: tuple[str, ...] = ACTORS,
    *,
    scenario: str | None = None,
    note: str | None = None,
) -> Figure:
    """Expected payoffs of each actor per profile, with 95% Monte Carlo intervals.

    Parameters
    ----------
    comparison : simulator.analysis.results.Comparison
        A ``compare`` analysis: its strategies' expected payoffs and standard errors.
    actors : tuple of str, optional
        The actors shown (default :data:`~simulator.analysis.key_numbers.ACTORS`: ``russia``,
        ``ukraine``, ``west``); a Western government's name shows its own payoff.
    scenario : str, optional
        The scenario's title, for the subtitle.
    note : str, optional
        Added to the title in brackets (e.g. ``"analysis 2"`` where two figures share an
        offer).

    Returns
    -------
    matplotlib.figure.Figure
        Bars of each actor's payoff (in shares of the stake) per strategy, with error bars of
        1.96 standard errors.

    Raises
    ------
    KeyError
        If an actor has no payoff in the comparison.
    """

    names = [s.name for s in comparison.strategies]
    values = [[s.expected_payoffs[a]["all"] for a in actors] for s in comparison.strategies]
    errors = [[s.expected_payoffs[a]["se"] for a in actors] for s in comparison.strategies]
    return payoffs_by_strategy(
        names,
        list(actors),
        values,
        errors=errors,
        title=_title(comparison.offer, "expected payoffs by strategy", note),
        subtitle=_subtitle(scenario, f"what-if rules, {comparison.runs:,} runs per strategy"),
    )


def comparison_settlement_timing(
    comparison: Any, *, scenario: str | None = None, note: str | None = None
) -> Figure:
    """The share of runs with a deal signed by each period, and with it still in force.

    The second panel needs the simulations (kept in memory by a run, not serialised); without
    them only the first is drawn, from :attr:`settlement_distribution`.

    Parameters
    ----------
    comparison : simulator.analysis.results.Comparison
        A ``compare`` analysis: its strategies' simulations, or their settlement
        distributions.
    scenario : str, optional
        The scenario's title, for the subtitle.
    note : str, optional
        Added to the title in brackets (e.g. ``"analysis 2"`` where two figures share an
        offer).

    Returns
    -------
    matplotlib.figure.Figure
        The share of runs settled by each period, per strategy (and the share still in
        force, when every strategy has its simulation).
    """

    data, broken = {}, {}
    for s in comparison.strategies:
        sim = getattr(s, "simulation", None)
        if sim is not None:
            signed = np.asarray(sim.settlement_period)
            renewed = np.asarray(sim.renewal_period)
            data[s.name] = signed
            broken[s.name] = np.where((signed >= 0) & (renewed >= signed), renewed, -1)
        else:
            counts = np.rint(np.asarray(s.settlement_distribution) * s.runs).astype(int)
            periods = np.repeat(np.arange(counts.size), counts)
            data[s.name] = np.concatenate([periods, np.full(s.runs - counts.sum(), -1)])
    complete = len(broken) == len(data)
    return settlement_timing(
        data,
        periods=comparison.periods,
        break_periods=broken if complete else None,
        title=_title(
            comparison.offer,
            "when a deal is signed, and whether it holds" if complete else "when a deal is signed",
            note,
        ),
        subtitle=_subtitle(scenario, f"what-if rules, {comparison.runs:,} runs per strategy"),
    )


# ====================================================================== sweeps
def sweep_regime_map(
    sweep: Any,
    *,
    scenario: str | None = None,
    point: tuple[float, ...] | None = None,
    note: str | None = None,
) -> Figure:
    """Which equilibrium outcome holds where (:func:`simulator.plots.figures.regime_map`).

    A one-parameter sweep is drawn as a strip (no vertical axis) over a chart of the outcome
    probabilities; ``point`` (the scenario's own values of the swept parameters) is marked.

    Parameters
    ----------
    sweep : simulator.analysis.results.SweepResult
        A sweep of the offer game (with a ``regime`` column).
    scenario : str, optional
        The scenario's title, for the subtitle.
    point : tuple of float, optional
        The scenario's own values of the swept parameters, marked on the map.
    note : str, optional
        Added to the title in brackets (e.g. ``"analysis 2"`` where two figures share an
        offer).

    Returns
    -------
    matplotlib.figure.Figure
        The map (or strip) of the regimes over the swept values, in increasing order.

    Raises
    ------
    ValueError
        If the sweep computed the bargaining range (no regimes).

    Examples
    --------
    >>> from simulator.analysis.results import Axis, SweepResult
    >>> axes = (Axis("russia.war_cost", (0.1, 0.2)), Axis("west.western_cohesion", (0.5, 1.0)))
    >>> sweep = SweepResult(1, "deal", "regime_map", axes,
    ...                     {"regime": np.array([["war", "war"], ["settled", "war"]])}, None)
    >>> print(sweep_regime_map(sweep).get_suptitle())
    Offer “Deal”: equilibrium outcome by Russia's cost of war and
    Western cohesion
    """
    if "regime" not in sweep.columns:
        raise ValueError("this sweep computed the bargaining range; use plot_bargaining_range()")

    codes, labels = encode_regimes(sweep.columns["regime"])
    x = np.asarray(sweep.axes[0].values)
    x_name = plain_parameter(sweep.axes[0].parameter)
    subtitle = _subtitle(scenario, "offer game solved at each point")
    if len(sweep.axes) == 1:
        order = np.argsort(x)
        probabilities = {
            k: np.asarray(sweep.columns[k], dtype=float)[order]
            for k in OUTCOME_COLUMNS
            if k in sweep.columns
        }
        return regime_strip(
            x[order],
            codes[order],
            labels,
            x_name,
            title=_title(
                sweep.offer, f"equilibrium outcome by {in_sentence(plain_label(x_name))}", note
            ),
            probabilities=probabilities or None,
            point=None if point is None else point[0],
            subtitle=subtitle,
        )
    y = np.asarray(sweep.axes[1].values)
    y_name = plain_parameter(sweep.axes[1].parameter)
    ix, iy = np.argsort(x), np.argsort(y)
    grid = codes[np.ix_(ix, iy)].T  # regime_map wants rows = y
    what = (
        f"equilibrium outcome by {in_sentence(plain_label(x_name))} and "
        f"{in_sentence(plain_label(y_name))}"
    )
    return regime_map(
        x[ix],
        y[iy],
        grid,
        labels,
        x_name,
        y_name,
        title=_title(sweep.offer, what, note),
        point=point,
        subtitle=subtitle,
    )


def sweep_bargaining_range(
    sweep: Any,
    offers: Mapping[str, float] | None = None,
    at: int | None = None,
    *,
    scenario: str | None = None,
    point: float | None = None,
    note: str | None = None,
) -> Figure:
    """Settlements both sides prefer to war along the first swept parameter.

    ``offers`` (name -> alignment) are drawn as lines; ``point`` (the scenario's value of the
    parameter) as a vertical line. For a two-parameter sweep the second parameter is held at
    its value number ``at`` (default: the middle one).

    Parameters
    ----------
    sweep : simulator.analysis.results.SweepResult
        A bargaining-range sweep (``low`` and ``high`` columns).
    offers : mapping of str to float, optional
        Offers to draw, by name, at their alignment.
    at : int, optional
        For a two-parameter sweep, the index of the second parameter's value held.
    scenario : str, optional
        The scenario's title, for the subtitle.
    point : float, optional
        The scenario's own value of the first swept parameter, drawn as a vertical line.
    note : str, optional
        Added to the title in brackets (e.g. ``"analysis 2"`` where two figures share an
        offer).

    Returns
    -------
    matplotlib.figure.Figure
        The band of settlements both sides prefer to war, against the first parameter.

    Raises
    ------
    ValueError
        If the sweep solved the offer game (no bargaining range).
    IndexError
        If ``at`` is outside the second parameter's values.

    Examples
    --------
    >>> from simulator.analysis.results import Axis, SweepResult
    >>> sweep = SweepResult(1, "deal", "bargaining_range", (Axis("russia.war_cost", (0.1, 0.3)),),
    ...                     {"low": np.array([0.35, 0.35]), "high": np.array([0.45, 0.65])}, None)
    >>> fig = sweep_bargaining_range(sweep, {"deal": 0.4})
    >>> " ".join(fig.get_suptitle().split())
    "Offer “Deal”: settlements both sides prefer to war, by Russia's cost of war"
    """
    if not sweep.is_bargaining:
        raise ValueError("this sweep solved the offer game; use plot_regime_map()")

    low, high = np.asarray(sweep.columns["low"]), np.asarray(sweep.columns["high"])
    name = plain_parameter(sweep.axes[0].parameter)
    what = f"settlements both sides prefer to war, by {in_sentence(plain_label(name))}"
    if len(sweep.axes) == 2:
        k = len(sweep.axes[1].values) // 2 if at is None else int(at)
        low, high = low[:, k], high[:, k]
        held = plain_parameter(sweep.axes[1].parameter)
        what += f" ({in_sentence(plain_label(held))} = {sweep.axes[1].values[k]:.3g})"
    x = np.asarray(sweep.axes[0].values)
    order = np.argsort(x)
    return bargaining_range(
        x[order],
        low[order],
        high[order],
        name,
        offers=dict(offers or {}),
        title=_title(sweep.offer, what, note),
        subtitle=_subtitle(scenario, "offers drawn at their alignment"),
        point=point,
    )


# ====================================================================== a scenario's figures
def figure_subjects(results: Any) -> dict[str, list[Any]]:
    """The analyses each kind of figure draws, in the order of the file (``paths_1``, ...).

    Parameters
    ----------
    results : simulator.analysis.ScenarioResults

    Returns
    -------
    dict of str to list
        Per kind of figure (``regime_map``, ``paths``, ...), the analyses it is drawn for.
    """
    comparisons = list(results.comparisons)
    return {
        "regime_map": [s for s in results.sweeps if not s.is_bargaining],
        "bargaining_range": [s for s in results.sweeps if s.is_bargaining],
        "paths": comparisons,
        "payoffs": comparisons,
        "equilibrium_paths": [c for c in comparisons if c.equilibrium is not None],
        "settlement_timing": comparisons,
    }


_MISSING = {
    "regime_map": "the scenario has no sweep of the offer game",
    "bargaining_range": "the scenario has no bargaining-range sweep",
    "paths": "the scenario compares no strategies",
    "payoffs": "the scenario compares no strategies",
    "equilibrium_paths": "the scenario solves no buy-time game",
    "settlement_timing": "the scenario compares no strategies",
}


def scenario_figure(results: Any, kind: str, which: int = 0) -> Figure:
    """Figure ``kind`` of analysis number ``which`` among those it draws, titled as a scenario's.

    The title names the offer (and the analysis, where two figures of a kind share an
    offer), the subtitle the scenario; regime maps and bargaining ranges mark the scenario's
    own values of the swept parameters.

    Parameters
    ----------
    results : simulator.analysis.ScenarioResults
    kind : str
        A figure a scenario can ask for (:data:`simulator.scenario.objects.FIGURES`).
    which : int
        Which of the analyses that figure is drawn for (0: the first).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        For an unknown kind, or one the results have nothing to draw for.
    IndexError
        For ``which`` out of range.
    """
    if kind not in _MISSING:
        raise ValueError(f"unknown figure {kind!r}; choose from {sorted(_MISSING)}")
    items = figure_subjects(results)[kind]
    if not items:
        raise ValueError(f"no {kind} figure: {_MISSING[kind]}")
    if not -len(items) <= which < len(items):
        raise IndexError(f"there are {len(items)} {kind} figures; got index {which}")
    return _build(results, kind, items, which % len(items))


def figure_plan(results: Any) -> tuple[list[tuple[str, int, Callable[[], Figure]]], list[str]]:
    """(file stem, analysis index, builder) for each figure the scenario asks for, and notes.

    Stems are the figure's name, numbered (``paths_1``, ``paths_2``) when it is drawn for
    several analyses; a figure that has nothing to draw is skipped with a note.

    Parameters
    ----------
    results : simulator.analysis.ScenarioResults
        Its ``figures`` say which figures to draw, in which order.

    Returns
    -------
    plan : list of (str, int, callable)
        File stem, index of the analysis drawn, and a function that builds the figure.
    notes : list of str
        One per figure skipped, saying why.
    """
    plan: list[tuple[str, int, Callable[[], Figure]]] = []
    notes = []
    subjects = figure_subjects(results)
    for kind in results.figures:
        if kind not in subjects:
            notes.append(f"figure {kind!r} skipped: unknown figure")
            continue
        items = subjects[kind]
        if not items:
            notes.append(f"figure {kind!r} skipped: {_MISSING[kind]}")
        for k, item in enumerate(items):
            stem = kind if len(items) == 1 else f"{kind}_{k + 1}"
            plan.append((stem, item.index, _builder(results, kind, items, k)))
    return plan, notes


def _builder(results: Any, kind: str, items: list[Any], k: int) -> Callable[[], Figure]:
    return lambda: _build(results, kind, items, k)


def _build(results: Any, kind: str, items: list[Any], k: int) -> Figure:
    item = items[k]
    same_offer = sum(i.offer == item.offer for i in items) > 1
    note = f"analysis {item.index}" if same_offer else None
    scenario = results.title
    if kind == "regime_map":
        return sweep_regime_map(item, scenario=scenario, point=_point(results, item), note=note)
    if kind == "bargaining_range":
        offers = {name: terms["alignment"] for name, terms in results.parameters["offers"].items()}
        point = _point(results, item)
        return sweep_bargaining_range(
            item,
            offers=offers,
            scenario=scenario,
            point=None if point is None else point[0],
            note=note,
        )
    if kind == "paths":
        return comparison_paths(item, scenario=scenario, note=note)
    if kind == "payoffs":
        return comparison_payoffs(item, scenario=scenario, note=note)
    if kind == "equilibrium_paths":
        return equilibrium_paths(item.equilibrium, scenario=scenario, note=note)
    return comparison_settlement_timing(item, scenario=scenario, note=note)


def _point(results: Any, sweep: Any) -> tuple[float, ...] | None:
    """The scenario's own values of a sweep's parameters (None if one is not a number)."""
    values = []
    for axis in sweep.axes:
        parts = axis.parameter.split(".")
        if parts[0] == "offers" and len(parts) == 3:
            value = results.parameters["offers"].get(parts[1], {}).get(parts[2])
        else:
            value = results.parameters["model"].get(axis.parameter)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        if not np.isfinite(value):
            return None
        values.append(float(value))
    return tuple(values)
