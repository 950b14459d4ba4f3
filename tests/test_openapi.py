"""The `openapi` target: one `openapi.json` (OpenAPI 3.1) whose `components/schemas` hold every
definition. Generated as a user would (`docmodels generate --target openapi`) for this
repository's own specs/ (in a copy of the project) and for a real corpus folder; the document is
valid OpenAPI 3.1 (openapi-spec-validator), every `$ref` resolves inside it, two runs give the
same bytes, each component is the definition's JSON Schema with its references moved to
`#/components/schemas/`, and every example it embeds validates against its schema."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator, validate

from pages import run_cli

ROOT = Path(__file__).resolve().parent.parent
CORPUS_FOLDER = ROOT.parent / "shared" / "corpus" / "mistral-ts-2024-08" / "models"
COMPONENTS = "#/components/schemas/"
LITERALS = frozenset({"examples", "enum", "const", "default"})
"""Keywords whose values are JSON data, not schemas: a `$ref` key in them is no reference."""


# -- helpers --------------------------------------------------------------------------------------


def generate(cwd: Path, out: Path, *args: str, seed: str = "0") -> dict[str, bytes]:
    """`docmodels generate ARGS -o OUT` in `cwd`; every file of the output folder (path -> bytes)."""
    result = run_cli(cwd, "generate", *args, "-o", str(out), "--no-cache", env={**os.environ, "PYTHONHASHSEED": seed})
    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr[-3000:]}"
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def subschemas(schema: Any) -> Iterator[dict[str, Any]]:
    """`schema` and every schema below it (not the JSON data of examples, enums and constants; a
    property named like a keyword is still a property)."""
    if not isinstance(schema, dict):
        return
    yield schema
    for key, value in schema.items():
        if key == "properties" and isinstance(value, dict):
            for sub in value.values():
                yield from subschemas(sub)
        elif key in LITERALS:
            continue
        elif isinstance(value, dict):
            yield from subschemas(value)
        elif isinstance(value, list):
            for item in value:
                yield from subschemas(item)


def pointer(document: Any, ref: str) -> Any:
    """What a local reference (`#/a/b`) points at in `document`; KeyError where nothing is."""
    assert ref.startswith("#/"), f"not a local reference: {ref!r}"
    node = document
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def bad_refs(document: dict[str, Any]) -> list[str]:
    """Every `$ref` of the document's schemas that does not name one of its components."""
    schemas = document["components"]["schemas"]
    found = []
    for name, component in schemas.items():
        for sub in subschemas(component):
            ref = sub.get("$ref")
            if ref is None:
                continue
            try:
                target = pointer(document, ref) if isinstance(ref, str) and ref.startswith(COMPONENTS) else None
            except (KeyError, TypeError):
                target = None
            if target is None or target is not schemas.get(ref.removeprefix(COMPONENTS)):
                found.append(f"{name}: {ref!r}")
    return found


def example_errors(document: dict[str, Any]) -> tuple[int, list[str]]:
    """(examples checked, the ones that fail): each example against the schema that holds it, its
    references resolved with the whole OpenAPI document as the root."""
    root = jsonschema.Draft202012Validator(document)
    checked, errors = 0, []
    for name, component in document["components"]["schemas"].items():
        for sub in subschemas(component):
            if not isinstance(sub.get("examples"), list):
                continue
            validator = root.evolve(schema=sub)  # keeps the root's resolver: #/components/... resolve
            for example in sub["examples"]:
                checked += 1
                errors += [f"{name}: {example!r}: {e.message}" for e in validator.iter_errors(example)]
    return checked, errors


def as_component(schema: dict[str, Any], own: str) -> dict[str, Any]:
    """A JSON Schema file's root schema as the OpenAPI component `own` should be: no `$schema`,
    `$comment` or `$defs`, references moved from `#` and `#/$defs/X` to `#/components/schemas/`."""
    text = json.dumps({k: v for k, v in schema.items() if k not in ("$schema", "$comment", "$defs")})
    data: dict[str, Any] = json.loads(text)
    for sub in subschemas(data):
        if "$ref" in sub:
            ref = sub["$ref"]
            sub["$ref"] = COMPONENTS + (own if ref == "#" else ref.removeprefix("#/$defs/"))
    return data


def check_document(files: dict[str, bytes]) -> dict[str, Any]:
    """The checks every generated openapi.json passes; the document."""
    assert "openapi.json" in files, sorted(files)
    text = files["openapi.json"].decode("utf-8")
    document: dict[str, Any] = json.loads(text)
    assert text == json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    assert list(document) == ["openapi", "info", "jsonSchemaDialect", "paths", "components"]
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"] == "docmodels" and document["info"]["version"] == "0"
    assert document["jsonSchemaDialect"] == "https://json-schema.org/draft/2020-12/schema"
    assert document["paths"] == {}
    schemas = document["components"]["schemas"]
    assert schemas and list(schemas) == sorted(schemas)
    validate(document, cls=OpenAPIV31SpecValidator)
    assert bad_refs(document) == []
    assert "openapi.json" in json.loads(files[".docmodels-manifest.json"])["files"]
    return document


def same_as_jsonschema(document: dict[str, Any], files: dict[str, bytes]) -> None:
    """Each component is its definition's JSON Schema file, references moved."""
    by_title = {c["title"]: (name, c) for name, c in document["components"]["schemas"].items()}
    json_files = {path: json.loads(text) for path, text in files.items() if path.startswith("jsonschema/")}
    assert len(by_title) == len(document["components"]["schemas"]) == len(json_files)
    for path, schema in json_files.items():
        name, component = by_title[schema["title"]]
        assert component == as_component(schema, name), path


# -- this repository's specs/ ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of this project's pages and settings: runs there leave this repository alone."""
    folder = tmp_path_factory.mktemp("project")
    shutil.copy(ROOT / "pyproject.toml", folder / "pyproject.toml")
    shutil.copytree(ROOT / "specs", folder / "specs")
    return folder


@pytest.fixture(scope="module")
def own(project: Path) -> dict[str, bytes]:
    return generate(project, project / "out", "--target", "jsonschema", "--target", "openapi")


def test_own_specs_give_a_valid_openapi_document(own: dict[str, bytes]) -> None:
    document = check_document(own)
    schemas = document["components"]["schemas"]
    assert {"DetailedJobOut", "CheckpointOut", "DetailedJobOutStatus"} <= set(schemas)
    assert schemas["CheckpointOut"]["properties"]["metrics"]["$ref"] == "#/components/schemas/MetricOut"
    assert "#/$defs/" not in own["openapi.json"].decode()


def test_own_components_are_the_json_schemas(own: dict[str, bytes]) -> None:
    same_as_jsonschema(check_document(own), own)


def test_own_examples_validate(own: dict[str, bytes]) -> None:
    checked, errors = example_errors(check_document(own))
    assert errors == []
    assert checked > 0, "no examples found; CheckpointOut.created_at has one on its page"


def test_openapi_alone_and_byte_identical_across_runs(project: Path) -> None:
    runs = [generate(project, project / f"alone-{seed}", "--target", "openapi", seed=seed) for seed in ("0", "4242")]
    assert sorted(runs[0]) == [".docmodels-manifest.json", "__init__.py", "openapi.json"]
    assert runs[0] == runs[1]
    check_document(runs[0])


def test_openapi_is_not_a_default_target(project: Path) -> None:
    files = generate(project, project / "default")
    assert "openapi.json" not in files
    assert {"models.py", "typeddicts.py"} <= set(files) and any(p.startswith("jsonschema/") for p in files)


def test_the_checks_catch_broken_documents(own: dict[str, bytes]) -> None:
    document = json.loads(own["openapi.json"])
    dangling = json.loads(json.dumps(document))
    dangling["components"]["schemas"]["CheckpointOut"]["properties"]["metrics"]["$ref"] = COMPONENTS + "Nope"
    assert bad_refs(dangling) == ["CheckpointOut: '#/components/schemas/Nope'"]
    outside = json.loads(json.dumps(document))
    outside["components"]["schemas"]["CheckpointOut"]["properties"]["metrics"]["$ref"] = "#/info"
    assert bad_refs(outside) == ["CheckpointOut: '#/info'"]
    wrong = json.loads(json.dumps(document))
    wrong["components"]["schemas"]["CheckpointOut"]["required"] = "metrics"
    with pytest.raises(Exception, match="is not of type 'array'"):
        validate(wrong, cls=OpenAPIV31SpecValidator)
    misfit = json.loads(json.dumps(document))
    misfit["components"]["schemas"]["CheckpointOut"]["properties"]["created_at"]["examples"] = ["yesterday"]
    assert example_errors(misfit)[1] == ["CheckpointOut: 'yesterday': 'yesterday' is not of type 'number'"]


# -- a real corpus folder -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    if not CORPUS_FOLDER.is_dir():
        pytest.skip("../shared/corpus is absent: the corpus part of the OpenAPI tests needs it")
    folder = tmp_path_factory.mktemp("corpus")
    return generate(folder, folder / "out", str(CORPUS_FOLDER), "--wire-case", "snake", "--target", "jsonschema", "--target", "openapi")


def test_corpus_gives_a_valid_openapi_document(corpus: dict[str, bytes]) -> None:
    document = check_document(corpus)
    assert len(document["components"]["schemas"]) >= 50


def test_corpus_components_are_the_json_schemas(corpus: dict[str, bytes]) -> None:
    same_as_jsonschema(check_document(corpus), corpus)


def test_corpus_examples_validate(corpus: dict[str, bytes]) -> None:
    checked, errors = example_errors(check_document(corpus))
    assert errors == []
    assert checked > 0
