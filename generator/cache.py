"""A cache of whole runs, parsed pages and laid-out code, in a folder the user may delete at any
time.

It is JSON (never pickle): a corrupt, partial or foreign cache file or entry is ignored, never
trusted. Every key covers what shapes the output: the settings, the page listing, docmodels'
version and code, the built-in and custom templates and the libraries it runs with
(`code_fingerprint`); parsed pages and formatted blocks are kept per code fingerprint too. A run
is reused only when its entry is complete, every input it read (pages, templates) still has
the content it had (each is hashed: sizes and times vouch for nothing), and the output folder
still holds what its manifest records."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import stat as stat_module
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from . import ir
from .output import CHUNK, Folder, FolderError, deferred_signals, settled_stat

FOLDER = ".docmodels-cache"
RUNS = "runs"
PARTS_FILE = "parts.tsv"
FORMAT = 6
MAX_RUNS = 8
_PACKAGE = Path(__file__).resolve().parent
_LIBRARIES = ("black", "markdown_it", "jinja2", "yaml")
"""Imported libraries whose release shapes the output; their installed distributions are part of
the code fingerprint."""
_KEY = re.compile(r"[0-9a-f]{64}")
_LEFTOVER = re.compile(r"\..+\.[0-9]+\.tmp|tmp.*\.tmp")
"""Temporary files of killed runs: `Folder.write`'s, and `tempfile`'s of earlier versions."""


class Cache:
    """`.docmodels-cache/`: `runs/<key>.json`, one run each (its inputs, the hash of the manifest it
    wrote, its summary and warnings), and `parts.tsv`, the parsed pages and formatted blocks that
    runs not in the cache reuse: a header line naming the code that wrote it, then one line per
    entry, its kind, key and JSON text separated by tabs, then a line with the hash of all before
    it. An entry is decoded only when a run uses it, and written back as it was read. Both files
    are read and written only through `output.Folder`: a link or FIFO in the cache folder is a
    FolderError, never followed or opened."""

    def __init__(self, folder: Folder | None) -> None:
        """`folder` None: a cache that forgets everything (`--no-cache`)."""
        self.folder = folder
        self.last_run: dict[str, Any] = {}
        """The entry `run` found for its key, reused or not: what the last run with these settings
        recorded."""

    @functools.cached_property
    def _parts(self) -> dict[str, dict[str, str]]:
        parts: dict[str, dict[str, str]] = {"block": {}, "page": {}}
        data = _read(self.folder, PARTS_FILE) if self.folder is not None else None
        if not data:
            return parts
        body, _, trailer = data.rstrip(b"\n").rpartition(b"\n")
        header, _, entries = body.partition(b"\n")
        if header.decode("utf-8", "replace") != _parts_header() or trailer != b"end\t" + hashlib.sha256(body).hexdigest().encode():
            return parts  # written by other code, cut short, or not by docmodels
        try:
            for line in entries.decode("utf-8").split("\n") if entries else []:
                kind, _, rest = line.partition("\t")
                key, _, value = rest.partition("\t")
                if kind in parts and value:
                    parts[kind][key] = value
        except UnicodeDecodeError:
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

    def run(self, key: str, required: Iterable[str]) -> dict[str, Any] | None:
        """A run with these settings, pages and code whose entry is complete (it records every
        input in `required`, the inputs known before parsing) and whose inputs all have the
        content they had."""
        entry = _load(self.folder, f"{RUNS}/{key}.json") if self.folder is not None else {}
        self.last_run = entry
        manifest, summary, warnings, inputs = entry.get("manifest"), entry.get("summary"), entry.get("warnings"), entry.get("inputs")
        well_formed = (
            isinstance(manifest, str)
            and _KEY.fullmatch(manifest) is not None
            and isinstance(summary, str)
            and isinstance(warnings, list)
            and all(isinstance(w, list) and len(w) == 4 and isinstance(w[0], str) and isinstance(w[1], int) and isinstance(w[2], str) and isinstance(w[3], str) for w in warnings)
            and isinstance(inputs, dict)
            and bool(inputs)
            and all(isinstance(inputs.get(path), list) and isinstance(inputs[path][0], str) for path in required)
        )
        return entry if well_formed and isinstance(inputs, dict) and _unchanged(inputs) else None

    def recorded(self, table: str) -> dict[str, Any]:
        """A table of the last run's entry, empty where there is none: `json` (path ->
        `render.json_fingerprints`)."""
        return _dict(self.last_run.get(table))

    def save_run(self, key: str, inputs: list[Path], result: dict[str, Any], read: Mapping[str, list[Any]]) -> None:
        """`read`: fingerprints of inputs as this run read them (path -> `fingerprint_of`), which
        a later change does not alter; the other inputs are fingerprinted now. A link or FIFO in
        the cache folder is a FolderError, raised before anything is written; a cache that cannot
        be written (a full disk, a read-only folder) is only a slower next run."""
        if self.folder is None:
            return
        entry = {**result, "format": FORMAT, "inputs": {str(p): read.get(str(p)) or _fingerprint(p) for p in inputs}}
        # Keep what this run used: the cache does not grow with every edit.
        lines = [_parts_header() + "\n", *(f"{kind}\t{key}\t{data}\n" for kind, entries in (("block", self.blocks), ("page", self.pages)) for key, data in entries.used.items())]
        body = "".join(lines).rstrip("\n").encode("utf-8")
        text = json.dumps(entry)
        run_file = f"{RUNS}/{key}.json"
        folder = self.folder
        try:
            for path in (".gitignore", PARTS_FILE, "parts.json", run_file):
                folder.check_writable(path)  # a link or FIFO is refused before anything is written
            with deferred_signals():
                for rel_dir in ("", RUNS):
                    folder.clean_leftovers(rel_dir, lambda name: _LEFTOVER.fullmatch(name) is not None)
                if folder.read(".gitignore") != b"*\n":
                    folder.write(".gitignore", "*\n")
                folder.write(PARTS_FILE, body.decode("utf-8") + "\nend\t" + hashlib.sha256(body).hexdigest() + "\n")
                folder.remove("parts.json", None)  # where earlier cache formats kept parts
                folder.write(run_file, text)
                runs = [(folder.mtime(f"{RUNS}/{name}") or 0, name) for name in folder.names(RUNS) if name.endswith(".json") and _KEY.fullmatch(name[:-5])]
                for _, old in sorted(runs)[:-MAX_RUNS]:
                    folder.remove(f"{RUNS}/{old}", None)
        except FolderError as exc:
            if exc.cause.startswith("is "):  # a link or FIFO: refused, not merely unwritable
                raise


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


# -- keys --------------------------------------------------------------------------------------------


def run_key(parts: list[str]) -> str:
    """The key of a run: the settings, the page listing and the custom templates' names (`parts`),
    docmodels' code and libraries, and the built-in templates."""
    digest = hashlib.sha256(code_fingerprint().encode())
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    digest.update(templates_fingerprint().encode())
    return digest.hexdigest()


@functools.cache
def code_fingerprint() -> str:
    """The hash of what runs in this process: the source of every module of the `docmodels`
    package (its folder in the repository is `generator/`), Python's version, and the installed
    distributions (name and version, from their `.dist-info` folder names) beside the libraries
    that shape the output (black, markdown-it-py, Jinja, PyYAML). Computed once per process: the
    code in memory does not change."""
    import importlib.util

    digest = hashlib.sha256(f"{FORMAT}\0{sys.version}\0{sys.implementation.cache_tag}\0".encode())
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    folders = set()
    for name in _LIBRARIES:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        origin = spec.origin if spec is not None else None
        digest.update(f"{name}\0{origin}\0".encode())
        if origin:
            folders.add(Path(origin).parent.parent)
    for folder in sorted(folders):
        try:
            names = sorted(n for n in os.listdir(folder) if n.endswith((".dist-info", ".egg-info")))
        except OSError:
            names = []
        digest.update("\0".join([str(folder), *names]).encode() + b"\0")
    return digest.hexdigest()


def templates_fingerprint() -> str:
    """The hash of the built-in templates, read on every run (a watch sees them edited)."""
    builtin = _PACKAGE / "templates"
    if not builtin.is_dir():  # a source checkout: templates/ sits beside the package (as in render)
        builtin = _PACKAGE.parent / "templates"
    digest = hashlib.sha256()
    for path in sorted(builtin.rglob("*")) if builtin.is_dir() else []:
        if path.is_file():
            digest.update(path.relative_to(builtin).as_posix().encode() + b"\0" + (file_hash(path) or "-").encode() + b"\0")
    return digest.hexdigest()


def _parts_header() -> str:
    return f"docmodels cache {FORMAT} {code_fingerprint()}"


# -- inputs ------------------------------------------------------------------------------------------


def file_hash(path: Path | str) -> str | None:
    """The sha256 of a regular file's bytes (links followed: inputs may be links inside the spec
    folders), None where there is none or it is something else: a FIFO is never opened, as it
    would never end."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        if not stat_module.S_ISREG(os.fstat(fd).st_mode):
            return None
        digest = hashlib.sha256()
        while chunk := os.read(fd, CHUNK):
            digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return None
    finally:
        os.close(fd)


def fingerprint_of(data: bytes, st: os.stat_result) -> list[Any]:
    """[content hash, size, mtime] of a file whose bytes and stat were read together. Only the
    hash decides; size and mtime are there for people reading the cache."""
    return [hashlib.sha256(data).hexdigest(), *settled_stat(st)]


def _fingerprint(path: Path) -> list[Any]:
    """`fingerprint_of` the file now, for inputs the loader did not read (templates)."""
    digest = file_hash(path)
    if digest is None:
        return [None, None, None]
    try:
        return [digest, *settled_stat(os.stat(path))]
    except OSError:
        return [None, None, None]


def _unchanged(inputs: dict[str, Any]) -> bool:
    """Whether every input still has the content recorded (a recorded None: still no file)."""
    for path, recorded in inputs.items():
        if not (isinstance(path, str) and isinstance(recorded, list) and len(recorded) == 3 and (recorded[0] is None or isinstance(recorded[0], str))):
            return False
        if file_hash(path) != recorded[0]:
            return False
    return True


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _read(folder: Folder, rel: str) -> bytes | None:
    """A cache file's bytes; None where it cannot be read (a link or FIFO is a FolderError)."""
    try:
        return folder.read(rel)
    except FolderError as exc:
        if exc.cause.startswith("is "):
            raise
        return None


def _load(folder: Folder, rel: str) -> dict[str, Any]:
    """A run entry; {} where it is missing, not JSON, or not what this version writes."""
    data = _read(folder, rel)
    try:
        entry = json.loads(data) if data else {}
    except ValueError:
        return {}
    if not isinstance(entry, dict) or entry.get("format") != FORMAT:
        return {}  # written by another version, or not by docmodels
    return entry
