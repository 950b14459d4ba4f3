"""Generated code that does not fight the user: it never writes what it cannot read back, a
field with one possible value needs no argument, the keys of `additionalProperties` are one typed
attribute, a union chooses each of its members for the values that member fits best, and what
the pages mark deprecated says so to tools without making noise when data is read.

The pages below are generated once (`docmodels generate`, as a subprocess, as a user runs it)
into one package per dialect, imported, and exercised; one mypy --strict run covers both
packages and a usage file.
"""

from __future__ import annotations

import ast
import dataclasses
import datetime
import importlib
import inspect
import json
import subprocess
import sys
import warnings
import zoneinfo
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docmodels import render
from docmodels.resolve import Settings, load_schema
from pages import page, run_cli, write_files

PACKAGES = ("gc_ts", "gc_py")
TS = "ts/models/components"
PY = "py/models"
TS_DATE = "https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Date"

TS_PAGES = {
    f"{TS}/usermessage.md": page(
        """
        # UserMessage

        ## Fields

        | Field | Type | Required | Description |
        | --- | --- | --- | --- |
        | `content` | *string* | :heavy_check_mark: | N/A |
        | `role` | *"user"* | :heavy_check_mark: | N/A |
        | `version` | *2* | :heavy_check_mark: | N/A |
        | `name` | *string* | :heavy_minus_sign: | N/A |
        """
    ),
    f"{TS}/stamp.md": page(
        f"""
        # Stamp

        ## Fields

        | Field | Type | Required | Description |
        | --- | --- | --- | --- |
        | `at` | [Date]({TS_DATE}) | :heavy_check_mark: | N/A |
        | `history` | [Date]({TS_DATE})[] | :heavy_minus_sign: | N/A |
        """
    ),
    f"{TS}/log.md": page(
        """
        # Log

        ## Fields

        | Field | Type | Required | Description |
        | --- | --- | --- | --- |
        | `stamps` | [components.Stamp](stamp.md)[] | :heavy_check_mark: | N/A |
        """
    ),
    f"{TS}/schedule.md": page(
        f"""
        # Schedule

        ## Fields

        | Field | Type | Required | Description |
        | --- | --- | --- | --- |
        | `additionalProperties` | Record<string, [Date]({TS_DATE})> | :heavy_minus_sign: | N/A |
        """
    ),
    f"{TS}/tsextrascamel.md": page(
        """
        # TsExtrasCamel

        ## Fields

        | Field | Type | Required | Description |
        | --- | --- | --- | --- |
        | `name` | *string* | :heavy_check_mark: | N/A |
        | `additionalProperties` | Record<string, *number*> | :heavy_minus_sign: | N/A |
        """
    ),
    f"{TS}/tsextrassnake.md": page(
        """
        # TsExtrasSnake

        ## Fields

        | Field | Type | Required | Description |
        | --- | --- | --- | --- |
        | `name` | *string* | :heavy_check_mark: | N/A |
        | `additional_properties` | Record<string, *number*> | :heavy_minus_sign: | N/A |
        """
    ),
    f"{TS}/realfield.md": page(
        """
        # RealField

        ## Fields

        | Field | Type | Required | Description |
        | --- | --- | --- | --- |
        | `additional_properties` | [components.Stamp](stamp.md) | :heavy_check_mark: | A real field that happens to be named so. |
        | `note` | *string* | :heavy_minus_sign: | N/A |
        """
    ),
    f"{TS}/legacy.md": page(
        """
        # ~~Legacy~~

        Old payload.

        ## Fields

        | Field | Type | Required | Description |
        | --- | --- | --- | --- |
        | ~~`oldId`~~ | *string* | :heavy_minus_sign: | The old ID. |
        | `oldName` | *string* | :heavy_minus_sign: | :warning: **DEPRECATED**: Use `name` instead. |
        | `name` | *string* | :heavy_minus_sign: | N/A |
        """
    ),
}

PY_PAGES = {
    f"{PY}/small.md": page(
        """
        # Small


        ## Fields

        | Field | Type | Required | Description |
        | --- | --- | --- | --- |
        | `a` | *int* | :heavy_check_mark: | N/A |
        | `b` | *OptionalNullable[int]* | :heavy_minus_sign: | N/A |
        """
    ),
    f"{PY}/big.md": page(
        """
        # Big


        ## Fields

        | Field | Type | Required | Description |
        | --- | --- | --- | --- |
        | `a` | *int* | :heavy_check_mark: | N/A |
        | `b` | *int* | :heavy_check_mark: | N/A |
        """
    ),
    f"{PY}/mode.md": page(
        """
        # ~~Mode~~


        ## Values

        - `"fast"`
        - `"slow"`
        """
    ),
    # The members in the worst order: the most general first.
    f"{PY}/value.md": page(
        """
        # ~~Value~~


        ## Supported Types

        ### `str`

        ```python
        value: str = /* values here */
        ```

        ### `float`

        ```python
        value: float = /* values here */
        ```

        ### `models.Small`

        ```python
        value: models.Small = /* values here */
        ```

        ### `datetime`

        ```python
        value: datetime = /* values here */
        ```

        ### `int`

        ```python
        value: int = /* values here */
        ```

        ### `Literal["auto"]`

        ```python
        value: Literal["auto"] = /* values here */
        ```

        ### `models.Mode`

        ```python
        value: models.Mode = /* values here */
        ```

        ### `models.Big`

        ```python
        value: models.Big = /* values here */
        ```
        """
    ),
    f"{PY}/holder.md": page(
        """
        # Holder


        ## Fields

        | Field | Type | Required | Description |
        | --- | --- | --- | --- |
        | `value` | [models.Value](value.md) | :heavy_check_mark: | N/A |
        | `mode` | [Optional[models.Mode]](mode.md) | :heavy_minus_sign: | :warning: **DEPRECATED**: Use `value`. |
        | `role` | *Literal["system"]* | :heavy_check_mark: | N/A |
        """
    ),
    f"{PY}/diary.md": page(
        """
        # Diary


        ## Fields

        | Field | Type | Required | Description |
        | --- | --- | --- | --- |
        | `day` | [datetime](https://docs.python.org/3/library/datetime.html#datetime-objects) | :heavy_check_mark: | N/A |
        """
    ),
    f"{PY}/pyextrascamel.md": page(
        """
        # PyExtrasCamel


        ## Fields

        | Field | Type | Required | Description |
        | --- | --- | --- | --- |
        | `name` | *str* | :heavy_check_mark: | N/A |
        | `additionalProperties` | Dict[str, *int*] | :heavy_minus_sign: | N/A |
        """
    ),
    f"{PY}/pyextrassnake.md": page(
        """
        # PyExtrasSnake


        ## Fields

        | Field | Type | Required | Description |
        | --- | --- | --- | --- |
        | `name` | *str* | :heavy_check_mark: | N/A |
        | `additional_properties` | Dict[str, *int*] | :heavy_minus_sign: | N/A |
        """
    ),
    # The Python SDK's pydantic models name the same row after pydantic's attribute.
    f"{PY}/pyextraspydantic.md": page(
        """
        # PyExtrasPydantic


        ## Fields

        | Field | Type | Required | Description |
        | --- | --- | --- | --- |
        | `name` | *str* | :heavy_check_mark: | N/A |
        | `__pydantic_extra__` | Dict[str, *int*] | :heavy_minus_sign: | N/A |
        """
    ),
}

USAGE = """\
from __future__ import annotations

import datetime

from gc_py.models import Holder, Small
from gc_ts.models import Stamp, UserMessage

message = UserMessage(content="hi")  # role and version have their only values as defaults
holder = Holder(value=Small(a=1))  # role too
stamp = Stamp(at=datetime.datetime.now(datetime.timezone.utc))
UserMessage(content="hi", role="assistant")  # type: ignore[arg-type]
"""


@pytest.fixture(scope="module")
def pkgs(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    base = tmp_path_factory.mktemp("generated_code")
    write_files(base, {"pyproject.toml": "[project]\nname = 'tmp'\n\n[tool.docmodels]\n", **TS_PAGES, **PY_PAGES})
    (base / "out").mkdir()
    for package, folder in zip(PACKAGES, ("ts", "py")):
        result = run_cli(base, "generate", folder, "-o", f"out/{package}")
        assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(base / "out"))
    try:
        yield SimpleNamespace(
            base=base,
            ts=importlib.import_module("gc_ts.models"),
            py=importlib.import_module("gc_py.models"),
            rt=importlib.import_module("gc_ts._runtime"),
            py_rt=importlib.import_module("gc_py._runtime"),
        )
    finally:
        sys.path.remove(str(base / "out"))
        for name in [m for m in sys.modules if m.split(".")[0] in PACKAGES]:
            del sys.modules[name]


def schema_of(pkgs: SimpleNamespace, package: str, name: str) -> dict[str, Any]:
    return json.loads((pkgs.base / "out" / package / "jsonschema" / f"{name}.json").read_text(encoding="utf-8"))


def test_mypy_strict_passes_on_the_packages_and_their_use(pkgs: SimpleNamespace) -> None:
    (pkgs.base / "out" / "usage.py").write_text(USAGE, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(pkgs.base / ".mypy_cache"), *PACKAGES, "usage.py"],
        cwd=pkgs.base / "out",
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]


# == 1. datetimes: to_dict writes only what from_dict reads back ====================================


def test_naive_datetime_is_a_validation_error_at_to_dict_with_its_path(pkgs: SimpleNamespace) -> None:
    ts, rt = pkgs.ts, pkgs.rt
    naive = datetime.datetime(2024, 5, 1, 12, 30)
    with pytest.raises(rt.ValidationError, match=r"^at: datetime 2024-05-01T12:30:00 has no time zone") as caught:
        ts.Stamp(at=naive).to_dict()
    assert caught.value.path == "at"
    utc = datetime.datetime(2024, 5, 1, 12, 30, tzinfo=datetime.timezone.utc)
    with pytest.raises(rt.ValidationError, match=r"^history\[1\]: datetime .* has no time zone"):
        ts.Stamp(at=utc, history=[utc, naive]).to_dict()
    with pytest.raises(rt.ValidationError, match=r"^stamps\[0\]\.history\[0\]: "):
        ts.Log(stamps=[ts.Stamp(at=utc, history=[naive])]).to_dict()
    schedule = ts.Schedule.from_dict({"start": "2024-05-01T12:30:00+02:00"})
    assert schedule.to_dict() == {"start": "2024-05-01T12:30:00+02:00"}
    schedule.additional_properties["end"] = naive
    with pytest.raises(rt.ValidationError, match=r"^end: datetime .* has no time zone"):  # as from_dict says it
        schedule.to_dict()
    # The reading side stays RFC 3339: an offset is required.
    with pytest.raises(rt.ValidationError, match="^at: expected an RFC 3339 date-time"):
        ts.Stamp.from_dict({"at": "2024-05-01T12:30:00"})


def test_aware_datetime_is_written_as_rfc_3339(pkgs: SimpleNamespace) -> None:
    ts = pkgs.ts
    utc = datetime.datetime(2024, 5, 1, 12, 30, 0, 250000, tzinfo=datetime.timezone.utc)
    assert ts.Stamp(at=utc).to_dict() == {"at": "2024-05-01T12:30:00.250000Z"}
    if "Europe/Paris" in NAMED_ZONES:
        paris = datetime.datetime(2024, 5, 1, 12, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))
        assert ts.Stamp(at=paris).to_dict() == {"at": "2024-05-01T12:30:00+02:00"}
    # RFC 3339 offsets are whole minutes: another offset is written as the same instant in UTC.
    odd = datetime.datetime(2024, 5, 1, 12, 30, tzinfo=datetime.timezone(datetime.timedelta(minutes=1, seconds=30)))
    assert ts.Stamp(at=odd).to_dict() == {"at": "2024-05-01T12:28:30Z"}


def _zone_exists(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


# Zones with folds and gaps, offsets of 30 and 45 minutes; those the system has (Windows needs tzdata).
NAMED_ZONES = [z for z in ("Europe/Paris", "America/St_Johns", "Asia/Kathmandu", "Australia/Lord_Howe") if _zone_exists(z)]


def _zones() -> st.SearchStrategy[datetime.tzinfo | None]:
    offsets = st.timedeltas(min_value=datetime.timedelta(hours=-23, minutes=-59), max_value=datetime.timedelta(hours=23, minutes=59))
    zones: st.SearchStrategy[datetime.tzinfo | None] = st.none() | offsets.map(datetime.timezone)
    return zones | st.sampled_from(NAMED_ZONES).map(zoneinfo.ZoneInfo) if NAMED_ZONES else zones


@settings(max_examples=300, deadline=None)
@given(when=st.datetimes(timezones=_zones()), history=st.lists(st.datetimes(timezones=_zones()), max_size=3))
def test_any_datetime_either_is_refused_or_round_trips(pkgs: SimpleNamespace, when: datetime.datetime, history: list[datetime.datetime]) -> None:
    ts, rt = pkgs.ts, pkgs.rt
    stamp = ts.Stamp(at=when, history=history)
    try:
        data = stamp.to_dict()
    except rt.ValidationError as exc:
        assert "no time zone" in exc.message or "out of range in UTC" in exc.message
        assert any(d.utcoffset() is None or d.utcoffset() % datetime.timedelta(minutes=1) for d in [when, *history])
        return
    assert all(d.utcoffset() is not None for d in [when, *history])
    read = ts.Stamp.from_dict(json.loads(json.dumps(data)))
    # The same instants (`-`, not `==`: `==` between zones is False for a time in a fold or gap)
    for got, expected in zip([read.at, *read.history], [when, *history]):
        assert got - expected == datetime.timedelta(0)
    assert read.to_dict() == data


def test_datetime_in_a_date_field_is_a_validation_error_at_to_dict(pkgs: SimpleNamespace) -> None:
    """A datetime is a date to Python and to mypy; written as a date-time it would not read back."""
    py, rt = pkgs.py, pkgs.py_rt
    assert py.Diary(day=datetime.date(2024, 5, 1)).to_dict() == {"day": "2024-05-01"}
    assert py.Diary.from_dict({"day": "2024-05-01"}).to_dict() == {"day": "2024-05-01"}
    moment = datetime.datetime(2024, 5, 1, 12, 30, tzinfo=datetime.timezone.utc)
    with pytest.raises(rt.ValidationError, match=r"^day: expected a date, got datetime 2024-05-01T12:30:00\+00:00"):
        py.Diary(day=moment).to_dict()


# == 2. a field of one possible value has it as its default ==========================================


def test_required_literal_field_defaults_to_its_value(pkgs: SimpleNamespace) -> None:
    ts, py, rt = pkgs.ts, pkgs.py, pkgs.rt
    message = ts.UserMessage(content="hi")
    assert (message.role, message.version, message.name) == ("user", 2, rt.UNSET)
    assert message.to_dict() == {"content": "hi", "role": "user", "version": 2}  # still written
    assert ts.UserMessage.from_dict(message.to_dict()) == message
    with pytest.raises(rt.ValidationError, match="^role: required field is missing"):  # still checked
        ts.UserMessage.from_dict({"content": "hi", "version": 2})
    with pytest.raises(rt.ValidationError, match="^role: expected 'user', got 'assistant'"):
        ts.UserMessage.from_dict({"content": "hi", "role": "assistant", "version": 2})
    assert py.Holder(value="x").to_dict() == {"value": "x", "role": "system"}


# == 3. additionalProperties is one typed attribute =================================================

EXTRAS = [("gc_ts", "TsExtrasCamel"), ("gc_ts", "TsExtrasSnake"), ("gc_py", "PyExtrasCamel"), ("gc_py", "PyExtrasSnake"), ("gc_py", "PyExtrasPydantic")]


@pytest.mark.parametrize(("package", "name"), EXTRAS)
def test_additional_properties_row_is_the_one_typed_attribute(pkgs: SimpleNamespace, package: str, name: str) -> None:
    models = pkgs.ts if package == "gc_ts" else pkgs.py
    rt = pkgs.rt if package == "gc_ts" else pkgs.py_rt
    cls = getattr(models, name)
    assert [f.name for f in dataclasses.fields(cls)] == ["name", "additional_properties"]
    assert cls.__annotations__["additional_properties"] in ("dict[str, float]", "dict[str, int]")
    model = cls.from_dict({"name": "n", "x": 1, "y": 2})
    assert model.additional_properties == {"x": 1, "y": 2}
    assert model.to_dict() == {"name": "n", "x": 1, "y": 2}
    with pytest.raises(rt.ValidationError, match="^x: expected an? (number|integer), got str"):
        cls.from_dict({"name": "n", "x": "one"})
    schema = schema_of(pkgs, package, name)
    assert list(schema["properties"]) == ["name"]
    assert schema["additionalProperties"] == {"type": "number" if package == "gc_ts" else "integer"}
    assert "additional_properties_" not in inspect.getsource(cls)


def test_real_field_named_additional_properties_keeps_a_distinct_attribute(pkgs: SimpleNamespace) -> None:
    """A field whose wire name is `additional_properties` but that is not the docs' row for extra
    keys (it has the type of a model) is an ordinary field; its attribute is
    `additional_properties_` (as every reserved name gets `_`), beside the extra keys'
    `additional_properties`."""
    ts = pkgs.ts
    names = [f.name for f in dataclasses.fields(ts.RealField)]
    assert names == ["additional_properties_", "note", "additional_properties"]
    data = {"additional_properties": {"at": "2024-05-01T12:30:00Z"}, "other": [1]}
    model = ts.RealField.from_dict(data)
    assert isinstance(model.additional_properties_, ts.Stamp)
    assert model.additional_properties == {"other": [1]}
    assert model.to_dict() == data
    assert list(schema_of(pkgs, "gc_ts", "RealField")["properties"]) == ["additional_properties", "note"]


# == 4. union members, most specific first ==========================================================


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-01T12:30:00Z", "datetime"),
        ("auto", "literal"),
        ("fast", "Mode"),
        ("hello", "str"),
        (3, "int"),
        (3.5, "float"),
        ({"a": 1, "b": 2}, "Big"),
        ({"a": 1}, "Small"),
        ({"a": 1, "b": None}, "Small"),
    ],
)
def test_union_chooses_each_member_for_the_value_it_fits_best(pkgs: SimpleNamespace, value: Any, expected: str) -> None:
    py = pkgs.py
    chosen = py.value_from_dict(value)
    kinds = {
        "datetime": lambda v: isinstance(v, datetime.datetime),
        "literal": lambda v: type(v) is str and v == "auto",
        "Mode": lambda v: v is py.Mode.FAST,
        "str": lambda v: type(v) is str and v == "hello",
        "int": lambda v: type(v) is int,
        "float": lambda v: type(v) is float,
        "Big": lambda v: type(v) is py.Big,
        "Small": lambda v: type(v) is py.Small,
    }
    assert kinds[expected](chosen), chosen
    holder = py.Holder.from_dict({"value": value, "role": "system"})
    assert kinds[expected](holder.value)
    assert json.loads(json.dumps(holder.to_dict())) == {"value": value, "role": "system"}


def test_union_keeps_the_page_order_where_it_is_written(pkgs: SimpleNamespace) -> None:
    source = (pkgs.base / "out" / "gc_py" / "models.py").read_text(encoding="utf-8")
    assert """'str | float | Small | datetime.datetime | int | Literal["auto"] | Mode | Big'""" in source
    assert '"anyOf": [{"type": "string"}, {"type": "number"}' in json.dumps(schema_of(pkgs, "gc_py", "Value"))


# == 5. deprecated: visible to tools, silent at run time ============================================


def _docstrings(source: str, cls: str | None) -> dict[str, str]:
    """Name -> docstring of the classes (cls None) or functions at module level, or of the
    attributes of class `cls`."""
    tree = ast.parse(source)
    if cls is None:
        return {n.name: ast.get_docstring(n) or "" for n in tree.body if isinstance(n, (ast.ClassDef, ast.FunctionDef))}
    body = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls).body
    docs = {}
    for node, after in zip(body, body[1:]):
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant):
            docs[node.target.id] = inspect.cleandoc(after.value.value)
    return docs


def test_deprecated_definitions_and_fields_say_so_in_docstrings(pkgs: SimpleNamespace) -> None:
    for package in PACKAGES:
        for module in ("models", "typeddicts"):
            source = (pkgs.base / "out" / package / f"{module}.py").read_text(encoding="utf-8")
            if package == "gc_ts":
                fields = _docstrings(source, "Legacy")
                old_id, old_name = ("old_id", "old_name") if module == "models" else ("oldId", "oldName")
                assert fields[old_id] == "The old ID.\n\n.. deprecated:: unknown"
                assert fields[old_name].startswith(":warning: **DEPRECATED**: Use `name` instead.\n\n.. deprecated:: unknown")
                assert "name" not in fields  # no docstring: N/A
                assert _docstrings(source, None)["Legacy"] == "Old payload.\n\n.. deprecated:: unknown"
            elif module == "models":
                assert _docstrings(source, None)["Mode"] == ".. deprecated:: unknown"
                assert _docstrings(source, None)["value_from_dict"] == ".. deprecated:: unknown"
                assert ".. deprecated:: unknown" in _docstrings(source, "Holder")["mode"]
            else:  # TypedDicts: enums and unions are aliases, with a comment
                assert "# .. deprecated:: unknown\nMode = Literal" in source
                assert "# .. deprecated:: unknown\nValue: TypeAlias" in source


def test_deprecated_is_in_json_schema_and_openapi(pkgs: SimpleNamespace) -> None:
    legacy = schema_of(pkgs, "gc_ts", "Legacy")
    assert legacy["deprecated"] is True
    assert {k: v.get("deprecated", False) for k, v in legacy["properties"].items()} == {"oldId": True, "oldName": True, "name": False}
    assert schema_of(pkgs, "gc_py", "Mode")["deprecated"] is True
    assert schema_of(pkgs, "gc_py", "Value")["deprecated"] is True
    assert schema_of(pkgs, "gc_py", "Holder")["properties"]["mode"]["deprecated"] is True
    schema, _ = load_schema([pkgs.base / "ts", pkgs.base / "py"], (), Settings(), pkgs.base)
    components = render.openapi_document(schema)["components"]["schemas"]
    assert components["Legacy"]["deprecated"] is True
    assert components["Legacy"]["properties"]["oldId"]["deprecated"] is True
    assert components["Mode"]["deprecated"] is True and components["Value"]["deprecated"] is True
    assert components["Holder"]["properties"]["mode"]["deprecated"] is True


def test_reading_deprecated_data_makes_no_noise(pkgs: SimpleNamespace) -> None:
    ts, py = pkgs.ts, pkgs.py
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        legacy = ts.Legacy.from_dict({"oldId": "1", "oldName": "n"})
        assert (legacy.old_id, legacy.old_name) == ("1", "n")
        assert legacy.to_dict() == {"oldId": "1", "oldName": "n"}
        holder = py.Holder.from_dict({"value": "slow", "mode": "fast", "role": "system"})
        assert (holder.value, holder.mode) == (py.Mode.SLOW, py.Mode.FAST)
        assert holder.to_dict() == {"value": "slow", "mode": "fast", "role": "system"}
