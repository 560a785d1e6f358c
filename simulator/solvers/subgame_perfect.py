"""Subgame-perfect equilibria of extensive-form games by subgame decomposition.

A profile is subgame perfect when it induces a Nash equilibrium in every subgame
(Selten 1965). In a finite game this is equivalent to asking, for every subgame, that
the profile be a Nash equilibrium of the *reduced* subgame in which each smaller
subgame is replaced by a terminal node carrying the payoffs the profile gives there.
So the subgames are solved from the smallest up:

1. find the subgame roots and, for each, its *piece*: the nodes whose nearest
   subgame root above is that root, with each nested subgame root as a leaf;
2. for every combination of already computed equilibria of the nested subgames,
   put their payoffs on those leaves and solve the piece: a single decision node by
   maximisation (one equilibrium per distinct payoff vector among the best actions,
   as in backward induction), a single chance node by expectation, anything else
   through its reduced strategic form with :func:`simulator.solve`, the mixed
   equilibria converted to behaviour strategies by Kuhn's theorem
   (:meth:`BehaviourProfile.from_mixed`);
3. continue upwards; the root's equilibria, with the choices made inside the nested
   subgames, are the subgame-perfect equilibria returned, each certified.

Games of perfect information go to :func:`all_pure_spe` (backward induction).

References
----------
.. [1] R. Selten, "Spieltheoretische Behandlung eines Oligopolmodells mit
   Nachfrageträgheit", *Zeitschrift für die gesamte Staatswissenschaft* 121 (1965)
   301-324 and 667-689.
.. [2] R. Selten, "Reexamination of the perfectness concept for equilibrium points in
   extensive games", *International Journal of Game Theory* 4 (1975) 25-55.
.. [3] H. W. Kuhn, "Extensive games and the problem of information", in
   *Contributions to the Theory of Games II*, Annals of Mathematics Studies 28,
   Princeton University Press, 1953, pp. 193-216.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from simulator.games.behaviour import BehaviourProfile
from simulator.games.errors import GameError
from simulator.games.extensive import ExtensiveGame
from simulator.games.tree import CHANCE, DECISION, TERMINAL
from simulator.solvers.backward_induction import TIE_FACTOR, all_pure_spe
from simulator.solvers.extensive_equilibrium import (
    ExtensiveEquilibrium,
    certify_extensive,
    game_tolerances,
    subgame_pieces,
)
from simulator.solvers.solve_normal import solve_normal_form

__all__ = ["subgame_perfect_equilibria"]

_METHOD = "subgame decomposition"


@dataclass(frozen=True)
class _Solution:
    """An equilibrium of one subgame: payoffs, choices in its piece, nested equilibria."""

    payoffs: np.ndarray
    actions: np.ndarray  # flat action indices of the piece's information sets
    probabilities: np.ndarray
    nested: tuple[_Solution, ...]


def _flatten(solution: _Solution, flat: np.ndarray) -> None:
    stack = [solution]
    while stack:
        s = stack.pop()
        flat[s.actions] = s.probabilities
        stack.extend(s.nested)


def _distinct_best(vectors: np.ndarray, player: int, tol: np.ndarray) -> list[int]:
    """Best actions for ``player``, one per distinct payoff vector, lowest index first.

    ``tol`` holds each player's tie tolerance."""
    own = vectors[:, player]
    kept: list[int] = []
    for j in np.flatnonzero(own >= own.max() - tol[player]).tolist():
        if all((np.abs(vectors[j] - vectors[i]) > tol).any() for i in kept):
            kept.append(j)
    return kept


class _Decomposition:
    """Solves the pieces of one game from the smallest subgame up."""

    def __init__(
        self, game: ExtensiveGame, method: str, limit: int, parameters: dict[str, Any]
    ) -> None:
        self.game = game
        self.method = method
        self.limit = limit
        self.parameters = parameters
        self.tie = TIE_FACTOR * game_tolerances(game)
        self.roots, self.piece = subgame_pieces(game)
        order = np.argsort(self.piece, kind="stable")
        bounds = np.searchsorted(self.piece[order], self.roots)
        self.members = {
            int(r): order[a:b] for r, a, b in zip(self.roots, bounds, np.r_[bounds[1:], len(order)])
        }
        nested = self.roots[1:]
        outer = self.piece[game.parent[nested]]
        self.nested = {int(r): nested[outer == r] for r in self.roots}

    def run(self) -> list[_Solution]:
        solved: dict[int, list[_Solution]] = {}
        for r in self.roots[::-1].tolist():
            below = [solved.pop(int(c)) for c in self.nested[r]]
            if math.prod(len(s) for s in below) > self.limit:
                self._too_many(r)
            out: list[_Solution] = []
            for combo in itertools.product(*below):
                out.extend(self._solve_piece(r, combo))
                if len(out) > self.limit:
                    self._too_many(r)
            solved[r] = out
        return solved[0]

    def _too_many(self, root: int) -> None:
        raise GameError(
            f"the subgame at node {root} alone has more than limit={self.limit} "
            "subgame-perfect equilibria (combinations of the equilibria of its subgames); "
            "raise limit or choose a method that returns one equilibrium per subgame "
            "(e.g. method='lemke-howson')"
        )

    def _solve_piece(self, root: int, combo: tuple[_Solution, ...]) -> list[_Solution]:
        game = self.game
        inner = self.members[root]
        leaf_value = {int(c): s.payoffs for c, s in zip(self.nested[root], combo)}
        if np.count_nonzero(game.node_kind[inner] != TERMINAL) == 1:
            kids = game.children[game.child_start[root] : game.child_start[root + 1]]
            vectors = np.array(
                [leaf_value.get(int(c), game.terminal_payoffs[c]) for c in kids], dtype=float
            )
            if game.node_kind[root] == CHANCE:
                payoffs = game.chance_edge_probabilities[kids] @ vectors
                return [_Solution(payoffs, np.empty(0, dtype=np.int64), np.empty(0), combo)]
            h = int(game.node_infoset[root])
            actions = game.action_offsets[h] + np.arange(kids.shape[0])
            out = []
            for j in _distinct_best(vectors, int(game.node_player[root]), self.tie):
                probabilities = np.zeros(kids.shape[0])
                probabilities[j] = 1.0
                out.append(_Solution(vectors[j], actions, probabilities, combo))
            return out
        return self._solve_reduced(root, inner, leaf_value, combo)

    def _solve_reduced(
        self,
        root: int,
        inner: np.ndarray,
        leaf_value: dict[int, np.ndarray],
        combo: tuple[_Solution, ...],
    ) -> list[_Solution]:
        game = self.game
        nested = self.nested[root]
        nodes = np.sort(np.concatenate([inner, nested]))
        local = np.searchsorted(nodes, game.parent[nodes])
        local[0] = -1
        leaf = np.isin(nodes, nested)
        kind = np.where(leaf, TERMINAL, game.node_kind[nodes])
        payoffs = np.where((kind == TERMINAL)[:, None], game.terminal_payoffs[nodes], 0.0)
        for position in np.flatnonzero(leaf):
            payoffs[position] = leaf_value[int(nodes[position])]
        infoset = np.where(kind == DECISION, game.node_infoset[nodes], -1)
        # The nodes are a subtree in pre-order, so the reduced game keeps their order.
        reduced = ExtensiveGame.from_arrays(
            game.players,
            local,
            kind,
            np.where(kind == DECISION, game.node_player[nodes], -1),
            infoset,
            payoffs=payoffs,
            chance_probabilities=game.chance_edge_probabilities[nodes],
        )
        decision = np.flatnonzero(reduced.node_kind == DECISION)
        mapping = np.full(reduced.num_infosets, -1, dtype=np.int64)
        mapping[reduced.node_infoset[decision]] = game.node_infoset[nodes[decision]]
        mine = np.flatnonzero(mapping >= 0)
        sizes = reduced.infoset_num_actions[mine]
        within = np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        source = np.repeat(reduced.action_offsets[mine], sizes) + within
        target = np.repeat(game.action_offsets[mapping[mine]], sizes) + within
        strategic, plans = reduced.strategic_form()
        out = []
        for eq in solve_normal_form(strategic, method=self.method, **self.parameters):
            behaviour = BehaviourProfile.from_mixed(reduced, plans, eq.profile)
            out.append(_Solution(np.asarray(eq.payoffs), target, behaviour.flat[source], combo))
        return out


def subgame_perfect_equilibria(
    game: ExtensiveGame,
    method: str = "auto",
    limit: int = 1000,
    tol: float | None = None,
    **parameters: Any,
) -> list[ExtensiveEquilibrium]:
    """Subgame-perfect equilibria by subgame decomposition (Selten 1965), each certified.

    Parameters
    ----------
    game : ExtensiveGame
        Any game with perfect recall; perfect-information games are solved by
        :func:`~simulator.solvers.backward_induction.all_pure_spe`.
    method : str
        Strategic-form method :func:`simulator.solve` uses on each piece that is more
        than a single node (``"auto"``, ``"enumerate"``, ``"lemke-howson"``,
        ``"support"``, ``"logit"`` ...). With a method that finds all extreme
        equilibria every combination is returned; with one that finds a single
        equilibrium, one per subgame.
    limit : int
        Raise ``GameError`` rather than return more equilibria than this.
    tol : float, optional
        Largest accepted subgame-perfection regret (default: ``1e-8`` times the payoff
        span).
    **parameters
        Passed to :func:`simulator.solve` (e.g. ``initial_label``).

    Returns
    -------
    list of ExtensiveEquilibrium
        Certified with ``concept="subgame perfect"``, duplicates removed.

    Examples
    --------
    Player A can stay out (payoff 2 each) or enter a battle of the sexes with B. The
    battle has three equilibria; A enters only when expecting her favourite one.

    >>> from simulator.games.extensive import Decision, Terminal
    >>> def battle(mine, theirs):
    ...     return Decision("B", {"a": Terminal(mine), "b": Terminal(theirs)}, "B")
    >>> g = ExtensiveGame.from_tree(["A", "B"], Decision("A", {
    ...     "out": Terminal([2, 2]),
    ...     "in": Decision("A", {"a": battle([3, 1], [0, 0]), "b": battle([0, 0], [1, 3])},
    ...                    "A in")}))
    >>> [eq.payoffs.round(3).tolist() for eq in subgame_perfect_equilibria(g)]
    [[2.0, 2.0], [2.0, 2.0], [3.0, 1.0]]
    """
    if not isinstance(game, ExtensiveGame):
        raise GameError(f"subgame_perfect_equilibria needs an ExtensiveGame; got {type(game)}")
    if int(limit) < 1:
        raise GameError(f"limit must be at least 1; got {limit}")
    if game.is_perfect_information():
        return all_pure_spe(game, limit=int(limit))
    if not game.has_perfect_recall():
        raise GameError(
            "subgame decomposition converts mixed equilibria of the pieces to behaviour "
            "strategies, which needs perfect recall (Kuhn 1953); this game does not have it"
        )
    solutions = _Decomposition(game, method, int(limit), dict(parameters)).run()
    results: list[ExtensiveEquilibrium] = []
    seen: set[tuple[float, ...]] = set()
    for solution in solutions:
        flat = np.zeros(game.num_actions_total)
        _flatten(solution, flat)
        behaviour = BehaviourProfile.from_flat(game, flat)
        key = tuple(np.round(behaviour.flat, 9).tolist())
        if key in seen:
            continue
        seen.add(key)
        results.append(
            certify_extensive(
                behaviour,
                "subgame perfect",
                method=_METHOD,
                parameters={"method": method, "limit": int(limit), **parameters},
                tol=tol,
            )
        )
    return results
