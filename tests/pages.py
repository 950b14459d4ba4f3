"""Helpers for tests that write small pages inline."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from typing import Any
from pathlib import Path


def page(text: str) -> str:
    """An inline page: dedented, without the leading newline of the triple-quoted string."""
    return textwrap.dedent(text).lstrip("\n")


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the only line of `text` that contains `needle`."""
    hits = [i for i, line in enumerate(text.split("\n"), start=1) if needle in line]
    assert len(hits) == 1, f"{needle!r} is on lines {hits}"
    return hits[0]


def write_files(base: Path, files: dict[str, str | bytes]) -> None:
    """Write `files` (relative path -> text or bytes) below `base`, text without newline translation."""
    for rel, content in files.items():
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")


def snapshot(folder: Path) -> dict[str, bytes] | None:
    """Every file below `folder` (relative path -> bytes), None when the folder does not exist."""
    if not folder.exists():
        return None
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() or p.is_symlink()}


def model_page(name: str, *rows: str, description: str = "", header: str = "| Field | Type | Required | Description |") -> str:
    """A TypeScript-dialect model page; each row is `| name | type | required | description |` source."""
    intro = f"\n{description}\n" if description else ""
    rule = "| " + " | ".join("---" for _ in range(header.count("|") - 1)) + " |"
    return f"# {name}\n{intro}\n## Fields\n\n{header}\n{rule}\n" + "".join(r + "\n" for r in rows)


def row(name: str, type_: str = "*string*", required: str = ":heavy_check_mark:", description: str = "N/A") -> str:
    return f"| `{name}` | {type_} | {required} | {description} |"


def run_cli(cwd: Path, *args: str, env: dict[str, str] | None = None, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    """`docmodels ARGS` in `cwd`, as a user runs it: a process of its own, output captured."""
    return subprocess.run(
        [sys.executable, "-m", "docmodels", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        env=env,
    )


def fields_page(name: str, *rows: tuple[str, str, bool]) -> str:
    """A model page in any dialect; each row is (field name, Type cell source, required)."""
    return model_page(name, *(row(field, type_, ":heavy_check_mark:" if required else ":heavy_minus_sign:") for field, type_, required in rows))


def one_field(dialect: str, type_cell: str, required: bool = True, path: str = "docs/models/components/thing.md", name: str = "value") -> Any:
    """The one field of a page whose only row has `type_cell`, read in `dialect` with no problem."""
    from docmodels import ir
    from docmodels.parse import parse_page

    model, problems = parse_page(path, fields_page("Thing", (name, type_cell, required)), dialect)
    assert problems == [], problems
    assert isinstance(model, ir.Model) and len(model.fields) == 1, model
    return model.fields[0]


def one_field_error(dialect: str, type_cell: str, path: str = "docs/models/components/thing.md", name: str = "value") -> str:
    """The one problem, an error at the row, of a page whose only row has `type_cell`."""
    from docmodels import ir
    from docmodels.parse import parse_page

    text = fields_page("Thing", (name, type_cell, True))
    model, problems = parse_page(path, text, dialect)
    assert [(p.loc.line, p.warning) for p in problems] == [(line_of(text, f"`{name}`"), False)], problems
    assert isinstance(model, ir.Model) and model.fields == ()
    return problems[0].message
