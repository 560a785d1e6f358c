"""``briefing.html``: the briefing's blocks as one self-contained HTML page.

The page needs nothing beside it: the style is inline, there is no script, and each figure
is the SVG the writer saved, inlined (its XML prolog, metadata and comments dropped, its ids
prefixed so that several figures never share one, ``role="img"`` and a ``<title>`` from the
figure's caption). A figure saved only as PNG is embedded as a ``data:`` image. Tables are
HTML tables in a wrapper that scrolls sideways on a narrow screen; ``@media print`` keeps
figures and tables whole on a page. Every text is escaped with :func:`html.escape`.

Examples
--------
>>> from simulator.report.blocks import Code, Heading, Paragraph
>>> page = render_html([Heading(1, ("A < B",)), Paragraph(("Offer ", Code("x&y")))], "A < B")
>>> "<h1>A &lt; B</h1>" in page, "<p>Offer <code>x&amp;y</code></p>" in page
(True, True)
"""

from __future__ import annotations

import base64
import html
import os
import re
from collections.abc import Iterable
from pathlib import Path

from simulator.report.blocks import (
    Block,
    Bullets,
    Code,
    Figure,
    Heading,
    Paragraph,
    Strong,
    Table,
    Text,
    plain_text,
)

__all__ = ["STYLE", "inline_svg", "render_html"]

#: The page's style: system fonts, dark text on white, one readable column, print rules.
STYLE = """\
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: #1b1b1b;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    "Noto Sans", "Liberation Sans", sans-serif;
  font-size: 1rem; line-height: 1.55; -webkit-text-size-adjust: 100%; }
main { max-width: 52rem; margin: 0 auto; padding: 1rem 1rem 3rem; }
h1 { font-size: 1.75rem; line-height: 1.2; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.35rem; line-height: 1.25; margin: 2.25rem 0 0.75rem;
  padding-bottom: 0.2rem; border-bottom: 1px solid #c8c8c8; }
h3 { font-size: 1.1rem; line-height: 1.3; margin: 1.5rem 0 0.5rem; }
h1, h2, h3, p, li, figcaption { overflow-wrap: anywhere; }
ul { padding-left: 1.25rem; }
li { margin: 0.2rem 0; }
a { color: #0b57a4; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono",
    monospace;
  font-size: 0.9em; background: #f1f1f1; padding: 0 0.2em; border-radius: 3px; }
nav { margin: 1rem 0 1.5rem; padding: 0.5rem 1rem; background: #f6f6f6; border-radius: 4px; }
nav p { margin: 0.25rem 0; font-weight: 600; }
nav ol { margin: 0.25rem 0; padding-left: 1.5rem; }
.lead-in { margin-bottom: 0.4rem; }
/* A wide table may reach the window's right edge (50vw + 50%: from the text's left edge);
   what is still too wide scrolls sideways inside its frame. */
.table-wrap { overflow-x: auto; margin: 0.5rem 0 1.25rem; border: 1px solid #d4d4d4;
  width: max-content; min-width: 100%; max-width: calc(50vw + 50% - 1.5rem); }
.table-wrap:focus { outline: 2px solid #0b57a4; outline-offset: 2px; }
table { border-collapse: collapse; font-size: 0.9rem; line-height: 1.35; min-width: 100%; }
th, td { padding: 0.35rem 0.5rem; text-align: left; vertical-align: top;
  border-bottom: 1px solid #d4d4d4; }
thead th { background: #ececec; font-weight: 600; vertical-align: bottom; min-width: 4em; }
thead th.long { min-width: 6.5em; }
tbody th { font-weight: 600; min-width: 7em; }
tbody tr:nth-child(even) { background: #f8f8f8; }
tbody tr:last-child th, tbody tr:last-child td { border-bottom: 0; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.number { white-space: nowrap; }
figure { margin: 1.5rem 0; }
figure svg, figure img { display: block; width: 100%; max-width: 100%; height: auto; }
figcaption { margin-top: 0.4rem; font-size: 0.9rem; color: #3d3d3d; }
@media print {
  body { font-size: 10pt; color: #000; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  h2, h3, .lead-in { break-after: avoid; page-break-after: avoid; }
  figure, .table-wrap, table, tr { break-inside: avoid; page-break-inside: avoid; }
  .table-wrap { overflow: visible; border: 0; width: auto; max-width: none; }
  table { font-size: 8pt; }
  thead th, thead th.long { min-width: 0; }
  code { background: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
}
"""

_NUMBER = re.compile(
    r"^(n/a|-?\d+(\.\d+)?(e[-+]?\d+)?%?( \(-?[\d.e+-]+--?[\d.e+-]+\))?|yes|no|NO)$"
)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _inline(text: Text) -> str:
    out = []
    for piece in text:
        if isinstance(piece, Strong):
            out.append(f"<strong>{_e(piece.text)}</strong>")
        elif isinstance(piece, Code):
            out.append(f"<code>{_e(piece.text)}</code>")
        else:
            out.append(_e(piece))
    return "".join(out)


# ====================================================================== figures
def inline_svg(text: str, prefix: str, label: str) -> str:
    """An SVG file's text ready to sit inside an HTML page.

    Drops what precedes ``<svg`` (XML prolog, doctype), ``<metadata>``, comments, the
    namespace declarations (implied in HTML) and the root's fixed ``width``/``height`` (the
    ``viewBox`` keeps the shape; the page's style sets the size); prefixes every ``id`` and
    reference to it with ``prefix-``, scopes any ``<style>`` to the figure, and labels it.

    Parameters
    ----------
    text : str
        The SVG file's text.
    prefix : str
        The figure's id in the page; its own ids are prefixed with it.
    label : str
        What the figure shows, for screen readers (``aria-label`` and ``<title>``).

    Returns
    -------
    str
        One ``<svg role="img">`` element.

    Raises
    ------
    ValueError
        When ``text`` has no ``<svg`` element.

    Examples
    --------
    >>> svg = ('<?xml version="1.0"?>\\n<svg xmlns="http://www.w3.org/2000/svg" width="72pt" '
    ...        'height="36pt" viewBox="0 0 72 36"><defs><style>*{fill: red}</style>'
    ...        '<path id="a" d="M0 0"/></defs><!-- A&B --><use xlink:href="#a"/></svg>')
    >>> for part in inline_svg(svg, "fig1", "A & B").split("><"):
    ...     print(part)
    <svg id="fig1" role="img" aria-label="A &amp; B" viewBox="0 0 72 36"
    title>A &amp; B</title
    defs
    style>#fig1 *{fill: red}</style
    path id="fig1-a" d="M0 0"/
    /defs
    use xlink:href="#fig1-a"/
    /svg>
    """
    start = text.find("<svg")
    if start < 0:
        raise ValueError("not an SVG file: no <svg> element")
    body = text[start:].strip()
    body = re.sub(r"<metadata\b.*?</metadata>\s*", "", body, flags=re.S)
    body = re.sub(r"<!--.*?-->\s*", "", body, flags=re.S)
    ids = set(re.findall(r'\sid="([^"]+)"', body))

    def ref(match: re.Match[str]) -> str:
        name = match.group(2)
        return f"{match.group(1)}{prefix}-{name}{match.group(3)}" if name in ids else match[0]

    body = re.sub(r'(\sid=")([^"]+)(")', ref, body)
    body = re.sub(r'(\bhref="#)([^"]+)(")', ref, body)
    body = re.sub(r"(url\(#)([^)]+)(\))", ref, body)

    def scope(match: re.Match[str]) -> str:
        rules = re.sub(
            r"(^|})\s*([^{}]+?)\s*{",
            lambda m: m[1] + ", ".join(f"#{prefix} {s.strip()}" for s in m[2].split(",")) + "{",
            match.group(2),
        )
        return f"{match.group(1)}{rules}</style>"

    body = re.sub(r"(<style\b[^>]*>)(.*?)</style>", scope, body, flags=re.S)
    root_end = body.index(">")
    root = body[:root_end]
    root = re.sub(r'\s(xmlns(:\w+)?|width|height|id|role|aria-label)="[^"]*"', "", root)
    attributes = root[len("<svg") :].strip()
    label = _e(label)
    head = f'<svg id="{prefix}" role="img" aria-label="{label}"'
    head += f" {attributes}" if attributes else ""
    return f"{head}><title>{label}</title>{body[root_end + 1 :]}"


def _figure(block: Figure, number: int, folder: Path | None) -> str:
    label = plain_text(block.caption) or block.alt
    caption = f"<figcaption>{_inline(block.caption or (block.alt,))}</figcaption>"
    svg = next((f for f in block.files if f.endswith(".svg")), None)
    png = next((f for f in block.files if f.endswith(".png")), None)
    if folder is not None and svg and (folder / svg).is_file():
        text = (folder / svg).read_text(encoding="utf-8")
        return f"<figure>\n{inline_svg(text, f'figure-{number}', label)}\n{caption}</figure>"
    if folder is not None and png and (folder / png).is_file():
        data = base64.b64encode((folder / png).read_bytes()).decode("ascii")
        image = f'<img src="data:image/png;base64,{data}" alt="{_e(label)}">'
        return f"<figure>\n{image}\n{caption}</figure>"
    links = ", ".join(f'<a href="{_e(f)}">{_e(f)}</a>' for f in block.files)
    return f"<p>{_inline(block.caption or (block.alt,))}: {links}</p>"


# ====================================================================== tables
def _cell(text: str, numeric: bool = False) -> str:
    """A cell's text, escaped: words may wrap after an underscore (``genuine_<wbr>compromise``),
    numbers never inside themselves (``0.933 (0.93-0.94)`` only at the space)."""
    if numeric:
        return " ".join(f'<span class="number">{_e(t)}</span>' for t in text.split(" "))
    return _e(text).replace("_", "_<wbr>")


def _numeric_columns(table: Table) -> list[bool]:
    columns = list(zip(*table.rows)) if table.rows else [()] * len(table.header)
    return [bool(cells) and all(_NUMBER.match(c) for c in cells) for cells in columns]


def _table(table: Table, number: int, heading: str) -> str:
    numeric = _numeric_columns(table)
    out = []
    if table.caption:
        out.append(f'<p class="lead-in" id="table-{number}">{_inline(table.caption)}:</p>')
        label = f'aria-labelledby="table-{number}"'
    else:
        label = f'aria-label="{_e(f"Table: {heading}" if heading else "Table")}"'
    out.append(f'<div class="table-wrap" role="region" tabindex="0" {label}>')
    out.append("<table>")

    def cls(i: int) -> str:
        return ' class="num"' if numeric[i] else ""

    def head(i: int, text: str) -> str:  # a long heading wraps to two or three lines
        classes = " ".join(c for c, on in (("num", numeric[i]), ("long", len(text) > 14)) if on)
        attribute = f' class="{classes}"' if classes else ""
        return f'<th scope="col"{attribute}>{_e(text)}</th>'

    header = "".join(head(i, c) for i, c in enumerate(table.header))
    out.append(f"<thead><tr>{header}</tr></thead>")
    out.append("<tbody>")
    for row in table.rows:
        cells = [
            f'<th scope="row">{_cell(c)}</th>'
            if i == 0
            else f"<td{cls(i)}>{_cell(c, numeric[i])}</td>"
            for i, c in enumerate(row)
        ]
        out.append(f"<tr>{''.join(cells)}</tr>")
    out.append("</tbody>")
    out.append("</table></div>")
    return "\n".join(out)


# ====================================================================== the page
def _contents(sections: list[Heading]) -> str:
    links = "\n".join(
        f'<li><a href="#section-{k}">{_inline(s.text)}</a></li>' for k, s in enumerate(sections, 1)
    )
    return f'<nav aria-label="Contents">\n<p>Contents</p>\n<ol>\n{links}\n</ol>\n</nav>'


def render_html(
    blocks: Iterable[Block],
    title: str,
    folder: str | os.PathLike[str] | None = None,
) -> str:
    """One self-contained HTML page of ``blocks``.

    Parameters
    ----------
    blocks : iterable of Block
    title : str
        The page's ``<title>``.
    folder : path, optional
        Where the figures' files are: each is inlined from there (SVG, else PNG as a
        ``data:`` image); without it, or without the files, the page links them.

    Returns
    -------
    str
        The page: ``<!DOCTYPE html>``, the style of :data:`STYLE`, no script.
    """
    where = Path(folder) if folder is not None else None
    blocks = list(blocks)
    sections = [b for b in blocks if isinstance(b, Heading) and b.level == 2]
    body: list[str] = []
    section = tables = figures = 0
    heading = ""
    open_section = False
    for block in blocks:
        if isinstance(block, Heading):
            heading = plain_text(block.text)
            if block.level == 1:
                body.append(f"<h1>{_inline(block.text)}</h1>")
                continue
            if block.level == 2:
                if open_section:
                    body.append("</section>")
                elif len(sections) > 2:  # a list of contents before the first section
                    body.append(_contents(sections))
                section += 1
                open_section = True
                body.append(f'<section aria-labelledby="section-{section}">')
                body.append(f'<h2 id="section-{section}">{_inline(block.text)}</h2>')
                continue
            level = min(max(block.level, 3), 6)
            body.append(f"<h{level}>{_inline(block.text)}</h{level}>")
        elif isinstance(block, Paragraph):
            body.append(f"<p>{_inline(block.text)}</p>")
        elif isinstance(block, Bullets):
            items = "\n".join(f"<li>{_inline(item)}</li>" for item in block.items)
            body.append(f"<ul>\n{items}\n</ul>")
        elif isinstance(block, Table):
            tables += 1
            body.append(_table(block, tables, heading))
        elif isinstance(block, Figure):
            figures += 1
            body.append(_figure(block, figures, where))
        else:  # pragma: no cover - a bug in the briefing
            raise TypeError(f"not a briefing block: {block!r}")
    if open_section:
        body.append("</section>")
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta name="generator" content="simulator">',
            f"<title>{_e(title)}</title>",
            f"<style>\n{STYLE}</style>",
            "</head>",
            "<body>",
            "<main>",
            *body,
            "</main>",
            "</body>",
            "</html>",
            "",
        ]
    )
