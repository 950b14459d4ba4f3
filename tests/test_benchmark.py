"""benchmarks/run.py end to end on three tiny pages: it runs, and the report has the expected
tables, rows and columns. Nothing here looks at how long anything took."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "run.py"

PAGES = {
    "pet.md": """# Pet

A pet.

## Fields

| Field | Type | Required | Description |
| ----- | ---- | -------- | ----------- |
| `petId` | *string* | :heavy_check_mark: | The pet's id. |
| `owner` | [components.Owner](owner.md) | :heavy_minus_sign: | Who owns it. |
| `kind` | [components.Kind](kind.md) | :heavy_check_mark: | N/A |
""",
    "owner.md": """# Owner

## Fields

| Field | Type | Required | Description |
| ----- | ---- | -------- | ----------- |
| `name` | *string* | :heavy_check_mark: | N/A |
| `age` | *number* | :heavy_minus_sign: | N/A |
""",
    "kind.md": """# Kind

## Values

| Name | Value |
| ---- | ----- |
| `Cat` | cat |
| `Dog` | dog |
""",
}

SUMMARY_COLUMNS = [
    "folder",
    "pages",
    "definitions",
    "docmodels cold, 3 targets (s)",
    "datamodel-codegen dataclasses + TypedDicts (s)",
    "ratio",
    "ratio of CPU time",
    "docmodels check, warm (s)",
    "docmodels after one edit (s)",
]
DETAIL_COLUMNS = [
    "folder",
    "pages",
    "command",
    "median s",
    "min–max s",
    "CPU s",
    "peak RSS MB",
    "÷ datamodel-codegen dataclasses",
    "÷ datamodel-codegen dataclasses + TypedDicts",
]
SCALING_COLUMNS = ["corpus", "pages", "definitions", "docmodels cold (s)", "ms per page", "peak RSS MB", "datamodel-codegen dataclasses (s)", "ms per page", "peak RSS MB"]
DOCMODELS_COMMANDS = [
    "docmodels generate, cold (--no-cache, 3 targets)",
    "docmodels check, nothing changed, warm cache",
    "docmodels generate, one page edited, warm cache",
]
DMC_COMMANDS = [
    "datamodel-codegen, dataclasses",
    "datamodel-codegen, TypedDicts",
    "datamodel-codegen, dataclasses + TypedDicts (sum of medians)",
]
NUMBER = re.compile(r"^\d+(\.\d+)?$")


def table(report: str, heading: str) -> tuple[list[str], list[list[str]]]:
    """The header and rows of the first table under `## heading`."""
    section = report.split(f"## {heading}\n", 1)[1]
    lines = [line for line in section.split("\n## ", 1)[0].splitlines() if line.startswith("|")]
    cells = [[c.strip() for c in line.strip().strip("|").split("|")] for line in lines]
    return cells[0], cells[2:]


def run_benchmark(tmp_path: Path, *extra: str) -> str:
    folder = tmp_path / "tiny"
    folder.mkdir()
    for name, text in PAGES.items():
        (folder / name).write_text(text, encoding="utf-8")
    output = tmp_path / "results.md"
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--runs", "1", "--no-synthetic", "--folder", str(folder), "--output", str(output), *extra],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    report = output.read_text(encoding="utf-8")
    assert proc.stdout == report
    return report


def check_common(report: str, folder: str) -> None:
    assert report.startswith("# docmodels benchmark\n")
    for fact in ("- command: `", "--runs 1 --no-synthetic", "- date: ", "nproc ", "Python 3.", "1 run(s) per measurement"):
        assert fact in report
    header, rows = table(report, "Summary")
    assert header == SUMMARY_COLUMNS
    assert [r[:3] for r in rows] == [[f"`{folder}`", "3", "3"]]
    for cell in (rows[0][3], rows[0][7], rows[0][8]):
        assert NUMBER.match(cell), rows[0]

    header, rows = table(report, "Per folder and command")
    assert header == DETAIL_COLUMNS
    assert [r[2] for r in rows] == DOCMODELS_COMMANDS + DMC_COMMANDS
    assert all(len(r) == len(DETAIL_COLUMNS) and r[0] == f"`{folder}`" for r in rows)
    for row in rows[:3]:
        assert all(NUMBER.match(row[i]) for i in (3, 5, 6)), row

    header, rows = table(report, "Cold time per page")
    assert header == SCALING_COLUMNS
    assert [r[:3] for r in rows] == [[f"`{folder}`", "3", "3"]]
    assert "Synthetic corpus: skipped (--no-synthetic)." in report
    assert "edited page: `owner.md`" in report or "edited page: `pet.md`" in report
    assert "after the edit docmodels rewrote" in report


def test_report_without_datamodel_codegen(tmp_path: Path) -> None:
    report = run_benchmark(tmp_path, "--skip-datamodel-codegen")
    folder = (tmp_path / "tiny").as_posix()
    check_common(report, folder)
    _, rows = table(report, "Per folder and command")
    for row in rows[3:]:
        assert row[3].startswith("skipped"), row
    for row in rows[:3]:
        assert row[7:] == ["n/a", "n/a"], row
    _, rows = table(report, "Summary")
    assert rows[0][4].startswith("skipped") and rows[0][5:7] == ["n/a", "n/a"], rows[0]
    assert "datamodel-codegen: skipped (--skip-datamodel-codegen)" in report


def test_report_with_datamodel_codegen(tmp_path: Path) -> None:
    report = run_benchmark(tmp_path)
    folder = (tmp_path / "tiny").as_posix()
    check_common(report, folder)
    _, rows = table(report, "Per folder and command")
    for row in rows:
        assert NUMBER.match(row[3]), row
    for row in rows[:3]:
        assert NUMBER.match(row[7]) and NUMBER.match(row[8]), row
    _, rows = table(report, "Summary")
    assert all(NUMBER.match(cell) for cell in rows[0][3:]), rows[0]
    assert "datamodel-codegen input: one schema, 3 models in `$defs`" in report
    assert "datamodel-codegen, dataclasses: 3 of 3 models named in its output" in report
    assert "datamodel-codegen, TypedDicts: 3 of 3 models named in its output" in report


def test_import_cost_report(tmp_path: Path) -> None:
    """benchmarks/imports.py on the three pages: a row per import, layout and bytecode state, each
    with a time and a memory figure (how large they are is for the report's reader)."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    for name, text in PAGES.items():
        (folder / name).write_text(text, encoding="utf-8")
    output = tmp_path / "imports.md"
    script = ROOT / "benchmarks" / "imports.py"
    proc = subprocess.run(
        [sys.executable, str(script), "--rounds", "1", "--folder", str(folder), "--model", "Pet", "--output", str(output)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    report = output.read_text(encoding="utf-8")
    assert proc.stdout == report and report.startswith("# Import cost of the generated models: tiny (3 pages)\n")
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in report.splitlines()[6:] if line.startswith("|")]
    imports = ["`from out.models import Pet`", "every model (`from out.models import *`)", "every TypedDict (`from out.typeddicts import *`)"]
    assert [r[:3] for r in rows] == [[what, layout, state] for state in ("cached", "first import") for what in imports for layout in ("module", "package")]
    assert all(re.fullmatch(r"-?\d+", r[3]) and re.fullmatch(r"-?\d+\.\d", r[4]) for r in rows), rows
