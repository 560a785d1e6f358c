"""Equilibria of the receivers' game in which two Western governments mix.

After a message the governments choose their stances at once and Ukraine answers the profile
it sees. At some posteriors that game has no equilibrium in pure stances: one government eases
only if Ukraine then signs, Ukraine signs only if a second government eases too, and that one
eases only if the first holds. There two governments ``a`` and ``b`` mix, the others keep
stances ``p0`` and Ukraine best-replies to each of the four profiles that can occur. Each
mixing government must be indifferent, and its payoff is linear in the other's probability, so
the probabilities are closed-form: with ``G_i(p)`` government ``i``'s payoff at profile ``p``
answered by Ukraine's best reply, ``b`` sets its bit with the probability ``s_b`` that makes
``a`` indifferent,

``s_b (G_a(p0|A|B) - G_a(p0|B)) + (1 - s_b) (G_a(p0|A) - G_a(p0)) = 0``,

and symmetrically for ``s_a`` (``A = 1 << a``, ``B = 1 << b``: a set bit is the stance that
bit stands for in :attr:`.buy_time_setup.Tables.hold`). The play is an equilibrium where both
probabilities lie in ``[0, 1]``, Ukraine's reply is a best reply at every profile that occurs,
and no other government gains in expectation by flipping its stance (the deviation answered,
at each profile, by a best reply of Ukraine's, at a tie the one that deters it). Its *margin*
is the smallest of these slacks: non-negative where the play is an equilibrium, zero on the
boundary of the posteriors where it is (as
:func:`.buy_time_lottery_plays.play_margin` for a pure play).

A mixed play is named by an integer *code* ``P + c`` (``P`` profiles, ``c`` its index in
:func:`combos`), so the searches can hold it where they hold a pure play ``(profile, reply)``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

__all__ = ["combos", "is_mixed", "mixed_margins", "mixed_plays", "own_margins"]

#: Four profiles of a mixed play: neither, ``a`` alone, ``b`` alone, both bits set.
_CORNERS = 4


@lru_cache(maxsize=8)
def combos(n: int) -> tuple[tuple[int, int, int], ...]:
    """Every mixed play's ``(a, b, p0)`` for ``n`` governments: two mixing governments
    ``a < b`` and the others' stances ``p0`` (with bits ``a`` and ``b`` clear).

    Parameters
    ----------
    n : int
        The number of governments.

    Returns
    -------
    tuple of (int, int, int)

    Examples
    --------
    >>> combos(2)
    ((0, 1, 0),)
    >>> len(combos(4))
    24
    """
    out = []
    for a in range(n):
        for b in range(a + 1, n):
            mask = (1 << a) | (1 << b)
            out.extend((a, b, p0) for p0 in range(1 << n) if not p0 & mask)
    return tuple(out)


def is_mixed(code: np.ndarray, profiles: int) -> np.ndarray:
    """Whether play codes name mixed plays (codes ``>= profiles``).

    Parameters
    ----------
    code : numpy array of int
        Play codes: a profile (pure play) or ``profiles + c`` (mixed play ``c``).
    profiles : int
        The number of profiles ``P``.

    Returns
    -------
    numpy array of bool
    """
    return np.asarray(code) >= profiles


def own_margins(u: np.ndarray) -> np.ndarray:
    """Ukraine's margin of each reply over its best other reply (..., 3); 1 where it has no
    other, ``-inf`` where the reply is not available.

    Parameters
    ----------
    u : numpy array, shape (..., 3)
        Ukraine's expected payoff of each reply (``-inf`` where not available).

    Returns
    -------
    numpy array, shape (..., 3)

    Examples
    --------
    >>> own_margins(np.array([1.0, -np.inf, 0.25])).tolist()
    [0.75, -inf, -0.75]
    """
    own = np.empty_like(u)
    n = u.shape[-1]
    for r in range(n):
        rest = [j for j in range(n) if j != r]
        others = u[..., rest[0]]
        for j in rest[1:]:  # the best other reply, one column at a time (no copy of u)
            others = np.maximum(others, u[..., j])
        own[..., r] = np.where(np.isfinite(others), u[..., r] - others, 1.0)
    return np.where(np.isfinite(u), own, -np.inf)


def mixed_plays(u: np.ndarray, g: np.ndarray, combo: np.ndarray) -> dict[str, np.ndarray]:
    """The mixed plays ``combo[r]`` of the receivers' game in each row.

    Parameters
    ----------
    u : numpy array, shape (R, P, 3)
        Ukraine's expected payoff of each reply at each profile (``-inf``: not available).
    g : numpy array, shape (R, P, 3, n)
        Each government's payoff at each profile when Ukraine replies there with each reply.
    combo : numpy array of int, shape (R,)
        The mixed play of each row (an index into :func:`combos`).

    Returns
    -------
    dict of str to numpy array
        ``profile`` and ``reply`` (R, 4): the four profiles that can occur and Ukraine's reply
        to each; ``weight`` (R, 4): their probabilities (``nan`` where the governments cannot
        be made indifferent); ``margin`` (R,): the play's signed margin as an equilibrium.
    """
    R, P, _ = u.shape
    n = g.shape[-1]
    table = np.array(combos(n), dtype=np.int64).reshape(-1, 3)
    a, b, p0 = table[combo, 0], table[combo, 1], table[combo, 2]
    A, B = 1 << a, 1 << b
    prof = np.stack([p0, p0 | A, p0 | B, p0 | A | B], axis=1)  # (R, 4)
    r = np.arange(R)[:, None]
    own = own_margins(u)  # (R, P, 3)
    reply = np.argmax(u[r, prof], axis=-1)  # (R, 4) Ukraine's best reply (first at a tie)
    gov = g[r, prof, reply]  # (R, 4, n): each government's payoff at each profile
    ga = gov[np.arange(R), :, a]  # (R, 4)
    gb = gov[np.arange(R), :, b]
    d0, d1 = ga[:, 1] - ga[:, 0], ga[:, 3] - ga[:, 2]  # a's gain from its bit, b clear / set
    e0, e1 = gb[:, 2] - gb[:, 0], gb[:, 3] - gb[:, 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        s_b = d0 / (d0 - d1)
        s_a = e0 / (e0 - e1)
    weight = np.stack([(1 - s_a) * (1 - s_b), s_a * (1 - s_b), (1 - s_a) * s_b, s_a * s_b], 1)
    margin = np.minimum.reduce([s_a, 1 - s_a, s_b, 1 - s_b])
    margin = np.where(np.isfinite(margin), margin, -np.inf)
    # Ukraine best-replies at every profile that can occur
    margin = np.minimum(margin, own[r, prof, reply].min(axis=1))
    # each other government: its expected loss from flipping, each deviation answered by the
    # best reply of Ukraine's that deters it most
    for c in range(n):
        other = (a != c) & (b != c)
        if not other.any():
            continue
        flipped = prof ^ (1 << c)  # (R, 4)
        here = gov[:, :, c]  # (R, 4)
        there = g[r, flipped, :, c]  # (R, 4, 3)
        # as for a pure play: the best over Ukraine's replies there of the smaller of the
        # deviation's loss and Ukraine's margin of that reply (continuous in the posterior)
        loss = np.minimum(here[..., None] - there, own[r, flipped]).max(axis=-1)  # (R, 4)
        expected = np.where(np.isfinite(weight), weight, 0.0) * loss
        margin = np.where(other, np.minimum(margin, expected.sum(axis=1)), margin)
    return {"profile": prof, "reply": reply, "weight": weight, "margin": margin}


def mixed_margins(u: np.ndarray, g: np.ndarray) -> np.ndarray:
    """:func:`mixed_plays`' margin of every mixed play (R, C) at once.

    Parameters
    ----------
    u : numpy array, shape (R, P, 3)
        Ukraine's expected payoff of each reply at each profile.
    g : numpy array, shape (R, P, 3, n)
        Each government's payoff at each profile and reply.

    Returns
    -------
    numpy array, shape (R, C)
        ``C = len(combos(n))``.
    """
    R = u.shape[0]
    C = len(combos(g.shape[-1]))
    rows = np.repeat(np.arange(R), C)
    out = mixed_plays(u[rows], g[rows], np.tile(np.arange(C), R))["margin"]
    return out.reshape(R, C)
