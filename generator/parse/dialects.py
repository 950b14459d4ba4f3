"""The table of dialects: one entry per SDK language whose docs docmodels reads, and how a page's
dialect is told. Adding a language is one grammar module, one entry here and its name in
`config.DIALECTS`."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from markdown_it.token import Token

from .. import ir
from . import python, typescript


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


DIALECTS: dict[str, Dialect] = {
    m.NAME: Dialect(m.NAME, m.FENCES, m.CUES, m.parse_cell, m.EXPECTED) for m in (typescript, python)
}
DEFAULT = "typescript"

_FENCE = re.compile(r"^ {0,3}(?:```|~~~)[ \t]*([\w#+.-]+)", re.MULTILINE)
# A table row's second cell (Type) and a `###` heading (a union member): where types are written.
_TYPE_TEXT = re.compile(r"^\|[^|\n]*\|((?:[^|\n\\]|\\.)*)|^#{3,6}[ \t]+(.*)$", re.MULTILINE)


def sniff(text: str) -> str | None:
    """The dialect a page's text is surely in, or None where it could be in several or says
    nothing (only links, say): a code fence's language, else the one dialect whose cues it has."""
    for language in _FENCE.findall(text):
        for dialect in DIALECTS.values():
            if language.lower() in dialect.fences:
                return dialect.name
    cells = "\n".join(a or b for a, b in _TYPE_TEXT.findall(text))
    found = [d.name for d in DIALECTS.values() if d.cues.search(cells)]
    return found[0] if len(found) == 1 else None


def majority(sniffed: Iterable[str | None]) -> str | None:
    """The dialect most pages of a folder are surely in (ties go to the table's order)."""
    counts = {name: 0 for name in DIALECTS}
    for name in sniffed:
        if name is not None:
            counts[name] += 1
    best = max(counts, key=lambda name: counts[name])
    return best if counts[best] else None
