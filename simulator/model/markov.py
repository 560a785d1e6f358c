"""Markov perfect equilibrium of the buy-time game, by backward induction on a discretised state.

The game of :mod:`simulator.model.dynamics` over a finite horizon, solved for a Markov perfect
equilibrium (E. Maskin & J. Tirole (2001), "Markov perfect equilibrium I: observable actions",
*Journal of Economic Theory* 100(2)) in which the public belief that Russia is sincere is part of
the state and is updated by Bayes' rule on Russia's equilibrium strategy (mixed where needed) and
on the evidence: battle outcomes and noisy signals of regrouping (Powell 2004, *AJPS* 48(2);
Min 2020, *International Organization* 74(3)). It answers mission claims 1, 2, 5 and 6: when does
buying time pay a staller against a genuine compromise, given the West's best response?

Stage game in each period (``docs/dynamics.md`` gives the details)
------------------------------------------------------------------
1. The West chooses to *ease* sanctions if Russia talks, or to *hold* them; Ukraine chooses
   whether it would *accept* the offer on the table. Both move on the public belief ``mu``.
2. Russia, knowing its type (sincere or staller) and the followers' choices, fights, talks
   (a ceasefire in which it regroups, spends the wedge on the coalition's weakest link and the
   West observes a noisy signal of its regroup rate) or signs the deal (if Ukraine accepts and
   talks have lasted ``negotiation_periods``).
3. Under a signed deal Russia may break it at the start of any later period and fight to the
   end (renewed war); guarantees slow its regrouping under the deal (claim 5).

The state is the period, the numbers of ceasefire periods with sanctions eased and held (which
fix each type's capability exactly, and with the period the coalition's cohesion: at least
``(T+1)(T+2)/2`` capability/cohesion levels), the front position and the belief (a grid;
values are interpolated linearly in the belief). Each backward step is vectorised over all
states. In each state the followers' 2x2 game is solved exactly (pure or mixed); for each of
its four outcomes Russia's two types play a signalling stage whose equilibrium is found among
pure profiles (off-path beliefs chosen in ``{0, mu, 1}`` to deter deviations) and, where none
exists, semi-separating profiles in which one type mixes and the posterior solves the other's
indifference exactly on the interpolated value. The certificate is the largest one-shot
deviation gain of any player in any state and period (one-shot deviation principle).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.polynomial.hermite import hermgauss
from scipy.special import expit

from simulator.model import rules
from simulator.model.dynamics import (
    DynamicsSettings,
    capability_after_talks,
    coalition_defectors,
    sample_parameters,
    sincere_posterior,
)
from simulator.model.negotiation import NegotiationModel
from simulator.model.offers import Offer
from simulator.model.parameters import parameter, validate

__all__ = ["ACTIONS", "MPEGrid", "MPEResult", "markov_perfect_equilibrium"]

#: Russia's actions in the order of the policy arrays.
ACTIONS = ("fight", "talk", "settle")
TYPES = ("sincere", "staller")
PLAYERS = ("russia", "ukraine", "west")
_F, _T, _D = 0, 1, 2
_R, _U, _W = 0, 1, 2


@dataclass(frozen=True)
class MPEGrid:
    """Resolution of the discretisation.

    Examples
    --------
    >>> MPEGrid(beliefs=11).beliefs
    11
    """

    beliefs: int = parameter(
        21,
        low=3,
        high=2001,
        integer=True,
        unit="grid points",
        description="points of the belief grid on [0, 1] (values are interpolated between them)",
    )
    capability: int = parameter(
        33,
        low=2,
        high=5001,
        integer=True,
        unit="grid points",
        description="points of Russia's capability grid under a signed deal",
    )
    quadrature: int = parameter(
        9,
        low=1,
        high=101,
        integer=True,
        unit="nodes",
        description="Gauss-Hermite nodes for the expectation over the regrouping signal",
    )

    def __post_init__(self) -> None:
        validate(self, "grid")


@dataclass(frozen=True, eq=False)
class MPEResult:
    """A Markov perfect equilibrium with its policies, values and certificate.

    Arrays over states are indexed ``[pair, front, belief]`` where ``pair`` enumerates the
    ceasefire histories ``(eased, held)`` with ``eased + held <= periods``
    (:attr:`eased`, :attr:`held`), ``front`` runs over ``0..N`` and ``belief`` over
    :attr:`beliefs`. At decided fronts (``0``, ``N``) nobody moves and the policies are 0.

    Attributes
    ----------
    russia_policy : numpy array, shape (periods, 2, 3, pairs, N + 1, beliefs)
        Probability of each action (:data:`ACTIONS`) by type (sincere, staller), averaged over
        the followers' mixed choices.
    west_ease, ukraine_accept : numpy arrays, shape (periods, pairs, N + 1, beliefs)
        Probability that the West eases if Russia talks, and that Ukraine accepts the offer.
    break_policy : numpy bool array, shape (periods, 2, capability grid, N + 1, periods + 1)
        Whether a Russia of each type under a signed deal breaks it at the start of the period,
        by capability (:attr:`capability_grid`), front and periods of talks (wedge count).
    values : numpy array, shape (2, 3, pairs, N + 1, beliefs)
        Equilibrium values at period 0 by Russia's true type and player (:data:`PLAYERS`).
    buy_time_values, compromise_values : numpy arrays, shape (2, pairs, N + 1, beliefs)
        Period-0 value to Russia of each type of its best plan that never signs (talk and
        fight, resuming when it pays: buying time), and of genuine compromise (talk until
        Ukraine accepts, sign and keep the deal), against the followers' equilibrium strategies.
    certificate : float
        Largest one-shot deviation gain over all states, periods and players.
    certificate_by_period : numpy array, shape (periods,)
    tolerance : float
    unresolved : int
        State-outcomes in which no exact stage equilibrium was found among the candidates
        (their residual deviation gains are in the certificate).
    elapsed : float
        Seconds taken.

    Examples
    --------
    >>> from simulator.model import NegotiationModel, Offer
    >>> eq = markov_perfect_equilibrium(NegotiationModel(), Offer.neutrality_for_guarantees(),
    ...                                 grid=MPEGrid(beliefs=5), periods=3)
    >>> first = eq.initial()

    In the middle of the front (alignment 0.5) Russia keeps none of its status premium, and each
    battle won recovers some of it (the premium is continuous in alignment), so over three
    periods both types fight first and the staller's best plan never signs:

    >>> first["russia_first_move"]["staller"]
    {'fight': 1.0, 'talk': 0.0, 'settle': 0.0}
    >>> first["buy_time_pays"]["staller"], eq.summary()["certified"]
    (True, True)
    >>> eq.russia_action_probability(0, "sincere", 0, 0, 5, 0.5).round(3).tolist()
    [1.0, 0.0, 0.0]
    """

    settings: DynamicsSettings
    grid: MPEGrid
    offer: Offer
    beliefs: np.ndarray
    eased: np.ndarray
    held: np.ndarray
    capability: np.ndarray
    cohesion: np.ndarray
    capability_grid: np.ndarray
    russia_policy: np.ndarray
    west_ease: np.ndarray
    ukraine_accept: np.ndarray
    break_policy: np.ndarray
    values: np.ndarray
    buy_time_values: np.ndarray
    compromise_values: np.ndarray
    certificate: float
    certificate_by_period: np.ndarray
    tolerance: float
    unresolved: int
    elapsed: float
    prior: float
    pair_index: np.ndarray = field(repr=False)

    @property
    def periods(self) -> int:
        """The horizon."""
        return int(self.west_ease.shape[0])

    @property
    def states(self) -> int:
        """Number of states per period (pairs x front positions x beliefs)."""
        return int(np.prod(self.west_ease.shape[1:]))

    @property
    def certified(self) -> bool:
        """Whether no player gains more than :attr:`tolerance` by a one-shot deviation."""
        return bool(self.certificate <= self.tolerance)

    def ease_probability(
        self, period: int, eased: Any, held: Any, front: Any, belief: Any
    ) -> np.ndarray:
        """The West's equilibrium probability of easing, interpolated in the belief.

        Vectorised over states: ``eased``, ``held``, ``front`` and ``belief`` broadcast.

        Examples
        --------
        >>> from simulator.model import NegotiationModel, Offer
        >>> eq = markov_perfect_equilibrium(NegotiationModel(), Offer.neutrality_for_guarantees(),
        ...                                 grid=MPEGrid(beliefs=5), periods=2)
        >>> eq.ease_probability(0, 0, 0, 5, [0.1, 0.9]).shape
        (2,)
        """
        return self._lookup(self.west_ease[period], eased, held, front, belief)

    def russia_action_probability(
        self, period: int, russian_type: str, eased: Any, held: Any, front: Any, belief: Any
    ) -> np.ndarray:
        """Probabilities of (fight, talk, settle) for a type, shape ``(..., 3)``."""
        k = TYPES.index(russian_type)
        return np.stack(
            [
                self._lookup(self.russia_policy[period, k, a], eased, held, front, belief)
                for a in range(3)
            ],
            axis=-1,
        )

    def initial(self) -> dict[str, Any]:
        """Equilibrium at the initial state (period 0, no talks yet, prior belief).

        Returns the values by type and player, the values of buying time and of genuine
        compromise by type, whether buying time pays, and each player's first move.
        """
        f0 = self.settings.initial_position
        mu0 = self.prior
        out: dict[str, Any] = {"belief": mu0, "front": f0}

        def at(arr: np.ndarray) -> float:
            return float(np.interp(mu0, self.beliefs, arr[0, f0]))

        out["values"] = {
            t: {p: at(self.values[k, i]) for i, p in enumerate(PLAYERS)}
            for k, t in enumerate(TYPES)
        }
        out["buy_time_value"] = {t: at(self.buy_time_values[k]) for k, t in enumerate(TYPES)}
        out["compromise_value"] = {t: at(self.compromise_values[k]) for k, t in enumerate(TYPES)}
        out["buy_time_pays"] = {
            t: out["buy_time_value"][t] > out["compromise_value"][t] + rules.TOL for t in TYPES
        }
        out["russia_first_move"] = {
            t: dict(
                zip(
                    ACTIONS,
                    self.russia_action_probability(0, t, 0, 0, f0, mu0).round(12).tolist(),
                )
            )
            for t in TYPES
        }
        out["west_eases"] = float(self.ease_probability(0, 0, 0, f0, mu0))
        out["ukraine_accepts"] = float(self._lookup(self.ukraine_accept[0], 0, 0, f0, mu0))
        return out

    def summary(self) -> dict[str, Any]:
        """Headline numbers, certificate and timing as plain Python values."""
        return {
            "periods": self.periods,
            "states_per_period": self.states,
            "certificate": self.certificate,
            "tolerance": self.tolerance,
            "certified": self.certified,
            "unresolved": self.unresolved,
            "elapsed_seconds": self.elapsed,
            **self.initial(),
        }

    def _lookup(
        self, table: np.ndarray, eased: Any, held: Any, front: Any, belief: Any
    ) -> np.ndarray:
        eased, held, front, belief = np.broadcast_arrays(
            np.asarray(eased), np.asarray(held), np.asarray(front), np.asarray(belief, float)
        )
        horizon = self.pair_index.shape[0] - 2
        if np.any(eased < 0) or np.any(held < 0) or np.any(eased + held > horizon):
            raise ValueError(
                f"eased + held periods of talks must be between 0 and the equilibrium's "
                f"horizon {horizon}; got eased={eased.tolist()}, held={held.tolist()}"
            )
        pair = self.pair_index[eased, held]
        m = self.beliefs.size
        pos = np.clip(belief, 0.0, 1.0) * (m - 1)
        lo = np.minimum(np.floor(pos).astype(int), m - 2)
        frac = pos - lo
        return table[pair, front, lo] * (1 - frac) + table[pair, front, lo + 1] * frac

    def check_compatible(self, settings: DynamicsSettings) -> None:
        """Raise ValueError unless a simulation with ``settings`` can use this equilibrium."""
        if settings.front_positions != self.settings.front_positions:
            raise ValueError(
                f"the equilibrium was solved with {self.settings.front_positions} front "
                f"positions, the simulation uses {settings.front_positions}"
            )
        if settings.periods > self.periods:
            raise ValueError(
                f"the equilibrium covers {self.periods} periods, the simulation needs "
                f"{settings.periods}"
            )


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


# ---------------------------------------------------------------------------- the solver
def markov_perfect_equilibrium(
    model: NegotiationModel,
    offer: Offer,
    grid: MPEGrid | None = None,
    periods: int | None = None,
    *,
    settings: DynamicsSettings | None = None,
    tolerance: float = rules.TOL,
) -> MPEResult:
    """Solve the buy-time game for a Markov perfect equilibrium by backward induction.

    Parameters
    ----------
    model : NegotiationModel
        Reads the parameters listed in :data:`simulator.model.dynamics.READ_PARAMETERS` and the
        governments' ``weight``, ``value_of_success``, ``sanctions_burden``, ``audience_cost``,
        ``fatigue_rate``, ``defection_threshold``, ``west.aggregation`` and
        ``west.cohesion_threshold``.
    offer : Offer
        Reads ``alignment``, ``security_guarantees`` and ``sanctions_relief``.
    grid : MPEGrid, optional
        Belief and capability grids, quadrature nodes.
    periods : int, optional
        Overrides ``settings.periods``.
    settings : DynamicsSettings, optional
    tolerance : float
        Deviation gains up to ``tolerance * max(1, payoff scale)`` count as none.

    Returns
    -------
    MPEResult

    Examples
    --------
    >>> from simulator.model import NegotiationModel, Offer
    >>> eq = markov_perfect_equilibrium(NegotiationModel(), Offer.neutrality_for_guarantees(),
    ...                                 grid=MPEGrid(beliefs=5), periods=3)
    >>> eq.certified, eq.states
    (True, 550)
    """
    started = time.perf_counter()
    grid = grid or MPEGrid()
    settings = settings or DynamicsSettings()
    if periods is not None:
        from dataclasses import replace

        settings = replace(settings, periods=periods)
    if not isinstance(offer, Offer):
        raise TypeError(f"offer must be an Offer; got {offer!r}")
    s = _setup(model, offer, settings, grid)
    solver = _Solver(s, settings, offer)
    out = solver.run(tolerance)
    return MPEResult(
        settings=settings,
        grid=grid,
        offer=offer,
        beliefs=s.mu,
        eased=s.eased,
        held=s.held,
        capability=s.cap,
        cohesion=s.cohesion,
        capability_grid=s.k_grid,
        elapsed=time.perf_counter() - started,
        prior=s.par["russia.prior_sincere"],
        pair_index=s.pair_index,
        **out,
    )


class _Solver:
    """Backward induction; one instance per solve."""

    def __init__(self, s: _Setup, settings: DynamicsSettings, offer: Offer) -> None:
        self.s = s
        self.settings = settings
        p = s.par
        self.delta = np.array(
            [
                p["russia.discount_factor"],
                p["ukraine.discount_factor"],
                settings.west_discount_factor,
            ]
        )
        self.x_deal = offer.alignment
        self.relief = offer.sanctions_relief
        self.deal_base_r = 1.0 - offer.alignment + _status(p, offer.alignment)

    # -- flows ---------------------------------------------------------------
    def _sanctions(self, pressure: Any, relief: Any) -> Any:
        """Russia's sanctions loss at this pressure and relief (:func:`rules.sanctions_loss`)."""
        p = self.s.par
        return rules.sanctions_loss(
            p["russia.sanctions_cost"], p["west.western_cohesion"], pressure, relief
        )

    def _terminal_scale(self) -> np.ndarray:
        if not self.settings.terminal_value:
            return np.zeros(3)
        return 1.0 / (1.0 - self.delta)

    def _war_flows(self, t: int, front: np.ndarray, battle: float) -> np.ndarray:
        """Flows (3, F, W) at front positions (after the battle), sanctions at 1."""
        s, p = self.s, self.s.par
        pressure = s.pressure[t][None, :]
        b = s.burden[t][None, :]
        x = s.x[front][:, None]
        r = (
            s.base_r[front][:, None]
            - p["russia.war_cost"] * battle
            - self._sanctions(pressure, 0.0)
        )
        u = x - p["ukraine.war_cost"] * battle + 0 * pressure
        w = s.value * x - b
        return np.stack(np.broadcast_arrays(r, u, w))

    def _deal_flows(self, t: int) -> np.ndarray:
        """Flows (3, W) under the deal in period t."""
        s = self.s
        pressure, b = s.pressure[t], s.burden[t]
        r = self.deal_base_r - self._sanctions(pressure, self.relief)
        u = np.full_like(pressure, self.x_deal)
        w = s.value * self.x_deal - (1.0 - self.relief) * b
        return np.stack([r, u, w])

    # -- run -----------------------------------------------------------------
    def run(self, tolerance: float) -> dict[str, Any]:
        s = self.s
        T, N, M = s.T, s.N, s.M
        P = s.eased.size
        F = N + 1
        Kg = s.k_grid.size
        Wn = T + 1
        delta = self.delta
        scale = self._terminal_scale()
        fronts = np.arange(F)

        # ---- renewed war and the deal: values on the capability grid ---------------------
        war_next = (self._war_flows(T, fronts, 0.0) * scale[:, None, None])[:, None]  # (3,1,F,W)
        war_next = np.broadcast_to(war_next, (3, Kg, F, Wn)).copy()
        deal_next = np.broadcast_to(
            (self._deal_flows(T) * scale[:, None])[None, :, None, None, :], (2, 3, Kg, F, Wn)
        ).copy()
        keep_forever_next = self._deal_flows(T) * scale[:, None]  # (3, W)
        keep = np.empty((T, 2, 3, Kg, F, Wn))
        keep_forever = np.empty((T, 3, Wn))
        breaks = np.zeros((T, 2, Kg, F, Wn), dtype=bool)
        pk = s.k_win[:, None, None]
        inner = np.arange(1, N)
        for t in range(T - 1, -1, -1):
            war = np.empty_like(war_next)
            up = (
                self._war_flows(t, inner + 1, 1.0)[:, None]
                + delta[:, None, None, None] * war_next[:, :, inner + 1]
            )
            down = (
                self._war_flows(t, inner - 1, 1.0)[:, None]
                + delta[:, None, None, None] * war_next[:, :, inner - 1]
            )
            war[:, :, inner] = pk * up + (1 - pk) * down
            ends = np.array([0, N])
            war[:, :, ends] = (
                self._war_flows(t, ends, 0.0)[:, None]
                + delta[:, None, None, None] * war_next[:, :, ends]
            )
            flows = self._deal_flows(t)  # (3, W)
            settled = np.empty_like(deal_next)
            for k in range(2):
                lo, frac = s.deal_next[k]
                cont = _along(deal_next[k], lo, frac, axis=1)  # (3, Kg, F, W)
                keep[t, k] = flows[:, None, None, :] + delta[:, None, None, None] * cont
                brk = war[_R] - keep[t, k, _R] > rules.TOL  # a tie keeps the deal
                breaks[t, k] = brk
                settled[k] = np.where(brk[None], war, keep[t, k])
            keep_forever[t] = flows + delta[:, None] * keep_forever_next
            war_next, deal_next, keep_forever_next = war, settled, keep_forever[t]

        # ---- the active phase -----------------------------------------------------------
        term = self._war_flows(T, fronts, 0.0) * scale[:, None, None]  # (3, F, W)
        v_next = np.broadcast_to(
            term[:, :, s.wedge].transpose(0, 2, 1)[None, :, :, :, None], (2, 3, P, F, M)
        ).copy()
        bt_next = v_next[:, _R].copy()
        gc_next = v_next[:, _R].copy()
        shape = (T, P, F, M)
        russia_policy = np.zeros((T, 2, 3, P, F, M), dtype=np.float32)
        west_ease = np.zeros(shape, dtype=np.float32)
        ukraine_accept = np.zeros(shape, dtype=np.float32)
        cert = np.zeros(T)
        value_scale = float(np.max(np.abs(v_next))) if v_next.size else 1.0
        tol = tolerance * max(1.0, value_scale, 1.0 / (1.0 - delta.max()))
        unresolved = 0
        for t in range(T - 1, -1, -1):
            stage = self._stage(t, v_next, bt_next, gc_next, keep[t], keep_forever[t], tol)
            v_next, bt_next, gc_next = stage["values"], stage["bt"], stage["gc"]
            russia_policy[t] = stage["russia"]
            west_ease[t] = stage["ease"]
            ukraine_accept[t] = stage["accept"]
            cert[t] = stage["gain"]
            unresolved += stage["unresolved"]
        return {
            "russia_policy": russia_policy,
            "west_ease": west_ease,
            "ukraine_accept": ukraine_accept,
            "break_policy": breaks,
            "values": v_next,
            "buy_time_values": bt_next,
            "compromise_values": gc_next,
            "certificate": float(cert.max()) if T else 0.0,
            "certificate_by_period": cert,
            "tolerance": tol,
            "unresolved": int(unresolved),
        }

    # -- one period ---------------------------------------------------------------
    def _stage(
        self,
        t: int,
        v_next: np.ndarray,
        bt_next: np.ndarray,
        gc_next: np.ndarray,
        keep_t: np.ndarray,
        keep_forever_t: np.ndarray,
        tol: float,
    ) -> dict[str, Any]:
        s, st = self.s, self.settings
        p = s.par
        N, M = s.N, s.M
        P = s.eased.size
        delta = self.delta
        inner = np.arange(1, N)
        mu = s.mu
        pres = s.pressure[t][s.wedge]  # (P,)
        bur = s.burden[t][s.wedge]
        x = s.x

        values = np.empty_like(v_next)
        bt = np.empty_like(bt_next)
        gc = np.empty_like(gc_next)
        # decided fronts: nobody moves
        for f in (0, N):
            r = s.base_r[f] - self._sanctions(pres, 0.0)
            flows = np.stack([r, np.full(P, x[f]), s.value * x[f] - bur])  # (3, P)
            values[:, :, :, f] = (
                flows[None, :, :, None] + delta[None, :, None, None] * v_next[:, :, :, f]
            )
            bt[:, :, f] = flows[_R][None, :, None] + delta[_R] * bt_next[:, :, f]
            gc[:, :, f] = flows[_R][None, :, None] + delta[_R] * gc_next[:, :, f]

        # ---- action values as functions of the posterior (last axis) ------------------
        win = s.win  # (2, P)
        win_matrix, lose_matrix = s.battle_matrix
        fl_up = np.stack(
            [
                s.base_r[inner + 1][None, :]
                - p["russia.war_cost"]
                - self._sanctions(pres[:, None], 0.0),
                np.broadcast_to(x[inner + 1] - p["ukraine.war_cost"], (P, N - 1)),
                s.value * x[inner + 1][None, :] - bur[:, None],
            ]
        )  # (3, P, Fi)
        fl_down = np.stack(
            [
                s.base_r[inner - 1][None, :]
                - p["russia.war_cost"]
                - self._sanctions(pres[:, None], 0.0),
                np.broadcast_to(x[inner - 1] - p["ukraine.war_cost"], (P, N - 1)),
                s.value * x[inner - 1][None, :] - bur[:, None],
            ]
        )

        def fight_value(vn: np.ndarray, k: int, i: int) -> np.ndarray:
            """(P, Fi, M): type k's value for player i of fighting, by posterior."""
            up = vn[:, inner + 1] @ win_matrix
            down = vn[:, inner - 1] @ lose_matrix
            pw = win[k][:, None, None]
            return pw * (fl_up[i][:, :, None] + delta[i] * up) + (1 - pw) * (
                fl_down[i][:, :, None] + delta[i] * down
            )

        def talk_flows(e: int) -> np.ndarray:
            level = 1.0 - st.easing * e
            return np.stack(
                [
                    s.base_r[inner][None, :]
                    - self._sanctions(pres[:, None], st.easing * e)
                    - st.wedge_budget,
                    np.broadcast_to(x[inner], (P, N - 1)),
                    s.value * x[inner][None, :] - level * bur[:, None],
                ]
            )  # (3, P, Fi)

        talk_fl = [talk_flows(0), talk_flows(1)]
        nxt = [s.next_held, s.next_eased]

        def talk_value(vn: np.ndarray, k: int, i: int, e: int) -> np.ndarray:
            cont = vn[nxt[e]][:, inner] @ s.signal_matrix[k]  # (P, Fi, M)
            return talk_fl[e][i][:, :, None] + delta[i] * cont

        # Q[k][i][a] arrays: a in (fight, talk-hold, talk-ease)
        qf = [[fight_value(v_next[k, i], k, i) for i in range(3)] for k in range(2)]
        qt = [
            [[talk_value(v_next[k, i], k, i, e) for e in range(2)] for i in range(3)]
            for k in range(2)
        ]
        qf_bt = [fight_value(bt_next[k], k, _R) for k in range(2)]
        qt_bt = [[talk_value(bt_next[k], k, _R, e) for e in range(2)] for k in range(2)]
        qt_gc = [[talk_value(gc_next[k], k, _R, e) for e in range(2)] for k in range(2)]
        # signing: the deal's value at this type's capability
        qd = []
        for k in range(2):
            lo, frac = s.pair_k[k]
            sign = _along(keep_t[k], lo, frac, axis=1)  # (3, P, F, W) at each pair's capability
            sign = sign[:, np.arange(P), :, s.wedge]  # (P, 3, F)
            qd.append([sign[:, i, inner] for i in range(3)])  # (P, Fi)
        settle_ok = s.wedge >= st.negotiation_periods  # (P,)
        gc_sign = keep_forever_t[_R][s.wedge]  # (P,)

        # ---- Russia's stage equilibrium in each of the four follower outcomes ------------
        cells = {}
        for e in range(2):
            for a in range(2):
                cells[(e, a)] = self._russia_stage(qf, qt, qd, e, bool(a), settle_ok, tol, mu)

        # ---- the followers' 2x2 game ----------------------------------------------------
        muv = mu[None, None, :]
        fol = {}
        for key, c in cells.items():
            u = muv * c["value"][0][_U] + (1 - muv) * c["value"][1][_U]
            w = muv * c["value"][0][_W] + (1 - muv) * c["value"][1][_W]
            fol[key] = (w, u)
        ease, accept, gain_f = _followers(fol, tol)
        # before talks have lasted long enough Ukraine's reply changes nothing: report "no"
        accept = np.where(settle_ok[:, None, None], accept, 0.0)

        # ---- combine ---------------------------------------------------------------------
        prob = {
            (e, a): (ease if e else 1 - ease) * (accept if a else 1 - accept)
            for e in range(2)
            for a in range(2)
        }
        shape_in = (P, N - 1, M)
        vin = np.zeros((2, 3) + shape_in)
        btin = np.zeros((2,) + shape_in)
        gcin = np.zeros((2,) + shape_in)
        pol = np.zeros((2, 3) + shape_in)
        gain_r = 0.0
        unresolved = 0
        for (e, a), c in cells.items():
            pr = prob[(e, a)]
            for k in range(2):
                vin[k] += pr * c["value"][k]
                pol[k] += pr * c["sigma"][k]
                bf = _belief_interp(qf_bt[k], c["post"][_F])
                btk = _belief_interp(qt_bt[k][e], c["post"][_T])
                best = np.maximum(bf, btk)
                btin[k] += pr * best
                talk_gc = _belief_interp(qt_gc[k][e], c["post"][_T])
                if a:
                    signs = settle_ok[:, None, None]
                    gcv = np.where(signs, gc_sign[:, None, None], talk_gc)
                else:
                    gcv = talk_gc
                gcin[k] += pr * gcv
            gain_r = max(gain_r, float(c["gain"].max()))
            unresolved += int(c["unresolved"])
        values[:, :, :, inner] = vin
        bt[:, :, inner] = btin
        gc[:, :, inner] = gcin
        russia = np.zeros((2, 3, P, N + 1, M), dtype=np.float32)
        russia[:, :, :, inner] = pol
        ease_full = np.zeros((P, N + 1, M), dtype=np.float32)
        ease_full[:, inner] = ease
        accept_full = np.zeros((P, N + 1, M), dtype=np.float32)
        accept_full[:, inner] = accept
        return {
            "values": values,
            "bt": bt,
            "gc": gc,
            "russia": russia,
            "ease": ease_full,
            "accept": accept_full,
            "gain": max(gain_r, float(gain_f.max())),
            "unresolved": unresolved,
        }

    # -- Russia's signalling stage --------------------------------------------------
    def _russia_stage(
        self,
        qf: list,
        qt: list,
        qd: list,
        e: int,
        accept: bool,
        settle_ok: np.ndarray,
        tol: float,
        mu: np.ndarray,
    ) -> dict[str, Any]:
        """Equilibrium of the two Russian types given the followers' choices (e, accept)."""
        # value arrays Q[k][i][a]: a = F, T (by posterior, last axis), D (no posterior)
        shape = qf[0][0].shape  # (P, Fi, M)
        q = [
            [
                [qf[k][i], qt[k][i][e], np.broadcast_to(qd[k][i][:, :, None], shape)]
                for i in range(3)
            ]
            for k in range(2)
        ]
        can_settle = np.broadcast_to(
            (settle_ok if accept else np.zeros_like(settle_ok))[:, None, None], shape
        )
        mu_b = np.broadcast_to(mu[None, None, :], shape)
        avail = [True, True, accept and bool(settle_ok.any())]

        best = None
        for a_s in range(3):
            for a_b in range(3):
                if not (avail[a_s] and avail[a_b]):
                    continue
                cand = self._pure(q, a_s, a_b, mu_b, can_settle)
                best = cand if best is None else _better(best, cand, mu_b, tol)
        assert best is not None
        # Later passes run only on the states still without an equilibrium, in this order:
        # pure profiles with exact off-path beliefs, semi-separating profiles, both types
        # mixing, and separating profiles at beliefs 0 and 1.
        passes = (
            lambda q_, mu_, cs_: [
                self._pure(q_, a_s, a_b, mu_, cs_, full=False)
                for a_s in range(3)
                for a_b in range(3)
                if avail[a_s] and avail[a_b]
            ],
            lambda q_, mu_, cs_: self._mixed(q_, mu_, cs_, avail),
            lambda q_, mu_, cs_: [self._both_mix(q_, mu_, cs_)],
            lambda q_, mu_, cs_: self._boundary(q_, mu_, cs_, avail),
        )
        for make in passes:
            failing = best["gain"] > tol
            if not failing.any():
                break
            idx = np.nonzero(failing)

            def sub(arr: np.ndarray, settle: bool, idx: tuple = idx) -> np.ndarray:
                return arr[idx][:, None] if settle else arr[idx[0], idx[1], :]

            sub_q = [
                [[sub(q[k][i][a], a == _D) for a in range(3)] for i in range(3)] for k in range(2)
            ]
            sub_mu = mu_b[idx][:, None]
            sub_best = None
            for cand in make(sub_q, sub_mu, can_settle[idx][:, None]):
                sub_best = cand if sub_best is None else _better(sub_best, cand, sub_mu, tol)
            if sub_best is not None:
                improve = sub_best["gain"][:, 0] < best["gain"][idx]
                rows = tuple(ix[improve] for ix in idx)
                _assign(best, sub_best, rows, improve)
        return {
            "sigma": best["sigma"],
            "post": best["post"],
            "value": best["value"],
            "gain": best["gain"],
            "unresolved": int((best["gain"] > tol).sum()),
        }

    def _pure(
        self,
        q: list,
        a_s: int,
        a_b: int,
        mu_b: np.ndarray,
        can_settle: np.ndarray,
        full: bool = True,
    ) -> dict[str, Any]:
        """A pure profile (sincere plays a_s, staller a_b) with deterring off-path beliefs."""
        post: list[Any] = [None, None]
        for a in (_F, _T):
            if a == a_s and a == a_b:
                post[a] = "mu" if full else mu_b
            elif a == a_s:
                post[a] = "one"
            elif a == a_b:
                post[a] = "zero"
        sigma = [[float(a == a_s) for a in range(3)], [float(a == a_b) for a in range(3)]]
        return _evaluate(q, sigma, post, mu_b, can_settle, full=full)

    def _boundary(self, q: list, mu_b: np.ndarray, can_settle: np.ndarray, avail: list) -> list:
        """Separating profiles at a belief of 0 or 1, where one type has no mass.

        An action only the massless type takes is then a zero-probability event, so Bayes'
        rule leaves its posterior free: it is searched over the belief grid.
        """
        out = []
        edge = (mu_b == 0.0) | (mu_b == 1.0)
        if not edge.any():
            return out
        M = q[0][0][0].shape[-1]
        sincere_massless = mu_b == 0.0
        for a_s in range(3):
            for a_b in range(3):
                if a_s == a_b or not (avail[a_s] and avail[a_b]):
                    continue
                best = None
                for m in range(M):
                    pi = np.full(mu_b.shape, m / (M - 1.0))
                    post: list[Any] = [None, None]
                    for a, own in ((a_s, 0), (a_b, 1)):
                        if a == _D:
                            continue
                        massless = sincere_massless if own == 0 else ~sincere_massless
                        post[a] = np.where(massless, pi, mu_b)
                    sigma = [
                        [float(a == a_s) for a in range(3)],
                        [float(a == a_b) for a in range(3)],
                    ]
                    cand = _evaluate(q, sigma, post, mu_b, can_settle, full=False)
                    cand["gain"] = np.where(edge, cand["gain"], np.inf)
                    best = cand if best is None else _better(best, cand, mu_b, 0.0)
                out.append(best)
        return out

    def _mixed(self, q: list, mu_b: np.ndarray, can_settle: np.ndarray, avail: list) -> list:
        """Semi-separating candidates: one type mixes, the posterior solves its indifference."""
        out = []
        M = q[0][0][0].shape[-1]
        grid = np.linspace(0.0, 1.0, M)
        m_state = np.rint(mu_b[:, 0] * (M - 1)).astype(int)
        acts = [a for a in range(3) if avail[a]]
        for pure_type in (0, 1):
            mixer = 1 - pure_type
            for a in (_F, _T):  # the action both types play (posterior on the grid axis)
                for b in acts:
                    if b == a:
                        continue
                    # the mixer's other action b is played by it alone
                    if b == _D:
                        rhs = q[mixer][_R][_D]
                    else:
                        alone = 0.0 if mixer == 1 else 1.0
                        rhs = q[mixer][_R][b][..., -1:] if alone else q[mixer][_R][b][..., :1]
                    diff = q[mixer][_R][a] - rhs  # (n, M) over the posterior
                    pi = _root(diff, grid, m_state, upper=(mixer == 1))[:, None]
                    ok = np.isfinite(pi)
                    pi = np.where(ok, pi, mu_b)
                    post: list[Any] = [None, None]
                    post[a] = pi
                    if b != _D:
                        post[b] = "zero" if mixer == 1 else "one"
                    with np.errstate(divide="ignore", invalid="ignore"):
                        if mixer == 1:  # staller plays a with q, sincere always a
                            share = np.where(
                                (1 - mu_b) * pi > 0, mu_b * (1 - pi) / ((1 - mu_b) * pi), 1.0
                            )
                        else:  # sincere plays a with r, staller always a
                            share = np.where(
                                mu_b * (1 - pi) > 0, pi * (1 - mu_b) / (mu_b * (1 - pi)), 1.0
                            )
                    share = np.clip(np.nan_to_num(share, nan=1.0), 0.0, 1.0)
                    sigma: list[list[Any]] = [[0.0] * 3, [0.0] * 3]
                    sigma[pure_type][a] = 1.0
                    sigma[mixer][a] = share
                    sigma[mixer][b] = 1.0 - share
                    cand = _evaluate(q, sigma, post, mu_b, can_settle, full=False)
                    cand["gain"] = np.where(ok, cand["gain"], np.inf)
                    out.append(cand)
        return out

    def _both_mix(self, q: list, mu_b: np.ndarray, can_settle: np.ndarray) -> dict[str, Any]:
        """Both types mix between fighting and talking; the two posteriors solve both
        indifferences. On each pair of belief-grid segments the interpolated values are linear,
        so the posteriors solve a 2x2 linear system there."""
        qs_f, qs_t = q[0][_R][_F], q[0][_R][_T]  # (n, M)
        qb_f, qb_t = q[1][_R][_F], q[1][_R][_T]
        n, M = qs_f.shape
        h = 1.0 / (M - 1)
        a_s, d_s = qs_f[:, :-1, None], np.diff(qs_f)[:, :, None]  # fight segment i
        c_s, e_s = qs_t[:, None, :-1], np.diff(qs_t)[:, None, :]  # talk segment j
        a_b, d_b = qb_f[:, :-1, None], np.diff(qb_f)[:, :, None]
        c_b, e_b = qb_t[:, None, :-1], np.diff(qb_t)[:, None, :]
        det = e_s * d_b - d_s * e_b
        with np.errstate(divide="ignore", invalid="ignore"):
            frac_f = ((a_s - c_s) * e_b - e_s * (a_b - c_b)) / det
            frac_t = (d_s * (c_b - a_b) - d_b * (c_s - a_s)) / det
        grid = np.arange(M - 1) * h
        pi_f = grid[None, :, None] + frac_f * h
        pi_t = grid[None, None, :] + frac_t * h
        mu = mu_b[:, :, None]
        ok = (
            (np.abs(det) > 1e-14)
            & (frac_f >= 0)
            & (frac_f <= 1)
            & (frac_t >= 0)
            & (frac_t <= 1)
            & ((pi_f - mu) * (pi_t - mu) < 0)
        )
        flat = ok.reshape(n, -1)
        has = flat.any(axis=1)
        pick = np.argmax(flat, axis=1)
        rows = np.arange(n)
        pf = np.where(has, pi_f.reshape(n, -1)[rows, pick], 1.0)[:, None]
        pt = np.where(has, pi_t.reshape(n, -1)[rows, pick], 0.0)[:, None]
        mu1 = mu_b
        with np.errstate(divide="ignore", invalid="ignore"):
            p_fight = (mu1 - pt) / (pf - pt)
            s_f = np.clip(np.nan_to_num(p_fight * pf / mu1), 0.0, 1.0)
            b_f = np.clip(np.nan_to_num(p_fight * (1 - pf) / (1 - mu1)), 0.0, 1.0)
        sigma = [[s_f, 1.0 - s_f, 0.0], [b_f, 1.0 - b_f, 0.0]]
        cand = _evaluate(q, sigma, [pf, pt], mu_b, can_settle, full=False)
        cand["gain"] = np.where(has[:, None], cand["gain"], np.inf)
        return cand


def _root(diff: np.ndarray, grid: np.ndarray, m_state: np.ndarray, upper: bool) -> np.ndarray:
    """Posterior at which the piecewise-linear ``diff`` (over the belief grid) crosses zero.

    ``upper``: search ``[mu, 1]`` and take the crossing closest to ``mu``; otherwise ``[0, mu]``.
    Returns ``nan`` where there is none.
    """
    n, M = diff.shape
    seg = np.arange(M - 1)[None, :]
    d0, d1 = diff[:, :-1], diff[:, 1:]
    cross = (d0 == 0) | (np.sign(d0) != np.sign(d1))
    inside = seg >= m_state[:, None] if upper else seg + 1 <= m_state[:, None]
    cand = cross & inside
    has = cand.any(axis=1)
    pick = np.where(upper, np.argmax(cand, axis=1), M - 2 - np.argmax(cand[:, ::-1], axis=1))
    rows = np.arange(n)
    a, b = d0[rows, pick], d1[rows, pick]
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(a == b, 0.0, a / (a - b))
    pi = grid[pick] + np.clip(frac, 0.0, 1.0) * (grid[1] - grid[0])
    return np.where(has, pi, np.nan)


def _at(values: np.ndarray, post: Any, full: bool) -> np.ndarray:
    """``values`` (last axis: posterior grid) at a posterior given as an array or a grid kind.

    Kinds: ``"mu"`` (the state's own belief, which in ``full`` arrays is the last axis itself),
    ``"zero"`` and ``"one"``. In subset mode the last axis of ``values`` is the posterior grid
    and states are rows, so ``post`` has shape ``(n, 1)``.
    """
    if isinstance(post, str):
        if post == "zero":
            return values[..., :1]
        if post == "one":
            return values[..., -1:]
        assert full
        return values
    return _belief_interp(values, post)


def _deterring_belief(gain_s: np.ndarray, gain_b: np.ndarray) -> np.ndarray:
    """The belief minimising the larger of two piecewise-linear deviation gains, per row.

    ``gain_s`` and ``gain_b`` (shape ``(n, M)``) are the two types' gains from a deviation as
    functions of the belief it induces, on the uniform grid. The maximum of two
    piecewise-linear functions is minimised at a grid point or where they cross inside a
    segment, so both kinds of candidates are compared. Returns shape ``(n, 1)``.
    """
    n, m = gain_s.shape
    h = 1.0 / (m - 1)
    upper = np.maximum(gain_s, gain_b)
    best_val = upper.min(axis=1)
    best_pi = upper.argmin(axis=1) * h
    d0 = gain_s[:, :-1] - gain_b[:, :-1]
    d1 = gain_s[:, 1:] - gain_b[:, 1:]
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = d0 / (d0 - d1)
    cross = (d0 * d1 < 0) & np.isfinite(frac)
    frac = np.where(cross, frac, 0.0)
    value = gain_s[:, :-1] + frac * (gain_s[:, 1:] - gain_s[:, :-1])
    value = np.where(cross, value, np.inf)
    seg = value.argmin(axis=1)
    rows = np.arange(n)
    better = value[rows, seg] < best_val
    best_pi = np.where(better, (seg + frac[rows, seg]) * h, best_pi)
    return best_pi[:, None]


def _evaluate(
    q: list,
    sigma: np.ndarray,
    post: list,
    mu_b: np.ndarray,
    can_settle: np.ndarray,
    full: bool,
) -> dict[str, Any]:
    """Values, deviation gain and off-path beliefs of a candidate profile of the two types.

    ``post[a]`` for a in (fight, talk) is the posterior after the action when it is played
    (an array or a kind, see :func:`_at`) or ``None`` when it is off the path; off-path
    beliefs are then chosen in ``{0, mu, 1}`` to minimise the largest deviation gain.
    """
    shape = mu_b.shape
    val: list[list[list[Any]]] = [[[None] * 3 for _ in range(3)] for _ in range(2)]
    for k in range(2):
        for i in range(3):
            val[k][i][_D] = q[k][i][_D]
            for a in (_F, _T):
                if post[a] is not None:
                    val[k][i][a] = _at(q[k][i][a], post[a], full)
    played = [post[a] is not None for a in (_F, _T)]
    req = []
    for k in range(2):
        total = sigma[k][_D] * val[k][_R][_D]
        for a in (_F, _T):
            if played[a]:
                total = total + sigma[k][a] * val[k][_R][a]
        req.append(np.broadcast_to(total, shape))
    chosen = list(post)
    for a in (_F, _T):
        if played[a]:
            continue
        if full:  # fast path: off-path beliefs among {0, mu, 1}
            options: list[Any] = ["zero", "mu", "one"]
            gains = [
                np.maximum(_at(q[0][_R][a], pi, True) - req[0], _at(q[1][_R][a], pi, True) - req[1])
                for pi in options
            ]
            zero = gains[0] <= np.minimum(gains[1], gains[2])
            mid = ~zero & (gains[1] <= gains[2])
            for k in range(2):
                for i in range(3):
                    v = q[k][i][a]
                    val[k][i][a] = np.where(zero, v[..., :1], np.where(mid, v, v[..., -1:]))
            chosen[a] = np.where(zero, 0.0, np.where(mid, mu_b, 1.0))
        else:  # states are rows: the exact minimiser over all beliefs
            pi = _deterring_belief(q[0][_R][a] - req[0], q[1][_R][a] - req[1])  # (n, 1)
            for k in range(2):
                for i in range(3):
                    val[k][i][a] = _belief_interp(q[k][i][a], pi)
            chosen[a] = pi
    for a in (_F, _T):
        if isinstance(chosen[a], str):
            chosen[a] = {"zero": np.zeros(shape), "one": np.ones(shape), "mu": mu_b}[chosen[a]]
        chosen[a] = np.array(np.broadcast_to(chosen[a], shape), dtype=float)
    gain = np.zeros(shape)
    for k in range(2):
        for a in range(3):
            dev = val[k][_R][a] - req[k]
            if a == _D:
                dev = np.where(can_settle, dev, -np.inf)
            gain = np.maximum(gain, dev)
    bad = ~can_settle & ((sigma[0][_D] > 0) | (sigma[1][_D] > 0))
    gain = np.where(bad, np.inf, gain)
    value = np.zeros((2, 3) + shape)
    for k in range(2):
        for i in range(3):
            for a in range(3):
                if np.any(sigma[k][a]):
                    value[k, i] += sigma[k][a] * val[k][i][a]
    sig = np.zeros((2, 3) + shape)
    for k in range(2):
        for a in range(3):
            sig[k, a] = sigma[k][a]
    return {"sigma": sig, "post": chosen, "value": value, "req": np.stack(req), "gain": gain}


def _better(best: dict, cand: dict, mu_b: np.ndarray, tol: float) -> dict:
    """Keep, state by state, the valid candidate with the higher ex-ante Russian payoff.

    Valid means deviation gain at most ``tol``; among invalid ones the smaller gain wins.
    """

    def score(c: dict) -> np.ndarray:
        return mu_b * c["req"][0] + (1 - mu_b) * c["req"][1]

    v_best, v_cand = best["gain"] <= tol, cand["gain"] <= tol
    take = (
        (v_cand & ~v_best)
        | (v_cand & v_best & (score(cand) > score(best) + tol))
        | (~v_cand & ~v_best & (cand["gain"] < best["gain"]))
    )
    if not take.any():
        return best
    out = {}
    out["sigma"] = np.where(take, cand["sigma"], best["sigma"])
    out["post"] = [np.where(take, cand["post"][a], best["post"][a]) for a in range(2)]
    out["value"] = np.where(take, cand["value"], best["value"])
    out["req"] = np.where(take, cand["req"], best["req"])
    out["gain"] = np.where(take, cand["gain"], best["gain"])
    return out


def _assign(best: dict, sub: dict, rows: tuple, improve: np.ndarray) -> None:
    """Write the improving rows of a candidate computed on a subset of states into ``best``."""
    best["sigma"][(slice(None), slice(None)) + rows] = sub["sigma"][:, :, improve, 0]
    for a in range(2):
        best["post"][a][rows] = sub["post"][a][improve, 0]
    best["value"][(slice(None), slice(None)) + rows] = sub["value"][:, :, improve, 0]
    best["req"][(slice(None),) + rows] = sub["req"][:, improve, 0]
    best["gain"][rows] = sub["gain"][improve, 0]


def _followers(fol: dict, tol: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Equilibrium of the West (ease/hold) and Ukraine (accept/reject) 2x2 game per state.

    Pure equilibria first (the one with the largest sum of the two followers' payoffs, then
    the first in the order ease/accept, ease/reject, hold/accept, hold/reject: a follower
    indifferent between its replies makes the conciliatory one); otherwise the completely mixed
    one. Returns (ease probability, accept probability, deviation gain).
    """
    order = [(1, 1), (1, 0), (0, 1), (0, 0)]
    shape = fol[(0, 0)][0].shape
    ease = np.zeros(shape)
    accept = np.zeros(shape)
    found = np.zeros(shape, dtype=bool)
    best = np.full(shape, -np.inf)
    for e, a in order:
        w, u = fol[(e, a)]
        nash = (w >= fol[(1 - e, a)][0] - tol) & (u >= fol[(e, 1 - a)][1] - tol)
        total = w + u
        take = nash & (total > best + tol)
        ease = np.where(take, e, ease)
        accept = np.where(take, a, accept)
        best = np.where(take, total, best)
        found |= nash
    (w00, u00), (w01, u01), (w10, u10), (w11, u11) = (fol[k] for k in sorted(order))
    with np.errstate(divide="ignore", invalid="ignore"):
        pe = (u00 - u01) / ((u11 - u10) - (u01 - u00))
        pa = (w00 - w10) / ((w11 - w01) - (w10 - w00))
    pe = np.clip(np.nan_to_num(pe, nan=0.5), 0.0, 1.0)
    pa = np.clip(np.nan_to_num(pa, nan=0.5), 0.0, 1.0)
    ease = np.where(found, ease, pe)
    accept = np.where(found, accept, pa)
    # deviation gains at the chosen profile
    w_ease = accept * w11 + (1 - accept) * w10
    w_hold = accept * w01 + (1 - accept) * w00
    u_acc = ease * u11 + (1 - ease) * u01
    u_rej = ease * u10 + (1 - ease) * u00
    w_eq = ease * w_ease + (1 - ease) * w_hold
    u_eq = accept * u_acc + (1 - accept) * u_rej
    gain = np.maximum(np.maximum(w_ease, w_hold) - w_eq, np.maximum(u_acc, u_rej) - u_eq)
    return ease, accept, np.maximum(gain, 0.0)
