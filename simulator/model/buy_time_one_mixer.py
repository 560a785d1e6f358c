"""Semi-separating equilibria of a buy-time stage where one type mixes and the receivers play
any of their equilibria, or a public lottery between two, after each message.

:mod:`.buy_time_mixed` lets one type mix with the receivers playing the equilibrium of their
game that the stage *selects*. Where the selected play is not the one that makes the mixing
type indifferent, another equilibrium of the receivers' game may be (Kreps & Sobel 1994,
"Signalling", *Handbook of Game Theory* 2, ch. 25: a sequential equilibrium only asks the
receivers to best reply at the posterior), including two governments mixing
(:mod:`.buy_time_government_mixing`). Here every present type in turn mixes while each other
present type fights or talks, and the mixing probability ``t`` is scanned on a grid. At every
point each message's set of equilibria of the receivers' game is computed (every pure play and
every mixed play of two governments with a non-negative margin). Two kinds of point are kept:

- *overlap*: after a message two plays are both equilibria at the posterior; a public lottery
  between them is one too, and the mixing type's gain from talking over fighting is linear in
  its weight, so the weight that leaves it indifferent is solved for at the grid point itself;
- *boundary*: between two grid points one play stops being an equilibrium and another starts;
  the point where the first stops is located by bisection, and if the second is an equilibrium
  there too (their sets touch, as where Ukraine's reply at a profile the play reaches switches),
  the lottery between them is solved for as above.

A candidate is kept where the weight lies in ``[0, 1]`` and every other type's condition holds
(a type that talks gains nothing by fighting, and the reverse). Of the candidates at a state the
one with the highest ex-ante payoff to Russia is kept. The stage certifies the result.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from simulator.model.buy_time_government_mixing import combos, mixed_margins
from simulator.model.buy_time_lottery_plays import (
    play_margin,
    play_margins,
    play_payoffs,
    receivers_game,
)
from simulator.model.buy_time_receivers import (
    best_per_state,
    posteriors,
    record_play,
    two_type_states,
)

__all__ = ["one_mixer"]

_EQ = 0
#: Mixing probabilities scanned on each line: the midpoints of this many equal cells.
_GRID = 32
#: Bisection rounds locating where a play stops being an equilibrium.
_ROUNDS = 44


def _lines(stage: Any, states: np.ndarray) -> dict[str, np.ndarray]:
    """Every (state, mixing type, the other present types' messages) to scan."""
    state, mixer, base = [], [], []
    for s_ in states.tolist():
        present = np.flatnonzero(stage.mu[s_] > 0)
        for k in present:
            others = present[present != k]
            for bits in itertools.product((0.0, 1.0), repeat=others.size):
                x = np.zeros(4)
                x[others] = bits
                state.append(s_)
                mixer.append(k)
                base.append(x)
    return {
        "state": np.array(state, dtype=np.int64),
        "mixer": np.array(mixer, dtype=np.int64),
        "base": np.array(base).reshape(-1, 4),
    }


def _codes(P: int) -> tuple[np.ndarray, np.ndarray]:
    """Every play as (profile, reply): the pure plays (``P`` profiles x 3 replies), then the
    mixed plays of two governments (profile codes ``P + c``)."""
    C = len(combos(P.bit_length() - 1))
    profile = np.concatenate([np.repeat(np.arange(P), 3), P + np.arange(C)])
    reply = np.concatenate([np.tile(np.arange(3), P), np.zeros(C, dtype=np.int64)])
    return profile, reply


def _equilibria(game: dict) -> np.ndarray:
    """Whether each play (:func:`_codes`) is an equilibrium of the receivers' game, (R, plays)."""
    pure = play_margins(game).reshape(game["u"].shape[0], -1)
    return np.concatenate([pure, mixed_margins(game["u"], game["g"])], axis=1) >= 0


def _candidates(eq: list[np.ndarray], line: np.ndarray) -> tuple[np.ndarray, ...]:
    """Candidates at the scanned points: (row, message ``m``, the lottery's plays ``e1`` and
    ``e2`` after ``m``, the play after the other message, whether it is a boundary).

    *Overlap*: at a row two plays are equilibria after ``m`` (any two of them, with any
    equilibrium after the other message). *Boundary*: between a row and the next of its
    line, ``e1`` stops being an equilibrium after ``m`` and ``e2`` starts, while the other
    message's play is one at both.
    """
    out: list[tuple[int, int, int, int, int, bool]] = []
    for m in (0, 1):
        other = 1 - m
        for r in np.flatnonzero(eq[m].sum(axis=1) >= 2).tolist():
            pairs = itertools.combinations(np.flatnonzero(eq[m][r]).tolist(), 2)
            for (p1, p2), e in itertools.product(pairs, np.flatnonzero(eq[other][r]).tolist()):
                out.append((r, m, p1, p2, e, False))
    for m in (0, 1):
        other = 1 - m
        for r in np.flatnonzero(line[1:] == line[:-1]).tolist():
            ending = np.flatnonzero(eq[m][r] & ~eq[m][r + 1]).tolist()
            starting = np.flatnonzero(eq[m][r + 1] & ~eq[m][r]).tolist()
            kept = np.flatnonzero(eq[other][r] & eq[other][r + 1]).tolist()
            for p1, p2, e in itertools.product(ending, starting, kept):
                out.append((r, m, p1, p2, e, True))
    table = np.array(out, dtype=np.int64).reshape(-1, 6)
    return (*(table[:, j] for j in range(5)), table[:, 5].astype(bool))


def one_mixer(
    stage: Any, unresolved: np.ndarray, sender: np.ndarray, at: dict, tol: float
) -> np.ndarray:
    """Fill ``sender`` and ``at`` where one type mixes and the receivers play any equilibrium
    of their game, or a lottery between two, after each message; return the states left.

    Parameters
    ----------
    stage : _Stage
        The period being solved (its ``mu``, options and the messages available).
    unresolved : numpy array of int
        States without an equilibrium so far.
    sender : numpy array, shape (S, 4, M)
        Each type's probability of each message, filled in place.
    at : dict of str to numpy array
        Each message's play, filled in place (as in :func:`.buy_time_interior.interior_mixed`).
    tol : float
        The largest gain accepted of a type.

    Returns
    -------
    numpy array of int
        The states of ``unresolved`` where no such equilibrium was found.
    """
    states = two_type_states(stage, unresolved)
    if states.size == 0:
        return unresolved
    lines = _lines(stage, states)
    n_lines = lines["state"].size
    grid = (np.arange(_GRID) + 0.5) / _GRID
    line = np.repeat(np.arange(n_lines), _GRID)
    t = np.tile(grid, n_lines)
    x = lines["base"][line].copy()
    x[np.arange(line.size), lines["mixer"][line]] = t
    state = lines["state"][line]
    mu = stage.mu[state]
    posts = posteriors(mu, x)
    eq = [_equilibria(receivers_game(stage, state, posts[m], m)) for m in (0, 1)]
    row, m_of, e1, e2, e_other, boundary = _candidates(eq, line)
    if row.size == 0:
        return unresolved
    n = row.size
    # each boundary located: the last t where the ending play is an equilibrium
    lo = t[row].copy()
    hi = np.where(boundary, t[np.minimum(row + 1, t.size - 1)], t[row])
    b = np.flatnonzero(boundary)
    for _ in range(_ROUNDS if b.size else 0):
        mid = 0.5 * (lo[b] + hi[b])
        xb = x[row[b]].copy()
        xb[np.arange(b.size), lines["mixer"][line[row[b]]]] = mid
        post_b = posteriors(mu[row[b]], xb)
        post_m = np.where((m_of[b] == 0)[:, None], post_b[0], post_b[1])
        (held,) = _after(stage, m_of[b], state[row[b]], post_m, [e1[b]], payoffs=False)
        lo[b] = np.where(held["margin"] >= 0, mid, lo[b])
        hi[b] = np.where(held["margin"] >= 0, hi[b], mid)
    t_c = lo  # a grid point (overlap) or the located boundary
    x_c = x[row].copy()
    x_c[np.arange(n), lines["mixer"][line[row]]] = t_c
    st_c = state[row]
    post = posteriors(mu[row], x_c)
    k = lines["mixer"][line[row]]
    present = mu[row] > 0
    # every play's payoffs and margin at its candidate's exact posterior
    first, second = _after(stage, m_of, st_c, np.where((m_of == 0)[:, None], *post), [e1, e2])
    (other,) = _after(stage, 1 - m_of, st_c, np.where((m_of == 1)[:, None], *post), [e_other])
    values = {"first": first, "second": second, "other": other}
    v1 = values["first"]["russia"][..., _EQ]
    v2 = values["second"]["russia"][..., _EQ]
    vo = values["other"]["russia"][..., _EQ]
    # the mixing type's gain from talking over fighting is a + y * slope in the lottery's
    # weight y
    sign = np.where(m_of == 1, 1.0, -1.0)[:, None]  # + where the lottery follows talks
    a = sign * (v1 - vo)
    slope = sign * (v2 - v1)
    r_ = np.arange(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        y = -a[r_, k] / slope[r_, k]
    ok = np.isfinite(y) & (y >= 0) & (y <= 1)
    y = np.clip(np.nan_to_num(y), 0.0, 1.0)
    gain = a + y[:, None] * slope  # (n, 4): each type's gain from talking
    talks = x_c >= 1
    fights = x_c <= 0
    ok &= np.all(~present | ~talks | (gain >= -tol), axis=1)
    ok &= np.all(~present | ~fights | (gain <= tol), axis=1)
    margin_floor = -tol * np.maximum(1.0, np.abs(v1).max(axis=1))
    for name in ("first", "second", "other"):
        ok &= values[name]["margin"] >= margin_floor
    if not ok.any():
        return unresolved
    lottery = (1 - y)[:, None] * v1 + y[:, None] * v2
    talk_v = np.where(m_of[:, None] == 1, lottery, vo)
    fight_v = np.where(m_of[:, None] == 1, vo, lottery)
    eq_v = x_c * talk_v + (1 - x_c) * fight_v
    score = np.where(ok, (mu[row] * eq_v).sum(axis=1), -np.inf)
    chosen = best_per_state(st_c, ok, score)
    for s_, i in chosen.items():
        sender[s_] = 0.0
        sender[s_, :, 0] = np.where(present[i], 1.0 - x_c[i], 0.0)
        sender[s_, :, 1] = np.where(present[i], x_c[i], 0.0)
        m = int(m_of[i])
        record_play(at, s_, m, post[m][i], values["first"], i, values["second"], i, float(y[i]))
        record_play(at, s_, 1 - m, post[1 - m][i], values["other"], i)
    return np.array([s_ for s_ in unresolved.tolist() if s_ not in chosen], dtype=np.int64)


def _after(
    stage: Any,
    m: np.ndarray,
    states: np.ndarray,
    beliefs: np.ndarray,
    plays: list[np.ndarray],
    payoffs: bool = True,
) -> list[dict]:
    """Plays (codes of :func:`_codes`, one array (R,) each) after message ``m[r]`` at
    ``beliefs[r]`` in state ``states[r]``: each play's margin as an equilibrium of the
    receivers' game and, with ``payoffs``, its payoffs and parts
    (:func:`.buy_time_lottery_plays.play_payoffs`). The receivers' game is computed once per
    message for all the plays."""
    profile, reply = _codes(stage.P)
    out: list[dict[str, np.ndarray]] = [{} for _ in plays]
    for msg in (0, 1):
        sel = np.flatnonzero(m == msg)
        if sel.size == 0:
            continue
        game = receivers_game(stage, states[sel], beliefs[sel], msg)
        for codes, found in zip(plays, out):
            p, r = profile[codes[sel]], reply[codes[sel]]
            part = play_payoffs(stage, msg, game, p, r) if payoffs else {}
            part["margin"] = play_margin(game, p, r)
            for key, value in part.items():
                value = np.asarray(value)
                if key not in found:
                    found[key] = np.zeros((states.size,) + value.shape[1:], dtype=value.dtype)
                found[key][sel] = value
    return out
