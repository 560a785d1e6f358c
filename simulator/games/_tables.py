"""Plain-text grids shared by the games' table renderings."""

from __future__ import annotations

from collections.abc import Sequence


def format_number(value: float, precision: int) -> str:
    """Integers without a decimal point, others to ``precision`` significant digits.

    Examples
    --------
    >>> format_number(3.0, 4), format_number(2 / 3, 4)
    ('3', '0.6667')
    """
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.{precision}g}"


def render_grid(
    corner: str,
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    cells: Sequence[Sequence[str]],
    header: Sequence[str] = (),
) -> str:
    """A table with row labels down the side and right-aligned cells.

    Examples
    --------
    >>> print(render_grid("A \\\\ B", ["x", "y"], ["l", "r"], [["1", "2"], ["3", "4"]]))
    A \\ B | l | r
    ------+---+--
    x     | 1 | 2
    y     | 3 | 4
    """
    widths = [max([len(corner)] + [len(s) for s in row_labels])]
    widths += [
        max([len(label)] + [len(row[c]) for row in cells]) for c, label in enumerate(column_labels)
    ]
    lines = list(header)
    lines.append(
        " | ".join(
            [corner.ljust(widths[0])] + [c.rjust(w) for c, w in zip(column_labels, widths[1:])]
        )
    )
    lines.append("-+-".join("-" * w for w in widths))
    for label, row in zip(row_labels, cells):
        lines.append(
            " | ".join([label.ljust(widths[0])] + [v.rjust(w) for v, w in zip(row, widths[1:])])
        )
    return "\n".join(line.rstrip() for line in lines)
