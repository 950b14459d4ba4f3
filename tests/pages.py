"""Helpers for tests that write small pages inline."""

from __future__ import annotations

import textwrap


def page(text: str) -> str:
    """An inline page: dedented, without the leading newline of the triple-quoted string."""
    return textwrap.dedent(text).lstrip("\n")


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the only line of `text` that contains `needle`."""
    hits = [i for i, line in enumerate(text.split("\n"), start=1) if needle in line]
    assert len(hits) == 1, f"{needle!r} is on lines {hits}"
    return hits[0]
