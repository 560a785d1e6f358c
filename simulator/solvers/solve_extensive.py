"""Solution concepts for extensive-form games behind one entry point.

``solve_extensive(game, concept=...)`` picks the algorithm for the concept and returns
certified :class:`~simulator.solvers.extensive_equilibrium.ExtensiveEquilibrium` objects:

- ``"spe"``: subgame-perfect equilibria, by backward induction for perfect-information
  games (every tie-induced equilibrium) and by subgame decomposition otherwise;
- ``"nash"``: Nash equilibria in behaviour strategies; for three or more players, where some
  player's mixed strategies are redundant in the reduced strategic form
  (:func:`~simulator.solvers.sequence_supports.redundant_mixtures`), every isolated one by
  support enumeration on the sequence form when the tree has at most 5,000 support profiles
  and 5,000 homotopy paths to track (:mod:`~simulator.solvers.sequence_supports`); otherwise all
  extreme ones through the reduced strategic form when it is small, else one through the
  sequence form (two players) or logit tracing on the strategic form;
- ``"pbe"``: perfect Bayesian equilibria; for signalling games every pure and hybrid
  one (with the intuitive criterion and off-path belief ranges in ``parameters``),
  otherwise a sequential equilibrium (which is perfect Bayesian);
- ``"sequential"``: the sequential equilibrium selected by logit agent QRE tracing;
  in games of perfect information the backward-induction equilibrium (beliefs are
  trivial there, and "pbe" gives every pure subgame-perfect equilibrium).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from simulator.games.behaviour import BehaviourProfile
from simulator.games.errors import GameError
from simulator.games.extensive import ExtensiveGame
from simulator.solvers.extensive_equilibrium import ExtensiveEquilibrium, certify_extensive
from simulator.solvers.sequence_supports import (
    count_support_profiles,
    estimated_paths,
    non_isolated_message,
    redundant_mixtures,
    sequence_support_enumeration_result,
)
from simulator.solvers.solve_normal import solve_normal_form
from simulator.solvers.support_enumeration_n import NonIsolatedEquilibriaWarning

__all__ = ["solve_extensive", "EXTENSIVE_CONCEPTS", "signalling_equilibria"]

EXTENSIVE_CONCEPTS: dict[str, str] = {
    "spe": "subgame-perfect equilibria (backward induction; subgame decomposition)",
    "nash": "Nash equilibria in behaviour strategies (sequence form or reduced strategic form)",
    "pbe": "perfect Bayesian equilibria with beliefs on and off the path",
    "sequential": "a sequential equilibrium, the limit of logit agent QRE tracing",
}

#: Largest reduced strategic form (pure profiles) that "nash" enumerates completely.
_STRATEGIC_LIMIT = 20_000
#: Largest number of sequence-form support profiles of a tree of three or more players that
#: "nash" enumerates (about a millisecond each; Gambit's jury trees have 729).
_SEQUENCE_SUPPORT_LIMIT = 5_000
#: ... and at most this many homotopy paths to track (the jury trees: 282).
_SEQUENCE_PATH_LIMIT = 5_000


def _nash_on_sequences(game: ExtensiveGame, tol: float | None) -> list[ExtensiveEquilibrium]:
    """Every isolated equilibrium of a tree of three or more players, by support enumeration
    on its sequence form; warns where the game may have non-isolated ones."""
    found = sequence_support_enumeration_result(game, tol=tol)
    if found.non_isolated:
        warnings.warn(non_isolated_message(found), NonIsolatedEquilibriaWarning, stacklevel=4)
    return list(found.equilibria)


def _nash(game: ExtensiveGame, tol: float | None, **parameters: Any) -> list[ExtensiveEquilibrium]:
    # refused before any solving: the equilibria are reported in behaviour strategies
    game.require_perfect_recall("the search for Nash equilibria in behaviour strategies")
    if (
        game.num_players >= 3
        and not parameters
        and redundant_mixtures(game)
        and count_support_profiles(game) <= _SEQUENCE_SUPPORT_LIMIT
        and estimated_paths(game) <= _SEQUENCE_PATH_LIMIT
    ):
        return _nash_on_sequences(game, tol)
    try:
        normal, plans = game.strategic_form(max_profiles=_STRATEGIC_LIMIT)
    except GameError:
        normal = None
    if normal is not None:
        out = []
        for eq in solve_normal_form(normal, tol=tol, **parameters):
            behaviour = BehaviourProfile.from_mixed(game, plans, list(eq.profile))
            out.append(
                certify_extensive(
                    behaviour,
                    "nash",
                    f"reduced strategic form, {eq.method}",
                    {"component": eq.component} if eq.component is not None else {},
                    tol=tol,
                )
            )
        return out
    if game.num_players == 2:
        from simulator.solvers.sequence_form import sequence_form_equilibrium

        return [sequence_form_equilibrium(game)]
    from simulator.solvers.agent_logit import sequential_equilibrium

    return [sequential_equilibrium(game)]


def signalling_equilibria(
    game: ExtensiveGame, tol: float | None = None
) -> list[ExtensiveEquilibrium] | None:
    """Every pure and hybrid PBE of a tree shaped as a signalling game, or ``None``.

    Each result carries, in ``parameters``, its classification (``kind``), whether it
    passes the Cho-Kreps intuitive criterion, and the supporting off-path belief ranges.

    Parameters
    ----------
    game : ExtensiveGame
        Any tree; it is solved only when ``SignallingGame.from_extensive`` recognises it
        as a signalling game.
    tol : float, optional
        Largest accepted regret (default: each player's own bound).

    Returns
    -------
    list of ExtensiveEquilibrium or None
        One equilibrium per outcome, in the order of
        :func:`~simulator.solvers.signalling_pbe.perfect_bayesian_equilibria`, each
        certified as ``"perfect Bayesian"`` with its beliefs; ``None`` when the tree is
        not a signalling game.

    Raises
    ------
    GameError
        If the game has too many sender support patterns for enumeration.
    CertificationError
        If an equilibrium found fails the certification on the tree.
    """
    from simulator.games.signalling import SignallingGame
    from simulator.solvers.signalling_pbe import perfect_bayesian_equilibria

    signalling = SignallingGame.from_extensive(game)
    if signalling is None:
        return None
    start, children = game.child_start, game.children
    type_nodes = children[start[0] : start[1]]
    out = []
    for eq in perfect_bayesian_equilibria(signalling, tol=tol):
        flat = np.zeros(game.num_actions_total)
        beliefs = np.full(game.num_nodes, np.nan)
        offsets = game.action_offsets
        for t, v in enumerate(type_nodes):
            h = game.node_infoset[v]
            flat[offsets[h] : offsets[h] + len(signalling.messages)] = eq.sender[t]
            beliefs[v] = 1.0
            for m, w in enumerate(children[start[v] : start[v + 1]]):
                h_receiver = game.node_infoset[w]
                flat[offsets[h_receiver] : offsets[h_receiver] + len(signalling.actions)] = (
                    eq.receiver[m]
                )
                beliefs[w] = eq.beliefs[m, t]
        behaviour = BehaviourProfile.from_flat(game, flat)
        ranges = {
            message: [list(map(float, r)) for r in belief.intervals]
            if len(signalling.types) == 2
            else str(belief)
            for message, belief in eq.off_path_beliefs.items()
        }
        parameters = {"kind": eq.kind, "intuitive": eq.intuitive, "off_path_beliefs": ranges}
        out.append(
            certify_extensive(
                behaviour,
                "perfect Bayesian",
                "signalling-game enumeration",
                parameters,
                beliefs=beliefs,
                tol=tol,
            )
        )
    return out


def solve_extensive(
    game: ExtensiveGame, concept: str = "spe", *, tol: float | None = None, **parameters: Any
) -> list[ExtensiveEquilibrium]:
    """Certified equilibria of an extensive-form game under a solution concept.

    Parameters
    ----------
    game : ExtensiveGame
    concept : str
        ``"spe"`` (default), ``"nash"``, ``"pbe"`` or ``"sequential"``.
    tol : float, optional
        Largest accepted regret (default: each player's
        :func:`~simulator.solvers.equilibrium.player_tolerances`).
    **parameters
        Passed on to the algorithm.

    Returns
    -------
    list of ExtensiveEquilibrium
        Certified under the concept. ``"spe"`` and ``"nash"`` give every equilibrium the
        algorithm finds (``"nash"`` enumerates the supports of the sequence form for three or
        more players where some player's mixed strategies are redundant, there are at most
        5,000 support profiles and paths to track and no ``method`` is given, else the reduced
        strategic form when it has at most 20,000 pure profiles, else returns one
        equilibrium); ``"pbe"`` gives every
        equilibrium of a signalling game or of a game of perfect information, else one
        sequential equilibrium; ``"sequential"`` gives one.

    Raises
    ------
    GameError
        If ``game`` is not an :class:`ExtensiveGame` or ``concept`` is unknown, or the
        algorithm refuses the game or its parameters.
    CertificationError
        If an algorithm's answer fails its certificate.

    Examples
    --------
    >>> from simulator.games.extensive import Decision, Terminal
    >>> entry = ExtensiveGame.from_tree(["Entrant", "Incumbent"], Decision("Entrant", {
    ...     "out": Terminal([0, 2]),
    ...     "in": Decision("Incumbent", {"fight": Terminal([-1, -1]), "share": Terminal([1, 1])})}))
    >>> [eq.strategy("Incumbent") for eq in solve_extensive(entry, "spe")]
    [{'in': {'fight': 0.0, 'share': 1.0}}]
    >>> len(solve_extensive(entry, "nash"))  # the incredible threat is Nash, not subgame perfect
    3
    """
    if not isinstance(game, ExtensiveGame):
        raise GameError(f"solve_extensive needs an ExtensiveGame; got {type(game).__name__}")
    key = concept.lower().replace("_", "-")
    if key in ("spe", "subgame-perfect"):
        if game.is_perfect_information():
            from simulator.solvers.backward_induction import all_pure_spe

            return all_pure_spe(game, **parameters)
        from simulator.solvers.subgame_perfect import subgame_perfect_equilibria

        return subgame_perfect_equilibria(game, tol=tol, **parameters)
    if key == "nash":
        return _nash(game, tol, **parameters)
    if key in ("pbe", "perfect-bayesian", "sequential") and game.is_perfect_information():
        # every information set is one node: beliefs are trivial, and the sequential and
        # perfect Bayesian equilibria in pure strategies are the subgame-perfect ones
        from simulator.solvers.backward_induction import all_pure_spe, backward_induction

        if key == "sequential":
            return [backward_induction(game, concept="sequential", **parameters)]
        return all_pure_spe(game, concept="perfect Bayesian", **parameters)
    if key in ("pbe", "perfect-bayesian"):
        found = signalling_equilibria(game, tol=tol)
        if found is not None:
            return found
        from simulator.solvers.agent_logit import sequential_equilibrium

        return [sequential_equilibrium(game, **parameters)]
    if key == "sequential":
        from simulator.solvers.agent_logit import sequential_equilibrium

        return [sequential_equilibrium(game, **parameters)]
    raise GameError(f"unknown concept {concept!r}; choose one of {sorted(EXTENSIVE_CONCEPTS)}")
