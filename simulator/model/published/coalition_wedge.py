"""Russia's wedge strategy: where an inducement budget breaks the coalition.

Part of :mod:`simulator.model.published.coalition` (``docs/models/coalition.md``), which
re-exports every public name here. Flipping a supporter costs its margin of support
(:func:`~simulator.model.published.coalition_members.member_support`); the defection then
spreads through the Granovetter cascade
(:func:`~simulator.model.published.coalition_cascade.defection_cascade`).
:func:`wedge_strategy` searches the target sets exactly (every affordable set of supporters,
in one batch of cascades) or greedily (the supporter closest to defecting first).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from simulator.model.actors import West, WesternGovernment
from simulator.model.parameters import check_range
from simulator.model.published.coalition_cascade import defection_cascade
from simulator.model.published.coalition_members import (
    Coalition,
    _aggregation,
    _as_coalition,
    _threshold,
    coalition_pressure,
    member_support,
)

__all__ = ["WedgeResult", "wedge_strategy"]

#: Largest number of targetable members for the exact wedge search (2^n subsets).
_EXACT_LIMIT = 16


# ---------------------------------------------------------------------------- wedge
@dataclass(frozen=True, eq=False)
class WedgeResult:
    """Russia's best use of an inducement budget against the coalition.

    Attributes
    ----------
    targets : tuple of str
        Members Russia pays to defect (cascade victims are not paid).
    indices : tuple of int
        Their positions in the coalition.
    cost : float
        Sum of their margins: the least total inducement that flips them (Russia must
        spend marginally more than each margin; ``allocation`` spreads the slack).
    allocation : numpy array
        An inducement per member achieving the result, summing to ``budget`` when any
        member is targeted (else zeros).
    defectors : numpy bool array
        Defectors after the targets flip and the cascade runs.
    cohesion, pressure : float
        The coalition's weight share still sanctioning, and its pressure, afterwards.
    baseline_cohesion, baseline_pressure : float
        The same without any inducement.
    budget : float
    method : str
    """

    targets: tuple[str, ...]
    indices: tuple[int, ...]
    cost: float
    allocation: np.ndarray
    defectors: np.ndarray
    cohesion: float
    pressure: float
    baseline_cohesion: float
    baseline_pressure: float
    budget: float
    method: str


def _outcomes(
    coalition: Coalition, forced: np.ndarray, base_defect: np.ndarray, aggregation: str, tau: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Defectors, cohesion and pressure for a batch of forced-defection sets."""
    cascade = defection_cascade(
        coalition.defection_threshold, coalition.weights, forced | base_defect
    )
    support = ~cascade.defectors
    # a sum of weight shares can exceed 1 by rounding
    cohesion = np.minimum(1.0, support @ coalition.weights / coalition.weights.sum())
    pressure = np.asarray(coalition_pressure(support, coalition.weights, aggregation, tau))
    return cascade.defectors, cohesion, pressure


def wedge_strategy(
    governments: Coalition | West | Sequence[WesternGovernment],
    budget: float,
    *,
    aggregation: str = "sum",
    threshold: float = 0.5,
    period: float = 0,
    method: str = "exact",
) -> WedgeResult:
    """Where Russia should spend an inducement budget to break the coalition.

    Flipping supporter ``i`` costs its margin ``m_i`` (:func:`member_support`): Russia
    must pay it marginally more than ``m_i``. Members already defecting, or toppled by the
    cascade a flip triggers, cost nothing. Russia minimises coalition pressure, then the
    supporting weight share, then the cost.

    ``method="exact"`` searches every set of supporters whose total margin fits strictly
    within the budget, in one vectorised batch of cascades (up to 16 supporters).
    ``method="greedy"`` repeatedly flips the supporter closest to defecting (smallest
    margin) while the budget allows, re-running the cascade after each flip; it is the
    narrative "wedge" and never does better than the exact search.

    Parameters
    ----------
    governments : Coalition, West or sequence of WesternGovernment
    budget : float >= 0
        Total inducement Russia can spend (share of the stake).
    aggregation, threshold, period
        As in :func:`member_support`.
    method : {"exact", "greedy"}

    Returns
    -------
    WedgeResult

    Examples
    --------
    The weakest link is cheap to break: 0.06 buys Small, whose defection ends unanimity.

    >>> from simulator.model.actors import WesternGovernment as G
    >>> govs = [G("Big", weight=3, value_of_success=1.0, sanctions_burden=0.2),
    ...         G("Small", weight=1, value_of_success=0.3, sanctions_burden=0.45,
    ...           audience_cost=0.2)]
    >>> r = wedge_strategy(govs, budget=0.06, aggregation="weakest_link")
    >>> r.targets, round(r.cost, 2), r.pressure, r.baseline_pressure
    (('Small',), 0.05, 0.0, 1.0)
    """
    coalition = _as_coalition(governments)
    aggregation = _aggregation(aggregation)
    tau = _threshold(threshold)
    budget = float(check_range("budget", budget, 0.0))
    if method not in ("exact", "greedy"):
        raise ValueError(f"method = {method!r} is not allowed; choose 'exact' or 'greedy'")
    own = member_support(
        coalition.value_of_success,
        coalition.sanctions_burden,
        coalition.audience_cost,
        coalition.weights,
        aggregation=aggregation,
        threshold=tau,
        fatigue_rate=coalition.fatigue_rate,
        period=period,
    )
    n = coalition.size
    none = np.zeros(n, dtype=bool)
    base_defect, base_cohesion, base_pressure = _outcomes(
        coalition, none, ~own.support, aggregation, tau
    )
    candidates = np.flatnonzero(~base_defect)
    if method == "exact":
        chosen = _exact_targets(
            coalition, own.margin, base_defect, candidates, budget, aggregation, tau
        )
    else:
        chosen = _greedy_targets(coalition, own.margin, base_defect, budget, aggregation, tau)
    forced = np.zeros(n, dtype=bool)
    forced[chosen] = True
    defectors, cohesion, pressure = _outcomes(coalition, forced, base_defect, aggregation, tau)
    cost = float(own.margin[chosen].sum()) if chosen else 0.0
    allocation = np.zeros(n)
    if chosen:
        allocation[chosen] = own.margin[chosen] + (budget - cost) / len(chosen)
    return WedgeResult(
        targets=tuple(coalition.names[i] for i in chosen),
        indices=tuple(chosen),
        cost=cost,
        allocation=allocation,
        defectors=defectors,
        cohesion=float(cohesion),
        pressure=float(pressure),
        baseline_cohesion=float(base_cohesion),
        baseline_pressure=float(base_pressure),
        budget=budget,
        method=method,
    )


def _exact_targets(
    coalition: Coalition,
    margin: np.ndarray,
    base_defect: np.ndarray,
    candidates: np.ndarray,
    budget: float,
    aggregation: str,
    tau: float,
) -> list[int]:
    k = candidates.size
    if k > _EXACT_LIMIT:
        raise ValueError(
            f"the exact wedge search enumerates 2^{k} target sets; it is limited to "
            f"{_EXACT_LIMIT} supporting members. Use method='greedy' for larger coalitions."
        )
    # every subset of the current supporters, as rows of a boolean matrix
    subsets = ((np.arange(2**k)[:, None] >> np.arange(k)) & 1).astype(bool)
    cost = subsets @ margin[candidates]
    feasible = ~subsets.any(axis=1) | (cost < budget)
    forced = np.zeros((2**k, coalition.size), dtype=bool)
    forced[:, candidates] = subsets
    _, cohesion, pressure = _outcomes(coalition, forced, base_defect, aggregation, tau)
    rows = np.flatnonzero(feasible)
    order = np.lexsort((subsets[rows].sum(axis=1), cost[rows], cohesion[rows], pressure[rows]))
    best = rows[order[0]]
    return candidates[subsets[best]].tolist()


def _greedy_targets(
    coalition: Coalition,
    margin: np.ndarray,
    base_defect: np.ndarray,
    budget: float,
    aggregation: str,
    tau: float,
) -> list[int]:
    chosen: list[int] = []
    spent = 0.0
    defect = base_defect.copy()
    while not defect.all():
        supporters = np.flatnonzero(~defect)
        cheapest = supporters[np.argmin(margin[supporters])]
        if spent + margin[cheapest] >= budget:
            break
        chosen.append(int(cheapest))
        spent += margin[cheapest]
        forced = np.zeros(coalition.size, dtype=bool)
        forced[chosen] = True
        defect, _, _ = _outcomes(coalition, forced, base_defect, aggregation, tau)
    return sorted(chosen)
