"""The C# dialect (`generator/parse/csharp.py`), from small inline pages: one test per construct of
its grammar (primitives, platform links, lists, dictionaries, model links, SDK-only types, union
member names in headings and in code), the nullability rule (the C# docs never say), errors
that must stay errors, how a C# page is told, and one package generated from C# pages, imported
and round-tripped."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from docmodels import ir
from docmodels.config import Settings
from docmodels.parse import parse_page
from docmodels.parse.dialects import sniff
from docmodels.resolve import load_schema
from pages import fields_page, line_of, one_field, one_field_error, page, run_cli, write_files

MODELS = "docs/Models/Components"
STRING = ir.Primitive("string")
INTEGER = ir.Primitive("integer")
NUMBER = ir.Primitive("number")
BOOLEAN = ir.Primitive("boolean")
ANY = ir.Primitive("any")
BINARY = ir.Primitive("binary")
DATE = ir.Primitive("date")
DATE_TIME = ir.Primitive("date-time")
DATETIME_LINK = "[DateTime](https://learn.microsoft.com/en-us/dotnet/api/system.datetime?view=net-5.0)"
LOCALDATE_LINK = "[LocalDate](https://nodatime.org/3.1.x/api/NodaTime.LocalDate.html)"
RESPONSE_LINK = "[HttpResponseMessage](https://learn.microsoft.com/en-us/dotnet/api/system.net.http.httpresponsemessage?view=net-5.0)"


cs_page = fields_page  # (field, Type cell, required) rows


def union_page(name: str, *members: str, code: bool = True) -> str:
    """A C# union page: one `### Member` heading (with its factory call) per member."""
    parts = [f"# {name}", "", "", "## Supported Types", ""]
    for m in members:
        parts += [f"### {m}", ""]
        if code:
            parts += ["```csharp", f"{name}.Create{m}(/* values here */);", "```", ""]
    return "\n".join(parts)


def read(text: str, path: str = f"{MODELS}/Thing.md") -> ir.Definition:
    """The page's definition, read as C#, which must have no problems."""
    definition, problems = parse_page(path, text, dialect="csharp")
    assert problems == [], problems
    assert definition is not None
    return definition


def cell(type_: str, required: bool = True, path: str = f"{MODELS}/Thing.md") -> ir.Field:
    """The one field of a page whose only row has Type cell `type_`."""
    field: ir.Field = one_field("csharp", type_, required, path, "Value")
    return field


def cell_error(type_: str) -> str:
    """The one problem of a page whose only row has Type cell `type_`."""
    return one_field_error("csharp", type_, f"{MODELS}/Thing.md", "Value")


# == primitives ====================================================================================


@pytest.mark.parametrize(
    ("type_", "expected"),
    [
        ("*string*", STRING),
        ("*long*", INTEGER),
        ("*int*", INTEGER),
        ("*BigInteger*", INTEGER),
        ("*double*", NUMBER),
        ("*float*", NUMBER),
        ("*decimal*", NUMBER),
        ("*bool*", BOOLEAN),
        ("*object*", ANY),
        ("*byte[]*", BINARY),
    ],
)
def test_emphasised_primitive(type_, expected):
    assert cell(type_).type == expected


def test_nullable_mark_is_read_and_says_nothing():
    """`*string?*` (C#'s `?`, which the SDK writes for optional fields too) is a string; the
    cell still leaves nullability to the setting."""
    field = cell("*string?*")
    assert (field.type, field.nullable) == (STRING, None)


# == platform links ================================================================================


@pytest.mark.parametrize(
    ("type_", "expected"),
    [
        (DATETIME_LINK, DATE_TIME),
        (LOCALDATE_LINK, DATE),
        ("[Stream](https://learn.microsoft.com/en-us/dotnet/api/system.io.stream?view=net-5.0)", BINARY),
        ("[*types.Date*](../../types/date.md)", DATE),
    ],
)
def test_link_to_a_platform_type_is_that_type(type_, expected):
    assert cell(type_).type == expected


# == lists and dictionaries ========================================================================


@pytest.mark.parametrize(
    ("type_", "expected"),
    [
        ("List<*string*>", ir.Array(STRING)),
        ("List<List<*long*>>", ir.Array(ir.Array(INTEGER))),
        ("Dictionary<String, *object*>", ir.Map(ANY)),
        ("Dictionary<string, *string*>", ir.Map(STRING)),
        ("Dictionary<String, List<*string*>>", ir.Map(ir.Array(STRING))),
        ("List<Dictionary<String, Dictionary<String, *long*>>>", ir.Array(ir.Map(ir.Map(INTEGER)))),
        (f"Dictionary<String, {LOCALDATE_LINK}>", ir.Map(DATE)),
        ("List\\<*string*>", ir.Array(STRING)),
    ],
)
def test_generic_collections(type_, expected):
    assert cell(type_).type == expected


def test_list_and_dictionary_of_model_links():
    field = cell("Dictionary<String, Dictionary<String, [Models.Ledger.V2Volume](../../Models/Ledger/V2Volume.md)>>")
    assert field.type == ir.Map(ir.Map(ir.Ref("V2Volume", "docs/Models/Ledger/V2Volume.md")))
    field = cell("List<[V3Payment](../../Models/Payments/V3Payment.md)>", path="docs/Models/Payments/X.md")
    assert field.type == ir.Array(ir.Ref("V3Payment", "docs/Models/Payments/V3Payment.md"))


def test_additional_properties_row_types_the_extra_keys():
    model = read(cs_page("Bag", ("Name", "*string*", True), ("AdditionalProperties", "Dictionary<String, *long*>", False)))
    assert isinstance(model, ir.Model)
    assert [f.doc_name for f in model.fields] == ["Name"]
    assert model.additional == INTEGER


# == model links ===================================================================================


@pytest.mark.parametrize(
    "text",
    ["V3Config", "Models.Payments.V3Config", "FormanceSDK.Models.Payments.V3Config", "Models.Components.V3Config"],
)
def test_link_to_a_model_page_is_a_reference_by_its_last_name(text):
    field = cell(f"[{text}](../../Models/Payments/V3Config.md)", path="docs/Models/Ledger/Thing.md")
    assert field.type == ir.Ref("V3Config", "docs/Models/Payments/V3Config.md")


def test_namespace_qualified_name_without_a_link_is_a_reference_by_name():
    assert cell("*Models.Components.Account*").type == ir.Ref("Account", "")


# == SDK-only types ================================================================================


def test_http_objects_are_left_out_and_recorded():
    text = cs_page(
        "Result",
        ("Id", "*string*", True),
        ("RawResponse", RESPONSE_LINK, True),
        ("Request", "*HttpRequestMessage*", False),
    )
    model = read(text)
    assert isinstance(model, ir.Model)
    assert [f.doc_name for f in model.fields] == ["Id"]
    assert [(x.name, x.loc.line) for x in model.left_out] == [
        ("RawResponse", line_of(text, "`RawResponse`")),
        ("Request", line_of(text, "`Request`")),
    ]
    assert "HttpResponseMessage" in model.left_out[0].reason and "HttpRequestMessage" in model.left_out[1].reason


def test_http_metadata_page_and_links_to_it_are_left_out(tmp_path):
    write_files(
        tmp_path,
        {
            f"{MODELS}/HTTPMetadata.md": cs_page(
                "HTTPMetadata", ("Response", RESPONSE_LINK, True), ("Request", "*HttpRequestMessage*", True)
            ),
            f"{MODELS}/Reply.md": cs_page(
                "Reply", ("HttpMeta", "[HTTPMetadata](../../Models/Components/HTTPMetadata.md)", True), ("Id", "*string*", True)
            ),
        },
    )
    schema, _ = load_schema([tmp_path / "docs"], (), Settings(dialects={"": "csharp"}), tmp_path)
    defs = {d.name: d for d in schema.definitions}
    assert sorted(defs) == ["Reply"]
    reply = defs["Reply"]
    assert isinstance(reply, ir.Model)
    assert [f.doc_name for f in reply.fields] == ["Id"]
    assert [x.name for x in reply.left_out] == ["HttpMeta"]
    assert [x.name for x in schema.left_out] == ["HTTPMetadata"]


# == unions ========================================================================================


def test_union_member_headings_are_speakeasy_member_names():
    union = read(
        union_page(
            "Value", "Str", "Integer", "Bigint", "Number", "Boolean", "Any", "ArrayOfStr", "MapOfAny", "ArrayOfArrayOfBike", "V3AdyenConfig"
        )
    )
    assert isinstance(union, ir.Union)
    assert [m.type for m in union.members] == [
        STRING,
        INTEGER,
        INTEGER,
        NUMBER,
        BOOLEAN,
        ANY,
        ir.Array(STRING),
        ir.Map(ANY),
        ir.Array(ir.Array(ir.Ref("Bike", ""))),
        ir.Ref("V3AdyenConfig", ""),
    ]


def test_a_member_whose_name_only_starts_like_a_container_is_a_model():
    union = read(union_page("Place", "MapOffice", "ArrayOfficeList"))
    assert isinstance(union, ir.Union)
    assert [m.type for m in union.members] == [ir.Ref("MapOffice", ""), ir.Ref("ArrayOfficeList", "")]


def test_empty_member_heading_is_read_from_its_factory_call():
    text = page("""
        # Loc


        ## Supported Types

        ###

        ```csharp
        Loc.CreateStr(/* values here */);
        ```

        ###

        ```csharp
        Loc.CreateArrayOfLocationPoint(/* values here */);
        ```
        """)
    union = read(text)
    assert isinstance(union, ir.Union)
    assert [m.type for m in union.members] == [STRING, ir.Array(ir.Ref("LocationPoint", ""))]


def test_empty_member_heading_over_other_code_is_an_error():
    text = page("""
        # Loc


        ## Supported Types

        ###

        ```csharp
        var x = 1;
        ```
        """)
    _, problems = parse_page(f"{MODELS}/Loc.md", text, dialect="csharp")
    errors = [p for p in problems if not p.warning]
    assert [p.loc.line for p in errors] == [6]
    assert "CreateX(...)" in errors[0].message


# == nullability ===================================================================================


@pytest.mark.parametrize("required", [True, False])
@pytest.mark.parametrize("type_", ["*string*", "*long*", DATETIME_LINK, "List<*string*>", "[V3Config](V3Config.md)"])
def test_cells_never_say_nullability(type_, required):
    """A nullable and a non-nullable field have the same Type cell in the C# docs (`*long*` for
    both), so the cell says nothing, required or not."""
    assert cell(type_, required).nullable is None


@pytest.mark.parametrize(("setting", "optional_nullable"), [("optional", True), ("none", False)])
def test_the_setting_decides_nullability(tmp_path, setting, optional_nullable):
    write_files(tmp_path, {f"{MODELS}/Job.md": cs_page("Job", ("Title", "*string*", False), ("Id", "*string*", True))})
    schema, _ = load_schema([tmp_path / "docs"], (), Settings(dialects={"": "csharp"}, nullable=setting), tmp_path)
    (job,) = schema.definitions
    assert isinstance(job, ir.Model)
    fields = {f.doc_name: f for f in job.fields}
    assert (fields["Title"].nullable, fields["Title"].nullable_decided_by) == (optional_nullable, "setting")
    assert (fields["Id"].nullable, fields["Id"].nullable_decided_by) == (False, "setting")


# == errors ========================================================================================


@pytest.mark.parametrize(
    ("type_", "needle"),
    [
        ("*strng*", "unknown type 'strng'"),
        ("Dictionary<long, *string*>", "only String keys"),
        ("List<*string*", "ends too early"),
        ("List<*string*>>", "unexpected '>'"),
        ("[TimeSpan](https://learn.microsoft.com/en-us/dotnet/api/system.timespan)", "names no known type"),
        ("[V3Config](/abs/V3Config.md)", "absolute path"),
        ("*string* \\| *long*", "unexpected '|'"),
    ],
)
def test_cells_that_do_not_parse_are_errors(type_, needle):
    message = cell_error(type_)
    assert needle in message, message
    assert "expected *string*, *long*" in message


# == detection =====================================================================================


def test_csharp_fence_picks_csharp_for_cells_typescript_writes_too():
    text = cs_page("Job", ("Title", "*string*", True)) + "\n## Example Usage\n\n```csharp\nusing X;\n\nJob value = new Job() {};\n```\n"
    assert sniff(text) == "csharp"


def test_csharp_fence_picks_csharp_for_cells_python_writes_too():
    text = cs_page("Job", ("Count", "*int*", True), ("Ok", "*bool*", True)) + "\n```csharp\nJob value = new Job() {};\n```\n"
    assert sniff(text) == "csharp"


@pytest.mark.parametrize("type_", ["*decimal*", "*object*", "Dictionary<String, *object*>", DATETIME_LINK, LOCALDATE_LINK, RESPONSE_LINK])
def test_cells_only_csharp_writes_tell_csharp_without_a_fence(type_):
    assert sniff(cs_page("Job", ("Value", type_, True))) == "csharp"


@pytest.mark.parametrize("type_", ["*string*", "*long*", "*int*", "*bool*", "*double*", "*BigInteger*", "*byte[]*"])
def test_cells_csharp_shares_with_another_dialect_are_claimed(type_):
    """C# claims the cells it writes like another dialect (`*string*`, `*long*`): without a
    fence such a page is left to its folder, with a C# fence it is C#."""
    text = cs_page("Job", ("Value", type_, True))
    assert sniff(text) is None
    assert sniff(text + "\n```csharp\nvar value = new Job() {};\n```\n") == "csharp"


def test_csharp_pages_are_read_as_csharp_without_a_setting(tmp_path):
    """Pages told as C# are read in it by the loader; one that could be in several dialects
    (`*long*` is Java's too) takes its folder's majority."""
    write_files(
        tmp_path,
        {
            f"{MODELS}/Job.md": cs_page("Job", ("Count", "*decimal*", True), ("At", DATETIME_LINK, False)),
            f"{MODELS}/Pay.md": cs_page("Pay", ("Amount", "*long*", True), ("Meta", "Dictionary<String, *object*>", False)),
            f"{MODELS}/Tally.md": cs_page("Tally", ("Count", "*long*", True)),
        },
    )
    schema, _ = load_schema([tmp_path / "docs"], (), Settings(), tmp_path)
    defs = {d.name: d for d in schema.definitions}
    types = {name: [f.type for f in d.fields] for name, d in defs.items() if isinstance(d, ir.Model)}
    assert types == {"Job": [NUMBER, DATE_TIME], "Pay": [INTEGER, ir.Map(ANY)], "Tally": [INTEGER]}


# == end to end ====================================================================================

E2E_PAGES = {
    "pyproject.toml": "[project]\nname = 'tmp'\n\n[tool.docmodels]\n",
    f"{MODELS}/Order.md": cs_page(
        "Order",
        ("OrderId", "*string*", True),
        ("Quantity", "*long*", True),
        ("Price", "*decimal*", False),
        ("PlacedAt", DATETIME_LINK, True),
        ("DeliverOn", LOCALDATE_LINK, False),
        ("Tags", "List<*string*>", False),
        ("Metadata", "Dictionary<String, *object*>", False),
        ("Status", "[OrderStatus](../../Models/Components/OrderStatus.md)", True),
        ("Target", "[Models.Components.Target](../../Models/Components/Target.md)", False),
        ("Lines", "List<[OrderLine](../../Models/Components/OrderLine.md)>", False),
        ("HttpMeta", "[HTTPMetadata](../../Models/Components/HTTPMetadata.md)", True),
    ),
    f"{MODELS}/OrderLine.md": cs_page("OrderLine", ("Sku", "*string*", True), ("Count", "*int*", True)),
    f"{MODELS}/OrderStatus.md": page("""
        # OrderStatus

        ## Example Usage

        ```csharp
        using Shop.Models.Components;

        var value = OrderStatus.Open;
        ```


        ## Values

        | Name     | Value    |
        | -------- | -------- |
        | `Open`   | open     |
        | `Closed` | closed   |
        """),
    f"{MODELS}/Target.md": union_page("Target", "Str", "ArrayOfStr", "OrderLine"),
    f"{MODELS}/HTTPMetadata.md": cs_page("HTTPMetadata", ("Response", RESPONSE_LINK, True), ("Request", "*HttpRequestMessage*", True)),
}


@pytest.fixture(scope="module")
def cs_pkg(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("csharp")
    write_files(base, E2E_PAGES)
    result = run_cli(base, "generate", "docs", "-o", "out/csharp_e2e_pkg", "--wire-case", "camel")
    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert "Traceback" not in result.stderr
    sys.path.insert(0, str(base / "out"))
    try:
        yield base / "out" / "csharp_e2e_pkg", importlib.import_module("csharp_e2e_pkg.models"), result
    finally:
        sys.path.remove(str(base / "out"))
        for name in [m for m in sys.modules if m.split(".")[0] == "csharp_e2e_pkg"]:
            del sys.modules[name]


def test_generated_package_round_trips_a_value(cs_pkg):
    out, models, result = cs_pkg
    assert "4 definitions" in result.stdout, result.stdout  # HTTPMetadata is left out
    wire: dict[str, Any] = {
        "orderId": "o-1",
        "quantity": 3,
        "price": 9.5,
        "placedAt": "2024-02-29T12:00:00Z",
        "deliverOn": "2024-03-01",
        "tags": ["a", "b"],
        "metadata": {"k": [1, {"x": None}]},
        "status": "open",
        "target": ["x", "y"],
        "lines": [{"sku": "s", "count": 2}],
    }
    order = models.Order.from_dict(wire)
    assert order.quantity == 3 and order.lines[0].count == 2
    assert order.status is models.OrderStatus.OPEN
    assert order.placed_at.year == 2024 and order.deliver_on.day == 1
    assert not hasattr(order, "http_meta")
    back = order.to_dict()
    assert back["placedAt"] in ("2024-02-29T12:00:00Z", "2024-02-29T12:00:00+00:00")
    assert {k: v for k, v in back.items() if k != "placedAt"} == {k: v for k, v in wire.items() if k != "placedAt"}
    schema = json.loads((out / "jsonschema" / "Order.json").read_text(encoding="utf-8"))
    assert "httpMeta" not in json.dumps(schema)
    with pytest.raises(ValueError):
        models.Order.from_dict({**wire, "quantity": "three"})
