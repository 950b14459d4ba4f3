"""The Go dialect (`generator/parse/go.py`), from small inline pages: one test per construct of its
grammar (Go's types in emphasis and in code spans, pointers, slices, maps, model links, the
standard library's links, the SDK's date type, `OptionalNullable[T]`, SDK-only types, union
members in headings and in code), the nullability rule (a pointer on a required field is null),
errors that must stay errors, how a Go page is told, and one package generated from Go pages,
imported and round-tripped."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import pytest

from docmodels import ir
from docmodels.config import Settings
from docmodels.parse import go, parse_page
from docmodels.parse.dialects import sniff
from docmodels.resolve import load_schema
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
NULL = ir.LiteralValue(None)
TIME_LINK = "(https://pkg.go.dev/time#Time)"
PET_PAGE = f"{MODELS}/pet.md"


go_page = fields_page  # (field, Type cell, required) rows


def union_page(name: str, *members: tuple[str, str]) -> str:
    """A Go union page: per member, its `###` heading text and the constructor's argument."""
    parts = [f"# {name}", "", "", "## Supported Types", ""]
    for heading, argument in members:
        var = name[0].lower() + name[1:]
        parts += [f"### {heading}".rstrip() + (" " if not heading else ""), "", "```go", f"{var} := components.Create{name}X({argument})", "```", ""]
    return "\n".join(parts)


def read(text: str, path: str = f"{MODELS}/thing.md") -> ir.Definition:
    """The page's definition, read as Go, which must have no problems."""
    definition, problems = parse_page(path, text, dialect="go")
    assert problems == [], problems
    assert definition is not None
    return definition


def cell(type_: str, required: bool = True) -> ir.Field:
    """The one field of a page whose only row has Type cell `type_`."""
    field: ir.Field = one_field("go", type_, required, f"{MODELS}/thing.md", "Value")
    return field


def cell_error(type_: str) -> str:
    """The one problem of a page whose only row has Type cell `type_`."""
    return one_field_error("go", type_, f"{MODELS}/thing.md", "Value")


def members(*pairs: tuple[str, str]) -> list[ir.TypeExpr]:
    union = read(union_page("Choice", *pairs), f"{MODELS}/choice.md")
    assert isinstance(union, ir.Union)
    return [m.type for m in union.members]


# == types: older docs write them in emphasis, newer in code spans ================================

PRIMITIVES = [
    ("string", STRING),
    ("int", INTEGER),
    ("int32", INTEGER),
    ("int64", INTEGER),
    ("uint8", INTEGER),
    ("float32", NUMBER),
    ("float64", NUMBER),
    ("bool", BOOLEAN),
    ("any", ANY),
    ("interface{}", ANY),
    ("[]byte", BINARY),
    ("io.ReadCloser", BINARY),
    ("io.Reader", BINARY),
    ("time.Time", DATE_TIME),
    ("types.Date", DATE),
]


@pytest.mark.parametrize(("go_type", "expected"), PRIMITIVES)
@pytest.mark.parametrize("mark", ["*{}*", "`{}`"], ids=["emphasis", "code"])
def test_go_primitives(mark, go_type, expected):
    assert cell(mark.format(go_type)).type == expected


@pytest.mark.parametrize("source", ["**string*", "`*string`", "**int64*", "`*int64`", "`*float64`", "**bool*"])
def test_pointer_on_a_required_field_is_nullable(source):
    field = cell(source, required=True)
    assert field.type in (STRING, INTEGER, NUMBER, BOOLEAN)
    assert field.nullable is True


@pytest.mark.parametrize("source", ["*string*", "`string`", "*int64*", "`bool`", "[time.Time]" + TIME_LINK])
def test_bare_type_on_a_required_field_is_not_nullable(source):
    assert cell(source, required=True).nullable is False


@pytest.mark.parametrize("source", ["**string*", "`*string`", "*string*", "[*time.Time]" + TIME_LINK, "[*components.Pet](pet.md)"])
def test_optional_field_leaves_nullability_to_the_setting(source):
    """Optional fields are pointers whether or not null is valid: the cell does not say."""
    field = cell(source, required=False)
    assert field.nullable is None
    assert field.nullable_decided_by == "setting"


@pytest.mark.parametrize(
    "source",
    ["[]`string`", "map[string]`any`", "`any`", "*any*", "*[]byte*", "`io.ReadCloser`", "[*big.Int](https://pkg.go.dev/math/big#Int)"],
)
def test_types_whose_pointer_says_nothing_leave_nullability_to_the_setting(source):
    """Slices, maps, `any` and bytes are never pointers, `*big.Int` always is."""
    assert cell(source, required=True).nullable is None


@pytest.mark.parametrize("required", [True, False])
def test_optional_nullable_wrapper_is_nullable(required):
    field = cell("optionalnullable.OptionalNullable[`string`]", required=required)
    assert (field.type, field.nullable) == (STRING, True)
    wrapped = cell("optionalnullable.OptionalNullable[[components.Pet](pet.md)]", required=False)
    assert (wrapped.type, wrapped.nullable) == (ir.Ref("Pet", PET_PAGE), True)


# == slices and maps ===============================================================================


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("[]*string*", ir.Array(STRING)),
        ("[]`string`", ir.Array(STRING)),
        ("[]*int64*", ir.Array(INTEGER)),
        ("[][]`float64`", ir.Array(ir.Array(NUMBER))),
        ("[][components.Pet](pet.md)", ir.Array(ir.Ref("Pet", PET_PAGE))),
        ("[]map[string]`any`", ir.Array(ir.Map(ANY))),
        # A pointer inside a slice: the items may be null.
        ("[]**string*", ir.Array(ir.OneOf((STRING, NULL)))),
        ("[]`*int64`", ir.Array(ir.OneOf((INTEGER, NULL)))),
        ("[][*components.Pet](pet.md)", ir.Array(ir.OneOf((ir.Ref("Pet", PET_PAGE), NULL)))),
    ],
)
def test_slices(source, expected):
    assert cell(source).type == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("map[string]*string*", ir.Map(STRING)),
        ("map[string]`string`", ir.Map(STRING)),
        ("map[string]*any*", ir.Map(ANY)),
        ("map[string]*interface{}*", ir.Map(ANY)),
        ("map[string]map[string][components.Pet](pet.md)", ir.Map(ir.Map(ir.Ref("Pet", PET_PAGE)))),
        ("map[string][]`string`", ir.Map(ir.Array(STRING))),
        ("map[string]`*string`", ir.Map(ir.OneOf((STRING, NULL)))),
    ],
)
def test_maps(source, expected):
    assert cell(source).type == expected


def test_additional_properties_row_types_the_extra_keys():
    model = read(go_page("Extras", ("Name", "`string`", True), ("AdditionalProperties", "map[string]`any`", False)))
    assert isinstance(model, ir.Model)
    assert [f.doc_name for f in model.fields] == ["Name"]
    assert model.additional == ANY


# == links: models, the standard library, the SDK's date type ======================================


@pytest.mark.parametrize(
    ("source", "ref", "nullable"),
    [
        ("[components.Pet](../../models/components/pet.md)", ir.Ref("Pet", PET_PAGE), False),
        ("[*components.Pet](../../models/components/pet.md)", ir.Ref("Pet", PET_PAGE), True),
        ("[*operations.Query](../../models/operations/query.md)", ir.Ref("Query", "docs/models/operations/query.md"), True),
        ("[*shared.Pet](../../models/shared/pet.md)", ir.Ref("Pet", "docs/models/shared/pet.md"), True),
        ("[sdkerrors.Meta](../../models/sdkerrors/meta.md)", ir.Ref("Meta", "docs/models/sdkerrors/meta.md"), False),
        ("**components.Pet*", ir.Ref("Pet", ""), True),
        ("`components.Pet`", ir.Ref("Pet", ""), False),
    ],
)
def test_model_links_and_names(source, ref, nullable):
    field = cell(source)
    assert (field.type, field.nullable) == (ref, nullable)


@pytest.mark.parametrize(
    ("source", "expected", "nullable"),
    [
        ("[time.Time](https://pkg.go.dev/time#Time)", DATE_TIME, False),
        ("[*time.Time](https://pkg.go.dev/time#Time)", DATE_TIME, True),
        ("[types.Date](../../types/date.md)", DATE, False),
        ("[*types.Date](../../types/date.md)", DATE, True),
        ("[*big.Int](https://pkg.go.dev/math/big#Int)", INTEGER, None),
        ("[*decimal.Big](https://pkg.go.dev/github.com/ericlagergren/decimal#Big)", NUMBER, None),
    ],
)
def test_library_links_are_well_known_types_not_pages(source, expected, nullable):
    field = cell(source)
    assert (field.type, field.nullable) == (expected, nullable)


def test_streams_are_sequences_of_their_items():
    assert cell("`*stream.EventStream[components.Event]`", required=False).type == ir.Array(ir.Ref("Event", ""))
    assert cell("`*jsonl.JsonLStream[string]`", required=False).type == ir.Array(STRING)


# == SDK-only types ================================================================================

RESULT = go_page(
    "Result",
    ("ID", "`string`", True),
    ("HTTPMeta", "[components.HTTPMetadata](../../models/components/httpmetadata.md)", True),
    ("RawResponse", "[*http.Response](https://pkg.go.dev/net/http#Response)", False),
)
HTTP_METADATA = go_page(
    "HTTPMetadata",
    ("Response", "[*http.Response](https://pkg.go.dev/net/http#Response)", True),
    ("Request", "[*http.Request](https://pkg.go.dev/net/http#Request)", True),
)


def test_http_objects_are_left_out_and_recorded():
    model = read(HTTP_METADATA, f"{MODELS}/httpmetadata.md")
    assert isinstance(model, ir.Model)
    assert model.fields == ()
    assert [(o.name, o.reason) for o in model.left_out] == [
        ("Response", "the SDK's http.Response object, not wire data"),
        ("Request", "the SDK's http.Request object, not wire data"),
    ]


def test_model_of_only_http_rows_is_left_out_and_so_are_links_to_it(tmp_path):
    write_files(tmp_path, {f"{MODELS}/result.md": RESULT, f"{MODELS}/httpmetadata.md": HTTP_METADATA})
    schema, _ = load_schema([tmp_path / "docs"], (), Settings(dialects={"": "go"}), tmp_path)
    result = next(d for d in schema.definitions if d.name == "Result")
    assert isinstance(result, ir.Model)
    assert [f.doc_name for f in result.fields] == ["ID"]
    assert {o.name for o in result.left_out} == {"HTTPMeta", "RawResponse"}
    assert [o.name for o in schema.left_out] == ["HTTPMetadata"]


# == union members: named in headings, or only in code under an empty heading ======================


def test_union_member_headings_name_models():
    assert members(("Cat", "components.Cat{/* values here */}"), ("Dog", "components.Dog{/* values here */}")) == [ir.Ref("Cat", ""), ir.Ref("Dog", "")]


@pytest.mark.parametrize(
    ("argument", "expected"),
    [
        ("string{/* values here */}", STRING),
        ("int64{/* values here */}", INTEGER),
        ("int{/* values here */}", INTEGER),
        ("float32{/* values here */}", NUMBER),
        ("bool{/* values here */}", BOOLEAN),
        ("any{/* values here */}", ANY),
        ("map[string]any{/* values here */}", ir.Map(ANY)),
        ("[]string{/* values here */}", ir.Array(STRING)),
        ("[]components.Kind{/* values here */}", ir.Array(ir.Ref("Kind", ""))),
        ("[]*components.Kind{/* values here */}", ir.Array(ir.OneOf((ir.Ref("Kind", ""), NULL)))),
        ("components.Pet{/* values here */}", ir.Ref("Pet", "")),
        # Generic unions write a typed zero value instead.
        ("int64(0)", INTEGER),
        ('""', STRING),
        ("false", BOOLEAN),
        ("0.0", NUMBER),
    ],
)
def test_union_members_in_code_under_empty_headings(argument, expected):
    assert members(("", argument)) == [expected]


def test_member_code_reads_the_constructor_argument_only():
    code = 'v := components.CreateChoiceStr(string{/* values ) here */})\n// components.Other{}\n'
    assert go.parse_member_code(code, f"{MODELS}/choice.md") == STRING


# == errors that must stay errors ==================================================================


@pytest.mark.parametrize(
    ("source", "needle"),
    [
        ("*strng*", "unknown type 'strng'"),
        ("`*strng`", "unknown type 'strng'"),
        ("map[int64]*string*", "map key type 'int64'"),
        ("`**string`", "a pointer to a pointer"),
        ("[*url.URL](https://pkg.go.dev/net/url#URL)", "unknown Go library type 'url.URL'"),
        ("[*time.Duration](https://pkg.go.dev/time#Duration)", "unknown Go library type 'time.Duration'"),
        ("`time.Duration`", "unknown type 'time.Duration'"),
        ("[components.Pet](https://example.com/pet)", "not at a model page"),
        ("[]", "the type ends too early"),
        ("`string` `int64`", "unexpected 'int64'"),
        ("`[]optionalnullable.OptionalNullable[string]`", "around a field's whole type"),
        ("*Record<string, any>*", "unexpected '<'"),
    ],
)
def test_bad_cells_are_errors(source, needle):
    message = cell_error(source)
    assert needle in message
    assert "in column Type" in message and "expected `string`" in message


def test_member_code_without_a_constructor_is_an_error():
    text = union_page("Choice", ("", "string{}")).replace("components.CreateChoiceX(string{})", "var x = 1")
    definition, problems = parse_page(f"{MODELS}/choice.md", text, dialect="go")
    assert isinstance(definition, ir.Union) and definition.members == ()
    assert problems[0].message.startswith("no constructor call such as `components.CreateUnionStr(string{...})` in the code under the heading")
    assert problems[0].loc.line == line_of(text, "###")


# == how a Go page is told =========================================================================


@pytest.mark.parametrize(
    "cell_text",
    [
        "`*string`", "`int64`", "[]`string`", "[][components.X](x.md)", "map[string]`any`", "[*components.X](x.md)",
        "[time.Time](https://pkg.go.dev/time#Time)", "**string*", "*int64*", "*float64*", "[]*string*", "*[]byte*",
        # Older Go docs write these as TypeScript, C# and PHP do: Go claims them too, so that
        # every cell of an older Go page is Go's and its fence can pick Go.
        "*string*", "*bool*", "*int*", "*any*",
    ],
)
def test_go_cells_are_cues(cell_text):
    assert go.CUES.search(f" {cell_text} ")


@pytest.mark.parametrize("text", ["`string`", "`int`", "`bool`", "`components.X[][]`", "[components.X](x.md)[]", "*number*[][]", "Record<string, *number*>", "List[str]"])
def test_other_dialects_cells_are_not_go_cues(text):
    """Other dialects head union members with `` `string` `` and write arrays as suffixes."""
    assert not go.CUES.search(text)


GO_FENCE = "\n## Example Usage\n\n```go\nvalue := components.Thing{}\n```\n"


@pytest.mark.parametrize("cell_text", ["`*string`", "[]`string`", "*int64*", "[*time.Time](https://pkg.go.dev/time#Time)"])
def test_page_of_go_only_cells_is_go(cell_text):
    assert sniff(go_page("Thing", ("Name", cell_text, True))) == "go"


@pytest.mark.parametrize("cell_text", ["*string*", "**string*", "*any*"])
def test_older_go_page_of_shared_cells_is_told_by_its_go_fence(cell_text):
    text = go_page("Thing", ("Name", cell_text, True), ("Other", "*string*", False))
    assert sniff(text + GO_FENCE) == "go"


# == a package generated from Go pages =============================================================

PET = page(
    """
    # Pet

    A pet.


    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `ID` | `string` | :heavy_check_mark: | N/A |
    | `DisplayName` | `*string` | :heavy_minus_sign: | N/A |
    | `Age` | `*int64` | :heavy_check_mark: | null when unknown |
    | `Weight` | `float64` | :heavy_check_mark: | N/A |
    | `Tags` | []`string` | :heavy_minus_sign: | N/A |
    | `BornAt` | [time.Time](https://pkg.go.dev/time#Time) | :heavy_check_mark: | N/A |
    | `Kind` | [components.Kind](../../models/components/kind.md) | :heavy_check_mark: | N/A |
    | `Toy` | [*components.Toy](../../models/components/toy.md) | :heavy_minus_sign: | N/A |
    | `HTTPMeta` | [components.HTTPMetadata](../../models/components/httpmetadata.md) | :heavy_check_mark: | N/A |
    """
)
KIND = page(
    """
    # Kind

    ## Example Usage

    ```go
    import (
    	"github.com/example/sdk/models/components"
    )

    value := components.KindCat
    ```


    ## Values

    | Name      | Value |
    | --------- | ----- |
    | `KindCat` | cat   |
    | `KindDog` | dog   |
    """
)
TOY = page(
    """
    # Toy


    ## Supported Types

    ###

    ```go
    toy := components.CreateToyStr(string{/* values here */})
    ```

    ###

    ```go
    toy := components.CreateToyInteger(int64{/* values here */})
    ```
    """
)
GO_PAGES = {f"{MODELS}/pet.md": PET, f"{MODELS}/kind.md": KIND, f"{MODELS}/toy.md": TOY, f"{MODELS}/httpmetadata.md": HTTP_METADATA}


@pytest.fixture(scope="module")
def go_pkg(tmp_path_factory: pytest.TempPathFactory) -> Any:
    base = tmp_path_factory.mktemp("go_dialect")
    write_files(base, {"pyproject.toml": "[project]\nname = 'tmp'\n\n[tool.docmodels]\n", **GO_PAGES})
    result = run_cli(base, "generate", "docs", "-o", "out/go_dialect_pkg", "--wire-case", "snake")
    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert "Traceback" not in result.stderr
    sys.path.insert(0, str(base / "out"))
    try:
        yield importlib.import_module("go_dialect_pkg.models")
    finally:
        sys.path.remove(str(base / "out"))
        for name in [m for m in sys.modules if m.split(".")[0] == "go_dialect_pkg"]:
            del sys.modules[name]


def test_generated_package_round_trips_a_value(go_pkg):
    data = {
        "id": "p1",
        "display_name": "Rex",
        "age": None,
        "weight": 4.5,
        "tags": ["good"],
        "born_at": "2024-01-02T03:04:05Z",
        "kind": "dog",
        "toy": 3,
    }
    pet = go_pkg.Pet.from_dict(data)
    assert pet.id == "p1" and pet.age is None and pet.kind == go_pkg.Kind.DOG and pet.toy == 3
    assert not hasattr(pet, "http_meta")
    assert go_pkg.Pet.from_dict(pet.to_dict()) == pet
    assert pet.to_dict()["id"] == "p1"


def test_generated_package_keeps_the_page_nullability(go_pkg):
    """A required pointer accepts null, a required bare type does not."""
    base = {"id": "p1", "age": 1, "weight": 1.0, "born_at": "2024-01-02T03:04:05Z", "kind": "cat"}
    assert go_pkg.Pet.from_dict({**base, "age": None}).age is None
    with pytest.raises(Exception, match="weight"):
        go_pkg.Pet.from_dict({**base, "weight": None})
