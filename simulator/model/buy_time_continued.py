"""Mixed equilibria of a buy-time stage continued from the next period's at the same state.

Backward induction solves period ``t`` after ``t + 1``. Where a state's equilibrium at
``t + 1`` is semi-separating (types mix), the same support (the plays after each message,
whether they are a lottery, which types mix) is often an equilibrium support at ``t`` as well,
at a nearby point: the continuation values move little from one period to the next. This
search tries that support first, from the next period's point (each type's probability of
talking and each lottery's weight), by Newton's method on the lottery search's system
(:func:`.buy_time_lotteries.solve_supports`); a lottery is held on either play's boundary or
on neither. It follows an equilibrium through time as homotopy methods follow one along a
path of games (P. J.-J. Herings & R. Peeters 2010, "Homotopy methods to compute equilibria in
game theory", *Economic Theory* 42, 119-156). It runs where the one-type search found none,
before the searches with two or more types mixing, pooling deterred off the path, switches and
lotteries (:mod:`.buy_time_cascade`), most of which scan many starting points or supports: at
the states it solves, the selection is the equilibrium continued from the next period. (Run
before the one-type search, it would also solve states that search solves for less.) The stage
certifies the result like every other play.

Only stages whose messages are fighting and talking are continued (the policies of stages
with a third message record it in other columns); a play where the receivers mix
(two governments, or Ukraine among its replies) is left to the lottery search.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from simulator.model.buy_time_lotteries import solve_supports
from simulator.model.buy_time_lottery_starts import as_candidates, paired_supports
from simulator.model.buy_time_receivers import two_type_states

__all__ = ["continued_mixed"]

_HELD = (0, 1, -1)  # a lottery held on its first play's boundary, its second's, or neither
_ITERATIONS = 10  # Newton steps: a support continued converges in a few or not at all


def continued_mixed(
    stage: Any,
    unresolved: np.ndarray,
    sender: np.ndarray,
    at: dict,
    tol: float,
    previous: Any = None,
) -> np.ndarray:
    """Fill ``sender`` and ``at`` where the next period's semi-separating equilibrium at the
    same state, continued, is an equilibrium of this one; return the states still unresolved.

    Parameters
    ----------
    stage, unresolved, sender, at, tol
        As for :func:`.buy_time_lotteries.lottery_mixed`.
    previous : Policy, optional
        The next period's policy (:class:`.buy_time_results.Policy`; none in the last period).

    Returns
    -------
    numpy array of int
        The states of ``unresolved`` where no such equilibrium was found.
    """
    if previous is None or previous.sender.shape[2] != 2:
        return unresolved
    states = two_type_states(stage, unresolved)
    keep = previous.mixed[states] & ~previous.unresolved[states]
    keep &= ~previous.receivers_mix[states].any(axis=(1, 2))
    states = states[keep]
    if states.size == 0:
        return unresolved
    rows, starts = [], []
    for st in states.tolist():
        x = previous.sender[st, :, 1]
        y = previous.lottery[st]
        plays = previous.profile[st].astype(np.int64), previous.reply[st].astype(np.int64)
        per_m = []
        for m in (0, 1):
            pair = [(int(plays[0][m, j]), int(plays[1][m, j])) for j in (0, 1)]
            if y[m] > 0:
                per_m.append([(pair, True, held) for held in _HELD])
            else:
                per_m.append([([pair[0], pair[0]], False, -1)])
        paired = paired_supports(st, per_m, x)
        rows += paired
        starts += [np.r_[x, np.where(c["lottery"], y, 0.0), 0.0] for c in paired]
    return solve_supports(
        stage,
        as_candidates(rows),
        unresolved,
        sender,
        at,
        tol,
        start=np.array(starts),
        iterations=_ITERATIONS,
    )
