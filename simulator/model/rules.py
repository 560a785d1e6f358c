"""The rules of the negotiation engine, each written once.

Every payoff the engine's games compute (the offer game, the buy-time simulation and its
Markov perfect equilibrium) is assembled from these functions; none of them is written a
second time elsewhere. They take numbers or NumPy arrays (broadcast together) and return
the same. Stakes are shares of the whole issue in dispute (1 = everything).

The issue has two parts: Ukraine's Western *alignment* ``x`` (0 = inside Russia's sphere,
1 = fully Western) and *territory*, the share ``tau`` of the contested territory Russia keeps.
``territory_weight`` ``w`` is the share of the stake that is territory, so Ukraine's share of a
deal is ``V = (1 - w) x + w (1 - tau)`` and Russia's is ``1 - V``; war gives the winner all of it.

Sources: S. Skaperdas, "Contest success functions", *Economic Theory* 7, 1996 (contest);
J. D. Fearon, "Rationalist explanations for war", *International Organization* 49(3), 1995
(war and deal payoffs; the status premium of claim 3 as in ``docs/models/bargaining.md``);
R. Powell, "War as a commitment problem", *International Organization* 60(1), 2006 (shifts of
power, shrunk by guarantees); H. E. Goemans, "Fighting for survival", *Journal of Conflict
Resolution* 44(5), 2000 (the leader's removal risk); J. Hirshleifer, "From weakest-link to
best-shot", *Public Choice* 41(3), 1983 (coalition aggregation).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from simulator.model.published.coalition import coalition_pressure

__all__ = [
    "TOL",
    "bayes",
    "coalition_pressure",
    "contest",
    "fatigued_burden",
    "front_win_probability",
    "interior_front",
    "guarantee_strength",
    "leader_removal_cost",
    "pause_value",
    "regroup",
    "russia_deal_value",
    "russia_war_value",
    "sanctions_loss",
    "settlement_removal",
    "shifted_win_probability",
    "status_retained",
    "status_value",
    "supported_capability",
    "ukraine_deal_value",
    "ukraine_share",
    "ukraine_war_value",
    "war_removal",
]

#: The engine's one tolerance: payoff differences at or below it (in shares of the stake) are
#: ties, probabilities at or below it are zero. Ties are broken by documented rules, never by
#: float noise.
TOL = 1e-9


def _out(value: Any) -> Any:
    array = np.asarray(value, dtype=float)
    return float(array) if array.ndim == 0 else array


def contest(capability_a: Any, capability_b: Any, exponent: Any = 1.0) -> Any:
    """Probability that side A prevails: ``K_A^g / (K_A^g + K_B^g)`` (Skaperdas 1996).

    Parameters
    ----------
    capability_a, capability_b : float or array_like
        Battlefield capabilities ``K_A, K_B`` (positive; not validated).
    exponent : float or array_like
        The decisiveness ``g`` of the contest (``g = 1``: the ratio form).

    Returns
    -------
    float or numpy.ndarray
        A's win probability in ``[0, 1]``, a float for numbers and an array when the
        arguments broadcast to one (as every function of this module).

    Examples
    --------
    >>> contest(3.0, 1.0)
    0.75
    >>> contest([1.0, 2.0], 1.0, 2.0).tolist()
    [0.5, 0.8]
    """
    a = np.asarray(capability_a, dtype=float) ** exponent
    b = np.asarray(capability_b, dtype=float) ** exponent
    return _out(a / (a + b))


def supported_capability(capability: Any, arms_support: Any, arms_share: Any) -> Any:
    """Ukraine's battlefield capability with Western arms: ``K_U (1 + alpha pi_A)``.

    ``arms_share`` ``pi_A`` is the share of the coalition's weight still supplying arms (1 =
    every government holds); ``alpha`` is ``west.arms_support``.

    Parameters
    ----------
    capability : float or array_like
        Ukraine's own capability ``K_U``.
    arms_support : float or array_like
        ``alpha``, the rise in capability with every government supplying arms.
    arms_share : float or array_like
        ``pi_A`` in ``[0, 1]``, the share of the coalition's weight supplying arms.

    Returns
    -------
    float or numpy.ndarray
        ``K_U (1 + alpha pi_A)``.

    Examples
    --------
    >>> supported_capability(1.0, 0.5, 1.0), supported_capability(1.0, 0.5, 0.0)
    (1.5, 1.0)
    """
    return _out(np.asarray(capability, dtype=float) * (1.0 + np.multiply(arms_support, arms_share)))


def status_retained(alignment: Any, dominance_threshold: Any, span: Any) -> Any:
    """Share of Russia's status premium it keeps at alignment ``x``: continuous, non-increasing.

    ``R(x) = clip(1 - (x - x_dom) / span, 0, 1)``: all of it up to the dominance threshold
    ``x_dom``, none beyond ``x_dom + span``, linear between.

    Parameters
    ----------
    alignment : float or array_like
        Ukraine's Western alignment ``x`` in ``[0, 1]``.
    dominance_threshold : float or array_like
        ``x_dom``, the alignment up to which Russia keeps its whole premium.
    span : float or array_like
        The width (positive) over which the premium fades beyond ``x_dom``.

    Returns
    -------
    float or numpy.ndarray
        ``R(x)`` in ``[0, 1]``.

    Examples
    --------
    >>> status_retained(0.3, 0.15, 0.3)  # neutrality with the default threshold
    0.5
    >>> status_retained([0.0, 0.15, 0.6, 1.0], 0.15, 0.3).tolist()
    [1.0, 1.0, 0.0, 0.0]
    """
    x = np.asarray(alignment, dtype=float)
    return _out(np.clip(1.0 - (x - dominance_threshold) / np.asarray(span, dtype=float), 0, 1))


def status_value(alignment: Any, premium: Any, dominance_threshold: Any, span: Any) -> Any:
    """The status premium Russia keeps at alignment ``x``: ``S R(x)``.

    Parameters
    ----------
    alignment : float or array_like
        Ukraine's Western alignment ``x`` in ``[0, 1]``.
    premium : float or array_like
        ``S``, Russia's great-power status premium (share of the stake).
    dominance_threshold : float or array_like
        ``x_dom``, as in :func:`status_retained`.
    span : float or array_like
        The width over which the premium fades, as in :func:`status_retained`.

    Returns
    -------
    float or numpy.ndarray
        ``S R(x)``.

    Examples
    --------
    >>> status_value(0.3, 0.5, 0.15, 0.3)
    0.25
    """
    return _out(np.multiply(premium, status_retained(alignment, dominance_threshold, span)))


def ukraine_share(alignment: Any, territory: Any, territory_weight: Any) -> Any:
    """Ukraine's share of a deal: ``V = (1 - w) x + w (1 - tau)``.

    Parameters
    ----------
    alignment : float or array_like
        Ukraine's Western alignment ``x`` in ``[0, 1]``.
    territory : float or array_like
        ``tau`` in ``[0, 1]``, the share of the contested territory Russia keeps.
    territory_weight : float or array_like
        ``w`` in ``[0, 1]``, the share of the stake that is territory.

    Returns
    -------
    float or numpy.ndarray
        ``V``, Ukraine's share of the stake (Russia's is ``1 - V``).

    Examples
    --------
    >>> ukraine_share(0.6, 0.0, 0.5)
    0.8
    >>> ukraine_share(0.6, 0.2, 0.0)  # territory weighs nothing: the share is the alignment
    0.6
    """
    w = np.asarray(territory_weight, dtype=float)
    return _out((1.0 - w) * alignment + w * (1.0 - np.asarray(territory, dtype=float)))


def guarantee_strength(guarantees: Any, credibility: Any) -> Any:
    """Effective strength ``g = G c`` of security guarantees ``G`` honoured with probability ``c``.

    Parameters
    ----------
    guarantees : float or array_like
        ``G`` in ``[0, 1]``, the guarantees a deal promises.
    credibility : float or array_like
        ``c`` in ``[0, 1]``, the probability they are honoured.

    Returns
    -------
    float or numpy.ndarray
        ``g = G c``.

    Examples
    --------
    >>> guarantee_strength(0.7, 0.5)
    0.35
    """
    return _out(np.multiply(guarantees, credibility))


def regroup(capability: Any, ceiling: Any, rate: Any) -> Any:
    """Capability after a pause: ``K + rho (K_bar - K)``, regrouping during talks (Min 2020).

    Parameters
    ----------
    capability : float or array_like
        The capability ``K`` before the pause.
    ceiling : float or array_like
        ``K_bar``, the capability a full regrouping reaches.
    rate : float or array_like
        ``rho`` in ``[0, 1]``, the share of the gap to the ceiling restored.

    Returns
    -------
    float or numpy.ndarray
        ``K + rho max(K_bar - K, 0)``: a capability already above the ceiling stays
        where it is.

    Examples
    --------
    >>> regroup(1.0, 1.5, 0.5)
    1.25
    """
    k = np.asarray(capability, dtype=float)
    return _out(k + np.multiply(rate, np.maximum(np.asarray(ceiling, dtype=float) - k, 0.0)))


def shifted_win_probability(p: Any, p_regrouped: Any, guarantee: Any) -> Any:
    """Win probability after a pause, the shift shrunk by guarantees: ``p + (1 - g)(p' - p)``.

    Powell (2006): a guarantee of strength ``g`` neutralises that share of the power shift.

    Parameters
    ----------
    p : float or array_like
        Russia's win probability before the pause.
    p_regrouped : float or array_like
        ``p'``, its win probability after regrouping without guarantees.
    guarantee : float or array_like
        ``g`` in ``[0, 1]``, the guarantees' effective strength
        (:func:`guarantee_strength`).

    Returns
    -------
    float or numpy.ndarray
        ``p + (1 - g)(p' - p)``.

    Examples
    --------
    >>> shifted_win_probability(0.5, 0.7, 0.5)
    0.6
    """
    p = np.asarray(p, dtype=float)
    return _out(p + (1.0 - np.asarray(guarantee, dtype=float)) * (p_regrouped - p))


def sanctions_loss(sanctions_cost: Any, cohesion: Any, pressure: Any, relief: Any = 0.0) -> Any:
    """Russia's loss from sanctions: ``(1 - relief) s c pi``.

    ``s`` is ``russia.sanctions_cost`` (at full strength), ``c`` the West's cohesion, ``pi`` the
    coalition's sanctions pressure (its aggregation of who holds) and ``relief`` the share a deal
    lifts.

    Parameters
    ----------
    sanctions_cost : float or array_like
        ``s``, the cost of sanctions to Russia at full strength.
    cohesion : float or array_like
        ``c`` in ``[0, 1]``, the West's cohesion.
    pressure : float or array_like
        ``pi`` in ``[0, 1]``, the coalition's sanctions pressure.
    relief : float or array_like
        The share in ``[0, 1]`` of the sanctions a deal lifts.

    Returns
    -------
    float or numpy.ndarray
        ``(1 - relief) s c pi``.

    Examples
    --------
    >>> sanctions_loss(0.2, 1.0, 0.5, relief=0.5)
    0.05
    """
    return _out(
        (1.0 - np.asarray(relief, dtype=float)) * np.multiply(sanctions_cost, cohesion) * pressure
    )


def fatigued_burden(burden: Any, fatigue_rate: Any, periods: Any) -> Any:
    """A government's cost of sanctioning after ``t`` periods of war: ``kappa (1 + f)^t``.

    Parameters
    ----------
    burden : float or array_like
        ``kappa``, the government's cost of sanctioning in period 0.
    fatigue_rate : float or array_like
        ``f >= 0``, growth of the burden per period.
    periods : float or array_like
        ``t``, periods of war so far.

    Returns
    -------
    float or numpy.ndarray
        ``kappa (1 + f)^t``.

    Examples
    --------
    >>> round(fatigued_burden(0.2, 0.05, 2), 12)
    0.2205
    """
    return _out(np.multiply(burden, (1.0 + np.asarray(fatigue_rate, dtype=float)) ** periods))


def leader_removal_cost(removal: Any, office_value: Any, punishment: Any) -> Any:
    """What a removal probability ``r`` costs the leader: ``r (office value + punishment)``.

    Parameters
    ----------
    removal : float or array_like
        ``r`` in ``[0, 1]``, the probability of removal.
    office_value : float or array_like
        The value to the leader of staying in office.
    punishment : float or array_like
        The cost to the leader of being removed, beyond losing office.

    Returns
    -------
    float or numpy.ndarray
        ``r (office_value + punishment)``.

    Examples
    --------
    >>> leader_removal_cost(0.5, 0.5, 0.5)
    0.5
    """
    return _out(np.multiply(removal, np.add(office_value, punishment)))


def war_removal(
    perceived_win: Any, removal_if_win: Any, removal_if_lose: Any, while_fighting: Any = 0.0
) -> Any:
    """The leader's removal probability from a period of war.

    ``1 - (1 - r_fight)(1 - (p r_win + (1 - p) r_lose))``: removed while fighting, or else
    after the war's outcome (Goemans 2000; Chiozza & Goemans 2004).

    Parameters
    ----------
    perceived_win : float or array_like
        ``p``, Russia's win probability as the leader perceives it.
    removal_if_win, removal_if_lose : float or array_like
        Probabilities in ``[0, 1]`` of removal after victory and after defeat.
    while_fighting : float or array_like
        ``r_fight`` in ``[0, 1]``, the probability of removal during the period.

    Returns
    -------
    float or numpy.ndarray
        The removal probability in ``[0, 1]``.

    Examples
    --------
    >>> war_removal(0.5, 0.0, 0.6)
    0.3
    >>> round(war_removal(0.5, 0.0, 0.6, while_fighting=0.1), 12)  # 1 - 0.9 x 0.7
    0.37
    """
    p = np.asarray(perceived_win, dtype=float)
    outcome = p * removal_if_win + (1.0 - p) * np.asarray(removal_if_lose, dtype=float)
    return _out(1.0 - (1.0 - np.asarray(while_fighting, dtype=float)) * (1.0 - outcome))


def settlement_removal(retained: Any, removal_if_settle: Any) -> Any:
    """The leader's removal probability after a settlement: ``r_settle (1 - R(x))``.

    A deal that keeps the whole status premium admits no failure; one that concedes all of it
    carries the full risk ``r_settle`` (Goemans 2000).

    Parameters
    ----------
    retained : float or array_like
        ``R(x)`` in ``[0, 1]``, the share of the status premium the deal keeps
        (:func:`status_retained`).
    removal_if_settle : float or array_like
        ``r_settle``, the removal probability after a deal conceding all of it.

    Returns
    -------
    float or numpy.ndarray
        ``r_settle (1 - R(x))``.

    Examples
    --------
    >>> settlement_removal(0.5, 0.3)
    0.15
    """
    return _out((1.0 - np.asarray(retained, dtype=float)) * removal_if_settle)


def russia_war_value(
    perceived_win: Any,
    premium: Any,
    retained_if_lose: Any,
    war_cost: Any,
    sanctions: Any,
    leader_cost: Any,
) -> Any:
    """Russia's value of war: ``p (1 + S) + (1 - p) S R(1) - c_R - sanctions - leader cost``.

    Victory (probability ``p``, as Russia perceives it) brings the whole stake and keeps the
    premium; defeat brings nothing and the premium retained at full alignment (none unless the
    dominance threshold is 1). ``leader_cost`` is :func:`leader_removal_cost` of
    :func:`war_removal`.

    Parameters
    ----------
    perceived_win : float or array_like
        ``p``, Russia's win probability as it perceives it.
    premium : float or array_like
        ``S``, the status premium.
    retained_if_lose : float or array_like
        ``R(1)``, the share of the premium kept at full alignment.
    war_cost : float or array_like
        ``c_R``, Russia's cost of a period of war.
    sanctions : float or array_like
        The sanctions loss during the war (:func:`sanctions_loss`).
    leader_cost : float or array_like
        The leader's removal cost of war (:func:`leader_removal_cost`).

    Returns
    -------
    float or numpy.ndarray
        Russia's value of war, in shares of the stake.

    Examples
    --------
    >>> round(russia_war_value(0.5, 0.5, 0.0, 0.1, 0.1, 0.0), 12)
    0.55
    """
    p = np.asarray(perceived_win, dtype=float)
    s = np.asarray(premium, dtype=float)
    return _out(
        p * (1.0 + s) + (1.0 - p) * s * retained_if_lose - war_cost - sanctions - leader_cost
    )


def russia_deal_value(
    ukraine_part: Any,
    premium: Any,
    retained: Any,
    audience_cost: Any,
    sanctions: Any,
    leader_cost: Any,
) -> Any:
    """Russia's value of a kept deal.

    ``1 - V + S R(x) - a_R (1 - R(x)) - sanctions - leader cost``: its share, the status it
    keeps, the audience cost of the status it concedes at home, the sanctions the deal leaves
    in place (:func:`sanctions_loss` with the deal's relief) and :func:`leader_removal_cost` of
    :func:`settlement_removal`.

    Parameters
    ----------
    ukraine_part : float or array_like
        ``V``, Ukraine's share of the deal (:func:`ukraine_share`).
    premium : float or array_like
        ``S``, the status premium.
    retained : float or array_like
        ``R(x)``, the share of the premium the deal keeps.
    audience_cost : float or array_like
        ``a_R``, Russia's audience cost of conceding the whole premium.
    sanctions : float or array_like
        The sanctions the deal leaves in place (:func:`sanctions_loss`).
    leader_cost : float or array_like
        The leader's removal cost of the deal (:func:`leader_removal_cost`).

    Returns
    -------
    float or numpy.ndarray
        Russia's value of the deal, in shares of the stake.

    Examples
    --------
    >>> round(russia_deal_value(0.8, 0.5, 0.5, 0.2, 0.0, 0.0), 12)  # 0.2 + 0.25 - 0.1
    0.35
    """
    r = np.asarray(retained, dtype=float)
    return _out(
        1.0
        - np.asarray(ukraine_part, dtype=float)
        + np.multiply(premium, r)
        - np.multiply(audience_cost, 1.0 - r)
        - sanctions
        - leader_cost
    )


def ukraine_war_value(win_probability_russia: Any, resolve: Any, war_cost: Any) -> Any:
    """Ukraine's value of war: ``(1 - p)(1 + resolve) - c_U``.

    Parameters
    ----------
    win_probability_russia : float or array_like
        ``p``, Russia's win probability.
    resolve : float or array_like
        Ukraine's resolve: the extra value it puts on victory.
    war_cost : float or array_like
        ``c_U``, Ukraine's cost of war.

    Returns
    -------
    float or numpy.ndarray
        ``(1 - p)(1 + resolve) - c_U``.

    Examples
    --------
    >>> round(ukraine_war_value(0.5, 0.1, 0.15), 12)
    0.4
    """
    p = np.asarray(win_probability_russia, dtype=float)
    return _out((1.0 - p) * (1.0 + np.asarray(resolve, dtype=float)) - war_cost)


def ukraine_deal_value(ukraine_part: Any, territory: Any, audience_cost: Any) -> Any:
    """Ukraine's value of a kept deal: ``V - a_U tau`` (the audience cost of ceded territory).

    Parameters
    ----------
    ukraine_part : float or array_like
        ``V``, Ukraine's share of the deal (:func:`ukraine_share`).
    territory : float or array_like
        ``tau``, the share of the contested territory Russia keeps.
    audience_cost : float or array_like
        ``a_U``, Ukraine's audience cost of ceding all of it.

    Returns
    -------
    float or numpy.ndarray
        ``V - a_U tau``.

    Examples
    --------
    >>> round(ukraine_deal_value(0.8, 0.1, 0.2), 12)
    0.78
    """
    return _out(np.asarray(ukraine_part, dtype=float) - np.multiply(audience_cost, territory))


def pause_value(kept: Any, renewed: Any, discount_factor: Any) -> Any:
    """Value of a deal kept for one period, then broken: ``(1 - delta) kept + delta renewed``.

    Parameters
    ----------
    kept : float or array_like
        The per-period value while the deal holds.
    renewed : float or array_like
        The value of the renewed war after it breaks.
    discount_factor : float or array_like
        ``delta`` in ``[0, 1)``.

    Returns
    -------
    float or numpy.ndarray
        ``(1 - delta) kept + delta renewed``.

    Examples
    --------
    >>> round(pause_value(1.0, 0.0, 0.9), 12)
    0.1
    """
    d = np.asarray(discount_factor, dtype=float)
    return _out((1.0 - d) * kept + d * np.asarray(renewed, dtype=float))


def interior_front(share: float, positions: int) -> int:
    """The interior front position ``1..N-1`` nearest to ``share`` of ``N`` positions.

    Parameters
    ----------
    share : float
        The front as a share of the way from 0 (Ukraine prevails) to ``N`` (Russia prevails).
    positions : int
        ``N``, the number of steps between the two ends (at least 2).

    Returns
    -------
    int
        ``round(share N)`` clipped to ``1..N-1``.

    Examples
    --------
    >>> interior_front(0.5, 4), interior_front(0.01, 10), interior_front(0.99, 10)
    (2, 1, 9)
    """
    return int(min(positions - 1, max(1, round(share * positions))))


def front_win_probability(battle_win: Any, front: Any, positions: int) -> Any:
    """Probability that Russia wins a war fought out from ``front`` (gambler's ruin).

    Battles move the front one step towards ``positions`` (Russia prevails) with probability
    ``q`` and towards 0 (Ukraine prevails) otherwise; from front ``f`` Russia reaches ``N``
    first with probability ``(1 - r^f) / (1 - r^N)``, ``r = (1 - q) / q`` (``f / N`` at
    ``q = 1/2``; W. Feller, *An introduction to probability theory and its applications* I,
    1968, XIV.2). With ``N = 2`` and ``f = 1`` one battle decides: the result is ``q``.

    Parameters
    ----------
    battle_win : float or array_like
        ``q``, the probability that Russia wins a battle (clipped to ``[0, 1]``).
    front : float or array_like
        ``f``, the front's current position; ``f <= 0`` gives 0 and ``f >= N`` gives 1.
    positions : int
        ``N``, the position at which Russia has won.

    Returns
    -------
    float or numpy.ndarray
        Russia's probability of reaching ``N`` before 0, in ``[0, 1]``.

    Examples
    --------
    >>> float(front_win_probability(0.3, 1, 2))
    0.3
    >>> float(front_win_probability(0.5, 1, 4))
    0.25
    >>> round(float(front_win_probability(0.6, 2, 4)), 12)  # (1 - (2/3)^2) / (1 - (2/3)^4)
    0.692307692308
    """
    q = np.clip(np.asarray(battle_win, dtype=float), 0.0, 1.0)
    f = np.asarray(front, dtype=float)
    n = float(positions)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # r < 1 (q > 1/2): (1 - r^f) / (1 - r^N); r > 1: with s = 1/r,
        # s^(N-f) (1 - s^f) / (1 - s^N) (both stay finite)
        r = np.where(
            q > 0.5, (1.0 - q) / np.where(q > 0, q, 1.0), q / np.where(q < 1, 1.0 - q, 1.0)
        )
        up = (1.0 - r**f) / (1.0 - r**n)
        down = r ** (n - f) * (1.0 - r**f) / (1.0 - r**n)
        out = np.where(q > 0.5, up, down)
        out = np.where(np.abs(q - 0.5) < 1e-12, f / n, out)
    out = np.where(f <= 0, 0.0, np.where(f >= n, 1.0, out))
    return _out(np.clip(out, 0.0, 1.0))


def bayes(prior: Any, likelihood: Any, axis: int = -1) -> Any:
    """Posterior over types (along ``axis``) from a prior and the likelihood of what was seen.

    Where nothing was seen with positive probability the posterior is ``nan`` (the caller
    states an off-path belief).

    Parameters
    ----------
    prior : array_like
        Prior probabilities of the types along ``axis``.
    likelihood : array_like
        Probability of what was seen under each type (broadcast against ``prior``).
    axis : int
        The axis of the types.

    Returns
    -------
    numpy.ndarray
        ``prior * likelihood`` normalised along ``axis``; ``nan`` where its sum is 0.

    Examples
    --------
    >>> bayes([0.5, 0.5], [1.0, 0.0]).tolist()
    [1.0, 0.0]
    >>> bayes([0.25, 0.75], [0.5, 0.5]).tolist()
    [0.25, 0.75]
    """
    joint = np.asarray(prior, dtype=float) * np.asarray(likelihood, dtype=float)
    total = joint.sum(axis=axis, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, joint / np.where(total > 0, total, 1.0), np.nan)
