"""The overrides file beyond names: per field `nullable`, `required` and `type`, per enum `open`,
model and field names as patterns (exact names win), and the settings `open_enums` and
`nullable = "all"`. Read in-process (the IR) and generated once per set of settings, then
imported. Entries that match nothing and bad values are in test_config_errors.py (one error
each, at its line)."""

from __future__ import annotations

import dataclasses
import importlib
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from docmodels import config, ir
from docmodels.resolve import load_schema
from pages import model_page, page, row, run_cli, write_files

PYPROJECT = '[project]\nname = "tmp"\n\n[tool.docmodels]\nspecs = ["ov"]\nroots = ["Job", "JobResponse", "Mode"]\n'
OPTIONAL = ":heavy_minus_sign:"
JOB = model_page(
    "Job",
    row("id"),
    row("created_at", required=OPTIONAL),
    row("updated_at", required=OPTIONAL),
    row("count", required=OPTIONAL),
    row("tags", required=OPTIONAL),
    row("meta", required=OPTIONAL),
    row("owner", required=OPTIONAL),
    row("status", "[components.Status](status.md)"),
)
JOB_RESPONSE = model_page("JobResponse", row("job_id"), row("finished_at", required=OPTIONAL))
USER = model_page("User", row("name"))  # linked by no page: only the override's type brings it in
STATUS = page(
    """
    # Status

    ## Values

    ```typescript
    "queued" | "done"
    ```
    """
)
MODE = page(
    """
    # Mode

    ## Example Usage

    ```typescript
    import { Mode } from "@mistralai/mistralai/models/components";

    let value: Mode = "fast";

    // Open enum: unrecognized values are captured as Unrecognized<string>
    ```

    ## Values

    ```typescript
    "fast" | "slow"
    ```
    """
)
OVERRIDES = page(
    """
    "*":
      "*_at":
        type: date-time
    "*Response":
      "*":
        nullable: true
    JobResponse:
      finished_at:
        nullable: false
    Job:
      id:
        required: false
        nullable: false
      updated_at:
        type: string
      count:
        type: integer
        required: true
      tags:
        type: list[string]
      meta:
        type: dict[str, integer]
      owner:
        type: User
        nullable: true
    Status:
      open: true
    Mode:
      open: false
    """
)
PAGES = {"ov/job.md": JOB, "ov/jobresponse.md": JOB_RESPONSE, "ov/user.md": USER, "ov/status.md": STATUS, "ov/mode.md": MODE}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("overrides")
    write_files(base, {"pyproject.toml": PYPROJECT, "overrides.yaml": OVERRIDES, **PAGES})
    (base / "out").mkdir()
    sys.path.insert(0, str(base / "out"))
    yield base
    sys.path.remove(str(base / "out"))
    for name in [m for m in sys.modules if m.split(".")[0] in ("ov_pkg", "ov_all_pkg")]:
        del sys.modules[name]


def resolved(base: Path, **args: Any) -> dict[str, ir.Definition]:
    cfg = config.load(base, args)
    assert cfg.problems == (), cfg.problems
    schema, _ = load_schema(cfg.specs, cfg.roots, cfg.settings, cfg.base)
    return {d.name: d for d in schema.definitions}


def field(defs: dict[str, ir.Definition], model: str, name: str) -> ir.Field:
    definition = defs[model]
    assert isinstance(definition, ir.Model)
    (found,) = [f for f in definition.fields if f.doc_name == name]
    return found


def build(base: Path, package: str, *args: str) -> SimpleNamespace:
    result = run_cli(base, "generate", "-o", f"out/{package}", *args)
    assert result.returncode == 0, result.stderr
    return SimpleNamespace(models=importlib.import_module(f"{package}.models"), rt=importlib.import_module(f"{package}._runtime"))


@pytest.fixture(scope="module")
def overridden(project: Path) -> SimpleNamespace:
    return build(project, "ov_pkg", "--overrides", "overrides.yaml")


@pytest.fixture(scope="module")
def everything_open(project: Path) -> SimpleNamespace:
    return build(project, "ov_all_pkg", "--open-enums", "all", "--nullable", "all")


def test_type_override_of_each_kind(project):
    defs = resolved(project, overrides="overrides.yaml")
    assert field(defs, "Job", "count").type == ir.Primitive("integer")
    assert field(defs, "Job", "tags").type == ir.Array(ir.Primitive("string"))
    assert field(defs, "Job", "meta").type == ir.Map(ir.Primitive("integer"))
    assert field(defs, "Job", "owner").type == ir.Ref("User", "ov/user.md")
    assert "User" in defs  # brought into the closure of the roots by the override alone
    assert "User" not in resolved(project)


def test_required_and_nullable_overrides(project):
    defs = resolved(project, overrides="overrides.yaml")
    job_id, count, owner = field(defs, "Job", "id"), field(defs, "Job", "count"), field(defs, "Job", "owner")
    assert (job_id.required, job_id.nullable, job_id.nullable_decided_by) == (False, False, "override")
    assert (count.required, count.nullable, count.nullable_decided_by) == (True, False, "setting")
    assert (owner.nullable, owner.nullable_decided_by) == (True, "override")


def test_patterns_for_models_and_fields(project):
    defs = resolved(project, overrides="overrides.yaml")
    assert field(defs, "Job", "created_at").type == ir.Primitive("date-time")  # "*": {"*_at": ...}
    assert field(defs, "JobResponse", "finished_at").type == ir.Primitive("date-time")
    job_id = field(defs, "JobResponse", "job_id")  # "*Response": {"*": {nullable: true}}
    assert (job_id.required, job_id.nullable, job_id.nullable_decided_by) == (True, True, "override")


def test_exact_names_beat_patterns(project):
    defs = resolved(project, overrides="overrides.yaml")
    assert field(defs, "Job", "updated_at").type == ir.Primitive("string")  # not "*_at"'s date-time
    finished = field(defs, "JobResponse", "finished_at")
    # nullable from the exact entry, type from the pattern: each setting from the best entry that sets it
    assert (finished.type, finished.nullable, finished.nullable_decided_by) == (ir.Primitive("date-time"), False, "override")


def test_enum_open_override(project):
    defs = resolved(project, overrides="overrides.yaml")
    assert defs["Status"].open is True and defs["Mode"].open is False
    plain = resolved(project)
    assert plain["Status"].open is False and plain["Mode"].open is True


def test_open_enums_setting(project):
    assert [resolved(project, open_enums=s)[n].open for s in ("page", "all", "none") for n in ("Status", "Mode")] == [False, True, True, True, False, False]
    assert resolved(project, open_enums="all", overrides="overrides.yaml")["Mode"].open is False  # the override wins


def test_nullable_all_setting(project):
    defs = resolved(project, nullable="all")
    decided = {(m, f.doc_name): (f.nullable, f.nullable_decided_by) for m in ("Job", "JobResponse") for f in defs[m].fields}  # type: ignore[union-attr]
    assert all(nullable for nullable, _ in decided.values()), decided
    assert decided[("Job", "id")] == (True, "setting")


def test_generated_code_follows_the_overrides(overridden):
    Job, rt = overridden.models.Job, overridden.rt
    job = Job.from_dict({"id": "j", "count": 3, "created_at": "2024-01-02T03:04:05Z", "meta": {"a": 1}, "tags": ["x"], "owner": None, "status": "paused"})
    assert job.count == 3 and job.owner is None and job.meta == {"a": 1}
    assert job.created_at.year == 2024  # a datetime, as the pattern says
    assert job.to_dict()["status"] == "paused"  # Status is open: an unknown value is kept
    with pytest.raises(rt.ValidationError, match="count"):
        Job.from_dict({"status": "done"})  # count is required now, id is not
    with pytest.raises(rt.ValidationError):
        Job.from_dict({"count": "3", "status": "done"})
    assert overridden.models.JobResponse.from_dict({"job_id": None}).job_id is None
    with pytest.raises(ValueError):
        overridden.models.Mode("turbo")  # Mode is closed: its page says open, the override does not


def test_generated_code_with_everything_open(everything_open):
    models, rt = everything_open.models, everything_open.rt
    job = models.Job.from_dict({"id": None, "status": "paused"})
    assert job.id is None and job.to_dict() == {"id": None, "status": "paused"}
    assert models.JobResponse.from_dict({"job_id": None, "finished_at": None}).finished_at is None
    with pytest.raises(rt.ValidationError):
        models.Job.from_dict({"status": "paused"})  # nullable is not optional: id is still required


def test_a_changed_overrides_file_is_never_answered_from_the_cache(tmp_path):
    """The run's cache key covers the overrides (their settings, not only the file's name)."""
    write_files(tmp_path, {"pyproject.toml": PYPROJECT + 'overrides = "o.yaml"\n', "o.yaml": "Job:\n  owner:\n    nullable: false\n", **PAGES})

    def owner_schema() -> Any:
        result = run_cli(tmp_path, "generate")
        assert result.returncode == 0, result.stderr
        import json

        return json.loads((tmp_path / "generated/jsonschema/Job.json").read_text(encoding="utf-8"))["properties"]["owner"]

    assert owner_schema() == {"type": "string"}
    (tmp_path / "o.yaml").write_text("Job:\n  owner:\n    nullable: true\n    type: integer\n", encoding="utf-8")
    assert owner_schema() == {"type": ["integer", "null"]}


def test_decided_by_survives_the_ir_round_trip():
    f = ir.Field("a", "a", "a", ir.Primitive("string"), True, True, "example", "", (None,), False, ir.SourceLoc("p.md", 3))
    assert ir.loads(ir.dumps(f)) == f and ir.loads(ir.dumps(dataclasses.replace(f, nullable_decided_by="override"))).nullable_decided_by == "override"
