"""Write games as Gambit's extensive-form ``.efg`` files (the format is described in
:mod:`simulator.io.efg`).

:func:`format_efg` renders a game as the text of a file, one node per line in pre-order;
:func:`write_efg` writes that text atomically.
"""

from __future__ import annotations

import os

import numpy as np

from simulator.games.extensive import ExtensiveGame
from simulator.games.tree import DECISION, TERMINAL
from simulator.io._text import atomic_write_text, format_payoffs, quote

__all__ = ["format_efg", "write_efg"]


def _probability_texts(game: ExtensiveGame, h: int) -> list[str]:
    info = game.infosets[h]
    if info.exact_probabilities is not None:
        return [str(p) for p in info.exact_probabilities]
    return format_payoffs(np.asarray(info.probabilities, dtype=float))


def format_efg(game: ExtensiveGame, comment: str = "") -> str:
    """Render ``game`` as an ``.efg`` file, one node per line in pre-order.

    Information sets are numbered per player in order of first appearance, and
    described (name and actions) at their first node only; chance nodes are
    events ``1, 2, ...``. Every terminal node and every inner node with a
    non-zero payoff gets an outcome; equal payoff vectors share one outcome,
    described where it is first used. Payoffs are written exactly where they are
    integers or simple fractions, else as Python's shortest round-tripping float;
    chance probabilities as exact rationals when they sum exactly to 1.

    Parameters
    ----------
    game : ExtensiveGame
        The game to render.
    comment : str
        The file's comment line (written quoted, ``""`` when empty).

    Returns
    -------
    str
        The file's text, ending with a newline.

    Examples
    --------
    >>> from simulator.games.extensive import Decision, Terminal
    >>> g = ExtensiveGame.from_tree(["A", "B"], Decision("A", {
    ...     "L": Terminal([1, 0]),
    ...     "R": Decision("B", {"l": Terminal([0, 1]), "r": Terminal([1, 0])}, "b")}),
    ...     title="tiny")
    >>> print(format_efg(g))
    EFG 2 R "tiny" { "A" "B" }
    ""
    <BLANKLINE>
    p "" 1 1 "root" { "L" "R" } 0
    t "" 1 "Outcome 1" { 1, 0 }
    p "" 2 1 "b" { "l" "r" } 0
    t "" 2 "Outcome 2" { 0, 1 }
    t "" 1
    <BLANKLINE>
    """
    k = game.num_nodes
    kind = game.node_kind
    rows = np.asarray(game.node_payoffs, dtype=float) + 0.0  # -0.0 -> 0.0
    used = (kind == TERMINAL) | np.any(rows != 0, axis=1)
    outcome = np.zeros(k, dtype=np.int64)
    texts: list[list[str]] = []
    if used.any():
        distinct, first, inverse = np.unique(
            rows[used], axis=0, return_index=True, return_inverse=True
        )
        rank = np.empty(first.shape[0], dtype=np.int64)
        rank[np.argsort(first, kind="stable")] = np.arange(first.shape[0])
        outcome[used] = rank[inverse.ravel()] + 1
        flat = format_payoffs(distinct[np.argsort(first, kind="stable")])
        n = game.num_players
        texts = [flat[j : j + n] for j in range(0, len(flat), n)]

    infosets = game.infosets
    numbers = np.zeros(len(infosets), dtype=np.int64)
    owners = game.infoset_player
    for player in np.unique(owners):
        mine = np.flatnonzero(owners == player)
        numbers[mine] = np.arange(1, mine.shape[0] + 1)
    first_node = {info.nodes[0] for info in infosets}

    lines = [
        f"EFG 2 R {quote(game.title)} {{ {' '.join(quote(p) for p in game.players)} }}",
        quote(comment),
        "",
    ]
    declared: set[int] = set()
    node_infoset = game.node_infoset.tolist()
    labels = game.node_labels
    for v, (node_kind, o) in enumerate(zip(kind.tolist(), outcome.tolist())):
        parts = []
        h = node_infoset[v]
        if node_kind == TERMINAL:
            parts.append(f"t {quote(labels[v])}")
        else:
            info = infosets[h]
            if node_kind == DECISION:
                parts.append(f"p {quote(labels[v])} {info.player + 1} {numbers[h]}")
                actions = " ".join(quote(a) for a in info.actions)
            else:
                parts.append(f"c {quote(labels[v])} {numbers[h]}")
                actions = " ".join(
                    f"{quote(a)} {p}" for a, p in zip(info.actions, _probability_texts(game, h))
                )
            if v in first_node:
                parts.append(f"{quote(info.label)} {{ {actions} }}")
        parts.append(str(o))
        if o and o not in declared:
            declared.add(o)
            parts.append(f'"Outcome {o}" {{ {", ".join(texts[o - 1])} }}')
        lines.append(" ".join(parts))
    return "\n".join(lines) + "\n"


def write_efg(game: ExtensiveGame, path: str | os.PathLike[str], comment: str = "") -> None:
    """Write ``game`` to ``path`` atomically (temporary file, then :func:`os.replace`).

    A reader never sees a half-written file, and an existing file is left intact
    if writing fails.

    Parameters
    ----------
    game : ExtensiveGame
        The game to write.
    path : path-like
        The target file; its folder must exist.
    comment : str
        The file's comment line.

    Raises
    ------
    OSError
        If the file cannot be written.

    Examples
    --------
    >>> import tempfile, os
    >>> from simulator.games.extensive import Decision, Terminal
    >>> from simulator.io.efg_read import read_efg
    >>> g = ExtensiveGame.from_tree(["A"], Decision("A", {"x": Terminal([1]), "y": Terminal([2])}))
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = os.path.join(d, "g.efg")
    ...     write_efg(g, p)
    ...     read_efg(p).terminal_payoffs[:, 0].tolist()
    [0.0, 1.0, 2.0]
    """
    atomic_write_text(path, format_efg(game, comment))
