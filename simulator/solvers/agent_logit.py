"""Logit agent quantal response equilibria of extensive games, traced to a sequential equilibrium.

In the logit *agent* quantal response equilibrium (AQRE) of McKelvey and Palfrey
(1998) every information set is an agent who plays each action with probability
proportional to ``exp(lambda * U_h(a))``, where ``U_h(a)`` is the owner's expected
payoff of playing ``a`` at ``h`` and following the profile afterwards, the nodes of
``h`` weighted by the Bayes beliefs of the profile. Every AQRE is totally mixed, so
the beliefs are always defined. At ``lambda = 0`` the AQRE is uniform play; the
branch of AQREs starting there is traced as ``lambda`` grows, and its limit is a
sequential equilibrium whose beliefs are the limits of the Bayes beliefs along the
branch, hence consistent (McKelvey and Palfrey 1998, Theorem 3; Kreps and Wilson
1982).

Tracing
-------
The branch is the solution curve of ``H(v, lambda) = 0`` in the log-probabilities
``v`` of the players' actions, per information set ``h``:

* ``sum_a exp(v_ha) - 1 = 0``,
* ``v_ha - v_h0 - lambda (U_h(a) - U_h(0)) = 0`` for each other action ``a``,

followed by the predictor-corrector path follower of
:mod:`simulator.solvers.logit` (Turocy 2005; Allgower and Georg 1990), which only
needs ``H`` and its Jacobian. Each player's payoffs are normalised by their own span,
so ``lambda`` is scale-free and a player with small stakes beside another's is not
drowned by them. Everything is computed in log space: the
log realisation probability of a node is the sum of the log-probabilities on its
path, beliefs are a log-sum-exp over the information set, and
``U_h(a) = sum_t u(t) exp(log rho(t) - v_ha - log R_h)`` over the terminal nodes
``t`` below action ``a`` at ``h`` (``R_h`` the probability of reaching ``h``), so
information sets reached with probability ``exp(-10**6)`` are handled exactly. With
perfect recall a path crosses ``h`` at most once and ``U_h`` does not depend on
``h``'s own probabilities, which gives the Jacobian in closed form as two (sparse or,
for small trees, dense) matrix products.

The limit
---------
An action is in the limit's support when its probability at ``max_lambda`` exceeds a
threshold and does not fall like a power of ``1/lambda``. Every other action
trembles: far out the branch is nearly a straight line in log-probabilities, so
``v_a ~ alpha_a - o_a lambda`` (order ``o_a > 0``, read off the secant over the last
half of the branch) or, for an action tied in the limit, ``v_a ~ alpha_a - r_a log
lambda`` (a second tier of orders). A node's limit belief is positive exactly when its
total order (the sum over its path, compared first by ``o``, then by ``r``) is the
least in its information set, and then proportional to chance times the support
probabilities times ``exp(sum alpha_a)`` on its path. Gauss-Newton (minimum-norm
steps) then solves, from the traced point, the limit equations: probabilities summing
to one and every support action of an information set equally good given these
beliefs and the play that follows. The unknowns are the support log-probabilities and
the coefficients ``alpha_a``; any coefficients give consistent beliefs (Kreps and
Wilson 1982, Lemma A1), so adjusting them only picks the off-path beliefs. The result
is an assessment whose beliefs come from trembles of explicit orders (consistent by
construction, and re-checked by
:func:`simulator.solvers.sequential.consistency_orders`) and whose
sequential-rationality gap is at rounding level. Thresholds ``1e-6, 1e-3, 1e-9,
1e-12`` are tried in turn; if none works the traced point itself is returned, marked
``refined=False``.

Limitations: in games with exact payoff ties the branch can meet bifurcation points
where the path follower stalls before ``max_lambda``; the limit is then refined from
the last point, which may fail. Large trees can have branches that fold back many
times (many steps).

References
----------
.. [1] R. D. McKelvey and T. R. Palfrey, "Quantal response equilibria for extensive
   form games", *Experimental Economics* 1 (1998) 9-41.
.. [2] D. M. Kreps and R. Wilson, "Sequential equilibria", *Econometrica* 50 (1982)
   863-894.
.. [3] T. L. Turocy, "A dynamic homotopy interpretation of the logistic quantal response
   equilibrium correspondence", *Games and Economic Behavior* 51 (2005) 243-263.
.. [4] E. L. Allgower and K. Georg, *Numerical Continuation Methods*, Springer, 1990.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix

from simulator.games.behaviour import BehaviourProfile
from simulator.games.errors import GameError
from simulator.games.extensive import ExtensiveGame
from simulator.games.tree import DECISION
from simulator.solvers.equilibrium import CertificationError
from simulator.solvers.extensive_equilibrium import (
    certify_extensive,
    game_tolerances,
    sequential_rationality_regret,
    sequential_rationality_regrets,
)
from simulator.solvers.logit import _Branch
from simulator.solvers.sequential import consistency_orders

if TYPE_CHECKING:
    from simulator.solvers.extensive_equilibrium import ExtensiveEquilibrium

__all__ = ["AgentLogitResult", "sequential_equilibrium", "trace_agent_logit"]

#: Probability thresholds tried, in turn, to read the limit's support off the traced point.
_SUPPORT_THRESHOLDS = (1e-6, 1e-3, 1e-9, 1e-12)
#: Total orders of likelihood this close are equal (orders are in units of the payoff span).
_ORDER_TIE = 1e-6
#: An action whose log-probability falls faster than this times log(lambda) is vanishing.
_SLOW_RATE = 0.25
#: Second-tier orders (powers of 1/lambda of ties that vanish slowly) this close are equal.
_RATE_TIE = 1e-2
_NEWTON_STEPS = 60
_NEWTON_TOL = 1e-13
#: Largest Newton step in log-probabilities (damping).
_MAX_NEWTON_STEP = 2.0
#: Incidence matrices with at most this many entries are also kept dense.
_DENSE_LIMIT = 4_000_000


@dataclass(frozen=True, eq=False)
class AgentLogitResult:
    """The traced branch of logit agent QREs and its limit.

    Attributes
    ----------
    game : ExtensiveGame
    lambdas : numpy array
        Precisions along the branch (normalised payoff scale: payoffs divided by their
        span).
    profiles : list of BehaviourProfile
        The AQRE at each precision.
    limit : BehaviourProfile
        The refined limit (a sequential equilibrium with ``beliefs`` when ``refined``),
        else the AQRE at ``final_lambda``.
    beliefs : numpy array, shape (K,)
        The limit beliefs (NaN at chance and terminal nodes).
    final_lambda : float
        The precision reached.
    refined : bool
        True when the limit equations were solved (see the module notes).
    regret : float
        Sequential-rationality gap of ``(limit, beliefs)`` in the game's payoff units.
    orders : dict
        Order of likelihood of each action the limit does not play,
        ``{(player, information set label, action): order}``: its probability along the
        branch falls like ``exp(-order * lambda)`` (payoffs normalised by their span);
        order 0 marks an action tied in the limit whose probability falls more slowly,
        like a power of ``1 / lambda``.
    """

    game: ExtensiveGame
    lambdas: np.ndarray
    profiles: list[BehaviourProfile]
    limit: BehaviourProfile
    beliefs: np.ndarray
    final_lambda: float
    refined: bool
    regret: float
    orders: dict[tuple[str, str, str], float] = field(default_factory=dict)


# ---------------------------------------------------------------------- structure
@dataclass(frozen=True, eq=False)
class _Structure:
    """Behaviour-independent index arrays of one game."""

    sizes: tuple[int, ...]  # actions of each agent (player information set)
    offsets: np.ndarray  # (H+1,) variable ranges of the agents
    agents: np.ndarray  # information-set index of each agent
    var_flat: np.ndarray  # (m,) flat action of each variable
    var_agent: np.ndarray  # (m,) agent of each variable
    chance_flat: np.ndarray  # (A,) chance probabilities in the flat layout (NaN elsewhere)
    decision_nodes: np.ndarray  # player decision nodes
    node_agent: np.ndarray  # their agents
    path_incidence: csr_matrix  # (K, m): variables on the path to each node
    node_incidence: csr_matrix  # its rows of the player decision nodes
    log_chance_nodes: np.ndarray  # log of the positive chance probabilities on the path
    base_nodes: np.ndarray  # nodes with the fewest chance moves of probability 0 in their set
    terminal_incidence: csr_matrix  # (terminals, m)
    log_chance_terminals: np.ndarray
    base_pairs: np.ndarray  # pairs with no chance move of probability 0 after the action
    pair_row: np.ndarray  # row (in decision_nodes) of the node where the pair's action is taken
    pair_terminal: np.ndarray  # (terminal, variable) pairs with the variable on the path
    pair_var: np.ndarray
    pair_payoff: np.ndarray  # normalised payoff of the variable's owner at the terminal
    pair_child: np.ndarray  # node the variable's action leads to on that path
    same_agent: np.ndarray  # (m, m) bool: the two variables belong to one agent
    span: float
    # Dense copies of the incidences when small: sparse products cost more there.
    node_dense: np.ndarray | None = None
    terminal_dense: np.ndarray | None = None

    @property
    def m(self) -> int:
        return int(self.offsets[-1])


def _structure(game: ExtensiveGame) -> _Structure:
    owners = game.infoset_player
    agents = np.flatnonzero(owners >= 0)
    sizes = game.infoset_num_actions[agents]
    offsets = np.zeros(agents.shape[0] + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    m = int(offsets[-1])
    player_action = np.repeat(owners >= 0, game.infoset_num_actions)
    var_flat = np.flatnonzero(player_action)
    flat_var = np.full(game.num_actions_total, -1, dtype=np.int64)
    flat_var[var_flat] = np.arange(m)
    var_agent = np.repeat(np.arange(agents.shape[0]), sizes)
    agent_of_infoset = np.full(game.num_infosets, -1, dtype=np.int64)
    agent_of_infoset[agents] = np.arange(agents.shape[0])

    # (node, variable, child) for every variable on the path to a node: the nodes in the
    # pre-order range of the child that the variable's action enters.
    edge = game.edge_action
    children = np.flatnonzero((edge >= 0) & (flat_var[np.maximum(edge, 0)] >= 0))
    ends = game.subtree_end[children]
    counts = ends - children
    child_of = np.repeat(children, counts)
    starts = np.repeat(children - np.cumsum(np.r_[0, counts[:-1]]), counts)
    nodes = np.arange(child_of.shape[0]) + starts
    variables = flat_var[edge[child_of]]

    decision = np.flatnonzero((game.node_kind == DECISION) & (game.node_player >= 0))
    terminals = game.terminal_nodes
    k = game.num_nodes
    full = coo_matrix((np.ones(nodes.shape[0]), (nodes, variables)), shape=(k, m)).tocsr()
    # Chance moves of probability 0 are kept apart: an information set behind them
    # (reached by no profile) is weighed as if they had happened, so its agent still
    # has well-defined values; below a reachable node they are cut off exactly.
    chance_edge = game.chance_edge_probabilities
    impossible_edge = chance_edge <= 0
    log_chance = np.log(game.path_products(np.where(impossible_edge, 1.0, chance_edge)))
    impossible = np.rint(np.log2(game.path_products(np.where(impossible_edge, 2.0, 1.0))))
    fewest = np.full(agents.shape[0], np.inf)
    node_agent = agent_of_infoset[game.node_infoset[decision]]
    np.minimum.at(fewest, node_agent, impossible[decision])

    payoffs = game.terminal_payoffs[terminals]
    low, high = payoffs.min(axis=0), payoffs.max(axis=0)
    spans = high - low
    span = float(spans.max(initial=0.0))
    # each player's payoffs on its own unit scale, so that a player whose stakes are small
    # beside another's still sees its own differences (a per-player precision)
    normalised = np.where(
        spans > 0, (game.terminal_payoffs - low) / np.where(spans > 0, spans, 1.0), 0.0
    )
    terminal_rank = np.full(k, -1, dtype=np.int64)
    terminal_rank[terminals] = np.arange(terminals.shape[0])
    at_terminal = terminal_rank[nodes] >= 0
    pair_var = variables[at_terminal]
    owner = game.infoset_player[agents[var_agent[pair_var]]]
    pair_nodes = nodes[at_terminal]
    pair_payoff = normalised[pair_nodes, owner] if span > 0 else np.zeros(pair_nodes.shape[0])
    dense = m * (terminals.shape[0] + decision.shape[0]) <= _DENSE_LIMIT
    return _Structure(
        sizes=tuple(int(n) for n in sizes),
        offsets=offsets,
        agents=agents,
        var_flat=var_flat,
        var_agent=var_agent,
        chance_flat=np.asarray(game.chance_action_probabilities),
        decision_nodes=decision,
        node_agent=node_agent,
        base_nodes=impossible[decision] == fewest[node_agent],
        path_incidence=full,
        node_incidence=full[decision],
        log_chance_nodes=log_chance[decision],
        terminal_incidence=full[terminals],
        log_chance_terminals=log_chance[terminals],
        base_pairs=impossible[pair_nodes] == impossible[game.parent[child_of[at_terminal]]],
        pair_row=np.searchsorted(decision, game.parent[child_of[at_terminal]]),
        pair_terminal=terminal_rank[pair_nodes],
        pair_var=pair_var,
        pair_payoff=pair_payoff,
        pair_child=child_of[at_terminal],
        same_agent=var_agent[:, None] == var_agent[None, :],
        span=span,
        node_dense=full[decision].toarray() if dense else None,
        terminal_dense=full[terminals].toarray() if dense else None,
    )


# ---------------------------------------------------------------------- evaluation
@dataclass(frozen=True)
class _Values:
    U: np.ndarray  # (m,) conditional value of each action to its agent's owner
    dU: np.ndarray  # (m, m) derivatives with respect to the log-probabilities
    beliefs: np.ndarray  # (decision nodes,) belief of each player decision node


def _evaluate(
    s: _Structure,
    v: np.ndarray,
    node_mask: np.ndarray | None = None,
    pair_mask: np.ndarray | None = None,
    derivatives: bool = True,
) -> _Values:
    """Action values, their Jacobian and beliefs at log-probabilities ``v``.

    ``node_mask`` restricts each information set to some of its nodes (the limit's
    least-order nodes) and ``pair_mask`` the terminal paths counted (those without a
    zero-probability move after the action); by default everything counts.
    """
    m = s.m
    num_agents = len(s.sizes)
    dense = s.node_dense is not None and s.terminal_dense is not None
    nodes = s.node_dense if dense else s.node_incidence
    terminals = s.terminal_dense if dense else s.terminal_incidence
    log_node = s.log_chance_nodes + nodes @ v
    log_terminal = s.log_chance_terminals + terminals @ v
    active = s.base_nodes if node_mask is None else node_mask & s.base_nodes
    top = np.full(num_agents, -np.inf)
    np.maximum.at(top, s.node_agent[active], log_node[active])
    reachable = np.isfinite(top)
    safe_top = np.where(reachable, top, 0.0)
    scaled = np.where(active, np.exp(np.where(active, log_node - safe_top[s.node_agent], 0.0)), 0.0)
    mass = np.bincount(s.node_agent, weights=scaled, minlength=num_agents)
    log_reach = safe_top + np.log(np.where(reachable, mass, 1.0))
    beliefs = np.where(active, scaled / np.where(mass > 0, mass, 1.0)[s.node_agent], 0.0)

    agent = s.var_agent[s.pair_var]
    # Only paths through the nodes that carry the beliefs count.
    keep = reachable[agent] & s.base_pairs & active[s.pair_row]
    if pair_mask is not None:
        keep &= pair_mask
    exponent = np.where(
        keep, log_terminal[s.pair_terminal] - v[s.pair_var] - log_reach[agent], -np.inf
    )
    weight = s.pair_payoff * np.exp(exponent)
    U = np.bincount(s.pair_var, weights=weight, minlength=m)
    if not derivatives:
        return _Values(U, np.zeros((0, 0)), beliefs)
    count = s.terminal_incidence.shape[0]
    rows = np.arange(beliefs.shape[0])
    if dense:
        first = np.zeros((m, count))
        first[s.pair_var, s.pair_terminal] = weight  # each (action, terminal) pair once
        direct = first @ terminals
        spread = np.zeros((num_agents, beliefs.shape[0]))
        spread[s.node_agent, rows] = beliefs
        reach_gradient = spread @ nodes
    else:
        first = csr_matrix((weight, (s.pair_var, s.pair_terminal)), shape=(m, count))
        direct = np.asarray((first @ terminals).todense())
        spread = csr_matrix((beliefs, (s.node_agent, rows)), shape=(num_agents, beliefs.shape[0]))
        reach_gradient = np.asarray((spread @ nodes).todense())
    dU = direct - U[:, None] * reach_gradient[s.var_agent]
    # With perfect recall U_h depends on no probability of h itself.
    dU[s.same_agent] = 0.0
    return _Values(U, dU, beliefs)


class _AgentBranch(_Branch):
    """The AQRE system in the form :class:`simulator.solvers.logit._Branch` traces.

    Each agent plays the role of a player of the normal-form branch; the points are
    kept in log space (``profile`` returns the raw point ``(v, lambda)``) because the
    tiny probabilities off the path carry the limit beliefs.
    """

    def __init__(self, structure: _Structure) -> None:
        self.structure = structure
        self.shape = structure.sizes
        self.players = len(structure.sizes)
        self.offsets = structure.offsets
        self.m = structure.m
        s = structure
        self.first = s.offsets[:-1][s.var_agent]
        self.rest = np.flatnonzero(np.arange(s.m) != self.first)

    def profile(self, w: np.ndarray) -> Any:  # type: ignore[override]
        return w.copy()

    def evaluate(self, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        s = self.structure
        m = s.m
        v, lam = w[:m], w[m]
        values = _evaluate(s, v)
        first, rest = self.first, self.rest
        heads = s.offsets[:-1]
        h = np.empty(m)
        h[heads] = np.bincount(s.var_agent, weights=np.exp(v), minlength=len(s.sizes)) - 1.0
        gaps = values.U[rest] - values.U[first[rest]]
        h[rest] = v[rest] - v[first[rest]] - lam * gaps
        jac = np.zeros((m, m + 1))
        jac[first, np.arange(m)] = np.exp(v)
        jac[rest, :m] = -lam * (values.dU[rest] - values.dU[first[rest]])
        jac[rest, rest] += 1.0
        jac[rest, first[rest]] -= 1.0
        jac[rest, m] = -gaps
        return h, jac


# ---------------------------------------------------------------------- profiles
def _behaviour(game: ExtensiveGame, s: _Structure, v: np.ndarray) -> BehaviourProfile:
    flat = np.array(s.chance_flat)
    p = np.exp(v - np.maximum.reduceat(v, s.offsets[:-1])[s.var_agent]) if v.size else v
    totals = np.add.reduceat(p, s.offsets[:-1])[s.var_agent] if v.size else p
    flat[s.var_flat] = p / totals
    return BehaviourProfile.from_flat(game, flat)


def _node_beliefs(game: ExtensiveGame, s: _Structure, values: np.ndarray) -> np.ndarray:
    out = np.full(game.num_nodes, np.nan)
    out[s.decision_nodes] = values
    return out


# ---------------------------------------------------------------------- the limit
@dataclass(frozen=True)
class _Limit:
    behaviour: BehaviourProfile
    beliefs: np.ndarray
    orders: np.ndarray  # (m,) order of each vanishing action (NaN on the support)


def _slopes(points: list[np.ndarray]) -> np.ndarray:
    """``dv/dlambda`` at the end of the branch, by a secant over its last half.

    A secant rather than the tangent: in degenerate games the Jacobian can be singular,
    and the secant follows the branch actually traced. Far out the branch is nearly a
    straight line in log-probabilities, so the secant error is of order ``1/lambda``.
    """
    last = points[-1]
    lam = last[-1]
    earlier = [p for p in points[:-1] if p[-1] <= 0.5 * lam] or points[:-1]
    if not earlier or earlier[-1][-1] >= lam:
        return np.zeros(last.shape[0] - 1)
    before = earlier[-1]
    return (last[:-1] - before[:-1]) / (lam - before[-1])


def _least(values: np.ndarray, agents: np.ndarray, count: int, tie: float) -> np.ndarray:
    """Mask of the entries within ``tie`` of the least value of their agent."""
    least = np.full(count, np.inf)
    np.minimum.at(least, agents, values)
    return values <= least[agents] + tie


def _refine(
    game: ExtensiveGame,
    branch: _AgentBranch,
    w: np.ndarray,
    slopes: np.ndarray,
    threshold: float,
) -> _Limit | None:
    """Solve the limit equations on the support ``exp(v) > threshold`` (module notes)."""
    s = branch.structure
    m = s.m
    lam = float(w[m])
    v = w[:m].copy()
    v -= np.log(np.add.reduceat(np.exp(v), s.offsets[:-1]))[s.var_agent]
    # An action stays if it is likely enough and not vanishing like a power of 1/lambda.
    support = (v > np.log(threshold)) & (-lam * slopes < _SLOW_RATE)
    # Every agent keeps its likeliest action.
    best = np.maximum.reduceat(v, s.offsets[:-1])[s.var_agent]
    support |= v == best
    slope = np.where(support, 0.0, slopes)
    # A tremble vanishes like exp(-o lambda) (order o > 0) or, when the action is
    # tied in the limit, more slowly, like lambda**-r: a second tier of orders.
    orders = np.maximum(-slope, 0.0)
    slow = ~support & (orders <= _ORDER_TIE)
    orders[slow] = 0.0
    rates = np.where(slow, np.maximum(-lam * slope, 0.0), 0.0)
    coefficients = np.where(support, v, v + lam * orders + rates * np.log(max(lam, 1.0)))
    # Nodes of least order (then least second-tier order) in each information set
    # carry the beliefs; terminal paths with a tremble after the action do not count.
    count = len(s.sizes)
    possible = s.base_nodes
    node_order = np.where(possible, s.node_incidence @ orders, np.inf)
    node_mask = _least(node_order, s.node_agent, count, _ORDER_TIE)
    node_rate = np.where(node_mask, s.node_incidence @ rates, np.inf)
    node_mask &= _least(node_rate, s.node_agent, count, _RATE_TIE)
    trembles = s.path_incidence @ (~support).astype(float)
    pair_mask = trembles[game.terminal_nodes][s.pair_terminal] == trembles[s.pair_child]
    pair_mask &= support[s.pair_var]

    x = coefficients.copy()
    for _ in range(_NEWTON_STEPS):
        values = _evaluate(s, x, node_mask, pair_mask)
        residual, jac = _limit_system(s, x, values, support)
        if np.abs(residual).max() <= _NEWTON_TOL:
            break
        # The unknowns are the support log-probabilities and the tremble coefficients
        # (any coefficients give consistent beliefs; they set the off-path beliefs). The
        # system is underdetermined, and exact ties make it rank-deficient: the
        # minimum-norm Gauss-Newton step stays near the traced point.
        try:
            delta = np.linalg.lstsq(jac, -residual, rcond=None)[0]
        except np.linalg.LinAlgError:
            return None
        size = np.abs(delta).max()
        if not np.isfinite(size):
            return None
        x += delta * min(1.0, _MAX_NEWTON_STEP / size) if size > 0 else 0.0
    else:
        return None
    values = _evaluate(s, x, node_mask, pair_mask, derivatives=False)
    probabilities = np.where(support, np.exp(x), 0.0)
    totals = np.add.reduceat(probabilities, s.offsets[:-1])[s.var_agent]
    flat = np.array(s.chance_flat)
    flat[s.var_flat] = probabilities / totals
    behaviour = BehaviourProfile.from_flat(game, flat)
    beliefs = _node_beliefs(game, s, values.beliefs)
    return _Limit(behaviour, beliefs, np.where(support, np.nan, orders))


def _limit_system(
    s: _Structure, x: np.ndarray, values: _Values, support: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Probabilities summing to one and support actions equally good, per agent."""
    m = s.m
    num_agents = len(s.sizes)
    free = np.flatnonzero(support)
    # Reference action of each agent: its first support action.
    ref = np.full(num_agents, m, dtype=np.int64)
    np.minimum.at(ref, s.var_agent[free], free)
    others = free[free != ref[s.var_agent[free]]]
    residual = np.empty(num_agents + others.shape[0])
    p = np.where(support, np.exp(x), 0.0)
    residual[:num_agents] = np.bincount(s.var_agent, weights=p, minlength=num_agents) - 1.0
    gaps = values.U[others] - values.U[ref[s.var_agent[others]]]
    residual[num_agents:] = gaps
    jac = np.zeros((residual.shape[0], m))
    jac[s.var_agent[free], free] = p[free]
    jac[num_agents:] = values.dU[others] - values.dU[ref[s.var_agent[others]]]
    return residual, jac


def _labelled(
    game: ExtensiveGame, s: _Structure, orders: np.ndarray
) -> dict[tuple[str, str, str], float]:
    out = {}
    offsets = game.action_offsets
    for var in np.flatnonzero(np.isfinite(orders)):
        h = int(s.agents[s.var_agent[var]])
        info = game.infosets[h]
        action = int(s.var_flat[var] - offsets[h])
        out[(game.players[info.player], info.label, info.actions[action])] = float(orders[var])
    return out


# ---------------------------------------------------------------------- public API
def trace_agent_logit(
    game: ExtensiveGame, max_lambda: float = 1e6, step: float = 0.03, tol: float = 1e-10
) -> AgentLogitResult:
    """Trace the logit agent QRE branch from uniform play and refine its limit.

    Parameters
    ----------
    game : ExtensiveGame
        Any number of players; perfect recall.
    max_lambda : float
        Precision at which tracing stops (each player's payoffs normalised by their own
        span).
    step : float
        First arclength step of the path follower.
    tol : float
        Relative accuracy of the corrector.

    Returns
    -------
    AgentLogitResult
        The branch and its limit; with ``refined=True`` the limit and its beliefs form
        an assessment whose beliefs come from explicit trembles (module notes).

    Raises
    ------
    GameError
        If the game lacks perfect recall or the parameters are invalid.

    Examples
    --------
    The entry game: the limit is the subgame-perfect equilibrium (in, yield).

    >>> from simulator.games.extensive import Decision, Terminal
    >>> g = ExtensiveGame.from_tree(["Entrant", "Incumbent"], Decision("Entrant", {
    ...     "out": Terminal([1, 2]),
    ...     "in": Decision("Incumbent", {"fight": Terminal([0, 0]), "yield": Terminal([2, 1])})}))
    >>> result = trace_agent_logit(g)
    >>> result.refined, result.limit.flat.tolist()
    (True, [0.0, 1.0, 0.0, 1.0])
    """
    if not isinstance(game, ExtensiveGame):
        raise GameError(f"agent logit tracing needs an ExtensiveGame, not {type(game).__name__}")
    if not game.has_perfect_recall():
        raise GameError(
            "agent logit tracing needs perfect recall (each path crosses an information set at "
            "most once); this game does not have it"
        )
    max_lambda = float(max_lambda)
    if not (np.isfinite(max_lambda) and max_lambda > 0):
        raise GameError(f"max_lambda must be a positive number; got {max_lambda}")
    if not (step > 0 and tol > 0):
        raise GameError(f"step and tol must be positive; got step={step}, tol={tol}")
    if not np.any(game.infoset_player >= 0):  # nobody moves
        behaviour = BehaviourProfile.from_flat(game, np.array(game.chance_action_probabilities))
        beliefs = np.full(game.num_nodes, np.nan)
        return AgentLogitResult(
            game, np.array([0.0]), [behaviour], behaviour, beliefs, 0.0, True, 0.0
        )
    s = _structure(game)
    branch = _AgentBranch(s)
    trace = branch.trace(max_lambda, step=float(step), tol=float(tol))
    points = [np.asarray(p) for p in trace.profiles]
    lambdas = np.array(trace.lambdas)
    profiles = [_behaviour(game, s, p[: s.m]) for p in points]
    last = points[-1]
    slopes = _slopes(points)
    for threshold in _SUPPORT_THRESHOLDS:
        limit = _refine(game, branch, last, slopes, threshold)
        if limit is None:
            continue
        regret = sequential_rationality_regret(limit.behaviour, limit.beliefs)
        gains = sequential_rationality_regrets(limit.behaviour, limit.beliefs)
        if np.all(gains <= game_tolerances(game)):
            return AgentLogitResult(
                game,
                lambdas,
                profiles,
                limit.behaviour,
                limit.beliefs,
                float(lambdas[-1]),
                True,
                regret,
                _labelled(game, s, limit.orders),
            )
    values = _evaluate(s, last[: s.m], derivatives=False)
    beliefs = _node_beliefs(game, s, values.beliefs)
    regret = sequential_rationality_regret(profiles[-1], beliefs)
    return AgentLogitResult(
        game, lambdas, profiles, profiles[-1], beliefs, float(lambdas[-1]), False, regret
    )


def sequential_equilibrium(game: ExtensiveGame, max_lambda: float = 1e6) -> ExtensiveEquilibrium:
    """A sequential equilibrium: the limit of the logit agent QRE branch.

    Traces the branch (:func:`trace_agent_logit`), checks that the limit beliefs are
    consistent (:func:`simulator.solvers.sequential.consistency_orders`) and certifies
    the assessment by its sequential-rationality gap (concept ``"sequential"``).

    Parameters
    ----------
    game : ExtensiveGame
        Any number of players; perfect recall.
    max_lambda : float
        Precision at which tracing stops, ``> 0`` and finite (each player's payoffs
        normalised by their own span).

    Returns
    -------
    ExtensiveEquilibrium
        The certified sequential equilibrium with its consistent beliefs; its
        ``parameters`` record ``max_lambda``, the ``final_lambda`` reached, the number
        of ``steps`` and the ``tremble_orders`` of the actions off the support.

    Raises
    ------
    CertificationError
        If the limit could not be refined to a consistent, sequentially rational
        assessment within the tolerance.
    GameError
        If ``game`` is not an :class:`ExtensiveGame`, lacks perfect recall, or
        ``max_lambda`` is not a positive number.

    Examples
    --------
    Selten's horse: the limit is the sequential equilibrium with payoffs (1, 1, 1).

    >>> from simulator.games.extensive import Decision, Terminal
    >>> def three(tag):
    ...     return Decision("3", {"L": Terminal([0, 0, 1] if tag else [0, 0, 0]),
    ...                           "R": Terminal([4, 4, 0] if tag else [3, 2, 2])}, "h3")
    >>> horse = ExtensiveGame.from_tree(["1", "2", "3"], Decision("1", {
    ...     "A": Decision("2", {"a": Terminal([1, 1, 1]), "D": three(True)}, "h2"),
    ...     "D": three(False)}, "h1"))
    >>> eq = sequential_equilibrium(horse)
    >>> eq.payoffs.tolist(), eq.concept
    ([1.0, 1.0, 1.0], 'sequential')
    """
    result = trace_agent_logit(game, max_lambda)
    method = "agent logit tracing"
    if not result.refined:
        raise CertificationError(
            f"{method}: the traced limit at lambda={result.final_lambda:.3g} could not be refined "
            f"(sequential-rationality gap {result.regret:.3g}); try a larger max_lambda"
        )
    orders, reason = consistency_orders(result.limit, result.beliefs)
    if orders is None:
        raise CertificationError(
            f"{method}: the limit beliefs failed the consistency check: {reason}"
        )
    parameters = {
        "max_lambda": max_lambda,
        "final_lambda": result.final_lambda,
        "steps": int(result.lambdas.shape[0]),
        "tremble_orders": {"/".join(k): v for k, v in result.orders.items()},
    }
    return certify_extensive(result.limit, "sequential", method, parameters, beliefs=result.beliefs)
