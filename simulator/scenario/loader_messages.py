"""Plain-language messages for the schema's validation errors (step 4 of the loader).

Part of :mod:`simulator.scenario.loader`. Turns a pydantic error on the scenario schema into
a message that says what is wrong and what is allowed (the range, the choices, the kind of
value), with hints for common slips: a number in quotes, a formula without ``=``, a key
written in the wrong section (:func:`_homes`), a misspelt choice.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Literal, get_args, get_origin

from simulator.model.buy_time_setup import BuyTimeSettings
from simulator.model.dynamics import DynamicsSettings
from simulator.model.negotiation import NegotiationModel
from simulator.model.offers import Offer
from simulator.scenario.errors import show_value, suggest
from simulator.scenario.formula import is_formula
from simulator.scenario.loader_sites import _is_number
from simulator.scenario.schema import ANALYSIS_KINDS, Located, field_kinds


# ---------------------------------------------------------------------- messages
@lru_cache(maxsize=1)
def _homes() -> dict[str, tuple[str, ...]]:
    """Where each actor or offer key belongs, for keys written in the wrong section."""
    out: dict[str, list[str]] = {}

    def walk(cls: type, prefix: str) -> None:
        for f in field_kinds(cls):
            if f.kind == "section":
                walk(f.cls, f"{prefix}.{f.name}")  # type: ignore[arg-type]
            elif f.kind == "list":
                walk(f.cls, f"{prefix}.{f.name}[]")  # type: ignore[arg-type]
            elif not (cls is Offer and f.name == "name"):
                out.setdefault(f.name, []).append(prefix)

    walk(NegotiationModel, "actors")
    walk(Offer, "offers.<offer>")
    walk(DynamicsSettings, "dynamics")
    walk(BuyTimeSettings, "buy_time")
    return {key: tuple(paths) for key, paths in out.items()}


def _value_hint(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and not _is_number(value):
        return " (far too large)"
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            if re.search(r"[-+*/]", value) and not is_formula(value):
                return " (a formula must start with '=')"
            return ""
        return " (text, because of the quotes: write the number without quotes)"
    return ""


_TYPE_WORDS = {
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "string_type": "text",
    "list_type": "a list (items on lines starting with '- ', or [a, b])",
    "dict_type": "a mapping (key: value lines, or {key: value})",
    "model_type": "a mapping (key: value lines, or {key: value})",
    "model_attributes_type": "a mapping (key: value lines, or {key: value})",
    "finite_number": "a finite number",
    "literal_error": "one of",
}


def _bounds_text(info: Any) -> str:
    if info is None:
        return ""
    low = high = None
    low_open = high_open = False
    for meta in getattr(info, "metadata", ()):
        for attr, is_low, is_open in (
            ("ge", True, False),
            ("gt", True, True),
            ("le", False, False),
            ("lt", False, True),
        ):
            bound = getattr(meta, attr, None)
            if bound is None:
                continue
            if is_low:
                low, low_open = bound, is_open
            else:
                high, high_open = bound, is_open
    if low is None and high is None:
        return ""
    left = "(" if low_open or low is None else "["
    right = ")" if high_open or high is None else "]"
    return f" in {left}{_bound(low, '-inf')}, {_bound(high, 'inf')}{right}"


def _bound(value: Any, missing: str) -> str:
    if value is None:
        return missing
    if float(value).is_integer() and abs(value) < 1e16:
        return str(int(value))
    return f"{value:g}"


def _literal_choices(annotation: Any) -> list[str]:
    while get_origin(annotation) is list:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) is Literal:
        return [str(a) for a in get_args(annotation)]
    return []


def _generic_message(kind: str, err: Any, hit: Located, value: Any) -> tuple[str, str | None]:
    ctx = err.get("ctx") or {}
    got = show_value(value)
    note = f" ({hit.info.description})" if hit.info is not None and hit.info.description else ""
    if kind == "literal_error":
        choices = _literal_choices(hit.annotation) or re.findall(
            r"'([^']*)'", str(ctx.get("expected", ""))
        )
        return f"{got} is not allowed; choose one of {', '.join(choices)}", suggest(value, choices)
    if kind in ("union_tag_not_found", "union_tag_invalid"):
        if "analysis" in str(ctx.get("discriminator", "")):
            if isinstance(value, dict):
                present = [k for k in ANALYSIS_KINDS if k in value]
                if len(present) > 1:
                    return (
                        f"an analysis does one thing; found {', '.join(present)}: put each "
                        "in its own list item",
                        None,
                    )
                keys = [k for k in value if isinstance(k, str)]
                hint = next(
                    (suggest(k, ANALYSIS_KINDS) for k in keys if suggest(k, ANALYSIS_KINDS)), None
                )
                return (
                    f"an analysis needs exactly one of {', '.join(ANALYSIS_KINDS)}; found "
                    f"keys {', '.join(map(repr, keys)) or 'none'}",
                    hint,
                )
            return (f"an analysis is a mapping such as '- solve: offer_game'; got {got}", None)
        kinds = ("beta", "uniform", "normal")
        shown = value.get("distribution") if isinstance(value, dict) else value
        if not isinstance(value, dict):
            return (
                f"a distribution is a mapping such as '{{distribution: beta, mean: 0.3, "
                f"sd: 0.1}}'; got {got}",
                None,
            )
        return (
            f"needs 'distribution:' set to one of {', '.join(kinds)}; got {show_value(shown)}",
            suggest(shown, kinds),
        )
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        allowed = _bounds_text(hit.info).removeprefix(" in ")
        return f"{got} is outside the allowed range {allowed}{note}", None
    if kind in ("too_short", "too_long"):
        wanted = ctx.get("min_length") if kind == "too_short" else ctx.get("max_length")
        actual = ctx.get("actual_length")
        word = "at least" if kind == "too_short" else "at most"
        entries = "entry" if wanted == 1 else "entries"
        return f"needs {word} {wanted} {entries}; got {actual}{note}", None
    if kind == "string_too_short":
        return f"must not be empty{note}", None
    if kind == "string_too_long":
        return f"is longer than {ctx.get('max_length')} characters", None
    if kind == "string_pattern_mismatch":
        return (
            f"{got} is not a valid name: use letters, digits and _, not starting with a digit",
            None,
        )
    words = _TYPE_WORDS.get(kind)
    if words is not None:
        hint = _value_hint(value)
        if is_formula(value):
            hint = " (formulas are allowed only for parameter values under actors and offers)"
        elif kind in ("int_type", "int_from_float") and isinstance(value, float):
            hint = " (a whole number is written without a decimal point)"
        return f"must be {words}{_bounds_text(hit.info)}{note}; got {got}{hint}", None
    return f"{err.get('msg', 'invalid value')}; got {got}", None
