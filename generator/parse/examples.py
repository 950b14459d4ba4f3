"""`## Example Usage` code blocks -> JSON values.

A block is a few statements: imports, comments, and one assignment whose value is the example:

    let value: ChatCompletionRequest = { model: "mistral-large-latest", messages: [] };   (TypeScript)
    value: ToolChoiceEnum = "auto"                                                       (Python)

`read_example` reads that value with a small hand-written lexer (`literals.py`) and a
recursive-descent reader per dialect (nothing is evaluated). Object keys stay exactly as written.
What is not a literal is an `ExampleSyntaxError` carrying the 1-based line within the block,
except for the placeholders the SDK generators write where a literal cannot stand, which read as
follows:

TypeScript
    new Date("2024-08-23T06:20:02.699Z"), new RFCDate("2024-08-23")   -> the string inside
    await openAsBlob("./sample.pdf")                                  -> the string inside (the path)
    new TextEncoder().encode("0xAbC")                                 -> the string inside
    BigInt(123), BigInt("123"), 123n                                  -> the int
    new Decimal("3.14"), new Decimal(3.14)                            -> the number (int or float)
    undefined                                                         -> absent (an object key is
                                                                         dropped, an array item is
                                                                         null, a whole example is
                                                                         NO_EXAMPLE), as JSON.stringify
Python
    dateutil.parser.isoparse("..."), dateutil.parser.parse("...")[.date()],
    datetime.fromisoformat("..."), date.fromisoformat("...") (plain or dotted)  -> the string inside
    open("./sample.pdf", "rb")                                        -> the string inside (the path)
    Decimal("3.14"), decimal.Decimal("3.14")                          -> the number (int or float)
    b"..." bytes                                                      -> a string of the byte values
    (1, 2) tuples                                                     -> a list
    value: T = /* values here */                                      -> NO_EXAMPLE

Both: `/* ... */` alone where the value goes (`let value: T = /* values here */;`) is NO_EXAMPLE, as
is a block with no assignment (imports and comments only) or a declaration without a value.
`"<value>"` placeholders are ordinary strings and stay so.
"""

from __future__ import annotations

import json
import keyword
import math
import re
from collections.abc import Callable, Mapping
from typing import Final, NoReturn, Union

from ..ir import JSONValue
from .literals import TS_INT, Dialect, Lexer, Token
from .literals import ExampleSyntaxError as ExampleSyntaxError  # raised by read_example: part of its API


class _NoExample:
    """The type of NO_EXAMPLE: a block that holds no example value."""

    _instance: _NoExample | None = None

    def __new__(cls) -> _NoExample:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NO_EXAMPLE"

    def __reduce__(self) -> str:
        return "NO_EXAMPLE"


NO_EXAMPLE: Final = _NoExample()
"""What `read_example` returns for a block that holds no example (test with `is`)."""


def read_example(code: str, language: str | None = None, constants: Mapping[str, JSONValue] | None = None) -> JSONValue | _NoExample:
    """The example value assigned in a code block, or NO_EXAMPLE.

    `language` is the fence's info string (`typescript`, `ts`, `python`, `py`, ...); without it
    (or with another one) the dialect is told from the block itself. `constants` are the named
    values the block may refer to, by the last two parts of their dotted name: an enum page's
    `value = Action.CREATE` reads with `{"Action.CREATE": "create"}`.
    """
    code = code.replace("\r\n", "\n").replace("\r", "\n")
    dialect = _dialect_named(language) or _dialect_of(code)
    if dialect is not None:
        return _read(code, dialect, constants or {})
    try:  # nothing tells: `value = {...}` reads the same in both, and only one may read at all
        return _read(code, "typescript", constants or {})
    except ExampleSyntaxError as ts_error:
        try:
            return _read(code, "python", constants or {})
        except ExampleSyntaxError:
            raise ts_error from None


_VALUE = re.compile(r"^[ \t]*(?:[\w.<>?\[\]\\,]+[ \t]+)?\$?value[ \t]*:?=[ \t]*(?P<value>.+?)[ \t;]*$", re.MULTILINE)
_DOTTED = re.compile(r"[A-Za-z_]\w*(?:(?:\.|::|\\)[A-Za-z_]\w*)+")


def read_code_example(code: str, constants: Mapping[str, JSONValue] | None = None) -> JSONValue | _NoExample:
    """The example in a code block of an SDK language docmodels has no literal reader for (Go,
    Java, C#, PHP, Ruby): `value := components.UnitPercent`, `Status value = Status.ACTIVE;`,
    `var value = Kind.Static;`, `$value = ...;`, `value = Models::Kind::STATIC` name one of
    `constants` (by the last two parts of the name, or the last alone); a string, number, true,
    false or null reads as itself. NO_EXAMPLE where the block assigns no `value`; anything else
    (a struct or object built in code) raises ExampleSyntaxError."""
    code = code.replace("\r\n", "\n").replace("\r", "\n")
    match = _VALUE.search(code)
    if match is None:
        return NO_EXAMPLE
    value, line = match["value"], code.count("\n", 0, match.start()) + 1
    if _DOTTED.fullmatch(value):
        parts = re.split(r"\.|::|\\", value)
        for key in (".".join(parts[-2:]), parts[-1]):
            if constants and key in constants:
                return constants[key]
        raise ExampleSyntaxError(line, f"found '{value}'; expected a constant of this page or a literal value")
    try:
        return _read(f"let value = {value};", "typescript", {})
    except ExampleSyntaxError:
        raise ExampleSyntaxError(line, f"found '{value[:40]}'; expected a constant of this page or a literal value") from None


def _read(code: str, dialect: Dialect, constants: Mapping[str, JSONValue]) -> JSONValue | _NoExample:
    parser = _Parser(Lexer(code, dialect).run(), dialect, constants)
    return parser.program()


# -- dialects -----------------------------------------------------------------------------------------

_TS_NAMES = {"typescript", "ts", "tsx", "javascript", "js", "jsx", "mjs"}
_PY_NAMES = {"python", "py", "python3", "py3"}
_TS_LINE = re.compile(r"""(?:export\s+)?(?:let|const|var)\b|//|/\*|import\s*[{*]|import\s+type\b|import\s+[\w$]+\s*(?:,|from\b)|import\s*["']""")
_PY_LINE = re.compile(r"#|from\s+[\w.]+\s+import\b|import\s+[\w.]+\s*(?:as\s+\w+\s*)?(?:,|$)|[A-Za-z_]\w*\s*:[^=]*=")


def _dialect_named(language: str | None) -> Dialect | None:
    name = (language or "").strip().lower()
    if name in _TS_NAMES:
        return "typescript"
    if name in _PY_NAMES:
        return "python"
    return None


def _dialect_of(code: str) -> Dialect | None:
    """The dialect the first telling line is in (an import, a comment, a declaration)."""
    for line in code.split("\n"):
        line = line.strip()
        if _TS_LINE.match(line):
            return "typescript"
        if _PY_LINE.match(line):
            return "python"
    return None


# -- placeholders -----------------------------------------------------------------------------------

_CALL: Final = "()"
"""A call in a placeholder signature: ("new", "Date", _CALL) is `new Date(...)`."""

_Args = list[list[JSONValue]]
"""The arguments of each call in a placeholder, in order."""


def _one_string(form: str) -> Callable[[_Args], JSONValue]:
    def read(args: _Args) -> JSONValue:
        last = args[-1]
        if not last or not isinstance(last[0], str) or any(args[:-1]):
            raise ValueError(f"expected {form} with a string")
        return last[0]

    return read


def _first_string(form: str) -> Callable[[_Args], JSONValue]:
    def read(args: _Args) -> JSONValue:
        if not args[0] or not isinstance(args[0][0], str):
            raise ValueError(f"expected {form} with a string first")
        return args[0][0]

    return read


def _big_int(args: _Args) -> JSONValue:
    value = args[0][0] if len(args[0]) == 1 else None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and TS_INT.fullmatch(value.strip()) and not value.strip().endswith("n"):
        return int(value.strip().replace("_", ""), 0)
    raise ValueError("expected BigInt(...) with one integer or a string of one")


def _decimal(form: str) -> Callable[[_Args], JSONValue]:
    def read(args: _Args) -> JSONValue:
        value = args[0][0] if len(args[0]) == 1 else None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        if isinstance(value, str):
            text = value.strip()
            if re.fullmatch(r"[+-]?[0-9]+", text):
                return int(text)
            if re.fullmatch(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", text) and math.isfinite(float(text)):
                return float(text)
        raise ValueError(f"expected {form} with one number or a string of one")

    return read


_Signature = tuple[str, ...]
_TS_PLACEHOLDERS: dict[_Signature, Callable[[_Args], JSONValue]] = {
    ("new", "Date", _CALL): _one_string('new Date("...")'),
    ("new", "RFCDate", _CALL): _one_string('new RFCDate("...")'),
    ("await", "openAsBlob", _CALL): _one_string('await openAsBlob("...")'),
    ("new", "TextEncoder", _CALL, "encode", _CALL): _one_string('new TextEncoder().encode("...")'),
    ("BigInt", _CALL): _big_int,
    ("new", "Decimal", _CALL): _decimal('new Decimal("...")'),
}
_PY_PLACEHOLDERS: dict[_Signature, Callable[[_Args], JSONValue]] = {
    ("dateutil", "parser", "isoparse", _CALL): _one_string('dateutil.parser.isoparse("...")'),
    ("dateutil", "parser", "parse", _CALL): _one_string('dateutil.parser.parse("...")'),
    ("dateutil", "parser", "parse", _CALL, "date", _CALL): _first_string('dateutil.parser.parse("...").date()'),
    ("datetime", "fromisoformat", _CALL): _one_string('datetime.fromisoformat("...")'),
    ("datetime", "datetime", "fromisoformat", _CALL): _one_string('datetime.datetime.fromisoformat("...")'),
    ("date", "fromisoformat", _CALL): _one_string('date.fromisoformat("...")'),
    ("datetime", "date", "fromisoformat", _CALL): _one_string('datetime.date.fromisoformat("...")'),
    ("open", _CALL): _first_string('open("...", "rb")'),
    ("Decimal", _CALL): _decimal('Decimal("...")'),
    ("decimal", "Decimal", _CALL): _decimal('decimal.Decimal("...")'),
}
_TS_KNOWN = 'new Date("..."), await openAsBlob("..."), BigInt(...) and the like'
_PY_KNOWN = 'dateutil.parser.isoparse("..."), open("...", "rb"), Decimal("...") and the like'


# -- reader -----------------------------------------------------------------------------------------


class _Undefined:
    """TypeScript `undefined`: an absent value."""


_UNDEFINED: Final = _Undefined()
_MAX_DEPTH = 200
_Value = Union[JSONValue, _Undefined]


def _describe(token: Token) -> str:
    if token.kind == "eof":
        return "the end of the code block"
    if token.kind == "newline":
        return "the end of the line"
    if token.kind == "string":
        text = token.text if len(token.text) <= 40 else token.text[:37] + "..."
        return f"string {text}"
    if token.kind == "number":
        return f"number {token.text}"
    if token.kind == "name":
        return f"'{token.text}'" if token.text in ("let", "const", "var", "import", "from") else f"identifier '{token.text}'"
    if token.kind == "comment":
        return f"comment '{token.text}'"
    return f"'{token.text}'"


def _key_text(value: JSONValue, line: int) -> str:
    """A number or Python constant used as an object key, as JSON would spell it."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e21 else repr(value)
    raise ExampleSyntaxError(line, f"{type(value).__name__} as a key; expected a string or a number")


class _Parser:
    def __init__(self, tokens: list[Token], dialect: Dialect, constants: Mapping[str, JSONValue]) -> None:
        self.tokens = tokens
        self.constants = constants
        self.k = 0
        self.ts = dialect == "typescript"
        self.depth = 0
        self.literal = (
            "a literal value (a string, number, object, array, true, false or null)"
            if self.ts
            else "a literal value (a string, number, dict, list, True, False or None)"
        )

    # -- tokens -----------------------------------------------------------------------------------

    def peek(self, ahead: int = 0) -> Token:
        return self.tokens[min(self.k + ahead, len(self.tokens) - 1)]

    def next(self) -> Token:
        token = self.tokens[self.k]
        if token.kind != "eof":
            self.k += 1
        return token

    def at(self, text: str, kind: str = "punct") -> bool:
        token = self.peek()
        return token.kind == kind and token.text == text

    def fail(self, token: Token, expected: str) -> NoReturn:
        raise ExampleSyntaxError(token.line, f"found {_describe(token)}; expected {expected}")

    def expect(self, text: str, expected: str) -> Token:
        if not self.at(text):
            self.fail(self.peek(), expected)
        return self.next()

    def at_end_of_statement(self) -> bool:
        return self.peek().kind in ("eof", "newline") or self.at(";")

    # -- statements -------------------------------------------------------------------------------

    def program(self) -> JSONValue | _NoExample:
        found: tuple[JSONValue | _NoExample, int] | None = None
        while self.peek().kind != "eof":
            token = self.peek()
            if token.kind in ("newline", "comment") or self.at(";"):
                self.next()
                continue
            if token.kind == "name" and token.text == "import" or (not self.ts and token.kind == "name" and token.text == "from"):
                self.skip_import()
                continue
            if not self.ts and token.kind == "name" and token.text == "pass":
                self.next()
                continue
            target = self.assignment_start()
            if found is not None:
                message = f"a second assignment, to '{target.text}'; expected one example per code block (the first is on line {found[1]})"
                raise ExampleSyntaxError(target.line, message)
            found = (self.assignment(), target.line)
        return NO_EXAMPLE if found is None else found[0]

    def skip_import(self) -> None:
        start = self.next()
        if self.ts:  # import ... "module" [;]
            while True:
                token = self.next()
                if token.kind == "string":
                    break
                if token.kind == "eof":
                    self.fail(token, f"'from \"module\"' to end the import on line {start.line}")
            if self.at(";"):
                self.next()
        else:  # one logical line
            while not self.at_end_of_statement():
                self.next()

    def assignment_start(self) -> Token:
        """Reads up to the variable's name and returns it."""
        token = self.peek()
        usage = "let value: Type = <literal>;" if self.ts else "value: Type = <literal>"
        if self.ts:
            if token.kind == "name" and token.text == "export":
                self.next()
                token = self.peek()
                if not (token.kind == "name" and token.text in ("let", "const", "var")):
                    self.fail(token, "'let', 'const' or 'var' after 'export'")
            if token.kind == "name" and token.text in ("let", "const", "var"):
                self.next()
                name = self.next()
                if name.kind != "name":
                    self.fail(name, f"a variable name after '{token.text}'")
                return name
        if token.kind == "name" and not (not self.ts and keyword.iskeyword(token.text)) and self.peek(1).kind == "punct" and self.peek(1).text in (":", "="):
            return self.next()
        self.fail(token, f"an import, a comment or an assignment such as `{usage}`")

    def assignment(self) -> JSONValue | _NoExample:
        if self.at(":"):
            self.skip_annotation()
        if not self.at("="):
            if self.at_end_of_statement():  # a declaration without a value
                if self.at(";"):
                    self.next()
                return NO_EXAMPLE
            self.fail(self.peek(), "'=' and the example value")
        equals = self.next()
        value = self.top_value(equals)
        if self.at(";"):
            self.next()
        elif self.ts and self.peek().kind != "eof" and self.peek().line == self.tokens[self.k - 1].line:
            self.fail(self.peek(), "';' or a line break after the example value")
        elif not self.ts and self.peek().kind not in ("newline", "eof"):
            self.fail(self.peek(), "the end of the line after the example value")
        return value

    def skip_annotation(self) -> None:
        colon = self.next()
        depth = 0
        while True:
            token = self.peek()
            if token.kind == "eof" or (token.kind == "newline" and depth == 0):
                return
            if token.kind == "punct":
                if token.text in ("(", "[", "{") or (self.ts and token.text == "<"):
                    depth += 1
                elif token.text in (")", "]", "}") or (self.ts and token.text == ">"):
                    depth -= 1
                    if depth < 0:
                        self.fail(token, f"a type after ':' on line {colon.line}")
                elif depth == 0 and token.text in ("=", ";"):
                    return
            self.next()

    def top_value(self, equals: Token) -> JSONValue | _NoExample:
        token = self.peek()
        if self.ts and token.after_comment and (self.at(";") or token.kind == "eof"):
            return NO_EXAMPLE  # let value: T = /* values here */;
        if token.kind == "comment":
            self.next()
            if self.peek().kind not in ("newline", "eof"):
                self.fail(self.peek(), "the end of the line after the placeholder comment")
            return NO_EXAMPLE  # value: T = /* values here */
        if self.at_end_of_statement():
            self.fail(token, f"{self.literal} after '=' on line {equals.line}")
        value = self.value()
        return NO_EXAMPLE if isinstance(value, _Undefined) else value

    # -- values -----------------------------------------------------------------------------------

    def value(self) -> _Value:
        self.depth += 1
        try:
            if self.depth > _MAX_DEPTH:
                self.fail(self.peek(), f"at most {_MAX_DEPTH} levels of nesting")
            return self.value_inner()
        finally:
            self.depth -= 1

    def value_inner(self) -> _Value:
        token = self.peek()
        if token.kind == "string":
            return self.string()
        if token.kind == "number":
            return self.next().value
        if token.kind == "punct":
            if token.text in "-+":
                self.next()
                number = self.peek()
                if number.kind != "number":
                    self.fail(number, f"a number after '{token.text}'")
                self.next()
                assert isinstance(number.value, (int, float))
                return -number.value if token.text == "-" else number.value
            if token.text == "{":
                return self.object() if self.ts else self.dict()
            if token.text == "[":
                return self.array()
            if token.text == "(":
                return self.group()
        if token.kind == "name":
            constants: dict[str, _Value] = (
                {"true": True, "false": False, "null": None, "undefined": _UNDEFINED} if self.ts else {"True": True, "False": False, "None": None}
            )
            if token.text in constants:
                self.next()
                return constants[token.text]
            if (constant := self.constant()) is not None:
                return constant
            return self.placeholder()
        self.fail(token, self.literal)

    def string(self) -> str:
        token = self.next()
        assert isinstance(token.value, str)
        parts = [token.value]
        while not self.ts and self.peek().kind == "string":  # Python: "implicit " "concatenation"
            more = self.next()
            if more.is_bytes != token.is_bytes:
                raise ExampleSyntaxError(more.line, "bytes and str literals side by side; expected strings of one kind")
            assert isinstance(more.value, str)
            parts.append(more.value)
        return "".join(parts)

    def closing(self, open_token: Token, close: str) -> str:
        return f"'{close}' to close the '{open_token.text}' on line {open_token.line}"

    def object(self) -> dict[str, JSONValue]:
        """A TypeScript object literal: keys are names, strings or numbers."""
        open_token = self.next()
        result: dict[str, JSONValue] = {}
        while not self.at("}"):
            key_token = self.next()
            if key_token.kind == "name":
                key = key_token.text
            elif key_token.kind in ("string", "number"):
                assert key_token.value is not None
                key = _key_text(key_token.value, key_token.line)
            else:
                self.fail(key_token, f"a key or {self.closing(open_token, '}')}")
            self.expect(":", f"':' and a value after key '{key}'")
            value = self.value()
            if isinstance(value, _Undefined):
                result.pop(key, None)
            else:
                result.pop(key, None)  # a repeated key takes the place of the last one, as in JS
                result[key] = value
            if not self.at(","):
                break
            self.next()
        self.expect("}", f"',' or {self.closing(open_token, '}')}")
        return result

    def dict(self) -> dict[str, JSONValue]:
        """A Python dict display: keys are strings (or numbers, True, False, None, spelt as JSON)."""
        open_token = self.next()
        result: dict[str, JSONValue] = {}
        while not self.at("}"):
            key_token = self.peek()
            if self.at("**") or key_token.kind == "eof":
                self.fail(key_token, f"a key or {self.closing(open_token, '}')}")
            raw = self.value()
            assert not isinstance(raw, _Undefined)
            if isinstance(raw, (list, dict)):
                raise ExampleSyntaxError(key_token.line, f"a {type(raw).__name__} as a dict key; expected a string")
            key = _key_text(raw, key_token.line)
            if not self.at(":"):
                if self.at(",") or self.at("}"):
                    self.fail(self.peek(), f"':' after key {key_token.text} (set literals are not JSON)")
                self.fail(self.peek(), f"':' and a value after key {key_token.text}")
            self.next()
            value = self.value()
            assert not isinstance(value, _Undefined)
            result.pop(key, None)
            result[key] = value
            if not self.at(","):
                break
            self.next()
        self.expect("}", f"',' or {self.closing(open_token, '}')}")
        return result

    def array(self) -> list[JSONValue]:
        open_token = self.next()
        return self.items(open_token, "]")

    def items(self, open_token: Token, close: str) -> list[JSONValue]:
        result: list[JSONValue] = []
        while not self.at(close):
            if self.at(",") or self.peek().kind == "eof":
                self.fail(self.peek(), f"an item or {self.closing(open_token, close)}")
            value = self.value()
            result.append(None if isinstance(value, _Undefined) else value)  # as JSON.stringify
            if not self.at(","):
                break
            self.next()
        self.expect(close, f"',' or {self.closing(open_token, close)}")
        return result

    def group(self) -> _Value:
        """`(value)`; in Python also a tuple, read as a list."""
        open_token = self.next()
        if not self.ts and self.at(")"):
            self.next()
            return []
        value = self.value()
        if self.at(")"):
            self.next()
            return value
        if self.ts or not self.at(","):
            self.fail(self.peek(), self.closing(open_token, ")"))
        self.next()
        assert not isinstance(value, _Undefined)
        return [value, *self.items(open_token, ")")]

    def constant(self) -> JSONValue | None:
        """A dotted name of one of `constants` (`models.Action.CREATE`), read; else None, nothing read."""
        parts, ahead = [self.peek().text], 1
        while self.peek(ahead).kind == "punct" and self.peek(ahead).text == "." and self.peek(ahead + 1).kind == "name":
            parts.append(self.peek(ahead + 1).text)
            ahead += 2
        key = ".".join(parts[-2:])
        if len(parts) < 2 or key not in self.constants or (self.peek(ahead).kind == "punct" and self.peek(ahead).text in "(["):
            return None
        self.k += ahead
        return self.constants[key]

    def placeholder(self) -> JSONValue:
        """A known placeholder call (`new Date("...")`) or an error naming what was found."""
        table = _TS_PLACEHOLDERS if self.ts else _PY_PLACEHOLDERS
        start = self.next()
        signature: _Signature = (start.text,)
        shown = start.text
        args: _Args = []

        def check() -> None:
            if not any(known[: len(signature)] == signature for known in table):
                shown_text = shown
                while self.at(".") and self.peek(1).kind == "name":  # name all of `Math.PI`
                    self.next()
                    shown_text += "." + self.next().text
                what = "call" if self.at("(") or signature[-1] == _CALL else "identifier"
                shown_text += "(...)" if self.at("(") else ""
                known = _TS_KNOWN if self.ts else _PY_KNOWN
                raise ExampleSyntaxError(start.line, f"found {what} '{shown_text}'; expected {self.literal} or a placeholder such as {known}")

        check()
        while True:
            if signature[-1] in ("new", "await") and len(signature) == 1 and self.peek().kind == "name":
                name = self.next().text
                signature += (name,)
                shown += f" {name}"
            elif self.at(".") and self.peek(1).kind == "name":
                self.next()
                name = self.next().text
                signature += (name,)
                shown += f".{name}"
            elif self.at("("):
                check()
                open_token = self.next()
                call_args = self.items(open_token, ")")
                signature += (_CALL,)
                shown += "(...)"
                args.append(call_args)
            else:
                break
            check()
        read = table.get(signature)
        if read is None:
            check()  # a prefix of a placeholder, not the whole of one
            known = _TS_KNOWN if self.ts else _PY_KNOWN
            raise ExampleSyntaxError(start.line, f"found incomplete '{shown}'; expected {self.literal} or a placeholder such as {known}")
        try:
            return read(args)
        except ValueError as exc:
            raise ExampleSyntaxError(start.line, f"found '{shown}' with other arguments; {exc}") from None
