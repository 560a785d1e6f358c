"""Leader survival: why a leader keeps fighting a war that is going badly.

Goemans (2000), "Fighting for survival: the fate of leaders and the duration of war",
*Journal of Conflict Resolution* 44(5), 555-579; Downs & Rocke (1994), "Conflict, agency,
and gambling for resurrection: the principal-agent problem goes to war", *American
Journal of Political Science* 38(2), 362-380; see also Chiozza & Goemans (2004) and Debs &
Goemans (2010, *APSR* 104(3)).

Setup. A leader chooses between settling now (admitting failure) and fighting on. Each
outcome ``o`` in {settle, win, lose} removes him from office with probability ``r_o`` and
brings a policy payoff ``pi_o``. His utility is::

    U_o = office_value * (1 - r_o) - punishment * r_o + pi_o

Fighting wins with probability ``p``, so he fights on iff
``p U_win + (1 - p) U_lose >= U_settle``, i.e. iff ``p >= p_min`` with::

    p_min = (U_settle - U_lose) / (U_win - U_lose)
          = ((O + K)(r_lose - r_settle) + pi_settle - pi_lose)
            / ((O + K)(r_lose - r_win) + pi_win - pi_lose)

(``O`` = office value, ``K`` = punishment). **Gambling for resurrection**: when a moderate
settlement is punished almost as harshly as a disaster (``r_settle -> r_lose``) the
numerator shrinks to the policy difference ``pi_settle - pi_lose``, and once
``U_settle <= U_lose`` the threshold is 0: the leader fights on at any positive chance of
victory, because settling cannot save him and only victory can.

Mission claim 4 (leader survival blocks a change of course: admitting failure threatens
the leader's survival, so he keeps fighting even when the war is going badly).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from simulator.model.negotiation import NegotiationModel
from simulator.model.offers import Offer
from simulator.model.parameters import check_range

__all__ = [
    "LeaderDecision",
    "fight_threshold",
    "gambles_for_resurrection",
    "leader_decision",
    "leader_decision_from_model",
    "outcome_utility",
]


# ---------------------------------------------------------------------- validation
_REMOVAL = "a probability that the outcome removes the leader from office"


def _scalar(value: np.ndarray) -> Any:
    return value.item() if np.ndim(value) == 0 else value


def _utilities(
    office_value: Any,
    punishment: Any,
    removal_settle: Any,
    removal_win: Any,
    removal_lose: Any,
    policy_settle: Any,
    policy_win: Any,
    policy_lose: Any,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    o = check_range("office_value", office_value, 0.0)
    k = check_range("punishment", punishment, 0.0)
    utility = {}
    for name, r, pi in (
        ("settle", removal_settle, policy_settle),
        ("win", removal_win, policy_win),
        ("lose", removal_lose, policy_lose),
    ):
        removal = check_range(f"removal_{name}", r, 0.0, 1.0, what=_REMOVAL)
        policy = check_range(f"policy_{name}", pi)
        utility[name] = o * (1.0 - removal) - k * removal + policy
    u_settle, u_win, u_lose = np.broadcast_arrays(
        utility["settle"], utility["win"], utility["lose"]
    )
    if np.any(u_win < u_lose):
        raise ValueError(
            "winning must be at least as good for the leader as losing (U_win >= U_lose); "
            "check removal_win <= removal_lose and policy_win >= policy_lose"
        )
    return u_settle, u_win, u_lose


# ---------------------------------------------------------------------- closed forms
def outcome_utility(office_value: Any, punishment: Any, removal: Any, policy: Any = 0.0) -> Any:
    """The leader's utility from an outcome, ``O (1 - r) - K r + pi``; broadcasts.

    Parameters
    ----------
    office_value : float or array_like
        ``O >= 0``, the value of staying in office.
    punishment : float or array_like
        ``K >= 0``, the cost of removal, beyond losing office.
    removal : float or array_like
        ``r`` in ``[0, 1]``, the probability of removal after the outcome.
    policy : float or array_like
        ``pi``, the outcome's policy payoff (any finite number).

    Returns
    -------
    float or numpy.ndarray
        ``O (1 - r) - K r + pi``.

    Raises
    ------
    ParameterError
        If an argument is outside its range above.

    Examples
    --------
    >>> outcome_utility(1.0, 2.0, [0.3, 0.05, 0.6]).round(4).tolist()  # settle, win, lose
    [0.1, 0.85, -0.8]
    """
    o = check_range("office_value", office_value, 0.0)
    k = check_range("punishment", punishment, 0.0)
    r = check_range("removal", removal, 0.0, 1.0, what=_REMOVAL)
    return _scalar(o * (1.0 - r) - k * r + check_range("policy", policy))


def fight_threshold(
    office_value: Any,
    punishment: Any,
    removal_settle: Any,
    removal_win: Any,
    removal_lose: Any,
    policy_settle: Any = 0.0,
    policy_win: Any = 0.0,
    policy_lose: Any = 0.0,
) -> Any:
    """The smallest chance of victory at which the leader fights on; broadcasts.

    Returns ``p_min = (U_settle - U_lose) / (U_win - U_lose)`` within ``[0, 1]``; 0 when he
    fights at any chance of victory (:func:`gambles_for_resurrection`); ``inf`` when
    settling beats even certain victory. At ``p = p_min`` he is indifferent and fights.

    Parameters
    ----------
    office_value : float or array_like
        ``O >= 0``, the value of staying in office.
    punishment : float or array_like
        ``K >= 0``, the punishment that removal brings, beyond losing office.
    removal_settle, removal_win, removal_lose : float or array_like
        Probabilities in ``[0, 1]`` that the leader is removed after a settlement, a
        victory and a defeat.
    policy_settle, policy_win, policy_lose : float or array_like
        Policy payoffs ``pi`` of the three outcomes (any finite number).

    Returns
    -------
    float or numpy.ndarray
        ``p_min`` in ``[0, 1]``, or ``inf``.

    Raises
    ------
    ParameterError
        If an argument is outside its range above.
    ValueError
        If winning is worse for the leader than losing (``U_win < U_lose``).

    Examples
    --------
    The default leader of :class:`~simulator.model.actors.Leader` (survival terms only):

    >>> fight_threshold(1.0, 2.0, 0.3, 0.05, 0.6)  # (0.1 + 0.8) / (0.85 + 0.8)
    0.545454...

    Punished after a settlement as after a defeat, he gambles:

    >>> fight_threshold(1.0, 2.0, [0.5, 0.59, 0.6], 0.05, 0.6).round(4).tolist()
    [0.1818, 0.0182, 0.0]
    """
    u_settle, u_win, u_lose = _utilities(
        office_value,
        punishment,
        removal_settle,
        removal_win,
        removal_lose,
        policy_settle,
        policy_win,
        policy_lose,
    )
    spread = u_win - u_lose
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (u_settle - u_lose) / spread
    threshold = np.where(
        u_settle <= u_lose,
        0.0,
        np.where(u_settle > u_win, np.inf, np.where(spread > 0, ratio, 0.0)),
    )
    return _scalar(threshold)


def gambles_for_resurrection(
    office_value: Any,
    punishment: Any,
    removal_settle: Any,
    removal_win: Any,
    removal_lose: Any,
    policy_settle: Any = 0.0,
    policy_win: Any = 0.0,
    policy_lose: Any = 0.0,
) -> Any:
    """Whether the leader fights on at any chance of victory: ``U_settle <= U_lose``.

    Parameters
    ----------
    office_value : float or array_like
        ``O >= 0``, the value of staying in office.
    punishment : float or array_like
        ``K >= 0``, the punishment that removal brings, beyond losing office.
    removal_settle, removal_win, removal_lose : float or array_like
        Probabilities in ``[0, 1]`` that the leader is removed after a settlement, a
        victory and a defeat.
    policy_settle, policy_win, policy_lose : float or array_like
        Policy payoffs ``pi`` of the three outcomes (any finite number).

    Returns
    -------
    bool or numpy.ndarray of bool
        ``U_settle <= U_lose``.

    Raises
    ------
    ParameterError
        If an argument is outside its range above.
    ValueError
        If winning is worse for the leader than losing (``U_win < U_lose``).

    Examples
    --------
    >>> gambles_for_resurrection(1.0, 2.0, [0.3, 0.6], 0.05, 0.6).tolist()
    [False, True]
    """
    u_settle, _u_win, u_lose = _utilities(
        office_value,
        punishment,
        removal_settle,
        removal_win,
        removal_lose,
        policy_settle,
        policy_win,
        policy_lose,
    )
    return _scalar(u_settle <= u_lose)


@dataclass(frozen=True)
class LeaderDecision:
    """The leader's choice at a given chance of victory.

    Attributes
    ----------
    win_probability : float
        The chance of victory the leader believes in.
    fight_threshold : float
        :func:`fight_threshold`.
    fights : bool
        Whether he fights on (``win_probability >= fight_threshold``).
    utility_fight, utility_settle : float
        Expected utility of fighting on and of settling.
    gambling_for_resurrection : bool
        Whether he would fight on at any positive chance of victory.
    """

    win_probability: float
    fight_threshold: float
    fights: bool
    utility_fight: float
    utility_settle: float
    gambling_for_resurrection: bool


def leader_decision(
    win_probability: float,
    office_value: float,
    punishment: float,
    removal_settle: float,
    removal_win: float,
    removal_lose: float,
    policy_settle: float = 0.0,
    policy_win: float = 0.0,
    policy_lose: float = 0.0,
) -> LeaderDecision:
    """Settle or fight on, at chance of victory ``win_probability``.

    Parameters
    ----------
    win_probability : float
        The chance of victory the leader believes in, in ``[0, 1]``.
    office_value : float
        ``O >= 0``, the value of staying in office.
    punishment : float
        ``K >= 0``, the punishment that removal brings, beyond losing office.
    removal_settle, removal_win, removal_lose : float
        Probabilities in ``[0, 1]`` that the leader is removed after a settlement, a
        victory and a defeat.
    policy_settle, policy_win, policy_lose : float
        Policy payoffs ``pi`` of the three outcomes (any finite number).

    Returns
    -------
    LeaderDecision
        The threshold, the choice and both expected utilities.

    Raises
    ------
    ParameterError
        If an argument is outside its range above.
    ValueError
        If winning is worse for the leader than losing (``U_win < U_lose``).

    Examples
    --------
    >>> d = leader_decision(0.5, 1.0, 2.0, 0.3, 0.05, 0.6)
    >>> d.fights, round(d.utility_fight, 4), round(d.utility_settle, 4)
    (False, 0.025, 0.1)
    """
    p = float(check_range("win_probability", win_probability, 0.0, 1.0))
    u_settle, u_win, u_lose = (
        float(u)
        for u in _utilities(
            office_value,
            punishment,
            removal_settle,
            removal_win,
            removal_lose,
            policy_settle,
            policy_win,
            policy_lose,
        )
    )
    threshold = float(
        fight_threshold(
            office_value,
            punishment,
            removal_settle,
            removal_win,
            removal_lose,
            policy_settle,
            policy_win,
            policy_lose,
        )
    )
    return LeaderDecision(
        win_probability=p,
        fight_threshold=threshold,
        fights=p >= threshold,
        utility_fight=p * u_win + (1.0 - p) * u_lose,
        utility_settle=u_settle,
        gambling_for_resurrection=u_settle <= u_lose,
    )


# ---------------------------------------------------------------------- domain adapter
def leader_decision_from_model(
    model: NegotiationModel, offer: Offer | None = None
) -> LeaderDecision:
    """The Russian leader's choice between accepting ``offer`` and fighting on.

    Reads ``russia.leader`` (office value, punishment, the three removal probabilities)
    and the chance of victory ``p = model.win_probability() + russia.optimism`` (clipped to
    ``[0, 1]``: the leader decides on what he believes). Without an offer only the survival
    terms count (Goemans's calculus). With an offer, policy payoffs in Russia's units
    (``docs/models/bargaining.md``): settling gives ``1 - offer.alignment`` plus the status
    premium ``russia.great_power_status`` if ``offer.alignment <= russia.dominance_threshold``;
    winning gives ``1 + great_power_status - war_cost``; losing gives ``-war_cost``.

    Parameters
    ----------
    model : NegotiationModel
        The model whose Russian leader, win probability, optimism and (with an offer)
        status premium, dominance threshold and cost of war are read.
    offer : Offer, optional
        The settlement on the table (its ``alignment``); ``None`` for the survival terms
        only.

    Returns
    -------
    LeaderDecision
        :func:`leader_decision` of those numbers.

    Raises
    ------
    ValueError
        If winning is worse for the leader than losing under the model's numbers.

    Examples
    --------
    >>> d = leader_decision_from_model(NegotiationModel())
    >>> d.fights, round(d.fight_threshold, 4)
    (False, 0.5455)
    >>> gamble = NegotiationModel().with_params(russia__leader__removal_if_settle=0.6)
    >>> leader_decision_from_model(gamble).gambling_for_resurrection
    True
    """
    russia = model.russia
    leader = russia.leader
    p = min(max(model.win_probability() + russia.optimism, 0.0), 1.0)
    if offer is None:
        policy = (0.0, 0.0, 0.0)
    else:
        status = russia.great_power_status
        keeps_sphere = offer.alignment <= russia.dominance_threshold + 1e-9
        policy = (
            1.0 - offer.alignment + (status if keeps_sphere else 0.0),
            1.0 + status - russia.war_cost,
            -russia.war_cost,
        )
    return leader_decision(
        p,
        leader.office_value,
        leader.punishment,
        leader.removal_if_settle,
        leader.removal_if_win,
        leader.removal_if_lose,
        *policy,
    )
