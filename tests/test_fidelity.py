"""benchmarks/fidelity.py end to end on the smallest corpus folder with a spec (csharp-dailypay),
drawing two instances per model: it runs, and the report has its tables, rows and columns.
Nothing here looks at the figures or at how long anything took."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "fidelity.py"
CORPUS = ROOT.parent / "shared" / "corpus"
FOLDER = "csharp-dailypay"

pytestmark = pytest.mark.skipif(not (CORPUS / FOLDER / "openapi.yaml").is_file(), reason="../shared/corpus is absent: the fidelity benchmark needs it")

SUMMARY = ["folder", "dialect", "settings", "spec schemas", "definitions", "matched", "spec unmatched", "docs unmatched", "differences", "models drawn", "skipped", "instances", "accepted"]


def _table(report: str, heading: str) -> list[list[str]]:
    """The rows (header first, separator left out) of the first table under `heading`."""
    section = report.split(f"## {heading}\n", 1)[1]
    rows = []
    for line in section.splitlines():
        if line.startswith("## "):
            break
        if line.startswith("|") and not line.startswith("| ---"):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    out = tmp_path_factory.mktemp("fidelity") / "fidelity.md"
    result = subprocess.run([sys.executable, str(SCRIPT), "--folder", FOLDER, "--examples", "2", "--budget", "0.2", "--output", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout, out.read_text(encoding="utf-8")


def test_prints_what_it_writes(report: tuple[str, str]) -> None:
    printed, written = report
    assert printed == written
    assert written.startswith("# How close to the real API")


def test_summary(report: tuple[str, str]) -> None:
    rows = _table(report[1], "Summary")
    assert rows[0] == SUMMARY
    assert [row[0] for row in rows[1:]] == [f"`{FOLDER}`", "**all**"]
    for row in rows[1:]:
        assert len(row) == len(SUMMARY)
        assert re.fullmatch(r"\d+(\.\d)?%|-", row[-1])
        assert all(cell.isdigit() for cell in row[3:-1])
    settings = tomllib.loads((ROOT / "benchmarks" / "fidelity_settings.toml").read_text(encoding="utf-8"))[FOLDER]
    assert f"`wire_case={settings['wire_case']}`" in rows[1][2]


def test_differences_by_kind(report: tuple[str, str]) -> None:
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        import fidelity
    finally:
        sys.path.remove(str(SCRIPT.parent))
    rows = _table(report[1], "Differences by kind")
    assert rows[0] == ["kind", f"`{FOLDER}`", "docs carry it", "what fixes it"]
    assert [row[0] for row in rows[1:]] == list(fidelity.KINDS)
    for row in rows[1:]:
        assert row[1].isdigit()
        assert row[2] and row[3]


def test_other_sections(report: tuple[str, str]) -> None:
    written = report[1]
    for heading in ("Rejections by reason", "Wire names by case", "Per folder"):
        assert f"\n## {heading}\n" in written
    cases = _table(written, "Wire names by case")
    assert cases[0][0] == "folder" and cases[1][0] == f"`{FOLDER}`"
    assert f"\n### `{FOLDER}`\n" in written
    assert "- unmatched spec schemas: " in written
