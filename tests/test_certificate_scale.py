"""Certificates at any payoff scale: 1e-12 to 1e19, per player and within one player.

Equilibria do not change under a positive affine transformation of one player's payoffs,
so every solver must return the same equilibria after scaling, and no profile with a
gain a person could see (above ``VISIBLE_GAIN``) may be certified, however large the
other payoffs are.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.games.behaviour import BehaviourProfile
from simulator.games.extensive import Decision, ExtensiveGame, Terminal
from simulator.games.normal_form import NormalFormGame
from simulator.solvers.equilibrium import (
    VISIBLE_GAIN,
    CertificationError,
    RefutedCandidatesWarning,
    certify,
    player_tolerances,
)
from simulator.solvers.extensive_equilibrium import (
    certify_extensive,
    game_tolerances,
    infoset_tolerances,
)
from simulator.solvers.pure import pure_nash_mask
from simulator.solvers.solve import solve

SCALES = [1e-12, 1e-6, 1.0, 1e6, 1e12, 1e19]

# A 3x3 game with pure and mixed equilibria (integer payoffs).
A3 = np.array([[3, 0, 2], [1, 2, 0], [0, 1, 3]], dtype=float)
B3 = np.array([[2, 1, 0], [0, 3, 1], [1, 0, 2]], dtype=float)


def _scaled(a: np.ndarray, b: np.ndarray, sa: float, sb: float, shift: float = 0.0):
    return NormalFormGame.from_bimatrix(a * sa + shift, b * sb + shift)


def _profiles(equilibria) -> list[tuple[tuple[float, ...], ...]]:
    return sorted(tuple(tuple(np.round(v, 9)) for v in eq.profile) for eq in equilibria)


@pytest.mark.parametrize("sa", SCALES)
@pytest.mark.parametrize("sb", [1e-12, 1.0, 1e19])
def test_all_equilibria_are_the_same_at_every_scale_of_each_player(sa, sb):
    reference = _profiles(solve(_scaled(A3, B3, 1.0, 1.0)))
    scaled = solve(_scaled(A3, B3, sa, sb))
    assert _profiles(scaled) == reference
    for eq in scaled:
        # each player is checked against a bound in its own payoffs
        assert np.allclose(eq.tolerances, [1e-8 * 3 * sa, 1e-8 * 3 * sb], rtol=1e-12)
        assert all(r <= t for r, t in zip(eq.regrets, eq.tolerances))


def test_a_large_offset_is_checked_exactly():
    # payoffs near 1e15 (exact integers in floats): float precision only resolves about
    # 0.1, so the bound exceeds a visible gain and the profile is certified exactly
    game = _scaled(A3, B3, 1.0, 1.0, shift=1e15)
    reference = _profiles(solve(_scaled(A3, B3, 1.0, 1.0)))
    equilibria = solve(game)
    assert _profiles(equilibria) == reference
    assert min(player_tolerances(game.payoffs)) > VISIBLE_GAIN
    assert all(eq.exact is True for eq in equilibria if eq.is_pure)


def test_a_visible_gain_beside_huge_payoffs_is_refused():
    # Row strictly prefers the top row (payoffs 1e19 against 0). At the top row Column
    # gains 1.5 by moving right, though Column's own payoffs span 1e12 (float bound 1e4).
    a = np.array([[1e19, 1e19], [0.0, 0.0]])
    b = np.array([[0.0, 1.5], [1e12, 0.0]])
    game = NormalFormGame.from_bimatrix(a, b)
    with pytest.raises(CertificationError, match="gains 1.5"):
        certify(game, [[1, 0], [1, 0]], method="by hand")
    # vertex enumeration's float tolerance ties 0 and 1.5 at this scale; the candidate
    # it proposes wrongly is refuted exactly, dropped, and the drop reported
    with pytest.warns(RefutedCandidatesWarning, match="refutes"):
        equilibria = solve(game)
    assert [tuple(v.tolist() for v in eq.profile) for eq in equilibria] == [
        ([1.0, 0.0], [0.0, 1.0])
    ]
    assert equilibria[0].exact is True


@pytest.mark.parametrize("scale", [1e-12, 1e-6])
def test_a_tiny_gain_in_tiny_payoffs_is_still_a_gain(scale):
    # payoffs of size 1e-12: a fixed absolute bound would certify every profile
    game = _scaled(
        np.array([[2.0, 0.0], [0.0, 1.0]]), np.array([[1.0, 0.0], [0.0, 2.0]]), scale, scale
    )
    with pytest.raises(CertificationError):
        certify(game, [[1, 0], [0, 1]], method="by hand")
    assert len(solve(game)) == 3


def _entry_tree(low: float, high: float, huge: float) -> ExtensiveGame:
    """P1 takes ``huge`` (R) or passes to P2 (L), who picks ``low`` (a) or ``high`` (b);
    P2's payoff after R is ``huge`` too, so P2's own span is huge."""
    return ExtensiveGame.from_tree(
        ["P1", "P2"],
        Decision(
            "P1",
            {
                "L": Decision("P2", {"a": Terminal([0, low]), "b": Terminal([0, high])}),
                "R": Terminal([huge, huge]),
            },
        ),
    )


@pytest.mark.parametrize("huge", [1e3, 1e12, 1e19])
@pytest.mark.parametrize("concept", ["spe", "pbe", "sequential"])
def test_tree_refinements_refuse_a_visible_off_path_gain(huge, concept):
    game = _entry_tree(0.0, 1.5, huge)
    assert game_tolerances(game)[1] == pytest.approx(1e-8 * huge)
    wrong = BehaviourProfile.pure(game, ["R", "a"])
    with pytest.raises(CertificationError, match="1.5"):
        certify_extensive(wrong, "spe", "by hand")
    found = solve(game, concept=concept)
    assert [list(eq.behaviour.as_dict()["P2"].values())[0] for eq in found] == [
        {"a": 0.0, "b": 1.0}
    ]


@pytest.mark.parametrize("scale", SCALES)
def test_tree_equilibria_are_the_same_at_every_scale(scale):
    game = _entry_tree(1.0 * scale, 2.5 * scale, 3.0 * scale)
    (eq,) = solve(game, concept="spe")
    strategy = {p: list(v.values())[0] for p, v in eq.behaviour.as_dict().items()}
    assert strategy == {"P1": {"L": 0.0, "R": 1.0}, "P2": {"a": 0.0, "b": 1.0}}
    tiny = _entry_tree(1.0 * scale, 2.5 * scale, 3.0 * scale)
    with pytest.raises(CertificationError):
        certify_extensive(BehaviourProfile.pure(tiny, ["L", "a"]), "nash", "by hand")


@given(
    st.lists(st.integers(-5, 5), min_size=9, max_size=9),
    st.lists(st.integers(-5, 5), min_size=9, max_size=9),
    st.integers(-12, 19),
    st.integers(-12, 19),
)
def test_pure_equilibria_do_not_depend_on_each_players_scale(a, b, ea, eb):
    a3, b3 = np.reshape(a, (3, 3)).astype(float), np.reshape(b, (3, 3)).astype(float)
    base = NormalFormGame.from_bimatrix(a3, b3)
    scaled = NormalFormGame.from_bimatrix(a3 * 10.0**ea, b3 * 10.0**eb)
    assert np.array_equal(pure_nash_mask(base.payoffs), pure_nash_mask(scaled.payoffs))


def _hidden_tree(huge: float) -> ExtensiveGame:
    """P1 takes ``huge`` (R) or passes by L1 or L2 to P2, who cannot tell which and
    prefers b (1.5) to a (0) at both nodes."""
    reply = {"a": Terminal([0, 0]), "b": Terminal([0, 1.5])}
    return ExtensiveGame.from_tree(
        ["P1", "P2"],
        Decision(
            "P1",
            {
                "L1": Decision("P2", dict(reply), "h"),
                "L2": Decision("P2", dict(reply), "h"),
                "R": Terminal([huge, huge]),
            },
        ),
    )


@pytest.mark.parametrize("huge", [1e3, 1e12, 1e19])
@pytest.mark.parametrize("concept", ["sequential", "pbe"])
def test_an_off_path_mixture_with_a_visible_gain_is_refused_at_any_scale(huge, concept):
    game = _hidden_tree(huge)
    mixed = BehaviourProfile(game, [[0, 0, 1], [0.5, 0.5]])
    with pytest.raises(CertificationError, match="0.75"):
        certify_extensive(mixed, concept, "by hand")
    # the solver finds the equilibrium or says it cannot; it never certifies the mixture
    try:
        found = solve(game, concept=concept)
    except CertificationError:
        return
    assert [eq.behaviour.as_dict()["P2"]["h"] for eq in found] == [{"a": 0.0, "b": 1.0}]


def test_information_set_bounds_come_from_the_payoffs_below_them():
    game = _hidden_tree(1e19)
    bounds = infoset_tolerances(game)
    assert bounds[game.infoset_index("P2", "h")] == pytest.approx(1.5e-8)
    assert bounds[game.infoset_index("P1", game.infosets[0].label)] == pytest.approx(1e11)
