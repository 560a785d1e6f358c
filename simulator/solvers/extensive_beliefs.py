"""Beliefs of an assessment in an extensive-form game, and the certificate of sequential
rationality.

:func:`default_beliefs` completes a behaviour profile's beliefs off the path;
:func:`sequential_rationality_gaps` measures, at every information set on and off the path, the
gain of its mover from switching action there given the beliefs and the continuation behaviour
(the one-shot deviation gap). With consistent beliefs (Kreps and Wilson 1982), or any beliefs that
follow Bayes' rule after every deviation, a zero gap everywhere is sequential rationality
(Hendon, Jacobsen and Sloth 1996). :func:`infoset_tolerances` gives each information set the
bound its own payoffs resolve.

References
----------
.. [1] D. M. Kreps and R. Wilson, "Sequential equilibria", *Econometrica* 50 (1982)
   863-894.
.. [2] E. Hendon, H. J. Jacobsen and B. Sloth, "The one-shot-deviation principle for
   sequential rationality", *Games and Economic Behavior* 12 (1996) 274-282.
.. [3] D. Fudenberg and J. Tirole, "Perfect Bayesian equilibrium and sequential
   equilibrium", *Journal of Economic Theory* 53 (1991) 236-260.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from simulator.games.behaviour import BehaviourProfile
from simulator.games.errors import GameError
from simulator.games.extensive import ExtensiveGame
from simulator.games.tree import DECISION, TERMINAL
from simulator.solvers.equilibrium import tolerance_from_range
from simulator.solvers.extensive_best_response import _others_weights

__all__ = [
    "default_beliefs",
    "infoset_tolerances",
    "sequential_rationality_gaps",
    "sequential_rationality_regret",
    "sequential_rationality_regrets",
]

#: Beliefs at an information set must sum to 1 within this tolerance.
BELIEF_TOLERANCE = 1e-6


# ---------------------------------------------------------------------- beliefs
def default_beliefs(behaviour: BehaviourProfile) -> np.ndarray:
    """Beliefs derived from a behaviour profile, on and off the path.

    At each information set of player ``i`` the beliefs are, in order of preference:

    1. Bayes' rule on the realisation probabilities, where the set is reached;
    2. proportional to the probability of the chance and *other* players' moves on
       the path (``i`` assumes their own deviation led there: with perfect recall
       ``i``'s own moves weigh all nodes of the set alike, so on the path this is
       the same as 1);
    3. proportional to the chance probabilities on the path;
    4. uniform.

    Returns a (K,) array, NaN at chance and terminal nodes.

    Parameters
    ----------
    behaviour : BehaviourProfile
        The profile whose realisation probabilities (and, off the path, whose other
        players' and chance moves) weigh the nodes.

    Returns
    -------
    numpy.ndarray, shape (K,)
        The probability of each decision node given its information set (summing to 1
        over each set); NaN at chance and terminal nodes.

    Examples
    --------
    >>> from simulator.games.extensive import Chance, Decision, Terminal
    >>> g = ExtensiveGame.from_tree(["A", "B"], Chance({
    ...     "a": ("1/4", Decision("A", {"stop": Terminal([0, 0]), "go": Decision("B", {
    ...         "x": Terminal([1, 1]), "y": Terminal([0, 0])}, "b")})),
    ...     "b": ("3/4", Decision("A", {"stop": Terminal([0, 0]), "go": Decision("B", {
    ...         "x": Terminal([0, 0]), "y": Terminal([1, 1])}, "b")}))}))
    >>> b = BehaviourProfile.from_dict(g, {("A", "a"): {"stop": 1}, ("A", "b"): {"stop": 1},
    ...                                    ("B", "b"): {"x": 1}})
    >>> default_beliefs(b)[[3, 8]].tolist()
    [0.25, 0.75]
    """
    game = behaviour.game
    out = behaviour.beliefs()
    decision = np.flatnonzero(game.node_kind == DECISION)
    missing = decision[np.isnan(out[decision])]
    if missing.size == 0:
        return out
    infoset = game.node_infoset
    others = game.path_products(_others_weights(behaviour))
    chance = game.path_products(game.chance_edge_probabilities)
    candidates = (
        others[missing, game.node_player[missing]],
        chance[missing],
        np.ones(missing.shape[0]),
    )
    pending = np.ones(missing.shape[0], dtype=bool)
    for weight in candidates:
        total = np.bincount(
            infoset[missing], weights=np.where(pending, weight, 0.0), minlength=game.num_infosets
        )
        mass = total[infoset[missing]]
        ok = pending & (mass > 0)
        out[missing[ok]] = weight[ok] / mass[ok]
        pending &= ~ok
    return out


def _checked_beliefs(game: ExtensiveGame, beliefs: Any) -> np.ndarray:
    mu = np.array(beliefs, dtype=float).reshape(-1)
    if mu.shape != (game.num_nodes,):
        raise GameError(
            f"beliefs need one entry per node ({game.num_nodes}); got {mu.size}. Use NaN at "
            "chance and terminal nodes"
        )
    decision = np.flatnonzero(game.node_kind == DECISION)
    values = mu[decision]
    bad = decision[~np.isfinite(values) | (values < -1e-9)]
    if bad.size:
        raise GameError(
            f"the belief at decision node {bad[0]} is {mu[bad[0]]}; beliefs must be "
            "probabilities at every decision node, on and off the path"
        )
    sums = np.bincount(game.node_infoset[decision], weights=values, minlength=game.num_infosets)
    own = np.flatnonzero(game.infoset_player >= 0)
    wrong = own[np.abs(sums[own] - 1.0) > BELIEF_TOLERANCE]
    if wrong.size:
        info = game.infosets[wrong[0]]
        raise GameError(
            f"beliefs at information set {info.label!r} of {game.players[info.player]!r} sum to "
            f"{sums[wrong[0]]:.6g}, not 1"
        )
    mu[game.node_kind != DECISION] = np.nan
    return mu


def sequential_rationality_regret(behaviour: BehaviourProfile, beliefs: Any) -> float:
    """Largest gain from switching action at any information set, given the beliefs.

    At every information set ``h`` of every player, on and off the path, the gain is
    ``max_a Q(h, a) - sum_a b(h, a) Q(h, a)``, where ``Q(h, a)`` is the expected payoff
    of playing ``a`` at ``h`` and following the profile afterwards, the nodes of ``h``
    weighted by ``beliefs``. With consistent beliefs (Kreps and Wilson 1982), or any
    beliefs that follow Bayes' rule after every deviation, a zero gap at every
    information set is equivalent to sequential rationality: the one-shot deviation
    principle (Hendon, Jacobsen and Sloth 1996).

    Parameters
    ----------
    behaviour : BehaviourProfile
    beliefs : array_like, shape (K,)
        Probability of each decision node given its information set (sums to 1 over
        each information set); entries at chance and terminal nodes are ignored.

    Returns
    -------
    float
        The largest gain over all players' information sets, ``>= 0``; ``0.0`` when no
        player moves.

    Raises
    ------
    GameError
        If ``beliefs`` does not have one entry per node, a belief at a decision node is
        negative or not finite, or the beliefs at a player's information set do not sum
        to 1 (within ``1e-6``).

    Examples
    --------
    >>> from simulator.games.extensive import Decision, Terminal
    >>> g = ExtensiveGame.from_tree(["E", "I"], Decision("E", {
    ...     "out": Terminal([0, 2]),
    ...     "in": Decision("I", {"fight": Terminal([-1, -1]), "share": Terminal([1, 1])})}))
    >>> b = BehaviourProfile.pure(g, ["out", "fight"])
    >>> sequential_rationality_regret(b, default_beliefs(b))
    2.0
    """
    return float(sequential_rationality_regrets(behaviour, beliefs).max(initial=0.0))


def sequential_rationality_regrets(behaviour: BehaviourProfile, beliefs: Any) -> np.ndarray:
    """Each player's largest gain from switching action at one of its information sets.

    The per-player form of :func:`sequential_rationality_regret`.

    Parameters
    ----------
    behaviour : BehaviourProfile
    beliefs : array_like, shape (K,)
        Probability of each decision node given its information set.

    Returns
    -------
    numpy array, shape (N,)

    Examples
    --------
    >>> from simulator.games.extensive import Decision, Terminal
    >>> g = ExtensiveGame.from_tree(["E", "I"], Decision("E", {
    ...     "out": Terminal([0, 2]),
    ...     "in": Decision("I", {"fight": Terminal([-1, -1]), "share": Terminal([1, 1])})}))
    >>> b = BehaviourProfile.pure(g, ["out", "fight"])
    >>> sequential_rationality_regrets(b, default_beliefs(b))
    array([0., 2.])
    """
    game = behaviour.game
    out = np.zeros(game.num_players)
    gaps = sequential_rationality_gaps(behaviour, beliefs)
    own = np.flatnonzero(game.infoset_player >= 0)
    np.maximum.at(out, game.infoset_player[own], gaps[own])
    return out


def sequential_rationality_gaps(behaviour: BehaviourProfile, beliefs: Any) -> np.ndarray:
    """The gain of each information set's mover from its best action there.

    Action values are expectations over the set's nodes under ``beliefs``, play
    continuing by ``behaviour`` (the one-shot deviation gap).

    Parameters
    ----------
    behaviour : BehaviourProfile
    beliefs : array_like, shape (K,)
        Probability of each decision node given its information set.

    Returns
    -------
    numpy array, shape (H,)
        Zero at chance information sets.

    Examples
    --------
    >>> from simulator.games.extensive import Decision, Terminal
    >>> g = ExtensiveGame.from_tree(["E", "I"], Decision("E", {
    ...     "out": Terminal([0, 2]),
    ...     "in": Decision("I", {"fight": Terminal([-1, -1]), "share": Terminal([1, 1])})}))
    >>> b = BehaviourProfile.pure(g, ["out", "fight"])
    >>> sequential_rationality_gaps(b, default_beliefs(b))
    array([0., 2.])
    """
    game = behaviour.game
    mu = _checked_beliefs(game, beliefs)
    gaps = np.zeros(game.num_infosets)
    kids = game.children
    movers = game.parent[kids]
    mine = kids[game.node_kind[movers] == DECISION]
    if mine.size == 0:
        return gaps
    values = behaviour.node_values()
    up = game.parent[mine]
    q = np.bincount(
        game.edge_action[mine],
        weights=mu[up] * values[mine, game.node_player[up]],
        minlength=game.num_actions_total,
    )
    starts = game.action_offsets[:-1]
    best = np.maximum.reduceat(q, starts)
    current = np.add.reduceat(q * behaviour.flat, starts)
    own = game.infoset_player >= 0
    gaps[own] = (best - current)[own]
    return gaps


def infoset_tolerances(game: ExtensiveGame) -> np.ndarray:
    """Each information set's own bound: the mover's payoffs reachable below it, through
    :func:`~simulator.solvers.equilibrium.tolerance_from_range`.

    A gain at an information set is made of the payoffs below it, so float arithmetic
    resolves it to that precision, however large the player's payoffs are elsewhere.

    Parameters
    ----------
    game : ExtensiveGame
        The game; only its tree and terminal payoffs are read.

    Returns
    -------
    numpy array, shape (H,)
        ``inf`` at chance information sets.

    Examples
    --------
    >>> from simulator.games.extensive import Decision, Terminal
    >>> g = ExtensiveGame.from_tree(["A", "B"], Decision("A", {
    ...     "L": Decision("B", {"a": Terminal([0, 0]), "b": Terminal([0, 1.5])}),
    ...     "R": Terminal([1e19, 1e19])}))
    >>> infoset_tolerances(g)
    array([1.0e+11, 1.5e-08])
    """
    n = game.num_players
    low = np.where(game.node_kind[:, None] == TERMINAL, game.terminal_payoffs, np.inf)
    high = np.where(game.node_kind[:, None] == TERMINAL, game.terminal_payoffs, -np.inf)
    for level in reversed(game.depth_levels()[1:]):
        np.minimum.at(low, game.parent[level], low[level])
        np.maximum.at(high, game.parent[level], high[level])
    out = np.full(game.num_infosets, np.inf)
    decision = np.flatnonzero((game.node_kind == DECISION) & (game.node_player >= 0))
    if decision.size == 0:
        return out
    h = game.node_infoset[decision]
    set_low = np.full((game.num_infosets, n), np.inf)
    set_high = np.full((game.num_infosets, n), -np.inf)
    np.minimum.at(set_low, h, low[decision])
    np.maximum.at(set_high, h, high[decision])
    rows = np.unique(h)
    owner = game.infoset_player[rows]
    out[rows] = tolerance_from_range(set_low[rows, owner], set_high[rows, owner])
    return out
