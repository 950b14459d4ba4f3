"""docmodels writes black's style without running black on most code (generator/layout.py and
the filters in generator/render.py), and JSON without the standard library's slow indenting
encoder. These properties check both against the real thing: black, for any page text in
literals and docstrings and for models whose names are of any length; json.dumps, for any value."""

from __future__ import annotations

import ast
import json
import string
from pathlib import Path

import black
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docmodels import api
from docmodels.format import format_files
from docmodels.layout import lay_out
from docmodels.render import docstring, json_text, py_literal

MODE = black.Mode(target_versions={black.TargetVersion.PY310})
WIDE = black.Mode(target_versions={black.TargetVersion.PY310}, line_length=10**6)  # literals only, no splitting

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@given(JSON)
def test_literals_are_black_style_and_exact(value: object) -> None:
    source = f"x = {py_literal(value)}\n"
    assert black.format_str(source, mode=WIDE) == source
    assert ast.literal_eval(py_literal(value)) == value


@given(JSON)
def test_json_text_is_json_dumps(value: object) -> None:
    assert json_text(value) == json.dumps(value, indent=2, ensure_ascii=False)


def _norm(text: str) -> list[str]:
    """Text as a docstring keeps it: ends of lines trimmed, continuation lines dedented together."""
    first, *rest = [line.rstrip(" ") for line in text.strip().split("\n")]
    common = min((len(line) - len(line.lstrip(" ")) for line in rest if line), default=0)
    return [first, *(line[common:] for line in rest)]


@given(st.text(min_size=1).filter(lambda t: t.strip()))
def test_docstrings_are_black_style_and_keep_the_text(text: str) -> None:
    source = f"class A:\n    {docstring(text, 4)}\n\n    x: int\n    {docstring(text, 4)}\n"
    assert black.format_str(source, mode=WIDE) == source
    assert black.format_str(source, mode=MODE) == source
    tree = ast.parse(source)
    values = [node.value.value for node in ast.walk(tree) if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)]
    assert [_norm(v) for v in values] == [_norm(text)] * 2


NAME = st.text(string.ascii_letters, min_size=1, max_size=70).map(lambda s: "M" + s)
FIELD = st.text(string.ascii_lowercase, min_size=1, max_size=70)  # distinct names stay distinct in snake_case
TYPE = st.sampled_from(["*string*", "*number*", "*string*[]", "Record<string, *number*>", "LINK", "LINK[]", "*string* \\| LINK", "ENUM"])


# A description whose long line, after two blank lines, looks like code that layout would split.
LOOKS_LIKE_CODE = "result = call(argument_one, argument_two, argument_three, argument_four, argument_five)"


@st.composite
def pages(draw: st.DrawFn) -> dict[str, str]:
    """A few model pages, an enum and a union, with names from 2 to 71 characters."""
    names = draw(st.lists(NAME, min_size=2, max_size=3, unique_by=str.lower))
    enum_name = draw(NAME.filter(lambda n: n.lower() not in {m.lower() for m in names}))
    values = draw(st.lists(st.text(string.ascii_letters + "-_ ,=()[]{}#'", min_size=1, max_size=60).filter(str.strip), min_size=1, max_size=6, unique=True))
    files = {f"{enum_name.lower()}.md": f"# {enum_name}\n\n## Values\n\n| Name | Value |\n| --- | --- |\n" + "".join(f"| `V{i}` | {v.strip()} |\n" for i, v in enumerate(values))}
    for i, name in enumerate(names):
        target = names[(i + 1) % len(names)]
        link = f"[components.{target}]({target.lower()}.md)"
        rows = []
        for field in draw(st.lists(FIELD, min_size=1, max_size=5, unique=True)):
            kind = draw(TYPE).replace("LINK", link).replace("ENUM", f"[components.{enum_name}]({enum_name.lower()}.md)")
            required = draw(st.sampled_from([":heavy_check_mark:", ":heavy_minus_sign:"]))
            description = draw(st.sampled_from(["N/A", "A field.", "One.<br/><br/><br/>" + LOOKS_LIKE_CODE]))
            rows.append(f"| `{field}` | {kind} | {required} | {description} |\n")
        files[f"{name.lower()}.md"] = f"# {name}\n\n## Fields\n\n| Field | Type | Required | Description |\n| --- | --- | --- | --- |\n" + "".join(rows)
    return files


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(pages())
def test_generated_code_is_black_style(tmp_path: Path, files: dict[str, str]) -> None:
    specs = tmp_path / "specs"
    for old in specs.glob("*.md"):
        old.unlink()
    specs.mkdir(exist_ok=True)
    for name, text in files.items():
        (specs / name).write_text(text, encoding="utf-8")
    config = api.load_config(tmp_path, {"specs": ["specs"], "out": "out", "wire_case": "snake"})
    generated, _, _ = api.build(config, use_cache=False)
    for path, text in generated.items():
        if path.endswith(".py"):
            assert black.format_str(text, mode=MODE) == text, path
    if LOOKS_LIKE_CODE in "".join(files.values()):
        assert "\n\n\n    " + LOOKS_LIKE_CODE + "\n" in generated["models.py"]  # the docstring kept its line


def test_layout_leaves_unknown_shapes_to_black() -> None:
    long = "x" * 90
    assert lay_out(f"y = {long} + {long}") is None  # an operator black would split at
    assert lay_out("short = 1") == "short = 1"


@given(st.lists(st.tuples(st.sampled_from(["x = 1", "def f() -> None:\n    pass", "", "# note"]), st.integers(0, 5)), max_size=6))
def test_format_files_ends_a_module_with_one_newline_and_keeps_the_rest(parts: list[tuple[str, int]]) -> None:
    """Short lines only: nothing to lay out, so the text stays as it is but for its end."""
    text = "".join(code + "\n" * newlines for code, newlines in parts)
    assert format_files({"m.py": text, "x.json": text}) == {"m.py": text.rstrip("\n") + "\n", "x.json": text}
