"""simulator.solvers re-exports its solvers, lazily, and keeps functions above submodules."""

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
    for name in ("solve", "lemke_howson", "vertex_enumeration", "backward_induction"):
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
