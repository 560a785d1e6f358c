"""Random extensive-form games with perfect recall, shared by the solver tests."""

from __future__ import annotations

import numpy as np

from simulator.games.extensive import CHANCE, DECISION, TERMINAL, ExtensiveGame


def random_game(
    seed: int,
    players: int = 2,
    max_nodes: int = 30,
    max_depth: int = 4,
    chance: float = 0.2,
    merge: float = 0.6,
    payoff_bound: int = 5,
    uniform_chance: bool = False,
) -> ExtensiveGame:
    """A random tree with chance, integer payoffs in ``-payoff_bound..payoff_bound`` and
    random perfect-recall information sets.

    Decision nodes of one player with the same last own move and the same number of
    actions may share an information set (with probability ``merge``), which keeps perfect
    recall; ``merge=0`` gives perfect information. Chance probabilities are random unless
    ``uniform_chance``.
    """
    rng = np.random.default_rng(seed)
    parent, depth, kind = [-1], [0], []
    v = 0
    while v < len(parent):
        grow = v == 0 or rng.random() < 0.7
        if grow and depth[v] < max_depth and len(parent) + 3 <= max_nodes:
            kind.append(CHANCE if rng.random() < chance else DECISION)
            for _ in range(int(rng.integers(2, 4))):
                parent.append(v)
                depth.append(depth[v] + 1)
        else:
            kind.append(TERMINAL)
        v += 1
    k = len(parent)
    parent_a, kind_a = np.array(parent), np.array(kind)
    mover = np.where(kind_a == DECISION, rng.integers(0, players, k), -1)
    counts = np.bincount(parent_a[1:], minlength=k)
    probs = np.zeros(k)
    for c in np.flatnonzero(kind_a == CHANCE):
        kids = np.flatnonzero(parent_a == c)
        if uniform_chance:
            probs[kids] = 1.0 / kids.size
        else:
            w = rng.random(kids.size) + 0.2
            probs[kids] = w / w.sum()
    last: list[tuple[int | None, ...]] = [(None,) * players]
    for u in range(1, k):
        p = parent[u]
        row = list(last[p])
        if kind[p] == DECISION:
            row[mover[p]] = (p, u)
        last.append(tuple(row))
    ids = np.full(k, -1)
    groups: dict[tuple[object, ...], int] = {}
    fresh = 0
    for u in np.flatnonzero(kind_a == DECISION):
        key = (mover[u], last[u][mover[u]], counts[u])
        if key in groups and rng.random() < merge:
            ids[u] = groups[key]
        else:
            groups[key] = ids[u] = fresh
            fresh += 1
    payoffs = np.zeros((k, players))
    terminal = kind_a == TERMINAL
    payoffs[terminal] = rng.integers(
        -payoff_bound, payoff_bound + 1, (int(terminal.sum()), players)
    )
    return ExtensiveGame.from_arrays(
        [f"P{i}" for i in range(players)],
        parent_a,
        kind_a,
        mover,
        ids,
        payoffs=payoffs,
        chance_probabilities=probs,
    )
