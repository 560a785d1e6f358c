"""Lemke's algorithm with a factorised basis: the basis's solves and rows against a dense
inverse, through many column replacements and refactorisations."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sparse
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.games.errors import GameError
from simulator.solvers import lemke_lcp
from simulator.solvers.lemke_lcp import LemkeRayError, _Basis, _basis_matrix, lemke


def _dense_basis(M: sparse.csc_matrix, d: np.ndarray, basic: np.ndarray) -> np.ndarray:
    r = d.shape[0]
    return np.hstack([np.eye(r), -M.toarray(), -d[:, None]])[:, basic]


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), size=st.integers(2, 12), steps=st.integers(1, 120))
def test_basis_solves_and_rows_match_the_dense_inverse(seed: int, size: int, steps: int) -> None:
    rng = np.random.default_rng(seed)
    M = sparse.random(size, size, density=0.4, random_state=seed % 2**32, format="csc")
    M = M + sparse.diags(rng.uniform(1.0, 2.0, size))  # keeps most bases nonsingular
    M = sparse.csc_matrix(M)
    d = rng.uniform(0.5, 1.5, size)
    basic = np.arange(size)
    basis = _Basis(M, d, basic)
    for _ in range(steps):
        label = int(rng.integers(0, 2 * size + 1))
        if label in basic:
            continue
        position = int(rng.integers(0, size))
        trial = basic.copy()
        trial[position] = label
        if np.linalg.cond(_dense_basis(M, d, trial)) > 1e8:
            continue
        _, solved = basis.ftran(basis.column(label))
        basic = trial
        if basis.replace(position, solved):
            basis = _Basis(M, d, basic)
        inverse = np.linalg.inv(_dense_basis(M, d, basic))
        a = rng.normal(size=size)
        np.testing.assert_allclose(basis.solve(a), inverse @ a, rtol=1e-7, atol=1e-7)
        rows = rng.choice(size, size=min(3, size), replace=False)
        np.testing.assert_allclose(basis.inverse_rows(rows), inverse[rows], rtol=1e-7, atol=1e-7)


def test_basis_matrix_is_the_columns_of_identity_minus_m_and_minus_d() -> None:
    rng = np.random.default_rng(3)
    M = sparse.random(9, 9, density=0.3, random_state=4, format="csc")
    d = rng.uniform(0.5, 1.0, 9)
    basic = rng.permutation(19)[:9]
    np.testing.assert_array_equal(_basis_matrix(M, d, basic).toarray(), _dense_basis(M, d, basic))
    empty = sparse.csc_matrix((9, 9))
    np.testing.assert_array_equal(
        _basis_matrix(empty, d, basic).toarray(), _dense_basis(empty, d, basic)
    )


def test_long_paths_cross_many_refactorisations(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(11)
    root = rng.normal(size=(60, 60))
    M = root @ root.T + np.eye(60)
    b = rng.normal(size=60)
    z, pivots = lemke(M, b)
    monkeypatch.setattr(lemke_lcp, "_REFACTOR_EVERY", 2)  # a fresh factorisation every 2
    z2, pivots2 = lemke(M, b)
    assert pivots == pivots2 > 2 * 2
    np.testing.assert_allclose(z, z2, atol=1e-9)
    w = b + M @ z
    assert z.min() >= 0 and w.min() >= -1e-9 and abs(z @ w) <= 1e-8


def test_sparse_input_and_errors() -> None:
    M = sparse.csc_matrix(np.array([[2.0, 1.0], [1.0, 2.0]]))
    z, _ = lemke(M, [-5.0, -6.0])
    np.testing.assert_allclose(z, [4 / 3, 7 / 3])
    with pytest.raises(GameError, match="finite"):
        lemke([[np.inf, 0.0], [0.0, 1.0]], [-1.0, -1.0])
    with pytest.raises(GameError, match="square"):
        lemke(np.ones((2, 3)), [-1.0, -1.0])
    with pytest.raises(LemkeRayError, match="ray"):
        lemke(sparse.csc_matrix((2, 2)), [-1.0, 1.0])
