"""Actors, offers and the model: every parameter documented, range-checked and changeable."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.model import (
    Leader,
    NegotiationModel,
    Offer,
    ParameterError,
    Russia,
    Ukraine,
    West,
    WesternGovernment,
)
from simulator.model.parameters import ParameterSpec, check_range, parameter_specs
from simulator.model.published import (
    alternating_offers,
    attrition,
    bargaining,
    cheap_talk,
    coalition,
    commitment,
    costly_signalling,
    expected_utility,
    leader_survival,
    sanctions,
)

CLASSES = [Russia, Leader, Ukraine, West, Offer, NegotiationModel]


def build(cls, **kwargs):
    if cls is WesternGovernment:
        return cls("Germany", **kwargs)
    return cls(**kwargs)


def all_specs():
    for cls in [*CLASSES, WesternGovernment]:
        for spec in parameter_specs(cls):
            yield pytest.param(cls, spec, id=f"{cls.__name__}.{spec.name}")


@pytest.mark.parametrize("cls, spec", list(all_specs()))
def test_every_parameter_is_documented(cls, spec):
    assert spec.description and spec.unit
    assert spec.low < spec.high
    # the default itself is valid
    spec.check(spec.default)


def outside_values(spec):
    values = []
    if not math.isinf(spec.low):
        values.append(spec.low if spec.low_open else spec.low - max(1e-6, abs(spec.low) * 1e-3))
    if not math.isinf(spec.high):
        values.append(spec.high if spec.high_open else spec.high + max(1e-6, abs(spec.high) * 1e-3))
    return values


@pytest.mark.parametrize("cls, spec", list(all_specs()))
def test_out_of_range_values_are_rejected_naming_parameter_value_and_range(cls, spec):
    for bad in outside_values(spec):
        with pytest.raises(ParameterError) as info:
            build(cls, **{spec.name: bad})
        message = str(info.value)
        assert spec.name in message
        assert repr(bad) in message
        assert spec.range_text() in message


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "high", None, True])
def test_non_numbers_are_rejected(bad):
    with pytest.raises(ParameterError, match="russia.war_cost"):
        Russia(war_cost=bad)


def test_west_validation():
    with pytest.raises(ParameterError, match="aggregation"):
        West(aggregation="average")
    with pytest.raises(ParameterError, match="duplicate"):
        West(governments=(WesternGovernment("A"), WesternGovernment("A")))
    with pytest.raises(ParameterError, match="at least one"):
        West(governments=())
    with pytest.raises(ParameterError, match="name"):
        WesternGovernment(" ")


def test_params_lists_every_parameter_with_current_values():
    west = West(
        governments=(
            WesternGovernment("United States", weight=0.4),
            WesternGovernment("Hungary", sanctions_burden=0.9),
        )
    )
    model = NegotiationModel(west=west)
    params = model.params
    assert params["russia.great_power_status"] == 0.5
    assert params["russia.leader.removal_if_lose"] == 0.6
    assert params["west.governments.Hungary.sanctions_burden"] == 0.9
    assert params["west.aggregation"] == "sum"
    assert params["contest_exponent"] == 1.0
    # every documented field appears exactly once per actor
    expected = (
        len(list(parameter_specs(Russia)))
        + len(list(parameter_specs(Leader)))
        + len(list(parameter_specs(Ukraine)))
        + 2 * len(list(parameter_specs(WesternGovernment)))
        + len(list(parameter_specs(West)))
        + 1  # west.aggregation
        + len(list(parameter_specs(NegotiationModel)))
    )
    assert len(params) == expected


def test_with_params_returns_a_validated_copy():
    model = NegotiationModel(west=West(governments=(WesternGovernment("Germany"),)))
    changed = model.with_params(
        {"west.governments.Germany.sanctions_burden": 0.7}, russia__great_power_status=2.0
    )
    assert changed.west.government("Germany").sanctions_burden == 0.7
    assert changed.russia.great_power_status == 2.0
    assert model.russia.great_power_status == 0.5  # unchanged original
    with pytest.raises(ParameterError, match="russia.discount_factor"):
        model.with_params(russia__discount_factor=1.0)
    with pytest.raises(KeyError, match="did you mean 'russia.war_cost'"):
        model.with_params(russia__war_cots=0.1)
    with pytest.raises(KeyError, match="unknown Western government 'France'"):
        model.with_params({"west.governments.France.weight": 1})


def test_models_are_immutable():
    model = NegotiationModel()
    with pytest.raises(AttributeError):
        model.russia = Russia()  # type: ignore[misc]
    with pytest.raises(AttributeError):
        model.russia.war_cost = 0.3  # type: ignore[misc]


@settings(max_examples=50, deadline=None)
@given(st.floats(0.01, 100), st.floats(0.01, 100), st.floats(0.1, 10))
def test_contest_function_is_a_probability_increasing_in_own_capability(k_r, k_u, g):
    model = NegotiationModel(contest_exponent=g).with_params(
        russia__capability=k_r, ukraine__capability=k_u
    )
    p = model.win_probability()
    assert 0 <= p <= 1
    stronger = model.with_params(russia__capability=k_r * 1.5).win_probability()
    assert stronger >= p
    if k_r == k_u:
        assert p == pytest.approx(0.5)


def test_offer_presets_are_data():
    offer = Offer.neutrality_for_guarantees()
    assert offer.alignment == 0.6 and not offer.nato_membership and offer.eu_membership
    assert not offer.verifiable_withdrawal
    assert offer.with_values(withdrawal_cost=0.1).verifiable_withdrawal
    with pytest.raises(ParameterError, match="offers.neutrality_for_guarantees.alignment"):
        offer.with_values(alignment=1.5)
    with pytest.raises(ParameterError, match="true or false"):
        Offer(nato_membership="no")  # type: ignore[arg-type]


# ---------------------------------------------------------------------- check_range
def test_check_range_returns_a_float_array_of_the_value_s_shape():
    assert check_range("p", 0.5, 0, 1).shape == ()
    out = check_range("p", [[0, 1], [0.5, 0.25]], 0, 1)
    assert out.dtype == float and out.shape == (2, 2)
    assert check_range("n", 3, 1, integer=True).tolist() == 3.0
    assert check_range("mask", [True, False], 0, 1).tolist() == [1.0, 0.0]  # masks are 0/1


@pytest.mark.parametrize(
    "value, kwargs, message",
    [
        (0.0, {"low_open": True}, "p = 0.0 is outside its valid range (0, 1]"),
        (1.0, {"high_open": True}, "p = 1.0 is outside its valid range [0, 1)"),
        (-0.5, {}, "p = -0.5 is outside its valid range [0, 1]"),
        (float("nan"), {}, "p = nan is outside its valid range [0, 1]"),
        ([0.5, 2.0, -1.0], {}, "p = 2.0 is outside its valid range [0, 1]"),  # first bad one
        (1.5, {"what": "a share"}, "p = 1.5 is outside its valid range [0, 1] (a share)"),
    ],
)
def test_check_range_names_the_first_offending_value_and_the_interval(value, kwargs, message):
    with pytest.raises(ParameterError) as info:
        check_range("p", value, 0, 1, **kwargs)
    assert str(info.value) == message
    assert info.value.name == "p"
    assert isinstance(info.value, ValueError)  # callers catching ValueError keep working


def test_check_range_closed_ends_are_valid():
    assert check_range("p", [0.0, 1.0], 0, 1).tolist() == [0.0, 1.0]
    with pytest.raises(ParameterError):
        check_range("p", [0.0, 1.0], 0, 1, low_open=True)


def test_check_range_infinite_bounds_are_open_and_reject_infinities():
    assert check_range("x", [-1e300, 1e300]).tolist() == [-1e300, 1e300]
    with pytest.raises(ParameterError, match=r"x = inf is outside its valid range \[0, inf\)$"):
        check_range("x", math.inf, 0)
    with pytest.raises(ParameterError, match=r"x = -inf is outside its valid range \(-inf, inf\)"):
        check_range("x", [1.0, -math.inf])


def test_check_range_integer():
    with pytest.raises(ParameterError, match=r"n = 2.5 .*whole numbers in \[1, inf\)"):
        check_range("n", [1, 2.5], 1, integer=True)
    with pytest.raises(ParameterError, match=r"n = 0 is outside its valid range \[1, inf\)"):
        check_range("n", [3, 0], 1, integer=True)  # a whole offender is shown as a whole number


@pytest.mark.parametrize("bad", ["high", None, [0.5, None], 1 + 2j, [[1, 2], [3]]])
def test_check_range_rejects_non_numbers(bad):
    with pytest.raises(ParameterError, match=r"^x = .* is not a number .*\[0, 1\]$") as info:
        check_range("x", bad, 0, 1)
    assert info.value.value is bad


def test_check_range_bounds_broadcast_and_the_message_shows_the_offending_bound():
    with pytest.raises(ParameterError, match=r"^v = 0.75 is outside its valid range \[0, 0.5\]$"):
        check_range("v", 0.75, 0, [1.0, 0.5])


def test_parameter_spec_check_and_check_range_share_the_rule():
    spec = ParameterSpec("p", "a share", "share", 0, 1, low_open=True, label="P")
    values = [-0.1, 0.0, 1e-9, 1.0, 1.1]
    assert spec.outside(values).tolist() == [True, True, False, False, True]
    for v in values:
        ok_spec = ok_range = True
        try:
            spec.check(v)
        except ParameterError:
            ok_spec = False
        try:
            check_range("p", v, 0, 1, low_open=True)
        except ParameterError:
            ok_range = False
        assert ok_spec == ok_range == (not spec.outside(v))


PUBLISHED_BAD_CALLS = [
    ("attrition", lambda: attrition.quit_time([0.5, 1.2])),
    ("cheap_talk", lambda: cheap_talk.cut_points(-0.1, 1)),
    ("cheap_talk.intervals", lambda: cheap_talk.cut_points(0.1, 0)),
    ("coalition", lambda: coalition.burden_at([0.2, -0.1])),
    ("costly_signalling", lambda: costly_signalling.relax_threshold(-1.0, 1.0)),
    ("expected_utility", lambda: expected_utility.median_position([0, 1], [1, 1], [1, 2])),
    ("leader_survival", lambda: leader_survival.outcome_utility(1.0, 2.0, 1.5)),
    ("sanctions", lambda: sanctions.violation_probability(0.0, 1.0)),
    ("bargaining", lambda: bargaining.bargaining_range(1.2, 0.1, 0.1)),
    ("commitment", lambda: commitment.commitment_problem(0.3, 0.5, 0.1, 0.1, 1.0)),
    ("alternating_offers", lambda: alternating_offers.rubinstein_shares(1.5, 0.9)),
]


@pytest.mark.parametrize("call", [pytest.param(c, id=label) for label, c in PUBLISHED_BAD_CALLS])
def test_published_models_raise_parameter_error(call):
    with pytest.raises(ParameterError, match="is outside its valid range"):
        call()
