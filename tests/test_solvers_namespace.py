"""Public namespaces: simulator.solvers re-exports its solvers lazily; the root, the core."""

from __future__ import annotations

import importlib
import subprocess
import sys

import simulator.solvers as solvers


def test_every_exported_name_resolves() -> None:
    for name in solvers.__all__:
        assert getattr(solvers, name) is not None, name
    assert set(solvers.__all__) <= set(dir(solvers))


def test_functions_named_like_their_module_stay_functions() -> None:
    for name in ("solve", "lemke_howson", "vertex_enumeration", "zero_sum", "backward_induction"):
        importlib.import_module(f"simulator.solvers.{name}")  # binds nothing on the package
        value = getattr(solvers, name)
        assert callable(value) and not isinstance(value, type(sys)), name
        module = importlib.import_module(f"simulator.solvers.{name}")
        assert getattr(module, name) is value


def test_importing_the_package_loads_no_solver() -> None:
    code = (
        "import sys, simulator.solvers; "
        "print(sorted(m for m in sys.modules if m.startswith('simulator.solvers.')), "
        "'scipy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[] False"


def test_the_root_holds_the_core_and_the_scenario_entry_points() -> None:
    import warnings

    import simulator

    for name in simulator.__all__:
        assert getattr(simulator, name) is not None, name
    assert {"load_scenario", "run_scenario", "solve", "NormalFormGame"} <= set(simulator.__all__)
    # the Russia-Ukraine-West engine lives in simulator.model
    assert "NegotiationModel" not in simulator.__all__
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        from simulator.model import NegotiationModel

        assert simulator.NegotiationModel is NegotiationModel
    assert "from simulator.model import NegotiationModel" in str(caught[0].message)
