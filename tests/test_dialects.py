"""What docmodels makes of the constructs that differ between the SDK dialects, and of the docs'
rough edges, from small inline pages.

Each rule is checked on the IR (`parse_page` or `load_schema`, in-process) and, where users see it
in generated code, on what `python -m docmodels generate` writes (a subprocess in a temporary
project, then imported). The generated packages are built once per module:

    ts_pkg   TypeScript pages: SDK-only rows, date pages, additionalProperties, enums, struck
             headings, unreadable examples
    py_pkg   Python pages: SDK-only rows and HTTPMetadata, date pages, file content, additional
             properties, enum constants

Rules:
     1. SDK-only rows (HTTP library responses and requests) are left out and recorded
     2. links to the SDKs' date types pages are dates
     3. Python file content unions are binary
     4. Python enum constants are examples
     5. the dialect of a page: its cells, else its folder's majority, else the setting
     6. an unreadable Example Usage is a warning
     7. additionalProperties rows type the extra keys
     8. `<nil>` and integer `Name | Value` tables
     9. struck-through headings are deprecated definitions
    10. a broken link with one obvious target
    11. every link to an unreadable page is its own error
"""

from __future__ import annotations

import dataclasses
import datetime
import importlib
import json
import re
import sys
import typing
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jsonschema
import pytest

import docmodels.config
import docmodels.parse.dialects
from docmodels import ir
from docmodels.config import Settings
from docmodels.errors import InputError, Problem
from docmodels.parse import parse_page
from docmodels.resolve import load_schema
from pages import line_of, model_page, page, row, run_cli, write_files

PYPROJECT = "[project]\nname = 'tmp'\n\n[tool.docmodels]\n"
PACKAGES = ("dialects_ts_pkg", "dialects_py_pkg")
STRING = ir.Primitive("string")
INTEGER = ir.Primitive("integer")
DATE = ir.Primitive("date")
BINARY = ir.Primitive("binary")
TS = "ts/models/components"
PY = "py/models"


def definitions(base: Path, *folders: str, settings: Settings | None = None) -> tuple[dict[str, ir.Definition], ir.Schema, list[Problem]]:
    """The resolved IR of the pages under `folders` (by definition name), the schema, the warnings."""
    schema, warnings = load_schema([base / f for f in folders], (), settings or Settings(), base)
    return {d.name: d for d in schema.definitions}, schema, warnings


def model_of(defs: dict[str, ir.Definition], name: str) -> ir.Model:
    model = defs[name]
    assert isinstance(model, ir.Model), model
    return model


def enum_of(defs: dict[str, ir.Definition], name: str) -> ir.Enum:
    enum = defs[name]
    assert isinstance(enum, ir.Enum), enum
    return enum


def field_of(model: ir.Model, doc_name: str) -> ir.Field:
    matches = [f for f in model.fields if f.doc_name == doc_name]
    assert len(matches) == 1, [f.doc_name for f in model.fields]
    return matches[0]


def validates(schema: dict[str, Any], value: Any) -> bool:
    try:
        jsonschema.validate(value, schema, cls=jsonschema.Draft202012Validator)
    except jsonschema.ValidationError:
        return False
    return True


def errors_of(excinfo: pytest.ExceptionInfo[InputError]) -> list[Problem]:
    return [p for p in excinfo.value.problems if not p.warning]


def schema_json(base: Path, *args: str) -> dict[str, Any]:
    """`docmodels schema ARGS --format json`, which must succeed, as data."""
    result = run_cli(base, "schema", *args, "--format", "json")
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


# == 1. SDK-only rows ==============================================================================

PY_RESULT = page(
    """
    # Result


    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `id` | *str* | :heavy_check_mark: | N/A |
    | `raw_response` | [httpx.Response](https://www.python-httpx.org/api/#response) | :heavy_check_mark: | Raw HTTP response; suitable for custom response parsing |
    | `legacy_response` | [requests.Response](https://requests.readthedocs.io/en/latest/api/#requests.Response) | :heavy_check_mark: | N/A |
    | `maybe_response` | *Optional[httpx.Response]* | :heavy_minus_sign: | N/A |
    | `raw_request` | [httpx.Request](https://www.python-httpx.org/api/#request) | :heavy_check_mark: | N/A |
    | `http_meta` | [models.HTTPMetadata](../models/httpmetadata.md) | :heavy_check_mark: | N/A |
    """
)

PY_HTTP_METADATA = page(
    """
    # HTTPMetadata


    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `response` | [httpx.Response](https://www.python-httpx.org/api/#response) | :heavy_check_mark: | Raw HTTP response; suitable for custom response parsing |
    | `request` | [httpx.Request](https://www.python-httpx.org/api/#request) | :heavy_check_mark: | Raw HTTP request; suitable for debugging |
    """
)

TS_RESULT = page(
    """
    # Result

    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `id` | *string* | :heavy_check_mark: | N/A |
    | `rawResponse` | [Response](https://developer.mozilla.org/en-US/docs/Web/API/Response) | :heavy_check_mark: | Raw HTTP response; suitable for custom response parsing |
    | `rawRequest` | *Request* | :heavy_minus_sign: | N/A |
    """
)

TS_RAW_RESPONSE = model_page("RawResponse", row("method"), row("url"))
TS_RESPONSE = model_page("Response", row("status", "*number*"))
TS_REPLY = model_page("Reply", row("response", "[components.Response](../../models/components/response.md)"))

PY_SDK_ROWS = {  # Python row name -> the SDK type its reason names
    "raw_response": "httpx.Response",
    "legacy_response": "requests.Response",
    "maybe_response": "httpx.Response",
    "raw_request": "httpx.Request",
}


def test_python_sdk_only_rows_are_left_out_and_recorded():
    """A Python result page's raw_response (httpx, requests) rows are no fields, and no error."""
    model, problems = parse_page(f"{PY}/result.md", PY_RESULT)
    assert [p for p in problems if not p.warning] == []
    assert isinstance(model, ir.Model)
    assert [f.doc_name for f in model.fields] == ["id", "http_meta"]  # http_meta is left out once resolved
    recorded = {x.name: x for x in model.left_out}
    assert sorted(recorded) == sorted(PY_SDK_ROWS)
    for name, sdk_type in PY_SDK_ROWS.items():
        assert sdk_type in recorded[name].reason, recorded[name]
        assert recorded[name].loc == ir.SourceLoc(f"{PY}/result.md", line_of(PY_RESULT, f"`{name}`"))


def test_typescript_sdk_only_rows_are_left_out_and_recorded():
    """A TypeScript result page's fetch Response and Request rows are no fields, and no error."""
    model, problems = parse_page(f"{TS}/result.md", TS_RESULT)
    assert problems == []
    assert isinstance(model, ir.Model)
    assert [f.doc_name for f in model.fields] == ["id"]
    assert [(x.name, x.loc.line) for x in model.left_out] == [
        ("rawResponse", line_of(TS_RESULT, "`rawResponse`")),
        ("rawRequest", line_of(TS_RESULT, "`rawRequest`")),
    ]
    assert "Response" in model.left_out[0].reason and "Request" in model.left_out[1].reason


def test_model_of_only_sdk_rows_is_left_out_and_so_are_links_to_it(workspace):
    """HTTPMetadata (only response/request rows) is not generated; a field linking to it is left out."""
    defs, schema, _ = definitions(workspace, "py")
    assert "HTTPMetadata" not in defs
    assert [(x.name, x.loc) for x in schema.left_out] == [("HTTPMetadata", ir.SourceLoc(f"{PY}/httpmetadata.md", 1))]
    assert f"{PY}/httpmetadata.md" not in schema.sources
    result = model_of(defs, "Result")
    assert [f.doc_name for f in result.fields] == ["id"]
    http_meta = [x for x in result.left_out if x.name == "http_meta"]
    assert len(http_meta) == 1 and "HTTPMetadata" in http_meta[0].reason
    assert http_meta[0].loc.line == line_of(PY_RESULT, "`http_meta`")
    assert sorted(x.name for x in result.left_out) == sorted([*PY_SDK_ROWS, "http_meta"])


def test_schema_command_shows_both_kinds_of_left_out(workspace):
    """`docmodels schema --format json` says what was left out: rows per model, and whole pages."""
    data = schema_json(workspace, "py")
    assert [(x["name"], x["loc"]) for x in data["left_out"]] == [("HTTPMetadata", f"{PY}/httpmetadata.md:1")]
    result = next(d for d in data["definitions"] if d["name"] == "Result")
    rows = {x["name"]: x for x in result["left_out"]}
    assert sorted(rows) == sorted([*PY_SDK_ROWS, "http_meta"])
    assert rows["http_meta"]["loc"] == f"{PY}/result.md:{line_of(PY_RESULT, '`http_meta`')}"
    assert "HTTPMetadata" in rows["http_meta"]["reason"]
    assert "httpx.Response" in rows["raw_response"]["reason"]


@pytest.mark.parametrize(("pkg_name", "sdk_rows"), [("ts_pkg", ["rawResponse", "rawRequest"]), ("py_pkg", [*PY_SDK_ROWS, "http_meta"])])
def test_generated_code_has_no_sdk_only_attribute_or_property(request, pkg_name, sdk_rows):
    """The generated Result is the wire data only: `id`, in the dataclass and the JSON Schema."""
    pkg = request.getfixturevalue(pkg_name)
    # Every dataclass keeps the keys its page does not name in `additional_properties`, as read.
    assert [f.name for f in dataclasses.fields(pkg.models.Result)] == ["id", "additional_properties"]
    schema = pkg.schema("Result")
    assert list(schema["properties"]) == ["id"]
    for name in sdk_rows:
        assert name not in pkg.source and name not in json.dumps(schema)
    assert pkg.models.Result.from_dict({"id": "r1"}).to_dict() == {"id": "r1"}
    assert not hasattr(pkg.models, "HTTPMetadata") and not (pkg.out / "jsonschema" / "HTTPMetadata.json").exists()


def test_sdk_only_is_told_by_type_not_by_name(workspace, ts_pkg):
    """A model named RawResponse with wire fields, and a link to a real Response page, are kept."""
    defs, schema, _ = definitions(workspace, "ts")
    raw = model_of(defs, "RawResponse")
    assert [(f.doc_name, f.type) for f in raw.fields] == [("method", STRING), ("url", STRING)]
    assert raw.left_out == ()
    reply = model_of(defs, "Reply")
    assert [f.type for f in reply.fields] == [ir.Ref("Response", f"{TS}/response.md")]
    assert reply.left_out == () and "Response" in defs and schema.left_out == ()
    read = ts_pkg.models.Reply.from_dict({"response": {"status": 200}})
    assert type(read.response) is ts_pkg.models.Response and read.response.status == 200
    assert ts_pkg.models.RawResponse.from_dict({"method": "GET", "url": "/"}).url == "/"


# == 2. date-only types pages ======================================================================

TS_EVENT = model_page("Event", row("day", "[Date](../../types/rfcdate.md)"), row("named", "[RFCDate](../../types/rfcdate.md)", ":heavy_minus_sign:"))
PY_WHEN = page(
    """
    # When


    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `day` | [RFCDate](../../types/rfcdate.md) | :heavy_check_mark: | N/A |
    """
)


def test_links_to_the_date_types_page_are_dates(workspace):
    """`[RFCDate](../../types/rfcdate.md)` and TypeScript `[Date](...rfcdate.md)` are dates; the page
    is neither read nor needed: `ts/types/rfcdate.md` is missing, `types/rfcdate.md` (from `py/models`)
    is missing and outside the spec folder `py`."""
    assert not (workspace / "ts" / "types").exists() and not (workspace / "types").exists()
    defs, _, warnings = definitions(workspace, "ts")
    event = model_of(defs, "Event")
    assert [f.type for f in event.fields] == [DATE, DATE]
    assert not [w for w in warnings if "rfcdate" in w.message]
    defs, _, warnings = definitions(workspace, "py")
    assert field_of(model_of(defs, "When"), "day").type == DATE
    assert not [w for w in warnings if "rfcdate" in w.message]


@pytest.mark.parametrize(("pkg_name", "model"), [("ts_pkg", "Event"), ("py_pkg", "When")])
def test_date_fields_generate_as_dates(request, pkg_name, model):
    """A date field is a `datetime.date` in the dataclass and a `format: date` string in the schema."""
    pkg = request.getfixturevalue(pkg_name)
    cls = getattr(pkg.models, model)
    assert typing.get_type_hints(cls)["day"] is datetime.date
    assert pkg.schema(model)["properties"]["day"] == {"type": "string", "format": "date"}
    read = cls.from_dict({"day": "2024-02-29"})
    assert read.day == datetime.date(2024, 2, 29)
    assert read.to_dict() == {"day": "2024-02-29"}


@pytest.mark.parametrize("spec", ["docs", "docs/models"], ids=["missing", "outside"])
def test_link_to_the_types_page_under_another_name_is_a_model_link(tmp_path, spec):
    """`[Thing](../../types/rfcdate.md)` is not a date type: the link needs a page, and there is none."""
    text = model_page("Holder", row("thing", "[Thing](../../types/rfcdate.md)"), row("day", "[RFCDate](../../types/rfcdate.md)"))
    write_files(tmp_path, {"pyproject.toml": PYPROJECT, "docs/models/components/holder.md": text})
    with pytest.raises(InputError) as excinfo:
        load_schema([tmp_path / spec], (), Settings(), tmp_path)
    errors = errors_of(excinfo)
    assert [p.loc for p in errors] == [ir.SourceLoc("docs/models/components/holder.md", line_of(text, "`thing`"))]
    assert "docs/types/rfcdate.md" in errors[0].message


# == 3. file content ===============================================================================

PY_UPLOAD = page(
    """
    # Upload


    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `content` | *Union[bytes, IO[bytes], io.IOBase]* | :heavy_check_mark: | N/A |
    | `stream` | *Union[bytes, IO[bytes], io.BufferedReader]* | :heavy_check_mark: | N/A |
    """
)


def test_python_file_content_unions_are_binary():
    """`Union[bytes, IO[bytes], io.IOBase]` and `...io.BufferedReader]` are one binary type."""
    model, problems = parse_page(f"{PY}/upload.md", PY_UPLOAD)
    assert problems == []
    assert isinstance(model, ir.Model)
    assert [(f.doc_name, f.type, f.nullable) for f in model.fields] == [("content", BINARY, False), ("stream", BINARY, False)]


# == 4. Python enum constants as examples ==========================================================


def action_page(example: str) -> str:
    return page(
        f"""
        # Action

        ## Example Usage

        ```python
        from x.models import Action

        value = {example}
        ```


        ## Values

        | Name     | Value    |
        | -------- | -------- |
        | `CREATE` | create   |
        | `DELETE` | delete   |
        """
    )


@pytest.mark.parametrize("example", ["Action.CREATE", "models.Action.CREATE"])
def test_python_enum_constant_is_the_example(example):
    """`value = Action.CREATE` on a Python enum page is the example "create", with no problem."""
    enum, problems = parse_page(f"{PY}/action.md", action_page(example))
    assert problems == []
    assert isinstance(enum, ir.Enum)
    assert [(v.name, v.value) for v in enum.values] == [("CREATE", "create"), ("DELETE", "delete")]
    assert enum.examples == ("create",)


def test_unknown_enum_constant_is_a_warning():
    """`value = Action.NOPE` names no member: a warning at its line, and the enum has no example."""
    text = action_page("Action.NOPE")
    enum, problems = parse_page(f"{PY}/action.md", text)
    assert isinstance(enum, ir.Enum)
    assert enum.examples == ()
    assert [(p.loc, p.warning) for p in problems] == [(ir.SourceLoc(f"{PY}/action.md", line_of(text, "Action.NOPE")), True)]
    assert "Example Usage" in problems[0].message


# == 5. the dialect of a page ======================================================================

PY_LOWERCASE = page(
    """
    # Bag

    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `tags` | list[[components.Tag](tag.md)] | :heavy_check_mark: | N/A |
    | `counts` | dict[str, [components.Tag](tag.md)] | :heavy_check_mark: | N/A |
    """
)


def test_lowercase_list_and_dict_cells_are_python():
    """`list[...]` and `dict[str, ...]` (as newer Python SDKs write them) tell a Python page, even
    where nothing else in it does (links to `components.X` are in both dialects)."""
    assert docmodels.parse.dialects.sniff(PY_LOWERCASE) == "python"
    model, problems = parse_page("py/bag.md", PY_LOWERCASE)
    assert problems == []
    assert isinstance(model, ir.Model)
    tag = ir.Ref("Tag", "py/tag.md")
    assert [(f.type, f.nullable) for f in model.fields] == [(ir.Array(tag), False), (ir.Map(tag), False)]


def fenced_model(name: str, language: str, type_: str) -> str:
    return page(
        f"""
        # {name}

        ## Example Usage

        ```{language}
        value: {name} = /* values here */
        ```

        ## Fields

        | Field | Type | Required | Description |
        | --- | --- | --- | --- |
        | `value` | {type_} | :heavy_check_mark: | N/A |
        """
    )


def fenced_enum(name: str) -> str:
    return page(
        f"""
        # {name}

        ## Example Usage

        ```python
        from x.models import {name}

        value = {name}.A
        ```

        ## Values

        | Name | Value |
        | ---- | ----- |
        | `A`  | a     |
        | `B`  | b     |
        """
    )


OTHER = page(
    """
    # Other

    ## Values

    | Name | Value |
    | ---- | ----- |
    | `X`  | x     |
    """
)
LINK_ONLY = {  # link-only page -> its one row, a required link
    "ComponentsLink": "[components.Other](other.md)",
    "ModelsLink": "[models.Other](other.md)",
}
LINK_PAGES = {f"{name.lower()}.md": model_page(name, row("other", cell)) for name, cell in LINK_ONLY.items()}
DIALECT_PAGES = {
    # Three Python pages, and pages that are only links.
    **{f"dialects/py_majority/{rel}": text for rel, text in LINK_PAGES.items()},
    "dialects/py_majority/alpha.md": fenced_model("Alpha", "python", "*str*"),
    "dialects/py_majority/beta.md": fenced_model("Beta", "python", "*int*"),
    "dialects/py_majority/gamma.md": fenced_model("Gamma", "python", "[Optional[models.Other]](other.md)"),
    "dialects/py_majority/other.md": OTHER,
    # Three TypeScript pages, and the same link-only pages.
    **{f"dialects/ts_majority/{rel}": text for rel, text in LINK_PAGES.items()},
    "dialects/ts_majority/alpha.md": fenced_model("Alpha", "typescript", "*string*"),
    "dialects/ts_majority/beta.md": fenced_model("Beta", "typescript", "*number*"),
    "dialects/ts_majority/gamma.md": fenced_model("Gamma", "typescript", "*boolean*[]"),
    "dialects/ts_majority/other.md": OTHER,
    # Pages that read in both dialects; most are Python (by their fences): for the setting.
    **{f"dialects/leaning/{rel}": text for rel, text in LINK_PAGES.items()},
    "dialects/leaning/kinda.md": fenced_enum("KindA"),
    "dialects/leaning/kindb.md": fenced_enum("KindB"),
    "dialects/leaning/kindc.md": fenced_enum("KindC"),
    "dialects/leaning/other.md": OTHER,
}
PYTHON_READING = (False, "page")  # a required bare link in Python: not nullable, the page says so
TYPESCRIPT_READING = (False, "setting")  # TypeScript cells never say: the setting decides


def readings(defs: dict[str, ir.Definition]) -> dict[str, tuple[bool | None, str]]:
    """Link-only page -> (nullable, nullable_decided_by) of its row: which dialect read it."""
    return {name: (f.nullable, f.nullable_decided_by) for name in LINK_ONLY for f in [field_of(model_of(defs, name), "other")]}


def test_link_only_pages_take_the_majority_dialect_of_a_python_folder(workspace):
    """Among Python pages, a page of only links is read as Python."""
    defs, _, _ = definitions(workspace, "dialects/py_majority")
    assert readings(defs) == {name: PYTHON_READING for name in LINK_ONLY}
    assert [f.type for f in model_of(defs, "Gamma").fields] == [ir.Ref("Other", "dialects/py_majority/other.md")]


def test_link_only_pages_take_the_majority_dialect_of_a_typescript_folder(workspace):
    """Among TypeScript pages, a page of only links (`[models.X]` as well as `[components.X]`) is
    read as TypeScript."""
    defs, _, _ = definitions(workspace, "dialects/ts_majority")
    assert readings(defs) == {name: TYPESCRIPT_READING for name in LINK_ONLY}


def test_the_folder_majority_reads_pages_that_fit_both_dialects(workspace):
    """Enum pages with ```python fences make a folder Python; its link-only pages follow."""
    defs, _, _ = definitions(workspace, "dialects/leaning")
    assert readings(defs) == {name: PYTHON_READING for name in LINK_ONLY}
    assert enum_of(defs, "KindA").examples == ("a",)


@pytest.mark.parametrize("key", ["", "dialects/leaning"], ids=["all", "by-path"])
def test_dialect_setting_reads_every_page_in_it(workspace, key):
    """`Settings(dialects=...)` (for every spec path, or for this one) overrides pages and folder."""
    path = workspace / "dialects/leaning"
    dialects = {"": "typescript"} if key == "" else {str(path): "typescript"}
    schema, _ = load_schema([path], (), Settings(dialects=dialects), workspace)
    defs = {d.name: d for d in schema.definitions}
    assert readings(defs) == {name: TYPESCRIPT_READING for name in LINK_ONLY}
    assert enum_of(defs, "KindA").examples == ("a",)  # the Example Usage is still read by its fence


def cli_readings(data: dict[str, Any]) -> dict[str, tuple[bool | None, str]]:
    found = {d["name"]: d for d in data["definitions"]}
    return {name: (found[name]["fields"][0]["nullable"], found[name]["fields"][0]["nullable_decided_by"]) for name in LINK_ONLY}


def test_dialect_option_on_the_command_line(workspace):
    """`--dialect typescript` reads a Python-leaning folder as TypeScript; without it, as Python."""
    assert cli_readings(schema_json(workspace, "dialects/leaning")) == {name: PYTHON_READING for name in LINK_ONLY}
    forced = schema_json(workspace, "dialects/leaning", "--dialect", "typescript")
    assert cli_readings(forced) == {name: TYPESCRIPT_READING for name in LINK_ONLY}


@pytest.mark.parametrize("setting", ['"typescript"', '{ "leaning" = "typescript" }'], ids=["string", "table"])
def test_dialect_key_in_pyproject(tmp_path, setting):
    """`dialect = "typescript"` (or a table of spec path = dialect) in [tool.docmodels]."""
    pages = {rel.replace("dialects/", ""): text for rel, text in DIALECT_PAGES.items() if rel.startswith("dialects/leaning/")}
    write_files(tmp_path, {"pyproject.toml": PYPROJECT + f'specs = ["leaning"]\ndialect = {setting}\n', **pages})
    assert cli_readings(schema_json(tmp_path)) == {name: TYPESCRIPT_READING for name in LINK_ONLY}


@pytest.mark.parametrize(("setting", "message"), [('"cobol"', "dialect = 'cobol'"), ('{ "leaning" = "cobol" }', "dialect 'cobol' for 'leaning'")])
def test_bad_dialect_in_pyproject_is_an_error(tmp_path, setting, message):
    """A dialect docmodels does not know is an error at the `dialect` line: exit 2."""
    config = PYPROJECT + f'specs = ["leaning"]\ndialect = {setting}\n'
    write_files(tmp_path, {"pyproject.toml": config, "leaning/other.md": OTHER})
    result = run_cli(tmp_path, "generate", "-o", "out")
    assert result.returncode == 2, result.stderr
    assert f"pyproject.toml:{line_of(config, 'dialect =')}: error: {message}" in result.stderr
    assert "typescript, python" in result.stderr
    assert not (tmp_path / "out").exists()


def test_config_keeps_the_dialect_names_of_the_parser():
    """Cached runs check `dialect` against config.DIALECTS without importing the parser."""
    assert docmodels.config.DIALECTS == tuple(docmodels.parse.dialects.DIALECTS)


# == 6. unreadable examples ========================================================================

TS_STAMPED = page(
    """
    # Stamped

    ## Example Usage

    ```typescript
    import { Stamped } from "sdk/models/components";

    let value: Stamped = {
      name: "a",
      createdAt: 2021-02-10T13:11:49.180Z,
    };
    ```

    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `name` | *string* | :heavy_check_mark: | N/A |
    | `createdAt` | *string* | :heavy_check_mark: | N/A |
    """
)

TS_ESCAPED = page(
    """
    # Escaped

    ## Example Usage

    ```typescript
    let value: Escaped = {
      name: "caf\\u00e",
    };
    ```

    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `name` | *string* | :heavy_check_mark: | N/A |
    """
)

TS_GO_CODE = page(
    """
    # GoCode

    ## Example Usage

    ```go
    package main

    import "fmt"

    func main() {
        value := components.GoCode{Name: "a"}
        fmt.Println(value)
    }
    ```

    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `name` | *string* | :heavy_check_mark: | N/A |
    | `count` | *number* | :heavy_check_mark: | N/A |
    """
)

TS_JAVA_CODE = page(
    """
    # JavaCode

    ## Example Usage

    ```java
    package hello.world;

    import dev.sdk.models.components.JavaCode;

    public class Application {
        public static void main(String[] args) {
            JavaCode value = JavaCode.builder().name("a").build();
        }
    }
    ```

    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `name` | *string* | :heavy_check_mark: | N/A |
    | `count` | *number* | :heavy_check_mark: | N/A |
    """
)

UNREADABLE = [  # (model, page, the line the warning is at)
    ("Stamped", TS_STAMPED, "createdAt: 2021"),
    ("Escaped", TS_ESCAPED, 'name: "caf'),
    ("GoCode", TS_GO_CODE, "package main"),
    ("JavaCode", TS_JAVA_CODE, "package hello.world"),
]


@pytest.mark.parametrize(("name", "text", "needle"), UNREADABLE, ids=[u[0] for u in UNREADABLE])
def test_unreadable_example_is_a_warning_at_its_line(workspace, name, text, needle):
    """An Example Usage that cannot be read is a warning at the line inside the page; the model stands."""
    defs, _, warnings = definitions(workspace, "ts")
    model = model_of(defs, name)
    assert model.examples == ()
    assert "name" in [f.doc_name for f in model.fields]
    path = f"{TS}/{name.lower()}.md"
    mine = [w for w in warnings if w.loc.path == path]
    assert [(w.loc.line, w.warning) for w in mine] == [(line_of(text, needle), True)]
    assert "Example Usage" in mine[0].message


def test_unreadable_examples_do_not_stop_generate(ts_pkg):
    """`generate` exits 0, prints each warning as file:line, and writes the models without examples."""
    stderr = ts_pkg.result.stderr
    for name, text, needle in UNREADABLE:
        assert f"{TS}/{name.lower()}.md:{line_of(text, needle)}: warning: Example Usage not read" in stderr, stderr
        assert [f.name for f in dataclasses.fields(getattr(ts_pkg.models, name))][0] == "name"
        assert "examples" not in ts_pkg.schema(name)
    assert ts_pkg.models.Stamped.from_dict({"name": "a", "createdAt": "x"}).created_at == "x"


# == 7. additionalProperties rows ==================================================================

TS_EXTRAS = model_page("Extras", row("name"), row("additionalProperties", "Record<string, *string*>", ":heavy_minus_sign:"))
PY_EXTRAS = page(
    """
    # Extras


    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `name` | *str* | :heavy_check_mark: | N/A |
    | `additional_properties` | Dict[str, *int*] | :heavy_minus_sign: | N/A |
    """
)
EXTRAS = [  # (package, the extra keys' type in the IR and in Python, its JSON Schema, a good and a bad value)
    ("ts_pkg", STRING, dict[str, str], {"type": "string"}, "v", 1),
    ("py_pkg", INTEGER, dict[str, int], {"type": "integer"}, 1, "v"),
]


@pytest.mark.parametrize(("folder", "doc_name", "additional"), [("ts", "additionalProperties", STRING), ("py", "additional_properties", INTEGER)])
def test_additional_properties_row_types_the_extra_keys(workspace, folder, doc_name, additional):
    """The row is not a field: it is `Model.additional`, the type of the keys the fields do not name."""
    defs, _, _ = definitions(workspace, folder)
    extras = model_of(defs, "Extras")
    assert [f.doc_name for f in extras.fields] == ["name"]
    assert extras.additional == additional
    assert doc_name not in [f.doc_name for f in extras.fields] and extras.left_out == ()


@pytest.mark.parametrize(("pkg_name", "_ir", "hint", "json_type", "good", "bad"), EXTRAS, ids=["ts", "py"])
def test_additional_properties_in_the_json_schema_and_dataclass(request, pkg_name, _ir, hint, json_type, good, bad):
    """The schema types extra keys; the dataclass has one `additional_properties` dict of that type."""
    pkg = request.getfixturevalue(pkg_name)
    schema = pkg.schema("Extras")
    assert schema["additionalProperties"] == json_type
    assert list(schema["properties"]) == ["name"]
    assert validates(schema, {"name": "n", "extra": good}) and not validates(schema, {"name": "n", "extra": bad})
    cls = pkg.models.Extras
    assert [f.name for f in dataclasses.fields(cls)] == ["name", "additional_properties"]
    assert typing.get_type_hints(cls)["additional_properties"] == hint


@pytest.mark.parametrize(("pkg_name", "_ir", "hint", "json_type", "good", "bad"), EXTRAS, ids=["ts", "py"])
def test_additional_properties_from_dict_and_back(request, pkg_name, _ir, hint, json_type, good, bad):
    """from_dict keeps extra keys (checked against their type), to_dict writes them back as read."""
    pkg = request.getfixturevalue(pkg_name)
    data = {"name": "n", "first": good, "second": good}
    read = pkg.models.Extras.from_dict(data)
    assert read.name == "n"
    assert read.additional_properties == {"first": good, "second": good}
    assert read.to_dict() == data
    assert pkg.models.Extras.from_dict({"name": "n"}).additional_properties == {}
    with pytest.raises(pkg.rt.ValidationError) as excinfo:
        pkg.models.Extras.from_dict({"name": "n", "first": good, "odd": bad})
    assert excinfo.value.path == "odd"
    assert str(excinfo.value).startswith("odd: ")


# == 8. enums: <nil>, integer and mixed Name | Value tables ========================================

TS_COLOR = page(
    """
    # Color

    ## Values

    | Name | Value |
    | --- | --- |
    | `Red` | red |
    | `Green` | green |
    | `Nil` | <nil> |
    """
)
TS_LEVEL = page(
    """
    # Level

    ## Values

    | Name | Value |
    | --- | --- |
    | `Low` | 1 |
    | `High` | 20 |
    | `Below` | -1 |
    """
)
TS_CODE = page(
    """
    # Code

    ## Values

    | Name | Value |
    | --- | --- |
    | `One` | 1 |
    | `Abc` | abc |
    """
)
TS_PALETTE = model_page(
    "Palette",
    row("color", "[components.Color](color.md)"),
    row("level", "[components.Level](level.md)"),
    row("code", "[components.Code](code.md)", ":heavy_minus_sign:"),
)


def test_nil_value_makes_the_enum_nullable(workspace):
    """`<nil>` in a Name | Value table is null: `Enum.nullable`, and not a value of its own."""
    defs, _, _ = definitions(workspace, "ts")
    color = enum_of(defs, "Color")
    assert color.nullable is True
    assert [(v.name, v.value) for v in color.values] == [("Red", "red"), ("Green", "green")]
    assert enum_of(defs, "Level").nullable is False


def test_nullable_enum_accepts_null_when_generated(ts_pkg):
    """JSON null fits the enum's schema and a required field typed with it; no member stands for it."""
    models, rt = ts_pkg.models, ts_pkg.rt
    schema = ts_pkg.schema("Color")
    assert validates(schema, None) and validates(schema, "red")
    assert not validates(schema, "<nil>") and not validates(schema, "blue")
    assert [m.value for m in models.Color] == ["red", "green"]
    read = models.Palette.from_dict({"color": None, "level": 1})
    assert read.color is None
    assert read.to_dict() == {"color": None, "level": 1}
    assert models.Palette.from_dict({"color": "red", "level": 1}).color is models.Color.RED
    with pytest.raises(rt.ValidationError, match="^level:"):  # Level has no <nil>: null does not fit
        models.Palette.from_dict({"color": "red", "level": None})
    with pytest.raises(rt.ValidationError, match="^color:"):
        models.Palette.from_dict({"color": "<nil>", "level": 1})


def test_table_of_integers_is_an_integer_enum(workspace, ts_pkg):
    """A Name | Value table whose values are all unquoted integers is an integer enum."""
    defs, _, _ = definitions(workspace, "ts")
    level = enum_of(defs, "Level")
    assert [(v.name, v.value) for v in level.values] == [("Low", 1), ("High", 20), ("Below", -1)]
    assert all(type(v.value) is int for v in level.values)
    schema = ts_pkg.schema("Level")
    assert schema["type"] == "integer"
    assert validates(schema, 20) and not validates(schema, "20") and not validates(schema, 2)
    assert ts_pkg.models.Palette.from_dict({"color": "red", "level": 20}).level is ts_pkg.models.Level(20)
    with pytest.raises(ts_pkg.rt.ValidationError, match="^level:"):
        ts_pkg.models.Palette.from_dict({"color": "red", "level": "20"})


def test_table_mixing_integers_and_text_is_a_string_enum(workspace, ts_pkg):
    """`1` beside `abc` is the text "1": the enum stays a string enum."""
    defs, _, _ = definitions(workspace, "ts")
    code = enum_of(defs, "Code")
    assert [v.value for v in code.values] == ["1", "abc"]
    assert all(type(v.value) is str for v in code.values)
    schema = ts_pkg.schema("Code")
    assert schema["type"] == "string"
    assert validates(schema, "1") and not validates(schema, 1)


# == 9. struck-through headings ====================================================================

TS_OLD_THING = model_page("~~OldThing~~", row("id"))
TS_OLD_KIND = page(
    """
    # ~~OldKind~~

    ## Values

    | Name | Value |
    | --- | --- |
    | `A` | a |
    | `B` | b |
    """
)
TS_OLD_CHOICE = page(
    """
    # ~~OldChoice~~

    ## Supported Types

    ### `string`

    ```typescript
    const value: string = "x";
    ```

    ### `number`

    ```typescript
    const value: number = 1;
    ```
    """
)
TS_HOLDER = model_page(
    "Holder",
    row("thing", "[components.OldThing](oldthing.md)"),
    row("kind", "[components.OldKind](oldkind.md)"),
    row("choice", "[~~components.OldChoice~~](oldchoice.md)"),
)
STRUCK = ["OldThing", "OldKind", "OldChoice"]


def test_struck_heading_names_a_deprecated_definition(workspace):
    """`# ~~Name~~` is the definition Name, deprecated: for a model, an enum and a union."""
    defs, _, _ = definitions(workspace, "ts")
    assert not [name for name in defs if "~" in name]
    assert [(type(defs[n]).__name__, defs[n].deprecated) for n in STRUCK] == [("Model", True), ("Enum", True), ("Union", True)]
    assert [(defs[n].name, defs[n].loc.line) for n in STRUCK] == [(n, 1) for n in STRUCK]
    assert model_of(defs, "Holder").deprecated is False


def test_link_to_a_struck_page_resolves_to_its_name(workspace, ts_pkg):
    """A link to a `# ~~Name~~` page is a reference to Name, whatever the link text says."""
    defs, _, _ = definitions(workspace, "ts")
    assert [f.type for f in model_of(defs, "Holder").fields] == [ir.Ref(n, f"{TS}/{n.lower()}.md") for n in STRUCK]
    read = ts_pkg.models.Holder.from_dict({"thing": {"id": "t"}, "kind": "a", "choice": 1})
    assert type(read.thing) is ts_pkg.models.OldThing
    assert read.kind is ts_pkg.models.OldKind.A and read.choice == 1


@pytest.mark.parametrize("name", STRUCK)
def test_struck_heading_in_the_json_schema(ts_pkg, name):
    """The schema of a struck definition says `"deprecated": true` under its plain title."""
    schema = ts_pkg.schema(name)
    assert schema["title"] == name
    assert schema["deprecated"] is True
    assert "deprecated" not in ts_pkg.schema("Holder")


# == 10. a broken link with one obvious target =====================================================

REQUEST = page(
    """
    # Request

    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `id` | *string* | :heavy_check_mark: | N/A |
    | `thing` | [components.Thing](../../models/shared/thing.md) | :heavy_check_mark: | N/A |
    """
)
THING = model_page("Thing", row("label"))


def test_broken_link_reads_the_one_page_of_that_name(tmp_path):
    """A link into a folder that does not exist reads the one `thing.md` there is, with a warning."""
    write_files(tmp_path, {"pyproject.toml": PYPROJECT, "docs/models/operations/request.md": REQUEST, "docs/models/components/thing.md": THING})
    defs, _, warnings = definitions(tmp_path, "docs")
    assert field_of(model_of(defs, "Request"), "thing").type == ir.Ref("Thing", "docs/models/components/thing.md")
    assert [f.doc_name for f in model_of(defs, "Thing").fields] == ["label"]
    assert [(w.loc, w.warning) for w in warnings] == [(ir.SourceLoc("docs/models/operations/request.md", line_of(REQUEST, "`thing`")), True)]
    assert "docs/models/shared/thing.md" in warnings[0].message and "docs/models/components/thing.md" in warnings[0].message
    result = run_cli(tmp_path, "generate", "docs", "-o", "out")
    assert result.returncode == 0, result.stderr
    assert f"docs/models/operations/request.md:{line_of(REQUEST, '`thing`')}: warning: " in result.stderr


@pytest.mark.parametrize("others", [["components", "errors"], []], ids=["two-candidates", "none"])
def test_broken_link_without_one_obvious_target_is_an_error(tmp_path, others):
    """Two pages named `thing.md`, or none: no guess, an error at the link, exit 2."""
    write_files(tmp_path, {"pyproject.toml": PYPROJECT, "docs/models/operations/request.md": REQUEST, **{f"docs/models/{o}/thing.md": THING for o in others}})
    with pytest.raises(InputError) as excinfo:
        definitions(tmp_path, "docs")
    errors = errors_of(excinfo)
    assert [p.loc for p in errors] == [ir.SourceLoc("docs/models/operations/request.md", line_of(REQUEST, "`thing`"))]
    assert "docs/models/shared/thing.md" in errors[0].message
    result = run_cli(tmp_path, "generate", "docs", "-o", "out")
    assert result.returncode == 2, result.stderr
    assert f"docs/models/operations/request.md:{line_of(REQUEST, '`thing`')}: " in result.stderr
    assert not (tmp_path / "out").exists()


# == 11. every link to an unreadable page is its own error =========================================

TWO_ROWS_OUTSIDE = model_page("Pair", row("first", "[components.Far](../../outside/far.md)"), row("second", "[components.Far](../../outside/far.md)", ":heavy_minus_sign:"))
TWO_ROWS_MISSING = model_page("Twin", row("first", "[components.Gone](gone.md)"), row("second", "[components.Gone](gone.md)[]"))
FIRST_MODEL = model_page("First", row("gone", "[components.Gone](gone.md)"))
SECOND_MODEL = model_page("Second", row("id"), row("gone", "[components.Gone](gone.md)"))
ONE_RUN = [  # (case, pages below docs/models, the error lines expected: page, needle)
    ("rows-outside", {"pair.md": TWO_ROWS_OUTSIDE}, [("pair.md", "`first`"), ("pair.md", "`second`")]),
    ("rows-missing", {"twin.md": TWO_ROWS_MISSING}, [("twin.md", "`first`"), ("twin.md", "`second`")]),
    ("models-missing", {"first.md": FIRST_MODEL, "second.md": SECOND_MODEL}, [("first.md", "`gone`"), ("second.md", "`gone`")]),
]


@pytest.mark.parametrize(("pages", "expected"), [c[1:] for c in ONE_RUN], ids=[c[0] for c in ONE_RUN])
def test_every_link_to_an_unreadable_page_is_its_own_error(tmp_path, pages, expected):
    """Two links to the same page outside the spec folders (or missing): two errors, each at its row."""
    texts = {f"docs/models/{rel}": text for rel, text in pages.items()}
    write_files(tmp_path, {"pyproject.toml": PYPROJECT, "outside/far.md": THING, **texts})
    result = run_cli(tmp_path, "generate", "docs", "-o", "out")
    assert result.returncode == 2, result.stderr
    locations = [f"docs/models/{rel}:{line_of(pages[rel], needle)}" for rel, needle in expected]
    error_lines = [line for line in result.stderr.splitlines() if not line.startswith("docmodels:")]
    assert [line.split(": ", 1)[0] for line in error_lines] == locations, result.stderr
    target = "outside/far.md" if "pair.md" in pages else "docs/models/gone.md"
    assert all(target in line for line in error_lines), result.stderr
    assert "docmodels: 2 errors, 0 warnings; nothing was written" in result.stderr


# -- the workspace and the generated packages ------------------------------------------------------

TS_PAGES = {
    f"{TS}/result.md": TS_RESULT,
    f"{TS}/rawresponse.md": TS_RAW_RESPONSE,
    f"{TS}/response.md": TS_RESPONSE,
    f"{TS}/reply.md": TS_REPLY,
    f"{TS}/event.md": TS_EVENT,
    f"{TS}/extras.md": TS_EXTRAS,
    f"{TS}/color.md": TS_COLOR,
    f"{TS}/level.md": TS_LEVEL,
    f"{TS}/code.md": TS_CODE,
    f"{TS}/palette.md": TS_PALETTE,
    f"{TS}/oldthing.md": TS_OLD_THING,
    f"{TS}/oldkind.md": TS_OLD_KIND,
    f"{TS}/oldchoice.md": TS_OLD_CHOICE,
    f"{TS}/holder.md": TS_HOLDER,
    **{f"{TS}/{name.lower()}.md": text for name, text, _ in UNREADABLE},
}
PY_PAGES = {
    f"{PY}/result.md": PY_RESULT,
    f"{PY}/httpmetadata.md": PY_HTTP_METADATA,
    f"{PY}/when.md": PY_WHEN,
    f"{PY}/upload.md": PY_UPLOAD,
    f"{PY}/extras.md": PY_EXTRAS,
    f"{PY}/action.md": action_page("Action.CREATE"),
}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory):
    """A temporary project (pyproject.toml, so paths print relative to it); `out/` is importable."""
    base = tmp_path_factory.mktemp("dialects")
    write_files(base, {"pyproject.toml": PYPROJECT, **TS_PAGES, **PY_PAGES, **DIALECT_PAGES})
    (base / "out").mkdir()
    sys.path.insert(0, str(base / "out"))
    yield base
    sys.path.remove(str(base / "out"))
    for name in [m for m in sys.modules if m.split(".")[0] in PACKAGES]:
        del sys.modules[name]


def build(base: Path, package: str, *specs_and_args: str) -> SimpleNamespace:
    """Generate `out/<package>` from the given spec folders (and options), and import it."""
    result = run_cli(base, "generate", *specs_and_args, "-o", f"out/{package}")
    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert "Traceback" not in result.stderr
    out = base / "out" / package

    def schema(name: str) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((out / "jsonschema" / f"{name}.json").read_text(encoding="utf-8"))
        return data

    return SimpleNamespace(
        out=out,
        result=result,
        models=importlib.import_module(f"{package}.models"),
        rt=importlib.import_module(f"{package}._runtime"),
        schema=schema,
        source=(out / "models.py").read_text(encoding="utf-8"),
    )


@pytest.fixture(scope="module")
def ts_pkg(workspace: Path) -> SimpleNamespace:
    return build(workspace, "dialects_ts_pkg", "ts", "-v")  # -v: every warning on its own line


@pytest.fixture(scope="module")
def py_pkg(workspace: Path) -> SimpleNamespace:
    return build(workspace, "dialects_py_pkg", "py")


def test_generated_packages_cover_every_page(ts_pkg, py_pkg):
    """Every page of the workspace is generated (HTTPMetadata aside), so the tests above see them all."""
    for pkg, pages in ((ts_pkg, TS_PAGES), (py_pkg, PY_PAGES)):
        match = re.search(r"(\d+) definitions .* from (\d+) pages", pkg.result.stdout)
        assert match, pkg.result.stdout
        expected = len(pages) - (pkg is py_pkg)  # HTTPMetadata is left out
        assert (int(match.group(1)), int(match.group(2))) == (expected, expected), pkg.result.stdout


OPEN_IN_EXAMPLE = page("""
    # Status

    ## Example Usage

    ```java
    import com.example.models.components.Status;

    Status value = Status.ACTIVE;

    // Open enum: use .of() to create instances from custom string values
    Status custom = Status.of("custom_value");
    ```


    ## Values

    | Name     | Value    |
    | -------- | -------- |
    | `ACTIVE` | active   |
    | `CLOSED` | closed   |
    """)


@pytest.mark.parametrize("dialect", ["java", "typescript"])
def test_open_enum_said_in_the_example_usage(dialect: str) -> None:
    """`// Open enum: ...` in the Example Usage block (newer docs) opens the enum, and the SDK
    constant is the example."""
    definition, problems = parse_page("models/status.md", OPEN_IN_EXAMPLE, dialect)
    assert isinstance(definition, ir.Enum)
    assert definition.open
    assert [v.value for v in definition.values] == ["active", "closed"]
    if dialect == "java":
        assert definition.examples == ("active",) and not problems


def test_additional_properties_of_a_model_type_are_followed(tmp_path: Path) -> None:
    """A model named only in the additionalProperties row is part of the closure, is linked,
    and its schema is in the JSON Schema's $defs."""
    files = {
        "specs/holder.md": page("""
            # Holder

            ## Fields

            | Field | Type | Required | Description |
            | --- | --- | --- | --- |
            | `name` | *string* | :heavy_check_mark: | N/A |
            | `additionalProperties` | Record<string, [components.Tag](tag.md)> | :heavy_minus_sign: | N/A |
            """),
        "specs/tag.md": page("""
            # Tag

            ## Fields

            | Field | Type | Required | Description |
            | --- | --- | --- | --- |
            | `label` | *string* | :heavy_check_mark: | N/A |
            """),
    }
    write_files(tmp_path, files)
    schema, _ = load_schema([tmp_path / "specs/holder.md"], ("Holder",), Settings(), tmp_path)
    by_name = {d.name: d for d in schema.definitions}
    assert set(by_name) == {"Holder", "Tag"}
    assert by_name["Holder"].additional == ir.Ref("Tag", "specs/tag.md")  # type: ignore[union-attr]
    result = run_cli(tmp_path, "generate", "specs/holder.md", "-o", "out")
    assert result.returncode == 0, result.stderr
    document = json.loads((tmp_path / "out/jsonschema/Holder.json").read_text(encoding="utf-8"))
    assert document["additionalProperties"] == {"$ref": "#/$defs/Tag"} and "Tag" in document["$defs"]
