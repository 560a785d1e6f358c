"""Nash equilibria of a strategic-form game: pick a sound method, certify every answer.

:func:`solve_normal_form` dispatches to the algorithm modules of :mod:`simulator.solvers`;
:func:`simulator.solvers.solve.solve` sends strategic-form games here and extensive-form games
to :func:`~simulator.solvers.solve_extensive.solve_extensive`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from simulator.games.errors import GameError
from simulator.games.normal_form import NormalFormGame
from simulator.solvers.equilibrium import (
    CertificationError,
    Equilibrium,
    ExactlyRefutedError,
    RefutedCandidatesWarning,
    certify,
)

__all__ = ["METHODS", "choose_method", "solve_normal_form"]

#: Largest number of pure profiles for which "auto" enumerates all N-player equilibria.
_ENUMERATION_LIMIT_NPLAYER = 64
#: "auto" enumerates all 2-player equilibria while the smaller player has at most this many
#: strategies: vertex counts grow roughly 3-4x per extra strategy (12x12 takes ~35 ms, 15x15 ~1 s),
#: while games with one small side (3x70) stay cheap.
_ENUMERATION_LIMIT_TWO_PLAYER = 12

METHODS: dict[str, str] = {
    "auto": "choose a method from the game's size and structure (see choose_method)",
    "pure": "all pure-strategy equilibria, any number of players",
    "enumerate": "all extreme equilibria of a 2-player game by vertex enumeration, "
    "with the connected components of degenerate games",
    "lemke-howson": "one equilibrium of a 2-player game by Lemke-Howson pivoting "
    "(parameter initial_label; all_labels=True runs every label)",
    "zero-sum": "the value and optimal strategies of a 2-player zero-sum or constant-sum game "
    "by linear programming",
    "support": "all isolated equilibria of a small N-player game by support enumeration "
    "and polynomial homotopy",
    "logit": "one equilibrium of any game by tracing the logit quantal-response branch",
}


def choose_method(game: NormalFormGame) -> str:
    """The method ``solve(game, method="auto")`` uses.

    Two-player games in which one player has at most 12 strategies: ``"enumerate"``
    (all equilibria); larger two-player games: ``"lemke-howson"``; N-player games with at most 64
    pure profiles: ``"support"`` (all equilibria); larger ones: ``"logit"``.
    One-player games: ``"pure"``.

    Parameters
    ----------
    game : NormalFormGame
        The game to solve; only its number of players and shape are read.

    Returns
    -------
    str
        A key of :data:`METHODS`.

    Examples
    --------
    >>> choose_method(NormalFormGame(np.zeros((2, 2, 2, 3))))
    'support'
    """
    if game.num_players == 1:
        return "pure"
    if game.num_players == 2:
        if min(game.shape) <= _ENUMERATION_LIMIT_TWO_PLAYER:
            return "enumerate"
        return "lemke-howson"
    if int(np.prod(game.shape)) <= _ENUMERATION_LIMIT_NPLAYER:
        return "support"
    return "logit"


def _require_two_players(game: NormalFormGame, method: str) -> tuple[np.ndarray, np.ndarray]:
    if game.num_players != 2:
        raise GameError(
            f"method {method!r} solves 2-player games; this game has {game.num_players} players. "
            "Use method='support' (all equilibria of small games) or 'logit'."
        )
    return game.payoff_matrix(0), game.payoff_matrix(1)


def _run_pure(game: NormalFormGame, **_: Any) -> list[tuple[list[np.ndarray], dict[str, Any]]]:
    from simulator.solvers.pure import pure_equilibria

    out = []
    for profile in pure_equilibria(game.payoffs):
        vectors = [np.eye(n)[s] for n, s in zip(game.shape, profile)]
        out.append((vectors, {}))
    return out


def _run_enumerate(game: NormalFormGame, **_: Any) -> list[tuple[list[np.ndarray], dict[str, Any]]]:
    from simulator.solvers.vertex_enumeration import _solve

    a, b = _require_two_players(game, "enumerate")
    result = _solve(a, b)
    return [
        (
            [result.row_vertices[i], result.col_vertices[j]],
            {"component": int(result.components[k])},
        )
        for k, (i, j) in enumerate(result.pairs)
    ]


def _run_lemke_howson(
    game: NormalFormGame, initial_label: int = 0, all_labels: bool = False, **_: Any
) -> list[tuple[list[np.ndarray], dict[str, Any]]]:
    from simulator.solvers.lemke_howson import _all_labels, _solve

    a, b = _require_two_players(game, "lemke-howson")
    if all_labels:
        runs = _all_labels(a, b)
    else:
        x, y, pivots = _solve(a, b, initial_label)
        runs = [(x, y, pivots, int(initial_label))]
    return [([x, y], {"initial_label": label, "pivots": pivots}) for x, y, pivots, label in runs]


def _run_zero_sum(game: NormalFormGame, **_: Any) -> list[tuple[list[np.ndarray], dict[str, Any]]]:
    from simulator.solvers.zero_sum import _solve

    a, b = _require_two_players(game, "zero-sum")
    if not game.is_constant_sum(tol=1e-9 * max(1.0, float(np.abs(game.payoffs).max()))):
        raise GameError(
            "method 'zero-sum' needs payoffs that add up to the same constant in every cell "
            "(zero-sum or constant-sum); use method='enumerate' for general 2-player games"
        )
    # (A, c - A) has the equilibria of (A, -A): the LP of the row player's matrix solves both
    x, y, value = _solve(a)
    total = float((a + b).flat[0]) if a.size else 0.0
    parameters = {"value": value, "constant_sum": total}
    return [([x, y], parameters)]


def _run_support(game: NormalFormGame, **_: Any) -> list[tuple[list[np.ndarray], dict[str, Any]]]:
    from simulator.solvers.support_enumeration_n import support_enumeration

    return [(list(profile), {}) for profile in support_enumeration(game.payoffs)]


def _run_logit(
    game: NormalFormGame, max_lambda: float = 1e6, **_: Any
) -> list[tuple[list[np.ndarray], dict[str, Any]]]:
    from simulator.solvers.logit import _solve

    _, profile, path, _, _ = _solve(game.payoffs, max_lambda)
    return [(list(profile), {"final_lambda": float(path.lambdas[-1])})]


_RUNNERS: dict[str, Callable[..., list[tuple[list[np.ndarray], dict[str, Any]]]]] = {
    "pure": _run_pure,
    "enumerate": _run_enumerate,
    "lemke-howson": _run_lemke_howson,
    "zero-sum": _run_zero_sum,
    "support": _run_support,
    "logit": _run_logit,
}


def solve_normal_form(
    game: NormalFormGame,
    method: str = "auto",
    *,
    tol: float | None = None,
    exact: bool = False,
    **parameters: Any,
) -> list[Equilibrium]:
    """Nash equilibria of a strategic-form ``game``, each certified by its regret.

    Parameters
    ----------
    game : NormalFormGame
    method : str
        One of :data:`METHODS`: ``"auto"``, ``"pure"``, ``"enumerate"``,
        ``"lemke-howson"``, ``"zero-sum"``, ``"support"``, ``"logit"``.
    tol : float, optional
        Largest regret accepted (default: each player's
        :func:`~simulator.solvers.equilibrium.player_tolerances`).
    exact : bool
        Also try an exact check in rational arithmetic; each equilibrium reports
        ``exact=True`` when its rational profile has zero regret exactly.
    **parameters
        Passed to the method (e.g. ``initial_label=2`` for Lemke-Howson).

    Returns
    -------
    list of Equilibrium
        Never a profile whose regret exceeds ``tol``.

    Raises
    ------
    CertificationError
        If the method produced a profile it cannot certify (nothing is returned).

    Examples
    --------
    >>> sexes = NormalFormGame.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]],
    ...     strategies=[["Opera", "Football"], ["Opera", "Football"]])
    >>> [eq.strategy(0)["Opera"] for eq in solve_normal_form(sexes)]
    [0.0, 0.666..., 1.0]
    """
    if not isinstance(game, NormalFormGame):
        raise GameError(f"expected a NormalFormGame, got {type(game).__name__}")
    chosen = choose_method(game) if method == "auto" else method
    runner = _RUNNERS.get(chosen)
    if runner is None:
        raise GameError(f"unknown method {method!r}; choose one of {sorted(METHODS)}")
    candidates = runner(game, **parameters)
    results: list[Equilibrium] = []
    refuted = []
    for vectors, extra in candidates:
        component = extra.pop("component", None)
        try:
            results.append(
                certify(
                    game,
                    vectors,
                    method=chosen,
                    parameters={**parameters, **extra},
                    tol=tol,
                    exact=exact,
                    component=component,
                )
            )
        except ExactlyRefutedError as exc:
            refuted.append(str(exc))
        except CertificationError as exc:
            raise CertificationError(
                f"{exc}. The method could not certify this answer; try another method "
                f"(e.g. {'enumerate' if game.num_players == 2 else 'support'})."
            ) from None
    if refuted:
        if not results:
            raise CertificationError(
                f"{refuted[0]}. The method could not certify this answer; try another "
                f"method (e.g. {'enumerate' if game.num_players == 2 else 'support'})."
            )
        warnings.warn(
            f"{chosen} proposed {len(refuted)} profile(s) that exact arithmetic refutes "
            "(payoffs too far apart for its float tolerance); they were dropped, and at this "
            "payoff scale some equilibria may be missing",
            RefutedCandidatesWarning,
            stacklevel=2,
        )
    return _sorted_unique(results)


def _sorted_unique(results: list[Equilibrium]) -> list[Equilibrium]:
    """Drop duplicate profiles and order lexicographically by probabilities."""
    seen: dict[tuple[float, ...], Equilibrium] = {}
    for eq in results:
        key = tuple(np.round(np.concatenate(eq.profile), 9).tolist())
        seen.setdefault(key, eq)
    return [seen[key] for key in sorted(seen)]
