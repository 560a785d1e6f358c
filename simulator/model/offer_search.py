"""Pure-strategy perfect Bayesian equilibria of the offer game, and the selection among them.

Russia's four types each send one message (every assignment of messages to types is tried); on
the path beliefs follow Bayes' rule, off the path they are searched among the prior restricted to
each non-empty set of types; after each message the receivers play the continuation of
:func:`simulator.model.offer_tables.continuation`. An assignment is an equilibrium where no type
gains by sending another message. The intuitive criterion (Cho & Kreps 1987) is checked on the
searched beliefs. Among the equilibria found: those passing the criterion, then the highest
ex-ante payoff to Russia, the simpler kind, the higher settlement and the lower renewed-war
probability.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from simulator.model import rules
from simulator.model.offer_assessment import Assessment, kind_codes
from simulator.model.offer_tables import (
    BELIEF_SETS,
    BROKEN,
    SETTLED,
    Continuation,
    Tables,
)

__all__ = ["Best", "pure_assessment", "search"]

_SET_BITS = np.array(BELIEF_SETS)


@dataclass
class Best:
    """The best candidate so far at each point (selection state).

    Arrays have the ``N`` points on their leading axis; where ``found`` is False the other
    entries of the point are meaningless.

    Attributes
    ----------
    found : numpy.ndarray of bool, shape (N,)
        Whether some pure assignment is an equilibrium at the point.
    intuitive : numpy.ndarray of bool, shape (N,)
        Whether the selected one passes the intuitive criterion.
    value : numpy.ndarray, shape (N,)
        Russia's ex-ante payoff in it (``-inf`` where none is found).
    kind : numpy.ndarray of int, shape (N,)
        Its kind, an index into :data:`~simulator.model.offer_assessment.KINDS`.
    settle : numpy.ndarray, shape (N,)
        Its probability of a deal signed and kept.
    broken : numpy.ndarray, shape (N,)
        Its probability of a deal signed and then broken.
    assignment : numpy.ndarray of int, shape (N, 4)
        The message (index into ``Tables.messages``) each of Russia's four types sends.
    beliefs : numpy.ndarray of int, shape (N, M)
        After each message, the index into :data:`~simulator.model.offer_tables.BELIEF_SETS`
        of the belief the receivers hold (Bayes' rule on the path, a deterring one off it).
    count : numpy.ndarray of int, shape (N,)
        How many pure assignments are equilibria at the point.
    """

    found: np.ndarray
    intuitive: np.ndarray
    value: np.ndarray
    kind: np.ndarray
    settle: np.ndarray
    broken: np.ndarray
    assignment: np.ndarray
    beliefs: np.ndarray  # (N, M) belief-set index used after each message
    count: np.ndarray


def _kind(assignment: tuple[int, ...], m_count: int) -> int:
    """The kind code (:func:`~simulator.model.offer_assessment.kind_codes`) of an assignment."""
    sender = np.zeros((1, 4, m_count))
    sender[0, np.arange(4), list(assignment)] = 1.0
    return int(kind_codes(sender)[0])


def _candidates(t: Tables, c: Continuation):
    """Every pure-strategy PBE of Russia's message choice, one assignment at a time.

    Yields ``(assignment, rows, intuitive, equilibrium payoffs, beliefs)`` for the points
    ``rows`` where the assignment is an equilibrium (the other arrays are for those rows only:
    ``(R,)``, ``(R, T)`` and ``(R, M)``). The checks on the path run over every point; the
    off-path checks (deterring beliefs, the intuitive criterion) only where the path holds.
    """
    m_count = t.num_messages
    has_cont = c.profile >= 0  # (N, M, B)
    values = np.where(has_cont[..., None], c.russia, np.nan)  # (N, M, B, T)
    best_any = np.nanmax(np.where(has_cont[..., None], values, -np.inf), axis=2)  # (N, M, T)
    available = t.available
    for assignment in itertools.product(range(m_count), repeat=4):
        sets = np.zeros(m_count, dtype=int)
        for k, m in enumerate(assignment):
            sets[m] |= 1 << k
        valid = np.all(available[:, list(assignment)], axis=1)
        for m in set(assignment):
            valid &= has_cont[:, m, sets[m] - 1]
        rows = np.flatnonzero(valid)
        if rows.size == 0:
            continue
        tol = t.tol[rows]
        eq = np.stack([values[rows, m, sets[m] - 1, k] for k, m in enumerate(assignment)], 1)
        ok = np.ones(rows.size, dtype=bool)
        for m in set(assignment):
            ok &= np.all(values[rows, m, sets[m] - 1] <= eq + tol[:, None], axis=1)
        rows, eq, tol = rows[ok], eq[ok], tol[ok]
        if rows.size == 0:
            continue
        belief = np.zeros((rows.size, m_count), dtype=int)
        intuitive = np.ones(rows.size, dtype=bool)
        ok = np.ones(rows.size, dtype=bool)
        for m in range(m_count):
            if sets[m]:
                belief[:, m] = sets[m] - 1
                continue
            usable = available[rows, m]
            cont = has_cont[rows, m]  # (R, B)
            worth = values[rows, m]  # (R, B, T)
            deters = cont & np.all(worth <= eq[:, None, :] + tol[:, None, None], axis=2)
            ok &= ~usable | deters.any(axis=1)
            # Cho & Kreps: types for which m is equilibrium-dominated (no searched belief
            # would make it pay) should get no weight; where some type gains under every
            # belief on the others, the equilibrium fails the intuitive criterion.
            dominated = best_any[rows, m] <= eq + tol[:, None]  # (R, T)
            nd_bits = ((~dominated) * (1 << np.arange(4))).sum(axis=1)
            on_nd = (_SET_BITS[None, :] & ~nd_bits[:, None]) == 0  # belief sets inside ND
            gain = np.where((cont & on_nd)[..., None], worth - eq[:, None, :], np.inf)
            breaks_ic = (nd_bits > 0) & np.any(gain.min(axis=1) > tol[:, None], axis=1)
            intuitive &= ~(usable & breaks_ic)
            preferred = deters & on_nd & (nd_bits > 0)[:, None]
            pick = np.where(preferred.any(axis=1), preferred.argmax(axis=1), deters.argmax(axis=1))
            belief[:, m] = np.where(usable, pick, _PRIOR_SET)
        if ok.any():
            yield assignment, rows[ok], intuitive[ok], eq[ok], belief[ok]


#: The belief stated after a message that does not exist at a point: the prior.
_PRIOR_SET = BELIEF_SETS.index(15)


def _better(best: Best, rows, intuitive, value, kind, settle, broken, tol) -> np.ndarray:
    """Where (at ``rows``) the candidate beats the current best by the selection order."""
    found = best.found[rows]
    rank = np.zeros(rows.size, dtype=bool)
    decided = np.zeros(rows.size, dtype=bool)
    for mine, theirs, slack in (
        (intuitive.astype(float), best.intuitive[rows].astype(float), 0.5),
        (value, best.value[rows], tol),
        (-kind.astype(float), -best.kind[rows].astype(float), 0.5),
        (settle, best.settle[rows], rules.TOL),
        (-broken, -best.broken[rows], rules.TOL),
    ):
        win = ~decided & (mine > theirs + slack)
        lose = ~decided & (mine < theirs - slack)
        rank |= win
        decided |= win | lose
    return ~found | rank


def search(t: Tables, c: Continuation) -> Best:
    """Every pure-strategy PBE of the offer game at every point, and the one selected.

    Every assignment of messages to Russia's four types is tried (see the module notes); the
    selection order is: passing the intuitive criterion, then the highest ex-ante payoff to
    Russia (within the tolerance), the simpler kind, the higher settlement and the lower
    renewed-war probability.

    Parameters
    ----------
    t : Tables
        The game's payoffs at ``N`` points (:func:`~simulator.model.offer_tables.tables`).
    c : Continuation
        The receivers' play under the searched beliefs (the default beliefs of
        :func:`~simulator.model.offer_tables.continuation`).

    Returns
    -------
    Best
        The selected equilibrium at each point, and how many were found.

    Examples
    --------
    >>> from simulator.model import NegotiationModel, Offer
    >>> from simulator.model.offer_points import points
    >>> from simulator.model.offer_tables import continuation, tables
    >>> offer = Offer(alignment=0.3, territory=0.2)
    >>> v, offer_values, _ = points(NegotiationModel(), (offer,), None)
    >>> t = tables(v, ("West",), "sum", (offer,), offer_values)
    >>> best = search(t, continuation(t))
    >>> best.found.tolist(), best.assignment.tolist(), best.count.tolist()  # all four talk
    ([True], [[1, 1, 1, 1]], [1])
    """
    size, m_count = t.size, t.num_messages
    best = Best(
        found=np.zeros(size, dtype=bool),
        intuitive=np.zeros(size, dtype=bool),
        value=np.full(size, -np.inf),
        kind=np.zeros(size, dtype=int),
        settle=np.zeros(size),
        broken=np.zeros(size),
        assignment=np.zeros((size, 4), dtype=int),
        beliefs=np.zeros((size, m_count), dtype=int),
        count=np.zeros(size, dtype=int),
    )
    for assignment, rows, intuitive, eq, belief in _candidates(t, c):
        prior = t.prior[rows]
        value = (prior * eq).sum(axis=1)
        outcome = np.stack(
            [c.outcome[rows, m, belief[:, m], k] for k, m in enumerate(assignment)], axis=1
        )
        settle = (prior * (outcome == SETTLED)).sum(axis=1)
        broken = (prior * (outcome == BROKEN)).sum(axis=1)
        kind = np.full(rows.size, _kind(assignment, t.num_messages))
        take = _better(best, rows, intuitive, value, kind, settle, broken, t.tol[rows])
        best.count[rows] += 1
        chosen = rows[take]
        best.found[chosen] = True
        best.intuitive[chosen] = intuitive[take]
        best.value[chosen] = value[take]
        best.kind[chosen] = kind[take]
        best.settle[chosen] = settle[take]
        best.broken[chosen] = broken[take]
        best.assignment[chosen] = assignment
        best.beliefs[chosen] = belief[take]
    return best


def pure_assessment(t: Tables, c: Continuation, best: Best) -> Assessment:
    """The selected pure-strategy equilibrium at every point, as an :class:`Assessment`.

    Parameters
    ----------
    t : Tables
        The game's payoffs at ``N`` points.
    c : Continuation
        The receivers' play under the searched beliefs (the one ``best`` was searched with).
    best : Best
        The selection of :func:`search`.

    Returns
    -------
    Assessment
        Russia's pure strategy, the beliefs, the governments' and Ukraine's continuation play
        and the stallers' break decisions at each point; ``method`` is ``"pure-strategy
        search"`` (also where nothing was found: ``found`` says so).

    Examples
    --------
    >>> from simulator.model import NegotiationModel, Offer
    >>> from simulator.model.offer_points import points
    >>> from simulator.model.offer_tables import continuation, tables
    >>> v, offer_values, _ = points(NegotiationModel(), (Offer(),), None)
    >>> t = tables(v, ("West",), "sum", (Offer(),), offer_values)
    >>> c = continuation(t)
    >>> a = pure_assessment(t, c, search(t, c))
    >>> a.sender[0].tolist()  # each type's probability of fight, talk: a strong sincere fights
    [[1.0, 0.0], [0.0, 1.0], [0.0, 1.0], [0.0, 1.0]]
    """
    size, m_count = t.size, t.num_messages
    rows = np.arange(size)
    sender = np.zeros((size, 4, m_count))
    for k in range(4):
        sender[rows, k, best.assignment[:, k]] = 1.0
    belief = np.stack([c.belief[rows, best.beliefs[:, m]] for m in range(m_count)], axis=1)
    profile = np.stack(
        [c.profile[rows, m, best.beliefs[:, m]] for m in range(m_count)], axis=1
    )  # (N, M)
    ease = (~t.hold[np.maximum(profile, 0)]).astype(float)  # (N, M, n)
    accept = np.stack(
        [c.accept[rows, m, best.beliefs[:, m]] for m in range(m_count)], axis=1
    ).astype(float)
    counts = np.stack(
        [c.equilibria[rows, m, best.beliefs[:, m]] for m in range(m_count)], axis=1
    ).astype(float)
    return Assessment(
        sender=sender,
        belief=belief,
        ease=ease,
        accept=accept,
        breaks=t.breaks.astype(float),
        found=best.found.copy(),
        intuitive=best.intuitive.copy(),
        equilibria=best.count.copy(),
        continuation_equilibria=counts,
        method=np.full(size, "pure-strategy search", dtype=object),
    )
