"""The offer game's payoffs and its receivers' continuation play, over many parameter points.

Everything here is built from :mod:`simulator.model.rules`; :mod:`simulator.model.offer_game`
describes the game and searches its perfect Bayesian equilibria. Arrays have the parameter
points on their leading axis ``N``, then (where they apply) Russia's type ``T = 4``
(:data:`TYPES`), the message ``M``, the Western governments' action profile ``P = 2^n`` (bit
``i`` set: government ``i`` holds) and the belief ``B = 15`` (:data:`BELIEF_SETS`: the prior
restricted to a non-empty set of types).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from simulator.model import rules
from simulator.model.offers import Offer

__all__ = [
    "BELIEF_SETS",
    "OUTCOMES",
    "STRENGTHS",
    "SINCERITY",
    "TYPES",
    "Continuation",
    "Tables",
    "continuation",
    "kept_deal",
    "russia_war_payoff",
    "message_labels",
    "tables",
]

SINCERITY = ("sincere", "staller")
STRENGTHS = ("strong", "weak")
#: Russia's types: sincerity x strength, in this order.
TYPES = tuple(f"{s} {k}" for s, k in itertools.product(SINCERITY, STRENGTHS))
IS_STALLER = np.array([False, False, True, True])
IS_WEAK = np.array([False, True, False, True])
#: Outcome codes: a deal signed and kept, signed then broken after the pause, war now.
OUTCOMES = ("settled", "broken", "war")
SETTLED, BROKEN, WAR = 0, 1, 2
#: Beliefs searched: the prior restricted to each non-empty set of types (bit k: type k).
BELIEF_SETS = tuple(range(1, 16))
_IN_SET = np.array([[(b >> k) & 1 for k in range(4)] for b in BELIEF_SETS], dtype=bool)


def message_labels(offers: Sequence[Offer], verified: Sequence[bool]) -> tuple[str, ...]:
    """``fight``, then per offer ``talk`` / ``withdraw`` (``talk: name`` with a menu).

    Parameters
    ----------
    offers : sequence of Offer
        The menu, in order (one offer when the offer is fixed).
    verified : sequence of bool
        For each offer, whether it comes with a verified withdrawal (a ``withdraw`` message).

    Returns
    -------
    tuple of str
        Russia's messages: ``fight`` first, then each offer's ``talk`` and, if verified,
        ``withdraw``; with more than one offer each is followed by ``": <offer name>"``.

    Examples
    --------
    >>> message_labels([Offer()], [True])
    ('fight', 'talk', 'withdraw')
    >>> message_labels([Offer(name="a"), Offer(name="b")], [True, False])
    ('fight', 'talk: a', 'withdraw: a', 'talk: b')
    """
    labels = ["fight"]
    menu = len(offers) > 1
    for offer, has_withdrawal in zip(offers, verified):
        for verb in ("talk", "withdraw") if has_withdrawal else ("talk",):
            labels.append(f"{verb}: {offer.name}" if menu else verb)
    return tuple(labels)


@dataclass(frozen=True, eq=False)
class Tables:
    """Payoffs of every player at every terminal history, over ``N`` points.

    Attributes
    ----------
    prior : (N, T)
    available : (N, M) which messages exist at each point
    offer_of : (M,) offer index of each message (-1 for fight); verified : (M,)
    hold : (P, n) which governments hold in each profile
    pressure, arms : (N, P) sanctions pressure and arms share of each profile
    russia_war, ukraine_war : (N, T, P) war now
    russia_accept, ukraine_accept : (N, T, M, P) a deal signed (kept or broken as the type
        chooses), Russia's including the message's cost and inducements paid
    breaks : (N, T, M, P) whether the type breaks a signed deal
    russia_sunk : (N, T, M, P) message cost plus inducements paid (in every outcome)
    russia_keep, russia_renewed : (N, T, M, P) and (N, T, M) a signed deal kept, and the war
        renewed after the pause (the break decision compares them)
    russia_broken : (N, T, M, P) a signed deal kept for the pause, then broken
    can_break : (N, T, M) whether the type has a break decision at all (a staller whose pause
        gave it an edge; never a sincere Russia, never after a verified withdrawal)
    government : (N, n, T, M, P, 3) each government's payoff by outcome (settled, broken, war)
    ukraine_by_outcome : (N, T, M, P, 3)
    p : (N, T) win probability at full Western support
    p_after_pause : (N, T, M) win probability in a war renewed after the pause that follows
        each message's deal
    tol : (N,) the certificate tolerance: ``rules.TOL * max(1, payoff span)``
    """

    names: tuple[str, ...]
    messages: tuple[str, ...]
    prior: np.ndarray
    available: np.ndarray
    offer_of: np.ndarray
    verified: np.ndarray
    hold: np.ndarray
    weights: np.ndarray
    pressure: np.ndarray
    arms: np.ndarray
    russia_war: np.ndarray
    ukraine_war: np.ndarray
    russia_accept: np.ndarray
    ukraine_accept: np.ndarray
    breaks: np.ndarray
    russia_sunk: np.ndarray
    russia_keep: np.ndarray
    russia_renewed: np.ndarray
    russia_broken: np.ndarray
    can_break: np.ndarray
    government: np.ndarray
    ukraine_by_outcome: np.ndarray
    p: np.ndarray
    p_after_pause: np.ndarray
    tol: np.ndarray

    @property
    def size(self) -> int:
        return self.prior.shape[0]

    @property
    def num_messages(self) -> int:
        return len(self.messages)

    def fights(self, m: int) -> bool:
        """Whether message ``m`` is fighting: no offer behind it (in the buy-time game, a
        battle, Ukraine fighting on), whatever its place among the messages."""
        return bool(self.offer_of[m] < 0)


def _pressures(
    v: Mapping[str, np.ndarray], names: tuple[str, ...], aggregation: str, hold: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sanctions pressure (N, P) by ``aggregation``, arms share (N, P) and weights (N, n)."""
    weights = np.stack([v[f"west.governments.{g}.weight"] for g in names], axis=1)
    size = weights.shape[0]
    threshold = v["west.cohesion_threshold"]
    keys = np.concatenate([weights, threshold[:, None]], axis=1)
    unique, inverse = np.unique(keys, axis=0, return_inverse=True)
    inverse = np.asarray(inverse).reshape(-1)
    pressure = np.empty((size, hold.shape[0]))
    for k, row in enumerate(unique):
        pressure[inverse == k] = rules.coalition_pressure(
            hold.astype(float), row[:-1], aggregation, float(row[-1])
        )
    arms = (hold[None, :, :] * weights[:, None, :]).sum(axis=2) / weights.sum(axis=1)[:, None]
    return pressure, arms, weights


def tables(
    v: Mapping[str, np.ndarray],
    names: tuple[str, ...],
    aggregation: str,
    offers: Sequence[Offer],
    offer_values: Sequence[Mapping[str, np.ndarray]],
) -> Tables:
    """Build every payoff of the offer game at ``N`` points.

    ``v`` maps the model's dotted parameter names to arrays of shape ``(N,)``;
    ``offer_values[j]`` maps the fields of offer ``j`` (and ``inducement.<government>``) to
    arrays of the same shape. Nothing is validated here: :func:`~simulator.model.offer_points.
    points` checks the numbers and builds both mappings.

    Parameters
    ----------
    v : mapping of str to numpy.ndarray
        Every model parameter the game reads, by dotted name (``"russia.prior_sincere"``,
        ``"west.governments.<name>.weight"``, ...), each of shape ``(N,)``.
    names : tuple of str
        The Western governments, in the model's order (``n`` of them).
    aggregation : {"sum", "weakest_link", "threshold"}
        How the governments' stances become sanctions pressure (``west.aggregation``).
    offers : sequence of Offer
        The menu (its names label the messages; its numbers come from ``offer_values``).
    offer_values : sequence of mapping of str to numpy.ndarray
        For each offer, its fields and ``inducement.<government>``, each of shape ``(N,)``.

    Returns
    -------
    Tables
        Every player's payoff at every terminal history, the messages available and the
        certificate tolerance, at each of the ``N`` points.

    Raises
    ------
    KeyError
        If a parameter the game reads is missing from ``v`` or ``offer_values``.

    Examples
    --------
    >>> from simulator.model import NegotiationModel
    >>> from simulator.model.offer_points import points
    >>> v, offer_values, _ = points(NegotiationModel(), (Offer(),), None)
    >>> t = tables(v, ("West",), "sum", (Offer(),), offer_values)
    >>> t.messages, t.russia_war.shape
    (('fight', 'talk'), (1, 4, 2))
    >>> t.p.round(3).tolist()  # each type's win probability with every government holding
    [[0.4, 0.318, 0.4, 0.318]]
    """
    size = v["russia.prior_sincere"].shape[0]
    n = len(names)
    hold = np.array(list(itertools.product((False, True), repeat=n)), dtype=bool)[:, ::-1]
    hold = np.ascontiguousarray(hold)  # profile k: government i holds iff bit i of k is set
    pressure, arms, weights = _pressures(v, names, aggregation, hold)

    # ------------------------------------------------------------- types and war now
    mu_s, mu_k = v["russia.prior_sincere"], v["russia.prior_strong"]
    prior = np.stack(
        [mu_s * mu_k, mu_s * (1 - mu_k), (1 - mu_s) * mu_k, (1 - mu_s) * (1 - mu_k)], 1
    )
    strong_k = v["russia.capability"]
    k_r = np.stack([strong_k, strong_k * v["russia.weak_capability_share"]] * 2, axis=1)  # (N, T)
    g = v["contest_exponent"][:, None]
    k_u = rules.supported_capability(
        v["ukraine.capability"][:, None], v["west.arms_support"][:, None], arms
    )  # (N, P)
    p_war = rules.contest(k_r[:, :, None], k_u[:, None, :], g[:, :, None])  # (N, T, P)
    optimism = v["russia.optimism"]

    def col(name: str) -> np.ndarray:
        return v[name][:, None, None]

    def russia_war_value(p: np.ndarray, sanctions: np.ndarray) -> np.ndarray:
        perceived = np.clip(p + optimism.reshape((-1,) + (1,) * (p.ndim - 1)), 0.0, 1.0)
        extra = (slice(None),) + (None,) * (p.ndim - 1)
        return russia_war_payoff(lambda name: v[name][extra], perceived, sanctions)

    sanction_now = rules.sanctions_loss(
        col("russia.sanctions_cost"), col("west.western_cohesion"), pressure[:, None, :]
    )  # (N, 1, P)
    russia_war = russia_war_value(p_war, sanction_now)  # (N, T, P)
    resolve, c_u = col("ukraine.resolve"), col("ukraine.war_cost")
    ukraine_war = rules.ukraine_war_value(p_war, resolve, c_u)  # (N, T, P)

    # ------------------------------------------------------------- the pause and its shift
    k_u_full = rules.supported_capability(v["ukraine.capability"], v["west.arms_support"], 1.0)
    ceiling = v["russia.capability_ceiling"][:, None]
    p_full = rules.contest(k_r, k_u_full[:, None], g)  # (N, T)
    p_sincere_pause = rules.contest(
        rules.regroup(k_r, ceiling, v["russia.regroup_rate_sincere"][:, None]), k_u_full[:, None], g
    )
    p_staller_pause = rules.contest(
        rules.regroup(k_r, ceiling, v["russia.regroup_rate_staller"][:, None]), k_u_full[:, None], g
    )
    # The staller's edge over what a sincere Russia (and Ukraine, resting too) regains.
    advantage = np.where(
        IS_STALLER[None, :], np.maximum(p_staller_pause - p_sincere_pause, 0.0), 0.0
    )

    # ------------------------------------------------------------- messages
    verified_offer = [bool(np.any(ov["withdrawal_cost"] > 0)) for ov in offer_values]
    messages = message_labels(offers, verified_offer)
    offer_of, verified = [-1], [False]
    for j, has in enumerate(verified_offer):
        offer_of += [j] + ([j] if has else [])
        verified += [False] + ([True] if has else [])
    offer_of_a, verified_a = np.array(offer_of), np.array(verified)
    m_count = len(messages)
    available = np.ones((size, m_count), dtype=bool)
    for m in range(1, m_count):
        if verified_a[m]:
            available[:, m] = offer_values[offer_of_a[m]]["withdrawal_cost"] > 0

    n_prof = hold.shape[0]
    # what Russia pays each government if it eases, after each message (none after "fight")
    inducements = np.zeros((size, n, m_count))
    for m in range(1, m_count):
        ov = offer_values[offer_of_a[m]]
        for i, name in enumerate(names):
            inducements[:, i, m] = ov.get(f"inducement.{name}", np.zeros(size))
    russia_accept = np.zeros((size, 4, m_count, n_prof))
    ukraine_accept = np.zeros_like(russia_accept)
    breaks = np.zeros_like(russia_accept, dtype=bool)
    russia_sunk = np.zeros_like(russia_accept)
    russia_keep = np.zeros_like(russia_accept)
    russia_broken = np.zeros_like(russia_accept)
    russia_renewed = np.zeros((size, 4, m_count))
    can_break_all = np.zeros((size, 4, m_count), dtype=bool)
    ukraine_by_outcome = np.zeros((size, 4, m_count, n_prof, 3))
    ukraine_by_outcome[..., WAR] = ukraine_war[:, :, None, :]
    p_after = np.zeros((size, 4, m_count))
    d_r, d_u = col("russia.discount_factor"), col("ukraine.discount_factor")
    full_sanctions = rules.sanctions_loss(
        v["russia.sanctions_cost"], v["west.western_cohesion"], 1.0
    )[:, None]
    for m in range(1, m_count):
        ov = offer_values[offer_of_a[m]]
        keep_r, keep_u = kept_deal(
            col, lambda f, ov=ov: ov[f][:, None, None], pressure[:, None, :]
        )  # (N, 1, P) and (N, 1, 1)
        guarantee = rules.guarantee_strength(
            ov["security_guarantees"], v["west.security_guarantee_credibility"]
        )[:, None]
        # A verified withdrawal undoes the staller's regrouping: no shift after it.
        edge = np.zeros_like(advantage) if verified_a[m] else advantage
        p1 = rules.shifted_win_probability(p_full, p_full + edge, guarantee)  # (N, T)
        p_after[:, :, m] = p1
        renewed_r = russia_war_value(p1, full_sanctions)[:, :, None]  # (N, T, 1)
        renewed_u = rules.ukraine_war_value(
            p1, v["ukraine.resolve"][:, None], (1.0 - guarantee) * v["ukraine.war_cost"][:, None]
        )[:, :, None]
        can_break = (edge > rules.TOL)[:, :, None]
        does_break = can_break & (renewed_r > keep_r + rules.TOL)  # (N, T, P)
        broken_r = rules.pause_value(keep_r, renewed_r, d_r)
        broken_u = rules.pause_value(keep_u, renewed_u, d_u)
        paid = ((~hold)[None, :, :] * inducements[:, :, m][:, None, :]).sum(axis=2)  # (N, P)
        cost = np.where(verified_a[m], ov["withdrawal_cost"], 0.0)[:, None, None]
        sunk = cost + paid[:, None, :]
        russia_sunk[:, :, m] = np.broadcast_to(sunk, (size, 4, n_prof))
        russia_accept[:, :, m] = np.where(does_break, broken_r, keep_r) - sunk
        ukraine_accept[:, :, m] = np.where(does_break, broken_u, keep_u)
        breaks[:, :, m] = does_break
        russia_keep[:, :, m] = np.broadcast_to(keep_r, (size, 4, n_prof))
        russia_renewed[:, :, m] = renewed_r[:, :, 0]
        russia_broken[:, :, m] = broken_r
        can_break_all[:, :, m] = can_break[:, :, 0]
        ukraine_by_outcome[:, :, m, :, SETTLED] = np.broadcast_to(keep_u, (size, 4, n_prof))
        ukraine_by_outcome[:, :, m, :, BROKEN] = np.broadcast_to(broken_u, (size, 4, n_prof))

    # ------------------------------------------------------------- governments
    def gov(field: str) -> np.ndarray:
        return np.stack([v[f"west.governments.{g}.{field}"] for g in names], axis=1)

    stake, audience = gov("value_of_success"), gov("audience_cost")
    burden = rules.fatigued_burden(
        gov("sanctions_burden"), gov("fatigue_rate"), v["west.periods_of_war"][:, None]
    )
    hold_f = hold.T.astype(float)  # (n, P)
    government = np.empty((size, n, 4, m_count, n_prof, 3))
    for o, war_share in ((SETTLED, 0.0), (BROKEN, v["ukraine.discount_factor"]), (WAR, 1.0)):
        share = np.broadcast_to(np.asarray(war_share, dtype=float), (size,))
        gain_easing = (
            inducements[:, :, None, :, None]
            - audience[:, :, None, None, None] * share[:, None, None, None, None]
        )
        government[..., o] = (
            stake[:, :, None, None, None] * ukraine_by_outcome[:, None, :, :, :, o]
            - burden[:, :, None, None, None] * hold_f[None, :, None, None, :]
            + (1.0 - hold_f)[None, :, None, None, :] * gain_easing
        )

    pay = np.concatenate(
        [
            russia_war.reshape(size, -1),
            russia_accept.reshape(size, -1),
            ukraine_by_outcome.reshape(size, -1),
            government.reshape(size, -1),
        ],
        axis=1,
    )
    tol = rules.TOL * np.maximum(1.0, np.nanmax(pay, axis=1) - np.nanmin(pay, axis=1))
    return Tables(
        names=names,
        messages=messages,
        prior=prior,
        available=available,
        offer_of=offer_of_a,
        verified=verified_a,
        hold=hold,
        weights=weights,
        pressure=pressure,
        arms=arms,
        russia_war=russia_war,
        ukraine_war=ukraine_war,
        russia_accept=russia_accept,
        ukraine_accept=ukraine_accept,
        breaks=breaks,
        russia_sunk=russia_sunk,
        russia_keep=russia_keep,
        russia_renewed=russia_renewed,
        russia_broken=russia_broken,
        can_break=can_break_all,
        government=government,
        ukraine_by_outcome=ukraine_by_outcome,
        p=p_full,
        p_after_pause=p_after,
        tol=tol,
    )


def russia_war_payoff(
    param: Callable[[str], Any], perceived: Any, sanctions: Any, fighting: bool = True
) -> Any:
    """Russia's value of a war it wins with probability ``perceived`` (as it sees it).

    :func:`rules.russia_war_value` with the status kept after a lost war, the war's cost and
    the leader's removal risk (:func:`rules.war_removal`); ``param(name)`` gives a model
    parameter by dotted name. With ``fighting=False`` (a ceasefire period of the buy-time
    game) neither the war's cost nor the risk of removal while fighting accrues. The offer
    game and the buy-time game both value a war with it.

    Parameters
    ----------
    param : callable
        ``param(name)`` returns the model parameter of that dotted name (a number, or an array
        that broadcasts with ``perceived``).
    perceived : float or array_like
        Russia's win probability as it sees it (optimism included), in ``[0, 1]``.
    sanctions : float or array_like
        Russia's loss from sanctions during the war, in shares of the stake.
    fighting : bool, optional
        Whether the period is one of fighting (default) rather than a ceasefire.

    Returns
    -------
    float or numpy.ndarray
        Russia's value of the war, in shares of the stake; an array when the arguments are.

    Examples
    --------
    >>> from simulator.model import NegotiationModel
    >>> params = NegotiationModel().params
    >>> round(russia_war_payoff(params.__getitem__, 0.5, 0.0), 3)
    -0.325
    >>> round(russia_war_payoff(params.__getitem__, 0.5, 0.0, fighting=False), 3)
    -0.225
    """
    removal = rules.war_removal(
        perceived,
        param("russia.leader.removal_if_win"),
        param("russia.leader.removal_if_lose"),
        param("russia.leader.removal_while_fighting") if fighting else 0.0,
    )
    return rules.russia_war_value(
        perceived,
        param("russia.great_power_status"),
        rules.status_retained(
            1.0, param("russia.dominance_threshold"), param("russia.status_loss_span")
        ),
        param("russia.war_cost") if fighting else 0.0,
        sanctions,
        rules.leader_removal_cost(
            removal, param("russia.leader.office_value"), param("russia.leader.punishment")
        ),
    )


def kept_deal(
    param: Callable[[str], Any], term: Callable[[str], Any], pressure: Any
) -> tuple[Any, Any]:
    """Russia's and Ukraine's values of a deal kept for good, at sanctions ``pressure``.

    ``param(name)`` gives a model parameter by dotted name, ``term(field)`` a term of the
    offer (numbers or arrays that broadcast): Ukraine's share of the two-part issue, the status
    Russia keeps, its audience cost, the sanctions the deal leaves in place and the leader's
    removal risk after settling (:func:`rules.russia_deal_value`), and Ukraine's value with the
    audience cost of ceded territory (:func:`rules.ukraine_deal_value`). The offer game and the
    buy-time game both value a deal with it.

    Parameters
    ----------
    param : callable
        ``param(name)`` returns the model parameter of that dotted name.
    term : callable
        ``term(field)`` returns the offer's field (``"alignment"``, ``"territory"``,
        ``"sanctions_relief"``).
    pressure : float or array_like
        Sanctions pressure while the deal holds, in ``[0, 1]`` (1: the whole coalition holds).

    Returns
    -------
    russia : float or numpy.ndarray
        Russia's value of the deal kept for good, in shares of the stake.
    ukraine : float or numpy.ndarray
        Ukraine's value of it, in shares of the stake.

    Examples
    --------
    >>> from simulator.model import NegotiationModel
    >>> params, offer = NegotiationModel().params, Offer()
    >>> russia, ukraine = kept_deal(params.__getitem__, lambda f: getattr(offer, f), 1.0)
    >>> round(russia, 3), round(ukraine, 3)
    (-1.0, 0.8)
    """
    x, tau = term("alignment"), term("territory")
    share_u = rules.ukraine_share(x, tau, param("territory_weight"))
    retained = rules.status_retained(
        x, param("russia.dominance_threshold"), param("russia.status_loss_span")
    )
    settle_cost = rules.leader_removal_cost(
        rules.settlement_removal(retained, param("russia.leader.removal_if_settle")),
        param("russia.leader.office_value"),
        param("russia.leader.punishment"),
    )
    sanctions = rules.sanctions_loss(
        param("russia.sanctions_cost"),
        param("west.western_cohesion"),
        pressure,
        term("sanctions_relief"),
    )
    keep_r = rules.russia_deal_value(
        share_u,
        param("russia.great_power_status"),
        retained,
        param("russia.audience_cost"),
        sanctions,
        settle_cost,
    )
    keep_u = rules.ukraine_deal_value(share_u, tau, param("ukraine.audience_cost"))
    return keep_r, keep_u


# ====================================================================== continuation play
@dataclass(frozen=True, eq=False)
class Continuation:
    """The receivers' play after each message under each searched belief.

    Attributes
    ----------
    belief : (N, B, T) the posterior of each belief set
    accept : (N, M, B, P) Ukraine accepts (always False after ``fight``)
    profile : (N, M, B) the selected equilibrium profile of the governments (-1: none pure)
    equilibria : (N, M, B) how many pure equilibria the governments' game has
    russia : (N, M, B, T) each type's payoff from the message (nan where no profile)
    outcome : (N, M, B, T) outcome code of each type
    government_payoff : (N, M, B, n) the governments' expected payoffs at the selected profile
    ukraine_payoff : (N, M, B) Ukraine's expected payoff
    """

    belief: np.ndarray
    accept: np.ndarray
    profile: np.ndarray
    equilibria: np.ndarray
    russia: np.ndarray
    outcome: np.ndarray
    government_payoff: np.ndarray
    ukraine_payoff: np.ndarray


def ukraine_accepts(t: Tables, belief: np.ndarray) -> np.ndarray:
    """Ukraine's choice (N, M, ..., P) given beliefs (N, ..., T): accept iff it is no worse.

    ``belief`` has shape ``(N, K, T)`` (K beliefs); the result ``(N, M, K, P)``. Ties (gain within
    the tolerance) go to accepting.
    """
    gain = t.ukraine_accept - t.ukraine_war[:, :, None, :]  # (N, T, M, P)
    expected = np.einsum("nkt,ntmp->nmkp", belief, gain)
    out = expected >= -t.tol[:, None, None, None]
    out[:, 0] = False  # after "fight" there is nothing to accept
    return out


def continuation(t: Tables, belief: np.ndarray | None = None) -> Continuation:
    """Receivers' play after every message under each belief (default: :data:`BELIEF_SETS`).

    The governments move simultaneously, each maximising its expected payoff given the belief,
    the others' actions and Ukraine's reply; among their pure equilibria the one with the
    highest total government payoff is selected (then the one where more weight holds).

    Parameters
    ----------
    t : Tables
        The game's payoffs at ``N`` points (:func:`tables`).
    belief : numpy.ndarray, optional
        Beliefs over Russia's four types, shape ``(N, K, 4)``, each summing to 1. Default: the
        prior restricted to each of the ``K = 15`` sets of :data:`BELIEF_SETS`.

    Returns
    -------
    Continuation
        The governments' selected profile, Ukraine's reply and every player's payoff after
        each message under each belief.

    Examples
    --------
    >>> from simulator.model import NegotiationModel
    >>> from simulator.model.offer_points import points
    >>> v, offer_values, _ = points(NegotiationModel(), (Offer(),), None)
    >>> c = continuation(tables(v, ("West",), "sum", (Offer(),), offer_values))
    >>> c.belief[0, -1].tolist()  # the last belief set: every type, at the prior
    [0.25, 0.25, 0.25, 0.25]
    >>> [OUTCOMES[o] for o in c.outcome[0, 1, -1]]  # after talk: the stallers break the deal
    ['settled', 'settled', 'broken', 'broken']
    """
    n = len(t.names)
    if belief is None:
        belief = t.prior[:, None, :] * _IN_SET[None, :, :]
        belief = belief / belief.sum(axis=2, keepdims=True)
    accept = ukraine_accepts(t, belief)  # (N, M, K, P)
    # Each government's payoff by type if Ukraine signs (the deal kept or broken as the type
    # chooses) or not (war), then its expectation under each belief: (N, M, K, P, n).
    signed = np.where(
        t.breaks[:, None], t.government[..., BROKEN], t.government[..., SETTLED]
    )  # (N, n, T, M, P)
    payoff = np.where(
        accept[..., None], _expect(belief, signed), _expect(belief, t.government[..., WAR])
    )
    # pure equilibria of the governments' game: nobody gains by flipping its own action
    tol = t.tol[:, None, None, None]
    # Profile k has government i holding iff bit i of k is set: with the profile axis split
    # into one axis of two per government (the highest bit first), flipping i's action is a
    # reversed view of its axis, so no payoff is copied.
    split = payoff.shape[:3] + (2,) * n
    stable = np.ones(split, dtype=bool)
    tol_split = t.tol.reshape((-1,) + (1,) * (len(split) - 1))
    for i in range(n):
        own = np.ascontiguousarray(payoff[..., i]).reshape(split)
        stable &= own >= np.flip(own, axis=3 + n - 1 - i) - tol_split
    stable = stable.reshape(accept.shape)
    held_weight = (t.hold[None, :, :] * t.weights[:, None, :]).sum(axis=2)  # (N, P)
    total = payoff.sum(axis=-1)
    score = np.where(stable, total, -np.inf)
    best_total = score.max(axis=-1, keepdims=True)
    near = stable & (score >= best_total - tol)
    tie_break = np.where(near, held_weight[:, None, None, :], -np.inf)
    found = stable.any(axis=-1)
    profile = np.where(found, np.argmax(tie_break, axis=-1), -1)
    # everything at the selected profile: (N, M, K) indices, type last
    safe = np.maximum(profile, 0)
    size, m_count, k_count = safe.shape
    n_i = np.arange(size)[:, None, None]
    m_i = np.arange(m_count)[None, :, None]
    k_i = np.arange(k_count)[None, None, :]
    signs = accept[n_i, m_i, k_i, safe]  # (N, M, K)
    war = t.russia_war[n_i, :, safe] - t.russia_sunk[n_i, :, m_i, safe]  # (N, M, K, T)
    deal = t.russia_accept[n_i, :, m_i, safe]
    russia = np.where(found[..., None], np.where(signs[..., None], deal, war), np.nan)
    breaks = t.breaks[n_i, :, m_i, safe]
    out_sel = np.where(signs[..., None], np.where(breaks, BROKEN, SETTLED), WAR).astype(np.int8)
    gov_sel = np.take_along_axis(payoff, safe[..., None, None], axis=3)[:, :, :, 0]
    u_deal = np.einsum("nkt,nmkt->nmk", belief, t.ukraine_accept[n_i, :, m_i, safe])
    u_war = np.einsum("nkt,nmkt->nmk", belief, t.ukraine_war[n_i, :, safe])
    ukr_sel = np.where(signs, u_deal, u_war)
    return Continuation(
        belief=belief,
        accept=accept,
        profile=profile,
        equilibria=stable.sum(axis=-1),
        russia=russia,
        outcome=out_sel,
        government_payoff=gov_sel,
        ukraine_payoff=ukr_sel,
    )


def _expect(belief: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``E[values]`` under each belief: (N, K, T) x (N, n, T, M, P) -> (N, M, K, P, n).

    The same as ``einsum("nkt,nitmp->nmkpi")``, as one batched matrix product (much faster).
    """
    size, n, types, m, p = values.shape
    flat = np.moveaxis(values, 2, 1).reshape(size, types, n * m * p)
    out = np.matmul(belief, flat).reshape(size, belief.shape[1], n, m, p)
    return np.transpose(out, (0, 3, 1, 4, 2))
