"""The PHP dialect (Speakeasy's PHP SDK docs, `docs/Models/<Namespace>/<Name>.md`), one construct at
a time from small inline pages, its nullability rule, its errors, and one package generated from PHP
pages, imported and round-tripped.

Rules:
    1. scalars, `?T`, namespaced links, `array<T>`, `array<string, T>`, the library's classes
    2. a link whose text lists a union's members names the union's page
    3. union member headings in code spans; a bare `array` is a list or an object
    4. a namespaced name without a link is the page in that namespace's folder
    5. the PSR-7 response is left out
    6. nullability: the cell never says (`?T`, `|null` mark a property that may be left out)
    7. detection: PHP pages are told by their cells
    8. cells that must stay errors
    9. end to end: generate, import, round-trip
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import pytest

from docmodels import ir
from docmodels.config import Settings
from docmodels.parse import parse_page, php
from docmodels.parse.cells import TypeSyntaxError
from docmodels.parse.dialects import sniff
from docmodels.resolve import load_schema
from pages import fields_page, page, run_cli, write_files

DIR = "docs/Models/Components"
PAGE = f"{DIR}/Holder.md"
STRING = ir.Primitive("string")
INTEGER = ir.Primitive("integer")
NUMBER = ir.Primitive("number")
BOOLEAN = ir.Primitive("boolean")
ANY = ir.Primitive("any")
DATE_TIME = ir.Primitive("date-time")
DATE = ir.Primitive("date")
PHP_DATETIME = "[\\DateTime](https://www.php.net/manual/en/class.datetime.php)"
PSR_RESPONSE = "[\\Psr\\Http\\Message\\ResponseInterface](https://www.php-fig.org/psr/psr-7/#33-psrhttpmessageresponseinterface)"
PYPROJECT = "[project]\nname = 'tmp'\n\n[tool.docmodels]\n"


php_page = fields_page  # (field, Type cell, required) rows


def union_page(name: str, *headings: str) -> str:
    """A PHP union page: one `### `T`` heading per member, each with the code block the SDK writes."""
    parts = [f"# {name}\n\n\n## Supported Types\n"]
    for heading in headings:
        parts.append(f"\n### `{heading}`\n\n```php\n/**\n* @var {heading}\n*/\n{heading} $value = /* values here */\n```\n")
    return "".join(parts)


def model(text: str, path: str = PAGE) -> ir.Model:
    definition, problems = parse_page(path, text, dialect="php")
    assert [p for p in problems if not p.warning] == [], problems
    assert isinstance(definition, ir.Model), definition
    return definition


def cell(type_cell: str, required: bool = True, path: str = PAGE) -> ir.Field:
    """The one field of a page whose only row has this Type cell."""
    (field,) = model(php_page("Holder", ("x", type_cell, required)), path).fields
    return field


def members(text: str, path: str = f"{DIR}/Choice.md") -> list[ir.TypeExpr]:
    definition, problems = parse_page(path, text, dialect="php")
    assert [p for p in problems if not p.warning] == [], problems
    assert isinstance(definition, ir.Union), definition
    return [m.type for m in definition.members]


def ref(name: str, folder: str = DIR) -> ir.Ref:
    return ir.Ref(name, f"{folder}/{name}.md")


# == 1. scalars, ?T, links, arrays, library classes =================================================

CELLS = [
    ("*string*", STRING),
    ("*int*", INTEGER),
    ("*float*", NUMBER),
    ("*bool*", BOOLEAN),
    ("*mixed*", ANY),
    ("*?string*", STRING),
    ("*?int*", INTEGER),
    ("*?float*", NUMBER),
    ("*?bool*", BOOLEAN),
    ("[Components\\Address](../../Models/Components/Address.md)", ref("Address")),
    ("[?Components\\Address](../../Models/Components/Address.md)", ref("Address")),
    ("[?Operations\\Paging](../../Models/Operations/Paging.md)", ref("Paging", "docs/Models/Operations")),
    ("array<*string*>", ir.Array(STRING)),
    ("array<*float*>", ir.Array(NUMBER)),
    ("array<[Components\\Item](../../Models/Components/Item.md)>", ir.Array(ref("Item"))),
    ("array<string, *mixed*>", ir.Map(ANY)),
    ("array<string, *int*>", ir.Map(INTEGER)),
    ("array<string, array<*string*>>", ir.Map(ir.Array(STRING))),
    ("array<array<string, *mixed*>>", ir.Array(ir.Map(ANY))),
    ("array<string, [Components\\Item](../../Models/Components/Item.md)>", ir.Map(ref("Item"))),
    (PHP_DATETIME, DATE_TIME),
    ("[\\DateTime](../../.md)", DATE_TIME),
    ("[\\Brick\\DateTime\\LocalDate](https://github.com/brick/date-time)", DATE),
    ("[LocalDate](../../.md)", DATE),
    ("[\\Brick\\Math\\BigInteger](https://github.com/brick/math)", INTEGER),
    ("[\\Brick\\Math\\BigDecimal](https://github.com/brick/math)", NUMBER),
]


@pytest.mark.parametrize(("type_cell", "expected"), CELLS, ids=[c[0] for c in CELLS])
def test_type_cell(type_cell, expected):
    assert cell(type_cell).type == expected


def test_optional_mark_is_read_on_optional_fields_too():
    """`*?string*` on an optional row: the same string, and still not a word on null."""
    field = cell("*?string*", required=False)
    assert (field.type, field.required, field.nullable) == (STRING, False, None)


# == 2. a link whose text lists a union's members ===================================================

UNION_LINKS = [
    ("[string\\|int\\|float\\|bool](../../Models/Components/MetadataValue.md)", ref("MetadataValue")),
    ("[string\\|array\\|null](../../Models/Components/IdFilter.md)", ref("IdFilter")),
    ("[Components\\Fixed\\|Components\\Percentage\\|null](../../Models/Components/Discount.md)", ref("Discount")),
    ("[array](../../Models/Shared/Collection.md)", ref("Collection", "docs/Models/Shared")),
    ("array<string, [string\\|int\\|bool\\|\\DateTime](../../Models/Components/FieldValue.md)>", ir.Map(ref("FieldValue"))),
    ("array<[string\\|Components\\Item](../../Models/Components/Entry.md)>", ir.Array(ref("Entry"))),
]


@pytest.mark.parametrize(("type_cell", "expected"), UNION_LINKS, ids=[c[0] for c in UNION_LINKS])
def test_link_listing_members_names_the_union_page(type_cell, expected):
    """The link text lists the members; the page it points at is the union, read from there."""
    assert cell(type_cell, required=False).type == expected


# == 3. union member headings =======================================================================


def test_union_member_headings_in_code_spans():
    text = union_page("Choice", "string", "int", "float", "bool", "\\DateTime", "Components\\Address", "Errors\\NotPaid")
    assert members(text) == [STRING, INTEGER, NUMBER, BOOLEAN, DATE_TIME, ref("Address"), ref("NotPaid", "docs/Models/Errors")]


def test_union_member_heading_listing_several_models_is_a_union_of_them():
    text = union_page("Prices", "Components\\PriceFixed|Components\\PriceFree")
    assert members(text, f"{DIR}/Prices.md") == [ir.OneOf((ref("PriceFixed"), ref("PriceFree")))]


def test_bare_array_member_is_a_list_or_an_object():
    """The heading says `array` only (its code says `@var array<string>` or `array<string, mixed>`)."""
    assert members(union_page("Filter", "string", "array")) == [STRING, ir.OneOf((ir.Array(ANY), ir.Map(ANY)))]


def test_member_code_is_read_from_its_var_line():
    code = "/**\n* @var array<\\Polar\\Models\\Components\\EventType>\n*/\narray $value = /* values here */\n"
    assert php.parse_member_code(code, f"{DIR}/Types.md") == ir.Array(ref("EventType"))
    with pytest.raises(TypeSyntaxError, match="@var"):
        php.parse_member_code("$value = 1;", f"{DIR}/Types.md")


# == 4. namespaced names without a link =============================================================


def test_namespaced_name_is_the_page_in_that_namespace_folder():
    """`Errors\\Four` beside `Components\\Four`: each is its own namespace's page, not a name clash."""
    assert members(union_page("Message", "Errors\\Four"), "docs/Models/Errors/Message.md") == [ref("Four", "docs/Models/Errors")]
    assert members(union_page("Value", "Components\\Four"), "docs/Models/Errors/Value.md") == [ref("Four")]


def test_namespaced_name_outside_namespace_folders_is_found_by_name():
    assert members(union_page("Value", "Components\\Four"), "specs/models/value.md") == [ir.Ref("Four", "")]


# == 5. SDK-only rows ===============================================================================


def test_psr_response_row_is_left_out():
    text = php_page("Result", ("id", "*string*", True), ("rawResponse", PSR_RESPONSE, True), ("contentType", "*string*", True))
    result = model(text)
    assert [f.doc_name for f in result.fields] == ["id", "contentType"]
    assert [(x.name, x.reason) for x in result.left_out] == [("rawResponse", "the SDK's Psr\\Http\\Message\\ResponseInterface object, not wire data")]


# == 6. nullability =================================================================================

NULLABILITY_ROWS = (
    ("plain", "*string*", True),
    ("marked", "*?string*", False),
    ("listed", "[string\\|Components\\Item\\|null](../../Models/Components/Entry.md)", False),
    ("ref", "[Components\\Item](../../Models/Components/Item.md)", True),
)


def test_cells_never_say_whether_null_is_valid():
    """`?T` and `|null` are how every optional property is spelled, nullable on the wire or not, and a
    required field is bare even where the API sends null: the page says nothing either way."""
    fields = model(php_page("Holder", *NULLABILITY_ROWS)).fields
    assert [(f.doc_name, f.nullable) for f in fields] == [(name, None) for name, _, _ in NULLABILITY_ROWS]


@pytest.mark.parametrize(("setting", "optional_nullable"), [("optional", True), ("none", False)])
def test_the_nullable_setting_decides(tmp_path, setting, optional_nullable):
    write_files(
        tmp_path,
        {
            f"{DIR}/Holder.md": php_page("Holder", *NULLABILITY_ROWS),
            f"{DIR}/Item.md": php_page("Item", ("id", "*int*", True)),
            f"{DIR}/Entry.md": union_page("Entry", "string", "Components\\Item"),
        },
    )
    schema, _ = load_schema([tmp_path / "docs"], (), Settings(nullable=setting), tmp_path)
    holder = next(d for d in schema.definitions if d.name == "Holder")
    assert isinstance(holder, ir.Model)
    got = {f.doc_name: (f.nullable, f.nullable_decided_by) for f in holder.fields}
    assert got == {
        "plain": (False, "setting"),
        "marked": (optional_nullable, "setting"),
        "listed": (optional_nullable, "setting"),
        "ref": (False, "setting"),
    }


# == 7. detection ===================================================================================

DETECTED = [
    php_page("A", ("id", "*?string*", False)),
    php_page("B", ("extra", "array<string, *mixed*>", True)),
    php_page("C", ("item", "[Components\\Item](../../Models/Components/Item.md)", True)),
    php_page("D", ("at", PHP_DATETIME, True)),
    union_page("E", "string", "Components\\Item"),
    php_page("F", ("id", "*string*", True)) + "\n## Example Usage\n\n```php\n$value = 1;\n```\n",
]


@pytest.mark.parametrize("text", DETECTED, ids="ABCDEF")
def test_php_pages_are_told_by_their_cells(text):
    assert sniff(text) == "php"


def test_page_of_shared_and_php_cells_takes_the_folder_majority(tmp_path):
    """`*bool*` is also Python's and C#'s, `*string*` TypeScript's: a page of such cells alone is
    not sure, its folder of PHP pages is; with `array<` beside them, the most cues are PHP's."""
    assert sniff(php_page("Flags", ("on", "*bool*", True), ("name", "*string*", True))) is None
    ambiguous = php_page("Flags", ("on", "*bool*", True), ("tags", "array<*string*>", True))
    assert sniff(ambiguous) == "php"
    write_files(tmp_path, {f"{DIR}/Flags.md": ambiguous, f"{DIR}/Item.md": php_page("Item", ("id", "*?int*", False))})
    schema, _ = load_schema([tmp_path / "docs"], (), Settings(), tmp_path)
    flags = next(d for d in schema.definitions if d.name == "Flags")
    assert isinstance(flags, ir.Model) and [f.type for f in flags.fields] == [BOOLEAN, ir.Array(STRING)]


def test_php_cues_do_not_claim_other_dialects_own_cells():
    for other in ("*number*", "*str*", "Record<string, *any*>", "List[*str*]", "[components.X](x.md)", "*long*", "*int64*"):
        assert not php.CUES.search(other), other


# == 8. errors ======================================================================================

ERRORS = [
    ("*strng*", "unknown type 'strng'"),
    ("array<*string*", "the type ends too early ('>' missing)"),
    ("array<*bool*, *string*>", "array key type other than string or int"),
    ("array<>", "unexpected '>'"),
    ("*string*\\|", "the type ends too early"),
    ("[string](../../Models/Components/Name.md)", "link 'string' names a string, not a model"),
    ("[Components\\X](https://example.com/x)", "points at 'https://example.com/x', not at a model page"),
    ("[Components\\X\\|nope](../../Models/Components/X.md)", "unknown type 'nope'"),
]


@pytest.mark.parametrize(("type_cell", "message"), ERRORS, ids=[e[0] for e in ERRORS])
def test_cell_that_does_not_parse_is_an_error_at_its_row(type_cell, message):
    text = php_page("Holder", ("ok", "*string*", True), ("x", type_cell, True))
    definition, problems = parse_page(PAGE, text, dialect="php")
    assert isinstance(definition, ir.Model) and [f.doc_name for f in definition.fields] == ["ok"]
    (problem,) = problems
    assert not problem.warning and problem.loc == ir.SourceLoc(PAGE, text.split("\n").index(next(l for l in text.split("\n") if "`x`" in l)) + 1)
    assert message in problem.message and php.EXPECTED in problem.message


def test_heading_that_does_not_parse_is_an_error():
    definition, problems = parse_page(f"{DIR}/Choice.md", union_page("Choice", "string", "Components\\"), dialect="php")
    assert isinstance(definition, ir.Union) and [m.type for m in definition.members] == [STRING]
    assert len(problems) == 1 and "in union member" in problems[0].message


# == 9. end to end ==================================================================================

E2E_PAGES = {
    "pyproject.toml": PYPROJECT,
    f"{DIR}/Order.md": php_page(
        "Order",
        ("id", "*string*", True),
        ("createdAt", PHP_DATETIME, True),
        ("totalAmount", "*int*", True),
        ("paid", "*bool*", True),
        ("status", "[Components\\OrderStatus](../../Models/Components/OrderStatus.md)", True),
        ("items", "array<[Components\\OrderItem](../../Models/Components/OrderItem.md)>", True),
        ("metadata", "array<string, [string\\|int\\|bool](../../Models/Components/MetadataValue.md)>", True),
        ("note", "*?string*", False),
        ("rawResponse", PSR_RESPONSE, True),
    ),
    f"{DIR}/OrderItem.md": php_page("OrderItem", ("label", "*string*", True), ("amount", "*float*", True)),
    f"{DIR}/OrderStatus.md": "# OrderStatus\n\n\n## Values\n\n| Name | Value |\n| --- | --- |\n| `Pending` | pending |\n| `Paid` | paid |\n",
    f"{DIR}/MetadataValue.md": union_page("MetadataValue", "string", "int", "bool"),
}


@pytest.fixture(scope="module")
def php_pkg(tmp_path_factory: pytest.TempPathFactory) -> Any:
    base = tmp_path_factory.mktemp("php")
    write_files(base, E2E_PAGES)
    result = run_cli(base, "generate", "docs", "-o", "out/php_e2e_pkg", "--wire-case", "snake")
    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    sys.path.insert(0, str(base / "out"))
    try:
        yield importlib.import_module("php_e2e_pkg.models")
    finally:
        sys.path.remove(str(base / "out"))
        for name in [m for m in sys.modules if m.split(".")[0] == "php_e2e_pkg"]:
            del sys.modules[name]


def test_generated_package_round_trips(php_pkg):
    data = {
        "id": "o1",
        "created_at": "2026-01-02T03:04:05Z",
        "total_amount": 9720,
        "paid": True,
        "status": "paid",
        "items": [{"label": "Pro", "amount": 97.2}],
        "metadata": {"plan": "pro", "seats": 3, "trial": False},
        "note": None,
    }
    order = php_pkg.Order.from_dict(data)
    assert order.total_amount == 9720 and order.items[0].label == "Pro" and order.metadata["seats"] == 3
    assert order.created_at.year == 2026
    assert not hasattr(order, "raw_response")
    back = order.to_dict()
    assert {k: v for k, v in back.items() if k != "created_at"} == {k: v for k, v in data.items() if k != "created_at"}
    assert php_pkg.Order.from_dict(back) == order
