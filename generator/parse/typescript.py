"""Type cells of the TypeScript dialect: `*string*`, `*number*[]`, `Record<string, *any*>`,
`[components.X](../x.md)[]`, `[Date](...)`, `*"literal"*`."""

from __future__ import annotations

import posixpath
import re

from markdown_it.token import Token

from .. import ir

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
_LEXEME = re.compile(r'\[\]|[<>,]|"(?:[^"\\]|\\.)*"|[^\s<>,"\[\]]+|\S')

# A lexeme: (kind, text, href). kind is "em" (emphasised), "link", "code" or "punct"/"word" for plain text.
Lexeme = tuple[str, str, str]


class TypeSyntaxError(ValueError):
    pass


def parse_type(inline: tuple[Token, ...], page: str) -> ir.TypeExpr:
    """Parse a Type cell's inline tokens; `page` is the project-relative path links resolve from."""
    lexemes = _lex(inline)
    parser = _Parser(lexemes, page)
    result = parser.type()
    if parser.pos != len(lexemes):
        raise TypeSyntaxError(f"unexpected '{lexemes[parser.pos][1]}'")
    return result


def _lex(inline: tuple[Token, ...]) -> list[Lexeme]:
    lexemes: list[Lexeme] = []
    i = 0
    while i < len(inline):
        token = inline[i]
        if token.type in ("em_open", "link_open", "strong_open"):
            close = token.type.replace("_open", "_close")
            j = i + 1
            while j < len(inline) and inline[j].type != close:
                j += 1
            inner = "".join(t.content for t in inline[i + 1 : j])
            if token.type == "link_open":
                lexemes.append(("link", inner, str(token.attrs.get("href", ""))))
            else:
                lexemes.append(("em", inner, ""))
            i = j + 1
            continue
        if token.type == "code_inline":
            lexemes.append(("code", token.content, ""))
        elif token.type == "text":
            lexemes.extend(("text", m.group(), "") for m in _LEXEME.finditer(token.content))
        i += 1
    return lexemes


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
        target = href.split("#", 1)[0]
        if "://" in target or not target.endswith(".md"):
            raise TypeSyntaxError(f"link '{text}' points at '{href}', not at a model page (*.md)")
        if target.startswith("/"):
            raise TypeSyntaxError(f"link '{text}' points at an absolute path '{href}'")
        page = posixpath.normpath(posixpath.join(posixpath.dirname(self.page), target))
        return ir.Ref(name=text.rsplit(".", 1)[-1], page=page)


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
