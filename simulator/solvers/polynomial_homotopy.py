"""Homotopy continuation for the multilinear indifference systems of N-player games.

The support systems of :mod:`simulator.solvers.support_enumeration_n` where three or more
players mix are polynomial: each player's indifference equations are multilinear in the other
players' probabilities (McKelvey & McLennan 1996). Their isolated solutions are found by
tracking the paths of ``H(z, t) = (1 - t) gamma G(z) + t F(z)`` from the known roots of a
random *linear-product* start system ``G`` with the same multilinear structure (so the number
of paths is the multihomogeneous Bezout number) to the target ``F`` at ``t = 1``, in projective
coordinates with a random affine patch and the "gamma trick" (Sommese & Wampler 2005, ch. 7-8):
an RK4 predictor, a Newton corrector, per-path adaptive steps, all paths in one vectorised loop;
then an endgame of Newton's method on ``F`` separates regular endpoints from singular ones and
from solutions at infinity.

This module knows nothing of games: it takes the coefficient arrays of the equations.

References
----------
.. [1] R. D. McKelvey, A. McLennan, "Computation of equilibria in finite games",
   Handbook of Computational Economics I (1996), ch. 2.
.. [2] A. J. Sommese, C. W. Wampler, "The Numerical Solution of Systems of
   Polynomials Arising in Engineering and Science", World Scientific (2005).
"""

from __future__ import annotations

from itertools import product

import numpy as np


class _System:
    """Homogenised indifference equations of players with ``sizes`` strategies each.

    Used for the mixing players of one support profile, and for the full game when
    support profiles are embedded in it. Unknowns ``z = (z_0, y)``: ``y`` stacks, per
    player ``j``, the probabilities of their strategies but the first, and ``z_0``
    homogenises, so
    ``x_j = (z_0 - sum(y_j), y_j)``. With ``z_0 = 1`` this is the affine system.
    """

    def __init__(self, sizes: tuple[int, ...]) -> None:
        self.sizes = sizes
        self.r = len(sizes)
        self.n = sum(k - 1 for k in sizes)
        self.offsets = np.concatenate([[1], 1 + np.cumsum([k - 1 for k in sizes])])
        axes = "abcdefghijklmnopqrstuvwxy"[: self.r]
        self.specs: dict[tuple[int, int], str] = {}
        for i in range(self.r):
            for j in range(self.r):
                if i != j:
                    rest = [m for m in range(self.r) if m not in (i, j)]
                    operands = ",".join(["Z" + axes] + ["Z" + axes[m] for m in rest])
                    self.specs[i, j] = f"{operands}->Z{axes[i]}{axes[j]}"

    def mixed(self, z: np.ndarray) -> list[np.ndarray]:
        out = []
        for j in range(self.r):
            y = z[:, self.offsets[j] : self.offsets[j + 1]]
            out.append(np.concatenate([z[:, :1] - y.sum(axis=1, keepdims=True), y], axis=1))
        return out

    def probabilities(self, z: np.ndarray, mixing: list[int]) -> dict[int, np.ndarray]:
        """Affine probabilities of each mixing player from one real ``z``."""
        x = self.mixed((z / z[0])[None, :])
        return {p: x[m][0] for m, p in enumerate(mixing)}

    def evaluate(self, z: np.ndarray, coeffs: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """Values ``F`` (P, n) and Jacobian ``dF/dz`` (P, n, n + 1) at ``z`` (P, n + 1)."""
        x = self.mixed(z)
        p = z.shape[0]
        f = np.empty((p, self.n), dtype=z.dtype)
        jac = np.zeros((p, self.n, self.n + 1), dtype=z.dtype)
        for i in range(self.r):
            rows = slice(self.offsets[i] - 1, self.offsets[i + 1] - 1)
            for j in range(self.r):
                if j == i:
                    continue
                rest = [x[m] for m in range(self.r) if m not in (i, j)]
                g = np.einsum(self.specs[i, j], coeffs[i], *rest)
                if j == (1 if i == 0 else 0):
                    f[:, rows] = np.einsum("pab,pb->pa", g, x[j])
                jac[:, rows, 0] += g[:, :, 0]
                jac[:, rows, self.offsets[j] : self.offsets[j + 1]] = g[:, :, 1:] - g[:, :, :1]
        return f, jac


def _has_duplicates(points: np.ndarray) -> bool:
    if len(points) < 2:
        return False
    gaps = np.abs(points[:, None, :] - points[None, :, :]).max(axis=2)
    np.fill_diagonal(gaps, np.inf)
    return bool(gaps.min() < 1e-6)


class _Target:
    """The padded target systems of a batch of paths: ``F`` on real slots, ``y`` on dummies."""

    def __init__(self, system: _System, coeffs: list[np.ndarray], mask: np.ndarray) -> None:
        self.system, self.coeffs, self.mask = system, coeffs, mask
        self.weight = mask.astype(float)
        self.padded = not mask.all()

    def subset(self, index: np.ndarray | list[int]) -> _Target:
        return _Target(self.system, [c[index] for c in self.coeffs], self.mask[index])

    def complex(self) -> _Target:
        """The same systems with complex coefficients (einsum then casts nothing per call)."""
        return _Target(self.system, [c.astype(complex) for c in self.coeffs], self.mask)

    def evaluate(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Masked values (P, n) and Jacobian (P, n, n + 1); dummy rows are ``y_e``."""
        f, jf = self.system.evaluate(z, self.coeffs)
        if not self.padded:
            return f, jf
        n = self.system.n
        w = self.weight
        f = w * f + (1 - w) * z[:, 1:]
        jf = w[:, :, None] * jf
        jf[:, np.arange(n), np.arange(1, n + 1)] += 1 - w
        return f, jf


class _StartSystem:
    """A random linear-product start system with the multilinear structure of the targets.

    Player ``i``'s equations are products, over the other players ``j``, of random
    linear forms in ``(z_0, y_j)``, as the indifference equations are multilinear in
    the ``x_j``. For a support profile its roots are found by choosing one vanishing
    factor per equation, each mixer ``j`` chosen exactly ``k_j - 1`` times (a pure
    player's factor is a multiple of ``z_0`` and never vanishes). Their number is the
    multihomogeneous Bezout number, the generic number of solutions of the targets
    (2 for three players with two strategies each, 10 with three; McKelvey & McLennan
    1997), so in generic games no path is wasted on solutions at infinity
    (Sommese & Wampler 2005, ch. 8).
    """

    def __init__(self, system: _System, rng: np.random.Generator) -> None:
        r, n = system.r, system.n
        self.system, self.n, self.r = system, n, r
        self.own = np.repeat(np.arange(r), [k - 1 for k in system.sizes])
        self.coef = np.zeros((n, r, n + 1), dtype=complex)
        self.columns = [[0, *range(system.offsets[j], system.offsets[j + 1])] for j in range(r)]
        for e in range(n):
            for j in range(r):
                if j != self.own[e]:
                    size = len(self.columns[j])
                    self.coef[e, j, self.columns[j]] = rng.normal(size=size) + 1j * rng.normal(
                        size=size
                    )
        self.flat = self.coef.reshape(n * r, n + 1)

    def points(self, sizes: tuple[int, ...]) -> np.ndarray:
        """Start points (roots with zero dummy slots) for support profiles of ``sizes``."""
        offsets = self.system.offsets
        rows = [e for e in range(self.n) if e + 1 - offsets[self.own[e]] < sizes[self.own[e]] - 1]
        mixers = [j for j in range(self.r) if sizes[j] > 1]
        choices = [[j for j in mixers if j != self.own[e]] for e in rows]
        out = []
        for assignment in product(*choices):
            counts = np.bincount(np.array(assignment, dtype=int), minlength=self.r)
            if any(counts[j] != sizes[j] - 1 for j in mixers):
                continue
            w = np.zeros(self.n + 1, dtype=complex)
            w[0] = 1.0
            for j in mixers:
                eqs = [e for e, a in zip(rows, assignment) if a == j]
                cols = self.columns[j][1 : sizes[j]]
                w[cols] = np.linalg.solve(self.coef[eqs, j][:, cols], -self.coef[eqs, j, 0])
            out.append(w)
        return np.array(out).reshape(-1, self.n + 1)

    def evaluate(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Values (P, n) and Jacobian (P, n, n + 1) at ``z`` (P, n + 1)."""
        linear = (z @ self.flat.T).reshape(len(z), self.n, self.r)
        linear[:, np.arange(self.n), self.own] = 1.0
        # others[..., j] = product of the factors but the j-th (prefix times suffix products).
        before = np.ones_like(linear)
        after = np.ones_like(linear)
        before[:, :, 1:] = np.cumprod(linear[:, :, :-1], axis=2)
        after[:, :, :-1] = np.cumprod(linear[:, :, :0:-1], axis=2)[:, :, ::-1]
        others = before * after
        jac = np.matmul(others.transpose(1, 0, 2), self.coef).transpose(1, 0, 2)
        return before[:, :, -1] * linear[:, :, -1], jac


def _homotopy(
    target: _Target,
    start: _StartSystem,
    z: np.ndarray,
    t: np.ndarray,
    gamma: complex,
    patch: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``H = (1 - t) gamma G + t F`` (real slots), ``y`` (dummy slots), the patch; derivatives."""
    f, jf = target.evaluate(z)
    g, jg = start.evaluate(z)
    w = target.weight
    n = target.system.n
    s = (1 - t)[:, None] * gamma * w
    h = np.concatenate(
        [
            s * g + t[:, None] * f + ((1 - t)[:, None] * (1 - w)) * z[:, 1:],
            (z @ patch - 1)[:, None],
        ],
        axis=1,
    )
    body = s[:, :, None] * jg + t[:, None, None] * jf
    body[:, np.arange(n), np.arange(1, n + 1)] += (1 - t)[:, None] * (1 - w)
    jac = np.concatenate([body, np.broadcast_to(patch, (len(z), 1, n + 1))], axis=1)
    dt = np.concatenate([w * (f - gamma * g), np.zeros((len(z), 1))], axis=1)
    return h, jac, dt


def _solve(jac: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """Solve each system of the batch; singular ones in the least-squares sense.

    A batch with a singular system makes ``numpy.linalg.solve`` fail as a whole: the regular
    systems are then solved together and the singular ones by the batched pseudo-inverse (the
    minimum-norm least-squares solution, as ``lstsq`` gives), never one by one.
    """
    try:
        return np.linalg.solve(jac, rhs[..., None])[..., 0]
    except np.linalg.LinAlgError:
        sign, _ = np.linalg.slogdet(jac)
        regular = sign != 0
        out = np.empty_like(rhs)
        if regular.any():
            try:
                out[regular] = np.linalg.solve(jac[regular], rhs[regular][..., None])[..., 0]
            except np.linalg.LinAlgError:  # singular in floating point after all
                regular[:] = False
        singular = ~regular
        out[singular] = (np.linalg.pinv(jac[singular]) @ rhs[singular][..., None])[..., 0]
        return out


def _track(
    target: _Target,
    start: _StartSystem,
    z: np.ndarray,
    gamma: complex,
    patch: np.ndarray,
    max_step: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Track all paths from ``t = 0`` to ``t = 1``; returns endpoints and a finished mask.

    Paths whose homogenising coordinate vanishes near ``t = 1`` head to solutions at
    infinity (outside the simplex) and are stopped early, as are paths whose step size
    collapses (singular endpoints); both are classified by the endgame.
    """
    count = len(z)
    target = target.complex()
    z = z.copy()
    t = np.zeros(count)
    h = np.full(count, min(0.05, max_step))
    streak = np.zeros(count, dtype=int)
    active = np.ones(count, dtype=bool)
    finished = np.zeros(count, dtype=bool)

    def velocity(part: _Target, zz: np.ndarray, tt: np.ndarray) -> np.ndarray:
        _, jac, dt = _homotopy(part, start, zz, tt, gamma, patch)
        return _solve(jac, -dt)

    for _ in range(20000):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        part = target.subset(idx)
        za, ta = z[idx], t[idx]
        ha = np.minimum(h[idx], 1.0 - ta)
        hc = ha[:, None]
        k1 = velocity(part, za, ta)
        k2 = velocity(part, za + 0.5 * hc * k1, ta + 0.5 * ha)
        k3 = velocity(part, za + 0.5 * hc * k2, ta + 0.5 * ha)
        k4 = velocity(part, za + hc * k3, ta + ha)
        zp = za + hc / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)
        tn = np.where(ha >= 1.0 - ta, 1.0, ta + ha)
        scale = 1.0 + np.abs(zp).max(axis=1)
        first = last = np.zeros(len(idx))
        for it in range(3):
            hv, jac, _ = _homotopy(part, start, zp, tn, gamma, patch)
            dz = _solve(jac, -hv)
            zp = zp + dz
            last = np.abs(dz).max(axis=1) / scale
            if it == 0:
                first = last
        # Tracking tolerance: loose along the path, tight in the endgame.
        good = np.isfinite(last) & (last <= 1e-7) & (first <= 3e-2)
        acc, rej = idx[good], idx[~good]
        z[acc], t[acc] = zp[good], tn[good]
        streak[acc] += 1
        grow = acc[streak[acc] >= 3]
        h[grow] = np.minimum(2 * h[grow], max_step)
        streak[grow] = 0
        h[rej] *= 0.5
        streak[rej] = 0
        done = acc[t[acc] >= 1.0]
        finished[done] = True
        active[done] = False
        # Heading to infinity (far outside the simplex) close to t = 1: stop.
        ratio = np.abs(z[acc, 0]) / np.abs(z[acc]).max(axis=1)
        far = acc[(t[acc] > 0.99) & (ratio < 1e-4)]
        active[far] = False
        active[rej[h[rej] < 1e-13]] = False
    return z, finished


def _endgame(target: _Target, z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Affine endpoints by Newton's method on the target system at ``t = 1``.

    Returns the affine points, a mask of finite endpoints near the simplex, and a mask
    of regular ones (converged, well-conditioned Jacobian).
    """
    count, n = len(z), target.system.n
    scale = np.abs(z).max(axis=1)
    finite = np.abs(z[:, 0]) > 1e-6 * scale
    y = np.full((count, n), np.inf, dtype=complex)
    y[finite] = z[finite, 1:] / z[finite, :1]
    ok = finite & (np.abs(y).max(axis=1) < 10)
    regular = np.zeros(count, dtype=bool)
    idx = np.flatnonzero(ok)
    if idx.size == 0:
        return y, ok, regular
    part = target.subset(idx)
    zz = np.concatenate([np.ones((idx.size, 1)), y[idx]], axis=1)
    for _ in range(6):
        f, jf = part.evaluate(zz)
        zz[:, 1:] += _solve(jf[:, :, 1:], -f)
    converged = np.isfinite(zz).all(axis=1)
    zz[~converged] = 0.0
    f, jf = part.evaluate(zz)
    sing = np.linalg.svd(jf[:, :, 1:], compute_uv=False)
    well = sing[:, -1] > 1e-8 * np.maximum(sing[:, 0], 1e-300)
    regular[idx] = well & converged & (np.abs(f).max(axis=1) < 1e-11)
    y[idx[regular[idx]]] = zz[regular[idx], 1:]
    return y, ok, regular


def _polish(target: _Target, y: np.ndarray) -> np.ndarray:
    """Newton steps in real arithmetic on one affine target system."""
    z = np.concatenate([[1.0], y])[None, :]
    for _ in range(3):
        f, jf = target.evaluate(z)
        z[0, 1:] += np.linalg.lstsq(jf[0, :, 1:], -f[0], rcond=None)[0]
    return z[0, 1:]
