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
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from simulator.games.normal_form import NormalFormGame
from simulator.model.actors import AGGREGATIONS, West, WesternGovernment
from simulator.model.parameters import check_range

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

#: Slack for "share reaches threshold" comparisons, so that a share of k/n computed as a
#: sum of weights still reaches a threshold written as k/n.
_SHARE_TOL = 1e-12
#: Largest number of targetable members for the exact wedge search (2^n subsets).
_EXACT_LIMIT = 16
#: Strategy labels of the participation game: index 0 sanctions, index 1 defects.
STRATEGIES = ("sanction", "defect")


# ---------------------------------------------------------------------------- validation
def _weights(weights: Any) -> np.ndarray:
    w = check_range("weights", weights, 0.0)
    if w.ndim != 1 or w.size == 0:
        raise ValueError(f"weights must be a non-empty 1-D array (one per member); got {weights!r}")
    if w.sum() <= 0:
        raise ValueError("weights must not all be zero: the coalition needs some weight")
    return w


def _aggregation(aggregation: str) -> str:
    if aggregation not in AGGREGATIONS:
        raise ValueError(
            f"aggregation = {aggregation!r} is not allowed; choose one of {list(AGGREGATIONS)}"
        )
    return aggregation


def _threshold(threshold: float) -> float:
    return float(check_range("threshold", threshold, 0.0, 1.0))


def _member_array(name: str, value: Any, n: int, low: float, high: float = np.inf) -> np.ndarray:
    arr = check_range(name, value, low, high)
    try:
        return np.broadcast_to(arr, (n,)).astype(float)
    except ValueError:
        raise ValueError(
            f"{name} must be a number or one value per member ({n}); got {value!r}"
        ) from None


# ---------------------------------------------------------------------------- members
@dataclass(frozen=True, eq=False)
class Coalition:
    """The members of the coalition as arrays, one entry per government.

    Build it from :class:`~simulator.model.actors.WesternGovernment` objects with
    :meth:`from_governments` (or from a :class:`~simulator.model.actors.West` with
    :meth:`from_west`), or directly from arrays; a number given for a per-member field is
    broadcast to every member.

    Attributes
    ----------
    names : tuple of str
        The members' names, one per weight.
    value_of_success : numpy.ndarray
        ``b_i >= 0``, each member's value of Ukraine's success.
    sanctions_burden : numpy.ndarray
        ``kappa_i >= 0``, each member's burden of sanctioning per period.
    audience_cost : numpy.ndarray
        ``a_i >= 0``, the cost of reneging publicly.
    weights : numpy.ndarray
        ``w_i >= 0``, relative weights, not all zero.
    fatigue_rate : numpy.ndarray
        ``f_i >= 0``, growth of the burden per period.
    defection_threshold : numpy.ndarray
        ``theta_i`` in ``[0, 1]``, the Granovetter threshold: the share of coalition weight
        defecting at which the member defects too.

    Raises
    ------
    ParameterError
        If a value is outside its range above.
    ValueError
        If ``weights`` is empty, not 1-D or all zero, ``names`` does not have one entry per
        weight, or a field has neither one value nor one per member.

    Examples
    --------
    >>> from simulator.model.actors import WesternGovernment
    >>> c = Coalition.from_governments([WesternGovernment("A", weight=3.0),
    ...                                 WesternGovernment("B", weight=1.0)])
    >>> c.names, c.weights.tolist()
    (('A', 'B'), [3.0, 1.0])
    """

    names: tuple[str, ...]
    value_of_success: np.ndarray
    sanctions_burden: np.ndarray
    audience_cost: np.ndarray
    weights: np.ndarray
    fatigue_rate: np.ndarray
    defection_threshold: np.ndarray

    def __post_init__(self) -> None:
        w = _weights(self.weights)
        n = w.size
        if len(self.names) != n:
            raise ValueError(f"names has {len(self.names)} entries but there are {n} weights")
        object.__setattr__(self, "names", tuple(str(x) for x in self.names))
        object.__setattr__(self, "weights", w)
        for field, low, high in (
            ("value_of_success", 0.0, np.inf),
            ("sanctions_burden", 0.0, np.inf),
            ("audience_cost", 0.0, np.inf),
            ("fatigue_rate", 0.0, np.inf),
            ("defection_threshold", 0.0, 1.0),
        ):
            object.__setattr__(
                self, field, _member_array(field, getattr(self, field), n, low, high)
            )

    @property
    def size(self) -> int:
        """Number of members."""
        return self.weights.size

    @classmethod
    def from_governments(cls, governments: Sequence[WesternGovernment]) -> Coalition:
        """Arrays from a sequence of :class:`WesternGovernment` (reads every parameter)."""
        governments = tuple(governments)
        if not governments:
            raise ValueError("a coalition needs at least one government")
        return cls(
            names=tuple(g.name for g in governments),
            value_of_success=np.array([g.value_of_success for g in governments]),
            sanctions_burden=np.array([g.sanctions_burden for g in governments]),
            audience_cost=np.array([g.audience_cost for g in governments]),
            weights=np.array([g.weight for g in governments]),
            fatigue_rate=np.array([g.fatigue_rate for g in governments]),
            defection_threshold=np.array([g.defection_threshold for g in governments]),
        )

    @classmethod
    def from_west(cls, west: West) -> Coalition:
        """Arrays from the governments of a :class:`West`."""
        return cls.from_governments(west.governments)


def _as_coalition(governments: Coalition | West | Sequence[WesternGovernment]) -> Coalition:
    if isinstance(governments, Coalition):
        return governments
    if isinstance(governments, West):
        return Coalition.from_west(governments)
    return Coalition.from_governments(governments)


def burden_at(sanctions_burden: Any, fatigue_rate: Any = 0.0, period: float = 0) -> np.ndarray:
    """Each member's burden of sanctioning after ``period`` periods of fatigue.

    ``kappa_i(t) = kappa_i * (1 + f_i)^t`` (compound growth; ``docs/models/coalition.md``).

    Parameters
    ----------
    sanctions_burden : float or array_like
        ``kappa_i >= 0``, the burden in period 0.
    fatigue_rate : float or array_like
        ``f_i >= 0``, growth of the burden per period.
    period : float
        Periods of fatigue ``t >= 0`` (need not be whole).

    Returns
    -------
    numpy.ndarray
        ``kappa_i (1 + f_i)^t``, of the broadcast shape of the first two arguments.

    Raises
    ------
    ParameterError
        If an argument is negative or not finite.

    Examples
    --------
    >>> burden_at([0.2, 0.4], fatigue_rate=0.1, period=2).round(4).tolist()
    [0.242, 0.484]
    """
    kappa = check_range("sanctions_burden", sanctions_burden, 0.0)
    rate = check_range("fatigue_rate", fatigue_rate, 0.0)
    t = float(check_range("period", period, 0.0))
    return kappa * (1.0 + rate) ** t


def marginal_effect(weights: Any, aggregation: str = "sum", threshold: float = 0.5) -> np.ndarray:
    """Each member's effect on coalition pressure when every other member sanctions.

    ``"sum"``: its weight share ``w_i / W`` (Olson & Zeckhauser 1966: small members matter
    little, hence free-ride); ``"weakest_link"``: ``1`` (any defection ends unanimity);
    ``"threshold"``: ``1`` if the others alone fall short of ``threshold`` (``i`` is
    pivotal), else ``0``.

    Parameters
    ----------
    weights : array_like, shape (n,)
        ``w_i >= 0``, not all zero.
    aggregation : {"sum", "weakest_link", "threshold"}
        The aggregation technology.
    threshold : float
        Weight share in ``[0, 1]`` needed under ``"threshold"`` aggregation.

    Returns
    -------
    numpy.ndarray, shape (n,)
        ``Delta_i``, each member's marginal effect on pressure, in ``[0, 1]``.

    Raises
    ------
    ParameterError
        If a weight is negative or ``threshold`` is outside ``[0, 1]``.
    ValueError
        If ``weights`` is empty, not 1-D or all zero, or ``aggregation`` is unknown.

    Examples
    --------
    >>> marginal_effect([3, 1], "sum").tolist()
    [0.75, 0.25]
    >>> marginal_effect([3, 1], "threshold", threshold=0.6).tolist()
    [1.0, 0.0]
    """
    w = _weights(weights)
    aggregation = _aggregation(aggregation)
    tau = _threshold(threshold)
    total = w.sum()
    if aggregation == "sum":
        return w / total
    if aggregation == "weakest_link":
        return np.ones_like(w)
    with_i = 1.0 + _SHARE_TOL >= tau
    without_i = (total - w) / total + _SHARE_TOL >= tau
    return (with_i & ~without_i).astype(float)


@dataclass(frozen=True, eq=False)
class MemberSupport:
    """Each member's decision, evaluated at full cohesion.

    Attributes
    ----------
    support : numpy bool array
        ``True`` where the member keeps sanctioning (``margin >= 0``).
    margin : numpy array
        ``b_i * Delta_i + a_i - kappa_i(t) - rho_i``: how much more the member gains from
        sanctioning than from defecting. For a supporter it is the price of flipping it.
    marginal_effect : numpy array
        ``Delta_i``, its effect on pressure (:func:`marginal_effect`).
    burden : numpy array
        ``kappa_i(t)``, its burden in this period.
    """

    support: np.ndarray
    margin: np.ndarray
    marginal_effect: np.ndarray
    burden: np.ndarray


def member_support(
    value_of_success: Any,
    sanctions_burden: Any,
    audience_cost: Any,
    weights: Any,
    *,
    aggregation: str = "sum",
    threshold: float = 0.5,
    fatigue_rate: Any = 0.0,
    period: float = 0,
    inducement: Any = 0.0,
) -> MemberSupport:
    """Whether, and by what margin, each member keeps sanctioning.

    Member ``i`` sanctions iff ``b_i * Delta_i + a_i >= kappa_i(t) + rho_i``, where
    ``Delta_i`` is its marginal effect on pressure at full cohesion, ``a_i`` the audience
    cost it pays for reneging publicly (Fearon 1994), ``kappa_i(t) = kappa_i (1 + f_i)^t``
    its fatigue-grown burden and ``rho_i`` the Russian inducement aimed at it. The
    inducement adds to the cost side: it is what the member gains by defecting.

    Parameters
    ----------
    value_of_success, sanctions_burden, audience_cost : array_like, shape (n,)
        ``b_i``, ``kappa_i`` and ``a_i`` (share of the stake; ``kappa`` per period).
    weights : array_like, shape (n,)
        ``w_i`` (relative weight in the coalition).
    aggregation : {"sum", "weakest_link", "threshold"}
    threshold : float in [0, 1]
        Weight share needed under ``"threshold"`` aggregation.
    fatigue_rate : float or array_like
        Growth of the burden per period.
    period : float >= 0
        Periods of fatigue ``t``.
    inducement : float or array_like >= 0
        ``rho_i``.

    Returns
    -------
    MemberSupport

    Examples
    --------
    Olson & Zeckhauser's free riding: the same burden, but only the big members'
    contributions move pressure enough to be worth paying for.

    >>> s = member_support([1, 1, 1, 1], [0.25] * 4, [0] * 4, [40, 30, 20, 10])
    >>> s.support.tolist(), s.margin.round(2).tolist()
    ([True, True, False, False], [0.15, 0.05, -0.05, -0.15])
    """
    w = _weights(weights)
    n = w.size
    b = _member_array("value_of_success", value_of_success, n, 0.0)
    a = _member_array("audience_cost", audience_cost, n, 0.0)
    kappa = _member_array("sanctions_burden", sanctions_burden, n, 0.0)
    rate = _member_array("fatigue_rate", fatigue_rate, n, 0.0)
    rho = _member_array("inducement", inducement, n, 0.0)
    burden = burden_at(kappa, rate, period)
    delta = marginal_effect(w, aggregation, threshold)
    margin = b * delta + a - burden - rho
    return MemberSupport(support=margin >= 0, margin=margin, marginal_effect=delta, burden=burden)


# ---------------------------------------------------------------------------- aggregation
def coalition_pressure(
    support: Any, weights: Any, aggregation: str = "sum", threshold: float = 0.5
) -> np.ndarray | float:
    """Coalition pressure from the members' support levels (Hirshleifer 1983).

    ``"sum"``: the weighted share ``sum_i w_i s_i / W``; ``"weakest_link"``: ``min_i s_i``;
    ``"threshold"``: ``1`` if the weighted share reaches ``threshold``, else ``0``.

    Parameters
    ----------
    support : array_like, shape (..., n)
        Support levels in [0, 1] (booleans allowed); leading axes are independent states.
    weights : array_like, shape (n,)
    aggregation : {"sum", "weakest_link", "threshold"}
    threshold : float in [0, 1]

    Returns
    -------
    float or numpy array of shape (...)

    Examples
    --------
    One lukewarm member among five: the sum barely moves, the weakest link collapses.

    >>> s = [1, 1, 1, 1, 0.2]
    >>> coalition_pressure(s, [1] * 5, "sum"), coalition_pressure(s, [1] * 5, "weakest_link")
    (0.84, 0.2)
    >>> coalition_pressure([[1, 0], [0, 1]], [3, 1], "threshold", threshold=0.5).tolist()
    [1.0, 0.0]
    """
    w = _weights(weights)
    aggregation = _aggregation(aggregation)
    tau = _threshold(threshold)
    s = check_range("support", support, 0.0, 1.0)
    if s.ndim == 0 or s.shape[-1] != w.size:
        raise ValueError(
            f"support must have one entry per member ({w.size}) on its last axis; "
            f"got shape {s.shape}"
        )
    if aggregation == "weakest_link":
        out = s.min(axis=-1)
    else:
        share = s @ w / w.sum()
        out = share if aggregation == "sum" else (share + _SHARE_TOL >= tau).astype(float)
    return float(out) if np.ndim(out) == 0 else out


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


# ---------------------------------------------------------------------------- the game
def _profile_support(n: int) -> np.ndarray:
    """All pure profiles as a (2,)*n + (n,) boolean array: True where the member sanctions."""
    grids = np.indices((2,) * n)
    return np.moveaxis(grids, 0, -1) == 0


def _game_terms(
    coalition: Coalition, period: float, inducement: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    n = coalition.size
    burden = burden_at(coalition.sanctions_burden, coalition.fatigue_rate, period)
    rho = _member_array("inducement", inducement, n, 0.0)
    return coalition.value_of_success, burden, coalition.audience_cost, rho


def sanctions_game(
    governments: Coalition | West | Sequence[WesternGovernment],
    *,
    aggregation: str = "sum",
    threshold: float = 0.5,
    period: float = 0,
    inducement: Any = 0.0,
) -> NormalFormGame:
    """The sanctions-participation game among the members as a :class:`NormalFormGame`.

    Each member chooses ``"sanction"`` (strategy 0) or ``"defect"`` (strategy 1); with
    ``S`` the sanctioning set, member ``i`` gets
    ``b_i * Pi(S) - kappa_i(t) [i in S] + (rho_i - a_i) [i not in S]``, ``Pi`` being
    :func:`coalition_pressure` of the binary support. Meant for small coalitions (the
    payoff array has ``2^n * n`` entries; at most 12 members).

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
    NormalFormGame
        An ``n``-player game with strategies ``("sanction", "defect")`` for every member,
        players named after the members.

    Raises
    ------
    ParameterError
        If a number is outside its range above.
    ValueError
        If ``aggregation`` is not one of the three, ``inducement`` has neither one entry nor
        one per member, ``governments`` is empty or it has more than 12 members.

    Examples
    --------
    >>> from simulator import solve
    >>> game = sanctions_game(Coalition(("A", "B"), [1, 1], [0.25, 0.3], [0, 0], [3, 1],
    ...                                 [0, 0], [0.5, 0.5]))
    >>> [eq.support_labels for eq in solve(game, method="pure")]
    [(('sanction',), ('defect',))]
    """
    coalition = _as_coalition(governments)
    aggregation = _aggregation(aggregation)
    tau = _threshold(threshold)
    n = coalition.size
    if n > 12:
        raise ValueError(f"sanctions_game builds 2^n payoff cells; n = {n} exceeds the limit 12")
    b, burden, a, rho = _game_terms(coalition, period, inducement)
    support = _profile_support(n)
    pressure = np.asarray(coalition_pressure(support, coalition.weights, aggregation, tau))
    payoffs = b * pressure[..., None] - np.where(support, burden, a - rho)
    return NormalFormGame(
        payoffs,
        players=list(coalition.names),
        strategies=[list(STRATEGIES)] * n,
        title=f"Sanctions participation ({aggregation} aggregation)",
    )


def predicted_equilibria(
    governments: Coalition | West | Sequence[WesternGovernment],
    *,
    aggregation: str = "sum",
    threshold: float = 0.5,
    period: float = 0,
    inducement: Any = 0.0,
) -> list[tuple[bool, ...]]:
    """The pure equilibria of :func:`sanctions_game` in closed form (``True`` = sanctions).

    With ``g_i = a_i - rho_i - kappa_i(t)`` (gain from sanctioning when not pivotal) and
    ``h_i = b_i * Delta_i + g_i``:

    * ``"sum"``: ``Delta_i = w_i / W`` whatever the others do, so sanctioning is dominant
      iff ``h_i > 0``: one equilibrium, the supporters of :func:`member_support`
      (members with ``h_i = 0`` may go either way).
    * ``"weakest_link"``: full cohesion iff every ``h_i >= 0``; a lone defector ``j`` with
      ``h_j <= 0`` while all others have ``g_i >= 0``; or collapse, where at least two
      members defect, those with ``g_i > 0`` sanction and those with ``g_i < 0`` defect.
    * ``"threshold"``: ``S`` is an equilibrium iff every pivotal supporter has
      ``b_i + g_i >= 0``, every non-pivotal supporter ``g_i >= 0``, every outsider who
      would tip the threshold ``b_j + g_j <= 0`` and every other outsider ``g_j <= 0``
      (checked for all ``2^n`` sets at once).

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
    list of tuple of bool
        One tuple per pure equilibrium, ``True`` where the member sanctions, in the
        lexicographic order of the game's profiles (sanctioning first).

    Raises
    ------
    ParameterError
        If a number is outside its range above.
    ValueError
        If ``aggregation`` is not one of the three, ``inducement`` has neither one entry nor
        one per member, or ``governments`` is empty.

    Examples
    --------
    Two members who both value success but gain nothing unless pivotal: cohesion and
    collapse are both equilibria under the weakest link.

    >>> c = Coalition(("A", "B"), [1, 1], [0.3, 0.3], [0, 0], [1, 1], [0, 0], [0.5, 0.5])
    >>> predicted_equilibria(c, aggregation="weakest_link")
    [(True, True), (False, False)]
    """
    coalition = _as_coalition(governments)
    aggregation = _aggregation(aggregation)
    tau = _threshold(threshold)
    b, burden, a, rho = _game_terms(coalition, period, inducement)
    g = a - rho - burden
    w = coalition.weights
    if aggregation == "sum":
        h = b * w / w.sum() + g
        options = [(True,) if x > 0 else (False,) if x < 0 else (True, False) for x in h]
        found = set(itertools.product(*options))
    elif aggregation == "weakest_link":
        found = _weakest_link_equilibria(b + g, g)
    else:
        found = _threshold_equilibria(b, g, w, tau)
    return sorted(found, key=lambda s: tuple(not x for x in s))


def _weakest_link_equilibria(h: np.ndarray, g: np.ndarray) -> set[tuple[bool, ...]]:
    n = h.size
    found: set[tuple[bool, ...]] = set()
    if np.all(h >= 0):
        found.add((True,) * n)
    for j in range(n):
        others = np.arange(n) != j
        if h[j] <= 0 and np.all(g[others] >= 0):
            found.add(tuple(bool(x) for x in others))
    # collapse: the fixed members plus any split of the indifferent ones
    free = np.flatnonzero(g == 0)
    for bits in itertools.product((True, False), repeat=free.size):
        s = g > 0
        s[free] = bits
        if n - s.sum() >= 2:
            found.add(tuple(bool(x) for x in s))
    return found


def _threshold_equilibria(
    b: np.ndarray, g: np.ndarray, w: np.ndarray, tau: float
) -> set[tuple[bool, ...]]:
    n = w.size
    s = ((np.arange(2**n)[:, None] >> np.arange(n)[::-1]) & 1) == 0
    share = s @ w / w.sum()
    total = share[:, None]
    wi = (w / w.sum())[None, :]
    reached = total + _SHARE_TOL >= tau
    pivotal_in = s & reached & ~(total - wi + _SHARE_TOL >= tau)
    tipping_out = ~s & ~reached & (total + wi + _SHARE_TOL >= tau)
    ok_in = np.where(pivotal_in, b + g >= 0, g >= 0)
    ok_out = np.where(tipping_out, b + g <= 0, g <= 0)
    stable = np.where(s, ok_in, ok_out).all(axis=1)
    return {tuple(bool(x) for x in row) for row in s[stable]}


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
