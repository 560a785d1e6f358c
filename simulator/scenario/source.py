"""Safe YAML reading that remembers where every key and value was written.

The text is composed into a YAML node tree with PyYAML's safe loader (``CSafeLoader``
when libyaml is installed, else ``SafeLoader``; never the full loader) and walked by hand, so that

* every mapping key and value gets its file, line and column (:class:`SourceMap`);
* only plain data is accepted: text, numbers, true/false, null, lists and mappings. Any
  other tag (``!!python/object/apply:...``, ``!custom``, ``!!binary``, dates) is a
  problem, so reading a file can never construct objects or run code;
* duplicate keys are problems instead of silently keeping the last value;
* documents are bounded in size, nesting depth and alias expansion ("billion laughs").

Plain scalars such as ``1e3`` that YAML 1.1 reads as text are read as numbers, as in
YAML 1.2 (PyYAML implements 1.1, where an exponent needs a dot and a sign).

Reference: *YAML Ain't Markup Language, version 1.2.2* (2021), sections 3.2 (the
representation graph) and 10.3 (the core schema).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from simulator.scenario.errors import Problem, ScenarioError

__all__ = [
    "DocPath",
    "Location",
    "SourceMap",
    "format_path",
    "merge_documents",
    "read_document",
]

DocPath = tuple[Any, ...]

#: Largest scenario text accepted (characters).
MAX_CHARS = 1_000_000
#: Deepest nesting of lists and mappings accepted.
MAX_DEPTH = 32
#: Most values a document may expand to (aliases included).
MAX_NODES = 200_000

_YAML = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_YAML + t for t in ("str", "int", "float", "bool", "null")}
_MAP_TAG = _YAML + "map"
_SEQ_TAG = _YAML + "seq"
_MERGE_TAG = _YAML + "merge"
# Plain scalars are read with the YAML 1.2 core schema, not PyYAML's YAML 1.1 one: "1:30" is
# text (not 90, base 60), "yes"/"on" are text (not true), "012" is twelve (not octal ten), and
# "1e3" is a number.
_NULL_12 = re.compile(r"^(~|null|Null|NULL|)$")
_BOOL_12 = re.compile(r"^(true|True|TRUE|false|False|FALSE)$")
_INT_12 = re.compile(r"^([-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT_12 = re.compile(
    r"^([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$"
)
#: PyYAML's YAML 1.1 resolver, to tell an inferred tag from one written in the file.
_IMPLICIT = yaml.resolver.Resolver()
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Location:
    """Where something is written: file, 1-based line and column.

    Attributes
    ----------
    file : str
        The file name, as given to :func:`read_document`.
    line, column : int or None
        1-based position; None where it is not known.
    """

    file: str
    line: int | None
    column: int | None


@dataclass
class SourceMap:
    """Locations of the values and keys of a document, by path (keys and list indices).

    Attributes
    ----------
    values : dict
        Document path (tuple of keys and list indices) -> :class:`Location` of the value
        written there.
    keys : dict
        Document path -> :class:`Location` of the key of that mapping entry.

    Examples
    --------
    >>> doc, where = read_document("a:\\n  b: [1, 2]\\n", "x.yaml")
    >>> where.value(("a", "b", 1))
    Location(file='x.yaml', line=2, column=10)
    >>> where.key(("a", "b")).line, where.value(("a", "missing")).line
    (2, 2)
    """

    values: dict[DocPath, Location] = field(default_factory=dict)
    keys: dict[DocPath, Location] = field(default_factory=dict)

    def value(self, path: DocPath) -> Location | None:
        """Location of the value at ``path``, or of its nearest written ancestor."""
        for end in range(len(path), -1, -1):
            found = self.values.get(tuple(path[:end]))
            if found is not None:
                return found
        return None

    def key(self, path: DocPath) -> Location | None:
        """Location of the key of the mapping entry at ``path`` (else of its value)."""
        return self.keys.get(tuple(path)) or self.value(path)


def format_path(path: DocPath) -> str:
    """A document path as a readable dotted field name.

    Parameters
    ----------
    path : tuple
        Keys and list indices from the document's root.

    Returns
    -------
    str
        Identifier keys joined by dots, list indices as ``[i]``, other keys as
        ``['key']``; ``""`` for the root.

    Examples
    --------
    >>> format_path(("actors", "west", "governments", 1, "weight"))
    'actors.west.governments[1].weight'
    >>> format_path(("analyses", 0, "sweep", "russia.war_cost", "steps"))
    "analyses[0].sweep['russia.war_cost'].steps"
    """
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _IDENT.match(str(part)):
            text += f".{part}" if text else str(part)
        else:
            text += f"[{str(part)!r}]"
    return text


def _tag_name(tag: str) -> str:
    return "!!" + tag[len(_YAML) :] if tag.startswith(_YAML) else tag


class _TooLarge(Exception):
    pass


class _Reader:
    """Walks a composed node tree into plain Python data, collecting problems."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.where = SourceMap()
        self.count = 0
        self.constructor = SafeConstructor()

    def location(self, node: yaml.Node) -> Location:
        mark = node.start_mark
        return Location(self.source, mark.line + 1, mark.column + 1)

    def problem(self, node: yaml.Node, path: DocPath, value: Any, message: str) -> None:
        loc = self.location(node)
        self.problems.append(
            Problem(loc.file, loc.line, loc.column, format_path(path), value, message)
        )

    def convert(self, node: yaml.Node, path: DocPath, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooLarge
        self.where.values[path] = self.location(node)
        if depth > MAX_DEPTH:
            self.problem(
                node,
                path,
                None,
                f"nested too deeply (more than {MAX_DEPTH} levels of lists "
                "and mappings); a scenario needs only a few levels",
            )
            return None
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                return self.bad_tag(node, path)
            return [self.convert(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            if node.tag != _MAP_TAG:
                return self.bad_tag(node, path)
            return self.mapping(node, path, depth)
        self.problem(node, path, None, "unsupported YAML content")  # pragma: no cover
        return None

    def bad_tag(self, node: yaml.Node, path: DocPath) -> None:
        tag = _tag_name(node.tag)
        hint = ""
        if node.tag == _YAML + "timestamp":
            hint = '; write dates as quoted text, e.g. "2022-03-29"'
        self.problem(
            node,
            path,
            tag,
            f"the tag {tag!r} is not allowed: a scenario file holds plain data only "
            f"(text, numbers, true/false, lists and mappings){hint}",
        )
        return None

    def scalar(self, node: yaml.ScalarNode, path: DocPath) -> Any:
        if node.tag not in _SCALAR_TAGS:
            return self.bad_tag(node, path)
        if not node.style and node.tag == _IMPLICIT.resolve(
            yaml.ScalarNode, node.value, (True, False)
        ):
            # a plain scalar whose tag YAML 1.1 inferred (none written): resolve it as 1.2 does
            return _core_schema(node.value)
        try:
            return self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            kind = _tag_name(node.tag)
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            self.problem(node, path, node.value, f"cannot read {node.value!r} as {kind}: {reason}")
            return None

    def mapping(self, node: yaml.MappingNode, path: DocPath, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_line: dict[str, int | None] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(
                    key_node, path, None, "keys must be plain names, not lists or mappings"
                )
                continue
            if key_node.tag == _MERGE_TAG:
                self.problem(
                    key_node,
                    path,
                    "<<",
                    "YAML merge keys ('<<') are not supported; use 'extends:' to start from "
                    "another scenario file",
                )
                continue
            if key_node.tag not in _SCALAR_TAGS:
                self.bad_tag(key_node, path)
                continue
            # Keys are read as the text written, so 'no:' or '1:' stay names, not false or 1.
            key = key_node.value
            key_path = (*path, key)
            key_loc = self.location(key_node)
            if key in out:
                self.problems.append(
                    Problem(
                        key_loc.file,
                        key_loc.line,
                        key_loc.column,
                        format_path(key_path),
                        key,
                        f"duplicate key {key!r} (first given on line {first_line[key]}); "
                        "give each key once",
                    )
                )
                continue
            first_line[key] = key_loc.line
            self.where.keys[key_path] = key_loc
            out[key] = self.convert(value_node, key_path, depth + 1)
        return out


def _syntax_problem(exc: yaml.YAMLError, text: str, source: str) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = column = None
    if mark is not None:
        line, column = mark.line + 1, mark.column + 1
    elif isinstance(getattr(exc, "position", None), int):
        position = exc.position  # type: ignore[attr-defined]
        line = text.count("\n", 0, position) + 1
        column = position - (text.rfind("\n", 0, position) + 1) + 1
    problem = getattr(exc, "problem", None) or getattr(exc, "reason", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"YAML syntax error: {problem}"
    if context:
        message += f" ({context})"
    if "\\t" in str(problem) or "'\\t'" in message:
        message += "; indent with spaces, not tabs"
    elif "mapping values are not allowed" in str(problem):
        message += "; check the indentation and put quotes around text containing ': '"
    return Problem(source, line, column, "", None, message)


class _TooDeep(Exception):
    pass


def _core_schema(text: str) -> Any:
    """A plain scalar's value under the YAML 1.2 core schema.

    Examples
    --------
    >>> [_core_schema(t) for t in ("1:30", "yes", "012", "0x1f", "1e3", "true", "~")]
    ['1:30', 'yes', 12, 31, 1000.0, True, None]
    """
    if _NULL_12.match(text):
        return None
    if _BOOL_12.match(text):
        return text.lower() == "true"
    if _INT_12.match(text):
        if text.startswith(("0o", "0x")):
            return int(text[2:], 8 if text[1] == "o" else 16)
        return int(text)
    if _FLOAT_12.match(text):
        return float(
            text.replace(".inf", "inf")
            .replace(".Inf", "inf")
            .replace(".INF", "inf")
            .replace(".nan", "nan")
            .replace(".NaN", "nan")
            .replace(".NAN", "nan")
        )
    return text


def _compose(text: str) -> yaml.Node | None:
    """The node tree of ``text``, with libyaml's fast safe parser when it is installed."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is None:  # pragma: no cover - PyYAML without libyaml
        return yaml.compose(text, Loader=yaml.SafeLoader)
    try:
        return yaml.compose(text, Loader=fast)
    except yaml.YAMLError as exc:
        if "maximum nesting depth" in str(exc):
            raise _TooDeep from None
        # The pure-Python parser words its errors more precisely (it names the character
        # or alias at fault), so let it report the problem.
        yaml.compose(text, Loader=yaml.SafeLoader)
        raise


def read_document(text: str, source: str) -> tuple[dict[str, Any], SourceMap]:
    """Read YAML text as plain data with a :class:`SourceMap`, or raise ScenarioError.

    Parameters
    ----------
    text : str
        The YAML text.
    source : str
        The file name to report in problems.

    Returns
    -------
    document : dict
        The YAML as plain data (mappings, lists, text, numbers, booleans, None).
    where : SourceMap
        The location of every value and key.

    Raises
    ------
    ScenarioError
        If the text is not text, over 1,000,000 characters, not valid YAML, nested too
        deeply, expands to too many values, uses a tag or construct that is not plain
        data, is empty, or is not a mapping (problems in the values are all listed).

    Examples
    --------
    >>> doc, where = read_document("title: War\\nseed: 1e3\\n", "s.yaml")
    >>> doc
    {'title': 'War', 'seed': 1000.0}
    >>> read_document("x: !!python/object/apply:os.system [ls]", "s.yaml")
    Traceback (most recent call last):
    ...
    simulator.scenario.errors.ScenarioError: s.yaml:1:4: x: the tag '!!python/object/apply...
    """
    if not isinstance(text, str):
        raise ScenarioError([Problem(source, None, None, "", None, "the scenario must be text")])
    if len(text) > MAX_CHARS:
        raise ScenarioError(
            [Problem(source, None, None, "", None, f"the file is over {MAX_CHARS} characters")]
        )
    try:
        root = _compose(text)
    except yaml.YAMLError as exc:
        raise ScenarioError([_syntax_problem(exc, text, source)]) from None
    except (RecursionError, _TooDeep):
        raise ScenarioError(
            [Problem(source, None, None, "", None, "the document is nested too deeply")]
        ) from None
    if root is None:
        raise ScenarioError(
            [
                Problem(
                    source,
                    1,
                    1,
                    "",
                    None,
                    "the scenario is empty; it needs a 'title' and at least one entry under "
                    "'offers'",
                )
            ]
        )
    reader = _Reader(source)
    try:
        doc = reader.convert(root, (), 0)
    except (_TooLarge, RecursionError):
        raise ScenarioError(
            [
                Problem(
                    source,
                    1,
                    1,
                    "",
                    None,
                    f"the document expands to more than {MAX_NODES} values (aliases included)",
                )
            ]
        ) from None
    if reader.problems:
        raise ScenarioError(reader.problems)
    if not isinstance(doc, dict):
        loc = reader.location(root)
        raise ScenarioError(
            [
                Problem(
                    loc.file,
                    loc.line,
                    loc.column,
                    "",
                    doc,
                    "a scenario file must be a mapping of keys such as 'title:' and 'offers:'; "
                    f"found {type(doc).__name__ if doc is not None else 'nothing'}",
                )
            ]
        )
    return doc, reader.where


def _merge(base: Any, child: Any) -> Any:
    if isinstance(base, dict) and isinstance(child, dict):
        out = dict(base)
        for key, value in child.items():
            out[key] = _merge(base[key], value) if key in base else value
        return out
    return child


def merge_documents(
    base: Mapping[str, Any], base_map: SourceMap, child: Mapping[str, Any], child_map: SourceMap
) -> tuple[dict[str, Any], SourceMap]:
    """Merge ``child`` over ``base``: mappings merge key by key, anything else is replaced.

    Locations follow the values, so a problem in an inherited value names the parent file.

    Parameters
    ----------
    base, child : mapping
        The parent document and the one that overrides it (neither is changed).
    base_map, child_map : SourceMap
        Their locations, from :func:`read_document`.

    Returns
    -------
    document : dict
        The merged document.
    where : SourceMap
        The location of every value and key of it, in the file it came from.

    Examples
    --------
    >>> base, bmap = read_document("a: {x: 1, y: 2}\\nl: [1, 2]\\n", "base.yaml")
    >>> child, cmap = read_document("a: {y: 3}\\nl: [9]\\n", "child.yaml")
    >>> doc, where = merge_documents(base, bmap, child, cmap)
    >>> doc
    {'a': {'x': 1, 'y': 3}, 'l': [9]}
    >>> where.value(("a", "x")).file, where.value(("a", "y")).file
    ('base.yaml', 'child.yaml')
    """
    merged = _merge(dict(base), dict(child))
    where = SourceMap()

    def walk(value: Any, path: DocPath) -> None:
        for source in (child_map, base_map):
            if path in source.values:
                where.values[path] = source.values[path]
                break
        for source in (child_map, base_map):
            if path in source.keys:
                where.keys[path] = source.keys[path]
                break
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, (*path, key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, (*path, i))

    walk(merged, ())
    return merged, where
