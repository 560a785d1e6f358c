"""MkDocs hooks for the documentation site (``hooks:`` in ``mkdocs.yml``; not a page).

Three jobs:

* **Running commands for the tutorials.** The pages' hidden ``markdown-exec`` blocks call
  :func:`console` (``from docs_hooks import console``) to run a ``simulator`` command and show
  it with its output. Every command runs in one scratch folder per build holding a copy of
  ``scenarios/``, so relative paths read as in the README and nothing is written into the
  checkout; a command that fails fails the build (``mkdocs build --strict``).
  :func:`figure` turns a matplotlib figure into an inline ``<img>``, so the tutorials'
  figures are drawn by the build.
* **Each object documented once.** A package re-exports names from its modules; rendering the
  package's members would document each of them twice (as ``simulator.model.Russia`` and as
  ``simulator.model.actors.Russia``). A ``::: package`` directive on an API page is given the
  package's submodules as its ``members``, read from the package itself, so each object is
  documented in its module only and a new module appears without editing the page.
* **Sphinx roles in docstrings.** The API pages render numpy docstrings that use Sphinx
  roles (``:class:`Scenario```), which Markdown shows literally; the role prefix is dropped
  from the HTML, leaving the name in code.
"""

from __future__ import annotations

import atexit
import base64
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
#: Width of the terminal the commands see (rich tables and argparse help wrap to it).
COLUMNS = 88

# Importable from the pages' code blocks under a plain name (MkDocs registers a hook module
# under its path).
sys.modules["docs_hooks"] = sys.modules[__name__]

_scratch: Path | None = None


def scratch() -> Path:
    """The build's scratch folder (created on first use, with a copy of ``scenarios/``)."""
    global _scratch
    if _scratch is None:
        _scratch = Path(tempfile.mkdtemp(prefix="simulator-docs-"))
        shutil.copytree(ROOT / "scenarios", _scratch / "scenarios")
        atexit.register(shutil.rmtree, _scratch, ignore_errors=True)
    return _scratch


def write(name: str, text: str) -> str:
    """Write ``text`` to ``name`` in the scratch folder; return it as a fenced YAML block."""
    path = scratch() / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return f'```yaml title="{name}"\n{text.rstrip()}\n```\n'


def read(name: str) -> str:
    """The text of ``name`` in the scratch folder (e.g. a briefing a command wrote)."""
    return (scratch() / name).read_text(encoding="utf-8")


def console(
    *commands: str, returncode: int = 0, lines: int | None = None, columns: int = COLUMNS
) -> str:
    """Run each ``simulator ...`` command; return a console block showing them and their output.

    The leading ``simulator`` runs as ``python -m simulator`` of the interpreter building the
    site. A command that exits with another status than ``returncode`` raises, which makes
    markdown-exec fail the build. ``lines`` keeps only the first lines of each output;
    ``columns`` is the width of the terminal the command sees.
    """
    env = dict(os.environ, COLUMNS=str(columns), NO_COLOR="1", TERM="dumb")
    env.pop("FORCE_COLOR", None)
    shown = []
    for command in commands:
        argv = shlex.split(command)
        if argv[0] == "simulator":
            argv = [sys.executable, "-m", "simulator", *argv[1:]]
        done = subprocess.run(
            argv,
            cwd=scratch(),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            check=False,
        )
        if done.returncode != returncode:
            raise RuntimeError(f"{command!r} exited with {done.returncode}:\n{done.stdout}")
        output = done.stdout.rstrip("\n").splitlines()
        if lines is not None and len(output) > lines:
            output = [*output[:lines], "..."]
        shown.append("\n".join([f"$ {command}", *output]))
    return "```console\n" + "\n".join(shown) + "\n```\n"


def figure(fig: Any, width: int = 720) -> str:
    """An ``<img>`` holding ``fig`` as a PNG (base64), for a block with ``html="1"``."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    label = fig.axes[0].get_title() if fig.axes else ""
    alt = label.replace('"', "'") or "figure"
    return f'<img alt="{alt}" src="data:image/png;base64,{data}" style="max-width:{width}px">'


_ROLE = re.compile(
    r":(?:py:)?(?:class|func|meth|mod|data|attr|exc|obj|const):<code>(~?)([^<]*)</code>"
)


_DIRECTIVE = re.compile(r"^::: (simulator(?:\.\w+)*)[ \t]*$", re.MULTILINE)


def _submodules(name: str) -> list[str] | None:
    """The public submodules and subpackages of package ``name`` (``None`` for a module)."""
    import importlib
    import pkgutil

    module = importlib.import_module(name)
    if not hasattr(module, "__path__"):
        return None
    names = (info.name for info in pkgutil.iter_modules(module.__path__))
    return sorted(n for n in names if not n.startswith("_"))  # private modules stay out


def _members_only_modules(m: re.Match[str]) -> str:
    names = _submodules(m.group(1))
    if names is None:
        return m.group(0)
    listed = "\n".join(f"        - {n}" for n in names)
    return f"{m.group(0)}\n    options:\n      members:\n{listed}"


def on_page_markdown(markdown: str, page: Any, **_kwargs: Any) -> str:
    """Give each package directive of an API page its submodules as ``members``."""
    if not page.file.src_uri.startswith("reference/api/"):
        return markdown
    return _DIRECTIVE.sub(_members_only_modules, markdown)


def _unrole(m: re.Match[str]) -> str:
    name = m.group(2)
    return f"<code>{name.rsplit('.', 1)[-1] if m.group(1) else name}</code>"


def on_page_content(html: str, **_kwargs: Any) -> str:
    """Drop Sphinx role prefixes (``:class:``) left in rendered docstrings.

    ``:class:`~a.b.C``` shows ``C``, as Sphinx would.
    """
    return _ROLE.sub(_unrole, html)
