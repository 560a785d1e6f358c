"""Logit quantal response equilibria: tracing the principal branch to a Nash equilibrium.

In a logit quantal response equilibrium (QRE) with precision ``lambda >= 0`` every
player plays each strategy with probability proportional to ``exp(lambda * payoff)``
against the others' mixed strategies (McKelvey & Palfrey 1995). At ``lambda = 0``
the unique QRE is uniform play; the QREs form a curve, the *principal branch*,
that starts there and, for almost every game, converges to a Nash equilibrium as
``lambda`` grows (the "logit solution"; McKelvey & Palfrey 1995, Theorem 3).

The branch is traced in log-probabilities ``v`` (Turocy 2005), as the solution curve
of ``H(v, lambda) = 0`` with, per player ``i``,

* ``v_is - v_i0 - lambda (u_is(pi) - u_i0(pi)) = 0`` for each strategy ``s >= 1``,
* ``sum_s exp(v_is) - 1 = 0``,

where ``pi = exp(v)``. It is followed by a predictor-corrector method in arclength
(tangent predictor from a QR factorisation of the Jacobian, Gauss-Newton corrector,
adaptive steps; Allgower & Georg 1990). In log-probabilities strategies that are not
best responses at the limit go to ``-inf`` linearly in ``lambda``, so the branch
becomes a straight line and steps can grow geometrically: ``lambda = 10**6`` is
reached in a few dozen steps.

Payoffs are normalised internally to ``(u - min u) / (max u - min u)`` (all players
share one scale), so ``lambda`` means the same thing for every game: with precision
``lambda``, a payoff difference of the whole payoff span makes a strategy
``exp(lambda)`` times likelier. To compare with QREs computed on raw payoffs divide
``lambda`` by the payoff span.

The traced limit at ``max_lambda`` is only approximately a Nash equilibrium (its
regret is of order ``1 / max_lambda`` of the span). :func:`trace_logit` refines it:
it takes the strategies played with non-negligible probability as the support,
solves the indifference equations on that support by Newton's method from the traced
point, and checks the regret. If that fails it returns the traced point;
:func:`trace_logit_result` marks it ``refined=False``, with its measured regret and no
certified ``equilibrium``.

References
----------
.. [1] R. D. McKelvey, T. R. Palfrey, "Quantal response equilibria for normal form
   games", Games and Economic Behavior 10 (1995) 6-38.
.. [2] T. L. Turocy, "A dynamic homotopy interpretation of the logistic quantal response
   equilibrium correspondence", Games and Economic Behavior 51 (2005) 243-263.
.. [3] E. L. Allgower, K. Georg, "Numerical Continuation Methods", Springer (1990).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.games.errors import GameError
from simulator.games.normal_form import NormalFormGame, payoff_array, player_regrets
from simulator.solvers.equilibrium import (
    CertificationError,
    Equilibrium,
    certify,
    default_tolerance,
)
from simulator.solvers.support_enumeration_n import refine_on_support

__all__ = ["LogitPath", "LogitResult", "logit_qre", "trace_logit", "trace_logit_result"]

Profile = tuple[np.ndarray, ...]

#: Largest predictor error (in log-probabilities) a step may have: guards branch jumps.
_MAX_PREDICTOR_ERROR = 0.1
#: Largest ratio of successive Newton corrections accepted.
_MAX_CONTRACTION = 0.5
_MAX_CORRECTOR_STEPS = 6
_MAX_STEPS = 20000
#: Probability thresholds tried, in turn, to read a support off the traced limit.
_SUPPORT_THRESHOLDS = (1e-6, 1e-3, 1e-9, 1e-12)


@dataclass(frozen=True)
class LogitPath:
    """Points of the principal branch: ``profiles[k]`` is the QRE at ``lambdas[k]``.

    ``lambdas`` are on the normalised payoff scale (see the module notes).

    Attributes
    ----------
    lambdas : numpy.ndarray, shape (P,)
        The precision at each traced point, from ``0.0`` in the order traced (steps are
        in arclength, so where the branch turns back ``lambda`` decreases for a while).
    profiles : list of tuple of numpy.ndarray
        The QRE at each point: one probability vector per player.
    """

    lambdas: np.ndarray
    profiles: list[Profile]


@dataclass(frozen=True)
class LogitResult:
    """The outcome of :func:`trace_logit_result`.

    Attributes
    ----------
    profile : tuple of numpy arrays
        The refined limit (a Nash equilibrium when ``refined``), else the traced QRE.
    path : LogitPath
        The traced branch.
    final_lambda : float
        The precision reached (normalised scale).
    refined : bool
        ``True`` when Newton refinement on the limit's support produced a profile with
        regret within the tolerance.
    regret : float
        The measured regret of ``profile`` in the original payoff units.
    equilibrium : Equilibrium or None
        ``profile`` certified on the game (method ``"logit"``); ``None`` when the limit
        was not refined to a profile that passes
        :func:`~simulator.solvers.equilibrium.certify`.
    """

    profile: Profile
    path: LogitPath
    final_lambda: float
    refined: bool
    regret: float
    equilibrium: Equilibrium | None


# ---------------------------------------------------------------------- public API
def logit_qre(payoffs: np.ndarray, lam: float) -> Profile:
    """The logit QRE at precision ``lam`` on the principal branch.

    The branch is traced from ``lambda = 0`` to the first point where it reaches
    ``lam``; ``lam`` is on the normalised payoff scale (payoffs divided by their span).

    Parameters
    ----------
    payoffs : array_like of shape ``(n_1, ..., n_N, N)``
        ``payoffs[s_1, ..., s_N, i]`` is player ``i``'s payoff.
    lam : float
        The precision, finite and ``>= 0`` (``0`` gives uniform play).

    Returns
    -------
    tuple of numpy.ndarray
        One probability vector per player, every entry positive.

    Raises
    ------
    GameError
        If the payoffs are not a valid payoff array, ``lam`` is negative or not finite,
        or the branch could not be traced to ``lam``.

    Examples
    --------
    Matching pennies: every QRE is uniform play.

    >>> pennies = np.stack([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], axis=-1).astype(float)
    >>> logit_qre(pennies, 5.0)
    (array([0.5, 0.5]), array([0.5, 0.5]))

    A dominant strategy gains weight as ``lam`` grows:

    >>> dominant = np.stack([[[1, 1], [0, 0]], [[0, 0], [0, 0]]], axis=-1).astype(float)
    >>> [round(float(logit_qre(dominant, lam)[0][0]), 4) for lam in (0.0, 1.0, 5.0)]
    [0.5, 0.7311, 0.9933]
    """
    u = payoff_array(payoffs)
    lam = float(lam)
    if not (np.isfinite(lam) and lam >= 0):
        raise GameError(f"lambda must be a finite non-negative number; got {lam}")
    branch = _Branch(_normalised(u))
    trace = branch.trace(lam, step=0.03, tol=1e-10)
    if not trace.reached:
        raise GameError(
            f"the logit branch could not be traced to lambda={lam} "
            f"(stopped at lambda={trace.lambdas[-1]:.4g})"
        )
    return trace.profiles[-1]


def trace_logit(
    payoffs: np.ndarray, max_lambda: float = 1e6, step: float = 0.03, tol: float = 1e-10
) -> Profile:
    """Trace the logit QRE branch to ``max_lambda`` and refine its limit to a Nash equilibrium.

    The lean form of :func:`trace_logit_result`: the limit profile only, not certified.
    When the refinement fails the traced QRE at ``max_lambda`` is returned, which is
    only approximately an equilibrium; :func:`trace_logit_result` says which it is.

    Parameters
    ----------
    payoffs : numpy array of shape ``(n_1, ..., n_N, N)``
        ``payoffs[s_1, ..., s_N, i]`` is player ``i``'s payoff.
    max_lambda : float
        Precision at which tracing stops (normalised payoff scale).
    step : float
        First arclength step; later steps adapt to the branch's curvature.
    tol : float
        Relative accuracy of the corrector along the branch.

    Returns
    -------
    tuple of numpy.ndarray
        One probability vector per player: the refined limit, else the traced QRE.

    Raises
    ------
    GameError
        If the payoffs are not a valid payoff array, or ``max_lambda``, ``step`` or
        ``tol`` is not positive.

    Examples
    --------
    The unique equilibrium of an asymmetric matching-pennies game:

    >>> u = np.stack([[[9, 0], [0, 1]], [[0, 1], [1, 0]]], axis=-1).astype(float)
    >>> [np.round(v, 6) for v in trace_logit(u)]
    [array([0.5, 0.5]), array([0.1, 0.9])]
    """
    return _solve(payoffs, max_lambda, step, tol)[1]


def trace_logit_result(
    payoffs: np.ndarray, max_lambda: float = 1e6, step: float = 0.03, tol: float = 1e-10
) -> LogitResult:
    """Trace the logit QRE branch, refine its limit and certify it: the path and the equilibrium.

    Parameters
    ----------
    payoffs : numpy array of shape ``(n_1, ..., n_N, N)``
        ``payoffs[s_1, ..., s_N, i]`` is player ``i``'s payoff.
    max_lambda : float
        Precision at which tracing stops (normalised payoff scale).
    step : float
        First arclength step; later steps adapt to the branch's curvature.
    tol : float
        Relative accuracy of the corrector along the branch.

    Returns
    -------
    LogitResult
        With ``refined=True`` the profile's regret is within
        :func:`~simulator.solvers.equilibrium.default_tolerance` and ``equilibrium`` is
        its certificate (each player checked at its own bound); otherwise the traced
        point and its (larger) regret are returned and ``equilibrium`` is ``None``.

    Raises
    ------
    GameError
        If the payoffs are not a valid payoff array, or ``max_lambda``, ``step`` or
        ``tol`` is not positive.

    Examples
    --------
    >>> u = np.stack([[[9, 0], [0, 1]], [[0, 1], [1, 0]]], axis=-1).astype(float)
    >>> result = trace_logit_result(u)
    >>> result.refined, [np.round(v, 6) for v in result.equilibrium.profile]
    (True, [array([0.5, 0.5]), array([0.1, 0.9])])

    Traced only to ``lambda = 1``, the prisoner's dilemma still mixes: not refined.

    >>> pd = np.stack([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], axis=-1).astype(float)
    >>> early = trace_logit_result(pd, max_lambda=1.0)
    >>> early.refined, early.equilibrium is None, early.regret > 0.1
    (False, True, True)
    """
    u, profile, path, refined, regret = _solve(payoffs, max_lambda, step, tol)
    final_lambda = float(path.lambdas[-1])
    equilibrium = None
    if refined:
        parameters = {"max_lambda": float(max_lambda), "final_lambda": final_lambda}
        try:
            equilibrium = certify(NormalFormGame(u), profile, "logit", parameters=parameters)
        except CertificationError:
            equilibrium = None  # within the screen's bound but not every player's own
    return LogitResult(profile, path, final_lambda, refined, regret, equilibrium)


def _solve(
    payoffs: np.ndarray, max_lambda: float = 1e6, step: float = 0.03, tol: float = 1e-10
) -> tuple[np.ndarray, Profile, LogitPath, bool, float]:
    """``(payoffs, profile, path, refined, regret)`` of the traced limit, not certified.

    The one tracer behind :func:`trace_logit`, :func:`trace_logit_result` and
    ``solve(game, method="logit")``.
    """
    u = payoff_array(payoffs)
    max_lambda = float(max_lambda)
    if not (np.isfinite(max_lambda) and max_lambda > 0):
        raise GameError(f"max_lambda must be a positive number; got {max_lambda}")
    if not (step > 0 and tol > 0):
        raise GameError(f"step and tol must be positive; got step={step}, tol={tol}")
    tolerance = default_tolerance(u)
    branch = _Branch(_normalised(u))
    trace = branch.trace(max_lambda, step=float(step), tol=float(tol))
    path = LogitPath(lambdas=np.array(trace.lambdas), profiles=trace.profiles)
    limit = trace.profiles[-1]
    refined = _refine(u, limit, tolerance)
    if refined is not None:
        profile, regret = refined
        return u, profile, path, True, regret
    return u, limit, path, False, float(player_regrets(u, list(limit)).max())


# ---------------------------------------------------------------------- helpers


def _normalised(u: np.ndarray) -> np.ndarray:
    span = float(u.max() - u.min())
    return (u - u.min()) / span if span > 0 else np.zeros_like(u)


def _refine(u: np.ndarray, limit: Profile, tolerance: float) -> tuple[Profile, float] | None:
    """Newton refinement on the supports read off the limit at a few thresholds."""
    tried = set()
    for threshold in _SUPPORT_THRESHOLDS:
        supports = tuple(
            tuple(int(k) for k in np.flatnonzero(v > threshold)) or (int(np.argmax(v)),)
            for v in limit
        )
        if supports in tried:
            continue
        tried.add(supports)
        candidate = refine_on_support(u, supports, limit)
        if candidate is None or min(v.min() for v in candidate) < -1e-9:
            continue
        cleaned = tuple(np.clip(v, 0.0, None) / np.clip(v, 0.0, None).sum() for v in candidate)
        regret = float(player_regrets(u, list(cleaned)).max())
        if regret <= tolerance:
            return cleaned, regret
    return None


@dataclass
class _Trace:
    lambdas: list[float]
    profiles: list[Profile]
    reached: bool


class _Branch:
    """The system ``H(v, lambda) = 0`` of logit QREs in log-probabilities."""

    def __init__(self, u: np.ndarray) -> None:
        self.u = u
        self.shape = u.shape[:-1]
        self.players = len(self.shape)
        self.offsets = np.concatenate([[0], np.cumsum(self.shape)])
        self.m = int(self.offsets[-1])
        letters = "abcdefghijklmnopqrstuvwxyz"[: self.players]
        self.specs: dict[tuple[int, int], str] = {}
        for i in range(self.players):
            for j in range(self.players):
                if i != j:
                    rest = [k for k in range(self.players) if k not in (i, j)]
                    operands = ",".join([letters] + [letters[k] for k in rest])
                    self.specs[i, j] = f"{operands}->{letters[i]}{letters[j]}"
        # Two players: the cross-payoff matrices do not depend on the profile.
        if self.players == 2:
            self.pair = (u[..., 0], u[..., 1].T)
        self.diagonal = [
            np.arange(self.offsets[i] + 1, self.offsets[i + 1]) for i in range(self.players)
        ]

    def split(self, v: np.ndarray) -> list[np.ndarray]:
        return [v[self.offsets[i] : self.offsets[i + 1]] for i in range(self.players)]

    def profile(self, w: np.ndarray) -> Profile:
        out = []
        for part in self.split(w[: self.m]):
            p = np.exp(part - part.max())
            out.append(p / p.sum())
        return tuple(out)

    def _cross(self, pis: list[np.ndarray], i: int) -> dict[int, np.ndarray]:
        """``d u_i / d pi_j`` for each other player ``j``: (n_i, n_j) payoff matrices."""
        if self.players == 2:
            return {1 - i: self.pair[i]}
        out = {}
        for j in range(self.players):
            if j != i:
                rest = [pis[k] for k in range(self.players) if k not in (i, j)]
                out[j] = np.einsum(self.specs[i, j], self.u[..., i], *rest)
        return out

    def evaluate(self, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``H`` (m,) and its Jacobian (m, m + 1) with respect to ``(v, lambda)``."""
        v, lam = w[: self.m], w[self.m]
        pis = [np.exp(part) for part in self.split(v)]
        h = np.empty(self.m)
        jac = np.zeros((self.m, self.m + 1))
        for i in range(self.players):
            o, n = self.offsets[i], self.shape[i]
            cross = self._cross(pis, i)
            if cross:
                j0 = next(iter(cross))
                values = cross[j0] @ pis[j0]
            else:
                values = self.u[..., i]
            gaps = values[1:] - values[0]
            h[o] = pis[i].sum() - 1.0
            h[o + 1 : o + n] = v[o + 1 : o + n] - v[o] - lam * gaps
            jac[o, o : o + n] = pis[i]
            jac[o + 1 : o + n, o] = -1.0
            jac[self.diagonal[i], self.diagonal[i]] = 1.0
            for j, c in cross.items():
                oj, nj = self.offsets[j], self.shape[j]
                jac[o + 1 : o + n, oj : oj + nj] = -lam * (c[1:] - c[:1]) * pis[j]
            jac[o + 1 : o + n, self.m] = -gaps
        return h, jac

    def _newton_fixed_lambda(self, w: np.ndarray, tol: float) -> np.ndarray | None:
        w = w.copy()
        for _ in range(2 * _MAX_CORRECTOR_STEPS):
            h, jac = self.evaluate(w)
            try:
                delta = np.linalg.solve(jac[:, : self.m], -h)
            except np.linalg.LinAlgError:
                return None
            w[: self.m] += delta
            if not np.all(np.isfinite(w)):
                return None
            if np.abs(delta).max() <= tol * (1.0 + np.abs(w).max()):
                h, jac = self.evaluate(w)
                w[: self.m] += np.linalg.solve(jac[:, : self.m], -h)
                return w
        return None

    def trace(self, target: float, step: float, tol: float) -> _Trace:
        """Follow the branch from ``lambda = 0`` until it first reaches ``target``."""
        w = np.concatenate([np.concatenate([np.full(n, -np.log(n)) for n in self.shape]), [0.0]])
        lambdas, profiles = [0.0], [self.profile(w)]
        if target == 0 or self.m == self.players:
            # No precision, or one strategy each: the branch is the uniform profile.
            return _Trace([0.0, target] if target else [0.0], profiles * (2 if target else 1), True)
        _, jac = self.evaluate(w)
        direction = np.zeros(self.m + 1)
        direction[-1] = 1.0  # leave lambda = 0 upwards
        tangent = _tangent(jac, direction)
        h = step
        for _ in range(_MAX_STEPS):
            if tangent[-1] > 0 and w[-1] + h * tangent[-1] >= target:
                guess = w + (target - w[-1]) / tangent[-1] * tangent
                guess[-1] = target
                result = self._newton_fixed_lambda(guess, tol)
                if result is not None:
                    lambdas.append(target)
                    profiles.append(self.profile(result))
                    return _Trace(lambdas, profiles, True)
                h = 0.5 * (target - w[-1]) / tangent[-1]
                continue
            corrected, jac, iterations = self._correct(w + h * tangent, tangent, tol)
            if corrected is None:
                h *= 0.5
                if h < 1e-12 * (1.0 + np.abs(w).max()):
                    break
                continue
            w = corrected
            tangent = _tangent(jac, tangent)
            lambdas.append(float(w[-1]))
            profiles.append(self.profile(w))
            if iterations <= 2:
                h *= 2.0
            elif iterations <= 3:
                h *= 1.25
        return _Trace(lambdas, profiles, False)

    def _correct(
        self, w: np.ndarray, tangent: np.ndarray, tol: float
    ) -> tuple[np.ndarray | None, np.ndarray, int]:
        """Newton corrections orthogonal to the tangent (Keller's pseudo-arclength).

        Returns the point on the branch, the Jacobian at the last iterate (for the next
        tangent) and the number of iterations; ``None`` when the corrector does not
        contract fast enough, which signals a step too long to stay on this branch.
        """
        w = w.copy()
        previous = np.inf
        bordered = np.empty((self.m + 1, self.m + 1))
        bordered[-1] = tangent
        rhs = np.zeros(self.m + 1)
        jac = bordered[:-1]
        for k in range(1, _MAX_CORRECTOR_STEPS + 1):
            h, jac = self.evaluate(w)
            bordered[:-1] = jac
            rhs[:-1] = -h
            try:
                delta = np.linalg.solve(bordered, rhs)
            except np.linalg.LinAlgError:
                return None, jac, k
            size = float(np.abs(delta).max())
            if not np.isfinite(size):
                return None, jac, k
            if k == 1 and size > _MAX_PREDICTOR_ERROR:
                return None, jac, k
            if k > 1 and size > _MAX_CONTRACTION * previous:
                return None, jac, k
            w += delta
            if size <= tol * (1.0 + np.abs(w).max()):
                return w, jac, k
            previous = size
        return None, jac, _MAX_CORRECTOR_STEPS


def _tangent(jac: np.ndarray, previous: np.ndarray) -> np.ndarray:
    """Unit null vector of ``jac`` (m, m + 1) pointing the way ``previous`` does."""
    bordered = np.vstack([jac, previous])
    rhs = np.zeros(len(previous))
    rhs[-1] = 1.0
    try:
        t = np.linalg.solve(bordered, rhs)
    except np.linalg.LinAlgError:
        q, _ = np.linalg.qr(jac.T, mode="complete")
        t = q[:, -1] * np.sign(q[:, -1] @ previous or 1.0)
    return t / np.linalg.norm(t)
