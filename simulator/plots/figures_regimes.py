"""Regime maps and strips: which equilibrium outcome holds where, labelled in place.

Part of :mod:`simulator.plots.figures`. :func:`regime_map` colours a grid over two
parameters by regime, :func:`regime_strip` a strip along one (with the outcome probabilities
below it); :func:`encode_regimes` turns regime names into the codes both take. Regions are
labelled in place by :func:`_label_regions`: by name where the name fits, else by a letter
the legend explains.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from simulator.analysis.labels import axis_label, in_sentence, plain_label
from simulator.plots.figures_data import (
    _cell_edges,
    _grid_axis,
    _labels,
    _point,
    _series,
)
from simulator.plots.figures_layout import _figure_legend, _finish, _renderer, _tint
from simulator.plots.style import (
    FIGURE_SIZE,
    LINE_STYLES,
    briefing_style,
    colours_for,
    new_figure,
    style_axes,
    wrap,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["encode_regimes", "regime_map"]

#: Regions other than a regime's largest are labelled when they cover this share of the grid.
_MIN_LABELLED_SHARE = 0.03
#: Letters that stand for regimes too thin to hold their names (the legend explains them).
_KEYS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#: How a region's name and a region's letter are drawn on a regime map.
_NAME_STYLE: dict[str, Any] = {
    "fontsize": 13,
    "fontweight": "bold",
    "color": "#111111",
    "bbox": {"boxstyle": "round,pad=0.3", "fc": "white", "ec": "none", "alpha": 0.8, "pad": 0.3},
}
_KEY_STYLE: dict[str, Any] = {
    "fontsize": 12,
    "fontweight": "bold",
    "color": "#111111",
    "bbox": {
        "boxstyle": "circle,pad=0.25",
        "fc": "white",
        "ec": "#222222",
        "lw": 1.0,
        "alpha": 0.9,
        "pad": 0.25,
    },
}
#: Size (points) of the star that marks the scenario's own point.
_STAR_SIZE = 20


# ============================================================================ regime map
def regime_map(
    x_values: Any,
    y_values: Any,
    regimes: Any,
    regime_labels: Sequence[str],
    x_parameter: str,
    y_parameter: str,
    title: str | None = None,
    annotate: bool = True,
    *,
    legend_title: str | None = "Equilibrium outcome",
    point: tuple[float, float] | None = None,
    point_label: str = "This scenario",
    subtitle: str | None = None,
) -> Figure:
    """Which equilibrium outcome holds where, over two parameters.

    Each grid cell is coloured by its regime; boundaries between regimes are drawn; a legend
    names the regimes present. With ``annotate`` every regime is labelled in place (its
    largest region, and any other region covering 3% of the grid): by its name where the
    name fits inside the region, otherwise by a letter that the legend explains; labels never
    cover each other or the scenario's point.

    Parameters
    ----------
    x_values, y_values : array_like, 1-D
        Increasing parameter values at the grid points (at least two each).
    regimes : array_like of int, shape (len(y_values), len(x_values))
        Regime code at each point: row ``i`` is ``y_values[i]``, column ``j`` is
        ``x_values[j]``; codes index ``regime_labels``. :func:`encode_regimes` turns an array
        of regime names into codes and labels.
    regime_labels : sequence of str
        A name per code, e.g. ``["settlement", "stalling", "war"]``.
    x_parameter, y_parameter : str
        Dotted parameter names or plain words, e.g. ``"russia.great_power_status"``.
    title : str, optional
        Defaults to "Equilibrium outcome by <x> and <y>".
    annotate : bool
        Label regions in place.
    legend_title : str or None
        Heading of the legend.
    point : (float, float), optional
        The scenario's own values of the two parameters, marked with a star.
    point_label : str
        The star's legend entry.
    subtitle : str, optional
        A line under the title (the scenario and the offer, say).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If the grid does not match the axes, a code has no label, or labels repeat.

    Examples
    --------
    >>> import numpy as np
    >>> status = np.linspace(0, 2, 5)
    >>> cohesion = np.linspace(0, 1, 4)
    >>> codes = (status[None, :] > 0.5 + cohesion[:, None]).astype(int)
    >>> fig = regime_map(status, cohesion, codes, ["settlement", "war"],
    ...                  "russia.great_power_status", "west.western_cohesion",
    ...                  point=(0.4, 1.0))
    >>> print(fig.get_suptitle())
    Equilibrium outcome by great-power status premium and Western
    cohesion
    >>> fig.axes[0].get_xlabel()
    'Great-power status premium (share of the stake)'
    >>> [t.get_text() for t in fig.legends[0].get_texts()]
    ['A  Settlement', 'B  War', 'This scenario']
    """
    x = _grid_axis("x_values", x_values)
    y = _grid_axis("y_values", y_values)
    labels = _labels("regime_labels", regime_labels)
    codes = _regime_codes(regimes, (y.size, x.size), len(labels))
    where = _point("point", point, 2)
    plain = [plain_label(label) for label in labels]
    colours = colours_for(labels)
    # Lightened a little so region labels read on top; the hues stay the palette's.
    tints = [_tint(c, 0.1) for c in colours]
    x_edges, y_edges = _cell_edges(x), _cell_edges(y)

    with briefing_style():
        from matplotlib.collections import LineCollection
        from matplotlib.colors import BoundaryNorm, ListedColormap
        from matplotlib.patches import Patch

        fig, ax = new_figure()
        style_axes(ax, grid=None)
        n = len(labels)
        ax.pcolormesh(
            x_edges,
            y_edges,
            codes,
            cmap=ListedColormap(tints),
            norm=BoundaryNorm(np.arange(n + 1) - 0.5, n),
            shading="flat",
            edgecolors="face",
            linewidth=0.2,
            # One embedded image instead of a vector path per cell keeps SVG and PDF small.
            rasterized=True,
        )
        segments = _boundaries(codes, x_edges, y_edges)
        if len(segments):
            ax.add_collection(
                LineCollection(segments, colors="#222222", linewidths=1.6, capstyle="projecting")
            )
        ax.set_xlim(x_edges[0], x_edges[-1])
        ax.set_ylim(y_edges[0], y_edges[-1])
        ax.set_xlabel(axis_label(x_parameter))
        ax.set_ylabel(wrap(axis_label(y_parameter), 38))
        present = sorted(set(np.flatnonzero(np.bincount(np.ravel(codes))).tolist()))
        keys = {c: _KEYS[k % len(_KEYS)] for k, c in enumerate(present)}
        handles: list[Any] = [
            Patch(
                facecolor=tints[c],
                edgecolor="#222222",
                label=f"{keys[c]}  {plain[c]}" if annotate else plain[c],
            )
            for c in present
        ]
        star = None
        if where is not None:
            star = _mark_point(ax, where[0], where[1], point_label)
            handles.append(star)
        _figure_legend(fig, handles, title=legend_title, side="auto")
        _finish(
            fig,
            title
            or f"Equilibrium outcome by {in_sentence(plain_label(x_parameter))} and "
            f"{in_sentence(plain_label(y_parameter))}",
            subtitle,
        )
        if annotate:
            _label_regions(ax, x_edges, y_edges, codes, plain, keys, star)
    return fig


def regime_strip(
    x_values: Any,
    regimes: Any,
    regime_labels: Sequence[str],
    x_parameter: str,
    title: str | None = None,
    *,
    probabilities: Mapping[str, Any] | None = None,
    point: float | None = None,
    point_label: str = "This scenario",
    legend_title: str | None = "Equilibrium outcome",
    subtitle: str | None = None,
) -> Figure:
    """Which equilibrium outcome holds where along one parameter: a strip, no vertical axis.

    The strip is coloured by regime and labelled in place (the name where it fits, else a
    letter the legend explains). With ``probabilities`` a chart below it shows how likely each
    outcome is along the same parameter.

    Parameters
    ----------
    x_values : array_like, 1-D
        Increasing parameter values (at least two).
    regimes : array_like of int, shape (len(x_values),)
        Regime code at each value (:func:`encode_regimes`).
    regime_labels : sequence of str
    x_parameter : str
    title : str, optional
    probabilities : dict of str to array_like, optional
        Outcome probabilities along the parameter, e.g. ``{"settlement_probability": ...}``.
    point : float, optional
        The scenario's own value of the parameter, marked with a star.
    point_label, legend_title, subtitle : str

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> cost = np.linspace(0, 1, 11)
    >>> fig = regime_strip(cost, (cost > 0.4).astype(int), ["war", "settlement"],
    ...                    "russia.sanctions_cost", point=0.3,
    ...                    probabilities={"settlement_probability": (cost > 0.4) * 1.0})
    >>> strip, chart = fig.axes
    >>> strip.get_yticks().tolist(), chart.get_ylabel()
    ([], 'Probability')
    """
    x = _grid_axis("x_values", x_values)
    labels = _labels("regime_labels", regime_labels)
    codes = _regime_codes(np.asarray(regimes)[None, :], (1, x.size), len(labels))
    where = _point("point", point, 1)
    curves = {
        str(k): _series(f"probabilities[{k!r}]", v, x.size)
        for k, v in dict(probabilities or {}).items()
    }
    plain = [plain_label(label) for label in labels]
    tints = [_tint(c, 0.1) for c in colours_for(labels)]
    x_edges = _cell_edges(x)
    with briefing_style():
        from matplotlib.colors import BoundaryNorm, ListedColormap
        from matplotlib.patches import Patch

        if curves:
            fig, (strip, chart) = new_figure(
                2, 1, sharex=True, gridspec_kw={"height_ratios": [1, 3.2]}
            )
        else:
            fig, strip = new_figure(figsize=(FIGURE_SIZE[0], 3.4))
            chart = None
        style_axes(strip, grid=None)
        n = len(labels)
        strip.pcolormesh(
            x_edges,
            [0.0, 1.0],
            codes,
            cmap=ListedColormap(tints),
            norm=BoundaryNorm(np.arange(n + 1) - 0.5, n),
            shading="flat",
            rasterized=True,
        )
        change = np.flatnonzero(codes[0, 1:] != codes[0, :-1])
        for j in change:
            strip.axvline(x_edges[j + 1], color="#222222", linewidth=1.6)
        strip.set_xlim(x_edges[0], x_edges[-1])
        strip.set_ylim(0.0, 1.0)
        strip.set_yticks([])
        strip.spines["left"].set_visible(False)
        present = sorted(set(np.flatnonzero(np.bincount(np.ravel(codes))).tolist()))
        keys = {c: _KEYS[k % len(_KEYS)] for k, c in enumerate(present)}
        handles: list[Any] = [
            Patch(facecolor=tints[c], edgecolor="#222222", label=f"{keys[c]}  {plain[c]}")
            for c in present
        ]
        star = None
        if where is not None:
            star = _mark_point(strip, where[0], 0.5, point_label)
            handles.append(star)
        if chart is not None:
            # black lines told apart by their dashes: colours belong to the strip's regimes,
            # and an outcome's colour there would mean something else
            styles = {
                name: {"color": "#000000", "linestyle": style}
                for name, style in zip(curves, LINE_STYLES * (1 + len(curves) // len(LINE_STYLES)))
            }
            for name, values in curves.items():
                chart.plot(x, values, **styles[name], linewidth=2.8, label=plain_label(name))
                handles.append(chart.get_lines()[-1])
            if where is not None:
                chart.axvline(where[0], color="#222222", linewidth=1.2, linestyle=":")
            chart.set_ylim(-0.02, 1.02)
            chart.set_ylabel("Probability")
            chart.set_xlabel(axis_label(x_parameter))
            # a strip label on top would repeat the chart's: the chart's axis names it
            strip.tick_params(axis="x", labelbottom=False)
        else:
            strip.set_xlabel(axis_label(x_parameter))
        _figure_legend(fig, handles, title=legend_title, side="auto")
        _finish(
            fig,
            title or f"Equilibrium outcome by {in_sentence(plain_label(x_parameter))}",
            subtitle,
        )
        _label_regions(strip, x_edges, np.array([0.0, 1.0]), codes, plain, keys, star)
    return fig


def encode_regimes(regimes: Any) -> tuple[np.ndarray, list[str]]:
    """Integer codes and their labels for an array of regime names (labels sorted).

    Parameters
    ----------
    regimes : array_like of str
        The regime at each point, of any shape (each entry is taken as its ``str``).

    Returns
    -------
    codes : numpy.ndarray of int
        Of the shape of ``regimes``: each point's index into ``labels``.
    labels : list of str
        The distinct regimes, sorted.

    Examples
    --------
    >>> codes, labels = encode_regimes([["war", "settlement"], ["war", "war"]])
    >>> codes.tolist(), labels
    ([[1, 0], [1, 1]], ['settlement', 'war'])
    """
    array = np.asarray(regimes, dtype=object)
    # A map has a handful of regimes over up to millions of points: number them by hashing
    # (linear time) rather than by sorting the strings, then order the labels.
    first_seen: dict[str, int] = {}
    seen = np.fromiter(
        (first_seen.setdefault(str(name), len(first_seen)) for name in array.flat),
        dtype=np.intp,
        count=array.size,
    )
    labels = sorted(first_seen)
    rank = np.empty(len(labels), dtype=np.intp)
    rank[[first_seen[label] for label in labels]] = np.arange(len(labels))
    return rank[seen].reshape(array.shape), labels


def _regime_codes(regimes: Any, shape: tuple[int, int], n_labels: int) -> np.ndarray:
    arr = np.asarray(regimes)
    if arr.shape != shape:
        raise ValueError(
            f"regimes has shape {arr.shape} but needs {shape}: one row per y value and one "
            "column per x value"
        )
    if arr.dtype.kind == "b":
        arr = arr.astype(int)
    if arr.dtype.kind == "f":
        if not np.isfinite(arr).all():
            raise ValueError("regimes contains nan or inf; every grid point needs a regime code")
        if (arr != np.round(arr)).any():
            raise ValueError("regimes must hold whole-number codes into regime_labels")
        arr = arr.astype(int)
    if arr.dtype.kind not in "iu":
        raise ValueError(
            f"regimes must be integer codes into regime_labels; got dtype {arr.dtype} "
            "(use encode_regimes to turn regime names into codes)"
        )
    unknown = sorted(set(np.unique(arr).tolist()) - set(range(n_labels)))
    if unknown:
        raise ValueError(
            f"regime codes {unknown} have no label: regime_labels has {n_labels} names, so "
            f"codes must be 0..{n_labels - 1}"
        )
    return arr.astype(int)


def _boundaries(codes: np.ndarray, xe: np.ndarray, ye: np.ndarray) -> np.ndarray:
    """Line segments (k, 2, 2) between neighbouring cells of different regimes."""
    i, j = np.nonzero(codes[:, 1:] != codes[:, :-1])
    vertical = np.stack(
        [np.stack([xe[j + 1], ye[i]], axis=1), np.stack([xe[j + 1], ye[i + 1]], axis=1)], axis=1
    )
    i, j = np.nonzero(codes[1:, :] != codes[:-1, :])
    horizontal = np.stack(
        [np.stack([xe[j], ye[i + 1]], axis=1), np.stack([xe[j + 1], ye[i + 1]], axis=1)], axis=1
    )
    return np.concatenate([vertical, horizontal]).reshape(-1, 2, 2)


def _mark_point(ax: Axes, x: float, y: float, label: str) -> Any:
    """A white star with a black edge (it shows on every regime colour) at ``(x, y)``."""
    (star,) = ax.plot(
        [x],
        [y],
        linestyle="none",
        marker="*",
        markersize=_STAR_SIZE,
        markerfacecolor="white",
        markeredgecolor="#000000",
        markeredgewidth=1.6,
        label=label,
        zorder=6,
        clip_on=False,
    )
    return star


def _label_regions(
    ax: Axes,
    x_edges: np.ndarray,
    y_edges: np.ndarray,
    codes: np.ndarray,
    names: list[str],
    keys: dict[int, str],
    star: Any = None,
) -> None:
    """Label every regime in place, without covering other labels or the scenario's point.

    Each regime's largest region, and any other region covering :data:`_MIN_LABELLED_SHARE`
    of the grid, gets its name at the cell deepest inside it where the whole name fits inside
    the region, or else its letter (:data:`_KEYS`, explained by the legend) at the deepest
    cell where the letter covers no other label. Bigger regions choose first.
    """
    from matplotlib.transforms import Bbox
    from scipy import ndimage

    root = ax.get_figure(root=True)
    renderer = _renderer(root)
    dpi = root.dpi
    frame = ax.get_window_extent(renderer)
    ny, nx = codes.shape
    cell = (frame.height / ny, frame.width / nx)  # pixels per cell, to measure depth
    xc, yc = 0.5 * (x_edges[1:] + x_edges[:-1]), 0.5 * (y_edges[1:] + y_edges[:-1])
    taken: list[Any] = []
    if star is not None:
        cx, cy = ax.transData.transform(np.column_stack([star.get_xdata(), star.get_ydata()]))[0]
        half = 0.5 * _STAR_SIZE * dpi / 72
        taken.append(Bbox.from_extents(cx - half, cy - half, cx + half, cy + half))
    regions = []
    for code in np.flatnonzero(np.bincount(np.ravel(codes))).tolist():
        components, count = ndimage.label(codes == code)
        sizes = np.bincount(components.ravel(), minlength=count + 1)[1:]
        for rank, k in enumerate(np.argsort(-sizes, kind="stable")):
            if rank == 0 or sizes[k] >= _MIN_LABELLED_SHARE * codes.size:
                regions.append((int(sizes[k]), code, components == k + 1))
    regions.sort(key=lambda r: -r[0])
    # cell centres and edges on the screen; a label's box is measured once, then moved
    centres = ax.transData.transform(np.column_stack([np.repeat(yc, nx), np.tile(xc, ny)])[:, ::-1])
    centres = centres.reshape(ny, nx, 2)
    x_px = ax.transData.transform(np.column_stack([x_edges, np.full(nx + 1, y_edges[0])]))[:, 0]
    y_px = ax.transData.transform(np.column_stack([np.full(ny + 1, x_edges[0]), y_edges]))[:, 1]
    for _size, code, mask in regions:
        depth = ndimage.distance_transform_edt(np.pad(mask, 1), sampling=cell)[1:-1, 1:-1]
        rows, cols = np.nonzero(mask)
        near = (rows - rows.mean()) ** 2 * cell[0] ** 2 + (cols - cols.mean()) ** 2 * cell[1] ** 2
        order = np.lexsort((near, -depth[rows, cols]))
        candidates = list(zip(rows[order].tolist(), cols[order].tolist()))
        for text, style, whole in (
            (wrap(names[code], 18), _NAME_STYLE, True),
            (keys[code], _KEY_STYLE, False),
        ):
            probe = ax.text(0, 0, text, ha="center", va="center", **style)
            pad = style["bbox"]["pad"] * style["fontsize"] * dpi / 72
            size = probe.get_window_extent(renderer).padded(pad)
            probe.remove()
            w, h = size.width, size.height
            placed = None
            for i, j in candidates[: 80 if whole else None]:
                cx, cy = centres[i, j]
                if not whole:  # a letter near the map's edge moves inwards, within its cell
                    cx = min(max(cx, frame.x0 + w / 2, x_px[j]), frame.x1 - w / 2, x_px[j + 1])
                    cy = min(max(cy, frame.y0 + h / 2, y_px[i]), frame.y1 - h / 2, y_px[i + 1])
                box = Bbox.from_bounds(cx - w / 2, cy - h / 2, w, h)
                fits = (
                    frame.x0 - 1 <= box.x0
                    and box.x1 <= frame.x1 + 1
                    and frame.y0 - 1 <= box.y0
                    and box.y1 <= frame.y1 + 1
                    and not any(box.overlaps(other) for other in taken)
                )
                if fits and whole:
                    j0, j1 = np.clip(np.searchsorted(x_px, [box.x0, box.x1]) - 1, 0, nx - 1)
                    i0, i1 = np.clip(np.searchsorted(y_px, [box.y0, box.y1]) - 1, 0, ny - 1)
                    fits = bool(mask[i0 : i1 + 1, j0 : j1 + 1].all())
                if fits:
                    placed = box
                    x, y = ax.transData.inverted().transform((cx, cy))
                    ax.text(x, y, text, ha="center", va="center", **style)
                    break
            if placed is not None:
                taken.append(placed)
                break
