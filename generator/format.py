"""Formatting of rendered Python with black, in-process, with one mode for every file.

Files are formatted one top-level block at a time (the templates put two blank lines between
blocks, as black does), so that a cache can skip every block that did not change."""

from __future__ import annotations

import hashlib
from collections.abc import MutableMapping
from functools import cache

import black

BLOCK_SEPARATOR = "\n\n\n"


@cache
def _mode() -> black.Mode:
    return black.Mode(target_versions={black.TargetVersion.PY310})


def format_python(text: str, cache: MutableMapping[str, str] | None = None) -> str:
    """`text` formatted by black; `cache` maps a block's hash to its formatted text."""
    cache = {} if cache is None else cache
    formatted = []
    try:
        for block in text.split(BLOCK_SEPARATOR):
            key = hashlib.sha256(block.encode("utf-8")).hexdigest()
            if key not in cache:
                cache[key] = black.format_str(block + "\n", mode=_mode()).strip("\n")
            formatted.append(cache[key])
    except black.InvalidInput:  # a block boundary inside a string: format the file whole
        return black.format_str(text, mode=_mode())
    return BLOCK_SEPARATOR.join(formatted) + "\n"


def format_files(files: dict[str, str], cache: MutableMapping[str, str] | None = None) -> dict[str, str]:
    return {path: format_python(text, cache) if path.endswith(".py") else text for path, text in files.items()}
