"""Alternating-offers bargaining and the Nash bargaining solution.

* A. Rubinstein, "Perfect equilibrium in a bargaining model", *Econometrica* 50(1),
  1982, 97-109: two players alternate proposals to split a stake of 1; the unique
  subgame-perfect equilibrium gives the first proposer ``(1 - d2) / (1 - d1 d2)``.
* K. Binmore, A. Shaked and J. Sutton, "An outside option experiment", *Quarterly
  Journal of Economics* 104(4), 1989, 753-770 (theory in Osborne & Rubinstein,
  *Bargaining and Markets*, 1990, section 3.12): the *outside option principle* -- an
  option to quit only matters when it beats what the player would get without it.
* K. Binmore, A. Rubinstein and A. Wolinsky, "The Nash bargaining solution in economic
  modelling", *RAND Journal of Economics* 17(2), 1986, 176-188: with an exogenous risk of
  breakdown the equilibrium tends to the Nash solution as the risk vanishes, and the
  relative impatience of the players gives the bargaining powers.
* J. F. Nash, "The bargaining problem", *Econometrica* 18(2), 1950, 155-162, with the
  asymmetric (generalised) form maximising ``(u1 - d1)^beta (u2 - d2)^(1 - beta)``.

In the domain these give the terms a settlement between Russia and Ukraine would have
under complete information, with war as each side's outside option (a benchmark for the
mission's claims: patience, i.e. the ability to wait out the other side, and the value
of the war option decide the split).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from scipy import optimize, special

from simulator.model.parameters import check_range

if TYPE_CHECKING:
    from simulator.model.negotiation import NegotiationModel

__all__ = [
    "Split",
    "OutsideOptionSplit",
    "NashSolution",
    "SettlementSplit",
    "rubinstein_shares",
    "outside_option_shares",
    "breakdown_shares",
    "nash_bargaining_solution",
    "nash_bargaining_on_frontier",
    "nash_bargaining_on_points",
    "bargaining_power",
    "alternating_offers_from_model",
    "nash_settlement_from_model",
]

Number = Any  # a float or a numpy array of floats (arguments broadcast)


def _out(array: Any) -> Any:
    array = np.asarray(array)
    return array.item() if array.ndim == 0 else array


def _discounts(delta_1: Number, delta_2: Number) -> tuple[np.ndarray, np.ndarray]:
    d1 = check_range("delta_1", delta_1, 0.0, 1.0)
    d2 = check_range("delta_2", delta_2, 0.0, 1.0)
    if np.any(d1 * d2 >= 1.0):
        raise ValueError(
            "delta_1 and delta_2 cannot both be 1: with no cost of delay the game has no "
            "unique equilibrium; use discount factors below 1"
        )
    return d1, d2


@dataclass(frozen=True)
class Split:
    """Equilibrium division of a stake of 1 when player 1 proposes first.

    Attributes
    ----------
    proposer_share, responder_share : float or ndarray
        Shares of player 1 (the first proposer) and player 2; agreement is immediate.
    """

    proposer_share: Any
    responder_share: Any


@dataclass(frozen=True)
class OutsideOptionSplit(Split):
    """A :class:`Split` with outside options, saying which options bind.

    Attributes
    ----------
    option_1_binds, option_2_binds : bool or ndarray
        Whether a player's outside option exceeds the discounted value of going on
        bargaining, so that it alone sets what that player must be offered.
    """

    option_1_binds: Any = False
    option_2_binds: Any = False


def rubinstein_shares(delta_1: Number, delta_2: Number) -> Split:
    """Rubinstein's (1982) subgame-perfect split: proposer ``(1 - d2) / (1 - d1 d2)``.

    Parameters
    ----------
    delta_1, delta_2 : float or array
        Discount factors of the first proposer and the responder, in ``[0, 1]``, not
        both 1.

    Returns
    -------
    Split
        The first proposer's share ``(1 - d2) / (1 - d1 d2)`` and the responder's share
        (floats, or arrays of the broadcast shape).

    Raises
    ------
    ParameterError
        If a discount factor is outside ``[0, 1]`` or not a finite number.
    ValueError
        If both discount factors are 1 (no cost of delay, no unique equilibrium).

    Examples
    --------
    >>> from fractions import Fraction
    >>> Fraction(rubinstein_shares(0.9, 0.9).proposer_share).limit_denominator(100)
    Fraction(10, 19)
    >>> Fraction(rubinstein_shares(0.9, 0.8).proposer_share).limit_denominator(100)
    Fraction(5, 7)
    """
    d1, d2 = _discounts(delta_1, delta_2)
    share = (1.0 - d2) / (1.0 - d1 * d2)
    return Split(_out(share), _out(1.0 - share))


def outside_option_shares(
    delta_1: Number, delta_2: Number, outside_1: Number = 0.0, outside_2: Number = 0.0
) -> OutsideOptionSplit:
    """Alternating offers where a responder may quit for an outside option (BSS 1989).

    Timing (Osborne & Rubinstein 1990, section 3.12): the responder to an offer accepts,
    rejects and proposes next period, or quits at once for its outside option ``w_j``
    (the proposer then gets 0). Let ``V_i`` be player ``i``'s payoff when proposing. A
    responder accepts a share ``>= max(w_j, d_j V_j)``, so

    ``V1 = 1 - max(w2, d2 V2)`` and ``V2 = 1 - max(w1, d1 V1)``.

    This map is a contraction (slope ``<= d1 d2 < 1``); its unique fixed point is

    ``V1 = min(1 - w2, max(1 - d2 (1 - w1), (1 - d2) / (1 - d1 d2)))``.

    With ``w1 = 0`` and a common ``delta`` player 2 gets ``max(w2, delta / (1 + delta))``:
    the option binds only when ``w2 > delta * V2``, i.e. when it beats the discounted
    Rubinstein share ``1 / (1 + delta)`` that player 2 would get as next proposer (the
    outside option principle; a smaller option leaves the Rubinstein split unchanged).

    Parameters
    ----------
    delta_1, delta_2 : float or array
        Discount factors in ``[0, 1]``, not both 1.
    outside_1, outside_2 : float or array
        Outside options ``w1, w2 >= 0`` with ``w1 + w2 <= 1`` (gains from agreement).

    Returns
    -------
    OutsideOptionSplit
        The first proposer's share ``V1`` and the responder's ``1 - V1``, with
        ``option_1_binds`` (``w1 > d1 V1``) and ``option_2_binds`` (``w2 > d2 V2``).

    Raises
    ------
    ParameterError
        If a discount factor or an outside option is outside ``[0, 1]``.
    ValueError
        If both discount factors are 1, or if ``outside_1 + outside_2 > 1``.

    Examples
    --------
    >>> from fractions import Fraction
    >>> r = outside_option_shares(0.9, 0.9, outside_2=0.3)
    >>> Fraction(r.proposer_share).limit_denominator(100), r.option_2_binds
    (Fraction(10, 19), False)
    >>> round(outside_option_shares(0.9, 0.9, outside_2=0.6).responder_share, 12)
    0.6
    """
    d1, d2 = _discounts(delta_1, delta_2)
    w1 = check_range("outside_1", outside_1, 0.0, 1.0)
    w2 = check_range("outside_2", outside_2, 0.0, 1.0)
    if np.any(w1 + w2 > 1.0):
        raise ValueError(
            "outside_1 + outside_2 must be at most 1: otherwise no split beats both "
            "outside options and there is nothing to bargain over"
        )
    rubinstein = (1.0 - d2) / (1.0 - d1 * d2)
    v1 = np.minimum(1.0 - w2, np.maximum(1.0 - d2 * (1.0 - w1), rubinstein))
    v2 = 1.0 - np.maximum(w1, d1 * v1)
    return OutsideOptionSplit(
        proposer_share=_out(v1),
        responder_share=_out(1.0 - v1),
        option_1_binds=_out(w1 > d1 * v1),
        option_2_binds=_out(w2 > d2 * v2),
    )


def breakdown_shares(breakdown: Number, payoff_1: Number, payoff_2: Number) -> Split:
    """Alternating offers with a risk of breakdown (Binmore, Rubinstein & Wolinsky 1986).

    No discounting; after each rejection talks break down with probability ``q``,
    leaving the breakdown payoffs ``(b1, b2)``. A responder accepts any share at least
    ``q b_j + (1 - q) V_j``, so ``V1 = 1 - q b2 - (1 - q) V2`` and
    ``V2 = 1 - q b1 - (1 - q) V1``; solving (derived here),

    ``x1 = (1 + (1 - q) b1 - b2) / (2 - q)``,

    which tends to the Nash solution ``(1 + b1 - b2) / 2`` with disagreement point ``b``
    as ``q -> 0`` and to the ultimatum split ``1 - b2`` at ``q = 1``.

    Parameters
    ----------
    breakdown : float or array
        ``q`` in ``(0, 1]``.
    payoff_1, payoff_2 : float or array
        Breakdown payoffs ``b1, b2 >= 0`` with ``b1 + b2 <= 1``.

    Returns
    -------
    Split
        The first proposer's share ``x1`` and the responder's ``1 - x1``.

    Raises
    ------
    ParameterError
        If ``breakdown`` is outside ``(0, 1]`` or a breakdown payoff outside ``[0, 1]``.
    ValueError
        If ``payoff_1 + payoff_2 > 1``.

    Examples
    --------
    >>> round(breakdown_shares(0.5, 0.2, 0.3).proposer_share, 12)
    0.533333333333
    >>> round(breakdown_shares(1e-9, 0.2, 0.3).proposer_share, 6)
    0.45
    """
    q = check_range("breakdown", breakdown, 0.0, 1.0, low_open=True)
    b1 = check_range("payoff_1", payoff_1, 0.0, 1.0)
    b2 = check_range("payoff_2", payoff_2, 0.0, 1.0)
    if np.any(b1 + b2 > 1.0):
        raise ValueError("payoff_1 + payoff_2 must be at most 1 (the stake is 1)")
    share = (1.0 + (1.0 - q) * b1 - b2) / (2.0 - q)
    return Split(_out(share), _out(1.0 - share))


# ---------------------------------------------------------------------- Nash bargaining
@dataclass(frozen=True)
class NashSolution:
    """The (asymmetric) Nash bargaining solution ``(u1, u2)``; ``nan`` where no agreement
    gives both players at least their disagreement payoffs.

    Attributes
    ----------
    u1, u2 : float or ndarray
        The players' payoffs at the solution (arrays when the arguments were arrays),
        ``nan`` where there is no agreement both prefer to disagreement.
    """

    u1: Any
    u2: Any


def _beta(beta: Number) -> np.ndarray:
    return check_range("beta", beta, 0.0, 1.0)


def nash_bargaining_solution(
    d1: Number, d2: Number, beta: Number = 0.5, total: Number = 1.0
) -> NashSolution:
    """Nash solution on the linear frontier ``u1 + u2 = total`` (Nash 1950).

    Maximising ``(u1 - d1)^beta (u2 - d2)^(1 - beta)`` on the line gives each player its
    disagreement payoff plus its power share of the surplus ``S = total - d1 - d2``:
    ``u1 = d1 + beta S``, ``u2 = d2 + (1 - beta) S`` (``nan`` where ``S < 0``).

    Parameters
    ----------
    d1, d2 : float or array
        Disagreement payoffs.
    beta : float or array
        Player 1's bargaining power in ``[0, 1]``.
    total : float or array
        The size of the stake, ``>= 0``.

    Returns
    -------
    NashSolution
        ``u1 = d1 + beta S`` and ``u2 = d2 + (1 - beta) S``, ``nan`` where ``S < 0``.

    Raises
    ------
    ParameterError
        If a disagreement payoff is not finite, ``beta`` is outside ``[0, 1]`` or
        ``total`` is negative.

    Examples
    --------
    >>> s = nash_bargaining_solution(0.2, 0.3)
    >>> round(s.u1, 12), round(s.u2, 12)
    (0.45, 0.55)
    """
    d1 = check_range("d1", d1, -np.inf, np.inf)
    d2 = check_range("d2", d2, -np.inf, np.inf)
    b = _beta(beta)
    total = check_range("total", total, 0.0, np.inf)
    surplus = total - d1 - d2
    ok = surplus >= 0
    return NashSolution(
        _out(np.where(ok, d1 + b * surplus, np.nan)),
        _out(np.where(ok, d2 + (1.0 - b) * surplus, np.nan)),
    )




def nash_bargaining_on_frontier(
    frontier: Callable[[float], float],
    d1: float,
    d2: float,
    beta: float = 0.5,
    u1_range: tuple[float, float] = (0.0, 1.0),
) -> NashSolution:
    """Nash solution on a frontier ``u2 = frontier(u1)``, decreasing on ``u1_range``.

    The feasible part ``u1 >= d1``, ``frontier(u1) >= d2`` is found by root finding and
    the log Nash product maximised by bounded scalar minimisation (Brent); the answer is
    unique when the frontier is concave (a convex feasible set).

    Parameters
    ----------
    frontier : callable
        ``u2 = frontier(u1)``, a float function decreasing on ``u1_range``.
    d1, d2 : float
        Disagreement payoffs.
    beta : float
        Player 1's bargaining power in ``[0, 1]``.
    u1_range : tuple of float
        The interval ``(low, high)`` of player 1's payoffs on which the frontier is
        defined, ``low < high``.

    Returns
    -------
    NashSolution
        ``(u1, frontier(u1))`` at the maximum of the Nash product, as floats; ``nan``
        when no point of the frontier gives both players their disagreement payoffs.

    Raises
    ------
    ParameterError
        If ``beta`` is outside ``[0, 1]``.
    ValueError
        If ``u1_range`` is not an interval with ``low < high``.

    Examples
    --------
    >>> s = nash_bargaining_on_frontier(lambda u: 1 - u * u, 0.0, 0.0)
    >>> round(s.u1, 6), round(s.u2, 6)
    (0.57735, 0.666667)
    """
    d1, d2 = float(d1), float(d2)
    b = float(_beta(beta))
    lo, hi = (float(v) for v in u1_range)
    if not lo < hi:
        raise ValueError(f"u1_range = {u1_range!r} must be an interval (low, high) with low < high")
    left = max(lo, d1)
    if left > hi or frontier(left) < d2:
        return NashSolution(np.nan, np.nan)
    right = hi
    if frontier(hi) < d2:
        right = optimize.brentq(lambda u: frontier(u) - d2, left, hi, xtol=1e-14)
    if b == 1.0 or right == left:
        u1 = right
    elif b == 0.0:
        u1 = left
    else:

        def negative_log_product(u: float) -> float:
            gap1, gap2 = u - d1, frontier(u) - d2
            if gap1 <= 0 or gap2 <= 0:
                return np.inf
            return -(b * np.log(gap1) + (1.0 - b) * np.log(gap2))

        # Brent's bounded search is accurate relative to the size of its variable, so search
        # the distance from each end of the interval: an optimum near a corner (beta near 0
        # or 1) is then found to ~1e-12 of that corner, not to sqrt(eps) of u1.
        width = right - left
        from_left = optimize.minimize_scalar(
            lambda y: negative_log_product(left + y),
            bounds=(0.0, width),
            method="bounded",
            options={"xatol": 1e-14},
        )
        from_right = optimize.minimize_scalar(
            lambda y: negative_log_product(right - y),
            bounds=(0.0, width),
            method="bounded",
            options={"xatol": 1e-14},
        )
        if from_left.fun <= from_right.fun:
            u1 = float(left + from_left.x)
        else:
            u1 = float(right - from_right.x)
    return NashSolution(float(u1), float(frontier(u1)))


def _pareto_hull(points: np.ndarray) -> np.ndarray:
    """Vertices of the Pareto frontier of the convex hull, by increasing ``u1``."""
    order = np.lexsort((points[:, 1], points[:, 0]))
    pts = points[order]
    hull: list[np.ndarray] = []
    for point in pts:  # upper hull by the monotone chain (Andrew 1979)
        while len(hull) >= 2:
            (x1, y1), (x2, y2) = hull[-2], hull[-1]
            if (x2 - x1) * (point[1] - y1) - (y2 - y1) * (point[0] - x1) >= 0:
                hull.pop()
            else:
                break
        hull.append(point)
    upper = np.array(hull)
    top = int(np.flatnonzero(upper[:, 1] == upper[:, 1].max())[-1])
    return upper[top:]


def nash_bargaining_on_points(points: Any, d1: float, d2: float, beta: float = 0.5) -> NashSolution:
    """Nash solution when the feasible set is the convex hull of ``points`` (exact).

    The Pareto frontier of the hull is piecewise linear; on a segment ``A + t (B - A)``
    the log Nash product is concave in ``t`` with stationary point
    ``t* = -(beta D1 e2 + (1 - beta) D2 e1) / (D1 D2)`` (``D = B - A``, ``e = A - d``),
    clipped to where both players gain. The best segment wins.

    Parameters
    ----------
    points : array of shape (n, 2)
        Feasible payoff pairs (lotteries over them are feasible too).
    d1, d2 : float
        Disagreement payoffs.
    beta : float
        Player 1's bargaining power in ``[0, 1]``.

    Returns
    -------
    NashSolution
        The solution as floats, ``nan`` when no feasible point gives both players at least
        their disagreement payoffs. Among points with equal Nash products the one with the
        largest ``u1 + u2`` is returned.

    Raises
    ------
    ParameterError
        If ``beta`` is outside ``[0, 1]``.
    ValueError
        If ``points`` is empty, not of shape ``(n, 2)`` or has non-finite entries.

    Examples
    --------
    >>> s = nash_bargaining_on_points([[0, 1], [1, 0], [0, 0]], 0.2, 0.3)
    >>> round(s.u1, 12), round(s.u2, 12)
    (0.45, 0.55)
    """
    pts = np.asarray(points, dtype=float)
    if pts.ndim != 2 or pts.shape[1] != 2 or len(pts) == 0 or not np.all(np.isfinite(pts)):
        raise ValueError("points must be a non-empty array of finite (u1, u2) pairs, shape (n, 2)")
    b = float(_beta(beta))
    d1, d2 = float(d1), float(d2)
    frontier = _pareto_hull(pts)
    # Every candidate is stored as its gains (u1 - d1, u2 - d2), computed without cancellation:
    # at a segment's stationary point the gains are beta (e1 D2 - D1 e2) / D2 and
    # (1 - beta) (e2 D1 - D2 e1) / D1, which stay positive however small beta or 1 - beta is.
    gains = [frontier - [d1, d2]]
    if len(frontier) > 1:
        a, z = frontier[:-1], frontier[1:]
        delta = z - a
        e1, e2 = a[:, 0] - d1, a[:, 1] - d2
        denominator = delta[:, 0] * delta[:, 1]  # < 0: u1 rises, u2 falls along the frontier
        t_star = -(b * delta[:, 0] * e2 + (1.0 - b) * delta[:, 1] * e1) / denominator
        # Keep u1 >= d1 and u2 >= d2 on the segment: bounds on t from each coordinate.
        t_low = np.maximum(0.0, -e1 / delta[:, 0])
        t_high = np.minimum(1.0, -e2 / delta[:, 1])
        usable = t_low <= t_high  # else no point of the segment gives both their d
        t = np.clip(t_star, t_low, t_high)
        interior = usable & (t_star >= t_low) & (t_star <= t_high)
        cross = e1 * delta[:, 1] - delta[:, 0] * e2
        stationary = np.column_stack([b * cross / delta[:, 1], -(1.0 - b) * cross / delta[:, 0]])
        clipped = np.column_stack([e1, e2]) + t[:, None] * delta
        gains.append(np.where(interior[:, None], stationary, clipped)[usable])
    gain = np.vstack(gains)
    # Segment points computed from t may miss the disagreement level by rounding.
    slack = 1e-12 * max(1.0, float(np.abs(pts).max()), abs(d1), abs(d2))
    feasible = np.all(gain >= -slack, axis=1)
    if not np.any(feasible):
        return NashSolution(np.nan, np.nan)
    gain = np.maximum(gain[feasible], 0.0)
    value = _log_nash_product(gain[:, 0], gain[:, 1], b)
    # Among equal products (e.g. beta = 1 on a flat piece) prefer the Pareto-better point.
    best = np.flatnonzero(value >= value.max() - 1e-12 * max(1.0, abs(float(value.max()))))
    if not np.isfinite(value.max()):
        best = np.arange(len(gain))
    pick = best[np.argmax(gain[best].sum(axis=1))]
    return NashSolution(float(d1 + gain[pick, 0]), float(d2 + gain[pick, 1]))


def _log_nash_product(g1: np.ndarray, g2: np.ndarray, beta: float) -> np.ndarray:
    """``beta log g1 + (1 - beta) log g2`` with ``0 log 0 = 0`` (a zero weight ignores a gain)."""
    with np.errstate(divide="ignore"):
        return special.xlogy(beta, g1) + special.xlogy(1.0 - beta, g2)


def bargaining_power(delta_1: Number, delta_2: Number) -> Any:
    """Player 1's Nash bargaining power implied by relative impatience.

    As the time between offers shrinks, Rubinstein's split converges to the asymmetric
    Nash solution with ``beta = ln d2 / (ln d1 + ln d2)`` (Binmore, Rubinstein &
    Wolinsky 1986): the more patient player has more power.

    Parameters
    ----------
    delta_1, delta_2 : float or array
        Discount factors of players 1 and 2, in the open interval ``(0, 1)``.

    Returns
    -------
    float or ndarray
        ``beta`` in ``(0, 1)``, player 1's power (player 2's is ``1 - beta``).

    Raises
    ------
    ParameterError
        If a discount factor is outside ``(0, 1)``.

    Examples
    --------
    >>> bargaining_power(0.9, 0.9)
    0.5
    >>> round(bargaining_power(0.95, 0.9), 4)
    0.6726
    """
    d1 = check_range("delta_1", delta_1, 0.0, 1.0, low_open=True, high_open=True)
    d2 = check_range("delta_2", delta_2, 0.0, 1.0, low_open=True, high_open=True)
    return _out(np.log(d2) / (np.log(d1) + np.log(d2)))


# ---------------------------------------------------------------------- domain adapters
@dataclass(frozen=True)
class SettlementSplit:
    """A division of the stake between Russia and Ukraine.

    Attributes
    ----------
    russia_share : float
        Russia's share ``1 - x``.
    ukraine_share : float
        Ukraine's share, i.e. its Western alignment ``x``.
    solution : Split or NashSolution
        The underlying solution, with player 1 as named by the adapter.
    """

    russia_share: float
    ukraine_share: float
    solution: Any


def _war_payoffs(model: NegotiationModel) -> tuple[float, float]:
    p = model.win_probability()
    burden = model.russia.sanctions_cost * model.west.western_cohesion
    return p - model.russia.war_cost - burden, 1.0 - p - model.ukraine.war_cost


def alternating_offers_from_model(
    model: NegotiationModel, proposer: Literal["russia", "ukraine"] = "russia"
) -> SettlementSplit:
    """Rubinstein bargaining between Russia and Ukraine with war as the outside option.

    Reads ``russia.discount_factor``, ``ukraine.discount_factor`` and the war payoffs
    under complete information, clipped at 0: Russia ``p - c_R - sanctions_cost *
    western_cohesion``, Ukraine ``1 - p - c_U`` with ``p = model.win_probability()``
    (the status premium and optimism live in :mod:`simulator.model.published.bargaining`).

    Parameters
    ----------
    model : NegotiationModel
        The model whose actors' discount factors and war payoffs are read.
    proposer : {"russia", "ukraine"}
        Who proposes first (player 1 of :func:`outside_option_shares`).

    Returns
    -------
    SettlementSplit
        Russia's and Ukraine's shares, with the :class:`OutsideOptionSplit` in
        ``solution`` (its player 1 is ``proposer``).

    Raises
    ------
    ValueError
        If ``proposer`` is neither ``"russia"`` nor ``"ukraine"``, if the war payoffs sum
        to more than 1, or if both discount factors are 1.

    Examples
    --------
    >>> from simulator.model import NegotiationModel
    >>> s = alternating_offers_from_model(NegotiationModel())
    >>> round(s.russia_share, 4), round(s.ukraine_share, 4), s.solution.option_2_binds
    (0.5128, 0.4872, False)
    """
    if proposer not in ("russia", "ukraine"):
        raise ValueError(f"proposer = {proposer!r}; choose 'russia' or 'ukraine'")
    war_r, war_u = (max(0.0, w) for w in _war_payoffs(model))
    d_r, d_u = model.russia.discount_factor, model.ukraine.discount_factor
    if proposer == "russia":
        split = outside_option_shares(d_r, d_u, war_r, war_u)
        return SettlementSplit(split.proposer_share, split.responder_share, split)
    split = outside_option_shares(d_u, d_r, war_u, war_r)
    return SettlementSplit(split.responder_share, split.proposer_share, split)


def nash_settlement_from_model(
    model: NegotiationModel, beta: float | None = None
) -> SettlementSplit:
    """The Nash bargaining settlement with war as the disagreement point.

    Player 1 is Russia. Reads the war payoffs described in
    :func:`alternating_offers_from_model` as ``(d1, d2)`` and, unless ``beta`` is given,
    Russia's bargaining power :func:`bargaining_power` from ``russia.discount_factor`` and
    ``ukraine.discount_factor``. Shares are ``nan`` when war is better for both.

    Parameters
    ----------
    model : NegotiationModel
        The model whose war payoffs and discount factors are read. Unlike
        :func:`alternating_offers_from_model` the war payoffs are not clipped at 0.
    beta : float, optional
        Russia's bargaining power in ``[0, 1]``; by default :func:`bargaining_power` of
        the two discount factors.

    Returns
    -------
    SettlementSplit
        Russia's share ``u1`` and Ukraine's ``u2`` (``nan`` when war is better for both),
        with the :class:`NashSolution` in ``solution``.

    Raises
    ------
    ParameterError
        If ``beta`` is outside ``[0, 1]``, or (``beta`` not given) a discount factor is
        outside ``(0, 1)``.

    Examples
    --------
    >>> from simulator.model import NegotiationModel
    >>> s = nash_settlement_from_model(NegotiationModel())
    >>> round(s.russia_share, 4), round(s.ukraine_share, 4)
    (0.475, 0.525)
    """
    war_r, war_u = _war_payoffs(model)
    if beta is None:
        beta = bargaining_power(model.russia.discount_factor, model.ukraine.discount_factor)
    solution = nash_bargaining_solution(war_r, war_u, beta)
    return SettlementSplit(solution.u1, solution.u2, solution)
