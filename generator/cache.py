"""A cache of formatted code and of whole runs, in a folder the user may delete at any time.

It is JSON (never pickle): a corrupt or foreign cache file is ignored, never trusted. A run is
reused only when every input it recorded (pages, config, overrides, templates, docmodels' own
code) still has the same content hash and the folders list the same pages."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

FOLDER = ".docmodels-cache"
FILE = "cache.json"
FORMAT = 2
MAX_RUNS = 8
_CODE = [Path(__file__).parent, Path(__file__).parent / "parse"]


class Cache:
    def __init__(self, folder: Path | None) -> None:
        """`folder` None: a cache that forgets everything (`--no-cache`)."""
        self.path = folder / FILE if folder is not None else None
        data = _load(self.path) if self.path is not None else {}
        self.runs: dict[str, Any] = data.get("runs", {})
        self.blocks = _Entries(data.get("blocks", {}), str)
        self.pages = _Entries(data.get("pages", {}), list)
        """Parsed pages by hash of path and text, as `ir.to_data` of (definitions, problems)."""

    def run(self, key: str) -> dict[str, Any] | None:
        entry = self.runs.get(key)
        if not isinstance(entry, dict) or not _unchanged(entry.get("inputs")):
            return None
        return entry

    def save_run(self, key: str, inputs: list[Path], result: dict[str, Any]) -> None:
        if self.path is None:
            return
        self.runs.pop(key, None)
        self.runs[key] = {**result, "inputs": {str(p): file_hash(p) for p in inputs}}
        while len(self.runs) > MAX_RUNS:
            del self.runs[next(iter(self.runs))]
        # Keep what this run used: the cache does not grow with every edit.
        data = {"format": FORMAT, "blocks": self.blocks.used, "pages": self.pages.used, "runs": self.runs}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            (self.path.parent / ".gitignore").write_text("*\n", encoding="utf-8")
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f)
            os.replace(tmp, self.path)
        except OSError:
            pass  # a cache that cannot be written is only a slower next run


class _Entries(dict[str, Any]):
    """Entries by hash: reads come from the old cache (entries of the wrong type are not there),
    and everything read or written in this run is kept."""

    def __init__(self, old: dict[str, Any], kind: type) -> None:
        super().__init__()
        self.old = old
        self.kind = kind
        self.used: dict[str, Any] = {}

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str) and key in self.old and isinstance(self.old[key], self.kind):
            self.used[key] = self.old[key]
        return key in self.used

    def __getitem__(self, key: str) -> Any:
        return self.used[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.used[key] = value


def run_key(parts: list[str]) -> str:
    """The key of a run: the settings, the page listing and docmodels' own code."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    for folder in _CODE:
        for path in sorted(folder.glob("*.py")):
            digest.update(path.read_bytes())
    return digest.hexdigest()


def file_hash(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _unchanged(inputs: object) -> bool:
    return isinstance(inputs, dict) and all(isinstance(p, str) and file_hash(Path(p)) == h for p, h in inputs.items())


def _load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return {}
    return {k: v for k, v in data.items() if isinstance(v, dict)}
