"""Checking a scenario document: formulas, the schema and the references (steps 3 and 4).

Part of :mod:`simulator.scenario.loader`. :class:`_Checker` collects every problem with one
document: it replaces named arrangements and formulas by numbers
(:mod:`simulator.scenario.formula`), validates the document against the schema derived from
the model (:mod:`simulator.scenario.schema`), and checks the references between sections
(offer and strategy names, dotted parameter names, distributions against ranges, sweep
grids); it builds the objects with :class:`~simulator.scenario.loader_build._Building`.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from pydantic import ValidationError

from simulator.model import dynamics
from simulator.model.parameters import ParameterError, ParameterSpec
from simulator.scenario.errors import Problem, show_value, suggest
from simulator.scenario.formula import is_formula, solve_formulas
from simulator.scenario.loader_build import _Building, _uncertainty
from simulator.scenario.loader_files import _problem_at
from simulator.scenario.loader_messages import (
    _generic_message,
    _homes,
    _literal_choices,
    _value_hint,
)
from simulator.scenario.loader_sites import _get, _is_number, _set, _Site, _sites
from simulator.scenario.objects import DEFAULT_STRATEGIES, SweepAxis, formula_aliases
from simulator.scenario.schema import (
    ANALYSIS_KINDS,
    ScenarioFile,
    locate,
    parameter_spec_of,
    presets_for,
)
from simulator.scenario.source import DocPath, SourceMap, format_path


class _Checker(_Building):
    """Collects problems for one document."""

    def __init__(self, doc: dict[str, Any], where: SourceMap, source: str) -> None:
        self.doc = doc
        self.where = where
        self.source = source
        self.problems: list[Problem] = []
        self.formula_at: dict[DocPath, str] = {}
        self.formulas: dict[str, str] = {}
        self.sites = _sites(doc)
        self.by_name = {s.name: s for s in self.sites}
        self.aliases = formula_aliases(self.by_name)

    def add(
        self,
        path: DocPath,
        value: Any,
        message: str,
        suggestion: str | None = None,
        key: bool = False,
    ) -> None:
        loc = self.where.key(path) if key else self.where.value(path)
        self.problems.append(_problem_at(loc, self.source, path, value, message, suggestion))

    def has_problem(self, path: DocPath) -> bool:
        text = format_path(path)
        return any(
            p.field == text or p.field.startswith((text + ".", text + "[")) for p in self.problems
        )

    # ------------------------------------------------------------------ step 3
    def substitute(self) -> None:
        """Replace arrangement names and formulas by numbers in ``self.doc``."""
        values: dict[str, Any] = {}
        texts: dict[str, str] = {}
        unavailable: set[str] = set()
        for site in self.sites:
            if not site.present:
                values[site.name] = site.spec.default
                continue
            value = _get(self.doc, site.path)
            presets = presets_for(site.spec)
            if is_formula(value):
                texts[site.name] = value
            elif isinstance(value, str) and value in presets:
                _set(self.doc, site.path, presets[value])
                values[site.name] = presets[value]
            elif _is_number(value):
                values[site.name] = value
            else:
                unavailable.add(site.name)
        results, errors = solve_formulas(texts, values, self.aliases, unavailable)
        for name, result in results.items():
            site = self.by_name[name]
            number: float | int = result
            if site.spec.integer and result.is_integer():
                number = int(result)
            _set(self.doc, site.path, number)
            self.formula_at[site.path] = texts[name]
            self.formulas[name] = texts[name]
        for name, err in errors.items():
            site = self.by_name[name]
            self.add(site.path, texts[name], err.message, err.suggestion)
        for name in texts.keys() - results.keys():
            # Reported above (or blocked by a bad value reported where it is written):
            # a placeholder keeps the schema check from reporting the text a second time.
            site = self.by_name[name]
            _set(self.doc, site.path, site.spec.default)

    # ------------------------------------------------------------------ step 4a
    def validate_schema(self) -> None:
        try:
            ScenarioFile.model_validate(self.doc)
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                self._schema_problem(err)

    def _schema_problem(self, err: Any) -> None:
        hit = locate(tuple(err["loc"]))
        kind = err["type"]
        value = err.get("input")
        path = hit.path
        if kind == "extra_forbidden":
            key = path[-1]
            suggestion = suggest(key, hit.allowed)
            message = f"unknown key {key!r}"
            if suggestion is None:
                homes = _homes().get(key, ())
                if homes:
                    suggestion = f"{homes[0]}.{key}" if len(homes) == 1 else None
                    message += f"; {key!r} belongs under " + " or ".join(homes)
            message += f"; allowed here: {', '.join(hit.allowed)}"
            self.add(path, key, message, suggestion, key=True)
            return
        if hit.is_key:
            self.add(
                path,
                path[-1] if path else value,
                f"{str(path[-1])!r} is not a valid name: use letters, digits and _, not starting "
                "with a digit (at most 64 characters)",
                key=True,
            )
            return
        if kind == "missing":
            note = f" ({hit.info.description})" if hit.info and hit.info.description else ""
            choices = _literal_choices(hit.annotation)
            if choices:
                note = f"; choose one of {', '.join(choices)}"
            self.add(path, None, f"missing required key {path[-1]!r}{note}")
            return
        spec = parameter_spec_of(hit.model, hit.field)
        if spec is not None:
            self.add(
                path,
                value,
                self._parameter_message(kind, value, spec, path),
                self._preset_suggestion(spec, value),
            )
            return
        message, suggestion = _generic_message(kind, err, hit, value)
        self.add(path, value, message, suggestion)

    def _parameter_message(self, kind: str, value: Any, spec: ParameterSpec, path: DocPath) -> str:
        about = f"{spec.description}; unit: {spec.unit}"
        if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
            if path in self.formula_at:
                return (
                    f"the formula {self.formula_at[path]!r} gives {value:g}, outside the "
                    f"valid range {spec.range_text()} ({about})"
                )
            return f"{show_value(value)} is outside the valid range {spec.range_text()} ({about})"
        kind_of = "whole number" if spec.integer else "number"
        allowed = f"a {kind_of} in {spec.range_text()} ({about})"
        presets = presets_for(spec)
        if presets:
            allowed += ", one of " + ", ".join(presets)
        allowed += ", or a formula starting with '='"
        return f"must be {allowed}; got {show_value(value)}{_value_hint(value)}"

    @staticmethod
    def _preset_suggestion(spec: ParameterSpec, value: Any) -> str | None:
        presets = presets_for(spec)
        return suggest(value, presets) if presets and isinstance(value, str) else None

    # ------------------------------------------------------------------ step 4b
    def check_references(self) -> None:
        doc = self.doc
        self._check_governments()
        offers = doc.get("offers")
        self.offer_names = list(offers) if isinstance(offers, dict) else []
        strategies = doc.get("strategies")
        self.strategy_names = list(DEFAULT_STRATEGIES)
        if isinstance(strategies, dict):
            self.strategy_names += [n for n in strategies if n not in DEFAULT_STRATEGIES]
        for key in ("figures", "figure_formats"):
            items = doc.get(key)
            if isinstance(items, list):
                self._check_unique((key,), items)
        analyses = doc.get("analyses")
        if not isinstance(analyses, list):
            return
        for i, item in enumerate(analyses):
            path: DocPath = ("analyses", i)
            kinds = [k for k in ANALYSIS_KINDS if k in item] if isinstance(item, dict) else []
            if len(kinds) != 1:
                continue
            kind = kinds[0]
            offer = item.get("offer")
            if (
                isinstance(offer, str)
                and isinstance(offers, dict)
                and offer not in self.offer_names
                and not self.has_problem((*path, "offer"))
            ):
                self.add(
                    (*path, "offer"),
                    offer,
                    f"there is no offer named {offer!r}; the offers are "
                    f"{', '.join(self.offer_names)}",
                    suggest(offer, self.offer_names),
                )
            if kind == "compare" and not self.has_problem((*path, "compare")):
                names = item["compare"]
                for j, name in enumerate(names):
                    if name not in self.strategy_names:
                        self.add(
                            (*path, "compare", j),
                            name,
                            f"there is no strategy profile named {name!r}; the profiles are "
                            f"{', '.join(self.strategy_names)}",
                            suggest(name, self.strategy_names),
                        )
                self._check_unique((*path, "compare"), names)
            entries: Any = None
            if kind in ("compare", "monte_carlo"):
                key = "uncertain" if kind == "compare" else "monte_carlo"
                entries = item.get(key)
                check = partial(self._check_uncertain, simulated=kind == "compare")
            elif kind == "sweep":
                key, entries, check = "sweep", item.get("sweep"), self._check_axis
            if isinstance(entries, dict):
                for name, entry in entries.items():
                    check((*path, key, name), name, entry)

    def _check_governments(self) -> None:
        west = self.doc.get("actors", {})
        west = west.get("west") if isinstance(west, dict) else None
        items = west.get("governments") if isinstance(west, dict) else None
        if not isinstance(items, list):
            return
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            name = item.get("name") if isinstance(item, dict) else None
            if not isinstance(name, str):
                continue
            path = ("actors", "west", "governments", i, "name")
            if not name.strip():
                self.add(path, name, "a government needs a name that is not blank")
            if "." in name:
                self.add(
                    path,
                    name,
                    "a government name cannot contain '.', which separates "
                    "the parts of parameter names",
                )
            if name in seen:
                first = self.where.value(("actors", "west", "governments", seen[name], "name"))
                line = first.line if first else "?"
                self.add(
                    path,
                    name,
                    f"duplicate government name {name!r} (also on line "
                    f"{line}); each government needs its own name",
                )
            seen.setdefault(name, i)

    def _check_unique(self, path: DocPath, items: list[Any]) -> None:
        seen: set[Any] = set()
        for j, item in enumerate(items):
            if not isinstance(item, (str, int, float)):
                continue
            if item in seen:
                self.add((*path, j), item, f"{item!r} is listed twice")
            seen.add(item)

    def parameter(self, path: DocPath, name: str) -> _Site | None:
        """The site of a dotted parameter name, or a problem with a suggestion."""
        canonical = name if name in self.by_name else self.aliases.get(name)
        if canonical is not None:
            return self.by_name[canonical]
        known = list(self.by_name)
        hint = suggest(name, known)
        if name.startswith("actors.") and name[len("actors.") :] in self.by_name:
            hint = name[len("actors.") :]
        message = (
            f"unknown parameter {name!r}; parameters are named like russia.war_cost, "
            "russia.leader.punishment, west.governments.<name>.weight or "
            "offers.<offer>.alignment"
        )
        self.add(path, name, message, hint, key=True)
        return None

    def _check_uncertain(
        self, path: DocPath, name: str, dist: Any, simulated: bool = False
    ) -> None:
        site = self.parameter(path, name)
        if site is None or not isinstance(dist, dict) or self.has_problem(path):
            return
        if simulated and not _simulated(site.name):
            self.add(
                path,
                name,
                f"{site.name} cannot be uncertain in 'compare': the simulation does not read it "
                "per run; use it in 'monte_carlo' or 'sweep', or one of "
                + ", ".join(dynamics.READ_PARAMETERS)
                + ", west.governments.<name>.{"
                + ", ".join(dynamics.READ_GOVERNMENT)
                + "}",
                key=True,
            )
            return
        spec = site.spec
        kind = dist.get("distribution")
        if kind == "normal" and _is_number(dist.get("mean")):
            try:
                spec.check(dist["mean"], site.name)
            except ParameterError as exc:
                self.add((*path, "mean"), dist["mean"], str(exc))
                return
        defaults = {"beta": (0.0, 1.0)}.get(kind, (spec.low, spec.high))
        low, high = (dist.get(k, d) for k, d in zip(("low", "high"), defaults))
        if _is_number(low) and _is_number(high) and (low < spec.low or high > spec.high):
            key = "low" if low < spec.low else "high"
            self.add(
                (*path, key) if key in dist else path,
                dist.get(key, low if key == "low" else high),
                f"the distribution's support [{low:g}, {high:g}] leaves the valid range "
                f"{spec.range_text()} of {site.name} ({spec.description})",
            )
            return
        try:
            _uncertainty(site, dist)
        except ValueError as exc:
            self.add(path, dist, str(exc))

    def _check_axis(self, path: DocPath, name: str, axis: Any) -> None:
        site = self.parameter(path, name)
        if site is None or not isinstance(axis, dict):
            return
        for key in ("from", "to"):
            value = axis.get(key)
            if _is_number(value) and not self.has_problem((*path, key)):
                try:
                    site.spec.check(value, site.name)
                except ParameterError as exc:
                    self.add((*path, key), value, str(exc))
        if (
            axis.get("from") == axis.get("to")
            and _is_number(axis.get("from"))
            and not (self.has_problem((*path, "to")))
        ):
            self.add((*path, "to"), axis.get("to"), "a sweep needs 'to' different from 'from'")
            return
        start, stop, steps = axis.get("from"), axis.get("to"), axis.get("steps")
        if (
            site.spec.integer
            and _is_number(start)
            and _is_number(stop)
            and isinstance(steps, int)
            and steps >= 2
            and not self.has_problem(path)
        ):
            grid = SweepAxis(site.name, float(start), float(stop), steps).values()
            fractional = [v for v in grid.tolist() if not float(v).is_integer()]
            if fractional:
                self.add(
                    (*path, "steps"),
                    steps,
                    f"{site.name} takes whole numbers, but {steps} steps from {start:g} to "
                    f"{stop:g} give {fractional[0]:g}; choose steps so that every value is whole "
                    f"(e.g. {int(abs(stop - start)) + 1})",
                )


def _simulated(name: str) -> bool:
    """Whether the multi-period simulation draws ``name`` per run."""
    parts = name.split(".")
    if name in dynamics.READ_PARAMETERS:
        return True
    return parts[:2] == ["west", "governments"] and parts[-1] in dynamics.READ_GOVERNMENT
