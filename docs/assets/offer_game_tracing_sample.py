"""How often the offer game needs the mixed-equilibrium tracing, and whether it certifies.

Used by docs/offer_game.md ("What is not searched"). Two governments, US (defaults) and Hungary
(weight 0.2, sanctions burden 0.2, value of success 0.2), 3,000 random points for each
aggregation: counts the points solved by each method and the points where nothing was found.

    python docs/assets/offer_game_tracing_sample.py
"""

import dataclasses

import numpy as np

from simulator.model import NegotiationModel, Offer
from simulator.model.actors import West, WesternGovernment
from simulator.model.offer_game import solve_offer_game_batch

rng = np.random.default_rng(1)
N = 3000
for aggregation in ("sum", "weakest_link"):
    west = West(
        governments=(
            WesternGovernment("US"),
            WesternGovernment("Hungary", weight=0.2, sanctions_burden=0.2, value_of_success=0.2),
        ),
        aggregation=aggregation,
    )
    model = dataclasses.replace(NegotiationModel(), west=west)
    changes = {
        "offer.alignment": rng.uniform(0, 1, N),
        "offer.inducement.Hungary": rng.uniform(0, 0.1, N),
        "russia.leader.removal_if_lose": rng.uniform(0, 1, N),
        "russia.prior_sincere": rng.uniform(0.05, 0.95, N),
        "offer.security_guarantees": rng.uniform(0, 1, N),
        "offer.withdrawal_cost": rng.uniform(0, 0.1, N),
    }
    out = solve_offer_game_batch(model, Offer(withdrawal_cost=0.05), changes)
    methods = {str(m): int(np.sum(out["method"] == m)) for m in sorted(set(out["method"]))}
    kinds = {str(k): int(np.sum(out["kind"] == k)) for k in sorted(set(out["kind"]))}
    worst = float(np.nanmax(out["certificate"] / out["tolerance"]))
    print(
        f"{aggregation}: {methods}; not found {int(np.sum(~out['found']))}; kinds {kinds}; "
        f"largest certificate / tolerance {worst:.2g}"
    )
