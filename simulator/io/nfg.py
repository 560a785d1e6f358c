"""Read and write Gambit's strategic-form ``.nfg`` files.

The format is described in the Gambit manual, "Game representation formats"
(The Gambit Project; McKelvey, McLennan and Turocy, *Gambit: Software Tools for
Game Theory*). A file is a prologue followed by the payoffs::

    NFG 1 R "title" { "Player 1" "Player 2" }
    { { "C" "D" } { "C" "D" } }        <- strategy labels, or counts: { 2 2 }
    "optional comment"
    3 3  0 5  5 0  1 1                 <- payoff-list version

or, in the outcome version, a block of outcomes followed by one outcome number
per strategy profile (``0`` is the null outcome, all payoffs zero)::

    { { "both cooperate" 3, 3 } { "" 0, 5 } { "" 5, 0 } { "" 1, 1 } }
    1 2 3 4

Strategy profiles are listed with the *first* player's strategy changing
fastest. Whitespace is insignificant outside double quotes; a quote inside a
label is escaped as ``\\"``. Payoffs may be integers, decimals (``7.32``,
``1.5e3``) or rationals (``3/2``); ``R`` and ``D`` in the header are accepted
alike. This module is an independent implementation written from that
description.

Labels that repeat within a list (Gambit allows ``{ "" "" }``) cannot identify
players or strategies, so in such a list the repeats and the empty labels are
replaced by default names (``"Player 2"``, ``"2"``). Lists with unique labels,
including every list written by :func:`format_nfg`, are kept verbatim.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from simulator.games.normal_form import NormalFormGame
from simulator.io._text import (
    EOF,
    TOKEN,
    GameFileError,
    atomic_write_text,
    first_inexact_integer,
    format_payoffs,
    inexact_message,
    location,
    plural,
    quote,
    read_text,
    shorten,
    unique_labels,
    unquote,
)

__all__ = [
    "NfgFormatError",
    "NfgDocument",
    "parse_nfg",
    "parse_nfg_exact",
    "parse_nfg_document",
    "read_nfg",
    "read_nfg_fractions",
    "read_nfg_document",
    "format_nfg",
    "write_nfg",
]


class NfgFormatError(GameFileError):
    """A malformed ``.nfg`` file; ``path``, ``line``, ``column`` and ``reason`` as in
    :class:`~simulator.io._text.GameFileError`.

    Examples
    --------
    >>> err = NfgFormatError("expected '{'", path="g.nfg", line=3, column=5)
    >>> str(err), err.line
    ("g.nfg, line 3, column 5: expected '{'", 3)
    """


@dataclass(frozen=True)
class NfgDocument:
    """Everything an ``.nfg`` file holds.

    Attributes
    ----------
    game : NormalFormGame
        The game, with float payoffs.
    comment : str
        The optional comment string after the strategies (``""`` if absent).
    outcome_form : bool
        True if the payoffs were given as outcomes, False for a payoff list.
    exact_payoffs : numpy.ndarray or None
        Object array of :class:`fractions.Fraction`, shaped like ``game.payoffs``,
        holding the payoffs exactly as written (``0.1`` is ``1/10``); only filled
        when requested, since building it costs more than the parse itself.
    """

    game: NormalFormGame
    comment: str
    outcome_form: bool
    exact_payoffs: np.ndarray | None = None


_INTEGER = re.compile(r"[+-]?\d+\Z")


class _Parser:
    """Recursive-descent reader over a pre-tokenised file."""

    def __init__(self, text: str, source: str | None) -> None:
        self.text = text
        self.source = source
        matches = list(TOKEN.finditer(text))
        self.kinds = [m.lastgroup or "" for m in matches]
        self.values = [m.group(m.lastgroup or 0) for m in matches]
        self.starts = [m.start(m.lastgroup or 0) for m in matches]
        self.pos = 0
        self.num_players = 0
        # Token index of each payoff text returned by ``body`` (-1: the null outcome's zeros).
        self.payoff_tokens: Sequence[int] = ()

    # -- location and errors
    def error_at(self, index: int, reason: str) -> NfgFormatError:
        if index < len(self.starts):
            offset = self.starts[index]
        elif self.starts:  # end of file: point just past the last token
            offset = self.starts[-1] + len(self.values[-1])
        else:
            offset = len(self.text)
        line, column = location(self.text, offset)
        return NfgFormatError(reason, self.source, line, column)

    def describe(self, index: int) -> str:
        if index >= len(self.kinds):
            return "the end of the file"
        return repr(shorten(self.values[index]))

    def expected(self, what: str, index: int | None = None) -> NfgFormatError:
        index = self.pos if index is None else index
        if index < len(self.kinds) and self.kinds[index] == "open":
            return self.error_at(index, "unterminated string: this quote is never closed")
        return self.error_at(index, f"expected {what}, found {self.describe(index)}")

    # -- primitives
    def peek(self) -> str:
        return self.kinds[self.pos] if self.pos < len(self.kinds) else EOF

    def peek_value(self) -> str:
        return self.values[self.pos] if self.pos < len(self.values) else ""

    def take(self, kind: str, what: str, value: str | None = None) -> str:
        if self.peek() != kind or (value is not None and self.values[self.pos] != value):
            raise self.expected(what)
        self.pos += 1
        return self.values[self.pos - 1]

    def take_string(self, what: str) -> str:
        return unquote(self.take("str", what))

    def take_count(self, what: str, minimum: int) -> int:
        index = self.pos
        text = self.take("num", what)
        if not _INTEGER.match(text) or int(text) < minimum:
            raise self.error_at(index, f"expected {what}, found {text!r}")
        return int(text)

    def at_brace(self, brace: str) -> bool:
        return self.peek() == "brace" and self.values[self.pos] == brace

    # -- grammar
    def header(self) -> str:
        if not self.kinds:
            raise NfgFormatError(
                "the file is empty; an .nfg file starts with 'NFG 1 R'", self.source, 1, 1
            )
        first = self.peek_value()
        if first != "NFG":
            hint = " (EFG files are extensive-form games)" if first.upper() == "EFG" else ""
            raise self.error_at(
                0, f"unknown header {self.describe(0)}: expected 'NFG' at the start{hint}"
            )
        self.pos = 1
        index = self.pos
        version = self.take("num", "the version number 1 after 'NFG'")
        if version != "1":
            raise self.error_at(index, f"unsupported NFG version {version!r}; only 1 exists")
        if self.peek() != "word" or self.peek_value() not in ("R", "D"):
            raise self.expected("'R' or 'D' after 'NFG 1'")
        self.pos += 1
        return self.take_string("the game title in double quotes")

    def string_list(self, what: str) -> list[str]:
        self.take("brace", f"'{{' to open the list of {what}", "{")
        labels = []
        while not self.at_brace("}"):
            labels.append(self.take_string(f"a quoted label or '}}' closing the list of {what}"))
        self.pos += 1
        return labels

    def strategies(self, num_players: int) -> tuple[list[int], list[list[str]] | None]:
        self.take("brace", "'{' to open the strategies (labels or counts)", "{")
        if self.peek() == "num":  # counts form: { 2 3 }
            counts = []
            while not self.at_brace("}"):
                if len(counts) == num_players:
                    raise self.expected(f"'}}' after {plural(num_players, 'strategy count')}")
                counts.append(self.take_count("a positive strategy count", 1))
            self.check_players(len(counts), "strategy counts")
            self.pos += 1
            return counts, None
        lists: list[list[str]] = []
        while not self.at_brace("}"):
            if len(lists) == num_players:
                raise self.expected(
                    f"'}}' after {plural(num_players, 'strategy list')} (one per player)"
                )
            index = self.pos
            labels = self.string_list("strategies")
            if not labels:
                raise self.error_at(index, f"player {len(lists) + 1} has no strategies")
            lists.append(labels)
        self.check_players(len(lists), "strategy lists")
        self.pos += 1
        return [len(labels) for labels in lists], lists

    def check_players(self, found: int, what: str) -> None:
        expected = self.num_players
        if found != expected:
            raise self.error_at(
                self.pos,
                f"expected {expected} {what} (one per player), found {found} before '}}'",
            )

    def numbers(self, count: int, what: str, item: str) -> tuple[int, list[str]]:
        """The next ``count`` number tokens; errors say how many were expected and found."""
        start = self.pos
        chunk = self.kinds[start : start + count]
        if len(chunk) == count and chunk.count("num") == count:
            self.pos += count
            return start, self.values[start : start + count]
        found = 0
        while found < len(chunk) and chunk[found] == "num":
            found += 1
        if start + found >= len(self.kinds):
            raise self.error_at(
                start + found,
                f"expected {count} {what}, found only {found} before the end of the file",
            )
        bad = start + found
        if self.kinds[bad] == "open":
            raise self.expected(item, bad)
        raise self.error_at(
            bad,
            f"expected {item}, found {self.describe(bad)} (after {found} of the {count} {what})",
        )

    def body(self, shape: Sequence[int]) -> tuple[bool, np.ndarray, list[str]]:
        """Whether outcomes are used, the payoff texts, and a table of text indices.

        Row ``p`` of the table holds the indices (into the texts) of the payoffs of
        profile number ``p`` in the file's order.
        """
        if self.at_brace("{"):
            return (True, *self.outcomes(shape))
        num_players = len(shape)
        profiles = int(np.prod(shape))
        what = f"payoffs ({plural(num_players, 'player')} x {plural(profiles, 'strategy profile')})"
        start, texts = self.numbers(num_players * profiles, what, "a number for a payoff")
        if self.peek() == "num":
            raise self.error_at(
                self.pos, f"more numbers than the {num_players * profiles} {what} expected"
            )
        self.payoff_tokens = range(start, start + len(texts))
        return False, np.arange(len(texts)).reshape(profiles, num_players), texts

    def outcomes(self, shape: Sequence[int]) -> tuple[np.ndarray, list[str]]:
        num_players = len(shape)
        self.pos += 1
        texts = ["0"] * num_players  # slot 0: the null outcome
        starts = [-1] * num_players
        count = 0
        while not self.at_brace("}"):
            opening = self.pos
            self.take("brace", "'{' opening an outcome or '}' closing the outcome list", "{")
            count += 1
            self.take_string(f"the label of outcome {count} in double quotes")
            payoffs = []
            while not self.at_brace("}"):
                if self.peek() == "comma":
                    self.pos += 1
                    continue
                if self.peek() != "num":
                    raise self.expected(f"a number for a payoff in outcome {count}")
                payoffs.append(self.pos)
                self.pos += 1
            self.pos += 1
            if len(payoffs) != num_players:
                raise self.error_at(
                    opening,
                    f"outcome {count} has {plural(len(payoffs), 'payoff')}; expected {num_players} "
                    "(one per player)",
                )
            texts.extend(self.values[k] for k in payoffs)
            starts.extend(payoffs)
        self.pos += 1
        profiles = int(np.prod(shape))
        first, numbers = self.numbers(
            profiles, "outcome numbers (one per strategy profile)", "an outcome number"
        )
        chosen = np.empty(profiles, dtype=np.intp)
        for offset, text in enumerate(numbers):
            if not _INTEGER.match(text) or not 0 <= int(text) <= count:
                raise self.error_at(
                    first + offset,
                    f"outcome number {text!r} is out of range: expected an integer from 0 "
                    f"(null outcome) to {count} (the number of outcomes)",
                )
            chosen[offset] = int(text)
        if self.peek() == "num":
            raise self.error_at(self.pos, f"more outcome numbers than the {profiles} profiles")
        self.payoff_tokens = starts
        return chosen[:, None] * num_players + np.arange(num_players), texts

    def finish(self) -> None:
        if self.pos < len(self.kinds):
            raise self.expected("the end of the file after the payoffs")


def _float_values(texts: Sequence[str]) -> np.ndarray:
    """Correctly rounded floats of number tokens (rationals via exact division)."""
    return np.array([float(Fraction(t)) if "/" in t else float(t) for t in texts], dtype=float)


def parse_nfg_document(text: str, source: str | None = None, exact: bool = False) -> NfgDocument:
    """Parse the text of an ``.nfg`` file into an :class:`NfgDocument`.

    Parameters
    ----------
    text : str
        The file contents.
    source : str, optional
        File name used in error messages.
    exact : bool, default False
        Also build ``exact_payoffs`` as :class:`fractions.Fraction` values.

    Returns
    -------
    NfgDocument
        The game (float payoffs), the comment, whether the file used the outcome version,
        and the exact payoffs when ``exact`` is true (else ``None``).

    Raises
    ------
    NfgFormatError
        With the line and column of the first problem.

    Examples
    --------
    >>> doc = parse_nfg_document('NFG 1 R "t" { "A" "B" } { 1 2 } "note" 1 2 3 4', exact=True)
    >>> doc.comment, doc.outcome_form, doc.exact_payoffs[0, 1].tolist()
    ('note', False, [Fraction(3, 1), Fraction(4, 1)])
    """
    parser = _Parser(text, source)
    title = parser.header()
    parser.take("brace", "'{' to open the list of player names", "{")
    names = []
    while not parser.at_brace("}"):
        names.append(parser.take_string("a quoted player name or '}'"))
    if not names:
        raise parser.error_at(parser.pos, "the game has no players: list at least one name")
    parser.pos += 1
    parser.num_players = len(names)
    shape, labels = parser.strategies(len(names))
    comment = parser.take_string("the comment") if parser.peek() == "str" else ""
    if parser.peek() == EOF:
        raise parser.expected("the payoffs (a list of numbers or a '{' block of outcomes)")
    outcome_form, table, texts = parser.body(shape)
    parser.finish()

    try:
        floats = _float_values(texts)
    except ZeroDivisionError:
        bad = next(k for k, t in enumerate(texts) if "/" in t and Fraction(t.split("/")[1]) == 0)
        raise parser.error_at(
            parser.payoff_tokens[bad], f"division by zero in the payoff {texts[bad]!r}"
        ) from None
    if not np.all(np.isfinite(floats)):
        bad = int(np.flatnonzero(~np.isfinite(floats))[0])
        raise parser.error_at(
            parser.payoff_tokens[bad], f"the payoff {texts[bad]!r} is too large for a float"
        )
    inexact = first_inexact_integer(texts)
    if inexact is not None:
        raise parser.error_at(parser.payoff_tokens[inexact], inexact_message(texts[inexact]))

    num_players = len(names)
    full_shape = (*shape, num_players)
    # Profiles run with the first player's strategy fastest: Fortran order on the profile axes.
    payoffs = floats[table].reshape(full_shape, order="F")
    players = unique_labels(names, lambda k: f"Player {k + 1}")
    strategies = (
        [[str(k + 1) for k in range(n)] for n in shape]
        if labels is None
        else [unique_labels(lab, lambda k: str(k + 1)) for lab in labels]
    )
    game = NormalFormGame(payoffs, players, strategies, title)
    exact_payoffs = None
    if exact:
        fractions = np.empty(len(texts), dtype=object)
        fractions[:] = [Fraction(t) for t in texts]
        exact_payoffs = fractions[table].reshape(full_shape, order="F")
    return NfgDocument(game, comment, outcome_form, exact_payoffs)


def parse_nfg(text: str, source: str | None = None) -> NormalFormGame:
    """Parse the text of a Gambit ``.nfg`` file into a game.

    Parameters
    ----------
    text : str
        The file contents.
    source : str, optional
        File name used in error messages.

    Returns
    -------
    NormalFormGame
        The game, with float payoffs.

    Raises
    ------
    NfgFormatError
        With the line and column of the first problem.

    Examples
    --------
    >>> g = parse_nfg('NFG 1 R "PD" { "Row" "Col" } { { "C" "D" } { "C" "D" } } '
    ...               '3 3  5 0  0 5  1 1')
    >>> g.payoff(("D", "C"))
    array([5., 0.])
    """
    return parse_nfg_document(text, source).game


def parse_nfg_exact(text: str, source: str | None = None) -> tuple[NormalFormGame, np.ndarray]:
    """Parse a game and its payoffs as exact :class:`fractions.Fraction` values.

    Parameters
    ----------
    text : str
        The file contents.
    source : str, optional
        File name used in error messages.

    Returns
    -------
    game : NormalFormGame
        The game, with float payoffs.
    exact : numpy.ndarray
        Object array of :class:`fractions.Fraction`, shaped like ``game.payoffs``: the
        payoffs exactly as written (``0.1`` is ``1/10``).

    Raises
    ------
    NfgFormatError
        With the line and column of the first problem.

    Examples
    --------
    >>> g, exact = parse_nfg_exact('NFG 1 R "" { "A" "B" } { 1 1 } 1/3 0.1')
    >>> exact[0, 0].tolist()
    [Fraction(1, 3), Fraction(1, 10)]
    """
    doc = parse_nfg_document(text, source, exact=True)
    assert doc.exact_payoffs is not None
    return doc.game, doc.exact_payoffs


def read_nfg_document(path: str | os.PathLike[str], exact: bool = False) -> NfgDocument:
    """Read an ``.nfg`` file into an :class:`NfgDocument` (game, comment, exact payoffs).

    Parameters
    ----------
    path : path-like
        The file to read, UTF-8 (a leading byte-order mark is dropped).
    exact : bool, default False
        Also build ``exact_payoffs`` as :class:`fractions.Fraction` values.

    Returns
    -------
    NfgDocument
        As :func:`parse_nfg_document` returns it for the file's text.

    Raises
    ------
    NfgFormatError
        If the file is malformed or not UTF-8 (the message gives line and column).
    OSError
        If the file cannot be read.

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = os.path.join(d, "g.nfg")
    ...     _ = open(p, "w").write('NFG 1 R "" { "A" } { 2 } "why" 1 2')
    ...     read_nfg_document(p).comment
    'why'
    """
    text, name = read_text(path, NfgFormatError)
    return parse_nfg_document(text, name, exact)


def read_nfg(path: str | os.PathLike[str]) -> NormalFormGame:
    """Read a Gambit ``.nfg`` file.

    Parameters
    ----------
    path : path-like
        The file to read, UTF-8 (a leading byte-order mark is dropped).

    Returns
    -------
    NormalFormGame
        The game, with float payoffs.

    Raises
    ------
    NfgFormatError
        If the file is malformed or not UTF-8 (the message gives line and column).
    OSError
        If the file cannot be read.

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = os.path.join(d, "g.nfg")
    ...     _ = open(p, "w").write('NFG 1 R "MP" { "A" "B" } { 2 2 } 1 -1 -1 1 -1 1 1 -1')
    ...     read_nfg(p).payoff_matrix(0)
    array([[ 1., -1.],
           [-1.,  1.]])
    """
    return read_nfg_document(path).game


def read_nfg_fractions(path: str | os.PathLike[str]) -> np.ndarray:
    """The payoffs of an ``.nfg`` file as an object array of exact Fractions.

    The array has the game's payoff shape ``(n_1, ..., n_N, N)``; decimals are read
    as the rationals they denote (``0.1`` is ``1/10``), for exact certification.

    Parameters
    ----------
    path : path-like
        The file to read, UTF-8 (a leading byte-order mark is dropped).

    Returns
    -------
    numpy.ndarray
        Object array of :class:`fractions.Fraction`, shape ``(n_1, ..., n_N, N)``.

    Raises
    ------
    NfgFormatError
        If the file is malformed or not UTF-8 (the message gives line and column).
    OSError
        If the file cannot be read.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     game = pathlib.Path(folder) / "g.nfg"
    ...     _ = game.write_text('NFG 1 R "" { "A" } { 2 } 3/2 0.25')
    ...     read_nfg_fractions(game)[:, 0].tolist()
    [Fraction(3, 2), Fraction(1, 4)]
    """
    doc = read_nfg_document(path, exact=True)
    assert doc.exact_payoffs is not None
    return doc.exact_payoffs


# ---------------------------------------------------------------------- writer
def format_nfg(game: NormalFormGame, comment: str = "") -> str:
    """Render ``game`` as an ``.nfg`` file in the payoff-list version.

    Integers and simple fractions are written exactly (``3``, ``0.25``, ``1/3``);
    other payoffs use Python's shortest round-tripping float text. Each line of
    payoffs holds the profiles along which the first player's strategy varies.

    Parameters
    ----------
    game : NormalFormGame
        The game to render.
    comment : str
        The file's comment line (written quoted, ``""`` when empty).

    Returns
    -------
    str
        The file's text, ending with a newline.

    Examples
    --------
    >>> g = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...     players=["Row", "Col"], strategies=[["C", "D"], ["C", "D"]], title="PD")
    >>> print(format_nfg(g, comment="a classic"))
    NFG 1 R "PD" { "Row" "Col" }
    { { "C" "D" }
      { "C" "D" }
    }
    "a classic"
    <BLANKLINE>
    3 3 5 0
    0 5 1 1
    <BLANKLINE>
    """
    n = game.num_players
    shape = game.shape
    players = " ".join(quote(p.name) for p in game.players)
    strategy_lines = [
        "{ " + " ".join(quote(s) for s in labels) + " }" for labels in game.strategy_labels
    ]
    lines = [
        f"NFG 1 R {quote(game.title)} {{ {players} }}",
        "{ " + "\n  ".join(strategy_lines),
        "}",
        quote(comment),
        "",
    ]
    # Fortran order over profiles: the first player's strategy changes fastest.
    by_profile = np.asarray(game.payoffs).reshape(-1, n, order="F")
    texts = format_payoffs(by_profile)
    per_line = shape[0] * n
    lines.extend(" ".join(texts[k : k + per_line]) for k in range(0, len(texts), per_line))
    return "\n".join(lines) + "\n"


def write_nfg(game: NormalFormGame, path: str | os.PathLike[str], comment: str = "") -> None:
    """Write ``game`` to ``path`` atomically (temporary file, then :func:`os.replace`).

    A reader never sees a half-written file, and an existing file is left intact
    if writing fails.

    Parameters
    ----------
    game : NormalFormGame
        The game to write.
    path : path-like
        The target file; its folder must exist.
    comment : str
        The file's comment line.

    Raises
    ------
    OSError
        If the file cannot be written.

    Examples
    --------
    >>> import tempfile, os
    >>> g = NormalFormGame.from_bimatrix([[1, -1], [-1, 1]], title="MP")
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = os.path.join(d, "mp.nfg")
    ...     write_nfg(g, p)
    ...     read_nfg(p) == g
    True
    """
    atomic_write_text(path, format_nfg(game, comment))
