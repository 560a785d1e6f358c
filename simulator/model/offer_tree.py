"""The offer game as an explicit game tree, and its selected equilibrium as a behaviour profile.

The batched solver of :mod:`simulator.model.offer_game` works on payoff tables; this module
writes the same game out as an :class:`~simulator.games.extensive.ExtensiveGame` (chance, Russia,
each Western government, Ukraine, the staller's keep-or-break choice, with their information
sets) so that the core's generic checks (:func:`~simulator.solvers.extensive_equilibrium.
sequential_rationality_regret`) can certify the selected equilibrium independently of the
solver's own certificate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from simulator.games.behaviour import BehaviourProfile
from simulator.games.extensive import Chance, Decision, ExtensiveGame, Terminal
from simulator.model.negotiation import NegotiationModel
from simulator.model.offer_game import _offer_list, _points, _search
from simulator.model.offer_tables import BROKEN, SETTLED, TYPES, WAR, continuation, tables
from simulator.model.offers import Offer

__all__ = ["OfferTree", "offer_game_tree"]

_SEP = "|"


@dataclass(frozen=True, eq=False)
class OfferTree:
    """The game tree at one parameter point, with the selected equilibrium on it.

    Attributes
    ----------
    game : ExtensiveGame
        Players ``"Russia"``, the governments by name, ``"Ukraine"``.
    behaviour : BehaviourProfile
        The selected equilibrium (``None`` where none was found).
    beliefs : numpy array
        A belief at every decision node: the equilibrium's posterior over Russia's types after
        each message (Bayes on the path, the stated belief off it), and the profile's own moves
        for the governments that moved earlier.
    """

    game: ExtensiveGame
    behaviour: BehaviourProfile | None
    beliefs: np.ndarray | None


def _profile_label(names: Sequence[str], holds: Sequence[bool]) -> str:
    return ", ".join(f"{g} {'holds' if h else 'eases'}" for g, h in zip(names, holds))


def offer_game_tree(model: NegotiationModel, offer: Offer | Sequence[Offer]) -> OfferTree:
    """Write the offer game out as a tree at the model's parameters.

    Examples
    --------
    >>> tree = offer_game_tree(NegotiationModel(), Offer(alignment=0.3, territory=0.2))
    >>> tree.game.players
    ('Russia', 'West', 'Ukraine')
    >>> from simulator.solvers.extensive_equilibrium import sequential_rationality_regret
    >>> sequential_rationality_regret(tree.behaviour, tree.beliefs) <= 1e-9
    True
    """
    offers = _offer_list(offer)
    names = tuple(g.name for g in model.west.governments)
    clash = {"Russia", "Ukraine"} & set(names)
    if clash:
        raise ValueError(
            f"a Western government may not be called {sorted(clash)} in the game tree; rename it"
        )
    v, offer_values, _ = _points(model, offers, None)
    t = tables(v, names, model.west.aggregation, offers, offer_values)
    c = continuation(t)
    best = _search(t, c)
    n = len(names)
    messages = [m for m in range(t.num_messages) if t.available[0, m]]

    def payoffs(k: int, m: int, p: int, outcome: int) -> Terminal:
        sunk = t.russia_sunk[0, k, m, p] if m > 0 else 0.0
        if outcome == WAR:
            russia = t.russia_war[0, k, p] - sunk
        elif outcome == SETTLED:
            russia = t.russia_keep[0, k, m, p] - sunk
        else:
            d = float(v["russia.discount_factor"][0])
            russia = (1 - d) * t.russia_keep[0, k, m, p] + d * t.russia_renewed[0, k, m] - sunk
        governments = [float(t.government[0, i, k, m, p, outcome]) for i in range(n)]
        ukraine = float(t.ukraine_by_outcome[0, k, m, p, outcome])
        return Terminal([float(russia), *governments, ukraine])

    def after_west(k: int, m: int, holds: tuple[bool, ...], history: str) -> Any:
        p = sum(1 << i for i, h in enumerate(holds) if h)
        if m == 0:
            return payoffs(k, m, p, WAR)
        label = f"after {t.messages[m]}, {_profile_label(names, holds)}"
        if t.can_break[0, k, m]:
            signed: Any = Decision(
                "Russia",
                {"keep": payoffs(k, m, p, SETTLED), "break": payoffs(k, m, p, BROKEN)},
                infoset=f"{TYPES[k]}: signed {label}",
                label=f"{history}{_SEP}signed",
            )
        else:
            signed = payoffs(k, m, p, SETTLED)
        return Decision(
            "Ukraine",
            {"accept": signed, "reject": payoffs(k, m, p, WAR)},
            infoset=label,
            label=history,
        )

    def government(k: int, m: int, i: int, holds: tuple[bool, ...]) -> Any:
        history = _SEP.join([str(k), str(m), *("1" if h else "0" for h in holds)])
        if i == n:
            return after_west(k, m, holds, history)
        return Decision(
            names[i],
            {
                "hold": government(k, m, i + 1, (*holds, True)),
                "ease": government(k, m, i + 1, (*holds, False)),
            },
            infoset=f"after {t.messages[m]}",
            label=history,
        )

    root = Chance(
        {
            TYPES[k]: (
                float(t.prior[0, k]),
                Decision(
                    "Russia",
                    {t.messages[m]: government(k, m, 0, ()) for m in messages},
                    infoset=TYPES[k],
                    label=str(k),
                ),
            )
            for k in range(4)
        }
    )
    game = ExtensiveGame.from_tree(
        ["Russia", *names, "Ukraine"],
        root,
        title=f"Offer game: {', '.join(o.name for o in offers)}",
    )
    if not best.found[0]:
        return OfferTree(game, None, None)

    # ---------------------------------------------------------------- the selected profile
    assignment = best.assignment[0]
    belief_of = {m: int(best.beliefs[0, m]) for m in range(t.num_messages)}
    held = {m: t.hold[max(int(c.profile[0, m, belief_of[m]]), 0)] for m in messages}
    strategies: dict[Any, Any] = {}
    for k in range(4):
        strategies[("Russia", TYPES[k])] = {t.messages[int(assignment[k])]: 1.0}
    for m in messages:
        for i, g in enumerate(names):
            strategies[(g, f"after {t.messages[m]}")] = {"hold" if held[m][i] else "ease": 1.0}
    for info in game.infosets:
        if info.is_chance:
            continue
        player = game.players[info.player]
        if player == "Ukraine":
            m = next(j for j in messages if info.label.startswith(f"after {t.messages[j]}, "))
            profile_text = info.label[len(f"after {t.messages[m]}, ") :]
            p = _profile_index(names, profile_text)
            accept = bool(c.accept[0, m, belief_of[m], p])
            strategies[(player, info.label)] = {"accept" if accept else "reject": 1.0}
        elif player == "Russia" and ": signed " in info.label:
            k = TYPES.index(info.label.split(": signed ")[0])
            rest = info.label.split(": signed ")[1]
            m = next(j for j in messages if rest.startswith(f"after {t.messages[j]}, "))
            p = _profile_index(names, rest[len(f"after {t.messages[m]}, ") :])
            strategies[(player, info.label)] = {"break" if t.breaks[0, k, m, p] else "keep": 1.0}
    behaviour = BehaviourProfile.from_dict(game, strategies)

    # ---------------------------------------------------------------- beliefs at every node
    beliefs = np.full(game.num_nodes, np.nan)
    labels = game.node_labels
    for node in np.flatnonzero(game.node_player >= 0):
        parts = labels[node].split(_SEP)
        k = int(parts[0])
        if len(parts) == 1 or parts[-1] == "signed":
            beliefs[node] = 1.0  # Russia knows its type
            continue
        m = int(parts[1])
        holds = [p == "1" for p in parts[2:]]
        earlier_match = all(h == held[m][i] for i, h in enumerate(holds[: len(holds)]))
        mu = c.belief[0, belief_of[m], k]
        beliefs[node] = mu if (earlier_match or len(holds) == n) else 0.0
    # governments' sets: normalise where the profile's own earlier moves were not followed
    for info in game.infosets:
        if info.is_chance:
            continue
        nodes = np.array(info.nodes)
        total = beliefs[nodes].sum()
        if total <= 0:
            beliefs[nodes] = c.belief[
                0, belief_of[0], [int(labels[x].split(_SEP)[0]) for x in nodes]
            ]
            total = beliefs[nodes].sum()
        beliefs[nodes] = beliefs[nodes] / total
    return OfferTree(game, behaviour, beliefs)


def _profile_index(names: Sequence[str], text: str) -> int:
    index = 0
    for i, (g, part) in enumerate(zip(names, text.split(", "))):
        if part == f"{g} holds":
            index |= 1 << i
    return index
