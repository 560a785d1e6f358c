"""briefing.html: one self-contained page with the same sentences as briefing.md.

The structure tests parse the page with :mod:`html.parser`; the browser test opens it in
headless Chromium (through Playwright when it is installed, else the ``chromium`` command)
at a phone and a desktop width, and is skipped when no Chromium is found.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from simulator.analysis import ScenarioResults, run_scenario
from simulator.analysis.labels import plain_label
from simulator.report import validate_results, write_results
from simulator.report.briefing import briefing_html
from simulator.scenario import parse_scenario

# Small and fast: an offer game, what-if rules, a five-point sweep, three SVG figures; a title
# and names that need escaping.
SCENARIO = """\
title: "Guarantees & <sanctions>: a small briefing"
description: "A deal's terms, \\"quoted\\" & checked."
seed: 7
actors: {russia: {war_cost: 0.08}}
offers:
  neutral_deal: {alignment: 0.3, security_guarantees: 0.7}
  western_deal: {alignment: 0.6}
strategies:
  stall: {russia: buy_time, west: sceptical, ukraine: talk_while_fighting}
analyses:
  - solve: offer_game
  - compare: [stall, genuine_compromise]
    equilibrium: false
    periods: 6
    runs: 40
  - sweep:
      russia.great_power_status: {from: 0, to: 2, steps: 5}
    show: regime_map
    offer: neutral_deal
figures: [regime_map, bargaining_range, payoffs]
figure_formats: [svg]
"""
VOID = set("area base br col embed hr img input link meta source track wbr".split())
WIDTHS = (375, 1280)  # a phone, a desktop


@pytest.fixture(scope="module")
def results() -> ScenarioResults:
    return run_scenario(parse_scenario(SCENARIO), fast=True)


@pytest.fixture(scope="module")
def folder(results, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("briefing")
    write_results(results, out)
    return out


@pytest.fixture(scope="module")
def page(folder) -> str:
    return (folder / "briefing.html").read_text(encoding="utf-8")


class _Structure(HTMLParser):
    """Every non-void element closed in order; the tags and ids seen."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.ids += [v for k, v in attrs if k == "id" and v]
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):  # <path ... /> inside an SVG
        self.tags.append((tag, dict(attrs)))
        self.ids += [v for k, v in attrs if k == "id" and v]

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            if tag in self.stack:  # recover, to report more than the first problem
                del self.stack[len(self.stack) - 1 - self.stack[::-1].index(tag) :]
        else:
            self.stack.pop()


def _parse(page: str) -> _Structure:
    parser = _Structure()
    parser.feed(page)
    parser.close()
    return parser


def _text(page: str) -> str:
    """The visible words of a page: the body without tags, SVG drawings or the style."""
    body = re.sub(r"<(svg|style|title)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", body)).split())


def _cells(row: str) -> tuple[str, ...]:
    """The texts of a table row's cells (``<wbr>`` and other tags dropped)."""
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
    return tuple(html.unescape(re.sub(r"<[^>]+>", "", c)) for c in cells)


def _sentences(markdown: str) -> list[str]:
    """The paragraphs and list items of ``markdown``, without Markdown marks."""
    out = []
    for line in markdown.splitlines():
        if not line.strip() or line.startswith(("#", "|", "![")):
            continue
        line = re.sub(r"^- ", "", line).replace("**", "").replace("`", "")
        out.append(" ".join(line.split()))
    return out


# ====================================================================== structure
def test_the_page_is_well_formed_and_self_contained(page):
    parsed = _parse(page)
    assert parsed.problems == [] and parsed.stack == []
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    tags = [t for t, _ in parsed.tags]
    assert tags.count("html") == tags.count("head") == tags.count("body") == 1
    assert tags.count("h1") == 1
    assert len(parsed.ids) == len(set(parsed.ids)), "ids repeat (figures share ids?)"
    # nothing to fetch: no scripts, no links to resources, no external fonts or styles
    assert "<script" not in page.lower()
    assert "http" not in page  # not even the SVG namespaces: HTML implies them
    for tag, attrs in parsed.tags:
        assert tag not in ("link", "iframe", "object", "embed"), tag
        for name in ("src", "href"):
            value = attrs.get(name) or ""
            assert value.startswith(("#", "data:")) or not value, (tag, name, value)
    assert "@import" not in page and not re.search(r"url\((?!#)", page)
    # readable on a phone, printable
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "@media print" in page and "break-inside: avoid" in page
    assert "max-width: 100%; height: auto" in page


def test_one_inline_svg_per_figure_labelled_for_screen_readers(folder, page):
    document = json.loads((folder / "results.json").read_text())
    figures = document["files"]["figures"]
    assert [f["name"] for f in figures] == ["regime_map", "bargaining_range", "payoffs"]
    parsed = _parse(page)
    svgs = [attrs for tag, attrs in parsed.tags if tag == "svg"]
    assert len(svgs) == len(figures) == page.count("<svg")
    assert page.count("<figure>") == len(figures)
    for attrs in svgs:
        assert attrs["role"] == "img"
        assert attrs["aria-label"] and attrs["viewbox"]  # sized by the page, shaped by it
    assert "<?xml" not in page and "<!DOCTYPE svg" not in page and "<metadata" not in page
    labels = re.findall(r'<svg id="[^"]+" role="img" aria-label="([^"]+)"', page)
    titles = re.findall(r"<svg [^>]*><title>([^<]+)</title>", page)
    assert labels == titles
    assert labels[0].startswith("Regime map: equilibrium outcome")
    assert "(sweep 1, offer “Neutral deal”)" in html.unescape(labels[0])
    markdown = (folder / "briefing.md").read_text()
    for name in ("Regime map", "Bargaining range", "Payoffs"):  # the same alt text
        assert f"![{name} (" in markdown and f'aria-label="{name}: ' in page


def test_a_table_per_table_of_the_markdown(folder, page):
    markdown = (folder / "briefing.md").read_text()
    tables = sum(1 for line in markdown.splitlines() if line.startswith("|---"))
    assert tables >= 4  # offers, what-if rules, certificates, ...
    assert page.count("<table>") == page.count("</table>") == tables
    assert page.count('<div class="table-wrap" role="region" tabindex="0"') == tables
    # every row of every Markdown table is a row of an HTML table, cell by cell
    rows = re.findall(r"<tr>(.*?)</tr>", page, flags=re.S)
    cells = [_cells(row) for row in rows]
    for line in markdown.splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            row = tuple(c.strip().replace("\\|", "|") for c in line.strip("|").split(" | "))
            assert row in cells, line


def test_the_same_sentences_as_the_markdown_briefing(folder, page, results):
    markdown = (folder / "briefing.md").read_text()
    text = _text(page)
    sentences = _sentences(markdown)
    assert len(sentences) > 20
    missing = [s for s in sentences if s not in text]
    assert missing == []
    # a few generated from the numbers, by name
    solution = results.solutions[0]
    for sentence in (
        f"Settlement {round(100 * solution.settlement_probability)}%",
        "Certificate: largest gain from deviating",
        "Largest regret on the grid",
        "certificates hold: no player gains more than the tolerance",
        "Values the scenario sets are in bold",
    ):
        assert sentence in markdown and sentence in text, sentence


def test_assumptions_with_units_and_every_certificate(page, results):
    # a value the scenario set, in bold, and a default, each with its unit
    assert "<li>Russia&#x27;s cost of war: <strong>0.08</strong> (share of the stake)</li>" in page
    assert "<li>Prior belief that Russia is strong: 0.5 (probability)</li>" in page
    # the certificates table: what, regret, tolerance, certified
    section = re.search(r">Certificates</h2>(.*?)</section>", page, flags=re.S)
    rows = re.findall(r"<tr>(.*?)</tr>", section.group(1), flags=re.S)
    cells = [_cells(row) for row in rows]
    names = [f"Offer game, offer “{plain_label(s.offer)}”" for s in results.solutions] + [
        "Sweep 1, offer “Neutral deal”"
    ]
    expected = [
        (name, "yes" if c.certified else "NO", f"{c.regret:.2g}", f"{c.tolerance:.2g}")
        for name, c in zip(names, results.certificates())
    ]
    assert cells[0] == ("result", "certified", "largest gain from deviating", "tolerance")
    assert cells[1:] == expected


def test_listed_in_results_json(folder):
    document = json.loads((folder / "results.json").read_text())
    assert document["files"]["briefing_html"] == "briefing.html"
    assert validate_results(document) == []
    del document["files"]["briefing_html"]  # a results.json written before the page existed
    assert validate_results(document) == []


def test_text_is_escaped(page):
    assert "<title>Guarantees &amp; &lt;sanctions&gt;: a small briefing</title>" in page
    assert "<h1>Guarantees &amp; &lt;sanctions&gt;: a small briefing</h1>" in page
    assert "<p>A deal&#x27;s terms, &quot;quoted&quot; &amp; checked.</p>" in page
    assert "<sanctions>" not in page


def test_a_figure_saved_only_as_png_is_embedded(results, tmp_path):
    (tmp_path / "payoffs.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    page = briefing_html(results, {"payoffs": ["payoffs.png"]}, folder=tmp_path)
    assert '<img src="data:image/png;base64,iVBORw0KGgpub3QgcmVhbGx5" alt="Payoffs: ' in page
    # without the folder (or the file), the page links the files instead
    page = briefing_html(results, {"payoffs": ["payoffs.pdf"]})
    assert '<a href="payoffs.pdf">payoffs.pdf</a>' in page and "<img" not in page


# ====================================================================== in a browser
#: Run in the page: every figure and table visible, nothing wider than the window.
CHECK = """() => {
  const width = window.innerWidth;
  const box = (e) => { const r = e.getBoundingClientRect();
    return {left: r.left, right: r.right, width: r.width, height: r.height}; };
  const shown = (e) => { const s = getComputedStyle(e);
    return s.display !== "none" && s.visibility !== "hidden" && Number(s.opacity) > 0; };
  const inside = (b) => b.left >= -0.5 && b.right <= width + 0.5;
  const figures = [...document.querySelectorAll("figure > svg, figure > img")].map((e) => {
    const b = box(e);
    return {ok: shown(e) && b.width > 100 && b.height > 50 && inside(b), ...b}; });
  const tables = [...document.querySelectorAll(".table-wrap")].map((e) => {
    const b = box(e); const t = box(e.querySelector("table"));
    return {ok: shown(e) && b.width > 100 && t.height > 20 && inside(b),
      scrolls: e.scrollWidth > e.clientWidth + 1, ...b}; });
  const wide = [...document.querySelectorAll("body *")].filter((e) => !e.closest(".table-wrap")
    && !e.closest("svg") && !inside(box(e))).map((e) => e.tagName + ": "
    + (e.textContent || "").trim().slice(0, 60));
  return {width, scrollWidth: document.documentElement.scrollWidth, figures, tables, wide};
}"""


def _chromium() -> str | None:
    for name in (os.environ.get("CHROMIUM", ""), "chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name) if name else None
        if found:
            return found
    return None


def _with_playwright(binary: str, url: str, shots: Path) -> dict[int, dict]:
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=binary, args=["--no-sandbox"])
        try:
            for width in WIDTHS:
                tab = browser.new_page(viewport={"width": width, "height": 900})
                tab.goto(url)
                out[width] = tab.evaluate(CHECK)
                tab.screenshot(path=str(shots / f"briefing_{width}.png"), full_page=True)
                tab.close()
        finally:
            browser.close()
    return out


def _with_command(binary: str, page: Path, shots: Path) -> dict[int, dict]:
    """Without Playwright: the page in one frame per width (a headless window is at least
    500 px wide), checked by a script of the probe page that ``--dump-dom`` prints, and a
    ``--screenshot`` of the probe (the frames side by side)."""
    source = html.escape(page.read_text(encoding="utf-8"), quote=True)
    frames = "".join(
        f'<iframe data-width="{w}" style="width:{w}px;height:2400px;border:0" '
        f'srcdoc="{source}"></iframe>'
        for w in WIDTHS
    )
    script = (
        'window.addEventListener("load", () => { const out = {}; '
        'for (const f of document.querySelectorAll("iframe")) '
        f"out[f.dataset.width] = f.contentWindow.eval({json.dumps('(' + CHECK + ')()')}); "
        "document.title = JSON.stringify(out); });"
    )
    probe = shots / "probe.html"
    probe.write_text(
        f"<!DOCTYPE html><html><head><title>pending</title></head>"
        f'<body style="margin:0;display:flex;align-items:flex-start">{frames}'
        f"<script>{script}</script></body></html>",
        encoding="utf-8",
    )
    size = f"--window-size={sum(WIDTHS)},2400"
    base = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", size]
    base.append("--virtual-time-budget=10000")
    dom = subprocess.run(
        [*base, "--dump-dom", probe.as_uri()], capture_output=True, text=True, timeout=60
    ).stdout
    title = re.search(r"<title>(\{.*?)</title>", dom, flags=re.S)
    assert title, f"chromium printed no checked page: {dom[:300]!r}"
    answer = json.loads(html.unescape(title.group(1)))
    subprocess.run(
        [*base, f"--screenshot={shots / 'briefing.png'}", probe.as_uri()],
        capture_output=True,
        timeout=60,
    )
    for width in WIDTHS:  # one screenshot, named for each width
        (shots / f"briefing_{width}.png").write_bytes((shots / "briefing.png").read_bytes())
    return {int(w): check for w, check in answer.items()}


def test_every_figure_and_table_is_visible_and_nothing_overflows(folder, tmp_path):
    binary = _chromium()
    if binary is None:
        pytest.skip("no Chromium found (chromium, chromium-browser, google-chrome or $CHROMIUM)")
    page = folder / "briefing.html"
    try:
        checks = _with_playwright(binary, page.as_uri(), tmp_path)
    except ImportError:
        checks = _with_command(binary, page, tmp_path)
    document = json.loads((folder / "results.json").read_text())
    n_figures = len(document["files"]["figures"])
    n_tables = page.read_text().count("<table>")
    for width, check in checks.items():
        shot = tmp_path / f"briefing_{width}.png"
        where = f"at {width} px (screenshot: {shot})"
        assert check["width"] == width, where
        assert check["scrollWidth"] <= width, f"the page scrolls sideways {where}: {check}"
        assert check["wide"] == [], f"wider than the window {where}"
        assert len(check["figures"]) == n_figures, where
        assert len(check["tables"]) == n_tables, where
        assert all(f["ok"] for f in check["figures"]), f"{check['figures']} {where}"
        assert all(t["ok"] for t in check["tables"]), f"{check['tables']} {where}"
        if width >= 1000:  # on a desktop every table is seen whole, without scrolling sideways
            assert not any(t["scrolls"] for t in check["tables"]), f"{check['tables']} {where}"
        assert shot.exists() and shot.stat().st_size > 10_000, where
