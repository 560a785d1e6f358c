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
from simulator.model.offer_assessment import Assessment
from simulator.model.offer_tables import (
    BELIEF_SETS,
    BROKEN,
    IS_STALLER,
    SETTLED,
    Continuation,
    Tables,
)

__all__ = ["Best", "pure_assessment", "search"]

_SET_BITS = np.array(BELIEF_SETS)


@dataclass
class Best:
    """The best candidate so far at each point (selection state)."""

    found: np.ndarray
    intuitive: np.ndarray
    value: np.ndarray
    kind: np.ndarray
    settle: np.ndarray
    broken: np.ndarray
    assignment: np.ndarray
    beliefs: np.ndarray  # (N, M) belief-set index used after each message
    count: np.ndarray


def _kind(assignment: tuple[int, ...]) -> int:
    used = set(assignment)
    if len(used) == 1:
        return 0
    sincere = {assignment[k] for k in range(4) if not IS_STALLER[k]}
    staller = {assignment[k] for k in range(4) if IS_STALLER[k]}
    return 1 if not sincere & staller else 2


def _candidates(t: Tables, c: Continuation):
    """Every pure-strategy PBE of Russia's message choice, one assignment at a time.

    Yields ``(assignment, valid, intuitive, equilibrium payoffs (N, T), beliefs (N, M))``.
    """
    size, m_count = t.size, t.num_messages
    tol = t.tol
    has_cont = c.profile >= 0  # (N, M, B)
    values = np.where(has_cont[..., None], c.russia, np.nan)  # (N, M, B, T)
    best_any = np.nanmax(np.where(has_cont[..., None], values, -np.inf), axis=2)  # (N, M, T)
    for assignment in itertools.product(range(m_count), repeat=4):
        sets = np.zeros(m_count, dtype=int)
        for k, m in enumerate(assignment):
            sets[m] |= 1 << k
        valid = np.all(t.available[:, list(assignment)], axis=1)
        on = sets > 0
        belief = np.zeros((size, m_count), dtype=int)
        eq = np.empty((size, 4))
        for k, m in enumerate(assignment):
            b = sets[m] - 1
            valid &= has_cont[:, m, b]
            eq[:, k] = values[:, m, b, k]
        eq = np.where(valid[:, None], eq, 0.0)
        intuitive = np.ones(size, dtype=bool)
        for m in range(m_count):
            if on[m]:
                b = sets[m] - 1
                belief[:, m] = b
                worth = np.where(has_cont[:, m, b, None], values[:, m, b], np.inf)
                valid &= np.all(worth <= eq + tol[:, None], axis=1)
                continue
            usable = t.available[:, m]
            deters = has_cont[:, m] & np.all(values[:, m] <= eq[:, None, :] + tol[:, None, None], 2)
            valid &= ~usable | deters.any(axis=1)
            # Cho & Kreps: types for which m is equilibrium-dominated (no searched belief
            # would make it pay) should get no weight; where some type gains under every
            # belief on the others, the equilibrium fails the intuitive criterion.
            dominated = best_any[:, m] <= eq + tol[:, None]  # (N, T)
            nd_bits = ((~dominated) * (1 << np.arange(4))).sum(axis=1)
            on_nd = (_SET_BITS[None, :] & ~nd_bits[:, None]) == 0  # belief sets inside ND
            gain = np.where(
                (has_cont[:, m] & on_nd)[..., None], values[:, m] - eq[:, None, :], np.inf
            )
            breaks_ic = (nd_bits > 0) & np.any(gain.min(axis=1) > tol[:, None], axis=1)
            intuitive &= ~(usable & breaks_ic)
            preferred = deters & on_nd & (nd_bits > 0)[:, None]
            pick = np.where(preferred.any(axis=1), preferred.argmax(axis=1), deters.argmax(axis=1))
            belief[:, m] = np.where(usable, pick, _default_off_belief(t))
        yield assignment, valid, intuitive & valid, eq, belief


def _default_off_belief(t: Tables) -> np.ndarray:
    return np.full(t.size, BELIEF_SETS.index(15))  # unavailable message: the prior


def _better(best: Best, valid, intuitive, value, kind, settle, broken, tol) -> np.ndarray:
    """Where the candidate beats the current best by the selection order."""
    b = best
    out = valid & ~b.found
    both = valid & b.found
    rank = np.zeros_like(valid)
    decided = np.zeros_like(valid)
    for mine, theirs, slack in (
        (intuitive.astype(float), b.intuitive.astype(float), 0.5),
        (value, b.value, tol),
        (-kind.astype(float), -b.kind.astype(float), 0.5),
        (settle, b.settle, rules.TOL),
        (-broken, -b.broken, rules.TOL),
    ):
        win = ~decided & (mine > theirs + slack)
        lose = ~decided & (mine < theirs - slack)
        rank |= win
        decided |= win | lose
    return out | (both & rank)


def search(t: Tables, c: Continuation) -> Best:
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
    rows = np.arange(size)
    for assignment, valid, intuitive, eq, belief in _candidates(t, c):
        value = (t.prior * eq).sum(axis=1)
        outcome = np.stack(
            [c.outcome[rows, m, belief[:, m], k] for k, m in enumerate(assignment)], axis=1
        )
        settle = (t.prior * (outcome == SETTLED)).sum(axis=1)
        broken = (t.prior * (outcome == BROKEN)).sum(axis=1)
        kind = np.full(size, _kind(assignment))
        take = _better(best, valid, intuitive, value, kind, settle, broken, t.tol)
        best.count += valid
        best.found |= take
        best.intuitive = np.where(take, intuitive, best.intuitive)
        best.value = np.where(take, value, best.value)
        best.kind = np.where(take, kind, best.kind)
        best.settle = np.where(take, settle, best.settle)
        best.broken = np.where(take, broken, best.broken)
        best.assignment[take] = assignment
        best.beliefs[take] = belief[take]
    return best


def pure_assessment(t: Tables, c: Continuation, best: Best) -> Assessment:
    """The selected pure-strategy equilibrium at every point, as an :class:`Assessment`."""
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
