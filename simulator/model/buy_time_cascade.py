"""The searches for mixed equilibria of a buy-time stage, run in turn at the states where no
pure assignment of messages is an equilibrium, and the play kept where none succeeds.

:meth:`.buy_time_game._Stage.solve` solves every state of a period for a pure assignment
first; the states left go through :func:`search_mixed`: one type mixing
(:mod:`.buy_time_mixed`), the next period's semi-separating equilibrium at the state,
continued (:mod:`.buy_time_continued`), two types mixing (:mod:`.buy_time_two_types`), pooling
deterred off the path (:mod:`.buy_time_off_path`), any number of types mixing with the
receivers' play fixed (:mod:`.buy_time_interior`) or switching (:mod:`.buy_time_switching`),
lotteries over the receivers' equilibria (:mod:`.buy_time_lotteries`), one type mixing beside
any of them (:mod:`.buy_time_one_mixer`), pooling deterred by Ukraine mixing at a tie
(:mod:`.buy_time_tie_off_path`) and, with a verified withdrawal, the types mixing over all
three messages (:mod:`.buy_time_three_messages`). Each search's plays are held to the
certificate's test of the receivers (:func:`.buy_time_certificate.verified`). Where none
succeeds, the play kept is the one closest to an equilibrium (:func:`keep_closest`); where even
that is no equilibrium, the lottery search's last round (:mod:`.buy_time_every_play`: every
play of the receivers, many starts, damped steps) is tried, and its closest point compared
with the play kept.

Every search works state by state (vectorised over states, each state's result its own), so
the states may be split among processes and the results are the same, bit for bit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from simulator.model import rules
from simulator.model.buy_time_certificate import receivers_regret, snap_lotteries, verified
from simulator.model.buy_time_continued import continued_mixed
from simulator.model.buy_time_every_play import every_play_mixed
from simulator.model.buy_time_interior import interior_mixed
from simulator.model.buy_time_lotteries import Closest, lottery_mixed
from simulator.model.buy_time_mixed import mixed as mixed_equilibria
from simulator.model.buy_time_off_path import pooling_off_path
from simulator.model.buy_time_one_mixer import one_mixer
from simulator.model.buy_time_pooling_limit import pool_at_the_limit
from simulator.model.buy_time_switching import switching_mixed
from simulator.model.buy_time_three_messages import three_message_mixed
from simulator.model.buy_time_tie_off_path import tie_off_path
from simulator.model.buy_time_two_types import two_type_mixed
from simulator.model.buy_time_withdrawal import closest_in_stage, deterring, two_message_views

__all__ = ["keep_closest", "largest_gains", "search_mixed", "type_gains"]

_EQ = 0  # Russia's equilibrium plan (its first column of plans)


def search_mixed(
    stage: Any,
    left: np.ndarray,
    sender: np.ndarray,
    at: dict,
    table: dict,
    sets: np.ndarray,
    gov_table: np.ndarray,
    tol: float,
    present: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Search the states ``left`` for mixed equilibria, filling ``sender`` and ``at`` there.

    Parameters
    ----------
    stage : _Stage
        The period being solved (:class:`.buy_time_game._Stage`).
    left : numpy array of int
        The states without a pure equilibrium, ascending; their fallback plays are in
        ``sender`` and ``at``.
    sender : numpy array, shape (S, 4, M)
        Each type's probability of each message, filled in place at ``left``.
    at : dict of str to numpy array
        Each message's play, filled in place at ``left``.
    table : dict of str to numpy array
        The receivers' play after each message at every restricted belief (``russia``,
        ``ukraine``, ``profile``, ``reply``).
    sets : numpy array of int, shape (S, M)
        The restricted belief the pure search states after each message.
    gov_table : numpy array, shape (S, 15, M)
        The governments' residual gain at each restricted belief.
    tol : float
        The tolerance the certificate is judged by at this stage.
    present : numpy array of bool, shape (S, 4)
        The types the public has not ruled out.

    Returns
    -------
    still : numpy array of int
        The states of ``left`` where no equilibrium was found (their play is the closest to
        one reached).
    pooled : numpy array of int
        The states of ``left`` solved where every type sends one message for sure.
    found_gain : numpy array, shape (S,)
        The receivers' largest gain at each state of ``left`` solved (0 elsewhere).
    """
    found_gain = np.zeros(sender.shape[0])

    def check(search: Callable[[np.ndarray], np.ndarray], states: np.ndarray) -> np.ndarray:
        return verified(stage, search, states, sender, at, tol, rules.TOL, found_gain)

    rule = rules.TOL  # the searches' own tolerance
    still = check(lambda part: mixed_equilibria(stage, part, table, sets, sender, at), left)
    # The searches that need exactly two messages: where the offer has a verified step, they
    # run on the stage with fighting and talks, fighting and the withdrawal, then talks and
    # the withdrawal, the third message deterred off the path (buy_time_withdrawal).
    views = two_message_views(stage)

    def two(run: Callable[..., np.ndarray]) -> Callable[[np.ndarray], np.ndarray]:
        if not views:
            return lambda part: run(stage, part, sender, at)
        runs = [deterring(stage, v, run, sender, at, table, gov_table, tol) for v in views]

        def each_view(part: np.ndarray) -> np.ndarray:
            for one in runs:
                part = one(part)
            return part

        return each_view

    # where the one-type search found none, the next period's semi-separating equilibrium at
    # the state, continued (on the stage itself; its policy records fighting and talking
    # only): it solves most states the searches below would, for less
    still = check(
        lambda part: continued_mixed(stage, part, sender, at, rule, stage.previous), still
    )
    still = check(two(lambda st, p, x, a: two_type_mixed(st, p, x, a, rule)), still)
    pooled = still
    still = check(two(lambda st, p, x, a: pooling_off_path(st, p, x, a, rule)), still)
    pooled = np.setdiff1d(pooled, still)
    # where the interior search stalled, by stage (the stage itself or a view of it)
    stalls: dict[int, dict] = {}
    still = check(
        two(lambda st, p, x, a: interior_mixed(st, p, x, a, rule, stalls.setdefault(id(st), {}))),
        still,
    )
    still = check(
        two(lambda st, p, x, a: switching_mixed(st, p, x, a, rule, stalls.setdefault(id(st), {}))),
        still,
    )
    # the lottery search also records the points closest to an equilibrium at the states it
    # leaves (on the stage itself, or on each view of it)
    closest = {id(stage): Closest(sender, at)}

    def lottery(st: Any, p: np.ndarray, x: np.ndarray, a: dict) -> np.ndarray:
        record = closest.setdefault(id(st), Closest(x, a))
        return lottery_mixed(st, p, x, a, rule, record)

    still = check(two(lottery), still)
    still = check(two(lambda st, p, x, a: one_mixer(st, p, x, a, rule)), still)
    # the last resort: pooling on fighting, talks deterred off the path by Ukraine's mixed
    # reply at a tie
    deterred = still
    still = check(two(lambda st, p, x, a: tie_off_path(st, p, x, a, rule)), still)
    pooled = np.union1d(pooled, np.setdiff1d(deterred, still))
    # with a verified withdrawal, where no view solves a state: every message sent, the types
    # mixing over all three (its points closest to an equilibrium recorded where it finds none)
    three = Closest(sender, at)
    still = check(lambda part: three_message_mixed(stage, part, sender, at, rule, three), still)

    # Where no search found an equilibrium, the play kept is the one closest to an
    # equilibrium of those reached: the pure fallback, the lottery search's point with the
    # smallest largest gain or its pooling limit (judged by the certificate's rule); should
    # that gain be within the tolerance, the play is an equilibrium, pooling where every type
    # sends one message for sure.
    def alternatives(records: dict[int, Closest], states: np.ndarray) -> list[Closest]:
        """The closest points recorded on the stage and on each view, as the stage's plays
        (a view's pooling limit taken at ``states``)."""
        out = [records[id(stage)]] if id(stage) in records else []
        for v in views:
            if id(v.stage) not in records:
                continue
            found = records[id(v.stage)]
            out.append(closest_in_stage(stage, v, found, sender, at, table, gov_table))
            # and the pooling limit of a view's point (on the view's two messages), the message
            # left out deterred as for the point itself
            limit = Closest(found.sender, found.at)
            limit.gain[pool_at_the_limit(v.stage, states, limit.sender, limit.at)] = 0.0
            out.append(closest_in_stage(stage, v, limit, sender, at, table, gov_table))
        return out

    def keep(states: np.ndarray, records: dict[int, Closest]) -> np.ndarray:
        """Keep the closest play at ``states``; return where it is an equilibrium after all."""
        found = alternatives(records, states)
        if np.isfinite(three.gain[states]).any():  # (with a verified withdrawal only)
            found.append(three)
        exact = keep_closest(stage, states, sender, at, found, present, tol)
        found_gain[exact] = receivers_regret(stage, exact, at)
        return exact

    exact = keep(still, closest)
    still = np.setdiff1d(still, exact)
    if still.size:
        # where even that leaves a state, the lottery search's last round: every play that is
        # an equilibrium of the receivers' game somewhere, from many starts; its closest
        # points are compared with the play kept
        last = {id(stage): Closest(sender, at)}

        def every_play(st: Any, p: np.ndarray, x: np.ndarray, a: dict) -> np.ndarray:
            record = last.setdefault(id(st), Closest(x, a))
            return every_play_mixed(st, p, x, a, rule, record)

        still = check(two(every_play), still)
        if still.size:
            again = keep(still, last)
            exact = np.union1d(exact, again)
            still = np.setdiff1d(still, again)
    sure = np.all((sender[exact] == 0.0) | (sender[exact] == 1.0), axis=(1, 2))
    pooled = np.union1d(pooled, exact[sure])
    return still, pooled, found_gain


def largest_gains(
    stage: Any, rows: np.ndarray, sender: np.ndarray, at: dict, present: np.ndarray
) -> np.ndarray:
    """The largest gain of any player at states ``rows`` under ``sender`` and ``at``.

    Parameters
    ----------
    stage : _Stage
        The period being solved.
    rows : numpy array of int
        States.
    sender : numpy array, shape (S, 4, M)
        Each type's probability of each message.
    at : dict of str to numpy array
        Each message's play.
    present : numpy array of bool, shape (S, 4)
        The types the public has not ruled out.

    Returns
    -------
    numpy array, shape (rows.size,)
        Each present type's gain from another message, each receiver's
        (:func:`.buy_time_certificate.receivers_regret`): the largest.
    """
    available = stage.s.tables.available[0]
    values = np.where(available[:, None], at["russia"][rows][..., _EQ], -np.inf)
    _, _, gain = type_gains(values, sender[rows], present[rows])
    return np.maximum(gain, receivers_regret(stage, rows, at))


def keep_closest(
    stage: Any,
    states: np.ndarray,
    sender: np.ndarray,
    at: dict,
    alternatives: list[Closest],
    present: np.ndarray,
    tol: float,
) -> np.ndarray:
    """At ``states`` without an equilibrium, keep the play closest to one.

    Of their play in ``sender`` and ``at`` and the searches' closest points
    (``alternatives``), and then the pooling limit of the play kept
    (:func:`.buy_time_pooling_limit.pool_at_the_limit`), the one with the smallest largest
    gain of any player (:func:`largest_gains`) is written into ``sender`` and ``at``.

    Parameters
    ----------
    stage : _Stage
        The period being solved.
    states : numpy array of int
        The states without an equilibrium.
    sender : numpy array, shape (S, 4, M)
        Each type's probability of each message, filled in place.
    at : dict of str to numpy array
        Each message's play, filled in place.
    alternatives : list of Closest
        The searches' closest points.
    present : numpy array of bool, shape (S, 4)
        The types the public has not ruled out.
    tol : float
        The tolerance the certificate is judged by.

    Returns
    -------
    numpy array of int
        The states of ``states`` where the gain kept is within ``tol`` (equilibria after all).
    """
    if states.size == 0:
        return states
    kept = largest_gains(stage, states, sender, at, present)

    def adopt(alternative: Closest) -> None:
        """Copy the alternative's rows where it leaves a smaller largest gain."""
        has = np.isfinite(alternative.gain[states])
        if not has.any():
            return
        rows = states[has]
        trial = largest_gains(stage, rows, alternative.sender, alternative.at, present)
        better = trial < kept[has]
        for key, value in at.items():
            value[rows[better]] = alternative.at[key][rows[better]]
        sender[rows[better]] = alternative.sender[rows[better]]
        kept[np.flatnonzero(has)[better]] = trial[better]

    for alternative in alternatives:
        snap_lotteries(alternative.at, rules.TOL)
        adopt(alternative)
    # where the point kept is near pooling on fighting, its pooling limit
    limit = Closest(sender, at)
    rows = pool_at_the_limit(stage, states[kept > tol], limit.sender, limit.at)
    limit.gain[rows] = 0.0  # written there (the certificate's measure decides)
    adopt(limit)
    return states[kept <= tol]


def type_gains(
    values: np.ndarray, sender: np.ndarray, present: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each type's equilibrium value and the largest gain of any type from another message.

    An absent type is given its best message (it constrains no one).

    Parameters
    ----------
    values : numpy array, shape (n, M, 4)
        Each type's value of each message (``-inf`` where unavailable).
    sender : numpy array, shape (n, 4, M)
        Each type's strategy.
    present : numpy array of bool, shape (n, 4)
        The types the public has not ruled out.

    Returns
    -------
    tuple of numpy arrays
        The strategies so completed (n, 4, M), the values (n, 4) and the largest gain (n,).
    """
    M = values.shape[1]
    absent = ~present
    if absent.any():
        reply_to = np.eye(M)[values.argmax(axis=1)]  # (n, 4, M)
        sender = np.where(absent[..., None], reply_to, sender)
    eq_val = np.einsum("skm,smk->sk", sender, np.where(np.isfinite(values), values, 0))
    return sender, eq_val, (values.max(axis=1) - eq_val).max(axis=1)
