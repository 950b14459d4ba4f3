"""Type cells of the PHP dialect. Not read yet: every Type cell is an error."""

from __future__ import annotations

import re

from markdown_it.token import Token

from .. import ir
from .cells import TypeSyntaxError

NAME = "php"
FENCES = frozenset({"php"})
CUES = re.compile(r"(?!)")
"""What only PHP type cells say."""
EXPECTED = "expected a PHP type"


def parse_cell(inline: tuple[Token, ...], page: str, required: bool) -> tuple[ir.TypeExpr, bool | None]:
    """A Type cell's type, and whether the cell says the field is nullable (None: it does not say)."""
    raise TypeSyntaxError("the PHP dialect is not read yet")
