"""Is an assessment a sequential equilibrium? Consistency and sequential rationality.

An *assessment* is a behaviour profile ``b`` with beliefs ``mu`` (a probability over
the nodes of every information set). Kreps and Wilson (1982) call it a sequential
equilibrium when it is

* **consistent**: ``(b, mu)`` is the limit of ``(b_k, mu_k)`` with ``b_k`` totally
  mixed and ``mu_k`` the Bayes beliefs of ``b_k``; and
* **sequentially rational**: at every information set, on or off the path, the
  mover's continuation strategy is optimal given ``mu`` and the others' play.

What :func:`is_sequential` checks, exactly
------------------------------------------
Consistency is decided through orders of likelihood (Kreps and Wilson 1982,
Lemma A1; the semialgebraic curve-selection argument makes it exact). The
assessment is consistent if and only if there are *orders* ``lambda_a > 0`` and
*coefficients* ``c_a > 0`` for the actions ``a`` that ``b`` plays with probability
0 such that, with the trembling profile ``b_eps(a) = c_a eps^lambda_a`` on those
actions (and ``b(a)`` renormalised on the others), at every information set ``h``

1. the nodes where ``mu`` is positive are exactly the nodes of ``h`` of least total
   order ``Lambda(v) = sum of lambda_a over the zero-probability actions on the path
   to v`` (strictly smaller than that of the other nodes), and
2. on those nodes ``mu(v)`` is proportional to ``chance(v) * prod b(a) * prod c_a``
   over the path (positive-probability actions, resp. zero-probability ones).

Then ``mu`` is the limit of the Bayes beliefs of ``b_eps`` as ``eps -> 0``;
conversely any sequence of totally mixed profiles can be replaced by an analytic
curve with the same limit, whose leading terms have this form. The two conditions
separate: condition 1 is a linear feasibility problem in the orders (equalities
inside the belief support, ``Lambda(u) - Lambda(v) >= 1`` outside it, ``lambda >= 1``
after scaling; solved by HiGHS), and condition 2, in ``log c_a``, is a linear system
(solved by least squares; the beliefs it implies must match ``mu`` within
``belief_tol``). Probabilities at or below ``zero_tol`` count as zero in ``b`` and
``mu``. Nodes behind chance moves of probability 0 can never be reached; they must
have belief 0, and an information set made only of such nodes is not constrained.

Sequential rationality is checked action by action at every information set: the
gap ``max_a Q(h, a) - sum_a b(h, a) Q(h, a)``, with ``Q`` the belief-weighted
continuation values, must be at most ``tol``
(:func:`~simulator.solvers.extensive_equilibrium.sequential_rationality_regret`).
For consistent assessments in games with perfect recall this one-shot test is
equivalent to optimality of the whole continuation strategy (Hendon, Jacobsen and
Sloth 1996).

References
----------
.. [1] D. M. Kreps and R. Wilson, "Sequential equilibria", *Econometrica* 50 (1982)
   863-894.
.. [2] E. Hendon, H. J. Jacobsen and B. Sloth, "The one-shot-deviation principle for
   sequential rationality", *Games and Economic Behavior* 12 (1996) 274-282.
.. [3] A. Perea y Monsuwé, M. Jansen and H. Peters, "Characterization of consistent
   assessments in extensive form games", *Games and Economic Behavior* 21 (1997)
   238-252.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix, csr_matrix

from simulator.games.behaviour import BehaviourProfile
from simulator.games.errors import GameError
from simulator.games.extensive import ExtensiveGame
from simulator.games.tree import DECISION
from simulator.solvers.extensive_equilibrium import (
    game_tolerances,
    sequential_rationality_regrets,
)

__all__ = ["InfosetCheck", "SequentialCheck", "consistency_orders", "is_sequential"]

#: Probabilities at or below this count as zero (behaviour and beliefs).
ZERO_TOLERANCE = 1e-9
#: Largest accepted gap between the beliefs and those implied by the fitted trembles.
BELIEF_TOLERANCE = 1e-6


@dataclass(frozen=True)
class InfosetCheck:
    """The checks at one information set.

    Attributes
    ----------
    infoset : int
        Index in ``game.infosets``.
    player : str
    label : str
    reach : float
        Probability that ``b`` reaches the information set.
    support : tuple of int
        Nodes with positive belief.
    regret : float
        Gain from the best action over ``b``'s mix here, given the beliefs.
    """

    infoset: int
    player: str
    label: str
    reach: float
    support: tuple[int, ...]
    regret: float


@dataclass(frozen=True)
class SequentialCheck:
    """The verdict of :func:`is_sequential`.

    Attributes
    ----------
    consistent : bool
        The beliefs are limits of Bayes beliefs of totally mixed profiles converging to
        the behaviour (Kreps and Wilson consistency).
    sequentially_rational : bool
        Every information set's gap is at most ``tolerance``.
    regret : float
        The largest gap over all information sets.
    tolerance : float
    details : tuple of InfosetCheck
        One entry per information set of the players.
    orders : dict
        When consistent, a witness: ``{(player, information set label, action): order}``
        of the trembles of the actions played with probability 0 (those on the paths
        into information sets; an order-``k`` action trembles like ``eps**k``).
    reason : str
        Why the assessment is inconsistent (empty when consistent).
    """

    consistent: bool
    sequentially_rational: bool
    regret: float
    tolerance: float
    details: tuple[InfosetCheck, ...]
    orders: dict[tuple[str, str, str], float] = field(default_factory=dict)
    reason: str = ""

    @property
    def is_sequential(self) -> bool:
        """Consistent and sequentially rational: a sequential equilibrium."""
        return self.consistent and self.sequentially_rational

    def __bool__(self) -> bool:
        return self.is_sequential


# ---------------------------------------------------------------------- consistency
@dataclass(frozen=True)
class _Structure:
    """Index arrays of the consistency systems of one assessment."""

    nodes: np.ndarray  # possible decision nodes of player information sets
    infoset: np.ndarray  # their information sets
    zero_actions: np.ndarray  # flat indices of the player actions with probability 0
    incidence: csr_matrix  # (nodes, zero_actions): 1 if the action is on the node's path
    log_fixed: np.ndarray  # log of chance and positive-probability moves on the path


def _structure(game: ExtensiveGame, flat: np.ndarray, zero_tol: float) -> _Structure:
    player_action = np.repeat(game.infoset_player >= 0, game.infoset_num_actions)
    zero = player_action & (flat <= zero_tol)
    edge = game.edge_action
    on_edge = np.where(edge >= 0, zero[np.maximum(edge, 0)], False)
    # Chance and positive moves keep their probability; zero-probability moves count 1.
    weights = np.where(edge >= 0, flat[np.maximum(edge, 0)], 1.0)
    weights = np.where(on_edge, 1.0, weights)
    with np.errstate(divide="ignore"):
        log_fixed_all = np.log(game.path_products(weights))
    decision = np.flatnonzero(
        (game.node_kind == DECISION) & (game.node_player >= 0) & np.isfinite(log_fixed_all)
    )
    zero_actions = np.flatnonzero(zero)
    column = np.full(game.num_actions_total, -1, dtype=np.int64)
    column[zero_actions] = np.arange(zero_actions.shape[0])
    # A node has a zero-probability action on its path iff it lies in the subtree (a
    # contiguous pre-order range) of a child entered by that action.
    starts = np.flatnonzero(on_edge)
    ends = game.subtree_end[starts]
    lo = np.searchsorted(decision, starts)
    hi = np.searchsorted(decision, ends)
    counts = hi - lo
    rows = np.concatenate([np.arange(a, b) for a, b in zip(lo, hi)]) if starts.size else []
    cols = np.repeat(column[edge[starts]], counts)
    incidence = coo_matrix(
        (np.ones(len(rows)), (np.asarray(rows, dtype=np.int64), cols)),
        shape=(decision.shape[0], zero_actions.shape[0]),
    ).tocsr()
    return _Structure(
        nodes=decision,
        infoset=game.node_infoset[decision],
        zero_actions=zero_actions,
        incidence=incidence,
        log_fixed=log_fixed_all[decision],
    )


def _support_rows(
    structure: _Structure, mu: np.ndarray, zero_tol: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Row pairs ``(v, v0)`` inside supports and ``(u, v0)`` outside, ``v0`` a reference node."""
    infoset = structure.infoset
    positive = mu[structure.nodes] > zero_tol
    order = np.lexsort((~positive, infoset))
    sorted_sets = infoset[order]
    first = np.flatnonzero(np.r_[True, sorted_sets[1:] != sorted_sets[:-1]])
    reference = np.repeat(order[first], np.diff(np.r_[first, order.shape[0]]))
    ref_of = np.empty_like(order)
    ref_of[order] = reference
    others = np.arange(order.shape[0]) != ref_of
    inside = np.flatnonzero(others & positive)
    outside = np.flatnonzero(others & ~positive)
    return inside, ref_of[inside], outside, ref_of[outside]


def consistency_orders(
    behaviour: BehaviourProfile,
    beliefs: Any,
    zero_tol: float = ZERO_TOLERANCE,
    belief_tol: float = BELIEF_TOLERANCE,
) -> tuple[dict[tuple[str, str, str], float] | None, str]:
    """Orders of likelihood witnessing consistency of ``(behaviour, beliefs)``, or why not.

    See the module notes for the exact characterisation checked.

    Parameters
    ----------
    behaviour : BehaviourProfile
        The profile of the assessment.
    beliefs : array_like, shape (K,)
        Probability of each decision node given its information set; entries at chance
        and terminal nodes are ignored. Not validated here (:func:`is_sequential`
        checks that they are probabilities summing to 1 over every information set).
    zero_tol : float
        Behaviour probabilities and beliefs at or below this count as zero.
    belief_tol : float
        Largest accepted difference between the beliefs and those of the fitted trembles.

    Returns
    -------
    orders : dict or None
        ``{(player, information set label, action): order}`` for the actions played with
        probability 0 that lie on paths into information sets; ``None`` if inconsistent.
    reason : str
        Empty when consistent, else the failed condition.

    Examples
    --------
    A prior of 1/4 on the left node, which player B reaches only if A trembles to
    ``go`` at one information set: consistency forces B's belief to be the prior.

    >>> from simulator.games.extensive import Chance, Decision, Terminal
    >>> def branch():
    ...     return Decision("A", {"stop": Terminal([0, 0]), "go": Decision(
    ...         "B", {"x": Terminal([1, 1]), "y": Terminal([0, 0])}, "b")}, "a")
    >>> g = ExtensiveGame.from_tree(["A", "B"], Chance({"l": ("1/4", branch()),
    ...                                                 "r": ("3/4", branch())}))
    >>> b = BehaviourProfile.pure(g, {("A", "a"): "stop", ("B", "b"): "x"})
    >>> mu = np.full(g.num_nodes, np.nan); mu[[1, 6]] = [0.25, 0.75]
    >>> mu[[3, 8]] = [0.25, 0.75]
    >>> consistency_orders(b, mu)
    ({('A', 'a', 'go'): 1.0}, '')
    >>> mu[[3, 8]] = [0.5, 0.5]
    >>> consistency_orders(b, mu)[0] is None
    True
    """
    game = behaviour.game
    if not np.any(game.infoset_player >= 0):
        return {}, ""  # nobody moves: nothing to believe
    mu = np.asarray(beliefs, dtype=float)
    flat = behaviour.flat
    structure = _structure(game, flat, zero_tol)
    # Nodes no tremble reaches (behind a chance move of probability 0) must carry no belief.
    decision = np.flatnonzero((game.node_kind == DECISION) & (game.node_player >= 0))
    impossible = np.setdiff1d(decision, structure.nodes)
    # Information sets made only of such nodes are reached by no profile: unconstrained.
    constrained = np.isin(game.node_infoset[impossible], structure.infoset)
    impossible = impossible[constrained]
    heavy = impossible[mu[impossible] > zero_tol]
    if heavy.size:
        v = int(heavy[0])
        return None, (
            f"node {v} lies behind a chance move of probability 0 yet has belief {mu[v]:.3g}"
        )
    if structure.nodes.size == 0:
        return {}, ""
    inside, inside_ref, outside, outside_ref = _support_rows(structure, mu, zero_tol)
    z = structure.incidence
    num = z.shape[1]
    witness: np.ndarray = np.ones(num)
    if num and (inside.size or outside.size):
        equal = (z[inside] - z[inside_ref]).toarray()
        strict = (z[outside] - z[outside_ref]).toarray()
        result = linprog(
            np.ones(num),
            A_ub=-strict if strict.size else None,
            b_ub=-np.ones(strict.shape[0]) if strict.size else None,
            A_eq=equal if equal.size else None,
            b_eq=np.zeros(equal.shape[0]) if equal.size else None,
            bounds=(1, None),
            method="highs",
        )
        if result.status != 0:
            return None, (
                "no orders of likelihood fit the belief supports: the nodes with positive "
                "belief cannot be exactly the least-likely-deviation nodes of every "
                "information set"
            )
        witness = result.x
    elif outside.size:
        return None, (
            f"node {int(structure.nodes[outside[0]])} is reached with positive probability "
            "but has belief 0"
        )
    reason = _coefficient_check(structure, mu, inside, inside_ref, belief_tol)
    if reason:
        return None, reason
    return _labelled_orders(game, structure, witness), ""


def _coefficient_check(
    structure: _Structure, mu: np.ndarray, inside: np.ndarray, ref: np.ndarray, belief_tol: float
) -> str:
    """Fit ``log c_a`` to the belief ratios inside the supports; '' if the fit reproduces mu."""
    if inside.size == 0:
        return ""
    nodes = structure.nodes
    with np.errstate(divide="ignore"):
        log_mu = np.log(mu[nodes])
    target = log_mu[inside] - log_mu[ref] - (structure.log_fixed[inside] - structure.log_fixed[ref])
    z = structure.incidence
    design = (z[inside] - z[ref]).toarray()
    if design.shape[1]:
        coefficients = np.linalg.lstsq(design, target, rcond=None)[0]
        fitted_log = structure.log_fixed + z @ coefficients
    else:
        fitted_log = structure.log_fixed.copy()
    # Beliefs implied by the fit on each support, against the given ones.
    positive = np.zeros(nodes.shape[0], dtype=bool)
    positive[inside] = True
    positive[ref] = True
    infoset = structure.infoset
    shift = np.full(infoset.max() + 1, -np.inf)
    np.maximum.at(shift, infoset[positive], fitted_log[positive])
    weights = np.where(positive, np.exp(fitted_log - shift[infoset]), 0.0)
    totals = np.bincount(infoset, weights=weights, minlength=shift.shape[0])
    implied = np.divide(
        weights, totals[infoset], out=np.zeros_like(weights), where=totals[infoset] > 0
    )
    gaps = np.where(positive, np.abs(implied - mu[nodes]), 0.0)
    worst = int(np.argmax(gaps))
    if gaps[worst] > belief_tol:
        return (
            f"the belief ratios cannot come from trembles: at node {int(nodes[worst])} the "
            f"belief is {mu[nodes[worst]]:.6g}, but the best fitting trembles give "
            f"{implied[worst]:.6g}"
        )
    return ""


def _labelled_orders(
    game: ExtensiveGame, structure: _Structure, witness: np.ndarray
) -> dict[tuple[str, str, str], float]:
    used = np.flatnonzero(np.asarray(structure.incidence.sum(axis=0)).ravel() > 0)
    offsets = game.action_offsets
    out = {}
    for k in used:
        action = int(structure.zero_actions[k])
        h = int(np.searchsorted(offsets, action, side="right") - 1)
        info = game.infosets[h]
        key = (game.players[info.player], info.label, info.actions[action - offsets[h]])
        out[key] = float(witness[k])
    return out


# ---------------------------------------------------------------------- the check
def is_sequential(
    behaviour: BehaviourProfile,
    beliefs: Any,
    tol: float | None = None,
    *,
    zero_tol: float = ZERO_TOLERANCE,
    belief_tol: float = BELIEF_TOLERANCE,
) -> SequentialCheck:
    """Check whether the assessment ``(behaviour, beliefs)`` is a sequential equilibrium.

    Parameters
    ----------
    behaviour : BehaviourProfile
        The profile; the game must have perfect recall.
    beliefs : array_like, shape (K,)
        Probability of each decision node given its information set; NaN (or anything)
        at chance and terminal nodes.
    tol : float, optional
        Largest accepted gap at an information set (default ``1e-8`` times the payoff
        span, at least ``1e-8``).
    zero_tol : float
        Behaviour probabilities and beliefs at or below this count as zero.
    belief_tol : float
        Largest accepted difference between the beliefs and those of the fitted trembles.

    Returns
    -------
    SequentialCheck
        See the module notes for exactly what is checked.

    Raises
    ------
    GameError
        If the beliefs are not probabilities summing to 1 over every information set,
        or the game lacks perfect recall.

    Examples
    --------
    Selten's horse: the assessment with payoffs (1, 1, 1) is a sequential equilibrium;
    in the Nash component with payoffs (3, 2, 2) the second player is not rational at
    his unreached information set.

    >>> from simulator.games.extensive import Decision, Terminal
    >>> def three(tag):
    ...     return Decision("3", {"L": Terminal([0, 0, 1] if tag else [0, 0, 0]),
    ...                           "R": Terminal([4, 4, 0] if tag else [3, 2, 2])}, "h3")
    >>> horse = ExtensiveGame.from_tree(["1", "2", "3"], Decision("1", {
    ...     "A": Decision("2", {"a": Terminal([1, 1, 1]), "D": three(True)}, "h2"),
    ...     "D": three(False)}, "h1"))
    >>> mu = np.full(horse.num_nodes, np.nan); mu[[0, 1]] = 1.0
    >>> mu[[3, 6]] = [0.8, 0.2]
    >>> good = BehaviourProfile.pure(horse, ["A", "a", "L"])
    >>> check = is_sequential(good, mu)
    >>> check.consistent, check.sequentially_rational, check.regret
    (True, True, 0.0)
    >>> mu[[3, 6]] = [0.0, 1.0]
    >>> bad = BehaviourProfile.pure(horse, ["D", "a", "R"])
    >>> check = is_sequential(bad, mu)
    >>> check.consistent, check.sequentially_rational, check.regret
    (True, False, 3.0)
    """
    game = behaviour.game
    if not game.has_perfect_recall():
        raise GameError(
            "the sequential-equilibrium check needs perfect recall; this game does not have it"
        )
    tolerances = game_tolerances(game) if tol is None else np.full(game.num_players, float(tol))
    gains = sequential_rationality_regrets(behaviour, beliefs)  # validates the beliefs
    regret = float(gains.max(initial=0.0))
    tolerance = float(tolerances.max(initial=0.0))
    mu = np.asarray(beliefs, dtype=float).reshape(-1)
    orders, reason = consistency_orders(behaviour, mu, zero_tol, belief_tol)
    details = _details(behaviour, mu, zero_tol)
    return SequentialCheck(
        consistent=orders is not None,
        sequentially_rational=bool(np.all(gains <= tolerances)),
        regret=regret,
        tolerance=tolerance,
        details=details,
        orders=orders or {},
        reason=reason,
    )


def _details(
    behaviour: BehaviourProfile, mu: np.ndarray, zero_tol: float
) -> tuple[InfosetCheck, ...]:
    game = behaviour.game
    reach = behaviour.infoset_reach_probabilities()
    flat = behaviour.flat
    offsets = game.action_offsets
    out = []
    for i, name in enumerate(game.players):
        values = behaviour.infoset_values(i, np.where(np.isfinite(mu), mu, 0.0))
        for h, q in values.items():
            current = float(q @ flat[offsets[h] : offsets[h + 1]])
            info = game.infosets[h]
            support = tuple(v for v in info.nodes if mu[v] > zero_tol)
            out.append(
                InfosetCheck(
                    infoset=h,
                    player=name,
                    label=info.label,
                    reach=float(reach[h]),
                    support=support,
                    regret=max(0.0, float(q.max()) - current),
                )
            )
    out.sort(key=lambda item: item.infoset)
    return tuple(out)
