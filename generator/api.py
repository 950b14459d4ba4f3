"""The pipeline as functions, for the CLI and for build scripts:
pages -> parse -> resolve -> render -> format -> compare/write."""

from __future__ import annotations

import contextlib
import dataclasses
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import cache, ir, output
from . import config as config_module
from .config import Config, find_pages
from .errors import InputError, Problem


@dataclass(frozen=True, slots=True)
class Result:
    out: Path
    files: Mapping[str, str]
    """Every output file (relative path -> text), as generated."""
    changes: output.Changes
    """What differed from the output folder before the run."""
    diff: str
    summary: str
    """`10 definitions (8 models, 2 enums) from 10 pages`."""
    warnings: tuple[Problem, ...]
    """Docs inconsistencies docmodels worked around, each with its file:line."""


def load_config(cwd: Path | None = None, overrides: dict[str, Any] | None = None) -> Config:
    """The configuration `docmodels` would use in `cwd`; `overrides` are command-line style values
    (specs, out, roots, targets, wire_case, nullable, overrides, templates)."""
    return config_module.load(cwd or Path.cwd(), overrides or {})


def load_configs(cwd: Path | None = None, overrides: dict[str, Any] | None = None) -> list[Config]:
    """The configuration of each output (`[[tool.docmodels.output]]`), in the order of the file;
    one where the project has one output."""
    return config_module.load_all(cwd or Path.cwd(), overrides or {})


def settled(configs: list[Config]) -> list[Config]:
    """`configs`, or, where there are several, InputError with the bad settings of all of them
    (each once): no output is written while another's settings are wrong. One output's bad
    settings are reported with its pages' problems, by the run."""
    problems = sorted({p for c in configs for p in c.problems})
    if problems and len(configs) > 1:
        raise InputError(problems)
    return configs


def load(config: Config) -> tuple[ir.Schema, list[Problem]]:
    """The resolved schema and the warnings found on the way; raises InputError on bad input."""
    from .resolve import load_schema

    return load_schema(config.specs, config.roots, config.settings, config.base, config.problems)


def check(config: Config, use_cache: bool = True) -> Result:
    """Compare the output folder with what would be generated; writes nothing to it. It waits
    while a `generate` holds the folder (a shared lock), so it never sees a run half-way."""
    with _output_folder(config) as out:
        if out.open():
            out.lock(shared=True)
        files, summary, warnings, on_disk = _build(config, use_cache, out)
        changes = output.compare(out, files, on_disk)
        diff = output.diff(out, files, changes, show_path(config.out, config.base))
    return Result(config.out, files, changes, diff, summary, warnings)


def generate(config: Config, force: bool = False, use_cache: bool = True) -> Result:
    """Bring the output folder up to date: write what changed, remove what docmodels wrote earlier
    and no model produces now. A file docmodels did not write is never overwritten or removed,
    unless `force`; raises InputError then, and on bad input, with nothing written. What to
    write is decided while holding the folder's lock, so a run waiting for another decides from
    what that one left."""
    with _output_folder(config) as out:
        existed = out.open()
        if existed:
            out.lock()
        files, summary, warnings, on_disk = _build(config, use_cache, out)
        if not existed:  # made only now: bad input leaves no folder behind
            out.open(create=True)
            out.lock()
        changes = output.compare(out, files, on_disk)
        problems = []
        if not force:
            problems = [
                *(Problem(ir.SourceLoc(show_path(config.out / p, config.base), 1), "this file was not written by docmodels; expected no file there (--force overwrites it)") for p in changes.foreign),
                *(
                    Problem(
                        ir.SourceLoc(show_path(config.out / p, config.base), 1),
                        "this file is listed in the manifest but no longer has the content docmodels wrote; expected that content before removing it (--force removes it)",
                    )
                    for p in output.not_removable(out, changes.extra)
                ),
            ]
        if problems:
            raise InputError(problems)
        output.write(out, files, changes, force=force)
    return Result(config.out, files, changes, "", summary, warnings)


def build(config: Config, use_cache: bool = True) -> tuple[Mapping[str, str], str, tuple[Problem, ...]]:
    """Every output file (the manifest included), the summary line and the warnings. Everything is
    rendered and formatted before anything is written: bad input writes nothing."""
    with _output_folder(config) as out:
        return _build(config, use_cache, out)[:3]


def _output_folder(config: Config) -> output.Folder:
    return output.Folder(config.out, config.base, show_path(config.out, config.base))


def _build(config: Config, use_cache: bool, out: output.Folder) -> tuple[Mapping[str, str], str, tuple[Problem, ...], Mapping[str, str] | None]:
    """`build`, and the files of the output folder known to be what this run makes: all of them
    for a run in the cache whose output is still in place (nothing is parsed or rendered then),
    else the JSON Schema files taken from it."""
    folder = output.Folder(config.base / cache.FOLDER, config.base, cache.FOLDER) if use_cache else None
    with contextlib.ExitStack() as stack:
        if folder is not None:
            stack.enter_context(folder)
        return _build_with(config, use_cache, out, cache.Cache(folder))


def _build_with(config: Config, use_cache: bool, out: output.Folder, store: cache.Cache) -> tuple[Mapping[str, str], str, tuple[Problem, ...], Mapping[str, str] | None]:
    pages = find_pages(config.specs)
    templates = _template_files(config.templates)
    key = cache.run_key([repr(dataclasses.replace(config, problems=())), *map(str, pages), "templates", *map(str, templates)])
    # A bad setting is reported, never answered from the cache (its key holds the default).
    hit = store.run(key, [str(p) for p in [*pages, *templates]]) if not config.problems else None
    on_disk = output.unchanged_files(out, hit["manifest"]) if hit is not None else None
    if hit is not None and on_disk is not None:
        warnings = tuple(Problem(ir.SourceLoc(p, n), m, warning=True, kind=k) for p, n, m, k in hit["warnings"])
        return on_disk, hit["summary"], tuple(sorted((*warnings, *config.warnings))), on_disk
    # Parsing, rendering and black are imported only when the run is not in the cache.
    from .format import format_files
    from .render import json_fingerprints, render_json_schemas, render_openapi, render_python
    from .resolve import load_schema

    read: dict[str, list[Any]] = {}
    schema, found = load_schema(config.specs, config.roots, config.settings, config.base, config.problems, store.pages if use_cache else None, read)
    summary = _summary(schema)
    inputs = sorted({*pages, *(config.base / s for s in schema.sources), *templates})
    # A JSON Schema file is taken from the output folder, not rendered, where the last run with
    # these settings wrote it from the same pages (custom templates may use anything).
    reuse_json = use_cache and config.templates is None and "jsonschema" in config.targets
    fingerprints = json_fingerprints(schema, {page: fp[0] for page, fp in read.items()}) if reuse_json else {}
    last_fingerprints = store.recorded("json")
    same = [path for path, fingerprint in fingerprints.items() if last_fingerprints.get(path) == fingerprint]
    reusable = output.recorded_files(out, store.last_run.get("manifest"), same) if same else {}
    files = format_files(render_python(schema, config.targets, config.templates, config.layout, config.runtime), store.blocks if use_cache else None, black_all=config.templates is not None)
    if "jsonschema" in config.targets:  # after formatting: the largest texts are not all held at once
        files.update(render_json_schemas(schema, config.templates, reusable))
    if "openapi" in config.targets:
        files.update(render_openapi(schema, config.templates))
    files = output.with_manifest(files, schema.sources)
    saved_warnings = [[w.loc.path, w.loc.line, w.message, w.kind] for w in found]
    result = {"manifest": output.manifest_hash(files), "summary": summary, "warnings": saved_warnings, "json": fingerprints}
    store.save_run(key, inputs, result, {str(config.base / page): fp for page, fp in read.items()})
    return files, summary, tuple(sorted((*found, *config.warnings))), reusable


def _template_files(folder: Path | None) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder is not None and folder.is_dir() else []


def show_path(path: Path, base: Path) -> str:
    """`path` for messages: relative to the project root where it is inside it."""
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _summary(schema: ir.Schema) -> str:
    kinds = Counter(type(d).__name__.lower() + "s" for d in schema.definitions)
    parts = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
    return f"{len(schema.definitions)} definitions ({parts}) from {len(schema.sources)} pages"


_TAGGED = (ir.Model, ir.Enum, ir.Union, ir.Array, ir.Map, ir.Ref, ir.LiteralValue, ir.OneOf)


def schema_as_data(schema: ir.Schema) -> dict[str, Any]:
    """The IR as plain data for `docmodels schema`: definitions and type expressions tagged with
    their kind (a primitive is just its kind: `{kind: number}`), locations as `file:line`."""

    def convert(value: Any) -> Any:
        if isinstance(value, ir.SourceLoc):
            return str(value)
        if isinstance(value, ir.Primitive):
            return {"kind": value.kind}
        if isinstance(value, (list, tuple)):
            return [convert(v) for v in value]
        if not dataclasses.is_dataclass(value):
            return value
        data = {"kind": type(value).__name__.lower()} if isinstance(value, _TAGGED) else {}
        return data | {f.name: convert(getattr(value, f.name)) for f in dataclasses.fields(value)}

    return {"sources": list(schema.sources), "definitions": convert(schema.definitions), "left_out": convert(schema.left_out)}
