"""The pipeline as functions, for the CLI and for build scripts:
pages -> parse -> resolve -> render -> format -> compare/write."""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import config as config_module
from . import ir, output
from .config import Config
from .errors import Problem
from .format import format_files
from .render import render
from .resolve import load_schema


@dataclass(frozen=True, slots=True)
class Result:
    out: Path
    files: dict[str, str]
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


def load(config: Config) -> tuple[ir.Schema, list[Problem]]:
    """The resolved schema and the warnings found on the way; raises InputError on bad input."""
    return load_schema(config.specs, config.roots, config.settings, config.base, config.problems)


def check(config: Config) -> Result:
    """Compare the output folder with what would be generated; writes nothing."""
    return _run(config, write=False)


def generate(config: Config) -> Result:
    """Bring the output folder up to date: write what changed, remove what no model produces."""
    return _run(config, write=True)


def _run(config: Config, write: bool) -> Result:
    # Everything is rendered and formatted before anything is written: bad input writes nothing.
    schema, warnings = load(config)
    files = format_files(render(schema, config.targets, config.templates))
    changes = output.compare(config.out, files)
    if write:
        output.write(config.out, files, changes)
    diff = "" if write else output.diff(config.out, files, changes)
    return Result(config.out, files, changes, diff, _summary(schema), tuple(warnings))


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

    return {"sources": list(schema.sources), "definitions": convert(schema.definitions)}
