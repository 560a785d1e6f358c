"""Support systems where three players mix on three strategies each, by a resultant.

When exactly three players ``a, b, c`` mix, each over three strategies, the indifference
equations of the support profile (McKelvey & McLennan 1996) are six bilinear equations:

* player ``a``: ``M_a(x_c) x_b = 0`` (two equations, ``M_a`` linear in ``x_c``);
* player ``b``: ``M_b(x_c) x_a = 0`` (two equations);
* player ``c``: ``x_a' C_k x_b = 0`` for ``k = 1, 2``.

For a given ``x_c`` the first two blocks fix ``x_b`` and ``x_a`` as the kernels of the
``2 x 3`` matrices ``M_a(x_c)`` and ``M_b(x_c)``, i.e. the cross products of their rows,
quadratic in ``x_c``. Substituting them leaves two quartic curves ``g_1, g_2`` in the
projective plane of ``x_c``: they meet in 16 points, the 10 solutions of the support
profile (its multihomogeneous Bezout number; McKelvey & McLennan 1997) and the 6 points
where ``M_a`` or ``M_b`` drops rank (3 each: the degree of the rank-one locus of a ``2 x 3``
matrix of linear forms). In a random projective frame ``x_c = p_0 + s p_1 + t p_2`` the
intersection is found with ``s`` as the hidden variable: the ``8 x 8`` Sylvester matrix of
``g_1, g_2`` in ``t`` has entries polynomial in ``s`` of degree at most 4, its determinant is
the resultant ``Res_t(g_1, g_2)(s)``, and the roots are the eigenvalues of the ``32 x 32``
companion linearisation of that matrix polynomial (Cox, Little & O'Shea 2005, ch. 3;
the linearisation of Gohberg, Lancaster & Rodman 1982), computed through the Moebius map
``s = s_0 + 1 / mu`` so that roots at infinity become ``mu = 0``; ``t`` is read from the
kernel of the Sylvester matrix (the powers of ``t``). Every candidate is then refined by
Newton's method on the six equations in complex arithmetic.

The answer is used only when it is certified complete: the support profile's isolated
solutions number at most 10 (the Bezout number bounds them, counted with multiplicity, in
the product of projective planes), so 10 distinct regular solutions are all of them, and
the support profile has no positive-dimensional solution set either. Otherwise (fewer than
10 regular solutions, a solution on the hyperplane at infinity of the probability chart,
an imaginary part too large to call the solution real and too small to call it complex,
a real solution near the simplex that fails the homotopy endgame's regularity test) the
support profile is tried once more in another random frame, then goes back to the caller,
which tracks it by homotopy as before.

References
----------
.. [1] R. D. McKelvey, A. McLennan, "Computation of equilibria in finite games",
   Handbook of Computational Economics I (1996), ch. 2.
.. [2] R. D. McKelvey, A. McLennan, "The maximal number of regular totally mixed Nash
   equilibria", Journal of Economic Theory 72 (1997) 411-425.
.. [3] D. A. Cox, J. Little, D. O'Shea, "Using Algebraic Geometry", 2nd ed., Springer
   (2005), ch. 3 (resultants, the hidden-variable method).
.. [4] I. Gohberg, P. Lancaster, L. Rodman, "Matrix Polynomials", Academic Press (1982),
   ch. 1 (companion linearisation).
"""

from __future__ import annotations

import numpy as np

from simulator.solvers.polynomial_homotopy import _System
from simulator.solvers.support_listing import REAL_TOL, Profile, Supports, coefficients

__all__ = ["resultant_layout", "solve_resultant_supports", "SOLUTIONS"]

#: Seed of the random projective frame and Moebius shift: results are deterministic.
_SEED = 19970411
#: Frames tried before a support profile is handed back as ambiguous.
_ATTEMPTS = 2
#: Number of solutions of a generic support profile of this shape (the Bezout number).
SOLUTIONS = 10
#: Imaginary parts between REAL_TOL and this are ambiguous (near a double real root).
_AMBIGUOUS_IMAG = 1e-4
#: Regular solutions: residual and relative smallest singular value of the Jacobian.
_RESIDUAL = 1e-11
_REGULAR = 1e-8
#: Solutions closer than this are the same one.
_DISTINCT = 1e-6
#: A chart coordinate (sum of one player's homogeneous probabilities) below this, relative
#: to the vector, is a solution at infinity.
_INFINITY = 1e-6

_SYSTEM = _System((3, 3, 3))
#: Monomials ``s^i t^j`` of degree at most 2, as (i, j).
_QUADRATIC = [(i, j) for i in range(3) for j in range(3) if i + j <= 2]


def resultant_layout(supports: Supports) -> tuple[int, int, int] | None:
    """The three mixers of a support profile this module solves, or ``None``.

    Parameters
    ----------
    supports : support profile
        One sorted tuple of strategy indices per player.

    Returns
    -------
    tuple of three int or None
        The mixing players in increasing order when exactly three players mix, each on
        three strategies; otherwise ``None``.
    """
    mixing = [j for j, s in enumerate(supports) if len(s) > 1]
    if len(mixing) != 3 or any(len(supports[j]) != 3 for j in mixing):
        return None
    a, b, c = mixing
    return a, b, c


def solve_resultant_supports(
    norm: np.ndarray, batch: list[Supports]
) -> tuple[list[tuple[Supports, Profile]], list[Supports]]:
    """Real solutions near the simplex of support profiles with three mixers on three.

    Parameters
    ----------
    norm : numpy.ndarray
        Payoffs of shape ``(n_1, ..., n_N, N)``, normalised to span at most 1.
    batch : list of support profiles
        Profiles for which :func:`resultant_layout` is not ``None``.

    Returns
    -------
    solutions : list of (supports, profile)
        Candidate profiles (probability vectors over all strategies), refined by Newton's
        method in real arithmetic, not yet screened for sign or regret.
    ambiguous : list of supports
        Profiles whose solutions are not certified complete (see the module notes): the
        caller tracks them by homotopy.
    """
    groups: dict[tuple[int, ...], list[Supports]] = {}
    for supports in batch:
        layout = resultant_layout(supports)
        assert layout is not None
        groups.setdefault(layout, []).append(supports)
    solutions: list[tuple[Supports, Profile]] = []
    ambiguous: list[Supports] = []
    shape = norm.shape[:-1]
    for layout, group in groups.items():
        mixing = list(layout)
        coeffs = coefficients(norm, group, mixing)
        remaining = np.arange(len(group))
        for attempt in range(_ATTEMPTS):
            found, unsure = _solve_group([c[remaining] for c in coeffs], _SEED + attempt)
            for g, y in found:
                member = group[remaining[g]]
                solutions.append((member, _profile(shape, member, mixing, y)))
            remaining = remaining[unsure]
            if remaining.size == 0:
                break
        ambiguous.extend(group[g] for g in remaining)
    return solutions, ambiguous


def _profile(
    shape: tuple[int, ...], supports: Supports, mixing: list[int], y: np.ndarray
) -> Profile:
    x = _SYSTEM.mixed(np.concatenate([[1.0], y])[None, :])
    out = []
    for j, (n, sj) in enumerate(zip(shape, supports)):
        v = np.zeros(n)
        v[list(sj)] = x[mixing.index(j)][0] if j in mixing else 1.0
        out.append(v)
    return tuple(out)


def _quadratic_kernels(m: np.ndarray) -> np.ndarray:
    """Cross products of the two rows of ``M(x) = m_0 + s m_1 + t m_2`` as polynomials.

    ``m`` has shape ``(G, 3, 2, 3)`` (frame vector, row, column); the result ``(G, 3, 3, 3)``
    holds the coefficient of ``s^i t^j`` of each component at ``[..., component, i, j]``.
    """
    out = np.zeros((m.shape[0], 3, 3, 3), dtype=complex)
    degree = [(0, 0), (1, 0), (0, 1)]
    for p, (i1, j1) in enumerate(degree):
        for q, (i2, j2) in enumerate(degree):
            out[:, :, i1 + i2, j1 + j2] += np.cross(m[:, p, 0], m[:, q, 1])
    return out


def _quartics(coeffs: list[np.ndarray], frame: np.ndarray) -> np.ndarray:
    """Coefficients ``[G, k, i, j]`` of ``s^i t^j`` in player ``c``'s two equations.

    ``x_c = frame @ (1, s, t)``; ``x_a`` and ``x_b`` are the kernels of ``M_b(x_c)`` and
    ``M_a(x_c)`` as quadratic polynomials.
    """
    ca, cb, cc = coeffs  # (G,2,3,3) a-diff,b,c; (G,3,2,3) a,b-diff,c; (G,3,3,2) a,b,c-diff
    ma = np.einsum("gkjl,lp->gpkj", ca, frame)  # M_a rows over b, per frame vector
    mb = np.einsum("gikl,lp->gpki", cb, frame)  # M_b rows over a
    xb = _quadratic_kernels(ma)
    xa = _quadratic_kernels(mb)
    out = np.zeros((ca.shape[0], 2, 5, 5), dtype=complex)
    for i1, j1 in _QUADRATIC:
        for i2, j2 in _QUADRATIC:
            out[:, :, i1 + i2, j1 + j2] += np.einsum(
                "gijk,gi,gj->gk", cc, xa[:, :, i1, j1], xb[:, :, i2, j2]
            )
    return out


def _roots_in_s(quartics: np.ndarray, shift: complex) -> tuple[np.ndarray, np.ndarray]:
    """Roots ``s`` of the resultant in ``t`` and the Sylvester matrix coefficients.

    Returns ``s`` of shape ``(G, 32)`` (``inf`` for roots at infinity) and the matrix
    polynomial ``S_d`` of shape ``(G, 5, 8, 8)`` (``Syl(s) = sum_d s^d S_d``).
    """
    g = quartics.shape[0]
    syl = np.zeros((g, 5, 8, 8), dtype=complex)
    for k in range(2):
        for row in range(4):
            for m in range(5):
                syl[:, :, 4 * k + row, row + m] = quartics[:, k, :, m]
    n = 8
    big_a = np.zeros((g, 4 * n, 4 * n), dtype=complex)
    big_b = np.zeros((g, 4 * n, 4 * n), dtype=complex)
    for block in range(3):
        big_a[:, block * n : (block + 1) * n, (block + 1) * n : (block + 2) * n] = np.eye(n)
        big_b[:, block * n : (block + 1) * n, block * n : (block + 1) * n] = np.eye(n)
    for d in range(4):
        big_a[:, 3 * n :, d * n : (d + 1) * n] = -syl[:, d]
    big_b[:, 3 * n :, 3 * n :] = syl[:, 4]
    # A w = s B w with s = shift + 1 / mu:  mu w = (A - shift B)^-1 B w.
    mu = np.linalg.eigvals(np.linalg.solve(big_a - shift * big_b, big_b))
    with np.errstate(divide="ignore", invalid="ignore"):
        s = shift + 1.0 / mu
    s[~np.isfinite(s) | (np.abs(mu) < 1e-12)] = np.inf
    return s, syl


def _solve_group(
    coeffs: list[np.ndarray], seed: int
) -> tuple[list[tuple[int, np.ndarray]], list[int]]:
    """Solutions of each support system: ``(member, real y)`` pairs and the ambiguous members.

    ``seed`` draws the projective frame of ``x_c`` and the Moebius shift.
    """
    count = coeffs[0].shape[0]
    rng = np.random.default_rng(seed)
    frame = rng.normal(size=(3, 3)) + 1j * rng.normal(size=(3, 3))
    shift = complex(rng.normal(), rng.normal())
    complex_coeffs = [c.astype(complex) for c in coeffs]
    try:
        with np.errstate(all="ignore"):
            owner, y = _candidates(complex_coeffs, frame, shift)
            y, regular, endgame = _newton(complex_coeffs, owner, y)
    except np.linalg.LinAlgError:  # a singular shifted pencil, or no convergence: undecided
        return [], list(range(count))
    found: list[tuple[int, np.ndarray]] = []
    unsure: list[int] = []
    for g in range(count):
        distinct: list[int] = []
        for k in np.flatnonzero((owner == g) & regular):
            if all(np.abs(y[k] - y[d]).max() > _DISTINCT for d in distinct):
                distinct.append(k)
        imag = np.array([np.abs(y[k].imag).max() for k in distinct])
        near = np.array([np.abs(y[k]).max() <= 2 for k in distinct], dtype=bool)
        returned = [k for k, im, ok in zip(distinct, imag, near) if ok and im <= REAL_TOL]
        if (
            len(distinct) != SOLUTIONS
            or np.any((imag > REAL_TOL) & (imag < _AMBIGUOUS_IMAG))
            or not all(endgame[k] for k in returned)
        ):
            unsure.append(g)
            continue
        for k in returned:
            found.append((g, _polish([c[g : g + 1] for c in coeffs], y[k].real)))
    return found, unsure


def _candidates(
    coeffs: list[np.ndarray], frame: np.ndarray, shift: complex
) -> tuple[np.ndarray, np.ndarray]:
    """Starting points for Newton's method: the owner of each and its affine unknowns ``y``.

    One point per finite root ``s`` of the resultant: ``t`` from the kernel of the Sylvester
    matrix, then ``x_c`` in the frame and ``x_a``, ``x_b`` as kernels. Points that are not
    finite or lie on the chart's hyperplane at infinity (a player's probabilities summing to
    zero) are dropped: a genuine solution there leaves fewer than ``SOLUTIONS`` regular ones,
    so the support profile is then ambiguous.
    """
    s, syl = _roots_in_s(_quartics(coeffs, frame), shift)
    owner, column = np.nonzero(np.isfinite(s) & (np.abs(s) < 1e8))
    s_values = s[owner, column]
    # t from the kernel of the Sylvester matrix, whose kernel vectors are (1, t, ..., t^7).
    powers = s_values[:, None] ** np.arange(5)
    matrices = np.einsum("pd,pdij->pij", powers, syl[owner])
    _, _, vh = np.linalg.svd(matrices)
    v = vh[:, -1].conj()
    t = v[:, 1] / v[:, 0]
    keep = np.isfinite(t) & (np.abs(t) < 1e8)
    owner, s_values, t = owner[keep], s_values[keep], t[keep]
    xc = np.stack([np.ones_like(s_values), s_values, t], axis=1) @ frame.T
    xa = _kernel(np.einsum("pikl,pl->pki", coeffs[1][owner], xc))
    xb = _kernel(np.einsum("pkjl,pl->pkj", coeffs[0][owner], xc))
    points = np.stack([xa, xb, xc], axis=1)  # (P, 3, 3)
    sums = points.sum(axis=2)
    size = np.abs(points).max(axis=2)
    finite = np.isfinite(points).all(axis=(1, 2)) & np.all(np.abs(sums) > _INFINITY * size, axis=1)
    owner, points, sums = owner[finite], points[finite], sums[finite]
    return owner, (points / sums[:, :, None])[:, :, 1:].reshape(-1, 6)


def _kernel(m: np.ndarray) -> np.ndarray:
    """A kernel vector of each ``2 x 3`` matrix of the batch ``(P, 2, 3)``."""
    _, _, vh = np.linalg.svd(m)
    return vh[:, -1].conj()


def _newton(
    coeffs: list[np.ndarray], owner: np.ndarray, y: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Newton's method on each candidate's system.

    Returns the points and two masks. *Regular*: converged to a residual below ``_RESIDUAL``
    (relative to the squared size of the point, as the equations are bilinear) with an
    equilibrated Jacobian (rows and columns scaled to unit norm, so that solutions far
    outside the simplex count too) whose smallest singular value is above ``_REGULAR``
    times its largest. *Endgame*: the homotopy endgame's own test (absolute residual, the
    Jacobian as it is), which a solution must pass to be returned.
    """
    if len(y) == 0:
        return y, np.zeros(0, dtype=bool), np.zeros(0, dtype=bool)
    mine = [c[owner] for c in coeffs]
    z = np.concatenate([np.ones((len(y), 1), dtype=complex), y], axis=1)
    with np.errstate(all="ignore"):
        for _ in range(8):
            f, jac = _SYSTEM.evaluate(z, mine)
            try:
                step = np.linalg.solve(jac[:, :, 1:], -f[..., None])[..., 0]
            except np.linalg.LinAlgError:
                step = (np.linalg.pinv(jac[:, :, 1:]) @ -f[..., None])[..., 0]
            step[~np.isfinite(step)] = 0.0
            z[:, 1:] += step
        finite = np.isfinite(z).all(axis=1)
        z[~finite] = 0.0
        f, jac = _SYSTEM.evaluate(z, mine)
        j = jac[:, :, 1:]
        residual = np.abs(f).max(axis=1)
        sing = np.linalg.svd(j, compute_uv=False)
        rows = np.linalg.norm(j, axis=2, keepdims=True)
        balanced = j / np.where(rows > 0, rows, 1.0)
        cols = np.linalg.norm(balanced, axis=1, keepdims=True)
        balanced = balanced / np.where(cols > 0, cols, 1.0)
        sing_balanced = np.linalg.svd(balanced, compute_uv=False)
    size = np.maximum(1.0, np.abs(z).max(axis=1))
    regular = (
        finite
        & (residual < _RESIDUAL * size**2)
        & (sing_balanced[:, -1] > _REGULAR * np.maximum(sing_balanced[:, 0], 1e-300))
    )
    endgame = (
        finite & (residual < _RESIDUAL) & (sing[:, -1] > _REGULAR * np.maximum(sing[:, 0], 1e-300))
    )
    return z[:, 1:], regular, endgame


def _polish(coeffs: list[np.ndarray], y: np.ndarray) -> np.ndarray:
    """Newton steps in real arithmetic on one support system."""
    z = np.concatenate([[1.0], y])[None, :]
    for _ in range(3):
        f, jac = _SYSTEM.evaluate(z, coeffs)
        z[0, 1:] += np.linalg.lstsq(jac[0, :, 1:], -f[0], rcond=None)[0]
    return z[0, 1:]
