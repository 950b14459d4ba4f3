"""Type cells of the PHP dialect: `*string*`, `*int*`, `*float*`, `*bool*`, `*mixed*`, `*?string*`,
`array<T>`, `array<string, T>`, `[Components\\X](../../Models/Components/X.md)`, `[?Components\\X](...)`,
`[\\DateTime](https://www.php.net/...)`, a link whose text lists a union's members
(`[string\\|int\\|null](../../Models/Components/Value.md)`, the link names the union's page), and the
code-span forms of union member headings (`` `Components\\X` ``, `` `\\DateTime` ``, `` `array` ``).

The PHP docs never say whether a field may be null. `?T` and a trailing `|null` are how the SDK
spells a property that may be left out: every optional scalar or model field is written `?T`, every
optional union `A|B|null`, whether or not the API accepts null there, and a required field is
written bare even where the API sends null (the SDK's own property is `?T` then). So `?` and `null`
in a cell are read as the type around them, and the `nullable` setting decides.
"""

from __future__ import annotations

import json
import posixpath
import re

from markdown_it.token import Token

from .. import ir
from .cells import Lexeme, LexemeCursor, SdkOnly, TypeSyntaxError, lex, lex_text, linked_page, one_of, well_known

NAME = "php"
EXAMPLE_LITERALS = None
FENCES = frozenset({"php"})
CUES = re.compile(
    r"\*\??(?:string|int|float|bool|mixed)\*|\barray<|\[\?|"
    r"\b(?:Components|Operations|Errors|Webhooks|Shared)\\[A-Za-z_]|"
    r"\\DateTime\b|\\Brick\\|php\.net/|php-fig\.org/|\\Psr\\Http\\"
)
"""What PHP type cells say: `*?T*`, `array<`, `[?X](...)`, backslashed namespaces and the links
to php.net and php-fig.org are PHP's alone; `*string*`, `*int*`, `*float*` and `*bool*` are other
dialects' too, and are claimed so that a page with only those cells is not theirs alone."""

EXPECTED = (
    "expected *string*, *int*, *float*, *bool*, *mixed*, [\\DateTime](...), a link to a model page "
    "([Components\\X](...)), Components\\X, array<T>, array<string, T> or A|B, any of them optionally ?T"
)

_ANY = ir.Primitive("any")
_NAMED: dict[str, ir.TypeExpr] = {
    "string": ir.Primitive("string"),
    "int": ir.Primitive("integer"),
    "integer": ir.Primitive("integer"),
    "float": ir.Primitive("number"),
    "double": ir.Primitive("number"),
    "bool": ir.Primitive("boolean"),
    "boolean": ir.Primitive("boolean"),
    "mixed": _ANY,
    "object": ir.Map(_ANY),
    "null": ir.LiteralValue(None),
    "true": ir.LiteralValue(True),
    "false": ir.LiteralValue(False),
    # A bare `array` (a union member heading, a member listed in a link's text) is a PHP array:
    # a JSON list or a JSON object, of values the heading does not say.
    "array": ir.OneOf((ir.Array(_ANY), ir.Map(_ANY))),
}
# The library classes the SDK writes for dates, big numbers and streams, with or without the
# leading backslash (`[\DateTime](https://www.php.net/...)`, `[LocalDate](...)`).
_LIBRARY: dict[str, ir.TypeExpr] = {
    "DateTime": ir.Primitive("date-time"),
    "DateTimeInterface": ir.Primitive("date-time"),
    "DateTimeImmutable": ir.Primitive("date-time"),
    "Brick\\DateTime\\LocalDate": ir.Primitive("date"),
    "LocalDate": ir.Primitive("date"),
    "Brick\\Math\\BigInteger": ir.Primitive("integer"),
    "BigInteger": ir.Primitive("integer"),
    "Brick\\Math\\BigDecimal": ir.Primitive("number"),
    "BigDecimal": ir.Primitive("number"),
    "Psr\\Http\\Message\\StreamInterface": ir.Primitive("binary"),
    "GuzzleHttp\\Psr7\\Stream": ir.Primitive("binary"),
}
# PSR-7's HTTP messages, which the SDK attaches to results (`rawResponse`), are not wire data.
_SDK_ONLY = frozenset({"Psr\\Http\\Message\\ResponseInterface", "Psr\\Http\\Message\\RequestInterface", "Psr\\Http\\Message\\ServerRequestInterface"})
_SEGMENT = r"[A-Za-z_][A-Za-z0-9_]*"
_QUALIFIED = re.compile(rf"\\?((?:{_SEGMENT}\\)+)({_SEGMENT})")
_NAMESPACE_FOLDER = re.compile(r"[A-Z][A-Za-z0-9_]*")
_VAR = re.compile(r"@var\s+(\S+)")


def parse_cell(inline: tuple[Token, ...], page: str, required: bool) -> tuple[ir.TypeExpr, bool | None]:
    """A Type cell's type, and whether the cell says the field is nullable: PHP cells never do
    (`?T` and `|null` mark a property that may be left out, see the module's docstring)."""
    return parse_lexemes(lex(inline), page), None


def parse_code(text: str, page: str) -> ir.TypeExpr:
    """Parse a type written as plain text (`Components\\A|Components\\B`, `array<string, mixed>`)."""
    return parse_lexemes(lex_text(text), page)


def parse_member_code(code: str, page: str) -> ir.TypeExpr:
    """The type of a union member from the code under its heading: its `@var` docblock line
    (`* @var array<\\Polar\\Models\\Components\\X>`)."""
    match = _VAR.search(code)
    if match is None:
        raise TypeSyntaxError("an empty heading, and no '@var T' in the code under it; expected the member's type")
    return parse_code(match.group(1), page)


def parse_lexemes(lexemes: list[Lexeme], page: str) -> ir.TypeExpr:
    # Emphasis and code spans only mark a type: read what is inside them as plain text. A link
    # stays one lexeme: its text is read with its href (see _Parser.link).
    flat: list[Lexeme] = []
    for lexeme in lexemes:
        flat.extend(lex_text(lexeme[1]) if lexeme[0] in ("em", "code") else [lexeme])
    if not flat:
        raise TypeSyntaxError("the Type is empty")
    parser = _Parser(flat, page)
    result = parser.union()
    if parser.pos != len(flat):
        raise TypeSyntaxError(f"unexpected '{flat[parser.pos][1]}'")
    return result


def _namespaced_page(namespace: str, name: str, page: str) -> str:
    """The page a namespaced name (`Errors\\Four`) is documented on: the SDK's docs keep one folder
    per namespace (`docs/Models/Errors/Four.md`), so beside the folder of a page that is itself in
    such a folder; empty (resolve finds it by name) where the page is not."""
    folder = posixpath.dirname(page)
    segment = namespace.rstrip("\\").rsplit("\\", 1)[-1]
    if not _NAMESPACE_FOLDER.fullmatch(posixpath.basename(folder)) or not _NAMESPACE_FOLDER.fullmatch(segment):
        return ""
    return posixpath.normpath(posixpath.join(posixpath.dirname(folder), segment, f"{name}.md"))


class _Parser(LexemeCursor):
    def union(self) -> ir.TypeExpr:
        members = [self.atom()]
        while self.peek() == "|":
            self.pos += 1
            members.append(self.atom())
        return one_of(members)

    def atom(self) -> ir.TypeExpr:
        kind, text, href = self.take()
        if kind == "link":
            return self.link(text, href)
        word = text.removeprefix("?")  # `?T`: a property that may be left out, see the module
        if word == "array" and self.peek() == "<":
            return self.generic()
        return self.named(word, text)

    def generic(self) -> ir.TypeExpr:
        """`array<T>` (a list) or `array<K, T>` (a map with string keys; integer keys are a list)."""
        self.take("<")
        first = self.union()
        if self.peek() == ",":
            self.pos += 1
            value = self.union()
            self.take(">")
            if first == ir.Primitive("string"):
                return ir.Map(value)
            if first == ir.Primitive("integer"):
                return ir.Array(value)
            raise TypeSyntaxError("array key type other than string or int")
        self.take(">")
        return ir.Array(first)

    def named(self, word: str, text: str) -> ir.TypeExpr:
        bare = word.removeprefix("\\")
        if bare in _SDK_ONLY:
            raise SdkOnly(bare)
        if word in _NAMED:
            return _NAMED[word]
        if bare in _LIBRARY:
            return _LIBRARY[bare]
        if word.startswith('"') and len(word) > 1:
            return ir.LiteralValue(json.loads(word))
        if re.fullmatch(r"-?\d+", word):
            return ir.LiteralValue(int(word))
        if match := _QUALIFIED.fullmatch(word):
            return ir.Ref(match.group(2), _namespaced_page(match.group(1), match.group(2), self.page))
        if text in ("<", ">", ",", "|", "?"):
            raise TypeSyntaxError(f"unexpected '{text}'")
        raise TypeSyntaxError(f"unknown type '{text}'")

    def link(self, text: str, href: str) -> ir.TypeExpr:
        """A link's text is a type (`?Components\\X`, `\\DateTime`, `string|int|null`); the link
        points at the page that defines it, or for the library's classes at their manual."""
        name = text.strip().removeprefix("?")
        bare = name.removeprefix("\\")
        if bare in _SDK_ONLY:
            raise SdkOnly(bare)
        if (known := well_known(name, href)) is not None:
            return known
        if bare in _LIBRARY:
            return _LIBRARY[bare]
        target = linked_page(text, href, self.page)
        listed = parse_code(name, self.page)  # the text must be a type, even where the page says more
        if match := _QUALIFIED.fullmatch(name):
            return ir.Ref(match.group(2), target)
        if isinstance(listed, (ir.Primitive, ir.LiteralValue)) and name != "array":
            raise TypeSyntaxError(f"link '{text}' names a {name}, not a model; expected the type without a link")
        # The text lists a union's members (`string|int|null`) or says `array`: the page is the union's.
        stem = posixpath.basename(target.split("#", 1)[0]).removesuffix(".md")
        return ir.Ref(stem, target)
