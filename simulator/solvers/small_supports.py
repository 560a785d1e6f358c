"""All equilibria of a small nondegenerate bimatrix game by support enumeration, batched.

In a nondegenerate bimatrix game every equilibrium has supports of equal size ``k`` and is
the unique solution of the square *indifference* systems on its supports (Shapley 1974;
von Stengel 2007, Section 3.4): for row support ``I`` and column support ``J``,

    A[I, J] y_J = v 1,  sum(y_J) = 1     and     B[I, J]^T x_I = u 1,  sum(x_I) = 1,

with ``x, y >= 0`` and no pure strategy better than ``v`` (``u``). For small games all
supports of each size are solved at once, as one stack of small linear systems, so the
whole enumeration costs a handful of vectorised calls rather than one per support, and no
convex hull.

The game must be nondegenerate for this to find every equilibrium. A sufficient test is
checked first: no mixed strategy with ``k`` strategies in its support equalises the
payoffs of ``k + 1`` pure replies (the (k + 2)-square system that says so is regular for
every support and every set of replies). A game that fails it, or whose systems are nearly
singular, is left to the full vertex enumeration (:mod:`.vertex_enumeration`), which is
exact for degenerate games too.

References
----------
.. [1] L. S. Shapley, "A note on the Lemke-Howson algorithm", *Mathematical Programming
   Study* 1 (1974) 175-189.
.. [2] B. von Stengel, "Equilibrium computation for two-player games in strategic and
   extensive form", ch. 3 of N. Nisan et al. (eds.), *Algorithmic Game Theory*,
   Cambridge University Press, 2007.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import combinations
from math import comb

import numpy as np

__all__ = [
    "MIN_VOLUME",
    "SMALL_GAME_SUPPORTS",
    "ZERO_PROBABILITY",
    "probabilities",
    "regular",
    "small_game_equilibria",
    "support_pairs",
]

#: Games with at most this many support pairs (all sizes) are enumerated here.
SMALL_GAME_SUPPORTS = 300
#: Smallest |det| / (product of row lengths) of a square system taken as nonsingular.
MIN_VOLUME = 1e-11
#: Probabilities at most this small are set to zero (here and in vertex enumeration).
ZERO_PROBABILITY = 1e-12


def probabilities(points: np.ndarray) -> np.ndarray:
    """Rows scaled to sum to one, with tiny entries set to exactly zero.

    Parameters
    ----------
    points : numpy array, shape (k, n)
        Nonnegative (up to rounding) rows, each with a positive sum.

    Returns
    -------
    numpy array, shape (k, n)
        Probability vectors; entries at most :data:`ZERO_PROBABILITY` are zero.

    Examples
    --------
    >>> probabilities(np.array([[2.0, 1e-15, 2.0]])).tolist()
    [[0.5, 0.0, 0.5]]
    """
    points = np.clip(points, 0.0, None)
    points /= points.sum(axis=1, keepdims=True)
    tiny = points <= ZERO_PROBABILITY
    if tiny.any():
        points[tiny] = 0.0
        points /= points.sum(axis=1, keepdims=True)
    return points


def regular(systems: np.ndarray) -> np.ndarray:
    """Which square systems are safely nonsingular.

    ``|det|`` relative to the product of the row lengths (Hadamard's bound, at most 1)
    measures how far the rows are from linear dependence, independently of scale.

    Parameters
    ----------
    systems : numpy array, shape (g, d, d)
        A stack of square matrices.

    Returns
    -------
    numpy array of bool, shape (g,)
        Whether each is regular.

    Examples
    --------
    >>> regular(np.array([[[1.0, 2.0], [2.0, 4.0]], [[1.0, 2.0], [2.0, 1.0]]])).tolist()
    [False, True]
    """
    sign, logdet = np.linalg.slogdet(systems)
    scale = 0.5 * np.log(np.einsum("gij,gij->gi", systems, systems)).sum(axis=1)
    return (sign != 0) & (logdet - scale >= np.log(MIN_VOLUME))


def _regular_small(systems: np.ndarray) -> np.ndarray:
    """:func:`regular` by the determinant itself: the systems here are small and their
    entries at most 2 in size, so neither it nor the row lengths' product can overflow
    (squared on both sides, which saves a square root and an absolute value)."""
    det = np.linalg.det(systems)
    lengths = np.einsum("gij,gij->gi", systems, systems).prod(axis=1)
    return det * det >= MIN_VOLUME * MIN_VOLUME * lengths


@lru_cache(maxsize=64)
def _subsets(size: int, k: int) -> np.ndarray:
    return np.array(list(combinations(range(size), k)), dtype=np.intp).reshape(-1, k)


@lru_cache(maxsize=256)
def support_pairs(m: int, n: int) -> int:
    """How many pairs of equal-size supports an ``m x n`` game has.

    Parameters
    ----------
    m, n : int
        The numbers of pure strategies.

    Returns
    -------
    int
        ``sum over k of C(m, k) C(n, k)``.

    Examples
    --------
    >>> support_pairs(3, 3)
    19
    """
    return sum(comb(m, k) * comb(n, k) for k in range(1, min(m, n) + 1))


@lru_cache(maxsize=64)
def _plan(own: int, other: int, extra: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Index arrays of every (own support of size k, other set of size k + extra), padded.

    Supports of every size are stacked into one batch: a support of ``k < K`` strategies is
    padded (index ``-1``) with dummy unknowns that the system pins to zero, so all systems
    are solved by one call. Returns the own and the other indices and the sizes ``k``.
    """
    owns, others, sizes = [], [], []
    top = min(own, other - extra)
    for k in range(1, top + 1):
        rows, cols = _subsets(own, k), _subsets(other, k + extra)
        pad = ((0, 0), (0, top - k))
        owns.append(np.pad(np.repeat(rows, len(cols), axis=0), pad, constant_values=-1))
        others.append(np.pad(np.tile(cols, (len(rows), 1)), pad, constant_values=-1))
        sizes.append(np.full(len(rows) * len(cols), k))
    if not owns:
        empty = np.zeros((0, 0), dtype=np.intp)
        return empty, empty, np.zeros(0, dtype=np.intp)
    return np.concatenate(owns), np.concatenate(others), np.concatenate(sizes)


def _systems(
    payoff: np.ndarray, own: np.ndarray, other: np.ndarray, size: np.ndarray, extra: int
) -> np.ndarray:
    """The stacked systems ``payoff[own, other]^T z = t 1, sum(z) = 1``, padded.

    Unknowns are ``z`` on ``own`` (``K`` of them) and ``t``; equations are one per strategy
    of ``other`` (``K + extra``), then the sum. With ``extra = 0`` the systems are square;
    with ``extra = 1`` the right-hand side ``(0, ..., 0, 1)`` is appended as a column, so
    each is square and singular exactly when the overdetermined system can be solved. A
    padded (missing) strategy adds a dummy equation ``z_dummy = 0``.
    """
    g, K = own.shape
    E = K + extra
    sub = payoff[np.maximum(own, 0)[:, None, :], np.maximum(other, 0)[:, :, None]]  # (g, E, K)
    live_eq = np.arange(E)[None, :] < (size + extra)[:, None]  # (g, E)
    live_var = np.arange(K)[None, :] < size[:, None]  # (g, K)
    systems = np.zeros((g, E + 1, K + 1 + extra))
    systems[:, :E, :K] = np.where(live_eq[:, :, None] & live_var[:, None, :], sub, 0.0)
    systems[:, :E, K] = np.where(live_eq, -1.0, 0.0)
    systems[:, E, :K] = live_var
    if extra:
        systems[:, E, K + 1] = 1.0
    # the dummy equations: the j-th padded row pins the j-th padded unknown (both are the
    # last K - k of their kind, so they pair up in order)
    pad_g, pad_r = np.nonzero(~live_eq)
    systems[pad_g, pad_r, pad_r - extra] = 1.0
    return systems


@lru_cache(maxsize=64)
def _template(m: int, n: int, extra: int, transpose: bool) -> tuple[np.ndarray, ...]:
    """The systems of :func:`_systems` for an ``m x n`` payoff with the payoffs left out,
    and where they go: flat positions in the systems and in the payoff matrix.

    With ``transpose`` the systems are the column player's (``m`` and ``n`` swapped by the
    caller), ordered like the row player's support pairs.
    """
    own, other, size = _plan(m, n, extra)
    if transpose:
        order = _pair_order(n, m)
        own, other, size = own[order], other[order], size[order]
    marker = np.arange(m * n, dtype=float).reshape(m, n) + 1.0
    filled = _systems(marker, own, other, size, extra)
    blank = _systems(np.zeros((m, n)), own, other, size, extra)
    slots = np.flatnonzero((filled != blank).reshape(-1))
    source = (filled.reshape(-1)[slots] - 1.0).astype(np.intp)
    blank.setflags(write=False)
    return blank, slots, source, own


@lru_cache(maxsize=64)
def _pair_order(m: int, n: int) -> np.ndarray:
    """Where each (row support, column support) pair of ``_plan(m, n, 0)`` sits in
    ``_plan(n, m, 0)`` (with the roles swapped)."""
    own_x, other_x, _ = _plan(m, n, 0)
    own_y, other_y, _ = _plan(n, m, 0)
    index = {
        (tuple(o), tuple(t)): i for i, (o, t) in enumerate(zip(own_y.tolist(), other_y.tolist()))
    }
    return np.array(
        [index[(tuple(t), tuple(o))] for o, t in zip(own_x.tolist(), other_x.tolist())],
        dtype=np.intp,
    )


@lru_cache(maxsize=64)
def _batch(m: int, n: int) -> tuple[tuple[tuple[np.ndarray, ...], ...], int]:
    """Every system of an ``m x n`` game, stacked by shape, for one call per shape.

    The systems are the row player's support systems (from ``B``), the column player's
    (from ``A^T``, in the row player's order of support pairs), then the *equalisers*: the
    systems that say a strategy on ``k`` rows (columns) equalises ``k + 1`` replies,
    ``B[I, J]^T x = u 1, sum(x) = 1`` with ``|I| = k, |J| = k + 1`` (likewise with ``A``),
    solvable only if their augmented ``(k + 2)``-square matrix is singular. If all are
    regular, no mixed strategy has more pure best replies than its support has strategies:
    the game is nondegenerate.

    A support system of one strategy, ``[[p, -1], [1, 0]]`` with ``1 <= p <= 2`` (padded by
    rows of the identity), has determinant 1 and is always regular, so it is not tested.

    Returns, for each shape (the support systems' first, and first in it), the systems with
    the payoffs left out, the flat positions of the payoffs in them, where each comes from
    in ``concatenate((B.ravel(), A.T.ravel()))`` and which systems the regularity test
    reads; and the number of support systems.
    """
    sizes = _plan(m, n, 0)[2]
    parts = [
        (_template(m, n, 0, False), 0, sizes > 1),
        (_template(n, m, 0, True), m * n, sizes > 1),
    ]
    if n > 1:
        parts.append((_template(m, n, 1, False), 0, None))
    if m > 1:
        parts.append((_template(n, m, 1, False), m * n, None))
    groups: dict[tuple[int, ...], list[tuple[np.ndarray, ...]]] = {}
    for (blank, slots, source, _), offset, tested in parts:
        tested = np.ones(blank.shape[0], dtype=bool) if tested is None else tested
        groups.setdefault(blank.shape[1:], []).append((blank, slots, source + offset, tested))
    stacks = []
    for group in groups.values():
        size = group[0][0][0].size  # entries of one system
        starts = np.cumsum([0] + [part[0].shape[0] for part in group])
        blank = np.concatenate([part[0] for part in group])
        slots = np.concatenate([part[1] + size * st for part, st in zip(group, starts)])
        source = np.concatenate([part[2] for part in group])
        tested = np.flatnonzero(np.concatenate([part[3] for part in group]))
        for array in (blank, slots, source, tested):
            array.setflags(write=False)
        stacks.append((blank, slots, source, tested))
    return tuple(stacks), 2 * sizes.size


@lru_cache(maxsize=64)
def _solution_plan(m: int, n: int) -> tuple[np.ndarray, ...]:
    """The right-hand side ``(0, ..., 0, 1)`` of the support systems, and where each solved
    unknown goes: (system, unknown slot, strategy) of the row and of the column player,
    padding left out."""
    pieces = []
    for own in (_template(m, n, 0, False)[3], _template(n, m, 0, True)[3]):
        rows, slots = np.nonzero(own >= 0)
        pieces += [rows, slots, own[rows, slots]]
    K = min(m, n)
    rhs = np.zeros((2 * len(_plan(m, n, 0)[2]), K + 1, 1))
    rhs[:, K] = 1.0
    for array in (rhs, *pieces):
        array.setflags(write=False)
    return (rhs, *pieces)


def small_game_equilibria(
    a: np.ndarray, b: np.ndarray, tol: float
) -> tuple[np.ndarray, np.ndarray] | None:
    """Every equilibrium of a small nondegenerate game, or ``None`` to use the general path.

    Parameters
    ----------
    a, b : numpy array, shape (m, n)
        Payoffs of the row and column player, rescaled to ``[1, 2]``.
    tol : float
        Tolerance of the nonnegativity and best-reply checks (on those payoffs).

    Returns
    -------
    tuple of numpy arrays or None
        The row and the column strategies of each equilibrium, ``(k, m)`` and ``(k, n)``,
        or ``None`` when the game is too large, may be degenerate or a system is singular.

    Examples
    --------
    Matching pennies has one equilibrium:

    >>> x, y = small_game_equilibria(
    ...     np.array([[2.0, 1.0], [1.0, 2.0]]), np.array([[1.0, 2.0], [2.0, 1.0]]), 1e-9
    ... )
    >>> x.tolist(), y.tolist()
    ([[0.5, 0.5]], [[0.5, 0.5]])
    """
    m, n = a.shape
    if support_pairs(m, n) > SMALL_GAME_SUPPORTS:
        return None
    payoffs = np.concatenate((b.reshape(-1), a.T.reshape(-1)))
    stacks, count = _batch(m, n)
    support = None  # the support systems: the first of the first stack
    for blank, slots, source, tested in stacks:
        systems = blank.copy()
        systems.reshape(-1)[slots] = payoffs[source]
        if not _regular_small(systems[tested]).all():
            return None  # may be degenerate, or a support system is singular
        support = systems[:count] if support is None else support
    g = count // 2
    K = min(m, n)
    rhs, rows_x, slots_x, cols_x, rows_y, slots_y, cols_y = _solution_plan(m, n)
    solution = np.linalg.solve(support, rhs)[..., 0]
    # the row player's strategies (first g rows) and the column player's, one array
    xy = np.zeros((2 * g, max(m, n)))
    xy[rows_x, cols_x] = solution[rows_x, slots_x]
    xy[g + rows_y, cols_y] = solution[g + rows_y, slots_y]
    x, y = xy[:g, :m], xy[g:, :n]
    # nonnegative, and no pure reply better than the value of the support
    test = np.concatenate(
        (xy[:g], xy[g:], solution[:g, K, None] - x @ b, solution[g:, K, None] - y @ a.T), axis=1
    )
    keep = test.min(axis=1) >= -tol
    both = probabilities(xy[np.concatenate((keep, keep))])  # one call for the two players
    e = both.shape[0] // 2
    return both[:e, :m], both[e:, :n]
