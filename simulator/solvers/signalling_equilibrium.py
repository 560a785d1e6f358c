"""Perfect Bayesian equilibria of signalling games: the result types.

A :class:`SignallingEquilibrium` is one certified equilibrium found by
:func:`simulator.solvers.signalling_pbe.perfect_bayesian_equilibria`: the sender's strategy, the
receiver's strategy and beliefs, the certificate and the supporting beliefs at every unsent
message, each a :class:`BeliefRange` (a union of convex polytopes in the simplex of beliefs over
the types; Fudenberg & Tirole 1991, section 8.2).

References
----------
.. [1] D. Fudenberg and J. Tirole, *Game Theory*, MIT Press, 1991, chapter 8.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from simulator.games.errors import GameError
from simulator.games.signalling import SignallingGame

__all__ = ["BeliefRange", "SignallingEquilibrium"]

METHOD = "signalling support enumeration"
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

    Attributes
    ----------
    types : tuple of str
        The sender's types, the order of the entries of a belief.
    vertices : tuple of numpy.ndarray
        ``vertices[k]``, shape ``(V_k, T)``: the extreme points of piece ``k``, one belief
        per row (read-only); no pieces means the range is empty (:attr:`is_empty`).
    inequalities : tuple of (numpy.ndarray, numpy.ndarray)
        ``(G_k, h_k)`` for each piece: the belief ``mu`` is in piece ``k`` when
        ``G_k @ mu <= h_k`` (read-only arrays).
    tolerance : float
        Slack allowed by :meth:`contains` in each inequality and in ``mu >= 0``.
    intervals : tuple of (float, float)
        For two types only: the pieces as sorted intervals of ``P(first type)``.

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
        >>> from simulator.games.signalling import _beer_quiche
        >>> from simulator.solvers.signalling_pbe import perfect_bayesian_equilibria
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


def _readonly(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array
