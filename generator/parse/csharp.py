"""Type cells of the C# dialect: `*string*`, `*long*`, `*int*`, `*double*`, `*decimal*`, `*bool*`,
`*object*`, `*BigInteger*`, `*byte[]*`, `List<T>`, `Dictionary<String, T>`, `[DateTime](https://
learn.microsoft.com/...)`, `[LocalDate](https://nodatime.org/...)`, links to model pages (bare or
namespace-qualified: `[Models.Components.X](../../Models/Components/X.md)`), and the union member
names Speakeasy gives C# unions (`### Str`, `### ArrayOfStr`, `### V3AdyenConfig`, or an empty
heading over `Union.CreateStr(/* values here */);`).

The C# docs never say whether a field may be null: the Type cell is the same for a nullable and a
non-nullable field (`*string*` for both), so every cell leaves nullability to the setting.
"""

from __future__ import annotations

import re

from markdown_it.token import Token

from .. import ir
from .cells import Lexeme, LexemeCursor, SdkOnly, TypeSyntaxError, lex, lex_text, linked_page, plain, well_known

NAME = "csharp"
FENCES = frozenset({"csharp", "cs", "c#"})
CUES = re.compile(
    r"\*(?:string|long|int|double|float|decimal|bool|object|BigInteger|byte\[\])\*|"
    r"\b(?:List|Dictionary)<|learn\.microsoft\.com/[^)]*dotnet|nodatime\.org|\bHttp(?:Response|Request)Message\b"
)
"""What C# type cells say. `*string*` is TypeScript's too, `*int*`, `*float*` and `*bool*` are
Python's: C# claims them as well, so that a page with a C# code fence and only such rows is read
as C#, not as the other language."""

EXPECTED = (
    "expected *string*, *long*, *int*, *double*, *float*, *decimal*, *bool*, *object*, *BigInteger*, "
    "*byte[]*, [DateTime](...), [LocalDate](...), a link to a model page, List<T> or Dictionary<String, T>"
)

# C# type names, as the Type cells write them (emphasised, or as the text of a link to
# learn.microsoft.com or nodatime.org).
_NAMED: dict[str, ir.TypeExpr] = {
    "string": ir.Primitive("string"),
    "String": ir.Primitive("string"),
    "long": ir.Primitive("integer"),
    "int": ir.Primitive("integer"),
    "Int32": ir.Primitive("integer"),
    "Int64": ir.Primitive("integer"),
    "BigInteger": ir.Primitive("integer"),
    "double": ir.Primitive("number"),
    "float": ir.Primitive("number"),
    "decimal": ir.Primitive("number"),
    "Decimal": ir.Primitive("number"),
    "Double": ir.Primitive("number"),
    "bool": ir.Primitive("boolean"),
    "Boolean": ir.Primitive("boolean"),
    "object": ir.Primitive("any"),
    "Object": ir.Primitive("any"),
    "JsonElement": ir.Primitive("any"),
    "DateTime": ir.Primitive("date-time"),
    "DateTimeOffset": ir.Primitive("date-time"),
    "LocalDate": ir.Primitive("date"),
    "DateOnly": ir.Primitive("date"),
    "Stream": ir.Primitive("binary"),
}
# The HTTP library's objects, which the SDK attaches to results (`RawResponse`, `HTTPMetadata`).
_SDK_ONLY = frozenset({"HttpResponseMessage", "HttpRequestMessage", "HttpResponseHeaders", "HttpRequestHeaders"})
_LISTS = frozenset({"List", "IList", "IEnumerable", "ICollection", "IReadOnlyList"})
_DICTIONARIES = frozenset({"Dictionary", "IDictionary", "IReadOnlyDictionary"})

# Speakeasy names each member of a C# union (`### Str`, `Union.CreateStr(...)`): primitives by
# their kind, arrays and maps by what they hold (`ArrayOfStr`, `MapOfAny`), other members by
# their class name (a model, enum or union page).
_MEMBERS: dict[str, ir.TypeExpr] = {
    "Str": ir.Primitive("string"),
    "Integer": ir.Primitive("integer"),
    "Int32": ir.Primitive("integer"),
    "Int64": ir.Primitive("integer"),
    "Bigint": ir.Primitive("integer"),
    "Number": ir.Primitive("number"),
    "Float32": ir.Primitive("number"),
    "Float64": ir.Primitive("number"),
    "Decimal": ir.Primitive("number"),
    "Boolean": ir.Primitive("boolean"),
    "Any": ir.Primitive("any"),
    "Date": ir.Primitive("date"),
    "DateTime": ir.Primitive("date-time"),
    "Bytes": ir.Primitive("binary"),
}
_CONTAINER = re.compile(r"(ArrayOf|MapOf)([A-Z]\w*)")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_QUALIFIED = re.compile(r"(?:[A-Za-z_][A-Za-z0-9_]*\.)*Models\.(?:[A-Za-z_][A-Za-z0-9_]*\.)*([A-Za-z_][A-Za-z0-9_]*)")
_FACTORY = re.compile(r"\b[A-Za-z_][\w.]*\.Create([A-Z]\w*)\s*\(")
_URL = re.compile(r"https?://")


def parse_cell(inline: tuple[Token, ...], page: str, required: bool) -> tuple[ir.TypeExpr, bool | None]:
    """A Type cell's type, and whether the cell says it is nullable: C# cells never do."""
    return parse_lexemes(lex(inline), page), None


def parse_member_code(code: str, page: str) -> ir.TypeExpr:
    """The member under an empty union heading, from its code block (`Loc.CreateStr(/* values
    here */);`: the factory's name after `Create` is the member's name)."""
    match = _FACTORY.search(code)
    if match is None:
        raise TypeSyntaxError("no `Union.CreateX(...)` call in the code under the empty heading")
    return member(match.group(1))


def member(name: str) -> ir.TypeExpr:
    """A union member's type from the name Speakeasy gives it (`Str`, `ArrayOfStr`, `V3Config`)."""
    if name in _MEMBERS:
        return _MEMBERS[name]
    if match := _CONTAINER.fullmatch(name):
        item = member(match.group(2))
        return ir.Array(item) if match.group(1) == "ArrayOf" else ir.Map(item)
    if _IDENTIFIER.fullmatch(name):
        return ir.Ref(name, "")
    raise TypeSyntaxError(f"union member name '{name}' is not a C# identifier")


def parse_lexemes(lexemes: list[Lexeme], page: str) -> ir.TypeExpr:
    if not lexemes:
        raise TypeSyntaxError("the Type is empty")
    # A union member heading names the member in plain text (`### Str`, `### V3AdyenConfig`).
    if len(lexemes) == 1 and lexemes[0][0] == "text" and lexemes[0][1] not in _NAMED:
        return member(lexemes[0][1])
    flat = plain(lexemes)
    parser = _Parser(flat, page)
    result = parser.type()
    if parser.pos != len(flat):
        raise TypeSyntaxError(f"unexpected '{flat[parser.pos][1]}'")
    return result


class _Parser(LexemeCursor):
    def type(self) -> ir.TypeExpr:
        """`T` or `T[]` (an array), each optionally marked `T?`: C#'s nullable mark, which the SDK
        puts on optional fields as much as on nullable ones, and so says nothing about the wire."""
        result = self.atom()
        while self.peek() in ("[]", "?"):
            if self.take()[1] == "[]":
                result = ir.Array(result)
        return result

    def atom(self) -> ir.TypeExpr:
        kind, text, href = self.take()
        if kind == "link":
            return self.link(text.strip(), href)
        name = text[:-1] if text.endswith("?") and len(text) > 1 else text
        if name in _SDK_ONLY:
            raise SdkOnly(name)
        if name == "byte" and self.peek() == "[]":  # `byte[]`: file content
            self.take("[]")
            return ir.Primitive("binary")
        if name in _NAMED:
            return _NAMED[name]
        if name in _LISTS and self.peek() == "<":
            self.take("<")
            item = self.type()
            self.take(">")
            return ir.Array(item)
        if name in _DICTIONARIES and self.peek() == "<":
            self.take("<")
            key = self.take()
            if key[1] not in ("String", "string"):
                raise TypeSyntaxError(f"Dictionary key type '{key[1]}'; only String keys are supported")
            self.take(",")
            value = self.type()
            self.take(">")
            return ir.Map(value)
        if name == "EventStream" and self.peek() == "<":  # server-sent events: a sequence of T
            self.take("<")
            item = self.type()
            self.take(">")
            return ir.Array(item)
        if match := _QUALIFIED.fullmatch(name):
            return ir.Ref(match.group(1), "")
        if name in ("<", ">", ",", "[]", "|", "{", "}", ":"):
            raise TypeSyntaxError(f"unexpected '{name}'")
        raise TypeSyntaxError(f"unknown type '{text}'")

    def link(self, name: str, href: str) -> ir.TypeExpr:
        if (known := well_known(name, href)) is not None:
            return known
        bare = name.strip("*")
        if not href.startswith("#") and (_URL.match(href) or not href.split("#", 1)[0].endswith(".md")):
            # A link to the platform's docs (learn.microsoft.com, nodatime.org) names a
            # well-known type: the text says which.
            if bare in _SDK_ONLY:
                raise SdkOnly(bare)
            if bare in _NAMED:
                return _NAMED[bare]
            raise TypeSyntaxError(f"link '{name}' points at '{href}', not at a model page (*.md), and names no known type")
        target = linked_page(name, href, self.page)
        last = bare.rsplit(".", 1)[-1]
        if not _IDENTIFIER.fullmatch(last):
            raise TypeSyntaxError(f"link text '{name}' is not a C# type name")
        return ir.Ref(last, target)
