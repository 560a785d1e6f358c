"""Support systems where three or more players mix, tracked by homotopy continuation.

Each support profile is solved in its own subgame (the strategies of its supports), with
its players ordered by support size; the profiles of one shape are tracked together (a
shape with few paths inside a larger shape's system, its missing unknowns pinned to zero)
by :mod:`simulator.solvers.polynomial_homotopy` (Sommese & Wampler 2005). A support
profile whose regular endpoints coincide (a path jumped) or with a path that stopped
short of ``t = 1`` is tracked again with a fresh random start system and smaller steps
(up to three attempts); endpoints where the Jacobian vanishes altogether (several paths
reach such a point by right) do not count as coinciding. Support systems whose Jacobian is
singular everywhere are not tracked (they have no regular solution).

References
----------
.. [1] A. J. Sommese, C. W. Wampler, "The Numerical Solution of Systems of
   Polynomials Arising in Engineering and Science", World Scientific (2005).
"""

from __future__ import annotations

import numpy as np

from simulator.solvers.pencil_supports import bezout_count
from simulator.solvers.polynomial_homotopy import (
    _endgame,
    _has_duplicates,
    _polish,
    _StartSystem,
    _System,
    _Target,
    _track,
)
from simulator.solvers.support_listing import REAL_TOL, Profile, Supports, profile_from

__all__ = ["singular_everywhere", "solve_by_homotopy", "track_systems"]

#: Seed of the random gamma and patch: results are deterministic.
_SEED = 20080101
#: Smallest relative singular value of a Jacobian at a random point that counts as regular.
_RANK_TOL = 1e-10
#: A Jacobian whose largest singular value is below this vanishes (normalised payoffs).
_FLAT = 1e-8
#: A group of support profiles with fewer paths is tracked inside a larger group.
_SMALL_GROUP = 200


def _subgame_coefficients(subgame: np.ndarray, container: tuple[int, ...]) -> list[np.ndarray]:
    """Payoff differences of every player in a subgame, zero-padded to ``container``.

    ``subgame`` has shape ``(k_1, ..., k_N, N)``; entry ``i`` of the result has shape
    ``(c_1, ..., c_i - 1, ..., c_N)`` and holds ``u_i(s_t, .) - u_i(s_0, .)`` for ``t >= 1``
    in its first slots.
    """
    out = []
    for i in range(len(container)):
        values = subgame[..., i]
        diff = np.take(values, range(1, values.shape[i]), axis=i) - np.take(values, [0], axis=i)
        padded = np.zeros([c - 1 if j == i else c for j, c in enumerate(container)])
        padded[tuple(slice(0, m) for m in diff.shape)] = diff
        out.append(padded)
    return out


def _containers(counts: dict[tuple[int, ...], int]) -> dict[tuple[int, ...], tuple[int, ...]]:
    """The system each group of sorted support sizes is tracked in.

    Groups are taken from the largest to the smallest; one with fewer than
    ``_SMALL_GROUP`` paths joins the smallest system already chosen whose sizes dominate
    its own (its profiles embedded with padded unknowns), so a few leftover profiles do
    not cost a tracking loop of their own.
    """
    chosen: list[tuple[int, ...]] = []
    home = {}
    for sizes in sorted(counts, key=lambda k: (-sum(k), k)):
        hosts = [c for c in chosen if all(x <= y for x, y in zip(sizes, c))]
        if counts[sizes] < _SMALL_GROUP and hosts:
            home[sizes] = min(hosts, key=lambda c: (sum(c), c))
        else:
            chosen.append(sizes)
            home[sizes] = sizes
    return home


def _generically_singular(
    norm: np.ndarray, sizes: tuple[int, ...], members: list[tuple[Supports, tuple[int, ...]]]
) -> np.ndarray:
    """Mask of support systems whose Jacobian is singular at a random complex point
    (:func:`singular_everywhere` on each support profile's subgame)."""
    coeffs = []
    for supports, order in members:
        sub = norm[np.ix_(*[list(s) for s in supports])]
        sub = np.transpose(sub, [*order, len(order)])[..., list(order)]
        coeffs.append(_subgame_coefficients(sub, sizes))
    return singular_everywhere(sizes, [np.stack(parts) for parts in zip(*coeffs)])


def singular_everywhere(sizes: tuple[int, ...], coeffs: list[np.ndarray]) -> np.ndarray:
    """Mask of the systems ``coeffs`` whose Jacobian is singular at a random complex point.

    The rank of a polynomial Jacobian at a generic point is its largest rank anywhere, so
    such a system is singular at *every* point: its solution set is empty or of positive
    dimension and no homotopy path can end at a regular solution. This is the case when a
    player's equations are linearly dependent (payoff differences of two support strategies
    that are proportional, as ties in trees with chance moves make them), and more generally
    when the equations are dependent. Two random points are used, and a system counts as
    singular only when it is singular at both.

    Parameters
    ----------
    sizes : tuple of int
        The system's shape (:class:`~simulator.solvers.polynomial_homotopy._System`).
    coeffs : list of numpy.ndarray
        Per player, the stacked coefficient arrays of ``G`` systems, each ``(G, ...)``.

    Returns
    -------
    numpy.ndarray of bool, shape (G,)
        Where the Jacobian is singular at both random points.
    """
    system = _System(sizes)
    stacked = [c.astype(complex) for c in coeffs]
    count = stacked[0].shape[0]
    rng = np.random.default_rng(_SEED + 1)
    singular = np.ones(count, dtype=bool)
    for _ in range(2):
        y = rng.normal(size=(count, system.n)) + 1j * rng.normal(size=(count, system.n))
        z = np.concatenate([np.ones((count, 1)), y], axis=1)
        _, jac = system.evaluate(z, stacked)
        sing = np.linalg.svd(jac[:, :, 1:], compute_uv=False)
        singular &= sing[:, -1] <= _RANK_TOL * np.maximum(sing[:, 0], 1e-300)
    return singular


def _flat(target: _Target, y: np.ndarray, index: np.ndarray) -> np.ndarray:
    """Mask of the endpoints ``y[index]`` where the Jacobian is numerically zero.

    The payoffs are normalised to span 1, so a Jacobian whose largest singular value is
    below ``_FLAT`` vanishes there (every equation is flat to first order).
    """
    if index.size == 0:
        return np.zeros(0, dtype=bool)
    z = np.concatenate([np.ones((index.size, 1)), y[index]], axis=1)
    _, jac = target.subset(index).evaluate(z)
    return np.linalg.svd(jac[:, :, 1:], compute_uv=False)[:, 0] < _FLAT


def solve_by_homotopy(
    norm: np.ndarray, batch: list[Supports]
) -> tuple[list[tuple[Supports, Profile]], list[tuple[Supports, Profile]], int]:
    """Real solutions in the simplex of support systems where three or more players mix.

    Each support profile is solved in its own subgame (the strategies of its supports),
    with the players reordered so that their support sizes increase. Profiles with the
    same sorted sizes share one system and their paths are tracked together in one
    vectorised loop; a group with few paths is embedded in a larger group's system (the
    unknowns it lacks get the equation ``y = 0``).

    Parameters
    ----------
    norm : numpy.ndarray
        Payoffs of shape ``(n_1, ..., n_N, N)``, normalised to span at most 1.
    batch : list of support profiles
        Profiles where three or more players mix.

    Returns
    -------
    regular : list of (supports, profile)
        Real solutions near the simplex at regular endpoints, polished, not yet screened.
    singular : list of (supports, profile)
        Real approximate solutions at singular endpoints (for the degeneracy flag).
    paths : int
        The number of paths tracked.
    """
    members: dict[tuple[int, ...], list[tuple[Supports, tuple[int, ...]]]] = {}
    for supports in batch:
        sizes = [len(s) for s in supports]
        order = tuple(sorted(range(len(sizes)), key=lambda j: sizes[j]))
        members.setdefault(tuple(sizes[j] for j in order), []).append((supports, order))
    for sizes in list(members):
        singular_everywhere = _generically_singular(norm, sizes, members[sizes])
        members[sizes] = [m for m, s in zip(members[sizes], singular_everywhere) if not s]
        if not members[sizes]:
            del members[sizes]
    counts = {k: len(v) * bezout_count(k) for k, v in members.items()}
    home = _containers(counts)
    regular: list[tuple[Supports, Profile]] = []
    singular: list[tuple[Supports, Profile]] = []
    tracked = 0
    for container in sorted(set(home.values())):
        group, coeffs = [], []
        for sizes in sorted(k for k in members if home[k] == container):
            for supports, order in members[sizes]:
                sub = norm[np.ix_(*[list(s) for s in supports])]
                sub = np.transpose(sub, [*order, len(order)])[..., list(order)]
                c = _subgame_coefficients(sub, container)
                # A system that is identically zero (every player indifferent across their
                # support, whatever the others do) leaves each path at its start root:
                # H = (1 - t) gamma G vanishes there for every t, so the endpoints are the
                # complex roots of G, never real points of the simplex. Tracking them could
                # neither return nor flag anything.
                if any(np.any(x != 0) for x in c):
                    group.append((supports, order))
                    coeffs.append(c)
        if group:
            stacked = [np.stack(parts) for parts in zip(*coeffs)]
            found, stuck, paths = _track_group(norm.shape[:-1], container, group, stacked)
            regular += found
            singular += stuck
            tracked += paths
    return regular, singular, tracked


def _track_group(
    shape: tuple[int, ...],
    sizes: tuple[int, ...],
    members: list[tuple[Supports, tuple[int, ...]]],
    coeffs: list[np.ndarray],
) -> tuple[list[tuple[Supports, Profile]], list[tuple[Supports, Profile]], int]:
    """Track all paths of support profiles embedded in the system of ``sizes``.

    ``members`` holds each profile's supports and the order of its players in the
    system; its own sorted sizes may be smaller than ``sizes`` (padded unknowns).
    """
    system = _System(sizes)
    own = [tuple(len(supports[j]) for j in order) for supports, order in members]
    regular: list[tuple[Supports, Profile]] = []
    singular: list[tuple[Supports, Profile]] = []
    roots, tracked = track_systems(sizes, own, coeffs)
    for g, y, is_regular in roots:
        supports, order = members[g]
        mixed = system.probabilities(np.concatenate([[1.0], y]), list(range(len(sizes))))
        probs = {order[m]: mixed[m][: len(supports[order[m]])] for m in range(len(sizes))}
        profile = profile_from(shape, supports, probs)
        (regular if is_regular else singular).append((supports, profile))
    return regular, singular, tracked


def track_systems(
    sizes: tuple[int, ...],
    own: list[tuple[int, ...]],
    coeffs: list[np.ndarray],
    bound: float = 2.0,
) -> tuple[list[tuple[int, np.ndarray, bool]], int]:
    """The real roots of multilinear systems, by homotopy continuation with retries.

    Every system has the shape ``sizes`` (:class:`~simulator.solvers.polynomial_homotopy.\
_System`: player ``i``'s ``sizes[i] - 1`` equations are multilinear in the other players'
    unknowns); system ``g`` uses the first ``own[g][i] - 1`` unknowns and equations of each
    player, the rest padded. A system whose regular endpoints coincide (a path jumped) or
    with a path that stopped short of ``t = 1`` is tracked again with a fresh random start
    system and smaller steps (up to three attempts); endpoints where the Jacobian vanishes
    altogether (several paths reach such a point by right) do not count as coinciding.

    Parameters
    ----------
    sizes : tuple of int
        The container's shape, players ordered by increasing size.
    own : list of tuple of int
        Each system's own sizes, each at most ``sizes``.
    coeffs : list of numpy.ndarray
        Per player, the stacked coefficient arrays ``(G, ...)`` of the systems.
    bound : float
        Endpoints with an unknown larger than this in absolute value are dropped.

    Returns
    -------
    roots : list of (int, numpy.ndarray, bool)
        Per real endpoint: the system's index, the unknowns ``y`` (polished by Newton's
        method where regular) and whether the endpoint is regular.
    paths : int
        The number of paths tracked.
    """
    system = _System(sizes)
    masks = np.zeros((len(own), system.n), dtype=bool)
    for g, k in enumerate(own):
        for j, kj in enumerate(k):
            masks[g, system.offsets[j] - 1 : system.offsets[j] - 1 + kj - 1] = True
    rng = np.random.default_rng(_SEED)
    roots: list[tuple[int, np.ndarray, bool]] = []
    remaining = np.arange(len(own))
    tracked = 0
    max_step = 0.2
    attempts = 3
    for attempt in range(attempts):
        start = _StartSystem(system, rng)
        gamma = np.exp(2j * np.pi * rng.random())
        patch = rng.normal(size=system.n + 1) + 1j * rng.normal(size=system.n + 1)
        points = {k: start.points(k) for k in set(own)}
        starts = [points[own[g]] for g in remaining]
        owner = np.repeat(remaining, [len(p) for p in starts])
        w = np.concatenate(starts)
        z = w / (w @ patch)[:, None]
        target = _Target(system, [c[owner] for c in coeffs], masks[owner])
        z, finished = _track(target, start, z, gamma, patch, max_step)
        tracked += len(owner)
        y, ok, regular_end = _endgame(target, z)
        retry = []
        for g in remaining:
            mine = np.flatnonzero(owner == g)
            good = mine[ok[mine] & regular_end[mine]]
            # Two paths on one regular root means a path jumped: track this system again.
            # A root where the Jacobian vanishes altogether (the endgame's relative test passes
            # it) is a point of multiplicity above one that several paths reach by right.
            good = good[~_flat(target, y, good)]
            suspect = _has_duplicates(y[good]) or np.any(~finished[mine] & ok[mine])
            if suspect and attempt < attempts - 1:
                retry.append(g)
                continue
            for k in mine[ok[mine]]:
                loose = REAL_TOL if regular_end[k] else 1e-4
                if np.abs(y[k].imag).max() > loose or np.abs(y[k]).max() > bound:
                    continue
                yk = _polish(target.subset([k]), y[k].real) if regular_end[k] else y[k].real
                roots.append((int(g), yk, bool(regular_end[k])))
        if not retry:
            break
        remaining = np.array(retry)
        max_step /= 4
    return roots, tracked
