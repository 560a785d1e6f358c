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
# # Analyst: scenarios in Python
#
# The notebook of the analyst's tutorial (docs/tutorials/analyst.md, on the documentation
# site): load a scenario, change its parameters, sweep two of them into a regime map and run a
# Monte Carlo over an uncertain one, all from Python. The steps, the code and the sizes are the
# page's (a grid of 176 points, 300 draws); the whole notebook runs in a few seconds.
#
# This file is the source (jupytext's "percent" format); make a notebook of it with
# `jupytext --to notebook docs/notebooks/analyst.py`, or open it as a notebook in Jupyter with
# jupytext installed. CI runs it (docs/notebooks/run_notebooks.py).

# %% [markdown]
# Everything the notebook imports, first. Figures show inline; the paths below are relative to
# the repository root, where `scenarios/` is, and the last line moves there if the notebook was
# started elsewhere in the checkout (in `docs/notebooks/`, say).

# %%
# %matplotlib inline
import dataclasses
import os
from pathlib import Path

from IPython.display import display
from matplotlib.figure import Figure

from simulator import load_scenario, run_scenario
from simulator.model.offer_game import solve_offer_game
from simulator.scenario import (
    MonteCarloAnalysis,
    SolveAnalysis,
    SweepAnalysis,
    SweepAxis,
    Uncertainty,
)

here = Path.cwd()
os.chdir(next(p for p in (here, *here.parents) if (p / "scenarios").is_dir()))

# %% [markdown]
# ## Load a scenario

# %%
scenario = load_scenario("scenarios/baseline_spring_2022.yaml")
print(scenario)
print(scenario.params["russia.great_power_status"])
print(scenario.params["offers.neutrality_for_guarantees.security_guarantees"])

# %% [markdown]
# `scenario.params` holds every parameter by its *dotted name*, the names the scenario
# reference lists: `russia.war_cost`, `west.governments.Germany.sanctions_burden`,
# `offers.<offer>.<field>`, `dynamics.periods`. A file that does not validate raises
# `ScenarioError` listing every problem with its line.
#
# ## Change parameters
#
# `with_params` returns a changed copy (scenarios are immutable); it takes dotted names in a
# mapping or `__` in keywords, and re-evaluates any formula that reads a changed value:

# %%
stronger = scenario.with_params(russia__great_power_status=0.9)
same = scenario.with_params({"russia.great_power_status": 0.9})
print(stronger.model.russia.great_power_status, same.model == stronger.model)

# %% [markdown]
# The model underneath has its own `with_params`, and the offer game can be solved on it
# directly, without the scenario's other analyses:

# %%
model = scenario.model.with_params({"russia.great_power_status": 0.9})
print(solve_offer_game(model, scenario.first_offer).describe())

# %% [markdown]
# With a premium of 0.9 neither sincere type makes the offer any more: only stallers talk, so
# the offer reveals a staller (P(sincere) 0 after it) and every deal signed is broken.
#
# ## Choose the analyses
#
# A scenario's `analyses` are objects from `simulator.scenario`; replace them to run only what
# you need. Here, the offer game alone, at three premiums:

# %%
offer = "neutrality_for_guarantees"
solve = SolveAnalysis("offer_game", (offer,))
solve_only = dataclasses.replace(scenario, analyses=(solve,))
for premium in (0.0, 0.4, 0.9):
    changed = solve_only.with_params(russia__great_power_status=premium)
    s = run_scenario(changed).solutions[0]
    print(f"{premium}: {s.regime:62} P(settled) {s.settlement_probability:.3g}, "
          f"certified {s.certificate.certified}")

# %% [markdown]
# ## Sweep two parameters: a regime map
#
# A `SweepAnalysis` solves the offer game at every point of a grid of one or two parameters,
# in one vectorised call per chunk of points. The status premium against the strength of the
# guarantees:

# %%
sweep = SweepAnalysis(
    axes=(
        SweepAxis("russia.great_power_status", 0.0, 1.5, 16),
        SweepAxis(f"offers.{offer}.security_guarantees", 0.0, 1.0, 11),
    ),
    offer=offer,
    show="regime_map",
)
results = run_scenario(dataclasses.replace(scenario, analyses=(sweep,)))
grid = results.sweeps[0]
for regime, share in grid.regimes().items():
    print(f"{share:6.1%}  {regime}")
print("largest regret on the grid:", grid.certificate.regret)
print("certified:", results.certified)

# %%
fig = results.plot_regime_map()
display(fig)

# %% [markdown]
# `fig` is a matplotlib `Figure` (built without pyplot): `fig.savefig("regime_map.png")`, or
# `simulator.plots.save_figure(fig, "regime_map", formats=("png", "svg"))` to write it
# atomically. With guarantees of 0.4 or less no deal is signed at any premium: every type
# fights on. With stronger guarantees the premium decides: the larger it is, the fewer types
# keep a deal. The grid itself is in `grid.rows()` (one row per point, the `sweep_1.csv` of a
# run) and `grid.to_frame()` with pandas installed.
#
# For bigger grids, `run_scenario(..., workers=4)` solves chunks of the grid in 4 processes,
# and `checkpoint="folder"` with `resume=True` picks up an interrupted run; both give the same
# numbers, bit for bit.
#
# ## Monte Carlo over an uncertain parameter
#
# How fast a staller regroups is not known. A `MonteCarloAnalysis` draws it (here from a beta
# distribution with mean 0.45 and standard deviation 0.1) and solves the offer game at every
# draw, with the scenario's seed:

# %%
rate = Uncertainty("russia.regroup_rate_staller", "beta", mean=0.45, sd=0.1)
mc = MonteCarloAnalysis(
    uncertain=(rate,),
    offer=offer,
    runs=300,
)
draws = run_scenario(dataclasses.replace(scenario, analyses=(mc,))).monte_carlo[0]
for regime, share in draws.regimes().items():
    print(f"{share:6.1%}  {regime}")
s = draws.summary()["settlement_probability"]
print(f"P(settled): mean {s['mean']:.3f}, 5% {s['q05']:.3f}, "
      f"median {s['q50']:.3f}, 95% {s['q95']:.3f}")

# %% [markdown]
# Each draw is a row of `draws.rows()`; a plot of P(settled) against the drawn rate:

# %%
rows = draws.rows()
mc_fig = Figure(figsize=(6, 3.2), layout="constrained")
ax = mc_fig.add_subplot()
ax.scatter([r["russia.regroup_rate_staller"] for r in rows],
           [r["settlement_probability"] for r in rows], s=8)
ax.set_xlabel("staller's regroup rate (drawn)")
ax.set_ylabel("P(settled)")
ax.set_title("The offer game over 300 draws")
display(mc_fig)

# %% [markdown]
# Three regimes show along the drawn rate: below about 0.36 the weak staller keeps its deal; up
# to about 0.6 both stallers sign and break (the baseline's regime); beyond, every type fights
# on, since Ukraine would reject an offer that only stallers make.
#
# Everything above can be written in a scenario file's `analyses` list instead, and then runs
# with `simulator run`:
#
# ```yaml
# analyses:
#   - sweep:
#       russia.great_power_status: {from: 0, to: 1.5, steps: 16}
#       offers.neutrality_for_guarantees.security_guarantees: {from: 0, to: 1, steps: 11}
#     show: regime_map
#   - monte_carlo:
#       russia.regroup_rate_staller: {distribution: beta, mean: 0.45, sd: 0.1}
#     runs: 300
# ```
