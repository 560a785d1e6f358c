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

Equilibria are first searched over Russia's pure strategies (a message per type,
:mod:`~simulator.model.offer_search`); after each message the governments play a pure equilibrium
of their simultaneous game (the one with the highest total government payoff) and Ukraine
best-responds; off the path, beliefs are searched among the prior restricted to each set of
types. Where no such equilibrium exists, the game is written out as a tree and the limit of its
logit agent quantal-response branch gives a sequential equilibrium, in which Russia and the
governments may mix (:mod:`~simulator.model.offer_tree`). Each equilibrium carries its
certificate (:mod:`~simulator.model.offer_assessment`): the largest gain any player could get by
deviating at any information set, on and off the path, computed on the payoffs of the game as
described.

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

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from simulator.model.negotiation import NegotiationModel
from simulator.model.offer_assessment import KINDS, summarise
from simulator.model.offer_points import offer_list, points
from simulator.model.offer_search import pure_assessment, search
from simulator.model.offer_tables import OUTCOMES, TYPES, Tables, continuation, tables
from simulator.model.offer_tree import mixed_equilibrium
from simulator.model.offers import Offer

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

#: Points solved together; bounds memory (the governments' game is P = 2^n profiles).
_CHUNK = 256


# ====================================================================== batch solving
def _solve_tables(t: Tables) -> dict[str, np.ndarray]:
    """The selected equilibrium's numbers at every point of ``t``, by result key."""
    c = continuation(t)
    a = pure_assessment(t, c, search(t, c))
    traced = [int(i) for i in np.flatnonzero(~a.found) if mixed_equilibrium(t, int(i), a)]
    out = summarise(t, a)
    # A traced equilibrium was certified on the tree at the core's tolerance; it is reported
    # only if it also meets this game's own, tighter one.
    refused = [i for i in traced if not out["certificate"][i] <= t.tol[i]]
    if refused:
        a.found[refused] = False
        out = summarise(t, a)
    return out


def _solve_points(
    model: NegotiationModel, offers: tuple[Offer, ...], changes: Mapping[str, Any] | None
) -> tuple[dict[str, np.ndarray], tuple[int, ...], tuple[str, ...]]:
    v, offer_values, shape = points(model, offers, changes)
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
        ``payoff.<government>``; ``win_probability`` and ``win_probability.<type>``;
        ``intuitive``, ``certificate`` (largest gain from a deviation), ``tolerance``,
        ``equilibria`` (how many pure-strategy PBE) and ``method`` (how the equilibrium was
        found).

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
    offers = offer_list(offer)
    out, shape, _messages = _solve_points(model, offers, changes)
    return {
        k: np.asarray(value).reshape(shape + value.shape[1:])
        for k, value in out.items()
        if not k.startswith("_")
    }


# ====================================================================== one point, in words
def _words(dist: Mapping[str, float]) -> str:
    """``talk`` for a sure choice, ``talk 0.3, fight 0.7`` for a mixed one."""
    used = {k: p for k, p in dist.items() if p > 1e-9}
    if len(used) == 1:
        return next(iter(used))
    return ", ".join(f"{k} {p:.3g}" for k, p in used.items())


@dataclass(frozen=True, eq=False)
class OfferEquilibrium:
    """One perfect Bayesian equilibrium of the offer game, in domain terms.

    Attributes
    ----------
    messages : dict
        ``{type: {message: probability}}``: what each of Russia's four types does.
    beliefs : dict
        ``{message: {"sincere": P(sincere), "weak": P(weak)}}`` after every message: Bayes'
        rule on the path, the stated belief off it (``on_path`` says which).
    on_path : dict
        Whether each message is sent.
    west : dict
        ``{message: {government: P(eases)}}``.
    acceptance : dict
        ``{offer message: P(Ukraine accepts)}`` given the governments' play.
    outcomes : dict
        ``{type: {"settled": p, "broken": p, "war": p}}``.
    kind : str
        ``pooling``, ``separating``, ``partially pooling`` or ``hybrid`` (some type mixes).
    intuitive : bool
        Whether it passes the intuitive criterion (Cho & Kreps 1987) on the beliefs searched
        (checked for pure-strategy equilibria only).
    method : str
        How it was found: the pure-strategy search, or tracing the logit agent QRE.
    certificate, tolerance : float
        The largest gain from any deviation, and the tolerance it is checked against.
    """

    messages: dict[str, dict[str, float]]
    beliefs: dict[str, dict[str, float]]
    on_path: dict[str, bool]
    west: dict[str, dict[str, float]]
    acceptance: dict[str, float]
    outcomes: dict[str, dict[str, float]]
    kind: str
    intuitive: bool
    method: str
    certificate: float
    tolerance: float

    @property
    def sends(self) -> dict[str, str]:
        """Each type's message in words (``talk``; ``fight 0.987, talk 0.0128`` if it mixes)."""
        return {name: _words(dist) for name, dist in self.messages.items()}

    @property
    def ends_in(self) -> dict[str, str]:
        """Each type's outcome in words (``settled``; ``broken 0.07, war 0.93`` if uncertain)."""
        return {name: _words(dist) for name, dist in self.outcomes.items()}


@dataclass(frozen=True, eq=False)
class OfferGameResult:
    """The offer game at one parameter point: the selected equilibrium and its numbers.

    Attributes
    ----------
    offers : tuple of Offer
        The menu Russia chooses from (one offer when the offer is fixed).
    messages : tuple of str
        Russia's messages (``fight``, ``talk``, ``withdraw``; ``talk: name`` with a menu).
    selected : OfferEquilibrium or None
        Among the pure-strategy PBE found, those passing the intuitive criterion first, then
        the highest ex-ante payoff to Russia, the simpler kind (pooling, separating, partially
        pooling), the higher settlement and the lower renewed-war probability. Where none
        exists, a sequential equilibrium traced on the game tree (``selected.method`` says
        which). ``None`` when nothing was found and certified.
    equilibria : int
        How many pure-strategy PBE were found (1 for a traced equilibrium, 0 for none).
    regime : str
        The kind and every outcome each sincerity group reaches with positive probability.
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

    def summary(self) -> dict[str, Any]:
        """The headline numbers as plain Python values (as every result's ``summary()``).

        Returns
        -------
        dict
            ``regime``, ``kind``, ``settled``, ``broken``, ``war`` (ex-ante probabilities),
            ``sends`` and ``ends_in`` (each type's message and outcome in words), ``payoffs``,
            ``certificate``, ``tolerance`` and ``equilibria``.

        Examples
        --------
        >>> s = solve_offer_game(NegotiationModel(), Offer(alignment=0.2)).summary()
        >>> s["regime"], s["settled"], s["certificate"] <= s["tolerance"]
        ('pooling: sincere settled, staller settled', 1.0, True)
        """
        eq = self.selected
        return {
            "regime": self.regime,
            "kind": self.kind,
            "settled": self.settlement_probability,
            "broken": self.renewed_war_probability,
            "war": self.war_probability,
            "sends": dict(eq.sends) if eq is not None else {},
            "ends_in": dict(eq.ends_in) if eq is not None else {},
            "payoffs": {k: dict(v) for k, v in self.payoffs.items()},
            "certificate": self.certificate,
            "tolerance": self.tolerance,
            "equilibria": self.equilibria,
        }

    def describe(self) -> str:
        """A few lines in words: each type's choice, the West's and Ukraine's replies.

        Returns
        -------
        str
            The regime, each type's message and outcome, the receivers' replies after each
            message with the posteriors, and the outcome probabilities with the certificate.

        Examples
        --------
        >>> print(solve_offer_game(NegotiationModel(), Offer(alignment=0.2)).describe())
        ... # doctest: +ELLIPSIS
        pooling: sincere settled, staller settled
        ...
        """
        if self.selected is None:
            return "no equilibrium found (nothing certified)"
        eq = self.selected
        lines = [self.regime]
        for name, sends in eq.sends.items():
            lines.append(f"  Russia ({name}): {sends} -> {eq.ends_in[name]}")
        for message, actions in eq.west.items():
            where = "" if eq.on_path[message] else " (off the path)"
            b = eq.beliefs[message]
            acts = ", ".join(
                f"{g} " + _words({"eases": p, "holds": 1 - p}) for g, p in actions.items()
            )
            line = f"  after {message}{where}: P(sincere) {b['sincere']:.3g}, P(weak) "
            line += f"{b['weak']:.3g}; {acts}"
            if message in eq.acceptance:
                p = eq.acceptance[message]
                line += "; Ukraine " + _words({"accepts": p, "rejects": 1 - p})
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

    def _repr_html_(self) -> str:
        return f"<pre>{html.escape(self.describe())}</pre>"


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

    offers = offer_list(offer)
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
        here = [m for m in messages if np.isfinite(row[f"posterior.{m}"])]
        selected = OfferEquilibrium(
            messages={t: {m: float(row[f"message.{t}.{m}"]) for m in here} for t in TYPES},
            beliefs={
                m: {
                    "sincere": float(row[f"posterior.{m}"]),
                    "weak": float(row[f"posterior_weak.{m}"]),
                }
                for m in here
            },
            on_path={m: bool(row[f"on_path.{m}"]) for m in here},
            west={m: {g: float(row[f"ease.{m}.{g}"]) for g in names} for m in here},
            acceptance={m: float(row[f"acceptance.{m}"]) for m in here if m != messages[0]},
            outcomes={t: {o: float(row[f"outcome.{t}.{o}"]) for o in OUTCOMES} for t in TYPES},
            kind=str(row["kind"]),
            intuitive=bool(row["intuitive"]),
            method=str(row["method"]),
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

    Parameters
    ----------
    model : NegotiationModel
        The base point.
    offer : Offer or sequence of Offer
        The offer Russia may make, or a menu it chooses from.
    parameter : str
        A dotted name :func:`solve_offer_game_batch` accepts in its ``changes`` (a numeric
        model parameter, ``"offer.<field>"``, ...).
    values : array_like
        The parameter's values (flattened), each in the parameter's range.

    Returns
    -------
    dict of str to numpy.ndarray
        ``"value"``: the values as a flat float array; then every key of
        :func:`solve_offer_game_batch`, one entry per value.

    Raises
    ------
    KeyError
        If ``parameter`` is not a parameter name.
    ValueError
        If it is one the offer game does not read, or a value is outside its range
        (:class:`~simulator.model.parameters.ParameterError`).

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

    Parameters
    ----------
    model : NegotiationModel
        The base point.
    offer : Offer or sequence of Offer
        The offer Russia may make, or a menu it chooses from.
    parameter : str
        A dotted name :func:`solve_offer_game_batch` accepts in its ``changes``.
    low, high : float
        The interval scanned (``high > low``), inside the parameter's range.
    tol : float, optional
        Width to which each change is bisected (positive; default ``1e-6``).
    grid : int, optional
        Number of evenly spaced values first scanned (at least 2; default 129).
    key : str, optional
        The result of :func:`solve_offer_game_batch` whose changes are sought (default
        ``"regime"``).

    Returns
    -------
    list of float
        The midpoints of the bisected intervals, in increasing order (empty if ``key`` is the
        same at every scanned value).

    Raises
    ------
    ValueError
        If ``high <= low``, ``tol <= 0`` or ``grid < 2``, or as :func:`comparative_statics`.
    KeyError
        If ``key`` is not a result of :func:`solve_offer_game_batch` or ``parameter`` not a
        parameter name.

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
