"""The sanctions-participation game among the coalition's members, and its pure equilibria.

Part of :mod:`simulator.model.published.coalition` (``docs/models/coalition.md``), which
re-exports every public name here. Each member chooses to sanction or to defect; with ``S``
the sanctioning set, member ``i`` gets
``u_i = b_i * Pi(S) - kappa_i(t) * [i sanctions] + (rho_i - a_i) * [i defects]``
(the decision rule derived for this project in :mod:`simulator.model.published.coalition`).
:func:`sanctions_game` builds the game as a :class:`~simulator.games.normal_form.NormalFormGame`
for the solvers; :func:`predicted_equilibria` gives its pure equilibria in closed form for
each aggregation technology.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np

from simulator.games.normal_form import NormalFormGame
from simulator.model.actors import West, WesternGovernment
from simulator.model.published.coalition_members import (
    _SHARE_TOL,
    Coalition,
    _aggregation,
    _as_coalition,
    _member_array,
    _threshold,
    burden_at,
    coalition_pressure,
)

__all__ = ["predicted_equilibria", "sanctions_game"]

#: Strategy labels of the participation game: index 0 sanctions, index 1 defects.
STRATEGIES = ("sanction", "defect")


# ---------------------------------------------------------------------------- the game
def _profile_support(n: int) -> np.ndarray:
    """All pure profiles as a (2,)*n + (n,) boolean array: True where the member sanctions."""
    grids = np.indices((2,) * n)
    return np.moveaxis(grids, 0, -1) == 0


def _game_terms(
    coalition: Coalition, period: float, inducement: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    n = coalition.size
    burden = burden_at(coalition.sanctions_burden, coalition.fatigue_rate, period)
    rho = _member_array("inducement", inducement, n, 0.0)
    return coalition.value_of_success, burden, coalition.audience_cost, rho


def sanctions_game(
    governments: Coalition | West | Sequence[WesternGovernment],
    *,
    aggregation: str = "sum",
    threshold: float = 0.5,
    period: float = 0,
    inducement: Any = 0.0,
) -> NormalFormGame:
    """The sanctions-participation game among the members as a :class:`NormalFormGame`.

    Each member chooses ``"sanction"`` (strategy 0) or ``"defect"`` (strategy 1); with
    ``S`` the sanctioning set, member ``i`` gets
    ``b_i * Pi(S) - kappa_i(t) [i in S] + (rho_i - a_i) [i not in S]``, ``Pi`` being
    :func:`coalition_pressure` of the binary support. Meant for small coalitions (the
    payoff array has ``2^n * n`` entries; at most 12 members).

    Parameters
    ----------
    governments : Coalition, West or sequence of WesternGovernment
        The members (a :class:`West` contributes its ``governments``).
    aggregation : {"sum", "weakest_link", "threshold"}
        How the members' support aggregates into pressure (:func:`coalition_pressure`).
    threshold : float
        Weight share in ``[0, 1]`` needed under ``"threshold"`` aggregation.
    period : float
        Periods of fatigue ``t >= 0`` (burdens grow as in :func:`burden_at`).
    inducement : float or array_like
        Russia's inducement ``rho_i >= 0``, one number for all or one per member.

    Returns
    -------
    NormalFormGame
        An ``n``-player game with strategies ``("sanction", "defect")`` for every member,
        players named after the members.

    Raises
    ------
    ParameterError
        If a number is outside its range above.
    ValueError
        If ``aggregation`` is not one of the three, ``inducement`` has neither one entry nor
        one per member, ``governments`` is empty or it has more than 12 members.

    Examples
    --------
    >>> from simulator import solve
    >>> game = sanctions_game(Coalition(("A", "B"), [1, 1], [0.25, 0.3], [0, 0], [3, 1],
    ...                                 [0, 0], [0.5, 0.5]))
    >>> [eq.support_labels for eq in solve(game, method="pure")]
    [(('sanction',), ('defect',))]
    """
    coalition = _as_coalition(governments)
    aggregation = _aggregation(aggregation)
    tau = _threshold(threshold)
    n = coalition.size
    if n > 12:
        raise ValueError(f"sanctions_game builds 2^n payoff cells; n = {n} exceeds the limit 12")
    b, burden, a, rho = _game_terms(coalition, period, inducement)
    support = _profile_support(n)
    pressure = np.asarray(coalition_pressure(support, coalition.weights, aggregation, tau))
    payoffs = b * pressure[..., None] - np.where(support, burden, a - rho)
    return NormalFormGame(
        payoffs,
        players=list(coalition.names),
        strategies=[list(STRATEGIES)] * n,
        title=f"Sanctions participation ({aggregation} aggregation)",
    )


def predicted_equilibria(
    governments: Coalition | West | Sequence[WesternGovernment],
    *,
    aggregation: str = "sum",
    threshold: float = 0.5,
    period: float = 0,
    inducement: Any = 0.0,
) -> list[tuple[bool, ...]]:
    """The pure equilibria of :func:`sanctions_game` in closed form (``True`` = sanctions).

    With ``g_i = a_i - rho_i - kappa_i(t)`` (gain from sanctioning when not pivotal) and
    ``h_i = b_i * Delta_i + g_i``:

    * ``"sum"``: ``Delta_i = w_i / W`` whatever the others do, so sanctioning is dominant
      iff ``h_i > 0``: one equilibrium, the supporters of :func:`member_support`
      (members with ``h_i = 0`` may go either way).
    * ``"weakest_link"``: full cohesion iff every ``h_i >= 0``; a lone defector ``j`` with
      ``h_j <= 0`` while all others have ``g_i >= 0``; or collapse, where at least two
      members defect, those with ``g_i > 0`` sanction and those with ``g_i < 0`` defect.
    * ``"threshold"``: ``S`` is an equilibrium iff every pivotal supporter has
      ``b_i + g_i >= 0``, every non-pivotal supporter ``g_i >= 0``, every outsider who
      would tip the threshold ``b_j + g_j <= 0`` and every other outsider ``g_j <= 0``
      (checked for all ``2^n`` sets at once).

    Parameters
    ----------
    governments : Coalition, West or sequence of WesternGovernment
        The members (a :class:`West` contributes its ``governments``).
    aggregation : {"sum", "weakest_link", "threshold"}
        How the members' support aggregates into pressure (:func:`coalition_pressure`).
    threshold : float
        Weight share in ``[0, 1]`` needed under ``"threshold"`` aggregation.
    period : float
        Periods of fatigue ``t >= 0`` (burdens grow as in :func:`burden_at`).
    inducement : float or array_like
        Russia's inducement ``rho_i >= 0``, one number for all or one per member.

    Returns
    -------
    list of tuple of bool
        One tuple per pure equilibrium, ``True`` where the member sanctions, in the
        lexicographic order of the game's profiles (sanctioning first).

    Raises
    ------
    ParameterError
        If a number is outside its range above.
    ValueError
        If ``aggregation`` is not one of the three, ``inducement`` has neither one entry nor
        one per member, or ``governments`` is empty.

    Examples
    --------
    Two members who both value success but gain nothing unless pivotal: cohesion and
    collapse are both equilibria under the weakest link.

    >>> c = Coalition(("A", "B"), [1, 1], [0.3, 0.3], [0, 0], [1, 1], [0, 0], [0.5, 0.5])
    >>> predicted_equilibria(c, aggregation="weakest_link")
    [(True, True), (False, False)]
    """
    coalition = _as_coalition(governments)
    aggregation = _aggregation(aggregation)
    tau = _threshold(threshold)
    b, burden, a, rho = _game_terms(coalition, period, inducement)
    g = a - rho - burden
    w = coalition.weights
    if aggregation == "sum":
        h = b * w / w.sum() + g
        options = [(True,) if x > 0 else (False,) if x < 0 else (True, False) for x in h]
        found = set(itertools.product(*options))
    elif aggregation == "weakest_link":
        found = _weakest_link_equilibria(b + g, g)
    else:
        found = _threshold_equilibria(b, g, w, tau)
    return sorted(found, key=lambda s: tuple(not x for x in s))


def _weakest_link_equilibria(h: np.ndarray, g: np.ndarray) -> set[tuple[bool, ...]]:
    n = h.size
    found: set[tuple[bool, ...]] = set()
    if np.all(h >= 0):
        found.add((True,) * n)
    for j in range(n):
        others = np.arange(n) != j
        if h[j] <= 0 and np.all(g[others] >= 0):
            found.add(tuple(bool(x) for x in others))
    # collapse: the fixed members plus any split of the indifferent ones
    free = np.flatnonzero(g == 0)
    for bits in itertools.product((True, False), repeat=free.size):
        s = g > 0
        s[free] = bits
        if n - s.sum() >= 2:
            found.add(tuple(bool(x) for x in s))
    return found


def _threshold_equilibria(
    b: np.ndarray, g: np.ndarray, w: np.ndarray, tau: float
) -> set[tuple[bool, ...]]:
    n = w.size
    s = ((np.arange(2**n)[:, None] >> np.arange(n)[::-1]) & 1) == 0
    share = s @ w / w.sum()
    total = share[:, None]
    wi = (w / w.sum())[None, :]
    reached = total + _SHARE_TOL >= tau
    pivotal_in = s & reached & ~(total - wi + _SHARE_TOL >= tau)
    tipping_out = ~s & ~reached & (total + wi + _SHARE_TOL >= tau)
    ok_in = np.where(pivotal_in, b + g >= 0, g >= 0)
    ok_out = np.where(tipping_out, b + g <= 0, g <= 0)
    stable = np.where(s, ok_in, ok_out).all(axis=1)
    return {tuple(bool(x) for x in row) for row in s[stable]}
