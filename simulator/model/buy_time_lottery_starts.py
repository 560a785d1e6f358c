"""Where the lottery search (:mod:`.buy_time_lotteries`) starts: strategies drawn at random
near equilibrium, strategies placed at switches of the receivers' selected play, and the
supports guessed there (the plays after each message, lotteries between two of them, the
receivers' mixed plays).

Each candidate is a dict of arrays (:func:`as_candidates`): the state, after each message two
plays (profile, reply) and whether they are a lottery held on one play's boundary, the starting
strategies ``x`` and, where Ukraine mixes among its three replies after talks, the third play.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from simulator.model.buy_time_government_mixing import mixed_margins
from simulator.model.buy_time_lottery_plays import play_margins, play_payoffs, receivers_game
from simulator.model.buy_time_receivers import (
    both_sent,
    locate_switch,
    play_key,
    play_keys,
    posteriors,
)
from simulator.model.buy_time_receivers import plays as receivers_play
from simulator.model.buy_time_setup import CEASEFIRE, FIGHT_ON, SIGN

__all__ = [
    "as_candidates",
    "drawn_candidates",
    "paired_supports",
    "starts",
    "switch_candidates",
    "triple_candidates",
]

_EQ = 0
_SAMPLES = 256  # random strategies drawn per state to find the plays near equilibrium
_STARTS = 8  # starting strategies kept per state
_SLACK = 2e-2  # how far from an equilibrium of the receivers' game a play may be to be a guess
_PLAYS = (2, 4)  # plays guessed after each message (fight, talk)
_SEED = 20220406
_TRIPLES = 2  # profiles per start at which Ukraine mixing among its three replies is tried
_PAIRS = 16  # pairs of drawn strategies per state and message searched for a switch
_SCALES = (0.25, 0.5, 0.75, 0.9, 1.0)  # scales of a switch's sending probabilities tried
_SWITCHES = 3  # switches (and variants of their lottery) kept per state, at every scale
_SAME_SWITCH = 1e-3  # posteriors closer than this at a switch name the same switch


def starts(
    stage: Any, states: np.ndarray, draw: int = 0
) -> tuple[np.ndarray, np.ndarray, dict, dict]:
    """Starting strategies and the plays in reach.

    Strategies are drawn at random (a seeded generator, so results repeat exactly); per state
    the ``_STARTS`` with the smallest best-reply gap under the receivers' selected plays are
    kept. Also returned, per state and message, the plays the receivers select at the drawn
    strategies, most frequent first (as ``3 x profile + reply``), and the candidates found
    where a posterior sits at a switch of the selected play (:func:`switch_candidates`).

    Parameters
    ----------
    stage : _Stage
        The period being solved.
    states : numpy array of int
        The states searched.
    draw : int
        Which round of starting points (seeds the generators with the state).

    Returns
    -------
    tuple
        The starts' states and strategies (n,), (n, 4); the plays seen per state and
        message; the switch candidates (:func:`as_candidates`).
    """
    # one generator per state and draw, seeded by both: a state's draws do not depend on which
    # other states are searched with it
    rngs = [np.random.default_rng((_SEED, st, draw)) for st in states.tolist()]
    rows = np.repeat(states, _SAMPLES)
    present = stage.mu[rows] > 0
    draws = np.concatenate([g.random((2, _SAMPLES, 4)) for g in rngs], axis=1)
    x, corner = draws[0], draws[1]
    x = np.where(corner < 0.1, 0.0, np.where(corner > 0.9, 1.0, x)) * present
    fight, talk = posteriors(stage.mu[rows], x)
    selected = [
        receivers_play(stage, rows, post, np.full(rows.size, m, dtype=np.int64))
        for m, post in enumerate((fight, talk))
    ]
    d = selected[1]["russia"][..., _EQ] - selected[0]["russia"][..., _EQ]
    seen: dict[int, list[list[int]]] = {}
    for i, st in enumerate(states.tolist()):
        part = slice(i * _SAMPLES, (i + 1) * _SAMPLES)
        seen[st] = []
        for play in selected:
            keys, counts = np.unique(
                3 * play["profile"][part] + play["reply"][part], return_counts=True
            )
            seen[st].append(keys[np.argsort(-counts, kind="stable")].tolist())
    gap = np.where(present, x * np.maximum(0, -d) + (1 - x) * np.maximum(0, d), 0.0).max(1)
    sent = both_sent(x, present)
    gap = np.where(sent, gap, np.inf).reshape(states.size, _SAMPLES)
    best = np.argsort(gap, axis=1, kind="stable")[:, :_STARTS]
    pick = (np.arange(states.size)[:, None] * _SAMPLES + best).reshape(-1)
    switching = switch_candidates(stage, states, rows, x, selected, rngs)
    return rows[pick], x[pick], seen, switching


def switch_candidates(
    stage: Any,
    states: np.ndarray,
    rows: np.ndarray,
    x: np.ndarray,
    selected: list[dict],
    rngs: list[np.random.Generator],
) -> dict:
    """Supports and starting strategies at which the posterior after one message lies where
    the receivers' selected play switches: there a lottery between the plays on either side
    can make the types indifferent, which strategies drawn at random rarely come close to.

    For pairs of drawn strategies (per state, ``_PAIRS`` drawn among those whose selected play
    after the message differs), the switch on the segment between them is located by
    bisection. Scaling the probabilities of sending that message keeps its posterior at the
    switch and moves the other message's posterior between the prior and its extreme, so each
    switch is tried at the scales ``_SCALES``. Per state the ``_SWITCHES`` switches (distinct
    posteriors) whose types come closest to their conditions, under the best lottery between
    the two plays at any of its scales, are kept with all their scales. The support: after the
    message, the lottery between the two plays, held on either one's boundary; after the
    other, the play the receivers select at the start.

    Parameters
    ----------
    stage : _Stage
        The period being solved.
    states : numpy array of int
        The states searched.
    rows : numpy array of int
        The state of each drawn strategy.
    x : numpy array, shape (len(rows), 4)
        The drawn strategies (``_SAMPLES`` per state, in the order of ``states``).
    selected : list of dict
        The receivers' selected plays after each message at the drawn strategies.
    rngs : list of numpy.random.Generator
        One generator per state.

    Returns
    -------
    dict
        The candidates (:func:`as_candidates`).
    """
    present = stage.mu[rows] > 0
    k = len(_SCALES)
    parts: list[dict] = []
    for m, play in enumerate(selected):
        key = play_key(play)
        first, second = [], []
        for i in range(states.size):
            part = np.arange(i * _SAMPLES, (i + 1) * _SAMPLES)
            a = rngs[i].choice(part, _PAIRS)
            b = rngs[i].choice(part, _PAIRS)
            differ = key[a] != key[b]
            first.append(a[differ])
            second.append(b[differ])
        lo_rows, hi_rows = np.concatenate(first), np.concatenate(second)
        if lo_rows.size == 0:
            continue
        x_a, x_b = x[lo_rows], x[hi_rows]
        st_m = rows[lo_rows]

        def along(
            r: np.ndarray, t: np.ndarray, x_a=x_a, x_b=x_b, st_m=st_m, m=m, keys: bool = False
        ) -> Any:
            xt = (1 - t)[:, None] * x_a[r] + t[:, None] * x_b[r]
            post = posteriors(stage.mu[st_m[r]], xt)[m]
            read = play_keys if keys else receivers_play
            return read(stage, st_m[r], post, np.full(r.size, m, dtype=np.int64))

        def key_at(r: np.ndarray, t: np.ndarray, along=along) -> np.ndarray:
            return along(r, t, keys=True)

        n = lo_rows.size
        lo, hi = locate_switch(key_at, np.zeros(n), np.ones(n), key[lo_rows], width=1e-7)
        r = np.arange(n)
        ends = [along(r, lo), along(r, hi)]
        here = [e["russia"][..., _EQ] for e in ends]
        at_switch = (1 - lo)[:, None] * x_a + lo[:, None] * x_b
        pres = present[lo_rows]
        sent = np.where(pres, at_switch if m == 1 else 1 - at_switch, 0.0)
        top = sent.max(axis=1, keepdims=True)
        unit = sent / np.where(top > 0, top, 1.0)
        xs = np.concatenate([c * unit if m == 1 else 1 - c * unit for c in _SCALES])
        xs = np.where(np.tile(pres, (k, 1)), np.clip(xs, 0.0, 1.0), 0.0)
        st_k = np.tile(st_m, k)
        post_other = posteriors(stage.mu[st_k], xs)[1 - m]
        other = receivers_play(stage, st_k, post_other, np.full(st_k.size, 1 - m, dtype=np.int64))
        pres_k = np.tile(pres, (k, 1))
        other_v = other["russia"][..., _EQ]
        plays = np.zeros((st_k.size, 2, 2, 2), dtype=np.int64)
        for j, e in enumerate(ends):
            plays[:, m, j, 0] = np.tile(e["profile"], k)
            plays[:, m, j, 1] = np.tile(e["reply"], k)
        plays[:, 1 - m, :, 0] = other["profile"][:, None]
        plays[:, 1 - m, :, 1] = other["reply"][:, None]
        variants = [(plays, here, np.ones(st_k.size, dtype=bool))]
        # Where the receivers' game has no pure equilibrium just past the switch, two
        # governments mix there (:mod:`.buy_time_government_mixing`): the mixed play closest
        # to an equilibrium at either side is tried as each play's lottery partner.
        sides = []
        # (two governments mix: with one there is no mixed play)
        for t in (lo, hi) if stage.s.stake.size >= 2 else ():
            xt = (1 - t)[:, None] * x_a + t[:, None] * x_b
            game = receivers_game(stage, st_m, posteriors(stage.mu[st_m], xt)[m], m)
            margins = mixed_margins(game["u"], game["g"])
            code = stage.P + margins.argmax(axis=1)
            value = play_payoffs(stage, m, game, code, np.zeros(n, dtype=np.int64))["russia"]
            sides.append({"margin": margins.max(axis=1), "code": code, "value": value[..., _EQ]})
        best = {"margin": np.full(n, -np.inf)}  # no mixed play with one government
        if sides:
            hi_better = sides[1]["margin"] > sides[0]["margin"]
            best = {
                key: np.where(hi_better.reshape((n,) + (1,) * (a.ndim - 1)), b, a)
                for key, a, b in ((k, sides[0][k], sides[1][k]) for k in sides[0])
            }
        if np.any(best["margin"] > -_SLACK):
            for j in (0, 1):  # the mixed play in place of the play on one side
                variant = plays.copy()
                variant[:, m, j, 0] = np.tile(best["code"], k)
                variant[:, m, j, 1] = 0
                values = list(here)
                values[j] = best["value"]
                # only where that play is close to an equilibrium (a row's candidates do
                # not depend on the other rows searched with it)
                keep = np.tile(best["margin"] > -_SLACK, k)
                variants.append((variant, values, keep))
        where = np.round(posteriors(stage.mu[st_m], at_switch)[m], 6) + 10 * m
        for v_plays, v_here, v_rows in variants:
            here_k = [np.tile(h, (k, 1)) for h in v_here]
            # the types' residual under the best of a few lottery weights between the plays
            resid = np.full(st_k.size, np.inf)
            for y in np.linspace(0.0, 1.0, 41):
                v = (1 - y) * here_k[0] + y * here_k[1]
                d = v - other_v if m == 1 else other_v - v  # talking over fighting
                res = np.where(pres_k, np.abs(xs - np.clip(xs + d, 0.0, 1.0)), 0.0).max(axis=1)
                resid = np.minimum(resid, res)
            resid = np.where(both_sent(xs, pres_k), resid, np.inf)
            part_k = {
                "state": st_k,
                "x": xs,
                "plays": v_plays,
                # a switch's best scale names its quality, for every scale
                "resid": np.tile(resid.reshape(k, n).min(axis=0), k),
                # a switch is named by its message and its posterior there
                "where": np.tile(where, (k, 1)),
                "m": np.full(st_k.size, m),
            }
            parts.append({key: value[v_rows] for key, value in part_k.items()})
    if not parts:
        return as_candidates([])
    found = {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}
    rows_kept: list[dict] = []
    for st in states.tolist():
        idx = np.flatnonzero((found["state"] == st) & np.isfinite(found["resid"]))
        idx = idx[np.argsort(found["resid"][idx], kind="stable")]
        switches: list[np.ndarray] = []
        tried: set[tuple] = set()
        for i in idx.tolist():
            known = any(np.abs(found["where"][i] - w).max() <= _SAME_SWITCH for w in switches)
            if not known:
                if len(switches) == _SWITCHES:
                    continue
                switches.append(found["where"][i])
            name = (tuple(np.round(found["x"][i], 6)), found["plays"][i].tobytes())
            if name in tried:
                continue
            tried.add(name)
            m = int(found["m"][i])
            for held in (0, 1):
                rows_kept.append(
                    {
                        "state": st,
                        "plays": found["plays"][i],
                        "lottery": [m == 0, m == 1],
                        "boundary": [held if m == 0 else -1, held if m == 1 else -1],
                        "x": found["x"][i],
                    }
                )
    return as_candidates(rows_kept)


def as_candidates(rows: list[dict]) -> dict:
    """Candidates (one dict each: state, plays, lottery, boundary, x) as arrays.

    Parameters
    ----------
    rows : list of dict
        One candidate each (``triple`` and ``third`` optional).

    Returns
    -------
    dict of str to numpy array
        ``state``, ``plays`` (n, 2, 2, 2), ``lottery`` and ``boundary`` (n, 2), ``x``
        (n, 4), ``triple`` (n,), ``third`` (n, 2).
    """
    return {
        "state": np.array([r["state"] for r in rows], dtype=np.int64),
        "plays": np.array([r["plays"] for r in rows], dtype=np.int64).reshape(-1, 2, 2, 2),
        "lottery": np.array([r["lottery"] for r in rows], dtype=bool).reshape(-1, 2),
        "boundary": np.array([r["boundary"] for r in rows], dtype=np.int64).reshape(-1, 2),
        "x": np.array([r["x"] for r in rows], dtype=float).reshape(-1, 4),
        # where Ukraine mixes among three replies after talks, and the third play
        "triple": np.array([r.get("triple", False) for r in rows], dtype=bool),
        "third": np.array([r.get("third", (0, 0)) for r in rows], dtype=np.int64).reshape(-1, 2),
    }


def drawn_candidates(stage: Any, st: np.ndarray, x: np.ndarray, seen: dict) -> dict:
    """Supports guessed at the starting strategies: after each message the plays the
    receivers select near them (``seen``, most frequent first) and the plays closest to being
    equilibria of the receivers' game at the starting strategies (margin above ``-_SLACK``),
    ``_PLAYS`` in all; after talks also in pairs, a pair's lottery held on either play's
    boundary.

    Parameters
    ----------
    stage : _Stage
        The period being solved.
    st : numpy array of int, shape (n,)
        Each start's state.
    x : numpy array, shape (n, 4)
        The starting strategies.
    seen : dict
        Per state and message, the plays selected near the starts (most frequent first).

    Returns
    -------
    dict
        The candidates (:func:`as_candidates`).
    """
    posts = posteriors(stage.mu[st], x)
    best: dict[int, list[dict]] = {}
    P = stage.P
    for m in (0, 1):
        game = receivers_game(stage, st, posts[m], m)
        # pure plays (3 x profile + reply), then the governments' mixed plays (3 P + c)
        margin = np.concatenate(
            [play_margins(game).reshape(st.size, -1), mixed_margins(game["u"], game["g"])], axis=1
        )
        for r in range(st.size):
            per = best.setdefault(int(st[r]), [{}, {}])[m]
            for k in np.flatnonzero(margin[r] >= -_SLACK):
                per[int(k)] = max(per.get(int(k), -np.inf), float(margin[r, k]))
    cands: list[dict] = []
    for r in range(st.size):
        s_ = int(st[r])
        per_m = []
        for m in (0, 1):
            near = sorted(best[s_][m], key=lambda k: -best[s_][m][k])
            top = list(dict.fromkeys(seen[s_][m][: _PLAYS[m]] + near))[: _PLAYS[m]]
            plays_m = [(k // 3, k % 3) if k < 3 * P else (k - 2 * P, 0) for k in top]
            options = [((a, a), False, -1) for a in plays_m]
            if m == 1:
                for i, a in enumerate(plays_m):
                    for b in plays_m[i + 1 :]:
                        options += [((a, b), True, e) for e in (0, 1)]
            per_m.append(options)
        cands += paired_supports(s_, per_m, x[r])
    return as_candidates(cands)


def paired_supports(state: int, per_message: list[list[tuple]], x: np.ndarray) -> list[dict]:
    """Candidates at ``state`` pairing each option after fighting with each after talks.

    Parameters
    ----------
    state : int
        The state.
    per_message : list of two lists of tuple
        Per message, its options: ``(plays, lottery, held)``, the two plays (each a
        ``(profile, reply)`` pair), whether they are a lottery, and which of them is held on
        its boundary (-1: neither).
    x : numpy array, shape (4,)
        The starting strategies.

    Returns
    -------
    list of dict
        One candidate per pair of options (:func:`as_candidates` takes them).
    """
    return [
        {
            "state": state,
            "plays": [o0[0], o1[0]],
            "lottery": [o0[1], o1[1]],
            "boundary": [o0[2], o1[2]],
            "x": x,
        }
        for o0 in per_message[0]
        for o1 in per_message[1]
    ]


def triple_candidates(stage: Any, st: np.ndarray, x: np.ndarray, seen: dict) -> dict:
    """Supports in which Ukraine mixes among signing, a ceasefire and fighting on at one
    profile after talks (the posterior held where it is indifferent among the three), at the
    profiles of the ``_TRIPLES`` plays the receivers select most often after talks near the
    starting strategies ``x``; after fighting, the play selected most often. None without the
    ceasefire option.

    Parameters
    ----------
    stage, st, x, seen
        As for :func:`drawn_candidates`.

    Returns
    -------
    dict
        The candidates (:func:`as_candidates`).
    """
    if not stage.s.settings.ceasefire:
        return as_candidates([])
    rows: list[dict] = []
    for r in range(st.size):
        s_ = int(st[r])
        fight = seen[s_][0][0]
        profiles = list(dict.fromkeys(k // 3 for k in seen[s_][1]))[:_TRIPLES]
        for profile in profiles:
            rows.append(
                {
                    "state": s_,
                    "plays": [
                        [(fight // 3, fight % 3)] * 2,
                        [(profile, SIGN), (profile, CEASEFIRE)],
                    ],
                    "lottery": [False, True],
                    "boundary": [-1, -1],
                    "x": x[r],
                    "triple": True,
                    "third": (profile, FIGHT_ON),
                }
            )
    return as_candidates(rows)
