"""Certified equilibrium results.

Every solver's answer passes through :func:`certify`, which measures the regret of
the profile (the largest gain any player gets by a unilateral deviation) and
refuses to return it as an equilibrium when that regret exceeds the tolerance.
For games with integer or rational payoffs :func:`certify` can also try an exact
check in rational arithmetic (``exact=True``).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from simulator.errors import SimulatorError
from simulator.games.normal_form import (
    NormalFormGame,
    exact_player_regrets,
    payoffs_as_fractions,
    player_regrets,
)

__all__ = [
    "Equilibrium",
    "TwoPlayerProfile",
    "CertificationError",
    "ExactlyRefutedError",
    "RefutedCandidatesWarning",
    "certify",
    "default_tolerance",
    "player_tolerances",
    "tolerance_from_range",
    "VISIBLE_GAIN",
    "rationalise_profile",
]

#: Relative tolerance for regret, scaled by the payoff magnitude of the game.
RELATIVE_TOLERANCE = 1e-8


class CertificationError(SimulatorError, RuntimeError):
    """A solver produced a profile whose regret exceeds the tolerance."""


class ExactlyRefutedError(CertificationError):
    """A profile passed the float check but exact arithmetic shows a visible gain.

    Raised where the float bound is too coarse for the payoff scale (a player's payoffs
    span more than about 100); all-equilibria solvers drop such candidates.
    """


class RefutedCandidatesWarning(UserWarning):
    """A solver proposed profiles that exact arithmetic refuted; they were dropped."""


#: Smallest relative bound: about 450 units in the last place of the largest payoff, the
#: noise a float computation on payoffs of that size can leave in a regret.
PRECISION_FLOOR = 1e-13


def tolerance_from_range(low: Any, high: Any) -> np.ndarray:
    """The regret bound for payoffs between ``low`` and ``high`` (the one rule).

    ``1e-8`` times the span ``high - low``, but never below ``1e-13`` times the largest
    payoff magnitude (what float precision can resolve); ``1e-8`` when every payoff is 0.
    Scaling the payoffs by a positive factor scales the bound alike, so certification is
    invariant under positive affine payoff transformations at any scale, from ``1e-12``
    to ``1e19``.

    Parameters
    ----------
    low, high : float or numpy array
        Smallest and largest payoff (of one player, or one player of each game).

    Returns
    -------
    numpy array
        The bound, broadcast over ``low`` and ``high``.

    Examples
    --------
    >>> tolerance_from_range(np.array([0.0, 1e19]), np.array([1.0, 1e19]))
    array([1.e-08, 1.e+06])
    """
    low, high = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    magnitude = np.maximum(np.abs(low), np.abs(high))
    bound = np.maximum(RELATIVE_TOLERANCE * (high - low), PRECISION_FLOOR * magnitude)
    # payoffs all zero: no gain is possible and any positive bound is exact; the unit one
    return np.where(bound > 0, bound, RELATIVE_TOLERANCE)


def default_tolerance(payoffs: np.ndarray) -> float:
    """One regret tolerance for a game: the largest of :func:`player_tolerances`.

    Solvers use it to screen candidates; :func:`certify` then checks each player against
    its own bound.

    Parameters
    ----------
    payoffs : numpy.ndarray
        Payoffs of shape ``(n_1, ..., n_N, N)``, as ``NormalFormGame.payoffs``.

    Returns
    -------
    float
        The largest per-player bound (:func:`tolerance_from_range` of each player's
        payoffs).

    Examples
    --------
    >>> default_tolerance(np.array([[[3.0, -200.0]], [[1.0, 0.0]]]))
    2e-06
    """
    return float(player_tolerances(payoffs).max(initial=0.0))


def player_tolerances(payoffs: np.ndarray) -> np.ndarray:
    """Each player's regret tolerance: :func:`tolerance_from_range` of that player's payoffs.

    A player's gain is measured in that player's own payoffs, so its bound is set by them
    alone: a game where one player's payoffs reach ``1e19`` while another's are ``0`` to
    ``2.5`` checks the second player's choices at ``2.5e-8``, not at ``1e11``; payoffs of
    size ``1e-12`` are checked at ``1e-20``, not at a fixed absolute bound.

    Parameters
    ----------
    payoffs : numpy array, shape (..., N)
        Payoffs with the player on the last axis (a strategic form's payoff array or a
        tree's terminal payoffs).

    Returns
    -------
    numpy array, shape (N,)

    Examples
    --------
    >>> player_tolerances(np.array([[0.0, 1.0], [1e19, 2.5]]))
    array([1.0e+11, 1.5e-08])
    """
    flat = np.asarray(payoffs, dtype=float)
    flat = flat.reshape(-1, flat.shape[-1])
    if flat.shape[0] == 0:
        return np.zeros(flat.shape[-1])
    return tolerance_from_range(flat.min(axis=0), flat.max(axis=0))


#: A gain at or below this, in payoff units, is accepted without an exact check; above it
#: (a player whose payoffs span more than 100) a game with rational payoffs is certified
#: in rational arithmetic where the profile can be made exact.
VISIBLE_GAIN = 1e-6


@dataclass(frozen=True, eq=False)
class Equilibrium:
    """A certified equilibrium of a strategic-form game.

    Attributes
    ----------
    game : NormalFormGame
        The game it is an equilibrium of.
    profile : tuple of numpy arrays
        One probability vector per player, in the game's strategy order.
    payoffs : numpy array
        Expected payoff of every player.
    regret : float
        The largest gain any player gets by a unilateral deviation (the certificate).
    tolerance : float
        The largest of the per-player bounds in ``tolerances``.
    method : str
        The algorithm that found it.
    parameters : dict
        The algorithm's parameters.
    exact : bool or None
        ``True`` when an exact rational check found zero regret; ``False`` when it was
        tried and failed (the float certificate still holds); ``None`` when not tried.
    exact_profile : tuple of tuples of Fraction or None
        The rational profile that passed the exact check.
    component : int or None
        For solvers that enumerate all equilibria: the index of the connected component
        of equilibria this extreme equilibrium belongs to.
    regrets : tuple of float
        Each player's gain from its best unilateral deviation, in its own payoffs.
    tolerances : tuple of float
        The bound each player's gain was checked against (:func:`player_tolerances`
        unless the caller gave one ``tol`` for all).
    """

    game: NormalFormGame
    profile: tuple[np.ndarray, ...]
    payoffs: np.ndarray
    regret: float
    tolerance: float
    method: str
    parameters: Mapping[str, Any] = field(default_factory=dict)
    exact: bool | None = None
    exact_profile: tuple[tuple[Fraction, ...], ...] | None = None
    component: int | None = None
    regrets: tuple[float, ...] = ()
    tolerances: tuple[float, ...] = ()

    # ------------------------------------------------------------------ views
    @property
    def support(self) -> tuple[tuple[int, ...], ...]:
        """Indices of the strategies each player uses with positive probability."""
        cut = max(self.tolerance, 1e-12)
        return tuple(tuple(int(k) for k in np.flatnonzero(v > cut)) for v in self.profile)

    @property
    def support_labels(self) -> tuple[tuple[str, ...], ...]:
        """Labels of the strategies each player uses with positive probability."""
        return tuple(
            tuple(p.strategies[k] for k in s) for p, s in zip(self.game.players, self.support)
        )

    @property
    def is_pure(self) -> bool:
        return all(len(s) == 1 for s in self.support)

    def strategy(self, player: int | str) -> dict[str, float]:
        """One player's mixed strategy as ``{label: probability}``.

        Examples
        --------
        >>> from simulator import NormalFormGame, solve
        >>> pennies = NormalFormGame.from_bimatrix([[1, -1], [-1, 1]],
        ...     strategies=[["Heads", "Tails"], ["Heads", "Tails"]])
        >>> solve(pennies)[0].strategy(0)
        {'Heads': 0.5, 'Tails': 0.5}
        """
        index = self._player_index(player)
        labels = self.game.players[index].strategies
        return {label: float(p) for label, p in zip(labels, self.profile[index])}

    def __getitem__(self, player: int | str) -> dict[str, float]:
        return self.strategy(player)

    def _player_index(self, player: int | str) -> int:
        if isinstance(player, (int, np.integer)):
            return int(player)
        names = [p.name for p in self.game.players]
        if player not in names:
            raise KeyError(f"no player {player!r}; players are {names}")
        return names.index(player)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready description (profile per player in strategy order)."""
        out: dict[str, Any] = {
            "profile": [[float(p) for p in v] for v in self.profile],
            "strategies": {p.name: self.strategy(k) for k, p in enumerate(self.game.players)},
            "payoffs": [float(u) for u in self.payoffs],
            "regret": float(self.regret),
            "tolerance": float(self.tolerance),
            "method": self.method,
            "parameters": dict(self.parameters),
        }
        if self.exact is not None:
            out["exact"] = self.exact
        if self.exact_profile is not None:
            out["exact_profile"] = [[str(p) for p in v] for v in self.exact_profile]
        if self.component is not None:
            out["component"] = self.component
        return out

    def __repr__(self) -> str:
        parts = []
        for player, vec in zip(self.game.players, self.profile):
            used = [f"{player.strategies[k]}={vec[k]:.4g}" for k in np.flatnonzero(vec > 1e-12)]
            parts.append(f"{player.name}: {', '.join(used)}")
        pay = ", ".join(f"{u:.4g}" for u in self.payoffs)
        return (
            f"<Equilibrium {'; '.join(parts)} | payoffs ({pay}) | regret {self.regret:.1e} "
            f"| {self.method}>"
        )

    def _repr_html_(self) -> str:
        from html import escape

        rows = []
        for i, p in enumerate(self.game.players):
            used = ", ".join(f"{k}: {v:.4g}" for k, v in self.strategy(i).items() if v > 1e-12)
            rows.append(
                f"<tr><td>{escape(p.name)}</td><td>{escape(used)}</td>"
                f"<td>{self.payoffs[i]:.4g}</td></tr>"
            )
        return (
            "<table><tr><th>player</th><th>strategy</th><th>payoff</th></tr>"
            f"{''.join(rows)}</table><p>regret {self.regret:.2e} "
            f"(tolerance {self.tolerance:.1e}), method {escape(self.method)}</p>"
        )


# ---------------------------------------------------------------------- certification
class TwoPlayerProfile:
    """``row_strategy`` and ``col_strategy`` of a result holding one two-player ``equilibrium``.

    Attributes
    ----------
    equilibrium : Equilibrium
        The certified equilibrium (set by the result class that mixes this in).
    """

    equilibrium: Equilibrium

    @property
    def row_strategy(self) -> np.ndarray:
        """The row player's mixed strategy, ``equilibrium.profile[0]``."""
        return self.equilibrium.profile[0]

    @property
    def col_strategy(self) -> np.ndarray:
        """The column player's mixed strategy, ``equilibrium.profile[1]``."""
        return self.equilibrium.profile[1]


def certify(
    game: NormalFormGame,
    profile: Sequence[Any],
    method: str,
    parameters: Mapping[str, Any] | None = None,
    tol: float | None = None,
    exact: bool = False,
    component: int | None = None,
) -> Equilibrium:
    """Measure the regret of ``profile`` and wrap it as a certified :class:`Equilibrium`.

    Probabilities within ``1e-13`` of zero, and negative ones down to ``-1e-7``, are
    cleaned to exactly zero and each vector renormalised before the regret is measured,
    so the certificate is of the profile actually returned.

    Parameters
    ----------
    game : NormalFormGame
        The game the profile is played in.
    profile : sequence of array_like
        One mixed strategy per player: probabilities over that player's strategies, each
        ``>= -1e-7`` and summing to 1 within ``1e-6``.
    method : str
        The algorithm that found the profile; recorded, and named in error messages.
    parameters : mapping, optional
        The algorithm's parameters, recorded on the result.
    tol : float, optional
        One regret bound for every player; by default each player's own bound
        (:func:`player_tolerances`).
    exact : bool
        Also check the profile in rational arithmetic (see ``Equilibrium.exact``).
        Without it, the exact check is still made when ``tol`` is not given and some
        player's bound exceeds :data:`VISIBLE_GAIN`.
    component : int, optional
        Index of the connected component of equilibria the profile belongs to, recorded.

    Returns
    -------
    Equilibrium
        The cleaned profile with its payoffs, per-player regrets and the bounds they were
        checked against (the profile's arrays made read-only).

    Raises
    ------
    CertificationError
        If the regret exceeds ``tol``: the profile is not an equilibrium. Also if a
        strategy has the wrong length, is not finite or is not a probability vector, or
        the profile has fewer entries than the game has players.
    ExactlyRefutedError
        If the float check passed under a bound above :data:`VISIBLE_GAIN`, but exact
        arithmetic shows a player gaining more than :data:`VISIBLE_GAIN` by deviating.

    Examples
    --------
    >>> g = NormalFormGame.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    >>> eq = certify(g, [[2/3, 1/3], [1/3, 2/3]], method="by hand", exact=True)
    >>> eq.exact, eq.exact_profile[0]
    (True, (Fraction(2, 3), Fraction(1, 3)))
    """
    n = game.num_players
    tolerances = player_tolerances(game.payoffs) if tol is None else np.full(n, float(tol))
    vectors = []
    for player, vec in zip(game.players, profile):
        v = np.asarray(vec, dtype=float).reshape(-1).copy()
        if v.shape != (player.num_strategies,) or not np.all(np.isfinite(v)):
            raise CertificationError(
                f"{method}: invalid strategy for {player.name!r}: {np.asarray(vec).tolist()}"
            )
        v[np.abs(v) <= 1e-13] = 0.0
        if np.any(v < -1e-7) or abs(v.sum() - 1.0) > 1e-6:
            raise CertificationError(
                f"{method}: the strategy of {player.name!r} is not a probability vector: "
                f"{v.tolist()}"
            )
        v = np.clip(v, 0.0, None)
        v /= v.sum()
        vectors.append(v)
    if len(vectors) != n:
        raise CertificationError(f"{method}: profile has {len(vectors)} entries")
    regrets = player_regrets(game.payoffs, vectors)
    _check_regrets(method, regrets, tolerances, game.players)
    exact_ok: bool | None = None
    exact_vectors: tuple[tuple[Fraction, ...], ...] | None = None
    # Where a player's bound is a gain someone could see, the profile is checked in exact
    # arithmetic when it can be made exact (pure profiles always; two players by their
    # supports): a nonzero exact gain above VISIBLE_GAIN refuses it.
    visible = tol is None and bool(np.any(tolerances > VISIBLE_GAIN))
    if exact or visible:
        exact_ok = False
        candidate = rationalise_profile(game, vectors)
        if candidate is not None:
            gains = exact_player_regrets(game.payoffs, candidate)
            if all(g == 0 for g in gains):
                exact_ok = True
                exact_vectors = tuple(tuple(v) for v in candidate)
            elif visible and _is_exact_form(game, vectors, candidate):
                worst = max(range(n), key=lambda i: gains[i])
                if gains[worst] > VISIBLE_GAIN:
                    raise ExactlyRefutedError(
                        f"{method} returned a profile where {game.players[worst].name!r} "
                        f"gains {float(gains[worst]):.3g} by deviating (exact arithmetic; the "
                        f"float check's bound {tolerances[worst]:.3g} is too coarse at this "
                        "payoff scale): it is not an equilibrium"
                    )
        if not exact:
            exact_ok = exact_ok or None
    payoffs = game.payoff(vectors)
    for vec in vectors:
        vec.setflags(write=False)
    return Equilibrium(
        game=game,
        profile=tuple(vectors),
        payoffs=payoffs,
        regret=float(max(0.0, regrets.max(initial=0.0))),
        tolerance=float(tolerances.max(initial=0.0)),
        method=method,
        parameters=dict(parameters or {}),
        exact=exact_ok,
        exact_profile=exact_vectors,
        component=component,
        regrets=tuple(float(max(0.0, r)) for r in regrets),
        tolerances=tuple(float(t) for t in tolerances),
    )


def _certify_each(
    game: NormalFormGame,
    candidates: Iterable[tuple[Sequence[Any], Mapping[str, Any], int | None]],
    method: str,
    tol: float | None = None,
    stacklevel: int = 3,
) -> list[Equilibrium | None]:
    """:func:`certify` every candidate of an all-equilibria solver, in order.

    Each candidate is ``(profile, parameters, component)``. A candidate that exact
    arithmetic refutes (:class:`ExactlyRefutedError`) becomes ``None``, and one
    :class:`RefutedCandidatesWarning` says how many; any other :class:`CertificationError`
    propagates, as from :func:`certify`.
    """
    out: list[Equilibrium | None] = []
    for profile, parameters, component in candidates:
        try:
            out.append(
                certify(game, profile, method, parameters=parameters, tol=tol, component=component)
            )
        except ExactlyRefutedError:
            out.append(None)
    refuted = sum(eq is None for eq in out)
    if refuted:
        warnings.warn(
            f"{method} proposed {refuted} profile(s) that exact arithmetic refutes (payoffs "
            "too far apart for its float tolerance); they were dropped, and at this payoff "
            "scale some equilibria may be missing",
            RefutedCandidatesWarning,
            stacklevel=stacklevel,
        )
    return out


def _check_regrets(
    method: str, regrets: np.ndarray, tolerances: np.ndarray, players: Sequence[Any]
) -> None:
    """Raise :class:`CertificationError` naming the first player whose gain exceeds its bound."""
    over = np.flatnonzero(~(regrets <= tolerances))
    if over.size:
        i = int(over[0])
        name = getattr(players[i], "name", players[i])
        raise CertificationError(
            f"{method} returned a profile with regret {regrets[i]:.3g} for {name!r}, above "
            f"the tolerance {tolerances[i]:.3g}: it is not an equilibrium"
        )


def _is_exact_form(
    game: NormalFormGame, vectors: Sequence[np.ndarray], candidate: Sequence[Sequence[Fraction]]
) -> bool:
    """Whether ``candidate`` is the profile itself, not a rounded neighbour: pure profiles,
    and two-player profiles solved exactly on their supports."""
    pure = all(np.count_nonzero(v) == 1 for v in vectors)
    if pure:
        return True
    if game.num_players != 2:
        return False
    return all(
        abs(float(c) - float(f)) <= 1e-9
        for v, cand in zip(vectors, candidate)
        for c, f in zip(cand, v)
    )


def _solve_exact(matrix: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction] | None:
    """Gaussian elimination in rationals; ``None`` unless the solution is unique."""
    rows, cols = len(matrix), len(matrix[0])
    aug = [list(r) + [b] for r, b in zip(matrix, rhs)]
    pivots = []
    r = 0
    for c in range(cols):
        pivot = next((i for i in range(r, rows) if aug[i][c] != 0), None)
        if pivot is None:
            continue
        aug[r], aug[pivot] = aug[pivot], aug[r]
        inv = 1 / aug[r][c]
        aug[r] = [v * inv for v in aug[r]]
        for i in range(rows):
            if i != r and aug[i][c] != 0:
                f = aug[i][c]
                aug[i] = [a - f * b for a, b in zip(aug[i], aug[r])]
        pivots.append(c)
        r += 1
        if r == rows:
            break
    if len(pivots) < cols:
        return None
    if any(all(v == 0 for v in aug[i][:-1]) and aug[i][-1] != 0 for i in range(rows)):
        return None
    solution = [Fraction(0)] * cols
    for i, c in enumerate(pivots):
        solution[c] = aug[i][-1]
    return solution


def rationalise_profile(
    game: NormalFormGame, vectors: Sequence[np.ndarray]
) -> list[list[Fraction]] | None:
    """A rational profile near ``vectors`` with the same supports, or ``None``.

    For two-player games the indifference equations on the supports are solved exactly
    (which recovers the exact equilibrium when it is unique on those supports); otherwise,
    and as a fallback, each probability is rounded to the nearest fraction with a
    denominator up to ``10**6``.

    Parameters
    ----------
    game : NormalFormGame
        The game (its payoffs are read exactly for two players).
    vectors : sequence of numpy.ndarray
        One probability vector per player; the support is the entries above zero.

    Returns
    -------
    list of list of Fraction or None
        One exact probability vector per player, zero off the supports; ``None`` when
        rounding leaves the last probability of a support negative.

    Examples
    --------
    >>> g = NormalFormGame.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    >>> rationalise_profile(g, [np.array([0.6667, 0.3333]), np.array([0.3333, 0.6667])])
    [[Fraction(2, 3), Fraction(1, 3)], [Fraction(1, 3), Fraction(2, 3)]]
    """
    supports = [np.flatnonzero(v > 0) for v in vectors]
    if game.num_players == 2:
        table = payoffs_as_fractions(game.payoffs)
        exact_vectors: list[list[Fraction]] = []
        for player in range(2):
            other = 1 - player
            # The other player's payoff matrix with their strategies as rows.
            m = table[..., other] if other == 0 else table[..., other].T
            rows, cols = supports[other], supports[player]
            system = [[m[i, j] for j in cols] + [Fraction(-1)] for i in rows]
            system.append([Fraction(1)] * len(cols) + [Fraction(0)])
            rhs = [Fraction(0)] * len(rows) + [Fraction(1)]
            solution = _solve_exact(system, rhs)
            if solution is None:
                break
            full = [Fraction(0)] * game.shape[player]
            for j, p in zip(cols, solution[:-1]):
                full[j] = p
            if any(p < 0 for p in full):
                break
            exact_vectors.append(full)
        else:
            return exact_vectors
    rounded: list[list[Fraction]] = []
    for vec, support in zip(vectors, supports):
        full = [Fraction(0)] * len(vec)
        for j in support[:-1]:
            full[j] = Fraction(float(vec[j])).limit_denominator(10**6)
        full[support[-1]] = 1 - sum(full)
        if full[support[-1]] < 0:
            return None
        rounded.append(full)
    return rounded
