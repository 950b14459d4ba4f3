"""The `docmodels` command on bad and tricky input, run as a subprocess in a temporary project.

Bad input must end with exit code 2, one `path:line: message` line per problem on stderr (sorted,
then a count line), no traceback, and nothing written. The positive cases at the end cover cycles,
CRLF/BOM pages, `check` and `schema`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

import docmodels
from pages import line_of, model_page, page, row, run_cli, snapshot, write_files

ROOT = Path(__file__).resolve().parent.parent
REAL_SPECS = ROOT / "specs"
PROBLEM_LINE = re.compile(r"^(?P<path>[^\s:][^:]*):(?P<line>\d+): (?P<message>(?:error|warning): .+)$")
COUNT_LINE = re.compile(r"^docmodels: (\d+) errors?, (\d+) warnings?; nothing was written$")
PYPROJECT = "[project]\nname = 'tmp'\n\n[tool.docmodels]\n"


@dataclass(frozen=True)
class Reported:
    path: str
    line: int
    message: str


def bad_input(result: subprocess.CompletedProcess[str]) -> tuple[list[Reported], list[str]]:
    """Check the shape of a bad-input run; return its file:line problems and its other problem lines."""
    assert result.returncode == 2, f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert "Traceback" not in result.stderr
    assert "internal error" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines, "no problems on stderr"
    count = COUNT_LINE.match(lines[-1])
    assert count, f"last stderr line is not the count line: {lines[-1]!r}"
    body = lines[:-1]
    assert int(count.group(1)) + int(count.group(2)) == len(body)
    assert int(count.group(2)) == sum(": warning: " in line for line in body)
    located, general = [], []
    for line in body:
        if line.startswith(("docmodels: error: ", "docmodels: warning: ")):
            general.append(line)
            continue
        m = PROBLEM_LINE.match(line)
        assert m, f"not a path:line: message line: {line!r}"
        located.append(Reported(m["path"], int(m["line"]), m["message"]))
    return located, general


OK_B = model_page("B", row("x"))


@pytest.fixture
def project(tmp_path: Path):
    """A temporary project folder with a pyproject.toml (so paths are shown relative to it)."""

    def make(files: dict[str, str | bytes], pyproject: str = PYPROJECT) -> Path:
        write_files(tmp_path, {"pyproject.toml": pyproject, **files})
        return tmp_path

    return make


# -- one problem per case ------------------------------------------------------------------------

A_MISSING_LINK = model_page("A", row("ok"), row("x", "[components.X](missing.md)"))
A_LINK_TO_D = model_page("A", row("ok"), row("d", "[components.D](d.md)"))
A_HTTP_LINK = model_page("A", row("ok"), row("x", "[components.X](https://example.com)"))
A_ABS_LINK = model_page("A", row("ok"), row("x", "[components.X](/abs/x.md)"))
A_EXTRA_CELL = model_page("A", row("ok"), "| `x` | *string* | :heavy_check_mark: | N/A | extra |")
A_MISSING_CELL = model_page("A", row("ok"), "| `x` | *string* | :heavy_check_mark: |")
A_BAD_TYPE = model_page("A", row("ok"), row("x", "*strng*"))
A_BAD_REQUIRED = model_page("A", row("ok"), row("x", required="yes"))
A_BAD_HEADER = model_page("A", "| `x` | *string* | :heavy_check_mark: | N/A |", header="| Field | Kind | Required | Description |")
B_AGAIN = "\n\n" + OK_B
NO_HEADING = "Just a paragraph.\n\n## Fields\n\n| Field | Type | Required | Description |\n| --- | --- | --- | --- |\n| `x` | *string* | :heavy_check_mark: | N/A |\n"
NO_SECTION = "# D\n\nA description.\n\n## Notes\n\nNothing to see.\n"
NOT_UTF8 = b"# E\n\nCaf\xe9 au lait.\n\n## Fields\n"

CASES = {
    "link to a missing page": (
        {"specs/a.md": A_MISSING_LINK},
        [("specs/a.md", line_of(A_MISSING_LINK, "`x`"), ["'specs/missing.md'", "no such page", "expected a model page"])],
    ),
    "link to a URL": (
        {"specs/a.md": A_HTTP_LINK},
        [("specs/a.md", line_of(A_HTTP_LINK, "`x`"), ["https://example.com", "not at a model page", "expected"])],
    ),
    "link to an absolute path": (
        {"specs/a.md": A_ABS_LINK},
        [("specs/a.md", line_of(A_ABS_LINK, "`x`"), ["/abs/x.md", "absolute path", "expected"])],
    ),
    "row with an extra cell": (
        {"specs/a.md": A_EXTRA_CELL},
        [("specs/a.md", line_of(A_EXTRA_CELL, "`x`"), ["row has 5 cells; expected 4"])],
    ),
    "row with a missing cell": (
        {"specs/a.md": A_MISSING_CELL},
        [("specs/a.md", line_of(A_MISSING_CELL, "`x`"), ["row has 3 cells; expected 4"])],
    ),
    "unknown type token": (
        {"specs/a.md": A_BAD_TYPE},
        [("specs/a.md", line_of(A_BAD_TYPE, "`x`"), ["unknown type 'strng'", "column Type", "expected *string*"])],
    ),
    "bad Required mark": (
        {"specs/a.md": A_BAD_REQUIRED},
        [("specs/a.md", line_of(A_BAD_REQUIRED, "`x`"), ["'yes' in column Required", "expected :heavy_check_mark: or :heavy_minus_sign:"])],
    ),
    "wrong header row": (
        {"specs/a.md": A_BAD_HEADER},
        [("specs/a.md", line_of(A_BAD_HEADER, "| Field | Kind"), ["Kind", "expected | Field | Type | Required | Description"])],
    ),
    "two pages define the same model": (
        {"specs/b.md": OK_B, "specs/b2.md": B_AGAIN},
        [("specs/b2.md", line_of(B_AGAIN, "# B"), ["model 'B' is already defined at specs/b.md:1", "expected one page per model"])],
    ),
    "page without a # Name heading": (
        {"specs/b.md": OK_B, "specs/c.md": NO_HEADING},
        [("specs/c.md", 1, ["no '# Name' heading", "expected"])],
    ),
    "link to a page with neither Fields nor Values": (
        {"specs/a.md": A_LINK_TO_D, "specs/d.md": NO_SECTION},
        [
            ("specs/a.md", line_of(A_LINK_TO_D, "`d`"), ["link to 'specs/d.md', which defines no model", "expected a page with '## Fields'"]),
            ("specs/d.md", 1, ["warning: ", "not a model page", "left out"]),
        ],
    ),
    "page that is not UTF-8": (
        {"specs/b.md": OK_B, "specs/e.md": NOT_UTF8},
        [("specs/e.md", 3, ["0xe9", "expected a UTF-8 text file"])],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_page(project, case):
    files, expected = CASES[case]
    cwd = project(files)
    result = run_cli(cwd, "generate")
    located, general = bad_input(result)
    assert general == []
    assert len(located) == len(expected), result.stderr
    for got, (path, line, fragments) in zip(located, expected):
        assert (got.path, got.line) == (path, line), result.stderr
        for fragment in fragments:
            assert fragment in got.message, result.stderr
    assert not (cwd / "generated").exists()
    assert result.stdout == ""


def test_unknown_root(project):
    cwd = project({"specs/a.md": model_page("A", row("x")), "specs/b.md": OK_B})
    result = run_cli(cwd, "generate", "--root", "Nope")
    located, general = bad_input(result)
    assert located == []
    assert general == ["docmodels: error: root model 'Nope' is not defined by any page; expected a model defined by a page, but none of the 2 names is close (`docmodels schema` lists them)"]
    assert not (cwd / "generated").exists()


def test_unknown_root_from_config(project):
    cwd = project({"specs/a.md": model_page("A", row("x"))}, PYPROJECT + 'roots = ["Nope"]\n')
    located, general = bad_input(run_cli(cwd, "generate"))
    assert located == [] and len(general) == 1 and "'Nope'" in general[0]
    assert not (cwd / "generated").exists()


def test_bad_tool_docmodels_values(project):
    pyproject = PYPROJECT + 'specs = ["specs"]\nwire_case = "kebab"\nbogus = 1\nnullable = "sometimes"\n'
    cwd = project({"specs/a.md": model_page("A", row("x"))}, pyproject)
    result = run_cli(cwd, "generate")
    located, general = bad_input(result)
    assert general == []
    assert [(r.path, r.line) for r in located] == [
        ("pyproject.toml", line_of(pyproject, "wire_case")),
        ("pyproject.toml", line_of(pyproject, "bogus")),
        ("pyproject.toml", line_of(pyproject, "nullable")),
    ], result.stderr
    wire_case, bogus, nullable = (r.message for r in located)
    assert "kebab" in wire_case and "expected one of: as-is, snake, camel" in wire_case
    assert "unknown key 'bogus'" in bogus and "expected one of:" in bogus
    assert "sometimes" in nullable and "expected one of: optional, none" in nullable
    assert not (cwd / "generated").exists()


def test_bad_targets_in_config(project):
    pyproject = PYPROJECT + 'targets = ["dataclasses", "pydantic"]\n'
    cwd = project({"specs/a.md": model_page("A", row("x"))}, pyproject)
    located, _ = bad_input(run_cli(cwd, "generate"))
    assert [(r.path, r.line) for r in located] == [("pyproject.toml", line_of(pyproject, "targets"))]
    assert "pydantic" in located[0].message and "expected" in located[0].message
    assert not (cwd / "generated").exists()


JOB = model_page("Job", row("autoStart", "*boolean*"), row("jobType"))


def test_overrides_for_unknown_model_and_field(project):
    overrides = page(
        """
        Job:
          autoStart:
            wire_name: auto
          nope:
            wire_name: x
        Ghost:
          anything:
            python_name: something
        """
    )
    cwd = project({"specs/job.md": JOB, "overrides.yaml": overrides}, PYPROJECT + 'overrides = "overrides.yaml"\n')
    result = run_cli(cwd, "generate")
    located, general = bad_input(result)
    assert general == []
    assert [(r.path, r.line) for r in located] == [
        ("overrides.yaml", line_of(overrides, "nope:")),
        ("overrides.yaml", line_of(overrides, "Ghost:")),
    ], result.stderr
    unknown_field, unknown_model = (r.message for r in located)
    assert "unknown field 'Job.nope'" in unknown_field and "expected one of: autoStart, jobType" in unknown_field
    assert "unknown model 'Ghost'" in unknown_model and "expected" in unknown_model
    assert not (cwd / "generated").exists()


def test_overrides_with_invalid_python_name(project):
    overrides = page(
        """
        Job:
          jobType:
            python_name: class
          autoStart:
            python_name: 2fast
        """
    )
    cwd = project({"specs/job.md": JOB, "ov/overrides.yaml": overrides})
    # --overrides on the command line: the path is shown as given, relative to the project.
    result = run_cli(cwd, "generate", "--overrides", "ov/overrides.yaml")
    located, general = bad_input(result)
    assert general == []
    assert [(r.path, r.line) for r in located] == [
        ("ov/overrides.yaml", line_of(overrides, "class")),
        ("ov/overrides.yaml", line_of(overrides, "2fast")),
    ], result.stderr
    assert all("is not a usable identifier" in r.message and "expected" in r.message for r in located)
    assert not (cwd / "generated").exists()


def test_overrides_that_are_not_yaml(project):
    overrides = "Job:\n  jobType:\n    wire_name: [unclosed\n"
    cwd = project({"specs/job.md": JOB, "overrides.yaml": overrides}, PYPROJECT + 'overrides = "overrides.yaml"\n')
    located, _ = bad_input(run_cli(cwd, "generate"))
    assert len(located) == 1 and located[0].path == "overrides.yaml"
    assert "invalid YAML" in located[0].message
    assert not (cwd / "generated").exists()


def test_several_problems_reported_at_once_sorted_by_file_and_line(project):
    # Problems on lines 8..14 of a.md (so that 10+ must sort after 9), and in two other pages.
    a = model_page(
        "A",
        row("ok"),
        row("missing", "[components.X](missing.md)"),
        row("typo", "*strng*"),
        row("mark", required="maybe"),
        row("url", "[components.Y](https://example.com)"),
        "| `extra` | *string* | :heavy_check_mark: | N/A | extra |",
        row("ref", "[components.C](c.md)"),
        row("also", "Record<string, *nope*>"),
    )
    c = model_page("C", "| `short` | *string* |")
    z = "no heading here\n"
    cwd = project({"specs/z.md": z, "specs/a.md": a, "specs/c.md": c})
    result = run_cli(cwd, "generate")
    located, general = bad_input(result)
    assert general == []
    expected = [
        ("specs/a.md", line_of(a, "`missing`"), "missing.md"),
        ("specs/a.md", line_of(a, "`typo`"), "strng"),
        ("specs/a.md", line_of(a, "`mark`"), "maybe"),
        ("specs/a.md", line_of(a, "`url`"), "https://example.com"),
        ("specs/a.md", line_of(a, "`extra`"), "row has 5 cells"),
        ("specs/a.md", line_of(a, "`also`"), "nope"),
        ("specs/c.md", line_of(c, "`short`"), "row has 2 cells"),
        ("specs/z.md", 1, "heading"),
    ]
    assert [line for _, line, _ in expected[:6]] == list(range(8, 13)) + [14]
    assert [(r.path, r.line) for r in located] == [(p, n) for p, n, _ in expected], result.stderr
    for got, (_, _, fragment) in zip(located, expected):
        assert fragment in got.message
    assert not (cwd / "generated").exists()


def test_config_overrides_and_page_problems_reported_together(project):
    # The README: "all problems of a run are reported at once". A bad wire_case or python_name
    # does not stop the pages from being read (the setting falls back to its default), so the
    # page problem and the unknown override model are part of the same run.
    pyproject = PYPROJECT + 'wire_case = "kebab"\noverrides = "overrides.yaml"\n'
    overrides = "Job:\n  jobType:\n    python_name: class\nGhost:\n  x:\n    wire_name: y\n"
    job = model_page("Job", row("jobType", "*strng*"))
    cwd = project({"specs/job.md": job, "overrides.yaml": overrides}, pyproject)
    result = run_cli(cwd, "generate")
    located, general = bad_input(result)
    assert general == []
    assert [(r.path, r.line) for r in located] == [
        ("overrides.yaml", line_of(overrides, "class")),
        ("overrides.yaml", line_of(overrides, "Ghost:")),
        ("pyproject.toml", line_of(pyproject, "wire_case")),
        ("specs/job.md", line_of(job, "`jobType`")),
    ], result.stderr
    assert not (cwd / "generated").exists()


def test_bad_input_leaves_an_existing_output_folder_as_it_was(project):
    cwd = project({"specs/a.md": model_page("A", row("x")), "specs/b.md": OK_B})
    first = run_cli(cwd, "generate")
    assert first.returncode == 0, first.stderr
    (cwd / "generated" / "notes.txt").write_text("mine\n", encoding="utf-8")
    before = snapshot(cwd / "generated")
    assert before and "models.py" in before
    # A change that would alter the output, plus a problem: nothing may be written or removed.
    write_files(cwd, {"specs/a.md": model_page("A", row("x"), row("y", "*number*"), row("z", "*strng*"))})
    (cwd / "specs" / "b.md").unlink()
    located, _ = bad_input(run_cli(cwd, "generate"))
    assert [(r.path, r.line) for r in located] == [("specs/a.md", 9)]
    assert snapshot(cwd / "generated") == before


def test_bad_config_leaves_an_existing_output_folder_as_it_was(project):
    cwd = project({"specs/a.md": model_page("A", row("x"))})
    assert run_cli(cwd, "generate").returncode == 0
    before = snapshot(cwd / "generated")
    write_files(cwd, {"pyproject.toml": PYPROJECT + 'wire_case = "SCREAMING"\n', "specs/a.md": model_page("A", row("x"), row("y"))})
    located, _ = bad_input(run_cli(cwd, "generate"))
    assert [r.path for r in located] == ["pyproject.toml"]
    assert snapshot(cwd / "generated") == before


# -- things that must work ------------------------------------------------------------------------

CYCLE_PAGES = {
    "specs/a.md": model_page("A", row("name"), row("b", "[components.B](b.md)", ":heavy_minus_sign:")),
    "specs/b.md": model_page("B", row("count", "*number*"), row("a", "[components.A](a.md)", ":heavy_minus_sign:")),
    "specs/node.md": model_page(
        "Node",
        row("label"),
        row("children", "[components.Node](node.md)[]", ":heavy_minus_sign:"),
        row("parent", "[components.Node](node.md)", ":heavy_minus_sign:"),
    ),
}

ROUND_TRIP = """
import json, sys
sys.path.insert(0, sys.argv[1])
from cyclepkg.models import A, B, Node

data = {"name": "outer", "b": {"count": 2, "a": {"name": "inner", "b": {"count": 3}}}}
a = A.from_dict(data)
assert isinstance(a.b, B) and isinstance(a.b.a, A) and isinstance(a.b.a.b, B), a
assert a.b.a.name == "inner" and a.b.a.b.count == 3
assert a.to_dict() == data, a.to_dict()

tree = {"label": "root", "children": [{"label": "leaf", "children": []}, {"label": "mid", "children": [{"label": "deep"}]}]}
node = Node.from_dict(tree)
assert [c.label for c in node.children] == ["leaf", "mid"]
assert isinstance(node.children[1].children[0], Node)
assert node.to_dict() == tree, node.to_dict()

built = Node(label="x", children=[Node(label="y", parent=Node(label="z"))])
assert Node.from_dict(json.loads(json.dumps(built.to_dict()))) == built
print("ok")
"""


def test_cycles_generate_import_and_round_trip(project):
    cwd = project(CYCLE_PAGES, PYPROJECT + 'roots = ["A", "Node"]\n')
    result = run_cli(cwd, "generate", "-o", "out/cyclepkg")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    out = cwd / "out" / "cyclepkg"
    assert {"__init__.py", "models.py", "_runtime.py", "typeddicts.py"} <= {p.name for p in out.iterdir()}
    assert {p.name for p in (out / "jsonschema").iterdir()} == {"A.json", "B.json", "Node.json"}
    imported = subprocess.run(
        [sys.executable, "-c", ROUND_TRIP, str(cwd / "out")], capture_output=True, text=True, timeout=60, cwd=cwd
    )
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == "ok"


LINE_ENDING_PAGES = {
    "specs/a.md": page(
        """
        # A

        A model with a description<br/>on two lines.

        ## Fields

        | Field | Type | Required | Description | Example |
        | --- | --- | --- | --- | --- |
        | `name` | *string* | :heavy_check_mark: | N/A | hello |
        | `b` | [components.B](b.md) | :heavy_minus_sign: | Link. | |
        | `count` | *number* | :heavy_minus_sign: | N/A | 42 |
        """
    ),
    "specs/b.md": page(
        """
        # B

        ## Values

        | Name | Value |
        | --- | --- |
        | `One` | one |
        | `Two` | two-2 |
        """
    ),
}


def test_crlf_and_bom_pages_parse_like_plain_pages(tmp_path):
    variants = {
        "plain": lambda text: text.encode("utf-8"),
        "crlf": lambda text: text.replace("\n", "\r\n").encode("utf-8"),
        "bom": lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
        "bom+crlf": lambda text: b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"),
    }
    outputs = {}
    for name, encode in variants.items():
        cwd = tmp_path / name
        write_files(cwd, {"pyproject.toml": PYPROJECT, **{p: encode(t) for p, t in LINE_ENDING_PAGES.items()}})
        result = run_cli(cwd, "schema", "--format", "json")
        assert result.returncode == 0, (name, result.stderr)
        outputs[name] = result.stdout
    schema = json.loads(outputs["plain"])
    assert [d["name"] for d in schema["definitions"]] == ["A", "B"]
    a = schema["definitions"][0]
    assert a["description"] == "A model with a description\non two lines."
    assert [f["loc"] for f in a["fields"]] == ["specs/a.md:9", "specs/a.md:10", "specs/a.md:11"]
    assert a["fields"][2]["examples"] == [42]
    for name in ("crlf", "bom", "bom+crlf"):
        assert outputs[name] == outputs["plain"], name


# -- check and schema -----------------------------------------------------------------------------


@pytest.fixture
def seed_project(tmp_path: Path) -> Path:
    """A copy of the real pages with the project's own settings."""
    shutil.copytree(REAL_SPECS, tmp_path / "specs")
    write_files(tmp_path, {"pyproject.toml": PYPROJECT + 'roots = ["DetailedJobOut"]\nwire_case = "snake"\nnullable = "optional"\n'})
    return tmp_path


def test_check_reports_stale_and_missing_files(seed_project):
    cwd = seed_project
    generated = run_cli(cwd, "generate")
    assert generated.returncode == 0, generated.stderr
    assert "10 definitions" in generated.stdout

    fresh = run_cli(cwd, "check")
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr
    assert "up to date" in fresh.stdout

    models = cwd / "generated" / "models.py"
    edited = models.read_text(encoding="utf-8").replace("    auto_start: bool\n", "    auto_start: int\n")
    assert edited != models.read_text(encoding="utf-8")
    models.write_text(edited, encoding="utf-8")
    stale = run_cli(cwd, "check")
    assert stale.returncode == 1, stale.stdout + stale.stderr
    assert "--- a/generated/models.py" in stale.stdout and "+++ b/generated/models.py" in stale.stdout
    assert "\n-    auto_start: int\n" in stale.stdout
    assert "\n+    auto_start: bool\n" in stale.stdout
    assert "edited by hand: generated/models.py" in stale.stdout.splitlines()
    assert "missing:" not in stale.stdout
    assert models.read_text(encoding="utf-8") == edited, "check must not write"

    (cwd / "generated" / "typeddicts.py").unlink()
    missing = run_cli(cwd, "check")
    assert missing.returncode == 1
    lines = missing.stdout.splitlines()
    assert "edited by hand: generated/models.py" in lines
    assert "missing: generated/typeddicts.py" in lines
    assert not (cwd / "generated" / "typeddicts.py").exists()

    regenerated = run_cli(cwd, "generate")
    assert regenerated.returncode == 0, regenerated.stderr
    again = run_cli(cwd, "check")
    assert again.returncode == 0, again.stdout
    assert "stale:" not in again.stdout and "missing:" not in again.stdout


def test_generate_keeps_a_manifest_and_touches_only_its_own_files(seed_project):
    cwd = seed_project
    out = cwd / "generated"
    assert run_cli(cwd, "generate").returncode == 0
    manifest = json.loads((out / ".docmodels-manifest.json").read_text(encoding="utf-8"))
    assert "models.py" in manifest["files"] and "jsonschema/EventOut.json" in manifest["files"]

    # A spec change makes the output stale (not "edited by hand").
    page = cwd / "specs" / "models" / "components" / "eventout.md"
    page.write_text(page.read_text(encoding="utf-8").replace("*string*", "*boolean*", 1), encoding="utf-8")
    stale = run_cli(cwd, "check")
    assert stale.returncode == 1 and "stale: generated/models.py" in stale.stdout.splitlines()
    assert run_cli(cwd, "generate").returncode == 0

    # A model that no longer exists: its file is removed; a hand-written file beside it is kept.
    (out / "jsonschema" / "Old.json").write_text('{"mine": true}\n', encoding="utf-8")
    (out / "notes.py").write_text("# mine\n", encoding="utf-8")
    metricout = cwd / "specs" / "models" / "components" / "metricout.md"
    checkpoint = cwd / "specs" / "models" / "components" / "checkpointout.md"
    checkpoint.write_text(checkpoint.read_text(encoding="utf-8").replace("[components.MetricOut](../../models/components/metricout.md)", "*any*"), encoding="utf-8")
    extra = run_cli(cwd, "check", "--root", "DetailedJobOut")
    assert extra.returncode == 1 and "extra: generated/jsonschema/MetricOut.json" in extra.stdout.splitlines()
    assert run_cli(cwd, "generate", "--root", "DetailedJobOut").returncode == 0
    assert not (out / "jsonschema" / "MetricOut.json").exists()
    assert (out / "jsonschema" / "Old.json").exists() and (out / "notes.py").exists()
    assert metricout.exists()

    # A file docmodels did not write, in the way: an error and nothing written, unless --force.
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (out / "jsonschema" / "MetricOut.json").write_text('{"mine": true}\n', encoding="utf-8")
    checkpoint.write_text(checkpoint.read_text(encoding="utf-8").replace("*any*", "[components.MetricOut](../../models/components/metricout.md)"), encoding="utf-8")
    refused = run_cli(cwd, "generate", "--root", "DetailedJobOut")
    assert refused.returncode == 2, refused.stdout
    assert "generated/jsonschema/MetricOut.json:1: error: this file was not written by docmodels" in refused.stderr
    assert (out / "jsonschema" / "MetricOut.json").read_text(encoding="utf-8") == '{"mine": true}\n'
    assert all(p.read_bytes() == data for p, data in before.items())
    forced = run_cli(cwd, "generate", "--root", "DetailedJobOut", "--force")
    assert forced.returncode == 0, forced.stderr
    assert run_cli(cwd, "check", "--root", "DetailedJobOut").returncode == 0


def test_a_corrupt_or_foreign_cache_is_ignored(seed_project):
    cwd = seed_project
    assert run_cli(cwd, "generate").returncode == 0
    parts = cwd / ".docmodels-cache" / "parts.tsv"
    header, *entries = parts.read_text(encoding="utf-8").splitlines()
    keys = [line.split("\t")[:2] for line in entries]  # the real keys, with data that is not what docmodels writes
    corrupt_entries = [
        "\n".join([header, *(f"{kind}\t{key}\t{data}" for kind, key in keys)])
        for data in ("not json", "[1]", "1", '[{"n": "Nope", "f": []}, []]', '[{"d": [["k", {"n": "Primitive", "f": ["string"]}]]}, []]', '[[], []]', '{"a": 1}')
    ]
    for cache_file in [*(cwd / ".docmodels-cache" / "runs").glob("*.json"), parts]:
        assert cache_file.exists()
        for junk in ("not json", '{"format": 1, "runs": {"x": 1}, "blocks": {"a": 2}}', '{"format": 3, "pages": {"k": [1]}, "blocks": {"a": 2}, "files": 1}', "[]", *corrupt_entries):
            cache_file.write_text(junk, encoding="utf-8")
            (cwd / "generated" / "models.py").unlink()
            (cwd / "specs" / "models" / "components" / "metricout.md").touch()  # same content: the run may come from the cache
            result = run_cli(cwd, "generate")
            assert result.returncode == 0, result.stderr
            assert run_cli(cwd, "check", "--no-cache").returncode == 0
    legacy = cwd / ".docmodels-cache" / "parts.json"  # an earlier format's file is removed, not left to rot
    legacy.write_text('{"format": 4}', encoding="utf-8")
    (cwd / "generated" / "models.py").unlink()
    assert run_cli(cwd, "generate").returncode == 0 and not legacy.exists()


def test_cached_run_sees_a_changed_page(seed_project):
    cwd = seed_project
    assert run_cli(cwd, "generate").returncode == 0
    assert run_cli(cwd, "check").returncode == 0  # from the cache
    page = cwd / "specs" / "models" / "components" / "metricout.md"
    page.write_text(page.read_text(encoding="utf-8").replace("`trainLoss`", "`trainLossX`"), encoding="utf-8")
    stale = run_cli(cwd, "check")
    assert stale.returncode == 1 and "train_loss_x" in stale.stdout


def test_a_trusted_output_file_edited_by_hand_is_still_seen(seed_project):
    """A no-change check hashes every output file (size and mtime vouch for nothing): an edit of
    a settled file is seen."""
    cwd = seed_project
    assert run_cli(cwd, "generate").returncode == 0
    out = cwd / "generated"
    an_hour_ago = time.time() - 3600
    for path in out.rglob("*"):
        os.utime(path, (an_hour_ago, an_hour_ago))  # settled: size and mtime may vouch for them
    assert run_cli(cwd, "check").returncode == 0  # reads and hashes every file
    runs = list((cwd / ".docmodels-cache" / "runs").glob("*.json"))
    assert len(runs) == 1
    assert run_cli(cwd, "check").returncode == 0
    models = out / "models.py"
    text = models.read_text(encoding="utf-8")
    models.write_text(text.replace("class DetailedJobOut(rt.Model):", "class DetailedJobOuT(rt.Model):"), encoding="utf-8")
    edited = run_cli(cwd, "check")
    assert edited.returncode == 1 and "edited by hand: generated/models.py" in edited.stdout, edited.stdout[-2000:]
    assert "+class DetailedJobOut(rt.Model):" in edited.stdout
    assert run_cli(cwd, "generate").returncode == 0
    assert models.read_text(encoding="utf-8") == text


def test_a_page_saved_during_a_run_is_seen_by_the_next(seed_project, monkeypatch):
    """The cache records each page as the run read it: a page saved after it was read, while the
    run was still going, makes the next run see a change (the output was made from the old text)."""
    from docmodels import resolve

    page = seed_project / "specs" / "models" / "components" / "metricout.md"
    read = resolve._Loader._read

    def read_then_save(self, name, linked_from=None):
        result = read(self, name, linked_from)
        if name.endswith("metricout.md"):
            page.write_text(page.read_text(encoding="utf-8").replace("`trainLoss`", "`trainLossX`"), encoding="utf-8")
        return result

    monkeypatch.setattr(resolve._Loader, "_read", read_then_save)
    docmodels.generate(seed_project)
    monkeypatch.undo()
    generated = (seed_project / "generated" / "models.py").read_text(encoding="utf-8")
    assert "train_loss:" in generated and "train_loss_x" not in generated  # from the text it read
    stale = docmodels.check(seed_project)
    assert stale.changes.stale and "train_loss_x" in stale.diff


LOADED_MODULES = """
import sys
from docmodels.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
heavy = {"black", "jinja2", "markdown_it", "yaml", "multiprocessing"}
print("loaded:", *sorted({m.split(".")[0] for m in sys.modules} & heavy))
"""


def test_help_and_a_run_from_the_cache_import_nothing_heavy(seed_project):
    """`docmodels --help` and a run answered from the cache (what pre-commit runs on every commit)
    never import black, Jinja, markdown-it-py, PyYAML or multiprocessing."""

    def heavy_modules(*args: str) -> str:
        result = subprocess.run([sys.executable, "-c", LOADED_MODULES, *args], cwd=seed_project, capture_output=True, text=True, timeout=120)
        return result.stdout.splitlines()[-1].removeprefix("loaded:").strip()

    assert heavy_modules("--help") == ""
    assert run_cli(seed_project, "generate").returncode == 0
    assert heavy_modules("check") == ""
    assert heavy_modules("generate") == ""
    (seed_project / "specs" / "models" / "components" / "metricout.md").write_text(model_page("MetricOut", row("x")), encoding="utf-8")
    assert heavy_modules("check") == "jinja2 markdown_it"  # not from the cache: parsed and rendered


def test_check_on_the_committed_output_is_clean():
    result = run_cli(ROOT, "check")
    assert result.returncode == 0, result.stdout + result.stderr


SEED_NAMES = [
    "CheckpointOut",
    "DetailedJobOut",
    "DetailedJobOutStatus",
    "EventOut",
    "FineTuneableModel",
    "GithubRepositoryOut",
    "JobMetadataOut",
    "MetricOut",
    "TrainingParameters",
    "WandbIntegrationOut",
]


def test_schema_prints_yaml_and_json(seed_project):
    as_yaml = run_cli(seed_project, "schema")
    assert as_yaml.returncode == 0, as_yaml.stderr
    data = yaml.safe_load(as_yaml.stdout)
    assert [d["name"] for d in data["definitions"]] == SEED_NAMES
    assert "name: DetailedJobOut" in as_yaml.stdout

    as_json = run_cli(seed_project, "schema", "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout) == data
    job = next(d for d in data["definitions"] if d["name"] == "DetailedJobOut")
    assert job["kind"] == "model"
    auto_start = next(f for f in job["fields"] if f["doc_name"] == "autoStart")
    assert auto_start["wire_name"] == "auto_start"
    assert not (seed_project / "generated").exists(), "schema must not write"


def test_python_api(seed_project):
    import docmodels

    result = docmodels.generate(seed_project)
    assert "models.py" in result.changes.to_write and not result.changes.extra
    assert not docmodels.check(seed_project).changes
    elsewhere = docmodels.check(seed_project, out="other", targets=["jsonschema"])
    assert "jsonschema/EventOut.json" in elsewhere.changes.missing and "models.py" not in elsewhere.files
    (seed_project / "specs" / "models" / "components" / "eventout.md").write_text("# EventOut\n\n## Notes\n", encoding="utf-8")
    with pytest.raises(docmodels.InputError) as raised:
        docmodels.check(seed_project)
    assert [str(p) for p in raised.value.problems if not p.warning] == [
        "specs/models/components/detailedjobout.md:25: error: link to 'specs/models/components/eventout.md', which defines no model; expected a page with '## Fields', '## Values' or '## Supported Types'"
    ]


def test_runs_on_one_output_folder_take_turns(seed_project):
    """A second run waits while another holds the output folder's lock."""
    import fcntl
    import os
    import time

    out = seed_project / "generated"
    out.mkdir()
    fd = os.open(out, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        waiting = subprocess.Popen([sys.executable, "-m", "docmodels", "generate"], cwd=seed_project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1.5)
        assert waiting.poll() is None, "generate ran while the folder was locked"
        assert not (out / "models.py").exists()
    finally:
        os.close(fd)
    stdout, stderr = waiting.communicate(timeout=30)
    assert waiting.returncode == 0, stderr
    assert (out / "models.py").exists()


def test_custom_templates_replace_built_ins_by_name(seed_project):
    templates = seed_project / "my-templates"
    (templates / "package").mkdir(parents=True)
    (templates / "package" / "__init__.py.jinja").write_text(
        # Not black's style: the output must be anyway.
        '{% import "_macros.jinja" as m %}\n{{ m.header(sources) }}\n"""Our models: {{ sources | length }} pages."""\n\nCUSTOM  =  True\nNAME = \'x\'\n',
        encoding="utf-8",
    )
    result = run_cli(seed_project, "generate", "--templates", str(templates))
    assert result.returncode == 0, result.stderr
    init = (seed_project / "generated" / "__init__.py").read_text(encoding="utf-8")
    assert '"""Our models: 10 pages."""' in init and "CUSTOM = True\nNAME = \"x\"\n" in init
    assert "class DetailedJobOut" in (seed_project / "generated" / "models.py").read_text(encoding="utf-8")  # built-in
    # A changed template is a changed input: the cache does not hide it.
    (templates / "package" / "__init__.py.jinja").write_text('"""Changed."""\n', encoding="utf-8")
    stale = run_cli(seed_project, "check", "--templates", str(templates))
    assert stale.returncode == 1 and "stale: generated/__init__.py" in stale.stdout.splitlines()


def test_an_interrupted_run_leaves_each_file_old_or_new(seed_project, monkeypatch):
    """Kill generate (here: an exception) in the middle of writing: every file is either what it
    was or what it should be, no temporary file is left, and the next run completes the job."""
    import os

    import docmodels
    from docmodels import output

    docmodels.generate(seed_project, use_cache=False)
    out = seed_project / "generated"
    old = {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.rglob("*") if p.is_file()}
    page = seed_project / "specs" / "models" / "components" / "metricout.md"
    page.write_text(page.read_text(encoding="utf-8").replace("N/A", "Changed.").replace("`trainLoss`", "`trainLossNew`"), encoding="utf-8")

    real_replace, replaced = os.replace, []

    def replace_then_die(src, dst, **dir_fds):
        if len(replaced) == 3:  # the manifest with the pending files, then two files
            raise KeyboardInterrupt  # as if the process were stopped here
        real_replace(src, dst, **dir_fds)
        replaced.append(dst)

    monkeypatch.setattr(output.os, "replace", replace_then_die)
    with pytest.raises(KeyboardInterrupt):
        docmodels.generate(seed_project, use_cache=False)
    monkeypatch.setattr(output.os, "replace", real_replace)

    new = docmodels.check(seed_project, use_cache=False).files
    assert not [p for p in out.rglob("*.tmp")]
    for path, text in new.items():
        current = (out / path).read_text(encoding="utf-8")
        if path == ".docmodels-manifest.json":  # the old files, and the ones being written as pending
            assert json.loads(current)["files"] == json.loads(old[path])["files"] and json.loads(current)["pending"]
            continue
        assert current in (old.get(path), text), path
    assert sum((out / p).read_text(encoding="utf-8") == t and old.get(p) != t for p, t in new.items()) == 2
    docmodels.generate(seed_project, use_cache=False)
    assert not docmodels.check(seed_project, use_cache=False).changes
