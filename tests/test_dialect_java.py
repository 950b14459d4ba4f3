"""The Java dialect (`generator/parse/java.py`), from small inline pages: one test per construct of
its grammar (primitives, JDK links, model links, `Optional<T>` and `JsonNullable<T>`, lists, maps,
event streams, SDK-only types, additionalProperties rows, union member headings), the nullability
rule, errors that must stay errors, how a Java page is told, and one package generated from Java
pages, imported and round-tripped.

The rule, as measured against the published specs (java-kintsugi's openapi.yaml; java-mollie's
docs against go-mollie's spec): `JsonNullable<T>` may be null; `Optional<T>` may be null on a
required field and may not on an optional one; a bare type on a required field may not be null;
the docs never wrap a collection or a linked JDK type, so those cells do not say."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from docmodels import ir
from docmodels.parse import parse_page
from docmodels.parse.dialects import sniff
from pages import fields_page, line_of, one_field, one_field_error, page, run_cli, write_files

MODELS = "docs/models/components"
STRING = ir.Primitive("string")
INTEGER = ir.Primitive("integer")
NUMBER = ir.Primitive("number")
BOOLEAN = ir.Primitive("boolean")
ANY = ir.Primitive("any")
BINARY = ir.Primitive("binary")
DATE = ir.Primitive("date")
DATE_TIME = ir.Primitive("date-time")
LOCALDATE_LINK = "[LocalDate](https://docs.oracle.com/javase/8/docs/api/java/time/LocalDate.html)"
DATETIME_LINK = "[OffsetDateTime](https://docs.oracle.com/javase/8/docs/api/java/time/OffsetDateTime.html)"
RESPONSE_HREF = "https://docs.oracle.com/en/java/javase/11/docs/api/java.net.http/java/net/http/HttpResponse.html"


java_page = fields_page  # (field, Type cell, required) rows


def read(text: str, path: str = f"{MODELS}/Thing.md") -> ir.Definition:
    """The page's definition, read as Java, which must have no problems."""
    definition, problems = parse_page(path, text, dialect="java")
    assert problems == [], problems
    assert definition is not None
    return definition


def cell(type_: str, required: bool = True) -> ir.Field:
    """The one field of a page whose only row has Type cell `type_`."""
    field: ir.Field = one_field("java", type_, required, f"{MODELS}/Thing.md", "value")
    return field


def cell_error(type_: str) -> str:
    """The one problem of a page whose only row has Type cell `type_`."""
    return one_field_error("java", type_, f"{MODELS}/Thing.md", "value")


def ref(name: str) -> ir.Ref:
    return ir.Ref(name, f"{MODELS}/{name}.md")


# -- primitives ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("*String*", STRING),
        ("*long*", INTEGER),
        ("*int*", INTEGER),
        ("*Long*", INTEGER),
        ("*Integer*", INTEGER),
        ("*BigInteger*", INTEGER),
        ("*double*", NUMBER),
        ("*Double*", NUMBER),
        ("*BigDecimal*", NUMBER),
        ("*boolean*", BOOLEAN),
        ("*Boolean*", BOOLEAN),
        ("*Object*", ANY),
        ("byte[]", BINARY),
        ("*byte[]*", BINARY),
        ("*InputStream*", BINARY),
    ],
)
def test_primitives(source, expected):
    """Java's own and boxed names, as the docs emphasise them; `byte[]` is file content."""
    assert cell(source).type == expected


@pytest.mark.parametrize(("source", "expected"), [(LOCALDATE_LINK, DATE), (DATETIME_LINK, DATE_TIME), ("*OffsetDateTime*", DATE_TIME)])
def test_jdk_date_types(source, expected):
    """Links to the JDK's LocalDate and OffsetDateTime are dates and date-times, not model pages."""
    assert cell(source).type == expected


# -- model links and wrappers -------------------------------------------------------------------


def test_model_link_is_a_reference_to_its_page():
    assert cell("[Mode](../../models/components/Mode.md)").type == ref("Mode")


def test_link_to_a_section_of_the_same_page():
    assert cell("[Backoff](#backoff)").type == ir.Ref("Backoff", f"{MODELS}/Thing.md#backoff")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("*Optional\\<String>*", STRING),
        ("*Optional\\<Long>*", INTEGER),
        ("*JsonNullable\\<Boolean>*", BOOLEAN),
        ("*Optional<String>*", STRING),  # older docs do not escape the bracket
        ("[Optional\\<Url>](../../models/components/Url.md)", ref("Url")),
        ("[JsonNullable\\<UrlNullable>](../../models/components/UrlNullable.md)", ref("UrlNullable")),
        ("*Optional\\<? extends List\\<String>>*", ir.Array(STRING)),
    ],
)
def test_optional_and_jsonnullable_wrap_the_type(source, expected):
    """The wrapper is no part of the type: `[Optional<Url>](Url.md)` is the model Url."""
    assert cell(source, required=False).type == expected


def test_jsonnullable_inside_another_type_adds_null():
    """Only the outermost wrapper is the field's; a JsonNullable further in makes its value nullable."""
    assert cell("List\\<*JsonNullable\\<String>*>").type == ir.Array(ir.OneOf((STRING, ir.LiteralValue(None))))
    assert cell("List\\<*Optional\\<String>*>").type == ir.Array(STRING)


# -- collections --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("List\\<*String*>", ir.Array(STRING)),
        ("List\\<[Tag](../../models/components/Tag.md)>", ir.Array(ref("Tag"))),
        ("Map\\<String, *Object*>", ir.Map(ANY)),
        ("Map\\<String, [Tag](../../models/components/Tag.md)>", ir.Map(ref("Tag"))),
        # A generic inside a generic: the docs escape its bracket twice, which leaves a backslash.
        ("List\\<Map\\\\<String, *Object*>>", ir.Array(ir.Map(ANY))),
        ("Map\\<String, Map\\\\<String, [Periods](../../models/components/Periods.md)>>", ir.Map(ir.Map(ref("Periods")))),
        ("List<[Tag](../../models/components/Tag.md)>", ir.Array(ref("Tag"))),  # older docs
        ("Map<String, *Long*>", ir.Map(INTEGER)),
    ],
)
def test_lists_and_maps(source, expected):
    assert cell(source).type == expected


def test_event_stream_is_a_sequence_of_a_model_named_without_link():
    """`*Optional<EventStream<X>>*` (server-sent events) names the model X without a link."""
    assert cell("*Optional\\<EventStream\\<ChatCompletionStream>>*", required=False).type == ir.Array(ir.Ref("ChatCompletionStream", ""))


def test_additional_properties_row_types_the_extra_keys():
    model = read(java_page("Extras", ("additionalProperties", f"Map\\<String, {LOCALDATE_LINK}>", False), ("name", "*String*", True)))
    assert isinstance(model, ir.Model)
    assert model.additional == DATE
    assert [f.doc_name for f in model.fields] == ["name"]


# -- nullability --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "required", "nullable"),
    [
        ("*JsonNullable\\<String>*", False, True),
        ("*JsonNullable\\<String>*", True, True),
        ("[JsonNullable\\<Url>](../../models/components/Url.md)", False, True),
        ("*Optional\\<String>*", False, False),
        ("[Optional\\<Url>](../../models/components/Url.md)", False, False),
        ("*Optional\\<String>*", True, True),  # a required field that may be null
        ("[Optional\\<Url>](../../models/components/Url.md)", True, True),
        ("*String*", True, False),
        ("*long*", True, False),
        ("[Url](../../models/components/Url.md)", True, False),
        # What the cell cannot show, it does not say: the setting decides.
        ("*String*", False, None),
        ("List\\<*String*>", True, None),
        ("List\\<*String*>", False, None),
        ("Map\\<String, *Object*>", True, None),
        (LOCALDATE_LINK, True, None),
        (DATETIME_LINK, False, None),
    ],
)
def test_nullability_rule(source, required, nullable):
    field = cell(source, required)
    assert (field.required, field.nullable) == (required, nullable)


# -- SDK-only types -----------------------------------------------------------------------------


@pytest.mark.parametrize("source", [f"[HttpResponse\\<?>]({RESPONSE_HREF})", f"[HttpResponse\\<InputStream>]({RESPONSE_HREF})", "*HttpResponse\\<byte[]>*"])
def test_http_response_rows_are_left_out(source):
    text = java_page("Result", ("id", "*String*", True), ("rawResponse", source, True))
    model = read(text)
    assert isinstance(model, ir.Model)
    assert [f.doc_name for f in model.fields] == ["id"]
    assert [(x.name, x.loc.line) for x in model.left_out] == [("rawResponse", line_of(text, "`rawResponse`"))]
    assert "HttpResponse" in model.left_out[0].reason


def test_a_model_page_named_like_an_sdk_type_is_kept():
    """SDK-only is told by the link's target: a model page called HttpResponse is a model."""
    model = read(java_page("Reply", ("response", "[HttpResponse](../../models/components/HttpResponse.md)", True)))
    assert isinstance(model, ir.Model)
    assert [f.type for f in model.fields] == [ref("HttpResponse")] and model.left_out == ()


# -- union member headings ----------------------------------------------------------------------


def test_union_member_headings():
    text = page(
        """
        # Amount

        ## Supported Types

        ### `String`

        ### `long`

        ### `List<String>`

        ### [Money](../../models/components/Money.md)
        """
    )
    union = read(text, f"{MODELS}/Amount.md")
    assert isinstance(union, ir.Union)
    assert [m.type for m in union.members] == [STRING, INTEGER, ir.Array(STRING), ref("Money")]


# -- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "says"),
    [
        ("*strng*", "unknown type 'strng'"),
        ("Map\\<Long, *String*>", "only String keys"),
        ("List\\<*String*", "ends too early"),
        ("List\\<*String*>>", "unexpected '>'"),
        ("*Optional*", "without its type arguments"),
        ("*Set\\<String, String>*", "takes one type"),
        ("*Future\\<String>*", "unknown generic type 'Future"),
        ("[Thing](https://example.com/Thing.html)", "not at a model page"),
    ],
)
def test_cells_that_do_not_parse_are_errors(source, says):
    message = cell_error(source)
    assert says in message, message
    assert "in column Type" in message and "expected *String*" in message


# -- detection ----------------------------------------------------------------------------------


def test_java_cells_tell_a_java_page():
    assert sniff(java_page("A", ("id", "*String*", True), ("n", "*Optional\\<Long>*", False))) == "java"
    assert sniff(java_page("B", ("day", LOCALDATE_LINK, True))) == "java"
    assert sniff(java_page("C", ("meta", "Map\\<String, [X](x.md)>", True))) == "java"
    # `*long*` is C#'s too and `*boolean*` TypeScript's; only Java writes both.
    assert sniff(java_page("D", ("total", "*long*", True), ("open", "*boolean*", True))) == "java"


def test_a_java_fence_picks_java_among_cells_other_dialects_write_too():
    """`*long*` and `*double*` are C#'s too: a `java` fence decides, a `csharp` one not."""
    body = java_page("Counts", ("total", "*long*", True), ("share", "*double*", True))
    assert sniff(body) is None
    assert sniff(body + "\n## Example Usage\n\n```java\nCounts value = Counts.builder().build();\n```\n") == "java"
    assert sniff(body + "\n## Example Usage\n\n```csharp\nvar value = new Counts();\n```\n") == "csharp"


# -- a generated package ------------------------------------------------------------------------

ORDER = java_page(
    "Order",
    ("orderId", "*String*", True),
    ("amount", "*long*", True),
    ("note", "*JsonNullable\\<String>*", False),
    ("status", "[Optional\\<OrderStatus>](../../models/components/OrderStatus.md)", False),
    ("customer", "[JsonNullable\\<Customer>](../../models/components/Customer.md)", False),
    ("tags", "List\\<*String*>", False),
    ("createdAt", DATETIME_LINK, True),
    ("metadata", "Map\\<String, *Object*>", False),
    ("rawResponse", f"[HttpResponse\\<?>]({RESPONSE_HREF})", True),
)
CUSTOMER = java_page("Customer", ("customerId", "*String*", True), ("born", LOCALDATE_LINK, False))
ORDER_STATUS = page(
    """
    # OrderStatus

    ## Example Usage

    ```java
    import com.example.models.components.OrderStatus;

    OrderStatus value = OrderStatus.PAID;
    ```


    ## Values

    | Name   | Value  |
    | ------ | ------ |
    | `OPEN` | open   |
    | `PAID` | paid   |
    """
)


@pytest.fixture(scope="module")
def java_pkg(tmp_path_factory: pytest.TempPathFactory) -> Any:
    base = tmp_path_factory.mktemp("java")
    write_files(
        base,
        {
            "pyproject.toml": "[project]\nname = 'tmp'\n",
            f"docs/{MODELS}/Order.md": ORDER,
            f"docs/{MODELS}/Customer.md": CUSTOMER,
            f"docs/{MODELS}/OrderStatus.md": ORDER_STATUS,
        },
    )
    result = run_cli(base, "generate", "docs", "-o", "out/java_pkg", "--wire-case", "snake")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    sys.path.insert(0, str(base / "out"))
    try:
        yield importlib.import_module("java_pkg.models"), base / "out" / "java_pkg"
    finally:
        sys.path.remove(str(base / "out"))
        for name in [m for m in sys.modules if m.split(".")[0] == "java_pkg"]:
            del sys.modules[name]


def test_generated_package_round_trips_and_keeps_nulls_where_java_says(java_pkg):
    models, out = java_pkg
    data = {
        "order_id": "ord_1",
        "amount": 1250,
        "note": None,
        "status": "paid",
        "customer": {"customer_id": "cst_1", "born": "1990-02-28"},
        "tags": ["a", "b"],
        "created_at": "2024-03-20T09:13:37+00:00",
        "metadata": {"k": [1, {"x": None}]},
    }
    order = models.Order.from_dict(data)
    assert order.status is models.OrderStatus.PAID and order.customer.customer_id == "cst_1"
    assert order.to_dict() == data
    assert models.Order.from_dict({**data, "customer": None}).customer is None
    schema = json.loads((out / "jsonschema" / "Order.json").read_text(encoding="utf-8"))
    assert "raw_response" not in schema["properties"] and "rawResponse" not in json.dumps(schema)
    assert sorted(schema["required"]) == ["amount", "created_at", "order_id"]
    # JsonNullable: null is valid; Optional on an optional field and bare required types: it is not.
    assert {"type": "null"} in schema["properties"]["note"].get("anyOf", []) or "null" in schema["properties"]["note"].get("type", [])
    for key in ("status", "order_id", "amount"):
        assert "null" not in json.dumps(schema["properties"][key]), key
    with pytest.raises(Exception):
        models.Order.from_dict({**data, "status": None})


# -- the corpus ---------------------------------------------------------------------------------

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
@pytest.mark.parametrize("folder", ["java-kintsugi", "java-mollie"])
def test_every_type_cell_of_the_java_corpus_parses(folder):
    """Each page of the Java corpus folders, read as Java, has no problem (the folders' warnings
    come later, from resolve: empty union pages, duplicate names, examples)."""
    pages = sorted((CORPUS / folder / "docs").rglob("*.md"))
    assert len(pages) > 200
    left_out = 0
    for path in pages:
        definition, problems = parse_page(path.relative_to(CORPUS).as_posix(), path.read_text(encoding="utf-8"), dialect="java")
        assert [p for p in problems if not p.warning] == [], path
        if isinstance(definition, ir.Model):
            left_out += len(definition.left_out)
            assert all("HttpResponse" in x.reason or "HTTP metadata" in x.reason for x in definition.left_out), path
    assert left_out > 10
