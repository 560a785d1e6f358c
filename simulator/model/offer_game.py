"""The offer game: a peace offer when the West cannot tell a sincere Russia from a staller.

A one-shot signalling game built from the negotiation model's parameters and solved for its
perfect Bayesian equilibria (``docs/offer_game.md`` has the full write-up).

1. Nature draws Russia's type: *sincere* (probability ``russia.prior_sincere``) or *staller*.
2. Russia fights on (``"fight"``), makes the offer in words only (``"talk"``) or makes it with a
   verified withdrawal (``"withdraw"``; only when ``offer.withdrawal_cost > 0``). The withdrawal
   costs a sincere Russia ``k = offer.withdrawal_cost`` and a staller ``k + A``, where ``A`` is
   the regroup advantage it forgoes (the mapping of :mod:`simulator.model.published.costly_signalling`).
3. Each Western government sees the message, forms the common posterior by Bayes' rule and
   holds or eases its sanctions and arms supplies; coalition pressure ``pi`` follows
   ``west.aggregation`` (:func:`simulator.model.published.coalition.coalition_pressure`).
4. Ukraine accepts the offer iff its value ``V_U = x + G (1 - x) - tau`` beats its war payoff
   given the Western response, ``W_U(pi) = 1 - p - c_U - (1 - pi) s_W``: Western support
   (worth ``s_W``, the game parameter ``western_support``) bears part of Ukraine's cost of war,
   and easing governments withdraw it.
5. A sincere Russia keeps the deal. A staller regroups during the pause, shifting its win
   probability to ``p1 = p + (1 - G) A`` (:func:`simulator.model.published.commitment.shrunk_shift`), and
   breaks the deal iff the renewed war is worth more than keeping it (Powell's commitment
   problem: the shift moves the bargaining range away from the deal).

Payoffs, in shares of the stake (``sigma = sanctions_cost * western_cohesion``): war now is
worth :func:`~simulator.model.published.bargaining.russia_war_payoff` at sanctions ``sigma pi`` to
Russia; a kept deal ``1 - x + tau + S [x <= x_dom] - (1 - relief) sigma pi`` (the status premium
of claim 3); a broken one ``(1 - delta_R) keep + delta_R W_R(p1, sigma)``. Government ``i``
gains ``kappa_i`` (its sanctions burden) by easing toward a sincere Russia and loses
``a_i + b_i Delta_i (1 + (1 - G) A) - kappa_i`` by easing toward a staller: the audience cost,
the war value of its share ``Delta_i`` of the pressure (as in
:func:`~simulator.model.published.coalition.member_support`) and the regroup harm; after "fight" its
gain is ``kappa_i - a_i - b_i Delta_i``. Its threshold is ``mu*_i = relax_threshold(w_S, w_B)``.

Stages 4 and 5 are resolved by backward induction into Russia's payoffs, so the game is a
:class:`~simulator.games.signalling.SignallingGame` with types x messages x Western responses;
:func:`offer_game_tree` gives the full tree. The governments' responses form a ladder: a
government eases iff the posterior reaches its own threshold ``mu*_i`` (the weakest link eases
first), so the aggregate response to a posterior is "the ``l`` governments with the lowest
thresholds ease".

Sources: J. D. Fearon, "Rationalist explanations for war", *International Organization*
49(3), 1995 (bargaining range; claim 3 via the status premium); J. D. Fearon, "Signaling
foreign policy interests", *Journal of Conflict Resolution* 41(1), 1997 (costly signals;
claims 1 and 6); R. Powell, "War as a commitment problem", *International Organization*
60(1), 2006 (claim 5); E. Min, "Talking while fighting", *International Organization* 74(3),
2020 (insincere talks to buy time; claim 1); J. Hirshleifer, "From weakest-link to
best-shot", *Public Choice* 41(3), 1983 and M. Olson & R. Zeckhauser, "An economic theory of
alliances", *Review of Economics and Statistics* 48(3), 1966 (coalition pressure; claim 2);
J. D. Fearon, "Domestic political audiences", *APSR* 88(3), 1994 (audience costs);
D. Fudenberg & J. Tirole, *Game Theory*, MIT Press, 1991, ch. 8 (perfect Bayesian
equilibrium); I.-K. Cho & D. M. Kreps, "Signaling games and stable equilibria", *Quarterly
Journal of Economics* 102, 1987 (intuitive criterion).
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from simulator.games.extensive import Chance, Decision, ExtensiveGame, Terminal
from simulator.games.signalling import SignallingGame
from simulator.model.negotiation import NegotiationModel
from simulator.model.offers import Offer
from simulator.model.parameters import ParameterSpec, parameter_specs
from simulator.model.published.bargaining import russia_war_payoff
from simulator.model.published.coalition import coalition_pressure, marginal_effect
from simulator.model.published.commitment import shrunk_shift
from simulator.model.published.costly_signalling import (
    relax_threshold,
    staller_mixing_probability,
    staller_regroup_advantage,
)
from simulator.solvers.signalling_pbe import SignallingEquilibrium, perfect_bayesian_equilibria

if TYPE_CHECKING:
    from simulator.games.behaviour import BehaviourProfile

__all__ = [
    "MESSAGES",
    "OUTCOMES",
    "TYPES",
    "WESTERN_SUPPORT",
    "OfferGameResult",
    "comparative_statics",
    "offer_game",
    "offer_game_profile",
    "offer_game_tree",
    "regroup_advantage",
    "sincere_mixing_probability",
    "solve_offer_game",
    "solve_offer_game_batch",
    "switch_points",
]

TYPES = ("sincere", "staller")
MESSAGES = ("fight", "talk", "withdraw")
OUTCOMES = ("settlement", "stalling", "war")
_FIGHT, _TALK, _WITHDRAW = 0, 1, 2
_SETTLE, _STALL, _WAR = 0, 1, 2
_KIND_ORDER = {"pooling": 0, "separating": 1, "hybrid": 2, "partially pooling": 3}
#: Probabilities below this count as zero when reading supports and outcome sets.
_ZERO = 1e-9

# The parameters the game reads (dotted names); governments add
# ``west.governments.<name>.<field>`` for each field in _GOVERNMENT.
_MODEL_FIELDS = (
    "russia.great_power_status",
    "russia.dominance_threshold",
    "russia.sanctions_cost",
    "russia.war_cost",
    "russia.capability",
    "russia.capability_ceiling",
    "russia.regroup_rate_sincere",
    "russia.regroup_rate_staller",
    "russia.discount_factor",
    "russia.prior_sincere",
    "russia.optimism",
    "ukraine.war_cost",
    "ukraine.capability",
    "ukraine.discount_factor",
    "west.western_cohesion",
    "west.cohesion_threshold",
    "west.security_guarantee_credibility",
    "contest_exponent",
)
_GOVERNMENT = ("weight", "sanctions_burden", "value_of_success", "audience_cost")
#: Default of ``west.ukraine_support``, the model parameter behind ``western_support``.
WESTERN_SUPPORT = 0.1
_SUPPORT_SPEC = ParameterSpec(
    name="western_support",
    description="what the coalition's support (arms, money) is worth to Ukraine's war effort; "
    "easing governments withdraw the share (1 - pressure) of it",
    unit="share of the stake (the whole issue = 1)",
    low=0.0,
    high=10.0,
    default=WESTERN_SUPPORT,
)
_OFFER = ("alignment", "security_guarantees", "territory", "sanctions_relief", "withdrawal_cost")


# ====================================================================== small closed forms


def _support(model: NegotiationModel, western_support: float | None) -> float:
    """The game's ``western_support``: the model's ``west.ukraine_support`` unless overridden."""
    return model.west.ukraine_support if western_support is None else float(western_support)


def regroup_advantage(model: NegotiationModel) -> float:
    """The staller's regroup advantage ``A`` over a sincere Russia, in win probability.

    ``A = max(0, p(K_R + rho_B (K_bar - K_R)) - p(K_R + rho_S (K_bar - K_R)))``: what one
    pause of talks adds to a staller's chance of winning beyond what a sincere Russia, which
    also rotates and resupplies, regains. It is :func:`~simulator.model.published.costly_signalling.
    staller_regroup_advantage` at the staller's rate minus the same at the sincere rate, so it
    equals that function when ``regroup_rate_sincere = 0`` and vanishes when both rates agree.
    Reads ``russia.capability``, ``russia.capability_ceiling``, ``russia.regroup_rate_*``,
    ``ukraine.capability`` and ``contest_exponent``.

    Examples
    --------
    >>> round(regroup_advantage(NegotiationModel()), 6)  # 1.125/2.125 - 1.025/2.025
    0.023239
    >>> regroup_advantage(NegotiationModel().with_params(russia__regroup_rate_staller=0.05))
    0.0
    """
    sincere_rate = model.with_params(russia__regroup_rate_staller=model.russia.regroup_rate_sincere)
    return max(staller_regroup_advantage(model) - staller_regroup_advantage(sincere_rate), 0.0)


def sincere_mixing_probability(prior_sincere: Any, w_S: Any, w_B: Any) -> Any:
    """How often a sincere Russia sends the message the staller always sends, in a hybrid.

    When the prior is above the West's threshold ``mu* = w_B / (w_S + w_B)``, a message sent
    by every staller and by a sincere Russia with probability ``s`` has posterior
    ``mu0 s / (mu0 s + 1 - mu0)``; it equals ``mu*`` at ``s = (1 - mu0) mu* / (mu0 (1 - mu*))``
    (derived here: the mirror image of
    :func:`~simulator.model.published.costly_signalling.staller_mixing_probability`). Below the
    threshold the result is 1.

    Examples
    --------
    >>> round(sincere_mixing_probability(0.8, 1.0, 1.0), 6)  # 0.2 * 0.5 / (0.8 * 0.5)
    0.25
    >>> sincere_mixing_probability([0.8, 0.3], 1.0, 1.0).tolist()
    [0.25, 1.0]
    """
    mu0 = np.asarray(prior_sincere, dtype=float)
    if np.any(~np.isfinite(mu0) | (mu0 <= 0) | (mu0 >= 1)):
        raise ValueError(f"prior_sincere = {prior_sincere!r} must lie strictly between 0 and 1")
    mu_star = np.asarray(relax_threshold(w_S, w_B), dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        s = (1.0 - mu0) * mu_star / (mu0 * (1.0 - mu_star))
    out = np.where(mu0 <= mu_star, 1.0, np.minimum(s, 1.0))
    return out.item() if out.ndim == 0 else out


def _contest(capability_a: np.ndarray, capability_b: np.ndarray, g: np.ndarray) -> np.ndarray:
    # Vectorised twin of negotiation.win_probability (which returns a Python float).
    a, b = capability_a**g, capability_b**g
    return a / (a + b)


# ====================================================================== parameters
def _specs(model: NegotiationModel) -> dict[str, Any]:
    specs = {name: spec for name, _value, spec in model.describe()}
    for spec in parameter_specs(Offer):
        specs[f"offer.{spec.name}"] = spec
    specs["western_support"] = _SUPPORT_SPEC
    return specs


def _read_names(model: NegotiationModel) -> list[str]:
    names = list(_MODEL_FIELDS)
    for g in model.west.governments:
        names += [f"west.governments.{g.name}.{f}" for f in _GOVERNMENT]
    return names + [f"offer.{f}" for f in _OFFER]


def _base_values(model: NegotiationModel, offer: Offer, support: float) -> dict[str, float]:
    params = model.params
    out = {name: float(params[name]) for name in _read_names(model) if name in params}
    for f in _OFFER:
        out[f"offer.{f}"] = float(getattr(offer, f))
    out["western_support"] = float(_SUPPORT_SPEC.check(support, "western_support"))
    return out


def _point_values(
    model: NegotiationModel,
    offer: Offer,
    changes: Mapping[str, Any] | None,
    support: float = WESTERN_SUPPORT,
) -> tuple[dict[str, np.ndarray], tuple[int, ...]]:
    """Every parameter the game reads as a flat array over the parameter points."""
    if not isinstance(model, NegotiationModel):
        raise TypeError(f"model must be a NegotiationModel, got {type(model).__name__}")
    if not isinstance(offer, Offer):
        raise TypeError(f"offer must be an Offer, got {type(offer).__name__}")
    values = _base_values(model, offer, support)
    changes = dict(changes or {})
    if "west.ukraine_support" in changes:  # the model's name for the game's western_support
        changes["western_support"] = changes.pop("west.ukraine_support")
    specs = _specs(model)
    arrays: dict[str, np.ndarray] = {}
    for name, raw in changes.items():
        if name not in values:
            if name in specs:
                raise ValueError(
                    f"{name!r} is a parameter the offer game does not read (or not a number); "
                    f"it reads {sorted(values)}"
                )
            close = difflib.get_close_matches(name, list(values), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise KeyError(f"unknown parameter {name!r}{hint}")
        try:
            array = np.asarray(raw, dtype=float)
        except (TypeError, ValueError):
            raise ValueError(f"{name} must be numbers; got {raw!r}") from None
        spec = specs[name]
        bad = ~np.isfinite(array) | (array < spec.low) | (array > spec.high)
        if spec.low_open:
            bad |= array == spec.low
        if spec.high_open:
            bad |= array == spec.high
        if np.any(bad):
            shown = array[bad].flat[0] if array.ndim else float(array)
            raise ValueError(
                f"{name} = {shown!r} is outside its valid range {spec.range_text()} "
                f"({spec.description}; {spec.unit})"
            )
        arrays[name] = array
    try:
        shape = np.broadcast_shapes(*(a.shape for a in arrays.values())) if arrays else ()
    except ValueError:
        shapes = {k: a.shape for k, a in arrays.items()}
        raise ValueError(f"the changes must broadcast to one shape; got shapes {shapes}") from None
    size = int(np.prod(shape)) if shape else 1
    out = {
        name: np.broadcast_to(arrays.get(name, value), shape).reshape(size).astype(float)
        for name, value in values.items()
    }
    return out, shape


# ====================================================================== the payoff tables
@dataclass(frozen=True, eq=False)
class _Tables:
    """Everything the solvers need, over ``N`` parameter points (leading axis)."""

    names: tuple[str, ...]
    prior: np.ndarray  # (N,)
    russia: np.ndarray  # (N, 2, 3, L) Russia's payoff by type, message, response level
    west: np.ndarray  # (N, 2, 3, L) the West's potential: sum of the easing governments' gains
    outcome: np.ndarray  # (N, 2, 3, L) codes _SETTLE/_STALL/_WAR
    ukraine: np.ndarray  # (N, 2, 3, L) Ukraine's realised payoff
    ease: np.ndarray  # (N, 3, L, n) which governments ease at each response level
    pressure: np.ndarray  # (N, 3, L) coalition pressure
    gain: np.ndarray  # (N, n, 2, 3) each government's gain from easing
    threshold: np.ndarray  # (N, n) mu*_i after an offer (nan: nothing at stake)
    available: np.ndarray  # (N, 3) which messages exist
    tol: np.ndarray  # (N,) solver tolerance
    extra: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return self.prior.shape[0]

    @property
    def levels(self) -> int:
        return self.russia.shape[-1]


def _coalition(
    weights: np.ndarray, tau: np.ndarray, aggregation: str, hold: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Marginal effects (N, n) and pressure (N, 3, L), grouped by coalition structure."""
    n = weights.shape[1]
    keys = np.concatenate([weights, tau[:, None]], axis=1)
    unique, inverse = np.unique(keys, axis=0, return_inverse=True)
    inverse = np.asarray(inverse).reshape(-1)
    delta = np.empty_like(weights)
    pressure = np.empty(hold.shape[:-1])
    for k, row in enumerate(unique):
        idx = inverse == k
        delta[idx] = marginal_effect(row[:n], aggregation, float(row[n]))
        pressure[idx] = coalition_pressure(hold[idx], row[:n], aggregation, float(row[n]))
    return delta, pressure


def _russia_values(v: dict[str, np.ndarray], pi: np.ndarray) -> dict[str, np.ndarray]:
    """Russia's values of the outcomes at coalition pressure ``pi`` (leading axis: points)."""
    extra = (slice(None),) + (None,) * (pi.ndim - 1)

    def at(name: str) -> np.ndarray:
        return v[name][extra]

    sigma = at("sigma")
    war = russia_war_payoff(
        at("p"),
        at("russia.war_cost"),
        at("russia.great_power_status"),
        at("russia.dominance_threshold"),
        sigma * pi,
        at("russia.optimism"),
    )
    keep = at("keep0") - (1.0 - at("offer.sanctions_relief")) * sigma * pi
    renewed = at("renewed")
    stall = (1.0 - at("russia.discount_factor")) * keep + at("russia.discount_factor") * renewed
    breaks = at("can_break") & (renewed > keep)
    return {"war": war, "keep": keep, "stall": stall, "breaks": breaks}


def _derived(v: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Win probabilities, regroup advantage, deal values: the pieces every stage uses."""
    g = v["contest_exponent"]
    k_r, k_u = v["russia.capability"], v["ukraine.capability"]
    gap = v["russia.capability_ceiling"] - k_r
    p = _contest(k_r, k_u, g)
    p_sincere = _contest(k_r + v["russia.regroup_rate_sincere"] * gap, k_u, g)
    p_staller = _contest(k_r + v["russia.regroup_rate_staller"] * gap, k_u, g)
    # Same floors as costly_signalling.staller_regroup_advantage applied at both rates.
    advantage = np.maximum(np.maximum(p_staller - p, 0.0) - np.maximum(p_sincere - p, 0.0), 0.0)
    guarantee = v["offer.security_guarantees"] * v["west.security_guarantee_credibility"]
    p1 = np.asarray(shrunk_shift(p, np.minimum(p + advantage, 1.0), guarantee), dtype=float)
    sigma = v["russia.sanctions_cost"] * v["west.western_cohesion"]
    x, tau = v["offer.alignment"], v["offer.territory"]
    # The tolerance keeps x = x_dom inside the sphere despite float noise in sweeps.
    status = v["russia.great_power_status"] * (x <= v["russia.dominance_threshold"] + 1e-9)
    renewed = np.asarray(
        russia_war_payoff(
            p1,
            v["russia.war_cost"],
            v["russia.great_power_status"],
            v["russia.dominance_threshold"],
            sigma,
            v["russia.optimism"],
        ),
        dtype=float,
    )
    value_ukraine = x + guarantee * (1.0 - x) - tau
    war_ukraine = 1.0 - p - v["ukraine.war_cost"]
    return {
        "p": p,
        "p1": p1,
        "advantage": advantage,
        "guarantee": guarantee,
        "sigma": sigma,
        "keep0": 1.0 - x + tau + status,
        "renewed": renewed,
        "can_break": p1 > p,
        "value_ukraine": value_ukraine,
        "war_ukraine": war_ukraine,
    }


def _government_arrays(
    v: dict[str, np.ndarray], names: tuple[str, ...], field_name: str
) -> np.ndarray:
    return np.stack([v[f"west.governments.{n}.{field_name}"] for n in names], axis=1)


def _tables(v: dict[str, np.ndarray], names: tuple[str, ...], aggregation: str) -> _Tables:
    v = {**v, **_derived(v)}
    size, n = v["p"].shape[0], len(names)
    levels = n + 1
    weights = _government_arrays(v, names, "weight")
    burden = _government_arrays(v, names, "sanctions_burden")
    value = _government_arrays(v, names, "value_of_success")
    audience = _government_arrays(v, names, "audience_cost")

    # Each government's gain from easing. In war ("fight") it is the participation margin of
    # coalition.member_support, negated: kappa_i - a_i - b_i Delta_i. Against a staller the war
    # resumes after the pause, so easing also costs the regroup harm b_i Delta_i (1 - G) A;
    # against a sincere Russia the war is over and easing saves the burden kappa_i. These are
    # Fearon's (1997) w_S = kappa_i and w_B = a_i + b_i Delta_i (1 + (1 - G) A) - kappa_i.
    delta, _ = _coalition(
        weights, v["west.cohesion_threshold"], aggregation, np.ones((size, 1, 1, n))
    )
    fight_gain = burden - audience - value * delta
    harm = value * delta * ((1.0 - v["guarantee"]) * v["advantage"])[:, None]
    w_s, w_b = burden, harm - fight_gain
    stake = (w_s > 0) | (w_b != 0)
    threshold = np.full((size, n), np.nan)
    threshold[stake & (w_b <= 0)] = 0.0  # eases whatever it believes
    firm = stake & (w_b > 0)
    if np.any(firm):
        threshold[firm] = relax_threshold(w_s[firm], w_b[firm])
    gain = np.empty((size, n, 2, 3))
    gain[:, :, :, _FIGHT] = fight_gain[:, :, None]
    gain[:, :, 0, _TALK:] = w_s[:, :, None]
    gain[:, :, 1, _TALK:] = -w_b[:, :, None]

    # The ladder: after an offer governments ease in order of their thresholds, after
    # "fight" in order of their (type-free) gain; those with nothing at stake come last.
    offer_rank = np.argsort(
        np.argsort(np.where(stake, threshold, np.inf), axis=1, kind="stable"), axis=1, kind="stable"
    )
    fight_rank = np.argsort(np.argsort(-fight_gain, axis=1, kind="stable"), axis=1, kind="stable")
    rank = np.stack([fight_rank, offer_rank, offer_rank], axis=1)  # (N, 3, n)
    ease = rank[:, :, None, :] < np.arange(levels)[None, None, :, None]  # (N, 3, L, n)
    _, pressure = _coalition(
        weights, v["west.cohesion_threshold"], aggregation, (~ease).astype(float)
    )
    west = np.einsum("nmli,nitm->ntml", ease.astype(float), gain)

    r = _russia_values(v, pressure)
    # Ukraine's war payoff given the coalition's response; it takes the offer at face value.
    war_u = v["war_ukraine"][:, None, None] - (1.0 - pressure) * v["western_support"][:, None, None]
    accept_all = v["value_ukraine"][:, None, None] >= war_u  # (N, 3, L)
    accept = accept_all[:, _TALK:]
    russia = np.empty((size, 2, 3, levels))
    outcome = np.empty((size, 2, 3, levels), dtype=np.int8)
    russia[:, :, _FIGHT] = r["war"][:, None, _FIGHT]
    outcome[:, :, _FIGHT] = _WAR
    offers = slice(_TALK, None)
    keep, war, stall = r["keep"][:, offers], r["war"][:, offers], r["stall"][:, offers]
    breaks = r["breaks"][:, offers]
    russia[:, 0, offers] = np.where(accept, keep, war)
    russia[:, 1, offers] = np.where(accept, np.where(breaks, stall, keep), war)
    outcome[:, 0, offers] = np.where(accept, _SETTLE, _WAR)
    outcome[:, 1, offers] = np.where(accept, np.where(breaks, _STALL, _SETTLE), _WAR)
    cost = v["offer.withdrawal_cost"]
    russia[:, 0, _WITHDRAW] -= cost[:, None]
    russia[:, 1, _WITHDRAW] -= (cost + v["advantage"])[:, None]

    d_u = v["ukraine.discount_factor"][:, None, None, None]
    renewed_u = (1.0 - v["p1"] - v["ukraine.war_cost"])[:, None, None, None]
    value_u = v["value_ukraine"][:, None, None, None]
    ukraine = np.select(
        [outcome == _SETTLE, outcome == _STALL],
        [np.broadcast_to(value_u, outcome.shape), (1.0 - d_u) * value_u + d_u * renewed_u],
        default=np.broadcast_to(war_u[:, None], outcome.shape),
    )
    available = np.ones((size, 3), dtype=bool)
    available[:, _WITHDRAW] = cost > 0
    both = np.concatenate(
        [russia.reshape(size, 2, 3 * levels), west.reshape(size, 2, 3 * levels)], axis=2
    )
    mask = np.repeat(available, levels, axis=1)
    mask = np.concatenate([mask, mask], axis=1)[:, None, :]
    high = np.where(mask, both, -np.inf).max(axis=(1, 2))
    low = np.where(mask, both, np.inf).min(axis=(1, 2))
    tol = 1e-8 * np.maximum(1.0, high - low)
    extra = {k: v[k] for k in ("p", "p1", "advantage", "sigma", "value_ukraine")}
    extra["accept"] = accept_all  # (N, 3, L)
    return _Tables(
        names=names,
        prior=v["russia.prior_sincere"],
        russia=russia,
        west=west,
        outcome=outcome,
        ukraine=ukraine,
        ease=ease,
        pressure=pressure,
        gain=gain,
        threshold=threshold,
        available=available,
        tol=tol,
        extra=extra,
    )


def _model_tables(model: NegotiationModel, offer: Offer, support: float) -> _Tables:
    values, _ = _point_values(model, offer, None, support)
    names = tuple(g.name for g in model.west.governments)
    return _tables(values, names, model.west.aggregation)


# ====================================================================== the signalling game
def _action_labels(n: int) -> tuple[str, ...]:
    if n == 1:
        return ("hold", "ease")
    return tuple(f"{k} of {n} ease" for k in range(n + 1))


def offer_game(
    model: NegotiationModel, offer: Offer, *, western_support: float | None = None
) -> SignallingGame:
    """The offer game as a :class:`~simulator.games.signalling.SignallingGame`.

    Types :data:`TYPES`; messages ``fight``, ``talk`` and, when ``offer.withdrawal_cost > 0``,
    ``withdraw``; actions are the Western response levels (``hold``/``ease`` with one
    government, ``"k of n ease"`` with ``n``: the ``k`` governments with the lowest easing
    thresholds ease). Players ``("Russia", "West")``. Russia's payoffs resolve Ukraine's
    acceptance and the staller's keep-or-break decision by backward induction; the West's
    payoff is the sum of the easing governments' gains, so its best reply to any belief is
    every government's own best reply (``docs/offer_game.md``).

    Examples
    --------
    >>> game = offer_game(NegotiationModel(), Offer(alignment=0.4, withdrawal_cost=0.05))
    >>> game.messages, game.actions
    (('fight', 'talk', 'withdraw'), ('hold', 'ease'))
    >>> round(float(game.sender_payoffs[0, 1, 1]), 6)  # sincere talks, West eases: 1 - 0.4
    0.6
    """
    western_support = _support(model, western_support)
    t = _model_tables(model, offer, western_support)
    used = [m for m in range(3) if t.available[0, m]]
    return SignallingGame(
        TYPES,
        [t.prior[0], 1.0 - t.prior[0]],
        [MESSAGES[m] for m in used],
        _action_labels(len(t.names)),
        t.russia[0][:, used],
        t.west[0][:, used],
        players=("Russia", "West"),
        title=f"Offer game: {offer.name}",
    )


# ====================================================================== the full tree
def _profile_label(names: tuple[str, ...], eases: tuple[bool, ...]) -> str:
    if len(names) == 1:
        return "West eases" if eases[0] else "West holds"
    return ", ".join(f"{n} {'eases' if e else 'holds'}" for n, e in zip(names, eases))


def offer_game_tree(
    model: NegotiationModel, offer: Offer, *, western_support: float | None = None
) -> ExtensiveGame:
    """The full game tree: chance, Russia, each government, Ukraine, the staller's choice.

    Players are ``"Russia"``, the governments by name, and ``"Ukraine"``. Russia's first
    information set is its type; every government has one information set per message (the
    governments move simultaneously, unaware of each other's choices); Ukraine sees the
    message and every government's action; a staller whose deal was accepted chooses to keep or
    break it (only when the pause shifted power, ``p1 > p``; a sincere Russia keeps its deal).
    Ukraine's payoff is its valuation when it decides: ``V_U`` if it accepts, ``W_U(pi)`` if it
    does not (it cannot tell the types apart and takes the offer at face value), so its
    backward-induction choice is the acceptance rule whatever its beliefs.

    Examples
    --------
    >>> tree = offer_game_tree(NegotiationModel(), Offer(alignment=0.4))
    >>> tree.players
    ('Russia', 'West', 'Ukraine')
    >>> sorted(h.label for h in tree.infosets if h.player == 1)
    ['after fight', 'after talk']
    """
    western_support = _support(model, western_support)
    values, _ = _point_values(model, offer, None, western_support)
    names = tuple(g.name for g in model.west.governments)
    clash = {"Russia", "Ukraine"} & set(names)
    if clash:
        raise ValueError(
            f"a Western government may not be called {sorted(clash)} in the game tree; rename it"
        )
    t = _tables(values, names, model.west.aggregation)
    v = {**values, **_derived(values)}
    weights = _government_arrays(v, names, "weight")[0]
    aggregation, tau = model.west.aggregation, float(v["west.cohesion_threshold"][0])
    n = len(names)
    cost = float(v["offer.withdrawal_cost"][0])
    costs = {
        "sincere": {"fight": 0.0, "talk": 0.0, "withdraw": cost},
        "staller": {"fight": 0.0, "talk": 0.0, "withdraw": cost + float(v["advantage"][0])},
    }
    value_u = float(v["value_ukraine"][0])
    messages = [m for k, m in enumerate(MESSAGES) if t.available[0, k]]

    def leaf(russia: float, t_index: int, m: int, eases: tuple[bool, ...], ukraine: float):
        govs = [float(t.gain[0, i, t_index, m]) if e else 0.0 for i, e in enumerate(eases)]
        return Terminal([russia, *govs, ukraine])

    def after_west(t_index: int, m: int, eases: tuple[bool, ...]):
        hold = np.array([0.0 if e else 1.0 for e in eases])
        pi = float(coalition_pressure(hold, weights, aggregation, tau))
        r = {
            k: float(np.asarray(a).reshape(-1)[0])
            for k, a in _russia_values(v, np.array([[pi]])).items()
        }
        war_u = float(v["war_ukraine"][0] - (1.0 - pi) * v["western_support"][0])
        kind, label = TYPES[t_index], _profile_label(names, eases)
        k = costs[kind][MESSAGES[m]]
        if m == _FIGHT:
            return leaf(r["war"], t_index, m, eases, war_u)
        if kind == "sincere" or not bool(v["can_break"][0]):
            accepted = leaf(r["keep"] - k, t_index, m, eases, value_u)
        else:
            accepted = Decision(
                "Russia",
                {
                    "keep": leaf(r["keep"] - k, t_index, m, eases, value_u),
                    "break": leaf(r["stall"] - k, t_index, m, eases, value_u),
                },
                infoset=f"staller: {MESSAGES[m]}, {label}, accepted",
            )
        return Decision(
            "Ukraine",
            {"accept": accepted, "reject": leaf(r["war"] - k, t_index, m, eases, war_u)},
            infoset=f"after {MESSAGES[m]}, {label}",
        )

    def government(t_index: int, m: int, i: int, eases: tuple[bool, ...]):
        if i == n:
            return after_west(t_index, m, eases)
        return Decision(
            names[i],
            {
                "hold": government(t_index, m, i + 1, (*eases, False)),
                "ease": government(t_index, m, i + 1, (*eases, True)),
            },
            infoset=f"after {MESSAGES[m]}",
        )

    def russia(t_index: int):
        return Decision(
            "Russia",
            {m: government(t_index, MESSAGES.index(m), 0, ()) for m in messages},
            infoset=TYPES[t_index],
        )

    prior = float(t.prior[0])
    root = Chance({"sincere": (prior, russia(0)), "staller": (1.0 - prior, russia(1))})
    return ExtensiveGame.from_tree(
        ["Russia", *names, "Ukraine"], root, title=f"Offer game tree: {offer.name}"
    )


# ====================================================================== results
@dataclass(frozen=True, eq=False)
class OfferGameResult:
    """The offer game's perfect Bayesian equilibria and the selected one, in domain terms.

    Attributes
    ----------
    game : SignallingGame
        The game :func:`offer_game` builds.
    equilibria : tuple of SignallingEquilibrium
        Every perfect Bayesian equilibrium found (one per outcome; extreme points of
        continua), each certified.
    selected : SignallingEquilibrium
        Among those passing the intuitive criterion (all of them if none does), the one with
        the highest ex-ante payoff to Russia; ties (payoff-equivalent equilibria) go to the
        simpler kind (pooling, then separating, then hybrid), then to the higher settlement
        probability, the lower renewed-war probability and the more probable "fight".
    kind : str
        ``"pooling"``, ``"separating"`` or ``"hybrid"`` (some type randomises).
    regime : str
        ``kind`` and the outcomes each type reaches with positive probability.
    outcome : dict
        Each type's most likely outcome: ``"settlement"``, ``"stalling"`` (a staller's offer
        accepted, then broken) or ``"war"``.
    outcome_probabilities : dict
        ``{type: {outcome: probability}}``.
    settlement_probability, renewed_war_probability, war_probability : float
        Ex ante (over the prior): a deal that holds, a deal broken after a pause, war now.
    posterior : dict
        ``P(sincere)`` after each message: Bayes' rule where sent, a supporting belief
        elsewhere (see ``on_path`` and ``selected.off_path_beliefs``).
    on_path : dict
        Whether each message is sent.
    west_actions : dict
        ``{message: {government: probability it eases}}``.
    pressure : dict
        Expected coalition pressure after each message (1 = every government holds).
    acceptance : dict
        Probability that Ukraine accepts the offer after each offer message.
    thresholds : dict
        Each government's easing threshold ``mu*_i`` after an offer (``nan``: nothing at
        stake, it holds).
    payoffs : dict
        ``{actor: {"sincere": ..., "staller": ..., "expected": ...}}`` for ``"Russia"``,
        ``"Ukraine"`` (realised, including a renewed war after a broken deal) and each
        government (its gains from easing, relative to holding).
    certificate : float
        The selected equilibrium's largest gain from a deviation (its regret).
    row : dict
        The same numbers under the keys of :func:`solve_offer_game_batch`.
    """

    game: SignallingGame
    equilibria: tuple[SignallingEquilibrium, ...]
    selected: SignallingEquilibrium
    kind: str
    regime: str
    outcome: dict[str, str]
    outcome_probabilities: dict[str, dict[str, float]]
    settlement_probability: float
    renewed_war_probability: float
    war_probability: float
    posterior: dict[str, float]
    on_path: dict[str, bool]
    west_actions: dict[str, dict[str, float]]
    pressure: dict[str, float]
    acceptance: dict[str, float]
    thresholds: dict[str, float]
    payoffs: dict[str, dict[str, float]]
    certificate: float
    row: dict[str, Any] = field(repr=False, default_factory=dict)

    def summary(self) -> str:
        """A few lines a policy student can read.

        Examples
        --------
        >>> model = NegotiationModel().with_params(
        ...     russia__dominance_threshold=0.2, russia__capability_ceiling=2.0,
        ...     russia__regroup_rate_sincere=0.0, russia__regroup_rate_staller=1.0,
        ...     russia__prior_sincere=0.4)
        >>> r = solve_offer_game(model, Offer(alignment=0.3, withdrawal_cost=0.05))
        >>> print(r.summary())
        regime: hybrid: sincere settlement+war, staller stalling+war
        sincere: sends withdraw 1; outcome settlement
        staller: sends fight 0.886, withdraw 0.114; outcome war
        after fight: P(sincere) = 0; ease probability West 0
        after withdraw: P(sincere) = 0.8537; ease probability West 0.884
        settlement 0.3537, renewed war 0.06064, war 0.5856; certificate (max regret) ...
        """
        lines = [f"regime: {self.regime}"]
        for ti, t in enumerate(TYPES):
            sends = ", ".join(
                f"{m} {p:.3g}"
                for m, p in zip(self.game.messages, self.selected.sender[ti])
                if p > _ZERO
            )
            lines.append(f"{t}: sends {sends}; outcome {self.outcome[t]}")
        for m in self.game.messages:
            if self.on_path[m]:
                eases = ", ".join(f"{g} {p:.3g}" for g, p in self.west_actions[m].items())
                lines.append(
                    f"after {m}: P(sincere) = {self.posterior[m]:.4g}; ease probability {eases}"
                )
        lines.append(
            f"settlement {self.settlement_probability:.4g}, renewed war "
            f"{self.renewed_war_probability:.4g}, war {self.war_probability:.4g}; "
            f"certificate (max regret) {self.certificate:.1e}"
        )
        return "\n".join(lines)


def _outcome_set(probabilities: np.ndarray) -> str:
    chosen = [OUTCOMES[k] for k in range(3) if probabilities[k] > _ZERO]
    return "+".join(chosen) if chosen else "none"


def _regime(kind: str, outcome: np.ndarray) -> str:
    return f"{kind}: sincere {_outcome_set(outcome[0])}, staller {_outcome_set(outcome[1])}"


def _summaries(
    t: _Tables, sender: np.ndarray, reply: np.ndarray, on_path: np.ndarray
) -> dict[str, np.ndarray]:
    """Outcome-level numbers from strategies over N points.

    ``sender`` (N, 2, 3); ``reply`` (N, 3, L), used on path only; ``on_path`` (N, 3).
    """
    reply = reply * on_path[:, :, None]
    prior = np.stack([t.prior, 1.0 - t.prior], axis=1)  # (N, 2)
    joint = sender[:, :, :, None] * reply[:, None, :, :]  # (N, 2, 3, L)
    outcome = np.stack([(joint * (t.outcome == o)).sum(axis=(2, 3)) for o in range(3)], axis=2)
    ease = t.ease.astype(float)
    mass = (prior[:, :, None] * sender).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        posterior = prior[:, 0, None] * sender[:, 0] / mass
    return {
        "prior": prior,
        "outcome": outcome,  # (N, 2, 3)
        "russia": (joint * t.russia).sum(axis=(2, 3)),
        "ukraine": (joint * t.ukraine).sum(axis=(2, 3)),
        "governments": np.einsum("ntml,nmli,nitm->nit", joint, ease, t.gain),  # (N, n, 2)
        "ease": np.where(on_path[:, :, None], np.einsum("nml,nmli->nmi", reply, ease), np.nan),
        "pressure": np.where(on_path, (reply * t.pressure).sum(axis=2), np.nan),
        "accept": np.where(on_path, (reply * t.extra["accept"]).sum(axis=2), np.nan),
        "posterior": np.where(on_path, posterior, np.nan),
    }


def _row_dict(
    t: _Tables,
    s: dict[str, np.ndarray],
    sender: np.ndarray,
    kind: np.ndarray,
    extra: dict[str, np.ndarray],
) -> dict[str, np.ndarray]:
    """The flat table of results (one array per key), shared by the batch and exact paths."""
    prior = s["prior"]
    out: dict[str, np.ndarray] = {"kind": kind}
    out["regime"] = np.array([_regime(k, o) for k, o in zip(kind, s["outcome"])], dtype=object)
    out["settlement_probability"] = (prior * s["outcome"][:, :, _SETTLE]).sum(axis=1)
    out["renewed_war_probability"] = (prior * s["outcome"][:, :, _STALL]).sum(axis=1)
    out["war_probability"] = (prior * s["outcome"][:, :, _WAR]).sum(axis=1)
    for ti, tname in enumerate(TYPES):
        for i, name in enumerate(OUTCOMES):
            out[f"outcome.{tname}.{name}"] = s["outcome"][:, ti, i]
        for mi, m in enumerate(MESSAGES):
            out[f"message.{tname}.{m}"] = sender[:, ti, mi]
        out[f"payoff.russia.{tname}"] = s["russia"][:, ti]
        out[f"payoff.ukraine.{tname}"] = s["ukraine"][:, ti]
    out["payoff.russia"] = (prior * s["russia"]).sum(axis=1)
    out["payoff.ukraine"] = (prior * s["ukraine"]).sum(axis=1)
    for gi, g in enumerate(t.names):
        out[f"payoff.{g}"] = (prior * s["governments"][:, gi]).sum(axis=1)
        out[f"threshold.{g}"] = t.threshold[:, gi]
    for mi, m in enumerate(MESSAGES):
        out[f"posterior.{m}"] = s["posterior"][:, mi]
        out[f"pressure.{m}"] = s["pressure"][:, mi]
        if mi != _FIGHT:
            out[f"acceptance.{m}"] = s["accept"][:, mi]
        for gi, g in enumerate(t.names):
            out[f"ease.{m}.{g}"] = s["ease"][:, mi, gi]
    out["win_probability"] = t.extra["p"]
    out["win_probability_after_pause"] = t.extra["p1"]
    out["regroup_advantage"] = t.extra["advantage"]
    out.update(extra)
    return out


# ====================================================================== selection
def _select(eligible: np.ndarray, criteria: list[tuple[np.ndarray, Any]]) -> np.ndarray:
    """Index (per point) of the eligible candidate that is lexicographically best.

    ``eligible`` is (C, N); each criterion is ``(values (C, N), tolerance)``, larger is better;
    candidates within the tolerance of the best survive to the next criterion; the first
    survivor (lowest candidate index) wins.
    """
    alive = eligible.copy()
    for values, tolerance in criteria:
        best = np.where(alive, values, -np.inf).max(axis=0)
        alive &= values >= best - tolerance
    return np.argmax(alive, axis=0)


def _criteria(
    t: _Tables, sender: np.ndarray, reply: np.ndarray, on: np.ndarray, kinds: list[str]
) -> list[tuple[np.ndarray, Any]]:
    """Selection criteria of (C, N) candidates: Russia's ex-ante payoff, then tie-breaks."""
    prior = np.stack([t.prior, 1.0 - t.prior], axis=1)
    joint = sender[..., None] * (reply * on[..., None])[:, :, None]  # (C, N, 2, 3, L)
    payoff = ((joint * t.russia).sum(axis=(3, 4)) * prior).sum(axis=2)
    settle = ((joint * (t.outcome == _SETTLE)).sum(axis=(3, 4)) * prior).sum(axis=2)
    renewed = ((joint * (t.outcome == _STALL)).sum(axis=(3, 4)) * prior).sum(axis=2)
    fight = (sender[:, :, :, _FIGHT] * prior).sum(axis=2)
    order = np.array([_KIND_ORDER.get(k, 9) for k in kinds], dtype=float)[:, None]
    finite = np.where(np.isfinite(t.russia), t.russia, 0.0)
    scale = np.maximum(1.0, finite.max(axis=(1, 2, 3)) - finite.min(axis=(1, 2, 3)))
    return [
        (payoff, 1e-7 * scale),
        (-order * np.ones_like(payoff), 0.5),
        (settle, 1e-9),
        (-renewed, 1e-9),
        (fight, 1e-9),
    ]


# ====================================================================== exact solution
def solve_offer_game(
    model: NegotiationModel, offer: Offer, *, western_support: float | None = None
) -> OfferGameResult:
    """Every perfect Bayesian equilibrium of the offer game and the selected one.

    The equilibrium concept is perfect Bayesian equilibrium (Fudenberg & Tirole 1991): each
    type's message maximises its payoff given the Western response; every government eases
    exactly when easing is a best reply to the common posterior (Bayes' rule on path, some
    belief off path) and Russia anticipates the resulting coalition pressure; Ukraine's and
    the staller's later moves are resolved by backward induction. Equilibria are found by
    :func:`~simulator.solvers.signalling_pbe.perfect_bayesian_equilibria` (support
    enumeration, certified) and the selection is described in :class:`OfferGameResult`.

    Examples
    --------
    The worked example of ``docs/offer_game.md``: a staller that regroups fast (``A = 1/6``),
    an offer of alignment 0.3 (beyond Russia's dominance threshold 0.2) that Ukraine accepts
    only if the West eases, and a verified withdrawal costing 0.1 that only a sincere Russia
    finds worth its cost:

    >>> model = NegotiationModel().with_params(
    ...     russia__dominance_threshold=0.2, russia__capability_ceiling=2.0,
    ...     russia__regroup_rate_sincere=0.0, russia__regroup_rate_staller=1.0,
    ...     russia__prior_sincere=0.4)
    >>> r = solve_offer_game(model, Offer(alignment=0.3, withdrawal_cost=0.1))
    >>> r.kind, r.outcome
    ('separating', {'sincere': 'settlement', 'staller': 'war'})
    >>> r.posterior["withdraw"], r.west_actions["withdraw"], round(r.thresholds["West"], 4)
    (1.0, {'West': 1.0}, 0.8537)
    >>> r.payoffs["Russia"]["sincere"], r.certificate < 1e-9
    (0.6, True)
    """
    western_support = _support(model, western_support)
    game = offer_game(model, offer, western_support=western_support)
    t = _model_tables(model, offer, western_support)
    equilibria = tuple(perfect_bayesian_equilibria(game))
    used = [m for m in range(3) if t.available[0, m]]

    def expand(eq: SignallingEquilibrium) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        sender = np.zeros((1, 2, 3))
        sender[0][:, used] = eq.sender
        reply = np.zeros((1, 3, t.levels))
        reply[0, used] = eq.receiver
        on = np.zeros((1, 3), dtype=bool)
        on[0, used] = eq.on_path
        return sender, reply, on

    pool = [e for e in equilibria if e.intuitive is not False] or list(equilibria)
    parts = [expand(e) for e in pool]
    stacked = [np.stack([p[k] for p in parts]) for k in range(3)]
    criteria = _criteria(t, *stacked, [e.kind for e in pool])
    selected = pool[int(_select(np.ones((len(pool), 1), dtype=bool), criteria)[0])]
    sender, reply, on = expand(selected)
    s = _summaries(t, sender, reply, on)
    arrays = _row_dict(
        t,
        s,
        sender,
        np.array([selected.kind], dtype=object),
        {
            "intuitive": np.array([selected.intuitive is not False]),
            "certificate": np.array([selected.regret]),
        },
    )
    row = {k: (a[0].item() if isinstance(a[0], np.generic) else a[0]) for k, a in arrays.items()}

    names, messages = t.names, game.messages
    ease_all = np.einsum("ml,mli->mi", reply[0], t.ease[0].astype(float))
    pressure_all = (reply[0] * t.pressure[0]).sum(axis=1)
    accept_all = (reply[0] * t.extra["accept"][0]).sum(axis=1)
    outcome_probabilities = {
        tn: {o: float(s["outcome"][0, ti, oi]) for oi, o in enumerate(OUTCOMES)}
        for ti, tn in enumerate(TYPES)
    }
    prior = s["prior"][0]

    def actor(values: np.ndarray) -> dict[str, float]:
        return {
            "sincere": float(values[0]),
            "staller": float(values[1]),
            "expected": float(prior @ values),
        }

    payoffs = {"Russia": actor(s["russia"][0]), "Ukraine": actor(s["ukraine"][0])}
    for i, g in enumerate(names):
        payoffs[g] = actor(s["governments"][0, i])
    return OfferGameResult(
        game=game,
        equilibria=equilibria,
        selected=selected,
        kind=selected.kind,
        regime=row["regime"],
        outcome={tn: max(OUTCOMES, key=outcome_probabilities[tn].__getitem__) for tn in TYPES},
        outcome_probabilities=outcome_probabilities,
        settlement_probability=row["settlement_probability"],
        renewed_war_probability=row["renewed_war_probability"],
        war_probability=row["war_probability"],
        posterior={m: float(selected.beliefs[k, 0]) for k, m in enumerate(messages)},
        on_path={m: bool(selected.on_path[k]) for k, m in enumerate(messages)},
        west_actions={
            m: {g: float(ease_all[MESSAGES.index(m), i]) for i, g in enumerate(names)}
            for m in messages
        },
        pressure={m: float(pressure_all[MESSAGES.index(m)]) for m in messages},
        acceptance={m: float(accept_all[MESSAGES.index(m)]) for m in messages if m != "fight"},
        thresholds={g: float(t.threshold[0, i]) for i, g in enumerate(names)},
        payoffs=payoffs,
        certificate=float(selected.regret),
        row=row,
    )


def offer_game_profile(
    model: NegotiationModel,
    offer: Offer,
    result: OfferGameResult | None = None,
    *,
    western_support: float | None = None,
) -> BehaviourProfile:
    """The selected equilibrium as a behaviour profile of :func:`offer_game_tree`.

    Russia's messages and each government's easing probabilities come from the equilibrium;
    Ukraine accepts exactly when ``V_U >= W_U(pi)`` and the staller breaks exactly when
    breaking pays (backward induction), so the profile can be checked with the extensive-form
    tools (expected payoffs, beliefs, :meth:`~simulator.games.behaviour.BehaviourProfile.
    infoset_values`).

    Examples
    --------
    >>> model = NegotiationModel().with_params(russia__prior_sincere=0.9)
    >>> b = offer_game_profile(model, Offer(alignment=0.3))
    >>> b.as_dict()["Russia"]["sincere"], b.as_dict()["West"]["after talk"]
    ({'fight': 0.0, 'talk': 1.0}, {'hold': 0.0, 'ease': 1.0})
    >>> round(float(b.expected_payoffs()[0]), 6)  # Russia keeps its sphere: 1 - 0.3 + 0.5
    1.2
    """
    western_support = _support(model, western_support)
    from simulator.games.behaviour import BehaviourProfile

    tree = offer_game_tree(model, offer, western_support=western_support)
    if result is None:
        result = solve_offer_game(model, offer, western_support=western_support)
    t = _model_tables(model, offer, western_support)
    messages = result.game.messages
    reply = np.zeros((3, t.levels))
    reply[[MESSAGES.index(m) for m in messages]] = result.selected.receiver
    ease = np.einsum("ml,mli->mi", reply, t.ease[0].astype(float))
    strategies: dict[tuple[str, str], dict[str, float]] = {}
    for ti, tname in enumerate(TYPES):
        strategies[("Russia", tname)] = {
            m: float(p) for m, p in zip(messages, result.selected.sender[ti])
        }
    for i, g in enumerate(t.names):
        for m in messages:
            p = float(np.clip(ease[MESSAGES.index(m), i], 0.0, 1.0))
            strategies[(g, f"after {m}")] = {"hold": 1.0 - p, "ease": p}
    payoffs = tree.terminal_payoffs
    value_u = float(t.extra["value_ukraine"][0])
    for h in tree.infosets:
        if h.is_chance:
            continue
        player = tree.players[h.player]
        kids = tree.children[tree.child_start[h.nodes[0]] : tree.child_start[h.nodes[0] + 1]]
        if player == "Ukraine":  # children: accept, reject (a terminal worth W_U(pi))
            accept = value_u >= payoffs[kids[1], -1]
            strategies[(player, h.label)] = {"accept": 1.0} if accept else {"reject": 1.0}
        elif player == "Russia" and h.label.startswith("staller:"):  # children: keep, break
            better = payoffs[kids[1], 0] > payoffs[kids[0], 0]
            strategies[(player, h.label)] = {"break": 1.0} if better else {"keep": 1.0}
    return BehaviourProfile.from_dict(tree, strategies)


# ====================================================================== batch: closed forms
def _br_levels(t: _Tables, m: int, mu: np.ndarray) -> np.ndarray:
    """(N, L) mask of the response levels that are best replies to the belief ``mu``."""
    eu = mu[:, None] * t.west[:, 0, m, :] + (1.0 - mu)[:, None] * t.west[:, 1, m, :]
    return eu >= eu.max(axis=1, keepdims=True) - t.tol[:, None]


def _level(t: _Tables, m: int, mu: np.ndarray) -> np.ndarray:
    """The (lowest) best-reply level to ``mu``: the ladder level L(mu)."""
    return np.argmax(_br_levels(t, m, mu), axis=1)


def _crossings(t: _Tables, m: int) -> list[tuple[int, int, np.ndarray, np.ndarray]]:
    """Beliefs where two levels' expected values cross: ``(l1, l2, belief, both best)``."""
    a, b = t.west[:, 0, m, :], t.west[:, 1, m, :]
    out = []
    for l1, l2 in itertools.combinations(range(t.levels), 2):
        den = (a[:, l1] - b[:, l1]) - (a[:, l2] - b[:, l2])
        with np.errstate(divide="ignore", invalid="ignore"):
            mu = (b[:, l2] - b[:, l1]) / den
        inside = np.isfinite(mu) & (mu >= 0) & (mu <= 1)
        mu = np.where(inside, mu, 0.5)
        best = _br_levels(t, m, mu)
        out.append((l1, l2, mu, inside & best[:, l1] & best[:, l2]))
    return out


@dataclass
class _Candidates:
    valid: list[np.ndarray] = field(default_factory=list)
    intuitive: list[np.ndarray] = field(default_factory=list)
    values: list[np.ndarray] = field(default_factory=list)  # (N, 2)
    sender: list[np.ndarray] = field(default_factory=list)  # (N, 2, 3)
    reply: list[np.ndarray] = field(default_factory=list)  # (N, 3, L)
    on: list[np.ndarray] = field(default_factory=list)  # (N, 3)
    belief: list[np.ndarray] = field(default_factory=list)  # (N, 3) off-path supporting belief
    kind: list[str] = field(default_factory=list)
    mixing: list[np.ndarray] = field(default_factory=list)  # (N,)
    relax: list[np.ndarray] = field(default_factory=list)  # (N,)


class _Batch:
    """Generic perfect Bayesian equilibria of the offer game over many parameter points.

    With two types a generic equilibrium is pure (pooling or separating; posteriors ``mu0``,
    1 or 0), or has one type mixing between an offer it shares with the other type (where the
    posterior sits at a government's threshold ``mu*_j`` and the West mixes between response
    levels ``j - 1`` and ``j``) and a message only it sends, or has both types mixing over the
    two offers with the posterior at a threshold after each. Posteriors pin the mixing
    probabilities (:func:`~simulator.model.published.costly_signalling.staller_mixing_probability`,
    :func:`sincere_mixing_probability`), indifference pins the West's mixing, and the rest are
    inequalities: no type gains by switching message, and after every unsent message some
    best reply to some belief deters both types (with the intuitive criterion checked there).
    "fight" cannot host a mixed reply (the West's reply to it does not depend on the belief),
    and a type cannot mix over more messages than the West has mixed replies, so nothing else
    is generic.
    """

    def __init__(self, t: _Tables) -> None:
        self.t = t
        self.n = len(t.names)
        size = t.size
        self.ones, self.zeros = np.ones(size), np.zeros(size)
        self.rows = np.arange(size)
        self.crossings = [_crossings(t, m) for m in range(3)]
        self.rational, self.witness = [], []
        for m in range(3):
            mask = np.zeros((size, t.levels), dtype=bool)
            witness = np.full((size, t.levels), np.nan)
            beliefs = [(self.zeros, self.ones > 0), (self.ones, self.ones > 0)]
            beliefs += [(mu, ok) for _, _, mu, ok in self.crossings[m]]
            for mu, ok in beliefs:
                best = ok[:, None] & _br_levels(t, m, mu)
                witness = np.where(best & ~mask, mu[:, None], witness)
                mask |= best
            self.rational.append(mask)
            self.witness.append(witness)
        self.br1 = [_br_levels(t, m, self.ones) for m in range(3)]
        self.br0 = [_br_levels(t, m, self.zeros) for m in range(3)]
        key = np.where(np.isfinite(t.threshold), t.threshold, np.inf)
        self.sorted = np.sort(key, axis=1)  # thresholds in ladder order; inf: no stake
        self.c = _Candidates()

    # ---------------------------------------------------------------- helpers
    def u(self, ty: int, m: int, level: np.ndarray | int) -> np.ndarray:
        level = np.broadcast_to(np.asarray(level), (self.t.size,))
        return self.t.russia[self.rows, ty, m, level]

    def deterrence(self, m: int, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Whether some best reply (pure or a mixture of two) to some belief deters both
        types at ``m``; a deterring reply (N, L) and a belief supporting it."""
        t, tol = self.t, self.t.tol[:, None]
        um = t.russia[:, :, m, :]  # (N, 2, L)
        pure = self.rational[m] & np.all(um <= values[:, :, None] + tol[:, :, None], axis=1)
        ok = pure.any(axis=1)
        level = np.argmax(pure, axis=1)
        reply = np.zeros((t.size, t.levels))
        reply[self.rows[ok], level[ok]] = 1.0
        belief = np.where(ok, self.witness[m][self.rows, level], np.nan)
        for l1, l2, mu, both in self.crossings[m]:
            # alpha on l1: alpha * (u1 - u2) <= v - u2 for both types.
            d, room = um[:, :, l1] - um[:, :, l2], values - um[:, :, l2] + tol
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                bound = room / d
            upper = np.where(d > 0, bound, np.inf).min(axis=1)
            lower = np.where(d < 0, bound, -np.inf).max(axis=1)
            flat = np.all((d != 0) | (room >= 0), axis=1)
            lo, hi = np.maximum(lower, 0.0), np.minimum(upper, 1.0)
            new = both & flat & (lo <= hi) & ~ok
            alpha = np.clip(0.5 * (lo + hi), 0.0, 1.0)
            reply[new, l1], reply[new, l2] = alpha[new], 1.0 - alpha[new]
            belief = np.where(new, mu, belief)
            ok |= new
        return ok, reply, belief

    def off_path(
        self, values: np.ndarray, on: np.ndarray, reply: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Deterrence and the intuitive criterion (Cho & Kreps 1987) at every unsent message."""
        t, tol = self.t, self.t.tol
        ok = np.ones(t.size, dtype=bool)
        intuitive = np.ones(t.size, dtype=bool)
        beliefs = np.full((t.size, 3), np.nan)
        for m in range(3):
            unsent = t.available[:, m] & ~on[:, m]
            if not np.any(unsent):
                continue
            deter, deter_reply, deter_belief = self.deterrence(m, values)
            ok &= ~unsent | deter
            reply[unsent, m] = deter_reply[unsent]
            beliefs[:, m] = np.where(unsent, deter_belief, np.nan)
            um = t.russia[:, :, m, :]
            rat = self.rational[m]
            best = np.where(rat[:, None, :], um, -np.inf).max(axis=2)
            remain = values <= best + tol[:, None]
            only_s, only_b = remain[:, 0] & ~remain[:, 1], remain[:, 1] & ~remain[:, 0]
            restricted = np.where(
                only_s[:, None], self.br1[m], np.where(only_b[:, None], self.br0[m], rat)
            )
            worst = np.where(restricted[:, None, :], um, np.inf).min(axis=2)
            fails = np.any(remain & (worst > values + tol[:, None]), axis=1)
            intuitive &= ~unsent | ~fails
        return ok, intuitive, beliefs

    def add(
        self,
        valid: np.ndarray,
        values: np.ndarray,
        sender: np.ndarray,
        reply: np.ndarray,
        on: np.ndarray,
        kind: str,
        mixing: np.ndarray | None = None,
        relax: np.ndarray | None = None,
    ) -> None:
        ok, intuitive, beliefs = self.off_path(values, on, reply)
        nan = np.full(self.t.size, np.nan)
        self.c.valid.append(valid & ok)
        self.c.intuitive.append(intuitive)
        self.c.values.append(values)
        self.c.sender.append(sender)
        self.c.reply.append(reply)
        self.c.on.append(on)
        self.c.belief.append(beliefs)
        self.c.kind.append(kind)
        self.c.mixing.append(nan if mixing is None else mixing)
        self.c.relax.append(nan if relax is None else relax)

    def blank(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        size = self.t.size
        return (
            np.zeros((size, 2, 3)),
            np.zeros((size, 3, self.t.levels)),
            np.zeros((size, 3), dtype=bool),
        )

    # ---------------------------------------------------------------- families
    def pure(self) -> None:
        t, tol = self.t, self.t.tol
        for ms, mb in itertools.product(range(3), repeat=2):
            valid = t.available[:, ms] & t.available[:, mb]
            sender, reply, on = self.blank()
            sender[:, 0, ms] = 1.0
            sender[:, 1, mb] = 1.0
            on[:, ms] = on[:, mb] = True
            if ms == mb:
                level_s = level_b = _level(t, ms, t.prior)
            else:
                level_s, level_b = _level(t, ms, self.ones), _level(t, mb, self.zeros)
            values = np.stack([self.u(0, ms, level_s), self.u(1, mb, level_b)], axis=1)
            if ms != mb:
                valid &= values[:, 0] >= self.u(0, mb, level_b) - tol
                valid &= values[:, 1] >= self.u(1, ms, level_s) - tol
            reply[self.rows, ms, level_s] = 1.0
            reply[self.rows, mb, level_b] = 1.0
            self.add(valid, values, sender, reply, on, "pooling" if ms == mb else "separating")

    def one_mixes(self) -> None:
        t, tol, prior = self.t, self.t.tol, self.t.prior
        for ty, m1, m2, j in itertools.product(
            (0, 1), (_TALK, _WITHDRAW), range(3), range(1, self.n + 1)
        ):
            if m2 == m1:
                continue
            other = 1 - ty
            th = self.sorted[:, j - 1]
            valid = t.available[:, m1] & t.available[:, m2] & np.isfinite(th)
            safe = np.where(np.isfinite(th) & (th > 0) & (th < 1), th, 0.5)
            if ty == 1:  # the staller mixes: the posterior after m1 rises to mu*_j
                valid &= (th > prior) & (th < 1)
                q = np.asarray(staller_mixing_probability(prior, 1.0 - safe, safe), dtype=float)
                level2 = _level(t, m2, self.zeros)
            else:  # the sincere type mixes: the posterior after m1 falls to mu*_j
                valid &= (th < prior) & (th > 0)
                q = np.asarray(sincere_mixing_probability(prior, 1.0 - safe, safe), dtype=float)
                level2 = _level(t, m2, self.ones)
            u2 = self.u(ty, m2, level2)
            low, high = self.u(ty, m1, j - 1), self.u(ty, m1, j)
            diff = high - low
            valid &= np.abs(diff) > tol
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                r = (u2 - low) / diff
            valid &= (r >= -1e-12) & (r <= 1 + 1e-12)
            r = np.where(valid, np.clip(np.nan_to_num(r), 0.0, 1.0), 0.0)
            v_other = r * self.u(other, m1, j) + (1 - r) * self.u(other, m1, j - 1)
            valid &= v_other >= self.u(other, m2, level2) - tol
            values = np.empty((t.size, 2))
            values[:, ty], values[:, other] = u2, v_other
            sender, reply, on = self.blank()
            sender[:, ty, m1], sender[:, ty, m2] = q, 1.0 - q
            sender[:, other, m1] = 1.0
            on[:, m1] = on[:, m2] = True
            reply[:, m1, j - 1], reply[:, m1, j] = 1.0 - r, r
            reply[self.rows, m2, level2] = 1.0
            self.add(valid, values, sender, reply, on, "hybrid", mixing=q, relax=r)

    def both_mix(self) -> None:
        t, tol, prior = self.t, self.t.tol, self.t.prior
        m1, m2 = _TALK, _WITHDRAW
        for i, j in itertools.permutations(range(1, self.n + 1), 2):
            ti, tj = self.sorted[:, i - 1], self.sorted[:, j - 1]
            valid = t.available[:, m2] & np.isfinite(ti) & np.isfinite(tj)
            valid &= (ti - prior) * (tj - prior) < 0
            with np.errstate(divide="ignore", invalid="ignore"):
                share = (prior - tj) / (ti - tj)  # Bayes plausibility: P(talk)
                a = share * ti / prior
                b = share * (1.0 - ti) / (1.0 - prior)
            valid &= (a > 0) & (a < 1) & (b > 0) & (b < 1)
            d1 = np.stack([self.u(k, m1, i) - self.u(k, m1, i - 1) for k in (0, 1)], axis=1)
            d2 = np.stack([self.u(k, m2, j) - self.u(k, m2, j - 1) for k in (0, 1)], axis=1)
            c = np.stack([self.u(k, m2, j - 1) - self.u(k, m1, i - 1) for k in (0, 1)], axis=1)
            det = -d1[:, 0] * d2[:, 1] + d2[:, 0] * d1[:, 1]
            valid &= np.abs(det) > tol**2
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                r1 = (-c[:, 0] * d2[:, 1] + d2[:, 0] * c[:, 1]) / det
                r2 = (d1[:, 0] * c[:, 1] - d1[:, 1] * c[:, 0]) / det
            eps = 1e-12
            valid &= (r1 >= -eps) & (r1 <= 1 + eps) & (r2 >= -eps) & (r2 <= 1 + eps)
            r1 = np.where(valid, np.clip(np.nan_to_num(r1), 0.0, 1.0), 0.0)
            r2 = np.where(valid, np.clip(np.nan_to_num(r2), 0.0, 1.0), 0.0)
            values = np.stack([r1 * d1[:, k] + self.u(k, m1, i - 1) for k in (0, 1)], axis=1)
            a, b = np.where(valid, a, 0.5), np.where(valid, b, 0.5)
            sender, reply, on = self.blank()
            sender[:, 0, m1], sender[:, 0, m2] = a, 1.0 - a
            sender[:, 1, m1], sender[:, 1, m2] = b, 1.0 - b
            on[:, m1] = on[:, m2] = True
            reply[:, m1, i - 1], reply[:, m1, i] = 1.0 - r1, r1
            reply[:, m2, j - 1], reply[:, m2, j] = 1.0 - r2, r2
            self.add(valid, values, sender, reply, on, "hybrid", relax=r1)

    # ---------------------------------------------------------------- result
    def solve(self) -> dict[str, np.ndarray]:
        self.pure()
        self.one_mixes()
        self.both_mix()
        t, c = self.t, self.c
        valid = np.stack(c.valid)
        intuitive = np.stack(c.intuitive) & valid
        eligible = np.where(intuitive.any(axis=0), intuitive, valid)
        sender, reply, on = np.stack(c.sender), np.stack(c.reply), np.stack(c.on)
        pick = _select(eligible, _criteria(t, sender, reply, on, c.kind))
        found = valid.any(axis=0)
        rows = self.rows
        chosen = sender[pick, rows], reply[pick, rows], on[pick, rows]
        kinds = np.where(found, np.array(c.kind, dtype=object)[pick], "none")
        s = _summaries(t, *chosen)
        regret = self.regret(*chosen, np.stack(c.belief)[pick, rows])
        extra = {
            "intuitive": intuitive[pick, rows] & found,
            "certificate": np.where(found, regret, np.nan),
            "mixing_probability": np.stack(c.mixing)[pick, rows],
            "relax_probability": np.stack(c.relax)[pick, rows],
            "equilibria": valid.sum(axis=0),
        }
        out = _row_dict(t, s, chosen[0], kinds, extra)
        for key, value in out.items():
            if value.dtype.kind == "f":
                out[key] = np.where(found, value, np.nan)
        out["found"] = found
        return out

    def regret(
        self, sender: np.ndarray, reply: np.ndarray, on: np.ndarray, off_belief: np.ndarray
    ) -> np.ndarray:
        """Largest gain from a deviation, as the exact solver certifies it."""
        t = self.t
        worth = np.einsum("ntml,nml->ntm", t.russia, reply)
        best = np.where(t.available[:, None, :], worth, -np.inf).max(axis=2)
        used = (sender * np.where(t.available[:, None, :], worth, 0.0)).sum(axis=2)
        prior = t.prior[:, None]
        mass = prior * sender[:, 0] + (1 - prior) * sender[:, 1]
        with np.errstate(invalid="ignore", divide="ignore"):
            mu = np.where(on, prior * sender[:, 0] / mass, np.nan_to_num(off_belief))
        eu = mu[:, :, None] * t.west[:, 0] + (1 - mu)[:, :, None] * t.west[:, 1]
        receiver = np.where(t.available, eu.max(axis=2) - (reply * eu).sum(axis=2), 0.0)
        return np.maximum(np.maximum((best - used).max(axis=1), receiver.max(axis=1)), 0.0)


def solve_offer_game_batch(
    model: NegotiationModel,
    offer: Offer,
    changes: Mapping[str, Any] | None = None,
    *,
    western_support: float | None = None,
) -> dict[str, np.ndarray]:
    """The selected equilibrium at many parameter points at once, from closed forms.

    Parameters
    ----------
    model, offer : NegotiationModel, Offer
        The base point.
    changes : dict, optional
        ``{dotted parameter name: array}``, e.g. ``{"russia.prior_sincere": ...,
        "west.governments.West.sanctions_burden": ..., "offer.withdrawal_cost": ...,
        "western_support": ...}``; arrays broadcast together and give every output's shape.
    western_support : float
        The game parameter ``s_W`` at the base point.

    Returns
    -------
    dict of str to numpy array
        ``kind``, ``regime``, ``settlement_probability``, ``renewed_war_probability``,
        ``war_probability``, ``outcome.<type>.<outcome>``, ``message.<type>.<message>``,
        ``posterior.<message>``, ``pressure.<message>``, ``acceptance.<offer message>`` and
        ``ease.<message>.<government>`` (``nan`` where the message is unsent),
        ``threshold.<government>``, ``payoff.russia[.<type>]``, ``payoff.ukraine[.<type>]``,
        ``payoff.<government>``, ``mixing_probability`` and ``relax_probability`` (hybrids),
        ``win_probability``, ``win_probability_after_pause``, ``regroup_advantage``,
        ``intuitive``, ``certificate`` (the largest gain from a deviation), ``equilibria``
        (how many candidate equilibria were valid) and ``found``.

    Notes
    -----
    The candidates of :class:`_Batch` cover every equilibrium of generic parameters; at exact
    ties (a threshold equal to the prior, say) the exact solver may find further,
    payoff-equivalent equilibria. The selection rule is the one of :func:`solve_offer_game`.
    10,000 points take about half a second with one government, 1.5 s with three.

    Examples
    --------
    The worked example along the cost of the withdrawal: too cheap to deter the staller
    (it mimics with probability 4/35), separating, then too dear for anybody:

    >>> model = NegotiationModel().with_params(
    ...     russia__dominance_threshold=0.2, russia__capability_ceiling=2.0,
    ...     russia__regroup_rate_sincere=0.0, russia__regroup_rate_staller=1.0,
    ...     russia__prior_sincere=0.4)
    >>> out = solve_offer_game_batch(model, Offer(alignment=0.3),
    ...                              {"offer.withdrawal_cost": [0.05, 0.1, 0.2]})
    >>> out["kind"].tolist()
    ['hybrid', 'separating', 'pooling']
    >>> out["mixing_probability"].round(4).tolist()
    [0.1143, nan, nan]
    """
    western_support = _support(model, western_support)
    values, shape = _point_values(model, offer, changes, western_support)
    names = tuple(g.name for g in model.west.governments)
    t = _tables(values, names, model.west.aggregation)
    out = _Batch(t).solve()
    return {key: np.asarray(value).reshape(shape) for key, value in out.items()}


def comparative_statics(
    model: NegotiationModel,
    offer: Offer,
    parameter: str,
    values: Any,
    exact: bool = False,
    *,
    western_support: float | None = None,
) -> dict[str, np.ndarray]:
    """The selected equilibrium along one parameter: a table with one row per value.

    ``parameter`` is a dotted name as in :func:`solve_offer_game_batch` (``"offer.<field>"``
    for the offer, ``"western_support"`` for the game parameter). With ``exact=True`` every
    row is solved by :func:`solve_offer_game` (slow, for checking); otherwise by the batched
    closed forms. The table has the key ``"value"`` plus the keys of
    :func:`solve_offer_game_batch`.

    Examples
    --------
    Words alone: below the West's threshold (35/41) it holds and Ukraine rejects; above it the
    staller's offer is accepted too and broken after the pause:

    >>> model = NegotiationModel().with_params(
    ...     russia__dominance_threshold=0.2, russia__capability_ceiling=2.0,
    ...     russia__regroup_rate_sincere=0.0, russia__regroup_rate_staller=1.0,
    ...     russia__prior_sincere=0.4)
    >>> table = comparative_statics(model, Offer(alignment=0.3), "russia.prior_sincere",
    ...                             [0.4, 0.9])
    >>> table["regime"].tolist()
    ['pooling: sincere war, staller war', 'pooling: sincere settlement, staller stalling']
    """
    western_support = _support(model, western_support)
    grid = np.asarray(values, dtype=float).reshape(-1)
    if not exact:
        out = solve_offer_game_batch(
            model, offer, {parameter: grid}, western_support=western_support
        )
        return {"value": grid, **out}
    rows = []
    for value in grid:
        m, o, support = _with_value(model, offer, parameter, float(value), western_support)
        rows.append(solve_offer_game(m, o, western_support=support).row)
    table: dict[str, np.ndarray] = {"value": grid}
    for key in rows[0]:
        column = [row[key] for row in rows]
        table[key] = np.array(column, dtype=object if isinstance(column[0], str) else None)
    return table


def _with_value(
    model: NegotiationModel, offer: Offer, parameter: str, value: float, support: float
) -> tuple[NegotiationModel, Offer, float]:
    _point_values(model, offer, {parameter: value}, support)  # validates name and range
    if parameter in ("western_support", "west.ukraine_support"):
        return model, offer, value
    if parameter.startswith("offer."):
        return model, offer.with_values(**{parameter[len("offer.") :]: value}), support
    return model.with_params({parameter: value}), offer, support


def switch_points(
    model: NegotiationModel,
    offer: Offer,
    parameter: str,
    low: float,
    high: float,
    tol: float = 1e-6,
    grid: int = 257,
    key: str = "regime",
    *,
    western_support: float | None = None,
) -> list[float]:
    """Parameter values in ``[low, high]`` where the equilibrium regime changes.

    Scans ``grid`` evenly spaced values with :func:`solve_offer_game_batch`, then bisects every
    interval whose ends differ in ``key`` (default ``"regime"``: the kind of equilibrium and
    each type's outcomes) down to width ``tol``. Changes closer together than the grid spacing
    can be missed. Returns the midpoints of the final intervals.

    Examples
    --------
    The worked example: the withdrawal separates the types for costs between
    ``0.795 - 1/6 - 0.55 = 0.0783`` (below it the staller mimics) and ``0.7 - 0.55 = 0.15``
    (above it the sincere type does not pay), and a sincere Russia stops settling once the
    status premium passes ``S* = 0.6`` (where its war payoff ``0.5 (1 + S*) - 0.2`` reaches
    the deal's ``0.6``):

    >>> model = NegotiationModel().with_params(
    ...     russia__dominance_threshold=0.2, russia__capability_ceiling=2.0,
    ...     russia__regroup_rate_sincere=0.0, russia__regroup_rate_staller=1.0,
    ...     russia__prior_sincere=0.4)
    >>> offer = Offer(alignment=0.3, withdrawal_cost=0.1)
    >>> [round(x, 4) for x in switch_points(model, offer, "offer.withdrawal_cost", 0.01, 0.3)]
    [0.0783, 0.15]
    >>> [round(x, 4) for x in switch_points(model, offer, "russia.great_power_status", 0.3, 1)]
    [0.6]
    """
    western_support = _support(model, western_support)
    if not high > low:
        raise ValueError(f"high = {high!r} must exceed low = {low!r}")
    if not tol > 0:
        raise ValueError(f"tol = {tol!r} must be positive")
    if grid < 2:
        raise ValueError(f"grid = {grid!r} must be at least 2")

    def labels(xs: np.ndarray) -> np.ndarray:
        out = solve_offer_game_batch(model, offer, {parameter: xs}, western_support=western_support)
        if key not in out:
            raise KeyError(f"no result {key!r}; choose one of {sorted(out)}")
        return out[key]

    xs = np.linspace(low, high, int(grid))
    scan = labels(xs)
    change = np.flatnonzero(scan[1:] != scan[:-1])
    if change.size == 0:
        return []
    left, right = xs[change].copy(), xs[change + 1].copy()
    left_label = scan[change]
    while np.max(right - left) > tol:
        mid = 0.5 * (left + right)
        same = labels(mid) == left_label
        left = np.where(same, mid, left)
        right = np.where(same, right, mid)
    return [float(x) for x in 0.5 * (left + right)]
