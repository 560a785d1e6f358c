"""All isolated Nash equilibria of small N-player games: support enumeration + homotopy.

A mixed profile is a Nash equilibrium with supports ``S_1, ..., S_N`` exactly when
every player is indifferent among the strategies of their support, prefers them to
the others, and uses them with non-negative probabilities summing to one. For each
support profile the indifference equations form a square polynomial system in
``sum_i (k_i - 1)`` unknowns (``k_i = |S_i|``): player ``i``'s ``k_i - 1`` equations
are multilinear in the other players' probabilities (McKelvey & McLennan 1996;
Datta 2003). This module

1. enumerates the support profiles and skips those containing a strategy that is
   *conditionally strictly dominated* given the other players' supports (Porter,
   Nudelman & Shoham 2008): such a strategy is never a best response there;
2. solves each remaining system for all its isolated solutions: directly when at
   most two players mix (the equations are then linear); when exactly three mix and one
   of them on two strategies, as a rectangular linear eigenvalue problem in that
   player's probability (:mod:`simulator.solvers.pencil_supports`; Cox, Little &
   O'Shea 2005), all support profiles of one shape in one batched call, handing
   ambiguous or singular ones to the homotopy; when exactly three mix, each on three
   strategies, by a hidden-variable resultant of two plane quartics
   (:mod:`simulator.solvers.resultant_supports`), used only when it returns the
   Bezout number of distinct regular solutions (so all of them), the others going to
   the homotopy; otherwise by homotopy continuation
   ``H(z, t) = (1 - t) gamma G(z) + t F(z)`` (Sommese & Wampler 2005) in projective
   coordinates with a random affine patch and the "gamma trick". The start system
   ``G`` is a random *linear-product* system with the multilinear structure of ``F``,
   so the number of paths is the multihomogeneous Bezout number (2 per support profile
   of a 2x2x2 game where all mix, 10 for 3x3x3) instead of the total degree (8 and
   64), and in generic games no path goes to infinity. Each support profile is solved
   in its own subgame, players ordered by support size; the profiles of one shape are
   tracked together (a shape with few paths inside a larger shape's system, its
   missing unknowns pinned to zero), vectorised with numpy: RK4 predictor, Newton
   corrector, per-path adaptive steps, and an endgame of Newton's method on ``F`` at
   ``t = 1`` that separates regular endpoints from singular ones and from solutions at
   infinity. A support profile whose regular endpoints coincide (a path jumped) is
   tracked again with a fresh random start system and smaller steps. A system whose
   Jacobian is singular at random complex points is singular everywhere (dependent
   equations, as ties in trees with chance moves make them): it has no regular
   solution and is not tracked;
3. keeps the real solutions in the simplex whose regret (best gain from any
   unilateral deviation) is within the tolerance, polishes them by Newton's method
   in real arithmetic and removes duplicates.

This module dispatches and screens; the parts live in their own modules: support
listing and pruning in :mod:`simulator.solvers.support_listing`, at most two mixers in
:mod:`simulator.solvers.linear_supports`, the direct routes in
:mod:`simulator.solvers.pencil_supports` and :mod:`simulator.solvers.resultant_supports`,
the homotopy in
:mod:`simulator.solvers.homotopy_supports` (with the path tracker of
:mod:`simulator.solvers.polynomial_homotopy`).

Non-isolated equilibria
-----------------------
Degenerate games can have *non-isolated* (positive-dimensional) sets of equilibria,
e.g. a segment of equilibria when a player is indifferent whatever they mix. Such
sets are reported **only through the isolated solutions found on some support**
(typically the end points of a segment; they need not be extreme points of the
set) **and through a warning flag**: :class:`SupportEnumerationResult`
``.non_isolated`` is ``True`` and :func:`support_enumeration` emits a
:class:`NonIsolatedEquilibriaWarning`. The flag is raised when

* a support system where at most two players mix has a solution set of positive
  dimension that meets the (linear) equilibrium conditions, decided by linear
  programming; when two players mix alongside pure players, the pure players'
  bilinear conditions are left out, so the flag may err on the side of warning;
* a homotopy path ends at a singular solution that is an approximate equilibrium
  (systems singular everywhere are not tracked, see above: their solution sets,
  positive-dimensional, are flagged only through the other two tests);
* at a returned equilibrium the indifference system over *all* best responses
  (not only the support) is singular, as when a player is indifferent among
  strategies whatever the others do.

For two-player games with non-isolated equilibria, vertex enumeration
(:mod:`simulator.solvers.vertex_enumeration`) returns all extreme equilibria.

References
----------
.. [1] R. Porter, E. Nudelman, Y. Shoham, "Simple search methods for finding a Nash
   equilibrium", Games and Economic Behavior 63 (2008) 642-662.
.. [2] R. D. McKelvey, A. McLennan, "Computation of equilibria in finite games",
   Handbook of Computational Economics I (1996), ch. 2.
.. [3] R. S. Datta, "Using computer algebra to find Nash equilibria", ISSAC 2003.
.. [4] R. D. McKelvey, A. McLennan, "The maximal number of regular totally mixed Nash
   equilibria", Journal of Economic Theory 72 (1997) 411-425.
.. [5] A. J. Sommese, C. W. Wampler, "The Numerical Solution of Systems of
   Polynomials Arising in Engineering and Science", World Scientific (2005).
.. [6] D. A. Cox, J. Little, D. O'Shea, "Using Algebraic Geometry", 2nd ed., Springer
   (2005), ch. 3.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

from simulator.games.errors import GameError
from simulator.games.normal_form import NormalFormGame, payoff_array, player_regrets
from simulator.solvers.equilibrium import Equilibrium, _certify_each, default_tolerance
from simulator.solvers.homotopy_supports import solve_by_homotopy
from simulator.solvers.linear_supports import solve_linear_support
from simulator.solvers.pencil_supports import bezout_count, pencil_layout, solve_pencil_supports
from simulator.solvers.polynomial_homotopy import _System
from simulator.solvers.pure import pure_nash_mask
from simulator.solvers.resultant_supports import resultant_layout, solve_resultant_supports
from simulator.solvers.support_listing import (
    EQ_TOL,
    REAL_TOL,
    Profile,
    Supports,
    coefficients,
    profile_from,
    surviving_supports,
)

__all__ = [
    "support_enumeration",
    "support_enumeration_result",
    "SupportEnumerationResult",
    "NonIsolatedEquilibriaWarning",
    "support_profiles",
    "refine_on_support",
]

#: Profiles closer than this (max-norm) are the same equilibrium.
_DEDUP_TOL = 1e-7


class NonIsolatedEquilibriaWarning(UserWarning):
    """The game may have non-isolated equilibria; only isolated solutions were returned."""


@dataclass(frozen=True)
class SupportEnumerationResult:
    """All isolated equilibria found by support enumeration, certified, with diagnostics.

    Returned by :func:`support_enumeration_result`.

    Attributes
    ----------
    equilibria : tuple of Equilibrium
        Each isolated equilibrium, certified on the game (method ``"support"``), in
        deterministic order: pure ones first, then by support profile.
    supports : tuple of tuple of tuple of int
        The support profile each equilibrium was found on (``supports[k]`` is that of
        ``equilibria[k]``).
    non_isolated : bool
        ``True`` when some support profile has a positive-dimensional set of solutions
        that may contain equilibria (a degenerate game); those sets are not returned.
    flagged_supports : tuple of support profiles
        The support profiles behind ``non_isolated``.
    supports_examined : int
        Support profiles that survived the dominance pruning.
    supports_pruned : int
        Support profiles skipped because of a conditionally dominated strategy.
    paths_tracked : int
        Homotopy paths tracked (support profiles solved as eigenvalue problems, see
        :mod:`simulator.solvers.pencil_supports`, and identically zero systems take none).
    """

    equilibria: tuple[Equilibrium, ...]
    supports: tuple[Supports, ...]
    non_isolated: bool = False
    flagged_supports: tuple[Supports, ...] = ()
    supports_examined: int = 0
    supports_pruned: int = 0
    paths_tracked: int = 0

    @property
    def regrets(self) -> tuple[float, ...]:
        """Each equilibrium's regret (its certificate), in the original payoff units."""
        return tuple(eq.regret for eq in self.equilibria)


@dataclass(frozen=True)
class _Found:
    """The uncertified output of the enumeration (see :class:`SupportEnumerationResult`)."""

    payoffs: np.ndarray
    profiles: list[Profile]
    supports: list[Supports]
    non_isolated: bool
    flagged_supports: tuple[Supports, ...]
    supports_examined: int
    supports_pruned: int
    paths_tracked: int


# ---------------------------------------------------------------------- public API
def support_enumeration(payoffs: np.ndarray, tol: float | None = None) -> list[Profile]:
    """All isolated Nash equilibria of a small N-player game, as plain arrays.

    The lean form of :func:`support_enumeration_result`: the same profiles, not
    certified, without the diagnostics. See the module docstring for the method.

    Parameters
    ----------
    payoffs : numpy array of shape ``(n_1, ..., n_N, N)``
        ``payoffs[s_1, ..., s_N, i]`` is player ``i``'s payoff.
    tol : float, optional
        Largest regret accepted, ``>= 0`` (default
        :func:`~simulator.solvers.equilibrium.default_tolerance`).

    Returns
    -------
    list of tuple of numpy arrays
        One probability vector per player for each equilibrium, ordered by support
        profile (fewest strategies first) and then by probabilities.

    Raises
    ------
    GameError
        If the payoffs are not a valid payoff array or ``tol`` is negative.

    Warns
    -----
    NonIsolatedEquilibriaWarning
        When the game is degenerate and may have non-isolated equilibria that the list
        represents only through isolated points (see the module notes).

    Examples
    --------
    The McKelvey-McLennan 2x2x2 game has nine equilibria, two of them fully mixed:

    >>> u = np.zeros((2, 2, 2, 3))
    >>> u[0, 0, 0], u[1, 1, 0] = (9, 8, 12), (9, 8, 2)
    >>> u[1, 0, 1], u[0, 1, 1] = (3, 4, 6), (3, 4, 6)
    >>> eqs = support_enumeration(u)
    >>> len(eqs), sum(all(v.min() > 0 for v in eq) for eq in eqs)
    (9, 2)
    """
    return _lean(payoffs, tol, stacklevel=3)


def support_enumeration_result(
    payoffs: np.ndarray, tol: float | None = None
) -> SupportEnumerationResult:
    """Support enumeration with polynomial homotopy: certified equilibria and diagnostics.

    See the module docstring for the method; :func:`support_enumeration` returns the
    same profiles as plain arrays. Non-isolated equilibria are reported by the flag
    ``non_isolated``, without a warning.

    Parameters
    ----------
    payoffs : numpy array of shape ``(n_1, ..., n_N, N)``
        ``payoffs[s_1, ..., s_N, i]`` is player ``i``'s payoff.
    tol : float, optional
        Largest regret accepted, ``>= 0``; also the bound of every certificate. By
        default candidates are screened at
        :func:`~simulator.solvers.equilibrium.default_tolerance` and each player is
        certified at its own bound
        (:func:`~simulator.solvers.equilibrium.player_tolerances`).

    Returns
    -------
    SupportEnumerationResult
        The isolated equilibria (pure ones first, then by support profile), their
        supports, whether non-isolated equilibria may exist, and counts of the work done.

    Raises
    ------
    GameError
        If the payoffs are not a valid payoff array or ``tol`` is negative.
    CertificationError
        If a profile accepted by the screen fails its certificate.

    Warns
    -----
    RefutedCandidatesWarning
        When exact arithmetic refutes some profiles (they are left out).

    Examples
    --------
    >>> sexes = np.stack([[[2, 0], [0, 1]], [[1, 0], [0, 2]]], axis=-1).astype(float)
    >>> res = support_enumeration_result(sexes)
    >>> [np.round(eq.profile[0], 3).tolist() for eq in res.equilibria]
    [[1.0, 0.0], [0.0, 1.0], [0.667, 0.333]]
    >>> res.non_isolated, [eq.regret <= eq.tolerance for eq in res.equilibria]
    (False, [True, True, True])
    """
    found = _solve(payoffs, tol)
    game = NormalFormGame(found.payoffs)
    candidates = ((list(p), {}, None) for p in found.profiles)
    certified = _certify_each(game, candidates, "support", tol=tol)
    kept = [(eq, s) for eq, s in zip(certified, found.supports) if eq is not None]
    return SupportEnumerationResult(
        equilibria=tuple(eq for eq, _ in kept),
        supports=tuple(s for _, s in kept),
        non_isolated=found.non_isolated,
        flagged_supports=found.flagged_supports,
        supports_examined=found.supports_examined,
        supports_pruned=found.supports_pruned,
        paths_tracked=found.paths_tracked,
    )


def enumerate_equilibria(payoffs: np.ndarray, tol: float | None = None) -> list[Profile]:
    """Deprecated: use :func:`support_enumeration` (the same list of profiles).

    Parameters
    ----------
    payoffs : numpy array of shape ``(n_1, ..., n_N, N)``
        ``payoffs[s_1, ..., s_N, i]`` is player ``i``'s payoff.
    tol : float, optional
        As in :func:`support_enumeration`.

    Returns
    -------
    list of tuple of numpy arrays
    """
    warnings.warn(
        "enumerate_equilibria is deprecated; use support_enumeration (the same profiles) or "
        "support_enumeration_result (certified, with diagnostics)",
        DeprecationWarning,
        stacklevel=2,
    )
    return _lean(payoffs, tol, stacklevel=3)


def _lean(payoffs: np.ndarray, tol: float | None, stacklevel: int) -> list[Profile]:
    """The profiles of :func:`_solve`, warning when the game may have non-isolated ones."""
    found = _solve(payoffs, tol)
    if found.non_isolated:
        warnings.warn(
            "the game is degenerate: some support profiles have non-isolated solution sets "
            f"{list(found.flagged_supports)[:5]}; only isolated equilibria are returned",
            NonIsolatedEquilibriaWarning,
            stacklevel=stacklevel,
        )
    return found.profiles


def _solve(payoffs: np.ndarray, tol: float | None = None) -> _Found:
    """The isolated equilibria with diagnostics, screened by regret but not certified.

    The one enumeration behind :func:`support_enumeration` and
    :func:`support_enumeration_result`.
    """
    u, tolerance = _validated(payoffs, tol)
    shape = u.shape[:-1]
    span = float(u.max() - u.min())
    norm = (u - u.min()) / span if span > 0 else np.zeros_like(u)
    found: list[tuple[Supports, Profile, float]] = []
    flagged: list[Supports] = []

    for index in np.argwhere(pure_nash_mask(u, tolerance)):
        supports = tuple((int(s),) for s in index)
        profile = profile_from(shape, supports, {})
        found.append((supports, profile, _regret(u, profile)))

    candidates, pruned = surviving_supports(norm)
    batch: list[Supports] = []
    pencils: list[Supports] = []
    cubics: list[Supports] = []
    for supports in candidates:
        mixing = sum(len(s) > 1 for s in supports)
        if mixing <= 2:
            points, is_flagged = solve_linear_support(norm, supports)
            if is_flagged:
                flagged.append(supports)
            for profile in points:
                _accept(u, supports, profile, tolerance, found)
        elif pencil_layout(supports) is not None:
            # No start root, no path (as the homotopy would track): nothing to solve.
            if bezout_count(tuple(len(s) for s in supports)) > 0:
                pencils.append(supports)
        elif resultant_layout(supports) is not None:
            cubics.append(supports)
        else:
            batch.append(supports)

    paths = 0
    if pencils or cubics or batch:
        # One BLAS thread: the many small products, solves and eigenproblems below run
        # several times slower when BLAS threads contend on a busy machine (as in
        # sequence_form's pivoting).
        with threadpool_limits(limits=1, user_api="blas"):
            paths = _solve_three_or_more_mixers(
                u, norm, (pencils, cubics, batch), tolerance, found, flagged
            )

    equilibria = _deduplicated(found)
    ties = max(EQ_TOL, tolerance / span) if span > 0 else 1.0
    for _, profile, _ in equilibria:
        best = _singular_best_responses(norm, profile, ties)
        if best is not None:
            flagged.append(best)
    flagged_unique = tuple(dict.fromkeys(flagged))
    return _Found(
        payoffs=u,
        profiles=[p for _, p, _ in equilibria],
        supports=[s for s, _, _ in equilibria],
        non_isolated=bool(flagged_unique),
        flagged_supports=flagged_unique,
        supports_examined=len(candidates),
        supports_pruned=pruned,
        paths_tracked=paths,
    )


def _solve_three_or_more_mixers(
    u: np.ndarray,
    norm: np.ndarray,
    routes: tuple[list[Supports], list[Supports], list[Supports]],
    tolerance: float,
    found: list[tuple[Supports, Profile, float]],
    flagged: list[Supports],
) -> int:
    """Support profiles where three or more players mix: direct routes first, then homotopy.

    ``routes`` holds the support profiles for the pencils (three mixers, one on two
    strategies), for the resultant (three mixers on three strategies each) and for the
    homotopy; those the direct routes leave ambiguous join the homotopy's. Appends the
    accepted profiles to ``found`` and the supports of singular approximate equilibria to
    ``flagged``; returns the number of homotopy paths tracked.
    """
    pencils, cubics, batch = routes
    span = float(u.max() - u.min())
    if cubics:
        solutions, unsure = solve_resultant_supports(norm, cubics)
        for supports, profile in solutions:
            _accept(u, supports, profile, tolerance, found)
        batch = batch + unsure
    if pencils:
        solutions, ambiguous = solve_pencil_supports(norm, pencils)
        polished = []
        for supports, profile in solutions:
            if min(v.min() for v in profile) < -1e-3:
                continue  # far outside the simplex: _accept would reject it after polishing
            better = _newton_on_support(norm, supports, profile, max_iter=3)
            profile = profile if better is None else better
            if not _regular_on_support(norm, supports, profile):
                # A singular solution: the homotopy decides (and flags) it, as before.
                ambiguous.append(supports)
            polished.append((supports, profile))
        retracked = set(ambiguous)
        for supports, profile in polished:
            if supports not in retracked:
                _accept(u, supports, profile, tolerance, found)
        batch = sorted(
            batch + list(retracked), key=lambda s: (sum(map(len, s)), tuple(map(len, s)), s)
        )

    paths = 0
    if batch:
        solutions, singular, paths = solve_by_homotopy(norm, batch)
        for supports, profile in solutions:
            _accept(u, supports, profile, tolerance, found)
        for supports, profile in singular:
            loose = max(1e-5 * max(span, 1.0), tolerance)
            if min(v.min() for v in profile) >= -1e-4 and _regret(u, profile) <= loose:
                flagged.append(supports)

    return paths


def support_profiles(payoffs: np.ndarray) -> list[Supports]:
    """Support profiles with no conditionally strictly dominated strategy.

    Strategy ``s`` of player ``i`` is conditionally dominated given the others'
    supports when another strategy of ``i`` pays strictly more against every profile
    of the others' support strategies (Porter, Nudelman & Shoham 2008). Such support
    profiles cannot carry an equilibrium. Pure profiles (one strategy each) are left
    out: they are checked directly. Order: fewest strategies first, then lexicographic.

    Parameters
    ----------
    payoffs : numpy array of shape ``(n_1, ..., n_N, N)``
        ``payoffs[s_1, ..., s_N, i]`` is player ``i``'s payoff.

    Returns
    -------
    list of tuple of tuple of int
        Each surviving support profile: one sorted tuple of strategy indices per player.

    Raises
    ------
    GameError
        If the payoffs are not a valid payoff array.

    Examples
    --------
    In the prisoner's dilemma every mixed support profile is pruned:

    >>> pd = np.stack([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], axis=-1).astype(float)
    >>> support_profiles(pd)
    []
    >>> len(support_profiles(np.zeros((2, 2, 2))))  # 3 x 3 support pairs, 4 of them pure
    5
    """
    u, _ = _validated(payoffs, None)
    span = float(u.max() - u.min())
    norm = (u - u.min()) / span if span > 0 else np.zeros_like(u)
    return surviving_supports(norm)[0]


def refine_on_support(
    payoffs: np.ndarray,
    supports: Sequence[Sequence[int]],
    profile: Sequence[np.ndarray],
    max_iter: int = 30,
) -> Profile | None:
    """Newton's method on the indifference equations of one support profile.

    Starting from ``profile`` (restricted to ``supports`` and renormalised), solve
    "each player's payoffs are equal across their support" (least-squares Newton steps,
    so singular systems move to the nearest solution). The result is not checked for
    non-negativity or regret: the caller certifies it.

    Parameters
    ----------
    payoffs : numpy array of shape ``(n_1, ..., n_N, N)``
        ``payoffs[s_1, ..., s_N, i]`` is player ``i``'s payoff.
    supports : sequence of sequence of int
        One non-empty set of distinct strategy indices per player.
    profile : sequence of numpy.ndarray
        The starting point: one probability vector per player over all its strategies
        (negative entries are read as 0; a support carrying no weight starts uniform).
    max_iter : int
        Largest number of Newton steps.

    Returns
    -------
    tuple of numpy arrays or None
        The solution, or ``None`` when Newton's method does not converge (when at most
        one player mixes no step is taken: ``None`` when that player is not indifferent
        across its support).

    Raises
    ------
    GameError
        If the payoffs are not a valid payoff array, or ``supports`` does not give one
        non-empty set of distinct, in-range strategy indices per player.

    Examples
    --------
    >>> sexes = np.stack([[[2, 0], [0, 1]], [[1, 0], [0, 2]]], axis=-1).astype(float)
    >>> x = refine_on_support(sexes, [(0, 1), (0, 1)], [np.array([0.6, 0.4])] * 2)
    >>> np.round(x[0], 6), np.round(x[1], 6)
    (array([0.666667, 0.333333]), array([0.333333, 0.666667]))
    """
    u, _ = _validated(payoffs, None)
    shape = u.shape[:-1]
    supports = tuple(tuple(int(k) for k in s) for s in supports)
    if len(supports) != len(shape) or any(
        not s or len(set(s)) != len(s) or min(s) < 0 or max(s) >= n for s, n in zip(supports, shape)
    ):
        raise GameError(f"supports {supports} do not fit a game of shape {shape}")
    span = float(u.max() - u.min())
    norm = (u - u.min()) / span if span > 0 else np.zeros_like(u)
    return _newton_on_support(norm, supports, profile, max_iter)


def _newton_on_support(
    norm: np.ndarray, supports: Supports, profile: Sequence[np.ndarray], max_iter: int
) -> Profile | None:
    """:func:`refine_on_support` on normalised payoffs and validated supports."""
    shape = norm.shape[:-1]
    mixing = [j for j, s in enumerate(supports) if len(s) > 1]
    start: dict[int, np.ndarray] = {}
    for j in mixing:
        x = np.clip(np.asarray(profile[j], dtype=float)[list(supports[j])], 0.0, None)
        start[j] = x / x.sum() if x.sum() > 0 else np.full(len(x), 1.0 / len(x))
    if len(mixing) <= 1:
        # One mixer: its equations do not involve its own probabilities.
        if mixing:
            d = coefficients(norm, [supports], mixing)[0][0]
            if np.abs(d).max() > EQ_TOL:
                return None
        return profile_from(shape, supports, start)
    system = _System(tuple(len(supports[j]) for j in mixing))
    coeffs = coefficients(norm, [supports], mixing)
    z = np.concatenate([[1.0], *[start[j][1:] for j in mixing]])[None, :]
    for _ in range(max_iter):
        f, jac = system.evaluate(z, coeffs)
        step = np.linalg.lstsq(jac[0, :, 1:], -f[0], rcond=None)[0]
        z[0, 1:] += step
        if np.abs(step).max() <= 1e-14 * (1 + np.abs(z).max()):
            break
    f, _ = system.evaluate(z, coeffs)
    if not np.all(np.isfinite(z)) or np.abs(f).max() > 1e-10:
        return None
    return profile_from(shape, supports, system.probabilities(z[0].real, mixing))


# ---------------------------------------------------------------------- validation
def _validated(payoffs: np.ndarray, tol: float | None) -> tuple[np.ndarray, float]:
    u = payoff_array(payoffs)
    tolerance = default_tolerance(u) if tol is None else float(tol)
    if not tolerance >= 0:
        raise GameError(f"tol must be a non-negative number; got {tol}")
    return u, tolerance


# ---------------------------------------------------------------------- profiles
def _regret(u: np.ndarray, profile: Profile) -> float:
    return float(player_regrets(u, list(profile)).max())


def _accept(
    u: np.ndarray,
    supports: Supports,
    profile: Profile,
    tolerance: float,
    found: list[tuple[Supports, Profile, float]],
) -> None:
    """Clean tiny negative probabilities, then keep the profile if its regret is small."""
    cleaned = []
    for v in profile:
        if v.min() < -REAL_TOL:
            return
        w = np.clip(v, 0.0, None)
        cleaned.append(w / w.sum())
    regret = _regret(u, tuple(cleaned))
    if regret <= tolerance:
        found.append((supports, tuple(cleaned), regret))


def _deduplicated(
    found: list[tuple[Supports, Profile, float]],
) -> list[tuple[Supports, Profile, float]]:
    def key(item: tuple[Supports, Profile, float]) -> tuple:
        s, p, _ = item
        return (sum(map(len, s)), tuple(map(len, s)), s, tuple(-np.concatenate(p)))

    kept: list[tuple[Supports, Profile, float]] = []
    for item in sorted(found, key=key):
        flat = np.concatenate(item[1])
        if all(np.abs(flat - np.concatenate(k[1])).max() > _DEDUP_TOL for k in kept):
            kept.append(item)
    return kept


def _singular_best_responses(norm: np.ndarray, profile: Profile, ties: float) -> Supports | None:
    """The best-response sets of an equilibrium if their indifference system is singular there.

    In a nondegenerate game the best responses are the support and the system is
    regular. A singular system means a degenerate game whose equilibria may not be
    isolated, e.g. a player indifferent among strategies whatever the others do.
    """
    vectors = list(profile)
    best = []
    for i in range(len(vectors)):
        values = norm[..., i]
        for j in reversed(range(len(vectors))):
            if j != i:
                values = np.tensordot(values, vectors[j], axes=([j], [0]))
        best.append(tuple(int(k) for k in np.flatnonzero(values >= values.max() - ties)))
    supports = tuple(best)
    mixing = [j for j, b in enumerate(supports) if len(b) > 1]
    if len(mixing) <= 1:
        return supports if mixing else None
    system = _System(tuple(len(supports[j]) for j in mixing))
    coeffs = coefficients(norm, [supports], mixing)
    z = np.concatenate([[1.0], *[vectors[j][list(supports[j][1:])] for j in mixing]])
    _, jac = system.evaluate(z[None, :], coeffs)
    sing = np.linalg.svd(jac[0, :, 1:], compute_uv=False)
    return supports if sing[-1] <= 1e-8 * max(1.0, sing[0]) else None


def _regular_on_support(norm: np.ndarray, supports: Supports, profile: Profile) -> bool:
    """Whether the support system's Jacobian is regular at ``profile``.

    The criterion of the homotopy's endgame (smallest singular value above ``1e-8`` times
    the largest), so that a solution found directly is returned exactly when the homotopy
    would have returned it rather than flagged it as singular.
    """
    mixing = [j for j, s in enumerate(supports) if len(s) > 1]
    system = _System(tuple(len(supports[j]) for j in mixing))
    coeffs = coefficients(norm, [supports], mixing)
    z = np.concatenate([[1.0], *[profile[j][list(supports[j][1:])] for j in mixing]])
    _, jac = system.evaluate(z[None, :], coeffs)
    sing = np.linalg.svd(jac[0, :, 1:], compute_uv=False)
    return bool(sing[-1] > 1e-8 * max(sing[0], 1e-300))
