# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.7
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Game theorist: games, solvers, certificates
#
# The notebook of the game theorist's tutorial (docs/tutorials/game-theorist.md, on the
# documentation site). The core of the library knows nothing about Russia or Ukraine: it holds
# games, solves them and certifies every answer. This notebook builds a normal-form and an
# extensive-form game, solves them, checks a certificate by hand, reads and writes Gambit files
# and compares the results with nashpy; the steps and the code are the page's.
#
# This file is the source (jupytext's "percent" format); make a notebook of it with
# `jupytext --to notebook docs/notebooks/game_theorist.py`, or open it as a notebook in
# Jupyter with jupytext installed. CI runs it (docs/notebooks/run_notebooks.py).

# %% [markdown]
# Everything the notebook imports, first. The Gambit files read below are in the repository's
# `scenarios/games/`; the last line moves to the repository root if the notebook was started
# elsewhere in the checkout (in `docs/notebooks/`, say).

# %%
import os
import tempfile
import warnings
from pathlib import Path

import nashpy
import numpy as np

from simulator import (
    Chance,
    Decision,
    ExtensiveGame,
    NormalFormGame,
    Terminal,
    read_game,
    read_nfg,
    solve,
    write_nfg,
)
from simulator.io.efg import read_efg, write_efg
from simulator.solvers import CertificationError, certify

here = Path.cwd()
os.chdir(next(p for p in (here, *here.parents) if (p / "scenarios").is_dir()))

# %% [markdown]
# ## A normal-form game

# %%
game = NormalFormGame.from_bimatrix(
    [[2, 0], [0, 1]],                # the row player's payoffs
    [[1, 0], [0, 2]],                # the column player's
    players=["Her", "Him"],
    strategies=[["Opera", "Football"], ["Opera", "Football"]],
)
print(game)

# %% [markdown]
# A game is immutable and holds one payoff array of shape `(n_1, ..., n_N, N)`
# (`game.payoffs`); `NormalFormGame(array)` builds any number of players from it.
#
# ## Solve and read the certificate
#
# `solve` picks a sound method (`method="auto"`) and returns every equilibrium it finds, each
# passed through one certification step:

# %%
for eq in solve(game, exact=True):
    print(eq.strategy("Her"), eq.strategy("Him"))
    print(f"  payoffs {eq.payoffs}, regret {eq.regret}, "
          f"tolerance {eq.tolerance:g}, exact {eq.exact}, component {eq.component}")

# %% [markdown]
# - **regret**: the most any player gains by deviating alone from the profile (the
#   certificate); it must be at most the **tolerance**, `1e-8` times the span of each player's
#   own payoffs, or the profile is not returned.
# - **exact**: with `exact=True` the equilibrium is rebuilt in rational arithmetic
#   (`eq.exact_profile`, fractions) and its regret is exactly zero.
# - **component**: `enumerate` returns the extreme points of every connected set of
#   equilibria and says which belong together.
#
# Other methods: `pure` (any N), `enumerate` (all extreme equilibria of two-player games),
# `lemke-howson` (one per starting label), `zero-sum` (linear programming), `support` (small
# N-player games), `logit` (quantal-response tracing).

# %%
for method in ("pure", "lemke-howson", "support", "logit"):
    found = solve(game, method=method)
    print(f"{method:13}", [eq.strategy("Her")["Opera"] for eq in found])

# %% [markdown]
# `certify` is the one gate every solver's answer passes; it refuses a profile that is not an
# equilibrium:

# %%
print(certify(game, [[2 / 3, 1 / 3], [1 / 3, 2 / 3]], method="by hand", exact=True))
try:
    certify(game, [[1, 0], [0, 1]], method="a guess")
except CertificationError as error:
    print("refused:", error)

# %% [markdown]
# ## An extensive-form game
#
# Trees are built from `Decision`, `Chance` and `Terminal` nodes; nodes of one player with the
# same `infoset` label form one information set. Here chance draws a sincere Russia or a
# staller, Russia withdraws or talks, and the West, seeing only the move, relaxes or presses:

# %%
def west(relax, press, move, russia):
    """The West's decision: it sees Russia's move, not its type."""
    return Decision("West", {"relax": Terminal(relax), "press": Terminal(press)},
                    infoset=f"saw {move}", label=f"{russia} chose {move}")


offer = ExtensiveGame.from_tree(
    players=["Russia", "West"],
    root=Chance({
        "sincere": (0.3, Decision("Russia", {
            "withdraw": west([2, 1], [0, 0], "withdraw", "sincere"),
            "talk": west([3, 1], [1, 0], "talk", "sincere"),
        }, infoset="sincere")),
        "staller": (0.7, Decision("Russia", {
            "withdraw": west([0, -1], [-2, 0], "withdraw", "staller"),
            "talk": west([3, -1], [1, 0], "talk", "staller"),
        }, infoset="staller")),
    }),
    title="Offer with a verifiable withdrawal",
)
print(offer)

# %%
for eq in solve(offer, concept="pbe"):      # or "spe", "nash", "sequential"
    print(eq)
    print("  West:", eq.strategy("West"))
    print("  beliefs:", eq.beliefs_dict()["West"])    # over the nodes of each set
    print("  ", eq.parameters)

# %% [markdown]
# Each `ExtensiveEquilibrium` carries two certificates: `regret` (the best unilateral
# deviation) and `concept_regret` (for perfect Bayesian and sequential equilibria, the best
# change of action at any information set given the beliefs, on and off the path; for subgame
# perfection, the Nash regret in every subgame).
#
# ## Gambit files
#
# `.nfg` and `.efg` files (Gambit's formats) are read and written, so any result can be
# checked in Gambit; writes are atomic.

# %%
folder = Path(tempfile.mkdtemp())
write_nfg(game, folder / "opera.nfg")
print((folder / "opera.nfg").read_text())
assert read_nfg(folder / "opera.nfg") == game

write_efg(offer, folder / "offer.efg")
again = read_efg(folder / "offer.efg")
print([str(eq.strategy("West")) for eq in solve(again, concept="pbe")])

entry = read_game("scenarios/games/entry_deterrence.efg")  # .nfg or .efg
print(entry)
print(solve(entry, concept="spe")[0])

# %% [markdown]
# From the command line, `simulator solve FILE.nfg` or `FILE.efg --concept pbe` prints the
# same certified equilibria.
#
# ## Compared with nashpy
#
# nashpy is installed with the library and serves the tests as an oracle. On a random 5x5 game
# both find the same equilibria:

# %%
rng = np.random.default_rng(7)
A, B = rng.normal(size=(2, 5, 5))
ours = sorted(tuple(np.round(np.concatenate(eq.profile), 9))
              for eq in solve(NormalFormGame.from_bimatrix(A, B)))
theirs = sorted(tuple(np.round(np.concatenate(p), 9))
                for p in nashpy.Game(A, B).vertex_enumeration())
print(len(ours), "equilibria; as nashpy's vertex enumeration:", ours == theirs)

# %% [markdown]
# On a degenerate game equilibria come in connected sets. In
# `scenarios/games/degenerate_2x2.nfg` Row may mix Top and Bottom in any proportion from 1/2 to
# 1 against Left:

# %%
degenerate = read_nfg("scenarios/games/degenerate_2x2.nfg")
for eq in solve(degenerate, exact=True):
    exact = [str(x) for p in eq.exact_profile for x in p]
    print("simulator:", exact, "component", eq.component)

A, B = degenerate.payoffs[..., 0], degenerate.payoffs[..., 1]
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    found = list(nashpy.Game(A, B).support_enumeration())
print("nashpy support enumeration:",
      [np.concatenate(p).round(3).tolist() for p in found])
print("  warning:", " ".join(str(caught[0].message).split())[:70], "...")

# %% [markdown]
# `enumerate` returns both extreme points of the segment, (Top, Left) and (1/2 Top, Left), and
# puts them in one component; nashpy's support enumeration returns only the pure points and
# warns that the game is degenerate.
