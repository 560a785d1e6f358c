"""The buy-time game's settings, state space and closed-form payoffs, from the offer game's rules.

:mod:`simulator.model.buy_time_game` describes the game and solves it. This module holds what
does not depend on the equilibrium: the settings (:class:`BuyTimeSettings`), the belief grid, each
type's battle win probability after regrouping, the flow value of every situation (the offer
game's payoff of that situation, :mod:`simulator.model.rules`) and the value of a signed deal,
including a staller's best time to break it.

Values are normalised present values: a situation that lasts for ever is worth its flow, a period
of it weighs ``1 - delta``. The flow of a situation is the offer game's payoff for it, so a game of
one period with a front of two steps is the offer game (``docs/buy_time.md``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from simulator.model import rules
from simulator.model.dynamics_settings import periods_played
from simulator.model.negotiation import NegotiationModel
from simulator.model.offer_points import points
from simulator.model.offer_tables import IS_STALLER, Tables, kept_deal, russia_war_payoff, tables
from simulator.model.offers import Offer
from simulator.model.parameters import ParameterError, parameter, validate

__all__ = ["BuyTimeSettings", "Deal", "Flows", "Setup", "deal", "setup", "tabulate_flows"]

#: Ukraine's replies to talks, in the order of the policy arrays (ties go to the earlier one).
REPLIES = ("sign", "ceasefire", "fight on")
SIGN, CEASEFIRE, FIGHT_ON = 0, 1, 2


@dataclass(frozen=True)
class BuyTimeSettings:
    """How the buy-time game is played and discretised.

    Attributes
    ----------
    periods : int
        Number of periods played. In ``[1, 500]``, periods (a whole number); default 24.
    front_positions : int
        N: battles move the front over 0..N; at 0 Ukraine has won, at N Russia. In ``[2, 40]``,
        positions (a whole number); default 4.
    initial_front : float
        Starting front as a share of N (rounded to an interior position,
        :attr:`initial_position`). In ``(0, 1)``, share of N; default 0.5.
    regroup_levels : int
        Ceasefire periods of regrouping the state counts (later ones add no more). In
        ``[0, 60]``, ceasefire periods (a whole number); default 4.
    belief_points : int
        Points per axis of the belief grid (P(staller), P(weak if sincere), P(weak if
        staller)); the prior's coordinates are added. In ``[2, 41]``, grid points (a whole
        number); default 3.
    west_discount_factor : float
        How the Western governments weigh a period of their stance against the next. In
        ``[0, 1)``, per period; default 0.95.
    ceasefire : bool
        Whether Ukraine may answer talks with a ceasefire (no battle while talks go on);
        default True. Without it, Ukraine signs or fights on.

    Raises
    ------
    ParameterError
        If a setting is outside its range, not a whole number where one is required, or
        ``ceasefire`` is not a bool (the message names it as ``buy_time.<field>``).

    Examples
    --------
    >>> BuyTimeSettings(periods=12).front_positions
    4
    >>> BuyTimeSettings(belief_points=1)
    Traceback (most recent call last):
    ...
    simulator.model.parameters.ParameterError: buy_time.belief_points = 1 is outside ...
    """

    periods: int = periods_played()
    front_positions: int = parameter(
        4,
        low=2,
        high=40,
        integer=True,
        unit="positions",
        description="N: battles move the front over 0..N; at 0 Ukraine has won, at N Russia",
        label="Front positions",
    )
    initial_front: float = parameter(
        0.5,
        low=0,
        high=1,
        low_open=True,
        high_open=True,
        unit="share of N",
        description="starting front as a share of N (rounded to an interior position)",
        label="Starting front",
    )
    regroup_levels: int = parameter(
        4,
        low=0,
        high=60,
        integer=True,
        unit="ceasefire periods",
        description="ceasefire periods of regrouping the state counts (later ones add no more)",
        label="Ceasefire periods of regrouping counted",
    )
    belief_points: int = parameter(
        3,
        low=2,
        high=41,
        integer=True,
        unit="grid points",
        description="points per axis of the belief grid (P(staller), P(weak if sincere), "
        "P(weak if staller)); the prior's coordinates are added",
        label="Points per axis of the belief grid",
    )
    west_discount_factor: float = parameter(
        0.95,
        low=0,
        high=1,
        high_open=True,
        unit="per period",
        description="how the Western governments weigh a period of their stance against the next",
        label="Western patience (discount factor)",
        display_unit="",
    )
    ceasefire: bool = True

    def __post_init__(self) -> None:
        validate(self, "buy_time")
        if not isinstance(self.ceasefire, bool):
            raise ParameterError(
                "buy_time.ceasefire",
                self.ceasefire,
                f"buy_time.ceasefire must be true or false, got {self.ceasefire!r}",
            )

    @property
    def initial_position(self) -> int:
        """The interior front position the game starts at."""
        return rules.interior_front(self.initial_front, self.front_positions)


@dataclass(frozen=True, eq=False)
class Setup:
    """Everything the solver reads, built once per model, offer and settings.

    Values are in shares of the stake. ``G`` below is ``levels + periods + 1`` regroup levels
    (a staller regroups under a signed deal beyond the levels the state stores), ``P`` the
    governments' profiles, ``M`` Russia's messages, ``n`` the governments, ``B`` the belief
    grid's points.

    Attributes
    ----------
    settings : BuyTimeSettings
        How the game is played and discretised.
    offer : Offer
        The deal on the table in every period.
    tables : Tables
        The offer game's tables at this point (one point: the profiles, their sanctions
        pressure and arms share, the prior).
    names : tuple of str
        The Western governments, in the model's order.
    messages : tuple of str
        Russia's messages (``fight``, ``talk`` and, with a verified step, ``withdraw``).
    axes : tuple of three numpy.ndarray
        The belief grid's axes, P(staller), P(weak | sincere) and P(weak | staller): the
        ``belief_points`` evenly spaced values of ``[0, 1]`` and the prior's coordinate, sorted.
    beliefs : numpy.ndarray, shape (B, 4)
        The belief over Russia's types (``TYPES``) at each grid point (C order of ``axes``).
    prior_index : int
        The grid point of the prior.
    win : numpy.ndarray, shape (G, P, 4)
        Russia's true probability of winning a battle, by regroup level, profile and type.
    perceived : numpy.ndarray, shape (G, P, 4)
        The same as Russia perceives it (its optimism added, clipped to ``[0, 1]``).
    capability : numpy.ndarray, shape (G, 4)
        Russia's capability after ``g`` ceasefire periods of regrouping, by type.
    delta : numpy.ndarray, shape (3,)
        Discount factors per period of Russia, Ukraine and the Western governments.
    scalars : dict of str to float
        Every model parameter the game reads by dotted name, and the offer's terms as
        ``offer.<field>``.
    inducements : numpy.ndarray, shape (M, n)
        What Russia pays each government that eases after each message (none after ``fight``).
    withdrawal_cost : float
        The cost to Russia of the offer's verified withdrawal (0: none).
    stake : numpy.ndarray, shape (n,)
        Each government's stake in Ukraine's prospects (``value_of_success``).
    audience : numpy.ndarray, shape (n,)
        Each government's audience cost of easing while no deal holds.
    burden : numpy.ndarray, shape (periods + 1, n)
        Each government's sanctions burden in each period, grown by fatigue.
    guarantee : float
        The effective strength of the security guarantees (offered strength times the
        guarantees' credibility, :func:`rules.guarantee_strength`).
    """

    settings: BuyTimeSettings
    offer: Offer
    tables: Tables  # the offer game's tables at this point (profiles, pressure, arms, prior)
    names: tuple[str, ...]
    messages: tuple[str, ...]
    axes: tuple[np.ndarray, np.ndarray, np.ndarray]
    beliefs: np.ndarray  # (B, 4) the belief at each grid point
    prior_index: int
    win: np.ndarray  # (L, P, 4) true battle win probability by regroup level and profile
    perceived: np.ndarray  # (L, P, 4) as Russia perceives it
    capability: np.ndarray  # (L, 4) Russia's capability after g ceasefire periods
    delta: np.ndarray  # (3,) Russia, Ukraine, West
    scalars: dict[str, float]
    inducements: np.ndarray  # (M, n) what Russia pays each easing government after each message
    withdrawal_cost: float
    stake: np.ndarray  # (n,)
    audience: np.ndarray  # (n,)
    burden: np.ndarray  # (T + 1, n) fatigued burden in each period
    guarantee: float

    @functools.cached_property
    def cells(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The belief grid's cells along each axis, for :func:`corners` (computed once)."""
        return _cells(self.axes)

    @property
    def levels(self) -> int:
        """Regroup levels stored in the state (``g = 0..levels - 1``)."""
        return min(self.settings.regroup_levels, self.settings.periods) + 1

    @property
    def profiles(self) -> int:
        return self.tables.hold.shape[0]


def _coords(belief: np.ndarray) -> np.ndarray:
    """Belief (..., 4) -> (P(staller), P(weak | sincere), P(weak | staller)).

    A conditional with no weight is set to 0.5 (any value gives the same belief).
    """
    return np.moveaxis(_coord_rows(np.asarray(belief, dtype=float)), 0, -1)


def _from_coords(c: np.ndarray) -> np.ndarray:
    s, ws, wt = c[..., 0], c[..., 1], c[..., 2]
    return np.stack([(1 - s) * (1 - ws), (1 - s) * ws, s * (1 - wt), s * wt], axis=-1)


def setup(model: NegotiationModel, offer: Offer, settings: BuyTimeSettings) -> Setup:
    """Read the model and the offer into the solver's arrays.

    Parameters
    ----------
    model : NegotiationModel
        The actors' parameters (the same the offer game reads).
    offer : Offer
        The deal on the table in every period.
    settings : BuyTimeSettings
        Horizon, front, regroup levels and belief grid.

    Returns
    -------
    Setup
        The belief grid, win probabilities by regroup level, discount factors and every other
        number the solver reads.

    Raises
    ------
    TypeError
        If ``offer`` is not an :class:`Offer` or ``model`` not a :class:`NegotiationModel`.
    ValueError
        If the offer has inducements for governments that are not in the model.

    Examples
    --------
    >>> s = setup(NegotiationModel(), Offer(), BuyTimeSettings(periods=3))
    >>> s.levels, s.beliefs.shape, s.prior_index
    (4, (27, 4), 13)
    >>> s.beliefs[s.prior_index].tolist()
    [0.25, 0.25, 0.25, 0.25]
    """
    if not isinstance(offer, Offer):
        raise TypeError(f"offer must be an Offer, got {type(offer).__name__}")
    v, offer_values, _shape = points(model, (offer,), None)
    names = tuple(g.name for g in model.west.governments)
    t = tables(v, names, model.west.aggregation, (offer,), offer_values)
    sc = {k: float(a[0]) for k, a in v.items()}
    ov = {k: float(a[0]) for k, a in offer_values[0].items()}
    T = settings.periods
    levels = min(settings.regroup_levels, T) + 1

    # ---- the belief grid: m points per axis plus the prior's coordinate --------------------
    prior = t.prior[0]
    c0 = _coords(prior)
    base = np.linspace(0.0, 1.0, settings.belief_points)
    axes = tuple(np.unique(np.concatenate([base, [c0[k]]])) for k in range(3))
    grid = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, 3)
    beliefs = _from_coords(grid)
    idx = [int(np.searchsorted(axes[k], c0[k])) for k in range(3)]
    prior_index = int(np.ravel_multi_index(idx, tuple(a.size for a in axes)))

    # ---- battle win probabilities by regroup level (the offer game's pause, repeated) ------
    # A staller's edge after g ceasefire periods: what its regrouping adds to its win
    # probability beyond a sincere Russia's (whose regrouping Ukraine's own rest matches),
    # measured at full Western support, as the offer game measures the pause.
    k_strong = sc["russia.capability"]
    k0 = np.array([k_strong, k_strong * sc["russia.weak_capability_share"]] * 2)  # (4,)
    ceiling = sc["russia.capability_ceiling"]
    gamma = sc["contest_exponent"]
    k_u_full = rules.supported_capability(sc["ukraine.capability"], sc["west.arms_support"], 1.0)
    g_all = np.arange(levels + T + 1)[:, None]  # deal phases regroup beyond the stored levels

    def regrouped(rate: float) -> np.ndarray:
        return rules.regroup(k0[None, :], ceiling, 1.0 - (1.0 - rate) ** g_all)

    k_staller = regrouped(sc["russia.regroup_rate_staller"])
    k_sincere = regrouped(sc["russia.regroup_rate_sincere"])
    edge = np.where(
        IS_STALLER[None, :],
        np.maximum(
            rules.contest(k_staller, k_u_full, gamma) - rules.contest(k_sincere, k_u_full, gamma),
            0.0,
        ),
        0.0,
    )  # (levels + T + 1, 4)
    k_u = rules.supported_capability(
        sc["ukraine.capability"], sc["west.arms_support"], t.arms[0]
    )  # (P,)
    base_p = rules.contest(k0[None, :], k_u[:, None], gamma)  # (P, 4)
    win = np.clip(base_p[None, :, :] + edge[:, None, :], 0.0, 1.0)  # (G', P, 4)
    perceived = np.clip(win + sc["russia.optimism"], 0.0, 1.0)
    capability = np.where(IS_STALLER[None, :], k_staller, k_sincere)

    n = len(names)
    messages = t.messages
    inducements = np.zeros((len(messages), n))
    for m in range(1, len(messages)):
        for i, name in enumerate(names):
            inducements[m, i] = ov.get(f"inducement.{name}", 0.0)

    def gov(field: str) -> np.ndarray:
        return np.array([sc[f"west.governments.{g}.{field}"] for g in names])

    burden = rules.fatigued_burden(
        gov("sanctions_burden")[None, :],
        gov("fatigue_rate")[None, :],
        sc["west.periods_of_war"] + np.arange(T + 1)[:, None],
    )
    return Setup(
        settings=settings,
        offer=offer,
        tables=t,
        names=names,
        messages=messages,
        axes=axes,  # type: ignore[arg-type]
        beliefs=beliefs,
        prior_index=prior_index,
        win=win,
        perceived=perceived,
        capability=capability,
        delta=np.array(
            [
                sc["russia.discount_factor"],
                sc["ukraine.discount_factor"],
                settings.west_discount_factor,
            ]
        ),
        scalars=sc | {f"offer.{k}": x for k, x in ov.items()},
        inducements=inducements,
        withdrawal_cost=ov["withdrawal_cost"],
        stake=gov("value_of_success"),
        audience=gov("audience_cost"),
        burden=np.asarray(burden),
        guarantee=float(
            rules.guarantee_strength(
                ov["security_guarantees"], sc["west.security_guarantee_credibility"]
            )
        ),
    )


# ====================================================================== flows
def russia_war_flow(
    s: Setup, perceived: np.ndarray, pressure: np.ndarray, battle: bool
) -> np.ndarray:
    """Russia's value of a war at eventual win probability ``perceived`` (as it sees it).

    The offer game's war value (:func:`rules.russia_war_value`); in a ceasefire period
    (``battle=False``) neither the war's cost nor the risk of removal while fighting accrues.
    ``pressure`` is the sanctions pressure of the governments' profile (broadcast).
    """
    c = s.scalars
    sanctions = rules.sanctions_loss(
        c["russia.sanctions_cost"], c["west.western_cohesion"], pressure
    )
    return russia_war_payoff(c.__getitem__, perceived, sanctions, fighting=battle)


def ukraine_war_flow(
    s: Setup, win: np.ndarray, battle: bool, war_cost_share: float = 1.0
) -> np.ndarray:
    """Ukraine's value of a war Russia wins with probability ``win``.

    :func:`rules.ukraine_war_value`; no war cost accrues in a ceasefire (``battle=False``).
    """
    c = s.scalars
    cost = c["ukraine.war_cost"] * war_cost_share if battle else 0.0
    return rules.ukraine_war_value(win, c["ukraine.resolve"], cost)


@dataclass(frozen=True, eq=False)
class Deal:
    """A deal signed at one period, by front, regroup level, profile and type.

    Arrays have shape ``(F, L, P, 4)`` (front positions ``0..N``, regroup levels, the
    governments' profiles, Russia's types). Values are normalised present values, in shares of
    the stake.

    Attributes
    ----------
    keep_russia : numpy.ndarray
        Russia's value of the deal kept for good (it varies with the profile only).
    keep_ukraine : numpy.ndarray
        Ukraine's value of the deal kept for good (the same everywhere).
    russia : numpy.ndarray
        Russia's value of signing: the deal kept, or broken at the best time, as the type
        prefers.
    ukraine : numpy.ndarray
        Ukraine's value of signing, given the type's choice.
    breaks : numpy.ndarray of bool
        Whether the type breaks the deal (only a staller whose regrouping gives it an edge).
    delay : numpy.ndarray of int
        Periods until the break (0 where the deal is kept).
    war_share : numpy.ndarray
        The discounted share of the future at war after a break, ``delta_U^delay`` (0 where
        kept); it weighs the governments' audience cost.
    """

    keep_russia: np.ndarray
    keep_ukraine: np.ndarray
    russia: np.ndarray  # kept or broken, as the type prefers
    ukraine: np.ndarray
    breaks: np.ndarray  # bool
    delay: np.ndarray  # periods until a break (0 where kept)
    war_share: np.ndarray  # discounted share of the future at war (governments' audience cost)


def deal(s: Setup, period: int, verified: bool) -> Deal:
    """The value of signing in ``period``: kept, or broken after the best number of periods.

    A staller that signs may regroup under the deal for ``j`` periods (the shift shrunk by the
    guarantees, :func:`rules.shifted_win_probability`) and then renew the war at full Western
    support and sanctions; it breaks at the ``j`` that pays most if that beats keeping the deal
    (:func:`rules.pause_value` generalised to ``j`` periods). After a verified withdrawal no
    regrouping is left to exploit: the deal is kept.

    Parameters
    ----------
    s : Setup
        The game's arrays.
    period : int
        The period of signing, in ``0 .. periods - 1`` (a break may come at most
        ``periods - period`` periods later).
    verified : bool
        Whether the deal follows a verified withdrawal (then it is kept).

    Returns
    -------
    Deal
        The value of signing to Russia and Ukraine, and each type's break decision, at every
        front, regroup level and profile.

    Examples
    --------
    >>> s = setup(NegotiationModel(), Offer(), BuyTimeSettings(periods=3))
    >>> d = deal(s, 0, verified=False)
    >>> d.breaks[2, 0, -1].tolist(), d.delay[2, 0, -1].tolist()  # only a strong staller breaks
    ([False, False, True, False], [0, 0, 3, 0])
    >>> bool(deal(s, 0, verified=True).breaks.any())
    False
    """
    c, t = s.scalars, s.tables
    N = s.settings.front_positions
    T = s.settings.periods
    fronts = np.arange(N + 1)[:, None, None, None]
    levels = s.levels
    keep_r, keep_u = kept_deal(c.__getitem__, lambda f: c[f"offer.{f}"], t.pressure[0])
    keep_u = float(keep_u)  # keep_r: (P,)
    shape = (N + 1, levels, t.hold.shape[0], 4)
    keep_russia = np.broadcast_to(keep_r[None, None, :, None], shape)
    best = keep_russia.copy()
    ukraine = np.full(shape, keep_u)
    breaks = np.zeros(shape, dtype=bool)
    delay = np.zeros(shape, dtype=np.int64)
    war_share = np.zeros(shape)
    d_r, d_u = s.delta[0], s.delta[1]
    if not verified:
        full = np.array([1.0])
        p_full = s.win[:, -1, :]  # (G', 4) at full support (the last profile: everyone holds)
        opt = c["russia.optimism"]
        for j in range(1, T - period + 1):
            g = np.arange(levels)
            p1 = rules.shifted_win_probability(p_full[g], p_full[g + j], s.guarantee)  # (L, 4)
            h_true = rules.front_win_probability(p1[None], fronts[..., 0], N)  # (F, L, 4)
            h_seen = rules.front_win_probability(np.clip(p1 + opt, 0, 1)[None], fronts[..., 0], N)
            renewed_r = russia_war_flow(s, h_seen, full, battle=True)[:, :, None, :]
            renewed_u = ukraine_war_flow(s, h_true, True, 1.0 - s.guarantee)[:, :, None, :]
            value = (1 - d_r**j) * keep_russia + d_r**j * renewed_r
            # as in the offer game, only a staller whose pause gave it an edge can break
            edge = (p1 > p_full[g] + rules.TOL)[None, :, None, :]
            better = IS_STALLER[None, None, None, :] & edge & (value > best + rules.TOL)
            better &= value > keep_russia + rules.TOL
            best = np.where(better, value, best)
            ukraine = np.where(better, (1 - d_u**j) * keep_u + d_u**j * renewed_u, ukraine)
            breaks |= better
            delay = np.where(better, j, delay)
            war_share = np.where(better, d_u**j, war_share)
    return Deal(
        keep_russia=keep_russia,
        keep_ukraine=np.full(shape, keep_u),
        russia=best,
        ukraine=ukraine,
        breaks=breaks,
        delay=delay,
        war_share=war_share,
    )


@dataclass(frozen=True, eq=False)
class Flows:
    """Every period's flows, tabulated once by front ``0..N``, regroup level, profile, type.

    A flow is the value of a situation that would last for ever (a period of it weighs
    ``1 - delta``): the offer game's war payoff at the probability that Russia wins the war
    fought out from the front (:func:`rules.front_win_probability`), as Russia perceives it
    for Russia's flows and the true one for Ukraine's.

    Attributes
    ----------
    battle_r, battle_u : numpy.ndarray, shape (F, L, P, 4)
        Russia's and Ukraine's flows in a period with a battle, by Russia's type.
    cease_r, cease_u : numpy.ndarray, shape (F, L, P, 4)
        The same in a ceasefire period (no war cost, no risk of removal while fighting).
    frozen : numpy.ndarray, shape (F, L, P, 16)
        The value of a war frozen at this profile (at the horizon, or where the front is
        decided) for every continuation value: Russia's battle flow under each of the three
        plans (12), then Ukraine's (4).
    """

    battle_r: np.ndarray  # (F, L, P, 4)
    battle_u: np.ndarray
    cease_r: np.ndarray
    cease_u: np.ndarray
    frozen: np.ndarray  # (F, L, P, K): a war frozen at this profile (horizon, or decided)


def tabulate_flows(s: Setup) -> Flows:
    """Tabulate :class:`Flows` once per setup.

    Parameters
    ----------
    s : Setup
        The game's arrays.

    Returns
    -------
    Flows
        Russia's and Ukraine's flows in battle and ceasefire periods, and the frozen war's
        values, by front, regroup level, profile and type.

    Examples
    --------
    >>> s = setup(NegotiationModel(), Offer(), BuyTimeSettings(periods=3))
    >>> flows = tabulate_flows(s)
    >>> flows.battle_r.shape, flows.frozen.shape
    ((5, 4, 2, 4), (5, 4, 2, 16))
    """
    N = s.settings.front_positions
    f = np.arange(N + 1)[:, None, None, None]
    L = s.levels
    win = s.win[None, :L]
    seen = s.perceived[None, :L]
    h_true = rules.front_win_probability(win, f, N)
    h_seen = rules.front_win_probability(seen, f, N)
    pressure = s.tables.pressure[0][None, None, :, None]
    battle_r = russia_war_flow(s, h_seen, pressure, battle=True)
    battle_u = ukraine_war_flow(s, h_true, battle=True)
    frozen = np.concatenate([battle_r, battle_r, battle_r, battle_u], axis=-1)
    return Flows(
        battle_r=battle_r,
        battle_u=battle_u,
        cease_r=russia_war_flow(s, h_seen, pressure, battle=False),
        cease_u=ukraine_war_flow(s, h_true, battle=False),
        frozen=frozen,
    )


def restrict(beliefs: np.ndarray) -> np.ndarray:
    """The belief restricted to each of the 15 non-empty sets of types: (..., 15, 4).

    Where the set has no weight (a boundary of the grid) the belief is uniform on the set: after
    a message only types the public had ruled out would send, any belief is consistent.
    """
    sets = np.array([[(b >> k) & 1 for k in range(4)] for b in range(1, 16)], dtype=float)
    joint = beliefs[..., None, :] * sets
    total = joint.sum(axis=-1, keepdims=True)
    uniform = sets / sets.sum(axis=-1, keepdims=True)
    return np.where(total > 0, joint / np.where(total > 0, total, 1.0), uniform)


#: The 8 corners of a grid cell as offsets (a, b, d) along the three axes, in C order.
_CORNERS = np.array([(a, b, d) for a in (0, 1) for b in (0, 1) for d in (0, 1)], dtype=np.intp)


@functools.lru_cache(maxsize=8)
def _corner_steps(sizes: tuple[int, ...]) -> np.ndarray:
    """Flat-index step of each corner from the cell's first corner on a grid of ``sizes``."""
    steps = (_CORNERS[:, 0] * sizes[1] + _CORNERS[:, 1]) * sizes[2] + _CORNERS[:, 2]
    steps.setflags(write=False)
    return steps


def corners(s: Setup, belief: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Multilinear interpolation on the belief grid: the 8 corner indices and weights (..., 8).

    The weights are a product of one lottery per axis, so the expected corner belief is the
    belief itself; the forward pass draws a corner with these weights.

    Parameters
    ----------
    s, belief
        As for :func:`cell_weights`.

    Returns
    -------
    tuple of two numpy.ndarray, shape (..., 8)
        The flat grid index of each corner of the belief's cell, in C order of the offsets
        along the three axes, and its weight.
    """
    origin, weights = cell_weights(s, belief)
    return origin[..., None] + corner_steps(s), weights


def corner_steps(s: Setup) -> np.ndarray:
    """Each corner's flat grid index from its cell's first corner (8,), in the order of
    :func:`corners`' weights.

    Parameters
    ----------
    s : Setup
        The game's setup (its belief grid).

    Returns
    -------
    numpy.ndarray of int, shape (8,)
    """
    return _corner_steps(tuple(a.size for a in s.axes))


def cell_weights(s: Setup, belief: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The flat grid index of the first corner of each belief's cell (...,) and the 8
    corners' weights (..., 8): :func:`corners` with the cell named once (its corners are
    :func:`corner_steps` from it).

    Parameters
    ----------
    s : Setup
        The game's setup (its belief grid: ``axes`` and ``cells``).
    belief : numpy.ndarray, shape (..., 4)
        Beliefs over Russia's types.

    Returns
    -------
    tuple of two numpy.ndarray, shapes (...,) and (..., 8)

    Notes
    -----
    The stage calls this thousands of times on a few hundred points, so it is written for
    few array operations with the three axes as the first dimension (numpy is slow on a
    short last axis): each axis has a handful of points, so a point's cell is found by
    counting the inner grid points at or below it (what ``searchsorted`` gives, clipped to
    the grid).
    """
    b = np.asarray(belief, dtype=float)
    shape = b.shape[:-1]
    sizes = tuple(a.size for a in s.axes)
    inner, starts, widths, offsets = s.cells
    c = _coord_rows(b.reshape(-1, 4))  # (3, n)
    lo = np.zeros(c.shape, dtype=np.intp)
    for column in inner:  # (3, 1): the j-th inner point of each axis (inf where none)
        lo += c >= column
    cell = lo + offsets
    f = (c - starts.take(cell)) / widths.take(cell)
    np.clip(f, 0.0, 1.0, out=f)
    flat = (lo[0] * sizes[1] + lo[1]) * sizes[2] + lo[2]
    pairs = np.empty((3, 2) + f.shape[1:])  # per axis: the weights of offsets 0 and 1
    pairs[:, 0] = 1.0 - f
    pairs[:, 1] = f
    # the 8 corners in C order of the offsets: weights as an outer product
    weights = pairs[0][:, None, None] * pairs[1][None, :, None] * pairs[2][None, None, :]
    # the weights in the callers' layout (n, 8): they read a point's eight weights together
    weights = np.ascontiguousarray(weights.reshape(8, -1).T)
    return flat.reshape(shape), weights.reshape(shape + (8,))


def _cells(
    axes: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The belief grid's cells: the inner points of each axis, (J, 3, 1), padded with
    ``inf``; each cell's start and width, flat over the axes (3 W), padded; and the offset
    of each axis's cells in them (3, 1)."""
    J = max(max(a.size - 2 for a in axes), 0)
    W = max(a.size - 1 for a in axes)
    inner = np.full((J, 3, 1), np.inf)
    starts = np.zeros((3, W))
    widths = np.ones((3, W))
    for k, a in enumerate(axes):
        inner[: a.size - 2, k, 0] = a[1:-1]
        starts[k, : a.size - 1] = a[:-1]
        widths[k, : a.size - 1] = a[1:] - a[:-1]
    out = (inner, starts.reshape(-1), widths.reshape(-1), (np.arange(3) * W)[:, None])
    for array in out:
        array.setflags(write=False)
    return out


def _coord_rows(b: np.ndarray) -> np.ndarray:
    """The three coordinates of :func:`_coords` as the first axis: (3, ...)."""
    out = np.empty((3,) + b.shape[:-1])
    sincere = b[..., 0] + b[..., 1]
    staller = b[..., 2] + b[..., 3]
    out[0] = staller / np.maximum(sincere + staller, 1e-300)
    out[1] = np.where(sincere > 0, b[..., 1] / np.where(sincere > 0, sincere, 1), 0.5)
    out[2] = np.where(staller > 0, b[..., 3] / np.where(staller > 0, staller, 1), 0.5)
    return out
