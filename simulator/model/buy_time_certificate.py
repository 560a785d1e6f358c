"""The receivers' part of a buy-time stage's certificate: Ukraine's and each government's
largest gain from deviating at the plays the stage's policy records.

A stage's play after each message (:class:`.buy_time_results.Policy`: the belief it states and one
or two plays, each a profile of the governments' stances and Ukraine's reply) must be an
equilibrium of the receivers' game at that belief, on the path and off it (sequential
rationality; Kreps & Wilson 1982, "Sequential equilibria", *Econometrica* 50). For each play:

- Ukraine's gain: its best reply's expected value at the profile played minus its reply's;
- each government's gain: its payoff when it flips its own stance minus its payoff at the play,
  with Ukraine answering the profile the flip reaches (off the play) by the reply that leaves
  the least gain to anyone, the government's or Ukraine's own regret of that reply: at a tie,
  the reply that deters the flip (Ukraine's strategy off the play may be any best reply).

A gain within twice the stage's tie tolerance (``rules.TOL x max(1, |payoff|)``, the rule by
which the stage chooses Ukraine's replies and the governments' stable profiles) is a tie
(:data:`_TIES`).

The searches for mixed equilibria accept a candidate only where these gains are within the
tolerance; this module computes them again at what the policy records, so the certificate
covers every player of the stage, whichever search found its play.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from simulator.model import rules
from simulator.model.buy_time_setup import FIGHT_ON

__all__ = [
    "governments_tie",
    "mixed_gain",
    "receivers_regret",
    "snap_lotteries",
    "ukraine_regret",
    "verified",
]

_REPLIES = 3  # sign, ceasefire, fight on (buy_time_setup.REPLIES)
#: A receiver's gain at or below this many times the stage's tie tolerance (``rules.TOL x
#: max(1, |payoff|)``, by which the stage chooses Ukraine's replies and the governments' stable
#: profiles) is a tie. The searches put posteriors where those rules switch, located to about
#: 1e-13 in probability, so at such a tie the gap is the tolerance itself plus that bracket:
#: twice the tolerance keeps these ties ties while any gain a person could see is counted.
_TIES = 2.0


def receivers_regret(stage: Any, states: np.ndarray, at: dict) -> np.ndarray:
    """The largest gain of Ukraine or of a government at the plays recorded at ``states``.

    Parameters
    ----------
    stage : _Stage
        The period being solved (:class:`simulator.model.buy_time_game._Stage`): its options
        (``_options``), Ukraine's expected values (``ukraine_expected``) and the governments'
        payoffs (``government_payoffs``) at any belief.
    states : numpy array of int, shape (R,)
        The states whose plays are checked.
    at : dict of str to numpy array
        Each message's play, as the stage records it: ``belief`` (S, M, 4), ``profile``,
        ``reply``, ``profile2``, ``reply2`` (S, M) (a lottery's two plays; equal where there is
        one) and ``lottery`` (S, M), the second play's weight (a play of weight 0 is not played
        and not checked).

    Returns
    -------
    numpy array, shape (R,)
        The largest gain of any receiver at any play, message and state (0 if none gains).
    """
    tables = stage.s.tables
    available = np.asarray(tables.available[0], dtype=bool)
    R = states.size
    out = np.zeros(R)
    if R == 0:
        return out
    r = np.arange(R)
    n = tables.hold.shape[1]
    for m in np.flatnonzero(available):
        pi = at["belief"][states, m]
        options = stage._options(states, pi, bool(tables.verified[m]))
        # Ukraine's regret of each reply at each profile (after fighting it fights on)
        regret = np.full((R, stage.P, _REPLIES), np.inf)
        if tables.fights(m):
            regret[..., FIGHT_ON] = 0.0
        else:
            regret = ukraine_regret(stage.ukraine_expected(pi, options))  # (R, P, 3)
        replies = np.flatnonzero(np.isfinite(regret).any(axis=(0, 1)))
        payoff = np.full((_REPLIES, R, stage.P, n), np.inf)
        for k in replies:
            payoff[k] = stage.government_payoffs(pi, int(m), options, k)
        y = at["lottery"][states, m]  # the weight of the second play
        tie = governments_tie(payoff)
        plays = (("profile", "reply", 1.0 - y), ("profile2", "reply2", y))
        for j, (key_p, key_r, weight) in enumerate(plays):
            p = at[key_p][states, m].astype(np.int64)
            k = at[key_r][states, m].astype(np.int64) if m != 0 else np.full(R, FIGHT_ON)
            gain = regret[r, p, k]
            own = payoff[k, r, p]  # (R, n)
            mixing = at["receivers_mix"][states, m, j]
            if mixing.any():
                w = np.flatnonzero(mixing & (weight > 0))
                mixed = mixed_gain(
                    regret[w],
                    payoff[:, w],
                    at["mixed_profile"][states[w], m, j].astype(np.int64),
                    at["mixed_reply"][states[w], m, j].astype(np.int64)
                    if m != 0
                    else np.full((w.size, 4), FIGHT_ON),
                    at["mixed_weight"][states[w], m, j],
                    tie[w],
                )
                out[w] = np.maximum(out[w], mixed)
                weight = np.where(mixing, 0.0, weight)  # checked as a mixed play
            for i in range(n):
                flipped = p ^ (1 << i)
                # Ukraine answers the flip with the reply that leaves the least gain to anyone:
                # the government's from flipping, or its own from that reply
                after = payoff[:, r, flipped, i] - own[None, :, i]  # (3, R)
                after = np.where(after <= tie, 0.0, after)
                answer = np.maximum(after, regret[r, flipped].T).min(axis=0)
                gain = np.maximum(gain, answer)
            out = np.maximum(out, np.where(weight > 0, gain, 0.0))  # a play never played: moot
    return out


def ukraine_regret(exp_u: np.ndarray) -> np.ndarray:
    """Ukraine's regret of each reply at each profile (..., P, 3), from its expected payoffs
    (``-inf`` where a reply is not available: regret the largest float); a regret within twice
    the stage's tie tolerance (``rules.TOL x max(1, |best|)``, as ``_Stage._profiles``) is 0.

    Parameters
    ----------
    exp_u : numpy array, shape (..., 3)

    Returns
    -------
    numpy array, shape (..., 3)

    Examples
    --------
    >>> regret = ukraine_regret(np.array([1.0, -np.inf, 1.0 - 1e-12]))
    >>> regret[0], regret[1] > 1e300, regret[2]
    (np.float64(0.0), np.True_, np.float64(0.0))
    """
    best = exp_u.max(-1, keepdims=True)
    regret = np.nan_to_num(best - exp_u, nan=np.inf)
    tie_u = _TIES * rules.TOL * np.maximum(1.0, np.abs(best))
    return np.where(regret <= tie_u, 0.0, regret)


def governments_tie(payoff: np.ndarray) -> np.ndarray:
    """The governments' tie tolerance per row (R,): twice ``rules.TOL x max(1, |payoff|)``
    over the finite payoffs ``payoff`` (3 replies, R, P, n) (as ``select_profile``).

    Parameters
    ----------
    payoff : numpy array, shape (3, R, P, n)

    Returns
    -------
    numpy array, shape (R,)
    """
    finite = np.where(np.isfinite(payoff), np.abs(payoff), 0.0).max(axis=(0, 2, 3))
    return _TIES * rules.TOL * np.maximum(1.0, finite)


def mixed_gain(
    regret: np.ndarray,
    payoff: np.ndarray,
    profile: np.ndarray,
    reply: np.ndarray,
    weight: np.ndarray,
    tie: np.ndarray,
) -> np.ndarray:
    """The largest gain of any receiver (R,) at plays where the receivers mix.

    Each row's play is the profiles ``profile`` (R, 4) with probabilities ``weight`` (R, 4),
    Ukraine answering each with ``reply`` (R, 4) (:mod:`.buy_time_government_mixing`).
    Ukraine's gain is its regret at any profile that occurs. A government's gain is the best
    of its two stances, each played against the others' mixture, over its expected payoff:
    at a profile the play reaches Ukraine answers as recorded (where it mixes there, with its
    mixture), at any other by its best reply that leaves the government least (as a pure
    play's deviation is answered).

    Parameters
    ----------
    regret : numpy array, shape (R, P, 3)
        Ukraine's regret of each reply at each profile (:func:`ukraine_regret`).
    payoff : numpy array, shape (3, R, P, n)
        Each government's payoff at each profile when Ukraine replies with each reply.
    profile, reply : numpy arrays of int, shape (R, 4)
        The play's (profile, reply) pairs.
    weight : numpy array, shape (R, 4)
        Their probabilities.
    tie : numpy array, shape (R,)
        Gains within it are ties (:func:`governments_tie`).

    Returns
    -------
    numpy array, shape (R,)
        The largest gain of Ukraine or of any government (0 if none gains).
    """
    R = profile.shape[0]
    n = payoff.shape[-1]
    r = np.arange(R)[:, None]
    occurs = weight > 0
    out = np.where(occurs, regret[r, profile, reply], 0.0).max(axis=1)
    # Ukraine's answer at any profile off the play: its best reply least good for each
    # government (R, P, n)
    best = regret <= 0.0  # (R, P, 3)
    answered = np.where(best.transpose(2, 0, 1)[..., None], payoff, np.inf).min(axis=0)
    for i in range(n):
        expected = (weight * payoff[reply, r, profile, i]).sum(axis=1)
        for stance in (0, 1):
            moved = (profile & ~(1 << i)) | (stance << i)  # (R, 4)
            # where the moved profile occurs in the play, Ukraine answers as recorded there (if
            # it mixes at that profile, its mixture: the recorded replies by their weights)
            match = (moved[:, :, None] == profile[:, None, :]) & occurs[:, None, :]
            at_match = np.where(match, weight[:, None, :], 0.0)  # (R, 4 moved, 4 recorded)
            recorded = payoff[reply[:, None, :], r[..., None], profile[:, None, :], i]
            mass = at_match.sum(axis=2)
            value = np.where(
                mass > 0,
                (at_match * recorded).sum(axis=2) / np.where(mass > 0, mass, 1.0),
                answered[r, moved, i],
            )
            gain = (weight * value).sum(axis=1) - expected
            out = np.maximum(out, np.where(gain <= tie, 0.0, gain))
    return out


def snap_lotteries(at: dict, tol: float) -> None:
    """Set lottery weights within ``tol`` of 0 or 1 to 0 or 1, in place.

    A weight found by root finding to ``1 - 1e-15`` stands for a play of the second play alone:
    the first is never played (the payoffs differ from the snapped lottery's by ``1e-15`` times
    a payoff difference, far inside the tolerance), so it is not held to the receivers' test.

    Parameters
    ----------
    at : dict of str to numpy array
        The stage's plays, with ``lottery`` (S, M).
    tol : float
        The snapping distance (the solver's relative tolerance).
    """
    y = at["lottery"]
    at["lottery"] = np.where(y <= tol, 0.0, np.where(y >= 1 - tol, 1.0, y))


def verified(
    stage: Any,
    search: Callable[[np.ndarray], np.ndarray],
    states: np.ndarray,
    sender: np.ndarray,
    at: dict,
    tol: float,
    snap: float,
    regret: np.ndarray,
) -> np.ndarray:
    """Run ``search(states)`` (a stage's search for mixed equilibria, which fills ``sender``
    and ``at`` where it finds one and returns the states it leaves) and undo what it recorded
    at any state where a receiver gains more than ``tol`` there (:func:`receivers_regret`);
    the receivers' largest gain at each state kept is written into ``regret``.

    Every search checks its candidates on its own; this holds each to the certificate's rule
    once more, so a play the certificate would reject is never kept, and the state goes on to
    the next search.

    Parameters
    ----------
    stage : _Stage
        The period being solved.
    search : callable
        ``search(states) -> states left``.
    states : numpy array of int
        The states to search, ascending.
    sender : numpy array, shape (S, 4, M)
        Each type's probability of each message (restored where a play is undone).
    at : dict of str to numpy array
        Each message's play (restored where a play is undone).
    tol : float
        The largest gain of a receiver kept (the tolerance the certificate is judged by).
    snap : float
        Lottery weights this close to 0 or 1 are set to it first (:func:`snap_lotteries`).
    regret : numpy array, shape (S,)
        Filled, at the states the search solved and that are kept, with the receivers'
        largest gain there (so the certificate need not compute it again).

    Returns
    -------
    numpy array of int
        The states left without an equilibrium, ascending.
    """
    if states.size == 0:
        return states
    saved = {key: value[states].copy() for key, value in at.items()}
    saved_sender = sender[states].copy()
    left = np.asarray(search(states), dtype=np.int64)
    solved = np.setdiff1d(states, left)
    if solved.size == 0:
        return left
    snap_lotteries(at, snap)
    gains = receivers_regret(stage, solved, at)
    regret[solved] = gains
    bad = solved[gains > tol]
    if bad.size:
        where = np.searchsorted(states, bad)
        for key, value in at.items():
            value[bad] = saved[key][where]
        sender[bad] = saved_sender[where]
    return np.union1d(left, bad).astype(np.int64)
