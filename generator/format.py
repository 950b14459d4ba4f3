"""Rendered Python in black's style, one top-level block at a time (the templates put two blank
lines between blocks, as black does).

The templates and filters already write black's style except for line length, and `layout`
splits long lines the way black does for the shapes the templates make. Black itself, in-process
with one mode for every file, formats only the blocks `layout` does not know; a cache skips the
blocks it formatted before, and many blocks are spread over the machine's cores. The corpus test
checks that black changes nothing in the result."""

from __future__ import annotations

import hashlib
import os
from collections.abc import MutableMapping
from concurrent.futures import ProcessPoolExecutor

from .layout import lay_out

BLOCK_SEPARATOR = "\n\n\n"
PARALLEL_FROM = 300  # blocks for black; below this, starting workers costs more than it saves


def format_files(files: dict[str, str], cache: MutableMapping[str, str] | None = None) -> dict[str, str]:
    """Python files in black's style, the rest as they are; `cache` maps a block's hash to its
    text as black formatted it."""
    cache = {} if cache is None else cache
    result = dict(files)
    for path, text in files.items():
        if not path.endswith(".py"):
            continue
        blocks = [(block, lay_out(block)) for block in text.split(BLOCK_SEPARATOR)]
        todo = {_key(block): block for block, laid in blocks if laid is None and _key(block) not in cache}
        formatted = _black_blocks(list(todo.values()))
        if any(f is None for f in formatted):  # a block boundary inside a string: the file as a whole
            result[path] = _black(text)
            continue
        for key, block in zip(todo, formatted):
            cache[key] = block  # type: ignore[assignment]
        result[path] = BLOCK_SEPARATOR.join(laid if laid is not None else cache[_key(block)] for block, laid in blocks).rstrip("\n") + "\n"
    return result


def _black_blocks(blocks: list[str]) -> list[str | None]:
    workers = min(os.cpu_count() or 1, 8)
    if len(blocks) >= PARALLEL_FROM and workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            return list(pool.map(_black_block, blocks, chunksize=64))
    return [_black_block(block) for block in blocks]


def _black_block(block: str) -> str | None:
    """A block formatted, or None when it is not valid Python on its own."""
    import black

    try:
        return _black(block + "\n").strip("\n")
    except black.InvalidInput:
        return None


def _black(text: str) -> str:
    import black  # only when a block needs it: most runs never import black

    return black.format_str(text, mode=black.Mode(target_versions={black.TargetVersion.PY310}))


def _key(block: str) -> str:
    return hashlib.sha256(block.encode("utf-8")).hexdigest()
