"""Support systems with three mixers, one of them on two strategies, as eigenvalue problems.

When exactly three players ``a, b, p`` mix and ``p`` mixes over two strategies,
``x_p = (1 - r, r)``, the indifference equations of the support profile (McKelvey &
McLennan 1996) are

* player ``a``: ``M_a(r) x_b = 0`` (``k_a - 1`` equations, ``M_a`` affine in ``r``);
* player ``b``: ``M_b(r) x_a = 0`` (``k_b - 1`` equations);
* player ``p``: ``x_a' C x_b = 0`` (one equation).

With ``r`` as the hidden variable and ``w = x_a (x) x_b`` (the Kronecker product, the
linearisation of the bilinear equation) they become one *linear* pencil
``L(r) w = (L_0 + r L_1) w = 0``: ``(I (x) M_a(r)) w = 0``, ``(M_b(r) (x) I) w = 0`` and
``vec(C)' w = 0``. For any ``r`` the solutions ``w`` of the first two blocks are
``ker M_b(r) (x) ker M_a(r)``, so the support profile's solutions are exactly the
eigenvalues ``r`` of the rectangular pencil with their (rank-one) eigenvectors. The tall
pencil is projected to a square one by a random matrix (which keeps every eigenvalue, as
``L(r) w = 0`` implies ``Q L(r) w = 0``, and adds spurious ones, removed by checking the
smallest singular value of ``L(r)``; random projections of pencils are analysed by Kressner
& Plestenjak 2023) and
solved through the Moebius map ``r = r_0 + 1 / mu`` with a random complex ``r_0``, so
eigenvalues at infinity (roots with ``z_0 = 0``) become ``mu = 0`` and every matrix
inverted is regular unless the pencil is singular. Every support profile of one shape is
solved in one batched call (``numpy.linalg.eigvals``), with no path tracking at all.

The direct solution is used only when it is unambiguous: a singular (or badly conditioned)
pencil, two eigenvalues closer than ``1e-4`` near the simplex, an eigenvalue whose
imaginary part is too large to call it real and too small to call it complex, a kernel of
dimension above one or an eigenvector that is not rank one send the support profile back
to the caller, which tracks it by homotopy as before (so degenerate games are flagged as
they were).

References
----------
.. [1] R. D. McKelvey, A. McLennan, "Computation of equilibria in finite games",
   Handbook of Computational Economics I (1996), ch. 2.
.. [2] D. A. Cox, J. Little, D. O'Shea, "Using Algebraic Geometry", 2nd ed., Springer
   (2005), ch. 3 (hidden-variable resultants and eigenvalue methods).
.. [3] D. Kressner, B. Plestenjak, "Analysis of eigenvalue condition numbers for a class
   of randomized numerical methods for singular matrix pencils", arXiv:2305.13118 (2023).
"""

from __future__ import annotations

from itertools import product

import numpy as np

Supports = tuple[tuple[int, ...], ...]

#: Seed of the random projections and Moebius shift: results are deterministic.
_SEED = 19960101
#: An eigenvalue with a smaller imaginary part (relative) is real.
_REAL_IMAG = 1e-7
#: Imaginary parts between _REAL_IMAG and this are ambiguous (near a double root).
_AMBIGUOUS_IMAG = 1e-4
#: Eigenvalues near the simplex closer than this make the support profile ambiguous.
_CLOSE = 1e-4
#: Singular values relative to the largest: at most _NULL is a kernel, above _RANK is not.
_NULL = 1e-9
_RANK = 1e-6
#: Window of ``r`` (the two-strategy mixer's second probability) worth checking.
_WINDOW = (-1e-3, 1.0 + 1e-3)


def pencil_layout(supports: Supports) -> tuple[int, int, int] | None:
    """The mixers ``(a, b, p)`` of a support profile the pencil method solves, or ``None``.

    Exactly three players mix and ``p`` (the first mixer on two strategies) is one of them.
    """
    mixing = [j for j, s in enumerate(supports) if len(s) > 1]
    if len(mixing) != 3:
        return None
    two = [j for j in mixing if len(supports[j]) == 2]
    if not two:
        return None
    p = two[0]
    a, b = (j for j in mixing if j != p)
    return a, b, p


def bezout_count(sizes: tuple[int, ...]) -> int:
    """Multihomogeneous Bezout number of a support system with mixers of ``sizes``.

    Player ``i``'s ``k_i - 1`` equations are multilinear in the other mixers: the count is
    the number of ways to give each equation one other mixer so that mixer ``j`` is chosen
    exactly ``k_j - 1`` times (as the linear-product start system of
    :mod:`simulator.solvers.polynomial_homotopy` counts its roots).
    """
    mixers = [j for j, k in enumerate(sizes) if k > 1]
    choices = [[j for j in mixers if j != i] for i in mixers for _ in range(sizes[i] - 1)]
    need = {j: sizes[j] - 1 for j in mixers}
    count = 0
    for assignment in product(*choices):
        if all(assignment.count(j) == need[j] for j in mixers):
            count += 1
    return count


def _pencils(
    norm: np.ndarray, batch: list[Supports], layout: tuple[int, int, int]
) -> tuple[np.ndarray, np.ndarray]:
    """``L_0`` and ``L_1`` of each support profile (all of one shape and layout)."""
    a, b, p = layout
    n_players = norm.ndim - 1
    subs = []
    for supports in batch:
        sub = norm[np.ix_(*[list(s) for s in supports])]
        sub = np.moveaxis(sub, [a, b, p], [0, 1, 2])
        subs.append(sub.reshape(*sub.shape[:3], n_players))
    u = np.stack(subs)  # (G, k_a, k_b, 2, N)
    g, ka, kb = u.shape[:3]
    da = u[:, 1:, :, :, a] - u[:, :1, :, :, a]  # (G, k_a - 1, k_b, 2): M_a(r) x_b
    db = u[:, :, 1:, :, b] - u[:, :, :1, :, b]  # (G, k_a, k_b - 1, 2): M_b(r) x_a
    c = u[:, :, :, 1, p] - u[:, :, :, 0, p]  # (G, k_a, k_b)
    ia, ib = np.eye(ka), np.eye(kb)
    out = []
    for m_a, m_b, last in (
        (da[..., 0], db[..., 0], c),
        (da[..., 1] - da[..., 0], db[..., 1] - db[..., 0], np.zeros_like(c)),
    ):
        top = np.einsum("ij,gkl->gikjl", ia, m_a).reshape(g, ka * (ka - 1), ka * kb)
        mid = np.einsum("gji,kl->gikjl", m_b, ib).reshape(g, (kb - 1) * kb, ka * kb)
        out.append(np.concatenate([top, mid, last.reshape(g, 1, ka * kb)], axis=1))
    return out[0], out[1]


def solve_pencil_supports(
    norm: np.ndarray, batch: list[Supports]
) -> tuple[list[tuple[Supports, tuple[np.ndarray, ...]]], list[Supports]]:
    """Real solutions near the simplex of support profiles solved as pencils.

    Parameters
    ----------
    norm : numpy.ndarray
        Payoffs of shape ``(n_1, ..., n_N, N)``, normalised to span at most 1.
    batch : list of support profiles
        Profiles for which :func:`pencil_layout` is not ``None``.

    Returns
    -------
    solutions : list of (supports, profile)
        Candidate profiles (probability vectors over all strategies), polished by Newton's
        method, not yet screened for sign or regret.
    ambiguous : list of supports
        Profiles this method does not decide (see the module notes): the caller tracks them
        by homotopy.
    """
    groups: dict[tuple, list[Supports]] = {}
    for supports in batch:
        layout = pencil_layout(supports)
        assert layout is not None
        key = (layout, len(supports[layout[0]]), len(supports[layout[1]]))
        groups.setdefault(key, []).append(supports)
    solutions: list[tuple[Supports, tuple[np.ndarray, ...]]] = []
    ambiguous: list[Supports] = []
    for (layout, ka, kb), group in groups.items():
        found, unsure = _solve_group(norm, group, layout, ka, kb)
        solutions.extend(found)
        ambiguous.extend(unsure)
    return solutions, ambiguous


def _solve_group(
    norm: np.ndarray, group: list[Supports], layout: tuple[int, int, int], ka: int, kb: int
) -> tuple[list[tuple[Supports, tuple[np.ndarray, ...]]], list[Supports]]:
    l0, l1 = _pencils(norm, group, layout)
    rows, cols = l0.shape[1:]
    rng = np.random.default_rng(_SEED + 100 * ka + kb)
    q = rng.normal(size=(cols, rows))
    r0 = complex(rng.uniform(0.2, 0.8), rng.uniform(0.5, 1.5))
    k = q @ l0 + r0 * (q @ l1)
    sing = np.linalg.svd(k, compute_uv=False)
    regular = sing[:, -1] > 1e-10 * sing[:, 0]
    ambiguous = [group[g] for g in np.flatnonzero(~regular)]
    idx = np.flatnonzero(regular)
    if idx.size == 0:
        return [], ambiguous
    mu = np.linalg.eigvals(np.linalg.solve(k[idx], -(q @ l1[idx])))
    with np.errstate(divide="ignore", invalid="ignore"):
        r = r0 + 1.0 / mu
    r[~np.isfinite(r)] = np.inf
    near = (
        (r.real >= _WINDOW[0] - 0.1)
        & (r.real <= _WINDOW[1] + 0.1)
        & (np.abs(r.imag) < 0.1)
        & np.isfinite(r)
    )
    imag = np.abs(r.imag) / (1.0 + np.abs(r.real))
    in_window = (r.real >= _WINDOW[0]) & (r.real <= _WINDOW[1])
    candidates: list[tuple[int, float]] = []
    for row, g in enumerate(idx):
        values = r[row][near[row]]
        gaps = np.abs(values[:, None] - values[None, :])
        np.fill_diagonal(gaps, np.inf)
        unsure = (gaps < _CLOSE).any() or np.any(
            in_window[row] & (imag[row] > _REAL_IMAG) & (imag[row] < _AMBIGUOUS_IMAG)
        )
        if unsure:
            ambiguous.append(group[g])
            continue
        for value in r[row][in_window[row] & (imag[row] <= _REAL_IMAG)]:
            candidates.append((int(g), float(value.real)))
    if not candidates:
        return [], ambiguous
    owner = np.array([g for g, _ in candidates])
    values = np.array([v for _, v in candidates])
    pencil = l0[owner] + values[:, None, None] * l1[owner]
    _, s, vt = np.linalg.svd(pencil)
    solutions = []
    doubtful: set[int] = set()
    shape = norm.shape[:-1]
    a, b, p = layout
    for m, g in enumerate(owner):
        scale = max(s[m, 0], 1e-300)
        if s[m, -1] > _RANK * scale:
            continue  # a spurious eigenvalue of the projection
        if s[m, -1] > _NULL * scale or s[m, -2] <= _RANK * scale:
            doubtful.add(int(g))
            continue
        w = vt[m, -1].reshape(ka, kb)
        uw, sw, vw = np.linalg.svd(w)
        if sw[1] > _RANK * sw[0]:
            doubtful.add(int(g))
            continue
        xa, xb = uw[:, 0], vw[0]
        if abs(xa.sum()) < 1e-8 * np.abs(xa).max() or abs(xb.sum()) < 1e-8 * np.abs(xb).max():
            continue  # a solution at infinity for player a or b
        supports = group[g]
        vectors = []
        for j, (n, sj) in enumerate(zip(shape, supports)):
            v = np.zeros(n)
            if j == a:
                v[list(sj)] = xa / xa.sum()
            elif j == b:
                v[list(sj)] = xb / xb.sum()
            elif j == p:
                v[list(sj)] = (1.0 - values[m], values[m])
            else:
                v[list(sj)] = 1.0
            vectors.append(v)
        solutions.append((int(g), tuple(vectors)))
    ambiguous.extend(group[g] for g in sorted(doubtful))
    return [(group[g], prof) for g, prof in solutions if g not in doubtful], ambiguous
