"""Read Gambit's extensive-form ``.efg`` files (the format is described in
:mod:`simulator.io.efg`).

Reading maps the file onto :class:`~simulator.games.extensive.ExtensiveGame`:

* node names become ``node_labels``; information-set and event names become
  information-set labels, and an empty name becomes the set's number as written
  (``"1"``, ``"2"`` ...);
* each chance node is its own chance information set (``ExtensiveGame`` has no
  shared chance events), so an event used at several nodes is copied to each;
* outcome names are not kept (the game stores payoffs only); repeated or empty
  action labels within one information set are renamed ``"1"``, ``"2"`` ... as
  the game needs distinct labels.

The reader matches each node with one regular expression over the whole text and
builds numpy arrays for :meth:`ExtensiveGame.from_arrays`; only when a node does
not match is the slower token-by-token reader run, to name the line, column and
problem.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any

import numpy as np

from simulator.games.errors import GameError
from simulator.games.extensive import ExtensiveGame
from simulator.games.tree import CHANCE, DECISION, PROBABILITY_TOLERANCE, TERMINAL
from simulator.io._text import (
    EOF,
    NUMBER,
    STRING,
    TOKEN,
    WORD_END,
    GameFileError,
    first_inexact_integer,
    inexact_message,
    location,
    plural,
    read_text,
    shorten,
    unique_labels,
    unquote,
)

__all__ = ["EfgFormatError", "parse_efg", "read_efg"]


class EfgFormatError(GameFileError):
    """A malformed ``.efg`` file; ``path``, ``line``, ``column`` and ``reason`` as in
    :class:`~simulator.io._text.GameFileError`.

    Examples
    --------
    >>> err = EfgFormatError("expected '{'", path="g.efg", line=3, column=5)
    >>> str(err), err.line
    ("g.efg, line 3, column 5: expected '{'", 3)
    """


# ---------------------------------------------------------------------- whole-node pattern
# Built from the pieces of the shared ``TOKEN``, so a node either matches here or the token
# reader names its error.
_NUM = NUMBER + WORD_END
_INT = r"\d+" + WORD_END
_ACTIONS = r"\{(?:\s*" + STRING + r")*\s*\}"
_CHANCE_ACTIONS = r"\{(?:\s*" + STRING + r"\s*" + _NUM + r")*\s*\}"
_STRINGS = re.compile(STRING, re.DOTALL)
_CHANCE_PAIRS = re.compile(rf"({STRING})\s*({_NUM})", re.DOTALL)


@dataclass(frozen=True)
class _Layout:
    """A node pattern for ``n`` players and the 0-based indices of its groups.

    Each branch starts with its type letter; the fields follow in file order, and the
    ``n`` payoffs of an outcome are captured one group each so that the pattern itself
    checks their number.
    """

    pattern: re.Pattern[str]
    t: int  # 't', node name, outcome number, outcome name, payoffs...
    p: int  # 'p', node name, player, infoset, infoset name, actions, outcome, ...
    c: int  # 'c', node name, event, event name, actions, outcome, ...


@lru_cache(maxsize=16)
def _layout(n: int) -> _Layout:
    payoffs = rf"\{{\s*({_NUM})" + rf"\s*,?\s*({_NUM})" * (n - 1) + r"\s*\}"
    # A node never starts with '"' or '{': seeing one next means the outcome's description
    # is malformed, so the match must fail and let the token reader explain.
    outcome = rf"""\s*({_INT})(?:\s*({STRING})\s*{payoffs})?(?!\s*["{{])"""
    pattern = re.compile(
        rf"""\s*(?:
          (t)\s*({STRING}){outcome}
        | (p)\s*({STRING})\s*({_INT})\s*({_INT})(?:\s*({STRING})\s*({_ACTIONS}))?{outcome}
        | (c)\s*({STRING})\s*({_INT})(?:\s*({STRING})\s*({_CHANCE_ACTIONS}))?{outcome}
        )""",
        re.VERBOSE | re.DOTALL,
    )
    return _Layout(pattern, t=0, p=4 + n, c=12 + 2 * n)


def _exact(text: str) -> Fraction | float:
    """The exact value of a number token; a huge exponent gives its float (0.0 or inf),
    as the exact rational would have hundreds of digits."""
    exponent = text.lower().partition("e")[2]
    if exponent and abs(int(exponent)) > 400:
        return float(text)
    return Fraction(text)


def _error(text: str, source: str | None, offset: int, reason: str) -> EfgFormatError:
    return EfgFormatError(reason, source, *location(text, offset))


# ---------------------------------------------------------------------- token reader
class _Tokens:
    """Lazy cursor over ``TOKEN`` matches: reads the prologue and diagnoses bad nodes."""

    def __init__(self, text: str, source: str | None, pos: int = 0) -> None:
        self.text = text
        self.source = source
        self.pos = pos
        self.last_end = pos  # end of the last token taken
        self._ahead: tuple[str, str, int, int] | None = None

    def error(self, offset: int, reason: str) -> EfgFormatError:
        return _error(self.text, self.source, offset, reason)

    def peek(self) -> tuple[str, str, int, int]:
        """``(kind, value, start, end)`` of the next token; kind ``"eof"`` at the end."""
        if self._ahead is None:
            m = TOKEN.match(self.text, self.pos)
            if m is None or not m.lastgroup:
                end = len(self.text.rstrip())
                self._ahead = (EOF, "", end, end)
            else:
                group = m.lastgroup
                self._ahead = (group, m.group(group), m.start(group), m.end())
        return self._ahead

    def advance(self) -> tuple[str, str, int, int]:
        token = self.peek()
        self.pos = self.last_end = token[3]
        self._ahead = None
        return token

    def at(self, kind: str, value: str | None = None) -> bool:
        token = self.peek()
        return token[0] == kind and (value is None or token[1] == value)

    def expected(self, what: str) -> EfgFormatError:
        """An error at the next token; when that token starts a later line, the error
        points just after the previous one, where the missing item belongs."""
        kind, value, start, _ = self.peek()
        if kind == "open":
            return self.error(start, "unterminated string: this quote is never closed")
        found = "the end of the file" if kind == EOF else repr(shorten(value))
        where = self.last_end if "\n" in self.text[self.last_end : start] else start
        return self.error(where, f"expected {what}, found {found}")

    def take(self, kind: str, what: str, value: str | None = None) -> str:
        if not self.at(kind, value):
            raise self.expected(what)
        return self.advance()[1]

    def take_string(self, what: str) -> str:
        return unquote(self.take("str", what))

    def take_integer(self, what: str) -> int:
        kind, value, start, _ = self.peek()
        if kind == "num" and value.isdigit():
            self.advance()
            return int(value)
        if kind == "num":
            raise self.error(start, f"expected {what} (a whole number >= 0), found {value!r}")
        raise self.expected(what)

    def closing(self, what: str, opened: int, item: str, kinds: tuple[str, ...]) -> bool:
        """True (and consumed) at the ``}`` closing ``what``, False before an item (a token
        of one of ``kinds``); anything else means the ``}`` is missing."""
        if self.at("brace", "}"):
            self.advance()
            return True
        if self.peek()[0] in (*kinds, "open"):  # ``take`` reports an unterminated string
            return False
        line = self.text.count("\n", 0, opened) + 1
        raise self.expected(f"{item} or '}}' closing {what} (opened on line {line})")

    def actions(self, chance: bool) -> None:
        opened = self.peek()[2]
        self.take("brace", "'{' opening the list of actions", "{")
        item = "a quoted action name" + (" and its probability" if chance else "")
        while not self.closing("the list of actions", opened, item, ("str",)):
            self.take("str", item)
            if chance:
                self.take("num", "the probability of this action (a number such as 1/2 or 0.5)")

    def payoffs(self, number: int, num_players: int) -> None:
        opened = self.peek()[2]
        self.take("brace", f"'{{' opening the payoffs of outcome {number}", "{")
        count = 0
        what = f"the payoffs of outcome {number}"
        while not self.closing(what, opened, "a payoff", ("num", "comma")):
            if count and self.at("comma"):
                self.advance()
            count += 1
            self.take("num", "a number for a payoff")
        if count != num_players:
            raise self.error(
                opened,
                f"outcome {number} has {plural(count, 'payoff')}; expected {num_players} "
                "(one per player)",
            )

    def node(self, num_players: int) -> None:
        """Read one node syntactically (values are checked by the fast reader)."""
        kind, value, start, _ = self.peek()
        if kind != "word" or value not in ("c", "p", "t"):
            if kind == "open":
                raise self.expected("a node")
            found = "the end of the file" if kind == EOF else repr(shorten(value))
            raise self.error(
                start,
                f"unknown node type {found}: a node starts with 'c' (chance), 'p' (player) "
                "or 't' (terminal)",
            )
        self.advance()
        self.take_string('the node name in double quotes ("" for none)')
        if value == "p":
            self.take_integer(f"the player number (1 to {num_players})")
            self.take_integer("the information set number")
            if self.at("str"):
                self.advance()
                self.actions(chance=False)
        elif value == "c":
            self.take_integer("the chance event number")
            if self.at("str"):
                self.advance()
                self.actions(chance=True)
        number = self.take_integer("the outcome number (0 for none)")
        if self.at("brace", "{"):
            raise self.expected("the outcome name in double quotes before its payoffs")
        if self.at("str"):
            self.advance()
            self.payoffs(number, num_players)


def _prologue(tokens: _Tokens) -> tuple[str, list[str], str]:
    """Title, player names and comment; leaves the cursor at the first node."""
    kind, value, start, _ = tokens.peek()
    if kind == EOF:
        raise EfgFormatError(
            "the file is empty; an .efg file starts with 'EFG 2 R'", tokens.source, 1, 1
        )
    if value != "EFG":
        hint = " (NFG files are strategic-form games)" if value.upper() == "NFG" else ""
        raise tokens.error(
            start, f"unknown header {shorten(value)!r}: expected 'EFG' at the start{hint}"
        )
    tokens.advance()
    kind, version, start, _ = tokens.peek()
    if kind != "num":
        raise tokens.expected("the version number 2 after 'EFG'")
    if version != "2":
        raise tokens.error(start, f"unsupported EFG version {version!r}; only version 2 is read")
    tokens.advance()
    if not (tokens.at("word", "R") or tokens.at("word", "D")):
        raise tokens.expected("'R' or 'D' after 'EFG 2'")
    tokens.advance()
    title = tokens.take_string("the game title in double quotes")
    tokens.take("brace", "'{' to open the list of player names", "{")
    names = []
    while not tokens.at("brace", "}"):
        names.append(tokens.take_string("a quoted player name or '}'"))
    if not names:
        raise tokens.error(tokens.peek()[2], "the game has no players: list at least one name")
    tokens.advance()
    comment = tokens.take_string("the comment") if tokens.at("str") else ""
    return title, names, comment


# ---------------------------------------------------------------------- fast reader
_SetEntry = tuple[int, str, str, tuple[str, ...], "tuple[Fraction, ...] | None", int]
_NULL_OUTCOME: tuple[int, str, tuple[str, ...], int] = (0, "", (), 0)


class _Reader:
    """Whole-node regex reader; per node it does a few list appends and dict look-ups."""

    def __init__(self, text: str, source: str | None) -> None:
        self.text = text
        self.source = source
        self.players: list[str] = []
        # (player, number) -> (key, name token, actions token, actions, probabilities,
        # offset of the first declaration); player -1 holds chance events.
        self.sets: dict[tuple[int, int], _SetEntry] = {}
        self.set_labels: dict[int, str] = {}

    def fail(self, offset: int, reason: str) -> EfgFormatError:
        return _error(self.text, self.source, offset, reason)

    def line_of(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1

    def diagnose(self, start: int, fallback: int) -> EfgFormatError:
        """Re-read nodes from ``start`` with the token reader to name a syntax error."""
        tokens = _Tokens(self.text, self.source, start)
        try:
            while not tokens.at(EOF):
                tokens.node(len(self.players))
        except EfgFormatError as exc:
            return exc
        return self.fail(fallback, "cannot read this node")  # pragma: no cover - grammar mismatch

    def read(self) -> ExtensiveGame:
        text = self.text
        tokens = _Tokens(text, self.source)
        title, raw_players, _ = _prologue(tokens)
        self.players = players = unique_labels(raw_players, lambda k: f"Player {k + 1}")
        n = len(players)
        layout = _layout(n)
        T, P, C = layout.t, layout.p, layout.c

        # Per node: kind, name token, parent, label of the move into it. Inner nodes and
        # nodes with an outcome are listed apart (most nodes are terminal, most inner nodes
        # have no outcome).
        kinds: list[int] = []
        names: list[str] = []
        parents: list[int] = []
        edge_labels: list[str] = []
        inner: list[int] = []
        movers: list[int] = []
        keys: list[int] = []
        paid: list[int] = []
        rows: list[int] = []
        chance_children: list[int] = []
        chance_values: list[Fraction] = []
        stack: list[list[Any]] = []  # [node, actions, probabilities or None, next child]
        sets = self.sets
        # outcome number -> (row, name token, payoff texts, offset); row 0 is the null outcome
        outcomes: dict[int, tuple[int, str, tuple[str, ...], int]] = {}
        payoff_texts: list[str] = []
        last_start = last_end = tokens.pos
        # Group indices of the fields, for each node type.
        p_name, p_player, p_set, p_set_name = P + 1, P + 2, P + 3, P + 4
        c_name, c_set, c_set_name = C + 1, C + 2, C + 3

        for m in layout.pattern.finditer(text, last_end):
            start, end = m.span()
            if start != last_end:
                raise self.diagnose(last_start, last_end)
            last_start, last_end = start, end
            g = m.groups()
            v = len(kinds)
            if stack:
                top = stack[-1]
                i = top[3]
                parents.append(top[0])
                edge_labels.append(top[1][i])
                if top[2] is not None:
                    chance_children.append(v)
                    chance_values.append(top[2][i])
                if i + 1 == len(top[1]):
                    stack.pop()
                else:
                    top[3] = i + 1
            elif v:
                raise self.fail(
                    text.index(g[T] or g[P] or g[C], start),
                    f"the game tree is already complete after {plural(v, 'node')}; this node "
                    "belongs to no parent (nodes are listed in pre-order: check the number of "
                    "actions of the nodes above)",
                )
            else:
                parents.append(-1)
                edge_labels.append("")

            if g[T] is not None:
                kinds.append(TERMINAL)
                names.append(g[T + 1])
                base = T + 2
            elif g[P] is not None:
                player = int(g[p_player]) - 1
                if not 0 <= player < n:
                    raise self.fail(
                        m.start(p_player + 1),
                        f"player number {player + 1} is out of range: the game has "
                        f"{plural(n, 'player')} ({_numbered(players)})",
                    )
                entry = sets.get((player, int(g[p_set])))
                if entry is None or (
                    g[p_set_name] is not None
                    and (g[p_set_name] != entry[1] or g[p_set_name + 1] != entry[2])
                ):
                    entry = self.infoset(m, player, p_set)
                kinds.append(DECISION)
                names.append(g[p_name])
                inner.append(v)
                movers.append(player)
                keys.append(entry[0])
                stack.append([v, entry[3], None, 0])
                base = P + 6
            else:
                entry = sets.get((-1, int(g[c_set])))
                if entry is None or (
                    g[c_set_name] is not None
                    and (g[c_set_name] != entry[1] or g[c_set_name + 1] != entry[2])
                ):
                    entry = self.infoset(m, -1, c_set)
                kinds.append(CHANCE)
                names.append(g[c_name])
                inner.append(v)
                movers.append(-1)
                keys.append(entry[0])
                stack.append([v, entry[3], entry[4], 0])
                base = C + 5

            number = g[base]
            if number == "0" and g[base + 1] is None:
                continue
            key = int(number)
            known = outcomes.get(key)
            if known is None and key and g[base + 1] is not None:  # a new outcome
                texts = g[base + 2 : base + 2 + n]
                payoff_texts.extend(texts)
                known = outcomes[key] = (len(outcomes) + 1, g[base + 1], texts, m.start(base + 2))
            elif known is None or g[base + 1] is not None:
                known = self.outcome(m, base, known)
            if known[0]:
                paid.append(v)
                rows.append(known[0])

        if text[last_end:].strip():
            raise self.diagnose(last_start, last_end)
        if not kinds:
            raise self.fail(
                last_end, "the file has no nodes: list the game tree after the player names"
            )
        if stack:
            v, actions, _, i = stack[-1]
            missing = len(actions) - i
            raise self.fail(
                len(text.rstrip()),
                f"the file ends before the game tree is complete: node {v + 1} (in file order) "
                f"still needs {missing} more {'child' if missing == 1 else 'children'}",
            )
        k = len(kinds)
        node_player = np.full(k, -1, dtype=np.int64)
        node_player[inner] = movers
        infoset_ids = np.full(k, -1, dtype=np.int64)
        infoset_ids[inner] = keys
        table = np.zeros((len(outcomes) + 1, n))
        if payoff_texts:
            table[1:] = self.payoff_table(payoff_texts, outcomes, n)
        payoffs = np.zeros((k, n))
        payoffs[paid] = table[rows]
        probabilities: list[Fraction | None] | None = None
        if chance_children:
            probabilities = [None] * k
            for c, p in zip(chance_children, chance_values):
                probabilities[c] = p
        try:
            return ExtensiveGame.from_arrays(
                players,
                np.asarray(parents, dtype=np.int64),
                np.asarray(kinds, dtype=np.int8),
                node_player,
                infoset_ids,
                payoffs=payoffs,
                chance_probabilities=probabilities,
                action_labels=edge_labels,
                infoset_labels=self.set_labels,
                node_labels=[unquote(s) for s in names],
                title=title,
            )
        except GameError as exc:  # pragma: no cover - the reader checks everything first
            raise EfgFormatError(
                f"the file describes an invalid game: {exc}", self.source, 1, 1
            ) from exc

    def same_name(self, what: str, name: str, known: str, offset: int, line: int) -> None:
        """Check that a repeated declaration (name token ``name`` at ``offset``) keeps the
        name ``known`` it was given on ``line``."""
        if unquote(name) != unquote(known):
            raise self.fail(
                offset,
                f"{what} is declared again with the name {unquote(name)!r}, but it is named "
                f"{unquote(known)!r} on line {line}; repeat it exactly or omit it",
            )

    # -- information sets and chance events
    def infoset(self, m: re.Match[str], player: int, group: int) -> _SetEntry:
        """Declare or re-check the set whose number is ``m.groups()[group]``."""
        number = int(m.group(group + 1))
        name, block = m.group(group + 2), m.group(group + 3)
        what = _set_name(number, player, self.players)
        where = m.start(group + 1)
        if number == 0:
            raise self.fail(where, f"{what} is numbered 0; numbers start at 1")
        known = self.sets.get((player, number))
        if known is None:
            if name is None:
                raise self.fail(
                    where,
                    f"{what} appears here for the first time without its name and actions; "
                    "declare them where it first appears",
                )
            actions, probs = self.actions(block, m.start(group + 3), player, what)
            entry = (len(self.sets), name, block, actions, probs, where)
            self.sets[(player, number)] = entry
            self.set_labels[entry[0]] = unquote(name) or str(number)
            return entry
        if name == known[1] and block == known[2]:
            return known
        line = self.line_of(known[5])
        self.same_name(what, name, known[1], m.start(group + 2), line)
        actions, probs = self.actions(block, m.start(group + 3), player, what)
        if actions != known[3] or probs != known[4]:
            raise self.fail(
                m.start(group + 3),
                f"{what} is declared again with different actions: "
                f"{_show(actions, probs)} here but {_show(known[3], known[4])} on line {line}; "
                "every node of an information set offers the same actions",
            )
        return known

    def actions(
        self, block: str, offset: int, player: int, what: str
    ) -> tuple[tuple[str, ...], tuple[Fraction, ...] | None]:
        if player >= 0:
            labels = [unquote(s) for s in _STRINGS.findall(block)]
            probs = None
        else:
            pairs = _CHANCE_PAIRS.findall(block)
            labels = [unquote(s) for s, _ in pairs]
            probs = self.probabilities([p for _, p in pairs], offset, what)
        if not labels:
            raise self.fail(offset, f"{what} has no actions; a node without moves is a 't' node")
        return tuple(unique_labels(labels, lambda k: str(k + 1))), probs

    def probabilities(self, texts: list[str], offset: int, what: str) -> tuple[Fraction, ...]:
        try:
            values = [_exact(t) for t in texts]
        except ZeroDivisionError:
            raise self.fail(offset, f"division by zero in a probability of {what}") from None
        bad = [t for t, p in zip(texts, values) if not 0 <= p <= 1]
        if bad:
            raise self.fail(offset, f"{what} has the probability {bad[0]}, not between 0 and 1")
        probs = tuple(Fraction(p) for p in values)  # floats here are 0.0 (exponent < -400)
        total = sum(probs)
        if abs(total - 1) > PROBABILITY_TOLERANCE:
            shown = str(total) if total.denominator < 10**12 else f"{float(total):.12g}"
            raise self.fail(
                offset,
                f"the probabilities of {what} sum to {shown}, not 1 "
                f"(tolerance {PROBABILITY_TOLERANCE})",
            )
        return probs

    # -- outcomes
    def outcome(
        self, m: re.Match[str], base: int, known: tuple[int, str, tuple[str, ...], int] | None
    ) -> tuple[int, str, tuple[str, ...], int]:
        """Check a use of outcome ``m.groups()[base]`` that is not a plain first declaration."""
        g = m.groups()
        number, name = int(g[base]), g[base + 1]
        texts = g[base + 2 : base + 2 + len(self.players)]
        if number == 0:
            if name is None:  # the null outcome, written "00"
                return _NULL_OUTCOME
            raise self.fail(
                m.start(base + 2),
                "outcome 0 is the null outcome and takes no name or payoffs; number the "
                "outcome from 1",
            )
        if known is None:
            raise self.fail(
                m.start(base + 1),
                f"outcome {number} is used here for the first time without its name and "
                "payoffs; give them where the outcome first appears",
            )
        if name is None or (name == known[1] and texts == known[2]):
            return known
        line = self.line_of(known[3])
        self.same_name(f"outcome {number}", name, known[1], m.start(base + 2), line)
        try:
            same = [_exact(t) for t in texts] == [_exact(t) for t in known[2]]
        except ZeroDivisionError:
            same = False
        if not same:
            raise self.fail(
                m.start(base + 3),
                f"outcome {number} is declared again with payoffs {list(texts)} but has "
                f"{list(known[2])} on line {line}; repeat them exactly or omit them",
            )
        return known

    def payoff_table(
        self,
        texts: list[str],
        outcomes: dict[int, tuple[int, str, tuple[str, ...], int]],
        n: int,
    ) -> np.ndarray:
        """Payoffs of the declared outcomes, one row each, converted in one pass."""
        try:
            values = np.array(texts, dtype=float)
        except ValueError:  # rationals such as "1/3"
            values = np.array([_safe_float(t) for t in texts], dtype=float)
        table = values.reshape(-1, n)
        bad = np.flatnonzero(~np.all(np.isfinite(table), axis=1))
        if bad.size:
            row = int(bad[0]) + 1
            number, (_, _, row_texts, offset) = next(
                (k, o) for k, o in outcomes.items() if o[0] == row
            )
            problem = next(t for t in row_texts if not np.isfinite(_safe_float(t)))
            zero = "/" in problem and int(problem.split("/")[1]) == 0
            reason = "division by zero" if zero else "a number too large for a float"
            raise self.fail(offset, f"outcome {number} has the payoff {problem!r}: {reason}")
        inexact = first_inexact_integer(texts)
        if inexact is not None:
            row = inexact // n + 1
            number, (_, _, _row_texts, offset) = next(
                (k, o) for k, o in outcomes.items() if o[0] == row
            )
            raise self.fail(offset, f"outcome {number}: " + inexact_message(texts[inexact]))
        return table


def _safe_float(text: str) -> float:
    """Float of a number token; NaN for a division by zero or a rational beyond floats."""
    try:
        return float(Fraction(text)) if "/" in text else float(text)
    except (ZeroDivisionError, OverflowError):
        return math.nan


def _show(actions: tuple[str, ...], probs: tuple[Fraction, ...] | None) -> list[str]:
    if probs is None:
        return list(actions)
    return [f"{a} {p}" for a, p in zip(actions, probs)]


def _numbered(players: list[str]) -> str:
    return ", ".join(f"{k + 1} = {name!r}" for k, name in enumerate(players))


def _set_name(number: int, player: int, players: list[str]) -> str:
    if player < 0:
        return f"chance event {number}"
    return f"information set {number} of player {player + 1} ({players[player]!r})"


# ---------------------------------------------------------------------- public API
def parse_efg(text: str, source: str | None = None) -> ExtensiveGame:
    """Parse the text of a Gambit ``.efg`` file into a game.

    Parameters
    ----------
    text : str
        The file contents.
    source : str, optional
        File name used in error messages.

    Returns
    -------
    ExtensiveGame
        The game tree, nodes in the file's pre-order; chance probabilities are kept as
        exact fractions (``InfoSet.exact_probabilities``) and payoffs as floats. If player
        names repeat, the repeats and any empty names become ``"Player k"``.

    Raises
    ------
    EfgFormatError
        With the line and column of the first problem.

    Examples
    --------
    >>> g = parse_efg('''EFG 2 R "entry" { "Entrant" "Incumbent" } ""
    ... p "" 1 1 "" { "out" "in" } 0
    ... t "" 1 "stay out" { 0, 2 }
    ... p "" 2 1 "" { "fight" "share" } 0
    ... t "" 2 "war" { -1, -1 }
    ... t "" 3 "peace" { 1, 1 }''')
    >>> g.num_nodes, g.players, g.infosets[1].actions
    (5, ('Entrant', 'Incumbent'), ('fight', 'share'))
    >>> g.terminal_payoffs[g.terminal_nodes].tolist()
    [[0.0, 2.0], [-1.0, -1.0], [1.0, 1.0]]
    """
    return _Reader(text, source).read()


def read_efg(path: str | os.PathLike[str]) -> ExtensiveGame:
    """Read a Gambit ``.efg`` file.

    Parameters
    ----------
    path : path-like
        The file to read, UTF-8 (a leading byte-order mark is dropped).

    Returns
    -------
    ExtensiveGame
        The game, as :func:`parse_efg` returns it for the file's text.

    Raises
    ------
    EfgFormatError
        If the file is malformed or not UTF-8 (the message gives line and column).
    OSError
        If the file cannot be read.

    Examples
    --------
    A :class:`pathlib.Path` works as well as a string:

    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     coin = pathlib.Path(folder) / "coin.efg"
    ...     _ = coin.write_text('EFG 2 R "coin" { "A" } '
    ...         'c "" 1 "" { "H" 1/3 "T" 2/3 } 0 t "" 1 "" { 1 } t "" 0')
    ...     read_efg(coin).infosets[0].exact_probabilities
    (Fraction(1, 3), Fraction(2, 3))
    """
    text, name = read_text(path, EfgFormatError)
    return parse_efg(text, name)
