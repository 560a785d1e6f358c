"""Shared drawing of the briefing figures: titles, legends, label fitting, styles and tints.

Part of :mod:`simulator.plots.figures`. :func:`_finish` sets a figure's title and subtitle,
fits its axis labels and lays it out once (so that every save gives the same bytes);
:func:`_figure_legend` places one legend outside the axes; :func:`_line_styles` and
:func:`_tint` give series their colours and dash patterns.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

import numpy as np

from simulator.plots.style import LINE_STYLES, colours_for, wrap

if TYPE_CHECKING:
    from matplotlib.figure import Figure

_GREY = "#555555"
_LIGHT_GREY = "#9A9A9A"
#: Subtitle: font size and wrapping width (characters).
_SUBTITLE_SIZE = 13
_SUBTITLE_WIDTH = 100


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _line_styles(names: list[str]) -> dict[str, dict[str, Any]]:
    """Colour and dash pattern per series name, so overlapping lines stay distinguishable."""
    return {
        name: {"color": colour, "linestyle": LINE_STYLES[k % len(LINE_STYLES)]}
        for k, (name, colour) in enumerate(zip(names, colours_for(names)))
    }


def _finish(fig: Figure, title: str, subtitle: str | None = None) -> None:
    """Set the title (and a subtitle under it), fit labels, then lay out once and freeze.

    Constrained layout refines positions starting from the current ones, so a figure laid
    out again at every save would move by a fraction of a point between saves. Laying it out
    here, from the same starting state every time, and then switching the layout engine off
    makes every save of the figure (and of a rebuilt one) give the same bytes.

    The subtitle sits in blank lines kept under the title (so that the layout makes room for
    it) and is drawn smaller and not bold once the layout is known. A y-axis label taller than
    its axes is wrapped onto more lines, so that it never reaches the title.
    """
    sub = wrap(subtitle, _SUBTITLE_WIDTH) if subtitle else ""
    blank = "\n" * (sub.count("\n") + 1) if sub else ""
    sup = fig.suptitle(wrap(title, 62, balanced=True) + blank, x=0.01, ha="left")
    _lay_out(fig)
    if _fit_labels(fig):
        _lay_out(fig)
    fig.set_layout_engine("none")
    renderer = _renderer(fig)
    box = sup.get_window_extent(renderer).transformed(fig.transFigure.inverted())
    if sub:
        fig.text(
            0.01,
            box.y0,
            sub,
            ha="left",
            va="bottom",
            fontsize=_SUBTITLE_SIZE,
            color="#333333",
        )
    _align_right_legends(fig, renderer, box.y0)
    _align_columns(fig, renderer)


def _columns(fig: Figure) -> list[tuple[Any, tuple[str, float]]]:
    """Every axes of the figure with its column: in a row of a grid (a subfigure), its place
    in the row; otherwise its left edge."""
    place = {id(ax): float(k) for row in _rows(fig) for k, ax in enumerate(row)}
    return [
        (
            ax,
            ("place", place[id(ax)])
            if id(ax) in place
            else ("left", round(float(ax.get_position().x0), 3)),
        )
        for ax in fig.axes
    ]


def _rows(fig: Figure) -> list[list[Any]]:
    """The visible axes of each row of a grid (each subfigure), in order."""
    return [[ax for ax in sf.axes if ax.get_visible()] for sf in fig.subfigs]


def _lay_out(fig: Figure) -> None:
    """Run the figure's layout engine once, without drawing its artists: a draw without
    rendering lays out and then draws every artist, which adds about 40% to the layout."""
    engine = fig.get_layout_engine()
    if engine is None:
        fig.draw_without_rendering()
    else:
        engine.execute(fig)


def _align_columns(fig: Figure, renderer: Any) -> None:
    """Give the k-th axes of every row (subfigure) of a grid the same left and right edges.

    Constrained layout fits each row on its own: a row whose tick labels are wider starts its
    axes further right, and the last row, with the period axis's tick labels under it, ends
    them a few points short of the rows above (the last tick label reaches past the axes).
    Each column's axes are cut to the span they all share (their labels fitted alike,
    :func:`_fit_labels`).
    """
    rows = _rows(fig)
    if len(rows) < 2 or len({len(row) for row in rows}) != 1:
        return
    for column in zip(*rows):
        boxes = [ax.get_window_extent(renderer) for ax in column]
        left, right = max(b.x0 for b in boxes), min(b.x1 for b in boxes)
        for ax, b in zip(column, boxes):
            if b.x0 < left or b.x1 > right:
                to_figure = ax.figure.transSubfigure.inverted()
                (x0, y0), (x1, y1) = to_figure.transform([[left, b.y0], [right, b.y1]])
                ax.set_position([x0, y0, x1 - x0, y1 - y0])


def _align_right_legends(fig: Figure, renderer: Any, ceiling: float) -> None:
    """Move a legend right of the axes so that its top is level with the axes' top.

    Constrained layout centres it on the figure, so a tall one rises beside the title; level
    with the axes it stays below the title and subtitle (``ceiling``, a figure fraction),
    rising above the axes' top only as far as it must to stay inside the figure.
    """
    axes = [ax for ax in fig.axes if ax.get_visible()]
    if not axes:
        return
    to_figure = fig.transFigure.inverted()
    right = max(ax.get_window_extent(renderer).transformed(to_figure).x1 for ax in axes)
    top = max(ax.get_window_extent(renderer).transformed(to_figure).y1 for ax in axes)
    for legend in fig.legends:
        box = legend.get_window_extent(renderer).transformed(to_figure)
        if box.x0 < right:
            continue  # a legend below the axes
        anchor = min(max(top, box.height + 0.01), ceiling - 0.005)
        legend.set_loc("upper left")
        legend.set_bbox_to_anchor((box.x0, anchor), transform=fig.transFigure)


def _renderer(fig: Figure) -> Any:
    """A renderer to measure text with (the Agg canvas; saving picks its own)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    return fig.canvas.get_renderer()


def _fit_labels(fig: Figure) -> bool:
    """Wrap y-axis labels taller than their axes onto more lines; whether any changed.

    Axes in one column of a grid with the same label (a panel repeated for each row) get the
    label fitted to the shortest of them, so that the column's axes stay aligned.
    """
    renderer = _renderer(fig)
    changed = False
    fitted: dict[tuple[tuple[str, float], str], list[Any]] = {}  # (column, text): labels
    for ax, column in _columns(fig):
        label = ax.yaxis.label
        text = " ".join(label.get_text().split())
        if not ax.get_visible() or not text:
            continue
        room = ax.get_window_extent(renderer).height
        width = max(len(line) for line in label.get_text().split("\n"))
        while label.get_window_extent(renderer).height > room and width > 8:
            width -= 4
            label.set_text("\n".join(textwrap.wrap(text, width)))
            changed = True
        while label.get_window_extent(renderer).height > room and label.get_fontsize() > 9:
            label.set_fontsize(label.get_fontsize() - 1)
            changed = True
        fitted.setdefault((column, text), []).append(label)
    for labels in fitted.values():
        # the most lines, then the smallest font, of the column's fits
        tightest = max(labels, key=lambda x: (x.get_text().count("\n"), -x.get_fontsize()))
        for label in labels:
            if (label.get_text(), label.get_fontsize()) != (
                tightest.get_text(),
                tightest.get_fontsize(),
            ):
                label.set_text(tightest.get_text())
                label.set_fontsize(tightest.get_fontsize())
                changed = True
    return changed


def _figure_legend(
    fig: Figure,
    handles: list[Any],
    title: str | None = None,
    side: str = "below",
    labels: list[str] | None = None,
    **kwargs: Any,
) -> None:
    """One legend outside the axes (``"below"`` or ``"right"``), placed by constrained layout.

    ``side="auto"`` puts labels longer than 30 characters (regime names) on the right, wrapped
    onto lines of 30 characters, which leaves the axes more height than a tall legend below.
    """
    if not handles:
        return
    labels = labels if labels is not None else [h.get_label() for h in handles]
    if side == "auto":
        side = "right" if max(len(label) for label in labels) > 30 else "below"
        if side == "right":
            labels = [wrap(label, 30) for label in labels]
    longest = max(len(label) for label in labels)
    # as many columns as labels of this length fit across the figure (regime labels that name
    # several outcomes run to 70 characters: one column)
    fit = 4 if longest <= 22 else 3 if longest <= 32 else 2 if longest <= 48 else 1
    ncols = max(1, min(len(handles), fit))
    if side == "right":
        ncols = 1
    fig.legend(
        handles=handles,
        labels=labels,
        loc="outside lower center" if side == "below" else "outside right center",
        ncols=ncols,
        title=title,
        title_fontsize=12,
        handlelength=2.2,
        columnspacing=1.5,
        **kwargs,
    )


def _tint(colour: str, amount: float) -> str:
    """``colour`` mixed with white (``amount`` = share of white), as hex."""
    from_hex = np.array([int(colour[k : k + 2], 16) for k in (1, 3, 5)], dtype=float)
    mixed = from_hex + (255.0 - from_hex) * amount
    return "#" + "".join(f"{int(round(v)):02X}" for v in mixed)
