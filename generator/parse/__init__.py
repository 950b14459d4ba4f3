"""Pages -> IR definitions. One page is one model, enum or union.

Names and nullability are left for `resolve`: a field comes out with its doc name, an empty wire
and Python name, and `nullable=None` where the page does not say.
"""

from __future__ import annotations

import json
import re

from .. import ir
from ..errors import Problem
from . import typescript
from .markdown import Block, Cell, Page, Table, read_page

REQUIRED_MARKS = {":heavy_check_mark:": True, ":heavy_minus_sign:": False}
FIELD_COLUMNS = ("Field", "Type", "Required", "Description")
MODEL_SECTIONS = ("Fields", "Values")


def decode(data: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Bytes -> text, read as if there were no byte-order mark and no CRLF line endings."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [Problem(ir.SourceLoc(path, line), f"byte {data[exc.start]:#x} is not UTF-8; expected a UTF-8 text file")]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def parse_page(path: str, text: str) -> tuple[ir.Definition | None, list[Problem]]:
    """Parse one page. `path` is project-relative; links in the page resolve from it."""
    page = read_page(text)
    problems: list[Problem] = []
    if page.title is None:
        return None, [Problem(ir.SourceLoc(path, 1), "no '# Name' heading; expected the page to start with the model name")]
    loc = ir.SourceLoc(path, page.title_line)
    description = _paragraphs(page.intro)
    sections = {s.title: s for s in page.sections}
    if "Fields" in sections:
        table = _first_table(sections["Fields"].blocks)
        if table is None:
            return None, [Problem(ir.SourceLoc(path, sections["Fields"].line), "'## Fields' has no table; expected | Field | Type | Required | Description |")]
        fields = _fields(table, path, problems)
        return ir.Model(page.title, "", description, tuple(fields), loc), problems
    if "Values" in sections:
        table = _first_table(sections["Values"].blocks)
        if table is None:
            return None, [Problem(ir.SourceLoc(path, sections["Values"].line), "'## Values' has no table; expected | Name | Value |")]
        values = _enum_values(table, path, problems)
        return ir.Enum(page.title, "", description, tuple(values), False, loc), problems
    return None, [Problem(loc, "no '## Fields' or '## Values' section; expected one of them under the model name")]


def _paragraphs(blocks: list[Block]) -> str:
    return "\n\n".join(_text(b.text) for b in blocks if b.kind == "paragraph")


def _text(source: str) -> str:
    """A description as plain markdown text: `<br/>` is a line break, `N/A` is nothing."""
    text = re.sub(r"<br\s*/?>", "\n", source).strip()
    return "" if text == "N/A" else text


def _first_table(blocks: list[Block]) -> Table | None:
    return next((b.table for b in blocks if b.table is not None), None)


def _check_shape(table: Table, path: str, expected: tuple[str, ...], optional: tuple[str, ...], problems: list[Problem]) -> bool:
    header = table.header
    allowed = [expected + optional[:n] for n in range(len(optional) + 1)]
    if tuple(header) not in allowed:
        want = " | ".join(expected) + "".join(f" [| {c}]" for c in optional)
        problems.append(Problem(ir.SourceLoc(path, table.line), f"table columns are | {' | '.join(header)} |; expected | {want} |"))
        return False
    for line, count in table.bad_rows:
        problems.append(Problem(ir.SourceLoc(path, line), f"row has {count} cells; expected {len(header)}, one per column"))
    return True


def _rows(table: Table) -> list[tuple[int, tuple[Cell, ...]]]:
    """The rows with one cell per column (the others are reported by _check_shape)."""
    bad = {line for line, _ in table.bad_rows}
    return [(line, cells) for line, cells in table.rows if line not in bad]


def _fields(table: Table, path: str, problems: list[Problem]) -> list[ir.Field]:
    if not _check_shape(table, path, FIELD_COLUMNS, ("Example",), problems):
        return []
    fields: list[ir.Field] = []
    seen: dict[str, int] = {}
    for line, cells in _rows(table):
        loc = ir.SourceLoc(path, line)
        name, deprecated = _field_name(cells[0])
        if not name:
            problems.append(Problem(loc, "empty Field cell; expected the field's name"))
            continue
        if name in seen:
            problems.append(Problem(loc, f"field '{name}' is already defined at line {seen[name]}; expected each field once"))
            continue
        seen[name] = line
        try:
            type_ = typescript.parse_type(cells[1].inline, path)
        except typescript.TypeSyntaxError as exc:
            problems.append(Problem(loc, f"{exc} in column Type ('{cells[1].source}'); {typescript.EXPECTED}"))
            continue
        required = REQUIRED_MARKS.get(cells[2].source)
        if required is None:
            problems.append(Problem(loc, f"'{cells[2].source}' in column Required; expected :heavy_check_mark: or :heavy_minus_sign:"))
            continue
        description = _text(cells[3].source)
        deprecated = deprecated or ":warning: **DEPRECATED**" in description
        examples: tuple[ir.JSONValue, ...] = ()
        if len(cells) > 4 and cells[4].source:
            try:
                examples = (_example(cells[4].source, type_),)
            except ValueError as exc:
                problems.append(Problem(loc, f"example '{cells[4].source}' in column Example {exc}"))
                continue
        fields.append(ir.Field(name, "", "", type_, required, None, "setting", description, examples, deprecated, loc))
    return fields


def _field_name(cell: Cell) -> tuple[str, bool]:
    """The name in a Field cell, and whether it is struck through (deprecated)."""
    name = "".join(t.content for t in cell.inline if t.type in ("text", "code_inline")).strip()
    return name, any(t.type == "s_open" for t in cell.inline)


def _example(text: str, type_: ir.TypeExpr) -> ir.JSONValue:
    """An Example cell as a JSON value of the field's type: strings stay text, the rest is JSON."""
    if isinstance(type_, ir.Primitive) and type_.kind in ("string", "date-time"):
        return text
    try:
        value: ir.JSONValue = json.loads(text)
    except json.JSONDecodeError:
        if isinstance(type_, ir.Primitive) and type_.kind != "any":
            raise ValueError(f"is not a {type_.kind}; expected a value of the field's type") from None
        return text
    return value


def _enum_values(table: Table, path: str, problems: list[Problem]) -> list[ir.EnumValue]:
    if not _check_shape(table, path, ("Name", "Value"), (), problems):
        return []
    values: list[ir.EnumValue] = []
    seen: dict[str, int] = {}
    for line, cells in _rows(table):
        loc = ir.SourceLoc(path, line)
        name = "".join(t.content for t in cells[0].inline if t.type in ("text", "code_inline")).strip()
        value = "".join(t.content for t in cells[1].inline if t.type in ("text", "code_inline")).strip()
        if value in seen:
            problems.append(Problem(loc, f"enum value '{value}' is already listed at line {seen[value]}; expected each value once"))
            continue
        seen[value] = line
        values.append(ir.EnumValue(name or value, "", value, loc))
    return values
