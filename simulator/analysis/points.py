"""Parameter values at many points of a sweep or Monte Carlo draw, formulas included.

A sweep or a draw changes a few parameters; a scenario's formulas
(``sanctions_cost: "=0.5 * russia.war_cost"``) must follow, exactly as
:meth:`simulator.scenario.Scenario.with_params` does for one point. Here that is done for
many points at once: only the formulas that read a changed parameter (directly or through
other formulas) are evaluated again, point by point, and their values are range-checked.
The result maps dotted names to arrays, ready for the vectorised solvers.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import numpy as np

from simulator.errors import SimulatorError
from simulator.model.dynamics import DynamicsSettings
from simulator.model.offer_game import solve_offer_game_batch
from simulator.model.offers import INDUCEMENT, Offer
from simulator.model.parameters import ParameterSpec, parameter_specs
from simulator.scenario import Scenario
from simulator.scenario.formula import FormulaError, evaluate_formulas, parse_formula
from simulator.scenario.objects import formula_aliases, parameter_values

__all__ = ["AnalysisError", "game_changes", "point_values", "specs_of"]


class AnalysisError(SimulatorError, ValueError):
    """A scenario's values cannot be analysed as asked (e.g. a formula leaves its range).

    Raised for problems the scenario's author can fix; the message says where and what.
    """


def specs_of(scenario: Scenario) -> dict[str, ParameterSpec]:
    """The range-checked spec of every numeric parameter of the scenario, by dotted name.

    Parameters
    ----------
    scenario : Scenario
        The scenario whose model, offers and dynamics settings are described.

    Returns
    -------
    dict of str to ParameterSpec
        Every numeric model parameter (``russia.war_cost``, ...), every offer's fields and
        inducements (``offers.<offer>.<field>``, ``offers.<offer>.inducement.<government>``)
        and every dynamics setting (``dynamics.<field>``), each mapped to its spec (meaning,
        unit, range, default).

    Examples
    --------
    >>> from simulator.scenario import parse_scenario
    >>> s = parse_scenario("title: t\\noffers: {deal: {alignment: 0.3}}")
    >>> specs_of(s)["offers.deal.alignment"].high, specs_of(s)["dynamics.periods"].integer
    (1, True)
    """
    out = {name: spec for name, _value, spec in scenario.model.describe() if spec is not None}
    for name, offer in scenario.offers.items():
        out.update({f"offers.{name}.{s.name}": s for s in parameter_specs(Offer)})
        out.update({f"offers.{name}.inducement.{g}": INDUCEMENT for g in offer.inducement_map})
    out.update({f"dynamics.{s.name}": s for s in parameter_specs(DynamicsSettings)})
    return out


def _affected(scenario: Scenario, varied: set[str]) -> dict[str, Any]:
    """Formulas that read a varied parameter, directly or through other formulas."""
    numeric = parameter_values(scenario.model, scenario.offers, scenario.dynamics, numeric=True)
    aliases = formula_aliases(numeric)
    parsed = {k: parse_formula(v) for k, v in scenario.formulas.items() if k not in varied}
    reads = {k: {aliases.get(n, n) for n in f.names} for k, f in parsed.items()}
    affected: set[str] = set()
    grew = True
    while grew:
        grew = False
        for name, names in reads.items():
            if name not in affected and names & (varied | affected):
                affected.add(name)
                grew = True
    return {k: parsed[k] for k in parsed if k in affected}


def point_values(scenario: Scenario, varied: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """The varied parameters and every formula that follows them, at each point.

    Parameters
    ----------
    scenario : Scenario
    varied : mapping of str to 1-D array
        Dotted parameter name -> its value at each point (all the same length).

    Returns
    -------
    dict of str to numpy array
        The varied values plus the re-evaluated formulas, each of the points' length.

    Raises
    ------
    AnalysisError
        When a formula cannot be evaluated or leaves its parameter's valid range.

    Examples
    --------
    >>> from simulator.scenario import parse_scenario
    >>> s = parse_scenario('''
    ... title: t
    ... actors: {russia: {sanctions_cost: "=0.5 * russia.war_cost"}}
    ... offers: {deal: {alignment: 0.3}}''')
    >>> out = point_values(s, {"russia.war_cost": [0.1, 0.4]})
    >>> out["russia.sanctions_cost"].tolist()
    [0.05, 0.2]
    """
    arrays = {name: np.asarray(v, dtype=float).ravel() for name, v in varied.items()}
    sizes = {a.size for a in arrays.values()}
    if len(sizes) > 1:
        raise ValueError(f"varied parameters need one value per point; got sizes {sorted(sizes)}")
    formulas = _affected(scenario, set(arrays))
    if not formulas:
        return arrays
    size = sizes.pop()
    numeric = parameter_values(scenario.model, scenario.offers, scenario.dynamics, numeric=True)
    aliases = formula_aliases(numeric)
    specs = specs_of(scenario)
    out = {name: np.empty(size) for name in formulas}
    for i in range(size):
        values = dict(numeric)
        values.update({name: float(a[i]) for name, a in arrays.items()})
        try:
            results = evaluate_formulas(formulas, values, aliases)
        except FormulaError as exc:
            where = ", ".join(f"{n} = {a[i]:g}" for n, a in arrays.items())
            raise AnalysisError(f"at {where}: {exc}") from None
        for name, value in results.items():
            out[name][i] = value
    for name, column in out.items():
        spec = specs.get(name)
        if spec is None:
            continue
        bad = spec.outside(column)
        if bad.any():
            i = int(np.argmax(bad))
            where = ", ".join(f"{n} = {a[i]:g}" for n, a in arrays.items())
            raise AnalysisError(
                f"at {where} the formula {scenario.formulas[name]!r} gives {name} = "
                f"{column[i]:g}, outside its valid range {spec.range_text()}; narrow the "
                "sweep or the distribution"
            )
    return {**arrays, **out}


@functools.lru_cache(maxsize=512)
def _game_reads(model: Any, offer: Offer, name: str) -> bool:
    """Whether the offer game reads the parameter ``name`` (its own spelling)."""
    if name.startswith("offer.inducement."):
        current = offer.inducement_map.get(name[len("offer.inducement.") :])
    elif name.startswith("offer."):
        current = getattr(offer, name[len("offer.") :], None)
    else:
        current = model.params.get(name)
    if isinstance(current, bool) or not isinstance(current, (int, float)):
        return False
    try:
        solve_offer_game_batch(model, offer, {name: [float(current)]})
    except (KeyError, ValueError):
        return False
    return True


def game_changes(
    scenario: Scenario, offer: str, values: Mapping[str, np.ndarray]
) -> tuple[dict[str, np.ndarray], list[str]]:
    """The ``changes`` argument of :func:`solve_offer_game_batch`, and the ignored names.

    Scenario names become the game's (``offers.<offer>.<field>`` -> ``offer.<field>``);
    names the offer game does not read (dynamics settings, other offers, a government's
    fatigue, ...) are returned separately: the game's answer does not depend on them.

    Parameters
    ----------
    scenario : Scenario
        The scenario: its model and offers are the base point.
    offer : str
        The name of the scenario's offer the game is solved for.
    values : mapping of str to array_like
        Scenario parameter names (as :func:`point_values` returns them) mapped to their values
        at each point.

    Returns
    -------
    changes : dict of str to numpy.ndarray
        The values the offer game reads, under the game's names, as float arrays.
    ignored : list of str
        The scenario names the offer game does not read, in the order given.

    Raises
    ------
    KeyError
        If the scenario has no offer called ``offer``.

    Examples
    --------
    >>> from simulator.scenario import parse_scenario
    >>> s = parse_scenario("title: t\\noffers: {deal: {alignment: 0.3}}")
    >>> changes, ignored = game_changes(s, "deal", {"offers.deal.withdrawal_cost": [0.1],
    ...                                             "dynamics.easing": [0.2]})
    >>> list(changes), ignored
    (['offer.withdrawal_cost'], ['dynamics.easing'])
    """
    chosen = scenario.first_offer if offer is None else scenario.offers[offer]
    changes: dict[str, np.ndarray] = {}
    ignored: list[str] = []
    for name, column in values.items():
        parts = name.split(".")
        game_name: str | None = name
        if parts[0] == "offers":
            game_name = f"offer.{'.'.join(parts[2:])}" if parts[1] == offer else None
        elif parts[0] == "dynamics":
            game_name = None
        if game_name is not None and _game_reads(scenario.model, chosen, game_name):
            changes[game_name] = np.asarray(column, dtype=float)
        else:
            ignored.append(name)
    return changes, ignored
