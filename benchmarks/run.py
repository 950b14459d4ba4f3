"""Benchmark docmodels on the Mistral SDK docs, against datamodel-code-generator.

Usage, from the repository root of a fresh checkout (``../shared/corpus`` beside it)::

    python3 -m venv .venv && .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/run.py                 # 5 runs, then the 10,000-page corpus (~10-15 min)
    .venv/bin/python benchmarks/run.py --runs 3        # fewer runs
    .venv/bin/python benchmarks/run.py --quick         # 1 run, smallest folder, no synthetic corpus
    .venv/bin/python benchmarks/run.py --no-synthetic  # skip the 10,000-page corpus
    .venv/bin/python benchmarks/run.py --folder path/to/pages --skip-datamodel-codegen

The markdown report goes to stdout and to ``--output`` (default ``benchmarks/results.md``);
progress goes to stderr.

What is measured, per page folder (``mistral-ts-2024-08/models``, ``mistral-ts``, ``mistral-py``
under ``--corpus``, default ``../shared/corpus`` relative to the repository; or the ``--folder``
options). The folder is first copied into a temporary directory that has no ``pyproject.toml``
above it, so docmodels takes its defaults and keeps its cache (``.docmodels-cache/``) in the
working folder. Every command runs as a whole process (start-up and imports count), with
``--wire-case snake``:

- ``docmodels generate PAGES -o out-cold-N --no-cache``: cold, a fresh output folder each run,
  all three targets (dataclasses, TypedDicts, one JSON Schema per model);
- ``docmodels check PAGES -o out``: nothing changed, warm cache (after one untimed generate);
- ``docmodels generate PAGES -o out`` after one page was edited: a field row is appended to the
  Fields table of one page (the first page, in path order, with a four-column Fields table); before
  each timed run the page is restored and an untimed generate brings the output and the cache up
  to date with the unedited pages;
- ``datamodel-codegen`` generating ``dataclasses.dataclass`` and, separately, ``typing.TypedDict``
  from the JSON Schema docmodels itself wrote for the same pages.

The input given to datamodel-codegen is one combined schema whose ``$defs`` hold every model,
built by this script from docmodels' ``jsonschema/`` output: each ``<Model>.json`` becomes
``$defs[<Model>]`` (``$ref: "#"`` rewritten to ``#/$defs/<Model>``), and the models it
embeds under its own ``$defs`` are merged in (the script checks that every copy of a model is the
same). The root has no type, so ``--skip-root-model`` drops it where datamodel-codegen supports
it. This makes datamodel-codegen generate each model once, into one module, as docmodels does.
Feeding it the ``jsonschema/`` folder instead would make it write one module per file, each
repeating the models that file embeds (on the 105-page folder: 277 classes for 90 models), so it
would be timed on about three times the work. datamodel-codegen runs with ``--formatters black``
(where supported), so both tools format with black and nothing else (its default also runs
isort), and ``--disable-timestamp``. Its exit code is checked; a failure is reported in the table.

Both tools' Python bytecode is cached in one folder of the run (``PYTHONPYCACHEPREFIX``, with
``PYTHONDONTWRITEBYTECODE`` unset for the children), so neither pays for compiling its modules on
every run whatever the environment says; the untimed set-up runs fill it.

The two tools alternate: each run times docmodels cold, datamodel-codegen dataclasses, docmodels
check, datamodel-codegen TypedDicts, docmodels after the edit. Every measurement is repeated
``--runs`` times and the median is reported, with the minimum and maximum, the CPU time
(user + system, children included: docmodels parses pages in a process pool) and the peak memory
(``ru_maxrss`` from ``os.wait4``, which is the largest single process of the command's process
tree, not a sum over concurrent processes). Ratios are docmodels' median over datamodel-codegen's:
against dataclasses alone, and against dataclasses + TypedDicts (the sum of the two medians, what
it takes datamodel-codegen to produce both Python targets; docmodels also writes the JSON Schema).

The synthetic corpus (skip with ``--no-synthetic``) shows how the cold run scales: copies of every
``mistral-ts`` page sit beside the originals' paths, each copy's ``# Title``, file name, links and
``components.X`` name references carrying the copy's numeric suffix (``agent.md`` / ``# Agent``
becomes ``agent03.md`` / ``# Agent03``), so each copy links only to itself. The last copy is
trimmed, dropping pages nothing links to, to exactly ``--synthetic-pages`` pages (10,000). The
report lists cold time per page for each folder and the synthetic corpus; it is timed
``--synthetic-runs`` times (default 1; one cold run takes a few minutes).
"""

from __future__ import annotations

import argparse
import datetime
import heapq
import json
import math
import os
import platform
import posixpath
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

USAGE = "Usage, " + __doc__.split("Usage, ", 1)[1].split("\n\nWhat is measured", 1)[0].replace("::\n", ":\n") if __doc__ else ""
REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
CORPUS_FOLDERS = ["mistral-ts-2024-08/models", "mistral-ts", "mistral-py"]
SYNTHETIC_SOURCE = "mistral-ts"
WIRE = ["--wire-case", "snake"]

COLD = "docmodels generate, cold (--no-cache, 3 targets)"
CHECK = "docmodels check, nothing changed, warm cache"
EDIT = "docmodels generate, one page edited, warm cache"
DMC_DC = "datamodel-codegen, dataclasses"
DMC_TD = "datamodel-codegen, TypedDicts"
DMC_BOTH = "datamodel-codegen, dataclasses + TypedDicts (sum of medians)"
SCENARIOS = [COLD, CHECK, EDIT, DMC_DC, DMC_TD, DMC_BOTH]


# --- running a command -----------------------------------------------------------------------


@dataclass
class Sample:
    seconds: float
    cpu: float
    rss_mb: float
    exit: int


@dataclass
class Measurement:
    samples: list[Sample] = field(default_factory=list)
    failure: str | None = None  # why there are no (good) samples
    skipped: str | None = None

    def ok(self) -> list[Sample]:
        return [s for s in self.samples if s.exit == 0]

    def median(self) -> float | None:
        ok = self.ok()
        return statistics.median(s.seconds for s in ok) if ok and not self.failure else None


# Children write and reuse bytecode in one folder of the run (set in main): both tools start as they
# would from an ordinary install, even where PYTHONDONTWRITEBYTECODE is set or the checkout is
# read-only, and nothing is written beside the sources.
LOAD_AT_START: float | None = None
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(cmd: list[str], cwd: Path, log: Path) -> Sample:
    """Run `cmd` as a whole process: wall time, CPU time and peak RSS of its process tree."""
    with open(log.with_suffix(".out"), "wb") as out, open(log.with_suffix(".err"), "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=CHILD_ENV)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    rss = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return Sample(seconds, usage.ru_utime + usage.ru_stime, rss, proc.returncode)


def tail(log: Path, lines: int = 3) -> str:
    text = log.with_suffix(".err").read_text(errors="replace").strip().splitlines()
    text = [t for t in text if "Warning" not in t and "warn_deprecated" not in t] or text
    return " / ".join(t.strip() for t in text[-lines:])


def out_text(log: Path) -> str:
    return log.with_suffix(".out").read_text(errors="replace")


# --- tools ------------------------------------------------------------------------------------


def find_tool(script: str, module: str | None) -> list[str] | None:
    beside = Path(sys.executable).parent / script
    if beside.exists():
        return [str(beside)]
    found = shutil.which(script)
    if found:
        return [found]
    return [sys.executable, "-m", module] if module else None


def version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def dmc_options(dmc: list[str]) -> list[str]:
    """Options of datamodel-codegen used here, those this version knows."""
    helptext = subprocess.run([*dmc, "--help"], capture_output=True, text=True).stdout
    opts = []
    if "--formatters" in helptext:
        opts += ["--formatters", "black"]
    for flag in ("--skip-root-model", "--disable-timestamp"):
        if flag in helptext:
            opts.append(flag)
    return opts


# --- inputs -----------------------------------------------------------------------------------


def combine_schemas(folder: Path, dest: Path) -> tuple[int, int]:
    """One schema whose $defs hold every model of docmodels' jsonschema/ folder.
    Returns (number of models, number of conflicting copies found)."""
    defs: dict[str, object] = {}
    conflicts = 0

    def rebase(node: object, name: str) -> object:
        if isinstance(node, dict):
            return {k: (f"#/$defs/{name}" if k == "$ref" and v == "#" else rebase(v, name)) for k, v in node.items()}
        if isinstance(node, list):
            return [rebase(v, name) for v in node]
        return node

    for path in sorted(folder.glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        name = schema.get("title", path.stem)
        embedded = schema.pop("$defs", {})
        for key in ("$schema", "$comment", "$id"):
            schema.pop(key, None)
        for def_name, definition in [(name, schema), *embedded.items()]:
            definition = rebase(definition, name)
            if def_name in defs and defs[def_name] != definition:
                conflicts += 1
            defs.setdefault(def_name, definition)
    combined = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$defs": dict(sorted(defs.items()))}
    dest.write_text(json.dumps(combined, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return len(defs), conflicts


def names_in_module(path: Path) -> set[str]:
    """Top-level classes and aliases of a generated module."""
    text = path.read_text(encoding="utf-8")
    # `Name: TypeAlias = ...` may be wrapped by black as `Name: (\n    TypeAlias\n) = (...)`.
    return {a or b for a, b in re.findall(r"^(?:class\s+(\w+)|(\w+)\s*[:=])", text, re.M)}


def pages_of(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.md") if p.name != "README.md")


_FIELDS = re.compile(r"^##\s+Fields\s*$", re.M)
_PY_TYPE = re.compile(r"\*(?:str|int|float|bool|Any)\*|\b(?:Optional|OptionalNullable|Nullable|List|Dict|Literal)\[")


def plan_edit(folder: Path) -> tuple[Path, str, str] | None:
    """The page to edit (first in path order with a four-column Fields table), its text and the
    text with one optional string field appended to that table."""
    for page in pages_of(folder):
        text = page.read_text(encoding="utf-8")
        match = _FIELDS.search(text)
        if not match:
            continue
        lines = text[match.end() :].split("\n")
        start = next((i for i, line in enumerate(lines) if line.strip()), None)
        if start is None or not lines[start].lstrip().startswith("|"):
            continue
        end = start
        while end + 1 < len(lines) and lines[end + 1].lstrip().startswith("|"):
            end += 1
        header = [c.strip() for c in lines[start].strip().strip("|").split("|")]
        if header != ["Field", "Type", "Required", "Description"] or end < start + 2:
            continue
        python = bool(_PY_TYPE.search("\n".join(lines[start : end + 1])))
        row = (
            "| `benchmark_added_field` | *Optional[str]* | :heavy_minus_sign: | Added by the benchmark. |"
            if python
            else "| `benchmarkAddedField` | *string* | :heavy_minus_sign: | Added by the benchmark. |"
        )
        lines.insert(end + 1, row)
        return page, text, text[: match.end()] + "\n".join(lines)
    return None


# --- synthetic corpus -------------------------------------------------------------------------

_TITLE = re.compile(r"^#[ \t]+(\S.*?)[ \t]*$", re.M)
_LINK = re.compile(r"\]\(([^)\s#]+\.md)(#[^)\s]*)?\)")
_QUALIFIED = re.compile(r"\b((?:models|components|shared|operations|errors|utils)\.)([A-Za-z_][A-Za-z0-9_]*)\b")


def build_synthetic(source: Path, dest: Path, target: int) -> int:
    """`target` pages made of renamed copies of the pages of `source` (see the module docstring).
    Returns the number of pages written."""
    texts = {p.relative_to(source).as_posix(): p.read_text(encoding="utf-8") for p in pages_of(source)}
    titles: dict[str, str] = {}
    for rel, text in texts.items():
        m = _TITLE.search(text)
        if m:
            titles[rel] = m.group(1)
    by_title: dict[str, list[str]] = {}
    for rel, title in titles.items():
        by_title.setdefault(title, []).append(rel)

    def links(rel: str, text: str) -> list[tuple[re.Match[str], str]]:
        found = []
        for m in _LINK.finditer(text):
            target_rel = posixpath.normpath(posixpath.join(posixpath.dirname(rel), m.group(1)))
            if target_rel in texts:
                found.append((m, target_rel))
        return found

    # What each page refers to (over-approximated: any qualified mention of a page's title).
    refs: dict[str, set[str]] = {}
    for rel, text in texts.items():
        out = {t for _, t in links(rel, text)}
        for m in _QUALIFIED.finditer(text):
            out.update(by_title.get(m.group(2), []))
        out.discard(rel)
        refs[rel] = out

    copies = max(1, math.ceil(target / len(texts)))
    width = max(2, len(str(copies)))
    keep_last = set(texts)
    excess = copies * len(texts) - target
    if excess:
        # Drop, from the last copy, pages no remaining page refers to, until the count is right.
        indegree = {rel: 0 for rel in texts}
        for out in refs.values():
            for t in out:
                indegree[t] += 1
        heap = [rel for rel, n in indegree.items() if n == 0]
        heapq.heapify(heap)
        while excess and heap:
            rel = heapq.heappop(heap)
            keep_last.discard(rel)
            excess -= 1
            for t in refs[rel]:
                indegree[t] -= 1
                if indegree[t] == 0:
                    heapq.heappush(heap, t)

    def rename(rel: str, text: str, sfx: str) -> str:
        pieces, last = [], 0
        for m, _ in links(rel, text):
            head, base = posixpath.split(m.group(1))
            new = posixpath.join(head, base[: -len(".md")] + sfx + ".md")
            pieces += [text[last : m.start(1)], new]
            last = m.end(1)
        text = "".join(pieces) + text[last:]
        text = _QUALIFIED.sub(lambda m: m.group(1) + m.group(2) + (sfx if m.group(2) in by_title else ""), text)
        if rel in titles:
            text = _TITLE.sub(lambda m: m.group(0).replace(m.group(1), m.group(1) + sfx, 1), text, count=1)
        return text

    written = 0
    for k in range(1, copies + 1):
        sfx = f"{k:0{width}d}"
        for rel, text in texts.items():
            if k == copies and rel not in keep_last:
                continue
            path = dest / (rel[: -len(".md")] + sfx + ".md")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(rename(rel, text, sfx), encoding="utf-8")
            written += 1
    return written


# --- the benchmark ----------------------------------------------------------------------------


@dataclass
class FolderResult:
    label: str
    pages: int
    definitions: int | None = None
    measurements: dict[str, Measurement] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def progress(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def definitions_in(text: str) -> int | None:
    m = re.search(r"(\d+) definitions", text)
    return int(m.group(1)) if m else None


def bench_folder(label: str, source: Path, work: Path, runs: int, docmodels: list[str], dmc: list[str] | None, dmc_opts: list[str], dmc_skip_reason: str | None) -> FolderResult:
    work.mkdir(parents=True)
    result = FolderResult(label, len(pages_of(source)))
    m = result.measurements = {s: Measurement() for s in SCENARIOS}
    for name in ("cold", "check", "edit", "dmc"):
        (work / name).mkdir()
    # The copy keeps the folder's name: pages link to each other through it (`../../models/...`).
    pages = source.name
    for name in ("cold", "check", "edit"):
        shutil.copytree(source, work / name / pages)
    logs = work / "logs"
    logs.mkdir()

    # Untimed set-up: one run of each command, which also checks that it works here.
    progress(f"{label}: set-up (untimed generate with cache, JSON Schema for datamodel-codegen)")
    setup = run([*docmodels, "generate", pages, "-o", "out", *WIRE], work / "check", logs / "setup-check")
    if setup.exit != 0:
        for s in (COLD, CHECK, EDIT):
            m[s].failure = f"docmodels generate failed (exit {setup.exit}): {tail(logs / 'setup-check')}"
    result.definitions = definitions_in(out_text(logs / "setup-check"))
    edit = plan_edit(work / "edit" / pages)
    if edit is None:
        m[EDIT].failure = "no page with a four-column Fields table to edit"
    elif setup.exit == 0:
        page, original, edited = edit
        result.notes.append(f"edited page: `{page.relative_to(work / 'edit' / pages).as_posix()}` (one optional string field row appended)")
        edit_setup = run([*docmodels, "generate", pages, "-o", "out", *WIRE], work / "edit", logs / "setup-edit")
        if edit_setup.exit != 0:
            m[EDIT].failure = f"docmodels generate failed (exit {edit_setup.exit}): {tail(logs / 'setup-edit')}"

    schema_json = work / "dmc" / "schema.json"
    if dmc is None:
        for s in (DMC_DC, DMC_TD, DMC_BOTH):
            m[s].skipped = dmc_skip_reason
    elif setup.exit != 0:
        for s in (DMC_DC, DMC_TD, DMC_BOTH):
            m[s].skipped = "no JSON Schema: docmodels failed"
    else:
        models, conflicts = combine_schemas(work / "check" / "out" / "jsonschema", schema_json)
        result.notes.append(f"datamodel-codegen input: one schema, {models} models in `$defs`" + (f", {conflicts} conflicting copies (first kept)" if conflicts else ""))
        for scenario, model_type, out in ((DMC_DC, "dataclasses.dataclass", "dataclasses_out.py"), (DMC_TD, "typing.TypedDict", "typeddicts_out.py")):
            cmd = [*dmc, "--input", "schema.json", "--input-file-type", "jsonschema", "--output", out, "--output-model-type", model_type, *dmc_opts]
            check = run(cmd, work / "dmc", logs / f"setup-{out}")
            if check.exit != 0:
                m[scenario].failure = f"datamodel-codegen failed (exit {check.exit}): {tail(logs / f'setup-{out}')}"
                continue
            data = json.loads(schema_json.read_text(encoding="utf-8"))["$defs"]
            missing = set(data) - names_in_module(work / "dmc" / out)
            result.notes.append(f"{scenario}: {len(data) - len(missing)} of {len(data)} models named in its output" + (f" (missing e.g. {', '.join(sorted(missing)[:5])})" if missing else ""))

    def dmc_cmd(model_type: str, out: str) -> list[str]:
        return [*dmc, "--input", "schema.json", "--input-file-type", "jsonschema", "--output", out, "--output-model-type", model_type, *dmc_opts]  # type: ignore[misc]

    for i in range(1, runs + 1):
        progress(f"{label}: run {i}/{runs}")
        steps = [
            (COLD, lambda i=i: cold_step(work, pages, docmodels, i, logs, m[COLD])),
            (DMC_DC, lambda i=i: record(m[DMC_DC], run(dmc_cmd("dataclasses.dataclass", "dataclasses_out.py"), work / "dmc", logs / f"dmc-dc-{i}"), logs / f"dmc-dc-{i}", "datamodel-codegen")),
            (CHECK, lambda i=i: record(m[CHECK], run([*docmodels, "check", pages, "-o", "out", *WIRE], work / "check", logs / f"check-{i}"), logs / f"check-{i}", "docmodels check")),
            (DMC_TD, lambda i=i: record(m[DMC_TD], run(dmc_cmd("typing.TypedDict", "typeddicts_out.py"), work / "dmc", logs / f"dmc-td-{i}"), logs / f"dmc-td-{i}", "datamodel-codegen")),
            (EDIT, lambda i=i: edit_step(work, pages, docmodels, edit, i, logs, m[EDIT], result)),
        ]
        for scenario, step in steps:
            if m[scenario].failure or m[scenario].skipped:
                continue
            step()
    for f in (COLD, CHECK, EDIT, DMC_DC, DMC_TD):
        if not m[f].failure and not m[f].skipped and not m[f].ok():
            m[f].failure = "no successful run"
    return result


def record(meas: Measurement, sample: Sample, log: Path, what: str) -> None:
    meas.samples.append(sample)
    if sample.exit != 0:
        meas.failure = f"{what} failed (exit {sample.exit}): {tail(log)}"


def cold_step(work: Path, pages: str, docmodels: list[str], i: int, logs: Path, meas: Measurement) -> None:
    out = f"out-cold-{i}"
    shutil.rmtree(work / "cold" / out, ignore_errors=True)
    sample = run([*docmodels, "generate", pages, "-o", out, "--no-cache", *WIRE], work / "cold", logs / f"cold-{i}")
    record(meas, sample, logs / f"cold-{i}", "docmodels generate")
    # The folder stays until the temporary folder goes: deleting 1,000 files here would slow the
    # file system for whichever command runs next (ext4 with discard), which is not docmodels.


def edit_step(work: Path, pages: str, docmodels: list[str], edit: tuple[Path, str, str] | None, i: int, logs: Path, meas: Measurement, result: FolderResult) -> None:
    assert edit is not None
    page, original, edited = edit
    page.write_text(original, encoding="utf-8")
    before = run([*docmodels, "generate", pages, "-o", "out", *WIRE], work / "edit", logs / f"edit-restore-{i}")
    if before.exit != 0:
        meas.failure = f"docmodels generate failed (exit {before.exit}): {tail(logs / f'edit-restore-{i}')}"
        return
    page.write_text(edited, encoding="utf-8")
    sample = run([*docmodels, "generate", pages, "-o", "out", *WIRE], work / "edit", logs / f"edit-{i}")
    record(meas, sample, logs / f"edit-{i}", "docmodels generate")
    written = re.search(r"(\d+) written", out_text(logs / f"edit-{i}"))
    if sample.exit == 0 and i == 1:
        result.notes.append(f"after the edit docmodels rewrote {written.group(1) if written else '?'} file(s)")
    if sample.exit == 0 and (not written or written.group(1) == "0"):
        meas.failure = "the edit changed no generated file"
    page.write_text(original, encoding="utf-8")


@dataclass
class SyntheticResult:
    pages: int
    definitions: int | None
    cold: Measurement
    dmc: Measurement
    build_seconds: float


def bench_synthetic(source: Path, work: Path, target: int, runs: int, docmodels: list[str], dmc: list[str] | None, dmc_opts: list[str]) -> SyntheticResult:
    work.mkdir(parents=True)
    progress(f"synthetic: building {target} pages from {source}")
    start = time.perf_counter()
    pages = build_synthetic(source, work / "pages", target)
    build_seconds = time.perf_counter() - start
    logs = work / "logs"
    logs.mkdir()
    cold, dmc_meas = Measurement(), Measurement()
    definitions = None
    for i in range(1, runs + 1):
        progress(f"synthetic: docmodels cold run {i}/{runs} ({pages} pages)")
        shutil.rmtree(work / "out", ignore_errors=True)
        sample = run([*docmodels, "generate", "pages", "-o", "out", "--no-cache", *WIRE], work, logs / f"cold-{i}")
        record(cold, sample, logs / f"cold-{i}", "docmodels generate")
        definitions = definitions_in(out_text(logs / f"cold-{i}")) or definitions
        if cold.failure:
            break
    if dmc is None:
        dmc_meas.skipped = "datamodel-codegen not run"
    elif cold.failure:
        dmc_meas.skipped = "no JSON Schema: docmodels failed"
    else:
        combine_schemas(work / "out" / "jsonschema", work / "schema.json")
        for i in range(1, runs + 1):
            progress(f"synthetic: datamodel-codegen dataclasses run {i}/{runs}")
            cmd = [*dmc, "--input", "schema.json", "--input-file-type", "jsonschema", "--output", "dataclasses_out.py", "--output-model-type", "dataclasses.dataclass", *dmc_opts]
            record(dmc_meas, run(cmd, work, logs / f"dmc-{i}"), logs / f"dmc-{i}", "datamodel-codegen")
            if dmc_meas.failure:
                break
    return SyntheticResult(pages, definitions, cold, dmc_meas, build_seconds)


# --- the report -------------------------------------------------------------------------------


def secs(t: float | None) -> str:
    if t is None:
        return "–"
    return f"{t:.3f}" if t < 1 else f"{t:.2f}" if t < 100 else f"{t:.0f}"


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}" if a is not None and b else "n/a"


def cell_status(meas: Measurement) -> str | None:
    if meas.skipped:
        return f"skipped: {meas.skipped}"
    if meas.failure:
        m = re.search(r"exit (\d+)", meas.failure)
        return f"failed (exit {m.group(1)})" if m else "failed"
    return None


def peak_mb(meas: Measurement) -> str:
    ok = meas.ok()
    return f"{max(s.rss_mb for s in ok):.0f}" if ok and not meas.failure else "–"


def median_cpu(meas: Measurement) -> float | None:
    ok = meas.ok()
    return statistics.median(s.cpu for s in ok) if ok and not meas.failure and not meas.skipped else None


def sum_or_none(a: float | None, b: float | None) -> float | None:
    return a + b if a is not None and b is not None else None


def both_median(m: dict[str, Measurement]) -> float | None:
    return sum_or_none(m[DMC_DC].median(), m[DMC_TD].median())


def report(results: list[FolderResult], synthetic: SyntheticResult | None, runs: int, dmc_opts: list[str], dmc_note: str | None, started: datetime.datetime, total: float, no_synthetic_reason: str | None) -> str:
    lines: list[str] = []
    add = lines.append
    cpu_model = ""
    try:
        cpu_model = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines() if l.startswith("model name")), "")
    except OSError:
        pass
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    add("# docmodels benchmark")
    add("")
    add(f"- command: `{shlex.join(getattr(sys, 'orig_argv', [sys.executable, *sys.argv]))}`")
    add(f"- date: {started.strftime('%Y-%m-%d %H:%M %Z').strip()} (took {total / 60:.1f} min)")
    load = f"; 1-minute load average {LOAD_AT_START:.2f} before the run" if LOAD_AT_START is not None else ""
    add(f"- machine: {platform.system()} {platform.machine()}, nproc {nproc}" + (f", {cpu_model}" if cpu_model else "") + f"; Python {platform.python_version()}{load}")
    add(f"- versions: docmodels {version('docmodels')}, datamodel-code-generator {version('datamodel-code-generator')}, black {version('black')}")
    add(f"- {runs} run(s) per measurement; times are medians of wall-clock seconds for the whole process; peak RSS is the largest process of the command's tree")
    add("")
    add("Commands, each run in a temporary folder without `pyproject.toml` (`PAGES` is a copy of the folder, under its own name):")
    add("")
    add("```")
    add("docmodels generate PAGES -o out-cold-N --no-cache --wire-case snake   # cold, fresh output folder")
    add("docmodels check PAGES -o out --wire-case snake                        # warm cache, nothing changed")
    add("docmodels generate PAGES -o out --wire-case snake                     # warm cache, one page edited")
    add(f"datamodel-codegen --input schema.json --input-file-type jsonschema --output out.py --output-model-type dataclasses.dataclass {' '.join(dmc_opts)}".rstrip())
    add(f"datamodel-codegen --input schema.json --input-file-type jsonschema --output out.py --output-model-type typing.TypedDict {' '.join(dmc_opts)}".rstrip())
    add("```")
    add("")
    add("`schema.json` is one schema whose `$defs` hold every model of docmodels' own `jsonschema/` output for the same pages (see `benchmarks/run.py`).")
    if dmc_note:
        add("")
        add(f"datamodel-codegen: {dmc_note}")
    add("")
    add("## Summary")
    add("")
    add("| folder | pages | definitions | docmodels cold, 3 targets (s) | datamodel-codegen dataclasses + TypedDicts (s) | ratio | ratio of CPU time | docmodels check, warm (s) | docmodels after one edit (s) |")
    add("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        m = r.measurements
        cold, both = m[COLD].median(), both_median(m)
        dmc_cell = cell_status(m[DMC_DC]) or cell_status(m[DMC_TD]) or secs(both)
        cpu_ratio = ratio(median_cpu(m[COLD]), sum_or_none(median_cpu(m[DMC_DC]), median_cpu(m[DMC_TD])))
        add(f"| `{r.label}` | {r.pages:,} | {r.definitions if r.definitions is not None else '–'} | {cell_status(m[COLD]) or secs(cold)} | {dmc_cell} | {ratio(cold, both)} | {cpu_ratio} | {cell_status(m[CHECK]) or secs(m[CHECK].median())} | {cell_status(m[EDIT]) or secs(m[EDIT].median())} |")
    add("")
    add(
        "ratio: docmodels' cold median over the sum of datamodel-codegen's two medians (wall clock); ratio of CPU time: the same "
        "with user + system time. docmodels parses pages in a process pool when there are many, so on several "
        "cores its wall time is below its CPU time; datamodel-codegen runs on one core."
    )
    add("")
    add("## Per folder and command")
    add("")
    add("| folder | pages | command | median s | min–max s | CPU s | peak RSS MB | ÷ datamodel-codegen dataclasses | ÷ datamodel-codegen dataclasses + TypedDicts |")
    add("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        m = r.measurements
        dc, both = m[DMC_DC].median(), both_median(m)
        for scenario in SCENARIOS:
            meas = m[scenario]
            docm = scenario.startswith("docmodels")
            if scenario == DMC_BOTH:
                status = cell_status(m[DMC_DC]) or cell_status(m[DMC_TD])
                ok = [*m[DMC_DC].ok(), *m[DMC_TD].ok()]
                cpu = (statistics.median(s.cpu for s in m[DMC_DC].ok()) + statistics.median(s.cpu for s in m[DMC_TD].ok())) if not status else None
                rss = max(s.rss_mb for s in ok) if ok and not status else None
                add(f"| `{r.label}` | {r.pages:,} | {scenario} | {status or secs(both)} | – | {secs(cpu)} | {f'{rss:.0f}' if rss else '–'} | | |")
                continue
            status = cell_status(meas)
            ok = meas.ok()
            if status or not ok:
                add(f"| `{r.label}` | {r.pages:,} | {scenario} | {status or 'no data'} | – | – | – | | |")
                continue
            med = meas.median()
            spread = f"{secs(min(s.seconds for s in ok))}–{secs(max(s.seconds for s in ok))}"
            cpu = statistics.median(s.cpu for s in ok)
            rss = max(s.rss_mb for s in ok)
            ratios = f"{ratio(med, dc)} | {ratio(med, both)}" if docm else " | "
            add(f"| `{r.label}` | {r.pages:,} | {scenario} | {secs(med)} | {spread} | {secs(cpu)} | {rss:.0f} | {ratios} |")
    add("")
    add("## Cold time per page")
    add("")
    add("| corpus | pages | definitions | docmodels cold (s) | ms per page | peak RSS MB | datamodel-codegen dataclasses (s) | ms per page | peak RSS MB |")
    add("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    rows = [(f"`{r.label}`", r.pages, r.definitions, r.measurements[COLD], r.measurements[DMC_DC]) for r in results]
    if synthetic:
        rows.append((f"synthetic (renamed copies of `{SYNTHETIC_SOURCE}`)", synthetic.pages, synthetic.definitions, synthetic.cold, synthetic.dmc))
    for label, pages, defs, cold_m, dc_m in rows:
        c, d = cold_m.median(), dc_m.median()
        add(
            f"| {label} | {pages:,} | {defs if defs is not None else '–'} | {cell_status(cold_m) or secs(c)} | {f'{1000 * c / pages:.1f}' if c else '–'} | {peak_mb(cold_m)} | "
            f"{cell_status(dc_m) or secs(d)} | {f'{1000 * d / pages:.1f}' if d else '–'} | {peak_mb(dc_m)} |"
        )
    if synthetic:
        add("")
        add(
            f"The synthetic corpus ({synthetic.pages:,} pages, built in {synthetic.build_seconds:.1f} s) was timed "
            f"{len(synthetic.cold.samples)} time(s) per tool (--synthetic-runs)."
        )
    elif no_synthetic_reason:
        add("")
        add(f"Synthetic corpus: {no_synthetic_reason}.")
    add("")
    add("## Notes")
    add("")
    for r in results:
        for note in r.notes:
            add(f"- `{r.label}`: {note}")
        for scenario in SCENARIOS:
            meas = r.measurements[scenario]
            if meas.failure:
                add(f"- `{r.label}`, {scenario}: {meas.failure}")
    if synthetic:
        for meas, what in ((synthetic.cold, "synthetic, docmodels"), (synthetic.dmc, "synthetic, datamodel-codegen")):
            if meas.failure:
                add(f"- {what}: {meas.failure}")
    return "\n".join(lines) + "\n"


# --- command line -----------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="benchmarks/run.py",
        description="Time docmodels (cold generate, warm check, generate after one edit) against datamodel-codegen on the Mistral SDK docs, and report a markdown table.",
        epilog=USAGE + "\n\nWhat is measured and why: the docstring of benchmarks/run.py.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help=f"corpus folder holding {', '.join(CORPUS_FOLDERS)} (default: ../shared/corpus beside the repository)")
    parser.add_argument("--folder", type=Path, action="append", help="benchmark this page folder instead of the corpus folders (repeatable)")
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement; medians are reported (default 5)")
    parser.add_argument("--quick", action="store_true", help="1 run, the smallest corpus folder only, no synthetic corpus")
    parser.add_argument("--no-synthetic", action="store_true", help="skip the synthetic corpus")
    parser.add_argument("--synthetic-pages", type=int, default=10_000, help="pages of the synthetic corpus (default 10000)")
    parser.add_argument("--synthetic-runs", type=int, default=1, help="runs on the synthetic corpus (default 1)")
    parser.add_argument("--skip-datamodel-codegen", action="store_true", help="do not run datamodel-codegen (it is skipped with a note when not installed)")
    parser.add_argument("--output", type=Path, default=REPO / "benchmarks" / "results.md", help="markdown file to write (default benchmarks/results.md)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (its path is printed) to inspect outputs and logs")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.synthetic_runs < 1 or args.synthetic_pages < 1:
        parser.error("--runs, --synthetic-runs and --synthetic-pages must be at least 1")
    if args.quick:
        args.runs, args.no_synthetic = 1, True
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    global LOAD_AT_START
    LOAD_AT_START = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    started = datetime.datetime.now().astimezone()
    t0 = time.perf_counter()
    if args.folder:
        folders = [(f.as_posix(), f.resolve()) for f in args.folder]
    else:
        names = CORPUS_FOLDERS[:1] if args.quick else CORPUS_FOLDERS
        folders = [(n, (args.corpus / n).resolve()) for n in names]
    missing = [str(path) for _, path in folders if not path.is_dir()]
    if missing:
        print(f"benchmarks/run.py: no such folder: {', '.join(missing)} (use --corpus DIR or --folder DIR)", file=sys.stderr)
        return 2

    docmodels = find_tool("docmodels", "docmodels")
    assert docmodels is not None
    dmc: list[str] | None = None
    dmc_note = None
    if args.skip_datamodel_codegen:
        dmc_note = "skipped (--skip-datamodel-codegen)"
    else:
        dmc = find_tool("datamodel-codegen", None)
        if dmc is None:
            dmc_note = "not installed (`pip install -e '.[bench]'`); skipped"
    dmc_opts = dmc_options(dmc) if dmc else []

    tmp = Path(tempfile.mkdtemp(prefix="docmodels-bench-"))
    above = [p for p in (tmp, *tmp.parents) if (p / "pyproject.toml").exists()]
    if above:
        print(f"benchmarks/run.py: {above[0] / 'pyproject.toml'} is above the temporary folder {tmp}; set TMPDIR to a folder without one", file=sys.stderr)
        shutil.rmtree(tmp, ignore_errors=True)
        return 2
    CHILD_ENV["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    progress(f"working in {tmp}")
    try:
        results = []
        for i, (label, path) in enumerate(folders):
            results.append(bench_folder(label, path, tmp / f"folder{i}", args.runs, docmodels, dmc, dmc_opts, dmc_note))
        synthetic, no_synthetic = None, None
        source = args.corpus / SYNTHETIC_SOURCE
        if args.no_synthetic:
            no_synthetic = "skipped (--no-synthetic" + (" / --quick)" if args.quick else ")")
        elif not source.is_dir():
            no_synthetic = f"skipped, {source} not found"
        else:
            synthetic = bench_synthetic(source, tmp / "synthetic", args.synthetic_pages, args.synthetic_runs, docmodels, dmc, dmc_opts)
    finally:
        if args.keep:
            progress(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    text = report(results, synthetic, args.runs, dmc_opts, dmc_note, started, time.perf_counter() - t0, no_synthetic)
    sys.stdout.write(text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    progress(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
