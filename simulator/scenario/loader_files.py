"""Reading a scenario file and resolving ``extends:`` (steps 1 and 2 of the loader).

Part of :mod:`simulator.scenario.loader`. The file is read bounded and as UTF-8 (a folder, a
FIFO or a device is refused); its YAML is read safely with positions
(:mod:`simulator.scenario.source`); ``extends:`` (a path relative to the file) names a parent
that is read the same way, and the child is merged over it. A cycle, a chain longer than
:data:`MAX_EXTENDS`, a parent outside the scenario's folder or the current folder, or an
unreadable parent is reported as a :class:`~simulator.scenario.errors.ScenarioError` at the
``extends`` line; locations keep naming the file each value came from.
"""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

from simulator.scenario.errors import Problem, ScenarioError
from simulator.scenario.source import (
    MAX_CHARS,
    DocPath,
    Location,
    SourceMap,
    format_path,
    merge_documents,
    read_document,
)

#: Longest chain of ``extends``.
MAX_EXTENDS = 10


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
