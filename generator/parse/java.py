"""Type cells of the Java dialect: `*String*`, `*long*`, `*Optional\\<Boolean>*`,
`*JsonNullable\\<Long>*`, `List\\<*String*>`, `Map\\<String, *Object*>`, `byte[]`,
`[X](../../models/components/X.md)`, `[Optional\\<X>](...)`, `[JsonNullable\\<X>](...)`,
`[LocalDate](https://docs.oracle.com/...)`, `[OffsetDateTime](...)`, and the SDK's own
`[HttpResponse\\<InputStream>](https://docs.oracle.com/...)`, which is left out.

Markdown-it gives the text unescaped (`\\<` is `<`); a doubled escape (`Map\\\\<String, ...>`, as
the docs write a generic inside a generic) leaves a backslash, which says nothing and is dropped.

`Optional<T>` and `JsonNullable<T>` wrap a field's type and say what the field may hold: Speakeasy
writes `JsonNullable<T>` for a field that may be null (and absent), `Optional<T>` for an optional
field that may not be null, and `Optional<T>` on a required field for one that may be null; a bare
type on a required field may not be null. The docs never wrap a collection (`List<T>`,
`Map<String, T>`) or a linked JDK type (`[LocalDate](...)`): such a cell does not say.
"""

from __future__ import annotations

from dataclasses import dataclass
import re
from typing import Literal

from markdown_it.token import Token

from .. import ir
from .cells import Cursor, Lexeme, SdkOnly, TypeSyntaxError, Word, lex, linked_page, well_known

NAME = "java"
FENCES = frozenset({"java"})
CUES = re.compile(
    r"\*(?:String|Boolean|Long|Integer|Double|Object|BigDecimal|BigInteger|InputStream)\*|"
    r"\b(?:Optional|JsonNullable|HttpResponse)\\*<|\bMap\\*<String\b|docs\.oracle\.com/|"
    # Other dialects' cells too (C#'s `*long*`, `*int*`, `*double*`, `*byte[]*`, `List<`;
    # TypeScript's `*boolean*`), claimed so that a Java page with only those cells is not theirs alone.
    r"\*(?:long|int|double|boolean|byte\[\])\*|\bbyte\[\]|\bList\\*<"
)
"""What Java type cells say (`*String*`, `Optional\\<`, `JsonNullable\\<`, links to docs.oracle.com)."""

EXPECTED = (
    "expected *String*, *long*, *int*, *double*, *boolean*, *Object*, *BigDecimal*, byte[], "
    "[LocalDate](...), [OffsetDateTime](...), a link to a model page, List<T>, Map<String, T>, "
    "optionally inside Optional<...> or JsonNullable<...>"
)

Wrapper = Literal["Optional", "JsonNullable"]
_WRAPPERS: tuple[Wrapper, ...] = ("Optional", "JsonNullable")

_NAMED: dict[str, ir.TypeExpr] = {
    "String": ir.Primitive("string"),
    "long": ir.Primitive("integer"),
    "Long": ir.Primitive("integer"),
    "int": ir.Primitive("integer"),
    "Integer": ir.Primitive("integer"),
    "short": ir.Primitive("integer"),
    "Short": ir.Primitive("integer"),
    "BigInteger": ir.Primitive("integer"),
    "double": ir.Primitive("number"),
    "Double": ir.Primitive("number"),
    "float": ir.Primitive("number"),
    "Float": ir.Primitive("number"),
    "BigDecimal": ir.Primitive("number"),
    "boolean": ir.Primitive("boolean"),
    "Boolean": ir.Primitive("boolean"),
    "Object": ir.Primitive("any"),
    "LocalDate": ir.Primitive("date"),
    "OffsetDateTime": ir.Primitive("date-time"),
    # File content: `byte[]` in requests, a stream in responses.
    "InputStream": ir.Primitive("binary"),
}
# The JDK's HTTP objects, which the SDK attaches to results (`rawResponse`).
_SDK_ONLY = frozenset({"HttpResponse", "HttpRequest", "HttpHeaders"})
# `java.util.List`, `java.time.LocalDate`, `models.components.X`: the last name is the type.
_QUALIFIED = re.compile(r"(?:[a-z][A-Za-z0-9_]*\.)+([A-Za-z_][A-Za-z0-9_]*)")
_CLASS = re.compile(r"[A-Z][A-Za-z0-9_]*")
_WORD = re.compile(r"\[\]|[<>,?]|[A-Za-z_$][\w$.]*|\S")


@dataclass(frozen=True, slots=True)
class JavaType:
    type: ir.TypeExpr
    wrapper: Wrapper | None
    """The outermost wrapper the cell shows, None when bare."""
    says: bool
    """Whether a bare cell could have shown a wrapper (False for collections and linked JDK
    types, which the docs never wrap)."""


def parse_cell(inline: tuple[Token, ...], page: str, required: bool) -> tuple[ir.TypeExpr, bool | None]:
    """A Type cell's type, and whether the cell says it is nullable (see the module's docstring)."""
    parsed = parse_type(inline, page)
    if parsed.wrapper == "JsonNullable":
        return parsed.type, True
    if parsed.wrapper == "Optional":
        return parsed.type, required
    return parsed.type, False if required and parsed.says else None


def parse_type(inline: tuple[Token, ...], page: str) -> JavaType:
    """Parse a Type cell's inline tokens; `page` is the project-relative path links resolve from."""
    return parse_lexemes(lex(inline), page)


def parse_lexemes(lexemes: list[Lexeme], page: str) -> JavaType:
    # Emphasis and code spans only mark a type, so what is inside them reads as plain text; the
    # text of a link is a type too (`[Optional<X>](x.md)`), and its words keep the href.
    words: list[Word] = []
    for kind, text, href in lexemes:
        if kind == "link":
            words.extend(Word(w.text, href, text) for w in _words(text))
        else:
            words.extend(_words(text.strip("*") if kind == "code" else text))
    return _parse(words, page)


def _words(text: str) -> list[Word]:
    return [Word(m.group()) for m in _WORD.finditer(text.replace("\\", ""))]


def _parse(words: list[Word], page: str) -> JavaType:
    if not words:
        raise TypeSyntaxError("the Type is empty")
    parser = _Parser(words, page)
    if wrapped := parser.wrapped(_WRAPPERS, "<", ">", parser.type):
        return JavaType(wrapped[1], wrapped[0], True)
    result = parser.type()
    if parser.pos != len(words):
        raise TypeSyntaxError(f"unexpected '{words[parser.pos].text}'")
    says = not isinstance(result, (ir.Array, ir.Map)) and not (words[0].href and not _is_page(words[0].href))
    return JavaType(result, None, says)


class _Parser(Cursor):

    def argument(self, name: str) -> ir.TypeExpr:
        self.take("<")
        item = self.type()
        if self.peek() == ",":
            raise TypeSyntaxError(f"{name}<...> takes one type")
        self.take(">")
        return item

    def type(self) -> ir.TypeExpr:
        result = self.atom()
        while self.peek() == "[]":
            self.pos += 1
            result = ir.Array(result)
        return result

    def atom(self) -> ir.TypeExpr:
        word = self.take()
        text = word.text
        generic = self.peek() == "<"
        qualified = _QUALIFIED.fullmatch(text)
        name = qualified.group(1) if qualified else text
        page_link = bool(word.href) and _is_page(word.href)
        if name in _SDK_ONLY and not page_link:  # told by the type: a model page of that name is kept
            raise SdkOnly(word.link or text)
        if word.href and (known := well_known(text, word.href)) is not None:
            return known
        if text == "?":  # a wildcard: `? extends T` is T
            if self.peek() != "extends":
                raise TypeSyntaxError("a wildcard '?' says no type")
            self.pos += 1
            return self.type()
        if generic and name in _WRAPPERS:
            inner = self.argument(name)
            # Inside another type only JsonNullable says something: its value may be null.
            return ir.OneOf((inner, ir.LiteralValue(None))) if name == "JsonNullable" else inner
        if generic and name in ("List", "Set", "Collection", "EventStream"):
            return ir.Array(self.argument(name))
        if generic and name == "Map":
            self.take("<")
            key = self.take()
            if key.text not in ("String", "java.lang.String"):
                raise TypeSyntaxError(f"Map key type '{key.text}'; only String keys are supported")
            self.take(",")
            value = self.type()
            self.take(">")
            return ir.Map(value)
        if generic:
            raise TypeSyntaxError(f"unknown generic type '{text}<...>'")
        if name in (*_WRAPPERS, "List", "Set", "Collection", "EventStream", "Map"):
            raise TypeSyntaxError(f"'{text}' without its type arguments ('<...>')")
        if name == "byte" and self.peek() == "[]":
            self.pos += 1
            return ir.Primitive("binary")
        if page_link:
            if not _CLASS.fullmatch(name):
                raise TypeSyntaxError(f"'{text}' in link '{word.link}' is not a model name")
            return ir.Ref(name, linked_page(word.link, word.href, self.page))
        if name in _NAMED:  # also as linked to the JDK's docs (`[LocalDate](https://docs.oracle.com/...)`)
            return _NAMED[name]
        if word.href:  # a link off the docs to a type this dialect does not know
            return ir.Ref(name, linked_page(word.link, word.href, self.page))
        if _CLASS.fullmatch(name):  # a model the cell names without a link (`EventStream<X>`)
            return ir.Ref(name, "")
        if text in ("<", ">", ",", "[]"):
            raise TypeSyntaxError(f"unexpected '{text}'")
        raise TypeSyntaxError(f"unknown type '{text}'")


def _is_page(href: str) -> bool:
    """Whether a link points at a page of the docs (a model), not at the JDK's docs."""
    return href.startswith("#") or ("://" not in href and href.split("#", 1)[0].endswith(".md"))
