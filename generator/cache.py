"""A cache of whole runs, parsed pages and laid-out code, in a folder the user may delete at any
time.

It is JSON (never pickle): a corrupt or foreign cache file is ignored, never trusted. A run is
reused only when the settings, the page listing and docmodels' own code are the same, every input
it recorded (pages, overrides, templates) is unchanged (same size and mtime, else same content
hash), and the output folder still holds what its manifest records."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

FOLDER = ".docmodels-cache"
RUNS = "runs"
PARTS_FILE = "parts.json"
FORMAT = 4
MAX_RUNS = 8
_CODE = [Path(__file__).parent, Path(__file__).parent / "parse"]


class Cache:
    """`.docmodels-cache/`: `runs/<key>.json`, one run each (its inputs, the hash of the manifest it
    wrote, its summary and warnings), and `parts.json`, the parsed pages and formatted blocks that
    runs not in the cache reuse."""

    def __init__(self, folder: Path | None) -> None:
        """`folder` None: a cache that forgets everything (`--no-cache`)."""
        self.folder = folder

    @functools.cached_property
    def _parts(self) -> dict[str, Any]:
        return _load(self.folder / PARTS_FILE) if self.folder is not None else {}

    @functools.cached_property
    def blocks(self) -> _Entries:
        """Blocks with long lines as laid out (or formatted by black), by hash of the block."""
        return _Entries(_dict(self._parts.get("blocks")), str)

    @functools.cached_property
    def pages(self) -> _Entries:
        """Parsed pages by hash of path and text, as `ir.to_data` of (definitions, problems)."""
        return _Entries(_dict(self._parts.get("pages")), list)

    def run(self, key: str) -> dict[str, Any] | None:
        """A run with these settings, pages and code whose inputs are all as they were."""
        entry = _load(self.folder / RUNS / f"{key}.json") if self.folder is not None else {}
        manifest, summary, warnings = entry.get("manifest"), entry.get("summary"), entry.get("warnings")
        well_formed = (
            isinstance(manifest, str)
            and isinstance(summary, str)
            and isinstance(warnings, list)
            and all(isinstance(w, list) and len(w) == 3 and isinstance(w[0], str) and isinstance(w[1], int) and isinstance(w[2], str) for w in warnings)
        )
        return entry if well_formed and _unchanged(entry.get("inputs")) else None

    def save_run(self, key: str, inputs: list[Path], result: dict[str, Any]) -> None:
        if self.folder is None:
            return
        runs = self.folder / RUNS
        entry = {**result, "format": FORMAT, "inputs": {str(p): _fingerprint(p) for p in inputs}}
        # Keep what this run used: the cache does not grow with every edit.
        parts = {"format": FORMAT, "blocks": self.blocks.used, "pages": self.pages.used}
        try:
            runs.mkdir(parents=True, exist_ok=True)
            (self.folder / ".gitignore").write_text("*\n", encoding="utf-8")
            _save(self.folder / PARTS_FILE, parts)
            _save(runs / f"{key}.json", entry)
            for old in sorted(runs.glob("*.json"), key=lambda p: p.stat().st_mtime_ns)[:-MAX_RUNS]:
                old.unlink()
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


def _fingerprint(path: Path) -> list[Any]:
    """[content hash, size, mtime]; size and mtime are left out (None) for a file changed in the
    last two seconds, which could change again within the file system's clock tick."""
    try:
        st = path.stat()
    except OSError:
        return [None, None, None]
    settled = time.time_ns() - st.st_mtime_ns > 2_000_000_000
    return [file_hash(path), st.st_size if settled else None, st.st_mtime_ns if settled else None]


def _unchanged(inputs: object) -> bool:
    """Whether every input is as recorded: same size and mtime (as git and make trust), else the
    same content."""
    if not isinstance(inputs, dict):
        return False
    for path, recorded in inputs.items():
        if not (isinstance(path, str) and isinstance(recorded, list) and len(recorded) == 3):
            return False
        try:
            st = os.stat(path)
        except OSError:
            if recorded[0] is not None:
                return False
            continue
        if [st.st_size, st.st_mtime_ns] != recorded[1:] and file_hash(Path(path)) != recorded[0]:
            return False
    return True


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _save(path: Path, data: dict[str, Any]) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(json.dumps(data))  # json.dump would use the pure-Python encoder
    os.replace(tmp, path)


def _load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return {}  # written by another version, or not by docmodels
    return data
