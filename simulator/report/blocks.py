"""A briefing as structured content, and its Markdown renderer.

:mod:`simulator.report.briefing` writes every sentence of a briefing once, as a list of
blocks: :class:`Heading`, :class:`Paragraph`, :class:`Bullets`, :class:`Table` and
:class:`Figure`. Text is a tuple of inline pieces: plain strings, :class:`Strong` (a value
the scenario set) and :class:`Code` (a name as written in the scenario). Two small renderers
turn the same blocks into ``briefing.md`` (:func:`render_markdown`, here) and
``briefing.html`` (:func:`simulator.report.html_page.render_html`).

Examples
--------
>>> blocks = [Heading(1, ("Title",)), Paragraph(("Offer ", Code("deal"), " is ", Strong("on"))),
...           Table(("a", "b"), (("1", "x|y"),), caption=("Numbers",))]
>>> print(render_markdown(blocks), end="")
# Title
<BLANKLINE>
Offer `deal` is **on**
<BLANKLINE>
Numbers:
<BLANKLINE>
| a | b |
|---|---|
| 1 | x\\|y |
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "Block",
    "Bullets",
    "Code",
    "Figure",
    "Heading",
    "Inline",
    "Paragraph",
    "Strong",
    "Table",
    "Text",
    "plain_text",
    "render_markdown",
]


@dataclass(frozen=True)
class Strong:
    """Text to stress: a value the scenario set (Markdown ``**...**``, HTML ``<strong>``).

    Attributes
    ----------
    text : str
    """

    text: str


@dataclass(frozen=True)
class Code:
    """A name as written in the scenario file (Markdown backticks, HTML ``<code>``).

    Attributes
    ----------
    text : str
    """

    text: str


Inline = str | Strong | Code
Text = tuple[Inline, ...]


@dataclass(frozen=True)
class Heading:
    """A heading.

    Attributes
    ----------
    level : int
        1 (the title), 2 (a section) or 3.
    text : Text
    """

    level: int
    text: Text


@dataclass(frozen=True)
class Paragraph:
    """A paragraph.

    Attributes
    ----------
    text : Text
    """

    text: Text


@dataclass(frozen=True)
class Bullets:
    """A list.

    Attributes
    ----------
    items : tuple of Text
        One text per item.
    """

    items: tuple[Text, ...]


@dataclass(frozen=True)
class Table:
    """A table of plain cells.

    Attributes
    ----------
    header : tuple of str
    rows : tuple of tuple of str
    caption : Text
        A lead-in shown before the table (``Western governments:``); may be empty.
    """

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: Text = ()


@dataclass(frozen=True)
class Figure:
    """A figure the writer saved beside the briefing.

    Attributes
    ----------
    name : str
        The file stem (``paths_2``).
    files : tuple of str
        Its files (``paths_2.png``, ``paths_2.svg``, ...).
    alt : str
        Its short name, the Markdown image's alt text (``Paths``).
    caption : Text
        What it shows, and of which analysis; may be empty.
    """

    name: str
    files: tuple[str, ...]
    alt: str
    caption: Text = ()


Block = Heading | Paragraph | Bullets | Table | Figure


def plain_text(text: Text) -> str:
    """The words of ``text`` without markup.

    Parameters
    ----------
    text : Text

    Returns
    -------
    str

    Examples
    --------
    >>> plain_text(("Offer ", Code("deal"), ": ", Strong("0.4")))
    'Offer deal: 0.4'
    """
    return "".join(piece if isinstance(piece, str) else piece.text for piece in text)


# ====================================================================== Markdown
def _inline_md(text: Text) -> str:
    out = []
    for piece in text:
        if isinstance(piece, Strong):
            out.append(f"**{piece.text}**")
        elif isinstance(piece, Code):
            out.append(f"`{piece.text}`")
        else:
            out.append(piece)
    return "".join(out)


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table_md(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(_cell(c) for c in header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]


def _figure_image(files: Sequence[str]) -> str | None:
    return next((f for f in files if f.endswith((".png", ".svg"))), None)


def render_markdown(blocks: Iterable[Block]) -> str:
    """The Markdown text of ``blocks``.

    Parameters
    ----------
    blocks : iterable of Block

    Returns
    -------
    str
        One blank line between blocks, one newline at the end.
    """
    chunks: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            chunks.append("#" * block.level + " " + _inline_md(block.text))
        elif isinstance(block, Paragraph):
            chunks.append(_inline_md(block.text))
        elif isinstance(block, Bullets):
            chunks.append("\n".join("- " + _inline_md(item) for item in block.items))
        elif isinstance(block, Table):
            if block.caption:
                chunks.append(_inline_md(block.caption) + ":")
            chunks.append("\n".join(_table_md(block.header, block.rows)))
        elif isinstance(block, Figure):
            image = _figure_image(block.files)
            if image:
                chunks.append(f"![{block.alt}]({image})")
                if block.caption:
                    chunks.append(_inline_md(block.caption))
            else:
                links = ", ".join(f"[{f}]({f})" for f in block.files)
                chunks.append(f"- {_inline_md(block.caption or (block.alt,))}: {links}")
        else:  # pragma: no cover - a bug in the briefing
            raise TypeError(f"not a briefing block: {block!r}")
    return "\n\n".join(chunks).rstrip("\n") + "\n"
