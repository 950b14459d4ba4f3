"""Parser, names and resolution tests from small inline pages.

Each page is written out in the test that uses it, so a failing assertion points at the page line
it is about. Line numbers are computed from the page text (`line_of`), never hard-coded twice.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from docmodels import ir, names
from docmodels.config import load_overrides
from docmodels.errors import InputError, Problem
from docmodels.parse import decode, parse_page
from docmodels.resolve import Settings, load_schema
from pages import line_of, page

ROOT = Path(__file__).resolve().parent.parent
PAGE = "specs/models/components/a.md"


def parse_ok(text: str, path: str = PAGE) -> ir.Definition:
    definition, problems = parse_page(path, text)
    assert problems == []
    assert definition is not None
    return definition


def parse_model(text: str, path: str = PAGE) -> ir.Model:
    definition = parse_ok(text, path)
    assert isinstance(definition, ir.Model)
    return definition


def field(model: ir.Model, doc_name: str) -> ir.Field:
    matches = [f for f in model.fields if f.doc_name == doc_name]
    assert len(matches) == 1, [f.doc_name for f in model.fields]
    return matches[0]


def one_field_type(type_cell: str, path: str = PAGE) -> ir.TypeExpr:
    text = page(
        f"""
        # A

        ## Fields

        | Field | Type | Required | Description |
        | --- | --- | --- | --- |
        | `f` | {type_cell} | :heavy_check_mark: | N/A |
        """
    )
    (only,) = parse_model(text, path).fields
    return only.type


# -- page structure -------------------------------------------------------------------------------


def test_model_name_description_and_fields_in_doc_order():
    text = page(
        """
        # JobOut

        What a fine-tuning job looks like.

        ## Fields

        | Field | Type | Required | Description |
        | --- | --- | --- | --- |
        | `id` | *string* | :heavy_check_mark: | The job's ID. |
        | `autoStart` | *boolean* | :heavy_minus_sign: | N/A |
        | `createdAt` | *number* | :heavy_check_mark: | UNIX time. |
        """
    )
    model = parse_model(text)
    assert model.name == "JobOut"
    assert model.description == "What a fine-tuning job looks like."
    assert model.loc == ir.SourceLoc(PAGE, line_of(text, "# JobOut"))
    assert [f.doc_name for f in model.fields] == ["id", "autoStart", "createdAt"]
    # Names and nullability are left for resolve.
    for f in model.fields:
        assert f.wire_name == "" and f.python_name == ""
        assert f.nullable is None
    assert model.python_name == ""


def test_page_without_description_has_empty_description():
    model = parse_model(
        page(
            """
            # Bare


            ## Fields

            | Field | Type | Required | Description |
            | --- | --- | --- | --- |
            | `id` | *string* | :heavy_check_mark: | N/A |
            """
        )
    )
    assert model.name == "Bare"
    assert model.description == ""


def test_description_of_several_paragraphs_keeps_paragraph_breaks():
    model = parse_model(
        page(
            """
            # Multi

            First paragraph.

            Second<br/>paragraph.

            ## Fields

            | Field | Type | Required | Description |
            | --- | --- | --- | --- |
            | `id` | *string* | :heavy_check_mark: | N/A |
            """
        )
    )
    assert model.description == "First paragraph.\n\nSecond\nparagraph."


def test_four_column_table_fields():
    text = page(
        """
        # A

        ## Fields

        | Field | Type | Required | Description |
        | --- | --- | --- | --- |
        | `name` | *string* | :heavy_check_mark: | Name of the event. |
        | `data` | Record<string, *any*> | :heavy_minus_sign: | N/A |
        """
    )
    model = parse_model(text)
    name, data = model.fields
    assert name == ir.Field(
        doc_name="name",
        wire_name="",
        python_name="",
        type=ir.Primitive("string"),
        required=True,
        nullable=None,
        nullable_decided_by="setting",
        description="Name of the event.",
        examples=(),
        deprecated=False,
        loc=ir.SourceLoc(PAGE, line_of(text, "`name`")),
    )
    assert data.type == ir.Map(ir.Primitive("any"))
    assert data.required is False
    assert data.description == ""
    assert data.examples == ()


def test_five_column_table_with_examples_typed_by_field_type():
    text = page(
        """
        # CheckpointOut

        ## Fields

        | Field | Type | Required | Description | Example |
        | --- | --- | --- | --- | --- |
        | `stepNumber` | *number* | :heavy_check_mark: | Training step. | |
        | `createdAt` | *number* | :heavy_check_mark: | UNIX time. | 1716963433 |
        | `ratio` | *number* | :heavy_minus_sign: | N/A | 0.5 |
        | `label` | *string* | :heavy_minus_sign: | N/A | hello world |
        | `code` | *string* | :heavy_minus_sign: | N/A | 42 |
        | `flag` | *boolean* | :heavy_minus_sign: | N/A | true |
        | `when` | [Date](https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Date) | :heavy_minus_sign: | N/A | 2024-05-29T06:17:13Z |
        | `extra` | Record<string, *any*> | :heavy_minus_sign: | N/A | {"k": [1, 2]} |
        """
    )
    model = parse_model(text)
    assert field(model, "stepNumber").examples == ()
    created = field(model, "createdAt").examples
    assert created == (1716963433,)
    assert type(created[0]) is int
    assert field(model, "ratio").examples == (0.5,)
    assert field(model, "label").examples == ("hello world",)
    # A string field's example stays text even when it looks like a number.
    code = field(model, "code").examples
    assert code == ("42",) and type(code[0]) is str
    assert field(model, "flag").examples == (True,)
    assert field(model, "when").examples == ("2024-05-29T06:17:13Z",)
    assert field(model, "extra").examples == ({"k": [1, 2]},)


def test_example_that_does_not_fit_its_field_is_a_warning_and_left_out(tmp_path):
    text = """
        # A

        ## Fields

        | Field | Type | Required | Description | Example |
        | --- | --- | --- | --- | --- |
        | `count` | *number* | :heavy_check_mark: | N/A | many |
        | `size` | *number* | :heavy_check_mark: | N/A | 3 |
        """
    write_pages(tmp_path, {"specs/a.md": text})
    schema, warnings = load_schema([tmp_path / "specs"], (), Settings(), tmp_path)
    (model,) = schema.definitions
    assert [f.examples for f in model.fields] == [(), (3,)]
    assert len(warnings) == 1 and warnings[0].warning
    assert warnings[0].loc == ir.SourceLoc("specs/a.md", line_of(page(text), "`count`"))
    assert '"many" is not a number' in warnings[0].message


def test_required_marks():
    text = page(
        """
        # A

        ## Fields

        | Field | Type | Required | Description |
        | --- | --- | --- | --- |
        | `yes` | *string* | :heavy_check_mark: | N/A |
        | `no` | *string* | :heavy_minus_sign: | N/A |
        """
    )
    model = parse_model(text)
    assert field(model, "yes").required is True
    assert field(model, "no").required is False


def test_bad_required_mark_is_a_problem_at_its_row():
    text = page(
        """
        # A

        ## Fields

        | Field | Type | Required | Description |
        | --- | --- | --- | --- |
        | `ok` | *string* | :heavy_check_mark: | N/A |
        | `bad` | *string* | yes | N/A |
        """
    )
    definition, problems = parse_page(PAGE, text)
    assert [p.loc for p in problems] == [ir.SourceLoc(PAGE, line_of(text, "`bad`"))]
    assert ":heavy_check_mark:" in problems[0].message
    assert isinstance(definition, ir.Model)
    assert [f.doc_name for f in definition.fields] == ["ok"]


def test_field_locations_are_the_rows_lines():
    text = page(
        """
        # A

        Some description
        over two lines.

        ## Fields

        Fields of A:

        | Field | Type | Required | Description |
        | --- | --- | --- | --- |
        | `first` | *string* | :heavy_check_mark: | N/A |
        | `second` | *number* | :heavy_minus_sign: | N/A |
        | `third` | *boolean* | :heavy_minus_sign: | N/A |
        """
    )
    model = parse_model(text)
    for name in ("first", "second", "third"):
        assert field(model, name).loc == ir.SourceLoc(PAGE, line_of(text, f"`{name}`")), name
    assert model.loc.line == 1


def test_br_in_description_is_a_newline_and_na_is_empty():
    text = page(
        """
        # A

        ## Fields

        | Field | Type | Required | Description |
        | --- | --- | --- | --- |
        | `a` | *string* | :heavy_check_mark: | First line.<br/>Second line. |
        | `b` | *string* | :heavy_check_mark: | One<br>two<br />three |
        | `c` | *string* | :heavy_check_mark: | N/A |
        | `d` | *string* | :heavy_check_mark: | |
        """
    )
    model = parse_model(text)
    assert field(model, "a").description == "First line.\nSecond line."
    assert field(model, "b").description == "One\ntwo\nthree"
    assert field(model, "c").description == ""
    assert field(model, "d").description == ""


def test_deprecated_fields():
    text = page(
        """
        # A

        ## Fields

        | Field | Type | Required | Description |
        | --- | --- | --- | --- |
        | ~~`oldName`~~ | *string* | :heavy_minus_sign: | N/A |
        | ~~plainOld~~ | *string* | :heavy_minus_sign: | N/A |
        | `legacy` | *string* | :heavy_minus_sign: | :warning: **DEPRECATED**: use `name`. |
        | `name` | *string* | :heavy_check_mark: | N/A |
        """
    )
    model = parse_model(text)
    assert [f.doc_name for f in model.fields] == ["oldName", "plainOld", "legacy", "name"]
    assert field(model, "oldName").deprecated is True
    assert field(model, "plainOld").deprecated is True
    assert field(model, "legacy").deprecated is True
    assert field(model, "name").deprecated is False


# -- type cells -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("*string*", ir.Primitive("string")),
        ("*number*", ir.Primitive("number")),
        ("*boolean*", ir.Primitive("boolean")),
        ("*any*", ir.Primitive("any")),
        ("*string*[]", ir.Array(ir.Primitive("string"))),
        ("*number*[][]", ir.Array(ir.Array(ir.Primitive("number")))),
        ("Record<string, *any*>", ir.Map(ir.Primitive("any"))),
        ("Record<string, *string*[]>", ir.Map(ir.Array(ir.Primitive("string")))),
        ("Record<string, *number*>[]", ir.Array(ir.Map(ir.Primitive("number")))),
        (
            "[Date](https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Date)",
            ir.Primitive("date-time"),
        ),
        ('*"text"*', ir.LiteralValue("text")),
        ('*"fine-tune"*', ir.LiteralValue("fine-tune")),
        ("*true*", ir.LiteralValue(True)),
        ("*false*", ir.LiteralValue(False)),
    ],
)
def test_type_cell(cell, expected):
    assert one_field_type(cell) == expected


@pytest.mark.parametrize(
    ("path", "href", "expected_page"),
    [
        # The form the real pages use: up and back down into the same folder.
        ("specs/models/components/a.md", "../../models/components/x.md", "specs/models/components/x.md"),
        ("specs/models/components/a.md", "x.md", "specs/models/components/x.md"),
        ("specs/models/components/a.md", "./x.md", "specs/models/components/x.md"),
        ("specs/models/components/a.md", "../shared/x.md", "specs/models/shared/x.md"),
        ("specs/models/components/a.md", "x.md#fields", "specs/models/components/x.md"),
        ("docs/a.md", "sub/x.md", "docs/sub/x.md"),
    ],
)
def test_link_is_a_ref_to_the_page_relative_to_the_linking_page(path, href, expected_page):
    assert one_field_type(f"[components.X]({href})", path) == ir.Ref("X", expected_page)


def test_array_of_links():
    assert one_field_type("[components.WandbIntegrationOut](../../models/components/wandbintegrationout.md)[]") == ir.Array(
        ir.Ref("WandbIntegrationOut", "specs/models/components/wandbintegrationout.md")
    )
    assert one_field_type("[components.Node](node.md)[]") == ir.Array(ir.Ref("Node", "specs/models/components/node.md"))


def test_map_of_links():
    assert one_field_type("Record<string, [components.X](x.md)>") == ir.Map(ir.Ref("X", "specs/models/components/x.md"))


@pytest.mark.parametrize(
    ("cell", "expected_in_message"),
    [
        ("*strng*", "unknown type 'strng'"),
        ("[components.X](https://example.com)", "not at a model page"),
        ("[components.X](x.txt)", "not at a model page"),
        ("[components.X](/abs/x.md)", "absolute path"),
        ("Record<number, *any*>", "found 'number' where 'string' was expected"),
        ("Record<string, *any*", "ends too early"),
        ("*string* *number*", "unexpected"),
    ],
)
def test_bad_type_cell_is_a_problem_at_its_row(cell, expected_in_message):
    text = page(
        f"""
        # A

        ## Fields

        | Field | Type | Required | Description |
        | --- | --- | --- | --- |
        | `ok` | *string* | :heavy_check_mark: | N/A |
        | `bad` | {cell} | :heavy_check_mark: | N/A |
        """
    )
    definition, problems = parse_page(PAGE, text)
    assert len(problems) == 1, problems
    assert problems[0].loc == ir.SourceLoc(PAGE, line_of(text, "`bad`"))
    assert expected_in_message in problems[0].message
    assert "in column Type" in problems[0].message
    assert isinstance(definition, ir.Model)
    assert [f.doc_name for f in definition.fields] == ["ok"]


# -- enums ----------------------------------------------------------------------------------------


def test_enum_values_table():
    text = page(
        """
        # FineTuneableModel

        Base model that a fine-tuning job starts from.

        ## Values

        | Name | Value |
        | --- | --- |
        | `OpenMistral7b` | open-mistral-7b |
        | `MistralSmallLatest` | mistral-small-latest |
        """
    )
    enum = parse_ok(text)
    assert isinstance(enum, ir.Enum)
    assert enum.name == "FineTuneableModel"
    assert enum.description == "Base model that a fine-tuning job starts from."
    assert enum.open is False
    assert enum.values == (
        ir.EnumValue("OpenMistral7b", "", "open-mistral-7b", ir.SourceLoc(PAGE, line_of(text, "`OpenMistral7b`"))),
        ir.EnumValue("MistralSmallLatest", "", "mistral-small-latest", ir.SourceLoc(PAGE, line_of(text, "`MistralSmallLatest`"))),
    )


def test_enum_value_without_name_is_named_by_its_value():
    enum = parse_ok(
        page(
            """
            # Status

            ## Values

            | Name | Value |
            | --- | --- |
            | | QUEUED |
            """
        )
    )
    assert isinstance(enum, ir.Enum)
    assert [(v.name, v.value) for v in enum.values] == [("QUEUED", "QUEUED")]


def test_duplicate_enum_value_is_a_problem():
    text = page(
        """
        # Status

        ## Values

        | Name | Value |
        | --- | --- |
        | `A` | a |
        | `AAgain` | a |
        """
    )
    _, problems = parse_page(PAGE, text)
    assert [p.loc.line for p in problems] == [line_of(text, "`AAgain`")]
    assert f"line {line_of(text, '`A` |')}" in problems[0].message


# -- structural problems found by the parser ------------------------------------------------------


def test_no_heading():
    definition, problems = parse_page(PAGE, "Just text.\n\n## Fields\n")
    assert definition is None
    assert problems == [Problem(ir.SourceLoc(PAGE, 1), problems[0].message)]
    assert "# Name" in problems[0].message


def test_neither_fields_nor_values():
    definition, problems = parse_page(PAGE, "\n# A\n\nText.\n\n## Other\n\nMore.\n")
    assert definition is None
    assert [p.loc for p in problems] == [ir.SourceLoc(PAGE, 2)]
    assert "Fields" in problems[0].message and "Values" in problems[0].message


@pytest.mark.parametrize(
    "row",
    [
        "| `a` | *string* | :heavy_check_mark: | N/A | extra |",
        "| `a` | *string* | :heavy_check_mark: |",
    ],
)
def test_row_with_wrong_cell_count(row):
    text = page(
        """
        # A

        ## Fields

        | Field | Type | Required | Description |
        | --- | --- | --- | --- |
        | `ok` | *string* | :heavy_check_mark: | N/A |
        """
    ) + row + "\n"
    definition, problems = parse_page(PAGE, text)
    assert [p.loc for p in problems] == [ir.SourceLoc(PAGE, line_of(text, "`a`"))]
    count = row.strip().strip("|").count("|") + 1
    assert f"row has {count} cells; expected 4" in problems[0].message
    assert isinstance(definition, ir.Model)
    assert [f.doc_name for f in definition.fields] == ["ok"]


def test_wrong_header_row():
    text = page(
        """
        # A

        ## Fields

        | Name | Type | Required | Description |
        | --- | --- | --- | --- |
        | `a` | *string* | :heavy_check_mark: | N/A |
        """
    )
    _, problems = parse_page(PAGE, text)
    assert [p.loc for p in problems] == [ir.SourceLoc(PAGE, line_of(text, "| Name |"))]
    assert "expected | Field | Type | Required | Description" in problems[0].message


def test_duplicate_field_is_a_problem():
    text = page(
        """
        # A

        ## Fields

        | Field | Type | Required | Description |
        | --- | --- | --- | --- |
        | `a` | *string* | :heavy_check_mark: | first |
        | `a` | *number* | :heavy_check_mark: | second |
        """
    )
    _, problems = parse_page(PAGE, text)
    assert [p.loc.line for p in problems] == [line_of(text, "second")]
    assert f"line {line_of(text, 'first')}" in problems[0].message


def test_decode_strips_bom_and_crlf():
    plain = "# A\n\n## Fields\n"
    assert decode(plain.encode(), PAGE) == (plain, [])
    assert decode(b"\xef\xbb\xbf" + plain.encode(), PAGE) == (plain, [])
    assert decode(plain.replace("\n", "\r\n").encode(), PAGE) == (plain, [])


def test_decode_reports_the_line_of_a_non_utf8_byte():
    text, problems = decode(b"# A\n\nCaf\xe9\n", PAGE)
    assert text is None
    assert [p.loc for p in problems] == [ir.SourceLoc(PAGE, 3)]
    assert "UTF-8" in problems[0].message


# -- names ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("doc_name", "case", "expected"),
    [
        ("autoStart", "snake", "auto_start"),
        ("autoStart", "camel", "autoStart"),
        ("autoStart", "as-is", "autoStart"),
        ("fineTunedModel", "snake", "fine_tuned_model"),
        ("validMeanTokenAccuracy", "snake", "valid_mean_token_accuracy"),
        ("job_type", "camel", "jobType"),
        ("job_type", "snake", "job_type"),
        ("job_type", "as-is", "job_type"),
        ("HTTPError", "snake", "http_error"),
        ("id", "camel", "id"),
    ],
)
def test_wire_name(doc_name, case, expected):
    assert names.wire_name(doc_name, case) == expected


@pytest.mark.parametrize(
    ("doc_name", "expected"),
    [
        ("autoStart", "auto_start"),
        ("id", "id"),
        ("from", "from_"),
        ("class", "class_"),
        ("import", "import_"),
        ("to_dict", "to_dict_"),
        ("$ref", "ref"),
        ("2fa", "f_2fa"),
        ("content-type", "content_type"),
        ("", "field"),
    ],
)
def test_python_identifier(doc_name, expected):
    result = names.python_identifier(doc_name)
    assert result == expected
    assert result.isidentifier()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("open-mistral-7b", "OPEN_MISTRAL_7B"),
        ("mistral-small-latest", "MISTRAL_SMALL_LATEST"),
        ("FAILED_VALIDATION", "FAILED_VALIDATION"),
        ("QUEUED", "QUEUED"),
        ("fine-tune", "FINE_TUNE"),
        ("7b", "V_7B"),
        (1, "V_1"),
        ("", "VALUE"),
    ],
)
def test_enum_member_name(value, expected):
    assert names.enum_member_name(value) == expected


def test_class_name():
    assert names.class_name("DetailedJobOut") == "DetailedJobOut"
    assert names.class_name("job out") == "JobOut"
    assert names.class_name("2fa") == "M2fa"
    assert names.class_name("Any") == "Any_"


def test_unique_numbers_later_duplicates():
    assert names.unique(["a", "b", "c"]) == ["a", "b", "c"]
    assert names.unique(["a", "a", "a"]) == ["a", "a_2", "a_3"]
    assert names.unique(["a", "a", "a_2"]) == ["a", "a_3", "a_2"]


# -- resolution: names, nullability, overrides ----------------------------------------------------


def write_pages(base: Path, pages: dict[str, str]) -> list[Path]:
    paths = []
    for rel, text in pages.items():
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page(text), encoding="utf-8")
        paths.append(path)
    return paths


def load(base: Path, pages: dict[str, str], settings: Settings = Settings(), roots: tuple[str, ...] = ()) -> dict[str, ir.Definition]:
    write_pages(base, pages)
    schema, _ = load_schema([base / "specs"], roots, settings, base)
    return {d.name: d for d in schema.definitions}


NAMES_PAGE = """
    # Names

    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `autoStart` | *boolean* | :heavy_check_mark: | N/A |
    | `from` | *string* | :heavy_check_mark: | N/A |
    | `$ref` | *string* | :heavy_minus_sign: | N/A |
    | `2fa` | *boolean* | :heavy_minus_sign: | N/A |
    | `job_type` | *string* | :heavy_minus_sign: | N/A |
    """


@pytest.mark.parametrize(
    ("case", "wire"),
    [
        ("snake", ["auto_start", "from", "ref", "2fa", "job_type"]),
        ("camel", ["autoStart", "from", "ref", "2fa", "jobType"]),
        ("as-is", ["autoStart", "from", "$ref", "2fa", "job_type"]),
    ],
)
def test_resolved_wire_and_python_names(tmp_path, case, wire):
    model = load(tmp_path, {"specs/names.md": NAMES_PAGE}, Settings(wire_case=case))["Names"]
    assert isinstance(model, ir.Model)
    assert model.python_name == "Names"
    assert [f.wire_name for f in model.fields] == wire
    assert [f.python_name for f in model.fields] == ["auto_start", "from_", "ref", "f_2fa", "job_type"]


def test_python_name_collisions_are_made_unique(tmp_path):
    model = load(
        tmp_path,
        {
            "specs/c.md": """
            # C

            ## Fields

            | Field | Type | Required | Description |
            | --- | --- | --- | --- |
            | `fooBar` | *string* | :heavy_check_mark: | N/A |
            | `foo_bar` | *string* | :heavy_check_mark: | N/A |
            | `FooBar` | *string* | :heavy_check_mark: | N/A |
            """
        },
        Settings(wire_case="as-is"),
    )["C"]
    assert isinstance(model, ir.Model)
    assert [f.wire_name for f in model.fields] == ["fooBar", "foo_bar", "FooBar"]
    assert [f.python_name for f in model.fields] == ["foo_bar", "foo_bar_2", "foo_bar_3"]


def test_wire_name_collision_is_a_problem(tmp_path):
    pages = {
        "specs/c.md": """
        # C

        ## Fields

        | Field | Type | Required | Description |
        | --- | --- | --- | --- |
        | `fooBar` | *string* | :heavy_check_mark: | N/A |
        | `foo_bar` | *string* | :heavy_check_mark: | N/A |
        """
    }
    with pytest.raises(InputError) as excinfo:
        load(tmp_path, pages, Settings(wire_case="snake"))
    (problem,) = excinfo.value.problems
    assert problem.loc == ir.SourceLoc("specs/c.md", line_of(page(pages["specs/c.md"]), "`foo_bar`"))
    assert "foo_bar" in problem.message


def test_enum_member_names_resolved_and_unique(tmp_path):
    enum = load(
        tmp_path,
        {
            "specs/e.md": """
            # E

            ## Values

            | Name | Value |
            | --- | --- |
            | `OpenMistral7b` | open-mistral-7b |
            | `Dash` | a-b |
            | `Under` | a_b |
            """
        },
    )["E"]
    assert isinstance(enum, ir.Enum)
    assert [v.python_name for v in enum.values] == ["OPEN_MISTRAL_7B", "A_B", "A_B_2"]
    assert [v.value for v in enum.values] == ["open-mistral-7b", "a-b", "a_b"]


NULLABLE_PAGE = """
    # N

    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `req` | *string* | :heavy_check_mark: | N/A |
    | `opt` | *string* | :heavy_minus_sign: | N/A |
    """


def test_nullable_optional_makes_optional_fields_nullable(tmp_path):
    model = load(tmp_path, {"specs/n.md": NULLABLE_PAGE}, Settings(nullable="optional"))["N"]
    assert isinstance(model, ir.Model)
    req, opt = model.fields
    assert opt.nullable is True
    assert opt.nullable_decided_by == "setting"
    assert req.nullable is False
    assert req.nullable_decided_by == "setting"


def test_nullable_none_leaves_optional_fields_not_nullable(tmp_path):
    model = load(tmp_path, {"specs/n.md": NULLABLE_PAGE}, Settings(nullable="none"))["N"]
    assert isinstance(model, ir.Model)
    req, opt = model.fields
    assert opt.nullable is False
    assert opt.nullable_decided_by == "setting"
    assert req.nullable is False


def test_refs_resolve_to_the_linked_pages_names(tmp_path):
    defs = load(
        tmp_path,
        {
            "specs/models/components/a.md": """
            # A

            ## Fields

            | Field | Type | Required | Description |
            | --- | --- | --- | --- |
            | `b` | [components.B](../../models/components/b.md) | :heavy_check_mark: | N/A |
            | `bs` | [components.B](b.md)[] | :heavy_minus_sign: | N/A |
            """,
            "specs/models/components/b.md": """
            # B

            ## Fields

            | Field | Type | Required | Description |
            | --- | --- | --- | --- |
            | `x` | *string* | :heavy_check_mark: | N/A |
            """,
            "specs/models/components/unlinked.md": """
            # Unlinked

            ## Fields

            | Field | Type | Required | Description |
            | --- | --- | --- | --- |
            | `x` | *string* | :heavy_check_mark: | N/A |
            """,
        },
        roots=("A",),
    )
    assert sorted(defs) == ["A", "B"]
    a = defs["A"]
    assert isinstance(a, ir.Model)
    ref = ir.Ref("B", "specs/models/components/b.md")
    assert [f.type for f in a.fields] == [ref, ir.Array(ref)]


OVERRIDES_PAGE = """
    # JobOut

    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `autoStart` | *boolean* | :heavy_check_mark: | N/A |
    | `jobType` | *string* | :heavy_check_mark: | N/A |
    """


def test_overrides_change_wire_and_python_names_of_one_field(tmp_path):
    overrides_file = tmp_path / "overrides.yaml"
    overrides_file.write_text(
        page(
            """
            JobOut:
              jobType:
                wire_name: type
                python_name: kind
            """
        ),
        encoding="utf-8",
    )
    problems: list[Problem] = []
    overrides = load_overrides(overrides_file, tmp_path, problems)
    assert problems == []
    model = load(tmp_path, {"specs/job.md": OVERRIDES_PAGE}, Settings(wire_case="snake", overrides=overrides))["JobOut"]
    assert isinstance(model, ir.Model)
    auto_start, job_type = model.fields
    assert (job_type.wire_name, job_type.python_name) == ("type", "kind")
    assert (auto_start.wire_name, auto_start.python_name) == ("auto_start", "auto_start")


def test_override_of_only_the_wire_name_keeps_the_derived_python_name(tmp_path):
    overrides_file = tmp_path / "overrides.yaml"
    overrides_file.write_text("JobOut:\n  autoStart:\n    wire_name: autostart\n", encoding="utf-8")
    problems: list[Problem] = []
    overrides = load_overrides(overrides_file, tmp_path, problems)
    assert problems == []
    model = load(tmp_path, {"specs/job.md": OVERRIDES_PAGE}, Settings(wire_case="snake", overrides=overrides))["JobOut"]
    assert isinstance(model, ir.Model)
    assert [(f.wire_name, f.python_name) for f in model.fields] == [("autostart", "auto_start"), ("job_type", "job_type")]


# -- the real pages -------------------------------------------------------------------------------

COMPONENTS = "specs/models/components"


@pytest.fixture(scope="module")
def real_schema() -> ir.Schema:
    schema, warnings = load_schema([ROOT / "specs"], ["DetailedJobOut"], Settings(wire_case="snake", nullable="optional"), ROOT)
    assert warnings == []
    return schema


def test_real_pages_closure(real_schema):
    assert [d.name for d in real_schema.definitions] == [
        "CheckpointOut",
        "DetailedJobOut",
        "DetailedJobOutStatus",
        "EventOut",
        "FineTuneableModel",
        "GithubRepositoryOut",
        "JobMetadataOut",
        "MetricOut",
        "TrainingParameters",
        "WandbIntegrationOut",
    ]
    assert len(real_schema.sources) == 10
    assert all(s.startswith(COMPONENTS + "/") for s in real_schema.sources)


def test_real_detailed_job_out(real_schema):
    defs = {d.name: d for d in real_schema.definitions}
    job = defs["DetailedJobOut"]
    assert isinstance(job, ir.Model)
    assert job.loc == ir.SourceLoc(f"{COMPONENTS}/detailedjobout.md", 1)
    assert [f.doc_name for f in job.fields] == [
        "id",
        "autoStart",
        "hyperparameters",
        "model",
        "status",
        "jobType",
        "createdAt",
        "modifiedAt",
        "trainingFiles",
        "validationFiles",
        "object",
        "fineTunedModel",
        "suffix",
        "integrations",
        "trainedTokens",
        "repositories",
        "metadata",
        "events",
        "checkpoints",
    ]
    by_name = {f.doc_name: f for f in job.fields}
    auto_start = by_name["autoStart"]
    assert (auto_start.wire_name, auto_start.python_name) == ("auto_start", "auto_start")
    assert auto_start.type == ir.Primitive("boolean") and auto_start.required
    assert by_name["hyperparameters"].type == ir.Ref("TrainingParameters", f"{COMPONENTS}/trainingparameters.md")
    assert by_name["model"].type == ir.Ref("FineTuneableModel", f"{COMPONENTS}/finetuneablemodel.md")
    assert by_name["trainingFiles"].type == ir.Array(ir.Primitive("string"))
    assert by_name["integrations"].type == ir.Array(ir.Ref("WandbIntegrationOut", f"{COMPONENTS}/wandbintegrationout.md"))
    assert by_name["model"].description == "The name of the model to fine-tune."
    assert by_name["id"].description == ""
    assert [f.doc_name for f in job.fields if f.required] == [
        "id", "autoStart", "hyperparameters", "model", "status", "jobType", "createdAt", "modifiedAt", "trainingFiles",
    ]
    assert all(f.nullable == (not f.required) for f in job.fields)
    lines = (ROOT / COMPONENTS / "detailedjobout.md").read_text(encoding="utf-8").split("\n")
    for f in job.fields:
        assert f"| `{f.doc_name}` " in lines[f.loc.line - 1], f.doc_name


def test_real_enums_and_examples(real_schema):
    defs = {d.name: d for d in real_schema.definitions}
    model = defs["FineTuneableModel"]
    assert isinstance(model, ir.Enum)
    assert model.description == "Base model that a fine-tuning job starts from."
    assert model.values[0].value == "open-mistral-7b"
    assert model.values[0].python_name == "OPEN_MISTRAL_7B"
    assert "open-mistral-7b" in [v.value for v in model.values]
    status = defs["DetailedJobOutStatus"]
    assert isinstance(status, ir.Enum)
    assert len(status.values) == 10
    checkpoint = defs["CheckpointOut"]
    assert isinstance(checkpoint, ir.Model)
    created_at = next(f for f in checkpoint.fields if f.doc_name == "createdAt")
    assert created_at.examples == (1716963433,)
    assert type(created_at.examples[0]) is int
    assert next(f for f in checkpoint.fields if f.doc_name == "metrics").type == ir.Ref("MetricOut", f"{COMPONENTS}/metricout.md")
    event = defs["EventOut"]
    assert isinstance(event, ir.Model)
    assert next(f for f in event.fields if f.doc_name == "data").type == ir.Map(ir.Primitive("any"))
