"""Evidence over defaults: a `null` in a page's own example is evidence that the field accepts
null (decided by `example`); an example that contradicts its page in any other way stays a docs
warning and is left out. Small inline pages, read in-process (the IR) and generated once with
`--nullable none` (so nothing but the evidence makes an optional field nullable), then imported."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jsonschema
import pytest

from docmodels import ir
from docmodels.overrides import FieldOverride
from docmodels.resolve import Settings, load_schema
from pages import line_of, page, run_cli, write_files

PYPROJECT = "[project]\nname = 'tmp'\n\n[tool.docmodels]\n"
TS_DATE = "https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Date"
NO_LOC = ir.SourceLoc("", 0)

SPAN = page(
    f"""
    # Span

    ## Example Usage

    ```typescript
    import {{ Span }} from "@mistralai/mistralai/models/components";

    let value: Span = {{
      name: null,
      deletedAt: null,
      score: 2,
    }};
    ```

    ## Fields

    | Field | Type | Required | Description | Example |
    | --- | --- | --- | --- | --- |
    | `name` | *string* | :heavy_check_mark: | Required, yet null in the example. | |
    | `deletedAt` | [Date]({TS_DATE}) | :heavy_minus_sign: | Null in the example. | |
    | `score` | *number* | :heavy_minus_sign: | An integer example in a number field. | 3 |
    | `count` | *number* | :heavy_minus_sign: | Text in a number field. | many |
    | `reason` | *string* | :heavy_minus_sign: | The Go-based generator's null. | <nil> |
    | `status` | [components.Status](status.md) | :heavy_minus_sign: | An enum, null in its Example cell. | null |
    | `label` | *string* | :heavy_minus_sign: | No example: the setting decides. | |
    """
)
STATUS = page(
    """
    # Status

    ## Values

    ```typescript
    "open" | "closed"
    ```
    """
)
HOLDER = page(
    """
    # Holder

    ## Example Usage

    ```typescript
    import { Holder } from "@mistralai/mistralai/models/components";

    let value: Holder = {
      child: {
        text: null,
      },
    };
    ```

    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `child` | [components.Child](child.md) | :heavy_check_mark: | N/A |
    """
)
CHILD = page(
    """
    # Child

    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `text` | *string* | :heavy_check_mark: | Null only in another page's example. |
    """
)
# The Python docs wrap every nullable type, so a bare `str` on a required field says "not null".
NOTE = page(
    """
    # Note

    ## Fields

    | Field | Type | Required | Description | Example |
    | --- | --- | --- | --- | --- |
    | `text` | *str* | :heavy_check_mark: | N/A | null |
    | `size` | *int* | :heavy_check_mark: | N/A | 1.5 |
    """
)
PAGES = {"ev/span.md": SPAN, "ev/status.md": STATUS, "ev/holder.md": HOLDER, "ev/child.md": CHILD, "py/note.md": NOTE}
SPAN_EXAMPLE = {"name": None, "deletedAt": None, "score": 2}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("evidence")
    write_files(base, {"pyproject.toml": PYPROJECT + '\n[tool.docmodels.dialect]\n"py" = "python"\n"ev" = "typescript"\n', **PAGES})
    yield base


def resolved(base: Path, folder: str, **settings: Any) -> tuple[dict[str, ir.Definition], list[str]]:
    schema, warnings = load_schema([base / folder], (), Settings(**settings), base)
    return {d.name: d for d in schema.definitions}, [str(w) for w in warnings]


def field(defs: dict[str, ir.Definition], model: str, name: str) -> ir.Field:
    definition = defs[model]
    assert isinstance(definition, ir.Model)
    (found,) = [f for f in definition.fields if f.doc_name == name]
    return found


@pytest.fixture(scope="module")
def generated(project: Path) -> SimpleNamespace:
    result = run_cli(project, "generate", "ev", "-o", "out/ev_pkg", "--nullable", "none", "--dialect", "typescript")
    assert result.returncode == 0, result.stderr
    sys.path.insert(0, str(project / "out"))
    try:
        models = importlib.import_module("ev_pkg.models")
        rt = importlib.import_module("ev_pkg._runtime")
    finally:
        sys.path.remove(str(project / "out"))
    yield SimpleNamespace(result=result, models=models, rt=rt, schema=lambda name: json.loads((project / "out/ev_pkg/jsonschema" / f"{name}.json").read_text(encoding="utf-8")))
    for name in [m for m in sys.modules if m.split(".")[0] == "ev_pkg"]:
        del sys.modules[name]


def test_null_at_a_key_of_example_usage_makes_that_field_nullable(project):
    defs, warnings = resolved(project, "ev", nullable="none")
    assert (field(defs, "Span", "name").nullable, field(defs, "Span", "name").nullable_decided_by) == (True, "example")
    assert field(defs, "Span", "name").required is True  # still required: null is a value
    assert (field(defs, "Span", "deletedAt").nullable, field(defs, "Span", "deletedAt").nullable_decided_by) == (True, "example")
    assert (field(defs, "Span", "label").nullable, field(defs, "Span", "label").nullable_decided_by) == (False, "setting")
    assert defs["Span"].examples == (SPAN_EXAMPLE,)  # kept, not left out
    assert not any("Example Usage" in w and "span.md" in w for w in warnings), warnings


def test_null_or_nil_in_an_example_cell_makes_that_field_nullable(project):
    defs, _ = resolved(project, "ev", nullable="none")
    for name in ("reason", "status"):
        f = field(defs, "Span", name)
        assert (f.nullable, f.nullable_decided_by, f.examples) == (True, "example", (None,)), name


def test_evidence_beats_what_the_dialect_says_by_omission(project):
    """A required bare `str` in the Python docs says "not null"; the page's own null says otherwise."""
    defs, warnings = resolved(project, "py", dialects={"": "python"})
    text = field(defs, "Note", "text")
    assert (text.nullable, text.nullable_decided_by, text.examples) == (True, "example", (None,))
    assert not any("'text'" in w for w in warnings), warnings


def test_an_integer_in_a_number_field_is_no_evidence_of_anything(project):
    defs, warnings = resolved(project, "ev", nullable="none")
    score = field(defs, "Span", "score")
    assert (score.type, score.examples, score.nullable) == (ir.Primitive("number"), (3,), False)
    assert not any("'score'" in w for w in warnings), warnings


def test_other_contradictions_stay_warnings(project):
    """Text in a number field, a float in an integer field: the example is left out, the field as the page says."""
    defs, warnings = resolved(project, "ev", nullable="none")
    count = field(defs, "Span", "count")
    assert (count.type, count.examples, count.nullable) == (ir.Primitive("number"), (), False)
    at = line_of(SPAN, "`count`")
    assert f"ev/span.md:{at}: warning: example of field 'count' does not fit its type: \"many\" is not a number; left out" in warnings
    defs, warnings = resolved(project, "py", dialects={"": "python"})
    size = field(defs, "Note", "size")
    assert (size.type, size.examples, size.nullable) == (ir.Primitive("integer"), (), False)
    assert any("'size'" in w and "1.5 is not an integer" in w for w in warnings), warnings


def test_a_null_inside_a_nested_object_is_not_evidence(project):
    """Evidence is about the page's own fields: Holder's example says nothing Child's page says."""
    defs, warnings = resolved(project, "ev", nullable="none")
    text = field(defs, "Child", "text")
    assert (text.nullable, text.nullable_decided_by) == (False, "setting")
    assert defs["Holder"].examples == ()
    assert any("ev/holder.md" in w and "child: text: null is not a string" in w for w in warnings), warnings


def test_an_override_beats_the_evidence(project):
    overrides = {("Span", "deletedAt"): FieldOverride(NO_LOC, NO_LOC, nullable=False)}
    defs, warnings = resolved(project, "ev", nullable="none", overrides=overrides)
    deleted = field(defs, "Span", "deletedAt")
    assert (deleted.nullable, deleted.nullable_decided_by) == (False, "override")
    assert defs["Span"].examples == ()  # now it contradicts the field as overridden
    assert any("deletedAt: null is not an RFC 3339 date-time" in w for w in warnings), warnings


def test_schema_shows_who_decided(project):
    result = run_cli(project, "schema", "ev", "--nullable", "none", "--dialect", "typescript", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    span = next(d for d in data["definitions"] if d["name"] == "Span")
    decided = {f["doc_name"]: f["nullable_decided_by"] for f in span["fields"]}
    assert decided == {"name": "example", "deletedAt": "example", "score": "setting", "count": "setting", "reason": "example", "status": "example", "label": "setting"}


def test_generated_code_accepts_the_null_the_example_shows(generated):
    Span, rt = generated.models.Span, generated.rt
    read = Span.from_dict({"name": None, "deletedAt": None, "reason": None, "status": None})
    assert (read.name, read.deleted_at, read.reason, read.status) == (None, None, None, None)
    assert read.to_dict() == {"name": None, "deletedAt": None, "reason": None, "status": None}
    with pytest.raises(rt.ValidationError):
        Span.from_dict({"name": "a", "label": None})  # no evidence for label: --nullable none holds
    with pytest.raises(rt.ValidationError):
        generated.models.Child.from_dict({"text": None})


def test_the_kept_example_validates_against_its_schema(generated):
    schema = generated.schema("Span")
    assert schema["examples"] == [SPAN_EXAMPLE]
    jsonschema.validate(SPAN_EXAMPLE, schema)
    assert generated.models.Span.from_dict(SPAN_EXAMPLE).to_dict() == SPAN_EXAMPLE
    assert "examples" not in generated.schema("Holder")
