"""Type cells of the Go dialect: Go types as Speakeasy's Go generator writes them into its docs.

Newer generators write a type in a code span (`` `*string` ``, ``[]`string` ``,
``map[string]`any` ``), older ones in emphasis (`*string*`, `**string*`: emphasis around
`*string`, `[]*string*`, `*[]byte*`); both link models, enums and unions (`[*components.X](...)`,
`[][components.X](...)`), the standard library's types (`[*time.Time](https://pkg.go.dev/time#Time)`,
`[*big.Int](...)`, `[*decimal.Big](...)`) and the SDK's date type (`[*types.Date](../../types/date.md)`).
Union member headings name a model (`### Pet`) or are empty, with the member's type only in the
code block under them (`components.CreateUnionStr(string{/* values here */})`).

What a pointer says. Speakeasy's Go generator makes a field's type a pointer when the field is
optional or nullable (`sanitizeFieldType`: `optional || nullable`), except for types whose zero
value is already nil (slices, maps, `any`, `[]byte`, streams), and wraps a field that is both in
`optionalnullable.OptionalNullable[T]` where the SDK is configured to. Items of arrays and values
of maps are pointers where the schema says they may be null. So:

- `optionalnullable.OptionalNullable[T]`: nullable;
- a pointer on a required field: nullable; a bare type on a required field: not nullable;
- an optional field, or a type that is never or always a pointer (`[]T`, `map[string]T`, `any`,
  `[]byte`, `*big.Int`, `*decimal.Big`): the cell does not say;
- `[]*T`, `map[string]*T`: the items (values) may be null.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it.token import Token

from .. import ir
from .cells import Cursor, Lexeme, SdkOnly, TypeSyntaxError, Word, lex, linked_page, well_known

NAME = "go"
FENCES = frozenset({"go", "golang"})
_BUILTIN = r"(?:string|bool|any|u?int(?:8|16|32|64)?|float(?:32|64)|byte|interface\{\})"
_SIZED = r"(?:u?int(?:8|16|32|64)|uint|float(?:32|64)|interface\{\})"
CUES = re.compile(
    # Every Go type in emphasis, as older docs write them (`**string*` is emphasis around
    # `*string`): `*string*`, `*bool*`, `*int*` and `*any*` are other dialects' too, and are
    # claimed so that a Go page's cells are all accounted for by Go. In code spans, pointers and
    # Go's sized names only: other dialects head union members with `` `string` `` and `` `int` ``.
    rf"`\*{_BUILTIN}`|`{_SIZED}`|\*\*?{_BUILTIN}\*|\*\[\]byte\*|"
    # Slices and maps written in front (`[]*string*`, ``[]`string` ``, `[][components.X](...)`).
    r"(?:^|\s)(?:\[\])+(?:[`*]|\[[^\]]|map\[)|\bmap\[string\]|"
    # Pointers to linked models, the standard library's docs, the SDK's wrappers.
    r"\[\*[A-Za-z_][\w.]*\]\(|pkg\.go\.dev/|\btime\.Time\b|\btypes\.Date\b|\boptionalnullable\.OptionalNullable\["
)
"""What Go type cells say."""

EXPECTED = (
    "expected `string`, `*string`, `int64`, `float64`, `bool`, `any`, [*time.Time](...), "
    "[*types.Date](...), a link to a model page such as [*components.X](...), []T, map[string]T "
    "or optionalnullable.OptionalNullable[T] (older docs: *string*, **string*, []*string*)"
)

_NAMED: dict[str, ir.PrimitiveKind] = {
    "string": "string",
    "bool": "boolean",
    "any": "any",
    "interface{}": "any",
    "float32": "number",
    "float64": "number",
    "time.Time": "date-time",
    "types.Date": "date",
    "big.Int": "integer",
    "decimal.Big": "number",
    "io.Reader": "binary",
    "io.ReadCloser": "binary",
    **{name: "integer" for name in ("int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64")},
}
# Types the generator never writes as a pointer (nil is their zero value), or always does (their
# methods need a pointer receiver): a pointer, or none, says nothing of the field.
_NO_POINTER_SAYS = frozenset({"any", "interface{}", "io.Reader", "io.ReadCloser", "big.Int", "decimal.Big"})
# The HTTP library's objects, which the SDK attaches to results (`HTTPMeta`, `RawResponse`).
_SDK_ONLY = frozenset({"http.Response", "http.Request"})
# Streams of server-sent events and of JSON lines: a sequence of T on the wire.
_STREAMS = frozenset({"stream.EventStream", "jsonl.JsonLStream"})
# Go packages of libraries, not of the SDK's models: a name in one that is not above is unknown.
# Any other package (`components`, `operations`, `shared`, `sdkerrors`, `wallets`) holds models.
_LIBRARIES = frozenset({"time", "big", "decimal", "io", "http", "types", "stream", "jsonl", "optionalnullable", "json", "context", "os", "bytes"})
_OPTIONAL_NULLABLE = "optionalnullable.OptionalNullable"
_TOKEN = re.compile(r'\[\]|\{\}|[*\[\](){},]|"(?:[^"\\]|\\.)*"|[A-Za-z_][\w.]*|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|\S')
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")


@dataclass(frozen=True, slots=True)
class GoType:
    type: ir.TypeExpr
    pointer: bool
    """The outermost type is a pointer (`*string`)."""
    says_null: bool
    """Whether a pointer (or none) on this type says anything about null: false for the types the
    generator never or always makes pointers (slices, maps, `any`, `[]byte`, `*big.Int`)."""
    optional_nullable: bool = False
    """The type is `optionalnullable.OptionalNullable[T]`."""


def parse_cell(inline: tuple[Token, ...], page: str, required: bool) -> tuple[ir.TypeExpr, bool | None]:
    """A Type cell's type, and whether the cell says the field is nullable (None: it does not):
    `OptionalNullable[T]` is; on a required field a pointer is and a bare type is not."""
    parsed = parse_type(inline, page)
    if parsed.optional_nullable:
        return parsed.type, True
    if not required or not parsed.says_null:
        return parsed.type, None
    return parsed.type, parsed.pointer


def parse_type(inline: tuple[Token, ...], page: str) -> GoType:
    """Parse a Type cell's inline tokens; `page` is the project-relative path links resolve from."""
    return parse_lexemes(lex(inline), page)


def parse_code(text: str, page: str) -> GoType:
    """Parse a type written as plain Go (`[]*components.MethodEnum`, `map[string]any`)."""
    return _parse(_words(text), page)


def parse_lexemes(lexemes: list[Lexeme], page: str) -> GoType:
    # Emphasis and code spans only mark a type (`**string*` is `*` then emphasis around `string`),
    # so what is inside them reads as plain Go; a link's text is a type whose words keep the href.
    words: list[Word] = []
    for kind, text, href in lexemes:
        words.extend(_words(text, href) if kind == "link" else _words(text))
    return _parse(words, page)


def parse_member_code(code: str, page: str) -> ir.TypeExpr:
    """The type of a union member from the code under its empty heading: the argument of the
    union's constructor, a composite literal (`string{/* values here */}`,
    `[]*components.MethodEnum{...}`), a conversion (`int64(0)`) or a zero value (`""`, `false`)."""
    argument = _constructor_argument(code)
    if argument is None:
        raise TypeSyntaxError("no constructor call such as `components.CreateUnionStr(string{...})` in the code under the heading")
    words = _words(argument)
    if len(words) == 1 and (literal := _zero_value(words[0].text)) is not None:
        return literal
    # Drop the literal's body, `{...}` or `(...)`: what is left is the type.
    for i, word in enumerate(words):
        if word.text in ("{", "(") or (word.text == "{}" and i > 0 and words[i - 1].text != "interface"):
            words = words[:i]
            break
    if not words:
        raise TypeSyntaxError(f"no type in the constructor's argument '{argument}'")
    return _parse(words, page).type


def _constructor_argument(code: str) -> str | None:
    """The text between the parentheses of the first call in `code` (after `:=` where there is one)."""
    start = code.find(":=")
    match = re.compile(r"[A-Za-z_][\w.]*\s*\(").search(code, 0 if start < 0 else start + 2)
    if match is None:
        return None
    depth, i = 1, match.end()
    while i < len(code):
        char = code[i]
        if char in "({[":
            depth += 1
        elif char in ")}]":
            depth -= 1
            if depth == 0:
                return code[match.end() : i].strip()
        elif char == '"':
            i += 1
            while i < len(code) and code[i] != '"':
                i += 2 if code[i] == "\\" else 1
        elif code.startswith("/*", i):
            end = code.find("*/", i + 2)
            i = len(code) if end < 0 else end + 1
        i += 1
    return None


def _zero_value(text: str) -> ir.TypeExpr | None:
    if text.startswith('"'):
        return ir.Primitive("string")
    if text in ("true", "false"):
        return ir.Primitive("boolean")
    if re.fullmatch(r"-?\d+", text):
        return ir.Primitive("integer")
    if re.fullmatch(r"-?\d+\.\d+(?:[eE][-+]?\d+)?|-?\d+[eE][-+]?\d+", text):
        return ir.Primitive("number")
    return None


def _words(text: str, href: str = "") -> list[Word]:
    return [Word(m.group(), href, text if href else "") for m in _TOKEN.finditer(text)]


def _parse(words: list[Word], page: str) -> GoType:
    if not words:
        raise TypeSyntaxError("the Type is empty")
    parser = _Parser(words, page)
    if words[0].text == _OPTIONAL_NULLABLE:
        parser.pos = 1
        inner = parser.generic_argument(_OPTIONAL_NULLABLE)
        result = GoType(inner.type, False, False, optional_nullable=True)
    else:
        result = parser.type()
    if parser.pos != len(words):
        raise TypeSyntaxError(f"unexpected '{words[parser.pos].text}'")
    return result


def _nullable(t: ir.TypeExpr) -> ir.TypeExpr:
    """`t` or null: a pointer inside a slice or map."""
    members = t.members if isinstance(t, ir.OneOf) else (t,)
    return t if ir.LiteralValue(None) in members else ir.OneOf((*members, ir.LiteralValue(None)))


class _Parser(Cursor):

    def generic_argument(self, name: str) -> GoType:
        self.take("[")
        if self.peek() == "]":
            raise TypeSyntaxError(f"{name}[...] takes a type")
        inner = self.type()
        self.take("]")
        return inner

    def element(self) -> ir.TypeExpr:
        """The item type of a slice or the value type of a map: a pointer there means null is
        one of the values."""
        inner = self.type()
        return _nullable(inner.type) if inner.pointer else inner.type

    def type(self) -> GoType:
        text = self.peek()
        if text is None:
            raise TypeSyntaxError("the type ends too early")
        if text == "*":
            self.pos += 1
            if self.peek() == "*":
                raise TypeSyntaxError("a pointer to a pointer ('**'); expected one '*' at most")
            inner = self.type()
            if inner.pointer:
                raise TypeSyntaxError("a pointer to a pointer; expected one '*' at most")
            return GoType(inner.type, True, inner.says_null)
        if text == "[]":
            self.pos += 1
            if self.peek() == "byte":  # []byte: file content, written without a pointer
                self.pos += 1
                return GoType(ir.Primitive("binary"), False, False)
            return GoType(ir.Array(self.element()), False, False)
        if text == "map":
            self.pos += 1
            self.take("[")
            key = self.take()
            if key.text != "string":
                raise TypeSyntaxError(f"map key type '{key.text}'; only string keys are supported")
            self.take("]")
            return GoType(ir.Map(self.element()), False, False)
        return self.named()

    def named(self) -> GoType:
        word = self.take()
        text = word.text
        if text == "interface":
            self.take("{}")
            text = "interface{}"
        if text in _SDK_ONLY:
            raise SdkOnly(text)
        if word.href and (known := well_known(text, word.href)) is not None:
            return GoType(known, False, True)
        if text in _STREAMS:
            return GoType(ir.Array(self.generic_argument(text).type), False, False)
        if text == _OPTIONAL_NULLABLE:
            raise TypeSyntaxError(f"{text}[...] inside another type; expected it around a field's whole type")
        if text in _NAMED:
            if word.href and "pkg.go.dev" not in word.href and "://" in word.href:
                raise TypeSyntaxError(f"link '{word.link}' points at '{word.href}', not at Go's package docs")
            return GoType(ir.Primitive(_NAMED[text]), False, text not in _NO_POINTER_SAYS)
        if word.href and "pkg.go.dev" in word.href:
            raise TypeSyntaxError(f"unknown Go library type '{text}' (linked to {word.href})")
        package, _, name = text.rpartition(".")
        qualified = _IDENTIFIER.fullmatch(package) is not None and package.islower() and package not in _LIBRARIES
        # A bare name is a model where a link or a union member heading (`### Pet`) gives one.
        if _IDENTIFIER.fullmatch(name) and (qualified or (not package and (word.href or name[:1].isupper()))):
            return GoType(ir.Ref(name, linked_page(word.link, word.href, self.page) if word.href else ""), False, True)
        if text in ("[", "]", "{", "}", "(", ")", ",", "{}", "*"):
            raise TypeSyntaxError(f"unexpected '{text}'")
        raise TypeSyntaxError(f"unknown type '{text}'")
