"""Reading and writing Gambit ``.efg`` files: known games, round trips, malformed files."""

from __future__ import annotations

import os
import pickle
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.games.errors import GameError
from simulator.games.extensive import CHANCE, DECISION, TERMINAL, ExtensiveGame
from simulator.io.efg import EfgFormatError, format_efg, parse_efg, read_efg, write_efg
from simulator.io.files import read_game

PROJECT = Path(__file__).resolve().parents[1]
GAMBIT = PROJECT / "tests" / "data" / "gambit"  # Gambit's collection (GPL test data, README)
SCENARIOS = PROJECT / "scenarios" / "games"


@pytest.fixture
def gambit() -> Path:
    return GAMBIT


# ---------------------------------------------------------------------- helpers
def assert_same_game(a: ExtensiveGame, b: ExtensiveGame) -> None:
    """Everything an .efg file can carry is equal (outcome names are not kept)."""
    assert a.players == b.players
    assert a.title == b.title
    for name in ("parent", "node_kind", "node_player", "node_infoset", "node_payoffs"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    np.testing.assert_array_equal(a.chance_edge_probabilities, b.chance_edge_probabilities)
    assert a.node_labels == b.node_labels
    assert [
        (h.player, h.label, h.actions, h.nodes, h.probabilities, h.exact_probabilities)
        for h in a.infosets
    ] == [
        (h.player, h.label, h.actions, h.nodes, h.probabilities, h.exact_probabilities)
        for h in b.infosets
    ]


def payoffs_along(game: ExtensiveGame, *actions: str) -> list[float]:
    """Total payoff at the terminal node reached by following action labels from the root."""
    v = 0
    for action in actions:
        h = game.infosets[game.node_infoset[v]]
        kids = game.children[game.child_start[v] : game.child_start[v + 1]]
        v = int(kids[h.actions.index(action)])
    assert game.node_kind[v] == TERMINAL
    return game.terminal_payoffs[v].tolist()


def backward_induction(game: ExtensiveGame) -> tuple[np.ndarray, dict[int, int]]:
    """Node values and the chosen action at each decision node (perfect information)."""
    values = np.array(game.terminal_payoffs, dtype=float)
    choice: dict[int, int] = {}
    for v in range(game.num_nodes - 1, -1, -1):
        if game.node_kind[v] == TERMINAL:
            continue
        kids = game.children[game.child_start[v] : game.child_start[v + 1]]
        if game.node_kind[v] == CHANCE:
            values[v] = game.chance_edge_probabilities[kids] @ values[kids]
        else:
            best = int(np.argmax(values[kids, game.node_player[v]]))
            choice[v] = best
            values[v] = values[kids[best]]
    return values, choice


def pure_nash(game: ExtensiveGame) -> list[tuple[str, str]]:
    """Pure Nash equilibria of a two-player game's reduced strategic form."""
    nf, _ = game.strategic_form()
    a, b = nf.payoffs[..., 0], nf.payoffs[..., 1]
    rows, cols = nf.strategy_labels
    return [
        (rows[i], cols[j])
        for i in range(a.shape[0])
        for j in range(a.shape[1])
        if a[i, j] >= a[:, j].max() and b[i, j] >= b[i, :].max()
    ]


# ---------------------------------------------------------------------- random trees
def random_game(seed: int, words: list[str]) -> ExtensiveGame:
    """A random tree grown breadth-first: chance, shared information sets, inner outcomes,
    exact and float payoffs, labels with quotes, backslashes, braces and newlines."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 4))
    players = [f"{words[i % len(words)]}#{i}" for i in range(n)]
    parent, kind, mover, ids = [-1], [], [], []
    edge, probs, node_labels = [""], [None], []
    infosets: dict[int, list[tuple[int, tuple[str, ...]]]] = {i: [] for i in range(n)}
    set_labels: dict[int, str] = {}
    queue, depth = [0], {0: 0}
    while queue:
        v = queue.pop(0)
        node_labels.append(words[int(rng.integers(len(words)))] if rng.random() < 0.5 else "")
        stop = depth[v] >= 4 or len(parent) > 60 or (v > 0 and rng.random() < 0.3)
        if stop:
            kind.append(TERMINAL)
            mover.append(-1)
            ids.append(-1)
            continue
        if rng.random() < 0.25:
            kind.append(CHANCE)
            mover.append(-1)
            key = len(set_labels) + 1000
            set_labels[key] = words[int(rng.integers(len(words)))] or "chance"
            ids.append(key)
            m = int(rng.integers(1, 4))
            actions = tuple(f"{j}{words[(seed + j) % len(words)]}" for j in range(m))
            weights = rng.integers(1, 6, size=m)
            child_probs = [Fraction(int(w), int(weights.sum())) for w in weights]
        else:
            player = int(rng.integers(n))
            kind.append(DECISION)
            mover.append(player)
            own = infosets[player]
            if own and rng.random() < 0.5:
                key, actions = own[int(rng.integers(len(own)))]
            else:
                key = len(set_labels)
                m = int(rng.integers(1, 4))
                actions = tuple(f"{words[(key + j) % len(words)]}{j}" for j in range(m))
                own.append((key, actions))
                set_labels[key] = words[key % len(words)] or f"set {key}"
            ids.append(key)
            child_probs = [None] * len(actions)
        for action, p in zip(actions, child_probs):
            depth[len(parent)] = depth[v] + 1
            queue.append(len(parent))
            parent.append(v)
            edge.append(action)
            probs.append(p)
    k = len(parent)
    payoffs = np.zeros((k, n))
    terminal = np.array(kind) == TERMINAL
    style = int(rng.integers(3))
    draws = rng.integers(-40, 41, size=(k, n)) / (4 if style else 1)
    if style == 2:
        draws = draws + rng.random((k, n)) * 1e-3  # arbitrary floats: repr round trip
    payoffs[terminal] = draws[terminal]
    inner_outcome = ~terminal & (rng.random(k) < 0.3)
    payoffs[inner_outcome] = draws[inner_outcome]
    return ExtensiveGame.from_arrays(
        players,
        parent,
        kind,
        mover,
        ids,
        payoffs=payoffs,
        chance_probabilities=probs,
        action_labels=edge,
        infoset_labels=set_labels,
        node_labels=node_labels,
        title=" ".join(words[:2]),
    )


LABEL = st.text(
    st.one_of(
        st.sampled_from(['"', "\\", "{", "}", ",", " ", "\n", "é", "/", "t", "p"]),
        st.characters(blacklist_categories=("Cs",)),
    ),
    max_size=5,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), words=st.lists(LABEL, min_size=1, max_size=6))
def test_round_trip_random_trees(seed: int, words: list[str]) -> None:
    game = random_game(seed, words)
    again = parse_efg(format_efg(game))
    assert_same_game(game, again)
    assert format_efg(again) == format_efg(game)


def test_round_trip_through_a_file(tmp_path: Path) -> None:
    game = random_game(7, ['a "quoted" word', "back\\slash", "x"])
    path = tmp_path / "g.efg"
    write_efg(game, path, comment="made by a test")
    assert_same_game(read_efg(path), game)
    assert_same_game(read_game(path), game)
    assert os.listdir(tmp_path) == ["g.efg"]  # no temporary file left behind
    assert path.read_text(encoding="utf-8").splitlines()[1] == '"made by a test"'


def test_write_keeps_the_old_file_when_formatting_fails(tmp_path: Path) -> None:
    path = tmp_path / "g.efg"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(AttributeError):
        write_efg("not a game", path)  # type: ignore[arg-type]
    assert path.read_text(encoding="utf-8") == "old"


# ---------------------------------------------------------------------- Gambit's collection
def test_every_gambit_efg_parses_and_round_trips(gambit: Path) -> None:
    files = sorted(gambit.rglob("*.efg"))
    assert len(files) > 50
    for path in files:
        game = read_efg(path)
        assert game.num_nodes >= 1, path
        assert_same_game(parse_efg(format_efg(game)), game)


def test_beer_quiche_from_gambit(gambit: Path) -> None:
    game = read_efg(gambit / "contrib" / "games" / "e17.efg")
    assert game.players == ("Player 1", "Player 2")
    assert game.num_nodes == 15 and game.terminal_nodes.shape == (8,)
    nature = game.infosets[0]
    assert nature.is_chance and nature.actions == ("wimp", "surly")
    assert nature.exact_probabilities == (Fraction(1, 10), Fraction(9, 10))
    # Player 1 has one singleton set per type; player 2 two sets of two nodes (per breakfast).
    assert sorted(len(h.nodes) for h in game.infosets if h.player == 0) == [1, 1]
    assert [len(h.nodes) for h in game.infosets if h.player == 1] == [2, 2]
    assert [h.label for h in game.infosets if h.player == 1] == ["(2,1)", "(2,2)"]
    assert payoffs_along(game, "wimp", "beer", "duel") == [0, 1]
    assert payoffs_along(game, "surly", "quiche", "don't") == [2, 1]
    assert not game.is_perfect_information() and game.has_perfect_recall()


def test_job_market_signalling_from_watson(gambit: Path) -> None:
    game = read_efg(gambit / "catalog" / "books" / "watson2013" / "fig29_1.efg")
    assert game.players == ("You", "Firm")
    nature = game.infosets[0]
    assert nature.actions == ("High", "Low")
    assert nature.exact_probabilities == (Fraction(1, 3), Fraction(2, 3))
    # Unnamed information sets are labelled by their number in the file.
    assert [h.label for h in game.infosets] == ["1", "1", "1", "2", "2"]
    assert payoffs_along(game, "High", "E", "M") == [6, 10]
    assert payoffs_along(game, "Low", "N", "C") == [4, 4]


def test_seltens_horse(gambit: Path) -> None:
    game = read_efg(gambit / "catalog" / "journals" / "ijgt" / "selten1975" / "fig1.efg")
    assert game.num_players == 3 and game.num_nodes == 9
    assert "Selten's horse" in game.title
    (third,) = [h for h in game.infosets if h.player == 2]
    assert len(third.nodes) == 2  # player 3 does not know who passed the move
    assert game.subgame_roots() == [0]  # no proper subgames
    assert payoffs_along(game, "L", "R") == [3, 2, 2]
    assert payoffs_along(game, "R", "L", "R") == [4, 4, 0]
    assert payoffs_along(game, "R", "R") == [1, 1, 1]


# ---------------------------------------------------------------------- scenario files
def test_entry_deterrence_spe_differs_from_a_nash_equilibrium() -> None:
    game = read_game(SCENARIOS / "entry_deterrence.efg")
    assert game.is_perfect_information()
    assert sorted(pure_nash(game)) == [("Enter", "Accommodate"), ("Out", "Fight")]
    values, choice = backward_induction(game)
    root_choice = game.infosets[0].actions[choice[0]]
    reply = game.infosets[game.node_infoset[2]].actions[choice[2]]
    assert (root_choice, reply) == ("Enter", "Accommodate")
    assert values[0].tolist() == [1, 1]


def test_beer_quiche_scenario_matches_the_published_game(gambit: Path) -> None:
    mine = read_efg(SCENARIOS / "beer_quiche.efg")
    published = read_efg(gambit / "contrib" / "games" / "e17.efg")
    for name in ("parent", "node_kind", "node_player", "node_infoset", "terminal_payoffs"):
        np.testing.assert_array_equal(getattr(mine, name), getattr(published, name))
    assert mine.infosets[0].exact_probabilities == published.infosets[0].exact_probabilities


def test_beer_quiche_pooling_on_beer_is_an_equilibrium() -> None:
    game = read_efg(SCENARIOS / "beer_quiche.efg")
    nf, _ = game.strategic_form()
    profile = ("beer/beer", "leave/duel")  # both types drink beer; duel only after quiche
    assert nf.payoff(profile).tolist() == pytest.approx([2.9, 0.9])
    a, b = nf.payoffs[..., 0], nf.payoffs[..., 1]
    i, j = (nf.strategy_labels[0].index(profile[0]), nf.strategy_labels[1].index(profile[1]))
    assert a[i, j] >= a[:, j].max() - 1e-12 and b[i, j] >= b[i, :].max() - 1e-12


def test_two_round_dilemma_adds_stage_payoffs() -> None:
    game = read_efg(SCENARIOS / "two_round_dilemma.efg")
    assert game.num_nodes == 31 and game.num_infosets == 10
    assert payoffs_along(game, "C", "c", "C", "c") == [6, 6]
    assert payoffs_along(game, "C", "d", "D", "c") == [5, 5]
    assert payoffs_along(game, "D", "d", "D", "d") == [2, 2]
    assert game.subgame_roots() == [0, 2, 9, 17, 24]
    for root in (2, 9, 17, 24):  # in every second-round subgame defecting dominates
        nf, _ = game.subtree(root).strategic_form()
        a, b = nf.payoffs[..., 0], nf.payoffs[..., 1]
        assert np.all(a[1] > a[0]) and np.all(b[:, 1] > b[:, 0])


# ---------------------------------------------------------------------- format details
HEADER = 'EFG 2 R "g" { "A" "B" }\n""\n'


def test_descriptions_may_be_repeated_exactly_or_omitted() -> None:
    repeated = parse_efg(
        HEADER + 'c "" 1 "coin" { "h" 1/2 "t" 0.5 } 0\n'
        'p "" 2 1 "guess" { "H" "T" } 0\n t "" 1 "win" { 1, -1 }\n t "" 2 "lose" {-1 1}\n'
        'p "" 2 1 "guess" {"H"   "T"} 0\n t "" 2 "lose" { -1, 1 }\n t "" 1 "win" { 1.0, -1 }\n'
    )
    omitted = parse_efg(
        HEADER + 'c "" 1 "coin" { "h" 1/2 "t" 1/2 } 0\n'
        'p "" 2 1 "guess" { "H" "T" } 0\n t "" 1 "win" { 1, -1 }\n t "" 2 "lose" { -1, 1 }\n'
        'p "" 2 1 0\n t "" 2\n t "" 1\n'
    )
    assert_same_game(repeated, omitted)
    assert omitted.infosets[1].nodes == (1, 4)
    assert omitted.terminal_payoffs[omitted.terminal_nodes, 1].tolist() == [-1, 1, 1, -1]


def test_outcomes_at_inner_nodes_add_up_and_numbers_are_flexible() -> None:
    game = parse_efg(
        'EFG 2 D "stages" { "A" "B" } '
        'p "root" 1 7 "x" { "a" "b" } 3 "toll" { -1/2, +0.25 } '
        't "" 1 "end" { 2 1e1 } '
        'c "" 4 "nature" { "u" 0.25 "v" 3/4 } 9 "bonus" { .5, 1 } '
        't "" 0 '
        't "" 1'
    )
    assert game.terminal_payoffs[game.terminal_nodes].tolist() == [
        [1.5, 10.25],
        [0.0, 1.25],
        [2.0, 11.25],
    ]
    assert game.node_payoffs[0].tolist() == [-0.5, 0.25]
    assert game.infosets[0].label == "x" and game.node_labels[0] == "root"


def test_escaped_quotes_and_duplicate_action_labels() -> None:
    game = parse_efg(
        'EFG 2 R "say \\"hi\\"" { "A \\\\ B" } p "n\\"1" 1 1 "" { "" "" "x" } 0 '
        't "" 0 t "" 0 t "" 0'
    )
    assert game.title == 'say "hi"' and game.players == ("A \\ B",)
    assert game.node_labels[0] == 'n"1'
    assert game.infosets[0].actions == ("1", "2", "x")  # repeats renamed by position


def test_a_chance_event_used_at_two_nodes_is_copied_to_each() -> None:
    game = parse_efg(
        HEADER + 'p "" 1 1 "" { "L" "R" } 0 '
        'c "" 1 "e" { "x" 1/3 "y" 2/3 } 0 t "" 0 t "" 0 '
        'c "" 1 0 t "" 0 t "" 0'
    )
    chance = [h for h in game.infosets if h.is_chance]
    assert [h.label for h in chance] == ["e", "e (2)"]
    assert all(h.exact_probabilities == (Fraction(1, 3), Fraction(2, 3)) for h in chance)


def test_format_efg_declares_each_set_and_outcome_once() -> None:
    text = format_efg(read_efg(SCENARIOS / "beer_quiche.efg"), comment="again")
    lines = text.splitlines()
    assert lines[0] == 'EFG 2 R "Beer or quiche" { "Sender" "Receiver" }'
    assert lines[1] == '"again"'
    assert lines[3] == 'c "nature" 1 "type" { "weak" 1/10 "strong" 9/10 } 0'
    assert lines[4] == 'p "weak sender" 1 1 "weak" { "beer" "quiche" } 0'
    assert lines[12] == 'p "strong drank beer" 2 1 0'
    assert lines[13] == 't "" 5 "Outcome 5" { 1, 0 }'
    assert (
        sum(line.count("{") for line in lines) == 1 + 1 + 4 + 8
    )  # players, chance, sets, outcomes


def test_huge_exponents_are_read_without_exact_big_numbers() -> None:
    game = parse_efg(HEADER + 'c "" 1 "" { "L" 1 "R" 1e-999999999 } 0 t "" 0 t "" 0')
    assert game.infosets[0].probabilities == (1.0, 0.0)
    # Both round to 0.0; comparing them does not build 10**999999999.
    tiny = parse_efg(
        HEADER + 'c "" 1 "" { "L" 1/2 "R" 1/2 } 0 '
        't "" 1 "" { 1e-999999999, 0 } t "" 1 "" { 2e-999999999, 0 }'
    )
    assert tiny.terminal_payoffs.max() == 0


def test_inexact_chance_probabilities_are_written_as_floats() -> None:
    game = ExtensiveGame.from_arrays(
        ["A"],
        [-1, 0, 0, 0],
        [CHANCE, TERMINAL, TERMINAL, TERMINAL],
        payoffs=[[0], [1], [2], [3]],
        chance_probabilities=np.array([0, 0.1, 0.2, 0.7 + 1e-12]),
    )
    again = parse_efg(format_efg(game))
    assert again.infosets[0].probabilities == game.infosets[0].probabilities


# ---------------------------------------------------------------------- malformed files
GOOD = (
    'EFG 2 R "g" { "A" "B" }\n'  # line 1
    '""\n'  # 2
    'p "" 1 1 "" { "L" "R" } 0\n'  # 3
    't "" 1 "" { 1, 2 }\n'  # 4
    'p "" 2 1 "" { "l" "r" } 0\n'  # 5
    't "" 2 "" { 3, 4 }\n'  # 6
    't "" 3 "" { 5, 6 }\n'  # 7
)


def replace_line(number: int, text: str) -> str:
    lines = GOOD.splitlines()
    lines[number - 1] = text
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        (replace_line(1, 'EFX 2 R "g" { "A" "B" }'), 1, "expected 'EFG'"),
        (replace_line(1, 'NFG 1 R "g" { "A" "B" }'), 1, "strategic-form"),
        (replace_line(1, 'EFG 3 R "g" { "A" "B" }'), 1, "version"),
        (replace_line(1, 'EFG 2 R "g" { }'), 1, "no players"),
        (replace_line(1, 'EFG 2 R "g" "A" "B" }'), 1, "'{'"),
        (replace_line(5, 'p "" 2 1 "" { "l" "r" 0'), 5, "'}' closing the list of actions"),
        (replace_line(4, 't "" 1 "" { 1, 2'), 4, "'}' closing the payoffs of outcome 1"),
        (replace_line(6, 'x "" 2 "" { 3, 4 }'), 6, "unknown node type 'x'"),
        (replace_line(6, 'T "" 2 "" { 3, 4 }'), 6, "unknown node type"),
        (replace_line(3, 'c "" 1 "" { "L" 1/2 "R" 1/3 } 0'), 3, "sum to 5/6"),
        (replace_line(3, 'c "" 1 "" { "L" 3/2 "R" -1/2 } 0'), 3, "not between 0 and 1"),
        (replace_line(3, 'c "" 1 "" { "L" 1 "R" 1e999999999 } 0'), 3, "not between 0 and 1"),
        (replace_line(3, 'c "" 1 "" { "L" 1/0 "R" 1 } 0'), 3, "division by zero"),
        (replace_line(3, 'c "" 1 "" { "L" "R" } 0'), 3, "probability"),
        (replace_line(5, 'p "" 1 1 "" { "L" "M" } 0'), 5, "different actions"),
        (replace_line(5, 'p "" 1 1 "other" { "L" "R" } 0'), 5, "named ''"),
        (replace_line(5, 'p "" 3 1 "" { "l" "r" } 0'), 5, "player number 3 is out of range"),
        (replace_line(5, 'p "" 0 1 "" { "l" "r" } 0'), 5, "player number 0"),
        (replace_line(5, 'p "" 2 0 "" { "l" "r" } 0'), 5, "numbered 0"),
        (replace_line(5, 'p "" 2 1 0'), 5, "first time without its name and actions"),
        (replace_line(5, 'p "" 2 1 "" { } 0'), 5, "has no actions"),
        (replace_line(5, 'p "" 2 1.5 "" { "l" "r" } 0'), 5, "whole number"),
        (replace_line(6, 't "" 2 "" { 3, 4, 5 }'), 6, "has 3 payoffs; expected 2"),
        (replace_line(6, 't "" 2 "" { 3 }'), 6, "has 1 payoff; expected 2"),
        (replace_line(6, 't "" 2 "" { 3,, 4 }'), 6, "a number for a payoff"),
        (replace_line(6, 't "" 2 "" { 3, x }'), 6, "a number for a payoff"),
        (replace_line(6, 't "" 2 "" { 1/0, 4 }'), 6, "division by zero"),
        (replace_line(6, 't "" 2 "" { 1e999, 4 }'), 6, "too large"),
        (replace_line(6, 't "" 2 "" { 1/3, 9' + "0" * 400 + "/1 }"), 6, "too large"),
        (replace_line(6, 't "" 5'), 6, "outcome 5 is used here for the first time"),
        (replace_line(6, 't "" 0 "" { 3, 4 }'), 6, "null outcome"),
        (replace_line(6, 't "" 1 "" { 3, 4 }'), 6, "declared again with payoffs"),
        (replace_line(6, 't "" 1 "other" { 1, 2 }'), 6, "declared again with the name"),
        (replace_line(7, 't "" 3 "unterminated { 5, 6 }'), 7, "unterminated string"),
        (replace_line(3, 'p "" 1 1 "" { "L" "R" }'), 3, "the outcome number"),
        (replace_line(3, 'p "" 1 1 "" { "L" "R" } 0 "x"'), 3, "'{' opening the payoffs"),
        (replace_line(3, 'p "" 1 1 "" { "L" "R" } 0 { 1, 2 }'), 3, "the outcome name"),
        (GOOD + 't "" 0\n', 8, "already complete"),
        (GOOD.replace('t "" 3 "" { 5, 6 }\n', ""), 6, "still needs 1 more child"),
        (GOOD.replace('t "" 3 "" { 5, 6 }\n', 't "" 3 "" { 5,'), 7, "end of the file"),
        (GOOD[: GOOD.index("p ")], 2, "no nodes"),
        ("", 1, "empty"),
    ],
)
def test_malformed_files_name_the_line(text: str, line: int, fragment: str) -> None:
    with pytest.raises(EfgFormatError) as info:
        parse_efg(text, source="bad.efg")
    error = info.value
    assert error.line == line, str(error)
    assert fragment in error.reason, str(error)
    assert str(error).startswith(f"bad.efg, line {line}, column {error.column}: ")
    assert isinstance(error, GameError)


def test_missing_brace_points_after_the_last_payoff() -> None:
    with pytest.raises(EfgFormatError) as info:
        parse_efg(replace_line(4, 't "" 1 "" { 1, 2'))
    assert (info.value.line, info.value.column) == (4, len('t "" 1 "" { 1, 2') + 1)
    assert "opened on line 4" in info.value.reason and "found 'p'" in info.value.reason


def test_unknown_player_column_points_at_the_number() -> None:
    with pytest.raises(EfgFormatError) as info:
        parse_efg(replace_line(5, 'p "" 3 1 "" { "l" "r" } 0'))
    assert info.value.column == len('p "" ') + 1
    assert "1 = 'A', 2 = 'B'" in info.value.reason


def test_errors_survive_pickling() -> None:
    error = EfgFormatError("bad", path="g.efg", line=3, column=4)
    again = pickle.loads(pickle.dumps(error))
    assert (again.reason, again.path, again.line, again.column) == ("bad", "g.efg", 3, 4)
    assert str(again) == str(error)


def test_read_efg_reports_bad_encoding_with_a_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.efg"
    path.write_bytes(b'EFG 2 R "g" { "A" }\np "\xe9" 1 1 "" { "x" } 0 t "" 0\n')
    with pytest.raises(EfgFormatError) as info:
        read_efg(path)
    assert info.value.line == 2 and "UTF-8" in info.value.reason


# ---------------------------------------------------------------------- size
def test_a_generated_100000_node_file() -> None:
    """A complete binary tree (chance root, three players, shared information sets)."""
    k = 100_001
    parent = np.r_[-1, (np.arange(1, k) - 1) // 2]
    inner = np.arange(k) < (k - 1) // 2
    depth = np.floor(np.log2(np.arange(k) + 1)).astype(int)
    kind = np.where(inner, DECISION, TERMINAL)
    kind[0] = CHANCE
    player = np.where(inner, depth % 3, -1)
    infoset = np.where(inner, depth * 100 + np.arange(k) % 7, -1)
    probabilities = [None] * k
    probabilities[1:3] = ["1/3", "2/3"]
    rng = np.random.default_rng(1)
    payoffs = np.zeros((k, 3))
    payoffs[~inner] = rng.integers(-9, 10, size=(int((~inner).sum()), 3)) / 8
    payoffs[1] = [0.5, 0, -0.5]  # an outcome at an inner node
    game = ExtensiveGame.from_arrays(
        ["A", "B", "C"], parent, kind, player, infoset,
        payoffs=payoffs, chance_probabilities=probabilities,
    )  # fmt: skip
    text = format_efg(game)
    assert text.count("\n") == k + 3
    again = parse_efg(text)
    assert again.num_nodes == k
    np.testing.assert_array_equal(again.terminal_payoffs, game.terminal_payoffs)
    np.testing.assert_array_equal(again.node_infoset, game.node_infoset)
    assert again.infosets[0].exact_probabilities == (Fraction(1, 3), Fraction(2, 3))
    assert again.num_infosets == game.num_infosets


# ---------------------------------------------------------------------- robustness
MUTATION = st.tuples(
    st.floats(0, 1),
    st.sampled_from(["", '"', "{", "}", ",", " ", "\n", "0", "1/2", "-", "e", "t", "p", "\\"]),
    st.integers(0, 3),
)


@settings(max_examples=200, deadline=None)
@given(mutations=st.lists(MUTATION, min_size=1, max_size=3))
def test_damaged_files_give_a_located_efg_error_or_a_game(
    mutations: list[tuple[float, str, int]],
) -> None:
    text = (SCENARIOS / "two_round_dilemma.efg").read_text(encoding="utf-8")
    for where, insert, cut in mutations:
        at = int(where * len(text))
        text = text[:at] + insert + text[at + cut :]
    try:
        game = parse_efg(text)
    except EfgFormatError as error:
        assert error.line >= 1 and error.column >= 1
        assert "cannot read this node" not in error.reason  # the two readers agree
    else:
        assert game.num_nodes >= 1


def test_large_payoffs_round_trip_through_efg_in_a_form_gambit_reads(tmp_path) -> None:
    from simulator.games.extensive import Decision, ExtensiveGame, Terminal

    game = ExtensiveGame.from_tree(
        ["A", "B"],
        Decision("A", {"l": Terminal([1e19, -2.5e-7]), "r": Terminal([3e300, 1 / 3])}),
    )
    path = tmp_path / "big.efg"
    write_efg(game, path)
    text = path.read_text()
    assert "e+" not in text and "10000000000000000000" in text
    assert np.array_equal(read_efg(path).terminal_payoffs, game.terminal_payoffs)


def test_efg_integers_a_float_cannot_hold_are_refused(tmp_path) -> None:
    path = tmp_path / "big.efg"
    path.write_text(
        'EFG 2 R "big" { "A" "B" }\n""\np "" 1 1 "" { "l" "r" } 0\n'
        't "" 1 "x" { 10000000000000000000, 0 }\nt "" 2 "y" { 10000000000000000001, 1 }\n'
    )
    with pytest.raises(EfgFormatError, match="outcome 2: the payoff 10000000000000000001"):
        read_efg(path)
