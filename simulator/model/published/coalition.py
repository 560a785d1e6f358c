"""Cohesion of the Western sanctions coalition: free riding, aggregation, cascades and wedges.

Mission claim 2 (*offers can target the coalition*): Russia needs to fracture the Western
consensus on sanctions and weapons, and concessions aimed at the governments keenest to end
the war press on the coalition's weakest links. The module combines four published models
(``docs/models/coalition.md``):

* **Public goods and free riding** (Olson & Zeckhauser 1966, "An Economic Theory of
  Alliances", *Review of Economics and Statistics* 48(3)): coalition pressure is a public
  good; a member's own contribution moves it only by its *marginal effect*, so small members
  free-ride.
* **Aggregation technologies** (Hirshleifer 1983, "From Weakest-Link to Best-Shot",
  *Public Choice* 41(3); Sandler & Hartley 2001, *Journal of Economic Literature* 39(3)):
  pressure as a weighted sum (arms supplies), a minimum (weakest link: sanctions needing
  unanimity) or a threshold (a qualified majority of weight).
* **Threshold cascades** (Granovetter 1978, "Threshold Models of Collective Behavior",
  *American Journal of Sociology* 83(6)): a member defects once the share of coalition
  weight already defecting reaches its threshold; defections spread to a fixed point.
* **Audience costs** (Fearon 1994, "Domestic Political Audiences and the Escalation of
  International Disputes", *APSR* 88(3)): a government that reneges publicly pays a cost.

Decision rule (made explicit here; derived for this project)
--------------------------------------------------------------
Member ``i`` has value of Ukraine's success ``b_i``, own burden of sanctioning
``kappa_i(t) = kappa_i (1 + f_i)^t`` (compound growth at its fatigue rate ``f_i``; chosen
over linear growth because fatigue compounds and the burden stays positive), audience cost
``a_i``, weight ``w_i`` and Granovetter threshold ``theta_i``. Russia may aim an inducement
``rho_i >= 0`` at it (money, energy, a concession it values). With ``S`` the set of
sanctioning members and ``Pi(S)`` the aggregated pressure, its payoff is::

    u_i = b_i * Pi(S) - kappa_i(t) * [i sanctions] + (rho_i - a_i) * [i defects]

so it keeps sanctioning iff its **margin of support**::

    m_i = b_i * Delta_i + a_i - kappa_i(t) - rho_i  >=  0,
    Delta_i = Pi(S with i) - Pi(S without i)     (its marginal effect on pressure).

:func:`member_support` evaluates ``Delta_i`` at full cohesion (every other member
sanctions): ``w_i / W`` for ``"sum"``, ``1`` for ``"weakest_link"`` and, for
``"threshold"``, ``1`` if ``i`` is pivotal (``(W - w_i)/W < tau``) else ``0``. Hence full
cohesion is a Nash equilibrium of the participation game (:func:`sanctions_game`) exactly
when every margin is non-negative. Members with a negative margin defect on their own
calculus; their defection then spreads through the Granovetter thresholds
(:func:`defection_cascade`). A member with threshold ``0`` is an instigator: it defects
even when no one else has.

The members and each member's own decision (with the aggregation of their support into
pressure) are in :mod:`simulator.model.published.coalition_members`, the cascade and the
cohesion it leaves in :mod:`simulator.model.published.coalition_cascade`, Russia's wedge
strategy in :mod:`simulator.model.published.coalition_wedge` and the participation game in
:mod:`simulator.model.published.coalition_game`; this module maps the project's
:class:`~simulator.model.negotiation.NegotiationModel` onto them and re-exports the names of
its ``__all__``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulator.model.actors import AGGREGATIONS
from simulator.model.published.coalition_cascade import (
    CascadeResult,
    CohesionResult,
    coalition_cohesion,
    defection_cascade,
)
from simulator.model.published.coalition_game import (
    STRATEGIES,  # noqa: F401 - re-exported, as before the split
    predicted_equilibria,
    sanctions_game,
)
from simulator.model.published.coalition_members import (
    Coalition,
    MemberSupport,
    burden_at,
    coalition_pressure,
    marginal_effect,
    member_support,
)
from simulator.model.published.coalition_wedge import WedgeResult, wedge_strategy

if TYPE_CHECKING:
    from simulator.model.negotiation import NegotiationModel

__all__ = [
    "AGGREGATIONS",
    "CascadeResult",
    "Coalition",
    "CohesionResult",
    "MemberSupport",
    "WedgeResult",
    "burden_at",
    "coalition_cohesion",
    "coalition_pressure",
    "cohesion_from_model",
    "defection_cascade",
    "marginal_effect",
    "member_support",
    "predicted_equilibria",
    "sanctions_game",
    "wedge_from_model",
    "wedge_strategy",
]


# ---------------------------------------------------------------------------- adapters
def cohesion_from_model(model: NegotiationModel, period: int = 0) -> CohesionResult:
    """Western cohesion in ``period`` for the governments of ``model.west``.

    Reads every :class:`~simulator.model.actors.WesternGovernment` parameter
    (``weight``, ``sanctions_burden``, ``value_of_success``, ``audience_cost``,
    ``fatigue_rate``, ``defection_threshold``) and ``west.aggregation`` and
    ``west.cohesion_threshold``; no Russian inducement.

    Parameters
    ----------
    model : NegotiationModel
        The model whose Western governments and aggregation are read.
    period : int
        Periods of fatigue ``t >= 0``.

    Returns
    -------
    CohesionResult
        :func:`coalition_cohesion` of ``model.west``.

    Raises
    ------
    ParameterError
        If ``period`` is negative.

    Examples
    --------
    >>> from simulator.model import NegotiationModel, West, WesternGovernment as G
    >>> west = West(governments=(G("Hawk", weight=2), G("Dove", weight=1,
    ...             value_of_success=0.3, sanctions_burden=0.6)), aggregation="weakest_link")
    >>> r = cohesion_from_model(NegotiationModel(west=west))
    >>> r.supporters, r.pressure
    (('Hawk',), 0.0)
    """
    west = model.west
    return coalition_cohesion(
        west, aggregation=west.aggregation, threshold=west.cohesion_threshold, period=period
    )


def wedge_from_model(
    model: NegotiationModel, budget: float, period: int = 0, method: str = "exact"
) -> WedgeResult:
    """Russia's wedge strategy against ``model.west`` (reads as :func:`cohesion_from_model`).

    Parameters
    ----------
    model : NegotiationModel
        The model whose Western governments and aggregation are read.
    budget : float
        Total inducement ``>= 0`` Russia can spend (share of the stake).
    period : int
        Periods of fatigue ``t >= 0``.
    method : {"exact", "greedy"}
        The search, as in :func:`wedge_strategy`.

    Returns
    -------
    WedgeResult
        :func:`wedge_strategy` against ``model.west``.

    Raises
    ------
    ParameterError
        If ``budget`` or ``period`` is negative.
    ValueError
        If ``method`` is unknown, or the exact search would face more than 16 supporters.

    Examples
    --------
    >>> from simulator.model import NegotiationModel
    >>> wedge_from_model(NegotiationModel(), budget=2.0).pressure
    0.0
    """
    west = model.west
    return wedge_strategy(
        west,
        budget,
        aggregation=west.aggregation,
        threshold=west.cohesion_threshold,
        period=period,
        method=method,
    )
