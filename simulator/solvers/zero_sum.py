"""Optimal strategies and the value of a two-player zero-sum game by linear programming.

By the minimax theorem (von Neumann 1928) the row player's maximin payoff equals the
column player's minimax loss, the value ``v`` of the game. Following Dantzig (1951)
the row player's problem is the linear program

    maximise ``v``  subject to  ``A^T x >= v 1``,  ``1^T x = 1``,  ``x >= 0``,

and its dual is the column player's problem ``min w`` s.t. ``A y <= w 1``,
``1^T y = 1``, ``y >= 0``. One HiGHS solve (``scipy.optimize.linprog``) gives
``x`` from the primal and ``y`` from the dual values of the ``n`` inequality rows.

References
----------
von Neumann, J. (1928). Zur Theorie der Gesellschaftsspiele.
*Mathematische Annalen* 100, 295-320.

Dantzig, G. B. (1951). A proof of the equivalence of the programming problem and the
game problem. In Koopmans (ed.), *Activity Analysis of Production and Allocation*,
330-335. Wiley.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from simulator.errors import SimulatorError
from simulator.games.errors import GameError
from simulator.games.normal_form import NormalFormGame
from simulator.solvers.equilibrium import Equilibrium, TwoPlayerProfile, certify

__all__ = ["LinearProgramError", "ZeroSumResult", "zero_sum", "zero_sum_result"]

# Probabilities at or below this are rounding noise from the LP solver.
_ZERO_PROBABILITY = 1e-12
# HiGHS's default feasibility tolerances (1e-7) exceed the regret tolerance of
# ``certify`` (1e-8 of the payoff span): a near-optimal vertex would not certify.
_HIGHS_OPTIONS = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}


class LinearProgramError(SimulatorError, RuntimeError):
    """The linear program of a zero-sum game could not be solved."""


@dataclass(frozen=True)
class ZeroSumResult(TwoPlayerProfile):
    """Certified optimal strategies and the value of a zero-sum game.

    Returned by :func:`zero_sum_result`.

    Attributes
    ----------
    equilibrium : Equilibrium
        A maximin strategy of the row player and a minimax strategy of the column
        player, certified on the game ``(A, -A)`` (method ``"zero-sum"``).
    value : float
        The value of the game to the row player, ``x @ A @ y`` for the optimal
        strategies ``(x, y)`` (also recorded in the equilibrium's ``parameters``).
    """

    equilibrium: Equilibrium
    value: float


#: Deprecated name of :class:`ZeroSumResult`.
ZeroSumSolution = ZeroSumResult


def _validate(A: object) -> np.ndarray:
    try:
        a = np.array(A, dtype=float)
    except (TypeError, ValueError) as exc:
        raise GameError(f"the payoff matrix must be numbers: {exc}") from None
    if a.ndim != 2 or a.size == 0:
        raise GameError(
            f"a zero-sum game needs the row player's payoff matrix of shape (m, n) with "
            f"m, n >= 1; got shape {a.shape}"
        )
    if not np.all(np.isfinite(a)):
        bad = tuple(int(k) for k in np.argwhere(~np.isfinite(a))[0])
        raise GameError(f"payoffs must be finite; A{list(bad)} is {a[bad]}")
    with np.errstate(over="ignore"):
        span = a.max() - a.min()
    if not np.isfinite(span):
        raise GameError("the payoff range overflows floating point; rescale the payoffs")
    return a


def _clean(vector: np.ndarray, who: str) -> np.ndarray:
    """Zero the solver's rounding noise and renormalise to a probability vector."""
    vec = np.where(vector > _ZERO_PROBABILITY, vector, 0.0)
    total = vec.sum()
    if not total > 0:
        raise LinearProgramError(f"the LP returned no valid strategy for the {who} player")
    return vec / total


def zero_sum(A: object) -> tuple[np.ndarray, np.ndarray]:
    """Maximin and minimax strategies ``(x, y)`` of the zero-sum game ``(A, -A)``.

    Solves Dantzig's (1951) linear program with HiGHS; the column player's strategy
    is the dual solution. Payoffs are first mapped affinely to ``[0, 1]`` so HiGHS's
    absolute tolerances act on a fixed scale, and those tolerances are tightened to
    ``1e-10`` so the profile passes :func:`~simulator.solvers.equilibrium.certify`.
    Optimal strategies need not be unique; the value always is. The lean form:
    plain arrays, not certified; :func:`zero_sum_result` certifies the profile and
    gives the value.

    Parameters
    ----------
    A : array_like of shape ``(m, n)``
        The row player's payoffs; the column player receives ``-A``.

    Returns
    -------
    x, y : numpy.ndarray
        The row player's maximin and the column player's minimax strategy.

    Raises
    ------
    GameError
        If ``A`` is not a finite 2-d array with at least one row and column.
    LinearProgramError
        If HiGHS does not report an optimal solution.

    Examples
    --------
    >>> zero_sum([[1, -1], [-1, 1]])
    (array([0.5, 0.5]), array([0.5, 0.5]))
    """
    x, y, _ = _solve(A)
    return x, y


def zero_sum_result(A: object) -> ZeroSumResult:
    """The certified optimal strategies and the value of the zero-sum game ``(A, -A)``.

    The linear program of :func:`zero_sum`; its solution is certified by
    :func:`~simulator.solvers.equilibrium.certify` on ``(A, -A)`` with each player's
    default regret bound.

    Parameters
    ----------
    A : array_like of shape ``(m, n)``
        The row player's payoffs; the column player receives ``-A``.

    Returns
    -------
    ZeroSumResult
        The certified equilibrium and the value to the row player.

    Raises
    ------
    GameError
        If ``A`` is not a finite 2-d array with at least one row and column.
    LinearProgramError
        If HiGHS does not report an optimal solution.
    CertificationError
        If the LP's solution fails its certificate.

    Examples
    --------
    >>> pennies = zero_sum_result([[1, -1], [-1, 1]])
    >>> pennies.equilibrium.profile, pennies.value
    ((array([0.5, 0.5]), array([0.5, 0.5])), 0.0)
    >>> zero_sum_result([[3, 1], [4, 2]]).value  # a saddle point: row 2, column 2
    2.0
    """
    a = _validate(A)
    x, y, value = _solve(a)
    game = NormalFormGame.from_bimatrix(a, -a)
    equilibrium = certify(game, [x, y], method="zero-sum", parameters={"value": value})
    return ZeroSumResult(equilibrium, value)


def solve_zero_sum(A: object) -> ZeroSumResult:
    """Deprecated: use :func:`zero_sum_result` (the same result).

    Parameters
    ----------
    A : array_like of shape ``(m, n)``
        The row player's payoffs; the column player receives ``-A``.

    Returns
    -------
    ZeroSumResult
    """
    warnings.warn(
        "solve_zero_sum is deprecated; use zero_sum_result (the same result, with a "
        "certified equilibrium) or zero_sum (plain arrays)",
        DeprecationWarning,
        stacklevel=2,
    )
    return zero_sum_result(A)


def _solve(A: object) -> tuple[np.ndarray, np.ndarray, float]:
    """Optimal strategies ``(x, y)`` and the value, not certified.

    The one linear program behind :func:`zero_sum`, :func:`zero_sum_result` and
    ``solve(game, method="zero-sum")``.
    """
    from scipy.optimize import linprog  # here, to keep ``import simulator`` fast

    a = _validate(A)
    m, n = a.shape
    low = a.min()
    span = a.max() - low
    scaled = (a - low) / span if span > 0 else np.zeros_like(a)

    # Variables (x_1..x_m, v); minimise -v s.t. v - (A^T x)_j <= 0 and sum(x) = 1.
    cost = np.zeros(m + 1)
    cost[-1] = -1.0
    a_ub = np.hstack([-scaled.T, np.ones((n, 1))])
    a_eq = np.append(np.ones(m), 0.0)[None, :]
    bounds = [(0.0, None)] * m + [(None, None)]
    result = linprog(
        cost,
        A_ub=a_ub,
        b_ub=np.zeros(n),
        A_eq=a_eq,
        b_eq=[1.0],
        bounds=bounds,
        method="highs",
        options=_HIGHS_OPTIONS,
    )
    if result.status != 0 or result.x is None:
        raise LinearProgramError(
            f"HiGHS could not solve the zero-sum LP of this {m}x{n} game "
            f"(status {result.status}: {result.message})"
        )
    row = _clean(result.x[:m], "row")
    # The marginals of ``v - A^T x <= 0`` are -y, the column player's minimax strategy.
    col = _clean(-result.ineqlin.marginals, "column")
    return row, col, float(row @ a @ col)
