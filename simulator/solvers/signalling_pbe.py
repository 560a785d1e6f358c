"""Perfect Bayesian equilibria of signalling games by support enumeration.

A perfect Bayesian equilibrium (PBE) of a signalling game is a sender strategy
``sigma[t, m]``, a receiver strategy ``rho[m, a]`` and beliefs ``mu[m, t]`` such that every
type sends only messages that maximise its payoff given ``rho``, the receiver plays only
best responses to ``mu[m]`` after every message (sent or not), and ``mu[m]`` follows
from the prior and ``sigma`` by Bayes' rule whenever ``m`` is sent with positive
probability (Fudenberg & Tirole 1991, section 8.2).

Method. Enumerate the sender's support pattern (which messages each type uses) and the
receiver's action support after every message sent. Given the supports, the
receiver's indifference and best-response conditions are *linear* in the unnormalised
weights ``w[t, m] = prior[t] * sigma[t, m]``, and the sender's indifference and
no-deviation conditions are *linear* in the receiver's mixtures, so each pattern gives
two independent polytopes whose product is a set of equilibria; their vertices are
found by solving every square system of tight constraints. After an unsent message the
receiver may play any mixture over a set of actions that are all best responses to one
belief; it must deter every type (``sum_a rho[a] u_S[t, m, a] <= v_t``). The set of
beliefs that support the equilibrium there is the union, over such deterring action
sets, of the beliefs to which the whole set is a best response.

Reporting. Several off-path receiver mixtures may support one outcome, so one
equilibrium is reported per *outcome* (the sender strategy and the receiver's behaviour
after sent messages): ``off_path_beliefs`` holds the whole supporting belief set at
each unsent message, and ``receiver``/``beliefs`` there hold one representative (the
first deterring action set, smallest first, with the centre of its belief region).
When on-path equilibria form a continuum, the extreme points of each polytope are
reported.

The intuitive criterion (Cho & Kreps 1987) removes the types for which an unsent message
is equilibrium-dominated (even the best reply to any belief pays less than the
equilibrium payoff) and rejects the equilibrium if some remaining type would gain from
the message against *every* best reply to beliefs concentrated on the remaining types.
Stronger refinements (divinity, universal divinity; Banks & Sobel 1987) restrict
off-path beliefs further and are not implemented here.

References
----------
.. [1] D. Fudenberg and J. Tirole, *Game Theory*, MIT Press, 1991, chapter 8.
.. [2] I.-K. Cho and D. M. Kreps, "Signaling games and stable equilibria", *Quarterly
   Journal of Economics* 102 (1987) 179-221.
.. [3] J. S. Banks and J. Sobel, "Equilibrium selection in signaling games",
   *Econometrica* 55 (1987) 647-661.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import combinations, product
from math import comb
from typing import Any

import numpy as np
from scipy.optimize import linprog

from simulator.games.errors import GameError
from simulator.games.signalling import SignallingGame
from simulator.solvers.equilibrium import tolerance_from_range

__all__ = [
    "BeliefRange",
    "SignallingEquilibrium",
    "perfect_bayesian_equilibria",
    "intuitive_criterion",
]

METHOD = "signalling support enumeration"
KINDS = ("all", "pure", "hybrid")
_KIND_ORDER = {"separating": 0, "pooling": 1, "partially pooling": 2, "hybrid": 3}
#: Largest number of square subsystems one polytope may need (guards against huge games).
_SUBSYSTEM_LIMIT = 2_000_000
#: Largest number of support patterns tried before refusing the game as too large.
_PATTERN_LIMIT = 200_000
#: Probabilities below this are treated as zero when reading supports.
_ZERO = 1e-12


# ---------------------------------------------------------------------- results
@dataclass(frozen=True, eq=False)
class BeliefRange:
    """The beliefs at one unsent message that support an equilibrium there.

    A union of convex polytopes ("pieces") in the simplex of beliefs over the types.
    Piece ``k`` is ``{mu : mu >= 0, sum(mu) = 1, G_k @ mu <= h_k}`` with
    ``inequalities[k] = (G_k, h_k)``; ``vertices[k]`` lists its extreme points, one belief
    per row. With two types the pieces are intervals of ``P(first type)``, merged when they
    overlap, and :attr:`intervals` lists them.

    Examples
    --------
    >>> r = BeliefRange.from_intervals(("weak", "strong"), [(0.5, 1.0)])
    >>> r.intervals, r.contains([0.7, 0.3]), r.contains([0.2, 0.8])
    (((0.5, 1.0),), True, False)
    >>> r
    BeliefRange(P(weak) in [0.5, 1])
    """

    types: tuple[str, ...]
    vertices: tuple[np.ndarray, ...]
    inequalities: tuple[tuple[np.ndarray, np.ndarray], ...]
    tolerance: float = 1e-9

    @classmethod
    def from_intervals(
        cls, types: Sequence[str], intervals: Sequence[tuple[float, float]], tolerance: float = 1e-9
    ) -> BeliefRange:
        """A two-type range from intervals of ``P(first type)`` (merged when they overlap).

        Examples
        --------
        >>> BeliefRange.from_intervals(("a", "b"), [(0.6, 0.8), (0.0, 0.2), (0.7, 0.9)]).intervals
        ((0.0, 0.2), (0.6, 0.9))
        """
        if len(types) != 2:
            raise GameError("intervals describe beliefs over exactly two types")
        merged: list[list[float]] = []
        for lo, hi in sorted((float(lo), float(hi)) for lo, hi in intervals):
            if lo > hi or lo < -tolerance or hi > 1 + tolerance:
                raise GameError(f"[{lo}, {hi}] is not an interval of probabilities")
            if merged and lo <= merged[-1][1] + tolerance:
                merged[-1][1] = max(merged[-1][1], hi)
            else:
                merged.append([lo, hi])
        vertices, inequalities = [], []
        for lo, hi in merged:
            lo, hi = min(max(lo, 0.0), 1.0), min(max(hi, 0.0), 1.0)
            points = [[lo, 1 - lo]] if hi - lo <= tolerance else [[lo, 1 - lo], [hi, 1 - hi]]
            vertices.append(_readonly(np.array(points)))
            inequalities.append(
                (_readonly(np.array([[-1.0, 0.0], [1.0, 0.0]])), _readonly(np.array([-lo, hi])))
            )
        return cls(tuple(types), tuple(vertices), tuple(inequalities), tolerance)

    @property
    def is_empty(self) -> bool:
        return not self.vertices

    @property
    def intervals(self) -> tuple[tuple[float, float], ...]:
        """For two types: the supporting intervals of ``P(first type)``, sorted."""
        if len(self.types) != 2:
            raise GameError(
                f"intervals exist for two types only; this range is over {len(self.types)} "
                "types: use .vertices or .inequalities"
            )
        return tuple(
            (float(v[:, 0].min()), float(v[:, 0].max()))
            for v in sorted(self.vertices, key=lambda v: float(v[:, 0].min()))
        )

    def contains(self, belief: Any) -> bool:
        """True if ``belief`` (a probability vector over the types) supports the equilibrium.

        Examples
        --------
        >>> BeliefRange.from_intervals(("a", "b"), [(0.0, 0.25)]).contains([0.25, 0.75])
        True
        """
        mu = np.asarray(belief, dtype=float).reshape(-1)
        if mu.shape != (len(self.types),):
            raise GameError(f"a belief needs {len(self.types)} probabilities; got {mu.size}")
        tol = self.tolerance
        if np.any(mu < -tol) or abs(mu.sum() - 1.0) > max(tol, 1e-9):
            return False
        return any(bool(np.all(g @ mu <= h + tol)) for g, h in self.inequalities)

    def __repr__(self) -> str:
        if self.is_empty:
            return "BeliefRange(empty)"
        if len(self.types) == 2:
            parts = " or ".join(f"[{lo:.4g}, {hi:.4g}]" for lo, hi in self.intervals)
            return f"BeliefRange(P({self.types[0]}) in {parts})"
        return f"BeliefRange({len(self.vertices)} polytope(s) over {list(self.types)})"


@dataclass(frozen=True, eq=False)
class SignallingEquilibrium:
    """A certified perfect Bayesian equilibrium of a :class:`SignallingGame`.

    Attributes
    ----------
    game : SignallingGame
    sender : numpy array, shape ``(T, M)``
        Each type's probabilities over messages.
    receiver : numpy array, shape ``(M, A)``
        The receiver's mixed action after each message; after an unsent message a
        representative deterring best response.
    beliefs : numpy array, shape ``(M, T)``
        Posterior after each message: Bayes' rule where sent, a supporting belief elsewhere.
    off_path_beliefs : dict
        Unsent message label -> :class:`BeliefRange` of every belief there at which some
        receiver best response deters all types.
    kind : str
        ``"separating"``, ``"pooling"``, ``"partially pooling"`` (pure, neither of the
        others; three or more types) or ``"hybrid"`` (some type randomises).
    sender_payoffs : numpy array, shape ``(T,)``
        Expected payoff of each type.
    receiver_payoff : float
        The receiver's ex-ante expected payoff.
    regret : float
        The largest gain from a deviation: any type switching message, or the receiver
        switching action after any message given its belief there.
    tolerance : float
    intuitive : bool or None
        Passes the intuitive criterion; ``None`` when every message is sent.
    method : str
    parameters : dict
    """

    game: SignallingGame
    sender: np.ndarray
    receiver: np.ndarray
    beliefs: np.ndarray
    off_path_beliefs: dict[str, BeliefRange]
    kind: str
    sender_payoffs: np.ndarray
    receiver_payoff: float
    regret: float
    tolerance: float
    intuitive: bool | None
    method: str = METHOD
    parameters: dict[str, Any] = field(default_factory=dict)

    @property
    def on_path(self) -> np.ndarray:
        """Boolean mask over messages: sent with positive probability."""
        return self.sender.sum(axis=0) > _ZERO

    @property
    def ex_ante_sender_payoff(self) -> float:
        return float(self.game.prior @ self.sender_payoffs)

    def outcome(self) -> dict[str, Any]:
        """The equilibrium in labels: each type's messages and the replies to sent messages.

        Examples
        --------
        >>> eq = perfect_bayesian_equilibria(_beer_quiche(), refine="intuitive")[0]
        >>> eq.outcome()
        {'sender': {'weak': {'beer': 1.0}, 'strong': {'beer': 1.0}}, 'receiver': {'beer': {"don't": 1.0}}}
        """  # noqa: E501
        g = self.game
        sender = {
            t: {m: float(p) for m, p in zip(g.messages, row) if p > _ZERO}
            for t, row in zip(g.types, self.sender)
        }
        receiver = {
            m: {a: float(p) for a, p in zip(g.actions, self.receiver[k]) if p > _ZERO}
            for k, m in enumerate(g.messages)
            if self.on_path[k]
        }
        return {"sender": sender, "receiver": receiver}

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready description."""
        out: dict[str, Any] = {
            "kind": self.kind,
            "sender": self.sender.tolist(),
            "receiver": self.receiver.tolist(),
            "beliefs": self.beliefs.tolist(),
            "off_path_beliefs": {
                m: [v.tolist() for v in r.vertices] for m, r in self.off_path_beliefs.items()
            },
            "sender_payoffs": self.sender_payoffs.tolist(),
            "receiver_payoff": self.receiver_payoff,
            "regret": self.regret,
            "tolerance": self.tolerance,
            "intuitive": self.intuitive,
            "method": self.method,
            "parameters": dict(self.parameters),
        }
        return out

    def __repr__(self) -> str:
        g = self.game
        parts = []
        for t, row in zip(g.types, self.sender):
            used = ", ".join(f"{m}={p:.4g}" for m, p in zip(g.messages, row) if p > _ZERO)
            parts.append(f"{t}: {used}")
        replies = []
        for k, m in enumerate(g.messages):
            row = self.receiver[k]
            used = ", ".join(f"{a}={p:.4g}" for a, p in zip(g.actions, row) if p > _ZERO)
            note = "" if self.on_path[k] else " (off path)"
            replies.append(f"{m}: {used}{note}")
        pay = ", ".join(f"{u:.4g}" for u in self.sender_payoffs)
        return (
            f"<SignallingEquilibrium {self.kind} | {'; '.join(parts)} | {'; '.join(replies)} "
            f"| sender payoffs ({pay}), receiver {self.receiver_payoff:.4g} "
            f"| regret {self.regret:.1e}>"
        )


# ---------------------------------------------------------------------- polytopes
def _readonly(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


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


# ---------------------------------------------------------------------- assembly
def _regret(game: SignallingGame, sigma: np.ndarray, rho: np.ndarray, mu: np.ndarray) -> float:
    values = np.einsum("tma,ma->tm", game.sender_payoffs, rho)
    sender = values.max(axis=1) - (sigma * values).sum(axis=1)
    expected = np.einsum("mt,tma->ma", mu, game.receiver_payoffs)
    receiver = expected.max(axis=1) - (rho * expected).sum(axis=1)
    return float(max(sender.max(), receiver.max(), 0.0))


def _classify(sigma: np.ndarray) -> str:
    if np.any(sigma.max(axis=1) < 1.0 - 1e-9):
        return "hybrid"
    chosen = set(sigma.argmax(axis=1).tolist())
    if len(chosen) == 1:
        return "pooling"
    if len(chosen) == len(sigma):
        return "separating"
    return "partially pooling"


def _clean(vectors: np.ndarray) -> np.ndarray:
    """Zero out round-off and renormalise each row to a probability vector."""
    out = np.where(vectors > _ZERO, vectors, 0.0)
    return out / out.sum(axis=-1, keepdims=True)


def _intuitive(an: _Analysis, values: np.ndarray, on_path: np.ndarray) -> bool:
    """The Cho-Kreps intuitive criterion at every unsent message."""
    tol = an.tol
    for m in np.flatnonzero(~on_path):
        replies = an.rationalisable_actions(int(m), an.all_types)
        best = an.u_s[:, m, replies].max(axis=1)
        # Types for which m is not equilibrium-dominated.
        remaining = tuple(int(t) for t in np.flatnonzero(values <= best + tol))
        if not remaining:
            continue
        restricted = an.rationalisable_actions(int(m), remaining)
        worst = an.u_s[np.ix_(remaining, [int(m)], restricted)][:, 0, :].min(axis=1)
        if np.any(worst > values[list(remaining)] + tol):
            return False
    return True


def _assemble(
    an: _Analysis, weights: np.ndarray, replies: np.ndarray, parameters: dict[str, Any]
) -> SignallingEquilibrium | None:
    """Complete a candidate outcome into a certified equilibrium, or ``None``."""
    game = an.game
    sigma = _clean(weights / game.prior[:, None])
    joint = game.prior[:, None] * sigma
    mass = joint.sum(axis=0)
    on_path = mass > _ZERO
    beliefs = np.zeros((an.num_messages, an.num_types))
    beliefs[on_path] = (joint[:, on_path] / mass[on_path]).T
    rho = np.zeros((an.num_messages, an.num_actions))
    rho[on_path] = _clean(np.clip(replies[on_path], 0.0, None))
    values = (sigma * np.einsum("tma,ma->tm", game.sender_payoffs, rho)).sum(axis=1)
    off_path: dict[str, BeliefRange] = {}
    for m in np.flatnonzero(~on_path):
        support = _supporting_beliefs(an, int(m), values)
        if support is None:
            return None
        off_path[game.messages[m]], rho[m], beliefs[m] = support
    regret = _regret(game, sigma, rho, beliefs)
    if not regret <= an.tol:
        return None
    for array in (sigma, rho, beliefs, values):
        array.setflags(write=False)
    receiver_payoff = float(np.einsum("tm,tma,ma->", joint, game.receiver_payoffs, rho))
    return SignallingEquilibrium(
        game=game,
        sender=sigma,
        receiver=rho,
        beliefs=beliefs,
        off_path_beliefs=off_path,
        kind=_classify(sigma),
        sender_payoffs=values,
        receiver_payoff=receiver_payoff,
        regret=regret,
        tolerance=an.tol,
        intuitive=_intuitive(an, values, on_path) if off_path else None,
        method=METHOD,
        parameters=dict(parameters),
    )


def _subsets(n: int, singletons_only: bool) -> list[tuple[int, ...]]:
    sizes = [1] if singletons_only else range(1, n + 1)
    return [c for size in sizes for c in combinations(range(n), size)]


def _same_outcome(a: SignallingEquilibrium, b: SignallingEquilibrium, atol: float) -> bool:
    on = a.on_path
    return (
        bool(np.array_equal(on, b.on_path))
        and np.abs(a.sender - b.sender).max() <= atol
        and np.abs(a.receiver[on] - b.receiver[on]).max(initial=0.0) <= atol
    )


#: Above this payoff magnitude the linear programs are solved on a rescaled copy of the game.
_LARGE = 1e6


def _rescaled(game: SignallingGame) -> SignallingGame:
    """The game with each type's payoffs and the receiver's mapped affinely onto [0, 1].

    A positive affine map of each type's payoffs, and one of the receiver's (the same for every
    type), leaves the perfect Bayesian equilibria unchanged: every comparison a player makes is
    between payoffs of one type (the sender) or is an expectation over types of one map (the
    receiver).
    """
    u = game.sender_payoffs.astype(float)
    low = u.min(axis=(1, 2), keepdims=True)
    span = np.maximum(u.max(axis=(1, 2), keepdims=True) - low, np.finfo(float).tiny)
    v = game.receiver_payoffs.astype(float)
    v_span = max(float(v.max() - v.min()), np.finfo(float).tiny)
    return SignallingGame(
        game.types,
        game.prior,
        game.messages,
        game.actions,
        (u - low) / span,
        (v - v.min()) / v_span,
        players=game.players,
        title=game.title,
    )


def _default_tolerance(game: SignallingGame) -> float:
    """The looser of the sender's and the receiver's regret bounds (one per game)."""
    return float(
        max(
            tolerance_from_range(payoffs.min(), payoffs.max())
            for payoffs in (game.sender_payoffs, game.receiver_payoffs)
        )
    )


def _solved_rescaled(
    game: SignallingGame, kind: str, tol: float | None, refine: str | None
) -> list[SignallingEquilibrium]:
    """Equilibria of a game with huge payoffs: found on the rescaled game, certified on this one."""
    tolerance = _default_tolerance(game) if tol is None else float(tol)
    out = []
    for eq in perfect_bayesian_equilibria(_rescaled(game), kind, None, refine):
        sigma, rho, beliefs = eq.sender, eq.receiver, eq.beliefs
        values = (sigma * np.einsum("tma,ma->tm", game.sender_payoffs, rho)).sum(axis=1)
        joint = game.prior[:, None] * sigma
        regret = _regret(game, sigma, rho, beliefs)
        if not regret <= tolerance:
            continue
        values.setflags(write=False)
        out.append(
            dataclasses.replace(
                eq,
                game=game,
                sender_payoffs=values,
                receiver_payoff=float(np.einsum("tm,tma,ma->", joint, game.receiver_payoffs, rho)),
                regret=regret,
                tolerance=tolerance,
                parameters={**eq.parameters, "rescaled": True},
            )
        )
    return out


def perfect_bayesian_equilibria(
    game: SignallingGame, kind: str = "all", tol: float | None = None, refine: str | None = None
) -> list[SignallingEquilibrium]:
    """Perfect Bayesian equilibria of a signalling game, each with its certificate.

    Parameters
    ----------
    game : SignallingGame
    kind : {"all", "pure", "hybrid"}
        ``"pure"``: the sender uses a pure strategy (separating, pooling or partially
        pooling; the receiver may mix); ``"hybrid"``: some type randomises.
    tol : float, optional
        Largest regret accepted (default ``1e-8 * max(1, payoff span)``).
    refine : {None, "intuitive"}
        ``"intuitive"`` keeps the equilibria that pass the Cho-Kreps intuitive criterion
        (those with every message sent pass trivially).

    Returns
    -------
    list of SignallingEquilibrium
        One per outcome (sender strategy and replies to sent messages); separating first,
        then pooling, partially pooling and hybrid, each group in decreasing order of the
        sender's probabilities. Where equilibria form a continuum (degenerate games), the
        extreme points of each support pattern's polytopes are returned, so a convex set
        of equilibria whose extreme points are pure yields no ``"hybrid"`` entry.

    Examples
    --------
    >>> eqs = perfect_bayesian_equilibria(_beer_quiche())
    >>> [(e.kind, e.outcome()["sender"]["weak"], round(e.ex_ante_sender_payoff, 6)) for e in eqs]
    [('pooling', {'beer': 1.0}, 2.9), ('pooling', {'quiche': 1.0}, 2.1)]
    >>> eqs[0].off_path_beliefs
    {'quiche': BeliefRange(P(weak) in [0.5, 1])}
    >>> [e.intuitive for e in eqs]
    [True, False]
    """
    if not isinstance(game, SignallingGame):
        raise GameError(f"expected a SignallingGame, got {type(game).__name__}")
    both = np.concatenate([game.sender_payoffs.ravel(), game.receiver_payoffs.ravel()])
    if not np.all(np.isfinite(both)):
        raise GameError("the game's payoffs must be finite numbers")
    if np.abs(both).max() > _LARGE:
        return _solved_rescaled(game, kind, tol, refine)
    if kind not in KINDS:
        raise GameError(f"kind must be one of {KINDS}; got {kind!r}")
    if refine not in (None, "intuitive"):
        raise GameError(f"refine must be None or 'intuitive'; got {refine!r}")
    tolerance = _default_tolerance(game) if tol is None else float(tol)
    an = _Analysis(game, tolerance)
    num_types, num_messages, num_actions = game.shape
    message_sets = _subsets(num_messages, singletons_only=kind == "pure")
    if len(message_sets) ** num_types > _PATTERN_LIMIT:
        raise GameError(
            f"{len(message_sets) ** num_types} sender support patterns: the game is too large "
            "for support enumeration; try kind='pure' or fewer messages"
        )
    parameters = {"kind": kind, "refine": refine}
    found: list[SignallingEquilibrium] = []
    atol = 1e-7
    for senders in product(message_sets, repeat=num_types):
        if kind == "hybrid" and all(len(s) == 1 for s in senders):
            continue
        sent = sorted({m for s in senders for m in s})
        unsent = [m for m in range(num_messages) if m not in sent]
        users = {m: tuple(t for t in range(num_types) if m in senders[t]) for m in sent}
        reply_options = [an.supports(m, users[m]) for m in sent]
        off_options = [an.maximal_supports(m) for m in unsent]
        for choice in product(*reply_options):
            replies = dict(zip(sent, choice))
            weights = _weight_vertices(an, senders, replies)
            if not len(weights):
                continue
            points = [
                _reply_points(an, senders, replies, dict(zip(unsent, off)))
                for off in product(*off_options)
            ]
            reply_candidates = _unique_rows(
                np.concatenate([p.reshape(len(p), num_messages * num_actions) for p in points])
            ).reshape(-1, num_messages, num_actions)
            for w, r in product(weights, reply_candidates):
                eq = _assemble(an, w, r, parameters)
                if eq is None or any(_same_outcome(eq, e, atol) for e in found):
                    continue
                found.append(eq)
    if kind == "pure":
        found = [e for e in found if e.kind != "hybrid"]
    elif kind == "hybrid":
        found = [e for e in found if e.kind == "hybrid"]
    if refine == "intuitive":
        found = [e for e in found if e.intuitive is not False]
    found.sort(
        key=lambda e: (
            _KIND_ORDER[e.kind],
            tuple(-e.sender.ravel()),
            tuple(-(e.receiver * e.on_path[:, None]).ravel()),
        )
    )
    return found


def intuitive_criterion(eq: SignallingEquilibrium) -> bool:
    """True if ``eq`` passes the Cho-Kreps (1987) intuitive criterion.

    At each unsent message, types whose equilibrium payoff exceeds the best they could
    get from any receiver best reply (to any belief) are removed; the equilibrium fails if
    a remaining type gets more than its equilibrium payoff from every best reply to beliefs
    concentrated on the remaining types. An equilibrium in which every message is sent
    passes trivially.

    Examples
    --------
    >>> beer_pool, quiche_pool = perfect_bayesian_equilibria(_beer_quiche())
    >>> intuitive_criterion(beer_pool), intuitive_criterion(quiche_pool)
    (True, False)
    """
    an = _Analysis(eq.game, eq.tolerance)
    return _intuitive(an, np.asarray(eq.sender_payoffs, dtype=float), eq.on_path)


def _beer_quiche() -> SignallingGame:
    from simulator.games.signalling import _beer_quiche as make

    return make()
