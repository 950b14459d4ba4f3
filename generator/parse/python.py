"""Type cells of the Python dialect: `*str*`, `*OptionalNullable[int]*`, `List[*str*]`,
`Dict[str, *Any*]`, `[Optional[models.X]](../models/x.md)`, `List[[models.X](...)]`, `*models.X*`,
`*Literal["text"]*`, `*Union[Literal["a"], UnrecognizedStr]*`, `[date](...)`, and the code-span
forms of union member headings (`` `List[models.X]` ``, `` `datetime` ``).

`Optional[T]` (may be absent), `Nullable[T]` (may be null) and `OptionalNullable[T]` (both) wrap a
field's type. The outermost one is reported as `PyType.wrapper`; a nullable wrapper further in
(`List[[Nullable[models.X]](...)]`, items may be null) adds a null member to what it wraps, and an
`Optional` further in says nothing about the wire and is dropped.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
import re
from typing import Literal

from markdown_it.token import Token

from .. import ir
from .cells import Cursor, Lexeme, SdkOnly, TypeSyntaxError, Word, lex, linked_page, one_of, well_known

NAME = "python"
EXAMPLE_LITERALS = "python"
FENCES = frozenset({"python", "py", "python3"})
CUES = re.compile(
    r"\*(?:str|int|float|bool|bytes|Any)\*|\b(?:List|Dict|Optional|OptionalNullable|Nullable|Literal|Union|list|dict)\[|"
    r"docs\.python\.org|\b(?:httpx|requests)\.(?:Response|Request)\b"
)
"""What only Python type cells say."""

Wrapper = Literal["Optional", "Nullable", "OptionalNullable"]


@dataclass(frozen=True, slots=True)
class PyType:
    type: ir.TypeExpr
    wrapper: Wrapper | None
    """The outermost wrapper the cell shows, None when bare."""


EXPECTED = (
    "expected *str*, *int*, *float*, *bool*, *Any*, *bytes*, [date](...), a literal such as "
    "*Literal[\"text\"]*, a link to a model page, *models.X*, List[T], Dict[str, T], Union[A, B], "
    "optionally inside Optional[...], Nullable[...] or OptionalNullable[...]"
)

_WRAPPERS: tuple[Wrapper, ...] = ("Optional", "Nullable", "OptionalNullable")

_NAMED: dict[str, ir.TypeExpr] = {
    "str": ir.Primitive("string"),
    "int": ir.Primitive("integer"),
    "float": ir.Primitive("number"),
    "bool": ir.Primitive("boolean"),
    "Any": ir.Primitive("any"),
    "typing.Any": ir.Primitive("any"),
    # File content: `Union[bytes, IO[bytes], io.BufferedReader]` is one binary type.
    "bytes": ir.Primitive("binary"),
    "io.BufferedReader": ir.Primitive("binary"),
    "io.IOBase": ir.Primitive("binary"),
    "io.BytesIO": ir.Primitive("binary"),
    "BinaryIO": ir.Primitive("binary"),
    "typing.BinaryIO": ir.Primitive("binary"),
    "None": ir.LiteralValue(None),
    # As Python spells them, in union member headings (`datetime`).
    "datetime": ir.Primitive("date-time"),
    "datetime.datetime": ir.Primitive("date-time"),
    "date": ir.Primitive("date"),
    "datetime.date": ir.Primitive("date"),
    # The open literal's "any other value" (`Union[Literal["a"], UnrecognizedStr]`).
    "UnrecognizedStr": ir.Primitive("string"),
    "UnrecognizedInt": ir.Primitive("integer"),
}
# Speakeasy's Python docs link the date types with their names swapped: a date-time field reads
# `[date](https://docs.python.org/3/library/datetime.html#date-objects)` (`created_at`, examples such
# as `2027-12-31T23:59:59Z`; the TypeScript docs of the same fields say `[Date](...)`), a date field
# `[datetime](...#datetime-objects)` (examples such as `2022-06-03`).
_LINKED: dict[str, ir.TypeExpr] = {
    "date": ir.Primitive("date-time"),
    "datetime": ir.Primitive("date"),
}
_QUALIFIED = re.compile(r"(?:models|components|shared|operations|errors|utils)\.([A-Za-z_][A-Za-z0-9_]*)")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
_LEXEME = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|[\[\],|]|[^\s\[\],|"\']+|\S')
# The HTTP libraries' objects, which the SDK attaches to results (`raw_response`, `HTTPMetadata`).
_SDK_ONLY = frozenset({"httpx.Response", "httpx.Request", "requests.Response", "requests.Request", "requests_http.Response", "requests_http.Request"})
_STREAMS = ("eventstreaming.EventStream", "eventstreaming.EventStreamAsync", "EventStream", "EventStreamAsync")


def parse_cell(inline: tuple[Token, ...], page: str, required: bool) -> tuple[ir.TypeExpr, bool | None]:
    """A Type cell's type, and whether the cell says it is nullable: the Python docs wrap every
    optional or nullable type, so a bare type on a required field is not nullable."""
    parsed = parse_type(inline, page)
    if parsed.wrapper is None:
        return parsed.type, False if required else None
    return parsed.type, parsed.wrapper in ("Nullable", "OptionalNullable")


def parse_type(inline: tuple[Token, ...], page: str) -> PyType:
    """Parse a Type cell's inline tokens; `page` is the project-relative path links resolve from."""
    return parse_lexemes(lex(inline), page)


def parse_code(text: str, page: str) -> PyType:
    """Parse a type written as plain text or code (`List[models.X]`)."""
    return _parse([Word(m.group()) for m in _LEXEME.finditer(text)], page)


def parse_lexemes(lexemes: list[Lexeme], page: str) -> PyType:
    # Emphasis and code spans only mark a type, so what is inside them reads as plain text; the
    # text of a link is a type too (`[Optional[models.X]](x.md)`), and its words keep the href.
    words: list[Word] = []
    for kind, text, href in lexemes:
        if kind == "link":
            words.extend(Word(m.group(), href, text) for m in _LEXEME.finditer(text))
        elif kind == "code":
            # `` `*str*` ``: emphasis written inside a code span is still only a mark.
            for m in _LEXEME.finditer(text):
                word = m.group() if m.group()[:1] in "\"'" else m.group().strip("*")
                if word:
                    words.append(Word(word))
        else:
            words.extend(Word(m.group()) for m in _LEXEME.finditer(text))
    return _parse(words, page)


def _parse(words: list[Word], page: str) -> PyType:
    if not words:
        raise TypeSyntaxError("the Type is empty")
    parser = _Parser(words, page)
    if wrapped := parser.wrapped(_WRAPPERS, "[", "]", parser.union):
        return PyType(wrapped[1], wrapped[0])
    result = parser.union()
    if parser.pos != len(words):
        raise TypeSyntaxError(f"unexpected '{words[parser.pos].text}'")
    return PyType(result, None)


class _Parser(Cursor):

    def arguments(self, item: str) -> list[ir.TypeExpr]:
        """`[T, U, ...]` after a generic's name; `item` parses one argument."""
        self.take("[")
        parse = self.union if item == "type" else self.literal
        args = [parse()]
        while self.peek() == ",":
            self.pos += 1
            args.append(parse())
        self.take("]")
        return args

    def one_argument(self, name: str) -> ir.TypeExpr:
        args = self.arguments("type")
        if len(args) != 1:
            raise TypeSyntaxError(f"{name}[...] takes one type, found {len(args)}")
        return args[0]

    def union(self) -> ir.TypeExpr:
        members = [self.atom()]
        while self.peek() == "|":
            self.pos += 1
            members.append(self.atom())
        return one_of(members)

    def atom(self) -> ir.TypeExpr:
        word = self.take()
        text = word.text
        if text in _SDK_ONLY:
            raise SdkOnly(text)
        if word.href and (known := well_known(text, word.href)) is not None:
            return known
        generic = self.peek() == "["
        if generic and text in _WRAPPERS:
            inner = self.one_argument(text)
            return one_of([inner, ir.LiteralValue(None)]) if "Nullable" in text else inner
        if generic and text in ("List", "list", "typing.List"):
            return ir.Array(self.one_argument(text))
        if generic and text in ("Dict", "dict", "typing.Dict"):
            self.take("[")
            key = self.take()
            if key.text != "str":
                raise TypeSyntaxError(f"Dict key type '{key.text}'; only str keys are supported")
            self.take(",")
            value = self.union()
            self.take("]")
            return ir.Map(value)
        if generic and text in ("Union", "typing.Union"):
            return one_of(self.arguments("type"))
        if generic and text in ("Literal", "typing.Literal"):
            return one_of(self.arguments("literal"))
        if generic and text in ("IO", "typing.IO"):
            if self.one_argument(text) != ir.Primitive("binary"):
                raise TypeSyntaxError("IO[...] of something other than bytes")
            return ir.Primitive("binary")
        if generic and text in _STREAMS:  # a stream of server-sent events: a sequence of T
            return ir.Array(self.one_argument(text))
        if word.href and text in _LINKED:
            return _LINKED[text]
        if text in _NAMED:
            return _NAMED[text]
        match = _QUALIFIED.fullmatch(text)
        if match or (word.href and _IDENTIFIER.fullmatch(text)):
            name = match.group(1) if match else text
            return ir.Ref(name, linked_page(word.link, word.href, self.page) if word.href else "")
        if text in ("[", "]", ",", "|"):
            raise TypeSyntaxError(f"unexpected '{text}'")
        raise TypeSyntaxError(f"unknown type '{text}'")

    def literal(self) -> ir.TypeExpr:
        text = self.take().text
        if text[:1] in ('"', "'") or text in ("True", "False", "None") or _NUMBER.fullmatch(text):
            try:
                value = ast.literal_eval(text)
            except (ValueError, SyntaxError):
                raise TypeSyntaxError(f"literal {text} is not a valid Python literal") from None
            return ir.LiteralValue(value)
        raise TypeSyntaxError(f"literal '{text}' is not a string, number, True, False or None")
