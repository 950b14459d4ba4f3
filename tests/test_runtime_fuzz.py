"""The generated runtime raises only its own ValidationError: for any JSON value, every model of
the largest corpus folder (mistral-py) either reads it or raises ValidationError with a path, and
whatever it read, it writes back. A hypothesis fuzzer over arbitrary JSON (shaped by each model's
wire names and values, with hostile leaves), then one test per named failure of the issue: a list
where an enum value is expected, 10,000-deep arrays and objects in every field, a 5,000-digit
integer, NaN and Infinity, recursive data at and past the depth limit. benchmarks/fuzz.py runs the
same fuzzer with more examples per model."""

from __future__ import annotations

import dataclasses
import enum
import importlib
import json
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
FOLDER = CORPUS / "mistral-py"
PACKAGE = "fuzz_mistral_py"
EXAMPLES_PER_MODEL = 3

pytestmark = pytest.mark.skipif(not FOLDER.is_dir(), reason="../shared/corpus is absent: the runtime fuzz tests need its mistral-py folder")


@dataclasses.dataclass
class Corpus:
    models: ModuleType
    rt: ModuleType
    folder: Path

    def targets(self) -> list[tuple[str, Callable[[Any], Any]]]:
        """Every definition's reader: `from_dict` of each model, `..._from_dict` of each union, the
        converter of each enum."""
        found: list[tuple[str, Callable[[Any], Any]]] = []
        for name, value in sorted(vars(self.models).items()):
            if isinstance(value, type) and dataclasses.is_dataclass(value):
                found.append((name, value.from_dict))
            elif isinstance(value, type) and issubclass(value, enum.Enum) and value.__module__ == self.models.__name__:
                found.append((name, self.rt.enum_(value)))
            elif name.endswith("_from_dict") and callable(value):
                found.append((name, value))
        return found

    def vocabulary(self) -> tuple[list[str], list[Any]]:
        """Every wire name and every enum value or literal the schemas hold: fuzzed objects use
        them, so that values reach into fields and past discriminators."""
        keys: set[str] = set()
        scalars: set[Any] = set()
        todo: list[Any] = [json.loads(p.read_text(encoding="utf-8")) for p in (self.folder / "jsonschema").glob("*.json")]
        while todo:
            node = todo.pop()
            if isinstance(node, dict):
                keys.update(node.get("properties", {}))
                scalars.update(v for v in node.get("enum", []) if isinstance(v, (str, int)))
                if isinstance(node.get("const"), (str, int)):
                    scalars.add(node["const"])
                todo.extend(node.values())
            elif isinstance(node, list):
                todo.extend(node)
        return sorted(keys), sorted(scalars, key=repr)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    """mistral-py generated once for this module, as a user would, and imported."""
    out = tmp_path_factory.mktemp("fuzz")
    result = subprocess.run(
        [sys.executable, "-m", "docmodels", "generate", str(FOLDER), "-o", str(out / PACKAGE), "--wire-case", "snake"],
        cwd=out,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    sys.path.insert(0, str(out))
    try:
        found = Corpus(importlib.import_module(f"{PACKAGE}.models"), importlib.import_module(f"{PACKAGE}._runtime"), out / PACKAGE)
        # The first recursive value read raises Python's recursion limit (see the runtime); read
        # one now, so that it does not happen inside a hypothesis test (which would warn).
        found.models.FilterPayload.from_dict({"filters": {"and": []}})
        yield found
    finally:
        sys.path.remove(str(out))


def nested_array(depth: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth):
        value = [value]
    return value


def nested_object(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(depth):
        value = {"a": value}
    return value


# Leaves too big or too deep for hypothesis to print: drawn as a token, put in place by `expand`.
HOSTILE: dict[str, Callable[[], Any]] = {
    "<5,000-digit integer>": lambda: 10**4999,
    "<NaN>": lambda: float("nan"),
    "<Infinity>": lambda: float("inf"),
    "<-Infinity>": lambda: float("-inf"),
    "<10,000-deep array>": lambda: DEEP_ARRAY,
    "<10,000-deep object>": lambda: DEEP_OBJECT,
    "<long string>": lambda: "x" * 100_000,
}
DEEP_ARRAY = nested_array(10_000)
DEEP_OBJECT = nested_object(10_000)


def expand(value: Any) -> Any:
    """The drawn value with its hostile tokens replaced (drawn values are shallow)."""
    if isinstance(value, str):
        return HOSTILE[value]() if value in HOSTILE else value
    if isinstance(value, list):
        return [expand(v) for v in value]
    if isinstance(value, dict):
        return {k: expand(v) for k, v in value.items()}
    return value


def json_values(keys: list[str], scalars: list[Any]) -> st.SearchStrategy[Any]:
    leaves = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=8),
        st.sampled_from(scalars),
        st.sampled_from(sorted(HOSTILE)),
    )
    key = st.sampled_from(keys) | st.text(max_size=4)
    return st.recursive(leaves, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(key, inner, max_size=4), max_leaves=12)


def same_json(a: Any, b: Any) -> bool:
    """a == b for JSON values, of any depth (no recursion), types strict (True is not 1), NaN
    equal to itself."""
    todo = [(a, b)]
    while todo:
        x, y = todo.pop()
        if type(x) is not type(y):
            return False
        if isinstance(x, list):
            if len(x) != len(y):
                return False
            todo.extend(zip(x, y))
        elif isinstance(x, dict):
            if x.keys() != y.keys():
                return False
            todo.extend((x[k], y[k]) for k in x)
        elif x != y and not (isinstance(x, float) and x != x and y != y):
            return False
    return True


def read_and_write_back(corpus: Corpus, read: Callable[[Any], Any], value: Any) -> bool:
    """`read(value)` returns or raises ValidationError with a path; what it returns dumps back to
    the same JSON. Whether it read the value."""
    try:
        loaded = read(value)
    except corpus.rt.ValidationError as exc:
        assert isinstance(exc.path, str) and str(exc).endswith(exc.message)
        return False
    assert same_json(corpus.rt.dump(loaded), value)
    return True


# --- the fuzzer ---------------------------------------------------------------------------------


def test_every_model_reads_any_json_or_raises_validation_error(corpus: Corpus) -> None:
    keys, scalars = corpus.vocabulary()
    values = json_values(keys, scalars)
    # A model's own wire names make the object reach into its fields.
    shaped = st.dictionaries(st.sampled_from(keys), values, max_size=6)
    targets = corpus.targets()
    assert len(targets) > 1_000

    for name, read in targets:

        @settings(max_examples=EXAMPLES_PER_MODEL, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(value=values | shaped)
        def check(value: Any) -> None:
            read_and_write_back(corpus, read, expand(value))

        try:
            check()
        except Exception as exc:
            raise AssertionError(f"{name}: {exc!r}") from exc


# --- each named failure -------------------------------------------------------------------------


def test_a_list_or_object_where_an_enum_value_is_expected(corpus: Corpus) -> None:
    m, rt = corpus.models, corpus.rt
    model = m.GetChatCompletionFieldOptionsV1ObservabilityChatCompletionFieldsFieldNameOptionsGetRequest
    for bad in (["function"], {"function": 1}, DEEP_ARRAY, DEEP_OBJECT):
        # The discriminator of a union (`type`: a list is unhashable), a plain enum field, an open one.
        with pytest.raises(rt.ValidationError, match=r"^fits none .*type: expected 'function', got (list|dict) /"):
            m.agent_tool_from_dict({"type": bad})
        with pytest.raises(rt.ValidationError, match=r"^operator: (list|dict) is not one of 'lt', 'lte', "):
            model.from_dict({"field_name": "x", "operator": bad})
        with pytest.raises(rt.ValidationError, match=r"^op: expected str, got (list|dict)$"):
            m.FilterCondition.from_dict({"field": "a", "op": bad, "value": 1})


def test_deep_arrays_and_objects_in_every_field_of_every_model(corpus: Corpus) -> None:
    """10,000 levels in each field in turn (free-form ones included): read or refused, never a
    RecursionError; what was read dumps back, however deep."""
    accepted = 0
    for name, read in corpus.targets():
        cls = getattr(corpus.models, name)
        if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
            continue
        schema = json.loads((corpus.folder / "jsonschema" / f"{name}.json").read_text(encoding="utf-8"))
        for key in schema.get("properties", {}):
            for deep in (DEEP_ARRAY, DEEP_OBJECT):
                try:
                    loaded = read({key: deep})
                except corpus.rt.ValidationError as exc:
                    assert exc.path.startswith(key) or exc.path == "" or "required" in exc.message
                    continue
                accepted += 1
                assert same_json(loaded.to_dict(), {key: deep}), (name, key)
    assert accepted > 50  # the free-form fields take them


def test_a_deep_free_form_value_round_trips(corpus: Corpus) -> None:
    m = corpus.models
    for deep in (DEEP_ARRAY, DEEP_OBJECT):
        condition = {"field": "a", "op": "eq", "value": deep, "extra": deep}
        assert same_json(m.FilterCondition.from_dict(condition).to_dict(), condition)
    # A union with a free-form member: to_dict walks it to find models, without recursion.
    values = m.workflow_execution_trace_summary_attributes_values_from_dict([DEEP_ARRAY])
    assert same_json(corpus.rt.dump(values), [DEEP_ARRAY])


def test_a_5000_digit_integer(corpus: Corpus) -> None:
    m, rt = corpus.models, corpus.rt
    big = 10**4999
    assert rt.integer(big) == big and rt.number(big) == big  # read at any size, kept as read
    for read in (rt.string, rt.boolean, rt.literal("x"), rt.enum_(m.Op), rt.date_time, rt.date):
        with pytest.raises(rt.ValidationError, match="16,607 bits|expected a string|expected a boolean"):
            read(big)
    with pytest.raises(rt.ValidationError, match=r"^op: expected str, got an integer of 16,607 bits$"):
        m.FilterCondition.from_dict({"field": "a", "op": big, "value": 1})


def test_nan_and_infinity_are_refused_where_a_number_is_read(corpus: Corpus) -> None:
    """NaN and the infinities are not JSON: a number field refuses them (with the path); a
    free-form value is not looked into, so it keeps what the JSON parser made."""
    m, rt = corpus.models, corpus.rt
    for bad in (float("nan"), float("inf"), float("-inf")):
        with pytest.raises(rt.ValidationError, match=r"^expected a number, got (nan|inf|-inf), which is not JSON$"):
            rt.number(bad)
        with pytest.raises(rt.ValidationError, match=r"^\[1\]: expected a number"):
            rt.array(rt.number)([1.5, bad])
        condition = m.FilterCondition.from_dict({"field": "a", "op": "eq", "value": bad})
        assert same_json(condition.to_dict()["value"], bad)


def filter_group(levels: int) -> dict[str, Any]:
    """`levels` FilterGroups, each in the `and` of the one above, around one FilterCondition."""
    value: dict[str, Any] = {"field": "a", "op": "eq", "value": 1}
    for i in range(levels):
        value = {"and": [value]} if i % 2 else {"or": [value], "and": []}
    return value


def test_a_150_level_recursive_filter_round_trips(corpus: Corpus) -> None:
    m = corpus.models
    payload = {"filters": filter_group(150)}
    loaded = m.FilterPayload.from_dict(payload)
    assert same_json(loaded.to_dict(), payload)
    assert type(loaded.filters).__name__ == "FilterGroup"


def test_recursive_values_nest_up_to_the_depth_limit(corpus: Corpus) -> None:
    m, rt = corpus.models, corpus.rt
    limit = rt.MAX_DEPTH
    payload = {"filters": filter_group(limit)}
    assert same_json(m.FilterPayload.from_dict(payload).to_dict(), payload)
    for too_deep in (limit + 1, 10_000):
        with pytest.raises(rt.ValidationError) as info:
            m.FilterPayload.from_dict({"filters": filter_group(too_deep)})
        assert info.value.message == f"nested more than {limit} levels deep"
        assert info.value.path.startswith("filters.") and info.value.path.endswith("[0]")
        assert info.value.path.count("[0]") == limit
    # Every recursive definition of the folder, 10,000 deep.
    expression: Any = ["x"]
    span: dict[str, Any] = {}
    for _ in range(10_000):
        expression = {"type": "and", "expressions": [expression]}
        span = {"children": [span]}
    with pytest.raises(rt.ValidationError, match=f"nested more than {limit} levels deep"):
        m.expression_from_dict(expression)
    with pytest.raises(rt.ValidationError):
        m.WorkflowExecutionTraceSummarySpan.from_dict(span)


def test_the_depth_limit_holds_deep_in_the_callers_stack(corpus: Corpus) -> None:
    m, rt = corpus.models, corpus.rt
    payload = {"filters": filter_group(150)}

    def call_from(frames: int, value: Any) -> Any:
        return m.FilterPayload.from_dict(value) if frames == 0 else call_from(frames - 1, value)

    assert same_json(call_from(500, payload).to_dict(), payload)
    with pytest.raises(rt.ValidationError, match="nested"):
        call_from(500, {"filters": filter_group(10_000)})


def test_nesting_is_counted_per_thread(corpus: Corpus) -> None:
    m = corpus.models
    payload = {"filters": filter_group(corpus.rt.MAX_DEPTH)}
    errors: list[BaseException] = []

    def read_many() -> None:
        try:
            for _ in range(20):
                m.FilterPayload.from_dict(payload)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=read_many) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
