"""The offer game as an explicit game tree: an independent check, and mixed equilibria.

The batched solver works on payoff tables; this module writes the same game out as an
:class:`~simulator.games.extensive.ExtensiveGame` (chance draws Russia's type; Russia; each
Western government, each with one information set per message; Ukraine, one information set per
message and profile of the governments; a staller's keep-or-break choice) and converts between
an :class:`~simulator.model.offer_assessment.Assessment` and a behaviour profile with beliefs on
that tree. Two uses:

* the core's generic checks (:func:`~simulator.solvers.extensive_equilibrium.
  sequential_rationality_regret`) certify the selected equilibrium independently of the solver;
* where no equilibrium in pure strategies for Russia exists, the limit of the logit agent
  quantal-response branch (:func:`~simulator.solvers.agent_logit.sequential_equilibrium`) gives a
  sequential equilibrium, possibly mixed, which is read back as an assessment (McKelvey &
  Palfrey 1998; Kreps & Wilson 1982).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from simulator.games.behaviour import BehaviourProfile
from simulator.games.extensive import Chance, Decision, ExtensiveGame, Terminal
from simulator.model.negotiation import NegotiationModel
from simulator.model.offer_assessment import Assessment
from simulator.model.offer_points import offer_list, points
from simulator.model.offer_search import pure_assessment, search
from simulator.model.offer_tables import BROKEN, SETTLED, TYPES, WAR, Tables, continuation, tables
from simulator.model.offers import Offer

__all__ = ["OfferTree", "mixed_equilibrium", "offer_game_tree", "tree_of"]


@dataclass(frozen=True, eq=False)
class OfferTree:
    """The game tree at one parameter point, with an equilibrium on it.

    Attributes
    ----------
    game : ExtensiveGame
        Players ``"Russia"``, the governments by name, ``"Ukraine"``.
    behaviour : BehaviourProfile or None
        The selected equilibrium (``None`` where none was found).
    beliefs : numpy array or None
        A belief at every decision node: the equilibrium's posterior over Russia's types after
        each message, and the equilibrium's own earlier moves of the governments.
    """

    game: ExtensiveGame
    behaviour: BehaviourProfile | None
    beliefs: np.ndarray | None


def _profile_label(names: Sequence[str], profile: int) -> str:
    return ", ".join(f"{g} {'holds' if profile >> i & 1 else 'eases'}" for i, g in enumerate(names))


def _ukraine_label(t: Tables, m: int, profile: int) -> str:
    return f"after {t.messages[m]}, {_profile_label(t.names, profile)}"


def _break_label(t: Tables, k: int, m: int, profile: int) -> str:
    return f"{TYPES[k]}: signed {_ukraine_label(t, m, profile)}"


def tree_of(t: Tables, i: int) -> ExtensiveGame:
    """The game tree at point ``i`` of the tables.

    Decision nodes are labelled ``type|message|holds...`` (the history), so beliefs can be
    written node by node.

    Parameters
    ----------
    t : Tables
        The game's payoffs at ``N`` points.
    i : int
        The point, in ``range(N)``.

    Returns
    -------
    ExtensiveGame
        Chance draws Russia's type at the prior; Russia sends one of the messages available
        at the point; each government holds or eases; Ukraine accepts or rejects an offer; a
        staller with an edge keeps or breaks a signed deal. Players ``"Russia"``, the
        governments, ``"Ukraine"``; payoffs those of ``t``.

    Raises
    ------
    ValueError
        If a Western government is called ``"Russia"`` or ``"Ukraine"``.

    Examples
    --------
    >>> from simulator.model import NegotiationModel, Offer
    >>> from simulator.model.offer_points import points
    >>> from simulator.model.offer_tables import tables
    >>> v, offer_values, _ = points(NegotiationModel(), (Offer(),), None)
    >>> game = tree_of(tables(v, ("West",), "sum", (Offer(),), offer_values), 0)
    >>> game.players, game.num_nodes
    (('Russia', 'West', 'Ukraine'), 53)
    """
    names = t.names
    clash = {"Russia", "Ukraine"} & set(names)
    if clash:
        raise ValueError(
            f"a Western government may not be called {sorted(clash)} in the game tree; rename it"
        )
    n = len(names)
    messages = [m for m in range(t.num_messages) if t.available[i, m]]

    def leaf(k: int, m: int, p: int, outcome: int) -> Terminal:
        russia = {
            WAR: t.russia_war[i, k, p],
            SETTLED: t.russia_keep[i, k, m, p],
            BROKEN: t.russia_broken[i, k, m, p],
        }[outcome] - t.russia_sunk[i, k, m, p]
        governments = [float(t.government[i, j, k, m, p, outcome]) for j in range(n)]
        ukraine = float(t.ukraine_by_outcome[i, k, m, p, outcome])
        return Terminal([float(russia), *governments, ukraine])

    def after_west(k: int, m: int, p: int, history: str) -> Decision | Terminal:
        if m == 0:
            return leaf(k, m, p, WAR)
        signed: Decision | Terminal = leaf(k, m, p, SETTLED)
        if t.can_break[i, k, m]:
            signed = Decision(
                "Russia",
                {"keep": leaf(k, m, p, SETTLED), "break": leaf(k, m, p, BROKEN)},
                infoset=_break_label(t, k, m, p),
                label=f"{history}|signed",
            )
        return Decision(
            "Ukraine",
            {"accept": signed, "reject": leaf(k, m, p, WAR)},
            infoset=_ukraine_label(t, m, p),
            label=history,
        )

    def government(k: int, m: int, j: int, p: int) -> Decision | Terminal:
        history = "|".join([str(k), str(m), *(str(p >> g & 1) for g in range(j))])
        if j == n:
            return after_west(k, m, p, history)
        return Decision(
            names[j],
            {
                "hold": government(k, m, j + 1, p | 1 << j),
                "ease": government(k, m, j + 1, p),
            },
            infoset=f"after {t.messages[m]}",
            label=history,
        )

    root = Chance(
        {
            TYPES[k]: (
                float(t.prior[i, k]),
                Decision(
                    "Russia",
                    {t.messages[m]: government(k, m, 0, 0) for m in messages},
                    infoset=TYPES[k],
                    label=str(k),
                ),
            )
            for k in range(4)
        }
    )
    return ExtensiveGame.from_tree(["Russia", *names, "Ukraine"], root, title="Offer game")


def behaviour_of(
    t: Tables, i: int, game: ExtensiveGame, a: Assessment
) -> tuple[BehaviourProfile, np.ndarray]:
    """Point ``i`` of an assessment as a behaviour profile and beliefs on the tree."""
    strategies: dict[tuple[str, str], dict[str, float]] = {}
    messages = [m for m in range(t.num_messages) if t.available[i, m]]
    for k in range(4):
        strategies[("Russia", TYPES[k])] = {t.messages[m]: a.sender[i, k, m] for m in messages}
    for m in messages:
        for j, g in enumerate(t.names):
            e = float(a.ease[i, m, j])
            strategies[(g, f"after {t.messages[m]}")] = {"hold": 1.0 - e, "ease": e}
    sets = {(game.players[info.player], info.label) for info in game.infosets}
    for m in messages[1:]:
        for p in range(t.hold.shape[0]):
            acc = float(a.accept[i, m, p])
            strategies[("Ukraine", _ukraine_label(t, m, p))] = {"accept": acc, "reject": 1 - acc}
            for k in range(4):
                key = ("Russia", _break_label(t, k, m, p))
                if key in sets:  # only a staller with an edge has the choice
                    b = float(a.breaks[i, k, m, p])
                    strategies[key] = {"break": b, "keep": 1.0 - b}
    behaviour = BehaviourProfile.from_dict(game, strategies)
    # beliefs: the posterior after the message, times the equilibrium's earlier moves
    joint = t.prior[i][:, None] * a.sender[i]
    mass = joint.sum(axis=0)
    mu = np.where(mass > 1e-12, joint / np.where(mass > 0, mass, 1.0), a.belief[i].T)  # (T, M)
    beliefs = np.full(game.num_nodes, np.nan)
    labels = game.node_labels
    for node in np.flatnonzero(game.node_player >= 0):
        parts = labels[node].split("|")
        if len(parts) == 1 or parts[-1] == "signed":
            beliefs[node] = 1.0  # Russia knows its type; the break choice is a singleton
            continue
        k, m = int(parts[0]), int(parts[1])
        weight = mu[k, m]
        for j, bit in enumerate(parts[2:]):
            e = a.ease[i, m, j]
            weight *= (1.0 - e) if bit == "1" else e
        beliefs[node] = weight
    for info in game.infosets:
        if info.is_chance:
            continue
        nodes = np.array(info.nodes)
        total = beliefs[nodes].sum()
        if total <= 0:  # the governments' own zero-probability moves: the message's belief
            beliefs[nodes] = [
                mu[int(labels[x].split("|")[0]), int(labels[x].split("|")[1])] for x in nodes
            ]
            total = beliefs[nodes].sum()
        beliefs[nodes] = beliefs[nodes] / total
    return behaviour, beliefs


def assessment_of(
    t: Tables,
    i: int,
    game: ExtensiveGame,
    behaviour: BehaviourProfile,
    beliefs: np.ndarray,
    a: Assessment,
) -> None:
    """Write a behaviour profile and beliefs on the tree of point ``i`` into row ``i`` of ``a``."""
    messages = [m for m in range(t.num_messages) if t.available[i, m]]
    index = {
        (game.players[info.player], info.label): h
        for h, info in enumerate(game.infosets)
        if not info.is_chance
    }

    def probs(player: str, label: str) -> dict[str, float]:
        h = index[(player, label)]
        return dict(zip(game.infosets[h].actions, behaviour[h].tolist()))

    a.sender[i] = 0.0
    for k in range(4):
        for action, p in probs("Russia", TYPES[k]).items():
            a.sender[i, k, t.messages.index(action)] = p
    for m in messages:
        for j, g in enumerate(t.names):
            a.ease[i, m, j] = probs(g, f"after {t.messages[m]}")["ease"]
        first = index[(t.names[0], f"after {t.messages[m]}")]
        nodes = [x for x in game.infosets[first].nodes]
        weights = np.zeros(4)
        for x in nodes:
            weights[int(game.node_labels[x].split("|")[0])] += beliefs[x]
        a.belief[i, m] = weights / weights.sum()
        if m == 0:
            continue
        for p in range(t.hold.shape[0]):
            a.accept[i, m, p] = probs("Ukraine", _ukraine_label(t, m, p))["accept"]
            for k in range(4):
                if t.can_break[i, k, m]:
                    a.breaks[i, k, m, p] = probs("Russia", _break_label(t, k, m, p))["break"]


def mixed_equilibrium(t: Tables, i: int, a: Assessment) -> bool:
    """Fill row ``i`` of ``a`` with a sequential equilibrium traced on the tree, if one certifies.

    Returns whether it did. The equilibrium is the limit of the logit agent QRE branch
    (:func:`~simulator.solvers.agent_logit.sequential_equilibrium`); Russia and the governments
    may mix. Row ``i`` is then marked found, not checked for the intuitive criterion, with one
    equilibrium and ``method`` ``"agent logit tracing (sequential equilibrium)"``; where the
    tracing fails (or its equilibrium does not certify on the tree) ``a`` is left unchanged.

    Parameters
    ----------
    t : Tables
        The game's payoffs at ``N`` points.
    i : int
        The point, in ``range(N)``.
    a : Assessment
        The assessment to fill in (changed in place, row ``i`` only).

    Returns
    -------
    bool
        Whether a sequential equilibrium was traced and written into row ``i``.
    """
    from simulator.solvers.agent_logit import sequential_equilibrium
    from simulator.solvers.equilibrium import CertificationError

    try:
        game = tree_of(t, i)
        eq = sequential_equilibrium(game)
    except (CertificationError, ArithmeticError, ValueError):
        return False
    assessment_of(t, i, game, eq.behaviour, eq.beliefs, a)
    a.found[i] = True
    a.intuitive[i] = False  # not checked for mixed equilibria
    a.equilibria[i] = 1
    a.continuation_equilibria[i] = np.nan
    a.method[i] = "agent logit tracing (sequential equilibrium)"
    return True


def offer_game_tree(model: NegotiationModel, offer: Offer | Sequence[Offer]) -> OfferTree:
    """The offer game written out as a tree at the model's parameters, with its selected PBE.

    The equilibrium is the one the offer game selects: the pure-strategy search, or where it
    finds none, the sequential equilibrium traced on the tree (:func:`mixed_equilibrium`).

    Parameters
    ----------
    model : NegotiationModel
        The actors' parameters.
    offer : Offer or sequence of Offer
        A fixed offer, or the menu Russia chooses from.

    Returns
    -------
    OfferTree
        The game tree with the equilibrium as a behaviour profile and beliefs at every
        decision node (both ``None`` where no equilibrium was found).

    Raises
    ------
    TypeError
        If ``offer`` is neither an :class:`Offer` nor a non-empty sequence of them.
    ValueError
        If the offers of a menu share a name, or a Western government is called ``"Russia"``
        or ``"Ukraine"``.

    Examples
    --------
    >>> tree = offer_game_tree(NegotiationModel(), Offer(alignment=0.3, territory=0.2))
    >>> tree.game.players
    ('Russia', 'West', 'Ukraine')
    >>> from simulator.solvers.extensive_equilibrium import sequential_rationality_regret
    >>> sequential_rationality_regret(tree.behaviour, tree.beliefs) <= 1e-9
    True
    """
    offers = offer_list(offer)
    v, offer_values, _ = points(model, offers, None)
    names = tuple(g.name for g in model.west.governments)
    t = tables(v, names, model.west.aggregation, offers, offer_values)
    a = pure_assessment(t, c := continuation(t), search(t, c))
    game = tree_of(t, 0)
    if not a.found[0] and not mixed_equilibrium(t, 0, a):
        return OfferTree(game, None, None)
    behaviour, beliefs = behaviour_of(t, 0, game, a)
    return OfferTree(game, behaviour, beliefs)
