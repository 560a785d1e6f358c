"""Reading a scenario file: YAML, ``extends``, formulas, validation, then the objects.

The steps, each collecting every problem it finds before the file is rejected:

1. read the YAML safely with positions (:mod:`simulator.scenario.source`);
2. resolve ``extends:`` (a path relative to the file), merging the child over the
   parent; cycles are reported; locations keep naming the file each value came from;
3. replace named arrangements (``alignment: neutrality_with_eu``) and formulas
   (``"=0.5 * russia.war_cost"``) by numbers (:mod:`simulator.scenario.formula`);
4. validate against the schema derived from the model
   (:mod:`simulator.scenario.schema`) and check references between sections (offer
   and strategy names, dotted parameter names, distributions against ranges);
5. construct the model objects, which range-check every parameter again.

Problems are reported as :class:`~simulator.scenario.errors.ScenarioError`, never as
another exception, so a malformed file never produces a traceback.
"""

from __future__ import annotations

import copy
import math
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from pydantic import ValidationError

from simulator.model import dynamics
from simulator.model.buy_time_setup import BuyTimeSettings
from simulator.model.dynamics import DynamicsSettings, StrategyProfile
from simulator.model.negotiation import NegotiationModel
from simulator.model.offers import INDUCEMENT, Offer
from simulator.model.parameters import ParameterError, ParameterSpec
from simulator.scenario.errors import Problem, ScenarioError, show_value, suggest
from simulator.scenario.formula import is_formula, solve_formulas
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
    formula_aliases,
)
from simulator.scenario.schema import (
    ANALYSIS_KINDS,
    IDENTIFIER_PATTERN,
    Located,
    ScenarioFile,
    field_kinds,
    locate,
    parameter_spec_of,
    presets_for,
)
from simulator.scenario.source import (
    MAX_CHARS,
    DocPath,
    Location,
    SourceMap,
    format_path,
    merge_documents,
    read_document,
)

__all__ = ["load_scenario", "parse_scenario", "validate_scenario", "validate_text"]

#: Longest chain of ``extends``.
MAX_EXTENDS = 10
_IDENT = re.compile(IDENTIFIER_PATTERN)


# ---------------------------------------------------------------------- public API
def load_scenario(path: str | Path) -> Scenario:
    """Read, validate and build the scenario in the YAML file ``path``.

    Parameters
    ----------
    path : str or pathlib.Path
        A UTF-8 YAML scenario file; ``extends:`` paths in it are relative to its folder.

    Returns
    -------
    Scenario
        The model, offers, strategies and analyses the file describes.

    Raises
    ------
    ScenarioError
        With every problem found (file, line, field, value, what is allowed).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "s.yaml").write_text("title: Test\\noffers:\\n  deal: {alignment: 0.3}\\n")
    >>> s = load_scenario(folder / "s.yaml")
    >>> s.offers["deal"].alignment, s.model.russia.war_cost
    (0.3, 0.1)
    """
    path = Path(path)
    text = _read_file(path, None, "")
    return _parse(text, str(path), path.parent, (path.resolve(),))


def parse_scenario(
    text: str, source: str = "<string>", base_dir: str | Path | None = None
) -> Scenario:
    """Validate and build a scenario from YAML text.

    ``base_dir`` is the folder ``extends:`` paths are relative to (default: the current
    folder).

    Parameters
    ----------
    text : str
        The YAML text.
    source : str
        The name that problems report as the file.
    base_dir : str or pathlib.Path, optional
        The folder ``extends:`` paths are relative to.

    Returns
    -------
    Scenario
        The model, offers, strategies and analyses the text describes.

    Raises
    ------
    ScenarioError
        With every problem found (file, line, field, value, what is allowed).

    Examples
    --------
    >>> s = parse_scenario('''
    ... title: Status matters
    ... actors:
    ...   russia: {great_power_status: 2.0, sanctions_cost: "=0.5 * russia.war_cost"}
    ... offers:
    ...   neutrality: {alignment: neutrality_with_eu, security_guarantees: 0.7}
    ... ''')
    >>> s.model.russia.sanctions_cost, s.offers["neutrality"].alignment
    (0.05, 0.6)
    >>> parse_scenario("title: x\\noffers: {deal: {alignment: 1.5}}")
    Traceback (most recent call last):
    ...
    simulator.scenario.errors.ScenarioError: <string>:2:28: offers.deal.alignment: 1.5 is ...
    """
    return _parse(text, source, Path(base_dir) if base_dir is not None else Path("."), ())


def validate_scenario(path: str | Path) -> list[Problem]:
    """Every problem with the scenario file ``path`` (an empty list when it is valid).

    Parameters
    ----------
    path : str or pathlib.Path
        The scenario file, as for :func:`load_scenario`.

    Returns
    -------
    list of Problem
        The problems :func:`load_scenario` would raise, an unreadable file included.

    Examples
    --------
    >>> validate_scenario("no/such/file.yaml")[0].message
    'cannot read the file: no such file'
    """
    try:
        load_scenario(path)
    except ScenarioError as exc:
        return exc.problems
    return []


def validate_text(
    text: str, source: str = "<string>", base_dir: str | Path | None = None
) -> list[Problem]:
    """Every problem with scenario text (an empty list when it is valid).

    Parameters
    ----------
    text : str
        The YAML text.
    source : str
        The name that problems report as the file.
    base_dir : str or pathlib.Path, optional
        The folder ``extends:`` paths are relative to (default: the current folder).

    Returns
    -------
    list of Problem
        The problems :func:`parse_scenario` would raise.

    Examples
    --------
    >>> [p.suggestion for p in validate_text("title: x\\noffers: {deal: {alignmnt: 0.5}}")]
    ['alignment']
    """
    try:
        parse_scenario(text, source, base_dir)
    except ScenarioError as exc:
        return exc.problems
    return []


# ---------------------------------------------------------------------- files and extends
def _problem_at(
    loc: Location | None,
    source: str,
    path: DocPath,
    value: Any,
    message: str,
    suggestion: str | None = None,
) -> Problem:
    if loc is None:
        return Problem(source, None, None, format_path(path), value, message, suggestion)
    return Problem(loc.file, loc.line, loc.column, format_path(path), value, message, suggestion)


def _read_file(path: Path, where: Location | None, field: str) -> str:
    def fail(message: str) -> ScenarioError:
        if where is None:
            return ScenarioError([Problem(str(path), None, None, field, str(path), message)])
        return ScenarioError(
            [Problem(where.file, where.line, where.column, field, str(path), message)]
        )

    try:
        if "\x00" in str(path):
            raise fail("cannot read the file: its name contains a NUL character")
        if path.is_dir():
            raise fail("cannot read the file: it is a folder")
        if not stat.S_ISREG(path.stat().st_mode):  # a FIFO or a device would hang or never end
            raise fail("cannot read the file: it is not a regular file")
        with path.open("rb") as handle:  # bounded, whatever the size the system reports
            data = handle.read(4 * MAX_CHARS + 1)
        if len(data) > 4 * MAX_CHARS:
            raise fail(f"the file is larger than {MAX_CHARS} characters")
        return data.decode("utf-8")
    except FileNotFoundError:
        raise fail("cannot read the file: no such file") from None
    except UnicodeDecodeError:
        raise fail("cannot read the file: it is not UTF-8 text") from None
    except OSError as exc:
        raise fail(f"cannot read the file: {exc.strerror or exc}") from None


def _document(
    text: str, source: str, base_dir: Path, chain: tuple[Path, ...]
) -> tuple[dict[str, Any], SourceMap]:
    doc, where = read_document(text, source)
    if "extends" not in doc:
        return doc, where
    target = doc.pop("extends")
    loc = where.value(("extends",))

    def refuse(message: str) -> ScenarioError:
        return ScenarioError([_problem_at(loc, source, ("extends",), target, message)])

    if not isinstance(target, str) or not target.strip():
        raise refuse(
            "extends must be the path of another scenario file, e.g. 'extends: baseline.yaml'"
        )
    parent = base_dir / target.strip()
    if parent.suffix.lower() not in (".yaml", ".yml"):
        raise refuse("extends must name a .yaml or .yml scenario file")
    resolved = parent.resolve()
    roots = {(chain[0].parent if chain else base_dir.resolve()), Path.cwd().resolve()}
    if not any(resolved.is_relative_to(root) for root in roots):
        raise refuse(
            "extends may only name a file inside the scenario's folder or the current "
            "folder (links are followed first); copy the file there"
        )
    if resolved in chain:
        names = [p.name for p in chain[chain.index(resolved) :]] + [resolved.name]
        raise refuse("extends forms a cycle: " + " -> ".join(names))
    if len(chain) >= MAX_EXTENDS:
        raise refuse(f"more than {MAX_EXTENDS} files extend one another")
    parent_text = _read_file(parent, loc, "extends")
    parent_doc, parent_where = _document(
        parent_text, str(parent), parent.parent, (*chain, resolved)
    )
    return merge_documents(parent_doc, parent_where, doc, where)


# ---------------------------------------------------------------------- parameter sites
@dataclass(frozen=True)
class _Site:
    """A parameter of the model or an offer: its dotted name, spec and document path."""

    name: str
    spec: ParameterSpec
    path: DocPath  # where it is (or would be) written
    present: bool


def _walk_sites(cls: type, data: Any, path: DocPath, prefix: str, out: list[_Site]) -> None:
    data = data if isinstance(data, dict) else None
    for f in field_kinds(cls):
        if f.kind == "parameter":
            present = data is not None and f.name in data
            out.append(_Site(prefix + f.name, f.spec, (*path, f.name), present))  # type: ignore[arg-type]
        elif f.kind == "section":
            sub = data.get(f.name) if data is not None else None
            _walk_sites(f.cls, sub, (*path, f.name), f"{prefix}{f.name}.", out)  # type: ignore[arg-type]
        elif f.kind == "amounts":  # inducements: one parameter per government named
            amounts = data.get(f.name) if data is not None else None
            for key in amounts if isinstance(amounts, dict) else ():
                if isinstance(key, str):
                    site = _Site(
                        f"{prefix}inducement.{key}", INDUCEMENT, (*path, f.name, key), True
                    )
                    out.append(site)
        elif f.kind == "list":
            items = data.get(f.name) if data is not None else None
            if isinstance(items, list) and items:
                for i, item in enumerate(items):
                    if isinstance(item, dict) and isinstance(item.get("name"), str):
                        _walk_sites(
                            f.cls,
                            item,
                            (*path, f.name, i),  # type: ignore[arg-type]
                            f"{prefix}{f.name}.{item['name']}.",
                            out,
                        )
            else:
                for item in f.default:
                    _walk_sites(
                        f.cls,
                        None,
                        (*path, f.name),  # type: ignore[arg-type]
                        f"{prefix}{f.name}.{item.name}.",
                        out,
                    )


def _sites(doc: dict[str, Any]) -> list[_Site]:
    out: list[_Site] = []
    _walk_sites(NegotiationModel, doc.get("actors"), ("actors",), "", out)
    _walk_sites(DynamicsSettings, doc.get("dynamics"), ("dynamics",), "dynamics.", out)
    _walk_sites(BuyTimeSettings, doc.get("buy_time"), ("buy_time",), "buy_time.", out)
    offers = doc.get("offers")
    if isinstance(offers, dict):
        for name, body in offers.items():
            if _IDENT.match(name):
                _walk_sites(Offer, body, ("offers", name), f"offers.{name}.", out)
    return out


def _get(doc: Any, path: DocPath) -> Any:
    for part in path:
        doc = doc[part]
    return doc


def _set(doc: Any, path: DocPath, value: Any) -> None:
    _get(doc, path[:-1])[path[-1]] = value


def _is_number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


class _Checker:
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

    # ------------------------------------------------------------------ step 5
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


def _simulated(name: str) -> bool:
    """Whether the multi-period simulation draws ``name`` per run."""
    parts = name.split(".")
    if name in dynamics.READ_PARAMETERS:
        return True
    return parts[:2] == ["west", "governments"] and parts[-1] in dynamics.READ_GOVERNMENT


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


# ---------------------------------------------------------------------- messages
@lru_cache(maxsize=1)
def _homes() -> dict[str, tuple[str, ...]]:
    """Where each actor or offer key belongs, for keys written in the wrong section."""
    out: dict[str, list[str]] = {}

    def walk(cls: type, prefix: str) -> None:
        for f in field_kinds(cls):
            if f.kind == "section":
                walk(f.cls, f"{prefix}.{f.name}")  # type: ignore[arg-type]
            elif f.kind == "list":
                walk(f.cls, f"{prefix}.{f.name}[]")  # type: ignore[arg-type]
            elif not (cls is Offer and f.name == "name"):
                out.setdefault(f.name, []).append(prefix)

    walk(NegotiationModel, "actors")
    walk(Offer, "offers.<offer>")
    walk(DynamicsSettings, "dynamics")
    walk(BuyTimeSettings, "buy_time")
    return {key: tuple(paths) for key, paths in out.items()}


def _value_hint(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and not _is_number(value):
        return " (far too large)"
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            if re.search(r"[-+*/]", value) and not is_formula(value):
                return " (a formula must start with '=')"
            return ""
        return " (text, because of the quotes: write the number without quotes)"
    return ""


_TYPE_WORDS = {
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "string_type": "text",
    "list_type": "a list (items on lines starting with '- ', or [a, b])",
    "dict_type": "a mapping (key: value lines, or {key: value})",
    "model_type": "a mapping (key: value lines, or {key: value})",
    "model_attributes_type": "a mapping (key: value lines, or {key: value})",
    "finite_number": "a finite number",
    "literal_error": "one of",
}


def _bounds_text(info: Any) -> str:
    if info is None:
        return ""
    low = high = None
    low_open = high_open = False
    for meta in getattr(info, "metadata", ()):
        for attr, is_low, is_open in (
            ("ge", True, False),
            ("gt", True, True),
            ("le", False, False),
            ("lt", False, True),
        ):
            bound = getattr(meta, attr, None)
            if bound is None:
                continue
            if is_low:
                low, low_open = bound, is_open
            else:
                high, high_open = bound, is_open
    if low is None and high is None:
        return ""
    left = "(" if low_open or low is None else "["
    right = ")" if high_open or high is None else "]"
    return f" in {left}{_bound(low, '-inf')}, {_bound(high, 'inf')}{right}"


def _bound(value: Any, missing: str) -> str:
    if value is None:
        return missing
    if float(value).is_integer() and abs(value) < 1e16:
        return str(int(value))
    return f"{value:g}"


def _literal_choices(annotation: Any) -> list[str]:
    while get_origin(annotation) is list:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) is Literal:
        return [str(a) for a in get_args(annotation)]
    return []


def _generic_message(kind: str, err: Any, hit: Located, value: Any) -> tuple[str, str | None]:
    ctx = err.get("ctx") or {}
    got = show_value(value)
    note = f" ({hit.info.description})" if hit.info is not None and hit.info.description else ""
    if kind == "literal_error":
        choices = _literal_choices(hit.annotation) or re.findall(
            r"'([^']*)'", str(ctx.get("expected", ""))
        )
        return f"{got} is not allowed; choose one of {', '.join(choices)}", suggest(value, choices)
    if kind in ("union_tag_not_found", "union_tag_invalid"):
        if "analysis" in str(ctx.get("discriminator", "")):
            if isinstance(value, dict):
                present = [k for k in ANALYSIS_KINDS if k in value]
                if len(present) > 1:
                    return (
                        f"an analysis does one thing; found {', '.join(present)}: put each "
                        "in its own list item",
                        None,
                    )
                keys = [k for k in value if isinstance(k, str)]
                hint = next(
                    (suggest(k, ANALYSIS_KINDS) for k in keys if suggest(k, ANALYSIS_KINDS)), None
                )
                return (
                    f"an analysis needs exactly one of {', '.join(ANALYSIS_KINDS)}; found "
                    f"keys {', '.join(map(repr, keys)) or 'none'}",
                    hint,
                )
            return (f"an analysis is a mapping such as '- solve: offer_game'; got {got}", None)
        kinds = ("beta", "uniform", "normal")
        shown = value.get("distribution") if isinstance(value, dict) else value
        if not isinstance(value, dict):
            return (
                f"a distribution is a mapping such as '{{distribution: beta, mean: 0.3, "
                f"sd: 0.1}}'; got {got}",
                None,
            )
        return (
            f"needs 'distribution:' set to one of {', '.join(kinds)}; got {show_value(shown)}",
            suggest(shown, kinds),
        )
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        allowed = _bounds_text(hit.info).removeprefix(" in ")
        return f"{got} is outside the allowed range {allowed}{note}", None
    if kind in ("too_short", "too_long"):
        wanted = ctx.get("min_length") if kind == "too_short" else ctx.get("max_length")
        actual = ctx.get("actual_length")
        word = "at least" if kind == "too_short" else "at most"
        entries = "entry" if wanted == 1 else "entries"
        return f"needs {word} {wanted} {entries}; got {actual}{note}", None
    if kind == "string_too_short":
        return f"must not be empty{note}", None
    if kind == "string_too_long":
        return f"is longer than {ctx.get('max_length')} characters", None
    if kind == "string_pattern_mismatch":
        return (
            f"{got} is not a valid name: use letters, digits and _, not starting with a digit",
            None,
        )
    words = _TYPE_WORDS.get(kind)
    if words is not None:
        hint = _value_hint(value)
        if is_formula(value):
            hint = " (formulas are allowed only for parameter values under actors and offers)"
        elif kind in ("int_type", "int_from_float") and isinstance(value, float):
            hint = " (a whole number is written without a decimal point)"
        return f"must be {words}{_bounds_text(hit.info)}{note}; got {got}{hint}", None
    return f"{err.get('msg', 'invalid value')}; got {got}", None


# ---------------------------------------------------------------------- the pipeline
def _sort_key(p: Problem) -> tuple[Any, ...]:
    return (p.file, p.line if p.line is not None else 10**9, p.column or 0)


def _finish(problems: Iterable[Problem]) -> list[Problem]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for p in sorted(problems, key=_sort_key):
        key = (p.file, p.line, p.column, p.field, p.message)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _parse(text: str, source: str, base_dir: Path, chain: tuple[Path, ...]) -> Scenario:
    doc, where = _document(text, source, base_dir, chain)
    raw = copy.deepcopy(doc)
    checker = _Checker(doc, where, source)
    checker.substitute()
    checker.validate_schema()
    checker.check_references()
    if not checker.problems:
        scenario = checker.build(raw)
        if scenario is not None:
            return scenario
    raise ScenarioError(_finish(checker.problems))
