"""Equilibria of a buy-time stage with a verified withdrawal where one message is not sent.

Where the offer has a verified step, Russia has a third message, withdrawing, beside fighting
and talking. The searches for mixed equilibria that need exactly two messages
(:func:`~simulator.model.buy_time_receivers.first_two_messages`) do not run on such a stage.
Many of its equilibria do not use one of the three at all: the types fight or talk (or fight
or withdraw, or talk or withdraw) as in a stage without the third message, and that message, off
the path, would be met with a belief at which the receivers' play leaves no type better off
than in the equilibrium (a perfect Bayesian equilibrium puts no restriction on that belief).
The candidates are the prior restricted to each of the 15 sets of types
(:func:`~simulator.model.buy_time_setup.restrict`), as everywhere in the stage, and where none
deters, the points of a lattice of step 1/12 on the types present
(:func:`.buy_time_off_path.lattice_deterrence`, the widest margin kept): in a seeded
perturbation of ``withdrawal_reveals_weakness.yaml`` a belief of 5/6 on the weak sincere type
deters a withdrawal no restricted belief does. Where no lattice point deters it with the play
the receivers select there, a public lottery between the plays on either side of a switch of
that play may (both are best replies at the switch;
:func:`.buy_time_off_path.switch_deterrence`), and where none does, any pure equilibrium of the
receivers' game at a lattice point, not only the selected one
(:func:`.buy_time_off_path.equilibrium_deterrence`).

:func:`two_message_views` gives views of the stage with two messages available, fighting and
talking, fighting and withdrawing, then talking and withdrawing (fighting off the path; a
view's messages are reordered, and whether a message is fighting is read from the offer behind
it, ``tables.offer_of``, never from its place);
:func:`deterring` runs a two-message search on such a view and keeps its equilibrium at a
state only where some belief deters every type present from the message left out and the
receivers' play there is an equilibrium of their game. The stage's certificate then checks
every message.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np

from simulator.model.buy_time_lotteries import Closest
from simulator.model.buy_time_off_path import (
    equilibrium_deterrence,
    lattice_deterrence,
    switch_deterrence,
)
from simulator.model.buy_time_receivers import deterring_sets, record_play
from simulator.model.buy_time_setup import restrict

__all__ = ["View", "closest_in_stage", "deterring", "two_message_views"]

_EQ = 0  # Russia's equilibrium plan in the values' last axis


@dataclasses.dataclass(frozen=True)
class View:
    """A stage with two messages available.

    Parameters
    ----------
    stage : _Stage
        A shallow copy of the stage whose message ``j`` is the stage's message ``order[j]``;
        its message 2 is not available.
    order : numpy array of int, shape (3,)
        The stage's message behind each of the view's.
    """

    stage: Any
    order: np.ndarray


def two_message_views(stage: Any) -> list[View]:
    """Views of a stage with three messages in which only two are available: fighting and
    talking, fighting and withdrawing, talking and withdrawing (empty if the stage has two
    messages; the two-message searches then run on the stage itself).

    Parameters
    ----------
    stage : _Stage
        The period being solved (``simulator.model.buy_time_game._Stage``).

    Returns
    -------
    list of View
        Shallow copies sharing every table, their messages reordered.
    """
    s = stage.s
    available = np.asarray(s.tables.available, dtype=bool)
    if available.shape[1] != 3 or not available[0].all():
        return []
    views = []
    for order in ([0, 1, 2], [0, 2, 1], [1, 2, 0]):
        order = np.array(order)
        fewer = available[:, order].copy()
        fewer[:, 2] = False
        tables = dataclasses.replace(
            s.tables,
            available=fewer,
            verified=s.tables.verified[order],
            offer_of=s.tables.offer_of[order],
            messages=tuple(s.tables.messages[m] for m in order),
        )
        view = copy.copy(stage)
        view.s = dataclasses.replace(
            s,
            tables=tables,
            messages=tuple(s.messages[m] for m in order),
            inducements=s.inducements[order],
        )
        views.append(View(view, order))
    return views


def deterring(
    stage: Any,
    view: View,
    search: Callable[[Any, np.ndarray, np.ndarray, dict], np.ndarray],
    sender: np.ndarray,
    at: dict[str, np.ndarray],
    table: dict[str, np.ndarray],
    governments_gain: np.ndarray,
    tol: float,
) -> Callable[[np.ndarray], np.ndarray]:
    """A two-message search whose equilibria are kept where the message left out is deterred.

    Parameters
    ----------
    stage : _Stage
        The period being solved (its ``mu``).
    view : View
        The stage with two messages (:func:`two_message_views`).
    search : callable
        ``search(stage, states, sender, at) -> states left``: a two-message search, run on
        the view with the stage's records in the view's order of messages; it fills them for
        the two messages where it finds an equilibrium.
    sender : numpy array, shape (S, 4, 3)
        Each type's probability of each message.
    at : dict of str to numpy array
        Each message's play (``belief``, ``russia``, ``ukraine``, ``profile``, ``reply``,
        ``profile2``, ``reply2``, ``lottery``, ``receivers_mix``, ...), as the stage records it.
    table : dict of str to numpy array
        The stage's play after each message under each of the 15 restricted beliefs:
        ``russia`` (S, M, 15, 4, 3), ``ukraine`` (S, M, 15, 4), ``profile`` and ``reply``
        (S, M, 15).
    governments_gain : numpy array, shape (S, 15, M)
        The governments' residual gain at each of those plays (0 where it is an equilibrium
        of their game).
    tol : float
        The largest gain allowed a type or a government.

    Returns
    -------
    callable
        ``run(states) -> states left``: the search, then the left-out message's play off the
        path at every state it solved; where no belief deters it, the state's records are
        left as they were and it is left.
    """
    order, left_out = view.order, int(view.order[2])

    def run(states: np.ndarray) -> np.ndarray:
        if states.size == 0:
            return states
        # the view's records: the stage's, messages reordered (copies)
        at_v = {key: value[:, order] for key, value in at.items()}
        sender_v = sender[:, :, order]
        left = np.asarray(search(view.stage, states, sender_v, at_v), dtype=np.int64)
        solved = np.setdiff1d(states, left)
        if solved.size == 0:
            return left
        present = stage.mu[solved] > 0  # (R, 4)
        value = at_v["russia"][solved, :2, :, _EQ]  # (R, 2, 4)
        value = np.where(np.isfinite(value), value, 0.0)
        eq = np.einsum("rkm,rmk->rk", sender_v[solved, :, :2], value)  # each type's value
        worth = table["russia"][solved, left_out][..., _EQ]  # (R, 15, 4)
        deters = deterring_sets(worth, eq, present, tol)
        deters &= governments_gain[solved, :, left_out] <= tol
        has = deters.any(axis=1)
        kept = solved[has]
        j = deters.argmax(axis=1)[has]  # the first deterring belief set
        _write_back(stage, view, kept, j, (sender_v, at_v), (sender, at), table)
        # where no restricted belief deters the message left out, any belief may (off the
        # path): with the receivers' selected play at a point of a finer lattice on the types
        # present, a lottery at a switch of that play, or any pure equilibrium of their game
        # at a lattice point, in turn
        rest, value_rest = solved[~has], eq[~has]
        for deter in (lattice_deterrence, switch_deterrence, equilibrium_deterrence):
            if rest.size == 0:
                break
            off = deter(stage, rest, np.full(rest.size, left_out), value_rest, tol)
            hit = off["found"]
            _write_back(stage, view, rest[hit], None, (sender_v, at_v), (sender, at), table)
            for r in np.flatnonzero(hit).tolist():
                _record_off_path(at, int(rest[r]), left_out, off, r)
            kept = np.union1d(kept, rest[hit])
            rest, value_rest = rest[~hit], value_rest[~hit]
        return np.setdiff1d(states, kept).astype(np.int64)

    return run


def _record_off_path(at: dict[str, np.ndarray], state: int, m: int, off: dict, r: int) -> None:
    """Record at ``state`` the play after the unsent message ``m`` that row ``r`` of a
    deterrence search's result ``off`` found: one play (``play``) or a lottery (``first``,
    ``second``, weight ``y``), at its belief."""
    if "y" in off:
        second, y = off["second"], float(off["y"][r])
        record_play(at, state, m, off["belief"][r], off["first"], r, second, r, y)
    else:
        record_play(at, state, m, off["belief"][r], off["play"], r)


def _write_back(
    stage: Any,
    view: View,
    states: np.ndarray,
    j: np.ndarray | None,
    found: tuple[np.ndarray, dict],
    into: tuple[np.ndarray, dict],
    table: dict[str, np.ndarray],
) -> None:
    """Write a view's strategies and plays ``found`` (its order of messages) at ``states``
    into the stage's ``into``, the left-out message unsent and played off the path at the
    restricted belief set ``j`` (one per state; ``None``: its play is written by the
    caller)."""
    if states.size == 0:
        return
    sender_v, at_v = found
    sender, at = into
    left_out = int(view.order[2])
    back = np.argsort(view.order)
    for key, value in at.items():
        value[states] = at_v[key][states][:, back]
    sender[states] = sender_v[states][:, :, back]
    sender[states, :, left_out] = 0.0
    if j is None:
        return
    at["belief"][states, left_out] = restrict(stage.mu[states])[np.arange(states.size), j]
    for key in ("russia", "ukraine", "profile", "reply"):
        at[key][states, left_out] = table[key][states, left_out, j]
    at["profile2"][states, left_out] = at["profile"][states, left_out]
    at["reply2"][states, left_out] = at["reply"][states, left_out]
    at["lottery"][states, left_out] = 0.0
    at["receivers_mix"][states, left_out] = False


def closest_in_stage(
    stage: Any,
    view: View,
    found: Closest,
    sender: np.ndarray,
    at: dict[str, np.ndarray],
    table: dict[str, np.ndarray],
    governments_gain: np.ndarray,
) -> Closest:
    """The points a search on a view recorded as closest to an equilibrium
    (:class:`~simulator.model.buy_time_lotteries.Closest`), as the stage records them: the
    left-out message unsent, played off the path at the restricted belief set where the
    largest gain from sending it (of a present type, or of a government there) is smallest.

    Parameters
    ----------
    stage : _Stage
        The period being solved.
    view : View
        The view the points were found on.
    found : Closest
        The points, in the view's order of messages.
    sender, at : numpy array and dict of str to numpy array
        The stage's records (copied; the points are written into the copies).
    table : dict of str to numpy array
        The stage's play after each message under each of the 15 restricted beliefs (as for
        :func:`deterring`).
    governments_gain : numpy array, shape (S, 15, M)
        The governments' residual gain at each of those plays.

    Returns
    -------
    Closest
        The stage's records with the view's points written where it has one (``gain`` as the
        view measured it; the stage compares by the certificate).
    """
    out = Closest(sender, at)
    states = np.flatnonzero(np.isfinite(found.gain))
    if states.size == 0:
        return out
    left_out = int(view.order[2])
    value = found.at["russia"][states, :2, :, _EQ]  # (R, 2, 4)
    value = np.where(np.isfinite(value), value, 0.0)
    eq = np.einsum("rkm,rmk->rk", found.sender[states, :, :2], value)
    worth = table["russia"][states, left_out][..., _EQ]  # (R, 15, 4)
    present = stage.mu[states] > 0
    excess = np.where(present[:, None, :], worth - eq[:, None, :], -np.inf).max(axis=-1)
    excess = np.maximum(excess, governments_gain[states, :, left_out])
    _write_back(
        stage,
        view,
        states,
        excess.argmin(axis=1),
        (found.sender, found.at),
        (out.sender, out.at),
        table,
    )
    out.gain[states] = found.gain[states]
    return out
