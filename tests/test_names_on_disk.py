"""Page and folder names as they are on disk, and links to them as pages write them: names that
are not ASCII, have spaces, a `#` or bytes that are not UTF-8, and links percent-encoded or raw.
Each resolves to the page it names or is a clean error (exit 2), never an internal error; a
problem on a page whose name holds a line break is still one line."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from pages import model_page, row, run_cli

NOT_UTF8 = os.fsdecode(b"bad\xff.md")


def write(base: Path, name: str, text: str) -> None:
    (base / "specs").mkdir(exist_ok=True)
    with open(os.path.join(os.fsencode(base / "specs"), os.fsencode(name)), "w", encoding="utf-8") as f:
        f.write(text)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.docmodels]\nspecs = ['specs']\nout = 'out'\n", encoding="utf-8")
    write(tmp_path, "café.md", model_page("Cafe", row("x")))
    write(tmp_path, "my page.md", model_page("MyPage", row("x")))
    write(tmp_path, "a#b.md", model_page("AHashB", row("x")))
    return tmp_path


def test_links_in_every_spelling_reach_their_page(project: Path) -> None:
    holder = model_page(
        "Holder",
        row("c", "[Cafe](caf%C3%A9.md)"),
        row("d", "[Cafe](café.md)"),
        row("m", "[MyPage](my%20page.md)"),
        row("n", "[MyPage](<my page.md>)"),
        row("h", "[AHashB](a%23b.md)"),
    )
    write(project, "holder.md", holder)
    result = run_cli(project, "schema", "--format", "json", "--root", "Holder")
    assert result.returncode == 0, result.stderr
    definitions = {d["name"]: d for d in json.loads(result.stdout)["definitions"]}
    assert {f["doc_name"]: f["type"]["name"] for f in definitions["Holder"]["fields"]} == {"c": "Cafe", "d": "Cafe", "m": "MyPage", "n": "MyPage", "h": "AHashB"}
    assert set(definitions) == {"Holder", "Cafe", "MyPage", "AHashB"}


def test_a_page_named_with_a_hash_is_a_page_not_a_section(project: Path) -> None:
    result = run_cli(project, "generate")
    assert result.returncode == 0, result.stderr
    assert (project / "out" / "jsonschema" / "AHashB.json").is_file()


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse names that are not UTF-8")
def test_a_name_that_is_not_utf8_generates_and_is_shown_escaped(project: Path) -> None:
    write(project, NOT_UTF8, model_page("Bad", row("x")))
    result = run_cli(project, "generate")
    assert result.returncode == 0, result.stderr
    comment = json.loads((project / "out" / "jsonschema" / "Bad.json").read_text(encoding="utf-8"))["$comment"]
    assert "specs/bad\\xff.md" in comment
    write(project, NOT_UTF8, model_page("Bad", row("x", "*strng*")))
    result = run_cli(project, "generate")
    assert result.returncode == 2
    assert [line for line in result.stderr.splitlines() if "strng" in line] == [line for line in result.stderr.splitlines() if line.startswith("specs/bad\\xff.md:")]
    assert "internal error" not in result.stderr


def test_a_problem_on_a_page_named_with_a_line_break_is_one_line(project: Path) -> None:
    write(project, "new\nline.md", model_page("NewLine", row("x", "*strng*")))
    result = run_cli(project, "generate")
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith("specs/new\\nline.md:") and "unknown type 'strng'" in lines[0]
    assert lines[1].startswith("docmodels: 1 error")


def test_a_percent_encoded_link_to_a_missing_page_is_a_clean_error(project: Path) -> None:
    write(project, "holder.md", model_page("Holder", row("c", "[Gone](gon%C3%A9.md)")))
    result = run_cli(project, "generate")
    assert result.returncode == 2
    assert "specs/holder.md:7: error: cannot read 'specs/goné.md': there is no such page" in result.stderr
    assert not (project / "out").exists()


def test_nesting_counts_every_kind_of_bracket(project: Path) -> None:
    """Parentheses (Ruby `T.nilable(...)`) nest like the others: 17 levels are refused."""
    deep = "Record<string, " * 17 + "*string*" + ">" * 17
    write(project, "deep.md", model_page("Deep", row("x", deep)))
    result = run_cli(project, "generate")
    assert result.returncode == 2 and "nests 17 deep (at most 16)" in result.stderr
    from docmodels.parse import _nesting

    assert _nesting("T.nilable(" * 17 + "::String" + ")" * 17) == 17
