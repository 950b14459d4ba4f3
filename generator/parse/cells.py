"""Lexing of Type cells, shared by the dialects: a cell's inline tokens become a flat list of
lexemes, so that each dialect's type parser reads `*T*`, links and punctuation alike."""

from __future__ import annotations

import posixpath
import re
import urllib.parse
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TypeVar, cast

from markdown_it.token import Token

from .. import ir

_LEXEME = re.compile(r'\[\]|[<>,|{}:]|"(?:[^"\\]|\\.)*"|[^\s<>,|{}:"\[\]]+|\S')

# A lexeme: (kind, text, href). kind is "em" (emphasised), "link", "code", or "text" for a word or
# punctuation of plain text; href is set for links only.
Lexeme = tuple[str, str, str]


class TypeSyntaxError(ValueError):
    """A Type cell that does not parse; the message says what was found."""


class SdkOnly(Exception):
    """A Type cell that names an object of the SDK itself (its HTTP library's response or
    request), not anything on the wire: the row is left out of the models."""

    def __init__(self, what: str) -> None:
        super().__init__(f"the SDK's {what} object, not wire data")


WELL_KNOWN_PAGES: dict[str, ir.PrimitiveKind] = {"rfcdate": "date", "date": "date", "datetime": "date-time"}
"""Pages the SDKs write about their own helper types (`docs/types/rfcdate.md`): a link to one,
whose text names the same type (`[RFCDate](../../types/rfcdate.md)`, `[*types.Date](../../types/date.md)`),
is that type, not a model; the page is not read."""


def well_known(text: str, href: str) -> ir.Primitive | None:
    target = posixpath.basename(urllib.parse.unquote(href.split("#", 1)[0]))
    stem = target[:-3].lower() if target.endswith(".md") and "://" not in href else ""
    name = text.strip().strip("*").rsplit(".", 1)[-1].lower()
    if stem in WELL_KNOWN_PAGES and WELL_KNOWN_PAGES.get(name) == WELL_KNOWN_PAGES[stem]:
        return ir.Primitive(WELL_KNOWN_PAGES[stem])
    return None


def linked_page(text: str, href: str, page: str) -> str:
    """The project-relative path of the page a link in `page` points at."""
    if href.startswith("#") and len(href) > 1:  # a model defined further down the same page
        return f"{page}{href}"
    # markdown-it-py percent-encodes what a destination may not hold (`café.md`, `<my page.md>`).
    target = urllib.parse.unquote(href.split("#", 1)[0], errors="surrogateescape")
    if "://" in target or not target.endswith(".md"):
        raise TypeSyntaxError(f"link '{text}' points at '{href}', not at a model page (*.md)")
    if target.startswith("/"):
        raise TypeSyntaxError(f"link '{text}' points at an absolute path '{href}'")
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), target))


W = TypeVar("W", bound=str)


@dataclass(frozen=True, slots=True)
class Word:
    """A word of a Type cell, for the dialects that read a cell word by word."""

    text: str
    href: str = ""
    """The href of the link the word is part of; empty outside links."""
    link: str = ""
    """The whole text of that link, for messages and `linked_page`."""


class Cursor:
    """A position in a cell's words: what a dialect's recursive-descent parser steps through."""

    def __init__(self, words: list[Word], page: str) -> None:
        self.words = words
        self.page = page
        self.pos = 0

    def peek(self, offset: int = 0) -> str | None:
        at = self.pos + offset
        return self.words[at].text if at < len(self.words) else None

    def take(self, text: str | None = None) -> Word:
        if self.pos >= len(self.words):
            raise TypeSyntaxError("the type ends too early" + (f" ('{text}' missing)" if text else ""))
        word = self.words[self.pos]
        if text is not None and word.text != text:
            raise TypeSyntaxError(f"found '{word.text}' where '{text}' was expected")
        self.pos += 1
        return word

    def wrapped(self, wrappers: Collection[W], opening: str, closing: str, inner: Callable[[], ir.TypeExpr]) -> tuple[W, ir.TypeExpr] | None:
        """`W<T>` (or `W[T]`) as the whole cell, for W one of `wrappers`: (W, T), read by `inner`;
        None where the wrapper is not the whole cell (`Optional[int] | str`), nothing read."""
        words = self.words
        if len(words) > 1 and words[0].text in wrappers and words[1].text == opening:
            self.pos = 2
            result = inner()
            self.take(closing)
            if self.pos == len(words):
                return cast(W, words[0].text), result
            self.pos = 0
        return None


class LexemeCursor:
    """A position in a cell's lexemes, for the dialects that read links and words as lexemes. A
    link is never punctuation: `peek` does not show its text and `take(text)` does not match it."""

    def __init__(self, lexemes: list[Lexeme], page: str) -> None:
        self.lexemes = lexemes
        self.page = page
        self.pos = 0

    def peek(self) -> str | None:
        return self.lexemes[self.pos][1] if self.pos < len(self.lexemes) and self.lexemes[self.pos][0] != "link" else None

    def take(self, text: str | None = None) -> Lexeme:
        if self.pos >= len(self.lexemes):
            raise TypeSyntaxError("the type ends too early" + (f" ('{text}' missing)" if text else ""))
        lexeme = self.lexemes[self.pos]
        if text is not None and (lexeme[0] == "link" or lexeme[1] != text):
            raise TypeSyntaxError(f"found '{lexeme[1]}' where '{text}' was expected")
        self.pos += 1
        return lexeme


def plain(lexemes: list[Lexeme]) -> list[Lexeme]:
    """Emphasis and code spans only mark a type: what is inside them, as plain text lexemes."""
    flat: list[Lexeme] = []
    for lexeme in lexemes:
        flat.extend(lex_text(lexeme[1]) if lexeme[0] in ("em", "code") else [lexeme])
    return flat


def one_of(members: list[ir.TypeExpr]) -> ir.TypeExpr:
    """A union of `members`, nested unions flattened and repeats dropped; one member stands alone."""
    flat: list[ir.TypeExpr] = []
    seen: set[str] = set()  # by repr, for LiteralValue(True) == LiteralValue(1)
    for member in members:
        for m in member.members if isinstance(member, ir.OneOf) else (member,):
            if repr(m) not in seen:
                seen.add(repr(m))
                flat.append(m)
    return flat[0] if len(flat) == 1 else ir.OneOf(tuple(flat))


def lex(inline: tuple[Token, ...]) -> list[Lexeme]:
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
            lexemes.extend(lex_text(token.content))
        i += 1
    return lexemes




def lex_text(text: str) -> list[Lexeme]:
    """Lexemes of plain text: words, literals and punctuation."""
    return [("text", m.group(), "") for m in _LEXEME.finditer(text)]
