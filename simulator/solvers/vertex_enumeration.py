"""All Nash equilibria of a bimatrix game by vertex enumeration of the best-response polytopes.

With payoffs made positive, the best-response polytopes of the game ``(A, B)`` are

    P = {x in R^m : x >= 0, B^T x <= 1}    and    Q = {y in R^n : y >= 0, A y <= 1}.

A point of ``P`` has label ``i`` (a row strategy) when ``x_i = 0`` and label ``m + j``
(a column strategy) when ``(B^T x)_j = 1``; labels of ``Q`` are defined alike. The
extreme equilibria are exactly the completely labelled vertex pairs ``(x, y) != (0, 0)``,
normalised to probabilities (von Stengel 2007, Theorem 3.4 and Section 3.5; Avis,
Rosenberg, Savani and von Stengel 2010). In degenerate games the equilibria form
connected components, each a union of *maximal Nash subsets*: products of faces of ``P``
and ``Q`` whose vertex sets are the maximal bicliques of the bipartite graph of extreme
equilibria (Audet, Hansen, Jaumard and Savard 2001).

Vertices are enumerated by polar duality with Qhull (Barber, Dobkin and Huhdanpaa 1996):
after moving an interior point ``c`` to the origin, each constraint ``a_k z <= b_k``
becomes the point ``a_k / (b_k - a_k c)``, and each facet of the convex hull of these
points is a vertex of the polytope. Small polytopes are enumerated directly instead, by
solving every square subsystem of tight constraints. Labels are always computed from a
vertex's coordinates, so degenerate vertices (more tight constraints than the dimension,
split into several facets by Qhull's triangulation) are recognised and merged.

References
----------
.. [1] B. von Stengel, "Equilibrium computation for two-player games in strategic and
   extensive form", ch. 3 of N. Nisan et al. (eds.), *Algorithmic Game Theory*,
   Cambridge University Press, 2007.
.. [2] D. Avis, G. D. Rosenberg, R. Savani and B. von Stengel, "Enumeration of Nash
   equilibria for two-player games", *Economic Theory* 42 (2010) 9-37.
.. [3] C. Audet, P. Hansen, B. Jaumard and G. Savard, "Enumeration of all extreme
   equilibria of bimatrix games", *SIAM J. Sci. Comput.* 23 (2001) 323-338.
.. [4] C. B. Barber, D. P. Dobkin and H. Huhdanpaa, "The Quickhull algorithm for convex
   hulls", *ACM Trans. Math. Software* 22 (1996) 469-483.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations
from math import comb

import numpy as np
from numpy.typing import ArrayLike
from scipy.spatial import ConvexHull, QhullError

from simulator.games.errors import GameError
from simulator.games.normal_form import NormalFormGame
from simulator.solvers.equilibrium import Equilibrium, _certify_each
from simulator.solvers.small_supports import probabilities, regular, small_game_equilibria

__all__ = ["VertexEnumerationResult", "vertex_enumeration", "vertex_enumeration_result"]

#: Default tolerance for a constraint to count as tight, on payoffs rescaled to [1, 2].
DEFAULT_TOLERANCE = 1e-9
#: Polytopes with at most this many square subsystems are enumerated without Qhull.
_SUBSET_LIMIT = 100
#: Largest number of square subsystems tried when Qhull is slow or fails.
_SUBSET_FALLBACK_LIMIT = 1_000_000
#: Above this dimension Qhull is slow: prefer square subsystems when there are few.
_MAX_HULL_DIMENSION = 20
#: Entries in one broadcast block of the label test (bounds memory).
_BLOCK = 1 << 22
#: Largest work (McMullen's vertex bound x dimension squared) Qhull is asked to do: about a
#: minute on one core (Gambit's bcp2 tree, a 27-dimensional polytope with 36 facets, is
#: 7e8 and takes about 30 s; tim, 64 dimensions and 70 facets, is 2e10 and never ends).
_MAX_HULL_WORK = 2 * 10**9
#: The maximal Nash subsets of a game with one extreme equilibrium.
_ONE = (((0,), (0,)),)


@dataclass(frozen=True)
class _Extremes:
    """The uncertified output of the enumeration (fields as in :class:`VertexEnumerationResult`)."""

    row_vertices: np.ndarray
    col_vertices: np.ndarray
    pairs: np.ndarray
    components: np.ndarray
    cliques: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]


@dataclass(frozen=True)
class VertexEnumerationResult:
    """The extreme Nash equilibria of a bimatrix game, certified, and how they fit together.

    Attributes
    ----------
    row_vertices : numpy array, shape ``(a, m)``
        The distinct row-player mixed strategies that occur in extreme equilibria,
        in decreasing lexicographic order.
    col_vertices : numpy array, shape ``(b, n)``
        The same for the column player.
    pairs : numpy array of int, shape ``(k, 2)``
        ``(i, j)`` for each extreme equilibrium ``(row_vertices[i], col_vertices[j])``,
        in lexicographic order.
    components : numpy array of int, shape ``(k,)``
        The connected component of the equilibrium set each pair lies in (components of
        the bipartite graph of ``pairs``), numbered from 0 in order of first appearance.
    cliques : tuple of (tuple of int, tuple of int)
        The maximal Nash subsets: for each ``(rows, cols)``, every ``x`` in the convex
        hull of ``row_vertices[rows]`` with every ``y`` in the convex hull of
        ``col_vertices[cols]`` is an equilibrium; the equilibrium set is their union.
    equilibria : tuple of Equilibrium
        The extreme equilibria in the order of ``pairs``, each certified on the game
        ``(A, B)`` (method ``"enumerate"``, ``component`` set). A pair that exact
        arithmetic refutes (payoff spans far above 100, see
        :data:`~simulator.solvers.equilibrium.VISIBLE_GAIN`) is left out with a
        :class:`~simulator.solvers.equilibrium.RefutedCandidatesWarning`; otherwise
        ``equilibria[k]`` is ``pairs[k]``.
    """

    row_vertices: np.ndarray
    col_vertices: np.ndarray
    pairs: np.ndarray
    components: np.ndarray
    cliques: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]
    equilibria: tuple[Equilibrium, ...]


#: Deprecated name of :class:`VertexEnumerationResult`.
ExtremeEquilibria = VertexEnumerationResult


# ---------------------------------------------------------------------- public API
def vertex_enumeration(
    A: ArrayLike, B: ArrayLike, tol: float | None = None
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield every extreme Nash equilibrium ``(x, y)`` of the bimatrix game ``(A, B)``.

    The lean form: plain arrays, as nashpy and QuantEcon return them, not certified.
    Equilibria come in the order of :attr:`VertexEnumerationResult.pairs`;
    :func:`vertex_enumeration_result` returns them certified, with the components and
    maximal Nash subsets of degenerate games. The whole enumeration runs when the first
    equilibrium is asked for (not at the call), and so do its checks of the input.

    Parameters
    ----------
    A, B : array_like, shape ``(m, n)``
        Payoffs of the row and the column player; finite numbers.
    tol : float, optional
        Tolerance for a best-response constraint to count as tight, relative to each
        player's payoff span, ``0 < tol < 0.1`` (default ``1e-9``).

    Yields
    ------
    x, y : numpy.ndarray
        The row player's and the column player's probability vectors (copies).

    Raises
    ------
    GameError
        If ``A`` and ``B`` are not finite, non-empty matrices of the same shape.
    ValueError
        If ``tol`` is not between 0 and 0.1.

    Examples
    --------
    >>> [x.tolist() + y.tolist() for x, y in vertex_enumeration([[1, -1], [-1, 1]],
    ...                                                         [[-1, 1], [1, -1]])]
    [[0.5, 0.5, 0.5, 0.5]]
    """
    result = _solve(A, B, tol)
    # one copy of each player's strategies, in the order of the pairs, yielded row by row
    rows = result.row_vertices.take(result.pairs[:, 0], axis=0)
    cols = result.col_vertices.take(result.pairs[:, 1], axis=0)
    yield from zip(rows, cols)


def vertex_enumeration_result(
    A: ArrayLike, B: ArrayLike, tol: float | None = None
) -> VertexEnumerationResult:
    """All extreme Nash equilibria of ``(A, B)``, certified, with components and cliques.

    Every extreme equilibrium is certified by
    :func:`~simulator.solvers.equilibrium.certify` on the game ``(A, B)`` with each
    player's default regret bound; :func:`vertex_enumeration` yields the same profiles
    as plain arrays.

    Parameters
    ----------
    A, B : array_like, shape ``(m, n)``
        Payoffs of the row and the column player.
    tol : float, optional
        Tolerance for a best-response constraint to count as tight, relative to each
        player's payoff span (default ``1e-9``). Not the regret bound of the certificate.

    Returns
    -------
    VertexEnumerationResult

    Raises
    ------
    GameError
        If ``A`` and ``B`` are not finite matrices of the same shape.
    CertificationError
        If an enumerated pair fails its certificate (floating-point trouble).

    Warns
    -----
    RefutedCandidatesWarning
        When exact arithmetic refutes some pairs (they are left out of ``equilibria``).

    Examples
    --------
    Battle of the sexes has two pure equilibria and one mixed:

    >>> eqs = vertex_enumeration_result([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    >>> eqs.row_vertices
    array([[1.        , 0.        ],
           [0.66666667, 0.33333333],
           [0.        , 1.        ]])
    >>> eqs.pairs.tolist()
    [[0, 0], [1, 1], [2, 2]]
    >>> [eq.regret <= eq.tolerance for eq in eqs.equilibria]
    [True, True, True]

    In this degenerate game the column player is always indifferent, and the
    equilibria form one connected set made of three maximal Nash subsets:

    >>> eqs = vertex_enumeration_result([[1, 0], [0, 1]], [[1, 1], [0, 0]])
    >>> len(eqs.pairs), set(eqs.components.tolist()), len(eqs.cliques)
    (4, {0}, 3)
    """
    a, b = _as_bimatrix(A, B)
    found = _solve(a, b, tol)
    game = NormalFormGame.from_bimatrix(a, b)
    candidates = (
        ([found.row_vertices[i], found.col_vertices[j]], {}, int(found.components[k]))
        for k, (i, j) in enumerate(found.pairs.tolist())
    )
    certified = _certify_each(game, candidates, "enumerate")
    return VertexEnumerationResult(
        row_vertices=found.row_vertices,
        col_vertices=found.col_vertices,
        pairs=found.pairs,
        components=found.components,
        cliques=found.cliques,
        equilibria=tuple(eq for eq in certified if eq is not None),
    )


def extreme_equilibria(
    A: ArrayLike, B: ArrayLike, tol: float | None = None
) -> VertexEnumerationResult:
    """Deprecated: use :func:`vertex_enumeration_result` (the same result).

    Parameters
    ----------
    A, B : array_like, shape ``(m, n)``
        Payoffs of the row and the column player.
    tol : float, optional
        As in :func:`vertex_enumeration_result`.

    Returns
    -------
    VertexEnumerationResult
    """
    warnings.warn(
        "extreme_equilibria is deprecated; use vertex_enumeration_result (the same result, "
        "with certified equilibria) or vertex_enumeration (plain arrays)",
        DeprecationWarning,
        stacklevel=2,
    )
    return vertex_enumeration_result(A, B, tol)


def _solve(A: ArrayLike, B: ArrayLike, tol: float | None = None) -> _Extremes:
    """All extreme equilibria of ``(A, B)`` with components and cliques, not certified.

    The one enumeration behind :func:`vertex_enumeration`,
    :func:`vertex_enumeration_result` and ``solve(game, method="enumerate")``.
    """
    a, b = _as_bimatrix(A, B)
    tol = _check_tolerance(tol)
    small = small_game_equilibria(_positive(a), _positive(b), tol)
    if small is not None:
        found = _isolated(*small)
        if found is not None:
            return found
    if a.shape[0] <= a.shape[1]:
        x_points, y_points, pairs = _equilibrium_points(a, b, tol)
    else:
        # Enumerate the lower-dimensional polytope: solve the game with roles swapped.
        y_points, x_points, pairs = _equilibrium_points(b.T, a.T, tol)
        pairs = pairs[:, ::-1]
    return _assemble(x_points, y_points, pairs)


# ---------------------------------------------------------------------- input
def _as_bimatrix(A: ArrayLike, B: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    try:
        a = np.array(A, dtype=float)
        b = np.array(B, dtype=float)
    except (TypeError, ValueError) as exc:
        raise GameError(f"payoff matrices must contain numbers: {exc}") from None
    if a.ndim != 2 or a.shape != b.shape or a.size == 0:
        raise GameError(
            "vertex enumeration needs two non-empty payoff matrices of the same shape (m, n); "
            f"got shapes {a.shape} and {b.shape}"
        )
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        raise GameError("payoffs must be finite numbers (no nan or inf)")
    return a, b


def _check_tolerance(tol: float | None) -> float:
    if tol is None:
        return DEFAULT_TOLERANCE
    tol = float(tol)
    if not 0.0 < tol < 0.1:
        raise ValueError(f"tol must be a small positive number such as 1e-9; got {tol}")
    return tol


def _positive(matrix: np.ndarray) -> np.ndarray:
    """Rescale payoffs to ``[1, 2]``: a positive affine map, so equilibria are unchanged.

    >>> _positive(np.array([[-3.0, 5.0]]))
    array([[1., 2.]])
    """
    low = matrix.min()
    span = matrix.max() - low
    return 1.0 + (matrix - low) / (span if span > 0 else 1.0)


# ---------------------------------------------------------------------- equilibria
def _equilibrium_points(
    a: np.ndarray, b: np.ndarray, tol: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Points of ``P`` and ``Q`` and the index pairs of the completely labelled ones.

    The vertices of ``P`` are enumerated; each nondegenerate one determines its only
    possible partner in ``Q`` by a square linear system. If ``P`` has a degenerate vertex
    or a system is singular, the vertices of ``Q`` are enumerated as well and matched by
    their labels.
    """
    m, n = a.shape
    x_matrix, y_matrix = _positive(b).T, _positive(a)
    # P's constraints are (x >= 0 | B^T x <= 1): their order is the label order.
    x_vertices, x_labels = _polytope_vertices(x_matrix, tol)
    # The origin pairs only with the origin: leave it out.
    nonzero = ~x_labels[:, :m].all(axis=1)
    x_vertices, x_labels = x_vertices[nonzero], x_labels[nonzero]
    partners = _partners(x_labels, y_matrix, tol)
    if partners is not None:
        y_points, pairs = partners
    else:
        y_vertices, y_tight = _polytope_vertices(y_matrix, tol)
        nonzero = ~y_tight[:, :n].all(axis=1)
        y_vertices, y_tight = y_vertices[nonzero], y_tight[nonzero]
        # Q's constraints are (y >= 0 | A y <= 1): reorder to labels (rows | columns).
        y_labels = np.concatenate([y_tight[:, n:], y_tight[:, :n]], axis=1)
        pairs = _complementary_pairs(x_labels, y_labels, m, n)
        y_points = _refined(y_vertices, y_tight, y_matrix, np.unique(pairs[:, 1]))
    x_points = _refined(x_vertices, x_labels, x_matrix, np.unique(pairs[:, 0]))
    return x_points, y_points, pairs


def _partners(
    x_labels: np.ndarray, y_matrix: np.ndarray, tol: float
) -> tuple[np.ndarray, np.ndarray] | None:
    """The partner in ``Q`` of each nondegenerate vertex of ``P``, or ``None``.

    A vertex ``x`` with support ``I`` and best responses ``J`` (``|I| = |J|`` when ``x``
    is nondegenerate) is completely labelled with ``y`` exactly when ``y`` is zero off
    ``J`` and ``A_IJ y_J = 1``; when that system is regular, its solution is the only
    candidate. Returns the feasible solutions and the pairs ``(vertex, solution)``, or
    ``None`` when a vertex is degenerate or a system (nearly) singular.

    >>> labels = np.array([[False, True, True, False]])  # x = (x_0, 0), best reply 0
    >>> points, pairs = _partners(labels, np.array([[2.0, 1.0], [1.0, 2.0]]), 1e-9)
    >>> points.tolist(), pairs.tolist()
    ([[0.5, 0.0]], [[0, 0]])
    """
    m, n = y_matrix.shape
    support = ~x_labels[:, :m]
    replies = x_labels[:, m:]
    size = support.sum(axis=1)
    if np.any(size != replies.sum(axis=1)):
        return None
    # Indices of each vertex's support and best replies first, in increasing order.
    support_first = np.argsort(~support, axis=1, kind="stable")
    replies_first = np.argsort(~replies, axis=1, kind="stable")
    points, owners = [np.empty((0, n))], [np.empty(0, dtype=np.intp)]
    for s in np.unique(size):
        group = np.flatnonzero(size == s)
        rows, cols = support_first[group, :s], replies_first[group, :s]
        systems = y_matrix[rows[:, :, None], cols[:, None, :]]
        if not regular(systems).all():
            return None
        solved = np.linalg.solve(systems, np.ones((len(group), s, 1)))[..., 0]
        y = np.zeros((len(group), n))
        np.put_along_axis(y, cols, solved, axis=1)
        feasible = (solved >= -tol).all(axis=1) & (y @ y_matrix.T <= 1.0 + tol).all(axis=1)
        points.append(np.clip(y[feasible], 0.0, None))
        owners.append(group[feasible])
    owner = np.concatenate(owners)
    pairs = np.stack([owner, np.arange(len(owner))], axis=1)
    return np.concatenate(points), pairs


# ---------------------------------------------------------------------- vertices
def _polytope_vertices(M: np.ndarray, tol: float) -> tuple[np.ndarray, np.ndarray]:
    """Vertices of ``{z >= 0 : M z <= 1}`` for positive ``M`` of shape ``(k, d)``.

    Returns the vertices ``(V, d)`` and their tight constraints ``(V, d + k)``: column
    ``i < d`` for ``z_i >= 0``, column ``d + r`` for row ``r`` of ``M``. Each vertex
    appears once.

    >>> z, tight = _polytope_vertices(np.array([[1.0, 2.0]]), 1e-9)
    >>> z.tolist(), tight.astype(int).tolist()
    ([[0.0, 0.0], [1.0, 0.0], [0.0, 0.5]], [[1, 1, 0], [0, 1, 1], [1, 0, 1]])
    """
    k, d = M.shape
    G, h = _constraints(M)
    subsets = comb(d + k, d)
    if (
        d < 2
        or subsets <= _SUBSET_LIMIT
        or (d > _MAX_HULL_DIMENSION and subsets <= _SUBSET_FALLBACK_LIMIT)
    ):
        z = _vertices_by_subsets(M, tol)
    else:
        _refuse_if_beyond_reach(d, d + k)
        try:
            z = _vertices_by_hull(G, h, M)
        except QhullError as exc:
            if subsets > _SUBSET_FALLBACK_LIMIT:
                raise RuntimeError(
                    f"Qhull failed on a best-response polytope of dimension {d} and the "
                    f"direct enumeration ({subsets} square systems) is too large: {exc}"
                ) from exc
            z = _vertices_by_subsets(M, tol)
    slack = h - z @ G.T
    feasible = slack.min(axis=1) >= -1e3 * tol
    z, slack = z[feasible], slack[feasible]
    tight = np.abs(slack) <= tol
    # A vertex is determined by its tight constraints: dedupe by label set.
    _, first = np.unique(_row_keys(_pack(tight)), return_index=True)
    first.sort()
    return z[first] + 0.0, tight[first]  # + 0.0 turns -0.0 into 0.0


def vertex_bound(dimension: int, facets: int) -> int:
    """The most vertices a ``dimension``-polytope with ``facets`` facets can have.

    McMullen's upper bound theorem (1970): the cyclic polytope's vertex count,
    ``C(k - ceil(d/2), floor(d/2)) + C(k - floor(d/2) - 1, ceil(d/2) - 1)``.

    Parameters
    ----------
    dimension : int
        The polytope's dimension ``d >= 1``.
    facets : int
        Its number of facets ``k > d``.

    Returns
    -------
    int

    Examples
    --------
    >>> vertex_bound(2, 5), vertex_bound(3, 6)  # a pentagon; a 3-polytope with 6 facets
    (5, 8)
    """
    d, k = dimension, facets
    return comb(k - (d + 1) // 2, d // 2) + comb(k - d // 2 - 1, (d + 1) // 2 - 1)


def _refuse_if_beyond_reach(dimension: int, facets: int) -> None:
    """Refuse, with the reason, a best-response polytope no enumeration can finish.

    A polytope may have up to :func:`vertex_bound` vertices and Qhull's work grows with the
    dimension too: past :data:`_MAX_HULL_WORK`, the user is told at once rather than left
    waiting for hours.
    """
    bound = vertex_bound(dimension, facets)
    if bound * dimension**2 > _MAX_HULL_WORK:
        raise GameError(
            f"all equilibria of this game are beyond reach: a best-response polytope has "
            f"dimension {dimension} and {facets} facets (up to {float(bound):.1e} vertices); "
            "for one equilibrium use method 'lemke-howson' (or, for a game tree, the "
            "concept 'sequential')"
        )


def _constraints(M: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(G, h)`` with ``{z >= 0 : M z <= 1} = {z : G z <= h}``, nonnegativity first."""
    k, d = M.shape
    return np.vstack([-np.eye(d), M]), np.concatenate([np.zeros(d), np.ones(k)])


def _vertices_by_hull(G: np.ndarray, h: np.ndarray, M: np.ndarray) -> np.ndarray:
    """Vertices of ``{z : G z <= h}`` as the facets of the polar point set (Qhull)."""
    d = G.shape[1]
    # Barycentre of the simplex spanned by 0 and the pure strategies: strictly interior.
    centre = 1.0 / ((d + 1) * M.max(axis=0))
    points = G / (h - G @ centre)[:, None]
    equations = ConvexHull(points).equations
    # Facet {p : w.p + o = 0} with o < 0 is the polar of the vertex centre - w / o.
    return centre - equations[:, :d] / equations[:, d:]


def _vertices_by_subsets(M: np.ndarray, tol: float) -> np.ndarray:
    """Vertices of ``{z >= 0 : M z <= 1}`` by solving every regular square subsystem.

    A vertex with support ``S`` has ``|S|`` linearly independent tight rows ``R``, so it
    solves ``M_RS z_S = 1``; all pairs ``(R, S)`` of equal size are tried, in blocks.

    >>> _vertices_by_subsets(np.array([[1.0, 1.0]]), 1e-9).tolist()
    [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]
    """
    k, d = M.shape
    found = [np.zeros((1, d))]
    for size in range(1, min(k, d) + 1):
        rows = np.array(list(combinations(range(k), size)), dtype=np.intp)
        cols = np.array(list(combinations(range(d), size)), dtype=np.intp)
        count = len(rows) * len(cols)
        step = max(1, _BLOCK // (size * size * 8))
        for start in range(0, count, step):
            pick = np.arange(start, min(count, start + step))
            r, c = rows[pick // len(cols)], cols[pick % len(cols)]
            systems = M[r[:, :, None], c[:, None, :]]
            ok = regular(systems)
            c = c[ok]
            solved = np.linalg.solve(systems[ok], np.ones((len(c), size, 1)))[..., 0]
            z = np.zeros((len(c), d))
            np.put_along_axis(z, c, solved, axis=1)
            feasible = (solved >= -tol).all(axis=1) & (z @ M.T <= 1.0 + tol).all(axis=1)
            found.append(z[feasible])
    return np.concatenate(found)


# ---------------------------------------------------------------------- labels
def _pack(labels: np.ndarray) -> np.ndarray:
    """Boolean label rows ``(V, L)`` as bitmasks ``(V, W)`` of 64-bit words.

    >>> _pack(np.array([[True, False, True]])).shape
    (1, 1)
    """
    words = -(-labels.shape[1] // 64)
    padded = np.zeros((labels.shape[0], 64 * words), dtype=bool)
    padded[:, : labels.shape[1]] = labels
    return np.packbits(padded, axis=1).view(np.uint64)


def _row_keys(words: np.ndarray) -> np.ndarray:
    """One integer per row of ``words``, equal exactly when the rows are equal.

    >>> _row_keys(np.array([[5, 1], [3, 0], [5, 1]], dtype=np.uint64)).tolist()
    [1, 0, 1]
    """
    if words.shape[1] == 1:
        return words[:, 0]
    return np.unique(words, axis=0, return_inverse=True)[1].reshape(-1)


def _complementary_pairs(x_labels: np.ndarray, y_labels: np.ndarray, m: int, n: int) -> np.ndarray:
    """Index pairs ``(p, q)`` with ``x_labels[p] | y_labels[q]`` containing every label.

    A nondegenerate vertex has exactly as many labels as its dimension, so two of them
    are complementary only when their label sets are exact complements: those pairs are
    matched by sorting. Degenerate vertices are tested against all others by broadcasting.

    >>> x = np.array([[1, 0, 0], [0, 1, 1]], dtype=bool)
    >>> y = np.array([[0, 1, 1], [1, 1, 0]], dtype=bool)
    >>> _complementary_pairs(x, y, 1, 2).tolist()
    [[0, 0], [1, 1]]
    """
    total = m + n
    x_words, y_words = _pack(x_labels), _pack(y_labels)
    everything = _pack(np.ones((1, total), dtype=bool))[0]
    x_plain = x_labels.sum(axis=1) == m
    y_plain = y_labels.sum(axis=1) == n
    found = [_exact_complements(x_words, y_words, x_plain, y_plain, everything)]
    # Every pair with at least one degenerate vertex.
    x_deg, y_deg = np.flatnonzero(~x_plain), np.flatnonzero(~y_plain)
    found.append(_covering(x_words, x_deg, y_words, np.arange(len(y_words)), everything))
    found.append(_covering(x_words, np.flatnonzero(x_plain), y_words, y_deg, everything))
    pairs = np.concatenate(found, axis=0)
    return pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]


def _exact_complements(
    x_words: np.ndarray,
    y_words: np.ndarray,
    x_plain: np.ndarray,
    y_plain: np.ndarray,
    everything: np.ndarray,
) -> np.ndarray:
    xs, ys = np.flatnonzero(x_plain), np.flatnonzero(y_plain)
    if len(xs) == 0 or len(ys) == 0:
        return np.empty((0, 2), dtype=np.intp)
    wanted = everything & ~x_words[xs]
    keys = _row_keys(np.concatenate([wanted, y_words[ys]]))
    # Distinct vertices have distinct label sets, so keys are unique on each side.
    _, at_x, at_y = np.intersect1d(keys[: len(xs)], keys[len(xs) :], return_indices=True)
    return np.stack([xs[at_x], ys[at_y]], axis=1)


def _covering(
    x_words: np.ndarray,
    xs: np.ndarray,
    y_words: np.ndarray,
    ys: np.ndarray,
    everything: np.ndarray,
) -> np.ndarray:
    out = [np.empty((0, 2), dtype=np.intp)]
    if len(xs) == 0 or len(ys) == 0:
        return out[0]
    step = max(1, _BLOCK // (len(ys) * x_words.shape[1]))
    for start in range(0, len(xs), step):
        block = xs[start : start + step]
        union = x_words[block][:, None, :] | y_words[ys][None, :, :]
        hit_x, hit_y = np.nonzero((union == everything).all(axis=2))
        out.append(np.stack([block[hit_x], ys[hit_y]], axis=1))
    return np.concatenate(out, axis=0)


# ---------------------------------------------------------------------- results
def _refined(
    vertices: np.ndarray, tight: np.ndarray, M: np.ndarray, which: np.ndarray
) -> np.ndarray:
    """Copy of ``vertices`` with rows ``which`` re-solved from their tight constraints.

    Solving the tight system (least squares at degenerate vertices, which have more tight
    constraints than dimensions) gives full accuracy, and coordinates on tight
    nonnegativity constraints become exactly zero.
    """
    G, h = _constraints(M)
    d = vertices.shape[1]
    out = vertices.copy()
    count = tight[which].sum(axis=1)
    square = which[count == d]
    if len(square):
        index = np.nonzero(tight[square])[1].reshape(-1, d)
        systems = G[index]
        if np.all(np.linalg.svd(systems, compute_uv=False)[:, -1] > 1e-12):
            out[square] = np.linalg.solve(systems, h[index][..., None])[..., 0]
    for p in which[count != d]:
        rows = tight[p]
        solution = np.linalg.lstsq(G[rows], h[rows], rcond=None)[0]
        if np.abs(G[rows] @ solution - h[rows]).max() <= np.abs(G[rows] @ out[p] - h[rows]).max():
            out[p] = solution
    out[which] = np.where(tight[which, :d], 0.0, out[which])
    return out


def _merge(points: np.ndarray, used: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct strategies among ``points[used]`` in decreasing lexicographic order.

    Rows are normalised to probabilities and numerical duplicates (equal after rounding
    to 9 decimals, or neighbours in the sorted order within ``1e-9``) are merged. Returns
    the sorted distinct rows and the new index of each entry of ``used``.

    >>> rows, index = _merge(np.array([[0.0, 2.0], [1.0, 0.0]]), np.array([0, 1, 0]))
    >>> rows.tolist(), index.tolist()
    ([[1.0, 0.0], [0.0, 1.0]], [1, 0, 1])
    """
    distinct, inverse = np.unique(used, return_inverse=True)
    rows = probabilities(points[distinct])
    order = np.lexsort(-np.round(rows, 9).T[::-1])
    step = np.abs(np.diff(rows[order], axis=0)).max(axis=1, initial=0.0) > 1e-9
    rank = np.empty(len(rows), dtype=np.intp)
    rank[order] = np.concatenate([[0], np.cumsum(step)]) if len(rows) else []
    first = order[np.concatenate([[True], step])] if len(rows) else order
    return rows[first], rank[inverse.reshape(-1)]


def _assemble(x_points: np.ndarray, y_points: np.ndarray, pairs: np.ndarray) -> _Extremes:
    if len(pairs) == 0:
        # Every bimatrix game has an equilibrium (Nash 1951): losing all is a numerical failure.
        raise RuntimeError(
            "vertex enumeration found no equilibrium, which means floating-point trouble; "
            "try a larger tol or rescale the payoffs"
        )
    rows, row_index = _merge(x_points, pairs[:, 0])
    cols, col_index = _merge(y_points, pairs[:, 1])
    merged = np.unique(np.stack([row_index, col_index], axis=1), axis=0).reshape(-1, 2)
    components = _components(merged, len(rows), len(cols))
    for array in (rows, cols, merged, components):
        array.setflags(write=False)
    return _Extremes(
        row_vertices=rows,
        col_vertices=cols,
        pairs=merged,
        components=components,
        cliques=_bicliques(merged, components),
    )


def _isolated(x: np.ndarray, y: np.ndarray) -> _Extremes | None:
    """The equilibria ``(x[e], y[e])`` (probabilities) of a nondegenerate game, or ``None``
    if two coincide.

    Each is its own component and maximal Nash subset; strategies are sorted as
    :func:`_assemble` sorts them. The equilibria are few, so plain Python sorts them.
    """
    if len(x) == 0:
        return None
    if len(x) == 1:  # the common case: nothing to sort
        pairs, components = np.zeros((1, 2), dtype=np.intp), np.zeros(1, dtype=np.intp)
        for array in (x, y, pairs, components):
            array.setflags(write=False)
        return _Extremes(
            row_vertices=x, col_vertices=y, pairs=pairs, components=components, cliques=_ONE
        )
    width = x.shape[1]
    rounded = np.round(np.concatenate((x, y), axis=1), 9).tolist()  # one call for both
    orders = []
    for rows in ([r[:width] for r in rounded], [r[width:] for r in rounded]):
        if len(set(map(tuple, rows))) < len(rows):
            return None  # a strategy twice: not the isolated equilibria assumed here
        # descending, as :func:`_assemble` orders them (ascending in the negated rows)
        orders.append(sorted(range(len(rows)), key=rows.__getitem__, reverse=True))
    sorted_points = [x.take(orders[0], axis=0), y.take(orders[1], axis=0)]
    column_rank = [0] * len(x)
    for position, e in enumerate(orders[1]):
        column_rank[e] = position
    # the pairs in the order of the row strategies
    pairs = np.array([(i, column_rank[e]) for i, e in enumerate(orders[0])], dtype=np.intp)
    components = np.arange(len(pairs), dtype=np.intp)
    for array in (*sorted_points, pairs, components):
        array.setflags(write=False)
    return _Extremes(
        row_vertices=sorted_points[0],
        col_vertices=sorted_points[1],
        pairs=pairs,
        components=components,
        cliques=tuple(((i,), (j,)) for i, j in pairs.tolist()),
    )


def _components(pairs: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Connected components of the bipartite graph ``pairs``, numbered by first appearance.

    >>> _components(np.array([[0, 1], [1, 0], [2, 1]]), 3, 2).tolist()
    [0, 1, 0]
    """
    parent = list(range(rows + cols))

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for i, j in pairs.tolist():
        parent[root(i)] = root(rows + j)
    number: dict[int, int] = {}
    labels = [number.setdefault(root(i), len(number)) for i in pairs[:, 0].tolist()]
    return np.array(labels, dtype=np.intp)


def _bicliques(
    pairs: np.ndarray, components: np.ndarray
) -> tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]:
    """Maximal bicliques ``(rows, cols)`` of the bipartite graph with edges ``pairs``.

    The column sets of maximal bicliques are exactly the nonempty intersections of row
    neighbourhoods (a Galois closure), built up one row at a time within each connected
    component, as in the clique enumeration of Audet et al.

    >>> _bicliques(np.array([[0, 0], [0, 1], [1, 0]]), np.array([0, 0, 0]))
    (((0,), (0, 1)), ((0, 1), (0,)))
    """
    cliques = []
    order = np.argsort(components, kind="stable")
    starts = np.flatnonzero(np.diff(components[order], prepend=-1))
    for edges in np.split(pairs[order], starts[1:]):
        neighbours: dict[int, int] = {}
        for i, j in edges.tolist():
            neighbours[i] = neighbours.get(i, 0) | (1 << j)
        closed: set[int] = set()
        for cols in neighbours.values():
            closed |= {cols & other for other in closed} | {cols}
        closed.discard(0)
        for cols in closed:
            rows = tuple(sorted(i for i, nb in neighbours.items() if nb & cols == cols))
            cliques.append((rows, _bits(cols)))
    return tuple(sorted(cliques))


def _bits(mask: int) -> tuple[int, ...]:
    """Positions of the set bits of ``mask``, in increasing order.

    >>> _bits(0b10110)
    (1, 2, 4)
    """
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return tuple(out)
