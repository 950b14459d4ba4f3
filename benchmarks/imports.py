"""What importing the generated models costs an application, in both layouts.

Usage, from the repository root (``../shared/corpus`` beside it)::

    .venv/bin/python benchmarks/imports.py                       # mistral-ts (1,187 pages), 9 rounds
    .venv/bin/python benchmarks/imports.py --folder PAGES --model ChatCompletionResponse --rounds 5

The folder is generated twice into a temporary directory, with ``layout = "module"`` and
``layout = "package"``. Each import then runs as a whole new interpreter (``python -c``), the
rounds interleaving the layouts and a bare interpreter start, and the figures are medians over
the rounds, given over the bare start: wall time, and peak memory (``VmHWM`` of the child: Linux only).
"Bytecode cached" is what an application meets every time after the first; "first import" is
the same with no bytecode (``-B``, the cache removed), what the first process after a
regeneration pays. The report goes to stdout and to ``--output`` (default
``benchmarks/imports.md``)."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
# The child's peak memory in KB: VmHWM of the process's own memory map (ru_maxrss would also count
# the pages the process had when it was forked from this script, before it started Python).
REPORT_MEMORY = """
import sys
with open("/proc/self/status") as status:
    sys.stdout.write(next(line.split()[1] for line in status if line.startswith("VmHWM:")))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folder", type=Path, default=CORPUS / "mistral-ts")
    parser.add_argument("--model", default="ChatCompletionResponse", help="the one model imported alone")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "imports.md")
    parser.add_argument("--also", metavar="LABEL=PROJECT", action="append", default=[], help="measure too the `out` package of PROJECT, generated beforehand (by another version, say), as layout LABEL")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        projects = {layout: work / layout for layout in ("module", "package")}
        for layout, project in projects.items():
            _generate(args.folder, project, layout)
        for also in args.also:
            label, _, folder = also.partition("=")
            projects[label] = Path(folder).resolve()
        cases = [
            ("bare interpreter", "module", "pass"),
            *((f"`from out.models import {args.model}`", layout, f"from out.models import {args.model}") for layout in projects),
            *(("every model (`from out.models import *`)", layout, "from out.models import *") for layout in projects),
            *(("every TypedDict (`from out.typeddicts import *`)", layout, "from out.typeddicts import *") for layout in projects),
        ]
        rows = []
        for bytecode in (True, False):
            figures = _measure(projects, cases, args.rounds, bytecode)
            bare_time, bare_memory = figures[0]
            for (what, layout, _), (seconds, kilobytes) in zip(cases[1:], figures[1:]):
                rows.append((what, layout, "cached" if bytecode else "first import", (seconds - bare_time) * 1000, (kilobytes - bare_memory) / 1024))
    pages = sum(1 for _ in args.folder.rglob("*.md"))
    lines = [
        f"# Import cost of the generated models: {args.folder.name} ({pages} pages)",
        "",
        f"Measured by `benchmarks/imports.py`, {args.rounds} rounds, medians over a bare interpreter start ({bare_time * 1000:.0f} ms, {bare_memory / 1024:.1f} MB).",
        "",
        "| import | layout | bytecode | time over bare (ms) | memory over bare (MB) |",
        "| --- | --- | --- | ---: | ---: |",
        *(f"| {what} | {layout} | {bytecode} | {ms:.0f} | {mb:.1f} |" for what, layout, bytecode, ms, mb in rows),
        "",
    ]
    report = "\n".join(lines)
    sys.stdout.write(report)
    args.output.write_text(report, encoding="utf-8")
    return 0


def _generate(pages: Path, project: Path, layout: str) -> None:
    project.mkdir(parents=True)
    (project / "pyproject.toml").write_text(f'[tool.docmodels]\nspecs = ["{pages.resolve().as_posix()}"]\nout = "out"\nlayout = "{layout}"\nwire_case = "snake"\n', encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "docmodels", "generate", "--no-cache"], cwd=project, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"docmodels generate failed in {project}:\n{result.stderr[-2000:]}")


def _measure(projects: dict[str, Path], cases: list[tuple[str, str, str]], rounds: int, bytecode: bool) -> list[tuple[float, int]]:
    """Per case, the median wall time (s) and peak memory (KB) of a whole interpreter running it."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    flags = [] if bytecode else ["-B"]
    if bytecode:  # an untimed import of everything fills the bytecode cache
        for project in projects.values():
            subprocess.run([sys.executable, "-c", "from out.models import *; from out.typeddicts import *"], cwd=project, env=env, check=True)
    times: list[list[float]] = [[] for _ in cases]
    memory: list[list[int]] = [[] for _ in cases]
    for _ in range(rounds):
        for i, (_, layout, code) in enumerate(cases):
            if not bytecode:
                for cache in projects[layout].rglob("__pycache__"):
                    shutil.rmtree(cache)
            start = time.perf_counter()
            result = subprocess.run([sys.executable, *flags, "-c", f"{code}\n{REPORT_MEMORY}"], cwd=projects[layout], env=env, capture_output=True, text=True, check=True)
            times[i].append(time.perf_counter() - start)
            memory[i].append(int(result.stdout))
    return [(statistics.median(t), int(statistics.median(m))) for t, m in zip(times, memory)]


if __name__ == "__main__":
    sys.exit(main())
