"""Formatting of rendered Python with black, in-process, with one mode for every file."""

from __future__ import annotations

from functools import cache

import black


@cache
def _mode() -> black.Mode:
    return black.Mode(target_versions={black.TargetVersion.PY310})


def format_python(text: str) -> str:
    return black.format_str(text, mode=_mode())


def format_files(files: dict[str, str]) -> dict[str, str]:
    return {path: format_python(text) if path.endswith(".py") else text for path, text in files.items()}
