"""Named, documented, range-checked parameters for frozen dataclasses.

A parameter is a dataclass field declared with :func:`parameter`, which records its
meaning, unit and valid range in the field's metadata. :func:`validate` checks every
such field of an instance and raises :class:`ParameterError` naming the parameter, its
value and its range. The scenario schema and the documentation tables are generated
from these declarations, so each parameter is described exactly once.
"""

from __future__ import annotations

import dataclasses
import html
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from simulator.errors import SimulatorError

__all__ = [
    "ParameterError",
    "html_rows",
    "ParameterSpec",
    "parameter",
    "parameter_specs",
    "validate",
]


class ParameterError(SimulatorError, ValueError):
    """A parameter is outside its valid range or of the wrong type."""

    def __init__(self, name: str, value: Any, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.value = value


@dataclass(frozen=True)
class ParameterSpec:
    """What a parameter means, its unit and its valid range.

    Attributes
    ----------
    name : str
        Field name.
    description : str
        One sentence a policy student can read.
    unit : str
        E.g. ``"share of the stake"``, ``"probability"``, ``"per period"``.
    low, high : float
        Bounds of the valid range.
    low_open, high_open : bool
        Whether the bounds themselves are excluded.
    default : Any
        The default value.
    integer : bool
        Whether only whole numbers are allowed.
    """

    name: str
    description: str
    unit: str
    low: float
    high: float
    low_open: bool = False
    high_open: bool = False
    default: Any = None
    integer: bool = False

    def range_text(self) -> str:
        """The valid range in interval notation, e.g. ``[0, 1)``.

        Examples
        --------
        >>> ParameterSpec("p", "a probability", "probability", 0, 1, high_open=True).range_text()
        '[0, 1)'
        """
        left = "(" if self.low_open else "["
        right = ")" if self.high_open else "]"
        return f"{left}{_num(self.low)}, {_num(self.high)}{right}"

    def check(self, value: Any, qualified_name: str | None = None) -> float:
        """Return ``value`` as a number, or raise :class:`ParameterError` saying what is allowed.

        Examples
        --------
        >>> spec = ParameterSpec("war_cost", "cost of war", "share of the stake", 0, 1)
        >>> spec.check(0.1)
        0.1
        >>> spec.check(1.5, "russia.war_cost")
        Traceback (most recent call last):
        ...
        simulator.model.parameters.ParameterError: russia.war_cost = 1.5 is outside ...
        """
        name = qualified_name or self.name
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ParameterError(
                name, value, f"{name} must be a number in {self.range_text()}; got {value!r}"
            )
        number = float(value)
        if math.isnan(number) or math.isinf(number):
            raise ParameterError(
                name, value, f"{name} must be a finite number in {self.range_text()}; got {value!r}"
            )
        if self.integer and not number.is_integer():
            raise ParameterError(
                name, value, f"{name} must be a whole number in {self.range_text()}; got {value!r}"
            )
        too_low = number < self.low or (self.low_open and number == self.low)
        too_high = number > self.high or (self.high_open and number == self.high)
        if too_low or too_high:
            raise ParameterError(
                name,
                value,
                f"{name} = {value!r} is outside its valid range {self.range_text()} "
                f"({self.description}; {self.unit})",
            )
        return int(number) if self.integer else number


def _num(value: float) -> str:
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return f"{value:g}"


def parameter(
    default: Any,
    *,
    low: float,
    high: float,
    unit: str,
    description: str,
    low_open: bool = False,
    high_open: bool = False,
    integer: bool = False,
) -> Any:
    """Declare a dataclass field as a documented, range-checked parameter.

    Examples
    --------
    >>> from dataclasses import dataclass
    >>> @dataclass(frozen=True)
    ... class Side:
    ...     war_cost: float = parameter(0.1, low=0, high=1, unit="share of the stake",
    ...                                 description="cost of fighting")
    ...     def __post_init__(self):
    ...         validate(self, "side")
    >>> Side(war_cost=2)
    Traceback (most recent call last):
    ...
    simulator.model.parameters.ParameterError: side.war_cost = 2 is outside ...
    """
    meta = {
        "spec": {
            "description": description,
            "unit": unit,
            "low": low,
            "high": high,
            "low_open": low_open,
            "high_open": high_open,
            "integer": integer,
        }
    }
    return dataclasses.field(default=default, metadata=meta)


def parameter_specs(cls_or_obj: Any) -> Iterator[ParameterSpec]:
    """The :class:`ParameterSpec` of every parameter field of a dataclass, in field order."""
    for f in dataclasses.fields(cls_or_obj):
        meta = f.metadata.get("spec")
        if meta is None:
            continue
        default = f.default if f.default is not dataclasses.MISSING else None
        yield ParameterSpec(name=f.name, default=default, **meta)


def validate(obj: Any, prefix: str) -> None:
    """Check every parameter field of the dataclass instance ``obj``.

    Integer-valued floats are stored as given; the check only raises.
    """
    for spec in parameter_specs(obj):
        value = getattr(obj, spec.name)
        checked = spec.check(value, f"{prefix}.{spec.name}")
        if checked != value or type(checked) is not type(value):
            object.__setattr__(obj, spec.name, checked)


def html_rows(header: tuple[str, ...], rows: list[tuple[Any, ...]], caption: str = "") -> str:
    """A small HTML table (for notebooks' ``_repr_html_``), every cell escaped.

    Examples
    --------
    >>> html_rows(("a",), [("<b>",)])
    '<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>&lt;b&gt;</td></tr></tbody></table>'
    """
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
