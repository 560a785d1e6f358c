"""Offers and moves in the expected-utility model: who proposes, who moves, which offer wins.

Part of :mod:`simulator.model.published.expected_utility`, which re-exports every public name
here.

Source: J. B. Scholz, G. J. Calbert & G. A. Smith (2011), "Unravelling Bueno De Mesquita's
group decision model", *Journal of Theoretical Politics* 23(4) (also ICAART 2011), which
reconstructs the model of B. Bueno de Mesquita (1994), "Political forecasting: an expected
utility method", in *European Community Decision Making* (Yale UP), and earlier work
(Bueno de Mesquita 1980, 1985, *APSR*). Equation numbers below are Scholz et al.'s.

6. **Offers and moves** (section 6, fig. 6, eqs. 35-36): for each pair, the actor with
   the larger positive expected utility proposes. If the other also expects to gain
   (*conflict*), it concedes fully (the confrontation octants); if it expects to lose
   less than the proposer gains (*compromise*), it moves the fraction
   ``|E^j(U_ji)/E^i(U_ij)|`` of the way; if it expects to lose more (*capitulation*), it
   moves fully. Each actor accepts the offer of the proposer with the highest expected
   utility (the most enforceable), and among equally enforceable offers the one that moves
   it least (section 6.2).

The ``conflict`` option reads a conflict either as Scholz et al.'s fig. 6 does (``"concede"``)
or as Bueno de Mesquita 1997's "uncertain outcome" (``"none"``); ``selection`` is the other
choice they leave open.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from simulator.model.published.expected_utility_votes import _choice, _span, _vector

__all__ = ["Offers", "make_offers", "select_offers"]

CONFLICT_RULES = ("concede", "none")
#: Expected utilities within this of each other (or of zero) count as equal: utilities lie
#: in [-4, 4], and exact ties must not be decided by rounding noise.
EU_TOL = 1e-12
SELECTION_RULES = ("enforceability", "least_move")


# ---------------------------------------------------------------------------- offers
@dataclass(frozen=True, eq=False)
class Offers:
    """The proposals of one round, indexed ``[proposer, mover]``.

    Attributes
    ----------
    valid : numpy bool array, shape (n, n)
        Whether the proposer makes the mover an offer.
    target : numpy array, shape (n, n)
        The position the mover would move to.
    enforceability : numpy array, shape (n, n)
        The proposer's expected utility ``E^p(U_pm)`` (higher = more enforceable).
    kind : numpy str array, shape (n, n)
        ``"conflict"``, ``"compromise"``, ``"capitulation"`` or ``""`` (no offer).
    """

    valid: np.ndarray
    target: np.ndarray
    enforceability: np.ndarray
    kind: np.ndarray


def make_offers(positions: Any, challenge_eu: Any, conflict: str = "concede") -> Offers:
    """Classify every pair by the octant of ``(E^i(U_ij), E^j(U_ji))`` and form the offers.

    The proposer ``p`` is the side with the larger, positive expected utility; the mover
    ``m`` goes to ``x_m + f (x_p - x_m)`` with ``f = 1`` in conflict (both expect to gain;
    ``conflict="none"`` makes no offer there instead) and ``f = min(1, |E^m|/E^p)``
    otherwise (compromise, eqs. 35-36, or capitulation). Expected utilities within
    ``EU_TOL`` of each other or of zero count as ties (no offer).

    Parameters
    ----------
    positions : array_like, shape (n,)
        The actors' current positions.
    challenge_eu : array_like, shape (n, n)
        ``E[i, j] = E^i(U_ij)``, e.g. from :func:`challenge_utilities`.
    conflict : {"concede", "none"}
        Whether in conflict the mover concedes fully or no offer is made.

    Returns
    -------
    Offers
        The offers indexed ``[proposer, mover]``; ``nan`` targets and enforceabilities and
        kind ``""`` where no offer is made.

    Raises
    ------
    ParameterError
        If a position is not finite.
    ValueError
        If ``positions`` is not 1-D, ``challenge_eu`` is not of shape ``(n, n)`` or
        ``conflict`` is unknown.

    Examples
    --------
    >>> o = make_offers([0, 10], [[0, 1.0], [-0.25, 0]])
    >>> o.kind.tolist(), float(o.target[0, 1])
    ([['', 'compromise'], ['', '']], 7.5)
    """
    x = _vector("positions", positions)
    a = np.asarray(challenge_eu, dtype=float)
    if a.shape != (x.size, x.size):
        raise ValueError(f"challenge_eu must have shape ({x.size}, {x.size}); got {a.shape}")
    _choice("conflict", conflict, CONFLICT_RULES)
    b = a.T
    # positions closer than rounding noise are the same position
    distinct = np.abs(x[:, None] - x[None, :]) > 1e-12 * max(_span(x), 1e-300)
    both_gain = b > EU_TOL
    valid = distinct & (a > EU_TOL) & (a > b + EU_TOL)
    if conflict == "none":
        valid &= ~both_gain
    ratio = np.divide(np.abs(b), a, out=np.ones_like(a), where=valid)
    frac = np.where(both_gain, 1.0, np.minimum(1.0, ratio))
    target = x[None, :] + frac * (x[:, None] - x[None, :])
    kind = np.where(both_gain, "conflict", np.where(frac >= 1.0, "capitulation", "compromise"))
    return Offers(
        valid=valid,
        target=np.where(valid, target, np.nan),
        enforceability=np.where(valid, a, np.nan),
        kind=np.where(valid, kind, ""),
    )


def select_offers(positions: Any, offers: Offers, selection: str = "enforceability") -> np.ndarray:
    """Each actor's new position: the offer it accepts, or its old position if none.

    ``"enforceability"`` (Scholz et al., section 6.2): the offer of the proposer with the
    highest expected utility; among equally enforceable offers, the one that moves it
    least. ``"least_move"``: the offer that moves it least. Remaining ties go to the
    proposer listed first.

    Parameters
    ----------
    positions : array_like, shape (n,)
        The actors' current positions.
    offers : Offers
        The offers of the round, from :func:`make_offers` on the same positions.
    selection : {"enforceability", "least_move"}
        How an actor chooses among the offers it receives.

    Returns
    -------
    numpy.ndarray, shape (n,)
        The new positions.

    Raises
    ------
    ParameterError
        If a position is not finite.
    ValueError
        If ``positions`` is not 1-D or ``selection`` is unknown.

    Examples
    --------
    >>> o = make_offers([0, 10, 4], [[0, 1.0, 2.0], [-0.25, 0, -1], [-3, 0.5, 0]])
    >>> select_offers([0, 10, 4], o).tolist()
    [0.0, 7.5, 0.0]
    """
    x = _vector("positions", positions)
    _choice("selection", selection, SELECTION_RULES)
    valid = offers.valid
    candidates = valid.copy()
    if selection == "enforceability":
        enf = np.where(valid, offers.enforceability, -np.inf)
        best = enf.max(axis=0)
        scale = 1e-12 * max(1.0, float(np.nanmax(np.abs(offers.enforceability), initial=0.0)))
        candidates &= enf >= best[None, :] - scale
    move = np.where(candidates, np.abs(offers.target - x[None, :]), np.inf)
    chosen = np.argmin(move, axis=0)
    moved = valid.any(axis=0)
    return np.where(moved, offers.target[chosen, np.arange(x.size)], x)
