"""Canonical text for results: the same data always gives the same bytes.

Two runs with the same seed must write byte-identical ``results.json`` apart from its
``generated_at`` field, so floats are rounded to :data:`SIGNIFICANT_DIGITS` significant
digits (this hides last-bit differences between otherwise identical computations) and
written in Python's shortest round-trip form, keys are sorted, ``nan``/``inf`` become
``null`` and ``-0.0`` becomes ``0.0``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import numpy as np

__all__ = ["SIGNIFICANT_DIGITS", "canonical", "dumps", "format_value"]

#: Significant digits kept in every float written.
SIGNIFICANT_DIGITS = 12


def _float(x: float) -> float | None:
    if not math.isfinite(x):
        return None
    rounded = float(f"{x:.{SIGNIFICANT_DIGITS}g}")
    return 0.0 if rounded == 0 else rounded


def canonical(value: Any) -> Any:
    """``value`` with floats rounded, numpy and tuples converted, keys made strings.

    Parameters
    ----------
    value : Any
        A number, string, bool, ``None``, numpy scalar or array, or a mapping, list, tuple or
        set of them (nested to any depth).

    Returns
    -------
    Any
        The same data as JSON types: mappings become dicts with string keys, arrays, tuples
        and lists become lists, sets sorted lists (by ``repr``), numpy scalars Python ones;
        floats are rounded to :data:`SIGNIFICANT_DIGITS` significant digits, ``nan`` and
        ``inf`` become ``None`` and ``-0.0`` becomes ``0.0``; anything else becomes its
        ``str``.

    Examples
    --------
    >>> canonical({"b": (0.1 + 0.2, float("nan")), "a": np.float32(0.5), "c": -0.0})
    {'b': [0.3, None], 'a': 0.5, 'c': 0.0}
    """
    if isinstance(value, Mapping):
        return {str(k): canonical(v) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        return canonical(value.tolist())
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return [canonical(v) for v in sorted(value, key=repr)]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        return _float(value)
    return str(value)


def dumps(document: Any) -> str:
    """Canonical JSON text of ``document`` (sorted keys, two-space indent, final newline).

    Parameters
    ----------
    document : Any
        The data to write (anything :func:`canonical` accepts).

    Returns
    -------
    str
        The JSON text of :func:`canonical` ``(document)``, non-ASCII characters kept as they
        are.

    Examples
    --------
    >>> print(dumps({"b": 1 / 3, "a": [True, None]}), end="")
    {
      "a": [
        true,
        null
      ],
      "b": 0.333333333333
    }
    """
    return (
        json.dumps(
            canonical(document), sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False
        )
        + "\n"
    )


def format_value(value: Any) -> str:
    """A CSV cell: canonical floats, ``true``/``false``, empty for missing values.

    Parameters
    ----------
    value : Any
        The cell's value (anything :func:`canonical` accepts).

    Returns
    -------
    str
        ``""`` for ``None``, ``nan`` and ``inf``; ``true``/``false`` for a bool; the shortest
        round-trip text of the rounded float; compact JSON (sorted keys) for a list or a
        mapping; ``str`` of anything else.

    Examples
    --------
    >>> [format_value(v) for v in (0.1 + 0.2, float("nan"), True, None, "war", 3)]
    ['0.3', '', 'true', '', 'war', '3']
    """
    value = canonical(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, sort_keys=True)
    return str(value)
