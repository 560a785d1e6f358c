"""The offer game: Russia offers (or fights), each Western government and Ukraine choose.

A one-period game of incomplete information, solved for its perfect Bayesian equilibria
(``docs/offer_game.md`` has the full write-up, with every payoff as a formula of named
parameters; every rule comes from :mod:`simulator.model.rules`).

1. Nature draws Russia's type, private in two dimensions: *sincere* or *staller*
   (``russia.prior_sincere``) and *strong* (``russia.capability``) or *weak*
   (``russia.weak_capability_share`` of it; ``russia.prior_strong``).
2. Russia fights on (``fight``) or makes an offer from its menu, in words (``talk``) or with a
   verified withdrawal (``withdraw``, when the offer's ``withdrawal_cost > 0``: it costs every
   type that amount and undoes a staller's regrouping).
3. Each Western government sees the message, forms the common posterior by Bayes' rule (a
   stated belief off the path) and holds or eases its sanctions and arms; the governments move
   simultaneously. Sanctions pressure follows ``west.aggregation``; arms follow the weighted
   share still supplying and raise Ukraine's capability (``west.arms_support``).
4. Ukraine sees the message and every government's choice, and accepts the offer or rejects
   it, given its posterior over Russia's four types: a deal is worth its share of the issue
   minus the audience cost of ceded territory if kept, and a renewed war after the pause if
   broken (guarantees shrink the shift and bear part of Ukraine's cost); rejecting is war now
   at the arms the West still sends.
5. After a signed deal, a staller whose pause gave it an edge breaks the deal iff the renewed
   war is worth more to it than keeping the deal; a sincere Russia keeps it.

Russia's payoffs include the status premium it keeps (continuous in alignment), sanctions, the
audience cost of conceded status and its leader's removal risk (after a settlement that
concedes status, after defeat, after victory), so gambling for resurrection can emerge.

Equilibria are searched over Russia's pure strategies (a message per type); after each message
the governments play a pure equilibrium of their simultaneous game (the one with the highest
total government payoff) and Ukraine best-responds; off the path, beliefs are searched among the
prior restricted to each set of types. Each equilibrium carries its certificate: the largest gain
any player could get by deviating at any information set, on and off the path, computed on the
payoffs of the game as described.

Sources: J. D. Fearon, "Rationalist explanations for war", *International Organization* 49(3),
1995; J. D. Fearon, "Signaling foreign policy interests", *Journal of Conflict Resolution* 41(1),
1997; R. Powell, "War as a commitment problem", *International Organization* 60(1), 2006; E. Min,
"Talking while fighting", *International Organization* 74(3), 2020; H. E. Goemans, "Fighting for
survival", *Journal of Conflict Resolution* 44(5), 2000; J. Hirshleifer, "From weakest-link to
best-shot", *Public Choice* 41(3), 1983; D. Fudenberg & J. Tirole, *Game Theory*, MIT Press,
1991, ch. 8 (perfect Bayesian equilibrium); I.-K. Cho & D. M. Kreps, "Signaling games and stable
equilibria", *Quarterly Journal of Economics* 102, 1987 (intuitive criterion).
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from simulator.model import rules
from simulator.model.actors import WesternGovernment
from simulator.model.negotiation import NegotiationModel
from simulator.model.offer_tables import (
    BELIEF_SETS,
    BROKEN,
    IS_STALLER,
    IS_WEAK,
    OUTCOMES,
    SETTLED,
    TYPES,
    WAR,
    Continuation,
    Tables,
    continuation,
    tables,
)
from simulator.model.offers import INDUCEMENT, Offer
from simulator.model.parameters import ParameterSpec, parameter_specs

__all__ = [
    "KINDS",
    "OUTCOMES",
    "TYPES",
    "OfferEquilibrium",
    "OfferGameResult",
    "comparative_statics",
    "solve_offer_game",
    "solve_offer_game_batch",
    "switch_points",
]

KINDS = ("pooling", "separating", "partially pooling")
_SET_BITS = np.array(BELIEF_SETS)
#: Points solved together; bounds memory (the governments' game is P = 2^n profiles).
_CHUNK = 256


# ====================================================================== parameter points
def _offer_list(offers: Offer | Sequence[Offer]) -> tuple[Offer, ...]:
    menu = (offers,) if isinstance(offers, Offer) else tuple(offers)
    if not menu or not all(isinstance(o, Offer) for o in menu):
        raise TypeError("offers must be an Offer or a non-empty sequence of Offers")
    names = [o.name for o in menu]
    if len(set(names)) != len(names):
        raise ValueError(f"the offers of a menu need distinct names; got {names}")
    return menu


class _Recorder(dict):
    """A mapping that remembers which keys were read."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.read: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        self.read.add(key)
        return super().__getitem__(key)


@functools.lru_cache(maxsize=64)
def _read_names(governments: tuple[str, ...], aggregation: str) -> frozenset[str]:
    """The model parameters the game reads: recorded while building its tables once."""
    model = NegotiationModel()
    model = dataclasses.replace(
        model,
        west=dataclasses.replace(
            model.west,
            governments=tuple(WesternGovernment(g) for g in governments),
            aggregation=aggregation,
        ),
    )
    values = _Recorder({k: np.array([v]) for k, v in _all_numeric(model).items()})
    offer = Offer(withdrawal_cost=0.1)
    fields = {k: np.array([v]) for k, v in _offer_fields(offer, governments).items()}
    tables(values, governments, aggregation, (offer,), [fields])
    return frozenset(values.read)


def _all_numeric(model: NegotiationModel) -> dict[str, float]:
    return {
        name: float(value)
        for name, value, spec in model.describe()
        if spec is not None and not isinstance(value, bool) and isinstance(value, (int, float))
    }


def _numeric_params(model: NegotiationModel) -> dict[str, float]:
    """The numbers of the model that the game reads, by dotted name."""
    names = tuple(g.name for g in model.west.governments)
    read = _read_names(names, model.west.aggregation)
    return {k: v for k, v in _all_numeric(model).items() if k in read}


def _offer_fields(offer: Offer, names: Sequence[str]) -> dict[str, float]:
    fields = {s.name: float(getattr(offer, s.name)) for s in parameter_specs(Offer)}
    unknown = sorted(set(offer.inducement_map) - set(names))
    if unknown:
        raise ValueError(
            f"offer {offer.name!r} has inducements for {unknown}, which are not Western "
            f"governments of the model ({list(names)})"
        )
    for government in names:
        fields[f"inducement.{government}"] = float(offer.inducement_map.get(government, 0.0))
    return fields


def _specs(model: NegotiationModel) -> dict[str, ParameterSpec]:
    specs = {name: spec for name, _v, spec in model.describe() if spec is not None}
    for spec in parameter_specs(Offer):
        specs[f"offer.{spec.name}"] = spec
    return specs


def _points(
    model: NegotiationModel, offers: tuple[Offer, ...], changes: Mapping[str, Any] | None
) -> tuple[dict[str, np.ndarray], list[dict[str, np.ndarray]], tuple[int, ...]]:
    """Every number the game reads, as flat arrays over the points, and the points' shape."""
    if not isinstance(model, NegotiationModel):
        raise TypeError(f"model must be a NegotiationModel, got {type(model).__name__}")
    names = [g.name for g in model.west.governments]
    base = _numeric_params(model)
    offer_base = [_offer_fields(o, names) for o in offers]
    specs = _specs(model)
    # every readable name -> the spec that checks it
    readable: dict[str, ParameterSpec] = {name: specs[name] for name in base}
    offer_specs = {spec.name: spec for spec in parameter_specs(Offer)}
    for o, ob in zip(offers, offer_base):
        prefix = "offer." if len(offers) == 1 else f"offers.{o.name}."
        for field in ob:
            readable[prefix + field] = offer_specs.get(field, INDUCEMENT)
    arrays: dict[str, np.ndarray] = {}
    for name, raw in (changes or {}).items():
        if name not in readable:
            if name in specs:
                raise ValueError(f"{name!r} is not a number the offer game reads")
            close = difflib.get_close_matches(name, sorted(readable), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise KeyError(f"unknown parameter {name!r}{hint}")
        try:
            array = np.asarray(raw, dtype=float)
        except (TypeError, ValueError):
            raise ValueError(f"{name} must be numbers; got {raw!r}") from None
        spec = readable[name]
        bad = ~np.isfinite(array) | (array < spec.low) | (array > spec.high)
        if spec.low_open:
            bad |= array == spec.low
        if spec.high_open:
            bad |= array == spec.high
        if np.any(bad):
            shown = float(array[bad].flat[0] if array.ndim else array)
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

    def flat(value: Any) -> np.ndarray:
        return np.broadcast_to(np.asarray(value, dtype=float), shape).reshape(size).copy()

    v = {name: flat(arrays.get(name, value)) for name, value in base.items()}
    offer_values = []
    for o, ob in zip(offers, offer_base):
        values = {}
        for k, value in ob.items():
            key = f"offers.{o.name}.{k}" if len(offers) > 1 else f"offer.{k}"
            values[k] = flat(arrays.get(key, value))
        offer_values.append(values)
    return v, offer_values, shape


# ====================================================================== the search
@dataclass
class _Best:
    """The best candidate so far at each point (selection state)."""

    found: np.ndarray
    intuitive: np.ndarray
    value: np.ndarray
    kind: np.ndarray
    settle: np.ndarray
    broken: np.ndarray
    assignment: np.ndarray
    beliefs: np.ndarray  # (N, M) belief-set index used after each message
    count: np.ndarray


def _kind(assignment: tuple[int, ...]) -> int:
    used = set(assignment)
    if len(used) == 1:
        return 0
    sincere = {assignment[k] for k in range(4) if not IS_STALLER[k]}
    staller = {assignment[k] for k in range(4) if IS_STALLER[k]}
    return 1 if not sincere & staller else 2


def _candidates(t: Tables, c: Continuation):
    """Every pure-strategy PBE of Russia's message choice, one assignment at a time.

    Yields ``(assignment, valid, intuitive, equilibrium payoffs (N, T), beliefs (N, M))``.
    """
    size, m_count = t.size, t.num_messages
    tol = t.tol
    has_cont = c.profile >= 0  # (N, M, B)
    values = np.where(has_cont[..., None], c.russia, np.nan)  # (N, M, B, T)
    best_any = np.nanmax(np.where(has_cont[..., None], values, -np.inf), axis=2)  # (N, M, T)
    for assignment in itertools.product(range(m_count), repeat=4):
        sets = np.zeros(m_count, dtype=int)
        for k, m in enumerate(assignment):
            sets[m] |= 1 << k
        valid = np.all(t.available[:, list(assignment)], axis=1)
        on = sets > 0
        belief = np.zeros((size, m_count), dtype=int)
        eq = np.empty((size, 4))
        for k, m in enumerate(assignment):
            b = sets[m] - 1
            valid &= has_cont[:, m, b]
            eq[:, k] = values[:, m, b, k]
        eq = np.where(valid[:, None], eq, 0.0)
        intuitive = np.ones(size, dtype=bool)
        for m in range(m_count):
            if on[m]:
                b = sets[m] - 1
                belief[:, m] = b
                worth = np.where(has_cont[:, m, b, None], values[:, m, b], np.inf)
                valid &= np.all(worth <= eq + tol[:, None], axis=1)
                continue
            usable = t.available[:, m]
            deters = has_cont[:, m] & np.all(values[:, m] <= eq[:, None, :] + tol[:, None, None], 2)
            valid &= ~usable | deters.any(axis=1)
            # Cho & Kreps: types for which m is equilibrium-dominated (no searched belief
            # would make it pay) should get no weight; where some type gains under every
            # belief on the others, the equilibrium fails the intuitive criterion.
            dominated = best_any[:, m] <= eq + tol[:, None]  # (N, T)
            nd_bits = ((~dominated) * (1 << np.arange(4))).sum(axis=1)
            on_nd = (_SET_BITS[None, :] & ~nd_bits[:, None]) == 0  # belief sets inside ND
            gain = np.where(
                (has_cont[:, m] & on_nd)[..., None], values[:, m] - eq[:, None, :], np.inf
            )
            breaks_ic = (nd_bits > 0) & np.any(gain.min(axis=1) > tol[:, None], axis=1)
            intuitive &= ~(usable & breaks_ic)
            preferred = deters & on_nd & (nd_bits > 0)[:, None]
            pick = np.where(preferred.any(axis=1), preferred.argmax(axis=1), deters.argmax(axis=1))
            belief[:, m] = np.where(usable, pick, _default_off_belief(t))
        yield assignment, valid, intuitive & valid, eq, belief


def _default_off_belief(t: Tables) -> np.ndarray:
    return np.full(t.size, BELIEF_SETS.index(15))  # unavailable message: the prior


def _better(best: _Best, valid, intuitive, value, kind, settle, broken, tol) -> np.ndarray:
    """Where the candidate beats the current best by the selection order."""
    b = best
    out = valid & ~b.found
    both = valid & b.found
    rank = np.zeros_like(valid)
    decided = np.zeros_like(valid)
    for mine, theirs, slack in (
        (intuitive.astype(float), b.intuitive.astype(float), 0.5),
        (value, b.value, tol),
        (-kind.astype(float), -b.kind.astype(float), 0.5),
        (settle, b.settle, rules.TOL),
        (-broken, -b.broken, rules.TOL),
    ):
        win = ~decided & (mine > theirs + slack)
        lose = ~decided & (mine < theirs - slack)
        rank |= win
        decided |= win | lose
    return out | (both & rank)


def _search(t: Tables, c: Continuation) -> _Best:
    size, m_count = t.size, t.num_messages
    best = _Best(
        found=np.zeros(size, dtype=bool),
        intuitive=np.zeros(size, dtype=bool),
        value=np.full(size, -np.inf),
        kind=np.zeros(size, dtype=int),
        settle=np.zeros(size),
        broken=np.zeros(size),
        assignment=np.zeros((size, 4), dtype=int),
        beliefs=np.zeros((size, m_count), dtype=int),
        count=np.zeros(size, dtype=int),
    )
    rows = np.arange(size)
    for assignment, valid, intuitive, eq, belief in _candidates(t, c):
        value = (t.prior * eq).sum(axis=1)
        outcome = np.stack(
            [c.outcome[rows, m, belief[:, m], k] for k, m in enumerate(assignment)], axis=1
        )
        settle = (t.prior * (outcome == SETTLED)).sum(axis=1)
        broken = (t.prior * (outcome == BROKEN)).sum(axis=1)
        kind = np.full(size, _kind(assignment))
        take = _better(best, valid, intuitive, value, kind, settle, broken, t.tol)
        best.count += valid
        best.found |= take
        best.intuitive = np.where(take, intuitive, best.intuitive)
        best.value = np.where(take, value, best.value)
        best.kind = np.where(take, kind, best.kind)
        best.settle = np.where(take, settle, best.settle)
        best.broken = np.where(take, broken, best.broken)
        best.assignment[take] = assignment
        best.beliefs[take] = belief[take]
    return best


# ====================================================================== certificate
def _by_type(array: np.ndarray, best: _Best) -> np.ndarray:
    """``array[n, m, b, k]`` at each type's equilibrium message and belief: shape (N, T)."""
    rows = np.arange(array.shape[0])
    a = best.assignment
    return np.stack(
        [array[rows, a[:, k], best.beliefs[rows, a[:, k]], k] for k in range(a.shape[1])], axis=1
    )


def _regret(t: Tables, c: Continuation, best: _Best) -> np.ndarray:
    """The selected profile's largest gain from a deviation, at every information set.

    Russia (each type, every message), each government after every message (its own flip,
    at the stated belief), Ukraine after every message and every profile of the governments
    (on and off the path), and the staller's keep-or-break choice after every signed deal.
    """
    size, m_count = t.size, t.num_messages
    rows = np.arange(size)
    n = len(t.names)
    regret = np.zeros(size)
    eq = np.stack(
        [
            c.russia[rows, best.assignment[:, k], best.beliefs[rows, best.assignment[:, k]], k]
            for k in range(4)
        ],
        axis=1,
    )
    for m in range(m_count):
        b = best.beliefs[:, m]
        worth = c.russia[rows, m, b]  # (N, T)
        ok = t.available[:, m]
        regret = np.maximum(regret, np.where(ok, np.nanmax(worth - eq, axis=1), 0.0))
        mu = c.belief[rows, b]  # (N, T)
        # Ukraine, at every profile of the governments
        deal = np.einsum("nt,ntp->np", mu, t.ukraine_accept[:, :, m])
        war = np.einsum("nt,ntp->np", mu, t.ukraine_war)
        if m > 0:
            chosen = np.where(c.accept[rows, m, b], deal, war)
            ukr = np.maximum(deal, war) - chosen
            regret = np.maximum(regret, np.where(ok, ukr.max(axis=1), 0.0))
        # the governments, at the selected profile
        h = c.profile[rows, m, b]
        accept = c.accept[rows, m, b]  # (N, P)
        signed = np.where(
            t.breaks[:, None, :, m],
            t.government[:, :, :, m, :, BROKEN],
            t.government[:, :, :, m, :, SETTLED],
        )  # (N, n, T, P)
        payoff = np.where(
            accept[:, None, :],
            np.einsum("nt,nitp->nip", mu, signed),
            np.einsum("nt,nitp->nip", mu, t.government[:, :, :, m, :, WAR]),
        )  # (N, n, P)
        for i in range(n):
            here = payoff[rows, i, np.maximum(h, 0)]
            there = payoff[rows, i, np.maximum(h, 0) ^ (1 << i)]
            regret = np.maximum(regret, np.where(ok & (h >= 0), there - here, 0.0))
    # the staller's keep-or-break choice after every signed deal
    if m_count > 1:
        keep = t.russia_keep[:, :, 1:]
        renewed = np.broadcast_to(t.russia_renewed[:, :, 1:, None], keep.shape)
        chosen = np.where(t.breaks[:, :, 1:], renewed, keep)
        gap = np.where(t.can_break[:, :, 1:, None], np.maximum(keep, renewed) - chosen, 0.0)
        regret = np.maximum(regret, gap.reshape(size, -1).max(axis=1))
    return np.where(best.found, regret, np.nan)


# ====================================================================== batch solving
def _label(outcome: int) -> str:
    return OUTCOMES[outcome]


def _solve_tables(t: Tables) -> dict[str, np.ndarray]:
    """The selected equilibrium's numbers at every point of ``t``, by result key."""
    size, m_count, n = t.size, t.num_messages, len(t.names)
    rows = np.arange(size)
    c = continuation(t)
    best = _search(t, c)
    regret = _regret(t, c, best)
    found = best.found
    a = best.assignment
    out: dict[str, np.ndarray] = {}
    # each type's message, outcome and payoffs
    outcome = np.stack(
        [c.outcome[rows, a[:, k], best.beliefs[rows, a[:, k]], k] for k in range(4)], 1
    )
    payoff_r = np.stack(
        [c.russia[rows, a[:, k], best.beliefs[rows, a[:, k]], k] for k in range(4)], 1
    )
    prior = t.prior
    out["found"] = found
    out["kind"] = np.where(found, np.array(KINDS, dtype=object)[best.kind], "none")
    for k, name in enumerate(TYPES):
        for m, message in enumerate(t.messages):
            out[f"message.{name}.{message}"] = (a[:, k] == m).astype(float)
        for o, oname in enumerate(OUTCOMES):
            out[f"outcome.{name}.{oname}"] = (outcome[:, k] == o).astype(float)
        out[f"payoff.russia.{name}"] = payoff_r[:, k]
    for group, members in (("sincere", ~IS_STALLER), ("staller", IS_STALLER)):
        weight = prior[:, members] / prior[:, members].sum(axis=1, keepdims=True)
        for o, oname in enumerate(OUTCOMES):
            out[f"outcome.{group}.{oname}"] = (weight * (outcome[:, members] == o)).sum(axis=1)
        out[f"payoff.russia.{group}"] = (weight * payoff_r[:, members]).sum(axis=1)
    out["settlement_probability"] = (prior * (outcome == SETTLED)).sum(axis=1)
    out["renewed_war_probability"] = (prior * (outcome == BROKEN)).sum(axis=1)
    out["war_probability"] = (prior * (outcome == WAR)).sum(axis=1)
    out["payoff.russia"] = (prior * payoff_r).sum(axis=1)
    # receivers after each message, at the belief the equilibrium states there
    ukraine = np.zeros(size)
    governments = np.zeros((size, n))
    sent = np.zeros((size, m_count))
    for m, message in enumerate(t.messages):
        b = best.beliefs[:, m]
        mass = (prior * (a == m)).sum(axis=1)
        sent[:, m] = mass
        on = mass > rules.TOL
        mu = c.belief[rows, b]
        h = np.maximum(c.profile[rows, m, b], 0)
        out[f"on_path.{message}"] = on.astype(float)
        out[f"posterior.{message}"] = mu[:, ~IS_STALLER].sum(axis=1)
        out[f"posterior_weak.{message}"] = mu[:, IS_WEAK].sum(axis=1)
        out[f"pressure.{message}"] = t.pressure[rows, h]
        out[f"arms.{message}"] = t.arms[rows, h]
        for i, g in enumerate(t.names):
            out[f"ease.{message}.{g}"] = (~t.hold[h, i]).astype(float)
        if m > 0:
            out[f"acceptance.{message}"] = c.accept[rows, m, b, h].astype(float)
        out[f"continuation_equilibria.{message}"] = c.equilibria[rows, m, b].astype(float)
        ukraine += mass * c.ukraine_payoff[rows, m, b]
        governments += mass[:, None] * c.government_payoff[rows, m, b]
        # a message that does not exist at a point (no withdrawal cost there) has no replies
        missing = ~t.available[:, m]
        if missing.any():
            for key in [
                k for k in out if k.split(".")[1:2] == [message] and k != f"on_path.{message}"
            ]:
                if not key.startswith("message."):
                    out[key] = np.where(missing, np.nan, out[key])
    # Ukraine's and the governments' ex-ante payoffs: the beliefs on the path are Bayes', so
    # the mass-weighted expectations are the prior expectations
    out["payoff.ukraine"] = ukraine
    for i, g in enumerate(t.names):
        out[f"payoff.{g}"] = governments[:, i]
    regime = []
    for k in range(size):
        if not found[k]:
            regime.append("no equilibrium found")
            continue
        parts = []
        for group in ("sincere", "staller"):
            reached = [o for o in OUTCOMES if out[f"outcome.{group}.{o}"][k] > rules.TOL]
            parts.append(f"{group} {' or '.join(reached)}")
        regime.append(f"{out['kind'][k]}: {', '.join(parts)}")
    out["regime"] = np.array(regime, dtype=object)
    out["intuitive"] = best.intuitive & found
    out["certificate"] = regret
    out["tolerance"] = t.tol
    out["equilibria"] = best.count.astype(float)
    out["win_probability"] = (prior * t.p).sum(axis=1)
    for k, name in enumerate(TYPES):
        out[f"win_probability.{name}"] = t.p[:, k]
    for key, value in list(out.items()):
        if value.dtype.kind == "f" and key not in ("certificate", "tolerance"):
            out[key] = np.where(found, value, np.nan)
    out["_assignment"] = a
    out["_beliefs"] = best.beliefs
    return out


def _solve_points(
    model: NegotiationModel, offers: tuple[Offer, ...], changes: Mapping[str, Any] | None
) -> tuple[dict[str, np.ndarray], tuple[int, ...], tuple[str, ...]]:
    v, offer_values, shape = _points(model, offers, changes)
    names = tuple(g.name for g in model.west.governments)
    size = v["russia.prior_sincere"].shape[0]
    parts = []
    messages: tuple[str, ...] = ()
    for start in range(0, size, _CHUNK):
        part = slice(start, min(size, start + _CHUNK))
        t = tables(
            {k: a[part] for k, a in v.items()},
            names,
            model.west.aggregation,
            offers,
            [{k: a[part] for k, a in ov.items()} for ov in offer_values],
        )
        messages = t.messages
        parts.append(_solve_tables(t))
    out = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    return out, shape, messages


def solve_offer_game_batch(
    model: NegotiationModel,
    offer: Offer | Sequence[Offer],
    changes: Mapping[str, Any] | None = None,
) -> dict[str, np.ndarray]:
    """The selected equilibrium at many parameter points at once.

    Parameters
    ----------
    model : NegotiationModel
        The base point.
    offer : Offer or sequence of Offer
        The offer Russia may make, or a menu it chooses from.
    changes : dict, optional
        ``{dotted parameter name: array}``: any numeric model parameter (e.g.
        ``"russia.prior_sincere"``, ``"west.governments.US.sanctions_burden"``) or offer field
        (``"offer.withdrawal_cost"``; with a menu ``"offers.<name>.<field>"``; inducements as
        ``"offer.inducement.<government>"``). Arrays broadcast together and give every output's
        shape.

    Returns
    -------
    dict of str to numpy array
        ``found``, ``kind``, ``regime``, ``settlement_probability`` (a deal signed and kept),
        ``renewed_war_probability`` (signed, then broken), ``war_probability`` (war now);
        ``outcome.<type>.<settled|broken|war>`` and ``payoff.russia.<type>`` for the four types
        and for ``sincere``/``staller`` (averaged over strength); ``message.<type>.<message>``;
        per message ``on_path``, ``posterior`` (P(sincere)), ``posterior_weak`` (P(weak)),
        ``pressure``, ``arms``, ``ease.<message>.<government>``, ``acceptance.<offer message>``,
        ``continuation_equilibria``; ``payoff.russia``, ``payoff.ukraine``,
        ``payoff.<government>``; ``win_probability``; ``intuitive``, ``certificate`` (largest
        gain from a deviation), ``tolerance`` and ``equilibria`` (how many pure-strategy PBE).

    Examples
    --------
    A leader who fears removal after conceding status: a staller signs, then breaks the deal,
    and a strong sincere Russia fights on.

    >>> out = solve_offer_game_batch(NegotiationModel(), Offer(alignment=0.3, territory=0.2),
    ...                              {"russia.leader.removal_if_settle": [0.0, 1.0]})
    >>> for regime in out["regime"]:
    ...     print(regime)
    pooling: sincere settled, staller settled
    partially pooling: sincere settled or war, staller broken
    >>> bool(np.all(out["certificate"] <= out["tolerance"]))
    True
    """
    offers = _offer_list(offer)
    out, shape, _messages = _solve_points(model, offers, changes)
    return {
        k: np.asarray(value).reshape(shape + value.shape[1:])
        for k, value in out.items()
        if not k.startswith("_")
    }


# ====================================================================== one point, in words
@dataclass(frozen=True, eq=False)
class OfferEquilibrium:
    """One perfect Bayesian equilibrium of the offer game, in domain terms.

    Attributes
    ----------
    messages : dict
        ``{type: message}``: what each of Russia's four types does.
    beliefs : dict
        ``{message: {"sincere": P(sincere), "weak": P(weak)}}`` after every message: Bayes'
        rule on the path, the stated belief off it (``on_path`` says which).
    on_path : dict
        Whether each message is sent.
    west : dict
        ``{message: {government: "holds" or "eases"}}``.
    acceptance : dict
        ``{offer message: True/False}``: whether Ukraine accepts (given the governments' play).
    outcomes : dict
        ``{type: "settled" | "broken" | "war"}``.
    kind : str
    intuitive : bool
        Whether it passes the intuitive criterion (Cho & Kreps 1987) on the beliefs searched.
    certificate, tolerance : float
        The largest gain from any deviation, and the tolerance it is checked against.
    """

    messages: dict[str, str]
    beliefs: dict[str, dict[str, float]]
    on_path: dict[str, bool]
    west: dict[str, dict[str, str]]
    acceptance: dict[str, bool]
    outcomes: dict[str, str]
    kind: str
    intuitive: bool
    certificate: float
    tolerance: float


@dataclass(frozen=True, eq=False)
class OfferGameResult:
    """The offer game at one parameter point: the selected equilibrium and its numbers.

    Attributes
    ----------
    offers : tuple of Offer
        The menu Russia chooses from (one offer when the offer is fixed).
    messages : tuple of str
        Russia's messages (``fight``, ``talk``, ``withdraw``; ``talk: name`` with a menu).
    selected : OfferEquilibrium
        Among the pure-strategy PBE found, those passing the intuitive criterion first, then
        the highest ex-ante payoff to Russia, the simpler kind (pooling, separating, partially
        pooling), the higher settlement and the lower renewed-war probability.
    equilibria : int
        How many pure-strategy PBE were found.
    regime : str
        The kind and each sincerity type's most likely outcome.
    settlement_probability, renewed_war_probability, war_probability : float
        Ex ante: a deal signed and kept, signed then broken, war now; they sum to 1.
    payoffs : dict
        ``{"Russia": {type: ..., "sincere": ..., "staller": ..., "expected": ...},
        "Ukraine": {"expected": ...}, government: {"expected": ...}}``.
    certificate, tolerance : float
    row : dict
        The numbers under the keys of :func:`solve_offer_game_batch`.
    """

    offers: tuple[Offer, ...]
    messages: tuple[str, ...]
    selected: OfferEquilibrium | None
    equilibria: int
    regime: str
    kind: str
    settlement_probability: float
    renewed_war_probability: float
    war_probability: float
    payoffs: dict[str, dict[str, float]]
    certificate: float
    tolerance: float
    row: dict[str, Any]

    @property
    def found(self) -> bool:
        """Whether an equilibrium was found (and certified)."""
        return self.selected is not None

    def summary(self) -> str:
        """A few lines in words: each type's choice, the West's and Ukraine's replies.

        Examples
        --------
        >>> print(solve_offer_game(NegotiationModel(), Offer(alignment=0.2)).summary())
        ... # doctest: +ELLIPSIS
        pooling: sincere settled, staller settled
        ...
        """
        if self.selected is None:
            return "no equilibrium found in pure strategies for Russia (nothing certified)"
        eq = self.selected
        lines = [self.regime]
        for name, message in eq.messages.items():
            lines.append(f"  Russia ({name}): {message} -> {eq.outcomes[name]}")
        for message, actions in eq.west.items():
            where = "" if eq.on_path[message] else " (off the path)"
            b = eq.beliefs[message]
            acts = ", ".join(f"{g} {a}" for g, a in actions.items())
            line = f"  after {message}{where}: P(sincere) {b['sincere']:.3g}, P(weak) "
            line += f"{b['weak']:.3g}; {acts}"
            if message in eq.acceptance:
                line += "; Ukraine " + ("accepts" if eq.acceptance[message] else "rejects")
            lines.append(line)
        lines.append(
            f"  P(settled) {self.settlement_probability:.3g}, P(broken) "
            f"{self.renewed_war_probability:.3g}, P(war now) {self.war_probability:.3g}; "
            f"certificate {self.certificate:.1e} (tolerance {self.tolerance:.1e})"
        )
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"OfferGameResult(regime={self.regime!r}, certificate={self.certificate:.1e}, "
            f"equilibria={self.equilibria})"
        )


def solve_offer_game(model: NegotiationModel, offer: Offer | Sequence[Offer]) -> OfferGameResult:
    """Solve the offer game at the model's parameters for an offer, or a menu of offers.

    Parameters
    ----------
    model : NegotiationModel
    offer : Offer or sequence of Offer
        A fixed offer, or the menu Russia chooses from in equilibrium.

    Returns
    -------
    OfferGameResult
        The selected perfect Bayesian equilibrium with its certificate.

    Raises
    ------
    simulator.solvers.equilibrium.CertificationError
        Never silently: a selected profile whose certificate exceeds the tolerance is not
        returned (it would be a bug).

    Examples
    --------
    A deal inside Russia's sphere that both sides prefer to war is signed and kept:

    >>> r = solve_offer_game(NegotiationModel(), Offer(alignment=0.2))
    >>> r.settlement_probability, r.certificate <= r.tolerance
    (1.0, True)
    """
    from simulator.solvers.equilibrium import CertificationError

    offers = _offer_list(offer)
    out, _shape, messages = _solve_points(model, offers, None)
    row = {
        k: (v[0].item() if hasattr(v[0], "item") else v[0])
        for k, v in out.items()
        if not k.startswith("_")
    }
    found = bool(row["found"])
    certificate, tolerance = float(row["certificate"]), float(row["tolerance"])
    if found and not certificate <= tolerance:
        raise CertificationError(
            f"the offer game's selected profile has regret {certificate:.3g} > {tolerance:.3g}"
        )
    names = [g.name for g in model.west.governments]
    selected = None
    if found:
        assignment = out["_assignment"][0]
        selected = OfferEquilibrium(
            messages={name: messages[assignment[k]] for k, name in enumerate(TYPES)},
            beliefs={
                m: {
                    "sincere": float(row[f"posterior.{m}"]),
                    "weak": float(row[f"posterior_weak.{m}"]),
                }
                for m in messages
            },
            on_path={m: bool(row[f"on_path.{m}"]) for m in messages},
            west={
                m: {g: ("eases" if row[f"ease.{m}.{g}"] else "holds") for g in names}
                for m in messages
            },
            acceptance={m: bool(row[f"acceptance.{m}"]) for m in messages[1:]},
            outcomes={
                name: next(o for o in OUTCOMES if row[f"outcome.{name}.{o}"] == 1.0)
                for name in TYPES
            },
            kind=str(row["kind"]),
            intuitive=bool(row["intuitive"]),
            certificate=certificate,
            tolerance=tolerance,
        )
    russia = {name: float(row[f"payoff.russia.{name}"]) for name in (*TYPES, "sincere", "staller")}
    russia["expected"] = float(row["payoff.russia"])
    payoffs = {"Russia": russia, "Ukraine": {"expected": float(row["payoff.ukraine"])}}
    payoffs.update({g: {"expected": float(row[f"payoff.{g}"])} for g in names})
    return OfferGameResult(
        offers=offers,
        messages=messages,
        selected=selected,
        equilibria=int(row["equilibria"]) if found else 0,
        regime=str(row["regime"]),
        kind=str(row["kind"]),
        settlement_probability=float(row["settlement_probability"]),
        renewed_war_probability=float(row["renewed_war_probability"]),
        war_probability=float(row["war_probability"]),
        payoffs=payoffs,
        certificate=certificate,
        tolerance=tolerance,
        row=row,
    )


# ====================================================================== comparative statics
def comparative_statics(
    model: NegotiationModel, offer: Offer | Sequence[Offer], parameter: str, values: Any
) -> dict[str, np.ndarray]:
    """The selected equilibrium along one parameter: ``{"value": grid, **batch keys}``.

    Examples
    --------
    >>> table = comparative_statics(NegotiationModel(), Offer(alignment=0.3, territory=0.2),
    ...                             "russia.leader.removal_if_settle", [0.0, 1.0])
    >>> table["renewed_war_probability"].tolist()
    [0.0, 0.5]
    """
    grid = np.asarray(values, dtype=float).reshape(-1)
    return {"value": grid, **solve_offer_game_batch(model, offer, {parameter: grid})}


def switch_points(
    model: NegotiationModel,
    offer: Offer | Sequence[Offer],
    parameter: str,
    low: float,
    high: float,
    tol: float = 1e-6,
    grid: int = 129,
    key: str = "regime",
) -> list[float]:
    """Parameter values in ``[low, high]`` where the result ``key`` (default the regime) changes.

    Scans ``grid`` evenly spaced values, then bisects every interval whose ends differ down to
    width ``tol``; changes closer together than the grid spacing can be missed.

    Examples
    --------
    >>> points = switch_points(NegotiationModel(), Offer(alignment=0.3, territory=0.2),
    ...                        "russia.leader.removal_if_settle", 0.0, 1.0)
    >>> [round(x, 3) for x in points]
    [0.846, 0.893, 0.971]
    """
    if not high > low:
        raise ValueError(f"high = {high!r} must exceed low = {low!r}")
    if not tol > 0:
        raise ValueError(f"tol = {tol!r} must be positive")
    if grid < 2:
        raise ValueError(f"grid = {grid!r} must be at least 2")

    def labels(xs: np.ndarray) -> np.ndarray:
        out = solve_offer_game_batch(model, offer, {parameter: xs})
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
