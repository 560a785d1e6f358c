"""The command line, run as a user would: through a subprocess."""

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GAMES = ROOT / "scenarios" / "games"


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "simulator", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def test_help_lists_commands_and_examples():
    result = run("--help")
    assert result.returncode == 0
    assert "solve" in result.stdout
    result = run("solve", "--help")
    assert result.returncode == 0
    assert "examples:" in result.stdout and "lemke-howson" in result.stdout


def test_solve_table():
    result = run("solve", str(GAMES / "battle_of_the_sexes.nfg"))
    assert result.returncode == 0, result.stderr
    assert "3 equilibria" in result.stdout
    assert "regret" in result.stdout


def test_solve_json_schema_and_values():
    result = run("solve", str(GAMES / "battle_of_the_sexes.nfg"), "--format", "json", "--exact")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert set(document) >= {"players", "strategies", "equilibria"}
    assert len(document["players"]) == 2
    eqs = document["equilibria"]
    assert len(eqs) == 3
    for eq in eqs:
        assert set(eq) >= {"profile", "payoffs", "regret"}
        assert len(eq["profile"]) == 2
        assert all(abs(sum(v) - 1) < 1e-9 for v in eq["profile"])
        assert eq["regret"] <= 1e-8
        assert eq["exact"] is True
    mixed = [e for e in eqs if 0 < e["profile"][0][0] < 1][0]
    assert mixed["profile"][0][0] == pytest.approx(2 / 3)


def test_degenerate_game_reports_components():
    result = run("solve", str(GAMES / "degenerate_2x2.nfg"), "--format", "json")
    assert result.returncode == 0, result.stderr
    eqs = json.loads(result.stdout)["equilibria"]
    assert all("component" in e for e in eqs)


@pytest.mark.parametrize(
    "content, expect",
    [
        ('NFG 1 R "broken" { "A" "B" } { 2 2 }\n1 2 3\n', "line"),
        ("this is not a game\n", "line 1"),
        ("", "empty"),
    ],
)
def test_malformed_files_give_one_line_error_and_status_2(tmp_path, content, expect):
    path = tmp_path / "bad.nfg"
    path.write_text(content)
    result = run("solve", str(path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "bad.nfg" in result.stderr
    assert expect in result.stderr.lower()
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_file_and_bad_extension(tmp_path):
    result = run("solve", str(tmp_path / "nope.nfg"))
    assert result.returncode == 2 and "no such file" in result.stderr
    other = tmp_path / "game.txt"
    other.write_text("x")
    result = run("solve", str(other))
    assert result.returncode == 2 and "unknown game file type" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_method_exits_2():
    result = run("solve", str(GAMES / "battle_of_the_sexes.nfg"), "--method", "magic")
    assert result.returncode == 2


def test_console_script_is_installed():
    exe = Path(sys.executable).with_name("simulator")
    if not exe.exists():
        pytest.skip("the console script is only present in an installed environment")
    result = subprocess.run([str(exe), "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and "simulator" in result.stdout


def test_solve_efg_concepts_table_and_json():
    game = GAMES / "beer_quiche.efg"
    result = run("solve", str(game), "--concept", "pbe")
    assert result.returncode == 0, result.stderr
    assert "2 perfect Bayesian equilibria" in result.stdout
    assert "passes" in result.stdout and "fails" in result.stdout  # intuitive criterion
    result = run("solve", str(game), "--concept", "pbe", "--format", "json")
    document = json.loads(result.stdout)
    assert document["players"] == ["Sender", "Receiver"]
    assert set(document["infosets"]["Receiver"]) == {"saw beer", "saw quiche"}
    payoffs = sorted(tuple(round(u, 9) for u in e["payoffs"]) for e in document["equilibria"])
    assert payoffs == [(2.1, 0.9), (2.9, 0.9)]
    for eq in document["equilibria"]:
        assert eq["regret"] <= 1e-7 and eq["concept_regret"] <= 1e-7
        assert "behaviour" in eq and "beliefs" in eq
        # beliefs after each message are given on and off the path of play
        assert set(eq["beliefs"]["Receiver"]) == {"saw beer", "saw quiche"}


def test_solve_efg_spe_differs_from_nash():
    game = GAMES / "entry_deterrence.efg"
    spe = json.loads(run("solve", str(game), "--format", "json").stdout)["equilibria"]
    nash = json.loads(run("solve", str(game), "--concept", "nash", "--format", "json").stdout)
    assert len(spe) == 1
    assert len(nash["equilibria"]) > len(spe)


def test_malformed_efg_gives_line_and_status_2(tmp_path):
    path = tmp_path / "bad.efg"
    path.write_text('EFG 2 R "x" { "A" "B" } ""\np "" 1 1 "" { "a" "b" } 0\nt "" 1 "o" { 1 2 }\n')
    result = run("solve", str(path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "line" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_library_warnings_reach_the_terminal_as_one_plain_line(tmp_path):
    import numpy as np

    from simulator import NormalFormGame
    from simulator.io.nfg import write_nfg

    path = tmp_path / "all_zero.nfg"
    write_nfg(NormalFormGame(np.zeros((2, 2, 2, 3))), path)  # every profile an equilibrium
    result = run("solve", str(path), "--method", "support")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines and all(line.startswith("simulator: warning: ") for line in lines)
    assert "Warning:" not in result.stderr and "solve.py" not in result.stderr


def test_ctrl_c_during_solve_ends_with_one_line_and_status_130(monkeypatch, capsys):
    from simulator import cli

    solve_module = importlib.import_module("simulator.solvers.solve")

    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(solve_module, "solve", interrupted)
    status = cli.main(["solve", str(GAMES / "battle_of_the_sexes.nfg")])
    assert status == cli.EXIT_INTERRUPTED == 130
    err = capsys.readouterr().err
    assert err == "simulator: interrupted\n"


def test_time_limit_ends_a_long_solve_with_exit_3(tmp_path):
    import numpy as np

    from simulator import NormalFormGame
    from simulator.io.nfg import write_nfg

    rng = np.random.default_rng(0)
    path = tmp_path / "slow.nfg"
    write_nfg(NormalFormGame(rng.integers(-9, 10, size=(4, 4, 4, 3)).astype(float)), path)
    result = run("solve", str(path), "--method", "support", "--time-limit", "0.5")
    assert result.returncode == 3, result.stderr
    assert "within --time-limit 0.5 s" in result.stderr and "Traceback" not in result.stderr
    bad = run("solve", str(GAMES / "battle_of_the_sexes.nfg"), "--time-limit", "-1")
    assert bad.returncode == 2 and "positive number of seconds" in bad.stderr
    fine = run("solve", str(GAMES / "battle_of_the_sexes.nfg"), "--time-limit", "30")
    assert fine.returncode == 0 and "3 equilibria" in fine.stdout


def _compiled_work(size: int, repeats: int) -> float:
    """Seconds of work inside LAPACK, where Python signal handlers cannot run."""
    import numpy as np

    a = np.random.default_rng(0).standard_normal((size, size))
    for _ in range(repeats):
        np.linalg.eigvals(a)
    return 0.0


def test_time_limit_holds_inside_compiled_code():
    """A solve stuck in a long call into compiled code (as Qhull is on some Gambit trees)
    is still ended at --time-limit: the solve runs in a child process stopped at the limit."""
    import time

    from simulator.cli.solve_command import _TimeLimit, _within

    start = time.perf_counter()
    with pytest.raises(_TimeLimit):
        _within(0.5, lambda: None, _compiled_work, 1500, 20)  # about 15 s of eigenvalues
    assert time.perf_counter() - start < 5.0
    assert _within(5.0, lambda: None, _compiled_work, 10, 1) == 0.0  # a quick answer comes back
    with pytest.raises(ValueError, match="negative"):
        _within(5.0, lambda: None, _compiled_work, -1, 1)  # the solver's own error is raised here


@pytest.mark.parametrize("name", ["montyhal", "palf3", "tim"])
def test_trees_beyond_all_equilibria_are_refused_at_once_with_the_reason(name):
    """Gambit trees whose reduced strategic forms no vertex enumeration can finish are refused
    in well under a second, naming the polytope and the concept that gives one equilibrium."""
    import time

    path = ROOT / "tests" / "data" / "gambit" / "contrib" / "games" / f"{name}.efg"
    start = time.perf_counter()
    result = run("solve", str(path))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "beyond reach" in result.stderr and "'sequential'" in result.stderr
    assert time.perf_counter() - start < 20
    one = run("solve", str(path), "--concept", "sequential")
    assert one.returncode == 0, one.stderr


def test_an_imperfect_recall_tree_is_refused_before_solving_for_nash():
    """Nash equilibria are reported in behaviour strategies, which needs perfect recall: a tree
    without it (Gambit's e09) is refused at once with the reason, not after the whole solve."""
    import time

    path = ROOT / "tests" / "data" / "gambit" / "contrib" / "games" / "e09.efg"
    start = time.perf_counter()
    result = run("solve", str(path), "--concept", "nash")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "needs perfect recall" in result.stderr and "Kuhn" in result.stderr
    assert time.perf_counter() - start < 20  # the solve itself took 30 s before
