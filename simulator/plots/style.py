"""The briefing style: a colour-blind-safe palette, slide-sized fonts and plain-word labels.

Every figure of :mod:`simulator.plots` is drawn with :data:`BRIEFING_RC` in force and takes
its colours from the Okabe-Ito palette (M. Okabe & K. Ito, *Color Universal Design*, 2008;
recommended by B. Wong, "Points of view: Color blindness", *Nature Methods* 8, 441, 2011),
whose eight colours stay distinct under the common forms of colour blindness.

Labels are plain words, never code names: they come from :mod:`simulator.analysis.labels`
(one place for the words of the terminal, the briefing and the figures).

Nothing here imports matplotlib at module level, so ``import simulator.plots`` stays fast.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from simulator.analysis.labels import plain_label

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "BRIEFING_RC",
    "FIGURE_SIZE",
    "LINE_STYLES",
    "OKABE_ITO",
    "SERIES_ORDER",
    "briefing_style",
    "colours_for",
    "new_figure",
    "style_axes",
    "wrap",
]

#: The Okabe-Ito palette in its published order: black, orange, sky blue, bluish green,
#: yellow, blue, vermillion, reddish purple.
OKABE_ITO: tuple[str, ...] = (
    "#000000",
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
)
_BLACK, _ORANGE, _SKY, _GREEN, _YELLOW, _BLUE, _VERMILLION, _PURPLE = OKABE_ITO

#: Order in which series take palette colours: yellow (hard to see as a line on white) and
#: black (kept for reference lines) come last.
SERIES_ORDER: tuple[str, ...] = (
    _BLUE,
    _VERMILLION,
    _GREEN,
    _ORANGE,
    _PURPLE,
    _SKY,
    _BLACK,
    _YELLOW,
)

#: Fixed colours for names that recur across figures, so that "war" or "buy time" has the
#: same colour on every slide of a briefing.
KNOWN_COLOURS: dict[str, str] = {
    # outcomes
    "settlement": _GREEN,
    "settled": _GREEN,
    "stalling": _ORANGE,
    "broken": _ORANGE,
    "renewed war": _PURPLE,
    "war": _VERMILLION,
    # strategies
    "genuine compromise": _GREEN,
    "buy time": _VERMILLION,
    "fight on": _PURPLE,
    # actors
    "russia": _VERMILLION,
    "ukraine": _BLUE,
    "the west": _SKY,
    "west": _SKY,
}

#: Line styles that series take in turn, so overlapping lines stay distinguishable (and the
#: figure survives printing in grey).
LINE_STYLES: tuple[Any, ...] = ("-", (0, (5, 2)), (0, (5, 2, 1, 2)), (0, (1, 1.5)))

#: Slide-sized figure (16:9, inches); at 200 dpi a PNG is 2000 x 1125 pixels.
FIGURE_SIZE: tuple[float, float] = (10.0, 5.625)

#: Matplotlib settings in force while a briefing figure is built and saved. The font ships
#: with matplotlib, and text is saved as paths, so the output is the same on every machine;
#: the fixed SVG hash salt makes element ids (and so the SVG bytes) reproducible.
BRIEFING_RC: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 14,
    "axes.titlesize": 17,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 14,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.titlesize": 18,
    "figure.titleweight": "bold",
    "figure.dpi": 100,
    "legend.fontsize": 12,
    "legend.frameon": False,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "lines.linewidth": 2.5,
    "svg.hashsalt": "simulator-briefing",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "savefig.dpi": 200,
    "savefig.facecolor": "white",
}


def wrap(text: str, width: int = 60, *, balanced: bool = False) -> str:
    """Break a long title or label into lines of at most ``width`` characters.

    Parameters
    ----------
    text : str
        The title or label.
    width : int, optional
        The longest line, in characters (default 60). Words are not broken at hyphens; a
        single word longer than ``width`` is split.
    balanced : bool, optional
        Keep the number of lines but make them as even as the words allow (the narrowest
        width that needs no more lines), so that a title never ends in one orphaned word.

    Returns
    -------
    str
        ``text`` itself if it fits, else its lines joined by newlines.

    Examples
    --------
    >>> wrap("Equilibrium outcome by great-power status premium and Western cohesion", 40)
    'Equilibrium outcome by great-power\\nstatus premium and Western cohesion'
    >>> wrap("Offer “Deal”: the buy-time game played out", 38)
    'Offer “Deal”: the buy-time game played\\nout'
    >>> wrap("Offer “Deal”: the buy-time game played out", 38, balanced=True)
    'Offer “Deal”: the\\nbuy-time game played out'
    """
    if len(text) <= width:
        return text
    lines = textwrap.wrap(text, width=width, break_on_hyphens=False)
    if balanced:
        longest = max(len(word) for word in text.split())
        for narrower in range(max(longest, 1), width):
            even = textwrap.wrap(text, width=narrower, break_on_hyphens=False)
            if len(even) == len(lines):
                lines = even
                break
    return "\n".join(lines)


def colours_for(names: Sequence[str]) -> list[str]:
    """One palette colour per name: fixed colours for known names, the rest in series order.

    Names are matched in plain words, case-insensitively (``"buy_time"`` and ``"Buy time"``
    get the same colour). A colour already taken in this call is not reused while unused
    palette colours remain.

    Parameters
    ----------
    names : sequence of str
        The series' names (parameter, strategy, outcome or actor names, or plain words).

    Returns
    -------
    list of str
        One hex colour (``"#RRGGBB"``, from :data:`OKABE_ITO`) per name, in order. Beyond
        eight names colours repeat.

    Examples
    --------
    >>> colours_for(["settlement", "war", "something else"])
    ['#009E73', '#D55E00', '#0072B2']
    """
    keys = [plain_label(n).lower() for n in names]
    out: list[str | None] = [None] * len(keys)
    used: set[str] = set()
    for i, key in enumerate(keys):
        fixed = KNOWN_COLOURS.get(key)
        if fixed is not None and fixed not in used:
            out[i] = fixed
            used.add(fixed)
    free = [c for c in SERIES_ORDER if c not in used]
    k = 0
    for i in range(len(out)):
        if out[i] is None:
            out[i] = free[k] if k < len(free) else SERIES_ORDER[i % len(SERIES_ORDER)]
            k += 1
    return [str(c) for c in out]


@contextmanager
def briefing_style() -> Iterator[None]:
    """Context in which matplotlib uses :data:`BRIEFING_RC` (restored on exit).

    Series take their colours in :data:`SERIES_ORDER` inside it.

    Yields
    ------
    None
        Control, with the style in force; matplotlib's settings are restored when the block
        ends.

    Examples
    --------
    >>> import matplotlib
    >>> with briefing_style():
    ...     matplotlib.rcParams["svg.hashsalt"]
    'simulator-briefing'
    """
    import matplotlib
    from cycler import cycler

    rc = dict(BRIEFING_RC)
    rc["axes.prop_cycle"] = cycler(color=list(SERIES_ORDER))
    # The colour cycle needs matplotlib's cycler, so it is added here rather than in the dict.
    with matplotlib.rc_context(rc):
        yield


def new_figure(
    nrows: int = 1, ncols: int = 1, figsize: tuple[float, float] | None = None, **subplot_kw: Any
) -> tuple[Figure, Any]:
    """A slide-sized :class:`~matplotlib.figure.Figure` (no pyplot) and its axes.

    Call inside :func:`briefing_style`. Uses constrained layout so titles, labels and
    legends outside the axes do not overlap.

    Parameters
    ----------
    nrows, ncols : int, optional
        The grid of axes (default one).
    figsize : tuple of float, optional
        Width and height in inches (default :data:`FIGURE_SIZE`, 16:9).
    **subplot_kw : Any
        Passed to :meth:`matplotlib.figure.Figure.subplots` (``sharex``, ``sharey``,
        ``gridspec_kw``, ...).

    Returns
    -------
    fig : matplotlib.figure.Figure
        The figure.
    axes : matplotlib.axes.Axes or numpy.ndarray of Axes
        One axes for a 1 x 1 grid, else an array of them (squeezed to one dimension for a
        single row or column); each styled by :func:`style_axes`.

    Examples
    --------
    >>> with briefing_style():
    ...     fig, ax = new_figure()
    >>> type(fig).__name__, fig.get_size_inches().tolist()
    ('Figure', [10.0, 5.625])
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize or FIGURE_SIZE, layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=True, **subplot_kw)
    for ax in axes.ravel() if hasattr(axes, "ravel") else [axes]:
        style_axes(ax)
    return fig, axes


def style_axes(ax: Axes, grid: str | None = "y") -> None:
    """Apply the briefing look to axes explicitly (it survives outside :func:`briefing_style`).

    Tick settings are stored on the axes, so ticks that matplotlib creates later, e.g. at
    save time, get the same sizes. ``grid`` is ``"x"``, ``"y"``, ``"both"`` or ``None``.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes, changed in place: tick sizes, no top or right spine, the grid.
    grid : {"y", "x", "both", None}, optional
        Which axis gets light grid lines (default ``"y"``); ``None`` for none.

    Examples
    --------
    >>> with briefing_style():
    ...     fig, ax = new_figure()
    ...     style_axes(ax, grid=None)
    >>> ax.spines["top"].get_visible(), ax.xaxis.get_gridlines()[0].get_visible()
    (False, False)
    """
    ax.tick_params(labelsize=BRIEFING_RC["xtick.labelsize"], length=5, width=1, color="#444444")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(False)
    if grid:
        ax.grid(True, axis=grid, color="#DDDDDD", linewidth=0.8)
        ax.set_axisbelow(True)
