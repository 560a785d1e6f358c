"""Building the scenario's objects from a validated document (step 5 of the loader).

Part of :mod:`simulator.scenario.loader`. The model, the offers, the settings, the strategy
profiles and the analyses are constructed from the document once it has passed the schema
and the reference checks; the constructors range-check every parameter again, and any error
they raise becomes a problem at the parameter's line.
"""

from __future__ import annotations

from typing import Any

from simulator.model.buy_time_setup import BuyTimeSettings
from simulator.model.dynamics import DynamicsSettings, StrategyProfile
from simulator.model.negotiation import NegotiationModel
from simulator.model.offers import Offer
from simulator.model.parameters import ParameterError
from simulator.scenario.loader_sites import _Site
from simulator.scenario.objects import (
    DEFAULT_STRATEGIES,
    AnalysisSpec,
    CompareAnalysis,
    MonteCarloAnalysis,
    Scenario,
    SolveAnalysis,
    SweepAnalysis,
    SweepAxis,
    Uncertainty,
)
from simulator.scenario.schema import ANALYSIS_KINDS, field_kinds
from simulator.scenario.source import DocPath


class _Building:
    """Step 5, mixed into :class:`~simulator.scenario.loader_checks._Checker`.

    It uses the checker's document and problems (``doc``, ``source``, ``problems``,
    ``formulas``, ``by_name``) and its ``add`` and ``parameter``.
    """

    def build(self, raw: dict[str, Any]) -> Scenario | None:
        doc = self.doc
        try:
            model = _build(NegotiationModel, doc.get("actors", {}))
        except (ParameterError, ValueError, TypeError) as exc:
            self._construction_problem(exc)
            return None
        offers: dict[str, Offer] = {}
        for name, body in doc["offers"].items():
            try:
                offers[name] = Offer(name=name, **body)
            except (ParameterError, ValueError, TypeError) as exc:
                self._construction_problem(exc)
        try:
            settings = _build(DynamicsSettings, doc.get("dynamics", {}))
        except (ParameterError, ValueError, TypeError) as exc:
            self._construction_problem(exc)
            return None
        if "periods" in (doc.get("buy_time") or {}):
            self.add(
                ("buy_time", "periods"),
                doc["buy_time"]["periods"],
                "the buy-time game's horizon is each compare analysis's 'periods' (default "
                "dynamics.periods); remove buy_time.periods",
            )
            return None
        try:
            buy_time = _build(BuyTimeSettings, doc.get("buy_time", {}))
        except (ParameterError, ValueError, TypeError) as exc:
            self._construction_problem(exc)
            return None
        strategies = dict(DEFAULT_STRATEGIES)
        for name, body in doc.get("strategies", {}).items():
            strategies[name] = StrategyProfile(**body)
        analyses: list[AnalysisSpec] = []
        for i, item in enumerate(doc.get("analyses", [])):
            try:
                analyses.append(self._analysis(item, list(offers), settings))
            except ValueError as exc:
                self.add(("analyses", i), item, str(exc))
        if self.problems:
            return None
        return Scenario(
            title=doc["title"],
            description=doc.get("description", ""),
            seed=doc.get("seed", 0),
            source=self.source,
            model=model,
            offers=offers,
            strategies=strategies,
            dynamics=settings,
            buy_time=buy_time,
            analyses=tuple(analyses),
            figures=tuple(doc.get("figures", ())),
            figure_formats=tuple(doc.get("figure_formats", ("png", "svg"))),
            raw=raw,
            formulas=dict(self.formulas),
        )

    def _construction_problem(self, exc: Exception) -> None:
        name = getattr(exc, "name", "")
        name = (
            name[len("model.") :] if isinstance(name, str) and name.startswith("model.") else name
        )
        site = self.by_name.get(name) if isinstance(name, str) else None
        path: DocPath = site.path if site else ("actors",)
        self.add(path, getattr(exc, "value", None), str(exc))

    def _analysis(
        self, item: dict[str, Any], offers: list[str], settings: DynamicsSettings
    ) -> AnalysisSpec:
        kind = next(k for k in ANALYSIS_KINDS if k in item)
        offer = item.get("offer") or offers[0]
        if kind == "solve":
            chosen = (item["offer"],) if item.get("offer") else tuple(offers)
            return SolveAnalysis(target=item["solve"], offers=chosen)
        if kind == "compare":
            return CompareAnalysis(
                profiles=tuple(item["compare"]),
                offer=offer,
                periods=item.get("periods", settings.periods),
                runs=item.get("runs", 1000),
                uncertain=self._uncertain(item.get("uncertain", {})),
                equilibrium=item.get("equilibrium", True),
            )
        if kind == "sweep":
            axes = tuple(
                SweepAxis(
                    self.parameter((), name).name,
                    axis["from"],
                    axis["to"],  # type: ignore[union-attr]
                    axis["steps"],
                )
                for name, axis in item["sweep"].items()
            )
            return SweepAnalysis(axes=axes, offer=offer, show=item.get("show", "regime_map"))
        return MonteCarloAnalysis(
            uncertain=self._uncertain(item["monte_carlo"]),
            offer=offer,
            runs=item.get("runs", 1000),
        )

    def _uncertain(self, entries: dict[str, Any]) -> tuple[Uncertainty, ...]:
        return tuple(
            _uncertainty(self.parameter((), name), dist)  # type: ignore[arg-type]
            for name, dist in entries.items()
        )


def _uncertainty(site: _Site, dist: dict[str, Any]) -> Uncertainty:
    return Uncertainty(
        parameter=site.name,
        distribution=dist["distribution"],
        mean=dist.get("mean"),
        sd=dist.get("sd"),
        low=dist.get("low"),
        high=dist.get("high"),
        spec=site.spec,
    )


def _build(cls: type, data: dict[str, Any]) -> Any:
    kwargs: dict[str, Any] = {}
    for f in field_kinds(cls):
        if f.name not in data:
            continue
        value = data[f.name]
        if f.kind == "section":
            kwargs[f.name] = _build(f.cls, value)  # type: ignore[arg-type]
        elif f.kind == "list":
            kwargs[f.name] = tuple(_build(f.cls, item) for item in value)  # type: ignore[arg-type]
        else:
            kwargs[f.name] = value
    return cls(**kwargs)
