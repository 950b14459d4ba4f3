"""Every real page of the TypeScript and Python folders in ../shared/corpus: generated,
type-checked, and every example the pages carry validated against its schema and round-tripped
through the dataclasses."""

from __future__ import annotations

import enum
import importlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from generator.names import snake_case

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
FOLDERS = {
    "corpus_ts2024": "mistral-ts-2024-08/models",
    "corpus_ts": "mistral-ts",
    "corpus_py": "mistral-py",
    "corpus_ts_latitudesh": "ts-latitudesh",
    "corpus_py_latitudesh": "python-latitudesh",
    "corpus_py_gusto": "python-gusto-appint",
}

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent: the corpus tests need it")


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("corpus")


@pytest.fixture(scope="module", params=sorted(FOLDERS))
def generated(request: pytest.FixtureRequest, out: Path) -> tuple[str, Path, str]:
    """(package name, output folder, stderr) for one corpus folder, generated as a user would."""
    name = request.param
    result = subprocess.run(
        [sys.executable, "-m", "generator", "generate", str(CORPUS / FOLDERS[name]), "-o", str(out / name), "--wire-case", "snake"],
        cwd=out,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return name, out / name, result.stderr


def test_no_page_is_an_error(generated: tuple[str, Path, str]) -> None:
    _, folder, stderr = generated
    errors = [line for line in stderr.splitlines() if ": warning: " not in line]
    assert errors == []
    pages = [p for p in (CORPUS / FOLDERS[folder.name]).rglob("*.md") if p.name != "README.md"]
    assert len(list((folder / "jsonschema").glob("*.json"))) >= len(pages)


def test_mypy_strict(generated: tuple[str, Path, str]) -> None:
    _, folder, _ = generated
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", folder.name],
        cwd=folder.parent,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:]


def test_black_changes_nothing(generated: tuple[str, Path, str]) -> None:
    """docmodels writes black's style itself (generator/layout.py) and runs black only on what it
    cannot lay out: black must find nothing to change in the whole output."""
    _, folder, _ = generated
    result = subprocess.run(
        [sys.executable, "-m", "black", "--check", "--diff", "--target-version", "py310", "--workers", "2", "."],
        cwd=folder,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-1000:]


def test_schemas_and_examples(generated: tuple[str, Path, str]) -> None:
    name, folder, _ = generated
    sys.path.insert(0, str(folder.parent))
    try:
        models = importlib.import_module(f"{name}.models")
        runtime = importlib.import_module(f"{name}._runtime")
    finally:
        sys.path.remove(str(folder.parent))
    checked = 0
    for path in sorted((folder / "jsonschema").glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(document)
        validator = jsonschema.Draft202012Validator(document)
        for example in document.get("examples", []):
            _assert_valid(validator, example, path)
            _assert_round_trip(models, runtime, path.stem, example)
            checked += 1
        for key, prop in document.get("properties", {}).items():
            sub = jsonschema.Draft202012Validator({**prop, "$defs": document.get("$defs", {})})
            for example in prop.get("examples", []):
                _assert_valid(sub, example, f"{path.name} property {key}")
                target = prop.get("$ref", "").removeprefix("#/$defs/")
                if target:
                    _assert_round_trip(models, runtime, target, example)
                checked += 1
    assert checked > 0


def _assert_valid(validator: jsonschema.Draft202012Validator, example: Any, where: object) -> None:
    errors = [e.message for e in validator.iter_errors(example)]
    assert errors == [], f"{where}: example does not validate: {errors[:3]}"


def _assert_round_trip(models: Any, runtime: Any, class_name: str, example: Any) -> None:
    """from_dict then to_dict gives the example back, whatever kind of definition it is."""
    definition = getattr(models, class_name)
    if hasattr(definition, "from_dict"):
        loaded = definition.from_dict(example)
    elif isinstance(definition, type) and issubclass(definition, enum.Enum):
        loaded = runtime.open_enum(definition)(example)
    else:  # a union: a type alias with a reader function beside it
        loaded = getattr(models, snake_case(class_name) + "_from_dict")(example)
    assert runtime.dump(loaded) == example, class_name
