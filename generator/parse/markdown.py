"""Markdown structure of a model page, read from markdown-it-py tokens.

A page is a `# Name` heading, a description, and `##` sections. This module turns tokens into
those parts (headings, paragraphs, tables of cells, code blocks) without deciding what they mean.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

# Raw HTML off: `ReadableStream<Uint8Array>` and `<br/>` stay text.
_MD = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


@dataclass(frozen=True, slots=True)
class Cell:
    inline: tuple[Token, ...]
    """The inline children markdown-it-py parsed the cell into."""
    source: str
    """The cell's markdown source, trimmed, with `\\|` unescaped."""


@dataclass(frozen=True, slots=True)
class Table:
    line: int
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Cell, ...]], ...]
    """(line, cells) per body row."""
    bad_rows: tuple[tuple[int, int], ...]
    """(line, cell count) of rows whose cell count differs from the header's."""


@dataclass(frozen=True, slots=True)
class Block:
    """A block inside a section: a paragraph, a table, a code block or a `###` heading."""

    kind: str  # "paragraph" | "table" | "code" | "heading" | "list"
    line: int
    text: str = ""
    inline: tuple[Token, ...] = ()
    table: Table | None = None
    info: str = ""
    """The language of a fenced code block (`typescript`, `python`)."""


@dataclass(slots=True)
class Section:
    title: str
    line: int
    blocks: list[Block] = field(default_factory=list)


@dataclass(slots=True)
class Page:
    title: str | None
    title_line: int
    intro: list[Block]
    """Blocks between the `#` heading and the first `##` heading."""
    sections: list[Section]


def read_page(text: str) -> Page:
    tokens = _MD.parse(text)
    lines = text.split("\n")
    page = Page(title=None, title_line=1, intro=[], sections=[])
    current: list[Block] = page.intro
    i = 0
    while i < len(tokens):
        token = tokens[i]
        line = token.map[0] + 1 if token.map else 1
        if token.type == "heading_open":
            title = tokens[i + 1].content.strip()
            if token.tag == "h1" and page.title is None and not page.sections:
                page.title, page.title_line = title, line
            elif token.tag in ("h1", "h2"):
                page.sections.append(Section(title, line))
                current = page.sections[-1].blocks
            else:
                current.append(Block("heading", line, title, tuple(tokens[i + 1].children or ())))
            i += 3
        elif token.type == "paragraph_open":
            inline = tokens[i + 1]
            current.append(Block("paragraph", line, inline.content, tuple(inline.children or ())))
            i += 3
        elif token.type == "table_open":
            end = _closing(tokens, i, "table_close")
            current.append(Block("table", line, table=_table(tokens[i:end], lines)))
            i = end + 1
        elif token.type in ("fence", "code_block"):
            current.append(Block("code", line, token.content, info=token.info.strip()))
            i += 1
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            end = _closing(tokens, i, token.type.replace("_open", "_close"))
            items = [t for t in tokens[i:end] if t.type == "inline"]
            for item in items:
                item_line = item.map[0] + 1 if item.map else line
                current.append(Block("list", item_line, item.content, tuple(item.children or ())))
            i = end + 1
        else:
            i += 1
    return page


def _closing(tokens: list[Token], start: int, close_type: str) -> int:
    depth = 0
    open_type = tokens[start].type
    for j in range(start, len(tokens)):
        if tokens[j].type == open_type:
            depth += 1
        elif tokens[j].type == close_type:
            depth -= 1
            if depth == 0:
                return j
    return len(tokens) - 1


def _table(tokens: list[Token], lines: list[str]) -> Table:
    header: list[str] = []
    rows: list[tuple[int, tuple[Cell, ...]]] = []
    bad_rows: list[tuple[int, int]] = []
    row_line = 0
    cells: list[Cell] = []
    in_head = True
    for token in tokens:
        if token.type == "tbody_open":
            in_head = False
        elif token.type == "tr_open":
            row_line = token.map[0] + 1 if token.map else 0
            cells = []
        elif token.type == "inline":
            cells.append(Cell(tuple(token.children or ()), token.content.strip()))
        elif token.type == "tr_close":
            if in_head:
                header = [c.source for c in cells]
            else:
                rows.append((row_line, tuple(cells)))
                # markdown-it pads short rows and drops extra cells; the source line tells.
                count = count_cells(lines[row_line - 1]) if 0 < row_line <= len(lines) else len(cells)
                if count != len(header):
                    bad_rows.append((row_line, count))
    first = tokens[0].map[0] + 1 if tokens and tokens[0].map else 0
    return Table(first, tuple(header), tuple(rows), tuple(bad_rows))


def count_cells(line: str) -> int:
    """Cells in a table row's source line, as GFM splits it: on pipes not escaped by a backslash."""
    body = line.strip()
    count, escaped = 1, False
    for char in body:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "|":
            count += 1
    if body.startswith("|"):
        count -= 1
    if body.endswith("|") and not body.endswith("\\|") and len(body) > 1:
        count -= 1
    return count
