"""Type cells of the TypeScript dialect: `*string*`, `*number*[]`, `Record<string, *any*>`,
`[components.X](../x.md)[]`, `[Date](...)`, `*"literal"*`."""

from __future__ import annotations

import re

from markdown_it.token import Token

from .. import ir
from .cells import Lexeme, TypeSyntaxError, lex, linked_page

EXPECTED = (
    "expected *string*, *number*, *boolean*, *any*, [Date](...), a literal such as *\"text\"*, "
    "a link to a model page, T[] or Record<string, T>"
)

_PRIMITIVES: dict[str, ir.PrimitiveKind] = {
    "string": "string",
    "number": "number",
    "boolean": "boolean",
    "any": "any",
}
_LITERALS: dict[str, bool | None] = {"true": True, "false": False, "null": None}


def parse_type(inline: tuple[Token, ...], page: str) -> ir.TypeExpr:
    """Parse a Type cell's inline tokens; `page` is the project-relative path links resolve from."""
    lexemes = lex(inline)
    parser = _Parser(lexemes, page)
    result = parser.type()
    if parser.pos != len(lexemes):
        raise TypeSyntaxError(f"unexpected '{lexemes[parser.pos][1]}'")
    return result


class _Parser:
    def __init__(self, lexemes: list[Lexeme], page: str) -> None:
        self.lexemes = lexemes
        self.page = page
        self.pos = 0

    def peek(self) -> Lexeme | None:
        return self.lexemes[self.pos] if self.pos < len(self.lexemes) else None

    def take(self, text: str | None = None) -> Lexeme:
        lexeme = self.peek()
        if lexeme is None:
            raise TypeSyntaxError("the type ends too early")
        if text is not None and lexeme[1] != text:
            raise TypeSyntaxError(f"found '{lexeme[1]}' where '{text}' was expected")
        self.pos += 1
        return lexeme

    def type(self) -> ir.TypeExpr:
        result = self.atom()
        while (lexeme := self.peek()) is not None and lexeme[:2] == ("text", "[]"):
            self.pos += 1
            result = ir.Array(result)
        return result

    def atom(self) -> ir.TypeExpr:
        kind, text, href = self.take()
        if kind in ("em", "code") or (kind == "text" and text in ("string", "number", "boolean", "any")):
            return _named(text.strip())
        if kind == "link":
            return self.link(text.strip(), href)
        if kind == "text" and text == "Record":
            self.take("<")
            key = self.take()
            if key[1].strip() != "string":
                raise TypeSyntaxError(f"Record key type '{key[1]}' is not supported; expected string")
            self.take(",")
            value = self.type()
            self.take(">")
            return ir.Map(value)
        raise TypeSyntaxError(f"unexpected '{text}'")

    def link(self, text: str, href: str) -> ir.TypeExpr:
        if text == "Date":
            return ir.Primitive("date-time")
        return ir.Ref(name=text.rsplit(".", 1)[-1], page=linked_page(text, href, self.page))


def _named(text: str) -> ir.TypeExpr:
    if text in _PRIMITIVES:
        return ir.Primitive(_PRIMITIVES[text])
    if text in _LITERALS:
        return ir.LiteralValue(_LITERALS[text])
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return ir.LiteralValue(text[1:-1].replace('\\"', '"').replace("\\\\", "\\"))
    if re.fullmatch(r"-?\d+", text):
        return ir.LiteralValue(int(text))
    raise TypeSyntaxError(f"unknown type '{text}'")
