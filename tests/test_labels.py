"""Labels and units come from the parameter specs and the records' fields, written once."""

from __future__ import annotations

import ast
import inspect
from types import MappingProxyType

import pytest

from simulator.analysis import labels, records
from simulator.analysis.labels import PLAIN_LABELS, axis_label, plain_label, unit_text
from simulator.model import NegotiationModel
from simulator.model.actors import WesternGovernment
from simulator.model.buy_time_setup import BuyTimeSettings
from simulator.model.dynamics import DynamicsSettings
from simulator.model.offers import INDUCEMENT, Offer
from simulator.model.parameters import ParameterError, ParameterSpec, parameter, parameter_specs


def _model_specs() -> dict[str, ParameterSpec]:
    specs = {name: spec for name, _v, spec in NegotiationModel().describe() if spec is not None}
    specs.update({f"offer.{s.name}": s for s in parameter_specs(Offer)})
    return specs


def _code_strings(source: str) -> set[str]:
    """The string literals of a module's code (its docstrings, with their examples, left out)."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    }


def test_every_parameter_spec_has_a_label_and_plain_label_returns_it() -> None:
    specs = _model_specs()
    assert len(specs) > 35
    for name, spec in specs.items():
        assert spec.label.strip(), name
        government = name.startswith("west.governments.")
        expected = f"{name.split('.')[2]}: {spec.label}" if government else spec.label
        assert plain_label(name) == expected, name
        # a label is shorter words than the description, not a copy of it
        assert spec.label.lower() != spec.description.lower(), name
    for cls in (DynamicsSettings, BuyTimeSettings, WesternGovernment):
        assert all(s.label.strip() for s in parameter_specs(cls)), cls
    assert INDUCEMENT.label


def test_a_spec_refuses_an_empty_label() -> None:
    with pytest.raises(ParameterError, match="non-empty label"):
        ParameterSpec("p", "a share", "share", 0, 1, label=" ")
    with pytest.raises(ParameterError, match="non-empty label"):
        parameter(0.5, low=0, high=1, unit="share", description="a share", label="")
    with pytest.raises(TypeError):
        ParameterSpec("p", "a share", "share", 0, 1)  # type: ignore[call-arg]


def test_display_unit_replaces_the_unit_on_axes_only() -> None:
    spec = next(s for s in parameter_specs(NegotiationModel) if s.name == "contest_exponent")
    assert (spec.unit, spec.display_unit, spec.shown_unit) == (
        "decisiveness g",
        "contest exponent",
        "contest exponent",
    )
    assert unit_text("contest_exponent") == "contest exponent"
    assert unit_text("russia.discount_factor") == ""
    assert axis_label("russia.discount_factor") == "Russia's patience (discount factor)"


def test_record_quantities_have_a_title_and_a_unit() -> None:
    quantities = (
        "settlement_probability",
        "war_probability",
        "renewed_war_probability",
        "settled",
        "broken",
        "war",
        "cohesion",
        "capability",
        "belief",
    )
    for name in quantities:
        assert records.field_label(name), name
        assert records.field_unit(name) is not None, name
        assert plain_label(name) == records.field_label(name)
    assert unit_text("belief") == "probability"
    assert unit_text("cohesion") == "share of full cohesion"
    # the quantities of the offer game's table are titled in its record
    fields = records.OfferSolutionRecord.model_fields
    for name in ("settlement_probability", "war_probability", "renewed_war_probability"):
        assert fields[name].title == plain_label(name)


def test_plain_labels_are_derived_and_read_only() -> None:
    assert isinstance(PLAIN_LABELS, MappingProxyType)
    with pytest.raises(TypeError):
        PLAIN_LABELS["russia.war_cost"] = "x"  # type: ignore[index]
    strings = _code_strings(inspect.getsource(labels))
    assert "Buy time" in strings  # the names table is read
    strings -= {n.unit_of for n in labels._NAMES.values()}  # "measured as offer.alignment"
    for name, spec in _model_specs().items():
        assert name not in strings and spec.label not in strings, name
    for name, title in records.titled_fields().items():
        assert name not in strings and title not in strings, name
    literal = set(labels._NAMES)
    derived = set(PLAIN_LABELS) - literal
    assert derived == {n for n in _model_specs() if not n.startswith("west.governments.")} | set(
        records.titled_fields()
    )


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("russia.sanctions_cost", "Cost of sanctions to Russia"),
        ("russia.leader.removal_if_win", "Risk of removal after victory"),
        ("ukraine.audience_cost", "Ukrainian government's cost of ceding territory"),
        ("west.periods_of_war", "Periods of war before the offer"),
        ("contest_exponent", "Decisiveness of military advantage"),
        ("offer.territory", "Share of contested territory Russia keeps"),
        ("settlement_probability", "Probability of a settlement"),
        ("renewed_war_probability", "Probability of renewed war"),
        ("belief", "West's belief that Russia is sincere"),
        ("front", "Front line"),
        ("win_probability", "Russia's chance of winning"),
        ("buy_time", "Buy time"),
        ("west", "The West"),
        ("settled", "Settled"),
    ],
)
def test_plain_labels_are_unchanged(name: str, label: str) -> None:
    assert PLAIN_LABELS[name] == label
    assert plain_label(name) == label


def test_plain_labels_keep_every_key() -> None:
    assert len(PLAIN_LABELS) == 63  # with the buy-time paths p_sincere and p_weak
    assert plain_label("west.governments.Germany.sanctions_burden") == (
        "Germany: own cost of sanctioning"
    )
    assert axis_label("offer.security_guarantees") == (
        "Strength of security guarantees (share of a power shift neutralised)"
    )
    assert unit_text("alignment") == unit_text("offer.alignment")


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("neutrality_outside_eu", "Neutrality outside EU"),
        ("hungary", "Hungary"),
        ("us", "US"),
        ("nato_membership", "NATO membership"),
    ],
)
def test_titles_and_legends_capitalise_names_and_abbreviations(name: str, label: str) -> None:
    # Issue 11: figure titles and legends read "hungary" and "eu".
    from simulator.plots.results import offer_words

    assert plain_label(name) == label
    assert offer_words("neutrality_outside_eu") == "Offer “Neutrality outside EU”"
