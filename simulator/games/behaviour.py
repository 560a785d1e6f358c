"""Behaviour strategy profiles of extensive-form games.

A behaviour strategy gives, at every information set, a probability distribution
over its actions (Kuhn 1953). A :class:`BehaviourProfile` stores one flat vector
over all actions of the game, laid out by :attr:`ExtensiveGame.action_offsets`,
with chance information sets fixed to their probabilities. Realisation
probabilities multiply the move probabilities along each path (pointer doubling
over the tree); conditional values sweep the depth levels backwards.

References
----------
.. [1] H. W. Kuhn, "Extensive games and the problem of information", in
   *Contributions to the Theory of Games II*, Annals of Mathematics Studies 28,
   Princeton University Press, 1953, pp. 193-216.
.. [2] D. M. Kreps and R. Wilson, "Sequential equilibria", *Econometrica* 50 (1982)
   863-894 (beliefs, sequential rationality).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from simulator.games.errors import GameError
from simulator.games.extensive import ExtensiveGame
from simulator.games.tree import DECISION

__all__ = ["BehaviourProfile"]

#: Tolerances for a probability vector: entries >= -NEGATIVE, |sum - 1| <= SUM.
NEGATIVE_TOLERANCE = 1e-9
SUM_TOLERANCE = 1e-6
#: Chance entries given explicitly must match the game within this tolerance.
CHANCE_TOLERANCE = 1e-9


class BehaviourProfile:
    """A behaviour strategy for every player of an :class:`ExtensiveGame`.

    Parameters
    ----------
    game : ExtensiveGame
    probabilities : sequence
        One entry per information set of ``game`` (``game.infosets`` order, chance
        included): an array of action probabilities. Chance entries may be ``None``;
        given ones must equal the game's chance probabilities.

    Examples
    --------
    >>> from simulator.games.extensive import Decision, Terminal
    >>> g = ExtensiveGame.from_tree(["A", "B"], Decision("A", {
    ...     "out": Terminal([1, 1]),
    ...     "in": Decision("B", {"fight": Terminal([0, 0]), "yield": Terminal([2, 1])})}))
    >>> b = BehaviourProfile(g, [[0.5, 0.5], [0.0, 1.0]])
    >>> b.expected_payoffs().tolist()
    [1.5, 1.0]
    """

    __slots__ = ("_game", "_flat")

    def __init__(self, game: ExtensiveGame, probabilities: Sequence[Any]) -> None:
        if not isinstance(game, ExtensiveGame):
            raise GameError(
                f"a behaviour profile needs an ExtensiveGame, not {type(game).__name__}"
            )
        if isinstance(probabilities, (str, bytes)) or len(probabilities) != game.num_infosets:
            raise GameError(
                f"give one probability vector per information set ({game.num_infosets}, "
                "chance ones included, in game.infosets order)"
            )
        offsets = game.action_offsets
        flat = np.array(game.chance_action_probabilities, dtype=float)
        chance = game.infoset_player < 0
        for h, entry in enumerate(probabilities):
            if entry is None:
                if not chance[h]:
                    raise GameError(f"no probabilities given for {_describe(game, h)}")
                continue
            vector = np.asarray(entry, dtype=float).reshape(-1)
            size = int(offsets[h + 1] - offsets[h])
            if vector.shape != (size,):
                raise GameError(
                    f"{_describe(game, h)} has {size} actions {list(game.infosets[h].actions)}; "
                    f"got {vector.size} probabilities"
                )
            if chance[h]:
                if not np.allclose(
                    vector, flat[offsets[h] : offsets[h + 1]], rtol=0, atol=CHANCE_TOLERANCE
                ):
                    raise GameError(
                        f"{_describe(game, h)} is a chance move with fixed probabilities "
                        f"{flat[offsets[h] : offsets[h + 1]].tolist()}; pass None or those"
                    )
                continue
            flat[offsets[h] : offsets[h + 1]] = vector
        self._game = game
        self._flat = _validated(game, flat)

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_flat(cls, game: ExtensiveGame, flat: Any) -> BehaviourProfile:
        """Profile from one vector over all actions (layout ``game.action_offsets``).

        Chance entries are overwritten with the game's chance probabilities; the rest
        is validated with vectorised checks (fast for large trees).

        Examples
        --------
        >>> from simulator.games.extensive import Decision, Terminal
        >>> g = ExtensiveGame.from_tree(
        ...     ["A"], Decision("A", {"x": Terminal([1]), "y": Terminal([3])}))
        >>> BehaviourProfile.from_flat(g, [0.25, 0.75]).expected_payoffs().tolist()
        [2.5]
        """
        vector = np.array(flat, dtype=float).reshape(-1)
        if vector.shape != (game.num_actions_total,):
            raise GameError(
                f"a flat behaviour vector has {game.num_actions_total} entries (all actions); "
                f"got {vector.size}"
            )
        chance = np.isfinite(game.chance_action_probabilities)
        vector[chance] = game.chance_action_probabilities[chance]
        obj = cls.__new__(cls)
        obj._game = game
        obj._flat = _validated(game, vector)
        return obj

    @classmethod
    def from_mixed(
        cls, game: ExtensiveGame, plans: Sequence[Sequence[Any]], mixed: Sequence[Any]
    ) -> BehaviourProfile:
        """The behaviour profile realisation-equivalent to a mixed profile (Kuhn 1953).

        See :meth:`ExtensiveGame.behaviour_vectors_from_mixed`.

        Examples
        --------
        >>> from simulator.games.extensive import Decision, Terminal
        >>> g = ExtensiveGame.from_tree(["A"], Decision("A", {
        ...     "stop": Terminal([0]),
        ...     "go": Decision("A", {"a": Terminal([1]), "b": Terminal([2])})}))
        >>> b = BehaviourProfile.from_mixed(g, [g.plans("A")], [[0.5, 0.25, 0.25]])
        >>> [p.tolist() for p in b.probabilities]
        [[0.5, 0.5], [0.5, 0.5]]
        """
        return cls(game, game.behaviour_vectors_from_mixed(plans, mixed))

    @classmethod
    def uniform(cls, game: ExtensiveGame) -> BehaviourProfile:
        """Every player mixes uniformly at every information set.

        Examples
        --------
        >>> from simulator.games.extensive import Decision, Terminal
        >>> g = ExtensiveGame.from_tree(
        ...     ["A"], Decision("A", {"x": Terminal([1]), "y": Terminal([3])}))
        >>> BehaviourProfile.uniform(g).flat.tolist()
        [0.5, 0.5]
        """
        sizes = game.infoset_num_actions
        return cls.from_flat(game, np.repeat(1.0 / sizes, sizes))

    @classmethod
    def from_dict(
        cls, game: ExtensiveGame, strategies: Mapping[Any, Any], missing: str = "error"
    ) -> BehaviourProfile:
        """Profile from labelled probabilities.

        ``strategies`` is either ``{(player, infoset label): {action: p}}`` or the
        nested form of :meth:`as_dict`, ``{player: {infoset label: {action: p}}}``;
        an information set may also be keyed by its index. Unlisted actions get 0.
        Unlisted information sets raise ``GameError`` unless ``missing="uniform"``.

        Examples
        --------
        >>> from simulator.games.extensive import Decision, Terminal
        >>> g = ExtensiveGame.from_tree(
        ...     ["A"], Decision("A", {"x": Terminal([1]), "y": Terminal([3])}, "h"))
        >>> BehaviourProfile.from_dict(g, {("A", "h"): {"y": 1}}).flat.tolist()
        [0.0, 1.0]
        >>> BehaviourProfile.from_dict(g, {"A": {"h": {"x": 0.5, "y": 0.5}}}).flat.tolist()
        [0.5, 0.5]
        """
        entries: dict[int, Any] = {}
        for key, value in strategies.items():
            if isinstance(key, str) and isinstance(value, Mapping) and key in game.players:
                for label, actions in value.items():
                    entries[_infoset_key(game, (key, label))] = actions
            else:
                entries[_infoset_key(game, key)] = value
        vectors: list[Any] = []
        for h, info in enumerate(game.infosets):
            if info.is_chance:
                vectors.append(None)
            elif h in entries:
                vectors.append(_action_vector(game, h, entries[h]))
            else:
                vectors.append(_missing(game, h, missing))
        return cls(game, vectors)

    @classmethod
    def pure(
        cls, game: ExtensiveGame, choices: Mapping[Any, Any] | Sequence[Any], missing: str = "error"
    ) -> BehaviourProfile:
        """A pure behaviour profile: one action per information set.

        ``choices`` maps an information set (index or ``(player, label)``) to an
        action (label or index), or lists one action per information set in
        ``game.infosets`` order (chance entries ignored). A plan from
        :meth:`ExtensiveGame.plans` is such a mapping. Unlisted information sets raise
        ``GameError`` unless ``missing="uniform"``.

        Examples
        --------
        >>> from simulator.games.extensive import Decision, Terminal
        >>> g = ExtensiveGame.from_tree(
        ...     ["A"], Decision("A", {"x": Terminal([1]), "y": Terminal([3])}))
        >>> BehaviourProfile.pure(g, ["y"]).expected_payoffs().tolist()
        [3.0]
        """
        if isinstance(choices, Mapping):
            chosen = {_infoset_key(game, key): value for key, value in choices.items()}
        else:
            if isinstance(choices, (str, bytes)) or len(choices) != game.num_infosets:
                raise GameError(
                    f"give one action per information set ({game.num_infosets}, in game.infosets "
                    "order) or a mapping {information set: action}"
                )
            chosen = {h: c for h, c in enumerate(choices) if not game.infosets[h].is_chance}
        vectors: list[Any] = []
        for h, info in enumerate(game.infosets):
            if info.is_chance:
                vectors.append(None)
            elif h in chosen:
                vector = np.zeros(info.num_actions)
                vector[_action_position(game, h, chosen[h])] = 1.0
                vectors.append(vector)
            else:
                vectors.append(_missing(game, h, missing))
        return cls(game, vectors)

    # ------------------------------------------------------------------ views
    @property
    def game(self) -> ExtensiveGame:
        return self._game

    @property
    def flat(self) -> np.ndarray:
        """Read-only probabilities of all actions, laid out by ``game.action_offsets``."""
        return self._flat

    @property
    def probabilities(self) -> tuple[np.ndarray, ...]:
        """One read-only probability vector per information set (chance included)."""
        offsets = self._game.action_offsets
        return tuple(
            self._flat[offsets[h] : offsets[h + 1]] for h in range(self._game.num_infosets)
        )

    def __getitem__(self, infoset: Any) -> np.ndarray:
        """Probabilities at an information set given by index or ``(player, label)``."""
        h = _infoset_key(self._game, infoset)
        offsets = self._game.action_offsets
        return self._flat[offsets[h] : offsets[h + 1]]

    def edge_probabilities(self) -> np.ndarray:
        """(K,) probability of the move into each node (1 at the root).

        Examples
        --------
        >>> from simulator.games.extensive import Decision, Terminal
        >>> g = ExtensiveGame.from_tree(
        ...     ["A"], Decision("A", {"x": Terminal([1]), "y": Terminal([3])}))
        >>> BehaviourProfile.uniform(g).edge_probabilities().tolist()
        [1.0, 0.5, 0.5]
        """
        edge = self._game.edge_action
        if self._flat.size == 0:  # a one-node game: the root is terminal, no move is made
            return np.ones(edge.shape, dtype=float)
        return np.where(edge >= 0, self._flat[np.maximum(edge, 0)], 1.0)

    # ------------------------------------------------------------------ outcomes
    def realisation_probabilities(self) -> np.ndarray:
        """(K,) probability that play reaches each node.

        Examples
        --------
        >>> from simulator.games.extensive import Chance, Decision, Terminal
        >>> g = ExtensiveGame.from_tree(["A"], Chance({
        ...     "a": ("1/4", Decision("A", {"x": Terminal([1]), "y": Terminal([3])}, "h")),
        ...     "b": ("3/4", Decision("A", {"x": Terminal([0]), "y": Terminal([2])}, "h"))}))
        >>> BehaviourProfile.pure(g, {("A", "h"): "y"}).realisation_probabilities().tolist()
        [1.0, 0.25, 0.0, 0.25, 0.75, 0.0, 0.75]
        """
        return self._game.path_products(self.edge_probabilities())

    def expected_payoffs(self) -> np.ndarray:
        """(N,) expected payoff of every player.

        Examples
        --------
        >>> from simulator.games.extensive import Decision, Terminal
        >>> g = ExtensiveGame.from_tree(
        ...     ["A", "B"], Decision("A", {"x": Terminal([1, 0]), "y": Terminal([3, 2])}))
        >>> BehaviourProfile.uniform(g).expected_payoffs().tolist()
        [2.0, 1.0]
        """
        game = self._game
        terminal = game.terminal_nodes
        reach = self.realisation_probabilities()[terminal]
        return reach @ game.terminal_payoffs[terminal]

    def node_values(self) -> np.ndarray:
        """(K, N) expected payoff of every player conditional on reaching each node.

        Examples
        --------
        >>> from simulator.games.extensive import Decision, Terminal
        >>> g = ExtensiveGame.from_tree(
        ...     ["A"], Decision("A", {"x": Terminal([1]), "y": Terminal([3])}))
        >>> BehaviourProfile.uniform(g).node_values().ravel().tolist()
        [2.0, 1.0, 3.0]
        """
        game = self._game
        return game.backward_values(self.edge_probabilities(), game.terminal_payoffs)

    def infoset_reach_probabilities(self) -> np.ndarray:
        """(H,) probability that play reaches each information set.

        Examples
        --------
        >>> from simulator.games.extensive import Decision, Terminal
        >>> g = ExtensiveGame.from_tree(
        ...     ["A"], Decision("A", {"x": Terminal([1]), "y": Terminal([3])}))
        >>> BehaviourProfile.uniform(g).infoset_reach_probabilities().tolist()
        [1.0]
        """
        game = self._game
        inner = np.flatnonzero(game.node_infoset >= 0)
        reach = self.realisation_probabilities()
        return np.bincount(
            game.node_infoset[inner], weights=reach[inner], minlength=game.num_infosets
        )

    def beliefs(self) -> np.ndarray:
        """(K,) probability of each decision node given that its information set is reached.

        Bayes' rule on the realisation probabilities (Kreps and Wilson 1982); NaN at
        decision nodes of information sets reached with probability 0, and at chance
        and terminal nodes.

        Examples
        --------
        >>> from simulator.games.extensive import Chance, Decision, Terminal
        >>> g = ExtensiveGame.from_tree(["A"], Chance({
        ...     "a": ("1/4", Decision("A", {"x": Terminal([1]), "y": Terminal([3])}, "h")),
        ...     "b": ("3/4", Decision("A", {"x": Terminal([0]), "y": Terminal([2])}, "h"))}))
        >>> BehaviourProfile.uniform(g).beliefs()[[1, 4]].tolist()
        [0.25, 0.75]
        """
        game = self._game
        reach = self.realisation_probabilities()
        total = self.infoset_reach_probabilities()
        decision = np.flatnonzero(game.node_kind == DECISION)
        out = np.full(game.num_nodes, np.nan)
        mass = total[game.node_infoset[decision]]
        positive = mass > 0
        out[decision[positive]] = reach[decision[positive]] / mass[positive]
        return out

    def infoset_values(
        self, player: str | int, beliefs: Any | None = None
    ) -> dict[int, np.ndarray]:
        """Expected payoff to ``player`` of each action at each of their information sets.

        ``values[h][a] = sum over nodes v of h of mu(v) * E[payoff | play a at v, then
        follow the profile]`` with ``mu`` the beliefs: by default those of
        :meth:`beliefs` (NaN at information sets reached with probability 0), or a
        given ``(K,)`` array, e.g. the beliefs of an assessment for sequential
        rationality checks (Kreps and Wilson 1982).

        Examples
        --------
        >>> from simulator.games.extensive import Decision, Terminal
        >>> g = ExtensiveGame.from_tree(["A", "B"], Decision("A", {
        ...     "out": Terminal([1, 1]),
        ...     "in": Decision("B", {"fight": Terminal([0, 0]), "yield": Terminal([2, 1])})}))
        >>> b = BehaviourProfile.pure(g, ["out", "fight"])
        >>> {h: v.tolist() for h, v in b.infoset_values("A").items()}
        {0: [1.0, 0.0]}
        >>> {h: v.tolist() for h, v in b.infoset_values("B").items()}
        {1: [nan, nan]}
        """
        game = self._game
        index = game.player_index(player)
        if beliefs is None:
            mu = self.beliefs()
        else:
            mu = np.asarray(beliefs, dtype=float)
            if mu.shape != (game.num_nodes,):
                raise GameError(f"beliefs must have one entry per node ({game.num_nodes})")
        values = self.node_values()[:, index]
        kids = game.children
        movers = game.parent[kids]
        mine = kids[(game.node_kind[movers] == DECISION) & (game.node_player[movers] == index)]
        totals = np.bincount(
            game.edge_action[mine],
            weights=mu[game.parent[mine]] * values[mine],
            minlength=game.num_actions_total,
        )
        offsets = game.action_offsets
        return {h: totals[offsets[h] : offsets[h + 1]] for h in game.player_infosets(index)}

    # ------------------------------------------------------------------ export
    def as_dict(self) -> dict[str, dict[str, dict[str, float]]]:
        """JSON-ready ``{player: {information set label: {action: probability}}}``.

        Examples
        --------
        >>> from simulator.games.extensive import Decision, Terminal
        >>> g = ExtensiveGame.from_tree(
        ...     ["A"], Decision("A", {"x": Terminal([1]), "y": Terminal([3])}, "h"))
        >>> BehaviourProfile.uniform(g).as_dict()
        {'A': {'h': {'x': 0.5, 'y': 0.5}}}
        """
        game = self._game
        out: dict[str, dict[str, dict[str, float]]] = {name: {} for name in game.players}
        for info, vector in zip(game.infosets, self.probabilities):
            if info.is_chance:
                continue
            out[game.players[info.player]][info.label] = {
                a: float(p) for a, p in zip(info.actions, vector)
            }
        return out

    def to_mixed(self, plans: Sequence[Sequence[dict[int, int]]] | None = None) -> list[np.ndarray]:
        """The realisation-equivalent mixed profile (:meth:`ExtensiveGame.mixed_from_behaviour`).

        Examples
        --------
        >>> from simulator.games.extensive import Decision, Terminal
        >>> g = ExtensiveGame.from_tree(
        ...     ["A"], Decision("A", {"x": Terminal([1]), "y": Terminal([3])}))
        >>> BehaviourProfile.uniform(g).to_mixed()[0].tolist()
        [0.5, 0.5]
        """
        return self._game.mixed_from_behaviour(self, plans)

    def __repr__(self) -> str:
        parts = []
        for player, infosets in self.as_dict().items():
            for label, actions in infosets.items():
                used = ", ".join(f"{a}={p:.4g}" for a, p in actions.items() if p > 1e-12)
                parts.append(f"{player}[{label}]: {used}")
        return f"<BehaviourProfile {'; '.join(parts)}>"


# ---------------------------------------------------------------------- helpers
def _describe(game: ExtensiveGame, h: int) -> str:
    info = game.infosets[h]
    who = "chance" if info.is_chance else repr(game.players[info.player])
    return f"information set {info.label!r} of {who}"


def _validated(game: ExtensiveGame, flat: np.ndarray) -> np.ndarray:
    """Check every information set's vector is a distribution; return it read-only."""
    offsets = game.action_offsets
    if not np.all(np.isfinite(flat)):
        bad = int(np.searchsorted(offsets, np.flatnonzero(~np.isfinite(flat))[0], side="right") - 1)
        raise GameError(f"probabilities at {_describe(game, bad)} must be finite numbers")
    if flat.size:
        sums = np.add.reduceat(flat, offsets[:-1])
        lowest = np.minimum.reduceat(flat, offsets[:-1])
        bad = np.flatnonzero((lowest < -NEGATIVE_TOLERANCE) | (np.abs(sums - 1) > SUM_TOLERANCE))
        if bad.size:
            h = int(bad[0])
            raise GameError(
                f"probabilities at {_describe(game, h)} must be >= 0 and sum to 1; got "
                f"{flat[offsets[h] : offsets[h + 1]].tolist()}"
            )
    flat.setflags(write=False)
    return flat


def _infoset_key(game: ExtensiveGame, key: Any) -> int:
    if isinstance(key, (int, np.integer)) and not isinstance(key, bool):
        if not 0 <= int(key) < game.num_infosets:
            raise GameError(f"no information set {key}; they are 0..{game.num_infosets - 1}")
        return int(key)
    if isinstance(key, tuple) and len(key) == 2:
        return game.infoset_index(key[0], key[1])
    raise GameError(f"cannot read information set {key!r}: use its index or a (player, label) pair")


def _action_position(game: ExtensiveGame, h: int, action: Any) -> int:
    actions = game.infosets[h].actions
    if isinstance(action, (int, np.integer)) and not isinstance(action, bool):
        if 0 <= int(action) < len(actions):
            return int(action)
    elif action in actions:
        return actions.index(action)
    raise GameError(
        f"{_describe(game, h)} has no action {action!r}; its actions are {list(actions)}"
    )


def _action_vector(game: ExtensiveGame, h: int, entry: Any) -> np.ndarray:
    if not isinstance(entry, Mapping):
        return np.asarray(entry, dtype=float)
    vector = np.zeros(game.infosets[h].num_actions)
    for action, p in entry.items():
        vector[_action_position(game, h, action)] = float(p)
    return vector


def _missing(game: ExtensiveGame, h: int, missing: str) -> np.ndarray:
    if missing == "uniform":
        n = game.infosets[h].num_actions
        return np.full(n, 1.0 / n)
    if missing != "error":
        raise GameError(f"missing must be 'error' or 'uniform', not {missing!r}")
    raise GameError(f"no strategy given for {_describe(game, h)}; pass missing='uniform' to fill")
