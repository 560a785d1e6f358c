"""Strategic-form (normal-form) games with labelled players and strategies.

The payoff array of shape ``(n_1, ..., n_N, N)`` is the single source of truth:
``payoffs[s_1, ..., s_N, i]`` is player ``i``'s payoff when player ``j`` plays
strategy ``s_j``. Everything else (per-player views, best responses, regret)
is derived from it, in the spirit of QuantEcon's ``NormalFormGame``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from simulator.games._tables import format_number, render_grid
from simulator.games.errors import GameError

__all__ = ["NormalFormGame", "Player", "GameError"]

MixedProfile = Sequence[np.ndarray]


@dataclass(frozen=True)
class Player:
    """A player of a strategic-form game: a name and labelled strategies.

    Attributes
    ----------
    name : str
        The player's name.
    strategies : tuple of str
        The labels of its strategies, in the order of the payoff array's axis.

    Examples
    --------
    >>> Player("Row", ("Up", "Down")).num_strategies
    2
    """

    name: str
    strategies: tuple[str, ...]

    @property
    def num_strategies(self) -> int:
        return len(self.strategies)

    def index(self, strategy: str | int) -> int:
        """Position of ``strategy`` (a label or an index) in this player's list."""
        if isinstance(strategy, (int, np.integer)):
            if not 0 <= int(strategy) < len(self.strategies):
                raise GameError(
                    f"player {self.name!r} has no strategy number {strategy}; "
                    f"valid numbers are 0..{len(self.strategies) - 1}"
                )
            return int(strategy)
        try:
            return self.strategies.index(strategy)
        except ValueError:
            raise GameError(
                f"player {self.name!r} has no strategy {strategy!r}; "
                f"its strategies are {list(self.strategies)}"
            ) from None


def _default_labels(count: int, prefix: str) -> tuple[str, ...]:
    return tuple(f"{prefix}{k + 1}" for k in range(count))


def _check_labels(labels: Sequence[str], what: str) -> tuple[str, ...]:
    labels = tuple(str(label) for label in labels)
    seen: set[str] = set()
    for label in labels:
        if label in seen:
            raise GameError(f"duplicate {what} label {label!r}: labels must be unique")
        seen.add(label)
    return labels


class NormalFormGame:
    """An N-player strategic-form game.

    Parameters
    ----------
    payoffs : array_like, shape ``(n_1, ..., n_N, N)``
        ``payoffs[s_1, ..., s_N, i]`` is player ``i``'s payoff.
    players : sequence of str, optional
        Player names (default ``"Player 1"``, ``"Player 2"``, ...).
    strategies : sequence of sequences of str, optional
        Strategy labels per player (default ``"1", "2", ...``).
    title : str, optional
        A description shown in renderings and written to ``.nfg`` files.

    Examples
    --------
    >>> pd = NormalFormGame.from_bimatrix(
    ...     [[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...     players=["Row", "Column"], strategies=[["C", "D"], ["C", "D"]])
    >>> pd.shape
    (2, 2)
    >>> pd.payoff(("D", "D"))
    array([1., 1.])
    >>> pd.is_nash([[0, 1], [0, 1]])
    True
    """

    __slots__ = ("_payoffs", "_players", "title")

    def __init__(
        self,
        payoffs: Any,
        players: Sequence[str] | None = None,
        strategies: Sequence[Sequence[str]] | None = None,
        title: str = "",
    ) -> None:
        try:
            array = np.array(payoffs, dtype=float)
        except (TypeError, ValueError) as exc:
            raise GameError(f"payoffs must be numbers: {exc}") from None
        if array.ndim < 2:
            raise GameError(
                "payoffs must have shape (n_1, ..., n_N, N) with one last axis of length N "
                f"(the number of players); got shape {array.shape}"
            )
        num_players = array.ndim - 1
        if array.shape[-1] != num_players:
            raise GameError(
                f"payoffs of shape {array.shape} describe {num_players} players' strategy "
                f"axes, so the last axis must have length {num_players}, not {array.shape[-1]}"
            )
        if any(n == 0 for n in array.shape[:-1]):
            raise GameError(f"every player needs at least one strategy; shape {array.shape}")
        if not np.all(np.isfinite(array)):
            bad = tuple(int(k) for k in np.argwhere(~np.isfinite(array))[0])
            raise GameError(f"payoffs must be finite numbers; found {array[bad]} at index {bad}")
        array.setflags(write=False)
        names = (
            _default_labels(num_players, "Player ")
            if players is None
            else _check_labels(players, "player")
        )
        if len(names) != num_players:
            raise GameError(f"{len(names)} player names given for a {num_players}-player game")
        if strategies is None:
            labels = [_default_labels(n, "") for n in array.shape[:-1]]
        else:
            if len(strategies) != num_players:
                raise GameError(
                    f"strategy labels given for {len(strategies)} players, "
                    f"but the game has {num_players}"
                )
            labels = []
            for name, n, strats in zip(names, array.shape[:-1], strategies):
                if isinstance(strats, str):
                    raise GameError(f"strategies of {name!r} must be a list of labels")
                strats = _check_labels(strats, f"strategy of {name!r}")
                if len(strats) != n:
                    raise GameError(
                        f"player {name!r} has {n} strategies in the payoff array "
                        f"but {len(strats)} labels: {list(strats)}"
                    )
                labels.append(strats)
        self._payoffs = array
        self._players = tuple(Player(n, s) for n, s in zip(names, labels))
        self.title = str(title)

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_bimatrix(
        cls,
        row_payoffs: Any,
        column_payoffs: Any | None = None,
        players: Sequence[str] | None = None,
        strategies: Sequence[Sequence[str]] | None = None,
        title: str = "",
    ) -> NormalFormGame:
        """Two-player game from the row and column players' payoff matrices.

        With ``column_payoffs`` omitted the game is zero-sum (``B = -A``).

        Examples
        --------
        >>> NormalFormGame.from_bimatrix([[1, -1], [-1, 1]]).payoff_matrix(1)
        array([[-1.,  1.],
               [ 1., -1.]])
        """
        a = np.asarray(row_payoffs, dtype=float)
        b = -a if column_payoffs is None else np.asarray(column_payoffs, dtype=float)
        if a.ndim != 2 or b.shape != a.shape:
            raise GameError(
                f"a bimatrix game needs two matrices of the same shape (m, n); "
                f"got {a.shape} and {b.shape}"
            )
        return cls(np.stack([a, b], axis=-1), players, strategies, title)

    @classmethod
    def from_player_arrays(
        cls,
        arrays: Sequence[Any],
        players: Sequence[str] | None = None,
        strategies: Sequence[Sequence[str]] | None = None,
        title: str = "",
    ) -> NormalFormGame:
        """Game from one payoff array per player, each of shape ``(n_1, ..., n_N)``.

        Examples
        --------
        >>> g = NormalFormGame.from_player_arrays([[[2, 0], [0, 1]], [[1, 0], [0, 2]]])
        >>> g.shape
        (2, 2)
        """
        mats = [np.asarray(a, dtype=float) for a in arrays]
        if not mats:
            raise GameError("a game needs at least one player")
        shape = mats[0].shape
        for k, m in enumerate(mats):
            if m.shape != shape:
                raise GameError(
                    f"payoff array of player {k + 1} has shape {m.shape}; expected {shape} "
                    "(all players' arrays share the strategy axes)"
                )
        if len(shape) != len(mats):
            raise GameError(
                f"{len(mats)} payoff arrays given, each with {len(shape)} strategy axes: "
                "an N-player game needs N arrays of N axes"
            )
        return cls(np.stack(mats, axis=-1), players, strategies, title)

    # ------------------------------------------------------------------ views
    @property
    def payoffs(self) -> np.ndarray:
        """Read-only payoff array of shape ``(n_1, ..., n_N, N)``."""
        return self._payoffs

    @property
    def players(self) -> tuple[Player, ...]:
        return self._players

    @property
    def num_players(self) -> int:
        return len(self._players)

    @property
    def shape(self) -> tuple[int, ...]:
        """Numbers of strategies per player."""
        return tuple(self._payoffs.shape[:-1])

    @property
    def strategy_labels(self) -> tuple[tuple[str, ...], ...]:
        return tuple(p.strategies for p in self._players)

    def payoff_matrix(self, player: int) -> np.ndarray:
        """Player ``player``'s payoff array of shape ``(n_1, ..., n_N)``."""
        return self._payoffs[..., player]

    def is_zero_sum(self, tol: float = 1e-12) -> bool:
        """True if payoffs add up to zero in every cell (see :meth:`is_constant_sum`)."""
        return bool(np.all(np.abs(self._payoffs.sum(axis=-1)) <= tol))

    def is_constant_sum(self, tol: float = 1e-12) -> bool:
        """True if payoffs add up to the same constant in every cell (zero-sum included).

        A constant-sum game ``(A, c - A)`` has the equilibria of the zero-sum game ``(A, -A)``:
        the column player's payoffs differ from ``-A`` by a constant.

        Examples
        --------
        >>> NormalFormGame.from_bimatrix([[1, 0], [0, 1]], [[0, 1], [1, 0]]).is_constant_sum()
        True
        """
        sums = self._payoffs.sum(axis=-1)
        return bool(sums.size == 0 or np.all(np.abs(sums - sums.flat[0]) <= tol))

    def is_integer(self) -> bool:
        """True if every payoff is an integer (then exact certificates are available)."""
        return bool(np.all(self._payoffs == np.round(self._payoffs)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, NormalFormGame):
            return NotImplemented
        return (
            self._players == other._players
            and self._payoffs.shape == other._payoffs.shape
            and bool(np.array_equal(self._payoffs, other._payoffs))
        )

    def __hash__(self) -> int:
        return hash((self._players, self._payoffs.tobytes()))

    # ------------------------------------------------------------------ profiles
    def mixed_profile(self, profile: Any) -> list[np.ndarray]:
        """Normalise a profile to one probability vector per player.

        Each entry may be a strategy label, a strategy index, a probability vector or a
        ``{label: probability}`` mapping.

        Examples
        --------
        >>> g = NormalFormGame.from_bimatrix([[1, 0], [0, 1]])
        >>> g.mixed_profile(["1", {"2": 1.0}])
        [array([1., 0.]), array([0., 1.])]
        """
        if len(profile) != self.num_players:
            raise GameError(
                f"a profile needs one entry per player ({self.num_players}); got {len(profile)}"
            )
        vectors = []
        for player, entry in zip(self._players, profile):
            n = player.num_strategies
            if isinstance(entry, (str, int, np.integer)):
                vec = np.zeros(n)
                vec[player.index(entry)] = 1.0
            elif isinstance(entry, dict):
                vec = np.zeros(n)
                for label, prob in entry.items():
                    vec[player.index(label)] = float(prob)
            else:
                vec = np.asarray(entry, dtype=float).reshape(-1)
                if vec.shape != (n,):
                    raise GameError(
                        f"player {player.name!r} has {n} strategies; "
                        f"a mixed strategy of length {vec.size} was given"
                    )
            if np.any(vec < -1e-9) or abs(vec.sum() - 1.0) > 1e-6 or not np.all(np.isfinite(vec)):
                raise GameError(
                    f"the strategy of {player.name!r} must be probabilities summing to 1; "
                    f"got {vec.tolist()}"
                )
            vectors.append(vec)
        return vectors

    def strategy_payoffs(self, profile: Any, player: int) -> np.ndarray:
        """Expected payoff of each pure strategy of ``player`` against ``profile``.

        Examples
        --------
        >>> g = NormalFormGame.from_bimatrix([[1, 0], [0, 1]])
        >>> g.strategy_payoffs([[0.5, 0.5], [0.25, 0.75]], 0)
        array([0.25, 0.75])
        """
        vectors = self.mixed_profile(profile)
        return _deviation_payoffs(self._payoffs, vectors, player)

    def payoff(self, profile: Any) -> np.ndarray:
        """Expected payoff of every player under a pure or mixed ``profile``.

        Examples
        --------
        >>> g = NormalFormGame.from_bimatrix([[1, 0], [0, 1]], [[1, 0], [0, 1]])
        >>> g.payoff([[0.5, 0.5], [0.5, 0.5]])
        array([0.5, 0.5])
        """
        vectors = self.mixed_profile(profile)
        out = self._payoffs
        for vec in vectors:
            out = np.tensordot(vec, out, axes=(0, 0))
        return np.asarray(out, dtype=float)

    def best_responses(self, profile: Any, player: int, tol: float = 1e-9) -> list[int]:
        """Indices of ``player``'s pure best responses to the others in ``profile``.

        Examples
        --------
        >>> g = NormalFormGame.from_bimatrix([[1, 0], [0, 1]], [[1, 0], [0, 1]])
        >>> g.best_responses([[1, 0], [1, 0]], 1)
        [0]
        """
        values = self.strategy_payoffs(profile, player)
        return [int(k) for k in np.flatnonzero(values >= values.max() - tol)]

    def regrets(self, profile: Any) -> np.ndarray:
        """Each player's largest gain from a unilateral deviation."""
        vectors = self.mixed_profile(profile)
        return player_regrets(self._payoffs, vectors)

    def regret(self, profile: Any) -> float:
        """The largest gain any player gets by a unilateral deviation from ``profile``."""
        return float(self.regrets(profile).max())

    def is_nash(self, profile: Any, tol: float = 1e-9) -> bool:
        """True if no player gains more than ``tol`` by deviating from ``profile``."""
        return self.regret(profile) <= tol

    def exact_regret(self, profile: Sequence[Sequence[Any]]) -> Fraction:
        """Regret computed exactly in rational arithmetic.

        Payoffs and probabilities are converted with :class:`fractions.Fraction`, so
        the answer is exact for integer or rational payoffs and rational profiles.

        Examples
        --------
        >>> from fractions import Fraction as F
        >>> g = NormalFormGame.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])
        >>> g.exact_regret([[F(2, 3), F(1, 3)], [F(1, 3), F(2, 3)]])
        Fraction(0, 1)
        """
        return exact_regret(self._payoffs, profile)

    # ------------------------------------------------------------------ transformations
    def relabel(
        self,
        players: Sequence[str] | None = None,
        strategies: Sequence[Sequence[str]] | None = None,
        title: str | None = None,
    ) -> NormalFormGame:
        """Same payoffs, new names."""
        return NormalFormGame(
            self._payoffs,
            players if players is not None else [p.name for p in self._players],
            strategies if strategies is not None else self.strategy_labels,
            self.title if title is None else title,
        )

    def permute_strategies(self, player: int, order: Sequence[int]) -> NormalFormGame:
        """Reorder ``player``'s strategies: new strategy ``k`` is old ``order[k]``."""
        order = list(order)
        if sorted(order) != list(range(self.shape[player])):
            raise GameError(f"{order} is not a permutation of player {player}'s strategies")
        payoffs = np.take(self._payoffs, order, axis=player)
        labels = list(self.strategy_labels)
        labels[player] = tuple(labels[player][k] for k in order)
        return NormalFormGame(payoffs, [p.name for p in self._players], labels, self.title)

    def permute_players(self, order: Sequence[int]) -> NormalFormGame:
        """Reorder players: new player ``k`` is old player ``order[k]``."""
        order = list(order)
        if sorted(order) != list(range(self.num_players)):
            raise GameError(f"{order} is not a permutation of the players")
        payoffs = np.transpose(self._payoffs, [*order, self.num_players])[..., order]
        return NormalFormGame(
            payoffs,
            [self._players[k].name for k in order],
            [self._players[k].strategies for k in order],
            self.title,
        )

    def affine_transform(self, scale: Any = 1.0, shift: Any = 0.0) -> NormalFormGame:
        """Payoffs ``scale_i * u_i + shift_i``; positive scales keep the equilibria.

        Examples
        --------
        >>> g = NormalFormGame.from_bimatrix([[1, 0], [0, 1]])
        >>> g.affine_transform(2, 1).payoff_matrix(0)
        array([[3., 1.],
               [1., 3.]])
        """
        scale = np.broadcast_to(np.asarray(scale, dtype=float), (self.num_players,))
        shift = np.broadcast_to(np.asarray(shift, dtype=float), (self.num_players,))
        return NormalFormGame(
            self._payoffs * scale + shift,
            [p.name for p in self._players],
            self.strategy_labels,
            self.title,
        )

    def restrict(self, keep: Sequence[Sequence[int]]) -> NormalFormGame:
        """The subgame in which player ``i`` keeps only the strategies ``keep[i]``."""
        payoffs = self._payoffs[np.ix_(*[list(k) for k in keep], range(self.num_players))]
        labels = [tuple(p.strategies[k] for k in ks) for p, ks in zip(self._players, keep)]
        return NormalFormGame(payoffs, [p.name for p in self._players], labels, self.title)

    # ------------------------------------------------------------------ rendering
    def __repr__(self) -> str:
        dims = "x".join(str(n) for n in self.shape)
        players = ", ".join(f"{p.name!r}: {list(p.strategies)}" for p in self._players)
        title = f" {self.title!r}" if self.title else ""
        return f"<NormalFormGame{title} {dims}, players {{{players}}}>"

    def to_table(self, precision: int = 4) -> str:
        """A plain-text table of the game (row player's strategies down the side).

        For more than two players one table is printed per profile of players 3..N.

        Examples
        --------
        >>> print(NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]]).to_table())
        Player 1 \\ Player 2 |    1 |    2
        --------------------+------+-----
        1                   | 3, 3 | 0, 5
        2                   | 5, 0 | 1, 1
        """

        def fmt(value: float) -> str:
            return format_number(value, precision)

        blocks = []
        rest = self.shape[2:] if self.num_players > 1 else ()
        for tail in np.ndindex(*rest) if rest else [()]:
            header = ""
            if tail:
                header = ", ".join(
                    f"{self._players[k + 2].name} plays {self._players[k + 2].strategies[s]}"
                    for k, s in enumerate(tail)
                )
            rows_labels = self._players[0].strategies
            if self.num_players == 1:
                cols_labels: tuple[str, ...] = ("payoff",)
            else:
                cols_labels = self._players[1].strategies
            corner = (
                f"{self._players[0].name} \\ {self._players[1].name}"
                if self.num_players > 1
                else self._players[0].name
            )
            cells = []
            for r in range(len(rows_labels)):
                row = []
                for c in range(len(cols_labels)):
                    index = (r, c, *tail) if self.num_players > 1 else (r,)
                    row.append(", ".join(fmt(v) for v in self._payoffs[index]))
                cells.append(row)
            blocks.append(
                render_grid(corner, rows_labels, cols_labels, cells, [header] if header else [])
            )
        text = "\n\n".join(blocks)
        return f"{self.title}\n{text}" if self.title else text

    def __str__(self) -> str:
        return self.to_table()

    def _repr_html_(self) -> str:
        from html import escape

        return f"<pre>{escape(self.to_table())}</pre>"


# ---------------------------------------------------------------------- pure helpers
def _deviation_payoffs(
    payoffs: np.ndarray, vectors: Sequence[np.ndarray], player: int
) -> np.ndarray:
    """Payoff of each pure strategy of ``player`` when the others play ``vectors``."""
    out = payoffs[..., player]
    # Contract the other players' axes from the last to the first so axis numbers stay valid.
    for other in reversed(range(len(vectors))):
        if other == player:
            continue
        out = np.tensordot(out, vectors[other], axes=([other], [0]))
    return np.asarray(out, dtype=float)


def payoff_array(payoffs: Any) -> np.ndarray:
    """Check and convert an N-player payoff array of shape ``(n_1, ..., n_N, N)``.

    The array-level counterpart of the checks in :class:`NormalFormGame`, for solvers
    that take plain arrays.

    Parameters
    ----------
    payoffs : array_like
        Payoffs of shape ``(n_1, ..., n_N, N)``: entry ``[s_1, ..., s_N, i]`` is player
        ``i``'s payoff at the pure profile ``(s_1, ..., s_N)``.

    Returns
    -------
    numpy.ndarray
        The payoffs as a float array of the same shape.

    Raises
    ------
    GameError
        If the payoffs are not numbers, not of a shape ``(n_1, ..., n_N, N)``, not all
        finite, or some player has no strategy.

    Examples
    --------
    >>> payoff_array([[[1, 0], [0, 1]], [[0, 1], [1, 0]]]).shape
    (2, 2, 2)
    """
    try:
        u = np.asarray(payoffs, dtype=float)
    except (TypeError, ValueError) as exc:
        raise GameError(f"payoffs must be numbers: {exc}") from None
    if u.ndim < 2 or u.shape[-1] != u.ndim - 1:
        raise GameError(
            f"payoffs must have shape (n_1, ..., n_N, N) with N the number of players; "
            f"got {u.shape}"
        )
    if any(n == 0 for n in u.shape[:-1]) or not np.all(np.isfinite(u)):
        raise GameError("payoffs must be finite and every player needs a strategy")
    return u


def player_regrets(payoffs: np.ndarray, vectors: Sequence[np.ndarray]) -> np.ndarray:
    """Each player's gain from their best pure deviation, for an array game.

    Parameters
    ----------
    payoffs : numpy.ndarray
        Payoffs of shape ``(n_1, ..., n_N, N)`` (checked by :func:`payoff_array`, not here).
    vectors : sequence of numpy.ndarray
        One mixed strategy per player, the ``i``-th of length ``n_i``.

    Returns
    -------
    numpy.ndarray, shape (N,)
        Each player's best pure-deviation payoff minus its current payoff, floored at 0.

    Examples
    --------
    >>> u = np.array([[[1, 1], [0, 0]], [[0, 0], [1, 1]]], dtype=float)
    >>> player_regrets(u, [np.array([1.0, 0.0]), np.array([0.0, 1.0])])
    array([1., 1.])
    """
    gains = np.empty(len(vectors))
    for player, vec in enumerate(vectors):
        values = _deviation_payoffs(payoffs, vectors, player)
        gains[player] = values.max() - float(values @ vec)
    return np.maximum(gains, 0.0)


def payoffs_as_fractions(payoffs: np.ndarray) -> np.ndarray:
    """Payoffs as exact fractions, reading each float as the decimal it prints as.

    ``0.84`` becomes ``21/25`` (what the user wrote), not the binary value of the float.

    Parameters
    ----------
    payoffs : numpy.ndarray
        Finite payoffs of any shape.

    Returns
    -------
    numpy.ndarray of Fraction
        An object array of the same shape.

    Raises
    ------
    ValueError
        If a payoff is ``nan`` or infinite (no fraction has that value).

    Examples
    --------
    >>> payoffs_as_fractions(np.array([0.84, 3.0]))
    array([Fraction(21, 25), Fraction(3, 1)], dtype=object)
    """
    return np.vectorize(lambda v: Fraction(repr(float(v))), otypes=[object])(payoffs)


def exact_player_regrets(payoffs: np.ndarray, profile: Iterable[Iterable[Any]]) -> list[Fraction]:
    """Each player's gain from its best unilateral deviation, in exact rational arithmetic.

    Payoffs are read with :func:`payoffs_as_fractions`.

    Parameters
    ----------
    payoffs : numpy array, shape (n_1, ..., n_N, N)
    profile : sequence of sequences
        One probability vector per player (fractions, integers or decimal strings).

    Returns
    -------
    list of Fraction
        One gain per player (zero at an equilibrium).

    Examples
    --------
    >>> u = np.array([[[1, 1], [0, 0]], [[0, 0], [1, 1]]], dtype=float)
    >>> exact_player_regrets(u, [[1, 0], [0, 1]])
    [Fraction(1, 1), Fraction(1, 1)]
    """
    vectors = [[Fraction(p) for p in v] for v in profile]
    for v in vectors:
        if sum(v) != 1 or any(p < 0 for p in v):
            raise GameError(f"exact profile entries must be probabilities summing to 1: {v}")
    num_players = payoffs.shape[-1]
    table = payoffs_as_fractions(payoffs)
    gains = []
    for player in range(num_players):
        values = table[..., player]
        for other in reversed(range(num_players)):
            if other == player:
                continue
            vec = np.array(vectors[other], dtype=object)
            values = np.tensordot(values, vec, axes=([other], [0]))
        values = list(np.asarray(values, dtype=object).reshape(-1))
        current = sum((v * p for v, p in zip(values, vectors[player])), Fraction(0))
        gains.append(max(values) - current)
    return gains


def exact_regret(payoffs: np.ndarray, profile: Iterable[Iterable[Any]]) -> Fraction:
    """Largest gain from a unilateral deviation, in exact rational arithmetic.

    Payoffs are read with :func:`payoffs_as_fractions`.

    Parameters
    ----------
    payoffs : numpy.ndarray
        Payoffs of shape ``(n_1, ..., n_N, N)``.
    profile : sequence of sequences
        One probability vector per player (fractions, integers or decimal strings).

    Returns
    -------
    Fraction
        The largest of :func:`exact_player_regrets` (zero exactly at an equilibrium).

    Raises
    ------
    GameError
        If a vector of ``profile`` has a negative entry or does not sum to 1.

    Examples
    --------
    >>> u = np.array([[[1, 1], [0, 0]], [[0, 0], [1, 1]]], dtype=float)
    >>> exact_regret(u, [[1, 0], [1, 0]]), exact_regret(u, [["0.5", "0.5"], [1, 0]])
    (Fraction(0, 1), Fraction(1, 2))
    """
    return max([Fraction(0), *exact_player_regrets(payoffs, profile)])


__all__ += [
    "payoff_array",
    "player_regrets",
    "exact_regret",
    "exact_player_regrets",
    "payoffs_as_fractions",
]
