"""What the buy-time game's solver returns: each period's policy at every state
(:class:`Policy`) and the equilibrium with its values, plans and certificate
(:class:`BuyTimeEquilibrium`), solved by :func:`.buy_time_game.buy_time_equilibrium`."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from simulator.model.buy_time_setup import Deal, Flows, Setup
from simulator.model.offer_tables import TYPES

__all__ = ["PLANS", "BuyTimeEquilibrium", "Policy"]

#: Russia's plans: the equilibrium, and the two best replies to the others' equilibrium play
#: that the question compares: genuine compromise (keeps any deal it signs, free to choose when
#: to sign) and buying time (may break a deal it signs).
PLANS = ("equilibrium", "compromise", "buy_time")
_KEEP, _FREE = PLANS.index("compromise"), PLANS.index("buy_time")


@dataclass(frozen=True, eq=False)
class Policy:
    """Every player's choice at every interior state of one period (arrays over its ``S``
    states; ``M`` messages).

    Attributes
    ----------
    russia : numpy array of int, shape (S, 3, 4)
        Each type's message under each plan (:data:`PLANS`; the most likely where it mixes).
    sender : numpy array, shape (S, 4, M)
        Each type's probability of each message in equilibrium.
    belief : numpy array, shape (S, M, 4)
        The receivers' belief after each message.
    profile, reply : numpy arrays of int, shape (S, M, 2)
        The governments' profile and Ukraine's reply (a battle after fighting) after each
        message: two plays, the second played with probability ``lottery``.
    lottery : numpy array, shape (S, M)
        The probability of the second play (0: one play).
    receivers_mix : numpy array of bool, shape (S, M, 2)
        Whether the receivers mix within each play (two governments, or Ukraine among its
        replies at one profile): the play is then up to four (profile, reply) pairs,
        ``mixed_profile`` and ``mixed_reply`` (S, M, 2, 4), with probabilities
        ``mixed_weight``.
    mixed_profile, mixed_reply, mixed_weight : numpy arrays, shape (S, M, 2, 4)
        Those pairs and their probabilities.
    equilibria : numpy array of int, shape (S,)
        How many pure assignments of messages are equilibria.
    mixed : numpy array of bool, shape (S,)
        Whether the equilibrium is semi-separating.
    unresolved : numpy array of bool, shape (S,)
        Where none was found (the residual gain is in the certificate).
    gain : numpy array, shape (S,)
        The largest one-shot deviation gain of any player at the state.
    """

    russia: np.ndarray
    sender: np.ndarray
    belief: np.ndarray
    profile: np.ndarray
    reply: np.ndarray
    lottery: np.ndarray
    receivers_mix: np.ndarray
    mixed_profile: np.ndarray
    mixed_reply: np.ndarray
    mixed_weight: np.ndarray
    equilibria: np.ndarray
    mixed: np.ndarray
    unresolved: np.ndarray
    gain: np.ndarray


@dataclass(frozen=True, eq=False)
class BuyTimeEquilibrium:
    """A Markov perfect equilibrium of the buy-time game, with its plans and certificate.

    Attributes
    ----------
    setup : Setup
        The game's arrays (settings, offer, belief grid, win probabilities).
    policies : tuple of Policy
        Each period's policies (interior states, ordered front, regroup level, belief).
    values : numpy array, shape (3, 4)
        Russia's value at the start by plan (:data:`PLANS`) and type (``TYPES``).
    ukraine_values : numpy array, shape (4,)
        Ukraine's equilibrium value at the start if Russia is of each type.
    certificate : float
        Largest one-shot deviation gain of any player at any state and period.
    tolerance : float
        The certificate's tolerance: ``rules.TOL x max(1, payoff span)``.
    multiple : int
        States (over all periods) where more than one pure assignment is an equilibrium.
    unresolved : int
        States where none is (the residual gain is in the certificate).
    elapsed : float
    """

    setup: Setup
    policies: tuple[Policy, ...]
    values: np.ndarray
    ukraine_values: np.ndarray
    certificate: float
    tolerance: float
    multiple: int
    unresolved: int
    elapsed: float
    flows: Flows | None = field(repr=False, default=None)
    deals: dict[tuple[int, bool], Deal] = field(repr=False, default_factory=dict)

    @property
    def certified(self) -> bool:
        """Whether the certificate is within the tolerance."""
        return self.certificate <= self.tolerance

    @property
    def types(self) -> tuple[str, ...]:
        return TYPES

    def __repr__(self) -> str:
        settings = self.setup.settings
        return (
            f"BuyTimeEquilibrium(offer={self.setup.offer.name!r}, periods={settings.periods}, "
            f"states={sum(p.gain.size for p in self.policies)}, unresolved={self.unresolved}, "
            f"certificate={self.certificate:.1e}, tolerance={self.tolerance:.1e})"
        )

    def prior_weighted_ukraine(self) -> float:
        """Ukraine's equilibrium value at the start, in expectation over Russia's type."""
        return float(self.setup.beliefs[self.setup.prior_index] @ self.ukraine_values)

    def buy_time_pays(self) -> dict[str, bool]:
        """For each type: does the best plan that may break a deal beat genuine compromise?"""
        gain = self.values[_FREE] - self.values[_KEEP]
        return {k: bool(g > self.tolerance) for k, g in zip(TYPES, gain)}

    def state_index(self, front: np.ndarray, level: np.ndarray, belief: np.ndarray) -> np.ndarray:
        """Flat index of interior states (front ``1..N-1``, regroup level, belief grid index)."""
        s = self.setup
        return ((np.asarray(front) - 1) * s.levels + np.asarray(level)) * s.beliefs.shape[
            0
        ] + np.asarray(belief)
