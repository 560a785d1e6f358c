"""Buy-time dynamics: the rules of one period, vectorised over runs.

Russia's capability after periods of talks and of a deal (:func:`capability_after_talks`), the
coalition's defectors after Russia's wedge (:func:`coalition_defectors`, the batched greedy wedge
of :mod:`simulator.model.published.coalition` with its Granovetter cascade), the West's relax
threshold in every run (:func:`relax_threshold_runs`; Fearon 1997, via
:mod:`simulator.model.published.costly_signalling`), each side's payoff in one period
(:func:`russia_flow`, :func:`ukraine_flow`) and the West's belief after evidence
(:func:`sincere_posterior`). Each assembles functions of :mod:`simulator.model.rules`;
:func:`simulator.model.dynamics.simulate` applies them period by period.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from simulator.model import rules
from simulator.model.dynamics_parameters import RunParameters
from simulator.model.published.coalition import defection_cascade, marginal_effect
from simulator.model.published.costly_signalling import relax_threshold
from simulator.model.rules import contest

__all__ = [
    "capability_after_talks",
    "coalition_defectors",
    "relax_threshold_runs",
    "sincere_posterior",
]


# ---------------------------------------------------------------------------- building blocks
def capability_after_talks(
    capability: Any,
    ceiling: Any,
    rate: Any,
    eased: Any = 0,
    held: Any = 0,
    drag: Any = 0.0,
    settled: Any = 0,
    guarantee: Any = 0.0,
) -> Any:
    """Capability after ``eased`` + ``held`` periods of talks and ``settled`` periods of a deal.

    Each period moves ``K`` towards the ceiling by a share of the gap: ``rate`` while the West
    eases, ``rate (1 - drag)`` while it holds sanctions, ``rate (1 - G)`` under a deal with
    guarantees of strength ``G``. Each period is :func:`simulator.model.rules.regroup` at that
    rate; these maps share the fixed point ``K_bar``, so they commute and only the counts matter
    (this is their closed-form composition). A capability at or above the ceiling does not move.

    Arguments are numbers or arrays that broadcast together; nothing is validated.

    Parameters
    ----------
    capability : float or array_like
        ``K``, Russia's capability before the talks.
    ceiling : float or array_like
        ``K_bar``, the capability regrouping restores towards.
    rate : float or array_like
        The share of the gap to the ceiling regained per period, in ``[0, 1]``.
    eased : int or array_like, optional
        Periods of talks while the West eases (default 0).
    held : int or array_like, optional
        Periods of talks while the West holds its sanctions (default 0).
    drag : float or array_like, optional
        The share of the regrouping rate that held sanctions take away, in ``[0, 1]``
        (default 0).
    settled : int or array_like, optional
        Periods under a deal (default 0).
    guarantee : float or array_like, optional
        ``G``, the strength of the deal's guarantees, in ``[0, 1]`` (default 0).

    Returns
    -------
    float or numpy.ndarray
        The capability after those periods; a float when every argument is a number.

    Examples
    --------
    >>> round(capability_after_talks(1.0, 1.5, 0.25, eased=2), 6)  # 1.5 - 0.5 * 0.75^2
    1.21875
    >>> round(capability_after_talks(1.0, 1.5, 0.25, held=1, drag=0.5), 6)
    1.0625
    """
    k = np.asarray(capability, dtype=float)
    kbar = np.asarray(ceiling, dtype=float)
    r = np.asarray(rate, dtype=float)
    keep = (
        (1.0 - r) ** np.asarray(eased)
        * (1.0 - r * (1.0 - np.asarray(drag))) ** np.asarray(held)
        * (1.0 - r * (1.0 - np.asarray(guarantee))) ** np.asarray(settled)
    )
    out = np.where(k < kbar, kbar - (kbar - k) * keep, k)
    return out.item() if np.ndim(out) == 0 else out


def coalition_defectors(
    value_of_success: Any,
    sanctions_burden: Any,
    audience_cost: Any,
    fatigue_rate: Any,
    defection_threshold: Any,
    weights: Any,
    *,
    aggregation: str = "sum",
    threshold: float = 0.5,
    period: Any = 0,
    budget: Any = 0.0,
) -> np.ndarray:
    """Who defects from the coalition in ``period`` after a wedge of total size ``budget``.

    Batched form of :func:`~simulator.model.published.coalition.wedge_strategy` with
    ``method="greedy"``: members whose margin ``b_i Delta_i + a_i - kappa_i (1 + f_i)^t`` is
    negative defect and the Granovetter cascade spreads it
    (:func:`~.published.coalition.defection_cascade`); then Russia's cumulative inducement flips
    the supporter closest to defecting (the weakest link) while the margins it has paid for stay
    below the budget, re-running the cascade after each flip. Member arrays have shape
    ``(..., n)``; ``period`` and ``budget`` broadcast against the leading axes.

    Parameters
    ----------
    value_of_success : array_like, shape (..., n)
        ``b_i``, each government's value of Ukraine's success, in shares of the stake.
    sanctions_burden : array_like, shape (..., n)
        ``kappa_i``, each government's cost of sanctioning per period at period 0.
    audience_cost : array_like, shape (..., n)
        ``a_i``, each government's domestic cost of reneging on its support.
    fatigue_rate : array_like, shape (..., n)
        ``f_i``, the growth of each burden per period.
    defection_threshold : array_like, shape (..., n)
        ``theta_i`` in ``[0, 1]``, the share of the coalition's weight defecting that makes
        each government defect too.
    weights : array_like, shape (n,)
        The governments' weights in the coalition (``>= 0``, not all zero).
    aggregation : {"sum", "weakest_link", "threshold"}, optional
        How the members' sanctions become pressure (default ``"sum"``); it sets each member's
        marginal effect ``Delta_i``.
    threshold : float, optional
        The weight share in ``[0, 1]`` needed under ``"threshold"`` aggregation (default 0.5).
    period : int or array_like, optional
        ``t``, periods of war so far (default 0).
    budget : float or array_like, optional
        Russia's total inducement, in shares of the stake (default 0: no wedge).

    Returns
    -------
    numpy.ndarray of bool, shape (..., n)
        Whether each government defects (on its own margin, bought by the wedge, or in the
        cascade).

    Raises
    ------
    ParameterError
        If a weight is negative, ``threshold`` or a defection threshold is outside ``[0, 1]``.
    ValueError
        If ``weights`` is empty, not 1-D or all zero, ``aggregation`` is unknown, or the
        members' arrays do not broadcast to one shape.

    Examples
    --------
    >>> coalition_defectors([1.0, 0.3], [0.2, 0.45], [0.2, 0.2], 0.0, [0.5, 0.5], [3, 1],
    ...                     aggregation="weakest_link", budget=[0.0, 0.06]).tolist()
    [[False, False], [False, True]]
    """
    w = np.asarray(weights, dtype=float)
    n = w.size
    delta = marginal_effect(w, aggregation, threshold)
    period = np.asarray(period, dtype=float)[..., None]
    burden = rules.fatigued_burden(sanctions_burden, fatigue_rate, period)
    margin = np.asarray(value_of_success, dtype=float) * delta + audience_cost - burden
    budget = np.asarray(budget, dtype=float)
    shape = np.broadcast_shapes(margin.shape, budget.shape + (n,))
    margin = np.broadcast_to(margin, shape)
    theta = np.broadcast_to(np.asarray(defection_threshold, dtype=float), shape)
    budget = np.broadcast_to(budget, shape[:-1])
    base = defection_cascade(theta, w, margin < 0).defectors
    defect = base
    forced = np.zeros(shape, dtype=bool)
    spent = np.zeros(shape[:-1])
    active = budget > 0
    for _ in range(n):
        if not active.any():
            break
        price = np.where(defect, np.inf, margin)
        target = np.argmin(price, axis=-1)
        cheapest = np.take_along_axis(price, target[..., None], axis=-1)[..., 0]
        flip = active & np.isfinite(cheapest) & (spent + cheapest < budget)
        forced = forced | (flip[..., None] & (np.arange(n) == target[..., None]))
        spent = spent + np.where(flip, cheapest, 0.0)
        active = flip
        defect = defection_cascade(theta, w, base | forced).defectors
    return defect


def relax_threshold_runs(params: RunParameters) -> np.ndarray:
    """The West's relax threshold ``mu*`` for every run (Fearon 1997; costly_signalling).

    The vectorised form of ``sincerity_parameters_from_model(model).classify().relax_threshold``:
    ``w_S`` is the weight-averaged sanctions burden, ``w_B`` the weight-averaged value of success
    times the staller's one-period regroup advantage in win probability.

    Parameters
    ----------
    params : RunParameters
        The parameters of every run (:func:`~simulator.model.dynamics_parameters.
        sample_parameters`).

    Returns
    -------
    numpy.ndarray, shape (runs,)
        ``mu* = w_B / (w_S + w_B)`` in ``[0, 1]``: the belief that Russia is sincere at and above
        which the West relaxes, in each run.

    Raises
    ------
    ValueError
        If ``w_S = w_B = 0`` in some run (no sanctions burden and no value of success at
        stake).

    Examples
    --------
    >>> from simulator.model.dynamics_parameters import sample_parameters
    >>> from simulator.model.negotiation import NegotiationModel
    >>> round(float(relax_threshold_runs(sample_parameters(NegotiationModel()))[0]), 6)
    0.128205
    """
    share = params.weights / params.weights.sum()
    w_s = params.governments["sanctions_burden"] @ share
    value = params.governments["value_of_success"] @ share
    k0, kbar = params["russia.capability"], params["russia.capability_ceiling"]
    ku, g = params["ukraine.capability"], params["contest_exponent"]
    regrouped = rules.regroup(k0, kbar, params["russia.regroup_rate_staller"])
    advantage = np.maximum(contest(regrouped, ku, g) - contest(k0, ku, g), 0.0)
    w_b = value * advantage
    if np.any(w_s + w_b <= 0):
        raise ValueError(
            "the West has neither a sanctions burden nor a value of success at stake "
            "(w_S = w_B = 0) in some run, so its relax threshold is undefined; raise "
            "west.governments.<name>.sanctions_burden or value_of_success"
        )
    return np.asarray(relax_threshold(w_s, w_b), dtype=float)


def russia_flow(
    alignment: Any,
    battle: Any,
    relief: Any,
    cohesion: Any,
    pressure: Any,
    *,
    status: Any,
    dominance_threshold: Any,
    status_loss_span: Any,
    war_cost: Any,
    sanctions_cost: Any,
    wedge: Any = 0.0,
) -> Any:
    """Russia's payoff in one period (see the module docstring).

    ``1 - x + S R(x) - c_R [battle] - (1 - relief) s_c c pi - wedge``: the status premium is
    :func:`simulator.model.rules.status_value`, the sanctions
    :func:`simulator.model.rules.sanctions_loss` (``cohesion`` ``c`` is
    ``west.western_cohesion``, ``pressure`` ``pi`` that of the members still sanctioning).

    Examples
    --------
    At neutrality (0.3) with the default threshold (0.15) and span (0.3) Russia keeps half of
    its premium of 0.5: ``0.7 + 0.25 - 0.1 (battle) - 0.1 (sanctions) = 0.75``.

    >>> round(russia_flow(0.3, 1, 0.0, 1.0, 1.0, status=0.5, dominance_threshold=0.15,
    ...                   status_loss_span=0.3, war_cost=0.1, sanctions_cost=0.1), 12)
    0.75
    """
    x = np.asarray(alignment, dtype=float)
    return _out(
        1.0
        - x
        + rules.status_value(x, status, dominance_threshold, status_loss_span)
        - np.asarray(war_cost) * battle
        - rules.sanctions_loss(sanctions_cost, cohesion, pressure, relief)
        - wedge
    )


def ukraine_flow(alignment: Any, battle: Any, *, war_cost: Any) -> Any:
    """Ukraine's payoff in one period: its alignment minus the cost of a battle.

    Examples
    --------
    >>> round(ukraine_flow(0.6, 1, war_cost=0.15), 12)
    0.45
    """
    return _out(np.asarray(alignment, dtype=float) - np.asarray(war_cost) * battle)


def _out(value: Any) -> Any:
    """A Python float for 0-d results, the array otherwise."""
    value = np.asarray(value)
    return float(value) if value.ndim == 0 else value


def sincere_posterior(mu: Any, like_sincere: Any, like_staller: Any) -> Any:
    """The belief that Russia is sincere after evidence with the given likelihoods.

    Bayes' rule (:func:`simulator.model.rules.bayes`) over the two types; where the evidence
    had probability zero under both, the belief stays at ``mu``. Likelihoods need only be
    proportional (for a signal, ``expit(llr)`` and ``expit(-llr)`` of the log-likelihood ratio
    stay finite at any evidence).

    Parameters
    ----------
    mu : float or array_like
        The prior belief that Russia is sincere, in ``[0, 1]``.
    like_sincere : float or array_like
        The evidence's likelihood (``>= 0``) if Russia is sincere.
    like_staller : float or array_like
        Its likelihood (``>= 0``) if Russia is a staller.

    Returns
    -------
    numpy.ndarray
        The posterior belief that Russia is sincere, of the arguments' broadcast shape (0-d for
        numbers).

    Examples
    --------
    >>> sincere_posterior(np.array([0.5, 0.5, 0.0]), np.array([0.2, 0.0, 0.0]),
    ...                   np.array([0.6, 0.0, 0.5])).tolist()
    [0.25, 0.5, 0.0]
    """
    mu, like_sincere, like_staller = np.broadcast_arrays(
        np.asarray(mu, dtype=float), like_sincere, like_staller
    )
    post = rules.bayes(
        np.stack([mu, 1.0 - mu], axis=-1), np.stack([like_sincere, like_staller], axis=-1)
    )[..., 0]
    return np.where(np.isnan(post), mu, post)
