"""Hostile input: broken real pages, adversarial text and names, paths that try to leave the spec
folders, inputs past the documented limits, and determinism across hash seeds, listing orders and
the cache.

1. Mutation (hypothesis): small real corpus pages, each with the pages it links to, broken in many
   ways and generated in-process over a previous good generation. Either generation succeeds (every
   Python file compiles, every JSON Schema is a valid Draft 2020-12 schema, the folder holds exactly
   what was generated) or it raises `InputError` whose problems all point at a page line and say
   what was expected, and the output folder is byte-for-byte unchanged. Anything else is a bug. A
   byte-order mark and CRLF line endings give exactly the output of the plain file.
2. Adversarial pages: quotes, backslashes, Jinja syntax, NUL, code after line breaks, names that are
   keywords, builtins or names the generated code uses, look-alike letters, colliding enum values.
   The generated package compiles, imports nothing undeclared, runs nothing, passes mypy --strict,
   and keeps every string exactly.
3. Paths stay inside the spec folders; output file names stay inside the output folder.
4. Limits: page size, table rows, type nesting, link-chain depth: exit 2, file:line, no traceback.
5. Determinism: byte-identical output across PYTHONHASHSEED, file creation and listing order, cache.
"""

from __future__ import annotations

import ast
import builtins
import dataclasses
import hashlib
import inspect
import io
import json
import os
import pathlib
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from docmodels.errors import printable
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

import docmodels
from docmodels import names
from pages import line_of, model_page, row, run_cli, snapshot, write_files

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
CORPUS_FOLDERS = ("mistral-ts-2024-08/models", "mistral-ts", "mistral-py")
PYPROJECT = "[project]\nname = 'tmp'\n\n[tool.docmodels]\n"
PROBLEM_LINE = re.compile(r"^(?P<path>[^\s:][^:]*):(?P<line>\d+): error: (?P<message>.+)$")
COUNT_LINE = re.compile(r"^docmodels: ([\d,]+) errors?, [\d,]+ warnings?; nothing was written$")
MORE_LINE = re.compile(r"^docmodels: (?:([\d,]+) more errors?)?(?: and )?(?:[\d,]+ more warnings?)? not shown; -v lists them all$")
BOM = b"\xef\xbb\xbf"


# -- helpers ----------------------------------------------------------------------------------------


def short(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} chars)"


def cli_problems(result: subprocess.CompletedProcess[str]) -> list[tuple[str, int, str]]:
    """Check the shape of a bad-input run (exit 2, no traceback, one `file:line: ...` line per
    problem, the count line last, nothing on stdout); return the (path, line, message) problems."""
    where = f"exit {result.returncode}\nstdout:\n{short(result.stdout, 2000)}\nstderr:\n{short(result.stderr, 3000)}"
    assert result.returncode == 2, where
    assert "Traceback" not in result.stderr, where
    assert "internal error" not in result.stderr, where
    assert result.stdout == "", where
    lines = result.stderr.splitlines()
    assert lines, where
    count = COUNT_LINE.match(lines[-1])
    assert count, where
    more = MORE_LINE.match(lines[-2]) if len(lines) > 1 else None
    body = [line for line in lines[: -2 if more else -1] if ": warning: " not in line]
    assert len(body) + (int(more[1].replace(",", "")) if more and more[1] else 0) == int(count[1].replace(",", "")), where
    assert body, where
    problems = []
    for line in body:
        m = PROBLEM_LINE.match(line)
        assert m, f"not a file:line: message line: {short(line)!r}\n{where}"
        assert int(m["line"]) >= 1, where
        assert "expected" in m["message"], where
        problems.append((m["path"], int(m["line"]), m["message"]))
    return problems


def new_project(parent: Path) -> Path:
    base = Path(tempfile.mkdtemp(dir=parent))
    (base / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    return base


# -- the contract for one run, in-process -------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Outcome:
    files: dict[str, str] | None
    """What was generated, None on bad input."""
    problems: tuple[tuple[str, int, str, bool], ...] = ()
    """(path, line, message, warning) on bad input."""


def check_problems(problems: list[Any], pages: set[str], what: str) -> None:
    assert problems, f"{what}: InputError without problems"
    for p in problems:
        text = short(str(p))
        assert p.loc.path, f"{what}: problem without a file: {text}"
        assert p.loc.path in pages, f"{what}: problem not located in a page: {text}"
        assert p.loc.line >= 1, f"{what}: problem without a line: {text}"
        assert "\n" not in str(p), f"{what}: a problem must be one line: {text!r}"
        if not p.warning:
            assert "expected" in p.message, f"{what}: problem does not say what was expected: {text}"


def check_generated(out: Path, files: dict[str, str], what: str) -> None:
    on_disk = snapshot(out)
    assert on_disk == {k: v.encode("utf-8") for k, v in files.items()}, f"{what}: the output folder is not what was generated"
    for rel, text in files.items():
        if rel.endswith(".py"):
            try:
                compile(text, rel, "exec")
            except SyntaxError as exc:
                raise AssertionError(f"{what}: generated {rel} does not compile: {exc}") from None
        elif rel.startswith("jsonschema/"):
            document = json.loads(text)
            jsonschema.Draft202012Validator.check_schema(document)


def generate_checked(parent: Path, files: dict[str, bytes], previous: dict[str, bytes], what: str) -> Outcome:
    """Generate `files` (project-relative pages) in-process into an output folder holding
    `previous`, and check the bad-input / good-input contract."""
    base = new_project(parent)
    try:
        write_files(base, files)  # type: ignore[arg-type]
        write_files(base, {f"out/{k}": v for k, v in previous.items()})
        try:
            result = docmodels.generate(base, specs=["specs"], out="out", use_cache=False)
        except docmodels.InputError as exc:
            check_problems(exc.problems, set(files), what)
            assert snapshot(base / "out") == previous, f"{what}: bad input changed the output folder"
            return Outcome(None, tuple((p.loc.path, p.loc.line, p.message, p.warning) for p in exc.problems))
        except Exception as exc:  # noqa: BLE001 - anything but InputError is a bug
            raise AssertionError(f"{what}: generate raised {type(exc).__name__}: {short(str(exc))}") from exc
        check_generated(base / "out", result.files, what)
        return Outcome(dict(result.files))
    finally:
        shutil.rmtree(base, ignore_errors=True)


# == 1. mutation of real pages ==========================================================================

_LINK = re.compile(r"\]\(([^)\s#]+\.md)(?:#[^)]*)?\)")
_NAMED = re.compile(r"\b(?:components|operations|errors|models|shared)\.([A-Za-z_][A-Za-z0-9_]*)")
_ANY_LINK = re.compile(r"\]\(([^)]*)\)")
_SEPARATOR = re.compile(r"^\s*\|?(\s*:?-+:?\s*\|)+\s*(:?-+:?)?\s*$")
_CELL = re.compile(r"(?<!\\)\|")
SAMPLES_PER_FOLDER = 14


@dataclasses.dataclass(frozen=True)
class Sample:
    root: str
    """The project-relative page the sample is about (`specs/<corpus path>`)."""
    files: dict[str, bytes]
    """The root and the pages it links to, transitively."""
    previous: dict[str, bytes]
    """The output folder after generating the unmutated pages."""
    good: dict[str, str]


def _closure(rel: str, limit: int = 4) -> list[str] | None:
    """The corpus page `rel` and the pages it reaches (links, and `components.X` names of pages
    beside it); None when that is more than `limit` pages."""
    seen: list[str] = []
    todo = [rel]
    while todo:
        page = todo.pop()
        if page in seen or not (CORPUS / page).is_file():
            continue
        seen.append(page)
        if len(seen) > limit:
            return None
        text = (CORPUS / page).read_text(encoding="utf-8", errors="replace")
        folder = posixpath.dirname(page)
        todo.extend(posixpath.normpath(posixpath.join(folder, m.group(1))) for m in _LINK.finditer(text))
        todo.extend(posixpath.join(folder, m.group(1).lower() + ".md") for m in _NAMED.finditer(text))
    return seen


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile")


@pytest.fixture(scope="module")
def samples(work: Path) -> list[Sample]:
    """About 40 small real pages from the three corpus folders, each with its linked pages, that
    generate cleanly as they are."""
    folders = [f for f in CORPUS_FOLDERS if (CORPUS / f).is_dir()]
    if not folders:
        pytest.skip(f"{CORPUS} is absent: the mutation tests start from real corpus pages")
    found: list[Sample] = []
    for folder in folders:
        pages = sorted(p.relative_to(CORPUS).as_posix() for p in (CORPUS / folder).rglob("*.md") if p.name.lower() != "readme.md")
        small = [p for p in pages if (CORPUS / p).stat().st_size < 4000]
        step = max(1, len(small) // (3 * SAMPLES_PER_FOLDER))
        kept = 0
        for page in small[::step]:
            closure = _closure(page)
            if closure is None:
                continue
            files = {f"specs/{p}": (CORPUS / p).read_bytes() for p in closure}
            base = new_project(work)
            write_files(base, files)  # type: ignore[arg-type]
            try:
                result = docmodels.generate(base, specs=["specs"], out="out", use_cache=False)
            except docmodels.InputError:
                continue  # names a page by a name found elsewhere in the corpus: not self-contained
            finally:
                previous = snapshot(base / "out")
                shutil.rmtree(base)
            assert previous is not None
            found.append(Sample(f"specs/{page}", files, previous, dict(result.files)))
            kept += 1
            if kept == SAMPLES_PER_FOLDER:
                break
    assert len(found) >= 10, "too few self-contained small pages in the corpus"
    return found


def _lines(data: bytes) -> list[str]:
    return data.decode("utf-8").split("\n")


def _body_rows(lines: list[str]) -> list[int]:
    table = [line.lstrip().startswith("|") for line in lines]
    return [i for i, line in enumerate(lines) if table[i] and i > 0 and table[i - 1] and not _SEPARATOR.match(line)]


def _header_cells(lines: list[str], body_row: int) -> int:
    i = body_row
    while i > 0 and lines[i - 1].lstrip().startswith("|"):
        i -= 1
    return len(_CELL.split(lines[i].strip())) - 2


def _add_row(text: str, field: str, type_: str) -> str:
    """`text` with one more row in its first table (or a new table at the end), as many cells as
    the table has columns."""
    lines = text.split("\n")
    rows = _body_rows(lines)
    if not rows:
        return text.rstrip("\n") + f"\n\n| Field | Type | Required | Description |\n| --- | --- | --- | --- |\n| `{field}` | {type_} | :heavy_minus_sign: | N/A |\n"
    first_table = [rows[0]]
    for i in rows[1:]:
        if i != first_table[-1] + 1:
            break
        first_table.append(i)
    width = _header_cells(lines, rows[0])
    cells = ([f"`{field}`", type_, ":heavy_minus_sign:", "N/A"] + [""] * width)[: max(width, 1)]
    lines.insert(first_table[-1] + 1, "| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _title(data: bytes) -> str:
    m = re.search(r"^# (.+)$", data.decode("utf-8", "replace"), re.MULTILINE)
    return m.group(1).strip() if m else "X"


def _relative(target: str, page: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(page))


TOKENS = [
    "*string*", "*number*", "*boolean*", "*str*", "*int*", "*Any*", "List[", "Dict[str, ", "]", "Record<string, ", ">",
    "[]", "|", "\\|", "`", "*", "**", "[", "](", ")", "x.md", "../", ":heavy_check_mark:", ":heavy_minus_sign:",
    "<br/>", '"""', "'''", "{{", "}}", "{%", "%}", "\\", "\x00", "\t", "\n", " ", "Optional[", 'Literal["a"]',
    "#", "```", "\ufeff", "é", "𝒳", "\u2028", "components.", "N/A", "~~", ":warning: **DEPRECATED**",
]
GARBAGE = st.one_of(st.text(max_size=40), st.lists(st.sampled_from(TOKENS), max_size=12).map("".join))
BAD_BYTES = [b"\xff", b"\xfe", b"\x80", b"\xc3\x28", b"\xe2\x82", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xc0\xaf"]
BROKEN_TARGETS = [
    "missing.md", "../../nope/x.md", "x.txt", "https://example.com/x.md", "", "#nosuchsection", "/abs.md",
    "../" * 12 + "etc/passwd.md", "file:///etc/passwd.md", "%2e%2e/x.md", "x.md#", "a b.md", "C:\\x.md",
]
STRUCTURAL = ["truncate", "delete_cell", "extra_cell", "garbage_type", "garbage_required", "garbage_description", "stray_fence", "dup_row", "garbage_line"]
KINDS = STRUCTURAL + ["dup_page", "broken_link", "self_link", "circular", "empty", "non_utf8", "bom", "crlf", "bom_crlf"]
EXPECTED_SAME = {"bom", "crlf", "bom_crlf"}


def with_line_endings(data: bytes, variant: str) -> bytes:
    if "crlf" in variant:
        data = data.replace(b"\n", b"\r\n")
    if "bom" in variant:
        data = BOM + data
    return data


def mutate(data: st.DataObject, sample: Sample) -> tuple[dict[str, bytes], str, str, str]:
    """A broken copy of the sample: (files, what was done, the page changed, the kind)."""
    files = dict(sample.files)
    others = sorted(p for p in files if p != sample.root)
    target = data.draw(st.sampled_from([sample.root] + others), label="page")
    page = files[target]
    kind = data.draw(st.sampled_from(KINDS), label="kind")
    lines = _lines(page)
    rows = _body_rows(lines)
    what = f"{kind} of {target}"
    if kind in ("delete_cell", "extra_cell", "garbage_type", "garbage_required", "garbage_description", "dup_row") and not rows:
        kind = "garbage_line"  # no table: break it some other way
        what += " (no table: garbage line instead)"
    if kind == "truncate":
        at = data.draw(st.integers(0, len(page)), label="at")
        files[target] = page[:at]
        what += f" at byte {at}"
    elif kind == "empty":
        files[target] = b""
    elif kind == "non_utf8":
        at = data.draw(st.integers(0, len(page)), label="at")
        bad = data.draw(st.sampled_from(BAD_BYTES), label="bytes")
        files[target] = page[:at] + bad + page[at:]
        what += f": {bad!r} at byte {at}"
    elif kind in EXPECTED_SAME:
        files[target] = with_line_endings(page, kind)
    elif kind in ("stray_fence", "garbage_line"):
        at = data.draw(st.integers(0, len(lines)), label="line")
        text = data.draw(st.sampled_from(["```", "```typescript", "````", "~~~"]) if kind == "stray_fence" else GARBAGE, label="text")
        lines.insert(at, text)
        files[target] = "\n".join(lines).encode("utf-8")
        what += f": {text!r} before line {at + 1}"
    elif kind == "dup_row":
        i = data.draw(st.sampled_from(rows), label="row")
        lines.insert(i, lines[i])
        files[target] = "\n".join(lines).encode("utf-8")
        what += f": line {i + 1}"
    elif kind in ("delete_cell", "extra_cell", "garbage_type", "garbage_required", "garbage_description"):
        i = data.draw(st.sampled_from(rows), label="row")
        parts = _CELL.split(lines[i])
        if kind == "delete_cell":
            k = data.draw(st.integers(1, max(1, len(parts) - 2)), label="cell")
            del parts[k]
        elif kind == "extra_cell":
            k = data.draw(st.integers(1, len(parts) - 1), label="cell")
            parts.insert(k, data.draw(st.sampled_from([" extra ", " ", " `x` ", " *string* "]), label="text"))
        else:
            k = {"garbage_type": 2, "garbage_required": 3, "garbage_description": 4}[kind]
            garbage = data.draw(GARBAGE, label="garbage")
            if k < len(parts) - 1:
                parts[k] = f" {garbage} "
            else:
                parts.insert(len(parts) - 1, f" {garbage} ")
            what += f" = {garbage!r}"
        lines[i] = "|".join(parts)
        files[target] = "\n".join(lines).encode("utf-8")
        what += f", line {i + 1}: {short(lines[i], 200)!r}"
    elif kind == "dup_page":
        stem = posixpath.splitext(target)[0]
        files[f"{stem}-copy.md"] = page
        what += f" as {stem}-copy.md"
    elif kind == "broken_link":
        links = list(_ANY_LINK.finditer(page.decode("utf-8")))
        href = data.draw(st.sampled_from(BROKEN_TARGETS), label="href")
        text = page.decode("utf-8")
        if links:
            m = data.draw(st.sampled_from(links), label="link")
            text = text[: m.start(1)] + href + text[m.end(1) :]
        else:
            text = _add_row(text, "brokenLink", f"[components.Nope]({href})")
        files[target] = text.encode("utf-8")
        what += f" -> {href!r}"
    elif kind == "self_link":
        text = _add_row(page.decode("utf-8"), "selfLink", f"[components.{_title(page)}]({posixpath.basename(target)})")
        files[target] = text.encode("utf-8")
    elif kind == "circular":
        if others:
            other = next(p for p in [sample.root] + others if p != target)
            files[target] = _add_row(page.decode("utf-8"), "toOther", f"[components.{_title(files[other])}]({_relative(other, target)})").encode("utf-8")
            files[other] = _add_row(files[other].decode("utf-8"), "backLink", f"[components.{_title(page)}]({_relative(target, other)})").encode("utf-8")
            what += f" <-> {other}"
        else:
            files[target] = _add_row(page.decode("utf-8"), "selfLink", f"[components.{_title(page)}](./{posixpath.basename(target)})").encode("utf-8")
            what += " (one page: links to itself)"
    return files, what, target, kind


MUTATION_RUNS: list[str] = []


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
@given(data=st.data())
def test_mutated_corpus_pages(samples: list[Sample], work: Path, data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(samples) - 1), label="sample")
    sample = samples[index]
    files, what, target, kind = mutate(data, sample)
    note(what)
    MUTATION_RUNS.append(kind)
    outcome = generate_checked(work, files, sample.previous, what)

    if kind in EXPECTED_SAME:
        assert outcome.files == sample.good, f"{what}: output differs from the plain page's"
    elif kind == "empty":
        assert outcome.files is None and any(p[:2] == (target, 1) and "no '# Name' heading" in p[2] for p in outcome.problems), outcome.problems
    elif kind == "non_utf8":
        changed = files[target]
        start = next(i for i in range(len(changed) + 1) if not _decodes(changed[: i + 1]))
        line = changed[:start].count(b"\n") + 1
        assert outcome.files is None, f"{what}: not UTF-8, but generated"
        assert any(p[:2] == (target, line) and "not UTF-8" in p[2] for p in outcome.problems), (what, outcome.problems)
    elif kind == "dup_page":
        assert outcome.files is None, f"{what}: two pages define one model, but generated"
        assert any("is already defined at" in p[2] for p in outcome.problems), (what, outcome.problems)

    # The same bytes with a byte-order mark and/or CRLF line endings read the same.
    variant = data.draw(st.sampled_from([None, None, None, "crlf", "bom", "bom_crlf"]), label="line endings")
    changed = files[target]
    if variant and kind not in EXPECTED_SAME and b"\r" not in changed and not changed.startswith(BOM):
        again = generate_checked(work, {**files, target: with_line_endings(changed, variant)}, sample.previous, f"{what}, {variant}")
        assert again == outcome, f"{what}: with {variant} the outcome differs"


def _decodes(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.reason == "unexpected end of data" and exc.start >= len(data) - 3
    return True


def test_mutation_case_count() -> None:
    """The hypothesis test above ran its ~300 cases (checked only when it ran in this session)."""
    if not MUTATION_RUNS:
        pytest.skip("test_mutated_corpus_pages did not run in this session")
    assert len(MUTATION_RUNS) >= 300
    assert set(MUTATION_RUNS) == set(KINDS), sorted(set(KINDS) - set(MUTATION_RUNS))


@pytest.mark.parametrize("huge", ["10 MB page", "1 MB line after the table", "1 MB description"])
def test_huge_mutations(samples: list[Sample], work: Path, huge: str) -> None:
    """The heavy mutations, on the first sample of each corpus folder."""
    by_folder: dict[str, Sample] = {}
    for sample in samples:
        by_folder.setdefault(sample.root.split("/")[1], sample)
    chosen = list(by_folder.values()) if huge != "1 MB description" else list(by_folder.values())[:1]
    for sample in chosen:
        page = sample.files[sample.root].decode("utf-8")
        if huge == "10 MB page":
            text = page + "\n" + "filler words in a paragraph\n" * (10 * 2**20 // 28)
        elif huge == "1 MB line after the table":
            text = page.rstrip("\n") + "\n\n" + "w" * 2**20 + "\n"
        else:
            text = _add_row(page, "huge", "*string*").replace("| `huge` | *string* | :heavy_minus_sign: | N/A", "| `huge` | *string* | :heavy_minus_sign: | " + "w" * 2**20, 1)
        files = {**sample.files, sample.root: text.encode("utf-8")}
        outcome = generate_checked(work, files, sample.previous, f"{huge} of {sample.root}")
        if huge == "10 MB page":
            assert outcome.files is None
            assert any(p[:2] == (sample.root, 1) and "expected at most 2 MiB" in p[2] for p in outcome.problems), outcome.problems


def test_bom_and_crlf_on_every_page(samples: list[Sample], work: Path) -> None:
    """Every page of a sample with a BOM and CRLF at once: the same output as the plain pages."""
    for sample in samples[::4]:
        files = {p: with_line_endings(b, "bom_crlf") for p, b in sample.files.items()}
        outcome = generate_checked(work, files, sample.previous, f"BOM and CRLF on every page of {sample.root}")
        assert outcome.files == sample.good, sample.root


CLI_MUTATIONS = ["empty file", "not UTF-8", "unknown type", "bad Required mark", "10 MB page"]


@pytest.mark.parametrize("mutation", CLI_MUTATIONS)
def test_mutated_page_through_the_cli(samples: list[Sample], work: Path, mutation: str) -> None:
    """A few mutations through the real command: exit 2, file:line problems, no traceback, and the
    previous generation untouched."""
    def fields_table(s: Sample) -> bool:  # the first table is a Field | Type | Required | Description table
        lines = _lines(s.files[s.root])
        rows = _body_rows(lines)
        return bool(rows) and _header_cells(lines, rows[0]) == 4 and "| Field" in lines[rows[0] - 2]

    sample = next(s for s in samples if fields_table(s))
    page = sample.files[sample.root]
    lines = _lines(page)
    first = _body_rows(lines)[0]
    if mutation == "empty file":
        changed, line = b"", 1
    elif mutation == "not UTF-8":
        changed, line = "\n".join(lines[:first] + ["| caf\udce9 |"] + lines[first:]).encode("utf-8", "surrogateescape"), first + 1
    elif mutation in ("unknown type", "bad Required mark"):
        parts = _CELL.split(lines[first])
        parts[2 if mutation == "unknown type" else 3] = " *strng* " if mutation == "unknown type" else " :heavy_plus_sign: "
        lines[first] = "|".join(parts)
        changed, line = "\n".join(lines).encode("utf-8"), first + 1
    else:
        changed, line = page + b"\nfiller words\n" * (10 * 2**20 // 13), 1
    base = new_project(work)
    write_files(base, {**sample.files, sample.root: changed})  # type: ignore[arg-type]
    write_files(base, {f"out/{k}": v for k, v in sample.previous.items()})
    result = run_cli(base, "generate", "specs", "-o", "out", "--no-cache")
    problems = cli_problems(result)
    assert any((path, n) == (sample.root, line) for path, n, _ in problems), result.stderr
    assert snapshot(base / "out") == sample.previous


def test_many_problems_are_counted_not_all_printed(work: Path) -> None:
    """A page broken on every row: the first 200 problems, then how many more, then the count."""
    base = new_project(work)
    write_files(base, {"specs/a.md": model_page("A", *(row(f"f{i}", "*strng*") for i in range(300)))})
    result = run_cli(base, "generate", "specs", "-o", "out", "--no-cache")
    problems = cli_problems(result)
    assert len(problems) == 200 and result.stderr.splitlines()[-2:] == ["docmodels: 100 more errors not shown; -v lists them all", "docmodels: 300 errors, 0 warnings; nothing was written"]
    assert not (base / "out").exists()


# == 2. adversarial pages ===============================================================================

NUL_TEXT = "nul\x00byte"
HOSTILE_DESCRIPTIONS = {
    "codeAfterBreak": 'x<br/>"""<br/>import os; os.system("touch PWNED")<br/>"""',
    "singleQuotes": "''' ends ''' here '''",
    "tripleDouble": '"""',
    "backslashes": "C:\\new\\table \\N{BULLET} \\u2028 \\x00 ends with a backslash\\",
    "jinja": "{{ 7*7 }} {% if true %}jinja{% endif %} {# comment #} {{",
    "literalNul": NUL_TEXT,
    "escapedNul": "escaped \\x00 and \\0 and \\u0000",
    "pwn": '__import__("os").system("touch PWNED") \\" """+__import__("os").system("touch PWNED")+"""',
    "quoteEdges": '"starts and ends with a quote"',
    "controls": "tab\there \u2028 line sep \u0085 nel \x0c form feed \x1b[31m escape",
    "indented": "first<br/>    indented code<br/>  less<br/><br/>after a blank line",
    "unicode": "ｆｕｌｌｗｉｄｔｈ, Cyrillic а, 𝒳, emoji 🐍, RTL \u202e txt.exe",
}
MODEL_DESCRIPTION = 'Model with """ and \'\'\' and {{ jinja }} {% raw %}\n__import__("os").system("touch PWNED")\nends with a backslash \\'


@dataclasses.dataclass(frozen=True)
class F:
    name: str
    required: bool = True
    description: str = "N/A"


@dataclasses.dataclass(frozen=True)
class M:
    name: str
    fields: tuple[F, ...]
    description: str = ""


@dataclasses.dataclass(frozen=True)
class E:
    name: str
    values: tuple[str | int, ...]
    description: str = ""
    as_table: bool = False


@dataclasses.dataclass(frozen=True)
class U:
    name: str
    description: str = ""


def page_text(text: str) -> str:
    """What a description means: `<br/>` is a line break, N/A nothing. A NUL byte reads as U+FFFD,
    as CommonMark requires of every markdown reader (section 2.3, insecure characters)."""
    text = re.sub(r"<br\s*/?>", "\n", text).strip()
    return "" if text == "N/A" else text.replace("\x00", "\ufffd")


def render_pages(definitions: list[M | E | U], dialect: str) -> dict[str, str]:
    pages: dict[str, str] = {}
    for i, d in enumerate(definitions):
        intro = f"\n{d.description}\n" if d.description else ""
        if isinstance(d, M):
            rows = []
            for f in d.fields:
                if dialect == "python":
                    type_ = "*str*" if f.required else "*Optional[str]*"
                else:
                    type_ = "*string*"
                rows.append(row(f.name, type_, ":heavy_check_mark:" if f.required else ":heavy_minus_sign:", f.description))
            text = f"# {d.name}\n{intro}\n## Fields\n\n| Field | Type | Required | Description |\n| --- | --- | --- | --- |\n" + "".join(r + "\n" for r in rows)
        elif isinstance(d, E):
            if d.as_table:
                body = "| Name | Value |\n| --- | --- |\n" + "".join(f"| `{names.enum_member_name(v)}` | {v} |\n" for v in d.values)
            elif dialect == "python":
                body = "".join(f"- `{json.dumps(v)}`\n" for v in d.values)
            else:
                body = "```typescript\n" + " | ".join(json.dumps(v) for v in d.values) + "\n```\n"
            text = f"# {d.name}\n{intro}\n## Values\n\n{body}"
        else:
            members = ("str", "int") if dialect == "python" else ("string", "number")
            lang = "python" if dialect == "python" else "typescript"
            text = f"# {d.name}\n{intro}\n## Supported Types\n\n" + "".join(f"### `{m}`\n\n```{lang}\nconst value: {m} = /* values here */\n```\n\n" for m in members)
        pages[f"p{i:02d}.md"] = text
    return pages


def _fields(*specs: str) -> tuple[F, ...]:
    """Field names; a trailing `?` marks an optional one."""
    return tuple(F(s.rstrip("?"), required=not s.endswith("?")) for s in specs)


PYTHON_NAMES = ("__import__", "os.system?", "class", "None?", "__init__", "self?", "cls", "data?", "rt", "from?", "2fa", "$ref?", "additional_properties", "from_dict?", "to_dict", "import?", "Any", "enum?", "typing", "UNSET?", "datetime", "sys?", "NotRequired", "TypedDict?")

HOSTILE: dict[str, tuple[str, list[M | E | U]]] = {
    "descriptions_ts": (
        "typescript",
        [
            M("Described", tuple(F(k, required=i % 2 == 0, description=v) for i, (k, v) in enumerate(HOSTILE_DESCRIPTIONS.items())), MODEL_DESCRIPTION),
            E("Colour", ('a"b', "'''", '"""', "{{ x }}", "{% y %}", "a\\b", "tail\\", "nul\x00", "line\nbreak", "__import__('os').system('touch PWNED')", "", " "), MODEL_DESCRIPTION),
            U("Choice", MODEL_DESCRIPTION),
            M("Plain", (F("x"),), "Only a description: \"quoted\" and a backslash \\"),
        ],
    ),
    "descriptions_py": (
        "python",
        [
            M("Described", tuple(F(k, required=i % 2 == 1, description=v) for i, (k, v) in enumerate(HOSTILE_DESCRIPTIONS.items())), MODEL_DESCRIPTION),
            E("Colour", ('a"b', "'''", '"""', "{{ x }}", "a\\b", "line\nbreak", "x" * 3), MODEL_DESCRIPTION),
            U("Choice", MODEL_DESCRIPTION),
        ],
    ),
    "python_names_ts": ("typescript", [M("Names", _fields(*PYTHON_NAMES))]),
    "python_names_py": ("python", [M("Names", _fields(*PYTHON_NAMES))]),
    "model_names": (
        "typescript",
        [M(n, (F("x"),)) for n in ("__import__", "os.system", "class", "None", "self", "cls", "data", "rt", "from", "Evil\"\"\"Name", "Unset", "ValidationError", "Final")],
    ),
    "case_only_fields": ("typescript", [M("Cases", _fields("Name", "name", "NAME?", "nAmE"))]),
    "cyrillic_lookalike": ("typescript", [M("Lookalike", _fields("name", "n\u0430me", "\u0430"))]),
    "enum_identifier_collisions": ("typescript", [E("Collide", ("a-b", "a_b", "a b", "A-B", "-1", "1", "v_1"), as_table=True)]),
    "field_named_dataclasses": ("typescript", [M("Optional", _fields("x", "dataclasses?")), M("Required", _fields("dataclasses"))]),
    "typeddict_key_mangled": ("typescript", [M("Private", _fields("__private", "__secret?"))]),
    "typeddict_key_nfkc": ("typescript", [M("Fullwidth", _fields("name", "\uff4e\uff41\uff4d\uff45?", "\ufb01le"))]),
    "enum_one_and_quoted_one": ("typescript", [E("Mixed", ("1", 1))]),
    "model_named_typealias": ("typescript", [M("TypeAlias", _fields("x")), U("Either")]),
}
ALLOWED_IMPORTS = {"__future__", "dataclasses", "datetime", "enum", "typing", "re", "collections.abc", "sys", "typing_extensions", "math", "threading", "reprlib"}


@pytest.fixture(scope="module")
def hostile(work: Path) -> dict[str, Any]:
    """Each hostile case generated into its own package `out/hostile_<case>`; the value is the
    Result or the exception."""
    base = new_project(work)
    results: dict[str, Any] = {}
    for case, (dialect, definitions) in HOSTILE.items():
        write_files(base, {f"pages/{case}/{rel}": text for rel, text in render_pages(definitions, dialect).items()})
        try:
            results[case] = docmodels.generate(base, specs=[f"pages/{case}"], out=f"out/hostile_{case}", use_cache=False)
        except Exception as exc:  # noqa: BLE001 - reported by test_hostile_generates
            results[case] = exc
    return {"base": base, "results": results}


def _package(hostile: dict[str, Any], case: str) -> Path:
    result = hostile["results"][case]
    if isinstance(result, BaseException):
        pytest.fail(f"generation failed: {type(result).__name__}: {short(str(result), 2000)}")
    return hostile["base"] / "out" / f"hostile_{case}"


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_generates(hostile: dict[str, Any], case: str) -> None:
    package = _package(hostile, case)
    for path in package.rglob("*.py"):
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
    for path in (package / "jsonschema").glob("*.json"):
        jsonschema.Draft202012Validator.check_schema(json.loads(path.read_text(encoding="utf-8")))


IMPORT_SCRIPT = r"""
import importlib, inspect, json, sys, typing
sys.path.insert(0, sys.argv[1])
package, expected = sys.argv[2], json.loads(sys.argv[3])
import dataclasses, datetime, enum, re, collections.abc, __future__
try:
    import typing_extensions
except ImportError:
    pass
before = set(sys.modules)
report = {"error": None, "classes": {}, "enums": {}, "functions": {}, "typeddicts": {}, "literals": {}, "round_trips": {}}
try:
    models = importlib.import_module(package + ".models")
    typeddicts = importlib.import_module(package + ".typeddicts")
    importlib.import_module(package)
    importlib.import_module(package + "._runtime")
except BaseException as exc:
    report["error"] = f"{type(exc).__name__}: {exc}"
report["new_modules"] = sorted(set(sys.modules) - before)
if report["error"] is None:
    for name, wires in expected["models"].items():
        cls = getattr(models, name, None)
        if cls is None:
            continue
        report["classes"][name] = {"doc": inspect.getdoc(cls) if cls.__doc__ and not cls.__doc__.startswith(name + "(") else None}
        sample = {w: "v" for w in wires}
        try:
            report["round_trips"][name] = cls.from_dict(sample).to_dict() == sample
        except BaseException as exc:
            report["round_trips"][name] = f"{type(exc).__name__}: {exc}"
        td = getattr(typeddicts, name, None)
        if td is not None:
            report["typeddicts"][name] = {"keys": list(td.__annotations__), "doc": inspect.getdoc(td) if td.__doc__ else None}
    for name in expected["enums"]:
        cls = getattr(models, name, None)
        if cls is not None:
            report["enums"][name] = {"members": [[k, m.value] for k, m in cls.__members__.items()], "doc": inspect.getdoc(cls) if cls.__doc__ and cls.__doc__ != "An enumeration." else None}
        alias = getattr(typeddicts, name, None)
        if alias is not None:
            report["literals"][name] = list(typing.get_args(alias))
    for name, function in expected["unions"].items():
        f = getattr(models, function, None)
        report["functions"][name] = inspect.getdoc(f) if f is not None and f.__doc__ else None
print(json.dumps(report))
"""


def _expectations(case: str) -> dict[str, Any]:
    _, definitions = HOSTILE[case]
    return {
        "models": {names.class_name(d.name): [f.name for f in d.fields] for d in definitions if isinstance(d, M)},
        "enums": [names.class_name(d.name) for d in definitions if isinstance(d, E)],
        "unions": {names.class_name(d.name): names.snake_case(names.class_name(d.name)) + "_from_dict" for d in definitions if isinstance(d, U)},
    }


@pytest.fixture(scope="module")
def imported(hostile: dict[str, Any]) -> dict[str, Any]:
    """Each generated package imported in a fresh interpreter, in an empty working folder."""
    reports: dict[str, Any] = {}
    for case in HOSTILE:
        if isinstance(hostile["results"][case], BaseException):
            continue
        cwd = Path(tempfile.mkdtemp(dir=hostile["base"]))
        result = subprocess.run(
            [sys.executable, "-c", IMPORT_SCRIPT, str(hostile["base"] / "out"), f"hostile_{case}", json.dumps(_expectations(case))],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        reports[case] = {**json.loads(result.stdout), "cwd_after": sorted(os.listdir(cwd))}
    return reports


def _declared_imports(source: str) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            found.add(node.module or "")
    return found


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_import_is_inert(hostile: dict[str, Any], imported: dict[str, Any], case: str) -> None:
    """Importing the package imports only the standard modules the templates declare, runs nothing
    a page wrote (no PWNED file anywhere), and every model reads and writes its wire names."""
    package = _package(hostile, case)
    for path in package.rglob("*.py"):
        assert _declared_imports(path.read_text(encoding="utf-8")) <= ALLOWED_IMPORTS, path.name
    report = imported[case]
    assert report["error"] is None, report["error"]
    extra = [m for m in report["new_modules"] if m != f"hostile_{case}" and not m.startswith(f"hostile_{case}.") and m not in ALLOWED_IMPORTS]
    assert extra == []
    assert report["cwd_after"] == []
    assert not list(hostile["base"].rglob("PWNED*"))
    assert all(ok is True for ok in report["round_trips"].values()), report["round_trips"]
    assert set(report["round_trips"]) == set(_expectations(case)["models"])


@pytest.fixture(scope="module")
def mypy_output(hostile: dict[str, Any]) -> str:
    packages = [f"hostile_{c}" for c in HOSTILE if not isinstance(hostile["results"][c], BaseException)]
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(hostile["base"] / ".mypy_cache"), *packages],
        cwd=hostile["base"] / "out",
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode in (0, 1), result.stdout + result.stderr
    return result.stdout


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_mypy_strict(hostile: dict[str, Any], mypy_output: str, case: str) -> None:
    _package(hostile, case)
    errors = [line for line in mypy_output.splitlines() if line.startswith(f"hostile_{case}/") or line.startswith(f"hostile_{case}\\")]
    assert errors == []


def _attribute_docstrings(source: str, class_name: str) -> list[tuple[str, str | None]]:
    """(attribute, docstring or None) for each annotated attribute of a class, in order."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            found: list[tuple[str, str | None]] = []
            for i, item in enumerate(node.body):
                if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    after = node.body[i + 1] if i + 1 < len(node.body) else None
                    doc = after.value.value if isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant) and isinstance(after.value.value, str) else None
                    found.append((item.target.id, doc))
            return found
    raise AssertionError(f"no class {class_name}")


def same_doc(got: str | None, page: str) -> bool:
    """A docstring against the page text. Docstrings are indented inside the class and black
    re-indents class docstrings and strips trailing whitespace of their lines, so both sides are
    compared after `inspect.cleandoc` with trailing whitespace of each line removed. (JSON Schema
    descriptions, enum values and TypedDict keys are compared exactly.)"""

    def norm(text: str) -> str:
        return "\n".join(line.rstrip() for line in inspect.cleandoc(text).split("\n"))

    if not page:
        return got is None
    return got is not None and norm(got) == norm(page)


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_strings_survive(hostile: dict[str, Any], imported: dict[str, Any], case: str) -> None:
    """Descriptions, enum values and wire names reach all three targets unchanged."""
    package = _package(hostile, case)
    report = imported[case]
    assert report["error"] is None, report["error"]
    _, definitions = HOSTILE[case]
    schemas = {}
    for path in (package / "jsonschema").glob("*.json"):
        document = json.loads(path.read_text(encoding="utf-8"))
        schemas[document["title"]] = document
    models_source = (package / "models.py").read_text(encoding="utf-8")
    typeddicts_source = (package / "typeddicts.py").read_text(encoding="utf-8")
    failures: list[str] = []

    def expect(ok: bool, message: str) -> None:
        if not ok:
            failures.append(message)

    assert sorted(schemas) == sorted(d.name for d in definitions), "JSON Schema titles are the page names"
    for d in definitions:
        schema = schemas[d.name]
        cls = names.class_name(d.name)
        want = page_text(d.description)
        expect(schema.get("description", "") == want, f"{d.name}: JSON Schema description {schema.get('description')!r} != {want!r}")
        if isinstance(d, M):
            wires = [f.name for f in d.fields]
            expect(list(schema["properties"]) == wires, f"{d.name}: JSON Schema properties {list(schema['properties'])} != {wires}")
            expect(schema["required"] == [f.name for f in d.fields if f.required], f"{d.name}: JSON Schema required")
            for f in d.fields:
                got = schema["properties"].get(f.name, {}).get("description", "")
                expect(got == page_text(f.description), f"{d.name}.{f.name}: JSON Schema description {got!r} != {page_text(f.description)!r}")
            # A dataclass always has a docstring (else the decorator computes one at every import).
            want_class = want or f"The {cls} object (the docs give no description)."
            expect(same_doc(report["classes"].get(cls, {}).get("doc"), want_class), f"{cls}: class docstring {report['classes'].get(cls, {}).get('doc')!r} != {want_class!r}")
            attributes = _attribute_docstrings(models_source, cls)[: len(d.fields)]
            for f, (attribute, doc) in zip(d.fields, attributes):
                expect(same_doc(doc, page_text(f.description)), f"{cls}.{attribute}: docstring {doc!r} != {page_text(f.description)!r}")
            typeddict = report["typeddicts"].get(cls)
            expect(typeddict is not None and typeddict["keys"] == wires, f"TypedDict {cls}: keys {typeddict and typeddict['keys']} != wire names {wires}")
            if f"class {cls}(TypedDict)" in typeddicts_source:
                expect(same_doc(typeddict and typeddict["doc"], want), f"TypedDict {cls}: docstring")
                for f, (key, doc) in zip(d.fields, _attribute_docstrings(typeddicts_source, cls)):
                    expect(same_doc(doc, page_text(f.description)), f"TypedDict {cls}.{key}: docstring {doc!r} != {page_text(f.description)!r}")
        elif isinstance(d, E):
            values = [v.replace("\x00", "\ufffd") if isinstance(v, str) and d.as_table else v for v in d.values]
            listed = schema.get("enum", schema.get("anyOf", [{}])[0].get("enum"))
            expect(listed == values, f"{d.name}: JSON Schema enum {listed!r} != {values!r}")
            validator = jsonschema.Draft202012Validator(schema)
            for v in values:
                expect(validator.is_valid(v), f"{d.name}: page value {v!r} is not valid against its own JSON Schema")
            enum_report = report["enums"].get(cls)
            got_values = [v for _, v in enum_report["members"]] if enum_report else None
            expect(got_values == values, f"enum {cls}: member values {got_values!r} != page values {values!r}")
            expect(enum_report is not None and same_doc(enum_report["doc"], want), f"enum {cls}: docstring")
            expect(report["literals"].get(cls) == values, f"TypedDict alias {cls}: Literal values {report['literals'].get(cls)!r} != {values!r}")
        else:
            expect(same_doc(report["functions"].get(cls), want), f"union {cls}: function docstring {report['functions'].get(cls)!r} != {want!r}")
    assert failures == []


def test_hostile_file_name(work: Path) -> None:
    """A page whose file name holds quotes, a newline and code: the headers that name it stay
    comments, and importing the result runs nothing."""
    base = new_project(work)
    evil = 'evil"""\nimport os; os.system("touch PWNED")\n\'\'\'.md'
    write_files(base, {f"specs/{evil}": model_page("Evil", row("x"))})
    result = docmodels.generate(base, specs=["specs"], out="out", use_cache=False)
    assert result.summary.startswith("1 definitions")
    check_generated(base / "out", result.files, "hostile file name")
    schema = json.loads((base / "out" / "jsonschema" / "Evil.json").read_text(encoding="utf-8"))
    assert f"specs/{printable(evil)}" in schema["$comment"]  # on one line, as problems show it
    run = subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, 'x'); import out.models, out.typeddicts"], cwd=base, capture_output=True, text=True)
    run = subprocess.run([sys.executable, "-c", "import out.models, out.typeddicts, out"], cwd=base, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert not list(base.rglob("PWNED*"))


# == 3. paths stay inside ===============================================================================

OUTSIDE = model_page("Secret", row("secret"))


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every file docmodels opens or reads during the test, resolved."""
    seen: list[Path] = []
    real_read_bytes, real_read_text, real_open, real_path_open = pathlib.Path.read_bytes, pathlib.Path.read_text, builtins.open, pathlib.Path.open

    def record(path: Any) -> None:
        try:
            seen.append(Path(os.fsdecode(path)).resolve())
        except (TypeError, ValueError, OSError):
            pass

    def read_bytes(self: Path) -> bytes:
        record(self)
        return real_read_bytes(self)

    def read_text(self: Path, *args: Any, **kwargs: Any) -> str:
        record(self)
        return real_read_text(self, *args, **kwargs)

    def reading(args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:  # the test's own writes do not count
        mode = args[0] if args else kwargs.get("mode", "r")
        return not any(c in str(mode) for c in "wax+")

    def path_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        if reading(args, kwargs):
            record(self)
        return real_path_open(self, *args, **kwargs)

    def open_(file: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, (str, bytes, os.PathLike)) and reading(args, kwargs):
            record(file)
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "read_bytes", read_bytes)
    monkeypatch.setattr(pathlib.Path, "read_text", read_text)
    monkeypatch.setattr(pathlib.Path, "open", path_open)
    monkeypatch.setattr(builtins, "open", open_)
    monkeypatch.setattr(io, "open", open_)
    return seen


def _escape_case(base: Path, case: str) -> tuple[list[str], str, int]:
    """Lay out one escape attempt under `base`: (specs to give, page holding the problem, its line).
    The outside page, where there is one, is `base/outside/secret.md` (a valid page)."""
    write_files(base, {"outside/secret.md": OUTSIDE})
    secret = base / "outside" / "secret.md"
    if case == "dotdot to /etc":
        page = model_page("A", row("ok"), row("x", "[components.Passwd](../../../etc/passwd.md)"))
        write_files(base, {"specs/a.md": page})
        return ["specs"], "specs/a.md", line_of(page, "passwd")
    if case == "dotdot to a valid page outside":
        page = model_page("A", row("ok"), row("x", "[components.Secret](../../../../outside/secret.md)"))
        write_files(base, {"specs/a/b/c/a.md": page})
        return ["specs"], "specs/a/b/c/a.md", line_of(page, "Secret")
    if case == "absolute /etc/passwd.md":
        page = model_page("A", row("ok"), row("x", "[components.Passwd](/etc/passwd.md)"))
        write_files(base, {"specs/a.md": page})
        return ["specs"], "specs/a.md", line_of(page, "passwd")
    if case == "absolute path of a valid page":
        page = model_page("A", row("ok"), row("x", f"[components.Secret]({secret.as_posix()})"))
        write_files(base, {"specs/a.md": page})
        return ["specs"], "specs/a.md", line_of(page, "Secret")
    if case == "file:// URL of a valid page":
        page = model_page("A", row("ok"), row("x", f"[components.Secret](file://{secret.as_posix()})"))
        write_files(base, {"specs/a.md": page})
        return ["specs"], "specs/a.md", line_of(page, "Secret")
    if case == "symlinked page in the specs folder":
        write_files(base, {"specs/a.md": model_page("A", row("ok"))})
        os.symlink(secret, base / "specs" / "link.md")
        return ["specs"], "specs/link.md", 1
    if case == "link through a symlinked folder":
        page = model_page("A", row("ok"), row("x", "[components.Secret](inside/secret.md)"))
        write_files(base, {"specs/a.md": page})
        os.symlink(base / "outside", base / "specs" / "inside", target_is_directory=True)
        return ["specs"], "specs/a.md", line_of(page, "Secret")
    if case == "link to a sibling folder":
        page = model_page("A", row("ok"), row("x", "[components.Secret](../two/secret.md)"))
        write_files(base, {"specs/one/a.md": page, "specs/two/secret.md": OUTSIDE})
        secret.unlink()
        (base / "specs" / "two" / "secret.md").rename(secret.parent / "moved.md")
        # the page really is there, beside the given folder
        write_files(base, {"specs/two/secret.md": OUTSIDE})
        return ["specs/one"], "specs/one/a.md", line_of(page, "Secret")
    if case == "percent-encoded dotdot":
        page = model_page("A", row("ok"), row("x", "[components.Secret](%2e%2e/outside/secret.md)"))
        write_files(base, {"specs/a.md": page})
        return ["specs"], "specs/a.md", line_of(page, "Secret")
    raise AssertionError(case)


ESCAPES = [
    "dotdot to /etc",
    "dotdot to a valid page outside",
    "absolute /etc/passwd.md",
    "absolute path of a valid page",
    "file:// URL of a valid page",
    "symlinked page in the specs folder",
    "link through a symlinked folder",
    "link to a sibling folder",
    "percent-encoded dotdot",
]


@pytest.mark.parametrize("case", ESCAPES)
def test_links_stay_inside_the_spec_folders(work: Path, reads: list[Path], case: str) -> None:
    base = new_project(work)
    specs, page, line = _escape_case(base, case)
    outside = {p.resolve() for p in (base / "outside").rglob("*.md")} | {(base / "specs" / "two" / "secret.md").resolve()} - {
        p.resolve() for s in specs for p in (base / s).rglob("*.md") if not p.is_symlink() and (base / s).resolve() in p.resolve().parents
    }
    with pytest.raises(docmodels.InputError) as info:
        docmodels.generate(base, specs=specs, out="out", use_cache=False)
    problems = [(p.loc.path, p.loc.line, p.message) for p in info.value.problems if not p.warning]
    assert any((path, n) == (page, line) and "expected" in message for path, n, message in problems), problems
    for path, n, message in problems:
        assert path and n >= 1 and "expected" in message, problems
        assert "Secret" not in message or "components.Secret" in message, problems
    leaked = sorted(str(p) for p in set(reads) & outside)
    assert leaked == [], "a page outside the spec folders was read"
    assert not (base / "out").exists()


def test_symlink_escape_through_the_cli(work: Path) -> None:
    base = new_project(work)
    specs, page, line = _escape_case(base, "symlinked page in the specs folder")
    problems = cli_problems(run_cli(base, "generate", *specs, "-o", "out", "--no-cache"))
    assert (page, line) in [(p, n) for p, n, _ in problems]
    assert not (base / "out").exists()


BAD_FILE_NAMES = ["../x", "/abs", "con", "CON", "Aux", "Foo", "FOO", "nul.txt", "com1", "LPT9", "x/../../y", "con.json", ".."]
WINDOWS_DEVICES = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def test_output_file_names_stay_inside(work: Path) -> None:
    base = new_project(work)
    write_files(base, {f"specs/p{i:02d}.md": model_page(n, row("x")) for i, n in enumerate(BAD_FILE_NAMES)})
    result = docmodels.generate(base, specs=["specs"], out="out", use_cache=False)
    out = (base / "out").resolve()
    check_generated(base / "out", result.files, "bad file names")
    for rel in result.files:
        assert (out / rel).resolve().is_relative_to(out), rel
        assert ".." not in Path(rel).parts and not Path(rel).is_absolute(), rel
    written = [p for p in out.rglob("*") if p.is_file()]
    assert len({p.relative_to(out).as_posix().lower() for p in written}) == len(written), "file names differ only in case"
    for p in written:
        assert p.name.split(".")[0].lower() not in WINDOWS_DEVICES, p.name
    titles = sorted(json.loads(p.read_text(encoding="utf-8"))["title"] for p in (out / "jsonschema").glob("*.json"))
    assert titles == sorted(BAD_FILE_NAMES)
    assert sorted(p.name for p in base.iterdir()) == ["out", "pyproject.toml", "specs"], "something was written outside the output folder"


# == 4. limits ===========================================================================================


def _chain(n: int) -> dict[str, str]:
    pages = {}
    for i in range(n):
        rows = [row("x")] + ([row("next", f"[components.Chain{i + 1:03d}](p{i + 1:03d}.md)", ":heavy_minus_sign:")] if i + 1 < n else [])
        pages[f"specs/p{i:03d}.md"] = model_page(f"Chain{i:03d}", *rows)
    return pages


def _limit_case(case: str) -> tuple[dict[str, str], list[str], str, int]:
    """(files, command-line arguments after `generate`, page with the problem, its line)."""
    if case == "page over 2 MiB":
        page = model_page("A", row("x"), description="words " * (2 * 2**20 // 6 + 1))
        assert len(page.encode()) > 2 * 2**20
        return {"specs/a.md": page}, ["specs"], "specs/a.md", 1
    if case == "table of 2001 rows":
        page = model_page("A", *(row(f"f{i}") for i in range(2001)))
        return {"specs/a.md": page}, ["specs"], "specs/a.md", line_of(page, "| Field |")
    nested = {
        "List[...] 17 deep (Python)": "List[" * 16 + "List[*str*]" + "]" * 16,
        "Record<string, ...> 17 deep (TypeScript)": "Record<string, " * 17 + "*string*" + ">" * 17,
        "Dict[str, ...] 17 deep (Python)": "Dict[str, " * 17 + "*str*" + "]" * 17,
        "T[] 17 deep (TypeScript)": "*string*" + "[]" * 17,
        "T[] 1000 deep (TypeScript)": "*string*" + "[]" * 1000,
    }
    if case in nested:
        page = model_page("A", row("ok", "*str*" if "Python" in case else "*string*"), row("deep", nested[case]))
        return {"specs/a.md": page}, ["specs"], "specs/a.md", line_of(page, "`deep`")
    if case == "chain of 102 pages from the root page":
        return _chain(102), ["specs/p000.md"], "specs/p100.md", line_of(_chain(102)["specs/p100.md"], "`next`")
    if case == "chain of 102 pages from --root":
        return _chain(102), ["specs", "--root", "Chain000"], "specs/p100.md", line_of(_chain(102)["specs/p100.md"], "`next`")
    raise AssertionError(case)


LIMITS = [
    "page over 2 MiB",
    "table of 2001 rows",
    "List[...] 17 deep (Python)",
    "Dict[str, ...] 17 deep (Python)",
    "Record<string, ...> 17 deep (TypeScript)",
    "T[] 17 deep (TypeScript)",
    "T[] 1000 deep (TypeScript)",
    "chain of 102 pages from the root page",
    "chain of 102 pages from --root",
]


@pytest.mark.parametrize("case", LIMITS)
def test_limit_is_a_clear_error(work: Path, case: str) -> None:
    base = new_project(work)
    files, args, page, line = _limit_case(case)
    write_files(base, files)  # type: ignore[arg-type]
    result = run_cli(base, "generate", *args, "-o", "out", "--no-cache")
    problems = cli_problems(result)
    assert (page, line) in [(p, n) for p, n, _ in problems], short(result.stderr, 2000)
    assert not (base / "out").exists()


def test_just_inside_the_limits(work: Path) -> None:
    """16 levels of nesting and a chain of 100 links are fine."""
    base = new_project(work)
    write_files(
        base,
        {
            "specs/py.md": model_page("Py", row("ok", "*str*"), row("deep", "List[" * 15 + "List[*str*]" + "]" * 15)),
            "specs/ts.md": model_page("Ts", row("deep", "Record<string, " * 16 + "*string*" + ">" * 16)),
        },
    )
    result = docmodels.generate(base, specs=["specs"], out="out", use_cache=False)
    check_generated(base / "out", result.files, "16 deep")
    chain = new_project(work)
    write_files(chain, _chain(101))  # type: ignore[arg-type]
    result = docmodels.generate(chain, specs=["specs/p000.md"], out="out", use_cache=False, targets=["jsonschema"])
    assert result.summary.startswith("101 definitions")


# == 5. determinism ======================================================================================

SHUFFLED_LISTING = r"""
import os, runpy, sys
real_scandir = os.scandir

class Reversed:
    def __init__(self, path):
        with real_scandir(path) as it:
            self.entries = sorted(it, key=lambda e: e.name, reverse=True)
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        return False
    def __iter__(self):
        return iter(self.entries)
    def close(self):
        pass

os.scandir = lambda path=".": Reversed(path)
real_listdir = os.listdir
os.listdir = lambda path=".": sorted(real_listdir(path), reverse=True)
sys.argv = ["docmodels", *sys.argv[1:]]
runpy.run_module("docmodels", run_name="__main__")
"""


def test_output_is_deterministic(work: Path) -> None:
    """Different hash seeds, spec files created (and listed) in different orders, cache off, cold
    and warm: byte-identical output folders, and the same messages."""
    source = CORPUS / "mistral-ts-2024-08" / "models"
    if not source.is_dir():
        source = ROOT / "specs"
    pages = sorted(p for p in source.rglob("*.md") if p.is_file())
    top = source.parent if source.name == "models" else source  # the corpus pages link via ../../models/
    first, second = new_project(work), new_project(work)
    for base, order in ((first, pages), (second, list(reversed(pages)))):
        for page in order:
            target = base / "specs" / page.relative_to(top)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(page, target)

    def run(base: Path, seed: str, out: str, *args: str, shuffled: bool = False) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PYTHONHASHSEED": seed}
        command = [sys.executable, "-c", SHUFFLED_LISTING] if shuffled else [sys.executable, "-m", "docmodels"]
        result = subprocess.run([*command, "generate", "specs", "-o", out, *args], cwd=base, capture_output=True, text=True, env=env, timeout=300)
        assert result.returncode == 0, result.stderr[-3000:]
        return result

    runs = [
        run(first, "0", "out", "--no-cache"),
        run(second, "1", "out", shuffled=True),  # cold cache, reversed listing
        run(second, "2", "out-warm"),  # warm cache
        run(first, "4242", "out-cold", shuffled=True),
    ]
    assert list((second / ".docmodels-cache" / "runs").glob("*.json"))
    folders = [first / "out", second / "out", second / "out-warm", first / "out-cold"]
    reference = snapshot(folders[0])
    assert reference
    for folder in folders[1:]:
        got = snapshot(folder)
        assert got is not None
        assert sorted(got) == sorted(reference), folder
        different = [k for k in reference if got[k] != reference[k]]
        assert different == [], f"{folder}: {different}"
    assert len({r.stderr for r in runs}) == 1
    assert len({r.stdout.replace("out-warm", "out").replace("out-cold", "out") for r in runs}) == 1


def test_warm_runs_after_edits_match_cold_runs(work: Path) -> None:
    """The cache changes how fast a run is, never what it writes or says: after each edit (a
    renamed field, one of the same size at once, a link pointed elsewhere, a page many others
    embed in their JSON Schemas, pages added, a page that takes the name of another, a linked
    page removed, everything undone), a run with the cache and one without give the same output
    folder and the same messages."""
    source = CORPUS / "mistral-ts-2024-08"
    if not source.is_dir():
        pytest.skip(f"the corpus is not at {CORPUS}")
    base = new_project(work)
    shutil.copytree(source / "models", base / "specs" / "models")
    components = base / "specs" / "models" / "components"
    request, tool = components / "chatcompletionrequest.md", components / "tool.md"
    tool_text = tool.read_text(encoding="utf-8")

    def replace(page: Path, old: str, new: str) -> None:
        text = page.read_text(encoding="utf-8")
        assert old in text
        page.write_text(text.replace(old, new, 1), encoding="utf-8")

    def both(step: str) -> None:
        warm = run_cli(base, "generate", "specs", "-o", "out-warm")
        cold = run_cli(base, "generate", "specs", "-o", "out-cold", "--no-cache")
        assert warm.returncode == cold.returncode, f"{step}: {warm.stderr[-2000:]}"
        assert warm.stderr == cold.stderr, step
        assert snapshot(base / "out-warm") == snapshot(base / "out-cold"), step

    both("first run")
    first = snapshot(base / "out-warm")
    original = request.read_text(encoding="utf-8")
    replace(request, "| `model`", "| `modelRenamed`")
    both("renamed field")
    replace(request, "| `modelRenamed`", "| `modelRenamee`")  # same size, same second
    both("renamed again, same size")
    replace(request, "(../../models/components/responseformat.md)", "(../../models/components/tool.md)")
    both("link pointed at another page")
    function = components / "functiont.md"  # Tool links to it: every document that embeds Tool changes
    replace(function, "| `name`", "| `nameChanged`")
    both("a page that others embed")
    (components / "extra.md").write_text(model_page("Extra", row("x"), row("tool", "[components.Tool](../../models/components/tool.md)")), encoding="utf-8")
    both("page added")
    first_folder = base / "specs" / "models" / "aaa"  # its pages are read, and their names taken, first
    first_folder.mkdir()
    (first_folder / "other.md").write_text(model_page("Other", row("x")), encoding="utf-8")
    both("a page in a folder read first")
    replace(first_folder / "other.md", "# Other", "# Tool")  # now components/tool.md is the second Tool
    both("a page outside every closure renames one inside")
    tool.unlink()
    both("linked page removed")
    tool.write_text(tool_text, encoding="utf-8")
    (components / "extra.md").unlink()
    shutil.rmtree(first_folder)
    request.write_text(original, encoding="utf-8")
    replace(function, "| `nameChanged`", "| `name`")
    both("everything undone")
    assert snapshot(base / "out-warm") == first
