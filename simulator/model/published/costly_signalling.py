"""Costly signals of sincerity: when can a peace offer be believed?

Fearon (1997), "Signaling foreign policy interests: tying hands versus sinking costs",
*Journal of Conflict Resolution* 41(1), 68-90; Kydd (2005), *Trust and Mistrust in
International Relations*, Princeton University Press (and Kydd 2000, *International
Organization* 54(2), on reassurance by costly signals).

Setup (``docs/models/costly_signalling.md``, re-derived here). Russia is *sincere* (prior
``mu0``) or a *staller* buying time. It either makes its offer in words only or
accompanies it with a costly, verifiable step (e.g. a verified withdrawal: a sunk cost)
that costs ``k_S`` to a sincere Russia and ``k_B`` to a staller. The West then keeps up
pressure or relaxes it. Relaxing, compared with keeping pressure, gains Russia ``g_S`` or
``g_B``, gains the West ``w_S`` against a sincere Russia and loses it ``w_B`` against a
staller.

Results (derived in ``docs/models/costly_signalling.md``):

- The West relaxes iff its belief that Russia is sincere is at least
  ``mu* = w_B / (w_S + w_B)``.
- Words alone (``k_S = k_B = 0``) carry no information that changes the West's behaviour:
  in every equilibrium the West's reply after every offer actually made is its reply at
  the prior. (Posteriors *can* differ across costless messages in mixed equilibria, but
  never enough to change the reply; the model notes' "posterior = prior" holds only for
  the pooling equilibrium.)
- With ``mu0 < mu*``, the step separates the types (sincere steps, staller does not) iff
  the sincere type gains from it and the staller does not: ``g_S >= k_S`` and
  ``g_B <= k_B``.
- If the staller would also gain (``g_B > k_B``), there is a semi-separating equilibrium:
  the sincere type always steps, the staller mimics with probability
  ``q = mu0 (1 - mu*) / ((1 - mu0) mu*)`` (making the posterior exactly ``mu*``) and the
  West relaxes after the step with probability ``r = k_B / g_B`` (making the staller
  indifferent). **A correction to the source notes** (``docs/models/costly_signalling.md``):
  this needs the sincere type still to gain at that rate, ``r g_S >= k_S``, i.e.
  ``k_S / g_S <= k_B / g_B`` and ``k_B > 0``; otherwise only the uninformative pooling
  outcome (the West keeps pressure) remains.

Mission claim 1 (a costless offer that both types would make carries no information;
only costly, verifiable steps separate the types) and claim 6 (a step that only a
sincere Russia would take is believed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from simulator.games.signalling import SignallingGame
from simulator.model.negotiation import NegotiationModel, win_probability
from simulator.model.offers import Offer
from simulator.model.parameters import check_range

__all__ = [
    "ACTIONS",
    "MESSAGES",
    "REGIMES",
    "TYPES",
    "SincerityEquilibrium",
    "SincerityParameters",
    "classify",
    "relax_probability_after_step",
    "relax_threshold",
    "separating_exists",
    "sincerity_parameters_from_model",
    "sincerity_signalling_game",
    "staller_mixing_probability",
    "staller_regroup_advantage",
]

TYPES = ("sincere", "staller")
MESSAGES = ("words only", "costly step")
ACTIONS = ("keep pressure", "relax")
REGIMES = ("pooling", "separating", "semi-separating")


# ---------------------------------------------------------------------- validation
def _west(w_S: Any, w_B: Any) -> tuple[np.ndarray, np.ndarray]:
    ws = check_range("w_S", w_S, 0, what="the West's gain from relaxing against a sincere Russia")
    wb = check_range("w_B", w_B, 0, what="the West's loss from relaxing against a staller")
    if np.any(ws + wb <= 0):
        raise ValueError("w_S and w_B cannot both be 0: the West would not care what it does")
    return ws, wb


def _scalar(value: np.ndarray) -> Any:
    return value.item() if np.ndim(value) == 0 else value


# ---------------------------------------------------------------------- closed forms
def relax_threshold(w_S: Any, w_B: Any) -> Any:
    """The belief ``mu* = w_B / (w_S + w_B)`` at and above which the West relaxes.

    Relaxing pays ``mu w_S - (1 - mu) w_B`` against keeping pressure, which is
    non-negative iff ``mu >= mu*``.

    Parameters
    ----------
    w_S : float or array_like
        The West's gain ``>= 0`` from relaxing against a sincere Russia.
    w_B : float or array_like
        The West's loss ``>= 0`` from relaxing against a staller (not both 0).

    Returns
    -------
    float or numpy.ndarray
        ``mu*`` in ``[0, 1]``.

    Raises
    ------
    ParameterError
        If an argument is outside its range above.
    ValueError
        If ``w_S`` and ``w_B`` are both 0.

    Examples
    --------
    >>> relax_threshold(1.0, 3.0)
    0.75
    >>> relax_threshold([1.0, 1.0], [1.0, 0.0]).tolist()
    [0.5, 0.0]
    """
    ws, wb = _west(w_S, w_B)
    return _scalar(wb / (ws + wb))


def separating_exists(
    gain_sincere: Any, gain_staller: Any, cost_sincere: Any, cost_staller: Any
) -> Any:
    """Whether the costly step separates the types: ``g_S >= k_S`` and ``g_B <= k_B``.

    In the separating equilibrium the sincere type steps and the West relaxes; the
    staller does not and the West keeps pressure. The condition does not involve the
    prior or the West's payoffs.

    Parameters
    ----------
    gain_sincere, gain_staller : float or array_like
        ``g_S, g_B >= 0``, what relaxing gains Russia of each type.
    cost_sincere, cost_staller : float or array_like
        ``k_S, k_B >= 0``, what the costly step costs Russia of each type.

    Returns
    -------
    bool or numpy.ndarray of bool
        ``g_S >= k_S`` and ``g_B <= k_B``.

    Raises
    ------
    ParameterError
        If an argument is negative or not finite.

    Examples
    --------
    >>> separating_exists(1.0, 1.0, 0.5, 1.5)
    True
    >>> separating_exists(1.0, 1.0, 0.0, 0.0)  # words alone never separate
    False
    """
    gs = check_range("gain_sincere", gain_sincere, 0.0)
    gb = check_range("gain_staller", gain_staller, 0.0)
    ks = check_range("cost_sincere", cost_sincere, 0.0)
    kb = check_range("cost_staller", cost_staller, 0.0)
    return _scalar((gs >= ks) & (gb <= kb))


def staller_mixing_probability(prior_sincere: Any, w_S: Any, w_B: Any) -> Any:
    """How often the staller mimics the step in the semi-separating equilibrium.

    ``q = mu0 (1 - mu*) / ((1 - mu0) mu*)``, which makes the West's posterior after the
    step exactly ``mu*``. At or above the threshold (``mu0 >= mu*``) the West needs no
    persuading and the result is 1 (full pooling).

    Parameters
    ----------
    prior_sincere : float or array_like
        ``mu0``, the prior that Russia is sincere, in the open interval ``(0, 1)``.
    w_S, w_B : float or array_like
        The West's gain and loss from relaxing, as in :func:`relax_threshold`.

    Returns
    -------
    float or numpy.ndarray
        ``q`` in ``[0, 1]``.

    Raises
    ------
    ParameterError
        If an argument is outside its range above.
    ValueError
        If ``w_S`` and ``w_B`` are both 0.

    Examples
    --------
    >>> staller_mixing_probability(0.3, 1.0, 1.0)  # 0.3 * 0.5 / (0.7 * 0.5)
    0.428571...
    >>> staller_mixing_probability([0.3, 0.6], 1.0, 1.0).round(4).tolist()
    [0.4286, 1.0]
    """
    mu0 = check_range("prior_sincere", prior_sincere, 0.0, 1.0, low_open=True, high_open=True)
    mu_star = np.asarray(relax_threshold(w_S, w_B), dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        q = mu0 * (1.0 - mu_star) / ((1.0 - mu0) * mu_star)
    return _scalar(np.where(mu0 >= mu_star, 1.0, np.minimum(q, 1.0)))


def relax_probability_after_step(gain_staller: Any, cost_staller: Any) -> Any:
    """How often the West relaxes after the step in the semi-separating equilibrium.

    ``r = k_B / g_B`` (capped at 1): exactly the rate that leaves the staller indifferent
    between stepping and not.

    Parameters
    ----------
    gain_staller : float or array_like
        ``g_B > 0``, what relaxing gains the staller.
    cost_staller : float or array_like
        ``k_B >= 0``, what the step costs the staller.

    Returns
    -------
    float or numpy.ndarray
        ``r = min(k_B / g_B, 1)``.

    Raises
    ------
    ParameterError
        If ``gain_staller`` is not positive or ``cost_staller`` is negative.

    Examples
    --------
    >>> relax_probability_after_step(1.0, 0.25)
    0.25
    """
    gb = check_range("gain_staller", gain_staller, 0.0, low_open=True)
    kb = check_range("cost_staller", cost_staller, 0.0)
    return _scalar(np.minimum(kb / gb, 1.0))


@dataclass(frozen=True)
class SincerityEquilibrium:
    """The equilibrium of the sincerity game that both Russian types like best.

    Attributes
    ----------
    regime : str
        ``"pooling"`` (the West's reply does not depend on the message: no information
        that changes its behaviour), ``"separating"`` or ``"semi-separating"``.
    relax_threshold : float
        ``mu*``.
    sincere_step, staller_step : float
        Probability that each type takes the costly step.
    posterior_after_step, posterior_after_words : float
        The West's belief that Russia is sincere after each message; ``nan`` after a
        message that is never sent (off the equilibrium path).
    relax_after_step, relax_after_words : float
        Probability that the West relaxes after each message (after an unsent message:
        its best reply to the prior, which deters both types).
    sincere_payoff, staller_payoff, west_payoff : float
        Expected payoffs (relative to "words only, pressure kept" = 0).
    """

    regime: str
    relax_threshold: float
    sincere_step: float
    staller_step: float
    posterior_after_step: float
    posterior_after_words: float
    relax_after_step: float
    relax_after_words: float
    sincere_payoff: float
    staller_payoff: float
    west_payoff: float

    @property
    def informative(self) -> bool:
        """Whether the West's behaviour depends on the message."""
        return self.regime != "pooling"


def classify(
    prior_sincere: float,
    w_S: float,
    w_B: float,
    gain_sincere: float,
    gain_staller: float,
    cost_sincere: float,
    cost_staller: float,
) -> SincerityEquilibrium:
    """The regime of the sincerity game and its Russia-preferred equilibrium.

    Several perfect Bayesian equilibria may coexist (with pessimistic beliefs after the
    step, pooling on words with pressure always is one). This returns the one that both
    Russian types weakly prefer to every other:

    1. ``mu0 >= mu*``: pooling on words, the West relaxes (nobody needs to pay).
    2. ``mu0 < mu*``, ``g_S >= k_S``, ``g_B <= k_B``: separating.
    3. ``mu0 < mu*``, ``g_B > k_B > 0`` and ``k_S g_B <= k_B g_S``: semi-separating,
       staller steps with :func:`staller_mixing_probability`, the West relaxes after the
       step with :func:`relax_probability_after_step`.
    4. otherwise pooling on words, the West keeps pressure. Words alone (``k = 0``) always
       land in case 1 or 4.

    Parameters
    ----------
    prior_sincere : float
        ``mu0``, the West's prior that Russia is sincere, in the open interval ``(0, 1)``.
    w_S : float
        The West's gain ``>= 0`` from relaxing against a sincere Russia.
    w_B : float
        The West's loss ``>= 0`` from relaxing against a staller (not both 0).
    gain_sincere, gain_staller : float
        ``g_S, g_B >= 0``, what relaxing gains Russia of each type.
    cost_sincere, cost_staller : float
        ``k_S, k_B >= 0``, what the costly step costs Russia of each type.

    Returns
    -------
    SincerityEquilibrium
        The regime, each type's probability of stepping, the West's posteriors and replies
        after each message, and the expected payoffs.

    Raises
    ------
    ParameterError
        If an argument is outside its range above.
    ValueError
        If ``w_S`` and ``w_B`` are both 0.

    Examples
    --------
    A verified withdrawal that only a sincere Russia finds worth its cost:

    >>> eq = classify(0.3, 1.0, 1.0, 1.0, 1.0, 0.5, 1.5)
    >>> eq.regime, eq.posterior_after_step, eq.relax_after_step
    ('separating', 1.0, 1.0)

    A cheaper step the staller mimics 3 times in 7:

    >>> eq = classify(0.3, 1.0, 1.0, 1.0, 1.0, 0.2, 0.5)
    >>> eq.regime, round(eq.staller_step, 4), eq.posterior_after_step, eq.relax_after_step
    ('semi-separating', 0.4286, 0.5, 0.5)

    Words alone change nothing:

    >>> classify(0.3, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0).regime
    'pooling'
    """
    mu0 = float(check_range("prior_sincere", prior_sincere, 0, 1, low_open=True, high_open=True))
    mu_star = float(relax_threshold(w_S, w_B))
    ws, wb = (float(v) for v in _west(w_S, w_B))
    gs = float(check_range("gain_sincere", gain_sincere, 0.0))
    gb = float(check_range("gain_staller", gain_staller, 0.0))
    ks = float(check_range("cost_sincere", cost_sincere, 0.0))
    kb = float(check_range("cost_staller", cost_staller, 0.0))
    nan = float("nan")
    if mu0 >= mu_star:
        return SincerityEquilibrium(
            "pooling", mu_star, 0.0, 0.0, nan, mu0, 1.0, 1.0, gs, gb, mu0 * ws - (1 - mu0) * wb
        )
    if gs >= ks and gb <= kb:
        return SincerityEquilibrium(
            "separating", mu_star, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, gs - ks, 0.0, mu0 * ws
        )
    if gb > kb > 0 and ks * gb <= kb * gs:
        q = float(staller_mixing_probability(mu0, ws, wb))
        r = kb / gb
        return SincerityEquilibrium(
            "semi-separating", mu_star, 1.0, q, mu_star, 0.0, r, 0.0, r * gs - ks, 0.0, 0.0
        )
    return SincerityEquilibrium("pooling", mu_star, 0.0, 0.0, nan, mu0, 0.0, 0.0, 0.0, 0.0, 0.0)


# ---------------------------------------------------------------------- the game
def sincerity_signalling_game(
    prior_sincere: float,
    w_S: float,
    w_B: float,
    gain_sincere: float,
    gain_staller: float,
    cost_sincere: float,
    cost_staller: float,
) -> SignallingGame:
    """The sincerity game as a :class:`~simulator.games.signalling.SignallingGame`.

    Types :data:`TYPES`, messages :data:`MESSAGES`, actions :data:`ACTIONS`; players
    ``("Russia", "West")``. Russia's payoff is ``g_t * [relax] - k_t * [costly step]``;
    the West's is ``w_S`` (sincere) or ``-w_B`` (staller) if it relaxes, 0 otherwise.

    Parameters
    ----------
    prior_sincere : float
        ``mu0``, the West's prior that Russia is sincere, in the open interval ``(0, 1)``.
    w_S : float
        The West's gain ``>= 0`` from relaxing against a sincere Russia.
    w_B : float
        The West's loss ``>= 0`` from relaxing against a staller (not both 0).
    gain_sincere, gain_staller : float
        ``g_S, g_B >= 0``, what relaxing gains Russia of each type.
    cost_sincere, cost_staller : float
        ``k_S, k_B >= 0``, what the costly step costs Russia of each type.

    Returns
    -------
    SignallingGame
        Two types with prior ``(mu0, 1 - mu0)``, two messages and two actions.

    Raises
    ------
    ParameterError
        If an argument is outside its range above.
    ValueError
        If ``w_S`` and ``w_B`` are both 0.

    Examples
    --------
    >>> from simulator.solvers.signalling_pbe import perfect_bayesian_equilibria
    >>> game = sincerity_signalling_game(0.3, 1.0, 1.0, 1.0, 1.0, 0.5, 1.5)
    >>> [e.kind for e in perfect_bayesian_equilibria(game)]
    ['separating', 'pooling']
    """
    mu0 = float(check_range("prior_sincere", prior_sincere, 0, 1, low_open=True, high_open=True))
    ws, wb = (float(v) for v in _west(w_S, w_B))
    gains = np.array(
        [
            check_range("gain_sincere", gain_sincere, 0.0),
            check_range("gain_staller", gain_staller, 0.0),
        ]
    )
    costs = np.array(
        [
            check_range("cost_sincere", cost_sincere, 0.0),
            check_range("cost_staller", cost_staller, 0.0),
        ]
    )
    relax = np.array([0.0, 1.0])  # by action
    step = np.array([0.0, 1.0])  # by message
    sender = gains[:, None, None] * relax - costs[:, None, None] * step[:, None]
    west_value = np.array([ws, -wb])
    receiver = np.broadcast_to(west_value[:, None, None] * relax[None, None, :], (2, 2, 2))
    return SignallingGame(
        TYPES,
        [mu0, 1.0 - mu0],
        MESSAGES,
        ACTIONS,
        sender,
        receiver,
        players=("Russia", "West"),
        title="Costly signals of sincerity (Fearon 1997)",
    )


@dataclass(frozen=True)
class SincerityParameters:
    """The seven numbers of the sincerity game, e.g. as read from a :class:`NegotiationModel`.

    Change any of them with :func:`dataclasses.replace`.

    Attributes
    ----------
    prior_sincere : float
        ``mu0``, the West's prior that Russia is sincere, in the open interval ``(0, 1)``.
    w_S : float
        The West's gain ``>= 0`` from relaxing against a sincere Russia.
    w_B : float
        The West's loss ``>= 0`` from relaxing against a staller (not both 0).
    gain_sincere, gain_staller : float
        ``g_S, g_B >= 0``, what relaxing gains Russia of each type.
    cost_sincere, cost_staller : float
        ``k_S, k_B >= 0``, what the costly step costs Russia of each type.
    """

    prior_sincere: float
    w_S: float
    w_B: float
    gain_sincere: float
    gain_staller: float
    cost_sincere: float
    cost_staller: float

    def game(self) -> SignallingGame:
        """The game built by :func:`sincerity_signalling_game`."""
        return sincerity_signalling_game(*self._values())

    def classify(self) -> SincerityEquilibrium:
        """The regime and equilibrium given by :func:`classify`."""
        return classify(*self._values())

    def _values(self) -> tuple[float, ...]:
        return (
            self.prior_sincere,
            self.w_S,
            self.w_B,
            self.gain_sincere,
            self.gain_staller,
            self.cost_sincere,
            self.cost_staller,
        )


# ---------------------------------------------------------------------- domain adapter
def staller_regroup_advantage(model: NegotiationModel) -> float:
    """Rise in Russia's win probability from one period of regrouping at the staller's rate.

    ``p(K_R + rho_B (K_bar - K_R), K_U) - p(K_R, K_U)`` with the contest function of the
    model (``docs/dynamics.md``), floored at 0. Reads ``russia.capability``,
    ``russia.capability_ceiling``, ``russia.regroup_rate_staller``, ``ukraine.capability``
    and ``contest_exponent``.

    Parameters
    ----------
    model : NegotiationModel
        The model whose capabilities, regroup rate and contest exponent are read.

    Returns
    -------
    float
        ``A >= 0``, the rise in Russia's win probability.

    Examples
    --------
    >>> round(staller_regroup_advantage(NegotiationModel()), 6)  # 1.125/2.125 - 1/2
    0.029412
    """
    r, u = model.russia, model.ukraine
    regrouped = r.capability + r.regroup_rate_staller * (r.capability_ceiling - r.capability)
    before = model.win_probability()
    after = win_probability(regrouped, u.capability, model.contest_exponent)
    return max(after - before, 0.0)


def sincerity_parameters_from_model(
    model: NegotiationModel, offer: Offer | None = None
) -> SincerityParameters:
    """Read the sincerity game's parameters from the negotiation model and an offer.

    Mapping (all per period, in shares of the stake):

    - ``prior_sincere`` = ``russia.prior_sincere``;
    - ``gain_sincere = gain_staller`` = ``russia.sanctions_cost * west.western_cohesion``:
      the pressure that relaxing lifts, worth the same to both types;
    - ``cost_sincere`` = ``offer.withdrawal_cost`` (0 without an offer: words only);
    - ``cost_staller`` = ``offer.withdrawal_cost + A`` when the offer comes with a
      withdrawal (else 0), where ``A`` = :func:`staller_regroup_advantage`: a verified
      withdrawal also forgoes the regrouping a staller was stalling for;
    - ``w_S`` = the weight-averaged ``sanctions_burden`` of the Western governments: what
      relaxing saves the West when the offer is sincere;
    - ``w_B`` = the weight-averaged ``value_of_success`` times ``A``: what the West loses
      when a staller uses the pause to regroup (the burden saved during a pause that ends
      in renewed war is not counted).

    Parameters
    ----------
    model : NegotiationModel
        The model whose Russian and Western parameters are read.
    offer : Offer, optional
        The offer whose ``withdrawal_cost`` is the costly step; ``None`` for words only.

    Returns
    -------
    SincerityParameters
        The seven numbers, unvalidated until a game is built or classified from them.

    Raises
    ------
    ValueError
        If ``w_S`` and ``w_B`` are both 0.

    Examples
    --------
    >>> model = NegotiationModel().with_params(russia__prior_sincere=0.1)
    >>> talk = sincerity_parameters_from_model(model)
    >>> talk.classify().regime
    'pooling'
    >>> step = sincerity_parameters_from_model(model, Offer(withdrawal_cost=0.08))
    >>> round(step.cost_staller, 4), step.classify().regime
    (0.1094, 'separating')
    """
    w = model.west
    weights = np.array([g.weight for g in w.governments])
    burden = float(np.average([g.sanctions_burden for g in w.governments], weights=weights))
    value = float(np.average([g.value_of_success for g in w.governments], weights=weights))
    advantage = staller_regroup_advantage(model)
    gain = model.russia.sanctions_cost * w.western_cohesion
    cost = 0.0 if offer is None else float(offer.withdrawal_cost)
    params = SincerityParameters(
        prior_sincere=model.russia.prior_sincere,
        w_S=burden,
        w_B=value * advantage,
        gain_sincere=gain,
        gain_staller=gain,
        cost_sincere=cost,
        cost_staller=cost + advantage if cost > 0 else 0.0,
    )
    if params.w_S + params.w_B <= 0:
        raise ValueError(
            "the West has neither a sanctions burden nor a value of success at stake "
            "(w_S = w_B = 0), so the sincerity game is empty; raise "
            "west.governments.<name>.sanctions_burden or value_of_success"
        )
    return params
