"""`## Example Usage` code blocks read as JSON values: each construct of each dialect, errors with
their lines, a round trip of generated values printed as TypeScript and Python literals, and every
Example Usage block of the shared corpus."""

from __future__ import annotations

import ast
import json
import re
import warnings
from collections import Counter
from pathlib import Path
from random import Random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docmodels.parse.examples import NO_EXAMPLE, ExampleSyntaxError, read_example
from docmodels.parse.markdown import read_page

CORPUS = Path(__file__).parents[2] / "shared" / "corpus"
TS_IMPORT = 'import { T } from "@mistralai/mistralai/models/components";\n\n'
PY_IMPORT = "from mistralai.client.models import T\n\n"


def ts(body: str) -> str:
    """A TypeScript block assigning `body`."""
    return f"{TS_IMPORT}let value: T = {body};\n"


def py(body: str) -> str:
    """A Python block assigning `body`."""
    return f"{PY_IMPORT}value: T = {body}\n"


def same(a: Any, b: Any) -> bool:
    """Equal, with types compared too (1 is not 1.0 nor True), and key order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return bool(a == b)


def check(code: str, expected: Any, language: str | None = None) -> None:
    got = read_example(code, language)
    assert same(got, expected), f"{got!r} != {expected!r}"


# -- the forms the brief shows ---------------------------------------------------------------------


def test_typescript_model_example() -> None:
    code = (
        'import { ChatCompletionRequest } from "@mistralai/mistralai/models/components";\n\n'
        "let value: ChatCompletionRequest = {\n"
        '  model: "mistral-large-latest",\n'
        "  messages: [\n"
        "    {\n"
        '      role: "user",\n'
        '      content: "Who is the best French painter? Answer in one short sentence.",\n'
        "    },\n"
        "  ],\n"
        "  responseFormat: {\n"
        '    type: "text",\n'
        "  },\n"
        "};\n"
    )
    check(code, {
        "model": "mistral-large-latest",
        "messages": [{"role": "user", "content": "Who is the best French painter? Answer in one short sentence."}],
        "responseFormat": {"type": "text"},
    })


def test_typescript_no_examples_comment() -> None:
    code = 'import { FileT } from "@mistralai/mistralai/models/components";\n\n// No examples available for this model\n'
    assert read_example(code) is NO_EXAMPLE


def test_python_enum_example() -> None:
    code = (
        "from mistralai.client.models import ToolChoiceEnum\n\n"
        "# Open enum: unrecognized values are captured as UnrecognizedStr\n"
        'value: ToolChoiceEnum = "auto"\n'
    )
    check(code, "auto")


# -- TypeScript -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # keys: unquoted, quoted either way, numbers, reserved words; key order kept
        ('{ b: 1, a: 2, $c_1: 3, "d-e": 4, \'f g\': 5, 6: 7, 1.50: 8, default: 9, null: 10 }',
         {"b": 1, "a": 2, "$c_1": 3, "d-e": 4, "f g": 5, "6": 7, "1.5": 8, "default": 9, "null": 10}),
        ("{ a: 1, a: 2 }", {"a": 2}),
        ("{ ünï: 1 }", {"ünï": 1}),
        # trailing commas, nesting, empties
        ("{ a: [1, [2, [],], {},], b: { c: { d: [], }, }, }", {"a": [1, [2, []], {}], "b": {"c": {"d": []}}}),
        ("[]", []),
        ("{}", {}),
        # constants
        ("[true, false, null]", [True, False, None]),
        # numbers: ints stay int, floats float
        ("[0, 42, -7, +3, 1_000, 0x1F, 0o17, 0b101, 10n, 0xffn]", [0, 42, -7, 3, 1000, 31, 15, 5, 10, 255]),
        ("[1.5, -0.25, 1e3, 2.5E-3, .5, 5., -1e+2, 1_0.0_1]", [1.5, -0.25, 1000.0, 0.0025, 0.5, 5.0, -100.0, 10.01]),
        ("123456789012345678901234567890", 123456789012345678901234567890),
        # strings
        ('"double"', "double"),
        ("'single'", "single"),
        ("`back\ntick`", "back\ntick"),
        (r'"\n\t\r\b\f\v\0 \' \" \\ \/ \` \$ \q"', "\n\t\r\b\f\v\0 ' \" \\ / ` $ q"),
        (r"'\x41\u00e9\u{1F600}\uD83D\uDE00'", "Aé😀😀"),
        ('"line \\\ncontinued"', "line continued"),
        (r"`\${not} $ {}`", "${not} $ {}"),
        ('"<value>"', "<value>"),
        ('"ü — 日本"', "ü — 日本"),
        # undefined: an absent key, a null item
        ("{ a: undefined, b: 1, c: undefined }", {"b": 1}),
        ("{ a: 1, a: undefined }", {}),
        ("[1, undefined]", [1, None]),
        # grouping
        ("({ a: (1) })", {"a": 1}),
    ],
)
def test_typescript_literals(body: str, expected: Any) -> None:
    check(ts(body), expected)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('new Date("2024-08-23T06:20:02.699Z")', "2024-08-23T06:20:02.699Z"),
        ('new RFCDate("2024-08-23")', "2024-08-23"),
        ('await openAsBlob("./sample-file.pdf")', "./sample-file.pdf"),
        ('new TextEncoder().encode("0xAbCd")', "0xAbCd"),
        ("BigInt(9007199254740993)", 9007199254740993),
        ('BigInt("9007199254740993")', 9007199254740993),
        ('BigInt("0x10")', 16),
        ('new Decimal("3.14")', 3.14),
        ('new Decimal("12")', 12),
        ("new Decimal(2.5)", 2.5),
        ('{ at: new Date("2024-01-01"), file: await openAsBlob("a.bin"), n: BigInt(1), }',
         {"at": "2024-01-01", "file": "a.bin", "n": 1}),
    ],
)
def test_typescript_placeholders(body: str, expected: Any) -> None:
    check(ts(body), expected)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("", NO_EXAMPLE),
        ("\n\n", NO_EXAMPLE),
        (TS_IMPORT, NO_EXAMPLE),
        ("// only a comment\n/* and a\n block */\n", NO_EXAMPLE),
        (ts("undefined"), NO_EXAMPLE),
        (ts("/* values here */"), NO_EXAMPLE),
        (TS_IMPORT + "let value: T;\n", NO_EXAMPLE),
        ("const example = 1;", 1),
        ("var x = 1", 1),
        ("export const value: T = 1;", 1),
        ("let value = 1", 1),
        ("let value: Record<string, Array<{ a: string; b?: number }>> = { k: [] };", {"k": []}),
        ("let value: (a: string) => void | \"x\" = 1;", 1),
        ("let value:\n  AVeryLongTypeName = {\n  a: 1,\n};", {"a": 1}),
        ("let value: AVeryLongTypeName =\n  {\n    a: 1,\n  };", {"a": 1}),
        ('import {\n  A,\n  B,\n} from "@mistralai/mistralai/models/components";\nimport type { C } from "x";\n'
         'import * as D from "y";\nimport E, { F } from "z";\nimport "side-effect";\n\nlet value: A = 1;', 1),
        ("let value: T = { // a\n  /* b */ a: /* c */ 1, // d\n  // e\n  b: 2 /* f */,\n}; // g\n// h\n", {"a": 1, "b": 2}),
        ("let value: T = 1\n// Open enum: unrecognized values are captured as Unrecognized<number>\n", 1),
        ("let value: T = 1;;", 1),
        ("\ufefflet value = 1;\r\n", 1),
    ],
)
def test_typescript_statements(code: str, expected: Any) -> None:
    check(code, expected)


# -- Python -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("{\"b\": 1, 'a': [True, False, None], \"c\": {}, \"d\": [], }", {"b": 1, "a": [True, False, None], "c": {}, "d": []}),
        ('{"a": {"b": [1, [2, {"c": 3,},],],},}', {"a": {"b": [1, [2, {"c": 3}]]}}),
        ('{"a": 1, "a": 2}', {"a": 2}),
        ("{1: 'one', 2.5: 'x', True: 't', None: 'n'}", {"1": "one", "2.5": "x", "true": "t", "null": "n"}),
        ("[0, 42, -7, +3, 1_000, 0x1F, 0o17, 0b101, 00]", [0, 42, -7, 3, 1000, 31, 15, 5, 0]),
        ("[1.5, -0.25, 1e3, 2.5E-3, .5, 5., 1_0.5, 01.5]", [1.5, -0.25, 1000.0, 0.0025, 0.5, 5.0, 10.5, 1.5]),
        ("(1, 'a')", [1, "a"]),
        ("(1,)", [1]),
        ("()", []),
        ("((1))", 1),
        ('"a" \'b\' """c"""', "abc"),
        ('("a"\n "b")', "ab"),
        (r'"\n\t\\\'\"\a\b\f\v\0\101\x41\u00e9\U0001F600\N{EM DASH}\d\q"', "\n\t\\'\"\a\b\f\v\x00AAé😀—\\d\\q"),
        (r'r"\d\n\"" R"\x"', '\\d\\n\\"\\x'),
        ("'''a\nb\"'c'''", "a\nb\"'c"),
        (r'u"x" U"y"', "xy"),
        (r'b"\x00\xff\u00e9" rb"\x"', "\x00\xff\\u00e9\\x"),
        ('"<value>"', "<value>"),
        ('"ü — 日本"', "ü — 日本"),
        ('"a\\\nb"', "ab"),
    ],
)
def test_python_literals(body: str, expected: Any) -> None:
    check(py(body), expected)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('dateutil.parser.isoparse("2024-08-23T06:20:02.699Z")', "2024-08-23T06:20:02.699Z"),
        ('dateutil.parser.parse("2024-08-23").date()', "2024-08-23"),
        ("datetime.fromisoformat('2024-08-23T06:20:02')", "2024-08-23T06:20:02"),
        ("datetime.date.fromisoformat('2024-08-23')", "2024-08-23"),
        ('open("./sample-file.pdf", "rb")', "./sample-file.pdf"),
        ('Decimal("3.14")', 3.14),
        ("decimal.Decimal('7')", 7),
        ('{"at": dateutil.parser.isoparse("2024-01-01T00:00:00Z"), "file": open("a.bin", "rb")}',
         {"at": "2024-01-01T00:00:00Z", "file": "a.bin"}),
        ("/* values here */", NO_EXAMPLE),
    ],
)
def test_python_placeholders(body: str, expected: Any) -> None:
    check(py(body), expected)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (PY_IMPORT, NO_EXAMPLE),
        ("# only a comment\n", NO_EXAMPLE),
        (PY_IMPORT + "value: T\n", NO_EXAMPLE),
        ("from m import (\n    A,\n    B,\n)\nimport os\nimport a.b as c, d\n\nvalue: A = 1\n", 1),
        ("x: Dict[str, List[int]] = {\n    'a': [1],  # note\n}\n# after\n", {"a": [1]}),
        ("value: Annotated[int, Field(default=1)] = 2\n", 2),
        ("value: T = \\\n    1\n", 1),
        ("value = True", True),
        ("value = None", None),
        ("value: T = 'x'; pass\n", "x"),
    ],
)
def test_python_statements(code: str, expected: Any) -> None:
    check(code, expected)


# -- telling the dialects apart -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "language", "expected"),
    [
        ("value = True", None, True),  # only Python reads it
        ("value = true", None, True),  # only TypeScript reads it
        ("value = {'a': 1}", None, {"a": 1}),
        ("value = {'a': 1}", "python", {"a": 1}),
        ("value = {a: 1}", "typescript", {"a": 1}),
        ("value = [1]", "ts", [1]),
        ("value = [1]", "py", [1]),
        ("value = 1", "text", 1),
    ],
)
def test_dialect(code: str, language: str | None, expected: Any) -> None:
    check(code, expected, language)


def test_language_forces_the_dialect() -> None:
    with pytest.raises(ExampleSyntaxError, match="identifier 'True'"):
        read_example("value = True", "typescript")
    with pytest.raises(ExampleSyntaxError, match="identifier 'true'"):
        read_example("value = true", "python")


def test_no_example_sentinel() -> None:
    assert repr(NO_EXAMPLE) == "NO_EXAMPLE"
    import copy
    import pickle

    assert copy.deepcopy(NO_EXAMPLE) is NO_EXAMPLE
    assert pickle.loads(pickle.dumps(NO_EXAMPLE)) is NO_EXAMPLE
    assert issubclass(ExampleSyntaxError, ValueError)


# -- errors -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "line", "fragments"),
    [
        # not literals
        ("let value: T = {\n  a: foo,\n};", 2, ["identifier 'foo'", "expected a literal value"]),
        ("let value: T = {\n  a: makeThing(1),\n};", 2, ["call 'makeThing(...)'", "placeholder such as new Date"]),
        ("let value: T = {\n\n  a: new Foo(\"x\"),\n};", 3, ["call 'new Foo(...)'"]),
        ("let value: T = new Date(\"x\").getTime();", 1, ["call 'new Date(...).getTime(...)'"]),
        ("let value: T = new Date;", 1, ["incomplete 'new Date'"]),
        ("let value: T = new Date(1);", 1, ["new Date(\"...\") with a string"]),
        ("let value: T = BigInt(1.5);", 1, ["BigInt(...) with one integer"]),
        ("let value: T = Math.PI;", 1, ["identifier 'Math.PI'"]),
        ("let value: T = True;", 1, ["identifier 'True'"]),
        ("let value: T = Infinity;", 1, ["identifier 'Infinity'"]),
        ("let value: T = -Infinity;", 1, ["identifier 'Infinity'", "a number after '-'"]),
        ("let value: T = NaN;", 1, ["identifier 'NaN'"]),
        ("let value: T = [\n  1,\n  x => x,\n];", 3, ["identifier 'x'"]),
        ("let value: T = {\n  ...base,\n};", 2, ["found '...'", "a key or '}'"]),
        ("let value: T = {\n  [key]: 1,\n};", 2, ["found '['", "a key"]),
        ("let value: T = {\n  short,\n};", 2, ["found ','", "':' and a value after key 'short'"]),
        ("let value: T = `a${b}`;", 1, ["substitution '${'"]),
        ("let value: T = (1, 2);", 1, ["')' to close the '(' on line 1"]),
        # punctuation
        ("let value: T = {\n  a: 1\n  b: 2,\n};", 3, ["identifier 'b'", "',' or '}' to close the '{' on line 1"]),
        ("let value: T = {\n  a: [1, 2,\n", 2, ["end of the code block", "']' to close the '[' on line 2"]),
        ("let value: T = {\n  a: 1,\n", 2, ["end of the code block", "'}' to close the '{' on line 1"]),
        ("let value: T = [1,, 2];", 1, ["found ','", "an item"]),
        ("let value: T = ;", 1, ["found ';'", "expected a literal value"]),
        ("let value: T = 1 2;", 1, ["number 2", "';' or a line break"]),
        ("let value: T = }", 1, ["found '}'"]),
        # strings, numbers, comments
        ('let value: T = {\n  a: "abc\n",\n};', 2, ["line break inside a string"]),
        ('let value: T = {\n  a: "abc', 2, ["not closed"]),
        ("let value: T = `abc\n\ndef", 1, ["not closed"]),
        ("let value: T = {\n  a: 1, /* open\n\n", 2, ["comment '/*' is not closed"]),
        (r'let value: T = "\x4";', 1, ["\\x", "two hex digits"]),
        (r'let value: T = "\u12";', 1, ["four hex digits"]),
        (r'let value: T = "\u{110000}";', 1, ["code point"]),
        (r'let value: T = "\1";', 1, ["octal escape"]),
        (r'let value: T = "\uD800";', 1, ["unpaired surrogate"]),
        ("let value: T = 012;", 1, ["malformed number '012'"]),
        ("let value: T = 1.5n;", 1, ["malformed number '1.5n'"]),
        ("let value: T = 1e999;", 1, ["out of range"]),
        ("let value: T = 12abc;", 1, ["malformed number '12abc'"]),
        # statements
        ("console.log(1);", 1, ["identifier 'console'", "an import, a comment or an assignment"]),
        ("let value: T = 1;\n\nlet other: T = 2;", 3, ["a second assignment, to 'other'", "first is on line 1"]),
        ('let value: T = 1;\nconsole.log(value);', 2, ["identifier 'console'"]),
        ("let { a } = x;", 1, ["found '{'", "a variable name after 'let'"]),
        ("export function f() {}", 1, ["identifier 'function'"]),
        ('import { A }\n\nlet', 3, ["'from \"module\"' to end the import on line 1"]),
        ("let value: T = 1, b = 2;", 1, ["found ','"]),
        ("let value: T > = 1;", 1, ["found '>'", "a type after ':'"]),
    ],
)
def test_typescript_errors(code: str, line: int, fragments: list[str]) -> None:
    with pytest.raises(ExampleSyntaxError) as info:
        read_example(code, "typescript")
    assert info.value.line == line, str(info.value)
    for fragment in fragments:
        assert fragment in str(info.value)


@pytest.mark.parametrize(
    ("code", "line", "fragments"),
    [
        ("value = {\n    'a': foo,\n}", 2, ["identifier 'foo'", "expected a literal value (a string, number, dict, list, True, False or None)"]),
        ("value = {\n    'a': models.Foo(x=1),\n}", 2, ["call 'models.Foo(...)'", "dateutil.parser.isoparse"]),
        ("value = true", 1, ["identifier 'true'"]),
        ("value = null", 1, ["identifier 'null'"]),
        ("value = float('inf')", 1, ["call 'float(...)'"]),
        ("value = dateutil.parser.isoparse(1)", 1, ["with a string"]),
        ("value = {'a', 'b'}", 1, ["found ','", "set literals are not JSON"]),
        ("value = {\n    **base,\n}", 2, ["found '**'", "a key or '}'"]),
        ("value = {[1]: 2}", 1, ["list as a dict key"]),
        ("value = f'x{y}'", 1, ["f-string"]),
        ("value = 'a' b'b'", 1, ["bytes and str"]),
        ("value = b'é'", 1, ["non-ASCII character"]),
        ("value = 1j", 1, ["complex number '1j'"]),
        ("value = 0777", 1, ["malformed number '0777'"]),
        ("value = 1e999", 1, ["out of range"]),
        ("value = '\\x4'", 1, ["\\x", "2 hex digits"]),
        ("value = '\\N{NOT A NAME}'", 1, ["unknown character name"]),
        ("value = '\\ud800'", 1, ["surrogate"]),
        ("value = {\n    'a': 'abc\n}", 2, ["line break inside a string"]),
        ("value = '''abc\n\n", 1, ["not closed"]),
        ("value = [\n    1,\n", 2, ["end of the code block", "']' to close the '[' on line 1"]),
        ("value = {\n    'a': 1\n    'b': 2,\n}", 3, ["string 'b'", "',' or '}' to close the '{' on line 1"]),
        ("value = 1 2", 1, ["number 2", "the end of the line"]),
        ("value =\n", 1, ["the end of the line", "expected a literal value"]),
        ("value = {'a': /* values here */}", 1, ["comment '/* values here */'"]),
        ("value = /* values here */ 1", 1, ["number 1", "the end of the line after the placeholder"]),
        ("value = -'a'", 1, ["string 'a'", "a number after '-'"]),
        ("value = ...", 1, ["found '...'"]),
        ("value = 1\nvalue2 = 2\n", 2, ["a second assignment"]),
        ("def f():\n    pass\n", 1, ["identifier 'def'", "value: Type = <literal>"]),
        ("print(1)\n", 1, ["identifier 'print'"]),
    ],
)
def test_python_errors(code: str, line: int, fragments: list[str]) -> None:
    with pytest.raises(ExampleSyntaxError) as info:
        read_example(code, "python")
    assert info.value.line == line, str(info.value)
    for fragment in fragments:
        assert fragment in str(info.value)


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    with pytest.raises(ExampleSyntaxError, match="levels of nesting"):
        read_example("let value = " + "[" * 5000 + "]" * 5000)


# -- round trips ------------------------------------------------------------------------------------

IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
CANONICAL_INT = re.compile(r"0|[1-9][0-9]{0,14}")

keys = st.one_of(st.from_regex(IDENTIFIER, fullmatch=True).filter(lambda k: len(k) <= 12), st.text(max_size=8))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=4),
    max_leaves=16,
)


def ts_string(text: str, rnd: Random) -> str:
    style = rnd.choice(['"', "'", "`", "json-ascii"])
    if style == '"':
        return json.dumps(text, ensure_ascii=False)
    if style == "json-ascii":
        return json.dumps(text)  # \uXXXX escapes, astral characters as surrogate pairs
    out = []
    for char in text:
        code = ord(char)
        if char == "\\" or char == style or (style == "`" and char == "$"):
            out.append("\\" + char)
        elif char == "\n" and style == "`":
            out.append(char)  # raw line break in a template literal
        elif code < 0x20 or code == 0x7F:
            out.append(rnd.choice([f"\\x{code:02x}", f"\\u{code:04x}", f"\\u{{{code:x}}}"]))
        elif code > 0xFFFF and rnd.random() < 0.5:
            out.append(f"\\u{{{code:X}}}")
        else:
            out.append(char)
    return style + "".join(out) + style


def ts_key(key: str, rnd: Random) -> str:
    if IDENTIFIER.fullmatch(key) or (CANONICAL_INT.fullmatch(key) and rnd.random() < 0.5):
        return key
    return ts_string(key, rnd)


def ts_comment(rnd: Random) -> str:
    return rnd.choice(["", "", " // note", " /* c */"])


def to_ts(value: Any, rnd: Random, indent: str = "") -> str:
    """`value` as a TypeScript literal: unquoted identifier keys, trailing commas, comments."""
    inner = indent + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        lines = [f"{inner}{ts_key(k, rnd)}: {to_ts(v, rnd, inner)},{ts_comment(rnd)}" for k, v in value.items()]
        return "{\n" + "\n".join(lines) + f"\n{indent}}}"
    if isinstance(value, list):
        if not value:
            return "[]"
        lines = [f"{inner}{to_ts(v, rnd, inner)},{ts_comment(rnd)}" for v in value]
        return "[\n" + "\n".join(lines) + f"\n{indent}]"
    if isinstance(value, str):
        return ts_string(value, rnd)
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    return repr(value)


def to_py(value: Any, rnd: Random, indent: str = "") -> str:
    """`value` as a Python literal: trailing commas, comments, implicitly concatenated strings."""
    inner = indent + "    "
    comment = rnd.choice(["", "", "  # note"])
    if isinstance(value, dict):
        if not value:
            return "{}"
        lines = [f"{inner}{to_py(k, rnd, inner)}: {to_py(v, rnd, inner)},{comment}" for k, v in value.items()]
        return "{\n" + "\n".join(lines) + f"\n{indent}}}"
    if isinstance(value, list):
        if not value:
            return "[]"
        lines = [f"{inner}{to_py(v, rnd, inner)},{comment}" for v in value]
        return "[\n" + "\n".join(lines) + f"\n{indent}]"
    if isinstance(value, str) and len(value) > 1 and rnd.random() < 0.3:
        cut = rnd.randrange(1, len(value))
        return f"{value[:cut]!r} {value[cut:]!r}"
    return repr(value)


@settings(max_examples=150, deadline=None)
@given(json_values, st.randoms(use_true_random=False))
def test_typescript_round_trip(value: Any, rnd: Random) -> None:
    code = f"{TS_IMPORT}let value: T = {to_ts(value, rnd)};\n"
    assert same(read_example(code), value), code


@settings(max_examples=150, deadline=None)
@given(json_values, st.randoms(use_true_random=False))
def test_python_round_trip(value: Any, rnd: Random) -> None:
    code = f"{PY_IMPORT}# example\nvalue: T = {to_py(value, rnd)}\n"
    assert same(read_example(code), value), code


PY_STRING_PIECES = [
    r"\n", r"\t", r"\\", r"\'", r"\"", r"\a", r"\b", r"\f", r"\v", r"\0", r"\7", r"\101", r"\1234",
    r"\x41", r"\xfF", r"\u00e9", r"\U0001F600", r"\N{EM DASH}", r"\d", r"\q", r"\u", "\\\n",
    "a", "é", "日", " ", "'", '"', "😀",
]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["", "r", "b", "rb", "u", "R", "Br"]), st.sampled_from(["'", '"', "'''", '"""']), st.lists(st.sampled_from(PY_STRING_PIECES), max_size=8))
def test_python_strings_match_the_python_parser(prefix: str, quote: str, pieces: list[str]) -> None:
    literal = prefix + quote + "".join(pieces) + quote
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            expected = ast.literal_eval(literal)
        except (SyntaxError, ValueError):
            with pytest.raises(ExampleSyntaxError):
                read_example(f"value = {literal}", "python")
            return
    if isinstance(expected, bytes):
        expected = expected.decode("latin-1")
    assert read_example(f"value = {literal}", "python") == expected


# -- the corpus -------------------------------------------------------------------------------------


# The folders in the dialects this reader knows (TypeScript and Python).
CORPUS_FOLDERS = ("mistral-ts-2024-08", "mistral-ts", "mistral-py", "ts-latitudesh", "python-latitudesh", "python-gusto-appint")


@pytest.fixture(scope="module")
def corpus_blocks() -> list[tuple[str, int, str, str]]:
    """(page, line, language, code) of every code block under `## Example Usage` in the corpus
    folders, enum pages aside (their `value = Action.CREATE` names a constant of the page:
    test_parse's corpus test reads those with the page)."""
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS}; it lives beside the project as ../shared/corpus")
    blocks = []
    for path in sorted(p for folder in CORPUS_FOLDERS for p in (CORPUS / folder).rglob("*.md")):
        text = path.read_text(encoding="utf-8-sig")
        if "## Example Usage" not in text or "## Values" in text:
            continue
        for section in read_page(text).sections:
            if section.title == "Example Usage":
                for block in section.blocks:
                    if block.kind == "code":
                        blocks.append((str(path.relative_to(CORPUS)), block.line, block.info, block.text))
    if not blocks:
        pytest.skip(f"no '## Example Usage' code blocks under {CORPUS}")
    return blocks


_ASSIGNS = re.compile(r"^(?:let|const|var)\s|^\w+\s*:.*=", re.MULTILINE)


def test_corpus_examples_read(corpus_blocks: list[tuple[str, int, str, str]], capsys: pytest.CaptureFixture[str]) -> None:
    counts: Counter[str] = Counter()
    failures = []
    for page, line, language, code in corpus_blocks:
        try:
            value = read_example(code)
        except ExampleSyntaxError as exc:
            failures.append(f"{page}:{line + exc.line}: {exc}")
            continue
        assert same(read_example(code, language), value), f"{page}:{line}: the dialect told from the block differs from ```{language}"
        got_none = value is NO_EXAMPLE
        assert got_none == (not _ASSIGNS.search(code)), f"{page}:{line}: {'NO_EXAMPLE' if got_none else 'a value'} from {code!r}"
        counts[f"{language}: {'NO_EXAMPLE' if got_none else 'value'}"] += 1
    assert not failures, f"{len(failures)} blocks do not read:\n" + "\n".join(failures[:20])
    with capsys.disabled():
        print(f"\ncorpus Example Usage blocks: {sum(counts.values())} ({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))})")


def test_corpus_spot_checks(corpus_blocks: list[tuple[str, int, str, str]]) -> None:
    by_page = {page: code for page, _, _, code in corpus_blocks}
    request = "mistral-ts/models/components/chatcompletionrequest.md"
    if request in by_page:
        check(by_page[request], {
            "model": "mistral-large-latest",
            "messages": [{"role": "user", "content": "Who is the best French painter? Answer in one short sentence."}],
            "responseFormat": {"type": "text"},
        })
    agent = "mistral-ts/models/components/agent.md"
    if agent in by_page:
        value = read_example(by_page[agent])
        assert isinstance(value, dict) and value["createdAt"] == "2024-08-23T06:20:02.699Z"
    enum = "mistral-py/models/toolchoiceenum.md"
    if enum in by_page:
        check(by_page[enum], "auto")
