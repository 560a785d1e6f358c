"""Certified equilibria of extensive-form games: the result type and its certificates.

Every extensive-form solver returns an :class:`ExtensiveEquilibrium` built by
:func:`certify_extensive`, which measures

* the **Nash regret**: the largest gain any player gets by switching unilaterally to
  any strategy, computed exactly by a best-response pass over the tree;
* the **certificate of the solution concept**: for subgame perfection the largest
  Nash regret over all subgames (Selten 1965); for sequential equilibrium and
  perfect Bayesian equilibrium the largest gain, at any information set on or off
  the path, from switching action there given the beliefs and the continuation
  behaviour (Kreps and Wilson 1982),

and refuses to return a profile whose regrets exceed the tolerance.

The best-response pass behind the Nash and subgame-perfection regrets is in
:mod:`simulator.solvers.extensive_best_response`; the beliefs and the sequential-rationality
gaps are in :mod:`simulator.solvers.extensive_beliefs`. This module holds the result type, the
tolerances and the certification, and re-exports the functions of both (``__all__``).

References
----------
.. [1] R. Selten, "Spieltheoretische Behandlung eines Oligopolmodells mit
   Nachfrageträgheit", *Zeitschrift für die gesamte Staatswissenschaft* 121 (1965)
   301-324 and 667-689 (subgame perfection).
.. [2] D. M. Kreps and R. Wilson, "Sequential equilibria", *Econometrica* 50 (1982)
   863-894.
.. [3] D. Fudenberg and J. Tirole, "Perfect Bayesian equilibrium and sequential
   equilibrium", *Journal of Economic Theory* 53 (1991) 236-260.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from simulator.games.behaviour import BehaviourProfile
from simulator.games.errors import GameError
from simulator.games.extensive import ExtensiveGame
from simulator.solvers.equilibrium import (
    VISIBLE_GAIN,
    CertificationError,
    default_tolerance,
    player_tolerances,
)
from simulator.solvers.extensive_beliefs import (
    BELIEF_TOLERANCE,
    _checked_beliefs,
    default_beliefs,
    infoset_tolerances,
    sequential_rationality_gaps,
    sequential_rationality_regret,
    sequential_rationality_regrets,
)
from simulator.solvers.extensive_best_response import (
    _pieces,
    _regrets_by_subgame,
    best_response,
    best_response_values,
    nash_regret,
    nash_regrets,
    subgame_best_response_values,
    subgame_perfection_regret,
    subgame_pieces,
)
from simulator.solvers.extensive_exact import exact_nash_regrets

__all__ = [
    "CONCEPTS",
    "ExtensiveEquilibrium",
    "best_response",
    "best_response_values",
    "certify_extensive",
    "default_beliefs",
    "game_tolerance",
    "game_tolerances",
    "nash_regrets",
    "sequential_rationality_regrets",
    "sequential_rationality_gaps",
    "infoset_tolerances",
    "nash_regret",
    "sequential_rationality_regret",
    "subgame_best_response_values",
    "subgame_perfection_regret",
    "subgame_pieces",
]

#: Solution concepts :func:`certify_extensive` checks, and the certificate of each.
CONCEPTS: dict[str, str] = {
    "nash": "largest gain from a unilateral deviation to any strategy",
    "subgame perfect": "largest Nash regret over all subgames",
    "sequential": "largest gain from switching action at any information set, given the beliefs",
    "perfect Bayesian": "largest gain from switching action at any information set, given the "
    "beliefs (which must follow Bayes' rule on the path)",
}


# ---------------------------------------------------------------------- result type
@dataclass(frozen=True, eq=False)
class ExtensiveEquilibrium:
    """A certified equilibrium of an extensive-form game.

    Attributes
    ----------
    game : ExtensiveGame
    behaviour : BehaviourProfile
        The behaviour strategy profile.
    beliefs : numpy array, shape (K,)
        Probability of each decision node given that its information set is reached:
        Bayes' rule on the path, off the path as assigned by the method (see
        :func:`default_beliefs`); NaN at chance and terminal nodes.
    payoffs : numpy array, shape (N,)
        Expected payoff of every player.
    regret : float
        Nash certificate: the largest gain any player gets by a unilateral deviation.
    concept : str
        ``"nash"``, ``"subgame perfect"``, ``"sequential"`` or ``"perfect Bayesian"``.
    concept_regret : float
        Certificate of the concept (see :data:`CONCEPTS`); equals ``regret`` for Nash.
    tolerance : float
        The largest of the per-player bounds in ``tolerances``.
    method : str
        The algorithm that found it.
    parameters : dict
        The algorithm's parameters.
    regrets : tuple of float
        Each player's Nash regret, in its own payoffs.
    concept_regrets : tuple of float
        Each player's regret under the concept.
    tolerances : tuple of float
        The bound each player's regrets were checked against (:func:`game_tolerances`
        unless the caller gave one ``tol`` for all).
    exact : bool or None
        ``True`` when the Nash regret (and, for the refinements, the Nash regret in
        every subgame) was re-measured in rational arithmetic and is zero; ``False``
        when it was re-measured and is nonzero but below
        :data:`~simulator.solvers.equilibrium.VISIBLE_GAIN`; ``None`` when not tried
        (done for pure profiles where some player's bound exceeds that gain).
    """

    game: ExtensiveGame
    behaviour: BehaviourProfile
    beliefs: np.ndarray
    payoffs: np.ndarray
    regret: float
    concept: str
    concept_regret: float
    tolerance: float
    method: str
    parameters: Mapping[str, Any] = field(default_factory=dict)
    regrets: tuple[float, ...] = ()
    concept_regrets: tuple[float, ...] = ()
    tolerances: tuple[float, ...] = ()
    exact: bool | None = None

    @property
    def is_pure(self) -> bool:
        """True if every player chooses one action with probability 1 everywhere."""
        flat = self.behaviour.flat
        decision = np.repeat(self.game.infoset_player >= 0, self.game.infoset_num_actions)
        values = flat[decision]
        return bool(np.all((values < 1e-12) | (values > 1 - 1e-12)))

    def strategy(self, player: str | int) -> dict[str, dict[str, float]]:
        """One player's behaviour strategy as ``{information set label: {action: p}}``.

        Examples
        --------
        >>> from simulator.games.extensive import Decision, Terminal
        >>> g = ExtensiveGame.from_tree(["A"], Decision("A", {"x": Terminal([1]),
        ...                                                    "y": Terminal([2])}, "h"))
        >>> eq = certify_extensive(BehaviourProfile.pure(g, ["y"]), "nash", "by hand")
        >>> eq.strategy("A")
        {'h': {'x': 0.0, 'y': 1.0}}
        """
        name = self.game.players[self.game.player_index(player)]
        return self.behaviour.as_dict()[name]

    def beliefs_dict(self) -> dict[str, dict[str, dict[str, float]]]:
        """``{player: {information set label: {node: belief}}}`` (nodes by label or index).

        A node is named by its label when the label is non-empty and unique within
        its information set, else by its index as a string. Information sets whose
        beliefs are undefined (NaN) are left out.

        Examples
        --------
        >>> from simulator.games.extensive import Chance, Decision, Terminal
        >>> def guess(label):
        ...     return Decision("A", {"x": Terminal([1]), "y": Terminal([0])}, "h", label=label)
        >>> g = ExtensiveGame.from_tree(["A"], Chance({"a": ("1/4", guess("early")),
        ...                                             "b": ("3/4", guess("late"))}))
        >>> eq = certify_extensive(BehaviourProfile.pure(g, {("A", "h"): "x"}), "nash", "by hand")
        >>> eq.beliefs_dict()
        {'A': {'h': {'early': 0.25, 'late': 0.75}}}
        """
        game = self.game
        out: dict[str, dict[str, dict[str, float]]] = {name: {} for name in game.players}
        labels = game.node_labels
        for info in game.infosets:
            if info.is_chance:
                continue
            values = self.beliefs[list(info.nodes)]
            if not np.all(np.isfinite(values)):
                continue
            names = [labels[v] for v in info.nodes]
            usable = all(names) and len(set(names)) == len(names)
            keys = names if usable else [str(v) for v in info.nodes]
            out[game.players[info.player]][info.label] = {
                key: float(p) for key, p in zip(keys, values)
            }
        return out

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready description.

        Examples
        --------
        >>> from simulator.games.extensive import Decision, Terminal
        >>> g = ExtensiveGame.from_tree(["A"], Decision("A", {"x": Terminal([1]),
        ...                                                    "y": Terminal([2])}, "h"))
        >>> d = certify_extensive(BehaviourProfile.pure(g, ["y"]), "nash", "by hand").as_dict()
        >>> d["behaviour"], d["payoffs"], d["beliefs"]
        ({'A': {'h': {'x': 0.0, 'y': 1.0}}}, {'A': 2.0}, {'A': {'h': {'0': 1.0}}})
        """
        return {
            "concept": self.concept,
            "behaviour": self.behaviour.as_dict(),
            "beliefs": self.beliefs_dict(),
            "payoffs": {name: float(u) for name, u in zip(self.game.players, self.payoffs)},
            "regret": float(self.regret),
            "concept_regret": float(self.concept_regret),
            "tolerance": float(self.tolerance),
            "method": self.method,
            "parameters": dict(self.parameters),
            **({} if self.exact is None else {"exact": self.exact}),
        }

    def __repr__(self) -> str:
        pay = ", ".join(f"{u:.4g}" for u in self.payoffs)
        return (
            f"<ExtensiveEquilibrium ({self.concept}) {self.behaviour!r} | payoffs ({pay}) | "
            f"regret {self.regret:.1e}, {self.concept} regret {self.concept_regret:.1e} "
            f"| {self.method}>"
        )


# ---------------------------------------------------------------------- tolerances
def game_tolerances(game: ExtensiveGame) -> np.ndarray:
    """Each player's regret tolerance (:func:`~simulator.solvers.equilibrium.player_tolerances`
    of the terminal payoffs): ``1e-8`` times the span of that player's payoffs, never below
    the precision of its largest payoff.

    Parameters
    ----------
    game : ExtensiveGame
        The game; the payoffs at its terminal nodes set the bounds.

    Returns
    -------
    numpy.ndarray, shape (N,)
        Each player's bound, in its own payoffs.

    Examples
    --------
    >>> from simulator.games.extensive import Decision, Terminal
    >>> g = ExtensiveGame.from_tree(["A", "B"], Decision("A", {"x": Terminal([-300, 0]),
    ...                                                         "y": Terminal([100, 2])}))
    >>> game_tolerances(g)
    array([4.e-06, 1.e-08])
    """
    return player_tolerances(game.terminal_payoffs[game.terminal_nodes])


def game_tolerance(game: ExtensiveGame) -> float:
    """One regret tolerance for a tree: the largest of :func:`game_tolerances`.

    Parameters
    ----------
    game : ExtensiveGame
        The game; the payoffs at its terminal nodes set the bound.

    Returns
    -------
    float
        The largest per-player bound.

    Examples
    --------
    >>> from simulator.games.extensive import Decision, Terminal
    >>> g = ExtensiveGame.from_tree(["A"], Decision("A", {"x": Terminal([-300]),
    ...                                                    "y": Terminal([100])}))
    >>> game_tolerance(g)
    4e-06
    """
    return default_tolerance(game.terminal_payoffs[game.terminal_nodes])


# ---------------------------------------------------------------------- certification
def _concept(name: str) -> str:
    key = str(name).strip().lower().replace("-", " ").replace("_", " ")
    aliases = {
        "nash": "nash",
        "subgame perfect": "subgame perfect",
        "spe": "subgame perfect",
        "sequential": "sequential",
        "perfect bayesian": "perfect Bayesian",
        "pbe": "perfect Bayesian",
    }
    if key not in aliases:
        raise GameError(f"unknown solution concept {name!r}; choose one of {list(CONCEPTS)}")
    return aliases[key]


def certify_extensive(
    behaviour: BehaviourProfile,
    concept: str,
    method: str,
    parameters: Mapping[str, Any] | None = None,
    beliefs: Any | None = None,
    tol: float | None = None,
) -> ExtensiveEquilibrium:
    """Measure the certificates of ``behaviour`` and wrap it as an :class:`ExtensiveEquilibrium`.

    Parameters
    ----------
    behaviour : BehaviourProfile
    concept : str
        ``"nash"``, ``"subgame perfect"``, ``"sequential"`` or ``"perfect Bayesian"``.
    method : str
        Name of the algorithm that produced the profile.
    parameters : dict, optional
        The algorithm's parameters, stored with the result.
    beliefs : array_like, shape (K,), optional
        The beliefs of the assessment. Default: :func:`default_beliefs` (Bayes' rule on
        the path; off the path the chance-and-others weights where positive, else chance
        weights, else uniform). For ``"perfect Bayesian"`` given beliefs must agree with
        Bayes' rule wherever the information set is reached. The consistency of
        sequential-equilibrium beliefs (a limit of fully mixed assessments) is the
        method's responsibility; it is not checked here.
    tol : float, optional
        Largest accepted regret of every player (default: each player's own bound,
        :func:`game_tolerances`).

    Returns
    -------
    ExtensiveEquilibrium
        The profile with its beliefs, payoffs, per-player regrets (Nash and under the
        concept) and the bounds they were checked against; ``exact`` is set when some
        player's bound exceeds :data:`~simulator.solvers.equilibrium.VISIBLE_GAIN` and
        ``tol`` was not given.

    Raises
    ------
    CertificationError
        If some player's Nash regret or regret under the concept exceeds its bound.
        Every certified result is thus at least a Nash equilibrium. Also, for
        ``"perfect Bayesian"``, if given beliefs differ from Bayes' rule (by more than
        ``1e-6``) at a reached node; and where a bound exceeds the visible gain, if a
        gain at one information set, or an exact gain of a pure profile, is visible.
    GameError
        If ``behaviour`` is not a :class:`BehaviourProfile`, ``concept`` is unknown,
        ``beliefs`` are not probabilities summing to 1 over each information set, or the
        game lacks perfect recall.

    Examples
    --------
    >>> from simulator.games.extensive import Decision, Terminal
    >>> g = ExtensiveGame.from_tree(["E", "I"], Decision("E", {
    ...     "out": Terminal([0, 2]),
    ...     "in": Decision("I", {"fight": Terminal([-1, -1]), "share": Terminal([1, 1])})}))
    >>> threat = BehaviourProfile.pure(g, ["out", "fight"])
    >>> certify_extensive(threat, "nash", "by hand").regret
    0.0
    >>> try:
    ...     certify_extensive(threat, "subgame perfect", "by hand")
    ... except CertificationError as exc:
    ...     print(str(exc)[:60])
    by hand returned a profile with subgame perfect regret 2 for
    """
    if not isinstance(behaviour, BehaviourProfile):
        raise GameError(
            f"certify_extensive needs a BehaviourProfile; got {type(behaviour).__name__}"
        )
    game = behaviour.game
    name = _concept(concept)
    n = game.num_players
    tolerances = game_tolerances(game) if tol is None else np.full(n, float(tol))
    if beliefs is None:
        mu = default_beliefs(behaviour)
    else:
        mu = _checked_beliefs(game, beliefs)
        if name == "perfect Bayesian":
            bayes = behaviour.beliefs()
            reached = np.isfinite(bayes)
            gap = np.abs(mu[reached] - bayes[reached])
            if gap.size and gap.max() > BELIEF_TOLERANCE:
                node = int(np.flatnonzero(reached)[np.argmax(gap)])
                raise CertificationError(
                    f"{method}: the belief at node {node} is {mu[node]:.6g} but Bayes' rule "
                    f"gives {bayes[node]:.6g}; perfect Bayesian beliefs follow Bayes' rule on "
                    "the path"
                )
    if name == "subgame perfect":
        by_subgame = _regrets_by_subgame(behaviour)
        regrets = by_subgame[0]
        concept_regrets = by_subgame.max(axis=0)
    else:
        regrets = nash_regrets(behaviour)
        if name == "nash":
            concept_regrets = regrets
        else:
            concept_regrets = sequential_rationality_regrets(behaviour, mu)
    for label, values in (("Nash", regrets), (name, concept_regrets)):
        over = np.flatnonzero(~(values <= tolerances))
        if over.size:
            i = int(over[0])
            raise CertificationError(
                f"{method} returned a profile with {label} regret {values[i]:.3g} for "
                f"{game.players[i]!r}, above the tolerance {tolerances[i]:.3g}: it is not a "
                f"{label} equilibrium"
            )
    exact = None
    if tol is None and bool(np.any(tolerances > VISIBLE_GAIN)):
        if name in ("sequential", "perfect Bayesian"):
            _check_locally(behaviour, mu, tolerances, name, method)
        exact = _exact_check(behaviour, name, method)
    mu.setflags(write=False)
    payoffs = behaviour.expected_payoffs()
    payoffs.setflags(write=False)
    return ExtensiveEquilibrium(
        game=game,
        behaviour=behaviour,
        beliefs=mu,
        payoffs=payoffs,
        regret=float(regrets.max(initial=0.0)),
        concept=name,
        concept_regret=float(concept_regrets.max(initial=0.0)),
        tolerance=float(tolerances.max(initial=0.0)),
        method=method,
        parameters=dict(parameters or {}),
        regrets=tuple(float(r) for r in regrets),
        concept_regrets=tuple(float(r) for r in concept_regrets),
        tolerances=tuple(float(t) for t in tolerances),
        exact=exact,
    )


def _check_locally(
    behaviour: BehaviourProfile, mu: np.ndarray, tolerances: np.ndarray, concept: str, method: str
) -> None:
    """Where a player's bound exceeds a visible gain, check each of its information sets
    against the payoffs below it (never looser than the player's bound, never tighter than
    ``VISIBLE_GAIN``): a gain of 0.75 among payoffs 0 and 1.5 is refused even when the
    player's payoffs elsewhere reach ``1e19``."""
    game = behaviour.game
    own = game.infoset_player >= 0
    if not own.any():
        return
    gaps = sequential_rationality_gaps(behaviour, mu)
    owner = np.where(own, game.infoset_player, 0)
    bounds = np.minimum(tolerances[owner], np.maximum(infoset_tolerances(game), VISIBLE_GAIN))
    over = np.flatnonzero(own & ~(gaps <= bounds))
    if over.size:
        h = int(over[np.argmax(gaps[over])])
        info = game.infosets[h]
        raise CertificationError(
            f"{method} returned a profile where {game.players[info.player]!r} gains "
            f"{gaps[h]:.3g} by another action at information set {info.label!r} (the payoffs "
            f"below it resolve gains of {bounds[h]:.3g}): it is not a {concept} equilibrium"
        )


def _exact_check(behaviour: BehaviourProfile, concept: str, method: str) -> bool | None:
    """Re-measure a pure profile's Nash regrets (in every subgame for the refinements) in
    rational arithmetic; refuse it when some player gains more than ``VISIBLE_GAIN``.

    Float bounds above ``VISIBLE_GAIN`` (payoff spans above about 100) could hide a gain a
    person can see. Mixed profiles are not re-measured: their float probabilities are not
    the exact equilibrium, so a rational check of them says nothing (``None``).
    """
    game = behaviour.game
    decision = np.repeat(game.infoset_player >= 0, game.infoset_num_actions)
    values = behaviour.flat[decision]
    if not np.all((values == 0.0) | (values == 1.0)):
        return None
    roots = [0] if concept == "nash" else _pieces(game).roots.tolist() or [0]
    gains = exact_nash_regrets(behaviour, roots)
    k, player = np.unravel_index(int(np.argmax(gains)), gains.shape)
    worst = gains[k, player]
    if worst > VISIBLE_GAIN:
        where = "" if roots[k] == 0 else f" in the subgame at node {roots[k]}"
        raise CertificationError(
            f"{method} returned a profile where {game.players[player]!r} gains "
            f"{float(worst):.3g}{where} by deviating (exact arithmetic; the float check's "
            "bound is too coarse at this payoff scale): it is not a "
            f"{'Nash' if concept == 'nash' else concept} equilibrium"
        )
    return worst == 0
