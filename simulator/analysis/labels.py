"""Plain words for the names of parameters, quantities, strategies and actors, with units.

One place for every label a reader sees: the terminal, the briefing and the figures all call
:func:`plain_label`, :func:`axis_label` and :func:`unit_text`. Units and descriptions come from
the parameter specs of the model (:mod:`simulator.model.parameters`); the tables below only
hold what the specs cannot say (shorter words for axes, units of derived quantities).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

__all__ = [
    "PLAIN_LABELS",
    "axis_label",
    "in_sentence",
    "plain_label",
    "plain_parameter",
    "unit_text",
]

#: Plain words for parameter, quantity, strategy, actor and outcome names.
PLAIN_LABELS: dict[str, str] = {
    # Russia
    "russia.great_power_status": "Great-power status premium",
    "russia.dominance_threshold": "Alignment Russia tolerates (dominance threshold)",
    "russia.status_loss_span": "Alignment over which Russia loses its status premium",
    "russia.sanctions_cost": "Cost of sanctions to Russia",
    "russia.war_cost": "Russia's cost of war",
    "russia.capability": "Russian military capability",
    "russia.weak_capability_share": "Capability of a weak Russia (share of a strong one's)",
    "russia.prior_strong": "Prior belief that Russia is strong",
    "russia.capability_ceiling": "Capability Russia can restore",
    "russia.regroup_rate_sincere": "Regrouping speed of a sincere Russia",
    "russia.regroup_rate_staller": "Regrouping speed of a stalling Russia",
    "russia.discount_factor": "Russia's patience (discount factor)",
    "russia.prior_sincere": "Prior belief that Russia is sincere",
    "russia.optimism": "Russian optimism about winning",
    "russia.audience_cost": "Russian leadership's cost of conceding status",
    "russia.leader.office_value": "Leader's value of staying in office",
    "russia.leader.punishment": "Leader's cost of being removed",
    "russia.leader.removal_if_settle": "Risk of removal after a compromise",
    "russia.leader.removal_if_win": "Risk of removal after victory",
    "russia.leader.removal_if_lose": "Risk of removal after defeat",
    "russia.leader.removal_while_fighting": "Risk of removal in a period of war",
    # Ukraine
    "ukraine.war_cost": "Ukraine's cost of war",
    "ukraine.capability": "Ukrainian military capability",
    "ukraine.discount_factor": "Ukraine's patience (discount factor)",
    "ukraine.audience_cost": "Ukrainian government's cost of ceding territory",
    "ukraine.resolve": "Value Ukraine puts on winning",
    # the West
    "west.western_cohesion": "Western cohesion",
    "west.cohesion_threshold": "Support needed to keep the coalition together",
    "west.security_guarantee_credibility": "Credibility of Western security guarantees",
    "west.arms_support": "Boost to Ukraine's capability from Western arms",
    "west.periods_of_war": "Periods of war before the offer",
    "territory_weight": "Share of the stake that is territory",
    "contest_exponent": "Decisiveness of military advantage",
    # offers
    "offer.alignment": "Ukraine's Western alignment under the offer",
    "offer.security_guarantees": "Strength of security guarantees",
    "offer.territory": "Share of contested territory Russia keeps",
    "offer.sanctions_relief": "Share of sanctions lifted",
    "offer.withdrawal_cost": "Cost of a verified Russian withdrawal",
    # quantities on paths and axes
    "alignment": "Ukraine's Western alignment",
    "cohesion": "Western cohesion",
    "capability": "Russian military capability",
    "belief": "West's belief that Russia is sincere",
    "front": "Front line",
    "sanctions": "Sanctions in force",
    "period": "Period",
    "win_probability": "Russia's chance of winning",
    "settlement_probability": "Probability of a settlement",
    "war_probability": "Probability of war",
    "renewed_war_probability": "Probability of renewed war",
    # strategies
    "buy_time": "Buy time",
    "genuine_compromise": "Genuine compromise",
    "fight_on": "Fight on",
    # actors and outcomes
    "russia": "Russia",
    "ukraine": "Ukraine",
    "west": "The West",
    "settlement": "Settlement",
    "settled": "Settled",
    "stalling": "Stalling",
    "broken": "Broken",
    "war": "War",
    "renewed_war": "Renewed war",
}

#: Units to show instead of the parameter spec's (empty: none, e.g. where the label names it),
#: and the units of the quantities that are not parameters (paths, probabilities, periods).
_UNIT_OVERRIDES: dict[str, str] = {
    "russia.discount_factor": "",
    "ukraine.discount_factor": "",
    "contest_exponent": "contest exponent",
    "offer.security_guarantees": "share of a power shift neutralised",
    "russia.regroup_rate_sincere": "share of the gap restored per period",
    "russia.regroup_rate_staller": "share of the gap restored per period",
    "belief": "probability",
    "win_probability": "probability",
    "settlement_probability": "probability",
    "war_probability": "probability",
    "renewed_war_probability": "probability",
    "sanctions": "share of full sanctions",
    "front": "position (0 = Ukraine prevails)",
    "period": "rounds of talks or fighting",
}

#: Path quantities measured in the unit of a model parameter (their unit is that spec's).
_QUANTITY_SPECS: dict[str, str] = {
    "alignment": "offer.alignment",
    "cohesion": "west.western_cohesion",
    "capability": "russia.capability",
}

#: What a unit that the label already says is shown as ("Share of sanctions lifted (share)").
_UNIT_KINDS: dict[str, str] = {
    "share": "share",
    "probability": "probability",
    "relative": "relative units",
}

_GOVERNMENT_LABELS: dict[str, str] = {
    "weight": "weight in the coalition",
    "sanctions_burden": "own cost of sanctioning",
    "value_of_success": "value of Ukraine's success",
    "audience_cost": "cost of reneging on support",
    "fatigue_rate": "growth of sanctions fatigue",
    "defection_threshold": "defection threshold",
}

#: Words kept capitalised when a label moves into the middle of a sentence.
_PROPER = ("Russia", "Russian", "Ukraine", "Ukrainian", "West", "Western", "NATO", "EU")
#: Abbreviations written in capitals when a code name such as ``neutrality_outside_eu`` is
#: turned into words (names the scenario writes, such as ``US``, keep their own spelling).
_ABBREVIATIONS = ("eu", "nato", "us", "uk", "un", "osce", "g7")


def plain_parameter(name: str) -> str:
    """The parameter a named offer's field stands for: ``offers.x.f`` -> ``offer.f``.

    Parameters
    ----------
    name : str
        A dotted parameter name.

    Returns
    -------
    str
        The name the labels and the parameter specs know (other names unchanged).

    Examples
    --------
    >>> plain_parameter("offers.neutrality.alignment"), plain_parameter("russia.war_cost")
    ('offer.alignment', 'russia.war_cost')
    """
    parts = name.split(".")
    if parts[0] == "offers" and len(parts) == 3:
        return f"offer.{parts[2]}"
    return name


def plain_label(name: str) -> str:
    """Plain words for a parameter, quantity, strategy or actor name.

    Dotted parameter names come from a dictionary of plain labels, then from the parameter's
    description in the negotiation model or the offer; snake_case names lose their
    underscores; anything else (already plain words) only gets a capital first letter.

    Parameters
    ----------
    name : str
        A dotted parameter name (``"russia.war_cost"``, ``"offers.<offer>.<field>"``,
        ``"west.governments.<name>.<field>"``), a quantity, strategy or actor name, or words.

    Returns
    -------
    str
        The label, starting with a capital letter.

    Raises
    ------
    TypeError
        If ``name`` is not a string.

    Examples
    --------
    >>> plain_label("russia.great_power_status")
    'Great-power status premium'
    >>> plain_label("west.governments.Germany.sanctions_burden")
    'Germany: own cost of sanctioning'
    >>> plain_label("buy_time")
    'Buy time'
    >>> plain_label("Western cohesion"), plain_label("pooling: sincere war")
    ('Western cohesion', 'Pooling: sincere war')
    """
    if not isinstance(name, str):
        raise TypeError(f"a label must be a string; got {name!r}")
    if name in PLAIN_LABELS:
        return PLAIN_LABELS[name]
    if plain_parameter(name) != name:  # a field of one named offer reads as the offer's field
        return plain_label(plain_parameter(name))
    government = re.fullmatch(r"west\.governments\.(.+)\.([a-z_]+)", name)
    if government and government.group(2) in _GOVERNMENT_LABELS:
        return f"{government.group(1)}: {_GOVERNMENT_LABELS[government.group(2)]}"
    spec = _spec(name)
    if spec is not None and spec.description:
        return _sentence_case(spec.description)
    if "." in name:
        head, _, tail = name.rpartition(".")
        owner = PLAIN_LABELS.get(head.split(".")[0], _words(head.split(".")[0]))
        return f"{_sentence_case(owner)}: {_words(tail)}"
    return _sentence_case(_words(name))


def _words(name: str) -> str:
    """``neutrality_outside_eu`` -> ``neutrality outside EU`` (abbreviations in capitals)."""
    if "_" not in name and " " in name:
        return name  # already words: keep them as written
    return " ".join(
        w.upper() if w.lower() in _ABBREVIATIONS else w for w in name.replace("_", " ").split(" ")
    )


def axis_label(name: str, unit: bool = True) -> str:
    """:func:`plain_label` plus the unit in brackets (:func:`unit_text`), when there is one.

    Parameters
    ----------
    name : str
        A dotted parameter name, a quantity, strategy or actor name, or words.
    unit : bool, optional
        Whether to add the unit (default True); without it, the label alone.

    Returns
    -------
    str
        ``"<label> (<unit>)"``, or the label alone where there is no unit.

    Raises
    ------
    TypeError
        If ``name`` is not a string.

    Examples
    --------
    >>> axis_label("russia.great_power_status")
    'Great-power status premium (share of the stake)'
    >>> axis_label("west.western_cohesion")
    'Western cohesion (share of full cohesion)'
    >>> axis_label("russia.capability")
    'Russian military capability (relative units)'
    >>> axis_label("offer.sanctions_relief")
    'Share of sanctions lifted (share)'
    >>> axis_label("west.governments.Germany.sanctions_burden")
    'Germany: own cost of sanctioning (share of the stake per period)'
    >>> axis_label("Number of runs")
    'Number of runs'
    """
    label = plain_label(name)
    text = unit_text(name) if unit else ""
    return f"{label} ({text})" if text else label


def unit_text(name: str, beside: str | None = None) -> str:
    """The unit of a parameter or quantity as shown on an axis, from its parameter spec.

    The spec's unit without its glosses; where the label it is shown beside (``beside``, by
    default :func:`plain_label`; ``""`` for a unit shown alone) already says it, the gloss
    (``"0 = Russia's sphere, 1 = fully Western"``) or the kind of unit (``"share"``,
    ``"probability"``); ``""`` for a name without a unit.

    Parameters
    ----------
    name : str
        A dotted parameter name (``"russia.sanctions_cost"``, any government's
        ``"west.governments.<name>.<field>"``) or a path quantity (``"cohesion"``).
    beside : str, optional
        The label the unit is shown beside; ``""`` for a unit shown alone (its gloss kept).

    Returns
    -------
    str

    Examples
    --------
    >>> unit_text("russia.sanctions_cost"), unit_text("belief"), unit_text("cohesion")
    ('share of the stake per period', 'probability', 'share of full cohesion')
    >>> unit_text("offer.alignment")
    "0 = Russia's sphere, 1 = fully Western"
    """
    name = plain_parameter(name)
    spec = _spec(_QUANTITY_SPECS.get(name, name))
    text = _UNIT_OVERRIDES.get(name, spec.unit if spec is not None else "")
    if not text:
        return ""
    if beside == "" and len(text) <= 45:
        return text  # shown alone, the unit keeps its gloss: "position (0 = Ukraine prevails)"
    # Glosses such as "(the whole issue = 1)" are left out to keep axis labels short...
    short = re.sub(r"\s*\(.*?\)", "", text).strip()
    label = plain_label(name) if beside is None else beside
    if short and len(short) <= 40 and not _redundant(short, label):
        return short
    # ... unless the label already names the unit: then the gloss says what it means.
    gloss = re.search(r"\((.*?)\)", text)
    if gloss:
        return gloss.group(1)
    words = short.split()
    if words and words[0].lower() in _UNIT_KINDS:
        return _UNIT_KINDS[words[0].lower()]
    return short if len(words) <= 2 else ""


def in_sentence(label: str) -> str:
    """A label with its first letter lowered, unless it starts with a proper name.

    Parameters
    ----------
    label : str
        A label from :func:`plain_label`.

    Returns
    -------
    str
        The label as it reads in the middle of a sentence.

    Examples
    --------
    >>> in_sentence("Great-power status premium"), in_sentence("Western cohesion")
    ('great-power status premium', 'Western cohesion')
    >>> in_sentence("Germany: own cost of sanctioning")
    'Germany: own cost of sanctioning'
    """
    head = label.split(" ", 1)[0]
    first = head.split("'", 1)[0].rstrip(":")
    # "Germany: own cost of sanctioning" starts with a name the scenario wrote
    if first in _PROPER or first.isupper() or head.endswith(":"):
        return label
    return label[:1].lower() + label[1:]


def _redundant(unit: str, label: str) -> bool:
    """Whether the unit's words are already in the label ("relative military capability")."""
    words = {re.sub(r"'s$", "", w).lower() for w in re.findall(r"[\w']+", label)}
    unit_words = {w.lower() for w in re.findall(r"[\w']+", unit)} - {"relative", "of", "the"}
    return unit_words <= words


def _sentence_case(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:]


@lru_cache(maxsize=1)
def _specs() -> dict[str, Any]:
    """Parameter specs of the negotiation model, an offer and the dynamics, by dotted name.

    A government's parameters are also filed under ``west.governments.*.<field>``, the spec
    of any government's field.
    """
    from simulator.model.dynamics import DynamicsSettings
    from simulator.model.negotiation import NegotiationModel
    from simulator.model.offers import Offer
    from simulator.model.parameters import parameter_specs

    specs = {name: spec for name, _value, spec in NegotiationModel().describe() if spec}
    for name, spec in list(specs.items()):
        government = re.fullmatch(r"west\.governments\.[^.]+\.([a-z_]+)", name)
        if government:
            specs[f"west.governments.*.{government.group(1)}"] = spec
    specs.update({f"offer.{s.name}": s for s in parameter_specs(Offer)})
    specs.update({f"dynamics.{s.name}": s for s in parameter_specs(DynamicsSettings)})
    return specs


def _spec(name: str) -> Any:
    """The spec of a dotted parameter name (any government's name), or None."""
    specs = _specs()
    if name in specs:
        return specs[name]
    government = re.fullmatch(r"west\.governments\.[^.]+\.([a-z_]+)", name)
    return specs.get(f"west.governments.*.{government.group(1)}") if government else None
