"""Type cells of the Ruby dialect, in both of the generator's typing strategies.

Sorbet (`typingStrat: sorbet`): `*::String*`, `*::Integer*`, `*::Float*`, `*T::Boolean*`,
`*::Object*`, `*T.nilable(::String)*`, `T::Array<*::String*>`, `T::Hash[Symbol, *::String*]`,
`[Models::Components::X](x.md)`, `[T.nilable(Models::Components::X)](x.md)`,
`[T.nilable(T.any(Models::Operations::A, T::Boolean))](union.md)`.
Crystalline only (`typingStrat: none`, newer SDKs): `*Crystalline::Nilable.new(::String)*`,
`*Crystalline::Boolean.new*`, `Crystalline::Array<...>`, `Crystalline::Hash[Symbol, ...]`,
`[Crystalline::Union.new(A, B)](union.md)`, `Crystalline::DiscriminatedUnion.new('type', {...})`.
Older SDKs drop the leading `::` (`*String*`, `*T.nilable(String)*`, `[Shared::X](x.md)`).

Inside a link's text or an emphasis the type is written as code (`T::Array[X]`,
`Crystalline::Array.new(X)`, `Crystalline::Hash.new(Symbol, X)`); outside, as markdown around
the item's own cell (`T::Array<*::String*>`). Both read the same.

The dates: the docs link date-time fields as `[Date](https://ruby-doc.org/...Date.html)` and date
fields as `[DateTime](...DateTime.html)` (Speakeasy's Ruby docs template has the two swapped; the
models say `::DateTime` and `::Date`, and the examples are `2024-05-06T12:20:38.184Z` and
`2022-12-14`). Written as code (in a union) `::DateTime` is a date-time and `::Date` a date.

Nullability: the docs wrap a field's type in `T.nilable(...)` (or `Crystalline::Nilable.new(...)`)
when the field is optional or nullable, so `nilable` on a required field means nullable. Nothing
else in a cell says: every optional field is nilable; arrays, hashes and the linked dates are never
wrapped; and older generators (2.570, Plex's SDK) leave required nullable fields bare too (a bare
`*::String*` required row with the example `<nil>`), so a bare required type is left to the
`nullable` setting rather than read as "not nullable". A `nilable` further in (a union member)
adds a null member to what it wraps.

A union's page holds only its title (the docs template writes no `## Supported Types` for Ruby),
so a link whose text is a union (`[T.any(A, B)](union.md)`) is read as the union written there,
each member found by name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it.token import Token

from .. import ir
from .cells import Cursor, Lexeme, SdkOnly, TypeSyntaxError, Word, lex, linked_page, one_of, well_known

NAME = "ruby"
FENCES = frozenset({"ruby", "rb"})
CUES = re.compile(
    r"::(?:String|Integer|Float|Object|Date|DateTime)\b|\bT\.(?:nilable|any|untyped)\b|\bT::(?:Array|Hash|Boolean)\b|"
    r"\bCrystalline::|\b(?:Models::[A-Z]\w*|Shared|Operations|Components|Errors)::[A-Z]|ruby-doc\.org|rubydoc\.info|\bFaraday::"
)
"""What only Ruby type cells say: `::String` and the like, Sorbet's `T.` and `T::`, Crystalline,
the SDK's model namespaces (`Models::Components::X`, older `Shared::X`), ruby-doc.org links. Not
`::` alone: an enum's Value cell may hold `Runbooks::Step` in any language."""

EXPECTED = (
    "expected *::String*, *::Integer*, *::Float*, *T::Boolean*, *::Object*, [Date](...), a link to a "
    "model page such as [Models::Components::X](...), T::Array<T>, T::Hash[Symbol, T], T.any(A, B), "
    "optionally inside T.nilable(...) (or the Crystalline:: forms of these)"
)

_NILABLE = frozenset({"T.nilable", "::T.nilable", "Crystalline::Nilable.new", "::Crystalline::Nilable.new"})
_UNIONS = frozenset({"T.any", "::T.any", "Crystalline::Union.new", "::Crystalline::Union.new"})
_ARRAYS = frozenset({"T::Array", "::T::Array", "Crystalline::Array", "::Crystalline::Array"})
_HASHES = frozenset({"T::Hash", "::T::Hash", "Crystalline::Hash", "::Crystalline::Hash"})
_ARRAY_NEW = frozenset({"Crystalline::Array.new", "::Crystalline::Array.new"})
_HASH_NEW = frozenset({"Crystalline::Hash.new", "::Crystalline::Hash.new"})
_DISCRIMINATED = frozenset({"Crystalline::DiscriminatedUnion.new", "::Crystalline::DiscriminatedUnion.new"})
_KEYS = frozenset({"Symbol", "::Symbol", "String", "::String"})

_NAMED: dict[str, ir.TypeExpr] = {
    "String": ir.Primitive("string"),
    "Integer": ir.Primitive("integer"),
    "Float": ir.Primitive("number"),
    "T::Boolean": ir.Primitive("boolean"),
    "Boolean": ir.Primitive("boolean"),
    "Crystalline::Boolean.new": ir.Primitive("boolean"),
    "Crystalline::Boolean": ir.Primitive("boolean"),
    "Object": ir.Primitive("any"),
    "BasicObject": ir.Primitive("any"),
    "T.untyped": ir.Primitive("any"),
    "Date": ir.Primitive("date"),
    "DateTime": ir.Primitive("date-time"),
    "Time": ir.Primitive("date-time"),
    "NilClass": ir.LiteralValue(None),
    "nil": ir.LiteralValue(None),
}
# Linked to ruby-doc.org, the names are swapped (see the module's docstring).
_LINKED: dict[str, ir.TypeExpr] = {"Date": ir.Primitive("date-time"), "DateTime": ir.Primitive("date")}
# The HTTP library's objects, which the SDK attaches to results (`raw_response`).
_SDK_ONLY = frozenset({"Faraday::Response", "Faraday::Request", "Faraday::Connection"})
# A response body streamed as server-sent events or JSON lines: a sequence of items of no stated type.
_STREAM = re.compile(r"(?:::)?(?:\w+::)*Utils::(?:EventStream|JsonLStream)")
_CONSTANT = re.compile(r"(?:::)?(?:[A-Z]\w*::)*([A-Z]\w*)")
_TOKEN = re.compile(
    r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|=>|(?:::)?[A-Za-z_]\w*(?:(?:::|\.)[A-Za-z_]\w*)*|-?\d+(?:\.\d+)?|\S"""
)


@dataclass(frozen=True, slots=True)
class RubyType:
    type: ir.TypeExpr
    nilable: bool
    """The whole type is wrapped in `T.nilable(...)` or `Crystalline::Nilable.new(...)`."""


def parse_cell(inline: tuple[Token, ...], page: str, required: bool) -> tuple[ir.TypeExpr, bool | None]:
    """A Type cell's type, and whether the cell says the field is nullable (None: it does not say)."""
    parsed = parse_type(inline, page)
    return parsed.type, True if required and parsed.nilable else None


def parse_type(inline: tuple[Token, ...], page: str) -> RubyType:
    """Parse a Type cell's inline tokens; `page` is the project-relative path links resolve from."""
    return parse_lexemes(lex(inline), page)


def parse_code(text: str, page: str) -> RubyType:
    """Parse a type written as code (`T.nilable(T::Array[Models::Components::X])`)."""
    return _parse([Word(m.group()) for m in _TOKEN.finditer(text)], page)


def parse_lexemes(lexemes: list[Lexeme], page: str) -> RubyType:
    words: list[Word] = []
    plain: list[str] = []  # plain text, rejoined: the shared lexer splits `T::Hash` at the colons

    def flush() -> None:
        words.extend(Word(m.group()) for m in _TOKEN.finditer("".join(plain)))
        plain.clear()

    for kind, text, href in lexemes:
        if kind == "text":
            plain.append(text)
            continue
        flush()
        if kind == "link":
            words.extend(Word(m.group(), href, text) for m in _TOKEN.finditer(text))
        else:  # emphasis or a code span only marks a type; `*` inside a code span is a mark too
            words.extend(Word(m.group()) for m in _TOKEN.finditer(text.replace("*", " ")))
    flush()
    return _parse(words, page)


def _parse(words: list[Word], page: str) -> RubyType:
    if not words:
        raise TypeSyntaxError("the Type is empty")
    parser = _Parser(words, page)
    first = words[0]
    if first.text in _NILABLE and parser.wrapped_whole():
        parser.pos = 2
        inner = parser.type()
        parser.take(")")
        return RubyType(inner, True)
    result = parser.type()
    if parser.pos != len(words):
        raise TypeSyntaxError(f"unexpected '{words[parser.pos].text}'")
    return RubyType(result, False)


class _Parser(Cursor):
    def __init__(self, words: list[Word], page: str) -> None:
        super().__init__(words, page)
        self.in_union = 0
        """How many unions the parser is inside: there a link's href names the union's page, not
        the member's."""

    def wrapped_whole(self) -> bool:
        """Whether the `(` after the first word closes at the last word."""
        if self.peek() is None or len(self.words) < 2 or self.words[1].text != "(" or self.words[-1].text != ")":
            return False
        depth = 0
        for i, word in enumerate(self.words[1:], start=1):
            depth += {"(": 1, ")": -1}.get(word.text, 0)
            if depth == 0:
                return i == len(self.words) - 1
        return False

    def arguments(self, close: str) -> list[ir.TypeExpr]:
        args = [self.type()]
        while self.peek() == ",":
            self.pos += 1
            args.append(self.type())
        self.take(close)
        return args

    def hash_value(self, close: str) -> ir.TypeExpr:
        key = self.take()
        if key.text not in _KEYS:
            raise TypeSyntaxError(f"hash key type '{key.text}'; only Symbol or String keys are supported")
        self.take(",")
        value = self.type()
        self.take(close)
        return ir.Map(value)

    def type(self) -> ir.TypeExpr:
        word = self.take()
        text = word.text
        if text.removeprefix("::") in _SDK_ONLY:
            raise SdkOnly(text.removeprefix("::"))
        if word.href and (known := well_known(text, word.href)) is not None:
            return known
        following = self.peek()
        if text in _NILABLE and following == "(":
            self.pos += 1
            inner = self.type()
            self.take(")")
            return one_of([inner, ir.LiteralValue(None)])
        if text in _UNIONS and following == "(":
            self.pos += 1
            self.in_union += 1
            members = self.arguments(")")
            self.in_union -= 1
            return one_of(members)
        if text in _ARRAYS and following in ("<", "["):
            self.pos += 1
            item = self.type()
            self.take(">" if following == "<" else "]")
            return ir.Array(item)
        if text in _ARRAY_NEW and following == "(":
            self.pos += 1
            item = self.type()
            self.take(")")
            return ir.Array(item)
        if text in _HASHES and following == "[":
            self.pos += 1
            return self.hash_value("]")
        if text in _HASH_NEW and following == "(":
            self.pos += 1
            return self.hash_value(")")
        if text in _DISCRIMINATED and following == "(":
            return self.discriminated()
        if word.href and text in _LINKED and not word.href.split("#")[0].endswith(".md"):
            return _LINKED[text]
        if text.removeprefix("::") in _NAMED:
            return _NAMED[text.removeprefix("::")]
        if _STREAM.fullmatch(text):
            return ir.Array(ir.Primitive("any"))
        match = _CONSTANT.fullmatch(text)
        if match and ("::" in text.lstrip(":") or word.href):
            page = linked_page(word.link, word.href, self.page) if word.href and not self.in_union else ""
            return ir.Ref(match.group(1), page)
        if text in ("(", ")", "[", "]", "<", ">", ",", "{", "}", "=>"):
            raise TypeSyntaxError(f"unexpected '{text}'")
        raise TypeSyntaxError(f"unknown type '{text}'")

    def discriminated(self) -> ir.TypeExpr:
        """`Crystalline::DiscriminatedUnion.new('type', { 'cat' => Models::Cat, ... })`: a union of
        the mapped types."""
        self.take("(")
        self.in_union += 1
        self.string()
        self.take(",")
        self.take("{")
        members = []
        while True:
            self.string()
            self.take("=>")
            members.append(self.type())
            if self.peek() != ",":
                break
            self.pos += 1
        self.take("}")
        self.take(")")
        self.in_union -= 1
        return one_of(members)

    def string(self) -> str:
        word = self.take()
        if word.text[:1] not in ("'", '"') or len(word.text) < 2:
            raise TypeSyntaxError(f"found '{word.text}' where a quoted name was expected")
        return word.text[1:-1]
