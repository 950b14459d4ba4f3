"""Type cells of the Java dialect. Not read yet: every Type cell is an error."""

from __future__ import annotations

import re

from markdown_it.token import Token

from .. import ir
from .cells import TypeSyntaxError

NAME = "java"
FENCES = frozenset({"java"})
CUES = re.compile(r"(?!)")
"""What only Java type cells say."""
EXPECTED = "expected a Java type"


def parse_cell(inline: tuple[Token, ...], page: str, required: bool) -> tuple[ir.TypeExpr, bool | None]:
    """A Type cell's type, and whether the cell says the field is nullable (None: it does not say)."""
    raise TypeSyntaxError("the Java dialect is not read yet")
