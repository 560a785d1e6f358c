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

The votes (steps 1-2) are in :mod:`simulator.model.published.expected_utility_votes`, the
utilities and risk (steps 3-5) in :mod:`simulator.model.published.expected_utility_challenge`
and the offers and moves (step 6) in :mod:`simulator.model.published.expected_utility_offers`;
this module holds the actor table, the EC example and the rounds, and re-exports the names of
its ``__all__``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from simulator.model.published.expected_utility_challenge import (
    SECURITY_RULES,
    BasicUtilities,
    basic_utilities,
    challenge_utilities,
    risk_exponents,
)
from simulator.model.published.expected_utility_offers import (
    CONFLICT_RULES,  # noqa: F401 - re-exported, as before the split
    EU_TOL,  # noqa: F401 - re-exported, as before the split
    SELECTION_RULES,  # noqa: F401 - re-exported, as before the split
    Offers,
    make_offers,
    select_offers,
)
from simulator.model.published.expected_utility_votes import (
    _actors,
    _choice,
    _span,
    mean_position,
    median_position,
    pairwise_votes,
    success_probabilities,
)

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
