"""`docmodels watch`: generate once, then regenerate whenever a page, the config, the overrides file
or a custom template changes.

Every regeneration prints one line (what changed, what was written, how long it took). Bad input
is printed as `file:line: error: ...` problems and the watch goes on: the next save may fix it.
Ctrl-C ends it (the command exits 130 with one line), whatever it is doing. The
config is read again before every run, so a change to `[tool.docmodels]` (other spec folders,
another output folder) takes effect at once, and the set of watched folders follows it.

Folders are watched one by one (not recursively): the project root only for its pyproject.toml,
and every folder of the spec trees, so that a root holding a virtualenv or the output folder costs
nothing. A folder created or removed inside a spec tree restarts the watcher on the new set."""

from __future__ import annotations

import inspect
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import Config, find_pyproject

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .errors import Problem

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEBOUNCE_MS = 250
"""Changes are grouped for at most this long (watchfiles' `debounce`) ..."""
STEP_MS = 50
"""... and a batch ends once nothing changed for this long (watchfiles' `step`)."""
READY_MS = 250
"""How often watchfiles returns when nothing changes; the first return says the watch is live."""
SHOW_PATHS = 3
"""A line names at most this many changed paths, then says how many more."""

_IGNORED_DIRS = frozenset({"__pycache__", "node_modules"})
_IGNORED_SUFFIXES = ("~", ".swp", ".swo", ".swx", ".tmp")


def watch(
    cwd: Path,
    overrides: dict[str, Any],
    force: bool = False,
    use_cache: bool = True,
    *,
    stop: threading.Event | None = None,
    max_runs: int | None = None,
    debounce_ms: int = DEBOUNCE_MS,
    report: Callable[[Iterable[Problem]], list[str]] | None = None,
) -> int:
    """Generate, then regenerate on every batch of changes until `stop` is set or `max_runs`
    regenerations (after the first generation) have run (exit 0). Ctrl-C is never swallowed: the
    KeyboardInterrupt goes to the caller (the command exits 130 with one line). `report` turns
    problems into lines (the command's --diagnostics, -v and -q); by default text, collapsed."""
    try:
        import watchfiles
    except ImportError:  # pragma: no cover - a declared dependency
        print("docmodels: error: `docmodels watch` needs the watchfiles package; expected it installed: pip install watchfiles", file=sys.stderr)
        return 1
    if report is None:
        from . import errors

        report = errors.report
    return _Watcher(cwd, overrides, force, use_cache, stop, max_runs, debounce_ms, report).run(watchfiles)


class _Watcher:
    inputs: _Inputs
    """What the current watch covers (its filter reads this, so it follows each reload)."""

    def __init__(
        self,
        cwd: Path,
        overrides: dict[str, Any],
        force: bool,
        use_cache: bool,
        stop: threading.Event | None,
        max_runs: int | None,
        debounce_ms: int,
        report: Callable[[Iterable[Problem]], list[str]],
    ) -> None:
        self.report = report
        self.cwd = cwd
        self.overrides = overrides
        self.force = force
        self.use_cache = use_cache
        self.stop = stop
        self.max_runs = max_runs
        self.debounce_ms = debounce_ms
        self.runs = 0
        self.shown_inputs = ""
        self.shown_warnings: tuple[str, ...] = ()

    def run(self, watchfiles: Any) -> int:
        config = self._config()
        self.inputs = _Inputs.of(self.cwd, self.overrides, config)
        # The watch is live before the first run: a save during it is not lost.
        started = self._start(watchfiles)
        if started is None:
            return 0
        batches, batch = started
        try:
            self._generate(config, None, initial=True)
            self._show_inputs()
            while True:
                if batch:
                    restart = self._changed(batch)
                    if self.max_runs is not None and self.runs >= self.max_runs:
                        return 0
                    if restart:  # folders came or went: the new watch is live before the old one ends
                        started = self._start(watchfiles)
                        batches.close()
                        if started is None:
                            return 0
                        batches, batch = started
                        continue
                try:
                    batch = next(batches)
                except StopIteration:
                    return 0  # the stop event was set
        finally:
            batches.close()

    def _start(self, watchfiles: Any) -> tuple[Any, set[tuple[Any, str]]] | None:
        """A watch on the current inputs, once it is live (the first timeout says so), and the
        changes it has seen by then; None if the stop event is set."""
        for attempt in range(20):
            batches = watchfiles.watch(
                *sorted(self.inputs.dirs),
                watch_filter=lambda _change, path: self.inputs.accepts(path),
                debounce=self.debounce_ms,
                step=STEP_MS,
                stop_event=self.stop,
                rust_timeout=READY_MS,
                yield_on_timeout=True,
                recursive=False,
                raise_interrupt=True,
            )
            try:
                batch = set(next(batches))
            except StopIteration:
                return None
            except FileNotFoundError:  # a folder vanished between listing and watching
                batches.close()
                if attempt == 19:
                    raise
                time.sleep(0.05)
                self.inputs = _Inputs.of(self.cwd, self.overrides, self._config())
                continue
            # What changed between listing the inputs and the watch going live (a page saved in a
            # folder just created, say) was seen by no watch: the listing tells.
            now = _Inputs.of(self.cwd, self.overrides, self._config())
            batch |= {(None, str(path)) for path in now.changed_since(self.inputs)}
            return batches, batch
        return None  # pragma: no cover

    def _changed(self, batch: set[tuple[Any, str]]) -> bool:
        """Regenerate for one batch of changes; True if the folders to watch changed."""
        before = self.inputs
        config = self._config()  # it may have changed
        self.inputs = _Inputs.of(self.cwd, self.overrides, config)
        changed = {Path(raw) for _change, raw in batch}
        # Pages in a folder created since the watch started were not watched: the walk finds them.
        trees = (*before.page_trees, *before.template_trees)
        changed |= {p for p in self.inputs.known - before.known if any(_within(p, t) for t in trees)}
        files = {p for p in changed if not p.is_dir()}
        if files:
            self._generate(config, before.describe(files, config.base))
            self.runs += 1
        self._show_inputs()
        return self.inputs.dirs != before.dirs

    def _config(self) -> Config:
        from . import api

        return api.load_config(self.cwd, self.overrides)

    def _generate(self, config: Config, what: str | None, initial: bool = False) -> None:
        from . import api
        from .errors import InputError, counts

        started = time.perf_counter()
        # Only bad input and errors in one run (say, a template's) are caught: KeyboardInterrupt is
        # no Exception, so Ctrl-C during a run ends the watch too.
        try:
            result = _call_generate(api, config, self.force, self.use_cache)
        except InputError as exc:
            for line in self.report(exc.problems):
                _err(line)
            self.shown_warnings = ()
            prefix = f"{what}; " if what else ""
            _err(f"docmodels: {prefix}{counts(exc.problems)}; nothing was written; still watching for changes")
            return
        except Exception as exc:  # noqa: BLE001 - one bad run (say, a template error) must not end the watch
            prefix = f"{what}; " if what else ""
            _err(f"docmodels: error: {prefix}{type(exc).__name__}: {exc}; still watching for changes")
            return
        elapsed = time.perf_counter() - started
        warnings = tuple(self.report(result.warnings))
        if warnings != self.shown_warnings:  # every run would repeat them: show them when they change
            for warning in warnings:
                _err(warning)
            self.shown_warnings = warnings
        changes = result.changes
        to_write = getattr(changes, "to_write", None)
        written = len(to_write) if to_write is not None else len(changes.stale) + len(changes.missing)
        removed = len(changes.extra)
        if initial:
            out = _show(result.out, config.base)
            _out(
                f"docmodels: {result.summary}; {out}: {written} written, {removed} removed, "
                f"{len(result.files) - written} unchanged in {elapsed:.2f} s"
            )
        else:
            _out(f"docmodels: {what}; {written} written, {removed} removed in {elapsed:.2f} s")

    def _show_inputs(self) -> None:
        line = f"docmodels: watching {self.inputs.shown} for changes (Ctrl-C to stop)"
        if line != self.shown_inputs:
            _out(line)
            self.shown_inputs = line


def _call_generate(api: Any, config: Config, force: bool, use_cache: bool) -> Any:
    """`api.generate` with the options it accepts (`force` and `use_cache` are newer)."""
    parameters = inspect.signature(api.generate).parameters
    options: dict[str, Any] = {}
    if "force" in parameters:
        options["force"] = force
    if "use_cache" in parameters:
        options["use_cache"] = use_cache
    return api.generate(config, **options)


@dataclass(frozen=True)
class _Inputs:
    """What a run reads, as the folders to watch and a test for the paths that matter."""

    base: Path
    out: Path
    files: frozenset[Path]
    """Single files: pyproject.toml, the overrides file, pages named in `specs`."""
    page_trees: tuple[Path, ...]
    """Spec folders: every .md below them."""
    page_folders: tuple[Path, ...]
    """Folders of pages named in `specs`: the pages beside them (which they usually link to)."""
    template_trees: tuple[Path, ...]
    """The custom templates folder: every file below it."""
    dirs: frozenset[Path]
    """The folders to watch, each on its own."""
    stamps: dict[Path, tuple[int, int]] = field(compare=False)
    """Files present when the inputs were listed, with their mtime and size: tells an added page
    from a changed one, and finds what changed while no watch was live."""
    shown: str = ""

    @classmethod
    def of(cls, cwd: Path, overrides: dict[str, Any], config: Config) -> _Inputs:
        base = _absolute(config.base)
        out = _absolute(config.out)
        files: set[Path] = set()
        page_trees: list[Path] = []
        page_folders: list[Path] = []
        template_trees: list[Path] = []
        dirs: set[Path] = set()
        known: set[Path] = set()
        shown: list[str] = []

        pyproject = find_pyproject(cwd)
        pyproject = _absolute(pyproject) if pyproject is not None else _absolute(cwd) / "pyproject.toml"
        files.add(pyproject)
        dirs.add(_existing(pyproject.parent))
        overrides_file = _overrides_file(cwd, overrides, pyproject)
        if overrides_file is not None:
            files.add(overrides_file)
            dirs.add(_existing(overrides_file.parent))

        for spec in config.specs:
            spec = _absolute(spec)
            shown.append(_show(spec, base))
            if spec.is_file():
                files.add(spec)
                page_folders.append(spec.parent)
                dirs.add(spec.parent)
                known.update(p for p in _listdir(spec.parent) if p.suffix == ".md")
            elif spec.is_dir():
                page_trees.append(spec)
                for folder, names in _walk(spec, out):
                    dirs.add(folder)
                    known.update(folder / n for n in names if n.endswith(".md"))
            else:  # not there yet: watch for it to appear
                files.add(spec)
                page_trees.append(spec)
                dirs.add(_existing(spec.parent))
        shown.append(_show(pyproject, base))
        if overrides_file is not None:
            shown.append(_show(overrides_file, base))
        if config.templates is not None:
            templates = _absolute(config.templates)
            template_trees.append(templates)
            shown.append(_show(templates, base))
            if templates.is_dir():
                for folder, names in _walk(templates, out):
                    dirs.add(folder)
                    known.update(folder / n for n in names)
            else:
                dirs.add(_existing(templates.parent))
        known.update(f for f in files if f.exists())
        return cls(
            base=base,
            out=out,
            files=frozenset(files),
            page_trees=tuple(page_trees),
            page_folders=tuple(page_folders),
            template_trees=tuple(template_trees),
            dirs=frozenset(dirs),
            stamps={path: stamp for path in sorted(known) if (stamp := _stamp(path)) is not None},
            shown=", ".join(dict.fromkeys(shown)),
        )

    def accepts(self, raw: str) -> bool:
        path = Path(raw)
        if _ignored_name(path.name) or path == self.out or _within(path, self.out):
            return False
        if path in self.files:
            return True
        for tree in (*self.page_trees, *self.template_trees):
            if path == tree or _within(path, tree):
                if any(_ignored_folder(part) for part in path.relative_to(tree).parts[:-1]):
                    return False
                if tree in self.template_trees or path.suffix == ".md":
                    return True
                return path.is_dir() or path in self.dirs  # a folder added or removed: watch it too
        if path.suffix == ".md" and path.parent in self.page_folders:
            return True
        # A missing spec folder, templates folder or overrides file's folder appearing.
        return any(_within(wanted, path) for wanted in (*self.files, *self.page_trees, *self.template_trees))

    @property
    def known(self) -> frozenset[Path]:
        return frozenset(self.stamps)

    def changed_since(self, earlier: _Inputs) -> set[Path]:
        """Files added, removed or modified, and folders that came or went, from `earlier` to this."""
        paths = {p for p in self.stamps.keys() | earlier.stamps.keys() if self.stamps.get(p) != earlier.stamps.get(p)}
        return paths | (self.dirs ^ earlier.dirs)

    def describe(self, changed: Iterable[Path], base: Path) -> str:
        """`specs/a.md changed`, `specs/b.md added, specs/c.md deleted`, `... and 4 more changed`."""
        paths = sorted(set(changed))
        groups: dict[str, list[str]] = {"added": [], "changed": [], "deleted": []}
        for path in paths:
            verb = "deleted" if not path.exists() else "changed" if path in self.known or path in self.dirs else "added"
            groups[verb].append(_show(path, base))
        parts, budget = [], SHOW_PATHS
        for verb, names in groups.items():
            if not names:
                continue
            listed = names[: max(budget, 1)]
            budget -= len(listed)
            more = f" and {len(names) - len(listed)} more" if len(names) > len(listed) else ""
            parts.append(f"{', '.join(listed)}{more} {verb}")
        return ", ".join(parts) or "nothing changed"


def _overrides_file(cwd: Path, overrides: dict[str, Any], pyproject: Path) -> Path | None:
    """The overrides file the config names: command-line paths are relative to the working folder,
    pyproject.toml's to its folder (as in config.load, which does not keep the path)."""
    if overrides.get("overrides"):
        return _absolute(cwd / overrides["overrides"])
    try:
        table = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("docmodels", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    name = table.get("overrides") if isinstance(table, dict) else None
    return _absolute(pyproject.parent / name) if isinstance(name, str) and name else None


def _walk(top: Path, out: Path) -> Iterable[tuple[Path, list[str]]]:
    """Each folder below `top` (hidden folders and the output folder left out) and its file names."""
    for folder, subdirs, names in os.walk(top):
        here = Path(folder)
        subdirs[:] = sorted(d for d in subdirs if not _ignored_folder(d) and not _within(here / d, out) and here / d != out)
        yield here, names


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size


def _listdir(folder: Path) -> list[Path]:
    try:
        return [p for p in folder.iterdir() if p.is_file()]
    except OSError:
        return []


def _ignored_folder(name: str) -> bool:
    return name.startswith(".") or name in _IGNORED_DIRS


def _ignored_name(name: str) -> bool:
    """Editors' swap, backup and lock files."""
    return name.endswith(_IGNORED_SUFFIXES) or name.startswith((".#", "#")) or name == ".DS_Store" or name == "4913"


def _within(path: Path, folder: Path) -> bool:
    return path != folder and path.is_relative_to(folder)


def _absolute(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _existing(path: Path) -> Path:
    while not path.is_dir() and path.parent != path:
        path = path.parent
    return path


def _show(path: Path, base: Path) -> str:
    try:
        return _absolute(path).relative_to(_absolute(base)).as_posix() or "."
    except ValueError:
        return str(path)


def _out(line: str) -> None:
    print(line, flush=True)


def _err(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
