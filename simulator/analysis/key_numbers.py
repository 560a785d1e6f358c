"""A scenario's headline numbers under stable names, and those names in words.

``simulator compare`` lines two scenarios up by these names, so only like is set beside like:
an offer's numbers beside the same offer's, a strategy's beside the same strategy's, a sweep's
beside a sweep over the same parameters. :func:`key_label` turns a name into the words the
terminal prints; the names themselves (``comparison.csv``, :meth:`ScenarioResults.key_numbers`)
stay stable for scripts.
"""

from __future__ import annotations

from typing import Any

from simulator.analysis.labels import in_sentence, plain_label

__all__ = ["ACTORS", "LEGEND", "key_label", "key_numbers"]

#: The actors whose payoffs the comparisons report.
ACTORS = ("russia", "ukraine", "west")

#: The offer game's outcome probabilities under the names the comparisons use.
_OUTCOMES = {
    "settlement_probability": "settled",
    "renewed_war_probability": "broken",
    "war_probability": "war",
}
#: The what-if rules' other run shares: a deal signed (kept or not) and a war resumed (after
#: talks or after a deal) are not the outcomes settled and broken, which they report besides.
_SIMULATED = {
    "settlement_probability": "deal signed (kept or broken)",
    "renewed_war_probability": "war resumed (after talks or a deal)",
}
#: Payoffs are on two scales: the offer game's are shares of the stake (one game), the
#: comparisons' are expected discounted sums over the periods simulated.
_PAYOFF_SCALE = {"offer_game": "share of the stake", "compare": "discounted sum"}
#: What a reader needs to read the quantities (printed under a comparison).
LEGEND = (
    "settled: a deal is signed and kept; broken: a deal is signed, then broken; war: no deal "
    "(probabilities in the offer game, shares of runs in the what-if rules). Offer-game "
    "payoffs are shares of the stake; what-if payoffs are discounted sums over the periods."
)


def key_numbers(results: Any) -> dict[str, Any]:
    """The headline numbers of ``results`` (a :class:`ScenarioResults`) by stable name.

    Names: ``offer_game.<offer>.<quantity>``, ``compare.<strategy>.<quantity>``,
    ``equilibrium.<quantity>``, ``sweep(<parameters>).most_common_regime`` (sweeps over other
    parameters get other names, so they are never set side by side) and
    ``monte_carlo(<parameters>).settlement_probability.mean``. Later analyses of the same kind
    and name win.

    Parameters
    ----------
    results : ScenarioResults
        From :func:`simulator.analysis.run_scenario`.

    Returns
    -------
    dict of str to number or str
        In the order of the analyses.
    """
    out: dict[str, Any] = {}
    for s in results.solutions:
        out[f"offer_game.{s.offer}.regime"] = s.regime
        for key in ("settlement_probability", "renewed_war_probability", "war_probability"):
            out[f"offer_game.{s.offer}.{key}"] = getattr(s, key)
        for actor in ("Russia", "Ukraine"):
            out[f"offer_game.{s.offer}.payoff.{actor.lower()}"] = s.payoffs[actor]["expected"]
    for c in results.comparisons:
        for st in c.strategies:
            head = f"compare.{st.name}"
            for actor in ACTORS:
                out[f"{head}.payoff.{actor}"] = st.expected_payoffs[actor]["all"]
            out[f"{head}.settlement_probability"] = st.settlement_probability
            out[f"{head}.mean_settlement_period"] = st.mean_settlement_period
            out[f"{head}.renewed_war_probability"] = st.renewed_war_probability
            out[f"{head}.final_cohesion"] = st.final_cohesion
            out[f"{head}.final_capability"] = st.final_capability
            for name in ("settled", "broken", "war"):
                out[f"{head}.{name}"] = getattr(st, name)
        if c.equilibrium is not None:
            for t, pays in c.equilibrium.buy_time_pays.items():
                out[f"equilibrium.buy_time_pays.{t}"] = pays
            for name, p in c.equilibrium.outcome().items():
                out[f"equilibrium.{name}"] = p
    for sw in results.sweeps:
        regimes = sw.regimes()
        if regimes:
            top = next(iter(regimes))
            over = ", ".join(a.parameter for a in sw.axes)
            out[f"sweep({over}).most_common_regime"] = f"{top} ({regimes[top]:.0%})"
    for mc in results.monte_carlo:
        summary = mc.summary().get("settlement_probability")
        if summary:
            over = ", ".join(sorted(mc.draws))
            out[f"monte_carlo({over}).settlement_probability.mean"] = summary["mean"]
    return out


def key_label(key: str) -> tuple[str, str]:
    """The group and the words of a :func:`key_numbers` name, for a table a student reads.

    Parameters
    ----------
    key : str
        A name from :func:`key_numbers`.

    Returns
    -------
    (str, str)
        The group (the offer, strategy or analysis it belongs to) and the quantity in words
        (:func:`simulator.analysis.labels.plain_label`; :data:`LEGEND` explains them).

    Examples
    --------
    >>> key_label("offer_game.neutrality_outside_eu.settlement_probability")
    ('Offer game: Neutrality outside EU', 'settled')
    >>> key_label("compare.buy_time.payoff.russia")
    ('What-if rule: Buy time', 'payoff Russia (discounted sum)')
    >>> key_label("compare.buy_time.settlement_probability")
    ('What-if rule: Buy time', 'deal signed (kept or broken)')
    >>> key_label("sweep(russia.great_power_status).most_common_regime")
    ('Sweep over great-power status premium', 'most common regime')
    """
    if key.startswith(("sweep(", "monte_carlo(")):
        kind, rest = key.split("(", 1)
        over, quantity = rest.split(").", 1)
        names = " x ".join(in_sentence(plain_label(p)) for p in over.split(", ") if p)
        group = ("Sweep over " if kind == "sweep" else "Monte Carlo over ") + (names or "draws")
        head, _, tail = quantity.partition(".")
        words = _OUTCOMES.get(head) or in_sentence(plain_label(head))
        return group, words + (f" ({tail})" if tail else "")
    parts = key.split(".")
    kind = parts[0]
    if kind == "equilibrium":
        group = "Buy-time equilibrium"
        if parts[1] == "buy_time_pays":
            return group, f"buying time pays the {plain_label(parts[2]).lower()}"
        return group, _OUTCOMES.get(parts[1]) or in_sentence(plain_label(parts[1]))
    name, quantity = parts[1], parts[2:]
    group = {"offer_game": "Offer game", "compare": "What-if rule"}.get(kind, kind)
    group = f"{group}: {plain_label(name)}"
    if quantity[0] == "payoff":
        actor = in_sentence(plain_label(quantity[1]))
        return group, f"payoff {actor} ({_PAYOFF_SCALE.get(kind, '')})"
    if kind == "compare" and quantity[0] in _SIMULATED:
        return group, _SIMULATED[quantity[0]]
    return group, _OUTCOMES.get(quantity[0]) or in_sentence(plain_label(quantity[0]))
