"""The floors hold and no module imports another that imports it back (function-level imports
included; annotations under TYPE_CHECKING are not imports)."""

from __future__ import annotations

import sys

import grimp


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan 1972)."""
    sys.setrecursionlimit(max(10_000, sys.getrecursionlimit()))
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.find_modules_directly_imported_by(v)):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_no_import_circles() -> None:
    graph = grimp.build_graph("simulator", exclude_type_checking_imports=True)
    assert _cycles(graph) == []


def test_the_floors_contract_is_kept(monkeypatch, capsys) -> None:
    from pathlib import Path

    from importlinter.cli import EXIT_STATUS_SUCCESS, lint_imports

    monkeypatch.chdir(Path(__file__).resolve().parents[1])  # pyproject.toml holds the contract
    status = lint_imports(no_cache=True, no_logo=True)
    assert status == EXIT_STATUS_SUCCESS, capsys.readouterr().out


def test_every_error_the_library_raises_derives_from_one_base() -> None:
    from simulator import SimulatorError
    from simulator.analysis.points import AnalysisError
    from simulator.games.errors import GameError
    from simulator.io.efg import EfgFormatError
    from simulator.io.nfg import NfgFormatError
    from simulator.model.parameters import ParameterError
    from simulator.scenario.errors import ScenarioError
    from simulator.scenario.formula import FormulaError
    from simulator.solvers.equilibrium import CertificationError

    for error in (
        AnalysisError,
        GameError,
        EfgFormatError,
        NfgFormatError,
        ParameterError,
        ScenarioError,
        FormulaError,
        CertificationError,
    ):
        assert issubclass(error, SimulatorError), error.__name__
    assert issubclass(ParameterError, ValueError)  # existing except clauses keep working
