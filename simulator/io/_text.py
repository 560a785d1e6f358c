"""Text pieces shared by the ``.nfg`` and ``.efg`` readers and writers.

Both of Gambit's file formats (The Gambit Project, "Game representation formats",
*Gambit: Software Tools for Game Theory*, McKelvey, McLennan and Turocy) split into
the same tokens: double-quoted strings with ``\\"`` and ``\\\\`` escapes, numbers
written as integers, decimals or rationals such as ``3/2``, braces and commas. This
module holds those tokens' patterns, quoting, payoff formatting, reading a file as
UTF-8, default labels, the error type, and an atomic file write.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from simulator.atomic import atomic_write_text
from simulator.games.errors import GameError

__all__ = [
    "EOF",
    "ESCAPE",
    "NUMBER",
    "STRING",
    "TOKEN",
    "WORD_END",
    "GameFileError",
    "atomic_write_text",
    "plural",
    "format_payoffs",
    "location",
    "quote",
    "read_text",
    "shorten",
    "unique_labels",
    "unquote",
]


class GameFileError(GameError):
    """A malformed game file; the message names the file, line, column and problem.

    Attributes
    ----------
    path : str or None
        The file (or source name) being read, when known.
    line, column : int
        1-based position of the problem.
    reason : str
        The message without the location prefix.

    Examples
    --------
    >>> err = GameFileError("expected '{'", path="g.nfg", line=3, column=5)
    >>> str(err), err.reason
    ("g.nfg, line 3, column 5: expected '{'", "expected '{'")
    >>> str(GameFileError("bad", line=1, column=2))
    'line 1, column 2: bad'
    """

    def __init__(self, reason: str, path: str | None = None, line: int = 0, column: int = 0):
        self.reason = reason
        self.path = path
        self.line = line
        self.column = column
        where = f"line {line}, column {column}"
        super().__init__(f"{path}, {where}: {reason}" if path else f"{where}: {reason}")

    def __reduce__(self):  # keep the keyword fields when pickled (e.g. by multiprocessing)
        return (type(self), (self.reason, self.path, self.line, self.column))


# ---------------------------------------------------------------------- tokens
#: A number ends at a delimiter, so that ``12abc`` is reported whole as a bad word.
WORD_END = r"""(?=[\s{},"]|\Z)"""
#: A double-quoted string; a backslash escapes the next character.
STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"'
#: An integer, decimal (``7.32``, ``1.5e3``) or rational (``3/2``), without ``WORD_END``.
NUMBER = r"[+-]?(?:\d+/\d+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
# One alternation matches every non-blank character, so nothing is skipped silently.
TOKEN = re.compile(
    rf"""\s*(?:
      (?P<num>{NUMBER}){WORD_END}
    | (?P<str>{STRING})
    | (?P<brace>[{{}}])
    | (?P<comma>,)
    | (?P<open>")
    | (?P<word>[^\s{{}},"]+)
    )""",
    re.VERBOSE | re.DOTALL,
)
ESCAPE = re.compile(r"\\(.)", re.DOTALL)
#: The token kind reported past the last token.
EOF = "eof"


def unquote(token: str) -> str:
    """The text of a quoted string token, escapes resolved.

    Examples
    --------
    >>> unquote(r'"say \\"hi\\""')
    'say "hi"'
    """
    inner = token[1:-1]
    return ESCAPE.sub(r"\1", inner) if "\\" in inner else inner


def quote(label: str) -> str:
    """``label`` as a quoted string token (the inverse of :func:`unquote`).

    Examples
    --------
    >>> print(quote('a "b" \\\\ c'))
    "a \\"b\\" \\\\ c"
    >>> unquote(quote('a "b" \\\\ c')) == 'a "b" \\\\ c'
    True
    """
    return '"' + label.replace("\\", "\\\\").replace('"', '\\"') + '"'


def shorten(value: str) -> str:
    """``value`` cut to 30 characters for an error message.

    Examples
    --------
    >>> shorten("x" * 40)
    'xxxxxxxxxxxxxxxxxxxxxxxxxxx...'
    """
    return value if len(value) <= 30 else value[:27] + "..."


def plural(number: int, noun: str) -> str:
    """``number`` and ``noun``, plural unless the number is 1.

    Examples
    --------
    >>> plural(1, "player"), plural(3, "payoff")
    ('1 player', '3 payoffs')
    """
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def location(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of character ``offset`` of ``text``.

    Examples
    --------
    >>> location("ab\\ncd", 4)
    (2, 2)
    """
    line = text.count("\n", 0, offset) + 1
    column = offset - text.rfind("\n", 0, offset)
    return line, column


def unique_labels(labels: list[str], default: Callable[[int], str]) -> list[str]:
    """Keep unique labels; if any repeat, rename the repeats and empties to defaults.

    ``default(k)`` names entry ``k``; a default that is already taken gets a suffix
    ``" (2)"``, ``" (3)"``...

    Examples
    --------
    >>> unique_labels(["a", "", "a", "2"], lambda k: str(k + 1))
    ['a', '2 (2)', '3', '2']
    >>> unique_labels(["x", "y"], str)
    ['x', 'y']
    """
    if len(set(labels)) == len(labels):
        return labels
    taken = {label for label in labels if label}
    out: list[str] = []
    kept: set[str] = set()
    for k, label in enumerate(labels):
        if label and label not in kept:
            out.append(label)
            kept.add(label)
            continue
        candidate, suffix = default(k), 2
        while candidate in taken:
            candidate, suffix = f"{default(k)} ({suffix})", suffix + 1
        taken.add(candidate)
        kept.add(candidate)
        out.append(candidate)
    return out


# ---------------------------------------------------------------------- payoffs
def _simple_fractions(values: np.ndarray, max_denominator: int = 1000) -> np.ndarray:
    """Denominator ``q <= max_denominator`` with ``round(v q) / q == v`` exactly, else 0.

    Runs the continued-fraction expansion of all values at once: a float within
    rounding of ``p/q`` has ``p/q`` among its convergents (Legendre's theorem), and
    every candidate is verified by an exact float comparison.
    """
    found = np.zeros(values.shape, dtype=np.int64)
    x = values.astype(float)
    h_prev, h = np.zeros_like(x), np.ones_like(x)
    k_prev, k = np.ones_like(x), np.zeros_like(x)
    active = np.ones(values.shape, dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        while active.any():
            a = np.floor(x)
            h, h_prev = a * h + h_prev, h
            k, k_prev = a * k + k_prev, k
            active &= (k <= max_denominator) & np.isfinite(x)
            hit = active & (h / k == values)
            found[hit] = k[hit].astype(np.int64)
            active &= ~hit
            rest = x - a
            active &= rest != 0
            x = np.where(active, 1.0 / np.where(rest == 0, 1.0, rest), 0.0)
    return found


def first_inexact_integer(texts: Sequence[str]) -> int | None:
    """Index of the first integer token that a float cannot hold exactly, or ``None``.

    Integers beyond 2^53 are rounded when read as floats (``10000000000000000001`` becomes
    ``1e19``): the solvers would then solve a different game than the file states, so the
    readers refuse such files rather than return equilibria of the rounded game.

    Examples
    --------
    >>> first_inexact_integer(["3", "10000000000000000000", "10000000000000000001"])
    2
    >>> first_inexact_integer(["0.1", "1e300"]) is None
    True
    """
    for k, text in enumerate(texts):
        if len(text) > 15:
            digits = text.lstrip("+-")
            if digits.isdigit() and int(float(text)) != int(text):
                return k
    return None


def inexact_message(text: str) -> str:
    """Why a payoff is refused by :func:`first_inexact_integer`, in one line."""
    return (
        f"the payoff {shorten(text)} cannot be held exactly as a floating-point number (it would "
        f"become {float(text):.17g}), so the solvers would solve a different game; shift or scale "
        "every payoff of the player (equilibria do not change) so that they stay below 2^53 "
        "(about 9e15)"
    )


def format_payoffs(payoffs: np.ndarray) -> list[str]:
    """Shortest texts that read back as exactly the given floats, preferring exact forms.

    Integers are written as integers, short decimals as themselves (a decimal is
    the exact rational it denotes), other simple fractions as ``p/q``, and anything
    else with Python's shortest round-tripping ``repr``.

    Examples
    --------
    >>> format_payoffs(np.array([3.0, 0.25, 1 / 3, 2 ** 0.5]))
    ['3', '0.25', '1/3', '1.4142135623730951']
    """
    flat = payoffs.reshape(-1).astype(float)
    integral = flat == np.round(flat)
    if integral.all() and np.all(np.abs(flat) < 1e15):
        return [str(v) for v in flat.astype(np.int64).tolist()]
    denominators = _simple_fractions(np.where(integral, 0.0, flat))
    out = []
    for value, is_int, q in zip(flat.tolist(), integral.tolist(), denominators.tolist()):
        if is_int:  # exact, however large: Gambit reads integers, not "1e+19"
            out.append(str(int(value)))
            continue
        text = repr(value)
        if q and abs(value) < 1e15 and ("e" in text or len(text.partition(".")[2]) > 6):
            out.append(f"{round(value * q)}/{q}")
        else:
            out.append(_gambit_float(text))
    return out


def _gambit_float(text: str) -> str:
    """Python's shortest float text in a form Gambit reads: no ``+`` or leading zeros in the
    exponent (``1.5e+20`` -> ``1.5e20``, ``1e-05`` -> ``1e-5``).

    Examples
    --------
    >>> _gambit_float("1.5e+20"), _gambit_float("2.5e-07"), _gambit_float("0.125")
    ('1.5e20', '2.5e-7', '0.125')
    """
    mantissa, e, exponent = text.partition("e")
    if not e:
        return text
    sign = "-" if exponent.startswith("-") else ""
    return f"{mantissa}e{sign}{int(exponent.lstrip('+-'))}"


# ---------------------------------------------------------------------- files
def read_text(
    path: str | os.PathLike[str], error: type[GameFileError] = GameFileError
) -> tuple[str, str]:
    """The UTF-8 text of ``path`` (a leading byte-order mark dropped) and its name.

    Raises
    ------
    GameFileError
        Of type ``error``, at the line and column of the first byte that is not UTF-8.
    OSError
        If the file cannot be read.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile(suffix=".nfg", delete=False) as handle:
    ...     _ = handle.write(b'ok\\n"\\xe9"')
    >>> try:
    ...     read_text(handle.name)
    ... except GameFileError as error:
    ...     print(error.line, error.column, error.reason)
    2 2 the file is not valid UTF-8 (byte 0xe9); save it as UTF-8
    >>> os.remove(handle.name)
    """
    name = os.fspath(path)
    data = Path(name).read_bytes()
    try:
        return data.decode("utf-8-sig"), name
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - data.rfind(b"\n", 0, exc.start)
        raise error(
            f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8",
            name,
            line,
            column,
        ) from None
