"""The votes of the expected-utility model: the forecast and the probabilities of success.

Part of :mod:`simulator.model.published.expected_utility`, which re-exports every public name
here.

Source: J. B. Scholz, G. J. Calbert & G. A. Smith (2011), "Unravelling Bueno De Mesquita's
group decision model", *Journal of Theoretical Politics* 23(4) (also ICAART 2011), which
reconstructs the model of B. Bueno de Mesquita (1994), "Political forecasting: an expected
utility method", in *European Community Decision Making* (Yale UP), and earlier work
(Bueno de Mesquita 1980, 1985, *APSR*). Equation numbers below are Scholz et al.'s.

Actors ``i`` hold a position ``x_i`` on one issue, a capability ``c_i`` and a salience
``s_i`` in [0, 1].

1. **Votes and the forecast** (Appendix step 3): actor ``i`` casts
   ``c_i s_i (|x_i - x_k| - |x_i - x_j|) / (x_max - x_min)`` votes for ``x_j`` over ``x_k``;
   the position with the most net votes (the Condorcet winner, i.e. the weighted median,
   Black 1948) is the forecast ``mu``.
2. **Probability of success** (eqs. 30-31): ``P_ij`` is the share of all votes cast between
   ``x_i`` and ``x_j`` that go to ``x_i``.

The validation of the actors' arrays shared by the other ``expected_utility_*`` modules is
here too.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from simulator.model.parameters import check_range

__all__ = ["mean_position", "median_position", "pairwise_votes", "success_probabilities"]


# ---------------------------------------------------------------------------- validation
def _vector(name: str, value: Any, low: float = -np.inf, high: float = np.inf) -> np.ndarray:
    arr = check_range(name, value, low, high)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array, one value per actor; got shape {arr.shape}")
    return arr


def _actors(
    positions: Any, capabilities: Any, saliences: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x = _vector("positions", positions)
    c = _vector("capabilities", capabilities, 0.0)
    s = _vector("saliences", saliences, 0.0, 1.0)
    if x.size < 2:
        raise ValueError(f"the model needs at least 2 actors; got {x.size}")
    if not (x.size == c.size == s.size):
        raise ValueError(
            f"positions, capabilities and saliences need one value per actor; "
            f"got {x.size}, {c.size} and {s.size}"
        )
    if np.dot(c, s) <= 0:
        raise ValueError("some actor needs positive capability and salience (all votes are zero)")
    return x, c, s


def _choice(name: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ValueError(f"{name} = {value!r} is not allowed; choose one of {list(allowed)}")
    return value


def _span(x: np.ndarray) -> float:
    return float(x.max() - x.min())


# ---------------------------------------------------------------------------- votes
def pairwise_votes(positions: Any, capabilities: Any, saliences: Any) -> np.ndarray:
    """Net votes for each position over each other one (Scholz et al., Appendix step 3).

    ``V[j, k] = sum_i c_i s_i (|x_i - x_k| - |x_i - x_j|) / (x_max - x_min)``; positive when
    the actors prefer ``x_j`` to ``x_k``. Computed as ``(L_k - L_j)/R`` with
    ``L_j = sum_i c_i s_i |x_i - x_j|`` (``n x n`` work).

    Parameters
    ----------
    positions : array_like, shape (n,)
        Each actor's position ``x_i`` on the issue (finite).
    capabilities : array_like, shape (n,)
        Capabilities ``c_i >= 0``.
    saliences : array_like, shape (n,)
        Saliences ``s_i`` in ``[0, 1]``.

    Returns
    -------
    numpy.ndarray, shape (n, n)
        ``V``, antisymmetric (``V[k, j] = -V[j, k]``); all zeros when every actor holds the
        same position.

    Raises
    ------
    ParameterError
        If a position is not finite, a capability negative or a salience outside ``[0, 1]``.
    ValueError
        If the arrays are not 1-D of one common length ``n >= 2``, or every actor has zero
        capability or salience.

    Examples
    --------
    >>> pairwise_votes([0, 1, 2], [1, 1, 1], [1, 1, 1])
    array([[ 0. , -0.5,  0. ],
           [ 0.5,  0. ,  0.5],
           [ 0. , -0.5,  0. ]])
    """
    x, c, s = _actors(positions, capabilities, saliences)
    span = _span(x)
    if span == 0:
        return np.zeros((x.size, x.size))
    loss = (c * s) @ np.abs(x[:, None] - x[None, :])
    return (loss[None, :] - loss[:, None]) / span


def median_position(positions: Any, capabilities: Any, saliences: Any) -> float:
    """The forecast: the position with the most net votes (the weighted median).

    Among positions with equal votes the lowest is returned.

    Parameters
    ----------
    positions : array_like, shape (n,)
        Each actor's position ``x_i`` on the issue (finite).
    capabilities : array_like, shape (n,)
        Capabilities ``c_i >= 0``.
    saliences : array_like, shape (n,)
        Saliences ``s_i`` in ``[0, 1]``.

    Returns
    -------
    float
        The position (one of the ``x_i``) with the largest sum of net votes.

    Raises
    ------
    ParameterError
        If a position is not finite, a capability negative or a salience outside ``[0, 1]``.
    ValueError
        If the arrays are not 1-D of one common length ``n >= 2``, or every actor has zero
        capability or salience.

    Examples
    --------
    >>> from simulator.model.published.expected_utility import EC_CAR_EMISSIONS
    >>> median_position(EC_CAR_EMISSIONS.positions, EC_CAR_EMISSIONS.capabilities,
    ...                 EC_CAR_EMISSIONS.saliences)
    7.0
    """
    x, c, s = _actors(positions, capabilities, saliences)
    score = pairwise_votes(x, c, s).sum(axis=1)
    best = score >= score.max() - 1e-12 * max(1.0, np.abs(score).max())
    return float(x[best].min())


def mean_position(positions: Any, capabilities: Any, saliences: Any) -> float:
    """The capability-and-salience weighted mean position (Scholz et al.'s "mean voter").

    Parameters
    ----------
    positions : array_like, shape (n,)
        Each actor's position ``x_i`` on the issue (finite).
    capabilities : array_like, shape (n,)
        Capabilities ``c_i >= 0``.
    saliences : array_like, shape (n,)
        Saliences ``s_i`` in ``[0, 1]``.

    Returns
    -------
    float
        ``sum_i c_i s_i x_i / sum_i c_i s_i``.

    Raises
    ------
    ParameterError
        If a position is not finite, a capability negative or a salience outside ``[0, 1]``.
    ValueError
        If the arrays are not 1-D of one common length ``n >= 2``, or every actor has zero
        capability or salience.

    Examples
    --------
    >>> from simulator.model.published.expected_utility import EC_CAR_EMISSIONS
    >>> round(EC_CAR_EMISSIONS.mean(), 4)
    7.39
    """
    x, c, s = _actors(positions, capabilities, saliences)
    w = c * s
    return float(w @ x / w.sum())


def success_probabilities(positions: Any, capabilities: Any, saliences: Any) -> np.ndarray:
    """``P[i, j]``: probability that ``i`` prevails against ``j`` (eqs. 30-31).

    ``P_ij = sum_{k: supports i} c_k s_k (|x_k - x_j| - |x_k - x_i|)
    / sum_k c_k s_k ||x_k - x_j| - |x_k - x_i||``, so ``P_ij + P_ji = 1``; ``0.5`` when
    ``x_i = x_j``. Uses an ``n x n x n`` array.

    Parameters
    ----------
    positions : array_like, shape (n,)
        Each actor's position ``x_i`` on the issue (finite).
    capabilities : array_like, shape (n,)
        Capabilities ``c_i >= 0``.
    saliences : array_like, shape (n,)
        Saliences ``s_i`` in ``[0, 1]``.

    Returns
    -------
    numpy.ndarray, shape (n, n)
        ``P`` with entries in ``[0, 1]``, ``0.5`` on the diagonal.

    Raises
    ------
    ParameterError
        If a position is not finite, a capability negative or a salience outside ``[0, 1]``.
    ValueError
        If the arrays are not 1-D of one common length ``n >= 2``, or every actor has zero
        capability or salience.

    Examples
    --------
    >>> success_probabilities([0, 1, 2], [1, 1, 2], [1, 1, 1]).round(3)
    array([[0.5  , 0.25 , 0.333],
           [0.75 , 0.5  , 0.5  ],
           [0.667, 0.5  , 0.5  ]])
    """
    x, c, s = _actors(positions, capabilities, saliences)
    d = np.abs(x[:, None] - x[None, :])
    arg = d[:, None, :] - d[:, :, None]  # arg[k, i, j] = |x_k - x_j| - |x_k - x_i|
    w = (c * s)[:, None, None]
    num = (w * np.clip(arg, 0.0, None)).sum(axis=0)
    den = (w * np.abs(arg)).sum(axis=0)
    return np.where(den > 0, num / np.where(den > 0, den, 1.0), 0.5)
