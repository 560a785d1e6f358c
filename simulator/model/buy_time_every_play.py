"""The lottery search's last round: every play the receivers can play, from many starts.

The lottery search (:mod:`.buy_time_lotteries`) guesses a few supports per starting point: the
plays the receivers select near it and those closest to equilibria of their game there. At a
state it leaves, an equilibrium may still use plays that are equilibria of the receivers' game
only at posteriors its starts did not come near, or be reached by Newton's method only from a
start far from where its guesses were made. This round, run only at the states no other
search solved, takes a wider set of supports and more starts:

- the plays: after each message, every play (pure, or two governments mixing,
  :mod:`.buy_time_government_mixing`) that is an equilibrium of the receivers' game at one of
  ``_SAMPLES`` strategies drawn at random, the ``_PLAYS`` found most often;
- the supports: after each message one of those plays, or a lottery between two of them held
  on either one's boundary, every pairing of the two messages' options;
- the starts: per support, the drawn strategies nearest its receivers' conditions (each
  play's shortfall from being an equilibrium there, the held play's distance from its
  boundary), as many as keep a state's candidates near ``_CANDIDATES`` and at least
  ``_LEAST_STARTS``.

Each candidate is then solved and accepted as in the lottery search
(:func:`.buy_time_lotteries.solve_supports`, every incentive checked at the exact plays), with
Levenberg-Marquardt steps in place of Newton's with a line search: the systems here are often
ill-conditioned (a type's gain barely moving with its own probability), where full Newton steps
run along the flat direction. A generator seeded by the state draws the samples, so a state's
result repeats exactly and does not depend on which other states are searched with it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from simulator.model.buy_time_government_mixing import mixed_margins
from simulator.model.buy_time_lotteries import Closest, solve_supports
from simulator.model.buy_time_lottery_plays import play_margins, receivers_game
from simulator.model.buy_time_lottery_starts import as_candidates, paired_supports
from simulator.model.buy_time_receivers import posteriors, two_type_states

__all__ = ["every_play_mixed"]

_SEED = 20221208
_SAMPLES = 2048  # strategies drawn per state to find the plays that are equilibria somewhere
_PLAYS = 6  # plays kept per message, those that are equilibria at the most samples first
_CANDIDATES = 512  # candidates aimed at per state (supports x starts)
_LEAST_STARTS = 4  # starts per support, however many supports there are


def every_play_mixed(
    stage: Any,
    unresolved: np.ndarray,
    sender: np.ndarray,
    at: dict,
    tol: float,
    closest: Closest | None = None,
) -> np.ndarray:
    """Fill ``sender`` and ``at`` where types mix and the receivers play any of their
    equilibria, or a lottery over two, after each message; return the states still unresolved.

    Parameters
    ----------
    stage : _Stage
        The period being solved (its first two messages its only ones, as on a view of a stage
        with a withdrawal; otherwise nothing is searched).
    unresolved : numpy array of int
        States without an equilibrium so far.
    sender : numpy array, shape (S, 4, M)
        Each type's probability of each message, filled in place.
    at : dict of str to numpy array
        Each message's play, filled in place.
    tol : float
        The largest gain accepted, of any type present, any government and Ukraine.
    closest : Closest, optional
        Where given, the candidate closest to an equilibrium at each state left is recorded
        in it (where it beats what it holds).

    Returns
    -------
    numpy array of int
        The states of ``unresolved`` where no equilibrium was found.
    """
    states = two_type_states(stage, unresolved)
    if states.size == 0:
        return unresolved
    rows = [row for st in states.tolist() for row in _candidates(stage, st)]
    return solve_supports(
        stage, as_candidates(rows), unresolved, sender, at, tol, closest=closest, damped=True
    )


def _candidates(stage: Any, state: int) -> list[dict]:
    """The supports and starts tried at ``state`` (:func:`.buy_time_lottery_starts.as_candidates`
    rows)."""
    rng = np.random.default_rng((_SEED, state))
    present = stage.mu[state] > 0
    draws = rng.random((2, _SAMPLES, 4))
    # a tenth of each type's draws at either end: pure strategies are equilibria too
    x = np.where(draws[1] < 0.1, 0.0, np.where(draws[1] > 0.9, 1.0, draws[0])) * present
    rows = np.full(_SAMPLES, state)
    P = stage.P
    options, shortfalls = [], []
    for m, post in enumerate(posteriors(stage.mu[rows], x)):
        game = receivers_game(stage, rows, post, m)
        # pure plays (3 x profile + reply), then the governments' mixed plays (3 P + c)
        margin = np.concatenate(
            [play_margins(game).reshape(_SAMPLES, -1), mixed_margins(game["u"], game["g"])],
            axis=1,
        )
        count = (margin >= 0.0).sum(axis=0)
        found = np.flatnonzero(count)
        top = found[np.argsort(-count[found], kind="stable")][:_PLAYS]
        kept = margin[:, top]  # (samples, plays)
        # one play, or a lottery between two held on either one's boundary; how far each
        # sample is from the receivers' conditions of each option: a play's shortfall from
        # being an equilibrium, and the held play's distance from its boundary
        short = np.maximum(-kept, 0.0)
        per, far = [], []
        for i in range(top.size):
            per.append(((i, i), False, -1))
            far.append(short[:, i])
            for j in range(i + 1, top.size):
                for held, other in ((i, j), (j, i)):
                    per.append(((i, j), True, 0 if held == i else 1))
                    far.append(np.maximum(np.abs(kept[:, held]), short[:, other]))
        plays = [_play(int(k), P) for k in top]
        options.append([((plays[i], plays[j]), lot, e) for (i, j), lot, e in per])
        shortfalls.append(np.stack(far, axis=1) if far else np.zeros((_SAMPLES, 0)))
    supports = len(options[0]) * len(options[1])
    if supports == 0:
        return []
    # per support, the samples nearest its receivers' conditions (ties in the order drawn),
    # every support's at once: (samples, options after fighting, options after talks)
    starts = min(max(_LEAST_STARTS, _CANDIDATES // supports), _SAMPLES)
    far = np.maximum(shortfalls[0][:, :, None], shortfalls[1][:, None, :])
    nearest = np.argsort(far, axis=0, kind="stable")[:starts]
    out = []
    for a, first in enumerate(options[0]):
        for b, second in enumerate(options[1]):
            for i in nearest[:, a, b].tolist():
                out += paired_supports(state, [[first], [second]], x[i])
    return out


def _play(code: int, P: int) -> tuple[int, int]:
    """A play's (profile, reply) from its code among the margins: ``3 x profile + reply`` for a
    pure play, ``3 P + c`` for the governments' mixed play ``c`` (profile code ``P + c``)."""
    return (code // 3, code % 3) if code < 3 * P else (code - 2 * P, 0)
