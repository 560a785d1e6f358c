"""Utilities, the expected utility of challenging, and risk, in the expected-utility model.

Part of :mod:`simulator.model.published.expected_utility`, which re-exports every public name
here.

Source: J. B. Scholz, G. J. Calbert & G. A. Smith (2011), "Unravelling Bueno De Mesquita's
group decision model", *Journal of Theoretical Politics* 23(4) (also ICAART 2011), which
reconstructs the model of B. Bueno de Mesquita (1994), "Political forecasting: an expected
utility method", in *European Community Decision Making* (Yale UP), and earlier work
(Bueno de Mesquita 1980, 1985, *APSR*). Equation numbers below are Scholz et al.'s.

3. **Utilities** (eqs. 15-16, 22-24) with risk exponent ``r_i`` and ``D = |x_i-x_j|/R``:
   success ``2 - 4(0.5 - 0.5 D)^r``, failure ``2 - 4(0.5 + 0.5 D)^r``, better/worse
   ``2 - 4(0.5 -/+ 0.25 (|x_i - mu| + |x_i - x_j|)/R)^r``, status quo ``2 - 4 (0.5)^r``.
4. **Expected utility of challenging** (eqs. 5-7)::

       E^i(U_ij) = s_j [P_ij U_s + (1 - P_ij) U_f] + (1 - s_j) U_s
                   - Q U_sq - (1 - Q) [T U_b + (1 - T) U_w]

   with ``T = 1`` iff ``|x_i - mu| < |x_i - x_j|`` (if ``j`` drifts to the median it comes
   closer to ``i``; Scholz et al.'s cases 1 and 3A) and ``Q`` the probability that the status
   quo persists when ``i`` does not challenge.
5. **Risk** (eqs. 32-34, section 5): expected utilities with ``r = 1`` give each actor's
   security ``Sec_i = sum_j E^j(U_ji)`` (what its adversaries expect from challenging it);
   ``R_i = (2 Sec_i - max Sec - min Sec)/(max Sec - min Sec)`` and
   ``r_i = (1 - R_i/3)/(1 + R_i/3)`` in [0.5, 2]; expected utilities are then recomputed
   with these ``r_i``.

The ``security`` option of :func:`risk_exponents` chooses between Scholz et al.'s prose
(``"adversary"``) and their appendix superscript (``"own"``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from simulator.model.parameters import check_range
from simulator.model.published.expected_utility_votes import (
    _actors,
    _choice,
    _span,
    _vector,
    median_position,
    success_probabilities,
)

__all__ = ["BasicUtilities", "basic_utilities", "challenge_utilities", "risk_exponents"]

SECURITY_RULES = ("adversary", "own")


# ---------------------------------------------------------------------------- utilities
@dataclass(frozen=True, eq=False)
class BasicUtilities:
    """Utilities of actor ``i`` (row) in its dealings with ``j`` (column), eqs. 15-24.

    Attributes
    ----------
    success, failure, better, worse : numpy arrays, shape (n, n)
    status_quo : numpy array, shape (n,)
    """

    success: np.ndarray
    failure: np.ndarray
    better: np.ndarray
    worse: np.ndarray
    status_quo: np.ndarray


def _risk(risk: Any, n: int) -> np.ndarray:
    if risk is None:
        return np.ones(n)
    r = check_range("risk", risk, 0, low_open=True, what="risk exponents r_i")
    return np.broadcast_to(r, (n,))


def basic_utilities(positions: Any, median: float, risk: Any = None) -> BasicUtilities:
    """Success, failure, better, worse and status-quo utilities (eqs. 15, 16, 22, 23, 24).

    Parameters
    ----------
    positions : array_like, shape (n,)
    median : float
        The current forecast ``mu``.
    risk : float or array_like, shape (n,), optional
        Risk exponents ``r_i`` (default 1: risk neutral).

    Returns
    -------
    BasicUtilities
        Utilities in ``[-2, 2]``, row ``i`` for actor ``i``'s dealings with column ``j``.

    Raises
    ------
    ParameterError
        If a position is not finite or a risk exponent is not positive.
    ValueError
        If ``positions`` is not 1-D.

    Examples
    --------
    With ``r = 1`` success and failure are ``+-2 |x_i - x_j| / R`` and the status quo is 0.

    >>> u = basic_utilities([0, 5, 10], median=5)
    >>> u.success[0].tolist(), u.failure[0].tolist(), u.status_quo.tolist()
    ([0.0, 1.0, 2.0], [0.0, -1.0, -2.0], [0.0, 0.0, 0.0])
    """
    x = _vector("positions", positions)
    r = _risk(risk, x.size)[:, None]
    span = _span(x) or 1.0
    dist = np.abs(x[:, None] - x[None, :]) / span
    to_median = np.abs(x - float(median))[:, None] / span
    half = 0.25 * (to_median + dist)

    def u(base: np.ndarray) -> np.ndarray:
        # bases lie in [0, 1]; the clip only removes rounding noise before the power
        return 2.0 - 4.0 * np.clip(base, 0.0, None) ** r

    return BasicUtilities(
        success=u(0.5 - 0.5 * dist),
        failure=u(0.5 + 0.5 * dist),
        better=u(0.5 - half),
        worse=u(0.5 + half),
        status_quo=(2.0 - 4.0 * 0.5 ** r[:, 0]),
    )


def challenge_utilities(
    positions: Any,
    capabilities: Any,
    saliences: Any,
    *,
    risk: Any = None,
    status_quo_probability: float = 1.0,
    median: float | None = None,
) -> np.ndarray:
    """``E[i, j] = E^i(U_ij)``: what ``i`` expects from challenging ``j`` (eqs. 5-7).

    ``E^i(U_ij) = s_j [P_ij U_s + (1 - P_ij) U_f] + (1 - s_j) U_s - Q U_sq
    - (1 - Q)[T U_b + (1 - T) U_w]``; the diagonal is 0. Each actor's own risk exponent
    shapes its own utilities, so ``E[j, i]`` is ``j``'s view of challenging ``i``.

    Parameters
    ----------
    positions, capabilities, saliences : array_like, shape (n,)
    risk : float or array_like, optional
        Risk exponents (default 1).
    status_quo_probability : float in [0, 1]
        ``Q``. Scholz et al. use 1.0 for the EC example (their appendix offers 0.5 or 1.0).
    median : float, optional
        The forecast ``mu`` (default :func:`median_position`).

    Returns
    -------
    numpy.ndarray, shape (n, n)
        ``E``, with zeros on the diagonal.

    Raises
    ------
    ParameterError
        If a position is not finite, a capability negative, a salience outside ``[0, 1]``,
        a risk exponent not positive or ``status_quo_probability`` outside ``[0, 1]``.
    ValueError
        If the arrays are not 1-D of one common length ``n >= 2``, or every actor has zero
        capability or salience.

    Examples
    --------
    With ``r = 1`` and ``Q = 1`` it reduces to ``2 D_ij (1 - 2 s_j (1 - P_ij))``:

    >>> challenge_utilities([0, 1, 2], [1, 1, 2], [1, 0.5, 1]).round(3)
    array([[ 0.   ,  0.286, -0.667],
           [ 0.429,  0.   , -0.143],
           [ 0.667,  0.571,  0.   ]])
    """
    x, c, s = _actors(positions, capabilities, saliences)
    q = float(check_range("status_quo_probability", status_quo_probability, 0, 1))
    mu = median_position(x, c, s) if median is None else float(median)
    u = basic_utilities(x, mu, risk)
    p = success_probabilities(x, c, s)
    better_if_quiet = np.abs(x - mu)[:, None] < np.abs(x[:, None] - x[None, :])
    quiet = q * u.status_quo[:, None] + (1.0 - q) * np.where(better_if_quiet, u.better, u.worse)
    resisted = p * u.success + (1.0 - p) * u.failure
    eu = s[None, :] * resisted + (1.0 - s[None, :]) * u.success - quiet
    np.fill_diagonal(eu, 0.0)
    return eu


def risk_exponents(challenge_eu: Any, security: str = "adversary") -> np.ndarray:
    """Risk exponents ``r_i`` in [0.5, 2] from risk-neutral expected utilities (eqs. 32-34).

    ``security="adversary"`` (Scholz et al.'s prose, section 5): ``Sec_i = sum_j E^j(U_ji)``,
    the column sums; ``"own"`` (their appendix superscript): the row sums.
    ``R_i = (2 Sec_i - max - min)/(max - min)``, ``r_i = (1 - R_i/3)/(1 + R_i/3)``: the
    actor its adversaries most want to challenge is the most risk averse (``r = 0.5``).

    Parameters
    ----------
    challenge_eu : array_like, shape (n, n)
        Risk-neutral expected utilities ``E[i, j] = E^i(U_ij)`` (the diagonal is ignored).
    security : {"adversary", "own"}
        Whether ``Sec_i`` sums the column (what others expect from challenging ``i``) or the
        row of ``i``.

    Returns
    -------
    numpy.ndarray, shape (n,)
        ``r_i`` in ``[0.5, 2]``; all 1 when every ``Sec_i`` is equal.

    Raises
    ------
    ValueError
        If ``challenge_eu`` is not square or ``security`` is unknown.

    Examples
    --------
    >>> risk_exponents([[0, 1, 3], [0, 0, 1], [2, 0, 0]]).round(3).tolist()
    [1.25, 2.0, 0.5]
    """
    eu = np.asarray(challenge_eu, dtype=float)
    if eu.ndim != 2 or eu.shape[0] != eu.shape[1]:
        raise ValueError(f"challenge_eu must be a square (n, n) array; got shape {eu.shape}")
    _choice("security", security, SECURITY_RULES)
    off = eu - np.diag(np.diag(eu))
    sec = off.sum(axis=0) if security == "adversary" else off.sum(axis=1)
    spread = sec.max() - sec.min()
    if spread <= 1e-12 * max(1.0, np.abs(sec).max()):
        return np.ones(sec.size)
    big_r = (2.0 * sec - sec.max() - sec.min()) / spread
    return (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0)
