"""The `docmodels` command: arguments, configuration, exit codes, and printing problems."""

from __future__ import annotations

import signal
import sys

# As few imports as can be before `main` takes Ctrl-C over: one arriving during an import would
# print a traceback.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Iterable
    from typing import Any

    from .api import Result
    from .config import Config
    from .errors import Problem

EXIT_OK, EXIT_STALE, EXIT_BAD_INPUT, EXIT_BUG = 0, 1, 2, 3
DIFF_LINES = 40
"""Lines of a stale `check`'s diff shown per file (unless verbose), then how many more."""


class _Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP: stop as Ctrl-C does (temporary files removed), exit 128 + the signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, frame: object) -> None:
    raise _Stopped(signum)


def _parser() -> argparse.ArgumentParser:
    import argparse

    from .config import DIALECTS, TARGETS

    from . import __version__
    from .errors import FORMATS

    parser = argparse.ArgumentParser(
        prog="docmodels",
        description="Generate Python dataclasses, TypedDicts, JSON Schema and OpenAPI from markdown model docs.",
    )
    parser.add_argument("--version", action="version", version=f"docmodels {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    generate = commands.add_parser("generate", help="write the generated files")
    check = commands.add_parser("check", help="exit 1 (with a diff) if the generated files are stale")
    watch = commands.add_parser("watch", help="regenerate whenever a page, the config, overrides or a template changes")
    schema = commands.add_parser("schema", help="print the intermediate schema the pages parse into")
    for sub in (generate, check, watch, schema):
        sub.add_argument("paths", nargs="*", metavar="PATH", help="a page, or a folder searched for *.md (config: specs)")
        sub.add_argument("--root", dest="roots", action="append", metavar="NAME", help="generate only these models and what they link to (config: roots)")
        sub.add_argument("--wire-case", dest="wire_case", choices=["as-is", "snake", "camel"], help="how page field names become JSON keys (config: wire_case)")
        sub.add_argument("--nullable", choices=["optional", "none", "all"], help="whether optional fields accept null where the page does not say, or every field does (config: nullable)")
        sub.add_argument("--open-enums", dest="open_enums", choices=["page", "all", "none"], help="which enums accept values they do not list: as the page says, all or none (config: open_enums)")
        sub.add_argument("--dialect", choices=DIALECTS, help="read every page in this SDK language's dialect instead of telling it per page and folder (config: dialect)")
        sub.add_argument("--overrides", metavar="FILE", help="YAML file of what the pages leave out: per-field names, nullable, required, type; per-enum open (config: overrides)")
        sub.add_argument("--diagnostics", choices=FORMATS, default="text", help="how problems are printed: text (file:line: error: ...), json (one object per line) or github (Actions annotations)")
        loudness = sub.add_mutually_exclusive_group()
        loudness.add_argument("-v", "--verbose", action="store_true", help="list every warning (not one line per kind) and every problem, and a stale check's whole diff")
        loudness.add_argument("-q", "--quiet", action="store_true", help="print only errors and the one-line result")
    for sub in (generate, check, watch):
        sub.add_argument("-o", "--out", metavar="DIR", help="output folder (config: out)")
        sub.add_argument("--target", dest="targets", action="append", choices=TARGETS, help="what to generate; repeat for several (default: dataclasses, typeddicts, jsonschema; config: targets)")
        sub.add_argument("--templates", metavar="DIR", help="folder of templates that replace built-in ones by name (config: templates)")
        sub.add_argument("--layout", choices=["module", "package"], help="models.py, or a package with a module per definition imported on first use (config: layout)")
        sub.add_argument("--no-cache", dest="use_cache", action="store_false", help="neither read nor write the cache")
    for sub in (generate, watch):
        sub.add_argument("--force", action="store_true", help="overwrite or remove files in the output folder that docmodels did not write")
    generate.add_argument("--fail-on-change", action="store_true", help="exit 1 when anything was written or removed (for pre-commit)")
    schema.add_argument("--format", choices=["yaml", "json"], default="yaml")
    return parser


def main(argv: list[str] | None = None) -> int:
    """The command. Ctrl-C (and SIGTERM, SIGHUP) at any moment ends it with one line and exit 130
    (128 + the signal), never a traceback; a write under way finishes or is undone first."""
    import gc

    collecting = gc.isenabled()  # a run turns the cycle collector off; a caller's is put back
    handlers = {signum: _handle(signum, _stop) for signum in _STOPPING}
    # Ctrl-C is a KeyboardInterrupt from here on (python -m generator's early handler knows no
    # command), handled below whatever the command is doing.
    handlers[signal.SIGINT] = _handle(signal.SIGINT, signal.default_int_handler)
    command, as_program = "generate", argv is None
    try:
        if argv is None:
            argv = sys.argv[1:]
        if argv[:1] == ["--version"]:  # without importing the rest of docmodels
            from . import __version__

            print(f"docmodels {__version__}")
            return EXIT_OK
        command = next((a for a in argv if a in ("generate", "check", "watch", "schema")), command)
        return _main(argv)
    except KeyboardInterrupt as exc:
        handlers.setdefault(signal.SIGINT, _handle(signal.SIGINT, signal.SIG_IGN))  # a second Ctrl-C waits
        try:
            print(f"docmodels: interrupted; run docmodels {command} again", file=sys.stderr)
        except (OSError, ValueError):
            pass
        return 128 + exc.signum if isinstance(exc, _Stopped) else 130
    finally:
        if as_program:  # the run is over: a signal while the interpreter exits would only make the exit code -2
            for signum in (signal.SIGINT, *_STOPPING):
                _handle(signum, signal.SIG_IGN)
        else:
            for signum, handler in handlers.items():
                _handle(signum, handler)
            if collecting:
                gc.enable()


_STOPPING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


def _handle(signum: int, handler: Any) -> Any:
    """Set a signal's handler, returning the one before (None outside the main thread, where
    Python sets none)."""
    try:
        return signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
    except ValueError:
        return None


def _main(argv: list[str]) -> int:
    import gc
    from pathlib import Path

    args = _parser().parse_args(argv)
    from . import api  # deferred: `docmodels --help` stays fast
    from .errors import InputError, Problem, counts, report
    from .ir import SourceLoc
    from .output import FolderError

    def show(problems: Any) -> None:
        for line in report(problems, args.diagnostics, args.verbose, args.quiet):
            print(line, file=sys.stderr)

    done = 0  # outputs brought up to date before the one that failed

    def failed(problems: Any) -> int:
        """Bad input: every problem, then the count; only `generate` would have written."""
        show(problems)
        tail = "" if args.command != "generate" else "; nothing was written" if not done else f"; nothing more was written ({done} output(s) before it are up to date)"
        # In JSON, stderr holds only the problems' objects.
        print(f"docmodels: {counts(problems)}{tail}", file=sys.stdout if args.diagnostics == "json" else sys.stderr)
        return EXIT_BAD_INPUT

    try:
        from .config import KEYS

        overrides: dict[str, Any] = {k: v for k, v in vars(args).items() if v is not None and k in KEYS}
        if args.paths:
            # Pages named on the command line replace the configured ones, and so do their roots.
            overrides["specs"] = args.paths
            overrides.setdefault("roots", [])
        if args.command == "watch":
            from .watch import watch

            return watch(Path.cwd(), overrides, force=args.force, use_cache=args.use_cache, report=lambda problems: report(problems, args.diagnostics, args.verbose, args.quiet))
        # One run builds a large graph of objects and then exits: the cycle collector would only
        # walk it over and over (a tenth of a run after an edit).
        gc.disable()
        if args.command == "schema":
            schema, warnings = api.load(api.load_config(Path.cwd(), overrides))
            show(warnings)
            print(_dump_schema(schema, args.format), end="")
            return EXIT_OK
        status = EXIT_OK
        # Each output ([[tool.docmodels.output]]) in turn; bad settings in any stop all before any is written.
        for done, config in enumerate(api.settled(api.load_configs(Path.cwd(), overrides))):
            if args.command == "check":
                result = api.check(config, use_cache=args.use_cache)
            else:
                result = api.generate(config, force=args.force, use_cache=args.use_cache)
            status = max(status, _finish(args, config, result, show))
        return status
    except FolderError as exc:  # the output or cache folder: one line, the path and the cause
        show(exc.problems[:1])
        return EXIT_BAD_INPUT
    except OSError as exc:  # the system refused something outside those folders: not a bug either
        where = f"{exc.filename}: " if exc.filename else ""
        show([Problem(SourceLoc("", 0), f"{where}{exc.strerror or exc}")])
        return EXIT_BAD_INPUT
    except InputError as exc:
        return failed(exc.problems)
    except Exception as exc:  # a bug, not bad input
        print(f"docmodels: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        print("docmodels: this is a bug in docmodels; please report it with the command and pages that caused it", file=sys.stderr)
        return EXIT_BUG


def _finish(args: argparse.Namespace, config: Config, result: Result, show: Callable[[Iterable[Problem]], None]) -> int:
    """What one output's `check` or `generate` found: the diff, its files, the summary line."""
    from . import api
    from .errors import counts

    out = api.show_path(result.out, config.base)
    warned = "" if not result.warnings else f"; {counts(result.warnings).partition(', ')[2]}"
    if args.command == "check":
        if not result.changes:
            show(result.warnings)
            print(f"docmodels: {out} is up to date ({len(result.files)} files){warned}")
            return EXIT_OK
        # The diff first (each file's cut to a screen), then which files, then the summary last.
        if not args.quiet:
            diff = result.diff if args.verbose else _cut_diff(result.diff, DIFF_LINES)
            sys.stdout.write(_colour(diff) if sys.stdout.isatty() else diff)
            sys.stdout.flush()
        show(result.warnings)
        changes = result.changes
        labels = (("stale", changes.stale), ("edited by hand", changes.edited), ("missing", changes.missing), ("extra", changes.extra), ("not written by docmodels", changes.foreign))
        for label, paths in labels:
            for path in paths if not args.quiet else ():
                print(f"{label}: {out}/{path}")
        print(f"docmodels: {out} is out of date{warned}; run `docmodels generate`")
        return EXIT_STALE
    show(result.warnings)
    changed = len(result.changes.to_write)
    if args.fail_on_change and not args.quiet:
        for label, paths in (("written", tuple(sorted(result.changes.to_write))), ("removed", result.changes.extra)):
            for path in paths:
                print(f"{label}: {out}/{path}")
    print(
        f"docmodels: {result.summary}; {out}: {changed} written, {len(result.changes.extra)} removed, "
        f"{len(result.files) - changed} unchanged{warned}"
    )
    return EXIT_STALE if args.fail_on_change and result.changes else EXIT_OK


def _cut_diff(diff: str, limit: int) -> str:
    """A unified diff with each file's part cut after `limit` lines (headers aside), and a line
    saying how many more there are."""
    lines = diff.splitlines(keepends=True)
    kept: list[str] = []
    path, shown, hidden = "", 0, 0

    def close() -> None:
        if hidden:
            kept.append(f"... {hidden:,} more lines of diff in {path} (-v shows them all)\n")

    for i, line in enumerate(lines):
        if line.startswith("--- ") and i + 1 < len(lines) and lines[i + 1].startswith("+++ "):
            close()
            new = lines[i + 1][4:].rstrip("\n")
            path = (line[4:].rstrip("\n") if new == "/dev/null" else new).removeprefix("a/").removeprefix("b/")
            shown, hidden = -2, 0  # the two header lines are always shown
        if shown < limit:
            kept.append(line)
            shown += 1
        else:
            hidden += 1
    close()
    return "".join(kept)


def _colour(diff: str) -> str:
    colours = {"+": "\033[32m", "-": "\033[31m", "@": "\033[36m"}
    lines = []
    for line in diff.splitlines(keepends=True):
        colour = colours.get(line[:1]) if not line.startswith(("+++", "---")) else "\033[1m"
        lines.append(f"{colour}{line.rstrip(chr(10))}\033[0m\n" if colour else line)
    return "".join(lines)


def _dump_schema(schema: Any, fmt: str) -> str:
    import json

    from .api import schema_as_data

    data = schema_as_data(schema)
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    import yaml  # type: ignore[import-untyped, unused-ignore]

    text: str = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return text
