"""Tests for the Gambit .nfg reader and writer."""

from __future__ import annotations

import os
import pickle
import re
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.games.errors import GameError
from simulator.games.normal_form import NormalFormGame
from simulator.io.nfg import (
    NfgFormatError,
    format_nfg,
    parse_nfg,
    parse_nfg_document,
    parse_nfg_exact,
    read_nfg,
    read_nfg_document,
    read_nfg_fractions,
    write_nfg,
)

ROOT = Path(__file__).resolve().parents[1]
GAMBIT = ROOT / "tests" / "data" / "gambit"  # Gambit's collection (GPL test data, README)
EXAMPLES = ROOT / "scenarios" / "games"
GAMBIT_FILES = sorted(GAMBIT.rglob("*.nfg"))
needs_gambit = pytest.mark.skipif(not GAMBIT_FILES, reason="tests/data/gambit is missing")


def _find(name: str) -> Path:
    matches = [p for p in GAMBIT_FILES if p.name == name]
    assert matches, f"{name} is not in tests/data/gambit"
    return matches[0]


# ---------------------------------------------------------------------- Gambit's collection
@needs_gambit
@pytest.mark.parametrize("path", GAMBIT_FILES, ids=lambda p: p.name)
def test_every_collection_file_parses_consistently_with_its_text(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    doc = read_nfg_document(path, exact=True)
    game = doc.game
    # Independent, crude reading of the header: title and the first brace list of names.
    header = re.match(r'NFG\s+1\s+[RD]\s+"((?:[^"\\]|\\.)*)"\s*\{([^}]*)\}', text)
    assert header is not None
    assert game.title == header.group(1)
    names = re.findall(r'"((?:[^"\\]|\\.)*)"', header.group(2))
    assert game.num_players == len(names)
    assert game.payoffs.shape == (*game.shape, len(names))
    if not doc.outcome_form:  # payoff-list files: the trailing numbers are all the payoffs
        body = text[text.rindex('"') + 1 :]
        body = re.sub(r"\{[\d\s]*\}", "", body, count=1)  # strategy counts like { 2 2 }
        numbers = [t for t in body.split() if t not in ("{", "}")]
        assert len(numbers) == int(np.prod(game.shape)) * len(names)
    assert np.array_equal(doc.exact_payoffs.astype(float), game.payoffs)
    # What we write reads back as the same game.
    assert parse_nfg(format_nfg(game)) == game


@needs_gambit
def test_2x2x2_has_shape_222_and_outcomes_in_first_player_fastest_order() -> None:
    game = read_nfg(_find("2x2x2.nfg"))
    assert game.shape == (2, 2, 2)
    assert [p.name for p in game.players] == ["Player 1", "Player 2", "Player 3"]
    # Outcomes 1, 4 and 6 of the file sit at profile numbers 0, 3 and 5 (s1 fastest).
    assert game.payoffs[0, 0, 0].tolist() == [9, 8, 12]
    assert game.payoffs[1, 1, 0].tolist() == [9, 8, 2]
    assert game.payoffs[1, 0, 1].tolist() == [3, 4, 6]
    assert game.payoffs[1, 0, 0].tolist() == [0, 0, 0]


@needs_gambit
def test_collection_labels_and_values() -> None:
    sec6 = read_nfg(_find("sec6.nfg"))
    assert sec6.shape == (2, 2, 4)
    assert sec6.strategy_labels == (("Top", "Bottom"), ("Left", "Right"), ("1", "2", "3", "4"))
    assert sec6.payoffs[1, 0, 0].tolist() == [0, 2, 1]  # second outcome: { "" 0, 2, 1 }

    cent2 = read_nfg(_find("cent2.nfg"))
    assert cent2.strategy_labels[0] == ("1*11", "2111", "2211")
    # Outcome list "1 4 7 2 5 8 3 6 9": profile (1, 0) gets outcome 4 = (0.564, 1.566).
    assert cent2.payoffs[1, 0].tolist() == [0.564, 1.566]

    winkels = _find("winkels.nfg")
    exact = read_nfg_fractions(winkels)
    assert read_nfg(winkels).shape == (6, 2)
    assert exact[4, 0, 0] == Fraction(5, 2)  # 9th number: player 1 at profile 5 = (5th, 1st)

    e07 = read_nfg(_find("e07.nfg"))  # 'NFG 1 D' with strategy counts { 4 4 }
    assert e07.shape == (4, 4)
    assert e07.strategy_labels == (("1", "2", "3", "4"),) * 2
    assert e07.payoffs[0, 0].tolist() == [7.6, -7.6]
    assert e07.payoffs[1, 0].tolist() == [8.8, -8.8]


@needs_gambit
def test_repeated_empty_player_names_get_default_names() -> None:
    game = read_nfg(_find("sww1.nfg"))  # players listed as { "" "" }
    assert [p.name for p in game.players] == ["Player 1", "Player 2"]


# ---------------------------------------------------------------------- conventions
def test_ordering_first_player_strategy_changes_fastest() -> None:
    # Payoff of player 1 at (row r, column c) is 10 (r + 1) + (c + 1); player 2 gets minus that.
    text = """NFG 1 R "2x3 ordering check" { "Row" "Col" }
    { { "r1" "r2" } { "c1" "c2" "c3" } }
    11 -11  21 -21
    12 -12  22 -22
    13 -13  23 -23
    """
    game = parse_nfg(text)
    assert game.shape == (2, 3)
    expected = np.array([[10 * (r + 1) + c + 1 for c in range(3)] for r in range(2)])
    assert np.array_equal(game.payoff_matrix(0), expected)
    assert np.array_equal(game.payoff_matrix(1), -expected)
    assert game.payoff(("r2", "c1")).tolist() == [21, -21]


def test_outcome_form_and_payoff_list_form_are_the_same_game() -> None:
    listed = parse_nfg(
        'NFG 1 R "g" { "A" "B" } { { "x" "y" } { "u" "v" "w" } } ""\n1 2  3 4  0 0  5 6  1 2  7/2 8'
    )
    outcomes = parse_nfg(
        'NFG 1 R "g" { "A" "B" } { { "x" "y" } { "u" "v" "w" } } ""\n'
        '{ { "first" 1, 2 } { "second" 3 4 } { "third" 5, 6 } { "fourth" 3.5, 8 } }\n'
        "1 2 0 3 1 4"
    )
    assert listed == outcomes
    assert outcomes.payoffs[0, 1].tolist() == [0, 0]  # outcome 0 is the null outcome


@st.composite
def games(draw: st.DrawFn, with_labels: bool = True) -> NormalFormGame:
    num_players = draw(st.integers(1, 4))
    shape = tuple(draw(st.lists(st.integers(1, 3), min_size=num_players, max_size=num_players)))
    size = int(np.prod(shape)) * num_players
    number = st.one_of(
        st.integers(-(10**6), 10**6),
        st.fractions(max_denominator=50, min_value=-100, max_value=100),
        st.floats(-1e12, 1e12, allow_nan=False, allow_infinity=False),
    )
    values = draw(st.lists(number, min_size=size, max_size=size))
    payoffs = np.array([float(v) for v in values]).reshape(*shape, num_players)
    if not with_labels:
        return NormalFormGame(payoffs)
    label = st.text(max_size=8)
    names = draw(st.lists(label, min_size=num_players, max_size=num_players, unique=True))
    strategies = [draw(st.lists(label, min_size=n, max_size=n, unique=True)) for n in shape]
    return NormalFormGame(payoffs, names, strategies, title=draw(st.text(max_size=20)))


@settings(max_examples=150, deadline=None)
@given(game=games(), comment=st.text(max_size=20))
def test_round_trip_preserves_the_game(game: NormalFormGame, comment: str) -> None:
    doc = parse_nfg_document(format_nfg(game, comment=comment))
    assert doc.game == game
    assert doc.game.title == game.title
    assert doc.comment == comment
    assert not doc.outcome_form


def _outcome_form(game: NormalFormGame, rng: np.random.Generator) -> str:
    """The same game written by hand in outcome form, with shared and null outcomes."""
    n = game.num_players
    rows = game.payoffs.reshape(-1, n, order="F")
    outcomes: list[tuple[float, ...]] = []
    numbers = []
    for row in map(tuple, rows.tolist()):
        if not any(row) and rng.random() < 0.5:
            numbers.append(0)
            continue
        if row not in outcomes:
            outcomes.append(row)
        numbers.append(outcomes.index(row) + 1)
    players = " ".join(f'"{p.name}"' for p in game.players)
    counts = " ".join(str(k) for k in game.shape)
    block = " ".join(
        f'{{ "o{k}" {", ".join(repr(v) for v in o)} }}' for k, o in enumerate(outcomes)
    )
    return f'NFG 1 R "" {{ {players} }} {{ {counts} }}\n{{ {block} }}\n' + " ".join(
        map(str, numbers)
    )


@settings(max_examples=60, deadline=None)
@given(game=games(with_labels=False), seed=st.integers(0, 2**32 - 1))
def test_random_outcome_form_equals_payoff_list_form(game: NormalFormGame, seed: int) -> None:
    outcome_doc = parse_nfg_document(_outcome_form(game, np.random.default_rng(seed)))
    assert outcome_doc.outcome_form
    assert outcome_doc.game == game
    assert parse_nfg(format_nfg(game)) == outcome_doc.game


def test_number_syntax_and_exact_values() -> None:
    game, exact = parse_nfg_exact('NFG 1 D "" { "A" } { 7 } 3/2 -0.25 1.5e3 +2 -.5 1E-2 7.')
    assert game.payoffs[:, 0].tolist() == [1.5, -0.25, 1500, 2, -0.5, 0.01, 7]
    assert exact[:, 0].tolist() == [
        Fraction(3, 2), Fraction(-1, 4), Fraction(1500), Fraction(2), Fraction(-1, 2),
        Fraction(1, 100), Fraction(7),
    ]  # fmt: skip
    assert all(type(v) is Fraction for v in exact.reshape(-1))


def test_escaped_quotes_and_backslashes_in_labels() -> None:
    text = r'NFG 1 R "say \"hi\"" { "A \"x\"" "back\\slash" } { { "s 1" "s\"2" } { "t" } } 1 2 3 4'
    game = parse_nfg(text)
    assert game.title == 'say "hi"'
    assert [p.name for p in game.players] == ['A "x"', "back\\slash"]
    assert game.strategy_labels[0] == ("s 1", 's"2')
    assert parse_nfg(format_nfg(game)) == game


def test_counts_form_gets_numbered_labels_and_comment_is_optional() -> None:
    doc = parse_nfg_document('NFG 1 R "t" { "P" "Q" } { 2 1 } 1 2 3 4')
    assert doc.game.strategy_labels == (("1", "2"), ("1",))
    assert doc.comment == ""
    assert doc.exact_payoffs is None


def test_writer_uses_exact_short_forms() -> None:
    game = NormalFormGame.from_bimatrix([[1 / 3, 0.5], [-2, 7.32]], [[1e-20, 2.0], [-2 / 7, 0]])
    text = format_nfg(game)
    body = text.strip().splitlines()[-2:]
    assert body == ["1/3 1e-20 -2 -2/7", "0.5 2 7.32 0"]
    assert parse_nfg_exact(text)[1][0, 0, 0] == Fraction(1, 3)


# ---------------------------------------------------------------------- errors
BASE = 'NFG 1 R "t" { "A" "B" }\n{ { "x" "y" } { "u" "v" } }\n'


@pytest.mark.parametrize(
    ("text", "line", "column", "fragment"),
    [
        ("", 1, 1, "empty"),
        ("\n\n   \n", 1, 1, "empty"),
        ('EFG 2 R "x" { "a" }', 1, 1, "unknown header"),
        ('NFG 2 R "t" { "A" } { 2 } 1 2', 1, 5, "version"),
        ('NFG 1 Q "t" { "A" } { 2 } 1 2', 1, 7, "'R' or 'D'"),
        ('NFG 1 R "t" { "A" "B" }\n{ { "x" "y" }\n{ "u }\n1 2 3 4', 3, 3, "unterminated"),
        ('NFG 1 R "t" { "A" "B"\n{ { "x" } { "y" } }\n1 2', 2, 1, "player name or '}'"),
        (BASE + "1 2 3 4\n5 6 7", 4, 6, "expected 8 payoffs"),
        (BASE + "1 2 3 4\n5 6 7 8\n9", 5, 1, "more numbers than the 8"),
        (BASE + "1 2\n3 abc 5 6 7 8", 4, 3, "expected a number for a payoff, found 'abc'"),
        (BASE + '{ { "" 1 2 }\n{ "" 3 } }\n1 2 1 2', 4, 1, "outcome 2 has 1 payoff; expected 2"),
        (BASE + '{ { "" 1 2 } }\n1 0\n2 1', 5, 1, "out of range"),
        (BASE + '{ { "" 1 2 } }\n1 0 -1 1', 4, 5, "out of range"),
        (BASE + '{ { "" 1 x } }\n1 1 1 1', 3, 10, "payoff in outcome 1"),
        ('NFG 1 R "t" { "A" "B" "C" }\n{ { "x" } { "y" } }\n1 2 3', 2, 19, "3 strategy lists"),
        ('NFG 1 R "t" { "A" "B" }\n{ 2 0 }\n1 2', 2, 5, "positive strategy count"),
        ('NFG 1 R "t" { "A" "B" }\n{ { "x" } { } }\n1 2', 2, 11, "player 2 has no strategies"),
        ('NFG 1 R "t" { "A" }\n{ 2 }\n1\n2/0', 4, 1, "division by zero"),
        ('NFG 1 R "t" { "A" }\n{ 2 }\n"comment"\n', 3, 10, "expected the payoffs"),
        ('NFG 1 R "t" { "A" }\n{ 2 }\n1 2 }', 3, 5, "end of the file"),
    ],
)
def test_malformed_input_reports_line_and_column(
    text: str, line: int, column: int, fragment: str
) -> None:
    with pytest.raises(NfgFormatError) as info:
        parse_nfg(text, source="game.nfg")
    err = info.value
    assert (err.line, err.column) == (line, column), str(err)
    assert fragment in str(err)
    assert str(err).startswith(f"game.nfg, line {line}, column {column}: ")
    assert err.path == "game.nfg"
    assert isinstance(err, GameError)


def test_error_pickles_with_its_location() -> None:
    err = NfgFormatError("expected '{'", path="g.nfg", line=3, column=5)
    copy = pickle.loads(pickle.dumps(err))
    assert (copy.path, copy.line, copy.column, str(copy)) == ("g.nfg", 3, 5, str(err))


def test_non_utf8_file_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.nfg"
    path.write_bytes(b'NFG 1 R "t" { "A" }\n{ { "caf\xe9" "b" } }\n1 2')
    with pytest.raises(NfgFormatError, match="not valid UTF-8") as info:
        read_nfg(path)
    assert (info.value.line, info.value.column) == (2, 9)
    assert info.value.path == str(path)


def test_utf8_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.nfg"
    path.write_bytes('\ufeffNFG 1 R "é" { "A" }\r\n{ 2 }\r\n1 2\r\n'.encode())
    game = read_nfg(path)
    assert game.title == "é" and game.payoffs[:, 0].tolist() == [1, 2]


# ---------------------------------------------------------------------- files
def test_write_nfg_round_trip_and_atomic_replace(tmp_path: Path) -> None:
    game = NormalFormGame.from_bimatrix(
        [[3, 0], [5, 1]], [[3, 5], [0, 1]], players=["R", "C"], title="PD"
    )
    path = tmp_path / "pd.nfg"
    path.write_text("old contents")
    write_nfg(game, path, comment="note")
    assert read_nfg(path) == game
    assert read_nfg_document(path).comment == "note"
    assert os.listdir(tmp_path) == ["pd.nfg"]


def test_write_nfg_failure_leaves_original_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "g.nfg"
    path.write_text("original")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_nfg(NormalFormGame.from_bimatrix([[1]], [[2]]), path)
    assert path.read_text() == "original"
    assert os.listdir(tmp_path) == ["g.nfg"]


def test_a_100x100_game_round_trips() -> None:
    # Parsing speed is measured in benchmarks/, not asserted here.
    rng = np.random.default_rng(1)
    game = NormalFormGame.from_bimatrix(
        rng.integers(-999, 999, (100, 100)), rng.integers(-999, 999, (100, 100)) / 8
    )
    assert parse_nfg(format_nfg(game)) == game


# ---------------------------------------------------------------------- bundled examples
EXAMPLE_NAMES = [
    "prisoners_dilemma.nfg",
    "battle_of_the_sexes.nfg",
    "matching_pennies.nfg",
    "degenerate_2x2.nfg",
    "three_player.nfg",
]


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_bundled_examples_parse_with_title_and_comment(name: str) -> None:
    doc = read_nfg_document(EXAMPLES / name, exact=True)
    assert doc.game.title and doc.comment
    assert parse_nfg(format_nfg(doc.game, doc.comment)) == doc.game


F = Fraction


@pytest.mark.parametrize(
    ("name", "profile"),
    [
        ("prisoners_dilemma.nfg", [[0, 1], [0, 1]]),
        ("battle_of_the_sexes.nfg", [[1, 0], [1, 0]]),
        ("battle_of_the_sexes.nfg", [[0, 1], [0, 1]]),
        ("battle_of_the_sexes.nfg", [[F(2, 3), F(1, 3)], [F(1, 3), F(2, 3)]]),
        ("matching_pennies.nfg", [[F(1, 2), F(1, 2)], [F(1, 2), F(1, 2)]]),
        ("degenerate_2x2.nfg", [[0, 1], [0, 1]]),
        ("degenerate_2x2.nfg", [[F(1, 2), F(1, 2)], [1, 0]]),
        ("degenerate_2x2.nfg", [[1, 0], [1, 0]]),
        ("three_player.nfg", [[1, 0], [1, 0], [1, 0]]),
        ("three_player.nfg", [[0, 1], [0, 1], [0, 1]]),
        ("three_player.nfg", [[F(3, 4), F(1, 4)], [F(1, 2), F(1, 2)], [F(1, 4), F(3, 4)]]),
    ],
)
def test_bundled_examples_have_their_documented_equilibria(name: str, profile: list) -> None:
    game = read_nfg(EXAMPLES / name)
    assert game.exact_regret(profile) == 0


@pytest.mark.parametrize(
    ("name", "profile"),
    [
        ("prisoners_dilemma.nfg", [[1, 0], [1, 0]]),
        ("degenerate_2x2.nfg", [[F(1, 3), F(2, 3)], [1, 0]]),  # p < 1/2 is not an equilibrium
        ("three_player.nfg", [[F(1, 2), F(1, 2)]] * 3),
    ],
)
def test_bundled_examples_non_equilibria(name: str, profile: list) -> None:
    assert read_nfg(EXAMPLES / name).exact_regret(profile) > 0


def test_bundled_battle_of_the_sexes_uses_outcome_form() -> None:
    doc = read_nfg_document(EXAMPLES / "battle_of_the_sexes.nfg")
    assert doc.outcome_form
    assert doc.game.payoff(("Football", "Opera")).tolist() == [0, 0]
    assert doc.game.payoff(("Football", "Football")).tolist() == [1, 2]


@pytest.mark.parametrize(
    "value", [1e15, 1e19, -3e20, 1.5e300, 2.5e-7, 1e-12, 123456789.125, 0.1, -1 / 3]
)
def test_large_and_small_payoffs_are_written_as_gambit_reads_them(tmp_path, value) -> None:
    # Gambit rejects "1e+19" ("Invalid value"): integers are written out in full and float
    # exponents carry no "+" or leading zero; everything round-trips exactly.
    from simulator.games.normal_form import NormalFormGame
    from simulator.io.nfg import read_nfg, write_nfg

    game = NormalFormGame.from_bimatrix([[value, 0.0], [1.0, value]], [[0.0, value], [value, 2.0]])
    path = tmp_path / "big.nfg"
    write_nfg(game, path)
    text = path.read_text()
    assert "e+" not in text and not re.search(r"e-0\d", text)
    back = read_nfg(path)
    assert np.array_equal(back.payoffs, game.payoffs)


def test_integers_a_float_cannot_hold_are_refused_not_rounded(tmp_path) -> None:
    # 10^19 + 1 would be read as 10^19: the solver would certify equilibria of another game.
    from simulator.io.nfg import NfgFormatError, read_nfg

    path = tmp_path / "big.nfg"
    path.write_text(
        'NFG 1 R "big" { "A" "B" } { 2 1 }\n10000000000000000001 0 10000000000000000000 1\n'
    )
    with pytest.raises(NfgFormatError, match="cannot be held exactly") as info:
        read_nfg(path)
    assert "line 2, column 1" in str(info.value)
    exact = tmp_path / "exact.nfg"  # representable: read as it is
    exact.write_text('NFG 1 R "big" { "A" "B" } { 2 1 }\n10000000000000000000 0 3 1\n')
    assert read_nfg(exact).payoffs[0, 0, 0] == 1e19
