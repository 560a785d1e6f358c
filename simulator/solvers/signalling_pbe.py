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

The result types live in :mod:`simulator.solvers.signalling_equilibrium`, the polytopes and
the receiver's best-response regions in :mod:`simulator.solvers.signalling_polytopes`; this
module enumerates the support patterns, assembles and certifies the equilibria and applies the
intuitive criterion.

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
from itertools import combinations, product
from typing import Any

import numpy as np

from simulator.games.errors import GameError
from simulator.games.signalling import SignallingGame
from simulator.solvers.equilibrium import tolerance_from_range
from simulator.solvers.signalling_equilibrium import (
    _ZERO,
    METHOD,
    BeliefRange,
    SignallingEquilibrium,
)
from simulator.solvers.signalling_polytopes import (
    _Analysis,
    _reply_points,
    _supporting_beliefs,
    _unique_rows,
    _weight_vertices,
)

__all__ = [
    "BeliefRange",
    "SignallingEquilibrium",
    "perfect_bayesian_equilibria",
    "intuitive_criterion",
]


KINDS = ("all", "pure", "hybrid")
_KIND_ORDER = {"separating": 0, "pooling": 1, "partially pooling": 2, "hybrid": 3}
#: Largest number of support patterns tried before refusing the game as too large.
_PATTERN_LIMIT = 200_000


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

    Parameters
    ----------
    eq : SignallingEquilibrium
        The equilibrium to test (its game, sender payoffs, messages sent and tolerance
        are read).

    Returns
    -------
    bool
        Whether it passes; the value :func:`perfect_bayesian_equilibria` stores in
        ``eq.intuitive`` (which is ``None`` where every message is sent).

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
