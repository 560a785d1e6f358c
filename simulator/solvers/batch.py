"""All extreme equilibria of many small bimatrix games at once, vectorised across games.

The method is vertex enumeration of the two best-response polytopes (Mangasarian 1964;
von Stengel 2007, "Equilibrium computation for two-player games in strategic and
extensive form", ch. 3 of Nisan et al., *Algorithmic Game Theory*; Avis, Rosenberg,
Savani & von Stengel 2010, "Enumeration of Nash equilibria for two-player games",
*Economic Theory* 42). With payoffs made positive,

* ``P = {x >= 0 : B^T x <= 1}`` has labels ``i`` (``x_i = 0``) and ``m + j``
  (``(B^T x)_j = 1``),
* ``Q = {y >= 0 : A y <= 1}`` has labels ``i`` (``(A y)_i = 1``) and ``m + j``
  (``y_j = 0``),

and the extreme equilibria are the completely labelled vertex pairs ``(x, y)`` other
than ``(0, 0)``, normalised to probabilities. A vertex of ``P`` is the solution of a
nonsingular system of ``m`` tight constraints: ``x`` is zero off a row set ``R`` and
``B[R, C]^T x_R = 1`` for a column set ``C`` with ``|C| = |R|`` (likewise for ``Q``).
The ``C(m + n, m) - 1`` such systems are the same for every game of a shape, so each is
solved for all games at once: by Cramer's rule, with the determinants of all ``k x k``
submatrices built from the ``(k - 1) x (k - 1)`` ones by Laplace expansion (so every
minor is computed once), and by stacked LU for systems larger than 5x5. Each vertex's
complete label set is then read off its coordinates with a tolerance, so a degenerate
vertex carries every label it has and the pairs found are exactly those of an exact
vertex enumeration: the vertices of every component of equilibria.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from math import comb

import numpy as np
from numpy.typing import ArrayLike

from simulator.games.errors import GameError
from simulator.machine import available_cores
from simulator.solvers.equilibrium import CertificationError, tolerance_from_range

__all__ = ["BatchResult", "solve_batch"]

#: Slack below which a constraint counts as tight, in payoffs rescaled to [1, 2].
LABEL_TOLERANCE = 1e-10
#: Systems whose determinant (entries in [1, 2]) is smaller than this count as singular.
SINGULAR_TOLERANCE = 1e-11
#: Largest system size solved by Cramer's rule on minors (rounding grows like k! 2^k).
_CRAMER_MAX = 5
#: Largest number of tight-constraint systems per polytope (``C(m + n, m) - 1``).
MAX_BASES = 20_000
#: Rough budget of array elements per chunk of games (keeps the working set in cache).
_CHUNK_ELEMENTS = 1 << 19


@dataclass(frozen=True, eq=False)
class BatchResult:
    """Extreme equilibria of a batch of bimatrix games, one row per equilibrium.

    Attributes
    ----------
    game_index : numpy array of int, shape ``(K,)``
        The game each equilibrium belongs to, ascending.
    row_strategies, col_strategies : numpy arrays, shapes ``(K, m)`` and ``(K, n)``
        The players' mixed strategies; within a game, rows are ordered
        lexicographically by ``(row strategy, column strategy)``.
    payoffs : numpy array, shape ``(K, 2)``
        Expected payoffs of the row and column player.
    regret : numpy array, shape ``(K,)``
        The largest gain either player gets by a unilateral deviation (the certificate).
    tolerance : numpy array, shape ``(G,)``
        The bound each game's regrets were checked against.
    num_games : int
        ``G``, the number of games solved.

    Examples
    --------
    >>> res = solve_batch([[[1, -1], [-1, 1]], [[2, 0], [0, 1]]])
    >>> res.counts()
    array([1, 1])
    >>> res.equilibria_of(1)[0]
    array([[0.333..., 0.666...]])
    """

    game_index: np.ndarray
    row_strategies: np.ndarray
    col_strategies: np.ndarray
    payoffs: np.ndarray
    regret: np.ndarray
    tolerance: np.ndarray
    num_games: int

    def equilibria_of(self, g: int) -> tuple[np.ndarray, np.ndarray]:
        """Row and column strategies of the equilibria of game ``g``, shapes ``(k, m), (k, n)``.

        Examples
        --------
        >>> rows, cols = solve_batch([[3, 0], [5, 1]], [[3, 5], [0, 1]]).equilibria_of(0)
        >>> rows, cols
        (array([[0., 1.]]), array([[0., 1.]]))
        """
        if not -self.num_games <= g < self.num_games:
            raise IndexError(f"game {g} out of range for a batch of {self.num_games} games")
        g %= self.num_games
        lo, hi = np.searchsorted(self.game_index, [g, g + 1])
        return self.row_strategies[lo:hi], self.col_strategies[lo:hi]

    def counts(self) -> np.ndarray:
        """Number of extreme equilibria of each game, shape ``(G,)``.

        Examples
        --------
        >>> solve_batch([[2, 0], [0, 1]], [[1, 0], [0, 2]]).counts()
        array([3])
        """
        return np.bincount(self.game_index, minlength=self.num_games)

    def __len__(self) -> int:
        return int(self.game_index.shape[0])


# ---------------------------------------------------------------------- input
def _as_games(A: ArrayLike, B: ArrayLike | None) -> tuple[np.ndarray, np.ndarray]:
    """Validate the payoffs and return float arrays of shape ``(G, m, n)``."""
    arrays = []
    for name, value in (("A", A), ("B", B)):
        if value is None:
            arrays.append(None)
            continue
        try:
            arr = np.asarray(value, dtype=float)
        except (TypeError, ValueError) as exc:
            raise GameError(f"payoffs {name} must be numbers: {exc}") from None
        if arr.ndim not in (2, 3):
            raise GameError(
                f"payoffs {name} must have shape (G, m, n) for G games, or (m, n) for one "
                f"game; got shape {arr.shape}"
            )
        if arr.shape[-1] == 0 or arr.shape[-2] == 0:
            raise GameError(
                f"every player needs at least one strategy; {name} has shape {arr.shape}"
            )
        if not np.isfinite(arr).all():
            where = tuple(int(k) for k in np.argwhere(~np.isfinite(arr))[0])
            raise GameError(f"payoffs must be finite numbers; {name}{list(where)} is {arr[where]}")
        arrays.append(arr)
    a, b = arrays
    assert a is not None
    if b is None:
        b = -a
    if a.shape[-2:] != b.shape[-2:]:
        raise GameError(
            f"A and B must have the same game shape (m, n); got {a.shape[-2:]} and {b.shape[-2:]}"
        )
    if a.ndim == 3 and b.ndim == 3 and a.shape[0] != b.shape[0]:
        raise GameError(f"A holds {a.shape[0]} games but B holds {b.shape[0]}")
    # A single matrix next to a stack is shared by every game (handy for sweeps).
    num_games = a.shape[0] if a.ndim == 3 else (b.shape[0] if b.ndim == 3 else 1)
    shape = (num_games, *a.shape[-2:])
    return np.broadcast_to(a, shape), np.broadcast_to(b, shape)


# ---------------------------------------------------------------------- bases
@dataclass(frozen=True)
class _Group:
    """The tight-constraint systems with ``k`` nonzero coordinates, for one polytope.

    For ``P`` a system is a row set ``R`` (where ``x`` may be nonzero) and a column set
    ``C`` of tight best-response constraints, ``B[R, C]^T x_R = 1``; for ``Q`` it is
    ``A[R, C] y_C = 1``. Systems are ordered by ``R``, then ``C`` (as ``combinations``
    lists them), the same for both polytopes. Indices into the payoff matrix are
    flattened (``i * n + j``) so blocks can be gathered for all games with one ``take``.
    """

    coords: np.ndarray  # (S, k) coordinates of the unknowns (R for P, C for Q)
    minors: np.ndarray  # (S, k, k) index of minor (R - R[a], C - C[b]) in the previous group
    first: np.ndarray  # (S, k) flat indices of M[R[0], C]
    block: np.ndarray  # (S, k, k) flat indices of M[R, C]
    other: np.ndarray  # (S, k, o) flat indices of the remaining constraints' weights
    bits: np.ndarray  # (S, k + o) label bits: unknown a is 0, then other constraint is tight
    base: np.ndarray  # (S,) labels tight by construction


@lru_cache(maxsize=64)
def _groups(m: int, n: int, row: bool) -> tuple[_Group, ...]:
    """Systems for ``P`` (``row=True``) or ``Q`` of an ``m x n`` game, grouped by size ``k``."""
    out = []
    previous: dict[tuple[tuple[int, ...], tuple[int, ...]], int] = {((), ()): 0}
    for k in range(1, min(m, n) + 1):
        pairs = [(r, c) for r in combinations(range(m), k) for c in combinations(range(n), k)]
        S = len(pairs)
        R = np.array([r for r, _ in pairs], dtype=np.intp).reshape(S, k)
        C = np.array([c for _, c in pairs], dtype=np.intp).reshape(S, k)
        minors = np.array(
            [
                [
                    [previous[(r[:a] + r[a + 1 :], c[:b] + c[b + 1 :])] for b in range(k)]
                    for a in range(k)
                ]
                for r, c in pairs
            ],
            dtype=np.intp,
        ).reshape(S, k, k)
        previous = {pair: s for s, pair in enumerate(pairs)}
        if row:
            free = np.array([[j for j in range(n) if j not in c] for c in C], dtype=np.intp)
            free = free.reshape(S, n - k)
            other = R[:, :, None] * n + free[:, None, :]
            coord_bits = 1 << R
            other_bits = 1 << (m + free)
            base = [
                sum(1 << i for i in range(m) if i not in r) + sum(1 << (m + j) for j in c)
                for r, c in pairs
            ]
            coords = R
        else:
            free = np.array([[i for i in range(m) if i not in r] for r in R], dtype=np.intp)
            free = free.reshape(S, m - k)
            other = free[:, None, :] * n + C[:, :, None]
            coord_bits = 1 << (m + C)
            other_bits = 1 << free
            base = [
                sum(1 << (m + j) for j in range(n) if j not in c) + sum(1 << i for i in r)
                for r, c in pairs
            ]
            coords = C
        block = R[:, :, None] * n + C[:, None, :]
        group = _Group(
            coords,
            minors,
            block[:, 0],
            block,
            other,
            np.concatenate([coord_bits, other_bits], axis=1),
            np.array(base),
        )
        for arr in vars(group).values():
            arr.setflags(write=False)
        out.append(group)
    return tuple(out)


def _solve_by_minors(
    M: np.ndarray, grp: _Group, previous: np.ndarray, row: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Cramer's rule for all systems of one size from the determinants of the size below.

    With ``cof[a, b] = (-1)^(a+b) det M[R - R[a], C - C[b]]`` (minors already computed
    for the previous size), ``det M[R, C] = sum_b M[R[0], C[b]] cof[0, b]``, the solution
    of ``M[R, C] y = 1`` is ``y_b = sum_a cof[a, b] / det`` and that of the transposed
    system is ``x_a = sum_b cof[a, b] / det``. Returns ``(z, det)``.
    """
    k = grp.minors.shape[1]
    cof = np.take(previous, grp.minors, axis=0)  # (S, k, k, G)
    if k > 1:
        sign = 1 - 2 * (np.add.outer(np.arange(k), np.arange(k)) % 2)
        cof *= sign[:, :, None]
    det = (np.take(M, grp.first, axis=0) * cof[:, 0]).sum(axis=1)
    return cof.sum(axis=2 if row else 1), det


def _solve_by_lu(M: np.ndarray, grp: _Group, row: bool) -> tuple[np.ndarray, np.ndarray]:
    """Stacked LU solves of ``M[R, C] y = 1`` (or the transpose); returns ``(z, det)``."""
    k = grp.block.shape[1]
    stack = np.moveaxis(np.take(M, grp.block, axis=0), -1, 1)  # (S, G, k, k)
    if row:
        stack = np.swapaxes(stack, -1, -2)
    det = np.linalg.det(stack)
    safe = np.where(np.abs(det[..., None, None]) > SINGULAR_TOLERANCE, stack, np.eye(k))
    z = np.linalg.solve(safe, np.ones(stack.shape[:-1] + (1,)))[..., 0]
    return np.moveaxis(z, 1, -1), det


def _vertices(
    M: np.ndarray, groups: tuple[_Group, ...], eps: np.ndarray, dtype: type[np.integer], row: bool
) -> tuple[list[np.ndarray], np.ndarray]:
    """Nonzero vertices of ``P`` (``row=True``, ``M`` from ``B``) or ``Q`` (``M`` from ``A``).

    ``M`` is the positive payoff matrix flattened in games-last layout ``(m * n, G)``.
    Returns, per group, the unknowns ``z`` of shape ``(S, k, G)``, and the label bitmask
    of every system ``(S_total, G)``: 0 where the system is singular or its solution
    infeasible, else every constraint within ``eps`` of tight.
    """
    G = M.shape[1]
    zs = []
    labels = []
    minors = np.ones((1, G))  # the determinant of the empty matrix
    for grp in groups:
        S, k = grp.coords.shape
        # Unknowns and the slacks of the constraints outside the system (those inside
        # are tight by construction) side by side, so one pass tests them all.
        values = np.empty((S, k + grp.other.shape[2], G))
        z, slack = values[:, :k], values[:, k:]
        if k <= _CRAMER_MAX:
            numerators, det = _solve_by_minors(M, grp, minors, row)
            minors = det
            ok = np.abs(det) > SINGULAR_TOLERANCE
            np.multiply(numerators, (1.0 / np.where(ok, det, 1.0))[:, None, :], out=z)
        else:
            z[...], det = _solve_by_lu(M, grp, row)
            ok = np.abs(det) > SINGULAR_TOLERANCE
        slack[...] = 1.0
        weights = np.take(M, grp.other, axis=0)
        for a in range(k):
            slack -= z[:, a, None, :] * weights[:, a]
        ok &= (values >= -eps).all(axis=1)
        tight = (values <= eps).astype(dtype)
        tight *= grp.bits[:, :, None].astype(dtype)
        lab = tight.sum(axis=1, dtype=dtype)
        lab += grp.base[:, None].astype(dtype)
        lab *= ok
        zs.append(z)
        labels.append(lab)
    return zs, np.concatenate(labels)


def _label_dtype(num_labels: int, num_systems: int) -> type[np.signedinteger]:
    """Integer type holding a label bitmask shifted left by a system index."""
    return np.int32 if num_labels + num_systems.bit_length() <= 31 else np.int64


def _compact(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Move each game's vertices to the front and drop repeated ones.

    Returns labels ``(G, K)`` (0 = no vertex) and the system each came from ``(G, K)``,
    where ``K`` is the largest number of vertices of a game in the chunk. A vertex's
    label set contains a nonsingular system that determines it, so two vertices of a
    game are the same point exactly when their label sets agree. Sorting the keys
    ``label << bits | system`` of each game puts vertices first and repeats side by side.
    """
    S = labels.shape[0]
    bits = S.bit_length()
    size = max(1, int(np.count_nonzero(labels, axis=0).max(initial=0)))
    keys = labels << bits
    keys |= np.arange(S, dtype=labels.dtype)[:, None]
    keys = np.sort(keys.T, axis=1)[:, : -size - 1 : -1]
    packed = keys >> bits
    source = (keys & ((1 << bits) - 1)).astype(np.intp)
    repeat = packed[:, 1:] == packed[:, :-1]
    packed[:, 1:][repeat] = 0
    return packed, source


def _coordinates(
    zs: list[np.ndarray], groups: tuple[_Group, ...], s: np.ndarray, g: np.ndarray, d: int
) -> np.ndarray:
    """Full coordinate vectors ``(K, d)`` of the vertices from systems ``s`` in games ``g``."""
    out = np.zeros((len(s), d))
    start = 0
    for z, grp in zip(zs, groups):
        stop = start + len(grp.coords)
        pick = np.flatnonzero((s >= start) & (s < stop))
        local = s[pick] - start
        out[pick[:, None], grp.coords[local]] = z[local, :, g[pick]]
        start = stop
    return out


# ---------------------------------------------------------------------- solver
def _solve_chunk(a: np.ndarray, b: np.ndarray, tol: float | None) -> tuple[np.ndarray, ...]:
    """Certified equilibria of a chunk of games ``(G, m, n)``, ordered.

    Returns ``(game, x, y, payoffs, regret, tolerance)`` with ``game`` local to the chunk.
    """
    G, m, n = a.shape
    flat_a = np.ascontiguousarray(a.reshape(G, m * n).T)
    flat_b = np.ascontiguousarray(b.reshape(G, m * n).T)
    lo_a, lo_b = flat_a.min(axis=0), flat_b.min(axis=0)
    hi_a, hi_b = flat_a.max(axis=0), flat_b.max(axis=0)
    if tol is None:
        # the looser of the two players' bounds (one tolerance per game)
        tolerance = np.maximum(tolerance_from_range(lo_a, hi_a), tolerance_from_range(lo_b, hi_b))
    else:
        tolerance = np.full(G, tol)
    scale_a = np.where(hi_a > lo_a, hi_a - lo_a, 1.0)
    scale_b = np.where(hi_b > lo_b, hi_b - lo_b, 1.0)
    # Payoffs shifted to start at 0 (regret is shift-invariant, and this avoids
    # cancellation when payoffs are large but close together), then rescaled to [1, 2],
    # which keeps the equilibria and the conditioning.
    sa, sb = flat_a - lo_a, flat_b - lo_b
    pa, pb = sa / scale_a + 1.0, sb / scale_b + 1.0
    # A label slack of eps costs at most 4 * eps * scale of regret (payoffs in [1, 2]).
    eps = np.minimum(LABEL_TOLERANCE, tolerance / (8.0 * np.maximum(scale_a, scale_b)))
    dtype = _label_dtype(m + n, comb(m + n, m))
    groups_p, groups_q = _groups(m, n, True), _groups(m, n, False)
    zx, lab_x = _vertices(pb, groups_p, eps, dtype, row=True)
    zy, lab_y = _vertices(pa, groups_q, eps, dtype, row=False)
    lab_x, src_x = _compact(lab_x)
    lab_y, src_y = _compact(lab_y)
    full = (1 << (m + n)) - 1
    # No nonzero vertex has all labels, so 0 (no vertex) never completes a pair.
    g, kx, ky = np.nonzero((lab_x[:, :, None] | lab_y[:, None, :]) == full)
    profiles = np.empty((len(g), m + n))
    x, y = profiles[:, :m], profiles[:, m:]
    x[...] = _coordinates(zx, groups_p, src_x[g, kx], g, m)
    y[...] = _coordinates(zy, groups_q, src_y[g, ky], g, n)
    profiles *= profiles > eps[g, None]  # coordinates labelled zero are zero
    x /= x.sum(axis=1, keepdims=True)
    y /= y.sum(axis=1, keepdims=True)
    order = _lexicographic_order(g, profiles)
    g, profiles = g[order], profiles[order]
    # Safety net: repeated vertices were dropped by label set, so no pair should repeat.
    keep = np.ones(len(g), dtype=bool)
    keep[1:] = (g[1:] != g[:-1]) | (np.abs(profiles[1:] - profiles[:-1]).max(axis=1) > 1e-9)
    if not keep.all():
        g, profiles = g[keep], profiles[keep]
    x, y = profiles[:, :m], profiles[:, m:]
    payoffs, regret = _certificates(sa, sb, lo_a, lo_b, g, x, y)
    return g, x, y, payoffs, regret, tolerance


def _lexicographic_order(g: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Permutation sorting rows by game ``g``, then lexicographically by ``keys`` in [0, 1].

    Keys are compared after rounding to multiples of ``2**-32``, so values that differ
    only by rounding noise count as equal. One integer sort on (game, first key) orders
    almost everything; only rows tied on both are sorted again on the remaining keys
    (far cheaper than a full ``lexsort``).
    """
    q = np.rint(keys * float(1 << 32)).astype(np.int64)
    primary = (g.astype(np.int64) << 34) | q[:, 0]
    order = np.argsort(primary, kind="stable")
    ranked = primary[order]
    same = ranked[1:] == ranked[:-1]
    if same.any():
        tied = np.zeros(len(order), dtype=bool)
        tied[1:] |= same
        tied[:-1] |= same
        where = np.flatnonzero(tied)
        rows = order[where]
        # Tied rows form contiguous blocks of equal primary key, so sorting them among
        # themselves and writing them back keeps the global order.
        order[where] = rows[np.lexsort((*q[rows, 1:].T[::-1], primary[rows]))]
    return order


def _chunk_size(m: int, n: int) -> int:
    bases = comb(m + n, m) - 1
    return max(16, _CHUNK_ELEMENTS // (bases * (m + n)))


def _certificates(
    sa: np.ndarray,
    sb: np.ndarray,
    lo_a: np.ndarray,
    lo_b: np.ndarray,
    g: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Expected payoffs ``(K, 2)`` and regrets ``(K,)`` of the profiles ``(x, y)``.

    ``sa``, ``sb`` are the payoffs minus their minima ``lo_a``, ``lo_b``, in games-last
    layout ``(m * n, G)``; ``g`` says which game each profile belongs to.
    """
    m, n = x.shape[1], y.shape[1]
    xt, yt = x.T, y.T
    ga = np.take(sa, g, axis=1).reshape(m, n, -1)
    gb = np.take(sb, g, axis=1).reshape(m, n, -1)
    row_values = (ga * yt[None, :, :]).sum(axis=1)  # (m, K): payoff of each row
    col_values = (gb * xt[:, None, :]).sum(axis=0)  # (n, K): payoff of each column
    u_row = (row_values * xt).sum(axis=0)
    u_col = (col_values * yt).sum(axis=0)
    regret = np.maximum(row_values.max(axis=0) - u_row, col_values.max(axis=0) - u_col)
    payoffs = np.stack([u_row + lo_a[g], u_col + lo_b[g]], axis=1)
    return payoffs, np.maximum(regret, 0.0)


def solve_batch(
    A: ArrayLike, B: ArrayLike | None = None, tol: float | None = None, threads: int | None = None
) -> BatchResult:
    """All extreme Nash equilibria of ``G`` small bimatrix games, vectorised across games.

    Vertex enumeration of the best-response polytopes (von Stengel 2007, ch. 3 of Nisan
    et al., *Algorithmic Game Theory*; Avis et al. 2010), with every tight-constraint
    system solved for all games at once. For degenerate games it returns the vertices
    of every component of equilibria, the same set as an exact vertex enumeration.
    Meant for many small games (up to about 5x5); the work per game grows like
    ``C(m + n, m)``, the number of systems.

    Parameters
    ----------
    A : array_like, shape ``(G, m, n)`` or ``(m, n)``
        Row player's payoffs; a single matrix is one game.
    B : array_like, optional
        Column player's payoffs, same shape as ``A`` (either may be a single ``(m, n)``
        matrix shared by all games of the other). Omitted: the games are zero-sum,
        ``B = -A``.
    tol : float, optional
        Regret tolerance for every game; default the looser of the two players'
        :func:`~simulator.solvers.equilibrium.tolerance_from_range` in each game.
    threads : int, optional
        Chunks of games solved at once in threads (numpy releases the interpreter lock in
        its array loops, so two threads use two cores). Default: the cores this process may
        use, never more than the chunks; 1 solves in this thread.
        The chunks are the same whatever the number, so the result is too, bit for bit.

    Returns
    -------
    BatchResult
        One row per equilibrium, sorted by game and then lexicographically by
        ``(row strategy, column strategy)``, each certified by its regret.

    Raises
    ------
    GameError
        If the payoffs have the wrong shape, are not finite, or the games are too large.
    CertificationError
        If a candidate's regret exceeds the tolerance (a numerical failure: the label
        tolerance bounds the regret well below the default tolerance, so this signals
        a ``tol`` set below floating-point accuracy).

    Notes
    -----
    Each player's payoffs are rescaled per game to [1, 2]; a constraint counts as
    tight when within ``LABEL_TOLERANCE`` (``1e-10``) of it in those units, so
    degeneracies are recognised when the payoffs are exact to about ``1e-10`` of their
    span (integer and simple rational payoffs always are). This bounds each returned
    profile's regret by about ``4e-10`` times the payoff span, well inside the default
    tolerance. Systems with ``|det| <= 1e-11`` (in the rescaled units) count as singular.

    Examples
    --------
    Battle of the sexes and matching pennies, solved together:

    >>> A = [[[2, 0], [0, 1]], [[1, -1], [-1, 1]]]
    >>> B = [[[1, 0], [0, 2]], [[-1, 1], [1, -1]]]
    >>> res = solve_batch(A, B)
    >>> res.counts()
    array([3, 1])
    >>> res.row_strategies[:3]
    array([[0.    , 1.    ],
           [0.666..., 0.333...],
           [1.    , 0.    ]])
    >>> float(res.regret.max()) <= 1e-12
    True
    """
    a, b = _as_games(A, B)
    G, m, n = a.shape
    if m + n > 62 or comb(m + n, m) - 1 > MAX_BASES:
        raise GameError(
            f"solve_batch enumerates all C(m + n, m) = {comb(m + n, m)} tight-constraint "
            f"systems per game, too many for {m}x{n} games; solve such games one at a time "
            "with simulator.solve(game, method='enumerate')"
        )
    if tol is not None:
        tol = float(tol)
        if not np.isfinite(tol) or tol <= 0:
            raise GameError(f"tol must be a positive number; got {tol}")
    if threads is not None and (
        isinstance(threads, bool) or not isinstance(threads, (int, np.integer)) or threads < 1
    ):
        raise GameError(f"threads must be a whole number of at least 1; got {threads!r}")
    step = _chunk_size(m, n)
    starts = range(0, G, step)

    def chunk(start: int) -> tuple[np.ndarray, ...]:
        g, *rest = _solve_chunk(a[start : start + step], b[start : start + step], tol)
        return (g + start, *rest)

    workers = min(len(starts), available_cores() if threads is None else int(threads))
    if workers > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            parts = list(pool.map(chunk, starts))
    else:
        parts = [chunk(start) for start in starts]
    if parts:
        g, x, y, payoffs, regret, tolerance = (np.concatenate(p) for p in zip(*parts))
    else:
        g, x, y = np.zeros(0, dtype=np.intp), np.zeros((0, m)), np.zeros((0, n))
        payoffs, regret, tolerance = np.zeros((0, 2)), np.zeros(0), np.zeros(0)
    bad = np.flatnonzero(~(regret <= tolerance[g]))
    if bad.size:
        k = bad[0]
        raise CertificationError(
            f"solve_batch: game {g[k]} has a candidate equilibrium with regret "
            f"{regret[k]:.3g} above its tolerance {tolerance[g[k]]:.3g} "
            f"(row {x[k].tolist()}, column {y[k].tolist()}); the tolerance is below the "
            "accuracy floating-point vertex enumeration reaches for this game; pass a larger tol"
        )
    arrays = (g.astype(np.intp), x, y, payoffs, regret, tolerance)
    for arr in arrays:
        arr.setflags(write=False)
    return BatchResult(*arrays, num_games=G)
