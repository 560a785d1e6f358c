"""One entry point, :func:`solve`: strategic-form games to
:func:`~simulator.solvers.solve_normal.solve_normal_form`, extensive-form games to
:func:`~simulator.solvers.solve_extensive.solve_extensive`; every answer certified."""

from __future__ import annotations

from typing import Any

from simulator.games.errors import GameError
from simulator.games.extensive import ExtensiveGame
from simulator.games.normal_form import NormalFormGame
from simulator.solvers.equilibrium import Equilibrium
from simulator.solvers.extensive_equilibrium import ExtensiveEquilibrium
from simulator.solvers.solve_extensive import solve_extensive
from simulator.solvers.solve_normal import METHODS, choose_method, solve_normal_form

__all__ = ["METHODS", "choose_method", "solve"]


def solve(
    game: NormalFormGame | ExtensiveGame,
    method: str = "auto",
    *,
    tol: float | None = None,
    exact: bool = False,
    **parameters: Any,
) -> list[Equilibrium] | list[ExtensiveEquilibrium]:
    """Equilibria of ``game``, each certified by its regret.

    Parameters
    ----------
    game : NormalFormGame or ExtensiveGame
        Extensive-form games go to :func:`~simulator.solvers.solve_extensive.solve_extensive`
        with ``concept=`` (``"spe"`` by default, ``"nash"``, ``"pbe"``, ``"sequential"``).
    method : str
        For strategic-form games one of :data:`METHODS` (see
        :func:`~simulator.solvers.solve_normal.solve_normal_form`).
    tol : float, optional
        Largest regret accepted (default: each player's
        :func:`~simulator.solvers.equilibrium.player_tolerances`).
    exact : bool
        Also try an exact check in rational arithmetic (strategic-form games).
    **parameters
        Passed to the method (e.g. ``initial_label=2`` for Lemke-Howson).

    Returns
    -------
    list of Equilibrium or ExtensiveEquilibrium
        Never a profile whose regret exceeds ``tol``.

    Raises
    ------
    CertificationError
        If the method produced a profile it cannot certify (nothing is returned).

    Examples
    --------
    >>> sexes = NormalFormGame.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]],
    ...     strategies=[["Opera", "Football"], ["Opera", "Football"]])
    >>> [eq.strategy(0)["Opera"] for eq in solve(sexes)]
    [0.0, 0.666..., 1.0]
    """
    if isinstance(game, ExtensiveGame):
        concept = parameters.pop("concept", "spe")
        if method != "auto":
            parameters["method"] = method
        return solve_extensive(game, concept, tol=tol, **parameters)
    if not isinstance(game, NormalFormGame):
        raise GameError(
            f"solve() needs a NormalFormGame or an ExtensiveGame; got {type(game).__name__}"
        )
    return solve_normal_form(game, method, tol=tol, exact=exact, **parameters)
