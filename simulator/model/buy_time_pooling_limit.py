"""Pooling on fighting at the limit of a point where the types almost never talk.

Where no search of a buy-time stage finds an equilibrium, the point closest to one the lottery
search reaches (:class:`.buy_time_lotteries.Closest`) often has every present type talking
with a small probability (1e-5 in a perturbation of the baseline, 1e-3 to 6e-3 in the baseline
over 12 periods): it approaches a pooling equilibrium in which every type fights and talks, off
the path, are met by a public lottery between two equilibria of the receivers' game at a
belief where the two plays tie (each is an equilibrium there). Such a point cannot be reached
by the lottery search itself, which needs both messages sent to define both posteriors.

:func:`pool_at_the_limit` writes that limit: every present type fights; after fighting, the
receivers' plays re-evaluated at the prior; after talks, off the path (a sequential equilibrium
allows any belief there; Kreps & Wilson 1982), the recorded plays at the belief nearest the
recorded one where each play the lottery uses is an equilibrium of the receivers' game, with
the lottery weight in the middle of the interval that leaves every present type no gain from
talking. It is tried at every state left, however often the recorded point's types talk (no
threshold decides what "near pooling" is: the limit is a candidate like any other), and the
stage keeps it only where the certificate's measure of the largest gain says it is better.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from simulator.model.buy_time_government_mixing import combos
from simulator.model.buy_time_lottery_plays import play_margin, play_payoffs, receivers_game
from simulator.model.buy_time_receivers import first_two_messages, record_play

__all__ = ["pool_at_the_limit"]

_EQ = 0
#: Points along each segment from the recorded belief scanned for a tie, then bisection steps.
_SCAN, _BISECT = 64, 60
#: A margin this close to 0 at a located tie counts as 0 (the bisection's last step).
_TIE = 1e-12


def pool_at_the_limit(stage: Any, states: np.ndarray, sender: np.ndarray, at: dict) -> np.ndarray:
    """Write the pooling limit (module docstring) at the ``states`` of a stage whose messages
    are its first two alone (a stage of two messages, or a view of one with three:
    :func:`.buy_time_withdrawal.two_message_views`) where it exists; return those states.

    Parameters
    ----------
    stage : _Stage
        The period being solved (message 0 pooled on, fighting on a stage of two messages;
        message 1 off the path).
    states : numpy array of int
        States without an equilibrium, holding the point to start from.
    sender : numpy array, shape (S, 4, M)
        Each type's probability of each message (written where the limit is written).
    at : dict of str to numpy array
        Each message's play (written where the limit is written).

    Returns
    -------
    numpy array of int
        The states written.
    """
    if not first_two_messages(stage):
        return np.zeros(0, dtype=np.int64)
    written = []
    for s_ in states.tolist():
        present = stage.mu[s_] > 0
        if _write(stage, s_, present, sender, at):
            written.append(s_)
    return np.array(written, dtype=np.int64)


def _plays(stage: Any, s_: int, m: int, belief: np.ndarray, at: dict) -> tuple[dict, dict, dict]:
    """The receivers' game after message ``m`` at ``belief`` and the two recorded plays."""
    rows = np.array([s_])
    game = receivers_game(stage, rows, belief[None], m)
    first, second = (
        play_payoffs(stage, m, game, *(np.array([v]) for v in _recorded(stage, s_, m, j, at)))
        for j in (0, 1)
    )
    return game, first, second


def _margins(stage: Any, s_: int, belief: np.ndarray, at: dict) -> np.ndarray:
    """The margins (2,), at ``belief`` after talks, of the two recorded plays."""
    game = receivers_game(stage, np.array([s_]), belief[None], 1)
    return np.array(
        [
            float(play_margin(game, *(np.array([v]) for v in _recorded(stage, s_, 1, j, at)))[0])
            for j in (0, 1)
        ]
    )


def _recorded(stage: Any, s_: int, m: int, j: int, at: dict) -> tuple[int, int]:
    """Play ``j`` recorded after message ``m`` at state ``s_`` as (profile, reply), or, where
    two governments mix in it, as its code ``P + c`` (:mod:`.buy_time_government_mixing`),
    read back from its four profiles (neither, ``a`` alone, ``b`` alone, both bits set)."""
    profile, reply = ("profile", "reply") if j == 0 else ("profile2", "reply2")
    sub = at["mixed_profile"][s_, m, j]
    if at["receivers_mix"][s_, m, j] and sub[1] != sub[0]:
        a, b = int(sub[1] ^ sub[0]).bit_length() - 1, int(sub[2] ^ sub[0]).bit_length() - 1
        code = combos(stage.s.tables.hold.shape[1]).index((a, b, int(sub[0])))
        return stage.P + code, 0
    return int(at[profile][s_, m]), int(at[reply][s_, m])


def _ties(stage: Any, s_: int, at: dict, used: list[bool], present: np.ndarray) -> list[np.ndarray]:
    """Beliefs near the recorded one after talks where every play the lottery uses is an
    equilibrium, nearest first: the recorded belief if it is one; else, along the segments
    toward the prior and toward each present type's vertex, the first point where the plays
    short of one reach a margin of 0 (located by bisection), the others keeping theirs within
    :data:`_TIE` of 0 (at a tie between the two plays, one's margin is the other's negative)."""
    start = at["belief"][s_, 1].copy()
    short = np.array(used) & (_margins(stage, s_, start, at) < 0.0)
    if not short.any():
        return [start]

    def reached(belief: np.ndarray) -> bool:
        return bool(np.all(_margins(stage, s_, belief, at)[short] >= 0.0))

    found: list[tuple[float, np.ndarray]] = []
    for target in [stage.mu[s_]] + [np.eye(4)[k] for k in np.flatnonzero(present)]:
        prev = 0.0
        for t in np.linspace(0.0, 1.0, _SCAN + 1)[1:]:
            if reached((1 - t) * start + t * target):
                lo, hi = prev, t
                for _ in range(_BISECT):
                    mid = 0.5 * (lo + hi)
                    if reached((1 - mid) * start + mid * target):
                        hi = mid
                    else:
                        lo = mid
                belief = (1 - hi) * start + hi * target
                if _margins(stage, s_, belief, at)[np.array(used)].min() >= -_TIE:
                    found.append((hi, belief))
                break
            prev = t
    return [belief for _, belief in sorted(found, key=lambda item: item[0])]


def _write(stage: Any, s_: int, present: np.ndarray, sender: np.ndarray, at: dict) -> bool:
    """Write the pooling limit at state ``s_`` at the nearest tie where a lottery weight
    deters every present type from talking; whether there is one."""
    mu = stage.mu[s_]
    y_talk = float(at["lottery"][s_, 1])
    used = [y_talk < 1.0, y_talk > 0.0]
    _, fight_a, fight_b = _plays(stage, s_, 0, mu, at)
    y_fight = float(at["lottery"][s_, 0])
    fight = (1 - y_fight) * fight_a["russia"][0, :, _EQ] + y_fight * fight_b["russia"][0, :, _EQ]
    for belief in _ties(stage, s_, at, used, present):
        _, talk_a, talk_b = _plays(stage, s_, 1, belief, at)
        y = _deterring_weight(
            talk_a["russia"][0, :, _EQ], talk_b["russia"][0, :, _EQ], fight, present, used
        )
        if y is None:
            continue
        sender[s_, present] = 0.0
        sender[s_, present, 0] = 1.0
        record_play(at, s_, 0, mu, fight_a, 0, fight_b, 0, y_fight)
        record_play(at, s_, 1, belief, talk_a, 0, talk_b, 0, y)
        return True
    return False


def _deterring_weight(
    a: np.ndarray, b: np.ndarray, fight: np.ndarray, present: np.ndarray, used: list[bool]
) -> float | None:
    """The middle of the lottery weights ``y`` (on the second play) for which every present
    type values talks, ``(1 - y) a + y b``, at most as much as fighting; ``None`` if there is
    none. A lottery that uses one play only has its weight fixed at 0 or 1."""
    lo, hi = (0.0, 1.0) if all(used) else ((0.0, 0.0) if used[0] else (1.0, 1.0))
    for k in np.flatnonzero(present):
        slope, room = b[k] - a[k], fight[k] - a[k]
        if slope > 0:
            hi = min(hi, room / slope)
        elif slope < 0:
            lo = max(lo, room / slope)
        elif room < 0:
            return None
    return None if lo > hi else 0.5 * (lo + hi)
