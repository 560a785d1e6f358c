"""The coalition's members, each member's own decision, and the pressure their support adds up to.

Part of :mod:`simulator.model.published.coalition` (``docs/models/coalition.md``), which
re-exports every public name here:

* **Public goods and free riding** (Olson & Zeckhauser 1966, "An Economic Theory of
  Alliances", *Review of Economics and Statistics* 48(3)): coalition pressure is a public
  good; a member's own contribution moves it only by its *marginal effect*
  (:func:`marginal_effect`), so small members free-ride.
* **Aggregation technologies** (Hirshleifer 1983, "From Weakest-Link to Best-Shot",
  *Public Choice* 41(3); Sandler & Hartley 2001, *Journal of Economic Literature* 39(3)):
  pressure as a weighted sum (arms supplies), a minimum (weakest link: sanctions needing
  unanimity) or a threshold (a qualified majority of weight) (:func:`coalition_pressure`).
* **Audience costs** (Fearon 1994, "Domestic Political Audiences and the Escalation of
  International Disputes", *APSR* 88(3)): a government that reneges publicly pays a cost.

:class:`Coalition` holds the members as arrays; :func:`member_support` is each member's
decision rule at full cohesion, ``m_i = b_i * Delta_i + a_i - kappa_i(t) - rho_i >= 0``, with
the burden grown by fatigue (:func:`burden_at`). The validation helpers shared by the other
``coalition_*`` modules are here too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from simulator.model.actors import AGGREGATIONS, West, WesternGovernment
from simulator.model.parameters import check_range

__all__ = [
    "Coalition",
    "MemberSupport",
    "burden_at",
    "coalition_pressure",
    "marginal_effect",
    "member_support",
]

#: Slack for "share reaches threshold" comparisons, so that a share of k/n computed as a
#: sum of weights still reaches a threshold written as k/n.
_SHARE_TOL = 1e-12


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
