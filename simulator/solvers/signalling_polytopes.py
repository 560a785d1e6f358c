"""The polytopes of support enumeration for signalling games.

Given the sender's support pattern and the receiver's action support after every message sent,
the receiver's indifference and best-response conditions are linear in the unnormalised weights
``w[t, m] = prior[t] * sigma[t, m]`` (:func:`_weight_vertices`), and the sender's indifference
and no-deviation conditions are linear in the receiver's mixtures (:func:`_reply_points`); the
vertices of each polytope are found by solving every square system of tight constraints
(:func:`_polytope_vertices`). :class:`_Analysis` caches the receiver's best-response regions in
the simplex of beliefs, and :func:`_supporting_beliefs` finds the beliefs at an unsent message at
which some best response deters every type (Fudenberg & Tirole 1991, section 8.2).
:mod:`simulator.solvers.signalling_pbe` enumerates the patterns and assembles the equilibria.

References
----------
.. [1] D. Fudenberg and J. Tirole, *Game Theory*, MIT Press, 1991, chapter 8.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from itertools import combinations
from math import comb

import numpy as np
from scipy.optimize import linprog

from simulator.games.errors import GameError
from simulator.games.signalling import SignallingGame
from simulator.solvers.signalling_equilibrium import BeliefRange, _readonly

#: Largest number of square subsystems one polytope may need (guards against huge games).
_SUBSYSTEM_LIMIT = 2_000_000


# ---------------------------------------------------------------------- polytopes
def _polytope_vertices(
    a_eq: np.ndarray, b_eq: np.ndarray, a_ub: np.ndarray, b_ub: np.ndarray, tol: float
) -> np.ndarray:
    """Vertices of the bounded polytope ``{x : a_eq x = b_eq, a_ub x <= b_ub}``.

    The equalities are solved once (particular solution plus null-space basis); a vertex
    is then a point of the null-space coordinates where ``k`` linearly independent
    inequalities are tight, ``k`` being the null-space dimension. Every square system is
    solved in one batched call.

    Examples
    --------
    >>> v = _polytope_vertices(np.ones((1, 2)), np.ones(1), -np.eye(2), np.zeros(2), 1e-9)
    >>> v
    array([[0., 1.],
           [1., 0.]])
    """
    n = a_ub.shape[1] if a_ub.size else a_eq.shape[1]
    if a_eq.shape[0]:
        x0, *_ = np.linalg.lstsq(a_eq, b_eq, rcond=None)
        if np.abs(a_eq @ x0 - b_eq).max(initial=0.0) > tol:
            return np.empty((0, n))
        _, s, vt = np.linalg.svd(a_eq)
        rank = int(np.sum(s > 1e-10 * max(1.0, float(s.max(initial=0.0)))))
        basis = vt[rank:].T
    else:
        x0, basis = np.zeros(n), np.eye(n)
    k = basis.shape[1]
    g = a_ub @ basis
    h = b_ub - a_ub @ x0
    # Unit-length rows make |det| of a square subsystem a scale-free singularity test.
    norms = np.linalg.norm(g, axis=1)
    flat = norms <= 1e-12
    if np.any(h[flat] < -tol):
        return np.empty((0, n))
    g, h = g[~flat] / norms[~flat, None], h[~flat] / norms[~flat]
    if k == 0:
        return x0[None, :] if np.all(h >= -tol) else np.empty((0, n))
    rows = len(g)
    if rows < k:
        raise GameError("a polytope of the signalling solver is unbounded (internal error)")
    if comb(rows, k) > _SUBSYSTEM_LIMIT:
        raise GameError(
            f"the game is too large for support enumeration ({comb(rows, k)} square "
            "systems in one support pattern); reduce the numbers of messages or actions"
        )
    found = []
    for chunk in _chunks(combinations(range(rows), k), 50_000):
        idx = np.array(chunk, dtype=int)
        mats, rhs = g[idx], h[idx]
        ok = np.abs(np.linalg.det(mats)) > 1e-9
        if not np.any(ok):
            continue
        z = np.linalg.solve(mats[ok], rhs[ok][..., None])[..., 0]
        feasible = np.all(z @ g.T <= h + tol, axis=1)
        found.append(x0 + z[feasible] @ basis.T)
    points = np.concatenate(found) if found else np.empty((0, n))
    return _unique_rows(points)


def _chunks(iterable: Iterator[tuple[int, ...]], size: int) -> Iterator[list[tuple[int, ...]]]:
    chunk: list[tuple[int, ...]] = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _unique_rows(points: np.ndarray, atol: float = 1e-9) -> np.ndarray:
    """Rows of ``points`` without (near-)duplicates, in lexicographic order."""
    if len(points) <= 1:
        return points
    # Probabilities and weights are at most 1 in size, so the rounded keys fit in int64.
    keys = np.round(points / atol).astype(np.int64)
    _, first = np.unique(keys, axis=0, return_index=True)
    return points[first]


def _extreme_rows(points: np.ndarray) -> np.ndarray:
    """The rows that are not convex combinations of the other rows (LP per row)."""
    if len(points) <= 2:
        return points
    keep = []
    for i in range(len(points)):
        others = np.delete(points, i, axis=0)
        res = linprog(
            np.zeros(len(others)),
            A_eq=np.vstack([others.T, np.ones((1, len(others)))]),
            b_eq=np.append(points[i], 1.0),
            bounds=(0, None),
            method="highs",
        )
        if res.status != 0:
            keep.append(i)
    return points[keep]


# ---------------------------------------------------------------------- receiver analysis
class _Analysis:
    """Per-game caches of the receiver's best-response regions and the tolerance."""

    def __init__(self, game: SignallingGame, tol: float) -> None:
        self.game = game
        self.tol = tol
        # Geometry (vertex feasibility) never needs to be stricter than round-off.
        self.feas = max(tol, 1e-11 * max(1.0, game.payoff_span))
        self.u_s = game.sender_payoffs
        self.u_r = game.receiver_payoffs
        self.num_types, self.num_messages, self.num_actions = game.shape
        self.region = cache(self._region)
        self.supports = cache(self._supports)

    def constraints(
        self, m: int, actions: tuple[int, ...], types: tuple[int, ...]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Beliefs over ``types`` at which every action in ``actions`` is a best response."""
        num_types = self.num_types
        u = self.u_r[:, m, :]
        base = actions[0]
        eq_rows = [np.ones(num_types)]
        eq_rhs = [1.0]
        for t in range(num_types):
            if t not in types:
                row = np.zeros(num_types)
                row[t] = 1.0
                eq_rows.append(row)
                eq_rhs.append(0.0)
        for a in actions[1:]:
            eq_rows.append(u[:, a] - u[:, base])
            eq_rhs.append(0.0)
        ub_rows = [-row for row in np.eye(num_types)]
        ub_rhs = [0.0] * num_types
        for a in range(self.num_actions):
            if a not in actions:
                ub_rows.append(u[:, a] - u[:, base])
                ub_rhs.append(0.0)
        return np.array(eq_rows), np.array(eq_rhs), np.array(ub_rows), np.array(ub_rhs)

    def _region(self, m: int, actions: tuple[int, ...], types: tuple[int, ...]) -> np.ndarray:
        """Vertices of the beliefs (on ``types``) making all of ``actions`` best responses."""
        return _polytope_vertices(*self.constraints(m, actions, types), self.feas)

    def _supports(self, m: int, types: tuple[int, ...]) -> tuple[tuple[int, ...], ...]:
        """Action sets that are all best responses to one belief on ``types``.

        Ordered by size, then lexicographically (pure replies first).
        """
        out = []
        for size in range(1, self.num_actions + 1):
            for actions in combinations(range(self.num_actions), size):
                if len(self.region(m, actions, types)):
                    out.append(actions)
        return tuple(out)

    def maximal_supports(self, m: int) -> list[tuple[int, ...]]:
        every = self.supports(m, self.all_types)
        return [c for c in every if not any(set(c) < set(d) for d in every)]

    def rationalisable_actions(self, m: int, types: tuple[int, ...]) -> list[int]:
        """Pure actions that are a best response to some belief concentrated on ``types``."""
        return sorted({c[0] for c in self.supports(m, types) if len(c) == 1})

    @property
    def all_types(self) -> tuple[int, ...]:
        return tuple(range(self.num_types))


def _deterring_mixture(payoffs: np.ndarray, values: np.ndarray, tol: float) -> np.ndarray | None:
    """A mixture over the columns of ``payoffs`` (types x actions) giving every type at
    most its equilibrium value, chosen to minimise the largest excess; ``None`` if none."""
    if payoffs.shape[1] == 1:
        return np.ones(1) if np.all(payoffs[:, 0] <= values + tol) else None
    n = payoffs.shape[1]
    # Variables: the mixture, then the largest excess s (free); minimise s.
    res = linprog(
        np.append(np.zeros(n), 1.0),
        A_ub=np.hstack([payoffs, -np.ones((len(values), 1))]),
        b_ub=values,
        A_eq=np.append(np.ones(n), 0.0)[None, :],
        b_eq=[1.0],
        bounds=[(0, None)] * n + [(None, None)],
        method="highs",
    )
    if res.status != 0 or res.x[-1] > tol:
        return None
    mix = np.clip(res.x[:n], 0.0, None)
    return mix / mix.sum()


def _supporting_beliefs(
    an: _Analysis, m: int, values: np.ndarray
) -> tuple[BeliefRange, np.ndarray, np.ndarray] | None:
    """Belief range, representative reply and belief at unsent message ``m``; ``None`` if
    no best response to any belief deters every type."""
    game = an.game
    deterring: list[tuple[tuple[int, ...], np.ndarray]] = []
    for actions in an.supports(m, an.all_types):
        # A deterring subset already covers this set's (smaller) belief region.
        if any(set(d) <= set(actions) for d, _ in deterring):
            continue
        mix = _deterring_mixture(an.u_s[:, m, list(actions)], values, an.tol)
        if mix is not None:
            deterring.append((actions, mix))
    if not deterring:
        return None
    pieces = [(actions, an.region(m, actions, an.all_types)) for actions, _ in deterring]
    if an.num_types == 2:
        beliefs = BeliefRange.from_intervals(
            game.types,
            [(float(v[:, 0].min()), float(v[:, 0].max())) for _, v in pieces],
            tolerance=an.tol,
        )
    else:
        kept = [
            (a, v)
            for i, (a, v) in enumerate(pieces)
            if not any(
                j != i
                and _inside(v, an.constraints(m, b, an.all_types), an.tol)
                and (j < i or not _inside(w, an.constraints(m, a, an.all_types), an.tol))
                for j, (b, w) in enumerate(pieces)
            )
        ]
        inequalities = []
        for actions, _ in kept:
            a_eq, b_eq, a_ub, b_ub = an.constraints(m, actions, an.all_types)
            # Equalities become pairs of inequalities; the simplex rows are implied.
            g = np.vstack([a_ub, a_eq[1:], -a_eq[1:]])
            h = np.concatenate([b_ub, b_eq[1:], -b_eq[1:]])
            inequalities.append((_readonly(g), _readonly(h)))
        beliefs = BeliefRange(
            game.types,
            tuple(_readonly(v.copy()) for _, v in kept),
            tuple(inequalities),
            an.tol,
        )
    actions, mix = deterring[0]
    reply = np.zeros(an.num_actions)
    reply[list(actions)] = mix
    belief = pieces[0][1].mean(axis=0)
    return beliefs, reply, belief


def _inside(vertices: np.ndarray, constraints: tuple[np.ndarray, ...], tol: float) -> bool:
    """True if every vertex satisfies the (equality and inequality) constraints."""
    a_eq, b_eq, a_ub, b_ub = constraints
    return bool(
        np.all(np.abs(vertices @ a_eq.T - b_eq) <= tol) and np.all(vertices @ a_ub.T <= b_ub + tol)
    )


# ---------------------------------------------------------------------- the two polytopes
def _weight_vertices(
    an: _Analysis, senders: tuple[tuple[int, ...], ...], replies: dict[int, tuple[int, ...]]
) -> np.ndarray:
    """Vertices of the unnormalised sender weights ``w[t, m]`` (shape ``(k, T, M)``) that
    make every action in ``replies[m]`` a best response at each sent message."""
    num_types, num_messages = an.num_types, an.num_messages
    index = [(t, m) for t in range(num_types) for m in senders[t]]
    n = len(index)
    eq_rows, eq_rhs, ub_rows, ub_rhs = [], [], [], []
    for t in range(num_types):
        eq_rows.append([1.0 if i[0] == t else 0.0 for i in index])
        eq_rhs.append(float(an.game.prior[t]))
    for m, actions in replies.items():
        base = actions[0]
        diff = an.u_r[:, m, :] - an.u_r[:, m, base : base + 1]
        for a in range(an.num_actions):
            if a == base:
                continue
            row = [diff[t, a] if mm == m else 0.0 for t, mm in index]
            if a in actions:
                eq_rows.append(row)
                eq_rhs.append(0.0)
            else:
                ub_rows.append(row)
                ub_rhs.append(0.0)
    ub_rows.extend((-np.eye(n)).tolist())
    ub_rhs.extend([0.0] * n)
    points = _polytope_vertices(
        np.array(eq_rows), np.array(eq_rhs), np.array(ub_rows), np.array(ub_rhs), an.feas
    )
    out = np.zeros((len(points), num_types, num_messages))
    for j, (t, m) in enumerate(index):
        out[:, t, m] = points[:, j]
    return out


def _reply_points(
    an: _Analysis,
    senders: tuple[tuple[int, ...], ...],
    replies: dict[int, tuple[int, ...]],
    off_replies: dict[int, tuple[int, ...]],
) -> np.ndarray:
    """Extreme receiver behaviours after sent messages (shape ``(k, M, A)``) that keep every
    type on its messages, with some mixture over ``off_replies[m]`` deterring after each
    unsent ``m``."""
    num_types, num_messages, num_actions = an.num_types, an.num_messages, an.num_actions
    index = [(m, a) for m, acts in {**replies, **off_replies}.items() for a in acts]
    n = len(index)

    def value_row(t: int, m: int) -> np.ndarray:
        return np.array([an.u_s[t, mm, a] if mm == m else 0.0 for mm, a in index])

    eq_rows, eq_rhs, ub_rows, ub_rhs = [], [], [], []
    for m in {**replies, **off_replies}:
        eq_rows.append(np.array([1.0 if mm == m else 0.0 for mm, _ in index]))
        eq_rhs.append(1.0)
    for t in range(num_types):
        base = value_row(t, senders[t][0])
        for m in range(num_messages):
            if m == senders[t][0]:
                continue
            row = value_row(t, m) - base
            if m in senders[t]:
                eq_rows.append(row)
                eq_rhs.append(0.0)
            else:
                ub_rows.append(row)
                ub_rhs.append(0.0)
    ub_rows.extend(-np.eye(n))
    ub_rhs.extend([0.0] * n)
    points = _polytope_vertices(
        np.array(eq_rows), np.array(eq_rhs), np.array(ub_rows), np.array(ub_rhs), an.feas
    )
    on = [j for j, (m, _) in enumerate(index) if m in replies]
    projected = _unique_rows(points[:, on])
    if any(len(acts) > 1 for acts in off_replies.values()):
        projected = _extreme_rows(projected)
    out = np.zeros((len(projected), num_messages, num_actions))
    for col, j in enumerate(on):
        m, a = index[j]
        out[:, m, a] = projected[:, col]
    return out
