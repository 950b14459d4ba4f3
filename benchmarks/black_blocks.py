"""Which blocks of generated code go to black, and the fixture of them the black-range test uses.

Generates `specs/` and every corpus folder of tests/test_corpus.py in-process (no cache, built-in
templates), records each top-level block that `generator/layout.py` cannot lay out and so hands to
black, prints how many per folder, and writes the distinct ones to tests/fixtures/black_blocks.json.
tests/test_precommit.py formats them with the lowest black docmodels allows (in a hook environment
pre-commit builds) and with this environment's black, and wants the same bytes from both.

    .venv/bin/python benchmarks/black_blocks.py [--write]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "black_blocks.json"
sys.path[:0] = [str(ROOT / "tests")]

import docmodels.format as fmt  # noqa: E402
from docmodels import api  # noqa: E402
from test_corpus import CORPUS, FOLDERS, pages_of  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"write {FIXTURE.relative_to(ROOT)}")
    args = parser.parse_args()
    sent: list[str] = []
    black_blocks = fmt._black_blocks

    def recording(blocks: list[str]) -> list[str | None]:
        sent.extend(blocks)
        return black_blocks(blocks)

    fmt._black_blocks = recording
    total = to_black = 0
    for name in ["specs", *sorted(FOLDERS)]:
        before = len(sent)
        with tempfile.TemporaryDirectory() as folder:
            out = str(Path(folder) / "out")
            if name == "specs":
                config = api.load_config(ROOT, {"out": out})
            else:
                source, wire_case, left_out = FOLDERS[name]
                if not CORPUS.is_dir():
                    continue
                specs = [str(p) for p in pages_of(name)] if left_out else [str(CORPUS / source)]
                config = api.load_config(Path(folder), {"specs": specs, "out": out, "wire_case": wire_case, "roots": []})
            result = api.generate(config, use_cache=False)
        blocks = sum(len(fmt._BLOCK_START.split(text)) for path, text in result.files.items() if path.endswith(".py"))
        total, to_black = total + blocks, to_black + len(sent) - before
        print(f"{name:28} {blocks:6,} blocks, {len(sent) - before:4} to black")
    distinct = sorted(set(sent))
    print(f"{'all':28} {total:6,} blocks, {to_black:4} to black, {len(distinct)} distinct")
    if args.write:
        FIXTURE.parent.mkdir(exist_ok=True)
        FIXTURE.write_text(json.dumps(distinct, indent=0, ensure_ascii=True) + "\n", encoding="utf-8")
        print(f"wrote {FIXTURE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
