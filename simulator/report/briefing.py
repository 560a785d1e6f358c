"""``briefing.md``: the results of a scenario in plain words, with the figures embedded.

The briefing states the assumptions (the key parameter values in plain words, each marked
when the scenario changed it from the model default, and the offers), the equilibrium of the
offer game for each offer, and for each compared strategy the behaviour of every actor, the
expected payoffs, the probability and timing of a settlement and the final Western cohesion
and Russian capability; then what the sweeps and Monte Carlo draws show, the figures, and
the certificates.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from simulator.analysis.results import (
    Comparison,
    EquilibriumResult,
    ScenarioResults,
    SweepResult,
)
from simulator.plots.style import in_sentence, plain_label

__all__ = ["KEY_PARAMETERS", "briefing_markdown"]

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


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines + [""]


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
def _assumptions(results: ScenarioResults) -> list[str]:
    model = results.parameters["model"]
    formulas = results.parameters.get("formulas", {})
    defaults, units = _defaults(), _units()
    lines = [
        "## Assumptions",
        "",
        "Values the scenario sets are in bold; the others are the model's defaults. Payoffs "
        "are in shares of the stake (the whole issue at dispute = 1).",
        "",
    ]
    # the key parameters, then every other one the scenario sets (e.g. the leader's terms)
    others = [
        name
        for name, value in model.items()
        if name not in KEY_PARAMETERS
        and not name.startswith("west.governments.")
        and (name not in defaults or defaults[name] != value)
    ]
    for name in (*KEY_PARAMETERS, *others):
        if name not in model:
            continue
        value = model[name]
        changed = name not in defaults or defaults[name] != value
        shown = f"**{_num(value)}**" if changed else _num(value)
        # Parenthetical glosses ("(the whole issue = 1)") are explained once, above.
        unit = re.sub(r"\s*\(.*?\)", "", units.get(name, "")).strip()
        extra = f" ({unit})" if unit and not isinstance(value, str) else ""
        if name in formulas:
            extra += f", from the formula `{formulas[name]}`"
        lines.append(f"- {plain_label(name)}: {shown}{extra}")
    lines.append("")
    names = sorted(
        {k.split(".")[2] for k in model if k.startswith("west.governments.")},
        key=lambda g: list(model).index(f"west.governments.{g}.weight"),
    )
    if names:
        lines += ["Western governments:", ""]
        header = ["government"] + [f.replace("_", " ") for f in _GOVERNMENT_FIELDS]
        rows = [
            [g] + [_num(model.get(f"west.governments.{g}.{f}")) for f in _GOVERNMENT_FIELDS]
            for g in names
        ]
        lines += _table(header, rows)
    offers = results.parameters["offers"]
    lines += ["Offers on the table (alignment: 0 = Russia's sphere, 1 = fully Western):", ""]
    header = ["offer"] + [f.replace("_", " ") for f in _OFFER_FIELDS]
    rows = [[name] + [_num(terms.get(f)) for f in _OFFER_FIELDS] for name, terms in offers.items()]
    lines += _table(header, rows)
    return lines


def _offer_game(results: ScenarioResults) -> list[str]:
    solutions = results.solutions
    if not solutions:
        return []
    lines = [
        "## The offer game",
        "",
        "Russia, sincere or a staller (who regroups during a pause and may break the deal), "
        "strong or weak, and only it knowing which, fights, talks, or (when the offer has a "
        "withdrawal cost) withdraws; each Western government eases or holds its sanctions and "
        "arms on what it believes; Ukraine accepts or not on what it believes "
        "(docs/offer_game.md). The selected equilibrium for each offer:",
        "",
    ]
    for s in solutions:
        behaviour = s.behaviour()
        lines += [f"### Offer `{s.offer}`: {s.regime}", ""]
        for actor, text in behaviour.items():
            lines.append(f"- {actor}: {text}")
        lines.append(
            f"- Settlement {_pct(s.settlement_probability)}, a deal broken after the pause "
            f"{_pct(s.renewed_war_probability)}, war now {_pct(s.war_probability)}."
        )
        payoffs = ", ".join(f"{actor} {_num(v['expected'])}" for actor, v in s.payoffs.items())
        lines.append(f"- Expected payoffs: {payoffs}.")
        c = s.certificate
        verdict = "certified" if c.certified else "NOT certified"
        lines += [
            f"- Certificate: largest gain from deviating {_num(c.regret, 2)} "
            f"(tolerance {_num(c.tolerance, 2)}): {verdict}; {s.equilibria} equilibri"
            f"{'um' if s.equilibria == 1 else 'a'} found.",
            "",
        ]
    return lines


def _comparison(c: Comparison, figures: Mapping[str, list[str]]) -> list[str]:
    lines = [f"## Buying time or genuine compromise? (offer `{c.offer}`)", ""]
    if c.equilibrium is not None:
        lines += _equilibrium(c.equilibrium)
    lines += [
        f"### What-if rules ({c.periods} periods, {c.runs} runs)",
        "",
        "Each row follows fixed strategies, whether or not they pay: what-if rules, not "
        "equilibria. 'settled', 'broken' and 'war' mean what they mean above.",
        "",
    ]
    if c.uncertain:
        drawn = ", ".join(in_sentence(plain_label(u["parameter"])) for u in c.uncertain)
        lines += [f"Drawn at random in each run: {drawn}.", ""]
    header = [
        "strategy",
        "Russia",
        "West",
        "Ukraine",
        "payoff Russia",
        "payoff Ukraine",
        "payoff West",
        "settled",
        "broken",
        "war",
        "mean period of signing",
        "final Western cohesion (5-95%)",
        "final Russian capability",
    ]
    rows = []
    for s in c.strategies:
        p = s.profile
        russia = (
            p["russia"]
            if p["sincere_russia"] == p["russia"]
            else (f"sincere {p['sincere_russia']}, staller {p['russia']}")
        )
        pay = s.expected_payoffs
        low, high = s.final_cohesion_bands[0], s.final_cohesion_bands[-1]
        rows.append(
            [
                s.name,
                russia,
                p["west"],
                p["ukraine"],
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
    lines += _table(header, rows)
    lines += ["What each actor does:", ""]
    for s in c.strategies:
        parts = "; ".join(
            f"{actor.capitalize()} plays {text}" for actor, text in s.behaviour.items()
        )
        lines.append(f"- **{s.name}**: {parts}.")
    lines.append("")
    for note in c.notes:
        lines.append(f"Note: {note}")
    if c.notes:
        lines.append("")
    return lines



def _equilibrium(eq: EquilibriumResult) -> list[str]:
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
    lines = [
        f"**Does buying time pay?** {eq.verdict()}",
        "",
        f"The buy-time game over {eq.periods} periods: each period Russia {moves}; each "
        f"Western government holds or eases; after talks Ukraine {replies}; battles move the "
        "front and are evidence of Russia's type. "
        "Russia's value of three plans, each against the others' equilibrium play: the "
        "equilibrium itself, genuine compromise (the best plan that keeps any deal it signs) "
        "and buying time (the best plan that may break one after regrouping). Outcomes of "
        f"equilibrium play ({eq.runs} runs per type): 'settled' (a deal signed and kept to the "
        "horizon), 'broken' (signed, then broken), 'war' (no deal by the horizon).",
        "",
    ]
    header = [
        "Russia's type",
        "prior",
        "equilibrium",
        "compromise",
        "buying time",
        "settled",
        "broken",
        "war",
        "Russia has won",
    ]
    outcomes = eq.outcomes()
    rows = [
        [
            t,
            _num(eq.prior[t], 2),
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
    lines += _table(header, rows)
    path = eq.path_certificate
    lines += [
        f"Certificate: largest one-shot deviation gain {_num(cert.regret, 2)} (tolerance "
        f"{_num(cert.tolerance, 2)}): {'certified' if cert.certified else 'NOT certified'}; "
        f"{states['unresolved']} of {states['total']} states have no exact equilibrium found, "
        f"{states['mixed']} a semi-separating one; at the states equilibrium play passes the "
        f"largest gain is {_num(path.regret, 2)}.",
        "",
    ]
    return lines

def _sweep(k: int, s: SweepResult) -> list[str]:
    names = " and ".join(in_sentence(plain_label(_label(a.parameter))) for a in s.axes)
    ranges = "; ".join(
        f"{a.parameter} from {_num(a.values[0])} to {_num(a.values[-1])} ({len(a.values)} values)"
        for a in s.axes
    )
    added = " (added to draw the bargaining-range figure)" if s.implicit else ""
    lines = [f"### Sweep {k}: {names}{added}", "", f"Offer `{s.offer}`; {ranges}.", ""]
    if s.is_bargaining:
        nonempty = s.columns["nonempty"].astype(bool)
        beyond = s.columns["beyond_dominance"].astype(bool)
        lines.append(
            f"- A settlement both sides prefer to war exists at {_pct(nonempty.mean())} of the "
            f"points; one beyond Russia's dominance threshold at {_pct(beyond.mean())}."
        )
        if len(s.axes) == 1:
            values = s.axes[0].values
            for i in range(len(values) - 1):
                if nonempty[i] != nonempty[i + 1]:
                    state = "closes" if nonempty[i] else "opens"
                    lines.append(
                        f"- The bargaining range {state} between {_num(values[i])} and "
                        f"{_num(values[i + 1])}."
                    )
    else:
        for regime, share in s.regimes().items():
            lines.append(f"- {regime}: {_pct(share)} of the grid")
        for change in s.switches():
            a, b = change["between"]
            lines.append(
                f"- Between {_num(a)} and {_num(b)} the equilibrium changes from "
                f"{change['from']} to {change['to']}."
            )
        if s.certificate is not None:
            verdict = "certified" if s.certificate.certified else "NOT certified"
            lines.append(
                f"- Largest regret on the grid {_num(s.certificate.regret, 2)}: {verdict}"
                + (f"; {s.unsolved} points without an equilibrium" if s.unsolved else "")
                + "."
            )
    for note in s.notes:
        lines.append(f"- Note: {note}")
    return lines + [""]


def _label(name: str) -> str:
    parts = name.split(".")
    return f"offer.{parts[2]}" if parts[0] == "offers" and len(parts) == 3 else name


def _figures(figures: Mapping[str, list[str]]) -> list[str]:
    if not figures:
        return []
    lines = ["## Figures", ""]
    for name, files in figures.items():
        image = next((f for f in files if f.endswith((".png", ".svg"))), None)
        if image:
            lines += [
                f"![{plain_label(name.rsplit('_', 1)[0] if name[-1].isdigit() else name)}]"
                f"({image})",
                "",
            ]
        else:
            lines += [f"- {name}: " + ", ".join(f"[{f}]({f})" for f in files), ""]
    return lines


# ====================================================================== the page
def briefing_markdown(
    results: ScenarioResults, figures: Mapping[str, list[str]] | None = None
) -> str:
    """The Markdown briefing of ``results``; ``figures`` maps a figure to its file names.

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
    figures = dict(figures or {})
    source = f" from `{results.source}`" if results.source else ""
    lines = [f"# {results.title}", ""]
    if results.description.strip():
        lines += [results.description.strip(), ""]
    lines += [
        f"Generated by simulator {results.version}{source}, seed {results.seed}"
        + (" (fast mode: shrunk for speed, not for briefings)" if results.fast else "")
        + ".",
        "",
    ]
    lines += _assumptions(results)
    lines += _offer_game(results)
    for c in results.comparisons:
        lines += _comparison(c, figures)
    if results.sweeps:
        lines += ["## Sweeps", ""]
        for k, s in enumerate(results.sweeps, 1):
            lines += _sweep(k, s)
    for k, mc in enumerate(results.monte_carlo, 1):
        drawn = ", ".join(u["parameter"] for u in mc.uncertain)
        lines += [f"## Monte Carlo {k}: {mc.runs} draws of {drawn} (offer `{mc.offer}`)", ""]
        for regime, share in mc.regimes().items():
            lines.append(f"- {regime}: {_pct(share)} of draws")
        summary = mc.summary()
        for key, label in (
            ("settlement_probability", "Probability of a settlement"),
            ("renewed_war_probability", "Probability of a deal broken after the pause"),
            ("war_probability", "Probability of war now"),
        ):
            if key in summary:
                q = summary[key]
                lines.append(
                    f"- {label}: mean {_num(q['mean'])}, 90% of draws between "
                    f"{_num(q['q05'])} and {_num(q['q95'])}"
                )
        for note in mc.notes:
            lines.append(f"- Note: {note}")
        lines.append("")
    lines += _figures(figures)
    certificates = results.certificates()
    if certificates:
        failed = [c for c in certificates if not c.certified]
        worst = max((c.regret for c in certificates if math.isfinite(c.regret)), default=0.0)
        lines += ["## Certificates", ""]
        if failed:
            lines.append(
                f"{len(failed)} of {len(certificates)} certificates do NOT hold: treat those "
                "results as approximate."
            )
        else:
            lines.append(
                f"All {len(certificates)} certificates hold: no player gains more than the "
                f"tolerance by deviating (largest regret {_num(worst, 2)})."
            )
        lines.append("")
    if results.notes:
        lines += ["## Notes", ""] + [f"- {note}" for note in results.notes] + [""]
    return "\n".join(lines).rstrip("\n") + "\n"
