"""Lemke's algorithm for the linear complementarity problem, with a factorised basis.

Finds ``z >= 0`` with ``w = b + M z >= 0`` and ``z^T w = 0`` by complementary pivoting on
``w - M z - d z0 = b`` (Lemke 1965) from the covering vector ``d > 0``. The sequence form
of a two-player extensive game is such an LCP (:mod:`simulator.solvers.sequence_form`).

The basis is never inverted. It is kept as a sparse LU factorisation of the basis at the last
refactorisation, ``B0`` (SuperLU, through :func:`scipy.sparse.linalg.splu`), and the columns
that have replaced some of ``B0``'s since, so that ``B = B0 + U V^T`` with one column of ``U``
per replaced position ``p`` (``V``'s column is the unit vector ``e_p``). A solve with ``B``
is one solve with ``B0`` and a small one with the capacitance matrix ``C = I + V^T B0^-1 U``
(the Sherman-Morrison-Woodbury formula; Hager 1989), and after ``_REFACTOR_EVERY`` replaced
positions ``B`` is factorised afresh. A pivot then costs about as much as a sparse triangular
solve, where a dense inverse costs ``O(r^2)`` per pivot: the sequence form's columns are
sparse and so are its bases' factors. Rows of ``B^-1`` (for the lexicographic ratio test) are
solves with ``B^T``, needed only when the ratio test ties.

Degeneracy is resolved in two layers (see :func:`lemke`): a small random perturbation of
``b`` (Charnes 1952) and the lexicographic minimum-ratio test (Dantzig, Orden and Wolfe 1955).

References
----------
.. [1] C. E. Lemke, "Bimatrix equilibrium points and mathematical programming",
   *Management Science* 11 (1965) 681-689.
.. [2] R. W. Cottle, J.-S. Pang and R. E. Stone, *The Linear Complementarity Problem*,
   Academic Press, 1992 (Lemke's method, lexicographic degeneracy resolution).
.. [3] W. W. Hager, "Updating the inverse of a matrix", *SIAM Review* 31 (1989) 221-239
   (the Sherman-Morrison-Woodbury formula and column replacement).
.. [4] G. B. Dantzig, A. Orden and P. Wolfe, "The generalized simplex method for
   minimizing a linear form under linear inequality restraints", *Pacific Journal of
   Mathematics* 5 (1955) 183-195 (lexicographic rule).
.. [5] A. Charnes, "Optimality and degeneracy in linear programming", *Econometrica*
   20 (1952) 160-170 (perturbation).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import scipy.sparse as sparse
from scipy.sparse.linalg import splu
from threadpoolctl import threadpool_limits

from simulator.errors import SimulatorError
from simulator.games.errors import GameError

__all__ = ["DEFAULT_MAX_PIVOTS", "DEFAULT_PERTURBATION", "LemkeRayError", "lemke"]

#: Pivot budget of :func:`lemke` when none is given.
DEFAULT_MAX_PIVOTS = 100_000
#: Default relative size of the random perturbation of the LCP's right-hand side.
DEFAULT_PERTURBATION = 1e-7
# Pivot-column entries at or below this (relative to the column) count as zero.
_PIVOT_TOL = 1e-9
# Ratios this close (relative) are ties, broken by the lexicographic rule.
_RATIO_TOL = 1e-11
# A final basic solution more negative than this (relative) is infeasible.
_FEASIBILITY_TOL = 1e-6
# Replaced basis positions kept beside the factorisation before the basis is factorised
# afresh: each solve costs O(r k + k^3) for k of them, a factorisation about as much as a few
# dozen solves.
_REFACTOR_EVERY = 48
# A pivot element smaller than this (relative to its column) read through updates is read again
# from a fresh factorisation before it is used.
_VERIFY = 1e-6
# A pivot of the capacitance matrix's update this small factorises the basis afresh instead.
_SCHUR_TOL = 1e-9


class LemkeRayError(SimulatorError, ArithmeticError):
    """Lemke's algorithm reached a secondary ray (or ran out of pivots)."""


class OutOfPivots(LemkeRayError):
    """Lemke's path used its pivot budget (the path may be long, not end on a ray)."""


def lemke(
    M: Any,
    b: Any,
    covering: Any | None = None,
    max_pivots: int | None = None,
    perturbation: float = DEFAULT_PERTURBATION,
) -> tuple[np.ndarray, int]:
    """A solution ``z`` of the LCP ``w = b + M z >= 0, z >= 0, z^T w = 0`` by Lemke's algorithm.

    Lemke's complementary pivoting (Lemke 1965) on the system ``w - M z - d z0 = b`` with
    covering vector ``d > 0``, with the basis kept as a sparse LU factorisation and the
    columns replaced since (module notes).

    Degeneracy is resolved in two layers. The path is followed for ``b`` plus a small
    random positive perturbation (Charnes 1952), which makes ties in the ratio test
    improbable and keeps pivoting decisions far above rounding noise; ties that remain
    are broken lexicographically by the rows of the inverse basis (Dantzig, Orden and
    Wolfe 1955), which alone guarantees termination. The solution is then computed from
    the final basis with the unperturbed ``b``; should that be infeasible (perturbation
    too large for the problem's scale), the path is rerun purely lexicographically.

    Parameters
    ----------
    M : array_like or scipy sparse matrix, shape ``(r, r)``
    b : array_like, shape ``(r,)``
    covering : array_like, shape ``(r,)``, optional
        Positive covering vector ``d`` (default all ones).
    max_pivots : int, optional
        Pivot budget (default :data:`DEFAULT_MAX_PIVOTS`).
    perturbation : float
        Size of the random perturbation of ``b`` (0: lexicographic rule only). The
        perturbation is drawn from a fixed seed, so results are reproducible.

    Returns
    -------
    z : numpy array
    pivots : int
        Pivots along the path(s) followed.

    Raises
    ------
    LemkeRayError
        On a secondary ray (the LCP may have no solution) or when the budget runs out.
    GameError
        If the shapes, the covering vector or the perturbation are invalid.

    Examples
    --------
    >>> z, pivots = lemke([[2, 1], [1, 2]], [-5, -6])
    >>> np.round(z, 12).tolist(), pivots
    ([1.333333333333, 2.333333333333], 3)
    """
    columns = sparse.csc_matrix(M, dtype=float)
    b = np.asarray(b, dtype=float).reshape(-1)
    r = b.shape[0]
    if columns.shape != (r, r):
        raise GameError(f"M must be square with as many rows as b ({r}); got {columns.shape}")
    if not (np.all(np.isfinite(columns.data)) and np.all(np.isfinite(b))):
        raise GameError("M and b must hold finite numbers")
    d = np.ones(r) if covering is None else np.asarray(covering, dtype=float).reshape(-1)
    if d.shape != (r,) or not np.all(np.isfinite(d)) or np.any(d <= 0):
        raise GameError(f"the covering vector must hold {r} positive numbers")
    if not (np.isfinite(perturbation) and perturbation >= 0):
        raise GameError(f"perturbation must be a non-negative number; got {perturbation}")
    budget = DEFAULT_MAX_PIVOTS if max_pivots is None else int(max_pivots)
    if np.all(b >= 0):
        return np.zeros(r), 0
    columns.sum_duplicates()
    columns.eliminate_zeros()
    scale = max(1.0, float(np.abs(b).max()))
    shift = perturbation * scale * np.random.default_rng(0).uniform(0.5, 1.0, r)
    # The solves are sparse triangular ones: one BLAS thread does the small dense parts
    # fastest, and threads contending on a busy machine make them many times slower.
    with threadpool_limits(limits=1, user_api="blas"):
        basic, pivots = _lemke_path(columns, b + shift, d, budget)
        values = _Basis(columns, d, basic).solve(b)
        infeasible = values.min() < -_FEASIBILITY_TOL * max(1.0, np.abs(values).max())
        if perturbation > 0 and infeasible:
            basic, more = _lemke_path(columns, b, d, budget)
            values = _Basis(columns, d, basic).solve(b)
            pivots += more
    z = np.zeros(2 * r + 1)
    z[basic] = values
    return np.clip(z[r : 2 * r], 0.0, None), pivots


def _lemke_path(
    M: sparse.csc_matrix, b: np.ndarray, d: np.ndarray, budget: int
) -> tuple[np.ndarray, int]:
    """The final basis of Lemke's path for ``(M, b, d)`` and the number of pivots."""
    r = b.shape[0]
    # Labels index the columns of [I, -M, -d]: j < r is w_j, r <= j < 2r is z_{j-r}, 2r is z0.
    z0 = 2 * r
    basic = np.arange(r)
    basis = _Basis(M, d, basic)
    rhs = b.copy()
    # The first pivot brings z0 in at the row that makes every w non-negative.
    entering = z0
    column, solved = basis.ftran(basis.column(z0))
    row = _lexmin_row(rhs, basis.inverse_rows, d, np.arange(r))
    pivots = 0
    while True:
        leaving = int(basic[row])
        _pivot(rhs, column, row)
        basic[row] = entering
        pivots += 1
        if basis.replace(row, solved):
            basis = _Basis(M, d, basic)
            rhs = basis.solve(b)
        if leaving == z0:
            return basic, pivots
        entering = leaving + r if leaving < r else leaving - r
        if pivots >= budget:
            raise OutOfPivots(
                f"Lemke's algorithm did not finish within {budget} pivots; pass a larger max_pivots"
            )
        column, solved = basis.ftran(basis.column(entering))
        row = _ratio_test(rhs, basis, column)
        if basis.updated and abs(column[row]) < _VERIFY * np.abs(column).max():
            # a small pivot read through the updates: read it again from a fresh factorisation
            # (the updates' rounding could make a zero look like a pivot, and the basis singular)
            basis = _Basis(M, d, basic)
            rhs = basis.solve(b)
            column, solved = basis.ftran(basis.column(entering))
            row = _ratio_test(rhs, basis, column)


def _ratio_test(rhs: np.ndarray, basis: _Basis, column: np.ndarray) -> int:
    """The leaving row for the entering ``column`` (``B^-1`` times it)."""
    candidates = np.flatnonzero(column > _PIVOT_TOL * max(1.0, np.abs(column).max()))
    if candidates.size == 0:
        raise LemkeRayError(
            "Lemke's algorithm reached a secondary ray: the LCP has no solution reachable "
            "from this covering vector"
        )
    return _lexmin_row(rhs, basis.inverse_rows, column, candidates)


class _Basis:
    """A basis of ``[I, -M, -d]``: a factorisation of ``B0`` and the columns replaced since.

    ``B = B0 + U V^T``: position ``p[i]`` holds column ``B0[:, p[i]] + U[:, i]``; ``W = B0^-1
    U`` and the capacitance matrix ``C = I + V^T W = I + W[p]`` give ``B^-1 a = y - W C^-1
    y[p]`` with ``y = B0^-1 a`` (Sherman-Morrison-Woodbury).
    """

    def __init__(self, M: sparse.csc_matrix, d: np.ndarray, basic: np.ndarray) -> None:
        self.M, self.d = M, d
        r = d.shape[0]
        self.r = r
        try:
            self.lu = splu(_basis_matrix(M, d, basic), permc_spec="COLAMD")
        except RuntimeError as error:  # SuperLU: an exactly singular basis
            raise LemkeRayError(
                f"the basis of Lemke's path became singular ({error}): precision lost"
            ) from error
        self.positions: list[int] = []
        self.slot: dict[int, int] = {}
        self.W = np.empty((r, _REFACTOR_EVERY))
        self.C_inverse = np.zeros((0, 0))

    @property
    def updated(self) -> bool:
        """Whether columns have been replaced since the factorisation."""
        return bool(self.positions)

    def column(self, label: int) -> np.ndarray:
        """Column ``label`` of ``[I, -M, -d]`` (dense)."""
        r = self.r
        out = np.zeros(r)
        if label < r:
            out[label] = 1.0
        elif label == 2 * r:
            out[:] = -self.d
        else:
            j = label - r
            start, stop = self.M.indptr[j], self.M.indptr[j + 1]
            out[self.M.indices[start:stop]] = -self.M.data[start:stop]
        return out

    def ftran(self, a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``B^-1 a`` and ``B0^-1 a`` (the latter is what :meth:`replace` keeps)."""
        y = self.lu.solve(a)
        k = len(self.positions)
        if k == 0:
            return y, y
        return y - self.W[:, :k] @ (self.C_inverse @ y[self.positions]), y

    def solve(self, a: np.ndarray) -> np.ndarray:
        """``B^-1 a``."""
        return self.ftran(a)[0]

    def inverse_rows(self, rows: np.ndarray) -> np.ndarray:
        """Rows ``rows`` of ``B^-1`` (len(rows), r): solves with ``B0^T`` and the update."""
        k = len(self.positions)
        wanted = np.concatenate([rows, np.asarray(self.positions, dtype=np.intp)])
        unit = np.zeros((self.r, wanted.size))
        unit[wanted, np.arange(wanted.size)] = 1.0
        base = self.lu.solve(unit, trans="T").T  # rows of B0^-1
        out = base[: rows.size]
        if k:
            out = out - self.W[rows, :k] @ (self.C_inverse @ base[rows.size :])
        return out

    def replace(self, position: int, solved: np.ndarray) -> bool:
        """Put the column ``a`` with ``B0^-1 a = solved`` at ``position``; whether the
        basis should now be factorised afresh.

        ``C^-1`` is updated in ``O(k^2)``: by bordering for a new position, by the
        Sherman-Morrison formula where a replaced position is replaced again (only its column
        of ``C`` changes).
        """
        w = solved.copy()
        w[position] -= 1.0  # B0^-1 (a - B0 e_p)
        i = self.slot.get(position)
        k = len(self.positions)
        Ci = self.C_inverse
        if i is None:
            if k == _REFACTOR_EVERY:
                return True
            c = w[self.positions]  # the new column of C above its corner
            row = self.W[position, :k]  # the new row of C left of its corner
            corner = 1.0 + w[position]
            ci_c, row_ci = Ci @ c, row @ Ci
            schur = corner - row @ ci_c
            if not abs(schur) > _SCHUR_TOL:
                return True
            grown = np.empty((k + 1, k + 1))
            grown[:k, :k] = Ci + np.outer(ci_c, row_ci) / schur
            grown[:k, k] = -ci_c / schur
            grown[k, :k] = -row_ci / schur
            grown[k, k] = 1.0 / schur
            self.C_inverse = grown
            self.slot[position] = k
            self.positions.append(position)
            self.W[:, k] = w
            return False
        change = w[self.positions] - self.W[self.positions, i]  # column i of C moves by this
        ci_u = Ci @ change
        denominator = 1.0 + ci_u[i]
        if not abs(denominator) > _SCHUR_TOL:
            return True
        self.C_inverse = Ci - np.outer(ci_u, Ci[i]) / denominator
        self.W[:, i] = w
        return False


def _basis_matrix(M: sparse.csc_matrix, d: np.ndarray, basic: np.ndarray) -> sparse.csc_matrix:
    """The basis matrix of ``[I, -M, -d]`` at labels ``basic``, sparse by columns."""
    r = d.shape[0]
    counts = np.where(basic < r, 1, 0)
    structural = (basic >= r) & (basic < 2 * r)
    j = np.where(structural, basic - r, 0)
    counts = np.where(structural, M.indptr[j + 1] - M.indptr[j], counts)
    counts = np.where(basic == 2 * r, r, counts)
    indptr = np.concatenate([[0], np.cumsum(counts)])
    column = np.repeat(np.arange(r), counts)  # the basis column of each entry
    offset = np.arange(indptr[-1]) - indptr[column]  # its place within that column
    label = basic[column]
    source = M.indptr[j][column] + offset  # where a structural entry sits in M
    source = np.where(structural[column], source, 0)
    m_indices = M.indices if M.nnz else np.zeros(1, dtype=M.indices.dtype)  # (read at 0)
    m_data = M.data if M.nnz else np.zeros(1)
    indices = np.where(label < r, label, np.where(label == 2 * r, offset, m_indices[source]))
    data = np.where(label < r, 1.0, np.where(label == 2 * r, -d[offset % r], -m_data[source]))
    return sparse.csc_matrix((data, indices, indptr), shape=(r, r))


def _pivot(rhs: np.ndarray, column: np.ndarray, row: int) -> None:
    """The basic values after ``column`` (``B^-1`` times the entering column) enters at
    ``row``."""
    rhs[row] /= column[row]
    value = rhs[row]
    rhs -= column * value
    rhs[row] = value


def _lexmin_row(
    rhs: np.ndarray,
    inverse_rows: Callable[[np.ndarray], np.ndarray],
    column: np.ndarray,
    candidates: np.ndarray,
) -> int:
    """Row among ``candidates`` minimising ``(rhs_i, inverse_i) / column_i`` lexicographically.

    ``inverse_rows(rows)`` gives rows of the inverse basis; it is called only on a tie.
    """
    ratios = rhs[candidates] / column[candidates]
    low = ratios.min()
    ties = candidates[ratios <= low + _RATIO_TOL * max(1.0, abs(low))]
    if ties.size == 1:
        return int(ties[0])
    block = inverse_rows(ties) / column[ties, None]
    # Only columns that differ among the tied rows can break the tie.
    spread = block.max(axis=0) - block.min(axis=0)
    scale = np.maximum(1.0, np.abs(block).max(axis=0))
    for k in np.flatnonzero(spread > _RATIO_TOL * scale):
        values = block[:, k]
        low = values.min()
        keep = values <= low + _RATIO_TOL * max(1.0, abs(low))
        if not keep.all():
            ties, block = ties[keep], block[keep]
            if ties.size == 1:
                return int(ties[0])
    raise LemkeRayError(
        "the lexicographic ratio test found equal rows of the inverse basis: precision lost"
    )
