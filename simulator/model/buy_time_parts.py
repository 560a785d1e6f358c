"""A buy-time stage's work cut into parts for an executor's processes.

:meth:`.buy_time_game._Stage.solve` computes the receivers' play at every (state, restricted
belief) pair, then searches the states without a pure equilibrium for mixed ones
(:func:`.buy_time_cascade.search_mixed`). Each pair and each state is solved on its own, so
both can be cut into parts (:func:`shares`), run on a :class:`concurrent.futures.Executor`
(:func:`map_calls`: a process pool, Dask's ``client.get_executor()``) and put back; the result
is the same, bit for bit, whatever the parts. The functions run on a worker are module-level,
so a process executor can pickle them.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from typing import Any

import numpy as np

from simulator.machine import available_cores
from simulator.model.buy_time_cascade import search_mixed

__all__ = ["map_calls", "receivers_part", "searched_part", "shares"]


def shares(executor: concurrent.futures.Executor | None, items: int, least: int) -> int:
    """Into how many parts to cut ``items`` for ``executor``.

    Parameters
    ----------
    executor : concurrent.futures.Executor or None
        Where the parts run (``None``: in this process, one part).
    items : int
        How many items there are.
    least : int
        The fewest items a part is worth.

    Returns
    -------
    int
        One part per core of this machine where each gets at least ``least`` items (the
        results do not depend on it).

    Examples
    --------
    >>> shares(None, 1000, 10)
    1
    """
    if executor is None:
        return 1
    return int(np.clip(items // least, 1, available_cores()))


def map_calls(
    executor: concurrent.futures.Executor | None, fn: Callable[..., Any], calls: list[tuple]
) -> list:
    """``[fn(*args) for args in calls]``, on ``executor`` if given.

    Parameters
    ----------
    executor : concurrent.futures.Executor or None
        Where to run the calls (``None``, or a single call: here).
    fn : callable
        A module-level function (a process executor pickles it).
    calls : list of tuple
        Each call's arguments.

    Returns
    -------
    list
        The results, in the order of ``calls``.

    Examples
    --------
    >>> map_calls(None, pow, [(2, 3), (3, 2)])
    [8, 9]
    """
    if executor is None or len(calls) < 2:
        return [fn(*args) for args in calls]
    futures = [executor.submit(fn, *args) for args in calls]
    return [future.result() for future in futures]


def receivers_part(stage: Any, states: np.ndarray, beliefs: np.ndarray) -> list:
    """The receivers' play after every message at these (state, belief) pairs.

    Parameters
    ----------
    stage : _Stage
        The period being solved (:class:`.buy_time_game._Stage`).
    states : numpy array of int, shape (R,)
        The pairs' states.
    beliefs : numpy array, shape (R, 4)
        Their beliefs.

    Returns
    -------
    list of dict
        Per message, the play as the stage's ``_receivers`` gives it.
    """
    return stage._receivers(states, beliefs, range(len(stage.s.messages)))


def searched_part(stage: Any, part: np.ndarray, sender: np.ndarray, at: dict, *rest: Any) -> tuple:
    """:func:`.buy_time_cascade.search_mixed` at the states ``part``, and its results there.

    Parameters
    ----------
    stage : _Stage
        The period being solved.
    part : numpy array of int
        The states searched.
    sender, at
        The stage's strategies and plays (filled at ``part``; on a worker, a copy).
    *rest
        The other arguments of :func:`.buy_time_cascade.search_mixed`.

    Returns
    -------
    tuple
        The states left and those pooled, the receivers' gains at ``part``, and the rows of
        ``part`` of ``sender`` and of every array of ``at``.
    """
    still, pooled, found = search_mixed(stage, part, sender, at, *rest)
    return still, pooled, found[part], sender[part], {key: value[part] for key, value in at.items()}
