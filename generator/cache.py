"""A cache of whole runs, parsed pages and laid-out code, in a folder the user may delete at any
time.

It is JSON (never pickle): a corrupt or foreign cache file is ignored, never trusted. A run is
reused only when the settings, the page listing and docmodels' own code are the same, every input
it recorded (pages, overrides, templates) is unchanged (same size and mtime, else same content
hash), and the output folder still holds what its manifest records."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from . import ir

FOLDER = ".docmodels-cache"
RUNS = "runs"
PARTS_FILE = "parts.tsv"
FORMAT = 5
MAX_RUNS = 8
_CODE = [Path(__file__).parent, Path(__file__).parent / "parse"]
_PARTS_HEADER = f"docmodels cache {FORMAT}"


class Cache:
    """`.docmodels-cache/`: `runs/<key>.json`, one run each (its inputs, the hash of the manifest it
    wrote, its summary and warnings), and `parts.tsv`, the parsed pages and formatted blocks that
    runs not in the cache reuse: a header line, then one line per entry, its kind, key and JSON
    text separated by tabs. An entry is decoded only when a run uses it, and written back as it
    was read."""

    def __init__(self, folder: Path | None) -> None:
        """`folder` None: a cache that forgets everything (`--no-cache`)."""
        self.folder = folder
        self.last_run: dict[str, Any] = {}
        """The entry `run` found for its key, reused or not: what the last run with these settings
        recorded."""

    @functools.cached_property
    def _parts(self) -> dict[str, dict[str, str]]:
        parts: dict[str, dict[str, str]] = {"block": {}, "page": {}}
        if self.folder is None:
            return parts
        try:
            with open(self.folder / PARTS_FILE, encoding="utf-8") as f:
                if f.readline() != _PARTS_HEADER + "\n":
                    return parts  # written by another version, or not by docmodels
                for line in f:
                    kind, _, rest = line.partition("\t")
                    key, _, data = rest.rstrip("\n").partition("\t")
                    if kind in parts and data:
                        parts[kind][key] = data
        except (OSError, ValueError):
            return {"block": {}, "page": {}}
        return parts

    @functools.cached_property
    def blocks(self) -> _Entries:
        """Blocks with long lines as laid out (or formatted by black), by hash of the block."""
        return _Entries(self._parts["block"], _load_string, json.dumps)

    @functools.cached_property
    def pages(self) -> _Entries:
        """Parsed pages by hash of path and text: [definitions by page key, problems]."""
        return _Entries(self._parts["page"], ir.loads, ir.dumps)

    def run(self, key: str) -> dict[str, Any] | None:
        """A run with these settings, pages and code whose inputs are all as they were."""
        entry = _load(self.folder / RUNS / f"{key}.json") if self.folder is not None else {}
        self.last_run = entry
        manifest, summary, warnings = entry.get("manifest"), entry.get("summary"), entry.get("warnings")
        well_formed = (
            isinstance(manifest, str)
            and isinstance(summary, str)
            and isinstance(warnings, list)
            and all(isinstance(w, list) and len(w) == 3 and isinstance(w[0], str) and isinstance(w[1], int) and isinstance(w[2], str) for w in warnings)
        )
        return entry if well_formed and _unchanged(entry.get("inputs")) else None

    def recorded(self, table: str) -> dict[str, Any]:
        """A table of the last run's entry, empty where there is none: `outputs` (path -> [size,
        mtime] of each output file as `output.unchanged_files` last found it) or `json` (path ->
        `render.json_fingerprints`)."""
        return _dict(self.last_run.get(table))

    def save_outputs(self, key: str, outputs: dict[str, list[int]]) -> None:
        if self.folder is not None and outputs != self.recorded("outputs"):
            with contextlib.suppress(OSError):  # a cache that cannot be written is only a slower next run
                _save(self.folder / RUNS / f"{key}.json", [json.dumps({**self.last_run, "outputs": outputs})])

    def save_run(self, key: str, inputs: list[Path], result: dict[str, Any], read: Mapping[str, list[Any]]) -> None:
        """`read`: fingerprints of inputs as this run read them (path -> `fingerprint_of`), which
        a later change does not alter; the other inputs are fingerprinted now."""
        if self.folder is None:
            return
        runs = self.folder / RUNS
        entry = {**result, "format": FORMAT, "inputs": {str(p): read.get(str(p)) or _fingerprint(p) for p in inputs}}
        # Keep what this run used: the cache does not grow with every edit.
        lines = (f"{kind}\t{key}\t{data}\n" for kind, entries in (("block", self.blocks), ("page", self.pages)) for key, data in entries.used.items())
        try:
            runs.mkdir(parents=True, exist_ok=True)
            (self.folder / ".gitignore").write_text("*\n", encoding="utf-8")
            _save(self.folder / PARTS_FILE, [_PARTS_HEADER + "\n", *lines])
            (self.folder / "parts.json").unlink(missing_ok=True)  # where earlier cache formats kept parts
            _save(runs / f"{key}.json", [json.dumps(entry)])
            for old in sorted(runs.glob("*.json"), key=lambda p: p.stat().st_mtime_ns)[:-MAX_RUNS]:
                old.unlink()
        except OSError:
            pass  # a cache that cannot be written is only a slower next run


class _Entries(dict[str, Any]):
    """Entries by hash: reads come from the file (an entry that does not decode is not there), and
    the JSON text of everything read or written in this run is kept for the next file. JSON text
    has no tab or line break outside its strings, and in strings they are escaped."""

    def __init__(self, stored: dict[str, str], decode: Callable[[str], Any], encode: Callable[[Any], str]) -> None:
        super().__init__()
        self.stored = stored
        self.decode = decode
        self.encode = encode
        self.used: dict[str, str] = {}

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str) and key not in self.used and key in self.stored:
            try:
                super().__setitem__(key, self.decode(self.stored[key]))
                self.used[key] = self.stored[key]
            except (ValueError, TypeError, KeyError):
                pass  # not what this version writes
        return key in self.used

    def __getitem__(self, key: str) -> Any:
        return super().__getitem__(key) if super().__contains__(key) else self.decode(self.used[key])

    def __setitem__(self, key: str, value: Any) -> None:
        self.used[key] = self.encode(value)  # only the text: the caller has the value


def _load_string(data: str) -> str:
    value = json.loads(data)
    if not isinstance(value, str):
        raise ValueError("not a block")
    return value


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


def settled_stat(st: os.stat_result) -> list[int] | None:
    """[size, mtime] of a file, or None for a file changed in the last two seconds, which could
    change again within the file system's clock tick: size and mtime cannot vouch for it."""
    return [st.st_size, st.st_mtime_ns] if time.time_ns() - st.st_mtime_ns > 2_000_000_000 else None


def fingerprint_of(data: bytes, st: os.stat_result) -> list[Any]:
    """[content hash, size, mtime] of a file whose bytes and stat were read together, size and
    mtime None where `settled_stat` is."""
    stat: list[Any] = settled_stat(st) or [None, None]
    return [hashlib.sha256(data).hexdigest(), *stat]


def _fingerprint(path: Path) -> list[Any]:
    """`fingerprint_of` the file now, for inputs the loader did not read (overrides, templates)."""
    try:
        st = os.stat(path)
        return fingerprint_of(path.read_bytes(), st)
    except OSError:
        return [None, None, None]


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


def _save(path: Path, chunks: Iterable[str]) -> None:
    import tempfile  # here: a run from the cache writes nothing, and need not import it

    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.writelines(chunks)
    os.replace(tmp, path)


def _load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return {}  # written by another version, or not by docmodels
    return data
