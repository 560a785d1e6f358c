"""The restricted formula evaluator: correct values, dependencies, cycles, and refusals."""

from __future__ import annotations

import builtins
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.scenario import ScenarioError, parse_scenario
from simulator.scenario.formula import (
    MAX_EXPONENT,
    MAX_LENGTH,
    Formula,
    FormulaError,
    evaluate_formulas,
    is_formula,
    parse_formula,
    solve_formulas,
)

FAST = settings(max_examples=80, deadline=None)
VALUES = {
    "russia.war_cost": 0.1,
    "ukraine.war_cost": 0.15,
    "west.western_cohesion": 0.8,
    "contest_exponent": 2.0,
    "russia.leader.punishment": 5.0,
}


def value(text: str, values: dict[str, Any] | None = None) -> float:
    return parse_formula(text).evaluate(VALUES if values is None else values)


# ---------------------------------------------------------------------- values
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1 + 2 * 3", 7.0),
        ("=(1 + 2) * 3", 9.0),
        ("=2 ** 3 ** 2", 512.0),
        ("=-2 ** 2", -4.0),
        ("=7 / 2", 3.5),
        ("=+3 - -3", 6.0),
        ("=0.5 * russia.war_cost + 0.02", 0.07),
        ("= russia.war_cost + ukraine.war_cost", 0.25),
        ("=russia.leader.punishment / contest_exponent", 2.5),
        ("=min(russia.war_cost, ukraine.war_cost, 1)", 0.1),
        ("=max(0, 1 - west.western_cohesion)", 0.2),
        ("=abs(-3)", 3.0),
        ("=exp(0)", 1.0),
        ("=log(exp(2))", 2.0),
        ("=sqrt(16)", 4.0),
        ("=clip(1.5, 0, 1)", 1.0),
        ("=clip(-1, 0, 1)", 0.0),
        ("=min(7)", 7.0),
        ("=1 if west.western_cohesion > 0.5 else 0", 1.0),
        ("=1 if west.western_cohesion > 0.9 else 0", 0.0),
        ("=0 < russia.war_cost < 1", 1.0),
        ("=0 < russia.war_cost < 0.05", 0.0),
        ("=russia.war_cost == 0.1", 1.0),
        ("=russia.war_cost != 0.1", 0.0),
        ("=russia.war_cost >= 0.1 and ukraine.war_cost <= 0.1", 0.0),
        ("=russia.war_cost >= 0.1 or ukraine.war_cost <= 0.1", 1.0),
        ("=not russia.war_cost", 0.0),
        ("=0 or 3", 3.0),
        ("=2 and 3", 3.0),
        ("=True + 1", 2.0),
        ("=1e-3 * 1_000", 1.0),
    ],
)
def test_formula_values(text: str, expected: float) -> None:
    assert value(text) == pytest.approx(expected)


def test_parentheses_do_not_count_as_nesting() -> None:
    assert value("=" + "(" * 150 + "russia.war_cost" + ")" * 150) == 0.1


def test_formula_records_the_names_it_reads() -> None:
    f = parse_formula("=min(russia.war_cost, ukraine.war_cost) * contest_exponent")
    assert f.names == frozenset({"russia.war_cost", "ukraine.war_cost", "contest_exponent"})
    assert isinstance(f, Formula) and f.text.startswith("=")


def test_is_formula() -> None:
    assert is_formula("=1") and is_formula("  = x")
    assert not is_formula("1") and not is_formula(1.0) and not is_formula(None)


_LEAF = st.one_of(
    st.integers(-50, 50).map(str),
    st.floats(-50, 50, allow_nan=False).map(lambda x: f"{x!r}"),
    st.sampled_from(["a", "b.c", "d.e.f"]),
)


def _expr(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    binary = st.tuples(children, st.sampled_from(["+", "-", "*"]), children).map(
        lambda t: f"({t[0]} {t[1]} {t[2]})"
    )
    unary = children.map(lambda c: f"(-{c})")
    call = st.tuples(st.sampled_from(["min", "max"]), children, children).map(
        lambda t: f"{t[0]}({t[1]}, {t[2]})"
    )
    cond = st.tuples(children, children, children).map(
        lambda t: f"({t[0]} if {t[1]} < {t[2]} else {t[2]})"
    )
    return st.one_of(binary, unary, call, cond, children.map(lambda c: f"abs({c})"))


EXPRESSIONS = st.recursive(_LEAF, _expr, max_leaves=12)


class _Dotted:
    """Stands in for dotted names when Python itself evaluates the same expression."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)


@FAST
@given(expr=EXPRESSIONS, a=st.floats(-5, 5), c=st.floats(-5, 5), f=st.floats(-5, 5))
def test_matches_python_arithmetic(expr: str, a: float, c: float, f: float) -> None:
    names = {"a": a, "b.c": c, "d.e.f": f}
    scope = {
        "a": a,
        "b": _Dotted(c=c),
        "d": _Dotted(e=_Dotted(f=f)),
        "min": min,
        "max": max,
        "abs": abs,
    }
    expected = eval(expr, {"__builtins__": {}}, scope)  # the test's oracle, not the library
    try:
        got = parse_formula("=" + expr).evaluate(names)
    except FormulaError:
        assert not math.isfinite(float(expected)) or len(expr) > MAX_LENGTH
        return
    assert got == pytest.approx(float(expected), rel=1e-12, abs=1e-12)


# ---------------------------------------------------------------------- refusals
@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("=__import__('os')", "starting with '_'"),
        ("=__import__('os').system('ls')", "not allowed"),
        ("=().__class__.__bases__[0].__subclasses__()", "not allowed"),
        ("=russia.__class__", "starting with '_'"),
        ("=russia._secret", "starting with '_'"),
        ("=(1).real", "attribute access"),
        ("=open('/etc/passwd')", "calling 'open' is not allowed"),
        ("=eval('1')", "calling 'eval' is not allowed"),
        ("=exec('1')", "calling 'exec' is not allowed"),
        ("=os.system('ls')", "calling 'os.system' is not allowed"),
        ("=min.__call__(1)", "not allowed"),
        ("=lambda: 1", "lambda"),
        ("=(lambda x: x)(1)", "not allowed"),
        ("=[x for x in (1, 2)]", "comprehensions"),
        ("=sum(x for x in (1, 2))", "not allowed"),
        ("={1: 2}", "mappings"),
        ("=[1, 2][0]", "subscripts"),
        ("=russia[0]", "subscripts"),
        ("='text'", "str constants"),
        ("=b'bytes'", "bytes constants"),
        ("=None", "NoneType constants"),
        ("=1j", "complex constants"),
        ("=...", "ellipsis"),
        ("=f'{1}'", "text"),
        ("=(x := 1)", "assignments"),
        ("=min(*[1, 2])", "plain arguments"),
        ("=max(1, key=abs)", "plain arguments"),
        ("=clip(1, 2)", "takes 3 argument(s); got 2"),
        ("=abs()", "takes 1 argument(s)"),
        ("=min", "must be called"),
        ("=7 % 2", "operator Mod"),
        ("=7 // 2", "operator FloorDiv"),
        ("=1 << 2", "operator LShift"),
        ("=~1", "unary operators"),
        ("=1 in (1, 2)", "comparison In"),
        ("=1 is 1", "comparison Is"),
        ("=", "empty"),
        ("=1 +", "not valid"),
        ("=import os", "not valid"),
        ("=1; 2", "not valid"),
        ("1 + 1", "starting with '='"),
        ("=" + "1 + " * 200 + "1", "longer than"),
        ("=" + "+".join(["(x+x+x+x)"] * 38), "too long"),
        ("=" + "+".join(["x"] * 100), "nested too deeply"),
        ("=" + "-" * 60 + "1", "nested too deeply"),
        ("=" + "(" * 201 + "1" + ")" * 201, "longer than"),
        ("=" + "9" * 350, "too large"),
    ],
)
def test_formulas_that_are_refused(text: str, fragment: str) -> None:
    with pytest.raises(FormulaError) as info:
        parse_formula(text).evaluate({"x": 1.0, "russia": 1.0})
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("=10 ** 10 ** 10", "exponent"),
        ("=9 ** 9 ** 9", "exponent"),
        ("=2 ** 101", "exponent"),
        ("=2 ** -101", "exponent"),
        ("=10.0 ** 99 * 10.0 ** 99 * 10.0 ** 99 * 10.0 ** 99", "finite"),
        ("=1 / 0", "division by zero"),
        ("=1 / (russia.war_cost - 0.1)", "division by zero"),
        ("=log(0)", "positive"),
        ("=sqrt(-1)", ">= 0"),
        ("=(-8) ** (1 / 3)", "fractional power"),
        ("=0 ** -1", "zero to a negative power"),
        ("=exp(1000)", "too large"),
        ("=clip(0.5, 1, 0)", "low <= high"),
        ("=1e308 * 10", "finite"),
    ],
)
def test_evaluation_errors(text: str, fragment: str) -> None:
    with pytest.raises(FormulaError, match=None) as info:
        value(text)
    assert fragment in str(info.value)
    assert MAX_EXPONENT == 100


def test_evaluation_never_calls_eval_exec_or_import() -> None:
    # Parsing uses ast.parse (Python's parser, which builds a tree and runs nothing);
    # evaluation walks that tree and must not reach any of these.
    formula = parse_formula("=clip(russia.war_cost * 3 + min(1, 2) ** 2, 0, 10) if 1 < 2 else 0")
    calls: list[str] = []

    def forbidden(name: str) -> Any:
        def record(*_args: Any, **_kwargs: Any) -> None:
            calls.append(name)
            raise RuntimeError(name)

        return record

    saved = {name: getattr(builtins, name) for name in ("eval", "exec", "compile", "open")}
    saved["__import__"] = builtins.__import__
    try:
        for name in saved:
            setattr(builtins, name, forbidden(name))
        try:
            result: Any = formula.evaluate(VALUES)
        except Exception as exc:  # reported after the builtins are restored
            result = exc
    finally:
        for name, original in saved.items():
            setattr(builtins, name, original)
    assert calls == [] and result == pytest.approx(1.3)


@FAST
@given(body=st.text(max_size=60))
def test_arbitrary_text_is_a_formula_or_a_formula_error(body: str) -> None:
    try:
        f = parse_formula("=" + body)
    except FormulaError:
        return
    try:
        result = f.evaluate(dict.fromkeys(f.names, 0.5))
    except FormulaError:
        return
    assert math.isfinite(result)


_TOKENS = st.sampled_from(
    [
        "1",
        "2.5",
        "x",
        "y.z",
        "+",
        "-",
        "*",
        "/",
        "**",
        "(",
        ")",
        ",",
        "min",
        "max",
        "abs",
        "exp",
        "log",
        "sqrt",
        "clip",
        "if",
        "else",
        "and",
        "or",
        "not",
        "<",
        "==",
        "__class__",
        ".",
        "[",
        "]",
        "lambda",
        ":",
        "'a'",
        "1e308",
        "0",
    ]
)


@FAST
@given(tokens=st.lists(_TOKENS, max_size=25))
def test_token_soup_never_escapes(tokens: list[str]) -> None:
    try:
        f = parse_formula("=" + " ".join(tokens))
        f.evaluate(dict.fromkeys(f.names, 0.5))
    except FormulaError:
        pass


# ---------------------------------------------------------------------- dependencies
def test_dependencies_are_evaluated_in_order() -> None:
    formulas = {"a": "=b + c", "b": "=2 * c", "c": "=d + 1", "e": "=a * 10"}
    assert evaluate_formulas(formulas, {"d": 1.0}) == pytest.approx(
        {"c": 2.0, "b": 4.0, "a": 6.0, "e": 60.0}
    )


@pytest.mark.parametrize(
    ("formulas", "cycle"),
    [
        ({"a": "=a + 1"}, "a -> a"),
        ({"a": "=b", "b": "=a"}, "a -> b -> a"),
        ({"a": "=b", "b": "=c", "c": "=a", "d": "=1"}, "a -> b -> c -> a"),
    ],
)
def test_cycles_are_detected(formulas: dict[str, str], cycle: str) -> None:
    results, errors = solve_formulas(formulas, {})
    members = set(cycle.split(" -> "))
    assert set(errors) == members
    assert all(cycle in str(errors[m]) for m in sorted(members)[:1])
    assert set(results) == set(formulas) - members
    with pytest.raises(FormulaError, match="cycle"):
        evaluate_formulas(formulas, {})


def test_formulas_downstream_of_a_cycle_are_skipped_not_reported() -> None:
    results, errors = solve_formulas({"a": "=b", "b": "=a", "c": "=a + 1", "d": "=2"}, {})
    assert set(errors) == {"a", "b"} and results == {"d": 2.0}


def test_unknown_names_get_suggestions() -> None:
    _results, errors = solve_formulas({"x": "=russia.war_cots * 2"}, {"russia.war_cost": 0.1})
    assert "unknown name 'russia.war_cots'" in str(errors["x"])
    assert errors["x"].suggestion == "russia.war_cost"


def test_aliases_and_unavailable_values() -> None:
    values = {"west.governments.United States.weight": 0.4, "bad": 1.0}
    results, errors = solve_formulas(
        {"g": "=west.governments.United_States.weight / 2", "h": "=bad + 1"},
        values,
        aliases={"west.governments.United_States.weight": "west.governments.United States.weight"},
        unavailable={"bad"},
    )
    assert results == {"g": 0.2} and errors == {}


def test_text_values_are_not_numbers() -> None:
    _results, errors = solve_formulas({"x": "=west.aggregation"}, {"west.aggregation": "sum"})
    assert "not a number" in str(errors["x"])


# ---------------------------------------------------------------------- in scenario files
HEAD = "title: t\noffers:\n  deal: {alignment: 0.5}\nactors:\n  russia:\n"


def test_scenario_formulas_chain_and_cover_offers() -> None:
    s = parse_scenario(
        HEAD
        + "    war_cost: 0.2\n"
        + "    sanctions_cost: '=russia.audience_cost + ukraine.war_cost'\n"
        + "    audience_cost: '=2 * russia.war_cost'\n"
        + "  ukraine: {war_cost: '=russia.war_cost / 2'}\n"
        + "  contest_exponent: '=1 + (west.western_cohesion > 0.5)'\n"
    )
    assert s.model.russia.audience_cost == pytest.approx(0.4)
    assert s.model.ukraine.war_cost == pytest.approx(0.1)
    assert s.model.russia.sanctions_cost == pytest.approx(0.5)
    assert s.model.contest_exponent == 2.0
    t = parse_scenario(
        "title: t\noffers:\n  a: {alignment: 0.4}\n  b: {alignment: '=offers.a.alignment + 0.2'}\n"
    )
    assert t.offers["b"].alignment == pytest.approx(0.6)
    assert t.with_params({"offers.a.alignment": 0.1}).offers["b"].alignment == pytest.approx(0.3)


def test_scenario_formula_problems_have_lines_and_suggestions() -> None:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(
            HEAD
            + "    war_cost: '=russia.sanctions_cost'\n"
            + "    sanctions_cost: '=russia.war_cost'\n"
            + "    audience_cost: '=russia.war_cots + 1'\n"
            + "    optimism: '=__import__(\"os\")'\n"
            + "    capability: '=1 / (russia.leader.punishment - 2)'\n",
            "s.yaml",
        )
    found = info.value.problems
    assert [(p.line, p.field) for p in found] == [
        (6, "actors.russia.war_cost"),
        (7, "actors.russia.sanctions_cost"),
        (8, "actors.russia.audience_cost"),
        (9, "actors.russia.optimism"),
        (10, "actors.russia.capability"),
    ]
    assert "cycle" in found[0].message and "cycle" in found[1].message
    assert found[2].suggestion == "russia.war_cost"
    assert "not allowed" in found[3].message
    assert "division by zero" in found[4].message
    assert found[4].value == "=1 / (russia.leader.punishment - 2)"


def test_formula_reading_an_invalid_value_reports_only_that_value() -> None:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(HEAD + "    war_cost: lots\n    sanctions_cost: '=russia.war_cost'\n")
    (p,) = info.value.problems
    assert p.field == "actors.russia.war_cost"


def test_formulas_are_only_for_parameters() -> None:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(
            "title: t\noffers: {deal: {nato_membership: '=1'}}\n"
            "analyses: [{compare: [buy_time], runs: '=10'}]\n"
        )
    assert [p.field for p in info.value.problems] == [
        "offers.deal.nato_membership",
        "analyses[0].runs",
    ]


@pytest.mark.parametrize("formula", ["=min(1e999, 1)", "=max(-1e999, 0.1)", "=1e999 * 0"])
def test_infinite_numbers_are_rejected_inside_formulas_too(formula: str) -> None:
    offers = "offers: {d: {alignment: 0.3}}"
    text = f'title: x\n{offers}\nactors: {{russia: {{war_cost: "{formula}"}}}}'
    with pytest.raises(ScenarioError, match="too large to be finite"):
        parse_scenario(text)
