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

Steps 1 and 2 are in :mod:`simulator.scenario.loader_files`, the parameter sites in
:mod:`simulator.scenario.loader_sites`, steps 3 and 4 in :mod:`simulator.scenario.loader_checks`
(with the messages in :mod:`simulator.scenario.loader_messages`) and step 5 in
:mod:`simulator.scenario.loader_build`; this module holds the public functions and the pipeline.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from simulator.scenario.errors import Problem, ScenarioError
from simulator.scenario.loader_checks import _Checker
from simulator.scenario.loader_files import (
    MAX_EXTENDS,  # noqa: F401 - re-exported, as before the split
    _document,
    _read_file,
)
from simulator.scenario.loader_sites import _sites  # noqa: F401 - tests import it from here
from simulator.scenario.objects import Scenario

__all__ = ["load_scenario", "parse_scenario", "validate_scenario", "validate_text"]


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
