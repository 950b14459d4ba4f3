"""Type cells of the TypeScript dialect: `*string*`, `*number*[]`, `Record<string, *any*>`,
`[components.X](../x.md)[]`, `*components.X*`, `[Date](...)`, `*"literal"*`, `A | B`, and the
code-span forms of union members (`{ [k: string]: any }`, `EventStream<operations.X>`)."""

from __future__ import annotations

import json
import re

from markdown_it.token import Token

from .. import ir
from .cells import Lexeme, LexemeCursor, SdkOnly, TypeSyntaxError, lex, lex_text, linked_page, plain, well_known

NAME = "typescript"
EXAMPLE_LITERALS = "typescript"
FENCES = frozenset({"typescript", "ts", "tsx", "javascript", "js"})
CUES = re.compile(r"\*(?:string|number|boolean|any)\*|Record<|developer\.mozilla\.org|ReadableStream<|[*)]\[\]")
"""What only TypeScript type cells say (C#'s `*string*` aside, which the C# dialect also claims)."""

EXPECTED = (
    "expected *string*, *number*, *boolean*, *any*, [Date](...), a literal such as *\"text\"*, "
    "a link to a model page, *components.X*, T[], A | B or Record<string, T>"
)

_NAMED: dict[str, ir.TypeExpr] = {
    "string": ir.Primitive("string"),
    "number": ir.Primitive("number"),
    "boolean": ir.Primitive("boolean"),
    "any": ir.Primitive("any"),
    "Date": ir.Primitive("date-time"),
    "File": ir.Primitive("binary"),
    "Blob": ir.Primitive("binary"),
    "Uint8Array": ir.Primitive("binary"),
    "true": ir.LiteralValue(True),
    "false": ir.LiteralValue(False),
    "null": ir.LiteralValue(None),
}
_QUALIFIED = re.compile(r"(?:components|operations|errors|models|shared)\.([A-Za-z_][A-Za-z0-9_]*)")
# The fetch API's objects, which the SDK attaches to results (`rawResponse`, `HTTPMetadata`).
_SDK_ONLY = frozenset({"Response", "Request"})


def parse_cell(inline: tuple[Token, ...], page: str, required: bool) -> tuple[ir.TypeExpr, bool | None]:
    """A Type cell's type, and whether the cell says it is nullable: TypeScript cells never do."""
    return parse_type(inline, page), None


def parse_type(inline: tuple[Token, ...], page: str) -> ir.TypeExpr:
    """Parse a Type cell's inline tokens; `page` is the project-relative path links resolve from."""
    return parse_lexemes(lex(inline), page)


def parse_code(text: str, page: str) -> ir.TypeExpr:
    """Parse a type written as code, as union member headings do (`components.X[]`)."""
    return parse_lexemes(lex_text(text), page)


def parse_lexemes(lexemes: list[Lexeme], page: str) -> ir.TypeExpr:
    flat = plain(lexemes)
    parser = _Parser(flat, page)
    result = parser.union()
    if parser.pos != len(flat):
        raise TypeSyntaxError(f"unexpected '{flat[parser.pos][1]}'")
    return result


class _Parser(LexemeCursor):
    def union(self) -> ir.TypeExpr:
        members = [self.postfix()]
        while self.peek() == "|":
            self.pos += 1
            members.append(self.postfix())
        return members[0] if len(members) == 1 else ir.OneOf(tuple(members))

    def postfix(self) -> ir.TypeExpr:
        result = self.atom()
        while self.peek() == "[]":
            self.pos += 1
            result = ir.Array(result)
        return result

    def atom(self) -> ir.TypeExpr:
        kind, text, href = self.take()
        if kind == "link":
            name = text.strip()
            if (known := well_known(name, href)) is not None:
                return known
            if name in _NAMED:  # [Date](...), [File](...), [Blob](...)
                return _NAMED[name]
            if name in _SDK_ONLY and not href.split("#")[0].endswith(".md"):
                raise SdkOnly(name)
            return ir.Ref(name.rsplit(".", 1)[-1], linked_page(text, href, self.page))
        if text in _SDK_ONLY:
            raise SdkOnly(text)
        if text in _NAMED:
            return _NAMED[text]
        if text.startswith('"'):
            return ir.LiteralValue(json.loads(text))
        if re.fullmatch(r"-?\d+", text):
            return ir.LiteralValue(int(text))
        if text == "Record":
            self.take("<")
            self.take("string")
            self.take(",")
            value = self.union()
            self.take(">")
            return ir.Map(value)
        if text == "{":  # { [k: string]: T }
            for expected in ("[", "k", ":", "string", "]", ":"):
                self.take(expected)
            value = self.union()
            self.take("}")
            return ir.Map(value)
        if text in ("ReadableStream", "EventStream"):
            self.take("<")
            item = self.union()
            self.take(">")
            return ir.Primitive("binary") if text == "ReadableStream" else ir.Array(item)
        if match := _QUALIFIED.fullmatch(text):
            return ir.Ref(match.group(1), "")
        raise TypeSyntaxError(f"unknown type '{text}'")
