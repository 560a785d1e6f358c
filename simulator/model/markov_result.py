"""Markov perfect equilibrium of the buy-time game: the grid and the result.

:class:`MPEGrid` sets the resolution of the discretised state (belief grid, capability grid
under a deal, quadrature nodes of the regrouping signal); :class:`MPEResult` holds the
equilibrium that :func:`simulator.model.markov.markov_perfect_equilibrium` finds: the policies of
every player in every state and period, the values, the values of buying time and of genuine
compromise, and the certificate (the largest one-shot deviation gain).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from simulator.model import rules
from simulator.model.dynamics_settings import DynamicsSettings
from simulator.model.offers import Offer
from simulator.model.parameters import parameter, validate

__all__ = ["ACTIONS", "MPEGrid", "MPEResult"]

#: Russia's actions in the order of the policy arrays.
ACTIONS = ("fight", "talk", "settle")
TYPES = ("sincere", "staller")
PLAYERS = ("russia", "ukraine", "west")
_F, _T, _D = 0, 1, 2
_R, _U, _W = 0, 1, 2


@dataclass(frozen=True)
class MPEGrid:
    """Resolution of the discretisation.

    Attributes
    ----------
    beliefs : int
        Points of the belief grid on [0, 1] (values are interpolated between them). In
        ``[3, 2001]``, grid points (a whole number); default 21.
    capability : int
        Points of Russia's capability grid under a signed deal. In ``[2, 5001]``, grid points
        (a whole number); default 33.
    quadrature : int
        Gauss-Hermite nodes for the expectation over the regrouping signal. In ``[1, 101]``,
        nodes (a whole number); default 9.

    Raises
    ------
    ParameterError
        If a resolution is outside its range or not a whole number (the message names it as
        ``grid.<field>``).

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
        label="Points of the belief grid",
    )
    capability: int = parameter(
        33,
        low=2,
        high=5001,
        integer=True,
        unit="grid points",
        description="points of Russia's capability grid under a signed deal",
        label="Points of the capability grid",
    )
    quadrature: int = parameter(
        9,
        low=1,
        high=101,
        integer=True,
        unit="nodes",
        description="Gauss-Hermite nodes for the expectation over the regrouping signal",
        label="Quadrature nodes",
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
    >>> from simulator.model.markov import markov_perfect_equilibrium
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

    def __repr__(self) -> str:
        return (
            f"MPEResult(offer={self.offer.name!r}, periods={self.periods}, "
            f"unresolved={self.unresolved}, certificate={self.certificate:.1e}, "
            f"tolerance={self.tolerance:.1e})"
        )

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
        >>> from simulator.model.markov import markov_perfect_equilibrium
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
