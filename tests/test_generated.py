"""Tests of the committed output in generated/: it is up to date and reproducible, it type-checks,
its JSON Schemas are sound, and the dataclasses, TypedDicts and JSON Schemas agree on the same JSON.

The generator runs as a subprocess from the repository root, exactly as a user or CI would run it.
"""

from __future__ import annotations

import copy
import enum
import importlib.util
import json
import os
import subprocess
import sys
import typing
from pathlib import Path
from types import ModuleType
from typing import Any, Callable
from unittest import mock

import jsonschema
import pydantic
import pytest
import typing_extensions
from hypothesis import HealthCheck, given, settings
from hypothesis_jsonschema import from_schema

from pages import run_cli

from generated import _runtime as rt
from generated import models, typeddicts
from generated.models import (
    CheckpointOut,
    DetailedJobOut,
    DetailedJobOutStatus,
    EventOut,
    FineTuneableModel,
    JobMetadataOut,
    MetricOut,
    TrainingParameters,
    WandbIntegrationOut,
)

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated"
SCHEMA_DIR = GENERATED / "jsonschema"
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"


def load_schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / f"{name}.json").read_text(encoding="utf-8"))


def output_files(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` (relative POSIX path -> bytes), leaving out bytecode caches."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def same_json(a: Any, b: Any) -> bool:
    """Equal as JSON text: unlike `==`, tells 1 from 1.0 and True from 1."""
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


SCHEMA_NAMES = sorted(p.stem for p in SCHEMA_DIR.glob("*.json"))
OBJECT_MODELS = [n for n in SCHEMA_NAMES if load_schema(n).get("type") == "object"]
ENUMS = [n for n in SCHEMA_NAMES if "enum" in load_schema(n)]


# --- 1, 2: golden output, reproducible ---------------------------------------------------------


def test_check_passes_on_committed_output() -> None:
    result = run_cli(ROOT, "check")
    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert "is up to date" in result.stdout


def test_generate_is_byte_identical_and_independent_of_hash_seed(tmp_path: Path) -> None:
    outputs = {}
    for seed in ("0", "4242"):
        out = tmp_path / f"seed-{seed}"
        result = run_cli(ROOT, "generate", "-o", str(out), env={**os.environ, "PYTHONHASHSEED": seed})
        assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
        outputs[seed] = output_files(out)

    committed = output_files(GENERATED)
    assert committed, "generated/ is empty"
    for seed, files in outputs.items():
        assert sorted(files) == sorted(committed), f"PYTHONHASHSEED={seed}: different file list"
        differing = [path for path in committed if files[path] != committed[path]]
        assert differing == [], f"PYTHONHASHSEED={seed}: files differ from generated/: {differing}"
    assert outputs["0"] == outputs["4242"]


# --- 3: the generated code type-checks ----------------------------------------------------------


@pytest.mark.parametrize("package", ["generated", "generator"])
def test_mypy_strict_passes(package: str) -> None:
    """The generated package, and docmodels itself."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", package],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"mypy --strict failed:\n{result.stdout}\n{result.stderr}"


# --- 4: the JSON Schemas are sound ---------------------------------------------------------------


def walk(node: Any) -> typing.Iterator[dict[str, Any]]:
    """Every object (sub)schema below `node`, including `node`."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def test_there_are_schemas() -> None:
    assert "DetailedJobOut" in OBJECT_MODELS
    assert {"DetailedJobOutStatus", "FineTuneableModel"} <= set(ENUMS)


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_json_schema_is_valid_draft_2020_12(name: str) -> None:
    schema = load_schema(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == DRAFT_2020_12
    assert schema["title"] == name

    # Standalone: every $ref points into this file's own $defs, and resolves there.
    for sub in walk(schema):
        if "$ref" in sub:
            ref = sub["$ref"]
            assert ref.startswith("#/$defs/"), f"{name}: non-local $ref {ref!r}"
            assert ref.removeprefix("#/$defs/") in schema.get("$defs", {}), f"{name}: dangling $ref {ref!r}"


def test_json_schema_examples_validate() -> None:
    checked = 0
    for name in SCHEMA_NAMES:
        schema = load_schema(name)
        root = jsonschema.Draft202012Validator(schema)
        for sub in walk(schema):
            # A property literally called "examples" would be a dict of schemas, not a list.
            if isinstance(sub.get("examples"), list):
                # evolve() keeps the root's resolver, so $refs inside `sub` still resolve.
                validator = root.evolve(schema=sub)
                for example in sub["examples"]:
                    errors = [e.message for e in validator.iter_errors(example)]
                    assert errors == [], f"{name}: example {example!r} does not fit {sub}: {errors}"
                    checked += 1
    assert checked > 0, "no examples found; CheckpointOut.created_at has one on its page"


# --- 5: round trips of drawn data ----------------------------------------------------------------


def typeddicts_for_pydantic() -> ModuleType:
    """generated/typeddicts.py as pydantic can use it.

    Before Python 3.12 pydantic refuses `typing.TypedDict` (PydanticUserError `typed-dict-version`:
    "Please use typing_extensions.TypedDict instead of typing.TypedDict on Python < 3.12"), and the
    generated module uses `typing.TypedDict`. So on those versions the same source file is loaded a
    second time, under another module name, with `typing.TypedDict` swapped for
    `typing_extensions.TypedDict` while it runs: every annotation, key and Literal is the generated
    one, only the base class differs. On 3.12+ the generated module is used as it is.
    See test_pydantic_accepts_generated_typeddicts_directly for the limitation itself.
    """
    if sys.version_info >= (3, 12):
        return typeddicts
    name = "generated._typeddicts_for_pydantic"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, typeddicts.__file__)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # pydantic resolves the string annotations in this namespace
    with mock.patch.object(typing, "TypedDict", typing_extensions.TypedDict):
        spec.loader.exec_module(module)
    return module


def typeddict_adapter(name: str) -> pydantic.TypeAdapter[Any]:
    return pydantic.TypeAdapter(getattr(typeddicts_for_pydantic(), name))


def validate_typeddict(adapter: pydantic.TypeAdapter[Any], value: Any) -> None:
    # strict=True: no coercion of "1" to 1 or of 1 to True. Strict mode still takes an int for a
    # `float` field, which is what JSON means by "number", so no lax mode is needed. Keys that the
    # TypedDict does not declare are ignored (pydantic's default for TypedDicts), as the JSON
    # Schemas allow them.
    adapter.validate_python(value, strict=True)


@pytest.mark.xfail(
    sys.version_info < (3, 12),
    reason="pydantic refuses typing.TypedDict before Python 3.12; generated/typeddicts.py uses it",
    raises=pydantic.errors.PydanticUserError,
    strict=True,
)
def test_pydantic_accepts_generated_typeddicts_directly() -> None:
    pydantic.TypeAdapter(typeddicts.MetricOut).validate_python({"train_loss": 0.5}, strict=True)


def test_every_schema_has_a_model_and_a_typeddict() -> None:
    for name in OBJECT_MODELS:
        assert hasattr(getattr(models, name), "from_dict"), name
        assert typing_extensions.is_typeddict(getattr(typeddicts, name)), name
    for name in ENUMS:
        assert issubclass(getattr(models, name), enum.Enum), name
        assert typing.get_origin(getattr(typeddicts, name)) is typing.Literal, name


def with_ints(value: Any) -> Any:
    """`value` with every float that has an integer value written as an int (1.0 -> 1)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, list):
        return [with_ints(v) for v in value]
    if isinstance(value, dict):
        return {k: with_ints(v) for k, v in value.items()}
    return value


@pytest.mark.parametrize("name", OBJECT_MODELS)
def test_round_trip_of_schema_data(name: str) -> None:
    model = getattr(models, name)
    adapter = typeddict_adapter(name)
    schema = load_schema(name)
    validator = jsonschema.Draft202012Validator(schema)

    @settings(
        max_examples=100,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(from_schema(schema))
    def check(x: dict[str, Any]) -> None:
        # hypothesis-jsonschema draws only floats for "number"; JSON numbers are often ints.
        for value in (x, with_ints(x)):
            assert validator.is_valid(value)
            before = copy.deepcopy(value)
            out = model.from_dict(value).to_dict()
            assert out == value
            assert same_json(out, value)
            assert same_json(value, before), "from_dict/to_dict changed its input"
            validate_typeddict(adapter, value)

    check()


@pytest.mark.parametrize("name", ENUMS)
def test_enum_values_convert(name: str) -> None:
    values = load_schema(name)["enum"]
    cls = getattr(models, name)
    assert [m.value for m in cls] == values
    assert typing.get_args(getattr(typeddicts, name)) == tuple(values)
    convert = rt.enum_(cls)
    for value in values:
        assert cls(value).value == value
        assert convert(value) is cls(value)
        assert rt.dump(cls(value)) == value
    with pytest.raises(rt.ValidationError):
        convert("NOT-A-" + name)


# --- 6: a realistic API response ------------------------------------------------------------------


def response() -> dict[str, Any]:
    """GET /v1/fine_tuning/jobs/{job_id} while the job runs; `repositories` is absent."""
    return {
        "id": "5e5e8a5e-6c1f-4b7a-9d6a-2c1b1a3e7f10",
        "auto_start": True,
        "hyperparameters": {
            "training_steps": 10,
            "learning_rate": 0.0001,
            "epochs": None,
            "fim_ratio": 0.9,
        },
        "model": "open-mistral-7b",
        "status": "RUNNING",
        "job_type": "FT",
        "created_at": 1716963433,
        "modified_at": 1716963540,
        "training_files": ["e1e05a8f-7a25-4f2e-a1d4-05b3a7c1c3d1"],
        "validation_files": ["0c5e4b0a-2f4e-4a8c-bd3f-7a1b9c8d2e44"],
        "object": "job",
        "fine_tuned_model": None,
        "suffix": None,
        "integrations": [
            {
                "type": "wandb",
                "project": "mistral-finetune",
                "name": None,
                "run_name": "5e5e8a5e-6c1f-4b7a-9d6a-2c1b1a3e7f10",
            }
        ],
        "trained_tokens": 262144,
        "metadata": {
            "expected_duration_seconds": 220,
            "cost": 2.24,
            "cost_currency": "EUR",
            "train_tokens_per_step": 131072,
            "train_tokens": 1310720,
            "data_tokens": 305375,
            "estimated_start_time": None,
        },
        "events": [
            {"name": "status-updated", "data": {"status": "QUEUED"}, "created_at": 1716963433},
            {"name": "status-updated", "data": {"status": "STARTED"}, "created_at": 1716963470},
            {
                "name": "status-updated",
                "data": {"status": "RUNNING", "progress": {"step": 2, "of": 10}, "error": None},
                "created_at": 1716963540,
            },
        ],
        "checkpoints": [
            {
                "metrics": {"train_loss": 0.816784, "valid_loss": None, "valid_mean_token_accuracy": None},
                "step_number": 2,
                "created_at": 1716963540,
            },
            {
                "metrics": {"train_loss": 0.734211, "valid_loss": 0.781233, "valid_mean_token_accuracy": 1.502365},
                "step_number": 1,
                "created_at": 1716963500,
            },
        ],
    }


def test_realistic_response_loads_typed_and_round_trips() -> None:
    data = response()
    job = DetailedJobOut.from_dict(data)

    assert job.status is DetailedJobOutStatus.RUNNING
    assert job.model is FineTuneableModel.OPEN_MISTRAL_7B
    assert job.auto_start is True
    assert job.id == data["id"]
    assert job.training_files == ["e1e05a8f-7a25-4f2e-a1d4-05b3a7c1c3d1"]
    assert job.fine_tuned_model is None
    assert job.suffix is None
    assert job.repositories is rt.UNSET  # absent, not null
    assert job.additional_properties == {}

    assert isinstance(job.hyperparameters, TrainingParameters)
    assert job.hyperparameters.learning_rate == 0.0001
    assert job.hyperparameters.epochs is None

    assert isinstance(job.metadata, JobMetadataOut)
    assert job.metadata.cost == 2.24
    assert job.metadata.cost_currency == "EUR"
    assert job.metadata.estimated_start_time is None

    assert isinstance(job.integrations, list)
    wandb = job.integrations[0]
    assert isinstance(wandb, WandbIntegrationOut)
    assert (wandb.type, wandb.project, wandb.name) == ("wandb", "mistral-finetune", None)

    assert isinstance(job.events, list)
    assert all(isinstance(event, EventOut) for event in job.events)
    assert isinstance(job.events[2].data, dict)
    assert job.events[2].data["progress"] == {"step": 2, "of": 10}

    assert isinstance(job.checkpoints, list)
    checkpoint = job.checkpoints[0]
    assert isinstance(checkpoint, CheckpointOut)
    assert isinstance(checkpoint.metrics, MetricOut)
    assert isinstance(checkpoint.metrics.train_loss, float)
    assert checkpoint.metrics.train_loss == 0.816784
    assert checkpoint.metrics.valid_loss is None
    assert job.checkpoints[1].metrics.valid_mean_token_accuracy == 1.502365
    # Numbers are kept as read, so that ints go back out as ints.
    assert checkpoint.created_at == 1716963540 and type(checkpoint.created_at) is int

    out = job.to_dict()
    assert out == response()
    assert same_json(out, response())
    assert data == response(), "from_dict changed its input"


def test_realistic_response_fits_json_schema_and_typeddict() -> None:
    jsonschema.validate(response(), load_schema("DetailedJobOut"), cls=jsonschema.Draft202012Validator)
    validate_typeddict(typeddict_adapter("DetailedJobOut"), response())


def test_unknown_keys_are_kept() -> None:
    data = response()
    data["priority"] = 3
    data["checkpoints"][0]["metrics"]["train_perplexity"] = 2.26
    job = DetailedJobOut.from_dict(data)
    assert job.additional_properties == {"priority": 3}
    assert isinstance(job.checkpoints, list)
    assert job.checkpoints[0].metrics.additional_properties == {"train_perplexity": 2.26}
    assert job.to_dict() == data


def _set(path: list[str | int], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        target: Any = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _delete(path: list[str | int]) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        target: Any = data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return change


BAD_RESPONSES = [
    pytest.param(_set(["status"], "BOGUS"), "status", "'BOGUS' is not one of", id="enum"),
    pytest.param(_delete(["job_type"]), "job_type", "required field is missing", id="missing"),
    pytest.param(_set(["auto_start"], "yes"), "auto_start", "expected a boolean", id="wrong-type"),
    pytest.param(_set(["created_at"], True), "created_at", "expected a number", id="bool-for-number"),
    pytest.param(_set(["training_files", 0], 7), "training_files[0]", "expected a string", id="array-item"),
    pytest.param(
        _set(["checkpoints", 0, "metrics", "train_loss"], "0.8"),
        "checkpoints[0].metrics.train_loss",
        "expected a number",
        id="nested",
    ),
    pytest.param(
        _delete(["integrations", 0, "project"]), "integrations[0].project", "required field is missing", id="nested-missing"
    ),
    pytest.param(_set(["events", 1, "data"], ["QUEUED"]), "events[1].data", "expected an object", id="nested-object"),
    pytest.param(_set(["metadata"], "none"), "metadata", "expected an object", id="object"),
]


@pytest.mark.parametrize(("change", "path", "message"), BAD_RESPONSES)
def test_bad_response_is_rejected_with_its_path(change: Callable[[dict[str, Any]], None], path: str, message: str) -> None:
    data = response()
    change(data)

    with pytest.raises(rt.ValidationError) as info:
        DetailedJobOut.from_dict(data)
    assert info.value.path == path
    assert str(info.value).startswith(f"{path}: "), str(info.value)
    assert message in str(info.value)

    # The JSON Schema and the TypedDict reject the same data.
    assert not jsonschema.Draft202012Validator(load_schema("DetailedJobOut")).is_valid(data)
    with pytest.raises(pydantic.ValidationError):
        validate_typeddict(typeddict_adapter("DetailedJobOut"), data)


def test_not_an_object_is_rejected() -> None:
    with pytest.raises(rt.ValidationError, match="expected an object, got list"):
        DetailedJobOut.from_dict([response()])


# --- 7: the generated package needs only the standard library at run time ----------------------

IMPORT_CHECK = """
import sys
before = set(sys.modules)
import generated.models, generated.typeddicts, generated._runtime
new = set(sys.modules) - before
forbidden = sorted(m for m in sys.modules if m.split(".")[0] in {"generator", "docmodels", "jinja2", "black", "markdown_it", "yaml"})
third_party = sorted(m for m in new if m.split(".")[0] not in sys.stdlib_module_names and m.split(".")[0] != "generated")
print(forbidden, third_party)
assert not forbidden, forbidden
assert not third_party, third_party
"""


@pytest.mark.parametrize(
    "flags",
    [pytest.param([], id="site"), pytest.param(["-S"], id="no-site-packages")],
)
def test_generated_needs_only_the_standard_library(flags: list[str]) -> None:
    # -S leaves site-packages off sys.path: the import must still work. The repository root is on
    # sys.path as the current directory (`-c`), so `generator` could be imported, but must not be.
    result = subprocess.run(
        [sys.executable, *flags, "-c", IMPORT_CHECK],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
