"""Small buy-time scenarios shared by the buy-time tests."""

from __future__ import annotations

from simulator.scenario import Scenario, parse_scenario


def one_government_withdrawal(capability: float) -> Scenario:
    """One Western government (the US of the baseline) and one offer with a verified
    withdrawal costing 0.03; a staller regroups at 0.45 a period."""
    return parse_scenario(
        f"""
title: One government, a verified withdrawal
actors:
  russia: {{regroup_rate_staller: 0.45, capability: {capability}}}
  west:
    governments:
      - {{name: US, weight: 0.4, sanctions_burden: 0.05, value_of_success: 1.0, audience_cost: 0.5}}
offers:
  withdraw: {{alignment: 0.8, territory: 0.3, security_guarantees: 0.8, withdrawal_cost: 0.03}}
"""
    )
