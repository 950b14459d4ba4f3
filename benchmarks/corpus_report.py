"""What docmodels reads of each corpus folder: pages, definitions, errors, warnings by kind,
rows and pages left out as SDK-only, and how many fields' nullability the page decided.

Usage, from the repository root (``../shared/corpus`` beside it)::

    .venv/bin/python benchmarks/corpus_report.py [FOLDER ...]    # default: every corpus folder

Each folder is read as a user would: ``docmodels schema FOLDER --format json`` in a process of
its own (no cache), with the folder's default settings. Prints a markdown table.
"""

from __future__ import annotations

import collections
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
_PAGE = re.compile(r"\S+\.md(?::\d+)?")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|\d+")


def kind(message: str) -> str:
    """A problem's message with its particulars taken out, so that problems of one kind count together."""
    return _QUOTED.sub("_", _PAGE.sub("_", message.split(";")[0]))[:90]


def report(folder: Path) -> dict[str, object]:
    # --diagnostics json: every problem on its own line, with its severity (text collapses warnings of a kind).
    result = subprocess.run([sys.executable, "-m", "docmodels", "schema", str(folder), "--format", "json", "--diagnostics", "json"], cwd=ROOT, capture_output=True, text=True)
    pages = sum(1 for p in folder.rglob("*.md") if p.name.lower() != "readme.md" and "/types/" not in p.as_posix())
    errors: collections.Counter[str] = collections.Counter()
    warnings: collections.Counter[str] = collections.Counter()
    for line in result.stderr.splitlines():
        try:
            problem = json.loads(line)
        except ValueError:  # not docmodels' own line (a crash): counted as it is
            if line.strip():
                errors[line[:90]] += 1
            continue
        (warnings if problem["severity"] == "warning" else errors)[kind(problem["message"])] += 1
    row: dict[str, object] = {"folder": folder.name, "pages": pages, "errors": errors, "warnings": warnings}
    if result.returncode == 0:
        data = json.loads(result.stdout)
        definitions = data["definitions"]
        fields = [f for d in definitions if d["kind"] == "model" for f in d["fields"]]
        row.update(
            definitions=len(definitions),
            fields=len(fields),
            by_page=sum(1 for f in fields if f["nullable_decided_by"] == "page"),
            left_out_rows=collections.Counter(x["reason"] for d in definitions if d["kind"] == "model" for x in d["left_out"]),
            left_out_pages=[x["name"] for x in data["left_out"]],
        )
    return row


def main(argv: list[str]) -> int:
    folders = [Path(a) for a in argv] or sorted(p for p in CORPUS.iterdir() if p.is_dir())
    print("| folder | pages | definitions | errors | warnings | fields | nullability by the page | SDK-only rows | SDK-only pages |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    details = []
    for folder in folders:
        row = report(folder)
        errors, warnings = row["errors"], row["warnings"]
        assert isinstance(errors, collections.Counter) and isinstance(warnings, collections.Counter)
        left_rows = row.get("left_out_rows", collections.Counter())
        assert isinstance(left_rows, collections.Counter)
        print(
            f"| `{row['folder']}` | {row['pages']} | {row.get('definitions', '-')} | {sum(errors.values())} | {sum(warnings.values())} "
            f"| {row.get('fields', '-')} | {row.get('by_page', '-')} | {sum(left_rows.values())} | {', '.join(row.get('left_out_pages', [])) or '-'} |"  # type: ignore[arg-type]
        )
        details.append((row["folder"], errors, warnings, left_rows))
    for name, errors, warnings, left_rows in details:
        print(f"\n{name}:")
        for label, counter in (("error", errors), ("warning", warnings), ("left out", left_rows)):
            for message, n in counter.most_common(8):
                print(f"  {label} x{n}: {message}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
