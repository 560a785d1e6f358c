"""Nash equilibria of two-player extensive games through the sequence form.

A player's *sequence* is the list of own (information set, action) pairs on the
path to a node; with perfect recall a node's sequence is well defined (Kuhn 1953).
A mixed strategy is represented by its *realisation plan* ``x``: the probability
that the player's own moves follow each sequence. Realisation plans are exactly
the non-negative solutions of ``E x = e`` (the empty sequence has weight 1, and the
weight of a sequence splits over the actions of every information set it leads to),
so their number of variables is linear in the tree size, against the exponential
number of pure strategies (von Stengel 1996).

Expected payoffs are bilinear, ``x^T A y`` and ``x^T B y``, where ``A[s, t]`` sums
chance probability times payoff over the terminal nodes reached by the sequence
pair ``(s, t)``. Equilibria are the solutions of the linear complementarity
problem (Koller, Megiddo and von Stengel 1996, section 4)

    E^T p - A y >= 0  _|_  x >= 0,        E x = e,
    F^T q - B^T x >= 0 _|_  y >= 0,        F y = f,

with ``p`` and ``q`` free: they are the optimal values of the players' best-response
linear programs, whose complementary slackness conditions these are.

Payoffs are first mapped affinely to ``[-2, -1]`` (this shifts every expected payoff
by a constant, since the chance-weighted terminal reach of any pair of realisation
plans sums to 1). The values are then negative, so ``p = -p~`` and ``q = -q~`` with
``p~, q~ >= 0``, and only the inequalities ``E x >= e``, ``F y >= f`` are imposed,
complementary to ``p~`` and ``q~``. This is a standard LCP ``w = b + M z >= 0``,
``z >= 0``, ``z^T w = 0`` in ``z = (x, y, p~, q~)``, with ``M`` copositive, solved by
Lemke's algorithm (Lemke 1965) with a covering vector ``d > 0``: an artificial
variable ``z0`` multiplies ``d``, starts large enough to make ``z = 0`` feasible, and is
driven to 0 by complementary pivoting; with negative payoffs it cannot end on a
secondary ray (Koller et al. 1996). By default ``d`` starts the path from uniform play by both
players (each player's rows hold its payoff against the other's uniform realisation plan), as
the tracing procedure of von Stengel, van den Elzen and Talman (2002) does; path lengths vary
widely between games and starting points, so a path that runs long is abandoned for one from a
random starting pair, with a budget twice as large (seeded, so results repeat). Its solution
is an equilibrium once ``x`` and ``y`` are realisation plans, which is checked; should a plan
overshoot (``E x > e`` in some row), the LCP with both inequalities of every equality
(``p = p' - p''``) is solved instead (also if the first LCP ends on a ray, which ``E x >= e``
alone allows).
Degeneracy is resolved by a small random perturbation of ``b`` (Charnes 1952) backed by
the lexicographic minimum-ratio test, so no basis repeats and the path terminates on
degenerate games as well (Dantzig, Orden and Wolfe 1955; Cottle, Pang and Stone 1992,
section 4.9); see :func:`simulator.solvers.lemke_lcp.lemke`.

References
----------
.. [1] D. Koller, N. Megiddo and B. von Stengel, "Efficient computation of equilibria
   for extensive two-person games", *Games and Economic Behavior* 14 (1996) 247-259.
.. [2] B. von Stengel, "Efficient computation of behavior strategies", *Games and
   Economic Behavior* 14 (1996) 220-246.
.. [3] C. E. Lemke, "Bimatrix equilibrium points and mathematical programming",
   *Management Science* 11 (1965) 681-689.
.. [4] R. W. Cottle, J.-S. Pang and R. E. Stone, *The Linear Complementarity Problem*,
   Academic Press, 1992 (Lemke's method, lexicographic degeneracy resolution).
.. [5] G. B. Dantzig, A. Orden and P. Wolfe, "The generalized simplex method for
   minimizing a linear form under linear inequality restraints", *Pacific Journal of
   Mathematics* 5 (1955) 183-195 (lexicographic rule).
.. [6] A. Charnes, "Optimality and degeneracy in linear programming", *Econometrica*
   20 (1952) 160-170 (perturbation).
.. [7] B. von Stengel, A. van den Elzen and D. Talman, "Computing normal form perfect
   equilibria for extensive two-person games", *Econometrica* 70 (2002) 693-715.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from simulator.games.behaviour import BehaviourProfile
from simulator.games.errors import GameError
from simulator.games.extensive import ExtensiveGame
from simulator.solvers.lemke_lcp import (
    DEFAULT_MAX_PIVOTS,
    DEFAULT_PERTURBATION,
    LemkeRayError,
    OutOfPivots,
    lemke,
)

if TYPE_CHECKING:
    from simulator.solvers.extensive_equilibrium import ExtensiveEquilibrium

__all__ = [
    "DEFAULT_PERTURBATION",
    "LemkeRayError",
    "SequenceForm",
    "behaviour_from_realisation",
    "lemke",
    "sequence_form",
    "sequence_form_equilibrium",
]

# A sequence with realisation weight at or below this is treated as unplayed.
_PLAYED = 1e-12


@dataclass(frozen=True, eq=False)
class SequenceForm:
    """The sequence form of a two-player extensive game (von Stengel 1996).

    Attributes
    ----------
    E, F : numpy arrays of shape ``(1 + H_1, m)`` and ``(1 + H_2, n)``
        Constraint matrices: realisation plans are the ``x >= 0`` with ``E x = e``
        and the ``y >= 0`` with ``F y = f``. Row 0 fixes the empty sequence at 1;
        the row of an information set ``h`` says that the weights of ``h``'s actions
        sum to the weight of the sequence leading to ``h``.
    e, f : numpy arrays
        Right-hand sides: ``(1, 0, ..., 0)``.
    A, B : numpy arrays of shape ``(m, n)``
        Payoffs of players 1 and 2: ``A[s, t]`` is the sum over the terminal nodes
        whose sequences are ``s`` and ``t`` of chance probability times payoff.
    sequences : pair of lists of tuples
        Each player's sequences as in :meth:`ExtensiveGame.sequences`.
    labels : pair of tuples of str
        Readable sequence labels: ``"∅"`` for the empty sequence, else the
        ``"information set:action"`` pairs joined by ``" > "``.
    infoset_rows : pair of lists of int
        The information set (index in ``game.infosets``) of each row ``1..`` of ``E``
        and ``F``.

    Examples
    --------
    >>> from simulator.games.extensive import Decision, Terminal
    >>> g = ExtensiveGame.from_tree(["A", "B"], Decision("A", {
    ...     "out": Terminal([1, 1]),
    ...     "in": Decision("B", {"fight": Terminal([0, 0]), "yield": Terminal([2, 1])})}))
    >>> sf = sequence_form(g)
    >>> sf.labels[1]
    ('∅', 'in:fight', 'in:yield')
    >>> sf.A.tolist()
    [[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 2.0]]
    >>> sf.E.tolist(), sf.e.tolist()
    ([[1.0, 0.0, 0.0], [-1.0, 1.0, 1.0]], [1.0, 0.0])
    """

    E: np.ndarray
    e: np.ndarray
    F: np.ndarray
    f: np.ndarray
    A: np.ndarray
    B: np.ndarray
    sequences: tuple[list[tuple[tuple[int, int], ...]], list[tuple[tuple[int, int], ...]]]
    labels: tuple[tuple[str, ...], tuple[str, ...]]
    infoset_rows: tuple[list[int], list[int]]

    @property
    def shape(self) -> tuple[int, int]:
        """Number of sequences of each player."""
        return self.A.shape  # type: ignore[return-value]

    def payoffs(self, x: Any, y: Any) -> np.ndarray:
        """Expected payoffs ``(x^T A y, x^T B y)`` of two realisation plans.

        Examples
        --------
        >>> from simulator.games.extensive import Decision, Terminal
        >>> g = ExtensiveGame.from_tree(["A", "B"], Decision("A", {
        ...     "out": Terminal([1, 1]),
        ...     "in": Decision("B", {"fight": Terminal([0, 0]), "yield": Terminal([2, 1])})}))
        >>> sequence_form(g).payoffs([1, 0, 1], [1, 0, 1]).tolist()
        [2.0, 1.0]
        """
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        return np.array([x @ self.A @ y, x @ self.B @ y])


# ---------------------------------------------------------------------- construction
def _check_game(game: ExtensiveGame) -> None:
    if not isinstance(game, ExtensiveGame):
        raise GameError(f"the sequence form needs an ExtensiveGame, not {type(game).__name__}")
    if game.num_players != 2:
        raise GameError(
            f"the sequence-form LCP is for two-player games; this game has {game.num_players} "
            "players (use the agent logit tracing of simulator.solvers.agent_logit instead)"
        )
    if not game.has_perfect_recall():
        raise GameError(
            "the sequence form needs perfect recall, and this game does not have it (some "
            "player forgets an own earlier action or information set)"
        )


def _constraints(game: ExtensiveGame, player: int) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """``E``, ``e`` and the information set of each row after the first."""
    infosets = game.player_infosets(player)
    num_sequences = 1 + int(game.infoset_num_actions[infosets].sum()) if infosets else 1
    E = np.zeros((1 + len(infosets), num_sequences))
    E[0, 0] = 1.0
    parent_seq = game.node_sequences()[:, player]
    first_node = [game.infosets[h].nodes[0] for h in infosets]
    start = 1
    for row, (h, node) in enumerate(zip(infosets, first_node), start=1):
        n = int(game.infoset_num_actions[h])
        E[row, parent_seq[node]] = -1.0
        E[row, start : start + n] = 1.0
        start += n
    e = np.zeros(1 + len(infosets))
    e[0] = 1.0
    return E, e, infosets


def _sequence_labels(
    game: ExtensiveGame, sequences: list[tuple[tuple[int, int], ...]]
) -> tuple[str, ...]:
    infosets = game.infosets
    return tuple(
        " > ".join(f"{infosets[h].label}:{infosets[h].actions[a]}" for h, a in seq) or "∅"
        for seq in sequences
    )


def _scatter(game: ExtensiveGame, shape: tuple[int, int], values: np.ndarray) -> np.ndarray:
    """Sum ``values`` (one per terminal node) times chance probability onto sequence pairs."""
    terminal = game.terminal_nodes
    seqs = game.node_sequences()[terminal]
    weight = game.path_products(game.chance_edge_probabilities)[terminal]
    flat = seqs[:, 0] * shape[1] + seqs[:, 1]
    return np.bincount(flat, weights=weight * values, minlength=shape[0] * shape[1]).reshape(shape)


def _payoff_matrices(game: ExtensiveGame, shape: tuple[int, int]) -> tuple[np.ndarray, ...]:
    """``A`` and ``B`` by scattering chance-weighted terminal payoffs onto sequence pairs."""
    pay = game.terminal_payoffs[game.terminal_nodes]
    return tuple(_scatter(game, shape, pay[:, i]) for i in range(2))


def sequence_form(game: ExtensiveGame) -> SequenceForm:
    """The sequence form of a two-player extensive game with perfect recall.

    Built in time linear in the tree size: ``A`` and ``B`` are scattered from the
    terminal nodes (von Stengel 1996, section 3).

    Parameters
    ----------
    game : ExtensiveGame
        A two-player game with perfect recall (chance moves allowed).

    Returns
    -------
    SequenceForm
        The constraint matrices, payoff matrices and sequence labels of both players.

    Raises
    ------
    GameError
        If the game does not have two players or lacks perfect recall.

    Examples
    --------
    Matching pennies, the second mover not seeing the first move:

    >>> from simulator.games.extensive import Decision, Terminal
    >>> g = ExtensiveGame.from_tree(["A", "B"], Decision("A", {
    ...     "H": Decision("B", {"h": Terminal([1, -1]), "t": Terminal([-1, 1])}, "b"),
    ...     "T": Decision("B", {"h": Terminal([-1, 1]), "t": Terminal([1, -1])}, "b")}))
    >>> sf = sequence_form(g)
    >>> sf.shape, sf.A.tolist()
    ((3, 3), [[0.0, 0.0, 0.0], [0.0, 1.0, -1.0], [0.0, -1.0, 1.0]])
    """
    _check_game(game)
    E, e, rows1 = _constraints(game, 0)
    F, f, rows2 = _constraints(game, 1)
    seq1, seq2 = game.sequences(0), game.sequences(1)
    A, B = _payoff_matrices(game, (E.shape[1], F.shape[1]))
    return SequenceForm(
        E=E,
        e=e,
        F=F,
        f=f,
        A=A,
        B=B,
        sequences=(seq1, seq2),
        labels=(_sequence_labels(game, seq1), _sequence_labels(game, seq2)),
        infoset_rows=(rows1, rows2),
    )


# ---------------------------------------------------------------------- the LCP
def _negative_payoffs(game: ExtensiveGame, sf: SequenceForm) -> tuple[np.ndarray, np.ndarray]:
    """``A`` and ``B`` after mapping each player's terminal payoffs affinely onto [-2, -1].

    ``u -> -2 + (u - min) / span`` adds ``c * C`` to a matrix, with ``C[s, t]`` the
    chance weight of the pair; ``x^T C y = 1`` for realisation plans, so equilibria
    are unchanged.
    """
    terminal = game.terminal_nodes
    pay = game.terminal_payoffs[terminal]
    chance = _scatter(game, sf.shape, np.ones(pay.shape[0]))
    out = []
    for i, M in enumerate((sf.A, sf.B)):
        low, high = float(pay[:, i].min()), float(pay[:, i].max())
        span = high - low
        scale = 1.0 / span if span > 0 else 0.0
        out.append(scale * M + (-2.0 - low * scale) * chance)
    return out[0], out[1]


def _lcp(
    sf: SequenceForm, A: np.ndarray, B: np.ndarray, split: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """``M`` and ``b`` of the sequence-form LCP (module notes).

    Default: ``z = (x, y, p~, q~)`` with ``p = -p~``, ``q = -q~`` and only ``E x >= e``,
    ``F y >= f`` imposed (their multipliers ``p~, q~ >= 0``). With ``split=True``:
    ``z = (x, y, p', p'', q', q'')``, ``p = p' - p''``, both inequalities of each equality.
    """
    m, n = sf.shape
    k1, k2 = sf.E.shape[0], sf.F.shape[0]
    extra = 2 if split else 1
    size = m + n + extra * (k1 + k2)
    M = np.zeros((size, size))
    b = np.zeros(size)
    x, y = slice(0, m), slice(m, m + n)
    p = slice(m + n, m + n + k1)
    q = slice(p.stop, p.stop + k2)
    M[x, y] = -A
    M[y, x] = -B.T
    M[x, p] = -sf.E.T
    M[y, q] = -sf.F.T
    M[p, x] = sf.E
    M[q, y] = sf.F
    b[p], b[q] = -sf.e, -sf.f
    if split:
        p2 = slice(q.stop, q.stop + k1)
        q2 = slice(p2.stop, p2.stop + k2)
        M[x, p2] = sf.E.T
        M[y, q2] = sf.F.T
        M[p2, x] = -sf.E
        M[q2, y] = -sf.F
        b[p2], b[q2] = sf.e, sf.f
    return M, b


# ---------------------------------------------------------------------- behaviour
def behaviour_from_realisation(
    game: ExtensiveGame, plans: tuple[np.ndarray, np.ndarray]
) -> BehaviourProfile:
    """Behaviour strategies from realisation plans: ``b(h, a) = x(s_h a) / x(s_h)``.

    ``s_h`` is the sequence leading to ``h`` (von Stengel 1996, section 2). At an
    information set the player's own plan never reaches (``x(s_h) = 0``) any choice
    gives the same outcome; uniform play is returned there.

    Parameters
    ----------
    game : ExtensiveGame
        The game the plans belong to (as for :func:`sequence_form`).
    plans : pair of numpy.ndarray
        One realisation plan per player, indexed by that player's sequences in the order
        of ``SequenceForm.sequences`` (entry 0 the empty sequence). Negative entries are
        read as 0, and a sequence weighted at most ``1e-12`` as unplayed; the plans are
        not otherwise checked.

    Returns
    -------
    BehaviourProfile
        The behaviour strategies, chance moves as in the game.

    Examples
    --------
    >>> from simulator.games.extensive import Decision, Terminal
    >>> g = ExtensiveGame.from_tree(["A", "B"], Decision("A", {
    ...     "out": Terminal([1, 1]),
    ...     "in": Decision("A", {"l": Terminal([0, 0]), "r": Terminal([2, 1])})}))
    >>> b = behaviour_from_realisation(g, (np.array([1.0, 1.0, 0.0, 0.0, 0.0]), np.ones(1)))
    >>> [p.tolist() for p in b.probabilities]
    [[1.0, 0.0], [0.5, 0.5]]
    """
    flat = np.zeros(game.num_actions_total)
    node_seq = game.node_sequences()
    offsets = game.action_offsets
    for i, x in enumerate(plans):
        x = np.clip(np.asarray(x, dtype=float), 0.0, None)
        start = 1
        for h in game.player_infosets(i):
            n = int(game.infoset_num_actions[h])
            parent = x[node_seq[game.infosets[h].nodes[0], i]]
            own = x[start : start + n]
            if parent > _PLAYED and own.sum() > 0:
                flat[offsets[h] : offsets[h] + n] = own / own.sum()
            else:
                flat[offsets[h] : offsets[h] + n] = 1.0 / n
            start += n
    return BehaviourProfile.from_flat(game, flat)


def _covering(covering: Any, size: int) -> np.ndarray:
    d = np.asarray(covering, dtype=float).reshape(-1)
    if d.shape != (size,):
        raise GameError(
            f"the covering vector needs {size} entries (sequences of both players, then "
            f"information sets of both players plus one each); got {d.size}"
        )
    return d


def _plan(E: np.ndarray, shares: Callable[[int], np.ndarray]) -> np.ndarray:
    """The realisation plan of behaviour that splits the weight of the sequence leading to each
    information set (rows of ``E`` after the first) by ``shares(number of actions)``, drawn once
    per information set in row order."""
    x = np.zeros(E.shape[1])
    x[0] = 1.0
    parents = np.argmin(E[1:], axis=1)  # the -1 entry of each row
    children = [np.flatnonzero(row > 0) for row in E[1:]]
    weights = [shares(kids.size) for kids in children]
    # rows follow the tree's pre-order, so a parent sequence is set before its children;
    # the passes guard against any other order
    for _ in range(len(children)):
        for parent, kids, w in zip(parents, children, weights):
            x[kids] = x[parent] * w
        if _is_plan(E, np.eye(1, E.shape[0]).ravel(), x):
            break
    return x


def _uniform_plan(E: np.ndarray) -> np.ndarray:
    """The realisation plan of uniform play."""
    return _plan(E, lambda n: np.full(n, 1.0 / n))


def _start_covering(
    sf: SequenceForm, A: np.ndarray, B: np.ndarray, s: np.ndarray, t: np.ndarray
) -> np.ndarray:
    """The covering vector of a path that starts from the realisation plans ``(s, t)``.

    Each player's rows get its payoff against the other's starting plan (``-A t`` and
    ``-B^T s``: positive, as the payoffs are negative), the constraint rows ``e`` and ``f``;
    so ``z0`` acts as weight on the starting opponent, as in the tracing procedure of von
    Stengel, van den Elzen and Talman (2002). A floor of ``1e-6`` of the largest entry keeps
    every entry positive.
    """
    d = np.concatenate([-(A @ t), -(B.T @ s), sf.e, sf.f])
    return np.maximum(d, 1e-6 * d.max())


def _centroid_covering(sf: SequenceForm, A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """The covering vector of the path from uniform play by both players (the centroid)."""
    return _start_covering(sf, A, B, _uniform_plan(sf.E), _uniform_plan(sf.F))


def _is_plan(E: np.ndarray, e: np.ndarray, x: np.ndarray) -> bool:
    return bool(np.allclose(E @ x, e, rtol=0, atol=1e-9))


@dataclass(frozen=True)
class _Solution:
    x: np.ndarray
    y: np.ndarray
    pivots: int
    seconds: float
    start: str
    attempts: int


def _random_plan(E: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The realisation plan of random behaviour (uniform on each information set's simplex)."""
    return _plan(E, lambda n: rng.dirichlet(np.ones(n)))


def _starts(
    sf: SequenceForm, A: np.ndarray, B: np.ndarray, covering: Any | None, size: int, budget: int
):
    """Covering vectors to try, with each one's pivot budget: the given one with the whole
    budget; by default the centroid's path, then paths from random starting pairs.

    Lemke's path lengths are heavy-tailed: on random 3,000-node trees most starting pairs end
    within a few thousand pivots and a few run past 30,000, so short attempts from several
    starting points (each budget twice the last, the total within ``budget``) finish sooner
    than one long one.
    """
    if covering is not None:
        yield "given", _covering(covering, size), budget
        return
    left, allowed = budget, 20 * size
    yield "centroid", _centroid_covering(sf, A, B), min(left, allowed)
    rng = np.random.default_rng(0)  # reproducible starting points
    for k in range(1, 64):
        left -= allowed
        allowed *= 2
        if left <= 0:
            return
        s, t = _random_plan(sf.E, rng), _random_plan(sf.F, rng)
        yield f"random start {k}", _start_covering(sf, A, B, s, t), min(left, allowed)


def _solve(game: ExtensiveGame, covering: Any | None) -> tuple[SequenceForm, _Solution]:
    sf = sequence_form(game)
    started = time.perf_counter()
    A, B = _negative_payoffs(game, sf)
    m, n = sf.shape
    M, b = _lcp(sf, A, B)
    split: tuple[np.ndarray, np.ndarray] | None = None
    spent = attempts = 0
    for name, d, allowed in _starts(sf, A, B, covering, b.shape[0], DEFAULT_MAX_PIVOTS):
        attempts += 1
        pivots = 0
        try:
            try:
                z, pivots = lemke(M, b, d, max_pivots=allowed)
                x, y = z[:m], z[m : m + n]
                plans = _is_plan(sf.E, sf.e, x) and _is_plan(sf.F, sf.f, y)
            except OutOfPivots:
                if covering is None:
                    raise
                plans = False  # a given covering keeps today's rule: the split LCP next
                pivots = allowed
            except LemkeRayError:
                plans = False
            if not plans:
                # Only E x >= e was imposed, so a plan could overshoot (or run off along a
                # ray, x growing without bound): impose both inequalities of every equality.
                split = split or _lcp(sf, A, B, split=True)
                rest = allowed if covering is not None else max(1, allowed - pivots)
                z, more = lemke(*split, np.r_[d, d[m + n :]], max_pivots=rest)
                pivots += more
                x, y = z[:m], z[m : m + n]
        except OutOfPivots:
            spent += allowed
            continue
        seconds = time.perf_counter() - started
        return sf, _Solution(x, y, spent + pivots, seconds, name, attempts)
    raise LemkeRayError(
        f"Lemke's algorithm did not finish within {DEFAULT_MAX_PIVOTS} pivots over {attempts} "
        "starting point(s); the game may be too large for the sequence-form LCP"
    )


def sequence_form_equilibrium(
    game: ExtensiveGame, covering: Any | None = None
) -> ExtensiveEquilibrium:
    """One Nash equilibrium in behaviour strategies by the sequence-form LCP.

    Builds the sequence form, solves the LCP of Koller, Megiddo and von Stengel (1996)
    by Lemke's algorithm (:func:`lemke`), converts the realisation plans to behaviour
    strategies (:func:`behaviour_from_realisation`; uniform at information sets a
    player's own plan excludes) and certifies the result by its Nash regret.

    Parameters
    ----------
    game : ExtensiveGame
        Two players, perfect recall.
    covering : array_like, optional
        Positive covering vector for Lemke's algorithm, one entry per LCP row:
        ``m + n + (1 + H_1) + (1 + H_2)`` with ``m, n`` the numbers of sequences and
        ``H_i`` of information sets, in that order. Default: the path from uniform play
        by both players (each player's payoff against the other's uniform realisation
        plan, then the constraint rows); should that path run past ``20 x rows`` pivots,
        paths from random starting pairs (seeded, so results repeat) with budgets that double,
        up to :data:`DEFAULT_MAX_PIVOTS` in all. Different vectors may reach different
        equilibria.

    Returns
    -------
    ExtensiveEquilibrium
        Concept ``"nash"``, method ``"sequence-form Lemke"``; its parameters record the
        numbers of sequences, pivots (over every attempt), the starting point that finished
        (``covering``), the number of attempts and the solve time in seconds.

    Raises
    ------
    GameError
        Not two players, no perfect recall, or a malformed covering vector.
    CertificationError
        If the profile's regret exceeds the tolerance (loss of precision).

    Examples
    --------
    The entry game: entry is met by yielding.

    >>> from simulator.games.extensive import Decision, Terminal
    >>> g = ExtensiveGame.from_tree(["Entrant", "Incumbent"], Decision("Entrant", {
    ...     "out": Terminal([1, 2]),
    ...     "in": Decision("Incumbent", {"fight": Terminal([0, 0]), "yield": Terminal([2, 1])})}))
    >>> eq = sequence_form_equilibrium(g)
    >>> eq.behaviour.as_dict()
    {'Entrant': {'root': {'out': 0.0, 'in': 1.0}}, 'Incumbent': {'in': {'fight': 0.0, 'yield': 1.0}}}
    """  # noqa: E501
    from simulator.solvers.extensive_equilibrium import certify_extensive

    _check_game(game)
    sf, solution = _solve(game, covering)
    behaviour = behaviour_from_realisation(game, (solution.x, solution.y))
    parameters = {
        "sequences": list(sf.shape),
        "pivots": solution.pivots,
        "seconds": round(solution.seconds, 6),
        "covering": solution.start,
        "attempts": solution.attempts,
    }
    return certify_extensive(behaviour, "nash", "sequence-form Lemke", parameters)
