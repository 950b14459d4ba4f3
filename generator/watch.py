"""`docmodels watch`: regenerate on every change (to be written)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def watch(cwd: Path, overrides: dict[str, Any], force: bool = False, use_cache: bool = True) -> int:
    raise NotImplementedError("docmodels watch")
