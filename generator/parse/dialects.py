"""The table of dialects: one entry per SDK language whose docs docmodels reads, and how a page's
dialect is told. Adding a language is one grammar module, one entry here and its name in
`config.DIALECTS`."""

from __future__ import annotations

import bisect
import collections
import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from markdown_it.token import Token

from .. import ir
from . import csharp, go, java, php, python, ruby, typescript
from .cells import TypeSyntaxError


@dataclass(frozen=True, slots=True)
class Dialect:
    name: str
    fences: frozenset[str]
    """Code fence languages that are this dialect (`python`, `py`)."""
    cues: re.Pattern[str]
    """What only this dialect writes in a Type cell or union member heading."""
    parse_cell: Callable[[tuple[Token, ...], str, bool], tuple[ir.TypeExpr, bool | None]]
    """(a Type cell's inline tokens, the page, whether the field is required) -> the type, and
    whether the cell says the field is nullable (None: it does not say)."""
    expected: str
    """What a Type cell may hold, for messages."""
    example_literals: str | None
    """The literal reader (`examples.read_example`) its Example Usage blocks are read with;
    None: `examples.read_code_example`, which knows constants and simple literals only."""
    parse_member_code: Callable[[str, str], ir.TypeExpr]
    """(the code block under an empty union member heading, the page) -> the member's type
    (Go: `components.CreateUnionStr(string{/* values here */})` is a string)."""


def no_member_code(code: str, page: str) -> ir.TypeExpr:
    raise TypeSyntaxError("an empty heading; expected the member's type in it")


DIALECTS: dict[str, Dialect] = {
    m.NAME: Dialect(m.NAME, m.FENCES, m.CUES, m.parse_cell, m.EXPECTED, getattr(m, "EXAMPLE_LITERALS", None), getattr(m, "parse_member_code", no_member_code))
    for m in (typescript, python, go, java, csharp, php, ruby)
}
DEFAULT = "typescript"

_FENCE = re.compile(r"^ {0,3}(?:```|~~~)[ \t]*([\w#+.-]+)", re.MULTILINE)
# A table row's second cell (Type) and a `###` heading (a union member): where types are written.
_VALUES = re.compile(r"^## Values[ \t]*\n(?:(?!## ).*\n?)*", re.MULTILINE)  # an enum's values are no types
_TYPE_TEXT = re.compile(r"^\|[^|\n]*\|((?:[^|\n\\]|\\.)*)|^#{3,6}[ \t]+(.*)$", re.MULTILINE)


def sniff(text: str) -> str | None:
    """The dialect a page's text is surely in, or None where it could be in several or says
    nothing (only links, say). Type cells say which dialects a page may be in (`*string*` is
    TypeScript's, Go's, C#'s and PHP's): those whose cues account for every cell that has any,
    else those that account for some. A code fence's language picks among them; else the one
    with the most cues on the page (`Record<` sixteen times beside one `*string*`); a fence
    decides alone where the cells say nothing."""
    fenced = {d.name for language in _FENCE.findall(text) for d in DIALECTS.values() if language.lower() in d.fences}
    cells = [a or b for a, b in _TYPE_TEXT.findall(_VALUES.sub("", text))]
    # Each dialect's cues are searched once over all the cells (a search per cell costs more
    # than the matching), and each match is given to the cell it falls in.
    joined = "\n".join(cells)
    ends = list(itertools.accumulate(len(c) + 1 for c in cells))
    by_cell: dict[int, set[str]] = collections.defaultdict(set)
    counts: collections.Counter[str] = collections.Counter()
    for d in DIALECTS.values():
        for match in d.cues.finditer(joined):
            by_cell[bisect.bisect_right(ends, match.start())].add(d.name)
            counts[d.name] += 1
    per_cell = list(by_cell.values())
    cued = set.intersection(*per_cell) or set.union(*per_cell) if per_cell else set()
    most = max((counts[d] for d in cued), default=0)
    for found in (cued & fenced, {d for d in cued if counts[d] == most}, fenced):
        if found:
            return next(iter(found)) if len(found) == 1 else None
    return None


def majority(sniffed: Iterable[str | None]) -> str | None:
    """The dialect most pages of a folder are surely in (ties go to the table's order)."""
    counts = {name: 0 for name in DIALECTS}
    for name in sniffed:
        if name is not None:
            counts[name] += 1
    best = max(counts, key=lambda name: counts[name])
    return best if counts[best] else None
