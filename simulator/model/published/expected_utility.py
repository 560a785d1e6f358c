"""Bueno de Mesquita's expected-utility forecasting model (the forecasting baseline).

Source: J. B. Scholz, G. J. Calbert & G. A. Smith (2011), "Unravelling Bueno De Mesquita's
group decision model", *Journal of Theoretical Politics* 23(4) (also ICAART 2011), which
reconstructs the model of B. Bueno de Mesquita (1994), "Political forecasting: an expected
utility method", in *European Community Decision Making* (Yale UP), and earlier work
(Bueno de Mesquita 1980, 1985, *APSR*). Equation numbers below are Scholz et al.'s.

Actors ``i`` hold a position ``x_i`` on one issue, a capability ``c_i`` and a salience
``s_i`` in [0, 1]. A round:

1. **Votes and the forecast** (Appendix step 3): actor ``i`` casts
   ``c_i s_i (|x_i - x_k| - |x_i - x_j|) / (x_max - x_min)`` votes for ``x_j`` over ``x_k``;
   the position with the most net votes (the Condorcet winner, i.e. the weighted median,
   Black 1948) is the forecast ``mu``.
2. **Probability of success** (eqs. 30-31): ``P_ij`` is the share of all votes cast between
   ``x_i`` and ``x_j`` that go to ``x_i``.
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
6. **Offers and moves** (section 6, fig. 6, eqs. 35-36): for each pair, the actor with
   the larger positive expected utility proposes. If the other also expects to gain
   (*conflict*), it concedes fully (the confrontation octants); if it expects to lose
   less than the proposer gains (*compromise*), it moves the fraction
   ``|E^j(U_ji)/E^i(U_ij)|`` of the way; if it expects to lose more (*capitulation*), it
   moves fully. Each actor accepts the offer of the proposer with the highest expected
   utility (the most enforceable), and among equally enforceable offers the one that moves
   it least (section 6.2).

The choices Scholz et al. leave open are options here: ``security`` (their prose vs. the
appendix superscript), ``conflict`` (``"concede"``, their fig. 6 reading; ``"none"``,
Bueno de Mesquita 1997's "uncertain outcome") and ``selection``. The reproduction of their
EC car-emissions example (``EC_CAR_EMISSIONS``) is exact for the initial forecast (7 years)
but not for their round-by-round Table 2 (``docs/models/expected_utility.md``).

Mission: the model is a *baseline*: a published, non-equilibrium forecast of where
Russia, Ukraine and the Western governments would settle, against which the simulator's
equilibrium models can be compared.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from simulator.model.parameters import check_range

__all__ = [
    "ActorTable",
    "BasicUtilities",
    "EC_CAR_EMISSIONS",
    "Forecast",
    "Offers",
    "Round",
    "basic_utilities",
    "challenge_utilities",
    "forecast",
    "make_offers",
    "mean_position",
    "median_position",
    "pairwise_votes",
    "play_round",
    "risk_exponents",
    "select_offers",
    "success_probabilities",
]

CONFLICT_RULES = ("concede", "none")
#: Expected utilities within this of each other (or of zero) count as equal: utilities lie
#: in [-4, 4], and exact ties must not be decided by rounding noise.
EU_TOL = 1e-12
SELECTION_RULES = ("enforceability", "least_move")
SECURITY_RULES = ("adversary", "own")


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


# ---------------------------------------------------------------------------- data
@dataclass(frozen=True, eq=False)
class ActorTable:
    """Named actors with positions, capabilities and saliences (saliences in [0, 1]).

    Attributes
    ----------
    names : tuple of str
        One name per actor.
    positions : numpy.ndarray, shape (n,)
        Positions ``x_i`` on the issue.
    capabilities : numpy.ndarray, shape (n,)
        Capabilities ``c_i >= 0``.
    saliences : numpy.ndarray, shape (n,)
        Saliences ``s_i`` in ``[0, 1]``.

    Raises
    ------
    ParameterError
        If a position is not finite, a capability negative or a salience outside ``[0, 1]``.
    ValueError
        If the arrays are not 1-D of one common length ``n >= 2``, or every actor has zero
        capability or salience, or ``names`` does not have one entry per actor.

    Examples
    --------
    >>> EC_CAR_EMISSIONS.names[:3]
    ('Netherlands', 'Belgium', 'Luxembourg')
    >>> EC_CAR_EMISSIONS.median()
    7.0
    """

    names: tuple[str, ...]
    positions: np.ndarray
    capabilities: np.ndarray
    saliences: np.ndarray

    def __post_init__(self) -> None:
        x, c, s = _actors(self.positions, self.capabilities, self.saliences)
        if len(self.names) != x.size:
            raise ValueError(f"names has {len(self.names)} entries for {x.size} actors")
        object.__setattr__(self, "names", tuple(self.names))
        object.__setattr__(self, "positions", x)
        object.__setattr__(self, "capabilities", c)
        object.__setattr__(self, "saliences", s)

    def median(self) -> float:
        """The initial forecast, :func:`median_position`."""
        return median_position(self.positions, self.capabilities, self.saliences)

    def mean(self) -> float:
        """The capability-and-salience weighted mean position, :func:`mean_position`."""
        return mean_position(self.positions, self.capabilities, self.saliences)

    def forecast(self, **options: Any) -> Forecast:
        """Run :func:`forecast` on this table; ``options`` as there."""
        return forecast(self.positions, self.capabilities, self.saliences, **options)


#: The EC car-emissions example (Bueno de Mesquita 1994, p. 78; Scholz et al. 2011,
#: Table 1): the date (years from the start of talks) by which emission standards for
#: medium-sized cars should apply. Public transcriptions swap the Netherlands' and
#: Belgium's rows; both have capability 0.08, so every forecast is unaffected.
EC_CAR_EMISSIONS = ActorTable(
    names=(
        "Netherlands",
        "Belgium",
        "Luxembourg",
        "Germany",
        "France",
        "Italy",
        "UK",
        "Ireland",
        "Denmark",
        "Greece",
    ),
    positions=np.array([4, 7, 4, 4, 10, 10, 10, 7, 4, 7], dtype=float),
    capabilities=np.array([0.08, 0.08, 0.03, 0.16, 0.16, 0.16, 0.16, 0.05, 0.05, 0.08]),
    saliences=np.array([0.8, 0.4, 0.2, 0.8, 0.6, 0.6, 0.9, 0.1, 1.0, 0.7]),
)


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


# ---------------------------------------------------------------------------- offers
@dataclass(frozen=True, eq=False)
class Offers:
    """The proposals of one round, indexed ``[proposer, mover]``.

    Attributes
    ----------
    valid : numpy bool array, shape (n, n)
        Whether the proposer makes the mover an offer.
    target : numpy array, shape (n, n)
        The position the mover would move to.
    enforceability : numpy array, shape (n, n)
        The proposer's expected utility ``E^p(U_pm)`` (higher = more enforceable).
    kind : numpy str array, shape (n, n)
        ``"conflict"``, ``"compromise"``, ``"capitulation"`` or ``""`` (no offer).
    """

    valid: np.ndarray
    target: np.ndarray
    enforceability: np.ndarray
    kind: np.ndarray


def make_offers(positions: Any, challenge_eu: Any, conflict: str = "concede") -> Offers:
    """Classify every pair by the octant of ``(E^i(U_ij), E^j(U_ji))`` and form the offers.

    The proposer ``p`` is the side with the larger, positive expected utility; the mover
    ``m`` goes to ``x_m + f (x_p - x_m)`` with ``f = 1`` in conflict (both expect to gain;
    ``conflict="none"`` makes no offer there instead) and ``f = min(1, |E^m|/E^p)``
    otherwise (compromise, eqs. 35-36, or capitulation). Expected utilities within
    ``EU_TOL`` of each other or of zero count as ties (no offer).

    Parameters
    ----------
    positions : array_like, shape (n,)
        The actors' current positions.
    challenge_eu : array_like, shape (n, n)
        ``E[i, j] = E^i(U_ij)``, e.g. from :func:`challenge_utilities`.
    conflict : {"concede", "none"}
        Whether in conflict the mover concedes fully or no offer is made.

    Returns
    -------
    Offers
        The offers indexed ``[proposer, mover]``; ``nan`` targets and enforceabilities and
        kind ``""`` where no offer is made.

    Raises
    ------
    ParameterError
        If a position is not finite.
    ValueError
        If ``positions`` is not 1-D, ``challenge_eu`` is not of shape ``(n, n)`` or
        ``conflict`` is unknown.

    Examples
    --------
    >>> o = make_offers([0, 10], [[0, 1.0], [-0.25, 0]])
    >>> o.kind.tolist(), float(o.target[0, 1])
    ([['', 'compromise'], ['', '']], 7.5)
    """
    x = _vector("positions", positions)
    a = np.asarray(challenge_eu, dtype=float)
    if a.shape != (x.size, x.size):
        raise ValueError(f"challenge_eu must have shape ({x.size}, {x.size}); got {a.shape}")
    _choice("conflict", conflict, CONFLICT_RULES)
    b = a.T
    # positions closer than rounding noise are the same position
    distinct = np.abs(x[:, None] - x[None, :]) > 1e-12 * max(_span(x), 1e-300)
    both_gain = b > EU_TOL
    valid = distinct & (a > EU_TOL) & (a > b + EU_TOL)
    if conflict == "none":
        valid &= ~both_gain
    ratio = np.divide(np.abs(b), a, out=np.ones_like(a), where=valid)
    frac = np.where(both_gain, 1.0, np.minimum(1.0, ratio))
    target = x[None, :] + frac * (x[:, None] - x[None, :])
    kind = np.where(both_gain, "conflict", np.where(frac >= 1.0, "capitulation", "compromise"))
    return Offers(
        valid=valid,
        target=np.where(valid, target, np.nan),
        enforceability=np.where(valid, a, np.nan),
        kind=np.where(valid, kind, ""),
    )


def select_offers(positions: Any, offers: Offers, selection: str = "enforceability") -> np.ndarray:
    """Each actor's new position: the offer it accepts, or its old position if none.

    ``"enforceability"`` (Scholz et al., section 6.2): the offer of the proposer with the
    highest expected utility; among equally enforceable offers, the one that moves it
    least. ``"least_move"``: the offer that moves it least. Remaining ties go to the
    proposer listed first.

    Parameters
    ----------
    positions : array_like, shape (n,)
        The actors' current positions.
    offers : Offers
        The offers of the round, from :func:`make_offers` on the same positions.
    selection : {"enforceability", "least_move"}
        How an actor chooses among the offers it receives.

    Returns
    -------
    numpy.ndarray, shape (n,)
        The new positions.

    Raises
    ------
    ParameterError
        If a position is not finite.
    ValueError
        If ``positions`` is not 1-D or ``selection`` is unknown.

    Examples
    --------
    >>> o = make_offers([0, 10, 4], [[0, 1.0, 2.0], [-0.25, 0, -1], [-3, 0.5, 0]])
    >>> select_offers([0, 10, 4], o).tolist()
    [0.0, 7.5, 0.0]
    """
    x = _vector("positions", positions)
    _choice("selection", selection, SELECTION_RULES)
    valid = offers.valid
    candidates = valid.copy()
    if selection == "enforceability":
        enf = np.where(valid, offers.enforceability, -np.inf)
        best = enf.max(axis=0)
        scale = 1e-12 * max(1.0, float(np.nanmax(np.abs(offers.enforceability), initial=0.0)))
        candidates &= enf >= best[None, :] - scale
    move = np.where(candidates, np.abs(offers.target - x[None, :]), np.inf)
    chosen = np.argmin(move, axis=0)
    moved = valid.any(axis=0)
    return np.where(moved, offers.target[chosen, np.arange(x.size)], x)


# ---------------------------------------------------------------------------- rounds
@dataclass(frozen=True, eq=False)
class Round:
    """One round of the model.

    Attributes
    ----------
    positions : numpy array
        Positions at the start of the round.
    median : float
        The forecast ``mu`` at the start of the round.
    risk : numpy array
        Risk exponents ``r_i`` estimated this round.
    challenge_eu : numpy array, shape (n, n)
        Risk-adjusted ``E^i(U_ij)``.
    offers : Offers
    new_positions : numpy array
        Positions after the moves.
    """

    positions: np.ndarray
    median: float
    risk: np.ndarray
    challenge_eu: np.ndarray
    offers: Offers
    new_positions: np.ndarray


def play_round(
    positions: Any,
    capabilities: Any,
    saliences: Any,
    *,
    status_quo_probability: float = 1.0,
    conflict: str = "concede",
    selection: str = "enforceability",
    security: str = "adversary",
    use_risk: bool = True,
) -> Round:
    """One round (Scholz et al., Appendix steps 3-11): forecast, risk, offers, moves.

    Parameters
    ----------
    positions : array_like, shape (n,)
        Each actor's position ``x_i`` on the issue (finite).
    capabilities : array_like, shape (n,)
        Capabilities ``c_i >= 0``.
    saliences : array_like, shape (n,)
        Saliences ``s_i`` in ``[0, 1]``.
    status_quo_probability : float
        ``Q`` in ``[0, 1]``.
    conflict : {"concede", "none"}
        What a conflict does (:func:`make_offers`).
    selection : {"enforceability", "least_move"}
        Which offer an actor accepts (:func:`select_offers`).
    security : {"adversary", "own"}
        How security is summed for the risk exponents (:func:`risk_exponents`).
    use_risk : bool
        Estimate risk exponents (default) or keep everyone risk neutral.

    Returns
    -------
    Round
        The forecast, risk exponents, expected utilities, offers and new positions.

    Raises
    ------
    ParameterError
        If a position is not finite, a capability negative or a salience outside ``[0, 1]``.
    ValueError
        If the arrays are not 1-D of one common length ``n >= 2``, or every actor has zero
        capability or salience, or an option is not one of its allowed values.

    Examples
    --------
    >>> r = play_round(EC_CAR_EMISSIONS.positions, EC_CAR_EMISSIONS.capabilities,
    ...                EC_CAR_EMISSIONS.saliences)
    >>> r.median, float(r.risk.min().round(9)), float(r.risk.max().round(9))
    (7.0, 0.5, 2.0)
    """
    x, c, s = _actors(positions, capabilities, saliences)
    mu = median_position(x, c, s)
    kw = dict(status_quo_probability=status_quo_probability, median=mu)
    if use_risk:
        neutral = challenge_utilities(x, c, s, **kw)
        risk = risk_exponents(neutral, security)
    else:
        _choice("security", security, SECURITY_RULES)
        risk = np.ones(x.size)
    eu = challenge_utilities(x, c, s, risk=risk, **kw)
    offers = make_offers(x, eu, conflict)
    return Round(
        positions=x,
        median=mu,
        risk=risk,
        challenge_eu=eu,
        offers=offers,
        new_positions=select_offers(x, offers, selection),
    )


@dataclass(frozen=True, eq=False)
class Forecast:
    """The model run round by round.

    Attributes
    ----------
    positions : numpy array, shape (rounds + 1, n)
        ``positions[0]`` is the input; ``positions[t]`` the positions after round ``t``.
    medians, means : numpy arrays, shape (rounds + 1,)
        The forecast (weighted median) and the weighted mean after each round.
    risk : numpy array, shape (rounds, n)
        Risk exponents estimated in each round.
    rounds : int
        Rounds played.
    converged : bool
        Whether the positions stopped moving (within ``tol``) before the round limit.
    """

    positions: np.ndarray
    medians: np.ndarray
    means: np.ndarray
    risk: np.ndarray
    rounds: int
    converged: bool

    @property
    def prediction(self) -> float:
        """The final forecast."""
        return float(self.medians[-1])


def forecast(
    positions: Any,
    capabilities: Any,
    saliences: Any,
    *,
    rounds: int = 10,
    status_quo_probability: float = 1.0,
    conflict: str = "concede",
    selection: str = "enforceability",
    security: str = "adversary",
    use_risk: bool = True,
    tol: float = 1e-9,
) -> Forecast:
    """Iterate :func:`play_round` until positions stop moving or ``rounds`` are played.

    Parameters
    ----------
    positions, capabilities, saliences : array_like, shape (n,)
        Saliences in [0, 1].
    rounds : int >= 0
        Largest number of rounds.
    status_quo_probability : float in [0, 1]
        ``Q`` (1.0 in Scholz et al.'s EC replication).
    conflict : {"concede", "none"}
        What a conflict (both expect to gain) does: the weaker side concedes fully
        (Scholz et al., fig. 6) or nothing moves (Bueno de Mesquita 1997).
    selection : {"enforceability", "least_move"}
        Which offer an actor accepts (:func:`select_offers`).
    security : {"adversary", "own"}
        How security is summed for the risk exponents (:func:`risk_exponents`).
    use_risk : bool
        Estimate risk exponents (default) or keep everyone risk neutral.
    tol : float
        Positions moving less than ``tol`` times the initial range of positions count as
        converged.

    Returns
    -------
    Forecast

    Examples
    --------
    >>> f = EC_CAR_EMISSIONS.forecast(rounds=5)
    >>> float(f.medians[0]), f.prediction, f.converged
    (7.0, 10.0, True)
    >>> EC_CAR_EMISSIONS.forecast(rounds=3, conflict="none").medians.round(2).tolist()
    [7.0, 9.53, 9.53, 9.53]
    """
    x, c, s = _actors(positions, capabilities, saliences)
    if isinstance(rounds, bool) or not isinstance(rounds, (int, np.integer)) or rounds < 0:
        raise ValueError(f"rounds = {rounds!r} must be a whole number >= 0")
    history = [x]
    risks = []
    converged = False
    still = float(tol) * _span(x)
    for _ in range(int(rounds)):
        if _span(history[-1]) <= still:
            converged = True
            break
        step = play_round(
            history[-1],
            c,
            s,
            status_quo_probability=status_quo_probability,
            conflict=conflict,
            selection=selection,
            security=security,
            use_risk=use_risk,
        )
        history.append(step.new_positions)
        risks.append(step.risk)
        if np.max(np.abs(step.new_positions - step.positions)) <= still:
            converged = True
            break
    path = np.array(history)
    return Forecast(
        positions=path,
        medians=np.array([median_position(p, c, s) for p in path]),
        means=np.array([mean_position(p, c, s) for p in path]),
        risk=np.array(risks).reshape(len(risks), x.size),
        rounds=len(risks),
        converged=converged,
    )
