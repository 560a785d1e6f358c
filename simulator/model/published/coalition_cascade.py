"""Granovetter's threshold cascade, and the coalition's cohesion after it.

Part of :mod:`simulator.model.published.coalition` (``docs/models/coalition.md``), which
re-exports every public name here.

**Threshold cascades** (Granovetter 1978, "Threshold Models of Collective Behavior",
*American Journal of Sociology* 83(6)): a member defects once the share of coalition weight
already defecting reaches its threshold; defections spread to a fixed point
(:func:`defection_cascade`). :func:`coalition_cohesion` starts the cascade from the members
whose own margin (:func:`~simulator.model.published.coalition_members.member_support`) is
negative and reports who still sanctions, the cohesion and the pressure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from simulator.model.actors import West, WesternGovernment
from simulator.model.parameters import check_range
from simulator.model.published.coalition_members import (
    _SHARE_TOL,
    Coalition,
    MemberSupport,
    _as_coalition,
    _weights,
    coalition_pressure,
    member_support,
)

__all__ = ["CascadeResult", "CohesionResult", "coalition_cohesion", "defection_cascade"]


# ---------------------------------------------------------------------------- cascades
@dataclass(frozen=True, eq=False)
class CascadeResult:
    """The fixed point of Granovetter's threshold dynamics.

    Attributes
    ----------
    defectors : numpy bool array, shape (..., n)
        Who has defected at the fixed point.
    rounds : tuple of numpy bool arrays, each shape (..., n)
        ``rounds[0]`` is the initial set of defectors (the given ones plus members whose
        threshold is already reached); ``rounds[k]`` are those who join in round ``k``.
    num_rounds : numpy int array, shape (...)
        Rounds in which someone joined (``0`` if no one ever defects).
    defecting_share : numpy array, shape (...)
        Share of coalition weight defecting at the fixed point.
    """

    defectors: np.ndarray
    rounds: tuple[np.ndarray, ...]
    num_rounds: np.ndarray
    defecting_share: np.ndarray

    def sequence(self) -> list[list[int]]:
        """For a single state: the members (indices) joining in each round.

        Examples
        --------
        >>> defection_cascade([0, 0.3, 0.9], [1, 1, 1]).sequence()
        [[0], [1]]
        """
        if self.defectors.ndim != 1:
            raise ValueError("sequence() describes one state; index the batch first")
        return [np.flatnonzero(r).tolist() for r in self.rounds if r.any()]


def defection_cascade(
    thresholds: Any, weights: Any, initial_defectors: Any = None
) -> CascadeResult:
    """Granovetter (1978) threshold dynamics, run to the fixed point.

    Each round every member whose threshold ``theta_i`` is reached by the share of
    coalition weight already defecting (``sum_{j defecting} w_j / W >= theta_i``) defects
    too. Defection is never reversed, so the process stops within ``n`` rounds.

    Parameters
    ----------
    thresholds : array_like, shape (..., n)
        ``theta_i`` in [0, 1]; leading axes are independent states run in one batch.
    weights : array_like, shape (n,)
    initial_defectors : array_like of bool, shape (..., n), optional
        Members who defect at the start (default none).

    Returns
    -------
    CascadeResult

    Examples
    --------
    Granovetter's riot: thresholds 0, 1, ..., n-1 (in members) topple everyone; raising the
    second threshold by one member stops the cascade after the instigator.

    >>> n = 10
    >>> theta = np.arange(n) / n
    >>> int(defection_cascade(theta, np.ones(n)).defectors.sum())
    10
    >>> theta[1] = 2 / n
    >>> defection_cascade(theta, np.ones(n)).sequence()
    [[0]]
    """
    w = _weights(weights)
    theta = check_range("thresholds", thresholds, 0.0, 1.0)
    if theta.ndim == 0 or theta.shape[-1] != w.size:
        raise ValueError(
            f"thresholds must have one entry per member ({w.size}) on its last axis; "
            f"got shape {theta.shape}"
        )
    if initial_defectors is None:
        start = np.zeros(theta.shape, dtype=bool)
    else:
        start = np.asarray(initial_defectors, dtype=bool)
    shape = np.broadcast_shapes(theta.shape, start.shape)
    theta = np.broadcast_to(theta, shape)
    defect = np.broadcast_to(start, shape).copy()
    share_w = w / w.sum()
    defect |= theta <= _SHARE_TOL
    rounds = [defect.copy()]
    num_rounds = defect.any(axis=-1).astype(int)
    for _ in range(w.size):
        share = defect @ share_w
        joining = ~defect & (share[..., None] + _SHARE_TOL >= theta)
        if not joining.any():
            break
        rounds.append(joining)
        num_rounds = num_rounds + joining.any(axis=-1)
        defect |= joining
    return CascadeResult(
        defectors=defect,
        rounds=tuple(rounds),
        num_rounds=num_rounds,
        defecting_share=defect @ share_w,
    )


# ---------------------------------------------------------------------------- cohesion
@dataclass(frozen=True, eq=False)
class CohesionResult:
    """The coalition after each member's own decision and the cascade it sets off.

    Attributes
    ----------
    names : tuple of str
    own : MemberSupport
        Each member's own decision at full cohesion.
    defectors : numpy bool array
        Members defecting at the cascade's fixed point.
    cascade : CascadeResult
    cohesion : float
        Share of coalition weight still sanctioning (1 = united).
    pressure : float
        Coalition pressure under the chosen aggregation.
    """

    names: tuple[str, ...]
    own: MemberSupport
    defectors: np.ndarray
    cascade: CascadeResult
    cohesion: float
    pressure: float

    @property
    def supporters(self) -> tuple[str, ...]:
        """Names of the members still sanctioning."""
        return tuple(n for n, d in zip(self.names, self.defectors) if not d)


def coalition_cohesion(
    governments: Coalition | West | Sequence[WesternGovernment],
    *,
    aggregation: str = "sum",
    threshold: float = 0.5,
    period: float = 0,
    inducement: Any = 0.0,
) -> CohesionResult:
    """Who keeps sanctioning: own margins (:func:`member_support`), then the cascade.

    Members with a negative margin defect first; the Granovetter cascade
    (:func:`defection_cascade`) on the members' ``defection_threshold`` then spreads it.

    Parameters
    ----------
    governments : Coalition, West or sequence of WesternGovernment
        The members (a :class:`West` contributes its ``governments``).
    aggregation : {"sum", "weakest_link", "threshold"}
        How the members' support aggregates into pressure (:func:`coalition_pressure`).
    threshold : float
        Weight share in ``[0, 1]`` needed under ``"threshold"`` aggregation.
    period : float
        Periods of fatigue ``t >= 0`` (burdens grow as in :func:`burden_at`).
    inducement : float or array_like
        Russia's inducement ``rho_i >= 0``, one number for all or one per member.

    Returns
    -------
    CohesionResult
        Each member's own decision, the cascade, the defectors at its fixed point and the
        resulting cohesion (weight share still sanctioning) and pressure.

    Raises
    ------
    ParameterError
        If a number is outside its range above.
    ValueError
        If ``aggregation`` is not one of the three, ``inducement`` has neither one entry nor
        one per member, or ``governments`` is empty.

    Examples
    --------
    >>> from simulator.model.actors import WesternGovernment as G
    >>> govs = [G("Big", weight=3, sanctions_burden=0.2, defection_threshold=0.5),
    ...         G("Small", weight=1, sanctions_burden=0.6, audience_cost=0.1,
    ...           defection_threshold=0.2)]
    >>> r = coalition_cohesion(govs)
    >>> r.supporters, r.cohesion, r.pressure
    (('Big',), 0.75, 0.75)
    """
    coalition = _as_coalition(governments)
    own = member_support(
        coalition.value_of_success,
        coalition.sanctions_burden,
        coalition.audience_cost,
        coalition.weights,
        aggregation=aggregation,
        threshold=threshold,
        fatigue_rate=coalition.fatigue_rate,
        period=period,
        inducement=inducement,
    )
    cascade = defection_cascade(coalition.defection_threshold, coalition.weights, ~own.support)
    support = ~cascade.defectors
    return CohesionResult(
        names=coalition.names,
        own=own,
        defectors=cascade.defectors,
        cascade=cascade,
        cohesion=float(min(1.0, support @ coalition.weights / coalition.weights.sum())),
        pressure=float(coalition_pressure(support, coalition.weights, aggregation, threshold)),
    )
