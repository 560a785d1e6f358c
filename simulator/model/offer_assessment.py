"""An assessment of the offer game (a strategy for every player and beliefs), its numbers and
its certificate.

Every equilibrium the offer game reports, whether found by the pure-strategy search
(:mod:`simulator.model.offer_search`) or by tracing the logit agent QRE on the game tree
(:mod:`simulator.model.offer_tree`), is first written as an :class:`Assessment`; the reported
numbers (outcome probabilities, payoffs, posteriors, the West's and Ukraine's replies) and the
certificate are derived from it here, once, for both.

The certificate is the largest gain any player could get by changing its choice at any of its
information sets, on or off the path, given the others' strategies and the beliefs: each of
Russia's types over its messages, each Western government after every message (the others'
mixed choices and Ukraine's reply taken into account), Ukraine after every message and every
profile of the governments, and a staller's keep-or-break choice after every signed deal. On the
path the beliefs are Bayes' rule applied to Russia's strategy; off the path the assessment states
them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from simulator.model import rules
from simulator.model.offer_tables import (
    BROKEN,
    IS_STALLER,
    IS_WEAK,
    OUTCOMES,
    SETTLED,
    TYPES,
    WAR,
    Tables,
)

__all__ = ["Assessment", "kind_codes", "kinds", "regret", "summarise"]

KINDS = ("pooling", "separating", "partially pooling", "hybrid")


@dataclass(eq=False)
class Assessment:
    """Strategies and beliefs at ``N`` points (arrays with the points on the leading axis).

    Attributes
    ----------
    sender : (N, T, M) each type's probability of each message
    belief : (N, M, T) the belief after each message (used off the path)
    ease : (N, M, n) each government's probability of easing after each message
    accept : (N, M, P) Ukraine's probability of accepting after each message and profile
    breaks : (N, T, M, P) the probability that a type breaks a signed deal
    found : (N,) whether the point has an equilibrium
    intuitive : (N,) whether it passes the intuitive criterion (False where not checked)
    equilibria : (N,) how many equilibria the search found
    continuation_equilibria : (N, M) how many pure equilibria the governments' game has after
        each message (nan where not counted)
    method : (N,) how it was found
    """

    sender: np.ndarray
    belief: np.ndarray
    ease: np.ndarray
    accept: np.ndarray
    breaks: np.ndarray
    found: np.ndarray
    intuitive: np.ndarray
    equilibria: np.ndarray
    continuation_equilibria: np.ndarray
    method: np.ndarray = field(default_factory=lambda: np.array([], dtype=object))


def _profile_probabilities(t: Tables, ease: np.ndarray) -> np.ndarray:
    """Probability of each profile (N, M, P) when the governments mix independently."""
    hold = t.hold[None, None, :, :]  # (1, 1, P, n)
    e = ease[:, :, None, :]
    return np.where(hold, 1.0 - e, e).prod(axis=-1)


def _bayes_beliefs(t: Tables, a: Assessment) -> tuple[np.ndarray, np.ndarray]:
    """Beliefs (N, M, T): Bayes' rule where a message is sent, the stated belief elsewhere."""
    joint = t.prior[:, :, None] * a.sender  # (N, T, M)
    mass = joint.sum(axis=1)  # (N, M)
    on = mass > rules.TOL
    with np.errstate(invalid="ignore", divide="ignore"):
        bayes = np.moveaxis(joint / np.where(on, mass, 1.0)[:, None, :], 1, 2)
    return np.where(on[..., None], bayes, a.belief), mass


def _outcome_probabilities(t: Tables, a: Assessment) -> np.ndarray:
    """P(outcome | type, message, profile): (N, T, M, P, 3)."""
    acc = a.accept.copy()
    acc[:, 0] = 0.0  # after "fight" there is nothing to accept
    acc = acc[:, None]  # (N, 1, M, P)
    brk = np.where(t.can_break[..., None], a.breaks, 0.0)
    out = np.empty(a.breaks.shape + (3,))
    out[..., SETTLED] = acc * (1.0 - brk)
    out[..., BROKEN] = acc * brk
    out[..., WAR] = 1.0 - acc
    return out


def _by_outcome(probability: np.ndarray, value: np.ndarray) -> np.ndarray:
    """``sum_o probability[..., o] * value[..., o]`` over the three outcomes (the last axis).

    Written as three products: numpy reduces a short last axis slowly.
    """
    return (
        probability[..., 0] * value[..., 0]
        + probability[..., 1] * value[..., 1]
        + probability[..., 2] * value[..., 2]
    )


def _russia_by_outcome(t: Tables) -> np.ndarray:
    """Russia's payoff (N, T, M, P, 3) by outcome, the message's sunk costs included."""
    war = t.russia_war[:, :, None, :] - t.russia_sunk
    keep = t.russia_keep - t.russia_sunk
    broken = t.russia_broken - t.russia_sunk
    return np.stack([keep, broken, war], axis=-1)


def kind_codes(sender: np.ndarray) -> np.ndarray:
    """Index into :data:`KINDS` of each point's strategy for Russia (``sender``: (N, T, M)).

    ``separating`` means no message is sent by both a sincere type and a staller; ``hybrid``
    that some type mixes.

    Parameters
    ----------
    sender : numpy.ndarray, shape (N, 4, M)
        Each of Russia's four types' probability of each message, at ``N`` points.

    Returns
    -------
    numpy.ndarray of int, shape (N,)
        0 (``pooling``: every type sends one message), 1 (``separating``), 2 (``partially
        pooling``) or 3 (``hybrid``).

    Examples
    --------
    >>> sender = np.zeros((3, 4, 2))
    >>> sender[0, :, 1] = 1  # every type talks
    >>> sender[1, :2, 1] = sender[1, 2:, 0] = 1  # the sincere types talk, the stallers fight
    >>> sender[2, :, 1] = 1
    >>> sender[2, 0] = [0.5, 0.5]  # ... and a strong sincere Russia mixes
    >>> kind_codes(sender).tolist()
    [0, 1, 3]
    """
    used = sender > rules.TOL
    mixes = used.sum(axis=2) > 1
    single = used.sum(axis=(1, 2)) == 0
    one_message = (used.any(axis=1).sum(axis=1) == 1) & ~single
    sincere = used[:, ~IS_STALLER].any(axis=1)
    staller = used[:, IS_STALLER].any(axis=1)
    separating = ~np.any(sincere & staller, axis=1)
    code = np.where(one_message, 0, np.where(separating, 1, 2))
    return np.where(mixes.any(axis=1), 3, code)


def kinds(sender: np.ndarray) -> np.ndarray:
    """:data:`KINDS` names of :func:`kind_codes`.

    Parameters
    ----------
    sender : numpy.ndarray, shape (N, 4, M)
        Each of Russia's four types' probability of each message, at ``N`` points.

    Returns
    -------
    numpy.ndarray of str (object), shape (N,)
        ``pooling``, ``separating``, ``partially pooling`` or ``hybrid`` at each point.

    Examples
    --------
    >>> sender = np.zeros((2, 4, 2))
    >>> sender[0, :, 1] = 1
    >>> sender[1, :3, 1] = sender[1, 3, 0] = 1  # a weak staller fights, the others talk
    >>> kinds(sender).tolist()
    ['pooling', 'partially pooling']
    """
    return np.array(KINDS, dtype=object)[kind_codes(sender)]


def regret(t: Tables, a: Assessment) -> np.ndarray:
    """The largest gain from a deviation at any information set (N,); see the module notes.

    Parameters
    ----------
    t : Tables
        The game's payoffs at ``N`` points.
    a : Assessment
        Strategies and beliefs at the same points.

    Returns
    -------
    numpy.ndarray, shape (N,)
        At each point the largest gain any player gets by changing its choice at one of its
        information sets, given the others' strategies and the beliefs (0 for an equilibrium);
        ``nan`` where ``a.found`` is False.

    Examples
    --------
    >>> from simulator.model import NegotiationModel, Offer
    >>> from simulator.model.offer_points import points
    >>> from simulator.model.offer_search import pure_assessment, search
    >>> from simulator.model.offer_tables import continuation, tables
    >>> v, offer_values, _ = points(NegotiationModel(), (Offer(),), None)
    >>> t = tables(v, ("West",), "sum", (Offer(),), offer_values)
    >>> c = continuation(t)
    >>> a = pure_assessment(t, c, search(t, c))
    >>> regret(t, a).tolist()
    [0.0]
    >>> a.sender[0] = [[0.0, 1.0]] * 4  # a strong sincere Russia would rather fight
    >>> bool(regret(t, a)[0] > t.tol[0])
    True
    """
    size, n = t.size, len(t.names)
    mu, _mass = _bayes_beliefs(t, a)
    prof = _profile_probabilities(t, a.ease)
    p_out = _outcome_probabilities(t, a)
    r_out = _russia_by_outcome(t)
    worth = (_by_outcome(p_out, r_out) * prof[:, None]).sum(axis=3)  # each type's value of m
    worth = np.where(t.available[:, None, :], worth, -np.inf)
    chosen = (a.sender * np.where(np.isfinite(worth), worth, 0.0)).sum(axis=2)
    out = np.maximum(0.0, (worth.max(axis=2) - chosen).max(axis=1))
    # Ukraine after every message and profile
    deal = np.where(
        t.can_break[..., None],
        a.breaks * t.ukraine_by_outcome[..., BROKEN]
        + (1 - a.breaks) * t.ukraine_by_outcome[..., SETTLED],
        t.ukraine_by_outcome[..., SETTLED],
    )  # (N, T, M, P)
    deal_value = np.einsum("nmt,ntmp->nmp", mu, deal)
    war_value = np.einsum("nmt,ntp->nmp", mu, t.ukraine_war)
    acc = a.accept
    gap = np.maximum(deal_value, war_value) - (acc * deal_value + (1 - acc) * war_value)
    gap[:, 0] = 0.0
    gap = np.where(t.available[..., None], gap, 0.0)
    out = np.maximum(out, gap.max(axis=(1, 2)))
    # each government after every message, the others mixing as the assessment says
    gov = _by_outcome(p_out[:, None], t.government)  # (N, n, T, M, P)
    by_profile = np.einsum("nmt,nitmp->nimp", mu, gov)  # (N, n, M, P)
    for i in range(n):
        others = np.ones((size, t.num_messages, t.hold.shape[0]))
        for j in range(n):
            if j != i:
                e = a.ease[:, :, j][:, :, None]
                others = others * np.where(t.hold[None, None, :, j], 1.0 - e, e)
        weighted = by_profile[:, i] * others
        hold_value = np.where(t.hold[None, None, :, i], weighted, 0.0).sum(axis=2)
        ease_value = np.where(t.hold[None, None, :, i], 0.0, weighted).sum(axis=2)
        e = a.ease[:, :, i]
        gap = np.maximum(hold_value, ease_value) - (e * ease_value + (1 - e) * hold_value)
        out = np.maximum(out, np.where(t.available, gap, 0.0).max(axis=1))
    # the staller's keep-or-break choice after every signed deal
    keep = t.russia_keep
    renewed = np.broadcast_to(t.russia_renewed[..., None], keep.shape)
    b = a.breaks
    gap = np.maximum(keep, renewed) - (b * renewed + (1 - b) * keep)
    gap = np.where(t.can_break[..., None] & t.available[:, None, :, None], gap, 0.0)
    out = np.maximum(out, gap.reshape(size, -1).max(axis=1))
    return np.where(a.found, out, np.nan)


def _regime_labels(out: dict[str, np.ndarray], found: np.ndarray) -> np.ndarray:
    """Each point's regime, e.g. ``"pooling: sincere settled, staller settled or broken"``.

    The label is a function of the equilibrium's kind and the outcomes each group reaches, so
    it is formatted once per distinct combination (a sweep of a million points has a handful).
    """
    kind_names, kind_code = np.unique(out["kind"].astype(str), return_inverse=True)
    code = np.asarray(kind_code).reshape(-1).astype(np.int64)
    for group in ("sincere", "staller"):
        for o in OUTCOMES:
            code = code * 2 + (out[f"outcome.{group}.{o}"] > rules.TOL)
    code = np.where(found, code, -1)
    distinct, inverse = np.unique(code, return_inverse=True)
    labels = []
    bits = 2 * len(OUTCOMES)
    for c in distinct.tolist():
        if c < 0:
            labels.append("no equilibrium found")
            continue
        parts = []
        for g, group in enumerate(("sincere", "staller")):
            reached = [
                o
                for j, o in enumerate(OUTCOMES)
                if (c >> (bits - 1 - (g * len(OUTCOMES) + j))) & 1
            ]
            parts.append(f"{group} {' or '.join(reached)}")
        labels.append(f"{kind_names[c >> bits]}: {', '.join(parts)}")
    return np.array(labels, dtype=object)[np.asarray(inverse).reshape(-1)]


def summarise(t: Tables, a: Assessment) -> dict[str, np.ndarray]:
    """Every reported number of the assessment at every point, by result key.

    Parameters
    ----------
    t : Tables
        The game's payoffs at ``N`` points.
    a : Assessment
        The selected equilibrium's strategies and beliefs at the same points.

    Returns
    -------
    dict of str to numpy.ndarray
        Arrays of shape ``(N,)`` under the keys of
        :func:`~simulator.model.offer_game.solve_offer_game_batch` (``found``, ``kind``,
        ``regime``, the outcome probabilities, payoffs, posteriors, the governments' and
        Ukraine's replies, ``certificate`` (:func:`regret`), ``tolerance``, ...). Numbers are
        ``nan`` (and ``kind`` is ``"none"``) where ``a.found`` is False.

    Examples
    --------
    >>> from simulator.model import NegotiationModel, Offer
    >>> from simulator.model.offer_points import points
    >>> from simulator.model.offer_search import pure_assessment, search
    >>> from simulator.model.offer_tables import continuation, tables
    >>> v, offer_values, _ = points(NegotiationModel(), (Offer(),), None)
    >>> t = tables(v, ("West",), "sum", (Offer(),), offer_values)
    >>> c = continuation(t)
    >>> out = summarise(t, pure_assessment(t, c, search(t, c)))
    >>> print(out["regime"][0])
    partially pooling: sincere settled or war, staller broken
    >>> out["settlement_probability"].tolist(), out["renewed_war_probability"].tolist()
    ([0.25], [0.5])
    """
    size = t.size
    prior = t.prior
    mu, mass = _bayes_beliefs(t, a)
    prof = _profile_probabilities(t, a.ease)
    p_out = _outcome_probabilities(t, a)
    reach = a.sender[..., None] * prof[:, None]  # (N, T, M, P)
    # the probability of each (message, profile, outcome) by type: (N, T, M, P, 3)
    path = reach[..., None] * p_out
    flat = (size, prior.shape[1], -1)
    by_type = path.reshape(flat + (3,)).sum(axis=2)  # (N, T, 3)
    russia = (reach * _by_outcome(p_out, _russia_by_outcome(t))).reshape(flat).sum(axis=2)
    ukraine_by_type = (reach * _by_outcome(p_out, t.ukraine_by_outcome)).reshape(flat).sum(axis=2)
    ukraine = (prior * ukraine_by_type).sum(axis=1)
    # each government's expectation as one batched product over (type, message, profile, outcome)
    joint = (prior[:, :, None, None, None] * path).reshape(size, -1, 1)
    governments = np.matmul(t.government.reshape(size, len(t.names), -1), joint)[..., 0]
    found = a.found
    out: dict[str, np.ndarray] = {"found": found}
    kind = kinds(a.sender)
    out["kind"] = np.where(found, kind, "none")
    for k, name in enumerate(TYPES):
        for m, message in enumerate(t.messages):
            out[f"message.{name}.{message}"] = a.sender[:, k, m]
        for o, oname in enumerate(OUTCOMES):
            out[f"outcome.{name}.{oname}"] = by_type[:, k, o]
        out[f"payoff.russia.{name}"] = russia[:, k]
    for group, members in (("sincere", ~IS_STALLER), ("staller", IS_STALLER)):
        weight = prior[:, members] / prior[:, members].sum(axis=1, keepdims=True)
        for o, oname in enumerate(OUTCOMES):
            out[f"outcome.{group}.{oname}"] = (weight * by_type[:, members, o]).sum(axis=1)
        out[f"payoff.russia.{group}"] = (weight * russia[:, members]).sum(axis=1)
    overall = (prior[..., None] * by_type).sum(axis=1)
    out["settlement_probability"] = overall[:, SETTLED]
    out["renewed_war_probability"] = overall[:, BROKEN]
    out["war_probability"] = overall[:, WAR]
    out["payoff.russia"] = (prior * russia).sum(axis=1)
    out["payoff.ukraine"] = ukraine
    for i, g in enumerate(t.names):
        out[f"payoff.{g}"] = governments[:, i]
    for m, message in enumerate(t.messages):
        missing = ~t.available[:, m]

        def put(key: str, value: np.ndarray, missing: np.ndarray = missing) -> None:
            out[key] = np.where(missing, np.nan, value)

        out[f"on_path.{message}"] = (mass[:, m] > rules.TOL).astype(float)
        put(f"posterior.{message}", mu[:, m, ~IS_STALLER].sum(axis=1))
        put(f"posterior_weak.{message}", mu[:, m, IS_WEAK].sum(axis=1))
        put(f"pressure.{message}", (prof[:, m] * t.pressure).sum(axis=1))
        put(f"arms.{message}", (prof[:, m] * t.arms).sum(axis=1))
        for i, g in enumerate(t.names):
            put(f"ease.{message}.{g}", a.ease[:, m, i])
        if m > 0:
            put(f"acceptance.{message}", (prof[:, m] * a.accept[:, m]).sum(axis=1))
        put(f"continuation_equilibria.{message}", a.continuation_equilibria[:, m])
    out["regime"] = _regime_labels(out, found)
    out["intuitive"] = a.intuitive & found
    out["certificate"] = regret(t, a)
    out["tolerance"] = t.tol
    out["equilibria"] = a.equilibria.astype(float)
    out["win_probability"] = (prior * t.p).sum(axis=1)
    for k, name in enumerate(TYPES):
        out[f"win_probability.{name}"] = t.p[:, k]
    for key, value in list(out.items()):
        if value.dtype.kind == "f" and key not in ("certificate", "tolerance"):
            out[key] = np.where(found, value, np.nan)
    out["method"] = a.method if a.method.size else np.full(size, "", dtype=object)
    return out
