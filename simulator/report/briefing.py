"""The briefing: the results of a scenario in plain words, with the figures.

The briefing states the assumptions (the key parameter values in plain words, each marked
when the scenario changed it from the model default, and the offers), the equilibrium of the
offer game for each offer, and for each compared strategy the behaviour of every actor, the
expected payoffs, the probability and timing of a settlement and the final Western cohesion
and Russian capability; then what the sweeps and Monte Carlo draws show, the figures, and
the certificates.

Every sentence is written once, here, by :func:`briefing_blocks` as structured content
(:mod:`simulator.report.blocks`); :func:`briefing_markdown` renders it as ``briefing.md``
and :func:`briefing_html` as ``briefing.html``, one self-contained page.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from simulator.analysis.labels import in_sentence, plain_label
from simulator.analysis.results import (
    Comparison,
    EquilibriumResult,
    MonteCarloResult,
    ScenarioResults,
    SolveResult,
    SweepResult,
)
from simulator.plots.results import offer_words
from simulator.report.blocks import (
    Block,
    Bullets,
    Code,
    Figure,
    Heading,
    Paragraph,
    Strong,
    Table,
    Text,
    render_markdown,
)

__all__ = ["KEY_PARAMETERS", "briefing_blocks", "briefing_html", "briefing_markdown"]

#: The model parameters a briefing states (governments are listed in a table of their own).
KEY_PARAMETERS = (
    "russia.great_power_status",
    "russia.dominance_threshold",
    "russia.status_loss_span",
    "russia.prior_sincere",
    "russia.prior_strong",
    "russia.regroup_rate_sincere",
    "russia.regroup_rate_staller",
    "russia.capability",
    "russia.weak_capability_share",
    "russia.capability_ceiling",
    "russia.war_cost",
    "russia.sanctions_cost",
    "russia.optimism",
    "ukraine.capability",
    "ukraine.war_cost",
    "west.aggregation",
    "west.western_cohesion",
    "west.arms_support",
    "west.security_guarantee_credibility",
    "contest_exponent",
)
_GOVERNMENT_FIELDS = (
    "weight",
    "sanctions_burden",
    "value_of_success",
    "audience_cost",
    "fatigue_rate",
    "defection_threshold",
)
_OFFER_FIELDS = (
    "alignment",
    "security_guarantees",
    "territory",
    "sanctions_relief",
    "withdrawal_cost",
    "eu_membership",
    "nato_membership",
    "foreign_bases",
)


def _num(value: Any, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return f"{value:.{digits}g}"
    return str(value)


def _pct(value: Any) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "n/a"
    return f"{100 * value:.0f}%" if abs(value - round(value, 2)) < 5e-4 else f"{100 * value:.1f}%"


def _verdict(certified: bool) -> str:
    return "certified" if certified else "NOT certified"


def _words(name: str) -> str:
    """A strategy's code name in words (``talk_while_fighting`` -> ``talk while fighting``)."""
    return name.replace("_", " ")


def _rows(rows: Iterable[Iterable[Any]]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(str(c) for c in row) for row in rows)


def _defaults() -> dict[str, Any]:
    from simulator.model.negotiation import NegotiationModel

    return NegotiationModel().params


def _units() -> dict[str, str]:
    from simulator.model.negotiation import NegotiationModel

    return {
        name: spec.unit
        for name, _v, spec in NegotiationModel().describe()
        if spec is not None and spec.unit
    }


# ====================================================================== sections
def _assumptions(results: ScenarioResults) -> list[Block]:
    model = results.parameters["model"]
    formulas = results.parameters.get("formulas", {})
    defaults, units = _defaults(), _units()
    blocks: list[Block] = [
        Heading(2, ("Assumptions",)),
        Paragraph(
            (
                "Values the scenario sets are in bold; the others are the model's defaults. "
                "Payoffs are in shares of the stake (the whole issue at dispute = 1).",
            )
        ),
    ]
    # the key parameters, then every other one the scenario sets (e.g. the leader's terms)
    others = [
        name
        for name, value in model.items()
        if name not in KEY_PARAMETERS
        and not name.startswith("west.governments.")
        and (name not in defaults or defaults[name] != value)
    ]
    items: list[Text] = []
    for name in (*KEY_PARAMETERS, *others):
        if name not in model:
            continue
        value = model[name]
        changed = name not in defaults or defaults[name] != value
        shown = Strong(_num(value)) if changed else _num(value)
        # Parenthetical glosses ("(the whole issue = 1)") are explained once, above.
        unit = re.sub(r"\s*\(.*?\)", "", units.get(name, "")).strip()
        item: Text = (f"{plain_label(name)}: ", shown)
        if unit and not isinstance(value, str):
            item += (f" ({unit})",)
        if name in formulas:
            item += (", from the formula ", Code(formulas[name]))
        items.append(item)
    if items:
        blocks.append(Bullets(tuple(items)))
    names = sorted(
        {k.split(".")[2] for k in model if k.startswith("west.governments.")},
        key=lambda g: list(model).index(f"west.governments.{g}.weight"),
    )
    if names:
        blocks.append(
            Table(
                ("government", *(_header(f) for f in _GOVERNMENT_FIELDS)),
                _rows(
                    [g] + [_num(model.get(f"west.governments.{g}.{f}")) for f in _GOVERNMENT_FIELDS]
                    for g in names
                ),
                caption=("Western governments",),
            )
        )
    offers = results.parameters["offers"]
    blocks.append(
        Table(
            ("offer", *(_header(f) for f in _OFFER_FIELDS)),
            _rows(
                [plain_label(name)] + [_num(terms.get(f)) for f in _OFFER_FIELDS]
                for name, terms in offers.items()
            ),
            caption=("Offers on the table (alignment: 0 = Russia's sphere, 1 = fully Western)",),
        )
    )
    return blocks


def _header(field: str) -> str:
    """A table header in words: ``eu_membership`` -> ``EU membership``."""
    return in_sentence(plain_label(field))


def _offer(name: str) -> str:
    """``offer “Neutrality for guarantees”``, as the figures name it."""
    return in_sentence(offer_words(name))


def _offer_game(results: ScenarioResults) -> list[Block]:
    solutions = results.solutions
    if not solutions:
        return []
    blocks: list[Block] = [
        Heading(2, ("The offer game",)),
        Paragraph(
            (
                "Russia, sincere or a staller (who regroups during a pause and may break the "
                "deal), strong or weak, and only it knowing which, fights, talks, or (when the "
                "offer has a withdrawal cost) withdraws; each Western government eases or holds "
                "its sanctions and arms on what it believes; Ukraine accepts or not on what it "
                "believes (docs/offer_game.md). The selected equilibrium for each offer:",
            )
        ),
    ]
    for s in solutions:
        items: list[Text] = [(f"{actor}: {text}",) for actor, text in s.behaviour().items()]
        items.append(
            (
                f"Settlement {_pct(s.settlement_probability)}, a deal broken after the pause "
                f"{_pct(s.renewed_war_probability)}, war now {_pct(s.war_probability)}.",
            )
        )
        payoffs = ", ".join(f"{actor} {_num(v['expected'])}" for actor, v in s.payoffs.items())
        items.append((f"Expected payoffs (shares of the stake): {payoffs}.",))
        c = s.certificate
        items.append(
            (
                f"Certificate: largest gain from deviating {_num(c.regret, 2)} "
                f"(tolerance {_num(c.tolerance, 2)}): {_verdict(c.certified)}; {s.equilibria} "
                f"equilibri{'um' if s.equilibria == 1 else 'a'} found.",
            )
        )
        blocks += [Heading(3, (offer_words(s.offer), f": {s.regime}")), Bullets(tuple(items))]
    return blocks


def _comparison(c: Comparison) -> list[Block]:
    blocks: list[Block] = [Heading(2, (f"Buying time or genuine compromise? ({_offer(c.offer)})",))]
    if c.equilibrium is not None:
        blocks += _equilibrium(c.equilibrium)
    blocks += [
        Heading(3, (f"What-if rules ({c.periods} periods, {c.runs} runs)",)),
        Paragraph(
            (
                "Each row follows fixed strategies, whether or not they pay: what-if rules, not "
                "equilibria. 'settled' (a deal signed and kept to the horizon), 'broken' (signed, "
                "then broken) and 'war' (no deal by the horizon) are shares of runs. Payoffs here "
                "are expected discounted sums over the periods, not the offer game's shares of "
                "the stake: compare them with each other, not with those.",
            )
        ),
    ]
    if c.uncertain:
        drawn = ", ".join(in_sentence(plain_label(u["parameter"])) for u in c.uncertain)
        blocks.append(Paragraph((f"Drawn at random in each run: {drawn}.",)))
    # Who plays what is in the bullets below, in words; the table keeps to the numbers, so
    # that it fits the page beside the text.
    header = (
        "strategy",
        "payoff Russia",
        "payoff Ukraine",
        "payoff West",
        "settled",
        "broken",
        "war",
        "mean period of signing",
        "final Western cohesion (5-95%)",
        "final Russian capability",
    )
    rows = []
    for s in c.strategies:
        pay = s.expected_payoffs
        low, high = s.final_cohesion_bands[0], s.final_cohesion_bands[-1]
        rows.append(
            [
                _words(s.name),
                _num(pay["russia"]["all"]),
                _num(pay["ukraine"]["all"]),
                _num(pay["west"]["all"]),
                _pct(s.settled),
                _pct(s.broken),
                _pct(s.war),
                _num(s.mean_settlement_period, 2),
                f"{_num(s.final_cohesion)} ({_num(low)}-{_num(high)})",
                _num(s.final_capability),
            ]
        )
    blocks.append(Table(header, _rows(rows)))
    blocks.append(Paragraph(("What each actor does:",)))
    actors: list[Text] = []
    for s in c.strategies:
        parts = "; ".join(
            f"{actor.capitalize()} plays {_named(text)}" for actor, text in s.behaviour.items()
        )
        actors.append((Strong(_words(s.name)), f": {parts}."))
    if actors:
        blocks.append(Bullets(tuple(actors)))
    blocks += [Paragraph((f"Note: {note}",)) for note in c.notes]
    return blocks


def _named(text: str) -> str:
    """``buy_time: talks ...`` -> ``buy time: talks ...`` (strategies' names in words)."""
    return re.sub(r"\b[a-z]+(?:_[a-z]+)+(?=:)", lambda m: _words(m.group()), text)


def _equilibrium(eq: EquilibriumResult) -> list[Block]:
    """The buy-time game's equilibrium: the verdict, values by plan, outcomes by type."""
    cert = eq.certificate
    states = eq.states
    setup = eq.result.setup
    moves = "fights, talks or withdraws" if len(setup.messages) > 2 else "fights or talks"
    replies = (
        "signs, agrees a ceasefire or fights on"
        if setup.settings.ceasefire
        else "signs or fights on (no ceasefire option)"
    )
    header = (
        "Russia's type",
        "prior",
        "equilibrium",
        "compromise",
        "buying time",
        "settled",
        "broken",
        "war",
        "Russia has won",
    )
    outcomes = eq.outcomes()
    rows = [
        [
            t,
            _num(eq.prior[t]),
            _num(eq.values["equilibrium"][t]),
            _num(eq.values["compromise"][t]),
            _num(eq.values["buy_time"][t]),
            _pct(outcomes[t]["settled"]),
            _pct(outcomes[t]["broken"]),
            _pct(outcomes[t]["war"]),
            _pct(outcomes[t]["russia_wins"]),
        ]
        for t in eq.values["equilibrium"]
    ]
    path = eq.path_certificate
    return [
        Paragraph((Strong("Does buying time pay?"), f" {eq.verdict()}")),
        Paragraph(
            (
                f"The buy-time game over {eq.periods} periods: each period Russia {moves}; each "
                f"Western government holds or eases; after talks Ukraine {replies}; battles move "
                "the front and are evidence of Russia's type. Russia's value of three plans, "
                "each against the others' equilibrium play: the equilibrium itself, genuine "
                "compromise (the best plan that keeps any deal it signs) and buying time (the "
                "best plan that may break one after regrouping). Outcomes of equilibrium play "
                f"({eq.runs} runs per type): 'settled' (a deal signed and kept to the horizon), "
                "'broken' (signed, then broken), 'war' (no deal by the horizon).",
            )
        ),
        Table(header, _rows(rows)),
        Paragraph((Strong("First period."), f" {eq.first_period_text()}")),
        Paragraph(
            (
                f"Certificate: largest one-shot deviation gain {_num(cert.regret, 2)} (tolerance "
                f"{_num(cert.tolerance, 2)}): {_verdict(cert.certified)}; "
                f"{eq.unresolved_text()} found, {states['mixed']} a semi-separating one; at the "
                "states equilibrium play "
                f"passes the largest gain is {_num(path.regret, 2)}.",
            )
        ),
    ]


def _in_brief(results: ScenarioResults) -> list[Block]:
    """The result in a few plain sentences, each read off the numbers of a section below."""
    items: list[str] = []
    for s in results.solutions:
        items.append(
            f"{offer_words(s.offer)}: in the selected equilibrium ({s.regime}) a deal is "
            f"signed and kept with probability {_pct(s.settlement_probability)}, signed and "
            f"later broken {_pct(s.renewed_war_probability)}, and the war goes on "
            f"{_pct(s.war_probability)}."
        )
    for c in results.comparisons:
        if c.equilibrium is not None:
            items.append(f"Does buying time pay ({_offer(c.offer)})? {c.equilibrium.verdict()}")
        if len(c.strategies) > 1:
            kept = sorted(c.strategies, key=lambda st: st.settled, reverse=True)
            pays = sorted(
                c.strategies, key=lambda st: st.expected_payoffs["russia"]["all"], reverse=True
            )
            most, least = pays[0].expected_payoffs, pays[-1].expected_payoffs
            items.append(
                f"What-if rules ({_offer(c.offer)}; fixed strategies, not equilibria): "
                f"{_words(kept[0].name)} ends in a kept deal in {_pct(kept[0].settled)} of "
                f"runs, {_words(kept[-1].name)} in {_pct(kept[-1].settled)}; Russia's "
                f"expected payoff (a discounted sum) is highest under {_words(pays[0].name)} "
                f"({_num(most['russia']['all'])}) and lowest under {_words(pays[-1].name)} "
                f"({_num(least['russia']['all'])})."
            )
    for k, sw in enumerate(results.sweeps, 1):
        names = " and ".join(in_sentence(plain_label(a.parameter)) for a in sw.axes)
        if sw.is_bargaining:
            share = sw.columns["nonempty"].astype(bool).mean()
            items.append(
                f"Sweep {k}, over {names}: a settlement both sides prefer to war exists at "
                f"{_pct(share)} of the points."
            )
        elif sw.regimes():
            regime, share = next(iter(sw.regimes().items()))
            items.append(
                f"Sweep {k}, over {names}: the most common equilibrium is {regime} "
                f"({_pct(share)} of the grid)."
            )
    for k, mc in enumerate(results.monte_carlo, 1):
        if mc.regimes():
            regime, share = next(iter(mc.regimes().items()))
            items.append(
                f"Monte Carlo {k}, {mc.runs} draws: the most common equilibrium is {regime} "
                f"({_pct(share)} of draws)."
            )
    certificates = _certificate_summary(results)
    if certificates:
        items.append(certificates)
    if not items:
        return []
    return [Heading(2, ("In brief",)), Bullets(tuple((item,) for item in items))]


def _sweep(k: int, s: SweepResult) -> list[Block]:
    names = " and ".join(in_sentence(plain_label(a.parameter)) for a in s.axes)
    ranges = "; ".join(
        f"{in_sentence(plain_label(a.parameter))} from {_num(a.values[0])} to "
        f"{_num(a.values[-1])} ({len(a.values)} values)"
        for a in s.axes
    )
    added = " (added to draw the bargaining-range figure)" if s.implicit else ""
    items: list[str] = []
    if s.is_bargaining:
        nonempty = s.columns["nonempty"].astype(bool)
        beyond = s.columns["beyond_dominance"].astype(bool)
        items.append(
            f"A settlement both sides prefer to war exists at {_pct(nonempty.mean())} of the "
            f"points; one beyond Russia's dominance threshold at {_pct(beyond.mean())}."
        )
        if len(s.axes) == 1:
            values = s.axes[0].values
            for i in range(len(values) - 1):
                if nonempty[i] != nonempty[i + 1]:
                    state = "closes" if nonempty[i] else "opens"
                    items.append(
                        f"The bargaining range {state} between {_num(values[i])} and "
                        f"{_num(values[i + 1])}."
                    )
    else:
        for regime, share in s.regimes().items():
            items.append(f"{regime}: {_pct(share)} of the grid")
        for change in s.switches():
            a, b = change["between"]
            items.append(
                f"Between {_num(a)} and {_num(b)} the equilibrium changes from "
                f"{change['from']} to {change['to']}."
            )
        if s.certificate is not None:
            items.append(
                f"Largest regret on the grid {_num(s.certificate.regret, 2)}: "
                f"{_verdict(s.certificate.certified)}"
                + (f"; {s.unsolved} points without an equilibrium" if s.unsolved else "")
                + "."
            )
    items += [f"Note: {note}" for note in s.notes]
    blocks: list[Block] = [
        Heading(3, (f"Sweep {k}: {names}{added}",)),
        Paragraph((offer_words(s.offer), f"; {ranges}.")),
    ]
    if items:
        blocks.append(Bullets(tuple((item,) for item in items)))
    return blocks


def _monte_carlo(k: int, mc: MonteCarloResult) -> list[Block]:
    drawn = ", ".join(in_sentence(plain_label(u["parameter"])) for u in mc.uncertain)
    items = [f"{regime}: {_pct(share)} of draws" for regime, share in mc.regimes().items()]
    summary = mc.summary()
    for key, label in (
        ("settlement_probability", "Probability of a settlement"),
        ("renewed_war_probability", "Probability of a deal broken after the pause"),
        ("war_probability", "Probability of war now"),
    ):
        if key in summary:
            q = summary[key]
            items.append(
                f"{label}: mean {_num(q['mean'])}, 90% of draws between "
                f"{_num(q['q05'])} and {_num(q['q95'])}"
            )
    items += [f"Note: {note}" for note in mc.notes]
    blocks: list[Block] = [
        Heading(2, (f"Monte Carlo {k}: {mc.runs} draws of {drawn} ({_offer(mc.offer)})",))
    ]
    if items:
        blocks.append(Bullets(tuple((item,) for item in items)))
    return blocks


# ====================================================================== figures
#: ``figures`` as the writer gives it: figure name -> file names, or the records that
#: ``results.json`` lists (``{"name", "analysis", "files"}``), which also say what is drawn.
Figures = Mapping[str, Sequence[str]] | Iterable[Mapping[str, Any]]


def _figure_records(figures: Figures | None) -> list[tuple[str, tuple[str, ...], int | None]]:
    """(name, files, analysis index or None) of each figure."""
    if not figures:
        return []
    if isinstance(figures, Mapping):
        return [(name, tuple(files), None) for name, files in figures.items()]
    return [(f["name"], tuple(f["files"]), f.get("analysis")) for f in figures]


def _figure_subject(results: ScenarioResults, analysis: int | None) -> str:
    """`` (sweep 2, offer “Deal”)`` or `` (offer “Deal”)``: what a figure is of ('' if unknown)."""
    subject = next((a for a in results.analyses if a.index == analysis), None)
    offer = getattr(subject, "offer", None)
    if isinstance(subject, SweepResult):  # named as in its section: "Sweep 2"
        number = next(k for k, s in enumerate(results.sweeps, 1) if s is subject)
        return f" (sweep {number}, {_offer(offer)})"
    return f" ({_offer(offer)})" if offer else ""


def _figure_caption(results: ScenarioResults, kind: str, alt: str, analysis: int | None) -> Text:
    """``Paths: Western cohesion ... (offer “Deal”).``: what the figure shows, and of what."""
    from simulator.scenario.objects import FIGURES  # the scenario reference's words

    shows = FIGURES.get(kind)
    if shows is None:
        return ()
    return (f"{alt}: {shows}{_figure_subject(results, analysis)}.",)


def _figures(results: ScenarioResults, figures: Figures | None) -> list[Block]:
    records = _figure_records(figures)
    if not records:
        return []
    blocks: list[Block] = [Heading(2, ("Figures",))]
    for name, files, analysis in records:
        kind = name.rsplit("_", 1)[0] if name[-1].isdigit() else name
        alt = plain_label(kind)
        caption = _figure_caption(results, kind, alt, analysis)
        # the alt text names what the figure is of, so two figures of a kind differ
        blocks.append(Figure(name, files, alt + _figure_subject(results, analysis), caption))
    return blocks


# ====================================================================== certificates
def _certificate_rows(results: ScenarioResults) -> list[tuple[str, Any]]:
    """(what was certified, its certificate) for every certificate, in the order of the file."""
    rows: list[tuple[str, Any]] = []
    sweeps = monte_carlo = 0
    for a in results.analyses:
        if isinstance(a, SolveResult):
            rows += [(f"Offer game, {_offer(s.offer)}", s.certificate) for s in a.solutions]
        elif isinstance(a, Comparison) and a.equilibrium is not None:
            rows.append((f"Buy-time game, {_offer(a.offer)}", a.equilibrium.certificate))
        elif isinstance(a, SweepResult):
            sweeps += 1
            rows += [(f"Sweep {sweeps}, {_offer(a.offer)}", c) for c in a.certificates()]
        elif isinstance(a, MonteCarloResult):
            monte_carlo += 1
            rows += [(f"Monte Carlo {monte_carlo}, {_offer(a.offer)}", c) for c in a.certificates()]
    return rows


def _certificate_summary(results: ScenarioResults) -> str:
    """One sentence: whether every certificate holds (``""`` when there is none)."""
    certificates = results.certificates()
    if not certificates:
        return ""
    failed = [c for c in certificates if not c.certified]
    worst = max((c.regret for c in certificates if math.isfinite(c.regret)), default=0.0)
    if failed:
        summary = (
            f"{len(failed)} of {len(certificates)} certificates do NOT hold: treat those "
            "results as approximate."
        )
    else:
        n = len(certificates)
        held = {1: "The one certificate holds", 2: "Both certificates hold"}.get(
            n, f"All {n} certificates hold"
        )
        summary = (
            f"{held}: no player gains more than the tolerance by deviating (largest regret "
            f"{_num(worst, 2)})."
        )
    return summary


def _certificates(results: ScenarioResults) -> list[Block]:
    summary = _certificate_summary(results)
    if not summary:
        return []
    table = Table(
        ("result", "certified", "largest gain from deviating", "tolerance"),
        _rows(
            [what, "yes" if c.certified else "NO", _num(c.regret, 2), _num(c.tolerance, 2)]
            for what, c in _certificate_rows(results)
        ),
    )
    return [Heading(2, ("Certificates",)), Paragraph((summary,)), table]


# ====================================================================== the page
def briefing_blocks(
    results: ScenarioResults,
    figures: Figures | None = None,
    notes: Iterable[str] = (),
) -> list[Block]:
    """The briefing of ``results`` as blocks: every sentence of both briefings, written once.

    Parameters
    ----------
    results : ScenarioResults
    figures : mapping or iterable, optional
        Figure name -> its file names, or the figure records of ``results.json``
        (``{"name", "analysis", "files"}``), which also say what each figure draws (its
        caption names the offer).
    notes : iterable of str
        Added to the results' own notes (e.g. the writer's notes on skipped figures).

    Returns
    -------
    list of Block
        Headings, paragraphs, lists, tables and figures (:mod:`simulator.report.blocks`).

    Examples
    --------
    >>> from simulator.scenario import parse_scenario
    >>> from simulator.analysis import run_scenario
    >>> s = parse_scenario("title: Words only\\noffers: {deal: {alignment: 0.3}}\\n"
    ...                    "analyses: [{solve: offer_game}]")
    >>> [b.text[0] for b in briefing_blocks(run_scenario(s)) if isinstance(b, Heading)][:3]
    ['Words only', 'In brief', 'Assumptions']
    """
    source: Text = (" from ", Code(results.source)) if results.source else ()
    blocks: list[Block] = [Heading(1, (results.title,))]
    description = results.description.strip()
    if description:
        blocks += [Paragraph((p.strip(),)) for p in re.split(r"\n\s*\n", description)]
    blocks.append(
        Paragraph(
            (
                f"Generated by simulator {results.version}",
                *source,
                f", seed {results.seed}"
                + (" (fast mode: shrunk for speed, not for briefings)" if results.fast else "")
                + ".",
            )
        )
    )
    blocks += _in_brief(results)
    blocks += _assumptions(results)
    blocks += _offer_game(results)
    for c in results.comparisons:
        blocks += _comparison(c)
    if results.sweeps:
        blocks.append(Heading(2, ("Sweeps",)))
        for k, s in enumerate(results.sweeps, 1):
            blocks += _sweep(k, s)
    for k, mc in enumerate(results.monte_carlo, 1):
        blocks += _monte_carlo(k, mc)
    blocks += _figures(results, figures)
    blocks += _certificates(results)
    all_notes = [*results.notes, *notes]
    if all_notes:
        blocks += [Heading(2, ("Notes",)), Bullets(tuple((n,) for n in all_notes))]
    return blocks


def briefing_markdown(
    results: ScenarioResults,
    figures: Figures | None = None,
    notes: Iterable[str] = (),
) -> str:
    """The Markdown briefing of ``results`` (``briefing.md``).

    Parameters
    ----------
    results : ScenarioResults
    figures : mapping or iterable, optional
        As for :func:`briefing_blocks`.
    notes : iterable of str
        Added to the results' own notes.

    Returns
    -------
    str
        Markdown text; figures are images beside it (``![Paths](paths.png)``).

    Examples
    --------
    >>> from simulator.scenario import parse_scenario
    >>> from simulator.analysis import run_scenario
    >>> s = parse_scenario("title: Words only\\noffers: {deal: {alignment: 0.3}}\\n"
    ...                    "analyses: [{solve: offer_game}]")
    >>> text = briefing_markdown(run_scenario(s))
    >>> text.splitlines()[0], "## The offer game" in text
    ('# Words only', True)
    """
    return render_markdown(briefing_blocks(results, figures, notes))


def briefing_html(
    results: ScenarioResults,
    figures: Figures | None = None,
    notes: Iterable[str] = (),
    folder: str | os.PathLike[str] | None = None,
) -> str:
    """The briefing of ``results`` as one self-contained HTML page (``briefing.html``).

    The same blocks, so the same sentences, as :func:`briefing_markdown`.

    Parameters
    ----------
    results : ScenarioResults
    figures : mapping or iterable, optional
        As for :func:`briefing_blocks`.
    notes : iterable of str
        Added to the results' own notes.
    folder : path, optional
        Where the figures were saved: each is read from there and inlined as SVG (or, with
        no SVG file, embedded as PNG). Without it, the page links the figure files.

    Returns
    -------
    str
        The page (:func:`simulator.report.html_page.render_html`).

    Examples
    --------
    >>> from simulator.scenario import parse_scenario
    >>> from simulator.analysis import run_scenario
    >>> s = parse_scenario("title: Words & deeds\\noffers: {deal: {alignment: 0.3}}\\n"
    ...                    "analyses: [{solve: offer_game}]")
    >>> page = briefing_html(run_scenario(s))
    >>> page.startswith("<!DOCTYPE html>"), "<h1>Words &amp; deeds</h1>" in page
    (True, True)
    """
    from simulator.report.html_page import render_html

    return render_html(briefing_blocks(results, figures, notes), results.title, folder)
