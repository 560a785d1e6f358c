"""Markov perfect equilibrium of the buy-time game: the discretised state.

:func:`_setup` tabulates what does not depend on the equilibrium: the ceasefire histories
``(eased, held)`` that fix each type's capability, the coalition's cohesion and burden by period
and periods of talks, the flows at each front position, the capability grid under a signed deal,
and the belief transitions after a battle and after a signal of regrouping (Bayes' rule,
Gauss-Hermite quadrature over the signal, linear interpolation on the belief grid as a matrix).
The helpers interpolate values on the belief and capability grids.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.polynomial.hermite import hermgauss
from scipy.special import expit

from simulator.model import rules
from simulator.model.dynamics_parameters import sample_parameters
from simulator.model.dynamics_rules import (
    capability_after_talks,
    coalition_defectors,
    sincere_posterior,
)
from simulator.model.dynamics_settings import DynamicsSettings
from simulator.model.markov_result import MPEGrid
from simulator.model.negotiation import NegotiationModel
from simulator.model.offers import Offer


# ---------------------------------------------------------------------------- set-up
@dataclass(frozen=True, eq=False)
class _Setup:
    T: int
    N: int
    M: int
    mu: np.ndarray
    eased: np.ndarray
    held: np.ndarray
    wedge: np.ndarray
    pair_index: np.ndarray
    next_eased: np.ndarray
    next_held: np.ndarray
    cap: np.ndarray  # (2, P)
    win: np.ndarray  # (2, P)
    cohesion: np.ndarray  # (T+1, T+1)
    pressure: np.ndarray  # (T+1, T+1): sanctions pressure of the members still sanctioning
    burden: np.ndarray  # (T+1, T+1): weight-averaged burden of the members still sanctioning
    value: float
    x: np.ndarray  # (N+1,) alignment at each front position
    base_r: np.ndarray  # (N+1,) Russia's share plus status premium
    k_grid: np.ndarray
    deal_next: tuple[np.ndarray, np.ndarray]  # per type: (index, fraction) of K' on k_grid
    k_win: np.ndarray  # (Kg,) win probability at each grid capability
    pair_k: tuple[np.ndarray, np.ndarray]  # per type: (index, fraction) of cap on k_grid
    par: dict[str, float]
    signal_matrix: tuple[np.ndarray, np.ndarray]  # per type: (M, M) belief transition
    battle_matrix: tuple[np.ndarray, np.ndarray]  # win, loss: (P, M, M) belief transitions


def _setup(
    model: NegotiationModel, offer: Offer, settings: DynamicsSettings, grid: MPEGrid
) -> _Setup:
    params = sample_parameters(model, 1)
    par = {name: float(values[0]) for name, values in params.values.items()}
    gov = {k: v[0] for k, v in params.governments.items()}
    T, N, M = settings.periods, settings.front_positions, grid.beliefs
    e, h = np.array([(a, b) for a in range(T + 1) for b in range(T + 1 - a)]).T
    pair_index = np.full((T + 2, T + 2), -1, dtype=np.int64)
    pair_index[e, h] = np.arange(e.size)
    wedge = e + h
    # at the horizon's edge a further talk cannot happen from period 0; keep the pair (clamp)
    nxt_e = np.where(wedge < T, pair_index[np.minimum(e + 1, T), h], np.arange(e.size))
    nxt_h = np.where(wedge < T, pair_index[e, np.minimum(h + 1, T)], np.arange(e.size))
    k0, kbar = par["russia.capability"], par["russia.capability_ceiling"]
    rates = (par["russia.regroup_rate_sincere"], par["russia.regroup_rate_staller"])
    cap = np.array(
        [capability_after_talks(k0, kbar, r, e, h, settings.sanctions_drag) for r in rates]
    )
    ku, g = par["ukraine.capability"], par["contest_exponent"]
    win = rules.contest(cap, ku, g)

    # coalition by (period, periods of talks), made monotone so that defection is irreversible
    t_axis = np.arange(T + 1)
    defect = coalition_defectors(
        gov["value_of_success"],
        gov["sanctions_burden"],
        gov["audience_cost"],
        gov["fatigue_rate"],
        gov["defection_threshold"],
        params.weights,
        aggregation=params.aggregation,
        threshold=params.cohesion_threshold,
        period=t_axis[:, None],
        budget=t_axis[None, :] * settings.wedge_budget,
    )
    defect = np.logical_or.accumulate(np.logical_or.accumulate(defect, axis=0), axis=1)
    pressure = np.asarray(
        rules.coalition_pressure(
            ~defect, params.weights, params.aggregation, params.cohesion_threshold
        ),
        dtype=float,
    )
    cohesion = par["west.western_cohesion"] * pressure
    omega = params.weights / params.weights.sum()
    kappa = rules.fatigued_burden(
        gov["sanctions_burden"], gov["fatigue_rate"], t_axis[:, None]
    )  # (T+1, n)
    burden = np.einsum("tn,twn->tw", kappa * omega, ~defect)
    value = float(gov["value_of_success"] @ omega)

    f = np.arange(N + 1)
    x = 1.0 - f / N
    base_r = 1.0 - x + _status(par, x)

    lo, hi = min(k0, kbar), max(k0, kbar)
    kg = grid.capability if hi - lo > 1e-12 else 1
    k_grid = np.linspace(lo, hi, kg)
    guarantee = rules.guarantee_strength(
        offer.security_guarantees, par["west.security_guarantee_credibility"]
    )
    deal_next = tuple(
        _grid_position(k_grid, rules.regroup(k_grid, kbar, (1 - guarantee) * r)) for r in rates
    )
    pair_k = tuple(_grid_position(k_grid, cap[i]) for i in range(2))

    mu = np.linspace(0.0, 1.0, M)
    nodes, weights = hermgauss(grid.quadrature)
    weights = weights / np.sqrt(np.pi)
    sigma = settings.signal_noise
    signal = []
    for r in rates:
        z = r + np.sqrt(2.0) * sigma * nodes  # the signal at each node when the true rate is r
        llr = ((z - rates[1]) ** 2 - (z - rates[0]) ** 2) / (2 * sigma**2)
        post = sincere_posterior(mu[:, None], expit(llr)[None, :], expit(-llr)[None, :])
        signal.append(_transition(post, np.broadcast_to(weights, post.shape)))  # (M, nodes)
    post_win = sincere_posterior(mu[None, :], win[0][:, None], win[1][:, None])  # (P, M)
    post_lose = sincere_posterior(mu[None, :], 1 - win[0][:, None], 1 - win[1][:, None])
    ones = np.ones((M, 1))
    battle = tuple(
        np.stack([_transition(row[:, None], ones) for row in post])
        for post in (post_win, post_lose)
    )
    par = dict(par)
    par["guarantee"] = guarantee
    return _Setup(
        T=T,
        N=N,
        M=M,
        mu=mu,
        eased=e,
        held=h,
        wedge=wedge,
        pair_index=pair_index,
        next_eased=nxt_e,
        next_held=nxt_h,
        cap=cap,
        win=win,
        cohesion=cohesion,
        pressure=pressure,
        burden=burden,
        value=value,
        x=x,
        base_r=base_r,
        k_grid=k_grid,
        deal_next=deal_next,
        k_win=rules.contest(k_grid, ku, g),
        pair_k=pair_k,
        par=par,
        signal_matrix=tuple(signal),
        battle_matrix=battle,
    )


def _status(par: dict[str, float], alignment: Any) -> Any:
    """The status premium Russia keeps at ``alignment`` (:func:`rules.status_value`)."""
    return rules.status_value(
        alignment,
        par["russia.great_power_status"],
        par["russia.dominance_threshold"],
        par["russia.status_loss_span"],
    )


def _transition(post: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Matrix ``A`` with ``(V @ A)[m] = sum_k weight[m, k] * V interpolated at post[m, k]``.

    Linear interpolation on the uniform belief grid is linear in the values, so the expected
    continuation over the next belief is a matrix product.
    """
    m = post.shape[0]
    pos = post * (m - 1)
    lo = np.minimum(pos.astype(np.int64), m - 2)
    frac = pos - lo
    cols = np.broadcast_to(np.arange(m)[:, None], post.shape)
    out = np.zeros((m, m))
    np.add.at(out, (lo, cols), weight * (1 - frac))
    np.add.at(out, (lo + 1, cols), weight * frac)
    return out


def _grid_position(grid: np.ndarray, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of the left grid point and the interpolation fraction for each point."""
    if grid.size == 1:
        return np.zeros(np.shape(points), dtype=int), np.zeros(np.shape(points))
    pos = np.interp(points, grid, np.arange(grid.size))
    lo = np.minimum(np.floor(pos).astype(int), grid.size - 2)
    return lo, pos - lo


def _along(values: np.ndarray, lo: np.ndarray, frac: np.ndarray, axis: int = 0) -> np.ndarray:
    """Linear interpolation of ``values`` along ``axis`` at (index, fraction) positions."""
    if values.shape[axis] == 1:
        return np.take(values, np.zeros_like(lo), axis=axis)
    shape = [1] * values.ndim
    shape[axis] = -1
    w = frac.reshape(shape)
    return np.take(values, lo, axis=axis) * (1 - w) + np.take(values, lo + 1, axis=axis) * w


def _belief_interp(values: np.ndarray, post: np.ndarray) -> np.ndarray:
    """Interpolate ``values[..., m]`` (uniform belief grid) at ``post`` (leading axes broadcast)."""
    m = values.shape[-1]
    pos = np.clip(post, 0.0, 1.0) * (m - 1)
    lo = np.minimum(pos.astype(np.int64), m - 2)
    frac = pos - lo
    shape = np.broadcast_shapes(values.shape[:-1] + (1,), post.shape)
    lo_b = np.broadcast_to(lo, shape)
    a = np.take_along_axis(values, lo_b, axis=-1)
    b = np.take_along_axis(values, lo_b + 1, axis=-1)
    return a + (b - a) * frac
