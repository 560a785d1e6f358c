"""Cheap talk: how much a costless message can reveal when interests diverge.

Crawford & Sobel (1982), "Strategic information transmission", *Econometrica* 50(6),
1431-1451, uniform-quadratic case. A sender observes a state ``theta ~ U[0, 1]`` and sends
a costless message; the receiver then picks an action ``y``. The receiver's utility is
``-(y - theta)^2`` (its ideal action is the state), the sender's ``-(y - theta - b)^2``
(it wants the action ``b > 0`` higher). Every equilibrium is a *partition* equilibrium: the
sender reveals only which of ``N`` intervals ``[a_{i-1}, a_i]`` holds the state, and the
receiver plays the interval's midpoint.

Derivation. A sender at a cut-point ``a_i`` must be indifferent between the two
neighbouring actions (the arbitrage condition), ``a_i + b - y_i = y_{i+1} - a_i - b`` with
``y_i = (a_{i-1} + a_i) / 2``; hence interval lengths grow by ``4 b`` each step,
``a_{i+1} - a_i = a_i - a_{i-1} + 4 b``. With ``a_0 = 0`` and ``a_N = 1``::

    a_i = i / N + 2 b i (i - N)        (= i/N - 2 b i (N - i): the same expression)

The first interval has length ``1/N - 2 b (N - 1)``, positive iff ``2 b N (N - 1) < 1``, so
the largest number of intervals is ``N* = ceil(-1/2 + sqrt(1 + 2/b) / 2)``. The receiver's
expected utility is minus the mean squared error, ``-sum_i L_i^3 / 12``, which simplifies to
``-(1 / (12 N^2) + b^2 (N^2 - 1) / 3)``; the sender's is that minus ``b^2`` (the action is
unbiased for the state within each interval, so the bias adds ``b^2`` to its loss).

Mission claim 1 (an offer that costs nothing to make carries limited information, the
less the more the two sides' interests diverge; at ``b >= 1/4`` only babbling remains) and
claim 6 (signals still carry *some* information: with a small bias several intervals
survive).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from simulator.model.parameters import ParameterError, check_range

__all__ = [
    "PartitionEquilibrium",
    "cut_points",
    "max_intervals",
    "partition_equilibrium",
    "receiver_expected_utility",
    "sender_expected_utility",
]


@dataclass(frozen=True)
class PartitionEquilibrium:
    """A partition equilibrium of the uniform-quadratic cheap-talk game.

    Attributes
    ----------
    bias : float
        The sender's bias ``b`` (its ideal action minus the receiver's).
    intervals : int
        Number of intervals ``N`` the state space is partitioned into.
    cut_points : tuple of float
        ``a_0 = 0 < a_1 < ... < a_N = 1``.
    actions : tuple of float
        The receiver's action in each interval (its midpoint).
    receiver_utility, sender_utility : float
        Ex-ante expected utilities.
    """

    bias: float
    intervals: int
    cut_points: tuple[float, ...]
    actions: tuple[float, ...]
    receiver_utility: float
    sender_utility: float


# ---------------------------------------------------------------------- validation
def _bias(bias: Any) -> np.ndarray:
    return check_range(
        "bias",
        bias,
        0,
        low_open=True,
        what="the sender's bias; for a negative bias use its absolute value: the game is symmetric",
    )


def _intervals(intervals: Any, bias: np.ndarray) -> np.ndarray:
    if np.asarray(intervals).dtype == bool:
        raise ParameterError(
            "intervals", intervals, f"intervals = {intervals!r} must be a whole number, not a bool"
        )
    n = check_range(
        "intervals", intervals, 1, integer=True, what="a partition has at least 1 interval"
    ).astype(np.int64)
    most = max_intervals(bias)
    too_many = np.broadcast_to(n > most, np.broadcast_shapes(n.shape, np.shape(most)))
    if np.any(too_many):
        b_bad = np.broadcast_to(bias, too_many.shape)[too_many].flat[0]
        n_bad = np.broadcast_to(n, too_many.shape)[too_many].flat[0]
        raise ParameterError(
            "intervals",
            int(n_bad),
            f"intervals = {int(n_bad)} is too many for bias = {float(b_bad):g}: a partition "
            f"equilibrium has at most N* = {int(max_intervals(b_bad))} intervals at this bias",
        )
    return n


def _scalar(value: np.ndarray) -> Any:
    return value.item() if np.ndim(value) == 0 else value


# ---------------------------------------------------------------------- closed forms
def max_intervals(bias: Any) -> Any:
    """The most intervals a partition equilibrium can have, ``N* = ceil(-1/2 + sqrt(1 + 2/b)/2)``.

    Parameters
    ----------
    bias : float or array_like
        The sender's bias ``b > 0``.

    Returns
    -------
    int or numpy array of int
        ``N*``, the largest ``N`` with ``2 b N (N - 1) < 1`` (Crawford & Sobel 1982).

    Examples
    --------
    >>> max_intervals(0.1)
    2
    >>> max_intervals([0.3, 0.25, 0.05, 0.01]).tolist()
    [1, 1, 3, 7]
    """
    b = _bias(bias)
    n = np.ceil(-0.5 + 0.5 * np.sqrt(1.0 + 2.0 / b)).astype(np.int64)
    # Guard the knife-edge b = 1/(2N(N-1)) against round-off in the square root.
    n = np.where(2.0 * b * n * (n - 1) >= 1.0, n - 1, n)
    n = np.where(2.0 * b * (n + 1) * n < 1.0, n + 1, n)
    return _scalar(np.maximum(n, 1))


def cut_points(bias: Any, intervals: int) -> np.ndarray:
    """Cut-points ``a_i = i/N + 2 b i (i - N)``, ``i = 0..N``, of an ``N``-interval equilibrium.

    Parameters
    ----------
    bias : float or array_like
        The sender's bias ``b > 0``.
    intervals : int
        ``N``, at most :func:`max_intervals` of every bias.

    Returns
    -------
    numpy array, shape ``bias.shape + (N + 1,)``

    Examples
    --------
    >>> cut_points(0.1, 2)
    array([0. , 0.3, 1. ])
    >>> cut_points([0.05, 0.02], 3).round(3)
    array([[0.   , 0.133, 0.467, 1.   ],
           [0.   , 0.253, 0.587, 1.   ]])
    """
    b = _bias(bias)
    n = _intervals(intervals, b)
    if n.ndim:
        raise ValueError(
            "intervals must be a single whole number here (the result has N + 1 columns)"
        )
    big_n = int(n)
    i = np.arange(big_n + 1, dtype=float)
    cuts = i / big_n + 2.0 * b[..., None] * i * (i - big_n)
    cuts[..., -1] = 1.0  # exact end point despite round-off
    return cuts


def receiver_expected_utility(bias: Any, intervals: Any) -> Any:
    """The receiver's ex-ante utility ``-(1/(12 N^2) + b^2 (N^2 - 1)/3)``.

    Broadcasts over ``bias`` and ``intervals``.

    Parameters
    ----------
    bias : float or array_like
        The sender's bias ``b > 0``.
    intervals : int or array_like of int
        ``N >= 1``, at most :func:`max_intervals` of the matching bias.

    Returns
    -------
    float or numpy.ndarray
        Minus the receiver's mean squared error, in ``[-1/12, 0)``.

    Raises
    ------
    ParameterError
        If ``bias`` is not positive, or ``intervals`` is not a whole number (a bool
        included), is below 1 or exceeds ``N*`` for its bias.

    Examples
    --------
    >>> receiver_expected_utility(0.1, 2)  # -37/1200
    -0.0308333...
    >>> receiver_expected_utility(0.1, [1, 2]).round(5).tolist()
    [-0.08333, -0.03083]
    """
    b = _bias(bias)
    n = _intervals(intervals, b).astype(float)
    return _scalar(-(1.0 / (12.0 * n**2) + b**2 * (n**2 - 1.0) / 3.0))


def sender_expected_utility(bias: Any, intervals: Any) -> Any:
    """The sender's ex-ante utility: the receiver's minus ``b^2``.

    Parameters
    ----------
    bias : float or array_like
        The sender's bias ``b > 0``.
    intervals : int or array_like of int
        ``N >= 1``, at most :func:`max_intervals` of the matching bias.

    Returns
    -------
    float or numpy.ndarray
        ``receiver_expected_utility(bias, intervals) - bias**2``.

    Raises
    ------
    ParameterError
        As :func:`receiver_expected_utility`.

    Examples
    --------
    >>> sender_expected_utility(0.1, 2)  # -37/1200 - 1/100
    -0.0408333...
    """
    b = _bias(bias)
    return _scalar(np.asarray(receiver_expected_utility(b, intervals)) - b**2)


def partition_equilibrium(bias: float, intervals: int | None = None) -> PartitionEquilibrium:
    """The ``N``-interval partition equilibrium (default: the most informative, ``N = N*``).

    Parameters
    ----------
    bias : float
        The sender's bias ``b > 0`` (a single number).
    intervals : int, optional
        ``N``, from 1 to :func:`max_intervals` of ``bias``; ``N*`` when omitted.

    Returns
    -------
    PartitionEquilibrium
        Its cut-points, the receiver's actions (the interval midpoints) and both players'
        ex-ante utilities.

    Raises
    ------
    ParameterError
        If ``bias`` is not positive, or ``intervals`` is not a whole number from 1 to
        ``N*``.
    ValueError
        If ``bias`` is an array.

    Examples
    --------
    >>> eq = partition_equilibrium(0.1)
    >>> eq.intervals, eq.cut_points, eq.actions
    (2, (0.0, 0.3, 1.0), (0.15, 0.65))
    >>> round(eq.receiver_utility * 1200, 9)
    -37.0
    """
    b = _bias(bias)
    if b.ndim:
        raise ValueError("partition_equilibrium takes one bias; use cut_points for a sweep")
    n = int(max_intervals(b)) if intervals is None else int(_intervals(intervals, b))
    cuts = cut_points(b, n)
    actions = (cuts[:-1] + cuts[1:]) / 2.0
    return PartitionEquilibrium(
        bias=float(b),
        intervals=n,
        cut_points=tuple(float(c) for c in cuts),
        actions=tuple(float(y) for y in actions),
        receiver_utility=float(receiver_expected_utility(b, n)),
        sender_utility=float(sender_expected_utility(b, n)),
    )
