"""The receivers' play in a buy-time stage at any posterior, and where it switches.

The searches for mixed equilibria (:mod:`.buy_time_two_types`, :mod:`.buy_time_off_path`,
:mod:`.buy_time_interior`, :mod:`.buy_time_switching`) ask the stage for the governments' and
Ukraine's play after a message at many posteriors, and for the posteriors where that play
changes. Both live here, once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from simulator.model import rules

__all__ = [
    "PLAY_ROWS",
    "bayes",
    "best_per_state",
    "both_sent",
    "deterring_sets",
    "false_position",
    "first_two_messages",
    "locate_switch",
    "mixing_arrays",
    "pair_belief",
    "play_key",
    "play_keys",
    "plays",
    "posteriors",
    "record_mixing",
    "record_play",
    "solve_each",
    "two_type_states",
    "with_two_types",
]

#: Rows of the receivers' play computed in one call (past about 800 a row costs more).
PLAY_ROWS = 768
# false position bisects a bracket once this many rounds have not halved the function's size
# at its points (it jumps there)
_JUMP_ROUNDS = 6


def plays(stage: Any, states: np.ndarray, belief: np.ndarray, m: np.ndarray) -> dict:
    """The receivers' play after message ``m[r]`` at ``belief[r]`` in state ``states[r]``.

    Parameters
    ----------
    stage : _Stage
        The period being solved (``simulator.model.buy_time_game._Stage``).
    states : numpy array of int, shape (R,)
        The stage's states.
    belief : numpy array, shape (R, 4)
        The receivers' posterior over Russia's types.
    m : numpy array of int, shape (R,)
        The message.

    Returns
    -------
    dict of str to numpy array
        ``russia`` (R, 4 types, 3 plans), ``ukraine`` (R, 4), ``profile`` and ``reply`` (R,),
        and ``gain`` (R,): the governments' residual gain at the selected profile.
    """
    R = states.size
    out: dict[str, np.ndarray] = {
        "russia": np.empty((R, 4, 3)),
        "ukraine": np.empty((R, 4)),
        "profile": np.empty(R, dtype=np.int64),
        "reply": np.empty(R, dtype=np.int64),
        "gain": np.empty(R),
    }
    return _by_message(stage, states, belief, m, out, payoffs=True)


def play_keys(stage: Any, states: np.ndarray, belief: np.ndarray, m: np.ndarray) -> np.ndarray:
    """:func:`play_key` of :func:`plays` without the payoffs (where a search only locates a
    switch of the play): the same keys, computed with less.

    Parameters
    ----------
    stage, states, belief, m
        As for :func:`plays`.

    Returns
    -------
    numpy array of int, shape (R,)
    """
    R = states.size
    out = {"profile": np.empty(R, dtype=np.int64), "reply": np.empty(R, dtype=np.int64)}
    return play_key(_by_message(stage, states, belief, m, out, payoffs=False))


def _by_message(
    stage: Any,
    states: np.ndarray,
    belief: np.ndarray,
    m: np.ndarray,
    out: dict[str, np.ndarray],
    payoffs: bool,
) -> dict[str, np.ndarray]:
    """Fill ``out``'s arrays with the stage's play, message by message, in chunks."""
    for msg in np.unique(m):
        idx = np.flatnonzero(m == msg)
        for a in range(0, idx.size, PLAY_ROWS):
            part = idx[a : a + PLAY_ROWS]
            play = stage._receivers(states[part], belief[part], [int(msg)], payoffs)[0]
            for key, table in out.items():
                table[part] = play[key]
    return out


def deterring_sets(
    worth: np.ndarray, value: np.ndarray, present: np.ndarray, tol: np.ndarray | float
) -> np.ndarray:
    """Which restricted beliefs deter every type present from a message nobody sends.

    Parameters
    ----------
    worth : numpy array, shape (R, 15, 4)
        Each type's value of sending the message when the receivers hold each of the 15
        restricted beliefs (:func:`~simulator.model.buy_time_setup.restrict`).
    value : numpy array, shape (R, 4)
        Each type's equilibrium value.
    present : numpy array of bool, shape (R, 4)
        The types the public has not ruled out (the others do not constrain it).
    tol : float or numpy array of shape (R,)
        The largest gain allowed a type.

    Returns
    -------
    numpy array of bool, shape (R, 15)
        Where no present type would gain more than ``tol`` by sending the message.

    Examples
    --------
    >>> worth = np.zeros((1, 15, 4)); worth[0, 0] = 1.0
    >>> deterring_sets(worth, np.zeros((1, 4)), np.ones((1, 4), bool), 1e-9)[0, :3].tolist()
    [False, True, True]
    """
    slack = value[:, None, :] + np.reshape(tol, (-1, 1, 1))
    return np.all((worth <= slack) | ~present[:, None, :], axis=2)


def play_key(play: dict) -> np.ndarray:
    """One integer per row naming the play (the governments' profile and Ukraine's reply).

    Parameters
    ----------
    play : dict
        A play as :func:`plays` returns it (``profile`` and ``reply``, shape (R,)).

    Returns
    -------
    numpy array of int, shape (R,)
        ``16 x profile + reply``: equal keys mean the same play.
    """
    return play["profile"] * 16 + play["reply"]


def pair_belief(i: np.ndarray, j: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Beliefs with weight ``1 - q`` on type ``i`` and ``q`` on type ``j`` (one row each).

    Parameters
    ----------
    i, j : numpy array of int, shape (R,)
        The two types.
    q : numpy array, shape (R,)
        The weight on type ``j``.

    Returns
    -------
    numpy array, shape (R, 4)
        The beliefs.

    Examples
    --------
    >>> pair_belief(np.array([0]), np.array([2]), np.array([0.25]))
    array([[0.75, 0.  , 0.25, 0.  ]])
    """
    b = np.zeros((q.size, 4))
    r = np.arange(q.size)
    b[r, i] = 1.0 - q
    b[r, j] = q
    return b


def locate_switch(
    key_at: Callable[[np.ndarray, np.ndarray], np.ndarray],
    lo: np.ndarray,
    hi: np.ndarray,
    key_lo: np.ndarray,
    width: float | np.ndarray = 1e-13,
) -> tuple[np.ndarray, np.ndarray]:
    """Shrink brackets ``[lo, hi]`` around the point where a play's key leaves ``key_lo``.

    Bisection: each round evaluates the key at the middle of every bracket still wider than
    its width, at once, and keeps the half where it changes. A bracket's result is the same
    whichever other brackets are shrunk with it.

    Parameters
    ----------
    key_at : callable
        ``key_at(rows, t)``: the play's key at parameter ``t`` of bracket ``rows``.
    lo, hi : numpy array, shape (R,)
        The brackets; the key is ``key_lo`` at ``lo`` and differs at ``hi``.
    key_lo : numpy array of int, shape (R,)
        The key at ``lo``.
    width : float or numpy array of shape (R,)
        Stop once every bracket is this narrow (its own width for each bracket).

    Returns
    -------
    tuple of numpy arrays
        The shrunk brackets ``(lo, hi)``.
    """
    lo, hi = lo.astype(float).copy(), hi.astype(float).copy()
    width = np.broadcast_to(width, lo.shape)
    active = hi - lo > width
    while active.any():
        idx = np.flatnonzero(active)
        a, b = lo[idx], hi[idx]
        t = a + (b - a) * 0.5
        same = key_at(idx, t) == key_lo[idx]  # the key has not changed by the middle
        new_lo = np.where(same, t, a)
        new_hi = np.where(same, b, t)
        moved = (new_lo != a) | (new_hi != b)  # a bracket at the floating-point limit stops
        lo[idx], hi[idx] = new_lo, new_hi
        active[idx] = moved & (new_hi - new_lo > width[idx])
    return lo, hi


def solve_each(
    matrices: np.ndarray, rhs: np.ndarray, singular: Callable[[np.ndarray, np.ndarray], np.ndarray]
) -> np.ndarray:
    """Solve a stack of square systems, each on its own: ``singular(a, b)`` solves one that is
    singular.

    :func:`numpy.linalg.solve` fails for a whole stack when one of its systems is singular;
    here the others keep their exact solutions, so a system's solution does not depend on
    which others are solved with it.

    Parameters
    ----------
    matrices : numpy array, shape (n, k, k)
        The systems' matrices.
    rhs : numpy array, shape (n, k)
        Their right-hand sides.
    singular : callable
        ``singular(a, b) -> x`` for one singular system (say, least squares).

    Returns
    -------
    numpy array, shape (n, k)
        The solutions.

    Examples
    --------
    >>> a = np.array([[[2.0, 0.0], [0.0, 4.0]], [[1.0, 1.0], [1.0, 1.0]]])
    >>> b = np.array([[2.0, 4.0], [2.0, 2.0]])
    >>> solve_each(a, b, lambda a_, b_: np.linalg.lstsq(a_, b_, rcond=None)[0]).tolist()
    [[1.0, 1.0], [1.0, 1.0]]
    """
    try:
        return np.linalg.solve(matrices, rhs[..., None])[..., 0]
    except np.linalg.LinAlgError:
        out = np.empty(rhs.shape)
        for i, (a, b) in enumerate(zip(matrices, rhs)):
            try:
                out[i] = np.linalg.solve(a[None], b[None, :, None])[0, :, 0]  # as in a stack
            except np.linalg.LinAlgError:
                out[i] = singular(a, b)
        return out


def false_position(
    value_at: Callable[[np.ndarray, np.ndarray], np.ndarray],
    lo: np.ndarray,
    hi: np.ndarray,
    f_lo: np.ndarray,
    f_hi: np.ndarray,
    rounds: int,
    width: float,
    small: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shrink brackets ``[lo, hi]`` around a sign change of a function by false position.

    The Illinois variant: the end kept twice in a row has its value halved for the secant
    step (Dowell & Jarratt 1971, *BIT* 11). A bracket bisects every third round, and in every
    round once six rounds have not halved the smallest size of the function at its points:
    where the function jumps (a receiver switches its play there) secant steps make little
    headway, and bisection reaches ``width`` in a fixed number of rounds. Every bracket is
    stepped at once; a bracket stops once it is narrower than ``width`` or the value at its
    last point is at most ``small`` in size.

    Parameters
    ----------
    value_at : callable
        ``value_at(rows, x)``: the function of brackets ``rows`` at points ``x``.
    lo, hi : numpy array, shape (R,)
        The brackets.
    f_lo, f_hi : numpy array, shape (R,)
        The function at their ends (of opposite signs).
    rounds : int
        The most rounds.
    width, small : float
        The stopping rules above.

    Returns
    -------
    tuple of numpy arrays, shape (R,)
        The shrunk brackets and the function at their ends: ``lo, hi, f_lo, f_hi``.

    Examples
    --------
    >>> lo, hi, f_lo, f_hi = false_position(
    ...     lambda rows, x: x**2 - 2.0, np.array([1.0]), np.array([2.0]),
    ...     np.array([-1.0]), np.array([2.0]), 60, 1e-15, 0.0)
    >>> round(float(lo[0]), 12), round(float(hi[0]), 12)
    (1.414213562373, 1.414213562373)
    """
    lo, hi, f_lo, f_hi = (np.array(a, dtype=float) for a in (lo, hi, f_lo, f_hi))
    g_lo, g_hi = f_lo.copy(), f_hi.copy()  # the ends' values for the secant step
    kept = np.zeros(lo.size, dtype=np.int8)  # which end was kept last (-1 lo, +1 hi)
    active = np.ones(lo.size, dtype=bool)
    # the smallest size of the function at each bracket's points in each round so far, and
    # whether the bracket bisects from now on
    best = np.full((rounds + 1, lo.size), np.inf)
    best[0] = np.minimum(np.abs(f_lo), np.abs(f_hi))
    jumps = np.zeros(lo.size, dtype=bool)
    for round_ in range(rounds):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        a, b, ga, gb = lo[idx], hi[idx], g_lo[idx], g_hi[idx]
        secant = (a * gb - b * ga) / np.where(gb != ga, gb - ga, 1.0)
        inside = (secant > a) & (secant < b) & (round_ % 3 != 2) & ~jumps[idx]
        x = np.where(inside, secant, 0.5 * (a + b))
        f = value_at(idx, x)
        best[round_ + 1, idx] = np.minimum(best[round_, idx], np.abs(f))
        if round_ >= _JUMP_ROUNDS - 1:
            jumps[idx] |= best[round_ + 1, idx] > 0.5 * best[round_ + 1 - _JUMP_ROUNDS, idx]
        same = np.sign(f) == np.sign(f_lo[idx])
        # move the end on f's side; halve the other end's value if it was kept twice
        halve_hi = same & (kept[idx] == 1)
        halve_lo = ~same & (kept[idx] == -1)
        lo[idx] = np.where(same, x, a)
        f_lo[idx] = np.where(same, f, f_lo[idx])
        g_lo[idx] = np.where(same, f, np.where(halve_lo, 0.5 * ga, ga))
        hi[idx] = np.where(same, b, x)
        f_hi[idx] = np.where(same, f_hi[idx], f)
        g_hi[idx] = np.where(same, np.where(halve_hi, 0.5 * gb, gb), f)
        kept[idx] = np.where(same, 1, -1)
        active[idx] = (hi[idx] - lo[idx] > width) & (np.abs(f) > small)
    return lo, hi, f_lo, f_hi


def record_play(
    at: dict,
    state: int,
    m: int,
    belief: np.ndarray,
    first: dict,
    row: int,
    second: dict | None = None,
    row2: int | None = None,
    y: float = 0.0,
) -> None:
    """Write the receivers' play after message ``m`` at ``state`` into the stage's ``at``.

    The play is ``first[..][row]``, or the public lottery ``(1 - y) first + y second`` (rows
    ``row`` and ``row2`` of plays as :func:`plays` returns them); Russia's and Ukraine's
    values are the lottery's. A play whose ``receivers_mix`` entry is true is a mixed play
    of the receivers (two governments mixing, or Ukraine among its replies): its four
    profiles, Ukraine's replies and their weights
    (``sub_profile``, ``sub_reply``, ``sub_weight``) go into ``at``'s ``mixed_profile``,
    ``mixed_reply`` and ``mixed_weight`` (S, M, 2 plays, 4), and ``receivers_mix``
    (S, M, 2) is set.

    Parameters
    ----------
    at : dict of str to numpy array
        Each message's play: ``belief``, ``russia``, ``ukraine``, ``profile``, ``reply``,
        ``profile2``, ``reply2``, ``lottery`` (written in place).
    state, m : int
        The state and the message.
    belief : numpy array, shape (4,)
        The receivers' belief after ``m``.
    first : dict
        Plays; ``row`` picks the one played (or the lottery's first).
    row : int
        Its row.
    second : dict, optional
        The lottery's second plays (default: no lottery).
    row2 : int, optional
        Its row (default ``row``).
    y : float
        The lottery's weight on the second play.
    """
    if second is None:
        second, y = first, 0.0
    row2 = row if row2 is None else row2
    at["belief"][state, m] = belief
    at["profile"][state, m], at["reply"][state, m] = first["profile"][row], first["reply"][row]
    at["profile2"][state, m] = second["profile"][row2]
    at["reply2"][state, m] = second["reply"][row2]
    at["lottery"][state, m] = y
    for j, (play, r) in enumerate(((first, row), (second, row2))):
        mixed = bool(play["receivers_mix"][r]) if "receivers_mix" in play else False
        at["receivers_mix"][state, m, j] = mixed
        if mixed:
            at["mixed_profile"][state, m, j] = play["sub_profile"][r]
            at["mixed_reply"][state, m, j] = play["sub_reply"][r]
            at["mixed_weight"][state, m, j] = play["sub_weight"][r]
    for key in ("russia", "ukraine"):
        at[key][state, m] = (1 - y) * first[key][row] + y * second[key][row2]


def mixing_arrays(S: int, M: int) -> dict[str, np.ndarray]:
    """The parts of a stage's plays (``at``) that say where two governments mix, empty.

    Parameters
    ----------
    S, M : int
        States and messages.

    Returns
    -------
    dict of str to numpy array
        ``receivers_mix`` (S, M, 2 plays) false; ``mixed_profile``, ``mixed_reply`` and
        ``mixed_weight`` (S, M, 2, 4) zeros: where the receivers mix within a play of a
        message's lottery, the four profiles that can occur, Ukraine's reply to each and their
        probabilities (two governments: :mod:`.buy_time_government_mixing`; or Ukraine
        among its replies at one profile: :mod:`.buy_time_lotteries`).
    """
    return {
        "receivers_mix": np.zeros((S, M, 2), dtype=bool),
        "mixed_profile": np.zeros((S, M, 2, 4), dtype=np.int64),
        "mixed_reply": np.zeros((S, M, 2, 4), dtype=np.int64),
        "mixed_weight": np.zeros((S, M, 2, 4)),
    }


def posteriors(mu: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The posteriors after fighting and after talking when the types talk with ``x``.

    Parameters
    ----------
    mu : numpy array, shape (R, 4)
        The public belief before the message.
    x : numpy array, shape (R, 4)
        Each type's probability of talking.

    Returns
    -------
    tuple of numpy arrays, shape (R, 4)
        Bayes' rule after each message; after a message nobody sends, the prior.

    Examples
    --------
    >>> fight, talk = posteriors(np.array([[0.5, 0.5, 0, 0]]), np.array([[1.0, 0, 0, 0]]))
    >>> fight.tolist(), talk.tolist()
    ([[0.0, 1.0, 0.0, 0.0]], [[1.0, 0.0, 0.0, 0.0]])
    """
    return bayes(mu, 1.0 - x), bayes(mu, x)


def bayes(mu: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """The posterior after a message each type sends with probability ``weight``: Bayes' rule
    from ``mu``, and ``mu`` itself where no type sends it.

    Parameters
    ----------
    mu : numpy array, shape (R, 4)
        The public belief before the message.
    weight : numpy array, shape (R, 4)
        Each type's probability of sending it.

    Returns
    -------
    numpy array, shape (R, 4)

    Examples
    --------
    >>> bayes(np.array([[0.5, 0.5, 0, 0]]), np.array([[0.2, 0.6, 1, 1]])).tolist()
    [[0.25, 0.75, 0.0, 0.0]]
    """
    joint = mu * weight
    total = joint.sum(-1, keepdims=True)
    return np.where(total > 0, joint / np.where(total > 0, total, 1.0), mu)


def best_per_state(states: np.ndarray, ok: np.ndarray, score: np.ndarray) -> dict[int, int]:
    """For each state, the candidate (row) that is ``ok`` with the highest ``score``.

    Parameters
    ----------
    states : numpy array of int, shape (n,)
        Each candidate's state.
    ok : numpy array of bool, shape (n,)
        Which candidates are equilibria.
    score : numpy array, shape (n,)
        The selection's score (Russia's ex-ante payoff). Scores within the solver's tolerance
        (``rules.TOL x max(1, |score|)``) are ties, and the first candidate wins a tie: the
        same equilibrium is chosen whatever the rounding of the roots found.

    Returns
    -------
    dict of int to int
        ``{state: row}``.
    """
    chosen: dict[int, int] = {}
    for r in np.flatnonzero(ok):
        st = int(states[r])
        if st not in chosen:
            chosen[st] = int(r)
            continue
        best = score[chosen[st]]
        if score[r] > best + rules.TOL * max(1.0, abs(best)):
            chosen[st] = int(r)
    return chosen


def record_mixing(sender: np.ndarray, state: int, x: np.ndarray, present: np.ndarray) -> None:
    """Write each present type's strategy (talk with ``x``, else fight) into ``sender``.

    Parameters
    ----------
    sender : numpy array, shape (S, 4, 2)
        Each type's probability of each message, written in place at ``state``.
    state : int
        The state.
    x : numpy array, shape (4,)
        Each type's probability of talking.
    present : numpy array of bool, shape (4,)
        The types the public has not ruled out (the others get zeros).
    """
    sender[state] = 0.0
    sender[state, :, 0] = np.where(present, 1.0 - x, 0.0)
    sender[state, :, 1] = np.where(present, x, 0.0)


def first_two_messages(stage: Any) -> bool:
    """Whether Russia's messages at this stage are its first two alone (fighting and talking,
    or a view's pair of a stage with a verified withdrawal:
    :func:`.buy_time_withdrawal.two_message_views`): the case the two-message searches
    (interior, off the path, lotteries) solve.

    Parameters
    ----------
    stage : _Stage
        The period being solved (its ``s.tables.available``).

    Returns
    -------
    bool
    """
    available = np.asarray(stage.s.tables.available[0], dtype=bool)
    return int(available.sum()) == 2 and bool(available[0] and available[1])


def two_type_states(stage: Any, unresolved: np.ndarray) -> np.ndarray:
    """The states a two-message search tries: those of ``unresolved`` with two or more types
    present, where fighting and talking are Russia's only messages (none otherwise).

    Parameters
    ----------
    stage : _Stage
        The period being solved.
    unresolved : numpy array of int
        States without an equilibrium so far.

    Returns
    -------
    numpy array of int
        The states to try (possibly empty).
    """
    if unresolved.size == 0 or not first_two_messages(stage):
        return unresolved[:0]
    return with_two_types(stage, unresolved)


def with_two_types(stage: Any, states: np.ndarray) -> np.ndarray:
    """The states among ``states`` where at least two types are present (one cannot mix).

    Parameters
    ----------
    stage : _Stage
        The period being solved (its public belief at each state, ``mu``).
    states : numpy array of int
        States of the stage.

    Returns
    -------
    numpy array of int
        Those with two or more types the public has not ruled out.
    """
    return states[(stage.mu[states] > 0).sum(axis=1) >= 2]


def both_sent(x: np.ndarray, present: np.ndarray) -> np.ndarray:
    """Whether both messages are sent with positive probability when the types talk with ``x``.

    Parameters
    ----------
    x : numpy array, shape (R, 4)
        Each type's probability of talking.
    present : numpy array of bool, shape (R, 4)
        The types the public has not ruled out.

    Returns
    -------
    numpy array of bool, shape (R,)

    Examples
    --------
    >>> both_sent(np.array([[1.0, 0.0, 1, 1]]), np.array([[True, True, False, False]])).tolist()
    [True]
    """
    return np.any(present & (x > 0), axis=1) & np.any(present & (x < 1), axis=1)
