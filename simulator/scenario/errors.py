"""Problems found in a scenario file, and the exception that carries all of them.

A scenario file is written by hand, often by someone who is not a programmer, so every
problem names the file, the line, the field (as a dotted path), the bad value and what
would be allowed, with a "did you mean ...?" suggestion when a name looks misspelt.
Validation collects every problem before raising, so one run of ``simulator validate``
lists everything to fix.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from simulator.errors import SimulatorError

__all__ = ["Problem", "ScenarioError", "suggest", "show_value"]

#: Problems beyond this many are summarised in one line by ``str(ScenarioError)``.
MAX_SHOWN = 50


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario file.

    Attributes
    ----------
    file : str
        The file where the bad value is written (a parent file for inherited values).
    line, column : int or None
        1-based position of the bad value or key, when known.
    field : str
        Dotted path of the value in the document, e.g. ``actors.russia.war_cost``.
    value : Any
        The offending value (or key), as read.
    message : str
        What is wrong and what is allowed.
    suggestion : str or None
        A likely intended name, for misspellings.

    Examples
    --------
    >>> p = Problem("s.yaml", 4, 5, "actors.russia.war_cst", "war_cst",
    ...             "unknown key 'war_cst'", "war_cost")
    >>> str(p)
    "s.yaml:4:5: actors.russia.war_cst: unknown key 'war_cst' (did you mean 'war_cost'?)"
    """

    file: str
    line: int | None
    column: int | None
    field: str
    value: Any
    message: str
    suggestion: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: {self.field}: " if self.field else f"{where}: "
        text += self.message
        if self.suggestion:
            text += f" (did you mean {self.suggestion!r}?)"
        return text


class ScenarioError(SimulatorError, ValueError):
    """A scenario file could not be read; ``problems`` lists everything wrong with it.

    Examples
    --------
    >>> err = ScenarioError([Problem("a.yaml", 1, 1, "title", None, "missing required key")])
    >>> print(err)
    a.yaml:1:1: title: missing required key
    >>> len(err.problems)
    1
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__(self._text())

    def _text(self) -> str:
        if not self.problems:
            return "invalid scenario"
        lines = [str(p) for p in self.problems[:MAX_SHOWN]]
        if len(self.problems) > MAX_SHOWN:
            lines.append(f"... and {len(self.problems) - MAX_SHOWN} more problems")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self._text()


def suggest(word: Any, candidates: Iterable[str]) -> str | None:
    """The candidate closest to a misspelt ``word``, or None when nothing is close.

    Closeness is the Ratcliff/Obershelp similarity of :mod:`difflib` (Ratcliff & Metzener,
    "Pattern matching: the gestalt approach", *Dr. Dobb's Journal*, 1988) with cutoff 0.6,
    then a match ignoring case, spaces and hyphens.

    Parameters
    ----------
    word : object
        The word as written; anything but text gets no suggestion.
    candidates : iterable of str
        The valid words (entries that are not text are skipped).

    Returns
    -------
    str or None
        The closest candidate, or None.

    Examples
    --------
    >>> suggest("war_cots", ["war_cost", "capability"])
    'war_cost'
    >>> suggest("xyz", ["war_cost"]) is None
    True
    """
    if not isinstance(word, str):
        return None
    options = [c for c in candidates if isinstance(c, str)]
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if close:
        return close[0]
    folded = {c.lower().replace("-", "_").replace(" ", "_"): c for c in options}
    return folded.get(word.lower().replace("-", "_").replace(" ", "_"))


def show_value(value: Any, limit: int = 60) -> str:
    """A short, readable rendering of a value for an error message.

    Parameters
    ----------
    value : object
        The value as read from a scenario.
    limit : int
        Longest rendering: a longer ``repr`` is cut to ``limit - 3`` characters and
        ``"..."``.

    Returns
    -------
    str
        ``"nothing (an empty value)"`` for None, ``"a mapping"`` or ``"a list"`` for
        those, ``"true"``/``"false"`` for booleans, the digit count of an integer beyond
        ``10**15``, else the ``repr``.

    Examples
    --------
    >>> show_value("abc"), show_value(1.5), show_value(None), show_value({"a": 1})
    ("'abc'", '1.5', 'nothing (an empty value)', 'a mapping')
    """
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) and abs(value) > 10**15:
        return f"a number with about {int(value.bit_length() * 0.30103) + 1} digits"
    text = repr(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text
