"""The sanctions inspection game: why harsher penalties do not deter.

Tsebelis (1990), "Are sanctions effective? A game-theoretic analysis", *Journal of
Conflict Resolution* 34(1), 3-28 (after Tsebelis 1989, "The abuse of probability in
political analysis: the Robinson Crusoe fallacy", *APSR* 83(1)).

Setup. A *target* complies or violates; a *sender* sanctions (enforces) or not. Violating
gains the target ``g`` and, if sanctioned, costs it the penalty ``P``; a complying target is
not hurt by enforcement. Enforcing costs the sender ``c``; an unpunished violation costs it
``d``; enforcing against a violator averts that damage. Payoffs (target, sender)::

                    no sanction     sanction
        comply        (0, 0)        (0, -c)
        violate       (g, -d)       (g - P, -c)

With ``P > g > 0`` and ``d > c > 0`` there is no pure equilibrium, and the unique
equilibrium is mixed. Each side mixes to make the *other* indifferent, so its mixing
depends only on the other's payoffs::

    violation probability  v* = c / d      (makes the sender indifferent)
    sanctioning probability s* = g / P     (makes the target indifferent)

A harsher penalty ``P`` therefore lowers the enforcement rate and leaves the violation
rate unchanged (Tsebelis's paradox). Outside that region the equilibrium is pure: with
``P <= g`` the target always violates (and the sender sanctions iff ``d > c``); with
``d <= c`` the sender never sanctions and the target violates; with ``g <= 0`` the target
complies and the sender does not sanction.

Mission claim 2 (the coalition's cost of sanctioning, not the severity of the sanctions,
governs how often Russia presses on; a wedge that raises the West's cost of sanctioning
raises the rate of continued aggression).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from simulator.games.normal_form import NormalFormGame
from simulator.model.negotiation import NegotiationModel
from simulator.model.parameters import check_range

__all__ = [
    "InspectionEquilibrium",
    "InspectionParameters",
    "inspection_equilibrium",
    "inspection_game",
    "inspection_parameters_from_model",
    "sanction_probability",
    "violation_probability",
]

TARGET_STRATEGIES = ("comply", "violate")
SENDER_STRATEGIES = ("no sanction", "sanction")


# ---------------------------------------------------------------------- validation
def _scalar(value: np.ndarray) -> Any:
    return value.item() if np.ndim(value) == 0 else value


# ---------------------------------------------------------------------- closed forms
def violation_probability(sanction_cost: Any, violation_damage: Any) -> Any:
    """The target's violation rate in the mixed equilibrium, ``v* = c / d``.

    Only the *sender's* payoffs enter: ``v*`` makes the sender indifferent between
    sanctioning (``-c``) and not (``-v d``). Meaningful when ``c < d``.

    Parameters
    ----------
    sanction_cost : float or array_like
        ``c > 0``: what sanctioning costs the sender.
    violation_damage : float or array_like
        ``d > 0``: what an unpunished violation costs the sender.

    Returns
    -------
    float or numpy.ndarray
        ``c / d`` (not capped at 1).

    Raises
    ------
    ParameterError
        If an argument is not positive.

    Examples
    --------
    >>> violation_probability(0.2, 0.5)
    0.4
    """
    c = check_range("sanction_cost", sanction_cost, 0, low_open=True)
    d = check_range("violation_damage", violation_damage, 0, low_open=True)
    return _scalar(c / d)


def sanction_probability(violation_gain: Any, penalty: Any) -> Any:
    """The sender's sanctioning rate in the mixed equilibrium, ``s* = g / P``.

    Only the *target's* payoffs enter: ``s*`` makes the target indifferent between
    violating (``g - s P``) and complying (0). Meaningful when ``0 < g < P``.

    Parameters
    ----------
    violation_gain : float or array_like
        ``g``: the target's gain from violating when not sanctioned (any finite number).
    penalty : float or array_like
        ``P > 0``: what a sanction costs a violating target.

    Returns
    -------
    float or numpy.ndarray
        ``g / P`` (not clipped to ``[0, 1]``).

    Raises
    ------
    ParameterError
        If ``violation_gain`` is not finite or ``penalty`` is not positive.

    Examples
    --------
    >>> sanction_probability(0.1, [0.2, 0.4]).tolist()  # doubling the penalty halves it
    [0.5, 0.25]
    """
    g = check_range("violation_gain", violation_gain)
    p = check_range("penalty", penalty, 0, low_open=True)
    return _scalar(g / p)


@dataclass(frozen=True)
class InspectionEquilibrium:
    """The equilibrium of the inspection game (arrays when the inputs are arrays).

    Attributes
    ----------
    violation_probability, sanction_probability : float or numpy array
        Probability that the target violates and that the sender sanctions.
    target_payoff, sender_payoff : float or numpy array
        Expected payoffs.
    regime : str or numpy array of str
        ``"mixed"``, ``"violate, sanctioned"``, ``"violate, unsanctioned"`` or ``"comply"``.
    """

    violation_probability: Any
    sanction_probability: Any
    target_payoff: Any
    sender_payoff: Any
    regime: Any


def inspection_equilibrium(
    violation_gain: Any, penalty: Any, sanction_cost: Any, violation_damage: Any
) -> InspectionEquilibrium:
    """The (unique, for generic payoffs) equilibrium of the inspection game; broadcasts.

    Parameters
    ----------
    violation_gain : float or array_like
        ``g``: the target's gain from violating when not sanctioned.
    penalty : float or array_like
        ``P >= 0``: what a sanction costs a violating target.
    sanction_cost : float or array_like
        ``c > 0``: what sanctioning costs the sender.
    violation_damage : float or array_like
        ``d > 0``: what an unpunished violation costs the sender.

    Returns
    -------
    InspectionEquilibrium
        The equilibrium probabilities, payoffs and regime: ``"comply"`` when ``g <= 0``;
        ``"violate, sanctioned"`` when ``P <= g`` and ``d > c``; ``"violate, unsanctioned"``
        when ``d <= c``; otherwise ``"mixed"`` with ``v* = c / d`` and ``s* = g / P``.

    Raises
    ------
    ParameterError
        If an argument is outside its range above.

    Examples
    --------
    >>> eq = inspection_equilibrium(0.1, 0.4, 0.2, 0.5)
    >>> eq.regime, eq.violation_probability, eq.sanction_probability
    ('mixed', 0.4, 0.25)
    >>> inspection_equilibrium(0.1, [0.2, 0.4, 0.8], 0.2, 0.5).violation_probability.tolist()
    [0.4, 0.4, 0.4]
    >>> inspection_equilibrium(0.5, 0.4, 0.2, 0.5).regime  # the penalty is too small to deter
    'violate, sanctioned'
    """
    g = check_range("violation_gain", violation_gain)
    p = check_range("penalty", penalty, 0)
    c = check_range("sanction_cost", sanction_cost, 0, low_open=True)
    d = check_range("violation_damage", violation_damage, 0, low_open=True)
    g, p, c, d = np.broadcast_arrays(g, p, c, d)
    comply = g <= 0
    # Violating is (weakly) dominant when the penalty does not exceed the gain, or when the
    # sender would never find sanctioning worth its cost.
    always_violate = ~comply & ((p <= g) | (d <= c))
    sanctioned = always_violate & (d > c)
    mixed = ~comply & ~always_violate
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        v = np.select([comply, always_violate], [0.0, 1.0], c / d)
        s = np.select([comply, sanctioned, always_violate], [0.0, 1.0, 0.0], g / p)
    target = v * (g - s * p)
    sender = -s * c - v * (1.0 - s) * d
    regime = np.select(
        [comply, sanctioned, always_violate, mixed],
        ["comply", "violate, sanctioned", "violate, unsanctioned", "mixed"],
        "",
    )
    return InspectionEquilibrium(
        violation_probability=_scalar(v),
        sanction_probability=_scalar(s),
        target_payoff=_scalar(target),
        sender_payoff=_scalar(sender),
        regime=str(regime) if regime.ndim == 0 else regime,
    )


def inspection_game(
    violation_gain: float,
    penalty: float,
    sanction_cost: float,
    violation_damage: float,
    players: tuple[str, str] = ("Target", "Sender"),
) -> NormalFormGame:
    """The inspection game as a 2x2 :class:`NormalFormGame` (target = row player).

    Strategies ``("comply", "violate")`` and ``("no sanction", "sanction")``.

    Parameters
    ----------
    violation_gain : float
        ``g``: the target's gain from violating when not sanctioned (any finite number).
    penalty : float
        ``P >= 0``: what a sanction costs a violating target.
    sanction_cost : float
        ``c > 0``: what sanctioning costs the sender.
    violation_damage : float
        ``d > 0``: what an unpunished violation costs the sender.
    players : tuple of str
        Names of the target (row) and the sender (column).

    Returns
    -------
    NormalFormGame
        The 2x2 game; the target gets 0 by complying, ``g`` or ``g - P`` by violating; the
        sender loses ``c`` by sanctioning and ``d`` when a violation goes unsanctioned.

    Raises
    ------
    ParameterError
        If a number is outside its range above.

    Examples
    --------
    >>> from simulator import solve
    >>> [eq.strategy(0)["violate"] for eq in solve(inspection_game(0.1, 0.4, 0.2, 0.5))]
    [0.4]
    """
    g = float(check_range("violation_gain", violation_gain))
    p = float(check_range("penalty", penalty, 0))
    c = float(check_range("sanction_cost", sanction_cost, 0, low_open=True))
    d = float(check_range("violation_damage", violation_damage, 0, low_open=True))
    target = [[0.0, 0.0], [g, g - p]]
    sender = [[0.0, -c], [-d, -c]]
    return NormalFormGame.from_bimatrix(
        target,
        sender,
        players=list(players),
        strategies=[list(TARGET_STRATEGIES), list(SENDER_STRATEGIES)],
        title="Sanctions inspection game (Tsebelis 1990)",
    )


# ---------------------------------------------------------------------- domain adapter
@dataclass(frozen=True)
class InspectionParameters:
    """The four numbers of the inspection game; change them with :func:`dataclasses.replace`.

    Attributes
    ----------
    violation_gain : float
        ``g``: the target's gain from violating when not sanctioned (any finite number).
    penalty : float
        ``P >= 0``: what a sanction costs a violating target.
    sanction_cost : float
        ``c > 0``: what sanctioning costs the sender.
    violation_damage : float
        ``d > 0``: what an unpunished violation costs the sender.
    """

    violation_gain: float
    penalty: float
    sanction_cost: float
    violation_damage: float

    def game(self) -> NormalFormGame:
        """The game with Russia as target and the West as sender."""
        return inspection_game(*self._values(), players=("Russia", "West"))

    def equilibrium(self) -> InspectionEquilibrium:
        """The closed-form equilibrium."""
        return inspection_equilibrium(*self._values())

    def _values(self) -> tuple[float, float, float, float]:
        return (self.violation_gain, self.penalty, self.sanction_cost, self.violation_damage)


def inspection_parameters_from_model(model: NegotiationModel) -> InspectionParameters:
    """Russia as the target (violating = continuing the aggression), the West as sender.

    Mapping (shares of the stake):

    - ``penalty`` = ``russia.sanctions_cost * west.western_cohesion``: the sanctions bite
      in proportion to the coalition's cohesion;
    - ``sanction_cost`` = the weight-averaged ``sanctions_burden`` of the Western
      governments (their own cost of sanctioning);
    - ``violation_gain`` = ``p - russia.war_cost`` with ``p`` = :meth:`~NegotiationModel.
      win_probability`: Russia's expected net gain from fighting on (Fearon's war payoff);
    - ``violation_damage`` = the weight-averaged ``value_of_success`` times ``p``: what the
      West expects to lose when the aggression goes unpunished.

    Parameters
    ----------
    model : NegotiationModel
        The model whose Russian, Western and contest parameters are read.

    Returns
    -------
    InspectionParameters
        The four numbers, validated when the game or equilibrium is built from them.

    Raises
    ------
    ValueError
        If the weighted sanctions burden or the violation damage is not positive.

    Examples
    --------
    With the defaults the sanctions (0.1) are too weak to deter a war worth 0.4 to Russia:

    >>> params = inspection_parameters_from_model(NegotiationModel())
    >>> params.equilibrium().regime
    'violate, sanctioned'

    A war going badly for Russia (p = 1/3) and a stronger sanctions regime:

    >>> model = NegotiationModel().with_params(russia__capability=0.5,
    ...                                        russia__sanctions_cost=0.5)
    >>> eq = inspection_parameters_from_model(model).equilibrium()
    >>> eq.regime, round(eq.violation_probability, 4), round(eq.sanction_probability, 4)
    ('mixed', 0.6, 0.4667)
    """
    w = model.west
    weights = np.array([g.weight for g in w.governments])
    burden = float(np.average([g.sanctions_burden for g in w.governments], weights=weights))
    value = float(np.average([g.value_of_success for g in w.governments], weights=weights))
    p = model.win_probability()
    if burden <= 0 or value * p <= 0:
        raise ValueError(
            "the inspection game needs a positive Western cost of sanctioning and a positive "
            f"loss from unpunished aggression; got sanction_cost = {burden:g}, "
            f"violation_damage = {value * p:g} (raise the governments' sanctions_burden or "
            "value_of_success)"
        )
    return InspectionParameters(
        violation_gain=p - model.russia.war_cost,
        penalty=model.russia.sanctions_cost * w.western_cohesion,
        sanction_cost=burden,
        violation_damage=value * p,
    )
