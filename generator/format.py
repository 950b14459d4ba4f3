"""Rendered Python in black's style, one top-level block at a time (the templates put two blank
lines between blocks, as black does).

The templates and filters already write black's style except for line length, and `layout`
splits long lines the way black does for the shapes the templates make. Black itself, in-process
with one mode for every file, formats only the blocks `layout` does not know (and everything
from custom templates); a cache keeps what was laid out or formatted before, and many blocks for
black are spread over the machine's cores. The corpus test checks that black changes nothing in
the result."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import re
from collections.abc import Iterator, MutableMapping

from .layout import LINE_LENGTH, lay_out
from .workers import worker_pool

BLOCK_SEPARATOR = "\n\n\n"
# Two blank lines before a line that starts at column 0: inside a docstring, the next text line is
# indented, so a description with blank lines in it is never cut.
_BLOCK_START = re.compile(r"\n\n\n(?=\S)")
PARALLEL_FROM = 300  # blocks for black; below this, starting workers costs more than it saves


def format_files(files: dict[str, str], cache: MutableMapping[str, str] | None = None, black_all: bool = False) -> dict[str, str]:
    """Python files in black's style, the rest as they are; `cache` maps the hash of a block with
    long lines to the block laid out (or formatted by black). `black_all`: the text does not come
    from the built-in templates, so only black can know its style. `files` is changed in place
    and returned: a module's unformatted text is let go before its formatted text is made, so
    that a large one is not held twice over."""
    for path in [p for p in files if p.endswith(".py")]:
        blocks: list[str] = _BLOCK_START.split(files[path])
        todo: dict[int, str] = {}  # block index -> cache key, for black
        for i, block in enumerate(blocks):
            if not black_all and max(map(len, block.split("\n"))) <= LINE_LENGTH:
                continue  # nothing to split, and already in black's style
            key = _key(block, black_all) if cache is not None else ""
            if cache is not None and key in cache:
                blocks[i] = cache[key]
            elif not black_all and (laid := lay_out(block)) is not None:
                blocks[i] = laid
                if cache is not None:
                    cache[key] = laid
            else:
                todo[i] = key
        formatted = _black_blocks([blocks[i] for i in todo])
        if any(f is None for f in formatted):  # not valid Python on its own: the file as a whole
            files[path] = _black(files[path])
            continue
        for (i, key), black_block in zip(todo.items(), formatted):
            assert black_block is not None
            blocks[i] = black_block
            if cache is not None:
                cache[key] = black_block
        files[path] = ""  # the unformatted text goes before the formatted one is joined
        blocks[-1] = blocks[-1].rstrip("\n") + "\n"  # one at the end (a block after the first starts with text)
        files[path] = BLOCK_SEPARATOR.join(blocks)
    return files


def _black_blocks(blocks: list[str]) -> list[str | None]:
    if len(blocks) >= PARALLEL_FROM and (pool := worker_pool()) is not None:
        with pool:
            return list(pool.map(_black_block, blocks, chunksize=64))
    return [_black_block(block) for block in blocks]


def _black_block(block: str) -> str | None:
    """A block formatted, or None when it is not valid Python on its own."""
    from black.parsing import InvalidInput

    try:
        return _black(block + "\n").strip("\n")
    except InvalidInput:
        return None


def _black(text: str) -> str:
    import black  # only when a block needs it: most runs never import black
    from black.mode import Mode, TargetVersion

    with _collecting():
        return black.format_str(text, mode=Mode(target_versions={TargetVersion.PY310}))


@contextlib.contextmanager
def _collecting() -> Iterator[None]:
    """Black's syntax trees are cyclic, and the command turns the cycle collector off (cli.py):
    collect what was made inside, only that (what existed before is frozen meanwhile)."""
    if gc.isenabled():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.collect()
        gc.unfreeze()


def _key(block: str, black_all: bool = False) -> str:
    return hashlib.sha256(("black\0" if black_all else "").encode() + block.encode("utf-8")).hexdigest()
