"""Plain words for the names of parameters, quantities, strategies and actors, with units.

One place for every label a reader sees: the terminal, the briefing and the figures all call
:func:`plain_label`, :func:`axis_label` and :func:`unit_text`. The words are written once,
where the thing is defined: a parameter's label and unit in its spec
(:func:`simulator.model.parameters.parameter`: ``label``, ``unit``, ``display_unit``), a
result's in its record field (:mod:`simulator.analysis.records`: ``title`` and ``unit``).
Only actors, strategies, outcomes and a few axis quantities that are no record's field have
their words here (``_NAMES``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import Any, NamedTuple

from simulator.analysis.records import field_unit, titled_fields

__all__ = [
    "PLAIN_LABELS",
    "axis_label",
    "in_sentence",
    "plain_label",
    "plain_parameter",
    "unit_text",
]


class _Name(NamedTuple):
    """The label and unit of a name that is neither a parameter nor a record's field."""

    label: str
    unit: str = ""
    #: A parameter whose unit the quantity is measured in (its spec's shown unit).
    unit_of: str = ""


#: Actors, strategies and outcomes, and the few axis quantities that are no record's field
#: (the labels and units of parameters come from their specs, those of results from the
#: records' fields).
_NAMES: dict[str, _Name] = {
    # actors
    "russia": _Name("Russia"),
    "ukraine": _Name("Ukraine"),
    "west": _Name("The West"),
    # strategies
    "buy_time": _Name("Buy time"),
    "genuine_compromise": _Name("Genuine compromise"),
    "fight_on": _Name("Fight on"),
    # outcomes
    "settlement": _Name("Settlement"),
    "stalling": _Name("Stalling"),
    "renewed_war": _Name("Renewed war"),
    # quantities on axes that no record holds as a field
    "alignment": _Name("Ukraine's Western alignment", unit_of="offer.alignment"),
    "sanctions": _Name("Sanctions in force", "share of full sanctions"),
    "period": _Name("Period", "rounds of talks or fighting"),
    "win_probability": _Name("Russia's chance of winning", "probability"),
}


def _plain_labels() -> Mapping[str, str]:
    """Every label by name, as a read-only mapping: the labels of the model's and the offer's
    parameter specs, the records' titled fields and ``_NAMES``. A Western government's field
    (named per government) and a simulation setting (``dynamics.*``) are read from their
    specs by :func:`plain_label` when asked, not listed."""
    specs = {
        name: spec.label
        for name, spec in _specs().items()
        if not name.startswith(("west.governments.", "dynamics."))
    }
    labels = {**specs, **titled_fields(), **{name: n.label for name, n in _NAMES.items()}}
    return MappingProxyType(labels)


#: What a unit that the label already says is shown as ("Share of sanctions lifted (share)").
_UNIT_KINDS: dict[str, str] = {
    "share": "share",
    "probability": "probability",
    "relative": "relative units",
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

    A parameter's label comes from its spec (a Western government's field is prefixed with
    the government's name), a result's from its record field's title, an actor's, a
    strategy's or an outcome's from the names table; other snake_case names lose their
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
    spec = _spec(name)
    government = re.fullmatch(r"west\.governments\.(.+)\.([a-z_]+)", name)
    if government and spec is not None:  # "Germany: own cost of sanctioning"
        return f"{government.group(1)}: {spec.label}"
    if spec is not None:
        return _sentence_case(spec.label)
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
    """The unit of a parameter or quantity as shown on an axis, from its spec or record field.

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
    text = _unit(name)
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


def _unit(name: str) -> str:
    """The whole unit of a name: its spec's shown unit, its record field's or its name's."""
    spec = _spec(name)
    if spec is not None:
        return str(spec.shown_unit)
    unit = field_unit(name)
    if unit is not None:
        return unit
    known = _NAMES.get(name)
    if known is None:
        return ""
    return _unit(known.unit_of) if known.unit_of else known.unit


def _spec(name: str) -> Any:
    """The spec of a dotted parameter name (any government's name), or None."""
    specs = _specs()
    if name in specs:
        return specs[name]
    government = re.fullmatch(r"west\.governments\.[^.]+\.([a-z_]+)", name)
    return specs.get(f"west.governments.*.{government.group(1)}") if government else None


#: Plain words for parameter, quantity, strategy, actor and outcome names (read-only): the
#: labels of the parameter specs and of the records' titled fields, and ``_NAMES``.
PLAIN_LABELS: Mapping[str, str] = _plain_labels()
