"""Crisis bargaining: the bargaining range, private information and a status premium.

Fearon's rationalist account of war (J. D. Fearon, "Rationalist explanations for war",
*International Organization* 49(3), 1995, 379-414): because war is costly, a range of
peaceful settlements that both sides prefer to fighting always exists under complete
information; war needs private information (with an incentive to misrepresent), a
commitment problem (:mod:`simulator.model.published.commitment`) or an indivisible issue.

This module gives

* :func:`bargaining_range` -- the range ``[p - c_A, p + c_B]`` of shares for side A;
* :func:`take_it_or_leave_it` -- the risk-return trade-off when the proposer does not
  know the receiver's cost of war (Fearon 1995, section on private information): a
  higher demand pays more if accepted but is rejected, and war follows, more often;
* :func:`status_settlements` -- Russia's great-power status premium for keeping Ukraine
  inside its sphere (alignment ``x <= x_dom``). It expresses claim 3 of the mission
  ("status makes true neutrality unacceptable"): a large premium, or Russian optimism,
  empties the set of settlements beyond the dominance threshold, and the sanctions
  burden, scaled by Western cohesion, reopens it. The premium acts like Fearon's issue
  indivisibility.

Notation (``docs/models/bargaining.md``): ``x`` in ``[0, 1]`` is Ukraine's Western
alignment, Russia's share is ``1 - x``; ``p`` is the probability that Russia prevails.
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
    "BargainingRange",
    "TakeItOrLeaveIt",
    "StatusSettlements",
    "bargaining_range",
    "proposer_expected_utility",
    "take_it_or_leave_it",
    "russia_war_payoff",
    "status_settlements",
    "status_premium_threshold",
    "sanctions_to_reopen",
    "bargaining_range_from_model",
    "offer_beats_war",
]

Number = Any  # a float or a numpy array of floats (arguments broadcast)


def _out(array: np.ndarray) -> Any:
    """A Python scalar for 0-d results, the array otherwise."""
    array = np.asarray(array)
    return array.item() if array.ndim == 0 else array


# ---------------------------------------------------------------------- Fearon's range
@dataclass(frozen=True)
class BargainingRange:
    """Shares for side A that both sides weakly prefer to war.

    Attributes
    ----------
    low, high : float or ndarray
        The range is ``[low, high]`` (clipped to the feasible shares ``[0, 1]``).
    """

    low: Any
    high: Any

    @property
    def width(self) -> Any:
        """``high - low``: the surplus that war would destroy, within ``[0, 1]``."""
        return _out(np.asarray(self.high) - np.asarray(self.low))


def bargaining_range(p: Number, cost_a: Number, cost_b: Number) -> BargainingRange:
    """The bargaining range of Fearon (1995): ``[p - c_A, p + c_B]`` for A's share.

    War gives A the expected share ``p - c_A`` and B ``1 - p - c_B``; a split giving A the
    share ``y`` is preferred by A iff ``y >= p - c_A`` and by B iff ``1 - y >= 1 - p - c_B``.

    Parameters
    ----------
    p : float or array
        Probability that A prevails in war, in ``[0, 1]``.
    cost_a, cost_b : float or array
        Costs of war to A and B, in shares of the stake, ``>= 0``.

    Returns
    -------
    BargainingRange
        Bounds clipped to ``[0, 1]``; never empty since costs are non-negative.

    Examples
    --------
    >>> r = bargaining_range(0.6, 0.1, 0.15)
    >>> round(r.low, 12), round(r.high, 12)
    (0.5, 0.75)
    """
    p = check_range("p", p, 0.0, 1.0)
    cost_a = check_range("cost_a", cost_a, 0.0, np.inf)
    cost_b = check_range("cost_b", cost_b, 0.0, np.inf)
    return BargainingRange(_out(np.maximum(0.0, p - cost_a)), _out(np.minimum(1.0, p + cost_b)))


# ---------------------------------------------------------------------- private information
@dataclass(frozen=True)
class TakeItOrLeaveIt:
    """The proposer's optimal take-it-or-leave-it demand under uncertainty about the receiver.

    Attributes
    ----------
    demand : float or ndarray
        The proposer's optimal share.
    war_probability : float or ndarray
        Probability that the receiver rejects (and war follows).
    expected_utility : float or ndarray
        The proposer's expected payoff at the optimal demand.
    """

    demand: Any
    war_probability: Any
    expected_utility: Any


def proposer_expected_utility(
    demand: Number, p: Number, cost_proposer: Number, cost_max: Number
) -> Any:
    """Expected payoff of demanding the share ``demand`` against a receiver of unknown cost.

    The receiver's cost of war is uniform on ``[0, c_bar]``; it accepts iff
    ``1 - demand >= 1 - p - c``, i.e. iff ``c >= demand - p``. Rejection means war, worth
    ``p - c_A`` to the proposer.

    Parameters
    ----------
    demand : float or array
        The share the proposer demands, in ``[0, 1]``.
    p : float or array
        Proposer's probability of winning the war, in ``[0, 1]``.
    cost_proposer : float or array
        Proposer's cost of war ``c_A >= 0``.
    cost_max : float or array
        Upper end ``c_bar >= 0`` of the receiver's uniform cost distribution.

    Returns
    -------
    float or numpy.ndarray
        ``P(accept) demand + (1 - P(accept)) (p - c_A)``.

    Raises
    ------
    ParameterError
        If ``demand`` or ``p`` is outside ``[0, 1]`` or a cost is negative.

    Examples
    --------
    >>> round(proposer_expected_utility(0.65, 0.5, 0.1, 0.4), 6)
    0.55625
    """
    demand = check_range("demand", demand, 0.0, 1.0)
    p = check_range("p", p, 0.0, 1.0)
    cost_proposer = check_range("cost_proposer", cost_proposer, 0.0, np.inf)
    cost_max = check_range("cost_max", cost_max, 0.0, np.inf)
    return _out(_tioli_utility(demand, p, cost_proposer, cost_max))


def _acceptance(demand: np.ndarray, p: np.ndarray, cost_max: np.ndarray) -> np.ndarray:
    gap = demand - p
    with np.errstate(divide="ignore", invalid="ignore"):
        interior = 1.0 - gap / cost_max
    return np.where(gap <= 0, 1.0, np.where(cost_max > 0, np.clip(interior, 0.0, 1.0), 0.0))


def _tioli_utility(
    demand: np.ndarray, p: np.ndarray, cost_proposer: np.ndarray, cost_max: np.ndarray
) -> np.ndarray:
    accept = _acceptance(demand, p, cost_max)
    return accept * demand + (1.0 - accept) * (p - cost_proposer)


def take_it_or_leave_it(p: Number, cost_proposer: Number, cost_max: Number) -> TakeItOrLeaveIt:
    """Optimal demand and war risk under private information (Fearon 1995; derived here).

    The proposer (win probability ``p``, cost ``c_A``) demands a share ``x``; the receiver,
    whose cost is uniform on ``[0, c_bar]`` and known only to itself, accepts iff its cost
    is at least ``x - p``. For ``x = p + t`` with ``0 <= t <= c_bar`` the proposer gets

    ``U(t) = (p + t)(1 - t / c_bar) + (p - c_A) t / c_bar = p + t - (t^2 + c_A t) / c_bar``,

    which is concave with maximum at ``t* = (c_bar - c_A) / 2``. Hence, when
    ``c_bar > c_A``, the demand is ``p + (c_bar - c_A) / 2`` and war happens with
    probability ``t* / c_bar = (c_bar - c_A) / (2 c_bar)``: the risk-return trade-off.
    Corner cases: if ``c_bar <= c_A`` the proposer demands ``p``, the most every type
    accepts, and war never happens; if ``p + t* > 1`` the demand is capped at the whole
    stake ``1`` (war probability ``(1 - p) / c_bar``).

    Parameters
    ----------
    p : float or array
        Proposer's probability of winning, in ``[0, 1]``.
    cost_proposer : float or array
        Proposer's cost of war ``c_A >= 0``.
    cost_max : float or array
        Upper end ``c_bar >= 0`` of the receiver's uniform cost distribution.

    Returns
    -------
    TakeItOrLeaveIt
        The optimal demand, the probability of war it brings and the proposer's expected
        payoff.

    Raises
    ------
    ParameterError
        If ``p`` is outside ``[0, 1]`` or a cost is negative.

    Examples
    --------
    >>> r = take_it_or_leave_it(0.5, 0.1, 0.4)
    >>> round(r.demand, 12), round(r.war_probability, 12)
    (0.65, 0.375)
    >>> take_it_or_leave_it(0.5, 0.4, 0.1).war_probability
    0.0
    """
    p = check_range("p", p, 0.0, 1.0)
    cost_proposer = check_range("cost_proposer", cost_proposer, 0.0, np.inf)
    cost_max = check_range("cost_max", cost_max, 0.0, np.inf)
    step = np.minimum(np.maximum(0.0, (cost_max - cost_proposer) / 2.0), 1.0 - p)
    demand = p + step
    war = 1.0 - _acceptance(demand, p, cost_max)
    utility = _tioli_utility(demand, p, cost_proposer, cost_max)
    return TakeItOrLeaveIt(_out(demand), _out(war), _out(utility))


# ---------------------------------------------------------------------- the status premium
@dataclass(frozen=True)
class StatusSettlements:
    """Alignments ``x`` that Russia and Ukraine both weakly prefer to war, with a status premium.

    Under the payoffs of :func:`status_settlements` the set is always one closed interval
    ``[low, high]`` or empty (Russia's utility falls in ``x``, Ukraine's rises), so
    :meth:`intervals` returns at most one interval.

    Attributes
    ----------
    low, high : float or ndarray
        Bounds of the set (``nan`` where it is empty). ``low`` is Ukraine's reservation
        alignment ``max(0, 1 - p - c_U)``; ``high`` is the most Russia concedes.
    nonempty : bool or ndarray
        Whether any peaceful settlement exists.
    within_sphere : bool or ndarray
        Whether a settlement with ``x <= x_dom`` (Russia keeps dominance) exists.
    beyond_dominance : bool or ndarray
        Whether a settlement with ``x > x_dom`` (true neutrality or more) exists.
    russia_war_payoff, ukraine_war_payoff : float or ndarray
        Expected payoffs of war, Russia's as Russia perceives it.
    perceived_p : float or ndarray
        Russia's perceived probability of winning, ``clip(p + optimism, 0, 1)``.
    """

    low: Any
    high: Any
    nonempty: Any
    within_sphere: Any
    beyond_dominance: Any
    russia_war_payoff: Any
    ukraine_war_payoff: Any
    perceived_p: Any

    def intervals(self) -> tuple[tuple[float, float], ...]:
        """The set as a tuple of closed intervals (empty tuple when no settlement exists).

        Only for scalar results.

        Examples
        --------
        >>> status_settlements(0.5, 0.1, 0.15, 0.0, 0.3).intervals()
        ((0.35, 0.6),)
        """
        if np.ndim(self.low) != 0:
            raise ValueError("intervals() needs a scalar result; index the arrays instead")
        return ((float(self.low), float(self.high)),) if self.nonempty else ()

    def contains(self, x: Number) -> Any:
        """Whether the alignment(s) ``x`` are peaceful settlements.

        Examples
        --------
        >>> status_settlements(0.5, 0.1, 0.15, 0.0, 0.3).contains([0.3, 0.5, 0.8])
        array([False,  True, False])
        """
        x = np.asarray(x, dtype=float)
        inside = np.asarray(self.nonempty) & (x >= self.low) & (x <= self.high)
        return _out(inside)


def russia_war_payoff(
    p: Number,
    war_cost: Number,
    status_premium: Number = 0.0,
    dominance_threshold: Number = 0.3,
    sanctions_burden: Number = 0.0,
    optimism: Number = 0.0,
) -> Any:
    """Russia's expected payoff from war, as Russia perceives it.

    Victory (probability ``p_R = clip(p + optimism, 0, 1)``) brings the whole stake,
    ``x = 0``, and keeps the premium ``S``; defeat brings ``x = 1``, which keeps the premium
    only if ``x_dom = 1``. War costs ``c_R`` plus the sanctions burden ``s``:

    ``W_R = p_R (1 + S) + (1 - p_R) S 1{x_dom >= 1} - c_R - s``.

    The sanctions burden only lowers it, so higher sanctions never raise Russia's
    payoff from war.

    Parameters
    ----------
    p : float or array
        True probability that Russia prevails, in ``[0, 1]``.
    war_cost : float or array
        Russia's cost of war ``c_R >= 0``.
    status_premium : float or array
        ``S >= 0``, Russia's premium for keeping ``x <= x_dom``.
    dominance_threshold : float or array
        ``x_dom`` in ``[0, 1]``.
    sanctions_burden : float or array
        ``s >= 0``, extra cost of war to Russia.
    optimism : float or array
        In ``[-1, 1]``, added to ``p`` to give Russia's perceived ``p_R``.

    Returns
    -------
    float or numpy.ndarray
        ``W_R``, Russia's perceived expected payoff from war.

    Raises
    ------
    ParameterError
        If an argument is outside its range above.

    Examples
    --------
    >>> round(russia_war_payoff(0.5, 0.1, status_premium=0.5, sanctions_burden=0.1), 12)
    0.55
    """
    p = check_range("p", p, 0.0, 1.0)
    war_cost = check_range("war_cost", war_cost, 0.0, np.inf)
    status = check_range("status_premium", status_premium, 0.0, np.inf)
    x_dom = check_range("dominance_threshold", dominance_threshold, 0.0, 1.0)
    sanctions = check_range("sanctions_burden", sanctions_burden, 0.0, np.inf)
    optimism = check_range("optimism", optimism, -1.0, 1.0)
    return _out(_war_payoff(np.clip(p + optimism, 0.0, 1.0), war_cost, status, x_dom, sanctions))


def _war_payoff(
    p_r: np.ndarray, war_cost: np.ndarray, status: np.ndarray, x_dom: np.ndarray, s: np.ndarray
) -> np.ndarray:
    keeps_if_lose = (x_dom >= 1.0).astype(float)
    return p_r * (1.0 + status) + (1.0 - p_r) * status * keeps_if_lose - war_cost - s


def status_settlements(
    p: Number,
    war_cost_russia: Number,
    war_cost_ukraine: Number,
    status_premium: Number,
    dominance_threshold: Number,
    sanctions_burden: Number = 0.0,
    optimism: Number = 0.0,
) -> StatusSettlements:
    """Peaceful settlements when Russia values dominance over Ukraine (derived here).

    Payoffs for a settlement ``x`` (Ukraine's Western alignment): Russia
    ``1 - x + S 1{x <= x_dom}``, Ukraine ``x``. War: Russia gets :func:`russia_war_payoff`
    ``W_R`` (with its perceived ``p_R``), Ukraine ``W_U = 1 - p - c_U`` (true ``p``).

    Derivation. Ukraine accepts ``x >= W_U``. Russia accepts ``x <= x_dom`` iff
    ``x <= A1 = 1 + S - W_R`` and ``x > x_dom`` iff ``x <= A2 = 1 - W_R``. So a settlement
    beyond the dominance threshold exists iff ``x_dom < 1``, ``A2 > x_dom`` and ``A2 >= W_U``:

    ``p_R (1 + S) < c_R + s + min(1 - x_dom, p + c_U)``

    (the second term of the min with ``<=``). Read as: the premium weighted by Russia's
    chance of keeping it by war, ``p_R S``, plus Russia's expected share ``p_R``, must be
    covered by the costs of war plus the sanctions burden plus the best deal beyond
    ``x_dom`` (Russia keeps at most ``1 - x_dom``, and Ukraine concedes at most
    ``p + c_U``). A larger ``S`` or ``p_R`` shrinks ``A2``; a larger ``s`` widens it. The
    whole set is the interval ``[max(0, W_U), high]`` with ``high = min(1, A2)`` if
    ``A2 > x_dom`` and ``min(x_dom, A1)`` otherwise; it is empty when ``high`` falls
    below Ukraine's bound.

    Note: a higher premium never widens the set of settlements beyond ``x_dom``, nor the
    whole set when without the premium Russia would already accept some ``x > x_dom``
    (``1 - p_R + c_R + s > x_dom``). Otherwise (a Russia so strong that it demands more
    than the sphere anyway) the premium makes Russia value the sure dominance of a deal
    over the risky dominance of war, and so accept slightly more alignment *within*
    the sphere: ``A1`` grows by ``(1 - p_R)`` per unit of ``S``.

    Parameters
    ----------
    p : float or array
        True probability that Russia prevails, in ``[0, 1]``.
    war_cost_russia, war_cost_ukraine : float or array
        Costs of war ``c_R``, ``c_U >= 0``.
    status_premium : float or array
        ``S >= 0``, Russia's premium for keeping ``x <= x_dom``.
    dominance_threshold : float or array
        ``x_dom`` in ``[0, 1]``.
    sanctions_burden : float or array
        ``s >= 0``, extra cost of war to Russia (sanctions cost times Western cohesion).
    optimism : float or array
        In ``[-1, 1]``; Russia's perceived ``p_R = clip(p + optimism, 0, 1)``.

    Returns
    -------
    StatusSettlements
        The settlement interval and whether it reaches inside and beyond the sphere, with
        both sides' war payoffs and Russia's perceived ``p_R``.

    Raises
    ------
    ParameterError
        If an argument is outside its range above.

    Examples
    --------
    With ``p = 0.5``, ``c = (0.1, 0.15)`` and ``x_dom = 0.3`` a premium of 1 leaves no
    settlement at all; a sanctions burden of 0.3 reopens settlements beyond ``x_dom``:

    >>> status_settlements(0.5, 0.1, 0.15, 1.0, 0.3).nonempty
    False
    >>> r = status_settlements(0.5, 0.1, 0.15, 1.0, 0.3, sanctions_burden=0.3)
    >>> r.beyond_dominance, r.intervals()
    (True, ((0.35, 0.4),))
    """
    p = check_range("p", p, 0.0, 1.0)
    c_r = check_range("war_cost_russia", war_cost_russia, 0.0, np.inf)
    c_u = check_range("war_cost_ukraine", war_cost_ukraine, 0.0, np.inf)
    status = check_range("status_premium", status_premium, 0.0, np.inf)
    x_dom = check_range("dominance_threshold", dominance_threshold, 0.0, 1.0)
    s = check_range("sanctions_burden", sanctions_burden, 0.0, np.inf)
    optimism = check_range("optimism", optimism, -1.0, 1.0)
    p_r = np.clip(p + optimism, 0.0, 1.0)
    w_r = _war_payoff(p_r, c_r, status, x_dom, s)
    w_u = 1.0 - p - c_u
    a1 = 1.0 + status - w_r
    a2 = 1.0 - w_r
    low = np.maximum(0.0, w_u)
    high_within = np.minimum(np.minimum(x_dom, a1), 1.0)
    within = low <= high_within
    high_beyond = np.minimum(1.0, a2)
    beyond = (x_dom < 1.0) & (high_beyond > x_dom) & (high_beyond >= low)
    # When a deal beyond x_dom exists, A1 = A2 + S > x_dom, so both pieces join at x_dom.
    high = np.where(beyond, high_beyond, high_within)
    nonempty = within | beyond
    return StatusSettlements(
        low=_out(np.where(nonempty, low, np.nan)),
        high=_out(np.where(nonempty, high, np.nan)),
        nonempty=_out(nonempty),
        within_sphere=_out(within),
        beyond_dominance=_out(beyond),
        russia_war_payoff=_out(w_r),
        ukraine_war_payoff=_out(w_u),
        perceived_p=_out(p_r),
    )


def _best_beyond_deal(p: np.ndarray, c_u: np.ndarray, x_dom: np.ndarray) -> np.ndarray:
    return np.minimum(1.0 - x_dom, p + c_u)


def status_premium_threshold(
    p: Number,
    war_cost_russia: Number,
    war_cost_ukraine: Number,
    dominance_threshold: Number,
    sanctions_burden: Number = 0.0,
    optimism: Number = 0.0,
) -> Any:
    """The largest status premium that still admits a settlement beyond ``x_dom``.

    From the condition in :func:`status_settlements`:
    ``S* = (c_R + s + min(1 - x_dom, p + c_U)) / p_R - 1`` (``inf`` when ``p_R = 0``,
    ``-inf`` when ``x_dom = 1``). Settlements beyond ``x_dom`` exist for ``S < S*`` (and at
    ``S = S*`` only when Ukraine's bound is the binding one); a negative ``S*`` means none
    exists even without a premium.

    Parameters
    ----------
    p : float or array
        Probability that Russia prevails in war, in ``[0, 1]``.
    war_cost_russia, war_cost_ukraine : float or array
        Costs of war ``c_R``, ``c_U >= 0``, in shares of the stake.
    dominance_threshold : float or array
        ``x_dom`` in ``[0, 1]``.
    sanctions_burden : float or array
        ``s >= 0``, extra cost of war to Russia.
    optimism : float or array
        In ``[-1, 1]``; Russia's perceived ``p_R = clip(p + optimism, 0, 1)``.

    Returns
    -------
    float or numpy.ndarray
        ``S*``, possibly negative or infinite.

    Raises
    ------
    ParameterError
        If an argument is outside its range above.

    Examples
    --------
    >>> round(status_premium_threshold(0.5, 0.1, 0.15, 0.3), 12)
    0.5
    """
    p = check_range("p", p, 0.0, 1.0)
    c_r = check_range("war_cost_russia", war_cost_russia, 0.0, np.inf)
    c_u = check_range("war_cost_ukraine", war_cost_ukraine, 0.0, np.inf)
    x_dom = check_range("dominance_threshold", dominance_threshold, 0.0, 1.0)
    s = check_range("sanctions_burden", sanctions_burden, 0.0, np.inf)
    optimism = check_range("optimism", optimism, -1.0, 1.0)
    p_r = np.clip(p + optimism, 0.0, 1.0)
    cover = c_r + s + _best_beyond_deal(p, c_u, x_dom)
    with np.errstate(divide="ignore", over="ignore"):
        threshold = np.where(p_r > 0, cover / np.where(p_r > 0, p_r, 1.0) - 1.0, np.inf)
    return _out(np.where(x_dom >= 1.0, -np.inf, threshold))


def sanctions_to_reopen(
    p: Number,
    war_cost_russia: Number,
    war_cost_ukraine: Number,
    status_premium: Number,
    dominance_threshold: Number,
    optimism: Number = 0.0,
) -> Any:
    """The sanctions burden above which a settlement beyond ``x_dom`` exists.

    ``s* = max(0, p_R (1 + S) - c_R - min(1 - x_dom, p + c_U))``: any burden ``s > s*``
    reopens the range (``inf`` when ``x_dom = 1``). Divide by Western cohesion to get the
    sanctions cost needed at full strength.

    Parameters
    ----------
    p : float or array
        Probability that Russia prevails in war, in ``[0, 1]``.
    war_cost_russia, war_cost_ukraine : float or array
        Costs of war ``c_R``, ``c_U >= 0``, in shares of the stake.
    status_premium : float or array
        ``S >= 0``, Russia's premium for keeping ``x <= x_dom``.
    dominance_threshold : float or array
        ``x_dom`` in ``[0, 1]``.
    optimism : float or array
        In ``[-1, 1]``; Russia's perceived ``p_R = clip(p + optimism, 0, 1)``.

    Returns
    -------
    float or numpy.ndarray
        ``s* >= 0``, the burden to exceed (``inf`` when ``x_dom = 1``).

    Raises
    ------
    ParameterError
        If an argument is outside its range above.

    Examples
    --------
    >>> round(sanctions_to_reopen(0.5, 0.1, 0.15, 1.0, 0.3), 12)
    0.25
    """
    p = check_range("p", p, 0.0, 1.0)
    c_r = check_range("war_cost_russia", war_cost_russia, 0.0, np.inf)
    c_u = check_range("war_cost_ukraine", war_cost_ukraine, 0.0, np.inf)
    status = check_range("status_premium", status_premium, 0.0, np.inf)
    x_dom = check_range("dominance_threshold", dominance_threshold, 0.0, 1.0)
    optimism = check_range("optimism", optimism, -1.0, 1.0)
    p_r = np.clip(p + optimism, 0.0, 1.0)
    needed = np.maximum(0.0, p_r * (1.0 + status) - c_r - _best_beyond_deal(p, c_u, x_dom))
    return _out(np.where(x_dom >= 1.0, np.inf, needed))


# ---------------------------------------------------------------------- domain adapters
def bargaining_range_from_model(model: NegotiationModel) -> StatusSettlements:
    """The status-premium settlement set for a :class:`NegotiationModel`.

    Reads ``model.win_probability()`` (``p``), ``russia.optimism``, ``russia.war_cost``,
    ``ukraine.war_cost``, ``russia.great_power_status`` (``S``),
    ``russia.dominance_threshold`` (``x_dom``) and the sanctions burden
    ``russia.sanctions_cost * west.western_cohesion`` (``s``).

    Parameters
    ----------
    model : NegotiationModel
        The model whose parameters are read.

    Returns
    -------
    StatusSettlements
        :func:`status_settlements` of those parameters.

    Examples
    --------
    >>> from simulator.model import NegotiationModel
    >>> bargaining_range_from_model(NegotiationModel()).beyond_dominance
    True
    >>> m = NegotiationModel().with_params(russia__optimism=0.3)
    >>> bargaining_range_from_model(m).nonempty
    False
    """
    russia, west = model.russia, model.west
    return status_settlements(
        p=model.win_probability(),
        war_cost_russia=russia.war_cost,
        war_cost_ukraine=model.ukraine.war_cost,
        status_premium=russia.great_power_status,
        dominance_threshold=russia.dominance_threshold,
        sanctions_burden=russia.sanctions_cost * west.western_cohesion,
        optimism=russia.optimism,
    )


def offer_beats_war(model: NegotiationModel, offer: Offer) -> bool:
    """Whether both Russia and Ukraine weakly prefer the offer's alignment to war.

    Reads ``offer.alignment`` and the parameters listed in
    :func:`bargaining_range_from_model`.

    Parameters
    ----------
    model : NegotiationModel
        The model whose parameters are read.
    offer : Offer
        The proposed settlement; only its ``alignment`` is used.

    Returns
    -------
    bool
        Whether ``offer.alignment`` lies in the settlement set of
        :func:`bargaining_range_from_model`.

    Examples
    --------
    >>> from simulator.model import NegotiationModel, Offer
    >>> offer_beats_war(NegotiationModel(), Offer.neutrality_for_guarantees())
    False
    >>> offer_beats_war(NegotiationModel(), Offer(alignment=0.4))
    True
    """
    return bool(bargaining_range_from_model(model).contains(offer.alignment))
