"""The receivers' game after a message at any posterior, and the payoffs and margins of its
plays, as the lottery search (:mod:`.buy_time_lotteries`) reads them.

A *play* is a profile of the governments' stances and Ukraine's reply, or a profile code
``P + c`` naming the mixed play ``c`` of two governments
(:mod:`.buy_time_government_mixing`). Its *margin* is non-negative where it is an equilibrium
of the receivers' game and zero on the boundary of the posteriors where it is.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from simulator.model.buy_time_certificate import governments_tie, mixed_gain, ukraine_regret
from simulator.model.buy_time_government_mixing import is_mixed, mixed_plays, own_margins
from simulator.model.buy_time_setup import CEASEFIRE, FIGHT_ON, SIGN

__all__ = ["mixing_regret", "play_margin", "play_margins", "play_payoffs", "receivers_game"]


def receivers_game(stage: Any, rows: np.ndarray, pi: np.ndarray, m: int) -> dict:
    """The receivers' game after message ``m`` at posteriors ``pi`` (R, 4) in states ``rows``.

    Returns the options (:meth:`.buy_time_game._Stage._options`), Ukraine's expected payoff
    of each reply at each profile ``u`` (R, P, 3; ``-inf`` where the reply is not available)
    and each government's payoff at each profile if Ukraine replies there with each reply
    ``g`` (R, P, 3, n), both read from the stage (``ukraine_expected``,
    ``government_payoffs``), so the rules are the stage's own.

    Parameters
    ----------
    stage : _Stage
        The period being solved.
    rows : numpy array of int, shape (R,)
        States.
    pi : numpy array, shape (R, 4)
        The receivers' posterior in each row.
    m : int
        The message.

    Returns
    -------
    dict
        ``options``, ``u`` (R, P, 3) and ``g`` (R, P, 3, n) as above.
    """
    o = stage._options(rows, pi, bool(stage.s.tables.verified[m]))
    u = stage.ukraine_expected(pi, o)  # (R, P, 3), a ceasefire -inf without the option
    if stage.s.tables.fights(m):  # after fighting, a battle
        u[..., SIGN] = -np.inf
        u[..., CEASEFIRE] = -np.inf
    g = np.stack(
        [stage.government_payoffs(pi, m, o, k) for k in (SIGN, CEASEFIRE, FIGHT_ON)],
        axis=2,
    )
    return {"options": o, "u": u, "g": g}


def play_margin(game: dict, profile: np.ndarray, reply: np.ndarray) -> np.ndarray:
    """The signed margin (R,) of the play ``(profile[r], reply[r])`` as an equilibrium of the
    receivers' game in row ``r``: non-negative where it is one, zero on the boundary of the
    set of posteriors where it is.

    The smallest of Ukraine's margin of its reply at the profile over its other replies and,
    for each government, its margin against flipping its stance: the best, over Ukraine's
    replies at the profile it would reach, of the smaller of the deviation's loss to the
    government under that reply and Ukraine's margin of that reply there (so the deviation is
    answered by a best reply of Ukraine's; at Ukraine's tie there, by either reply). A profile
    code ``P + c`` names the mixed play ``c`` of two governments (its reply is not read).

    Parameters
    ----------
    game : dict
        A receivers' game (:func:`receivers_game`): ``u`` and ``g``.
    profile, reply : numpy arrays of int, shape (R,)
        The play in each row.

    Returns
    -------
    numpy array, shape (R,)
    """
    u, g = game["u"], game["g"]
    P = u.shape[1]
    mixed = is_mixed(profile, P)
    out = np.empty(profile.size)
    if mixed.any():  # two governments mixing (:mod:`.buy_time_government_mixing`)
        out[mixed] = mixed_plays(u[mixed], g[mixed], profile[mixed] - P)["margin"]
    pure = ~mixed
    u, g, profile, reply = u[pure], g[pure], profile[pure], reply[pure]
    r = np.arange(profile.size)
    margin = own_margins(u[r, profile])[r, reply]
    for i in range(g.shape[-1]):
        flipped = profile ^ (1 << i)
        loss = g[r, profile, reply, i][:, None] - g[r, flipped, :, i]  # (R, 3)
        margin = np.minimum(margin, np.minimum(loss, own_margins(u[r, flipped])).max(axis=-1))
    out[pure] = margin
    return out


def play_margins(game: dict, ukraine: bool = True) -> np.ndarray:
    """:func:`play_margin` of every play (R, P, 3) at once.

    Parameters
    ----------
    game : dict
        A receivers' game (:func:`receivers_game`): ``u`` and ``g``.
    ukraine : bool
        Whether Ukraine's margin of its reply at the profile counts (without it, the
        governments' margins alone: where Ukraine is indifferent between two replies, the
        margin of each play is the governments').

    Returns
    -------
    numpy array, shape (R, P, 3)
    """
    u, g = game["u"], game["g"]
    P = u.shape[1]
    own = own_margins(u)
    out = own.copy() if ukraine else np.full_like(own, np.inf)
    for i in range(g.shape[-1]):
        flipped = np.arange(P) ^ (1 << i)
        gi = g[..., i]
        loss = gi[:, :, :, None] - gi[:, flipped][:, :, None, :]  # [row, p, r, r']
        out = np.minimum(out, np.minimum(loss, own[:, flipped][:, :, None, :]).max(axis=-1))
    return out


def play_payoffs(stage: Any, m: int, game: dict, profile: np.ndarray, reply: np.ndarray) -> dict:
    """Russia's (R, 4, 3 plans) and Ukraine's (R, 4) payoffs of the play (profile, reply),
    and the four plays it consists of (``sub_profile``, ``sub_reply``, ``sub_weight``, (R, 4);
    a pure play is its own first with weight 1) and whether it is mixed (``receivers_mix``,
    (R,)).

    A profile code ``P + c`` names the mixed play ``c`` of two governments: its payoffs are
    the expectation over the four profiles that can occur, each answered by Ukraine's reply.

    Parameters
    ----------
    stage : _Stage
        The period being solved.
    m : int
        The message.
    game : dict
        The receivers' game after it (:func:`receivers_game`), rows aligned.
    profile, reply : numpy arrays of int, shape (R,)
        The play in each row.

    Returns
    -------
    dict of str to numpy array
        ``russia``, ``ukraine``, ``sub_profile``, ``sub_reply``, ``sub_weight``,
        ``receivers_mix``.
    """
    P = game["u"].shape[1]
    R = profile.size
    mixed = is_mixed(profile, P)
    sub_profile = np.repeat(profile[:, None], 4, axis=1).astype(np.int64)
    sub_reply = np.repeat(reply[:, None], 4, axis=1).astype(np.int64)
    sub_weight = np.zeros((R, 4))
    sub_weight[:, 0] = 1.0
    if mixed.any():
        spread = mixed_plays(game["u"][mixed], game["g"][mixed], profile[mixed] - P)
        sub_profile[mixed] = spread["profile"]
        sub_reply[mixed] = spread["reply"]
        sub_weight[mixed] = np.nan_to_num(np.clip(spread["weight"], 0.0, 1.0))
    out: dict[str, np.ndarray] = {}
    for k in range(4 if mixed.any() else 1):
        play = stage._play_at(
            m, game["options"], sub_reply[:, k].astype(np.int8), sub_profile[:, k]
        )
        for key in ("russia", "ukraine"):
            w = sub_weight[:, k].reshape((R,) + (1,) * (play[key].ndim - 1))
            out[key] = out.get(key, 0.0) + w * play[key]
    return out | {
        # the play's first (profile, reply) pair stands for it where one play is read
        "profile": sub_profile[:, 0],
        "reply": sub_reply[:, 0],
        "sub_profile": sub_profile,
        "sub_reply": sub_reply,
        "sub_weight": sub_weight,
        "receivers_mix": mixed,
    }


def mixing_regret(
    game: dict, profile: np.ndarray, reply: np.ndarray, weight: np.ndarray
) -> np.ndarray:
    """The receivers' largest gain (R,) at plays of four (profile, reply) pairs with weights
    (R, 4), as the certificate computes it (:func:`.buy_time_certificate.mixed_gain`), from a
    receivers' game (:func:`receivers_game`, rows aligned).

    Parameters
    ----------
    game : dict
        A receivers' game (:func:`receivers_game`): ``u`` and ``g``.
    profile, reply : numpy arrays of int, shape (R, 4)
        The play's (profile, reply) pairs.
    weight : numpy array, shape (R, 4)
        Their probabilities.

    Returns
    -------
    numpy array, shape (R,)
    """
    payoff = game["g"].transpose(2, 0, 1, 3)  # (3 replies, R, P, n)
    regret = ukraine_regret(game["u"])
    return mixed_gain(regret, payoff, profile, reply, weight, governments_tie(payoff))
