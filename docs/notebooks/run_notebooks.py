"""Run the tutorials' notebooks, so that they cannot rot (CI: ``.ci/run``; not a page).

Each notebook's source is a jupytext "percent" file beside this script (``analyst.py``,
``game_theorist.py``): jupytext turns it into a notebook in memory and nbclient executes it on
the ``python3`` kernel (ipykernel, from the ``docs`` extra) with the repository root as the
working directory, so ``scenarios/...`` resolves as on the tutorial pages. A cell that raises,
or runs longer than the timeout, fails the run: the script prints the notebook, the cell and
its error and exits with status 1. Run it from anywhere::

    python docs/notebooks/run_notebooks.py                 # every notebook here
    python docs/notebooks/run_notebooks.py docs/notebooks/analyst.py --timeout 60
    python docs/notebooks/run_notebooks.py --output-dir out/notebooks   # keep the results

``--output-dir`` writes each executed notebook (``NAME.ipynb``, with its outputs and figures)
there. Nothing is written otherwise; the ``.ipynb`` files are never committed (.gitignore).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
KERNEL = "python3"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def sources() -> list[Path]:
    """The notebook sources in this folder (every ``.py`` file but this script)."""
    return sorted(p for p in HERE.glob("*.py") if p.resolve() != Path(__file__).resolve())


def run(path: Path, timeout: int, output_dir: Path | None = None) -> str | None:
    """Execute one percent file as a notebook; return the failing cell's error, or None."""
    import jupytext
    from nbclient import NotebookClient
    from nbclient.exceptions import CellControlSignal, CellExecutionError, DeadKernelError

    notebook = jupytext.read(path, fmt="py:percent")
    current: dict[str, Any] = {}

    def started(cell: Any, cell_index: int, **_: Any) -> None:
        current.update(cell=cell, index=cell_index)

    client = NotebookClient(
        notebook,
        kernel_name=KERNEL,
        timeout=timeout,
        resources={"metadata": {"path": str(ROOT)}},
        # The kernel's own start-up warnings (e.g. ipykernel 7 on plain TCP) are noise here.
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
        on_cell_start=started,
    )
    error = None
    try:
        client.execute()
    except (CellExecutionError, CellControlSignal, DeadKernelError) as exc:
        number = current["index"] + 1 if "index" in current else "?"
        where = f"{path.name}, cell {number} of {len(notebook.cells)}"
        # An error or a timeout quotes the cell's source; a dead kernel does not.
        if isinstance(exc, DeadKernelError) and "cell" in current:
            where += ":\n" + current["cell"].source
        error = f"{where}\n{type(exc).__name__}: {_ANSI.sub('', str(exc))}"
    if output_dir is not None:
        output_dir.mkdir(parents=True, exist_ok=True)
        jupytext.write(notebook, output_dir / f"{path.stem}.ipynb", fmt="ipynb")
    return error


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="percent files to run (default: every one in docs/notebooks/)")
    parser.add_argument("--timeout", type=int, default=120,
                        help="seconds a cell may run (default 120)")
    parser.add_argument("--output-dir", type=Path,
                        help="write the executed notebooks (.ipynb) to this folder")
    args = parser.parse_args(argv)
    failures = []
    for path in args.notebooks or sources():
        start = time.perf_counter()
        error = run(path.resolve(), args.timeout, args.output_dir)
        took = time.perf_counter() - start
        print(f"{path.name}: {'FAILED' if error else 'ok'} in {took:.1f} s", flush=True)
        if error:
            failures.append(error)
    for error in failures:
        print(f"\n{error}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
