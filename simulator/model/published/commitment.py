"""War as a commitment problem: a shift in power makes any deal struck now non-credible.

R. Powell, "War as a commitment problem", *International Organization* 60(1), 2006,
169-203. When one side's power will grow, it cannot credibly promise not to use its
future strength to revise today's deal, and the side in decline cannot be compensated
enough today: the most it can get now is the whole current stake. If the shift is
large and fast relative to the costs of war, the declining side prefers to fight while
it still can (preventive war). This expresses claim 5 of the mission ("shifts in power
make deals non-credible"): a pause that lets Russia regroup raises its future win
probability; neutrality and demilitarisation shift future power too; Western security
guarantees of strength ``G`` neutralise the share ``G`` of the shift.

The two-phase game solved here (derived for this project in Powell's setup). A stake
of 1 is divided every period. The rising side R wins a war with probability ``p0`` today
and ``p1`` in every later period. Each period the declining side D offers R a share in
``[0, 1]``; R accepts or fights. War ends the game: the winner takes the stake in every
period from then on, and each side pays a one-off cost (``c_D``, ``c_R``, in units of one
period's stake). Payoffs are discounted sums. Backward induction:

* later, D offers ``y1 = max(0, p1 - (1 - delta_R) c_R)`` per period, R's war value;
* today R needs ``x0 >= W_R0 - delta_R y1 / (1 - delta_R)`` with
  ``W_R0 = p0 / (1 - delta_R) - c_R``; D's best peaceful offer is ``max(0, x0)``;
* war happens iff R cannot be bought off with the whole stake (``x0 > 1``) or D's war
  payoff ``(1 - p0)/(1 - delta_D) - c_D`` beats the best peace.

With a common discount factor and a shift in R's favour (``p1 >= p0``) this gives
(``docs/models/commitment.md``)::

    war  iff  delta * p1 - p0 > (1 - delta) * (c_D + delta * c_R).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from simulator.model.parameters import check_range

if TYPE_CHECKING:
    from simulator.model.negotiation import NegotiationModel
    from simulator.model.offers import Offer

__all__ = [
    "CommitmentOutcome",
    "commitment_problem",
    "powell_war_condition",
    "shrunk_shift",
    "minimum_guarantee",
    "minimum_guarantee_closed_form",
    "commitment_from_model",
]

Number = Any  # a float or a numpy array of floats (arguments broadcast)

#: Bisection steps for :func:`minimum_guarantee` (interval width 2**-60).
_BISECTION_STEPS = 60

#: Relative size of a payoff difference treated as a tie; ties go to peace. Without
#: costs of war a side is exactly indifferent in many cases, which rounding would
#: otherwise decide at random.
_TIE = 1e-12


def _out(array: Any) -> Any:
    array = np.asarray(array)
    return array.item() if array.ndim == 0 else array


@dataclass(frozen=True)
class CommitmentOutcome:
    """The subgame-perfect outcome of the two-phase commitment game.

    Attributes
    ----------
    war : bool or ndarray
        Whether war happens today.
    declining_attacks : bool or ndarray
        D prefers preventive war to the best deal R accepts.
    rising_attacks : bool or ndarray
        R cannot be bought off even with the whole current stake.
    offer_now, offer_later : float or ndarray
        R's share today and in every later period on the peaceful path (``nan`` if war).
    declining_payoff, rising_payoff : float or ndarray
        Discounted payoffs (sums of per-period shares minus costs).
    declining_war_payoff : float or ndarray
        D's payoff from war today, ``(1 - p0) / (1 - delta_D) - c_D``.
    declining_peace_payoff : float or ndarray
        D's payoff from its best offer that R accepts (``nan`` when R attacks anyway);
        war minus this is how far D is from preferring preventive war.
    rising_reservation : float or ndarray
        The share of today's stake R needs to keep the peace (above 1: R attacks).
    effective_p_future : float or ndarray
        ``p0 + (1 - G)(p1 - p0)``, R's future win probability after the guarantees.
    powell_margin : float or ndarray
        ``delta_D p1 - p0 - (1 - delta_D) c_D - delta_D (1 - delta_R) c_R`` with the
        effective ``p1``; positive means D strictly prefers war to offering nothing today.
    """

    war: Any
    declining_attacks: Any
    rising_attacks: Any
    offer_now: Any
    offer_later: Any
    declining_payoff: Any
    rising_payoff: Any
    declining_war_payoff: Any
    declining_peace_payoff: Any
    rising_reservation: Any
    effective_p_future: Any
    powell_margin: Any


def shrunk_shift(p_now: Number, p_future: Number, guarantee: Number) -> Any:
    """R's future win probability when guarantees of strength ``G`` absorb part of the shift.

    ``p0 + (1 - G) (p1 - p0)``: the shift shrinks to ``(1 - G)`` times its size.

    Parameters
    ----------
    p_now, p_future : float or array
        R's win probability today (``p0``) and later without guarantees (``p1``), in
        ``[0, 1]``.
    guarantee : float or array
        Strength ``G`` in ``[0, 1]`` of the guarantees.

    Returns
    -------
    float or numpy.ndarray
        R's effective future win probability, between ``p0`` and ``p1``.

    Raises
    ------
    ParameterError
        If an argument is outside ``[0, 1]``.

    Examples
    --------
    >>> round(shrunk_shift(0.3, 0.5, 0.5), 12)
    0.4
    """
    p0 = check_range("p_now", p_now, 0.0, 1.0)
    p1 = check_range("p_future", p_future, 0.0, 1.0)
    g = check_range("guarantee", guarantee, 0.0, 1.0)
    return _out(p0 + (1.0 - g) * (p1 - p0))


def powell_war_condition(
    p_now: Number, p_future: Number, cost_declining: Number, cost_rising: Number, delta: Number
) -> Any:
    """The closed-form war condition ``delta p1 - p0 > (1 - delta)(c_D + delta c_R)``.

    Exact for the game of :func:`commitment_problem` with a common discount factor
    whenever ``p1 >= p0`` (R rising). For ``p1 < p0`` war can also come from R, which
    this condition ignores; use :func:`commitment_problem`.

    Parameters
    ----------
    p_now, p_future : float or array
        The rising side's win probability today (``p0``) and later (``p1``), in ``[0, 1]``.
    cost_declining, cost_rising : float or array
        One-off costs of war ``c_D``, ``c_R >= 0``, in units of one period's stake.
    delta : float or array
        The common discount factor, in ``[0, 1)``.

    Returns
    -------
    bool or numpy.ndarray of bool
        Whether the declining side strictly prefers preventive war.

    Raises
    ------
    ParameterError
        If an argument is outside its range above.

    Examples
    --------
    >>> powell_war_condition(0.3, 0.5, 0.05, 0.05, 0.9)
    True
    >>> powell_war_condition(0.3, 0.32, 0.05, 0.05, 0.9)
    False
    """
    p0 = check_range("p_now", p_now, 0.0, 1.0)
    p1 = check_range("p_future", p_future, 0.0, 1.0)
    c_d = check_range("cost_declining", cost_declining, 0.0, np.inf)
    c_r = check_range("cost_rising", cost_rising, 0.0, np.inf)
    d = check_range("delta", delta, 0.0, 1.0, high_open=True)
    return _out(d * p1 - p0 > (1.0 - d) * (c_d + d * c_r))


def _solve(
    p0: np.ndarray,
    p1: np.ndarray,
    c_d: np.ndarray,
    c_r: np.ndarray,
    d_d: np.ndarray,
    d_r: np.ndarray,
) -> dict[str, np.ndarray]:
    y1 = np.maximum(0.0, p1 - (1.0 - d_r) * c_r)
    later_r = y1 / (1.0 - d_r)
    later_d = (1.0 - y1) / (1.0 - d_d)
    war_r = p0 / (1.0 - d_r) - c_r
    war_d = (1.0 - p0) / (1.0 - d_d) - c_d
    needed = war_r - d_r * later_r  # R's reservation share today
    rising_attacks = needed > 1.0 + _TIE * (1.0 / (1.0 - d_r) + c_r)
    x0 = np.clip(needed, 0.0, 1.0)
    peace_d = 1.0 - x0 + d_d * later_d
    declining_attacks = ~rising_attacks & (war_d > peace_d + _TIE * (1.0 / (1.0 - d_d) + c_d))
    war = rising_attacks | declining_attacks
    margin = d_d * p1 - p0 - (1.0 - d_d) * c_d - d_d * (1.0 - d_r) * c_r
    return {
        "war": war,
        "declining_attacks": declining_attacks,
        "rising_attacks": rising_attacks,
        "offer_now": np.where(war, np.nan, x0),
        "offer_later": np.where(war, np.nan, y1),
        "declining_payoff": np.where(war, war_d, peace_d),
        "rising_payoff": np.where(war, war_r, x0 + d_r * later_r),
        "declining_war_payoff": war_d,
        "declining_peace_payoff": np.where(rising_attacks, np.nan, peace_d),
        "rising_reservation": needed,
        "powell_margin": margin,
    }


def _validated(
    p_now: Number,
    p_future: Number,
    cost_declining: Number,
    cost_rising: Number,
    delta: Number,
    delta_rising: Number | None,
) -> tuple[np.ndarray, ...]:
    p0 = check_range("p_now", p_now, 0.0, 1.0)
    p1 = check_range("p_future", p_future, 0.0, 1.0)
    c_d = check_range("cost_declining", cost_declining, 0.0, np.inf)
    c_r = check_range("cost_rising", cost_rising, 0.0, np.inf)
    d_d = check_range("delta", delta, 0.0, 1.0, high_open=True)
    d_r = (
        d_d
        if delta_rising is None
        else check_range("delta_rising", delta_rising, 0, 1, high_open=True)
    )
    return p0, p1, c_d, c_r, d_d, d_r


def commitment_problem(
    p_now: Number,
    p_future: Number,
    cost_declining: Number,
    cost_rising: Number,
    delta: Number,
    delta_rising: Number | None = None,
    guarantee: Number = 0.0,
) -> CommitmentOutcome:
    """Solve the two-phase commitment game of the module docstring by backward induction.

    Parameters
    ----------
    p_now, p_future : float or array
        The rising side's win probability today (``p0``) and later (``p1``), in ``[0, 1]``.
    cost_declining, cost_rising : float or array
        One-off costs of war ``c_D``, ``c_R >= 0``, in units of one period's stake.
    delta : float or array
        The declining side's discount factor, in ``[0, 1)``; also the rising side's unless
        ``delta_rising`` is given.
    delta_rising : float or array, optional
        The rising side's discount factor, in ``[0, 1)``.
    guarantee : float or array
        Strength ``G`` in ``[0, 1]`` of security guarantees: the shift shrinks to
        ``(1 - G)(p1 - p0)``.

    Returns
    -------
    CommitmentOutcome

    Notes
    -----
    With different discount factors war can also arise without any shift in power's
    favour being decisive: the lottery of war is valued differently by the two sides.
    The condition is then ``(p0 - y1)(delta_R/(1 - delta_R) - delta_D/(1 - delta_D)) >
    c_D + c_R`` besides the two in the module docstring; :func:`commitment_problem`
    covers all of them exactly.

    Examples
    --------
    >>> r = commitment_problem(0.3, 0.5, 0.05, 0.05, 0.9)
    >>> r.war, r.declining_attacks
    (True, True)
    >>> commitment_problem(0.3, 0.5, 0.05, 0.05, 0.9, guarantee=0.8).war
    False
    """
    p0, p1, c_d, c_r, d_d, d_r = _validated(
        p_now, p_future, cost_declining, cost_rising, delta, delta_rising
    )
    g = check_range("guarantee", guarantee, 0.0, 1.0)
    p1e = p0 + (1.0 - g) * (p1 - p0)
    solved = _solve(p0, p1e, c_d, c_r, d_d, d_r)
    return CommitmentOutcome(
        effective_p_future=_out(p1e), **{key: _out(value) for key, value in solved.items()}
    )


def minimum_guarantee_closed_form(
    p_now: Number, p_future: Number, cost_declining: Number, cost_rising: Number, delta: Number
) -> Any:
    """Smallest guarantee strength restoring peace, common discount factor (derived here).

    For ``p1 > p0``, peace needs ``delta (p0 + (1 - G)(p1 - p0)) - p0 <= K`` with
    ``K = (1 - delta)(c_D + delta c_R)``, so

    ``G* = max(0, 1 - (K + (1 - delta) p0) / (delta (p1 - p0)))``,

    and ``G* = 0`` when ``p1 <= p0`` (the Powell condition then never holds; the side
    losing power may still attack, which :func:`minimum_guarantee` accounts for).

    Parameters
    ----------
    p_now, p_future : float or array
        The rising side's win probability today (``p0``) and later (``p1``), in ``[0, 1]``.
    cost_declining, cost_rising : float or array
        One-off costs of war ``c_D``, ``c_R >= 0``, in units of one period's stake.
    delta : float or array
        The common discount factor, in ``[0, 1)``.

    Returns
    -------
    float or numpy.ndarray
        ``G*`` in ``[0, 1]``.

    Raises
    ------
    ParameterError
        If an argument is outside its range above.

    Examples
    --------
    >>> round(minimum_guarantee_closed_form(0.3, 0.5, 0.05, 0.05, 0.9), 6)
    0.780556
    """
    p0 = check_range("p_now", p_now, 0.0, 1.0)
    p1 = check_range("p_future", p_future, 0.0, 1.0)
    c_d = check_range("cost_declining", cost_declining, 0.0, np.inf)
    c_r = check_range("cost_rising", cost_rising, 0.0, np.inf)
    d = check_range("delta", delta, 0.0, 1.0, high_open=True)
    shift = p1 - p0
    slack = (1.0 - d) * (c_d + d * c_r) + (1.0 - d) * p0
    rising = (shift > 0) & (d > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        needed = 1.0 - slack / np.where(rising, d * shift, 1.0)
    return _out(np.where(rising, np.clip(needed, 0.0, 1.0), 0.0))


def minimum_guarantee(
    p_now: Number,
    p_future: Number,
    cost_declining: Number,
    cost_rising: Number,
    delta: Number,
    delta_rising: Number | None = None,
) -> Any:
    """Smallest guarantee strength ``G`` in ``[0, 1]`` for which the game ends in peace.

    War is monotone in ``G`` (every war condition weakens as the shift shrinks), so the
    peaceful strengths form an interval ``[G*, 1]``; ``G*`` is found by bisection on the
    exact solution of :func:`commitment_problem` to within ``2**-60``. With a common
    discount factor it equals :func:`minimum_guarantee_closed_form` for ``p1 >= p0``.
    Guarantees of full strength (``G = 1``: no shift) always give peace.

    Parameters
    ----------
    p_now, p_future : float or array
        The rising side's win probability today (``p0``) and later (``p1``), in ``[0, 1]``.
    cost_declining, cost_rising : float or array
        One-off costs of war ``c_D``, ``c_R >= 0``, in units of one period's stake.
    delta : float or array
        The declining side's discount factor, in ``[0, 1)``; also the rising side's unless
        ``delta_rising`` is given.
    delta_rising : float or array, optional
        The rising side's discount factor, in ``[0, 1)``.

    Returns
    -------
    float or numpy.ndarray
        ``G*`` in ``[0, 1]`` (``0.0`` when the game is peaceful without guarantees; ``nan``
        where even ``G = 1`` would leave war, which the module's game does not produce).

    Raises
    ------
    ParameterError
        If an argument is outside its range above.

    Examples
    --------
    >>> round(minimum_guarantee(0.3, 0.5, 0.05, 0.05, 0.9), 6)
    0.780556
    >>> minimum_guarantee(0.3, 0.32, 0.05, 0.05, 0.9)
    0.0
    """
    p0, p1, c_d, c_r, d_d, d_r = _validated(
        p_now, p_future, cost_declining, cost_rising, delta, delta_rising
    )
    p0, p1, c_d, c_r, d_d, d_r = np.broadcast_arrays(p0, p1, c_d, c_r, d_d, d_r)

    def war_at(g: np.ndarray) -> np.ndarray:
        return _solve(p0, p0 + (1.0 - g) * (p1 - p0), c_d, c_r, d_d, d_r)["war"]

    low = np.zeros(p0.shape)
    high = np.ones(p0.shape)
    for _ in range(_BISECTION_STEPS):
        middle = 0.5 * (low + high)
        at_war = war_at(middle)
        low = np.where(at_war, middle, low)
        high = np.where(at_war, high, middle)
    answer = np.where(war_at(np.zeros(p0.shape)), high, 0.0)
    return _out(np.where(war_at(np.ones(p0.shape)), np.nan, answer))


def commitment_from_model(
    model: NegotiationModel, offer: Offer | None, p_future: float
) -> CommitmentOutcome:
    """The commitment game for a :class:`NegotiationModel`, Russia as the rising side.

    A pause or a deal lets Russia's win probability move from ``model.win_probability()``
    to ``p_future`` (e.g. after regrouping, or after Ukraine's demilitarisation). Reads
    ``ukraine.war_cost`` (``c_D``), ``russia.war_cost`` (``c_R``),
    ``ukraine.discount_factor`` (``delta``), ``russia.discount_factor``
    (``delta_rising``), and for the offer ``offer.security_guarantees *
    west.security_guarantee_credibility`` as the guarantee strength ``G`` (none when
    ``offer`` is ``None``). Sanctions do not enter: they are not a cost of war here.

    Parameters
    ----------
    model : NegotiationModel
        The model whose costs of war, discount factors and guarantee credibility are read.
    offer : Offer or None
        The deal whose ``security_guarantees`` set ``G``; ``None`` for no guarantees.
    p_future : float
        Russia's win probability after the shift, in ``[0, 1]``.

    Returns
    -------
    CommitmentOutcome
        :func:`commitment_problem` of those parameters.

    Raises
    ------
    ParameterError
        If ``p_future`` is outside ``[0, 1]``.

    Examples
    --------
    >>> from simulator.model import NegotiationModel, Offer
    >>> model = NegotiationModel()
    >>> commitment_from_model(model, None, p_future=0.7).war
    True
    >>> commitment_from_model(model, Offer.neutrality_for_guarantees(0.9), p_future=0.7).war
    False
    """
    p_future = float(check_range("p_future", p_future, 0.0, 1.0))
    strength = 0.0
    if offer is not None:
        strength = offer.security_guarantees * model.west.security_guarantee_credibility
    return commitment_problem(
        p_now=model.win_probability(),
        p_future=p_future,
        cost_declining=model.ukraine.war_cost,
        cost_rising=model.russia.war_cost,
        delta=model.ukraine.discount_factor,
        delta_rising=model.russia.discount_factor,
        guarantee=strength,
    )
