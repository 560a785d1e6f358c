"""One Nash equilibrium of a bimatrix game by the Lemke-Howson algorithm.

The algorithm of Lemke and Howson (1964) follows a path of almost completely
labelled vertex pairs of the best-response polytopes, from the artificial
equilibrium ``(0, 0)`` to an equilibrium, by complementary pivoting. This module
follows the presentation of von Stengel (2007): with positive payoff matrices
``A`` and ``B`` (``m x n``) the polytopes are

* ``P = {x >= 0 : B^T x <= 1}``, the system ``B^T x + s = 1`` (``n`` rows), and
* ``Q = {y >= 0 : A y <= 1}``, the system ``r + A y = 1`` (``m`` rows).

Label ``i`` in ``0..m-1`` belongs to the row strategy ``i`` (variables ``x_i`` and
``r_i``); label ``m + j`` belongs to the column strategy ``j`` (``s_j`` and ``y_j``).
When a variable leaves the basis of one system, the variable with the same label
enters the other; the path ends when the dropped initial label leaves.

Each system is kept as a compact tableau ``z_B + D z_N = b`` holding only the
nonbasic columns and the right-hand side, so a pivot (exchange of one basic and one
nonbasic variable) is a single rank-1 update of ``D``. The minimum-ratio test is
lexicographic: rows tied on ``b_i / d_i`` are compared by the rows of the inverse
basis divided by ``d_i``. Those rows are linearly independent, so ties always break
and no basis repeats: the path terminates also on degenerate games (von Stengel 2007,
"Degenerate games"). The rank-1 update is one BLAS ``gemm`` call with inner dimension 1,
which works in place and, at these sizes, stays on one thread.

References
----------
Lemke, C. E. and Howson, J. T. (1964). Equilibrium points of bimatrix games.
*Journal of the Society for Industrial and Applied Mathematics* 12(2), 413-423.

von Stengel, B. (2007). Equilibrium computation for two-player games in strategic
and extensive form. Chapter 3 of Nisan, Roughgarden, Tardos and Vazirani (eds.),
*Algorithmic Game Theory*, Cambridge University Press.

Savani, R. and von Stengel, B. (2006). Hard-to-solve bimatrix games.
*Econometrica* 74(2), 397-429.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.errors import SimulatorError
from simulator.games.errors import GameError
from simulator.games.normal_form import NormalFormGame
from simulator.solvers.equilibrium import Equilibrium, TwoPlayerProfile, certify

__all__ = [
    "DEFAULT_MAX_PIVOTS",
    "LemkeHowsonResult",
    "PivotLimitError",
    "lemke_howson",
    "lemke_howson_all_labels",
    "lemke_howson_all_labels_result",
    "lemke_howson_result",
]

#: Pivot budget when ``max_pivots`` is not given. Lexicographic pivoting always
#: terminates, but some games need exponentially many pivots (Savani and von Stengel 2006).
DEFAULT_MAX_PIVOTS = 1_000_000

# Pivot-column entries at or below this count as zero (payoffs are rescaled to [1, 2]).
_PIVOT_TOL = 1e-10
# Ratios this close (relative) are ties, so rounding noise cannot break a true tie.
_RATIO_TOL = 1e-12
# Profiles this close are the same equilibrium in ``lemke_howson_all_labels``.
_SAME_PROFILE_TOL = 1e-9


class PivotLimitError(SimulatorError, RuntimeError):
    """Lemke-Howson used its pivot budget without reaching an equilibrium."""


@dataclass(frozen=True)
class LemkeHowsonResult(TwoPlayerProfile):
    """The certified equilibrium at the end of one Lemke-Howson path.

    Returned by :func:`lemke_howson_result`.

    Attributes
    ----------
    equilibrium : Equilibrium
        The equilibrium reached, certified on the game ``(A, B)`` (method
        ``"lemke-howson"``; ``parameters`` record the initial label and the pivots).
    pivots : int
        Number of pivots (basis changes in either system) along the path.
    initial_label : int
        The label dropped at the artificial equilibrium.
    """

    equilibrium: Equilibrium
    pivots: int
    initial_label: int


# ---------------------------------------------------------------------- input
def _validate(A: object, B: object) -> tuple[np.ndarray, np.ndarray]:
    try:
        a = np.array(A, dtype=float)
        b = np.array(B, dtype=float)
    except (TypeError, ValueError) as exc:
        raise GameError(f"payoff matrices must be numbers: {exc}") from None
    if a.ndim != 2 or b.shape != a.shape:
        raise GameError(
            "Lemke-Howson needs two payoff matrices of the same shape (m, n); "
            f"got {a.shape} and {b.shape}"
        )
    if a.size == 0:
        raise GameError(f"every player needs at least one strategy; shape {a.shape}")
    for name, mat in (("A", a), ("B", b)):
        if not np.all(np.isfinite(mat)):
            bad = tuple(int(k) for k in np.argwhere(~np.isfinite(mat))[0])
            raise GameError(f"payoffs must be finite; {name}{list(bad)} is {mat[bad]}")
        with np.errstate(over="ignore"):
            span = mat.max() - mat.min()
        if not np.isfinite(span):
            raise GameError(f"the range of {name} overflows floating point; rescale the payoffs")
    return a, b


def _check_label(initial_label: object, m: int, n: int) -> int:
    if isinstance(initial_label, bool) or not isinstance(initial_label, (int, np.integer)):
        raise GameError(f"initial_label must be an integer, not {initial_label!r}")
    if not 0 <= initial_label < m + n:
        raise GameError(
            f"initial_label must be in 0..{m + n - 1} (0..{m - 1} are row strategies, "
            f"{m}..{m + n - 1} column strategies); got {initial_label}"
        )
    return int(initial_label)


def _to_unit_range(payoffs: np.ndarray) -> np.ndarray:
    """Affine image of ``payoffs`` in ``[1, 2]``: positive, so the polytopes are bounded.

    A positive affine map of one player's payoffs keeps the best responses, hence the
    equilibria and the labels along the path; the fixed range keeps tolerances meaningful.
    """
    low = payoffs.min()
    span = payoffs.max() - low
    if span == 0:
        return np.ones_like(payoffs)
    return 1.0 + (payoffs - low) / span


# ---------------------------------------------------------------------- one system
class _System:
    """The compact tableau ``z_B + D z_N = b`` of ``constraints z + slack = 1``.

    ``slack_labels`` and ``structural_labels`` name the variables; the slacks form
    the initial basis, so the inverse basis is read from the slacks' columns.
    """

    def __init__(
        self, constraints: np.ndarray, slack_labels: np.ndarray, structural_labels: np.ndarray
    ) -> None:
        # gemm with inner dimension 1 updates in place in one pass (numpy needs two and a
        # temporary). Unlike ger, OpenBLAS runs it on one thread for tableaux up to about
        # 500 x 500, so it does not stall on a busy machine. Imported here to keep
        # ``import simulator`` fast.
        from scipy.linalg.blas import dgemm

        self._gemm = dgemm
        rows, cols = constraints.shape
        # Fortran order: D's columns (the entering column, the rhs) are contiguous.
        self.table = np.empty((rows, cols + 1), order="F")
        self.table[:, :cols] = constraints
        self.table[:, -1] = 1.0
        self.ratios = np.empty(rows)
        self.slack_labels = slack_labels
        self.basic = slack_labels.tolist()
        size = rows + cols
        # Where each label's variable sits: its basis row, or its column of D (else -1).
        self.row_of = [-1] * size
        self.col_of = [-1] * size
        for k, label in enumerate(slack_labels.tolist()):
            self.row_of[label] = k
        for k, label in enumerate(structural_labels.tolist()):
            self.col_of[label] = k

    def leaving_row(self, label: int) -> int:
        """Row of the lexicographic minimum ratio when ``label``'s variable enters."""
        entering = self.table[:, self.col_of[label]]
        positive = entering > _PIVOT_TOL
        ratios = self.ratios
        ratios.fill(np.inf)
        np.divide(self.table[:, -1], entering, out=ratios, where=positive)
        row = int(ratios.argmin())
        if not positive[row]:
            raise ArithmeticError(
                "Lemke-Howson found an unbounded edge, impossible for positive payoffs: "
                "the tableau has lost precision"
            )
        ties = ratios <= ratios[row] + _RATIO_TOL * max(1.0, abs(ratios[row]))
        if np.count_nonzero(ties) == 1:
            return row
        rows = np.flatnonzero(ties)
        block = self._inverse_basis_rows(rows) / entering[rows, None]
        for k in range(block.shape[1]):
            values = block[:, k]
            low = values.min()
            keep = values <= low + _RATIO_TOL * max(1.0, abs(low))
            if not keep.all():
                rows, block = rows[keep], block[keep]
                if rows.size == 1:
                    return int(rows[0])
        raise ArithmeticError(
            "Lemke-Howson's lexicographic ratio test found two equal rows of the inverse "
            "basis: the tableau has lost precision"
        )

    def _inverse_basis_rows(self, rows: np.ndarray) -> np.ndarray:
        """Rows ``rows`` of ``B^-1``: a basic slack's column is a unit vector."""
        cols = np.array(self.col_of)[self.slack_labels]
        from_table = self.table[np.ix_(rows, np.maximum(cols, 0))]
        unit = np.array(self.row_of)[self.slack_labels][None, :] == rows[:, None]
        return np.where(cols >= 0, from_table, unit)

    def pivot(self, row: int, label: int) -> int:
        """Exchange basic ``row`` with ``label``'s variable; return the leaving label.

        With ``a = D[row, c]``, ``f = D[:, c] - e_row`` and ``p = D[row] / a`` except
        ``p[c] = 1 + 1/a``, the exchange is the single rank-1 update ``D - f p^T``.
        """
        col = self.col_of[label]
        factors = self.table[:, col].copy()
        a = float(factors[row])
        pivot_row = self.table[row] / a
        pivot_row[col] = 1.0 + 1.0 / a
        factors[row] -= 1.0
        self.table = self._gemm(
            -1.0, factors[:, None], pivot_row[None, :], beta=1.0, c=self.table, overwrite_c=True
        )
        leaving = self.basic[row]
        self.basic[row] = label
        self.row_of[label], self.col_of[label] = row, -1
        self.row_of[leaving], self.col_of[leaving] = -1, col
        return leaving

    def strategy(self, labels: range) -> np.ndarray:
        """Normalised values of the basic variables whose labels are in ``labels``."""
        vec = np.zeros(len(labels))
        basic = np.array(self.basic)
        mask = (basic >= labels.start) & (basic < labels.stop)
        vec[basic[mask] - labels.start] = np.clip(self.table[mask, -1], 0.0, None)
        vec[vec <= 1e-13 * vec.max(initial=0.0)] = 0.0
        total = vec.sum()
        if not total > 0:
            raise ArithmeticError("Lemke-Howson ended at the artificial equilibrium (0, 0)")
        return vec / total


# ---------------------------------------------------------------------- algorithm
def lemke_howson(
    A: object, B: object, initial_label: int = 0, max_pivots: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """One Nash equilibrium ``(x, y)`` of the bimatrix game ``(A, B)`` by Lemke-Howson.

    Complementary pivoting (Lemke and Howson 1964) in the tableau form of von Stengel
    (2007) with a lexicographic minimum-ratio test, so the path ends at an equilibrium
    for every game, degenerate or not. Random games need few pivots on average but
    the number grows quickly with the size, and some games need exponentially many
    (Savani and von Stengel 2006). The lean form: plain arrays, not certified;
    :func:`lemke_howson_result` certifies the profile and counts the pivots.

    Parameters
    ----------
    A, B : array_like of shape ``(m, n)``
        Payoffs of the row and the column player. Any finite numbers: each matrix is
        mapped affinely to ``[1, 2]`` first, which does not change the equilibria.
    initial_label : int
        The label dropped at the artificial equilibrium: ``0..m-1`` are the row
        player's strategies, ``m..m+n-1`` the column player's (as in nashpy and
        QuantEcon).
    max_pivots : int, optional
        Pivot budget (default :data:`DEFAULT_MAX_PIVOTS`).

    Returns
    -------
    x, y : numpy.ndarray
        The row player's and the column player's probability vectors.

    Raises
    ------
    GameError
        If the matrices are not finite, equally shaped 2-d arrays, or the label is out
        of range.
    PivotLimitError
        If ``max_pivots`` pivots did not reach an equilibrium.

    Examples
    --------
    >>> lemke_howson([[2, 0], [0, 1]], [[1, 0], [0, 2]], initial_label=1)
    (array([0., 1.]), array([0., 1.]))
    >>> lemke_howson([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    (array([0.5, 0.5]), array([0.5, 0.5]))
    """
    x, y, _ = _solve(A, B, initial_label, max_pivots)
    return x, y


def lemke_howson_result(
    A: object, B: object, initial_label: int = 0, max_pivots: int | None = None
) -> LemkeHowsonResult:
    """The certified equilibrium at the end of the Lemke-Howson path from ``initial_label``.

    The path of :func:`lemke_howson`; its end is certified by
    :func:`~simulator.solvers.equilibrium.certify` on the game ``(A, B)`` with each
    player's default regret bound.

    Parameters
    ----------
    A, B : array_like of shape ``(m, n)``
        Payoffs of the row and the column player; any finite numbers.
    initial_label : int
        The label dropped at the artificial equilibrium (as in :func:`lemke_howson`).
    max_pivots : int, optional
        Pivot budget (default :data:`DEFAULT_MAX_PIVOTS`).

    Returns
    -------
    LemkeHowsonResult
        The certified equilibrium, the number of pivots and the initial label.

    Raises
    ------
    GameError
        If the matrices are not finite, equally shaped 2-d arrays, or the label is out
        of range.
    PivotLimitError
        If ``max_pivots`` pivots did not reach an equilibrium.
    CertificationError
        If the end of the path fails its certificate (the tableau lost precision).

    Examples
    --------
    >>> result = lemke_howson_result([[2, 0], [0, 1]], [[1, 0], [0, 2]], initial_label=1)
    >>> result.equilibrium.profile, result.pivots
    ((array([0., 1.]), array([0., 1.])), 2)
    >>> result.equilibrium.regret <= result.equilibrium.tolerance
    True
    """
    a, b = _validate(A, B)
    x, y, pivots = _solve(a, b, initial_label, max_pivots)
    return _certified(NormalFormGame.from_bimatrix(a, b), x, y, pivots, int(initial_label))


def lemke_howson_all_labels(A: object, B: object) -> list[tuple[np.ndarray, np.ndarray]]:
    """The distinct equilibria ``(x, y)`` reached by Lemke-Howson from every label.

    Runs the path of :func:`lemke_howson` from each label ``0..m+n-1`` and keeps one
    profile per equilibrium, in the order of the first label that reaches it. Paths
    from the artificial equilibrium reach only some equilibria (in nondegenerate games
    those of positive index; Shapley 1974), so this does not enumerate all equilibria.
    The lean form of :func:`lemke_howson_all_labels_result`.

    Parameters
    ----------
    A, B : array_like of shape ``(m, n)``
        Payoffs of the row and the column player; any finite numbers (as in
        :func:`lemke_howson`).

    Returns
    -------
    list of (numpy.ndarray, numpy.ndarray)
        One profile per distinct equilibrium reached (profiles equal within ``1e-9``
        are one); not certified.

    Raises
    ------
    GameError
        If the matrices are not finite, equally shaped 2-d arrays.
    PivotLimitError
        If a path used :data:`DEFAULT_MAX_PIVOTS` pivots without reaching an equilibrium.

    Examples
    --------
    >>> [x.tolist() for x, y in lemke_howson_all_labels([[2, 0], [0, 1]], [[1, 0], [0, 2]])]
    [[1.0, 0.0], [0.0, 1.0]]
    """
    return [(x, y) for x, y, _, _ in _all_labels(A, B)]


def lemke_howson_all_labels_result(A: object, B: object) -> tuple[LemkeHowsonResult, ...]:
    """Lemke-Howson from every label: one certified result per distinct equilibrium.

    The equilibria of :func:`lemke_howson_all_labels`, each with the first label that
    reaches it and the pivots of that path, certified on the game ``(A, B)``.

    Parameters
    ----------
    A, B : array_like of shape ``(m, n)``
        Payoffs of the row and the column player; any finite numbers.

    Returns
    -------
    tuple of LemkeHowsonResult
        In the order of the first label that reaches each equilibrium.

    Raises
    ------
    GameError
        If the matrices are not finite, equally shaped 2-d arrays.
    PivotLimitError
        If a path used :data:`DEFAULT_MAX_PIVOTS` pivots without reaching an equilibrium.
    CertificationError
        If the end of a path fails its certificate.

    Examples
    --------
    >>> sexes = lemke_howson_all_labels_result([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    >>> [(r.initial_label, r.row_strategy.tolist()) for r in sexes]
    [(0, [1.0, 0.0]), (1, [0.0, 1.0])]
    """
    a, b = _validate(A, B)
    game = NormalFormGame.from_bimatrix(a, b)
    return tuple(_certified(game, x, y, pivots, label) for x, y, pivots, label in _all_labels(a, b))


def _certified(
    game: NormalFormGame, x: np.ndarray, y: np.ndarray, pivots: int, initial_label: int
) -> LemkeHowsonResult:
    parameters = {"initial_label": initial_label, "pivots": pivots}
    equilibrium = certify(game, [x, y], method="lemke-howson", parameters=parameters)
    return LemkeHowsonResult(equilibrium, pivots, initial_label)


def _all_labels(A: object, B: object) -> list[tuple[np.ndarray, np.ndarray, int, int]]:
    """``(x, y, pivots, label)`` for each distinct equilibrium, by first label reaching it."""
    a, b = _validate(A, B)
    found: list[tuple[np.ndarray, np.ndarray, int, int]] = []
    for label in range(sum(a.shape)):
        x, y, pivots = _solve(a, b, label)
        if not any(_same_profile((x, y), (u, v)) for u, v, _, _ in found):
            found.append((x, y, pivots, label))
    return found


def _solve(
    A: object, B: object, initial_label: int = 0, max_pivots: int | None = None
) -> tuple[np.ndarray, np.ndarray, int]:
    """The end ``(x, y)`` of the path from ``initial_label`` and its pivots, not certified.

    The one path follower behind :func:`lemke_howson`, :func:`lemke_howson_result`, the
    all-labels functions and ``solve(game, method="lemke-howson")``.
    """
    a, b = _validate(A, B)
    m, n = a.shape
    label = _check_label(initial_label, m, n)
    budget = DEFAULT_MAX_PIVOTS if max_pivots is None else int(max_pivots)
    if budget < 1:
        raise GameError(f"max_pivots must be a positive integer; got {max_pivots}")

    row_labels, col_labels = np.arange(m), np.arange(m, m + n)
    systems = (
        _System(_to_unit_range(b).T, slack_labels=col_labels, structural_labels=row_labels),
        _System(_to_unit_range(a), slack_labels=row_labels, structural_labels=col_labels),
    )
    side = 0 if label < m else 1  # the system in which the label's variable is nonbasic
    pivots = 0
    while True:
        if pivots == budget:
            raise PivotLimitError(
                f"Lemke-Howson from label {initial_label} did not reach an equilibrium "
                f"within {budget} pivots on this {m}x{n} game; pass a larger max_pivots "
                "or start from another initial_label"
            )
        system = systems[side]
        leaving = system.pivot(system.leaving_row(label), label)
        pivots += 1
        if leaving == initial_label:
            break
        label, side = leaving, 1 - side

    row_strategy = systems[0].strategy(range(m))
    col_strategy = systems[1].strategy(range(m, m + n))
    return row_strategy, col_strategy, pivots


def _same_profile(
    first: tuple[np.ndarray, np.ndarray], second: tuple[np.ndarray, np.ndarray]
) -> bool:
    return all(np.allclose(u, v, rtol=0, atol=_SAME_PROFILE_TOL) for u, v in zip(first, second))
