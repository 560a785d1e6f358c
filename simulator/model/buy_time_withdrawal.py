"""Equilibria of a buy-time stage with a verified withdrawal where nobody withdraws.

Where the offer has a verified step, Russia has a third message, withdrawing, beside fighting
and talking. The searches for mixed equilibria that need exactly two messages
(:func:`~simulator.model.buy_time_receivers.fight_and_talk`) do not run on such a stage. Many
of its equilibria do not use the withdrawal at all: the types fight or talk as in a stage
without it, and a withdrawal, off the path, would be met with a belief at which the receivers'
play leaves no type better off than in the equilibrium (a perfect Bayesian equilibrium puts
no restriction on that belief; as everywhere in the stage, the candidates are the prior
restricted to each of the 15 sets of types, :func:`~simulator.model.buy_time_setup.restrict`).

:func:`without_withdrawal` gives a view of the stage in which only fighting and talking are
available; :func:`deterring` runs a two-message search on it and keeps its equilibrium at a
state only where some such belief deters every type present from withdrawing and the
receivers' play there is an equilibrium of their game. The stage's certificate then checks
every message, the withdrawal included.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np

from simulator.model.buy_time_setup import restrict

__all__ = ["deterring", "without_withdrawal"]

_EQ = 0  # Russia's equilibrium plan in the values' last axis


def without_withdrawal(stage: Any) -> Any | None:
    """The stage with only fighting and talking available, or ``None`` if it has no other
    message (then the two-message searches run on the stage itself).

    Parameters
    ----------
    stage : _Stage
        The period being solved (``simulator.model.buy_time_game._Stage``).

    Returns
    -------
    _Stage or None
        A shallow copy sharing every table, whose setup lists the other messages as not
        available.
    """
    available = np.asarray(stage.s.tables.available, dtype=bool)
    if available.shape[1] <= 2 or not available[0, 2:].any() or not available[0, :2].all():
        return None
    fewer = available.copy()
    fewer[:, 2:] = False
    view = copy.copy(stage)
    view.s = dataclasses.replace(
        stage.s, tables=dataclasses.replace(stage.s.tables, available=fewer)
    )
    return view


def deterring(
    stage: Any,
    search: Callable[[np.ndarray], np.ndarray],
    sender: np.ndarray,
    at: dict[str, np.ndarray],
    table: dict[str, np.ndarray],
    governments_gain: np.ndarray,
    tol: float,
) -> Callable[[np.ndarray], np.ndarray]:
    """A two-message search whose equilibria are kept where the withdrawal is deterred.

    Parameters
    ----------
    stage : _Stage
        The period being solved (its ``mu`` and messages available).
    search : callable
        ``search(states) -> states left``: a two-message search run on
        :func:`without_withdrawal`'s view, which fills ``sender`` and ``at`` for fighting and
        talking where it finds an equilibrium.
    sender : numpy array, shape (S, 4, M)
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
        ``run(states) -> states left``: the search, then the withdrawal's play off the path
        at every state it solved; where no belief deters it, the state's records are restored
        and it is left.
    """
    available = np.asarray(stage.s.tables.available[0], dtype=bool)
    others = np.flatnonzero(available[2:]) + 2  # the messages to deter

    def run(states: np.ndarray) -> np.ndarray:
        saved = {key: value[states].copy() for key, value in at.items()}
        saved_sender = sender[states].copy()
        left = np.asarray(search(states), dtype=np.int64)
        solved = np.setdiff1d(states, left)
        if solved.size == 0:
            return left
        sender[solved[:, None], :, others[None, :]] = 0.0  # (nobody withdraws)
        present = stage.mu[solved] > 0  # (R, 4)
        value = np.where(
            np.isfinite(at["russia"][solved, :2, :, _EQ]), at["russia"][solved, :2, :, _EQ], 0.0
        )
        eq = np.einsum("rkm,rmk->rk", sender[solved, :, :2], value)  # each type's value
        kept = np.ones(solved.size, dtype=bool)
        for m in others:
            worth = table["russia"][solved, m][..., _EQ]  # (R, 15, 4)
            deters = np.all((worth <= eq[:, None, :] + tol) | ~present[:, None, :], axis=2)
            deters &= governments_gain[solved, :, m] <= tol
            kept &= deters.any(axis=1)
            j = deters.argmax(axis=1)  # the first deterring belief set
            r = np.arange(solved.size)
            at["belief"][solved, m] = restrict(stage.mu[solved])[r, j]
            for key in ("russia", "ukraine", "profile", "reply"):
                at[key][solved, m] = table[key][solved, m, j]
            at["profile2"][solved, m] = at["profile"][solved, m]
            at["reply2"][solved, m] = at["reply"][solved, m]
            at["lottery"][solved, m] = 0.0
            at["receivers_mix"][solved, m] = False
        failed = solved[~kept]
        if failed.size:
            where = np.searchsorted(states, failed)
            for key, value in at.items():
                value[failed] = saved[key][where]
            sender[failed] = saved_sender[where]
        return np.union1d(left, failed).astype(np.int64)

    return run
