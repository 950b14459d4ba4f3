"""Type cells of the Python dialect, one small cell at a time, and every Type cell of the Python SDK
docs in the shared corpus."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from docmodels import ir
from docmodels.parse import python
from docmodels.parse.cells import TypeSyntaxError
from docmodels.parse.markdown import read_page
from docmodels.parse.python import PyType

PAGE = "specs/models/components/a.md"
CORPUS = Path(__file__).parents[2] / "shared" / "corpus"
_MD = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])

STR = ir.Primitive("string")
INT = ir.Primitive("integer")
FLOAT = ir.Primitive("number")
BOOL = ir.Primitive("boolean")
ANY = ir.Primitive("any")
BINARY = ir.Primitive("binary")
NULL = ir.LiteralValue(None)
DATE_DOC = "https://docs.python.org/3/library/datetime.html#date-objects"
DATETIME_DOC = "https://docs.python.org/3/library/datetime.html#datetime-objects"


def parse(cell: str, page: str = PAGE) -> PyType:
    """Parse `cell` as the Type cell of a one-row Fields table."""
    table = f"| Field | Type | Required | Description |\n| - | - | - | - |\n| `x` | {cell} | :heavy_check_mark: | N/A |\n"
    inline = [t for t in _MD.parse(table) if t.type == "inline"][5]
    return python.parse_type(tuple(inline.children or ()), page)


def ref(name: str) -> ir.Ref:
    return ir.Ref(name, f"specs/models/components/{name.lower()}.md")


CASES = [
    # primitives
    ("*str*", PyType(STR, None)),
    ("*int*", PyType(INT, None)),
    ("*float*", PyType(FLOAT, None)),
    ("*bool*", PyType(BOOL, None)),
    ("*Any*", PyType(ANY, None)),
    ("*bytes*", PyType(BINARY, None)),
    ("*IO[bytes]*", PyType(BINARY, None)),
    ("*io.BufferedReader*", PyType(BINARY, None)),
    ("*Union[bytes, IO[bytes], io.BufferedReader]*", PyType(BINARY, None)),
    ("*Optional[bytes]*", PyType(BINARY, "Optional")),
    # Speakeasy swaps the names: date-time fields link [date](...), date fields [datetime](...).
    (f"[date]({DATE_DOC})", PyType(ir.Primitive("date-time"), None)),
    (f"[datetime]({DATETIME_DOC})", PyType(ir.Primitive("date"), None)),
    # As Python spells them (union member headings), they mean what they say.
    ("`datetime`", PyType(ir.Primitive("date-time"), None)),
    ("`datetime.date`", PyType(ir.Primitive("date"), None)),
    # wrappers, inside the emphasis, outside it, and inside link text
    ("*Optional[bool]*", PyType(BOOL, "Optional")),
    ("*OptionalNullable[str]*", PyType(STR, "OptionalNullable")),
    ("*Nullable[int]*", PyType(INT, "Nullable")),
    ("*Nullable[Any]*", PyType(ANY, "Nullable")),
    ("Optional[*str*]", PyType(STR, "Optional")),
    ("[OptionalNullable[models.ToolConfiguration]](./toolconfiguration.md)", PyType(ref("ToolConfiguration"), "OptionalNullable")),
    ("[Optional[models.CompletionArgs]](completionargs.md)", PyType(ref("CompletionArgs"), "Optional")),
    ("[Nullable[models.FinishReason]](../components/finishreason.md)", PyType(ref("FinishReason"), "Nullable")),
    ("Optional[List[*str*]]", PyType(ir.Array(STR), "Optional")),
    ("*Optional[List[str]]*", PyType(ir.Array(STR), "Optional")),
    ("OptionalNullable[Dict[str, *Any*]]", PyType(ir.Map(ANY), "OptionalNullable")),
    # only the outermost wrapper is reported; a nullable one further in admits null there
    ("*Optional[Nullable[int]]*", PyType(ir.OneOf((INT, NULL)), "Optional")),
    ("List[[Nullable[models.Option]](option.md)]", PyType(ir.Array(ir.OneOf((ref("Option"), NULL))), None)),
    ("Dict[str, [Nullable[models.Extra]](extra.md)]", PyType(ir.Map(ir.OneOf((ref("Extra"), NULL))), None)),
    ("List[*Optional[str]*]", PyType(ir.Array(STR), None)),
    # links and qualified names
    ("[models.JSONPayload](../../models/components/jsonpayload.md)", PyType(ref("JSONPayload"), None)),
    ("[models.Format](./format_.md#fields)", PyType(ir.Ref("Format", "specs/models/components/format_.md"), None)),
    ("[ToolCall](toolcall.md)", PyType(ref("ToolCall"), None)),
    ("models.ToolCall", PyType(ir.Ref("ToolCall", ""), None)),
    ("*models.ToolCall*", PyType(ir.Ref("ToolCall", ""), None)),
    ("`models.ToolCall`", PyType(ir.Ref("ToolCall", ""), None)),
    ("*Optional[models.ToolCall]*", PyType(ir.Ref("ToolCall", ""), "Optional")),
    # containers
    ("List[[models.ToolCall](toolcall.md)]", PyType(ir.Array(ref("ToolCall")), None)),
    ("List[*str*]", PyType(ir.Array(STR), None)),
    ("List[*int*]", PyType(ir.Array(INT), None)),
    ("List[List[[models.Point](point.md)]]", PyType(ir.Array(ir.Array(ref("Point"))), None)),
    ("Dict[str, *Any*]", PyType(ir.Map(ANY), None)),
    ("Dict[str, *str*]", PyType(ir.Map(STR), None)),
    ("Dict[str, [models.Result](result.md)]", PyType(ir.Map(ref("Result")), None)),
    ("Dict[str, Dict[str, *Any*]]", PyType(ir.Map(ir.Map(ANY)), None)),
    ("List[Dict[str, *Any*]]", PyType(ir.Array(ir.Map(ANY)), None)),
    ("List[Dict[str, [models.Result](result.md)]]", PyType(ir.Array(ir.Map(ref("Result"))), None)),
    ("`List[Dict[str, Any]]`", PyType(ir.Array(ir.Map(ANY)), None)),
    ("`List[models.ContentChunk]`", PyType(ir.Array(ir.Ref("ContentChunk", "")), None)),
    # literals
    ('*Literal["assistant"]*', PyType(ir.LiteralValue("assistant"), None)),
    ('*Literal["agent.handoff.done"]*', PyType(ir.LiteralValue("agent.handoff.done"), None)),
    ('*Optional[Literal["fine-tuned"]]*', PyType(ir.LiteralValue("fine-tuned"), "Optional")),
    ('*OptionalNullable[Literal["display_name"]]*', PyType(ir.LiteralValue("display_name"), "OptionalNullable")),
    ("*Literal[True]*", PyType(ir.LiteralValue(True), None)),
    ("*Optional[Literal[False]]*", PyType(ir.LiteralValue(False), "Optional")),
    ("*Literal[2]*", PyType(ir.LiteralValue(2), None)),
    ("*Literal[-1]*", PyType(ir.LiteralValue(-1), None)),
    ("*Literal[None]*", PyType(NULL, None)),
    ("`Literal['it\\'s', 'a\\tb']`", PyType(ir.OneOf((ir.LiteralValue("it's"), ir.LiteralValue("a\tb"))), None)),
    ('`Literal["caf\\u00e9"]`', PyType(ir.LiteralValue("café"), None)),
    ('`Literal["a b"]`', PyType(ir.LiteralValue("a b"), None)),
    ("*Literal[1, True]*", PyType(ir.OneOf((ir.LiteralValue(1), ir.LiteralValue(True))), None)),
    # unions
    ('*Union[Literal["function"], UnrecognizedStr]*', PyType(ir.OneOf((ir.LiteralValue("function"), STR)), None)),
    ("*Union[Literal[1], UnrecognizedInt]*", PyType(ir.OneOf((ir.LiteralValue(1), INT)), None)),
    ("Union[*str*, List[*str*]]", PyType(ir.OneOf((STR, ir.Array(STR))), None)),
    ("*Optional[Union[str, int]]*", PyType(ir.OneOf((STR, INT)), "Optional")),
    ("*Union[str, None]*", PyType(ir.OneOf((STR, NULL)), None)),
    ("*Nullable[int] \\| str*", PyType(ir.OneOf((INT, NULL, STR)), None)),
    (
        "`Union[eventstreaming.EventStream[models.Event], eventstreaming.EventStreamAsync[models.Event]]`",
        PyType(ir.Array(ir.Ref("Event", "")), None),
    ),
]


@pytest.mark.parametrize(("cell", "expected"), CASES, ids=[c for c, _ in CASES])
def test_type_cell(cell: str, expected: PyType) -> None:
    assert parse(cell) == expected


def test_inline_tokens_of_parse_inline_work_too() -> None:
    children = _MD.parseInline("List[[models.ToolCall](toolcall.md)]")[0].children
    assert python.parse_type(tuple(children or ()), PAGE) == PyType(ir.Array(ref("ToolCall")), None)


def test_anchor_link_is_a_model_in_a_section_of_the_same_page() -> None:
    assert parse("[BackoffStrategy](#backoffstrategy)") == PyType(ir.Ref("BackoffStrategy", PAGE + "#backoffstrategy"), None)


def test_parse_code_reads_a_type_written_as_plain_text() -> None:
    assert python.parse_code("Optional[List[models.X]]", PAGE) == PyType(ir.Array(ir.Ref("X", "")), "Optional")


ERRORS = [
    ("*strr*", "unknown type 'strr'"),
    ("*string*", "unknown type 'string'"),
    ("ToolCall", "unknown type 'ToolCall'"),
    ("[models.X](https://example.com/x.md)", "not at a model page"),
    ("[models.X](/abs/x.md)", "absolute path"),
    ("*List[str*", "the type ends too early (']' missing)"),
    ("*List[str]]*", "unexpected ']'"),
    ("*Optional*", "unknown type 'Optional'"),
    ("*Optional[]*", "unexpected ']'"),
    ("*str* *int*", "unexpected 'int'"),
    ("Dict[int, *str*]", "Dict key type 'int'; only str keys are supported"),
    ("*List[str, int]*", "List[...] takes one type, found 2"),
    ("*Literal[str]*", "literal 'str' is not a string, number, True, False or None"),
    ("*IO[str]*", "IO[...] of something other than bytes"),
    ("N/A", "unknown type 'N/A'"),
]


@pytest.mark.parametrize(("cell", "message"), ERRORS, ids=[c for c, _ in ERRORS])
def test_bad_type_cell(cell: str, message: str) -> None:
    with pytest.raises(TypeSyntaxError) as info:
        parse(cell)
    assert message in str(info.value)


def test_empty_type_cell() -> None:
    with pytest.raises(TypeSyntaxError, match="empty"):
        python.parse_type((), PAGE)


def test_expected_names_the_forms() -> None:
    for form in ("*str*", "Optional[...]", "OptionalNullable[...]", "List[T]", "Dict[str, T]", "Literal["):
        assert form in python.EXPECTED


def test_every_type_cell_of_the_python_corpus_parses() -> None:
    corpus = CORPUS / "mistral-py"
    if not corpus.is_dir():
        pytest.skip("../shared/corpus is absent")
    root = Path(__file__).resolve().parent.parent
    failures: list[str] = []
    cells = 0
    for path in sorted(corpus.rglob("*.md")):
        rel = Path(os.path.relpath(path, root)).as_posix()
        for section in read_page(path.read_text(encoding="utf-8")).sections:
            if section.title != "Fields":
                continue
            for block in section.blocks:
                if block.table is None:
                    continue
                for line, row in block.table.rows:
                    cells += 1
                    try:
                        parsed = python.parse_type(row[1].inline, rel)
                    except TypeSyntaxError as exc:
                        failures.append(f"{rel}:{line}: {row[1].source}: {exc}")
                        continue
                    for t in ir.walk(parsed.type):
                        if isinstance(t, ir.Ref) and t.page and not (root / t.page.split("#")[0]).is_file():
                            failures.append(f"{rel}:{line}: links to a missing page {t.page}")
    assert cells > 3000
    assert failures == []
