"""The documentation site's navigation (mkdocs.yml) and the pages in docs/ agree.

Cheap checks that fail before the slow strict build in CI does (`mkdocs build --strict`, see
.ci/run): every page the navigation names exists, every page in docs/ is in the navigation
or excluded, and every relative link between pages points at a file that exists. The build
itself (tutorial code, API pages) is not run here.
"""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path
from typing import Any

import pytest

yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "mkdocs.yml"


def _config() -> dict[str, Any]:
    if not CONFIG.is_file():
        pytest.skip("no mkdocs.yml")
    # mkdocs.yml uses no Python tags (!!python/name), so the safe loader reads it whole.
    return yaml.safe_load(CONFIG.read_text(encoding="utf-8"))


def _docs_dir(config: dict[str, Any]) -> Path:
    return ROOT / config.get("docs_dir", "docs")


def _nav_pages(nav: Any) -> list[str]:
    """Every page path in a nav tree (external links left out)."""
    if isinstance(nav, str):
        return [] if "://" in nav else [nav]
    if isinstance(nav, list):
        return [page for item in nav for page in _nav_pages(item)]
    if isinstance(nav, dict):
        return [page for value in nav.values() for page in _nav_pages(value)]
    return []


def _patterns(config: dict[str, Any], key: str) -> list[str]:
    text = config.get(key) or ""
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _matches(path: str, patterns: list[str]) -> bool:
    """The gitignore-style patterns mkdocs.yml uses: a folder (``x/``), a name or a glob."""
    for pattern in patterns:
        anchored = pattern.lstrip("/")
        if anchored.endswith("/"):
            if path.startswith(anchored) or f"/{anchored}" in f"/{path}":
                return True
        elif fnmatch.fnmatch(path, anchored) or fnmatch.fnmatch(Path(path).name, anchored):
            return True
    return False


def _pages(docs: Path) -> list[str]:
    return sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))


def test_every_nav_entry_exists() -> None:
    config = _config()
    docs = _docs_dir(config)
    pages = _nav_pages(config["nav"])
    assert pages, "mkdocs.yml has an empty nav"
    missing = [page for page in pages if not (docs / page).is_file()]
    assert not missing, f"mkdocs.yml names pages that do not exist in {docs.name}/: {missing}"
    twice = sorted({page for page in pages if pages.count(page) > 1})
    assert not twice, f"pages listed twice in the nav: {twice}"


def test_every_page_is_in_the_nav_or_excluded() -> None:
    config = _config()
    docs = _docs_dir(config)
    in_nav = set(_nav_pages(config["nav"]))
    left_out = _patterns(config, "exclude_docs") + _patterns(config, "not_in_nav")
    orphans = [p for p in _pages(docs) if p not in in_nav and not _matches(p, left_out)]
    assert not orphans, (
        f"pages in {docs.name}/ that the site would not show: {orphans}; add them to the nav "
        "of mkdocs.yml, or to exclude_docs / not_in_nav"
    )


_LINK = re.compile(r"\]\(([^)\s]+)\)")
_FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)


def test_relative_links_between_pages_resolve() -> None:
    config = _config()
    docs = _docs_dir(config)
    broken = []
    for page in _pages(docs):
        text = _FENCE.sub("", (docs / page).read_text(encoding="utf-8"))
        for target in _LINK.findall(text):
            if "://" in target or target.startswith(("#", "mailto:")):
                continue
            path = target.split("#", 1)[0]
            if not path:
                continue
            resolved = (docs / page).parent.joinpath(path).resolve()
            if not resolved.exists() or not resolved.is_relative_to(docs.resolve()):
                broken.append(f"{page}: {target}")
    assert not broken, f"links to files missing from {docs.name}/: {broken}"


def test_the_readme_links_the_site() -> None:
    config = _config()
    start = _nav_pages(config["nav"])[0]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"{config.get('docs_dir', 'docs')}/{start}" in readme


# The tutorials' notebooks: jupytext percent files (the committed source; the .ipynb is made from
# them). CI executes them (docs/notebooks/run_notebooks.py in .ci/run); here they are only read.
NOTEBOOKS = {
    "analyst.py": "tutorials/analyst.md",
    "game_theorist.py": "tutorials/game-theorist.md",
}


@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_notebook_sources_parse(name: str) -> None:
    jupytext = pytest.importorskip("jupytext")
    path = _docs_dir(_config()) / "notebooks" / name
    notebook = jupytext.read(path, fmt="py:percent")
    kinds = [cell.cell_type for cell in notebook.cells]
    assert "markdown" in kinds and "code" in kinds, f"{name}: cells {kinds}"
    assert notebook.metadata["jupytext"]["formats"] == "ipynb,py:percent", (
        f"{name} is not paired with its .ipynb (jupytext formats)"
    )
    assert notebook.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_tutorial_pages_link_their_notebooks(name: str) -> None:
    docs = _docs_dir(_config())
    page = docs / NOTEBOOKS[name]
    assert f"](../notebooks/{name})" in page.read_text(encoding="utf-8"), (
        f"{page.relative_to(docs)} does not link its notebook ../notebooks/{name}"
    )


def test_every_notebook_source_is_known() -> None:
    folder = _docs_dir(_config()) / "notebooks"
    sources = {p.name for p in folder.glob("*.py")} - {"run_notebooks.py"}
    assert sources == set(NOTEBOOKS), (
        "docs/notebooks/ and NOTEBOOKS in this test disagree; the runner executes every .py there"
    )


def test_every_docs_page_the_code_and_the_scenarios_name_exists() -> None:
    # Docstrings, scenario files and READMEs point readers to pages as `docs/<page>.md`; each
    # such page exists (they once named docs/mission.md and docs/models.md, which did not).
    sources = [
        *(ROOT / "simulator").rglob("*.py"),
        *(ROOT / "scenarios").glob("*.yaml"),
        ROOT / "scenarios" / "README.md",
        ROOT / "README.md",
    ]
    named: dict[str, str] = {}
    for path in sources:
        for page in re.findall(r"docs/[\w/.-]*?\.md\b", path.read_text(encoding="utf-8")):
            named.setdefault(page, str(path.relative_to(ROOT)))
    assert "docs/mission.md" in named and "docs/offer_game.md" in named
    missing = {page: where for page, where in named.items() if not (ROOT / page).is_file()}
    assert missing == {}
