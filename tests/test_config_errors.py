"""Bad configuration is an error, never a silent default: `[tool.docmodels]`, the overrides file,
command-line values and API keywords.

Each case runs the real command (or the API) in a temporary project that was generated once with
good settings, and expects exit code 2, the one problem line (`file:line: ...`, or `docmodels: ...`
for a value not from a file) and the count line, and the project byte for byte as it was: nothing
written, nothing deleted. Runs get a timeout of a few seconds, so a stall (an alias bomb, a FIFO
opened for reading) fails the test instead of hanging it; nothing is timed.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

import docmodels
from docmodels.overrides import TYPE_GRAMMAR
from pages import line_of, model_page, page, row, run_cli, snapshot, write_files

PYPROJECT = "[project]\nname = 'tmp'\n\n[tool.docmodels]\n"
KEY_LINE = 5  # the first line of [tool.docmodels] in PYPROJECT + "key = value"
TIMEOUT = 5  # seconds; a good run takes well under one
SHAPE = "Model: {field: {wire_name: ..., python_name: ..., nullable: ..., required: ..., type: ...}}"
ALIASES = "expected plain YAML: overrides files use no anchors or aliases"
JOB = model_page("Job", row("autoStart", "*boolean*"), row("jobType"))


@pytest.fixture
def generated(tmp_path: Path) -> Path:
    """A project with one page, generated with good settings: a bad run must leave its output
    (and everything else) as it is."""
    write_files(tmp_path, {"pyproject.toml": PYPROJECT, "specs/job.md": JOB})
    first = run_cli(tmp_path, "generate")
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "generated" / "models.py").is_file()
    return tmp_path


def refused(cwd: Path, *args: str) -> str:
    """Run `docmodels generate ARGS` in `cwd`; check that it is refused with one problem and that no
    file changed; return the problem line."""
    before = snapshot(cwd)
    result = run_cli(cwd, "generate", *args, timeout=TIMEOUT)
    assert result.returncode == 2, f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert result.stdout == ""
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and lines[1] == "docmodels: 1 error, 0 warnings; nothing was written", result.stderr
    assert snapshot(cwd) == before, "a refused run changed files"
    where, error, message = lines[0].partition(": error: ")  # `file:line: error: ...`, `docmodels: error: ...`
    assert error and ": " not in where.removeprefix("docmodels"), lines[0]
    return f"{where}: {message}"


def fifo(name: str) -> Callable[[Path], None]:
    def make(cwd: Path) -> None:
        os.mkfifo(cwd / name)  # opening it for reading would wait for a writer forever

    return make


def files(**contents: str | bytes) -> Callable[[Path], None]:
    return lambda cwd: write_files(cwd, {name.replace("__", "."): text for name, text in contents.items()})


# -- [tool.docmodels] --------------------------------------------------------------------------

LONG = "a" * 5000
LONG_NAME = "a" * 300

CONFIG_CASES: dict[str, tuple[str, Callable[[Path], None] | None, str | tuple[str, str]]] = {
    # case: (pyproject.toml, other files, the problem line or its start and end)
    "specs = []": (
        PYPROJECT + "specs = []\n",
        None,
        "pyproject.toml:5: specs = []; expected a list of at least one page or folder",
    ),
    "targets = []": (
        PYPROJECT + "targets = []\n",
        None,
        "pyproject.toml:5: targets = []; expected a list of at least one of: dataclasses, typeddicts, jsonschema, openapi",
    ),
    'out = ""': (
        PYPROJECT + 'out = ""\n',
        None,
        """pyproject.toml:5: out = '', an empty path; expected the path of a folder ("." for the project folder)""",
    ),
    "out is a file": (
        PYPROJECT + 'out = "specs/job.md"\n',
        None,
        "pyproject.toml:5: out = 'specs/job.md', which is a file; expected a folder (docmodels makes it where there is none)",
    ),
    "templates folder missing": (
        PYPROJECT + 'templates = "my-templates"\n',
        None,
        "pyproject.toml:5: templates = 'my-templates', which does not exist; expected a folder of templates",
    ),
    "templates is a file": (
        PYPROJECT + 'templates = "my-templates"\n',
        files(**{"my-templates": "not a folder\n"}),
        "pyproject.toml:5: templates = 'my-templates', which is a file; expected a folder of templates",
    ),
    '[tool] docmodels = "x"': (
        "[project]\nname = 'tmp'\n\n[tool]\ndocmodels = \"x\"\n",
        None,
        "pyproject.toml:5: tool.docmodels = 'x' is a string; expected a table ([tool.docmodels])",
    ),
    "tool = 5": (
        "tool = 5\n\n[project]\nname = 'tmp'\n",
        None,
        "pyproject.toml:1: tool = 5 is an integer; expected a table ([tool] with [tool.docmodels] in it)",
    ),
    "NUL in a spec path": (
        PYPROJECT + 'specs = ["specs\\u0000/job.md"]\n',
        None,
        "pyproject.toml:5: specs = ['specs\\x00/job.md'], where 'specs\\x00/job.md' is a path with a NUL character; expected a path without NUL characters",
    ),
    "NUL in out": (
        PYPROJECT + 'out = "gen\\u0000"\n',
        None,
        "pyproject.toml:5: out = 'gen\\x00', a path with a NUL character; expected a path without NUL characters",
    ),
    "very long path": (
        PYPROJECT + f'out = "{LONG}"\n',
        None,
        ("pyproject.toml:5: out = 'aaaa", "', a path of 5,000 characters; expected a path of at most 1,024 characters"),
    ),
    "very long name in a path": (
        PYPROJECT + f'templates = "t/{LONG_NAME}"\n',
        None,
        ("pyproject.toml:5: templates = 't/aaaa", "', a path with a name of 300 bytes; expected file and folder names of at most 255 bytes"),
    ),
    'overrides = ""': (
        PYPROJECT + 'overrides = ""\n',
        None,
        "pyproject.toml:5: overrides = '', an empty path; expected the path of a YAML file",
    ),
    'open_enums = "some"': (
        PYPROJECT + 'wire_case = "snake"\nopen_enums = "some"\n',
        None,
        "pyproject.toml:6: open_enums = 'some'; expected one of: page, all, none",
    ),
    'nullable = "every"': (
        PYPROJECT + 'nullable = "every"\n',
        None,
        "pyproject.toml:5: nullable = 'every'; expected one of: optional, none, all",
    ),
    "pyproject.toml not UTF-8": (
        (PYPROJECT + "# caf\xe9\n").encode("latin-1").decode("utf-8", "surrogateescape"),
        None,
        "pyproject.toml:5: byte 0xe9 is not UTF-8; expected a UTF-8 TOML file",
    ),
}


@pytest.mark.parametrize("case", list(CONFIG_CASES))
def test_bad_tool_docmodels(generated, case):
    pyproject, setup, expected = CONFIG_CASES[case]
    (generated / "pyproject.toml").write_bytes(pyproject.encode("utf-8", "surrogateescape"))
    if setup is not None:
        setup(generated)
    line = refused(generated)
    if isinstance(expected, tuple):
        start, end = expected
        assert line.startswith(start) and line.endswith(end) and len(line) < 300, line
    else:
        assert line == expected


def test_a_bad_table_reads_no_pages(tmp_path):
    """Where [tool.docmodels] is unusable, the default `specs` folder is not read in its stead:
    the one problem is the table's, not a missing folder's."""
    write_files(tmp_path, {"pyproject.toml": "[project]\nname = 'tmp'\n\n[tool]\ndocmodels = []\n", "docs/job.md": JOB})
    assert refused(tmp_path) == "pyproject.toml:5: tool.docmodels = [] is an array; expected a table ([tool.docmodels])"


def test_a_bad_setting_is_reported_even_when_the_run_is_in_the_cache(generated):
    """A bad value must not be read as its default and then answered from the cache of an earlier
    run with that default (which exits 0, silently)."""
    assert run_cli(generated, "generate").returncode == 0  # now in the cache, output recorded
    assert run_cli(generated, "check").returncode == 0
    for bad, expected in [
        ('wire_case = "SCREAMING"', "pyproject.toml:5: wire_case = 'SCREAMING'; expected one of: as-is, snake, camel"),
        ('targets = ["pydantic"]', "pyproject.toml:5: targets = ['pydantic']; expected a list of one of: dataclasses, typeddicts, jsonschema, openapi"),
        ('out = ""', """pyproject.toml:5: out = '', an empty path; expected the path of a folder ("." for the project folder)"""),
        ('overrides = ""', "pyproject.toml:5: overrides = '', an empty path; expected the path of a YAML file"),
    ]:
        (generated / "pyproject.toml").write_text(PYPROJECT + bad + "\n", encoding="utf-8")
        assert refused(generated) == expected


# -- the overrides file ------------------------------------------------------------------------

DEEP_BLOCK = "Job:\n" + "".join(" " * (i + 1) + f"k{i}:\n" for i in range(100))
BILLION_LAUGHS = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
    f"{chr(97 + i)}: &{chr(97 + i)} [{', '.join([f'*{chr(96 + i)}'] * 9)}]\n" for i in range(1, 10)
)
ANCHORED = page(
    """
    Job:
      autoStart: &names
        wire_name: auto
      jobType: *names
    """
)

OVERRIDES_CASES: dict[str, tuple[str | bytes, str]] = {
    "not UTF-8": (
        b"Job:\n  autoStart:\n    wire_name: caf\xe9\n",
        "overrides.yaml:3: byte 0xe9 is not UTF-8; expected a UTF-8 text file",
    ),
    "a NUL character": (
        "Job:\n  autoStart:\n    wire_name: a\0b\n",
        "overrides.yaml:3: character 0x0 is not allowed in YAML; expected printable text",
    ),
    "deeply nested flow collections": (
        "[" * 200_000 + "\n",
        f"overrides.yaml:1: YAML nested more than 16 deep; expected {SHAPE}",
    ),
    "deeply nested block mappings": (
        DEEP_BLOCK,
        f"overrides.yaml:{line_of(DEEP_BLOCK, 'k14:')}: YAML nested more than 16 deep; expected {SHAPE}",
    ),
    "an alias bomb": (
        BILLION_LAUGHS,
        f"overrides.yaml:1: anchor '&a'; {ALIASES}",
    ),
    "an anchor": (
        ANCHORED,
        f"overrides.yaml:{line_of(ANCHORED, '&names')}: anchor '&names'; {ALIASES}",
    ),
    "an alias": (
        "Job:\n  autoStart: *names\n",
        f"overrides.yaml:2: alias '*names'; {ALIASES}",
    ),
    "too large": (
        "# padding\n" * 210_000,
        "overrides.yaml:1: the overrides file is 2.0 MiB; expected at most 1 MiB",
    ),
    "a key set twice": (
        "Job:\n  autoStart:\n    wire_name: a\n  autoStart:\n    wire_name: b\n",
        "overrides.yaml:4: 'autoStart' is already a key at line 2; expected each of the field names once",
    ),
    "an empty value": (
        "Job:\n  autoStart:\n    wire_name:\n",
        "overrides.yaml:3: 'wire_name'; expected wire_name or python_name with a text value",
    ),
    "an unknown setting of a field": (
        "Job:\n  autoStart:\n    nullible: true\n",
        "overrides.yaml:3: 'nullible'; expected one of: wire_name, python_name, nullable, required, type",
    ),
    "nullable not a boolean": (
        "Job:\n  autoStart:\n    nullable: sometimes\n",
        "overrides.yaml:3: nullable: sometimes; expected nullable: true or nullable: false",
    ),
    "a type that is not one": (
        "Job:\n  jobType:\n    required: false\n    type: list[integer\n",
        f"overrides.yaml:4: type 'list[integer'; expected {TYPE_GRAMMAR}",
    ),
    "a type naming no definition": (
        "Job:\n  jobType:\n    type: dict[str, Jobb]\n",
        "overrides.yaml:3: type 'Jobb' in an override, but no page defines it; expected a model defined by a page: did you mean Job?",
    ),
    "wire_name for a field pattern": (
        "Job:\n  '*Type':\n    wire_name: kind\n",
        "overrides.yaml:3: wire_name for the pattern '*Type'; expected it for one field, named exactly",
    ),
    "a model pattern that matches nothing": (
        "'*Response':\n  jobType:\n    nullable: true\n",
        "overrides.yaml:1: pattern '*Response' matches no model; expected a model defined by a page",
    ),
    "a field pattern that matches nothing": (
        "Job:\n  autoStart:\n    nullable: true\n  '*_at':\n    type: date-time\n",
        "overrides.yaml:4: 'Job.*_at' matches no field of 1 model; expected a field name or pattern that some model has",
    ),
    "an unknown field": (
        "'*':\n  autoStart:\n    nullable: true\nJob:\n  autoStrat:\n    required: false\n",
        "overrides.yaml:5: override for unknown field 'Job.autoStrat'; expected one of: autoStart, jobType",
    ),
    "open for a model": (
        "Job:\n  open: true\n",
        "overrides.yaml:2: 'Job' is a model, not an enum; expected open for an enum defined by a page",
    ),
    "open for no enum": (
        "'*':\n  open: false\n",
        "overrides.yaml:2: pattern '*' matches no enum; expected open for an enum defined by a page",
    ),
}


@pytest.mark.parametrize("case", list(OVERRIDES_CASES))
def test_bad_overrides_file(generated, case):
    content, expected = OVERRIDES_CASES[case]
    write_files(generated, {"pyproject.toml": PYPROJECT + 'overrides = "overrides.yaml"\n', "overrides.yaml": content})
    assert refused(generated) == expected


def test_overrides_file_that_is_a_fifo_is_never_opened(generated):
    (generated / "pyproject.toml").write_text(PYPROJECT + 'overrides = "overrides.yaml"\n', encoding="utf-8")
    fifo("overrides.yaml")(generated)
    assert refused(generated) == "overrides.yaml:1: the overrides file is a FIFO (named pipe); expected a regular file of YAML"


def test_overrides_file_that_is_a_folder(generated):
    (generated / "pyproject.toml").write_text(PYPROJECT + 'overrides = "overrides"\n', encoding="utf-8")
    (generated / "overrides").mkdir()
    assert refused(generated) == "overrides:1: the overrides file is a folder; expected a regular file of YAML"


def test_overrides_with_a_byte_order_mark_and_crlf_are_read(generated):
    write_files(generated, {"pyproject.toml": PYPROJECT + 'overrides = "overrides.yaml"\n', "overrides.yaml": b"\xef\xbb\xbfJob:\r\n  jobType:\r\n    wire_name: type\r\n"})
    result = run_cli(generated, "generate", timeout=60)
    assert result.returncode == 0, result.stderr
    assert '"type"' in (generated / "generated" / "models.py").read_text(encoding="utf-8")


# -- the command line: the same checks, reported as `docmodels: ...` --------------------------

CLI_CASES: dict[str, tuple[tuple[str, ...], Callable[[Path], None] | None, str | tuple[str, str]]] = {
    "--out ''": (("--out", ""), None, """docmodels: out = '', an empty path; expected the path of a folder ("." for the project folder)"""),
    "empty PATH": (("",), None, "docmodels: specs = [''], where '' is an empty path; expected the path of a page or folder"),
    "--templates missing": (("--templates", "nope"), None, "docmodels: templates = 'nope', which does not exist; expected a folder of templates"),
    "--templates a file": (("--templates", "specs/job.md"), None, "docmodels: templates = 'specs/job.md', which is a file; expected a folder of templates"),
    "-o very long": (("-o", LONG), None, ("docmodels: out = 'aaaa", "', a path of 5,000 characters; expected a path of at most 1,024 characters")),
    "PATH with a very long name": ((f"specs/{LONG_NAME}.md",), None, ("docmodels: specs = ['specs/aaaa", " is a path with a name of 303 bytes; expected file and folder names of at most 255 bytes")),
    "--overrides ''": (("--overrides", ""), None, "docmodels: overrides = '', an empty path; expected the path of a YAML file"),
    "--overrides a FIFO": (("--overrides", "pipe.yaml"), fifo("pipe.yaml"), "pipe.yaml:1: the overrides file is a FIFO (named pipe); expected a regular file of YAML"),
    "--overrides a device": (("--overrides", os.devnull), None, f"{os.devnull}:1: the overrides file is a character device; expected a regular file of YAML"),
}


@pytest.mark.parametrize("case", list(CLI_CASES))
def test_bad_command_line_value(generated, case):
    args, setup, expected = CLI_CASES[case]
    if setup is not None:
        setup(generated)
    line = refused(generated, *args)
    if isinstance(expected, tuple):
        start, end = expected
        assert line.startswith(start) and line.endswith(end) and len(line) < 300, line
    else:
        assert line == expected


# -- the Python API: the same checks, raised as InputError -----------------------------------

API_CASES: dict[str, tuple[dict[str, object], str]] = {
    "specs=[]": ({"specs": []}, "docmodels: error: specs = []; expected a list of at least one page or folder"),
    "targets=()": ({"targets": ()}, "docmodels: error: targets = (); expected a list of at least one of: dataclasses, typeddicts, jsonschema, openapi"),
    "out=''": ({"out": ""}, """docmodels: error: out = '', an empty path; expected the path of a folder ("." for the project folder)"""),
    "out with a NUL": ({"out": "a\0b"}, "docmodels: error: out = 'a\\x00b', a path with a NUL character; expected a path without NUL characters"),
    "templates a Path to a file": ({"templates": Path("specs/job.md")}, "docmodels: error: templates = 'specs/job.md', which is a file; expected a folder of templates"),
    "specs a number": ({"specs": 5}, "docmodels: error: specs = 5; expected a list of text"),
    "a dialect key with a NUL": ({"dialect": {"specs\0": "python"}}, "docmodels: error: dialect = {'specs\\x00' = ...}, a key that is a path with a NUL character; expected spec paths, a path without NUL characters"),
    "open_enums a number": ({"open_enums": 5}, "docmodels: error: open_enums = 5; expected one of: page, all, none"),
    "a misspelt keyword": ({"wirecase": "snake"}, "docmodels: error: unknown setting 'wirecase'; expected one of: specs, out, roots, targets, wire_case, nullable, open_enums, dialect, overrides, templates, layout, runtime"),
}


@pytest.mark.parametrize("case", list(API_CASES))
def test_bad_api_keyword(generated, case):
    settings, expected = API_CASES[case]
    before = snapshot(generated)
    with pytest.raises(docmodels.InputError) as raised:
        docmodels.generate(generated, **settings)
    assert [str(p) for p in raised.value.problems] == [expected]
    assert snapshot(generated) == before


def test_api_project_folder_that_does_not_exist(generated):
    """Not the nearest pyproject.toml above it, silently."""
    before = snapshot(generated)
    with pytest.raises(docmodels.InputError) as raised:
        docmodels.generate(generated / "nope")
    assert [str(p) for p in raised.value.problems] == [f"docmodels: error: project '{generated / 'nope'}' is not a folder; expected the folder of a project"]
    assert snapshot(generated) == before


def test_good_settings_still_work(generated):
    """The checks refuse only what is wrong: Paths, a tuple of targets, a dialect table."""
    (generated / "pyproject.toml").write_text(PYPROJECT + 'dialect = {"specs" = "typescript"}\n', encoding="utf-8")
    result = docmodels.generate(generated, out=Path("pkg"), targets=("jsonschema",), specs=[Path("specs")])
    assert "jsonschema/Job.json" in result.files and (generated / "pkg" / "jsonschema" / "Job.json").is_file()
