"""Each construct the pages use, from a small inline page to the IR and to the generated code.

A construct is checked twice: the IR `load_schema` makes of the page (in-process), and the
behaviour of what `python -m docmodels generate` writes for it (run as a subprocess in a temporary
project, then imported). The pages are module constants beside the tests that use them, so a
failure points at the page line it is about; the generated packages are shared by the tests of a
module-scoped fixture, one package per set of settings:

    ts_pkg        TypeScript pages: unions, enums, literals, dates, deprecated and keyword fields
    py_pkg        Python pages: the same constructs, nullability wrappers, int and float
    py_none_pkg   the Python pages again with --nullable none
    ex_pkg        Example Usage and Example columns, --wire-case snake
    refs_pkg      name-only references (`*components.Thing*`)
    dup_pkg       two folders defining the same model name
    mixed_pkg     one TypeScript and one Python page in the same folder
    opt_pkg       an options page (`| Name | Type | Description |`) with a model in a section
"""

from __future__ import annotations

import copy
import dataclasses
import datetime
import importlib
import json
import pickle
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jsonschema
import pytest

from docmodels import ir
from docmodels.parse import parse_page
from docmodels.resolve import Settings, load_schema
from pages import line_of, page, run_cli, write_files

PYPROJECT = "[project]\nname = 'tmp'\n\n[tool.docmodels]\n"
TS_DATE = "https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Date"
PY_DATE = "https://docs.python.org/3/library/datetime.html#date-objects"
STRING = ir.Primitive("string")
NUMBER = ir.Primitive("number")
INTEGER = ir.Primitive("integer")
DATE_TIME = ir.Primitive("date-time")
PACKAGES = ("ts_pkg", "py_pkg", "py_none_pkg", "ex_pkg", "refs_pkg", "dup_pkg", "mixed_pkg", "opt_pkg")
WARNING_LINE = re.compile(r"^(?P<path>[^\s:][^:]*):(?P<line>\d+): warning: (?P<message>.+)$")


def definitions(
    base: Path, *folders: str, nullable: str = "optional", wire_case: str = "as-is"
) -> tuple[dict[str, ir.Definition], list[Any]]:
    """The resolved IR of the pages under `folders` (by definition name) and the warnings."""
    settings = Settings(wire_case=wire_case, nullable=nullable)  # type: ignore[arg-type]
    schema, warnings = load_schema([base / f for f in folders], (), settings, base)
    return {d.name: d for d in schema.definitions}, warnings


def model_of(defs: dict[str, ir.Definition], name: str) -> ir.Model:
    model = defs[name]
    assert isinstance(model, ir.Model), model
    return model


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


# -- the workspace and the generated packages ------------------------------------------------------


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory):
    """A temporary project (pyproject.toml, so paths print relative to it); `out/` is importable."""
    base = tmp_path_factory.mktemp("constructs")
    write_files(base, {"pyproject.toml": PYPROJECT, **TS_PAGES, **PY_PAGES, **EX_PAGES, **REF_PAGES, **DUP_PAGES, **MIXED_PAGES, **OPT_PAGES})
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
        return json.loads((out / "jsonschema" / f"{name}.json").read_text(encoding="utf-8"))

    return SimpleNamespace(
        base=base,
        out=out,
        result=result,
        models=importlib.import_module(f"{package}.models"),
        rt=importlib.import_module(f"{package}._runtime"),
        typeddicts=importlib.import_module(f"{package}.typeddicts"),
        schema=schema,
        source=(out / "models.py").read_text(encoding="utf-8"),
    )


@pytest.fixture(scope="module")
def ts_pkg(workspace: Path) -> SimpleNamespace:
    return build(workspace, "ts_pkg", "ts")


@pytest.fixture(scope="module")
def py_pkg(workspace: Path) -> SimpleNamespace:
    return build(workspace, "py_pkg", "py")


@pytest.fixture(scope="module")
def py_none_pkg(workspace: Path) -> SimpleNamespace:
    return build(workspace, "py_none_pkg", "py", "--nullable", "none")


# == 1. unions =====================================================================================

TS = "ts/models/components"

TS_ASSISTANT_MESSAGE = page(
    """
    # AssistantMessage

    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `role` | *"assistant"* | :heavy_minus_sign: | N/A |
    | `content` | *string* | :heavy_minus_sign: | N/A |
    | `prefix` | *boolean* | :heavy_minus_sign: | N/A |
    """
)

TS_USER_MESSAGE = page(
    """
    # UserMessage

    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `role` | *"user"* | :heavy_check_mark: | N/A |
    | `content` | *components.UserMessageContent* | :heavy_check_mark: | N/A |
    """
)

TS_USER_MESSAGE_CONTENT = page(
    """
    # UserMessageContent


    ## Supported Types

    ### `string`

    ```typescript
    const value: string = /* values here */
    ```

    ### `components.ContentChunk[]`

    ```typescript
    const value: components.ContentChunk[] = /* values here */
    ```
    """
)

TS_CONTENT_CHUNK = page(
    """
    # ContentChunk

    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `type` | *"text"* | :heavy_check_mark: | N/A |
    | `text` | *string* | :heavy_check_mark: | N/A |
    """
)

TS_MESSAGE = page(
    """
    # Message

    A message of a conversation.

    ## Supported Types

    ### `components.AssistantMessage`

    ```typescript
    const value: components.AssistantMessage = {};
    ```

    ### `components.UserMessage`

    ```typescript
    const value: components.UserMessage = {
      role: "user",
      content: "<value>",
    };
    ```
    """
)

PY = "py/models"

PY_ASSISTANT_MESSAGE = page(
    """
    # AssistantMessage


    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `role` | *Optional[Literal["assistant"]]* | :heavy_minus_sign: | N/A |
    | `content` | *OptionalNullable[str]* | :heavy_minus_sign: | N/A |
    | `prefix` | *Optional[bool]* | :heavy_minus_sign: | N/A |
    """
)

PY_USER_MESSAGE = page(
    """
    # UserMessage


    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `role` | *Literal["user"]* | :heavy_check_mark: | N/A |
    | `content` | [models.UserMessageContent](usermessagecontent.md) | :heavy_check_mark: | N/A |
    """
)

PY_USER_MESSAGE_CONTENT = page(
    """
    # UserMessageContent


    ## Supported Types

    ### `str`

    ```python
    value: str = /* values here */
    ```

    ### `List[models.ContentChunk]`

    ```python
    value: List[models.ContentChunk] = /* values here */
    ```
    """
)

PY_CONTENT_CHUNK = page(
    """
    # ContentChunk


    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `type` | *Literal["text"]* | :heavy_check_mark: | N/A |
    | `text` | *str* | :heavy_check_mark: | N/A |
    """
)

PY_MESSAGE = page(
    """
    # Message


    ## Supported Types

    ### `models.AssistantMessage`

    ```python
    value: models.AssistantMessage = /* values here */
    ```

    ### `models.UserMessage`

    ```python
    value: models.UserMessage = /* values here */
    ```
    """
)

PY_STOP = page(
    """
    # Stop

    Stop generation if this token is detected.

    ## Supported Types

    ### `str`

    ```python
    value: str = /* values here */
    ```

    ### `List[str]`

    ```python
    value: List[str] = /* values here */
    ```
    """
)


def test_union_members_parse_in_both_dialects():
    definition, problems = parse_page(f"{TS}/usermessagecontent.md", TS_USER_MESSAGE_CONTENT)
    assert problems == []
    assert isinstance(definition, ir.Union)
    assert [m.type for m in definition.members] == [STRING, ir.Array(ir.Ref("ContentChunk", ""))]
    assert [m.loc.line for m in definition.members] == [
        line_of(TS_USER_MESSAGE_CONTENT, "### `string`"),
        line_of(TS_USER_MESSAGE_CONTENT, "### `components.ContentChunk[]`"),
    ]

    definition, problems = parse_page(f"{PY}/stop.md", PY_STOP)
    assert problems == []
    assert isinstance(definition, ir.Union)
    assert definition.description == "Stop generation if this token is detected."
    assert [m.type for m in definition.members] == [STRING, ir.Array(STRING)]

    definition, problems = parse_page(f"{PY}/message.md", PY_MESSAGE)
    assert problems == []
    assert isinstance(definition, ir.Union)
    assert [m.type for m in definition.members] == [ir.Ref("AssistantMessage", ""), ir.Ref("UserMessage", "")]


@pytest.mark.parametrize(("folder", "prefix"), [("ts", TS), ("py", PY)])
def test_union_members_resolve_to_the_sibling_pages(workspace, folder, prefix):
    defs, _ = definitions(workspace, folder)
    message = defs["Message"]
    assert isinstance(message, ir.Union)
    assert [m.type for m in message.members] == [
        ir.Ref("AssistantMessage", f"{prefix}/assistantmessage.md"),
        ir.Ref("UserMessage", f"{prefix}/usermessage.md"),
    ]
    content = defs["UserMessageContent"]
    assert isinstance(content, ir.Union)
    assert [m.type for m in content.members] == [STRING, ir.Array(ir.Ref("ContentChunk", f"{prefix}/contentchunk.md"))]
    # The role fields are literals in both dialects: the discriminator.
    assert field_of(model_of(defs, "AssistantMessage"), "role").type == ir.LiteralValue("assistant")
    assert field_of(model_of(defs, "UserMessage"), "role").type == ir.LiteralValue("user")


@pytest.mark.parametrize("pkg_name", ["ts_pkg", "py_pkg"])
def test_union_picks_the_member_by_role(request, pkg_name):
    pkg = request.getfixturevalue(pkg_name)
    models, rt = pkg.models, pkg.rt
    assert re.search(r'rt\.discriminated\(\s*"role",', pkg.source), pkg.source

    # Both members would read {"content": "hi"} by shape (AssistantMessage first); role decides.
    user = {"role": "user", "content": "hi"}
    read = models.message_from_dict(user)
    assert type(read) is models.UserMessage
    assert read.content == "hi"
    assert read.to_dict() == user and rt.dump(read) == user

    assistant = {"role": "assistant", "content": "hi"}
    read = models.message_from_dict(assistant)
    assert type(read) is models.AssistantMessage
    assert rt.dump(read) == assistant

    # No role: the first member that reads the value.
    read = models.message_from_dict({"content": "hi"})
    assert type(read) is models.AssistantMessage

    # Nested union inside the picked member.
    chunks = {"role": "user", "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]}
    read = models.message_from_dict(chunks)
    assert type(read) is models.UserMessage
    assert [type(c) for c in read.content] == [models.ContentChunk, models.ContentChunk]
    assert rt.dump(read) == chunks

    # Picked by role, the member's own error: not "fits none of the types".
    with pytest.raises(rt.ValidationError, match=r"^content: required field is missing$"):
        models.message_from_dict({"role": "user"})
    for bad in ({"role": "system", "content": "x"}, "hello", None, [user]):
        with pytest.raises(rt.ValidationError):
            models.message_from_dict(bad)


@pytest.mark.parametrize("pkg_name", ["ts_pkg", "py_pkg"])
def test_union_of_string_and_array_of_models_reads_both(request, pkg_name):
    pkg = request.getfixturevalue(pkg_name)
    models, rt = pkg.models, pkg.rt
    assert models.user_message_content_from_dict("hello") == "hello"
    chunks = [{"type": "text", "text": "a"}]
    read = models.user_message_content_from_dict(chunks)
    assert isinstance(read, list) and type(read[0]) is models.ContentChunk
    assert read[0].text == "a"
    assert rt.dump(read) == chunks
    assert models.user_message_content_from_dict([]) == []
    for bad in (5, True, None, {"type": "text", "text": "a"}, [{"type": "image", "text": "a"}], ["a"]):
        with pytest.raises(rt.ValidationError):
            models.user_message_content_from_dict(bad)

    # JSON Schema: anyOf of the members.
    schema = pkg.schema("UserMessageContent")
    assert validates(schema, "hello") and validates(schema, chunks)
    assert not validates(schema, 5)


def test_python_union_of_string_and_list_of_strings(py_pkg):
    models, rt = py_pkg.models, py_pkg.rt
    assert models.stop_from_dict("\n") == "\n"
    assert models.stop_from_dict(["a", "b"]) == ["a", "b"]
    for bad in (1, [1], {"a": "b"}, None):
        with pytest.raises(rt.ValidationError):
            models.stop_from_dict(bad)
    choice = models.Choice.from_dict({"finish_reason": None, "stop": ["x"]})
    assert choice.stop == ["x"]
    assert choice.to_dict() == {"finish_reason": None, "stop": ["x"]}


# == 2. enums ======================================================================================

TS_STATUS = page(
    """
    # Status

    ## Values

    | Name | Value |
    | --- | --- |
    | `Queued` | QUEUED |
    | `Running` | RUNNING |
    """
)

TS_FINISH_REASON = page(
    """
    # FinishReason

    ## Example Usage

    ```typescript
    import { FinishReason } from "@mistralai/mistralai/models/components";

    let value: FinishReason = "stop";
    ```

    ## Values

    ```typescript
    "stop" | "length"
    ```
    """
)

TS_OPEN_REASON = page(
    """
    # OpenReason

    ## Example Usage

    ```typescript
    import { OpenReason } from "@mistralai/mistralai/models/components";

    let value: OpenReason = "stop";

    // Open enum: unrecognized values are captured as Unrecognized<string>
    ```

    ## Values

    ```typescript
    "stop" | "length" | Unrecognized<string>
    ```
    """
)

TS_PRIORITY = page(
    """
    # Priority

    ## Values

    ```typescript
    1 | 2 | Unrecognized<number>
    ```
    """
)

TS_TICKET = page(
    """
    # Ticket

    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `status` | [components.Status](../../models/components/status.md) | :heavy_minus_sign: | N/A |
    | `finishReason` | [components.FinishReason](finishreason.md) | :heavy_minus_sign: | N/A |
    | `openReason` | [components.OpenReason](openreason.md) | :heavy_minus_sign: | N/A |
    | `priority` | *components.Priority* | :heavy_minus_sign: | N/A |
    """
)

PY_FINISH_REASON = page(
    """
    # FinishReason

    ## Example Usage

    ```python
    from mistralai.client.models import FinishReason

    # Open enum: unrecognized values are captured as UnrecognizedStr
    value: FinishReason = "stop"
    ```


    ## Values

    This is an open enum. Unrecognized values will not fail type checks.

    - `"stop"`
    - `"length"`
    """
)

PY_MODE = page(
    """
    # Mode


    ## Values

    - `"fast"`
    - `"slow"`
    """
)

PY_CHOICE = page(
    """
    # Choice


    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `finish_reason` | [Nullable[models.FinishReason]](finishreason.md) | :heavy_check_mark: | N/A |
    | `mode` | [Optional[models.Mode]](mode.md) | :heavy_minus_sign: | N/A |
    | `stop` | [Optional[models.Stop]](stop.md) | :heavy_minus_sign: | N/A |
    """
)


def enum_of(defs: dict[str, ir.Definition], name: str) -> ir.Enum:
    enum = defs[name]
    assert isinstance(enum, ir.Enum), enum
    return enum


def test_enum_ir_in_both_dialects(workspace):
    defs, _ = definitions(workspace, "ts")
    status = enum_of(defs, "Status")
    assert [(v.name, v.value, v.python_name) for v in status.values] == [("Queued", "QUEUED", "QUEUED"), ("Running", "RUNNING", "RUNNING")]
    assert [v.loc.line for v in status.values] == [line_of(TS_STATUS, "`Queued`"), line_of(TS_STATUS, "`Running`")]
    assert status.open is False
    finish = enum_of(defs, "FinishReason")
    assert [v.value for v in finish.values] == ["stop", "length"] and finish.open is False
    assert finish.examples == ("stop",)
    opened = enum_of(defs, "OpenReason")
    assert [v.value for v in opened.values] == ["stop", "length"] and opened.open is True
    priority = enum_of(defs, "Priority")
    assert [v.value for v in priority.values] == [1, 2] and priority.open is True
    assert all(type(v.value) is int for v in priority.values)
    assert [v.python_name for v in priority.values] == ["V_1", "V_2"]

    defs, _ = definitions(workspace, "py")
    finish = enum_of(defs, "FinishReason")
    assert [v.value for v in finish.values] == ["stop", "length"] and finish.open is True
    assert [v.loc.line for v in finish.values] == [line_of(PY_FINISH_REASON, '- `"stop"`'), line_of(PY_FINISH_REASON, '- `"length"`')]
    mode = enum_of(defs, "Mode")
    assert [v.value for v in mode.values] == ["fast", "slow"] and mode.open is False


def test_closed_enums_reject_unknown_values(ts_pkg, py_pkg):
    models, rt = ts_pkg.models, ts_pkg.rt
    assert models.Ticket.from_dict({"status": "QUEUED"}).status is models.Status.QUEUED
    assert models.Ticket.from_dict({"finishReason": "length"}).finish_reason is models.FinishReason.LENGTH
    with pytest.raises(rt.ValidationError, match=r"^status: 'BOGUS' is not one of"):
        models.Ticket.from_dict({"status": "BOGUS"})
    with pytest.raises(rt.ValidationError, match=r"^finishReason:"):
        models.Ticket.from_dict({"finishReason": "content_filter"})
    assert models.Ticket.from_dict({"status": "RUNNING"}).to_dict() == {"status": "RUNNING"}
    with pytest.raises(py_pkg.rt.ValidationError, match=r"^mode:"):
        py_pkg.models.Choice.from_dict({"finish_reason": None, "mode": "medium"})
    assert py_pkg.models.Choice.from_dict({"finish_reason": None, "mode": "fast"}).mode is py_pkg.models.Mode.FAST

    for name, bad in (("Status", "BOGUS"), ("FinishReason", "content_filter"), ("FinishReason", 1)):
        assert not validates(ts_pkg.schema(name), bad), (name, bad)
    assert validates(ts_pkg.schema("Status"), "QUEUED")
    assert not validates(py_pkg.schema("Mode"), "medium")


@pytest.mark.parametrize(
    ("pkg_name", "model", "key", "attribute", "enum", "others"),
    [
        ("ts_pkg", "Ticket", "openReason", "open_reason", "OpenReason", {}),
        ("py_pkg", "Choice", "finish_reason", "finish_reason", "FinishReason", {"mode": "fast"}),
    ],
)
def test_open_string_enums_accept_unknown_strings_only(request, pkg_name, model, key, attribute, enum, others):
    pkg = request.getfixturevalue(pkg_name)
    cls, enum_cls = getattr(pkg.models, model), getattr(pkg.models, enum)
    assert getattr(cls.from_dict({key: "stop", **others}), attribute) is enum_cls.STOP
    unknown = {key: "content_filter", **others}
    read = cls.from_dict(unknown)
    assert getattr(read, attribute) == "content_filter"
    assert read.to_dict() == unknown
    for bad in (5, True, ["stop"], {"v": "stop"}):
        with pytest.raises(pkg.rt.ValidationError, match=f"^{key}:"):
            cls.from_dict({key: bad, **others})

    schema = pkg.schema(enum)
    assert validates(schema, "stop") and validates(schema, "content_filter")
    assert not validates(schema, 5) and not validates(schema, None) and not validates(schema, True)


def test_open_integer_enum_accepts_unknown_integers_only(ts_pkg):
    models, rt = ts_pkg.models, ts_pkg.rt
    assert models.Ticket.from_dict({"priority": 1}).priority is models.Priority.V_1
    read = models.Ticket.from_dict({"priority": 7})
    assert read.priority == 7 and read.to_dict() == {"priority": 7}
    schema = ts_pkg.schema("Priority")
    assert validates(schema, 1) and validates(schema, 7)
    for bad in ("7", "1", 1.5):
        assert not validates(schema, bad), bad
        with pytest.raises(rt.ValidationError, match="^priority:"):
            models.Ticket.from_dict({"priority": bad})


def test_integer_enum_rejects_a_boolean(ts_pkg):
    # JSON `true` is not the integer 1: the schema says so, and so must from_dict (else the value
    # would come back out of to_dict as 1, not as it was read).
    assert not validates(ts_pkg.schema("Priority"), True)
    with pytest.raises(ts_pkg.rt.ValidationError, match="^priority:"):
        ts_pkg.models.Ticket.from_dict({"priority": True})


# == 3. literals and deprecated fields =============================================================

TS_EVENT = page(
    f"""
    # Event

    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `kind` | *"text"* | :heavy_check_mark: | N/A |
    | `final` | *true* | :heavy_minus_sign: | N/A |
    | ~~`legacyId`~~ | *string* | :heavy_minus_sign: | The old ID. |
    | `oldName` | *string* | :heavy_minus_sign: | :warning: **DEPRECATED**: Use `kind` instead. |
    | `createdAt` | [Date]({TS_DATE}) | :heavy_check_mark: | When it happened. |
    | `updatedAt` | [Date]({TS_DATE}) | :heavy_minus_sign: | N/A |
    """
)

PY_EVENT = page(
    f"""
    # Event


    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `kind` | *Literal["text"]* | :heavy_check_mark: | N/A |
    | ~~`legacy_id`~~ | *Optional[str]* | :heavy_minus_sign: | The old ID. |
    | `old_name` | *Optional[str]* | :heavy_minus_sign: | :warning: **DEPRECATED**: Use `kind` instead. |
    | `created_at` | [date]({PY_DATE}) | :heavy_check_mark: | When it happened. |
    | `updated_at` | [OptionalNullable[date]]({PY_DATE}) | :heavy_minus_sign: | N/A |
    """
)


def test_literals_and_deprecated_in_ir(workspace):
    event = model_of(definitions(workspace, "ts")[0], "Event")
    assert field_of(event, "kind").type == ir.LiteralValue("text")
    assert field_of(event, "final").type == ir.LiteralValue(True)
    assert [f.doc_name for f in event.fields if f.deprecated] == ["legacyId", "oldName"]
    event = model_of(definitions(workspace, "py")[0], "Event")
    assert field_of(event, "kind").type == ir.LiteralValue("text")
    assert field_of(event, "kind").nullable is False
    assert [f.doc_name for f in event.fields if f.deprecated] == ["legacy_id", "old_name"]


@pytest.mark.parametrize("pkg_name", ["ts_pkg", "py_pkg"])
def test_literals_and_deprecated_in_generated_code(request, pkg_name):
    pkg = request.getfixturevalue(pkg_name)
    models, rt = pkg.models, pkg.rt
    schema = pkg.schema("Event")
    props = schema["properties"]
    legacy, old = ("legacyId", "oldName") if pkg_name == "ts_pkg" else ("legacy_id", "old_name")
    assert props["kind"]["const"] == "text"
    assert props[legacy]["deprecated"] is True
    assert props[old]["deprecated"] is True
    assert "deprecated" not in props["kind"]
    created = "createdAt" if pkg_name == "ts_pkg" else "created_at"
    good = {"kind": "text", created: "2024-12-06T03:31:58.587Z"}
    assert models.Event.from_dict(good).kind == "text"
    assert validates(schema, good)
    for bad_kind in ("other", None, 1):
        with pytest.raises(rt.ValidationError, match="^kind:"):
            models.Event.from_dict({**good, "kind": bad_kind})
        assert not validates(schema, {**good, "kind": bad_kind})
    if pkg_name == "ts_pkg":
        assert props["final"]["anyOf"][0] == {"const": True}  # optional: nullable by the setting
        assert models.Event.from_dict({**good, "final": True}).final is True
        with pytest.raises(rt.ValidationError, match="^final:"):
            models.Event.from_dict({**good, "final": False})
        with pytest.raises(rt.ValidationError, match="^final:"):
            models.Event.from_dict({**good, "final": 1})


# == 4. Python nullability, int and float ==========================================================

PY_PROFILE = page(
    """
    # Profile


    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `nickname` | *OptionalNullable[str]* | :heavy_minus_sign: | N/A |
    | `age` | *Optional[int]* | :heavy_minus_sign: | N/A |
    | `score` | *Nullable[int]* | :heavy_check_mark: | N/A |
    | `tags` | List[*str*] | :heavy_minus_sign: | N/A |
    | `count` | *int* | :heavy_check_mark: | N/A |
    | `ratio` | *float* | :heavy_check_mark: | N/A |
    """
)

# field: (required, nullable with nullable=optional, with nullable=none, decided by)
PROFILE_NULLABILITY = {
    "nickname": (False, True, True, "page"),
    "age": (False, False, False, "page"),
    "score": (True, True, True, "page"),
    "tags": (False, True, False, "setting"),
    "count": (True, False, False, "page"),
    "ratio": (True, False, False, "page"),
}


def test_python_nullability_in_ir(workspace):
    optional = model_of(definitions(workspace, "py")[0], "Profile")
    none = model_of(definitions(workspace, "py", nullable="none")[0], "Profile")
    for name, (required, if_optional, if_none, decided_by) in PROFILE_NULLABILITY.items():
        a, b = field_of(optional, name), field_of(none, name)
        assert (a.required, a.nullable, a.nullable_decided_by) == (required, if_optional, decided_by), name
        assert (b.required, b.nullable, b.nullable_decided_by) == (required, if_none, decided_by), name
        assert a.loc.line == line_of(PY_PROFILE, f"`{name}`")
    assert field_of(optional, "tags").type == ir.Array(STRING)
    assert field_of(optional, "count").type == INTEGER
    assert field_of(optional, "ratio").type == NUMBER
    assert field_of(optional, "age").type == INTEGER


def test_schema_command_shows_who_decided_nullability(workspace):
    result = run_cli(workspace, "schema", "py", "--nullable", "none", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    (profile,) = [d for d in data["definitions"] if d["name"] == "Profile"]
    shown = {f["doc_name"]: (f["nullable"], f["nullable_decided_by"]) for f in profile["fields"]}
    assert shown == {name: (v[2], v[3]) for name, v in PROFILE_NULLABILITY.items()}


@pytest.mark.parametrize("pkg_name", ["py_pkg", "py_none_pkg"])
def test_python_nullability_in_generated_code(request, pkg_name):
    pkg = request.getfixturevalue(pkg_name)
    models, rt = pkg.models, pkg.rt
    schema = pkg.schema("Profile")
    column = 1 if pkg_name == "py_pkg" else 2
    base = {"score": 1, "count": 2, "ratio": 0.5}
    assert models.Profile.from_dict(base).to_dict() == base
    for name, values in PROFILE_NULLABILITY.items():
        value = {**base, name: None}
        if values[column]:
            read = models.Profile.from_dict(value)
            assert getattr(read, name) is None
            assert read.to_dict() == value
            assert validates(schema, value), name
        else:
            with pytest.raises(rt.ValidationError, match=f"^{name}:"):
                models.Profile.from_dict(value)
            assert not validates(schema, value), name
    with pytest.raises(rt.ValidationError, match="^score: required field is missing"):
        models.Profile.from_dict({"count": 2, "ratio": 0.5})


def test_python_int_and_float_stay_apart(py_pkg, ts_pkg):
    models, rt = py_pkg.models, py_pkg.rt
    props = py_pkg.schema("Profile")["properties"]
    assert props["count"]["type"] == "integer"
    assert props["ratio"]["type"] == "number"
    assert props["age"]["type"] == "integer"  # Optional[int]: not nullable
    assert props["score"]["type"] == ["integer", "null"]
    # number takes an int and keeps it as read; integer refuses a float.
    read = models.Profile.from_dict({"score": None, "count": 2, "ratio": 1})
    assert read.ratio == 1 and type(read.to_dict()["ratio"]) is int
    for bad in (1.5, "2", True):
        with pytest.raises(rt.ValidationError, match="^count:"):
            models.Profile.from_dict({"score": None, "count": bad, "ratio": 0.5})
    assert not validates(py_pkg.schema("Profile"), {"score": None, "count": 1.5, "ratio": 0.5})
    # TypeScript's `number` stays a number.
    assert ts_pkg.schema("Weird")["properties"]["class"]["type"] == ["number", "null"]


# == 5. dates ======================================================================================


def test_dates_in_ir(workspace):
    for folder in ("ts", "py"):
        event = model_of(definitions(workspace, folder)[0], "Event")
        created = [f for f in event.fields if f.doc_name in ("createdAt", "created_at")]
        assert [f.type for f in created] == [DATE_TIME], folder
    py_event = model_of(definitions(workspace, "py")[0], "Event")
    updated = field_of(py_event, "updated_at")
    assert updated.type == DATE_TIME and updated.nullable is True and updated.nullable_decided_by == "page"


@pytest.mark.parametrize("pkg_name", ["ts_pkg", "py_pkg"])
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-12-06T03:31:58.587Z", datetime.datetime(2024, 12, 6, 3, 31, 58, 587000, tzinfo=datetime.timezone.utc)),
        (
            "2024-01-01T00:00:00+05:30",
            datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=5, minutes=30))),
        ),
        ("2024-01-01T00:00:00-08:00", datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone(-datetime.timedelta(hours=8)))),
        ("2024-05-29T06:17:13Z", datetime.datetime(2024, 5, 29, 6, 17, 13, tzinfo=datetime.timezone.utc)),
        ("2024-05-29T06:17:13.123456789Z", datetime.datetime(2024, 5, 29, 6, 17, 13, 123456, tzinfo=datetime.timezone.utc)),
    ],
)
def test_date_times_read_as_datetime_and_write_back_their_text(request, pkg_name, text, expected):
    pkg = request.getfixturevalue(pkg_name)
    models, rt = pkg.models, pkg.rt
    created, updated = ("createdAt", "updatedAt") if pkg_name == "ts_pkg" else ("created_at", "updated_at")
    data = {"kind": "text", created: text, updated: text}
    event = models.Event.from_dict(data)
    for value in (getattr(event, "created_at"), getattr(event, "updated_at")):
        assert isinstance(value, datetime.datetime)
        assert isinstance(value, rt.DateTime)
        assert value == expected
        assert value.utcoffset() == expected.utcoffset()
    dumped = event.to_dict()
    assert dumped == data
    assert json.dumps(dumped) == json.dumps(data)
    assert validates(pkg.schema("Event"), data)


@pytest.mark.parametrize("pkg_name", ["ts_pkg", "py_pkg"])
@pytest.mark.parametrize("bad", ["2024-13-01T00:00:00Z", "2024-02-30T00:00:00Z", "yesterday", "2024-01-01", "2024-01-01T00:00:00", 1733455918, None])
def test_bad_date_time_is_a_validation_error(request, pkg_name, bad):
    pkg = request.getfixturevalue(pkg_name)
    created = "createdAt" if pkg_name == "ts_pkg" else "created_at"
    with pytest.raises(pkg.rt.ValidationError, match=f"^{created}:"):
        pkg.models.Event.from_dict({"kind": "text", created: bad})


@pytest.mark.parametrize(
    "copy_of",
    [copy.copy, copy.deepcopy, lambda value: pickle.loads(pickle.dumps(value))],
    ids=["copy", "deepcopy", "pickle"],
)
def test_date_time_text_survives_copies_of_the_model(ts_pkg, copy_of):
    data = {"kind": "text", "createdAt": "2024-12-06T03:31:58.587Z"}
    event = copy_of(ts_pkg.models.Event.from_dict(data))
    assert event.to_dict() == data


def test_date_time_built_in_python_is_written_as_rfc_3339(ts_pkg):
    models = ts_pkg.models
    when = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    event = models.Event(kind="text", created_at=when)
    assert event.to_dict() == {"kind": "text", "createdAt": "2024-01-02T03:04:05Z"}
    assert models.Event.from_dict(event.to_dict()).created_at == when


# == 6. Example Usage and the Example column =======================================================

EX_JOB = page(
    f"""
    # Job

    ## Example Usage

    ```typescript
    import {{ Job }} from "@mistralai/mistralai/models/components";

    let value: Job = {{
      jobId: "job-1",
      createdAt: new Date("2024-12-06T03:31:58.587Z"),
      hyperParams: {{
        learningRate: 0.0001,
      }},
      retryCount: 2,
    }};
    ```

    ## Fields

    | Field | Type | Required | Description | Example |
    | --- | --- | --- | --- | --- |
    | `jobId` | *string* | :heavy_check_mark: | N/A | |
    | `createdAt` | [Date]({TS_DATE}) | :heavy_check_mark: | N/A | 2024-12-06T03:31:58.587Z |
    | `hyperParams` | [components.HyperParams](hyperparams.md) | :heavy_minus_sign: | N/A | |
    | `retryCount` | *number* | :heavy_minus_sign: | How often. | **Example 1:** 1<br/>**Example 2:** 2 |
    """
)

EX_HYPER_PARAMS = page(
    """
    # HyperParams

    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `learningRate` | *number* | :heavy_minus_sign: | N/A |
    """
)

EX_BAD_JOB = page(
    """
    # BadJob

    ## Example Usage

    ```typescript
    import { BadJob } from "@mistralai/mistralai/models/components";

    let value: BadJob = {
      jobId: 42,
      note: "fine",
    };
    ```

    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `jobId` | *string* | :heavy_check_mark: | N/A |
    | `note` | *string* | :heavy_minus_sign: | N/A |
    """
)

EX_PAGES = {"examples/job.md": EX_JOB, "examples/hyperparams.md": EX_HYPER_PARAMS, "examples/badjob.md": EX_BAD_JOB}
JOB_EXAMPLE = {
    "job_id": "job-1",
    "created_at": "2024-12-06T03:31:58.587Z",
    "hyper_params": {"learning_rate": 0.0001},
    "retry_count": 2,
}


@pytest.fixture(scope="module")
def ex_pkg(workspace: Path) -> SimpleNamespace:
    return build(workspace, "ex_pkg", "examples", "--wire-case", "snake")


def test_example_usage_maps_doc_names_to_wire_names(workspace, ex_pkg):
    defs, _ = definitions(workspace, "examples", wire_case="snake")
    job = model_of(defs, "Job")
    assert job.examples == (JOB_EXAMPLE,)
    assert field_of(job, "retryCount").examples == (1, 2)
    assert field_of(job, "createdAt").examples == ("2024-12-06T03:31:58.587Z",)

    schema = ex_pkg.schema("Job")
    assert schema["examples"] == [JOB_EXAMPLE]
    assert list(schema["properties"]) == ["job_id", "created_at", "hyper_params", "retry_count"]
    assert schema["properties"]["retry_count"]["examples"] == [1, 2]
    assert schema["properties"]["created_at"]["examples"] == ["2024-12-06T03:31:58.587Z"]
    assert validates(schema, JOB_EXAMPLE)
    read = ex_pkg.models.Job.from_dict(JOB_EXAMPLE)
    assert read.hyper_params.learning_rate == 0.0001
    assert read.to_dict() == JOB_EXAMPLE


def test_example_contradicting_its_table_is_a_warning_and_left_out(workspace, ex_pkg):
    warnings = [m for line in ex_pkg.result.stderr.splitlines() if (m := WARNING_LINE.match(line))]
    assert len(warnings) == 1, ex_pkg.result.stderr
    (warning,) = warnings
    assert warning["path"] == "examples/badjob.md"
    # At the page's heading or inside its Example Usage block.
    lines = EX_BAD_JOB.split("\n")
    block = range(line_of(EX_BAD_JOB, "```typescript"), line_of(EX_BAD_JOB, "};") + 2)
    assert int(warning["line"]) == line_of(EX_BAD_JOB, "# BadJob") or int(warning["line"]) in block, (warning["line"], lines)
    assert "Example Usage" in warning["message"] and "job_id" in warning["message"]
    assert ex_pkg.result.returncode == 0
    assert "examples" not in ex_pkg.schema("BadJob")
    _, loaded_warnings = definitions(workspace, "examples", wire_case="snake")
    assert [str(w) for w in loaded_warnings] == [warning.group(0)]


# == 7. name-only references and models defined twice =============================================

REF_HOLDER = page(
    """
    # Holder

    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `thing` | *components.Thing* | :heavy_check_mark: | Beside this page. |
    | `remote` | *components.Remote*[] | :heavy_minus_sign: | In another folder, found by name. |
    """
)

REF_THING = page(
    """
    # Thing

    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `label` | *string* | :heavy_check_mark: | N/A |
    """
)

REF_REMOTE = page(
    """
    # Remote

    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `count` | *number* | :heavy_check_mark: | N/A |
    """
)

REF_PAGES = {
    "refs/models/holder.md": REF_HOLDER,
    "refs/models/thing.md": REF_THING,
    "refs/models/shared/remote_page.md": REF_REMOTE,
}


@pytest.fixture(scope="module")
def refs_pkg(workspace: Path) -> SimpleNamespace:
    return build(workspace, "refs_pkg", "refs")


def test_name_only_refs_resolve_to_the_sibling_page_else_by_name(workspace, refs_pkg):
    definition, problems = parse_page("refs/models/holder.md", REF_HOLDER)
    assert problems == [] and isinstance(definition, ir.Model)
    assert field_of(definition, "thing").type == ir.Ref("Thing", "")
    defs, warnings = definitions(workspace, "refs")
    assert warnings == []
    holder = model_of(defs, "Holder")
    assert field_of(holder, "thing").type == ir.Ref("Thing", "refs/models/thing.md")
    assert field_of(holder, "remote").type == ir.Array(ir.Ref("Remote", "refs/models/shared/remote_page.md"))

    models = refs_pkg.models
    data = {"thing": {"label": "x"}, "remote": [{"count": 1}]}
    read = models.Holder.from_dict(data)
    assert type(read.thing) is models.Thing and type(read.remote[0]) is models.Remote
    assert read.to_dict() == data
    assert refs_pkg.schema("Holder")["properties"]["thing"] == {"description": "Beside this page.", "$ref": "#/$defs/Thing"}


def test_name_only_ref_without_a_page_is_an_error_at_its_row(workspace):
    text = page(
        """
        # Lonely

        ## Fields

        | Field | Type | Required | Description |
        | --- | --- | --- | --- |
        | `ok` | *string* | :heavy_check_mark: | N/A |
        | `gone` | *components.Nowhere* | :heavy_check_mark: | N/A |
        """
    )
    write_files(workspace, {"missing/lonely.md": text})
    result = run_cli(workspace, "generate", "missing", "-o", "out/missing_pkg")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[-1] == "docmodels: 1 error, 0 warnings; nothing was written"
    expected = f"missing/lonely.md:{line_of(text, '`gone`')}: error: "
    assert lines[0].startswith(expected), lines
    assert "'Nowhere'" in lines[0]
    assert not (workspace / "out" / "missing_pkg").exists()


DUP_AZURE_WIDGET = page(
    """
    # Widget

    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `size` | *number* | :heavy_check_mark: | N/A |
    """
)

DUP_GCP_WIDGET = page(
    """
    # Widget

    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `colour` | *string* | :heavy_check_mark: | N/A |
    """
)

DUP_GCP_GADGET = page(
    """
    # Gadget

    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `part` | *components.Widget* | :heavy_check_mark: | The Widget beside this page. |
    """
)

DUP_PAGES = {
    "dup/azure/models/widget.md": DUP_AZURE_WIDGET,
    "dup/gcp/models/widget.md": DUP_GCP_WIDGET,
    "dup/gcp/models/gadget.md": DUP_GCP_GADGET,
}


@pytest.fixture(scope="module")
def dup_pkg(workspace: Path) -> SimpleNamespace:
    return build(workspace, "dup_pkg", "dup")


def test_same_model_in_two_folders_qualifies_the_later_one(workspace, dup_pkg):
    warnings = [m for line in dup_pkg.result.stderr.splitlines() if (m := WARNING_LINE.match(line))]
    assert [(w["path"], int(w["line"])) for w in warnings] == [("dup/gcp/models/widget.md", line_of(DUP_GCP_WIDGET, "# Widget"))]
    assert "dup/azure/models/widget.md" in warnings[0]["message"]
    assert "'GcpWidget'" in warnings[0]["message"]

    defs, _ = definitions(workspace, "dup")
    assert sorted(defs) == ["Gadget", "GcpWidget", "Widget"]
    assert [f.doc_name for f in model_of(defs, "Widget").fields] == ["size"]
    assert [f.doc_name for f in model_of(defs, "GcpWidget").fields] == ["colour"]
    # The name-only ref on the gcp page means the Widget beside it, which is now GcpWidget.
    assert field_of(model_of(defs, "Gadget"), "part").type == ir.Ref("GcpWidget", "dup/gcp/models/widget.md")

    models = dup_pkg.models
    assert [f.name for f in dataclasses.fields(models.Widget)] == ["size", "additional_properties"]
    assert [f.name for f in dataclasses.fields(models.GcpWidget)] == ["colour", "additional_properties"]
    gadget = models.Gadget.from_dict({"part": {"colour": "red"}})
    assert type(gadget.part) is models.GcpWidget
    assert gadget.to_dict() == {"part": {"colour": "red"}}
    assert models.Widget.from_dict({"size": 3}).size == 3
    assert {p.name for p in (dup_pkg.out / "jsonschema").iterdir()} == {"Gadget.json", "GcpWidget.json", "Widget.json"}
    assert dup_pkg.schema("GcpWidget")["title"] == "GcpWidget"


# == 8. field names that are keywords or not identifiers ==========================================

TS_WEIRD = page(
    """
    # Weird

    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `from` | *string* | :heavy_check_mark: | A keyword. |
    | `type` | *string* | :heavy_minus_sign: | A builtin. |
    | `$ref` | *string* | :heavy_minus_sign: | Not an identifier. |
    | `2fa` | *boolean* | :heavy_minus_sign: | Starts with a digit. |
    | `class` | *number* | :heavy_minus_sign: | Another keyword. |
    """
)

WEIRD_NAMES = {"from": "from_", "type": "type", "$ref": "ref", "2fa": "f_2fa", "class": "class_"}


def test_keyword_and_non_identifier_field_names(workspace, ts_pkg):
    weird = model_of(definitions(workspace, "ts")[0], "Weird")
    assert {f.wire_name: f.python_name for f in weird.fields} == WEIRD_NAMES

    models = ts_pkg.models
    assert [f.name for f in dataclasses.fields(models.Weird)] == [*WEIRD_NAMES.values(), "additional_properties"]
    data = {"from": "a", "type": "t", "$ref": "#/x", "2fa": True, "class": 3}
    read = models.Weird.from_dict(data)
    assert (read.from_, read.type, read.ref, read.f_2fa, read.class_) == ("a", "t", "#/x", True, 3)
    assert read.additional_properties == {}
    assert read.to_dict() == data
    assert models.Weird(from_="b").to_dict() == {"from": "b"}
    with pytest.raises(ts_pkg.rt.ValidationError, match=r"^\$ref:"):
        models.Weird.from_dict({"from": "a", "$ref": 1})

    typeddicts = (ts_pkg.out / "typeddicts.py").read_text(encoding="utf-8")
    assert re.search(r"^Weird = TypedDict\(\n\s+\"Weird\",", typeddicts, re.MULTILINE), typeddicts
    for key in WEIRD_NAMES:
        assert f'"{key}": ' in typeddicts
    assert set(ts_pkg.typeddicts.Weird.__annotations__) == set(WEIRD_NAMES)
    assert set(ts_pkg.schema("Weird")["properties"]) == set(WEIRD_NAMES)


MYPY_USAGE = """\
from ts_pkg.models import Weird as WeirdModel
from ts_pkg.typeddicts import Weird

ok: Weird = {"from": "a", "$ref": "#/x", "2fa": True}
only_required: Weird = {"from": "a"}
wrong: Weird = {"from": 1}  # type: ignore[typeddict-item]
missing: Weird = {"$ref": "x"}  # type: ignore[typeddict-item]
model = WeirdModel(from_="a", class_=1.5)
"""


def test_mypy_strict_passes_on_the_generated_packages(workspace, request):
    for package in PACKAGES:
        request.getfixturevalue(package)
    # `--warn-unused-ignores` (part of --strict) makes each `type: ignore` above an assertion that
    # mypy does see the error on that line: the functional TypedDict is understood, not skipped.
    (workspace / "out" / "usage.py").write_text(MYPY_USAGE, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(workspace / ".mypy_cache"),
         *PACKAGES, "usage.py"],
        cwd=workspace / "out",
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]


# == 9. a folder of both dialects ==================================================================

MIXED_TS = page(
    """
    # TsModel

    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `count` | *number* | :heavy_check_mark: | N/A |
    | `pyModel` | [components.PyModel](pymodel.md) | :heavy_minus_sign: | N/A |
    """
)

MIXED_PY = page(
    """
    # PyModel


    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `size` | *int* | :heavy_check_mark: | N/A |
    | `note` | *Optional[str]* | :heavy_minus_sign: | N/A |
    """
)


MIXED_PAGES = {"mixed/tsmodel.md": MIXED_TS, "mixed/pymodel.md": MIXED_PY}


@pytest.fixture(scope="module")
def mixed_pkg(workspace: Path) -> SimpleNamespace:
    return build(workspace, "mixed_pkg", "mixed")


def test_mixed_folder_parses_each_page_in_its_dialect(workspace, mixed_pkg):
    defs, warnings = definitions(workspace, "mixed")
    assert warnings == []
    ts_model, py_model = model_of(defs, "TsModel"), model_of(defs, "PyModel")
    assert field_of(ts_model, "count").type == NUMBER
    assert field_of(ts_model, "count").nullable_decided_by == "setting"
    assert field_of(ts_model, "pyModel").type == ir.Ref("PyModel", "mixed/pymodel.md")
    assert field_of(py_model, "size").type == INTEGER
    assert (field_of(py_model, "note").nullable, field_of(py_model, "note").nullable_decided_by) == (False, "page")

    models, rt = mixed_pkg.models, mixed_pkg.rt
    data = {"count": 1.5, "pyModel": {"size": 2, "note": "n"}}
    read = models.TsModel.from_dict(data)
    assert type(read.py_model) is models.PyModel
    assert read.to_dict() == data
    with pytest.raises(rt.ValidationError, match=r"^pyModel\.size:"):
        models.TsModel.from_dict({"count": 1, "pyModel": {"size": 2.5}})
    with pytest.raises(rt.ValidationError, match=r"^pyModel\.note:"):
        models.TsModel.from_dict({"count": 1, "pyModel": {"size": 2, "note": None}})


# == 10. an options page with a model in a later section ==========================================

OPT_RETRY_CONFIG = page(
    """
    # RetryConfig

    Allows customizing the default retry configuration. Only usable with methods that mention they support retries.

    ## Fields

    | Name                      | Type                                | Description                             | Example   |
    | ------------------------- | ----------------------------------- | --------------------------------------- | --------- |
    | `strategy`                | `*str*`                             | The retry strategy to use.              | `backoff` |
    | `backoff`                 | [BackoffStrategy](#backoffstrategy) | Configuration for the backoff strategy. |           |
    | `retry_connection_errors` | `*bool*`                            | Whether to retry on connection errors.  | `true`    |

    ## BackoffStrategy

    The backoff strategy allows retrying a request with an exponential backoff between each retry.

    ### Fields

    | Name               | Type      | Description                               | Example  |
    | ------------------ | --------- | ----------------------------------------- | -------- |
    | `initial_interval` | `*int*`   | The initial interval in milliseconds.     | `500`    |
    | `max_interval`     | `*int*`   | The maximum interval in milliseconds.     | `60000`  |
    | `exponent`         | `*float*` | The exponent to use for the backoff.      | `1.5`    |
    | `max_elapsed_time` | `*int*`   | The maximum elapsed time in milliseconds. | `300000` |
    """
)


OPT_PAGES = {"options/retryconfig.md": OPT_RETRY_CONFIG}


@pytest.fixture(scope="module")
def opt_pkg(workspace: Path) -> SimpleNamespace:
    return build(workspace, "opt_pkg", "options")


def test_options_page_generates_both_models(workspace, opt_pkg):
    defs, warnings = definitions(workspace, "options")
    assert warnings == []
    assert sorted(defs) == ["BackoffStrategy", "RetryConfig"]
    retry, backoff = model_of(defs, "RetryConfig"), model_of(defs, "BackoffStrategy")
    assert retry.description.startswith("Allows customizing")
    assert backoff.description.startswith("The backoff strategy allows")
    assert backoff.loc == ir.SourceLoc("options/retryconfig.md", line_of(OPT_RETRY_CONFIG, "## BackoffStrategy"))
    assert field_of(retry, "backoff").type == ir.Ref("BackoffStrategy", "options/retryconfig.md#backoffstrategy")
    assert all(f.required and f.nullable is False for f in retry.fields + backoff.fields)
    assert field_of(retry, "strategy").examples == ("backoff",)
    assert field_of(retry, "retry_connection_errors").examples == (True,)
    assert [(f.doc_name, f.type, f.examples) for f in backoff.fields] == [
        ("initial_interval", INTEGER, (500,)),
        ("max_interval", INTEGER, (60000,)),
        ("exponent", NUMBER, (1.5,)),
        ("max_elapsed_time", INTEGER, (300000,)),
    ]

    models, rt = opt_pkg.models, opt_pkg.rt
    data = {
        "strategy": "backoff",
        "backoff": {"initial_interval": 500, "max_interval": 60000, "exponent": 1.5, "max_elapsed_time": 300000},
        "retry_connection_errors": True,
    }
    read = models.RetryConfig.from_dict(data)
    assert type(read.backoff) is models.BackoffStrategy
    assert read.backoff.exponent == 1.5
    assert read.to_dict() == data
    with pytest.raises(rt.ValidationError, match=r"^backoff\.max_interval: required field is missing"):
        models.RetryConfig.from_dict({**data, "backoff": {"initial_interval": 1, "exponent": 2, "max_elapsed_time": 3}})
    schema = opt_pkg.schema("RetryConfig")
    assert schema["properties"]["backoff"]["$ref"] == "#/$defs/BackoffStrategy"
    assert schema["$defs"]["BackoffStrategy"]["required"] == ["initial_interval", "max_interval", "exponent", "max_elapsed_time"]
    assert validates(schema, data)
    assert opt_pkg.schema("BackoffStrategy")["properties"]["exponent"]["examples"] == [1.5]


# -- the page sets the packages are generated from -------------------------------------------------

TS_PAGES = {
    f"{TS}/assistantmessage.md": TS_ASSISTANT_MESSAGE,
    f"{TS}/usermessage.md": TS_USER_MESSAGE,
    f"{TS}/usermessagecontent.md": TS_USER_MESSAGE_CONTENT,
    f"{TS}/contentchunk.md": TS_CONTENT_CHUNK,
    f"{TS}/message.md": TS_MESSAGE,
    f"{TS}/status.md": TS_STATUS,
    f"{TS}/finishreason.md": TS_FINISH_REASON,
    f"{TS}/openreason.md": TS_OPEN_REASON,
    f"{TS}/priority.md": TS_PRIORITY,
    f"{TS}/ticket.md": TS_TICKET,
    f"{TS}/event.md": TS_EVENT,
    f"{TS}/weird.md": TS_WEIRD,
}

PY_PAGES = {
    f"{PY}/assistantmessage.md": PY_ASSISTANT_MESSAGE,
    f"{PY}/usermessage.md": PY_USER_MESSAGE,
    f"{PY}/usermessagecontent.md": PY_USER_MESSAGE_CONTENT,
    f"{PY}/contentchunk.md": PY_CONTENT_CHUNK,
    f"{PY}/message.md": PY_MESSAGE,
    f"{PY}/stop.md": PY_STOP,
    f"{PY}/finishreason.md": PY_FINISH_REASON,
    f"{PY}/mode.md": PY_MODE,
    f"{PY}/choice.md": PY_CHOICE,
    f"{PY}/event.md": PY_EVENT,
    f"{PY}/profile.md": PY_PROFILE,
}
