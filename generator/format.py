"""Formatting of rendered Python with black, in-process, with one mode for every file.

Files are formatted one top-level block at a time (the templates put two blank lines between
blocks, as black does): a cache skips every block that did not change, and a large cold run
spreads the blocks over the machine's cores."""

from __future__ import annotations

import hashlib
import os
from collections.abc import MutableMapping
from concurrent.futures import ProcessPoolExecutor
from functools import cache

import black

BLOCK_SEPARATOR = "\n\n\n"
PARALLEL_FROM = 300  # blocks; below this, starting workers costs more than it saves


@cache
def _mode() -> black.Mode:
    return black.Mode(target_versions={black.TargetVersion.PY310})


def _format_block(block: str) -> str | None:
    """A block formatted, or None when it is not valid Python on its own."""
    try:
        return black.format_str(block + "\n", mode=_mode()).strip("\n")
    except black.InvalidInput:  # a block boundary inside a string
        return None


def format_files(files: dict[str, str], cache: MutableMapping[str, str] | None = None) -> dict[str, str]:
    """Python files formatted by black, the rest as they are; `cache` maps a block's hash to its
    formatted text."""
    cache = {} if cache is None else cache
    split = {path: text.split(BLOCK_SEPARATOR) for path, text in files.items() if path.endswith(".py")}
    todo = {_key(b): b for blocks in split.values() for b in blocks if _key(b) not in cache}
    workers = min(os.cpu_count() or 1, 8)
    if len(todo) >= PARALLEL_FROM and workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            done = pool.map(_format_block, todo.values(), chunksize=64)
            formatted = dict(zip(todo, done))
    else:
        formatted = {key: _format_block(block) for key, block in todo.items()}
    result = dict(files)
    for path, blocks in split.items():
        keys = [_key(b) for b in blocks]
        if any(k in formatted and formatted[k] is None for k in keys):
            result[path] = black.format_str(files[path], mode=_mode())
            continue
        for key in keys:
            if key in formatted:
                cache[key] = formatted[key]  # type: ignore[assignment]
        result[path] = BLOCK_SEPARATOR.join(cache[k] for k in keys) + "\n"
    return result


def _key(block: str) -> str:
    return hashlib.sha256(block.encode("utf-8")).hexdigest()
