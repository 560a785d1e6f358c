"""Support systems where at most two players mix: linear equations and linear programs.

When at most two players mix, each player's payoffs are affine in the unknowns (the other
mixer's probabilities), so the indifference equations of a support profile are linear
(McKelvey & McLennan 1996). A regular system has one solution; a singular but consistent
one has a solution set of positive dimension, and linear programming decides whether it
meets the relaxed equilibrium conditions (then the support profile is flagged).

References
----------
.. [1] R. D. McKelvey, A. McLennan, "Computation of equilibria in finite games",
   Handbook of Computational Economics I (1996), ch. 2.
"""

from __future__ import annotations

import numpy as np

from simulator.solvers.support_listing import EQ_TOL, Profile, Supports, profile_from

__all__ = ["solve_linear_support"]

#: A width above this, found without linear programming, is certainly above the caller's bound.
_SURE_WIDTH = 1e-5


def _affine_payoffs(
    norm: np.ndarray, supports: Supports, player: int, mixing: list[int], sizes: list[int]
) -> tuple[np.ndarray, np.ndarray] | None:
    """Payoffs of all of ``player``'s strategies as affine functions of the unknowns.

    Returns ``(const, grad)`` with shapes ``(n_player,)`` and ``(n_player, n)``, or
    ``None`` when they are not affine (two or more other players mix).
    """
    others = [j for j in mixing if j != player]
    if len(others) > 1:
        return None
    n = sum(k - 1 for k in sizes)
    index = [
        list(s) if j != player else list(range(norm.shape[player])) for j, s in enumerate(supports)
    ]
    sub = np.moveaxis(norm[np.ix_(*index)][..., player], player, 0)
    rows = sub.reshape(sub.shape[0], -1)
    grad = np.zeros((rows.shape[0], n))
    if not others:
        return rows[:, 0], grad
    j = others[0]
    start = sum(k - 1 for k in sizes[: mixing.index(j)])
    grad[:, start : start + rows.shape[1] - 1] = rows[:, 1:] - rows[:, :1]
    return rows[:, 0], grad


def solve_linear_support(norm: np.ndarray, supports: Supports) -> tuple[list[Profile], bool]:
    """Solutions of a support system where at most two players mix (affine equations).

    Parameters
    ----------
    norm : numpy.ndarray
        Payoffs of shape ``(n_1, ..., n_N, N)``, normalised to span at most 1.
    supports : support profile
        One sorted tuple of strategy indices per player, at most two of them mixing.

    Returns
    -------
    profiles : list of tuple of numpy.ndarray
        The candidate profiles (not yet screened for sign or regret).
    flagged : bool
        Whether the solution set is positive-dimensional and meets the relaxed equilibrium
        conditions (decided by linear programming, or without it when visibly wide).
    """
    shape = norm.shape[:-1]
    mixing = [j for j, s in enumerate(supports) if len(s) > 1]
    sizes = [len(supports[j]) for j in mixing]
    n = sum(k - 1 for k in sizes)
    eq_rows, eq_rhs, ineq_rows, ineq_rhs = [], [], [], []
    for i in range(len(shape)):
        affine = _affine_payoffs(norm, supports, i, mixing, sizes)
        if affine is None:
            continue
        const, grad = affine
        s0 = supports[i][0]
        for s in range(shape[i]):
            if s == s0:
                continue
            row, rhs = grad[s] - grad[s0], const[s0] - const[s]
            if s in supports[i]:
                eq_rows.append(row)
                eq_rhs.append(rhs)
            else:
                ineq_rows.append(row)
                ineq_rhs.append(rhs)
    a = np.array(eq_rows).reshape(-1, n)
    b = np.array(eq_rhs)
    solution, residual, rank = _least_squares(a, b)
    if residual > EQ_TOL:
        return [], False
    y_of = _unpacker(mixing, sizes)
    if rank == n:
        return [profile_from(shape, supports, y_of(solution))], False
    # Singular but consistent: is the solution set in the relaxed polytope a point or more?
    for start, k in zip(np.cumsum([0, *[k - 1 for k in sizes]]), sizes):
        block = np.zeros((k, n))
        block[0, start : start + k - 1] = 1.0  # 1 - sum(y) >= 0
        block[1:, start : start + k - 1] = -np.eye(k - 1)  # y >= 0
        ineq_rows.extend(block)
        ineq_rhs.extend([1.0] + [0.0] * (k - 1))
    c = np.array(ineq_rows).reshape(-1, n)
    d = np.array(ineq_rhs)
    centre = np.concatenate([np.full(k - 1, 1.0 / k) for k in sizes])
    point, widths = _polytope_extent(a, b, c, d, centre=centre)
    if point is None:
        return [], False
    if widths > 1e-7:
        return [], True
    return [profile_from(shape, supports, y_of(point))], False


def _least_squares(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, float, int]:
    n = a.shape[1]
    if a.shape[0] == 0:
        return np.zeros(n), 0.0, 0
    solution, _, rank, _ = np.linalg.lstsq(a, b, rcond=1e-10)
    residual = float(np.abs(a @ solution - b).max())
    return solution, residual, int(rank)


def _unpacker(mixing: list[int], sizes: list[int]):
    def y_of(y: np.ndarray) -> dict[int, np.ndarray]:
        out, start = {}, 0
        for j, k in zip(mixing, sizes):
            part = y[start : start + k - 1]
            out[j] = np.concatenate([[1.0 - part.sum()], part])
            start += k - 1
        return out

    return y_of


def _polytope_extent(
    a: np.ndarray,
    b: np.ndarray,
    c: np.ndarray,
    d: np.ndarray,
    enough: float = 1e-7,
    centre: np.ndarray | float = 0.0,
) -> tuple[np.ndarray | None, float]:
    """A point of ``{y : a y = b, c y <= d}`` and its largest width along the null space of a.

    The width along a direction ``v`` is ``max v'y1 - v'y2`` over two points ``y1, y2`` of
    the set, one linear program. The directions are tried in turn and the search stops at
    the first width above ``enough`` (the caller only asks whether some width exceeds it);
    when the first direction is already wide, its ``y1`` is the point returned, otherwise
    the point solves the set's constraints loosened by ``EQ_TOL`` (``None`` if none does).

    No linear program is needed when the solution of ``a y = b`` nearest ``centre`` satisfies
    ``c y <= d`` with room to move along the first direction (strictly inside every
    constraint that direction moves): the width along it is at least twice the distance to
    the nearest such constraint, and when that is clearly above ``enough`` (``_SURE_WIDTH``)
    it is returned with that point.
    """
    n = c.shape[1]
    _, sing, vt = np.linalg.svd(a) if a.shape[0] else (None, np.zeros(0), np.eye(n))
    rank = int(np.sum(sing > 1e-10 * max(1.0, sing.max(initial=0.0))))
    if rank < n:
        # The solution of a y = b nearest the centre of the probability box (each mixer
        # uniform, as the rows of c end with the simplex constraints).
        inside = np.broadcast_to(np.asarray(centre, dtype=float), (n,)).copy()
        if a.shape[0]:
            inside += np.linalg.lstsq(a, b - a @ inside, rcond=1e-10)[0]
        slack = d - c @ inside
        step = np.abs(c @ vt[rank])
        moving = step > 1e-12
        # Constraints the direction does not move (as ties make them: 0 <= 0) must hold at the
        # point; those it moves must have room.
        if moving.any() and slack[moving].min() > 0 and slack[~moving].min(initial=0.0) >= 0:
            width = 2.0 * float(np.min(slack[moving] / step[moving]))
            if width > max(_SURE_WIDTH, enough):
                return inside, width

    from scipy.optimize import linprog

    eq = {"A_eq": a, "b_eq": b} if a.shape[0] else {}
    bounds = [(None, None)] * n
    pair: dict = {"A_ub": np.block([[c, np.zeros_like(c)], [np.zeros_like(c), c]])}
    pair["b_ub"] = np.concatenate([d, d])
    if a.shape[0]:
        pair["A_eq"] = np.block([[a, np.zeros_like(a)], [np.zeros_like(a), a]])
        pair["b_eq"] = np.concatenate([b, b])

    def spread(direction: np.ndarray):
        cost = np.concatenate([-direction, direction])
        return linprog(cost, bounds=bounds * 2, **pair, method="highs")

    directions = list(vt[rank:])
    first_spread = spread(directions[0]) if directions else None
    if first_spread is not None and first_spread.status == 0 and -first_spread.fun > enough:
        return first_spread.x[:n], float(-first_spread.fun)
    first = linprog(np.zeros(n), A_ub=c, b_ub=d + EQ_TOL, bounds=bounds, **eq, method="highs")
    if first.status != 0:
        return None, 0.0
    width = 0.0
    for k, direction in enumerate(directions):
        result = first_spread if k == 0 else spread(direction)
        if result.status == 0:
            width = max(width, float(-result.fun))
            if width > enough:
                break
    return first.x, width
