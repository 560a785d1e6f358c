"""Named, documented, range-checked parameters for frozen dataclasses.

A parameter is a dataclass field declared with :func:`parameter`, which records its
meaning, unit and valid range in the field's metadata. :func:`validate` checks every
such field of an instance and raises :class:`ParameterError` naming the parameter, its
value and its range. The scenario schema and the documentation tables are generated
from these declarations, so each parameter is described exactly once.

:func:`check_range` applies the same rule to the arguments of functions (scalars or numpy
arrays, as the vectorised published models take them), with the same message.
"""

from __future__ import annotations

import dataclasses
import html
import math
import reprlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from simulator.errors import SimulatorError

__all__ = [
    "ParameterError",
    "check_range",
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
    """What a parameter means, its label, its unit and its valid range.

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
    label : str
        The short plain words a reader sees on an axis or in a table (keyword only;
        required, non-empty), e.g. ``"Cost of sanctions to Russia"``.
    display_unit : str or None
        The unit shown beside the label where it differs from ``unit`` (keyword only;
        ``""``: none shown, e.g. where the label names it); None: show ``unit``.

    Raises
    ------
    ParameterError
        If ``label`` is not a non-empty string or ``display_unit`` is neither a string nor
        None.
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
    label: str = field(kw_only=True)
    display_unit: str | None = field(default=None, kw_only=True)

    def __post_init__(self) -> None:
        if not isinstance(self.label, str) or not self.label.strip():
            raise ParameterError(
                self.name,
                self.label,
                f"parameter {self.name or self.description!r} needs a non-empty label",
            )
        if self.display_unit is not None and not isinstance(self.display_unit, str):
            raise ParameterError(
                self.name,
                self.display_unit,
                f"the display unit of parameter {self.name!r} must be a string or None",
            )

    @property
    def shown_unit(self) -> str:
        """The unit shown beside the label: ``display_unit`` where given, else ``unit``.

        Examples
        --------
        >>> ParameterSpec("d", "patience", "per period", 0, 1, label="Patience",
        ...               display_unit="").shown_unit
        ''
        """
        return self.unit if self.display_unit is None else self.display_unit

    def range_text(self) -> str:
        """The valid range in interval notation, e.g. ``[0, 1)``.

        Examples
        --------
        >>> ParameterSpec("p", "a probability", "probability", 0, 1, high_open=True,
        ...               label="P").range_text()
        '[0, 1)'
        """
        return _interval_text(self.low, self.high, self.low_open, self.high_open)

    def outside(self, value: Any) -> np.ndarray:
        """Whether each value lies outside the valid range (NaN and infinities always do).

        The same rule as :meth:`check` and :func:`check_range`, for callers that report the
        offending point themselves. Whole numbers are not enforced here.

        Examples
        --------
        >>> ParameterSpec("p", "a probability", "probability", 0, 1, low_open=True,
        ...               label="P").outside([0.0, 0.5, 1.0, float("nan")]).tolist()
        [True, False, False, True]
        """
        return _outside(
            np.asarray(value, dtype=float), self.low, self.high, self.low_open, self.high_open
        )

    def check(self, value: Any, qualified_name: str | None = None) -> float:
        """Return ``value`` as a number, or raise :class:`ParameterError` saying what is allowed.

        Examples
        --------
        >>> spec = ParameterSpec("war_cost", "cost of war", "share of the stake", 0, 1,
        ...                      label="Cost of war")
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
        if _outside(number, self.low, self.high, self.low_open, self.high_open):
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


def _interval_text(low: float, high: float, low_open: bool, high_open: bool) -> str:
    """Interval notation, e.g. ``[0, 1)``; an infinite end is always open (``[0, inf)``)."""
    left = "(" if low_open or math.isinf(low) else "["
    right = ")" if high_open or math.isinf(high) else "]"
    return f"{left}{_num(low)}, {_num(high)}{right}"


def _outside(value: Any, low: Any, high: Any, low_open: bool, high_open: bool) -> Any:
    """Whether ``value`` (a number or an array; bounds broadcast) is outside the interval.

    Non-finite values are always outside, whatever the bounds. This is the one place the
    range rule is written; :meth:`ParameterSpec.check`, :meth:`ParameterSpec.outside` and
    :func:`check_range` all use it.
    """
    above_low = np.greater(value, low) if low_open else np.greater_equal(value, low)
    below_high = np.less(value, high) if high_open else np.less_equal(value, high)
    return ~(np.isfinite(value) & above_low & below_high)


_NOT_NUMBERS = (str, bytes, type(None))


def check_range(
    name: str,
    value: Any,
    low: Any = -math.inf,
    high: Any = math.inf,
    *,
    low_open: bool = False,
    high_open: bool = False,
    integer: bool = False,
    what: str = "",
) -> np.ndarray:
    """Return ``value`` as a float array, or raise :class:`ParameterError` naming what is allowed.

    The argument check of the vectorised published models: ``value`` may be a number or an
    array-like of numbers, and every element must be finite and inside the interval from
    ``low`` to ``high`` (and a whole number when ``integer``). The message names the
    argument, the first offending element (in C order) and the valid range in interval
    notation, the same wording as :meth:`ParameterSpec.check`.

    Parameters
    ----------
    name : str
        The argument's name as the caller wrote it, e.g. ``"prior_sincere"``.
    value : float or array_like
        The number(s) to check. Strings, ``None``, complex numbers and other non-numbers are
        rejected; booleans count as 0 and 1, as in numpy, so that masks such as a support
        profile pass (unlike :meth:`ParameterSpec.check`, which wants a number).
    low, high : float or array_like, optional
        Bounds of the valid range, ``-inf`` and ``inf`` by default. Arrays broadcast against
        ``value`` (e.g. an upper bound that is itself an argument); the message then shows
        the bound at the offending element.
    low_open, high_open : bool, optional
        Whether the bound itself is excluded. Infinite bounds are written open (``inf`` is
        never a valid value).
    integer : bool, optional
        Whether only whole numbers are allowed (the result is still a float array).
    what : str, optional
        A short explanation appended in parentheses, e.g. the argument's meaning.

    Returns
    -------
    numpy.ndarray
        ``value`` as a float array of its own shape (0-d for a number; not copied when it
        already is a float array).

    Raises
    ------
    ParameterError
        A :class:`ValueError`. Its ``name`` is ``name`` and its ``value`` the first offending
        element (or ``value`` itself when it is not a number).

    Examples
    --------
    >>> check_range("p", [0.2, 0.5], 0, 1)
    array([0.2, 0.5])
    >>> check_range("prior", [0.5, 1.0, 2.0], 0, 1, low_open=True, high_open=True,
    ...             what="the prior belief that Russia is sincere")
    Traceback (most recent call last):
    ...
    simulator.model.parameters.ParameterError: prior = 1.0 is outside its valid range (0, 1) \
(the prior belief that Russia is sincere)
    >>> check_range("rounds", 2.5, 0, integer=True)
    Traceback (most recent call last):
    ...
    simulator.model.parameters.ParameterError: rounds = 2.5 is outside its valid range: whole \
numbers in [0, inf)
    """
    suffix = f" ({what})" if what else ""
    try:
        raw = np.asarray(value)
        if raw.dtype.kind not in "biufO":  # strings, complex, dates ...
            raise TypeError(raw.dtype)
        if raw.dtype.kind == "O" and any(isinstance(v, _NOT_NUMBERS) for v in raw.flat):
            raise TypeError("not a number")  # float(None) would pass as nan
        x = raw.astype(float, copy=False)
    except (TypeError, ValueError):
        message = (
            f"{name} = {reprlib.repr(value)} is not a number (nor an array of numbers); "
            "its valid range is "
            f"{_interval_text(np.min(low), np.max(high), low_open, high_open)}{suffix}"
        )
        raise ParameterError(name, value, message) from None
    bad = np.asarray(_outside(x, low, high, low_open, high_open))  # shape of x and bounds
    rejected = bad | (integer & (np.round(x) != x))
    if not rejected.any():
        return x
    index = int(np.flatnonzero(rejected)[0])
    shown, lo, hi = (float(np.broadcast_to(a, bad.shape).flat[index]) for a in (x, low, high))
    number = int(shown) if integer and shown.is_integer() else shown
    interval = _interval_text(lo, hi, low_open, high_open)
    if bad.flat[index]:
        message = f"{name} = {number!r} is outside its valid range {interval}{suffix}"
    else:
        message = f"{name} = {number!r} is outside its valid range: whole numbers in {interval}"
        message += suffix
    raise ParameterError(name, number, message)


def parameter(
    default: Any,
    *,
    low: float,
    high: float,
    unit: str,
    description: str,
    label: str,
    display_unit: str | None = None,
    low_open: bool = False,
    high_open: bool = False,
    integer: bool = False,
) -> Any:
    """Declare a dataclass field as a documented, range-checked parameter.

    Parameters
    ----------
    default : Any
        The field's default value.
    low, high : float
        Bounds of the valid range (``-inf``/``inf`` for none).
    unit : str
        The unit, e.g. ``"share of the stake"`` or ``"probability"``.
    description : str
        One sentence a policy student can read.
    label : str
        The short plain words a reader sees on an axis or in a table (non-empty).
    display_unit : str, optional
        The unit shown beside the label where it differs from ``unit`` (``""``: none).
    low_open, high_open : bool, optional
        Whether the bound itself is excluded.
    integer : bool, optional
        Whether only whole numbers are allowed.

    Returns
    -------
    dataclasses.Field
        A field with that default whose metadata holds the spec, read back by
        :func:`parameter_specs`. The range is checked only when the dataclass calls
        :func:`validate` (in its ``__post_init__``).

    Raises
    ------
    ParameterError
        If ``label`` is empty (checked here, where the field is declared).

    Examples
    --------
    >>> from dataclasses import dataclass, field
    >>> @dataclass(frozen=True)
    ... class Side:
    ...     war_cost: float = parameter(0.1, low=0, high=1, unit="share of the stake",
    ...                                 description="cost of fighting", label="Cost of war")
    ...     def __post_init__(self):
    ...         validate(self, "side")
    >>> Side(war_cost=2)
    Traceback (most recent call last):
    ...
    simulator.model.parameters.ParameterError: side.war_cost = 2 is outside ...
    """
    ParameterSpec("", description, unit, low, high, label=label, display_unit=display_unit)
    meta = {
        "spec": {
            "description": description,
            "label": label,
            "display_unit": display_unit,
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
    """The :class:`ParameterSpec` of every parameter field of a dataclass, in field order.

    Parameters
    ----------
    cls_or_obj : type or object
        A dataclass or an instance of one.

    Yields
    ------
    ParameterSpec
        One per field declared with :func:`parameter` (other fields are skipped), its
        ``default`` the field's default (``None`` when it has none).

    Examples
    --------
    >>> from simulator.model.actors import Ukraine
    >>> [s.name for s in parameter_specs(Ukraine)][:2]
    ['war_cost', 'capability']
    >>> next(parameter_specs(Ukraine)).range_text()
    '[0, 10]'
    """
    for f in dataclasses.fields(cls_or_obj):
        meta = f.metadata.get("spec")
        if meta is None:
            continue
        default = f.default if f.default is not dataclasses.MISSING else None
        yield ParameterSpec(name=f.name, default=default, **meta)


def validate(obj: Any, prefix: str) -> None:
    """Check every parameter field of the dataclass instance ``obj``.

    A valid value is stored as the checked number: a whole-number parameter given as ``3.0``
    becomes the int ``3``, any other parameter given as an int becomes a float.

    Parameters
    ----------
    obj : object
        A dataclass instance whose fields were declared with :func:`parameter`.
    prefix : str
        The qualified name of ``obj`` used in error messages, e.g. ``"russia"`` for
        ``russia.war_cost``.

    Raises
    ------
    ParameterError
        If a field is not a finite number (a bool is refused), is outside its range, or is
        not a whole number where one is required.

    Examples
    --------
    >>> from simulator.model.actors import Ukraine, West
    >>> Ukraine(war_cost=1).war_cost, West(periods_of_war=3.0).periods_of_war
    (1.0, 3)
    """
    for spec in parameter_specs(obj):
        value = getattr(obj, spec.name)
        checked = spec.check(value, f"{prefix}.{spec.name}")
        if checked != value or type(checked) is not type(value):
            object.__setattr__(obj, spec.name, checked)


def html_rows(header: tuple[str, ...], rows: list[tuple[Any, ...]], caption: str = "") -> str:
    """A small HTML table (for notebooks' ``_repr_html_``), every cell escaped.

    Parameters
    ----------
    header : tuple of str
        The column headings.
    rows : list of tuple
        The body rows, each cell turned into text with :class:`str`.
    caption : str, optional
        A caption above the table (none when empty).

    Returns
    -------
    str
        The ``<table>`` element as one line of HTML.

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
