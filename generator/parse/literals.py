"""The lexer of `## Example Usage` literals, TypeScript and Python (see `examples.py`): tokens
with their line, strings and numbers already decoded by each dialect's rules."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal, NoReturn

Dialect = Literal["typescript", "python"]


class ExampleSyntaxError(ValueError):
    """A code block that does not read as an example; the message says what was found and what was
    expected, `.line` is the 1-based line within the code block."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True, slots=True)
class Token:
    kind: str
    """"name", "string", "number", "punct", "comment" (Python `/* */`), "newline" (Python), "eof"."""
    text: str
    """The source text (of a string: with its quotes)."""
    line: int
    value: str | int | float | None = None
    after_comment: bool = False
    """A comment comes right before the token (TypeScript)."""
    is_bytes: bool = False


_NUMBER_SPAN = re.compile(r"[0-9.][0-9A-Za-z_.]*(?:(?<=[eE])[+-][0-9A-Za-z_.]*)?")
_DIGITS = r"[0-9](?:_?[0-9])*"
_EXPONENT = rf"[eE][+-]?{_DIGITS}"
_TS_DECIMAL = r"0|[1-9](?:_?[0-9])*"
TS_INT = re.compile(rf"(?:{_TS_DECIMAL}|0[xX][0-9a-fA-F](?:_?[0-9a-fA-F])*|0[oO][0-7](?:_?[0-7])*|0[bB][01](?:_?[01])*)n?")
_TS_FLOAT = re.compile(rf"(?:(?:{_TS_DECIMAL})\.(?:{_DIGITS})?|\.{_DIGITS})(?:{_EXPONENT})?|(?:{_TS_DECIMAL}){_EXPONENT}")
_PY_INT = re.compile(r"[1-9](?:_?[0-9])*|0(?:_?0)*|0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+")
_PY_FLOAT = re.compile(rf"(?:{_DIGITS}\.(?:{_DIGITS})?|\.{_DIGITS})(?:{_EXPONENT})?|{_DIGITS}{_EXPONENT}")
_PY_STRING_PREFIXES = {"r", "u", "b", "br", "rb", "f", "fr", "rf"}
_TS_SIMPLE_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_PY_SIMPLE_ESCAPES = {"\\": "\\", "'": "'", '"': '"', "a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_HEX = set("0123456789abcdefABCDEF")


def _is_name_start(char: str, dialect: Dialect) -> bool:
    return char == "_" or char.isalpha() or (char == "$" and dialect == "typescript")


def _is_name_part(char: str, dialect: Dialect) -> bool:
    return (
        _is_name_start(char, dialect)
        or char.isdigit()
        or unicodedata.category(char) in ("Mn", "Mc", "Nd", "Pc")
        or (dialect == "typescript" and char in "\u200c\u200d")
    )


class Lexer:
    def __init__(self, code: str, dialect: Dialect) -> None:
        self.code = code
        self.dialect = dialect
        self.i = 0
        self.line = 1
        self.depth = 0  # open brackets (Python: line breaks inside do not end a statement)
        self.comment = False
        self.tokens: list[Token] = []

    def error(self, line: int, message: str) -> NoReturn:
        raise ExampleSyntaxError(line, message)

    def add(self, kind: str, text: str, line: int, value: str | int | float | None = None, is_bytes: bool = False) -> None:
        self.tokens.append(Token(kind, text, line, value, self.comment, is_bytes))
        self.comment = False

    def run(self) -> list[Token]:
        code, ts = self.code, self.dialect == "typescript"
        while self.i < len(code):
            char = code[self.i]
            nxt = code[self.i + 1 : self.i + 2]
            if char == "\n":
                if not ts and self.depth == 0 and self.tokens and self.tokens[-1].kind != "newline":
                    self.add("newline", "\n", self.line)
                self.line += 1
                self.i += 1
            elif char.isspace() or char == "\ufeff":
                self.i += 1
            elif (ts and char == "/" and nxt == "/") or (not ts and char == "#"):
                end = code.find("\n", self.i)
                self.i = len(code) if end < 0 else end
            elif char == "/" and nxt == "*":
                end = code.find("*/", self.i + 2)
                if end < 0:
                    self.error(self.line, "comment '/*' is not closed; expected '*/'")
                text = code[self.i : end + 2]
                if ts:
                    self.comment = True
                else:
                    self.add("comment", text, self.line)
                self.line += text.count("\n")
                self.i = end + 2
            elif not ts and char == "\\" and nxt == "\n":
                self.i += 2
                self.line += 1
            elif char in "\"'" or (ts and char == "`"):
                if ts:
                    self.ts_string()
                else:
                    self.py_string("")
            elif char.isdigit() or (char == "." and nxt.isdigit()):
                self.number()
            elif _is_name_start(char, self.dialect):
                start = self.i
                while self.i < len(code) and _is_name_part(code[self.i], self.dialect):
                    self.i += 1
                name = code[start : self.i]
                if not ts and name.lower() in _PY_STRING_PREFIXES and code[self.i : self.i + 1] in ("'", '"'):
                    self.py_string(name.lower())
                else:
                    self.add("name", name, self.line)
            else:
                self.punct()
        eof_line = code.rstrip().count("\n") + 1
        if not ts and self.depth == 0 and self.tokens and self.tokens[-1].kind != "newline":
            self.add("newline", "\n", eof_line)
        self.add("eof", "", eof_line)
        return self.tokens

    def punct(self) -> None:
        code = self.code
        for text in ("...", "=>", "==") if self.dialect == "typescript" else ("...", "==", "**", "->", ":="):
            if code.startswith(text, self.i):
                break
        else:
            text = code[self.i]
        if text in "([{":
            self.depth += 1
        elif text in ")]}":
            self.depth = max(0, self.depth - 1)
        self.add("punct", text, self.line)
        self.i += len(text)

    def number(self) -> None:
        match = _NUMBER_SPAN.match(self.code, self.i)
        assert match is not None
        text = match.group()
        self.i = match.end()
        digits = text.replace("_", "")
        value: int | float
        if self.dialect == "typescript":
            if TS_INT.fullmatch(text):
                value = int(digits.removesuffix("n"), 0)
            elif _TS_FLOAT.fullmatch(text):
                value = float(digits)
            else:
                self.error(self.line, f"malformed number '{text}'; expected a number such as 42, -1.5 or 2e10")
        else:
            if text[-1] in "jJ":
                self.error(self.line, f"complex number '{text}'; expected an int or a float")
            if _PY_INT.fullmatch(text):
                value = int(digits, 0)
            elif _PY_FLOAT.fullmatch(text):
                value = float(digits)
            else:
                self.error(self.line, f"malformed number '{text}'; expected a number such as 42, -1.5 or 2e10")
        if isinstance(value, float) and not math.isfinite(value):
            self.error(self.line, f"number '{text}' is out of range; expected a finite number")
        self.add("number", text, self.line, value)

    # -- TypeScript strings -----------------------------------------------------------------------

    def ts_string(self) -> None:
        code, start, start_line = self.code, self.i, self.line
        quote = code[start]
        out: list[str] = []
        j = start + 1
        while True:
            if j >= len(code):
                self.error(start_line, f"string starting with {quote} is not closed; expected a closing {quote}")
            char = code[j]
            if char == quote:
                j += 1
                break
            if char == "\n":
                if quote != "`":
                    self.error(start_line, f"line break inside a string; expected the closing {quote} on the same line")
                self.line += 1
            if quote == "`" and char == "$" and code[j + 1 : j + 2] == "{":
                self.error(self.line, "substitution '${' in a template literal; expected a plain string")
            if char == "\\":
                text, j = self.ts_escape(j + 1, start_line, quote)
                out.append(text)
                continue
            out.append(char)
            j += 1
        self.i = j
        value = join_surrogates("".join(out), start_line)
        self.add("string", code[start:j], start_line, value)

    def ts_escape(self, j: int, start_line: int, quote: str) -> tuple[str, int]:
        """The text an escape stands for (j: just after the backslash) and where it ends."""
        code = self.code
        if j >= len(code):
            self.error(start_line, f"string starting with {quote} is not closed; expected a closing {quote}")
        char = code[j]
        if char == "\n":  # line continuation
            self.line += 1
            return "", j + 1
        if char in _TS_SIMPLE_ESCAPES:
            return _TS_SIMPLE_ESCAPES[char], j + 1
        if char == "0" and not code[j + 1 : j + 2].isdigit():
            return "\0", j + 1
        if char in "01234567":
            self.error(self.line, f"octal escape '\\{char}'; expected \\x.., \\u.... or \\u{{...}} escapes")
        if char == "x":
            digits = code[j + 1 : j + 3]
            if len(digits) != 2 or not set(digits) <= _HEX:
                self.error(self.line, "malformed escape '\\x'; expected two hex digits, as in \\x41")
            return chr(int(digits, 16)), j + 3
        if char == "u":
            if code[j + 1 : j + 2] == "{":
                end = code.find("}", j + 2)
                digits = code[j + 2 : end] if end > 0 else ""
                if not digits or not set(digits) <= _HEX or int(digits, 16) > 0x10FFFF:
                    self.error(self.line, "malformed escape '\\u{'; expected a code point in hex, as in \\u{1F600}")
                return chr(int(digits, 16)), end + 1
            digits = code[j + 1 : j + 5]
            if len(digits) != 4 or not set(digits) <= _HEX:
                self.error(self.line, "malformed escape '\\u'; expected four hex digits, as in \\u00e9")
            return chr(int(digits, 16)), j + 5
        return char, j + 1  # \" \' \\ \` \$ \/ and any other character stand for themselves

    # -- Python strings ---------------------------------------------------------------------------

    def py_string(self, prefix: str) -> None:
        code, start_line = self.code, self.line
        start = self.i - len(prefix)
        raw, is_bytes = "r" in prefix, "b" in prefix
        if "f" in prefix:
            self.error(start_line, "f-string; expected a plain string literal")
        quote = code[self.i] * 3 if code.startswith(code[self.i] * 3, self.i) else code[self.i]
        out: list[str] = []
        j = self.i + len(quote)
        while True:
            if j >= len(code):
                self.error(start_line, f"string starting with {quote} is not closed; expected a closing {quote}")
            char = code[j]
            if code.startswith(quote, j):
                j += len(quote)
                break
            if char == "\n":
                if len(quote) == 1:
                    self.error(start_line, f"line break inside a string; expected the closing {quote} on the same line")
                self.line += 1
            if is_bytes and ord(char) > 0x7F:
                self.error(self.line, f"non-ASCII character {char!r} in a bytes literal; expected ASCII or \\x escapes")
            if char == "\\":
                if j + 1 >= len(code):
                    self.error(start_line, f"string starting with {quote} is not closed; expected a closing {quote}")
                if raw:
                    out.append(code[j : j + 2])
                    self.line += code[j + 1] == "\n"
                    j += 2
                    continue
                text, j = self.py_escape(j + 1, is_bytes)
                out.append(text)
                continue
            out.append(char)
            j += 1
        self.i = j
        value = "".join(out)
        if any(0xD800 <= ord(c) <= 0xDFFF for c in value):
            self.error(start_line, "surrogate code point in a string; expected text that is valid Unicode")
        self.add("string", code[start:j], start_line, value, is_bytes)

    def py_escape(self, j: int, is_bytes: bool) -> tuple[str, int]:
        code = self.code
        char = code[j]
        if char == "\n":
            self.line += 1
            return "", j + 1
        if char in _PY_SIMPLE_ESCAPES:
            return _PY_SIMPLE_ESCAPES[char], j + 1
        if char in "01234567":
            end = j
            while end < j + 3 and end < len(code) and code[end] in "01234567":
                end += 1
            value = int(code[j:end], 8)
            if is_bytes and value > 0xFF:
                self.error(self.line, f"octal escape '\\{code[j:end]}' is above \\377 in a bytes literal")
            return chr(value), end
        sizes = {"x": 2} if is_bytes else {"x": 2, "u": 4, "U": 8}
        if char in sizes:
            digits = code[j + 1 : j + 1 + sizes[char]]
            if len(digits) != sizes[char] or not set(digits) <= _HEX or int(digits, 16) > 0x10FFFF:
                self.error(self.line, f"malformed escape '\\{char}'; expected {sizes[char]} hex digits")
            return chr(int(digits, 16)), j + 1 + sizes[char]
        if char == "N" and not is_bytes:
            end = code.find("}", j)
            name = code[j + 2 : end] if code[j + 1 : j + 2] == "{" and end > 0 else ""
            try:
                return unicodedata.lookup(name), end + 1
            except KeyError:
                self.error(self.line, f"unknown character name in '\\N{{{name}}}'; expected a Unicode character name")
        return "\\" + char, j + 1  # Python keeps unknown escapes as written


def join_surrogates(text: str, line: int) -> str:
    """JavaScript strings are UTF-16: `\\uD83D\\uDE00` is one character."""
    if not any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        return text
    joined = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    if any(0xD800 <= ord(c) <= 0xDFFF for c in joined):
        raise ExampleSyntaxError(line, "unpaired surrogate escape in a string; expected a high and a low surrogate together")
    return joined
