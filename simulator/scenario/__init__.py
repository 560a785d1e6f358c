"""Scenario files (floor 4): safe YAML, a schema derived from the model, formulas, extends.

A scenario file states the actors' parameters, the offers on the table, the strategy
profiles to compare and the analyses to run. Reading one either returns a validated
:class:`Scenario` or raises :class:`ScenarioError` listing every problem with its file,
line, field, bad value and what is allowed.

Examples
--------
>>> from simulator.scenario import parse_scenario
>>> s = parse_scenario("title: Minimal\\noffers:\\n  neutrality: {alignment: 0.3}\\n")
>>> s.model.russia.great_power_status, s.offers["neutrality"].alignment
(0.5, 0.3)
"""

from simulator.scenario.errors import Problem, ScenarioError
from simulator.scenario.formula import Formula, FormulaError, parse_formula
from simulator.scenario.loader import (
    load_scenario,
    parse_scenario,
    validate_scenario,
    validate_text,
)
from simulator.scenario.objects import (
    DEFAULT_STRATEGIES,
    AnalysisSpec,
    CompareAnalysis,
    MonteCarloAnalysis,
    Scenario,
    SolveAnalysis,
    StrategyProfile,
    SweepAnalysis,
    SweepAxis,
    Uncertainty,
)
from simulator.scenario.reference import scenario_reference_markdown, starter_scenario
from simulator.scenario.schema import scenario_json_schema

__all__ = [
    "AnalysisSpec",
    "CompareAnalysis",
    "DEFAULT_STRATEGIES",
    "Formula",
    "FormulaError",
    "MonteCarloAnalysis",
    "Problem",
    "Scenario",
    "ScenarioError",
    "SolveAnalysis",
    "StrategyProfile",
    "SweepAnalysis",
    "SweepAxis",
    "Uncertainty",
    "load_scenario",
    "parse_formula",
    "parse_scenario",
    "scenario_json_schema",
    "scenario_reference_markdown",
    "starter_scenario",
    "validate_scenario",
    "validate_text",
]
