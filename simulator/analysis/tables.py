"""Plain-data helpers shared by the results classes: JSON-ready values, tables, HTML, pandas.

Results are kept as numpy arrays and Python numbers; these helpers turn them into what the
outside world reads: JSON-ready values (``nan`` becomes ``None``), rows of a table, an HTML
table for Jupyter, and a :class:`pandas.DataFrame` when pandas is installed (it is optional:
the library never needs it).
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

__all__ = ["html_table", "jsonable", "to_frame"]


def jsonable(value: Any) -> Any:
    """``value`` as plain JSON types: numpy to Python, tuples to lists, ``nan``/``inf`` to None.

    Parameters
    ----------
    value : Any
        A number, string, bool, ``None``, numpy scalar or array, or a mapping, list or tuple
        of them (nested to any depth).

    Returns
    -------
    Any
        The same value built from ``dict`` (keys made strings), ``list``, ``bool``, ``int``,
        ``float``, ``str`` and ``None`` only; anything else becomes its ``str``.

    Examples
    --------
    >>> jsonable({"a": np.float64(0.5), "b": (1, np.nan), "c": np.array([[True]])})
    {'a': 0.5, 'b': [1, None], 'c': [[True]]}
    """
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        return jsonable(value.tolist())
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (float, np.floating)):
        return "" if not math.isfinite(value) else f"{float(value):.4g}"
    return str(value)


def html_table(
    rows: Sequence[Mapping[str, Any]], caption: str | None = None, limit: int = 60
) -> str:
    """A small HTML table of ``rows`` (dicts with the same keys), for Jupyter.

    Parameters
    ----------
    rows : sequence of mapping of str to Any
        The table's rows. The columns are every key in order of first appearance; a row
        without a key leaves its cell empty.
    caption : str, optional
        A caption above the table (escaped).
    limit : int, optional
        At most this many rows are shown (default 60); a last row says how many more there
        are.

    Returns
    -------
    str
        The ``<table>`` element. Cells are escaped; floats are written with 4 significant
        digits, ``None`` and ``nan`` as empty cells.

    Examples
    --------
    >>> print(html_table([{"strategy": "buy_time", "p": 0.51234}]))
    <table><thead><tr><th>strategy</th><th>p</th></tr></thead><tbody><tr><td>buy_time</td><td>0.5123</td></tr></tbody></table>
    """
    columns: list[str] = []
    for row in rows:
        columns += [k for k in row if k not in columns]
    parts = ["<table>"]
    if caption:
        parts.append(f"<caption>{html.escape(caption)}</caption>")
    parts.append("<thead><tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in columns))
    parts.append("</tr></thead><tbody>")
    for row in rows[:limit]:
        cells = "".join(f"<td>{html.escape(_cell(row.get(c)))}</td>" for c in columns)
        parts.append(f"<tr>{cells}</tr>")
    if len(rows) > limit:
        parts.append(
            f'<tr><td colspan="{len(columns)}">... {len(rows) - limit} more rows</td></tr>'
        )
    parts.append("</tbody></table>")
    return "".join(parts)


def to_frame(rows: Iterable[Mapping[str, Any]]) -> Any:
    """A :class:`pandas.DataFrame` of ``rows``; pandas is optional, so import it here.

    Parameters
    ----------
    rows : iterable of mapping of str to Any
        The rows, each mapping column names to values.

    Returns
    -------
    pandas.DataFrame
        One row per mapping, one column per key.

    Raises
    ------
    ImportError
        When pandas is not installed, saying how to install it.
    """
    try:
        import pandas as pd
    except ImportError:
        raise ImportError(
            "to_frame() needs pandas, which is optional: install it with 'pip install pandas' "
            "(or use as_dict() / tables(), which need nothing extra)"
        ) from None
    return pd.DataFrame(list(rows))
