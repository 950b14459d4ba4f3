"""How docmodels reports problems, as a user meets them: `file:line: error: ...` and `warning:`
lines, warnings of one kind in one line (-v lists them all, -q none), the count line, JSON and
GitHub Actions output, an unknown root's closest names, a stale check's diff cut per file, the
version, and Ctrl-C in watch.

Most cases run `generator.cli.main([...])` in-process in a small project (the working folder is the
project, as for the command); two need a process of their own."""

from __future__ import annotations

import gc
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

try:  # the import package is `docmodels` (its source folder is generator/), once installed so
    import docmodels as generator
except ImportError:  # pragma: no cover - an install from before the rename
    import generator  # type: ignore[no-redef]
from pages import line_of, model_page, page, row, write_files

PACKAGE = generator.__name__
cli = importlib.import_module(f"{PACKAGE}.cli")
Problem = importlib.import_module(f"{PACKAGE}.errors").Problem
github_line = importlib.import_module(f"{PACKAGE}.errors").github_line
json_line = importlib.import_module(f"{PACKAGE}.errors").json_line
SourceLoc = importlib.import_module(f"{PACKAGE}.ir").SourceLoc
KEYS = importlib.import_module(f"{PACKAGE}.config").KEYS

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = "[project]\nname = 'tmp'\n\n[tool.docmodels]\n"
REDIRECTS = 5
# A links into `specs/shared/`, which does not exist: each link is read from `components/`, a
# warning of kind missing-link-redirect each.
A = model_page("A", *(row(f"x{i}", f"[components.X{i}](../shared/x{i}.md)") for i in range(1, REDIRECTS + 1)))
# B's Example Usage cannot be read: a warning of kind example-unreadable, on a page no link from A reaches.
B = page(
    """
    # B

    ## Example Usage

    ```typescript
    import { B } from "sdk/models/components";

    let value: B = {
      name: "caf\\u00e",
    };
    ```

    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `name` | *string* | :heavy_check_mark: | N/A |
    """
)
BAD = model_page("Bad", row("ok"), row("n", "*nunber*"))
TYPES = 'expected *string*, *number*, *boolean*, *any*, [Date](...), a literal such as *"text"*, a link to a model page, *components.X*, T[], A | B or Record<string, T>'


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A project folder, made the working folder; `make(files)` writes pages into it."""
    monkeypatch.chdir(tmp_path)

    def make(files: dict[str, str]) -> Path:
        write_files(tmp_path, {"pyproject.toml": PYPROJECT, **files})
        return tmp_path

    yield make
    gc.enable()  # the command turns the cycle collector off for its one run


def warned_project(make) -> Path:
    pages = {f"specs/components/x{i}.md": model_page(f"X{i}", row("id")) for i in range(1, REDIRECTS + 1)}
    return make({"specs/components/a.md": A, "specs/other/b.md": B, **pages})


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], list[str]]:
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err.splitlines()


def redirect_line(i: int) -> str:
    return f"specs/components/a.md:{line_of(A, f'`x{i}`')}"


# -- 1. every problem line says error: or warning: ------------------------------------------------


def test_every_problem_line_says_error_or_warning(project, capsys):
    project({"specs/bad.md": BAD, "specs/other/b.md": B})
    code, out, err = run(capsys, "generate", "--no-cache")
    assert code == 2 and out == []
    assert err == [
        f"specs/bad.md:{line_of(BAD, 'nunber')}: error: unknown type 'nunber' in column Type ('*nunber*'); {TYPES}",
        f"specs/other/b.md:{line_of(B, 'caf')}: warning: Example Usage not read: malformed escape '\\u'; expected four hex digits, as in \\u00e9; the page is read without it",
        "docmodels: 1 error, 1 warning; nothing was written",
    ]
    assert not (project({}) / "generated").exists()


def test_a_problem_with_no_place_says_docmodels_error(project, capsys):
    project({"specs/a.md": model_page("A", row("x"))})
    code, _, err = run(capsys, "check", "--root", "Nope")
    assert code == 2
    assert err[0].startswith("docmodels: error: root model 'Nope' is not defined by any page; ")


# -- 2. warnings of one kind collapse; -v lists them, -q drops them --------------------------------


def test_warnings_of_one_kind_are_one_line_with_a_count_and_the_first_places(project, capsys):
    warned_project(project)
    code, out, err = run(capsys, "generate", "--no-cache")
    assert code == 0
    first = f"{redirect_line(1)}: warning: link to 'specs/shared/x1.md', which does not exist; read 'specs/components/x1.md', the one page of that name in the spec folders"
    places = ", ".join(redirect_line(i) for i in (2, 3, 4))
    assert err == [
        f"{first}; and {REDIRECTS - 1} more like it (first: {places}; -v lists them all)",
        f"specs/other/b.md:{line_of(B, 'caf')}: warning: Example Usage not read: malformed escape '\\u'; expected four hex digits, as in \\u00e9; the page is read without it",
    ]
    assert out[-1].startswith("docmodels: 7 definitions (7 models) from 7 pages; generated: ") and out[-1].endswith(" unchanged; 6 warnings")


def test_a_folded_line_names_each_place_once():
    """Several examples in one row are several warnings at one place: the place is named once."""
    report = importlib.import_module(f"{PACKAGE}.errors").report
    warnings = [Problem(SourceLoc(path, line), "example does not fit", warning=True, kind="field-example-misfit") for path, line in [("a.md", 3), ("a.md", 3), ("a.md", 4), ("a.md", 4), ("b.md", 1), ("c.md", 2)]]
    assert report(warnings) == ["a.md:3: warning: example does not fit; and 5 more like it (first: a.md:4, b.md:1, c.md:2; -v lists them all)"]
    assert report(warnings[:3]) == [str(w) for w in warnings[:3]]  # three of a kind: each its own line


def test_verbose_lists_every_warning_and_quiet_none(project, capsys):
    warned_project(project)
    code, _, err = run(capsys, "check", "-v", "--no-cache")
    assert code == 1
    assert [line.split(": warning: ")[0] for line in err] == [*(redirect_line(i) for i in range(1, REDIRECTS + 1)), f"specs/other/b.md:{line_of(B, 'caf')}"]
    code, out, err = run(capsys, "check", "-q", "--no-cache")
    assert code == 1 and err == []
    assert out == ["docmodels: generated is out of date; 6 warnings; run `docmodels generate`"]  # -q: no diff, no file list


def test_real_warning_storm_fits_on_a_screen(tmp_path, monkeypatch, capsys):
    """ruby-moov: 676 warnings, most of them links into a models/shared/ folder that does not exist."""
    corpus = ROOT.parent / "shared" / "corpus" / "ruby-moov"
    if not corpus.is_dir():
        pytest.skip("../shared/corpus is not here")
    monkeypatch.chdir(tmp_path)
    try:
        code, _, err = run(capsys, "schema", str(corpus), "--format", "json")
    finally:
        gc.enable()
    assert code == 0
    assert 1 <= len(err) <= 10, err
    assert any(": warning: link to '" in line and " more like it (first: " in line for line in err), err


# -- 3. warnings only about what the run keeps -----------------------------------------------------


def test_warnings_are_only_about_definitions_the_run_keeps(project, capsys):
    warned_project(project)
    code, out, err = run(capsys, "generate", "--root", "X1", "--no-cache")
    assert code == 0 and err == [], err  # A's and B's pages are not in the schema
    assert out[-1].endswith(" unchanged")
    code, _, err = run(capsys, "schema", "--root", "A", "-v")
    assert code == 0
    assert [line.split(": warning: ")[0] for line in err] == [redirect_line(i) for i in range(1, REDIRECTS + 1)]  # not B's


# -- 4. the count line ---------------------------------------------------------------------------


@pytest.mark.parametrize(("command", "last"), [("generate", "docmodels: 1 error, 1 warning; nothing was written"), ("check", "docmodels: 1 error, 1 warning"), ("schema", "docmodels: 1 error, 1 warning")])
def test_the_count_line_counts_errors_and_warnings_apart(project, capsys, command, last):
    project({"specs/bad.md": BAD, "specs/other/b.md": B})
    code, out, err = run(capsys, command)
    assert code == 2 and out == [] and err[-1] == last


# -- 5. JSON and GitHub Actions ------------------------------------------------------------------


def test_diagnostics_json_is_one_object_per_problem(project, capsys):
    warned_project(project)
    write_files(Path.cwd(), {"specs/bad.md": BAD})
    code, out, err = run(capsys, "generate", "--diagnostics", "json", "--no-cache")
    assert code == 2
    objects = [json.loads(line) for line in err]  # stderr holds only JSON
    assert len(objects) == 1 + REDIRECTS + 1  # every warning, none collapsed
    assert objects[0] == {
        "file": "specs/bad.md",
        "line": line_of(BAD, "nunber"),
        "severity": "error",
        "kind": None,
        "message": "unknown type 'nunber' in column Type ('*nunber*')",
        "hint": TYPES,
    }
    redirect = objects[1]
    assert (redirect["severity"], redirect["kind"], redirect["line"]) == ("warning", "missing-link-redirect", line_of(A, "`x1`"))
    assert redirect["hint"] is None  # no `; expected ...` in it
    unreadable = objects[-1]
    assert unreadable["kind"] == "example-unreadable" and unreadable["hint"] is None  # more after `; expected ...`: not split
    assert out == ["docmodels: 1 error, 6 warnings; nothing was written"]


def test_diagnostics_json_without_a_place_and_quiet(project, capsys):
    warned_project(project)
    code, out, err = run(capsys, "check", "--root", "Nope", "--diagnostics", "json", "-q")
    assert code == 2
    assert [json.loads(line) for line in err] == [
        {
            "file": None,
            "line": None,
            "severity": "error",
            "kind": None,
            "message": "root model 'Nope' is not defined by any page",
            "hint": "expected a model defined by a page, but none of the 7 names is close (`docmodels schema` lists them)",
        }
    ]
    assert out == ["docmodels: 1 error, 0 warnings"]


def test_diagnostics_github_are_annotations(project, capsys):
    warned_project(project)
    write_files(Path.cwd(), {"specs/bad.md": BAD})
    code, _, err = run(capsys, "generate", "--diagnostics", "github")
    assert code == 2
    assert err[0] == (
        f"::error file=specs/bad.md,line={line_of(BAD, 'nunber')},title=docmodels::unknown type 'nunber' in column Type ('*nunber*'); {TYPES}"
    )
    assert err[1].startswith(f"::warning file=specs/components/a.md,line={line_of(A, '`x1`')},title=docmodels missing-link-redirect::link to 'specs/shared/x1.md'")
    assert err[1].endswith(f"; and {REDIRECTS - 1} more like it (first: {', '.join(redirect_line(i) for i in (2, 3, 4))}; -v lists them all)")
    assert err[2].startswith("::warning file=specs/other/b.md,") and len(err) == 4
    assert err[-1] == "docmodels: 1 error, 6 warnings; nothing was written"


def test_github_escapes_as_github_documents():
    problem = Problem(SourceLoc("specs/a,b: c%.md", 3), "100% wrong\r\nhere, really: yes", warning=True, kind="name-clash")
    assert github_line(problem) == "::warning file=specs/a%2Cb%3A c%25.md,line=3,title=docmodels name-clash::100%25 wrong%0D%0Ahere, really: yes"
    assert github_line(Problem(SourceLoc("", 0), "bad")) == "::error title=docmodels::bad"
    assert json.loads(json_line(problem))["message"] == "100% wrong\r\nhere, really: yes"


# -- 6. an unknown root: the closest names ----------------------------------------------------------


def test_an_unknown_root_gives_the_closest_names(project, capsys):
    names = ["ChatCompletionResponse", "ChatCompletionRequest", "EmbeddingResponse", "Model"]
    project({f"specs/{n.lower()}.md": model_page(n, row("id")) for n in names})
    _, _, err = run(capsys, "check", "--root", "chatcompletionresponse")
    assert err[0] == "docmodels: error: root model 'chatcompletionresponse' is not defined by any page; expected a model defined by a page: did you mean ChatCompletionResponse?"
    _, _, err = run(capsys, "check", "--root", "ChatCompletionRespons")
    assert err[0].endswith("did you mean ChatCompletionResponse or ChatCompletionRequest?")
    assert "EmbeddingResponse" not in err[0] and "Model" not in err[0]


# -- 7. the Python API refuses unknown keywords ----------------------------------------------------


@pytest.mark.parametrize("call", [generator.generate, generator.check])
def test_the_api_rejects_unknown_keywords(project, call):
    base = project({"specs/a.md": model_page("A", row("x"))})
    with pytest.raises(generator.InputError) as raised:
        call(base, wirecase="snake")
    assert [str(p) for p in raised.value.problems] == [
        "docmodels: error: unknown setting 'wirecase'; expected one of: " + ", ".join(KEYS)
    ]
    assert not (base / "generated").exists()


# -- 8. a stale check: each file's diff cut, the file list, the summary last -------------------------


def test_a_stale_check_cuts_each_files_diff_and_ends_with_the_summary(project, capsys):
    warned_project(project)
    code, out, _ = run(capsys, "check", "--no-cache")
    assert code == 1
    assert out[-1] == "docmodels: generated is out of date; 6 warnings; run `docmodels generate`"
    listed = [line for line in out if line.startswith("missing: ")]
    assert listed and out[-1 - len(listed) : -1] == listed  # the files after the diff
    diff = out[: -1 - len(listed)]
    assert diff[0] == "--- a/generated/.docmodels-manifest.json"
    per_file: dict[str, list[str]] = {}
    for i, line in enumerate(diff):
        if line.startswith("--- ") and diff[i + 1].startswith("+++ "):
            current = per_file.setdefault(diff[i + 1][6:], [])
        current.append(line)
    assert "generated/_runtime.py" in per_file and all(len(lines) <= 2 + cli.DIFF_LINES + 1 for lines in per_file.values())
    runtime = per_file["generated/_runtime.py"]
    length = len((ROOT / "generated" / "_runtime.py").read_text(encoding="utf-8").splitlines())
    assert runtime[-1].startswith("... ") and runtime[-1].endswith(" more lines of diff in generated/_runtime.py (-v shows them all)")
    assert int(runtime[-1].split()[1].replace(",", "")) > length // 2
    _, verbose, _ = run(capsys, "check", "-v", "--no-cache")
    assert len(verbose) > len(out) and not any(line.startswith("... ") and "more lines of diff" in line for line in verbose)


# -- 9. --version ----------------------------------------------------------------------------------


def test_version_without_importing_the_pipeline():
    script = f"import sys; from {PACKAGE}.cli import main; code = main(['--version']); print(sorted(m for m in sys.modules if m.startswith('{PACKAGE}')), code)"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"docmodels {generator.__version__}", f"['{PACKAGE}', '{PACKAGE}.cli'] 0"]
    assert generator.__version__ == "0.1.0"
    shown = subprocess.run([sys.executable, "-m", PACKAGE, "--version"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert (shown.returncode, shown.stdout, shown.stderr) == (0, "docmodels 0.1.0\n", "")


# -- 10. Ctrl-C in watch ---------------------------------------------------------------------------


def test_ctrl_c_during_a_watch_run_ends_it_with_130(project, capsys, monkeypatch):
    """Whatever watch is doing (here: its first generation), Ctrl-C is not swallowed as a failed run."""
    pytest.importorskip("watchfiles")
    api = importlib.import_module(f"{PACKAGE}.api")

    project({"specs/a.md": model_page("A", row("x"))})

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(api, "generate", interrupted)
    code, out, err = run(capsys, "watch")
    assert code == 130
    assert err == ["docmodels: interrupted; run docmodels watch again"]
    assert not any("still watching" in line for line in out + err)
