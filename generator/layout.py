"""Black's line splitting for the few code shapes the templates make, without running black.

Black spends most of a cold run parsing code that the templates already write in its style. The
templates and filters keep every line in that style except for length, so only lines longer than
88 columns need work, and black splits the shapes the templates make in a fixed way:

- a call, subscript or display at the end of a line splits at its last bracket: `head(` / body /
  `)`, the body on one line when it fits (a display, such as a dict, never), else one item a line
  with a trailing comma, each item split the same way;
- `x = value` without brackets: `x = (` / value / `)`; `x = A | B`: the same, one operand a line
  when they do not fit on one;
- `name: A | B = default`: `name: A | B = (` / default / `)`, else the type in parentheses;
- `def f(params) -> T:` and `class C(bases):` split at their first bracket.

A long line of any other shape makes `lay_out` return None and the block goes to black itself.
The corpus test checks that black changes nothing in what this module writes."""

from __future__ import annotations

import re

LINE_LENGTH = 88  # black's default
INDENT = "    "
_PAIRS = {"(": ")", "[": "]", "{": "}"}

# Shapes of lines as `_skeleton` shows them: strings as `$`, bracket groups as `()`, `[]`, `{}`.
_NAME = r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*"
_BEFORE_LAST_GROUP = re.compile(
    rf"(?:return |(?:\| )?{_NAME}(?:\[\]|\(\))*(?:: {_NAME}(?:\[\])?)? = |{_NAME}=|{_NAME}: |\$: )?(?:{_NAME})?"
)
_ATOM = re.compile(rf"(?:\$: |{_NAME}=)?(?:\$|{_NAME})")  # black leaves such an item long
_ATOM_VALUE = re.compile(rf"{_NAME}(?:\[\])? = (?:\$|{_NAME})")
_UNION_VALUE = re.compile(rf"{_NAME} = {_NAME}(?:\[\])?(?: \| {_NAME}(?:\[\])?)+")
_ANNOTATED = re.compile(rf"{_NAME}: (?P<type>[^=]+?)(?P<default> = (?:\$|{_NAME}))?")
_DEF = re.compile(rf"def {_NAME}\(\) -> {_NAME}:")
_CLASS = re.compile(rf"class {_NAME}\(\):")
_CLASS_NO_BASES = re.compile(rf"class {_NAME}:")


def lay_out(block: str) -> str | None:
    """`block` with its long lines split as black would split them; None where a long line has a
    shape this module does not know."""
    lines = block.split("\n")
    if all(len(line) <= LINE_LENGTH for line in lines):
        return block
    out: list[str] = []
    in_docstring = False
    for line in lines:
        code = line.lstrip(" ")
        if in_docstring or code.startswith('"""'):
            # Docstrings are never split; the docstring filter escapes `"""` inside them.
            in_docstring = (line.count('"""') == 1) != in_docstring
            out.append(line)
        elif len(line) <= LINE_LENGTH or code.startswith("#"):
            out.append(line)
        else:
            split = _split(line[: len(line) - len(code)], code)
            if split is None:
                return None
            out.extend(split)
    return "\n".join(out)


def _split(indent: str, code: str) -> list[str] | None:
    if len(indent) + len(code) <= LINE_LENGTH:
        return [indent + code]
    inner = indent + INDENT
    comma = "," if code.endswith(",") else ""
    code = code[: len(code) - len(comma)]
    skeleton = _skeleton(code)
    if skeleton is None:
        return None
    if _CLASS_NO_BASES.fullmatch(skeleton):
        return [indent + code]  # nothing to split
    if _DEF.fullmatch(skeleton) or _CLASS.fullmatch(skeleton):
        head, rest = code.split("(", 1)
        inside, tail = rest.rsplit(")", 1)
        if head.startswith("def") and "," not in inside:
            inside += ","  # black gives a lone parameter a trailing comma
        tail_lines = [f"{indent}){tail}"]
        if len(tail_lines[0]) > LINE_LENGTH and len(inner + tail[4:-1]) <= LINE_LENGTH:
            tail_lines = [f"{indent}) -> (", inner + tail[4:-1], f"{indent}):"]  # the return type alone
        return [f"{indent}{head}(", inner + inside, *tail_lines] if len(inner + inside) <= LINE_LENGTH else None
    statement = not comma  # an item inside brackets splits only at its brackets
    if statement and (annotated := _ANNOTATED.fullmatch(skeleton)) and (" | " in annotated["type"] or "[" not in annotated["type"]):
        name, hint = code.split(": ", 1)
        if not annotated["default"]:
            return _wrapped(indent, f"{name}: (", _operands(inner, hint), ")")
        hint, default = _split_assignment(hint)
        if len(f"{indent}{name}: {hint} = (") <= LINE_LENGTH:
            return [f"{indent}{name}: {hint} = (", inner + default, indent + ")"]
        body = _operands(inner, hint)
        return None if body is None else [f"{indent}{name}: (", *body, f"{indent}) = {default}"]  # even if the name is long
    if statement and _ATOM_VALUE.fullmatch(skeleton):
        target, value = _split_assignment(code)
        return _wrapped(indent, f"{target} = (", [inner + value], ")")
    if statement and _UNION_VALUE.fullmatch(skeleton):
        target, value = _split_assignment(code)
        return _wrapped(indent, f"{target} = (", _operands(inner, value), ")")
    if not skeleton.endswith(("()", "[]", "{}")) or not _BEFORE_LAST_GROUP.fullmatch(skeleton[:-2]):
        return None
    opening = _last_group_start(code)
    head, body_text = code[: opening + 1], code[opening + 1 : -1]
    if not body_text or body_text.endswith(","):
        return None  # empty brackets, or a one-tuple or magic trailing comma: black's call
    items = _items(body_text)
    display = not re.search(r"[\w\])]$", head[:-1])
    if len(items) == 1:
        if len(indent + head) > LINE_LENGTH:
            return None  # black moves such a call around; it is rare enough to leave to black
        body = _split(inner, body_text)
    elif not display and len(inner + body_text) <= LINE_LENGTH:
        body = [inner + body_text]
    else:
        body = _join([[inner + item + ","] if _ATOM.fullmatch(_skeleton(item) or "") else _split(inner, item + ",") for item in items])
    return None if body is None else [indent + head, *body, indent + code[-1] + comma]


def _operands(indent: str, value: str) -> list[str] | None:
    """`A | B` inside parentheses: on one line where it fits, else one operand a line."""
    if len(indent + value) <= LINE_LENGTH:
        return [indent + value]
    return _join([_split(indent, ("| " if i else "") + operand) for i, operand in enumerate(_split_top_level(value, " | "))])


def _wrapped(indent: str, first: str, body: list[str] | None, last: str) -> list[str] | None:
    if body is None or len(indent + first) > LINE_LENGTH:
        return None
    return [indent + first, *body, indent + last]


def _join(parts: list[list[str] | None]) -> list[str] | None:
    lines: list[str] = []
    for part in parts:
        if part is None:
            return None
        lines += part
    return lines


_TOKEN = re.compile(r""""(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|["'#]|[()\[\]{},]|[^"'#()\[\]{},]+""")


def _scan(code: str) -> list[tuple[int, str, int]] | None:
    """(index, token, bracket depth) of each token: a bracket, a comma, a string (as `$`) or the
    text between them; None for text this module does not split (a comment, a triple-quoted or
    unterminated string, unbalanced brackets)."""
    out: list[tuple[int, str, int]] = []
    depth = 0
    for match in _TOKEN.finditer(code):
        token = match.group()
        if token in ('"', "'", "#"):
            return None
        if token in ")]}":
            depth -= 1
            if depth < 0:
                return None
        out.append((match.start(), "$" if token[0] in "\"'" else token, depth))
        if token in _PAIRS:
            depth += 1
    return out if depth == 0 else None


def _skeleton(code: str) -> str | None:
    """`code` at bracket depth 0, each bracket group shown as `()`, `[]` or `{}`."""
    scanned = _scan(code)
    if scanned is None:
        return None
    return "".join(char + _PAIRS[char] if char in _PAIRS else char for _, char, depth in scanned if depth == 0 and char not in ")]}")


def _last_group_start(code: str) -> int:
    return max(i for i, char, depth in _scan(code) or [] if depth == 0 and char in _PAIRS)


def _split_assignment(code: str) -> tuple[str, str]:
    """`target = value`, split at the first ` = ` outside brackets and strings."""
    i = _top_level(code, " = ")[0]
    return code[:i], code[i + 3 :]


def _items(body: str) -> list[str]:
    """`body` split at its top-level commas."""
    return [item.strip() for item in _split_top_level(body, ",")]


def _split_top_level(code: str, separator: str) -> list[str]:
    cuts = _top_level(code, separator)
    return [code[a:b] for a, b in zip([0, *(i + len(separator) for i in cuts)], [*cuts, len(code)])]


def _top_level(code: str, separator: str) -> list[int]:
    """Where `separator` stands in `code` outside brackets and strings."""
    found = []
    for start, token, depth in _scan(code) or []:
        if depth == 0 and token != "$":
            i = token.find(separator)
            while i != -1:
                found.append(start + i)
                i = token.find(separator, i + 1)
    return found
