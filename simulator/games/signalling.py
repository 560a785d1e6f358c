"""Signalling games: a privately informed sender, a message, an uninformed receiver.

Nature draws the sender's type ``t`` from a common prior; the sender observes it and
sends a message ``m``; the receiver observes ``m`` (not ``t``) and chooses an action
``a``. Payoffs ``u_S[t, m, a]`` and ``u_R[t, m, a]`` may depend on all three
(Fudenberg & Tirole 1991, *Game Theory*, section 8.2; Cho & Kreps 1987, QJE 102).

This module holds the validated, immutable data only; equilibria are computed by
:mod:`simulator.solvers.signalling_pbe`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from simulator.games._tables import format_number, render_grid
from simulator.games.errors import GameError

if TYPE_CHECKING:
    from simulator.games.extensive import ExtensiveGame

__all__ = ["SignallingGame"]

#: How far the prior may be from summing to one before it is rejected.
_PRIOR_SUM_TOLERANCE = 1e-9


def _labels(values: Sequence[str], what: str) -> tuple[str, ...]:
    if isinstance(values, str):
        raise GameError(f"{what} must be a list of labels, not the single string {values!r}")
    labels = tuple(str(v) for v in values)
    if not labels:
        raise GameError(f"a signalling game needs at least one {what[:-1]}")
    seen: set[str] = set()
    for label in labels:
        if label in seen:
            raise GameError(f"duplicate {what[:-1]} label {label!r}: labels must be unique")
        seen.add(label)
    return labels


def _payoff_array(values: Any, shape: tuple[int, int, int], whose: str) -> np.ndarray:
    try:
        array = np.array(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise GameError(f"{whose} payoffs must be numbers: {exc}") from None
    if array.shape != shape:
        raise GameError(
            f"{whose} payoffs must have shape (types, messages, actions) = {shape}; "
            f"got {array.shape}"
        )
    if not np.all(np.isfinite(array)):
        bad = tuple(int(k) for k in np.argwhere(~np.isfinite(array))[0])
        raise GameError(f"{whose} payoffs must be finite; found {array[bad]} at index {bad}")
    array.setflags(write=False)
    return array


def _prior_vector(values: Any, num_types: int) -> np.ndarray:
    try:
        prior = np.array(values, dtype=float).reshape(-1)
    except (TypeError, ValueError) as exc:
        raise GameError(f"the prior must be numbers: {exc}") from None
    if prior.shape != (num_types,):
        raise GameError(
            f"the prior needs one probability per type ({num_types}); got {prior.size} values"
        )
    if not np.all(np.isfinite(prior)) or np.any(prior <= 0):
        raise GameError(
            f"every type needs a positive prior probability (a type with probability 0 can be "
            f"removed from the game); got {prior.tolist()}"
        )
    if abs(prior.sum() - 1.0) > _PRIOR_SUM_TOLERANCE:
        raise GameError(f"the prior must sum to 1; it sums to {prior.sum():.12g}")
    prior = prior / prior.sum()
    prior.setflags(write=False)
    return prior


class SignallingGame:
    """A finite sender-receiver signalling game.

    Parameters
    ----------
    types : sequence of str
        The sender's types (private information), ``T`` of them.
    prior : array_like, shape ``(T,)``
        Probability of each type; every entry positive, summing to 1.
    messages : sequence of str
        The sender's messages, ``M`` of them.
    actions : sequence of str
        The receiver's actions, ``A`` of them.
    sender_payoffs, receiver_payoffs : array_like, shape ``(T, M, A)``
        ``[t, m, a]`` is the payoff when type ``t`` sends ``m`` and the receiver plays ``a``.
    players : pair of str
        Names of the sender and the receiver.
    title : str
        A description shown in renderings.

    Examples
    --------
    Beer-Quiche (Cho & Kreps 1987): each type gets 1 for its preferred breakfast plus 2
    if not challenged; the receiver gains 1 by duelling the weak or sparing the strong.

    >>> u_s = [[[0, 2], [1, 3]], [[1, 3], [0, 2]]]
    >>> u_r = [[[1, 0], [1, 0]], [[0, 1], [0, 1]]]
    >>> g = SignallingGame(["weak", "strong"], [0.1, 0.9], ["beer", "quiche"],
    ...                    ["duel", "don't"], u_s, u_r, title="Beer-Quiche")
    >>> g.shape
    (2, 2, 2)
    >>> g
    <SignallingGame 'Beer-Quiche' types {'weak': 0.1, 'strong': 0.9}, messages ['beer', 'quiche'], actions ['duel', "don't"]>
    """  # noqa: E501

    __slots__ = (
        "_types",
        "_prior",
        "_messages",
        "_actions",
        "_sender_payoffs",
        "_receiver_payoffs",
        "_players",
        "title",
    )

    def __init__(
        self,
        types: Sequence[str],
        prior: Any,
        messages: Sequence[str],
        actions: Sequence[str],
        sender_payoffs: Any,
        receiver_payoffs: Any,
        players: tuple[str, str] = ("Sender", "Receiver"),
        title: str = "",
    ) -> None:
        self._types = _labels(types, "types")
        self._messages = _labels(messages, "messages")
        self._actions = _labels(actions, "actions")
        shape = (len(self._types), len(self._messages), len(self._actions))
        self._prior = _prior_vector(prior, shape[0])
        self._sender_payoffs = _payoff_array(sender_payoffs, shape, "sender")
        self._receiver_payoffs = _payoff_array(receiver_payoffs, shape, "receiver")
        names = tuple(str(p) for p in players) if not isinstance(players, str) else ()
        if len(names) != 2 or names[0] == names[1]:
            raise GameError(
                f"players must be two distinct names (sender, receiver); got {players!r}"
            )
        self._players = names
        self.title = str(title)

    # ------------------------------------------------------------------ views
    @property
    def types(self) -> tuple[str, ...]:
        return self._types

    @property
    def prior(self) -> np.ndarray:
        """Read-only prior over types, shape ``(T,)``."""
        return self._prior

    @property
    def messages(self) -> tuple[str, ...]:
        return self._messages

    @property
    def actions(self) -> tuple[str, ...]:
        return self._actions

    @property
    def sender_payoffs(self) -> np.ndarray:
        """Read-only array ``u_S[t, m, a]`` of shape ``(T, M, A)``."""
        return self._sender_payoffs

    @property
    def receiver_payoffs(self) -> np.ndarray:
        """Read-only array ``u_R[t, m, a]`` of shape ``(T, M, A)``."""
        return self._receiver_payoffs

    @property
    def players(self) -> tuple[str, str]:
        return self._players

    @property
    def shape(self) -> tuple[int, int, int]:
        """``(number of types, number of messages, number of actions)``."""
        return (len(self._types), len(self._messages), len(self._actions))

    @property
    def payoff_span(self) -> float:
        """Largest minus smallest payoff over both players (scales tolerances)."""
        both = np.concatenate([self._sender_payoffs.ravel(), self._receiver_payoffs.ravel()])
        return float(both.max() - both.min())

    def type_index(self, label: str | int) -> int:
        """Position of a type given by label or index.

        Examples
        --------
        >>> _beer_quiche().type_index("strong")
        1
        """
        return _index(self._types, label, "type")

    def message_index(self, label: str | int) -> int:
        """Position of a message given by label or index."""
        return _index(self._messages, label, "message")

    def action_index(self, label: str | int) -> int:
        """Position of an action given by label or index."""
        return _index(self._actions, label, "action")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SignallingGame):
            return NotImplemented
        return (
            self._types == other._types
            and self._messages == other._messages
            and self._actions == other._actions
            and self._players == other._players
            and bool(np.array_equal(self._prior, other._prior))
            and bool(np.array_equal(self._sender_payoffs, other._sender_payoffs))
            and bool(np.array_equal(self._receiver_payoffs, other._receiver_payoffs))
        )

    def __hash__(self) -> int:
        return hash(
            (
                self._types,
                self._messages,
                self._actions,
                self._players,
                self._prior.tobytes(),
                self._sender_payoffs.tobytes(),
                self._receiver_payoffs.tobytes(),
            )
        )

    # ------------------------------------------------------------------ conversion
    def to_extensive(self) -> ExtensiveGame:
        """The game as an extensive-form tree.

        Chance picks the type; the sender has one information set per type (labelled by
        the type); the receiver has one information set per message (labelled by the
        message) holding one node per type.

        Examples
        --------
        >>> tree = _beer_quiche().to_extensive()
        >>> [h.label for h in tree.infosets if not h.is_chance]
        ['weak', 'beer', 'quiche', 'strong']
        >>> tree.strategic_form()[0].shape  # 2**2 sender plans, 2**2 receiver plans
        (4, 4)
        """
        from simulator.games.extensive import ExtensiveGame
        from simulator.games.tree import Chance, Decision, Terminal

        sender, receiver = self._players

        def receiver_node(t: int, m: int) -> Any:
            leaves = {
                a: Terminal(
                    (float(self._sender_payoffs[t, m, k]), float(self._receiver_payoffs[t, m, k]))
                )
                for k, a in enumerate(self._actions)
            }
            return Decision(receiver, leaves, infoset=self._messages[m])

        branches = {
            label: (
                float(self._prior[t]),
                Decision(
                    sender,
                    {msg: receiver_node(t, m) for m, msg in enumerate(self._messages)},
                    infoset=label,
                ),
            )
            for t, label in enumerate(self._types)
        }
        return ExtensiveGame.from_tree(list(self._players), root=Chance(branches))

    @classmethod
    def from_extensive(cls, game: ExtensiveGame) -> SignallingGame | None:
        """Recognise a signalling game in an extensive-form tree, or return ``None``.

        The tree must have this shape: a chance move at the root picks the type; each
        type's node belongs to the same player (the sender) in its own information set,
        with the same message labels; after each message the other player (the receiver)
        moves in one information set per message holding exactly one node per type, with
        the same action labels everywhere; every receiver action ends the game.

        Examples
        --------
        >>> again = SignallingGame.from_extensive(_beer_quiche().to_extensive())
        >>> again.types, again.messages, again.actions
        (('weak', 'strong'), ('beer', 'quiche'), ('duel', "don't"))
        """
        from simulator.games.tree import CHANCE, DECISION, TERMINAL

        kind, start, children = game.node_kind, game.child_start, game.children
        if game.num_players != 2 or kind[0] != CHANCE:
            return None

        def kids(v: int) -> np.ndarray:
            return children[start[v] : start[v + 1]]

        infosets = game.infosets
        root_set = infosets[game.node_infoset[0]]
        type_nodes = kids(0)
        if any(kind[v] != DECISION for v in type_nodes):
            return None
        senders = {int(game.node_player[v]) for v in type_nodes}
        sender_sets = [int(game.node_infoset[v]) for v in type_nodes]
        if len(senders) != 1 or len(set(sender_sets)) != len(sender_sets):
            return None
        sender = senders.pop()
        messages = infosets[sender_sets[0]].actions
        if any(infosets[h].actions != messages for h in sender_sets):
            return None
        num_types, num_messages = len(type_nodes), len(messages)
        receiver_sets: list[int] = []
        actions: tuple[str, ...] | None = None
        u_sender: list[list[list[float]]] = [
            [[] for _ in range(num_messages)] for _ in range(num_types)
        ]
        u_receiver = [[[] for _ in range(num_messages)] for _ in range(num_types)]
        for m in range(num_messages):
            nodes = [int(kids(int(v))[m]) for v in type_nodes]
            if any(kind[w] != DECISION or game.node_player[w] == sender for w in nodes):
                return None
            sets = {int(game.node_infoset[w]) for w in nodes}
            if len(sets) != 1:
                return None
            h = sets.pop()
            if sorted(infosets[h].nodes) != sorted(nodes) or h in receiver_sets:
                return None
            receiver_sets.append(h)
            if actions is None:
                actions = infosets[h].actions
            if infosets[h].actions != actions:
                return None
            for t, w in enumerate(nodes):
                leaves = kids(w)
                if any(kind[leaf] != TERMINAL for leaf in leaves):
                    return None
                payoff = game.terminal_payoffs[leaves]
                u_sender[t][m] = list(payoff[:, sender])
                u_receiver[t][m] = list(payoff[:, 1 - sender])
        assert actions is not None
        players = (game.players[sender], game.players[1 - sender])
        return cls(
            types=root_set.actions,
            prior=np.asarray(root_set.probabilities, dtype=float),
            messages=messages,
            actions=actions,
            sender_payoffs=u_sender,
            receiver_payoffs=u_receiver,
            players=players,
            title=game.title,
        )

    # ------------------------------------------------------------------ rendering
    def __repr__(self) -> str:
        title = f" {self.title!r}" if self.title else ""
        prior = ", ".join(f"{t!r}: {p:.4g}" for t, p in zip(self._types, self._prior))
        return (
            f"<SignallingGame{title} types {{{prior}}}, messages {list(self._messages)}, "
            f"actions {list(self._actions)}>"
        )

    def to_table(self, precision: int = 4) -> str:
        """A plain-text rendering: one table per type, messages down, actions across.

        Each cell reads ``sender payoff, receiver payoff``.

        Examples
        --------
        >>> print(_beer_quiche().to_table())
        Beer-Quiche
        Sender type weak (prior 0.1); cells: Sender, Receiver
        weak \\ Receiver | duel | don't
        ----------------+------+------
        beer            | 0, 1 |  2, 0
        quiche          | 1, 1 |  3, 0
        <BLANKLINE>
        Sender type strong (prior 0.9); cells: Sender, Receiver
        strong \\ Receiver | duel | don't
        ------------------+------+------
        beer              | 1, 0 |  3, 1
        quiche            | 0, 0 |  2, 1
        """

        def fmt(value: float) -> str:
            return format_number(value, precision)

        sender, receiver = self._players
        blocks = []
        for t, label in enumerate(self._types):
            corner = f"{label} \\ {receiver}"
            cells = [
                [
                    f"{fmt(self._sender_payoffs[t, m, a])}, {fmt(self._receiver_payoffs[t, m, a])}"
                    for a in range(len(self._actions))
                ]
                for m in range(len(self._messages))
            ]
            header = (
                f"{sender} type {label} (prior {self._prior[t]:.{precision}g}); "
                f"cells: {sender}, {receiver}"
            )
            blocks.append(render_grid(corner, self._messages, self._actions, cells, [header]))
        text = "\n\n".join(blocks)
        return f"{self.title}\n{text}" if self.title else text

    def __str__(self) -> str:
        return self.to_table()

    def _repr_html_(self) -> str:
        from html import escape

        return f"<pre>{escape(self.to_table())}</pre>"


def _index(labels: tuple[str, ...], label: str | int, what: str) -> int:
    if isinstance(label, (int, np.integer)):
        if not 0 <= int(label) < len(labels):
            raise GameError(f"there is no {what} number {label}; valid are 0..{len(labels) - 1}")
        return int(label)
    try:
        return labels.index(label)
    except ValueError:
        raise GameError(f"no {what} {label!r}; the {what}s are {list(labels)}") from None


def _beer_quiche() -> SignallingGame:
    """Beer-Quiche (Cho & Kreps 1987), used by the examples in this module."""
    return SignallingGame(
        ["weak", "strong"],
        [0.1, 0.9],
        ["beer", "quiche"],
        ["duel", "don't"],
        [[[0, 2], [1, 3]], [[1, 3], [0, 2]]],
        [[[1, 0], [1, 0]], [[0, 1], [0, 1]]],
        title="Beer-Quiche",
    )
