"""Pages -> IR definitions. One page is one model (`## Fields`), enum (`## Values`) or union
(`## Supported Types`), in the TypeScript or the Python dialect, detected per page.

Names and nullability are left for `resolve`: a field comes out with its doc name, an empty wire
and Python name, and `nullable=None` where the page does not say.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from markdown_it.token import Token

from .. import ir
from ..errors import Problem
from . import examples
from .cells import SdkOnly, TypeSyntaxError
from .dialects import DEFAULT, DIALECTS, Dialect, no_member_code, sniff
from .markdown import Block, Cell, Page, Section, Table, read_page

MAX_TYPE_NESTING = 16
MAX_TABLE_ROWS = 2000
MODEL_SECTIONS = ("Fields", "Values", "Supported Types")
NOT_A_MODEL = "no '## Fields', '## Values' or '## Supported Types' section: not a model page (SDK documentation such as client options)"
EXAMPLE_IS_CODE = "Example Usage is code that builds the value, not a literal; left out"
REQUIRED_MARKS = {":heavy_check_mark:": True, ":heavy_minus_sign:": False}
FIELD_COLUMNS = ("Field", "Type", "Required", "Description")
OPTION_COLUMNS = ("Name", "Type", "Description")
_OPEN_ENUM = re.compile(r"Unrecognized(?:<\w+>|Str|Int)|open enum", re.IGNORECASE)
_DEPRECATED = re.compile(r":\s*warning\s*:\s*\*\*\s*DEPRECATED\s*\*\*")
# The generator's own words for the rows it adds to every operation's result, in every language.
_SDK_ROW = re.compile(r"HTTP response (?:content type|status code) for this operation|Raw HTTP response; suitable for custom response parsing", re.IGNORECASE)
# The row of an object's extra keys: `additionalProperties` as the spec names it, or the name the
# Python SDK's pydantic models give it.
_ADDITIONAL = re.compile(r"additional_?properties|__pydantic_extra__", re.IGNORECASE)
_NIL = "<nil>"  # how the Go-based generator prints a null value
_INTEGER = re.compile(r"-?\d+")
_STRUCK = re.compile(r"~~(.+)~~")
_EXAMPLE_MARK = re.compile(r"\*\*Example \d+:\*\*")
_ENUM_ITEM = re.compile(r'"(?:[^"\\]|\\.)*"|-?\d+|Unrecognized<\w+>')


def decode(data: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Bytes -> text, read as if there were no byte-order mark and no CRLF line endings."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [Problem(ir.SourceLoc(path, line), f"byte {data[exc.start]:#x} is not UTF-8; expected a UTF-8 text file")]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def parse_page(path: str, text: str, dialect: str | None = None) -> tuple[ir.Definition | None, list[Problem]]:
    """Parse one page. `path` is project-relative; links in the page resolve from it."""
    definitions, problems = parse_page_all(path, text, dialect)
    return definitions.get(path), problems


def parse_page_all(path: str, text: str, dialect: str | None = None) -> tuple[dict[str, ir.Definition], list[Problem]]:
    """The page's model under `path`, and the models some pages define in later sections
    (`## BackoffStrategy` with `### Fields`, linked as `#backoffstrategy`) under `path#anchor`.
    `dialect` is the one to read the page in (the loader tells it from the page and its folder);
    None: the page's own, else the default."""
    page = read_page(text)
    if page.title is None:
        if page.sections and not any(s.title in MODEL_SECTIONS for s in page.sections):  # Go's client options page
            return {}, [Problem(ir.SourceLoc(path, 1), f"{NOT_A_MODEL}; left out (links to it are errors)", warning=True, kind="not-a-model")]
        return {}, [Problem(ir.SourceLoc(path, 1), "no '# Name' heading; expected the page to start with the model name")]
    parser = _PageParser(path, DIALECTS[dialect or sniff(text) or DEFAULT])
    definition = parser.definition(page)
    definitions = {} if definition is None else {path: definition}
    for section in page.sections:
        heading = next((b for b in section.blocks if b.kind == "heading"), None)
        table = _first_table(section.blocks)
        if heading is not None and heading.text == "Fields" and table is not None:
            loc = ir.SourceLoc(path, section.line)
            description = "\n\n".join(_text(b.text) for b in section.blocks if b.kind == "paragraph" and b.line < heading.line)
            name, deprecated = _title(section.title)
            definitions[f"{path}#{anchor(name)}"] = parser.model(name, description, table, [], loc, deprecated)
    return definitions, parser.problems


def anchor(title: str) -> str:
    """The anchor a heading gets on GitHub-style pages: `Backoff Strategy` -> `backoff-strategy`."""
    return re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")


class _PageParser:
    def __init__(self, path: str, dialect: Dialect) -> None:
        self.path = path
        self.dialect = dialect
        self.problems: list[Problem] = []

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(ir.SourceLoc(self.path, line), message))

    def warn(self, line: int, message: str, kind: str) -> None:
        """A docs inconsistency worked around; `kind` names it for collapsing (errors.Problem.kind)."""
        self.problems.append(Problem(ir.SourceLoc(self.path, line), message, warning=True, kind=kind))

    def definition(self, page: Page) -> ir.Definition | None:
        assert page.title is not None
        loc = ir.SourceLoc(self.path, page.title_line)
        name, deprecated = _title(page.title)
        description = _paragraphs(page.intro)
        sections = {s.title: s for s in page.sections}
        usage = sections["Example Usage"].blocks if "Example Usage" in sections else []
        if "Fields" in sections:
            section = sections["Fields"]
            table = _first_table(section.blocks)
            if table is None:
                self.problem(section.line, "'## Fields' has no table; expected | Field | Type | Required | Description |")
                return None
            return self.model(name, description, table, usage, loc, deprecated)
        if "Values" in sections:
            values, is_open, nullable = self.enum_values(sections["Values"])
            # Newer docs say it in the example: `// Open enum: use .of() to create instances ...`.
            is_open = is_open or any(b.kind == "code" and _OPEN_ENUM.search(b.text) for b in usage)
            # The SDK's own constants are examples of the enum (`value = Action.CREATE`).
            constants: dict[str, ir.JSONValue] = {f"{name}.{v.name}": v.value for v in values}
            constants.update((v.name, v.value) for v in values)  # Go: `components.UnitPercent`
            return ir.Enum(name, "", description, tuple(values), is_open, self.examples(usage, constants), loc, deprecated, nullable)
        if "Supported Types" in sections:
            members = self.union_members(sections["Supported Types"])
            return ir.Union(name, "", description, tuple(members), self.examples(usage), loc, deprecated)
        if not page.sections:
            # Speakeasy writes a title alone for a union whose members it cannot show.
            self.warn(loc.line, "the page names no fields, values or member types; read as any value", "read-as-any")
            return ir.Union(name, "", description, (), (), loc, deprecated)
        self.warn(loc.line, f"{NOT_A_MODEL}; left out (links to it are errors)", "not-a-model")
        return None

    # -- types --------------------------------------------------------------------------------------

    def parse_type(self, inline: tuple[Token, ...], required: bool) -> tuple[ir.TypeExpr, bool | None]:
        """A type and whether the page says it is nullable (None: it does not say)."""
        depth = _nesting("".join(t.content for t in inline))
        if depth > MAX_TYPE_NESTING:
            raise TypeSyntaxError(f"the type nests {depth} deep (at most {MAX_TYPE_NESTING})")
        return self.dialect.parse_cell(inline, self.path, required)

    # -- models -------------------------------------------------------------------------------------

    def model(self, name: str, description: str, table: Table, usage: list[Block], loc: ir.SourceLoc, deprecated: bool) -> ir.Model:
        fields, left_out, additional = self.fields(table)
        return ir.Model(name, "", description, tuple(fields), self.examples(usage), loc, deprecated, additional, tuple(left_out))

    def fields(self, table: Table) -> tuple[list[ir.Field], list[ir.LeftOut], ir.TypeExpr | None]:
        """The table's fields, the rows that are not wire data, and the type of the keys the
        fields do not name where a row says it."""
        fields: list[ir.Field] = []
        left_out: list[ir.LeftOut] = []
        additional: ir.TypeExpr | None = None
        if len(table.rows) > MAX_TABLE_ROWS:
            self.problem(table.line, f"table has {len(table.rows)} rows; expected at most {MAX_TABLE_ROWS}")
            return fields, left_out, additional
        # Options pages (RetryConfig) write `| Name | Type | Description |`: no Required column,
        # every field is required.
        options = table.header[:3] == OPTION_COLUMNS
        if not self.check_shape(table, OPTION_COLUMNS if options else FIELD_COLUMNS, ("Example",)):
            return fields, left_out, additional
        description_at = 2 if options else 3
        seen: dict[str, int] = {}
        for line, cells in _rows(table):
            name, deprecated = _field_name(cells[0])
            loc = ir.SourceLoc(self.path, line)
            if not name:
                self.problem(line, "empty Field cell; expected the field's name")
                continue
            if name in seen:
                self.problem(line, f"field '{name}' is already defined at line {seen[name]}; expected each field once")
                continue
            seen[name] = line
            required = True if options else REQUIRED_MARKS.get(cells[2].source)
            if required is None:
                self.problem(line, f"'{cells[2].source}' in column Required; expected :heavy_check_mark: or :heavy_minus_sign:")
                continue
            try:
                type_, nullable = self.parse_type(cells[1].inline, required)
            except TypeSyntaxError as exc:
                self.problem(line, f"{exc} in column Type ('{cells[1].source}'); {self.dialect.expected}")
                continue
            except SdkOnly as exc:
                left_out.append(ir.LeftOut(name, str(exc), loc))
                continue
            description = _text(cells[description_at].source)
            if _SDK_ROW.fullmatch(description):
                # The status code and content type the SDK adds to an operation's result.
                left_out.append(ir.LeftOut(name, f"the SDK's HTTP metadata ('{description}'), not wire data", loc))
                continue
            if _ADDITIONAL.fullmatch(name) and isinstance(type_, ir.Map):
                # Speakeasy's row for an object's extra keys (`additionalProperties: Record<string, T>`).
                additional = type_.value
                continue
            deprecated = deprecated or _DEPRECATED.search(description) is not None
            field_examples: tuple[ir.JSONValue, ...] = ()
            if len(cells) > description_at + 1 and cells[description_at + 1].source:
                field_examples = _example_cell(cells[description_at + 1].source, type_)
            fields.append(ir.Field(name, "", "", type_, required, nullable, "setting", description, field_examples, deprecated, loc))
        return fields, left_out, additional

    def check_shape(self, table: Table, expected: tuple[str, ...], optional: tuple[str, ...]) -> bool:
        allowed = [expected + optional[:n] for n in range(len(optional) + 1)]
        if tuple(table.header) not in allowed:
            want = " | ".join(expected) + "".join(f" [| {c}]" for c in optional)
            self.problem(table.line, f"table columns are | {' | '.join(table.header)} |; expected | {want} |")
            return False
        for line, count in table.bad_rows:
            self.problem(line, f"row has {count} cells; expected {len(table.header)}, one per column")
        return True

    # -- enums --------------------------------------------------------------------------------------

    def enum_values(self, section: Section) -> tuple[list[ir.EnumValue], bool, bool]:
        """Values as a `Name | Value` table, a code block (`"a" | "b" | Unrecognized<string>`) or a
        bullet list of literals; open when the page says so; nullable where a value is `<nil>`."""
        blocks, line = section.blocks, section.line
        is_open = any(b.kind in ("paragraph", "code") and _OPEN_ENUM.search(b.text) for b in blocks)
        nullable = False
        raw: list[tuple[int, str, str | int]] = []  # (line, name, value)
        table = _first_table(blocks)
        if table is not None:
            if self.check_shape(table, ("Name", "Value"), ()):
                rows = [(row_line, _plain(cells[0]), _plain(cells[1])) for row_line, cells in _rows(table)]
                nullable = any(text == _NIL for _, _, text in rows)
                rows = [row for row in rows if row[2] != _NIL]
                # Table values are written unquoted: all of them integers make an integer enum.
                integers = bool(rows) and all(_INTEGER.fullmatch(text) for _, _, text in rows)
                raw.extend((row_line, name or text, int(text) if integers else text) for row_line, name, text in rows)
        else:
            for block in blocks:
                if block.kind == "code":
                    for offset, source_line in enumerate(block.text.split("\n")):
                        for item in _ENUM_ITEM.findall(source_line):
                            if not item.startswith("Unrecognized"):
                                value = _enum_literal(item)
                                raw.append((block.line + 1 + offset, str(value), value))
                elif block.kind == "list":
                    item = _plain_tokens(block.inline)
                    if not _ENUM_ITEM.fullmatch(item):
                        self.problem(block.line, f"enum value '{item}'; expected a literal such as `\"text\"` or `1`")
                        continue
                    value = _enum_literal(item)
                    raw.append((block.line, str(value), value))
        if not raw:
            self.problem(line, "'## Values' lists no values; expected a | Name | Value | table, a code block or a list")
        values: list[ir.EnumValue] = []
        seen: dict[str | int, int] = {}
        for value_line, name, value in raw:
            if value in seen:
                self.problem(value_line, f"enum value {value!r} is already listed at line {seen[value]}; expected each value once")
                continue
            seen[value] = value_line
            values.append(ir.EnumValue(name, "", value, ir.SourceLoc(self.path, value_line)))
        return values, is_open, nullable

    # -- unions -------------------------------------------------------------------------------------

    def member_type(self, heading: Block, code: str) -> ir.TypeExpr:
        """A union member's type: what the code block under its heading says, where the dialect
        reads that (Go's `components.CreateUnionStr(...)`, PHP's `@var array<string>` under
        ### `array`), else the heading's text."""
        if code and self.dialect.parse_member_code is not no_member_code:
            try:
                return self.dialect.parse_member_code(code, self.path)
            except TypeSyntaxError:
                if not heading.inline:
                    raise
        return self.parse_type(heading.inline, True)[0]

    def union_members(self, section: Section) -> list[ir.UnionMember]:
        """One member per `###` heading (see `member_type`)."""
        members = []
        blocks = section.blocks
        for i, block in enumerate(blocks):
            if block.kind != "heading":
                continue
            code = blocks[i + 1].text if i + 1 < len(blocks) and blocks[i + 1].kind == "code" else ""
            try:
                type_ = self.member_type(block, code)
            except TypeSyntaxError as exc:
                self.problem(block.line, f"{exc} in union member '{block.text}'; {self.dialect.expected}")
                continue
            except SdkOnly as exc:
                self.warn(block.line, f"union member '{block.text}' is {exc}; left out", "union-member-left-out")
                continue
            members.append(ir.UnionMember(type_, ir.SourceLoc(self.path, block.line)))
        if not members:
            self.warn(section.line, "'## Supported Types' names no member types; read as any value", "read-as-any")
        return members

    # -- examples -----------------------------------------------------------------------------------

    def examples(self, blocks: list[Block], constants: Mapping[str, ir.JSONValue] | None = None) -> tuple[ir.JSONValue, ...]:
        """The Example Usage value. One that cannot be read is a docs warning: the page stands
        without it."""
        for block in blocks:
            if block.kind == "code":
                if self.dialect.example_literals is None:
                    try:
                        value = examples.read_code_example(block.text, constants)
                    except examples.ExampleSyntaxError:
                        # Code that builds the value (a struct, a builder): SDK usage, not a docs
                        # problem; resolve counts these in one line per folder.
                        self.warn(block.line, EXAMPLE_IS_CODE, "example-is-code")
                        return ()
                    return () if value is examples.NO_EXAMPLE else (value,)  # type: ignore[return-value]
                try:
                    value = examples.read_example(block.text, block.info or self.dialect.example_literals, constants)
                except examples.ExampleSyntaxError as exc:
                    self.warn(block.line + exc.line, f"Example Usage not read: {exc}; the page is read without it", "example-unreadable")
                    return ()
                return () if value is examples.NO_EXAMPLE else (value,)  # type: ignore[return-value]
        return ()


def _nesting(text: str) -> int:
    """How deep a type nests, at most: brackets of every kind inside one another, and every `[]`."""
    depth = deepest = 0
    for char in text:
        if char in "[<{(":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]>})":
            depth -= 1
    return deepest + text.count("[]")


def _paragraphs(blocks: list[Block]) -> str:
    return "\n\n".join(_text(b.text) for b in blocks if b.kind == "paragraph")


def _text(source: str) -> str:
    """A description as plain markdown text: `<br/>` is a line break, `N/A` is nothing."""
    text = re.sub(r"<br\s*/?>", "\n", source).strip()
    return "" if text == "N/A" else text


def _first_table(blocks: list[Block]) -> Table | None:
    return next((b.table for b in blocks if b.table is not None), None)


def _rows(table: Table) -> list[tuple[int, tuple[Cell, ...]]]:
    """The rows with one cell per column (the others are reported by check_shape)."""
    bad = {line for line, _ in table.bad_rows}
    return [(line, cells) for line, cells in table.rows if line not in bad]


def _plain_tokens(inline: tuple[Token, ...]) -> str:
    return "".join(t.content for t in inline if t.type in ("text", "code_inline")).strip()


def _plain(cell: Cell) -> str:
    return _plain_tokens(cell.inline)


def _title(text: str) -> tuple[str, bool]:
    """A heading's name, and whether it is struck through (`# ~~Name~~`: deprecated)."""
    struck = _STRUCK.fullmatch(text.strip())
    return (struck.group(1).strip(), True) if struck else (text, False)


def _field_name(cell: Cell) -> tuple[str, bool]:
    """The name in a Field cell, and whether it is struck through (deprecated)."""
    return _plain(cell), any(t.type == "s_open" for t in cell.inline)


def _enum_literal(item: str) -> str | int:
    return json.loads(item) if item.startswith('"') else int(item)


def _example_cell(source: str, type_: ir.TypeExpr) -> tuple[ir.JSONValue, ...]:
    """An Example cell as JSON values (`**Example 1:** ... **Example 2:** ...` holds several):
    text for string fields, JSON where it parses, else text (a value that does not fit its field
    is reported later, against the resolved types). `null`, and `<nil>` (the Go-based generator's
    null), are null in every field: evidence that the field accepts null (see resolve)."""
    texts = [t.strip() for t in _EXAMPLE_MARK.split(re.sub(r"<br\s*/?>", "\n", source)) if t.strip()]
    texts = [t[1:-1] if len(t) > 1 and t[0] == t[-1] == "`" else t for t in texts]
    values: list[ir.JSONValue] = []
    for text in texts:
        if text in ("null", _NIL):
            values.append(None)
            continue
        if isinstance(type_, ir.Primitive) and type_.kind in ("string", "date", "date-time"):
            values.append(text)
            continue
        try:
            values.append(json.loads(text))
        except json.JSONDecodeError:
            values.append(text)
    return tuple(values)
